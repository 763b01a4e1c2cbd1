/*
 * recording.h — a finished run, compare or Process demo kept in a file to be
 * replayed elsewhere (`--record FILE`, the tutor's `save FILE`, `mptutor
 * replay FILE`): versioned JSON, written with the streaming writer (jsonw.h)
 * and read back with json-c into the session's own recordings (record.h),
 * so the tutor and every report format take it as they take a run of their
 * own.
 *
 * The file: {"mptutor_recording": RECORDING_FORMAT, "mptutor_version",
 * "kind": "run"|"compare"|"process"|"sweep", "machine": {cores,
 * cpus_online, cpu_model, kernel, python_version}, "recorded_at" (ISO 8601,
 * UTC), "request": {task, items, workers, chunksize, backends,
 * sweep_workers...}, then "runs": [a snapshot each] (run: one, compare: one
 * per backend, sweep: one per point) or "process": {the demo}. A sweep also
 * has "sweep": {cpus (what its fit counts as the usable CPUs), points:
 * [{backend, workers, baseline (the index of the point its speedup is
 * against)}]}: the points in the order sweep_plan gives for the request, so
 * the reader checks them against it and rebuilds the report, fit and all,
 * with sweep_report_build from the runs' walls.
 *
 * The version rule: RECORDING_FORMAT grows when a field changes meaning or
 * a new one is needed to replay; a file of a newer format is refused ("made
 * by a newer mptutor (format N, this reads up to M)"), older formats this
 * one knows are read, anything else is refused. Unknown keys are ignored.
 * The kind "sweep" only adds (a new kind, and keys older readers ignore), so
 * the format stays 1: a reader from before it refuses such a file by its
 * kind ("'sweep' is no kind of recording (allowed: run, compare, process)"),
 * and run, compare and process files stay readable by it.
 *
 * A recording comes from someone else: the loader checks every field (type,
 * range, count, indices against the workers and items) before it allocates
 * for it, and refuses with the JSON path of the first bad field
 * ("runs[1].events[42].worker: 9 is out of range (allowed -1..3)"). It never
 * crashes or hangs, and reads at most RECORDING_MAX_BYTES.
 *
 * Contract: recording_load/parse fill a zeroed struct recording, or leave it
 * zeroed and return -1 with the message; recording_free frees what it owns
 * (safe twice). The writer only reads what it is given.
 */
#ifndef MPTUTOR_EXPORT_RECORDING_H
#define MPTUTOR_EXPORT_RECORDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "engine/engine.h"
#include "session/record.h"
#include "session/request.h"
#include "session/sweep.h"

#define RECORDING_FORMAT 1                       /* the format this build writes and reads */
#define RECORDING_FORMAT_OLDEST 1                /* the oldest it still reads */
#define RECORDING_MAX_BYTES (256L * 1024 * 1024) /* a bigger file is refused unread */
#define RECORDING_MAX_STRING 65536               /* longest string field, bytes */
#define RECORDING_MAX_OUTPUT 1000000             /* output lines of one run */
#define RECORDING_MAX_MARKS 1000000              /* gil timeline entries of one worker */
#define RECORDING_MAX_RUNS SWEEP_MAX_POINTS      /* runs of a sweep (a compare has BACKEND_COUNT) */

/* Where a recording was made. */
struct recording_machine {
	int cores;               /* CPUs usable by the pool (sched_getaffinity) */
	int cpus_online;         /* CPUs online */
	char cpu_model[128];     /* /proc/cpuinfo model name */
	char kernel[256];        /* uname */
	char python_version[32]; /* a py-* run's interpreter, "" if none was used */
};

/* A recording loaded from a file: the request it answered and what it recorded. */
struct recording {
	int format;                       /* mptutor_recording of the file */
	char mptutor_version[32];         /* the mptutor that made it */
	char recorded_at[40];             /* ISO 8601 */
	struct recording_machine machine; /* where it ran */
	struct run_request req;           /* kind, task, items, workers, chunksize, backends... */
	struct session_rec *runs; /* [n_runs] run: 1, compare: one per backend, sweep: per point */
	size_t n_runs;
	int sweep_cpus;               /* sweep: the usable CPUs its fit counts */
	bool has_demo;                /* process */
	struct session_proc_rec demo; /* the Process demo */
};

/* What to write: a finished run, compare or sweep (runs[n]) or demo. */
struct recording_src {
	const struct run_request *req;          /* kind, task, items...; not NULL */
	const struct run_snapshot *const *runs; /* run/compare: [n_runs] finished maps */
	size_t n_runs;
	const struct proc_demo_snap *demo;       /* process: the finished demo */
	const struct recording_machine *machine; /* NULL: this machine, now */
	const char *recorded_at;                 /* NULL: when the (first) map began */
	int sweep_cpus; /* sweep: the CPUs its report counted (0: this machine's) */
};

/* This machine as a recording names it (python_version from the runs, if any). */
void recording_machine_here(struct recording_machine *m, const struct run_snapshot *const *runs,
                            size_t n_runs);
/* Write src to out as a recording; 0, or -1 with a message (nothing to record,
 * a stream error). */
int recording_write(FILE *out, const struct recording_src *src, char *err, size_t errlen);
/* Write src to path, whole or not at all (as -o FILE); 0, or -1 with a message. */
int recording_save(const char *path, const struct recording_src *src, char *err, size_t errlen);
/* Can path be written? (before a run: a file beside it is made and removed) */
int recording_save_check(const char *path, char *err, size_t errlen);
/* The source of a loaded recording, to save it again or report it. */
void recording_src_of(const struct recording *rec, struct recording_src *src,
                      const struct run_snapshot **ptrs);
/* Parse text[len] into rec (zeroed first); -1 with "where: what" in err. */
int recording_parse(const char *text, size_t len, struct recording *rec, char *err, size_t errlen);
/* Read and parse the file at path; -1 with "PATH: where: what" in err. */
int recording_load(const char *path, struct recording *rec, char *err, size_t errlen);
/* Free what rec owns; it is zeroed after. */
void recording_free(struct recording *rec);

#endif
