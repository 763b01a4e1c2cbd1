/*
 * text.c — the text format: reports for a person at a glance. A run is a
 * header, a small timing table, one line per worker and the results as
 * Python prints a list; a compare is one row per backend; a Process demo
 * tells each child's life; the orders of --repeat come last, most frequent
 * first. Written line by line to the stream, nothing built in memory.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/task.h"
#include "export/format.h"
#include "export/pyrunrep.h"
#include "export/text.h"

/* Most output lines a text report shows (JSON has them all). */
#define REPORT_MAX_OUTPUT 40
/* Widest results list a text report prints. */
#define REPORT_LIST_CHARS 200
/* Shortest map whose CPU/wall ratio is shown as parallelism. */
#define REPORT_MIN_WALL_S 0.02

/* --- run, as text ----------------------------------------------------------- */

/* A py-* run's interpreter, per-item cost, how the GIL was measured, its fault. */
static void report_python_text(FILE *out, const struct run_snapshot *s)
{
	if (s->python != NULL) {
		char line[400], per[32];
		report_python_summary(line, sizeof line, s);
		fprintf(out, "  %s\n", line);
		report_format_secs(per, sizeof per, report_per_item_s(s));
		if (s->n_items > 0)
			fprintf(out,
			        "  per item: %s of wall at chunksize %ld (the hand-off cost and "
			        "the work)\n",
			        per, s->chunksize);
		if (s->python->gil_measured != NULL)
			fprintf(out, "  GIL measured: %s\n", s->python->gil_measured);
	}
	if (s->fault != NULL)
		fprintf(out, "  ended early: %s\n", s->fault);
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
	char busy[16], note[160];
	fprintf(out,
	        "  wall %s   CPU %s   parallelism %s   startup %s   teardown %s   other work %s\n",
	        wall, cpu, par, start, tear, report_machine_pct(&s->machine, busy, sizeof busy));
	if (report_machine_note(&s->machine, note, sizeof note)[0])
		fprintf(out, "  note: %s\n", note);
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
	if (s->switches != NULL) /* the GIL model's hand-offs; the real GIL has no log */
		fprintf(out, "  GIL hand-offs: %zu\n", s->n_switches);
	if (s->items_grouped > 0)
		fprintf(out,
		        "  item times: %zu of %zu items were fast and ran in groups, timed per "
		        "group (each item's start and end are its group's time spread evenly, "
		        "not measured)\n",
		        s->items_grouped, s->n_items);
	report_python_text(out, s);
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

/* --- compare ---------------------------------------------------------------- */

/* A comparison as text: one row per backend. */
void report_compare_text(FILE *out, const struct run_request *req,
                         const struct run_snapshot *const *snaps, size_t n)
{
	fprintf(out, "%s: %zu item%s, %d worker%s, chunksize %ld%s\n", req->task->name,
	        req->n_items, req->n_items == 1 ? "" : "s", req->workers,
	        req->workers == 1 ? "" : "s", req->chunksize, req->unordered ? ", unordered" : "");
	fprintf(out, "  %-10s %10s %10s %8s %10s %10s %6s  %s\n", "backend", "wall", "CPU",
	        "speedup", "efficiency", "startup", "others", "results match baseline");
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
			snprintf(eff, sizeof eff, "%.2f",
			         s->workers > 0 ? speedup / s->workers : 0.0);
		} else {
			snprintf(sp, sizeof sp,
			         "-"); /* no baseline of its family in this compare */
		}
		/* each row against its own family's baseline, named: "yes (py-serial)" */
		char match[48] = "-";
		if (ref == s)
			snprintf(match, sizeof match, "(reference)");
		else if (ref != NULL)
			snprintf(match, sizeof match, "%s (%s)",
			         report_results_match(ref, s) ? "yes" : "no",
			         backend_name(ref->backend));
		char busy[16];
		fprintf(out, "  %-10s %10s %10s %8s %10s %10s %6s  %s\n", backend_name(s->backend),
		        wall, cpu, sp, eff, start,
		        report_machine_pct(&s->machine, busy, sizeof busy), match);
	}
	/* beside the speedups the load spoiled: each row's note, judged over the
	 * row and its baseline together (machine_load_speedup) */
	for (size_t i = 0; i < n; i++) {
		char note[160];
		struct machine_load l;
		report_speedup_machine(snaps[i], snaps, n, &l);
		if (report_machine_note(&l, note, sizeof note)[0])
			fprintf(out, "  %-10s %s\n", backend_name(snaps[i]->backend), note);
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

/* --- repeated runs ---------------------------------------------------------- */

/* "orders seen in 20 runs: 0 1 2 3 x12, 1 0 2 3 x5" (most frequent first). */
void report_orders_text(FILE *out, const struct session_orders *o)
{
	const struct session_order **p = report_orders_sorted(o);
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
	else if (s->python != NULL)
		fprintf(out,
		        "  the program never calls join(): each child stays a zombie after its "
		        "exit;\n  the interpreter joins them all once every one has exited, as "
		        "Python joins\n  the children a program left when it exits\n");
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
	if (s->python != NULL) {
		const struct run_python *py = s->python;
		char start[32];
		report_format_secs(start, sizeof start, py->interp_startup_s);
		fprintf(
		    out,
		    "  run by %s %s (%s), %s, start method %s; interpreter pid %d, its start %s\n",
		    py->implementation && strcmp(py->implementation, "cpython") == 0
		        ? "CPython"
		        : (py->implementation ? py->implementation : "Python"),
		    py->version ? py->version : "?", py->path ? py->path : "?",
		    report_python_gil_word(py->free_threaded, py->gil),
		    py->start_method ? py->start_method : "?", (int)py->pid, start);
	}
	if (s->fault != NULL)
		fprintf(out, "  ended early: %s\n", s->fault);
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

/* --- the interpreters ------------------------------------------------------ */

/* The interpreters found: a block of three lines each, or a line saying none. */
void report_pythons_text(FILE *out, const struct python_info *py, size_t n)
{
	if (n == 0) {
		fprintf(out, "no Python interpreter found on PATH (looked for python3, python3.N "
		             "and python3.Nt)\n");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct python_info *p = &py[i];
		fprintf(out, "%s: %s %s, %s", p->path,
		        strcmp(p->implementation, "cpython") == 0 ? "CPython" : p->implementation,
		        p->version, report_python_gil_word(p->free_threaded, p->gil_enabled));
		if (strcmp(p->real, p->path) != 0)
			fprintf(out, " (%s)", p->real);
		fprintf(out, "\n  start methods:");
		const char *m = p->start_methods;
		for (int k = 0; *m != '\0'; k++) {
			size_t len = strcspn(m, ",");
			fprintf(out, "%s%.*s%s", k ? ", " : " ", (int)len, m,
			        strlen(p->default_method) == len &&
			                strncmp(m, p->default_method, len) == 0
			            ? " (default)"
			            : "");
			m += len + (m[len] == ',');
		}
		fprintf(out, "\n  concurrent.interpreters: %s   InterpreterPoolExecutor: %s\n",
		        p->interpreters ? "yes" : "no", p->interpreter_pool ? "yes" : "no");
	}
}

/* --- sweep ------------------------------------------------------------------ */

/* "±" where the locale speaks UTF-8 (as report_times), else "+/-". */
static const char *report_pm(void)
{
	return strcmp(report_times(), "x") == 0 ? "+/-" : "\u00b1";
}

/* A sweep as text: what ran, a row per point, and per curve its baseline and
 * the fit in a line a learner reads. */
void report_sweep_text(FILE *out, const struct run_request *req, const struct sweep_report *r)
{
	const char *x = report_times();
	fprintf(out, "sweep %s: %zu item%s, workers", req->task->name, req->n_items,
	        req->n_items == 1 ? "" : "s");
	for (size_t i = 0; i < req->n_sweep_workers && i < 12; i++)
		fprintf(out, "%s%d", i ? "," : " ", req->sweep_workers[i]);
	if (req->n_sweep_workers > 12)
		fprintf(out, ",..,%d", req->sweep_workers[req->n_sweep_workers - 1]);
	fprintf(out, ", %d CPU%s usable, chunksize %s%s\n", r->cpus, r->cpus == 1 ? "" : "s",
	        req->chunksize_given ? "as -c" : "by Pool.map's rule at each point",
	        req->unordered ? ", unordered" : "");
	fprintf(out, "  %-10s %7s %10s %10s %8s %10s\n", "backend", "workers", "wall", "CPU",
	        "speedup", "efficiency");
	for (size_t i = 0; i < r->n_pts; i++) {
		const struct sweep_point *p = &r->pts[i];
		char wall[32] = "-", cpu[32] = "-", sp[32] = "-", eff[32] = "-", note[96] = "";
		if (p->done) {
			report_format_secs(wall, sizeof wall, p->wall_s);
			report_format_secs(cpu, sizeof cpu, p->cpu_s);
		}
		if (isfinite(p->speedup)) {
			snprintf(sp, sizeof sp, "%.2f%s", p->speedup, x);
			snprintf(eff, sizeof eff, "%.0f%%", 100 * p->efficiency);
		}
		if (p->is_baseline)
			snprintf(note, sizeof note, "  baseline");
		else if (p->oversubscribed)
			snprintf(note, sizeof note, "  oversubscribed: %d workers on %d CPUs",
			         p->workers, r->cpus);
		if (p->n_failed)
			snprintf(note + strlen(note), sizeof note - strlen(note), "  %zu failed",
			         p->n_failed);
		fprintf(out, "  %-10s %7d %10s %10s %8s %10s%s\n", backend_name(p->backend),
		        p->workers, wall, cpu, sp, eff, note);
	}
	for (size_t c = 0; c < r->n_curves; c++) {
		const struct sweep_curve *cv = &r->curves[c];
		if (backend_get(cv->backend)->serial)
			continue;
		char base[64], fit[200];
		sweep_base_text(r, cv, base, sizeof base);
		sweep_fit_text(&cv->fit, report_pm(), x, fit, sizeof fit);
		fprintf(out, "%s: speedup against %s\n", backend_name(cv->backend), base);
		if (cv->fit.ok) {
			fprintf(out, "  Amdahl fit of %zu point%s", cv->fit.m,
			        cv->fit.m == 1 ? "" : "s");
			if (cv->fit.m_over)
				fprintf(
				    out,
				    " (%zu oversubscribed, counted at %d workers: no more cores)",
				    cv->fit.m_over, r->cpus);
			fprintf(out, ", rms residual %.3f%s, error from the residuals\n",
			        cv->fit.rms, x);
			fprintf(out, "  %s; %.2f%s on these %d CPUs\n", fit,
			        sweep_amdahl(cv->fit.f, r->cpus, r->cpus), x, r->cpus);
		} else {
			fprintf(out, "  %s\n", fit);
		}
	}
}

/* --- the row ---------------------------------------------------------------- */

/* The text row's run: the report, then the orders of --repeat if any. */
static int text_run(FILE *out, const struct run_snapshot *s, const struct session_orders *repeat,
                    char *err, size_t errlen)
{
	(void)err, (void)errlen;
	report_run_text(out, s);
	if (repeat != NULL)
		report_orders_text(out, repeat);
	return 0;
}

/* The text row's compare. */
static int text_compare(FILE *out, const struct run_request *req,
                        const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	report_compare_text(out, req, snaps, n);
	return 0;
}

/* The text row's process: the Processes' lives, then the orders of --repeat if any. */
static int text_process(FILE *out, const struct run_request *req, const struct proc_demo_snap *s,
                        const struct session_orders *repeat, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	report_process_text(out, req, s);
	if (repeat != NULL)
		report_orders_text(out, repeat);
	return 0;
}

/* The text row's orders: one line. */
static int text_orders(FILE *out, const struct session_orders *o, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	report_orders_text(out, o);
	return 0;
}

/* The text row's pythons. */
static int text_pythons(FILE *out, const struct python_info *py, size_t n, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	report_pythons_text(out, py, n);
	return 0;
}

/* The text row's sweep. */
static int text_sweep(FILE *out, const struct run_request *req, const struct sweep_report *r,
                      const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	report_sweep_text(out, req, r);
	/* beside the points the load spoiled: each one's own note */
	for (size_t i = 0; snaps != NULL && i < n; i++) {
		char note[160];
		if (snaps[i] != NULL &&
		    report_machine_note(&snaps[i]->machine, note, sizeof note)[0])
			fprintf(out, "  %-10s %3d worker%s: %s\n", backend_name(snaps[i]->backend),
			        snaps[i]->workers, snaps[i]->workers == 1 ? " " : "s", note);
	}
	return 0;
}

const struct export_format export_text = {
    .name = "text",
    .summary = "for a person: a header, timings, a line per worker, the results list",
    .run = text_run,
    .compare = text_compare,
    .process = text_process,
    .orders = text_orders,
    .pythons = text_pythons,
    .sweep = text_sweep,
    .pyrun = pyrun_report_text,
};
