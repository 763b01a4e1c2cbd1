/*
 * pydemo.c — the Python variant of the Process demo: spawns
 * `python -u mptutor_py.py process` in a process group of its own, reads its
 * event lines from a private FIFO without blocking, and keeps each child's
 * life (made, started, its item, exited, joined) as the lines say. The
 * children are the interpreter's, so their exit and join are its to see; the
 * demo (demo.c) reads their kernel state from /proc. Killing is by the
 * group: the interpreter and every child it forked go at once.
 */
#include "engine/pydemo.h"

#include "engine/clock.h"
#include "engine/pychild.h"
#include "engine/pyevent.h"
#include "engine/pythons.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PYDEMO_HELLO_TIMEOUT_NS 30000000000LL /* the hello must come within this */
#define PYDEMO_GONE_WAIT_NS 2000000000LL      /* the killed group may take this long */
#define PYDEMO_PART_MAX 4096                  /* a printed line kept at most */

struct pydemo {
	struct run_python info;
	struct pychild ch; /* the interpreter, its group, FIFO and files */
	char path[PATH_MAX], script[PATH_MAX];
	char impl[32], version[32], method[16];
	char fault[512];
	char *buf; /* FIFO bytes not yet a whole line */
	size_t len, cap;
	bool hello, done, joins, killed;
	int64_t t0_ns;
	size_t n;
	const int64_t *items_v;
	struct pydemo_child *c; /* [n] */
	char **part;            /* [2n]: a printed line going on in the next O: */
	size_t *part_len;       /* [0, n) child k's; [n, 2n) a pid not yet known as a child's */
	pid_t *part_pid;        /* [2n]: the pid an unknown slot is taken by, 0 free */
	struct pyevent ev;
};

/* Set the fault once (the first reason wins). */
static void pd_fault(struct pydemo *p, const char *msg)
{
	if (!p->fault[0])
		snprintf(p->fault, sizeof p->fault, "%.500s", msg);
}

/* The Process whose pid this is, -1 none. */
static int pd_child_of(const struct pydemo *p, pid_t pid)
{
	for (size_t k = 0; k < p->n; k++)
		if (p->c[k].pid == pid)
			return (int)k;
	return -1;
}

/* A printed line (or a piece of one) of child k; all go as worker 0's, as
 * the C demo's one shared stdout pipe has them. */
static void pd_output(struct pydemo *p, int k, const struct pyevent *ev, struct pool_output *out)
{
	/* A child's output can come before the line that names its pid (its R
	 * is the parent's, written after start() returns): a pid that is not
	 * the interpreter's own keeps its line in a slot of its own until the
	 * line ends, known or not by then. */
	pid_t pid = ev->output.pid;
	int slot = -1, free_slot = -1;
	for (size_t j = p->n; j < 2 * p->n; j++) {
		if (p->part_pid[j] == pid)
			slot = (int)j;
		else if (p->part_pid[j] == 0 && free_slot < 0)
			free_slot = (int)j;
	}
	if (slot >= 0)
		k = slot;
	else if (k < 0 && pid != p->ch.pid && free_slot >= 0)
		k = free_slot;
	if (k < 0) { /* not a child's (cannot be placed): the interpreter's own */
		pychild_own_add(&p->ch, ev->text, ev->text_len);
		pychild_own_add(&p->ch, "\n", 1);
		return;
	}
	if ((size_t)k >= p->n)
		p->part_pid[k] = pid;
	size_t room = PYDEMO_PART_MAX - p->part_len[k];
	size_t n = ev->text_len < room ? ev->text_len : room;
	if (!p->part[k])
		p->part[k] = malloc(PYDEMO_PART_MAX);
	if (p->part[k]) {
		memcpy(p->part[k] + p->part_len[k], ev->text, n);
		p->part_len[k] += n;
	}
	if (ev->output.more)
		return;
	pool_output_add(out, 0, p->part[k] ? p->part[k] : "", p->part_len[k], ev->t);
	p->part_len[k] = 0;
	if ((size_t)k >= p->n)
		p->part_pid[k] = 0; /* the line is whole: the slot is free again */
}

/* Apply one parsed line; -1 with why if it contradicts what came before. */
static int pd_apply(struct pydemo *p, const struct pyevent *ev, struct pool_output *out,
                    const char **why)
{
	struct pydemo_child *c = NULL;

	if (ev->kind == PYEVENT_PROC_MADE || ev->kind == PYEVENT_PROC_START ||
	    ev->kind == PYEVENT_PROC_EXIT || ev->kind == PYEVENT_PROC_JOIN) {
		if ((size_t)ev->proc.k >= p->n) {
			*why = "names a Process past the items given";
			return -1;
		}
		c = &p->c[ev->proc.k];
	}
	switch (ev->kind) {
	case PYEVENT_HELLO:
		if (p->hello) {
			*why = "a second hello";
			return -1;
		}
		p->hello = true;
		snprintf(p->impl, sizeof p->impl, "%s", ev->hello.impl);
		snprintf(p->version, sizeof p->version, "%s", ev->hello.version);
		snprintf(p->method, sizeof p->method, "%s", ev->hello.start_method);
		p->info.gil = ev->hello.gil;
		p->info.free_threaded = ev->hello.free_threaded;
		p->info.start_method = p->method[0] ? p->method : NULL;
		p->info.interp_startup_s = (double)(ev->t - p->ch.spawn_ns) / 1e9;
		p->t0_ns = ev->t;
		return 0;
	case PYEVENT_PROC_MADE:
		if (ev->proc.item != p->items_v[ev->proc.k]) {
			*why = "names another item than the one given";
			return -1;
		}
		c->state = PROC_CREATED;
		return 0;
	case PYEVENT_PROC_START:
		c->pid = ev->proc.pid;
		c->started_ns = ev->proc.t0;
		if (c->state == PROC_CREATED)
			c->state = PROC_RUNNING;
		return 0;
	case PYEVENT_START:
		if ((size_t)ev->start.index >= p->n) {
			*why = "names an item past the items given";
			return -1;
		}
		p->c[ev->start.index].ran_ns = ev->t;
		if (!p->c[ev->start.index].pid)
			p->c[ev->start.index].pid = ev->start.pid; /* its R may come later */
		return 0;
	case PYEVENT_END:
		if ((size_t)ev->end.index >= p->n) {
			*why = "names an item past the items given";
			return -1;
		}
		p->c[ev->end.index].end_ns = ev->t;
		p->c[ev->end.index].has_result = ev->end.has_result;
		p->c[ev->end.index].result = ev->end.result;
		return 0;
	case PYEVENT_OUTPUT:
		pd_output(p, pd_child_of(p, ev->output.pid), ev, out);
		return 0;
	case PYEVENT_PROC_EXIT:
		c->exited_ns = ev->t;
		if (c->state < PROC_EXITED)
			c->state = PROC_EXITED;
		return 0;
	case PYEVENT_PROC_JOIN:
		c->exit_code = ev->proc.exit_code;
		if (!c->exited_ns)
			c->exited_ns = ev->t;
		if (p->joins) {
			c->joined_ns = ev->t;
			c->state = PROC_JOINED;
		} else {
			c->state = PROC_REAPED; /* the exit handler's join, not the program's */
		}
		return 0;
	case PYEVENT_ERROR:
		pd_fault(p, ev->text);
		return 0;
	case PYEVENT_DONE:
		p->done = true;
		return 0;
	default: /* W, U: not drawn by the demo */
		return 0;
	}
}

/* Take the whole lines in buf. */
static void pd_take_lines(struct pydemo *p, struct pool_output *out)
{
	size_t at = 0;
	bool out_is_scratch = !p->hello; /* the hello wait's: thrown away */

	while (at < p->len) {
		char *nl = memchr(p->buf + at, '\n', p->len - at);
		char err[300], msg[512];
		const char *why = NULL;
		size_t n;

		if (!nl)
			break;
		n = (size_t)(nl - (p->buf + at)) + 1;
		if (pyevent_parse(p->buf + at, n, &p->ev, err, sizeof err) < 0 ||
		    pd_apply(p, &p->ev, out, &why) < 0) {
			snprintf(msg, sizeof msg, "the Python side sent a bad line (%.*s): %s",
			         (int)(n - 1 > 80 ? 80 : n - 1), p->buf + at, why ? why : err);
			pd_fault(p, msg);
			pydemo_kill(p);
		}
		at += n;
		if (out_is_scratch && p->hello)
			break; /* what follows the hello goes to the demo's own output */
	}
	memmove(p->buf, p->buf + at, p->len - at);
	p->len -= at;
}

/* Read the FIFO now (non-blocking) and take its lines. */
static void pd_read_events(struct pydemo *p, struct pool_output *out)
{
	for (;;) {
		if (p->cap - p->len < 8192) {
			size_t cap = p->cap ? p->cap * 2 : 65536;
			char *b = realloc(p->buf, cap);
			if (!b)
				break;
			p->buf = b;
			p->cap = cap;
		}
		ssize_t r = read(p->ch.ev_rd, p->buf + p->len, p->cap - p->len);
		if (r > 0) {
			p->len += (size_t)r;
			if (p->len > PYEVENT_LINE_MAX && !memchr(p->buf, '\n', p->len)) {
				pd_fault(p, "the Python side sent a line longer than 4096 bytes");
				pydemo_kill(p);
				p->len = 0;
			}
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		break;
	}
	pd_take_lines(p, out);
}

/* Reap the interpreter if it has ended (block: wait for it). */
static void pd_reap(struct pydemo *p, bool block)
{
	if (pychild_reap(&p->ch, block))
		p->info.exit_status = pychild_exit_status(&p->ch);
}

/* pychild_wait_hello's reader: 1 the hello came, -1 a fault, 0 not yet. */
static int pd_take_hello(void *ctx)
{
	struct pydemo *p = ctx;
	struct pool_output scratch = {0};

	pd_read_events(p, &scratch);
	pool_output_free(&scratch); /* nothing is printed before the hello */
	return p->hello ? 1 : p->fault[0] ? -1 : 0;
}

/* Wait for the hello, the interpreter's exit, or the timeout; -1 with a message. */
static int pd_wait_hello(struct pydemo *p, char *err, size_t errlen)
{
	char last[200];
	int st;

	switch (pychild_wait_hello(&p->ch, PYDEMO_HELLO_TIMEOUT_NS, p->path, pd_take_hello, p, err,
	                           errlen)) {
	case PYCHILD_TIMEOUT:
		return -1;
	case PYCHILD_EXITED:
		pd_reap(p, false);
		st = p->ch.status;
		snprintf(err, errlen, "python interpreter %s %s %d before it started%s%s", p->path,
		         WIFSIGNALED(st) ? "was killed by signal" : "exited with status",
		         WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st),
		         p->ch.own_len ? ": " : "", pychild_own_last(&p->ch, last, sizeof last));
		return -1;
	default:
		break;
	}
	if (p->fault[0]) {
		snprintf(err, errlen, "%s", p->fault);
		return -1;
	}
	int major = 0, minor = 0;
	if (sscanf(p->version, "%d.%d", &major, &minor) != 2 ||
	    major * 100 + minor < PYTHONS_MIN_MAJOR * 100 + PYTHONS_MIN_MINOR) {
		snprintf(err, errlen, "python interpreter %s is Python %s: it needs %d.%d or later",
		         p->path, p->version, PYTHONS_MIN_MAJOR, PYTHONS_MIN_MINOR);
		return -1;
	}
	return 0;
}

/* Spawn the interpreter and wait for its hello. */
int pydemo_start(const struct proc_demo_python *spec, const struct task *task, const int64_t *items,
                 size_t n, int join_after_ms, struct pydemo **out, char *err, size_t errlen)
{
	struct pydemo *p = calloc(1, sizeof(*p));
	const char *argv[20], *dir;
	char join[24];
	int argc = 0;

	*out = NULL;
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	pychild_init(&p->ch);
	p->n = n;
	p->items_v = items;
	p->joins = join_after_ms != PROC_DEMO_NO_JOIN;
	p->info.path = p->path;
	p->info.implementation = p->impl;
	p->info.version = p->version;
	p->info.own_output = p->ch.own;
	p->c = calloc(n, sizeof(*p->c));
	p->part = calloc(2 * n, sizeof(*p->part));
	p->part_len = calloc(2 * n, sizeof(*p->part_len));
	p->part_pid = calloc(2 * n, sizeof(*p->part_pid));
	if (!p->c || !p->part || !p->part_len || !p->part_pid) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (pythons_resolve(spec ? spec->python : NULL, p->path, sizeof p->path, err, errlen) < 0)
		goto fail;
	dir = spec && spec->python_dir ? spec->python_dir : pythons_dir();
	if (!dir ||
	    (size_t)snprintf(p->script, sizeof p->script, "%s/%s", dir, PYTHONS_SCRIPT) >=
	        sizeof p->script ||
	    access(p->script, R_OK) != 0) {
		snprintf(err, errlen, "the Python side (%s) is not found (set %s)", PYTHONS_SCRIPT,
		         PYTHONS_DIR_ENV);
		goto fail;
	}
	if (pychild_make_files(&p->ch, "mptutor-pyproc-", 0, items, n, err, errlen) < 0)
		goto fail;
	snprintf(join, sizeof join, "%d", p->joins ? join_after_ms : 0);
	argv[argc++] = p->path;
	argv[argc++] = "-u";
	argv[argc++] = p->script;
	argv[argc++] = "process";
	argv[argc++] = "--task";
	argv[argc++] = task->name;
	if (p->joins) {
		argv[argc++] = "--join-after";
		argv[argc++] = join;
	} else {
		argv[argc++] = "--no-join";
	}
	if (spec && spec->start_method) {
		argv[argc++] = "--start-method";
		argv[argc++] = spec->start_method;
	}
	argv[argc++] = "--events";
	argv[argc++] = p->ch.fifo;
	argv[argc++] = "--items-file";
	argv[argc++] = p->ch.items;
	argv[argc] = NULL;
	if (pychild_spawn(&p->ch, getpid(), (char *const *)argv, err, errlen) < 0)
		goto fail;
	p->info.pid = p->ch.pid;
	if (pd_wait_hello(p, err, errlen) < 0)
		goto fail;
	*out = p;
	return 0;
fail:
	pydemo_free(p);
	return -1;
}

/* Read what came; 1 once the interpreter is reaped and its lines read. */
int pydemo_poll(struct pydemo *p, struct pool_output *out)
{
	if (!p)
		return 1;
	if (p->ch.ev_rd >= 0)
		pd_read_events(p, out);
	pychild_drain_own(&p->ch);
	pd_reap(p, false);
	if (!p->ch.reaped)
		return 0;
	pd_read_events(p, out); /* every writer is gone or killed: the rest is here */
	pychild_drain_own(&p->ch);
	if (!p->done && !p->fault[0] && !p->killed) {
		char last[200], msg[400];
		snprintf(
		    msg, sizeof msg, "python interpreter %.200s %s %d before its end%s%s", p->path,
		    WIFSIGNALED(p->ch.status) ? "was killed by signal" : "exited with status",
		    WIFSIGNALED(p->ch.status) ? WTERMSIG(p->ch.status) : WEXITSTATUS(p->ch.status),
		    p->ch.own_len ? ": " : "", pychild_own_last(&p->ch, last, sizeof last));
		pd_fault(p, msg);
	}
	if (!p->done)
		killpg(p->ch.pid, SIGKILL); /* its children, if it left any */
	for (size_t k = 0; k < p->n; k++) { /* what the end did to those it never joined */
		struct pydemo_child *c = &p->c[k];
		int64_t now = engine_now_ns();
		if (c->state >= PROC_JOINED || c->state == PROC_CREATED)
			continue;
		if (!c->exited_ns) {
			c->exited_ns = now;
			c->exit_code = -SIGKILL;
		}
		c->state = PROC_REAPED;
	}
	return 1;
}

/* The fds to poll() for news. */
int pydemo_pollfds(const struct pydemo *p, int *fds, int max)
{
	int n = 0;

	if (!p)
		return 0;
	if (p->ch.ev_rd >= 0 && n < max)
		fds[n++] = p->ch.ev_rd;
	if (p->ch.out_rd >= 0 && n < max)
		fds[n++] = p->ch.out_rd;
	if (p->ch.pidfd >= 0 && n < max)
		fds[n++] = p->ch.pidfd;
	return n;
}

/* SIGKILL the whole group. */
void pydemo_kill(struct pydemo *p)
{
	if (!p || p->ch.pid <= 0 || p->ch.reaped)
		return;
	p->killed = true;
	pychild_kill(&p->ch);
}

/* Kill, reap, wait for the group to be gone, remove the files, free. */
void pydemo_free(struct pydemo *p)
{
	if (!p)
		return;
	pychild_end(&p->ch, PYDEMO_GONE_WAIT_NS, false);
	pychild_close(&p->ch);
	for (size_t k = 0; p->part && k < 2 * p->n; k++)
		free(p->part[k]);
	free(p->part);
	free(p->part_len);
	free(p->part_pid);
	free(p->c);
	free(p->buf);
	free(p);
}

/* The children [n]. */
const struct pydemo_child *pydemo_children(const struct pydemo *p)
{
	return p->c;
}

/* The interpreter. */
const struct run_python *pydemo_info(const struct pydemo *p)
{
	return &p->info;
}

/* The hello's time: the demo's t0. */
int64_t pydemo_t0(const struct pydemo *p)
{
	return p->t0_ns;
}

/* Why it ended early, NULL if it did not. */
const char *pydemo_fault(const struct pydemo *p)
{
	return p->fault[0] ? p->fault : NULL;
}
