/*
 * pool.h — the engine's inside: the shared arena the workers write into, the
 * worker loop every backend runs, the parent's per-worker slots, the run
 * itself and the `struct backend_ops` each backend fills (process, thread,
 * gil, serial); what a backend is (name, forks, GIL) is its backend.h row. Not part of the public
 * interface (engine.h).
 *
 * The arena is one mmap(MAP_SHARED|MAP_ANONYMOUS) region, the same for every
 * backend: forked workers and threads write into it alike. Layout:
 *   pool_head | pool_wrec[workers] | pool_item[n_items] | order[n_items]
 * Items are claimed a chunk at a time by atomic_fetch_add on head.next_chunk;
 * a finished item's record is written and its status stored with release at
 * once. Its place in the completion order is published in batches: a worker
 * keeps the indices of its last finished items in its own record (pend[]) and
 * every POOL_PUB_MAX items, or POOL_PUB_NS after the first of them ended, at
 * once after an item as long as that, before a break (the GIL) and as its
 * loop ends, claims that many order[] positions with one
 * fetch_add(&n_finished) and stores each index + 1 there (0 is "not written
 * yet", so the zero mapping needs no initialising). One shared write a batch,
 * not one an item: two workers no longer pass n_finished's cache line back and
 * forth on every item. The order across workers is exact to a batch (as
 * CPython's imap_unordered hands results back a chunk at a time); each item's
 * own start and end are its own clock readings, but for items that prove fast:
 * after an item (or a group) that took under POOL_FAST_NS an item, the next
 * POOL_GROUP items run back to back with no clock read between them, and one
 * reading after them is spread evenly over the group (a clock read costs more
 * than such an item: 20-40 ns). The items so timed are counted (wrec.grouped,
 * the snapshot's items_grouped) and the reports say so. A worker killed with a
 * batch pending has it published by the parent (pool_publish_dead); the items
 * of a group it had not timed yet keep its start as their start and end.
 *
 * The thread backends' arena is private memory with transparent huge pages
 * advised (their workers share the address space); the process backend's is
 * shared. Both are faulted in as the arena is made (MADV_POPULATE_WRITE), so a
 * run's first touch of each page is paid in its startup, not inside its items.
 * fork() copies no page tables of a shared mapping: each process worker maps
 * the item records in itself before its gate (pool_map_in, read faults), or
 * every page would fault again inside its items.
 *
 * Sizes: an item's record is 32 bytes and its order[] slot 4, so 1,000,000
 * items take 36 MB of arena; which process and thread ran an item is not kept
 * an item but a slot's incarnation (pool_item_who).
 */
#ifndef MPTUTOR_POOL_H
#define MPTUTOR_POOL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/engine.h"
#include "engine/gil.h"
#include "engine/task.h"

#define POOL_LINE 64                     /* cache line: per-worker records never share one */
#define POOL_CANCEL_GRACE_NS 200000000LL /* processes get SIGKILL this long after a cancel */
#define POOL_ORDER_EMPTY 0U /* an order[] slot not written yet (slots hold index + 1) */
#define POOL_GEN_MAX 0xffff /* incarnations of a slot told apart (later ones count as this) */
#define POOL_PUB_MAX 64     /* finished items a worker holds before publishing their order */
#define POOL_PUB_NS                                                                                \
	100000LL /* ... or this long after the first of them ended, or after an                    \
	            item this long: a fast item waits at most the next one's end */

#define POOL_FAST_NS 1000LL /* items under this long (mean) run in groups, timed per group */
#define POOL_GROUP 16       /* items in such a group: one clock read for them all */

/* The arena's header. */
struct pool_head {
	_Alignas(POOL_LINE) atomic_long next_chunk; /* next chunk to claim */
	atomic_long n_finished;              /* items done or failed; also the order[] cursor */
	_Alignas(POOL_LINE) atomic_int gate; /* 0 closed, 1 open (a futex word) */
	atomic_int cancel;                   /* nonzero: stop claiming */
	atomic_llong t0_ns;                  /* when the gate opened (CLOCK_MONOTONIC) */
	atomic_llong t_end_ns;               /* when the last item finished */
	atomic_int ready;                    /* process workers at the gate (a futex word) */
};

/* One item's record, written once by the worker that ran it: 32 bytes, two a
 * cache line. Which process and thread ran it is the slot's incarnation, not a
 * pid and tid an item: the parent knows each incarnation's (pool_item_who). */
struct pool_item {
	atomic_int status;        /* enum item_status, stored last with release */
	int16_t worker;           /* slot that ran it, -1 none */
	uint16_t gen;             /* that slot's incarnation (its restarts then) */
	int64_t result;           /* the task's result */
	int64_t start_ns, end_ns; /* CLOCK_MONOTONIC */
};

/* A slot's earlier incarnation: the process and thread it was. */
struct pool_who {
	pid_t pid, tid;
};

/* One worker slot's record, on its own cache line(s). */
struct pool_wrec {
	_Alignas(POOL_LINE) atomic_long cur_item; /* item running now (or just done, until
	                                             the next starts: see its status), -1 none */
	atomic_llong cur_start_ns;                /* when it started */
	atomic_llong range;   /* its chunk: (hi << 32) | lo, stored as it is claimed; a
	                         replacement worker starts at (hi << 32) | next, next
	                         found by the parent from cur_item (not stored an item) */
	atomic_long tasks;    /* items completed, counted as published */
	atomic_llong busy_ns; /* summed time inside items */
	atomic_long grouped;  /* of its items, those timed in groups */
	atomic_llong cpu_ns;  /* final CPU time, stored as the worker ends */
	atomic_int state;     /* enum worker_state as the worker sees it */
	atomic_int breaker;   /* GIL_BREAK_DROP | GIL_BREAK_CANCEL */
	atomic_int tid;       /* kernel thread id */
	atomic_int gen;       /* its incarnation (set before it starts) */
	atomic_int done;      /* the worker's loop is over */
	/* its completion order not yet published (see above), on lines of its own */
	_Alignas(POOL_LINE) atomic_llong last_end_ns; /* end of its last published item */
	atomic_long pub_pos;                          /* publishing at pub_pos - 1, 0 not */
	atomic_int n_pend;                            /* items in pend[] */
	atomic_int pend[POOL_PUB_MAX];                /* finished item indices, in order */
};

/* What every worker needs to run its share of the map. */
struct pool_job {
	const struct task *task; /* what one item does */
	const int64_t *items;    /* [n_items], owned by the run */
	size_t n_items;          /* items in the map */
	long chunksize;          /* items claimed at once (>= 1) */
	int nice;                /* each worker's nice, set by itself as it starts (0: none) */
	bool gate_spread;        /* workers <= CPUs, 2+ chunks: each waits on a CPU of its own */
	void *base;              /* the arena mapping */
	size_t size;             /* its length */
	struct pool_head *head;  /* at base */
	struct pool_wrec *wrec;  /* [workers] */
	struct pool_item *item;  /* [n_items] */
	atomic_uint *order;      /* [n_items] completion order, item index + 1 */
};

/* Captured output lines, stamped against t0_ns. */
struct pool_output {
	struct output_line *lines; /* [n], arrival order; texts owned */
	size_t n, cap;             /* lines held, room */
	int64_t t0_ns;             /* stamps are seconds since this */
};

/* The parent's view of one worker slot. */
struct pool_slot {
	int id;                       /* slot number */
	struct run *run;              /* back pointer (thread workers) */
	pid_t pid, tid;               /* process / kernel thread */
	int pidfd;                    /* process: pidfd_open, -1 none */
	int out_rd;                   /* captured stdout/stderr, read end (non-blocking), -1 none */
	int out_wr;                   /* thread: write end the task prints to, -1 none */
	pthread_t thread;             /* thread backends */
	bool alive;                   /* process not reaped / thread not joined */
	bool dead;                    /* last incarnation was killed, none replaced it */
	int restarts;                 /* replacements forked into this slot */
	struct pool_who *past;        /* [restarts]: its earlier incarnations, or NULL */
	int64_t cpu_gone_ns;          /* CPU of earlier incarnations */
	int64_t cpu_last_ns;          /* last CPU reading of the current one */
	int64_t pct_cpu_ns, pct_t_ns; /* CPU and time at the last cpu_pct update */
	double cpu_pct;               /* CPU use over the last interval */
	int core;                     /* from /proc, -1 unknown */
	char proc_state;              /* from /proc, 0 unknown */
	int stat_fd;                  /* its task's /proc stat file kept open, -1 none */
	pid_t stat_pid, stat_tid;     /* the task stat_fd is of */
	char *partial;                /* output received without its newline yet */
	size_t partial_len;           /* its length */
	long marked_running;          /* item shown RUNNING in the snapshot, -1 none */
	struct task_ctx ctx;          /* thread backends: the task's context */
	struct gil_thread gt;         /* gil: this thread's GIL record */
};

/* A backend: how workers are made, watched and stopped. */
struct backend_ops {
	enum backend_kind kind; /* which one: its traits are its backend_info row */
	bool gil_model;         /* threads take the simulated GIL (gil.h) */
	/* Its workers live in another program (the py-* backends: an interpreter):
	 * start returns before the pool is up and reap calls run_begin_map once
	 * the map begins (the run is RUN_STARTING until then); the backend writes
	 * the arena's records from the parent (pool_record_item) and keeps the
	 * parent counter; a cancel is final after POOL_CANCEL_GRACE_NS (kill). */
	bool external;
	/* Create every worker (the gate still closed); -1 with a message, nothing left. */
	int (*start)(struct run *run, char *err, size_t errlen);
	/* Without blocking: reap/join finished workers, report and replace dead ones. */
	void (*reap)(struct run *run);
	/* Processes: SIGKILL what is still alive. */
	void (*kill)(struct run *run);
	/* Block until every worker is reaped/joined (after a cancel). */
	void (*stop)(struct run *run);
	/* Current CPU time of a live slot's worker, -1 unknown. */
	int64_t (*cpu_ns)(struct run *run, struct pool_slot *slot);
	/* Thread backends, optional: fill the task context's hooks (parent). */
	void (*ctx_init)(struct run *run, struct pool_slot *slot);
	/* Thread backends, optional: as a worker thread starts (after the gate); -1 to stop. */
	int (*worker_enter)(struct run *run, struct pool_slot *slot);
	/* Thread backends, optional: as a worker thread ends. */
	void (*worker_leave)(struct run *run, struct pool_slot *slot);
	/* Optional: run_cancel was called (after the arena's cancel flag is set). */
	void (*cancel)(struct run *run);
	/* Optional: fds to poll besides the run's efd and the slots' pidfd/out_rd; returns count.
	 */
	int (*pollfds)(struct run *run, int *fds, int max);
	/* Optional: free the backend's own state (run->be), every process gone. */
	void (*release)(struct run *run);
};

extern const struct backend_ops backend_process_ops;
extern const struct backend_ops backend_thread_ops;
extern const struct backend_ops backend_gil_ops;
extern const struct backend_ops backend_serial_ops;
extern const struct backend_ops backend_py_serial_ops;
extern const struct backend_ops backend_py_process_ops;
extern const struct backend_ops backend_py_thread_ops;

/* A run: the spec's copy, the arena, the slots and the snapshot's arrays. */
/* Workers read a share at a poll (run.c), so that a pass over all of them
 * takes as long however often the run is polled: a big pool's readings cost
 * the same each second, not each poll. */
struct pool_rr {
	int64_t at_ns; /* read up to this moment; 0 never (the first poll reads all) */
	int next;      /* the worker read next */
};

struct run {
	const struct backend_ops *ops; /* the backend */
	struct pool_job job;           /* what the workers run, the arena */
	enum backend_kind backend;     /* ops->kind */
	int nw;                        /* workers */
	bool unordered;                /* imap_unordered (reported; order[] is always kept) */
	double switch_interval_s;      /* gil: sys.getswitchinterval() */
	int64_t *items;                /* owned copy of the spec's items */
	struct pool_slot *slots;       /* [nw] */
	int efd;                       /* eventfd: the last item finished / a thread ended */
	pid_t parent_pid;              /* who forked the workers */
	enum run_state state;          /* where the run is */
	bool cancelled;                /* run_cancel was called */
	int64_t cancel_ns;             /* when run_cancel was called */
	bool killed;                   /* the grace is over, SIGKILL sent */
	bool map_done;                 /* every item finished (or the map was given up) */
	bool take_at_end;              /* run_wait: nobody reads the snapshot before the end, so the
	                                  items are taken once the workers are gone, not beside them */
	int64_t begin_ns;              /* run_start entered */
	int64_t t0_ns;                 /* the gate opened */
	double t0_unix_s;              /* the same moment, CLOCK_REALTIME seconds */
	int64_t end_ns;                /* the last item finished */
	int64_t done_seen_ns;          /* the parent saw the map end (teardown starts) */
	double startup_s, wall_s, teardown_s; /* the three phases, as reported */
	/* the snapshot's own arrays */
	int64_t *results;          /* [n_items] */
	struct item_rec *recs;     /* [n_items] status, who, times (itemrec.h) */
	struct item_who_table who; /* who ran them */
	/* the last item taken's worker slot and incarnation, and its who entry:
	 * the next item is most often the same worker's (run_take_item) */
	int who_worker;
	uint16_t who_gen;
	uint32_t who_k;              /* 0: none yet */
	uint32_t *order;             /* [n_items] */
	size_t n_order;              /* entries of order[] consumed from the arena */
	size_t n_done, n_failed;     /* items taken into the snapshot so far */
	struct worker_snap *wsnap;   /* [nw] */
	struct pool_output out;      /* captured lines */
	struct run_error *errors;    /* [n_errors] */
	size_t n_errors, cap_errors; /* errors held, room */
	struct gil gil;              /* gil backend */
	bool gil_ready;              /* gil initialised (destroy it at the end) */
	struct gil_switch *switches; /* [n_switches] */
	size_t n_switches;           /* entries copied from the GIL log */
	long parent_counter;         /* the counter task's global in this process, after the run */
	struct pool_rr cpu_rr;       /* the workers' CPU clocks, read round-robin */
	struct pool_rr proc_rr;      /* their /proc stat, read round-robin */
	char *py_python;             /* py-*: the spec's interpreter, owned copy (NULL: default) */
	char *py_start_method;       /* py-process: the spec's start method, owned copy, or NULL */
	char *py_dir;                /* py-*: the spec's python_dir, owned copy, or NULL */
	void *be;                    /* the backend's own state (py-*: the interpreter), or NULL */
	const struct run_python *python; /* py-*: the snapshot's interpreter, or NULL */
	const char *fault; /* why the run ended before its map did, or NULL (owned by be) */
};

/* The map begins at t0_ns (CLOCK_MONOTONIC): the run goes RUN_RUNNING, its
 * moments count from here. run_start calls it, external backends from reap. */
void run_begin_map(struct run *run, int64_t t0_ns);

/* The thread pool every thread backend (thread, gil, serial) is made of. */
int pool_thread_start(struct run *run, char *err, size_t errlen);
void pool_thread_reap(struct run *run);
void pool_thread_kill(struct run *run);
void pool_thread_stop(struct run *run);
int64_t pool_thread_cpu_ns(struct run *run, struct pool_slot *slot);

/* Map and lay out the arena (shared: for forked workers), faulted in; -1 with a message. */
int pool_arena_map(struct pool_job *job, int workers, bool shared, char *err, size_t errlen);
/* A worker, as it starts (before its gate): set its nice (job->nice > 0). */
void pool_worker_nice(const struct pool_job *job);
/* A forked worker: map [from, to) of the shared arena into its page tables. */
void pool_map_in(const void *from, const void *to);
/* Parent: a dead worker's pending batch put in the completion order (it is gone). */
void pool_publish_dead(const struct pool_job *job, int id);
/* Parent: when the last item ended: the latest of every published batch's end. */
int64_t pool_end_ns(const struct pool_job *job, int workers);
void pool_arena_unmap(struct pool_job *job);
/* Parent, the run over and every item taken: unmap the item records and the order
 * (the header and worker records stay); job->item and job->order become NULL. */
void pool_arena_drop_items(struct pool_job *job);
/* Block until the start gate opens (worker id): where job->gate_spread,
 * pinned to a CPU of its own until then (see pool.c). */
void pool_gate_wait(const struct pool_job *job, int id);
/* Open the gate and wake every worker waiting on it (parent). */
void pool_gate_open(struct pool_head *head);
/* The worker loop: finish the slot's chunk, then claim chunks until none is
 * left or the run is cancelled. efd is written when the last item finishes. */
void pool_worker_loop(const struct pool_job *job, int id, struct task_ctx *ctx, int efd);
/* The breaker handler of backends without a GIL: -1 once cancelled. */
int pool_plain_on_break(struct task_ctx *ctx);
/* Parent, external backends: item finished in worker with result; its record
 * written and put in the completion order (as a worker does it). */
void pool_record_item(struct run *run, size_t item, int worker, int64_t result, int64_t start_ns,
                      int64_t end_ns);
/* Parent: one line of output of worker, stamped t_ns (CLOCK_MONOTONIC). */
void pool_output_add(struct pool_output *out, int worker, const char *text, size_t len,
                     int64_t t_ns);
/* Parent: a slot's worker is about to be replaced: keep who it was (the
 * items it ran name it after), then count the new incarnation. */
void pool_slot_retire(struct run *run, struct pool_slot *slot);
/* Parent: the process and thread that ran an item, from its slot and incarnation. */
void pool_item_who(const struct run *run, const struct pool_item *it, pid_t *pid, pid_t *tid);
/* Parent: mark an item failed (its worker died) and list the error. */
void pool_fail_item(struct run *run, size_t item, int worker, int64_t start_ns,
                    const char *message);
/* Parent: read what a slot's pipe holds now; eof_close closes it on EOF. */
void pool_drain(struct pool_output *out, struct pool_slot *slot, bool eof_close);
/* Parent: keep a partial line as a line of its own (the worker is gone). */
void pool_flush_partial(struct pool_output *out, struct pool_slot *slot);
/* Free the lines. */
void pool_output_free(struct pool_output *out);
/* Parent: make a slot's output pipe; -1 with errno set. */
int pool_slot_pipe(struct pool_slot *slot);
/* Child of a fork: die with the parent (PDEATHSIG, then check it is still there),
 * default signals (SIGINT ignored: the parent cancels), stdout/stderr to out_wr,
 * efd (if >= 0) moved to fd 3, every other fd closed; -1 if the parent is gone. */
int pool_child_prepare(pid_t parent, int out_wr, int efd);
/* Parent: wake run_wait (eventfd). */
void pool_wake(int efd);
/* A signal's name into buf ("SIGSEGV"), "signal N" for one without a name. */
const char *pool_signame(int sig, char *buf, size_t len);

#endif
