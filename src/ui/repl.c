/*
 * repl.c — the plain, line-mode tutor (`mptutor --plain`, or no terminal):
 * the lesson page printed as text, the same commands as the command line
 * (run, compare, process, tasks, lessons) plus next, prev, lesson N, help
 * and quit. Enter on an empty line takes the page's next step: runs its next
 * runnable block (asking the prediction first if there is one), asks its
 * checkpoint, or turns the page. Runs are started, waited for and reported
 * as text. Reads with GNU readline on a terminal and plain lines from a pipe;
 * prints no escape codes, for screen readers, logs and scripts.
 */
#include <ctype.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cmd/cmd.h"
#include "cmd/lessons.h"
#include "cmd/signals.h"
#include "engine/engine.h"
#include "engine/task.h"
#include "export/report.h"
#include "lesson/lesson.h"
#include "lesson/predict.h"
#include "lesson/walker.h"
#include "session/session.h"
#include "tutor.h"

#define REPL_WIDTH 80      /* page width when stdout is no terminal and $COLUMNS is unset */
#define REPL_MAX_WIDTH 100 /* wider terminals still get lines this long: easier to read */

/* One moment of a finished run, for replay. */
struct repl_moment {
	double t_s; /* seconds since the map began */
	char *text; /* what happened: "w0 starts item 3 (4)" */
};

/* The last run, kept for replay. */
struct repl_replay {
	char *title;           /* "square on process, 4 workers" */
	struct repl_moment *m; /* moments in time order */
	size_t n;              /* their number */
};

/* The REPL's state. */
struct repl {
	struct course course;     /* the lessons (may be empty) */
	struct walker *w;         /* the walk through them, and the progress */
	bool tty;                 /* stdin is a terminal: readline */
	int width;                /* page width */
	FILE *out;                /* where everything goes */
	struct predict_figures m; /* the last command's figures */
	struct repl_replay last;  /* the last run, for replay */
	struct session *ss;       /* the last run, compare or demo finished, for save and export */
	int shown_lesson, shown_page; /* the page printed last */
	int shown;                    /* blocks of it printed (the rest waits: no spoilers) */
};

/* Ctrl-C cancels a run (the REPL stays); SIGTERM and SIGHUP quit. */
static const int repl_sigs[] = {SIGINT, SIGTERM, SIGHUP};

/* Strip white space at both ends, in place. */
static char *repl_trim(char *s)
{
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* Read a line: readline on a terminal; from a pipe, the prompt and the line
 * are echoed so the output reads as a transcript. NULL at end of input. */
static char *repl_read(struct repl *r, const char *prompt)
{
	if (signals_quitting())
		return NULL;
	fflush(r->out);
	if (r->tty) {
		char *l = readline(prompt);
		if (l && *repl_trim(l))
			add_history(l);
		return l;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	fprintf(r->out, "%s%s\n", prompt, line);
	fflush(r->out);
	return line;
}

/* Print lead + text word-wrapped to the page width; continuation lines are
 * indented by `indent` columns. */
static void repl_wrap(struct repl *r, const char *lead, const char *text, int indent)
{
	int col = lesson_text_width(lead);
	const char *p = text;

	fputs(lead, r->out);
	while (*p) {
		while (*p == ' ')
			p++;
		size_t k = strcspn(p, " ");
		if (!k)
			break;
		char *word = strndup(p, k);
		if (!word)
			break;
		int w = lesson_text_width(word);
		if (col > indent && col + 1 + w > r->width) {
			fprintf(r->out, "\n%*s", indent, "");
			col = indent;
		} else if (col > 0 && p != text) {
			fputc(' ', r->out);
			col++;
		}
		fputs(word, r->out);
		col += w;
		free(word);
		p += k;
	}
	fputc('\n', r->out);
}

/* Print choices "  a) text", wrapped. */
static void repl_choices(struct repl *r, char *const *choices, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char lead[8];
		snprintf(lead, sizeof lead, "  %c) ", (char)('a' + i));
		repl_wrap(r, lead, choices[i], 5);
	}
}

/* Say a failed save of the progress, the first time only. */
static void repl_save_said(struct repl *r)
{
	const char *e = walker_save_problem(r->w);
	if (e)
		fprintf(stderr, "%s\n", e);
}

/* Print blocks [from, to) of the page as text; a runnable block already run
 * (it was just printed with its report) is left out. */
static void repl_print_blocks(struct repl *r, const struct lesson_page *pg, int from, int to)
{
	struct lesson_block sel[to > from ? to - from : 1];
	struct lesson_page part = {.blocks = sel, .n_blocks = 0};
	int cursor = walker_place(r->w).cursor;
	struct lrender rd;
	for (int i = from; i < to; i++)
		if (!(pg->blocks[i].kind == LBLOCK_RUN && i < cursor && from > 0))
			sel[part.n_blocks++] = pg->blocks[i];
	if (part.n_blocks && lesson_render_page(&part, r->width, &rd) == 0) {
		if (from > 0)
			fputc('\n', r->out);
		for (size_t i = 0; i < rd.n_lines; i++) {
			char *t = lline_text(&rd.lines[i]);
			fprintf(r->out, "%s\n", t);
			free(t);
		}
		lrender_free(&rd);
	}
	if ((size_t)to < pg->n_blocks) {
		struct walker_step st;
		walker_step(r->w, &st);
		fprintf(r->out, "\n(... more of this page after %s)\n",
		        st.kind == WALK_RUN ? "the run" : "you answer");
	}
}

/* Print the current page as text, as far as it shows now. */
static void repl_show_page(struct repl *r)
{
	const struct lesson *l = walker_lesson(r->w);
	const struct lesson_page *pg = walker_page(r->w);
	struct walker_place at = walker_place(r->w);

	if (!l || !pg)
		return;
	fprintf(r->out, "\n== Lesson %d/%zu: %s (page %d/%zu) ==\n\n", l->number,
	        r->course.n_lessons, l->title, at.page + 1, l->n_pages);
	r->shown_lesson = at.lesson;
	r->shown_page = at.page;
	r->shown = walker_visible_blocks(r->w);
	repl_print_blocks(r, pg, 0, r->shown);
	bool runnable = false;
	for (size_t i = 0; i < pg->n_blocks; i++)
		runnable |= pg->blocks[i].kind == LBLOCK_RUN;
	fprintf(r->out, "\n(%s · next · prev · help · quit)\n",
	        runnable ? "Enter: run the next \xe2\x96\xb6 block" : "Enter: go on");
	fflush(r->out);
}

/* Print what an answer or a run revealed of the page. */
static void repl_show_more(struct repl *r)
{
	const struct lesson_page *pg = walker_page(r->w);
	struct walker_place at = walker_place(r->w);
	if (!pg || at.lesson != r->shown_lesson || at.page != r->shown_page)
		return;
	int n = walker_visible_blocks(r->w);
	if (n > r->shown) {
		repl_print_blocks(r, pg, r->shown, n);
		r->shown = n;
		fflush(r->out);
	}
}

/* Ask the step's prediction until it is answered or skipped; CMD_QUIT at end of input. */
static int repl_ask_predict(struct repl *r, const struct walker_step *st)
{
	struct walker_verdict v;

	fputc('\n', r->out);
	repl_wrap(r, "Predict: ", st->question, 0);
	repl_choices(r, st->choices, st->n_choices);
	for (;;) {
		char *line = repl_read(r, st->n_choices ? "your prediction (a letter)> "
		                                        : "your prediction (a number)> ");
		if (!line)
			return CMD_QUIT;
		enum walker_answer a = walker_answer(r->w, line, &v);
		free(line);
		if (a == WALK_ANSWER_BAD) {
			fprintf(r->out, "%s, or Enter to skip\n", v.text);
			continue;
		}
		if (a == WALK_ANSWER_SKIPPED)
			fprintf(r->out, "(no prediction)\n");
		return CMD_OK;
	}
}

/* Run the page's next runnable block, its prediction asked first. */
static int repl_run_block(struct repl *r, struct cmd_env *env, const struct walker_step *st)
{
	struct walker_verdict v;

	if (st->kind == WALK_PREDICT && repl_ask_predict(r, st) == CMD_QUIT)
		return CMD_QUIT;
	const char *cmdline = walker_run_begin(r->w);
	if (!cmdline)
		return CMD_OK;
	fprintf(r->out, "\n\xe2\x96\xb6 %s\n", cmdline);
	fflush(r->out);
	memset(&r->m, 0, sizeof r->m);
	int rc = cmd_exec_line(env, cmdline);
	if (walker_predict_verdict(r->w, &r->m, &v) == 0)
		repl_wrap(r, "", v.text, 0);
	repl_show_more(r);
	return rc;
}

/* Ask the step's checkpoint: checked, explained, kept. CMD_QUIT at end of input. */
static int repl_ask_quiz(struct repl *r, const struct walker_step *st)
{
	struct walker_verdict v;

	fputc('\n', r->out);
	repl_wrap(r, "Checkpoint: ", st->question, 0);
	repl_choices(r, st->choices, st->n_choices);
	for (;;) {
		char *line = repl_read(r, "your answer> ");
		if (!line)
			return CMD_QUIT;
		enum walker_answer a = walker_answer(r->w, line, &v);
		free(line);
		if (a == WALK_ANSWER_BAD) {
			fprintf(r->out, "%s, or Enter to skip\n", v.text);
			continue;
		}
		if (a == WALK_ANSWER_SKIPPED) {
			fprintf(r->out, "(skipped)\n");
		} else if (a == WALK_ANSWER_CHECKED) {
			fprintf(r->out, "%s\n", v.text);
			if (v.why)
				repl_wrap(r, "Why: ", v.why, 0);
		}
		repl_show_more(r);
		return CMD_OK;
	}
}

/* next: the next page, or the next lesson (this one is done), or the end. */
static int repl_next(struct cmd_env *env)
{
	struct repl *r = env->fe_data;
	const struct lesson *l = walker_lesson(r->w);

	switch (walker_next(r->w)) {
	case WALK_EMPTY:
		fprintf(env->err, "next: no lessons loaded\n");
		return CMD_USAGE;
	case WALK_NEW_LESSON:
		if (progress_is_done(walker_progress(r->w), l->name)) {
			fprintf(r->out, "\nLesson %d done.\n", l->number);
		} else {
			struct lesson_checkpoints ck;
			progress_checkpoints(walker_progress(r->w), l, &ck);
			fprintf(r->out,
			        "\nLesson %d left with %d of %d checkpoints skipped: it counts as "
			        "done once they are answered ('lesson %d').\n",
			        l->number, ck.total - ck.answered, ck.total, l->number);
		}
		/* fall through */
	case WALK_MOVED:
		repl_show_page(r);
		return CMD_OK;
	case WALK_EDGE:
		break;
	}
	fprintf(r->out,
	        "\nThe end of the course: %zu of %zu lessons done. Type 'lessons' for the list, "
	        "'lesson N' to go back, 'quit' to leave.\n",
	        walker_lessons_done(r->w), r->course.n_lessons);
	return CMD_OK;
}

/* prev: the previous page, or the last page of the previous lesson. */
static int repl_prev(struct cmd_env *env)
{
	struct repl *r = env->fe_data;

	switch (walker_prev(r->w)) {
	case WALK_EMPTY:
		fprintf(env->err, "prev: no lessons loaded\n");
		return CMD_USAGE;
	case WALK_EDGE:
		fprintf(r->out, "This is the first page.\n");
		return CMD_OK;
	default:
		repl_show_page(r);
		return CMD_OK;
	}
}

/* lesson N|NAME: go to a lesson's first page. */
static int repl_lesson_goto(struct cmd_env *env, const char *which)
{
	struct repl *r = env->fe_data;

	if (walker_goto(r->w, which) < 0) {
		fprintf(env->err,
		        "lesson: no lesson '%s' (allowed: 1-%zu, or a name as 'mptutor lessons' "
		        "lists)\n",
		        which, r->course.n_lessons);
		return CMD_USAGE;
	}
	repl_show_page(r);
	return CMD_OK;
}

/* help [TOPIC]: how the plain tutor works, then the commands. */
static int repl_help(struct cmd_env *env, const char *topic)
{
	if (!topic)
		fprintf(env->out,
		        "Enter on an empty line takes the next step of the page: it runs the next "
		        "\xe2\x96\xb6 block\n(asking your prediction first), asks the checkpoint, "
		        "or turns the page.\n"
		        "Answer checkpoints with a letter or a number; Enter skips.\n");
	return cmd_help_text(env->out, CMD_IN_REPL, topic, env->err);
}

#define REPL_REPLAY_MAX 400   /* moments a replay prints at most */
#define REPL_REPLAY_PAUSE 1.0 /* longest pause between two moments, seconds */

/* Forget the kept run. */
static void repl_replay_free(struct repl_replay *rp)
{
	for (size_t i = 0; i < rp->n; i++)
		free(rp->m[i].text);
	free(rp->m);
	free(rp->title);
	memset(rp, 0, sizeof *rp);
}

/* Add a moment to the kept run. */
static void repl_replay_add(struct repl_replay *rp, double t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void repl_replay_add(struct repl_replay *rp, double t, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	struct repl_moment *nm = realloc(rp->m, (rp->n + 1) * sizeof *rp->m);

	if (!nm)
		return;
	rp->m = nm;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	rp->m[rp->n].t_s = t;
	rp->m[rp->n].text = strdup(buf);
	if (rp->m[rp->n].text)
		rp->n++;
}

/* Order moments by time (stable enough: starts are added before ends). */
static int repl_moment_cmp(const void *a, const void *b)
{
	const struct repl_moment *x = a, *y = b;
	return (x->t_s > y->t_s) - (x->t_s < y->t_s);
}

/* Keep a finished run's story: who started and finished what, what was printed, who died. */
static void repl_replay_keep(struct repl *r, const struct run_snapshot *s)
{
	struct repl_replay *rp = &r->last;
	char title[160];

	repl_replay_free(rp);
	snprintf(title, sizeof title, "%s on %s, %d worker%s, chunksize %ld, %zu item%s",
	         s->task->name, backend_name(s->backend), s->workers, s->workers == 1 ? "" : "s",
	         s->chunksize, s->n_items, s->n_items == 1 ? "" : "s");
	rp->title = strdup(title);
	for (size_t i = 0; i < s->n_items && rp->n < 2 * REPL_REPLAY_MAX; i++) {
		const struct item_event ev = run_item_event(s, i), *e = &ev;
		unsigned st = run_item_status(s, i);
		if (e->worker < 0)
			continue;
		repl_replay_add(rp, e->start_s, "w%d starts item %zu (%lld)", e->worker, i,
		                (long long)s->items[i]);
		if (st == ITEM_FAILED)
			repl_replay_add(rp, e->end_s > 0 ? e->end_s : e->start_s,
			                "w%d dies running item %zu", e->worker, i);
		else if (st == ITEM_DONE && s->task_returns)
			repl_replay_add(rp, e->end_s, "w%d finishes item %zu: %lld", e->worker, i,
			                (long long)s->results[i]);
		else if (st == ITEM_DONE)
			repl_replay_add(rp, e->end_s, "w%d finishes item %zu", e->worker, i);
	}
	for (size_t i = 0; i < s->n_output && rp->n < 3 * REPL_REPLAY_MAX; i++)
		repl_replay_add(rp, s->output[i].t_s, "w%d prints: %s", s->output[i].worker,
		                s->output[i].text);
	repl_replay_add(rp, s->wall_s, "the map is done: %zu done, %zu failed", s->n_done,
	                s->n_failed);
	qsort(rp->m, rp->n, sizeof *rp->m, repl_moment_cmp);
}

/* Sleep up to `s` seconds; false if a signal asked to stop. */
static bool repl_pause(double s, int intr_fd)
{
	struct pollfd pfd = {.fd = intr_fd, .events = POLLIN};
	if (s <= 0)
		return true;
	return poll(&pfd, intr_fd >= 0 ? 1 : 0, (int)(s * 1000)) <= 0;
}

/* replay [SPEED]: tell the last run again in time order, SPEED times slower. */
static int repl_replay(struct cmd_env *env, double speed)
{
	struct repl *r = env->fe_data;
	struct repl_replay *rp = &r->last;
	char t[32];

	if (!rp->title) {
		fprintf(env->err, "replay: no run yet (run or compare one first)\n");
		return CMD_USAGE;
	}
	signals_drain(); /* an old Ctrl-C must not stop this replay */
	fprintf(env->out, "replay of %s, slowed down %g\xc3\x97:\n", rp->title, speed);
	double prev = 0;
	size_t n = rp->n < REPL_REPLAY_MAX ? rp->n : REPL_REPLAY_MAX;
	for (size_t i = 0; i < n; i++) {
		double wait = (rp->m[i].t_s - prev) * speed;
		fflush(env->out);
		if (!repl_pause(wait > REPL_REPLAY_PAUSE ? REPL_REPLAY_PAUSE : wait,
		                env->intr_fd)) {
			fprintf(env->out, "(replay stopped)\n");
			return CMD_OK;
		}
		prev = rp->m[i].t_s;
		report_format_secs(t, sizeof t, rp->m[i].t_s);
		fprintf(env->out, "  %10s  %s\n", t, rp->m[i].text);
	}
	if (n < rp->n)
		fprintf(env->out, "  ... %zu more moments\n", rp->n - n);
	return CMD_OK;
}

/* `process`: one Process started, waited for and joined, then its life told. */
static int repl_process(struct cmd_env *env, const struct run_request *req)
{
	struct repl *r = env->fe_data;
	struct cmd_process_outcome oc;

	struct session *kept = NULL;
	int status = cmd_process_exec_kept(env, req, &oc, &kept);
	if (kept != NULL) {
		session_free(r->ss);
		r->ss = kept;
	}
	if (status == CMD_INTERRUPTED || oc.interrupted) {
		fprintf(env->out, "(cancelled)\n");
		return CMD_INTERRUPTED;
	}
	if (status == CMD_USAGE)
		return status;
	r->m.valid = true;
	r->m.failed = oc.failed;
	r->m.wall_s = oc.wall_s;
	return status;
}

/* Each finished map: its figures for a prediction, and its recording for replay. */
static void repl_map_seen(void *arg, const struct run_snapshot *snap, bool compare)
{
	struct repl *r = arg;
	predict_figures_add(&r->m, snap, compare);
	repl_replay_keep(r, snap);
}

/* The front end's run: start, wait, report in the request's format (text unless --format). */
static int repl_run(struct cmd_env *env, const struct run_request *req)
{
	struct repl *r = env->fe_data;
	int rc = CMD_OK;

	signals_drain(); /* an old Ctrl-C must not cancel this one */
	if (req->kind == RUNKIND_PROCESS) {
		rc = repl_process(env, req);
	} else {
		struct session *kept = NULL;
		rc = cmd_map_exec_kept(env, req, repl_map_seen, r, &kept);
		if (kept != NULL) {
			session_free(r->ss);
			r->ss = kept;
		}
		if (rc == CMD_INTERRUPTED)
			fprintf(env->out, "(cancelled)\n");
	}
	fflush(env->out);
	return rc;
}

/* frontend_ops.last: the last finished run, for save and export. */
static const struct session *repl_last(struct cmd_env *env)
{
	const struct repl *r = env->fe_data;
	return r->ss;
}

static const struct frontend_ops repl_ops = {
    .run = repl_run,
    .last = repl_last,
    .lesson_next = repl_next,
    .lesson_prev = repl_prev,
    .lesson_goto = repl_lesson_goto,
    .replay = repl_replay,
    .help = repl_help,
};

/* Enter on an empty line: the page's next step. */
static int repl_enter(struct repl *r, struct cmd_env *env)
{
	struct walker_step st;

	walker_step(r->w, &st);
	switch (st.kind) {
	case WALK_NONE:
		fprintf(r->out, "(no lesson: type help for the commands)\n");
		return CMD_OK;
	case WALK_END:
		fprintf(r->out,
		        "The end of the course. Type 'quit' to leave, or 'lesson N' to go back.\n");
		return CMD_OK;
	case WALK_RUN:
	case WALK_PREDICT:
		return repl_run_block(r, env, &st);
	case WALK_QUIZ:
		return repl_ask_quiz(r, &st);
	case WALK_TURN:
		break;
	}
	return repl_next(env);
}

/* Page width: the terminal's, $COLUMNS, or 80. */
static int repl_width(void)
{
	struct winsize ws;
	int w = 0;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		w = ws.ws_col;
	if (w <= 0 && getenv("COLUMNS"))
		w = atoi(getenv("COLUMNS"));
	if (w <= 0)
		w = REPL_WIDTH;
	if (w > REPL_MAX_WIDTH)
		w = REPL_MAX_WIDTH;
	return w < 20 ? 20 : w;
}

int repl_main(const struct tutor_opts *o)
{
	struct repl r;
	struct signals_saved old;
	char err[512];
	int status = 0;

	memset(&r, 0, sizeof r);
	r.out = stdout;
	r.tty = isatty(STDIN_FILENO);
	r.width = repl_width();

	const char *dir = lesson_dir_find();
	if (dir && course_load(dir, cmd_lesson_block_check, &r.course) == 0 &&
	    r.course.n_lessons > 0) {
		if (r.course.n_diags)
			fprintf(stderr,
			        "mptutor: %zu problem%s in the lessons (see 'mptutor lessons "
			        "--check')\n",
			        r.course.n_diags, r.course.n_diags == 1 ? "" : "s");
	} else {
		fprintf(stderr,
		        "mptutor: no lessons found (looked at $MPTUTOR_LESSONS, ./lessons and %s); "
		        "the commands still work\n",
		        MPTUTOR_DATADIR "/lessons");
	}
	char note[512];
	r.w = walker_new(&r.course, o->lesson, note, sizeof note, err, sizeof err);
	if (note[0])
		fprintf(stderr, "mptutor: %s\n", note);
	if (!r.w) {
		fprintf(stderr, "mptutor: %s\n", err);
		course_free(&r.course);
		return CMD_USAGE;
	}
	if (signals_catch(repl_sigs, sizeof repl_sigs / sizeof repl_sigs[0], 0, &old, err,
	                  sizeof err) != 0) {
		fprintf(stderr, "mptutor: %s\n", err);
		walker_free(r.w);
		course_free(&r.course);
		return CMD_USAGE;
	}
	if (r.tty) {
		rl_readline_name = "mptutor";
		rl_change_environment = 0;
		/* no escape codes in plain mode, not even readline's paste bracketing */
		rl_variable_bind("enable-bracketed-paste", "off");
	}
	struct cmd_env env = {
	    .out = stdout,
	    .err = stderr,
	    .fe = &repl_ops,
	    .fe_data = &r,
	    .where = CMD_IN_REPL,
	    .intr_fd = signals_fd(),
	};

	fprintf(r.out, "mptutor %s: processes, threads and the GIL. Type help for the commands.\n",
	        MPTUTOR_VERSION);
	if (walker_lesson(r.w)) {
		walker_save(r.w);
		repl_save_said(&r);
		repl_show_page(&r);
	}
	for (;;) {
		char *line = repl_read(&r, "mptutor> ");
		if (!line)
			break;
		char *cmd = repl_trim(line);
		int rc = *cmd ? cmd_exec_line(&env, cmd) : repl_enter(&r, &env);
		free(line);
		repl_save_said(&r);
		fflush(stdout);
		fflush(stderr);
		if (rc == CMD_QUIT)
			break;
	}
	int quit_sig = signals_quitting();
	if (quit_sig)
		status = 128 + quit_sig; /* as a shell reports a signal */
	walker_save(r.w);
	repl_save_said(&r);
	signals_restore(&old);
	repl_replay_free(&r.last);
	session_free(r.ss);
	walker_free(r.w);
	course_free(&r.course);
	return status;
}
