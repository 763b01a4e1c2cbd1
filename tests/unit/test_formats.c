/*
 * test_formats.c — the csv and chrome formats and -o FILE on snapshots made
 * by hand: the CSV's columns, records and RFC 4180 quoting; the chrome trace
 * parsed back with json-c (one X slice per item on its worker's real pid and
 * tid, the failed item marked with an instant, GIL slices on their own
 * track, counters, metadata, a compare's runs apart); the JSON writer's
 * escaping and numbers; a report to a file whole or not at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include <json-c/json.h>

#include "engine/task.h"
#include "export/format.h"
#include "export/jsonw.h"
#include "fake_items.h"

/* A crash run of 1..4 on two process workers: item 2 (value 3) killed its
 * worker (pid 501), replaced by pid 503 which ran item 3. */
struct fake {
	struct run_snapshot s;
	int64_t items[4];
	int64_t results[4];
	uint8_t status[4];
	struct item_event events[4];
	struct item_rec recs[4];
	struct item_who who[FAKE_WHO_MAX];
	struct worker_snap workers[2];
	struct run_error errors[1];
	struct gil_mark marks[3];
};

/* Fill f. */
static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof *f);
	for (int i = 0; i < 4; i++) {
		f->items[i] = i + 1;
		f->results[i] = i + 1;
		f->status[i] = ITEM_DONE;
	}
	f->status[2] = ITEM_FAILED;
	f->events[0] = (struct item_event){
	    .worker = 0, .pid = 501, .tid = 501, .start_s = 0.001, .end_s = 0.002};
	f->events[1] = (struct item_event){
	    .worker = 1, .pid = 502, .tid = 502, .start_s = 0.001, .end_s = 0.003};
	f->events[2] = (struct item_event){
	    .worker = 0, .pid = 501, .tid = 501, .start_s = 0.002, .end_s = 0.010};
	f->events[3] = (struct item_event){
	    .worker = 0, .pid = 503, .tid = 503, .start_s = 0.011, .end_s = 0.012};
	f->workers[0] = (struct worker_snap){.id = 0,
	                                     .pid = 503,
	                                     .tid = 503,
	                                     .restarts = 1,
	                                     .tasks = 2,
	                                     .cpu_s = 0.004,
	                                     .busy_s = 0.002};
	f->workers[1] = (struct worker_snap){
	    .id = 1, .pid = 502, .tid = 502, .tasks = 1, .cpu_s = 0.003, .busy_s = 0.002};
	f->errors[0] =
	    (struct run_error){.item = 2,
	                       .worker = 0,
	                       .message = "worker 0 (pid 501) killed by SIGSEGV, \"item\" 2",
	                       .t_s = 0.010};
	f->s = (struct run_snapshot){.state = RUN_DONE,
	                             .backend = BACKEND_PROCESS,
	                             .task = task_find("crash"),
	                             .workers = 2,
	                             .chunksize = 1,
	                             .wall_s = 0.012,
	                             .now_s = 0.012,
	                             .startup_s = 0.001,
	                             .cpu_s = 0.007,
	                             .per_worker = f->workers,
	                             .n_items = 4,
	                             .n_done = 3,
	                             .n_failed = 1,
	                             .items = f->items,
	                             .results = f->results,
	                             .task_returns = true,
	                             .errors = f->errors,
	                             .n_errors = 1,
	                             .t0_unix_s = 1000.0};
	fake_items_pack(&f->s, f->status, f->events, f->recs, f->who);
}

/* Run stmt with `out` open on a growing buffer; *text then holds what it wrote (caller frees). */
#define CAPTURE(text, stmt)                                                                        \
	do {                                                                                       \
		size_t len_ = 0;                                                                   \
		FILE *out = open_memstream(&(text), &len_);                                        \
		assert_non_null(out);                                                              \
		stmt;                                                                              \
		fclose(out);                                                                       \
	} while (0)

/* The value of key in o (fails the test if missing). */
static struct json_object *key(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;
	if (!json_object_object_get_ex(o, k, &v))
		fail_msg("no key %s", k);
	return v;
}

/* The events of a trace with phase ph and name (NULL: any), counted; *last the last one. */
static int count_events(struct json_object *trace, const char *ph, const char *name,
                        struct json_object **last)
{
	struct json_object *ev = key(trace, "traceEvents");
	int n = 0;
	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		struct json_object *e = json_object_array_get_idx(ev, i);
		if (strcmp(json_object_get_string(key(e, "ph")), ph) != 0)
			continue;
		if (name != NULL && strcmp(json_object_get_string(key(e, "name")), name) != 0)
			continue;
		n++;
		if (last)
			*last = e;
	}
	return n;
}

/* CSV: a header, an item row per item, a worker row per worker; quoting of the error. */
static void test_csv_run(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	struct run_request req = {.kind = RUNKIND_RUN, .format = &export_csv};
	char err[256] = "", *text = NULL;
	CAPTURE(text, assert_int_equal(export_run(&req, out, &f.s, NULL, err, sizeof err), 0));
	char *lines[16] = {NULL};
	int n = 0;
	for (char *p = text; *p != '\0' && n < 16;) {
		char *e = strstr(p, "\r\n");
		assert_non_null(e); /* every line ends in CRLF */
		*e = '\0';
		lines[n++] = p;
		p = e + 2;
	}
	assert_int_equal(n, 1 + 4 + 2);
	assert_string_equal(lines[0], "record,backend,worker,pid,tid,index,item,start_s,end_s,"
	                              "status,result,tasks,cpu_s,busy_s,gil_held_s,gil_wait_s,"
	                              "error,count,order");
	assert_string_equal(lines[1],
	                    "item,process,0,501,501,0,1,0.001000,0.002000,done,1,,,,,,,,");
	/* the failed item: no result, its message quoted with its quotes doubled */
	assert_string_equal(lines[3], "item,process,0,501,501,2,3,0.002000,0.010000,failed,,,,,,,"
	                              "\"worker 0 (pid 501) killed by SIGSEGV, \"\"item\"\" 2\",,");
	/* the replacement's item names its own pid */
	assert_non_null(strstr(lines[4], "item,process,0,503,503,3,4,"));
	assert_string_equal(
	    lines[5], "worker,process,0,503,503,,,,,,,2,0.004000,0.002000,0.000000,0.000000,,,");
	/* every row has the header's fields (no commas inside the fields but the quoted one) */
	for (int i = 0; i < n; i++) {
		int commas = 0;
		bool quoted = false;
		for (char *p = lines[i]; *p; p++) {
			if (*p == '"')
				quoted = !quoted;
			else if (*p == ',' && !quoted)
				commas++;
		}
		assert_int_equal(commas, 18);
	}
	free(text);
}

/* CSV of a compare: every run's rows under one header, the backend telling them apart. */
static void test_csv_compare(void **state)
{
	(void)state;
	struct fake a, b;
	fake_init(&a);
	fake_init(&b);
	b.s.backend = BACKEND_THREAD;
	const struct run_snapshot *snaps[] = {&a.s, &b.s};
	struct run_request req = {.kind = RUNKIND_COMPARE, .task = a.s.task, .format = &export_csv};
	char err[256], *text = NULL;
	CAPTURE(text, assert_int_equal(export_compare(&req, out, snaps, 2, err, sizeof err), 0));
	int heads = 0, proc = 0, thread = 0;
	for (char *p = text; (p = strstr(p, "\r\n")) != NULL; p += 2) {
		char *line = p + 2;
		if (strncmp(line, "record,", 7) == 0)
			heads++;
		if (strncmp(line, "item,process,", 13) == 0)
			proc++;
		if (strncmp(line, "item,thread,", 12) == 0)
			thread++;
	}
	assert_int_equal(strncmp(text, "record,", 7), 0);
	assert_int_equal(heads, 0); /* one header, the first line */
	assert_int_equal(proc, 4);
	assert_int_equal(thread, 4);
	free(text);
}

/* Chrome: every item one X slice on its worker's real pid and tid, named by the item;
 * the failed one marked and its error an instant; names and metadata present. */
static void test_chrome_run(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	struct run_request req = {.kind = RUNKIND_RUN, .format = &export_chrome};
	char err[256], *text = NULL;
	CAPTURE(text, assert_int_equal(export_run(&req, out, &f.s, NULL, err, sizeof err), 0));
	struct json_object *t = json_tokener_parse(text), *e = NULL;
	assert_non_null(t);
	static const int pids[] = {501, 502, 501, 503};
	for (int i = 0; i < 4; i++) {
		char name[32];
		snprintf(name, sizeof name, i == 2 ? "crash(%d) failed" : "crash(%d)", i + 1);
		assert_int_equal(count_events(t, "X", name, &e), 1);
		assert_int_equal(json_object_get_int(key(e, "pid")), pids[i]);
		assert_int_equal(json_object_get_int(key(e, "tid")), pids[i]);
		struct json_object *args = key(e, "args");
		assert_int_equal(json_object_get_int(key(args, "index")), i);
		assert_string_equal(json_object_get_string(key(args, "status")),
		                    i == 2 ? "failed" : "done");
		assert_string_equal(json_object_get_string(key(e, "cat")),
		                    i == 2 ? "item,failed" : "item");
		/* ts and dur in microseconds */
		assert_true(json_object_get_double(key(e, "dur")) > 999.0);
	}
	assert_int_equal(count_events(t, "X", "crash(3)", NULL), 0);
	assert_int_equal(count_events(t, "i", "worker died", &e), 1);
	assert_int_equal(json_object_get_int(key(e, "pid")), 501);
	assert_non_null(strstr(json_object_get_string(key(key(e, "args"), "message")), "SIGSEGV"));
	/* three worker processes named (w0 twice: the one that died, its replacement) */
	int named = 0;
	struct json_object *ev = key(t, "traceEvents");
	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		e = json_object_array_get_idx(ev, i);
		if (strcmp(json_object_get_string(key(e, "ph")), "M") == 0 &&
		    strcmp(json_object_get_string(key(e, "name")), "process_name") == 0 &&
		    strstr(json_object_get_string(key(key(e, "args"), "name")), "worker w") != NULL)
			named++;
	}
	assert_int_equal(named, 3);
	assert_true(count_events(t, "M", "thread_name", NULL) >= 4);
	assert_true(count_events(t, "C", "process w0", NULL) >= 2); /* busy % over time */
	struct json_object *m = key(t, "metadata");
	assert_string_equal(json_object_get_string(key(m, "task")), "crash");
	assert_string_equal(json_object_get_string(key(m, "backend")), "process");
	assert_int_equal(json_object_get_int(key(m, "workers")), 2);
	assert_int_equal(json_object_get_int(key(m, "chunksize")), 1);
	assert_non_null(json_object_get_string(key(m, "cpu_model")));
	assert_true(json_object_get_int(key(m, "cpus_online")) >= 1);
	json_object_put(t);
	free(text);
}

/* Chrome on the gil backend: GIL held and wait slices on a track of their own;
 * a compare's thread runs each in a pid of its own, named. */
static void test_chrome_gil_compare(void **state)
{
	(void)state;
	struct fake a, g;
	fake_init(&a);
	fake_init(&g);
	a.s.backend = BACKEND_THREAD;
	g.s.backend = BACKEND_GIL;
	g.s.n_errors = 0;
	g.s.n_failed = 0;
	for (int i = 0; i < 4; i++) {
		g.status[i] = ITEM_DONE;
		a.status[i] = ITEM_DONE;
	}
	a.s.n_errors = 0;
	for (int k = 0; k < 2; k++) /* threads of this process, as the C backends' are */
		a.workers[k].pid = g.workers[k].pid = getpid();
	for (int i = 0; i < 4; i++)
		a.events[i].pid = g.events[i].pid = getpid();
	fake_items_pack(&a.s, a.status, a.events, a.recs, a.who);
	fake_items_pack(&g.s, g.status, g.events, g.recs, g.who);
	g.marks[0] = (struct gil_mark){.t_s = 0.0, .act = GIL_MARK_WAIT};
	g.marks[1] = (struct gil_mark){.t_s = 0.001, .act = GIL_MARK_HOLD};
	g.marks[2] = (struct gil_mark){.t_s = 0.005, .act = GIL_MARK_OFF};
	g.workers[1].gil_marks = g.marks;
	g.workers[1].n_gil_marks = 3;
	const struct run_snapshot *snaps[] = {&a.s, &g.s};
	struct run_request req = {.kind = RUNKIND_COMPARE,
	                          .task = a.s.task,
	                          .workers = 2,
	                          .chunksize = 1,
	                          .format = &export_chrome};
	char err[256], *text = NULL;
	CAPTURE(text, assert_int_equal(export_compare(&req, out, snaps, 2, err, sizeof err), 0));
	struct json_object *t = json_tokener_parse(text), *e = NULL;
	assert_non_null(t);
	assert_int_equal(count_events(t, "X", "GIL held", &e), 1);
	assert_true(json_object_get_double(key(e, "dur")) > 3999 &&
	            json_object_get_double(key(e, "dur")) < 4001);
	int gil_tid = json_object_get_int(key(e, "tid"));
	assert_int_not_equal(gil_tid, 502); /* not on the worker's own track */
	assert_int_equal(count_events(t, "X", "GIL wait", NULL), 1);
	/* the two runs' items in two different pids, each a named process */
	assert_int_equal(count_events(t, "X", "crash(2)", NULL), 2);
	int pid_a = -1, pid_g = -1;
	struct json_object *ev = key(t, "traceEvents");
	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		e = json_object_array_get_idx(ev, i);
		if (strcmp(json_object_get_string(key(e, "name")), "crash(2)") != 0)
			continue;
		if (pid_a < 0)
			pid_a = json_object_get_int(key(e, "pid"));
		else
			pid_g = json_object_get_int(key(e, "pid"));
		assert_int_equal(json_object_get_int(key(e, "tid")), 502); /* real tids */
	}
	assert_int_not_equal(pid_a, pid_g);
	assert_int_equal(count_events(t, "M", "process_name", NULL), 2);
	assert_string_equal(json_object_get_string(key(key(t, "metadata"), "backends")),
	                    "thread,gil");
	json_object_put(t);
	free(text);
}

/* The JSON writer: escaping survives a round trip; numbers print as printf's. */
static void test_jsonw(void **state)
{
	(void)state;
	char *text = NULL;
	static const char nasty[] = "a\"b\\c/d\t\n\x01 caf\xc3\xa9 \xff end";
	CAPTURE(text, {
		struct jsonw w;
		jsonw_init(&w, out);
		jsonw_object(&w, false);
		jsonw_kstring(&w, "s", nasty);
		jsonw_ksecs(&w, "t", 0.0000125);
		jsonw_ksecs(&w, "neg", -1.5);
		jsonw_kint(&w, "min", INT64_MIN);
		jsonw_key(&w, "e");
		jsonw_array(&w, false);
		jsonw_array_end(&w);
		jsonw_object_end(&w);
		jsonw_finish(&w);
	});
	struct json_object *o = json_tokener_parse(text);
	assert_non_null(o);
	assert_string_equal(json_object_get_string(key(o, "s")),
	                    "a\"b\\c/d\t\n\x01 caf\xc3\xa9 \xef\xbf\xbd end");
	assert_int_equal(json_object_get_int64(key(o, "min")), INT64_MIN);
	assert_non_null(strstr(text, "\"neg\": -1.500000"));
	assert_non_null(strstr(text, "\"e\": [ ]"));
	json_object_put(o);
	free(text);
	/* the fast path and printf agree, halves included */
	static const double vals[] = {
	    0,      1e-7,     0.0000005,  0.0000015,      0.1234565,
	    2.5e-6, 123.4567, -0.0000004, 999999.9999996, 1796177262.061286};
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		char a[64], b[64];
		jsonw_format_fixed(a, sizeof a, vals[i], 6);
		snprintf(b, sizeof b, "%.6f", vals[i]);
		assert_string_equal(a, b);
	}
	for (int k = 0; k < 100000; k++) {
		double v = (double)k * 0.0000001 + (double)(k % 7) * 1e-9;
		char a[64], b[64];
		jsonw_format_fixed(a, sizeof a, v, 6);
		snprintf(b, sizeof b, "%.6f", v);
		assert_string_equal(a, b);
	}
}

/* -o FILE: the report in the file, stdout untouched; a failed write leaves no file. */
static void test_output_file(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f);
	char dir[] = "/tmp/mptutor-formats-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128], err[256] = "";
	snprintf(path, sizeof path, "%s/report.csv", dir);
	struct run_request req = {.kind = RUNKIND_RUN, .format = &export_csv, .output = path};
	assert_int_equal(export_output_check(&req, err, sizeof err), 0);
	char *text = NULL;
	CAPTURE(text, assert_int_equal(export_run(&req, out, &f.s, NULL, err, sizeof err), 0));
	assert_string_equal(text, ""); /* nothing on the caller's stream */
	free(text);
	FILE *in = fopen(path, "r");
	assert_non_null(in);
	char line[256];
	assert_non_null(fgets(line, sizeof line, in));
	assert_int_equal(strncmp(line, "record,backend,", 15), 0);
	fclose(in);
	unlink(path);
	/* no such directory: refused before, and at the write, naming the path and why */
	snprintf(path, sizeof path, "%s/no/such/x", dir);
	assert_int_equal(export_output_check(&req, err, sizeof err), -1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "No such file or directory"));
	err[0] = '\0';
	CAPTURE(text, assert_int_equal(export_run(&req, out, &f.s, NULL, err, sizeof err), -1));
	free(text);
	assert_non_null(strstr(err, path));
	/* a directory is not a file */
	req.output = dir;
	assert_int_equal(export_output_check(&req, err, sizeof err), -1);
	assert_non_null(strstr(err, "Is a directory"));
	/* "-" is stdout */
	req.output = "-";
	assert_int_equal(export_output_check(&req, err, sizeof err), 0);
	CAPTURE(text, assert_int_equal(export_run(&req, out, &f.s, NULL, err, sizeof err), 0));
	assert_int_equal(strncmp(text, "record,", 7), 0);
	free(text);
	/* a device is written in place, never replaced by a file */
	req.output = "/dev/null";
	assert_int_equal(export_output_check(&req, err, sizeof err), 0);
	CAPTURE(text, assert_int_equal(export_run(&req, out, &f.s, NULL, err, sizeof err), 0));
	free(text);
	struct stat st;
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	/* through a symbolic link: the file it points to is replaced, the link stays */
	char real[128], link[128];
	snprintf(real, sizeof real, "%s/real.csv", dir);
	snprintf(link, sizeof link, "%s/link.csv", dir);
	FILE *old = fopen(real, "w");
	assert_non_null(old);
	fputs("old\n", old);
	fclose(old);
	assert_int_equal(symlink(real, link), 0);
	req.output = link;
	CAPTURE(text, assert_int_equal(export_run(&req, out, &f.s, NULL, err, sizeof err), 0));
	free(text);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	in = fopen(real, "r");
	assert_non_null(in);
	assert_non_null(fgets(line, sizeof line, in));
	assert_int_equal(strncmp(line, "record,", 7), 0);
	fclose(in);
	unlink(link);
	unlink(real);
	assert_int_equal(rmdir(dir), 0); /* nothing left behind in it */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_csv_run),    cmocka_unit_test(test_csv_compare),
	    cmocka_unit_test(test_chrome_run), cmocka_unit_test(test_chrome_gil_compare),
	    cmocka_unit_test(test_jsonw),      cmocka_unit_test(test_output_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
