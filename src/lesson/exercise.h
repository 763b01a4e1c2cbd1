/*
 * exercise.h — the exercises of the course: folders lessons/exercises/NN-name/
 * each with task.md (a "# Title", what to do, and a "## Hints" list revealed
 * one at a time), start.py (the file the learner finishes) and check.py (a
 * stdlib checker run by the real interpreter as `check.py FILE`, whose last
 * JSON line is the verdict {"passed": bool, "reason": "...", "figures": {}}).
 * Also the learner's copies ($XDG_STATE_HOME/mptutor/exercises/NN-name.py)
 * and the exercise progress (exercises.json beside progress.json: passed
 * exercises, hints shown, the current one), saved atomically with mode 0600.
 *
 * Contract: functions return 0, or -1 with a message naming the file and
 * what is wrong; exercise_list_free frees what exercise_list_load gave.
 */
#ifndef MPTUTOR_LESSON_EXERCISE_H
#define MPTUTOR_LESSON_EXERCISE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define EXERCISE_MAX 64
#define EXERCISE_PROGRESS_FILE "exercises.json"

/* One exercise folder. */
struct exercise {
	int number;         /* NN */
	char name[64];      /* "01-square" */
	char dir[PATH_MAX]; /* its folder */
	char title[128];    /* task.md's first "# " heading */
	char *task;         /* task.md before "## Hints" (malloc'd) */
	char **hints;       /* the hints, in order */
	size_t n_hints;
};

struct exercise_list {
	struct exercise *ex;
	size_t n;
};

/* What a checker said. */
struct exercise_verdict {
	bool passed;
	char reason[512];
	char figures[512]; /* the figures object as JSON text ("{}" if none) */
};

/* Exercise progress. */
struct exercise_progress {
	char current[64];              /* the last exercise opened, "" none */
	char passed[EXERCISE_MAX][64]; /* names passed */
	size_t n_passed;
	char hint_name[EXERCISE_MAX][64];
	int hints_shown[EXERCISE_MAX]; /* hints shown of hint_name[i] */
	size_t n_hints;
};

/* The exercises under dir (lessons/exercises), sorted by number. A folder
 * missing task.md, start.py or check.py is a problem named in err (-1). */
int exercise_list_load(const char *dir, struct exercise_list *out, char *err, size_t errlen);
void exercise_list_free(struct exercise_list *l);
/* Parse task.md's text into ex's title, task and hints (pure). */
void exercise_parse_task(const char *text, struct exercise *ex);
/* "3", "03", "03-race" or "race" -> the exercise, or NULL. */
const struct exercise *exercise_find(const struct exercise_list *l, const char *which);
/* The learner's copy: state_dir()/exercises/NAME.py into path. */
int exercise_user_path(const struct exercise *ex, char *path, size_t len, char *err, size_t errlen);
/* Copy start.py to the learner's copy unless it exists; *created says which. */
int exercise_copy_start(const struct exercise *ex, const char *path, bool *created, char *err,
                        size_t errlen);
/* The checker's output: the last line that is a JSON object with "passed". -1 if none. */
int exercise_parse_verdict(const char *const *lines, size_t n, struct exercise_verdict *v);

/* Progress (a missing file is empty; a corrupt one too, said in err). */
int exercise_progress_load(struct exercise_progress *p, char *err, size_t errlen);
int exercise_progress_save(const struct exercise_progress *p, char *err, size_t errlen);
bool exercise_progress_passed(const struct exercise_progress *p, const char *name);
void exercise_progress_pass(struct exercise_progress *p, const char *name);
/* Hints shown of name; exercise_progress_hint_next adds one (up to max) and returns it. */
int exercise_progress_hints(const struct exercise_progress *p, const char *name);
int exercise_progress_hint_next(struct exercise_progress *p, const char *name, int max);

#endif
