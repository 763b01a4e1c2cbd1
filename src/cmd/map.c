/*
 * map.c — the `run` and `compare` commands run to their end, for the front
 * ends that print a report (the command line and the plain REPL): start a
 * session (run: --repeat N times; compare: each backend of the request in
 * turn), wait for it, and print its report in the request's format. A front
 * end sees each finished map through a callback, to keep what it wants of it.
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "export/format.h"
#include "session/session.h"

/* The front end's callback, carried through the session's hook. */
struct map_seen {
	cmd_map_seen_fn fn;
	void *arg;
};

/* Whether a stop request is waiting on env->intr_fd (it is never drained here). */
static bool map_stop_pending(const struct cmd_env *env)
{
	struct pollfd p = {.fd = env->intr_fd, .events = POLLIN};
	return env->intr_fd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP));
}

/* The session's map_done hook: hand the finished map to the front end. */
static void map_done(void *arg, const struct session *ss, size_t row,
                     const struct run_snapshot *snap)
{
	const struct map_seen *seen = arg;
	(void)row;
	seen->fn(seen->arg, snap, session_kind(ss) == RUNKIND_COMPARE);
}

/* A finished sweep's report: its points and fits, and each point's run. */
static int map_report_sweep(struct cmd_env *env, const struct session *ss)
{
	size_t n = session_n_rows(ss);
	const struct run_snapshot **ptrs = calloc(n ? n : 1, sizeof *ptrs);
	char err[ENGINE_ERRLEN];
	bool failed = false;
	if (ptrs == NULL) {
		fprintf(env->err, "%sout of memory for the sweep's report\n",
		        env->where == CMD_IN_CLI ? "mptutor: " : "");
		return CMD_FAILED;
	}
	for (size_t i = 0; i < n; i++) {
		ptrs[i] = session_row_snap(ss, i);
		failed |= ptrs[i] == NULL || ptrs[i]->n_failed > 0;
	}
	const struct run_request *req = session_request(ss);
	int w = export_sweep(req, env->out, session_sweep(ss), ptrs, n, err, sizeof err);
	if (w != 0) {
		fprintf(env->err, "%s%s\n", env->where == CMD_IN_CLI ? "mptutor: " : "", err);
		free(ptrs);
		return CMD_USAGE;
	}
	if (req->record != NULL &&
	    cmd_record(env, req->record, req, ptrs, n, NULL, session_sweep(ss)->cpus) != CMD_OK) {
		free(ptrs);
		return CMD_USAGE;
	}
	free(ptrs);
	return failed ? CMD_FAILED : CMD_OK;
}

/* The finished session's report: run (the last map, and the orders over
 * --repeat) or compare (every row, in the request's order). */
static int map_report(struct cmd_env *env, const struct session *ss)
{
	const struct run_request *req = session_request(ss);
	if (req->kind == RUNKIND_SWEEP)
		return map_report_sweep(env, ss);
	const struct run_snapshot *ptrs[SESSION_MAX_ROWS];
	size_t n = session_n_rows(ss);
	char err[ENGINE_ERRLEN];
	bool failed = false;
	int w;
	for (size_t i = 0; i < n; i++) {
		ptrs[i] = session_row_snap(ss, i);
		failed |= ptrs[i]->n_failed > 0;
	}
	if (req->kind == RUNKIND_COMPARE)
		w = export_compare(req, env->out, ptrs, n, err, sizeof err);
	else
		w = export_run(req, env->out, ptrs[0],
		               session_repeat(ss, NULL) > 1 ? session_orders(ss) : NULL, err,
		               sizeof err);
	if (w != 0) {
		fprintf(env->err, "%s%s\n", env->where == CMD_IN_CLI ? "mptutor: " : "", err);
		return CMD_USAGE;
	}
	if (req->record != NULL && cmd_record(env, req->record, req, ptrs, n, NULL, 0) != CMD_OK)
		return CMD_USAGE;
	return failed ? CMD_FAILED : CMD_OK;
}

int cmd_map_exec(struct cmd_env *env, const struct run_request *req, cmd_map_seen_fn seen,
                 void *arg)
{
	return cmd_map_exec_kept(env, req, seen, arg, NULL);
}

int cmd_map_exec_kept(struct cmd_env *env, const struct run_request *req, cmd_map_seen_fn seen,
                      void *arg, struct session **kept)
{
	const char *pre = env->where == CMD_IN_CLI ? "mptutor: " : "";
	struct map_seen ms = {seen, arg};
	struct session_hooks hooks = {.map_done = seen ? map_done : NULL, .arg = &ms};
	struct session *ss;
	char err[ENGINE_ERRLEN];
	if (map_stop_pending(env))
		return CMD_INTERRUPTED;
	if (session_start(req, &hooks, &ss, err, sizeof err) != 0) {
		fprintf(env->err, "%s%s\n", pre, err);
		return CMD_USAGE;
	}
	enum session_state st = session_wait(ss, env->intr_fd);
	int rc;
	if (st == SESSION_CANCELLED || map_stop_pending(env)) {
		rc = CMD_INTERRUPTED;
	} else if (st == SESSION_FAILED) {
		fprintf(env->err, "%s%s\n", pre, session_error(ss));
		rc = session_out_of_memory(ss) ? CMD_FAILED : CMD_USAGE;
	} else {
		rc = map_report(env, ss);
	}
	if (kept != NULL && st == SESSION_DONE)
		*kept = ss;
	else
		session_free(ss);
	return rc;
}
