/*
 * session.c — a run, compare or Process demo driven from start to end
 * (session.h): the rows and their specs, the queue of maps (rows in order,
 * --repeat again and again), the recordings kept as each map ends, the
 * order tally, cancel, and the replay of what was recorded.
 */
#include "session/session.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/clock.h"

#define SESSION_KILL_WAIT_S 0.5 /* a cancelled demo: how long to watch its children die */

struct session {
	struct run_request req; /* a copy; owns its items */
	struct session_hooks hooks;
	enum session_state state;
	struct session_row *rows;  /* n_alloc of them, n_rows used */
	struct session_replay *rp; /* scratch for replayed snapshots, a row each */
	struct run **kept;         /* a finished map kept for want of memory to copy it */
	size_t n_rows, n_alloc;
	size_t cur;                /* the row going, or the next to start */
	struct run *run;           /* rows[cur]'s map, or NULL */
	struct sweep_report sweep; /* sweep: a point a row, recomputed as each map ends */
	struct proc_demo *demo;    /* process: the demo going, or NULL */
	struct session_demo dm;
	bool started; /* the map or demo of (cur, run_no) was started */
	int repeat;   /* runs asked for */
	int run_no;   /* the run going or last done, 1-based */
	int runs_done, runs_failed;
	struct session_orders orders;
	bool cancel_asked;             /* session_cancel was called */
	bool oom;                      /* SESSION_FAILED for want of memory */
	struct machine_load_mark mark; /* /proc/stat and our CPU as the map going began */
	char err[ENGINE_ERRLEN];
};

/* Whether intr_fd has a stop request waiting (it is never drained here). */
static bool session_stop_pending(int intr_fd)
{
	struct pollfd p = {.fd = intr_fd, .events = POLLIN};
	return intr_fd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP));
}

/* Did a finished demo have a child fail (non-zero exit, killed)? */
bool session_demo_failed(const struct proc_demo_snap *s)
{
	for (size_t k = 0; k < s->n_procs; k++)
		if (s->procs[k].exit_code != 0)
			return true;
	return s->n_procs == 0 && s->exit_code != 0;
}

/* Fail the session with a message (oom: out of memory, else a map could not start). */
static void session_fail(struct session *ss, const char *msg, bool oom)
{
	snprintf(ss->err, sizeof ss->err, "%s", msg);
	ss->oom = oom;
	ss->state = SESSION_FAILED;
}

/* Start what (cur, run_no) names: a map of rows[cur], or the demo; -1 with ss->err. */
static int session_begin(struct session *ss)
{
	char err[ENGINE_ERRLEN];
	ss->started = true;
	if (ss->req.kind == RUNKIND_PROCESS) {
		ss->dm.has_live = false;
		int rc;
		if (ss->req.backend == BACKEND_PY_PROCESS) {
			struct proc_demo_python py = {
			    .python = ss->req.python[0] ? ss->req.python : NULL,
			    .start_method = ss->req.start_method[0] ? ss->req.start_method : NULL,
			};
			rc = proc_demo_start_python(ss->req.task, ss->req.items, ss->req.n_items,
			                            ss->dm.join_after_ms, &py, &ss->demo, err,
			                            sizeof err);
		} else {
			rc =
			    proc_demo_start_items(ss->req.task, ss->req.items, ss->req.n_items,
			                          ss->dm.join_after_ms, &ss->demo, err, sizeof err);
		}
		if (rc != 0) {
			ss->demo = NULL;
			session_fail(ss, err, false);
			return -1;
		}
		return 0;
	}
	struct session_row *r = &ss->rows[ss->cur];
	r->has_live = false;
	run_free(ss->kept[ss->cur]);
	ss->kept[ss->cur] = NULL;
	machine_load_begin(&ss->mark);
	if (run_start(&r->spec, &ss->run, err, sizeof err) != 0) {
		ss->run = NULL;
		session_fail(ss, err, false);
		return -1;
	}
	r->going = true;
	return 0;
}

/* Move to what comes after the map or demo just over: the next --repeat, the
 * next row, or the end. Nothing is started here (session_step does). */
static void session_next(struct session *ss)
{
	ss->started = false;
	if (ss->run_no < ss->repeat) {
		ss->run_no++;
		return;
	}
	if (ss->req.kind != RUNKIND_PROCESS && ss->cur + 1 < ss->n_rows) {
		ss->cur++;
		return;
	}
	ss->state = SESSION_DONE;
}

/* Start what is due, if nothing is going; -1 if it could not start. */
static int session_step(struct session *ss)
{
	if (ss->state != SESSION_RUNNING || ss->started)
		return 0;
	return session_begin(ss);
}

/* A sweep's point of row i measured (snap its finished map): recompute the report. */
static void session_sweep_update(struct session *ss, size_t i, const struct run_snapshot *snap)
{
	struct sweep_point *p = &ss->sweep.pts[i];
	p->done = true;
	p->wall_s = snap->wall_s;
	p->cpu_s = snap->cpu_s;
	p->n_failed = snap->n_failed;
	sweep_report_compute(&ss->sweep);
}

/* Row i's recording reads its items from the request and its results from an
 * earlier row's if they are the same (a compare's rows square the same items):
 * a million items are kept once, not once a row. Earlier rows are never
 * recorded again (a row runs more than once only as the one row of a run). */
static void session_share_items(struct session *ss, size_t i)
{
	struct session_rec *rec = &ss->rows[i].rec;
	const int64_t *results = NULL;
	for (size_t j = 0; j < i && results == NULL; j++) {
		const struct session_row *o = &ss->rows[j];
		if (o->has_rec && o->rec.results != NULL &&
		    o->rec.snap.n_items == rec->snap.n_items)
			results = o->rec.results;
	}
	if (rec->snap.n_items == ss->req.n_items)
		session_rec_share(rec, ss->req.items, results);
}

/* The map of rows[cur] is over (live is its final snapshot): keep it, tell, go on. */
static void session_map_over(struct session *ss)
{
	struct session_row *r = &ss->rows[ss->cur];
	const struct run_snapshot *snap = &r->live;
	bool cancelled = snap->state == RUN_CANCELLED;
	machine_load_end(&ss->mark, &r->live.machine); /* every child of it is reaped */
	session_rec_free(&r->rec);
	r->has_rec = session_rec_take(&r->rec, snap, ss->run) == 0;
	if (r->has_rec) {
		session_share_items(ss, ss->cur);
		snap = &r->rec.snap; /* the run gave its item arrays to it */
	}
	if (!cancelled && ss->state == SESSION_RUNNING) {
		ss->runs_done++;
		ss->runs_failed += snap->n_failed > 0;
		if (ss->repeat > 1 && session_orders_add_run(&ss->orders, snap) != 0)
			session_fail(ss, "out of memory", true);
		if (ss->req.kind == RUNKIND_SWEEP)
			session_sweep_update(ss, ss->cur, snap);
		if (ss->hooks.map_done)
			ss->hooks.map_done(ss->hooks.arg, ss, ss->cur, snap);
	}
	r->going = false;
	if (r->has_rec) {
		run_free(ss->run); /* every child was reaped when it ended */
		r->has_live = false;
	} else { /* no memory for a copy: the run itself is kept, live is its end */
		ss->kept[ss->cur] = ss->run;
	}
	ss->run = NULL;
	if (ss->state != SESSION_RUNNING)
		return;
	if (cancelled || ss->cancel_asked) {
		ss->state = SESSION_CANCELLED;
		return;
	}
	session_next(ss);
}

/* The demo is over (live is its final snapshot): keep it, tell, go on. */
static void session_demo_over(struct session *ss)
{
	const struct proc_demo_snap *d = &ss->dm.live;
	bool cancelled = d->interrupted;
	session_proc_rec_free(&ss->dm.rec);
	ss->dm.has_rec = session_proc_rec_copy(&ss->dm.rec, d) == 0;
	if (!ss->dm.has_rec)
		session_fail(ss, "out of memory keeping the Processes", true);
	if (!cancelled && ss->state == SESSION_RUNNING) {
		ss->runs_done++;
		ss->runs_failed += session_demo_failed(d);
		if (ss->repeat > 1 && session_orders_add_process(&ss->orders, d) != 0)
			session_fail(ss, "out of memory", true);
		if (ss->hooks.demo_done)
			ss->hooks.demo_done(ss->hooks.arg, ss, d);
	}
	proc_demo_free(ss->demo);
	ss->demo = NULL;
	ss->dm.has_live = false;
	if (ss->state != SESSION_RUNNING)
		return;
	if (cancelled) {
		ss->dm.cancelled = true;
		ss->state = SESSION_CANCELLED;
		return;
	}
	session_next(ss);
}

/* A deep copy of the request into ss->req; -1 when out of memory. */
static int session_copy_request(struct session *ss, const struct run_request *req)
{
	return run_request_copy(&ss->req, req);
}

static int session_alloc_rows(struct session *ss, size_t n);

/* A sweep's rows, curve by curve: the family serial rows it needs first (in
 * -b order), then each backend of -b at each worker count (a serial one at
 * one worker); the report's points, a row each. -1 when out of memory. */
static int session_sweep_rows(struct session *ss)
{
	const struct run_request *q = &ss->req;
	size_t n_rows = sweep_plan(q, NULL);
	struct sweep_point *pts = calloc(n_rows ? n_rows : 1, sizeof *pts);
	if (session_alloc_rows(ss, n_rows) != 0 || pts == NULL) {
		free(pts);
		return -1;
	}
	sweep_plan(q, pts);
	for (size_t i = 0; i < n_rows; i++) {
		struct session_row *r = &ss->rows[ss->n_rows++];
		r->backend = pts[i].backend;
		r->info = backend_get(pts[i].backend);
		run_request_sweep_spec(q, pts[i].backend, pts[i].workers, &r->spec);
	}
	int rc = sweep_report_build(&ss->sweep, engine_default_workers(), pts, ss->n_rows);
	free(pts);
	if (rc != 0)
		return -1;
	for (size_t c = 0; c < ss->sweep.n_curves; c++) {
		const struct sweep_curve *cv = &ss->sweep.curves[c];
		for (size_t i = cv->first; i < cv->first + cv->n; i++)
			ss->rows[i].baseline = (int)cv->base;
	}
	return 0;
}

/* Room for n rows (at least one); -1 when out of memory. */
static int session_alloc_rows(struct session *ss, size_t n)
{
	if (n == 0)
		n = 1;
	ss->rows = calloc(n, sizeof *ss->rows);
	ss->rp = calloc(n, sizeof *ss->rp);
	ss->kept = calloc(n, sizeof *ss->kept);
	ss->n_alloc = n;
	return ss->rows && ss->rp && ss->kept ? 0 : -1;
}

/* The rows of a run or compare, each with its spec and its baseline row; -1
 * when out of memory. */
static int session_rows(struct session *ss)
{
	const struct run_request *q = &ss->req;
	if (q->kind == RUNKIND_SWEEP)
		return session_sweep_rows(ss);
	if (session_alloc_rows(ss, SESSION_MAX_ROWS) != 0)
		return -1;
	if (q->kind == RUNKIND_RUN) {
		ss->rows[0].backend = q->backend;
		ss->n_rows = 1;
	} else if (q->kind == RUNKIND_COMPARE) {
		for (size_t i = 0; i < q->n_backends && i < SESSION_MAX_ROWS; i++)
			ss->rows[i].backend = q->backends[i];
		ss->n_rows = q->n_backends < SESSION_MAX_ROWS ? q->n_backends : SESSION_MAX_ROWS;
	}
	for (size_t i = 0; i < ss->n_rows; i++) {
		struct session_row *r = &ss->rows[i];
		r->info = backend_get(r->backend);
		run_request_spec(q, r->backend, &r->spec);
		r->baseline = -1;
		enum backend_kind base = backend_baseline(r->backend);
		for (size_t j = 0; j < ss->n_rows; j++)
			if (ss->rows[j].backend == base) {
				r->baseline = (int)j;
				break;
			}
	}
	return 0;
}

/* Copy the request, build the rows, start the first map or demo. */
int session_start(const struct run_request *req, const struct session_hooks *hooks,
                  struct session **out, char *err, size_t errlen)
{
	*out = NULL;
	struct session *ss = calloc(1, sizeof *ss);
	if (!ss || session_copy_request(ss, req) != 0) {
		free(ss);
		snprintf(err, errlen, "out of memory for %zu items", req->n_items);
		return -1;
	}
	if (hooks)
		ss->hooks = *hooks;
	ss->state = SESSION_RUNNING;
	ss->repeat = req->kind != RUNKIND_COMPARE && req->repeat > 1 ? req->repeat : 1;
	ss->run_no = 1;
	if (req->kind == RUNKIND_PROCESS)
		ss->dm.join_after_ms = run_request_join_after(req);
	else if (session_rows(ss) != 0) {
		snprintf(err, errlen, "out of memory for the rows of %zu maps", ss->n_alloc);
		session_free(ss);
		return -1;
	}
	if ((req->kind != RUNKIND_PROCESS && ss->n_rows == 0) || session_begin(ss) != 0) {
		snprintf(err, errlen, "%s", ss->err[0] ? ss->err : "nothing to run");
		session_free(ss);
		return -1;
	}
	*out = ss;
	return 0;
}

/* A finished session of recordings made elsewhere (a file): rows, recs moved in. */
int session_from_recording(const struct run_request *req, struct session_rec *recs, size_t n,
                           struct session_proc_rec *demo, int sweep_cpus, struct session **out,
                           char *err, size_t errlen)
{
	*out = NULL;
	struct session *ss = calloc(1, sizeof *ss);
	if (!ss || session_copy_request(ss, req) != 0) {
		free(ss);
		snprintf(err, errlen, "out of memory for %zu items", req->n_items);
		return -1;
	}
	ss->state = SESSION_DONE;
	ss->repeat = 1;
	ss->run_no = 1;
	if (req->kind == RUNKIND_PROCESS) {
		if (demo == NULL) {
			snprintf(err, errlen, "a recording of Processes without them");
			session_free(ss);
			return -1;
		}
		ss->dm.join_after_ms = run_request_join_after(req);
		ss->dm.rec = *demo;
		memset(demo, 0, sizeof *demo);
		ss->dm.has_rec = true;
		ss->runs_done = 1;
		ss->runs_failed = session_demo_failed(&ss->dm.rec.snap);
	} else {
		if (session_rows(ss) != 0) {
			snprintf(err, errlen, "out of memory for %zu runs", n);
			session_free(ss);
			return -1;
		}
		if (n != ss->n_rows) {
			snprintf(err, errlen, "%zu recorded runs for %zu %s", n, ss->n_rows,
			         req->kind == RUNKIND_SWEEP ? "points" : "backends");
			session_free(ss);
			return -1;
		}
		for (size_t i = 0; req->kind == RUNKIND_SWEEP && i < n; i++)
			if (recs[i].snap.backend != ss->rows[i].backend ||
			    recs[i].snap.workers != ss->rows[i].spec.workers) {
				snprintf(err, errlen,
				         "recorded run %zu is %s at %d workers where the sweep has "
				         "%s at %d",
				         i, backend_name(recs[i].snap.backend),
				         recs[i].snap.workers, backend_name(ss->rows[i].backend),
				         ss->rows[i].spec.workers);
				session_free(ss);
				return -1;
			}
		if (req->kind == RUNKIND_SWEEP && sweep_cpus > 0)
			ss->sweep.cpus = sweep_cpus;
		for (size_t i = 0; i < n; i++) {
			ss->rows[i].rec = recs[i];
			memset(&recs[i], 0, sizeof recs[i]);
			ss->rows[i].has_rec = true;
			session_share_items(ss, i);
			ss->runs_done++;
			ss->runs_failed += ss->rows[i].rec.snap.n_failed > 0;
			if (req->kind == RUNKIND_SWEEP)
				session_sweep_update(ss, i, &ss->rows[i].rec.snap);
		}
		ss->cur = n - 1;
	}
	*out = ss;
	return 0;
}

/* Advance without blocking; 1 once over. */
int session_poll(struct session *ss)
{
	if (ss->state != SESSION_RUNNING)
		return 1;
	if (ss->run) {
		struct session_row *r = &ss->rows[ss->cur];
		int over = run_poll(ss->run, &r->live);
		r->has_live = true;
		if (over)
			session_map_over(ss);
	} else if (ss->demo) {
		int over = proc_demo_poll(ss->demo, &ss->dm.live);
		ss->dm.has_live = true;
		if (over)
			session_demo_over(ss);
	}
	session_step(ss);
	return ss->state != SESSION_RUNNING;
}

/* Block until over, each map through the engine's own wait; intr_fd cancels. */
enum session_state session_wait(struct session *ss, int intr_fd)
{
	while (ss->state == SESSION_RUNNING) {
		if (session_stop_pending(intr_fd)) {
			session_cancel(ss);
			if (ss->run) { /* see it stop; every worker reaped */
				struct session_row *r = &ss->rows[ss->cur];
				run_wait(ss->run, -1, &r->live);
				r->has_live = true;
				session_map_over(ss);
			}
			if (ss->state == SESSION_RUNNING || ss->state == SESSION_DONE)
				ss->state = SESSION_CANCELLED;
			break;
		}
		if (session_step(ss) != 0)
			break;
		if (ss->run) {
			struct session_row *r = &ss->rows[ss->cur];
			run_wait(ss->run, intr_fd, &r->live);
			r->has_live = true;
			session_map_over(ss);
		} else if (ss->demo) {
			proc_demo_wait(ss->demo, intr_fd, &ss->dm.live);
			ss->dm.has_live = true;
			session_demo_over(ss);
		}
	}
	return ss->state;
}

/* A demo cancelled: SIGKILL the children still running, see them die, keep
 * the picture as it will be once they are reaped, and reap them all. */
static void session_demo_kill(struct session *ss)
{
	struct proc_demo_snap snap;
	proc_demo_poll(ss->demo, &snap);
	for (size_t k = 0; k < snap.n_procs; k++)
		if (snap.procs[k].state == PROC_RUNNING && snap.procs[k].pid > 0)
			kill(snap.procs[k].pid, SIGKILL);
	/* the deaths are seen through the pidfds at once; give them a moment */
	double until = (double)engine_now_ns() / 1e9 + SESSION_KILL_WAIT_S;
	for (;;) {
		bool running = false;
		proc_demo_poll(ss->demo, &snap);
		for (size_t k = 0; k < snap.n_procs; k++)
			running |= snap.procs[k].state == PROC_RUNNING;
		if (!running || (double)engine_now_ns() / 1e9 >= until)
			break;
		poll(NULL, 0, 5);
	}
	session_proc_rec_free(&ss->dm.rec);
	ss->dm.has_rec = session_proc_rec_copy(&ss->dm.rec, &snap) == 0;
	proc_demo_free(ss->demo); /* reaps every child now */
	ss->demo = NULL;
	ss->dm.has_live = false;
	if (ss->dm.has_rec) { /* what proc_demo_free just did, in the picture */
		struct session_proc_rec *r = &ss->dm.rec;
		for (size_t k = 0; k < r->snap.n_procs; k++) {
			struct proc_demo_child *c = &r->procs[k];
			if (c->exited_s < 0 && c->started_s >= 0) {
				c->exited_s = r->snap.now_s;
				c->exit_code = -SIGKILL;
			}
			if (c->reaped_s < 0 && c->started_s >= 0) {
				c->reaped_s = r->snap.now_s;
				c->state = PROC_REAPED;
				c->proc_state = 0;
			}
		}
		r->snap.ended_s = r->snap.now_s;
		r->snap.interrupted = true;
	}
	ss->dm.cancelled = true;
}

/* Stop: a map is asked to stop (a poll finishes it), a demo is killed and reaped. */
void session_cancel(struct session *ss)
{
	if (!ss || ss->state != SESSION_RUNNING)
		return;
	ss->cancel_asked = true;
	if (ss->run) {
		run_cancel(ss->run); /* the next poll or wait sees it stopped */
		return;
	}
	if (ss->demo)
		session_demo_kill(ss);
	ss->state = SESSION_CANCELLED;
}

/* The fds of the map or demo going. */
int session_pollfds(struct session *ss, int *fds, int max)
{
	if (ss->run)
		return run_pollfds(ss->run, fds, max);
	if (ss->demo)
		return proc_demo_pollfds(ss->demo, fds, max);
	return 0;
}

/* The processes working now (not threads: they are mptutor). */
int session_worker_pids(const struct session *ss, pid_t *pids, int max)
{
	int n = 0;
	if (ss->demo && ss->dm.has_live) {
		for (size_t k = 0; k < ss->dm.live.n_procs && n < max; k++)
			if (ss->dm.live.procs[k].state == PROC_RUNNING &&
			    ss->dm.live.procs[k].pid > 0)
				pids[n++] = ss->dm.live.procs[k].pid;
		return n;
	}
	if (!ss->run || !ss->rows[ss->cur].has_live)
		return 0;
	const struct run_snapshot *s = &ss->rows[ss->cur].live;
	pid_t self = getpid();
	for (int i = 0; i < s->workers && n < max; i++) {
		const struct worker_snap *w = &s->per_worker[i];
		if (w->pid > 0 && w->pid != self && w->state != WORKER_EXITED &&
		    w->state != WORKER_DEAD)
			pids[n++] = w->pid;
	}
	return n;
}

/* Reap anything left and free. */
void session_free(struct session *ss)
{
	if (!ss)
		return;
	if (ss->run) {
		run_cancel(ss->run);
		run_free(ss->run);
	}
	proc_demo_free(ss->demo); /* kills and reaps every child still there */
	for (size_t i = 0; i < ss->n_alloc; i++) {
		if (ss->kept)
			run_free(ss->kept[i]);
		if (ss->rows)
			session_rec_free(&ss->rows[i].rec);
		if (ss->rp)
			session_replay_free(&ss->rp[i]);
	}
	free(ss->rows);
	free(ss->rp);
	free(ss->kept);
	sweep_report_free(&ss->sweep);
	session_proc_rec_free(&ss->dm.rec);
	session_orders_free(&ss->orders);
	run_request_free(&ss->req);
	free(ss);
}

/* Its state. */
enum session_state session_state(const struct session *ss)
{
	return ss->state;
}

/* Why it failed, or "". */
const char *session_error(const struct session *ss)
{
	return ss->state == SESSION_FAILED ? ss->err : "";
}

/* Whether it failed for want of memory. */
bool session_out_of_memory(const struct session *ss)
{
	return ss->state == SESSION_FAILED && ss->oom;
}

/* Its own copy of the request. */
const struct run_request *session_request(const struct session *ss)
{
	return &ss->req;
}

/* run, compare or process. */
enum run_kind session_kind(const struct session *ss)
{
	return ss->req.kind;
}

/* How many rows. */
size_t session_n_rows(const struct session *ss)
{
	return ss->n_rows;
}

/* Row i, or NULL. */
const struct session_row *session_row(const struct session *ss, size_t i)
{
	return i < ss->n_rows ? &ss->rows[i] : NULL;
}

/* Row i's family baseline, or NULL. */
const struct session_row *session_baseline(const struct session *ss, size_t i)
{
	if (i >= ss->n_rows || ss->rows[i].baseline < 0)
		return NULL;
	return &ss->rows[ss->rows[i].baseline];
}

/* The row going, -1 none. */
int session_active_row(const struct session *ss)
{
	return ss->run ? (int)ss->cur : -1;
}

/* Row i to draw: live, else recorded, else NULL. */
const struct run_snapshot *session_row_snap(const struct session *ss, size_t i)
{
	const struct session_row *r = session_row(ss, i);
	if (!r)
		return NULL;
	if (r->has_live)
		return &r->live;
	return r->has_rec ? &r->rec.snap : NULL;
}

/* Row i's recording at t seconds into its map. */
const struct run_snapshot *session_row_at(struct session *ss, size_t i, double t)
{
	const struct session_row *r = session_row(ss, i);
	if (!r || !r->has_rec)
		return session_row_snap(ss, i);
	const struct run_snapshot *out;
	if (session_replay_at(&r->rec, t, &ss->rp[i], &out) == 0)
		return out;
	return &r->rec.snap;
}

/* The sweep as replayed t seconds in: the points whose maps have ended by then. */
int session_sweep_at(const struct session *ss, double t, struct sweep_report *out, int *going)
{
	*going = -1;
	if (ss->req.kind != RUNKIND_SWEEP)
		return -1;
	if (sweep_report_build(out, ss->sweep.cpus, ss->sweep.pts, ss->sweep.n_pts) != 0)
		return -1;
	double end = 0;
	for (size_t i = 0; i < out->n_pts; i++) {
		const struct session_row *r = &ss->rows[i];
		end += r->has_rec ? r->rec.snap.wall_s : 0;
		if (end > t && out->pts[i].done) {
			out->pts[i].done = false;
			if (*going < 0)
				*going = (int)i;
		}
	}
	sweep_report_compute(out);
	return 0;
}

/* The sweep's points and fits, or NULL if this is no sweep. */
const struct sweep_report *session_sweep(const struct session *ss)
{
	return ss->req.kind == RUNKIND_SWEEP ? &ss->sweep : NULL;
}

/* The demo, or NULL if this is no process session. */
const struct session_demo *session_demo(const struct session *ss)
{
	return ss->req.kind == RUNKIND_PROCESS ? &ss->dm : NULL;
}

/* The demo to draw: live, else recorded. */
const struct proc_demo_snap *session_demo_snap(const struct session *ss)
{
	if (ss->req.kind != RUNKIND_PROCESS)
		return NULL;
	if (ss->demo && ss->dm.has_live)
		return &ss->dm.live;
	return ss->dm.has_rec ? &ss->dm.rec.snap : NULL;
}

/* The demo's recording at t seconds in. */
int session_demo_at(const struct session *ss, double t, struct proc_demo_snap *out)
{
	if (ss->req.kind != RUNKIND_PROCESS || !ss->dm.has_rec)
		return -1;
	session_proc_replay_at(&ss->dm.rec, t, out);
	return 0;
}

/* What a replay spans: the longest recorded map, or the demo. */
double session_span(const struct session *ss)
{
	double span = 0;
	if (ss->req.kind == RUNKIND_PROCESS)
		return ss->dm.has_rec ? ss->dm.rec.snap.now_s : 0;
	for (size_t i = 0; i < ss->n_rows; i++)
		if (ss->rows[i].has_rec && ss->req.kind == RUNKIND_SWEEP)
			span += ss->rows[i].rec.snap.wall_s;
		else if (ss->rows[i].has_rec && ss->rows[i].rec.snap.wall_s > span)
			span = ss->rows[i].rec.snap.wall_s;
	return span;
}

/* Whether anything is recorded. */
bool session_has_recording(const struct session *ss)
{
	if (ss->req.kind == RUNKIND_PROCESS)
		return ss->dm.has_rec;
	for (size_t i = 0; i < ss->n_rows; i++)
		if (ss->rows[i].has_rec)
			return true;
	return false;
}

/* --repeat: runs asked for, and the current one. */
int session_repeat(const struct session *ss, int *current)
{
	if (current)
		*current = ss->run_no;
	return ss->repeat;
}

/* Runs finished, and how many of them failed. */
int session_runs_done(const struct session *ss, int *failed)
{
	if (failed)
		*failed = ss->runs_failed;
	return ss->runs_done;
}

/* The orders tallied over --repeat. */
const struct session_orders *session_orders(const struct session *ss)
{
	return &ss->orders;
}
