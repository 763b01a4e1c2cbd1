/*
 * lesson_cmd.c — the `lessons` command: the course a line each (number,
 * title, done or not); `--check` validates every lesson file and prints
 * `file:line: message` for each problem; `--blocks` prints every runnable
 * block as `file:line: command`, for scripts that run the course headless.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "lesson/lesson.h"
#include "lesson/lesson_cmd.h"

/* Count the blocks of one kind in a course. */
static size_t lesson_cmd_count(const struct course *c, enum lblock_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n_lessons; i++)
		for (size_t p = 0; p < c->lessons[i].n_pages; p++)
			for (size_t b = 0; b < c->lessons[i].pages[p].n_blocks; b++)
				n += c->lessons[i].pages[p].blocks[b].kind == kind;
	return n;
}

/* The list: number, title, pages, done. */
static void lesson_cmd_list(struct cmd_env *env, const struct course *c)
{
	struct progress pr;
	char err[512];

	progress_load(&pr, err, sizeof err);
	if (err[0])
		fprintf(env->err, "%s\n", err);
	int tw = 0;
	for (size_t i = 0; i < c->n_lessons; i++) {
		int w = lesson_text_width(c->lessons[i].title);
		tw = w > tw ? w : tw;
	}
	for (size_t i = 0; i < c->n_lessons; i++) {
		const struct lesson *l = &c->lessons[i];
		bool here = pr.lesson && !strcmp(pr.lesson, l->name);
		bool done = progress_is_done(&pr, l->name);
		fprintf(env->out, "%2d  %s%*s  %2zu page%s", l->number, l->title,
		        tw - lesson_text_width(l->title), "", l->n_pages,
		        l->n_pages == 1 ? "" : "s");
		if (done || here)
			fprintf(env->out, "%s  %s%s", l->n_pages == 1 ? " " : "",
			        done ? "done" : "",
			        here ? (done ? ", you are here" : "you are here") : "");
		fputc('\n', env->out);
	}
	if (c->n_diags)
		fprintf(
		    env->err,
		    "lessons: %zu problem%s in the lesson files; see 'mptutor lessons --check'\n",
		    c->n_diags, c->n_diags == 1 ? "" : "s");
	progress_free(&pr);
}

/* Every runnable block as file:line: command. */
static void lesson_cmd_blocks(struct cmd_env *env, const struct course *c)
{
	for (size_t i = 0; i < c->n_lessons; i++) {
		const struct lesson *l = &c->lessons[i];
		for (size_t p = 0; p < l->n_pages; p++)
			for (size_t b = 0; b < l->pages[p].n_blocks; b++)
				if (l->pages[p].blocks[b].kind == LBLOCK_RUN)
					fprintf(env->out, "%s:%d: %s\n", l->path,
					        l->pages[p].blocks[b].line,
					        l->pages[p].blocks[b].text);
	}
}

int lesson_cmd_lessons(struct cmd_env *env, int argc, char **argv)
{
	bool check = false, blocks = false;
	struct course c;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check")) {
			check = true;
		} else if (!strcmp(argv[i], "--blocks")) {
			blocks = true;
		} else {
			fprintf(env->err,
			        "lessons: unknown option '%s' (allowed: --check, --blocks)\n",
			        argv[i]);
			return CMD_USAGE;
		}
	}
	const char *dir = lesson_dir_find();
	if (!dir || course_load(dir, &c) < 0) {
		fprintf(
		    env->err,
		    "lessons: no lesson directory (looked at $MPTUTOR_LESSONS, ./lessons and %s)\n",
		    MPTUTOR_DATADIR "/lessons");
		return CMD_USAGE;
	}
	int rc = CMD_OK;
	if (check) {
		for (size_t i = 0; i < c.n_diags; i++)
			fprintf(env->out, "%s:%d: %s\n", c.diags[i].file, c.diags[i].line,
			        c.diags[i].message);
		if (c.n_lessons == 0) {
			fprintf(env->out, "%s: no lessons (files named NN-name.md)\n", dir);
			rc = CMD_USAGE;
		}
		if (c.n_diags) {
			fprintf(env->err, "lessons --check: %zu problem%s\n", c.n_diags,
			        c.n_diags == 1 ? "" : "s");
			rc = CMD_USAGE;
		} else if (rc == CMD_OK) {
			fprintf(env->out,
			        "%s: %zu lessons, %zu runnable blocks, %zu quizzes, %zu "
			        "predictions: all good\n",
			        dir, c.n_lessons, lesson_cmd_count(&c, LBLOCK_RUN),
			        lesson_cmd_count(&c, LBLOCK_QUIZ),
			        lesson_cmd_count(&c, LBLOCK_PREDICT));
		}
	} else if (blocks) {
		lesson_cmd_blocks(env, &c);
	} else {
		lesson_cmd_list(env, &c);
	}
	course_free(&c);
	return rc;
}
