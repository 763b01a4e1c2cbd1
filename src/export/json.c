/*
 * json.c — the json format: reports for a program, one JSON document a
 * line, with the keys README.md's JSON section lists (scripts and tests rely
 * on them). A run and a compare, which grow with the items (a million of
 * them), are streamed with jsonw.h as they are written, never built in
 * memory; the Process demo and the orders of --repeat, small, are json-c
 * trees.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/task.h"
#include "export/format.h"
#include "export/json.h"
#include "export/jsonw.h"
#include "export/pyrunrep.h"

/* --- run, as JSON ----------------------------------------------------------- */

/* A string, or null. */
static void json_str_or_null(struct jsonw *w, const char *key, const char *text)
{
	jsonw_key(w, key);
	if (text != NULL)
		jsonw_string(w, text);
	else
		jsonw_null(w);
}

/* What other work took while s ran (machine.h): machine_busy (0..1, null when
 * the span was too short to judge), and the other programs' CPU and steal. */
static void json_machine(struct jsonw *w, const struct machine_load *l)
{
	jsonw_key(w, "machine_busy");
	if (l->valid)
		jsonw_fixed(w, l->busy, 4);
	else
		jsonw_null(w);
	jsonw_ksecs(w, "machine_others_cpu_s", l->others_s);
	jsonw_ksecs(w, "machine_steal_s", l->steal_s);
}

/* A py-* run's keys: interpreter, interp_startup_s, the bytes and messages
 * pickled, gil_measured, per_item_s; and fault where the run ended early. */
static void json_python(struct jsonw *w, const struct run_snapshot *s)
{
	const struct run_python *py = s->python;
	if (py != NULL) {
		jsonw_key(w, "interpreter");
		jsonw_object(w, false);
		json_str_or_null(w, "path", py->path);
		json_str_or_null(w, "implementation", py->implementation);
		json_str_or_null(w, "version", py->version);
		jsonw_kbool(w, "gil", py->gil);
		jsonw_kbool(w, "free_threaded", py->free_threaded);
		json_str_or_null(w, "start_method", py->start_method);
		jsonw_kint(w, "pid", (int64_t)py->pid);
		jsonw_kint(w, "exit_status", py->exit_status);
		jsonw_object_end(w);
		jsonw_ksecs(w, "interp_startup_s", py->interp_startup_s);
		jsonw_kint(w, "pickled_sent_bytes", py->bytes_sent);
		jsonw_kint(w, "pickled_recvd_bytes", py->bytes_recvd);
		jsonw_kint(w, "pickled_sent_msgs", py->msgs_sent);
		jsonw_kint(w, "pickled_recvd_msgs", py->msgs_recvd);
		json_str_or_null(w, "gil_measured", py->gil_measured);
		jsonw_key(w, "per_item_s");
		jsonw_fixed(w, report_per_item_s(s), 9);
	}
	if (s->fault != NULL)
		jsonw_kstring(w, "fault", s->fault);
}

/* An item's result: the number, or null where failed or none. */
static void json_result(struct jsonw *w, const struct run_snapshot *s, size_t i)
{
	if (!s->task_returns || s->results == NULL || s->recs == NULL ||
	    run_item_status(s, i) != ITEM_DONE)
		jsonw_null(w);
	else
		jsonw_int(w, s->results[i]);
}

/* The orders of --repeat as JSON text, written as one value (small: json-c). */
static void json_orders_value(struct jsonw *w, const struct session_orders *o)
{
	struct json_object *j = report_orders_json(o);
	jsonw_raw(w, json_object_to_json_string_ext(j, JSON_C_TO_STRING_SPACED |
	                                                   JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(j);
}

/* A finished run as one JSON document, streamed to out; 0, or -1 when out of memory. */
int report_run_json_write(FILE *out, const struct run_snapshot *s,
                          const struct session_orders *repeat)
{
	struct jsonw jw;
	struct jsonw *w = &jw;
	bool oom = false;
	size_t *seq = s->unordered ? report_sequence(s, &oom) : NULL;
	if (oom)
		return -1;
	jsonw_init(w, out);
	jsonw_object(w, false);
	jsonw_kstring(w, "task", s->task->name);
	jsonw_kstring(w, "backend", backend_name(s->backend));
	jsonw_kint(w, "workers", s->workers);
	jsonw_kint(w, "chunksize", s->chunksize);
	jsonw_kbool(w, "ordered", !s->unordered);
	jsonw_kint(w, "pid", (int64_t)getpid());
	jsonw_kstring(w, "state", s->state == RUN_CANCELLED ? "cancelled" : "done");
	jsonw_ksecs(w, "startup_s", s->startup_s);
	jsonw_ksecs(w, "wall_s", s->wall_s);
	jsonw_ksecs(w, "teardown_s", s->teardown_s);
	jsonw_ksecs(w, "cpu_s", s->cpu_s);
	json_machine(w, &s->machine);
	jsonw_ksecs(w, "t0_unix_s", s->t0_unix_s);
	jsonw_kint(w, "n_done", (int64_t)s->n_done);
	jsonw_kint(w, "n_failed", (int64_t)s->n_failed);
	jsonw_kint(w, "items_timed_in_groups", (int64_t)s->items_grouped);

	jsonw_key(w, "items");
	jsonw_array(w, false);
	for (size_t i = 0; i < s->n_items; i++)
		jsonw_int(w, s->items[i]);
	jsonw_array_end(w);

	if (s->unordered) {
		jsonw_key(w, "order");
		jsonw_array(w, false);
		for (size_t k = 0; k < s->n_items && seq != NULL; k++)
			jsonw_int(w, (int64_t)seq[k]);
		jsonw_array_end(w);
	}
	jsonw_key(w, "results");
	jsonw_array(w, false);
	for (size_t k = 0; k < s->n_items && (seq != NULL || !s->unordered); k++)
		json_result(w, s, seq != NULL ? seq[k] : k);
	jsonw_array_end(w);
	free(seq);

	jsonw_key(w, "per_worker");
	jsonw_array(w, false);
	for (int i = 0; i < s->workers && s->per_worker != NULL; i++) {
		const struct worker_snap *p = &s->per_worker[i];
		jsonw_object(w, false);
		jsonw_kint(w, "id", p->id);
		jsonw_kint(w, "pid", (int64_t)p->pid);
		jsonw_kint(w, "tid", (int64_t)p->tid);
		jsonw_kint(w, "tasks", p->tasks);
		jsonw_ksecs(w, "cpu_s", p->cpu_s);
		jsonw_ksecs(w, "busy_s", p->busy_s);
		jsonw_ksecs(w, "gil_wait_s", p->gil_wait_s);
		jsonw_ksecs(w, "gil_held_s", p->gil_held_s);
		jsonw_kint(w, "restarts", p->restarts);
		jsonw_kint(w, "core", p->core);
		jsonw_kstring(w, "state", report_worker_state(p->state));
		jsonw_object_end(w);
	}
	jsonw_array_end(w);

	jsonw_key(w, "events");
	jsonw_array(w, false);
	for (size_t i = 0; i < s->n_items && s->recs != NULL; i++) {
		struct item_event e = run_item_event(s, i);
		if (e.worker < 0)
			continue;
		jsonw_object(w, false);
		jsonw_kint(w, "worker", e.worker);
		jsonw_kint(w, "item", (int64_t)i);
		jsonw_ksecs(w, "start_s", e.start_s);
		jsonw_ksecs(w, "end_s", e.end_s);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);

	jsonw_key(w, "output");
	jsonw_array(w, false);
	for (size_t i = 0; i < s->n_output; i++) {
		jsonw_object(w, false);
		jsonw_kint(w, "worker", s->output[i].worker);
		jsonw_ksecs(w, "t_s", s->output[i].t_s);
		jsonw_kstring(w, "text", s->output[i].text);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);

	jsonw_key(w, "errors");
	jsonw_array(w, false);
	for (size_t i = 0; i < s->n_errors; i++) {
		jsonw_object(w, false);
		jsonw_kint(w, "item", (int64_t)s->errors[i].item);
		jsonw_kint(w, "worker", s->errors[i].worker);
		jsonw_kstring(w, "message", s->errors[i].message);
		jsonw_ksecs(w, "t_s", s->errors[i].t_s);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);

	if (s->switches) { /* the GIL model's hand-off log */
		size_t forced = 0;
		for (size_t i = 0; i < s->n_switches; i++)
			forced += s->switches[i].forced;
		jsonw_kint(w, "gil_switches", (int64_t)s->n_switches);
		jsonw_kint(w, "gil_forced_switches", (int64_t)forced);
	}
	if (s->has_parent_counter)
		jsonw_kint(w, "parent_counter", s->parent_counter);
	json_python(w, s);
	if (repeat != NULL) {
		jsonw_key(w, "repeat");
		json_orders_value(w, repeat);
	}
	jsonw_object_end(w);
	jsonw_text(w, "\n");
	jsonw_finish(w);
	return 0;
}

/* A streamed document read back as a json-c tree (NULL when out of memory). */
static struct json_object *json_read_back(char *text, size_t len, bool ok)
{
	struct json_object *o = ok && text != NULL && len > 0 ? json_tokener_parse(text) : NULL;
	free(text);
	return o;
}

/* A finished run as a JSON object (caller puts it): the streamed document read back. */
struct json_object *report_run_json(const struct run_snapshot *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (mem == NULL)
		return NULL;
	bool ok = report_run_json_write(mem, s, NULL) == 0;
	ok = fclose(mem) == 0 && ok;
	return json_read_back(text, len, ok);
}

/* --- compare ---------------------------------------------------------------- */

/* A comparison as one JSON document, streamed to out. */
void report_compare_json_write(FILE *out, const struct run_request *req,
                               const struct run_snapshot *const *snaps, size_t n)
{
	struct jsonw jw;
	struct jsonw *w = &jw;
	jsonw_init(w, out);
	jsonw_object(w, false);
	jsonw_kstring(w, "task", req->task->name);
	jsonw_key(w, "items");
	jsonw_array(w, false);
	for (size_t i = 0; i < req->n_items; i++)
		jsonw_int(w, req->items[i]);
	jsonw_array_end(w);
	jsonw_kint(w, "workers", req->workers);
	jsonw_kint(w, "chunksize", req->chunksize);
	jsonw_kbool(w, "ordered", !req->unordered);
	jsonw_kint(w, "pid", (int64_t)getpid());
	struct machine_load all;
	report_compare_machine(snaps, n, &all);
	json_machine(w, &all);
	jsonw_key(w, "runs");
	jsonw_array(w, false);
	for (size_t i = 0; i < n; i++) {
		const struct run_snapshot *s = snaps[i];
		const struct run_snapshot *ref = report_reference(s, snaps, n);
		double speedup = ref != NULL && s->wall_s > 0 ? ref->wall_s / s->wall_s : 0.0;
		double eff = s->workers > 0 ? speedup / s->workers : 0.0;
		jsonw_object(w, false);
		jsonw_kstring(w, "backend", backend_name(s->backend));
		jsonw_key(w, "baseline");
		if (ref != NULL)
			jsonw_string(w, backend_name(ref->backend));
		else
			jsonw_null(w);
		jsonw_kint(w, "workers", s->workers);
		jsonw_kint(w, "chunksize", s->chunksize);
		jsonw_ksecs(w, "startup_s", s->startup_s);
		jsonw_ksecs(w, "wall_s", s->wall_s);
		jsonw_ksecs(w, "teardown_s", s->teardown_s);
		jsonw_ksecs(w, "cpu_s", s->cpu_s);
		json_machine(w, &s->machine);
		struct machine_load sl; /* the speedup's: this row and its baseline together */
		report_speedup_machine(s, snaps, n, &sl);
		jsonw_key(w, "speedup_machine_busy");
		if (sl.valid)
			jsonw_fixed(w, sl.busy, 4);
		else
			jsonw_null(w);
		jsonw_key(w, "speedup");
		if (ref != NULL)
			jsonw_fixed(w, speedup, 4);
		else
			jsonw_null(w);
		jsonw_key(w, "efficiency");
		if (ref != NULL)
			jsonw_fixed(w, eff, 4);
		else
			jsonw_null(w);
		jsonw_kbool(w, "results_match", ref == NULL || report_results_match(ref, s));
		jsonw_kint(w, "n_failed", (int64_t)s->n_failed);
		jsonw_kint(w, "items_timed_in_groups", (int64_t)s->items_grouped);
		jsonw_key(w, "results");
		jsonw_array(w, false);
		for (size_t k = 0; k < s->n_items; k++)
			json_result(w, s, k);
		jsonw_array_end(w);
		if (s->switches)
			jsonw_kint(w, "gil_switches", (int64_t)s->n_switches);
		if (s->has_parent_counter)
			jsonw_kint(w, "parent_counter", s->parent_counter);
		json_python(w, s);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	jsonw_object_end(w);
	jsonw_text(w, "\n");
	jsonw_finish(w);
}

/* --- sweep ------------------------------------------------------------------ */

/* One curve's baseline point {"backend", "workers", "wall_s"}, or null. */
static void json_sweep_base(struct jsonw *w, const struct sweep_report *r,
                            const struct sweep_curve *c)
{
	if (c->base < 0) {
		jsonw_null(w);
		return;
	}
	const struct sweep_point *b = &r->pts[c->base];
	char what[64];
	sweep_base_text(r, c, what, sizeof what);
	jsonw_object(w, false);
	jsonw_kstring(w, "backend", backend_name(b->backend));
	jsonw_kint(w, "workers", b->workers);
	jsonw_ksecs(w, "wall_s", b->wall_s);
	jsonw_kstring(w, "what", what);
	jsonw_object_end(w);
}

/* One curve's fit: the serial fraction, its error, how good, or why none. */
static void json_sweep_fit(struct jsonw *w, const struct sweep_report *r, const struct sweep_fit *f)
{
	jsonw_object(w, false);
	jsonw_kbool(w, "ok", f->ok);
	jsonw_kstring(w, "model", "S(n) = 1 / (f + (1 - f) / min(n, cpus))");
	jsonw_key(w, "serial_fraction");
	jsonw_fixed(w, f->ok ? f->f : NAN, 6);
	jsonw_key(w, "serial_fraction_se");
	jsonw_fixed(w, f->ok ? f->f_se : NAN, 6);
	jsonw_kstring(w, "error", "standard error from the residuals");
	jsonw_key(w, "max_speedup");
	jsonw_fixed(w, f->ok && f->f > 0 ? 1 / f->f : NAN, 4);
	jsonw_key(w, "speedup_at_cpus");
	jsonw_fixed(w, f->ok ? sweep_amdahl(f->f, r->cpus, r->cpus) : NAN, 4);
	jsonw_key(w, "rms_residual");
	jsonw_fixed(w, f->ok ? f->rms : NAN, 6);
	jsonw_key(w, "r2");
	jsonw_fixed(w, f->ok ? f->r2 : NAN, 6);
	jsonw_kint(w, "points", (int64_t)f->m);
	jsonw_kint(w, "points_oversubscribed", (int64_t)f->m_over);
	jsonw_key(w, "why");
	if (f->ok)
		jsonw_null(w);
	else
		jsonw_string(w, f->why);
	jsonw_object_end(w);
}

/* A sweep as one JSON document: what ran, every point, each curve's baseline
 * and fit; "baseline" and "fit" at the top are the first swept curve's. */
void report_sweep_json_write(FILE *out, const struct run_request *req, const struct sweep_report *r)
{
	struct jsonw jw, *w = &jw;
	jsonw_init(w, out);
	jsonw_object(w, false);
	jsonw_kstring(w, "task", req->task->name);
	jsonw_key(w, "items");
	jsonw_array(w, false);
	for (size_t i = 0; i < req->n_items; i++)
		jsonw_int(w, req->items[i]);
	jsonw_array_end(w);
	jsonw_key(w, "workers");
	jsonw_array(w, false);
	for (size_t i = 0; i < req->n_sweep_workers; i++)
		jsonw_int(w, req->sweep_workers[i]);
	jsonw_array_end(w);
	jsonw_kint(w, "cpus", r->cpus);
	jsonw_key(w, "chunksize");
	if (req->chunksize_given)
		jsonw_int(w, req->chunksize);
	else
		jsonw_null(w);
	jsonw_kbool(w, "ordered", !req->unordered);
	jsonw_kint(w, "pid", (int64_t)getpid());
	jsonw_key(w, "points");
	jsonw_array(w, true);
	for (size_t i = 0; i < r->n_pts; i++) {
		const struct sweep_point *p = &r->pts[i];
		jsonw_object(w, false);
		jsonw_kstring(w, "backend", backend_name(p->backend));
		jsonw_kint(w, "workers", p->workers);
		jsonw_key(w, "wall_s");
		jsonw_fixed(w, p->done ? p->wall_s : NAN, 6);
		jsonw_key(w, "cpu_s");
		jsonw_fixed(w, p->done ? p->cpu_s : NAN, 6);
		jsonw_key(w, "speedup");
		jsonw_fixed(w, p->speedup, 4);
		jsonw_key(w, "efficiency");
		jsonw_fixed(w, p->efficiency, 4);
		jsonw_kbool(w, "oversubscribed", p->oversubscribed);
		jsonw_kbool(w, "baseline", p->is_baseline);
		jsonw_kint(w, "n_failed", (int64_t)p->n_failed);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	const struct sweep_curve *main_curve = NULL;
	jsonw_key(w, "curves");
	jsonw_array(w, true);
	for (size_t c = 0; c < r->n_curves; c++) {
		const struct sweep_curve *cv = &r->curves[c];
		if (main_curve == NULL && !backend_get(cv->backend)->serial)
			main_curve = cv;
		jsonw_object(w, false);
		jsonw_kstring(w, "backend", backend_name(cv->backend));
		jsonw_key(w, "baseline");
		json_sweep_base(w, r, cv);
		jsonw_key(w, "fit");
		json_sweep_fit(w, r, &cv->fit);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	if (main_curve == NULL && r->n_curves > 0)
		main_curve = &r->curves[0];
	jsonw_key(w, "baseline");
	if (main_curve)
		json_sweep_base(w, r, main_curve);
	else
		jsonw_null(w);
	jsonw_key(w, "fit");
	if (main_curve)
		json_sweep_fit(w, r, &main_curve->fit);
	else
		jsonw_null(w);
	jsonw_object_end(w);
	jsonw_text(w, "\n");
	jsonw_finish(w);
}

/* A comparison as a JSON object (caller puts it): the streamed document read back. */
struct json_object *report_compare_json(const struct run_request *req,
                                        const struct run_snapshot *const *snaps, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (mem == NULL)
		return NULL;
	report_compare_json_write(mem, req, snaps, n);
	bool ok = fclose(mem) == 0;
	return json_read_back(text, len, ok);
}

/* --- repeated runs ---------------------------------------------------------- */

/* {"runs":N, "orders":[{"order":[..], "count":..}]} */
struct json_object *report_orders_json(const struct session_orders *o)
{
	struct json_object *j = json_object_new_object();
	json_object_object_add(j, "runs", json_object_new_int(o->runs));
	struct json_object *arr = json_object_new_array();
	const struct session_order **p = report_orders_sorted(o);
	for (size_t i = 0; p != NULL && i < o->n_orders; i++) {
		struct json_object *e = json_object_new_object();
		struct json_object *ord = json_object_new_array_ext((int)p[i]->n);
		for (size_t k = 0; k < p[i]->n; k++)
			json_object_array_add(ord, json_object_new_int64(p[i]->values[k]));
		json_object_object_add(e, "order", ord);
		json_object_object_add(e, "count", json_object_new_int(p[i]->count));
		json_object_array_add(arr, e);
	}
	free(p);
	json_object_object_add(j, "orders", arr);
	return j;
}

/* --- one Process ------------------------------------------------------------ */

/* A JSON number of seconds, printed to the microsecond. */
static struct json_object *report_json_secs(double s)
{
	char buf[48];
	snprintf(buf, sizeof buf, "%.6f", s);
	return json_object_new_double_s(s, buf);
}

/* A seconds value, or null for a moment that never came. */
static struct json_object *report_json_moment(double t)
{
	return t < 0 ? NULL : report_json_secs(t);
}

/* One Process's life into o: item, pid, exit code, its moments, result. */
static void report_process_child_json(struct json_object *o, const struct proc_demo_child *p)
{
	json_object_object_add(o, "item", json_object_new_int64(p->item));
	json_object_object_add(o, "pid", json_object_new_int64((int64_t)p->pid));
	json_object_object_add(o, "exit_code", json_object_new_int(p->exit_code));
	json_object_object_add(o, "started_s", report_json_moment(p->started_s));
	json_object_object_add(o, "ran_s", report_json_moment(p->ran_s));
	json_object_object_add(o, "exited_s", report_json_moment(p->exited_s));
	json_object_object_add(o, "joined_s", report_json_moment(p->joined_s));
	json_object_object_add(o, "reaped_s", report_json_moment(p->reaped_s));
	json_object_object_add(o, "result",
	                       p->has_result ? json_object_new_int64(p->result) : NULL);
}

/* One Process, or several, as JSON: every one in "processes"; a single
 * Process's life also at the top level, as `Process(...)` reads. */
struct json_object *report_process_json(const struct run_request *req,
                                        const struct proc_demo_snap *s)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "task", json_object_new_string(req->task->name));
	json_object_object_add(o, "parent_pid", json_object_new_int64((int64_t)s->parent_pid));
	json_object_object_add(o, "join_after_ms", json_object_new_int(req->join_after_ms));
	json_object_object_add(o, "created_s", report_json_moment(s->created_s));
	if (s->n_procs == 1 && s->procs != NULL)
		report_process_child_json(o, &s->procs[0]);
	json_object_object_add(o, "joined", json_object_new_boolean(s->joins));
	struct json_object *items = json_object_new_array_ext((int)req->n_items);
	for (size_t i = 0; i < req->n_items; i++)
		json_object_array_add(items, json_object_new_int64(req->items[i]));
	json_object_object_add(o, "items", items);
	struct json_object *procs = json_object_new_array_ext((int)s->n_procs);
	for (size_t k = 0; k < s->n_procs && s->procs != NULL; k++) {
		struct json_object *j = json_object_new_object();
		report_process_child_json(j, &s->procs[k]);
		json_object_array_add(procs, j);
	}
	json_object_object_add(o, "processes", procs);
	json_object_object_add(o, "ended_s", report_json_moment(s->ended_s));
	struct json_object *out = json_object_new_array_ext((int)s->n_output);
	for (size_t i = 0; i < s->n_output; i++) {
		struct json_object *j = json_object_new_object();
		json_object_object_add(j, "t_s", report_json_secs(s->output[i].t_s));
		json_object_object_add(j, "text", json_object_new_string(s->output[i].text));
		json_object_array_add(out, j);
	}
	json_object_object_add(o, "output", out);
	json_object_object_add(o, "backend",
	                       json_object_new_string(s->python ? "py-process" : "process"));
	if (s->python != NULL) {
		const struct run_python *py = s->python;
		struct json_object *ip = json_object_new_object();
		json_object_object_add(ip, "path",
		                       py->path ? json_object_new_string(py->path) : NULL);
		json_object_object_add(
		    ip, "implementation",
		    py->implementation ? json_object_new_string(py->implementation) : NULL);
		json_object_object_add(ip, "version",
		                       py->version ? json_object_new_string(py->version) : NULL);
		json_object_object_add(ip, "gil", json_object_new_boolean(py->gil));
		json_object_object_add(ip, "free_threaded",
		                       json_object_new_boolean(py->free_threaded));
		json_object_object_add(ip, "start_method",
		                       py->start_method ? json_object_new_string(py->start_method)
		                                        : NULL);
		json_object_object_add(ip, "pid", json_object_new_int64((int64_t)py->pid));
		json_object_object_add(ip, "exit_status", json_object_new_int(py->exit_status));
		json_object_object_add(o, "interpreter", ip);
		json_object_object_add(o, "interp_startup_s",
		                       report_json_secs(py->interp_startup_s));
	}
	if (s->fault != NULL)
		json_object_object_add(o, "fault", json_object_new_string(s->fault));
	return o;
}

/* {"pythons": [...]}: each interpreter as its probe described it. */
struct json_object *report_pythons_json(const struct python_info *py, size_t n)
{
	struct json_object *o = json_object_new_object();
	struct json_object *arr = json_object_new_array_ext((int)n);
	for (size_t i = 0; i < n; i++) {
		const struct python_info *p = &py[i];
		struct json_object *j = json_object_new_object();
		json_object_object_add(j, "path", json_object_new_string(p->path));
		json_object_object_add(j, "real", json_object_new_string(p->real));
		json_object_object_add(j, "executable", json_object_new_string(p->executable));
		json_object_object_add(j, "implementation",
		                       json_object_new_string(p->implementation));
		json_object_object_add(j, "version", json_object_new_string(p->version));
		json_object_object_add(j, "gil", json_object_new_boolean(p->gil_enabled));
		json_object_object_add(j, "free_threaded",
		                       json_object_new_boolean(p->free_threaded));
		struct json_object *m = json_object_new_array();
		for (const char *t = p->start_methods; *t != '\0';) {
			size_t len = strcspn(t, ",");
			json_object_array_add(m, json_object_new_string_len(t, (int)len));
			t += len + (t[len] == ',');
		}
		json_object_object_add(j, "start_methods", m);
		json_object_object_add(j, "default_start_method",
		                       json_object_new_string(p->default_method));
		json_object_object_add(j, "interpreters", json_object_new_boolean(p->interpreters));
		json_object_object_add(j, "interpreter_pool",
		                       json_object_new_boolean(p->interpreter_pool));
		json_object_array_add(arr, j);
	}
	json_object_object_add(o, "pythons", arr);
	return o;
}

/* Print a JSON object on one line to out. */
void report_json_print(FILE *out, struct json_object *obj)
{
	fputs(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_SPACED |
	                                              JSON_C_TO_STRING_NOSLASHESCAPE),
	      out);
	fputc('\n', out);
}

/* --- the row ---------------------------------------------------------------- */

/* Write a built report (NULL: out of memory) as one line, and put it. */
static int json_emit(FILE *out, struct json_object *o, char *err, size_t errlen)
{
	if (o == NULL) {
		snprintf(err, errlen, "out of memory building the JSON report");
		return -1;
	}
	report_json_print(out, o);
	json_object_put(o);
	return 0;
}

/* The json row's run: streamed, with "repeat" after --repeat N. */
static int json_run(FILE *out, const struct run_snapshot *s, const struct session_orders *repeat,
                    char *err, size_t errlen)
{
	if (report_run_json_write(out, s, repeat) == 0)
		return 0;
	snprintf(err, errlen, "out of memory writing the JSON report");
	return -1;
}

/* The json row's compare: streamed. */
static int json_compare(FILE *out, const struct run_request *req,
                        const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	report_compare_json_write(out, req, snaps, n);
	return 0;
}

/* The json row's process: the demo's object, with "repeat" after --repeat N. */
static int json_process(FILE *out, const struct run_request *req, const struct proc_demo_snap *s,
                        const struct session_orders *repeat, char *err, size_t errlen)
{
	struct json_object *o = report_process_json(req, s);
	if (o != NULL && repeat != NULL)
		json_object_object_add(o, "repeat", report_orders_json(repeat));
	return json_emit(out, o, err, errlen);
}

/* The json row's sweep: streamed. */
static int json_sweep(FILE *out, const struct run_request *req, const struct sweep_report *r,
                      const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen)
{
	(void)snaps, (void)n, (void)err, (void)errlen;
	report_sweep_json_write(out, req, r);
	return 0;
}

/* The json row's orders: {"runs", "orders"} alone. */
static int json_orders(FILE *out, const struct session_orders *o, char *err, size_t errlen)
{
	return json_emit(out, report_orders_json(o), err, errlen);
}

/* The json row's pythons. */
static int json_pythons(FILE *out, const struct python_info *py, size_t n, char *err, size_t errlen)
{
	return json_emit(out, report_pythons_json(py, n), err, errlen);
}

const struct export_format export_json = {
    .name = "json",
    .summary = "for a program: one JSON object a line, the keys of the manual",
    .run = json_run,
    .compare = json_compare,
    .process = json_process,
    .orders = json_orders,
    .pythons = json_pythons,
    .sweep = json_sweep,
    .pyrun = pyrun_report_json_write,
};
