/*
 * request.h — what a run, compare or process command asks for, parsed from
 * its words by cmd/ (options.c) and turned into engine specs here, in one
 * place, so the CLI, the plain REPL and the tutor run the same maps for the
 * same line: the same workers, chunksize and backend order.
 */
#ifndef MPTUTOR_SESSION_REQUEST_H
#define MPTUTOR_SESSION_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

struct export_format; /* export/format.h: a report format (session never looks inside) */

#define RUN_REQUEST_PATH_MAX 1024 /* longest --python PATH */
#define RUN_REQUEST_SWEEP_MAX 256 /* worker counts in one sweep */

/* Which command a run request is for. */
enum run_kind { RUNKIND_RUN, RUNKIND_COMPARE, RUNKIND_PROCESS, RUNKIND_SWEEP };

/* A parsed run / compare / process / sweep command. Owns items. */
struct run_request {
	enum run_kind kind;
	const struct task *task;
	int64_t *items;
	size_t n_items;
	enum backend_kind backend;                 /* run: -b (default process) */
	enum backend_kind backends[BACKEND_COUNT]; /* compare, sweep: -b LIST, in table order */
	size_t n_backends; /* compare: how many (default: backend_default_list; sweep: process) */
	int sweep_workers[RUN_REQUEST_SWEEP_MAX]; /* sweep: -w LIST|A..B, ascending, no repeats
	                                             (default 1 .. twice the usable CPUs) */
	size_t n_sweep_workers;
	int workers;    /* -w, or engine_default_workers() */
	long chunksize; /* -c, or engine_default_chunksize() */
	bool chunksize_given;
	bool workers_given;
	bool unordered;                     /* --unordered */
	double switch_interval_s;           /* --switch-interval MS (default 5 ms) */
	const struct export_format *format; /* --format NAME (--json: json); NULL: text */
	char *output;          /* -o FILE: where the report goes (owned); NULL or "-": stdout */
	char *record;          /* --record FILE: where the recording goes (owned); NULL: none */
	int repeat;            /* run/process --repeat N (default 1) */
	int join_after_ms;     /* process --join-after MS (default 0) */
	bool join_after_given; /* process: --join-after given (several items: join them) */
	char python[RUN_REQUEST_PATH_MAX]; /* --python PATH (py-* backends); "": the engine's
	                                      choice ($MPTUTOR_PYTHON, else python3) */
	char start_method[16];   /* --start-method (py-process); "": the interpreter's default */
	int oversubscribed_nice; /* a map of more workers than usable CPUs runs them at this
	                            nice (0..19; 0: none): a screen drawing it keeps its turn */
};

/* Free what a request owns; safe on a zeroed request, and twice. */
void run_request_free(struct run_request *req);
/* A deep copy of src into dst (its items and output path); -1 when out of memory. */
int run_request_copy(struct run_request *dst, const struct run_request *src);
/* Fill an engine spec for one backend from a request (items, python and
 * start_method are borrowed: the spec must not outlive req):
 * a serial backend gets one worker and, unless -c was given, the chunksize
 * Pool.map's rule gives one worker. */
void run_request_spec(const struct run_request *req, enum backend_kind backend,
                      struct run_spec *spec);
/* The same for one point of a sweep: workers instead of -w, and unless -c
 * was given the chunksize Pool.map's rule gives that many workers. */
void run_request_sweep_spec(const struct run_request *req, enum backend_kind backend, int workers,
                            struct run_spec *spec);
/* process: the join_after_ms to hand proc_demo_start_items: --join-after if
 * given; else one Process is joined at its exit (p.start(); p.join()) and
 * several are never joined (the seed's loop): PROC_DEMO_NO_JOIN. */
int run_request_join_after(const struct run_request *req);

#endif
