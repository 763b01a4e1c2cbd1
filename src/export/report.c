/*
 * report.c — what every report format shares: seconds and the results list
 * as a person reads them (the tutor's panels use these too), the word for a
 * worker's state, the family reference of a compare row, the output orders
 * of repeated runs most frequent first (their tally is session/orders.h),
 * and the `tasks` listing. Formats (text.c,
 * json.c) read snapshots through these; none of this touches a run.
 */
#include <inttypes.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

#include "engine/task.h"
#include "export/report.h"

/* "×" where the locale speaks UTF-8, else "x". */
const char *report_times(void)
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

/* Bytes for a person: "812 B", "1.2 kB", "3.4 MB" (powers of 1000). */
void report_format_bytes(char *buf, size_t len, long long b)
{
	if (b < 1000)
		snprintf(buf, len, "%lld B", b);
	else if (b < 1000000)
		snprintf(buf, len, "%.1f kB", (double)b / 1e3);
	else
		snprintf(buf, len, "%.1f MB", (double)b / 1e6);
}

/* --- the interpreter of a py-* run ------------------------------------------ */

/* What a build does with the GIL: "GIL on", "free-threaded, no GIL"... (static). */
const char *report_python_gil_word(bool free_threaded, bool gil_on)
{
	if (!gil_on)
		return free_threaded ? "free-threaded, no GIL" : "GIL off";
	return free_threaded ? "free-threaded build, GIL on" : "GIL on";
}

/* "CPython 3.11.7, GIL on, fork; interpreter start 64 ms; pool start 10 ms;
 * pickled 1.2 kB out, 0.8 kB back" of a py-* run into buf; "" for the others. */
void report_python_summary(char *buf, size_t len, const struct run_snapshot *s)
{
	const struct run_python *py = s->python;
	if (len == 0)
		return;
	buf[0] = '\0';
	if (py == NULL)
		return;
	char start[32], pool[32];
	report_format_secs(start, sizeof start, py->interp_startup_s);
	report_format_secs(pool, sizeof pool, s->startup_s);
	const char *impl =
	    py->implementation != NULL && py->implementation[0] != '\0'
	        ? (strcmp(py->implementation, "cpython") == 0 ? "CPython" : py->implementation)
	        : "Python";
	int w = snprintf(buf, len, "%s %s, %s%s%s; interpreter start %s; pool start %s", impl,
	                 py->version != NULL && py->version[0] ? py->version : "?",
	                 report_python_gil_word(py->free_threaded, py->gil),
	                 py->start_method != NULL ? ", " : "",
	                 py->start_method != NULL ? py->start_method : "", start, pool);
	if (w < 0 || (size_t)w >= len || (py->msgs_sent == 0 && py->msgs_recvd == 0))
		return;
	char out[32], back[32];
	report_format_bytes(out, sizeof out, py->bytes_sent);
	report_format_bytes(back, sizeof back, py->bytes_recvd);
	snprintf(buf + w, len - (size_t)w, "; pickled %s out, %s back (%ld + %ld messages)", out,
	         back, py->msgs_sent, py->msgs_recvd);
}

/* Wall time per item of a finished map (the hand-off cost at its chunksize), 0 if none. */
double report_per_item_s(const struct run_snapshot *s)
{
	return s->n_items > 0 ? s->wall_s / (double)s->n_items : 0.0;
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
	unsigned st = s->recs != NULL ? run_item_status(s, i) : ITEM_DONE;
	if (st == ITEM_PENDING || st == ITEM_RUNNING)
		return snprintf(buf, len, "?");
	if (st == ITEM_FAILED || !s->task_returns || s->results == NULL)
		return snprintf(buf, len, "None");
	return snprintf(buf, len, "%" PRId64, s->results[i]);
}

/* The order of positions for an unordered run: completion order, then the
 * items not completed; NULL (identity) for an ordered run. Caller frees. */
size_t *report_sequence(const struct run_snapshot *s, bool *oom)
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
	size_t *seq = report_sequence(s, &oom);
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

/* --- words the formats share ------------------------------------------------ */

/* The one-word state of a worker. */
const char *report_worker_state(enum worker_state st)
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

/* --- compare ---------------------------------------------------------------- */

/* Do two finished runs of the same items give the same results? */
bool report_results_match(const struct run_snapshot *a, const struct run_snapshot *b)
{
	if (a->n_items != b->n_items || a->n_failed != b->n_failed)
		return false;
	if (a->n_items > 0 && (a->recs == NULL || b->recs == NULL))
		return a->recs == b->recs;
	for (size_t i = 0; i < a->n_items; i++) {
		unsigned st = run_item_status(a, i);
		if (st != run_item_status(b, i))
			return false;
		if (a->task_returns && st == ITEM_DONE && a->results[i] != b->results[i])
			return false;
	}
	return true;
}

/* The run of s's family baseline among snaps (s itself for a serial run), or NULL. */
const struct run_snapshot *report_reference(const struct run_snapshot *s,
                                            const struct run_snapshot *const *snaps, size_t n)
{
	enum backend_kind base = backend_baseline(s->backend);
	for (size_t i = 0; i < n; i++)
		if (snaps[i]->backend == base)
			return snaps[i];
	return NULL;
}

/* --- repeated runs (the tally is session/orders.h) ------------------------- */

/* Compare orders by count, most frequent first (for qsort). */
static int report_order_cmp(const void *a, const void *b)
{
	const struct session_order *x = *(const struct session_order *const *)a;
	const struct session_order *y = *(const struct session_order *const *)b;
	return (y->count > x->count) - (y->count < x->count);
}

/* The orders as pointers sorted most frequent first; caller frees. */
const struct session_order **report_orders_sorted(const struct session_orders *o)
{
	const struct session_order **p = malloc((o->n_orders ? o->n_orders : 1) * sizeof *p);
	if (p == NULL)
		return NULL;
	for (size_t i = 0; i < o->n_orders; i++)
		p[i] = &o->orders[i];
	qsort(p, o->n_orders, sizeof *p, report_order_cmp);
	return p;
}

/* The compare's rows' loads summed (a compare runs each backend at most once). */
void report_compare_machine(const struct run_snapshot *const *snaps, size_t n,
                            struct machine_load *out)
{
	const struct machine_load *loads[BACKEND_COUNT];
	size_t k = 0;
	for (size_t i = 0; i < n && k < BACKEND_COUNT; i++)
		loads[k++] = &snaps[i]->machine;
	machine_load_sum(loads, k, out);
}

/* The load row s's speedup was measured under: its span and its family
 * baseline's among snaps (machine_load_speedup decides). */
void report_speedup_machine(const struct run_snapshot *s, const struct run_snapshot *const *snaps,
                            size_t n, struct machine_load *out)
{
	const struct run_snapshot *ref = report_reference(s, snaps, n);
	machine_load_speedup(&s->machine, ref != NULL ? &ref->machine : NULL, out);
}

/* The note, as machine_load_note words it. */
const char *report_machine_note(const struct machine_load *l, char *buf, size_t len)
{
	return machine_load_note(l, buf, len);
}

/* "12%" or "-". */
const char *report_machine_pct(const struct machine_load *l, char *buf, size_t len)
{
	if (l->valid)
		snprintf(buf, len, "%.0f%%", 100 * l->busy);
	else
		snprintf(buf, len, "-");
	return buf;
}
