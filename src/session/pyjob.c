/*
 * pyjob.c — a job of Python scripts run in turn (see pyjob.h): each stage an
 * engine pyrun, the next started when one is over, each kept for drawing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/pyjob.h"

/* One stage: its own copy of the spec, its run and last snapshot. */
struct pyjob_stage {
	char *python, *script, *label;
	char **args;
	int n_args;
	double timeout_s;
	struct pyrun *run;          /* NULL until started */
	struct pyrun_snapshot snap; /* its last */
};

struct pyjob {
	struct pyjob_stage st[PYJOB_MAX_STAGES];
	size_t n, started;
	bool over, cancelled;
	char err[256];
};

/* strdup of NULL is NULL. */
static char *pyjob_dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Start stage i; -1 and a message. */
static int pyjob_start_stage(struct pyjob *j, size_t i, char *err, size_t errlen)
{
	struct pyjob_stage *s = &j->st[i];
	struct pyrun_spec spec = {.python = s->python,
	                          .script = s->script,
	                          .args = s->args,
	                          .n_args = s->n_args,
	                          .timeout_s = s->timeout_s};
	if (pyrun_start(&spec, &s->run, err, errlen) != 0)
		return -1;
	j->started = i + 1;
	pyrun_poll(s->run, &s->snap);
	return 0;
}

/* Free a stage's copies and run. */
static void pyjob_stage_free(struct pyjob_stage *s)
{
	pyrun_free(s->run);
	free(s->python);
	free(s->script);
	free(s->label);
	for (int k = 0; k < s->n_args; k++)
		free(s->args[k]);
	free(s->args);
}

int pyjob_start(const struct pyrun_spec *stages, size_t n, const char *const *labels,
                struct pyjob **out, char *err, size_t errlen)
{
	*out = NULL;
	if (n == 0 || n > PYJOB_MAX_STAGES) {
		snprintf(err, errlen, "a job has 1 to %d stages", PYJOB_MAX_STAGES);
		return -1;
	}
	struct pyjob *j = calloc(1, sizeof *j);
	if (!j) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	j->n = n;
	for (size_t i = 0; i < n; i++) {
		struct pyjob_stage *s = &j->st[i];
		s->python = pyjob_dup(stages[i].python);
		s->script = pyjob_dup(stages[i].script);
		s->label = pyjob_dup(labels && labels[i] ? labels[i] : "run");
		s->timeout_s = stages[i].timeout_s;
		s->n_args = stages[i].n_args;
		s->args = calloc((size_t)s->n_args + 1, sizeof *s->args);
		for (int k = 0; s->args && k < s->n_args; k++)
			s->args[k] = strdup(stages[i].args[k]);
	}
	if (pyjob_start_stage(j, 0, err, errlen) != 0) {
		pyjob_free(j);
		return -1;
	}
	*out = j;
	return 0;
}

int pyjob_poll(struct pyjob *j)
{
	while (!j->over) {
		struct pyjob_stage *s = &j->st[j->started - 1];
		if (!pyrun_poll(s->run, &s->snap))
			return 0;
		if (j->started == j->n || j->cancelled) {
			j->over = true;
		} else if (pyjob_start_stage(j, j->started, j->err, sizeof j->err) != 0) {
			j->over = true;
		}
	}
	return 1;
}

void pyjob_wait(struct pyjob *j, int intr_fd)
{
	while (!pyjob_poll(j)) {
		struct pyjob_stage *s = &j->st[j->started - 1];
		pyrun_wait(s->run, intr_fd, &s->snap);
		if (s->snap.cancelled) {
			j->cancelled = true;
			j->over = true;
		}
	}
}

void pyjob_cancel(struct pyjob *j)
{
	if (!j || j->over)
		return;
	j->cancelled = true;
	struct pyjob_stage *s = &j->st[j->started - 1];
	pyrun_cancel(s->run);
	pyrun_poll(s->run, &s->snap);
	j->over = true;
}

void pyjob_free(struct pyjob *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->n; i++)
		pyjob_stage_free(&j->st[i]);
	free(j);
}

size_t pyjob_current(const struct pyjob *j)
{
	return j->started ? j->started - 1 : 0;
}

size_t pyjob_n_stages(const struct pyjob *j)
{
	return j->n;
}

size_t pyjob_n_started(const struct pyjob *j)
{
	return j->started;
}

const char *pyjob_label(const struct pyjob *j, size_t i)
{
	return i < j->n ? j->st[i].label : "";
}

const struct pyrun_snapshot *pyjob_snap(const struct pyjob *j, size_t i)
{
	return i < j->started ? &j->st[i].snap : NULL;
}

bool pyjob_over(const struct pyjob *j)
{
	return j->over;
}

bool pyjob_cancelled(const struct pyjob *j)
{
	return j->cancelled;
}

const char *pyjob_error(const struct pyjob *j)
{
	return j->err;
}

int pyjob_pollfds(const struct pyjob *j, int *fds, int max)
{
	if (j->over || !j->started)
		return 0;
	return pyrun_pollfds(j->st[j->started - 1].run, fds, max);
}

int pyjob_pgid(const struct pyjob *j)
{
	if (j->over || !j->started)
		return 0;
	return (int)pyrun_pgid(j->st[j->started - 1].run);
}
