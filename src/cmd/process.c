/*
 * process.c — the `process` command run to its end, for the front ends that
 * print a report (the command line and the plain REPL): start one Process
 * per item as the seed's loop does, wait for every child, and report their
 * lives and the order their output arrived in; with --repeat N, do it N
 * times and count the distinct output orders seen.
 */
#include <string.h>

#include "cmd/cmd.h"
#include "export/format.h"

/* Run the Processes once; *demo is the finished demo (caller frees). */
static int process_once(struct cmd_env *env, const struct run_request *req, struct proc_demo **demo,
                        struct proc_demo_snap *snap)
{
	char err[ENGINE_ERRLEN];
	if (proc_demo_start_items(req->task, req->items, req->n_items, run_request_join_after(req),
	                          demo, err, sizeof err) != 0) {
		fprintf(env->err, "%s%s\n", env->where == CMD_IN_CLI ? "mptutor: " : "", err);
		return CMD_USAGE;
	}
	proc_demo_wait(*demo, env->intr_fd, snap);
	return snap->interrupted ? CMD_INTERRUPTED : CMD_OK;
}

/* Did any child of a finished demo fail (non-zero exit, killed)? */
static bool process_failed(const struct proc_demo_snap *s)
{
	for (size_t k = 0; k < s->n_procs; k++)
		if (s->procs[k].exit_code != 0)
			return true;
	return s->n_procs == 0 && s->exit_code != 0;
}

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
	struct report_orders orders;
	struct proc_demo *demo = NULL;
	struct proc_demo_snap snap;
	int times = req->repeat > 1 ? req->repeat : 1, rc = CMD_OK;
	struct cmd_process_outcome local;

	if (oc == NULL)
		oc = &local;
	memset(oc, 0, sizeof *oc);
	memset(&orders, 0, sizeof orders);
	for (int r = 0; r < times; r++) {
		proc_demo_free(demo);
		demo = NULL;
		rc = process_once(env, req, &demo, &snap);
		if (rc != CMD_OK)
			break;
		oc->runs++;
		if (times > 1 && report_orders_add_process(&orders, &snap) != 0) {
			fprintf(env->err, "%sout of memory\n",
			        env->where == CMD_IN_CLI ? "mptutor: " : "");
			rc = CMD_FAILED;
			break;
		}
		oc->failed |= process_failed(&snap);
	}
	if (rc == CMD_INTERRUPTED)
		oc->interrupted = true;
	if (rc == CMD_OK) {
		oc->wall_s = process_wall(&snap);
		char err[ENGINE_ERRLEN];
		if (export_process(req, env->out, &snap, times > 1 ? &orders : NULL, err,
		                   sizeof err) != 0) {
			fprintf(env->err, "%s%s\n", env->where == CMD_IN_CLI ? "mptutor: " : "",
			        err);
			rc = CMD_USAGE;
		} else {
			rc = oc->failed ? CMD_FAILED : CMD_OK;
		}
	}
	proc_demo_free(demo);
	report_orders_free(&orders);
	return rc;
}
