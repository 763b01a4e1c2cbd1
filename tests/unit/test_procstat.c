/*
 * test_procstat.c — the /proc parsers on saved fixtures: real stat lines of a
 * running, a busy and a sleeping task, /proc/stat cpu lines, and hostile ones
 * (a comm holding ") (", a truncated line, an empty file, no closing paren),
 * and the readers on live tasks (a file kept open and read again).
 * Run from the source tree's root (as `make test` does).
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
#include <unistd.h>

#include "engine/procstat.h"

#define FIXTURES "tests/fixtures/proc/"

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

/* A running task: state R, its comm, the CPU it ran on. */
static void test_running(void **state)
{
	char buf[1024];
	size_t n = fixture("self_stat.txt", buf, sizeof(buf));
	struct procstat ps;

	(void)state;
	assert_int_equal(procstat_parse(buf, n, &ps), 0);
	assert_int_equal(ps.pid, 10160);
	assert_string_equal(ps.comm, "cat");
	assert_int_equal(ps.state, 'R');
	assert_int_equal(ps.processor, 1);
}

/* A busy task has user time; a sleeping one is S. */
static void test_busy_and_sleeping(void **state)
{
	char buf[1024];
	size_t n = fixture("busy_task_stat.txt", buf, sizeof(buf));
	struct procstat ps;

	(void)state;
	assert_int_equal(procstat_parse(buf, n, &ps), 0);
	assert_string_equal(ps.comm, "python3");
	assert_int_equal(ps.state, 'R');
	assert_int_equal(ps.utime, 38);
	assert_int_equal(ps.stime, 0);
	assert_int_equal(ps.processor, 0);
	n = fixture("sleeping_stat.txt", buf, sizeof(buf));
	assert_int_equal(procstat_parse(buf, n, &ps), 0);
	assert_string_equal(ps.comm, "sleep");
	assert_int_equal(ps.state, 'S');
}

/* A comm with ") (" and spaces: the fields are found from the last ')'. */
static void test_hostile_comm(void **state)
{
	char buf[1024];
	size_t n = fixture("comm_parens_stat.txt", buf, sizeof(buf));
	struct procstat ps;

	(void)state;
	assert_int_equal(procstat_parse(buf, n, &ps), 0);
	assert_string_equal(ps.comm, "evil) (x y) ");
	assert_int_equal(ps.state, 'R');
	assert_int_equal(ps.processor, 1);
}

/* Truncated, empty and unclosed lines are refused, not misread. */
static void test_malformed(void **state)
{
	static const char *const bad[] = {"truncated_stat.txt", "empty_stat.txt",
	                                  "no_paren_stat.txt"};
	char buf[1024];
	struct procstat ps;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		size_t n = fixture(bad[i], buf, sizeof(buf));

		assert_int_equal(procstat_parse(buf, n, &ps), -1);
	}
	assert_int_equal(procstat_parse(NULL, 0, &ps), -1);
	assert_int_equal(procstat_parse("1 (x) R", 7, &ps), -1);
}

/* /proc/stat cpu lines: the total and per CPU. */
static void test_cpu_lines(void **state)
{
	char buf[1024];
	struct procstat_cpu c;
	char *line, *save = NULL;
	int seen = 0;

	(void)state;
	fixture("proc_stat_cpu.txt", buf, sizeof(buf));
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		assert_int_equal(procstat_parse_cpu(line, &c), 0);
		if (seen == 0) {
			assert_int_equal(c.cpu, -1);
			assert_int_equal(c.user, 39335);
			assert_int_equal(c.idle, 311795);
			assert_int_equal(c.steal, 18);
		} else {
			assert_int_equal(c.cpu, seen - 1);
		}
		seen++;
	}
	assert_int_equal(seen, 3);
	assert_int_equal(procstat_parse_cpu("intr 1 2 3", &c), -1);
	assert_int_equal(procstat_parse_cpu("cpuX 1 2 3 4", &c), -1);
	assert_int_equal(procstat_parse_cpu("cpu0 1 2", &c), -1);
}

/* The live reader on this very thread. */
static void test_read_self(void **state)
{
	struct procstat ps;

	(void)state;
	assert_int_equal(procstat_read(getpid(), getpid(), &ps), 0);
	assert_int_equal(ps.pid, getpid());
	assert_int_equal(ps.state, 'R');
	assert_true(ps.processor >= 0);
	assert_int_equal(procstat_read(getpid(), 999999999, &ps), -1);
}

/* A stat file kept open reads anew at each pread, and fails once its task is gone. */
static void test_kept_open(void **state)
{
	struct procstat ps;
	int fd;
	pid_t child;

	(void)state;
	fd = procstat_open(getpid(), getpid());
	assert_true(fd >= 0);
	assert_int_equal(procstat_pread(fd, &ps), 0);
	assert_int_equal(ps.pid, getpid());
	assert_int_equal(procstat_pread(fd, &ps), 0); /* again, from the start */
	assert_int_equal(ps.state, 'R');
	close(fd);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	fd = procstat_open(child, child);
	assert_true(fd >= 0);
	assert_int_equal(procstat_pread(fd, &ps), 0);
	assert_int_equal(ps.pid, child);
	kill(child, SIGKILL);
	assert_int_equal(waitpid(child, NULL, 0), child);
	assert_int_equal(procstat_pread(fd, &ps), -1); /* reaped: its file says so */
	close(fd);
	assert_int_equal(procstat_open(getpid(), 999999999), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_running),      cmocka_unit_test(test_busy_and_sleeping),
	    cmocka_unit_test(test_hostile_comm), cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_cpu_lines),    cmocka_unit_test(test_read_self),
	    cmocka_unit_test(test_kept_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
