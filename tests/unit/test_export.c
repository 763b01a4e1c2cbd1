/*
 * test_export.c — the table of report formats: every row whole and named
 * once, found by name, the default first; a report handed to the request's
 * format writes what that format's writer writes (text, and JSON that parses
 * back, with the orders of --repeat); and a format without an entry is
 * refused with a message naming the formats that can.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include "engine/task.h"
#include "export/format.h"
#include "export/json.h"
#include "export/text.h"
#include "fake_items.h"

/* A finished map of the squares of 1..3 on one process worker. */
struct fake {
	struct run_snapshot s;
	int64_t items[3];
	int64_t results[3];
	uint8_t status[3];
	struct item_rec recs[3];
	struct item_who who[FAKE_WHO_MAX];
	uint32_t order[3];
	struct worker_snap worker;
};

/* Fill f. */
static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < 3; i++) {
		f->items[i] = (int64_t)i + 1;
		f->results[i] = f->items[i] * f->items[i];
		f->status[i] = ITEM_DONE;
		f->order[i] = i;
	}
	f->worker = (struct worker_snap){.id = 0, .pid = 77, .tid = 77, .state = WORKER_EXITED};
	f->s = (struct run_snapshot){.state = RUN_DONE,
	                             .backend = BACKEND_PROCESS,
	                             .task = task_find("square"),
	                             .workers = 1,
	                             .chunksize = 1,
	                             .wall_s = 0.5,
	                             .per_worker = &f->worker,
	                             .n_items = 3,
	                             .n_done = 3,
	                             .items = f->items,
	                             .results = f->results,
	                             .task_returns = true,
	                             .order = f->order,
	                             .n_order = 3};
	fake_items_pack(&f->s, f->status, NULL, f->recs, f->who);
}

/* Run stmt with `out` open on buf; buf then holds what it wrote, NUL-terminated. */
#define CAPTURE(buf, stmt)                                                                         \
	do {                                                                                       \
		(buf)[0] = '\0'; /* fmemopen leaves it as it was if nothing is written */          \
		FILE *out = fmemopen((buf), sizeof(buf), "w");                                     \
		assert_non_null(out);                                                              \
		stmt;                                                                              \
		fclose(out);                                                                       \
	} while (0)

/* pythons through the table: text by default, JSON that parses back; a format
 * without the entry is refused naming the ones that can. */
static void test_dispatch_pythons(void **state)
{
	(void)state;
	struct python_info py;
	memset(&py, 0, sizeof py);
	snprintf(py.path, sizeof py.path, "/usr/bin/python3");
	snprintf(py.real, sizeof py.real, "/usr/bin/python3");
	snprintf(py.implementation, sizeof py.implementation, "cpython");
	snprintf(py.version, sizeof py.version, "3.12.1");
	snprintf(py.start_methods, sizeof py.start_methods, "fork,spawn");
	snprintf(py.default_method, sizeof py.default_method, "fork");
	py.gil_enabled = true;
	char got[4096], err[256] = "";
	CAPTURE(got, assert_int_equal(export_pythons(NULL, out, &py, 1, err, sizeof err), 0));
	assert_non_null(strstr(got, "/usr/bin/python3: CPython 3.12.1, GIL on\n"));
	CAPTURE(got,
	        assert_int_equal(export_pythons(&export_json, out, &py, 1, err, sizeof err), 0));
	struct json_object *o = json_tokener_parse(got);
	assert_non_null(o);
	struct json_object *arr, *p0, *v;
	assert_true(json_object_object_get_ex(o, "pythons", &arr));
	p0 = json_object_array_get_idx(arr, 0);
	assert_true(json_object_object_get_ex(p0, "version", &v));
	assert_string_equal(json_object_get_string(v), "3.12.1");
	json_object_put(o);
	static const struct export_format none = {.name = "none", .summary = "nothing at all"};
	CAPTURE(got, assert_int_equal(export_pythons(&none, out, &py, 1, err, sizeof err), -1));
	assert_non_null(strstr(err, "cannot write a pythons report"));
	assert_non_null(strstr(err, "text, json"));
	CAPTURE(got,
	        assert_int_equal(export_pythons(&export_chrome, out, &py, 1, err, sizeof err), -1));
	assert_string_equal(got, "");
	assert_non_null(strstr(err, "(formats that can: text, json)"));
}

/* Every row: a name, a summary, an entry for each kind; names unique; found by name. */
static void test_rows_whole(void **state)
{
	(void)state;
	assert_true(export_format_count >= 2);
	assert_ptr_equal(export_format_default(), &export_text);
	assert_ptr_equal(export_formats[0], &export_text);
	for (size_t i = 0; i < export_format_count; i++) {
		const struct export_format *f = export_formats[i];
		assert_non_null(f->name);
		assert_true(f->name[0] != '\0' && strchr(f->name, ' ') == NULL);
		assert_non_null(f->summary);
		assert_true(strlen(f->summary) > 10);
		assert_non_null(f->run);
		assert_non_null(f->compare);
		/* the pictures draw runs, compares and sweeps only, and say so; every other row
		 * is whole */
		bool picture = f == &export_svg || f == &export_png;
		assert_true(picture ? f->process == NULL : f->process != NULL);
		assert_true(picture ? f->orders == NULL : f->orders != NULL);
		for (int k = 0; k < EXPORT_KIND_COUNT; k++) /* pythons: text and json below */
			assert_true(k == EXPORT_PYTHONS || k == EXPORT_PYRUN ||
			            export_format_can(f, (enum export_kind)k) ==
			                (!picture || k == EXPORT_RUN || k == EXPORT_COMPARE ||
			                 k == EXPORT_SWEEP));
		assert_true(export_format_can(f, EXPORT_PYTHONS) == (f->pythons != NULL));
		assert_ptr_equal(export_format_find(f->name), f);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(export_formats[j]->name, f->name);
		assert_string_equal(export_format_words()[i], f->name);
	}
	assert_null(export_format_words()[export_format_count]);
	assert_non_null(export_text.pythons); /* `pythons` and `pythons --format json` */
	assert_non_null(export_json.pythons);
	assert_ptr_equal(export_format_find("json"), &export_json);
	assert_null(export_format_find("bogus"));
	assert_null(export_format_find("JSON"));
	assert_null(export_format_find(""));
	assert_null(export_format_find(NULL));
	char names[128];
	export_format_names(names, sizeof names);
	assert_string_equal(names, "text, json, csv, chrome, svg, png");
	char tiny[6];
	export_format_names(tiny, sizeof tiny); /* cut, never overrun */
	assert_true(strlen(tiny) < sizeof tiny);
}

/* A request's command decides the kind of its report. */
static void test_kind_of(void **state)
{
	(void)state;
	struct run_request r = {.kind = RUNKIND_RUN};
	assert_int_equal(export_kind_of(&r), EXPORT_RUN);
	r.kind = RUNKIND_COMPARE;
	assert_int_equal(export_kind_of(&r), EXPORT_COMPARE);
	r.kind = RUNKIND_PROCESS;
	assert_int_equal(export_kind_of(&r), EXPORT_PROCESS);
}

/* export_run writes what the format's writer writes: text by default, JSON on request. */
static void test_dispatch_run(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	struct session_orders o;
	memset(&o, 0, sizeof o);
	assert_int_equal(session_orders_add_run(&o, &f.s), 0);
	assert_int_equal(session_orders_add_run(&o, &f.s), 0);
	char err[256] = "", got[8192] = "", want[8192] = "";

	struct run_request req = {.kind = RUNKIND_RUN}; /* no format: text */
	CAPTURE(got, assert_int_equal(export_run(&req, out, &f.s, NULL, err, sizeof err), 0));
	CAPTURE(want, report_run_text(out, &f.s));
	assert_string_equal(got, want);
	assert_non_null(strstr(got, "results: [1, 4, 9]"));
	assert_null(strstr(got, "orders seen"));
	/* --repeat: the orders line after the report */
	req.format = &export_text;
	CAPTURE(got, assert_int_equal(export_run(&req, out, &f.s, &o, err, sizeof err), 0));
	assert_non_null(strstr(got, "results: [1, 4, 9]"));
	assert_non_null(strstr(got, "orders seen in 2 runs (1 distinct)"));

	req.format = &export_json;
	CAPTURE(got, assert_int_equal(export_run(&req, out, &f.s, &o, err, sizeof err), 0));
	assert_int_equal(strchr(got, '\n') - got, (long)strlen(got) - 1); /* one line */
	struct json_object *j = json_tokener_parse(got), *v;
	assert_non_null(j);
	assert_true(json_object_object_get_ex(j, "results", &v));
	assert_int_equal(json_object_get_int(json_object_array_get_idx(v, 2)), 9);
	assert_true(json_object_object_get_ex(j, "repeat", &v));
	assert_true(json_object_object_get_ex(v, "runs", &v));
	assert_int_equal(json_object_get_int(v), 2);
	json_object_put(j);
	/* one run: no "repeat" */
	CAPTURE(got, assert_int_equal(export_run(&req, out, &f.s, NULL, err, sizeof err), 0));
	j = json_tokener_parse(got);
	assert_non_null(j);
	assert_false(json_object_object_get_ex(j, "repeat", NULL));
	json_object_put(j);

	/* the orders alone */
	CAPTURE(got, assert_int_equal(export_orders(&req, out, &o, err, sizeof err), 0));
	j = json_tokener_parse(got);
	assert_true(json_object_object_get_ex(j, "orders", &v));
	assert_int_equal(json_object_array_length(v), 1);
	json_object_put(j);
	req.format = &export_text;
	CAPTURE(got, assert_int_equal(export_orders(&req, out, &o, err, sizeof err), 0));
	assert_non_null(strstr(got, "orders seen in 2 runs"));
	session_orders_free(&o);
}

/* export_compare and export_process reach the format's writers too. */
static void test_dispatch_compare_process(void **state)
{
	(void)state;
	struct fake a, b;
	fake_init(&a);
	fake_init(&b);
	a.s.backend = BACKEND_SERIAL;
	b.s.wall_s = 0.25;
	const struct run_snapshot *snaps[] = {&a.s, &b.s};
	struct run_request req = {.kind = RUNKIND_COMPARE,
	                          .task = a.s.task,
	                          .items = a.items,
	                          .n_items = 3,
	                          .workers = 1,
	                          .chunksize = 1,
	                          .format = &export_json};
	char err[256] = "", got[8192] = "", want[8192] = "";
	CAPTURE(got, assert_int_equal(export_compare(&req, out, snaps, 2, err, sizeof err), 0));
	struct json_object *j = json_tokener_parse(got), *v;
	assert_non_null(j);
	assert_true(json_object_object_get_ex(j, "runs", &v));
	assert_int_equal(json_object_array_length(v), 2);
	json_object_put(j);
	req.format = &export_text;
	CAPTURE(got, assert_int_equal(export_compare(&req, out, snaps, 2, err, sizeof err), 0));
	CAPTURE(want, report_compare_text(out, &req, snaps, 2));
	assert_string_equal(got, want);
	assert_non_null(strstr(got, "(reference)"));

	int64_t item = 3;
	struct run_request preq = {
	    .kind = RUNKIND_PROCESS, .task = task_find("square"), .items = &item, .n_items = 1};
	struct proc_demo_snap ps = {.state = PROC_JOINED,
	                            .pid = 99,
	                            .parent_pid = 98,
	                            .has_result = true,
	                            .result = 9,
	                            .exited_s = 0.001,
	                            .joined_s = 0.002};
	CAPTURE(got, assert_int_equal(export_process(&preq, out, &ps, NULL, err, sizeof err), 0));
	CAPTURE(want, report_process_text(out, &preq, &ps));
	assert_string_equal(got, want);
	assert_non_null(strstr(got, "result: 9"));
	preq.format = &export_json;
	CAPTURE(got, assert_int_equal(export_process(&preq, out, &ps, NULL, err, sizeof err), 0));
	j = json_tokener_parse(got);
	assert_non_null(j);
	assert_true(json_object_object_get_ex(j, "task", &v));
	assert_string_equal(json_object_get_string(v), "square");
	json_object_put(j);
}

/* A row's run entry that writes one word, for the half-made format below. */
static int half_run(FILE *out, const struct run_snapshot *s, const struct session_orders *repeat,
                    char *err, size_t errlen)
{
	(void)s, (void)repeat, (void)err, (void)errlen;
	fputs("half\n", out);
	return 0;
}

/* Unset entries: refused, with a message naming the format and those that can. */
static void test_unset_refused(void **state)
{
	(void)state;
	static const struct export_format half = {
	    .name = "half", .summary = "a run only", .run = half_run};
	struct fake f;
	fake_init(&f);
	const struct run_snapshot *snaps[] = {&f.s};
	struct proc_demo_snap ps = {.pid = 1};
	struct session_orders o;
	memset(&o, 0, sizeof o);
	struct run_request req = {.kind = RUNKIND_COMPARE, .task = f.s.task, .format = &half};
	char err[256] = "", got[256] = "";

	assert_true(export_format_can(&half, EXPORT_RUN));
	assert_false(export_format_can(&half, EXPORT_COMPARE));
	assert_false(export_format_can(&half, EXPORT_PROCESS));
	assert_false(export_format_can(&half, EXPORT_ORDERS));
	assert_int_equal(export_format_check(&half, EXPORT_RUN, err, sizeof err), 0);
	assert_int_equal(export_format_check(NULL, EXPORT_PROCESS, err, sizeof err), 0);

	CAPTURE(got, assert_int_equal(export_run(&req, out, &f.s, NULL, err, sizeof err), 0));
	assert_string_equal(got, "half\n");

	CAPTURE(got, assert_int_equal(export_compare(&req, out, snaps, 1, err, sizeof err), -1));
	assert_string_equal(got, ""); /* nothing written */
	assert_string_equal(err,
	                    "--format half cannot write a compare report (formats that can: text, "
	                    "json, csv, chrome, svg, png)");
	err[0] = '\0';
	CAPTURE(got, assert_int_equal(export_process(&req, out, &ps, NULL, err, sizeof err), -1));
	assert_string_equal(got, "");
	assert_non_null(strstr(err, "--format half cannot write a process report"));
	err[0] = '\0';
	CAPTURE(got, assert_int_equal(export_orders(&req, out, &o, err, sizeof err), -1));
	assert_non_null(strstr(err, "--format half cannot write"));
	assert_non_null(strstr(err, "text, json, csv, chrome"));
	assert_int_equal(export_format_check(&half, EXPORT_COMPARE, err, sizeof err), -1);
	assert_null(strchr(err, '\n'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rows_whole),    cmocka_unit_test(test_kind_of),
	    cmocka_unit_test(test_dispatch_run),  cmocka_unit_test(test_dispatch_compare_process),
	    cmocka_unit_test(test_unset_refused), cmocka_unit_test(test_dispatch_pythons),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
