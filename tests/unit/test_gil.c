/*
 * test_gil.c — the simulated GIL on its own: never two holders, forced
 * switching between two CPU-bound threads (both progress, hand-offs roughly
 * an interval apart), a thread blocked outside it does not hold it, held and
 * waiting times add up, and nothing deadlocks at shutdown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "engine/clock.h"
#include "engine/gil.h"

#define INTERVAL_S 0.002

/* One test thread's state. */
struct tthread {
	struct gil *gil;
	struct gil_thread gt;
	atomic_int breaker;       /* drop requests arrive here */
	atomic_int *holders;      /* threads holding the GIL now (shared) */
	atomic_int *violations;   /* times two held it at once (shared) */
	atomic_long progress;     /* work units done */
	int64_t run_ns;           /* how long to keep going */
	bool sleeper;             /* releases it around sleeps */
	int64_t start_ns, end_ns; /* its life, CLOCK_MONOTONIC */
	int64_t wall_ns;          /* end - start */
};

/* Busy for about n µs of wall time. */
static void burn_us(int n)
{
	int64_t end = engine_now_ns() + (int64_t)n * 1000;

	while (engine_now_ns() < end)
		;
}

/* Keep working? Until run_ns has passed and the GIL has been taken away
 * twice: a thread descheduled for the whole of run_ns on a loaded machine
 * must still meet the other one. At most 10 s more, so a GIL that never
 * switches fails the test instead of hanging it. */
static bool tthread_going(const struct tthread *t, int64_t end)
{
	int64_t now = engine_now_ns();

	return now < end ||
	       (atomic_load(&t->gil->forced_switches) < 2 && now < end + 10000000000LL);
}

/* A thread that takes the GIL, works, honours drop requests, drops it at the end. */
static void *tthread_main(void *arg)
{
	struct tthread *t = arg;
	int64_t start = engine_now_ns(), end = start + t->run_ns;

	if (gil_take(t->gil, &t->gt) < 0)
		return NULL;
	atomic_fetch_add(t->holders, 1);
	while (tthread_going(t, end)) {
		if (atomic_load(t->holders) != 1)
			atomic_fetch_add(t->violations, 1);
		burn_us(20);
		atomic_fetch_add(&t->progress, 1);
		if (t->sleeper) {
			struct timespec ts = {0, 3000000};

			atomic_fetch_sub(t->holders, 1);
			gil_drop(t->gil, &t->gt);
			nanosleep(&ts, NULL);
			gil_take(t->gil, &t->gt);
			atomic_fetch_add(t->holders, 1);
		} else if (atomic_load(&t->breaker) & GIL_BREAK_DROP) { /* the eval breaker */
			atomic_fetch_sub(t->holders, 1);
			gil_drop(t->gil, &t->gt);
			gil_take(t->gil, &t->gt);
			atomic_fetch_add(t->holders, 1);
		}
	}
	atomic_fetch_sub(t->holders, 1);
	gil_drop(t->gil, &t->gt);
	t->start_ns = start;
	t->end_ns = engine_now_ns();
	t->wall_ns = t->end_ns - start;
	return NULL;
}

/* Run n threads for run_ms against one GIL. */
static void run_threads(struct gil *gil, struct tthread *t, int n, int run_ms, int sleeper,
                        atomic_int *holders, atomic_int *violations)
{
	pthread_t th[4];

	for (int i = 0; i < n; i++) {
		t[i].gil = gil;
		atomic_init(&t[i].breaker, 0);
		atomic_init(&t[i].progress, 0);
		t[i].holders = holders;
		t[i].violations = violations;
		t[i].run_ns = (int64_t)run_ms * 1000000;
		t[i].sleeper = i == sleeper;
		gil_thread_init(&t[i].gt, i, &t[i].breaker);
	}
	for (int i = 0; i < n; i++)
		assert_int_equal(pthread_create(&th[i], NULL, tthread_main, &t[i]), 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
}

/* Two CPU-bound threads: one holder at a time, both progress, forced switches. */
static void test_forced_switching(void **state)
{
	struct gil gil;
	struct tthread t[2];
	atomic_int holders = 0, violations = 0;
	char err[128];
	unsigned long switches;
	size_t n, forced = 0;

	(void)state;
	assert_int_equal(gil_init(&gil, INTERVAL_S, NULL, err, sizeof(err)), 0);
	run_threads(&gil, t, 2, 120, -1, &holders, &violations);
	assert_int_equal(atomic_load(&violations), 0);
	assert_true(atomic_load(&t[0].progress) > 0);
	assert_true(atomic_load(&t[1].progress) > 0);
	switches = gil_switches(&gil);
	assert_true(switches >= 4);
	assert_true(atomic_load(&gil.forced_switches) >= 2);
	n = gil_log_count(&gil);
	assert_true(n >= switches);
	for (size_t i = 1; i < n; i++) {
		assert_true(gil.log[i].t_ns >= gil.log[i - 1].t_ns);
		/* each entry names a new holder (or nobody) */
		assert_int_not_equal(gil.log[i].to, gil.log[i - 1].to);
		forced += gil.log[i].forced;
	}
	assert_true(forced >= 2);                /* CPU-bound threads only let go when asked */
	assert_int_equal(gil.log[n - 1].to, -1); /* the last one left: nobody holds it */
	/* hand-offs come about an interval apart (a waiter asks only after one
	 * quiet interval): on average never closer than half an interval */
	assert_true((double)(gil.log[n - 1].t_ns - gil.log[0].t_ns) / (double)(switches - 1) >=
	            INTERVAL_S * 1e9 / 2);
	gil_destroy(&gil);
}

/* Held + waiting cover each thread's life; the GIL is held by one at a time. */
static void test_times_add_up(void **state)
{
	struct gil gil;
	struct tthread t[2];
	atomic_int holders = 0, violations = 0;
	char err[128];
	int64_t held_sum = 0, span;

	(void)state;
	assert_int_equal(gil_init(&gil, INTERVAL_S, NULL, err, sizeof(err)), 0);
	run_threads(&gil, t, 2, 80, -1, &holders, &violations);
	for (int i = 0; i < 2; i++) {
		int64_t held, wait;

		gil_thread_times(&t[i].gt, engine_now_ns(), &held, &wait);
		held_sum += held;
		/* a thread is always either holding or waiting: the sum is its wall time */
		assert_true(held + wait <= t[i].wall_ns + 2000000);
		assert_true(held + wait >= t[i].wall_ns * 9 / 10);
	}
	/* never two holders, so the holds fit in the span from the first start to the last end */
	span = (t[0].end_ns > t[1].end_ns ? t[0].end_ns : t[1].end_ns) -
	       (t[0].start_ns < t[1].start_ns ? t[0].start_ns : t[1].start_ns);
	assert_true(held_sum <= span + 1000000);
	gil_destroy(&gil);
}

/* A thread that sleeps with the GIL released does not hold it while asleep. */
static void test_sleeper_releases(void **state)
{
	struct gil gil;
	struct tthread t[2];
	atomic_int holders = 0, violations = 0;
	char err[128];
	int64_t held, wait;

	(void)state;
	assert_int_equal(gil_init(&gil, INTERVAL_S, NULL, err, sizeof(err)), 0);
	run_threads(&gil, t, 2, 100, 1, &holders, &violations);
	assert_int_equal(atomic_load(&violations), 0);
	gil_thread_times(&t[1].gt, engine_now_ns(), &held, &wait);
	/* it spends ~3 ms asleep per ~20 µs of work: it held the GIL a small part of its life */
	assert_true(held < t[1].wall_ns / 4);
	/* and the CPU-bound thread got the GIL most of the time */
	gil_thread_times(&t[0].gt, engine_now_ns(), &held, &wait);
	assert_true(held > t[0].wall_ns / 2);
	gil_destroy(&gil);
}

/* Cancel while waiting: gil_take gives up, nothing deadlocks. */
struct cancel_arg {
	struct gil *gil;
	struct gil_thread gt;
	atomic_int breaker;
	int rc;
};

/* Try to take a GIL somebody else holds. */
static void *cancel_waiter(void *arg)
{
	struct cancel_arg *a = arg;

	a->rc = gil_take(a->gil, &a->gt);
	return NULL;
}

/* A waiter gives up once the run is cancelled; the holder's drop does not hang. */
static void test_cancel_no_deadlock(void **state)
{
	struct gil gil;
	atomic_int cancel = 0, brk0 = 0;
	struct gil_thread holder;
	struct cancel_arg a = {.gil = &gil, .rc = 7};
	pthread_t th;
	char err[128];

	(void)state;
	assert_int_equal(gil_init(&gil, INTERVAL_S, &cancel, err, sizeof(err)), 0);
	gil_thread_init(&holder, 0, &brk0);
	atomic_init(&a.breaker, 0);
	gil_thread_init(&a.gt, 1, &a.breaker);
	assert_int_equal(gil_take(&gil, &holder), 0);
	assert_int_equal(pthread_create(&th, NULL, cancel_waiter, &a), 0);
	/* the waiter times out (an interval) and asks the holder to drop; on a
	 * loaded machine it may take a while to be scheduled at all */
	for (int i = 0; i < 5000 && !(atomic_load(&brk0) & GIL_BREAK_DROP); i++)
		usleep(1000);
	assert_true(atomic_load(&brk0) & GIL_BREAK_DROP);
	atomic_store(&cancel, 1);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(a.rc, -1);
	gil_drop(&gil, &holder); /* requested, but the waiter is gone: returns */
	gil_destroy(&gil);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_forced_switching),
	    cmocka_unit_test(test_times_add_up),
	    cmocka_unit_test(test_sleeper_releases),
	    cmocka_unit_test(test_cancel_no_deadlock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
