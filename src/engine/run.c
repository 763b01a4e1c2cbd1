/*
 * run.c — the run API of engine.h, generic over the backends' ops tables:
 * validate a spec, create the pool behind a closed gate (startup), open it
 * (the map), watch it without blocking (reap, replace, drain, snapshot), and
 * stop it (teardown). Nothing here knows whether workers are processes or
 * threads beyond what struct backend_ops says.
 */
#include "engine/clock.h"
#include "engine/pool.h"
#include "engine/procstat.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define RUN_CPU_EVERY_NS 10000000LL  /* a worker's CPU clock read at most this often */
#define RUN_PROC_EVERY_NS 50000000LL /* a worker's /proc stat read at most this often */
#define RUN_CPU_WORKER_NS 1000000LL  /* a pass over a big pool's CPU clocks takes this a worker */
#define RUN_PROC_WORKER_NS 4000000LL /* ... over their /proc stat (a costlier read: ~15 us) */
#define RUN_WAIT_MAX_MS 50           /* run_wait never sleeps longer than this */
#define RUN_BATCH_NS 10000000LL /* an external backend's fds wake run_wait at most this often */
#define RUN_FD_SPARE 64         /* fds a /proc stat file is never kept open in */
#define RUN_DRAIN_POLL_MIN 8    /* more workers than this: their pipes polled, then read */

static const struct backend_ops *const run_backends[BACKEND_COUNT] = {
    [BACKEND_SERIAL] = &backend_serial_ops,       [BACKEND_PROCESS] = &backend_process_ops,
    [BACKEND_THREAD] = &backend_thread_ops,       [BACKEND_GIL] = &backend_gil_ops,
    [BACKEND_PY_SERIAL] = &backend_py_serial_ops, [BACKEND_PY_PROCESS] = &backend_py_process_ops,
    [BACKEND_PY_THREAD] = &backend_py_thread_ops,
};

/* CPUs this process may use (sched_getaffinity), at least 1. */
int engine_default_workers(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return 1;
	n = CPU_COUNT(&set);
	return n < 1 ? 1 : n;
}

/* CPython's Pool.map rule: ceil(n / (4 * workers)), 0 items -> 0. */
long engine_default_chunksize(size_t n_items, int workers)
{
	size_t per;

	if (n_items == 0)
		return 0;
	if (workers < 1)
		workers = 1;
	per = (size_t)workers * 4;
	return (long)((n_items + per - 1) / per);
}

/* Check a spec; -1 with a message naming what is wrong and what is allowed. */
static int run_validate(const struct run_spec *spec, char *err, size_t errlen)
{
	if (!spec || !spec->task) {
		snprintf(err, errlen, "no task given");
		return -1;
	}
	if ((unsigned)spec->backend >= BACKEND_COUNT) {
		char names[256];
		backend_names(names, sizeof names);
		snprintf(err, errlen, "unknown backend (allowed: %s)", names);
		return -1;
	}
	if (spec->worker_nice < 0 || spec->worker_nice > 19) {
		snprintf(err, errlen, "worker nice must be 0..19, not %d", spec->worker_nice);
		return -1;
	}
	if (spec->workers < 1 || spec->workers > ENGINE_MAX_WORKERS) {
		snprintf(err, errlen, "workers must be 1..%d, not %d", ENGINE_MAX_WORKERS,
		         spec->workers);
		return -1;
	}
	if (spec->n_items > ENGINE_MAX_ITEMS) {
		snprintf(err, errlen, "too many items: %zu (allowed: at most %d)", spec->n_items,
		         ENGINE_MAX_ITEMS);
		return -1;
	}
	if (spec->n_items > 0 && !spec->items) {
		snprintf(err, errlen, "no items given");
		return -1;
	}
	if (spec->n_items > 0 ? spec->chunksize < 1 || spec->chunksize > ENGINE_MAX_ITEMS
	                      : spec->chunksize < 0) {
		snprintf(err, errlen, "chunksize must be 1..%d, not %ld", ENGINE_MAX_ITEMS,
		         spec->chunksize);
		return -1;
	}
	if (spec->task->kills_worker && !backend_get(spec->backend)->forks) {
		snprintf(err, errlen,
		         "task %s can only run on the process backend (or py-process): a thread "
		         "cannot survive a segfault, it would take %s down",
		         spec->task->name,
		         backend_get(spec->backend)->family == BACKEND_FAMILY_PYTHON
		             ? "the interpreter"
		             : "mptutor");
		return -1;
	}
	if (spec->backend == BACKEND_PY_PROCESS && spec->start_method &&
	    strcmp(spec->start_method, "fork") != 0 && strcmp(spec->start_method, "spawn") != 0 &&
	    strcmp(spec->start_method, "forkserver") != 0) {
		snprintf(err, errlen,
		         "unknown start method '%s' (allowed: fork, spawn, forkserver)",
		         spec->start_method);
		return -1;
	}
	if (run_backends[spec->backend]->gil_model &&
	    !(spec->switch_interval_s >= 1e-6 && spec->switch_interval_s <= 10.0)) {
		snprintf(err, errlen, "switch interval must be 0.001..10000 ms, not %g ms",
		         spec->switch_interval_s * 1e3);
		return -1;
	}
	for (size_t i = 0; i < spec->n_items; i++)
		if (task_check_item(spec->task, spec->items[i], err, errlen) < 0)
			return -1;
	return 0;
}

/* Let the process hold the fds a big pool needs (a pidfd or a pipe's write
 * end, a pipe's read end, a /proc stat file, per worker), if the hard limit allows. */
static void run_raise_nofile(int workers)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)workers * 4 + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= need)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

/* Free everything a run owns (its workers already gone). */
static void run_release(struct run *run)
{
	if (run->efd >= 0)
		close(run->efd);
	for (int i = 0; run->slots && i < run->nw; i++) {
		struct pool_slot *slot = &run->slots[i];

		if (slot->out_rd >= 0)
			close(slot->out_rd);
		if (slot->out_wr >= 0)
			close(slot->out_wr);
		if (slot->pidfd >= 0)
			close(slot->pidfd);
		if (slot->stat_fd >= 0)
			close(slot->stat_fd);
		free(slot->partial);
		free(slot->past);
	}
	if (run->ops->release)
		run->ops->release(run);
	for (size_t i = 0; i < run->n_errors; i++)
		free((char *)run->errors[i].message);
	if (run->gil_ready)
		gil_destroy(&run->gil);
	pool_arena_unmap(&run->job);
	pool_output_free(&run->out);
	free(run->errors);
	free(run->slots);
	free(run->wsnap);
	free(run->items);
	free(run->results);
	free(run->recs);
	item_who_free(&run->who);
	free(run->order);
	free(run->switches);
	free(run->py_python);
	free(run->py_start_method);
	free(run->py_dir);
	free(run);
}

#define RUN_HUGE_MIN (4u << 20) /* arrays this large are advised onto huge pages */
#define RUN_HUGE_PAGE (2u << 20)

/* n zeroed elements of size sz (freed with free). A large one is advised
 * onto transparent huge pages, where the kernel allows them: the parent
 * writes a million items' records into it as they arrive, a fault a 2 MiB
 * extent, not two a 4 KiB page (a read of the zero page, then a copy).
 * Not touched here: a page present when the workers are forked would be
 * shared with them, and each first write after would copy it. */
static void *run_array(size_t n, size_t sz)
{
	void *p = calloc(n, sz);
	uintptr_t a = (uintptr_t)p, b = a + n * sz;

	a = (a + RUN_HUGE_PAGE - 1) & ~(uintptr_t)(RUN_HUGE_PAGE - 1);
	b &= ~(uintptr_t)(RUN_HUGE_PAGE - 1);
	if (p && n * sz >= RUN_HUGE_MIN && b > a)
		madvise((void *)a, b - a, MADV_HUGEPAGE); /* advice: refused when THP is off */
	return p;
}

/* Allocate the run and its arrays; -1 with a message. */
static int run_alloc(const struct run_spec *spec, struct run **out, char *err, size_t errlen)
{
	size_t n = spec->n_items, nn = n ? n : 1;
	struct run *run = calloc(1, sizeof(*run));

	if (!run)
		goto oom;
	run->efd = -1;
	run->ops = run_backends[spec->backend];
	run->backend = spec->backend;
	run->nw = backend_get(spec->backend)->serial ? 1 : spec->workers;
	run->unordered = spec->unordered;
	run->switch_interval_s = spec->switch_interval_s;
	run->slots = calloc((size_t)run->nw, sizeof(*run->slots));
	run->wsnap = calloc((size_t)run->nw, sizeof(*run->wsnap));
	run->items = malloc(nn * sizeof(*run->items));
	run->results = run_array(nn, sizeof(*run->results));
	run->recs = run_array(nn, sizeof(*run->recs)); /* all zero: pending, nobody */
	run->order = run_array(nn, sizeof(*run->order));
	if (run->ops->gil_model)
		run->switches = malloc(GIL_LOG_MAX * sizeof(*run->switches));
	*out = run;
	if (!run->slots || !run->wsnap || !run->items || !run->results || !run->recs ||
	    !run->order || item_who_init(&run->who, run->nw) != 0 ||
	    (run->ops->gil_model && !run->switches))
		goto oom;
	if ((spec->python && !(run->py_python = strdup(spec->python))) ||
	    (spec->start_method && !(run->py_start_method = strdup(spec->start_method))) ||
	    (spec->python_dir && !(run->py_dir = strdup(spec->python_dir))))
		goto oom;
	if (n)
		memcpy(run->items, spec->items, n * sizeof(*run->items));
	for (int i = 0; i < run->nw; i++) {
		run->slots[i] = (struct pool_slot){
		    .id = i,
		    .run = run,
		    .pidfd = -1,
		    .out_rd = -1,
		    .out_wr = -1,
		    .stat_fd = -1,
		    .core = -1,
		    .marked_running = -1,
		};
	}
	long chunk = spec->chunksize < 1 ? 1 : spec->chunksize;
	run->job = (struct pool_job){
	    .task = spec->task,
	    .items = run->items,
	    .n_items = n,
	    .chunksize = chunk,
	    .nice = spec->worker_nice,
	    /* spread at the gate only what starts together: a map of two chunks
	     * or more (pinning and freeing a worker costs 0.05-0.09 ms of a
	     * pool's start and stop here: most of an empty pool of 2's) */
	    .gate_spread = run->nw <= engine_default_workers() && n > (size_t)chunk,
	};
	return 0;
oom:
	snprintf(err, errlen, "out of memory for a run of %zu items", n);
	return -1;
}

/* CLOCK_REALTIME in seconds (to set a run's moments against other clocks). */
static double run_realtime_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The map begins: its moments count from t0_ns. */
void run_begin_map(struct run *run, int64_t t0_ns)
{
	run->t0_ns = run->out.t0_ns = t0_ns;
	run->t0_unix_s = run_realtime_s() - (double)(engine_now_ns() - t0_ns) / 1e9;
	if (!run->ops->external)
		run->startup_s = (double)(run->t0_ns - run->begin_ns) / 1e9;
	atomic_store(&run->job.head->t0_ns, run->t0_ns);
	run->state = RUN_RUNNING;
	if (run->job.n_items == 0) {
		run->map_done = true;
		run->end_ns = run->done_seen_ns = run->t0_ns;
	}
}

/* Start a run: validate, create the pool behind the gate, open it. */
int run_start(const struct run_spec *spec, struct run **out, char *err, size_t errlen)
{
	struct run *run = NULL;

	*out = NULL;
	if (run_validate(spec, err, errlen) < 0)
		return -1;
	if (run_alloc(spec, &run, err, errlen) < 0) {
		if (run)
			run_release(run);
		return -1;
	}
	run->begin_ns = engine_now_ns(); /* startup: the arena and the workers */
	run->parent_pid = getpid();
	run->state = RUN_STARTING;
	task_counter_reset();
	run_raise_nofile(run->nw);
	/* forked workers share it; threads (and the py-* parent) need no sharing */
	if (pool_arena_map(&run->job, run->nw,
	                   backend_get(run->backend)->forks && !run->ops->external, err,
	                   errlen) < 0)
		goto fail;
	run->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (run->efd < 0) {
		snprintf(err, errlen, "eventfd: %s", strerror(errno));
		goto fail;
	}
	if (run->ops->gil_model) {
		if (gil_init(&run->gil, run->switch_interval_s, &run->job.head->cancel, err,
		             errlen) < 0)
			goto fail;
		run->gil_ready = true;
	}
	if (run->ops->start(run, err, errlen) < 0)
		goto fail;
	if (!run->ops->external) {
		run_begin_map(run, engine_now_ns());
		pool_gate_open(run->job.head);
	}
	*out = run;
	return 0;
fail:
	run_release(run);
	return -1;
}

/* Ask the run to stop early. */
void run_cancel(struct run *run)
{
	if (!run || run->cancelled || run->state >= RUN_DONE)
		return;
	run->cancelled = true;
	run->cancel_ns = engine_now_ns();
	atomic_store(&run->job.head->cancel, 1);
	for (int i = 0; i < run->nw; i++)
		atomic_fetch_or(&run->job.wrec[i].breaker, GIL_BREAK_CANCEL);
	if (run->ops->cancel)
		run->ops->cancel(run);
}

/* Read the snapshot's view of one finished item from the arena. */
static void run_take_item(struct run *run, size_t i)
{
	const struct pool_item *it = &run->job.item[i];
	int st = atomic_load_explicit(&it->status, memory_order_acquire);
	pid_t pid, tid;

	if (st < ITEM_DONE || item_rec_status(run->recs[i]) >= ITEM_DONE)
		return;
	if (!run->who_k || it->worker != run->who_worker || it->gen != run->who_gen) {
		pool_item_who(run, it, &pid, &tid);
		run->who_k = item_who_index(&run->who, it->worker, pid, tid);
		run->who_worker = it->worker;
		run->who_gen = it->gen;
	}
	run->results[i] = st == ITEM_DONE ? it->result : 0;
	run->recs[i] = item_rec_make((unsigned)st, run->who_k, it->start_ns - run->t0_ns,
	                             it->end_ns - run->t0_ns);
	run->order[run->n_order++] = (uint32_t)i;
	if (st == ITEM_DONE)
		run->n_done++;
	else
		run->n_failed++;
}

/* Copy what finished since the last poll, in completion order. */
static void run_take_finished(struct run *run, bool final)
{
	const struct pool_job *job = &run->job;
	long n = atomic_load_explicit(&job->head->n_finished, memory_order_acquire);
	/* order[] positions below n_finished, each written just after its fetch_add */
	while (run->n_order < job->n_items && (long)run->n_order < n) {
		long pos = (long)(run->n_order);
		long i = (long)atomic_load_explicit(&job->order[pos], memory_order_acquire);
		size_t before = run->n_order;

		if (i == POOL_ORDER_EMPTY)
			break;
		run_take_item(run, (size_t)(i - 1));
		if (run->n_order == before)
			break; /* already taken by a final scan */
	}
	if (final) /* a worker killed between its record and its order slot */
		for (size_t i = 0; i < job->n_items; i++)
			run_take_item(run, i);
}

/* Show the items in flight as RUNNING. */
static void run_mark_running(struct run *run)
{
	for (int w = 0; w < run->nw; w++) {
		struct pool_slot *slot = &run->slots[w];
		const struct pool_wrec *rec = &run->job.wrec[w];
		long cur = atomic_load_explicit(&rec->cur_item, memory_order_relaxed);
		int64_t start = atomic_load_explicit(&rec->cur_start_ns, memory_order_relaxed);

		if (slot->marked_running >= 0 &&
		    item_rec_status(run->recs[slot->marked_running]) == ITEM_RUNNING)
			run->recs[slot->marked_running] = (struct item_rec){0}; /* pending again */
		slot->marked_running = -1;
		if (run->state >= RUN_DONE || !slot->alive || cur < 0 ||
		    cur != atomic_load_explicit(&rec->cur_item, memory_order_relaxed) ||
		    item_rec_status(run->recs[cur]) != ITEM_PENDING)
			continue;
		run->recs[cur] = item_rec_make(
		    ITEM_RUNNING,
		    item_who_index(&run->who, w, slot->pid,
		                   atomic_load_explicit(&rec->tid, memory_order_relaxed)),
		    start - run->t0_ns, 0);
		slot->marked_running = cur;
	}
}

/* How long a pass reading every worker takes: every_ns, or per_worker_ns a
 * worker for a big pool (each read is a system call, the kernel summing a
 * clock or formatting a stat line: a pool of 256 read whole at every poll
 * would cost the screen its 20 Hz). */
static int64_t run_pass_ns(const struct run *run, int64_t every_ns, int64_t per_worker_ns)
{
	int64_t pass = (int64_t)run->nw * per_worker_ns;

	return pass > every_ns ? pass : every_ns;
}

/* How many workers to read this poll from *first on (mod nw): the share of a
 * pass the time since the last reading is worth; all of them at the first. */
static int run_rr_share(struct pool_rr *rr, int nw, int64_t pass, int64_t now, int *first)
{
	int64_t k;

	*first = rr->next;
	if (nw <= 0)
		return 0;
	k = rr->at_ns ? (now - rr->at_ns) * nw / pass : nw;
	if (k <= 0)
		return 0;
	if (k >= nw) {
		rr->at_ns = now;
		return nw;
	}
	rr->at_ns += k * pass / nw;
	rr->next = (int)((rr->next + k) % nw);
	return (int)k;
}

/* Whether worker w is in the share [first, first + n) (mod nw). */
static bool run_rr_has(int w, int first, int n, int nw)
{
	return (w - first + nw) % nw < n;
}

/* A live worker's core and kernel state from its /proc stat, the file kept
 * open for as long as the same task is in the slot (a read is a pread) if
 * the fd limit leaves room: the last RUN_FD_SPARE fds are not held for it. */
static void run_read_proc(struct pool_slot *slot, pid_t tid)
{
	struct procstat ps;
	struct rlimit rl;
	int fd, rc;

	if (slot->stat_fd >= 0 && (slot->stat_pid != slot->pid || slot->stat_tid != tid)) {
		close(slot->stat_fd);
		slot->stat_fd = -1;
	}
	fd = slot->stat_fd;
	if (fd < 0) {
		fd = procstat_open(slot->pid, tid);
		if (fd >= 0 && getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
		    (rl.rlim_cur == RLIM_INFINITY || (rlim_t)fd + RUN_FD_SPARE < rl.rlim_cur)) {
			slot->stat_fd = fd; /* room to keep it */
			slot->stat_pid = slot->pid;
			slot->stat_tid = tid;
		}
	}
	rc = fd >= 0 ? procstat_pread(fd, &ps) : -1;
	if (fd >= 0 && fd != slot->stat_fd)
		close(fd); /* read once */
	if (rc == 0) {
		slot->core = ps.processor;
		slot->proc_state = ps.state;
	}
}

/* Refresh each worker's line of the snapshot: CPU, state, core. */
static void run_update_workers(struct run *run, int64_t now, bool final)
{
	int cpu_first, proc_first = 0;
	int cpu_n =
	    run_rr_share(&run->cpu_rr, run->nw,
	                 run_pass_ns(run, RUN_CPU_EVERY_NS, RUN_CPU_WORKER_NS), now, &cpu_first);
	int proc_n = final ? 0
	                   : run_rr_share(&run->proc_rr, run->nw,
	                                  run_pass_ns(run, RUN_PROC_EVERY_NS, RUN_PROC_WORKER_NS),
	                                  now, &proc_first);

	if (final)
		cpu_n = run->nw; /* the last reading of every clock */
	for (int w = 0; w < run->nw; w++) {
		struct pool_slot *slot = &run->slots[w];
		const struct pool_wrec *rec = &run->job.wrec[w];
		struct worker_snap *ws = &run->wsnap[w];
		int tid = atomic_load_explicit(&rec->tid, memory_order_relaxed);
		bool cpu_due = run_rr_has(w, cpu_first, cpu_n, run->nw);
		bool proc_due = run_rr_has(w, proc_first, proc_n, run->nw);

		if (cpu_due && slot->alive) {
			int64_t c = run->ops->cpu_ns(run, slot);

			if (c >= 0)
				slot->cpu_last_ns = c;
			if (now - slot->pct_t_ns >= RUN_CPU_EVERY_NS) {
				double pct = (double)(slot->cpu_last_ns - slot->pct_cpu_ns) *
				             100.0 / (double)(now - slot->pct_t_ns);

				slot->cpu_pct = pct < 0 ? 0 : pct > 100 ? 100 : pct;
				slot->pct_cpu_ns = slot->cpu_last_ns;
				slot->pct_t_ns = now;
			}
		}
		if (!slot->alive) {
			slot->cpu_last_ns = 0;
			slot->cpu_pct = 0;
			if (slot->stat_fd >= 0) {
				close(slot->stat_fd);
				slot->stat_fd = -1;
			}
		}
		if (proc_due && slot->alive && tid > 0)
			run_read_proc(slot, tid);
		if (!slot->alive && final)
			slot->proc_state = 0;
		ws->id = w;
		ws->pid = slot->pid;
		ws->tid = tid > 0 ? tid : slot->tid;
		ws->restarts = slot->restarts;
		ws->state =
		    slot->alive
		        ? (enum worker_state)atomic_load_explicit(&rec->state, memory_order_relaxed)
		    : slot->dead ? WORKER_DEAD
		                 : WORKER_EXITED;
		ws->core = slot->core;
		ws->proc_state = slot->proc_state;
		ws->tasks = atomic_load_explicit(&rec->tasks, memory_order_relaxed);
		ws->cur_item =
		    slot->alive ? atomic_load_explicit(&rec->cur_item, memory_order_relaxed) : -1;
		ws->cpu_s = (double)(slot->cpu_gone_ns + slot->cpu_last_ns) / 1e9;
		ws->cpu_pct = slot->cpu_pct;
		ws->busy_s =
		    (double)atomic_load_explicit(&rec->busy_ns, memory_order_relaxed) / 1e9;
		if (run->gil_ready) {
			int64_t held, wait;

			gil_thread_times(&slot->gt, now, &held, &wait);
			ws->gil_held_s = (double)held / 1e9;
			ws->gil_wait_s = (double)wait / 1e9;
		}
	}
}

/* Copy the GIL's new hand-offs into the snapshot's array. */
static void run_take_switches(struct run *run)
{
	size_t n;

	if (!run->gil_ready)
		return;
	n = gil_log_count(&run->gil);
	for (size_t i = run->n_switches; i < n; i++) {
		const struct gil_log_entry *e = &run->gil.log[i];

		run->switches[i] = (struct gil_switch){
		    .t_s = (double)(e->t_ns - run->t0_ns) / 1e9,
		    .to = e->to,
		    .forced = e->forced,
		};
	}
	run->n_switches = n;
}

/* Fill the caller's snapshot from the run's own arrays. */
static void run_fill(struct run *run, struct run_snapshot *snap, int64_t now)
{
	double cpu = 0, since = run->state == RUN_STARTING ? 0 : (double)(now - run->t0_ns) / 1e9;
	size_t grouped = run->python != NULL ? (size_t)run->python->items_grouped : 0;

	if (!snap)
		return;
	for (int w = 0; w < run->nw; w++) {
		cpu += run->wsnap[w].cpu_s;
		grouped +=
		    (size_t)atomic_load_explicit(&run->job.wrec[w].grouped, memory_order_relaxed);
	}
	*snap = (struct run_snapshot){
	    .state = run->state,
	    .backend = run->backend,
	    .task = run->job.task,
	    .workers = run->nw,
	    .chunksize = run->job.n_items ? run->job.chunksize : 0,
	    .unordered = run->unordered,
	    .now_s = run->state >= RUN_DONE ? run->wall_s : since,
	    .startup_s = run->startup_s,
	    .wall_s = run->state >= RUN_DONE ? run->wall_s : since,
	    .teardown_s = run->teardown_s,
	    .cpu_s = cpu,
	    .cpu_every_s = (double)run_pass_ns(run, RUN_CPU_EVERY_NS, RUN_CPU_WORKER_NS) / 1e9,
	    .proc_every_s = (double)run_pass_ns(run, RUN_PROC_EVERY_NS, RUN_PROC_WORKER_NS) / 1e9,
	    .per_worker = run->wsnap,
	    .n_items = run->job.n_items,
	    .n_done = run->n_done,
	    .n_failed = run->n_failed,
	    .items_grouped = grouped,
	    .items = run->items,
	    .results = run->results,
	    .task_returns = run->job.task->returns,
	    .recs = run->recs,
	    .who = run->who.who,
	    .n_who = run->who.n,
	    .order = run->order,
	    .n_order = run->n_order,
	    .output = run->out.lines,
	    .n_output = run->out.n,
	    .errors = run->errors,
	    .n_errors = run->n_errors,
	    .switches = run->switches,
	    .n_switches = run->n_switches,
	    .has_parent_counter = strcmp(run->job.task->name, "counter") == 0,
	    .parent_counter = run->state >= RUN_DONE || run->ops->external ? run->parent_counter
	                                                                   : task_counter_read(),
	    .t0_unix_s = run->t0_unix_s,
	    .python = run->python,
	    .fault = run->fault,
	};
}

/* Items no worker will ever run (their worker died between claim and record). */
static void run_give_up_lost(struct run *run)
{
	for (size_t i = 0; i < run->job.n_items; i++) {
		if (atomic_load_explicit(&run->job.item[i].status, memory_order_acquire) <
		    ITEM_DONE) {
			char msg[160];

			snprintf(msg, sizeof(msg), "item %zu was never run: its worker died first",
			         i);
			pool_fail_item(run, i, -1, 0, msg);
		}
	}
}

/* The run is over: every worker gone. */
static void run_finish(struct run *run, int64_t now)
{
	if (!run->map_done) /* cancelled: the map ended at the cancel */
		run->end_ns = run->done_seen_ns = run->cancel_ns ? run->cancel_ns : now;
	run->wall_s = (double)(run->end_ns - run->t0_ns) / 1e9;
	if (run->wall_s < 0)
		run->wall_s = 0;
	/* teardown: from the last item done (or the cancel) to the last worker reaped */
	run->teardown_s = (double)(now - (run->map_done ? run->end_ns : run->cancel_ns)) / 1e9;
	if (run->teardown_s < 0)
		run->teardown_s = 0;
	if (!run->ops->external)
		run->parent_counter = task_counter_read();
	run->state = run->cancelled && !run->map_done ? RUN_CANCELLED : RUN_DONE;
}

/* Take what the workers wrote to their pipes. A big pool's pipes are looked
 * at with one poll() and only those with something are read: a read of each
 * of 256 empty pipes at every poll was 256 system calls for nothing. */
static void run_drain(struct run *run)
{
	struct pollfd *pfd =
	    run->nw > RUN_DRAIN_POLL_MIN ? malloc((size_t)run->nw * sizeof(*pfd)) : NULL;
	int n = 0;

	for (int i = 0; pfd && i < run->nw; i++)
		pfd[n++] = (struct pollfd){.fd = run->slots[i].out_rd, .events = POLLIN};
	if (!pfd || poll(pfd, (nfds_t)n, 0) < 0) { /* read them all */
		for (int i = 0; i < run->nw; i++)
			pool_drain(&run->out, &run->slots[i], false);
		free(pfd);
		return;
	}
	for (int i = 0; i < run->nw; i++) /* a closed one (-1) has revents 0 */
		if (pfd[i].revents)
			pool_drain(&run->out, &run->slots[i], false);
	free(pfd);
}

/* Advance and snapshot without blocking; 1 once the run is over. */
int run_poll(struct run *run, struct run_snapshot *snap)
{
	int64_t now;
	bool any_alive = false;

	if (!run)
		return 1;
	if (run->state == RUN_STARTING) /* external backends: the pool is coming up */
		run->ops->reap(run);
	if (run->state == RUN_RUNNING) {
		uint64_t v;
		ssize_t r = read(run->efd, &v, sizeof(v)); /* clear the wake-up */

		(void)r;
		run->ops->reap(run);
		run_drain(run);
		for (int i = 0; i < run->nw; i++)
			any_alive |= run->slots[i].alive;
		now = engine_now_ns();
		if (run->cancelled && (backend_get(run->backend)->forks || run->ops->external) &&
		    !run->killed && now - run->cancel_ns >= POOL_CANCEL_GRACE_NS) {
			run->killed = true;
			run->ops->kill(run);
		}
		if (!run->map_done &&
		    atomic_load_explicit(&run->job.head->n_finished, memory_order_acquire) >=
		        (long)run->job.n_items) {
			int64_t end = pool_end_ns(&run->job, run->nw);

			run->map_done = true;
			run->end_ns = end ? end : now;
			run->done_seen_ns = now;
		}
		if (!any_alive && !run->map_done && !run->cancelled) {
			run_give_up_lost(run);
			run->map_done = true;
			run->end_ns = run->done_seen_ns = now;
		}
		/* once the map is done the workers are about to go: reap them first, so
		 * copying a big map's results does not count as teardown; under
		 * run_wait, copy nothing while they run: on 2 cores the copy would
		 * take one from them (a million items: milliseconds of a 5 ms map) */
		if ((!run->map_done && !run->take_at_end) || !any_alive)
			run_take_finished(run, !any_alive);
		if (!any_alive)
			run_finish(run, now);
	}
	now = engine_now_ns();
	if (run->state != RUN_RUNNING && run->job.item) {
		run_take_finished(run, true);
		if (run->state >= RUN_DONE) /* every item is in the run's own arrays now */
			pool_arena_drop_items(&run->job);
	}
	run_mark_running(run);
	run_update_workers(run, now, run->state >= RUN_DONE);
	run_take_switches(run);
	run_fill(run, snap, now);
	return run->state >= RUN_DONE;
}

/* A finished run's item arrays handed to the caller; the run forgets them. */
int run_take_arrays(struct run *run, struct run_arrays *out)
{
	if (!run || run->state < RUN_DONE)
		return -1;
	*out = (struct run_arrays){
	    .items = run->items,
	    .results = run->results,
	    .recs = run->recs,
	    .order = run->order,
	};
	out->who = item_who_take(&run->who, &out->n_who);
	run->items = run->results = NULL;
	run->recs = NULL;
	run->order = NULL;
	run->job.items = NULL;
	run->job.n_items = 0;
	run->n_order = 0;
	return 0;
}

/* The fds a caller may poll() to learn when run_poll has news. */
int run_pollfds(struct run *run, int *fds, int max)
{
	int n = 0;

	if (!run || run->state >= RUN_DONE)
		return 0;
	if (n < max)
		fds[n++] = run->efd;
	if (run->ops->pollfds)
		n += run->ops->pollfds(run, fds + n, max - n);
	for (int i = 0; i < run->nw && n < max; i++) {
		if (run->slots[i].pidfd >= 0)
			fds[n++] = run->slots[i].pidfd;
		if (run->slots[i].out_rd >= 0 && n < max)
			fds[n++] = run->slots[i].out_rd;
	}
	return n;
}

/* Block until over; intr_fd readable cancels. Returns 0 (the outcome is in snap). */
int run_wait(struct run *run, int intr_fd, struct run_snapshot *snap)
{
	static const int max = 8 + 2 * ENGINE_MAX_WORKERS;
	struct pollfd *pfd;
	int *fds;

	if (!run)
		return -1;
	run->take_at_end = true; /* the caller sees only the last snapshot */
	pfd = malloc(((size_t)max + 1) * sizeof(*pfd));
	fds = malloc((size_t)max * sizeof(*fds));
	if (!pfd || !fds) {
		free(pfd);
		free(fds);
		while (!run_poll(run, snap))
			poll(NULL, 0, 5);
		return 0;
	}
	int64_t woke_ns = 0;

	while (!run_poll(run, snap)) {
		int n, np = 0, timeout = RUN_WAIT_MAX_MS;

		/* An external backend (an interpreter streaming events) is read in
		 * batches: after its fds woke this loop, what it writes in the next
		 * RUN_BATCH_NS is taken in one go, so its workers' writes wake the
		 * reader at most 100 times a second, not at each, beside them on the
		 * same cores (the FIFO holds far more than that). Ctrl-C still ends
		 * the wait at once. */
		if (run->ops->external && !run->cancelled) {
			int64_t left = woke_ns + RUN_BATCH_NS - engine_now_ns();

			if (left > 0) {
				struct pollfd ip = {.fd = intr_fd, .events = POLLIN};

				if (poll(&ip, intr_fd >= 0 ? 1 : 0,
				         (int)((left + 999999) / 1000000)) > 0 &&
				    (ip.revents & (POLLIN | POLLHUP | POLLERR)))
					run_cancel(run);
				continue;
			}
		}
		n = run_pollfds(run, fds, max);
		for (int i = 0; i < n; i++)
			pfd[np++] = (struct pollfd){.fd = fds[i], .events = POLLIN};
		if (intr_fd >= 0 && !run->cancelled)
			pfd[np++] = (struct pollfd){.fd = intr_fd, .events = POLLIN};
		if (run->cancelled && !run->killed) {
			int64_t left =
			    (run->cancel_ns + POOL_CANCEL_GRACE_NS - engine_now_ns()) / 1000000;

			if (left < timeout)
				timeout = left < 1 ? 1 : (int)left;
		}
		int ready = poll(pfd, (nfds_t)np, timeout);

		if (ready > 0)
			woke_ns = engine_now_ns();
		if (ready > 0 && intr_fd >= 0 && !run->cancelled &&
		    (pfd[np - 1].revents & (POLLIN | POLLHUP | POLLERR)))
			run_cancel(run);
	}
	free(pfd);
	free(fds);
	return 0;
}

/* Reap anything left and free the run. */
void run_free(struct run *run)
{
	if (!run)
		return;
	if (run->state == RUN_RUNNING || run->state == RUN_STARTING) {
		bool alive = false;

		for (int i = 0; i < run->nw; i++)
			alive |= run->slots[i].alive;
		if (alive || run->ops->external) {
			run_cancel(run);
			run->ops->kill(run);
			run->ops->stop(run);
		}
	}
	run_release(run);
}
