/*
 * test_demo.c — Processes started in a loop, as the seed's last cell does:
 * one child per item, all printing to one shared stdout, never joined (each
 * a zombie until the demo reaps them all at the end); a single Process's
 * timeline (started < exited <= joined, the exit stamped by the child, not
 * when the parent noticed); an interrupt kills and reaps every child; bad
 * arguments are refused with nothing left behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/task.h"

/* Seconds of CLOCK_MONOTONIC. */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* No child of this process is left (every one was reaped). */
static void assert_no_children(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* The seed's loop: four children print 0..3 to one stdout; none is joined. */
static void test_four_printers(void **state)
{
	static const int64_t items[] = {0, 1, 2, 3};
	struct proc_demo *d = NULL;
	struct proc_demo_snap s;
	char err[ENGINE_ERRLEN];
	int seen[4] = {0};
	double last_exit = 0;

	(void)state;
	assert_int_equal(proc_demo_start_items(task_find("print"), items, 4, PROC_DEMO_NO_JOIN, &d,
	                                       err, sizeof(err)),
	                 0);
	assert_int_equal(proc_demo_wait(d, -1, &s), 0);
	assert_false(s.interrupted);
	assert_false(s.joins);
	assert_int_equal(s.n_procs, 4);
	for (size_t k = 0; k < 4; k++) {
		const struct proc_demo_child *p = &s.procs[k];

		assert_true(p->item == (int64_t)k);
		assert_true(p->pid > 0 && p->pid != getpid());
		for (size_t j = 0; j < k; j++)
			assert_int_not_equal(p->pid, s.procs[j].pid);
		assert_int_equal(p->state, PROC_REAPED);
		assert_int_equal(p->exit_code, 0);
		assert_true(p->joined_s < 0); /* the program never joined it */
		assert_true(p->started_s >= 0 && p->ran_s > p->started_s);
		assert_true(p->exited_s >= p->ran_s);
		if (k > 0) /* started one after another, in the loop's order */
			assert_true(p->started_s > s.procs[k - 1].started_s);
		if (p->exited_s > last_exit)
			last_exit = p->exited_s;
	}
	/* reaped only at the end: after the last one exited */
	for (size_t k = 0; k < 4; k++)
		assert_true(s.procs[k].reaped_s >= last_exit);
	assert_true(s.ended_s >= last_exit);
	/* one line per child, each whole, in one shared stream */
	assert_int_equal(s.n_output, 4);
	for (size_t i = 0; i < 4; i++) {
		char *end;
		long v = strtol(s.output[i].text, &end, 10);

		assert_true(*end == '\0' && v >= 0 && v < 4);
		seen[v]++;
	}
	assert_true(seen[0] == 1 && seen[1] == 1 && seen[2] == 1 && seen[3] == 1);
	proc_demo_free(d);
	assert_no_children();
}

/* Never joined: a child that exited early stays a zombie while another runs. */
static void test_zombie_until_end(void **state)
{
	static const int64_t items[] = {1, 150};
	struct proc_demo *d = NULL;
	struct proc_demo_snap s;
	char err[ENGINE_ERRLEN];
	bool zombie = false;
	double t0 = now_s();

	(void)state;
	assert_int_equal(proc_demo_start_items(task_find("spin"), items, 2, PROC_DEMO_NO_JOIN, &d,
	                                       err, sizeof(err)),
	                 0);
	while (!proc_demo_poll(d, &s)) {
		if (s.procs[0].state == PROC_EXITED && s.procs[0].proc_state == 'Z')
			zombie = true;
		assert_true(now_s() - t0 < 10);
		usleep(5000);
	}
	assert_true(zombie);
	assert_int_equal(s.procs[0].state, PROC_REAPED);
	assert_true(s.procs[0].reaped_s >= s.procs[1].exited_s);
	assert_true(s.procs[0].has_result && s.procs[0].result == 1);
	assert_true(s.procs[1].has_result && s.procs[1].result == 150);
	proc_demo_free(d);
	assert_no_children();
}

/* One Process spinning 50 ms: started < exited <= joined, the exit ~50 ms on. */
static void test_timeline(void **state)
{
	struct proc_demo *d = NULL;
	struct proc_demo_snap s;
	char err[ENGINE_ERRLEN];

	(void)state;
	assert_int_equal(proc_demo_start(task_find("spin"), 50, 0, &d, err, sizeof(err)), 0);
	assert_int_equal(proc_demo_wait(d, -1, &s), 0);
	assert_int_equal(s.state, PROC_JOINED);
	assert_true(s.joins);
	assert_true(s.started_s >= 0);
	assert_true(s.ran_s > s.started_s);
	assert_true(s.exited_s > s.started_s);
	assert_true(s.exited_s - s.ran_s >= 0.045); /* it spun 50 ms of CPU */
	assert_true(s.joined_s >= s.exited_s);
	assert_true(s.reaped_s == s.joined_s);
	proc_demo_free(d);

	/* print: its line arrives no sooner than it started, and it exited after it ran */
	assert_int_equal(proc_demo_start(task_find("print"), 3, 0, &d, err, sizeof(err)), 0);
	assert_int_equal(proc_demo_wait(d, -1, &s), 0);
	assert_int_equal(s.n_output, 1);
	assert_string_equal(s.output[0].text, "3");
	assert_true(s.output[0].t_s > s.started_s);
	assert_true(s.exited_s > s.started_s && s.exited_s >= s.ran_s);
	assert_true(s.joined_s >= s.exited_s);
	proc_demo_free(d);
	assert_no_children();
}

/* Several joined: each join no sooner than join_after after its own start. */
static void test_join_after_many(void **state)
{
	static const int64_t items[] = {5, 6};
	struct proc_demo *d = NULL;
	struct proc_demo_snap s;
	char err[ENGINE_ERRLEN];

	(void)state;
	assert_int_equal(
	    proc_demo_start_items(task_find("square"), items, 2, 100, &d, err, sizeof(err)), 0);
	assert_int_equal(proc_demo_wait(d, -1, &s), 0);
	for (size_t k = 0; k < 2; k++) {
		assert_int_equal(s.procs[k].state, PROC_JOINED);
		assert_true(s.procs[k].joined_s - s.procs[k].started_s >= 0.1);
		assert_true(s.procs[k].result == items[k] * items[k]);
	}
	proc_demo_free(d);
	assert_no_children();
}

/* An interrupt kills every child still running; all are reaped. */
static void test_interrupt(void **state)
{
	static const int64_t items[] = {60000, 60000, 60000};
	struct proc_demo *d = NULL;
	struct proc_demo_snap s;
	char err[ENGINE_ERRLEN];
	int p[2];
	double t0 = now_s();

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(proc_demo_start_items(task_find("sleep"), items, 3, PROC_DEMO_NO_JOIN, &d,
	                                       err, sizeof(err)),
	                 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(proc_demo_wait(d, p[0], &s), 0);
	assert_true(s.interrupted);
	assert_true(now_s() - t0 < 5);
	for (size_t k = 0; k < 3; k++)
		assert_int_equal(s.procs[k].exit_code, -SIGKILL);
	proc_demo_free(d);
	close(p[0]);
	close(p[1]);
	assert_no_children();
	/* freed while running: killed and reaped too */
	assert_int_equal(proc_demo_start_items(task_find("sleep"), items, 3, PROC_DEMO_NO_JOIN, &d,
	                                       err, sizeof(err)),
	                 0);
	proc_demo_free(d);
	assert_no_children();
}

/* Bad arguments: a message naming what is allowed, nothing started. */
static void test_refused(void **state)
{
	int64_t many[PROC_DEMO_MAX_PROCS + 1] = {0};
	static const int64_t bad[] = {1, 60001};
	struct proc_demo *d = (struct proc_demo *)&d;
	char err[ENGINE_ERRLEN];

	(void)state;
	assert_int_equal(proc_demo_start_items(task_find("print"), many, PROC_DEMO_MAX_PROCS + 1,
	                                       PROC_DEMO_NO_JOIN, &d, err, sizeof(err)),
	                 -1);
	assert_null(d);
	assert_non_null(strstr(err, "1..64"));
	assert_int_equal(proc_demo_start_items(task_find("spin"), bad, 2, 0, &d, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "60001"));
	assert_int_equal(
	    proc_demo_start_items(task_find("print"), many, 0, 0, &d, err, sizeof(err)), -1);
	assert_int_equal(proc_demo_start(task_find("hello"), 1, -5, &d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "0..600000"));
	assert_no_children();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_four_printers), cmocka_unit_test(test_zombie_until_end),
	    cmocka_unit_test(test_timeline),      cmocka_unit_test(test_join_after_many),
	    cmocka_unit_test(test_interrupt),     cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
