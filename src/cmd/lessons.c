/*
 * lessons.c — the `lessons` command: the course a line each (number,
 * title, done or not); `--check` validates every lesson file and prints
 * `file:line: message` for each problem; `--blocks` prints every runnable
 * block as `file:line: command`, for scripts that run the course headless;
 * `--verify [N] [--runs K]` runs them and checks their claims (verify.c). The list
 * shows each lesson's minutes and what became of its checkpoints; --check
 * also warns of pages that do not fit the tutor at 80x24.
 * Also the check of a runnable block's command line that lesson loading
 * calls back (cmd_lesson_block_check).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/lessons.h"
#include "engine/backend.h"
#include "lesson/lesson.h"

int cmd_lesson_block_check(const char *cmdline, char *err, size_t errlen)
{
	int argc = 0;
	char **argv = NULL;
	char msg[256];
	int rc = 0;

	if (cmd_split(cmdline, &argc, &argv, msg, sizeof msg) < 0) {
		snprintf(err, errlen, "mptutor block: %s", msg);
		return -1;
	}
	if (argc == 0) {
		snprintf(err, errlen, "mptutor block: empty command");
		rc = -1;
	} else if (!strcmp(argv[0], "run") || !strcmp(argv[0], "compare") ||
	           !strcmp(argv[0], "process") || !strcmp(argv[0], "sweep")) {
		enum run_kind kind = argv[0][0] == 'r'   ? RUNKIND_RUN
		                     : argv[0][0] == 'c' ? RUNKIND_COMPARE
		                     : argv[0][0] == 's' ? RUNKIND_SWEEP
		                                         : RUNKIND_PROCESS;
		struct run_request req;
		memset(&req, 0, sizeof req);
		if (cmd_parse_request(kind, argc - 1, argv + 1, &req, msg, sizeof msg) < 0) {
			snprintf(err, errlen, "mptutor block '%s': %s", cmdline, msg);
			rc = -1;
		}
		run_request_free(&req);
	} else if (!cmd_find(argv[0], CMD_IN_REPL)) {
		snprintf(err, errlen,
		         "mptutor block: unknown command '%s' (allowed: run, compare, process, "
		         "tasks, ...)",
		         argv[0]);
		rc = -1;
	}
	cmd_split_free(argc, argv);
	return rc;
}

/* Count the blocks of one kind in a course. */
static size_t lessons_count(const struct course *c, enum lblock_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n_lessons; i++)
		for (size_t p = 0; p < c->lessons[i].n_pages; p++)
			for (size_t b = 0; b < c->lessons[i].pages[p].n_blocks; b++)
				n += c->lessons[i].pages[p].blocks[b].kind == kind;
	return n;
}

/* The list: number, title, pages, done. */
static void lessons_list(struct cmd_env *env, const struct course *c)
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
		struct lesson_checkpoints ck;
		char state[128] = "";
		progress_checkpoints(&pr, l, &ck);
		if (done)
			snprintf(state, sizeof state, "done");
		else if (ck.skipped)
			snprintf(state, sizeof state, "%d of %d checkpoint%s skipped", ck.skipped,
			         ck.total, ck.total == 1 ? "" : "s");
		if (here)
			snprintf(state + strlen(state), sizeof state - strlen(state),
			         "%syou are here", state[0] ? ", " : "");
		fprintf(env->out, "%2d  %s%*s  %2zu page%s  %3d min%s", l->number, l->title,
		        tw - lesson_text_width(l->title), "", l->n_pages,
		        l->n_pages == 1 ? " " : "s", l->minutes, l->minutes_given ? "" : "*");
		if (state[0])
			fprintf(env->out, "%s  %s", l->minutes_given ? " " : "", state);
		fputc('\n', env->out);
	}
	fprintf(env->out, "(* minutes estimated from the words, runs and questions)\n");
	if (c->n_diags)
		fprintf(
		    env->err,
		    "lessons: %zu problem%s in the lesson files; see 'mptutor lessons --check'\n",
		    c->n_diags, c->n_diags == 1 ? "" : "s");
	progress_free(&pr);
}

#define FIT_COLS 80 /* the terminal every page must read on */
#define FIT_ROWS 24

/* The columns a compare line lays out in the tutor (its non-serial rows; all
 * of them if it runs only serial ones), 0 if the line is no compare. */
static int lessons_compare_cols(const char *cmdline)
{
	int argc = 0, cols = 0, serial = 0;
	char **argv = NULL;
	char msg[256];
	if (cmd_split(cmdline, &argc, &argv, msg, sizeof msg) < 0)
		return 0;
	if (argc > 0 && !strcmp(argv[0], "compare")) {
		struct run_request req;
		memset(&req, 0, sizeof req);
		if (cmd_parse_request(RUNKIND_COMPARE, argc - 1, argv + 1, &req, msg, sizeof msg) ==
		    0) {
			for (size_t i = 0; i < req.n_backends; i++) {
				bool ser = backend_get(req.backends[i])->serial;
				cols += !ser;
				serial += ser;
			}
			if (cols == 0)
				cols = serial;
		}
		run_request_free(&req);
	}
	cmd_split_free(argc, argv);
	return cols;
}

/* Pages that do not fit the tutor at 80x24: a runnable block or a question
 * whose last line, the page read from its top as far as it shows then (no
 * spoilers: up to that block), is below the pane's last row. The pane is the
 * tutor's own layout (lesson_pane_layout), with the columns of the last
 * compare run on the page so far. Printed as warnings; returns their number. */
static int lessons_check_fit(struct cmd_env *env, const struct course *c)
{
	int n = 0;
	for (size_t i = 0; i < c->n_lessons; i++) {
		const struct lesson *l = &c->lessons[i];
		for (size_t p = 0; p < l->n_pages; p++) {
			const struct lesson_page *pg = &l->pages[p];
			int cols = 0;
			for (size_t b = 0; b < pg->n_blocks; b++) {
				const struct lesson_block *blk = &pg->blocks[b];
				if (blk->kind == LBLOCK_RUN) {
					int k = lessons_compare_cols(blk->text);
					cols = k ? k : cols;
				}
				if (blk->kind != LBLOCK_RUN && blk->kind != LBLOCK_QUIZ &&
				    blk->kind != LBLOCK_PREDICT)
					continue;
				struct lesson_pane pane =
				    lesson_pane_layout(FIT_COLS, FIT_ROWS, cols);
				struct lrender rd;
				if (lesson_render_blocks(pg, b + 1, pane.text_w, &rd) < 0)
					continue;
				int last = -1;
				for (size_t k = 0; k < rd.n_lines; k++)
					if (rd.lines[k].block == (int)b)
						last = (int)k;
				lrender_free(&rd);
				if (last + 1 > pane.rows) {
					fprintf(
					    env->out,
					    "%s:%d: warning: page %zu does not fit %dx%d: its %s "
					    "ends on row %d of the lesson pane, which shows %d "
					    "rows "
					    "of %d columns%s (split the page or shorten it)\n",
					    l->path, blk->line, p + 1, FIT_COLS, FIT_ROWS,
					    blk->kind == LBLOCK_RUN    ? "runnable block"
					    : blk->kind == LBLOCK_QUIZ ? "checkpoint"
					                               : "prediction",
					    last + 1, pane.rows, pane.text_w,
					    cols ? " beside a compare" : "");
					n++;
					break; /* one warning a page */
				}
			}
		}
	}
	return n;
}

/* Every runnable block as file:line: command. */
static void lessons_blocks(struct cmd_env *env, const struct course *c)
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

/* lessons [--check | --blocks]: the list, the lint, or the runnable blocks. */
int cmd_exec_lessons(struct cmd_env *env, int argc, char **argv)
{
	bool check = false, blocks = false, verify = false;
	const char *which = NULL;
	int runs = VERIFY_RUNS;
	struct course c;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check")) {
			check = true;
		} else if (!strcmp(argv[i], "--blocks")) {
			blocks = true;
		} else if (!strcmp(argv[i], "--verify")) {
			verify = true;
			if (i + 1 < argc && argv[i + 1][0] != '-')
				which = argv[++i];
		} else if (!strcmp(argv[i], "--runs")) {
			char *end = NULL;
			long k = i + 1 < argc ? strtol(argv[i + 1], &end, 10) : 0;
			if (i + 1 >= argc || end == argv[i + 1] || *end || k < 1 ||
			    k > VERIFY_MAX_RUNS) {
				fprintf(env->err,
				        "lessons: --runs wants a number of runs, 1 to %d (got "
				        "'%s')\n",
				        VERIFY_MAX_RUNS, i + 1 < argc ? argv[i + 1] : "");
				return CMD_USAGE;
			}
			runs = (int)k;
			i++;
		} else {
			fprintf(env->err,
			        "lessons: unknown option '%s' (allowed: --check, --verify [N] "
			        "[--runs K], --blocks)\n",
			        argv[i]);
			return CMD_USAGE;
		}
	}
	if (runs != VERIFY_RUNS && !verify) {
		fprintf(env->err, "lessons: --runs goes with --verify\n");
		return CMD_USAGE;
	}
	if (check + blocks + verify > 1) {
		fprintf(env->err, "lessons: --check, --verify and --blocks go one at a time\n");
		return CMD_USAGE;
	}
	const char *dir = lesson_dir_find();
	if (!dir || course_load(dir, cmd_lesson_block_check, &c) < 0) {
		fprintf(
		    env->err,
		    "lessons: no lesson directory (looked at $MPTUTOR_LESSONS, ./lessons and %s)\n",
		    MPTUTOR_DATADIR "/lessons");
		return CMD_USAGE;
	}
	int rc = CMD_OK;
	if (verify) {
		rc = lessons_verify(env, &c, which, runs);
	} else if (check) {
		lessons_check_expects(&c);
		for (size_t i = 0; i < c.n_diags; i++)
			fprintf(env->out, "%s:%d: %s\n", c.diags[i].file, c.diags[i].line,
			        c.diags[i].message);
		if (c.n_lessons == 0) {
			fprintf(env->out, "%s: no lessons (files named NN-name.md)\n", dir);
			rc = CMD_USAGE;
		}
		int unfit = lessons_check_fit(env, &c);
		if (unfit)
			fprintf(env->err,
			        "lessons --check: %d page%s do%s not fit %dx%d (warnings: the exit "
			        "status does not count them)\n",
			        unfit, unfit == 1 ? "" : "s", unfit == 1 ? "es" : "", FIT_COLS,
			        FIT_ROWS);
		if (c.n_diags) {
			fprintf(env->err, "lessons --check: %zu problem%s\n", c.n_diags,
			        c.n_diags == 1 ? "" : "s");
			rc = CMD_USAGE;
		} else if (rc == CMD_OK) {
			fprintf(env->out,
			        "%s: %zu lessons, %zu runnable blocks, %zu quizzes, %zu "
			        "predictions: all good\n",
			        dir, c.n_lessons, lessons_count(&c, LBLOCK_RUN),
			        lessons_count(&c, LBLOCK_QUIZ), lessons_count(&c, LBLOCK_PREDICT));
		}
	} else if (blocks) {
		lessons_blocks(env, &c);
	} else {
		lessons_list(env, &c);
	}
	course_free(&c);
	return rc;
}
