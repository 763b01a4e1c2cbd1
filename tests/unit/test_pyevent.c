/*
 * test_pyevent.c — the Python side's event lines: every kind parsed from a
 * good line, each malformed field refused with a message naming it, and the
 * real script (src/python/mptutor_py.py on python3) run in each mode, its
 * whole stream parsed: square 1..5, primes 4x20000 checked against the C
 * task, and crash 1..4 on the pool, a death by SIGSEGV reported with its pid.
 * Run from the source tree's root (as `make test` does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/pyevent.h"
#include "engine/task.h"

#define SCRIPT "src/python/mptutor_py.py"

/* Parse a NUL-terminated line; fails the test with the message if malformed. */
static void parse_ok(const char *line, struct pyevent *ev)
{
	char err[256];

	if (pyevent_parse(line, strlen(line), ev, err, sizeof(err)) != 0)
		fail_msg("'%s' refused: %s", line, err);
}

/* A line must be refused, with a message holding want. */
static void parse_bad(const char *line, const char *want)
{
	static struct pyevent ev;
	char err[256];

	if (pyevent_parse(line, strlen(line), &ev, err, sizeof(err)) != -1)
		fail_msg("'%s' was accepted", line);
	if (!strstr(err, want))
		fail_msg("'%s': message '%s' does not say '%s'", line, err, want);
}

/* The process subcommand's own lines: A, R, Z, J, good and malformed. */
static void test_process_lines(void **state)
{
	static struct pyevent ev;

	(void)state;
	parse_ok("A 3 -7 1000\n", &ev);
	assert_int_equal(ev.kind, PYEVENT_PROC_MADE);
	assert_int_equal(ev.proc.k, 3);
	assert_int_equal(ev.proc.item, -7);
	assert_int_equal(ev.t, 1000);
	parse_ok("R 0 4242 1000 1500", &ev);
	assert_int_equal(ev.kind, PYEVENT_PROC_START);
	assert_int_equal(ev.proc.pid, 4242);
	assert_int_equal(ev.proc.t0, 1000);
	assert_int_equal(ev.t, 1500);
	parse_ok("Z 63 2000", &ev);
	assert_int_equal(ev.kind, PYEVENT_PROC_EXIT);
	assert_int_equal(ev.proc.k, 63);
	assert_int_equal(ev.t, 2000);
	parse_ok("J 1 -11 3000", &ev);
	assert_int_equal(ev.kind, PYEVENT_PROC_JOIN);
	assert_int_equal(ev.proc.exit_code, -11);
	parse_ok("J 1 0 3000", &ev);
	assert_int_equal(ev.proc.exit_code, 0);
	assert_string_equal(pyevent_kind_name('J'), "Process join");

	parse_bad("A 64 1 1000", "the Process 64 is out of range");
	parse_bad("A -1 1 1000", "out of range");
	parse_bad("A 0 1000", "the time is missing");
	parse_bad("A 0 x 1000", "the item 'x' is not a number");
	parse_bad("R 0 4242 1500 1000", "is before t0");
	parse_bad("R 0 0 1 2", "pid");
	parse_bad("Z 0", "the time is missing");
	parse_bad("Z 0 5 6", "unexpected text");
	parse_bad("J 0 300 5", "the exit code 300 is out of range");
	parse_bad("J 0 -65 5", "out of range");
	parse_bad("J 0 0", "missing");
}

/* Every kind from a good line. */
static void test_good_lines(void **state)
{
	static struct pyevent ev;

	(void)state;
	parse_ok("H 1 cpython 3.13.0 1 0 forkserver 4121 1000\n", &ev);
	assert_int_equal(ev.kind, PYEVENT_HELLO);
	assert_string_equal(ev.hello.impl, "cpython");
	assert_string_equal(ev.hello.version, "3.13.0");
	assert_true(ev.hello.gil);
	assert_false(ev.hello.free_threaded);
	assert_string_equal(ev.hello.start_method, "forkserver");
	assert_int_equal(ev.hello.pid, 4121);
	assert_int_equal(ev.t, 1000);
	parse_ok("H 1 cpython 3.14.0rc1+ 0 1 - 7 1", &ev);
	assert_string_equal(ev.hello.start_method, "");
	assert_false(ev.hello.gil);
	assert_true(ev.hello.free_threaded);
	parse_ok("W 4122 4130 2000", &ev);
	assert_int_equal(ev.kind, PYEVENT_WORKER);
	assert_int_equal(ev.worker.pid, 4122);
	assert_int_equal(ev.worker.tid, 4130);
	parse_ok("P 1000 3000 4", &ev);
	assert_int_equal(ev.pool.t0, 1000);
	assert_int_equal(ev.pool.t1, 3000);
	assert_int_equal(ev.t, 3000);
	assert_int_equal(ev.pool.workers, 4);
	parse_ok("B 3100 5 2 0", &ev);
	assert_int_equal(ev.begin.items, 5);
	assert_int_equal(ev.begin.chunksize, 2);
	assert_false(ev.begin.ordered);
	parse_ok("S 999999 4122 4122 3200", &ev);
	assert_int_equal(ev.kind, PYEVENT_START);
	assert_int_equal(ev.start.index, 999999);
	parse_ok("E 4 3300 -9223372036854775808", &ev);
	assert_true(ev.end.has_result);
	assert_true(ev.end.result == INT64_MIN);
	parse_ok("E 4 3300 -", &ev);
	assert_false(ev.end.has_result);
	parse_ok("O 4122 4122 3250 0 Worker process is running.", &ev);
	assert_int_equal(ev.kind, PYEVENT_OUTPUT);
	assert_string_equal(ev.text, "Worker process is running.");
	assert_false(ev.output.more);
	parse_ok("O 4122 4122 3250 1 a\\\\b\\x00c\\xc3\\xa9 d", &ev);
	assert_true(ev.output.more);
	assert_int_equal(ev.text_len, 9);
	assert_memory_equal(ev.text, "a\\b\0c\xc3\xa9 d", 9);
	parse_ok("O 4122 4122 3250 0 ", &ev);
	assert_int_equal(ev.text_len, 0);
	parse_ok("K 4122 11 0 3400", &ev);
	assert_int_equal(ev.death.pid, 4122);
	assert_int_equal(ev.death.signal, SIGSEGV);
	parse_ok("K 4122 0 3 3400", &ev);
	assert_int_equal(ev.death.status, 3);
	parse_ok("M 3500", &ev);
	assert_int_equal(ev.kind, PYEVENT_MAP_END);
	parse_ok("Y 485 130 5 5", &ev);
	assert_int_equal(ev.bytes.sent, 485);
	assert_int_equal(ev.bytes.nrecvd, 5);
	parse_ok("C -12", &ev);
	assert_int_equal(ev.counter.value, -12);
	parse_ok("X 3600 RuntimeError: no", &ev);
	assert_string_equal(ev.text, "RuntimeError: no");
	parse_ok("D 3700 143", &ev);
	assert_int_equal(ev.done.status, 143);
	assert_string_equal(pyevent_kind_name('S'), "item start");
	assert_string_equal(pyevent_kind_name('Q'), "items");
	/* Q: two items, each 4 little-endian int64 in hex */
	parse_ok("Q 4122 4130 2 "
	         "0300000000000000"
	         "e803000000000000"
	         "ea03000000000000"
	         "1000000000000000"
	         "0000000000000000"
	         "ee03000000000000"
	         "f503000000000000"
	         "feffffffffffffff",
	         &ev);
	assert_int_equal(ev.kind, PYEVENT_ITEMS);
	assert_int_equal(ev.batch.pid, 4122);
	assert_int_equal(ev.batch.tid, 4130);
	assert_int_equal(ev.batch.n, 2);
	assert_int_equal(ev.items[0].index, 3);
	assert_int_equal(ev.items[0].t0, 1000);
	assert_int_equal(ev.items[0].t1, 1002);
	assert_int_equal(ev.items[0].result, 16);
	assert_int_equal(ev.items[1].index, 0);
	assert_int_equal(ev.items[1].t0, 1006);
	assert_int_equal(ev.items[1].t1, 1013);
	assert_int_equal(ev.items[1].result, -2);
	assert_int_equal(ev.t, 1013); /* the last item's end */
	/* G: items 5 and 6 timed together from 2000 to 2010, results 25 and -1 */
	parse_ok("G 4122 4130 5 2 2000 2010 1900000000000000ffffffffffffffff", &ev);
	assert_int_equal(ev.kind, PYEVENT_GROUP);
	assert_int_equal(ev.group.pid, 4122);
	assert_int_equal(ev.group.tid, 4130);
	assert_int_equal(ev.group.first, 5);
	assert_int_equal(ev.group.n, 2);
	assert_int_equal(ev.group.t0, 2000);
	assert_int_equal(ev.t, 2010);
	assert_int_equal(ev.group_results[0], 25);
	assert_int_equal(ev.group_results[1], -1);
	assert_string_equal(pyevent_kind_name('G'), "item group");
	parse_ok("U 4122 4130 200345000", &ev);
	assert_int_equal(ev.kind, PYEVENT_CPU);
	assert_int_equal(ev.cpu.tid, 4130);
	assert_int_equal(ev.cpu.cpu_ns, 200345000);
}

/* Each malformed case, refused with a message that names it. */
static void test_malformed(void **state)
{
	char big[PYEVENT_LINE_MAX + 8];

	(void)state;
	parse_bad("", "empty");
	parse_bad("\n", "empty");
	parse_bad("V 1 2", "unknown event kind");
	parse_bad("U 1 2 -5", "out of range");
	parse_bad("U 1 2", "missing");
	/* G: its counts, its range, its order, its hex */
	parse_bad("G 1 2 0 0 5 6 00", "the item count 0 is out of range");
	parse_bad("G 1 2 0 241 5 6 00", "out of range");
	parse_bad("G 1 2 999999 2 5 6 00000000000000000000000000000000", "out of range");
	parse_bad("G 1 2 0 1 6 5 0000000000000000", "not in order");
	parse_bad("G 1 2 0 1 5 6 00", "1 results take 16 hex digits, not 2");
	parse_bad("G 1 2 0 1 5 6 000000000000000g", "not hex");
	/* Q: its counts, its hex, its items' order */
	parse_bad("Q 1 2", "the item count is missing");
	parse_bad("Q 1 2 0 00", "the item count 0 is out of range");
	parse_bad("Q 1 2 64 00", "out of range");
	parse_bad("Q 1 2 1 0000", "1 items take 64 hex digits, not 4");
	{
		char q[160];
		/* index 1, t0 5, t1 4: the end before the start */
		snprintf(q, sizeof q, "Q 1 2 1 %s%s%s%s", "0100000000000000", "0500000000000000",
		         "0400000000000000", "0000000000000000");
		parse_bad(q, "are not in order");
		memcpy(q + 8, "zz", 2);
		parse_bad(q, "not hex");
		snprintf(q, sizeof q, "Q 1 2 1 %s%s%s%s", "ffffffffffffffff", "0500000000000000",
		         "0600000000000000", "0000000000000000");
		parse_bad(q, "index -1 is out of range");
		snprintf(q, sizeof q, "Q 1 2 1 %s%s%s%s x", "0100000000000000", "0500000000000000",
		         "0600000000000000", "0000000000000000");
		parse_bad(q, "unexpected text");
	}
	parse_bad("SS 1 2 3 4", "one letter");
	parse_bad("H 2 cpython 3.13.0 1 0 fork 1 1", "protocol 2");
	parse_bad("H 1 CPython 3.13.0 1 0 fork 1 1", "implementation");
	parse_bad("H 1 cpython 3.13.0 x 0 fork 1 1", "gil 'x' is not a number");
	parse_bad("H 1 cpython 3.13.0 2 0 fork 1 1", "gil 2 is out of range");
	parse_bad("H 1 cpython 3.13.0 1 0 vfork 1 1", "start method 'vfork'");
	parse_bad("H 1 cpython 3.13.0 1 0 fork 1", "the time is missing");
	parse_bad("W 0 1 1", "the pid 0 is out of range");
	parse_bad("W 1 2147483648 1", "the tid 2147483648 is out of range");
	parse_bad("W 1  1 1", "two spaces");
	parse_bad("W 1 1 1 ", "unexpected text");
	parse_bad("W 1 1 1 9", "unexpected text");
	parse_bad("W 1 1 -5", "the time -5 is out of range");
	parse_bad("W 1 1 12a", "not a number");
	parse_bad("W 1 1 007", "leading zero");
	parse_bad("W 1 1 -0", "'-0'");
	parse_bad("W 1 1 99999999999999999999", "int64 range");
	parse_bad("P 3000 1000 2", "before t0");
	parse_bad("P 1 2 0", "worker count 0");
	parse_bad("B 1 1000001 1 1", "item count");
	parse_bad("B 1 5 0 1", "chunksize 0");
	parse_bad("S 1000000 1 1 1", "the index 1000000");
	parse_bad("S -1 1 1 1", "the index -1");
	parse_bad("E 1 2", "the result is missing");
	parse_bad("E 1 2 --", "not a number");
	parse_bad("E 1 2 9223372036854775808", "int64 range");
	parse_bad("O 1 1 1 0", "space is wanted before the text");
	parse_bad("O 1 1 1 2 x", "more 2");
	parse_bad("O 1 1 1 0 a\\qb", "bad escape");
	parse_bad("O 1 1 1 0 a\\x4", "inside an escape");
	parse_bad("O 1 1 1 0 a\\xg0", "bad escape");
	parse_bad("O 1 1 1 0 tab\there", "byte 0x09");
	parse_bad("O 1 1 1 0 caf\xc3\xa9", "byte 0xc3");
	parse_bad("K 5 65 0 1", "the signal 65");
	parse_bad("K 5 9 1 1", "both a signal");
	parse_bad("K 5 0 256 1", "the status 256");
	parse_bad("M", "the time is missing");
	parse_bad("Y 1 2 3", "messages received is missing");
	parse_bad("Y 1 -2 3 4", "bytes received -2");
	parse_bad("C", "the value is missing");
	parse_bad("D 1 300", "the status 300");
	parse_bad("S 1 2 3 4\r", "byte 0x0d");
	memset(big, 'x', sizeof(big));
	memcpy(big, "O 1 1 1 0 ", 10);
	big[PYEVENT_LINE_MAX + 1] = '\0';
	parse_bad(big, "longer than");
	assert_int_equal(pyevent_parse("M 1", 1, NULL, NULL, 0), -1);
	{
		static struct pyevent ev;
		const char nul[] = "M 1\0 2";

		assert_int_equal(pyevent_parse(nul, sizeof(nul) - 1, &ev, NULL, 0), -1);
	}
}

/* What a live run's stream said. */
struct stream {
	int hello, pool_line, begin, map_end, done, starts, ends, deaths, errors, bad;
	int status;      /* D's */
	pid_t death_pid; /* K's */
	int death_signal;
	pid_t workers[16]; /* W's pids */
	int nworkers;
	int64_t results[8]; /* E's, by index */
	bool has_result[8];
	bool started[8], ended[8];
	char first_error[256];
};

/* Run the script in mode on task and items (newline-separated); parse its
 * stdout line by line into *s. Returns the script's exit status. */
static int run_script(const char *mode, const char *task, const char *items, const char *extra,
                      struct stream *s)
{
	char path[] = "/tmp/mptutor-test-pyevent-XXXXXX", cmd[512], line[PYEVENT_LINE_MAX + 2];
	static struct pyevent ev;
	FILE *f, *p;
	int fd, st;

	memset(s, 0, sizeof(*s));
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(items, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
	         "python3 -u " SCRIPT " run --mode %s --task %s --workers 2 %s --items-file %s",
	         mode, task, extra, path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		char err[256];

		if (pyevent_parse(line, strlen(line), &ev, err, sizeof(err)) < 0) {
			if (!s->bad++)
				snprintf(s->first_error, sizeof(s->first_error), "%s", err);
			continue;
		}
		switch (ev.kind) {
		case PYEVENT_HELLO:
			s->hello++;
			break;
		case PYEVENT_POOL:
			s->pool_line++;
			break;
		case PYEVENT_BEGIN:
			s->begin++;
			break;
		case PYEVENT_MAP_END:
			s->map_end++;
			break;
		case PYEVENT_DONE:
			s->done++;
			s->status = ev.done.status;
			break;
		case PYEVENT_ERROR:
			s->errors++;
			break;
		case PYEVENT_WORKER:
			if (s->nworkers < 16)
				s->workers[s->nworkers++] = ev.worker.pid;
			break;
		case PYEVENT_START:
			s->starts++;
			if (ev.start.index < 8)
				s->started[ev.start.index] = true;
			break;
		case PYEVENT_END:
			s->ends++;
			if (ev.end.index < 8) {
				s->ended[ev.end.index] = true;
				s->results[ev.end.index] = ev.end.result;
				s->has_result[ev.end.index] = ev.end.has_result;
			}
			break;
		case PYEVENT_ITEMS: /* each item: its start, then its end */
			for (int k = 0; k < ev.batch.n; k++) {
				int64_t i = ev.items[k].index;
				s->starts++;
				s->ends++;
				if (i < 8) {
					s->started[i] = s->ended[i] = true;
					s->results[i] = ev.items[k].result;
					s->has_result[i] = true;
				}
			}
			break;
		case PYEVENT_GROUP: /* items first.., timed together */
			for (int k = 0; k < ev.group.n; k++) {
				int64_t i = ev.group.first + k;
				s->starts++;
				s->ends++;
				if (i < 8) {
					s->started[i] = s->ended[i] = true;
					s->results[i] = ev.group_results[k];
					s->has_result[i] = true;
				}
			}
			break;
		case PYEVENT_DEATH:
			s->deaths++;
			s->death_pid = ev.death.pid;
			s->death_signal = ev.death.signal;
			break;
		default:
			break;
		}
	}
	st = pclose(p);
	unlink(path);
	if (s->bad)
		fail_msg("%d malformed lines from the script, the first: %s", s->bad,
		         s->first_error);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Whether a python3 is on PATH that can run the script. */
static bool have_python(void)
{
	return system("python3 -c 'import multiprocessing' >/dev/null 2>&1") == 0;
}

/* square 1..5 in each mode: every start and end, the right results, one D. */
static void test_live_square(void **state)
{
	const char *modes[] = {"serial", "pool", "thread"};
	struct stream s;

	(void)state;
	if (!have_python())
		skip();
	for (size_t m = 0; m < 3; m++) {
		assert_int_equal(run_script(modes[m], "square", "1\n2\n3\n4\n5\n", "", &s), 0);
		assert_int_equal(s.hello, 1);
		assert_int_equal(s.pool_line, 1);
		assert_int_equal(s.begin, 1);
		assert_int_equal(s.map_end, 1);
		assert_int_equal(s.done, 1);
		assert_int_equal(s.status, 0);
		assert_int_equal(s.nworkers, m == 0 ? 1 : 2);
		assert_int_equal(s.starts, 5);
		assert_int_equal(s.ends, 5);
		for (int i = 0; i < 5; i++) {
			assert_true(s.started[i] && s.ended[i] && s.has_result[i]);
			assert_int_equal(s.results[i], (i + 1) * (i + 1));
		}
	}
	/* unordered, and each start method of the pool */
	assert_int_equal(run_script("pool", "square", "1\n2\n3\n4\n5\n", "--unordered", &s), 0);
	assert_int_equal(s.ends, 5);
	assert_int_equal(
	    run_script("pool", "square", "1\n2\n3\n4\n5\n", "--start-method spawn", &s), 0);
	assert_int_equal(s.results[4], 25);
}

/* primes 4x20000 gives what the C task gives, in each mode. */
static void test_live_primes(void **state)
{
	const char *modes[] = {"serial", "pool", "thread"};
	const struct task *pr = task_find("primes");
	atomic_int brk = 0;
	struct task_ctx ctx = {.breaker = &brk, .out_fd = -1};
	int64_t want = 0;
	struct stream s;

	(void)state;
	if (!have_python())
		skip();
	assert_non_null(pr);
	assert_int_equal(pr->run(&ctx, 20000, &want), 0);
	for (size_t m = 0; m < 3; m++) {
		assert_int_equal(
		    run_script(modes[m], "primes", "20000\n20000\n20000\n20000\n", "", &s), 0);
		assert_int_equal(s.ends, 4);
		for (int i = 0; i < 4; i++)
			assert_int_equal(s.results[i], want);
	}
	/* the n <= 2 cases */
	assert_int_equal(run_script("serial", "primes", "0\n1\n2\n3\n", "", &s), 0);
	for (int i = 0; i < 4; i++) {
		int64_t r = -1;

		assert_int_equal(pr->run(&ctx, i, &r), 0);
		assert_int_equal(s.results[i], r);
	}
}

/* hello prints through output events; its results are None. */
static void test_live_output(void **state)
{
	struct stream s;

	(void)state;
	if (!have_python())
		skip();
	assert_int_equal(run_script("pool", "hello", "1\n2\n", "", &s), 0);
	assert_int_equal(s.ends, 2);
	assert_false(s.has_result[0]);
	assert_false(s.has_result[1]);
}

/* crash 1..4 on the pool: item 3 kills its worker by SIGSEGV, reported with
 * that worker's pid; the run ends with status 1 and a D line. */
static void test_live_crash(void **state)
{
	struct stream s;
	bool known = false;

	(void)state;
	if (!have_python())
		skip();
	assert_int_equal(run_script("pool", "crash", "1\n2\n3\n4\n", "--chunksize 1", &s), 1);
	assert_true(s.deaths >= 1);
	assert_int_equal(s.death_signal, SIGSEGV);
	for (int i = 0; i < s.nworkers; i++)
		known |= s.workers[i] == s.death_pid;
	assert_true(known);
	assert_true(s.started[2]); /* the item that crashed had started */
	assert_false(s.ended[2]);
	assert_int_equal(s.done, 1);
	assert_int_equal(s.status, 1);
}

/* Bad arguments: one line on stderr, status 2. */
static void test_live_usage(void **state)
{
	(void)state;
	if (!have_python())
		skip();
	assert_int_equal(system("python3 " SCRIPT " run --mode nope --task square --items-file - "
	                        "</dev/null 2>/dev/null >/dev/null") >>
	                     8,
	                 2);
	assert_int_equal(system("echo 1x | python3 " SCRIPT " run --mode serial --task square "
	                        "--items-file - 2>/dev/null >/dev/null") >>
	                     8,
	                 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_lines),    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_process_lines), cmocka_unit_test(test_live_square),
	    cmocka_unit_test(test_live_primes),   cmocka_unit_test(test_live_output),
	    cmocka_unit_test(test_live_crash),    cmocka_unit_test(test_live_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
