/*
 * walker.c — the course walker: a place in the course (lesson, page, the
 * next block), the step the learner takes there, moves across lessons,
 * answers checked into the verdicts both front ends show, and the progress
 * kept on every change. No printing: see walker.h for the contract.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/walker.h"

#define WALKER_ERRLEN 512 /* room for a progress message */

/* A prediction answered (or passed over) for a runnable block. */
struct walker_guess {
	bool valid;              /* set */
	bool skipped;            /* passed over: no verdict will come */
	int lesson, page, block; /* the runnable block it is for */
	const struct predict *p; /* the prediction */
	int choice;              /* its choice, or -1 for a number */
	double number;           /* the number */
};

struct walker {
	const struct course *course;   /* borrowed */
	struct progress prog;          /* loaded at the start, saved on changes */
	int lesson, page;              /* the place; lesson -1: no lessons */
	int cursor;                    /* blocks before it on the page are done */
	bool at_end;                   /* next went past the last page (until a move) */
	struct walker_guess asked;     /* answered for the next runnable block, not yet run */
	struct walker_guess waiting;   /* its block ran: waiting for the figures */
	char save_err[WALKER_ERRLEN];  /* the last failed save's message, "" if it worked */
	char first_err[WALKER_ERRLEN]; /* the first failed save's message */
	bool failed, told;             /* a save failed; walker_save_problem gave it */
};

struct walker *walker_new(const struct course *course, const char *which, char *note,
                          size_t notelen, char *err, size_t errlen)
{
	struct walker *w = calloc(1, sizeof *w);
	char perr[WALKER_ERRLEN] = "";

	if (note && notelen)
		note[0] = '\0';
	if (!w) {
		snprintf(err, errlen, "out of memory for the course walker");
		return NULL;
	}
	w->course = course;
	w->lesson = -1;
	progress_load(&w->prog, perr, sizeof perr);
	if (perr[0] && note)
		snprintf(note, notelen, "%s", perr);
	if (progress_start_place(course, &w->prog, which, &w->lesson, &w->page, err, errlen) != 0) {
		walker_free(w);
		return NULL;
	}
	return w;
}

void walker_free(struct walker *w)
{
	if (!w)
		return;
	progress_free(&w->prog);
	free(w);
}

struct walker_place walker_place(const struct walker *w)
{
	return (struct walker_place){w->lesson, w->page, w->cursor};
}

const struct lesson *walker_lesson(const struct walker *w)
{
	if (!w || !w->course || w->lesson < 0 || (size_t)w->lesson >= w->course->n_lessons)
		return NULL;
	return &w->course->lessons[w->lesson];
}

const struct lesson_page *walker_page(const struct walker *w)
{
	const struct lesson *l = walker_lesson(w);
	if (!l || w->page < 0 || (size_t)w->page >= l->n_pages)
		return NULL;
	return &l->pages[w->page];
}

int walker_next_block(const struct walker *w)
{
	const struct lesson_page *pg = walker_page(w);
	for (size_t i = w && w->cursor > 0 ? (size_t)w->cursor : 0; pg && i < pg->n_blocks; i++)
		if (pg->blocks[i].kind == LBLOCK_RUN || pg->blocks[i].kind == LBLOCK_QUIZ)
			return (int)i;
	return -1;
}

size_t walker_lessons_done(const struct walker *w)
{
	return w->prog.n_done;
}

const struct progress *walker_progress(const struct walker *w)
{
	return &w->prog;
}

/* Is g a guess for block b of the current page? */
static bool walker_guess_here(const struct walker *w, const struct walker_guess *g, int b)
{
	return g->valid && g->lesson == w->lesson && g->page == w->page && g->block == b;
}

void walker_step(const struct walker *w, struct walker_step *st)
{
	memset(st, 0, sizeof *st);
	st->block = -1;
	if (!walker_lesson(w)) {
		st->kind = WALK_NONE;
		return;
	}
	const struct lesson_page *pg = walker_page(w);
	int b = walker_next_block(w);
	if (b < 0) {
		st->kind = w->at_end ? WALK_END : WALK_TURN;
		return;
	}
	const struct lesson_block *blk = &pg->blocks[b];
	st->block = b;
	if (blk->kind == LBLOCK_QUIZ) {
		st->kind = WALK_QUIZ;
		st->quiz = blk->quiz;
		st->question = blk->quiz->question;
		st->choices = blk->quiz->choices;
		st->n_choices = blk->quiz->n_choices;
		return;
	}
	st->command = blk->text;
	const struct predict *p = lesson_page_predict_for(pg, (size_t)b);
	if (p && !walker_guess_here(w, &w->asked, b)) {
		st->kind = WALK_PREDICT;
		st->predict = p;
		st->question = p->question;
		st->choices = p->choices;
		st->n_choices = p->n_choices;
		return;
	}
	st->kind = WALK_RUN;
}

/* Save now; a failure's message is kept (the first one apart, to be told once). */
static int walker_keep(struct walker *w)
{
	const struct lesson *l = walker_lesson(w);
	if (!l)
		return 0;
	progress_set_place(&w->prog, l->name, w->page);
	if (progress_save(&w->prog, w->save_err, sizeof w->save_err) == 0) {
		w->save_err[0] = '\0';
		return 0;
	}
	if (!w->failed) {
		w->failed = true;
		snprintf(w->first_err, sizeof w->first_err, "%s", w->save_err);
	}
	return -1;
}

/* Go to a page's start and save the place. */
static void walker_move_to(struct walker *w, int lesson, int page, int cursor)
{
	w->lesson = lesson;
	w->page = page;
	w->cursor = cursor;
	w->at_end = false;
	w->asked.valid = false;
	walker_keep(w);
}

/* A lesson left forward at its end: done if every checkpoint was answered;
 * else those not answered are kept as skipped. */
static void walker_leave_lesson(struct walker *w, const struct lesson *l)
{
	struct lesson_checkpoints ck;
	progress_checkpoints(&w->prog, l, &ck);
	if (ck.answered == ck.total) {
		progress_mark_done(&w->prog, l->name);
		return;
	}
	for (size_t p = 0; p < l->n_pages; p++)
		for (size_t b = 0; b < l->pages[p].n_blocks; b++)
			if (l->pages[p].blocks[b].kind == LBLOCK_QUIZ)
				progress_set_skipped(&w->prog, l->name,
				                     lesson_block_number(l, (int)p, (int)b));
}

/* Whether block b of the current page is a checkpoint answered in the progress. */
static bool walker_answered(const struct walker *w, int b)
{
	const struct lesson *l = walker_lesson(w);
	return progress_answer_state(&w->prog, l->name, lesson_block_number(l, w->page, b)) == 1;
}

int walker_visible_blocks(const struct walker *w)
{
	const struct lesson_page *pg = walker_page(w);
	if (!pg)
		return 0;
	int n = (int)pg->n_blocks;
	for (int i = w->cursor > 0 ? w->cursor : 0; i < n; i++) {
		enum lblock_kind k = pg->blocks[i].kind;
		if (k == LBLOCK_QUIZ && !walker_answered(w, i))
			return i + 1; /* the question shows; what follows waits for the answer */
		if (k == LBLOCK_PREDICT) {
			int r = i + 1; /* its runnable block */
			while (r < n && pg->blocks[r].kind != LBLOCK_RUN)
				r++;
			if (r < n && !walker_guess_here(w, &w->asked, r))
				return i + 1;     /* the question first */
			return r < n ? r + 1 : n; /* answered: its run shows, not what follows */
		}
		if (k == LBLOCK_RUN) {
			for (int j = i + 1; j < n; j++)
				if (pg->blocks[j].kind == LBLOCK_QUIZ && !walker_answered(w, j))
					return i + 1; /* the run comes before a question on it */
		}
	}
	return n;
}

enum walker_move walker_next(struct walker *w)
{
	const struct lesson *l = walker_lesson(w);
	if (!l)
		return WALK_EMPTY;
	int lesson = w->lesson, page = w->page;
	if ((size_t)page + 1 >= l->n_pages)
		walker_leave_lesson(w, l); /* read to its end */
	if (course_step(w->course, &lesson, &page, 1) != 0) {
		w->at_end = true;
		walker_keep(w);
		return WALK_EDGE;
	}
	bool other = lesson != w->lesson;
	walker_move_to(w, lesson, page, 0);
	return other ? WALK_NEW_LESSON : WALK_MOVED;
}

enum walker_move walker_prev(struct walker *w)
{
	if (!walker_lesson(w))
		return WALK_EMPTY;
	int lesson = w->lesson, page = w->page;
	if (course_step(w->course, &lesson, &page, -1) != 0)
		return WALK_EDGE;
	bool other = lesson != w->lesson;
	walker_move_to(w, lesson, page, 0);
	return other ? WALK_NEW_LESSON : WALK_MOVED;
}

int walker_goto(struct walker *w, const char *which)
{
	int k = course_find(w->course, which);
	if (k < 0)
		return -1;
	walker_move_to(w, k, 0, 0);
	return 0;
}

void walker_set_place(struct walker *w, struct walker_place p)
{
	if (!w->course || p.lesson < 0 || (size_t)p.lesson >= w->course->n_lessons)
		return;
	walker_move_to(w, p.lesson, p.page, p.cursor);
}

/* The answer in a typed line: its first word ("b" of " b) thread", "1.8" of "1.8 x"). */
static void walker_word(char *buf, size_t len, const char *text)
{
	const char *a = text ? text : "";
	while (isspace((unsigned char)*a))
		a++;
	size_t n = 0;
	while (a[n] && !isspace((unsigned char)a[n]))
		n++;
	if (n >= len)
		n = len - 1;
	memcpy(buf, a, n);
	buf[n] = '\0';
}

/* A checkpoint's answer: checked, explained, recorded. */
static enum walker_answer walker_answer_quiz(struct walker *w, const struct walker_step *st,
                                             const char *a, struct walker_verdict *v)
{
	const struct quiz *q = st->quiz;
	const struct lesson *l = walker_lesson(w);
	int key = lesson_block_number(l, w->page, st->block);
	if (!*a) {
		w->cursor = st->block + 1;
		progress_set_skipped(&w->prog, l->name, key);
		walker_keep(w);
		return v->result = WALK_ANSWER_SKIPPED;
	}
	int k = lesson_choice_index(a, q->n_choices);
	if (k < 0) {
		snprintf(v->text, sizeof v->text, "'%s' is not a choice: answer a-%c", a,
		         (char)('a' + (q->n_choices ? q->n_choices - 1 : 0)));
		return v->result = WALK_ANSWER_BAD;
	}
	w->cursor = st->block + 1;
	v->right = quiz_check(q, a) == 1;
	v->headline = v->right ? "Right." : "Not quite.";
	v->question = q->question;
	v->why = q->why;
	snprintf(v->answer, sizeof v->answer, "%c) %s", 'a' + k, q->choices[k]);
	if (v->right) {
		snprintf(v->text, sizeof v->text, "Right.");
	} else {
		size_t n = (size_t)snprintf(v->text, sizeof v->text, "Not quite. The answer:");
		for (size_t i = 0; i < q->n_choices && n < sizeof v->text; i++)
			if (q->correct[i])
				n += (size_t)snprintf(v->text + n, sizeof v->text - n, " %c) %s",
				                      (char)('a' + i), q->choices[i]);
	}
	char ans[4] = {(char)('a' + k), '\0'};
	progress_set_answer(&w->prog, l->name, key, ans, v->right);
	v->recorded = true;
	walker_keep(w);
	return v->result = WALK_ANSWER_CHECKED;
}

enum walker_answer walker_answer(struct walker *w, const char *text, struct walker_verdict *v)
{
	struct walker_step st;
	char a[256];

	memset(v, 0, sizeof *v);
	walker_step(w, &st);
	walker_word(a, sizeof a, text);
	if (st.kind == WALK_QUIZ)
		return walker_answer_quiz(w, &st, a, v);
	if (st.kind != WALK_PREDICT)
		return v->result = WALK_ANSWER_NONE;
	struct walker_guess g = {.valid = true,
	                         .lesson = w->lesson,
	                         .page = w->page,
	                         .block = st.block,
	                         .p = st.predict,
	                         .choice = -1};
	if (!*a) {
		g.skipped = true;
		w->asked = g;
		return v->result = WALK_ANSWER_SKIPPED;
	}
	if (predict_parse_answer(st.predict, a, &g.choice, &g.number, v->text, sizeof v->text) < 0)
		return v->result = WALK_ANSWER_BAD;
	w->asked = g;
	return v->result = WALK_ANSWER_TAKEN;
}

const char *walker_run_begin(struct walker *w)
{
	struct walker_step st;

	walker_step(w, &st);
	if (st.kind != WALK_RUN)
		return NULL;
	w->cursor = st.block + 1;
	w->waiting.valid = false;
	if (walker_guess_here(w, &w->asked, st.block) && !w->asked.skipped)
		w->waiting = w->asked;
	w->asked.valid = false;
	return st.command;
}

const struct predict *walker_predict_pending(const struct walker *w)
{
	return w->waiting.valid ? w->waiting.p : NULL;
}

void walker_predict_forget(struct walker *w)
{
	w->waiting.valid = false;
}

int walker_predict_verdict(struct walker *w, const struct predict_figures *f,
                           struct walker_verdict *v)
{
	struct walker_guess g = w->waiting;
	double got;
	const char *name;

	memset(v, 0, sizeof *v);
	if (!g.valid)
		return -1;
	w->waiting.valid = false;
	predict_verdict(g.p, f, g.choice, g.number, v->text, sizeof v->text, &v->right);
	if (predict_measured(g.p, f, &got, &name) < 0)
		return 0; /* nothing to compare with: not a wrong prediction, not kept */
	if (g.choice >= 0)
		snprintf(v->answer, sizeof v->answer, "%s", g.p->choices[g.choice]);
	else
		snprintf(v->answer, sizeof v->answer, "%g", g.number);
	if (w->course && g.lesson >= 0 && (size_t)g.lesson < w->course->n_lessons) {
		const struct lesson *l = &w->course->lessons[g.lesson];
		progress_set_answer(&w->prog, l->name, lesson_block_number(l, g.page, g.block),
		                    v->answer, v->right);
		v->recorded = true;
		walker_keep(w);
	}
	return 0;
}

int walker_save(struct walker *w)
{
	return walker_keep(w);
}

const char *walker_save_problem(struct walker *w)
{
	if (!w->failed || w->told)
		return NULL;
	w->told = true;
	return w->first_err;
}

const char *walker_save_error(const struct walker *w)
{
	return w->save_err[0] ? w->save_err : NULL;
}
