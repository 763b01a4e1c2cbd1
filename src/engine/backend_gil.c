/*
 * backend_gil.c — threads serialized by the simulated CPython GIL (gil.c):
 * a worker takes the GIL as it starts (like a Python thread), lets go when a
 * waiter's drop request reaches its checkpoint, releases it around blocking
 * calls (the sleep task, like Py_BEGIN_ALLOW_THREADS) and drops it as it ends.
 * Each thread records its own timeline (holding / waiting / blocked in I/O,
 * gil.c); every poll copies the new entries into the snapshot's worker lines.
 */
#include "engine/clock.h"
#include "engine/pool.h"

/* The slot whose task context this is. */
static struct pool_slot *gilb_slot(struct task_ctx *ctx)
{
	return ctx->backend;
}

/* Set the worker's state as the snapshot shows it. */
static void gilb_state(struct pool_slot *slot, enum worker_state st)
{
	atomic_store_explicit(&slot->run->job.wrec[slot->id].state, (int)st, memory_order_relaxed);
}

/* The eval breaker: cancel stops; a drop request drops and retakes the GIL. */
static int gilb_on_break(struct task_ctx *ctx)
{
	struct pool_slot *slot = gilb_slot(ctx);
	int b = atomic_load_explicit(ctx->breaker, memory_order_relaxed);

	if (b & GIL_BREAK_CANCEL)
		return -1;
	if ((b & GIL_BREAK_DROP) && slot->gt.holding) {
		gil_drop(&slot->run->gil, &slot->gt);
		gilb_state(slot, WORKER_GIL_WAIT);
		if (gil_take(&slot->run->gil, &slot->gt) < 0)
			return -1;
		gilb_state(slot, WORKER_RUNNING);
	}
	return 0;
}

/* Release the GIL around a blocking call. */
static void gilb_blocking_begin(struct task_ctx *ctx)
{
	struct pool_slot *slot = gilb_slot(ctx);

	gilb_state(slot, WORKER_BLOCKED);
	gil_drop_to(&slot->run->gil, &slot->gt, GIL_ACT_BLOCKED);
}

/* Take the GIL back after a blocking call. */
static void gilb_blocking_end(struct task_ctx *ctx)
{
	struct pool_slot *slot = gilb_slot(ctx);

	gilb_state(slot, WORKER_GIL_WAIT);
	if (gil_take(&slot->run->gil, &slot->gt) == 0)
		gilb_state(slot, WORKER_RUNNING);
}

/* Hook the GIL into a worker's task context. */
static void gilb_ctx_init(struct run *run, struct pool_slot *slot)
{
	slot->ctx.on_break = gilb_on_break;
	slot->ctx.blocking_begin = gilb_blocking_begin;
	slot->ctx.blocking_end = gilb_blocking_end;
	gil_thread_init(&slot->gt, slot->id, &run->job.wrec[slot->id].breaker);
	gil_thread_timeline(&run->gil, &slot->gt, 0, run->nw); /* none if out of memory */
}

/* Copy each thread's new timeline entries, in seconds, into its snapshot line. */
static void gilb_take_marks(struct run *run)
{
	int64_t now = engine_now_ns();

	for (int w = 0; w < run->nw; w++) {
		struct pool_slot *slot = &run->slots[w];
		struct worker_snap *ws = &run->wsnap[w];
		struct gil_timeline *tl = slot->gt.tl;

		ws->blocked_s = (double)gil_thread_blocked_ns(&slot->gt, now) / 1e9;
		if (!tl)
			continue;
		size_t n = atomic_load_explicit(&tl->n, memory_order_acquire);

		for (size_t i = tl->n_marks; i < n; i++)
			tl->marks[i] = (struct gil_mark){
			    .t_s = (double)(tl->e[i].t_ns - run->t0_ns) / 1e9,
			    .act = tl->e[i].act,
			};
		tl->n_marks = n;
		ws->gil_marks = tl->marks;
		ws->n_gil_marks = n;
		ws->gil_marks_dropped = atomic_load_explicit(&tl->dropped, memory_order_relaxed);
	}
}

/* Reap finished threads, then take their timelines (a joined thread's is complete). */
static void gilb_reap(struct run *run)
{
	pool_thread_reap(run);
	gilb_take_marks(run);
}

/* Stop every thread, then take what their timelines say. */
static void gilb_stop(struct run *run)
{
	pool_thread_stop(run);
	gilb_take_marks(run);
}

/* A worker thread starts: take the GIL. */
static int gilb_enter(struct run *run, struct pool_slot *slot)
{
	gilb_state(slot, WORKER_GIL_WAIT);
	return gil_take(&run->gil, &slot->gt);
}

/* A worker thread ends: drop the GIL. */
static void gilb_leave(struct run *run, struct pool_slot *slot)
{
	gil_drop(&run->gil, &slot->gt);
}

const struct backend_ops backend_gil_ops = {
    .kind = BACKEND_GIL,
    .gil_model = true,
    .start = pool_thread_start,
    .reap = gilb_reap,
    .kill = pool_thread_kill,
    .stop = gilb_stop,
    .cpu_ns = pool_thread_cpu_ns,
    .ctx_init = gilb_ctx_init,
    .worker_enter = gilb_enter,
    .worker_leave = gilb_leave,
};
