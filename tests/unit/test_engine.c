/*
 * test_engine.c — the engine's pool.map as a user sees it: results in item
 * order on every backend, completion order when unordered, the default
 * chunksize rule, captured output, the counter's memory semantics, crashed
 * and killed workers, cancel, bad specs refused, and no child left behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/task.h"

/* The model's backends, in table order (the py-* ones: test_pybackend.c). */
#define C_BACKENDS (BACKEND_GIL + 1)

/* Seconds of CLOCK_MONOTONIC. */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A spec for task over items on a backend. */
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

/* No child of this process is left (every worker was reaped). */
static void assert_no_children(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* Start a run and wait for it; the run is returned for inspection. */
static struct run *run_to_end(const struct run_spec *spec, struct run_snapshot *snap)
{
	char err[ENGINE_ERRLEN] = "";
	struct run *run = NULL;
	int rc = run_start(spec, &run, err, sizeof(err));

	if (rc != 0)
		fail_msg("run_start: %s", err);
	assert_int_equal(run_wait(run, -1, snap), 0);
	return run;
}

/* CPython's chunksize rule. */
static void test_default_chunksize(void **state)
{
	(void)state;
	assert_int_equal(engine_default_chunksize(0, 4), 0);
	assert_int_equal(engine_default_chunksize(5, 4), 1);
	assert_int_equal(engine_default_chunksize(100, 2), 13);
	assert_int_equal(engine_default_chunksize(8, 1), 2);
	assert_int_equal(engine_default_chunksize(16, 2), 2);
	assert_true(engine_default_workers() >= 1);
}

/* Backend names round-trip. */
static void test_backend_names(void **state)
{
	enum backend_kind k;

	(void)state;
	for (int b = 0; b < BACKEND_COUNT; b++) {
		assert_int_equal(backend_find(backend_name((enum backend_kind)b), &k), 0);
		assert_int_equal(k, b);
	}
	assert_int_equal(backend_find("fiber", &k), -1);
}

/* Results are in item order on every backend, whatever the chunksize. */
static void test_results_in_order(void **state)
{
	int64_t items[200];

	(void)state;
	for (int i = 0; i < 200; i++)
		items[i] = i - 50;
	for (int b = 0; b < C_BACKENDS; b++) {
		static const long chunks[] = {1, 7, 200};

		for (size_t c = 0; c < 3; c++) {
			struct run_spec s =
			    spec_of("square", (enum backend_kind)b, 3, chunks[c], items, 200);
			struct run_snapshot snap;
			struct run *run = run_to_end(&s, &snap);

			assert_int_equal(snap.state, RUN_DONE);
			assert_int_equal(snap.n_done, 200);
			assert_int_equal(snap.n_failed, 0);
			assert_int_equal(snap.n_order, 200);
			for (int i = 0; i < 200; i++) {
				assert_int_equal(run_item_status(&snap, i), ITEM_DONE);
				assert_int_equal(snap.results[i], items[i] * items[i]);
				assert_true(run_item_event(&snap, i).worker >= 0 &&
				            run_item_event(&snap, i).worker < snap.workers);
				assert_true(run_item_event(&snap, i).end_s >=
				            run_item_event(&snap, i).start_s);
			}
			assert_int_equal(snap.workers, b == BACKEND_SERIAL ? 1 : 3);
			run_free(run);
		}
	}
	assert_no_children();
}

/* Unordered gives the completion order: a permutation of the items. */
static void test_unordered_permutation(void **state)
{
	int64_t items[] = {40, 5, 30, 1, 20, 10};

	(void)state;
	for (int b = BACKEND_PROCESS; b <= BACKEND_THREAD; b++) {
		struct run_spec s = spec_of("sleep", (enum backend_kind)b, 3, 1, items, 6);
		struct run_snapshot snap;
		struct run *run;
		bool seen[6] = {false};

		s.unordered = true;
		run = run_to_end(&s, &snap);
		assert_true(snap.unordered);
		assert_int_equal(snap.n_order, 6);
		for (size_t i = 0; i < 6; i++) {
			assert_true(snap.order[i] < 6);
			assert_false(seen[snap.order[i]]);
			seen[snap.order[i]] = true;
		}
		/* completion order follows end times */
		for (size_t i = 1; i < 6; i++)
			assert_true(run_item_event(&snap, snap.order[i]).end_s >=
			            run_item_event(&snap, snap.order[i - 1]).end_s);
		run_free(run);
	}
	assert_no_children();
}

/* hello and print lines are captured, tagged with their worker. */
static void test_output_captured(void **state)
{
	int64_t items[] = {0, 1, 2, 3};

	(void)state;
	for (int b = 0; b < C_BACKENDS; b++) {
		struct run_spec s = spec_of("print", (enum backend_kind)b, 2, 1, items, 4);
		struct run_snapshot snap;
		struct run *run = run_to_end(&s, &snap);
		bool seen[4] = {false};

		assert_false(snap.task_returns);
		assert_int_equal(snap.n_output, 4);
		for (size_t i = 0; i < snap.n_output; i++) {
			int n = atoi(snap.output[i].text);

			assert_true(n >= 0 && n < 4);
			seen[n] = true;
			assert_true(snap.output[i].worker >= 0 &&
			            snap.output[i].worker < snap.workers);
			assert_true(snap.output[i].t_s >= 0);
		}
		for (int i = 0; i < 4; i++)
			assert_true(seen[i]);
		run_free(run);

		s = spec_of("hello", (enum backend_kind)b, 1, 1, items, 1);
		run = run_to_end(&s, &snap);
		assert_int_equal(snap.n_output, 1);
		assert_string_equal(snap.output[0].text, "Worker process is running.");
		run_free(run);
	}
	assert_no_children();
}

/* Memory: processes keep their own counter, the GIL makes threads exact. */
static void test_counter_semantics(void **state)
{
	int64_t items[] = {20000, 20000, 20000, 20000};
	struct run_snapshot snap;
	struct run_spec s;
	struct run *run;

	(void)state;
	s = spec_of("counter", BACKEND_PROCESS, 2, 1, items, 4);
	run = run_to_end(&s, &snap);
	assert_true(snap.has_parent_counter);
	assert_int_equal(snap.parent_counter, 0);
	for (int i = 0; i < 4; i++) /* each process counts on its own copy */
		assert_true(snap.results[i] >= 20000 && snap.results[i] <= 80000);
	run_free(run);

	s = spec_of("counter", BACKEND_GIL, 2, 1, items, 4);
	run = run_to_end(&s, &snap);
	assert_int_equal(snap.parent_counter, 80000);
	run_free(run);

	s = spec_of("counter", BACKEND_THREAD, 2, 1, items, 4);
	run = run_to_end(&s, &snap);
	assert_true(snap.parent_counter > 0 && snap.parent_counter <= 80000);
	run_free(run);

	s = spec_of("counter", BACKEND_SERIAL, 1, 1, items, 4);
	run = run_to_end(&s, &snap);
	assert_int_equal(snap.parent_counter, 80000);
	assert_int_equal(snap.results[3], 80000);
	run_free(run);
	assert_no_children();
}

/* crash: items 3, 6, 9 fail with SIGSEGV, the others are right, nothing left. */
static void test_crash_process(void **state)
{
	int64_t items[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	struct run_spec s = spec_of("crash", BACKEND_PROCESS, 2, 1, items, 10);
	struct run_snapshot snap;
	struct run *run;
	int restarts = 0;

	(void)state;
	run = run_to_end(&s, &snap);
	assert_int_equal(snap.state, RUN_DONE);
	assert_int_equal(snap.n_failed, 3);
	assert_int_equal(snap.n_done, 7);
	assert_int_equal(snap.n_errors, 3);
	for (int i = 0; i < 10; i++) {
		if (items[i] % 3 == 0) {
			assert_int_equal(run_item_status(&snap, i), ITEM_FAILED);
		} else {
			assert_int_equal(run_item_status(&snap, i), ITEM_DONE);
			assert_int_equal(snap.results[i], items[i]);
		}
	}
	for (size_t e = 0; e < snap.n_errors; e++) {
		char want[64];

		assert_int_equal(items[snap.errors[e].item] % 3, 0);
		assert_non_null(strstr(snap.errors[e].message, "killed by SIGSEGV"));
		snprintf(want, sizeof(want), "while running item %zu", snap.errors[e].item);
		assert_non_null(strstr(snap.errors[e].message, want));
	}
	for (int w = 0; w < snap.workers; w++)
		restarts += snap.per_worker[w].restarts;
	assert_true(restarts >= 1);
	run_free(run);
	assert_no_children();
}

/* When a worker died is stamped: t_s after the item started and within the
 * map; t0_unix_s places the map on the wall clock. */
static void test_failure_times(void **state)
{
	int64_t items[] = {1, 2, 3, 4};
	struct run_spec s = spec_of("crash", BACKEND_PROCESS, 2, 1, items, 4);
	struct run_snapshot snap;
	struct timespec ts;
	struct run *run;

	(void)state;
	clock_gettime(CLOCK_REALTIME, &ts);
	run = run_to_end(&s, &snap);
	assert_true(snap.t0_unix_s >= (double)ts.tv_sec && snap.t0_unix_s < (double)ts.tv_sec + 10);
	assert_int_equal(snap.n_errors, 1);
	assert_true(snap.errors[0].t_s > 0);
	assert_true(snap.errors[0].t_s >= run_item_event(&snap, snap.errors[0].item).start_s);
	assert_true(snap.errors[0].t_s <= snap.wall_s + 0.001);
	run_free(run);
	assert_no_children();
}

/* A pool is made when its workers are at the gate: none is still starting
 * as the map begins (a late one would count its set-up as map or teardown). */
static void test_workers_ready_at_start(void **state)
{
	int64_t items[] = {1, 2, 3, 4, 5};
	struct run_spec s = spec_of("square", BACKEND_PROCESS, 4, 1, items, 5);
	struct run_snapshot snap;
	char err[ENGINE_ERRLEN];
	struct run *run;

	(void)state;
	for (int r = 0; r < 5; r++) {
		assert_int_equal(run_start(&s, &run, err, sizeof(err)), 0);
		run_poll(run, &snap);
		for (int w = 0; w < snap.workers; w++)
			assert_int_not_equal(snap.per_worker[w].state, WORKER_STARTING);
		run_wait(run, -1, &snap);
		assert_int_equal(snap.n_done, 5);
		run_free(run);
	}
	assert_no_children();
}

/* crash is refused anywhere but on processes. */
static void test_crash_refused_on_threads(void **state)
{
	int64_t items[] = {1, 2, 3};
	char err[ENGINE_ERRLEN];
	struct run *run = (struct run *)1;

	(void)state;
	for (int b = 0; b < C_BACKENDS; b++) {
		struct run_spec s = spec_of("crash", (enum backend_kind)b, 2, 1, items, 3);

		if (b == BACKEND_PROCESS)
			continue;
		err[0] = '\0';
		assert_int_equal(run_start(&s, &run, err, sizeof(err)), -1);
		assert_null(run);
		assert_non_null(strstr(err, "process backend"));
	}
}

/* Bad specs are refused with a message naming what is allowed. */
static void test_bad_specs(void **state)
{
	int64_t items[] = {1, 2, 3}, big[] = {60001};
	char err[ENGINE_ERRLEN];
	struct run *run;
	struct run_spec s;

	(void)state;
	s = spec_of("square", BACKEND_PROCESS, 0, 1, items, 3);
	assert_int_equal(run_start(&s, &run, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "1..1024"));
	s = spec_of("square", BACKEND_THREAD, 1025, 1, items, 3);
	assert_int_equal(run_start(&s, &run, err, sizeof(err)), -1);
	s = spec_of("square", BACKEND_THREAD, 2, 0, items, 3);
	assert_int_equal(run_start(&s, &run, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "chunksize"));
	s = spec_of("spin", BACKEND_THREAD, 2, 1, big, 1);
	assert_int_equal(run_start(&s, &run, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "60001"));
	s = spec_of("square", BACKEND_THREAD, 2, 1, items, ENGINE_MAX_ITEMS + 1);
	assert_int_equal(run_start(&s, &run, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too many items"));
	s = spec_of("square", BACKEND_GIL, 2, 1, items, 3);
	s.switch_interval_s = 0;
	assert_int_equal(run_start(&s, &run, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "switch interval"));
	s.task = NULL;
	assert_int_equal(run_start(&s, &run, err, sizeof(err)), -1);
	assert_no_children();
}

/* Zero items: the pool starts and stops, the map is empty. */
static void test_zero_items(void **state)
{
	(void)state;
	for (int b = 0; b < C_BACKENDS; b++) {
		struct run_spec s = spec_of("square", (enum backend_kind)b, 2, 0, NULL, 0);
		struct run_snapshot snap;
		struct run *run = run_to_end(&s, &snap);

		assert_int_equal(snap.state, RUN_DONE);
		assert_int_equal(snap.n_items, 0);
		assert_int_equal(snap.chunksize, 0);
		assert_true(snap.startup_s > 0);
		run_free(run);
	}
	assert_no_children();
}

/* A worker SIGKILLed mid-item: that item fails "killed by SIGKILL", the rest complete. */
static void test_worker_killed(void **state)
{
	int64_t items[] = {300, 300, 300, 300, 300, 300};
	struct run_spec s = spec_of("spin", BACKEND_PROCESS, 2, 1, items, 6);
	struct run_snapshot snap;
	char err[ENGINE_ERRLEN];
	struct run *run = NULL;
	pid_t victim = 0;
	long victim_item = -1;
	double t0 = now_s(), killed_at = 0, seen_at = 0;

	(void)state;
	assert_int_equal(run_start(&s, &run, err, sizeof(err)), 0);
	while (!run_poll(run, &snap)) {
		if (!victim) {
			for (int w = 0; w < snap.workers; w++) {
				if (snap.per_worker[w].cur_item >= 0 &&
				    snap.per_worker[w].tasks == 0 &&
				    snap.per_worker[w].state == WORKER_RUNNING &&
				    now_s() - t0 > 0.05) {
					victim = snap.per_worker[w].pid;
					victim_item = snap.per_worker[w].cur_item;
					kill(victim, SIGKILL);
					killed_at = now_s();
					break;
				}
			}
		} else if (!seen_at && snap.n_errors > 0) {
			seen_at = now_s();
		}
		assert_true(now_s() - t0 < 8);
		usleep(2000);
	}
	assert_true(victim > 0);
	assert_int_equal(snap.state, RUN_DONE);
	assert_int_equal(snap.n_errors, 1);
	assert_int_equal(snap.n_failed, 1);
	assert_int_equal(snap.n_done, 5);
	assert_int_equal((long)snap.errors[0].item, victim_item);
	assert_non_null(strstr(snap.errors[0].message, "killed by SIGKILL"));
	if (!seen_at)
		seen_at = now_s();
	assert_true(seen_at - killed_at < 0.5); /* reported at once (loose: a shared machine) */
	run_free(run);
	assert_no_children();
}

/* Cancel of a long run returns promptly, everything reaped or joined. */
static void test_cancel_prompt(void **state)
{
	int64_t items[] = {20000, 20000, 20000, 20000};

	(void)state;
	for (int b = 0; b < C_BACKENDS; b++) {
		struct run_spec s = spec_of(b == BACKEND_GIL ? "spin" : "sleep",
		                            (enum backend_kind)b, 2, 1, items, 4);
		struct run_snapshot snap;
		char err[ENGINE_ERRLEN];
		struct run *run = NULL;
		int p[2];
		double t;

		assert_int_equal(pipe(p), 0);
		assert_int_equal(run_start(&s, &run, err, sizeof(err)), 0);
		usleep(50000);
		assert_int_equal(write(p[1], "x", 1), 1);
		t = now_s();
		assert_int_equal(run_wait(run, p[0], &snap), 0);
		assert_true(now_s() - t < 1.5);
		assert_int_equal(snap.state, RUN_CANCELLED);
		assert_true(snap.n_done < 4);
		for (int w = 0; w < snap.workers; w++)
			assert_true(snap.per_worker[w].state == WORKER_EXITED);
		run_free(run);
		close(p[0]);
		close(p[1]);
	}
	assert_no_children();
}

/* run_free while running kills and reaps everything. */
static void test_free_while_running(void **state)
{
	int64_t items[] = {5000, 5000, 5000};

	(void)state;
	for (int b = 0; b < C_BACKENDS; b++) {
		struct run_spec s = spec_of("spin", (enum backend_kind)b, 3, 1, items, 3);
		char err[ENGINE_ERRLEN];
		struct run *run = NULL;
		double t;

		assert_int_equal(run_start(&s, &run, err, sizeof(err)), 0);
		usleep(20000);
		t = now_s();
		run_free(run);
		assert_true(now_s() - t < 1.5);
	}
	assert_no_children();
}

/* Per-worker figures from the kernel: pids, tids, CPU, tasks. */
static void test_per_worker_figures(void **state)
{
	int64_t items[] = {60, 60, 60, 60};

	(void)state;
	for (int b = 0; b < C_BACKENDS; b++) {
		struct run_spec s = spec_of("spin", (enum backend_kind)b, 2, 1, items, 4);
		struct run_snapshot snap;
		struct run *run = run_to_end(&s, &snap);
		long tasks = 0;

		for (int w = 0; w < snap.workers; w++) {
			const struct worker_snap *ws = &snap.per_worker[w];

			tasks += ws->tasks;
			assert_true(ws->tid > 0);
			if (b == BACKEND_PROCESS) {
				assert_int_equal(ws->pid, ws->tid);
				assert_int_not_equal(ws->pid, getpid());
			} else {
				assert_int_equal(ws->pid, getpid());
			}
			assert_int_equal(ws->state, WORKER_EXITED);
		}
		assert_int_equal(tasks, 4);
		/* 4 x 60 ms of CPU were burnt (loose: clock granularity) */
		assert_true(snap.cpu_s > 0.2 && snap.cpu_s < 2.0);
		assert_true(snap.wall_s > 0);
		if (b == BACKEND_GIL) {
			double held = 0;

			for (int w = 0; w < snap.workers; w++)
				held += snap.per_worker[w].gil_held_s;
			assert_true(held > 0.2);
			assert_true(snap.n_switches > 0);
		}
		run_free(run);
	}
	assert_no_children();
}

/* Fast items are timed in groups, counted: on every backend each worker's
 * items still follow one another in time (end <= the next one's start), the
 * busy time covers them, and items that take 5 ms are each timed alone. */
static void test_fast_items_grouped(void **state)
{
	enum { N = 20000 };
	static int64_t items[N];
	int64_t slow[4] = {5, 5, 5, 5};

	(void)state;
	for (size_t i = 0; i < N; i++)
		items[i] = (int64_t)i + 1;
	for (int b = 0; b < C_BACKENDS; b++) {
		struct run_spec s = spec_of("square", (enum backend_kind)b, 2, 1000, items, N);
		struct run_snapshot snap;
		struct run *run = run_to_end(&s, &snap);

		assert_int_equal(snap.n_done, N);
		/* a square is a few ns: all but the first of a stretch are grouped
		 * (loose: a busy machine can make a group look slow; a sanitizer's
		 * square can take a microsecond) */
		assert_true(snap.items_grouped <= N);
		if (getenv("SANITIZER") == NULL)
			assert_true(snap.items_grouped > N / 2);
		for (size_t k = 0; k < snap.n_order; k++) {
			struct item_event ev = run_item_event(&snap, snap.order[k]);
			const struct item_event *e = &ev;

			assert_true(e->worker >= 0 && e->worker < 2);
			assert_true(e->start_s <= e->end_s);
		}
		for (int w = 0; w < 2; w++) {
			double prev = 0;
			for (size_t i = 0; i < N; i++) { /* each worker's items in index order
				                            ran in that order (chunks ascend) */
				struct item_event ev = run_item_event(&snap, i);
				const struct item_event *e = &ev;
				if (e->worker != w)
					continue;
				assert_true(e->start_s >= prev - 1e-9);
				prev = e->end_s;
			}
		}
		assert_int_equal(snap.results[N - 1], (int64_t)N * N);
		run_free(run);

		s = spec_of("spin", (enum backend_kind)b, 2, 1, slow, 4);
		run = run_to_end(&s, &snap);
		assert_int_equal(snap.items_grouped, 0);
		for (size_t i = 0; i < 4; i++)
			assert_true(run_item_event(&snap, i).end_s -
			                run_item_event(&snap, i).start_s >
			            0.004);
		run_free(run);
	}
	assert_no_children();
}

/* One Process: RUNNING with a pid, EXITED as a zombie until the join, then JOINED. */
static void test_process_demo(void **state)
{
	struct proc_demo *d = NULL;
	struct proc_demo_snap snap;
	char err[ENGINE_ERRLEN];
	bool saw_running = false, saw_zombie = false;
	double t0 = now_s();

	(void)state;
	/* it sleeps 150 ms: long enough for a poll to see it running, however loaded
	 * the machine (a hello can be gone before the first poll) */
	assert_int_equal(proc_demo_start(task_find("sleep"), 150, 600, &d, err, sizeof(err)), 0);
	while (!proc_demo_poll(d, &snap)) {
		if (snap.state == PROC_RUNNING) {
			saw_running = true;
			assert_true(snap.pid > 0);
		}
		if (snap.state == PROC_EXITED && snap.proc_state == 'Z')
			saw_zombie = true;
		assert_true(now_s() - t0 < 5);
		usleep(5000);
	}
	assert_true(saw_running);
	assert_true(saw_zombie);
	assert_int_equal(snap.state, PROC_JOINED);
	assert_int_equal(snap.exit_code, 0);
	assert_int_equal(snap.parent_pid, getpid());
	assert_true(snap.started_s >= 0 && snap.exited_s >= snap.started_s);
	assert_true(snap.joined_s >= 0.6 && snap.joined_s >= snap.exited_s);
	assert_true(snap.exited_s - snap.started_s >= 0.15);
	assert_int_equal(snap.n_output, 0);
	assert_true(snap.has_result); /* sleep returns its n, as the Process's result */
	assert_int_equal(snap.result, 150);
	proc_demo_free(d);
	assert_no_children();

	/* a crashing Process: its exit code says which signal */
	assert_int_equal(proc_demo_start(task_find("crash"), 3, 0, &d, err, sizeof(err)), 0);
	assert_int_equal(proc_demo_wait(d, -1, &snap), 0);
	assert_int_equal(snap.exit_code, -SIGSEGV);
	proc_demo_free(d);
	/* a square: the result comes back; a long sleep freed early is killed and reaped */
	assert_int_equal(proc_demo_start(task_find("square"), 12, 0, &d, err, sizeof(err)), 0);
	assert_int_equal(proc_demo_wait(d, -1, &snap), 0);
	assert_true(snap.has_result);
	assert_int_equal(snap.result, 144);
	proc_demo_free(d);
	assert_int_equal(proc_demo_start(task_find("sleep"), 60000, 0, &d, err, sizeof(err)), 0);
	proc_demo_free(d);
	assert_no_children();
	assert_int_equal(proc_demo_start(task_find("spin"), 60001, 0, &d, err, sizeof(err)), -1);
	assert_null(d);
}

/* Workers that cannot all be made: a message naming which, and nothing left behind.
 * Runs in a child with few fds allowed, so the test process keeps its limits. */
static void test_start_fails_part_way(void **state)
{
	int st;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = {.rlim_cur = 24, .rlim_max = 24};
		int64_t items[] = {1, 2, 3};
		char err[ENGINE_ERRLEN] = "";
		struct run *run = NULL;
		int bad = 0;

		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			_exit(10);
		for (int b = BACKEND_PROCESS; b <= BACKEND_GIL; b++) {
			struct run_spec s =
			    spec_of("square", (enum backend_kind)b, 50, 1, items, 3);

			if (run_start(&s, &run, err, sizeof(err)) != -1 || run != NULL)
				bad |= 1;
			if (!strstr(err, "cannot start worker ") || !strstr(err, " of 50: pipe: "))
				bad |= 2;
			if (waitpid(-1, NULL, WNOHANG) != -1 || errno != ECHILD)
				bad |= 4;
		}
		_exit(bad);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* The nice of thread tid of process pid (field 19 of its stat), -100 unreadable. */
static int nice_of(pid_t pid, pid_t tid)
{
	char path[64], buf[1024];
	FILE *f;
	char *p;
	int nice = -100;

	snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	f = fopen(path, "r");
	if (!f)
		return -100;
	if (fgets(buf, sizeof buf, f) && (p = strrchr(buf, ')')))
		sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %d",
		       &nice);
	fclose(f);
	return nice;
}

/* Poll run until every one of its workers has a thread and has started
 * (running: is running an item), 5 s at most; how many did, in *snap's. */
static int workers_started(struct run *run, struct run_snapshot *snap, bool running)
{
	int seen = 0;

	for (double t0 = now_s(); now_s() - t0 < 5.0; usleep(5000)) {
		run_poll(run, snap);
		seen = 0;
		for (int w = 0; w < snap->workers; w++)
			seen += snap->per_worker[w].tid > 0 &&
			        (running ? snap->per_worker[w].state == WORKER_RUNNING
			                 : snap->per_worker[w].state != WORKER_STARTING);
		if (seen == snap->workers)
			break;
	}
	return seen;
}

/* worker_nice: each worker, process or thread, runs at that nice from its
 * start; the caller's own thread keeps its own. */
static void test_worker_nice(void **state)
{
	int64_t items[] = {400, 400};

	(void)state;
	for (int b = BACKEND_PROCESS; b <= BACKEND_THREAD; b++) {
		struct run_spec s = spec_of("sleep", (enum backend_kind)b, 2, 1, items, 2);
		struct run_snapshot snap;
		char err[ENGINE_ERRLEN];
		struct run *run = NULL;

		s.worker_nice = 7;
		assert_int_equal(run_start(&s, &run, err, sizeof(err)), 0);
		assert_int_equal(workers_started(run, &snap, false), 2);
		for (int w = 0; w < snap.workers; w++)
			assert_int_equal(nice_of(snap.per_worker[w].pid, snap.per_worker[w].tid),
			                 7);
		assert_int_equal(getpriority(PRIO_PROCESS, 0), 0); /* not ours */
		run_cancel(run);
		assert_int_equal(run_wait(run, -1, &snap), 0);
		run_free(run);
	}
	assert_no_children();
	/* outside 0..19: refused, naming what is allowed */
	struct run_spec bad = spec_of("sleep", BACKEND_PROCESS, 2, 1, items, 2);
	char err[ENGINE_ERRLEN];
	struct run *run = NULL;

	bad.worker_nice = 20;
	assert_int_equal(run_start(&bad, &run, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "0..19"));
}

/* The CPUs a task may run on, as /proc says them ("0-1"), into buf; "" unknown. */
static void cpus_allowed_of(const char *path, char *buf, size_t len)
{
	char line[256];
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "Cpus_allowed_list: %63s", buf) == 1)
			break;
	if (f)
		fclose(f);
	(void)len;
}

/* Workers no more than the CPUs wait at the gate pinned one a CPU, and are
 * let free as it opens: while their items run, each may use every CPU its
 * caller may (process and thread). */
static void test_worker_affinity(void **state)
{
	int64_t items[] = {300, 300};
	char mine[64], theirs[64], path[96];

	(void)state;
	cpus_allowed_of("/proc/self/status", mine, sizeof mine);
	assert_true(mine[0] != '\0');
	for (int b = BACKEND_PROCESS; b <= BACKEND_THREAD; b++) {
		struct run_spec s = spec_of("sleep", (enum backend_kind)b, 2, 1, items, 2);
		struct run_snapshot snap;
		char err[ENGINE_ERRLEN];
		struct run *run = NULL;

		assert_int_equal(run_start(&s, &run, err, sizeof(err)), 0);
		assert_int_equal(workers_started(run, &snap, true), 2);
		for (int w = 0; w < snap.workers; w++) {
			snprintf(path, sizeof path, "/proc/%d/task/%d/status",
			         (int)snap.per_worker[w].pid, (int)snap.per_worker[w].tid);
			cpus_allowed_of(path, theirs, sizeof theirs);
			assert_string_equal(theirs, mine);
		}
		run_cancel(run);
		assert_int_equal(run_wait(run, -1, &snap), 0);
		run_free(run);
	}
	assert_no_children();
}

/* A replacement first finishes the dead worker's chunk, in the same slot. */
static void test_crash_mid_chunk(void **state)
{
	int64_t items[12];
	struct run_snapshot snap;
	struct run_spec s;
	struct run *run;
	int restarts = 0, dead = 0;

	(void)state;
	for (int i = 0; i < 12; i++)
		items[i] = i + 1;
	s = spec_of("crash", BACKEND_PROCESS, 2, 4, items, 12); /* chunks 1-4, 5-8, 9-12 */
	run = run_to_end(&s, &snap);
	assert_int_equal(snap.n_failed, 4);
	assert_int_equal(snap.n_done, 8);
	for (int i = 0; i < 12; i++) {
		assert_int_equal(run_item_status(&snap, i), items[i] % 3 ? ITEM_DONE : ITEM_FAILED);
		if (items[i] % 3 && i % 4 &&
		    items[i - 1] % 3 == 0) { /* right after a crash, same chunk */
			assert_int_equal(run_item_event(&snap, i).worker,
			                 run_item_event(&snap, i - 1).worker);
			/* by the replacement: another process than the one that died */
			assert_int_not_equal(run_item_event(&snap, i).pid,
			                     run_item_event(&snap, i - 1).pid);
		}
		if (items[i] % 3 == 0 && i % 4) /* died where the item before it ran */
			assert_int_equal(run_item_event(&snap, i).pid,
			                 run_item_event(&snap, i - 1).pid);
		assert_true(run_item_event(&snap, i).pid > 0);
		assert_int_equal(run_item_event(&snap, i).pid, run_item_event(&snap, i).tid);
	}
	for (int w = 0; w < snap.workers; w++) {
		restarts += snap.per_worker[w].restarts;
		dead += snap.per_worker[w].state == WORKER_DEAD;
	}
	/* 3, 6 and 9 leave work in their chunk: replaced; 12 is the last item: not */
	assert_int_equal(restarts, 3);
	assert_int_equal(dead, 1);
	run_free(run);
	assert_no_children();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_chunksize),
	    cmocka_unit_test(test_fast_items_grouped),
	    cmocka_unit_test(test_backend_names),
	    cmocka_unit_test(test_results_in_order),
	    cmocka_unit_test(test_unordered_permutation),
	    cmocka_unit_test(test_output_captured),
	    cmocka_unit_test(test_counter_semantics),
	    cmocka_unit_test(test_crash_process),
	    cmocka_unit_test(test_crash_mid_chunk),
	    cmocka_unit_test(test_failure_times),
	    cmocka_unit_test(test_workers_ready_at_start),
	    cmocka_unit_test(test_crash_refused_on_threads),
	    cmocka_unit_test(test_bad_specs),
	    cmocka_unit_test(test_zero_items),
	    cmocka_unit_test(test_worker_killed),
	    cmocka_unit_test(test_cancel_prompt),
	    cmocka_unit_test(test_free_while_running),
	    cmocka_unit_test(test_per_worker_figures),
	    cmocka_unit_test(test_process_demo),
	    cmocka_unit_test(test_start_fails_part_way),
	    cmocka_unit_test(test_worker_nice),
	    cmocka_unit_test(test_worker_affinity),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
