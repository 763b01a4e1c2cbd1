/*
 * pool.c — what every backend shares: the arena, the start gate, the worker
 * loop (claim a chunk, run its items, record them), and the parent's side of
 * failed items and captured output.
 */
#include "engine/pool.h"
#include "engine/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Round up to a cache line. */
static size_t pool_line_up(size_t n)
{
	return (n + POOL_LINE - 1) & ~(size_t)(POOL_LINE - 1);
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_READ 22 /* Linux 5.14; older kernels refuse them and pages fault on use */
#define MADV_POPULATE_WRITE 23
#endif

/* Map and lay out the arena, its pages faulted in now (see pool.h). */
int pool_arena_map(struct pool_job *job, int workers, bool shared, char *err, size_t errlen)
{
	size_t off_w = pool_line_up(sizeof(struct pool_head));
	size_t off_i = off_w + pool_line_up((size_t)workers * sizeof(struct pool_wrec));
	size_t off_o = off_i + pool_line_up(job->n_items * sizeof(struct pool_item));
	size_t size = off_o + job->n_items * sizeof(atomic_uint);
	int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS;
	char *base = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, -1, 0);

	if (base == MAP_FAILED) {
		snprintf(err, errlen, "cannot map the shared arena (%zu bytes): %s", size,
		         strerror(errno));
		return -1;
	}
	if (!shared)
		madvise(base, size, MADV_HUGEPAGE); /* advice: refused when THP is off */
	madvise(base, size, MADV_POPULATE_WRITE);
	job->base = base;
	job->size = size;
	job->head = (struct pool_head *)base;
	job->wrec = (struct pool_wrec *)(base + off_w);
	job->item = (struct pool_item *)(base + off_i);
	job->order = (atomic_uint *)(base + off_o);
	/* the mapping is zero: only what is not zero needs storing */
	for (int w = 0; w < workers; w++)
		atomic_init(&job->wrec[w].cur_item, -1);
	return 0;
}

/* Map a range of a shared arena into this process's page tables (the pages
 * exist: the parent faulted them in), so writing it takes no faults. Read, not
 * write: a read fault of a shared writable mapping maps its pages writable,
 * sixteen at a time (fault-around), where a write fault maps one: 48 MB in 1.6
 * ms, not 7. */
void pool_map_in(const void *from, const void *to)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = (uintptr_t)from & ~(page - 1), b = (uintptr_t)to;

	if (b > a)
		madvise((void *)a, b - a, MADV_POPULATE_READ);
}

/* Unmap the arena. */
void pool_arena_unmap(struct pool_job *job)
{
	if (job->base)
		munmap(job->base, job->size);
	job->base = NULL;
}

/* Unmap the item records and the order, every item taken (the rest stays mapped). */
void pool_arena_drop_items(struct pool_job *job)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t from = ((size_t)((char *)job->item - (char *)job->base) + page - 1) / page * page;

	if (!job->base || !job->item)
		return;
	if (from < job->size)
		munmap((char *)job->base + from, job->size - from);
	job->size = from; /* what is still mapped */
	job->item = NULL;
	job->order = NULL;
}

/* Block until the start gate opens (a futex on the shared word). Where the
 * pool has no more workers than CPUs, worker id waits pinned to a CPU of
 * its own (the id-th of those it may use) and is let free again as the gate
 * opens: left to the scheduler, two workers woken at once were often queued
 * on one CPU while the other idled until the next load balance, up to 4 ms
 * later, a worker starting late on a third of a 5 ms map. */
void pool_gate_wait(const struct pool_job *job, int id)
{
	struct pool_head *head = job->head;
	bool pinned = false;
	cpu_set_t all, one;

	if (job->gate_spread && sched_getaffinity(0, sizeof all, &all) == 0) {
		int k = id % CPU_COUNT(&all), cpu = -1;

		for (int c = 0; c < CPU_SETSIZE && cpu < 0; c++)
			if (CPU_ISSET(c, &all) && k-- == 0)
				cpu = c;
		CPU_ZERO(&one);
		if (cpu >= 0)
			CPU_SET(cpu, &one);
		pinned = cpu >= 0 && sched_setaffinity(0, sizeof one, &one) == 0;
	}
	while (atomic_load_explicit(&head->gate, memory_order_acquire) == 0)
		syscall(SYS_futex, (int *)&head->gate, FUTEX_WAIT, 0, NULL, NULL, 0);
	if (pinned)
		sched_setaffinity(0, sizeof all, &all); /* the scheduler's again */
}

/* Open the gate and wake every worker waiting on it. */
void pool_gate_open(struct pool_head *head)
{
	atomic_store_explicit(&head->gate, 1, memory_order_release);
	syscall(SYS_futex, (int *)&head->gate, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/* Wake the parent's run_wait. */
void pool_wake(int efd)
{
	if (efd >= 0) {
		ssize_t r = write(efd, &(uint64_t){1}, sizeof(uint64_t));

		(void)r;
	}
}

/* Record a finished item and append it to the completion order. */
static void pool_finish(const struct pool_job *job, size_t i, int efd, int64_t end_ns)
{
	long pos = atomic_fetch_add_explicit(&job->head->n_finished, 1, memory_order_acq_rel);

	atomic_store_explicit(&job->order[pos], (unsigned)i + 1, memory_order_release);
	if ((size_t)pos + 1 == job->n_items) {
		atomic_store_explicit(&job->head->t_end_ns, end_ns, memory_order_release);
		pool_wake(efd);
	}
}

/* An incarnation as an item's record holds it. */
static uint16_t pool_gen(int restarts)
{
	return (uint16_t)(restarts < POOL_GEN_MAX ? restarts : POOL_GEN_MAX);
}

/* Parent: keep who a slot's worker was before it is replaced. */
void pool_slot_retire(struct run *run, struct pool_slot *slot)
{
	int tid = atomic_load_explicit(&run->job.wrec[slot->id].tid, memory_order_relaxed);
	struct pool_who *p = realloc(slot->past, ((size_t)slot->restarts + 1) * sizeof(*p));

	if (p) { /* else its items name the next incarnation */
		p[slot->restarts] = (struct pool_who){slot->pid, tid > 0 ? tid : slot->tid};
		slot->past = p;
	}
	slot->restarts++;
}

/* Parent: the process and thread that ran an item. */
void pool_item_who(const struct run *run, const struct pool_item *it, pid_t *pid, pid_t *tid)
{
	const struct pool_slot *slot;
	int t;

	if (it->worker < 0 || it->worker >= run->nw) {
		*pid = *tid = 0;
		return;
	}
	slot = &run->slots[it->worker];
	if (it->gen < pool_gen(slot->restarts) && slot->past) {
		*pid = slot->past[it->gen].pid;
		*tid = slot->past[it->gen].tid;
		return;
	}
	t = atomic_load_explicit(&run->job.wrec[it->worker].tid, memory_order_relaxed);
	*pid = slot->pid;
	*tid = t > 0 ? t : slot->tid;
}

/* Parent, external backends: record a finished item as a worker would. */
void pool_record_item(struct run *run, size_t item, int worker, int64_t result, int64_t start_ns,
                      int64_t end_ns)
{
	struct pool_item *it = &run->job.item[item];

	if (atomic_load_explicit(&it->status, memory_order_relaxed) >= ITEM_DONE)
		return;
	it->result = result;
	it->worker = (int16_t)worker;
	it->gen = worker >= 0 ? pool_gen(run->slots[worker].restarts) : 0;
	it->start_ns = start_ns;
	it->end_ns = end_ns;
	atomic_store_explicit(&it->status, ITEM_DONE, memory_order_release);
	pool_finish(&run->job, item, -1, end_ns);
}

/* A worker's finished items whose completion order is not published yet, and
 * its clock: one reading ends an item and starts the next; items that prove
 * fast run back to back and are timed a group at a time (see pool.h). */
struct pool_pub {
	int n;            /* items in the record's pend[] */
	int n_group;      /* of them, the last n_group: run since the clock was read */
	bool fast;        /* the last reading found items under POOL_FAST_NS: group them */
	int64_t t;        /* the last clock reading: when the next item starts */
	int64_t first_ns; /* end of the first of them */
	int64_t last_ns;  /* end of the last of them */
};

/* Time the group of items run since the last clock reading: one reading, its
 * span spread evenly over them (their start and end until now were the group's
 * start). Whether the next items are grouped too is decided here, by this
 * group's items' mean time. */
static void pool_time_group(const struct pool_job *job, struct pool_wrec *w, struct pool_pub *pub)
{
	int k = pub->n_group;
	int64_t t0 = pub->t, now = engine_now_ns(), span = now - t0, step, at = t0;

	if (k == 0)
		return;
	/* one division a group, not two an item: a 64-bit divide costs more
	 * than the item itself; the last item ends at the reading exactly */
	step = span / k;
	for (int j = 0; j < k; j++) {
		int i = atomic_load_explicit(&w->pend[pub->n - k + j], memory_order_relaxed);

		job->item[i].start_ns = at;
		at = j == k - 1 ? now : at + step;
		job->item[i].end_ns = at;
	}
	atomic_store_explicit(&w->busy_ns,
	                      atomic_load_explicit(&w->busy_ns, memory_order_relaxed) + span,
	                      memory_order_relaxed);
	atomic_store_explicit(&w->grouped,
	                      atomic_load_explicit(&w->grouped, memory_order_relaxed) + k,
	                      memory_order_relaxed);
	if (pub->n == k)
		pub->first_ns = now;
	pub->last_ns = now;
	pub->t = now;
	pub->n_group = 0;
	pub->fast = span < POOL_FAST_NS * k;
}

/* Publish a worker's pending items: one fetch_add claims their order[] positions. */
static void pool_publish(const struct pool_job *job, struct pool_wrec *w, struct pool_pub *pub,
                         int efd)
{
	long pos;

	pool_time_group(job, w, pub);
	if (pub->n == 0)
		return;
	/* before the fetch_add: whoever sees the count sees the end too */
	atomic_store_explicit(&w->last_end_ns, pub->last_ns, memory_order_relaxed);
	pos = atomic_fetch_add_explicit(&job->head->n_finished, pub->n, memory_order_acq_rel);
	atomic_store_explicit(&w->pub_pos, pos + 1, memory_order_relaxed);
	for (int j = 0; j < pub->n; j++)
		atomic_store_explicit(
		    &job->order[pos + j],
		    (unsigned)atomic_load_explicit(&w->pend[j], memory_order_relaxed) + 1,
		    memory_order_release);
	atomic_store_explicit(&w->tasks,
	                      atomic_load_explicit(&w->tasks, memory_order_relaxed) + pub->n,
	                      memory_order_relaxed);
	atomic_store_explicit(&w->n_pend, 0, memory_order_relaxed);
	atomic_store_explicit(&w->pub_pos, 0, memory_order_relaxed);
	if ((size_t)pos + (size_t)pub->n == job->n_items)
		pool_wake(efd);
	pub->n = 0;
}

/* Parent: a dead worker's pending batch put in the completion order. */
void pool_publish_dead(const struct pool_job *job, int id)
{
	struct pool_wrec *w = &job->wrec[id];
	int k = atomic_load(&w->n_pend);
	long pp = atomic_load(&w->pub_pos), pos;
	int64_t end = atomic_load(&w->last_end_ns);

	if (k > 0 && k <= POOL_PUB_MAX) {
		/* it died after claiming the positions (pub_pos set): fill them in; else
		 * claim them. (Killed between its fetch_add and its store of pub_pos, the
		 * positions it claimed stay empty: the run's final scan still takes the
		 * items, from their records.) */
		pos = pp > 0 ? pp - 1 : atomic_fetch_add(&job->head->n_finished, k);
		for (int j = 0; j < k && (size_t)(pos + j) < job->n_items; j++) {
			int i = atomic_load(&w->pend[j]);

			if (atomic_load(&job->order[pos + j]) == POOL_ORDER_EMPTY)
				atomic_store(&job->order[pos + j], (unsigned)i + 1);
			if (job->item[i].end_ns > end)
				end = job->item[i].end_ns;
		}
		atomic_store(&w->last_end_ns, end);
		atomic_store(&w->tasks, atomic_load(&w->tasks) + k);
	}
	atomic_store(&w->n_pend, 0);
	atomic_store(&w->pub_pos, 0);
}

/* Parent: when the last item ended, the latest of what the workers published. */
int64_t pool_end_ns(const struct pool_job *job, int workers)
{
	int64_t end = atomic_load_explicit(&job->head->t_end_ns, memory_order_acquire);

	for (int w = 0; w < workers; w++) {
		int64_t e = atomic_load_explicit(&job->wrec[w].last_end_ns, memory_order_relaxed);

		if (e > end)
			end = e;
	}
	return end;
}

/* Run items [next, hi) of the slot's chunk; -1 once cancelled. An item is
 * timed by the clock reading at its end (pub->t then starts the next), or, while
 * items prove fast, by its group's (pool_time_group); until then its record
 * holds its group's start as start and end. */
static int pool_run_chunk(const struct pool_job *job, int id, struct task_ctx *ctx, int efd,
                          long next, long hi, uint16_t gen, struct pool_pub *pub)
{
	struct pool_wrec *w = &job->wrec[id];
	const struct task *task = job->task;
	int r = 0;
	long i;

	/* cur_item names the item running, or the one just done until the next
	 * starts (the parent looks at its status); -1 between chunks and breaks */
	for (i = next; i < hi; i++) {
		struct pool_item *it = &job->item[i];
		int64_t start = pub->t, end, res = 0;

		if (pub->n_group == 0)
			atomic_store_explicit(&w->cur_start_ns, start, memory_order_relaxed);
		atomic_store_explicit(&w->cur_item, i, memory_order_relaxed);
		if (task->run(ctx, job->items[i], &res) < 0) {
			r = -1;
			break;
		}
		end = pub->fast ? start : engine_now_ns();
		it->result = res;
		it->worker = (int16_t)id;
		it->gen = gen;
		it->start_ns = start;
		it->end_ns = end;
		atomic_store_explicit(&it->status, ITEM_DONE, memory_order_release);
		atomic_store_explicit(&w->pend[pub->n], (int)i, memory_order_relaxed);
		atomic_store_explicit(&w->n_pend, pub->n + 1, memory_order_relaxed);
		pub->n++;
		if (pub->fast) {
			if (++pub->n_group < POOL_GROUP && pub->n < POOL_PUB_MAX)
				goto next;
			pool_time_group(job, w, pub);
			end = pub->t;
			start = end; /* the group as a whole is under POOL_PUB_NS */
		} else {
			atomic_store_explicit(
			    &w->busy_ns,
			    atomic_load_explicit(&w->busy_ns, memory_order_relaxed) + (end - start),
			    memory_order_relaxed);
			if (pub->n == 1)
				pub->first_ns = end;
			pub->last_ns = end;
			pub->t = end;
			pub->fast = end - start < POOL_FAST_NS;
		}
		if (pub->n == POOL_PUB_MAX || end - pub->first_ns >= POOL_PUB_NS ||
		    end - start >= POOL_PUB_NS)
			pool_publish(job, w, pub, efd);
	next:
		/* between items, like CPython's eval loop between bytecodes */
		if (atomic_load_explicit(ctx->breaker, memory_order_relaxed)) {
			pool_publish(job, w, pub, efd); /* the break may wait (the GIL) */
			/* no item runs now: where the chunk goes on is in range instead */
			atomic_store_explicit(&w->range, ((int64_t)hi << 32) | (i + 1),
			                      memory_order_relaxed);
			atomic_store_explicit(&w->cur_item, -1, memory_order_relaxed);
			if (ctx->on_break(ctx) < 0)
				return -1;
			pub->t = engine_now_ns();
		}
	}
	/* the chunk is over (or ends at i): a replacement has nothing of it to redo */
	atomic_store_explicit(&w->range, ((int64_t)hi << 32) | (r < 0 ? i : hi),
	                      memory_order_relaxed);
	atomic_store_explicit(&w->cur_item, -1, memory_order_relaxed);
	return r;
}

/* A worker, as it starts: its own nice, if the run asks for one (a thread's
 * own: Linux keeps a nice a thread). */
void pool_worker_nice(const struct pool_job *job)
{
	if (job->nice > 0)
		setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), job->nice);
}

/* The worker loop: the slot's unfinished chunk first, then new chunks. */
void pool_worker_loop(const struct pool_job *job, int id, struct task_ctx *ctx, int efd)
{
	struct pool_head *head = job->head;
	struct pool_wrec *w = &job->wrec[id];
	int64_t range = atomic_load_explicit(&w->range, memory_order_relaxed);
	long next = (long)(range & 0xffffffff), hi = (long)(range >> 32);
	/* which incarnation of the slot this is: each item names it */
	uint16_t gen = pool_gen(atomic_load_explicit(&w->gen, memory_order_relaxed));
	struct pool_pub pub = {.t = engine_now_ns()};

	atomic_store_explicit(&w->state, WORKER_RUNNING, memory_order_relaxed);
	if (next < hi && pool_run_chunk(job, id, ctx, efd, next, hi, gen, &pub) < 0)
		goto out;
	while (!atomic_load_explicit(&head->cancel, memory_order_relaxed)) {
		long c = atomic_fetch_add_explicit(&head->next_chunk, 1, memory_order_relaxed);
		long lo = c * job->chunksize;

		if (lo >= (long)job->n_items)
			break;
		hi = lo + job->chunksize;
		if (hi > (long)job->n_items)
			hi = (long)job->n_items;
		atomic_store_explicit(&w->range, ((int64_t)hi << 32) | lo, memory_order_relaxed);
		if (pool_run_chunk(job, id, ctx, efd, lo, hi, gen, &pub) < 0)
			break;
	}
out:
	pool_publish(job, w, &pub, efd);
	atomic_store_explicit(&w->state, WORKER_IDLE, memory_order_relaxed);
}

/* The breaker handler of backends without a GIL: -1 once cancelled. */
int pool_plain_on_break(struct task_ctx *ctx)
{
	if (atomic_load_explicit(ctx->breaker, memory_order_relaxed) & GIL_BREAK_CANCEL)
		return -1;
	return 0;
}

/* Parent: mark an item failed and list the error. */
void pool_fail_item(struct run *run, size_t item, int worker, int64_t start_ns, const char *message)
{
	const struct pool_job *job = &run->job;
	struct pool_item *it = &job->item[item];
	int64_t now = engine_now_ns();

	it->worker = (int16_t)worker;
	it->gen = worker >= 0 ? pool_gen(run->slots[worker].restarts) : 0; /* the one that died */
	it->result = 0;
	it->start_ns = start_ns ? start_ns : now;
	it->end_ns = now;
	atomic_store_explicit(&it->status, ITEM_FAILED, memory_order_release);
	pool_finish(job, item, -1, now);
	if (run->n_errors == run->cap_errors) {
		size_t cap = run->cap_errors ? run->cap_errors * 2 : 8;
		struct run_error *e = realloc(run->errors, cap * sizeof(*e));

		if (!e)
			return;
		run->errors = e;
		run->cap_errors = cap;
	}
	run->errors[run->n_errors++] = (struct run_error){
	    .item = item,
	    .worker = worker,
	    .message = strdup(message),
	    .t_s = (double)(now - run->t0_ns) / 1e9,
	};
}

/* Append one line of output (without its newline), stamped t_ns. */
void pool_output_add(struct pool_output *out, int worker, const char *text, size_t len,
                     int64_t t_ns)
{
	char *copy;

	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 32;
		struct output_line *o = realloc(out->lines, cap * sizeof(*o));

		if (!o)
			return;
		out->lines = o;
		out->cap = cap;
	}
	copy = strndup(text, len);
	if (!copy)
		return;
	out->lines[out->n++] = (struct output_line){
	    .worker = worker,
	    .t_s = (double)(t_ns - out->t0_ns) / 1e9,
	    .text = copy,
	};
}

/* Append one line of output (without its newline), stamped now. */
static void pool_add_line(struct pool_output *out, int worker, const char *text, size_t len)
{
	pool_output_add(out, worker, text, len, engine_now_ns());
}

/* Free the lines. */
void pool_output_free(struct pool_output *out)
{
	for (size_t i = 0; i < out->n; i++)
		free((char *)out->lines[i].text);
	free(out->lines);
	out->lines = NULL;
	out->n = out->cap = 0;
}

/* Parent: keep a partial line as a line of its own. */
void pool_flush_partial(struct pool_output *out, struct pool_slot *slot)
{
	if (slot->partial_len)
		pool_add_line(out, slot->id, slot->partial, slot->partial_len);
	free(slot->partial);
	slot->partial = NULL;
	slot->partial_len = 0;
}

/* Split bytes into lines; what follows the last newline waits in slot->partial. */
static void pool_take_bytes(struct pool_output *out, struct pool_slot *slot, const char *buf,
                            size_t n)
{
	while (n > 0) {
		const char *nl = memchr(buf, '\n', n);
		size_t take = nl ? (size_t)(nl - buf) : n;

		if (slot->partial_len || !nl) {
			char *p = realloc(slot->partial, slot->partial_len + take + 1);

			if (!p)
				return;
			memcpy(p + slot->partial_len, buf, take);
			slot->partial = p;
			slot->partial_len += take;
			if (nl) {
				pool_add_line(out, slot->id, slot->partial, slot->partial_len);
				slot->partial_len = 0;
			}
		} else {
			pool_add_line(out, slot->id, buf, take);
		}
		if (!nl)
			return;
		buf = nl + 1;
		n -= take + 1;
	}
}

/* Parent: read what a slot's pipe holds now. */
void pool_drain(struct pool_output *out, struct pool_slot *slot, bool eof_close)
{
	char buf[4096];

	while (slot->out_rd >= 0) {
		ssize_t r = read(slot->out_rd, buf, sizeof(buf));

		if (r > 0) {
			pool_take_bytes(out, slot, buf, (size_t)r);
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0 && eof_close) {
			pool_flush_partial(out, slot);
			close(slot->out_rd);
			slot->out_rd = -1;
		}
		return;
	}
}

/* Parent: make a slot's output pipe (read end non-blocking). */
int pool_slot_pipe(struct pool_slot *slot)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	slot->out_rd = p[0];
	slot->out_wr = p[1];
	return 0;
}

/* A signal's name ("SIGSEGV"), or "signal N" for one without a name. */
const char *pool_signame(int sig, char *buf, size_t len)
{
	const char *name = sigabbrev_np(sig);

	if (name)
		snprintf(buf, len, "SIG%s", name);
	else
		snprintf(buf, len, "signal %d", sig);
	return buf;
}
