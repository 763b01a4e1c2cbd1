/*
 * figures.c — the table of figures `expect:` lines name, their getters on a
 * finished session, and the check of an expect against its command's kind.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/figures.h"
#include "engine/backend.h"
#include "export/report.h"
#include "session/sweep.h"

/* The wall time: a map's, or a demo's first start() to its last exit. */
static int fig_wall(const struct figure_ctx *c, double *out)
{
	if (c->snap) {
		*out = c->snap->wall_s;
		return 0;
	}
	if (!c->demo || c->demo->started_s < 0)
		return -1;
	double last = -1;
	for (size_t k = 0; k < c->demo->n_procs; k++)
		if (c->demo->procs[k].exited_s > last)
			last = c->demo->procs[k].exited_s;
	if (last < 0)
		return -1;
	*out = last - c->demo->started_s;
	return 0;
}

/* CPU of all workers. */
static int fig_cpu(const struct figure_ctx *c, double *out)
{
	*out = c->snap->cpu_s;
	return 0;
}

/* Pool creation. */
static int fig_startup(const struct figure_ctx *c, double *out)
{
	*out = c->snap->startup_s;
	return 0;
}

/* Workers that ran at least one item. */
static int fig_workers_used(const struct figure_ctx *c, double *out)
{
	int n = 0;
	for (int i = 0; i < c->snap->workers; i++)
		n += c->snap->per_worker[i].tasks >= 1;
	*out = n;
	return 0;
}

/* The largest fraction of the items one worker ran. */
static int fig_max_share(const struct figure_ctx *c, double *out)
{
	long most = 0;
	if (c->snap->n_items == 0)
		return -1;
	for (int i = 0; i < c->snap->workers; i++)
		if (c->snap->per_worker[i].tasks > most)
			most = c->snap->per_worker[i].tasks;
	*out = (double)most / (double)c->snap->n_items;
	return 0;
}

/* Items that failed; a demo's children that exited non-zero or were killed. */
static int fig_failed(const struct figure_ctx *c, double *out)
{
	if (c->snap) {
		*out = (double)c->snap->n_failed;
		return 0;
	}
	int n = 0;
	for (size_t k = 0; k < c->demo->n_procs; k++)
		n += c->demo->procs[k].exit_code != 0;
	*out = n;
	return 0;
}

/* What the parent's counter reads after (the counter task). */
static int fig_parent_counter(const struct figure_ctx *c, double *out)
{
	if (!c->snap->has_parent_counter)
		return -1;
	*out = (double)c->snap->parent_counter;
	return 0;
}

/* GIL hand-offs (the gil backend's log). */
static int fig_handoffs(const struct figure_ctx *c, double *out)
{
	if (c->snap->backend != BACKEND_GIL)
		return -1;
	*out = (double)c->snap->n_switches;
	return 0;
}

/* Distinct output orders over --repeat (one run: 1). */
static int fig_orders(const struct figure_ctx *c, double *out)
{
	const struct session_orders *o = session_orders(c->ss);
	*out = o->runs > 0 ? (double)o->n_orders : 1;
	return 0;
}

/* The share of the workers' GIL time spent waiting for it. */
static int fig_gil_wait_share(const struct figure_ctx *c, double *out)
{
	double held = 0, wait = 0;
	for (int i = 0; i < c->snap->workers; i++) {
		held += c->snap->per_worker[i].gil_held_s;
		wait += c->snap->per_worker[i].gil_wait_s;
	}
	if (held + wait <= 0)
		return -1;
	*out = wait / (held + wait);
	return 0;
}

/* A compare row's speedup over its family's serial row. */
static int fig_speedup(const struct figure_ctx *c, double *out)
{
	if (!c->base || c->snap->wall_s <= 0)
		return -1;
	*out = c->base->wall_s / c->snap->wall_s;
	return 0;
}

/* A compare row's results are its baseline's: 1, else 0. */
static int fig_results_match(const struct figure_ctx *c, double *out)
{
	if (!c->base)
		return -1;
	*out = report_results_match(c->base, c->snap) ? 1 : 0;
	return 0;
}

/* The Processes a demo started. */
static int fig_procs(const struct figure_ctx *c, double *out)
{
	*out = (double)c->demo->n_procs;
	return 0;
}

/* The longest a demo's child stayed a zombie: exited, not yet joined. */
static int fig_zombie_s(const struct figure_ctx *c, double *out)
{
	double most = -1;
	for (size_t k = 0; k < c->demo->n_procs; k++) {
		const struct proc_demo_child *p = &c->demo->procs[k];
		double end = p->joined_s >= 0 ? p->joined_s : p->reaped_s;
		if (p->exited_s >= 0 && end >= p->exited_s && end - p->exited_s > most)
			most = end - p->exited_s;
	}
	if (most < 0)
		return -1;
	*out = most;
	return 0;
}

/* A sweep's curve the figure reads: the last one, -b's last backend (the
 * family baselines a sweep adds run first). */
static const struct sweep_curve *fig_sweep_curve(const struct figure_ctx *c,
                                                 const struct sweep_report **r)
{
	*r = session_sweep(c->ss);
	if (!*r || (*r)->n_curves == 0)
		return NULL;
	return &(*r)->curves[(*r)->n_curves - 1];
}

/* A sweep's fitted serial fraction (Amdahl's f). */
static int fig_serial_fraction(const struct figure_ctx *c, double *out)
{
	const struct sweep_report *r;
	const struct sweep_curve *cv = fig_sweep_curve(c, &r);
	if (!cv || !cv->fit.ok)
		return -1;
	*out = cv->fit.f;
	return 0;
}

/* Wall time per item, in microseconds: the hand-off cost at the map's chunksize. */
static int fig_per_item_us(const struct figure_ctx *c, double *out)
{
	if (c->snap->n_items == 0)
		return -1;
	*out = report_per_item_s(c->snap) * 1e6;
	return 0;
}

/* A py-* map's messages pickled to its workers (one a chunk, as Pool sends them). */
static int fig_messages(const struct figure_ctx *c, double *out)
{
	if (!c->snap->python)
		return -1;
	*out = (double)c->snap->python->msgs_sent;
	return 0;
}

/* A sweep's highest measured speedup on its curve. */
static int fig_best_speedup(const struct figure_ctx *c, double *out)
{
	const struct sweep_report *r;
	const struct sweep_curve *cv = fig_sweep_curve(c, &r);
	double best = -1;
	for (size_t i = 0; cv && i < cv->n; i++) {
		const struct sweep_point *p = &r->pts[cv->first + i];
		if (p->done && p->speedup == p->speedup && p->speedup > best) /* not NaN */
			best = p->speedup;
	}
	if (best < 0)
		return -1;
	*out = best;
	return 0;
}

#define FIG_MAPS (FIGURE_RUN | FIGURE_COMPARE)

const struct figure figure_table[] = {
    {"wall_s", FIG_MAPS | FIGURE_PROCESS, " s",
     "the map's wall time (process: first start() to last exit)", fig_wall},
    {"cpu_s", FIG_MAPS, " s", "CPU time of all workers", fig_cpu},
    {"startup_s", FIG_MAPS, " s", "pool creation, apart from the map", fig_startup},
    {"per_item_us", FIG_MAPS, " us",
     "the map's wall time per item (the hand-off cost and the work)", fig_per_item_us},
    {"messages", FIG_MAPS, "", "messages pickled to the workers (py-* backends)", fig_messages},
    {"workers_used", FIG_MAPS, "", "workers that ran at least one item", fig_workers_used},
    {"max_share", FIG_MAPS, "", "the largest fraction of the items one worker ran (0-1)",
     fig_max_share},
    {"failed", FIG_MAPS | FIGURE_PROCESS, "",
     "items that failed (process: children that exited non-zero)", fig_failed},
    {"parent_counter", FIG_MAPS, "", "what the parent's counter reads after (counter task)",
     fig_parent_counter},
    {"handoffs", FIG_MAPS, "", "GIL hand-offs (gil backend)", fig_handoffs},
    {"orders", FIGURE_RUN | FIGURE_PROCESS, "", "distinct output orders over --repeat", fig_orders},
    {"gil_wait_share", FIG_MAPS, "",
     "the share of the workers' GIL time spent waiting for it (0-1)", fig_gil_wait_share},
    {"speedup", FIGURE_COMPARE, "\xc3\x97", "a row's speedup over its family's serial row",
     fig_speedup},
    {"results_match", FIGURE_COMPARE, "", "a row's results are its baseline's: 1, else 0",
     fig_results_match},
    {"procs", FIGURE_PROCESS, "", "the Processes started", fig_procs},
    {"zombie_s", FIGURE_PROCESS, " s", "the longest a child was a zombie (exited, not joined)",
     fig_zombie_s},
    {"serial_fraction", FIGURE_SWEEP, "",
     "a sweep's fitted serial fraction (Amdahl's f, 0-1) of -b's last backend",
     fig_serial_fraction},
    {"best_speedup", FIGURE_SWEEP, "\xc3\x97",
     "a sweep's highest measured speedup of -b's last backend", fig_best_speedup},
};
const size_t figure_count = sizeof figure_table / sizeof figure_table[0];

/* Only figures whose getters read the demo take a process session. */
const struct figure *figure_find(const char *name)
{
	for (size_t i = 0; name && i < figure_count; i++)
		if (!strcmp(figure_table[i].name, name))
			return &figure_table[i];
	return NULL;
}

void figure_names(char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < figure_count && n < len; i++)
		n +=
		    (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", figure_table[i].name);
}

/* The report kinds by enum run_kind. */
static const char *const figure_kind_names[] = {"run", "compare", "process", "sweep"};
#define FIGURE_KINDS (sizeof figure_kind_names / sizeof *figure_kind_names)

/* The kinds' names, "run, compare (BACKEND)", into buf. */
static void figure_kinds_text(unsigned kinds, char *buf, size_t len)
{
	const char *const *names = figure_kind_names;
	size_t n = 0;
	buf[0] = '\0';
	for (unsigned k = 0; k < FIGURE_KINDS && n < len; k++)
		if (kinds & (1u << k))
			n += (size_t)snprintf(buf + n, len - n, "%s%s%s", n ? ", " : "", names[k],
			                      k == RUNKIND_COMPARE ? " (with (BACKEND))" : "");
}

int figure_check(const struct lesson_expect *e, enum run_kind kind,
                 const enum backend_kind *backends, size_t n_backends, char *err, size_t errlen)
{
	const struct figure *f = figure_find(e->figure);
	char names[512];
	if (!f) {
		figure_names(names, sizeof names);
		snprintf(err, errlen, "unknown figure '%s' (known: %s)", e->figure, names);
		return -1;
	}
	if (!(f->kinds & FIGURE_IN(kind))) {
		figure_kinds_text(f->kinds, names, sizeof names);
		snprintf(
		    err, errlen, "figure '%s' is not in a %s's report (it is in: %s)", e->figure,
		    (unsigned)kind < FIGURE_KINDS ? figure_kind_names[kind] : "command", names);
		return -1;
	}
	if (kind == RUNKIND_COMPARE) {
		enum backend_kind bk;
		if (!e->arg) {
			snprintf(err, errlen,
			         "figure '%s' of a compare names its row: write %s(BACKEND)",
			         e->figure, e->figure);
			return -1;
		}
		if (backend_find(e->arg, &bk) < 0) {
			backend_names(names, sizeof names);
			snprintf(err, errlen, "%s(%s): no backend '%s' (backends: %s)", e->figure,
			         e->arg, e->arg, names);
			return -1;
		}
		bool in = backends == NULL;
		for (size_t i = 0; backends && i < n_backends; i++)
			in |= backends[i] == bk;
		if (!in) {
			snprintf(err, errlen, "%s(%s): the compare does not run %s (add it to -b)",
			         e->figure, e->arg, e->arg);
			return -1;
		}
	} else if (e->arg) {
		snprintf(err, errlen, "figure '%s' takes no (%s) outside a compare", e->figure,
		         e->arg);
		return -1;
	}
	return 0;
}

int figure_measure(const struct lesson_expect *e, const struct session *ss, double *out, char *err,
                   size_t errlen)
{
	const struct figure *f = figure_find(e->figure);
	struct figure_ctx c = {.ss = ss};
	enum run_kind kind = session_kind(ss);

	if (!f || !(f->kinds & FIGURE_IN(kind))) {
		snprintf(err, errlen, "no figure '%s' here", e->figure);
		return -1;
	}
	if (kind == RUNKIND_PROCESS) {
		c.demo = session_demo_snap(ss);
		if (!c.demo) {
			snprintf(err, errlen, "no demo finished");
			return -1;
		}
	} else if (kind == RUNKIND_COMPARE) {
		enum backend_kind bk;
		for (size_t i = 0;
		     e->arg && backend_find(e->arg, &bk) == 0 && i < session_n_rows(ss); i++)
			if (session_row(ss, i)->backend == bk) {
				c.snap = session_row_snap(ss, i);
				const struct session_row *b = session_baseline(ss, i);
				for (size_t j = 0; b && j < session_n_rows(ss); j++)
					if (session_row(ss, j) == b)
						c.base = session_row_snap(ss, j);
			}
	} else if (kind == RUNKIND_RUN) {
		c.snap = session_n_rows(ss) ? session_row_snap(ss, 0) : NULL;
	}
	if ((kind == RUNKIND_RUN || kind == RUNKIND_COMPARE) && !c.snap) {
		snprintf(err, errlen, "no run of %s finished", e->arg ? e->arg : "the map");
		return -1;
	}
	if (f->get(&c, out) < 0) {
		snprintf(err, errlen, "this run has no %s", e->figure);
		return -1;
	}
	return 0;
}
