/*
 * bench_engine.c — the engine's figures, printed (never asserted: machines
 * are noisy). Each is the median of several repetitions, set beside its goal,
 * its baseline measured in the same run, and the figure before the engine's
 * recording was reworked ("was"):
 *   - what one CLOCK_MONOTONIC read costs here (each item takes one: its end
 *     is the next one's start), the floor under a recorded item;
 *   - serial square 1..1000000: ns an item, every event recorded (goal <= 15);
 *   - process and thread on square 1..1000000 -w 2 (default chunksize): speed
 *     against serial's (goal >= 1.7) and CPU against serial's (goal <= 1.15);
 *   - square 1..100000 -w 2 -c 1: us an item (goal <= 0.05), every event kept;
 *     beside it the floor: the time one cache line takes to pass from one
 *     core to the other (two threads taking turns at a counter): a claim at
 *     chunksize 1 is a fetch_add on the shared next-chunk counter, and when
 *     the two workers' claims alternate each pays one such pass;
 *   - a pool of 1024 process workers started and stopped with no items,
 *     against 1024 bare fork()+waitpid() (goal ratio <= 1.5), and against
 *     the same forks held at a gate until the last is forked; a pool of 2
 *     (goal <= 0.4 ms); the bare forks from a trimmed heap, as the pool's
 *     are (the process pool hands freed heap back before it forks: the
 *     bigger maps above leave tens of MB of it); each twice, from the bench
 *     holding its million items (8 MB whose page tables every fork copies)
 *     and without them (a process of a user's size);
 *   - bytes an item of a 1,000,000-item run: the peak resident memory it added
 *     (arena plus the report's arrays, getrusage), and what it keeps after
 *     (the report, /proc/self/smaps_rollup); measured first, on a fresh heap.
 * First it prints the CPUs two spinning threads get right now: on a shared
 * machine speedups are bounded by it.
 * BENCH_REPS=N changes the repetitions (default 5).
 */
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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

/* A map's figures: which one bench_median_map returns. */
enum bench_what { BENCH_WALL, BENCH_START_STOP, BENCH_CPU };

/* Median of one figure over reps maps. */
static double bench_median_map(const char *task, enum backend_kind b, int workers, long chunk,
                               const int64_t *items, size_t n, int reps, enum bench_what what)
{
	double v[MAX_REPS];

	for (int r = 0; r < reps; r++) {
		struct run_snapshot snap;

		if (bench_map(task, b, workers, chunk, items, n, &snap) < 0)
			exit(1);
		v[r] = what == BENCH_WALL         ? snap.wall_s
		       : what == BENCH_START_STOP ? snap.startup_s + snap.teardown_s
		                                  : snap.cpu_s;
	}
	return bench_median(v, reps);
}

/* Median time to fork n children and reap them: children that exit at once
 * (gated false), or that wait at a gate until the last is forked, as a
 * pool's workers wait at its start gate (gated true: a pipe whose write end
 * the parent closes then). At once, each child's exit overlaps the next forks
 * on the other core; held at a gate, the forks and the exits come one after
 * the other, as they must in a pool, whose map starts only once it is whole. */
static double bench_bare_fork(int n, int reps, bool gated)
{
	double v[MAX_REPS];
	pid_t *p = calloc((size_t)n, sizeof(*p));

	if (!p)
		exit(1);
	for (int r = 0; r < reps; r++) {
		int gate[2] = {-1, -1};
		double t;

		if (gated && pipe(gate) != 0)
			exit(1);
		t = bench_now();
		for (int i = 0; i < n; i++) {
			p[i] = fork();
			if (p[i] == 0) {
				char c;

				if (gated) {
					close(gate[1]);
					if (read(gate[0], &c, 1) < 0) /* EOF: the gate opens */
						_exit(1);
				}
				_exit(0);
			}
		}
		if (gated)
			close(gate[1]);
		for (int i = 0; i < n; i++)
			if (p[i] > 0)
				waitpid(p[i], NULL, 0);
		v[r] = bench_now() - t;
		if (gated)
			close(gate[0]);
	}
	free(p);
	return bench_median(v, reps);
}

/* What one CLOCK_MONOTONIC read costs, ns (median of reps loops of a million). */
static double bench_clock_ns(int reps)
{
	double v[MAX_REPS];
	volatile int64_t sink = 0;

	for (int r = 0; r < reps; r++) {
		int64_t t = engine_now_ns();

		for (int i = 0; i < 1000000; i++)
			sink += engine_now_ns();
		v[r] = (double)(engine_now_ns() - t) / 1e6;
	}
	return bench_median(v, reps);
}

/* Resident bytes of this process now (/proc/self/smaps_rollup, counted from the
 * page tables), 0 unknown. */
static double bench_rss_bytes(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[256];
	long kb = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Rss: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return (double)kb * 1024;
}

/* The process's peak resident bytes so far (getrusage). */
static double bench_maxrss_bytes(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss * 1024;
}

/* Every item of a snapshot done, with a real start and end (end >= start), in the order. */
static bool bench_events_kept(const struct run_snapshot *snap)
{
	if (snap->n_order != snap->n_items || snap->n_done != snap->n_items)
		return false;
	for (size_t i = 0; i < snap->n_items; i++)
		if (run_item_event(snap, i).worker < 0 ||
		    run_item_event(snap, i).end_s < run_item_event(snap, i).start_s)
			return false;
	return true;
}

#define BENCH_N 1000000     /* items of the big maps */
#define BENCH_CLAIMS 100000 /* items of the chunksize-1 maps */

/* The counter two threads pass between them (bench_pingpong). */
static atomic_long bench_ball;

/* Take the counter whenever it is this thread's turn (even: 0, odd: 1),
 * BENCH_CLAIMS times in all between the two; arg: 0 or 1. */
static void *bench_pass(void *arg)
{
	long k = *(const int *)arg, c;

	while ((c = atomic_load_explicit(&bench_ball, memory_order_acquire)) < BENCH_CLAIMS)
		if ((c & 1) == k)
			atomic_store_explicit(&bench_ball, c + 1, memory_order_release);
	return NULL;
}

/* Nanoseconds for one cache line to go from one core to the other: two
 * threads taking turns at a counter (median of reps). Two workers claiming
 * items one at a time by turns pay one such pass a claim: the floor under -c 1. */
static double bench_pingpong_ns(int reps)
{
	static const int id[2] = {0, 1};
	double v[MAX_REPS];

	for (int r = 0; r < reps; r++) {
		pthread_t th[2];
		double t = bench_now();

		atomic_store(&bench_ball, 0);
		for (int k = 0; k < 2; k++)
			if (pthread_create(&th[k], NULL, bench_pass, (void *)&id[k]) != 0)
				exit(1);
		for (int k = 0; k < 2; k++)
			pthread_join(th[k], NULL);
		v[r] = (bench_now() - t) * 1e9 / BENCH_CLAIMS;
	}
	return bench_median(v, reps);
}

int main(void)
{
	const char *env = getenv("BENCH_REPS");
	int reps = env ? atoi(env) : 5;
	int64_t *squares = malloc(BENCH_N * sizeof(*squares));
	int64_t primes[8];
	double serial, serial_cpu, w, c, base, gated, capacity = 2.0;

	if (reps < 1 || reps > MAX_REPS)
		reps = 5;
	if (!squares)
		return 1;
	for (int i = 0; i < BENCH_N; i++)
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
	{ /* memory first, before other maps leave freed heap behind: arena plus report */
		struct run_spec spec = {
		    .task = task_find("square"),
		    .backend = BACKEND_SERIAL,
		    .workers = 1,
		    .chunksize = BENCH_N,
		    .items = squares,
		    .n_items = BENCH_N,
		};
		char err[ENGINE_ERRLEN];
		struct run_snapshot snap;
		struct run *run;
		double before = bench_rss_bytes(), after, peak0 = bench_maxrss_bytes();

		if (run_start(&spec, &run, err, sizeof(err)) < 0) {
			fprintf(stderr, "bench_engine: %s\n", err);
			return 1;
		}
		run_wait(run, -1, &snap);
		after = bench_rss_bytes();
		run_free(run);
		printf("  memory of a 1,000,000-item run: %.0f bytes/item at its peak (arena +"
		       " report, %.1f MB), %.0f bytes/item kept after it (the report)\n",
		       (bench_maxrss_bytes() - peak0) / BENCH_N,
		       (bench_maxrss_bytes() - peak0) / 1048576, (after - before) / BENCH_N);
	}
	c = bench_clock_ns(reps);
	printf("  one clock read (CLOCK_MONOTONIC): %.1f ns (an item takes one: the floor of"
	       " its cost)\n",
	       c);

	serial = bench_median_map("square", BACKEND_SERIAL, 1, BENCH_N, squares, BENCH_N, reps,
	                          BENCH_WALL);
	serial_cpu = bench_median_map("square", BACKEND_SERIAL, 1, BENCH_N, squares, BENCH_N, reps,
	                              BENCH_CPU);
	printf("  serial square 1..1000000: %.1f ns/item wall, %.1f ns/item CPU (goal <= 15;"
	       " was ~75)\n",
	       serial * 1e9 / BENCH_N, serial_cpu * 1e9 / BENCH_N);
	for (int b = BACKEND_PROCESS; b <= BACKEND_THREAD; b++) {
		long chunk = engine_default_chunksize(BENCH_N, 2);

		w = bench_median_map("square", (enum backend_kind)b, 2, chunk, squares, BENCH_N,
		                     reps, BENCH_WALL);
		c = bench_median_map("square", (enum backend_kind)b, 2, chunk, squares, BENCH_N,
		                     reps, BENCH_CPU);
		printf("  %-7s square 1..1000000 -w 2: speed %.2fx serial (goal >= 1.7; was 0.9),"
		       " CPU %.2fx serial's (goal <= 1.15; was 1.73)  [%.1f ms, serial %.1f ms]\n",
		       backend_name((enum backend_kind)b), serial / w, c / serial_cpu, w * 1e3,
		       serial * 1e3);
	}

	printf("  one cache line passed between the 2 cores: %.0f ns (a claim at -c 1 pays about"
	       " one when the workers' claims alternate: the floor under the next two)\n",
	       bench_pingpong_ns(reps));
	for (int b = BACKEND_PROCESS; b <= BACKEND_THREAD; b++) {
		double v[MAX_REPS];
		bool kept = true;

		for (int r = 0; r < reps; r++) {
			struct run_snapshot snap;
			struct run_spec spec = {
			    .task = task_find("square"),
			    .backend = (enum backend_kind)b,
			    .workers = 2,
			    .chunksize = 1,
			    .items = squares,
			    .n_items = 100000,
			};
			char err[ENGINE_ERRLEN];
			struct run *run;

			if (run_start(&spec, &run, err, sizeof(err)) < 0) {
				fprintf(stderr, "bench_engine: %s\n", err);
				return 1;
			}
			run_wait(run, -1, &snap);
			kept &= bench_events_kept(&snap);
			v[r] = snap.wall_s;
			run_free(run);
		}
		w = bench_median(v, reps);
		printf("  %-7s square 1..100000 -w 2 -c 1: %.3f us/item (goal <= 0.05; was"
		       " 0.085-0.14), every event kept: %s  [serial %.3f us/item]\n",
		       backend_name((enum backend_kind)b), w * 1e6 / BENCH_CLAIMS,
		       kept ? "yes" : "NO", serial * 1e6 / BENCH_N);
	}

	serial = bench_median_map("primes", BACKEND_SERIAL, 1, 1, primes, 8, reps, BENCH_WALL);
	printf("  primes 8x300000             serial   %.3f s (baseline)\n", serial);
	for (int b = BACKEND_PROCESS; b <= BACKEND_GIL; b++) {
		w = bench_median_map("primes", (enum backend_kind)b, 2, 1, primes, 8, reps,
		                     BENCH_WALL);
		printf("  primes 8x300000 -w 2        %-8s %.3f s  speedup %.2f (goal %s)\n",
		       backend_name((enum backend_kind)b), w, serial / w,
		       b == BACKEND_GIL ? "<= 1.1" : ">= 1.9");
	}

	/* twice: from this process as it is, holding the million squares (8 MB
	 * whose page tables every fork copies, bare or pooled, and every exit
	 * tears down: 0.09 ms a fork here), then without them, the size of a
	 * user's `mptutor run ... -w 1024` of few items */
	for (int held = 1; held >= 0; held--) {
		const char *from = held ? "holding 1M items" : "without them";

		if (!held) {
			free(squares);
			squares = NULL;
		}
		malloc_trim(0); /* the pool does as much before it forks: like with like */
		base = bench_bare_fork(1024, reps, false);
		gated = bench_bare_fork(1024, reps, true);
		w = bench_median_map("square", BACKEND_PROCESS, 1024, 0, NULL, 0, reps,
		                     BENCH_START_STOP);
		printf("  pool of 1024 processes, 0 items, %s: %.1f ms start+stop, %.2fx 1024 bare"
		       " fork+waitpid (goal <= 1.5; was 194 + 89 ms)  [bare %.1f ms; the same forks"
		       " held at a gate until the last, as a pool's are: %.1f ms, %.2fx bare, the"
		       " pool %.2fx them]\n",
		       from, w * 1e3, w / base, base * 1e3, gated * 1e3, gated / base, w / gated);
		base = bench_bare_fork(2, reps * 4, false);
		w = bench_median_map("square", BACKEND_PROCESS, 2, 0, NULL, 0, reps * 4,
		                     BENCH_START_STOP);
		printf("  pool of 2 processes, 0 items, %s: %.3f ms start+stop (goal <= 0.4)  [bare"
		       " fork+waitpid x2 %.3f ms, ratio %.2f]\n",
		       from, w * 1e3, base * 1e3, w / base);
	}
	w = bench_median_map("square", BACKEND_THREAD, 2, 0, NULL, 0, reps * 4, BENCH_START_STOP);
	printf("  pool of 2 threads, 0 items:   %.3f ms start+stop  [ratio to bare fork %.2f]\n",
	       w * 1e3, w / base);
	return 0;
}
