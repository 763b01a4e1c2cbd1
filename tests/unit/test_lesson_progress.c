/*
 * test_lesson_progress.c — saved progress: a round trip through the file,
 * the atomic write with mode 0600, a corrupt file set aside as
 * progress.corrupt, a state directory that cannot be made (not fatal), and
 * the helpers that record answers and finished lessons.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include "cmd/lessons.h"
#include "lesson/lesson.h"

static char tmpdir[64];

/* A fresh $XDG_STATE_HOME for each test. */
static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_progressXXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	setenv("XDG_STATE_HOME", tmpdir, 1);
	return 0;
}

/* Remove the state directory. */
static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Write a file with some text. */
static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Missing file: empty progress, no message. Saved and loaded again: the same. */
static void test_round_trip(void **state)
{
	struct progress p, q;
	char err[512];
	struct stat st;
	(void)state;

	assert_int_equal(progress_load(&p, err, sizeof err), 0);
	assert_string_equal(err, "");
	assert_null(p.lesson);
	assert_int_equal(p.n_done, 0);

	progress_set_place(&p, "pool-map", 3);
	progress_mark_done(&p, "what-is-multiprocessing");
	progress_mark_done(&p, "what-is-multiprocessing");
	progress_mark_done(&p, "the-gil");
	progress_set_answer(&p, "the-gil", 7, "a", false);
	progress_set_answer(&p, "the-gil", 7, "b", true); /* replaces the first */
	progress_set_answer(&p, "pool-map", 2, "c", true);
	assert_int_equal(p.n_done, 2);
	assert_int_equal(p.n_answers, 2);
	assert_int_equal(progress_save(&p, err, sizeof err), 0);

	assert_string_equal(state_dir() + strlen(tmpdir), "/mptutor");
	assert_int_equal(stat(progress_path(), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(state_dir(), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	assert_int_equal(progress_load(&q, err, sizeof err), 0);
	assert_string_equal(err, "");
	assert_string_equal(q.lesson, "pool-map");
	assert_int_equal(q.page, 3);
	assert_int_equal(q.n_done, 2);
	assert_true(progress_is_done(&q, "the-gil"));
	assert_false(progress_is_done(&q, "pool-map"));
	assert_int_equal(q.n_answers, 2);
	assert_string_equal(q.answers[0], "the-gil:7=b:right");
	assert_string_equal(q.answers[1], "pool-map:2=c:right");
	progress_free(&p);
	progress_free(&q);
}

/* The write is atomic: no temp file left behind, an older file replaced whole. */
static void test_atomic(void **state)
{
	struct progress p = {0};
	char err[512], cmd[256];
	(void)state;

	progress_set_place(&p, "one", 1);
	assert_int_equal(progress_save(&p, err, sizeof err), 0);
	progress_set_place(&p, "two", 2);
	assert_int_equal(progress_save(&p, err, sizeof err), 0);
	snprintf(cmd, sizeof cmd, "test $(ls -A '%s' | wc -l) -eq 1", state_dir());
	assert_int_equal(system(cmd), 0); /* only progress.json */
	progress_free(&p);
	assert_int_equal(progress_load(&p, err, sizeof err), 0);
	assert_string_equal(p.lesson, "two");
	progress_free(&p);
}

/* A corrupt file is reported, renamed aside, and ignored; so is the wrong shape. */
static void test_corrupt(void **state)
{
	struct progress p;
	char err[512], aside[512];
	struct stat st;
	(void)state;

	state_dir();
	snprintf(aside, sizeof aside, "%s/progress.corrupt", state_dir());
	write_file(progress_path(), "{\"lesson\": \"x\", \"page\": ");
	assert_int_equal(progress_load(&p, err, sizeof err), 0);
	assert_non_null(strstr(err, "corrupt"));
	assert_non_null(strstr(err, "progress.corrupt"));
	assert_null(p.lesson);
	assert_int_equal(stat(aside, &st), 0);
	assert_int_not_equal(stat(progress_path(), &st), 0);
	progress_free(&p);

	write_file(progress_path(), "{\"lesson\": 7, \"done\": \"all\"}");
	assert_int_equal(progress_load(&p, err, sizeof err), 0);
	assert_non_null(strstr(err, "not the progress format"));
	assert_null(p.lesson);
	assert_int_equal(p.n_done, 0);
	progress_free(&p);
}

/* A state directory that cannot be made: saving fails with a message, loading is empty. */
static void test_unwritable(void **state)
{
	struct progress p = {0};
	char err[512], blocker[128];
	(void)state;

	/* a regular file where the directory should be: even root cannot mkdir there */
	snprintf(blocker, sizeof blocker, "%s/file", tmpdir);
	write_file(blocker, "not a directory");
	setenv("XDG_STATE_HOME", blocker, 1);
	assert_int_equal(progress_load(&p, err, sizeof err), 0);
	assert_null(p.lesson);
	progress_set_place(&p, "x", 0);
	err[0] = '\0';
	assert_int_equal(progress_save(&p, err, sizeof err), -1);
	assert_non_null(strstr(err, "progress"));
	progress_free(&p);
	setenv("XDG_STATE_HOME", tmpdir, 1);
}

/* Without $XDG_STATE_HOME (or with a relative one): ~/.local/state/mptutor. */
static void test_default_dir(void **state)
{
	char home[128], want[192];
	(void)state;
	snprintf(home, sizeof home, "%s/home", tmpdir);
	setenv("HOME", home, 1);
	unsetenv("XDG_STATE_HOME");
	snprintf(want, sizeof want, "%s/.local/state/mptutor", home);
	assert_string_equal(state_dir(), want);
	setenv("XDG_STATE_HOME", "relative/dir", 1);
	assert_string_equal(state_dir(), want);
	setenv("XDG_STATE_HOME", tmpdir, 1);
}

/* Where a learner starts: --lesson first, else where they left off (a page
 * past the lesson's end starts it over), else lesson 1; no such lesson is -1. */
static void test_start_place(void **state)
{
	struct course c;
	struct progress p;
	char err[256];
	int l, pg;
	(void)state;
	memset(&c, 0, sizeof c);
	memset(&p, 0, sizeof p);
	lesson_parse("l/01-a.md", "# A\n", 4, cmd_lesson_block_check, &c);
	lesson_parse("l/02-b.md", "# B\n\n---\n\n# B2\n", 15, cmd_lesson_block_check, &c);
	assert_int_equal(progress_start_place(&c, NULL, NULL, &l, &pg, err, sizeof err), 0);
	assert_true(l == 0 && pg == 0);
	progress_set_place(&p, "b", 1);
	assert_int_equal(progress_start_place(&c, &p, NULL, &l, &pg, err, sizeof err), 0);
	assert_true(l == 1 && pg == 1);
	assert_int_equal(progress_start_place(&c, &p, "1", &l, &pg, err, sizeof err), 0);
	assert_true(l == 0 && pg == 0);
	assert_int_equal(progress_start_place(&c, &p, "nosuch", &l, &pg, err, sizeof err), -1);
	assert_string_equal(err, "--lesson nosuch: no such lesson (allowed: 1-2, or a name as "
	                         "'mptutor lessons' lists)");
	progress_set_place(&p, "b", 7);
	assert_int_equal(progress_start_place(&c, &p, NULL, &l, &pg, err, sizeof err), 0);
	assert_true(l == 1 && pg == 0);
	progress_free(&p);
	course_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_atomic, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unwritable, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_default_dir, setup, teardown),
	    cmocka_unit_test(test_start_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
