/*
 * predict.c — predictions against measurements: the figures of finished
 * runs, the value a `measure:` names, the learner's answer parsed, and the
 * verdict line. No printing, no curses: front ends show the strings.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/predict.h"

void predict_figures_add(struct predict_figures *f, const struct run_snapshot *s, bool compare)
{
	f->valid = true;
	f->compare = compare;
	if (compare && s->backend < BACKEND_COUNT) {
		f->have[s->backend] = true;
		f->wall[s->backend] = s->wall_s;
	}
	f->wall_s = s->wall_s;
	f->failed += (long)s->n_failed;
	if (s->has_parent_counter) {
		f->has_counter = true;
		f->counter = s->parent_counter;
	}
}

int predict_measured(const struct predict *p, const struct predict_figures *f, double *num,
                     const char **name)
{
	char w1[32] = "", w2[32] = "";
	enum backend_kind bk;

	*name = NULL;
	*num = 0;
	if (!p || !f->valid || sscanf(p->measure, "%31s %31s", w1, w2) < 1)
		return -1;
	if (!strcmp(w1, "speedup")) {
		enum backend_kind base;
		if (!f->compare || backend_find(w2, &bk) < 0 || !f->have[bk])
			return -1;
		base = backend_baseline(bk);
		if (!f->have[base] || f->wall[bk] <= 0)
			return -1;
		*num = f->wall[base] / f->wall[bk];
	} else if (!strcmp(w1, "wall")) {
		if (*w2) {
			if (!f->compare || backend_find(w2, &bk) < 0 || !f->have[bk])
				return -1;
			*num = f->wall[bk];
		} else {
			*num = f->wall_s;
		}
	} else if (!strcmp(w1, "failed")) {
		*num = (double)f->failed;
	} else if (!strcmp(w1, "counter")) {
		if (!f->has_counter)
			return -1;
		*num = (double)f->counter;
	} else if (!strcmp(w1, "fastest")) {
		double best = 0;
		for (size_t i = 0; f->compare && i < p->n_choices; i++) {
			if (backend_find(p->choices[i], &bk) < 0 || !f->have[bk])
				continue;
			if (!*name || f->wall[bk] < best) {
				best = f->wall[bk];
				*name = p->choices[i];
			}
		}
		return *name ? 0 : -1;
	} else {
		return -1;
	}
	return 0;
}

int predict_parse_answer(const struct predict *p, const char *answer, int *choice, double *number,
                         char *err, size_t errlen)
{
	*choice = -1;
	*number = 0;
	if (p->n_choices) {
		*choice = lesson_choice_index(answer, p->n_choices);
		if (*choice >= 0)
			return 0;
		snprintf(err, errlen, "'%s' is not a choice: answer a-%c", answer,
		         (char)('a' + p->n_choices - 1));
		return -1;
	}
	char *end;
	*number = strtod(answer, &end);
	if (end != answer && isfinite(*number)) {
		while (*end == ' ')
			end++;
		/* units a learner may add: 1.8x, 2×, 0.4 s */
		if (!*end || !strcmp(end, "x") || !strcmp(end, "X") || !strcmp(end, "\xc3\x97") ||
		    !strcmp(end, "s"))
			return 0;
	}
	snprintf(err, errlen, "'%s' is not a number: answer like 1.8", answer);
	return -1;
}

void predict_verdict(const struct predict *p, const struct predict_figures *f, int choice,
                     double number, char *buf, size_t len, bool *right)
{
	double got;
	const char *name;
	char mine[128];
	const char *unit = !strncmp(p->measure, "speedup", 7) ? "\xc3\x97"
	                   : !strncmp(p->measure, "wall", 4)  ? " s"
	                                                      : "";

	*right = false;
	if (choice >= 0 && (size_t)choice < p->n_choices)
		snprintf(mine, sizeof mine, "%s", p->choices[choice]);
	else
		snprintf(mine, sizeof mine, "%g%s", number, unit);
	if (predict_measured(p, f, &got, &name) < 0) {
		snprintf(buf, len, "You predicted: %s. The run gave no %s to compare with.", mine,
		         p->measure);
		return;
	}
	if (choice >= 0) {
		*right = name && !strcmp(name, p->choices[choice]);
		snprintf(buf, len, "You predicted: %s. Measured %s: %s. %s", mine, p->measure, name,
		         *right ? "Right." : "Not this time: read on.");
		return;
	}
	double scale = fabs(got) > 1e-9 ? fabs(got) : 1.0;
	*right = fabs(number - got) <= PREDICT_CLOSE_ENOUGH * scale + 1e-9;
	snprintf(buf, len, "You predicted: %s. Measured %s: %.3g%s. %s", mine, p->measure, got,
	         unit, *right ? "Close: well predicted." : "Far off: read on.");
}
