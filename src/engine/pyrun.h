/*
 * pyrun.h — a learner's Python script run with the real interpreter, in a
 * process group of its own, watched from /proc: its stdout and stderr line by
 * line as they come, every process of its tree (found by parent pid, again on
 * every sample, and by process group) with CPU %, core and state, the main
 * process's threads, and a timeline of each process's CPU over time. The
 * script ends by itself, by its timeout, or by pyrun_cancel; then every
 * process of its group is killed and reaped: nothing is left behind.
 *
 * Contract (call order, ownership):
 *   pyrun_start()   forks the interpreter (PYTHONUNBUFFERED=1, its own process
 *                   group, PR_SET_PDEATHSIG) and returns at once; -1 with a
 *                   message if the script or interpreter is missing.
 *   pyrun_poll()    never blocks (it may take a few ms to read /proc): reads
 *                   output, samples /proc at most every PYRUN_SAMPLE_S, sees
 *                   the end; 1 once over. The snapshot it fills points into the
 *                   run and is valid until the next poll/cancel/free.
 *   pyrun_wait()    polls until over; intr_fd (or -1) readable cancels.
 *   pyrun_cancel()  kills the whole group and reaps it before it returns
 *                   (at most ~2 s); safe more than once.
 *   pyrun_free()    cancels what is still going and frees.
 * While a run goes, mptutor is the child subreaper (PR_SET_CHILD_SUBREAPER), so
 * processes the script orphans come to it and are reaped by it; this is
 * turned off again once the group is gone. One run at a time.
 * CPU figures per process are sampled from /proc (the last sample before it
 * ended); the run's cpu_s is measured (wait4's rusage of the script, which
 * holds the children it reaped).
 */
#ifndef MPTUTOR_PYRUN_H
#define MPTUTOR_PYRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PYRUN_MAX_PROCS 64         /* processes of a tree shown and kept at most */
#define PYRUN_MAX_THREADS 32       /* threads of the main process shown */
#define PYRUN_SAMPLE_S 0.1         /* /proc sampling period */
#define PYRUN_HIST 256             /* timeline samples kept per process (halved when full) */
#define PYRUN_MAX_LINES 5000       /* output lines kept (more are counted, not kept) */
#define PYRUN_LINE_MAX 1024        /* a longer line is cut */
#define PYRUN_DEFAULT_TIMEOUT_S 60 /* --timeout's default */

/* What to run. */
struct pyrun_spec {
	const char *python; /* interpreter name or path (pythons_resolve); NULL: the default */
	const char *script; /* the file */
	char *const *args;  /* its arguments (n_args of them) */
	int n_args;
	double timeout_s; /* 0: PYRUN_DEFAULT_TIMEOUT_S */
};

/* One process of the script's tree. */
struct pyrun_proc {
	pid_t pid, ppid;
	char comm[32];            /* /proc comm */
	char state;               /* R, S, D, Z...; 'x' once gone */
	int core;                 /* the CPU it last ran on */
	double cpu_s;             /* utime + stime, sampled */
	double cpu_pct;           /* over the last sample period */
	double first_s;           /* seen first, seconds since start */
	double last_s;            /* seen last */
	int hist_from;            /* sample index of hist[0] */
	int n_hist;               /* samples in hist */
	uint8_t hist[PYRUN_HIST]; /* CPU % (0..100) per sample period */
};

/* One thread of the main process. */
struct pyrun_thread {
	pid_t tid;
	char comm[32];
	char state;
	int core;
	double cpu_pct;
};

/* One line of output. */
struct pyrun_line {
	double t_s; /* when it arrived, seconds since start */
	int stream; /* 1 stdout, 2 stderr */
	char *text; /* without its newline */
};

/* What a run looks like now. */
struct pyrun_snapshot {
	const char *python; /* the interpreter's path */
	const char *script; /* the script */
	bool over;          /* it ended (every process reaped) */
	bool timed_out;     /* the timeout ended it */
	bool cancelled;     /* pyrun_cancel ended it */
	int exit_code;      /* its exit status, -1 if killed by a signal */
	int term_sig;       /* the signal that ended it, 0 none */
	double timeout_s;   /* its timeout */
	double wall_s;      /* start to end (or now) */
	double cpu_s;       /* measured once over; sampled sum while going */
	pid_t pid;          /* the main process */
	int left_behind;    /* processes still there after the main one exited, killed */
	int peak_procs;     /* most processes alive at once */
	const struct pyrun_proc *procs; /* every process seen, first seen first */
	size_t n_procs;
	const struct pyrun_thread *threads; /* the main process's threads, last sample */
	size_t n_threads;
	const struct pyrun_line *lines; /* output in arrival order */
	size_t n_lines;
	size_t lines_dropped; /* lines past PYRUN_MAX_LINES */
	double sample_s;      /* the timeline's period now (doubles when it fills) */
	int n_samples;        /* samples taken */
};

/* One process as the tree scan sees it (pure input of pyrun_tree_select). */
struct pyrun_ent {
	pid_t pid, ppid, pgrp;
	char comm[32];
	char state;
	unsigned long long ticks; /* utime + stime */
	int core;
};

struct pyrun;

/* Start it; -1 with a message naming what is missing. */
int pyrun_start(const struct pyrun_spec *spec, struct pyrun **out, char *err, size_t errlen);
/* Advance without blocking; fills snap (may be NULL); 1 once over. */
int pyrun_poll(struct pyrun *r, struct pyrun_snapshot *snap);
/* Until over; intr_fd readable cancels. Fills snap (may be NULL). */
void pyrun_wait(struct pyrun *r, int intr_fd, struct pyrun_snapshot *snap);
/* Kill the group and reap it. */
void pyrun_cancel(struct pyrun *r);
/* The fds a caller's poll() may wait on (the output pipes), into fds[max]. */
int pyrun_pollfds(const struct pyrun *r, int *fds, int max);
/* The process group, or 0 once over (Ctrl-Z stops it with the tutor). */
pid_t pyrun_pgid(const struct pyrun *r);
/* Cancel and free; NULL is fine. */
void pyrun_free(struct pyrun *r);

/* Pure: parse a /proc/PID/stat line into e; -1 if malformed. */
int pyrun_parse_stat(const char *line, size_t len, struct pyrun_ent *e);
/* Pure: mark in keep[] the entries of ents[n] that belong to root's tree:
 * root, its descendants by ppid (repeatedly, to any depth), and any process
 * of pgrp (an orphan re-parented elsewhere). Returns how many. */
size_t pyrun_tree_select(const struct pyrun_ent *ents, size_t n, pid_t root, pid_t pgrp,
                         bool *keep);
/* Read procdir ("/proc", or a fixture tree) into ents[max]; returns count. */
size_t pyrun_proc_scan(const char *procdir, struct pyrun_ent *ents, size_t max);

#endif
