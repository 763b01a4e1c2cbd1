/*
 * pyrun.c — a Python script run by the real interpreter in its own process
 * group, its output captured line by line, its process tree found in /proc
 * and sampled (CPU %, core, state, a timeline each), and every process of
 * it killed and reaped when it ends, times out or is cancelled. The /proc
 * parsing and the tree selection are pure functions, tested on fixtures.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/clock.h"
#include "engine/pyrun.h"
#include "engine/pythons.h"

#define PYRUN_SCAN_MAX 4096 /* processes of the machine read per sample at most */
#define PYRUN_REAP_S 2.0    /* how long a kill waits for the group to be gone */
#define PYRUN_PARTIAL 4096  /* an unfinished line kept per stream */

/* One output stream being read. */
struct pyrun_stream {
	int fd;                   /* read end, -1 once closed */
	char part[PYRUN_PARTIAL]; /* the line so far */
	size_t n_part;
};

struct pyrun {
	char python[PATH_MAX];
	char *script;
	double timeout_s;
	pid_t pid;        /* the main process; its pgid too */
	bool reaped;      /* the main process was waited for */
	int status;       /* its wait status */
	struct rusage ru; /* its rusage (with the children it reaped) */
	bool over, timed_out, cancelled;
	int left_behind;
	int64_t t0_ns, end_ns, last_sample_ns;
	struct pyrun_stream out, err;
	struct pyrun_proc procs[PYRUN_MAX_PROCS];
	unsigned long long ticks[PYRUN_MAX_PROCS]; /* last sample's ticks per proc */
	size_t n_procs;
	struct pyrun_thread threads[PYRUN_MAX_THREADS];
	unsigned long long thread_ticks[PYRUN_MAX_THREADS];
	size_t n_threads;
	struct pyrun_line *lines;
	size_t n_lines, cap_lines, dropped;
	int peak;
	int n_samples;          /* timeline slots filled */
	double period_s;        /* a slot's span */
	long hz;                /* clock ticks a second */
	bool subreaper;         /* we set PR_SET_CHILD_SUBREAPER */
	struct pyrun_ent *scan; /* scratch for the /proc scan */
};

/* Seconds since the run started. */
static double pyrun_since(const struct pyrun *r, int64_t ns)
{
	return (double)(ns - r->t0_ns) / 1e9;
}

/* Parse a /proc/PID/stat line into e; -1 if malformed. */
int pyrun_parse_stat(const char *line, size_t len, struct pyrun_ent *e)
{
	char buf[1024];
	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	char *open = strchr(buf, '(');
	char *close = strrchr(buf, ')');
	if (!open || !close || close < open)
		return -1;
	memset(e, 0, sizeof *e);
	char *end;
	long pid = strtol(buf, &end, 10);
	if (end == buf || pid <= 0)
		return -1;
	e->pid = (pid_t)pid;
	size_t cl = (size_t)(close - open - 1);
	if (cl >= sizeof e->comm)
		cl = sizeof e->comm - 1;
	memcpy(e->comm, open + 1, cl);
	e->comm[cl] = '\0';
	/* fields from 3 on, space separated */
	char *p = close + 1;
	unsigned long long f[40];
	int n = 0;
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return -1;
	e->state = *p++;
	while (n < 40 && *p) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		long long v = strtoll(p, &end, 10);
		if (end == p)
			return -1;
		f[n++] = (unsigned long long)v;
		p = end;
	}
	/* f[0] is field 4 (ppid); field k is f[k - 4] */
	if (n < 12)
		return -1;
	e->ppid = (pid_t)f[0];
	e->pgrp = (pid_t)f[1];
	e->ticks = f[14 - 4] + f[15 - 4];
	e->core = n > 39 - 4 ? (int)f[39 - 4] : -1;
	return 0;
}

/* Mark root's tree: root, descendants by ppid (to any depth), members of pgrp. */
size_t pyrun_tree_select(const struct pyrun_ent *ents, size_t n, pid_t root, pid_t pgrp, bool *keep)
{
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		keep[i] = ents[i].pid == root || (pgrp > 0 && ents[i].pgrp == pgrp);
		kept += keep[i];
	}
	for (bool grew = true; grew;) { /* again until no new child is found */
		grew = false;
		for (size_t i = 0; i < n; i++) {
			if (keep[i])
				continue;
			for (size_t j = 0; j < n; j++)
				if (keep[j] && ents[i].ppid == ents[j].pid) {
					keep[i] = true;
					kept++;
					grew = true;
					break;
				}
		}
	}
	return kept;
}

/* Read a small file whole into buf; bytes read or -1. */
static ssize_t pyrun_read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* Read procdir's numeric entries into ents[max]. */
size_t pyrun_proc_scan(const char *procdir, struct pyrun_ent *ents, size_t max)
{
	DIR *d = opendir(procdir);
	if (!d)
		return 0;
	size_t n = 0;
	struct dirent *de;
	char path[PATH_MAX], buf[1024];
	while (n < max && (de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "%s/%s/stat", procdir, de->d_name);
		ssize_t k = pyrun_read_small(path, buf, sizeof buf);
		if (k > 0 && pyrun_parse_stat(buf, (size_t)k, &ents[n]) == 0)
			n++;
	}
	closedir(d);
	return n;
}

/* Keep one line of output (cut at PYRUN_LINE_MAX). */
static void pyrun_add_line(struct pyrun *r, int stream, const char *text, size_t len)
{
	if (r->n_lines >= PYRUN_MAX_LINES) {
		r->dropped++;
		return;
	}
	if (r->n_lines == r->cap_lines) {
		size_t cap = r->cap_lines ? r->cap_lines * 2 : 64;
		struct pyrun_line *nl = realloc(r->lines, cap * sizeof *nl);
		if (!nl) {
			r->dropped++;
			return;
		}
		r->lines = nl;
		r->cap_lines = cap;
	}
	if (len > PYRUN_LINE_MAX)
		len = PYRUN_LINE_MAX;
	char *t = malloc(len + 1);
	if (!t) {
		r->dropped++;
		return;
	}
	memcpy(t, text, len);
	t[len] = '\0';
	r->lines[r->n_lines++] = (struct pyrun_line){
	    .t_s = pyrun_since(r, engine_now_ns()), .stream = stream, .text = t};
}

/* Read what a stream has (non-blocking); at EOF keep the last partial line. */
static void pyrun_read_stream(struct pyrun *r, struct pyrun_stream *s, int stream)
{
	char buf[8192];
	while (s->fd >= 0) {
		ssize_t n = read(s->fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
				close(s->fd);
				s->fd = -1;
				if (s->n_part)
					pyrun_add_line(r, stream, s->part, s->n_part);
				s->n_part = 0;
			}
			return;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				pyrun_add_line(r, stream, s->part, s->n_part);
				s->n_part = 0;
			} else if (s->n_part < sizeof s->part) {
				s->part[s->n_part++] = buf[i];
			}
		}
	}
}

/* Halve the timeline: two slots become one, the period doubles. */
static void pyrun_hist_halve(struct pyrun *r)
{
	for (size_t i = 0; i < r->n_procs; i++) {
		struct pyrun_proc *p = &r->procs[i];
		uint8_t nh[PYRUN_HIST];
		int from = p->hist_from / 2, sum[PYRUN_HIST] = {0}, cnt[PYRUN_HIST] = {0}, m = 0;
		for (int k = 0; k < p->n_hist; k++) {
			int j = (p->hist_from + k) / 2 - from;
			sum[j] += p->hist[k];
			cnt[j]++;
			m = j + 1;
		}
		for (int j = 0; j < m; j++)
			nh[j] = (uint8_t)(cnt[j] ? sum[j] / cnt[j] : 0);
		memcpy(p->hist, nh, (size_t)m);
		p->hist_from = from;
		p->n_hist = m;
	}
	r->n_samples /= 2;
	r->period_s *= 2;
}

/* Sample the main process's threads. */
static void pyrun_sample_threads(struct pyrun *r, double dt)
{
	char dir[64], path[PATH_MAX], buf[1024];
	snprintf(dir, sizeof dir, "/proc/%d/task", (int)r->pid);
	DIR *d = opendir(dir);
	if (!d) {
		r->n_threads = 0;
		return;
	}
	struct pyrun_thread nt[PYRUN_MAX_THREADS];
	unsigned long long nticks[PYRUN_MAX_THREADS];
	size_t n = 0;
	struct dirent *de;
	while (n < PYRUN_MAX_THREADS && (de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "%s/%s/stat", dir, de->d_name);
		struct pyrun_ent e;
		ssize_t k = pyrun_read_small(path, buf, sizeof buf);
		if (k <= 0 || pyrun_parse_stat(buf, (size_t)k, &e) != 0)
			continue;
		double pct = 0;
		for (size_t i = 0; i < r->n_threads; i++)
			if (r->threads[i].tid == e.pid && dt > 0)
				pct = (double)(e.ticks - r->thread_ticks[i]) / (double)r->hz / dt *
				      100;
		nt[n] = (struct pyrun_thread){.tid = e.pid,
		                              .state = e.state,
		                              .core = e.core,
		                              .cpu_pct = pct > 100 ? 100 : pct};
		snprintf(nt[n].comm, sizeof nt[n].comm, "%s", e.comm);
		nticks[n] = e.ticks;
		n++;
	}
	closedir(d);
	memcpy(r->threads, nt, n * sizeof *nt);
	memcpy(r->thread_ticks, nticks, n * sizeof *nticks);
	r->n_threads = n;
}

/* One /proc sample of the tree: find new processes, CPU since the last, state. */
static void pyrun_sample(struct pyrun *r, int64_t now)
{
	double dt = r->last_sample_ns ? (double)(now - r->last_sample_ns) / 1e9 : 0;
	r->last_sample_ns = now;
	size_t n = pyrun_proc_scan("/proc", r->scan, PYRUN_SCAN_MAX);
	bool keep[PYRUN_SCAN_MAX];
	pyrun_tree_select(r->scan, n, r->pid, r->pid, keep);
	if (r->n_samples >= PYRUN_HIST)
		pyrun_hist_halve(r);
	int slot = r->n_samples++;
	bool seen[PYRUN_MAX_PROCS] = {false};
	int alive = 0;
	double t = pyrun_since(r, now);
	for (size_t i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		const struct pyrun_ent *e = &r->scan[i];
		size_t k = 0;
		while (k < r->n_procs && r->procs[k].pid != e->pid)
			k++;
		if (k == r->n_procs) {
			if (k == PYRUN_MAX_PROCS)
				continue;
			r->n_procs++;
			memset(&r->procs[k], 0, sizeof r->procs[k]);
			r->procs[k].pid = e->pid;
			r->procs[k].first_s = t;
			r->procs[k].hist_from = slot;
			r->ticks[k] = e->ticks;
		}
		struct pyrun_proc *p = &r->procs[k];
		double pct =
		    dt > 0 ? (double)(e->ticks - r->ticks[k]) / (double)r->hz / dt * 100 : 0;
		if (pct > 100)
			pct = 100;
		if (pct < 0)
			pct = 0;
		r->ticks[k] = e->ticks;
		p->ppid = e->ppid;
		p->state = e->state;
		p->core = e->core;
		p->cpu_s = (double)e->ticks / (double)r->hz;
		p->cpu_pct = pct;
		p->last_s = t;
		snprintf(p->comm, sizeof p->comm, "%s", e->comm);
		int idx = slot - p->hist_from;
		if (idx >= 0 && idx < PYRUN_HIST) {
			while (p->n_hist < idx)
				p->hist[p->n_hist++] = 0;
			p->hist[idx] = (uint8_t)(pct + 0.5);
			p->n_hist = idx + 1;
		}
		seen[k] = true;
		alive += e->state != 'Z';
	}
	for (size_t k = 0; k < r->n_procs; k++)
		if (!seen[k]) {
			r->procs[k].state = 'x';
			r->procs[k].cpu_pct = 0;
		}
	if (alive > r->peak)
		r->peak = alive;
	pyrun_sample_threads(r, dt);
}

/* Kill every process of the group (and any of the tree outside it), reap what
 * is ours, until the group is gone or PYRUN_REAP_S has passed. */
static void pyrun_kill_reap(struct pyrun *r)
{
	int64_t until = engine_now_ns() + (int64_t)(PYRUN_REAP_S * 1e9);
	for (;;) {
		kill(-r->pid, SIGKILL);
		for (size_t k = 0; k < r->n_procs; k++)
			if (r->procs[k].state != 'x' && r->procs[k].pid != r->pid)
				kill(r->procs[k].pid, SIGKILL);
		if (!r->reaped) {
			pid_t w = wait4(r->pid, &r->status, WNOHANG, &r->ru);
			if (w == r->pid || (w < 0 && errno == ECHILD))
				r->reaped = true;
		}
		/* orphans of the script came to us (subreaper): reap them */
		while (waitpid(-r->pid, NULL, WNOHANG) > 0)
			;
		for (size_t k = 0; k < r->n_procs; k++)
			if (r->procs[k].pid != r->pid)
				waitpid(r->procs[k].pid, NULL, WNOHANG);
		bool gone = kill(-r->pid, 0) < 0 && errno == ESRCH;
		if ((r->reaped && gone) || engine_now_ns() > until)
			break;
		struct timespec ts = {0, 5 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	for (size_t k = 0; k < r->n_procs; k++)
		r->procs[k].state = 'x';
	r->n_threads = 0;
}

/* The run is over: count what the script left, kill and reap it, drain the pipes. */
static void pyrun_finish(struct pyrun *r)
{
	if (r->over)
		return;
	r->end_ns = engine_now_ns();
	if (r->reaped) { /* it exited by itself: anything still there was left behind */
		size_t n = pyrun_proc_scan("/proc", r->scan, PYRUN_SCAN_MAX);
		bool keep[PYRUN_SCAN_MAX];
		pyrun_tree_select(r->scan, n, 0, r->pid, keep);
		for (size_t i = 0; i < n; i++)
			r->left_behind += keep[i] && r->scan[i].state != 'Z';
	}
	pyrun_kill_reap(r);
	if (r->subreaper) {
		prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
		r->subreaper = false;
	}
	/* what is in the pipes now is all there is: every writer is dead */
	pyrun_read_stream(r, &r->out, 1);
	pyrun_read_stream(r, &r->err, 2);
	if (r->out.fd >= 0)
		close(r->out.fd);
	if (r->err.fd >= 0)
		close(r->err.fd);
	r->out.fd = r->err.fd = -1;
	r->over = true;
}

/* Fill snap from the run. */
static void pyrun_fill(const struct pyrun *r, struct pyrun_snapshot *s)
{
	if (!s)
		return;
	memset(s, 0, sizeof *s);
	s->python = r->python;
	s->script = r->script;
	s->over = r->over;
	s->timed_out = r->timed_out;
	s->cancelled = r->cancelled;
	s->timeout_s = r->timeout_s;
	s->pid = r->pid;
	int64_t end = r->over ? r->end_ns : engine_now_ns();
	s->wall_s = pyrun_since(r, end);
	s->exit_code = -1;
	if (r->reaped && WIFEXITED(r->status))
		s->exit_code = WEXITSTATUS(r->status);
	else if (r->reaped && WIFSIGNALED(r->status))
		s->term_sig = WTERMSIG(r->status);
	if (r->over && r->reaped) {
		s->cpu_s = (double)r->ru.ru_utime.tv_sec + r->ru.ru_utime.tv_usec / 1e6 +
		           (double)r->ru.ru_stime.tv_sec + r->ru.ru_stime.tv_usec / 1e6;
	} else {
		for (size_t k = 0; k < r->n_procs; k++)
			s->cpu_s += r->procs[k].cpu_s;
	}
	s->left_behind = r->left_behind;
	s->peak_procs = r->peak;
	s->procs = r->procs;
	s->n_procs = r->n_procs;
	s->threads = r->threads;
	s->n_threads = r->n_threads;
	s->lines = r->lines;
	s->n_lines = r->n_lines;
	s->lines_dropped = r->dropped;
	s->sample_s = r->period_s;
	s->n_samples = r->n_samples;
}

/* Start the script; -1 with a message naming what is missing. */
int pyrun_start(const struct pyrun_spec *spec, struct pyrun **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!spec->script || !spec->script[0]) {
		snprintf(err, errlen, "pyrun needs a Python file, like pyrun demos/queue.py");
		return -1;
	}
	struct stat st;
	if (stat(spec->script, &st) != 0 || !S_ISREG(st.st_mode) ||
	    access(spec->script, R_OK) != 0) {
		snprintf(err, errlen, "pyrun: cannot read %s: %s", spec->script,
		         errno ? strerror(errno) : "not a regular file");
		return -1;
	}
	if (spec->timeout_s < 0 || spec->timeout_s > 86400) {
		snprintf(err, errlen, "pyrun: a timeout of %g s is out of range (0 < S <= 86400)",
		         spec->timeout_s);
		return -1;
	}
	struct pyrun *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->scan = malloc(PYRUN_SCAN_MAX * sizeof *r->scan);
	r->script = strdup(spec->script);
	if (!r->scan || !r->script)
		goto oom;
	if (pythons_resolve(spec->python, r->python, sizeof r->python, err, errlen) < 0)
		goto fail;
	r->timeout_s = spec->timeout_s > 0 ? spec->timeout_s : PYRUN_DEFAULT_TIMEOUT_S;
	r->period_s = PYRUN_SAMPLE_S;
	r->hz = sysconf(_SC_CLK_TCK) > 0 ? sysconf(_SC_CLK_TCK) : 100;
	int po[2], pe[2];
	if (pipe2(po, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pyrun: pipe: %s", strerror(errno));
		goto fail;
	}
	if (pipe2(pe, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pyrun: pipe: %s", strerror(errno));
		close(po[0]);
		close(po[1]);
		goto fail;
	}
	char **argv = calloc((size_t)spec->n_args + 3, sizeof *argv);
	if (!argv) {
		close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
		goto oom;
	}
	argv[0] = r->python;
	argv[1] = r->script;
	for (int i = 0; i < spec->n_args; i++)
		argv[2 + i] = spec->args[i];
	r->subreaper = prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
	pid_t parent = getpid();
	r->t0_ns = engine_now_ns();
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "pyrun: fork: %s", strerror(errno));
		free(argv);
		close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
		if (r->subreaper)
			prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
		goto fail;
	}
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != parent)
			_exit(127);
		dup2(po[1], STDOUT_FILENO);
		dup2(pe[1], STDERR_FILENO);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		/* what mptutor ignores or blocks must not carry into the script */
		for (int sig = 1; sig < 32; sig++)
			if (sig != SIGKILL && sig != SIGSTOP)
				signal(sig, SIG_DFL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setenv("PYTHONUNBUFFERED", "1", 1);
		execv(r->python, argv);
		dprintf(STDERR_FILENO, "pyrun: cannot run %s: %s\n", r->python, strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid); /* as the child does: whichever comes first */
	free(argv);
	close(po[1]);
	close(pe[1]);
	r->pid = pid;
	r->out.fd = po[0];
	r->err.fd = pe[0];
	fcntl(po[0], F_SETFL, O_NONBLOCK);
	fcntl(pe[0], F_SETFL, O_NONBLOCK);
	pyrun_sample(r, engine_now_ns());
	*out = r;
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	free(r->scan);
	free(r->script);
	free(r);
	return -1;
}

/* Advance without blocking; 1 once over. */
int pyrun_poll(struct pyrun *r, struct pyrun_snapshot *snap)
{
	if (!r->over) {
		pyrun_read_stream(r, &r->out, 1);
		pyrun_read_stream(r, &r->err, 2);
		int64_t now = engine_now_ns();
		if (now - r->last_sample_ns >= (int64_t)(r->period_s * 1e9))
			pyrun_sample(r, now);
		if (!r->reaped) {
			pid_t w = wait4(r->pid, &r->status, WNOHANG, &r->ru);
			if (w == r->pid)
				r->reaped = true;
		}
		if (r->reaped) {
			pyrun_finish(r);
		} else if (pyrun_since(r, now) >= r->timeout_s) {
			r->timed_out = true;
			pyrun_finish(r);
		}
	}
	pyrun_fill(r, snap);
	return r->over;
}

/* Until over; intr_fd readable cancels. */
void pyrun_wait(struct pyrun *r, int intr_fd, struct pyrun_snapshot *snap)
{
	while (!pyrun_poll(r, NULL)) {
		struct pollfd p[3];
		int n = 0;
		if (intr_fd >= 0)
			p[n++] = (struct pollfd){.fd = intr_fd, .events = POLLIN};
		if (r->out.fd >= 0)
			p[n++] = (struct pollfd){.fd = r->out.fd, .events = POLLIN};
		if (r->err.fd >= 0)
			p[n++] = (struct pollfd){.fd = r->err.fd, .events = POLLIN};
		int ms = (int)(r->period_s * 1000 / 2);
		if (poll(p, (nfds_t)n, ms) > 0 && intr_fd >= 0 && (p[0].revents & POLLIN)) {
			pyrun_cancel(r);
			break;
		}
	}
	pyrun_fill(r, snap);
}

/* Kill the group and reap it. */
void pyrun_cancel(struct pyrun *r)
{
	if (!r || r->over)
		return;
	r->cancelled = true;
	pyrun_finish(r);
}

/* The output pipes still open. */
int pyrun_pollfds(const struct pyrun *r, int *fds, int max)
{
	int n = 0;
	if (r->out.fd >= 0 && n < max)
		fds[n++] = r->out.fd;
	if (r->err.fd >= 0 && n < max)
		fds[n++] = r->err.fd;
	return n;
}

/* The group, 0 once over. */
pid_t pyrun_pgid(const struct pyrun *r)
{
	return r && !r->over ? r->pid : 0;
}

/* Cancel and free. */
void pyrun_free(struct pyrun *r)
{
	if (!r)
		return;
	pyrun_cancel(r);
	for (size_t i = 0; i < r->n_lines; i++)
		free(r->lines[i].text);
	free(r->lines);
	free(r->scan);
	free(r->script);
	free(r);
}
