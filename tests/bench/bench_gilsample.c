/*
 * bench_gilsample.c — what sampling a real interpreter's threads costs, and
 * the rate it gets, printed (never asserted: machines are noisy). For 2 and
 * 8 CPU-bound python3 threads under the GIL, and rates around the default
 * (THREADSAMPLE_DEFAULT_HZ), it prints the sampler thread's own CPU time per
 * second of sampling, per reading, the achieved rate, the longest gap
 * between ticks, and the held shares the readings give (under one GIL they
 * add up to about 1). BENCH_SECONDS=S changes the sampling time (default 2).
 * Without python3 on PATH it says so and ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/clock.h"
#include "engine/threadsample.h"

#define MAX_THREADS 8

/* n threads print their native ids and spin in pure Python for dur s. */
static const char bench_script[] = "import sys, threading, time\n"
                                   "n, dur = int(sys.argv[1]), float(sys.argv[2])\n"
                                   "out = threading.Lock()\n"
                                   "def work():\n"
                                   "    with out:\n"
                                   "        sys.stdout.write('%d\\n' % threading.get_native_id())\n"
                                   "        sys.stdout.flush()\n"
                                   "    end = time.monotonic() + dur\n"
                                   "    while time.monotonic() < end:\n"
                                   "        pass\n"
                                   "ts = [threading.Thread(target=work) for _ in range(n)]\n"
                                   "for t in ts:\n"
                                   "    t.start()\n"
                                   "for t in ts:\n"
                                   "    t.join()\n";

/* Start python3 on the script; its pid, its stdout in *out_fd; -1 if it cannot. */
static pid_t bench_spawn(int n, double dur, int *out_fd)
{
	char nbuf[16], dbuf[32];
	int p[2];
	pid_t pid;

	snprintf(nbuf, sizeof(nbuf), "%d", n);
	snprintf(dbuf, sizeof(dbuf), "%g", dur);
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(p[1], 1);
		execlp("python3", "python3", "-c", bench_script, nbuf, dbuf, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	*out_fd = p[0];
	return pid;
}

/* Read n thread ids, one a line, within 30 s; how many were read. */
static int bench_tids(int fd, pid_t *tids, int n)
{
	char buf[1024];
	size_t len = 0;
	int got = 0;

	while (got < n) {
		struct pollfd pf = {.fd = fd, .events = POLLIN};
		char *nl;
		ssize_t r;

		while (got < n && (nl = memchr(buf, '\n', len))) {
			*nl = '\0';
			tids[got++] = (pid_t)atoi(buf);
			len -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, len);
		}
		if (got == n)
			break;
		if (len == sizeof(buf) || poll(&pf, 1, 30000) <= 0)
			break;
		r = read(fd, buf + len, sizeof(buf) - len);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	return got;
}

/* One measure: n threads sampled at hz for secs; prints a row. -1 on error. */
static int bench_one(int n, double hz, double secs)
{
	struct threadsample_interval iv;
	struct threadsample_info info;
	struct threadsample *ts = NULL;
	pid_t tids[MAX_THREADS], pid;
	char err[256];
	double held = 0, readings = 0;
	int fd = -1, rc = -1;

	pid = bench_spawn(n, secs + 1.0, &fd);
	if (pid < 0) {
		fprintf(stderr, "bench_gilsample: cannot start python3: %s\n", strerror(errno));
		return -1;
	}
	if (bench_tids(fd, tids, n) != n) {
		fprintf(stderr, "bench_gilsample: python3 did not name its %d threads\n", n);
		goto out;
	}
	usleep(100000); /* every thread in its loop */
	if (threadsample_start(pid, hz, THREADSAMPLE_GIL, &ts, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_gilsample: %s\n", err);
		goto out;
	}
	for (int i = 0; i < n; i++)
		if (threadsample_add_tid(ts, tids[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "bench_gilsample: %s\n", err);
			goto out;
		}
	iv.start_ns = engine_now_ns();
	usleep((useconds_t)(secs * 1e6));
	iv.end_ns = engine_now_ns();
	threadsample_stop(ts);
	threadsample_info(ts, &info);
	for (int i = 0; i < n; i++) {
		struct threadsample_totals t;

		if (threadsample_totals(ts, tids[i], &iv, 1, &t, err, sizeof(err)) == 0) {
			held += t.held_s / ((double)(iv.end_ns - iv.start_ns) / 1e9);
			readings += (double)t.samples;
		}
	}
	printf("  %d threads  %6.0f Hz asked  %6.0f Hz got  max gap %5.2f ms  sampler CPU %6.2f "
	       "ms/s (%5.2f%% of a core)  %5.2f us a reading  held shares add up to %.2f\n",
	       n, hz, info.achieved_hz, info.max_gap_s * 1e3, info.cpu_s / info.wall_s * 1e3,
	       info.cpu_s / info.wall_s * 100, readings > 0 ? info.cpu_s / readings * 1e6 : 0,
	       held);
	rc = 0;
out:
	threadsample_free(ts);
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (fd >= 0)
		close(fd);
	return rc;
}

int main(void)
{
	static const double rates[] = {250, 1000, 4000};
	static const int threads[] = {2, 8};
	const char *s = getenv("BENCH_SECONDS");
	double secs = s ? atof(s) : 2.0;

	if (secs <= 0 || secs > 600)
		secs = 2.0;
	if (system("command -v python3 >/dev/null 2>&1") != 0) {
		printf("bench_gilsample: no python3 on PATH, nothing measured\n");
		return 0;
	}
	printf("bench_gilsample: sampling CPU-bound python3 threads' /proc syscall+stat for %.1f "
	       "s (default rate %.0f Hz)\n",
	       secs, THREADSAMPLE_DEFAULT_HZ);
	for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++)
		for (size_t r = 0; r < sizeof(rates) / sizeof(rates[0]); r++)
			if (bench_one(threads[t], rates[r], secs) < 0)
				return 1;
	return 0;
}
