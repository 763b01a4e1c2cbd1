/*
 * test_itemrec.c — a snapshot's packed item records (engine/itemrec.h): every
 * field comes back as it went in (times to the ns, negative ones, the far
 * end of the range clamped, who past 12 bits), seconds of a recording back to
 * the same ns, and the table of who ran the items: each (worker, pid, tid)
 * once however its items come, nobody at 0, a replaced worker a new entry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include "engine/engine.h"

/* Each field of a record back as packed; all zero is pending and nobody. */
static void test_pack(void **state)
{
	(void)state;
	static const int64_t ns[] = {0, 1, 999999999, 4294967296LL, -5, ITEM_NS_MAX, -ITEM_NS_MAX};
	static const uint32_t who[] = {0, 1, 4095, 4096, 123456, ITEM_WHO_MAX};
	for (size_t a = 0; a < sizeof ns / sizeof ns[0]; a++)
		for (size_t w = 0; w < sizeof who / sizeof who[0]; w++)
			for (unsigned st = ITEM_PENDING; st <= ITEM_FAILED; st++) {
				int64_t end = ns[(a + 1) % (sizeof ns / sizeof ns[0])];
				struct item_rec r = item_rec_make(st, who[w], ns[a], end);
				assert_int_equal(item_rec_status(r), st);
				assert_int_equal(item_rec_who(r), who[w]);
				assert_true(item_rec_start_ns(r) == ns[a]);
				assert_true(item_rec_end_ns(r) == end);
				struct item_rec q = item_rec_at(r, ITEM_RUNNING, 0);
				assert_int_equal(item_rec_status(q), ITEM_RUNNING);
				assert_int_equal(item_rec_who(q), who[w]);
				assert_true(item_rec_start_ns(q) == ns[a] &&
				            item_rec_end_ns(q) == 0);
			}
	struct item_rec z = {0};
	assert_int_equal(item_rec_status(z), ITEM_PENDING);
	assert_int_equal(item_rec_who(z), 0);
	/* past the range: clamped, never wrapped */
	struct item_rec far = item_rec_make(ITEM_DONE, 7, INT64_MAX, INT64_MIN);
	assert_true(item_rec_start_ns(far) == ITEM_NS_MAX);
	assert_true(item_rec_end_ns(far) == -ITEM_NS_MAX);
	/* seconds as a recording writes them give back the ns they were made from */
	static const int64_t t[] = {0, 1, 31669, 123456789, 4294967297LL, 86400000000123LL};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		double s = item_ns_s(t[i]);
		assert_true(item_s_ns(s) == t[i]);
		assert_true(item_ns_s(item_s_ns(s)) == s);
	}
	assert_true(item_s_ns(1e300) == ITEM_NS_MAX);
}

/* The table: nobody at 0, each incarnation once, in whatever order its items come. */
static void test_who_table(void **state)
{
	(void)state;
	struct item_who_table t;
	assert_int_equal(item_who_init(&t, 2), 0);
	assert_int_equal(item_who_index(&t, -1, 0, 0), 0);
	uint32_t a = item_who_index(&t, 0, 100, 100);
	uint32_t b = item_who_index(&t, 1, 101, 101);
	assert_true(a != 0 && b != 0 && a != b);
	assert_int_equal(item_who_index(&t, 0, 100, 100), a);
	uint32_t c = item_who_index(&t, 0, 102, 102); /* worker 0 replaced */
	assert_true(c != a && c != b && c != 0);
	assert_int_equal(item_who_index(&t, 0, 100, 100), a); /* a late item of the first */
	assert_int_equal(item_who_index(&t, 0, 102, 102), c);
	assert_int_equal(item_who_index(&t, 1, 101, 101), b);
	uint32_t d = item_who_index(&t, -1, 5, 5); /* nobody, but a pid: its own entry */
	assert_true(d != 0);
	assert_int_equal(item_who_index(&t, -1, 0, 0), 0);
	assert_int_equal(item_who_index(&t, 7, 1, 1), 0); /* no such worker: nobody */
	for (int k = 0; k < 1000; k++)                    /* many incarnations: the table grows */
		assert_int_equal(item_who_index(&t, 1, 1000 + k, 1000 + k), 5 + (uint32_t)k);
	assert_int_equal(item_who_index(&t, 0, 100, 100), a);
	size_t n;
	struct item_who *w = item_who_take(&t, &n);
	assert_int_equal(n, 1005);
	assert_int_equal(w[0].worker, -1);
	assert_int_equal(w[a].worker, 0);
	assert_int_equal(w[a].pid, 100);
	assert_int_equal(w[c].pid, 102);
	assert_int_equal(w[b].tid, 101);
	free(w);
	assert_null(t.who);
	item_who_free(&t); /* safe again */
}

/* A snapshot's accessors read the record and the table. */
static void test_snapshot_access(void **state)
{
	(void)state;
	struct item_who who[] = {{.worker = -1}, {.worker = 1, .pid = 42, .tid = 43}};
	struct item_rec recs[] = {{0}, item_rec_make(ITEM_DONE, 1, 1500, 250000000)};
	struct run_snapshot s = {.n_items = 2, .recs = recs, .who = who, .n_who = 2};
	assert_int_equal(run_item_status(&s, 0), ITEM_PENDING);
	assert_int_equal(run_item_event(&s, 0).worker, -1);
	struct item_event e = run_item_event(&s, 1);
	assert_int_equal(run_item_status(&s, 1), ITEM_DONE);
	assert_int_equal(e.worker, 1);
	assert_int_equal(e.pid, 42);
	assert_int_equal(e.tid, 43);
	assert_true(e.start_s == 1500 / 1e9 && e.end_s == 0.25);
	s.n_who = 1; /* an index past the table is nobody */
	assert_int_equal(run_item_who(&s, 1).worker, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pack),
	    cmocka_unit_test(test_who_table),
	    cmocka_unit_test(test_snapshot_access),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
