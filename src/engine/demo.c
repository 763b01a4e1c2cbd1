/*
 * demo.c — one Process, not a pool: the course's Process(target=worker),
 * start(), join(), with each step timestamped as it happens. The child's exit
 * is seen through its pidfd with waitid(WNOWAIT), so it stays a zombie (as
 * `ps` shows it) until the join reaps it, join_after_ms after the start or at
 * its exit, whichever is later.
 */
#include "engine/pool.h"
#include "engine/procstat.h"

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

/* What the child hands back through shared memory. */
struct demo_shared {
	atomic_int has_result;   /* the task returned */
	int64_t result;          /* its value */
	atomic_int breaker;      /* the child's breaker (never set) */
	atomic_int cancel;       /* never set: a demo is stopped by SIGKILL */
};

struct proc_demo {
	const struct task *task;  /* what the Process runs */
	int64_t item;             /* on which item */
	int64_t join_after_ns;    /* join() no sooner than this after the start */
	enum proc_demo_state state; /* where it is */
	int64_t t0_ns, started_ns, exited_ns, joined_ns; /* 0 = not yet */
	pid_t pid;                /* the child */
	pid_t parent;             /* who forked it */
	int exit_code;            /* exit status, -N killed by signal N */
	char proc_state;          /* from /proc, 0 unknown */
	struct pool_slot slot;   /* pidfd, output pipe, partial line */
	struct pool_output out;   /* its captured lines */
	struct demo_shared *sh;  /* shared with the child */
};

/* The child: run the item, hand back the result, exit. */
static _Noreturn void demo_child(struct proc_demo *d)
{
	struct task_ctx ctx = {
		.worker = 0,
		.out_fd = 1,
		.breaker = &d->sh->breaker,
		.on_break = pool_plain_on_break,
		.cancel = &d->sh->cancel,
	};
	int64_t r = 0;

	if (pool_child_prepare(d->parent, d->slot.out_wr, -1) < 0)
		_exit(1);
	if (d->task->run(&ctx, d->item, &r) == 0) {
		d->sh->result = r;
		atomic_store(&d->sh->has_result, 1);
	}
	_exit(0);
}

/* Start one Process running task on item. */
int proc_demo_start(const struct task *task, int64_t item, int join_after_ms,
		    struct proc_demo **out, char *err, size_t errlen)
{
	struct proc_demo *d;

	*out = NULL;
	if (!task) {
		snprintf(err, errlen, "no task given");
		return -1;
	}
	if (task_check_item(task, item, err, errlen) < 0)
		return -1;
	if (join_after_ms < 0 || join_after_ms > 600000) {
		snprintf(err, errlen, "join-after must be 0..600000 ms, not %d", join_after_ms);
		return -1;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	d->task = task;
	d->item = item;
	d->join_after_ns = (int64_t)join_after_ms * 1000000;
	d->slot = (struct pool_slot){ .pidfd = -1, .out_rd = -1, .out_wr = -1, .core = -1 };
	d->parent = getpid();
	d->t0_ns = d->out.t0_ns = pool_now_ns();
	d->state = PROC_CREATED;
	d->sh = mmap(NULL, sizeof(*d->sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
		     0);
	if (d->sh == MAP_FAILED) {
		snprintf(err, errlen, "cannot map shared memory: %s", strerror(errno));
		free(d);
		return -1;
	}
	if (pool_slot_pipe(&d->slot) < 0) {
		snprintf(err, errlen, "cannot start the process: pipe: %s", strerror(errno));
		goto fail;
	}
	d->pid = fork();
	if (d->pid < 0) {
		snprintf(err, errlen, "cannot start the process: fork: %s", strerror(errno));
		goto fail;
	}
	if (d->pid == 0)
		demo_child(d);
	close(d->slot.out_wr);
	d->slot.out_wr = -1;
	d->slot.pid = d->slot.tid = d->pid;
	d->slot.pidfd = (int)syscall(SYS_pidfd_open, d->pid, 0);
	d->started_ns = pool_now_ns();
	d->state = PROC_RUNNING;
	*out = d;
	return 0;
fail:
	if (d->slot.out_rd >= 0)
		close(d->slot.out_rd);
	if (d->slot.out_wr >= 0)
		close(d->slot.out_wr);
	munmap(d->sh, sizeof(*d->sh));
	free(d);
	return -1;
}

/* Seconds since the start of a timestamp, -1 if not yet. */
static double demo_s(const struct proc_demo *d, int64_t t)
{
	return t ? (double)(t - d->t0_ns) / 1e9 : -1;
}

/* Advance without blocking; 1 once joined. */
int proc_demo_poll(struct proc_demo *d, struct proc_demo_snap *snap)
{
	int64_t now = pool_now_ns();

	if (!d)
		return 1;
	pool_drain(&d->out, &d->slot, true);
	if (d->state == PROC_RUNNING) {
		siginfo_t si;

		memset(&si, 0, sizeof(si));
		/* look at the exit without reaping: it stays a zombie until the join */
		if (waitid(P_PID, (id_t)d->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == d->pid) {
			d->exited_ns = now;
			d->exit_code = si.si_code == CLD_EXITED ? si.si_status : -si.si_status;
			d->state = PROC_EXITED;
		}
	}
	if (d->state == PROC_EXITED && now - d->started_ns >= d->join_after_ns) {
		pool_drain(&d->out, &d->slot, true);
		pool_flush_partial(&d->out, &d->slot);
		while (waitpid(d->pid, NULL, 0) < 0 && errno == EINTR)
			;
		d->joined_ns = pool_now_ns();
		d->state = PROC_JOINED;
		if (d->slot.pidfd >= 0)
			close(d->slot.pidfd);
		d->slot.pidfd = -1;
	}
	if (d->state == PROC_RUNNING || d->state == PROC_EXITED) {
		struct procstat ps;

		if (procstat_read(d->pid, d->pid, &ps) == 0)
			d->proc_state = ps.state;
	} else {
		d->proc_state = 0;
	}
	if (snap) {
		*snap = (struct proc_demo_snap){
			.state = d->state,
			.pid = d->pid,
			.parent_pid = d->parent,
			.proc_state = d->proc_state,
			.exit_code = d->exit_code,
			.created_s = 0,
			.started_s = demo_s(d, d->started_ns),
			.exited_s = demo_s(d, d->exited_ns),
			.joined_s = demo_s(d, d->joined_ns),
			.now_s = (double)(now - d->t0_ns) / 1e9,
			.has_result = d->state >= PROC_EXITED && atomic_load(&d->sh->has_result) &&
				      d->task->returns,
			.result = d->sh->result,
			.output = d->out.lines,
			.n_output = d->out.n,
		};
	}
	return d->state == PROC_JOINED;
}

/* The fds to poll() for news. */
int proc_demo_pollfds(struct proc_demo *d, int *fds, int max)
{
	int n = 0;

	if (!d)
		return 0;
	if (d->slot.pidfd >= 0 && d->state == PROC_RUNNING && n < max)
		fds[n++] = d->slot.pidfd;
	if (d->slot.out_rd >= 0 && n < max)
		fds[n++] = d->slot.out_rd;
	return n;
}

/* Block until joined; intr_fd readable kills the child. */
int proc_demo_wait(struct proc_demo *d, int intr_fd, struct proc_demo_snap *snap)
{
	while (!proc_demo_poll(d, snap)) {
		struct pollfd pfd[3];
		int fds[2], n = proc_demo_pollfds(d, fds, 2), np = 0, timeout = 50;

		for (int i = 0; i < n; i++)
			pfd[np++] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
		if (intr_fd >= 0)
			pfd[np++] = (struct pollfd){ .fd = intr_fd, .events = POLLIN };
		if (d->state == PROC_EXITED) {
			int64_t left = (d->started_ns + d->join_after_ns - pool_now_ns()) / 1000000;

			timeout = left < 1 ? 1 : left < 50 ? (int)left : 50;
		}
		if (poll(pfd, (nfds_t)np, timeout) > 0 && intr_fd >= 0 &&
		    (pfd[np - 1].revents & (POLLIN | POLLHUP | POLLERR))) {
			if (d->state == PROC_RUNNING)
				kill(d->pid, SIGKILL);
			d->join_after_ns = 0; /* join as soon as it is gone */
			intr_fd = -1;
		}
	}
	return 0;
}

/* Kill and reap the child if it is still there, and free. */
void proc_demo_free(struct proc_demo *d)
{
	if (!d)
		return;
	if (d->state == PROC_RUNNING || d->state == PROC_EXITED) {
		kill(d->pid, SIGKILL);
		while (waitpid(d->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (d->slot.pidfd >= 0)
		close(d->slot.pidfd);
	if (d->slot.out_rd >= 0)
		close(d->slot.out_rd);
	free(d->slot.partial);
	pool_output_free(&d->out);
	munmap(d->sh, sizeof(*d->sh));
	free(d);
}
