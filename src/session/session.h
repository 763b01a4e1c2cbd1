/*
 * session.h — one run, compare or Process demo from request to its end, as
 * every front end drives it: the command line and the plain REPL start it
 * and wait; the tutor starts it, polls it from its own poll() loop and draws
 * what it holds. A session is a list of rows — one backend's map each: `run`
 * has one row (run --repeat N times), `compare` one per backend of the
 * request in the request's order, each knowing its family's baseline row —
 * or, for `process`, a Process demo (proc_demo_* of engine.h, --repeat N
 * times). Specs come only from run_request_spec (request.h), so the same line
 * runs the same maps in every front end. A finished map is kept as a
 * recording (record.h): a deep copy the session owns, drawn, reported and
 * replayed at any moment; over --repeat the output orders are tallied
 * (orders.h). A sweep has a row per point (each backend of -b at each
 * worker count of -w, curve by curve, with the family serial rows it needs
 * first) and keeps its report (sweep.h) up to date as each map ends.
 * Each map's final snapshot carries what other work took of the
 * machine from its start to its end (snap.machine, engine/machine.h), read
 * here around the engine's run.
 *
 * Contract (call order, ownership, lifetimes):
 *   session_start()   copies the request (items included), builds every
 *                     row's spec and starts the first map or demo; -1 with a
 *                     message if it cannot start (nothing is left behind).
 *   session_poll()    never blocks: it advances the map or demo going (the
 *                     engine's poll), and when one ends keeps its recording
 *                     (a deep copy; without the memory for one, the run),
 *                     tallies its order, calls the hooks, and starts the next
 *                     (the next row, or the next --repeat). 1 once over.
 *   session_wait()    blocks until over; intr_fd (or -1) readable cancels it
 *                     (also between maps: a stop request is never drained).
 *   session_cancel()  a map: asks it to stop, a later poll/wait finishes it
 *                     (state SESSION_CANCELLED, every worker reaped); a demo:
 *                     kills its children and reaps them before it returns
 *                     (it may block up to half a second to see them die).
 *                     Safe at any time, and more than once.
 *   session_pollfds() the fds a caller's poll() may wait on for news.
 *   session_free()    reaps anything left (never a child behind) and frees.
 * Every pointer the accessors return — rows, snapshots, recordings, the
 * request, the orders — is owned by the session: a live snapshot stays valid
 * until the next session_poll/session_wait/session_cancel, everything else
 * until session_free, except session_row_at's result (until the next
 * session_row_at of that row). Hooks are called from inside poll/wait with
 * snapshots valid only during the call.
 *
 * The session never prints, never includes cmd, export, lesson or ui; what
 * a front end wants of each finished map (prediction figures, a trace line)
 * it takes through the hooks.
 */
#ifndef MPTUTOR_SESSION_H
#define MPTUTOR_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "engine/engine.h"
#include "session/orders.h"
#include "session/record.h"
#include "session/request.h"
#include "session/sweep.h"

#define SESSION_MAX_ROWS                                                                           \
	BACKEND_COUNT /* a compare runs each backend at most once (a                               \
	                 sweep has as many rows as it has points) */
#define SESSION_MAX_POLLFDS                                                                        \
	(PROC_DEMO_MAX_PROCS + 8) /* enough for a demo; a map's fds past it are left out */

/* Where a session is. */
enum session_state {
	SESSION_RUNNING,   /* a map or demo is going, or the next is about to start */
	SESSION_DONE,      /* every map or demo finished */
	SESSION_CANCELLED, /* cancelled (session_cancel, or wait's intr_fd); every child reaped */
	SESSION_FAILED     /* a later map could not start, or out of memory: session_error() */
};

/* One row: one backend's map in the session. Read-only for callers. */
struct session_row {
	enum backend_kind backend;       /* what it runs */
	const struct backend_info *info; /* backend_get(backend) */
	int baseline;                    /* row of its family's serial baseline (itself for a
	                                    serial row), -1 if this compare has none */
	struct run_spec spec;            /* from run_request_spec; items point into the session */
	bool going;                      /* its map is running now (live is valid once polled) */
	bool has_live;                   /* live holds a snapshot of the going map */
	struct run_snapshot live;        /* the going map's last snapshot (engine pointers) */
	bool has_rec;                    /* rec holds its last finished (or cancelled) map */
	struct session_rec rec;          /* that map, a deep copy owned by the session */
	/* A map that ended with no memory for its copy keeps has_rec false and
	 * has_live true: live is then its final snapshot, of the run the session
	 * keeps (a headless report needs nothing more). session_row_snap picks
	 * whichever there is. */
};

/* The process command's demo. Read-only for callers. */
struct session_demo {
	int join_after_ms;           /* handed to proc_demo_start_items */
	bool has_live;               /* live holds a snapshot of the demo going */
	struct proc_demo_snap live;  /* its last snapshot (engine pointers) */
	bool has_rec;                /* rec holds the last finished (or cancelled) demo */
	struct session_proc_rec rec; /* that demo, a deep copy */
	bool cancelled;              /* cancelled: rec shows the children killed and reaped */
};

struct session;

/* What a front end wants to hear, called from inside session_poll/session_wait. */
struct session_hooks {
	/* A map finished (not cancelled): row's snapshot, valid during the call. NULL: none. */
	void (*map_done)(void *arg, const struct session *ss, size_t row,
	                 const struct run_snapshot *snap);
	/* A demo finished (not cancelled), valid during the call. NULL: none. */
	void (*demo_done)(void *arg, const struct session *ss, const struct proc_demo_snap *snap);
	void *arg;
};

/* Start req (run, compare or process); hooks may be NULL (copied). -1 with a
 * message in err if the first map or demo cannot start. */
int session_start(const struct run_request *req, const struct session_hooks *hooks,
                  struct session **out, char *err, size_t errlen);
/* A finished session over recordings made elsewhere (a recording file): the
 * rows of req (run: 1, compare: its backends, sweep: its points) take
 * recs[n] (moved: each left zeroed), a process takes *demo; nothing is run.
 * A sweep's report is computed from them on sweep_cpus CPUs (the recorded
 * machine's; 0: this one's). -1 with a message when n or a run's backend or
 * workers do not match the rows (recs are then left as they were). */
int session_from_recording(const struct run_request *req, struct session_rec *recs, size_t n,
                           struct session_proc_rec *demo, int sweep_cpus, struct session **out,
                           char *err, size_t errlen);
/* Advance without blocking; 1 once the session is over (not SESSION_RUNNING). */
int session_poll(struct session *ss);
/* Block until over; intr_fd (or -1) readable cancels. Returns the final state. */
enum session_state session_wait(struct session *ss, int intr_fd);
/* Stop the session (see the contract); safe more than once. */
void session_cancel(struct session *ss);
/* The fds to poll() for news of the map or demo going, into fds[max]; returns count. */
int session_pollfds(struct session *ss, int *fds, int max);
/* The pids of the processes working now (forked workers, demo children; never
 * mptutor itself), into pids[max]; returns count. For Ctrl-Z: stop them too. */
int session_worker_pids(const struct session *ss, pid_t *pids, int max);
/* Reap anything left and free. NULL is fine. */
void session_free(struct session *ss);

/* Its state. */
enum session_state session_state(const struct session *ss);
/* Why it failed (SESSION_FAILED), else "". */
const char *session_error(const struct session *ss);
/* Whether it failed for want of memory (else a map could not start). */
bool session_out_of_memory(const struct session *ss);
/* The request it runs (its own copy). */
const struct run_request *session_request(const struct session *ss);
/* run, compare, process or sweep. */
enum run_kind session_kind(const struct session *ss);
/* How many rows (0 for process). */
size_t session_n_rows(const struct session *ss);
/* Row i (i < session_n_rows), in the request's order. */
const struct session_row *session_row(const struct session *ss, size_t i);
/* Row i's family baseline row, or NULL if the compare has none (a serial row: itself). */
const struct session_row *session_baseline(const struct session *ss, size_t i);
/* The row whose map is going, -1 none. */
int session_active_row(const struct session *ss);
/* Row i to draw or report now: its live snapshot while it goes (or a kept
 * run's end), else its recording, else NULL. */
const struct run_snapshot *session_row_snap(const struct session *ss, size_t i);
/* Row i's recording as it was t seconds into its map (replay); without a
 * recording, session_row_snap. */
const struct run_snapshot *session_row_at(struct session *ss, size_t i, double t);
/* The sweep's points, curves and fits (measured points so far while it goes),
 * or NULL if this is no sweep. */
const struct sweep_report *session_sweep(const struct session *ss);
/* The demo (process), or NULL. */
const struct session_demo *session_demo(const struct session *ss);
/* The demo to draw: live while it goes, else its recording; NULL if neither. */
const struct proc_demo_snap *session_demo_snap(const struct session *ss);
/* The demo's recording seen t seconds in, into *out; -1 if there is none. */
int session_demo_at(const struct session *ss, double t, struct proc_demo_snap *out);
/* A sweep replayed t seconds in (the points one after another, each taking
 * its wall): *out is built with the points measured by then (free it with
 * sweep_report_free), *going the point under way (-1 none). -1 if this is no
 * sweep or out of memory. */
int session_sweep_at(const struct session *ss, double t, struct sweep_report *out, int *going);
/* The longest recorded map (a sweep: its maps' walls end to end; the demo:
 * its length), seconds: what a replay spans. */
double session_span(const struct session *ss);
/* Whether anything is recorded to replay. */
bool session_has_recording(const struct session *ss);
/* --repeat: the runs asked for (1 without --repeat; compare: 1); *current (may
 * be NULL) is the run going or last done, 1-based. */
int session_repeat(const struct session *ss, int *current);
/* Runs finished (not cancelled), and *failed (may be NULL) of them had an item
 * fail or a child exit non-zero (a compare counts each row's map). */
int session_runs_done(const struct session *ss, int *failed);
/* The output orders tallied over --repeat (empty without it). */
const struct session_orders *session_orders(const struct session *ss);

/* Did a finished demo have a child fail (non-zero exit, killed)? */
bool session_demo_failed(const struct proc_demo_snap *s);

#endif
