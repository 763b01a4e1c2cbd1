/*
 * demo.c — Processes, not a pool: the course's Process(target=worker),
 * start(), join(), and the seed's loop of four Processes each printing a
 * number, with each step timestamped as it happens. The children are forked
 * one after another and run their item at once; they share one stdout pipe,
 * so the lines arrive in the order of their write() calls. A child's exit is
 * seen through its pidfd with waitid(WNOWAIT), so it stays a zombie (as `ps`
 * shows it) until it is joined — join_after_ms after its start or at its
 * exit, whichever is later — or, when the program never joins, until every
 * child has exited and the demo reaps them all. The Python variant
 * (pydemo.c) has the installed CPython make the Processes; this file keeps
 * the same records from its lines and reads the children's state from /proc.
 */
#include "engine/clock.h"
#include "engine/pool.h"
#include "engine/procstat.h"
#include "engine/pydemo.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* What one child hands back through shared memory. */
struct demo_shared_proc {
	atomic_int has_result; /* the task returned */
	int64_t result;        /* its value */
	atomic_llong ran_ns;   /* the child began its item (CLOCK_MONOTONIC) */
	atomic_llong exit_ns;  /* the child is about to _exit */
};

/* The shared mapping: the children's records. */
struct demo_shared {
	atomic_int breaker;          /* the children's breaker (never set) */
	atomic_int cancel;           /* never set: a demo is stopped by SIGKILL */
	struct demo_shared_proc p[]; /* [n], one per child */
};

/* The parent's view of one child. */
struct demo_proc {
	int64_t item;               /* args=(item,) */
	enum proc_demo_state state; /* where it is */
	pid_t pid;                  /* the child, 0 before its fork */
	int pidfd;                  /* pidfd_open, -1 none (timed polls then) */
	int exit_code;              /* exit status, -N killed by signal N */
	char proc_state;            /* from /proc, 0 unknown */
	int64_t started_ns, exited_ns, joined_ns, reaped_ns; /* 0 = not yet */
};

struct proc_demo {
	const struct task *task;       /* what each Process runs */
	size_t n;                      /* Processes */
	bool joins;                    /* the program calls join() */
	int64_t join_after_ns;         /* join() no sooner than this after a start */
	int64_t t0_ns, ended_ns;       /* the demo began / every child reaped, output read */
	pid_t parent;                  /* who forked them */
	bool interrupted;              /* proc_demo_wait's intr_fd fired */
	struct pool_slot slot;         /* the one shared output pipe, partial line */
	struct pool_output out;        /* the captured lines */
	struct demo_shared *sh;        /* shared with the children */
	size_t sh_size;                /* its length */
	struct demo_proc *procs;       /* [n] */
	struct proc_demo_child *snaps; /* [n], the snapshot's array */
	struct pydemo *py;             /* the Python variant's interpreter, or NULL */
	bool python;                   /* the Python variant (sh is plain memory then) */
};

/* In a child: its demo, kept reachable so a leak checker does not count the
 * parent's copy of it as lost when the child calls _exit. */
static struct proc_demo *volatile demo_in_child;

/* The child: run the item at once, hand back the result, exit. */
static _Noreturn void demo_child(struct proc_demo *d, size_t k)
{
	struct demo_shared_proc *me = &d->sh->p[k];
	struct task_ctx ctx = {
	    .worker = (int)k,
	    .out_fd = 1,
	    .breaker = &d->sh->breaker,
	    .on_break = pool_plain_on_break,
	    .cancel = &d->sh->cancel,
	};
	int64_t r = 0;

	demo_in_child = d;
	if (pool_child_prepare(d->parent, d->slot.out_wr, -1) < 0)
		_exit(1);
	atomic_store(&me->ran_ns, engine_now_ns());
	if (d->task->run(&ctx, d->procs[k].item, &r) == 0) {
		me->result = r;
		atomic_store(&me->has_result, 1);
	}
	atomic_store(&me->exit_ns, engine_now_ns());
	_exit(0);
}

/* Kill and reap every child not reaped yet. */
static void demo_kill_all(struct proc_demo *d)
{
	if (d->py) { /* the interpreter's children: its group goes with it */
		pydemo_free(d->py);
		d->py = NULL;
		return;
	}
	for (size_t k = 0; k < d->n; k++) {
		struct demo_proc *p = &d->procs[k];

		if (p->pid <= 0 || p->state >= PROC_JOINED)
			continue;
		kill(p->pid, SIGKILL);
		while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
			;
		p->state = PROC_REAPED;
		p->reaped_ns = engine_now_ns();
	}
}

/* Free what a demo owns (its children already reaped). */
static void demo_release(struct proc_demo *d)
{
	for (size_t k = 0; d->procs && k < d->n; k++)
		if (d->procs[k].pidfd >= 0)
			close(d->procs[k].pidfd);
	if (d->slot.out_rd >= 0)
		close(d->slot.out_rd);
	if (d->slot.out_wr >= 0)
		close(d->slot.out_wr);
	free(d->slot.partial);
	pool_output_free(&d->out);
	if (d->python)
		free(d->sh);
	else if (d->sh && d->sh != MAP_FAILED)
		munmap(d->sh, d->sh_size);
	pydemo_free(d->py);
	free(d->procs);
	free(d->snaps);
	free(d);
}

/* Check the arguments of a start; -1 with a message naming what is allowed. */
static int demo_validate(const struct task *task, const int64_t *items, size_t n, int join_after_ms,
                         char *err, size_t errlen)
{
	if (!task) {
		snprintf(err, errlen, "no task given");
		return -1;
	}
	if (n < 1 || n > PROC_DEMO_MAX_PROCS || !items) {
		snprintf(err, errlen, "process: %zu items: one Process per item, 1..%d of them", n,
		         PROC_DEMO_MAX_PROCS);
		return -1;
	}
	for (size_t k = 0; k < n; k++)
		if (task_check_item(task, items[k], err, errlen) < 0)
			return -1;
	if (join_after_ms != PROC_DEMO_NO_JOIN && (join_after_ms < 0 || join_after_ms > 600000)) {
		snprintf(err, errlen, "join-after must be 0..600000 ms, not %d", join_after_ms);
		return -1;
	}
	return 0;
}

/* A demo of one Process per item, checked and allocated, nothing started;
 * NULL with a message. python: the interpreter makes the Processes. */
static struct proc_demo *demo_new(const struct task *task, const int64_t *items, size_t n_items,
                                  int join_after_ms, bool python, char *err, size_t errlen)
{
	struct proc_demo *d;

	if (demo_validate(task, items, n_items, join_after_ms, err, errlen) < 0)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	d->task = task;
	d->n = n_items;
	d->joins = join_after_ms != PROC_DEMO_NO_JOIN;
	d->join_after_ns = d->joins ? (int64_t)join_after_ms * 1000000 : 0;
	d->slot = (struct pool_slot){.pidfd = -1, .out_rd = -1, .out_wr = -1, .core = -1};
	d->parent = getpid();
	d->python = python;
	d->sh_size = sizeof(*d->sh) + n_items * sizeof(d->sh->p[0]);
	d->procs = calloc(n_items, sizeof(*d->procs));
	d->snaps = calloc(n_items, sizeof(*d->snaps));
	for (size_t k = 0; d->procs && k < n_items; k++) /* before any release: pidfd -1 */
		d->procs[k] =
		    (struct demo_proc){.item = items[k], .state = PROC_CREATED, .pidfd = -1};
	if (python)
		d->sh = calloc(1, d->sh_size); /* no child writes it there: plain memory */
	else
		d->sh = mmap(NULL, d->sh_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		             -1, 0);
	if (!d->procs || !d->snaps || !d->sh) {
		snprintf(err, errlen, "out of memory");
		demo_release(d);
		return NULL;
	}
	if (d->sh == MAP_FAILED) {
		snprintf(err, errlen, "cannot map shared memory: %s", strerror(errno));
		demo_release(d);
		return NULL;
	}
	return d;
}

/* Start one Process per item, one after another, as the seed's loop does. */
int proc_demo_start_items(const struct task *task, const int64_t *items, size_t n_items,
                          int join_after_ms, struct proc_demo **out, char *err, size_t errlen)
{
	struct proc_demo *d;

	*out = NULL;
	d = demo_new(task, items, n_items, join_after_ms, false, err, errlen);
	if (!d)
		return -1;
	d->t0_ns = d->out.t0_ns = engine_now_ns();
	if (pool_slot_pipe(&d->slot) < 0) {
		snprintf(err, errlen, "cannot start the process: pipe: %s", strerror(errno));
		goto fail;
	}
	for (size_t k = 0; k < n_items; k++) {
		struct demo_proc *p = &d->procs[k];
		pid_t pid;

		p->started_ns = engine_now_ns(); /* start(): the fork is part of it */
		pid = fork();
		if (pid < 0) {
			snprintf(err, errlen, "cannot start process %zu of %zu: fork: %s", k + 1,
			         n_items, strerror(errno));
			demo_kill_all(d);
			goto fail;
		}
		if (pid == 0)
			demo_child(d, k);
		p->pid = pid;
		p->state = PROC_RUNNING;
		p->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	}
	close(d->slot.out_wr);
	d->slot.out_wr = -1;
	*out = d;
	return 0;
fail:
	demo_release(d);
	return -1;
}

/* The Python variant: the interpreter makes the Processes, its lines tell us. */
int proc_demo_start_python(const struct task *task, const int64_t *items, size_t n_items,
                           int join_after_ms, const struct proc_demo_python *py,
                           struct proc_demo **out, char *err, size_t errlen)
{
	struct proc_demo *d;

	*out = NULL;
	d = demo_new(task, items, n_items, join_after_ms, true, err, errlen);
	if (!d)
		return -1;
	if (pydemo_start(py, task, items, n_items, join_after_ms, &d->py, err, errlen) < 0)
		goto fail;
	d->t0_ns = d->out.t0_ns = pydemo_t0(d->py);
	*out = d;
	return 0;
fail:
	demo_release(d);
	return -1;
}

/* Start one Process running task on item. */
int proc_demo_start(const struct task *task, int64_t item, int join_after_ms,
                    struct proc_demo **out, char *err, size_t errlen)
{
	if (join_after_ms == PROC_DEMO_NO_JOIN) { /* one Process is always joined here */
		*out = NULL;
		snprintf(err, errlen, "join-after must be 0..600000 ms, not %d", join_after_ms);
		return -1;
	}
	return proc_demo_start_items(task, &item, 1, join_after_ms, out, err, errlen);
}

/* Seconds since the start of a timestamp, -1 if not yet. */
static double demo_s(const struct proc_demo *d, int64_t t)
{
	return t ? (double)(t - d->t0_ns) / 1e9 : -1;
}

/* Has a running child exited? Look without reaping: it stays a zombie. */
static void demo_see_exit(struct proc_demo *d, size_t k)
{
	struct demo_proc *p = &d->procs[k];
	siginfo_t si;
	int64_t t, seen;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)p->pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0 ||
	    si.si_pid != p->pid)
		return;
	/* read after waitid saw the exit, so the child's readings all come before it
	 * (a reading from the top of the poll could precede a child that began its
	 * item and exited within the poll) */
	seen = engine_now_ns();
	p->exit_code = si.si_code == CLD_EXITED ? si.si_status : -si.si_status;
	/* the child's own last reading is when it exited; the parent only notices
	 * later (at its next poll). Killed, it left none: the parent's is all there is. */
	t = atomic_load(&d->sh->p[k].exit_ns);
	p->exited_ns = si.si_code == CLD_EXITED && t > 0 && t <= seen ? t : seen;
	p->state = PROC_EXITED;
}

/* Reap one exited child (its join, or mptutor's reaping at the end). */
static void demo_reap(struct proc_demo *d, size_t k, enum proc_demo_state how)
{
	struct demo_proc *p = &d->procs[k];

	while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
		;
	p->reaped_ns = engine_now_ns();
	if (how == PROC_JOINED)
		p->joined_ns = p->reaped_ns;
	p->state = how;
	p->proc_state = 0;
	if (p->pidfd >= 0)
		close(p->pidfd);
	p->pidfd = -1;
}

/* Fill the snapshot's per-child array and the caller's snapshot. */
static void demo_fill(struct proc_demo *d, struct proc_demo_snap *snap, int64_t now)
{
	for (size_t k = 0; k < d->n; k++) {
		const struct demo_proc *p = &d->procs[k];
		const struct demo_shared_proc *sp = &d->sh->p[k];
		int64_t ran = atomic_load(&sp->ran_ns);

		d->snaps[k] = (struct proc_demo_child){
		    .item = p->item,
		    .state = p->state,
		    .pid = p->pid,
		    .proc_state = p->proc_state,
		    .exit_code = p->exit_code,
		    .started_s = demo_s(d, p->started_ns),
		    .ran_s = demo_s(d, ran),
		    .exited_s = demo_s(d, p->exited_ns),
		    .joined_s = demo_s(d, p->joined_ns),
		    .reaped_s = demo_s(d, p->reaped_ns),
		    .has_result =
		        p->state >= PROC_EXITED && atomic_load(&sp->has_result) && d->task->returns,
		    .result = sp->result,
		};
	}
	if (!snap)
		return;
	*snap = (struct proc_demo_snap){
	    .state = d->snaps[0].state,
	    .pid = d->snaps[0].pid,
	    .parent_pid = d->py ? pydemo_info(d->py)->pid : d->parent,
	    .proc_state = d->snaps[0].proc_state,
	    .exit_code = d->snaps[0].exit_code,
	    .created_s = 0,
	    .started_s = d->snaps[0].started_s,
	    .exited_s = d->snaps[0].exited_s,
	    .joined_s = d->snaps[0].joined_s,
	    .now_s = (double)((d->ended_ns ? d->ended_ns : now) - d->t0_ns) / 1e9,
	    .has_result = d->snaps[0].has_result,
	    .result = d->snaps[0].result,
	    .output = d->out.lines,
	    .n_output = d->out.n,
	    .procs = d->snaps,
	    .n_procs = d->n,
	    .joins = d->joins,
	    .ran_s = d->snaps[0].ran_s,
	    .reaped_s = d->snaps[0].reaped_s,
	    .ended_s = demo_s(d, d->ended_ns),
	    .interrupted = d->interrupted,
	    .python = d->py ? pydemo_info(d->py) : NULL,
	    .fault = d->py ? pydemo_fault(d->py) : NULL,
	};
}

/* The Python variant's poll: its lines into the records, /proc for the state. */
static int demo_py_poll(struct proc_demo *d, struct proc_demo_snap *snap)
{
	int over = pydemo_poll(d->py, &d->out);
	const struct pydemo_child *c = pydemo_children(d->py);

	for (size_t k = 0; k < d->n; k++) {
		struct demo_proc *p = &d->procs[k];
		struct demo_shared_proc *sp = &d->sh->p[k];
		struct procstat ps;

		p->state = c[k].state;
		p->pid = c[k].pid;
		p->exit_code = c[k].exit_code;
		p->started_ns = c[k].started_ns;
		p->exited_ns = c[k].exited_ns;
		p->joined_ns = c[k].joined_ns;
		if (c[k].state >= PROC_JOINED && !p->reaped_ns)
			p->reaped_ns = c[k].joined_ns ? c[k].joined_ns : engine_now_ns();
		atomic_store(&sp->ran_ns, c[k].ran_ns);
		atomic_store(&sp->exit_ns, c[k].end_ns);
		sp->result = c[k].result;
		atomic_store(&sp->has_result, c[k].has_result);
		p->proc_state = 0;
		if ((p->state == PROC_RUNNING || p->state == PROC_EXITED) && p->pid > 0 &&
		    procstat_read(p->pid, p->pid, &ps) == 0)
			p->proc_state = ps.state;
	}
	if (over && !d->ended_ns)
		d->ended_ns = engine_now_ns();
	demo_fill(d, snap, engine_now_ns());
	return d->ended_ns != 0;
}

/* Advance without blocking; 1 once every child is reaped and its output read. */
int proc_demo_poll(struct proc_demo *d, struct proc_demo_snap *snap)
{
	int64_t now = engine_now_ns();
	bool all_exited = true, all_reaped = true;

	if (!d)
		return 1;
	if (d->py)
		return demo_py_poll(d, snap);
	pool_drain(&d->out, &d->slot, true);
	for (size_t k = 0; k < d->n; k++) {
		struct demo_proc *p = &d->procs[k];

		if (p->state == PROC_RUNNING)
			demo_see_exit(d, k);
		if (p->state == PROC_EXITED && d->joins && now - p->started_ns >= d->join_after_ns)
			demo_reap(d, k, PROC_JOINED);
		if (p->state == PROC_RUNNING)
			all_exited = false;
		if (p->state < PROC_JOINED)
			all_reaped = false;
	}
	/* never joined: once all have exited and their output is read, mptutor
	 * reaps them (Python's exit handler joins the children a program left) */
	if (!d->joins && all_exited && !all_reaped) {
		pool_drain(&d->out, &d->slot, true); /* every writer is gone: this reaches EOF */
		for (size_t k = 0; k < d->n; k++)
			if (d->procs[k].state == PROC_EXITED)
				demo_reap(d, k, PROC_REAPED);
		all_reaped = true;
	}
	if (all_reaped && !d->ended_ns) {
		pool_drain(&d->out, &d->slot, true);
		pool_flush_partial(&d->out, &d->slot);
		d->ended_ns = engine_now_ns();
	}
	for (size_t k = 0; k < d->n; k++) {
		struct demo_proc *p = &d->procs[k];
		struct procstat ps;

		if ((p->state == PROC_RUNNING || p->state == PROC_EXITED) &&
		    procstat_read(p->pid, p->pid, &ps) == 0)
			p->proc_state = ps.state;
	}
	demo_fill(d, snap, engine_now_ns()); /* "now" comes after every exit seen above */
	return d->ended_ns != 0;
}

/* The fds to poll() for news. */
int proc_demo_pollfds(struct proc_demo *d, int *fds, int max)
{
	int n = 0;

	if (!d)
		return 0;
	if (d->py)
		return pydemo_pollfds(d->py, fds, max);
	for (size_t k = 0; k < d->n && n < max; k++)
		if (d->procs[k].pidfd >= 0 && d->procs[k].state == PROC_RUNNING)
			fds[n++] = d->procs[k].pidfd;
	if (d->slot.out_rd >= 0 && n < max)
		fds[n++] = d->slot.out_rd;
	return n;
}

/* How long proc_demo_wait may sleep: until the next join is due, at most 50 ms. */
static int demo_timeout_ms(const struct proc_demo *d)
{
	int64_t now = engine_now_ns(), best = 50;

	for (size_t k = 0; k < d->n; k++) {
		const struct demo_proc *p = &d->procs[k];
		int64_t left;

		if (p->state != PROC_EXITED || !d->joins)
			continue;
		left = (p->started_ns + d->join_after_ns - now) / 1000000;
		if (left < best)
			best = left < 1 ? 1 : left;
	}
	return (int)best;
}

/* Block until every child is reaped; intr_fd readable kills the children. */
int proc_demo_wait(struct proc_demo *d, int intr_fd, struct proc_demo_snap *snap)
{
	struct pollfd pfd[PROC_DEMO_MAX_PROCS + 2];
	int fds[PROC_DEMO_MAX_PROCS + 1];

	while (!proc_demo_poll(d, snap)) {
		int n = proc_demo_pollfds(d, fds, PROC_DEMO_MAX_PROCS + 1), np = 0;

		for (int i = 0; i < n; i++)
			pfd[np++] = (struct pollfd){.fd = fds[i], .events = POLLIN};
		if (intr_fd >= 0)
			pfd[np++] = (struct pollfd){.fd = intr_fd, .events = POLLIN};
		if (poll(pfd, (nfds_t)np, demo_timeout_ms(d)) > 0 && intr_fd >= 0 &&
		    (pfd[np - 1].revents & (POLLIN | POLLHUP | POLLERR))) {
			for (size_t k = 0; !d->py && k < d->n; k++)
				if (d->procs[k].state == PROC_RUNNING)
					kill(d->procs[k].pid, SIGKILL);
			pydemo_kill(d->py);   /* the interpreter's group, children and all */
			d->join_after_ns = 0; /* join as soon as they are gone */
			d->interrupted = true;
			intr_fd = -1;
		}
	}
	return 0;
}

/* Kill and reap every child still there, and free. */
void proc_demo_free(struct proc_demo *d)
{
	if (!d)
		return;
	demo_kill_all(d);
	demo_release(d);
}
