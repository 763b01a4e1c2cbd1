/*
 * test_pyrun.c — pyrun's pure parts on fixtures: a /proc stat line parsed
 * (ppid, process group, CPU ticks, core; a comm holding ") ("), the process
 * tree of a script found in a saved /proc (tests/fixtures/proctree: children,
 * grandchildren, an orphan kept by its process group, an unrelated tree left
 * out, broken entries skipped), and a real run: output captured, exit status,
 * a timeout that kills, a child left sleeping killed and reaped.
 * Run from the source tree's root (as `make test` does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/pyrun.h"

#define TREE "tests/fixtures/proctree"

/* A stat line: the fields pyrun uses. */
static void test_parse_stat(void **state)
{
	(void)state;
	struct pyrun_ent e;
	const char *l = "104 (a) (b) R 102 104 104 0 0 0 0 0 0 0 7 3 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "
	                "0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0";
	assert_int_equal(pyrun_parse_stat(l, strlen(l), &e), 0);
	assert_int_equal(e.pid, 104);
	assert_string_equal(e.comm, "a) (b");
	assert_int_equal(e.state, 'R');
	assert_int_equal(e.ppid, 102);
	assert_int_equal(e.pgrp, 104);
	assert_int_equal(e.ticks, 10);
	assert_int_equal(e.core, 1);
	assert_int_equal(pyrun_parse_stat("300 (broken", 11, &e), -1);
	assert_int_equal(pyrun_parse_stat("", 0, &e), -1);
	assert_int_equal(pyrun_parse_stat("1 (x) S 0", 9, &e), -1);
}

/* Index of pid in ents, -1 if absent. */
static int find(const struct pyrun_ent *ents, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (ents[i].pid == pid)
			return (int)i;
	return -1;
}

/* The tree of 100 in the saved /proc: 100..104 in, 200 and 201 out, 300 skipped. */
static void test_tree_fixture(void **state)
{
	(void)state;
	struct pyrun_ent ents[32];
	bool keep[32];
	size_t n = pyrun_proc_scan(TREE, ents, 32);
	assert_int_equal(n, 7); /* 300 is malformed, self is no pid */
	size_t k = pyrun_tree_select(ents, n, 100, 100, keep);
	assert_int_equal(k, 5);
	for (pid_t p = 100; p <= 104; p++)
		assert_true(keep[find(ents, n, p)]);
	assert_false(keep[find(ents, n, 200)]);
	assert_false(keep[find(ents, n, 201)]);
	/* without the process group the orphan 103 is not found, 104 still is (by ppid) */
	k = pyrun_tree_select(ents, n, 100, 0, keep);
	assert_int_equal(k, 4);
	assert_false(keep[find(ents, n, 103)]);
	assert_true(keep[find(ents, n, 104)]);
	assert_int_equal(ents[find(ents, n, 101)].ticks, 410);
}

/* Deep chains in any order are found (children by ppid, again and again). */
static void test_tree_deep(void **state)
{
	(void)state;
	struct pyrun_ent ents[6] = {{.pid = 6, .ppid = 5}, {.pid = 5, .ppid = 4},
	                            {.pid = 4, .ppid = 3}, {.pid = 3, .ppid = 2},
	                            {.pid = 2, .ppid = 1}, {.pid = 9, .ppid = 8}};
	bool keep[6];
	assert_int_equal(pyrun_tree_select(ents, 6, 2, 0, keep), 5);
	assert_false(keep[5]);
}

/* Write a script into a temp file; its path (static). */
static const char *script(const char *text)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/mptutor-test-pyrun-%d.py", (int)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* A real script: its lines, its exit status, stderr apart. */
static void test_run_output(void **state)
{
	(void)state;
	struct pyrun *r;
	char err[256];
	struct pyrun_spec sp = {
	    .script =
	        script("import sys\nprint('one')\nprint('two', file=sys.stderr)\nsys.exit(3)\n")};
	assert_int_equal(pyrun_start(&sp, &r, err, sizeof err), 0);
	struct pyrun_snapshot s;
	pyrun_wait(r, -1, &s);
	assert_true(s.over);
	assert_int_equal(s.exit_code, 3);
	assert_int_equal(s.n_lines, 2);
	assert_string_equal(s.lines[0].text, "one");
	assert_int_equal(s.lines[0].stream, 1);
	assert_int_equal(s.lines[1].stream, 2);
	pyrun_free(r);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1); /* nothing of ours left */
	assert_int_equal(errno, ECHILD);
}

/* A child left sleeping after the script ends, and a timeout: killed and reaped. */
static void test_run_left_and_timeout(void **state)
{
	(void)state;
	struct pyrun *r;
	char err[256];
	struct pyrun_spec sp = {.script = script("import subprocess\n"
	                                         "subprocess.Popen(['sleep', '30'])\n"
	                                         "print('bye')\n")};
	assert_int_equal(pyrun_start(&sp, &r, err, sizeof err), 0);
	struct pyrun_snapshot s;
	pyrun_wait(r, -1, &s);
	assert_int_equal(s.exit_code, 0);
	assert_int_equal(s.left_behind, 1);
	assert_int_equal(kill(-s.pid, 0), -1); /* the group is gone */
	pyrun_free(r);
	sp.script = script("import time\nprint('start', flush=True)\ntime.sleep(30)\n");
	sp.timeout_s = 0.5;
	assert_int_equal(pyrun_start(&sp, &r, err, sizeof err), 0);
	pyrun_wait(r, -1, &s);
	assert_true(s.timed_out);
	assert_int_equal(s.term_sig, SIGKILL);
	assert_true(s.wall_s < 10);
	assert_int_equal(kill(-s.pid, 0), -1);
	pyrun_free(r);
	unlink(sp.script);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
}

/* A missing file is refused, naming it. */
static void test_missing(void **state)
{
	(void)state;
	struct pyrun *r;
	char err[256];
	struct pyrun_spec sp = {.script = "/nonexistent/x.py"};
	assert_int_equal(pyrun_start(&sp, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/x.py"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_stat),
	    cmocka_unit_test(test_tree_fixture),
	    cmocka_unit_test(test_tree_deep),
	    cmocka_unit_test(test_run_output),
	    cmocka_unit_test(test_run_left_and_timeout),
	    cmocka_unit_test(test_missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
