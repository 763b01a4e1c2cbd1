/*
 * record.c — a session's recordings (record.h): a finished map or Process
 * demo kept as a deep copy of its last snapshot, and the replay of a map:
 * the snapshot as it was t seconds into it, rebuilt from the recorded
 * events, so a map of microseconds can be shown slowly to a class.
 */
#include "session/record.h"

#include <stdlib.h>
#include <string.h>

/* Duplicate n elements of size sz; NULL stays NULL; *ok cleared on failure. */
static void *rec_dup(const void *src, size_t n, size_t sz, bool *ok)
{
	if (!src || n == 0)
		return NULL;
	void *p = malloc(n * sz);
	if (!p) {
		*ok = false;
		return NULL;
	}
	memcpy(p, src, n * sz);
	return p;
}

/* A copy of a string the run owns (NULL stays NULL); ok goes false when out of memory. */
static char *rec_strdup(const char *text, bool *ok)
{
	char *t = text != NULL ? strdup(text) : NULL;
	if (text != NULL && t == NULL)
		*ok = false;
	return t;
}

/* A py-* run's interpreter, its strings copied too; NULL for the others. */
static struct run_python *rec_python(const struct run_python *py, bool *ok)
{
	if (py == NULL)
		return NULL;
	struct run_python *c = malloc(sizeof *c);
	if (c == NULL) {
		*ok = false;
		return NULL;
	}
	*c = *py;
	c->path = rec_strdup(py->path, ok);
	c->implementation = rec_strdup(py->implementation, ok);
	c->version = rec_strdup(py->version, ok);
	c->start_method = rec_strdup(py->start_method, ok);
	c->gil_measured = rec_strdup(py->gil_measured, ok);
	c->own_output = rec_strdup(py->own_output, ok);
	return c;
}

/* Free what rec_python made. */
static void rec_python_free(struct run_python *py)
{
	if (py == NULL)
		return;
	free((char *)py->path);
	free((char *)py->implementation);
	free((char *)py->version);
	free((char *)py->start_method);
	free((char *)py->gil_measured);
	free((char *)py->own_output);
	free(py);
}

/* The item arrays of snap: taken from the finished run if it gives them (snap is its
 * last snapshot, so they are the same arrays), else duplicated. */
static void rec_item_arrays(struct session_rec *rec, const struct run_snapshot *snap,
                            struct run *run, bool *ok)
{
	size_t n = snap->n_items;
	struct run_arrays a;

	if (run && run_take_arrays(run, &a) == 0) {
		rec->items = a.items;
		rec->results = a.results;
		rec->recs = a.recs;
		rec->who = a.who;
		rec->snap.n_who = a.who ? a.n_who : 0;
		rec->order = a.order;
		return;
	}
	rec->items = rec_dup(snap->items, n, sizeof *rec->items, ok);
	rec->results = rec_dup(snap->results, n, sizeof *rec->results, ok);
	rec->recs = rec_dup(snap->recs, n, sizeof *rec->recs, ok);
	rec->who = rec_dup(snap->who, snap->n_who, sizeof *rec->who, ok);
	rec->order = rec_dup(snap->order, snap->n_order, sizeof *rec->order, ok);
}

/* Copy snap into rec; the item arrays last, from run if it is given (see above). */
static int rec_copy(struct session_rec *rec, const struct run_snapshot *snap, struct run *run)
{
	bool ok = true;
	memset(rec, 0, sizeof *rec);
	rec->snap = *snap;
	rec->per_worker =
	    rec_dup(snap->per_worker, (size_t)snap->workers, sizeof *rec->per_worker, &ok);
	rec->output = rec_dup(snap->output, snap->n_output, sizeof *rec->output, &ok);
	rec->errors = rec_dup(snap->errors, snap->n_errors, sizeof *rec->errors, &ok);
	rec->switches = rec_dup(snap->switches, snap->n_switches, sizeof *rec->switches, &ok);
	for (size_t i = 0; rec->output && i < snap->n_output; i++)
		rec->output[i].text = NULL;
	for (size_t i = 0; rec->errors && i < snap->n_errors; i++)
		rec->errors[i].message = NULL;
	for (size_t i = 0; ok && rec->output && i < snap->n_output; i++)
		if (!(rec->output[i].text =
		          strdup(snap->output[i].text ? snap->output[i].text : "")))
			ok = false;
	for (size_t i = 0; ok && rec->errors && i < snap->n_errors; i++)
		if (!(rec->errors[i].message =
		          strdup(snap->errors[i].message ? snap->errors[i].message : "")))
			ok = false;
	/* the gil timelines: the workers' lines point into the run, so copy them too */
	if (ok && rec->per_worker && snap->workers > 0) {
		rec->marks = calloc((size_t)snap->workers, sizeof *rec->marks);
		ok = rec->marks != NULL;
		for (int w = 0; ok && w < snap->workers; w++) {
			struct worker_snap *ws = &rec->per_worker[w];
			rec->marks[w] =
			    rec_dup(ws->gil_marks, ws->n_gil_marks, sizeof **rec->marks, &ok);
			ws->gil_marks = rec->marks[w];
			if (!rec->marks[w])
				ws->n_gil_marks = 0;
		}
	}
	rec->python = rec_python(snap->python, &ok);
	rec->fault = rec_strdup(snap->fault, &ok);
	if (ok) /* nothing can fail after the run hands its arrays over */
		rec_item_arrays(rec, snap, run, &ok);
	rec->snap.per_worker = rec->per_worker;
	rec->snap.items = rec->items;
	rec->snap.results = rec->results;
	rec->snap.recs = rec->recs;
	rec->snap.who = rec->who;
	rec->snap.order = rec->order;
	rec->snap.output = rec->output;
	rec->snap.errors = rec->errors;
	rec->snap.switches = rec->switches;
	rec->snap.python = rec->python;
	rec->snap.fault = rec->fault;
	if (!ok) {
		session_rec_free(rec);
		return -1;
	}
	return 0;
}

/* Copy snap into rec: every array and string duplicated. */
int session_rec_copy(struct session_rec *rec, const struct run_snapshot *snap)
{
	return rec_copy(rec, snap, NULL);
}

/* Keep a finished run's last snapshot: its item arrays taken from the run, the rest copied. */
int session_rec_take(struct session_rec *rec, const struct run_snapshot *snap, struct run *run)
{
	return rec_copy(rec, snap, run);
}

/* Free what rec owns. */
void session_rec_free(struct session_rec *rec)
{
	for (size_t i = 0; rec->output && i < rec->snap.n_output; i++)
		free((char *)rec->output[i].text);
	for (size_t i = 0; rec->errors && i < rec->snap.n_errors; i++)
		free((char *)rec->errors[i].message);
	for (int w = 0; rec->marks && w < rec->snap.workers; w++)
		free(rec->marks[w]);
	free(rec->marks);
	free(rec->per_worker);
	free(rec->items);
	free(rec->results);
	free(rec->recs);
	free(rec->who);
	free(rec->order);
	free(rec->output);
	free(rec->errors);
	free(rec->switches);
	rec_python_free(rec->python);
	free(rec->fault);
	memset(rec, 0, sizeof *rec);
}

/* Let rec read its items (and results, when the same) from arrays kept elsewhere. */
void session_rec_share(struct session_rec *rec, const int64_t *items, const int64_t *results)
{
	size_t n = rec->snap.n_items;
	if (n == 0)
		return;
	if (items && rec->snap.items && rec->snap.items != items &&
	    memcmp(rec->snap.items, items, n * sizeof *items) == 0) {
		free(rec->items);
		rec->items = NULL;
		rec->snap.items = items;
	}
	if (results && rec->snap.results && rec->snap.results != results &&
	    memcmp(rec->snap.results, results, n * sizeof *results) == 0) {
		free(rec->results);
		rec->results = NULL;
		rec->snap.results = results;
	}
}

/* Make sure the scratch arrays hold n items, w workers and e errors. */
static int replay_reserve(struct session_replay *rp, size_t n, size_t w, size_t e)
{
	if (n > rp->cap_items) {
		struct item_rec *r = realloc(rp->recs, n * sizeof *r);
		if (r)
			rp->recs = r;
		uint32_t *ord = realloc(rp->order, n * sizeof *ord);
		if (ord)
			rp->order = ord;
		if (!r || !ord)
			return -1;
		rp->cap_items = n;
	}
	if (e > rp->cap_errors) {
		struct run_error *er = realloc(rp->errors, e * sizeof *er);
		if (!er)
			return -1;
		rp->errors = er;
		rp->cap_errors = e;
	}
	if (w > rp->cap_workers) {
		struct worker_snap *pw = realloc(rp->per_worker, w * sizeof *pw);
		if (!pw)
			return -1;
		rp->per_worker = pw;
		rp->cap_workers = w;
	}
	return 0;
}

/* The map as it was t seconds into it, rebuilt from the events. */
int session_replay_at(const struct session_rec *rec, double t, struct session_replay *rp,
                      const struct run_snapshot **out)
{
	const struct run_snapshot *f = &rec->snap;
	size_t n = f->n_items, nw = f->workers > 0 ? (size_t)f->workers : 0;
	if (t >= f->wall_s) { /* the end: the recording itself */
		*out = f;
		return 0;
	}
	if (t < 0)
		t = 0;
	if (replay_reserve(rp, n ? n : 1, nw ? nw : 1, f->n_errors ? f->n_errors : 1) < 0)
		return -1;
	struct run_snapshot *s = &rp->snap;
	*s = *f;
	s->state = RUN_RUNNING;
	s->now_s = t;
	s->wall_s = t;
	double frac = f->wall_s > 0 ? t / f->wall_s : 0;
	s->cpu_s = f->cpu_s * frac;
	memcpy(rp->per_worker, f->per_worker, nw * sizeof *rp->per_worker);
	for (size_t w = 0; w < nw; w++) {
		struct worker_snap *ws = &rp->per_worker[w];
		ws->tasks = 0;
		ws->busy_s = 0;
		ws->cur_item = -1;
		ws->state = WORKER_IDLE;
		ws->cpu_pct = 0;
		ws->cpu_s *= frac;
		ws->gil_held_s *= frac;
		ws->gil_wait_s *= frac;
		ws->blocked_s *= frac;
	}
	/* who holds the GIL at t */
	int holder = -1;
	size_t nsw = 0;
	while (nsw < f->n_switches && f->switches[nsw].t_s <= t)
		holder = f->switches[nsw++].to;
	s->n_switches = nsw;
	size_t done = 0, failed = 0;
	for (size_t i = 0; i < n; i++) {
		struct item_rec r = f->recs[i];
		struct item_event ev = run_item_event(f, i);
		unsigned st = item_rec_status(r);
		if (ev.worker < 0 || ev.start_s > t || st == ITEM_PENDING) {
			ev.worker = -1;
			ev.start_s = ev.end_s = 0;
			st = ITEM_PENDING;
			r = (struct item_rec){0};
		} else if (ev.end_s > t || ev.end_s == 0) {
			ev.end_s = 0;
			st = ITEM_RUNNING;
			r = item_rec_at(r, st, 0);
		}
		rp->recs[i] = r;
		if (ev.worker >= 0 && (size_t)ev.worker < nw) {
			struct worker_snap *ws = &rp->per_worker[ev.worker];
			ws->busy_s += (ev.end_s > 0 ? ev.end_s : t) - ev.start_s;
			if (st == ITEM_RUNNING) {
				ws->cur_item = (long)i;
				bool has = !f->switches ||
				           holder == ev.worker; /* the GIL model says who held it */
				ws->state = has ? WORKER_RUNNING : WORKER_GIL_WAIT;
				ws->cpu_pct = has ? 100 : 0;
			} else if (st == ITEM_DONE) {
				ws->tasks++;
			}
		}
		done += st == ITEM_DONE;
		failed += st == ITEM_FAILED;
	}
	s->n_done = done;
	s->n_failed = failed;
	size_t no = 0;
	for (size_t k = 0; k < f->n_order; k++)
		if (item_rec_status(rp->recs[f->order[k]]) >= ITEM_DONE)
			rp->order[no++] = f->order[k];
	s->n_order = no;
	size_t nout = 0;
	while (nout < f->n_output && f->output[nout].t_s <= t)
		nout++;
	s->n_output = nout;
	size_t ne = 0;
	for (size_t e = 0; e < f->n_errors; e++)
		if (f->errors[e].item < n &&
		    item_rec_status(rp->recs[f->errors[e].item]) == ITEM_FAILED)
			rp->errors[ne++] = f->errors[e];
	s->n_errors = ne;
	s->has_parent_counter = false;
	s->per_worker = rp->per_worker;
	s->recs = rp->recs;
	s->order = rp->order;
	s->errors = rp->errors;
	*out = s;
	return 0;
}

/* Free the replay scratch. */
void session_replay_free(struct session_replay *rp)
{
	free(rp->per_worker);
	free(rp->recs);
	free(rp->order);
	free(rp->errors);
	memset(rp, 0, sizeof *rp);
}

/* Copy a demo's snapshot into rec: its children and output duplicated. */
int session_proc_rec_copy(struct session_proc_rec *rec, const struct proc_demo_snap *snap)
{
	bool ok = true;
	memset(rec, 0, sizeof *rec);
	rec->snap = *snap;
	rec->procs = rec_dup(snap->procs, snap->n_procs, sizeof *rec->procs, &ok);
	rec->output = rec_dup(snap->output, snap->n_output, sizeof *rec->output, &ok);
	for (size_t i = 0; rec->output && i < snap->n_output; i++)
		rec->output[i].text = NULL;
	for (size_t i = 0; ok && rec->output && i < snap->n_output; i++)
		if (!(rec->output[i].text =
		          strdup(snap->output[i].text ? snap->output[i].text : "")))
			ok = false;
	rec->snap.procs = rec->procs;
	rec->snap.output = rec->output;
	rec->python = rec_python(snap->python, &ok);
	rec->fault = rec_strdup(snap->fault, &ok);
	rec->snap.python = rec->python;
	rec->snap.fault = rec->fault;
	if (!ok) {
		session_proc_rec_free(rec);
		return -1;
	}
	return 0;
}

/* Free what a demo recording owns. */
void session_proc_rec_free(struct session_proc_rec *rec)
{
	for (size_t i = 0; rec->output && i < rec->snap.n_output; i++)
		free((char *)rec->output[i].text);
	free(rec->procs);
	free(rec->output);
	rec_python_free(rec->python);
	free(rec->fault);
	memset(rec, 0, sizeof *rec);
}

/* The demo as it was t seconds in: a moment before its end, or its end. */
void session_proc_replay_at(const struct session_proc_rec *rec, double t,
                            struct proc_demo_snap *out)
{
	*out = rec->snap;
	if (t < rec->snap.now_s) {
		out->now_s = t < 0 ? 0 : t;
		out->ended_s = -1;
	}
}
