/*
 * backend_process.c — the process pool: workers fork()ed from the parent,
 * sharing the mmap'd arena, their stdout/stderr captured through a pipe each,
 * watched through a pidfd each. A worker killed by a signal is noticed at
 * once (its pidfd wakes the parent's poll): its item is failed with the
 * signal's name and a replacement is forked into the slot, which finishes
 * the dead worker's chunk first. Every child is reaped on every path.
 */
#include "engine/clock.h"
#include "engine/pool.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROC_READY_MAX_NS 2000000000LL /* start waits this long at most for workers at the gate */
#define PROC_READY_LOOK_NS 5000000L    /* ... and looks for one that died this often */
/* A forked child does not inherit the parent's page tables of a shared mapping:
 * each worker would take a minor fault a page of the arena inside its items. It
 * maps the items' part in before the gate when all workers together map at most this. */
#define PROC_PREFAULT_MAX ((size_t)512 << 20)

#define PROC_PARK_BATCH 32   /* read ends parked a message (SCM_RIGHTS takes up to 253) */
#define PROC_OUT_PARKED (-2) /* a slot's out_rd while its read end is parked */

/* Nanoseconds of a struct timeval. */
static int64_t proc_tv_ns(struct timeval tv)
{
	return (int64_t)tv.tv_sec * 1000000000 + (int64_t)tv.tv_usec * 1000;
}

/* Child: signals as a fresh worker needs them (the parent's handlers are not ours). */
static void proc_child_signals(void)
{
	static const int dfl[] = {SIGTERM, SIGHUP,  SIGPIPE, SIGCHLD, SIGWINCH, SIGTSTP,
	                          SIGCONT, SIGUSR1, SIGUSR2, SIGALRM, SIGSEGV,  SIGBUS};
	sigset_t none;

	for (size_t i = 0; i < sizeof(dfl) / sizeof(dfl[0]); i++)
		signal(dfl[i], SIG_DFL);
	/* Ctrl-C goes to the whole process group: the parent cancels the run */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Child: stdout/stderr to the pipe, efd (if any) to fd 3, stdin from /dev/null,
 * nothing else open. */
static int proc_child_fds(int out_wr, int efd)
{
	int hi_w = fcntl(out_wr, F_DUPFD, 64);
	int hi_e = efd >= 0 ? fcntl(efd, F_DUPFD, 64) : -1;
	int nul;

	if (hi_w < 0 || (efd >= 0 && hi_e < 0))
		return -1;
	if (dup2(hi_w, 1) < 0 || dup2(hi_w, 2) < 0 || (hi_e >= 0 && dup2(hi_e, 3) < 0))
		return -1;
	nul = open("/dev/null", O_RDONLY);
	if (nul > 0)
		dup2(nul, 0);
	close_range(hi_e >= 0 ? 4 : 3, ~0U, 0);
	return 0;
}

/* Child: die with the parent, default signals, captured stdout; -1 if the parent is gone. */
int pool_child_prepare(pid_t parent, int out_wr, int efd)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		return -1; /* the parent died before the line above */
	proc_child_signals();
	return proc_child_fds(out_wr, efd);
}

/* Child: map in the item records and the completion order it will write (every
 * worker may write any of them), so its items take no first-touch faults: fork
 * copies no page tables of a shared mapping, each child maps its own. Not the
 * other workers' records: at 1,024 workers those are 100 pages a worker,
 * 100,000 page-table entries filled and torn down for nothing. Skipped when all
 * workers together would map more than PROC_PREFAULT_MAX. (Mapping each chunk's
 * records as it is claimed instead maps each page in one worker only, but inside
 * the map: on 1,000,000 items and 2 workers its wall time grew by more than the
 * CPU it saved.) */
static void proc_child_prefault(const struct run *run)
{
	const char *to = (const char *)run->job.base + run->job.size;

	if (run->job.n_items == 0 ||
	    (size_t)(to - (const char *)run->job.item) * (size_t)run->nw > PROC_PREFAULT_MAX)
		return;
	pool_map_in(run->job.item, to);
}

/* Child: become a worker of the run, never return. */
static _Noreturn void proc_child(struct run *run, struct pool_slot *slot)
{
	struct pool_wrec *w = &run->job.wrec[slot->id];
	struct timespec ts;
	struct task_ctx ctx = {
	    .worker = slot->id,
	    .out_fd = 1,
	    .breaker = &w->breaker,
	    .on_break = pool_plain_on_break,
	    .cancel = &run->job.head->cancel,
	};

	if (pool_child_prepare(run->parent_pid, slot->out_wr, run->efd) < 0)
		_exit(1);
	pool_worker_nice(&run->job);
	proc_child_prefault(run);
	atomic_store_explicit(&w->tid, (int)getpid(), memory_order_relaxed);
	atomic_store_explicit(&w->state, WORKER_IDLE, memory_order_relaxed);
	/* the parent sleeps until the last of the pool is ready: one wake-up, not nw */
	if (atomic_fetch_add_explicit(&run->job.head->ready, 1, memory_order_release) + 1 ==
	    run->nw)
		syscall(SYS_futex, (int *)&run->job.head->ready, FUTEX_WAKE, 1, NULL, NULL, 0);
	pool_gate_wait(&run->job, slot->id);
	pool_worker_loop(&run->job, slot->id, &ctx, 3);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	atomic_store(&w->cpu_ns, (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
	_exit(0);
}

/* Watch a forked worker through a pidfd (-1: the parent falls back to timed polls). */
static void proc_watch_slot(struct pool_slot *slot)
{
	if (slot->pidfd < 0)
		slot->pidfd = (int)syscall(SYS_pidfd_open, slot->pid, 0);
}

/* Fork one worker into a slot, not watched yet (proc_watch_slot); -1 with a
 * message naming the failing call. */
static int proc_fork_slot(struct run *run, struct pool_slot *slot, char *err, size_t errlen)
{
	pid_t pid;

	if (pool_slot_pipe(slot) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	atomic_store(&run->job.wrec[slot->id].state, WORKER_STARTING);
	atomic_store(&run->job.wrec[slot->id].gen, slot->restarts);
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(slot->out_rd);
		close(slot->out_wr);
		slot->out_rd = slot->out_wr = -1;
		snprintf(err, errlen, "fork: %s", strerror(e));
		return -1;
	}
	if (pid == 0)
		proc_child(run, slot);
	close(slot->out_wr);
	slot->out_wr = -1;
	slot->pid = slot->tid = pid;
	slot->alive = true;
	slot->dead = false;
	slot->cpu_last_ns = 0;
	slot->pct_cpu_ns = 0;
	slot->pct_t_ns = engine_now_ns();
	return 0;
}

/*
 * While the pool is forked, the parent parks each worker's pipe read end in a
 * socket to itself (SCM_RIGHTS), PROC_PARK_BATCH at a time, and takes them all
 * back once the last worker is forked. A read end left in its table would be
 * inherited by every later worker: copied by each fork, closed again one by
 * one by each child (1,024 workers: half a million descriptors, most of a
 * worker's start-up). Parked, a worker inherits at most a batch.
 */
struct proc_park {
	int sock[2];                             /* datagram socketpair, -1: not parking */
	int fd[PROC_PARK_BATCH];                 /* read ends to send */
	struct pool_slot *slot[PROC_PARK_BATCH]; /* whose they are */
	int n;                                   /* in fd[] */
};

/* Open the parking socket for a pool of nw workers: none for a pool of a
 * batch or fewer, whose ends would all be sent at the last fork, after every
 * worker had inherited them anyway (on failure nothing is parked either: the
 * ends stay open). */
static void proc_park_open(struct proc_park *pk, int nw)
{
	pk->n = 0;
	if (nw <= PROC_PARK_BATCH ||
	    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, pk->sock) < 0)
		pk->sock[0] = pk->sock[1] = -1;
}

/* Send the batch; the slots whose end was sent marked PROC_OUT_PARKED. On a
 * failure (a full socket) they keep their read ends in the table. */
static void proc_park_flush(struct proc_park *pk)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int) * PROC_PARK_BATCH)];
	} u;
	char byte = 0;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr mh = {
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = u.buf,
	    .msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)pk->n),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	if (pk->n == 0)
		return;
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)pk->n);
	memcpy(CMSG_DATA(c), pk->fd, sizeof(int) * (size_t)pk->n);
	if (sendmsg(pk->sock[0], &mh, MSG_DONTWAIT | MSG_NOSIGNAL) == 1)
		for (int k = 0; k < pk->n; k++) {
			close(pk->fd[k]);
			pk->slot[k]->out_rd = PROC_OUT_PARKED;
		}
	pk->n = 0;
}

/* Park a newly forked slot's read end (sent with the batch it fills). */
static void proc_park(struct proc_park *pk, struct pool_slot *slot)
{
	if (pk->sock[0] < 0)
		return;
	pk->slot[pk->n] = slot;
	pk->fd[pk->n++] = slot->out_rd;
	if (pk->n == PROC_PARK_BATCH)
		proc_park_flush(pk);
}

/* Take every parked read end back, in the order parked (slot order), and close
 * the socket (what it still holds goes with it). */
static void proc_park_close(struct run *run, struct proc_park *pk)
{
	int next = 0;

	if (pk->sock[0] < 0)
		return;
	proc_park_flush(pk);
	for (;;) {
		union {
			struct cmsghdr h;
			char buf[CMSG_SPACE(sizeof(int) * PROC_PARK_BATCH)];
		} u;
		char byte;
		struct iovec iov = {.iov_base = &byte, .iov_len = 1};
		struct msghdr mh = {
		    .msg_iov = &iov,
		    .msg_iovlen = 1,
		    .msg_control = u.buf,
		    .msg_controllen = sizeof(u.buf),
		};
		struct cmsghdr *c;

		if (recvmsg(pk->sock[1], &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) < 0)
			break;
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			int *fds = (int *)CMSG_DATA(c);

			if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
				continue;
			for (int k = 0; k < n; k++) {
				while (next < run->nw && run->slots[next].out_rd != PROC_OUT_PARKED)
					next++;
				if (next < run->nw)
					run->slots[next].out_rd = fds[k];
				else
					close(fds[k]);
			}
		}
	}
	for (int i = 0; i < run->nw; i++) /* none should be left: no output then */
		if (run->slots[i].out_rd == PROC_OUT_PARKED)
			run->slots[i].out_rd = -1;
	close(pk->sock[0]);
	close(pk->sock[1]);
	pk->sock[0] = pk->sock[1] = -1;
}

/* Close what the parent holds for a reaped worker. */
static void proc_close_slot(struct run *run, struct pool_slot *slot)
{
	if (slot->pidfd >= 0)
		close(slot->pidfd);
	slot->pidfd = -1;
	pool_drain(&run->out, slot, true);
	pool_flush_partial(&run->out, slot);
	if (slot->out_rd >= 0)
		close(slot->out_rd);
	slot->out_rd = -1;
	slot->alive = false;
}

/* A reaped worker: account its CPU; if it was killed, fail its item and replace it. */
static void proc_reaped(struct run *run, struct pool_slot *slot, int st, const struct rusage *ru)
{
	struct pool_wrec *w = &run->job.wrec[slot->id];
	const struct pool_job *job = &run->job;
	long cur, next, hi;
	int64_t range;
	char msg[200], sb[32];
	bool left;

	proc_close_slot(run, slot);
	pool_publish_dead(job, slot->id); /* its batch not yet in the order, if any */
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		int64_t c = atomic_load(&w->cpu_ns);

		slot->cpu_gone_ns += c ? c : proc_tv_ns(ru->ru_utime) + proc_tv_ns(ru->ru_stime);
		atomic_store(&w->cpu_ns, 0);
		return;
	}
	slot->cpu_gone_ns += proc_tv_ns(ru->ru_utime) + proc_tv_ns(ru->ru_stime);
	atomic_store(&w->cpu_ns, 0);
	if (run->cancelled)
		return; /* our own SIGKILL, or a worker dying as the run stops */
	cur = atomic_load(&w->cur_item);
	range = atomic_load(&w->range);
	next = (long)(range & 0xffffffff);
	hi = (long)(range >> 32);
	if (cur >= next && cur < hi) /* its chunk up to cur is done (cur fails below) */
		next = cur + 1;
	atomic_store(&w->range, ((int64_t)hi << 32) | next); /* where a replacement starts */
	if (cur >= 0 &&
	    atomic_load_explicit(&job->item[cur].status, memory_order_acquire) < ITEM_DONE) {
		if (WIFSIGNALED(st))
			snprintf(msg, sizeof(msg),
			         "worker %d (pid %d) killed by %s while running item %ld", slot->id,
			         (int)slot->pid, pool_signame(WTERMSIG(st), sb, sizeof(sb)), cur);
		else
			snprintf(msg, sizeof(msg),
			         "worker %d (pid %d) exited with status %d while running item %ld",
			         slot->id, (int)slot->pid, WEXITSTATUS(st), cur);
		pool_fail_item(run, (size_t)cur, slot->id, atomic_load(&w->cur_start_ns), msg);
	}
	atomic_store(&w->cur_item, -1);
	slot->dead = true;
	left =
	    next < hi || atomic_load(&job->head->next_chunk) * job->chunksize < (long)job->n_items;
	if (left && !run->map_done) {
		char e[ENGINE_ERRLEN];

		pool_slot_retire(run, slot);
		if (proc_fork_slot(run, slot, e, sizeof(e)) == 0) /* else the slot stays dead */
			proc_watch_slot(slot);
	}
}

/* Which live slots' pidfds say their worker ended: one poll() for all of them,
 * so a pool of 1024 is not 1024 wait4 calls a wake-up. ended[i] set for those
 * (and for every live slot without a pidfd); false if poll failed (look at all). */
static bool proc_ended(struct run *run, bool *ended)
{
	struct pollfd *pfd = malloc((size_t)run->nw * sizeof(*pfd));
	int *slot_of = malloc((size_t)run->nw * sizeof(*slot_of));
	int n = 0;
	bool ok = pfd && slot_of;

	for (int i = 0; ok && i < run->nw; i++) {
		ended[i] = run->slots[i].alive && run->slots[i].pidfd < 0;
		if (run->slots[i].alive && run->slots[i].pidfd >= 0) {
			pfd[n] = (struct pollfd){.fd = run->slots[i].pidfd, .events = POLLIN};
			slot_of[n++] = i;
		}
	}
	if (ok && n > 0 && poll(pfd, (nfds_t)n, 0) < 0)
		ok = false;
	for (int k = 0; ok && k < n; k++)
		ended[slot_of[k]] = pfd[k].revents != 0;
	free(pfd);
	free(slot_of);
	return ok;
}

/* Reap every worker that ended, without blocking (or blocking: stop). */
static void proc_reap_mode(struct run *run, int flags)
{
	bool *ended = flags == WNOHANG ? calloc((size_t)run->nw, sizeof(*ended)) : NULL;
	bool some = ended && proc_ended(run, ended);

	for (int i = 0; i < run->nw; i++) {
		struct pool_slot *slot = &run->slots[i];
		struct rusage ru;
		int st = 0;
		pid_t r;

		if (!slot->alive || (some && !ended[i]))
			continue;
		do
			r = wait4(slot->pid, &st, flags, &ru);
		while (r < 0 && errno == EINTR);
		if (r == 0)
			continue;
		if (r < 0) { /* reaped by someone else (a SIGCHLD handler): count it as exited */
			memset(&ru, 0, sizeof(ru));
			st = 0;
		}
		proc_reaped(run, slot, st, &ru);
		if (flags == 0 && slot->alive)
			i--; /* stop: a replacement was forked (only when not cancelled) */
	}
	free(ended);
}

/* Reap what ended, replace what died. */
static void proc_reap(struct run *run)
{
	proc_reap_mode(run, WNOHANG);
}

/* SIGKILL every live worker. */
static void proc_kill(struct run *run)
{
	for (int i = 0; i < run->nw; i++)
		if (run->slots[i].alive)
			kill(run->slots[i].pid, SIGKILL);
}

/* Block until every worker is reaped. */
static void proc_stop(struct run *run)
{
	proc_reap_mode(run, 0);
}

/* Has any live worker ended (looked at without reaping it)? One poll() of the
 * pidfds; waitid only for a slot without one. */
static bool proc_any_gone(struct run *run)
{
	bool *ended = calloc((size_t)run->nw, sizeof(*ended));
	bool polled = ended && proc_ended(run, ended), gone = false;

	for (int i = 0; i < run->nw && !gone; i++) {
		siginfo_t si;

		if (!run->slots[i].alive || (polled && !ended[i]))
			continue;
		if (polled && run->slots[i].pidfd >= 0) {
			gone = true;
			break;
		}
		memset(&si, 0, sizeof(si));
		gone =
		    waitid(P_PID, (id_t)run->slots[i].pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == run->slots[i].pid;
	}
	free(ended);
	return gone;
}

/* Wait until every worker is at the gate: a worker still setting itself up
 * when the gate opens would start the map late and end it late, its set-up
 * counted as map or teardown. The last one to be ready wakes it. Gives up if a
 * worker dies first (looked for every PROC_READY_LOOK_NS; the run's reaping
 * reports it) or after PROC_READY_MAX_NS. */
static void proc_wait_ready(struct run *run)
{
	struct pool_head *head = run->job.head;
	int64_t give_up = engine_now_ns() + PROC_READY_MAX_NS;

	for (;;) {
		int r = atomic_load_explicit(&head->ready, memory_order_acquire);
		struct timespec ts = {0, PROC_READY_LOOK_NS}; /* then look for a dead worker */

		if (r >= run->nw || engine_now_ns() > give_up)
			return;
		if (syscall(SYS_futex, (int *)&head->ready, FUTEX_WAIT, r, &ts, NULL, 0) < 0 &&
		    errno == ETIMEDOUT && proc_any_gone(run))
			return;
	}
}

/* Fork every worker, its read end parked as it is forked (see proc_park), then
 * watch them: a pidfd opened as each was forked would be inherited by every
 * later one too. On a failure kill and reap the ones made. */
static int proc_start(struct run *run, char *err, size_t errlen)
{
	struct proc_park pk;

	/* Memory the heap holds freed (a big run's arrays, gone) is still mapped:
	 * every fork would copy its page tables and every worker's exit tear them
	 * down (after a 1,000,000-item run, 60 MB: milliseconds a worker). Handed
	 * back first, the workers are forked from the process's real size. */
	malloc_trim(0);
	proc_park_open(&pk, run->nw);
	for (int i = 0; i < run->nw; i++) {
		char e[ENGINE_ERRLEN];

		if (proc_fork_slot(run, &run->slots[i], e, sizeof(e)) < 0) {
			snprintf(err, errlen, "cannot start worker %d of %d: %s", i + 1, run->nw,
			         e);
			proc_park_close(run, &pk);
			run->cancelled = true;
			proc_kill(run);
			proc_stop(run);
			return -1;
		}
		proc_park(&pk, &run->slots[i]);
	}
	proc_park_close(run, &pk);
	for (int i = 0; i < run->nw; i++)
		proc_watch_slot(&run->slots[i]);
	proc_wait_ready(run);
	return 0;
}

/* Live CPU time of a worker process. */
static int64_t proc_cpu_ns(struct run *run, struct pool_slot *slot)
{
	clockid_t cid;
	struct timespec ts;

	(void)run;
	if (clock_getcpuclockid(slot->pid, &cid) != 0 || clock_gettime(cid, &ts) != 0)
		return -1;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

const struct backend_ops backend_process_ops = {
    .kind = BACKEND_PROCESS,
    .start = proc_start,
    .reap = proc_reap,
    .kill = proc_kill,
    .stop = proc_stop,
    .cpu_ns = proc_cpu_ns,
};
