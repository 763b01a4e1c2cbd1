/*
 * pyjob.h — Python scripts run one after another as one job (pyrun: one
 * stage; an exercise: the learner's file, then its checker), what the tutor
 * polls and draws and the command line waits for. Each stage is an engine
 * pyrun (engine/pyrun.h), kept once over so its snapshot can be drawn and
 * reported after.
 *
 * Contract: pyjob_start copies the specs (strings included) and starts the
 * first stage; pyjob_poll never blocks, starts the next stage once one is
 * over (whatever its exit), 1 once every stage is over (or one could not
 * start: pyjob_error). Snapshots are valid until the next poll/cancel/free.
 * pyjob_cancel kills and reaps the stage going and runs no more;
 * pyjob_free cancels and frees.
 */
#ifndef MPTUTOR_SESSION_PYJOB_H
#define MPTUTOR_SESSION_PYJOB_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/pyrun.h"

#define PYJOB_MAX_STAGES 4

struct pyjob;

/* Start stages[n] (n <= PYJOB_MAX_STAGES); -1 with a message if the first cannot start. */
int pyjob_start(const struct pyrun_spec *stages, size_t n, const char *const *labels,
                struct pyjob **out, char *err, size_t errlen);
/* Advance; 1 once over. */
int pyjob_poll(struct pyjob *j);
/* Until over; intr_fd readable cancels. */
void pyjob_wait(struct pyjob *j, int intr_fd);
/* Stop: kill and reap the stage going; no more start. */
void pyjob_cancel(struct pyjob *j);
/* Cancel and free; NULL is fine. */
void pyjob_free(struct pyjob *j);
/* The stage going, or the last one started. */
size_t pyjob_current(const struct pyjob *j);
/* How many stages it has, and how many were started. */
size_t pyjob_n_stages(const struct pyjob *j);
size_t pyjob_n_started(const struct pyjob *j);
/* Stage i's label ("run", "check") and its snapshot (NULL if not started). */
const char *pyjob_label(const struct pyjob *j, size_t i);
const struct pyrun_snapshot *pyjob_snap(const struct pyjob *j, size_t i);
/* Over? cancelled? why a later stage could not start ("" if it did). */
bool pyjob_over(const struct pyjob *j);
bool pyjob_cancelled(const struct pyjob *j);
const char *pyjob_error(const struct pyjob *j);
/* The fds of the stage going, into fds[max]. */
int pyjob_pollfds(const struct pyjob *j, int *fds, int max);
/* The process group of the stage going (0 none): Ctrl-Z stops it too. */
int pyjob_pgid(const struct pyjob *j);

#endif
