/*
 * process.c — the `process` command run to its end, for the front ends that
 * print a report (the command line and the plain REPL): a session starts one
 * Process per item as the seed's loop does, waits for every child, and the
 * report tells their lives and the order their output arrived in; with
 * --repeat N, it is done N times and the distinct output orders counted.
 */
#include <string.h>

#include "cmd/cmd.h"
#include "export/format.h"
#include "session/session.h"

/* The last run's span: the first start() to the last child's exit. */
static double process_wall(const struct proc_demo_snap *s)
{
	double last = -1;
	for (size_t k = 0; k < s->n_procs; k++)
		if (s->procs[k].exited_s > last)
			last = s->procs[k].exited_s;
	return last >= 0 && s->started_s >= 0 ? last - s->started_s : 0;
}

/* process TASK [ITEMS]: run (--repeat N times), then report. */
int cmd_process_exec(struct cmd_env *env, const struct run_request *req,
                     struct cmd_process_outcome *oc)
{
	return cmd_process_exec_kept(env, req, oc, NULL);
}

int cmd_process_exec_kept(struct cmd_env *env, const struct run_request *req,
                          struct cmd_process_outcome *oc, struct session **kept)
{
	const char *pre = env->where == CMD_IN_CLI ? "mptutor: " : "";
	struct cmd_process_outcome local;
	struct session *ss;
	char err[ENGINE_ERRLEN];
	int failed = 0, rc;

	if (oc == NULL)
		oc = &local;
	memset(oc, 0, sizeof *oc);
	if (session_start(req, NULL, &ss, err, sizeof err) != 0) {
		fprintf(env->err, "%s%s\n", pre, err);
		return CMD_USAGE;
	}
	enum session_state st = session_wait(ss, env->intr_fd);
	oc->runs = session_runs_done(ss, &failed);
	oc->failed = failed > 0;
	if (st == SESSION_CANCELLED) {
		oc->interrupted = true;
		rc = CMD_INTERRUPTED;
	} else if (st == SESSION_FAILED) {
		fprintf(env->err, "%s%s\n", pre, session_error(ss));
		rc = session_out_of_memory(ss) ? CMD_FAILED : CMD_USAGE;
	} else {
		const struct proc_demo_snap *snap = session_demo_snap(ss);
		oc->wall_s = process_wall(snap);
		if (export_process(req, env->out, snap,
		                   session_repeat(ss, NULL) > 1 ? session_orders(ss) : NULL, err,
		                   sizeof err) != 0) {
			fprintf(env->err, "%s%s\n", pre, err);
			rc = CMD_USAGE;
		} else if (req->record != NULL &&
		           cmd_record(env, req->record, req, NULL, 0, snap, 0) != CMD_OK) {
			rc = CMD_USAGE;
		} else {
			rc = oc->failed ? CMD_FAILED : CMD_OK;
		}
	}
	if (kept != NULL && st == SESSION_DONE)
		*kept = ss;
	else
		session_free(ss);
	return rc;
}
