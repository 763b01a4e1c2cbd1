/*
 * test_recording.c — recordings: a run, a compare and a Process demo written
 * and loaded back with every field equal (a gil run's timelines and
 * hand-offs, a crash run's errors, a py-* run's interpreter and fault, the
 * output), a sweep's every point and its report recomputed equal, and
 * every refusal of a bad file with the JSON path it names: newer and older
 * formats, truncated, wrong types, huge counts, negative times, indices out
 * of range, a sweep's points out of order or not its backends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "export/recording.h"
#include "session/session.h"

/* Parse a command's words into req, as every front end does. */
static void parse(enum run_kind kind, const char *line, struct run_request *req)
{
	int argc;
	char **argv, err[256];
	assert_int_equal(cmd_split(line, &argc, &argv, err, sizeof err), 0);
	if (cmd_parse_request(kind, argc, argv, req, err, sizeof err) != 0)
		fail_msg("%s: %s", line, err);
	cmd_split_free(argc, argv);
}

/* Run req to its end in a session. */
static struct session *run_session(const struct run_request *req)
{
	struct session *ss;
	char err[256];
	if (session_start(req, NULL, &ss, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(session_wait(ss, -1), SESSION_DONE);
	return ss;
}

/* Write src and parse it back into rec; the text is returned (caller frees). */
static char *round_trip(const struct recording_src *src, struct recording *rec)
{
	char *text = NULL, err[512];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(recording_write(f, src, err, sizeof err), 0);
	fclose(f);
	if (recording_parse(text, len, rec, err, sizeof err) != 0)
		fail_msg("%s", err);
	return text;
}

/* Two strings equal, NULL only with NULL. */
static void str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* Every field of two snapshots of a map equal. */
static void snap_eq(const struct run_snapshot *a, const struct run_snapshot *b)
{
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->backend, b->backend);
	assert_ptr_equal(a->task, b->task);
	assert_int_equal(a->workers, b->workers);
	assert_int_equal(a->chunksize, b->chunksize);
	assert_int_equal(a->unordered, b->unordered);
	assert_true(a->now_s == b->now_s && a->startup_s == b->startup_s &&
	            a->wall_s == b->wall_s && a->teardown_s == b->teardown_s &&
	            a->cpu_s == b->cpu_s && a->t0_unix_s == b->t0_unix_s);
	assert_int_equal(a->n_items, b->n_items);
	assert_int_equal(a->n_done, b->n_done);
	assert_int_equal(a->n_failed, b->n_failed);
	assert_int_equal(a->task_returns, b->task_returns);
	assert_int_equal(a->has_parent_counter, b->has_parent_counter);
	assert_int_equal(a->parent_counter, b->parent_counter);
	for (int w = 0; w < a->workers; w++) {
		const struct worker_snap *p = &a->per_worker[w], *q = &b->per_worker[w];
		assert_int_equal(p->id, q->id);
		assert_int_equal(p->pid, q->pid);
		assert_int_equal(p->tid, q->tid);
		assert_int_equal(p->restarts, q->restarts);
		assert_int_equal(p->state, q->state);
		assert_int_equal(p->core, q->core);
		assert_int_equal(p->proc_state, q->proc_state);
		assert_int_equal(p->tasks, q->tasks);
		assert_int_equal(p->cur_item, q->cur_item);
		assert_true(p->cpu_s == q->cpu_s && p->cpu_pct == q->cpu_pct &&
		            p->busy_s == q->busy_s && p->gil_held_s == q->gil_held_s &&
		            p->gil_wait_s == q->gil_wait_s && p->blocked_s == q->blocked_s);
		assert_int_equal(p->n_gil_marks, q->n_gil_marks);
		assert_int_equal(p->gil_marks_dropped, q->gil_marks_dropped);
		for (size_t k = 0; k < p->n_gil_marks; k++) {
			assert_true(p->gil_marks[k].t_s == q->gil_marks[k].t_s);
			assert_int_equal(p->gil_marks[k].act, q->gil_marks[k].act);
		}
	}
	for (size_t i = 0; i < a->n_items; i++) {
		assert_int_equal(a->items[i], b->items[i]);
		assert_int_equal(run_item_status(a, i), run_item_status(b, i));
		if (run_item_status(a, i) == ITEM_DONE)
			assert_int_equal(a->results[i], b->results[i]);
		struct item_event ea = run_item_event(a, i), eb = run_item_event(b, i);
		assert_int_equal(ea.worker, eb.worker);
		assert_int_equal(ea.pid, eb.pid);
		assert_int_equal(ea.tid, eb.tid);
		assert_true(ea.start_s == eb.start_s && ea.end_s == eb.end_s);
	}
	assert_int_equal(a->n_order, b->n_order);
	for (size_t i = 0; i < a->n_order; i++)
		assert_int_equal(a->order[i], b->order[i]);
	assert_int_equal(a->n_output, b->n_output);
	for (size_t i = 0; i < a->n_output; i++) {
		assert_int_equal(a->output[i].worker, b->output[i].worker);
		assert_true(a->output[i].t_s == b->output[i].t_s);
		str_eq(a->output[i].text, b->output[i].text);
	}
	assert_int_equal(a->n_errors, b->n_errors);
	for (size_t i = 0; i < a->n_errors; i++) {
		assert_int_equal(a->errors[i].item, b->errors[i].item);
		assert_int_equal(a->errors[i].worker, b->errors[i].worker);
		str_eq(a->errors[i].message, b->errors[i].message);
		assert_true(a->errors[i].t_s == b->errors[i].t_s);
	}
	assert_int_equal(a->n_switches, b->n_switches);
	for (size_t i = 0; i < a->n_switches; i++) {
		assert_true(a->switches[i].t_s == b->switches[i].t_s);
		assert_int_equal(a->switches[i].to, b->switches[i].to);
		assert_int_equal(a->switches[i].forced, b->switches[i].forced);
	}
	str_eq(a->fault, b->fault);
	assert_int_equal(a->python == NULL, b->python == NULL);
	if (a->python != NULL) {
		const struct run_python *p = a->python, *q = b->python;
		str_eq(p->path, q->path);
		str_eq(p->implementation, q->implementation);
		str_eq(p->version, q->version);
		str_eq(p->start_method, q->start_method);
		str_eq(p->gil_measured, q->gil_measured);
		str_eq(p->own_output, q->own_output);
		assert_int_equal(p->gil, q->gil);
		assert_int_equal(p->free_threaded, q->free_threaded);
		assert_int_equal(p->pid, q->pid);
		assert_true(p->interp_startup_s == q->interp_startup_s);
		assert_int_equal(p->bytes_sent, q->bytes_sent);
		assert_int_equal(p->bytes_recvd, q->bytes_recvd);
		assert_int_equal(p->msgs_sent, q->msgs_sent);
		assert_int_equal(p->msgs_recvd, q->msgs_recvd);
		assert_int_equal(p->exit_status, q->exit_status);
	}
}

/* The request's fields a replay reports. */
static void req_eq(const struct run_request *a, const struct run_request *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_ptr_equal(a->task, b->task);
	assert_int_equal(a->n_items, b->n_items);
	assert_memory_equal(a->items, b->items, a->n_items * sizeof *a->items);
	assert_int_equal(a->backend, b->backend);
	assert_int_equal(a->n_backends, b->n_backends);
	assert_memory_equal(a->backends, b->backends, a->n_backends * sizeof *a->backends);
	assert_int_equal(a->workers, b->workers);
	assert_int_equal(a->chunksize, b->chunksize);
	assert_int_equal(a->unordered, b->unordered);
	assert_true(a->switch_interval_s == b->switch_interval_s);
	assert_int_equal(a->join_after_ms, b->join_after_ms);
	assert_string_equal(a->python, b->python);
}

/* A compare of a gil (timelines, hand-offs) and a process run: every field back. */
static void test_compare_round_trip(void **state)
{
	(void)state;
	struct run_request req;
	parse(RUNKIND_COMPARE, "spin 6x2 -b serial,process,gil -w 2 -c 1", &req);
	struct session *ss = run_session(&req);
	const struct run_snapshot *ptrs[SESSION_MAX_ROWS];
	for (size_t i = 0; i < session_n_rows(ss); i++)
		ptrs[i] = session_row_snap(ss, i);
	struct recording_src src = {.req = &req, .runs = ptrs, .n_runs = session_n_rows(ss)};
	struct recording rec;
	free(round_trip(&src, &rec));
	assert_int_equal(rec.format, RECORDING_FORMAT);
	assert_int_equal(rec.n_runs, 3);
	assert_true(rec.machine.cores >= 1);
	assert_int_equal(strlen(rec.recorded_at), 20); /* 2026-01-02T03:04:05Z */
	req_eq(&req, &rec.req);
	bool marks = false;
	for (size_t i = 0; i < 3; i++) {
		snap_eq(ptrs[i], &rec.runs[i].snap);
		marks |= ptrs[i]->n_switches > 0;
	}
	assert_true(marks); /* the gil row's hand-offs were there to compare */
	recording_free(&rec);
	recording_free(&rec); /* safe twice */
	session_free(ss);
	run_request_free(&req);
}

/* Two doubles equal, NaN only with NaN. */
static void real_eq(double a, double b)
{
	if (isnan(a) || isnan(b))
		assert_true(isnan(a) && isnan(b));
	else
		assert_true(a == b);
}

/* Two sweep reports equal: every point, curve, baseline and fit. */
static void sweep_eq(const struct sweep_report *a, const struct sweep_report *b)
{
	assert_int_equal(a->cpus, b->cpus);
	assert_int_equal(a->n_pts, b->n_pts);
	assert_int_equal(a->n_done, b->n_done);
	for (size_t i = 0; i < a->n_pts; i++) {
		const struct sweep_point *p = &a->pts[i], *q = &b->pts[i];
		assert_int_equal(p->backend, q->backend);
		assert_int_equal(p->workers, q->workers);
		assert_int_equal(p->done, q->done);
		assert_int_equal(p->n_failed, q->n_failed);
		real_eq(p->wall_s, q->wall_s);
		real_eq(p->cpu_s, q->cpu_s);
		real_eq(p->speedup, q->speedup);
		real_eq(p->efficiency, q->efficiency);
		assert_int_equal(p->oversubscribed, q->oversubscribed);
		assert_int_equal(p->is_baseline, q->is_baseline);
	}
	assert_int_equal(a->n_curves, b->n_curves);
	for (size_t c = 0; c < a->n_curves; c++) {
		const struct sweep_curve *x = &a->curves[c], *y = &b->curves[c];
		assert_int_equal(x->backend, y->backend);
		assert_int_equal(x->first, y->first);
		assert_int_equal(x->n, y->n);
		assert_int_equal(x->base, y->base);
		assert_int_equal(x->own_base, y->own_base);
		assert_int_equal(x->fit.ok, y->fit.ok);
		real_eq(x->fit.f, y->fit.f);
		real_eq(x->fit.f_se, y->fit.f_se);
		real_eq(x->fit.rms, y->fit.rms);
		real_eq(x->fit.r2, y->fit.r2);
		assert_int_equal(x->fit.m, y->fit.m);
		assert_int_equal(x->fit.m_over, y->fit.m_over);
		assert_string_equal(x->fit.why, y->fit.why);
	}
}

/* A finished sweep session's runs, and its recording's source (ptrs: caller frees). */
static struct recording_src sweep_src(const struct run_request *req, const struct session *ss,
                                      const struct run_snapshot ***ptrs)
{
	size_t n = session_n_rows(ss);
	*ptrs = calloc(n, sizeof **ptrs);
	assert_non_null(*ptrs);
	for (size_t i = 0; i < n; i++)
		assert_non_null((*ptrs)[i] = session_row_snap(ss, i));
	return (struct recording_src){
	    .req = req, .runs = *ptrs, .n_runs = n, .sweep_cpus = session_sweep(ss)->cpus};
}

/* A sweep with a serial baseline (no 1-worker point) and two curves: every
 * point's run back, and the report the replay builds equal to the sweep's. */
static void test_sweep_round_trip(void **state)
{
	(void)state;
	struct run_request req;
	parse(RUNKIND_SWEEP, "square 1..40 -w 2,3 -b process,thread", &req);
	struct session *ss = run_session(&req);
	const struct run_snapshot **ptrs;
	struct recording_src src = sweep_src(&req, ss, &ptrs);
	assert_int_equal(src.n_runs, 5); /* serial, process 2 and 3, thread 2 and 3 */
	struct recording rec;
	char *text = round_trip(&src, &rec);
	assert_non_null(strstr(text, "\"kind\": \"sweep\""));
	assert_int_equal(rec.req.kind, RUNKIND_SWEEP);
	req_eq(&req, &rec.req);
	assert_int_equal(rec.req.n_sweep_workers, 2);
	assert_int_equal(rec.req.sweep_workers[0], 2);
	assert_int_equal(rec.req.sweep_workers[1], 3);
	assert_int_equal(rec.sweep_cpus, session_sweep(ss)->cpus);
	assert_int_equal(rec.n_runs, 5);
	for (size_t i = 0; i < rec.n_runs; i++)
		snap_eq(ptrs[i], &rec.runs[i].snap);
	/* the replay's session: the same points, baselines and fits */
	struct session *s2;
	char err[256];
	assert_int_equal(session_from_recording(&rec.req, rec.runs, rec.n_runs, NULL,
	                                        rec.sweep_cpus, &s2, err, sizeof err),
	                 0);
	sweep_eq(session_sweep(ss), session_sweep(s2));
	assert_int_equal(session_sweep(s2)->curves[1].base, 0); /* process against serial */
	assert_true(session_sweep(s2)->n_done == 5);
	/* replayed half way: fewer points measured, the chart's point under way named */
	struct sweep_report at;
	int going;
	assert_int_equal(session_sweep_at(s2, 0, &at, &going), 0);
	assert_int_equal(at.n_done, 0);
	assert_int_equal(going, 0);
	sweep_report_free(&at);
	assert_int_equal(session_sweep_at(s2, session_span(s2), &at, &going), 0);
	assert_int_equal(at.n_done, 5);
	assert_int_equal(going, -1);
	sweep_report_free(&at);
	session_free(s2);
	recording_free(&rec);
	/* recorded on 1 CPU: the fit is recomputed for 1 CPU, as sweep_report_build does */
	src.sweep_cpus = 1;
	free(round_trip(&src, &rec));
	assert_int_equal(rec.sweep_cpus, 1);
	assert_int_equal(session_from_recording(&rec.req, rec.runs, rec.n_runs, NULL,
	                                        rec.sweep_cpus, &s2, err, sizeof err),
	                 0);
	struct sweep_report one;
	const struct sweep_report *orig = session_sweep(ss);
	assert_int_equal(sweep_report_build(&one, 1, orig->pts, orig->n_pts), 0);
	sweep_eq(&one, session_sweep(s2));
	assert_true(session_sweep(s2)->pts[2].oversubscribed); /* 2 workers on 1 CPU */
	sweep_report_free(&one);
	session_free(s2);
	recording_free(&rec);
	/* a sweep's runs not its points are not written */
	FILE *f = fopen("/dev/null", "w");
	assert_non_null(f);
	src.n_runs = 4;
	assert_int_equal(recording_write(f, &src, err, sizeof err), -1);
	assert_non_null(strstr(err, "not the sweep's points"));
	fclose(f);
	free(text);
	free(ptrs);
	session_free(ss);
	run_request_free(&req);
}

/* A crash run (errors), with a py-* run's interpreter, fault and output set by hand. */
static void test_run_round_trip(void **state)
{
	(void)state;
	struct run_request req;
	parse(RUNKIND_RUN, "crash 1..7 -w 2", &req);
	struct session *ss;
	char err[256];
	assert_int_equal(session_start(&req, NULL, &ss, err, sizeof err), 0);
	session_wait(ss, -1);
	struct run_snapshot s = *session_row_snap(ss, 0);
	assert_true(s.n_errors >= 2);
	struct run_python py = {.path = "/usr/bin/python3",
	                        .implementation = "cpython",
	                        .version = "3.13.1",
	                        .gil = true,
	                        .start_method = NULL,
	                        .pid = 4242,
	                        .interp_startup_s = 0.061,
	                        .bytes_sent = 1234,
	                        .bytes_recvd = 99,
	                        .msgs_sent = 5,
	                        .msgs_recvd = 6,
	                        .gil_measured = "sampled /proc at 1000 Hz \"quoted\"\n",
	                        .exit_status = -9,
	                        .own_output = "Traceback \xc3\xa9\t"};
	struct output_line out[2] = {{0, 0.001, "hello \"w0\""}, {1, 0.25, ""}};
	s.python = &py;
	s.fault = "the interpreter wrote an unreadable line";
	s.output = out;
	s.n_output = 2;
	const struct run_snapshot *ptr = &s;
	struct recording_src src = {.req = &req, .runs = &ptr, .n_runs = 1};
	struct recording rec;
	free(round_trip(&src, &rec));
	snap_eq(&s, &rec.runs[0].snap);
	assert_string_equal(rec.machine.python_version, "3.13.1");
	/* and saved from the loaded one, it is the same again */
	const struct run_snapshot *p2[RECORDING_MAX_RUNS];
	struct recording_src src2;
	recording_src_of(&rec, &src2, p2);
	struct recording rec2;
	free(round_trip(&src2, &rec2));
	snap_eq(&s, &rec2.runs[0].snap);
	assert_string_equal(rec.recorded_at, rec2.recorded_at);
	recording_free(&rec2);
	recording_free(&rec);
	session_free(ss);
	run_request_free(&req);
}

/* A Process demo: its children and output back. */
static void test_process_round_trip(void **state)
{
	(void)state;
	struct run_request req;
	parse(RUNKIND_PROCESS, "print 1..3", &req);
	struct session *ss = run_session(&req);
	const struct proc_demo_snap *d = session_demo_snap(ss);
	struct recording_src src = {.req = &req, .demo = d};
	struct recording rec;
	free(round_trip(&src, &rec));
	assert_true(rec.has_demo);
	const struct proc_demo_snap *e = &rec.demo.snap;
	assert_int_equal(e->n_procs, 3);
	for (size_t k = 0; k < 3; k++) {
		assert_int_equal(d->procs[k].pid, e->procs[k].pid);
		assert_int_equal(d->procs[k].item, e->procs[k].item);
		assert_true(d->procs[k].exited_s == e->procs[k].exited_s);
		assert_int_equal(d->procs[k].state, e->procs[k].state);
	}
	assert_int_equal(d->n_output, e->n_output);
	for (size_t i = 0; i < d->n_output; i++)
		assert_string_equal(d->output[i].text, e->output[i].text);
	assert_true(d->ended_s == e->ended_s);
	assert_int_equal(d->parent_pid, e->parent_pid);
	/* the session made of it reports as the original did */
	struct session *s2;
	char err[256];
	assert_int_equal(session_from_recording(&rec.req, rec.runs, rec.n_runs, &rec.demo, 0, &s2,
	                                        err, sizeof err),
	                 0);
	assert_int_equal(session_demo_snap(s2)->n_procs, 3);
	session_free(s2);
	recording_free(&rec);
	session_free(ss);
	run_request_free(&req);
}

/* A recording of square 1..6 -w 2 as text (caller frees). */
static char *good_text(void)
{
	struct run_request req;
	parse(RUNKIND_RUN, "square 1..6 -w 2 -b thread", &req);
	struct session *ss = run_session(&req);
	const struct run_snapshot *p = session_row_snap(ss, 0);
	struct recording_src src = {.req = &req, .runs = &p, .n_runs = 1};
	struct recording rec;
	char *text = round_trip(&src, &rec);
	recording_free(&rec);
	session_free(ss);
	run_request_free(&req);
	return text;
}

/* text with the first `from` replaced by `to`, parsed: refused with a message containing want. */
static void refused(const char *text, const char *from, const char *to, const char *want)
{
	const char *at = strstr(text, from);
	if (at == NULL)
		fail_msg("no '%s' in the recording", from);
	size_t n = strlen(text) + strlen(to) + 1;
	char *bad = malloc(n);
	assert_non_null(bad);
	snprintf(bad, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	struct recording rec;
	char err[512] = "";
	assert_int_equal(recording_parse(bad, strlen(bad), &rec, err, sizeof err), -1);
	if (strstr(err, want) == NULL)
		fail_msg("'%s' refused with '%s', wanted '%s'", to, err, want);
	assert_int_equal(rec.n_runs, 0); /* left zeroed */
	free(bad);
}

/* A sweep's recording, as text (caller frees). */
static char *sweep_text(void)
{
	struct run_request req;
	parse(RUNKIND_SWEEP, "square 1..6 -w 1..3 -b process,thread", &req);
	struct session *ss = run_session(&req);
	const struct run_snapshot **ptrs;
	struct recording_src src = sweep_src(&req, ss, &ptrs);
	struct recording rec;
	char *text = round_trip(&src, &rec);
	recording_free(&rec);
	free(ptrs);
	session_free(ss);
	run_request_free(&req);
	return text;
}

/* A hostile sweep: points out of order, a worker count out of range,
 * backends not the request's, runs not the points: each refused with its path. */
static void test_sweep_refusals(void **state)
{
	(void)state;
	char *t = sweep_text();
	refused(t, "\"kind\": \"sweep\"", "\"kind\": \"sweeps\"",
	        "kind: unknown kind 'sweeps' (this reads run, compare, process, sweep)");
	refused(t, "\"sweep_workers\": [ 1, 2, 3 ]", "\"sweep_workers\": [ 1, 3, 2 ]",
	        "request.sweep_workers[2]: 2 after 3 (worker counts go up");
	refused(t, "\"sweep_workers\": [ 1, 2, 3 ]", "\"sweep_workers\": [ 1, 2, 5000 ]",
	        "request.sweep_workers[2]: 5000 is out of range (allowed 1..1024)");
	refused(t, "\"sweep_workers\": [ 1, 2, 3 ]", "\"sweep_workers\": [ ]",
	        "request.sweep_workers: a sweep of no worker counts");
	refused(t, "\"sweep_workers\": [ 1, 2, 3 ]", "\"sweep_workers\": [ 1, 2, 4 ]",
	        "sweep.points[2].workers: 3 where the sweep's order has 4");
	refused(t, "{ \"backend\": \"process\", \"workers\": 2,",
	        "{ \"backend\": \"process\", \"workers\": 3,",
	        "sweep.points[1].workers: 3 where the sweep's order has 2 (out of order");
	refused(t, "{ \"backend\": \"thread\", \"workers\": 1,",
	        "{ \"backend\": \"gil\", \"workers\": 1,",
	        "sweep.points[3].backend: gil where the sweep's order has thread");
	refused(t, "\"backends\": [ \"process\", \"thread\" ]", "\"backends\": [ \"thread\" ]",
	        "sweep.points: 6 elements, expected 3");
	refused(t, "\"baseline\": 3 }", "\"baseline\": 0 }",
	        "sweep.points[3].baseline: 0 where this point's curve has its baseline at 3");
	refused(t, "\"cpus\": ", "\"cpus\": 0, \"x\": ", "sweep.cpus: 0 is out of range");
	refused(t, "\"runs\": [\n{\n\"backend\": \"process\"",
	        "\"runs\": [\n{\n\"backend\": \"thread\"",
	        "runs[0]: a run of thread where the sweep's point is process");
	free(t);
}

/* Every refusal names where and what. */
static void test_refusals(void **state)
{
	(void)state;
	char *t = good_text();
	refused(t, "\"mptutor_recording\": 1", "\"mptutor_recording\": 2",
	        "mptutor_recording: made by a newer mptutor (format 2, this reads up to 1)");
	refused(t, "\"mptutor_recording\": 1", "\"mptutor_recording\": 0",
	        "format 0 is older than any this mptutor reads (1..1)");
	refused(t, "\"mptutor_recording\": 1", "\"mptutor_recording\": \"1\"",
	        "mptutor_recording: an integer expected, got a string");
	refused(t, "\"mptutor_recording\"", "\"recording\"", "not an mptutor recording");
	refused(t, "\"kind\": \"run\"", "\"kind\": \"compare\"",
	        "runs: 1 elements, expected 4"); /* the request's default four */
	refused(t, "\"workers\": 2,", "\"workers\": 5000,",
	        "request.workers: 5000 is out of range (allowed 1..1024)");
	refused(t, "\"workers\": 2,", "\"workers\": 2.5,",
	        "request.workers: an integer expected, got a fractional number");
	refused(t, "\"task\": \"square\"", "\"task\": 7", "request.task: a string expected");
	refused(t, "\"state\": 2", "\"state\": 1",
	        "runs[0].state: 1 is out of range (allowed 2..3)");
	refused(t, "\"wall_s\": ", "\"wall_s\": -1, \"x\": ", "runs[0].wall_s: -1 is out of range");
	refused(t, "\"per_worker\": [", "\"per_worker\": [ {}, ",
	        "runs[0].per_worker: 3 elements, expected 2");
	refused(t, "\"id\": 1", "\"id\": 0",
	        "runs[0].per_worker[1].id: 0 is out of range (allowed 1..1)");
	refused(t, "\"events\": [ [ ", "\"events\": [ [ 2, ",
	        "runs[0].events[0]: 6 values, expected 5");
	refused(t, "\"events\": [ [ ", "\"events\": [ [ 7, 1, 1, 0, 0 ], [ ",
	        "runs[0].events: 7 elements, expected 6");
	refused(t, "\"order\": [", /* a later "events" stands: an end past the 26 days kept */
	        "\"events\": [ [ 0, 1, 1, 0, 3e6 ], [ 0, 1, 1, 0, 0 ], [ 0, 1, 1, 0, 0 ], "
	        "[ 0, 1, 1, 0, 0 ], [ 0, 1, 1, 0, 0 ], [ 0, 1, 1, 0, 0 ] ], \"order\": [",
	        "runs[0].events[0].end_s: 3e6 is out of range (allowed 0..2.2518e+06)");
	refused(t, "\"order\": [ ", "\"order\": [ 6, ", "runs[0].order");
	refused(t, "\"status\": [ ", "\"status\": [ 9, ", "runs[0].status");
	refused(t, "\"n_done\": 6", "\"n_done\": 5",
	        "n_done 5 and n_failed 0, but status has 6 done");
	refused(t, "\"switches\": [ ]", "\"switches\": [ [ 0.1, 2, true ] ]",
	        "runs[0].switches[0]: 2 is out of range (allowed -1..1)");
	refused(t, "\"gil_marks\": [ ]", "\"gil_marks\": [ [ 0, 9 ] ]",
	        "runs[0].per_worker[0].gil_marks[0][1]: 9 is out of range");
	refused(t, "\"fault\": null", "\"fault\": \"a\\u0000b\"",
	        "runs[0].fault: a string with a NUL");
	refused(t, "\"items\": [ 1,", "\"items\": [ 1, 1e999,",
	        "request.items[1]: an integer expected, got a fractional number");
	refused(t, "\"cpu_s\": ", "\"cpu_s\": 1e999, \"y\": ", "runs[0].cpu_s: ");
	refused(t, "\"backend\": \"thread\"", "\"backend\": \"gpu\"",
	        "request.backend: 'gpu' is no backend");
	refused(t, "{", "[", "not JSON"); /* a bracket that does not close */
	refused(t, "\"kind\"", "\"kind\": 1, \"k\"", "kind: a string expected");
	/* truncated at every length: refused, never a crash */
	struct recording rec;
	char err[512];
	size_t len = strlen(t);
	for (size_t n = 0; n < len - 2; n += 1 + n / 50) {
		assert_int_equal(recording_parse(t, n, &rec, err, sizeof err), -1);
		assert_true(err[0] != '\0');
	}
	assert_int_equal(recording_parse(t, 0, &rec, err, sizeof err), -1);
	assert_non_null(strstr(err, "truncated"));
	assert_int_equal(recording_parse(t, len, &rec, err, sizeof err), 0);
	recording_free(&rec);
	free(t);
}

/* A file: missing, a directory, too big refused; a good one loads. */
static void test_load_files(void **state)
{
	(void)state;
	struct recording rec;
	char err[512];
	assert_int_equal(recording_load("/nonexistent/r.json", &rec, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/r.json: cannot read"));
	assert_int_equal(recording_load("/", &rec, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a regular file"));
	char path[] = "/tmp/test-recording-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	char *t = good_text();
	FILE *f = fdopen(fd, "w");
	fputs(t, f);
	fclose(f);
	assert_int_equal(recording_load(path, &rec, err, sizeof err), 0);
	assert_int_equal(rec.runs[0].snap.n_items, 6);
	recording_free(&rec);
	assert_int_equal(truncate(path, RECORDING_MAX_BYTES + 1), 0);
	assert_int_equal(recording_load(path, &rec, err, sizeof err), -1);
	assert_non_null(strstr(err, "a recording is at most"));
	unlink(path);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_compare_round_trip), cmocka_unit_test(test_run_round_trip),
	    cmocka_unit_test(test_process_round_trip), cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_load_files),         cmocka_unit_test(test_sweep_round_trip),
	    cmocka_unit_test(test_sweep_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
