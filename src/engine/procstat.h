/*
 * procstat.h — pure parsers for the kernel's /proc text (a task's stat line,
 * the cpu lines of /proc/stat) and readers of one task's stat file (once, or
 * kept open and read again: a poll of 256 workers then costs a pread each,
 * not an open, a read and a close). The parsers never touch the file
 * system, so they are tested on saved fixtures.
 */
#ifndef MPTUTOR_PROCSTAT_H
#define MPTUTOR_PROCSTAT_H

#include <stddef.h>
#include <sys/types.h>

/* The fields of /proc/<pid>/stat the engine uses. */
struct procstat {
	pid_t pid;                /* field 1 */
	char comm[64];            /* field 2, without the parentheses (may be cut) */
	char state;               /* field 3: R, S, D, Z, T, t, X, I... */
	unsigned long long utime; /* field 14, clock ticks in user mode */
	unsigned long long stime; /* field 15, clock ticks in kernel mode */
	int processor;            /* field 39: the CPU it last ran on */
};

/* One "cpu" or "cpuN" line of /proc/stat, in clock ticks. */
struct procstat_cpu {
	int cpu; /* -1 for the "cpu" total line, else N */
	unsigned long long user, nice, system, idle, iowait, irq, softirq, steal; /* ticks */
};

/* Parse a stat line of len bytes (no NUL needed); -1 if it is malformed. */
int procstat_parse(const char *line, size_t len, struct procstat *out);
/* Parse one cpu line of /proc/stat; -1 if it is not one. */
int procstat_parse_cpu(const char *line, struct procstat_cpu *out);
/* Read and parse /proc/<pid>/task/<tid>/stat; -1 if it is gone or malformed. */
int procstat_read(pid_t pid, pid_t tid, struct procstat *out);
/* Open /proc/<pid>/task/<tid>/stat for procstat_pread (O_CLOEXEC); an fd the
 * caller closes, or -1 with errno. The fd stays bound to that task: once it
 * is gone (even if its pid is reused) a read fails. */
int procstat_open(pid_t pid, pid_t tid);
/* Read from its start and parse a stat file procstat_open opened; -1 if its
 * task is gone or the line is malformed. */
int procstat_pread(int fd, struct procstat *out);

#endif
