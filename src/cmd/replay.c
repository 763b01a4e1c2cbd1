/*
 * replay.c — the commands of recordings: `replay [FILE] [SPEED] [--format
 * NAME] [-o FILE]` (the last run again, slowly, or a recording file: in the
 * tutor, or reported headless as the original command's report), `save FILE`
 * (the last run as a recording) and `export FORMAT FILE` (the last run in
 * any report format), and --record FILE's writer every map command calls.
 */
#include "cmd/replay.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "export/format.h"
#include "export/recording.h"
#include "session/session.h"

#define REPLAY_DEFAULT_SPEED 10.0 /* replay's slow-down factor unless given */

/* A usage message to env->err, "mptutor: " first on the command line. */
static void replay_error(struct cmd_env *env, const char *msg)
{
	fprintf(env->err, "%s%s\n", env->where == CMD_IN_CLI ? "mptutor: " : "", msg);
	fflush(env->err);
}

/* Write the finished runs or demo of req to path as a recording. */
int cmd_record(struct cmd_env *env, const char *path, const struct run_request *req,
               const struct run_snapshot *const *runs, size_t n, const struct proc_demo_snap *demo,
               int sweep_cpus)
{
	struct recording_src src = {
	    .req = req, .runs = runs, .n_runs = n, .demo = demo, .sweep_cpus = sweep_cpus};
	char err[ENGINE_ERRLEN * 2];
	if (recording_save(path, &src, err, sizeof err) != 0) {
		replay_error(env, err);
		return CMD_USAGE;
	}
	return CMD_OK;
}

/* The snapshots of a finished session: its rows' (into *ptrs, allocated: the
 * caller frees it) or its demo; 0 when not all are there or out of memory. */
static size_t replay_session_snaps(const struct session *ss, const struct run_snapshot ***ptrs,
                                   const struct proc_demo_snap **demo)
{
	size_t n = 0, rows = session_n_rows(ss);
	*demo = session_kind(ss) == RUNKIND_PROCESS ? session_demo_snap(ss) : NULL;
	*ptrs = calloc(rows ? rows : 1, sizeof **ptrs);
	if (*ptrs == NULL)
		return 0;
	for (size_t i = 0; *demo == NULL && i < rows; i++) {
		(*ptrs)[n] = session_row_snap(ss, i);
		if ((*ptrs)[n] == NULL)
			return 0;
		n++;
	}
	return n;
}

/* Write a finished session to path as a recording. */
int cmd_record_session(struct cmd_env *env, const char *path, const struct session *ss)
{
	const struct run_snapshot **ptrs;
	const struct proc_demo_snap *demo;
	size_t n = replay_session_snaps(ss, &ptrs, &demo);
	const struct sweep_report *sw = session_sweep(ss);
	int rc;
	if (session_state(ss) == SESSION_RUNNING || (n == 0 && demo == NULL)) {
		replay_error(env, "nothing finished to save yet: run something first");
		rc = CMD_USAGE;
	} else {
		rc = cmd_record(env, path, session_request(ss), ptrs, n, demo,
		                sw != NULL ? sw->cpus : 0);
	}
	free(ptrs);
	return rc;
}

/* The report of a finished session in format f (NULL: text) to output (NULL:
 * env->out), as its command would print it. CMD_OK, CMD_FAILED (items failed),
 * CMD_USAGE (the format cannot, the file cannot be written). */
static int replay_report(struct cmd_env *env, const struct session *ss,
                         const struct export_format *f, const char *output)
{
	const struct run_snapshot **ptrs;
	const struct proc_demo_snap *demo;
	size_t n = replay_session_snaps(ss, &ptrs, &demo);
	char err[ENGINE_ERRLEN * 2];
	struct run_request req;
	if (n == 0 && demo == NULL) {
		free(ptrs);
		replay_error(env, "nothing finished to report yet: run something first");
		return CMD_USAGE;
	}
	if (run_request_copy(&req, session_request(ss)) != 0) {
		free(ptrs);
		replay_error(env, "out of memory");
		return CMD_FAILED;
	}
	free(req.output);
	req.output = output != NULL ? strdup(output) : NULL;
	req.format = f;
	bool failed = false;
	int w = export_output_check(&req, err, sizeof err);
	if (w == 0 && demo != NULL) {
		w = export_process(&req, env->out, demo, NULL, err, sizeof err);
		failed = session_demo_failed(demo);
	} else if (w == 0 && req.kind == RUNKIND_SWEEP) { /* the report the sweep made */
		w = export_sweep(&req, env->out, session_sweep(ss), ptrs, n, err, sizeof err);
	} else if (w == 0 && req.kind == RUNKIND_COMPARE) {
		w = export_compare(&req, env->out, ptrs, n, err, sizeof err);
	} else if (w == 0) {
		w = export_run(&req, env->out, ptrs[0], NULL, err, sizeof err);
	}
	for (size_t i = 0; i < n; i++)
		failed |= ptrs[i]->n_failed > 0;
	free(ptrs);
	run_request_free(&req);
	fflush(env->out);
	if (w != 0) {
		replay_error(env, err);
		return CMD_USAGE;
	}
	return failed ? CMD_FAILED : CMD_OK;
}

/* What replay's words ask for. */
struct replay_args {
	const char *file;              /* a recording, or NULL: the last run */
	double speed;                  /* the slow-down factor */
	const struct export_format *f; /* --format, or NULL */
	const char *output;            /* -o FILE, or NULL */
};

/* "--format NAME": the format, or NULL and a message naming those there are. */
static const struct export_format *replay_format(struct cmd_env *env, const char *name)
{
	const struct export_format *f = export_format_find(name);
	if (f == NULL) {
		char names[256], msg[400];
		export_format_names(names, sizeof names);
		snprintf(msg, sizeof msg, "replay: --format '%.40s' is no format (allowed: %s)",
		         name, names);
		replay_error(env, msg);
	}
	return f;
}

/* Parse replay's words; -1 after a message. */
static int replay_parse(struct cmd_env *env, int argc, char **argv, struct replay_args *a)
{
	char msg[400];
	*a = (struct replay_args){.speed = REPLAY_DEFAULT_SPEED};
	bool speed_given = false;
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];
		const char *val = NULL;
		if (strcmp(w, "--json") == 0) {
			a->f = export_format_find("json");
			continue;
		}
		if (strncmp(w, "--format=", 9) == 0 || strncmp(w, "--output=", 9) == 0)
			val = w + 9;
		else if (strcmp(w, "--format") == 0 || strcmp(w, "-o") == 0 ||
		         strcmp(w, "--output") == 0) {
			if (i + 1 >= argc) {
				snprintf(msg, sizeof msg, "replay: %s needs a value", w);
				replay_error(env, msg);
				return -1;
			}
			val = argv[++i];
		}
		if (val != NULL) {
			if (w[2] == 'f') {
				if ((a->f = replay_format(env, val)) == NULL)
					return -1;
			} else if (val[0] == '\0') {
				replay_error(env, "replay: -o needs a FILE (or - for stdout)");
				return -1;
			} else {
				a->output = val;
			}
			continue;
		}
		char *end;
		double v = strtod(w, &end);
		if (w[0] != '\0' && *end == '\0') {
			if (speed_given || !(v > 0) || v > 1e6) {
				snprintf(
				    msg, sizeof msg,
				    "replay: '%s' is not a slow-down factor (allowed: one number "
				    "> 0 and <= 1000000, like 10)",
				    w);
				replay_error(env, msg);
				return -1;
			}
			a->speed = v;
			speed_given = true;
		} else if (w[0] == '-' && w[1] != '\0') {
			snprintf(msg, sizeof msg,
			         "replay: unknown option %.40s (allowed: SPEED, --format NAME, "
			         "--json, -o FILE)",
			         w);
			replay_error(env, msg);
			return -1;
		} else if (a->file != NULL) {
			snprintf(msg, sizeof msg,
			         "replay takes one recording (got '%.60s' and '%.60s')", a->file,
			         w);
			replay_error(env, msg);
			return -1;
		} else {
			a->file = w;
		}
	}
	return 0;
}

/* replay a recording file: load it (hostile: refused with where and what),
 * then the tutor opens it, or its report is printed. */
static int replay_file(struct cmd_env *env, const struct replay_args *a)
{
	struct recording rec;
	char err[ENGINE_ERRLEN * 2];
	if (recording_load(a->file, &rec, err, sizeof err) != 0) {
		replay_error(env, err);
		return CMD_USAGE;
	}
	bool headless =
	    a->f != NULL || a->output != NULL || env->fe == NULL || env->fe->replay_file == NULL ||
	    (env->where == CMD_IN_CLI && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)));
	if (!headless) {
		int rc = env->fe->replay_file(env, &rec, a->speed);
		recording_free(&rec);
		return rc;
	}
	struct session *ss;
	int rc;
	struct machine_info mi = {.cpus_online = rec.machine.cpus_online,
	                          .cpus_usable = rec.machine.cores};
	snprintf(mi.cpu_model, sizeof mi.cpu_model, "%s", rec.machine.cpu_model);
	snprintf(mi.kernel, sizeof mi.kernel, "%s", rec.machine.kernel);
	if (session_from_recording(&rec.req, rec.runs, rec.n_runs, rec.has_demo ? &rec.demo : NULL,
	                           rec.sweep_cpus, &ss, err, sizeof err) != 0) {
		replay_error(env, err);
		rc = CMD_USAGE;
	} else {
		export_machine_set(&mi); /* the report names where it ran, not where it is read */
		rc = replay_report(env, ss, a->f, a->output);
		export_machine_set(NULL);
		session_free(ss);
	}
	recording_free(&rec);
	return rc;
}

/* replay [FILE] [SPEED] [--format NAME] [-o FILE]. */
int cmd_exec_replay(struct cmd_env *env, int argc, char **argv)
{
	struct replay_args a;
	if (replay_parse(env, argc, argv, &a) != 0)
		return CMD_USAGE;
	if (a.file != NULL)
		return replay_file(env, &a);
	if (env->where == CMD_IN_CLI) {
		replay_error(env, "replay needs a recording: mptutor replay FILE (made by run, "
		                  "compare or sweep --record FILE, or the tutor's save FILE)");
		return CMD_USAGE;
	}
	if (a.f != NULL || a.output != NULL) { /* the last run, reported in a format */
		const struct session *ss =
		    env->fe != NULL && env->fe->last != NULL ? env->fe->last(env) : NULL;
		if (ss == NULL) {
			replay_error(env, "nothing to report yet: run something first");
			return CMD_USAGE;
		}
		return replay_report(env, ss, a.f, a.output);
	}
	if (env->fe == NULL || env->fe->replay == NULL) {
		replay_error(env, "replay of the last run is a command of the tutor");
		return CMD_USAGE;
	}
	return env->fe->replay(env, a.speed);
}

/* The last finished session of the front end, or NULL after a message. */
static const struct session *replay_last(struct cmd_env *env, const char *cmd)
{
	const struct session *ss =
	    env->fe != NULL && env->fe->last != NULL ? env->fe->last(env) : NULL;
	char msg[200];
	if (env->fe == NULL || env->fe->last == NULL) {
		snprintf(msg, sizeof msg, "%s keeps the last run, which is not kept here", cmd);
		replay_error(env, msg);
		return NULL;
	}
	if (ss == NULL || session_state(ss) == SESSION_RUNNING) {
		snprintf(msg, sizeof msg, "%s: nothing finished yet: run something first", cmd);
		replay_error(env, msg);
		return NULL;
	}
	return ss;
}

/* save FILE: the last run, compare or Process demo as a recording. */
int cmd_exec_save(struct cmd_env *env, int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '\0' || strcmp(argv[1], "-") == 0) {
		replay_error(env,
		             "save takes one FILE to write the last run to, like save run.json "
		             "(replay it with: mptutor replay FILE)");
		return CMD_USAGE;
	}
	const struct session *ss = replay_last(env, "save");
	if (ss == NULL)
		return CMD_USAGE;
	int rc = cmd_record_session(env, argv[1], ss);
	if (rc == CMD_OK)
		fprintf(env->out, "saved to %s (replay it with: mptutor replay %s)\n", argv[1],
		        argv[1]);
	return rc;
}

/* export FORMAT FILE: the last run in a report format. */
int cmd_exec_export(struct cmd_env *env, int argc, char **argv)
{
	if (argc != 3) {
		char names[256], msg[400];
		export_format_names(names, sizeof names);
		snprintf(msg, sizeof msg,
		         "export takes a FORMAT and a FILE, like export chrome trace.json "
		         "(formats: %s)",
		         names);
		replay_error(env, msg);
		return CMD_USAGE;
	}
	const struct export_format *f = replay_format(env, argv[1]);
	if (f == NULL)
		return CMD_USAGE;
	const struct session *ss = replay_last(env, "export");
	if (ss == NULL)
		return CMD_USAGE;
	int rc = replay_report(env, ss, f, argv[2]);
	if (rc != CMD_USAGE && strcmp(argv[2], "-") != 0)
		fprintf(env->out, "exported to %s\n", argv[2]);
	return rc == CMD_FAILED ? CMD_OK : rc; /* failed items are in the file, not an error */
}
