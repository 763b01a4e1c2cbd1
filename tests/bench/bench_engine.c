/*
 * bench_engine.c — the engine's figures, printed (never asserted: machines
 * are noisy). Each is the median of several repetitions and is set beside a
 * baseline measured in the same run:
 *   - per-item cost of square 1..100000 -w 2 -c 1 on processes (goal <= 0.1 µs),
 *     against the same map on the serial backend;
 *   - speedup of primes 8x300000 -w 2 over serial (goal >= 1.9 process/thread,
 *     <= 1.1 gil);
 *   - a pool of 2 started and stopped with no items (goal <= 0.5 ms), against
 *     a bare fork()+waitpid() of two children.
 * First it prints the CPUs two spinning threads get right now: on a shared
 * machine the speedups are bounded by it.
 * BENCH_REPS=N changes the repetitions (default 5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/task.h"

#define MAX_REPS 50

/* Wall seconds. */
static double bench_now(void)
{
	return (double)engine_now_ns() / 1e9;
}

/* qsort order for doubles. */
static int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of n values (sorts them). */
static double bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One map to the end; the snapshot's figures in *snap. -1 on error. */
static int bench_map(const char *task, enum backend_kind b, int workers, long chunk,
                     const int64_t *items, size_t n, struct run_snapshot *snap)
{
	struct run_spec spec = {
	    .task = task_find(task),
	    .backend = b,
	    .workers = workers,
	    .chunksize = chunk,
	    .switch_interval_s = 0.005,
	    .items = items,
	    .n_items = n,
	};
	char err[ENGINE_ERRLEN];
	struct run *run;

	if (run_start(&spec, &run, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_engine: %s\n", err);
		return -1;
	}
	run_wait(run, -1, snap);
	if (snap->n_done != n) {
		fprintf(stderr, "bench_engine: %s on %s: %zu of %zu items done\n", task,
		        backend_name(b), snap->n_done, n);
		run_free(run);
		return -1;
	}
	run_free(run);
	return 0;
}

/* Median wall_s of reps maps (what='w'), or startup+teardown (what='s'). */
static double bench_median_map(const char *task, enum backend_kind b, int workers, long chunk,
                               const int64_t *items, size_t n, int reps, char what)
{
	double v[MAX_REPS];

	for (int r = 0; r < reps; r++) {
		struct run_snapshot snap;

		if (bench_map(task, b, workers, chunk, items, n, &snap) < 0)
			exit(1);
		v[r] = what == 'w' ? snap.wall_s : snap.startup_s + snap.teardown_s;
	}
	return bench_median(v, reps);
}

/* Median time to fork two children that exit at once and reap them. */
static double bench_bare_fork(int reps)
{
	double v[MAX_REPS];

	for (int r = 0; r < reps; r++) {
		double t = bench_now();
		pid_t p[2];

		for (int i = 0; i < 2; i++) {
			p[i] = fork();
			if (p[i] == 0)
				_exit(0);
		}
		for (int i = 0; i < 2; i++)
			if (p[i] > 0)
				waitpid(p[i], NULL, 0);
		v[r] = bench_now() - t;
	}
	return bench_median(v, reps);
}

int main(void)
{
	const char *env = getenv("BENCH_REPS");
	int reps = env ? atoi(env) : 5;
	static int64_t squares[100000];
	int64_t primes[8];
	double serial, w, base, capacity = 2.0;

	if (reps < 1 || reps > MAX_REPS)
		reps = 5;
	for (int i = 0; i < 100000; i++)
		squares[i] = i + 1;
	for (int i = 0; i < 8; i++)
		primes[i] = 300000;
	printf("bench_engine: medians of %d runs, %d CPUs\n", reps, engine_default_workers());
	{ /* what the machine gives two busy threads now: 2.00 on an idle 2-core machine */
		int64_t spin[] = {100, 100};
		struct run_snapshot snap;

		if (bench_map("spin", BACKEND_THREAD, 2, 1, spin, 2, &snap) == 0 && snap.wall_s > 0)
			capacity = snap.cpu_s / snap.wall_s;
		printf("  capacity: 2 spinning threads got %.2f CPUs (2.00 = idle; speedups"
		       " cannot exceed it)\n",
		       capacity);
	}

	serial = bench_median_map("square", BACKEND_SERIAL, 1, 1, squares, 100000, reps, 'w');
	w = bench_median_map("square", BACKEND_PROCESS, 2, 1, squares, 100000, reps, 'w');
	printf("  square 1..100000 -w 2 -c 1  process  %.4f s = %.3f us/item (goal <= 0.100)"
	       "  serial %.4f s = %.3f us/item  ratio %.2f\n",
	       w, w * 1e6 / 100000, serial, serial * 1e6 / 100000, w / serial);
	w = bench_median_map("square", BACKEND_THREAD, 2, 1, squares, 100000, reps, 'w');
	printf("  square 1..100000 -w 2 -c 1  thread   %.4f s = %.3f us/item  ratio %.2f\n", w,
	       w * 1e6 / 100000, w / serial);

	serial = bench_median_map("primes", BACKEND_SERIAL, 1, 1, primes, 8, reps, 'w');
	printf("  primes 8x300000             serial   %.3f s (baseline)\n", serial);
	for (int b = BACKEND_PROCESS; b <= BACKEND_GIL; b++) {
		w = bench_median_map("primes", (enum backend_kind)b, 2, 1, primes, 8, reps, 'w');
		printf("  primes 8x300000 -w 2        %-8s %.3f s  speedup %.2f (goal %s)\n",
		       backend_name((enum backend_kind)b), w, serial / w,
		       b == BACKEND_GIL ? "<= 1.1" : ">= 1.9");
	}

	base = bench_bare_fork(reps * 4);
	w = bench_median_map("square", BACKEND_PROCESS, 2, 0, NULL, 0, reps * 4, 's');
	printf("  pool of 2, 0 items          process  %.3f ms start+stop (goal <= 0.5)"
	       "  bare fork+wait x2 %.3f ms  ratio %.2f\n",
	       w * 1e3, base * 1e3, w / base);
	w = bench_median_map("square", BACKEND_THREAD, 2, 0, NULL, 0, reps * 4, 's');
	printf(
	    "  pool of 2, 0 items          thread   %.3f ms start+stop  ratio to bare fork %.2f\n",
	    w * 1e3, w / base);
	return 0;
}
