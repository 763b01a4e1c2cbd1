/*
 * pydemo.h — the Python variant of the Process demo (engine-internal): the
 * installed CPython runs `mptutor_py.py process`, one real
 * multiprocessing.Process per item, and streams its lines (A, R, Z, J and
 * the children's W, S, E, O, U; pyevent.h) into a FIFO; this reads them
 * without blocking and keeps each child's life as the C demo's parent would
 * see it. The interpreter runs (pychild.h) in a process group of its own with
 * PR_SET_PDEATHSIG; pydemo_free kills that group and reaps: nothing stays.
 */
#ifndef MPTUTOR_PYDEMO_H
#define MPTUTOR_PYDEMO_H

#include "engine/engine.h"
#include "engine/pool.h"

/* One Process as the interpreter's lines tell it (CLOCK_MONOTONIC ns, 0 = not yet). */
struct pydemo_child {
	enum proc_demo_state state;
	pid_t pid;
	int exit_code; /* Process.exitcode once joined (-N: signal N) */
	int64_t started_ns, ran_ns, end_ns, exited_ns, joined_ns;
	bool has_result;
	int64_t result;
};

struct pydemo;

/* Spawn the interpreter and wait for its hello; -1 with a message (which
 * interpreter, what was wrong), nothing left behind. */
int pydemo_start(const struct proc_demo_python *spec, const struct task *task, const int64_t *items,
                 size_t n, int join_after_ms, struct pydemo **out, char *err, size_t errlen);
/* Read what came (lines into children, printed lines into out); 1 once over
 * (the interpreter reaped and its lines read). */
int pydemo_poll(struct pydemo *p, struct pool_output *out);
/* The fds to poll() for news. */
int pydemo_pollfds(const struct pydemo *p, int *fds, int max);
/* SIGKILL the interpreter's whole group (Ctrl-C, quit); the poll sees the end. */
void pydemo_kill(struct pydemo *p);
/* Kill the group, reap the interpreter, wait for the group to be gone, free. */
void pydemo_free(struct pydemo *p);
/* The children [n], the interpreter, the hello's time (the demo's t0). */
const struct pydemo_child *pydemo_children(const struct pydemo *p);
const struct run_python *pydemo_info(const struct pydemo *p);
int64_t pydemo_t0(const struct pydemo *p);
/* A fault (a bad line, the interpreter died before its end), NULL if none. */
const char *pydemo_fault(const struct pydemo *p);

#endif
