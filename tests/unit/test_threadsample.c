/*
 * test_threadsample.c — the kernel-sampling GIL measure. Fixtures: syscall
 * files and stat lines saved from a CPython 3.11 thread pool (a GIL holder,
 * a GIL waiter, a sleeper, a thread in join), the classifier on each, the
 * attribution arithmetic on synthetic readings. Live: a real python3 child
 * (forked and exec'd here, killed and reaped on every path) whose threads
 * print their native ids and each item's CLOCK_MONOTONIC start and end:
 * two CPU-bound threads share the GIL, two sleepers hold nothing, one
 * CPU-bound thread alone holds it, and a process that exits mid-sampling
 * ends its threads' sampling cleanly. Bounds are wide enough for a loaded
 * 2-core machine; nothing asserts on the test's own wall time.
 * Run from the source tree's root (as `make test` does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the four it needs */

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/clock.h"
#include "engine/procstat.h"
#include "engine/threadsample.h"

#define FIXTURES "tests/fixtures/proc/"
#define MAX_THREADS 8
#define LINE_TIMEOUT_MS 30000 /* a child that says nothing for this long has failed */

/* The child: n threads print their native ids, wait for a line on stdin,
 * then each runs one item (cpu: a pure-Python loop for dur seconds; sleep:
 * time.sleep(dur); exit: the process ends dur seconds in) and prints it. */
static const char child_script[] =
    "import os, sys, threading, time\n"
    "mode, n, dur = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])\n"
    "out = threading.Lock()\n"
    "go = threading.Event()\n"
    "def say(s):\n"
    "    with out:\n"
    "        sys.stdout.write(s + '\\n')\n"
    "        sys.stdout.flush()\n"
    "def work():\n"
    "    say('tid %d' % threading.get_native_id())\n"
    "    go.wait()\n"
    "    t0 = time.monotonic_ns()\n"
    "    if mode == 'cpu':\n"
    "        end = time.monotonic() + dur\n"
    "        x = 0\n"
    "        while time.monotonic() < end:\n"
    "            x += 1\n"
    "    elif mode == 'sleep':\n"
    "        time.sleep(dur)\n"
    "    else:\n"
    "        time.sleep(dur)\n"
    "        os._exit(0)\n"
    "    say('item %d %d %d' % (threading.get_native_id(), t0, time.monotonic_ns()))\n"
    "ts = [threading.Thread(target=work) for _ in range(n)]\n"
    "for t in ts:\n"
    "    t.start()\n"
    "sys.stdin.readline()\n"
    "go.set()\n"
    "for t in ts:\n"
    "    t.join()\n"
    "say('done')\n";

/* The live child, so a failed assertion still kills and reaps it (teardown). */
static struct {
	pid_t pid;
	int in_fd, out_fd; /* its stdin (we write), its stdout (we read) */
	char buf[4096];
	size_t len;
	struct threadsample *ts;
} child = {.pid = -1, .in_fd = -1, .out_fd = -1};

/* Read a fixture into buf; returns its length. */
static size_t fixture(const char *name, char *buf, size_t len)
{
	char path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), FIXTURES "%s", name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open fixture %s", path);
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n;
}

/* Fork and exec python3 on the child script; -1 if it cannot start. */
static int child_start(const char *mode, int n, double dur)
{
	int in[2], out[2];
	char nbuf[16], dbuf[32];

	snprintf(nbuf, sizeof(nbuf), "%d", n);
	snprintf(dbuf, sizeof(dbuf), "%g", dur);
	if (pipe2(in, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	child.pid = fork();
	if (child.pid < 0)
		return -1;
	if (child.pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(in[0], 0);
		dup2(out[1], 1);
		execlp("python3", "python3", "-c", child_script, mode, nbuf, dbuf, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	child.in_fd = in[1];
	child.out_fd = out[0];
	child.len = 0;
	return 0;
}

/* Kill and reap the child, free the sampler: every path ends here. */
static int child_teardown(void **state)
{
	(void)state;
	threadsample_free(child.ts);
	child.ts = NULL;
	if (child.pid > 0) {
		kill(child.pid, SIGKILL);
		while (waitpid(child.pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	child.pid = -1;
	if (child.in_fd >= 0)
		close(child.in_fd);
	if (child.out_fd >= 0)
		close(child.out_fd);
	child.in_fd = child.out_fd = -1;
	return 0;
}

/* One line of the child's stdout into line (no newline); -1 at EOF or timeout. */
static int child_line(char *line, size_t len)
{
	for (;;) {
		char *nl = memchr(child.buf, '\n', child.len);
		struct pollfd p = {.fd = child.out_fd, .events = POLLIN};
		ssize_t n;

		if (nl) {
			size_t l = (size_t)(nl - child.buf);

			if (l >= len)
				l = len - 1;
			memcpy(line, child.buf, l);
			line[l] = '\0';
			child.len -= (size_t)(nl + 1 - child.buf);
			memmove(child.buf, nl + 1, child.len);
			return 0;
		}
		if (child.len == sizeof(child.buf))
			return -1;
		if (poll(&p, 1, LINE_TIMEOUT_MS) <= 0)
			return -1;
		n = read(child.out_fd, child.buf + child.len, sizeof(child.buf) - child.len);
		if (n <= 0)
			return -1;
		child.len += (size_t)n;
	}
}

/* What one live thread did. */
struct live_thread {
	pid_t tid;
	struct threadsample_interval item;
	struct threadsample_totals tot;
	double item_s;
};

/* Run the child with n threads in mode for dur s, sampled at the default
 * rate: each thread's item and totals in th[]. Returns the sampler info. */
static struct threadsample_info live_run(const char *mode, int n, double dur,
                                         struct live_thread *th)
{
	struct threadsample_info info;
	char line[256], err[256];
	int items = 0;

	if (child_start(mode, n, dur) < 0)
		fail_msg("cannot start python3: %s", strerror(errno));
	if (threadsample_start(child.pid, 0, THREADSAMPLE_GIL, &child.ts, err, sizeof(err)) < 0)
		fail_msg("threadsample_start: %s", err);
	for (int i = 0; i < n; i++) {
		int tid;

		if (child_line(line, sizeof(line)) < 0 || sscanf(line, "tid %d", &tid) != 1)
			fail_msg("python3 did not name its threads (is python3 on PATH?)");
		th[i].tid = tid;
		if (threadsample_add_tid(child.ts, tid, err, sizeof(err)) < 0)
			fail_msg("threadsample_add_tid: %s", err);
	}
	assert_int_equal(write(child.in_fd, "go\n", 3), 3);
	while (items < n) {
		long long t0, t1;
		int tid, i;

		if (child_line(line, sizeof(line)) < 0)
			fail_msg("python3 ended before its items did");
		if (sscanf(line, "item %d %lld %lld", &tid, &t0, &t1) != 3)
			continue;
		for (i = 0; i < n && th[i].tid != tid; i++)
			;
		assert_true(i < n);
		th[i].item.start_ns = t0;
		th[i].item.end_ns = t1;
		th[i].item_s = (double)(t1 - t0) / 1e9;
		items++;
	}
	threadsample_stop(child.ts);
	threadsample_info(child.ts, &info);
	for (int i = 0; i < n; i++) {
		struct threadsample_totals *t = &th[i].tot;

		assert_int_equal(
		    threadsample_totals(child.ts, th[i].tid, &th[i].item, 1, t, err, sizeof(err)),
		    0);
		print_message("    %s tid %d: item %.3f s  held %.3f  wait %.3f (woken %.3f)  io "
		              "%.3f  other %.3f  ±%.3f s  %zu readings, %s  (%.0f Hz achieved)\n",
		              mode, (int)th[i].tid, th[i].item_s, t->held_s, t->wait_s, t->woken_s,
		              t->io_s, t->other_s, t->err_s, t->samples,
		              t->source == THREADSAMPLE_SRC_SYSCALL ? "syscall" : "wchan",
		              info.achieved_hz);
	}
	return info;
}

/* Real syscall files: running, a GIL wait, a sleep, a join, outside a call. */
static void test_parse_syscall(void **state)
{
	struct threadsample_syscall sc;
	char buf[512];
	size_t n;

	(void)state;
	n = fixture("syscall_running.txt", buf, sizeof(buf));
	assert_int_equal(threadsample_parse_syscall(buf, n, &sc), 0);
	assert_true(sc.running);
	n = fixture("syscall_gil_wait_x86_64.txt", buf, sizeof(buf));
	assert_int_equal(threadsample_parse_syscall(buf, n, &sc), 0);
	assert_false(sc.running);
	assert_int_equal(sc.nr, 202);
	assert_int_equal(sc.args[1], 0x89);       /* FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG */
	assert_int_not_equal(sc.args[3], 0);      /* a timeout: the switch interval */
	assert_int_equal(sc.args[5], 0xffffffff); /* FUTEX_BITSET_MATCH_ANY */
	n = fixture("syscall_sleep_x86_64.txt", buf, sizeof(buf));
	assert_int_equal(threadsample_parse_syscall(buf, n, &sc), 0);
	assert_int_equal(sc.nr, 230);
	n = fixture("syscall_join_x86_64.txt", buf, sizeof(buf));
	assert_int_equal(threadsample_parse_syscall(buf, n, &sc), 0);
	assert_int_equal(sc.args[1], 0x189);
	assert_int_equal(sc.args[3], 0);
	n = fixture("syscall_outside.txt", buf, sizeof(buf));
	assert_int_equal(threadsample_parse_syscall(buf, n, &sc), 0);
	assert_int_equal(sc.nr, -1);
	assert_false(sc.running);
	/* malformed */
	assert_int_equal(threadsample_parse_syscall(NULL, 0, &sc), -1);
	assert_int_equal(threadsample_parse_syscall("", 0, &sc), -1);
	assert_int_equal(threadsample_parse_syscall("runningx", 8, &sc), -1);
	assert_int_equal(threadsample_parse_syscall("202", 3, &sc), -1);
	assert_int_equal(threadsample_parse_syscall("202 0x1 0x2", 11, &sc), -1);
	assert_int_equal(threadsample_parse_syscall("x 0x1", 5, &sc), -1);
	assert_int_equal(threadsample_parse_syscall("-7 0x1 0x2", 10, &sc), -1);
}

/* The stat lines of a GIL holder and a waiter, through procstat. */
static void test_task_stat(void **state)
{
	struct procstat ps;
	char buf[1024];
	size_t n;

	(void)state;
	n = fixture("gil_holder_task_stat.txt", buf, sizeof(buf));
	assert_int_equal(procstat_parse(buf, n, &ps), 0);
	assert_int_equal(ps.pid, 8514);
	assert_int_equal(ps.state, 'R');
	assert_int_equal(ps.utime, 28);
	assert_int_equal(ps.processor, 1);
	n = fixture("gil_wait_task_stat.txt", buf, sizeof(buf));
	assert_int_equal(procstat_parse(buf, n, &ps), 0);
	assert_int_equal(ps.state, 'S');
	assert_int_equal(ps.utime, 21);
}

/* Build "nr 0x0 ... " for this machine's number of a call. */
static void syscall_text(char *buf, size_t len, long nr)
{
	snprintf(buf, len, "%ld 0x3 0x89 0x0 0x7f00 0x0 0xffffffff 0x7ff0 0x7ff1\n", nr);
}

/* Every rule of the classifier, with this machine's system call numbers. */
static void test_classify(void **state)
{
	static const struct {
		long nr;
		int cls;
	} calls[] = {
	    {SYS_futex, THREADSAMPLE_FUTEX},
	    {SYS_nanosleep, THREADSAMPLE_IO},
	    {SYS_clock_nanosleep, THREADSAMPLE_IO},
	    {SYS_ppoll, THREADSAMPLE_IO},
	    {SYS_pselect6, THREADSAMPLE_IO},
	    {SYS_epoll_pwait, THREADSAMPLE_IO},
	    {SYS_read, THREADSAMPLE_IO},
	    {SYS_write, THREADSAMPLE_IO},
	    {SYS_wait4, THREADSAMPLE_IO},
#ifdef SYS_poll
	    {SYS_poll, THREADSAMPLE_IO},
#endif
#ifdef SYS_select
	    {SYS_select, THREADSAMPLE_IO},
#endif
#ifdef SYS_epoll_wait
	    {SYS_epoll_wait, THREADSAMPLE_IO},
#endif
	    {SYS_getpid, THREADSAMPLE_OTHER},
	    {SYS_mmap, THREADSAMPLE_OTHER},
	};
	struct threadsample_syscall sc;
	char buf[512];
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		syscall_text(buf, sizeof(buf), calls[i].nr);
		assert_int_equal(threadsample_parse_syscall(buf, strlen(buf), &sc), 0);
		assert_int_equal(threadsample_classify('S', &sc, NULL), calls[i].cls);
	}
#if defined(__x86_64__)
	/* the saved files carry x86_64 numbers */
	n = fixture("syscall_gil_wait_x86_64.txt", buf, sizeof(buf));
	assert_int_equal(threadsample_parse_syscall(buf, n, &sc), 0);
	assert_int_equal(threadsample_classify('S', &sc, NULL), THREADSAMPLE_FUTEX);
	n = fixture("syscall_sleep_x86_64.txt", buf, sizeof(buf));
	assert_int_equal(threadsample_parse_syscall(buf, n, &sc), 0);
	assert_int_equal(threadsample_classify('S', &sc, NULL), THREADSAMPLE_IO);
#endif
	/* running is on a CPU whatever stat said a moment before */
	n = fixture("syscall_running.txt", buf, sizeof(buf));
	assert_int_equal(threadsample_parse_syscall(buf, n, &sc), 0);
	assert_int_equal(threadsample_classify('R', &sc, NULL), THREADSAMPLE_ON_CPU);
	assert_int_equal(threadsample_classify('S', &sc, NULL), THREADSAMPLE_ON_CPU);
	/* ...and a number wins over an R read just before it went to sleep */
	syscall_text(buf, sizeof(buf), SYS_futex);
	assert_int_equal(threadsample_parse_syscall(buf, strlen(buf), &sc), 0);
	assert_int_equal(threadsample_classify('R', &sc, NULL), THREADSAMPLE_FUTEX);
	/* dead and stopped threads are other */
	assert_int_equal(threadsample_classify('Z', &sc, NULL), THREADSAMPLE_OTHER);
	assert_int_equal(threadsample_classify('T', &sc, NULL), THREADSAMPLE_OTHER);
	assert_int_equal(threadsample_classify('t', &sc, NULL), THREADSAMPLE_OTHER);
	/* asleep outside a system call */
	assert_int_equal(threadsample_parse_syscall("-1 0x1 0x2\n", 11, &sc), 0);
	assert_int_equal(threadsample_classify('D', &sc, NULL), THREADSAMPLE_OTHER);
	/* the wchan fallback */
	n = fixture("wchan_futex.txt", buf, sizeof(buf));
	assert_int_equal(threadsample_classify('S', NULL, buf), THREADSAMPLE_FUTEX);
	assert_int_equal(threadsample_classify('R', NULL, buf), THREADSAMPLE_ON_CPU);
	n = fixture("wchan_sleep.txt", buf, sizeof(buf));
	assert_int_equal(threadsample_classify('S', NULL, buf), THREADSAMPLE_IO);
	assert_int_equal(threadsample_classify('S', NULL, "do_select"), THREADSAMPLE_IO);
	assert_int_equal(threadsample_classify('S', NULL, "pipe_read"), THREADSAMPLE_IO);
	assert_int_equal(threadsample_classify('S', NULL, "do_epoll_wait"), THREADSAMPLE_IO);
	assert_int_equal(threadsample_classify('D', NULL, "folio_wait_bit"), THREADSAMPLE_OTHER);
	assert_int_equal(threadsample_classify('S', NULL, "0"), THREADSAMPLE_OTHER);
	assert_int_equal(threadsample_classify('S', NULL, NULL), THREADSAMPLE_OTHER);
	assert_string_equal(threadsample_class_name(THREADSAMPLE_FUTEX), "futex");
	assert_string_equal(threadsample_class_name(99), "?");
}

/* A reading of class cls at t ms, tick tick. */
static struct threadsample_sample rd(int64_t t_ms, uint32_t tick, int cls, uint32_t streak)
{
	struct threadsample_sample s = {
	    .t_ns = t_ms * 1000000,
	    .tick = tick,
	    .streak = streak,
	    .cls = (uint8_t)cls,
	};

	return s;
}

#define MS(x) ((int64_t)(x)*1000000)

/* Readings every 1 ms: each stands for the gap since the one before, cut at
 * the item's start; outside items nothing counts. */
static void test_attribute(void **state)
{
	struct threadsample_sample s[20];
	struct threadsample_interval iv[2] = {
	    {MS(12), THREADSAMPLE_OPEN}, /* given out of order, the second still open */
	    {MS(2) + 500000, MS(8)},
	};
	struct threadsample_totals t;

	(void)state;
	/* 0..19 ms: 0-4 on-cpu, 5-9 futex, 10-14 io, 15-19 other */
	for (int i = 0; i < 20; i++)
		s[i] = rd(i, (uint32_t)i, i / 5, i < 5 ? (uint32_t)i + 1 : 0);
	threadsample_attribute(s, 20, NULL, NULL, 0, 0, MS(1), iv, 2, &t);
	/* item 1 [2.5, 8): readings 3,4 (0.5 + 1 ms on-cpu), 5,6,7 (3 ms futex) */
	/* item 2 [12, open): readings 12 (0: cut at start), 13,14 io, 15..19 other */
	assert_true(fabs(t.held_s - 0.0015) < 1e-9);
	assert_true(fabs(t.wait_s - 0.003) < 1e-9);
	assert_true(fabs(t.io_s - 0.002) < 1e-9);
	assert_true(fabs(t.other_s - 0.005) < 1e-9);
	assert_true(t.woken_s == 0);
	assert_int_equal(t.samples, 13);
	assert_int_equal(t.items, 2);
	assert_true(fabs(t.err_s - 0.001 * (4 + sqrt(13.0))) < 1e-9);
	/* no items, no time */
	threadsample_attribute(s, 20, NULL, NULL, 0, 0, MS(1), NULL, 0, &t);
	assert_int_equal(t.samples, 0);
	assert_true(t.held_s == 0 && t.wait_s == 0 && t.err_s == 0);
	/* a late gap stands for all of it; a first reading for one period */
	s[0] = rd(10, 0, THREADSAMPLE_ON_CPU, 1);
	s[1] = rd(30, 1, THREADSAMPLE_FUTEX, 0);
	iv[0] = (struct threadsample_interval){0, MS(100)};
	threadsample_attribute(s, 2, NULL, NULL, 0, 0, MS(1), iv, 1, &t);
	assert_true(fabs(t.held_s - 0.001) < 1e-9);
	assert_true(fabs(t.wait_s - 0.020) < 1e-9);
}

/* Two threads under one GIL, 6 readings each: a holds throughout; b waits,
 * wakes at tick 2 (beside a), waits, takes the GIL at tick 4 while a is in
 * futex (the hand-off), holds at 5. */
static void one_holder(struct threadsample_sample a[6], struct threadsample_sample b[6])
{
	for (uint32_t i = 0; i < 6; i++)
		a[i] = rd(i + 1, i, THREADSAMPLE_ON_CPU, i + 1);
	a[4] = rd(5, 4, THREADSAMPLE_FUTEX, 0);
	a[5] = rd(6, 5, THREADSAMPLE_FUTEX, 0);
	b[0] = rd(1, 0, THREADSAMPLE_FUTEX, 0);
	b[1] = rd(2, 1, THREADSAMPLE_FUTEX, 0);
	b[2] = rd(3, 2, THREADSAMPLE_ON_CPU, 1);
	b[3] = rd(4, 3, THREADSAMPLE_FUTEX, 0);
	b[4] = rd(5, 4, THREADSAMPLE_ON_CPU, 1);
	b[5] = rd(6, 5, THREADSAMPLE_ON_CPU, 2);
}

/* Under a GIL two threads reading on-cpu in one tick: the longer run holds. */
static void test_attribute_one_holder(void **state)
{
	struct threadsample_sample a[6], b[6];
	const struct threadsample_sample *oa[1] = {b}, *ob[1] = {a};
	size_t n = 6;
	struct threadsample_interval iv = {0, MS(100)};
	struct threadsample_totals ta, tb;

	(void)state;
	/* a holds throughout; b waits, wakes at tick 2 (beside a), waits, takes
	 * the GIL at tick 4 while a is in futex (the hand-off), holds at 5 */
	one_holder(a, b);
	threadsample_attribute(a, 6, oa, &n, 1, THREADSAMPLE_GIL, MS(1), &iv, 1, &ta);
	threadsample_attribute(b, 6, ob, &n, 1, THREADSAMPLE_GIL, MS(1), &iv, 1, &tb);
	assert_true(fabs(ta.held_s - 0.004) < 1e-9);
	assert_true(fabs(ta.wait_s - 0.002) < 1e-9);
	assert_true(fabs(tb.held_s - 0.002) < 1e-9);
	assert_true(fabs(tb.wait_s - 0.004) < 1e-9);
	assert_true(fabs(tb.woken_s - 0.001) < 1e-9);
	/* without the GIL flag both are as read */
	threadsample_attribute(b, 6, ob, &n, 1, 0, MS(1), &iv, 1, &tb);
	assert_true(fabs(tb.held_s - 0.003) < 1e-9);
	assert_true(tb.woken_s == 0);
}

/* The changes of a thread's readings: what the tutor and the trace draw as
 * its GIL timeline, attributed as the totals are (a reading's window, item
 * ends, the one-holder rule). */
static void test_changes(void **state)
{
	struct threadsample_sample s[20], a[6], b[6];
	struct threadsample_interval iv[2] = {{MS(12), THREADSAMPLE_OPEN}, {MS(2) + 500000, MS(8)}};
	struct threadsample_change c[16];

	(void)state;
	for (int i = 0; i < 20; i++)
		s[i] = rd(i, (uint32_t)i, i / 5, i < 5 ? (uint32_t)i + 1 : 0);
	/* item [2.5, 8): on-cpu from its start, futex from reading 5's window;
	 * then the item's end; item [12, open): io, then other from 14 ms */
	assert_int_equal(threadsample_changes_of(s, 20, NULL, NULL, 0, 0, MS(1), iv, 2, c, 16), 5);
	assert_true(c[0].t_ns == MS(2) + 500000 && c[0].cls == THREADSAMPLE_ON_CPU);
	assert_true(c[1].t_ns == MS(4) && c[1].cls == THREADSAMPLE_FUTEX);
	assert_true(c[2].t_ns == MS(8) && c[2].cls == -1);
	assert_true(c[3].t_ns == MS(12) && c[3].cls == THREADSAMPLE_IO);
	assert_true(c[4].t_ns == MS(14) && c[4].cls == THREADSAMPLE_OTHER);
	/* room for two: the first two, in order */
	assert_int_equal(threadsample_changes_of(s, 20, NULL, NULL, 0, 0, MS(1), iv, 2, c, 2), 2);
	assert_true(c[1].cls == THREADSAMPLE_FUTEX);

	/* under a GIL, b read on-cpu beside the holder a at tick 2 is waiting */
	const struct threadsample_sample *ob[1] = {a};
	size_t n = 6;
	struct threadsample_interval one = {0, MS(100)};
	one_holder(a, b);
	assert_int_equal(
	    threadsample_changes_of(b, 6, ob, &n, 1, THREADSAMPLE_GIL, MS(1), &one, 1, c, 16), 3);
	assert_true(c[0].t_ns == 0 && c[0].cls == THREADSAMPLE_FUTEX);
	assert_true(c[1].t_ns == MS(4) && c[1].cls == THREADSAMPLE_ON_CPU);
	assert_true(c[2].t_ns == MS(100) && c[2].cls == -1);
}

/* Bad arguments are refused with a message. */
static void test_refusals(void **state)
{
	struct threadsample_totals t;
	struct threadsample *ts;
	char err[256];

	(void)state;
	assert_int_equal(threadsample_start(getpid(), 1e9, 0, &ts, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "out of range"));
	assert_int_equal(threadsample_start(-5, 0, 0, &ts, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot be sampled"));
	assert_int_equal(threadsample_start(getpid(), 100, 0, &ts, err, sizeof(err)), 0);
	assert_int_equal(threadsample_add_tid(ts, 999999999, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "999999999"));
	assert_int_equal(threadsample_totals(ts, 12345678, NULL, 0, &t, err, sizeof(err)), -1);
	assert_int_equal(threadsample_samples(ts, 12345678, NULL, 0), -1);
	/* our own thread: readable, then stop twice */
	assert_int_equal(threadsample_add_tid(ts, getpid(), err, sizeof(err)), 0);
	assert_int_equal(threadsample_add_tid(ts, getpid(), err, sizeof(err)), 0);
	threadsample_stop(ts);
	threadsample_stop(ts);
	threadsample_free(ts);
	threadsample_free(NULL);
}

/* Two CPU-bound threads under the real GIL: each holds about half. */
static void test_live_two_cpu(void **state)
{
	struct live_thread th[2];
	struct threadsample_info info = live_run("cpu", 2, 1.5, th);
	double held = 0;

	(void)state;
	assert_true(info.ticks > 100);
	for (int i = 0; i < 2; i++) {
		struct threadsample_totals *t = &th[i].tot;
		double share = t->held_s / th[i].item_s;

		assert_int_equal(t->source, THREADSAMPLE_SRC_SYSCALL);
		assert_true(t->samples > 100);
		if (share < 0.3 || share > 0.7)
			fail_msg("thread %d held %.2f of its item (0.3..0.7 expected)", i, share);
		if ((t->held_s + t->wait_s) / th[i].item_s < 0.8)
			fail_msg("thread %d held+waited %.2f of its item (>= 0.8 expected)", i,
			         (t->held_s + t->wait_s) / th[i].item_s);
		held += share;
	}
	/* one GIL: the shares cannot add up to much more than one */
	assert_true(held < 1.15);
}

/* Two threads sleeping: no GIL wait, I/O all along. */
static void test_live_two_sleep(void **state)
{
	struct live_thread th[2];

	(void)state;
	live_run("sleep", 2, 1.0, th);
	for (int i = 0; i < 2; i++) {
		struct threadsample_totals *t = &th[i].tot;

		if (t->wait_s / th[i].item_s >= 0.1)
			fail_msg("sleeping thread %d waited %.2f of its item (< 0.1 expected)", i,
			         t->wait_s / th[i].item_s);
		if (t->io_s / th[i].item_s <= 0.8)
			fail_msg("sleeping thread %d was in I/O %.2f of its item (> 0.8 expected)",
			         i, t->io_s / th[i].item_s);
	}
}

/* One CPU-bound thread alone holds the GIL all along. */
static void test_live_one_cpu(void **state)
{
	struct live_thread th[1];

	(void)state;
	live_run("cpu", 1, 1.5, th);
	if (th[0].tot.held_s / th[0].item_s <= 0.85)
		fail_msg("a lone CPU-bound thread held %.2f of its item (> 0.85 expected)",
		         th[0].tot.held_s / th[0].item_s);
}

/* The process exits while sampled: its threads are no longer read, stop returns. */
static void test_live_exit(void **state)
{
	struct threadsample_totals t;
	struct threadsample_info info;
	char line[256], err[256];
	pid_t tids[2], pid;
	int status;
	long before, after;

	(void)state;
	if (child_start("exit", 2, 0.3) < 0)
		fail_msg("cannot start python3: %s", strerror(errno));
	assert_int_equal(
	    threadsample_start(child.pid, 0, THREADSAMPLE_GIL, &child.ts, err, sizeof(err)), 0);
	for (int i = 0; i < 2; i++) {
		int tid;

		if (child_line(line, sizeof(line)) < 0 || sscanf(line, "tid %d", &tid) != 1)
			fail_msg("python3 did not name its threads");
		tids[i] = tid;
		assert_int_equal(threadsample_add_tid(child.ts, tid, err, sizeof(err)), 0);
	}
	pid = child.pid;
	assert_int_equal(threadsample_add_tid(child.ts, pid, err, sizeof(err)), 0);
	assert_int_equal(write(child.in_fd, "go\n", 3), 3);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	child.pid = -1;
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* the files vanish: within a few periods every thread is seen gone */
	for (int tries = 0; tries < 500; tries++) {
		bool all = true;

		for (int i = 0; i < 2; i++) {
			assert_int_equal(
			    threadsample_totals(child.ts, tids[i], NULL, 0, &t, err, sizeof(err)),
			    0);
			all = all && t.gone;
		}
		assert_int_equal(threadsample_totals(child.ts, pid, NULL, 0, &t, err, sizeof(err)),
		                 0);
		if (all && t.gone)
			break;
		usleep(10000);
	}
	assert_true(t.gone);
	before = threadsample_samples(child.ts, tids[0], NULL, 0);
	assert_true(before > 0);
	usleep(50000);
	after = threadsample_samples(child.ts, tids[0], NULL, 0);
	assert_int_equal(before, after);
	/* a thread of a process that is gone cannot be added */
	assert_int_equal(threadsample_add_tid(child.ts, tids[0] + 100000, err, sizeof(err)), -1);
	threadsample_stop(child.ts);
	threadsample_info(child.ts, &info);
	assert_true(info.ticks > 0);
	assert_int_equal(info.tids, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_syscall),
	    cmocka_unit_test(test_task_stat),
	    cmocka_unit_test(test_classify),
	    cmocka_unit_test(test_attribute),
	    cmocka_unit_test(test_attribute_one_holder),
	    cmocka_unit_test(test_changes),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test_teardown(test_live_two_cpu, child_teardown),
	    cmocka_unit_test_teardown(test_live_two_sleep, child_teardown),
	    cmocka_unit_test_teardown(test_live_one_cpu, child_teardown),
	    cmocka_unit_test_teardown(test_live_exit, child_teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
