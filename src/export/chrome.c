/*
 * chrome.c — the chrome format: a run as a Chrome trace (the Trace Event
 * Format's JSON object form, {"traceEvents": [...], "metadata": {...}}),
 * for ui.perfetto.dev or chrome://tracing. Streamed with jsonw.h, an event
 * a line.
 *
 * What a trace shows:
 *   - a track per worker with its real pid and tid (process_name and
 *     thread_name "M" events; a slot whose worker died and was replaced
 *     has a track per incarnation, as each had its own pid);
 *   - a complete slice ("X", µs) per item, named by the item: "square(7)",
 *     args index, item, result, status; a failed item is "square(6) failed"
 *     in category "item,failed", with an instant event at its end carrying
 *     the error message;
 *   - GIL held / waiting / blocked as slices where the snapshot has a GIL
 *     timeline (gil_marks: the simulated GIL, Python threads when sampled),
 *     on a track of their own under the worker's ("w0 GIL"): GIL spans cross
 *     item boundaries, and slices of one track must nest;
 *   - CPU as counters ("C"): each worker's busy share over time, derived
 *     from its item slices (or, with a GIL timeline, from its GIL held
 *     slices), in 100 steps of the map: not sampled from the kernel, whose
 *     per-worker total (cpu_s) is in the metadata;
 *   - the map and the pool's startup as slices on the run's own track;
 *   - the run's metadata (task, backend, workers, chunksize, the machine).
 * A compare is every run in one trace, one after the other as they ran
 * (each run's t0); each run is a process group of its own: forked workers
 * have their own pids; the threads of runs in mptutor's own process get a
 * pid of their own per run (mptutor's pid + (run + 1) * 2^22, above any
 * real pid), named "<backend> run: N threads of mptutor (pid P)"; threads
 * in an interpreter of their own (py-thread, py-serial) are in its real pid.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/machine.h"
#include "engine/task.h"
#include "export/format.h"
#include "export/jsonw.h"

#define CHROME_PID_STRIDE (1 << 22) /* above pid_max's ceiling: never a real pid or tid */
#define CHROME_CPU_STEPS 100        /* counter steps over a map */

/* Where a run's events go in the trace. */
struct chrome_run {
	const struct run_snapshot *s;
	int index;       /* its place in the trace (sort order) */
	double base_us;  /* the trace time of its t = 0 */
	pid_t home_pid;  /* its own track's process: its threads', or mptutor's */
	pid_t home_tid;  /* its own track */
	bool forks;      /* workers are processes with pids of their own */
	bool shared_pid; /* its threads live in mptutor's pid, shared with other runs */
	pid_t host;      /* threads in another process (a Python interpreter): its pid; else 0 */
	pid_t *seen;     /* [workers * CHROME_MAX_SEEN] tids named so far per worker */
};
#define CHROME_MAX_SEEN 8 /* incarnations of a slot named apart; more share a name */

/* The trace time of t seconds since r's map began, in µs. */
static double chrome_ts(const struct chrome_run *r, double t)
{
	return r->base_us + t * 1e6;
}

/* The common fields of an event: {"ph", "name", "pid", "tid", "ts"; the object stays open. */
static void chrome_event(struct jsonw *w, const char *ph, const char *name, pid_t pid, pid_t tid,
                         double ts)
{
	jsonw_object(w, false);
	jsonw_kstring(w, "ph", ph);
	jsonw_kstring(w, "name", name);
	jsonw_kint(w, "pid", pid);
	jsonw_kint(w, "tid", tid);
	if (!isnan(ts)) {
		jsonw_key(w, "ts");
		jsonw_fixed(w, ts, 3);
	}
}

/* A metadata event: {"ph":"M", "name": what, "args": {key: text or number}}. */
static void chrome_meta(struct jsonw *w, const char *what, pid_t pid, pid_t tid, const char *text,
                        int64_t number)
{
	chrome_event(w, "M", what, pid, tid, NAN);
	jsonw_key(w, "args");
	jsonw_object(w, false);
	if (text != NULL)
		jsonw_kstring(w, "name", text);
	else
		jsonw_kint(w, "sort_index", number);
	jsonw_object_end(w);
	jsonw_object_end(w);
}

/* A complete slice from t0 to t1 (seconds of r), in category cat; args stay open
 * when open_args (the caller adds them and closes two levels). */
static void chrome_slice(struct jsonw *w, const struct chrome_run *r, const char *name,
                         const char *cat, pid_t pid, pid_t tid, double t0, double t1,
                         bool open_args)
{
	chrome_event(w, "X", name, pid, tid, chrome_ts(r, t0));
	jsonw_key(w, "dur");
	jsonw_fixed(w, t1 > t0 ? (t1 - t0) * 1e6 : 0, 3);
	jsonw_kstring(w, "cat", cat);
	if (open_args) {
		jsonw_key(w, "args");
		jsonw_object(w, false);
		return;
	}
	jsonw_object_end(w);
}

/* The pid and tid an item ran on in the trace. */
static void chrome_where(const struct chrome_run *r, const struct item_event *e, pid_t *pid,
                         pid_t *tid)
{
	const struct worker_snap *p = &r->s->per_worker[e->worker];
	*tid = e->tid > 0 ? e->tid : p->tid;
	if (r->forks || (r->host > 0 && e->pid > 0 && e->pid != r->host))
		*pid = e->pid > 0 ? e->pid : p->pid;
	else
		*pid = r->home_pid;
}

/* Name a worker's track the first time one of its incarnations (tid) is seen. */
static void chrome_name_worker(struct jsonw *w, struct chrome_run *r, int worker, pid_t pid,
                               pid_t tid)
{
	pid_t *seen = &r->seen[(size_t)worker * CHROME_MAX_SEEN];
	int k = 0;
	while (k < CHROME_MAX_SEEN && seen[k] != 0 && seen[k] != tid)
		k++;
	if (k < CHROME_MAX_SEEN && seen[k] == tid)
		return;
	if (k == CHROME_MAX_SEEN)
		return; /* a slot replaced many times: the later ones go unnamed */
	seen[k] = tid;
	const struct backend_info *b = backend_get(r->s->backend);
	char name[160];
	if (r->forks) {
		snprintf(name, sizeof name, "%s %s %c%d (pid %ld)%s", b->name, b->worker, b->prefix,
		         worker, (long)pid, k > 0 ? ", a replacement" : "");
		chrome_meta(w, "process_name", pid, tid, name, 0);
		chrome_meta(w, "process_sort_index", pid, tid, NULL,
		            (int64_t)r->index * 100000 + worker * 10 + k + 1);
		snprintf(name, sizeof name, "%c%d", b->prefix, worker);
	} else {
		snprintf(name, sizeof name, "%c%d (tid %ld)", b->prefix, worker, (long)tid);
	}
	chrome_meta(w, "thread_name", pid, tid, name, 0);
	chrome_meta(w, "thread_sort_index", pid, tid, NULL, (int64_t)worker * 2 + 1);
}

/* One item's slice, and the instant of its failure. */
static void chrome_item(struct jsonw *w, struct chrome_run *r, size_t i, const char *message)
{
	const struct run_snapshot *s = r->s;
	const struct item_event ev = run_item_event(s, i), *e = &ev;
	unsigned st = run_item_status(s, i);
	bool failed = st == ITEM_FAILED;
	char name[96];
	if (e->worker < 0) { /* failed before any worker took it: on the run's track */
		if (!failed)
			return;
		snprintf(name, sizeof name, "%s(%lld) never ran", s->task->name,
		         (long long)s->items[i]);
		chrome_event(w, "i", name, r->home_pid, r->home_tid, chrome_ts(r, e->end_s));
		jsonw_kstring(w, "s", "p");
		jsonw_kstring(w, "cat", "item,failed");
		jsonw_key(w, "args");
		jsonw_object(w, false);
		jsonw_kint(w, "index", (int64_t)i);
		jsonw_kstring(w, "message", message);
		jsonw_object_end(w);
		jsonw_object_end(w);
		return;
	}
	pid_t pid, tid;
	chrome_where(r, e, &pid, &tid);
	chrome_name_worker(w, r, e->worker, pid, tid);
	snprintf(name, sizeof name, "%s(%lld)%s", s->task->name, (long long)s->items[i],
	         failed ? " failed" : "");
	double end = e->end_s > 0 || st >= ITEM_DONE ? e->end_s : s->now_s;
	chrome_slice(w, r, name, failed ? "item,failed" : "item", pid, tid, e->start_s, end, true);
	jsonw_kint(w, "index", (int64_t)i);
	jsonw_kint(w, "item", s->items[i]);
	jsonw_key(w, "result");
	if (st == ITEM_DONE && s->task_returns && s->results != NULL)
		jsonw_int(w, s->results[i]);
	else
		jsonw_null(w);
	jsonw_kstring(w, "status", st == ITEM_DONE ? "done" : failed ? "failed" : "not finished");
	jsonw_kint(w, "worker", e->worker);
	if (message != NULL)
		jsonw_kstring(w, "error", message);
	jsonw_object_end(w);
	jsonw_object_end(w);
	if (failed) {
		chrome_event(w, "i", "worker died", pid, tid, chrome_ts(r, end));
		jsonw_kstring(w, "s", "t");
		jsonw_kstring(w, "cat", "item,failed");
		jsonw_key(w, "args");
		jsonw_object(w, false);
		jsonw_kint(w, "index", (int64_t)i);
		jsonw_kstring(w, "message", message != NULL ? message : "failed");
		jsonw_object_end(w);
		jsonw_object_end(w);
	}
}

/* The slice name of a GIL timeline's activity, or NULL for none. */
static const char *chrome_gil_name(int act)
{
	switch (act) {
	case GIL_MARK_HOLD:
		return "GIL held";
	case GIL_MARK_WAIT:
		return "GIL wait";
	case GIL_MARK_BLOCKED:
		return "blocked, GIL released";
	default:
		return NULL;
	}
}

/* A worker's GIL timeline as slices on its GIL track. */
static void chrome_gil(struct jsonw *w, struct chrome_run *r, int worker)
{
	const struct worker_snap *p = &r->s->per_worker[worker];
	if (p->n_gil_marks == 0 || p->gil_marks == NULL)
		return;
	pid_t pid = r->forks ? p->pid : r->home_pid;
	pid_t tid = p->tid + CHROME_PID_STRIDE; /* its own track, beside the worker's */
	if (p->tid >= CHROME_PID_STRIDE)
		tid = p->tid ^ CHROME_PID_STRIDE;
	char name[96];
	snprintf(name, sizeof name, "%c%d GIL (tid %ld)", backend_get(r->s->backend)->prefix,
	         worker, (long)p->tid);
	chrome_meta(w, "thread_name", pid, tid, name, 0);
	chrome_meta(w, "thread_sort_index", pid, tid, NULL, (int64_t)worker * 2 + 2);
	double end_all = r->s->wall_s > r->s->now_s ? r->s->wall_s : r->s->now_s;
	for (size_t k = 0; k < p->n_gil_marks; k++) {
		const char *what = chrome_gil_name(p->gil_marks[k].act);
		double t0 = p->gil_marks[k].t_s;
		double t1 = k + 1 < p->n_gil_marks ? p->gil_marks[k + 1].t_s : end_all;
		if (what != NULL && t1 > t0)
			chrome_slice(w, r, what, "gil", pid, tid, t0, t1, false);
	}
}

/* Add the part of [t0, t1) inside each step to busy[] (steps of width step from 0). */
static void chrome_spread(double *busy, double step, double t0, double t1)
{
	if (!(t1 > t0) || !(step > 0))
		return;
	long a = (long)floor(t0 / step), b = (long)floor(t1 / step);
	for (long k = a < 0 ? 0 : a; k <= b && k < CHROME_CPU_STEPS; k++) {
		double lo = (double)k * step, hi = lo + step;
		double x0 = t0 > lo ? t0 : lo, x1 = t1 < hi ? t1 : hi;
		if (x1 > x0)
			busy[k] += x1 - x0;
	}
}

/* Each worker's busy share over the map as a counter on the run's track. */
static int chrome_cpu(struct jsonw *w, const struct chrome_run *r)
{
	const struct run_snapshot *s = r->s;
	double wall = s->wall_s > 0 ? s->wall_s : s->now_s;
	if (!(wall > 0) || s->workers <= 0 || s->per_worker == NULL)
		return 0;
	double step = wall / CHROME_CPU_STEPS;
	double *busy = calloc((size_t)s->workers * CHROME_CPU_STEPS, sizeof *busy);
	if (busy == NULL)
		return -1;
	for (int k = 0; k < s->workers; k++) { /* a GIL timeline says when it ran */
		const struct worker_snap *p = &s->per_worker[k];
		for (size_t m = 0; p->gil_marks != NULL && m < p->n_gil_marks; m++)
			if (p->gil_marks[m].act == GIL_MARK_HOLD)
				chrome_spread(
				    &busy[(size_t)k * CHROME_CPU_STEPS], step, p->gil_marks[m].t_s,
				    m + 1 < p->n_gil_marks ? p->gil_marks[m + 1].t_s : wall);
	}
	for (size_t i = 0; i < s->n_items && s->recs != NULL; i++) {
		const struct item_event ev = run_item_event(s, i), *e = &ev;
		if (e->worker < 0 || e->worker >= s->workers ||
		    s->per_worker[e->worker].n_gil_marks > 0)
			continue;
		chrome_spread(&busy[(size_t)e->worker * CHROME_CPU_STEPS], step, e->start_s,
		              e->end_s);
	}
	const struct backend_info *b = backend_get(s->backend);
	for (int k = 0; k < s->workers; k++) {
		char name[64];
		snprintf(name, sizeof name, "%s %c%d", b->name, b->prefix, k);
		long last = -1;
		for (int j = 0; j <= CHROME_CPU_STEPS; j++) {
			long pct = j < CHROME_CPU_STEPS
			               ? lround(busy[(size_t)k * CHROME_CPU_STEPS + j] / step * 100)
			               : 0;
			if (pct > 100)
				pct = 100;
			if (pct == last)
				continue;
			last = pct;
			chrome_event(w, "C", name, r->home_pid, r->home_tid,
			             chrome_ts(r, (double)j * step));
			jsonw_key(w, "args");
			jsonw_object(w, false);
			jsonw_kint(w, "busy %", pct);
			jsonw_object_end(w);
			jsonw_object_end(w);
		}
	}
	free(busy);
	return 0;
}

/* The error message of each failed item, by index (NULL: none); caller frees. */
static const char **chrome_messages(const struct run_snapshot *s, bool *oom)
{
	*oom = false;
	if (s->n_errors == 0 || s->n_items == 0)
		return NULL;
	const char **m = calloc(s->n_items, sizeof *m);
	if (m == NULL) {
		*oom = true;
		return NULL;
	}
	for (size_t i = 0; i < s->n_errors; i++)
		if (s->errors[i].item < s->n_items)
			m[s->errors[i].item] = s->errors[i].message;
	return m;
}

/* One run's events: its own track (name, the map, startup), its workers' items,
 * GIL timelines and counters. -1 when out of memory. */
static int chrome_run_events(struct jsonw *w, struct chrome_run *r)
{
	const struct run_snapshot *s = r->s;
	const struct backend_info *b = backend_get(s->backend);
	char name[200];
	pid_t self = getpid();
	if (r->forks)
		snprintf(name, sizeof name, "mptutor (pid %ld): the parent of the workers",
		         (long)self);
	else if (r->host > 0)
		snprintf(name, sizeof name, "%s run: %d %s of pid %ld", b->name, s->workers,
		         s->workers == 1 ? b->worker : b->workers, (long)r->host);
	else
		snprintf(name, sizeof name, "%s run: %d %s of mptutor (pid %ld)", b->name,
		         s->workers, s->workers == 1 ? b->worker : b->workers, (long)self);
	chrome_meta(w, "process_name", r->home_pid, r->home_tid, name, 0);
	chrome_meta(w, "process_sort_index", r->home_pid, r->home_tid, NULL,
	            (int64_t)r->index * 100000);
	chrome_meta(w, "thread_name", r->home_pid, r->home_tid, r->forks ? "pool.map" : b->name, 0);
	chrome_meta(w, "thread_sort_index", r->home_pid, r->home_tid, NULL, 0);
	snprintf(name, sizeof name, "%s startup", b->name);
	chrome_slice(w, r, name, "run", r->home_pid, r->home_tid, -s->startup_s, 0, false);
	snprintf(name, sizeof name, "%s.map(%s, %zu items)", b->name, s->task->name, s->n_items);
	chrome_slice(w, r, name, "run", r->home_pid, r->home_tid, 0, s->wall_s, true);
	jsonw_kstring(w, "backend", b->name);
	jsonw_kint(w, "workers", s->workers);
	jsonw_kint(w, "chunksize", s->chunksize);
	jsonw_kint(w, "n_done", (int64_t)s->n_done);
	jsonw_kint(w, "n_failed", (int64_t)s->n_failed);
	jsonw_object_end(w);
	jsonw_object_end(w);

	bool oom;
	const char **msg = chrome_messages(s, &oom);
	r->seen =
	    calloc((size_t)(s->workers > 0 ? s->workers : 1) * CHROME_MAX_SEEN, sizeof *r->seen);
	if (oom || r->seen == NULL) {
		free(msg);
		free(r->seen);
		return -1;
	}
	for (size_t i = 0; i < s->n_items && s->recs != NULL && s->per_worker != NULL; i++)
		if (run_item_who(s, i).worker < s->workers)
			chrome_item(w, r, i, msg != NULL ? msg[i] : NULL);
	for (int k = 0; k < s->workers && s->per_worker != NULL; k++)
		chrome_gil(w, r, k);
	free(msg);
	free(r->seen);
	r->seen = NULL;
	return chrome_cpu(w, r);
}

/* The machine, into the metadata object. */
static void chrome_machine(struct jsonw *w)
{
	struct machine_info m;
	export_machine(&m);
	jsonw_kint(w, "cpus_online", m.cpus_online);
	jsonw_kint(w, "cpus_usable", m.cpus_usable);
	jsonw_kstring(w, "cpu_model", m.cpu_model);
	jsonw_kstring(w, "kernel", m.kernel);
}

/* The orders of --repeat as one line: "0 1 2 3 x12; 1 0 2 3 x5" into the metadata. */
static int chrome_orders_meta(struct jsonw *w, const struct session_orders *o)
{
	const struct session_order **p = report_orders_sorted(o);
	if (p == NULL && o->n_orders > 0)
		return -1;
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (mem == NULL) {
		free(p);
		return -1;
	}
	for (size_t i = 0; i < o->n_orders; i++) {
		fputs(i ? "; " : "", mem);
		for (size_t k = 0; k < p[i]->n; k++)
			fprintf(mem, "%s%lld", k ? " " : "", (long long)p[i]->values[k]);
		fprintf(mem, " x%d", p[i]->count);
	}
	free(p);
	if (fclose(mem) != 0) {
		free(text);
		return -1;
	}
	jsonw_kint(w, "repeat_runs", o->runs);
	jsonw_kstring(w, "orders", text);
	free(text);
	return 0;
}

/* A trace of runs[0..n) (one run, or a compare's), with metadata. */
static int chrome_trace(FILE *out, const struct run_request *req,
                        const struct run_snapshot *const *snaps, size_t n,
                        const struct session_orders *repeat, char *err, size_t errlen)
{
	struct jsonw jw, *w = &jw;
	pid_t self = getpid();
	double origin = 0;
	for (size_t i = 0; i < n; i++) {
		double t = snaps[i]->t0_unix_s - snaps[i]->startup_s;
		if (i == 0 || t < origin)
			origin = t;
	}
	jsonw_init(w, out);
	jsonw_object(w, false);
	jsonw_kstring(w, "displayTimeUnit", "ms");
	jsonw_key(w, "traceEvents");
	jsonw_array(w, true);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct run_snapshot *s = snaps[i];
		struct chrome_run r = {.s = s, .index = (int)i};
		r.forks = backend_get(s->backend)->forks;
		/* threads of another process (an interpreter): that process is the run's */
		if (!r.forks && s->workers > 0 && s->per_worker != NULL &&
		    s->per_worker[0].pid > 0 && s->per_worker[0].pid != self)
			r.host = s->per_worker[0].pid;
		r.shared_pid = !r.forks && r.host == 0 && n > 1;
		r.base_us = (s->t0_unix_s - origin) * 1e6;
		r.home_pid = r.host > 0     ? r.host
		             : r.shared_pid ? self + (pid_t)(i + 1) * CHROME_PID_STRIDE
		                            : self;
		r.home_tid = r.forks || r.shared_pid ? r.home_pid
		                                     : r.home_pid + CHROME_PID_STRIDE; /* a track of
		                                                    its own, not a thread's */
		rc = chrome_run_events(w, &r);
	}
	jsonw_array_end(w);
	jsonw_key(w, "metadata");
	jsonw_object(w, false);
	jsonw_kstring(w, "tool", "mptutor " MPTUTOR_VERSION);
	jsonw_kstring(w, "task",
	              snaps != NULL && n > 0 ? snaps[0]->task->name
	              : req != NULL          ? req->task->name
	                                     : "");
	if (req != NULL && (req->kind == RUNKIND_COMPARE || req->kind == RUNKIND_SWEEP)) {
		char list[256] = "";
		size_t at = 0;
		for (size_t i = 0; i < n && at < sizeof list; i++)
			at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", i ? "," : "",
			                       backend_name(snaps[i]->backend));
		jsonw_kstring(w, "backends", list);
	} else if (n > 0) {
		jsonw_kstring(w, "backend", backend_name(snaps[0]->backend));
	}
	if (n > 0) {
		jsonw_kint(w, "workers", req != NULL ? req->workers : snaps[0]->workers);
		jsonw_kint(w, "chunksize", req != NULL ? req->chunksize : snaps[0]->chunksize);
		jsonw_kbool(w, "ordered", !snaps[0]->unordered);
		jsonw_kint(w, "items", (int64_t)snaps[0]->n_items);
	}
	for (size_t i = 0; i < n; i++) {
		char key[64];
		const char *b = backend_name(snaps[i]->backend);
		char pre[48]; /* a sweep's points: a backend's runs apart by their workers */
		if (req != NULL && req->kind == RUNKIND_SWEEP)
			snprintf(pre, sizeof pre, "%s.w%d", b, snaps[i]->workers);
		else
			snprintf(pre, sizeof pre, "%s", b);
		snprintf(key, sizeof key, "%s.wall_s", pre);
		jsonw_ksecs(w, key, snaps[i]->wall_s);
		snprintf(key, sizeof key, "%s.cpu_s", pre);
		jsonw_ksecs(w, key, snaps[i]->cpu_s);
		snprintf(key, sizeof key, "%s.n_failed", pre);
		jsonw_kint(w, key, (int64_t)snaps[i]->n_failed);
	}
	jsonw_kint(w, "pid", self);
	jsonw_ksecs(w, "t0_unix_s", origin);
	chrome_machine(w);
	jsonw_kstring(w, "cpu_counters",
	              "busy % of each worker per 1/100 of the map, from its item slices (with a "
	              "GIL timeline: from its GIL held slices); not sampled from the kernel");
	if (repeat != NULL && chrome_orders_meta(w, repeat) != 0)
		rc = -1;
	jsonw_object_end(w);
	jsonw_object_end(w);
	jsonw_text(w, "\n");
	jsonw_finish(w);
	if (rc != 0)
		snprintf(err, errlen, "out of memory writing the chrome trace");
	return rc;
}

/* --- the row ---------------------------------------------------------------- */

/* The chrome row's run. */
static int chrome_run(FILE *out, const struct run_snapshot *s, const struct session_orders *repeat,
                      char *err, size_t errlen)
{
	const struct run_snapshot *one[] = {s};
	return chrome_trace(out, NULL, one, 1, repeat, err, errlen);
}

/* The chrome row's compare: every run in one trace. */
static int chrome_compare(FILE *out, const struct run_request *req,
                          const struct run_snapshot *const *snaps, size_t n, char *err,
                          size_t errlen)
{
	return chrome_trace(out, req, snaps, n, NULL, err, errlen);
}

/* The chrome row's sweep: each point's run on tracks of its own, in one trace. */
static int chrome_sweep(FILE *out, const struct run_request *req, const struct sweep_report *r,
                        const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen)
{
	(void)r;
	return chrome_trace(out, req, snaps, n, NULL, err, errlen);
}

/* One Process's life as slices on its own track: start() to its run, the item, a zombie. */
static void chrome_child(struct jsonw *w, const struct chrome_run *r, const struct run_request *req,
                         const struct proc_demo_child *p, size_t k)
{
	char name[128];
	snprintf(name, sizeof name, "Process p%zu (pid %ld), args=(%lld,)", k, (long)p->pid,
	         (long long)p->item);
	chrome_meta(w, "process_name", p->pid, p->pid, name, 0);
	chrome_meta(w, "process_sort_index", p->pid, p->pid, NULL, (int64_t)k + 1);
	if (p->started_s >= 0 && p->ran_s >= p->started_s)
		chrome_slice(w, r, "start(): fork", "process", p->pid, p->pid, p->started_s,
		             p->ran_s, false);
	if (p->ran_s >= 0 && p->exited_s >= p->ran_s) {
		bool failed = p->exit_code != 0;
		snprintf(name, sizeof name, "%s(%lld)%s", req->task->name, (long long)p->item,
		         failed ? " failed" : "");
		chrome_slice(w, r, name, failed ? "item,failed" : "item", p->pid, p->pid, p->ran_s,
		             p->exited_s, true);
		jsonw_kint(w, "item", p->item);
		jsonw_kint(w, "exit_code", p->exit_code);
		jsonw_key(w, "result");
		if (p->has_result)
			jsonw_int(w, p->result);
		else
			jsonw_null(w);
		jsonw_object_end(w);
		jsonw_object_end(w);
	}
	if (p->exited_s >= 0 && p->reaped_s > p->exited_s)
		chrome_slice(w, r, p->joined_s >= 0 ? "zombie until join()" : "zombie until reaped",
		             "process", p->pid, p->pid, p->exited_s, p->reaped_s, false);
}

/* The chrome row's process: the parent's track, a track per Process, the output as instants. */
static int chrome_process(FILE *out, const struct run_request *req, const struct proc_demo_snap *s,
                          const struct session_orders *repeat, char *err, size_t errlen)
{
	struct jsonw jw, *w = &jw;
	struct chrome_run r = {.home_pid = s->parent_pid, .home_tid = s->parent_pid};
	struct proc_demo_child one;
	const struct proc_demo_child *procs = s->procs;
	size_t n = s->n_procs;
	if (procs == NULL || n == 0) {
		one = (struct proc_demo_child){.item = req->n_items > 0 ? req->items[0] : 0,
		                               .pid = s->pid,
		                               .exit_code = s->exit_code,
		                               .started_s = s->started_s,
		                               .ran_s = s->ran_s,
		                               .exited_s = s->exited_s,
		                               .joined_s = s->joined_s,
		                               .reaped_s = s->reaped_s,
		                               .has_result = s->has_result,
		                               .result = s->result};
		procs = &one;
		n = 1;
	}
	jsonw_init(w, out);
	jsonw_object(w, false);
	jsonw_kstring(w, "displayTimeUnit", "ms");
	jsonw_key(w, "traceEvents");
	jsonw_array(w, true);
	char name[96];
	snprintf(name, sizeof name, "mptutor (pid %ld): the parent", (long)s->parent_pid);
	chrome_meta(w, "process_name", r.home_pid, r.home_tid, name, 0);
	chrome_meta(w, "process_sort_index", r.home_pid, r.home_tid, NULL, 0);
	for (size_t k = 0; k < n; k++) {
		chrome_child(w, &r, req, &procs[k], k);
		if (procs[k].joined_s >= 0) {
			snprintf(name, sizeof name, "p%zu.join()", k);
			chrome_event(w, "i", name, r.home_pid, r.home_tid,
			             chrome_ts(&r, procs[k].joined_s));
			jsonw_kstring(w, "s", "t");
			jsonw_object_end(w);
		}
	}
	for (size_t i = 0; i < s->n_output; i++) {
		chrome_event(w, "i", "output", r.home_pid, r.home_tid,
		             chrome_ts(&r, s->output[i].t_s));
		jsonw_kstring(w, "s", "t");
		jsonw_key(w, "args");
		jsonw_object(w, false);
		jsonw_kstring(w, "text", s->output[i].text);
		jsonw_object_end(w);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	jsonw_key(w, "metadata");
	jsonw_object(w, false);
	jsonw_kstring(w, "tool", "mptutor " MPTUTOR_VERSION);
	jsonw_kstring(w, "task", req->task->name);
	jsonw_kint(w, "processes", (int64_t)n);
	jsonw_kint(w, "parent_pid", s->parent_pid);
	jsonw_kint(w, "join_after_ms", run_request_join_after(req));
	chrome_machine(w);
	int rc = repeat != NULL ? chrome_orders_meta(w, repeat) : 0;
	jsonw_object_end(w);
	jsonw_object_end(w);
	jsonw_text(w, "\n");
	jsonw_finish(w);
	if (rc != 0)
		snprintf(err, errlen, "out of memory writing the chrome trace");
	return rc;
}

/* The chrome row's orders: a trace with no events, the orders in its metadata. */
static int chrome_orders(FILE *out, const struct session_orders *o, char *err, size_t errlen)
{
	struct jsonw jw, *w = &jw;
	jsonw_init(w, out);
	jsonw_object(w, false);
	jsonw_key(w, "traceEvents");
	jsonw_array(w, true);
	jsonw_array_end(w);
	jsonw_key(w, "metadata");
	jsonw_object(w, false);
	jsonw_kstring(w, "tool", "mptutor " MPTUTOR_VERSION);
	int rc = chrome_orders_meta(w, o);
	jsonw_object_end(w);
	jsonw_object_end(w);
	jsonw_text(w, "\n");
	jsonw_finish(w);
	if (rc != 0)
		snprintf(err, errlen, "out of memory writing the chrome trace");
	return rc;
}

const struct export_format export_chrome = {
    .name = "chrome",
    .summary = "for ui.perfetto.dev: a Chrome trace, a track per worker, a slice per item",
    .run = chrome_run,
    .compare = chrome_compare,
    .process = chrome_process,
    .orders = chrome_orders,
    .sweep = chrome_sweep,
};
