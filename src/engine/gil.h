/*
 * gil.h — a simulated CPython "new GIL" (3.2+, Python/ceval_gil.c): a mutex,
 * a condition the waiters sleep on and a switch condition for forced
 * switching. A waiter that times out after `interval` with no switch in
 * between sets a drop request on the holder (its breaker word, so the task's
 * next checkpoint drops and retakes); nobody ever steals the GIL.
 *
 * Contract: gil_init, then each thread registers one struct gil_thread
 * (gil_thread_init) and calls gil_take/gil_drop in pairs; gil_destroy after
 * every thread is gone. The hand-off log is append-only: entries
 * below gil_log_count() never change, so a reader may point at them. Each
 * entry says who holds the GIL from then on: a thread id (forced: it came
 * from a drop request) or -1 after a plain release (a blocking call, a thread
 * end); a forced drop has no -1 entry, it goes straight to the waiter.
 */
#ifndef MPTUTOR_GIL_H
#define MPTUTOR_GIL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GIL_BREAK_DROP 1   /* breaker bit: the GIL holder is asked to drop it */
#define GIL_BREAK_CANCEL 2 /* breaker bit: the run is cancelled */
#define GIL_LOG_MAX 100000 /* hand-offs kept; later ones are only counted */

/* One hand-off, in CLOCK_MONOTONIC nanoseconds. */
struct gil_log_entry {
	int64_t t_ns; /* when */
	int to;       /* thread id that took it, -1 released */
	bool forced;  /* a drop request made the holder let go */
};

struct gil_mark; /* engine.h: a timeline entry as a snapshot shows it */

/* What a GIL thread is doing, as its timeline records it (== enum gil_mark_act). */
enum gil_activity {
	GIL_ACT_OFF,    /* neither holding nor waiting (started, ended) */
	GIL_ACT_HOLD,   /* holding the GIL: running Python code */
	GIL_ACT_WAIT,   /* waiting to take it (or for a forced switch) */
	GIL_ACT_BLOCKED /* in a blocking call, GIL released: I/O, sleep */
};

#define GIL_TL_TOTAL 524288 /* timeline entries kept over all threads of a GIL */
#define GIL_TL_MIN 256      /* ...but at least this many a thread */

/* One change of activity, in CLOCK_MONOTONIC nanoseconds. */
struct gil_tl_entry {
	int64_t t_ns; /* when */
	int act;      /* enum gil_activity from then on */
};

/* A thread's timeline: appended by the thread itself only; entries below
 * `n` (read with acquire) never change, so a reader may copy them. */
struct gil_timeline {
	struct gil_tl_entry *e;    /* [cap] */
	size_t cap;                /* entries it can hold; later changes are only counted */
	atomic_size_t n;           /* entries written (release) */
	atomic_size_t dropped;     /* changes past the cap */
	int last;                  /* activity of the last entry, -1 none (writer only) */
	struct gil_timeline *next; /* the GIL's list of timelines, freed by gil_destroy */
	struct gil_mark *marks;    /* [cap] the reader's copy in seconds, for snapshots */
	size_t n_marks;            /* entries copied into marks (the reader's) */
};

/* One thread that takes the GIL. */
struct gil_thread {
	int id;                     /* worker id, logged in hand-offs */
	atomic_int *breaker;        /* where a drop request is set (GIL_BREAK_DROP) */
	bool holding;               /* this thread holds it (only it reads this) */
	int64_t take_ns;            /* when it took it last */
	atomic_llong held_ns;       /* total time holding (closed intervals) */
	atomic_llong wait_ns;       /* total time waiting to take it */
	atomic_llong wait_since;    /* start of the current wait, 0 when not waiting */
	atomic_llong held_since;    /* start of the current hold, 0 when not holding */
	struct gil_timeline *tl;    /* what it did over time, NULL if none (gil_thread_timeline) */
	atomic_llong blocked_ns;    /* total time in blocking calls (GIL released) */
	atomic_llong blocked_since; /* start of the current blocking call, 0 when not in one */
};

/* The GIL. */
struct gil {
	pthread_mutex_t mutex;          /* guards everything below but the atomics */
	pthread_cond_t cond;            /* waiters for the GIL to be free */
	pthread_cond_t switch_cond;     /* a forced dropper waits for the switch here */
	bool locked;                    /* held by someone */
	struct gil_thread *holder;      /* current (or last) holder */
	unsigned long switch_number;    /* times the holder changed */
	int waiters;                    /* threads in gil_take */
	bool last_drop_forced;          /* the last drop was on request */
	int log_last_to;                /* holder per the log's last entry, -1 nobody */
	int64_t interval_ns;            /* sys.getswitchinterval() */
	const atomic_int *cancel;       /* nonzero: waiters give up */
	struct gil_log_entry *log;      /* [GIL_LOG_MAX] hand-offs */
	atomic_size_t log_count;        /* entries written (release) */
	atomic_size_t log_dropped;      /* hand-offs past the cap */
	atomic_ulong forced_switches;   /* drops done on request */
	struct gil_timeline *timelines; /* every thread's timeline, freed by gil_destroy */
};

/* Set up a GIL; -1 with a message on error. cancel may be NULL. */
int gil_init(struct gil *gil, double interval_s, const atomic_int *cancel, char *err,
             size_t errlen);
void gil_destroy(struct gil *gil);
/* Register a thread; breaker receives drop requests. */
void gil_thread_init(struct gil_thread *t, int id, atomic_int *breaker);
/* Take the GIL (blocking); -1 if the run was cancelled while waiting. */
int gil_take(struct gil *gil, struct gil_thread *t);
/* Drop the GIL; on a pending drop request, wait until another thread took it. */
void gil_drop(struct gil *gil, struct gil_thread *t);
/* gil_drop, saying what the thread does next: GIL_ACT_BLOCKED around a
 * blocking call (its time counts as blocked), GIL_ACT_OFF as it ends. */
void gil_drop_to(struct gil *gil, struct gil_thread *t, enum gil_activity then);
/* Give a registered thread a timeline of cap entries (0: the GIL's share for
 * `threads` threads); the GIL owns it. -1 if out of memory (no timeline then). */
int gil_thread_timeline(struct gil *gil, struct gil_thread *t, size_t cap, int threads);
/* Time in blocking calls so far, including the current one. */
int64_t gil_thread_blocked_ns(const struct gil_thread *t, int64_t now_ns);
/* Held and waiting time so far, including the current interval. */
void gil_thread_times(const struct gil_thread *t, int64_t now_ns, int64_t *held_ns,
                      int64_t *wait_ns);
/* Entries of the hand-off log that are complete. */
size_t gil_log_count(const struct gil *gil);
/* Times the holder changed. */
unsigned long gil_switches(struct gil *gil);

#endif
