/*
 * test_tasks.c — the built-in tasks run directly (no pool): their results,
 * their output through task_printf, spin's CPU time, sleep's cancel, mixed's
 * CPU and I/O items, the counter, crash dying by SIGSEGV, and the table's
 * defaults and ranges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/task.h"

/* CPU seconds of this thread. */
static double thread_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wall seconds. */
static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The breaker handler of a plain context: -1 once cancelled. */
static int plain_break(struct task_ctx *ctx)
{
	return atomic_load(ctx->breaker) ? -1 : 0;
}

/* Task results: square, primes of known n. */
static void test_task_results(void **state)
{
	const struct task *sq = task_find("square"), *pr = task_find("primes");
	atomic_int brk = 0;
	struct task_ctx ctx = {.breaker = &brk, .out_fd = -1};
	int64_t r = 0;

	(void)state;
	assert_non_null(sq);
	assert_non_null(pr);
	assert_int_equal(sq->run(&ctx, 7, &r), 0);
	assert_int_equal(r, 49);
	assert_int_equal(sq->run(&ctx, -3037000499LL, &r), 0);
	assert_true(r > 0);
	assert_int_equal(pr->run(&ctx, 100, &r), 0);
	assert_int_equal(r, 25);
	assert_int_equal(pr->run(&ctx, 300000, &r), 0);
	assert_int_equal(r, 25997);
	assert_int_equal(pr->run(&ctx, 2, &r), 0);
	assert_int_equal(r, 0);
	assert_int_equal(pr->run(&ctx, 3, &r), 0);
	assert_int_equal(r, 1);
	assert_null(task_find("nope"));
	assert_int_equal(task_count, 9);
}

/* The task table: names, defaults and ranges. */
static void test_task_table(void **state)
{
	static const char *const names[] = {"square", "hello", "print",   "primes", "spin",
	                                    "sleep",  "mixed", "counter", "crash"};
	char err[ENGINE_ERRLEN];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct task *t = task_find(names[i]);

		assert_non_null(t);
		assert_non_null(t->default_items);
		assert_non_null(t->run);
	}
	assert_string_equal(task_find("square")->default_items, "1..5");
	assert_string_equal(task_find("primes")->default_items, "8x300000");
	assert_false(task_find("hello")->returns);
	assert_false(task_find("print")->returns);
	assert_int_equal(task_check_item(task_find("square"), 3037000500LL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "square"));
	assert_int_equal(task_check_item(task_find("spin"), 60001, err, sizeof(err)), -1);
	assert_int_equal(task_check_item(task_find("spin"), 60000, err, sizeof(err)), 0);
	assert_int_equal(task_check_item(task_find("mixed"), -60000, err, sizeof(err)), 0);
	assert_int_equal(task_check_item(task_find("mixed"), -60001, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "mixed"));
}

/* hello and print write their line through task_printf, in one write. */
static void test_printing(void **state)
{
	atomic_int brk = 0;
	int p[2];
	char buf[256] = "";
	int64_t r = 1;
	ssize_t n;
	struct task_ctx ctx = {.breaker = &brk};

	(void)state;
	assert_int_equal(pipe(p), 0);
	ctx.out_fd = p[1];
	assert_int_equal(task_find("hello")->run(&ctx, 1, &r), 0);
	assert_int_equal(r, 0);
	assert_int_equal(task_find("print")->run(&ctx, -42, &r), 0);
	close(p[1]);
	n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "Worker process is running.\n-42\n");
}

/* A long message still goes out whole. */
static void test_printf_long(void **state)
{
	atomic_int brk = 0;
	int p[2];
	char big[3000], got[4000];
	size_t have = 0;
	ssize_t n;
	struct task_ctx ctx = {.breaker = &brk};

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(pipe(p), 0);
	ctx.out_fd = p[1];
	assert_int_equal(task_printf(&ctx, "%s!", big), 3000);
	close(p[1]);
	while ((n = read(p[0], got + have, sizeof(got) - have)) > 0)
		have += (size_t)n;
	close(p[0]);
	assert_int_equal(have, 3000);
	assert_int_equal(got[2999], '!');
}

/* spin burns about n ms of this thread's CPU. */
static void test_spin_cpu(void **state)
{
	atomic_int brk = 0;
	struct task_ctx ctx = {.breaker = &brk, .on_break = plain_break};
	double c0 = thread_cpu_s(), used;
	int64_t r;

	(void)state;
	assert_int_equal(task_find("spin")->run(&ctx, 50, &r), 0);
	used = thread_cpu_s() - c0;
	assert_int_equal(r, 50);
	assert_true(used >= 0.050 && used < 0.2);
	/* a set breaker stops it at once */
	atomic_store(&brk, 1);
	c0 = thread_cpu_s();
	assert_int_equal(task_find("spin")->run(&ctx, 60000, &r), -1);
	assert_true(thread_cpu_s() - c0 < 0.05);
}

/* sleep blocks about n ms without CPU, and notices a cancel within a slice. */
static void test_sleep(void **state)
{
	atomic_int brk = 0, cancel = 0;
	struct task_ctx ctx = {.breaker = &brk, .on_break = plain_break, .cancel = &cancel};
	double t0 = wall_s(), c0 = thread_cpu_s();
	int64_t r;

	(void)state;
	assert_int_equal(task_find("sleep")->run(&ctx, 30, &r), 0);
	assert_true(wall_s() - t0 >= 0.030);
	assert_true(thread_cpu_s() - c0 < 0.01);
	atomic_store(&cancel, 1);
	t0 = wall_s();
	assert_int_equal(task_find("sleep")->run(&ctx, 60000, &r), -1);
	assert_true(wall_s() - t0 <
	            1); /* of a 60 s item: at once, with room for a loaded machine */
}

/* What the blocking hooks saw: GIL releases and retakes, and when to cancel. */
struct hooks_seen {
	int begins, ends; /* blocking_begin / blocking_end calls */
	bool inside;      /* between a begin and its end */
	bool nested;      /* a begin came while inside, or an end while outside */
	int cancel_after; /* set the cancel flag at this end (0: never) */
	int break_after;  /* set the breaker at this end (0: never) */
};

/* blocking_begin: the GIL is released around each I/O wait. */
static void hooks_begin(struct task_ctx *ctx)
{
	struct hooks_seen *h = ctx->backend;

	h->nested |= h->inside;
	h->inside = true;
	h->begins++;
}

/* blocking_end: the GIL is taken back; a cancel or a breaker may arrive here. */
static void hooks_end(struct task_ctx *ctx)
{
	struct hooks_seen *h = ctx->backend;

	h->nested |= !h->inside;
	h->inside = false;
	h->ends++;
	if (h->ends == h->cancel_after)
		atomic_store((atomic_int *)ctx->cancel, 1);
	if (h->ends == h->break_after)
		atomic_store(ctx->breaker, 1);
}

/* mixed, n < 0: |n| waits of 1 ms, each with the GIL released; returns its wall ms. */
static void test_mixed_io(void **state)
{
	atomic_int brk = 0, cancel = 0;
	struct hooks_seen h = {0};
	struct task_ctx ctx = {.breaker = &brk,
	                       .on_break = plain_break,
	                       .cancel = &cancel,
	                       .blocking_begin = hooks_begin,
	                       .blocking_end = hooks_end,
	                       .backend = &h};
	double t0 = wall_s(), c0 = thread_cpu_s(), took;
	int64_t r = -1;

	(void)state;
	assert_int_equal(task_find("mixed")->run(&ctx, -40, &r), 0);
	took = wall_s() - t0;
	assert_true(r >= 40);                    /* 40 waits of at least 1 ms */
	assert_true(r <= took * 1000 + 1);       /* its own wall time, no more */
	assert_true(thread_cpu_s() - c0 < 0.03); /* I/O-bound: hardly any CPU */
	assert_int_equal(h.begins, 40);          /* one release per operation */
	assert_int_equal(h.ends, 40);
	assert_false(h.nested);
	assert_false(h.inside);
	/* without a GIL's hooks it still waits */
	ctx.blocking_begin = ctx.blocking_end = NULL;
	assert_int_equal(task_find("mixed")->run(&ctx, -5, &r), 0);
	assert_true(r >= 5);
}

/* mixed, n >= 0: burns n ms of CPU like spin; returns its wall ms. */
static void test_mixed_cpu(void **state)
{
	atomic_int brk = 0, cancel = 0;
	struct hooks_seen h = {0};
	struct task_ctx ctx = {.breaker = &brk,
	                       .on_break = plain_break,
	                       .cancel = &cancel,
	                       .blocking_begin = hooks_begin,
	                       .blocking_end = hooks_end,
	                       .backend = &h};
	double t0 = wall_s(), c0 = thread_cpu_s(), used, took;
	int64_t r = -1;

	(void)state;
	assert_int_equal(task_find("mixed")->run(&ctx, 50, &r), 0);
	used = thread_cpu_s() - c0;
	took = wall_s() - t0;
	assert_true(used >= 0.050 && used < 0.2);
	assert_true(r >= 50 && r <= took * 1000 + 1);
	assert_int_equal(h.begins, 0); /* CPU-bound: never releases the GIL */
	assert_int_equal(task_find("mixed")->run(&ctx, 0, &r), 0);
	assert_true(r >= 0 && r < 50);
}

/* mixed stops at once on a cancel: during a wait, between operations, or at
 * its breaker (CPU item and I/O item alike), and never leaves the GIL released. */
static void test_mixed_cancel(void **state)
{
	atomic_int brk = 0, cancel = 1;
	struct hooks_seen h = {0};
	struct task_ctx ctx = {.breaker = &brk,
	                       .on_break = plain_break,
	                       .cancel = &cancel,
	                       .blocking_begin = hooks_begin,
	                       .blocking_end = hooks_end,
	                       .backend = &h};
	const struct task *mixed = task_find("mixed");
	double t0 = wall_s();
	int64_t r;

	(void)state;
	/* cancelled before: the first wait sees it */
	assert_int_equal(mixed->run(&ctx, -60000, &r), -1);
	assert_true(wall_s() - t0 <
	            1); /* of 60 s of waits: at once, with room for a loaded machine */
	assert_int_equal(h.begins, 1);
	assert_int_equal(h.ends, 1); /* the GIL is taken back before returning */
	/* cancelled as the 5th operation returns: no 6th */
	atomic_store(&cancel, 0);
	h = (struct hooks_seen){.cancel_after = 5};
	t0 = wall_s();
	assert_int_equal(mixed->run(&ctx, -60000, &r), -1);
	assert_true(wall_s() - t0 < 1);
	assert_int_equal(h.begins, 5);
	assert_int_equal(h.ends, 5);
	/* the breaker (a cancel as the pool sends it) stops the work under the GIL */
	atomic_store(&cancel, 0);
	h = (struct hooks_seen){.break_after = 3};
	assert_int_equal(mixed->run(&ctx, -60000, &r), -1);
	assert_int_equal(h.begins, 3);
	/* and the CPU item */
	t0 = wall_s();
	assert_int_equal(mixed->run(&ctx, 60000, &r), -1);
	assert_true(wall_s() - t0 < 1);
}

/* counter adds n and returns the counter after its adds. */
static void test_counter(void **state)
{
	atomic_int brk = 0;
	struct task_ctx ctx = {.breaker = &brk, .on_break = plain_break};
	int64_t r;

	(void)state;
	task_counter_reset();
	assert_int_equal(task_find("counter")->run(&ctx, 5000, &r), 0);
	assert_int_equal(r, 5000);
	assert_int_equal(task_find("counter")->run(&ctx, 3000, &r), 0);
	assert_int_equal(r, 8000);
	assert_int_equal(task_counter_read(), 8000);
	task_counter_reset();
	assert_int_equal(task_counter_read(), 0);
}

/* crash returns n unless n % 3 == 0, where its process dies by SIGSEGV. */
static void test_crash(void **state)
{
	atomic_int brk = 0;
	struct task_ctx ctx = {.breaker = &brk};
	int64_t r;
	int st;
	pid_t pid;

	(void)state;
	assert_int_equal(task_find("crash")->run(&ctx, 7, &r), 0);
	assert_int_equal(r, 7);
	assert_true(task_find("crash")->kills_worker);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		task_find("crash")->run(&ctx, 9, &r);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGSEGV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_task_results), cmocka_unit_test(test_task_table),
	    cmocka_unit_test(test_printing),     cmocka_unit_test(test_printf_long),
	    cmocka_unit_test(test_spin_cpu),     cmocka_unit_test(test_sleep),
	    cmocka_unit_test(test_mixed_io),     cmocka_unit_test(test_mixed_cpu),
	    cmocka_unit_test(test_mixed_cancel), cmocka_unit_test(test_counter),
	    cmocka_unit_test(test_crash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
