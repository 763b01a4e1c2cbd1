/*
 * task.c — the built-in tasks (what one item of a map does) and their table.
 *
 * Tasks run inside workers: a forked process or a thread. They print only
 * through task_printf (one write() to the worker's captured stdout) and call
 * task_checkpoint() in long loops, so the simulated GIL can ask them to let go
 * and a cancel can stop them.
 */
#include "engine/task.h"
#include "engine/clock.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The counter task's global: one per process, shared by threads. */
static atomic_long task_counter;

/* square: n*n (the seed's Pool.map example). */
static int task_square(struct task_ctx *ctx, int64_t n, int64_t *result)
{
	(void)ctx;
	*result = n * n;
	return 0;
}

/* hello: the seed's Process example prints one line. */
static int task_hello(struct task_ctx *ctx, int64_t n, int64_t *result)
{
	(void)n;
	*result = 0;
	task_printf(ctx, "Worker process is running.\n");
	return 0;
}

/* print: prints n (output order is not program order). */
static int task_print(struct task_ctx *ctx, int64_t n, int64_t *result)
{
	*result = 0;
	task_printf(ctx, "%" PRId64 "\n", n);
	return 0;
}

/* primes: counts primes below n by trial division, a checkpoint per candidate. */
static int task_primes(struct task_ctx *ctx, int64_t n, int64_t *result)
{
	int64_t count = n > 2 ? 1 : 0; /* 2 */

	for (uint32_t c = 3; (int64_t)c < n; c += 2) {
		bool prime = true;

		if (task_checkpoint(ctx) < 0)
			return -1;
		for (uint32_t d = 3; d * d <= c; d += 2) {
			if (c % d == 0) {
				prime = false;
				break;
			}
		}
		count += prime;
	}
	*result = count;
	return 0;
}

/* A few µs of CPU work that the compiler cannot drop (one step of a busy loop). */
static void task_work(void)
{
	static _Thread_local volatile uint64_t sink;

	for (int i = 0; i < 2000; i++)
		sink = sink * 6364136223846793005ULL + 1442695040888963407ULL;
}

/* Burn ns of this thread's CPU time, a checkpoint every few µs; -1 if cancelled. */
static int task_burn(struct task_ctx *ctx, int64_t ns)
{
	int64_t goal = engine_clock_ns(CLOCK_THREAD_CPUTIME_ID) + ns;

	for (;;) {
		task_work();
		if (task_checkpoint(ctx) < 0)
			return -1;
		if (engine_clock_ns(CLOCK_THREAD_CPUTIME_ID) >= goal)
			return 0;
	}
}

/* True once the run is cancelled (what a blocking wait checks: no breaker there). */
static bool task_cancelled(const struct task_ctx *ctx)
{
	return ctx->cancel && atomic_load_explicit(ctx->cancel, memory_order_relaxed);
}

/* Block until a CLOCK_MONOTONIC deadline, in slices of <= 10 ms; -1 if cancelled.
 * The caller releases the GIL around it (blocking_begin/blocking_end). */
static int task_block_until(struct task_ctx *ctx, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - engine_clock_ns(CLOCK_MONOTONIC);
		struct timespec ts;

		if (task_cancelled(ctx))
			return -1;
		if (left <= 0)
			return 0;
		if (left > 10000000)
			left = 10000000;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)left;
		nanosleep(&ts, NULL);
	}
}

/* spin: burns n ms of this thread's CPU time, checking the clock every few µs. */
static int task_spin(struct task_ctx *ctx, int64_t n, int64_t *result)
{
	if (task_burn(ctx, n * 1000000) < 0)
		return -1;
	*result = n;
	return 0;
}

/* sleep: blocks n ms (the GIL released around it), in slices of <= 10 ms. */
static int task_sleep(struct task_ctx *ctx, int64_t n, int64_t *result)
{
	int rc;

	if (ctx->blocking_begin)
		ctx->blocking_begin(ctx);
	rc = task_block_until(ctx, engine_clock_ns(CLOCK_MONOTONIC) + n * 1000000);
	if (ctx->blocking_end)
		ctx->blocking_end(ctx);
	*result = n;
	return rc;
}

/* mixed: n >= 0 burns n ms of CPU like spin; n < 0 does |n| I/O operations,
 * each a 1 ms blocking wait with the GIL released, then a few µs of work
 * under the GIL (handling what was read). Returns the item's wall time in
 * ms, so a map of one of each shows what a CPU-bound thread costs an
 * I/O-bound one under the GIL: the convoy effect (bpo-7946). */
static int task_mixed(struct task_ctx *ctx, int64_t n, int64_t *result)
{
	int64_t start = engine_clock_ns(CLOCK_MONOTONIC);

	if (n >= 0 && task_burn(ctx, n * 1000000) < 0)
		return -1;
	for (int64_t i = n; i < 0; i++) {
		int rc;

		if (ctx->blocking_begin)
			ctx->blocking_begin(ctx);
		rc = task_block_until(ctx, engine_clock_ns(CLOCK_MONOTONIC) + 1000000);
		if (ctx->blocking_end)
			ctx->blocking_end(ctx); /* the wait for the GIL: the convoy */
		if (rc < 0 || task_cancelled(ctx))
			return -1;
		task_work();
		if (task_checkpoint(ctx) < 0)
			return -1;
	}
	*result = (engine_clock_ns(CLOCK_MONOTONIC) - start) / 1000000;
	return 0;
}

/* counter: adds 1 to the global n times, as a relaxed load then a relaxed store
 * (defined C11, yet parallel threads lose updates, as Python's `counter += 1` can). */
static int task_counter_run(struct task_ctx *ctx, int64_t n, int64_t *result)
{
	for (int64_t i = 0; i < n; i++) {
		long v = atomic_load_explicit(&task_counter, memory_order_relaxed);

		atomic_store_explicit(&task_counter, v + 1, memory_order_relaxed);
		if ((i & 1023) == 1023 && task_checkpoint(ctx) < 0)
			return -1;
	}
	*result = atomic_load_explicit(&task_counter, memory_order_relaxed);
	return 0;
}

/* crash: dies by SIGSEGV when n % 3 == 0, else returns n. */
static int task_crash(struct task_ctx *ctx, int64_t n, int64_t *result)
{
	(void)ctx;
	if (n % 3 == 0) {
		sigset_t set;

		sigemptyset(&set);
		sigaddset(&set, SIGSEGV);
		signal(SIGSEGV, SIG_DFL); /* no sanitizer handler in the way */
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(SIGSEGV);
		abort(); /* not reached */
	}
	*result = n;
	return 0;
}

static const struct task task_square_def = {
    .name = "square",
    .summary = "returns n*n (the Pool.map example)",
    .item_meaning = "n: returns n*n, |n| <= 3037000499",
    .default_items = "1..5",
    .returns = true,
    .min_item = -3037000499LL,
    .max_item = 3037000499LL,
    .run = task_square,
};
static const struct task task_hello_def = {
    .name = "hello",
    .summary = "prints \"Worker process is running.\" (the Process example)",
    .item_meaning = "n: ignored, one line printed per item",
    .default_items = "1",
    .min_item = INT64_MIN,
    .max_item = INT64_MAX,
    .run = task_hello,
};
static const struct task task_print_def = {
    .name = "print",
    .summary = "prints n: output order is not program order",
    .item_meaning = "n: printed",
    .default_items = "0..3",
    .min_item = INT64_MIN,
    .max_item = INT64_MAX,
    .run = task_print,
};
static const struct task task_primes_def = {
    .name = "primes",
    .summary = "counts primes below n by trial division (CPU-bound)",
    .item_meaning = "n: primes below n, 0..100000000",
    .default_items = "8x300000",
    .returns = true,
    .cpu_bound = true,
    .min_item = 0,
    .max_item = 100000000,
    .run = task_primes,
};
static const struct task task_spin_def = {
    .name = "spin",
    .summary = "burns n ms of CPU (CPU-bound, known duration)",
    .item_meaning = "n: milliseconds of CPU, 0..60000",
    .default_items = "8x200",
    .returns = true,
    .cpu_bound = true,
    .min_item = 0,
    .max_item = 60000,
    .run = task_spin,
};
static const struct task task_sleep_def = {
    .name = "sleep",
    .summary = "blocks n ms, releasing the GIL (I/O-bound)",
    .item_meaning = "n: milliseconds asleep, 0..60000",
    .default_items = "8x100",
    .returns = true,
    .min_item = 0,
    .max_item = 60000,
    .run = task_sleep,
};
static const struct task task_mixed_def = {
    .name = "mixed",
    .summary = "CPU (n ms) or I/O (-n waits of 1 ms); returns its wall ms: the convoy effect",
    .item_meaning = "n >= 0: burns n ms of CPU (like spin); n < 0: |n| I/O operations, each a "
                    "1 ms wait with the GIL released (like sleep), then a few µs of CPU under "
                    "the GIL; returns the item's wall time in ms; -60000..60000",
    .default_items = "2000,-200",
    .returns = true,
    .cpu_bound = true,
    .min_item = -60000,
    .max_item = 60000,
    .run = task_mixed,
};
static const struct task task_counter_def = {
    .name = "counter",
    .summary = "adds 1 to a global counter n times (shared by threads, copied by processes)",
    .item_meaning = "n: additions, 0..100000000; returns the counter after them",
    .default_items = "4x100000",
    .returns = true,
    .cpu_bound = true,
    .min_item = 0,
    .max_item = 100000000,
    .run = task_counter_run,
};
static const struct task task_crash_def = {
    .name = "crash",
    .summary = "dies by SIGSEGV when n % 3 == 0, else returns n (process only)",
    .item_meaning = "n: returned, or the worker dies when n % 3 == 0",
    .default_items = "1..10",
    .returns = true,
    .kills_worker = true,
    .min_item = -1000000000,
    .max_item = 1000000000,
    .run = task_crash,
};

const struct task *const task_table[] = {
    &task_square_def, &task_hello_def, &task_print_def,   &task_primes_def, &task_spin_def,
    &task_sleep_def,  &task_mixed_def, &task_counter_def, &task_crash_def,
};
const size_t task_count = sizeof(task_table) / sizeof(task_table[0]);

/* Find a task by name; NULL if none. */
const struct task *task_find(const char *name)
{
	for (size_t i = 0; name && i < task_count; i++)
		if (strcmp(task_table[i]->name, name) == 0)
			return task_table[i];
	return NULL;
}

/* Check one item against the task's range. */
int task_check_item(const struct task *task, int64_t n, char *err, size_t errlen)
{
	if (n >= task->min_item && n <= task->max_item)
		return 0;
	snprintf(err, errlen,
	         "item %" PRId64 " is out of range for %s (allowed: %" PRId64 "..%" PRId64 ")", n,
	         task->name, task->min_item, task->max_item);
	return -1;
}

/* printf to the worker's captured stdout, in one write(). */
int task_printf(struct task_ctx *ctx, const char *fmt, ...)
{
	char buf[1024];
	char *p = buf;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len < 0)
		return -1;
	if ((size_t)len >= sizeof(buf)) {
		p = malloc((size_t)len + 1);
		if (!p)
			return -1;
		va_start(ap, fmt);
		vsnprintf(p, (size_t)len + 1, fmt, ap);
		va_end(ap);
	}
	for (size_t off = 0; off < (size_t)len;) {
		ssize_t w = write(ctx->out_fd, p + off, (size_t)len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			len = -1;
			break;
		}
		off += (size_t)w;
	}
	if (p != buf)
		free(p);
	return len;
}

/* The counter as this process sees it. */
long task_counter_read(void)
{
	return atomic_load(&task_counter);
}

/* Back to zero (at the start of a run). */
void task_counter_reset(void)
{
	atomic_store(&task_counter, 0);
}
