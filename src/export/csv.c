/*
 * csv.c — the csv format: a report as one RFC 4180 table for a spreadsheet,
 * pandas or sqlite. One table a report, its first column `record` saying
 * what a row is, so every row has the same fields and a reader filters on
 * it (`df[df.record == "item"]`):
 *   run, compare: an "item" row per item that ran (its backend, worker, pid,
 *     tid, index, value, start_s, end_s, done/failed, result, the error), then
 *     a "worker" row per worker (tasks, cpu_s, busy_s, gil_held_s, gil_wait_s);
 *     a compare writes each run's rows in turn, the backend column telling
 *     them apart; "order" rows (count, order) after --repeat N;
 *   process: a "process" row per Process and an "output" row per line;
 *   the orders of --repeat alone: "order" rows (count, order).
 * Fields are quoted only when they hold a comma, a quote or a line break
 * (quotes doubled); lines end in CRLF, as the RFC says. Streamed a row at a
 * time: a million items are never held in memory.
 *   sweep: a table of its own, a "point" row per point (backend, workers,
 *     wall_s, cpu_s, speedup, efficiency, oversubscribed, baseline, n_failed),
 *     then a "fit" row per curve (its baseline and Amdahl's serial fraction).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/task.h"
#include "export/format.h"
#include "export/jsonw.h"

/* A row being built: fields appended, then written in one go. */
struct csv_row {
	FILE *out;
	char buf[1024];
	size_t len;
	bool any; /* a field is in the row */
};

/* The run and compare table's columns. */
static const char csv_run_head[] =
    "record,backend,worker,pid,tid,index,item,start_s,end_s,status,result,tasks,cpu_s,busy_s,"
    "gil_held_s,gil_wait_s,error,count,order";
/* The process table's columns. */
static const char csv_process_head[] =
    "record,index,item,pid,exit_code,started_s,ran_s,exited_s,joined_s,reaped_s,result,t_s,"
    "text,count,order";

/* Start a row on out. */
static void csv_begin(struct csv_row *r, FILE *out)
{
	r->out = out;
	r->len = 0;
	r->any = false;
}

/* n bytes to the row (flushing what is there when it is full). */
static void csv_put(struct csv_row *r, const char *p, size_t n)
{
	if (r->len + n > sizeof r->buf) {
		fwrite(r->buf, 1, r->len, r->out);
		r->len = 0;
		if (n > sizeof r->buf) {
			fwrite(p, 1, n, r->out);
			return;
		}
	}
	memcpy(r->buf + r->len, p, n);
	r->len += n;
}

/* The comma before a field. */
static void csv_sep(struct csv_row *r)
{
	if (r->any)
		csv_put(r, ",", 1);
	r->any = true;
}

/* A text field, quoted if it needs it. */
static void csv_text(struct csv_row *r, const char *s)
{
	csv_sep(r);
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		csv_put(r, s, strlen(s));
		return;
	}
	csv_put(r, "\"", 1);
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '"')
			csv_put(r, "\"", 1);
		csv_put(r, p, 1);
	}
	csv_put(r, "\"", 1);
}

/* An empty field. */
static void csv_empty(struct csv_row *r)
{
	csv_sep(r);
}

/* A whole number. */
static void csv_int(struct csv_row *r, int64_t v)
{
	char b[24];
	csv_sep(r);
	csv_put(r, b, jsonw_format_int(b, v));
}

/* Seconds to the microsecond; empty for a moment that never came (< 0) when optional. */
static void csv_secs(struct csv_row *r, double v, bool optional)
{
	char b[64];
	if (optional && v < 0) {
		csv_empty(r);
		return;
	}
	csv_sep(r);
	size_t n = jsonw_format_fixed(b, sizeof b, v, 6);
	if (strcmp(b, "null") == 0)
		return;
	csv_put(r, b, n);
}

/* n empty fields. */
static void csv_skip(struct csv_row *r, int n)
{
	for (int i = 0; i < n; i++)
		csv_empty(r);
}

/* End the row with CRLF and write it. */
static void csv_end(struct csv_row *r)
{
	csv_put(r, "\r\n", 2);
	fwrite(r->buf, 1, r->len, r->out);
	r->len = 0;
}

/* A header line. */
static void csv_head(FILE *out, const char *head)
{
	fputs(head, out);
	fputs("\r\n", out);
}

/* The word for an item's status. */
static const char *csv_status(unsigned st)
{
	switch (st) {
	case ITEM_DONE:
		return "done";
	case ITEM_FAILED:
		return "failed";
	case ITEM_RUNNING:
		return "running";
	default:
		return "pending";
	}
}

/* "order" rows of the tally: count and the order as numbers apart by spaces.
 * lead: the empty fields before count in this table. */
static int csv_orders_rows(FILE *out, const struct session_orders *o, int lead)
{
	const struct session_order **p = report_orders_sorted(o);
	if (p == NULL && o->n_orders > 0)
		return -1;
	for (size_t i = 0; i < o->n_orders; i++) {
		struct csv_row r;
		csv_begin(&r, out);
		csv_text(&r, "order");
		csv_skip(&r, lead);
		csv_int(&r, p[i]->count);
		csv_sep(&r);
		for (size_t k = 0; k < p[i]->n; k++) {
			char b[24];
			if (k)
				csv_put(&r, " ", 1);
			csv_put(&r, b, jsonw_format_int(b, p[i]->values[k]));
		}
		csv_end(&r);
	}
	free(p);
	return 0;
}

/* --- run and compare -------------------------------------------------------- */

/* The error message of each failed item, by index (NULL: none failed); caller frees. */
static const char **csv_messages(const struct run_snapshot *s, bool *oom)
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

/* One run's item and worker rows; -1 when out of memory. */
static int csv_run_rows(FILE *out, const struct run_snapshot *s)
{
	bool oom;
	const char **msg = csv_messages(s, &oom);
	if (oom)
		return -1;
	const char *backend = backend_name(s->backend);
	for (size_t i = 0; i < s->n_items && s->recs != NULL; i++) {
		const struct item_event ev = run_item_event(s, i), *e = &ev;
		unsigned st = run_item_status(s, i);
		if (e->worker < 0 && st != ITEM_FAILED)
			continue; /* never started */
		const struct worker_snap *p =
		    e->worker >= 0 && e->worker < s->workers && s->per_worker != NULL
		        ? &s->per_worker[e->worker]
		        : NULL;
		struct csv_row r;
		csv_begin(&r, out);
		csv_text(&r, "item");
		csv_text(&r, backend);
		if (e->worker >= 0)
			csv_int(&r, e->worker);
		else
			csv_empty(&r);
		pid_t pid = e->pid > 0 ? e->pid : p != NULL ? p->pid : 0;
		pid_t tid = e->tid > 0 ? e->tid : p != NULL ? p->tid : 0;
		if (pid > 0)
			csv_int(&r, pid);
		else
			csv_empty(&r);
		if (tid > 0)
			csv_int(&r, tid);
		else
			csv_empty(&r);
		csv_int(&r, (int64_t)i);
		csv_int(&r, s->items[i]);
		csv_secs(&r, e->start_s, false);
		csv_secs(&r, e->end_s, false);
		csv_text(&r, csv_status(st));
		if (st == ITEM_DONE && s->task_returns && s->results != NULL)
			csv_int(&r, s->results[i]);
		else
			csv_empty(&r);
		csv_skip(&r, 5); /* the worker columns */
		csv_text(&r, msg != NULL ? msg[i] : NULL);
		csv_skip(&r, 2);
		csv_end(&r);
	}
	free(msg);
	for (int w = 0; w < s->workers && s->per_worker != NULL; w++) {
		const struct worker_snap *p = &s->per_worker[w];
		struct csv_row r;
		csv_begin(&r, out);
		csv_text(&r, "worker");
		csv_text(&r, backend);
		csv_int(&r, p->id);
		csv_int(&r, p->pid);
		csv_int(&r, p->tid);
		csv_skip(&r, 6); /* the item columns */
		csv_int(&r, p->tasks);
		csv_secs(&r, p->cpu_s, false);
		csv_secs(&r, p->busy_s, false);
		csv_secs(&r, p->gil_held_s, false);
		csv_secs(&r, p->gil_wait_s, false);
		csv_skip(&r, 3);
		csv_end(&r);
	}
	return 0;
}

/* The csv row's run: the table, and the orders of --repeat as "order" rows. */
static int csv_run(FILE *out, const struct run_snapshot *s, const struct session_orders *repeat,
                   char *err, size_t errlen)
{
	csv_head(out, csv_run_head);
	if (csv_run_rows(out, s) != 0 ||
	    (repeat != NULL && csv_orders_rows(out, repeat, 16) != 0)) {
		snprintf(err, errlen, "out of memory writing the CSV report");
		return -1;
	}
	return 0;
}

/* The csv row's compare: each run's rows in turn under one header. */
static int csv_compare(FILE *out, const struct run_request *req,
                       const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen)
{
	(void)req;
	csv_head(out, csv_run_head);
	for (size_t i = 0; i < n; i++)
		if (csv_run_rows(out, snaps[i]) != 0) {
			snprintf(err, errlen, "out of memory writing the CSV report");
			return -1;
		}
	return 0;
}

/* --- one Process ------------------------------------------------------------ */

/* The csv row's process: a "process" row per Process, an "output" row per line. */
static int csv_process(FILE *out, const struct run_request *req, const struct proc_demo_snap *s,
                       const struct session_orders *repeat, char *err, size_t errlen)
{
	struct proc_demo_child one;
	const struct proc_demo_child *procs = s->procs;
	size_t n = s->n_procs;
	if (procs == NULL || n == 0) { /* a snapshot of one Process told at the top level */
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
	csv_head(out, csv_process_head);
	for (size_t k = 0; k < n; k++) {
		const struct proc_demo_child *p = &procs[k];
		struct csv_row r;
		csv_begin(&r, out);
		csv_text(&r, "process");
		csv_int(&r, (int64_t)k);
		csv_int(&r, p->item);
		csv_int(&r, p->pid);
		csv_int(&r, p->exit_code);
		csv_secs(&r, p->started_s, true);
		csv_secs(&r, p->ran_s, true);
		csv_secs(&r, p->exited_s, true);
		csv_secs(&r, p->joined_s, true);
		csv_secs(&r, p->reaped_s, true);
		if (p->has_result)
			csv_int(&r, p->result);
		else
			csv_empty(&r);
		csv_skip(&r, 4);
		csv_end(&r);
	}
	for (size_t i = 0; i < s->n_output; i++) {
		struct csv_row r;
		csv_begin(&r, out);
		csv_text(&r, "output");
		csv_skip(&r, 10);
		csv_secs(&r, s->output[i].t_s, false);
		csv_text(&r, s->output[i].text);
		csv_skip(&r, 2);
		csv_end(&r);
	}
	if (repeat != NULL && csv_orders_rows(out, repeat, 12) != 0) {
		snprintf(err, errlen, "out of memory writing the CSV report");
		return -1;
	}
	return 0;
}

/* --- repeated runs ---------------------------------------------------------- */

/* The csv row's orders: "record,count,order", a row per distinct order (the
 * counts add up to the runs). */
static int csv_orders(FILE *out, const struct session_orders *o, char *err, size_t errlen)
{
	csv_head(out, "record,count,order");
	if (csv_orders_rows(out, o, 0) == 0)
		return 0;
	snprintf(err, errlen, "out of memory writing the CSV report");
	return -1;
}

/* The sweep table's columns. */
static const char csv_sweep_head[] =
    "record,backend,workers,wall_s,cpu_s,speedup,efficiency,oversubscribed,baseline,n_failed,"
    "serial_fraction,serial_fraction_se,rms_residual,fit_points,why";

/* A number to `decimals`, empty when not finite. */
static void csv_fixed(struct csv_row *r, double v, int decimals)
{
	char b[64];
	csv_sep(r);
	if (!isfinite(v))
		return;
	csv_put(r, b, jsonw_format_fixed(b, sizeof b, v, decimals));
}

/* The csv row's sweep: a "point" row per point, a "fit" row per swept curve. */
static int csv_sweep(FILE *out, const struct run_request *req, const struct sweep_report *rp,
                     const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen)
{
	(void)req, (void)snaps, (void)n, (void)err, (void)errlen;
	struct csv_row r;
	csv_head(out, csv_sweep_head);
	for (size_t i = 0; i < rp->n_pts; i++) {
		const struct sweep_point *p = &rp->pts[i];
		csv_begin(&r, out);
		csv_text(&r, "point");
		csv_text(&r, backend_name(p->backend));
		csv_int(&r, p->workers);
		csv_fixed(&r, p->done ? p->wall_s : NAN, 6);
		csv_fixed(&r, p->done ? p->cpu_s : NAN, 6);
		csv_fixed(&r, p->speedup, 4);
		csv_fixed(&r, p->efficiency, 4);
		csv_text(&r, p->oversubscribed ? "true" : "false");
		csv_text(&r, p->is_baseline ? "true" : "false");
		csv_int(&r, (int64_t)p->n_failed);
		csv_skip(&r, 5);
		csv_end(&r);
	}
	for (size_t c = 0; c < rp->n_curves; c++) {
		const struct sweep_curve *cv = &rp->curves[c];
		if (backend_get(cv->backend)->serial)
			continue;
		char base[64];
		sweep_base_text(rp, cv, base, sizeof base);
		csv_begin(&r, out);
		csv_text(&r, "fit");
		csv_text(&r, backend_name(cv->backend));
		csv_skip(&r, 6);
		csv_text(&r, base);
		csv_empty(&r);
		csv_fixed(&r, cv->fit.ok ? cv->fit.f : NAN, 6);
		csv_fixed(&r, cv->fit.ok ? cv->fit.f_se : NAN, 6);
		csv_fixed(&r, cv->fit.ok ? cv->fit.rms : NAN, 6);
		csv_int(&r, (int64_t)cv->fit.m);
		csv_text(&r, cv->fit.ok ? "" : cv->fit.why);
		csv_end(&r);
	}
	return 0;
}

const struct export_format export_csv = {
    .name = "csv",
    .summary = "for a spreadsheet: one RFC 4180 table, a row per item and per worker",
    .run = csv_run,
    .compare = csv_compare,
    .process = csv_process,
    .orders = csv_orders,
    .sweep = csv_sweep,
};
