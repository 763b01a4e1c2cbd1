/*
 * predict.h — a learner's prediction against what a run measured: the
 * figures a front end collects from finished snapshots (run or compare), the
 * value a ```predict block's `measure:` names, and the one-line verdict shown
 * beside the measurement. Shared by the plain REPL and the curses tutor.
 */
#ifndef MPTUTOR_PREDICT_H
#define MPTUTOR_PREDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"
#include "lesson/lesson.h"

#define PREDICT_CLOSE_ENOUGH                                                                       \
	0.25 /* a number within 25% of the measurement is a good prediction                        \
	      */

/* What the runs of one command measured. Zero it before the command. */
struct predict_figures {
	bool valid;                 /* at least one run finished */
	bool compare;               /* the command was a compare */
	bool have[BACKEND_COUNT];   /* compare: this backend ran */
	double wall[BACKEND_COUNT]; /* compare: its wall time, seconds */
	double wall_s;              /* the last run's wall time */
	long failed;                /* items that failed, over all runs */
	bool has_counter;           /* the counter task ran */
	long counter;               /* what the parent's counter read after */
};

/* Add a finished run's figures (compare: one per backend). */
void predict_figures_add(struct predict_figures *f, const struct run_snapshot *s, bool compare);
/* The measured value p->measure names: a number in *num, or for "fastest"
 * the winning choice in *name. -1 if these figures cannot say. */
int predict_measured(const struct predict *p, const struct predict_figures *f, double *num,
                     const char **name);
/* The learner's answer as typed ("1.8", "2x", "b") -> *choice (>= 0) or
 * *number (choice -1); -1 with a message naming what is allowed. */
int predict_parse_answer(const struct predict *p, const char *answer, int *choice, double *number,
                         char *err, size_t errlen);
/* The verdict line: "You predicted: 1.8×. Measured speedup process: 1.93×. Close: well
 * predicted."; *right says if it was (choice: the same; number: within 25%). */
void predict_verdict(const struct predict *p, const struct predict_figures *f, int choice,
                     double number, char *buf, size_t len, bool *right);

#endif
