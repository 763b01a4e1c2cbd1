/*
 * figures.h — the figures a lesson's `expect:` lines may name, as ONE table:
 * each row a name, the kinds of report that have it (run, compare with
 * (BACKEND), process), its unit and a getter on a finished session. The
 * check of an expect against its block's command (`lessons --check`) and the
 * measurement (`lessons --verify`) both read this table; a new figure is one
 * row (and its getter).
 */
#ifndef MPTUTOR_CMD_FIGURES_H
#define MPTUTOR_CMD_FIGURES_H

#include <stdbool.h>
#include <stddef.h>

#include "lesson/lesson.h"
#include "session/session.h"

/* What of a finished session a getter reads. */
struct figure_ctx {
	const struct session *ss;          /* the session, finished */
	const struct run_snapshot *snap;   /* run: its last map; compare: the BACKEND's row */
	const struct run_snapshot *base;   /* compare: that row's family baseline, or NULL */
	const struct proc_demo_snap *demo; /* process: the last demo */
};

/* The kinds of report a figure is in, as bits of 1 << enum run_kind. */
#define FIGURE_IN(kind) (1u << (kind))
#define FIGURE_RUN FIGURE_IN(RUNKIND_RUN)
#define FIGURE_COMPARE FIGURE_IN(RUNKIND_COMPARE) /* with (BACKEND): that backend's row */
#define FIGURE_PROCESS FIGURE_IN(RUNKIND_PROCESS)
#define FIGURE_SWEEP FIGURE_IN(RUNKIND_SWEEP)

/* One figure. */
struct figure {
	const char *name; /* "wall_s" */
	unsigned kinds;   /* FIGURE_* bits */
	const char *unit; /* " s", "×", "" */
	const char *what; /* one line for the docs and --check's message */
	/* The value in *out; -1 if this session cannot say (the task has no
	 * counter, the backend no GIL, ...). */
	int (*get)(const struct figure_ctx *ctx, double *out);
};

extern const struct figure figure_table[];
extern const size_t figure_count;

/* The row named name, or NULL. */
const struct figure *figure_find(const char *name);
/* Every figure's name, "wall_s, cpu_s, ...", into buf. */
void figure_names(char *buf, size_t len);
/* Check one expect against its block's kind: 0, or -1 with the message
 * ("unknown figure 'x' (known: ...)", "'orders' is not in a compare's report
 * (it is in: run, process)", "'speedup' needs (BACKEND)"). backends: the
 * compare's backends (may be NULL: not checked). */
int figure_check(const struct lesson_expect *e, enum run_kind kind,
                 const enum backend_kind *backends, size_t n_backends, char *err, size_t errlen);
/* Measure an expect's figure on a finished session: 0 and *out, or -1 with
 * why it cannot be measured in err. */
int figure_measure(const struct lesson_expect *e, const struct session *ss, double *out, char *err,
                   size_t errlen);

#endif
