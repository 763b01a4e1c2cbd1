/*
 * signals.h — the signals every front end listens to, through one self-pipe
 * (as tmux and htop do it). A front end catches the signals it cares about;
 * the one handler writes each signal's number into the pipe, a byte each,
 * and remembers the last signal that asked to stop. The front end polls the
 * read end (or hands it to run_wait as intr_fd), reads the numbers back and
 * acts on them outside the handler. The pipe is made once and kept for the
 * life of the process; catching saves the actions it replaces, so a front
 * end can put them back when it is done.
 */
#ifndef MPTUTOR_SIGNALS_H
#define MPTUTOR_SIGNALS_H

#include <signal.h>
#include <stddef.h>

#define SIGNALS_MAX 8 /* signals one signals_catch may take */

/* The actions signals_catch replaced, for signals_restore. */
struct signals_saved {
	size_t n;
	int sigs[SIGNALS_MAX];
	struct sigaction old[SIGNALS_MAX];
};

/* Catch sigs[n] (n <= SIGNALS_MAX) with the self-pipe's handler, sa_flags
 * `flags` (0, or SA_RESTART for a front end that wants system calls
 * restarted), creating the pipe the first time. The replaced actions go into
 * *saved unless it is NULL. Returns 0, or -1 with a message in err (nothing
 * is left changed then). */
int signals_catch(const int *sigs, size_t n, int flags, struct signals_saved *saved, char *err,
                  size_t errlen);

/* Put back the actions a signals_catch replaced. The pipe stays. */
void signals_restore(const struct signals_saved *saved);

/* The pipe's read end, readable while a signal is pending; -1 before the
 * first signals_catch. For poll(), or run_wait's intr_fd. */
int signals_fd(void);

/* The next pending signal's number, taken out of the pipe; 0 when none. */
int signals_next(void);

/* Forget every pending signal, so an old one does not cancel the next run. */
void signals_drain(void);

/* The last SIGINT, SIGTERM, SIGHUP or SIGQUIT caught; 0 if none yet. */
int signals_stopped(void);

/* The last SIGTERM, SIGHUP or SIGQUIT caught (a request to quit, which a
 * later Ctrl-C does not hide); 0 if none yet. */
int signals_quitting(void);

#endif
