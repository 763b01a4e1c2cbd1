/*
 * recording.c — recordings (recording.h): a finished run, compare or
 * Process demo written as versioned JSON with the streaming writer, and read
 * back with json-c as hostile input, every field checked before anything is
 * allocated for it, into the session's recordings (session/record.h).
 */
#include "export/recording.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/machine.h"
#include "engine/task.h"
#include "export/format.h"
#include "export/jsonw.h"

#define REC_MAX_TIME_S 1e7 /* times past this (115 days) are not a recorded run's */
#define REC_MAX_ITEM_S ((double)ITEM_NS_MAX / 1e9) /* an item's, as a snapshot keeps them */
#define REC_DEPTH 16                               /* JSON nesting a recording needs is 6 */

/* By enum run_kind. */
static const char *const rec_kinds[] = {"run", "compare", "process", "sweep"};
#define REC_N_KINDS (sizeof rec_kinds / sizeof rec_kinds[0])

/* --- writing ----------------------------------------------------------------- */

/* A double as the shortest text that reads back to the same value; null if not finite. */
static void rw_real(struct jsonw *w, double v)
{
	char buf[40];
	if (!isfinite(v)) {
		jsonw_null(w);
		return;
	}
	snprintf(buf, sizeof buf, "%.15g", v); /* shorter where it reads back the same */
	if (strtod(buf, NULL) != v)
		snprintf(buf, sizeof buf, "%.17g", v);
	jsonw_raw(w, buf);
}

/* A key and a double. */
static void rw_kreal(struct jsonw *w, const char *key, double v)
{
	jsonw_key(w, key);
	rw_real(w, v);
}

/* A key and a string or null. */
static void rw_kstr(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	if (s != NULL)
		jsonw_string(w, s);
	else
		jsonw_null(w);
}

/* This machine, and the Python version of the first py-* run among runs. */
void recording_machine_here(struct recording_machine *m, const struct run_snapshot *const *runs,
                            size_t n_runs)
{
	struct machine_info mi;
	machine_info_read(&mi);
	memset(m, 0, sizeof *m);
	m->cores = mi.cpus_usable;
	m->cpus_online = mi.cpus_online;
	snprintf(m->cpu_model, sizeof m->cpu_model, "%s", mi.cpu_model);
	snprintf(m->kernel, sizeof m->kernel, "%s", mi.kernel);
	for (size_t i = 0; i < n_runs; i++)
		if (runs[i]->python != NULL && runs[i]->python->version != NULL) {
			snprintf(m->python_version, sizeof m->python_version, "%s",
			         runs[i]->python->version);
			break;
		}
}

/* The request: what the command asked for. */
static void rw_request(struct jsonw *w, const struct run_request *q)
{
	jsonw_key(w, "request");
	jsonw_object(w, true);
	jsonw_kstring(w, "task", q->task->name);
	jsonw_kstring(w, "backend", backend_name(q->backend));
	jsonw_key(w, "backends");
	jsonw_array(w, false);
	for (size_t i = 0; i < q->n_backends; i++)
		jsonw_string(w, backend_name(q->backends[i]));
	jsonw_array_end(w);
	jsonw_kint(w, "workers", q->workers);
	jsonw_kbool(w, "workers_given", q->workers_given);
	jsonw_key(w, "sweep_workers");
	jsonw_array(w, false);
	for (size_t i = 0; i < q->n_sweep_workers; i++)
		jsonw_int(w, q->sweep_workers[i]);
	jsonw_array_end(w);
	jsonw_kint(w, "chunksize", q->chunksize);
	jsonw_kbool(w, "chunksize_given", q->chunksize_given);
	jsonw_kbool(w, "unordered", q->unordered);
	rw_kreal(w, "switch_interval_s", q->switch_interval_s);
	jsonw_kint(w, "repeat", q->repeat);
	jsonw_kint(w, "join_after_ms", q->join_after_ms);
	jsonw_kbool(w, "join_after_given", q->join_after_given);
	jsonw_kstring(w, "python", q->python);
	jsonw_kstring(w, "start_method", q->start_method);
	jsonw_key(w, "items");
	jsonw_array(w, false);
	for (size_t i = 0; i < q->n_items; i++)
		jsonw_int(w, q->items[i]);
	jsonw_array_end(w);
	jsonw_object_end(w);
}

/* One worker slot and its gil timeline. */
static void rw_worker(struct jsonw *w, const struct worker_snap *p)
{
	jsonw_object(w, false);
	jsonw_kint(w, "id", p->id);
	jsonw_kint(w, "pid", p->pid);
	jsonw_kint(w, "tid", p->tid);
	jsonw_kint(w, "restarts", p->restarts);
	jsonw_kint(w, "state", p->state);
	jsonw_kint(w, "core", p->core);
	jsonw_kint(w, "proc_state", (unsigned char)p->proc_state);
	jsonw_kint(w, "tasks", p->tasks);
	jsonw_kint(w, "cur_item", p->cur_item);
	rw_kreal(w, "cpu_s", p->cpu_s);
	rw_kreal(w, "cpu_pct", p->cpu_pct);
	rw_kreal(w, "busy_s", p->busy_s);
	rw_kreal(w, "gil_held_s", p->gil_held_s);
	rw_kreal(w, "gil_wait_s", p->gil_wait_s);
	rw_kreal(w, "blocked_s", p->blocked_s);
	jsonw_kint(w, "gil_marks_dropped", (int64_t)p->gil_marks_dropped);
	jsonw_key(w, "gil_marks");
	jsonw_array(w, false);
	for (size_t k = 0; p->gil_marks != NULL && k < p->n_gil_marks; k++) {
		jsonw_array(w, false);
		rw_real(w, p->gil_marks[k].t_s);
		jsonw_int(w, p->gil_marks[k].act);
		jsonw_array_end(w);
	}
	jsonw_array_end(w);
	jsonw_object_end(w);
}

/* A py-* run's interpreter. */
static void rw_python(struct jsonw *w, const struct run_python *py)
{
	jsonw_key(w, "python");
	if (py == NULL) {
		jsonw_null(w);
		return;
	}
	jsonw_object(w, false);
	rw_kstr(w, "path", py->path);
	rw_kstr(w, "implementation", py->implementation);
	rw_kstr(w, "version", py->version);
	jsonw_kbool(w, "gil", py->gil);
	jsonw_kbool(w, "free_threaded", py->free_threaded);
	rw_kstr(w, "start_method", py->start_method);
	jsonw_kint(w, "pid", py->pid);
	rw_kreal(w, "interp_startup_s", py->interp_startup_s);
	jsonw_kint(w, "bytes_sent", py->bytes_sent);
	jsonw_kint(w, "bytes_recvd", py->bytes_recvd);
	jsonw_kint(w, "msgs_sent", py->msgs_sent);
	jsonw_kint(w, "msgs_recvd", py->msgs_recvd);
	rw_kstr(w, "gil_measured", py->gil_measured);
	jsonw_kint(w, "exit_status", py->exit_status);
	rw_kstr(w, "own_output", py->own_output);
	jsonw_object_end(w);
}

/* One finished map: everything its snapshot holds but the items (the request's). */
/* What other work took of the machine while the map ran (engine/machine.h). */
static void rw_load(struct jsonw *w, const struct machine_load *l)
{
	jsonw_key(w, "machine_load");
	jsonw_object(w, false);
	jsonw_kbool(w, "valid", l->valid);
	rw_kreal(w, "span_s", l->span_s);
	rw_kreal(w, "others_s", l->others_s);
	rw_kreal(w, "steal_s", l->steal_s);
	rw_kreal(w, "busy", l->busy);
	jsonw_kint(w, "cpus", l->cpus);
	jsonw_object_end(w);
}

static void rw_run(struct jsonw *w, const struct run_snapshot *s)
{
	jsonw_object(w, true);
	jsonw_kstring(w, "backend", backend_name(s->backend));
	jsonw_kstring(w, "task", s->task->name);
	jsonw_kint(w, "state", s->state);
	jsonw_kint(w, "workers", s->workers);
	jsonw_kint(w, "chunksize", s->chunksize);
	jsonw_kbool(w, "unordered", s->unordered);
	rw_kreal(w, "now_s", s->now_s);
	rw_kreal(w, "startup_s", s->startup_s);
	rw_kreal(w, "wall_s", s->wall_s);
	rw_kreal(w, "teardown_s", s->teardown_s);
	rw_kreal(w, "cpu_s", s->cpu_s);
	rw_kreal(w, "t0_unix_s", s->t0_unix_s);
	rw_load(w, &s->machine);
	jsonw_kint(w, "n_items", (int64_t)s->n_items);
	jsonw_kint(w, "n_done", (int64_t)s->n_done);
	jsonw_kint(w, "n_failed", (int64_t)s->n_failed);
	jsonw_kint(w, "items_grouped", (int64_t)s->items_grouped);
	jsonw_kbool(w, "task_returns", s->task_returns);
	jsonw_kbool(w, "has_parent_counter", s->has_parent_counter);
	jsonw_kint(w, "parent_counter", s->parent_counter);
	jsonw_key(w, "per_worker");
	jsonw_array(w, true);
	for (int i = 0; s->per_worker != NULL && i < s->workers; i++)
		rw_worker(w, &s->per_worker[i]);
	jsonw_array_end(w);
	jsonw_key(w, "results");
	jsonw_array(w, false);
	for (size_t i = 0; i < s->n_items; i++)
		jsonw_int(w, s->results != NULL ? s->results[i] : 0);
	jsonw_array_end(w);
	jsonw_key(w, "status");
	jsonw_array(w, false);
	for (size_t i = 0; i < s->n_items; i++)
		jsonw_int(w, s->recs != NULL ? run_item_status(s, i) : ITEM_PENDING);
	jsonw_array_end(w);
	jsonw_key(w, "events"); /* [worker, pid, tid, start_s, end_s] by item */
	jsonw_array(w, false);
	for (size_t i = 0; s->recs != NULL && i < s->n_items; i++) {
		const struct item_event ev = run_item_event(s, i), *e = &ev;
		jsonw_array(w, false);
		jsonw_int(w, e->worker);
		jsonw_int(w, e->pid);
		jsonw_int(w, e->tid);
		rw_real(w, e->start_s);
		rw_real(w, e->end_s);
		jsonw_array_end(w);
	}
	jsonw_array_end(w);
	jsonw_key(w, "order");
	jsonw_array(w, false);
	for (size_t i = 0; s->order != NULL && i < s->n_order; i++)
		jsonw_int(w, (int64_t)s->order[i]);
	jsonw_array_end(w);
	jsonw_key(w, "output");
	jsonw_array(w, true);
	for (size_t i = 0; i < s->n_output; i++) {
		jsonw_object(w, false);
		jsonw_kint(w, "worker", s->output[i].worker);
		rw_kreal(w, "t_s", s->output[i].t_s);
		jsonw_kstring(w, "text", s->output[i].text ? s->output[i].text : "");
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	jsonw_key(w, "errors");
	jsonw_array(w, true);
	for (size_t i = 0; i < s->n_errors; i++) {
		jsonw_object(w, false);
		jsonw_kint(w, "item", (int64_t)s->errors[i].item);
		jsonw_kint(w, "worker", s->errors[i].worker);
		jsonw_kstring(w, "message", s->errors[i].message ? s->errors[i].message : "");
		rw_kreal(w, "t_s", s->errors[i].t_s);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	jsonw_key(w, "switches"); /* [t_s, to, forced] */
	jsonw_array(w, false);
	for (size_t i = 0; i < s->n_switches; i++) {
		jsonw_array(w, false);
		rw_real(w, s->switches[i].t_s);
		jsonw_int(w, s->switches[i].to);
		jsonw_bool(w, s->switches[i].forced);
		jsonw_array_end(w);
	}
	jsonw_array_end(w);
	rw_python(w, s->python);
	rw_kstr(w, "fault", s->fault);
	jsonw_object_end(w);
}

/* A sweep's points in sweep_plan's order, each with its baseline, and the
 * CPUs its fit counts; -1 if the runs are not the plan's. */
static int rw_sweep(struct jsonw *w, const struct recording_src *src, char *err, size_t errlen)
{
	const struct run_request *q = src->req;
	size_t n = sweep_plan(q, NULL);
	struct sweep_point *pts = calloc(n ? n : 1, sizeof *pts);
	struct sweep_report r;
	int cpus = src->sweep_cpus > 0 ? src->sweep_cpus : engine_default_workers();
	if (pts == NULL) {
		snprintf(err, errlen, "out of memory for %zu points", n);
		return -1;
	}
	sweep_plan(q, pts);
	for (size_t i = 0; i < n && i < src->n_runs; i++)
		if (src->runs[i]->backend != pts[i].backend ||
		    src->runs[i]->workers != pts[i].workers)
			n = 0;
	if (n == 0 || n != src->n_runs || sweep_report_build(&r, cpus, pts, n) != 0) {
		snprintf(err, errlen, "the runs are not the sweep's points (%zu runs)",
		         src->n_runs);
		free(pts);
		return -1;
	}
	free(pts);
	jsonw_key(w, "sweep");
	jsonw_object(w, true);
	jsonw_kint(w, "cpus", cpus);
	jsonw_key(w, "points");
	jsonw_array(w, true);
	for (size_t c = 0; c < r.n_curves; c++)
		for (size_t i = r.curves[c].first; i < r.curves[c].first + r.curves[c].n; i++) {
			jsonw_object(w, false);
			jsonw_kstring(w, "backend", backend_name(r.pts[i].backend));
			jsonw_kint(w, "workers", r.pts[i].workers);
			jsonw_kint(w, "baseline", r.curves[c].base);
			jsonw_object_end(w);
		}
	jsonw_array_end(w);
	jsonw_object_end(w);
	sweep_report_free(&r);
	return 0;
}

/* A Process demo: its children and their output. */
static void rw_demo(struct jsonw *w, const struct proc_demo_snap *d)
{
	jsonw_key(w, "process");
	jsonw_object(w, true);
	jsonw_kint(w, "state", d->state);
	jsonw_kint(w, "pid", d->pid);
	jsonw_kint(w, "parent_pid", d->parent_pid);
	jsonw_kint(w, "proc_state", (unsigned char)d->proc_state);
	jsonw_kint(w, "exit_code", d->exit_code);
	rw_kreal(w, "created_s", d->created_s);
	rw_kreal(w, "started_s", d->started_s);
	rw_kreal(w, "exited_s", d->exited_s);
	rw_kreal(w, "joined_s", d->joined_s);
	rw_kreal(w, "now_s", d->now_s);
	jsonw_kbool(w, "has_result", d->has_result);
	jsonw_kint(w, "result", d->result);
	jsonw_kbool(w, "joins", d->joins);
	rw_kreal(w, "ran_s", d->ran_s);
	rw_kreal(w, "reaped_s", d->reaped_s);
	rw_kreal(w, "ended_s", d->ended_s);
	jsonw_kbool(w, "interrupted", d->interrupted);
	rw_python(w, d->python); /* the Python variant's interpreter, null for the C one */
	rw_kstr(w, "fault", d->fault);
	jsonw_key(w, "procs");
	jsonw_array(w, true);
	for (size_t i = 0; i < d->n_procs; i++) {
		const struct proc_demo_child *c = &d->procs[i];
		jsonw_object(w, false);
		jsonw_kint(w, "item", c->item);
		jsonw_kint(w, "state", c->state);
		jsonw_kint(w, "pid", c->pid);
		jsonw_kint(w, "proc_state", (unsigned char)c->proc_state);
		jsonw_kint(w, "exit_code", c->exit_code);
		rw_kreal(w, "started_s", c->started_s);
		rw_kreal(w, "ran_s", c->ran_s);
		rw_kreal(w, "exited_s", c->exited_s);
		rw_kreal(w, "joined_s", c->joined_s);
		rw_kreal(w, "reaped_s", c->reaped_s);
		jsonw_kbool(w, "has_result", c->has_result);
		jsonw_kint(w, "result", c->result);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	jsonw_key(w, "output");
	jsonw_array(w, true);
	for (size_t i = 0; i < d->n_output; i++) {
		jsonw_object(w, false);
		jsonw_kint(w, "worker", d->output[i].worker);
		rw_kreal(w, "t_s", d->output[i].t_s);
		jsonw_kstring(w, "text", d->output[i].text ? d->output[i].text : "");
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	jsonw_object_end(w);
}

/* An ISO 8601 UTC time of a CLOCK_REALTIME reading into buf ("" if unknown). */
static void rw_iso_time(double unix_s, char *buf, size_t len)
{
	time_t t = (time_t)unix_s;
	struct tm tm;
	if (unix_s <= 0 || gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "%s", "");
}

/* The whole recording. */
int recording_write(FILE *out, const struct recording_src *src, char *err, size_t errlen)
{
	const struct run_request *q = src->req;
	bool process = q->kind == RUNKIND_PROCESS;
	if ((size_t)q->kind >= REC_N_KINDS) {
		snprintf(err, errlen,
		         "this command is not kept as a recording (run, compare, process and "
		         "sweep are)");
		return -1;
	}
	if ((process && src->demo == NULL) || (!process && src->n_runs == 0) ||
	    src->n_runs > RECORDING_MAX_RUNS) {
		snprintf(err, errlen, "nothing finished to record");
		return -1;
	}
	struct recording_machine here;
	const struct recording_machine *m = src->machine;
	if (m == NULL) {
		recording_machine_here(&here, src->runs, src->n_runs);
		m = &here;
	}
	char when[40];
	if (src->recorded_at != NULL)
		snprintf(when, sizeof when, "%s", src->recorded_at);
	else
		rw_iso_time(process ? (double)time(NULL) : src->runs[0]->t0_unix_s, when,
		            sizeof when);
	struct jsonw jw;
	struct jsonw *w = &jw;
	jsonw_init(w, out);
	jsonw_object(w, true);
	jsonw_kint(w, "mptutor_recording", RECORDING_FORMAT);
	jsonw_kstring(w, "mptutor_version", MPTUTOR_VERSION);
	jsonw_kstring(w, "kind", rec_kinds[q->kind]);
	jsonw_key(w, "machine");
	jsonw_object(w, false);
	jsonw_kint(w, "cores", m->cores);
	jsonw_kint(w, "cpus_online", m->cpus_online);
	jsonw_kstring(w, "cpu_model", m->cpu_model);
	jsonw_kstring(w, "kernel", m->kernel);
	rw_kstr(w, "python_version", m->python_version[0] ? m->python_version : NULL);
	jsonw_object_end(w);
	jsonw_kstring(w, "recorded_at", when);
	rw_request(w, q);
	if (q->kind == RUNKIND_SWEEP && rw_sweep(w, src, err, errlen) != 0)
		return -1;
	if (process) {
		rw_demo(w, src->demo);
	} else {
		jsonw_key(w, "runs");
		jsonw_array(w, true);
		for (size_t i = 0; i < src->n_runs; i++)
			rw_run(w, src->runs[i]);
		jsonw_array_end(w);
	}
	jsonw_object_end(w);
	jsonw_text(w, "\n");
	jsonw_finish(w);
	if (ferror(out)) {
		snprintf(err, errlen, "cannot write the recording: %s",
		         strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

/* The recording as a report "format" for export_write_file. */
static int rw_to_file(FILE *out, const void *arg, char *err, size_t errlen)
{
	return recording_write(out, arg, err, errlen);
}

/* Write src to path whole or not at all, as -o FILE is. */
int recording_save(const char *path, const struct recording_src *src, char *err, size_t errlen)
{
	char why[ENGINE_ERRLEN];
	if (export_write_file(path, rw_to_file, src, why, sizeof why) != 0) {
		snprintf(err, errlen, "cannot record to %s: %s", path, why);
		return -1;
	}
	return 0;
}

/* Can path be written (before the run)? */
int recording_save_check(const char *path, char *err, size_t errlen)
{
	struct run_request q = {.output = (char *)path, .format = export_format_find("text")};
	char why[ENGINE_ERRLEN];
	if (strcmp(path, "-") == 0) {
		snprintf(err, errlen, "--record needs a file, not - (the report goes to stdout)");
		return -1;
	}
	if (export_output_check(&q, why, sizeof why) != 0) {
		snprintf(err, errlen, "--record %s: %s", path, why);
		return -1;
	}
	return 0;
}

/* The source of a loaded recording (ptrs: RECORDING_MAX_RUNS entries). */
void recording_src_of(const struct recording *rec, struct recording_src *src,
                      const struct run_snapshot **ptrs)
{
	for (size_t i = 0; i < rec->n_runs; i++)
		ptrs[i] = &rec->runs[i].snap;
	*src = (struct recording_src){
	    .req = &rec->req,
	    .runs = ptrs,
	    .n_runs = rec->n_runs,
	    .demo = rec->has_demo ? &rec->demo.snap : NULL,
	    .machine = &rec->machine,
	    .recorded_at = rec->recorded_at,
	    .sweep_cpus = rec->sweep_cpus,
	};
}

/* --- reading ----------------------------------------------------------------- */

/* Where the loader is in the document, and where its message goes. */
struct rl {
	char path[160]; /* "runs[1].events[42]" */
	size_t plen;
	char *err;
	size_t errlen;
};

/* Go into key (".key") or index ("[i]"); returns the length to come back to. */
static size_t rl_in(struct rl *c, const char *key, long idx)
{
	size_t old = c->plen;
	int n;
	if (key != NULL)
		n = snprintf(c->path + c->plen, sizeof c->path - c->plen, "%s%s",
		             c->plen ? "." : "", key);
	else
		n = snprintf(c->path + c->plen, sizeof c->path - c->plen, "[%ld]", idx);
	if (n > 0)
		c->plen =
		    c->plen + (size_t)n < sizeof c->path ? c->plen + (size_t)n : sizeof c->path - 1;
	return old;
}

/* Come back out to old. */
static void rl_out(struct rl *c, size_t old)
{
	c->plen = old;
	c->path[old] = '\0';
}

/* "path: what" into the message; returns -1. */
__attribute__((format(printf, 2, 3))) static int rl_fail(struct rl *c, const char *fmt, ...)
{
	char what[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s: %s", c->plen ? c->path : "the document", what);
	return -1;
}

/* A person's word for a JSON type. */
static const char *rl_type_word(json_type t)
{
	switch (t) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
		return "a fractional number";
	case json_type_int:
		return "an integer";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "?";
}

/* Member key of object o; NULL and a message if missing (optional: NULL, no message). */
static struct json_object *rl_member(struct rl *c, struct json_object *o, const char *key,
                                     bool optional)
{
	struct json_object *v = NULL;
	if (json_object_object_get_ex(o, key, &v) && v != NULL)
		return v;
	if (!optional) {
		size_t old = rl_in(c, key, 0);
		rl_fail(c, "missing");
		rl_out(c, old);
	}
	return NULL;
}

/* v must be of type t (at the current path); -1 with a message. */
static int rl_want(struct rl *c, struct json_object *v, json_type t)
{
	if (v != NULL && json_object_is_type(v, t))
		return 0;
	return rl_fail(c, "%s expected, got %s", rl_type_word(t),
	               rl_type_word(v ? json_object_get_type(v) : json_type_null));
}

/* An integer value in min..max at the current path. */
static int rl_int_v(struct rl *c, struct json_object *v, int64_t min, int64_t max, int64_t *out)
{
	if (rl_want(c, v, json_type_int) != 0)
		return -1;
	errno = 0;
	int64_t x = json_object_get_int64(v);
	if (errno != 0 || x < min || x > max)
		return rl_fail(c, "%s is out of range (allowed %lld..%lld)",
		               json_object_get_string(v), (long long)min, (long long)max);
	*out = x;
	return 0;
}

/* A number (integer or fractional) in min..max at the current path. */
static int rl_num_v(struct rl *c, struct json_object *v, double min, double max, double *out)
{
	if (v == NULL ||
	    !(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)))
		return rl_fail(c, "a number expected, got %s",
		               rl_type_word(v ? json_object_get_type(v) : json_type_null));
	double x = json_object_get_double(v);
	if (!isfinite(x) || x < min || x > max)
		return rl_fail(c, "%s is out of range (allowed %g..%g)", json_object_get_string(v),
		               min, max);
	*out = x;
	return 0;
}

/* Member key: an integer in min..max. */
static int rl_int(struct rl *c, struct json_object *o, const char *key, int64_t min, int64_t max,
                  int64_t *out)
{
	struct json_object *v = rl_member(c, o, key, false);
	if (v == NULL)
		return -1;
	size_t old = rl_in(c, key, 0);
	int r = rl_int_v(c, v, min, max, out);
	rl_out(c, old);
	return r;
}

/* Member key as an int of C (same checks). */
static int rl_cint(struct rl *c, struct json_object *o, const char *key, int min, int max, int *out)
{
	int64_t v = 0;
	if (rl_int(c, o, key, min, max, &v) != 0)
		return -1;
	*out = (int)v;
	return 0;
}

/* Member key as a long. */
static int rl_long(struct rl *c, struct json_object *o, const char *key, int64_t min, int64_t max,
                   long *out)
{
	int64_t v = 0;
	if (rl_int(c, o, key, min, max, &v) != 0)
		return -1;
	*out = (long)v;
	return 0;
}

/* Member key: a number in min..max. */
static int rl_num(struct rl *c, struct json_object *o, const char *key, double min, double max,
                  double *out)
{
	struct json_object *v = rl_member(c, o, key, false);
	if (v == NULL)
		return -1;
	size_t old = rl_in(c, key, 0);
	int r = rl_num_v(c, v, min, max, out);
	rl_out(c, old);
	return r;
}

/* A time of a run: seconds, finite, -1 ("not yet") up to REC_MAX_TIME_S. */
static int rl_time(struct rl *c, struct json_object *o, const char *key, double *out)
{
	return rl_num(c, o, key, -1, REC_MAX_TIME_S, out);
}

/* A duration: 0 up to REC_MAX_TIME_S. */
static int rl_dur(struct rl *c, struct json_object *o, const char *key, double *out)
{
	return rl_num(c, o, key, 0, REC_MAX_TIME_S, out);
}

/* Member key: a boolean. */
static int rl_bool(struct rl *c, struct json_object *o, const char *key, bool *out)
{
	struct json_object *v = rl_member(c, o, key, false);
	if (v == NULL)
		return -1;
	size_t old = rl_in(c, key, 0);
	int r = rl_want(c, v, json_type_boolean);
	if (r == 0)
		*out = json_object_get_boolean(v);
	rl_out(c, old);
	return r;
}

/* Member key: a string (null allowed when nullable: *out NULL), copied; -1 on a bad one. */
static int rl_str(struct rl *c, struct json_object *o, const char *key, bool nullable, char **out)
{
	*out = NULL;
	struct json_object *v = rl_member(c, o, key, nullable);
	if (v == NULL || (nullable && json_object_is_type(v, json_type_null)))
		return v == NULL && !nullable ? -1 : 0;
	size_t old = rl_in(c, key, 0);
	int r = rl_want(c, v, json_type_string);
	if (r == 0 && json_object_get_string_len(v) > RECORDING_MAX_STRING)
		r = rl_fail(c, "a string of %d bytes (allowed up to %d)",
		            json_object_get_string_len(v), RECORDING_MAX_STRING);
	if (r == 0 && (size_t)json_object_get_string_len(v) != strlen(json_object_get_string(v)))
		r = rl_fail(c, "a string with a NUL character in it");
	if (r == 0 && !(*out = strdup(json_object_get_string(v))))
		r = rl_fail(c, "out of memory");
	rl_out(c, old);
	return r;
}

/* Member key: a string into buf[len] (it must fit). */
static int rl_strbuf(struct rl *c, struct json_object *o, const char *key, bool nullable, char *buf,
                     size_t len)
{
	char *s;
	if (rl_str(c, o, key, nullable, &s) != 0)
		return -1;
	int r = 0;
	if (s != NULL && strlen(s) >= len) {
		size_t old = rl_in(c, key, 0);
		r = rl_fail(c, "a string of %zu bytes (allowed up to %zu)", strlen(s), len - 1);
		rl_out(c, old);
	} else {
		snprintf(buf, len, "%s", s ? s : "");
	}
	free(s);
	return r;
}

/* Member key: an array of at most max elements (exactly `exact` unless it is SIZE_MAX). */
static struct json_object *rl_array(struct rl *c, struct json_object *o, const char *key,
                                    size_t max, size_t exact, size_t *n)
{
	struct json_object *v = rl_member(c, o, key, false);
	if (v == NULL)
		return NULL;
	size_t old = rl_in(c, key, 0);
	struct json_object *r = NULL;
	if (rl_want(c, v, json_type_array) == 0) {
		*n = json_object_array_length(v);
		if (exact != SIZE_MAX && *n != exact)
			rl_fail(c, "%zu elements, expected %zu", *n, exact);
		else if (*n > max)
			rl_fail(c, "%zu elements (allowed up to %zu)", *n, max);
		else
			r = v;
	}
	rl_out(c, old);
	return r;
}

/* Element i of array a, which must be an object (or, tuple > 0, an array of that length). */
static struct json_object *rl_elem(struct rl *c, struct json_object *a, size_t i, size_t tuple)
{
	struct json_object *v = json_object_array_get_idx(a, i);
	if (tuple == 0 ? rl_want(c, v, json_type_object) != 0 : rl_want(c, v, json_type_array) != 0)
		return NULL;
	if (tuple > 0 && json_object_array_length(v) != tuple) {
		rl_fail(c, "%zu values, expected %zu", json_object_array_length(v), tuple);
		return NULL;
	}
	return v;
}

/* Allocate n elements of sz, zeroed (n may be 0: NULL, fine); -1 with a message. */
static int rl_alloc(struct rl *c, void **p, size_t n, size_t sz)
{
	*p = NULL;
	if (n == 0)
		return 0;
	*p = calloc(n, sz);
	return *p != NULL ? 0 : rl_fail(c, "out of memory for %zu entries", n);
}

/* The machine it ran on. */
static int rl_machine(struct rl *c, struct json_object *root, struct recording_machine *m)
{
	struct json_object *o = rl_member(c, root, "machine", false);
	if (o == NULL)
		return -1;
	size_t old = rl_in(c, "machine", 0);
	int r = rl_want(c, o, json_type_object);
	if (r == 0)
		r = rl_cint(c, o, "cores", 1, 1 << 20, &m->cores);
	if (r == 0)
		r = rl_cint(c, o, "cpus_online", 1, 1 << 20, &m->cpus_online);
	if (r == 0)
		r = rl_strbuf(c, o, "cpu_model", false, m->cpu_model, sizeof m->cpu_model);
	if (r == 0)
		r = rl_strbuf(c, o, "kernel", false, m->kernel, sizeof m->kernel);
	if (r == 0)
		r = rl_strbuf(c, o, "python_version", true, m->python_version,
		              sizeof m->python_version);
	rl_out(c, old);
	return r;
}

/* A backend by its name at member key. */
static int rl_backend_v(struct rl *c, struct json_object *v, enum backend_kind *out)
{
	if (rl_want(c, v, json_type_string) != 0)
		return -1;
	if (backend_find(json_object_get_string(v), out) != 0) {
		char names[256];
		backend_names(names, sizeof names);
		return rl_fail(c, "'%.40s' is no backend (allowed: %s)", json_object_get_string(v),
		               names);
	}
	return 0;
}

/* Member key: a backend name. */
static int rl_backend(struct rl *c, struct json_object *o, const char *key, enum backend_kind *out)
{
	struct json_object *v = rl_member(c, o, key, false);
	if (v == NULL)
		return -1;
	size_t old = rl_in(c, key, 0);
	int r = rl_backend_v(c, v, out);
	rl_out(c, old);
	return r;
}

/* Member key: a task name. */
static int rl_task(struct rl *c, struct json_object *o, const char *key, const struct task **out)
{
	struct json_object *v = rl_member(c, o, key, false);
	if (v == NULL)
		return -1;
	size_t old = rl_in(c, key, 0);
	int r = rl_want(c, v, json_type_string);
	if (r == 0 && (*out = task_find(json_object_get_string(v))) == NULL)
		r = rl_fail(c, "'%.40s' is no task (see: mptutor tasks)",
		            json_object_get_string(v));
	rl_out(c, old);
	return r;
}

/* A sweep's worker counts (request.sweep_workers): 1..RUN_REQUEST_SWEEP_MAX
 * of them, each 1..ENGINE_MAX_WORKERS, ascending without repeats. */
static int rl_sweep_workers(struct rl *c, struct json_object *o, struct run_request *q)
{
	size_t n = 0;
	struct json_object *a =
	    rl_array(c, o, "sweep_workers", RUN_REQUEST_SWEEP_MAX, SIZE_MAX, &n);
	if (a == NULL)
		return -1;
	size_t old = rl_in(c, "sweep_workers", 0);
	int r = n == 0 ? rl_fail(c, "a sweep of no worker counts (allowed 1..%d of them)",
	                         RUN_REQUEST_SWEEP_MAX)
	               : 0;
	for (size_t i = 0; r == 0 && i < n; i++) {
		size_t o2 = rl_in(c, NULL, (long)i);
		int64_t v = 0;
		r = rl_int_v(c, json_object_array_get_idx(a, i), 1, ENGINE_MAX_WORKERS, &v);
		if (r == 0 && i > 0 && v <= q->sweep_workers[i - 1])
			r = rl_fail(c, "%lld after %d (worker counts go up, without repeats)",
			            (long long)v, q->sweep_workers[i - 1]);
		q->sweep_workers[i] = (int)v;
		rl_out(c, o2);
	}
	q->n_sweep_workers = r == 0 ? n : 0;
	rl_out(c, old);
	return r;
}

/* The request the recording answered. */
static int rl_request(struct rl *c, struct json_object *root, enum run_kind kind,
                      struct run_request *q)
{
	struct json_object *o = rl_member(c, root, "request", false);
	if (o == NULL)
		return -1;
	size_t old = rl_in(c, "request", 0);
	q->kind = kind;
	int r = rl_want(c, o, json_type_object);
	if (r == 0)
		r = rl_task(c, o, "task", &q->task);
	if (r == 0)
		r = rl_backend(c, o, "backend", &q->backend);
	size_t nb = 0;
	struct json_object *bs =
	    r == 0 ? rl_array(c, o, "backends", BACKEND_COUNT, SIZE_MAX, &nb) : NULL;
	if (r == 0 && bs == NULL)
		r = -1;
	for (size_t i = 0; r == 0 && i < nb; i++) {
		size_t o2 = rl_in(c, "backends", 0), o3 = rl_in(c, NULL, (long)i);
		r = rl_backend_v(c, json_object_array_get_idx(bs, i), &q->backends[i]);
		for (size_t j = 0; r == 0 && j < i; j++)
			if (q->backends[j] == q->backends[i])
				r = rl_fail(c, "%s is named twice", backend_name(q->backends[i]));
		rl_out(c, o3);
		rl_out(c, o2);
	}
	q->n_backends = nb;
	if (r == 0)
		r = rl_cint(c, o, "workers", 1, ENGINE_MAX_WORKERS, &q->workers);
	if (r == 0)
		r = rl_bool(c, o, "workers_given", &q->workers_given);
	if (r == 0 && kind == RUNKIND_SWEEP)
		r = rl_sweep_workers(c, o, q);
	if (r == 0)
		r = rl_long(c, o, "chunksize", 0, ENGINE_MAX_ITEMS, &q->chunksize);
	if (r == 0)
		r = rl_bool(c, o, "chunksize_given", &q->chunksize_given);
	if (r == 0)
		r = rl_bool(c, o, "unordered", &q->unordered);
	if (r == 0)
		r = rl_num(c, o, "switch_interval_s", 0, 10, &q->switch_interval_s);
	if (r == 0)
		r = rl_cint(c, o, "repeat", 1, 1000, &q->repeat);
	if (r == 0)
		r = rl_cint(c, o, "join_after_ms", PROC_DEMO_NO_JOIN, 60000, &q->join_after_ms);
	if (r == 0)
		r = rl_bool(c, o, "join_after_given", &q->join_after_given);
	if (r == 0)
		r = rl_strbuf(c, o, "python", false, q->python, sizeof q->python);
	if (r == 0)
		r = rl_strbuf(c, o, "start_method", false, q->start_method, sizeof q->start_method);
	size_t n = 0;
	struct json_object *items =
	    r == 0 ? rl_array(c, o, "items", ENGINE_MAX_ITEMS, SIZE_MAX, &n) : NULL;
	if (r == 0 && items == NULL)
		r = -1;
	if (r == 0 && kind == RUNKIND_PROCESS && (n < 1 || n > PROC_DEMO_MAX_PROCS)) {
		size_t o2 = rl_in(c, "items", 0);
		r = rl_fail(c, "%zu items for Processes (allowed 1..%d)", n, PROC_DEMO_MAX_PROCS);
		rl_out(c, o2);
	}
	if (r == 0)
		r = rl_alloc(c, (void **)&q->items, n, sizeof *q->items);
	q->n_items = r == 0 ? n : 0;
	for (size_t i = 0; r == 0 && i < n; i++) {
		size_t o2 = rl_in(c, "items", 0), o3 = rl_in(c, NULL, (long)i);
		r = rl_int_v(c, json_object_array_get_idx(items, i), INT64_MIN, INT64_MAX,
		             &q->items[i]);
		rl_out(c, o3);
		rl_out(c, o2);
	}
	rl_out(c, old);
	return r;
}

/* One worker slot of a run of nw workers and n items. */
static int rl_worker(struct rl *c, struct json_object *o, int idx, size_t n, struct worker_snap *ws,
                     struct gil_mark **marks)
{
	int64_t v = 0;
	int r = rl_cint(c, o, "id", idx, idx, &ws->id);
	if (r == 0)
		r = rl_int(c, o, "pid", 0, INT32_MAX, &v), ws->pid = (pid_t)v;
	if (r == 0)
		r = rl_int(c, o, "tid", 0, INT32_MAX, &v), ws->tid = (pid_t)v;
	if (r == 0)
		r = rl_cint(c, o, "restarts", 0, INT32_MAX, &ws->restarts);
	if (r == 0)
		r = rl_int(c, o, "state", WORKER_STARTING, WORKER_DEAD, &v),
		ws->state = (enum worker_state)v;
	if (r == 0)
		r = rl_cint(c, o, "core", -1, 1 << 20, &ws->core);
	if (r == 0)
		r = rl_int(c, o, "proc_state", 0, 127, &v), ws->proc_state = (char)v;
	if (r == 0)
		r = rl_long(c, o, "tasks", 0, (int64_t)n, &ws->tasks);
	if (r == 0)
		r = rl_long(c, o, "cur_item", -1, (int64_t)n - 1, &ws->cur_item);
	if (r == 0)
		r = rl_dur(c, o, "cpu_s", &ws->cpu_s);
	if (r == 0)
		r = rl_num(c, o, "cpu_pct", 0, 100, &ws->cpu_pct);
	if (r == 0)
		r = rl_dur(c, o, "busy_s", &ws->busy_s);
	if (r == 0)
		r = rl_dur(c, o, "gil_held_s", &ws->gil_held_s);
	if (r == 0)
		r = rl_dur(c, o, "gil_wait_s", &ws->gil_wait_s);
	if (r == 0)
		r = rl_dur(c, o, "blocked_s", &ws->blocked_s);
	if (r == 0)
		r = rl_int(c, o, "gil_marks_dropped", 0, INT64_MAX, &v),
		ws->gil_marks_dropped = (size_t)v;
	size_t nm = 0;
	struct json_object *a =
	    r == 0 ? rl_array(c, o, "gil_marks", RECORDING_MAX_MARKS, SIZE_MAX, &nm) : NULL;
	if (r == 0 && a == NULL)
		r = -1;
	if (r == 0)
		r = rl_alloc(c, (void **)marks, nm, sizeof **marks);
	if (r != 0)
		return -1;
	ws->gil_marks = *marks;
	ws->n_gil_marks = nm;
	size_t o2 = rl_in(c, "gil_marks", 0);
	for (size_t k = 0; r == 0 && k < nm; k++) {
		size_t o3 = rl_in(c, NULL, (long)k);
		struct json_object *t = rl_elem(c, a, k, 2);
		int64_t act = 0;
		r = t == NULL ? -1 : 0;
		if (r == 0) {
			size_t o4 = rl_in(c, NULL, 0);
			r = rl_num_v(c, json_object_array_get_idx(t, 0), -REC_MAX_TIME_S,
			             REC_MAX_TIME_S, &(*marks)[k].t_s);
			rl_out(c, o4);
		}
		if (r == 0) {
			size_t o4 = rl_in(c, NULL, 1);
			r = rl_int_v(c, json_object_array_get_idx(t, 1), GIL_MARK_OFF,
			             GIL_MARK_BLOCKED, &act);
			(*marks)[k].act = (int)act;
			rl_out(c, o4);
		}
		rl_out(c, o3);
	}
	rl_out(c, o2);
	return r;
}

/* The machine's load while the map ran; absent (a recording made before it
 * was measured): not valid, nothing said about it. */
static int rl_load(struct rl *c, struct json_object *o, struct machine_load *l)
{
	struct json_object *m = rl_member(c, o, "machine_load", true);
	memset(l, 0, sizeof *l);
	if (m == NULL)
		return 0;
	size_t old = rl_in(c, "machine_load", 0);
	int r = rl_want(c, m, json_type_object);
	if (r == 0)
		r = rl_bool(c, m, "valid", &l->valid);
	if (r == 0)
		r = rl_dur(c, m, "span_s", &l->span_s);
	if (r == 0)
		r = rl_num(c, m, "others_s", 0, 1e9, &l->others_s);
	if (r == 0)
		r = rl_num(c, m, "steal_s", 0, 1e9, &l->steal_s);
	if (r == 0)
		r = rl_num(c, m, "busy", 0, 1, &l->busy);
	if (r == 0)
		r = rl_cint(c, m, "cpus", 0, 1 << 20, &l->cpus);
	rl_out(c, old);
	return r;
}

/* A py-* run's interpreter (null for the others). */
static int rl_python(struct rl *c, struct json_object *o, struct run_python **out)
{
	struct json_object *p = rl_member(c, o, "python", true);
	if (p == NULL || json_object_is_type(p, json_type_null))
		return 0;
	size_t old = rl_in(c, "python", 0);
	struct run_python *py = NULL;
	int r = rl_want(c, p, json_type_object);
	if (r == 0)
		r = rl_alloc(c, (void **)&py, 1, sizeof *py);
	*out = py;
	int64_t v = 0;
	if (r == 0)
		r = rl_str(c, p, "path", true, (char **)&py->path);
	if (r == 0)
		r = rl_str(c, p, "implementation", true, (char **)&py->implementation);
	if (r == 0)
		r = rl_str(c, p, "version", true, (char **)&py->version);
	if (r == 0)
		r = rl_bool(c, p, "gil", &py->gil);
	if (r == 0)
		r = rl_bool(c, p, "free_threaded", &py->free_threaded);
	if (r == 0)
		r = rl_str(c, p, "start_method", true, (char **)&py->start_method);
	if (r == 0)
		r = rl_int(c, p, "pid", 0, INT32_MAX, &v), py->pid = (pid_t)v;
	if (r == 0)
		r = rl_dur(c, p, "interp_startup_s", &py->interp_startup_s);
	if (r == 0)
		r = rl_int(c, p, "bytes_sent", 0, INT64_MAX, &v), py->bytes_sent = v;
	if (r == 0)
		r = rl_int(c, p, "bytes_recvd", 0, INT64_MAX, &v), py->bytes_recvd = v;
	if (r == 0)
		r = rl_long(c, p, "msgs_sent", 0, INT32_MAX, &py->msgs_sent);
	if (r == 0)
		r = rl_long(c, p, "msgs_recvd", 0, INT32_MAX, &py->msgs_recvd);
	if (r == 0)
		r = rl_str(c, p, "gil_measured", true, (char **)&py->gil_measured);
	if (r == 0)
		r = rl_cint(c, p, "exit_status", -128, 255, &py->exit_status);
	if (r == 0)
		r = rl_str(c, p, "own_output", true, (char **)&py->own_output);
	rl_out(c, old);
	return r;
}

/* Output lines (of workers 0..nw-1) into *out[*n]. */
static int rl_output(struct rl *c, struct json_object *o, int nw, struct output_line **out,
                     size_t *count)
{
	size_t n = 0;
	struct json_object *a = rl_array(c, o, "output", RECORDING_MAX_OUTPUT, SIZE_MAX, &n);
	if (a == NULL || rl_alloc(c, (void **)out, n, sizeof **out) != 0)
		return -1;
	*count = n; /* texts NULL until read: the free skips them */
	size_t old = rl_in(c, "output", 0);
	int r = 0;
	for (size_t i = 0; r == 0 && i < n; i++) {
		size_t o2 = rl_in(c, NULL, (long)i);
		struct json_object *e = rl_elem(c, a, i, 0);
		r = e == NULL ? -1 : rl_cint(c, e, "worker", -1, nw - 1, &(*out)[i].worker);
		if (r == 0)
			r = rl_time(c, e, "t_s", &(*out)[i].t_s);
		if (r == 0)
			r = rl_str(c, e, "text", false, (char **)&(*out)[i].text);
		rl_out(c, o2);
	}
	rl_out(c, old);
	return r;
}

/* The events of n items by workers 0..nw-1, each packed with its status
 * (status[n]) into recs[n], who ran it into the table wt. */
static int rl_events(struct rl *c, struct json_object *o, size_t n, int nw, const uint8_t *status,
                     struct item_rec *recs, struct item_who_table *wt)
{
	size_t cnt;
	struct json_object *a = rl_array(c, o, "events", n, n, &cnt);
	if (a == NULL)
		return -1;
	size_t old = rl_in(c, "events", 0);
	int r = 0;
	static const char *const names[] = {"worker", "pid", "tid", "start_s", "end_s"};
	for (size_t i = 0; r == 0 && i < n; i++) {
		size_t o2 = rl_in(c, NULL, (long)i);
		struct json_object *t = rl_elem(c, a, i, 5);
		int64_t v[3] = {0, 0, 0};
		double d[2] = {0, 0};
		r = t == NULL ? -1 : 0;
		for (int k = 0; r == 0 && k < 5; k++) {
			size_t o3 = rl_in(c, names[k], 0);
			struct json_object *x = json_object_array_get_idx(t, (size_t)k);
			if (k == 0)
				r = rl_int_v(c, x, -1, nw - 1, &v[0]);
			else if (k < 3)
				r = rl_int_v(c, x, 0, INT32_MAX, &v[k]);
			else
				r = rl_num_v(c, x, 0, REC_MAX_ITEM_S, &d[k - 3]);
			rl_out(c, o3);
		}
		if (r == 0 && d[1] != 0 && d[1] < d[0])
			r = rl_fail(c, "ends (%g s) before it starts (%g s)", d[1], d[0]);
		recs[i] = item_rec_make(status[i],
		                        item_who_index(wt, (int)v[0], (pid_t)v[1], (pid_t)v[2]),
		                        item_s_ns(d[0]), item_s_ns(d[1]));
		rl_out(c, o2);
	}
	rl_out(c, old);
	return r;
}

/* Errors of items < n by workers 0..nw-1. */
static int rl_errors(struct rl *c, struct json_object *o, size_t n, int nw, struct session_rec *rec)
{
	size_t cnt = 0;
	struct json_object *a = rl_array(c, o, "errors", n, SIZE_MAX, &cnt);
	if (a == NULL || rl_alloc(c, (void **)&rec->errors, cnt, sizeof *rec->errors) != 0)
		return -1;
	rec->snap.n_errors = cnt;
	size_t old = rl_in(c, "errors", 0);
	int r = 0;
	for (size_t i = 0; r == 0 && i < cnt; i++) {
		size_t o2 = rl_in(c, NULL, (long)i);
		struct json_object *e = rl_elem(c, a, i, 0);
		struct run_error *er = &rec->errors[i];
		int64_t item = 0;
		r = e == NULL || n == 0 ? (e == NULL ? -1 : rl_fail(c, "an error of no item"))
		                        : rl_int(c, e, "item", 0, (int64_t)n - 1, &item);
		er->item = (size_t)item;
		if (r == 0)
			r = rl_cint(c, e, "worker", -1, nw - 1, &er->worker);
		if (r == 0)
			r = rl_str(c, e, "message", false, (char **)&er->message);
		if (r == 0)
			r = rl_time(c, e, "t_s", &er->t_s);
		rl_out(c, o2);
	}
	rl_out(c, old);
	return r;
}

/* The gil hand-offs to workers -1..nw-1. */
static int rl_switches(struct rl *c, struct json_object *o, int nw, struct session_rec *rec)
{
	size_t cnt = 0;
	struct json_object *a = rl_array(c, o, "switches", RECORDING_MAX_MARKS, SIZE_MAX, &cnt);
	if (a == NULL || rl_alloc(c, (void **)&rec->switches, cnt, sizeof *rec->switches) != 0)
		return -1;
	rec->snap.n_switches = cnt;
	size_t old = rl_in(c, "switches", 0);
	int r = 0;
	for (size_t i = 0; r == 0 && i < cnt; i++) {
		size_t o2 = rl_in(c, NULL, (long)i);
		struct json_object *t = rl_elem(c, a, i, 3);
		int64_t to = 0;
		r = t == NULL ? -1 : 0;
		if (r == 0)
			r = rl_num_v(c, json_object_array_get_idx(t, 0), -REC_MAX_TIME_S,
			             REC_MAX_TIME_S, &rec->switches[i].t_s);
		if (r == 0)
			r = rl_int_v(c, json_object_array_get_idx(t, 1), -1, nw - 1, &to);
		rec->switches[i].to = (int)to;
		if (r == 0 && rl_want(c, json_object_array_get_idx(t, 2), json_type_boolean) != 0)
			r = -1;
		if (r == 0)
			rec->switches[i].forced =
			    json_object_get_boolean(json_object_array_get_idx(t, 2));
		rl_out(c, o2);
	}
	rl_out(c, old);
	return r;
}

/* An array member of n small integers in min..max, each through put(i, v). */
static int rl_ints(struct rl *c, struct json_object *o, const char *key, size_t max, size_t exact,
                   int64_t min, int64_t vmax, size_t *count, void *dst, size_t width)
{
	size_t n = 0;
	struct json_object *a = rl_array(c, o, key, max, exact, &n);
	if (a == NULL)
		return -1;
	*count = n;
	size_t old = rl_in(c, key, 0);
	int r = 0;
	for (size_t i = 0; r == 0 && i < n; i++) {
		size_t o2 = rl_in(c, NULL, (long)i);
		int64_t v;
		r = rl_int_v(c, json_object_array_get_idx(a, i), min, vmax, &v);
		if (width == 1)
			((uint8_t *)dst)[i] = (uint8_t)v;
		else if (width == sizeof(uint32_t))
			((uint32_t *)dst)[i] = (uint32_t)v;
		else
			((int64_t *)dst)[i] = v;
		rl_out(c, o2);
	}
	rl_out(c, old);
	return r;
}

/* One recorded map of the request's items into rec. */
static int rl_run(struct rl *c, struct json_object *o, const struct run_request *q,
                  struct session_rec *rec)
{
	struct run_snapshot *s = &rec->snap;
	size_t n = q->n_items, cnt;
	int64_t v = 0;
	int r = rl_want(c, o, json_type_object);
	if (r == 0)
		r = rl_backend(c, o, "backend", &s->backend);
	if (r == 0)
		r = rl_task(c, o, "task", &s->task);
	if (r == 0 && s->task != q->task)
		r = rl_fail(c, "a run of %s in a recording of %s", s->task->name, q->task->name);
	if (r == 0)
		r = rl_int(c, o, "state", RUN_DONE, RUN_CANCELLED, &v),
		s->state = (enum run_state)v;
	int nw = 0;
	if (r == 0)
		r = rl_cint(c, o, "workers", 1, ENGINE_MAX_WORKERS, &nw);
	if (r == 0)
		r = rl_long(c, o, "chunksize", 0, ENGINE_MAX_ITEMS, &s->chunksize);
	if (r == 0)
		r = rl_bool(c, o, "unordered", &s->unordered);
	if (r == 0)
		r = rl_dur(c, o, "now_s", &s->now_s);
	if (r == 0)
		r = rl_dur(c, o, "startup_s", &s->startup_s);
	if (r == 0)
		r = rl_dur(c, o, "wall_s", &s->wall_s);
	if (r == 0)
		r = rl_dur(c, o, "teardown_s", &s->teardown_s);
	if (r == 0)
		r = rl_dur(c, o, "cpu_s", &s->cpu_s);
	if (r == 0)
		r = rl_num(c, o, "t0_unix_s", 0, 1e11, &s->t0_unix_s);
	if (r == 0)
		r = rl_int(c, o, "n_items", (int64_t)n, (int64_t)n, &v);
	if (r == 0)
		r = rl_int(c, o, "n_done", 0, (int64_t)n, &v), s->n_done = (size_t)v;
	if (r == 0)
		r = rl_int(c, o, "n_failed", 0, (int64_t)(n - s->n_done), &v),
		s->n_failed = (size_t)v;
	if (r == 0 && rl_member(c, o, "items_grouped", true) != NULL) /* absent: recorded before
	                                                                   groups were counted */
		r = rl_int(c, o, "items_grouped", 0, (int64_t)s->n_done, &v),
		s->items_grouped = (size_t)v;
	if (r == 0)
		r = rl_bool(c, o, "task_returns", &s->task_returns);
	if (r == 0)
		r = rl_bool(c, o, "has_parent_counter", &s->has_parent_counter);
	if (r == 0)
		r = rl_long(c, o, "parent_counter", LONG_MIN, LONG_MAX, &s->parent_counter);
	if (r == 0)
		r = rl_load(c, o, &s->machine);
	if (r != 0)
		return -1;
	/* per worker: the count is checked before anything is allocated for it */
	struct json_object *pw = rl_array(c, o, "per_worker", (size_t)nw, (size_t)nw, &cnt);
	if (pw == NULL ||
	    rl_alloc(c, (void **)&rec->per_worker, (size_t)nw, sizeof *rec->per_worker) ||
	    rl_alloc(c, (void **)&rec->marks, (size_t)nw, sizeof *rec->marks))
		return -1;
	s->workers = nw; /* from here session_rec_free frees each worker's marks */
	size_t old = rl_in(c, "per_worker", 0);
	for (int w = 0; r == 0 && w < nw; w++) {
		size_t o2 = rl_in(c, NULL, w);
		struct json_object *e = rl_elem(c, pw, (size_t)w, 0);
		r = e == NULL ? -1 : rl_worker(c, e, w, n, &rec->per_worker[w], &rec->marks[w]);
		rl_out(c, o2);
	}
	rl_out(c, old);
	if (r != 0)
		return -1;
	if (rl_alloc(c, (void **)&rec->items, n, sizeof *rec->items) ||
	    rl_alloc(c, (void **)&rec->results, n, sizeof *rec->results) ||
	    rl_alloc(c, (void **)&rec->recs, n, sizeof *rec->recs) ||
	    rl_alloc(c, (void **)&rec->order, n, sizeof *rec->order))
		return -1;
	uint8_t *status = NULL; /* read before the events, packed with them */
	struct item_who_table wt;
	if (item_who_init(&wt, nw) != 0)
		return rl_fail(c, "out of memory for %d workers", nw);
	if (rl_alloc(c, (void **)&status, n, 1) != 0) {
		item_who_free(&wt);
		return -1;
	}
	if (n > 0)
		memcpy(rec->items, q->items, n * sizeof *rec->items);
	s->n_items = n;
	if (rl_ints(c, o, "results", n, n, INT64_MIN, INT64_MAX, &cnt, rec->results,
	            sizeof(int64_t)) ||
	    rl_ints(c, o, "status", n, n, ITEM_PENDING, ITEM_FAILED, &cnt, status, 1) ||
	    rl_events(c, o, n, nw, status, rec->recs, &wt) ||
	    rl_ints(c, o, "order", n, SIZE_MAX, 0, (int64_t)n - 1, &s->n_order, rec->order,
	            sizeof *rec->order) ||
	    rl_output(c, o, nw, &rec->output, &s->n_output) || rl_errors(c, o, n, nw, rec) ||
	    rl_switches(c, o, nw, rec) || rl_python(c, o, &rec->python) ||
	    rl_str(c, o, "fault", true, &rec->fault))
		r = -1;
	size_t done = 0, failed = 0;
	for (size_t i = 0; r == 0 && i < n; i++) {
		done += status[i] == ITEM_DONE;
		failed += status[i] == ITEM_FAILED;
	}
	free(status);
	rec->who = item_who_take(&wt, &s->n_who);
	if (r != 0)
		return -1;
	if (done != s->n_done || failed != s->n_failed)
		return rl_fail(c,
		               "n_done %zu and n_failed %zu, but status has %zu done and %zu "
		               "failed",
		               s->n_done, s->n_failed, done, failed);
	s->per_worker = rec->per_worker;
	s->items = rec->items;
	s->results = rec->results;
	s->recs = rec->recs;
	s->who = rec->who;
	s->order = rec->order;
	s->output = rec->output;
	s->errors = rec->errors;
	s->switches = rec->switches;
	s->python = rec->python;
	s->fault = rec->fault;
	return 0;
}

/* A sweep's points (sweep.points), which must be plan[n] (sweep_plan's for
 * the request) with the baselines its report finds, and the CPUs it counts. */
static int rl_sweep(struct rl *c, struct json_object *root, struct recording *rec,
                    const struct sweep_point *plan, size_t n)
{
	struct json_object *o = rl_member(c, root, "sweep", false);
	if (o == NULL)
		return -1;
	size_t old = rl_in(c, "sweep", 0), cnt = 0;
	struct sweep_report want;
	int r = rl_want(c, o, json_type_object);
	if (r == 0)
		r = rl_cint(c, o, "cpus", 1, 65536, &rec->sweep_cpus);
	struct json_object *a = r == 0 ? rl_array(c, o, "points", n, n, &cnt) : NULL;
	if (r != 0 || a == NULL) {
		rl_out(c, old);
		return -1;
	}
	if (sweep_report_build(&want, rec->sweep_cpus, plan, n) != 0) {
		rl_out(c, old);
		return rl_fail(c, "out of memory for %zu points", n);
	}
	size_t o2 = rl_in(c, "points", 0);
	for (size_t i = 0; r == 0 && i < n; i++) {
		size_t o3 = rl_in(c, NULL, (long)i);
		struct json_object *e = rl_elem(c, a, i, 0);
		enum backend_kind b = BACKEND_SERIAL;
		int nw = 0;
		int64_t base = 0;
		long wbase = -1;
		for (size_t k = 0; k < want.n_curves; k++)
			if (i >= want.curves[k].first &&
			    i < want.curves[k].first + want.curves[k].n)
				wbase = want.curves[k].base;
		r = e == NULL ? -1 : rl_backend(c, e, "backend", &b);
		size_t o4 = rl_in(c, "backend", 0);
		if (r == 0 && b != plan[i].backend)
			r = rl_fail(c,
			            "%s where the sweep's order has %s (family serial baselines "
			            "first, then -b's backends, each over its worker counts)",
			            backend_name(b), backend_name(plan[i].backend));
		rl_out(c, o4);
		if (r == 0)
			r = rl_cint(c, e, "workers", 1, ENGINE_MAX_WORKERS, &nw);
		o4 = rl_in(c, "workers", 0);
		if (r == 0 && nw != plan[i].workers)
			r = rl_fail(c,
			            "%d where the sweep's order has %d (out of order, or not among "
			            "request.sweep_workers)",
			            nw, plan[i].workers);
		rl_out(c, o4);
		if (r == 0)
			r = rl_int(c, e, "baseline", -1, (int64_t)n - 1, &base);
		o4 = rl_in(c, "baseline", 0);
		if (r == 0 && base != wbase)
			r = rl_fail(c, "%lld where this point's curve has its baseline at %ld",
			            (long long)base, wbase);
		rl_out(c, o4);
		rl_out(c, o3);
	}
	rl_out(c, o2);
	rl_out(c, old);
	sweep_report_free(&want);
	return r;
}

/* The runs of a run (one), a compare (one per backend of the request, in
 * its order) or a sweep (one per point, as sweep.points). */
static int rl_runs(struct rl *c, struct json_object *root, struct recording *rec)
{
	const struct run_request *q = &rec->req;
	size_t want = q->kind == RUNKIND_RUN ? 1 : q->n_backends, n = 0;
	struct sweep_point *plan = NULL;
	if ((q->kind == RUNKIND_COMPARE || q->kind == RUNKIND_SWEEP) && q->n_backends == 0)
		return rl_fail(c, "a %s of no backends (request.backends is empty)",
		               rec_kinds[q->kind]);
	if (q->kind == RUNKIND_SWEEP) {
		want = sweep_plan(q, NULL);
		if (rl_alloc(c, (void **)&plan, want, sizeof *plan) != 0)
			return -1;
		sweep_plan(q, plan);
		if (rl_sweep(c, root, rec, plan, want) != 0) {
			free(plan);
			return -1;
		}
	}
	struct json_object *a = rl_array(c, root, "runs", want, want, &n);
	if (a == NULL || rl_alloc(c, (void **)&rec->runs, n, sizeof *rec->runs) != 0) {
		free(plan);
		return -1;
	}
	size_t old = rl_in(c, "runs", 0);
	int r = 0;
	for (size_t i = 0; r == 0 && i < n; i++) {
		size_t o2 = rl_in(c, NULL, (long)i);
		struct json_object *e = json_object_array_get_idx(a, i);
		r = rl_run(c, e, q, &rec->runs[i]);
		rec->n_runs = i + 1; /* freed by recording_free, whole or not */
		enum backend_kind b = plan != NULL             ? plan[i].backend
		                      : q->kind == RUNKIND_RUN ? q->backend
		                                               : q->backends[i];
		if (r == 0 && rec->runs[i].snap.backend != b)
			r = rl_fail(c, "a run of %s where the %s %s",
			            backend_name(rec->runs[i].snap.backend),
			            plan != NULL ? "sweep's point is" : "request has",
			            backend_name(b));
		if (r == 0 && plan != NULL && rec->runs[i].snap.workers != plan[i].workers) {
			size_t o3 = rl_in(c, "workers", 0);
			r = rl_fail(c, "%d where the sweep's point has %d",
			            rec->runs[i].snap.workers, plan[i].workers);
			rl_out(c, o3);
		}
		rl_out(c, o2);
	}
	rl_out(c, old);
	free(plan);
	return r;
}

/* A Process demo's child k. */
static int rl_child(struct rl *c, struct json_object *e, struct proc_demo_child *p)
{
	int64_t v = 0;
	int r = rl_int(c, e, "item", INT64_MIN, INT64_MAX, &p->item);
	if (r == 0)
		r = rl_int(c, e, "state", PROC_CREATED, PROC_REAPED, &v),
		p->state = (enum proc_demo_state)v;
	if (r == 0)
		r = rl_int(c, e, "pid", 0, INT32_MAX, &v), p->pid = (pid_t)v;
	if (r == 0)
		r = rl_int(c, e, "proc_state", 0, 127, &v), p->proc_state = (char)v;
	if (r == 0)
		r = rl_cint(c, e, "exit_code", -128, 255, &p->exit_code);
	if (r == 0)
		r = rl_time(c, e, "started_s", &p->started_s);
	if (r == 0)
		r = rl_time(c, e, "ran_s", &p->ran_s);
	if (r == 0)
		r = rl_time(c, e, "exited_s", &p->exited_s);
	if (r == 0)
		r = rl_time(c, e, "joined_s", &p->joined_s);
	if (r == 0)
		r = rl_time(c, e, "reaped_s", &p->reaped_s);
	if (r == 0)
		r = rl_bool(c, e, "has_result", &p->has_result);
	if (r == 0)
		r = rl_int(c, e, "result", INT64_MIN, INT64_MAX, &p->result);
	return r;
}

/* The Process demo. */
static int rl_demo(struct rl *c, struct json_object *root, struct recording *rec)
{
	struct json_object *o = rl_member(c, root, "process", false);
	if (o == NULL)
		return -1;
	size_t old = rl_in(c, "process", 0);
	struct proc_demo_snap *d = &rec->demo.snap;
	int64_t v = 0;
	rec->has_demo = true;
	int r = rl_want(c, o, json_type_object);
	if (r == 0)
		r = rl_int(c, o, "state", PROC_CREATED, PROC_REAPED, &v),
		d->state = (enum proc_demo_state)v;
	if (r == 0)
		r = rl_int(c, o, "pid", 0, INT32_MAX, &v), d->pid = (pid_t)v;
	if (r == 0)
		r = rl_int(c, o, "parent_pid", 0, INT32_MAX, &v), d->parent_pid = (pid_t)v;
	if (r == 0)
		r = rl_int(c, o, "proc_state", 0, 127, &v), d->proc_state = (char)v;
	if (r == 0)
		r = rl_cint(c, o, "exit_code", -128, 255, &d->exit_code);
	if (r == 0)
		r = rl_time(c, o, "created_s", &d->created_s);
	if (r == 0)
		r = rl_time(c, o, "started_s", &d->started_s);
	if (r == 0)
		r = rl_time(c, o, "exited_s", &d->exited_s);
	if (r == 0)
		r = rl_time(c, o, "joined_s", &d->joined_s);
	if (r == 0)
		r = rl_time(c, o, "now_s", &d->now_s);
	if (r == 0)
		r = rl_bool(c, o, "has_result", &d->has_result);
	if (r == 0)
		r = rl_int(c, o, "result", INT64_MIN, INT64_MAX, &d->result);
	if (r == 0)
		r = rl_bool(c, o, "joins", &d->joins);
	if (r == 0)
		r = rl_time(c, o, "ran_s", &d->ran_s);
	if (r == 0)
		r = rl_time(c, o, "reaped_s", &d->reaped_s);
	if (r == 0)
		r = rl_time(c, o, "ended_s", &d->ended_s);
	if (r == 0)
		r = rl_bool(c, o, "interrupted", &d->interrupted);
	if (r == 0) /* both optional: recordings before the Python variant have neither */
		r = rl_python(c, o, &rec->demo.python);
	if (r == 0)
		r = rl_str(c, o, "fault", true, &rec->demo.fault);
	d->python = rec->demo.python;
	d->fault = rec->demo.fault;
	size_t n = 0;
	struct json_object *a =
	    r == 0 ? rl_array(c, o, "procs", PROC_DEMO_MAX_PROCS, SIZE_MAX, &n) : NULL;
	if (r == 0 &&
	    (a == NULL || rl_alloc(c, (void **)&rec->demo.procs, n, sizeof *rec->demo.procs) != 0))
		r = -1;
	if (r == 0)
		d->n_procs = n;
	size_t o2 = rl_in(c, "procs", 0);
	for (size_t i = 0; r == 0 && i < n; i++) {
		size_t o3 = rl_in(c, NULL, (long)i);
		struct json_object *e = rl_elem(c, a, i, 0);
		r = e == NULL ? -1 : rl_child(c, e, &rec->demo.procs[i]);
		rl_out(c, o3);
	}
	rl_out(c, o2);
	if (r == 0)
		r = rl_output(c, o, 1, &rec->demo.output, &d->n_output);
	d->procs = rec->demo.procs;
	d->output = rec->demo.output;
	rl_out(c, old);
	return r;
}

/* The header: format, kind, versions, machine, time. */
static int rl_header(struct rl *c, struct json_object *root, struct recording *rec,
                     enum run_kind *kind)
{
	if (rl_want(c, root, json_type_object) != 0)
		return -1;
	struct json_object *f = rl_member(c, root, "mptutor_recording", true);
	if (f == NULL)
		return rl_fail(c, "not an mptutor recording (no \"mptutor_recording\" key)");
	size_t old = rl_in(c, "mptutor_recording", 0);
	if (rl_want(c, f, json_type_int) != 0)
		return -1;
	int64_t fmt = json_object_get_int64(f);
	if (fmt > RECORDING_FORMAT)
		return rl_fail(c, "made by a newer mptutor (format %lld, this reads up to %d)",
		               (long long)fmt, RECORDING_FORMAT);
	if (fmt < RECORDING_FORMAT_OLDEST)
		return rl_fail(c, "format %lld is older than any this mptutor reads (%d..%d)",
		               (long long)fmt, RECORDING_FORMAT_OLDEST, RECORDING_FORMAT);
	rl_out(c, old);
	rec->format = (int)fmt;
	if (rl_strbuf(c, root, "mptutor_version", false, rec->mptutor_version,
	              sizeof rec->mptutor_version) != 0 ||
	    rl_strbuf(c, root, "recorded_at", false, rec->recorded_at, sizeof rec->recorded_at) !=
	        0)
		return -1;
	struct json_object *k = rl_member(c, root, "kind", false);
	if (k == NULL)
		return -1;
	old = rl_in(c, "kind", 0);
	if (rl_want(c, k, json_type_string) != 0)
		return -1;
	for (size_t i = 0; i < REC_N_KINDS; i++)
		if (strcmp(json_object_get_string(k), rec_kinds[i]) == 0) {
			*kind = (enum run_kind)i;
			rl_out(c, old);
			return rl_machine(c, root, &rec->machine);
		}
	return rl_fail(c, "unknown kind '%.40s' (this reads run, compare, process, sweep)",
	               json_object_get_string(k));
}

/* Parse a whole document. */
int recording_parse(const char *text, size_t len, struct recording *rec, char *err, size_t errlen)
{
	struct rl c = {.err = err, .errlen = errlen};
	memset(rec, 0, sizeof *rec);
	if (len > (size_t)RECORDING_MAX_BYTES || len > INT32_MAX) {
		snprintf(err, errlen, "%zu bytes (a recording is at most %ld)", len,
		         RECORDING_MAX_BYTES);
		return -1;
	}
	struct json_tokener *tok = json_tokener_new_ex(REC_DEPTH);
	if (tok == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	struct json_object *root = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error je = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (root == NULL || je != json_tokener_success) {
		if (je == json_tokener_continue || je == json_tokener_success)
			snprintf(err, errlen,
			         "truncated: the JSON ends at byte %zu before it is whole", len);
		else
			snprintf(err, errlen, "not JSON at byte %zu: %s", end,
			         json_tokener_error_desc(je));
		json_object_put(root);
		return -1;
	}
	for (size_t i = end; i < len; i++)
		if (!strchr(" \t\r\n", text[i])) {
			snprintf(err, errlen, "more after the JSON document, at byte %zu", i);
			json_object_put(root);
			return -1;
		}
	enum run_kind kind = RUNKIND_RUN;
	int r = rl_header(&c, root, rec, &kind);
	if (r == 0)
		r = rl_request(&c, root, kind, &rec->req);
	if (r == 0 && kind == RUNKIND_PROCESS)
		r = rl_demo(&c, root, rec);
	else if (r == 0)
		r = rl_runs(&c, root, rec);
	json_object_put(root);
	if (r != 0)
		recording_free(rec);
	return r;
}

/* Read a file of at most RECORDING_MAX_BYTES and parse it. */
int recording_load(const char *path, struct recording *rec, char *err, size_t errlen)
{
	char why[ENGINE_ERRLEN + 200];
	memset(rec, 0, sizeof *rec);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s: cannot read the recording: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) { /* a FIFO or a device could never end */
		snprintf(err, errlen, "%s: not a regular file (a recording is a file)", path);
		close(fd);
		return -1;
	}
	if (st.st_size > RECORDING_MAX_BYTES) {
		snprintf(err, errlen, "%s: %lld bytes (a recording is at most %ld)", path,
		         (long long)st.st_size, RECORDING_MAX_BYTES);
		close(fd);
		return -1;
	}
	size_t cap = (size_t)st.st_size + 1, len = 0;
	char *buf = malloc(cap);
	if (buf == NULL) {
		snprintf(err, errlen, "%s: out of memory for %zu bytes", path, cap);
		close(fd);
		return -1;
	}
	for (;;) { /* a file that grows meanwhile is read up to its size at the open */
		ssize_t got = read(fd, buf + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			snprintf(err, errlen, "%s: cannot read the recording: %s", path,
			         strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (got == 0 || (len += (size_t)got) == cap)
			break;
	}
	close(fd);
	int r = recording_parse(buf, len, rec, why, sizeof why);
	free(buf);
	if (r != 0)
		snprintf(err, errlen, "%s: %s", path, why);
	return r;
}

/* Free what a recording owns. */
void recording_free(struct recording *rec)
{
	for (size_t i = 0; rec->runs != NULL && i < rec->n_runs; i++)
		session_rec_free(&rec->runs[i]);
	free(rec->runs);
	session_proc_rec_free(&rec->demo);
	run_request_free(&rec->req);
	memset(rec, 0, sizeof *rec);
}
