/*
 * pyrun.c — the pyrun command: FILE and its options parsed into an engine
 * pyrun spec; in the tutor the front end runs it live in its panels, else
 * it is run to its end here (a stop request on env->intr_fd kills its whole
 * process group) and reported through the format table. A relative FILE
 * that is not in the current directory is looked for in the course
 * directory, so a lesson block's `pyrun demos/queue.py` finds its demo.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/pyrun.h"
#include "cmd/signals.h"
#include "export/format.h"
#include "lesson/lesson.h"
#include "session/pyjob.h"

/* A usage message on env->err. */
static void pyrun_usage(struct cmd_env *env, const char *msg)
{
	fprintf(env->err, "%s%s\n", env->where == CMD_IN_CLI ? "mptutor: " : "", msg);
	fflush(env->err);
}

/* FILE as given, or in the course directory; into buf. */
static const char *pyrun_resolve_file(const char *file, char *buf, size_t len)
{
	if (file[0] == '/' || access(file, F_OK) == 0)
		return file;
	const char *dir = lesson_dir_find();
	if (dir && snprintf(buf, len, "%s/%s", dir, file) < (int)len && access(buf, F_OK) == 0)
		return buf;
	return file;
}

int cmd_exec_pyrun(struct cmd_env *env, int argc, char **argv)
{
	struct pyrun_spec spec = {0};
	const struct export_format *f = export_format_default();
	const char *file = NULL;
	char msg[600], pathbuf[PATH_MAX];
	int i = 1;
	for (; i < argc; i++) {
		const char *w = argv[i];
		const char *val = NULL;
		if (!strcmp(w, "--")) {
			i++;
			break;
		}
		if (!strcmp(w, "--python") || !strcmp(w, "--timeout") || !strcmp(w, "--format")) {
			if (i + 1 >= argc) {
				snprintf(msg, sizeof msg, "pyrun: %s needs a value (%s)", w,
				         !strcmp(w, "--python") ? "an interpreter, like python3.12"
				         : !strcmp(w, "--timeout") ? "seconds, like 30"
				                                   : "text or json");
				pyrun_usage(env, msg);
				return CMD_USAGE;
			}
			val = argv[++i];
		}
		if (!strcmp(w, "--python")) {
			spec.python = val;
		} else if (!strcmp(w, "--timeout")) {
			char *end;
			spec.timeout_s = strtod(val, &end);
			if (!*val || *end || !(spec.timeout_s > 0) || spec.timeout_s > 86400) {
				snprintf(
				    msg, sizeof msg,
				    "pyrun: --timeout '%s' is not a number of seconds (allowed: "
				    "> 0 and <= 86400, like 30)",
				    val);
				pyrun_usage(env, msg);
				return CMD_USAGE;
			}
		} else if (!strcmp(w, "--format") || !strcmp(w, "--json")) {
			const char *name = val ? val : "json";
			f = export_format_find(name);
			if (!f || export_format_check(f, EXPORT_PYRUN, msg, sizeof msg) != 0) {
				snprintf(
				    msg, sizeof msg,
				    "pyrun: --format '%s' is not one pyrun writes (allowed: text, "
				    "json)",
				    name);
				pyrun_usage(env, msg);
				return CMD_USAGE;
			}
		} else if (w[0] == '-' && w[1]) {
			snprintf(msg, sizeof msg,
			         "pyrun: unknown option '%s' (allowed: --python PATH, --timeout S, "
			         "--format text|json, --json, then -- ARGS for the script)",
			         w);
			pyrun_usage(env, msg);
			return CMD_USAGE;
		} else if (!file) {
			file = w;
		} else {
			snprintf(msg, sizeof msg,
			         "pyrun: one file only (got '%s' too); the script's own arguments "
			         "go after --, like pyrun demo.py -- 4",
			         w);
			pyrun_usage(env, msg);
			return CMD_USAGE;
		}
	}
	if (!file && i < argc)
		file = argv[i++];
	if (!file) {
		pyrun_usage(env, "pyrun needs a Python file, like pyrun demos/queue.py "
		                 "(options: --python PATH, --timeout S, --json, -- ARGS)");
		return CMD_USAGE;
	}
	spec.script = pyrun_resolve_file(file, pathbuf, sizeof pathbuf);
	spec.args = argv + i;
	spec.n_args = argc - i;
	if (access(spec.script, R_OK) != 0) {
		snprintf(msg, sizeof msg, "pyrun: cannot read %s: %s", file, strerror(errno));
		pyrun_usage(env, msg);
		return CMD_USAGE;
	}
	if (env->fe && env->fe->pyrun)
		return env->fe->pyrun(env, &spec);
	struct pyjob *j;
	if (pyjob_start(&spec, 1, NULL, &j, msg, sizeof msg) != 0) {
		pyrun_usage(env, msg);
		return CMD_USAGE;
	}
	pyjob_wait(j, env->intr_fd);
	const struct pyrun_snapshot *s = pyjob_snap(j, 0);
	int rc;
	if (pyjob_cancelled(j)) {
		int sig = signals_stopped();
		rc = sig ? 128 + sig : CMD_INTERRUPTED;
		fprintf(env->err, "%spyrun: stopped; every process of %s was killed and reaped\n",
		        env->where == CMD_IN_CLI ? "mptutor: " : "", file);
	} else if (export_pyrun(f, env->out, s, msg, sizeof msg) != 0) {
		pyrun_usage(env, msg);
		rc = CMD_USAGE;
	} else {
		rc = s->exit_code == 0 && !s->timed_out ? CMD_OK : CMD_FAILED;
	}
	fflush(env->out);
	pyjob_free(j);
	return rc;
}
