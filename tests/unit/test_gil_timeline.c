/*
 * test_gil_timeline.c — what each GIL thread records about itself: holding,
 * waiting for the GIL, blocked in I/O with the GIL released, in time order;
 * the blocked time it adds up; a waiter that really waits; the cap; and the
 * timeline as a gil run's snapshot shows it (an I/O-bound thread alone is
 * blocked, never waiting).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/gil.h"
#include "engine/task.h"

/* Sleep ms milliseconds. */
static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* The activities of a timeline, as a string: "WHBWHO". */
static void tl_acts(const struct gil_thread *t, char *buf, size_t size)
{
	static const char letter[] = {'O', 'H', 'W', 'B'};
	size_t n = atomic_load(&t->tl->n), k = 0;
	for (size_t i = 0; i < n && k + 1 < size; i++)
		buf[k++] = letter[t->tl->e[i].act];
	buf[k] = 0;
}

/* One thread: take, block in I/O, take again, end — each change recorded once, in order. */
static void test_transitions(void **state)
{
	(void)state;
	struct gil gil;
	struct gil_thread t;
	atomic_int breaker = 0;
	char err[128], acts[32];
	assert_int_equal(gil_init(&gil, 0.005, NULL, err, sizeof err), 0);
	gil_thread_init(&t, 0, &breaker);
	assert_int_equal(gil_thread_timeline(&gil, &t, 0, 1), 0);
	assert_int_equal(gil_take(&gil, &t), 0);
	gil_drop_to(&gil, &t, GIL_ACT_BLOCKED);
	sleep_ms(30);
	assert_true(gil_thread_blocked_ns(&t, engine_now_ns()) >=
	            25000000); /* counted while blocked */
	assert_int_equal(gil_take(&gil, &t), 0);
	gil_drop(&gil, &t);
	tl_acts(&t, acts, sizeof acts);
	assert_string_equal(acts, "WHBWHO");
	for (size_t i = 1; i < atomic_load(&t.tl->n); i++)
		assert_true(t.tl->e[i].t_ns >= t.tl->e[i - 1].t_ns);
	/* the blocked stretch is the 30 ms sleep, and it is what blocked_ns says */
	int64_t blocked = t.tl->e[3].t_ns - t.tl->e[2].t_ns;
	assert_true(blocked >= 25000000);
	assert_int_equal(atomic_load(&t.blocked_ns), blocked);
	assert_int_equal(atomic_load(&t.blocked_since), 0);
	/* held and waiting times leave the blocked time out */
	int64_t held, wait;
	gil_thread_times(&t, engine_now_ns(), &held, &wait);
	assert_true(held + wait < blocked);
	gil_destroy(&gil);
}

/* A holder that checks its breaker, as a task's checkpoint does. */
struct holder_arg {
	struct gil *gil;
	struct gil_thread *t;
	atomic_int *breaker;
	atomic_int stop;
};

/* Hold the GIL, dropping and retaking it on request, until told to stop. */
static void *holder_main(void *p)
{
	struct holder_arg *a = p;
	gil_take(a->gil, a->t);
	while (!atomic_load(&a->stop)) {
		if (atomic_load(a->breaker) & GIL_BREAK_DROP) {
			gil_drop(a->gil, a->t);
			gil_take(a->gil, a->t);
		}
	}
	gil_drop(a->gil, a->t);
	return NULL;
}

/* Two threads: the one that asks while the other holds really waits (W before H). */
static void test_waiter_waits(void **state)
{
	(void)state;
	struct gil gil;
	struct gil_thread ta, tb;
	atomic_int ba = 0, bb = 0;
	char err[128];
	assert_int_equal(gil_init(&gil, 0.005, NULL, err, sizeof err), 0);
	gil_thread_init(&ta, 0, &ba);
	gil_thread_init(&tb, 1, &bb);
	assert_int_equal(gil_thread_timeline(&gil, &ta, 0, 2), 0);
	assert_int_equal(gil_thread_timeline(&gil, &tb, 0, 2), 0);
	struct holder_arg a = {.gil = &gil, .t = &ta, .breaker = &ba};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, holder_main, &a), 0);
	while (atomic_load(&ta.tl->n) < 2) /* until it holds */
		sleep_ms(1);
	assert_int_equal(gil_take(&gil, &tb), 0);
	gil_drop(&gil, &tb);
	atomic_store(&a.stop, 1);
	pthread_join(th, NULL);
	/* b waited a switch interval or so before it held */
	assert_true(atomic_load(&tb.tl->n) >= 3);
	assert_int_equal(tb.tl->e[0].act, GIL_ACT_WAIT);
	assert_int_equal(tb.tl->e[1].act, GIL_ACT_HOLD);
	assert_true(tb.tl->e[1].t_ns - tb.tl->e[0].t_ns >= 1000000);
	/* a was asked to drop: it waited for the switch, then held again */
	char acts[64];
	tl_acts(&ta, acts, sizeof acts);
	assert_non_null(strstr(acts, "WHWH"));
	assert_int_equal(atomic_load(&tb.blocked_ns), 0);
	gil_destroy(&gil);
}

/* Past the cap, changes are counted, not written. */
static void test_cap(void **state)
{
	(void)state;
	struct gil gil;
	struct gil_thread t;
	atomic_int breaker = 0;
	char err[128];
	assert_int_equal(gil_init(&gil, 0.005, NULL, err, sizeof err), 0);
	gil_thread_init(&t, 0, &breaker);
	assert_int_equal(gil_thread_timeline(&gil, &t, 4, 1), 0);
	for (int i = 0; i < 3; i++) {
		gil_take(&gil, &t);
		gil_drop_to(&gil, &t, GIL_ACT_BLOCKED);
	}
	assert_int_equal(atomic_load(&t.tl->n), 4);
	assert_int_equal(atomic_load(&t.tl->dropped), 5);
	gil_destroy(&gil);
}

/* A gil run's snapshot: one I/O-bound thread is blocked, not waiting for the GIL. */
static void test_snapshot_io(void **state)
{
	(void)state;
	int64_t items[1] = {-30};
	struct run_spec spec = {.task = task_find("mixed"),
	                        .backend = BACKEND_GIL,
	                        .workers = 1,
	                        .chunksize = 1,
	                        .switch_interval_s = 0.005,
	                        .items = items,
	                        .n_items = 1};
	struct run *run;
	struct run_snapshot snap;
	char err[ENGINE_ERRLEN];
	assert_non_null(spec.task);
	assert_int_equal(run_start(&spec, &run, err, sizeof err), 0);
	assert_int_equal(run_wait(run, -1, &snap), 0);
	assert_int_equal(snap.state, RUN_DONE);
	const struct worker_snap *ws = &snap.per_worker[0];
	assert_true(ws->n_gil_marks >= 4);
	double t[4] = {0};
	for (size_t i = 0; i < ws->n_gil_marks; i++) {
		const struct gil_mark *m = &ws->gil_marks[i];
		double end = i + 1 < ws->n_gil_marks ? ws->gil_marks[i + 1].t_s : snap.wall_s;
		assert_true(m->act >= GIL_MARK_OFF && m->act <= GIL_MARK_BLOCKED);
		if (i)
			assert_true(m->t_s >= ws->gil_marks[i - 1].t_s);
		t[m->act] += end - m->t_s;
	}
	/* 30 waits of 1 ms: most of the time blocked; alone, it hardly waits */
	assert_true(ws->blocked_s >= 0.025);
	assert_true(t[GIL_MARK_BLOCKED] >= 0.025);
	assert_true(t[GIL_MARK_WAIT] < t[GIL_MARK_BLOCKED] / 2);
	assert_true(ws->gil_wait_s < ws->blocked_s / 2);
	run_free(run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_transitions),
	    cmocka_unit_test(test_waiter_waits),
	    cmocka_unit_test(test_cap),
	    cmocka_unit_test(test_snapshot_io),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
