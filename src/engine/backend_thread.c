/*
 * backend_thread.c — the thread pool: pthreads in the calling process running
 * free, as C threads (or free-threaded Python) do. Each worker prints into a
 * pipe of its own, drained by run_poll, and stores its thread CPU time as it
 * ends. The gil and serial backends are this pool with hooks (a simulated
 * GIL taken around the loop) or with one worker.
 */
#include "engine/clock.h"
#include "engine/pool.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A worker thread: wait at the gate, run the loop, record its CPU, say it is done. */
static void *thr_main(void *arg)
{
	struct pool_slot *slot = arg;
	struct run *run = slot->run;
	struct pool_wrec *w = &run->job.wrec[slot->id];
	struct timespec ts;

	pool_worker_nice(&run->job);
	atomic_store_explicit(&w->tid, (int)gettid(), memory_order_relaxed);
	atomic_store_explicit(&w->state, WORKER_IDLE, memory_order_relaxed);
	pool_gate_wait(&run->job, slot->id);
	if (!run->ops->worker_enter || run->ops->worker_enter(run, slot) == 0)
		pool_worker_loop(&run->job, slot->id, &slot->ctx, run->efd);
	if (run->ops->worker_leave)
		run->ops->worker_leave(run, slot);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	atomic_store(&w->cpu_ns, (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
	atomic_store_explicit(&w->state, WORKER_IDLE, memory_order_relaxed);
	atomic_store_explicit(&w->done, 1, memory_order_release);
	pool_wake(run->efd);
	return NULL;
}

/* Join one finished thread and close its pipe. */
static void thr_join(struct run *run, struct pool_slot *slot)
{
	struct pool_wrec *w = &run->job.wrec[slot->id];

	pthread_join(slot->thread, NULL);
	slot->alive = false;
	slot->cpu_gone_ns += atomic_load(&w->cpu_ns);
	if (slot->out_wr >= 0)
		close(slot->out_wr);
	slot->out_wr = -1;
	pool_drain(&run->out, slot, true);
	pool_flush_partial(&run->out, slot);
	if (slot->out_rd >= 0)
		close(slot->out_rd);
	slot->out_rd = -1;
}

/* Join every thread that has finished, without blocking. */
void pool_thread_reap(struct run *run)
{
	for (int i = 0; i < run->nw; i++) {
		struct pool_slot *slot = &run->slots[i];

		if (slot->alive &&
		    atomic_load_explicit(&run->job.wrec[i].done, memory_order_acquire))
			thr_join(run, slot);
	}
}

/* Threads cannot be killed: they stop at their next checkpoint. */
void pool_thread_kill(struct run *run)
{
	(void)run;
}

/* Block until every thread is joined, draining their pipes meanwhile. */
void pool_thread_stop(struct run *run)
{
	for (;;) {
		struct pollfd pfd[1 + ENGINE_MAX_WORKERS];
		int n = 0, alive = 0;

		pool_thread_reap(run);
		for (int i = 0; i < run->nw; i++) {
			struct pool_slot *slot = &run->slots[i];

			if (!slot->alive)
				continue;
			alive++;
			pool_drain(&run->out, slot, false);
			if (slot->out_rd >= 0)
				pfd[n++] = (struct pollfd){.fd = slot->out_rd, .events = POLLIN};
		}
		if (!alive)
			return;
		pfd[n++] = (struct pollfd){.fd = run->efd, .events = POLLIN};
		if (poll(pfd, (nfds_t)n, 10) > 0) {
			uint64_t v;
			ssize_t r = read(run->efd, &v, sizeof(v));

			(void)r;
		}
	}
}

/* Create every thread (they wait at the gate); on a failure stop the ones made. */
int pool_thread_start(struct run *run, char *err, size_t errlen)
{
	for (int i = 0; i < run->nw; i++) {
		struct pool_slot *slot = &run->slots[i];
		struct pool_wrec *w = &run->job.wrec[i];
		int rc;

		if (pool_slot_pipe(slot) < 0) {
			snprintf(err, errlen, "cannot start worker %d of %d: pipe: %s", i + 1,
			         run->nw, strerror(errno));
			goto fail;
		}
		slot->ctx = (struct task_ctx){
		    .worker = i,
		    .out_fd = slot->out_wr,
		    .breaker = &w->breaker,
		    .on_break = pool_plain_on_break,
		    .backend = slot,
		    .cancel = &run->job.head->cancel,
		};
		if (run->ops->ctx_init)
			run->ops->ctx_init(run, slot);
		atomic_store(&w->state, WORKER_STARTING);
		rc = pthread_create(&slot->thread, NULL, thr_main, slot);
		if (rc != 0) {
			close(slot->out_rd);
			close(slot->out_wr);
			slot->out_rd = slot->out_wr = -1;
			snprintf(err, errlen, "cannot start worker %d of %d: pthread_create: %s",
			         i + 1, run->nw, strerror(rc));
			goto fail;
		}
		slot->alive = true;
		slot->pid = getpid();
		slot->pct_t_ns = engine_now_ns();
	}
	return 0;
fail:
	/* the threads made so far pass the gate, see the cancel and end */
	run->cancelled = true;
	atomic_store(&run->job.head->cancel, 1);
	for (int i = 0; i < run->nw; i++)
		atomic_fetch_or(&run->job.wrec[i].breaker, GIL_BREAK_CANCEL);
	pool_gate_open(run->job.head);
	pool_thread_stop(run);
	return -1;
}

/* Live CPU time of a worker thread (its stored value once it ended). */
int64_t pool_thread_cpu_ns(struct run *run, struct pool_slot *slot)
{
	clockid_t cid;
	struct timespec ts;

	if (atomic_load_explicit(&run->job.wrec[slot->id].done, memory_order_acquire))
		return atomic_load(&run->job.wrec[slot->id].cpu_ns);
	if (pthread_getcpuclockid(slot->thread, &cid) != 0 || clock_gettime(cid, &ts) != 0)
		return -1;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

const struct backend_ops backend_thread_ops = {
    .kind = BACKEND_THREAD,
    .start = pool_thread_start,
    .reap = pool_thread_reap,
    .kill = pool_thread_kill,
    .stop = pool_thread_stop,
    .cpu_ns = pool_thread_cpu_ns,
};
