/*
 * test_backend.c — the public backend table: every row is whole and in its
 * place, each family has one serial baseline, names round-trip, and compare
 * lists parse (names, family words, duplicates, bad words named).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include <string.h>

#include "engine/backend.h"

/* Each row is at its kind's index and says what a front end needs. */
static void test_rows_whole(void **state)
{
	(void)state;
	for (int k = 0; k < BACKEND_COUNT; k++) {
		const struct backend_info *b = backend_get((enum backend_kind)k);
		assert_non_null(b);
		assert_int_equal(b->kind, k);
		assert_non_null(b->name);
		assert_non_null(b->summary);
		assert_non_null(b->worker);
		assert_non_null(b->workers);
		assert_true(b->prefix == 'w' || b->prefix == 't');
		assert_ptr_equal(backend_lookup(b->name), b);
		assert_string_equal(backend_name(b->kind), b->name);
		/* a thread-named worker never forks; a process one does, or is serial */
		if (b->prefix == 't')
			assert_false(b->forks);
	}
	assert_null(backend_get(BACKEND_COUNT));
	assert_string_equal(backend_name(BACKEND_COUNT), "?");
	assert_null(backend_lookup("nope"));
	assert_null(backend_lookup(NULL));
}

/* What the course teaches of each backend. */
static void test_traits(void **state)
{
	(void)state;
	assert_true(backend_get(BACKEND_PY_PROCESS)->forks);
	assert_false(backend_get(BACKEND_PY_THREAD)->forks);
	assert_false(backend_get(BACKEND_PY_SERIAL)->forks);
	assert_true(backend_get(BACKEND_PY_THREAD)->gil);
	assert_false(backend_get(BACKEND_PY_PROCESS)->gil);
	assert_true(backend_get(BACKEND_PY_SERIAL)->serial);
	assert_string_equal(backend_name(BACKEND_PY_SERIAL), "py-serial");
	assert_string_equal(backend_name(BACKEND_PY_PROCESS), "py-process");
	assert_string_equal(backend_name(BACKEND_PY_THREAD), "py-thread");
	for (int k = BACKEND_PY_SERIAL; k <= BACKEND_PY_THREAD; k++) {
		assert_int_equal(backend_table[k].family, BACKEND_FAMILY_PYTHON);
		assert_false(backend_table[k].compare_default);
		assert_non_null(backend_table[k].available);
		assert_int_equal(backend_baseline((enum backend_kind)k), BACKEND_PY_SERIAL);
	}
	assert_int_equal(backend_baseline(BACKEND_GIL), BACKEND_SERIAL);
	assert_true(backend_get(BACKEND_PROCESS)->forks);
	assert_false(backend_get(BACKEND_THREAD)->forks);
	assert_true(backend_get(BACKEND_GIL)->gil);
	assert_false(backend_get(BACKEND_THREAD)->gil);
	assert_true(backend_get(BACKEND_SERIAL)->serial);
	assert_false(backend_get(BACKEND_PROCESS)->serial);
}

/* Each family has exactly one serial row, and every row's baseline is it. */
static void test_baselines(void **state)
{
	(void)state;
	for (int f = 0; f < BACKEND_FAMILY_COUNT; f++) {
		int serials = 0;
		for (int k = 0; k < BACKEND_COUNT; k++)
			serials += backend_table[k].family == (enum backend_family)f &&
			           backend_table[k].serial;
		assert_int_equal(serials, 1);
	}
	for (int k = 0; k < BACKEND_COUNT; k++) {
		enum backend_kind base = backend_baseline((enum backend_kind)k);
		assert_true(backend_get(base)->serial);
		assert_int_equal(backend_get(base)->family, backend_table[k].family);
	}
}

/* Compare lists: names, words, duplicates once, table order, errors named. */
static void test_parse_list(void **state)
{
	enum backend_kind out[BACKEND_COUNT];
	size_t n = 99;
	char err[300];

	(void)state;
	assert_int_equal(backend_parse_list("thread,process", out, &n, err, sizeof err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0], BACKEND_PROCESS); /* table order, not the list's */
	assert_int_equal(out[1], BACKEND_THREAD);
	assert_int_equal(backend_parse_list("gil,gil", out, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(backend_parse_list("all", out, &n, err, sizeof err), 0);
	assert_int_equal(n, BACKEND_COUNT);
	assert_int_equal(backend_parse_list("c", out, &n, err, sizeof err), 0);
	assert_int_equal(n, 4);
	assert_int_equal(out[3], BACKEND_GIL);
	assert_int_equal(backend_parse_list("py", out, &n, err, sizeof err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(out[0], BACKEND_PY_SERIAL);
	assert_int_equal(out[2], BACKEND_PY_THREAD);
	assert_int_equal(backend_parse_list("py-thread,serial", out, &n, err, sizeof err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0], BACKEND_SERIAL);
	assert_int_equal(out[1], BACKEND_PY_THREAD);
	assert_int_equal(backend_parse_list("process,bogus", out, &n, err, sizeof err), -1);
	assert_non_null(strstr(err, "'bogus'"));
	assert_non_null(
	    strstr(err, "serial, process, thread, gil, py-serial, py-process, py-thread"));
	assert_non_null(strstr(err, "or c, py, all"));
	assert_int_equal(backend_parse_list("process,", out, &n, err, sizeof err), -1);
	assert_non_null(strstr(err, "empty backend name"));
	assert_int_equal(backend_parse_list("", out, &n, err, sizeof err), -1);
	char longw[100];
	memset(longw, 'x', sizeof longw - 1);
	longw[sizeof longw - 1] = '\0';
	assert_int_equal(backend_parse_list(longw, out, &n, err, sizeof err), -1);
	assert_non_null(strstr(err, "too long"));
}

/* The default compare list is the rows marked for it, serial first. */
static void test_default_list(void **state)
{
	enum backend_kind out[BACKEND_COUNT];
	(void)state;
	size_t n = backend_default_list(out);
	assert_int_equal(n, 4);
	assert_int_equal(out[0], BACKEND_SERIAL);
	assert_int_equal(out[3], BACKEND_GIL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rows_whole),   cmocka_unit_test(test_traits),
	    cmocka_unit_test(test_baselines),    cmocka_unit_test(test_parse_list),
	    cmocka_unit_test(test_default_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
