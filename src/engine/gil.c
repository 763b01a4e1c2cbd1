/*
 * gil.c — the simulated CPython GIL: take/drop with timed waits, drop
 * requests through the holder's breaker, forced switching, per-thread held
 * and waiting times, and a log of hand-offs for the timeline.
 */
#include "engine/gil.h"
#include "engine/clock.h"

#include "engine/engine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Append a hand-off to the log (mutex held). */
static void gil_log(struct gil *gil, int64_t t_ns, int to, bool forced)
{
	size_t n = atomic_load_explicit(&gil->log_count, memory_order_relaxed);

	if (n >= GIL_LOG_MAX) {
		atomic_fetch_add_explicit(&gil->log_dropped, 1, memory_order_relaxed);
		return;
	}
	gil->log[n] = (struct gil_log_entry){.t_ns = t_ns, .to = to, .forced = forced};
	atomic_store_explicit(&gil->log_count, n + 1, memory_order_release);
}

/* Record a change of activity in the thread's own timeline (the thread only). */
static void gil_mark(struct gil_thread *t, enum gil_activity act, int64_t t_ns)
{
	struct gil_timeline *tl = t->tl;
	size_t n;

	if (!tl || tl->last == (int)act)
		return;
	n = atomic_load_explicit(&tl->n, memory_order_relaxed);
	if (n >= tl->cap) {
		atomic_fetch_add_explicit(&tl->dropped, 1, memory_order_relaxed);
		tl->last = (int)act;
		return;
	}
	tl->e[n] = (struct gil_tl_entry){.t_ns = t_ns, .act = (int)act};
	atomic_store_explicit(&tl->n, n + 1, memory_order_release);
	tl->last = (int)act;
}

/* A blocking call ends (the thread asks for the GIL again): count its time. */
static void gil_unblock(struct gil_thread *t, int64_t now)
{
	int64_t bs = atomic_load_explicit(&t->blocked_since, memory_order_relaxed);

	if (!bs)
		return;
	atomic_fetch_add_explicit(&t->blocked_ns, now > bs ? now - bs : 0, memory_order_relaxed);
	atomic_store_explicit(&t->blocked_since, 0, memory_order_relaxed);
}

/* Give a thread a timeline owned by the GIL. */
int gil_thread_timeline(struct gil *gil, struct gil_thread *t, size_t cap, int threads)
{
	struct gil_timeline *tl;

	if (cap == 0) {
		cap = GIL_TL_TOTAL / (size_t)(threads > 0 ? threads : 1);
		if (cap < GIL_TL_MIN)
			cap = GIL_TL_MIN;
	}
	tl = calloc(1, sizeof(*tl));
	if (tl) {
		tl->e = malloc(cap * sizeof(*tl->e));
		tl->marks = malloc(cap * sizeof(*tl->marks));
	}
	if (!tl || !tl->e || !tl->marks) {
		if (tl) {
			free(tl->e);
			free(tl->marks);
		}
		free(tl);
		return -1;
	}
	tl->cap = cap;
	tl->last = -1;
	tl->next = gil->timelines;
	gil->timelines = tl;
	t->tl = tl;
	return 0;
}

/* Time in blocking calls so far, including the current one. */
int64_t gil_thread_blocked_ns(const struct gil_thread *t, int64_t now_ns)
{
	int64_t bs = atomic_load_explicit(&t->blocked_since, memory_order_relaxed);
	int64_t b = atomic_load_explicit(&t->blocked_ns, memory_order_relaxed);

	return b + (bs && now_ns > bs ? now_ns - bs : 0);
}

/* Set up a GIL; the condition variables wait on CLOCK_MONOTONIC. */
int gil_init(struct gil *gil, double interval_s, const atomic_int *cancel, char *err, size_t errlen)
{
	pthread_condattr_t ca;

	memset(gil, 0, sizeof(*gil));
	gil->interval_ns = (int64_t)(interval_s * 1e9);
	if (gil->interval_ns < 1000)
		gil->interval_ns = 1000;
	gil->cancel = cancel;
	gil->log_last_to = -1;
	gil->log = malloc(GIL_LOG_MAX * sizeof(*gil->log));
	if (!gil->log) {
		snprintf(err, errlen, "gil: out of memory");
		return -1;
	}
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&gil->mutex, NULL);
	pthread_cond_init(&gil->cond, &ca);
	pthread_cond_init(&gil->switch_cond, &ca);
	pthread_condattr_destroy(&ca);
	return 0;
}

/* Free a GIL nobody uses any more. */
void gil_destroy(struct gil *gil)
{
	if (!gil->log)
		return;
	pthread_mutex_destroy(&gil->mutex);
	pthread_cond_destroy(&gil->cond);
	pthread_cond_destroy(&gil->switch_cond);
	free(gil->log);
	gil->log = NULL;
	while (gil->timelines) {
		struct gil_timeline *next = gil->timelines->next;

		free(gil->timelines->e);
		free(gil->timelines->marks);
		free(gil->timelines);
		gil->timelines = next;
	}
}

/* Register a thread. */
void gil_thread_init(struct gil_thread *t, int id, atomic_int *breaker)
{
	memset(t, 0, sizeof(*t));
	t->id = id;
	t->breaker = breaker;
}

/* True once the run is cancelled. */
static bool gil_cancelled(const struct gil *gil)
{
	return gil->cancel && atomic_load_explicit(gil->cancel, memory_order_relaxed);
}

/* An absolute CLOCK_MONOTONIC deadline ns from now. */
static struct timespec gil_deadline(int64_t ns)
{
	int64_t t = engine_now_ns() + ns;

	return (struct timespec){.tv_sec = t / 1000000000, .tv_nsec = t % 1000000000};
}

/* Take the GIL: timed waits, a drop request on the holder after a quiet interval. */
int gil_take(struct gil *gil, struct gil_thread *t)
{
	int64_t t_start = engine_now_ns(), t_got;

	gil_unblock(t, t_start);
	gil_mark(t, GIL_ACT_WAIT, t_start);
	atomic_store_explicit(&t->wait_since, t_start, memory_order_relaxed);
	pthread_mutex_lock(&gil->mutex);
	gil->waiters++;
	while (gil->locked) {
		unsigned long saved = gil->switch_number;
		struct timespec dl = gil_deadline(gil->interval_ns);
		int rc;

		if (gil_cancelled(gil)) {
			gil->waiters--;
			pthread_cond_broadcast(
			    &gil->switch_cond); /* a forced dropper stops waiting */
			pthread_mutex_unlock(&gil->mutex);
			atomic_fetch_add(&t->wait_ns, engine_now_ns() - t_start);
			atomic_store_explicit(&t->wait_since, 0, memory_order_relaxed);
			gil_mark(t, GIL_ACT_OFF, engine_now_ns());
			return -1;
		}
		rc = pthread_cond_timedwait(&gil->cond, &gil->mutex, &dl);
		if (rc == ETIMEDOUT && gil->locked && gil->switch_number == saved && gil->holder)
			atomic_fetch_or(gil->holder->breaker, GIL_BREAK_DROP); /* never steal */
	}
	gil->waiters--;
	gil->locked = true;
	t_got = engine_now_ns();
	if (gil->holder != t) {
		gil->holder = t;
		gil->switch_number++;
	}
	if (gil->log_last_to != t->id) { /* the log says who holds it from now on */
		gil_log(gil, t_got, t->id, gil->last_drop_forced);
		gil->log_last_to = t->id;
	}
	gil->last_drop_forced = false;
	pthread_cond_broadcast(&gil->switch_cond);
	atomic_fetch_and(t->breaker, ~GIL_BREAK_DROP);
	pthread_mutex_unlock(&gil->mutex);
	t->holding = true;
	t->take_ns = t_got;
	atomic_fetch_add(&t->wait_ns, t_got - t_start);
	atomic_store_explicit(&t->wait_since, 0, memory_order_relaxed);
	atomic_store_explicit(&t->held_since, t_got, memory_order_relaxed);
	gil_mark(t, GIL_ACT_HOLD, t_got);
	return 0;
}

/* Drop the GIL; on a drop request wait until another thread has taken it. */
void gil_drop(struct gil *gil, struct gil_thread *t)
{
	gil_drop_to(gil, t, GIL_ACT_OFF);
}

/* Drop the GIL and say what comes next (the timeline's next activity). */
void gil_drop_to(struct gil *gil, struct gil_thread *t, enum gil_activity then)
{
	bool requested;
	int64_t now;

	if (!t->holding) {
		if (then == GIL_ACT_BLOCKED) { /* blocking without the GIL is still blocking */
			now = engine_now_ns();
			atomic_store_explicit(&t->blocked_since, now, memory_order_relaxed);
			gil_mark(t, GIL_ACT_BLOCKED, now);
		}
		return;
	}
	requested = atomic_load(t->breaker) & GIL_BREAK_DROP;
	pthread_mutex_lock(&gil->mutex);
	now = engine_now_ns();
	gil->locked = false;
	t->holding = false;
	atomic_fetch_add(&t->held_ns, now - t->take_ns);
	atomic_store_explicit(&t->held_since, 0, memory_order_relaxed);
	/* a forced drop goes straight to the waiter: its take is the log entry */
	if (!requested) {
		gil_log(gil, now, -1, false);
		gil->log_last_to = -1;
	}
	gil->last_drop_forced = requested;
	/* a forced drop waits for the switch, then takes it again: waiting */
	gil_mark(t, requested ? GIL_ACT_WAIT : then, now);
	if (!requested && then == GIL_ACT_BLOCKED)
		atomic_store_explicit(&t->blocked_since, now, memory_order_relaxed);
	if (requested)
		atomic_fetch_add(&gil->forced_switches, 1);
	pthread_cond_signal(&gil->cond);
	if (requested) {
		/* FORCE_SWITCHING: do not retake before a waiter got it */
		atomic_fetch_and(t->breaker, ~GIL_BREAK_DROP);
		atomic_store_explicit(&t->wait_since, now, memory_order_relaxed);
		while (gil->holder == t && gil->waiters > 0 && !gil_cancelled(gil)) {
			struct timespec dl = gil_deadline(gil->interval_ns);

			pthread_cond_timedwait(&gil->switch_cond, &gil->mutex, &dl);
		}
		/* waiting for the switch counts as waiting for the GIL */
		atomic_fetch_add(&t->wait_ns, engine_now_ns() - now);
		atomic_store_explicit(&t->wait_since, 0, memory_order_relaxed);
	}
	pthread_mutex_unlock(&gil->mutex);
}

/* Held and waiting time so far, including the current interval. */
void gil_thread_times(const struct gil_thread *t, int64_t now_ns, int64_t *held_ns,
                      int64_t *wait_ns)
{
	int64_t hs = atomic_load_explicit(&t->held_since, memory_order_relaxed);
	int64_t ws = atomic_load_explicit(&t->wait_since, memory_order_relaxed);

	*held_ns = atomic_load_explicit(&t->held_ns, memory_order_relaxed);
	*wait_ns = atomic_load_explicit(&t->wait_ns, memory_order_relaxed);
	if (hs && now_ns > hs)
		*held_ns += now_ns - hs;
	if (ws && now_ns > ws)
		*wait_ns += now_ns - ws;
}

/* Entries of the hand-off log that are complete. */
size_t gil_log_count(const struct gil *gil)
{
	return atomic_load_explicit(&gil->log_count, memory_order_acquire);
}

/* Times the holder changed. */
unsigned long gil_switches(struct gil *gil)
{
	unsigned long n;

	pthread_mutex_lock(&gil->mutex);
	n = gil->switch_number;
	pthread_mutex_unlock(&gil->mutex);
	return n;
}
