/*
 * test_machine.c — the machine's description and the load of other work:
 * /proc/stat and /proc/cpuinfo parsed from saved text, the load worked out
 * from made-up readings, the note a report prints, and a live reading that
 * sees a spinning process mptutor has not reaped as other work.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/clock.h"
#include "engine/machine.h"

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
	    cmocka_unit_test(test_parse_stat),      cmocka_unit_test(test_parse_cpuinfo),
	    cmocka_unit_test(test_between),         cmocka_unit_test(test_info),
	    cmocka_unit_test(test_live_other_work),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
