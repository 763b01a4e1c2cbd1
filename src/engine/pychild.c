/*
 * pychild.c — the interpreter as our child: spawned in a process group of
 * its own with PR_SET_PDEATHSIG, its private FIFO and items file, the wait
 * for its hello, the tail of its own stdout/stderr, and its end: the whole
 * group killed, the interpreter reaped, the files removed (pychild.h).
 */
#include "engine/pychild.h"

#include "engine/clock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Nothing open, nothing made. */
void pychild_init(struct pychild *c)
{
	memset(c, 0, sizeof(*c));
	c->ev_rd = c->ev_wr = c->out_rd = c->pidfd = -1;
}

/* The temp dir, its FIFO (both ends open) and the items file; -1 with a message. */
int pychild_make_files(struct pychild *c, const char *prefix, int pipe_size, const int64_t *items,
                       size_t n, char *err, size_t errlen)
{
	const char *tmpdir = getenv("TMPDIR");
	FILE *f;
	int fd;

	snprintf(c->tmp, sizeof c->tmp, "%s/%sXXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp", prefix);
	if (!mkdtemp(c->tmp)) {
		snprintf(err, errlen, "cannot make a temp dir %s: %s", c->tmp, strerror(errno));
		c->tmp[0] = '\0';
		return -1;
	}
	snprintf(c->fifo, sizeof c->fifo, "%s/events", c->tmp);
	snprintf(c->items, sizeof c->items, "%s/items", c->tmp);
	if (mkfifo(c->fifo, 0600) < 0) {
		snprintf(err, errlen, "mkfifo %s: %s", c->fifo, strerror(errno));
		return -1;
	}
	/* the read end first (O_NONBLOCK: no writer yet), then our own write end,
	 * so the FIFO never reads EOF nor polls HUP while writers come and go */
	c->ev_rd = open(c->fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	c->ev_wr = c->ev_rd < 0 ? -1 : open(c->fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (c->ev_rd < 0 || c->ev_wr < 0) {
		snprintf(err, errlen, "cannot open the FIFO %s: %s", c->fifo, strerror(errno));
		return -1;
	}
	if (pipe_size > 0)
		fcntl(c->ev_rd, F_SETPIPE_SZ, pipe_size); /* a flood of output waits less */
	fd = open(c->items, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		snprintf(err, errlen, "cannot write %s: %s", c->items, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%lld\n", (long long)items[i]);
	if (fclose(f) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", c->items, strerror(errno));
		return -1;
	}
	return 0;
}

/* The child: its own process group, dies with us, stdin /dev/null, stdout and
 * stderr to out_wr, nothing else open; then the interpreter. Never returns. */
static _Noreturn void pychild_exec(pid_t parent, int out_wr, int nice, char *const argv[])
{
	sigset_t none;
	int nul, hi;

	setpgid(0, 0);
	if (nice > 0)
		setpriority(PRIO_PROCESS, 0, nice);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	hi = fcntl(out_wr, F_DUPFD, 64);
	nul = open("/dev/null", O_RDONLY);
	if (hi < 0 || nul < 0 || dup2(nul, 0) < 0 || dup2(hi, 1) < 0 || dup2(hi, 2) < 0)
		_exit(127);
	close_range(3, ~0U, 0);
	execv(argv[0], argv);
	dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Fork the interpreter with its output on a pipe of ours; -1 with a message. */
int pychild_spawn(struct pychild *c, pid_t parent, char *const argv[], char *err, size_t errlen)
{
	int out[2];
	pid_t pid;

	if (pipe2(out, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	c->spawn_ns = engine_now_ns();
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(out[0]);
		close(out[1]);
		return -1;
	}
	if (pid == 0)
		pychild_exec(parent, out[1], c->nice, argv);
	setpgid(pid, pid); /* as the child does: whichever runs first */
	close(out[1]);
	c->out_rd = out[0];
	fcntl(c->out_rd, F_SETFL, O_NONBLOCK);
	c->pid = pid;
	c->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	return 0;
}

/* Wait for the hello, the interpreter's exit, a bad line or the timeout. */
enum pychild_wait pychild_wait_hello(struct pychild *c, int64_t timeout_ns, const char *path,
                                     int (*take)(void *ctx), void *ctx, char *err, size_t errlen)
{
	int64_t deadline = c->spawn_ns + timeout_ns;

	for (;;) {
		struct pollfd pfd[3] = {
		    {.fd = c->ev_rd, .events = POLLIN},
		    {.fd = c->out_rd, .events = POLLIN},
		    {.fd = c->pidfd, .events = POLLIN},
		};
		int64_t left = (deadline - engine_now_ns()) / 1000000;
		int got;

		if (left <= 0) {
			snprintf(err, errlen, "python interpreter %s did not start within %lld s",
			         path, (long long)(timeout_ns / 1000000000LL));
			return PYCHILD_TIMEOUT;
		}
		/* without a pidfd, look for its exit every 10 ms */
		poll(pfd, 3, c->pidfd >= 0 ? (int)(left > 1000 ? 1000 : left) : 10);
		got = take(ctx);
		pychild_drain_own(c);
		if (got > 0)
			return PYCHILD_READY;
		if (pychild_reap(c, false)) {
			if (take(ctx) > 0)
				return PYCHILD_READY;
			pychild_drain_own(c);
			return PYCHILD_EXITED;
		}
		if (got < 0)
			return PYCHILD_FAULT;
	}
}

/* Keep the tail of what the interpreter wrote to its own stdout/stderr. */
void pychild_own_add(struct pychild *c, const char *b, size_t n)
{
	if (n >= PYCHILD_OWN_MAX) {
		memcpy(c->own, b + n - PYCHILD_OWN_MAX, PYCHILD_OWN_MAX);
		c->own_len = PYCHILD_OWN_MAX;
	} else {
		if (c->own_len + n > PYCHILD_OWN_MAX) {
			size_t drop = c->own_len + n - PYCHILD_OWN_MAX;

			memmove(c->own, c->own + drop, c->own_len - drop);
			c->own_len -= drop;
		}
		memcpy(c->own + c->own_len, b, n);
		c->own_len += n;
	}
	c->own[c->own_len] = '\0';
}

/* Read the interpreter's own stdout/stderr now; closes it on EOF. */
void pychild_drain_own(struct pychild *c)
{
	char b[4096];

	while (c->out_rd >= 0) {
		ssize_t r = read(c->out_rd, b, sizeof b);

		if (r > 0) {
			pychild_own_add(c, b, (size_t)r);
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) {
			close(c->out_rd);
			c->out_rd = -1;
		}
		return;
	}
}

/* The last non-empty line of the interpreter's own output into buf ("" none). */
const char *pychild_own_last(const struct pychild *c, char *buf, size_t len)
{
	size_t e = c->own_len, s;

	while (e > 0 && (c->own[e - 1] == '\n' || c->own[e - 1] == '\r'))
		e--;
	for (s = e; s > 0 && c->own[s - 1] != '\n'; s--)
		;
	snprintf(buf, len, "%.*s", (int)(e - s), c->own + s);
	return buf;
}

/* Reap the interpreter if it has ended (block: wait for it). */
bool pychild_reap(struct pychild *c, bool block)
{
	pid_t r;

	if (c->reaped || c->pid <= 0)
		return c->reaped;
	do
		r = waitpid(c->pid, &c->status, block ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return false;
	if (r < 0)
		c->status = 0;
	c->reaped = true;
	c->reaped_ns = engine_now_ns();
	if (c->pidfd >= 0)
		close(c->pidfd);
	c->pidfd = -1;
	return true;
}

/* The status it exited with, or -N for signal N. */
int pychild_exit_status(const struct pychild *c)
{
	return WIFSIGNALED(c->status) ? -WTERMSIG(c->status) : WEXITSTATUS(c->status);
}

/* SIGKILL the whole group while the interpreter is not reaped. */
void pychild_kill(struct pychild *c)
{
	if (c->pid > 0 && !c->reaped)
		killpg(c->pid, SIGKILL);
}

/* Is a process of the group (not a zombie) still there? */
bool pychild_group_alive(pid_t pgid)
{
	DIR *d;
	struct dirent *e;
	bool alive = false;

	if (killpg(pgid, 0) < 0)
		return false;
	d = opendir("/proc");
	if (!d)
		return true;
	while (!alive && (e = readdir(d))) {
		char path[300], b[512], state;
		int fd, ppid, pgrp;
		ssize_t n;
		const char *rp;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, b, sizeof b - 1);
		close(fd);
		if (n <= 0)
			continue;
		b[n] = '\0';
		rp = strrchr(b, ')');
		if (rp && sscanf(rp + 1, " %c %d %d", &state, &ppid, &pgrp) == 3 && pgrp == pgid &&
		    state != 'Z' && state != 'X')
			alive = true;
	}
	closedir(d);
	return alive;
}

/* Kill, reap, wait for the group to be gone, SIGKILL what is left of it. */
void pychild_end(struct pychild *c, int64_t grace_ns, bool patient)
{
	int64_t until;

	if (c->pid <= 0)
		return;
	pychild_kill(c);
	pychild_reap(c, true);
	until = engine_now_ns() + grace_ns;
	while (pychild_group_alive(c->pid) && engine_now_ns() < until) {
		if (!patient)
			killpg(c->pid, SIGKILL);
		poll(NULL, 0, 5);
	}
	killpg(c->pid, SIGKILL); /* anything left of it (ESRCH if nothing) */
}

/* Remove the temp dir and what is in it. */
void pychild_remove_files(struct pychild *c)
{
	if (!c->tmp[0])
		return;
	unlink(c->fifo);
	unlink(c->items);
	rmdir(c->tmp);
	c->tmp[0] = '\0';
}

/* Close every fd and remove the files. */
void pychild_close(struct pychild *c)
{
	int *fds[] = {&c->ev_rd, &c->ev_wr, &c->out_rd, &c->pidfd};

	for (size_t k = 0; k < sizeof fds / sizeof fds[0]; k++) {
		if (*fds[k] >= 0)
			close(*fds[k]);
		*fds[k] = -1;
	}
	pychild_remove_files(c);
}
