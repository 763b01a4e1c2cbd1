/*
 * walker.h — the one course walker that the plain REPL and the curses tutor
 * both drive: where the learner is (lesson, page, the next block on the
 * page), what they should do now (run a block, answer a prediction or a
 * checkpoint, turn the page, or the course is over), page moves across
 * lessons, answers checked into verdicts (the strings both front ends show),
 * and progress loaded at the start and saved on every change.
 *
 * No printing, no curses, no readline: the walker returns steps, verdicts and
 * strings; the front ends show them, with their own prompts and layout.
 *
 * Call order:
 *   walker_new()                      over a loaded course (borrowed: it must
 *                                     outlive the walker); loads progress and
 *                                     places the learner (--lesson, or where
 *                                     progress left off, or the first page)
 *   loop:
 *     walker_step()                   what to do now; never changes anything
 *     WALK_PREDICT: walker_answer()   until it is not WALK_ANSWER_BAD; then
 *                                     the step is WALK_RUN for the same block
 *     WALK_RUN:  walker_run_begin()   the command line to run; the front end
 *                                     runs it and collects its figures
 *                                     (predict_figures_add on each finished
 *                                     snapshot), then walker_predict_verdict()
 *     WALK_QUIZ: walker_answer()      until it is not WALK_ANSWER_BAD
 *     WALK_TURN: walker_next()        (WALK_EDGE there: the course is done)
 *     walker_next/prev/goto()         at any time (commands, keys)
 *   walker_save()                     on leaving (every change is saved already)
 *   walker_free()
 *
 * Progress: the place (lesson, page) is saved whenever it changes, lessons
 * are marked done when their last page is left forward, answers are saved as
 * they are recorded. A save that fails never stops the walk: its message is
 * kept for walker_save_problem() and walker_save_error().
 */
#ifndef MPTUTOR_LESSON_WALKER_H
#define MPTUTOR_LESSON_WALKER_H

#include <stdbool.h>
#include <stddef.h>

#include "lesson/lesson.h"
#include "lesson/predict.h"

#define WALKER_TEXT 1024 /* room for a verdict line */

struct walker;

/* Where the learner is. */
struct walker_place {
	int lesson; /* index in the course, -1 when it has no lessons */
	int page;   /* index in the lesson */
	int cursor; /* blocks of the page before this one are done */
};

/* What the learner should do now. */
enum walker_step_kind {
	WALK_NONE,    /* the course has no lessons */
	WALK_RUN,     /* run `command` (the page's next runnable block) */
	WALK_PREDICT, /* answer the prediction asked before the block `command` */
	WALK_QUIZ,    /* answer the checkpoint */
	WALK_TURN,    /* nothing left on this page: walker_next() */
	WALK_END      /* next went past the last page: the course is done */
};

/* A step. Pointers are into the course. */
struct walker_step {
	enum walker_step_kind kind;
	int block;            /* RUN, PREDICT: the runnable block; QUIZ: the quiz; else -1 */
	const char *command;  /* RUN, PREDICT: the command line the block runs */
	const char *question; /* PREDICT, QUIZ */
	char *const *choices; /* PREDICT, QUIZ: the choices, a) b) ...; none: a number */
	size_t n_choices;     /* their number */
	const struct predict *predict; /* PREDICT */
	const struct quiz *quiz;       /* QUIZ */
};

/* What an answer did. */
enum walker_answer {
	WALK_ANSWER_NONE,    /* no prediction or checkpoint is the step: nothing asked */
	WALK_ANSWER_BAD,     /* not an answer: text says what is allowed; ask again */
	WALK_ANSWER_SKIPPED, /* empty: the question is passed over (a prediction's run
	                        still comes next, without a verdict) */
	WALK_ANSWER_TAKEN,   /* a prediction: kept until the run's figures are in */
	WALK_ANSWER_CHECKED  /* a checkpoint: checked and recorded; text is the verdict */
};

/* The outcome of an answer, or of a prediction set beside its run. */
struct walker_verdict {
	enum walker_answer result;
	bool right;             /* CHECKED, and a prediction's verdict: it was right */
	bool recorded;          /* the answer was kept in the progress */
	char text[WALKER_TEXT]; /* BAD: "'z' is not a choice: answer a-c"; CHECKED:
	                           "Right." or "Not quite. The answer: b) thread";
	                           a prediction's verdict: "You predicted: 2. Measured ..." */
	const char *headline;   /* CHECKED: "Right." or "Not quite."; else NULL */
	char answer[256];       /* CHECKED: the answer given, "b) thread" */
	const char *question;   /* CHECKED: the checkpoint's question */
	const char *why;        /* CHECKED: its "Why:" text, or NULL */
};

/* Moves. */
enum walker_move {
	WALK_MOVED,      /* to another page of the same lesson */
	WALK_NEW_LESSON, /* to a page of another lesson */
	WALK_EDGE,       /* next on the last page, prev on the first: nothing moved
	                    (next: the course is done, walker_step says WALK_END) */
	WALK_EMPTY       /* the course has no lessons */
};

/* A walker over course (borrowed). Loads the progress: a problem reading it
 * (a corrupt file is set aside) goes into note (empty if none). Starts at
 * lesson `which` (--lesson N|NAME) if given, else where progress left off,
 * else the first page. NULL with a message in err if `which` names no lesson
 * ("--lesson x: no such lesson (allowed: 1-11, ...)"). */
struct walker *walker_new(const struct course *course, const char *which, char *note,
                          size_t notelen, char *err, size_t errlen);
/* Free the walker (not the course; nothing is saved here). NULL is fine. */
void walker_free(struct walker *w);

/* Where the learner is. */
struct walker_place walker_place(const struct walker *w);
/* The current lesson, or NULL (no lessons). */
const struct lesson *walker_lesson(const struct walker *w);
/* The current page, or NULL. */
const struct lesson_page *walker_page(const struct walker *w);
/* The index of the page's next runnable block or checkpoint, -1 if none is left. */
int walker_next_block(const struct walker *w);
/* How many of the page's blocks to show now (no spoilers): up to and with
 * the first prediction or checkpoint not answered yet, and up to a runnable
 * block not run yet whose page asks about it after (a prediction's run, a
 * checkpoint later on the page); the rest waits. A checkpoint answered on an
 * earlier visit does not wait again. All of them when nothing waits. */
int walker_visible_blocks(const struct walker *w);
/* Lessons marked done in the progress. */
size_t walker_lessons_done(const struct walker *w);
/* The progress (read only; the walker keeps it). */
const struct progress *walker_progress(const struct walker *w);

/* What to do now, into *st. */
void walker_step(const struct walker *w, struct walker_step *st);

/* next: the next page, past a lesson's last page to the next lesson's first
 * (the lesson left is marked done). At the last page of the course: the last
 * lesson is marked done, WALK_EDGE, and walker_step says WALK_END. */
enum walker_move walker_next(struct walker *w);
/* prev: the previous page, before a lesson's first to the previous one's last. */
enum walker_move walker_prev(struct walker *w);
/* lesson N|NAME: that lesson's first page. -1 (nothing moved) if it names none. */
int walker_goto(struct walker *w, const char *which);
/* Put the learner back at a place walker_place() gave (a move taken back). */
void walker_set_place(struct walker *w, struct walker_place p);

/* Answer the step's prediction or checkpoint with a typed line: its first
 * word is the answer, none skips. A checkpoint's answer is a letter or a
 * 1-based number ("b", "b)", "2"); a prediction's, a letter, or a number
 * ("1.8", "2x"). A checked checkpoint is recorded and saved, and the cursor
 * moves past it; a skipped one too, unrecorded. */
enum walker_answer walker_answer(struct walker *w, const char *text, struct walker_verdict *v);
/* Begin the WALK_RUN step: the cursor moves past the block and a prediction
 * taken for it waits for the figures. Returns the command line (in the
 * course), or NULL if the step is not WALK_RUN. */
const char *walker_run_begin(struct walker *w);
/* The prediction waiting for its run's figures, or NULL. */
const struct predict *walker_predict_pending(const struct walker *w);
/* Forget the waiting prediction (its run did not happen, or was cancelled). */
void walker_predict_forget(struct walker *w);
/* Set the waiting prediction beside what the run measured: the verdict into
 * *v (text, right); recorded and saved when the figures could say (else the
 * text says there was nothing to compare with). -1 if none was waiting. */
int walker_predict_verdict(struct walker *w, const struct predict_figures *f,
                           struct walker_verdict *v);

/* Save the place and the progress now; -1 if it could not be (the message is
 * kept). 0 with nothing to save (no lessons). */
int walker_save(struct walker *w);
/* The first failed save's message, once: NULL while saves work and after it
 * was taken (a front end that says a problem once asks after each action). */
const char *walker_save_problem(struct walker *w);
/* The last failed save's message, or NULL if the last save worked. */
const char *walker_save_error(const struct walker *w);

#endif
