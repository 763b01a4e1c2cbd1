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

#define GIL_BREAK_DROP 1    /* breaker bit: the GIL holder is asked to drop it */
#define GIL_BREAK_CANCEL 2  /* breaker bit: the run is cancelled */
#define GIL_LOG_MAX 100000  /* hand-offs kept; later ones are only counted */

/* One hand-off, in CLOCK_MONOTONIC nanoseconds. */
struct gil_log_entry {
	int64_t t_ns;    /* when */
	int to;          /* thread id that took it, -1 released */
	bool forced;     /* a drop request made the holder let go */
};

/* One thread that takes the GIL. */
struct gil_thread {
	int id;                   /* worker id, logged in hand-offs */
	atomic_int *breaker;      /* where a drop request is set (GIL_BREAK_DROP) */
	bool holding;             /* this thread holds it (only it reads this) */
	int64_t take_ns;          /* when it took it last */
	atomic_llong held_ns;     /* total time holding (closed intervals) */
	atomic_llong wait_ns;     /* total time waiting to take it */
	atomic_llong wait_since;  /* start of the current wait, 0 when not waiting */
	atomic_llong held_since;  /* start of the current hold, 0 when not holding */
};

/* The GIL. */
struct gil {
	pthread_mutex_t mutex;        /* guards everything below but the atomics */
	pthread_cond_t cond;          /* waiters for the GIL to be free */
	pthread_cond_t switch_cond;   /* a forced dropper waits for the switch here */
	bool locked;                  /* held by someone */
	struct gil_thread *holder;    /* current (or last) holder */
	unsigned long switch_number;  /* times the holder changed */
	int waiters;                  /* threads in gil_take */
	bool last_drop_forced;        /* the last drop was on request */
	int log_last_to;              /* holder per the log's last entry, -1 nobody */
	int64_t interval_ns;          /* sys.getswitchinterval() */
	const atomic_int *cancel;     /* nonzero: waiters give up */
	struct gil_log_entry *log;    /* [GIL_LOG_MAX] hand-offs */
	atomic_size_t log_count;      /* entries written (release) */
	atomic_size_t log_dropped;    /* hand-offs past the cap */
	atomic_ulong forced_switches; /* drops done on request */
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
/* Held and waiting time so far, including the current interval. */
void gil_thread_times(const struct gil_thread *t, int64_t now_ns, int64_t *held_ns,
		      int64_t *wait_ns);
/* Entries of the hand-off log that are complete. */
size_t gil_log_count(const struct gil *gil);
/* Times the holder changed. */
unsigned long gil_switches(struct gil *gil);
/* CLOCK_MONOTONIC in nanoseconds. */
int64_t gil_now_ns(void);

#endif
