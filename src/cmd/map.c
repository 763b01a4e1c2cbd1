/*
 * map.c — the `run` and `compare` commands run to their end, for the front
 * ends that print a report (the command line and the plain REPL): start each
 * map (run: --repeat N times; compare: serial, process, thread and gil in
 * turn), wait for it, and print its report in the request's format. A front
 * end sees each finished map through a callback, to keep what it wants of it.
 */
#include <poll.h>
#include <string.h>

#include "cmd/cmd.h"
#include "export/format.h"

/* Whether a stop request is waiting on env->intr_fd (it is never drained here). */
static bool map_stop_pending(const struct cmd_env *env)
{
	struct pollfd p = {.fd = env->intr_fd, .events = POLLIN};
	return env->intr_fd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP));
}

/* Start one backend's map of req and wait for it; *run is the finished run
 * (caller frees). Returns CMD_OK, CMD_USAGE or CMD_INTERRUPTED. */
static int map_once(struct cmd_env *env, const struct run_request *req, enum backend_kind backend,
                    struct run **run, struct run_snapshot *snap)
{
	struct run_spec spec;
	char err[ENGINE_ERRLEN];
	*run = NULL;
	if (map_stop_pending(env))
		return CMD_INTERRUPTED;
	run_request_spec(req, backend, &spec);
	if (run_start(&spec, run, err, sizeof err) != 0) {
		fprintf(env->err, "%s%s\n", env->where == CMD_IN_CLI ? "mptutor: " : "", err);
		return CMD_USAGE;
	}
	run_wait(*run, env->intr_fd, snap);
	if (snap->state == RUN_CANCELLED || map_stop_pending(env))
		return CMD_INTERRUPTED;
	return CMD_OK;
}

/* `run`: one map (or --repeat N of them), then its report. */
static int map_run(struct cmd_env *env, const struct run_request *req, cmd_map_seen_fn seen,
                   void *arg)
{
	struct report_orders orders;
	struct run_snapshot snap;
	struct run *run = NULL;
	int times = req->repeat > 1 ? req->repeat : 1;
	int rc = CMD_OK;
	memset(&orders, 0, sizeof orders);
	for (int i = 0; i < times && rc == CMD_OK; i++) {
		run_free(run);
		rc = map_once(env, req, req->backend, &run, &snap);
		if (rc == CMD_OK && seen)
			seen(arg, &snap, false);
		if (rc == CMD_OK && times > 1 && report_orders_add(&orders, &snap) != 0) {
			fprintf(env->err, "%sout of memory\n", env->where == CMD_IN_CLI ? "mptutor: " : "");
			rc = CMD_FAILED;
		}
	}
	if (rc == CMD_OK) {
		char err[ENGINE_ERRLEN];
		if (export_run(req, env->out, &snap, times > 1 ? &orders : NULL, err, sizeof err) !=
		    0) {
			fprintf(env->err, "%s%s\n", env->where == CMD_IN_CLI ? "mptutor: " : "",
			        err);
			rc = CMD_USAGE;
		} else if (snap.n_failed > 0) {
			rc = CMD_FAILED;
		}
	}
	run_free(run);
	report_orders_free(&orders);
	return rc;
}

/* `compare`: the map on each backend of the request in turn, then a table. */
static int map_compare(struct cmd_env *env, const struct run_request *req, cmd_map_seen_fn seen,
                       void *arg)
{
	struct run *runs[BACKEND_COUNT] = {NULL};
	struct run_snapshot snaps[BACKEND_COUNT];
	const struct run_snapshot *ptrs[BACKEND_COUNT] = {NULL};
	int rc = CMD_OK;
	size_t n = 0;
	for (size_t b = 0; b < req->n_backends; b++) {
		rc = map_once(env, req, req->backends[b], &runs[n], &snaps[n]);
		if (runs[n])
			n++; /* freed below, finished or not */
		if (rc != CMD_OK)
			break;
		ptrs[n - 1] = &snaps[n - 1];
		if (seen)
			seen(arg, &snaps[n - 1], true);
	}
	if (rc == CMD_OK) {
		char err[ENGINE_ERRLEN];
		if (export_compare(req, env->out, ptrs, n, err, sizeof err) != 0) {
			fprintf(env->err, "%s%s\n", env->where == CMD_IN_CLI ? "mptutor: " : "",
			        err);
			rc = CMD_USAGE;
		}
		for (size_t i = 0; i < n && rc == CMD_OK; i++)
			if (snaps[i].n_failed > 0)
				rc = CMD_FAILED;
	}
	for (size_t i = 0; i < n; i++)
		run_free(runs[i]);
	return rc;
}

int cmd_map_exec(struct cmd_env *env, const struct run_request *req, cmd_map_seen_fn seen,
                 void *arg)
{
	return req->kind == RUNKIND_COMPARE ? map_compare(env, req, seen, arg)
	                                    : map_run(env, req, seen, arg);
}
