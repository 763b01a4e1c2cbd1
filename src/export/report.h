/*
 * report.h — what every report format shares (format.h is the table of
 * formats): the results list as Python prints it and seconds as a person
 * reads them (the tutor's panels show both), a compare row's reference run,
 * the output orders of repeated runs (run/process --repeat N; the tally is
 * session/orders.h) most frequent first, and the `tasks` listing.
 * Everything here reads snapshots; nothing touches a run.
 */
#ifndef MPTUTOR_EXPORT_REPORT_H
#define MPTUTOR_EXPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/engine.h"
#include "session/orders.h"

/* The results of a snapshot as Python prints a list: "[1, 4, 9, 16, 25]";
 * None where an item failed or the task returns nothing, ? where an item is
 * not done yet; completion order if the run is unordered. When the list is
 * longer than max_chars (0: no limit but len), its head and tail are kept:
 * "[1, 4, 9, ..., 9801, 10000] (100 items)". Always NUL-terminates buf (len
 * >= 1) and returns the length written. */
int report_format_pylist(char *buf, size_t len, const struct run_snapshot *s, size_t max_chars);

/* Seconds for a person: "1.23 s", "4.5 ms", "120 us". */
void report_format_secs(char *buf, size_t len, double s);

/* Bytes for a person: "812 B", "1.2 kB", "3.4 MB" (powers of 1000). */
void report_format_bytes(char *buf, size_t len, long long b);
/* What a build does with the GIL: "GIL on", "free-threaded, no GIL"... (static). */
const char *report_python_gil_word(bool free_threaded, bool gil_on);
/* A py-* run's interpreter in one line: "CPython 3.11.7, GIL on, fork; interpreter
 * start 64 ms; pool start 10 ms; pickled 1.2 kB out, 0.8 kB back (5 + 5 messages)";
 * "" when s->python is NULL. Always NUL-terminates buf (len >= 1). */
void report_python_summary(char *buf, size_t len, const struct run_snapshot *s);
/* Wall time per item of a finished map (its hand-off cost at its chunksize); 0 if no items. */
double report_per_item_s(const struct run_snapshot *s);

/* `tasks`: one line per task: name, default ITEMS, what one item does. */
void report_tasks(FILE *out);

/* "×" where the locale speaks UTF-8, else "x" (a static string). */
const char *report_times(void);
/* The one-word state of a worker ("running", "gil-wait"...), static. */
const char *report_worker_state(enum worker_state st);
/* The positions of an unordered run's results list: completion order, then
 * the items not completed; NULL for an ordered run (the identity), and NULL
 * with *oom set when out of memory. Caller frees. */
size_t *report_sequence(const struct run_snapshot *s, bool *oom);

/* Do two finished runs of the same items give the same results? */
bool report_results_match(const struct run_snapshot *a, const struct run_snapshot *b);
/* A compare row's reference: the run of s's family baseline among snaps (s
 * itself for a serial run), or NULL when this compare has none. */
const struct run_snapshot *report_reference(const struct run_snapshot *s,
                                            const struct run_snapshot *const *snaps, size_t n);

/* What other work took of the machine over a compare's runs, as one load. */
void report_compare_machine(const struct run_snapshot *const *snaps, size_t n,
                            struct machine_load *out);
/* Other work's share of the machine as a person reads it: "12%", or "-" when
 * the span was too short to judge. Returns buf. */
const char *report_machine_pct(const struct machine_load *l, char *buf, size_t len);
/* The load row s's speedup was measured under: its span and its family
 * baseline's among snaps together (machine_load_speedup decides). */
void report_speedup_machine(const struct run_snapshot *s, const struct run_snapshot *const *snaps,
                            size_t n, struct machine_load *out);
/* A load's note for a person, "" when it does not spoil speedups (machine.h
 * decides): "the machine was 40% busy with other work: speedups are low". */
const char *report_machine_note(const struct machine_load *l, char *buf, size_t len);

/* The distinct orders, most frequent first, as pointers into o (valid while
 * o is); NULL when out of memory. Caller frees the array. */
const struct session_order **report_orders_sorted(const struct session_orders *o);

#endif
