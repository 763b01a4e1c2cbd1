/*
 * test_exercise.c — the exercises as the course ships them: every folder of
 * lessons/exercises found in number order with its title and hints; a
 * task.md's hints parsed (continued lines, the next section ends them); a
 * checker's verdict line found among other output, malformed ones skipped;
 * the learner's copy never overwritten; exercise progress written atomically
 * with mode 0600 and read back. Run from the source tree's root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lesson/exercise.h"

/* The shipped exercises: at least eight, sorted, each with a title and hints. */
static void test_discovery(void **state)
{
	(void)state;
	struct exercise_list l;
	char err[512];
	assert_int_equal(exercise_list_load("lessons/exercises", &l, err, sizeof err), 0);
	assert_true(l.n >= 8);
	for (size_t i = 0; i < l.n; i++) {
		assert_int_equal(l.ex[i].number, (int)i + 1);
		assert_true(strlen(l.ex[i].title) > 5);
		assert_true(l.ex[i].n_hints >= 2);
		assert_null(strstr(l.ex[i].task, "## Hints"));
	}
	assert_ptr_equal(exercise_find(&l, "4"), &l.ex[3]);
	assert_ptr_equal(exercise_find(&l, "04-lock"), &l.ex[3]);
	assert_ptr_equal(exercise_find(&l, "lock"), &l.ex[3]);
	assert_null(exercise_find(&l, "99"));
	assert_null(exercise_find(&l, ""));
	exercise_list_free(&l);
	assert_int_equal(exercise_list_load("/nonexistent", &l, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent"));
}

/* task.md: title, text, hints with continued lines, ended by the next section. */
static void test_parse_task(void **state)
{
	(void)state;
	struct exercise ex;
	memset(&ex, 0, sizeof ex);
	exercise_parse_task("# Title here\n\nDo it.\n\n## Hints\n- first\n- second\n  goes on\n"
	                    "\n## Notes\n- not a hint\n",
	                    &ex);
	assert_string_equal(ex.title, "Title here");
	assert_non_null(strstr(ex.task, "Do it."));
	assert_int_equal(ex.n_hints, 2);
	assert_string_equal(ex.hints[0], "first");
	assert_string_equal(ex.hints[1], "second goes on");
	free(ex.task);
	for (size_t i = 0; i < ex.n_hints; i++)
		free(ex.hints[i]);
	free(ex.hints);
}

/* The last verdict line wins; other lines and malformed JSON are skipped. */
static void test_verdict(void **state)
{
	(void)state;
	struct exercise_verdict v;
	const char *lines[] = {"hello",
	                       "{\"passed\": true, \"reason\": \"old\"}",
	                       "{\"passed\": false, \"reason\": \"lost 3 updates\", "
	                       "\"figures\": {\"lost\": 3}}",
	                       "{not json",
	                       "{\"passed\": \"yes\"}",
	                       "bye"};
	assert_int_equal(exercise_parse_verdict(lines, 6, &v), 0);
	assert_false(v.passed);
	assert_string_equal(v.reason, "lost 3 updates");
	assert_non_null(strstr(v.figures, "\"lost\":3"));
	assert_int_equal(exercise_parse_verdict(lines, 1, &v), -1);
}

/* Progress and the learner's copy in a fresh state directory. */
static void test_progress_and_copy(void **state)
{
	(void)state;
	char dir[] = "/tmp/mptutor-test-ex-XXXXXX";
	assert_non_null(mkdtemp(dir));
	setenv("XDG_STATE_HOME", dir, 1);
	struct exercise_progress p;
	char err[512], path[4096];
	assert_int_equal(exercise_progress_load(&p, err, sizeof err), 0);
	assert_int_equal(p.n_passed, 0);
	exercise_progress_pass(&p, "01-pool-map");
	exercise_progress_pass(&p, "01-pool-map");
	assert_int_equal(exercise_progress_hint_next(&p, "01-pool-map", 2), 1);
	assert_int_equal(exercise_progress_hint_next(&p, "01-pool-map", 2), 2);
	assert_int_equal(exercise_progress_hint_next(&p, "01-pool-map", 2), 2); /* no more */
	snprintf(p.current, sizeof p.current, "02-main-guard");
	assert_int_equal(exercise_progress_save(&p, err, sizeof err), 0);
	snprintf(path, sizeof path, "%s/mptutor/exercises.json", dir);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	struct exercise_progress q;
	assert_int_equal(exercise_progress_load(&q, err, sizeof err), 0);
	assert_int_equal(q.n_passed, 1);
	assert_true(exercise_progress_passed(&q, "01-pool-map"));
	assert_int_equal(exercise_progress_hints(&q, "01-pool-map"), 2);
	assert_string_equal(q.current, "02-main-guard");
	/* a corrupt file: empty progress, said so */
	FILE *f = fopen(path, "w");
	fputs("{corrupt", f);
	fclose(f);
	assert_int_equal(exercise_progress_load(&q, err, sizeof err), 0);
	assert_int_equal(q.n_passed, 0);
	assert_non_null(strstr(err, "corrupt"));
	/* the copy: made once, never over the learner's work */
	struct exercise ex = {.number = 1};
	snprintf(ex.name, sizeof ex.name, "01-pool-map");
	snprintf(ex.dir, sizeof ex.dir, "lessons/exercises/01-pool-map");
	bool created;
	assert_int_equal(exercise_user_path(&ex, path, sizeof path, err, sizeof err), 0);
	assert_int_equal(exercise_copy_start(&ex, path, &created, err, sizeof err), 0);
	assert_true(created);
	f = fopen(path, "w");
	fputs("# mine\n", f);
	fclose(f);
	assert_int_equal(exercise_copy_start(&ex, path, &created, err, sizeof err), 0);
	assert_false(created);
	char buf[32] = "";
	f = fopen(path, "r");
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	assert_string_equal(buf, "# mine\n");
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_discovery),
	    cmocka_unit_test(test_parse_task),
	    cmocka_unit_test(test_verdict),
	    cmocka_unit_test(test_progress_and_copy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
