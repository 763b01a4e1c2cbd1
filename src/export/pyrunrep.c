/*
 * pyrunrep.c — the pyrun report in text and JSON, the two rows of the format
 * table that can write one: how the script ended (exit status, the signal by
 * name, a timeout), wall and CPU time, the processes of its tree with their
 * sampled CPU, the most alive at once, and its output in arrival order.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "export/format.h"
#include "export/json.h"
#include "export/pyrunrep.h"

/* How a pyrun ended, as a person says it: "exit 0", "killed by SIGKILL (timeout)". */
const char *pyrun_report_end(const struct pyrun_snapshot *s, char *buf, size_t len)
{
	const char *why = s->timed_out ? " (timed out)" : s->cancelled ? " (stopped)" : "";
	if (!s->over)
		snprintf(buf, len, "running");
	else if (s->exit_code >= 0)
		snprintf(buf, len, "exit %d%s", s->exit_code, why);
	else if (s->term_sig > 0 && sigabbrev_np(s->term_sig))
		snprintf(buf, len, "killed by SIG%s%s", sigabbrev_np(s->term_sig), why);
	else
		snprintf(buf, len, "killed by signal %d%s", s->term_sig, why);
	return buf;
}

/* The text row's pyrun. */
int pyrun_report_text(FILE *out, const struct pyrun_snapshot *s, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	char end[96];
	fprintf(out, "pyrun %s (%s)\n", s->script, s->python);
	for (size_t i = 0; i < s->n_lines; i++)
		fprintf(out, "%s %s\n", s->lines[i].stream == 2 ? "!" : "|", s->lines[i].text);
	if (s->lines_dropped)
		fprintf(out, "  (%zu more lines not kept)\n", s->lines_dropped);
	fprintf(out, "%s  wall %.3f s  cpu %.3f s  peak processes %d\n",
	        pyrun_report_end(s, end, sizeof end), s->wall_s, s->cpu_s, s->peak_procs);
	if (s->timed_out)
		fprintf(out,
		        "timed out after %g s: every process of the script was killed "
		        "(--timeout S sets the limit)\n",
		        s->timeout_s);
	if (s->left_behind)
		fprintf(out,
		        "%d process%s left running after the script ended: killed and reaped\n",
		        s->left_behind, s->left_behind == 1 ? "" : "es");
	fprintf(out, "processes (CPU sampled from /proc every %.1f s):\n", s->sample_s);
	for (size_t i = 0; i < s->n_procs; i++)
		fprintf(out, "  pid %-7d ppid %-7d %-15s cpu %.2f s\n", (int)s->procs[i].pid,
		        (int)s->procs[i].ppid, s->procs[i].comm, s->procs[i].cpu_s);
	return 0;
}

/* The JSON object of a pyrun (caller puts it). */
struct json_object *pyrun_report_json(const struct pyrun_snapshot *s)
{
	struct json_object *o = json_object_new_object();
	char end[96];
	json_object_object_add(o, "script", json_object_new_string(s->script));
	json_object_object_add(o, "python", json_object_new_string(s->python));
	json_object_object_add(o, "exit",
	                       s->exit_code >= 0 ? json_object_new_int(s->exit_code) : NULL);
	const char *sig = s->term_sig > 0 ? sigabbrev_np(s->term_sig) : NULL;
	char signame[32];
	snprintf(signame, sizeof signame, "SIG%s", sig ? sig : "");
	json_object_object_add(o, "signal", sig ? json_object_new_string(signame) : NULL);
	json_object_object_add(o, "end",
	                       json_object_new_string(pyrun_report_end(s, end, sizeof end)));
	json_object_object_add(o, "timed_out", json_object_new_boolean(s->timed_out));
	json_object_object_add(o, "cancelled", json_object_new_boolean(s->cancelled));
	json_object_object_add(o, "timeout_s", json_object_new_double(s->timeout_s));
	json_object_object_add(o, "wall_s", json_object_new_double(s->wall_s));
	json_object_object_add(o, "cpu_s", json_object_new_double(s->cpu_s));
	json_object_object_add(o, "cpu_measured",
	                       json_object_new_string("wait4 rusage of the script and the "
	                                              "children it reaped; per process: sampled "
	                                              "from /proc"));
	json_object_object_add(o, "peak_processes", json_object_new_int(s->peak_procs));
	json_object_object_add(o, "left_behind", json_object_new_int(s->left_behind));
	struct json_object *procs = json_object_new_array();
	for (size_t i = 0; i < s->n_procs; i++) {
		struct json_object *p = json_object_new_object();
		json_object_object_add(p, "pid", json_object_new_int(s->procs[i].pid));
		json_object_object_add(p, "ppid", json_object_new_int(s->procs[i].ppid));
		json_object_object_add(p, "comm", json_object_new_string(s->procs[i].comm));
		json_object_object_add(p, "cpu_s", json_object_new_double(s->procs[i].cpu_s));
		json_object_object_add(p, "first_s", json_object_new_double(s->procs[i].first_s));
		json_object_object_add(p, "last_s", json_object_new_double(s->procs[i].last_s));
		json_object_array_add(procs, p);
	}
	json_object_object_add(o, "processes", procs);
	struct json_object *lines = json_object_new_array();
	for (size_t i = 0; i < s->n_lines; i++) {
		struct json_object *l = json_object_new_object();
		json_object_object_add(l, "t_s", json_object_new_double(s->lines[i].t_s));
		json_object_object_add(
		    l, "stream",
		    json_object_new_string(s->lines[i].stream == 2 ? "stderr" : "stdout"));
		json_object_object_add(l, "text", json_object_new_string(s->lines[i].text));
		json_object_array_add(lines, l);
	}
	json_object_object_add(o, "output", lines);
	json_object_object_add(o, "output_dropped",
	                       json_object_new_int64((int64_t)s->lines_dropped));
	return o;
}

/* The json row's pyrun: one line. */
int pyrun_report_json_write(FILE *out, const struct pyrun_snapshot *s, char *err, size_t errlen)
{
	struct json_object *o = pyrun_report_json(s);
	if (!o) {
		snprintf(err, errlen, "out of memory building the JSON report");
		return -1;
	}
	fprintf(out, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return 0;
}
