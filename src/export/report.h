/*
 * report.h — what a finished run, a comparison or a series of runs looks
 * like to a person (text at a glance) and to a program (JSON built with
 * json-c, keys as DESIGN.md §1 lists them). Reports read snapshots; they
 * never touch a run. The Python-list formatter is shared with the tutor.
 */
#ifndef MPTUTOR_EXPORT_REPORT_H
#define MPTUTOR_EXPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "engine/engine.h"
#include "session/request.h"

/* The results of a snapshot as Python prints a list: "[1, 4, 9, 16, 25]";
 * None where an item failed or the task returns nothing, ? where an item is
 * not done yet; completion order if the run is unordered. When the list is
 * longer than max_chars (0: no limit but len), its head and tail are kept:
 * "[1, 4, 9, ..., 9801, 10000] (100 items)". Always NUL-terminates buf (len
 * >= 1) and returns the length written. */
int report_format_pylist(char *buf, size_t len, const struct run_snapshot *s, size_t max_chars);

/* Seconds for a person: "1.23 s", "4.5 ms", "120 us". */
void report_format_secs(char *buf, size_t len, double s);

/* `tasks`: one line per task: name, default ITEMS, what one item does. */
void report_tasks(FILE *out);

/* A finished run as text: header, timing, workers, results, output, errors. */
void report_run_text(FILE *out, const struct run_snapshot *s);
/* A finished run as a JSON object (caller puts it). */
struct json_object *report_run_json(const struct run_snapshot *s);

/* A comparison: snaps[i] is one backend's finished run; the serial run, if
 * any, is the reference for speedup and results_match. */
void report_compare_text(FILE *out, const struct run_request *req,
                         const struct run_snapshot *const *snaps, size_t n);
struct json_object *report_compare_json(const struct run_request *req,
                                        const struct run_snapshot *const *snaps, size_t n);
/* Do two finished runs of the same items give the same results? */
bool report_results_match(const struct run_snapshot *a, const struct run_snapshot *b);

/* The output orders seen over repeated runs (run/process --repeat N). */
struct report_order {
	int64_t *values; /* the order: printed numbers, or items in completion order */
	size_t n;        /* length of values */
	int count;       /* runs that gave this order */
};
struct report_orders {
	struct report_order *orders; /* distinct orders, in first-seen order */
	size_t n_orders;
	int runs; /* runs added */
};
/* Add one finished run's order; -1 when out of memory. */
int report_orders_add(struct report_orders *o, const struct run_snapshot *s);
/* Add one finished process demo's order (the numbers printed, in the order the
 * writes reached the shared pipe; else the items by exit); -1 when out of memory. */
int report_orders_add_process(struct report_orders *o, const struct proc_demo_snap *s);
/* "orders seen in 20 runs: 0 1 2 3 x12, 1 0 2 3 x5" (most frequent first). */
void report_orders_text(FILE *out, const struct report_orders *o);
/* {"runs":N, "orders":[{"order":[..], "count":..}]} */
struct json_object *report_orders_json(const struct report_orders *o);
void report_orders_free(struct report_orders *o);

/* One Process (the process command): its life, result and output. */
void report_process_text(FILE *out, const struct run_request *req, const struct proc_demo_snap *s);
struct json_object *report_process_json(const struct run_request *req,
                                        const struct proc_demo_snap *s);

/* Print a JSON object on one line to out, and free nothing. */
void report_json_print(FILE *out, struct json_object *obj);

#endif
