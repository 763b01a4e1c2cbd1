/*
 * test_session.c — the session every front end drives, without a terminal:
 * a run to its end, a compare's rows in the request's order with their
 * family baselines and the specs run_request_spec gives them (the same
 * chunksize and workers for the same line everywhere), cancel mid-run and
 * mid-compare reaping every child, a stop request on the wait's fd, a
 * Process demo to its end and cancelled, the output orders tallied over
 * --repeat, and the replay of a recording at a moment of its map.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "engine/task.h"
#include "session/record.h"
#include "session/session.h"

/* No child of this process is left (every one was reaped). */
static void assert_no_children(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* Parse a command's words ("square 1..5 -w 2") into req, as every front end does. */
static void parse(enum run_kind kind, const char *line, struct run_request *req)
{
	int argc;
	char **argv, err[256];
	assert_int_equal(cmd_split(line, &argc, &argv, err, sizeof err), 0);
	int rc = cmd_parse_request(kind, argc, argv, req, err, sizeof err);
	if (rc != 0)
		fail_msg("%s: %s", line, err);
	cmd_split_free(argc, argv);
}

/* What the hooks saw. */
struct seen {
	int maps, demos;
	enum backend_kind order[16]; /* backends of the finished maps, in order */
	size_t rows[16];
	long chunksize[16];
	int workers[16];
};

/* map_done: note the row, its backend, chunksize and workers. */
static void seen_map(void *arg, const struct session *ss, size_t row,
                     const struct run_snapshot *snap)
{
	struct seen *sn = arg;
	(void)ss;
	assert_int_equal(snap->state, RUN_DONE);
	if (sn->maps < 16) {
		sn->order[sn->maps] = snap->backend;
		sn->rows[sn->maps] = row;
		sn->chunksize[sn->maps] = snap->chunksize;
		sn->workers[sn->maps] = snap->workers;
	}
	sn->maps++;
}

/* demo_done: count it. */
static void seen_demo(void *arg, const struct session *ss, const struct proc_demo_snap *snap)
{
	struct seen *sn = arg;
	(void)ss;
	assert_false(snap->interrupted);
	sn->demos++;
}

/* Poll until over (never blocking), sleeping on the session's fds; returns polls made. */
static int poll_to_end(struct session *ss)
{
	int polls = 0;
	while (!session_poll(ss)) {
		int fds[SESSION_MAX_POLLFDS];
		struct pollfd p[SESSION_MAX_POLLFDS];
		int n = session_pollfds(ss, fds, SESSION_MAX_POLLFDS);
		for (int i = 0; i < n; i++)
			p[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
		poll(p, (nfds_t)n, 20);
		polls++;
		assert_true(polls < 5000); /* 100 s: a hang */
	}
	return polls;
}

/* A run to its end: one row, its recording, the hook once. */
static void test_run_to_end(void **state)
{
	struct run_request req = {0};
	struct seen sn = {0};
	struct session_hooks h = {.map_done = seen_map, .arg = &sn};
	struct session *ss;
	char err[ENGINE_ERRLEN];
	(void)state;
	parse(RUNKIND_RUN, "square 1..5 -w 2", &req);
	assert_int_equal(session_start(&req, &h, &ss, err, sizeof err), 0);
	run_request_free(&req); /* the session has its own copy */
	assert_int_equal(session_state(ss), SESSION_RUNNING);
	poll_to_end(ss);
	assert_int_equal(session_state(ss), SESSION_DONE);
	assert_int_equal(session_n_rows(ss), 1);
	const struct session_row *r = session_row(ss, 0);
	assert_int_equal(r->backend, BACKEND_PROCESS);
	assert_true(r->has_rec);
	assert_false(r->going);
	assert_int_equal(r->rec.snap.n_done, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(r->rec.snap.results[i], (i + 1) * (i + 1));
	assert_ptr_equal(session_row_snap(ss, 0), &r->rec.snap);
	assert_int_equal(sn.maps, 1);
	int failed = -1;
	assert_int_equal(session_runs_done(ss, &failed), 1);
	assert_int_equal(failed, 0);
	assert_int_equal(session_repeat(ss, NULL), 1);
	assert_int_equal(session_orders(ss)->runs, 0); /* no --repeat: no tally */
	assert_int_equal(session_active_row(ss), -1);
	assert_no_children();
	session_free(ss);
}

/* The same compare line: rows in the request's order, each with its family's
 * baseline, and the specs run_request_spec gives (serial: 1 worker and its own
 * chunksize ceil(100/4) = 25; the others ceil(100/16) = 7 with 4 workers). */
static void test_compare_rows(void **state)
{
	struct run_request req = {0};
	struct seen sn = {0};
	struct session_hooks h = {.map_done = seen_map, .arg = &sn};
	struct session *ss;
	char err[ENGINE_ERRLEN];
	static const enum backend_kind want[] = {BACKEND_SERIAL, BACKEND_PROCESS, BACKEND_THREAD,
	                                         BACKEND_GIL};
	(void)state;
	parse(RUNKIND_COMPARE, "square 1..100 -w 4", &req);
	assert_int_equal(session_start(&req, &h, &ss, err, sizeof err), 0);
	assert_int_equal(session_kind(ss), RUNKIND_COMPARE);
	assert_int_equal(session_n_rows(ss), 4);
	for (size_t i = 0; i < 4; i++) {
		const struct session_row *r = session_row(ss, i);
		struct run_spec spec;
		assert_int_equal(r->backend, want[i]);
		assert_ptr_equal(r->info, backend_get(want[i]));
		assert_int_equal(r->baseline, 0);
		assert_ptr_equal(session_baseline(ss, i), session_row(ss, 0));
		assert_int_equal(r->spec.workers, i == 0 ? 1 : 4);
		assert_int_equal(r->spec.chunksize, i == 0 ? 25 : 7);
		assert_int_equal(r->spec.n_items, 100);
		run_request_spec(&req, want[i], &spec); /* the one place that decides */
		assert_int_equal(spec.workers, r->spec.workers);
		assert_int_equal(spec.chunksize, r->spec.chunksize);
	}
	assert_int_equal(session_active_row(ss), 0); /* the serial row goes first */
	assert_null(session_row(ss, 4));
	run_request_free(&req);
	poll_to_end(ss);
	assert_int_equal(session_state(ss), SESSION_DONE);
	assert_int_equal(sn.maps, 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(sn.order[i], want[i]);
		assert_int_equal(sn.rows[i], (size_t)i);
		assert_int_equal(sn.chunksize[i], i == 0 ? 25 : 7);
		assert_int_equal(sn.workers[i], i == 0 ? 1 : 4);
		const struct session_row *r = session_row(ss, (size_t)i);
		assert_true(r->has_rec);
		assert_int_equal(r->rec.snap.chunksize, i == 0 ? 25 : 7);
		assert_int_equal(r->rec.snap.results[99], 10000);
		/* the items kept once (the request's), the same results once (row 0's) */
		assert_ptr_equal(r->rec.snap.items, session_request(ss)->items);
		assert_null(r->rec.items);
		assert_ptr_equal(r->rec.snap.results, session_row(ss, 0)->rec.snap.results);
		assert_true(i == 0 ? r->rec.results != NULL : r->rec.results == NULL);
	}
	session_free(ss);

	/* no serial row: no baseline; the request's order kept */
	memset(&req, 0, sizeof req);
	parse(RUNKIND_COMPARE, "square 1..8 -w 2 -b thread,process", &req);
	assert_int_equal(session_start(&req, NULL, &ss, err, sizeof err), 0);
	run_request_free(&req);
	assert_int_equal(session_n_rows(ss), 2);
	assert_int_equal(session_row(ss, 0)->backend, BACKEND_PROCESS); /* table order */
	assert_int_equal(session_row(ss, 0)->baseline, -1);
	assert_null(session_baseline(ss, 1));
	assert_int_equal(session_wait(ss, -1), SESSION_DONE);
	session_free(ss);
	assert_no_children();
}

/* Cancel mid-run: the map stops, every worker is reaped; mid-compare: no later row starts. */
static void test_cancel(void **state)
{
	struct run_request req = {0};
	struct session *ss;
	char err[ENGINE_ERRLEN];
	(void)state;
	parse(RUNKIND_RUN, "spin 40x200 -w 2 -c 1", &req);
	assert_int_equal(session_start(&req, NULL, &ss, err, sizeof err), 0);
	run_request_free(&req);
	for (int i = 0; i < 200 && !(session_row(ss, 0)->has_live &&
	                             session_row(ss, 0)->live.state == RUN_RUNNING);
	     i++) {
		session_poll(ss);
		poll(NULL, 0, 5);
	}
	pid_t pids[8];
	assert_true(session_worker_pids(ss, pids, 8) >= 1);
	session_cancel(ss);
	session_cancel(ss); /* twice is fine */
	poll_to_end(ss);
	assert_int_equal(session_state(ss), SESSION_CANCELLED);
	assert_true(session_row(ss, 0)->has_rec);
	assert_int_equal(session_row(ss, 0)->rec.snap.state, RUN_CANCELLED);
	assert_true(session_row(ss, 0)->rec.snap.n_done < 40);
	assert_int_equal(session_runs_done(ss, NULL), 0);
	assert_int_equal(session_worker_pids(ss, pids, 8), 0);
	assert_no_children();
	session_free(ss);

	/* a compare cancelled in its second row: the rows after it never start */
	memset(&req, 0, sizeof req);
	parse(RUNKIND_COMPARE, "spin 8x100 -w 2 -c 1", &req);
	assert_int_equal(session_start(&req, NULL, &ss, err, sizeof err), 0);
	run_request_free(&req);
	while (session_active_row(ss) != 1) {
		assert_int_equal(session_poll(ss), 0);
		poll(NULL, 0, 5);
	}
	session_cancel(ss);
	poll_to_end(ss);
	assert_int_equal(session_state(ss), SESSION_CANCELLED);
	assert_true(session_row(ss, 0)->has_rec);
	assert_int_equal(session_row(ss, 0)->rec.snap.state, RUN_DONE);
	assert_true(session_row(ss, 1)->has_rec);
	assert_false(session_row(ss, 2)->has_rec);
	assert_false(session_row(ss, 3)->has_rec);
	assert_no_children();
	session_free(ss);

	/* free while going: every child reaped */
	memset(&req, 0, sizeof req);
	parse(RUNKIND_RUN, "spin 40x200 -w 2", &req);
	assert_int_equal(session_start(&req, NULL, &ss, err, sizeof err), 0);
	run_request_free(&req);
	session_poll(ss);
	session_free(ss);
	assert_no_children();
}

/* A stop request on the wait's fd cancels, even one already waiting before. */
static void test_wait_interrupted(void **state)
{
	struct run_request req = {0};
	struct session *ss;
	char err[ENGINE_ERRLEN];
	int p[2];
	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	parse(RUNKIND_COMPARE, "spin 4x100 -w 2", &req);
	assert_int_equal(session_start(&req, NULL, &ss, err, sizeof err), 0);
	run_request_free(&req);
	assert_int_equal(session_wait(ss, p[0]), SESSION_CANCELLED);
	assert_false(session_row(ss, 1)->has_rec); /* nothing after the first row */
	assert_no_children();
	session_free(ss);
	/* a Process demo too */
	memset(&req, 0, sizeof req);
	parse(RUNKIND_PROCESS, "spin 4000", &req);
	assert_int_equal(session_start(&req, NULL, &ss, err, sizeof err), 0);
	run_request_free(&req);
	assert_int_equal(session_wait(ss, p[0]), SESSION_CANCELLED);
	assert_no_children();
	session_free(ss);
	close(p[0]);
	close(p[1]);
}

/* A Process demo: four Processes to their end; then one cancelled, killed and reaped. */
static void test_process_demo(void **state)
{
	struct run_request req = {0};
	struct seen sn = {0};
	struct session_hooks h = {.demo_done = seen_demo, .arg = &sn};
	struct session *ss;
	char err[ENGINE_ERRLEN];
	(void)state;
	parse(RUNKIND_PROCESS, "print 0..3", &req);
	assert_int_equal(session_start(&req, &h, &ss, err, sizeof err), 0);
	run_request_free(&req);
	assert_int_equal(session_kind(ss), RUNKIND_PROCESS);
	assert_int_equal(session_n_rows(ss), 0);
	assert_non_null(session_demo(ss));
	assert_int_equal(session_demo(ss)->join_after_ms, PROC_DEMO_NO_JOIN);
	poll_to_end(ss);
	assert_int_equal(session_state(ss), SESSION_DONE);
	assert_int_equal(sn.demos, 1);
	const struct session_demo *dm = session_demo(ss);
	assert_true(dm->has_rec);
	assert_false(dm->cancelled);
	assert_int_equal(dm->rec.snap.n_procs, 4);
	assert_int_equal(dm->rec.snap.n_output, 4);
	for (size_t k = 0; k < 4; k++)
		assert_int_equal(dm->rec.snap.procs[k].state, PROC_REAPED);
	assert_ptr_equal(session_demo_snap(ss), &dm->rec.snap);
	assert_false(session_demo_failed(&dm->rec.snap));
	assert_true(session_has_recording(ss));
	assert_true(session_span(ss) > 0);
	assert_no_children();
	session_free(ss);

	/* cancelled: the children are killed and reaped before session_cancel returns */
	memset(&req, 0, sizeof req);
	parse(RUNKIND_PROCESS, "spin 4000", &req);
	assert_int_equal(session_start(&req, NULL, &ss, err, sizeof err), 0);
	run_request_free(&req);
	for (int i = 0; i < 200; i++) {
		session_poll(ss);
		const struct proc_demo_snap *d = session_demo_snap(ss);
		if (d && d->n_procs && d->procs[0].state == PROC_RUNNING)
			break;
		poll(NULL, 0, 5);
	}
	pid_t pids[4];
	assert_int_equal(session_worker_pids(ss, pids, 4), 1);
	session_cancel(ss);
	assert_int_equal(session_state(ss), SESSION_CANCELLED);
	assert_no_children();
	dm = session_demo(ss);
	assert_true(dm->cancelled);
	assert_true(dm->has_rec);
	assert_int_equal(dm->rec.snap.procs[0].exit_code, -SIGKILL);
	assert_true(dm->rec.snap.procs[0].state == PROC_JOINED || /* joined at its death */
	            dm->rec.snap.procs[0].state == PROC_REAPED);
	assert_true(dm->rec.snap.procs[0].reaped_s >= 0);
	assert_true(session_demo_failed(&dm->rec.snap));
	assert_int_equal(session_runs_done(ss, NULL), 0);
	session_free(ss);
}

/* --repeat: each run's order tallied once; the counts add up; each a permutation. */
static void test_repeat_orders(void **state)
{
	struct run_request req = {0};
	struct seen sn = {0};
	struct session_hooks h = {.map_done = seen_map, .demo_done = seen_demo, .arg = &sn};
	struct session *ss;
	char err[ENGINE_ERRLEN];
	(void)state;
	parse(RUNKIND_RUN, "print 0..3 -w 4 -c 1 --repeat 5", &req);
	assert_int_equal(session_start(&req, &h, &ss, err, sizeof err), 0);
	run_request_free(&req);
	int cur = 0;
	assert_int_equal(session_repeat(ss, &cur), 5);
	assert_int_equal(cur, 1);
	poll_to_end(ss);
	assert_int_equal(session_state(ss), SESSION_DONE);
	assert_int_equal(session_repeat(ss, &cur), 5);
	assert_int_equal(cur, 5);
	assert_int_equal(sn.maps, 5);
	assert_int_equal(session_runs_done(ss, NULL), 5);
	const struct session_orders *o = session_orders(ss);
	assert_int_equal(o->runs, 5);
	int sum = 0;
	for (size_t i = 0; i < o->n_orders; i++) {
		int seen[4] = {0};
		assert_int_equal(o->orders[i].n, 4);
		for (size_t k = 0; k < 4; k++) {
			assert_true(o->orders[i].values[k] >= 0 && o->orders[i].values[k] <= 3);
			seen[o->orders[i].values[k]]++;
		}
		for (int k = 0; k < 4; k++)
			assert_int_equal(seen[k], 1);
		sum += o->orders[i].count;
	}
	assert_int_equal(sum, 5);
	char text[64];
	session_order_text(&o->orders[0], text, sizeof text);
	assert_int_equal(strlen(text), 7); /* "0 1 2 3" in some order */
	session_free(ss);

	/* a Process demo, three times */
	memset(&req, 0, sizeof req);
	memset(&sn, 0, sizeof sn);
	parse(RUNKIND_PROCESS, "print 0..3 --repeat 3", &req);
	assert_int_equal(session_start(&req, &h, &ss, err, sizeof err), 0);
	run_request_free(&req);
	assert_int_equal(session_wait(ss, -1), SESSION_DONE);
	assert_int_equal(sn.demos, 3);
	assert_int_equal(session_orders(ss)->runs, 3);
	assert_no_children();
	session_free(ss);

	/* a compare has no --repeat */
	memset(&req, 0, sizeof req);
	parse(RUNKIND_COMPARE, "square 1..4 -w 2 -b serial,thread", &req);
	req.repeat = 3;
	assert_int_equal(session_start(&req, NULL, &ss, err, sizeof err), 0);
	run_request_free(&req);
	assert_int_equal(session_repeat(ss, NULL), 1);
	assert_int_equal(session_wait(ss, -1), SESSION_DONE);
	assert_int_equal(session_orders(ss)->runs, 0);
	session_free(ss);
}

/* Replay at t: the recording seen at moments of its map, from the recorded events. */
static void test_replay_at(void **state)
{
	struct run_request req = {0};
	struct session *ss;
	char err[ENGINE_ERRLEN];
	(void)state;
	parse(RUNKIND_RUN, "spin 4x30 -w 1 -c 1 -b serial", &req);
	assert_int_equal(session_start(&req, NULL, &ss, err, sizeof err), 0);
	run_request_free(&req);
	assert_int_equal(session_wait(ss, -1), SESSION_DONE);
	const struct session_rec *rec = &session_row(ss, 0)->rec;
	double span = session_span(ss);
	assert_true(span == rec->snap.wall_s && span >= 0.1);
	const struct run_snapshot *at = session_row_at(ss, 0, 0);
	assert_int_equal(at->state, RUN_RUNNING);
	assert_int_equal(at->n_done, 0);
	/* just after the second item ended: two done, the third running */
	double t = run_item_event(&rec->snap, 1).end_s + 0.001;
	at = session_row_at(ss, 0, t);
	size_t want = 0;
	for (size_t i = 0; i < 4; i++)
		want += run_item_event(&rec->snap, i).end_s <= t;
	assert_int_equal(at->n_done, want);
	assert_true(want >= 2 && want < 4);
	assert_true(at->now_s == t);
	at = session_row_at(ss, 0, span + 1);
	assert_ptr_equal(at, &rec->snap);
	assert_int_equal(at->n_done, 4);
	session_free(ss);

	/* a demo's moment: before its end it has not ended */
	memset(&req, 0, sizeof req);
	parse(RUNKIND_PROCESS, "hello 1", &req);
	assert_int_equal(session_start(&req, NULL, &ss, err, sizeof err), 0);
	run_request_free(&req);
	assert_int_equal(session_wait(ss, -1), SESSION_DONE);
	struct proc_demo_snap d;
	assert_int_equal(session_demo_at(ss, 0, &d), 0);
	assert_true(d.now_s == 0 && d.ended_s < 0);
	assert_int_equal(session_demo_at(ss, session_span(ss) + 1, &d), 0);
	assert_true(d.ended_s >= 0);
	session_free(ss);
}

/* A recording owns a py-* run's interpreter and fault: they outlive the snapshot's strings. */
static void test_rec_python(void **state)
{
	(void)state;
	char path[] = "/usr/bin/python3", version[] = "3.12.1", how[] = "sampled /proc",
	     why[] = "died";
	struct run_python py = {.path = path,
	                        .implementation = "cpython",
	                        .version = version,
	                        .gil = true,
	                        .start_method = NULL,
	                        .bytes_sent = 10,
	                        .gil_measured = how,
	                        .own_output = ""};
	struct run_snapshot snap = {.task = task_find("square"), .python = &py, .fault = why};
	struct session_rec rec;
	assert_int_equal(session_rec_copy(&rec, &snap), 0);
	memset(path, 'x', sizeof path - 1); /* the run's strings change or die */
	memset(version, 'x', sizeof version - 1);
	memset(how, 'x', sizeof how - 1);
	memset(why, 'x', sizeof why - 1);
	assert_non_null(rec.snap.python);
	assert_ptr_not_equal(rec.snap.python, &py);
	assert_string_equal(rec.snap.python->path, "/usr/bin/python3");
	assert_string_equal(rec.snap.python->version, "3.12.1");
	assert_string_equal(rec.snap.python->gil_measured, "sampled /proc");
	assert_null(rec.snap.python->start_method);
	assert_true(rec.snap.python->gil);
	assert_int_equal(rec.snap.python->bytes_sent, 10);
	assert_string_equal(rec.snap.fault, "died");
	session_rec_free(&rec);
	snap.python = NULL; /* a C run: none */
	snap.fault = NULL;
	assert_int_equal(session_rec_copy(&rec, &snap), 0);
	assert_null(rec.snap.python);
	assert_null(rec.snap.fault);
	session_rec_free(&rec);
}

/* A request that cannot start: -1 and a message, nothing left behind. */
static void test_refused(void **state)
{
	struct run_request req = {0};
	struct session *ss = (struct session *)&req;
	char err[ENGINE_ERRLEN] = "";
	(void)state;
	parse(RUNKIND_RUN, "square 1..5 -w 2", &req);
	req.workers = ENGINE_MAX_WORKERS + 1;
	assert_int_equal(session_start(&req, NULL, &ss, err, sizeof err), -1);
	assert_null(ss);
	assert_true(err[0] != '\0');
	run_request_free(&req);
	assert_no_children();
	session_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_run_to_end),   cmocka_unit_test(test_compare_rows),
	    cmocka_unit_test(test_cancel),       cmocka_unit_test(test_wait_interrupted),
	    cmocka_unit_test(test_process_demo), cmocka_unit_test(test_repeat_orders),
	    cmocka_unit_test(test_replay_at),    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_rec_python),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
