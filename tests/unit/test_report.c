/*
 * test_report.c — reports built from snapshots made by hand: the Python list
 * formatter (None, cut lists, completion order), the JSON of run and compare
 * (keys, nulls, escaping survives a round trip), the text reports, and the
 * counting of output orders over repeated runs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include "engine/task.h"
#include "export/json.h"
#include "export/report.h"
#include "export/text.h"
#include "fake_items.h"

/* A snapshot of n items of a task returning n*n, every item done. */
struct fake {
	struct run_snapshot s;
	int64_t items[128];
	int64_t results[128];
	uint8_t status[128];
	struct item_event events[128];
	struct item_rec recs[128];
	struct item_who who[FAKE_WHO_MAX];
	uint32_t order[128];
	struct worker_snap workers[2];
	struct output_line output[4];
	struct run_error errors[2];
};

/* Fill f with `n` squares of 1..n on two process workers. */
static void fake_init(struct fake *f, size_t n)
{
	memset(f, 0, sizeof *f);
	f->s.state = RUN_DONE;
	f->s.backend = BACKEND_PROCESS;
	f->s.task = task_find("square");
	f->s.workers = 2;
	f->s.chunksize = 1;
	f->s.wall_s = 0.5;
	f->s.cpu_s = 0.9;
	f->s.startup_s = 0.001;
	f->s.per_worker = f->workers;
	f->s.n_items = n;
	f->s.n_done = n;
	f->s.items = f->items;
	f->s.results = f->results;
	f->s.task_returns = true;
	f->s.order = f->order;
	f->s.n_order = n;
	f->s.output = f->output;
	f->s.errors = f->errors;
	for (size_t i = 0; i < n; i++) {
		f->items[i] = (int64_t)i + 1;
		f->results[i] = f->items[i] * f->items[i];
		f->status[i] = ITEM_DONE;
		f->events[i] = (struct item_event){.worker = (int)(i % 2),
		                                   .start_s = 0.1 * (double)i,
		                                   .end_s = 0.1 * (double)i + 0.05};
		f->order[i] = (uint32_t)i;
	}
	for (int w = 0; w < 2; w++)
		f->workers[w] = (struct worker_snap){.id = w,
		                                     .pid = 1000 + w,
		                                     .tid = 1000 + w,
		                                     .state = WORKER_EXITED,
		                                     .tasks = (long)n / 2,
		                                     .cpu_s = 0.45,
		                                     .busy_s = 0.46,
		                                     .core = w};
	fake_items_pack(&f->s, f->status, f->events, f->recs, f->who);
}

/* Item i of f now has status st. */
static void fake_set(struct fake *f, size_t i, uint8_t st)
{
	f->status[i] = st;
	fake_items_pack(&f->s, f->status, f->events, f->recs, f->who);
}

/* The list of a small map, as Python prints it. */
static void test_pylist_plain(void **state)
{
	(void)state;
	struct fake f;
	char buf[256];
	fake_init(&f, 5);
	assert_int_equal(report_format_pylist(buf, sizeof buf, &f.s, 0), 17);
	assert_string_equal(buf, "[1, 4, 9, 16, 25]");
	fake_init(&f, 0);
	report_format_pylist(buf, sizeof buf, &f.s, 0);
	assert_string_equal(buf, "[]");
	fake_init(&f, 3);
	f.results[1] = -7;
	report_format_pylist(buf, sizeof buf, &f.s, 0);
	assert_string_equal(buf, "[1, -7, 9]");
}

/* None where the task returns nothing or an item failed; ? while pending. */
static void test_pylist_none(void **state)
{
	(void)state;
	struct fake f;
	char buf[256];
	fake_init(&f, 2);
	f.s.task_returns = false;
	report_format_pylist(buf, sizeof buf, &f.s, 0);
	assert_string_equal(buf, "[None, None]");
	fake_init(&f, 4);
	fake_set(&f, 2, ITEM_FAILED);
	fake_set(&f, 3, ITEM_PENDING);
	report_format_pylist(buf, sizeof buf, &f.s, 0);
	assert_string_equal(buf, "[1, 4, None, ?]");
}

/* Long lists keep a head and a tail and say how many items there are. */
static void test_pylist_cut(void **state)
{
	(void)state;
	struct fake f;
	char buf[256];
	fake_init(&f, 100);
	int n = report_format_pylist(buf, sizeof buf, &f.s, 40);
	assert_true(n <= 40);
	assert_int_equal((size_t)n, strlen(buf));
	assert_true(strncmp(buf, "[1, 4, 9, ", 10) == 0);
	assert_non_null(strstr(buf, ", ..., "));
	assert_non_null(strstr(buf, ", 9801, 10000] (100 items)"));
	/* the buffer bounds the list too */
	char small[24];
	n = report_format_pylist(small, sizeof small, &f.s, 0);
	assert_true(n < (int)sizeof small);
	assert_non_null(strstr(small, "(100 items)"));
	/* too small for any element: still a valid, short line */
	n = report_format_pylist(buf, sizeof buf, &f.s, 18);
	assert_true(n <= 18);
	assert_string_equal(buf, "[...] (100 items)");
	/* exactly fits: not cut */
	fake_init(&f, 5);
	assert_int_equal(report_format_pylist(buf, sizeof buf, &f.s, 17), 17);
	assert_string_equal(buf, "[1, 4, 9, 16, 25]");
}

/* An unordered run lists results in completion order. */
static void test_pylist_unordered(void **state)
{
	(void)state;
	struct fake f;
	char buf[256];
	fake_init(&f, 4);
	f.s.unordered = true;
	f.order[0] = 2;
	f.order[1] = 0;
	f.order[2] = 3;
	f.s.n_order = 3; /* item 1 never completed */
	fake_set(&f, 1, ITEM_FAILED);
	report_format_pylist(buf, sizeof buf, &f.s, 0);
	assert_string_equal(buf, "[9, 1, 16, None]");
}

/* Get key from o, failing the test if it is missing. */
static struct json_object *key(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;
	if (!json_object_object_get_ex(o, k, &v))
		fail_msg("JSON lacks key \"%s\"", k);
	return v;
}

/* The run JSON has DESIGN's keys, nulls where failed, and text survives escaping. */
static void test_run_json(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f, 5);
	fake_set(&f, 4, ITEM_FAILED);
	f.s.n_failed = 1;
	f.s.n_done = 4;
	f.errors[0] = (struct run_error){
	    .item = 4,
	    .worker = 1,
	    .message = "worker 1 (pid 1001) killed by SIGSEGV while running item 4"};
	f.s.n_errors = 1;
	f.output[0] =
	    (struct output_line){.worker = 0, .t_s = 0.01, .text = "say \"hi\"\\ / \t\x01"};
	f.s.n_output = 1;
	f.s.has_parent_counter = true;
	f.s.parent_counter = 0;
	struct json_object *o = report_run_json(&f.s);
	/* print and parse back, as a script would */
	char *text = strdup(json_object_to_json_string(o));
	json_object_put(o);
	o = json_tokener_parse(text);
	free(text);
	assert_non_null(o);
	static const char *const keys[] = {
	    "task",       "backend", "workers", "chunksize",  "ordered",       "pid",
	    "startup_s",  "wall_s",  "cpu_s",   "teardown_s", "items",         "results",
	    "per_worker", "events",  "output",  "errors",     "parent_counter"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		key(o, keys[i]);
	assert_string_equal(json_object_get_string(key(o, "task")), "square");
	assert_string_equal(json_object_get_string(key(o, "backend")), "process");
	assert_true(json_object_get_boolean(key(o, "ordered")));
	assert_false(json_object_object_get_ex(o, "order", NULL));
	struct json_object *res = key(o, "results");
	assert_int_equal(json_object_array_length(res), 5);
	assert_int_equal(json_object_get_int64(json_object_array_get_idx(res, 3)), 16);
	assert_null(json_object_array_get_idx(res, 4));
	struct json_object *pw = json_object_array_get_idx(key(o, "per_worker"), 1);
	assert_int_equal(json_object_get_int(key(pw, "pid")), 1001);
	key(pw, "id"), key(pw, "tid"), key(pw, "tasks"), key(pw, "cpu_s"), key(pw, "busy_s");
	key(pw, "gil_wait_s"), key(pw, "gil_held_s");
	struct json_object *ev = json_object_array_get_idx(key(o, "events"), 2);
	assert_int_equal(json_object_get_int(key(ev, "item")), 2);
	assert_int_equal(json_object_get_int(key(ev, "worker")), 0);
	assert_true(json_object_get_double(key(ev, "end_s")) > 0.249);
	struct json_object *out = json_object_array_get_idx(key(o, "output"), 0);
	assert_string_equal(json_object_get_string(key(out, "text")), "say \"hi\"\\ / \t\x01");
	struct json_object *er = json_object_array_get_idx(key(o, "errors"), 0);
	assert_int_equal(json_object_get_int(key(er, "item")), 4);
	assert_non_null(strstr(json_object_get_string(key(er, "message")), "SIGSEGV"));
	assert_int_equal(json_object_get_int(key(o, "parent_counter")), 0);
	json_object_put(o);
	/* no parent_counter unless the task is counter */
	f.s.has_parent_counter = false;
	o = report_run_json(&f.s);
	assert_false(json_object_object_get_ex(o, "parent_counter", NULL));
	json_object_put(o);
}

/* --unordered: results in completion order, "ordered": false, "order". */
static void test_run_json_unordered(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f, 3);
	f.s.unordered = true;
	f.order[0] = 2, f.order[1] = 0, f.order[2] = 1;
	struct json_object *o = report_run_json(&f.s);
	assert_false(json_object_get_boolean(key(o, "ordered")));
	struct json_object *res = key(o, "results"), *ord = key(o, "order");
	assert_int_equal(json_object_get_int(json_object_array_get_idx(res, 0)), 9);
	assert_int_equal(json_object_get_int(json_object_array_get_idx(res, 1)), 1);
	assert_int_equal(json_object_get_int(json_object_array_get_idx(ord, 0)), 2);
	assert_int_equal(json_object_get_int(json_object_array_get_idx(key(o, "items"), 0)), 1);
	json_object_put(o);
}

/* compare: speedup against serial, results_match per backend. */
static void test_compare(void **state)
{
	(void)state;
	struct fake a, b;
	fake_init(&a, 4);
	fake_init(&b, 4);
	a.s.backend = BACKEND_SERIAL;
	a.s.workers = 1;
	a.s.wall_s = 1.0;
	b.s.wall_s = 0.5;
	struct run_request req = {.kind = RUNKIND_COMPARE,
	                          .task = a.s.task,
	                          .items = a.items,
	                          .n_items = 4,
	                          .workers = 2,
	                          .chunksize = 1};
	const struct run_snapshot *snaps[] = {&a.s, &b.s};
	struct json_object *o = report_compare_json(&req, snaps, 2);
	assert_int_equal(json_object_get_int(key(o, "workers")), 2);
	assert_int_equal(json_object_array_length(key(o, "items")), 4);
	struct json_object *runs = key(o, "runs");
	assert_int_equal(json_object_array_length(runs), 2);
	struct json_object *r1 = json_object_array_get_idx(runs, 1);
	assert_string_equal(json_object_get_string(key(r1, "backend")), "process");
	assert_true(json_object_get_double(key(r1, "speedup")) > 1.99 &&
	            json_object_get_double(key(r1, "speedup")) < 2.01);
	assert_true(json_object_get_boolean(key(r1, "results_match")));
	key(r1, "wall_s"), key(r1, "cpu_s");
	json_object_put(o);
	b.results[3] = 15;
	assert_false(report_results_match(&a.s, &b.s));
	o = report_compare_json(&req, snaps, 2);
	assert_false(json_object_get_boolean(
	    key(json_object_array_get_idx(key(o, "runs"), 1), "results_match")));
	json_object_put(o);

	char buf[4096] = "";
	FILE *out = fmemopen(buf, sizeof buf, "w");
	report_compare_text(out, &req, snaps, 2);
	fclose(out);
	assert_non_null(strstr(buf, "serial"));
	assert_non_null(strstr(buf, "(reference)"));
	assert_non_null(strstr(buf, "2.00"));
	assert_non_null(strstr(buf, " no (serial)\n"));
	assert_non_null(strstr(buf, "results match baseline"));
}

/* The text report: header, workers, the Python list, output and errors. */
static void test_run_text(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f, 5);
	f.output[0] =
	    (struct output_line){.worker = 1, .t_s = 0.002, .text = "Worker process is running."};
	f.s.n_output = 1;
	f.errors[0] = (struct run_error){.item = 2, .worker = 0, .message = "killed by SIGKILL"};
	f.s.n_errors = 1;
	char buf[4096] = "";
	FILE *out = fmemopen(buf, sizeof buf, "w");
	report_run_text(out, &f.s);
	fclose(out);
	assert_non_null(strstr(buf, "square on process: 2 workers, chunksize 1, 5 items"));
	assert_non_null(strstr(buf, "results: [1, 4, 9, 16, 25]"));
	assert_non_null(strstr(buf, "1001"));
	assert_non_null(strstr(buf, "Worker process is running."));
	assert_non_null(strstr(buf, "items[2] = 3: killed by SIGKILL"));
	assert_non_null(strstr(buf, "parallelism 1.80"));
	assert_non_null(strstr(buf, "wall 500.0 ms"));
}

/* A py-thread run's interpreter, as the engine would fill it. */
static const struct run_python fake_python = {.path = "/usr/bin/python3",
                                              .implementation = "cpython",
                                              .version = "3.11.7",
                                              .gil = true,
                                              .free_threaded = false,
                                              .start_method = NULL,
                                              .pid = 4242,
                                              .interp_startup_s = 0.064,
                                              .bytes_sent = 1234,
                                              .bytes_recvd = 812,
                                              .msgs_sent = 5,
                                              .msgs_recvd = 6,
                                              .gil_measured =
                                                  "sampled /proc at 1000 Hz (got 930), ±0.04 s",
                                              .own_output = ""};

/* A py-* run's keys: interpreter, interp_startup_s, pickled bytes and messages,
 * gil_measured, per_item_s, fault; none of them on a C run. */
static void test_python_json(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f, 5);
	f.s.backend = BACKEND_PY_PROCESS;
	struct run_python py = fake_python;
	py.start_method = "spawn";
	f.s.python = &py;
	f.s.fault = "the interpreter wrote an unreadable line";
	struct json_object *o = report_run_json(&f.s);
	char *text = strdup(json_object_to_json_string(o));
	json_object_put(o);
	o = json_tokener_parse(text);
	free(text);
	assert_non_null(o);
	struct json_object *i = key(o, "interpreter");
	assert_string_equal(json_object_get_string(key(i, "path")), "/usr/bin/python3");
	assert_string_equal(json_object_get_string(key(i, "version")), "3.11.7");
	assert_true(json_object_get_boolean(key(i, "gil")));
	assert_false(json_object_get_boolean(key(i, "free_threaded")));
	assert_string_equal(json_object_get_string(key(i, "start_method")), "spawn");
	assert_true(json_object_get_double(key(o, "interp_startup_s")) > 0.0639);
	assert_int_equal(json_object_get_int64(key(o, "pickled_sent_bytes")), 1234);
	assert_int_equal(json_object_get_int64(key(o, "pickled_recvd_bytes")), 812);
	assert_int_equal(json_object_get_int64(key(o, "pickled_sent_msgs")), 5);
	assert_int_equal(json_object_get_int64(key(o, "pickled_recvd_msgs")), 6);
	assert_non_null(strstr(json_object_get_string(key(o, "gil_measured")), "1000 Hz"));
	double per = json_object_get_double(key(o, "per_item_s")); /* 0.5 s / 5 items */
	assert_true(per > 0.0999 && per < 0.1001);
	assert_non_null(strstr(json_object_get_string(key(o, "fault")), "unreadable"));
	json_object_put(o);
	/* py-process has no GIL measurement: null; a C run has none of the keys */
	py.gil_measured = NULL;
	f.s.fault = NULL;
	o = report_run_json(&f.s);
	struct json_object *g = NULL;
	assert_true(json_object_object_get_ex(o, "gil_measured", &g));
	assert_null(g);
	assert_false(json_object_object_get_ex(o, "fault", NULL));
	json_object_put(o);
	f.s.python = NULL;
	f.s.backend = BACKEND_PROCESS;
	o = report_run_json(&f.s);
	assert_false(json_object_object_get_ex(o, "interpreter", NULL));
	assert_false(json_object_object_get_ex(o, "pickled_sent_bytes", NULL));
	json_object_put(o);
}

/* A py-* run as text: its interpreter line, per-item cost, how the GIL was
 * measured; "GIL hand-offs" only where the snapshot has the model's log. */
static void test_python_text(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f, 5);
	f.s.backend = BACKEND_PY_THREAD;
	f.s.python = &fake_python;
	char buf[4096] = "";
	FILE *out = fmemopen(buf, sizeof buf, "w");
	report_run_text(out, &f.s);
	fclose(out);
	assert_non_null(strstr(buf, "square on py-thread"));
	assert_non_null(strstr(buf,
	                       "CPython 3.11.7, GIL on; interpreter start 64.0 ms; pool "
	                       "start 1.0 ms; pickled 1.2 kB out, 812 B back (5 + 6 messages)"));
	assert_non_null(strstr(buf, "per item: 100.0 ms of wall at chunksize 1"));
	assert_non_null(strstr(buf, "GIL measured: sampled /proc at 1000 Hz"));
	assert_non_null(strstr(buf, "GIL held"));
	assert_null(strstr(buf, "GIL hand-offs")); /* the real GIL keeps no log */
	assert_null(strstr(buf, "ended early"));
	f.s.fault = "worker 1 died";
	out = fmemopen(buf, sizeof buf, "w");
	report_run_text(out, &f.s);
	fclose(out);
	assert_non_null(strstr(buf, "ended early: worker 1 died"));
	/* the model: its hand-offs, and no interpreter line */
	struct gil_switch sw[3] = {{0.0, 0, false}, {0.1, 1, true}, {0.2, 0, true}};
	f.s.backend = BACKEND_GIL;
	f.s.python = NULL;
	f.s.fault = NULL;
	f.s.switches = sw;
	f.s.n_switches = 3;
	out = fmemopen(buf, sizeof buf, "w");
	report_run_text(out, &f.s);
	fclose(out);
	assert_non_null(strstr(buf, "GIL hand-offs: 3"));
	assert_null(strstr(buf, "CPython"));
	assert_null(strstr(buf, "per item"));
}

/* A compare of the py family: each py row against py-serial, with its interpreter. */
static void test_python_compare(void **state)
{
	(void)state;
	struct fake a, b, c;
	fake_init(&a, 4);
	fake_init(&b, 4);
	fake_init(&c, 4);
	a.s.backend = BACKEND_SERIAL;
	b.s.backend = BACKEND_PY_SERIAL;
	c.s.backend = BACKEND_PY_THREAD;
	b.s.python = c.s.python = &fake_python;
	b.s.wall_s = 1.0;
	c.s.wall_s = 0.25;
	struct run_request req = {.kind = RUNKIND_COMPARE,
	                          .task = a.s.task,
	                          .items = a.items,
	                          .n_items = 4,
	                          .workers = 2,
	                          .chunksize = 1};
	const struct run_snapshot *snaps[] = {&a.s, &b.s, &c.s};
	struct json_object *o = report_compare_json(&req, snaps, 3);
	struct json_object *runs = key(o, "runs");
	struct json_object *r2 = json_object_array_get_idx(runs, 2);
	assert_string_equal(json_object_get_string(key(r2, "baseline")), "py-serial");
	assert_true(json_object_get_double(key(r2, "speedup")) > 3.99);
	assert_string_equal(json_object_get_string(key(key(r2, "interpreter"), "version")),
	                    "3.11.7");
	assert_false(
	    json_object_object_get_ex(json_object_array_get_idx(runs, 0), "interpreter", NULL));
	json_object_put(o);
	/* the text: the py row matched against py-serial, and says so */
	char buf[4096] = "";
	FILE *out = fmemopen(buf, sizeof buf, "w");
	report_compare_text(out, &req, snaps, 3);
	fclose(out);
	assert_non_null(strstr(buf, "yes (py-serial)\n"));
	assert_null(strstr(buf, "yes (serial)"));
}

/* pythons: a block per interpreter with its default start method marked; none: a line. */
static void test_pythons(void **state)
{
	(void)state;
	struct python_info py[2];
	memset(py, 0, sizeof py);
	snprintf(py[0].path, sizeof py[0].path, "/usr/bin/python3");
	snprintf(py[0].real, sizeof py[0].real, "/usr/bin/python3.11");
	snprintf(py[0].implementation, sizeof py[0].implementation, "cpython");
	snprintf(py[0].version, sizeof py[0].version, "3.11.2");
	snprintf(py[0].start_methods, sizeof py[0].start_methods, "fork,spawn,forkserver");
	snprintf(py[0].default_method, sizeof py[0].default_method, "fork");
	py[0].gil_enabled = true;
	py[1] = py[0];
	snprintf(py[1].path, sizeof py[1].path, "/opt/bin/python3.14t");
	snprintf(py[1].real, sizeof py[1].real, "/opt/bin/python3.14t");
	snprintf(py[1].version, sizeof py[1].version, "3.14.0");
	snprintf(py[1].default_method, sizeof py[1].default_method, "forkserver");
	py[1].free_threaded = true;
	py[1].gil_enabled = false;
	py[1].interpreters = py[1].interpreter_pool = true;
	char buf[4096] = "";
	FILE *out = fmemopen(buf, sizeof buf, "w");
	report_pythons_text(out, py, 2);
	fclose(out);
	assert_non_null(strstr(buf,
	                       "/usr/bin/python3: CPython 3.11.2, GIL on (/usr/bin/python3.11)\n"
	                       "  start methods: fork (default), spawn, forkserver\n"
	                       "  concurrent.interpreters: no   InterpreterPoolExecutor: no\n"));
	assert_non_null(strstr(buf,
	                       "/opt/bin/python3.14t: CPython 3.14.0, free-threaded, no GIL\n"
	                       "  start methods: fork, spawn, forkserver (default)\n"
	                       "  concurrent.interpreters: yes   InterpreterPoolExecutor: yes"));
	out = fmemopen(buf, sizeof buf, "w");
	report_pythons_text(out, py, 0);
	fclose(out);
	assert_non_null(strstr(buf, "no Python interpreter found on PATH"));
	struct json_object *o = report_pythons_json(py, 2);
	struct json_object *p1 = json_object_array_get_idx(key(o, "pythons"), 1);
	assert_string_equal(json_object_get_string(key(p1, "version")), "3.14.0");
	assert_false(json_object_get_boolean(key(p1, "gil")));
	assert_true(json_object_get_boolean(key(p1, "free_threaded")));
	assert_true(json_object_get_boolean(key(p1, "interpreter_pool")));
	assert_int_equal(json_object_array_length(key(p1, "start_methods")), 3);
	assert_string_equal(
	    json_object_get_string(json_object_array_get_idx(key(p1, "start_methods"), 2)),
	    "forkserver");
	assert_string_equal(json_object_get_string(key(p1, "default_start_method")), "forkserver");
	json_object_put(o);
	char b[32];
	report_format_bytes(b, sizeof b, 999);
	assert_string_equal(b, "999 B");
	report_format_bytes(b, sizeof b, 1250);
	assert_string_equal(b, "1.2 kB");
	report_format_bytes(b, sizeof b, 3400000);
	assert_string_equal(b, "3.4 MB");
}

/* Repeated runs: distinct orders counted, most frequent first. */
static void test_orders(void **state)
{
	(void)state;
	struct fake f;
	struct session_orders o;
	memset(&o, 0, sizeof o);
	fake_init(&f, 3);
	f.s.task = task_find("print");
	f.s.task_returns = false;
	static const char *const a[] = {"1", "2", "3"}, *const b[] = {"2", "1", "3"};
	const char *const *runs[] = {a, b, b};
	for (size_t r = 0; r < 3; r++) {
		for (size_t i = 0; i < 3; i++)
			f.output[i] = (struct output_line){.worker = 0, .text = runs[r][i]};
		f.s.n_output = 3;
		assert_int_equal(session_orders_add_run(&o, &f.s), 0);
	}
	assert_int_equal(o.runs, 3);
	assert_int_equal(o.n_orders, 2);
	struct json_object *j = report_orders_json(&o);
	assert_int_equal(json_object_get_int(key(j, "runs")), 3);
	struct json_object *first = json_object_array_get_idx(key(j, "orders"), 0);
	assert_int_equal(json_object_get_int(key(first, "count")), 2);
	assert_int_equal(json_object_get_int(json_object_array_get_idx(key(first, "order"), 0)), 2);
	json_object_put(j);
	char buf[512] = "";
	FILE *out = fmemopen(buf, sizeof buf, "w");
	report_orders_text(out, &o);
	fclose(out);
	assert_non_null(strstr(buf, "orders seen in 3 runs"));
	assert_non_null(strstr(buf, "2 1 3 "));
	session_orders_free(&o);
	/* without numeric output: completion order of the items */
	fake_init(&f, 3);
	f.order[0] = 1, f.order[1] = 2, f.order[2] = 0;
	assert_int_equal(session_orders_add_run(&o, &f.s), 0);
	assert_int_equal(o.orders[0].n, 3);
	assert_true(o.orders[0].values[0] == 2 && o.orders[0].values[2] == 1);
	session_orders_free(&o);
}

/* One Process: its moments, a zombie's wait, killed by a signal, JSON nulls. */
static void test_process(void **state)
{
	(void)state;
	int64_t item = 6;
	struct run_request req = {.kind = RUNKIND_PROCESS,
	                          .task = task_find("crash"),
	                          .items = &item,
	                          .n_items = 1,
	                          .join_after_ms = 500};
	struct output_line line = {.worker = 0, .t_s = 0.001, .text = "Worker process is running."};
	struct proc_demo_snap s = {.state = PROC_JOINED,
	                           .pid = 4242,
	                           .parent_pid = 4241,
	                           .exit_code = -11,
	                           .created_s = 0,
	                           .started_s = 0.0002,
	                           .exited_s = 0.001,
	                           .joined_s = 0.5,
	                           .output = &line,
	                           .n_output = 1};
	char buf[2048] = "";
	FILE *out = fmemopen(buf, sizeof buf, "w");
	report_process_text(out, &req, &s);
	fclose(out);
	assert_non_null(strstr(buf, "Process(target=crash, args=(6,)): pid 4242, parent 4241"));
	assert_non_null(strstr(buf, "killed by SIGSEGV"));
	assert_non_null(strstr(buf, "a zombie for 499.0 ms"));
	assert_non_null(strstr(buf, "result: None"));
	assert_non_null(strstr(buf, "Worker process is running."));
	s.exited_s = -1;
	s.joined_s = -1;
	s.has_result = true;
	s.result = 6;
	struct proc_demo_child child = {.item = 6,
	                                .pid = 4242,
	                                .exit_code = -11,
	                                .started_s = 0.0002,
	                                .exited_s = -1,
	                                .joined_s = -1,
	                                .reaped_s = -1,
	                                .has_result = true,
	                                .result = 6};
	s.procs = &child;
	s.n_procs = 1;
	struct json_object *o = report_process_json(&req, &s);
	assert_int_equal(json_object_get_int(key(o, "pid")), 4242);
	assert_int_equal(json_object_get_int(key(o, "exit_code")), -11);
	assert_int_equal(json_object_get_int(key(o, "result")), 6);
	assert_int_equal(json_object_get_int(key(o, "join_after_ms")), 500);
	assert_null(key(o, "exited_s"));
	assert_non_null(key(o, "started_s"));
	assert_int_equal(json_object_array_length(key(o, "output")), 1);
	assert_int_equal(
	    json_object_get_int(key(json_object_array_get_idx(key(o, "processes"), 0), "pid")),
	    4242);
	json_object_put(o);
	/* several Processes: no one of them stands for all at the top level */
	struct proc_demo_child two[2] = {child, child};
	two[1].pid = 4243;
	s.procs = two;
	s.n_procs = 2;
	o = report_process_json(&req, &s);
	assert_false(json_object_object_get_ex(o, "pid", NULL));
	assert_false(json_object_object_get_ex(o, "exit_code", NULL));
	assert_int_equal(json_object_array_length(key(o, "processes")), 2);
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pylist_plain),   cmocka_unit_test(test_pylist_none),
	    cmocka_unit_test(test_pylist_cut),     cmocka_unit_test(test_pylist_unordered),
	    cmocka_unit_test(test_run_json),       cmocka_unit_test(test_run_json_unordered),
	    cmocka_unit_test(test_compare),        cmocka_unit_test(test_run_text),
	    cmocka_unit_test(test_orders),         cmocka_unit_test(test_process),
	    cmocka_unit_test(test_python_json),    cmocka_unit_test(test_python_text),
	    cmocka_unit_test(test_python_compare), cmocka_unit_test(test_pythons),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
