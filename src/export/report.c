/*
 * report.c — text and JSON reports of runs, comparisons and repeated runs,
 * and the `tasks` listing. Text is for a person at a glance (a header, a
 * small timing table, one line per worker, the results as Python prints a
 * list); JSON is built with json-c, never by hand, and carries the keys of
 * DESIGN.md §1 that scripts and tests rely on.
 */
#include <inttypes.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/report.h"
#include "engine/task.h"

/* Most output lines a text report shows (JSON has them all). */
#define REPORT_MAX_OUTPUT 40
/* Widest results list a text report prints. */
#define REPORT_LIST_CHARS 200
/* Shortest map whose CPU/wall ratio is shown as parallelism. */
#define REPORT_MIN_WALL_S 0.02

/* "×" where the locale speaks UTF-8, else "x". */
static const char *report_times(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs != NULL && strcmp(cs, "UTF-8") == 0 ? "\xc3\x97" : "x";
}

/* Seconds for a person: "1.23 s", "4.5 ms", "120 us". */
void report_format_secs(char *buf, size_t len, double s)
{
	if (s >= 1.0)
		snprintf(buf, len, "%.2f s", s);
	else if (s >= 0.001)
		snprintf(buf, len, "%.1f ms", s * 1e3);
	else
		snprintf(buf, len, "%.0f us", s * 1e6);
}

/* --- the Python list -------------------------------------------------------- */

/* The item index at position k of the list (completion order if unordered). */
static size_t pylist_index(const size_t *seq, size_t k)
{
	return seq != NULL ? seq[k] : k;
}

/* Python's repr of one element into buf; returns its length. */
static int pylist_elem(char *buf, size_t len, const struct run_snapshot *s, size_t i)
{
	uint8_t st = s->status != NULL ? s->status[i] : ITEM_DONE;
	if (st == ITEM_PENDING || st == ITEM_RUNNING)
		return snprintf(buf, len, "?");
	if (st == ITEM_FAILED || !s->task_returns || s->results == NULL)
		return snprintf(buf, len, "None");
	return snprintf(buf, len, "%" PRId64, s->results[i]);
}

/* The order of positions for an unordered run: completion order, then the
 * items not completed; NULL (identity) for an ordered run. Caller frees. */
static size_t *pylist_sequence(const struct run_snapshot *s, bool *oom)
{
	*oom = false;
	if (!s->unordered || s->order == NULL)
		return NULL;
	size_t *seq = malloc((s->n_items ? s->n_items : 1) * sizeof *seq);
	uint8_t *seen = calloc(s->n_items ? s->n_items : 1, 1);
	if (seq == NULL || seen == NULL) {
		free(seq);
		free(seen);
		*oom = true;
		return NULL;
	}
	size_t k = 0;
	for (size_t j = 0; j < s->n_order && k < s->n_items; j++)
		if (s->order[j] < s->n_items && !seen[s->order[j]]) {
			seen[s->order[j]] = 1;
			seq[k++] = s->order[j];
		}
	for (size_t i = 0; i < s->n_items; i++)
		if (!seen[i])
			seq[k++] = i;
	free(seen);
	return seq;
}

/* Append text to buf at *used if it fits in limit. */
static void pylist_put(char *buf, size_t limit, size_t *used, const char *text)
{
	size_t l = strlen(text);
	if (*used + l > limit)
		return;
	memcpy(buf + *used, text, l);
	*used += l;
	buf[*used] = '\0';
}

/* The results as Python prints a list, cut in the middle when too long. */
int report_format_pylist(char *buf, size_t len, const struct run_snapshot *s, size_t max_chars)
{
	if (len == 0)
		return 0;
	buf[0] = '\0';
	size_t limit = len - 1;
	if (max_chars != 0 && max_chars < limit)
		limit = max_chars;
	size_t n = s->n_items, used = 0;
	char e[32];
	bool oom;
	size_t *seq = pylist_sequence(s, &oom);
	if (oom)
		return 0;
	/* does the whole list fit? */
	size_t full = 2;
	for (size_t k = 0; k < n && full <= limit; k++)
		full += (size_t)pylist_elem(e, sizeof e, s, pylist_index(seq, k)) + (k ? 2 : 0);
	if (full <= limit) {
		pylist_put(buf, limit, &used, "[");
		for (size_t k = 0; k < n; k++) {
			if (k)
				pylist_put(buf, limit, &used, ", ");
			pylist_elem(e, sizeof e, s, pylist_index(seq, k));
			pylist_put(buf, limit, &used, e);
		}
		pylist_put(buf, limit, &used, "]");
		free(seq);
		return (int)used;
	}
	/* keep a head and a tail, growing them in turn while they fit */
	char suffix[48];
	snprintf(suffix, sizeof suffix, " (%zu items)", n);
	size_t cost = 1 + 3 + 1 + strlen(suffix); /* "[" "..." "]" suffix */
	size_t h = 0, t = 0;
	for (;;) {
		bool grew = false;
		if (h + t < n) {
			size_t l = (size_t)pylist_elem(e, sizeof e, s, pylist_index(seq, h)) + 2;
			if (cost + l <= limit) {
				cost += l;
				h++;
				grew = true;
			}
		}
		if (h + t < n) {
			size_t l =
			    (size_t)pylist_elem(e, sizeof e, s, pylist_index(seq, n - 1 - t)) + 2;
			if (cost + l <= limit) {
				cost += l;
				t++;
				grew = true;
			}
		}
		if (!grew || h + t >= n)
			break;
	}
	pylist_put(buf, limit, &used, "[");
	for (size_t k = 0; k < h; k++) {
		pylist_elem(e, sizeof e, s, pylist_index(seq, k));
		pylist_put(buf, limit, &used, e);
		pylist_put(buf, limit, &used, ", ");
	}
	pylist_put(buf, limit, &used, "...");
	for (size_t k = n - t; k < n; k++) {
		pylist_put(buf, limit, &used, ", ");
		pylist_elem(e, sizeof e, s, pylist_index(seq, k));
		pylist_put(buf, limit, &used, e);
	}
	pylist_put(buf, limit, &used, "]");
	pylist_put(buf, limit, &used, suffix);
	free(seq);
	return (int)used;
}

/* --- tasks ------------------------------------------------------------------ */

/* `tasks`: one line per task: name, default ITEMS, what one item does. */
void report_tasks(FILE *out)
{
	int width = 0;
	for (size_t i = 0; i < task_count; i++) {
		int l = (int)strlen(task_table[i]->default_items);
		width = l > width ? l : width;
	}
	for (size_t i = 0; i < task_count; i++) {
		const struct task *t = task_table[i];
		fprintf(out, "%-8s %-*s  %s\n", t->name, width, t->default_items, t->summary);
	}
}

/* --- run, as text ----------------------------------------------------------- */

/* The one-word state of a worker. */
static const char *report_worker_state(enum worker_state st)
{
	switch (st) {
	case WORKER_STARTING:
		return "starting";
	case WORKER_IDLE:
		return "idle";
	case WORKER_RUNNING:
		return "running";
	case WORKER_GIL_WAIT:
		return "gil-wait";
	case WORKER_BLOCKED:
		return "blocked";
	case WORKER_EXITED:
		return "exited";
	case WORKER_DEAD:
		return "dead";
	}
	return "?";
}

/* A finished run as text: header, timing, workers, results, output, errors. */
void report_run_text(FILE *out, const struct run_snapshot *s)
{
	char wall[32], cpu[32], start[32], tear[32];
	report_format_secs(wall, sizeof wall, s->wall_s);
	report_format_secs(cpu, sizeof cpu, s->cpu_s);
	report_format_secs(start, sizeof start, s->startup_s);
	report_format_secs(tear, sizeof tear, s->teardown_s);
	bool gil = backend_get(s->backend)->gil;
	fprintf(out, "%s on %s: %d worker%s, chunksize %ld, %zu item%s%s%s\n", s->task->name,
	        backend_name(s->backend), s->workers, s->workers == 1 ? "" : "s", s->chunksize,
	        s->n_items, s->n_items == 1 ? "" : "s", s->unordered ? ", unordered" : "",
	        s->state == RUN_CANCELLED ? " (cancelled)" : "");
	/* CPU/wall says how many cores were busy; the workers' CPU includes their
	 * own start and exit, so on a map of a few ms the ratio means nothing */
	char par[32] = "-";
	if (s->wall_s >= REPORT_MIN_WALL_S)
		snprintf(par, sizeof par, "%.2f%s", s->cpu_s / s->wall_s, report_times());
	fprintf(out, "  wall %s   CPU %s   parallelism %s   startup %s   teardown %s\n", wall, cpu,
	        par, start, tear);
	fprintf(out, "  %-6s %8s %8s %6s %10s %10s", "worker", "pid", "tid", "tasks", "CPU s",
	        "busy s");
	if (gil)
		fprintf(out, " %10s %10s", "GIL held", "GIL wait");
	fprintf(out, "  state\n");
	for (int w = 0; w < s->workers && s->per_worker != NULL; w++) {
		const struct worker_snap *p = &s->per_worker[w];
		fprintf(out, "  w%-5d %8ld %8ld %6ld %10.4f %10.4f", p->id, (long)p->pid,
		        (long)p->tid, p->tasks, p->cpu_s, p->busy_s);
		if (gil)
			fprintf(out, " %10.4f %10.4f", p->gil_held_s, p->gil_wait_s);
		fprintf(out, "  %s", report_worker_state(p->state));
		if (p->restarts > 0)
			fprintf(out, " (%d replacement%s)", p->restarts,
			        p->restarts == 1 ? "" : "s");
		fputc('\n', out);
	}
	if (gil)
		fprintf(out, "  GIL hand-offs: %zu\n", s->n_switches);
	char list[REPORT_LIST_CHARS + 1];
	report_format_pylist(list, sizeof list, s, REPORT_LIST_CHARS);
	fprintf(out, "results%s: %s\n", s->unordered ? " (completion order)" : "", list);
	if (s->has_parent_counter)
		fprintf(out, "parent's counter after the map: %ld\n", s->parent_counter);
	if (s->n_output > 0) {
		fprintf(out, "output (%zu line%s):\n", s->n_output, s->n_output == 1 ? "" : "s");
		for (size_t i = 0; i < s->n_output && i < REPORT_MAX_OUTPUT; i++) {
			char t[32];
			report_format_secs(t, sizeof t, s->output[i].t_s);
			fprintf(out, "  w%-3d %10s  %s\n", s->output[i].worker, t,
			        s->output[i].text);
		}
		if (s->n_output > REPORT_MAX_OUTPUT)
			fprintf(out, "  ... %zu more lines (--json has them all)\n",
			        s->n_output - REPORT_MAX_OUTPUT);
	}
	if (s->n_errors > 0) {
		fprintf(out, "errors (%zu):\n", s->n_errors);
		for (size_t i = 0; i < s->n_errors; i++) {
			size_t k = s->errors[i].item;
			if (k < s->n_items)
				fprintf(out, "  items[%zu] = %" PRId64 ": %s\n", k, s->items[k],
				        s->errors[i].message);
			else
				fprintf(out, "  %s\n", s->errors[i].message);
		}
	}
}

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
		size_t *seq = pylist_sequence(s, &oom);
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

/* Do two finished runs of the same items give the same results? */
bool report_results_match(const struct run_snapshot *a, const struct run_snapshot *b)
{
	if (a->n_items != b->n_items || a->n_failed != b->n_failed)
		return false;
	for (size_t i = 0; i < a->n_items; i++) {
		if (a->status[i] != b->status[i])
			return false;
		if (a->task_returns && a->status[i] == ITEM_DONE && a->results[i] != b->results[i])
			return false;
	}
	return true;
}

/* The run of s's family baseline among snaps (s itself for a serial run), or NULL. */
static const struct run_snapshot *report_reference(const struct run_snapshot *s,
                                                   const struct run_snapshot *const *snaps,
                                                   size_t n)
{
	enum backend_kind base = backend_baseline(s->backend);
	for (size_t i = 0; i < n; i++)
		if (snaps[i]->backend == base)
			return snaps[i];
	return NULL;
}

/* A comparison as text: one row per backend. */
void report_compare_text(FILE *out, const struct run_request *req,
                         const struct run_snapshot *const *snaps, size_t n)
{
	fprintf(out, "%s: %zu item%s, %d worker%s, chunksize %ld%s\n", req->task->name,
	        req->n_items, req->n_items == 1 ? "" : "s", req->workers,
	        req->workers == 1 ? "" : "s", req->chunksize, req->unordered ? ", unordered" : "");
	fprintf(out, "  %-8s %10s %10s %8s %10s %10s  %s\n", "backend", "wall", "CPU", "speedup",
	        "efficiency", "startup", "results match serial");
	for (size_t i = 0; i < n; i++) {
		const struct run_snapshot *s = snaps[i];
		const struct run_snapshot *ref = report_reference(s, snaps, n);
		char wall[32], cpu[32], start[32], sp[32];
		report_format_secs(wall, sizeof wall, s->wall_s);
		report_format_secs(cpu, sizeof cpu, s->cpu_s);
		report_format_secs(start, sizeof start, s->startup_s);
		double speedup = ref != NULL && s->wall_s > 0 ? ref->wall_s / s->wall_s : 0.0;
		char eff[32] = "-";
		if (ref != NULL) {
			snprintf(sp, sizeof sp, "%.2f%s", speedup, report_times());
			snprintf(eff, sizeof eff, "%.2f", s->workers > 0 ? speedup / s->workers : 0.0);
		} else {
			snprintf(sp, sizeof sp, "-"); /* no baseline of its family in this compare */
		}
		const char *match = ref == NULL                    ? "-"
		                    : s == ref                     ? "(reference)"
		                    : report_results_match(ref, s) ? "yes"
		                                                   : "no";
		fprintf(out, "  %-8s %10s %10s %8s %10s %10s  %s\n", backend_name(s->backend), wall,
		        cpu, sp, eff, start, match);
	}
	if (n > 0) {
		char list[REPORT_LIST_CHARS + 1];
		const struct run_snapshot *ref = report_reference(snaps[0], snaps, n);
		report_format_pylist(list, sizeof list, ref != NULL ? ref : snaps[0],
		                     REPORT_LIST_CHARS);
		fprintf(out, "results: %s\n", list);
	}
	for (size_t i = 0; i < n; i++) {
		if (snaps[i]->has_parent_counter)
			fprintf(out, "  %-8s parent's counter after the map: %ld\n",
			        backend_name(snaps[i]->backend), snaps[i]->parent_counter);
		for (size_t e = 0; e < snaps[i]->n_errors; e++)
			fprintf(out, "  %-8s %s\n", backend_name(snaps[i]->backend),
			        snaps[i]->errors[e].message);
	}
}

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
		    j, "baseline",
		    ref ? json_object_new_string(backend_name(ref->backend)) : NULL);
		json_object_object_add(j, "workers", json_object_new_int(s->workers));
		json_object_object_add(j, "startup_s", report_json_secs(s->startup_s));
		json_object_object_add(j, "wall_s", report_json_secs(s->wall_s));
		json_object_object_add(j, "teardown_s", report_json_secs(s->teardown_s));
		json_object_object_add(j, "cpu_s", report_json_secs(s->cpu_s));
		char b[32];
		double eff = s->workers > 0 ? speedup / s->workers : 0.0;
		snprintf(b, sizeof b, "%.4f", speedup);
		json_object_object_add(j, "speedup", ref ? json_object_new_double_s(speedup, b) : NULL);
		snprintf(b, sizeof b, "%.4f", eff);
		json_object_object_add(j, "efficiency", ref ? json_object_new_double_s(eff, b) : NULL);
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

/* Are these lines all whole numbers (what the print task writes)? */
static bool report_lines_numeric(const struct output_line *lines, size_t n)
{
	bool numeric = n > 0;
	for (size_t i = 0; i < n && numeric; i++) {
		char *end;
		const char *t = lines[i].text;
		strtoll(t, &end, 10);
		numeric = end != t && *end == '\0';
	}
	return numeric;
}

/* The order a run shows: the numbers it printed if every output line is one,
 * else its items in completion order. Caller frees *vals. */
static int report_order_of(const struct run_snapshot *s, int64_t **vals, size_t *n)
{
	bool numeric = report_lines_numeric(s->output, s->n_output);
	size_t cnt = numeric ? s->n_output : s->n_order;
	int64_t *v = malloc((cnt ? cnt : 1) * sizeof *v);
	if (v == NULL)
		return -1;
	for (size_t i = 0; i < cnt; i++)
		v[i] = numeric ? strtoll(s->output[i].text, NULL, 10) : s->items[s->order[i]];
	*vals = v;
	*n = cnt;
	return 0;
}

/* Count one order (v, n; taken over) among the orders seen; -1 when out of memory. */
static int report_orders_count(struct report_orders *o, int64_t *v, size_t n)
{
	o->runs++;
	for (size_t i = 0; i < o->n_orders; i++) {
		struct report_order *r = &o->orders[i];
		if (r->n == n && (n == 0 || memcmp(r->values, v, n * sizeof *v) == 0)) {
			r->count++;
			free(v);
			return 0;
		}
	}
	struct report_order *grown = realloc(o->orders, (o->n_orders + 1) * sizeof *grown);
	if (grown == NULL) {
		free(v);
		return -1;
	}
	o->orders = grown;
	o->orders[o->n_orders++] = (struct report_order){.values = v, .n = n, .count = 1};
	return 0;
}

/* Add one finished run's order; -1 when out of memory. */
int report_orders_add(struct report_orders *o, const struct run_snapshot *s)
{
	int64_t *v;
	size_t n;
	if (report_order_of(s, &v, &n) != 0)
		return -1;
	return report_orders_count(o, v, n);
}

/* Add one finished process demo's order: the numbers its children printed, in
 * the order their writes reached the pipe; else the items in the order the
 * children exited. -1 when out of memory. */
int report_orders_add_process(struct report_orders *o, const struct proc_demo_snap *s)
{
	bool numeric = report_lines_numeric(s->output, s->n_output);
	size_t cnt = numeric ? s->n_output : s->n_procs;
	int64_t *v = malloc((cnt ? cnt : 1) * sizeof *v);
	if (v == NULL)
		return -1;
	if (numeric) {
		for (size_t i = 0; i < cnt; i++)
			v[i] = strtoll(s->output[i].text, NULL, 10);
	} else {
		/* by exit time: a few children, an insertion sort */
		size_t *idx = malloc((cnt ? cnt : 1) * sizeof *idx);
		if (idx == NULL) {
			free(v);
			return -1;
		}
		for (size_t i = 0; i < cnt; i++) {
			size_t j = i;
			for (; j > 0 && s->procs[idx[j - 1]].exited_s > s->procs[i].exited_s; j--)
				idx[j] = idx[j - 1];
			idx[j] = i;
		}
		for (size_t i = 0; i < cnt; i++)
			v[i] = s->procs[idx[i]].item;
		free(idx);
	}
	return report_orders_count(o, v, cnt);
}

/* Compare orders by count, most frequent first (for qsort). */
static int report_order_cmp(const void *a, const void *b)
{
	const struct report_order *x = *(const struct report_order *const *)a;
	const struct report_order *y = *(const struct report_order *const *)b;
	return (y->count > x->count) - (y->count < x->count);
}

/* The orders as pointers sorted most frequent first; caller frees. */
static const struct report_order **report_orders_sorted(const struct report_orders *o)
{
	const struct report_order **p = malloc((o->n_orders ? o->n_orders : 1) * sizeof *p);
	if (p == NULL)
		return NULL;
	for (size_t i = 0; i < o->n_orders; i++)
		p[i] = &o->orders[i];
	qsort(p, o->n_orders, sizeof *p, report_order_cmp);
	return p;
}

/* "orders seen in 20 runs: 0 1 2 3 x12, 1 0 2 3 x5" (most frequent first). */
void report_orders_text(FILE *out, const struct report_orders *o)
{
	const struct report_order **p = report_orders_sorted(o);
	if (p == NULL)
		return;
	fprintf(out, "orders seen in %d run%s (%zu distinct):", o->runs, o->runs == 1 ? "" : "s",
	        o->n_orders);
	for (size_t i = 0; i < o->n_orders; i++) {
		fputs(i ? ", " : " ", out);
		for (size_t k = 0; k < p[i]->n && k < 32; k++)
			fprintf(out, "%s%" PRId64, k ? " " : "", p[i]->values[k]);
		if (p[i]->n > 32)
			fputs(" ...", out);
		fprintf(out, " %s%d", report_times(), p[i]->count);
	}
	fputc('\n', out);
	free(p);
}

/* {"runs":N, "orders":[{"order":[..], "count":..}]} */
struct json_object *report_orders_json(const struct report_orders *o)
{
	struct json_object *j = json_object_new_object();
	json_object_object_add(j, "runs", json_object_new_int(o->runs));
	struct json_object *arr = json_object_new_array();
	const struct report_order **p = report_orders_sorted(o);
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

/* Free what the orders own; the struct may be reused after. */
void report_orders_free(struct report_orders *o)
{
	for (size_t i = 0; i < o->n_orders; i++)
		free(o->orders[i].values);
	free(o->orders);
	memset(o, 0, sizeof *o);
}

/* --- one Process ------------------------------------------------------------ */

/* A moment of a Process's life as "120 us", or "-" if it never came. */
static void report_moment(char *buf, size_t len, double t)
{
	if (t < 0)
		snprintf(buf, len, "-");
	else
		report_format_secs(buf, len, t);
}

/* How a Process ended: "exit code 0" or "killed by SIGSEGV". */
static void report_exit(char *buf, size_t len, int code)
{
	if (code < 0) {
		const char *name = sigabbrev_np(-code);
		if (name != NULL)
			snprintf(buf, len, "killed by SIG%s", name);
		else
			snprintf(buf, len, "killed by signal %d", -code);
	} else {
		snprintf(buf, len, "exit code %d", code);
	}
}

/* The kernel's word for a child's state letter. */
static const char *report_proc_letter(char c)
{
	switch (c) {
	case 'R':
		return "running";
	case 'S':
	case 'D':
		return "sleeping";
	case 'Z':
		return "zombie";
	default:
		return "";
	}
}

/* One Process as text: when it was created, started, exited and joined. */
static void report_process_one(FILE *out, const struct run_request *req,
                               const struct proc_demo_snap *s)
{
	char c[32], st[32], ex[32], jo[32], how[48];
	report_moment(c, sizeof c, s->created_s);
	report_moment(st, sizeof st, s->started_s);
	report_moment(ex, sizeof ex, s->exited_s);
	report_moment(jo, sizeof jo, s->joined_s);
	report_exit(how, sizeof how, s->exit_code);
	fprintf(out, "Process(target=%s, args=(%" PRId64 ",)): pid %ld, parent %ld\n",
	        req->task->name, req->items[0], (long)s->pid, (long)s->parent_pid);
	fprintf(out, "  created %10s   Process()\n", c);
	fprintf(out, "  started %10s   start(): fork()ed\n", st);
	fprintf(out, "  exited  %10s   %s\n", ex, s->exited_s >= 0 ? how : "");
	fprintf(out, "  joined  %10s   join() reaped it", jo);
	if (s->exited_s >= 0 && s->joined_s - s->exited_s >= 0.001) /* a visible wait only */
		fprintf(out, "; a zombie for %.1f ms before that",
		        (s->joined_s - s->exited_s) * 1e3);
	fputc('\n', out);
	if (s->has_result)
		fprintf(out, "result: %" PRId64 "\n", s->result);
	else
		fprintf(out, "result: None\n");
}

/* Several Processes as text: the loop, a line per child, who was joined. */
static void report_process_many(FILE *out, const struct run_request *req,
                                const struct proc_demo_snap *s)
{
	fprintf(out,
	        "for i in items: Process(target=%s, args=(i,)).start()   # %zu Processes, "
	        "parent %ld\n",
	        req->task->name, s->n_procs, (long)s->parent_pid);
	fprintf(out, "  %-4s %8s %8s %10s %10s %10s %10s  %s\n", "proc", "item", "pid", "started",
	        "ran", "exited", s->joins ? "joined" : "reaped", "how it ended");
	for (size_t k = 0; k < s->n_procs; k++) {
		const struct proc_demo_child *p = &s->procs[k];
		char st[32], ran[32], ex[32], end[32], how[48];
		report_moment(st, sizeof st, p->started_s);
		report_moment(ran, sizeof ran, p->ran_s);
		report_moment(ex, sizeof ex, p->exited_s);
		report_moment(end, sizeof end, s->joins ? p->joined_s : p->reaped_s);
		report_exit(how, sizeof how, p->exit_code);
		fprintf(out, "  p%-3zu %8" PRId64 " %8ld %10s %10s %10s %10s  %s", k, p->item,
		        (long)p->pid, st, ran, ex, end, p->exited_s >= 0 ? how : "");
		if (p->exited_s >= 0 && p->reaped_s - p->exited_s >= 0.0001)
			fprintf(out, ", a zombie for %.1f ms", (p->reaped_s - p->exited_s) * 1e3);
		else if (p->exited_s < 0 && p->proc_state != 0)
			fprintf(out, "%s", report_proc_letter(p->proc_state));
		if (p->has_result)
			fprintf(out, ", returned %" PRId64, p->result);
		fputc('\n', out);
	}
	if (s->joins)
		fprintf(out, "  each was join()ed %d ms after its start, or at its exit if later\n",
		        req->join_after_ms);
	else
		fprintf(out,
		        "  the program never calls join(): each child stays a zombie after its "
		        "exit;\n  mptutor reaps them all at the end (it always does), as Python "
		        "joins the children\n  a program left when it exits\n");
}

/* One Process, or several started in a loop, as text; then what they printed. */
void report_process_text(FILE *out, const struct run_request *req, const struct proc_demo_snap *s)
{
	if (s->procs == NULL || s->n_procs <= 1)
		report_process_one(out, req, s);
	else
		report_process_many(out, req, s);
	if (s->n_output > 0)
		fprintf(out, "output (%zu line%s%s):\n", s->n_output, s->n_output == 1 ? "" : "s",
		        s->n_procs > 1 ? ", in the order the writes reached the one shared stdout"
		                       : "");
	for (size_t i = 0; i < s->n_output; i++) {
		char t[32];
		report_format_secs(t, sizeof t, s->output[i].t_s);
		fprintf(out, "  %10s  %s\n", t, s->output[i].text);
	}
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
	json_object_object_add(o, "result", p->has_result ? json_object_new_int64(p->result) : NULL);
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
