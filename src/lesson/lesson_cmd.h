/*
 * lesson_cmd.h — the `lessons [--check] [--blocks]` command: the course as a
 * list (number, title, done or not), a validation of every lesson file
 * (`file:line: message` for each problem), or every runnable block, one a
 * line, for scripts that run the whole course headless.
 */
#ifndef MPTUTOR_LESSON_CMD_H
#define MPTUTOR_LESSON_CMD_H

struct cmd_env;

/* The `lessons` command's exec (argv[0] is "lessons"): CMD_OK, or CMD_USAGE
 * on a bad option or, with --check, on any problem found. */
int lesson_cmd_lessons(struct cmd_env *env, int argc, char **argv);

#endif
