/*
 * text.h — the text format's writers (text.c), which its row in format.h
 * wraps. Callers outside export/ go through the row (export_run...); these
 * are here for the row and for tests that read one report at a time.
 */
#ifndef MPTUTOR_EXPORT_TEXT_H
#define MPTUTOR_EXPORT_TEXT_H

#include <stddef.h>
#include <stdio.h>

#include "engine/engine.h"
#include "engine/pythons.h"
#include "export/report.h"
#include "session/request.h"
#include "session/sweep.h"

/* A finished run: header, timing, workers, results, output, errors. */
void report_run_text(FILE *out, const struct run_snapshot *s);
/* A comparison: one row per backend, speedup against its family's baseline. */
void report_compare_text(FILE *out, const struct run_request *req,
                         const struct run_snapshot *const *snaps, size_t n);
/* "orders seen in 20 runs: 0 1 2 3 x12, 1 0 2 3 x5" (most frequent first). */
void report_orders_text(FILE *out, const struct session_orders *o);
/* The interpreters pythons_find found, a block each; none: a line saying so. */
void report_pythons_text(FILE *out, const struct python_info *py, size_t n);
/* One Process, or several started in a loop: their lives, then their output. */
void report_process_text(FILE *out, const struct run_request *req, const struct proc_demo_snap *s);
/* A sweep: a row per point, and per curve its baseline and Amdahl's fit. */
void report_sweep_text(FILE *out, const struct run_request *req, const struct sweep_report *r);

#endif
