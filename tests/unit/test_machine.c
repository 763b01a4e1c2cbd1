/*
 * test_machine.c — the machine's description and the load of other work:
 * /proc/stat and /proc/cpuinfo parsed from saved text, the load worked out
 * from made-up readings and from saved /proc/stat pairs (fixtures/proc/
 * loadpair_*: a quiet second, a second beside two busy loops, and a
 * hand-made second of a VM whose hypervisor stole time), a compare's loads
 * summed, the note a report prints, and a live reading that sees a spinning
 * process mptutor has not reaped as other work.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/clock.h"
#include "engine/machine.h"

#define FIXTURES "tests/fixtures/proc/"

/* A mark from a saved /proc/stat, at t_s with our CPU self_s (the test's own). */
static struct machine_load_mark fixture_mark(const char *name, double t_s, double self_s)
{
	char path[256], text[4096];
	struct machine_load_mark m = {0};
	snprintf(path, sizeof path, FIXTURES "%s", name);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	assert_int_equal(machine_parse_stat(text, &m), 0);
	m.ok = true;
	m.cpus = 2; /* the machine they were saved on */
	m.t_ns = (int64_t)(t_s * 1e9);
	m.self_ns = (int64_t)(self_s * 1e9);
	return m;
}

/* The load between two saved readings a second apart (USER_HZ 100). */
static struct machine_load fixture_load(const char *a, const char *b, double self_s)
{
	struct machine_load_mark ma = fixture_mark(a, 0, 0), mb = fixture_mark(b, 1, self_s);
	struct machine_load l;
	machine_load_between(&ma, &mb, 100, &l);
	return l;
}

/* Saved pairs: quiet, beside two busy loops (with and without our own CPU
 * among it), and a VM's steal. */
static void test_fixture_pairs(void **state)
{
	char note[160];
	(void)state;
	/* quiet: no busy tick in the second: nothing to say */
	struct machine_load q = fixture_load("loadpair_quiet_a.txt", "loadpair_quiet_b.txt", 0);
	assert_true(q.valid);
	assert_true(q.busy < 0.01);
	assert_false(machine_load_spoils(&q));
	assert_string_equal(machine_load_note(&q, note, sizeof note), "");
	/* two loops on two CPUs: 201 user+system ticks in 1 s, none of them ours */
	struct machine_load b = fixture_load("loadpair_busy_a.txt", "loadpair_busy_b.txt", 0);
	assert_true(b.valid);
	assert_true(b.others_s > 2.00 && b.others_s < 2.02);
	assert_true(b.busy > 0.99 && b.busy <= 1.0); /* clamped at the whole machine */
	assert_true(machine_load_spoils(&b));
	assert_string_equal(machine_load_note(&b, note, sizeof note),
	                    "the machine was 100% busy with other work: speedups are low");
	/* the same ticks when 1.5 s of them were our own run's: 0.51 s others' -> 25% */
	struct machine_load o = fixture_load("loadpair_busy_a.txt", "loadpair_busy_b.txt", 1.5);
	assert_true(o.busy > 0.24 && o.busy < 0.27);
	assert_true(machine_load_spoils(&o));
	/* all of it ours (1.9 s of 2.01): others' 5%, no note */
	o = fixture_load("loadpair_busy_a.txt", "loadpair_busy_b.txt", 1.9);
	assert_true(o.busy < 0.10);
	assert_false(machine_load_spoils(&o));
	/* a VM: 80 ticks stolen, 26 busy, 0.2 s of it ours: the steal counts even
	 * where our finer CPU figure exceeds the ticks */
	struct machine_load v = fixture_load("loadpair_steal_a.txt", "loadpair_steal_b.txt", 0.2);
	assert_true(v.steal_s > 0.79 && v.steal_s < 0.81);
	assert_true(v.others_s >= v.steal_s);
	assert_true(v.busy > 0.40 && v.busy < 0.46);
	assert_non_null(
	    strstr(machine_load_note(&v, note, sizeof note), "stolen by the hypervisor"));
}

/* A compare's rows as one load: others' CPU over CPUs x spans; rows without
 * readings left out; too short in all: not judged. */
static void test_sum(void **state)
{
	struct machine_load a = {
	    .valid = true, .span_s = 1, .others_s = 0.8, .busy = 0.4, .cpus = 2};
	struct machine_load b = {.valid = true, .span_s = 3, .others_s = 0, .busy = 0, .cpus = 2};
	struct machine_load none = {0}, out;
	const struct machine_load *rows[] = {&a, &b, &none};
	(void)state;
	machine_load_sum(rows, 3, &out);
	assert_true(out.valid);
	assert_true(out.busy > 0.099 && out.busy < 0.101); /* 0.8 / (2 x 4) */
	assert_false(machine_load_spoils(&out));
	const struct machine_load *one[] = {&a};
	machine_load_sum(one, 1, &out);
	assert_true(machine_load_spoils(&out));
	struct machine_load s1 = {.span_s = 0.05, .others_s = 0.1, .cpus = 2};
	const struct machine_load *shorts[] = {&s1, &s1};
	machine_load_sum(shorts, 2, &out);
	assert_false(out.valid);
	assert_false(machine_load_spoils(&out));
	machine_load_sum(NULL, 0, &out);
	assert_false(out.valid);
}

/* A speedup's load: two rows too short alone judged together; a busy row
 * long enough alone is not hidden by a quiet baseline; no baseline: its own. */
static void test_load_speedup(void **state)
{
	struct machine_load row = {.span_s = 0.05, .others_s = 0.07, .cpus = 2};
	struct machine_load base = {.span_s = 0.17, .others_s = 0.2, .cpus = 2};
	struct machine_load out;
	(void)state;
	machine_load_speedup(&row, &base, &out);
	assert_true(out.valid);                          /* 0.22 s together */
	assert_true(out.busy > 0.61 && out.busy < 0.62); /* 0.27 / (2 x 0.22) */
	assert_true(machine_load_spoils(&out));
	machine_load_speedup(&row, NULL, &out);
	assert_false(out.valid); /* alone, too short */
	machine_load_speedup(&row, &row, &out);
	assert_false(out.valid);
	struct machine_load busy = {
	    .valid = true, .span_s = 0.5, .others_s = 0.4, .busy = 0.4, .cpus = 2};
	struct machine_load quiet = {
	    .valid = true, .span_s = 2.0, .others_s = 0.0, .busy = 0.0, .cpus = 2};
	machine_load_speedup(&busy, &quiet, &out);
	assert_true(out.busy > 0.39); /* its own 40%, not the pair's 8% */
	assert_true(machine_load_spoils(&out));
	machine_load_speedup(&quiet, &quiet, &out);
	assert_false(machine_load_spoils(&out));
}

static const char stat_text[] = "cpu  4705 150 1120 16250 520 0 29 7 0 0\n"
                                "cpu0 2350 75 560 8125 260 0 15 3 0 0\n"
                                "intr 1 2 3\n";

/* The total cpu line's ticks, busy and idle apart. */
static void test_parse_stat(void **state)
{
	struct machine_load_mark m = {0};
	(void)state;
	assert_int_equal(machine_parse_stat(stat_text, &m), 0);
	assert_int_equal(m.busy_ticks, 4705 + 150 + 1120 + 0 + 29 + 7);
	assert_int_equal(m.steal_ticks, 7);
	assert_int_equal(m.total_ticks, m.busy_ticks + 16250 + 520);
	assert_int_equal(machine_parse_stat("cpu0 1 2 3 4 5 6 7 8\n", &m), -1); /* not the total */
	assert_int_equal(machine_parse_stat("", &m), -1);
	assert_int_equal(machine_parse_stat("garbage\n", &m), -1);
}

/* The model name line, wherever it stands; "unknown" without one. */
static void test_parse_cpuinfo(void **state)
{
	char buf[64];
	(void)state;
	machine_parse_cpuinfo("processor\t: 0\nvendor_id\t: GenuineIntel\n"
	                      "model name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\nflags\t: fpu\n",
	                      buf, sizeof buf);
	assert_string_equal(buf, "Intel(R) Xeon(R) CPU @ 2.20GHz");
	machine_parse_cpuinfo("processor : 0\nBogoMIPS : 50\n", buf, sizeof buf);
	assert_string_equal(buf, "unknown");
	machine_parse_cpuinfo("", buf, sizeof buf);
	assert_string_equal(buf, "unknown");
}

/* Others' CPU is the machine's busy ticks less our own, over CPUs x span. */
static void test_between(void **state)
{
	struct machine_load_mark a = {
	    .ok = true, .busy_ticks = 1000, .steal_ticks = 10, .self_ns = 0, .t_ns = 0, .cpus = 2};
	struct machine_load_mark b = a;
	struct machine_load l;
	char note[128];
	(void)state;
	/* 1 s on 2 CPUs; 120 ticks busy, of which 40 ours: 0.8 s others -> 40% */
	b.busy_ticks += 120;
	b.self_ns = 400000000;
	b.t_ns = 1000000000;
	machine_load_between(&a, &b, 100, &l);
	assert_true(l.valid);
	assert_true(l.others_s > 0.79 && l.others_s < 0.81);
	assert_true(l.busy > 0.39 && l.busy < 0.41);
	assert_string_equal(machine_load_note(&l, note, sizeof note),
	                    "the machine was 40% busy with other work: speedups are low");
	/* a quiet machine: no note */
	b.busy_ticks = a.busy_ticks + 45;
	machine_load_between(&a, &b, 100, &l);
	assert_true(l.busy < 0.05);
	assert_string_equal(machine_load_note(&l, note, sizeof note), "");
	/* too short to judge */
	b.t_ns = 100000000;
	b.busy_ticks = a.busy_ticks + 20;
	b.self_ns = 0;
	machine_load_between(&a, &b, 100, &l);
	assert_false(l.valid);
	assert_string_equal(machine_load_note(&l, note, sizeof note), "");
	/* a reading missing, or counters going back: nothing */
	b = a;
	b.ok = false;
	machine_load_between(&a, &b, 100, &l);
	assert_false(l.valid);
	b = a;
	b.busy_ticks = 5;
	b.t_ns = 1000000000;
	machine_load_between(&a, &b, 100, &l);
	assert_false(l.valid);
}

/* This machine: CPUs, a model, a kernel. */
static void test_info(void **state)
{
	struct machine_info info;
	(void)state;
	machine_info_read(&info);
	assert_true(info.cpus_online >= 1);
	assert_true(info.cpus_usable >= 1);
	assert_true(info.cpu_model[0] != '\0');
	assert_non_null(strstr(info.kernel, "Linux"));
}

/* A process that spins and is not yet reaped is other work, seen as such. */
static void test_live_other_work(void **state)
{
	struct machine_load_mark m;
	struct machine_load l;
	(void)state;
	machine_load_begin(&m);
	assert_true(m.ok);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int64_t end = engine_now_ns() + 600000000LL;
		volatile unsigned long x = 0;
		while (engine_now_ns() < end)
			x++;
		_exit(0);
	}
	struct timespec ts = {0, 650000000L};
	nanosleep(&ts, NULL);
	machine_load_end(&m, &l); /* before the reap: the child is someone else's work */
	int st;
	waitpid(pid, &st, 0);
	assert_true(l.valid);
	/* 0.6 s of CPU in 0.65 s: at least a quarter of two CPUs, less what the
	 * scheduler kept from it on a loaded machine */
	assert_true(l.others_s > 0.3);
	assert_true(l.busy > 0 && l.busy <= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_stat),
	    cmocka_unit_test(test_parse_cpuinfo),
	    cmocka_unit_test(test_between),
	    cmocka_unit_test(test_info),
	    cmocka_unit_test(test_live_other_work),
	    cmocka_unit_test(test_fixture_pairs),
	    cmocka_unit_test(test_sum),
	    cmocka_unit_test(test_load_speedup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
