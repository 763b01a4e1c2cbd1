/*
 * lessons.h — the command side of the course: the `lessons [--check]
 * [--blocks]` command (the course as a list, a validation of every lesson
 * file, or every runnable block a line), and the check of a runnable block's
 * command line that lesson loading takes as a function pointer
 * (lesson_check_fn), since lesson/ sits below cmd/ and may not parse
 * commands itself.
 */
#ifndef MPTUTOR_CMD_LESSONS_H
#define MPTUTOR_CMD_LESSONS_H

#include <stddef.h>

struct cmd_env;

/* The `lessons` command's exec (argv[0] is "lessons"): CMD_OK, or CMD_USAGE
 * on a bad option or, with --check, on any problem found. */
int cmd_exec_lessons(struct cmd_env *env, int argc, char **argv);

/* A lesson_check_fn: 0 if cmdline is one command the REPL runs (run, compare
 * and process with valid options and ITEMS, or another REPL command); else -1
 * and the whole diagnostic in err ("mptutor block: unknown command 'x' ...").
 * Front ends and the `lessons` command hand it to course_load. */
int cmd_lesson_block_check(const char *cmdline, char *err, size_t errlen);

struct course;
/* Check every expect: line against its block's command (cmd/figures.c);
 * problems are added to the course's diagnostics, which are then sorted. */
void lessons_check_expects(struct course *c);
#define VERIFY_RUNS 3      /* lessons --verify: runs of each block by default */
#define VERIFY_MAX_RUNS 10 /* ... and at most (--runs K) */

/* lessons --verify [N] [--runs K]: run every runnable block (of lesson N)
 * runs times and report each claim. CMD_OK if every block ran and every claim
 * held every time, CMD_FAILED if not, CMD_USAGE for no such lesson or a
 * course with problems, CMD_INTERRUPTED on a stop request. */
int lessons_verify(struct cmd_env *env, struct course *c, const char *which, int runs);

/* glossary [WORD]: every word of lessons/glossary.md, or one; CMD_USAGE for
 * a word not there (with its close matches) or no glossary. */
int cmd_exec_glossary(struct cmd_env *env, int argc, char **argv);

#endif
