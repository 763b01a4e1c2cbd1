/*
 * test_options.c — the command line of run and compare (every option form,
 * every refusal and its message; --format and its synonym --json), word
 * splitting of a typed line, command dispatch, and the words offered for tab
 * completion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include "cmd/cmd.h"
#include "engine/task.h"
#include "export/format.h"

/* Split line and parse it as `kind`'s words into req; returns the parse status. */
static int parse(enum run_kind kind, const char *line, struct run_request *req, char *err,
                 size_t errlen)
{
	int argc;
	char **argv;
	assert_int_equal(cmd_split(line, &argc, &argv, err, errlen), 0);
	int rc = cmd_parse_request(kind, argc, argv, req, err, errlen);
	cmd_split_free(argc, argv);
	return rc;
}

/* The line must parse; returns the request (caller frees). */
static struct run_request parse_ok(enum run_kind kind, const char *line)
{
	struct run_request req;
	char err[512] = "";
	if (parse(kind, line, &req, err, sizeof err) != 0)
		fail_msg("'%s' refused: %s", line, err);
	return req;
}

/* The line must be refused with a message holding both needles. */
static void parse_bad(enum run_kind kind, const char *line, const char *n1, const char *n2)
{
	struct run_request req;
	char err[512] = "";
	assert_int_equal(parse(kind, line, &req, err, sizeof err), -1);
	assert_null(req.items);
	if (strstr(err, n1) == NULL || (n2 != NULL && strstr(err, n2) == NULL))
		fail_msg("'%s': message \"%s\" lacks \"%s\" / \"%s\"", line, err, n1, n2 ? n2 : "");
	assert_null(strchr(err, '\n'));
}

/* No options: the task's default items, default backend, workers, chunksize. */
static void test_defaults(void **state)
{
	(void)state;
	struct run_request r = parse_ok(RUNKIND_RUN, "square");
	assert_ptr_equal(r.task, task_find("square"));
	assert_int_equal(r.n_items, 5);
	assert_true(r.items[0] == 1 && r.items[4] == 5);
	assert_int_equal(r.backend, BACKEND_PROCESS);
	assert_int_equal(r.workers, engine_default_workers());
	assert_int_equal(r.chunksize, engine_default_chunksize(5, r.workers));
	assert_false(r.unordered);
	assert_ptr_equal(r.format, &export_text);
	assert_int_equal(r.repeat, 1);
	assert_true(r.switch_interval_s > 0.00499 && r.switch_interval_s < 0.00501);
	run_request_free(&r);
	run_request_free(&r); /* twice is fine */
}

/* -w 4, -w4, --workers 4, --workers=4 all mean four workers. */
static void test_option_forms(void **state)
{
	(void)state;
	static const char *const lines[] = {"square 1..5 -w 4", "square 1..5 -w4",
	                                    "square 1..5 --workers 4", "square --workers=4 1..5",
	                                    "-w 4 square 1..5"};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct run_request r = parse_ok(RUNKIND_RUN, lines[i]);
		assert_int_equal(r.workers, 4);
		assert_true(r.workers_given);
		assert_int_equal(r.n_items, 5);
		run_request_free(&r);
	}
}

/* Every option sets what it says. */
static void test_every_option(void **state)
{
	(void)state;
	struct run_request r = parse_ok(RUNKIND_RUN, "spin 3x10 -b gil -w 2 -c 3 --unordered "
	                                             "--switch-interval 0.5 --json --repeat 7");
	assert_int_equal(r.backend, BACKEND_GIL);
	assert_int_equal(r.workers, 2);
	assert_int_equal(r.chunksize, 3);
	assert_true(r.chunksize_given);
	assert_true(r.unordered);
	assert_true(r.switch_interval_s > 0.00049 && r.switch_interval_s < 0.00051);
	assert_ptr_equal(r.format, &export_json);
	assert_int_equal(r.repeat, 7);
	run_request_free(&r);
	static const char *const backends[] = {"process", "thread", "gil", "serial"};
	static const enum backend_kind kinds[] = {BACKEND_PROCESS, BACKEND_THREAD, BACKEND_GIL,
	                                          BACKEND_SERIAL};
	for (size_t i = 0; i < 4; i++) {
		char line[64];
		snprintf(line, sizeof line, "square --backend=%s", backends[i]);
		r = parse_ok(RUNKIND_RUN, line);
		assert_int_equal(r.backend, kinds[i]);
		run_request_free(&r);
	}
	r = parse_ok(RUNKIND_COMPARE, "primes 8x30000 -w 2 --json");
	assert_int_equal(r.kind, RUNKIND_COMPARE);
	assert_int_equal(r.n_items, 8);
	assert_int_equal(r.chunksize, 1);  /* ceil(8 / (4 * 2)) */
	assert_int_equal(r.n_backends, 4); /* serial, process, thread, gil */
	assert_int_equal(r.backends[0], BACKEND_SERIAL);
	run_request_free(&r);
	r = parse_ok(RUNKIND_COMPARE, "square -b gil,process");
	assert_int_equal(r.n_backends, 2);
	assert_int_equal(r.backends[0], BACKEND_PROCESS); /* in compare's order */
	assert_int_equal(r.backends[1], BACKEND_GIL);
	run_request_free(&r);
	r = parse_ok(RUNKIND_COMPARE, "crash -b process");
	assert_int_equal(r.n_backends, 1);
	run_request_free(&r);
}

/* Negative ITEMS are not options; `--` ends the options. */
static void test_negative_items_and_dashdash(void **state)
{
	(void)state;
	struct run_request r = parse_ok(RUNKIND_RUN, "square -3");
	assert_int_equal(r.n_items, 1);
	assert_true(r.items[0] == -3);
	run_request_free(&r);
	r = parse_ok(RUNKIND_RUN, "square -2..2 -w 1");
	assert_int_equal(r.n_items, 5);
	run_request_free(&r);
	r = parse_ok(RUNKIND_RUN, "-- square 1..2");
	assert_int_equal(r.n_items, 2);
	run_request_free(&r);
	parse_bad(RUNKIND_RUN, "square -- --json", "ITEMS", "\"--json\"");
}

/* Workers: 0, negative, not a number, trailing junk, absurd. */
static void test_bad_workers(void **state)
{
	(void)state;
	parse_bad(RUNKIND_RUN, "square -w 0", "-w/--workers", "1..1024");
	parse_bad(RUNKIND_RUN, "square -w -1", "out of range", "1..1024");
	parse_bad(RUNKIND_RUN, "square -w abc", "'abc' is not a whole number", "1..1024");
	parse_bad(RUNKIND_RUN, "square -w 4x", "'4x' is not a whole number", NULL);
	parse_bad(RUNKIND_RUN, "square -w 5000", "5000 is out of range", "1..1024");
	parse_bad(RUNKIND_RUN, "square --workers=", "not a whole number", NULL);
	parse_bad(RUNKIND_RUN, "square -w 99999999999999999999", "out of range", NULL);
	parse_bad(RUNKIND_RUN, "square -w", "needs a value", "1..1024");
}

/* Chunksize, switch interval, repeat. */
static void test_bad_numbers(void **state)
{
	(void)state;
	parse_bad(RUNKIND_RUN, "square -c 0", "-c/--chunksize", "out of range");
	parse_bad(RUNKIND_RUN, "square -c x", "not a whole number", NULL);
	parse_bad(RUNKIND_RUN, "square --switch-interval 0", "--switch-interval", "> 0");
	parse_bad(RUNKIND_RUN, "square --switch-interval 20000", "out of range", "10000");
	parse_bad(RUNKIND_RUN, "square --switch-interval nan", "not a number", NULL);
	parse_bad(RUNKIND_RUN, "square --switch-interval 5ms", "not a number", NULL);
	parse_bad(RUNKIND_RUN, "square --repeat 0", "--repeat", "1..1000");
	parse_bad(RUNKIND_RUN, "square --repeat 1001", "out of range", NULL);
}

/* Unknown options, options of another command, flags given a value. */
static void test_bad_options(void **state)
{
	(void)state;
	parse_bad(RUNKIND_RUN, "square --foo", "unknown option --foo for run", "-b/--backend");
	parse_bad(RUNKIND_RUN, "square -z", "unknown option -z for run", "-w/--workers");
	parse_bad(RUNKIND_RUN, "square --worker 2", "did you mean --workers?", NULL);
	parse_bad(RUNKIND_COMPARE, "square -b thread,bogus", "unknown backend 'bogus'",
	          "serial, process, thread, gil");
	parse_bad(RUNKIND_COMPARE, "square -b process,", "empty backend name", NULL);
	parse_bad(RUNKIND_COMPARE, "square --repeat 3", "not for compare", NULL);
	parse_bad(RUNKIND_RUN, "square --json=yes", "--json takes no value", NULL);
	parse_bad(RUNKIND_RUN, "square -b", "needs a value", NULL);
	parse_bad(RUNKIND_RUN, "square -b proc", "unknown backend 'proc'",
	          "serial, process, thread, gil");
}

/* Task missing, unknown, misspelt; one word too many; bad ITEMS; items out of range. */
static void test_bad_words(void **state)
{
	(void)state;
	parse_bad(RUNKIND_RUN, "", "needs a TASK", "square");
	parse_bad(RUNKIND_RUN, "-w 2", "needs a TASK", NULL);
	parse_bad(RUNKIND_RUN, "sqare", "unknown task 'sqare'", "did you mean square?");
	parse_bad(RUNKIND_RUN, "zzzzzz", "unknown task 'zzzzzz' (tasks: square", NULL);
	parse_bad(RUNKIND_RUN, "square 1..5 7", "'7' is one word too many", NULL);
	parse_bad(RUNKIND_RUN, "square 5..1", "ITEMS: \"5..1\"", "1..5");
	parse_bad(RUNKIND_RUN, "square 1,,2", "empty term", NULL);
	parse_bad(RUNKIND_RUN, "spin 99999999", "ITEMS:", "spin");
}

/* crash kills its worker: only the process backend may run it. */
static void test_crash_only_process(void **state)
{
	(void)state;
	struct run_request r = parse_ok(RUNKIND_RUN, "crash 1..10");
	run_request_free(&r);
	parse_bad(RUNKIND_RUN, "crash 1..10 -b thread", "only on -b process", NULL);
	parse_bad(RUNKIND_RUN, "crash -b gil", "only on -b process", NULL);
	parse_bad(RUNKIND_RUN, "crash -b serial", "only on -b process", NULL);
	parse_bad(RUNKIND_COMPARE, "crash", "only on -b process", "compare");
	parse_bad(RUNKIND_COMPARE, "crash -b process,thread", "only on -b process", "thread");
}

/* process TASK [ITEM] [--join-after MS]: one item, its own options only. */
static void test_process_request(void **state)
{
	(void)state;
	struct run_request r = parse_ok(RUNKIND_PROCESS, "hello 3 --join-after 200");
	assert_int_equal(r.kind, RUNKIND_PROCESS);
	assert_int_equal(r.n_items, 1);
	assert_true(r.items[0] == 3);
	assert_int_equal(r.join_after_ms, 200);
	run_request_free(&r);
	r = parse_ok(RUNKIND_PROCESS, "crash 3 --json");
	assert_int_equal(r.n_items, 1);
	assert_ptr_equal(r.format, &export_json);
	assert_int_equal(r.join_after_ms, 0);
	run_request_free(&r);
	/* ITEMS: one Process per item, the task's default without; joined only if asked */
	r = parse_ok(RUNKIND_PROCESS, "print --repeat 20");
	assert_int_equal(r.n_items, 4);
	assert_true(r.items[0] == 0 && r.items[3] == 3);
	assert_int_equal(r.repeat, 20);
	assert_int_equal(run_request_join_after(&r), PROC_DEMO_NO_JOIN);
	run_request_free(&r);
	r = parse_ok(RUNKIND_PROCESS, "print 0..3 --join-after 10");
	assert_int_equal(run_request_join_after(&r), 10);
	run_request_free(&r);
	r = parse_ok(RUNKIND_PROCESS, "hello");
	assert_int_equal(run_request_join_after(&r), 0);
	run_request_free(&r);
	parse_bad(RUNKIND_PROCESS, "print 1..65", "65 items", "1..64");
	parse_bad(RUNKIND_PROCESS, "print --repeat 1001", "--repeat", "1..1000");
	parse_bad(RUNKIND_PROCESS, "hello abc", "abc", NULL);
	parse_bad(RUNKIND_PROCESS, "hello 1 2", "takes TASK and ITEMS;", NULL);
	parse_bad(RUNKIND_PROCESS, "hello --join-after 70000", "--join-after", "0..60000");
	parse_bad(RUNKIND_PROCESS, "hello -w 2", "-w/--workers is not for process", NULL);
	parse_bad(RUNKIND_RUN, "hello --join-after 5", "--join-after is not for run", NULL);
	parse_bad(RUNKIND_PROCESS, "spin 999999", "out of range", NULL);
}

/* A request becomes an engine spec; serial is forced to one worker. */
static void test_spec(void **state)
{
	(void)state;
	struct run_request r = parse_ok(RUNKIND_COMPARE, "square 1..8 -w 2");
	struct run_spec spec;
	run_request_spec(&r, BACKEND_THREAD, &spec);
	assert_int_equal(spec.workers, 2);
	assert_int_equal(spec.n_items, 8);
	assert_ptr_equal(spec.items, r.items);
	assert_int_equal(spec.chunksize, 1);
	run_request_spec(&r, BACKEND_SERIAL, &spec);
	assert_int_equal(spec.workers, 1);
	assert_int_equal(spec.chunksize, 2); /* ceil(8 / 4) */
	run_request_free(&r);
}

/* --python and --start-method reach the spec; absent, the spec leaves them to the engine. */
static void test_python_options(void **state)
{
	(void)state;
	struct run_request r = parse_ok(RUNKIND_RUN, "square 1..4 -b py-process --python "
	                                             "/opt/py/bin/python3.12 --start-method spawn");
	assert_int_equal(r.backend, BACKEND_PY_PROCESS);
	assert_string_equal(r.python, "/opt/py/bin/python3.12");
	assert_string_equal(r.start_method, "spawn");
	struct run_spec spec;
	run_request_spec(&r, BACKEND_PY_PROCESS, &spec);
	assert_string_equal(spec.python, "/opt/py/bin/python3.12");
	assert_string_equal(spec.start_method, "spawn");
	run_request_free(&r);
	static const char *const methods[] = {"fork", "spawn", "forkserver"};
	for (size_t i = 0; i < 3; i++) {
		char line[64];
		snprintf(line, sizeof line, "square -b py --start-method=%s", methods[i]);
		r = parse_ok(RUNKIND_COMPARE, line);
		assert_string_equal(r.start_method, methods[i]);
		assert_int_equal(r.n_backends, 3); /* py: py-serial, py-process, py-thread */
		assert_int_equal(r.backends[0], BACKEND_PY_SERIAL);
		run_request_free(&r);
	}
	r = parse_ok(RUNKIND_RUN, "square -b process"); /* allowed on any backend; unused */
	run_request_spec(&r, BACKEND_PROCESS, &spec);
	assert_null(spec.python);
	assert_null(spec.start_method);
	assert_string_equal(r.python, "");
	run_request_free(&r);
	parse_bad(RUNKIND_RUN, "square --start-method vfork", "vfork", "fork, spawn, forkserver");
	parse_bad(RUNKIND_RUN, "square --start-method", "--start-method", "needs a value");
	parse_bad(RUNKIND_RUN, "square --python ''", "--python", "a path or a name");
	char longp[RUN_REQUEST_PATH_MAX + 32] = "square --python /";
	memset(longp + strlen(longp), 'x', RUN_REQUEST_PATH_MAX);
	longp[sizeof longp - 1] = '\0';
	parse_bad(RUNKIND_RUN, longp, "--python", "characters");
	r = parse_ok(RUNKIND_PROCESS,
	             "hello 1 -b py-process --python python3"); /* real Processes */
	assert_int_equal(r.backend, BACKEND_PY_PROCESS);
	assert_string_equal(r.python, "python3");
	run_request_free(&r);
	parse_bad(RUNKIND_PROCESS, "hello 1 -b thread", "thread", "process, py-process");
}

/* --format NAME in every form, on every kind; --json is --format json; the last wins. */
static void test_format(void **state)
{
	(void)state;
	static const char *const forms[] = {"square --format json", "square --format=json",
	                                    "square --json", "square --format text --json",
	                                    "square --json --format json"};
	static const enum run_kind kinds[] = {RUNKIND_RUN, RUNKIND_COMPARE, RUNKIND_PROCESS};
	for (size_t k = 0; k < 3; k++)
		for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
			struct run_request r = parse_ok(kinds[k], forms[i]);
			if (r.format != &export_json)
				fail_msg("'%s' gave format %s", forms[i],
				         r.format ? r.format->name : "(none)");
			run_request_free(&r);
		}
	struct run_request r = parse_ok(RUNKIND_COMPARE, "square --format text");
	assert_ptr_equal(r.format, &export_text);
	run_request_free(&r);
	r = parse_ok(RUNKIND_PROCESS, "hello --json --format text");
	assert_ptr_equal(r.format, &export_text);
	run_request_free(&r);
	/* an unknown one names itself and every allowed one */
	parse_bad(RUNKIND_RUN, "square --format bogus", "unknown format 'bogus' for --format",
	          "(formats: text, json, csv, chrome, svg, png)");
	parse_bad(RUNKIND_PROCESS, "hello --format=bogus", "'bogus'", "text, json");
	parse_bad(RUNKIND_COMPARE, "square --format jsno", "did you mean json?", NULL);
	parse_bad(RUNKIND_RUN, "square --format", "needs a value NAME", NULL);
	parse_bad(RUNKIND_RUN, "square --format JSON", "unknown format 'JSON'", NULL);
}

/* Word splitting: blanks, quotes, escapes, an open quote. */
static void test_split(void **state)
{
	(void)state;
	int argc;
	char **argv;
	char err[256];
	assert_int_equal(cmd_split("  run  square\t'1..5' \"a b\" c\\ d e\"f\"g '' \\\"", &argc,
	                           &argv, err, sizeof err),
	                 0);
	assert_int_equal(argc, 8);
	assert_string_equal(argv[0], "run");
	assert_string_equal(argv[1], "square");
	assert_string_equal(argv[2], "1..5");
	assert_string_equal(argv[3], "a b");
	assert_string_equal(argv[4], "c d");
	assert_string_equal(argv[5], "efg");
	assert_string_equal(argv[6], "");
	assert_string_equal(argv[7], "\"");
	cmd_split_free(argc, argv);
	assert_int_equal(cmd_split("say \"x \\\" y\" 'a\\b'", &argc, &argv, err, sizeof err), 0);
	assert_int_equal(argc, 3);
	assert_string_equal(argv[1], "x \" y");
	assert_string_equal(argv[2], "a\\b");
	cmd_split_free(argc, argv);
	assert_int_equal(cmd_split("", &argc, &argv, err, sizeof err), 0);
	assert_int_equal(argc, 0);
	cmd_split_free(argc, argv);
	assert_int_equal(cmd_split("run 'square", &argc, &argv, err, sizeof err), -1);
	assert_non_null(strstr(err, "open quote"));
	assert_int_equal(cmd_split("run \"square", &argc, &argv, err, sizeof err), -1);
	assert_non_null(strstr(err, "open quote"));
	assert_int_equal(cmd_split("run \\", &argc, &argv, err, sizeof err), -1);
}

/* Commands: found by name and alias where allowed; unknown ones refused. */
static void test_dispatch(void **state)
{
	(void)state;
	assert_non_null(cmd_find("run", CMD_IN_CLI));
	assert_non_null(cmd_find("compare", CMD_IN_CLI));
	assert_non_null(cmd_find("tasks", CMD_IN_CLI));
	assert_non_null(cmd_find("lessons", CMD_IN_CLI));
	assert_null(cmd_find("next", CMD_IN_CLI));
	assert_non_null(cmd_find("next", CMD_IN_TUTOR));
	assert_ptr_equal(cmd_find("q", CMD_IN_TUTOR), cmd_find("quit", CMD_IN_TUTOR));

	char outbuf[4096] = "", errbuf[4096] = "";
	FILE *out = fmemopen(outbuf, sizeof outbuf, "w");
	FILE *err = fmemopen(errbuf, sizeof errbuf, "w");
	struct cmd_env env = {.out = out, .err = err, .where = CMD_IN_CLI, .intr_fd = -1};
	assert_int_equal(cmd_exec_line(&env, "rnu square"), CMD_USAGE);
	assert_int_equal(cmd_exec_line(&env, "next"), CMD_USAGE);
	assert_int_equal(cmd_exec_line(&env, "run square 1..3"), CMD_USAGE); /* no front end */
	assert_int_equal(cmd_exec_line(&env, "   "), CMD_OK);
	assert_int_equal(cmd_exec_line(&env, "tasks"), CMD_OK);
	env.where = CMD_IN_TUTOR;
	assert_int_equal(cmd_exec_line(&env, "quit"), CMD_QUIT);
	assert_int_equal(cmd_exec_line(&env, "replay 0"), CMD_USAGE);
	fclose(out);
	fclose(err);
	assert_non_null(strstr(errbuf, "unknown command 'rnu'"));
	assert_non_null(strstr(errbuf, "did you mean run?"));
	assert_non_null(strstr(errbuf, "next is a command of the tutor"));
	assert_non_null(strstr(errbuf, "slow-down factor"));
	for (size_t i = 0; i < task_count; i++)
		assert_non_null(strstr(outbuf, task_table[i]->name));
}

/* Is word in the NULL-terminated list? */
static int has(const char *const *list, const char *word)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, word) == 0)
			return 1;
	return 0;
}

/* Tab completion: commands, then tasks, backends after -b, options. */
static void test_completions(void **state)
{
	(void)state;
	const char *const *w = cmd_completions(NULL, NULL);
	assert_true(has(w, "run") && has(w, "compare") && has(w, "quit"));
	w = cmd_completions("run", "run");
	assert_true(has(w, "square") && has(w, "crash"));
	assert_false(has(w, "run"));
	w = cmd_completions("compare", "compare");
	assert_true(has(w, "primes"));
	w = cmd_completions("run", "-b");
	assert_true(has(w, "process") && has(w, "gil") && has(w, "serial") && has(w, "thread"));
	for (size_t i = 0; i < BACKEND_COUNT; i++) /* every row of the backend table */
		assert_true(has(w, backend_table[i].name));
	assert_true(has(w, "c") && has(w, "py") && has(w, "all"));
	assert_ptr_equal(cmd_completions("compare", "--backend"), w);
	w = cmd_completions("run", "--start-method");
	assert_true(has(w, "fork") && has(w, "spawn") && has(w, "forkserver") && !has(w, "-w"));
	w = cmd_completions("compare", "1..5");
	assert_true(has(w, "--python") && has(w, "--start-method"));
	assert_true(cmd_option_takes_value("--python"));
	assert_null(cmd_option_values("--python"));
	w = cmd_completions("run", "1..5");
	assert_true(has(w, "--workers") && has(w, "-w") && has(w, "--unordered"));
	assert_false(has(w, "--join-after"));
	w = cmd_completions("compare", "1..5");
	assert_true(has(w, "--workers") && has(w, "-b") && !has(w, "--repeat"));
	w = cmd_completions("process", "hello");
	assert_true(has(w, "--join-after") && !has(w, "--workers"));
	w = cmd_completions("run", "-w");
	assert_null(w[0]);
	w = cmd_completions("lessons", "lessons");
	assert_true(has(w, "--check"));
	/* --format: the format names, from the format table, on every kind */
	static const char *const cmds[] = {"run", "compare", "process"};
	for (size_t c = 0; c < 3; c++) {
		w = cmd_completions(cmds[c], "1..5");
		assert_true(has(w, "--format") && has(w, "--json"));
		w = cmd_completions(cmds[c], "--format");
		for (size_t i = 0; i < export_format_count; i++)
			assert_true(has(w, export_formats[i]->name));
		assert_true(has(w, "text") && has(w, "json") && !has(w, "--workers"));
	}
	assert_ptr_equal(cmd_option_values("--format"), export_format_words());
	assert_null(cmd_option_values("--workers"));
	assert_null(cmd_option_values("--json"));
	assert_true(cmd_option_takes_value("--format") && !cmd_option_takes_value("--json"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_option_forms),
	    cmocka_unit_test(test_every_option),
	    cmocka_unit_test(test_negative_items_and_dashdash),
	    cmocka_unit_test(test_bad_workers),
	    cmocka_unit_test(test_bad_numbers),
	    cmocka_unit_test(test_bad_options),
	    cmocka_unit_test(test_bad_words),
	    cmocka_unit_test(test_crash_only_process),
	    cmocka_unit_test(test_process_request),
	    cmocka_unit_test(test_spec),
	    cmocka_unit_test(test_python_options),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_split),
	    cmocka_unit_test(test_dispatch),
	    cmocka_unit_test(test_completions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
