/*
 * json.h — the json format's writers (json.c): the streamed run and compare
 * documents, and json-c trees of them and of the small reports, which its
 * row in format.h writes out. Callers outside export/ go through the row
 * (export_run...); these are here for the row and for tests that read the
 * keys back. Each returns a new object the caller puts.
 */
#ifndef MPTUTOR_EXPORT_JSON_H
#define MPTUTOR_EXPORT_JSON_H

#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "engine/engine.h"
#include "engine/pythons.h"
#include "export/report.h"
#include "session/request.h"
#include "session/sweep.h"

/* A finished run, streamed to out as one line: task, backend, timings, items,
 * results, per_worker, events...; "repeat" when repeat is not NULL. Nothing
 * of the size of the run is held in memory but an unordered run's sequence.
 * 0, or -1 when out of memory (nothing written). */
int report_run_json_write(FILE *out, const struct run_snapshot *s,
                          const struct session_orders *repeat);
/* A comparison, streamed to out as one line: {"task", "items", "workers", "runs": [...]}. */
void report_compare_json_write(FILE *out, const struct run_request *req,
                               const struct run_snapshot *const *snaps, size_t n);
/* A sweep, streamed to out as one document: {"task", "items", "workers",
 * "cpus", "points", "curves", "baseline", "fit"}. */
void report_sweep_json_write(FILE *out, const struct run_request *req,
                             const struct sweep_report *r);
/* The same documents read back as json-c trees (for tests and small reports; a
 * tree of a million items is large): NULL when out of memory. */
struct json_object *report_run_json(const struct run_snapshot *s);
struct json_object *report_compare_json(const struct run_request *req,
                                        const struct run_snapshot *const *snaps, size_t n);
/* {"runs": N, "orders": [{"order": [..], "count": ..}]}, most frequent first. */
struct json_object *report_orders_json(const struct session_orders *o);
/* One Process, or several: each in "processes"; a single one also at the top level. */
struct json_object *report_process_json(const struct run_request *req,
                                        const struct proc_demo_snap *s);
/* {"pythons": [{"path", "version", "gil", "free_threaded", "start_methods", ...}]}. */
struct json_object *report_pythons_json(const struct python_info *py, size_t n);
/* Print a JSON object on one line to out, and free nothing. */
void report_json_print(FILE *out, struct json_object *obj);

#endif
