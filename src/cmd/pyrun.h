/*
 * pyrun.h — the pyrun, exercise and hint commands (cmd/pyrun.c,
 * cmd/exercise.c), and what the tutor shares of them: a checker's verdict
 * read from its run.
 */
#ifndef MPTUTOR_CMD_PYRUN_H
#define MPTUTOR_CMD_PYRUN_H

#include "cmd/cmd.h"
#include "lesson/exercise.h"

/* pyrun FILE [--python PATH] [--timeout S] [--format F | --json] [-- ARGS]. */
int cmd_exec_pyrun(struct cmd_env *env, int argc, char **argv);
/* exercise [N] [--check FILE] [--python PATH]. */
int cmd_exec_exercise(struct cmd_env *env, int argc, char **argv);
/* hint [N]: the next hint of exercise N (default: the current one). */
int cmd_exec_hint(struct cmd_env *env, int argc, char **argv);
/* The verdict of a finished checker run: its stdout's last JSON verdict line;
 * without one, a verdict "not passed" whose reason says how the checker ended
 * (and -1). */
int cmd_exercise_verdict(const struct pyrun_snapshot *check, struct exercise_verdict *v);
/* Where the exercises are: the course directory's exercises/ (NULL if none). */
const char *cmd_exercise_dir(char *buf, size_t len);

#endif
