/*
 * engine.h — the public interface of the engine: start a pool.map of a task
 * over items on one backend (backend.h lists them), watch it through
 * snapshots while it goes, cancel it, wait for it.
 *
 * Contract (call order and ownership):
 *   run_start()  returns at once with the pool created and the map started
 *                (the py-* backends: with the interpreter started and its
 *                hello read, tens of ms; the run stays RUN_STARTING until
 *                its pool is up, then RUN_RUNNING);
 *   run_poll()   never blocks: it drains worker output, reaps and replaces
 *                dead workers, and fills a snapshot;
 *   run_wait()   blocks until the run is over (it calls run_poll itself);
 *   run_cancel() asks the workers to stop; a later poll/wait finishes it;
 *   run_free()   reaps anything left (it never leaves a child behind) and
 *                frees the run. Every pointer in a snapshot stays valid until
 *                the next run_poll/run_wait on the same run, or run_free.
 * The engine never prints to the terminal and never includes curses. It does
 * not install signal handlers: callers pass an fd that becomes readable when
 * they want the wait interrupted (a self-pipe).
 */
#ifndef MPTUTOR_ENGINE_H
#define MPTUTOR_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/itemrec.h"

#define ENGINE_MAX_WORKERS 1024  /* -w above this is refused */
#define ENGINE_MAX_ITEMS 1000000 /* more items than this are refused */
#define ENGINE_ERRLEN 256        /* size of error message buffers */

#include "engine/backend.h"
#include "engine/machine.h"

struct task;

/* What to run. run_start copies everything it needs. */
struct run_spec {
	const struct task *task; /* from task_find() */
	enum backend_kind backend;
	int workers;              /* 1..ENGINE_MAX_WORKERS (serial: forced 1) */
	long chunksize;           /* >= 1; 0 only when n_items == 0 */
	bool unordered;           /* results in completion order (imap_unordered) */
	double switch_interval_s; /* gil only: sys.getswitchinterval(), 0.005 */
	const int64_t *items;     /* n_items values, each valid for the task */
	size_t n_items;
	/* py-* backends only (ignored by the others): */
	const char *python;       /* the interpreter: a path, or a name looked up on PATH;
	                             NULL: $MPTUTOR_PYTHON, else python3 (pythons.h) */
	const char *start_method; /* py-process: "fork", "spawn" or "forkserver"; NULL: the
	                             interpreter's own default */
	const char *python_dir;   /* where mptutor_py.py is; NULL: pythons_dir() finds it
	                             ($MPTUTOR_PYTHON_DIR, ./src/python, DATADIR/mptutor/python) */
	int worker_nice;          /* 0..19: each worker (process or thread; a py-* backend's
	                             interpreter, which its workers inherit) lowers its own
	                             priority to this nice as it starts, so a caller drawing
	                             a run of more workers than CPUs keeps its turn; 0: as
	                             the caller's */
};

/* What a worker is doing, as the snapshot sees it. */
enum worker_state {
	WORKER_STARTING, /* created, not yet at the start gate */
	WORKER_IDLE,     /* between items or waiting for the map to start */
	WORKER_RUNNING,  /* running an item (holding the GIL, for gil) */
	WORKER_GIL_WAIT, /* gil: waiting to take the GIL */
	WORKER_BLOCKED,  /* in a blocking call (sleep task; GIL released) */
	WORKER_EXITED,   /* finished and reaped/joined */
	WORKER_DEAD      /* killed by a signal (a replacement may follow) */
};

/* gil: what a thread was doing from t_s on (its timeline, one entry a change). */
enum gil_mark_act {
	GIL_MARK_OFF,    /* neither holding nor waiting (starting, ended) */
	GIL_MARK_HOLD,   /* holding the GIL */
	GIL_MARK_WAIT,   /* waiting to take the GIL */
	GIL_MARK_BLOCKED /* in a blocking call (I/O), GIL released */
};
struct gil_mark {
	double t_s; /* seconds since the map began (may be < 0: before the gate) */
	int act;    /* enum gil_mark_act */
};

/* One worker slot. A replacement forked after a death reuses the slot. */
struct worker_snap {
	int id;       /* slot number, 0-based */
	pid_t pid;    /* process id (threads: mptutor's pid) */
	pid_t tid;    /* kernel thread id (processes: == pid) */
	int restarts; /* replacements forked into this slot */
	enum worker_state state;
	int core;          /* CPU it last ran on (/proc stat), -1 unknown */
	char proc_state;   /* kernel state letter (R, S, D, Z...), 0 unknown */
	long tasks;        /* items completed */
	long cur_item;     /* index of the item it runs now, -1 none */
	double cpu_s;      /* CPU time from the kernel's clock */
	double cpu_pct;    /* CPU use over the last poll interval, 0..100 */
	double busy_s;     /* summed time inside items */
	double gil_held_s; /* gil: time holding the GIL (py-thread: measured, see
	                      run_python.gil_measured) */
	double gil_wait_s; /* gil: time waiting to take it */
	double blocked_s;  /* gil: time in blocking calls (I/O), GIL released */
	const struct gil_mark
	    *gil_marks; /* gil: [n_gil_marks] its activity changes, in time order */
	size_t n_gil_marks;
	size_t gil_marks_dropped; /* gil: changes past the timeline's cap (not in gil_marks) */
};

/* Per item status, as a snapshot's records keep it (run_item_status). */
enum item_status { ITEM_PENDING, ITEM_RUNNING, ITEM_DONE, ITEM_FAILED };

/* One item's life: who ran it, when (seconds since the map began), as
 * run_item_event reads it from a snapshot's record. start_s and end_s are
 * CLOCK_MONOTONIC readings taken by the worker; a worker takes one reading
 * between two items of its own, so one item's end_s is the same reading as its
 * next item's start_s (the few ns of bookkeeping between them are counted in
 * the earlier item). Items that prove faster than a clock read is worth (under
 * 1 us) are timed a group at a time instead: the group's span spread evenly
 * over its items, counted in run_snapshot.items_grouped. */
struct item_event {
	int worker;     /* -1 if not started */
	pid_t pid, tid; /* the process and kernel thread that ran it (a slot's worker
	                   replaced after a death has another); 0 unknown */
	double start_s;
	double end_s; /* 0 while running */
};

/* A line a worker wrote to its stdout/stderr, stamped on arrival. */
struct output_line {
	int worker;
	double t_s; /* seconds since the map began */
	const char *text;
};

/* An item that failed: the worker running it died. */
struct run_error {
	size_t item;
	int worker;
	const char *message; /* "worker 1 (pid 1236) killed by SIGSEGV while running item 6" */
	double t_s;          /* when the death was detected, seconds since the map began */
};

/* GIL hand-off, for drawing: at t_s the GIL went to worker `to`. */
struct gil_switch {
	double t_s;
	int to;      /* worker that took it, -1 released to nobody */
	bool forced; /* a drop request made the holder let go */
};

enum run_state {
	RUN_STARTING, /* pool being created */
	RUN_RUNNING,  /* map going */
	RUN_DONE,     /* map finished, pool stopped, every child reaped */
	RUN_CANCELLED /* stopped early by run_cancel, every child reaped */
};

/* The interpreter of a py-* run, as it said hello, and what was measured of it. */
struct run_python {
	const char *path;           /* the interpreter run, as found ("/usr/bin/python3") */
	const char *implementation; /* sys.implementation.name: "cpython" ("" before hello) */
	const char *version;        /* "3.13.0" */
	bool gil;                   /* the GIL was on in it (sys._is_gil_enabled()) */
	bool free_threaded;         /* a free-threaded build (Py_GIL_DISABLED) */
	const char *start_method;   /* py-process: "fork", "spawn", "forkserver"; else NULL */
	pid_t pid;                  /* its main process (also the process group of its workers) */
	double interp_startup_s;    /* its own start-up: spawned to its hello */
	long long bytes_sent;       /* py-process: bytes pickled to the workers during the map */
	long long bytes_recvd;      /* ... and from them */
	long msgs_sent, msgs_recvd; /* the messages those bytes were in */
	long long items_grouped;    /* items timed in groups (fast items run back to back: each
	                               item's start and end are its group's time spread evenly,
	                               not measured); 0: every item was timed on its own */
	const char *gil_measured;   /* py-thread: how gil_held_s/gil_wait_s were measured
	                               ("sampled /proc at 1000 Hz (got 930), ±0.04 s"), or why
	                               they are not ("free-threaded: no GIL"); NULL otherwise */
	int exit_status;            /* its exit status once over (-N: killed by signal N), else 0 */
	const char *own_output;     /* the last KiB its processes wrote to their own
	                               stdout/stderr (warnings, tracebacks), "" if none */
};

/* A consistent view of a run; arrays are owned by the run (see contract). */
struct run_snapshot {
	enum run_state state;
	enum backend_kind backend;
	const struct task *task;
	int workers;
	long chunksize;
	bool unordered;
	double now_s;        /* seconds since the map began (final: == wall_s) */
	double startup_s;    /* pool creation: arena + fork/pthread_create (processes:
	                        until every worker is at the start gate; py-*: the Pool's
	                        construction until every worker said hello, as the
	                        interpreter measured it) */
	double wall_s;       /* the map: start gate to last item done */
	double teardown_s;   /* stopping the pool: from the last item done (the workers
	                        find no more work and exit) to the last one reaped/joined */
	double cpu_s;        /* CPU of all workers, from the kernel */
	double cpu_every_s;  /* each worker's CPU clock (cpu_s, cpu_pct) is read this
	                        often while it runs (a round-robin pass, longer for a
	                        big pool); 0 unknown (a recording) */
	double proc_every_s; /* ... and its /proc stat (core, proc_state) */
	const struct worker_snap *per_worker; /* [workers] */
	size_t n_items, n_done, n_failed;
	size_t items_grouped;        /* of the items done, those timed in groups, not alone: fast
	                                items run back to back, each item's start and end its
	                                group's span spread evenly (not measured); 0: every item
	                                was timed on its own */
	const int64_t *items;        /* [n_items] */
	const int64_t *results;      /* [n_items]; valid where ITEM_DONE */
	bool task_returns;           /* false for hello/print: results null */
	const struct item_rec *recs; /* [n_items] by item index: status, who, times
	                                (itemrec.h; read with run_item_status/_event) */
	const struct item_who *who;  /* [n_who] who ran them; who[0] is nobody */
	size_t n_who;
	const uint32_t *order; /* [n_order] item indices, completion order */
	size_t n_order;
	const struct output_line *output; /* [n_output], arrival order */
	size_t n_output;
	const struct run_error *errors; /* [n_errors] */
	size_t n_errors;
	const struct gil_switch *switches; /* gil only: [n_switches] hand-offs */
	size_t n_switches;
	bool has_parent_counter;         /* counter task only */
	long parent_counter;             /* what the parent's counter reads after */
	double t0_unix_s;                /* when the map began, CLOCK_REALTIME seconds */
	const struct run_python *python; /* py-* backends: the interpreter; NULL for the others */
	const char *fault;               /* why the run ended before its map did (py-*: the
	                                    interpreter failed, wrote an unreadable line, a worker
	                                    died), NULL if it did not; its items are failed */
	struct machine_load machine;     /* what other work took of the machine while it ran,
	                                    set by the session once the map is over (run_poll
	                                    leaves it zeroed: not valid) */
};

/* Item i's status (enum item_status); s->recs must be there. */
static inline unsigned run_item_status(const struct run_snapshot *s, size_t i)
{
	return item_rec_status(s->recs[i]);
}

/* Who ran item i (nobody: worker -1). */
static inline struct item_who run_item_who(const struct run_snapshot *s, size_t i)
{
	uint32_t k = item_rec_who(s->recs[i]);
	return k < s->n_who ? s->who[k] : (struct item_who){.worker = -1};
}

/* Item i's event: who ran it, when. */
static inline struct item_event run_item_event(const struct run_snapshot *s, size_t i)
{
	struct item_rec r = s->recs[i];
	struct item_who w = run_item_who(s, i);
	return (struct item_event){
	    .worker = w.worker,
	    .pid = w.pid,
	    .tid = w.tid,
	    .start_s = item_ns_s(item_rec_start_ns(r)),
	    .end_s = item_ns_s(item_rec_end_ns(r)),
	};
}

struct run;

/* Start a run; on error returns -1 with a message in err (nothing left behind). */
int run_start(const struct run_spec *spec, struct run **out, char *err, size_t errlen);
/* Advance and snapshot without blocking; returns 1 once the run is over, else 0. */
int run_poll(struct run *run, struct run_snapshot *snap);
/* Ask the run to stop early; safe to call more than once. */
void run_cancel(struct run *run);
/* Block until over; if intr_fd >= 0 becomes readable the run is cancelled. */
int run_wait(struct run *run, int intr_fd, struct run_snapshot *snap);
/* The fds a caller may poll() to learn when run_poll has news; returns count. */
int run_pollfds(struct run *run, int *fds, int max);
/* Reap anything left and free the run. NULL is fine. */
void run_free(struct run *run);

/* A finished run's item arrays (those its last snapshot pointed to). */
struct run_arrays {
	int64_t *items, *results;
	struct item_rec *recs;
	struct item_who *who;
	size_t n_who;
	uint32_t *order;
};
/* Once the run is over (run_poll returned 1): hand its item arrays to the caller, who
 * frees each with free(), so a recording need not copy a million items; the run keeps
 * none (a later snapshot has no items: only run_free should follow). -1 if not over. */
int run_take_arrays(struct run *run, struct run_arrays *out);

/* CPUs this process may use (sched_getaffinity), at least 1. */
int engine_default_workers(void);
/* CPython's Pool.map rule: ceil(n / (4 * workers)), 0 items -> 0. */
long engine_default_chunksize(size_t n_items, int workers);

/*
 * One Process (not a pool), its life drawn as it happens — the course's
 * `p = Process(target=worker); p.start(); p.join()`. proc_demo_start forks
 * at once; the child runs one item of the task and exits; the parent does
 * not reap it (it stays a zombie in `ps`) until the join, done join_after_ms
 * after the start or when it exits, whichever is later. Several Processes
 * started in a loop (the seed's last cell): proc_demo_start_items. Same
 * ownership rules as a run: snapshot pointers live until the next poll/wait
 * or the free; proc_demo_free kills and reaps every child still there.
 */
enum proc_demo_state {
	PROC_CREATED, /* Process() made, not started */
	PROC_RUNNING, /* start()ed: a pid, running */
	PROC_EXITED,  /* finished, not joined: a zombie until join() */
	PROC_JOINED,  /* join() returned: reaped */
	PROC_REAPED   /* never joined by the program: reaped by mptutor at the end */
};

#define PROC_DEMO_MAX_PROCS 64 /* process TASK ITEMS: at most this many Processes */
#define PROC_DEMO_NO_JOIN (-1) /* join_after_ms: the program never calls join() */

/* One Process of a demo, as the snapshot sees it (seconds since the demo began). */
struct proc_demo_child {
	int64_t item; /* args=(item,) */
	enum proc_demo_state state;
	pid_t pid;        /* 0 before its start */
	char proc_state;  /* kernel state letter (R, S, Z...), 0 unknown */
	int exit_code;    /* exit status; -N killed by signal N */
	double started_s; /* start(): just before its fork() */
	double ran_s;     /* the child began its item (its own clock reading) */
	double exited_s;  /* the child's last clock reading before _exit (or, killed,
	                     when the parent saw it die) */
	double joined_s;  /* join() reaped it; -1 never joined */
	double reaped_s;  /* reaped, by join() or by mptutor at the end; -1 not yet */
	bool has_result;  /* the task returned a value */
	int64_t result;
};

struct proc_demo_snap {
	enum proc_demo_state state;
	pid_t pid;        /* 0 before start */
	pid_t parent_pid; /* mptutor's pid (the child's parent) */
	char proc_state;  /* kernel state letter (R, S, Z...), 0 unknown */
	int exit_code;    /* EXITED/JOINED: exit status; -N killed by signal N */
	double created_s, started_s, exited_s, joined_s; /* since proc_demo_start; -1 not yet */
	double now_s;                                    /* since proc_demo_start */
	bool has_result;                                 /* the task returned a value */
	int64_t result;
	const struct output_line *output; /* [n_output], arrival order (worker 0) */
	size_t n_output;
	/* the fields above describe procs[0]; a demo of several Processes: */
	const struct proc_demo_child *procs; /* [n_procs], in start order */
	size_t n_procs;
	bool joins;       /* the program joins them (else: reaped at the end) */
	double ran_s;     /* procs[0].ran_s */
	double reaped_s;  /* procs[0].reaped_s */
	double ended_s;   /* the last one reaped and its output read; -1 not yet */
	bool interrupted; /* proc_demo_wait's intr_fd fired: the children were killed */
	const struct run_python *python; /* the Python variant: its interpreter; NULL: C */
	const char *fault;               /* the Python variant ended early: why; else NULL */
};

struct proc_demo;

/* The Python variant: real multiprocessing.Process objects, one per item. */
struct proc_demo_python {
	const char *python;       /* interpreter name or path; NULL: $MPTUTOR_PYTHON, python3 */
	const char *start_method; /* fork, spawn, forkserver; NULL: the interpreter's own */
	const char *python_dir;   /* where mptutor_py.py is; NULL: pythons_dir() */
};

/* Start one Process running task on item; -1 with a message (nothing left behind). */
int proc_demo_start(const struct task *task, int64_t item, int join_after_ms,
                    struct proc_demo **out, char *err, size_t errlen);
/* The seed's loop: `for i in items: Process(target=task, args=(i,)).start()`.
 * One Process per item (1..PROC_DEMO_MAX_PROCS), forked one after another;
 * each child runs its item at once (no start gate) and exits. All children
 * write to ONE shared stdout pipe, so the output's order is the order of
 * their write() calls. join_after_ms >= 0: each is joined that long after
 * its start or at its exit, whichever is later; PROC_DEMO_NO_JOIN: none is
 * joined: each stays a zombie until all have exited and their output is
 * read, then the demo reaps them all (state PROC_REAPED), as Python's exit
 * handler joins the children a program left. -1 with a message. */
int proc_demo_start_items(const struct task *task, const int64_t *items, size_t n_items,
                          int join_after_ms, struct proc_demo **out, char *err, size_t errlen);
/* The same demo run by the installed CPython (mptutor_py.py process): its
 * children are the interpreter's, reaped by its join(); what they do comes as
 * event lines, their kernel state from /proc. Same contract as above; -1
 * with a message naming the interpreter if it is missing or fails to start. */
int proc_demo_start_python(const struct task *task, const int64_t *items, size_t n_items,
                           int join_after_ms, const struct proc_demo_python *py,
                           struct proc_demo **out, char *err, size_t errlen);
/* Advance (exits seen, joins when due, output drained) without blocking; 1 once
 * every child is reaped and its output read. */
int proc_demo_poll(struct proc_demo *demo, struct proc_demo_snap *snap);
/* The fds to poll() for news (pidfds, output pipe); returns count (at most
 * PROC_DEMO_MAX_PROCS + 1 are ever needed). */
int proc_demo_pollfds(struct proc_demo *demo, int *fds, int max);
/* Block until every child is reaped; intr_fd readable kills the children
 * (snap->interrupted is then true). Returns 0. */
int proc_demo_wait(struct proc_demo *demo, int intr_fd, struct proc_demo_snap *snap);
/* Kill and reap the child if it is still there, and free. NULL is fine. */
void proc_demo_free(struct proc_demo *demo);

#endif
