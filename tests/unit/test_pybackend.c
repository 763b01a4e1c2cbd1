/*
 * test_pybackend.c — the py-serial, py-process and py-thread backends on the
 * installed python3 (run from the repository root, so src/python is found):
 * results and real pids/tids, the same results as the C model, the
 * counter's memory semantics, captured output, every start method, a
 * crashed worker ending the run with nothing left behind, cancel, missing,
 * broken, too old and babbling interpreters, the real GIL measured, every
 * item's event at chunksize 1, and the probe of `mptutor pythons`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/pythons.h"
#include "engine/task.h"

static char tmpdir[64]; /* fake interpreters live here */

/* Seconds of CLOCK_MONOTONIC. */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A spec for task over items on a py-* backend. */
static struct run_spec spec_of(const char *task, enum backend_kind b, int workers, long chunk,
                               const int64_t *items, size_t n)
{
	struct run_spec s = {
	    .task = task_find(task),
	    .backend = b,
	    .workers = workers,
	    .chunksize = chunk,
	    .switch_interval_s = 0.005,
	    .items = items,
	    .n_items = n,
	};
	return s;
}

/* 1..n into items. */
static void range(int64_t *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		items[i] = (int64_t)i + 1;
}

/* Start a run and wait for it. */
static struct run *run_to_end(const struct run_spec *spec, struct run_snapshot *snap)
{
	char err[ENGINE_ERRLEN] = "";
	struct run *run = NULL;

	if (run_start(spec, &run, err, sizeof err) != 0)
		fail_msg("run_start: %s", err);
	assert_int_equal(run_wait(run, -1, snap), 0);
	return run;
}

/* Processes of process group pgid that are not zombies. */
static int group_members(pid_t pgid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[300], b[512], state;
		int ppid, pgrp, fd;
		ssize_t r;
		const char *rp;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		r = read(fd, b, sizeof b - 1);
		close(fd);
		if (r <= 0)
			continue;
		b[r] = '\0';
		rp = strrchr(b, ')');
		if (rp && sscanf(rp + 1, " %c %d %d", &state, &ppid, &pgrp) == 3 && pgrp == pgid &&
		    state != 'Z' && state != 'X')
			n++;
	}
	closedir(d);
	return n;
}

/* Nothing of the interpreter's group is left within limit_s. */
static void assert_group_gone(pid_t pgid, double limit_s)
{
	double until = now_s() + limit_s;

	while (group_members(pgid) > 0 && now_s() < until)
		usleep(10000);
	assert_int_equal(group_members(pgid), 0);
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1); /* the interpreter was reaped */
	assert_int_equal(errno, ECHILD);
}

/* square 1..5 on all three: [1,4,9,16,25], with real pids and tids. */
static void test_square_everywhere(void **state)
{
	static const enum backend_kind kinds[] = {BACKEND_PY_SERIAL, BACKEND_PY_PROCESS,
	                                          BACKEND_PY_THREAD};
	int64_t items[5];

	(void)state;
	range(items, 5);
	for (size_t k = 0; k < 3; k++) {
		struct run_spec spec = spec_of("square", kinds[k], 2, 1, items, 5);
		struct run_snapshot s;
		struct run *run = run_to_end(&spec, &s);

		assert_int_equal(s.state, RUN_DONE);
		assert_int_equal(s.n_done, 5);
		assert_int_equal(s.n_failed, 0);
		assert_null(s.fault);
		for (size_t i = 0; i < 5; i++) {
			assert_int_equal(run_item_status(&s, i), ITEM_DONE);
			assert_int_equal(s.results[i], (int64_t)((i + 1) * (i + 1)));
			assert_true(run_item_event(&s, i).worker >= 0 &&
			            run_item_event(&s, i).worker < s.workers);
			assert_true(run_item_event(&s, i).end_s >= run_item_event(&s, i).start_s);
		}
		assert_non_null(s.python);
		assert_string_equal(s.python->implementation, "cpython");
		assert_true(s.python->pid > 0 && s.python->pid != getpid());
		assert_true(s.python->interp_startup_s > 0);
		for (int w = 0; w < s.workers; w++) {
			const struct worker_snap *ws = &s.per_worker[w];

			assert_true(ws->pid > 0 && ws->tid > 0);
			assert_int_not_equal(ws->pid, getpid());
			if (kinds[k] == BACKEND_PY_PROCESS) {
				assert_int_not_equal(ws->pid, s.python->pid);
				assert_int_equal(ws->tid, ws->pid);
			} else {
				assert_int_equal(ws->pid, s.python->pid);
			}
			if (kinds[k] == BACKEND_PY_THREAD)
				assert_int_not_equal(ws->tid, ws->pid);
		}
		if (kinds[k] == BACKEND_PY_PROCESS)
			assert_int_not_equal(s.per_worker[0].pid, s.per_worker[1].pid);
		if (kinds[k] == BACKEND_PY_THREAD)
			assert_int_not_equal(s.per_worker[0].tid, s.per_worker[1].tid);
		assert_int_equal(s.workers, kinds[k] == BACKEND_PY_SERIAL ? 1 : 2);
		run_free(run);
	}
}

/* primes 4x20000: the same results as the C serial backend. */
static void test_primes_as_c(void **state)
{
	int64_t items[4] = {20000, 20000, 20000, 20000};
	struct run_spec c = spec_of("primes", BACKEND_SERIAL, 1, 1, items, 4);
	struct run_snapshot cs, ps;
	struct run *cr = run_to_end(&c, &cs);

	(void)state;
	for (int b = BACKEND_PY_SERIAL; b <= BACKEND_PY_THREAD; b++) {
		struct run_spec p = spec_of("primes", (enum backend_kind)b, 4, 1, items, 4);
		struct run *pr = run_to_end(&p, &ps);

		assert_int_equal(ps.n_done, 4);
		for (int i = 0; i < 4; i++)
			assert_int_equal(ps.results[i], cs.results[i]);
		run_free(pr);
	}
	assert_int_equal(cs.results[0], 2262);
	run_free(cr);
}

/* counter: a process pool leaves the parent's at 0; threads share one (<= the sum). */
static void test_counter(void **state)
{
	int64_t items[4] = {100000, 100000, 100000, 100000};
	struct run_spec p = spec_of("counter", BACKEND_PY_PROCESS, 4, 1, items, 4);
	struct run_spec t = spec_of("counter", BACKEND_PY_THREAD, 4, 1, items, 4);
	struct run_snapshot s;
	struct run *run;

	(void)state;
	run = run_to_end(&p, &s);
	assert_true(s.has_parent_counter);
	assert_int_equal(s.parent_counter, 0);
	assert_int_equal(s.n_done, 4);
	run_free(run);
	run = run_to_end(&t, &s);
	assert_true(s.has_parent_counter);
	assert_true(s.parent_counter > 0 && s.parent_counter <= 400000);
	run_free(run);
}

/* hello and print: each line captured, stamped with the worker that printed it. */
static void test_output(void **state)
{
	int64_t items[5];
	struct run_spec h, p;
	struct run_snapshot s;
	struct run *run;
	bool seen[6] = {false};

	(void)state;
	range(items, 5);
	h = spec_of("hello", BACKEND_PY_PROCESS, 2, 1, items, 4);
	run = run_to_end(&h, &s);
	assert_int_equal(s.n_output, 4);
	assert_false(s.task_returns);
	for (size_t i = 0; i < s.n_output; i++) {
		assert_string_equal(s.output[i].text, "Worker process is running.");
		assert_true(s.output[i].worker >= 0 && s.output[i].worker < 2);
	}
	run_free(run);
	p = spec_of("print", BACKEND_PY_THREAD, 2, 1, items, 5);
	run = run_to_end(&p, &s);
	assert_int_equal(s.n_output, 5);
	for (size_t i = 0; i < s.n_output; i++) {
		int v = atoi(s.output[i].text);

		assert_true(v >= 1 && v <= 5);
		seen[v] = true;
		assert_true(s.output[i].worker >= 0 && s.output[i].worker < 2);
	}
	for (int v = 1; v <= 5; v++)
		assert_true(seen[v]);
	run_free(run);
}

/* py-process under each start method; the snapshot names the one used. */
static void test_start_methods(void **state)
{
	static const char *const methods[] = {"fork", "spawn", "forkserver"};
	int64_t items[10];

	(void)state;
	range(items, 10);
	for (size_t m = 0; m < 3; m++) {
		struct run_spec spec = spec_of("square", BACKEND_PY_PROCESS, 2, 1, items, 10);
		struct run_snapshot s;
		struct run *run;

		spec.start_method = methods[m];
		run = run_to_end(&spec, &s);
		assert_int_equal(s.n_done, 10);
		assert_int_equal(s.results[9], 100);
		assert_non_null(s.python->start_method);
		assert_string_equal(s.python->start_method, methods[m]);
		assert_true(s.python->bytes_sent > 0 && s.python->bytes_recvd > 0);
		assert_true(s.startup_s > 0);
		print_message("# %-10s interpreter start-up %.1f ms, pool start-up %.1f ms\n",
		              methods[m], s.python->interp_startup_s * 1e3, s.startup_s * 1e3);
		pid_t pg = s.python->pid;
		run_free(run);
		assert_group_gone(pg, 1.0);
	}
}

/* crash 1..10 on py-process: item 3 (index 2) fails naming SIGSEGV, the run
 * ends (CPython's Pool alone would hang), nothing is left. */
static void test_crash(void **state)
{
	int64_t items[10];
	struct run_spec spec;
	struct run_snapshot s;
	struct run *run;
	bool named = false;
	double t0 = now_s();

	(void)state;
	range(items, 10);
	spec = spec_of("crash", BACKEND_PY_PROCESS, 2, 1, items, 10);
	run = run_to_end(&spec, &s);
	assert_true(now_s() - t0 < 10.0);
	assert_int_equal(s.state, RUN_DONE);
	assert_true(s.n_failed > 0);
	assert_int_equal(s.n_done + s.n_failed, 10);
	assert_int_equal(run_item_status(&s, 2), ITEM_FAILED);
	assert_int_equal(run_item_status(&s, 0), ITEM_DONE);
	assert_non_null(s.fault);
	/* the first worker to die names its signal and item (3, 6 or 9); item 2 (3)
	 * fails naming SIGSEGV: its own death, or the one that ended the run */
	for (size_t i = 0; i < s.n_errors; i++) {
		char want[64];

		assert_int_equal(run_item_status(&s, s.errors[i].item), ITEM_FAILED);
		snprintf(want, sizeof want, "killed by SIGSEGV while running item %zu",
		         s.errors[i].item);
		if (items[s.errors[i].item] % 3 == 0 && strstr(s.errors[i].message, want))
			named = true;
		if (s.errors[i].item == 2)
			assert_non_null(strstr(s.errors[i].message, "SIGSEGV"));
	}
	assert_true(named);
	assert_non_null(strstr(s.fault, "SIGSEGV"));
	assert_true(s.per_worker[0].state == WORKER_DEAD || s.per_worker[1].state == WORKER_DEAD);
	pid_t pg = s.python->pid;
	run_free(run);
	assert_group_gone(pg, 1.0);
}

/* crash on threads is refused, as for the C thread backends. */
static void test_crash_refused_on_threads(void **state)
{
	int64_t items[3] = {1, 2, 3};
	char err[ENGINE_ERRLEN];
	struct run *run = NULL;

	(void)state;
	for (int b = BACKEND_PY_SERIAL; b <= BACKEND_PY_THREAD; b += 2) {
		struct run_spec spec = spec_of("crash", (enum backend_kind)b, 2, 1, items, 3);

		assert_int_equal(run_start(&spec, &run, err, sizeof err), -1);
		assert_null(run);
		assert_non_null(strstr(err, "py-process"));
	}
}

/* Cancel mid-run: nothing of the interpreter is left within 1 s. */
static void test_cancel(void **state)
{
	int64_t items[8];

	(void)state;
	for (size_t i = 0; i < 8; i++)
		items[i] = 500;
	for (int b = BACKEND_PY_PROCESS; b <= BACKEND_PY_THREAD; b++) {
		struct run_spec spec = spec_of("spin", (enum backend_kind)b, 2, 1, items, 8);
		char err[ENGINE_ERRLEN];
		struct run *run = NULL;
		struct run_snapshot s;
		double t;

		assert_int_equal(run_start(&spec, &run, err, sizeof err), 0);
		while (!run_poll(run, &s) && s.n_done == 0 &&
		       !(s.state == RUN_RUNNING && s.now_s > 0.2))
			usleep(5000);
		assert_int_equal(s.state, RUN_RUNNING);
		pid_t pg = s.python->pid;
		t = now_s();
		run_cancel(run);
		run_wait(run, -1, &s);
		assert_int_equal(s.state, RUN_CANCELLED);
		assert_true(s.n_done < 8);
		run_free(run);
		assert_true(now_s() - t < 1.0);
		assert_group_gone(pg, 1.0 - (now_s() - t));
	}
}

/* run_free in the middle of a run leaves nothing either. */
static void test_free_mid_run(void **state)
{
	int64_t items[4] = {2000, 2000, 2000, 2000};
	struct run_spec spec = spec_of("sleep", BACKEND_PY_PROCESS, 2, 1, items, 4);
	char err[ENGINE_ERRLEN];
	struct run *run = NULL;
	struct run_snapshot s;
	pid_t pg;

	(void)state;
	assert_int_equal(run_start(&spec, &run, err, sizeof err), 0);
	run_poll(run, &s);
	pg = s.python->pid;
	run_free(run);
	assert_group_gone(pg, 1.0);
}

/* A py-process demo to its end: print 0..3, crash 0..2 and square 3, every
 * child a real Process of the interpreter, joined, its output and result. */
static void test_process_demo(void **state)
{
	static const int64_t prints[] = {0, 1, 2, 3}, crashes[] = {0, 1, 2}, sq2[] = {3, 4};
	struct proc_demo_python py = {0};
	char err[ENGINE_ERRLEN];
	struct proc_demo *d = NULL;
	struct proc_demo_snap s;
	bool seen[4] = {false};
	pid_t pg;

	(void)state;
	assert_int_equal(
	    proc_demo_start_python(task_find("print"), prints, 4, 0, &py, &d, err, sizeof err), 0);
	proc_demo_wait(d, -1, &s);
	assert_non_null(s.python);
	assert_string_equal(s.python->implementation, "cpython");
	assert_true(s.python->version[0] == '3');
	assert_null(s.fault);
	pg = s.python->pid;
	assert_int_equal(s.parent_pid, pg); /* the interpreter forked them, not mptutor */
	assert_int_equal(s.n_procs, 4);
	for (size_t k = 0; k < 4; k++) {
		assert_int_equal(s.procs[k].state, PROC_JOINED);
		assert_true(s.procs[k].pid > 0 && s.procs[k].pid != pg);
		assert_int_equal(s.procs[k].exit_code, 0);
		assert_true(s.procs[k].started_s >= 0);
		assert_true(s.procs[k].ran_s >= s.procs[k].started_s);
		assert_true(s.procs[k].exited_s >= s.procs[k].ran_s);
		assert_true(s.procs[k].joined_s >= s.procs[k].exited_s);
		for (size_t j = 0; j < k; j++)
			assert_int_not_equal(s.procs[k].pid, s.procs[j].pid);
	}
	assert_int_equal(s.n_output, 4);
	for (size_t i = 0; i < 4; i++) {
		int v = atoi(s.output[i].text);
		assert_true(v >= 0 && v < 4 && !seen[v]);
		seen[v] = true;
	}
	assert_true(s.ended_s >= 0);
	proc_demo_free(d);
	assert_group_gone(pg, 2.0);

	assert_int_equal(
	    proc_demo_start_python(task_find("crash"), crashes, 3, 0, &py, &d, err, sizeof err), 0);
	proc_demo_wait(d, -1, &s);
	assert_int_equal(s.procs[0].exit_code, -SIGSEGV); /* 0 % 3 == 0: dies */
	assert_int_equal(s.procs[1].exit_code, 0);
	assert_true(s.procs[1].has_result);
	assert_int_equal(s.procs[1].result, 1);
	pg = s.python->pid;
	proc_demo_free(d);
	assert_group_gone(pg, 2.0);

	/* never joined: each a zombie until all have exited, then reaped, none joined */
	assert_int_equal(proc_demo_start_python(task_find("square"), sq2, 2, PROC_DEMO_NO_JOIN, &py,
	                                        &d, err, sizeof err),
	                 0);
	proc_demo_wait(d, -1, &s);
	assert_false(s.joins);
	for (size_t k = 0; k < 2; k++) {
		assert_int_equal(s.procs[k].state, PROC_REAPED);
		assert_true(s.procs[k].joined_s < 0);
		assert_true(s.procs[k].reaped_s >= s.procs[k].exited_s);
		assert_true(s.procs[k].has_result);
		assert_int_equal(s.procs[k].result, sq2[k] * sq2[k]);
	}
	pg = s.python->pid;
	proc_demo_free(d);
	assert_group_gone(pg, 2.0);

	/* a missing interpreter: refused, naming it */
	py.python = "/nonexistent/python3";
	assert_int_equal(
	    proc_demo_start_python(task_find("print"), prints, 1, 0, &py, &d, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/python3"));
	assert_null(d);
}

/* A py-process demo interrupted mid-run (the intr fd, as Ctrl-C is): every
 * child and the interpreter killed and reaped, nothing of the group left. */
static void test_process_demo_cancel(void **state)
{
	static const int64_t items[] = {5000, 5000, 5000};
	struct proc_demo_python py = {0};
	char err[ENGINE_ERRLEN];
	struct proc_demo *d = NULL;
	struct proc_demo_snap s;
	pid_t pids[3], pg;
	int intr[2];
	double t;

	(void)state;
	assert_int_equal(pipe(intr), 0);
	assert_int_equal(
	    proc_demo_start_python(task_find("sleep"), items, 3, 0, &py, &d, err, sizeof err), 0);
	t = now_s();
	for (;;) { /* until all three run (their S came) and are asleep: a child
		    says S just before it sleeps, so on a busy machine /proc may still
		    show it running (R) for a moment */
		int running = 0;
		proc_demo_poll(d, &s);
		for (size_t k = 0; k < 3; k++)
			running += s.procs[k].state == PROC_RUNNING && s.procs[k].ran_s >= 0 &&
			           s.procs[k].proc_state == 'S';
		if (running == 3)
			break;
		assert_true(now_s() - t < 20.0);
		usleep(5000);
	}
	for (size_t k = 0; k < 3; k++) {
		pids[k] = s.procs[k].pid;
		assert_int_equal(s.procs[k].proc_state, 'S'); /* asleep, read from /proc */
	}
	pg = s.python->pid;
	assert_int_equal(write(intr[1], "x", 1), 1);
	t = now_s();
	proc_demo_wait(d, intr[0], &s);
	assert_true(now_s() - t < 4.0); /* not the 5 s of the items */
	assert_true(s.interrupted);
	for (size_t k = 0; k < 3; k++) {
		assert_true(s.procs[k].state >= PROC_JOINED);
		assert_int_not_equal(s.procs[k].exit_code, 0);
	}
	proc_demo_free(d);
	assert_group_gone(pg, 2.0);
	for (size_t k = 0; k < 3; k++) { /* each child gone, or a zombie init reaps */
		char path[64], b[256];
		FILE *f;
		snprintf(path, sizeof path, "/proc/%d/stat", (int)pids[k]);
		f = fopen(path, "r");
		if (f) {
			const char *rp;
			char st = '?';
			if (fgets(b, sizeof b, f) && (rp = strrchr(b, ')')))
				st = rp[2];
			fclose(f);
			assert_true(st == 'Z' || st == 'X');
		}
	}
	close(intr[0]);
	close(intr[1]);
}

/* Write a fake interpreter (a shell script) into tmpdir; returns its path. */
static const char *fake_python(const char *name, const char *body)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	chmod(path, 0755);
	return path;
}

/* A script that finds --events and writes the given lines into it. */
#define FAKE_EVENTS(lines)                                                                         \
	"while [ $# -gt 0 ]; do [ \"$1\" = --events ] && ev=$2; shift; done\n"                     \
	"printf '" lines "' >\"$ev\"\nsleep 5"

/* Missing, broken, too old and babbling interpreters: named in the message. */
static void test_bad_interpreters(void **state)
{
	int64_t items[3] = {1, 2, 3};
	struct run_spec spec = spec_of("square", BACKEND_PY_PROCESS, 2, 1, items, 3);
	char err[ENGINE_ERRLEN];
	struct run *run = NULL;
	struct run_snapshot s;
	const char *p;

	(void)state;
	spec.python = "/nonexistent/python3";
	assert_int_equal(run_start(&spec, &run, err, sizeof err), -1);
	assert_null(run);
	assert_non_null(strstr(err, "/nonexistent/python3"));

	spec.python = "no-such-python3.99";
	assert_int_equal(run_start(&spec, &run, err, sizeof err), -1);
	assert_non_null(strstr(err, "no-such-python3.99"));
	assert_non_null(strstr(err, "PATH"));

	p = fake_python("broken", "echo 'this python is broken' >&2; exit 1");
	spec.python = p;
	assert_int_equal(run_start(&spec, &run, err, sizeof err), -1);
	assert_null(run);
	assert_non_null(strstr(err, p));
	assert_non_null(strstr(err, "status 1"));
	assert_non_null(strstr(err, "this python is broken"));

	p = fake_python("old", FAKE_EVENTS("H 1 cpython 3.7.16 1 0 fork 1 1\\n"));
	spec.python = p;
	assert_int_equal(run_start(&spec, &run, err, sizeof err), -1);
	assert_non_null(strstr(err, "3.7.16"));
	assert_non_null(strstr(err, "3.8 or later"));

	/* too old to say hello at all: asked its version, it is named too old */
	p = fake_python("older", "[ \"$2\" = -c ] && { printf 3.6; exit 0; }\n"
	                         "echo \"AttributeError: no monotonic_ns\" >&2; exit 1");
	spec.python = p;
	assert_int_equal(run_start(&spec, &run, err, sizeof err), -1);
	assert_non_null(strstr(err, p));
	assert_non_null(strstr(err, "is Python 3.6"));
	assert_non_null(strstr(err, "3.8 or later"));

	/* hello, then a line that is no event: the run ends with its items failed */
	p = fake_python("babble", FAKE_EVENTS("H 1 cpython 3.11.0 1 0 fork 1 1\\nW 1 2 3\\n"
	                                      "what is this\\n"));
	spec.python = p;
	assert_int_equal(run_start(&spec, &run, err, sizeof err), 0);
	run_wait(run, -1, &s);
	assert_int_equal(s.state, RUN_DONE);
	assert_non_null(s.fault);
	assert_non_null(strstr(s.fault, "cannot read"));
	assert_non_null(strstr(s.fault, "what is this"));
	assert_int_equal(s.n_failed, 3);
	run_free(run);
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
}

/* The real GIL on py-thread: two CPU-bound threads hold it about half their
 * busy time each; two sleeping threads hardly wait for it. */
static void test_real_gil(void **state)
{
	int64_t spin[2] = {1500, 1500}, sleep[2] = {1000, 1000};
	struct run_spec a = spec_of("spin", BACKEND_PY_THREAD, 2, 1, spin, 2);
	struct run_spec b = spec_of("sleep", BACKEND_PY_THREAD, 2, 1, sleep, 2);
	struct run_snapshot s;
	struct run *run;

	(void)state;
	run = run_to_end(&a, &s);
	assert_int_equal(s.n_done, 2);
	if (!s.python->gil) {
		assert_non_null(strstr(s.python->gil_measured, "without a GIL"));
		run_free(run);
		skip();
	}
	assert_non_null(s.python->gil_measured);
	assert_non_null(strstr(s.python->gil_measured, "sampled /proc at"));
	for (int w = 0; w < 2; w++) {
		const struct worker_snap *ws = &s.per_worker[w];
		double f = ws->gil_held_s / ws->busy_s;

		print_message("# spin t%d: busy %.3f s, GIL held %.3f s (%.2f), wait %.3f s\n", w,
		              ws->busy_s, ws->gil_held_s, f, ws->gil_wait_s);
		assert_true(ws->busy_s > 1.5);
		assert_true(f >= 0.3 && f <= 0.7);
	}
	run_free(run);
	run = run_to_end(&b, &s);
	for (int w = 0; w < 2; w++) {
		const struct worker_snap *ws = &s.per_worker[w];

		print_message("# sleep t%d: busy %.3f s, GIL wait %.3f s, blocked %.3f s\n", w,
		              ws->busy_s, ws->gil_wait_s, ws->blocked_s);
		assert_true(ws->gil_wait_s < 0.1 * ws->busy_s);
		assert_true(ws->blocked_s > 0.5 * ws->busy_s);
	}
	run_free(run);
}

/* chunksize 1 over 100000 items: every item's event arrives. Under a sanitizer
 * 20000 (the Python side is the same; the plain stage takes the 100000). */
static void test_every_event(void **state)
{
	static int64_t items[100000];
	const size_t n = getenv("SANITIZER") ? 20000 : 100000;
	double plain = 0;

	(void)state;
	range(items, n);
	/* chunksize 1 (each item timed on its own), then Pool.map's default (fast
	 * items run in groups, timed per group, and the report says how many) */
	for (int k = 0; k < 4; k++) {
		int b = k % 2 ? BACKEND_PY_THREAD : BACKEND_PY_PROCESS;
		long chunk = k < 2 ? 1 : engine_default_chunksize(n, 2);
		struct run_spec spec = spec_of("square", (enum backend_kind)b, 2, chunk, items, n);
		struct run_snapshot s;
		double t = now_s();
		struct run *run = run_to_end(&spec, &s);
		long tasks = 0;

		t = now_s() - t;
		assert_int_equal(s.n_done, n);
		assert_null(s.fault);
		for (int w = 0; w < s.workers; w++)
			tasks += s.per_worker[w].tasks;
		assert_int_equal(tasks, (long)n); /* every item's end reached its worker */
		assert_non_null(s.python);
		if (chunk == 1)
			assert_int_equal(s.python->items_grouped, 0);
		else /* all but the first few of each chunk, which show the items are fast */
			assert_true(s.python->items_grouped > (long long)n * 9 / 10 &&
			            s.python->items_grouped <= (long long)n);
		for (size_t i = 0; i < n; i++) {
			assert_true(run_item_event(&s, i).worker >= 0);
			assert_true(run_item_event(&s, i).end_s >= run_item_event(&s, i).start_s);
			if (s.results[i] != items[i] * items[i])
				fail_msg("item %zu: %lld", i, (long long)s.results[i]);
		}
		print_message("# %s square 1..%zu -c %ld: map %.3f s, start to end %.3f s\n",
		              backend_name((enum backend_kind)b), n, chunk, s.wall_s, t);
		run_free(run);
	}
	(void)plain;
}

/* spin 4x200 on each py-* backend: each worker's CPU is what its items burned.
 * spin burns 200 ms of its thread's own CPU clock per item, so a worker's CPU
 * is at least half of 0.2 s per item it ran, however late mptutor read the
 * stream (the worker says its CPU itself as it ends); busy_s is wall time and
 * grows on a loaded machine, so it is the lower figure that is checked. */
static void test_worker_cpu(void **state)
{
	int64_t items[4] = {200, 200, 200, 200};
	enum backend_kind bs[] = {BACKEND_PY_PROCESS, BACKEND_PY_THREAD, BACKEND_PY_SERIAL};

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		struct run_spec spec =
		    spec_of("spin", bs[k], bs[k] == BACKEND_PY_SERIAL ? 1 : 2, 1, items, 4);
		struct run_snapshot s;
		struct run *run = run_to_end(&spec, &s);
		long tasks = 0;

		assert_int_equal(s.n_done, 4);
		for (int w = 0; w < s.workers; w++) {
			const struct worker_snap *ws = &s.per_worker[w];

			tasks += ws->tasks;
			print_message("# %s w%d: %ld items, cpu %.3f s, busy %.3f s\n",
			              backend_name(bs[k]), w, ws->tasks, ws->cpu_s, ws->busy_s);
			if (ws->cpu_s < 0.5 * 0.2 * (double)ws->tasks)
				fail_msg("%s w%d ran %ld spin 200 items but its CPU is %.3f s",
				         backend_name(bs[k]), w, ws->tasks, ws->cpu_s);
			assert_true(ws->cpu_s < 0.2 * (double)ws->tasks + 0.5);
		}
		assert_int_equal(tasks, 4);
		run_free(run);
	}
}

/* The probe's JSON line: a whole one, a free-threaded one, and malformed ones. */
static void test_parse_probe(void **state)
{
	static const char good[] =
	    "{\"protocol\": 1, \"executable\": \"/usr/bin/python3.11\", \"version\": \"3.11.7\", "
	    "\"implementation\": \"cpython\", \"free_threaded_build\": false, \"gil_enabled\": "
	    "true, "
	    "\"start_methods\": [\"fork\", \"spawn\", \"forkserver\"], \"default_start_method\": "
	    "\"fork\", \"interpreters\": false, \"interpreter_pool\": false}\n";
	static const char ft[] =
	    "{\"protocol\": 1, \"executable\": \"/usr/bin/python3.14t\", \"version\": \"3.14.0\", "
	    "\"implementation\": \"cpython\", \"free_threaded_build\": true, \"gil_enabled\": "
	    "false, "
	    "\"start_methods\": [\"fork\", \"spawn\", \"forkserver\"], \"default_start_method\": "
	    "\"forkserver\", \"interpreters\": true, \"interpreter_pool\": true}";
	static const char *const bad[] = {
	    "",
	    "not json",
	    "[1, 2]",
	    "{\"protocol\": 2}",
	    "{\"protocol\": 1, \"version\": \"3.11.7\"}",
	    "{\"protocol\": 1, \"executable\": \"x\", \"version\": \"three\", \"implementation\": "
	    "\"cpython\"}",
	    "{\"protocol\": 1, \"executable\": \"x\", \"version\": \"3.11.7\", \"implementation\": "
	    "\"cpython\", \"free_threaded_build\": 0, \"gil_enabled\": true}",
	    "{\"protocol\": 1} trailing",
	};
	struct python_info pi;
	char err[256];

	(void)state;
	assert_int_equal(pythons_parse_probe(good, strlen(good), &pi, err, sizeof err), 0);
	assert_string_equal(pi.version, "3.11.7");
	assert_int_equal(pi.major, 3);
	assert_int_equal(pi.minor, 11);
	assert_string_equal(pi.implementation, "cpython");
	assert_string_equal(pi.executable, "/usr/bin/python3.11");
	assert_false(pi.free_threaded);
	assert_true(pi.gil_enabled);
	assert_string_equal(pi.start_methods, "fork,spawn,forkserver");
	assert_string_equal(pi.default_method, "fork");
	assert_false(pi.interpreters);
	assert_int_equal(pythons_parse_probe(ft, strlen(ft), &pi, err, sizeof err), 0);
	assert_true(pi.free_threaded);
	assert_false(pi.gil_enabled);
	assert_true(pi.interpreters);
	assert_true(pi.interpreter_pool);
	assert_string_equal(pi.default_method, "forkserver");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		if (pythons_parse_probe(bad[i], strlen(bad[i]), &pi, err, sizeof err) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(strstr(err, "description"));
	}
}

/* The interpreters on PATH: at least python3, each 3.8+, no realpath twice. */
static void test_find_pythons(void **state)
{
	static struct python_info found[PYTHONS_MAX];
	size_t n = 0;
	char err[256], path[PATH_MAX];

	(void)state;
	assert_int_equal(pythons_resolve(NULL, path, sizeof path, err, sizeof err), 0);
	assert_int_equal(pythons_find(NULL, found, PYTHONS_MAX, &n, err, sizeof err), 0);
	assert_true(n >= 1);
	for (size_t i = 0; i < n; i++) {
		print_message("# %s: %s %s, GIL %s, start methods %s (default %s)\n", found[i].path,
		              found[i].implementation, found[i].version,
		              found[i].gil_enabled ? "on" : "off", found[i].start_methods,
		              found[i].default_method);
		for (size_t j = 0; j < i; j++) {
			assert_string_not_equal(found[i].real, found[j].real);
			assert_string_not_equal(found[i].executable, found[j].executable);
		}
	}
	assert_int_equal(pythons_probe("/nonexistent/python3", NULL, &found[0], err, sizeof err),
	                 -1);
	assert_non_null(strstr(err, "/nonexistent/python3"));
}

/* A fresh directory for the fake interpreters. */
static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test-pybackend-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

/* Remove it. */
static int teardown(void **state)
{
	static const char *const names[] = {"broken", "old", "older", "babble"};
	char p[128];

	(void)state;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", tmpdir, names[i]);
		unlink(p);
	}
	rmdir(tmpdir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_probe),
	    cmocka_unit_test(test_square_everywhere),
	    cmocka_unit_test(test_primes_as_c),
	    cmocka_unit_test(test_counter),
	    cmocka_unit_test(test_output),
	    cmocka_unit_test(test_start_methods),
	    cmocka_unit_test(test_crash),
	    cmocka_unit_test(test_crash_refused_on_threads),
	    cmocka_unit_test(test_cancel),
	    cmocka_unit_test(test_free_mid_run),
	    cmocka_unit_test(test_process_demo),
	    cmocka_unit_test(test_process_demo_cancel),
	    cmocka_unit_test(test_bad_interpreters),
	    cmocka_unit_test(test_real_gil),
	    cmocka_unit_test(test_every_event),
	    cmocka_unit_test(test_worker_cpu),
	    cmocka_unit_test(test_find_pythons),
	};
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
