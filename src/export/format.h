/*
 * format.h — report formats as one ops table, as tmux's cmd_entry or htop's
 * MeterClass: a format is one `const struct export_format` row (text.c,
 * json.c) naming what it can write for each kind of report, and the front
 * ends call export_run / export_compare / export_process with the request's
 * format, never a branch of their own. A new format (csv, a chrome trace,
 * svg, png) is a new file with its row and one line in export_formats[].
 *
 * Every entry writes to the FILE * it is given, so a writer may stream a
 * report of a million items instead of building it in memory, and where the
 * report goes (stdout, or a file for -o FILE) is decided once, here, not in
 * the callers. Entries return 0, or -1 with a message in err.
 */
#ifndef MPTUTOR_EXPORT_FORMAT_H
#define MPTUTOR_EXPORT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "engine/engine.h"
#include "engine/machine.h"
#include "engine/pyrun.h"
#include "engine/pythons.h"
#include "export/report.h"
#include "session/request.h"
#include "session/sweep.h"

/* The kinds of report a format may write: one entry of the row each. */
enum export_kind {
	EXPORT_RUN,     /* one finished run (run) */
	EXPORT_COMPARE, /* several finished runs of the same items (compare) */
	EXPORT_PROCESS, /* a finished Process demo (process) */
	EXPORT_ORDERS,  /* the output orders seen over --repeat N runs, alone */
	EXPORT_PYTHONS, /* the interpreters found on PATH (pythons) */
	EXPORT_SWEEP,   /* a scaling sweep: its points and Amdahl's fit (sweep) */
	EXPORT_PYRUN,   /* a Python script run and watched (pyrun) */
	EXPORT_KIND_COUNT
};

/* One report format. An unset entry means "this format cannot write that";
 * export_format_check says so in a usage message. */
struct export_format {
	const char *name;    /* what --format takes: "json" */
	const char *summary; /* one line for help */
	/* One finished run; repeat is the tally of --repeat N runs, NULL for one. */
	int (*run)(FILE *out, const struct run_snapshot *s, const struct session_orders *repeat,
	           char *err, size_t errlen);
	/* A compare: snaps[i] is the finished run of req's i-th backend. */
	int (*compare)(FILE *out, const struct run_request *req,
	               const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen);
	/* A finished Process demo of req; repeat as for run. */
	int (*process)(FILE *out, const struct run_request *req, const struct proc_demo_snap *s,
	               const struct session_orders *repeat, char *err, size_t errlen);
	/* The orders seen over repeated runs, without the runs. */
	int (*orders)(FILE *out, const struct session_orders *o, char *err, size_t errlen);
	/* What the format itself asks of a request before the map runs (a
	 * picture: the drawing service, a file); NULL: nothing. 0, or -1 and why. */
	int (*check)(const struct run_request *req, char *err, size_t errlen);
	/* The interpreters pythons_find found: py[n], in PATH order (n may be 0). */
	int (*pythons)(FILE *out, const struct python_info *py, size_t n, char *err, size_t errlen);
	/* A sweep: r's points and fits; snaps[i] is point i's finished run (n == r->n_pts). */
	int (*sweep)(FILE *out, const struct run_request *req, const struct sweep_report *r,
	             const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen);
	/* A finished pyrun: the script's processes, output, exit. */
	int (*pyrun)(FILE *out, const struct pyrun_snapshot *s, char *err, size_t errlen);
};

/* The rows, in the order help lists them; the first is the default. */
extern const struct export_format export_text;
extern const struct export_format export_json;
extern const struct export_format export_csv;
extern const struct export_format export_chrome;
extern const struct export_format export_svg; /* picture.c */
extern const struct export_format export_png; /* picture.c */
extern const struct export_format *const export_formats[];
extern const size_t export_format_count;

/* The default format (text), for a request that chose none. */
const struct export_format *export_format_default(void);
/* The format named name ("json"), or NULL. */
const struct export_format *export_format_find(const char *name);
/* The format names, "text, json", into buf. */
void export_format_names(char *buf, size_t len);
/* The format names, NULL-terminated, static: for completion and hints. */
const char *const *export_format_words(void);
/* The word for a kind of report in messages: "a run", "a compare"... */
const char *export_kind_name(enum export_kind kind);
/* Can f (NULL: the default) write this kind of report? */
bool export_format_can(const struct export_format *f, enum export_kind kind);
/* 0 if f can write kind, else -1 and "--format csv cannot write a process
 * report (formats that can: text, json)" in err. */
int export_format_check(const struct export_format *f, enum export_kind kind, char *err,
                        size_t errlen);
/* The kind of report a request's command ends with (run, compare, process, sweep). */
enum export_kind export_kind_of(const struct run_request *req);

/* -o FILE: 0 if the report can go where req sends it: the format's own
 * check first (a picture needs the drawing service and a file), then
 * req->output (NULL or "-": stdout) checked by making and removing a file
 * beside it (a device or FIFO: by its permission); else -1 and the format's
 * message or "cannot write the report to PATH: REASON" in err. For a parser,
 * before the map runs. */
int export_output_check(const struct run_request *req, char *err, size_t errlen);

/* The reports, in req->format (NULL: text), written to out, or with -o FILE
 * (req->output) to that file instead: a regular file (or one not there yet;
 * through a symbolic link, the file it points to) is written as a new file
 * beside it, renamed over it once whole, so FILE is the whole report or left
 * as it was; a device or a FIFO (/dev/null, /dev/stdout) is written in place.
 * req is not NULL. Each returns 0, or -1 and a message in err (the format
 * cannot write this kind, the file could not be written, or the writer
 * failed). Nothing of the snapshots is kept. */
int export_run(const struct run_request *req, FILE *out, const struct run_snapshot *s,
               const struct session_orders *repeat, char *err, size_t errlen);
int export_compare(const struct run_request *req, FILE *out,
                   const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen);
int export_process(const struct run_request *req, FILE *out, const struct proc_demo_snap *s,
                   const struct session_orders *repeat, char *err, size_t errlen);
int export_orders(const struct run_request *req, FILE *out, const struct session_orders *o,
                  char *err, size_t errlen);
int export_sweep(const struct run_request *req, FILE *out, const struct sweep_report *r,
                 const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen);
/* The machine a report names (chrome's metadata, a picture's title): this
 * one, read now, unless export_machine_set gave the one a replayed recording
 * was made on. */
void export_machine(struct machine_info *m);
/* Name m in the reports from now on (NULL: this machine again). m must stay valid. */
void export_machine_set(const struct machine_info *m);
/* A writer of a document other than a report (a recording): 0, or -1 and why. */
typedef int (*export_writer_fn)(FILE *out, const void *arg, char *err, size_t errlen);
/* write's document to path (as -o FILE: a regular file replaced whole once written,
 * a device in place; "-": stdout); 0, or -1 with "cannot write the report to ..." */
int export_write_file(const char *path, export_writer_fn write, const void *arg, char *err,
                      size_t errlen);
/* The interpreters found (pythons [--format NAME]) in format f (NULL: text). */
int export_pythons(const struct export_format *f, FILE *out, const struct python_info *py, size_t n,
                   char *err, size_t errlen);

/* A finished pyrun in format f (NULL: text). */
int export_pyrun(const struct export_format *f, FILE *out, const struct pyrun_snapshot *s,
                 char *err, size_t errlen);

#endif
