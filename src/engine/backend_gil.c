/*
 * backend_gil.c — threads serialized by the simulated CPython GIL (gil.c):
 * a worker takes the GIL as it starts (like a Python thread), lets go when a
 * waiter's drop request reaches its checkpoint, releases it around blocking
 * calls (the sleep task, like Py_BEGIN_ALLOW_THREADS) and drops it as it ends.
 */
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
	gil_drop(&slot->run->gil, &slot->gt);
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
	.name = "gil",
	.uses_gil = true,
	.start = pool_thread_start,
	.reap = pool_thread_reap,
	.kill = pool_thread_kill,
	.stop = pool_thread_stop,
	.cpu_ns = pool_thread_cpu_ns,
	.ctx_init = gilb_ctx_init,
	.worker_enter = gilb_enter,
	.worker_leave = gilb_leave,
};
