/*
 * exercise.c — the exercise and hint commands. `exercise` lists the course's
 * exercises with progress; `exercise N` copies its start.py into the state
 * directory (never over the learner's copy), then the tutor watches it
 * (every save is run and checked, through frontend_ops.exercise), while the
 * command line opens $VISUAL or $EDITOR on it when there is a terminal, checks
 * it once the editor is closed, or else says where it is; `exercise N --check
 * FILE` runs the exercise's check.py on FILE with the real interpreter and
 * prints the verdict (exit 0 passed, 1 not yet, 2 bad usage or no such file).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/pyrun.h"
#include "cmd/signals.h"
#include "lesson/exercise.h"
#include "lesson/lesson.h"
#include "session/pyjob.h"

#define EXERCISE_CHECK_TIMEOUT_S 120 /* a checker that takes longer is stopped */

/* A message on env->err, "mptutor: " first on the command line. */
static void ex_error(struct cmd_env *env, const char *fmt, const char *a, const char *b)
{
	fprintf(env->err, "%s", env->where == CMD_IN_CLI ? "mptutor: " : "");
	fprintf(env->err, fmt, a, b);
	fputc('\n', env->err);
	fflush(env->err);
}

const char *cmd_exercise_dir(char *buf, size_t len)
{
	const char *env = getenv("MPTUTOR_EXERCISES");
	if (env && *env)
		return env;
	const char *dir = lesson_dir_find();
	if (!dir || snprintf(buf, len, "%s/exercises", dir) >= (int)len)
		return NULL;
	return buf;
}

int cmd_exercise_verdict(const struct pyrun_snapshot *s, struct exercise_verdict *v)
{
	const char *lines[PYRUN_MAX_LINES];
	size_t n = 0;
	for (size_t i = 0; i < s->n_lines; i++)
		if (s->lines[i].stream == 1)
			lines[n++] = s->lines[i].text;
	if (exercise_parse_verdict(lines, n, v) == 0)
		return 0;
	memset(v, 0, sizeof *v);
	char end[96];
	const char *last = "";
	for (size_t i = s->n_lines; i-- > 0;)
		if (s->lines[i].stream == 2 && s->lines[i].text[0]) {
			last = s->lines[i].text;
			break;
		}
	if (s->timed_out)
		snprintf(end, sizeof end, "it ran past %g s and was stopped", s->timeout_s);
	else if (s->exit_code >= 0)
		snprintf(end, sizeof end, "it exited %d", s->exit_code);
	else
		snprintf(end, sizeof end, "it was killed by signal %d", s->term_sig);
	snprintf(v->reason, sizeof v->reason, "the checker gave no verdict (%s)%s%s", end,
	         last[0] ? ": " : "", last);
	snprintf(v->figures, sizeof v->figures, "{}");
	return -1;
}

/* Load the exercises; CMD_OK or CMD_USAGE with a message. */
static int ex_load(struct cmd_env *env, struct exercise_list *l)
{
	char dirbuf[PATH_MAX], err[PATH_MAX + 128];
	const char *dir = cmd_exercise_dir(dirbuf, sizeof dirbuf);
	if (!dir) {
		ex_error(env,
		         "exercise: no course directory (looked at $MPTUTOR_LESSONS, ./lessons "
		         "and %s)%s",
		         MPTUTOR_DATADIR "/lessons", "");
		return CMD_USAGE;
	}
	if (exercise_list_load(dir, l, err, sizeof err) != 0 && l->n == 0) {
		ex_error(env, "exercise: %s%s", err, "");
		return CMD_USAGE;
	}
	if (err[0])
		ex_error(env, "exercise: %s%s", err, "");
	return CMD_OK;
}

/* The list, with progress. */
static void ex_list(struct cmd_env *env, const struct exercise_list *l)
{
	struct exercise_progress p;
	char err[512];
	exercise_progress_load(&p, err, sizeof err);
	if (err[0])
		ex_error(env, "exercise: %s%s", err, "");
	size_t passed = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct exercise *ex = &l->ex[i];
		bool ok = exercise_progress_passed(&p, ex->name);
		int h = exercise_progress_hints(&p, ex->name);
		passed += ok;
		fprintf(env->out, "%2d  %-48s %s", ex->number, ex->title, ok ? "passed" : "      ");
		if (h)
			fprintf(env->out, "  %d/%zu hint%s", h, ex->n_hints,
			        ex->n_hints == 1 ? "" : "s");
		if (!strcmp(p.current, ex->name))
			fprintf(env->out, "  (current)");
		fputc('\n', env->out);
	}
	fprintf(env->out, "%zu of %zu passed. Start one with: exercise N\n", passed, l->n);
}

/* Run check.py on file to its end; the verdict into v. CMD_OK passed,
 * CMD_FAILED not yet, CMD_USAGE could not check, or a stop. */
static int ex_check(struct cmd_env *env, const struct exercise *ex, const char *file,
                    const char *python, struct exercise_verdict *v)
{
	char checker[PATH_MAX + 16], abs[PATH_MAX], msg[600];
	if (!realpath(file, abs)) {
		ex_error(env, "exercise --check: cannot read %s: %s", file, strerror(errno));
		return CMD_USAGE;
	}
	snprintf(checker, sizeof checker, "%s/check.py", ex->dir);
	char *args[] = {abs};
	struct pyrun_spec spec = {.python = python,
	                          .script = checker,
	                          .args = args,
	                          .n_args = 1,
	                          .timeout_s = EXERCISE_CHECK_TIMEOUT_S};
	struct pyjob *j;
	if (pyjob_start(&spec, 1, NULL, &j, msg, sizeof msg) != 0) {
		ex_error(env, "exercise: %s%s", msg, "");
		return CMD_USAGE;
	}
	pyjob_wait(j, env->intr_fd);
	int rc;
	if (pyjob_cancelled(j)) {
		int sig = signals_stopped();
		rc = sig ? 128 + sig : CMD_INTERRUPTED;
	} else if (cmd_exercise_verdict(pyjob_snap(j, 0), v) != 0) {
		ex_error(env, "exercise %s: %s", ex->name, v->reason);
		rc = CMD_USAGE;
	} else {
		rc = v->passed ? CMD_OK : CMD_FAILED;
	}
	pyjob_free(j);
	return rc;
}

/* Print a verdict and keep a pass. */
static void ex_say_verdict(struct cmd_env *env, const struct exercise *ex,
                           const struct exercise_verdict *v)
{
	fprintf(env->out, "%s: %s — %s\n", ex->name, v->passed ? "passed" : "not yet", v->reason);
	if (strcmp(v->figures, "{}") != 0)
		fprintf(env->out, "  figures: %s\n", v->figures);
	if (v->passed) {
		struct exercise_progress p;
		char err[512];
		exercise_progress_load(&p, err, sizeof err);
		exercise_progress_pass(&p, ex->name);
		if (exercise_progress_save(&p, err, sizeof err) != 0)
			ex_error(env, "exercise: %s (the pass is not kept)%s", err, "");
	}
	fflush(env->out);
}

/* Open $VISUAL or $EDITOR on path and wait for it; -1 if there is none. */
static int ex_edit(const char *path)
{
	const char *ed = getenv("VISUAL");
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -1;
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s \"$1\"", ed);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return 0;
}

int cmd_exec_exercise(struct cmd_env *env, int argc, char **argv)
{
	const char *which = NULL, *check = NULL, *python = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check") || !strcmp(argv[i], "--python")) {
			if (i + 1 >= argc) {
				ex_error(env, "exercise: %s needs a value (%s)", argv[i],
				         argv[i][2] == 'c' ? "the file to check"
				                           : "an interpreter");
				return CMD_USAGE;
			}
			*(argv[i][2] == 'c' ? &check : &python) = argv[i + 1];
			i++;
		} else if (argv[i][0] == '-') {
			ex_error(env,
			         "exercise: unknown option '%s' (allowed: N, --check FILE, "
			         "--python PATH)%s",
			         argv[i], "");
			return CMD_USAGE;
		} else if (!which) {
			which = argv[i];
		} else {
			ex_error(env, "exercise: one exercise at a time (got '%s' after '%s')",
			         argv[i], which);
			return CMD_USAGE;
		}
	}
	struct exercise_list l;
	int rc = ex_load(env, &l);
	if (rc != CMD_OK)
		return rc;
	if (!which) {
		if (check) {
			ex_error(env,
			         "exercise --check FILE needs the exercise's number, like "
			         "exercise 1 --check %s%s",
			         check, "");
			rc = CMD_USAGE;
		} else {
			ex_list(env, &l);
		}
		exercise_list_free(&l);
		return rc;
	}
	const struct exercise *ex = exercise_find(&l, which);
	if (!ex) {
		char range[64];
		snprintf(range, sizeof range, "1..%d", l.n ? l.ex[l.n - 1].number : 0);
		ex_error(env,
		         "exercise: no exercise '%s' (allowed: a number %s or a name; see "
		         "exercise)",
		         which, range);
		exercise_list_free(&l);
		return CMD_USAGE;
	}
	struct exercise_verdict v;
	if (check) {
		rc = ex_check(env, ex, check, python, &v);
		if (rc == CMD_OK || rc == CMD_FAILED)
			ex_say_verdict(env, ex, &v);
		exercise_list_free(&l);
		return rc;
	}
	char path[PATH_MAX], err[PATH_MAX + 128];
	bool created = false;
	if (exercise_user_path(ex, path, sizeof path, err, sizeof err) != 0 ||
	    exercise_copy_start(ex, path, &created, err, sizeof err) != 0) {
		ex_error(env, "exercise: %s%s", err, "");
		exercise_list_free(&l);
		return CMD_USAGE;
	}
	struct exercise_progress p;
	exercise_progress_load(&p, err, sizeof err);
	snprintf(p.current, sizeof p.current, "%s", ex->name);
	if (exercise_progress_save(&p, err, sizeof err) != 0)
		ex_error(env, "exercise: %s%s", err, "");
	fprintf(env->out, "Exercise %d: %s\n%s\n", ex->number, ex->title, ex->task ? ex->task : "");
	fprintf(env->out, "Your file%s: %s\n", created ? " (copied from start.py)" : "", path);
	fprintf(env->out, "%zu hint%s: type hint for the next one.\n", ex->n_hints,
	        ex->n_hints == 1 ? "" : "s");
	if (env->fe && env->fe->exercise) {
		char checker[PATH_MAX + 16];
		snprintf(checker, sizeof checker, "%s/check.py", ex->dir);
		rc = env->fe->exercise(env, ex->name, path, checker, python);
	} else if (env->where == CMD_IN_CLI && ex_edit(path) == 0) {
		rc = ex_check(env, ex, path, python, &v);
		if (rc == CMD_OK || rc == CMD_FAILED)
			ex_say_verdict(env, ex, &v);
	} else {
		fprintf(env->out,
		        "Edit it, then check it with: mptutor exercise %d --check %s\n"
		        "(or in the tutor: exercise %d, and every save is run and checked)\n",
		        ex->number, path, ex->number);
	}
	fflush(env->out);
	exercise_list_free(&l);
	return rc;
}

int cmd_exec_hint(struct cmd_env *env, int argc, char **argv)
{
	if (argc > 2) {
		ex_error(env, "hint takes at most one argument: an exercise number (got '%s')",
		         argv[2], "");
		return CMD_USAGE;
	}
	struct exercise_list l;
	int rc = ex_load(env, &l);
	if (rc != CMD_OK)
		return rc;
	struct exercise_progress p;
	char err[512];
	exercise_progress_load(&p, err, sizeof err);
	const char *which = argc == 2 ? argv[1] : p.current;
	const struct exercise *ex = exercise_find(&l, which);
	if (!ex) {
		ex_error(env,
		         argc == 2
		             ? "hint: no exercise '%s' (see exercise)%s"
		             : "hint: no exercise started yet%s%s (start one with exercise N)",
		         argc == 2 ? which : "", "");
		exercise_list_free(&l);
		return CMD_USAGE;
	}
	char text[2300];
	if (ex->n_hints == 0) {
		snprintf(text, sizeof text, "%s has no hints", ex->name);
	} else {
		int k = exercise_progress_hint_next(&p, ex->name, (int)ex->n_hints);
		snprintf(text, sizeof text, "hint %d/%zu: %s%s", k, ex->n_hints, ex->hints[k - 1],
		         k == (int)ex->n_hints ? " (the last one)" : "");
		if (exercise_progress_save(&p, err, sizeof err) != 0)
			ex_error(env, "hint: %s%s", err, "");
	}
	if (env->fe && env->fe->hint)
		rc = env->fe->hint(env, text);
	else
		fprintf(env->out, "%s\n", text);
	exercise_list_free(&l);
	return rc;
}
