/*
 * test_lesson_predict.c — predictions against measurements: figures taken
 * from finished snapshots, the value each measure names (speedup, wall,
 * fastest, failed, counter), answers as learners type them, and the verdict
 * shown beside the measurement.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include "lesson/predict.h"

/* A predict block with a measure and optional choices. */
static struct predict make_predict(const char *measure, char **choices, size_t n)
{
	struct predict p = {
	    .question = "Q?", .choices = choices, .n_choices = n, .measure = (char *)measure};
	return p;
}

/* Figures of a compare: serial 0.8 s, process 0.42 s, thread 0.41 s, gil 0.85 s. */
static struct predict_figures compare_figures(void)
{
	struct predict_figures f;
	const double walls[BACKEND_COUNT] = {[BACKEND_SERIAL] = 0.8,
	                                     [BACKEND_PROCESS] = 0.42,
	                                     [BACKEND_THREAD] = 0.41,
	                                     [BACKEND_GIL] = 0.85};
	memset(&f, 0, sizeof f);
	for (int b = 0; b < BACKEND_COUNT; b++) {
		struct run_snapshot s;
		memset(&s, 0, sizeof s);
		s.backend = (enum backend_kind)b;
		s.wall_s = walls[b];
		predict_figures_add(&f, &s, true);
	}
	return f;
}

/* speedup and wall of a compare; fastest among the choices only. */
static void test_compare_measures(void **state)
{
	struct predict_figures f = compare_figures();
	double v;
	const char *name;
	char *choices[] = {"gil", "process", "serial"};
	(void)state;

	struct predict p = make_predict("speedup process", NULL, 0);
	assert_int_equal(predict_measured(&p, &f, &v, &name), 0);
	assert_true(v > 1.90 && v < 1.91);
	p = make_predict("speedup gil", NULL, 0);
	assert_int_equal(predict_measured(&p, &f, &v, &name), 0);
	assert_true(v > 0.94 && v < 0.95);
	p = make_predict("wall serial", NULL, 0);
	assert_int_equal(predict_measured(&p, &f, &v, &name), 0);
	assert_true(v == 0.8);
	p = make_predict("fastest", choices, 3);
	assert_int_equal(predict_measured(&p, &f, &v, &name), 0);
	assert_string_equal(name, "process"); /* thread was faster, but is not a choice */
	p = make_predict("counter", NULL, 0);
	assert_int_equal(predict_measured(&p, &f, &v, &name), -1); /* no counter ran */
}

/* failed and counter and wall of plain runs; nothing measured yet. */
static void test_run_measures(void **state)
{
	struct predict_figures f;
	struct run_snapshot s;
	double v;
	const char *name;
	(void)state;

	memset(&f, 0, sizeof f);
	struct predict p = make_predict("failed", NULL, 0);
	assert_int_equal(predict_measured(&p, &f, &v, &name), -1);

	memset(&s, 0, sizeof s);
	s.backend = BACKEND_PROCESS;
	s.wall_s = 0.25;
	s.n_failed = 3;
	s.has_parent_counter = true;
	s.parent_counter = 0;
	predict_figures_add(&f, &s, false);
	assert_int_equal(predict_measured(&p, &f, &v, &name), 0);
	assert_true(v == 3);
	p = make_predict("counter", NULL, 0);
	assert_int_equal(predict_measured(&p, &f, &v, &name), 0);
	assert_true(v == 0);
	p = make_predict("wall", NULL, 0);
	assert_int_equal(predict_measured(&p, &f, &v, &name), 0);
	assert_true(v == 0.25);
	p = make_predict("speedup thread", NULL, 0);
	assert_int_equal(predict_measured(&p, &f, &v, &name), -1); /* a run has no speedup */
}

/* Answers as typed: numbers with units, letters, numbers for choices; refusals say why. */
static void test_parse_answer(void **state)
{
	char *choices[] = {"gil", "thread"};
	struct predict num = make_predict("speedup gil", NULL, 0),
	               ch = make_predict("fastest", choices, 2);
	int c;
	double v;
	char err[128];
	(void)state;

	assert_int_equal(predict_parse_answer(&num, "1.8", &c, &v, err, sizeof err), 0);
	assert_int_equal(c, -1);
	assert_true(v == 1.8);
	assert_int_equal(predict_parse_answer(&num, "2x", &c, &v, err, sizeof err), 0);
	assert_true(v == 2);
	assert_int_equal(predict_parse_answer(&num, "2\xc3\x97", &c, &v, err, sizeof err), 0);
	assert_int_equal(predict_parse_answer(&num, "0.4 s", &c, &v, err, sizeof err), 0);
	assert_int_equal(predict_parse_answer(&num, "fast", &c, &v, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a number"));
	assert_int_equal(predict_parse_answer(&num, "nan", &c, &v, err, sizeof err), -1);
	assert_int_equal(predict_parse_answer(&ch, "b", &c, &v, err, sizeof err), 0);
	assert_int_equal(c, 1);
	assert_int_equal(predict_parse_answer(&ch, "1", &c, &v, err, sizeof err), 0);
	assert_int_equal(c, 0);
	assert_int_equal(predict_parse_answer(&ch, "c", &c, &v, err, sizeof err), -1);
	assert_non_null(strstr(err, "a-b"));
}

/* The verdict: close within 25%, far off beyond; choices right or not; nothing to compare. */
static void test_verdict(void **state)
{
	struct predict_figures f = compare_figures(), none;
	char *choices[] = {"gil", "thread"};
	struct predict num = make_predict("speedup process", NULL, 0),
	               ch = make_predict("fastest", choices, 2);
	char buf[256];
	bool right;
	(void)state;

	predict_verdict(&num, &f, -1, 1.8, buf, sizeof buf, &right);
	assert_true(right);
	assert_string_equal(buf, "You predicted: 1.8\xc3\x97. Measured speedup process: "
	                         "1.9\xc3\x97. Close: well predicted.");
	predict_verdict(&num, &f, -1, 4, buf, sizeof buf, &right);
	assert_false(right);
	assert_non_null(strstr(buf, "Far off"));
	predict_verdict(&ch, &f, 1, 0, buf, sizeof buf, &right);
	assert_true(right);
	assert_string_equal(buf, "You predicted: thread. Measured fastest: thread. Right.");
	predict_verdict(&ch, &f, 0, 0, buf, sizeof buf, &right);
	assert_false(right);
	memset(&none, 0, sizeof none);
	predict_verdict(&num, &none, -1, 2, buf, sizeof buf, &right);
	assert_false(right);
	assert_non_null(strstr(buf, "no speedup process to compare with"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_compare_measures),
	    cmocka_unit_test(test_run_measures),
	    cmocka_unit_test(test_parse_answer),
	    cmocka_unit_test(test_verdict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
