/*
 * backend_python.c — the py-serial, py-process and py-thread backends: the
 * installed CPython runs the map itself (src/python/mptutor_py.py: a plain
 * loop, multiprocessing.Pool, or multiprocessing.pool.ThreadPool) and
 * streams what happens as event lines into a FIFO; the parent reads them
 * without blocking at every poll and writes them into the run's arena as
 * its own workers would (items, per-worker records, output), so run.c stays
 * the same for every backend. CPU, core and state of the Python workers come
 * from /proc; on py-thread the real GIL is measured by sampling each
 * thread's kernel state (threadsample.h).
 *
 * The interpreter runs (pychild.h) in a process group of its own (killpg reaches its
 * workers, forkserver and resource tracker) with PR_SET_PDEATHSIG, stdin
 * /dev/null, stdout/stderr captured. A worker that dies mid-map (a K event,
 * or its pidfd firing with no K after PY_VANISH_GRACE_NS) ends the run: its
 * item is failed naming the signal, the group is killed, the rest of the
 * items are failed as never run — CPython's own Pool would wait for ever
 * (gh-66587). A line that cannot be parsed ends the run the same way.
 */
#include "engine/clock.h"
#include "engine/pool.h"
#include "engine/pychild.h"
#include "engine/pyevent.h"
#include "engine/pythons.h"
#include "engine/threadsample.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PY_HELLO_TIMEOUT_NS 30000000000LL /* run_start waits this long for the hello */
#define PY_VANISH_GRACE_NS 300000000LL    /* a vanished worker's K may take this long */
#define PY_GROUP_GRACE_NS 300000000LL     /* the group may linger this long after exit */
#define PY_TOTALS_EVERY_NS 250000000LL    /* GIL totals refreshed at most this often */
#define PY_READ_MAX (4 << 20)             /* bytes read from the FIFO per poll at most */
#define PY_FIFO_SIZE (1 << 20)            /* asked of the kernel for the FIFO */

/* What the parent keeps of one worker slot besides its pool_slot. */
struct py_worker {
	struct threadsample_interval *iv; /* py-thread: its items, for the GIL totals */
	size_t niv, cap_iv;               /* intervals held, room */
	struct gil_mark *marks;           /* py-thread: its sampled GIL timeline, or NULL */
	size_t n_marks;                   /* changes in marks */
	bool exited;                      /* its process ended (normally or not) */
	int64_t cpu_base_ns;              /* its CPU as it said it was up (start-up not counted) */
	bool own_cpu;                     /* its U came: its CPU is its own last reading */
	int64_t vanished_ns;              /* its process ended mid-map, no K yet; 0 none */
	pid_t gone_pid;                   /* that process (the slot may hold its replacement) */
	long gone_item;                   /* the item it was running, -1 none */
	int64_t gone_start_ns;            /* since when */
};

/* One run's interpreter. */
struct py_run {
	struct run_python info; /* what the snapshot shows (strings below) */
	char path[PATH_MAX];    /* the interpreter */
	char script[PATH_MAX];  /* mptutor_py.py */
	struct pychild ch;      /* the interpreter, its group, FIFO and files */
	char impl[32], version[32], method[16];
	char measured[160]; /* info.gil_measured */
	char *fault;        /* run->fault */
	char *buf;          /* FIFO bytes not yet a whole line */
	size_t len, cap;
	bool hello, pool_up, map_ended, ending, over, bad_line;
	int64_t totals_ns;
	struct py_worker *w;     /* [nw] */
	int next_w;              /* slots given so far, in W order */
	int last_w;              /* the slot the last event named (a cache) */
	struct pyevent ev;       /* the line being taken (its text is 4 KiB) */
	struct threadsample *ts; /* py-thread under a GIL: the sampler */
};

#define PY_GIL_MARKS_MAX 200000 /* a py-thread worker's GIL timeline: changes kept */

/* --- helpers --------------------------------------------------------------- */

/* Set run->fault once (the first reason wins). */
static void py_set_fault(struct run *run, const char *msg)
{
	struct py_run *py = run->be;

	if (py->fault)
		return;
	py->fault = strdup(msg);
	run->fault = py->fault;
}

/* End the interpreter's process group now. */
static void py_kill_group(struct py_run *py)
{
	pychild_kill(&py->ch);
	py->ending = true;
}

/* The slot of the worker (pid, tid); tid 0 matches any thread of pid; -1 none. */
static int py_slot_of(struct run *run, long long pid, long long tid)
{
	struct py_run *py = run->be;
	int w = py->last_w;

	if (w >= 0 && w < py->next_w && run->slots[w].pid == pid &&
	    (!tid || run->slots[w].tid == tid))
		return w;
	for (w = 0; w < py->next_w && w < run->nw; w++)
		if (run->slots[w].pid == pid && (!tid || run->slots[w].tid == tid))
			return py->last_w = w;
	return -1;
}

/* On-CPU nanoseconds of a thread: the first field of its schedstat; -1 unknown. */
static int64_t py_schedstat_ns(pid_t pid, pid_t tid)
{
	char path[64], b[128];
	int fd;
	ssize_t r;

	snprintf(path, sizeof path, "/proc/%d/task/%d/schedstat", (int)pid, (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = read(fd, b, sizeof b - 1);
	close(fd);
	if (r <= 0)
		return -1;
	b[r] = '\0';
	return strtoll(b, NULL, 10);
}

/* A zombie's wait status from /proc/PID/stat (field 52, exit_code); -1 if it
 * is not a zombie there (gone, or reaped by its parent already). */
static int py_zombie_status(pid_t pid)
{
	char path[64], b[1024];
	const char *p;
	int fd, field = 2;
	ssize_t r;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = read(fd, b, sizeof b - 1);
	close(fd);
	if (r <= 0)
		return -1;
	b[r] = '\0';
	p = strrchr(b, ')');
	if (!p || p[1] != ' ' || p[2] != 'Z')
		return -1;
	for (p++; *p && field < 52; p++)
		if (*p == ' ')
			field++;
	return field == 52 && *p ? atoi(p) : -1;
}

/* --- the events, into the run ---------------------------------------------- */

/* W: a worker is up; it takes the next slot (or a dead one: a replacement). */
static void py_on_worker(struct run *run, const struct pyevent *ev)
{
	struct py_run *py = run->be;
	struct pool_slot *slot;
	int w = -1;

	if (py->next_w < run->nw) {
		w = py->next_w++;
	} else {
		for (int i = 0; i < run->nw && w < 0; i++)
			if (run->slots[i].dead || py->w[i].exited)
				w = i;
		if (w < 0)
			return; /* more workers than slots: not shown */
		/* a vanished process's K may still come: its record (gone_*) stays */
		pool_slot_retire(run, &run->slots[w]);
		run->slots[w].dead = false;
		py->w[w].exited = false;
	}
	slot = &run->slots[w];
	slot->pid = ev->worker.pid;
	slot->tid = ev->worker.tid;
	slot->cpu_gone_ns += slot->cpu_last_ns;
	slot->cpu_last_ns = slot->pct_cpu_ns = 0;
	slot->pct_t_ns = engine_now_ns();
	py->w[w].own_cpu = false;
	py->w[w].cpu_base_ns = py_schedstat_ns(slot->pid, slot->tid);
	if (py->w[w].cpu_base_ns < 0)
		py->w[w].cpu_base_ns = 0;
	atomic_store(&run->job.wrec[w].tid, slot->tid);
	atomic_store(&run->job.wrec[w].state, WORKER_IDLE);
	if (slot->pidfd >= 0)
		close(slot->pidfd);
	slot->pidfd = -1;
	if (slot->pid != py->ch.pid) /* a process of its own: watch it */
		slot->pidfd = (int)syscall(SYS_pidfd_open, slot->pid, 0);
	if (py->ts)
		threadsample_add_tid(py->ts, slot->tid, NULL, 0);
}

/* S (or an item of Q): item i starts in worker (pid, tid) at t. */
static int py_on_start(struct run *run, int64_t i, pid_t pid, pid_t tid, int64_t t,
                       const char **why)
{
	struct py_run *py = run->be;
	int w = py_slot_of(run, pid, tid);
	struct pool_wrec *rec;
	struct py_worker *pw;

	*why = "an item or worker that does not exist";
	if (w < 0 || i < 0 || (size_t)i >= run->job.n_items)
		return -1;
	rec = &run->job.wrec[w];
	run->job.item[i].worker = (int16_t)w;
	run->job.item[i].start_ns = t;
	atomic_store(&rec->cur_start_ns, t);
	atomic_store(&rec->cur_item, (long)i);
	atomic_store(&rec->state, WORKER_RUNNING);
	pw = &py->w[w];
	if (py->ts) {
		if (pw->niv == pw->cap_iv) {
			size_t cap = pw->cap_iv ? pw->cap_iv * 2 : 64;
			struct threadsample_interval *iv = realloc(pw->iv, cap * sizeof(*iv));

			if (!iv)
				return 0; /* the GIL figures miss this item; the map goes on */
			pw->iv = iv;
			pw->cap_iv = cap;
		}
		pw->iv[pw->niv++] = (struct threadsample_interval){t, THREADSAMPLE_OPEN};
	}
	return 0;
}

/* E (or an item of Q): item i ended at t with a result (or None: !has_result). */
static int py_on_end(struct run *run, int64_t i, int64_t t, bool has_result, int64_t result,
                     const char **why)
{
	struct py_run *py = run->be;
	struct pool_item *it;
	struct pool_wrec *rec;
	int w;

	*why = "the end of an item that did not start";
	if (i < 0 || (size_t)i >= run->job.n_items)
		return -1;
	it = &run->job.item[i];
	w = it->worker;
	if (it->start_ns == 0 || w < 0 || w >= run->nw)
		return -1;
	if (atomic_load(&it->status) >= ITEM_DONE)
		return 0; /* failed already (the run is ending) */
	rec = &run->job.wrec[w];
	atomic_store(&rec->tasks, atomic_load(&rec->tasks) + 1);
	atomic_store(&rec->busy_ns, atomic_load(&rec->busy_ns) + (t - it->start_ns));
	if (atomic_load(&rec->cur_item) == i) {
		atomic_store(&rec->cur_item, -1);
		atomic_store(&rec->state, WORKER_IDLE);
	}
	if (py->ts && py->w[w].niv > 0 && py->w[w].iv[py->w[w].niv - 1].end_ns == THREADSAMPLE_OPEN)
		py->w[w].iv[py->w[w].niv - 1].end_ns = t;
	pool_record_item(run, (size_t)i, w, has_result ? result : 0, it->start_ns, t);
	return 0;
}

/* O: a line (or a piece of one) a worker printed. */
static int py_on_output(struct run *run, const struct pyevent *ev, const char **why)
{
	int w = py_slot_of(run, ev->output.pid, ev->output.tid);
	struct pool_slot *slot;

	*why = "output of a worker that does not exist";
	if (w < 0)
		return -1;
	slot = &run->slots[w];
	if (ev->output.more || slot->partial_len) {
		char *p = realloc(slot->partial, slot->partial_len + ev->text_len + 1);

		if (!p)
			return 0;
		memcpy(p + slot->partial_len, ev->text, ev->text_len);
		slot->partial = p;
		slot->partial_len += ev->text_len;
		if (ev->output.more)
			return 0;
		pool_output_add(&run->out, w, slot->partial, slot->partial_len, ev->t);
		slot->partial_len = 0;
		return 0;
	}
	pool_output_add(&run->out, w, ev->text, ev->text_len, ev->t);
	return 0;
}

/* Worker slot w's process pid died (sig > 0 by a signal, 0 exited with
 * status, -1 unknown) while running item (-1 none) since start_ns: fail the
 * item naming how, and end the run. */
static void py_death(struct run *run, int w, pid_t pid, long item, int64_t start_ns, int sig,
                     int status)
{
	struct py_run *py = run->be;
	char msg[240], sb[32], how[64];

	/* a K is the interpreter's word for a death it saw (our own SIGKILL takes
	 * the interpreter too, so it never reports those); a vanished pid after
	 * our kill or cancel is ours */
	if (run->cancelled || (py->ending && sig < 0))
		return;
	if (sig > 0)
		snprintf(how, sizeof how, "killed by %s", pool_signame(sig, sb, sizeof sb));
	else if (sig == 0)
		snprintf(how, sizeof how, "exited with status %d", status);
	else
		snprintf(how, sizeof how, "ended");
	if (item >= 0 && atomic_load(&run->job.item[item].status) < ITEM_DONE) {
		snprintf(msg, sizeof msg, "worker %d (pid %d) %s while running item %ld", w,
		         (int)pid, how, item);
		pool_fail_item(run, (size_t)item, w, start_ns, msg);
	} else {
		snprintf(msg, sizeof msg, "worker %d (pid %d) %s between items", w, (int)pid, how);
	}
	py_set_fault(run, msg);
	py_kill_group(py);
}

/* The process now in slot w died: the slot is dead, its item failed. */
static void py_worker_died(struct run *run, int w, int sig, int status)
{
	struct py_run *py = run->be;
	struct pool_wrec *rec = &run->job.wrec[w];

	run->slots[w].dead = true;
	py->w[w].exited = true;
	py->w[w].vanished_ns = 0;
	atomic_store(&rec->state, WORKER_DEAD);
	py_death(run, w, run->slots[w].pid, atomic_load(&rec->cur_item),
	         atomic_load(&rec->cur_start_ns), sig, status);
	atomic_store(&rec->cur_item, -1);
}

/* The earlier process of slot w (vanished, replaced since) is reported dead. */
static void py_gone_died(struct run *run, int w, int sig, int status)
{
	struct py_worker *pw = &((struct py_run *)run->be)->w[w];

	pw->vanished_ns = 0;
	py_death(run, w, pw->gone_pid, pw->gone_item, pw->gone_start_ns, sig, status);
}

/* The slot whose vanished, replaced process was pid; -1 none. */
static int py_gone_slot(struct run *run, long long pid)
{
	struct py_run *py = run->be;

	for (int w = 0; w < py->next_w && w < run->nw; w++)
		if (py->w[w].vanished_ns && py->w[w].gone_pid == pid)
			return w;
	return -1;
}

/* One parsed event into the run; -1 with why if it makes no sense here. */
static int py_on_event(struct run *run, const struct pyevent *ev, const char **why)
{
	struct py_run *py = run->be;
	int w;

	*why = "an event out of order";
	switch (ev->kind) {
	case PYEVENT_HELLO:
		if (py->hello)
			return -1;
		*why = "another protocol";
		if (ev->hello.proto != PYEVENT_PROTOCOL)
			return -1;
		py->hello = true;
		snprintf(py->impl, sizeof py->impl, "%s", ev->hello.impl);
		snprintf(py->version, sizeof py->version, "%s", ev->hello.version);
		snprintf(py->method, sizeof py->method, "%s", ev->hello.start_method);
		py->info.gil = ev->hello.gil;
		py->info.free_threaded = ev->hello.free_threaded;
		py->info.start_method = py->method[0] ? py->method : NULL;
		py->info.interp_startup_s = (double)(ev->t - py->ch.spawn_ns) / 1e9;
		return 0;
	case PYEVENT_WORKER:
		py_on_worker(run, ev);
		return 0;
	case PYEVENT_POOL:
		py->pool_up = true;
		run->startup_s = (double)(ev->pool.t1 - ev->pool.t0) / 1e9;
		return 0;
	case PYEVENT_BEGIN:
		if (run->state != RUN_STARTING || (size_t)ev->begin.items != run->job.n_items)
			return -1;
		run_begin_map(run, ev->t);
		return 0;
	case PYEVENT_START:
		if (run->state != RUN_RUNNING)
			return -1;
		return py_on_start(run, ev->start.index, ev->start.pid, ev->start.tid, ev->t, why);
	case PYEVENT_END:
		if (run->state != RUN_RUNNING)
			return -1;
		return py_on_end(run, ev->end.index, ev->t, ev->end.has_result, ev->end.result,
		                 why);
	case PYEVENT_ITEMS:
		if (run->state != RUN_RUNNING)
			return -1;
		for (int k = 0; k < ev->batch.n; k++) {
			const struct pyevent_item *it = &ev->items[k];

			if (py_on_start(run, it->index, ev->batch.pid, ev->batch.tid, it->t0, why) <
			        0 ||
			    py_on_end(run, it->index, it->t1, true, it->result, why) < 0)
				return -1;
		}
		return 0;
	case PYEVENT_GROUP:
		if (run->state != RUN_RUNNING)
			return -1;
		/* the items ran back to back: the group's time is spread evenly */
		for (int k = 0; k < ev->group.n; k++) {
			int64_t span = ev->t - ev->group.t0, i = ev->group.first + k;
			int64_t a = ev->group.t0 + span * k / ev->group.n;
			int64_t z = ev->group.t0 + span * (k + 1) / ev->group.n;

			if (py_on_start(run, i, ev->group.pid, ev->group.tid, a, why) < 0 ||
			    py_on_end(run, i, z, true, ev->group_results[k], why) < 0)
				return -1;
		}
		py->info.items_grouped += ev->group.n;
		return 0;
	case PYEVENT_CPU:
		/* the worker's own reading as it ends: mptutor's reading of /proc
		 * depends on when it reads the stream, which may be after the
		 * worker is gone (a short map is read in one go at its end) */
		w = py_slot_of(run, ev->cpu.pid, ev->cpu.tid);
		if (w >= 0) {
			run->slots[w].cpu_last_ns = ev->cpu.cpu_ns;
			py->w[w].own_cpu = true;
		}
		return 0;
	case PYEVENT_OUTPUT:
		return py_on_output(run, ev, why);
	case PYEVENT_DEATH:
		w = py_slot_of(run, ev->death.pid, 0);
		if (w >= 0)
			py_worker_died(run, w, ev->death.signal, ev->death.status);
		else if ((w = py_gone_slot(run, ev->death.pid)) >= 0)
			py_gone_died(run, w, ev->death.signal, ev->death.status);
		return 0;
	case PYEVENT_MAP_END:
		/* the map's CPU: each worker's last reading is taken now, then kept */
		for (int k = 0; k < py->next_w && k < run->nw; k++) {
			int64_t c = run->ops->cpu_ns(run, &run->slots[k]);

			if (c >= 0)
				run->slots[k].cpu_last_ns = c;
		}
		py->map_ended = true;
		atomic_store(&run->job.head->t_end_ns, ev->t);
		if (run->map_done)
			run->end_ns = ev->t;
		return 0;
	case PYEVENT_BYTES:
		py->info.bytes_sent = ev->bytes.sent;
		py->info.bytes_recvd = ev->bytes.recvd;
		py->info.msgs_sent = (long)ev->bytes.nsent;
		py->info.msgs_recvd = (long)ev->bytes.nrecvd;
		return 0;
	case PYEVENT_COUNTER:
		run->parent_counter = (long)ev->counter.value;
		return 0;
	case PYEVENT_ERROR: {
		char msg[ENGINE_ERRLEN];

		snprintf(msg, sizeof msg, "python (pid %d): %.200s", (int)py->ch.pid, ev->text);
		py_set_fault(run, msg);
		return 0;
	}
	case PYEVENT_DONE:
		return 0;
	case PYEVENT_PROC_MADE:
	case PYEVENT_PROC_START:
	case PYEVENT_PROC_EXIT:
	case PYEVENT_PROC_JOIN:
		*why = "a Process event (of the process subcommand) in a map";
		return -1;
	}
	return -1;
}

/* An unreadable line: the run's fault; the interpreter is ended. */
static void py_bad_line(struct run *run, const char *line, size_t len, const char *why)
{
	struct py_run *py = run->be;
	char msg[PATH_MAX + 256];

	snprintf(msg, sizeof msg,
	         "python interpreter %s (pid %d) wrote a line mptutor cannot read "
	         "(%s): '%.*s'",
	         py->path, (int)py->ch.pid, why, (int)(len > 60 ? 60 : len), line);
	py_set_fault(run, msg);
	py->bad_line = true;
	py_kill_group(py);
}

/* Take every whole line in the buffer; stop at the hello if until_hello. */
static void py_take_lines(struct run *run, bool until_hello)
{
	struct py_run *py = run->be;
	size_t at = 0;

	while (!py->bad_line && at < py->len && !(until_hello && py->hello)) {
		char *s = py->buf + at, *nl = memchr(s, '\n', py->len - at);
		size_t n;

		if (!nl) {
			if (py->len - at > PYEVENT_LINE_MAX)
				py_bad_line(run, s, py->len - at, "longer than 4096 bytes");
			break;
		}
		n = (size_t)(nl - s);
		*nl = '\0';
		at += n + 1;
		if (memchr(s, '\0', n)) {
			py_bad_line(run, s, n, "a NUL byte");
		} else {
			char perr[200];
			const char *why = perr;

			if (pyevent_parse(s, n, &py->ev, perr, sizeof perr) < 0 ||
			    py_on_event(run, &py->ev, &why) < 0)
				py_bad_line(run, s, n, why);
		}
	}
	memmove(py->buf, py->buf + at, py->len - at);
	py->len -= at;
}

/* Read the FIFO (at most PY_READ_MAX bytes now) and take its lines. */
static void py_read_events(struct run *run, bool until_hello)
{
	struct py_run *py = run->be;
	size_t got = 0;

	while (got < PY_READ_MAX && !py->bad_line) {
		ssize_t r;

		if (py->cap - py->len < 65536) {
			size_t cap = py->cap ? py->cap * 2 : 262144;
			char *b = realloc(py->buf, cap);

			if (!b)
				return;
			py->buf = b;
			py->cap = cap;
		}
		r = read(py->ch.ev_rd, py->buf + py->len, py->cap - py->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		py->len += (size_t)r;
		got += (size_t)r;
		py_take_lines(run, until_hello);
		if (until_hello && py->hello)
			return;
	}
	py_take_lines(run, until_hello);
}

/* --- the interpreter ------------------------------------------------------- */

/* The wait status as words: "exited with status 1", "was killed by SIGSEGV". */
static const char *py_status_words(int st, char *buf, size_t len)
{
	char sb[32];

	if (WIFSIGNALED(st))
		snprintf(buf, len, "was killed by %s", pool_signame(WTERMSIG(st), sb, sizeof sb));
	else
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(st));
	return buf;
}

/* Reap the interpreter if it has ended (block: wait for it). */
static void py_reap_interp(struct py_run *py, bool block)
{
	if (pychild_reap(&py->ch, block))
		py->info.exit_status = pychild_exit_status(&py->ch);
}

/* Worker w's GIL timeline from the same sampled readings as its totals:
 * the changes threadsample_changes gives, as the snapshot's gil_marks (what
 * the gil model's threads have), so the tutor, the pictures and the chrome
 * trace draw the real GIL as they draw the model's. A reading stands for the
 * time since the one before, so each change is placed to a sampling period. */
static void py_gil_marks(struct run *run, int w, size_t readings)
{
	struct py_run *py = run->be;
	struct py_worker *pw = &py->w[w];
	size_t max = 2 * readings + 2 * pw->niv + 2; /* a change per reading, and item ends */
	if (max > PY_GIL_MARKS_MAX)
		max = PY_GIL_MARKS_MAX;
	struct threadsample_change *ch = malloc(max * sizeof(*ch));
	struct gil_mark *marks = malloc(max * sizeof(*marks));
	long n = ch && marks
	             ? threadsample_changes(py->ts, run->slots[w].tid, pw->iv, pw->niv, ch, max)
	             : -1;
	if (n < 0) {
		free(ch);
		free(marks);
		return;
	}
	for (long k = 0; k < n; k++) {
		int act = ch[k].cls == THREADSAMPLE_ON_CPU  ? GIL_MARK_HOLD
		          : ch[k].cls == THREADSAMPLE_FUTEX ? GIL_MARK_WAIT
		          : ch[k].cls == THREADSAMPLE_IO    ? GIL_MARK_BLOCKED
		                                            : GIL_MARK_OFF;
		marks[k] = (struct gil_mark){(double)(ch[k].t_ns - run->t0_ns) / 1e9, act};
	}
	free(ch);
	free(pw->marks);
	pw->marks = marks;
	pw->n_marks = (size_t)n;
	run->wsnap[w].gil_marks = marks;
	run->wsnap[w].n_gil_marks = (size_t)n;
	run->wsnap[w].gil_marks_dropped = (size_t)n == max && max == PY_GIL_MARKS_MAX;
}

/* The GIL figures of py-thread from the sampler, into the snapshot's workers. */
static void py_gil_totals(struct run *run)
{
	struct py_run *py = run->be;
	struct threadsample_info ti;
	double err = 0;

	if (!py->ts)
		return;
	for (int w = 0; w < py->next_w && w < run->nw; w++) {
		struct threadsample_totals t;

		if (threadsample_totals(py->ts, run->slots[w].tid, py->w[w].iv, py->w[w].niv, &t,
		                        NULL, 0) < 0)
			continue;
		run->wsnap[w].gil_held_s = t.held_s;
		run->wsnap[w].gil_wait_s = t.wait_s;
		run->wsnap[w].blocked_s = t.io_s;
		if (t.err_s > err)
			err = t.err_s;
		py_gil_marks(run, w, t.samples);
	}
	threadsample_info(py->ts, &ti);
	snprintf(py->measured, sizeof py->measured, "sampled /proc at %.0f Hz (got %.0f), ±%.2f s",
	         ti.rate_hz, ti.achieved_hz, err);
	py->info.gil_measured = py->measured;
	py->totals_ns = engine_now_ns();
}

/* Fail every item not finished, naming why (the run's fault). */
static void py_fail_rest(struct run *run)
{
	const char *why = run->fault ? run->fault : "the interpreter ended";

	for (size_t i = 0; i < run->job.n_items; i++) {
		if (atomic_load(&run->job.item[i].status) < ITEM_DONE) {
			char msg[PATH_MAX + 512];
			int w = -1;

			for (int k = 0; k < run->nw; k++)
				if (atomic_load(&run->job.wrec[k].cur_item) == (long)i)
					w = k;
			if (w >= 0)
				snprintf(msg, sizeof msg,
				         "item %zu was running in worker %d when the run "
				         "ended: %s",
				         i, w, why);
			else
				snprintf(msg, sizeof msg, "item %zu was never run: %s", i, why);
			pool_fail_item(run, i, w,
			               w >= 0 ? atomic_load(&run->job.wrec[w].cur_start_ns) : 0,
			               msg);
		}
	}
}

/* The interpreter and its group are gone: settle the run's last figures. */
static void py_finish(struct run *run)
{
	struct py_run *py = run->be;

	py_read_events(run, false);
	pychild_drain_own(&py->ch);
	for (int w = 0; w < run->nw; w++)
		pool_flush_partial(&run->out, &run->slots[w]);
	if (py->ts) {
		threadsample_stop(py->ts);
		py_gil_totals(run);
	}
	if (run->state == RUN_STARTING)
		run_begin_map(run, engine_now_ns());
	if (!run->cancelled) {
		size_t left = run->job.n_items - (size_t)atomic_load(&run->job.head->n_finished);

		if (left > 0 && !run->fault) {
			char msg[PATH_MAX + 320], how[64], last[160];

			snprintf(msg, sizeof msg,
			         "python interpreter %s (pid %d) %s before the map "
			         "ended%s%s",
			         py->path, (int)py->ch.pid,
			         py_status_words(py->ch.status, how, sizeof how),
			         py->ch.own_len ? ": " : "",
			         pychild_own_last(&py->ch, last, sizeof last));
			py_set_fault(run, msg);
		}
		if (left > 0)
			py_fail_rest(run);
	}
	for (int w = 0; w < run->nw; w++) {
		struct pool_slot *slot = &run->slots[w];

		if (slot->pidfd >= 0)
			close(slot->pidfd);
		slot->pidfd = -1;
		slot->cpu_gone_ns += slot->cpu_last_ns;
		slot->cpu_last_ns = 0;
		slot->alive = false;
		atomic_store(&run->job.wrec[w].cur_item, -1);
	}
	pychild_remove_files(&py->ch);
	py->over = true;
}

/* Look at each worker process's pidfd: one that ended mid-map is a death. */
static void py_watch_workers(struct run *run, int64_t now)
{
	struct py_run *py = run->be;

	for (int w = 0; w < py->next_w && w < run->nw; w++) {
		struct pool_slot *slot = &run->slots[w];
		struct pollfd pfd = {.fd = slot->pidfd, .events = POLLIN};

		if (slot->pidfd >= 0 && poll(&pfd, 1, 0) > 0) {
			/* what it wrote before it died is in the FIFO now: read it
			 * first, or the item it finished (its last flush, at its
			 * crash) would look like the one it died in */
			py_read_events(run, false);
			int64_t c =
			    py_schedstat_ns(slot->pid, slot->tid); /* a zombie still has it */
			int st = py_zombie_status(slot->pid);

			if (c >= 0 && !py->w[w].own_cpu)
				slot->cpu_last_ns = c - py->w[w].cpu_base_ns;
			close(slot->pidfd);
			slot->pidfd = -1;
			py->w[w].exited = true;
			/* its own death, even after ours began: not our SIGKILL */
			if (!slot->dead && !py->map_ended && !run->map_done && !run->cancelled &&
			    st >= 0 && (WIFSIGNALED(st) || WEXITSTATUS(st) != 0) &&
			    !(py->ending && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL))
				py_worker_died(run, w, WIFSIGNALED(st) ? WTERMSIG(st) : 0,
				               WIFSIGNALED(st) ? 0 : WEXITSTATUS(st));
			else if (!py->map_ended && !run->map_done && !run->cancelled &&
			         !py->ending && st < 0) { /* reaped already: wait for its K */
				py->w[w].vanished_ns = now;
				py->w[w].gone_pid = slot->pid;
				py->w[w].gone_item = atomic_load(&run->job.wrec[w].cur_item);
				py->w[w].gone_start_ns =
				    atomic_load(&run->job.wrec[w].cur_start_ns);
			} else if (!slot->dead)
				atomic_store(&run->job.wrec[w].state, WORKER_EXITED);
		}
		if (py->w[w].vanished_ns && now - py->w[w].vanished_ns >= PY_VANISH_GRACE_NS) {
			if (slot->pid == py->w[w].gone_pid) /* not replaced */
				py_worker_died(run, w, -1, 0);
			else
				py_gone_died(run, w, -1, 0); /* no K came to say how */
		}
	}
}

/* Advance without blocking: events, deaths, the interpreter's end. */
static void py_reap(struct run *run)
{
	struct py_run *py = run->be;
	int64_t now;

	if (py->over)
		return;
	py_read_events(run, false);
	pychild_drain_own(&py->ch);
	now = engine_now_ns();
	py_watch_workers(run, now);
	if (py->ts && now - py->totals_ns >= PY_TOTALS_EVERY_NS)
		py_gil_totals(run);
	py_reap_interp(py, false);
	if (!py->ch.reaped)
		return;
	/* its forkserver and resource tracker go as their pipes close */
	if (pychild_group_alive(py->ch.pid) && now - py->ch.reaped_ns < PY_GROUP_GRACE_NS)
		return;
	killpg(py->ch.pid, SIGKILL); /* anything left of it (ESRCH if nothing) */
	py_finish(run);
}

/* Cancel: the whole group goes at once (its Pool would take seconds). */
static void py_cancel(struct run *run)
{
	py_kill_group(run->be);
}

/* SIGKILL the group. */
static void py_kill(struct run *run)
{
	py_kill_group(run->be);
}

/* Block until the interpreter is reaped and the run settled (after a kill). */
static void py_stop(struct run *run)
{
	struct py_run *py = run->be;

	if (py->over)
		return;
	py_kill_group(py);
	pychild_end(&py->ch, PY_GROUP_GRACE_NS, true);
	py_reap_interp(py, true);
	py_finish(run);
}

/* The FIFO, the interpreter's own output and its pidfd. */
static int py_pollfds(struct run *run, int *fds, int max)
{
	struct py_run *py = run->be;
	int n = 0;

	if (py->over)
		return 0;
	if (n < max && py->ch.ev_rd >= 0)
		fds[n++] = py->ch.ev_rd;
	if (n < max && py->ch.out_rd >= 0)
		fds[n++] = py->ch.out_rd;
	if (n < max && py->ch.pidfd >= 0)
		fds[n++] = py->ch.pidfd;
	return n;
}

/* On-CPU time of a Python worker thread since it said it was up, from its schedstat. */
static int64_t py_cpu_ns(struct run *run, struct pool_slot *slot)
{
	struct py_run *py = run->be;
	int64_t c;

	if (slot->pid <= 0 || slot->tid <= 0 || py->w[slot->id].exited || py->map_ended ||
	    py->w[slot->id].own_cpu)
		return -1;
	c = py_schedstat_ns(slot->pid, slot->tid);
	return c < 0 ? -1 : c - py->w[slot->id].cpu_base_ns;
}

/* Free what the backend holds (every process already gone). */
static void py_release(struct run *run)
{
	struct py_run *py = run->be;

	if (!py)
		return;
	if (!py->ch.reaped) /* a failed start: never leave it running */
		pychild_end(&py->ch, 0, true);
	threadsample_free(py->ts);
	pychild_close(&py->ch);
	for (int w = 0; py->w && w < run->nw; w++) {
		free(py->w[w].iv);
		free(py->w[w].marks);
	}
	free(py->w);
	free(py->buf);
	free(py->fault);
	free(py);
	run->be = NULL;
	run->python = NULL;
	run->fault = NULL;
}

/* Is the interpreter older than the Python side needs? Then err says so. version:
 * its hello's; NULL: it failed before its hello, so it is asked (-c). */
static bool py_too_old(const struct py_run *py, const char *version, char *err, size_t errlen)
{
	int major = 0, minor = 0;
	char v[32];

	if (version) {
		snprintf(v, sizeof v, "%s", version);
		if (sscanf(version, "%d.%d", &major, &minor) != 2)
			major = minor = 0; /* a hello without a version: refused as too old */
	} else if (pythons_version(py->path, &major, &minor) < 0) {
		return false;
	} else {
		snprintf(v, sizeof v, "%d.%d", major, minor);
	}
	if (major * 100 + minor >= PYTHONS_MIN_MAJOR * 100 + PYTHONS_MIN_MINOR)
		return false;
	snprintf(err, errlen,
	         "python interpreter %s is Python %s: the py-* backends need %d.%d or later",
	         py->path, v, PYTHONS_MIN_MAJOR, PYTHONS_MIN_MINOR);
	return true;
}

/* pychild_wait_hello's reader: 1 the hello came, -1 a bad line, 0 not yet. */
static int py_take_hello(void *ctx)
{
	struct run *run = ctx;
	struct py_run *py = run->be;

	py_read_events(run, true);
	return py->hello ? 1 : py->bad_line ? -1 : 0;
}

/* Wait for the hello (H), the interpreter's exit, or the timeout; -1 with a message. */
static int py_wait_hello(struct run *run, char *err, size_t errlen)
{
	struct py_run *py = run->be;
	char how[64], last[200];

	switch (pychild_wait_hello(&py->ch, PY_HELLO_TIMEOUT_NS, py->path, py_take_hello, run, err,
	                           errlen)) {
	case PYCHILD_TIMEOUT:
		return -1;
	case PYCHILD_EXITED:
		py_reap_interp(py, false);
		if (py_too_old(py, NULL, err, errlen))
			return -1;
		snprintf(err, errlen, "python interpreter %s %s before it started%s%s", py->path,
		         py_status_words(py->ch.status, how, sizeof how),
		         py->ch.own_len ? ": " : "", pychild_own_last(&py->ch, last, sizeof last));
		return -1;
	default:
		break;
	}
	if (py->bad_line) {
		snprintf(err, errlen, "%s", run->fault);
		return -1;
	}
	if (py_too_old(py, py->version, err, errlen))
		return -1;
	return 0;
}

/* Start: the interpreter with the map's arguments; its hello read; -1 with a message. */
static int py_start_spec(struct run *run, const char *python, const char *start_method,
                         const char *python_dir, char *err, size_t errlen)
{
	static const char *const modes[] = {
	    [BACKEND_PY_SERIAL] = "serial",
	    [BACKEND_PY_PROCESS] = "pool",
	    [BACKEND_PY_THREAD] = "thread",
	};
	struct py_run *py = calloc(1, sizeof(*py));
	char workers[24], chunk[24];
	const char *argv[24];
	int argc = 0;

	if (!py) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	run->be = py;
	pychild_init(&py->ch);
	py->last_w = -1;
	py->info.path = py->path;
	py->info.implementation = py->impl;
	py->info.version = py->version;
	py->info.own_output = py->ch.own;
	py->w = calloc((size_t)run->nw, sizeof(*py->w));
	if (!py->w) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (pythons_resolve(python, py->path, sizeof py->path, err, errlen) < 0)
		return -1;
	if (!python_dir)
		python_dir = pythons_dir();
	if (!python_dir ||
	    (size_t)snprintf(py->script, sizeof py->script, "%s/%s", python_dir, PYTHONS_SCRIPT) >=
	        sizeof py->script ||
	    access(py->script, R_OK) != 0) {
		snprintf(err, errlen, "the Python side (%s) is not found in %s (set %s)",
		         PYTHONS_SCRIPT,
		         python_dir ? python_dir : "./src/python nor " MPTUTOR_DATADIR "/python",
		         PYTHONS_DIR_ENV);
		return -1;
	}
	if (pychild_make_files(&py->ch, "mptutor-py-", PY_FIFO_SIZE, run->items, run->job.n_items,
	                       err, errlen) < 0)
		return -1;
	snprintf(workers, sizeof workers, "%d", run->nw);
	snprintf(chunk, sizeof chunk, "%ld", run->job.chunksize);
	argv[argc++] = py->path;
	argv[argc++] = "-u";
	argv[argc++] = py->script;
	argv[argc++] = "run";
	argv[argc++] = "--mode";
	argv[argc++] = modes[run->backend];
	argv[argc++] = "--task";
	argv[argc++] = run->job.task->name;
	argv[argc++] = "--workers";
	argv[argc++] = workers;
	argv[argc++] = "--chunksize";
	argv[argc++] = chunk;
	if (run->unordered)
		argv[argc++] = "--unordered";
	if (run->backend == BACKEND_PY_PROCESS && start_method) {
		argv[argc++] = "--start-method";
		argv[argc++] = start_method;
	}
	argv[argc++] = "--events";
	argv[argc++] = py->ch.fifo;
	argv[argc++] = "--items-file";
	argv[argc++] = py->ch.items;
	argv[argc] = NULL;
	py->ch.nice = run->job.nice;
	if (pychild_spawn(&py->ch, run->parent_pid, (char *const *)argv, err, errlen) < 0)
		return -1;
	py->info.pid = py->ch.pid;
	for (int w = 0; w < run->nw; w++) {
		run->slots[w].alive = true; /* until the interpreter is gone */
		run->slots[w].pid = 0;
	}
	run->python = &py->info;
	if (py_wait_hello(run, err, errlen) < 0)
		return -1; /* py_release kills and reaps it */
	if (run->backend == BACKEND_PY_THREAD) {
		if (!py->info.gil) {
			snprintf(py->measured, sizeof py->measured,
			         "not measured: %s runs without a GIL",
			         py->info.free_threaded ? "this free-threaded build"
			                                : "this interpreter");
			py->info.gil_measured = py->measured;
		} else if (threadsample_start(py->ch.pid, 0, THREADSAMPLE_GIL, &py->ts, err,
		                              errlen) < 0) {
			return -1;
		}
	}
	return 0;
}

/* Start from the run's spec (the ops' start cannot see it: run_start keeps it here). */
static int py_start(struct run *run, char *err, size_t errlen)
{
	return py_start_spec(run, run->py_python, run->py_start_method, run->py_dir, err, errlen);
}

const struct backend_ops backend_py_serial_ops = {
    .kind = BACKEND_PY_SERIAL,
    .external = true,
    .start = py_start,
    .reap = py_reap,
    .kill = py_kill,
    .stop = py_stop,
    .cpu_ns = py_cpu_ns,
    .cancel = py_cancel,
    .pollfds = py_pollfds,
    .release = py_release,
};

const struct backend_ops backend_py_process_ops = {
    .kind = BACKEND_PY_PROCESS,
    .external = true,
    .start = py_start,
    .reap = py_reap,
    .kill = py_kill,
    .stop = py_stop,
    .cpu_ns = py_cpu_ns,
    .cancel = py_cancel,
    .pollfds = py_pollfds,
    .release = py_release,
};

const struct backend_ops backend_py_thread_ops = {
    .kind = BACKEND_PY_THREAD,
    .external = true,
    .start = py_start,
    .reap = py_reap,
    .kill = py_kill,
    .stop = py_stop,
    .cpu_ns = py_cpu_ns,
    .cancel = py_cancel,
    .pollfds = py_pollfds,
    .release = py_release,
};
