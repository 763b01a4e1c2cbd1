/*
 * pyrunrep.h — the pyrun report (text and JSON rows of the format table).
 * JSON keys: script, python, exit (null if killed), signal ("SIGKILL" or
 * null), end, timed_out, cancelled, timeout_s, wall_s, cpu_s, peak_processes,
 * left_behind, processes [{pid, ppid, comm, cpu_s, first_s, last_s}],
 * output [{t_s, stream, text}].
 */
#ifndef MPTUTOR_EXPORT_PYRUNREP_H
#define MPTUTOR_EXPORT_PYRUNREP_H

#include <stddef.h>
#include <stdio.h>

#include "engine/pyrun.h"

struct json_object;

/* How it ended, into buf: "exit 0", "killed by SIGKILL (timed out)". */
const char *pyrun_report_end(const struct pyrun_snapshot *s, char *buf, size_t len);
/* The text report. */
int pyrun_report_text(FILE *out, const struct pyrun_snapshot *s, char *err, size_t errlen);
/* The JSON object (caller puts it), NULL out of memory. */
struct json_object *pyrun_report_json(const struct pyrun_snapshot *s);
/* The JSON report as one line. */
int pyrun_report_json_write(FILE *out, const struct pyrun_snapshot *s, char *err, size_t errlen);

#endif
