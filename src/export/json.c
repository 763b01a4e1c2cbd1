/*
 * json.c — the json format: reports for a program, one JSON document a
 * line, with the keys README.md's JSON section lists (scripts and tests rely
 * on them).
 * Built as a json-c tree, never by hand, then written to the stream; a
 * streaming writer can take a row's place when runs of a million items
 * need it, as the row's entries are given the stream, not asked for a tree.
 */
#include <stdlib.h>
#include <unistd.h>

#include "engine/task.h"
#include "export/format.h"
#include "export/json.h"

/* --- run, as JSON ----------------------------------------------------------- */

/* A JSON number of seconds, printed to the microsecond. */
static struct json_object *report_json_secs(double s)
{
	char buf[48];
	snprintf(buf, sizeof buf, "%.6f", s);
	return json_object_new_double_s(s, buf);
}

/* An item's result as JSON: the number, or null where failed or none. */
static struct json_object *report_json_result(const struct run_snapshot *s, size_t i)
{
	if (!s->task_returns || s->results == NULL || s->status == NULL ||
	    s->status[i] != ITEM_DONE)
		return NULL;
	return json_object_new_int64(s->results[i]);
}

/* A finished run as a JSON object (caller puts it). */
struct json_object *report_run_json(const struct run_snapshot *s)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "task", json_object_new_string(s->task->name));
	json_object_object_add(o, "backend", json_object_new_string(backend_name(s->backend)));
	json_object_object_add(o, "workers", json_object_new_int(s->workers));
	json_object_object_add(o, "chunksize", json_object_new_int64(s->chunksize));
	json_object_object_add(o, "ordered", json_object_new_boolean(!s->unordered));
	json_object_object_add(o, "pid", json_object_new_int64((int64_t)getpid()));
	json_object_object_add(
	    o, "state", json_object_new_string(s->state == RUN_CANCELLED ? "cancelled" : "done"));
	json_object_object_add(o, "startup_s", report_json_secs(s->startup_s));
	json_object_object_add(o, "wall_s", report_json_secs(s->wall_s));
	json_object_object_add(o, "teardown_s", report_json_secs(s->teardown_s));
	json_object_object_add(o, "cpu_s", report_json_secs(s->cpu_s));
	char t0[48];
	snprintf(t0, sizeof t0, "%.6f", s->t0_unix_s);
	json_object_object_add(o, "t0_unix_s", json_object_new_double_s(s->t0_unix_s, t0));
	json_object_object_add(o, "n_done", json_object_new_int64((int64_t)s->n_done));
	json_object_object_add(o, "n_failed", json_object_new_int64((int64_t)s->n_failed));

	struct json_object *items = json_object_new_array_ext((int)s->n_items);
	for (size_t i = 0; i < s->n_items; i++)
		json_object_array_add(items, json_object_new_int64(s->items[i]));
	json_object_object_add(o, "items", items);

	struct json_object *results = json_object_new_array_ext((int)s->n_items);
	if (s->unordered) {
		bool oom;
		size_t *seq = report_sequence(s, &oom);
		struct json_object *order = json_object_new_array_ext((int)s->n_items);
		for (size_t k = 0; k < s->n_items && seq != NULL; k++) {
			json_object_array_add(results, report_json_result(s, seq[k]));
			json_object_array_add(order, json_object_new_int64((int64_t)seq[k]));
		}
		free(seq);
		json_object_object_add(o, "order", order);
	} else {
		for (size_t i = 0; i < s->n_items; i++)
			json_object_array_add(results, report_json_result(s, i));
	}
	json_object_object_add(o, "results", results);

	struct json_object *pw = json_object_new_array_ext(s->workers);
	for (int w = 0; w < s->workers && s->per_worker != NULL; w++) {
		const struct worker_snap *p = &s->per_worker[w];
		struct json_object *j = json_object_new_object();
		json_object_object_add(j, "id", json_object_new_int(p->id));
		json_object_object_add(j, "pid", json_object_new_int64((int64_t)p->pid));
		json_object_object_add(j, "tid", json_object_new_int64((int64_t)p->tid));
		json_object_object_add(j, "tasks", json_object_new_int64(p->tasks));
		json_object_object_add(j, "cpu_s", report_json_secs(p->cpu_s));
		json_object_object_add(j, "busy_s", report_json_secs(p->busy_s));
		json_object_object_add(j, "gil_wait_s", report_json_secs(p->gil_wait_s));
		json_object_object_add(j, "gil_held_s", report_json_secs(p->gil_held_s));
		json_object_object_add(j, "restarts", json_object_new_int(p->restarts));
		json_object_object_add(j, "core", json_object_new_int(p->core));
		json_object_object_add(j, "state",
		                       json_object_new_string(report_worker_state(p->state)));
		json_object_array_add(pw, j);
	}
	json_object_object_add(o, "per_worker", pw);

	struct json_object *ev = json_object_new_array();
	for (size_t i = 0; i < s->n_items && s->events != NULL; i++) {
		if (s->events[i].worker < 0)
			continue;
		struct json_object *j = json_object_new_object();
		json_object_object_add(j, "worker", json_object_new_int(s->events[i].worker));
		json_object_object_add(j, "item", json_object_new_int64((int64_t)i));
		json_object_object_add(j, "start_s", report_json_secs(s->events[i].start_s));
		json_object_object_add(j, "end_s", report_json_secs(s->events[i].end_s));
		json_object_array_add(ev, j);
	}
	json_object_object_add(o, "events", ev);

	struct json_object *out = json_object_new_array_ext((int)s->n_output);
	for (size_t i = 0; i < s->n_output; i++) {
		struct json_object *j = json_object_new_object();
		json_object_object_add(j, "worker", json_object_new_int(s->output[i].worker));
		json_object_object_add(j, "t_s", report_json_secs(s->output[i].t_s));
		json_object_object_add(j, "text", json_object_new_string(s->output[i].text));
		json_object_array_add(out, j);
	}
	json_object_object_add(o, "output", out);

	struct json_object *errs = json_object_new_array_ext((int)s->n_errors);
	for (size_t i = 0; i < s->n_errors; i++) {
		struct json_object *j = json_object_new_object();
		json_object_object_add(j, "item",
		                       json_object_new_int64((int64_t)s->errors[i].item));
		json_object_object_add(j, "worker", json_object_new_int(s->errors[i].worker));
		json_object_object_add(j, "message", json_object_new_string(s->errors[i].message));
		json_object_object_add(j, "t_s", report_json_secs(s->errors[i].t_s));
		json_object_array_add(errs, j);
	}
	json_object_object_add(o, "errors", errs);

	if (s->switches) { /* the GIL model's hand-off log */
		size_t forced = 0;
		for (size_t i = 0; i < s->n_switches; i++)
			forced += s->switches[i].forced;
		json_object_object_add(o, "gil_switches",
		                       json_object_new_int64((int64_t)s->n_switches));
		json_object_object_add(o, "gil_forced_switches",
		                       json_object_new_int64((int64_t)forced));
	}
	if (s->has_parent_counter)
		json_object_object_add(o, "parent_counter",
		                       json_object_new_int64(s->parent_counter));
	return o;
}

/* --- compare ---------------------------------------------------------------- */

/* A comparison as JSON: {"task","items","workers","runs":[...]}. */
struct json_object *report_compare_json(const struct run_request *req,
                                        const struct run_snapshot *const *snaps, size_t n)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "task", json_object_new_string(req->task->name));
	struct json_object *items = json_object_new_array_ext((int)req->n_items);
	for (size_t i = 0; i < req->n_items; i++)
		json_object_array_add(items, json_object_new_int64(req->items[i]));
	json_object_object_add(o, "items", items);
	json_object_object_add(o, "workers", json_object_new_int(req->workers));
	json_object_object_add(o, "chunksize", json_object_new_int64(req->chunksize));
	json_object_object_add(o, "ordered", json_object_new_boolean(!req->unordered));
	json_object_object_add(o, "pid", json_object_new_int64((int64_t)getpid()));
	struct json_object *runs = json_object_new_array_ext((int)n);
	for (size_t i = 0; i < n; i++) {
		const struct run_snapshot *s = snaps[i];
		const struct run_snapshot *ref = report_reference(s, snaps, n);
		double speedup = ref != NULL && s->wall_s > 0 ? ref->wall_s / s->wall_s : 0.0;
		struct json_object *j = json_object_new_object();
		json_object_object_add(j, "backend",
		                       json_object_new_string(backend_name(s->backend)));
		json_object_object_add(
		    j, "baseline", ref ? json_object_new_string(backend_name(ref->backend)) : NULL);
		json_object_object_add(j, "workers", json_object_new_int(s->workers));
		json_object_object_add(j, "chunksize", json_object_new_int64(s->chunksize));
		json_object_object_add(j, "startup_s", report_json_secs(s->startup_s));
		json_object_object_add(j, "wall_s", report_json_secs(s->wall_s));
		json_object_object_add(j, "teardown_s", report_json_secs(s->teardown_s));
		json_object_object_add(j, "cpu_s", report_json_secs(s->cpu_s));
		char b[32];
		double eff = s->workers > 0 ? speedup / s->workers : 0.0;
		snprintf(b, sizeof b, "%.4f", speedup);
		json_object_object_add(j, "speedup",
		                       ref ? json_object_new_double_s(speedup, b) : NULL);
		snprintf(b, sizeof b, "%.4f", eff);
		json_object_object_add(j, "efficiency",
		                       ref ? json_object_new_double_s(eff, b) : NULL);
		json_object_object_add(
		    j, "results_match",
		    json_object_new_boolean(ref == NULL || report_results_match(ref, s)));
		json_object_object_add(j, "n_failed", json_object_new_int64((int64_t)s->n_failed));
		struct json_object *res = json_object_new_array_ext((int)s->n_items);
		for (size_t k = 0; k < s->n_items; k++)
			json_object_array_add(res, report_json_result(s, k));
		json_object_object_add(j, "results", res);
		if (s->switches)
			json_object_object_add(j, "gil_switches",
			                       json_object_new_int64((int64_t)s->n_switches));
		if (s->has_parent_counter)
			json_object_object_add(j, "parent_counter",
			                       json_object_new_int64(s->parent_counter));
		json_object_array_add(runs, j);
	}
	json_object_object_add(o, "runs", runs);
	return o;
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

/* The json row's run: the run's object, with "repeat" after --repeat N. */
static int json_run(FILE *out, const struct run_snapshot *s, const struct session_orders *repeat,
                    char *err, size_t errlen)
{
	struct json_object *o = report_run_json(s);
	if (o != NULL && repeat != NULL)
		json_object_object_add(o, "repeat", report_orders_json(repeat));
	return json_emit(out, o, err, errlen);
}

/* The json row's compare. */
static int json_compare(FILE *out, const struct run_request *req,
                        const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen)
{
	return json_emit(out, report_compare_json(req, snaps, n), err, errlen);
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

/* The json row's orders: {"runs", "orders"} alone. */
static int json_orders(FILE *out, const struct session_orders *o, char *err, size_t errlen)
{
	return json_emit(out, report_orders_json(o), err, errlen);
}

const struct export_format export_json = {
    .name = "json",
    .summary = "for a program: one JSON object a line, the keys of the manual",
    .run = json_run,
    .compare = json_compare,
    .process = json_process,
    .orders = json_orders,
};
