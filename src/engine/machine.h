/*
 * machine.h — the machine a run ran on, and how busy other work kept it
 * meanwhile. A speedup measured while something else took the cores is low
 * for a reason that has nothing to do with processes or threads; a report
 * that says so keeps a class from learning the wrong lesson from noise.
 *
 * How busy: /proc/stat's first line (every CPU's ticks) is read as the run
 * begins and again once every child is reaped; mptutor's own CPU and its
 * reaped children's (getrusage: the workers, and a Python interpreter with
 * the processes it reaped) over the same span are taken out. What is left is
 * the CPU other programs used, plus the time a hypervisor stole. The ticks
 * are USER_HZ (100 a second) on every CPU, so the figure is good to about
 * 2 ticks / (CPUs x wall): it is not reported for spans under 0.2 s.
 *
 * Contract: machine_load_begin() before the run starts; machine_load_end()
 * after its last child is reaped, from the same process; both only read.
 */
#ifndef MPTUTOR_MACHINE_H
#define MPTUTOR_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MACHINE_BUSY_MIN_S 0.2 /* shorter spans are not judged */
#define MACHINE_BUSY_WARN 0.15 /* others took this share or more: say so */

/* Where a run ran. */
struct machine_info {
	int cpus_online;     /* sysconf(_SC_NPROCESSORS_ONLN) */
	int cpus_usable;     /* sched_getaffinity: what a pool may use */
	char cpu_model[128]; /* /proc/cpuinfo "model name" (or "unknown") */
	char kernel[256];    /* uname: "Linux 6.1.0-18-amd64 x86_64" */
};

/* The two readings a load figure is made of. */
struct machine_load_mark {
	bool ok;                        /* /proc/stat was read */
	unsigned long long busy_ticks;  /* every CPU: user+nice+system+irq+softirq+steal */
	unsigned long long steal_ticks; /* every CPU: steal */
	unsigned long long total_ticks; /* busy + idle + iowait */
	int64_t self_ns;                /* our CPU and our reaped children's */
	int64_t t_ns;                   /* CLOCK_MONOTONIC */
	int cpus;                       /* CPUs online */
};

/* What other work took while a run ran. */
struct machine_load {
	bool valid;      /* both readings taken and the span long enough to judge */
	double span_s;   /* between the readings */
	double others_s; /* CPU seconds other programs used (and steal) */
	double steal_s;  /* of which a hypervisor stole */
	double busy;     /* others_s / (CPUs x span): the share of the machine, 0..1 */
	int cpus;        /* CPUs online at the end */
};

/* Fill info about this machine (never fails: unknown parts say so). */
void machine_info_read(struct machine_info *info);
/* Take a reading now. */
void machine_load_begin(struct machine_load_mark *mark);
/* Take the second reading and work out the load between the two. */
void machine_load_end(const struct machine_load_mark *begin, struct machine_load *out);
/* Pure: the load between two readings (tested on made-up readings). */
void machine_load_between(const struct machine_load_mark *a, const struct machine_load_mark *b,
                          long ticks_per_s, struct machine_load *out);
/* Pure: the load over several spans (a compare's rows) as one: their others'
 * CPU over their CPUs x spans; valid when the spans read add up to enough. */
void machine_load_sum(const struct machine_load *const *loads, size_t n, struct machine_load *out);
/* Pure: the load a speedup was measured under, from its run's load and its
 * baseline's (base NULL or the run itself: the run's own). Each alone is often
 * too short to judge (a compare's rows of 0.1 s), so the two spans are taken
 * together; but one long enough to judge that was busier than the pair counts
 * as it is: a quiet baseline does not hide a busy row. */
void machine_load_speedup(const struct machine_load *run, const struct machine_load *base,
                          struct machine_load *out);
/* Whether the load spoils speedups (valid and busy >= MACHINE_BUSY_WARN): the one test. */
bool machine_load_spoils(const struct machine_load *load);
/* One line for a person when the load spoils speedups ("the machine was 40% busy
 * with other work: speedups are low"), or "" when it does not; returns buf. */
const char *machine_load_note(const struct machine_load *load, char *buf, size_t len);
/* Parse /proc/stat's text into a mark's tick counts; -1 if it has no cpu line. */
int machine_parse_stat(const char *text, struct machine_load_mark *mark);
/* Parse /proc/cpuinfo's text for the model name into buf ("unknown" if none). */
void machine_parse_cpuinfo(const char *text, char *buf, size_t len);

#endif
