/*
 * test_walker.c — the course walker without a terminal: a real lesson
 * (lessons/, run from the repo root) and a small fixture course walked
 * page by page across a lesson boundary and back, the run step of a page's
 * block, predictions answered and set beside given figures (the verdict
 * text), checkpoints answered right and wrong, progress saved and loaded
 * back (a temporary $XDG_STATE_HOME), a failed save said once, and the end
 * of the course.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include "cmd/lessons.h"
#include "lesson/lesson.h"
#include "lesson/predict.h"
#include "lesson/walker.h"

static char tmpdir[64];

/* A fresh $XDG_STATE_HOME for each test. */
static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_walkerXXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	setenv("XDG_STATE_HOME", tmpdir, 1);
	return 0;
}

/* Remove the state directory. */
static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The fixture: lesson 1 has a run page and a page with a prediction (choices),
 * its compare block and a checkpoint; lesson 2 one page of text. */
static const char first_md[] = "# First steps\n"              /* 1 */
                               "\n"                           /* 2 */
                               "A first page.\n"              /* 3 */
                               "\n"                           /* 4 */
                               "```mptutor\n"                 /* 5 */
                               "run square 1..4 -w 2\n"       /* 6 */
                               "```\n"                        /* 7 */
                               "\n"                           /* 8 */
                               "---\n"                        /* 9 */
                               "\n"                           /* 10 */
                               "## Predict\n"                 /* 11: block 0 */
                               "\n"                           /* 12 */
                               "```predict\n"                 /* 13: block 1 */
                               "Which is fastest?\n"          /* 14 */
                               "- gil\n"                      /* 15 */
                               "- thread\n"                   /* 16 */
                               "measure: fastest\n"           /* 17 */
                               "```\n"                        /* 18 */
                               "\n"                           /* 19 */
                               "```mptutor\n"                 /* 20: block 2 */
                               "compare primes 8x1000 -w 2\n" /* 21 */
                               "```\n"                        /* 22 */
                               "\n"                           /* 23 */
                               "```quiz\n"                    /* 24: block 3 */
                               "Which backend shares memory?\n"
                               "- [ ] process\n"
                               "- [x] thread\n"
                               "Why: threads live in one process.\n"
                               "```\n";
static const char second_md[] = "# Second lesson\n\nThe end.\n";

/* Load the fixture course. */
static void fixture(struct course *c)
{
	memset(c, 0, sizeof *c);
	lesson_parse("l/01-first.md", first_md, strlen(first_md), cmd_lesson_block_check, c);
	lesson_parse("l/02-second.md", second_md, strlen(second_md), cmd_lesson_block_check, c);
	assert_int_equal(c->n_diags, 0);
	assert_int_equal(c->n_lessons, 2);
}

/* A walker over c from its start, with no note and no error. */
static struct walker *walker_at(const struct course *c, const char *which)
{
	char note[512], err[512];
	struct walker *w = walker_new(c, which, note, sizeof note, err, sizeof err);
	assert_non_null(w);
	assert_string_equal(note, "");
	return w;
}

/* A finished run of one backend, as the engine hands it over. */
static void seen(struct predict_figures *f, enum backend_kind b, double wall_s, bool compare)
{
	struct run_snapshot s;
	memset(&s, 0, sizeof s);
	s.backend = b;
	s.wall_s = wall_s;
	predict_figures_add(f, &s, compare);
}

/* Is this answer entry ("lesson:block=answer:right") in the progress? */
static bool has_answer(const struct progress *p, const char *entry)
{
	for (size_t i = 0; i < p->n_answers; i++)
		if (!strcmp(p->answers[i], entry))
			return true;
	return false;
}

/* Page steps in the fixture: forward over the lesson boundary and back. */
static void test_pages_across_lessons(void **state)
{
	struct course c;
	struct walker_step st;
	(void)state;

	fixture(&c);
	struct walker *w = walker_at(&c, NULL);
	struct walker_place at = walker_place(w);
	assert_int_equal(at.lesson, 0);
	assert_int_equal(at.page, 0);
	assert_string_equal(walker_lesson(w)->name, "first");
	assert_int_equal(walker_prev(w), WALK_EDGE); /* the first page */
	assert_int_equal(walker_next(w), WALK_MOVED);
	assert_int_equal(walker_place(w).page, 1);
	assert_false(progress_is_done(walker_progress(w), "first"));
	assert_int_equal(walker_next(w), WALK_NEW_LESSON);
	at = walker_place(w);
	assert_int_equal(at.lesson, 1);
	assert_int_equal(at.page, 0);
	/* read to its end, its checkpoint never answered: not done, the checkpoint skipped */
	assert_false(progress_is_done(walker_progress(w), "first"));
	assert_int_equal(walker_lessons_done(w), 0);
	assert_int_equal(progress_answer_state(walker_progress(w), "first", 5), 0);
	struct lesson_checkpoints ck;
	progress_checkpoints(walker_progress(w), &c.lessons[0], &ck);
	assert_int_equal(ck.total, 1);
	assert_int_equal(ck.answered, 0);
	assert_int_equal(ck.skipped, 1);
	assert_int_equal(walker_prev(w), WALK_NEW_LESSON); /* back: the last page of lesson 1 */
	at = walker_place(w);
	assert_int_equal(at.lesson, 0);
	assert_int_equal(at.page, 1);
	walker_step(w, &st);
	assert_int_equal(st.kind, WALK_PREDICT); /* the page starts over */
	assert_int_equal(walker_goto(w, "second"), 0);
	assert_int_equal(walker_place(w).lesson, 1);
	assert_int_equal(walker_goto(w, "2"), 0);
	assert_int_equal(walker_goto(w, "nosuch"), -1);
	assert_int_equal(walker_place(w).lesson, 1); /* nothing moved */
	walker_free(w);
	course_free(&c);
}

/* The run step of a page's block, then the page turn once nothing is left. */
static void test_run_step(void **state)
{
	struct course c;
	struct walker_step st;
	struct walker_verdict v;
	(void)state;

	fixture(&c);
	struct walker *w = walker_at(&c, NULL);
	walker_step(w, &st);
	assert_int_equal(st.kind, WALK_RUN);
	assert_int_equal(st.block, 1);
	assert_string_equal(st.command, "run square 1..4 -w 2");
	assert_int_equal(walker_next_block(w), 1);
	assert_int_equal(walker_answer(w, "b", &v), WALK_ANSWER_NONE); /* nothing asked */
	assert_string_equal(walker_run_begin(w), "run square 1..4 -w 2");
	assert_null(walker_predict_pending(w)); /* no prediction for this one */
	assert_int_equal(walker_next_block(w), -1);
	walker_step(w, &st);
	assert_int_equal(st.kind, WALK_TURN);
	assert_null(walker_run_begin(w)); /* not a run step */
	walker_free(w);
	course_free(&c);
}

/* A prediction with choices: asked, a bad answer, taken, set beside figures. */
static void test_predict_choice(void **state)
{
	struct course c;
	struct walker_step st;
	struct walker_verdict v;
	struct predict_figures f;
	(void)state;

	fixture(&c);
	struct walker *w = walker_at(&c, NULL);
	assert_int_equal(walker_next(w), WALK_MOVED);
	walker_step(w, &st);
	assert_int_equal(st.kind, WALK_PREDICT);
	assert_int_equal(st.block, 2); /* the run block it asks about */
	assert_string_equal(st.command, "compare primes 8x1000 -w 2");
	assert_string_equal(st.question, "Which is fastest?");
	assert_int_equal(st.n_choices, 2);
	assert_string_equal(st.choices[1], "thread");
	assert_null(walker_run_begin(w)); /* the prediction comes first */

	assert_int_equal(walker_answer(w, "z", &v), WALK_ANSWER_BAD);
	assert_string_equal(v.text, "'z' is not a choice: answer a-b");
	walker_step(w, &st);
	assert_int_equal(st.kind, WALK_PREDICT); /* still asked */
	assert_int_equal(walker_answer(w, "  b  ", &v), WALK_ANSWER_TAKEN);
	walker_step(w, &st);
	assert_int_equal(st.kind, WALK_RUN);
	assert_int_equal(st.block, 2);
	assert_string_equal(walker_run_begin(w), "compare primes 8x1000 -w 2");
	assert_non_null(walker_predict_pending(w));

	memset(&f, 0, sizeof f);
	seen(&f, BACKEND_SERIAL, 0.9, true);
	seen(&f, BACKEND_THREAD, 0.4, true);
	seen(&f, BACKEND_GIL, 1.0, true);
	assert_int_equal(walker_predict_verdict(w, &f, &v), 0);
	assert_string_equal(v.text, "You predicted: thread. Measured fastest: thread. Right.");
	assert_true(v.right);
	assert_true(v.recorded);
	assert_true(has_answer(walker_progress(w), "first:4=thread:right"));
	assert_null(walker_predict_pending(w));
	assert_int_equal(walker_predict_verdict(w, &f, &v), -1); /* said once */

	/* the next step is the checkpoint after the run */
	walker_step(w, &st);
	assert_int_equal(st.kind, WALK_QUIZ);
	assert_int_equal(st.block, 3);
	walker_free(w);
	course_free(&c);
}

/* A checkpoint answered wrong, then (the page again) right; skipped. */
static void test_quiz(void **state)
{
	struct course c;
	struct walker_step st;
	struct walker_verdict v;
	(void)state;

	fixture(&c);
	struct walker *w = walker_at(&c, NULL);
	walker_set_place(w, (struct walker_place){0, 1, 3}); /* at the checkpoint */
	walker_step(w, &st);
	assert_int_equal(st.kind, WALK_QUIZ);
	assert_string_equal(st.question, "Which backend shares memory?");
	assert_int_equal(st.n_choices, 2);
	assert_int_equal(walker_answer(w, "c", &v), WALK_ANSWER_BAD);
	assert_string_equal(v.text, "'c' is not a choice: answer a-b");
	assert_int_equal(walker_answer(w, "a", &v), WALK_ANSWER_CHECKED);
	assert_false(v.right);
	assert_string_equal(v.headline, "Not quite.");
	assert_string_equal(v.text, "Not quite. The answer: b) thread");
	assert_string_equal(v.answer, "a) process");
	assert_string_equal(v.question, "Which backend shares memory?");
	assert_string_equal(v.why, "threads live in one process.");
	assert_true(has_answer(walker_progress(w), "first:5=a:wrong"));
	walker_step(w, &st);
	assert_int_equal(st.kind, WALK_TURN); /* past it */

	walker_set_place(w, (struct walker_place){0, 1, 3});
	assert_int_equal(walker_answer(w, "2", &v), WALK_ANSWER_CHECKED); /* a number */
	assert_true(v.right);
	assert_string_equal(v.headline, "Right.");
	assert_string_equal(v.text, "Right.");
	assert_string_equal(v.answer, "b) thread");
	assert_true(has_answer(walker_progress(w), "first:5=b:right"));
	assert_false(has_answer(walker_progress(w), "first:5=a:wrong")); /* replaced */

	walker_set_place(w, (struct walker_place){0, 1, 3});
	assert_int_equal(walker_answer(w, "", &v), WALK_ANSWER_SKIPPED);
	assert_false(v.recorded);
	walker_step(w, &st);
	assert_int_equal(st.kind, WALK_TURN);
	assert_true(has_answer(walker_progress(w), "first:5=b:right")); /* kept */
	walker_free(w);
	course_free(&c);
}

/* The end of the course: next on the last page is the edge, then END; a move clears it. */
static void test_end_of_course(void **state)
{
	struct course c;
	struct walker_step st;
	(void)state;

	fixture(&c);
	struct walker *w = walker_at(&c, "second");
	walker_step(w, &st);
	assert_int_equal(st.kind, WALK_TURN); /* a page of text */
	assert_int_equal(walker_next(w), WALK_EDGE);
	walker_step(w, &st);
	assert_int_equal(st.kind, WALK_END);
	assert_true(progress_is_done(walker_progress(w), "second"));
	assert_int_equal(walker_place(w).lesson, 1); /* nothing moved */
	assert_int_equal(walker_prev(w), WALK_NEW_LESSON);
	walker_step(w, &st);
	assert_int_equal(st.kind, WALK_PREDICT);
	walker_free(w);

	/* a course with no lessons: nothing to walk */
	struct course none;
	memset(&none, 0, sizeof none);
	w = walker_at(&none, NULL);
	walker_step(w, &st);
	assert_int_equal(st.kind, WALK_NONE);
	assert_int_equal(walker_next(w), WALK_EMPTY);
	assert_int_equal(walker_prev(w), WALK_EMPTY);
	assert_null(walker_lesson(w));
	assert_int_equal(walker_save(w), 0); /* nothing to save */
	walker_free(w);
	course_free(&c);
}

/* Progress: saved on each change and loaded back by the next walker. */
static void test_progress_saved(void **state)
{
	struct course c;
	struct walker_verdict v;
	char note[512], err[512];
	(void)state;

	fixture(&c);
	struct walker *w = walker_at(&c, NULL);
	assert_int_equal(walker_next(w), WALK_MOVED);
	walker_set_place(w, (struct walker_place){0, 1, 3});
	assert_int_equal(walker_answer(w, "b", &v), WALK_ANSWER_CHECKED);
	assert_int_equal(walker_next(w), WALK_NEW_LESSON);
	assert_null(walker_save_problem(w));
	walker_free(w); /* no save on the way out: each change was saved */

	struct progress p;
	assert_int_equal(progress_load(&p, err, sizeof err), 0);
	assert_string_equal(p.lesson, "second");
	assert_int_equal(p.page, 0);
	assert_true(progress_is_done(&p, "first"));
	assert_true(has_answer(&p, "first:5=b:right"));
	progress_free(&p);

	w = walker_at(&c, NULL); /* resumes where it left off */
	assert_int_equal(walker_place(w).lesson, 1);
	assert_true(has_answer(walker_progress(w), "first:5=b:right"));
	assert_int_equal(walker_prev(w), WALK_NEW_LESSON);
	walker_free(w);
	w = walker_at(&c, NULL);
	assert_int_equal(walker_place(w).lesson, 0);
	assert_int_equal(walker_place(w).page, 1);
	walker_free(w);
	w = walker_at(&c, "2"); /* --lesson wins */
	assert_int_equal(walker_place(w).lesson, 1);
	walker_free(w);

	assert_null(walker_new(&c, "nosuch", note, sizeof note, err, sizeof err));
	assert_string_equal(err, "--lesson nosuch: no such lesson (allowed: 1-2, or a name as "
	                         "'mptutor lessons' lists)");
	course_free(&c);
}

/* A state directory that cannot be made: the walk goes on, the problem is said once. */
static void test_save_fails(void **state)
{
	struct course c;
	char path[128];
	(void)state;

	snprintf(path, sizeof path, "%s/notadir", tmpdir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	setenv("XDG_STATE_HOME", path, 1);
	fixture(&c);
	struct walker *w = walker_at(&c, NULL);
	assert_null(walker_save_problem(w)); /* nothing saved yet */
	assert_int_equal(walker_next(w), WALK_MOVED);
	assert_int_equal(walker_place(w).page, 1); /* moved anyway */
	const char *e = walker_save_problem(w);
	assert_non_null(e);
	assert_non_null(strstr(e, "progress"));
	assert_null(walker_save_problem(w)); /* once */
	assert_int_equal(walker_save(w), -1);
	assert_non_null(walker_save_error(w));
	assert_null(walker_save_problem(w));
	walker_free(w);
	course_free(&c);
	setenv("XDG_STATE_HOME", tmpdir, 1);
}

/* Index of the first page of l with a block of this kind, -1 if none. */
static int page_with(const struct lesson *l, enum lblock_kind kind)
{
	for (size_t p = 0; p < l->n_pages; p++)
		for (size_t b = 0; b < l->pages[p].n_blocks; b++)
			if (l->pages[p].blocks[b].kind == kind)
				return (int)p;
	return -1;
}

/* The real first lesson: its prediction (a number, speedup process) answered
 * and set beside a compare's figures, its checkpoint, its last page over the
 * boundary into lesson 2 and back. */
static void test_real_lesson(void **state)
{
	struct course c;
	struct walker_step st;
	struct walker_verdict v;
	struct predict_figures f;
	(void)state;

	assert_int_equal(course_load("lessons", cmd_lesson_block_check, &c), 0);
	assert_true(c.n_lessons >= 2);
	assert_int_equal(c.n_diags, 0);
	const struct lesson *l = &c.lessons[0];
	struct walker *w = walker_at(&c, "1");
	assert_string_equal(walker_lesson(w)->title, l->title);

	/* the prediction's page, reached by turning pages */
	int pp = page_with(l, LBLOCK_PREDICT);
	assert_true(pp > 0);
	for (int i = 0; i < pp; i++)
		assert_int_equal(walker_next(w), WALK_MOVED);
	for (;;) { /* runnable blocks before the prediction's run */
		walker_step(w, &st);
		if (st.kind != WALK_RUN)
			break;
		assert_non_null(walker_run_begin(w));
	}
	assert_int_equal(st.kind, WALK_PREDICT);
	assert_int_equal(st.n_choices, 0); /* a number */
	assert_string_equal(st.predict->measure, "speedup process");
	assert_int_equal(strncmp(st.command, "compare ", 8), 0);
	const char *cmd = st.command;
	assert_int_equal(walker_answer(w, "fast", &v), WALK_ANSWER_BAD);
	assert_string_equal(v.text, "'fast' is not a number: answer like 1.8");
	assert_int_equal(walker_answer(w, "1.8x", &v), WALK_ANSWER_TAKEN);
	assert_ptr_equal(walker_run_begin(w), cmd);
	memset(&f, 0, sizeof f);
	seen(&f, BACKEND_SERIAL, 1.0, true);
	seen(&f, BACKEND_PROCESS, 0.5, true);
	seen(&f, BACKEND_THREAD, 0.5, true);
	seen(&f, BACKEND_GIL, 1.0, true);
	assert_int_equal(walker_predict_verdict(w, &f, &v), 0);
	assert_string_equal(v.text,
	                    "You predicted: 1.8\xc3\x97. Measured speedup process: 2\xc3\x97. "
	                    "Close: well predicted.");
	assert_true(v.right);
	char entry[128];
	snprintf(entry, sizeof entry, "%s:%d=1.8:right", l->name,
	         lesson_block_number(l, pp, st.block));
	assert_true(has_answer(walker_progress(w), entry));

	/* a prediction whose run gave nothing to compare with: said, not kept */
	walker_set_place(w, (struct walker_place){0, pp, 0});
	for (walker_step(w, &st); st.kind == WALK_RUN; walker_step(w, &st))
		walker_run_begin(w);
	assert_int_equal(walker_answer(w, "9", &v), WALK_ANSWER_TAKEN);
	walker_run_begin(w);
	memset(&f, 0, sizeof f);
	seen(&f, BACKEND_PROCESS, 0.5, false); /* a run, not a compare */
	assert_int_equal(walker_predict_verdict(w, &f, &v), 0);
	assert_string_equal(
	    v.text, "You predicted: 9\xc3\x97. The run gave no speedup process to compare with.");
	assert_false(v.recorded);
	assert_true(has_answer(walker_progress(w), entry)); /* the earlier one stays */

	/* skipped: the run comes without a verdict */
	walker_set_place(w, (struct walker_place){0, pp, 0});
	for (walker_step(w, &st); st.kind == WALK_RUN; walker_step(w, &st))
		walker_run_begin(w);
	assert_int_equal(walker_answer(w, "", &v), WALK_ANSWER_SKIPPED);
	walker_step(w, &st);
	assert_int_equal(st.kind, WALK_RUN);
	assert_ptr_equal(walker_run_begin(w), cmd);
	assert_null(walker_predict_pending(w));
	assert_int_equal(walker_predict_verdict(w, &f, &v), -1);

	/* the last page: its runs, then its checkpoint, answered right */
	int last = (int)l->n_pages - 1;
	walker_set_place(w, (struct walker_place){0, last, 0});
	for (walker_step(w, &st); st.kind == WALK_RUN; walker_step(w, &st))
		walker_run_begin(w);
	assert_int_equal(st.kind, WALK_QUIZ);
	size_t right = 0;
	while (!st.quiz->correct[right])
		right++;
	char ans[2] = {(char)('a' + right), '\0'};
	assert_int_equal(walker_answer(w, ans, &v), WALK_ANSWER_CHECKED);
	assert_true(v.right);
	assert_string_equal(v.text, "Right.");
	assert_ptr_equal(v.why, st.quiz->why);
	snprintf(entry, sizeof entry, "%s:%d=%s:right", l->name,
	         lesson_block_number(l, last, st.block), ans);
	assert_true(has_answer(walker_progress(w), entry));

	/* over the boundary and back */
	for (walker_step(w, &st); st.kind != WALK_TURN; walker_step(w, &st))
		assert_non_null(walker_run_begin(w));
	assert_int_equal(walker_next(w), WALK_NEW_LESSON);
	assert_int_equal(walker_place(w).lesson, 1);
	assert_int_equal(walker_place(w).page, 0);
	assert_true(progress_is_done(walker_progress(w), l->name));
	assert_int_equal(walker_prev(w), WALK_NEW_LESSON);
	assert_int_equal(walker_place(w).lesson, 0);
	assert_int_equal(walker_place(w).page, last);
	walker_free(w);
	course_free(&c);
}

/* A page that explains its run after it, then asks about it, then says why. */
static const char spoil_md[] = "# Spoilers\n"
                               "\n"
                               "Run it.\n" /* block 0 */
                               "\n"
                               "```mptutor\n" /* block 1 */
                               "run counter 4x10 -b thread\n"
                               "```\n"
                               "\n"
                               "The counter read 40: the answer.\n" /* block 2 */
                               "\n"
                               "```quiz\n" /* block 3 */
                               "What did it read?\n"
                               "- [x] 40\n"
                               "- [ ] 0\n"
                               "```\n"
                               "\n"
                               "Threads share the counter.\n" /* block 4 */
                               "\n"
                               "---\n"
                               "\n"
                               "```predict\n" /* page 2, block 0 */
                               "Counter?\n"
                               "number\n"
                               "measure: counter\n"
                               "```\n"
                               "\n"
                               "```mptutor\n" /* block 1 */
                               "run counter 4x10 -b process\n"
                               "```\n"
                               "\n"
                               "It read 0.\n"; /* block 2 */

/* No spoilers: what follows a run asked about, a checkpoint or a prediction
 * shows only once it is done; an answer kept from an earlier visit does not
 * hide the page again, a skipped one does. */
static void test_no_spoilers(void **state)
{
	struct course c;
	struct walker_step st;
	struct walker_verdict v;
	(void)state;
	memset(&c, 0, sizeof c);
	lesson_parse("l/01-spoil.md", spoil_md, strlen(spoil_md), cmd_lesson_block_check, &c);
	assert_int_equal(c.n_diags, 0);
	assert_int_equal(c.lessons[0].pages[0].n_blocks, 5);
	struct walker *w = walker_at(&c, NULL);
	assert_int_equal(walker_visible_blocks(w), 2); /* the text and the run; not the answer */
	assert_non_null(walker_run_begin(w));
	assert_int_equal(walker_visible_blocks(w), 4); /* ran: the explanation and the question */
	walker_step(w, &st);
	assert_int_equal(st.kind, WALK_QUIZ);
	assert_int_equal(walker_answer(w, "", &v), WALK_ANSWER_SKIPPED);
	assert_int_equal(walker_visible_blocks(w), 5);
	assert_int_equal(progress_answer_state(walker_progress(w), "spoil", 3), 0); /* skipped */
	/* the next page: the prediction first, then its run, then the rest */
	assert_int_equal(walker_next(w), WALK_MOVED);
	assert_int_equal(walker_visible_blocks(w), 1);
	assert_int_equal(walker_answer(w, "4", &v), WALK_ANSWER_TAKEN);
	assert_int_equal(walker_visible_blocks(w), 2);
	assert_non_null(walker_run_begin(w));
	assert_int_equal(walker_visible_blocks(w), 3);
	/* back: the skipped checkpoint hides its page's rest again */
	assert_int_equal(walker_prev(w), WALK_MOVED);
	assert_int_equal(walker_visible_blocks(w), 2);
	assert_non_null(walker_run_begin(w));
	assert_int_equal(walker_answer(w, "a", &v), WALK_ANSWER_CHECKED);
	assert_int_equal(progress_answer_state(walker_progress(w), "spoil", 3), 1);
	/* answered: a later visit shows the whole page at once */
	assert_int_equal(walker_next(w), WALK_MOVED);
	assert_int_equal(walker_prev(w), WALK_MOVED);
	assert_int_equal(walker_visible_blocks(w), 5);
	/* every checkpoint answered: leaving the last page marks it done */
	assert_int_equal(walker_next(w), WALK_MOVED);
	assert_int_equal(walker_next(w), WALK_EDGE);
	assert_true(progress_is_done(walker_progress(w), "spoil"));
	walker_free(w);
	course_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_pages_across_lessons, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_run_step, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_predict_choice, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_quiz, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_end_of_course, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_progress_saved, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_save_fails, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_real_lesson, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_spoilers, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
