/*
 * task.h — the built-in tasks: what one item of a map does. A table of
 * `struct task`, looked up by name. Tasks run inside workers (a forked
 * process or a thread); they print only through task_printf, which writes to
 * the worker's captured stdout, and they call task_checkpoint() often in
 * long loops so the simulated GIL can ask them to let go (CPython's eval
 * breaker) and a cancel can stop them.
 */
#ifndef MPTUTOR_TASK_H
#define MPTUTOR_TASK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a worker hands the task it runs. */
struct task_ctx {
	int worker;          /* worker slot id */
	int out_fd;          /* the worker's captured stdout */
	atomic_int *breaker; /* nonzero: call ctx->on_break (GIL drop request or cancel) */
	int (*on_break)(struct task_ctx *ctx); /* gil: drop and retake; returns -1 if cancelled */
	void (*blocking_begin)(struct task_ctx *ctx); /* gil: release around a blocking call */
	void (*blocking_end)(struct task_ctx *ctx);
	void *backend; /* the backend's own per-worker data */
	const atomic_int
	    *cancel; /* nonzero once the run is cancelled (checked in blocking loops) */
};

/* One built-in task. */
struct task {
	const char *name;           /* "square" */
	const char *summary;        /* one line for `mptutor tasks` */
	const char *item_meaning;   /* "n: returns n*n" */
	const char *default_items;  /* ITEMS when none is given, e.g. "1..5" */
	bool returns;               /* false: the result is None (hello, print) */
	bool cpu_bound;             /* true: keeps a core busy */
	bool kills_worker;          /* true: may kill its worker (crash): process only */
	int64_t min_item, max_item; /* the range an item must be in */
	/* Run one item; returns 0 with *result set, or -1 if cancelled. */
	int (*run)(struct task_ctx *ctx, int64_t n, int64_t *result);
};

/* The table, NULL-terminated by count. */
extern const struct task *const task_table[];
extern const size_t task_count;

/* Find a task by name; NULL if none. */
const struct task *task_find(const char *name);

/* Check one item against the task's range; -1 with a message if outside. */
int task_check_item(const struct task *task, int64_t n, char *err, size_t errlen);

/* printf to the worker's captured stdout (one write per call). */
int task_printf(struct task_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The eval breaker: one relaxed load when nothing is asked; -1 if cancelled.
 * A cancel sets every worker's breaker, so this is the only check needed. */
static inline int task_checkpoint(struct task_ctx *ctx)
{
	if (__builtin_expect(atomic_load_explicit(ctx->breaker, memory_order_relaxed) != 0, 0))
		return ctx->on_break(ctx);
	return 0;
}

/* The counter task's global: each process has its own copy, threads share it. */
long task_counter_read(void);
void task_counter_reset(void);

#endif
