/*
 * threadsample.c — the kernel-sampling GIL measure: parsing a syscall file,
 * classifying a reading, the sampler thread and the attribution of readings
 * to items. Stat lines are parsed by procstat.
 */
#include "engine/threadsample.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "engine/clock.h"
#include "engine/procstat.h"

/* One registered thread. */
struct ts_thread {
	pid_t tid;
	int stat_fd;                   /* -1 once gone */
	int info_fd;                   /* syscall or wchan file, by source */
	int source;                    /* enum threadsample_source */
	bool gone;                     /* no longer read */
	struct threadsample_sample *s; /* readings, growing */
	size_t n, cap;
	unsigned long long utime, stime; /* at the last reading */
};

struct threadsample {
	pid_t pid;
	int flags;
	double rate_hz;
	int64_t period_ns; /* nominal */
	pthread_t thread;
	bool started, stopping, joined; /* under mu */
	pthread_mutex_t mu;             /* guards everything below and above */
	pthread_cond_t cond;            /* wakes the sampler to stop */
	struct ts_thread *th;           /* registered threads */
	size_t nth, capth;
	uint32_t ticks;
	int64_t start_ns, first_tick_ns, last_tick_ns, max_gap_ns;
	int64_t cpu_ns; /* the sampler thread's CPU time */
};

/* The system calls that mean "blocked in I/O, the GIL released". */
static const long ts_io_calls[] = {
#ifdef SYS_nanosleep
    SYS_nanosleep,
#endif
#ifdef SYS_clock_nanosleep
    SYS_clock_nanosleep,
#endif
#ifdef SYS_select
    SYS_select,
#endif
#ifdef SYS_pselect6
    SYS_pselect6,
#endif
#ifdef SYS_poll
    SYS_poll,
#endif
#ifdef SYS_ppoll
    SYS_ppoll,
#endif
#ifdef SYS_epoll_wait
    SYS_epoll_wait,
#endif
#ifdef SYS_epoll_pwait
    SYS_epoll_pwait,
#endif
#ifdef SYS_epoll_pwait2
    SYS_epoll_pwait2,
#endif
#ifdef SYS_read
    SYS_read,
#endif
#ifdef SYS_write
    SYS_write,
#endif
#ifdef SYS_readv
    SYS_readv,
#endif
#ifdef SYS_writev
    SYS_writev,
#endif
#ifdef SYS_pread64
    SYS_pread64,
#endif
#ifdef SYS_pwrite64
    SYS_pwrite64,
#endif
#ifdef SYS_recvfrom
    SYS_recvfrom,
#endif
#ifdef SYS_recvmsg
    SYS_recvmsg,
#endif
#ifdef SYS_sendto
    SYS_sendto,
#endif
#ifdef SYS_sendmsg
    SYS_sendmsg,
#endif
#ifdef SYS_accept
    SYS_accept,
#endif
#ifdef SYS_accept4
    SYS_accept4,
#endif
#ifdef SYS_connect
    SYS_connect,
#endif
#ifdef SYS_wait4
    SYS_wait4,
#endif
#ifdef SYS_waitid
    SYS_waitid,
#endif
};

/* wchan names (kernel functions a task sleeps in) that mean I/O. */
static const char *const ts_io_wchans[] = {
    "nanosleep",   "hrtimer", "select", "poll",    "pipe_",   "wait_woken", "sk_wait",
    "unix_stream", "inet_",   "tcp_",   "do_wait", "ep_poll", "n_tty_read", "wait_for_completion",
};

/* Write a message into err. */
static void ts_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Parse a syscall file's text of len bytes. */
int threadsample_parse_syscall(const char *text, size_t len, struct threadsample_syscall *out)
{
	char buf[256];
	char *p, *end;

	if (!text || len == 0)
		return -1;
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	memset(out, 0, sizeof(*out));
	out->nr = -1;
	if (strncmp(buf, "running", 7) == 0 &&
	    (buf[7] == '\0' || buf[7] == '\n' || buf[7] == ' ')) {
		out->running = true;
		return 0;
	}
	errno = 0;
	out->nr = strtol(buf, &end, 10);
	if (end == buf || errno || (*end != ' ' && *end != '\n' && *end != '\0'))
		return -1;
	if (out->nr < -1)
		return -1;
	if (out->nr == -1)
		return 0; /* "-1 sp pc": asleep outside a system call */
	/* "nr a0 a1 a2 a3 a4 a5 sp pc" */
	p = end;
	for (int i = 0; i < 6; i++) {
		while (*p == ' ')
			p++;
		errno = 0;
		out->args[i] = strtoull(p, &end, 16);
		if (end == p || errno)
			return -1;
		p = end;
	}
	return 0;
}

/* Is nr one of the calls that mean I/O? */
static bool ts_is_io(long nr)
{
	for (size_t i = 0; i < sizeof(ts_io_calls) / sizeof(ts_io_calls[0]); i++)
		if (ts_io_calls[i] == nr)
			return true;
	return false;
}

/* Is nr a futex wait? */
static bool ts_is_futex(long nr)
{
#ifdef SYS_futex_waitv
	if (nr == SYS_futex_waitv)
		return true;
#endif
#ifdef SYS_futex_time64
	if (nr == SYS_futex_time64)
		return true;
#endif
	return nr == SYS_futex;
}

/* Class of a reading. */
int threadsample_classify(char state, const struct threadsample_syscall *sc, const char *wchan)
{
	if (state == 'Z' || state == 'X' || state == 'x' || state == 'T' || state == 't')
		return THREADSAMPLE_OTHER;
	if (sc) {
		if (sc->running)
			return THREADSAMPLE_ON_CPU;
		if (sc->nr < 0)
			return THREADSAMPLE_OTHER;
		if (ts_is_futex(sc->nr))
			return THREADSAMPLE_FUTEX;
		if (ts_is_io(sc->nr))
			return THREADSAMPLE_IO;
		return THREADSAMPLE_OTHER;
	}
	if (state == 'R')
		return THREADSAMPLE_ON_CPU;
	if (!wchan)
		return THREADSAMPLE_OTHER;
	if (strstr(wchan, "futex"))
		return THREADSAMPLE_FUTEX;
	for (size_t i = 0; i < sizeof(ts_io_wchans) / sizeof(ts_io_wchans[0]); i++)
		if (strstr(wchan, ts_io_wchans[i]))
			return THREADSAMPLE_IO;
	return THREADSAMPLE_OTHER;
}

/* "on-cpu", "futex", "io", "other". */
const char *threadsample_class_name(int cls)
{
	static const char *const names[] = {"on-cpu", "futex", "io", "other"};

	return cls >= 0 && cls < THREADSAMPLE_CLASSES ? names[cls] : "?";
}

/* qsort order of intervals by start. */
static int ts_cmp_iv(const void *a, const void *b)
{
	const struct threadsample_interval *x = a, *y = b;

	return x->start_ns < y->start_ns ? -1 : x->start_ns > y->start_ns;
}

/* Under a GIL: did another thread read ON_CPU in this tick, in a longer run? */
static bool ts_beside_holder(const struct threadsample_sample *me,
                             const struct threadsample_sample *const *others,
                             const size_t *others_n, size_t *cursor, size_t n_others)
{
	bool beside = false;

	for (size_t j = 0; j < n_others; j++) {
		while (cursor[j] < others_n[j] && others[j][cursor[j]].tick < me->tick)
			cursor[j]++;
		if (cursor[j] < others_n[j] && others[j][cursor[j]].tick == me->tick &&
		    others[j][cursor[j]].cls == THREADSAMPLE_ON_CPU &&
		    others[j][cursor[j]].streak > me->streak)
			beside = true;
	}
	return beside;
}

/* What a walk over one thread's readings does with each one it attributes:
 * the reading stands for [from_ns, to_ns) of item [iv_start, iv_end), in class
 * cls after the GIL rule (woken: read ON_CPU beside the holder, so FUTEX). */
typedef void (*ts_visit_fn)(void *ctx, int64_t from_ns, int64_t to_ns, int cls, bool woken,
                            const struct threadsample_interval *item);

/* Walk one thread's readings inside its intervals: the one place a reading
 * is attributed (its window, its item, its class under the GIL rule). -1 if
 * out of memory. */
static int ts_walk(const struct threadsample_sample *s, size_t n,
                   const struct threadsample_sample *const *others, const size_t *others_n,
                   size_t n_others, int flags, int64_t period_ns,
                   const struct threadsample_interval *iv, size_t niv, ts_visit_fn visit, void *ctx)
{
	struct threadsample_interval *sorted = NULL;
	size_t *cursor = NULL;
	size_t k = 0;

	if (niv > 0) {
		sorted = malloc(niv * sizeof(*sorted));
		if (!sorted)
			return -1;
		memcpy(sorted, iv, niv * sizeof(*sorted));
		qsort(sorted, niv, sizeof(*sorted), ts_cmp_iv);
	}
	if ((flags & THREADSAMPLE_GIL) && n_others > 0) {
		cursor = calloc(n_others, sizeof(*cursor));
		if (!cursor)
			n_others = 0;
	} else {
		n_others = 0;
	}
	for (size_t i = 0; i < n && k < niv; i++) {
		int64_t t = s[i].t_ns, w;

		while (k < niv && sorted[k].end_ns <= t)
			k++;
		if (k == niv)
			break;
		if (t < sorted[k].start_ns)
			continue;
		w = i > 0 ? t - s[i - 1].t_ns : period_ns;
		if (w > t - sorted[k].start_ns)
			w = t - sorted[k].start_ns;
		if (w <= 0)
			w = 0;
		if (s[i].cls >= THREADSAMPLE_CLASSES)
			continue;
		bool woken = s[i].cls == THREADSAMPLE_ON_CPU && n_others > 0 &&
		             ts_beside_holder(&s[i], others, others_n, cursor, n_others);
		visit(ctx, t - w, t, woken ? THREADSAMPLE_FUTEX : s[i].cls, woken, &sorted[k]);
	}
	free(sorted);
	free(cursor);
	return 0;
}

/* The sums of one walk. */
struct ts_sums {
	int64_t sum[THREADSAMPLE_CLASSES], woken;
	const struct threadsample_interval *last_item;
	struct threadsample_totals *out;
};

/* A reading into the sums. */
static void ts_visit_sum(void *ctx, int64_t from_ns, int64_t to_ns, int cls, bool woken,
                         const struct threadsample_interval *item)
{
	struct ts_sums *u = ctx;
	u->sum[cls] += to_ns - from_ns;
	if (woken)
		u->woken += to_ns - from_ns;
	u->out->samples++;
	if (u->last_item != item) {
		u->last_item = item;
		u->out->items++;
	}
}

/* Add up one thread's readings inside its intervals. */
void threadsample_attribute(const struct threadsample_sample *s, size_t n,
                            const struct threadsample_sample *const *others, const size_t *others_n,
                            size_t n_others, int flags, int64_t period_ns,
                            const struct threadsample_interval *iv, size_t niv,
                            struct threadsample_totals *out)
{
	struct ts_sums u = {.out = out};

	memset(out, 0, sizeof(*out));
	if (ts_walk(s, n, others, others_n, n_others, flags, period_ns, iv, niv, ts_visit_sum, &u) <
	    0)
		return;
	out->held_s = (double)u.sum[THREADSAMPLE_ON_CPU] / 1e9;
	out->wait_s = (double)u.sum[THREADSAMPLE_FUTEX] / 1e9;
	out->woken_s = (double)u.woken / 1e9;
	out->io_s = (double)u.sum[THREADSAMPLE_IO] / 1e9;
	out->other_s = (double)u.sum[THREADSAMPLE_OTHER] / 1e9;
	out->err_s =
	    (double)period_ns / 1e9 * (2.0 * (double)out->items + sqrt((double)out->samples));
}

/* The changes of one walk. */
struct ts_changes {
	struct threadsample_change *buf;
	size_t max, n;
	bool in_item;                      /* a change was made inside an item: */
	struct threadsample_interval item; /* that item (a copy: the walk's array is freed) */
};

/* Add a change unless it repeats the last one (or there is no room). */
static void ts_change_add(struct ts_changes *u, int64_t t_ns, int cls)
{
	if (u->n > 0 && u->buf[u->n - 1].cls == cls)
		return;
	if (u->n > 0 && t_ns < u->buf[u->n - 1].t_ns)
		t_ns = u->buf[u->n - 1].t_ns;
	if (u->n < u->max)
		u->buf[u->n++] = (struct threadsample_change){t_ns, cls};
}

/* A reading into the changes: leaving an item is a change to none. */
static void ts_visit_change(void *ctx, int64_t from_ns, int64_t to_ns, int cls, bool woken,
                            const struct threadsample_interval *item)
{
	struct ts_changes *u = ctx;
	(void)to_ns, (void)woken;
	if (u->in_item && u->item.start_ns != item->start_ns && u->item.end_ns != THREADSAMPLE_OPEN)
		ts_change_add(u, u->item.end_ns, -1);
	u->in_item = true;
	u->item = *item;
	ts_change_add(u, from_ns, cls);
}

long threadsample_changes_of(const struct threadsample_sample *s, size_t n,
                             const struct threadsample_sample *const *others,
                             const size_t *others_n, size_t n_others, int flags, int64_t period_ns,
                             const struct threadsample_interval *iv, size_t niv,
                             struct threadsample_change *buf, size_t max)
{
	struct ts_changes u = {.buf = buf, .max = max};

	if (ts_walk(s, n, others, others_n, n_others, flags, period_ns, iv, niv, ts_visit_change,
	            &u) < 0)
		return -1;
	if (u.in_item && u.item.end_ns != THREADSAMPLE_OPEN)
		ts_change_add(&u, u.item.end_ns, -1);
	return (long)u.n;
}

/* Read the whole of fd from offset 0 into buf (NUL-terminated); its length, or -1. */
static ssize_t ts_pread(int fd, char *buf, size_t len)
{
	ssize_t n;

	do
		n = pread(fd, buf, len - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Close a thread's files: it is no longer read. */
static void ts_gone(struct ts_thread *t)
{
	if (t->stat_fd >= 0)
		close(t->stat_fd);
	if (t->info_fd >= 0)
		close(t->info_fd);
	t->stat_fd = t->info_fd = -1;
	t->gone = true;
}

/* Take one reading of thread t at tick (under the sampler's mutex). */
static void ts_read_one(struct ts_thread *t, uint32_t tick)
{
	char sbuf[1024], ibuf[256];
	struct threadsample_syscall sc;
	struct threadsample_sample *r;
	struct procstat ps;
	int64_t now = engine_now_ns();
	ssize_t n;
	int cls;

	n = ts_pread(t->stat_fd, sbuf, sizeof(sbuf));
	if (n < 0 || procstat_parse(sbuf, (size_t)n, &ps) < 0 || ps.state == 'Z' ||
	    ps.state == 'X' || ps.state == 'x') {
		ts_gone(t);
		return;
	}
	n = ts_pread(t->info_fd, ibuf, sizeof(ibuf));
	if (n < 0) {
		ts_gone(t);
		return;
	}
	if (t->source == THREADSAMPLE_SRC_SYSCALL) {
		if (threadsample_parse_syscall(ibuf, (size_t)n, &sc) < 0)
			cls = THREADSAMPLE_OTHER;
		else
			cls = threadsample_classify(ps.state, &sc, NULL);
	} else {
		cls = threadsample_classify(ps.state, NULL, ibuf);
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		struct threadsample_sample *g = realloc(t->s, cap * sizeof(*g));

		if (!g)
			return; /* out of memory: this reading is lost, not the run */
		t->s = g;
		t->cap = cap;
	}
	r = &t->s[t->n];
	r->t_ns = now;
	r->tick = tick;
	r->cls = (uint8_t)cls;
	r->state = ps.state;
	r->cpu = (int16_t)ps.processor;
	r->streak = 0;
	if (cls == THREADSAMPLE_ON_CPU)
		r->streak = t->n > 0 && t->s[t->n - 1].cls == THREADSAMPLE_ON_CPU &&
		                    t->s[t->n - 1].tick + 1 == tick
		                ? t->s[t->n - 1].streak + 1
		                : 1;
	t->n++;
	t->utime = ps.utime;
	t->stime = ps.stime;
}

/* The sampler thread: a tick every period until stopped. */
static void *ts_main(void *arg)
{
	struct threadsample *ts = arg;
	int64_t next = engine_now_ns();

	pthread_mutex_lock(&ts->mu);
	while (!ts->stopping) {
		int64_t now = engine_now_ns();

		if (now < next) {
			struct timespec ts_abs = {.tv_sec = next / 1000000000,
			                          .tv_nsec = next % 1000000000};

			pthread_cond_timedwait(&ts->cond, &ts->mu, &ts_abs);
			continue;
		}
		if (ts->ticks > 0 && now - ts->last_tick_ns > ts->max_gap_ns)
			ts->max_gap_ns = now - ts->last_tick_ns;
		if (ts->ticks == 0)
			ts->first_tick_ns = now;
		ts->last_tick_ns = now;
		for (size_t i = 0; i < ts->nth; i++)
			if (!ts->th[i].gone)
				ts_read_one(&ts->th[i], ts->ticks);
		ts->ticks++;
		ts->cpu_ns = engine_clock_ns(CLOCK_THREAD_CPUTIME_ID);
		next += ts->period_ns;
		if (next <= now)
			next = now + ts->period_ns; /* fell behind: no burst to catch up */
	}
	pthread_mutex_unlock(&ts->mu);
	return NULL;
}

/* Start sampling pid's threads. */
int threadsample_start(pid_t pid, double rate_hz, int flags, struct threadsample **out, char *err,
                       size_t errlen)
{
	struct threadsample *ts;
	pthread_condattr_t ca;
	char path[64];
	int e;

	*out = NULL;
	if (rate_hz == 0)
		rate_hz = THREADSAMPLE_DEFAULT_HZ;
	if (!(rate_hz >= THREADSAMPLE_MIN_HZ && rate_hz <= THREADSAMPLE_MAX_HZ)) {
		ts_err(err, errlen, "sample rate %g Hz is out of range (%g..%g)", rate_hz,
		       THREADSAMPLE_MIN_HZ, THREADSAMPLE_MAX_HZ);
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if (pid <= 0 || access(path, F_OK) != 0) {
		ts_err(err, errlen, "process %d cannot be sampled: %s", (int)pid,
		       strerror(pid <= 0 ? EINVAL : errno));
		return -1;
	}
	ts = calloc(1, sizeof(*ts));
	if (!ts) {
		ts_err(err, errlen, "sampler for process %d: %s", (int)pid, strerror(ENOMEM));
		return -1;
	}
	ts->pid = pid;
	ts->flags = flags;
	ts->rate_hz = rate_hz;
	ts->period_ns = (int64_t)(1e9 / rate_hz);
	ts->start_ns = engine_now_ns();
	pthread_mutex_init(&ts->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&ts->cond, &ca);
	pthread_condattr_destroy(&ca);
	e = pthread_create(&ts->thread, NULL, ts_main, ts);
	if (e != 0) {
		ts_err(err, errlen, "sampler thread for process %d: %s", (int)pid, strerror(e));
		pthread_cond_destroy(&ts->cond);
		pthread_mutex_destroy(&ts->mu);
		free(ts);
		return -1;
	}
	ts->started = true;
	*out = ts;
	return 0;
}

/* Open /proc/<pid>/task/<tid>/<name>; -1 with errno. */
static int ts_open(pid_t pid, pid_t tid, const char *name)
{
	char path[80];

	snprintf(path, sizeof(path), "/proc/%d/task/%d/%s", (int)pid, (int)tid, name);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* Find a registered thread (under mu). */
static struct ts_thread *ts_find(struct threadsample *ts, pid_t tid)
{
	for (size_t i = 0; i < ts->nth; i++)
		if (ts->th[i].tid == tid)
			return &ts->th[i];
	return NULL;
}

/* Register thread tid of the sampled pid. */
int threadsample_add_tid(struct threadsample *ts, pid_t tid, char *err, size_t errlen)
{
	struct ts_thread t = {.tid = tid, .stat_fd = -1, .info_fd = -1};
	char buf[256];
	int e;

	pthread_mutex_lock(&ts->mu);
	if (ts_find(ts, tid)) {
		pthread_mutex_unlock(&ts->mu);
		return 0;
	}
	pthread_mutex_unlock(&ts->mu);
	t.stat_fd = ts_open(ts->pid, tid, "stat");
	if (t.stat_fd < 0) {
		ts_err(err, errlen, "thread %d of process %d cannot be sampled: %s", (int)tid,
		       (int)ts->pid, strerror(errno));
		return -1;
	}
	/* the syscall file opens for anyone; reading it needs ptrace rights */
	t.info_fd = ts_open(ts->pid, tid, "syscall");
	t.source = THREADSAMPLE_SRC_SYSCALL;
	if (t.info_fd < 0 || ts_pread(t.info_fd, buf, sizeof(buf)) < 0) {
		if (t.info_fd >= 0)
			close(t.info_fd);
		t.info_fd = ts_open(ts->pid, tid, "wchan");
		t.source = THREADSAMPLE_SRC_WCHAN;
		if (t.info_fd < 0 || ts_pread(t.info_fd, buf, sizeof(buf)) < 0) {
			e = errno;
			ts_gone(&t);
			ts_err(err, errlen,
			       "thread %d of process %d: neither its syscall nor its wchan file "
			       "can be read: %s",
			       (int)tid, (int)ts->pid, strerror(e));
			return -1;
		}
	}
	pthread_mutex_lock(&ts->mu);
	if (ts_find(ts, tid)) {
		pthread_mutex_unlock(&ts->mu);
		ts_gone(&t);
		return 0;
	}
	if (ts->nth == THREADSAMPLE_MAX_TIDS || ts->nth == ts->capth) {
		size_t cap = ts->capth ? ts->capth * 2 : 16;
		struct ts_thread *g =
		    ts->nth < THREADSAMPLE_MAX_TIDS ? realloc(ts->th, cap * sizeof(*g)) : NULL;

		if (!g) {
			pthread_mutex_unlock(&ts->mu);
			ts_gone(&t);
			ts_err(err, errlen, "thread %d of process %d: %s", (int)tid, (int)ts->pid,
			       ts->nth < THREADSAMPLE_MAX_TIDS ? strerror(ENOMEM)
			                                       : "too many threads sampled");
			return -1;
		}
		ts->th = g;
		ts->capth = cap;
	}
	ts->th[ts->nth++] = t;
	pthread_mutex_unlock(&ts->mu);
	return 0;
}

/* Thread tid's totals inside intervals so far. */
/* Under ts->mu: the thread tid, the other threads' readings (*others and
 * *others_n, the caller frees; NULL when alone or out of memory) and the
 * achieved period. NULL with the message if tid is not sampled. */
static struct ts_thread *ts_with_others(struct threadsample *ts, pid_t tid,
                                        const struct threadsample_sample ***others,
                                        size_t **others_n, size_t *no, int64_t *period, char *err,
                                        size_t errlen)
{
	struct ts_thread *t = ts_find(ts, tid);

	*others = NULL;
	*others_n = NULL;
	*no = 0;
	if (!t) {
		ts_err(err, errlen, "thread %d of process %d is not sampled", (int)tid,
		       (int)ts->pid);
		return NULL;
	}
	if (ts->nth > 1) {
		*others = malloc((ts->nth - 1) * sizeof(**others));
		*others_n = malloc((ts->nth - 1) * sizeof(**others_n));
		if (!*others || !*others_n) {
			free(*others);
			free(*others_n);
			*others = NULL;
			*others_n = NULL;
		} else {
			for (size_t i = 0; i < ts->nth; i++) {
				if (&ts->th[i] == t)
					continue;
				(*others)[*no] = ts->th[i].s;
				(*others_n)[(*no)++] = ts->th[i].n;
			}
		}
	}
	*period = ts->ticks > 1 ? (ts->last_tick_ns - ts->first_tick_ns) / (ts->ticks - 1)
	                        : ts->period_ns;
	return t;
}

int threadsample_totals(struct threadsample *ts, pid_t tid, const struct threadsample_interval *iv,
                        size_t niv, struct threadsample_totals *out, char *err, size_t errlen)
{
	const struct threadsample_sample **others;
	size_t *others_n, no;
	int64_t period;

	pthread_mutex_lock(&ts->mu);
	struct ts_thread *t =
	    ts_with_others(ts, tid, &others, &others_n, &no, &period, err, errlen);
	if (!t) {
		pthread_mutex_unlock(&ts->mu);
		return -1;
	}
	threadsample_attribute(t->s, t->n, others, others_n, no, ts->flags, period, iv, niv, out);
	out->utime = t->utime;
	out->stime = t->stime;
	out->source = t->source;
	out->gone = t->gone;
	pthread_mutex_unlock(&ts->mu);
	free(others);
	free(others_n);
	return 0;
}

long threadsample_changes(struct threadsample *ts, pid_t tid,
                          const struct threadsample_interval *iv, size_t niv,
                          struct threadsample_change *buf, size_t max)
{
	const struct threadsample_sample **others;
	size_t *others_n, no;
	int64_t period;
	long n = -1;

	pthread_mutex_lock(&ts->mu);
	struct ts_thread *t = ts_with_others(ts, tid, &others, &others_n, &no, &period, NULL, 0);
	if (t)
		n = threadsample_changes_of(t->s, t->n, others, others_n, no, ts->flags, period, iv,
		                            niv, buf, max);
	pthread_mutex_unlock(&ts->mu);
	free(others);
	free(others_n);
	return n;
}

/* Copy up to max of thread tid's readings into buf. */
long threadsample_samples(struct threadsample *ts, pid_t tid, struct threadsample_sample *buf,
                          size_t max)
{
	struct ts_thread *t;
	long n;

	pthread_mutex_lock(&ts->mu);
	t = ts_find(ts, tid);
	if (!t) {
		pthread_mutex_unlock(&ts->mu);
		return -1;
	}
	if (buf && max > 0)
		memcpy(buf, t->s, (t->n < max ? t->n : max) * sizeof(*buf));
	n = (long)t->n;
	pthread_mutex_unlock(&ts->mu);
	return n;
}

/* The achieved rate, gaps and the sampler's own cost so far. */
void threadsample_info(struct threadsample *ts, struct threadsample_info *out)
{
	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&ts->mu);
	out->rate_hz = ts->rate_hz;
	out->ticks = ts->ticks;
	out->period_s = (double)ts->period_ns / 1e9;
	if (ts->ticks > 1) {
		out->achieved_hz =
		    (double)(ts->ticks - 1) * 1e9 / (double)(ts->last_tick_ns - ts->first_tick_ns);
		out->period_s = 1.0 / out->achieved_hz;
	}
	out->max_gap_s = (double)ts->max_gap_ns / 1e9;
	out->cpu_s = (double)ts->cpu_ns / 1e9;
	out->wall_s = ts->ticks ? (double)(ts->last_tick_ns - ts->start_ns) / 1e9 : 0;
	out->tids = ts->nth;
	pthread_mutex_unlock(&ts->mu);
}

/* Stop and join the sampler thread. */
void threadsample_stop(struct threadsample *ts)
{
	bool join;

	pthread_mutex_lock(&ts->mu);
	ts->stopping = true;
	join = ts->started && !ts->joined;
	ts->joined = true;
	pthread_cond_signal(&ts->cond);
	pthread_mutex_unlock(&ts->mu);
	if (join)
		pthread_join(ts->thread, NULL);
}

/* Stop, close every file and free. */
void threadsample_free(struct threadsample *ts)
{
	if (!ts)
		return;
	threadsample_stop(ts);
	for (size_t i = 0; i < ts->nth; i++) {
		ts_gone(&ts->th[i]);
		free(ts->th[i].s);
	}
	free(ts->th);
	pthread_cond_destroy(&ts->cond);
	pthread_mutex_destroy(&ts->mu);
	free(ts);
}
