/*
 * test_items.c — ITEMS parsing: every form a user may write (numbers,
 * negative numbers, ranges, repetitions, blanks), and every refusal, each
 * with a message that names the bad term and what is allowed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include "cmd/cmd.h"

/* Parse text, which must succeed, and compare with want[n]. */
static void items_ok(const char *text, const int64_t *want, size_t n)
{
	int64_t *items = NULL;
	size_t got = 0;
	char err[ENGINE_ERRLEN] = "";
	int rc = items_parse(text, &items, &got, err, sizeof err);
	if (rc != 0)
		fail_msg("items_parse(\"%s\") refused: %s", text, err);
	assert_int_equal(got, n);
	for (size_t i = 0; i < n; i++)
		assert_true(items[i] == want[i]);
	free(items);
}

/* Parse text, which must fail with a message holding every needle. */
static void items_bad(const char *text, const char *needle1, const char *needle2)
{
	int64_t *items = (int64_t *)1;
	size_t got = 99;
	char err[ENGINE_ERRLEN] = "";
	assert_int_equal(items_parse(text, &items, &got, err, sizeof err), -1);
	assert_null(items);
	assert_int_equal(got, 0);
	if (strstr(err, needle1) == NULL || (needle2 != NULL && strstr(err, needle2) == NULL))
		fail_msg("items_parse(\"%s\"): message \"%s\" lacks \"%s\"/\"%s\"", text, err,
		         needle1, needle2 ? needle2 : "");
}

/* A single number, positive and negative. */
static void test_numbers(void **state)
{
	(void)state;
	items_ok("7", (int64_t[]){7}, 1);
	items_ok("-3", (int64_t[]){-3}, 1);
	items_ok("+4", (int64_t[]){4}, 1);
	items_ok("0", (int64_t[]){0}, 1);
	items_ok("9223372036854775807", (int64_t[]){INT64_MAX}, 1);
	items_ok("-9223372036854775808", (int64_t[]){INT64_MIN}, 1);
}

/* Inclusive ranges, including negative bounds and a one-item range. */
static void test_ranges(void **state)
{
	(void)state;
	items_ok("1..5", (int64_t[]){1, 2, 3, 4, 5}, 5);
	items_ok("-2..1", (int64_t[]){-2, -1, 0, 1}, 4);
	items_ok("-5..-3", (int64_t[]){-5, -4, -3}, 3);
	items_ok("4..4", (int64_t[]){4}, 1);
}

/* COUNTxVALUE repetitions. */
static void test_repetitions(void **state)
{
	(void)state;
	items_ok("3x30000", (int64_t[]){30000, 30000, 30000}, 3);
	items_ok("2x-1", (int64_t[]){-1, -1}, 2);
	items_ok("1x0", (int64_t[]){0}, 1);
}

/* Terms mixed, with blanks around them, in the order written. */
static void test_mixed(void **state)
{
	(void)state;
	items_ok("1..3,7,2x5", (int64_t[]){1, 2, 3, 7, 5, 5}, 6);
	items_ok(" 1 , 2..3 ,\t4 ", (int64_t[]){1, 2, 3, 4}, 4);
	items_ok("5,1", (int64_t[]){5, 1}, 2);
}

/* The most items allowed is accepted, in every form. */
static void test_limit_exact(void **state)
{
	(void)state;
	int64_t *items;
	size_t n;
	char err[ENGINE_ERRLEN];
	char text[64];
	snprintf(text, sizeof text, "1..%d", ENGINE_MAX_ITEMS);
	assert_int_equal(items_parse(text, &items, &n, err, sizeof err), 0);
	assert_int_equal(n, ENGINE_MAX_ITEMS);
	assert_true(items[n - 1] == ENGINE_MAX_ITEMS);
	free(items);
	snprintf(text, sizeof text, "%dx2,1", ENGINE_MAX_ITEMS - 1);
	assert_int_equal(items_parse(text, &items, &n, err, sizeof err), 0);
	assert_int_equal(n, ENGINE_MAX_ITEMS);
	free(items);
}

/* Too many items: one term, a sum of terms, and a huge range refused at once. */
static void test_too_many(void **state)
{
	(void)state;
	char text[64];
	snprintf(text, sizeof text, "1..%d", ENGINE_MAX_ITEMS + 1);
	items_bad(text, "too many items", "1000000");
	snprintf(text, sizeof text, "1..%d,7", ENGINE_MAX_ITEMS);
	items_bad(text, "\"7\"", "too many items");
	items_bad("1..99999999999", "\"1..99999999999\"", "too many items");
	items_bad("99999999999x1", "too many items", NULL);
	items_bad("-9223372036854775808..9223372036854775807", "too many items", NULL);
	snprintf(text, sizeof text, "600000x1,600000x2");
	items_bad(text, "\"600000x2\"", "too many");
}

/* Numbers that do not fit in 64 bits. */
static void test_overflow(void **state)
{
	(void)state;
	items_bad("99999999999999999999", "\"99999999999999999999\"", "out of range");
	items_bad("9223372036854775808", "out of range", NULL);
	items_bad("1..99999999999999999999", "out of range", NULL);
	items_bad("2x99999999999999999999", "out of range", NULL);
	items_bad("1111111111111111111111111111111111111111111111111111111111111111111111",
	          "out of range", NULL);
}

/* Bad ranges: a missing or non-numeric bound, descending. */
static void test_bad_ranges(void **state)
{
	(void)state;
	items_bad("1..x", "ITEMS: \"1..x\": a range needs two whole numbers, like 1..5", NULL);
	items_bad("1..", "\"1..\"", "a range needs two whole numbers");
	items_bad("..5", "a range needs two whole numbers", NULL);
	items_bad("1...5", "a range needs two whole numbers", NULL);
	items_bad("5..1", "\"5..1\"", "write 1..5");
	items_bad("1.5", "not a whole number", NULL);
}

/* Bad repetitions and bad words. */
static void test_bad_terms(void **state)
{
	(void)state;
	items_bad("x3", "\"x3\"", "COUNTxVALUE");
	items_bad("3x", "\"3x\"", "like 8x30000");
	items_bad("0x5", "a count of at least 1", NULL);
	items_bad("-2x5", "a count of at least 1", NULL);
	items_bad("abc", "\"abc\"", "not a whole number");
	items_bad("1e3", "not a whole number", NULL);
	items_bad("0x1F", "COUNTxVALUE", NULL);
	items_bad("-", "not a whole number", NULL);
}

/* Empty lists and empty terms. */
static void test_empty(void **state)
{
	(void)state;
	items_bad("", "empty", "ranges (1..5)");
	items_bad("   ", "empty", NULL);
	items_bad("1,,2", "an empty term", NULL);
	items_bad(",1", "an empty term", NULL);
	items_bad("1,", "an empty term", NULL);
	items_bad("1, ,2", "an empty term", NULL);
}

/* A small error buffer is filled without overflow. */
static void test_small_err_buffer(void **state)
{
	(void)state;
	int64_t *items;
	size_t n;
	char err[8];
	memset(err, 'z', sizeof err);
	assert_int_equal(items_parse("1..x", &items, &n, err, sizeof err), -1);
	assert_int_equal(strlen(err), sizeof err - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_numbers),          cmocka_unit_test(test_ranges),
	    cmocka_unit_test(test_repetitions),      cmocka_unit_test(test_mixed),
	    cmocka_unit_test(test_limit_exact),      cmocka_unit_test(test_too_many),
	    cmocka_unit_test(test_overflow),         cmocka_unit_test(test_bad_ranges),
	    cmocka_unit_test(test_bad_terms),        cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_small_err_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
