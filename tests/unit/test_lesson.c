/*
 * test_lesson.c — the lesson loader (titles, pages, blocks, quiz and predict
 * parsing, diagnostics with line numbers, garbage never crashes), quiz_check,
 * course_find and course_load, and the renderer (wrap width, styles, code
 * verbatim, runnable blocks marked with their index).
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

/* Parse one lesson from a string into a fresh course. */
static void parse(struct course *c, const char *path, const char *text)
{
	memset(c, 0, sizeof *c);
	lesson_parse(path, text, strlen(text), cmd_lesson_block_check, c);
}

/* Is there a diagnostic at this line whose message contains `part`? */
static bool has_diag(const struct course *c, int line, const char *part)
{
	for (size_t i = 0; i < c->n_diags; i++)
		if (c->diags[i].line == line && strstr(c->diags[i].message, part))
			return true;
	return false;
}

/* Print the diagnostics, to see why a test failed. */
static void dump_diags(const struct course *c)
{
	for (size_t i = 0; i < c->n_diags; i++)
		fprintf(stderr, "  diag %s:%d: %s\n", c->diags[i].file, c->diags[i].line,
		        c->diags[i].message);
}

static const char good[] = "# Processes vs threads\n"           /* 1 */
                           "\n"                                 /* 2 */
                           "Some *prose* with `code`.\n"        /* 3 */
                           "\n"                                 /* 4 */
                           "```python\n"                        /* 5 */
                           "def square(n):\n"                   /* 6 */
                           "    return n * n\n"                 /* 7 */
                           "```\n"                              /* 8 */
                           "\n"                                 /* 9 */
                           "---\n"                              /* 10 */
                           "\n"                                 /* 11 */
                           "## Second page\n"                   /* 12 */
                           "\n"                                 /* 13 */
                           "```predict\n"                       /* 14 */
                           "How fast will processes be?\n"      /* 15 */
                           "number\n"                           /* 16 */
                           "measure: speedup process\n"         /* 17 */
                           "```\n"                              /* 18 */
                           "\n"                                 /* 19 */
                           "```mptutor\n"                       /* 20 */
                           "compare primes 8x300000 -w 2\n"     /* 21 */
                           "```\n"                              /* 22 */
                           "\n"                                 /* 23 */
                           "```quiz\n"                          /* 24 */
                           "Which backend finishes first?\n"    /* 25 */
                           "- [ ] threads\n"                    /* 26 */
                           "- [x] processes\n"                  /* 27 */
                           "Why: only one thread runs Python\n" /* 28 */
                           "code at a time.\n"                  /* 29 */
                           "```\n";                             /* 30 */

/* A good lesson: title, name, two pages, the blocks of each kind, no diagnostics. */
static void test_parse_good(void **state)
{
	struct course c;
	(void)state;
	parse(&c, "lessons/02-processes-vs-threads.md", good);
	dump_diags(&c);
	assert_int_equal(c.n_diags, 0);
	assert_int_equal(c.n_lessons, 1);
	const struct lesson *l = &c.lessons[0];
	assert_string_equal(l->title, "Processes vs threads");
	assert_string_equal(l->name, "processes-vs-threads");
	assert_int_equal(l->number, 1);
	assert_int_equal(l->n_pages, 2);

	const struct lesson_page *p0 = &l->pages[0], *p1 = &l->pages[1];
	assert_int_equal(p0->n_blocks, 2);
	assert_int_equal(p0->blocks[0].kind, LBLOCK_TEXT);
	assert_int_equal(p0->blocks[0].line, 1);
	assert_non_null(strstr(p0->blocks[0].text, "Some *prose*"));
	assert_int_equal(p0->blocks[1].kind, LBLOCK_PYTHON);
	assert_string_equal(p0->blocks[1].text, "def square(n):\n    return n * n\n");
	assert_int_equal(p0->blocks[1].line, 5);

	assert_int_equal(p1->n_blocks, 4);
	assert_int_equal(p1->blocks[0].kind, LBLOCK_TEXT);
	assert_int_equal(p1->blocks[1].kind, LBLOCK_PREDICT);
	assert_int_equal(p1->blocks[2].kind, LBLOCK_RUN);
	assert_string_equal(p1->blocks[2].text, "compare primes 8x300000 -w 2");
	assert_int_equal(p1->blocks[2].line, 20);
	assert_int_equal(p1->blocks[3].kind, LBLOCK_QUIZ);

	const struct predict *pr = p1->blocks[1].predict;
	assert_non_null(pr);
	assert_string_equal(pr->question, "How fast will processes be?");
	assert_int_equal(pr->n_choices, 0);
	assert_string_equal(pr->measure, "speedup process");
	assert_ptr_equal(lesson_page_predict_for(p1, 2), pr);
	assert_null(lesson_page_predict_for(p1, 3));

	const struct quiz *q = p1->blocks[3].quiz;
	assert_non_null(q);
	assert_string_equal(q->question, "Which backend finishes first?");
	assert_int_equal(q->n_choices, 2);
	assert_string_equal(q->choices[0], "threads");
	assert_string_equal(q->choices[1], "processes");
	assert_false(q->correct[0]);
	assert_true(q->correct[1]);
	assert_string_equal(q->why, "only one thread runs Python code at a time.");
	course_free(&c);
}

/* quiz_check: letters, numbers, wrong, not a choice. */
static void test_quiz_check(void **state)
{
	struct course c;
	(void)state;
	parse(&c, "01-x.md", good);
	const struct quiz *q = c.lessons[0].pages[1].blocks[3].quiz;
	assert_int_equal(quiz_check(q, "b"), 1);
	assert_int_equal(quiz_check(q, "B"), 1);
	assert_int_equal(quiz_check(q, " 2 "), 1);
	assert_int_equal(quiz_check(q, "b)"), 1);
	assert_int_equal(quiz_check(q, "a"), 0);
	assert_int_equal(quiz_check(q, "1"), 0);
	assert_int_equal(quiz_check(q, "c"), -1);
	assert_int_equal(quiz_check(q, "3"), -1);
	assert_int_equal(quiz_check(q, "0"), -1);
	assert_int_equal(quiz_check(q, ""), -1);
	assert_int_equal(quiz_check(q, "processes"), -1);
	assert_int_equal(quiz_check(NULL, "a"), -1);
	course_free(&c);
}

/* Broken quizzes: each problem named, at the block's line, and the block dropped. */
static void test_quiz_broken(void **state)
{
	struct course c;
	(void)state;
	parse(&c, "lessons/03-bad.md",
	      "# Bad quizzes\n" /* 1 */
	      "```quiz\n"       /* 2 */
	      "- [ ] a\n"       /* 3 */
	      "- [x] b\n"       /* 4 */
	      "```\n"           /* 5 */
	      "```quiz\n"       /* 6 */
	      "Only one?\n"     /* 7 */
	      "- [x] a\n"       /* 8 */
	      "```\n"           /* 9 */
	      "```quiz\n"       /* 10 */
	      "None right?\n"   /* 11 */
	      "- [ ] a\n"       /* 12 */
	      "- [ ] b\n"       /* 13 */
	      "```\n"           /* 14 */
	      "```quiz\n"       /* 15 */
	      "Odd line?\n"     /* 16 */
	      "- [x] a\n"       /* 17 */
	      "- [ ] b\n"       /* 18 */
	      "what is this\n"  /* 19 */
	      "- [?] c\n"       /* 20 */
	      "```\n");         /* 21 */
	assert_true(has_diag(&c, 2, "no question"));
	assert_true(has_diag(&c, 6, "1 choice"));
	assert_true(has_diag(&c, 10, "no right choice"));
	assert_true(has_diag(&c, 19, "neither a choice"));
	assert_true(has_diag(&c, 20, "[?]"));
	for (size_t i = 0; i < c.n_diags; i++)
		assert_string_equal(c.diags[i].file, "lessons/03-bad.md");
	const struct lesson_page *p = &c.lessons[0].pages[0];
	for (size_t i = 0; i < p->n_blocks; i++)
		assert_int_not_equal(p->blocks[i].kind, LBLOCK_QUIZ);
	course_free(&c);
}

/* Predictions: choices, bad measures, and one with no runnable block after it. */
static void test_predict(void **state)
{
	struct course c;
	(void)state;
	parse(&c, "04-p.md",
	      "# Predict\n"               /* 1 */
	      "```predict\n"              /* 2 */
	      "Which is fastest?\n"       /* 3 */
	      "- gil\n"                   /* 4 */
	      "- thread\n"                /* 5 */
	      "measure: fastest\n"        /* 6 */
	      "```\n"                     /* 7 */
	      "Text between is fine.\n"   /* 8 */
	      "```mptutor\n"              /* 9 */
	      "compare spin 8x100 -w 2\n" /* 10 */
	      "```\n"                     /* 11 */
	      "```predict\n"              /* 12 */
	      "How many?\n"               /* 13 */
	      "number\n"                  /* 14 */
	      "measure: bananas\n"        /* 15 */
	      "```\n"                     /* 16 */
	      "```predict\n"              /* 17 */
	      "Alone on its page?\n"      /* 18 */
	      "number\n"                  /* 19 */
	      "measure: failed\n"         /* 20 */
	      "```\n"                     /* 21 */
	      "---\n"                     /* 22 */
	      "```mptutor\n"              /* 23 */
	      "run square 1..5\n"         /* 24 */
	      "```\n"                     /* 25 */
	      "```predict\n"              /* 26 */
	      "Speedup of a run?\n"       /* 27 */
	      "number\n"                  /* 28 */
	      "measure: speedup thread\n" /* 29 */
	      "```\n"                     /* 30 */
	      "```mptutor\n"              /* 31 */
	      "run square 1..5\n"         /* 32 */
	      "```\n");                   /* 33 */
	const struct lesson_page *p0 = &c.lessons[0].pages[0];
	assert_int_equal(p0->blocks[1].kind, LBLOCK_PREDICT);
	const struct predict *pr = p0->blocks[1].predict;
	assert_int_equal(pr->n_choices, 2);
	assert_string_equal(pr->choices[1], "thread");
	assert_string_equal(pr->measure, "fastest");
	assert_int_equal(p0->blocks[3].kind, LBLOCK_RUN);
	assert_ptr_equal(lesson_page_predict_for(p0, 3), pr);
	assert_true(has_diag(&c, 12, "unknown measure 'bananas'"));
	assert_true(has_diag(&c, 17, "not followed by a ```mptutor block"));
	assert_true(has_diag(&c, 26, "needs a compare block"));
	assert_int_equal(c.lessons[0].n_pages, 2);

	char err[256];
	assert_int_equal(predict_measure_check("speedup gil", false, err, sizeof err), 0);
	assert_int_equal(predict_measure_check("wall", false, err, sizeof err), 0);
	assert_int_equal(predict_measure_check("wall serial", false, err, sizeof err), 0);
	assert_int_equal(predict_measure_check("counter", false, err, sizeof err), 0);
	assert_int_equal(predict_measure_check("speedup serial", false, err, sizeof err), -1);
	assert_int_equal(predict_measure_check("speedup", false, err, sizeof err), -1);
	assert_int_equal(predict_measure_check("fastest", false, err, sizeof err), -1);
	assert_int_equal(predict_measure_check("failed", true, err, sizeof err), -1);
	assert_non_null(strstr(err, "number"));
	course_free(&c);
}

/* Runnable blocks: a bad command, two lines, an unknown command; each at its line. */
static void test_run_blocks(void **state)
{
	struct course c;
	(void)state;
	parse(&c, "05-r.md",
	      "# Runs\n"               /* 1 */
	      "```mptutor\n"           /* 2 */
	      "run nosuchtask 1..5\n"  /* 3 */
	      "```\n"                  /* 4 */
	      "```mptutor\n"           /* 5 */
	      "run square\n"           /* 6 */
	      "run square\n"           /* 7 */
	      "```\n"                  /* 8 */
	      "```mptutor\n"           /* 9 */
	      "frobnicate\n"           /* 10 */
	      "```\n"                  /* 11 */
	      "```mptutor\n"           /* 12 */
	      "run square 1..5 -w 0\n" /* 13 */
	      "```\n"                  /* 14 */
	      "```mptutor\n"           /* 15 */
	      "tasks\n"                /* 16 */
	      "```\n"                  /* 17 */
	      "```mptutor\n"           /* 18 */
	      "run 'square\n"          /* 19 */
	      "```\n");                /* 20 */
	assert_true(has_diag(&c, 2, "nosuchtask"));
	assert_true(has_diag(&c, 5, "exactly one command line"));
	assert_true(has_diag(&c, 9, "unknown command 'frobnicate'"));
	assert_true(has_diag(&c, 12, "mptutor block"));
	assert_true(has_diag(&c, 18, "quote"));
	assert_int_equal(c.n_diags, 5);
	const struct lesson_page *p = &c.lessons[0].pages[0];
	size_t runs = 0;
	for (size_t i = 0; i < p->n_blocks; i++)
		runs += p->blocks[i].kind == LBLOCK_RUN;
	assert_int_equal(runs, 1); /* only `tasks` */
	course_free(&c);
}

/* No heading, empty pages, empty files: diagnostics, never a crash. */
static void test_structure_diags(void **state)
{
	struct course c;
	(void)state;
	parse(&c, "06-nohead.md", "Just text.\n\n---\n\n---\n\nMore.\n\n---\n");
	assert_true(has_diag(&c, 1, "no heading"));
	assert_true(has_diag(&c, 5, "empty page"));
	assert_string_equal(c.lessons[0].title, "nohead");
	assert_int_equal(c.lessons[0].n_pages, 3); /* the trailing --- opens no page */
	course_free(&c);

	parse(&c, "07-empty.md", "");
	assert_int_equal(c.n_lessons, 1);
	assert_true(has_diag(&c, 1, "no heading"));
	course_free(&c);
}

/* Garbage in never crashes the loader or the renderer. */
static void test_garbage(void **state)
{
	static const char alphabet[] =
	    "#*-_`>[]()x!\n\n\n   \t|~=:1.abc\xc3\xa9\xe2\x96\xb6\xff\x01\r";
	const char *frags[] = {"```quiz\n",
	                       "```predict\n",
	                       "```mptutor\n",
	                       "```python\n",
	                       "```\n",
	                       "---\n",
	                       "- [x] a\n",
	                       "- [ ] b\n",
	                       "measure: wall\n",
	                       "number\n",
	                       "> quote\n",
	                       "1. one\n",
	                       "* [link](http://x)\n",
	                       "run square 1..5\n"};
	unsigned seed = 12345;
	char buf[2048];
	(void)state;

	for (int round = 0; round < 300; round++) {
		size_t n = 0;
		while (n < sizeof buf - 64) {
			seed = seed * 1103515245u + 12345u;
			unsigned r = (seed >> 16) & 0x7fff;
			if (r % 5 == 0) {
				const char *f = frags[r % (sizeof frags / sizeof *frags)];
				memcpy(buf + n, f, strlen(f));
				n += strlen(f);
			} else {
				buf[n++] = alphabet[r % (sizeof alphabet - 1)];
			}
			if (r % 97 == 0)
				break;
		}
		struct course c;
		memset(&c, 0, sizeof c);
		lesson_parse("garbage.md", buf, n, cmd_lesson_block_check, &c);
		assert_int_equal(c.n_lessons, 1);
		for (size_t p = 0; p < c.lessons[0].n_pages; p++) {
			struct lrender r;
			int width = 8 + (int)(round % 70);
			assert_int_equal(lesson_render_page(&c.lessons[0].pages[p], width, &r), 0);
			for (size_t i = 0; i < r.n_lines; i++) {
				char *t = lline_text(&r.lines[i]);
				if (lesson_text_width(t) > width)
					fail_msg("round %d width %d: '%s'", round, width, t);
				for (const char *q = t; *q; q++)
					assert_true((unsigned char)*q >= 0x20 &&
					            *q != 0x7f); /* no control characters */
				free(t);
			}
			lrender_free(&r);
		}
		course_free(&c);
	}
}

/* Lesson lookup: number, exact name, a word of a name; ambiguous or unknown is -1. */
static void test_course_find(void **state)
{
	struct course c;
	(void)state;
	memset(&c, 0, sizeof c);
	lesson_parse("l/01-what-is-multiprocessing.md", "# A\n", 4, cmd_lesson_block_check, &c);
	lesson_parse("l/02-the-gil.md", "# B\n", 4, cmd_lesson_block_check, &c);
	lesson_parse("l/03-gil-switch.md", "# C\n", 4, cmd_lesson_block_check, &c);
	assert_int_equal(course_find(&c, "1"), 0);
	assert_int_equal(course_find(&c, "3"), 2);
	assert_int_equal(course_find(&c, "0"), -1);
	assert_int_equal(course_find(&c, "4"), -1);
	assert_int_equal(course_find(&c, "the-gil"), 1);
	assert_int_equal(course_find(&c, "multiprocessing"), 0);
	assert_int_equal(course_find(&c, "switch"), 2);
	assert_int_equal(course_find(&c, "gil"), -1); /* two lessons have the word */
	assert_int_equal(course_find(&c, "nothing"), -1);
	assert_int_equal(course_find(&c, ""), -1);
	assert_int_equal(c.lessons[2].number, 3);
	course_free(&c);
}

/* Paging across lessons: past the last page to the next lesson, before the
 * first to the previous lesson's last page; the course's ends stop it. */
static void test_course_step(void **state)
{
	struct course c;
	(void)state;
	memset(&c, 0, sizeof c);
	lesson_parse("l/01-a.md", "# A\n\n---\n\n# A2\n", 15, cmd_lesson_block_check, &c);
	lesson_parse("l/02-b.md", "# B\n", 4, cmd_lesson_block_check, &c);
	assert_int_equal(c.lessons[0].n_pages, 2);
	int l = 0, p = 0;
	assert_int_equal(course_step(&c, &l, &p, -1), -1);
	assert_true(l == 0 && p == 0);
	assert_int_equal(course_step(&c, &l, &p, 1), 0);
	assert_true(l == 0 && p == 1);
	assert_int_equal(course_step(&c, &l, &p, 1), 0);
	assert_true(l == 1 && p == 0);
	assert_int_equal(course_step(&c, &l, &p, 1), -1);
	assert_true(l == 1 && p == 0);
	assert_int_equal(course_step(&c, &l, &p, -1), 0);
	assert_true(l == 0 && p == 1);
	l = 5;
	assert_int_equal(course_step(&c, &l, &p, 1), -1);
	course_free(&c);
}

/* course_load: NN-name.md files in name order; README.md and other files ignored. */
static void test_course_load(void **state)
{
	char dir[] = "/tmp/test_lessonXXXXXX";
	char path[256];
	struct course c;
	(void)state;
	assert_non_null(mkdtemp(dir));
	const char *files[][2] = {{"02-second.md", "# Second\n"},
	                          {"01-first.md", "# First\n"},
	                          {"README.md", "# Not a lesson\n"},
	                          {"10-tenth.md", "# Tenth\n"},
	                          {"notes.txt", "x"}};
	for (size_t i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i][0]);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(files[i][1], f);
		fclose(f);
	}
	assert_int_equal(course_load(dir, cmd_lesson_block_check, &c), 0);
	assert_int_equal(c.n_lessons, 3);
	assert_string_equal(c.lessons[0].title, "First");
	assert_string_equal(c.lessons[1].title, "Second");
	assert_string_equal(c.lessons[2].title, "Tenth");
	assert_string_equal(c.lessons[2].name, "tenth");
	assert_int_equal(c.lessons[2].number, 3);
	assert_int_equal(c.n_diags, 0);
	course_free(&c);
	for (size_t i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i][0]);
		unlink(path);
	}
	rmdir(dir);
	assert_int_equal(course_load(dir, cmd_lesson_block_check, &c), -1); /* gone */
	course_free(&c);
}

/* The style bits of the line holding `text` (or of its span), -1 if none. */
static int style_of(const struct lrender *r, const char *text, int *block)
{
	for (size_t i = 0; i < r->n_lines; i++)
		for (size_t k = 0; k < r->lines[i].n_spans; k++)
			if (strstr(r->lines[i].spans[k].text, text)) {
				if (block)
					*block = r->lines[i].block;
				return (int)r->lines[i].spans[k].style;
			}
	return -1;
}

static const char rich[] =
    "# A heading\n\n"
    "Prose with **strong words** and *emphasis* and `inline code` in a paragraph long enough to "
    "wrap "
    "several times at a narrow width, with a verylongwordthatcannotfitonanarrowline in it.\n\n"
    "> Quoted notebook text¹ that is also long enough to be wrapped inside the quote bars.\n\n"
    "- first bullet item\n- second bullet item, rather longer than the first one\n\n"
    "3. third\n4. fourth\n\n"
    "```python\n"
    "def square(n):\n"
    "    return n * n  # a comment that makes this line longer than a narrow pane\n"
    "```\n\n"
    "```mptutor\ncompare primes 8x300000 -w 2\n```\n\n"
    "```quiz\nPick one.\n- [ ] no\n- [x] yes\n```\n";

/* Every line of the first page of text, rendered at widths from..to, fits
 * the width (or least, where the width is narrower). */
static void assert_page_fits(const char *name, const char *text, int from, int to, int least)
{
	struct course c;
	parse(&c, name, text);
	assert_int_equal(c.n_diags, 0);
	for (int w = from; w <= to; w++) {
		struct lrender r;
		assert_int_equal(lesson_render_page(&c.lessons[0].pages[0], w, &r), 0);
		assert_true(r.n_lines > 0);
		for (size_t i = 0; i < r.n_lines; i++) {
			char *t = lline_text(&r.lines[i]);
			int tw = lesson_text_width(t);
			if (tw > (w < least ? least : w))
				fail_msg("width %d: line %zu is %d columns: '%s'", w, i, tw, t);
			free(t);
		}
		lrender_free(&r);
	}
	course_free(&c);
}

/* Every rendered line fits the width, at every width. */
static void test_render_width(void **state)
{
	(void)state;
	assert_page_fits("08-rich.md", rich, 1, 100, 8);
}

/* A code line continued in a quote: its indentation kept after the prefix,
 * then the mark, then a wide character; where the three do not fit, the
 * indentation gives way (a 9-column page overflowed by one, found by fuzzing). */
static const char wide_code[] =
    "# Wide\n\n"
    "> ```\n"
    ">           \xef\xa9\xb4\xef\xa9\xb4\xef\xa9\xb4\xef\xa9\xb4\xef\xa9\xb4\xef\xa9\xb4"
    "\xef\xa9\xb4\xef\xa9\xb4\n"
    "> ```\n";

static void test_render_width_wide(void **state)
{
	(void)state;
	assert_page_fits("09-wide.md", wide_code, 8, 40, 8);
}

/* Styles: heading, strong, emphasis, code, quote, runnable (with its block index). */
static void test_render_styles(void **state)
{
	struct course c;
	struct lrender r;
	int block = -2;
	(void)state;
	parse(&c, "09-rich.md", rich);
	const struct lesson_page *pg = &c.lessons[0].pages[0];
	assert_int_equal(lesson_render_page(pg, 80, &r), 0);
	assert_true(style_of(&r, "A heading", NULL) & LSTYLE_HEADING);
	assert_true(style_of(&r, "strong words", NULL) & LSTYLE_STRONG);
	assert_true(style_of(&r, "emphasis", NULL) & LSTYLE_EMPH);
	assert_true(style_of(&r, "inline code", NULL) & LSTYLE_CODE);
	assert_true(style_of(&r, "Quoted notebook", NULL) & LSTYLE_QUOTE);
	assert_true(style_of(&r, "\xe2\x80\xa2 ", NULL) >= 0); /* bullet */
	assert_true(style_of(&r, "3. ", NULL) >= 0);           /* the list's own numbers */
	assert_true(style_of(&r, "4. ", NULL) >= 0);

	int st = style_of(&r, "compare primes 8x300000 -w 2", &block);
	assert_true(st & LSTYLE_RUN);
	assert_int_equal(pg->blocks[block].kind, LBLOCK_RUN);
	assert_true(style_of(&r, "\xe2\x96\xb6", NULL) & LSTYLE_RUN); /* ▶ */

	/* python verbatim, indented, code style, its lines tagged with the block */
	bool found = false;
	for (size_t i = 0; i < r.n_lines; i++) {
		char *t = lline_text(&r.lines[i]);
		if (!strcmp(t, "      return n * n  # a comment that makes this line longer than a "
		               "narrow pane")) {
			found = true;
			assert_int_equal(pg->blocks[r.lines[i].block].kind, LBLOCK_PYTHON);
		}
		free(t);
	}
	assert_true(found);
	assert_true(style_of(&r, "def square(n):", NULL) & LSTYLE_CODE);
	assert_true(style_of(&r, "Pick one.", &block) >= 0);
	assert_int_equal(pg->blocks[block].kind, LBLOCK_QUIZ);
	assert_true(style_of(&r, "b)", NULL) >= 0);
	lrender_free(&r);

	/* narrow: the long code line is continued after a mark, not cut */
	assert_int_equal(lesson_render_page(pg, 30, &r), 0);
	assert_true(style_of(&r, "\xe2\x86\xaa", NULL) & LSTYLE_DIM);
	assert_true(style_of(&r, "verylongwordthatcannotfitona", NULL) >= 0);
	lrender_free(&r);
	course_free(&c);
}

/* Wide characters count two columns. */
static void test_text_width(void **state)
{
	(void)state;
	assert_int_equal(lesson_text_width("abc"), 3);
	assert_int_equal(lesson_text_width("\xe2\x96\xb6 x"), 3);           /* ▶ x */
	assert_int_equal(lesson_text_width("\xe4\xb8\xad\xe6\x96\x87"), 4); /* 中文 */
	assert_int_equal(lesson_text_width(""), 0);
}

/* expect: lines: parsed with their line, operator, number and reason; bad
 * ones named at their line; the figure checked against the command's kind. */
static void test_expects(void **state)
{
	struct course c;
	char err[512];
	(void)state;
	parse(&c, "l/01-e.md",
	      "# E\n"                                          /* 1 */
	      "\n"                                             /* 2 */
	      "```mptutor\n"                                   /* 3 */
	      "compare primes 8x1000 -w 2\n"                   /* 4 */
	      "expect: speedup(process) > 1.5   # two cores\n" /* 5 */
	      "expect: results_match(thread)==1\n"             /* 6 */
	      "expect: wall_s => 1\n"                          /* 7 */
	      "expect: failed < many\n"                        /* 8 */
	      "```\n");
	assert_true(has_diag(&c, 7, "is not a comparison"));
	assert_true(has_diag(&c, 8, "'many' is not a number"));
	assert_int_equal(c.n_diags, 2);
	const struct lesson_block *b = &c.lessons[0].pages[0].blocks[1];
	assert_int_equal(b->kind, LBLOCK_RUN);
	assert_string_equal(b->text, "compare primes 8x1000 -w 2"); /* the claims are not shown */
	assert_int_equal(b->n_expects, 2);
	assert_string_equal(b->expects[0].figure, "speedup");
	assert_string_equal(b->expects[0].arg, "process");
	assert_int_equal(b->expects[0].op, EXPECT_GT);
	assert_true(b->expects[0].number == 1.5);
	assert_string_equal(b->expects[0].reason, "two cores");
	assert_int_equal(b->expects[0].line, 5);
	assert_string_equal(b->expects[1].text, "results_match(thread) == 1");
	assert_null(b->expects[1].reason);
	assert_true(expect_holds(&b->expects[0], 1.6));
	assert_false(expect_holds(&b->expects[0], 1.5));
	/* against the command: lessons_check_expects */
	course_free(&c);
	parse(&c, "l/01-e.md",
	      "# E\n\n```mptutor\nrun counter 4x10 -b thread\nexpect: parent_counter < 40\n"
	      "expect: speedup(process) > 1\nexpect: nosuch >= 1\n```\n\n"
	      "```mptutor\ncompare square 1..4 -b serial,process\nexpect: cpu_s < 1\n```\n");
	assert_int_equal(c.n_diags, 0);
	lessons_check_expects(&c);
	assert_true(has_diag(&c, 6, "figure 'speedup' is not in a run's report"));
	assert_true(has_diag(&c, 7, "unknown figure 'nosuch' (known: wall_s, cpu_s"));
	assert_true(has_diag(&c, 12, "names its row: write cpu_s(BACKEND)"));
	assert_int_equal(c.n_diags, 3);
	(void)err;
	course_free(&c);
}

/* minutes: a line of its own, not shown as text; else an estimate. */
static void test_minutes(void **state)
{
	struct course c;
	(void)state;
	parse(&c, "l/01-m.md", "# M\n\nminutes: 12\n\nSome text.\n");
	assert_int_equal(c.n_diags, 0);
	assert_int_equal(c.lessons[0].minutes, 12);
	assert_true(c.lessons[0].minutes_given);
	assert_int_equal(c.lessons[0].pages[0].n_blocks, 2); /* the title, then the text */
	assert_null(strstr(c.lessons[0].pages[0].blocks[0].text, "minutes"));
	assert_null(strstr(c.lessons[0].pages[0].blocks[1].text, "minutes"));
	course_free(&c);
	/* estimated: 360 words (2 min) + 2 runs + a quiz (half a minute), rounded up */
	char text[8192] = "# Est\n\n";
	for (int i = 0; i < 360; i++)
		strcat(text, "word ");
	strcat(text, "\n\n```mptutor\nrun square 1..4\n```\n\n```mptutor\nrun square 1..4\n```\n\n"
	             "```quiz\nQ?\n- [x] a\n- [ ] b\n```\n");
	parse(&c, "l/01-est.md", text);
	assert_int_equal(c.n_diags, 0);
	assert_false(c.lessons[0].minutes_given);
	assert_int_equal(c.lessons[0].minutes, 5); /* 2 + 2 + 0.5 (+ the quiz's words) */
	course_free(&c);
	parse(&c, "l/01-bad.md", "# B\n\nminutes: soon\n");
	assert_true(has_diag(&c, 3, "minutes: write 'minutes: N'"));
	course_free(&c);
}

/* The tutor's lesson pane at 80x24, in the one place both it and the page
 * fit check ask: 32 columns (28 of text) and 19 rows; a compare of two
 * columns narrows it. */
static void test_pane_layout(void **state)
{
	(void)state;
	struct lesson_pane p = lesson_pane_layout(80, 24, 0);
	assert_int_equal(p.width, 32);
	assert_int_equal(p.text_w, 28);
	assert_int_equal(p.rows, 19);
	p = lesson_pane_layout(80, 24, 2);
	assert_int_equal(p.width, 24);
	p = lesson_pane_layout(200, 50, 0);
	assert_int_equal(p.width, 70);
	assert_int_equal(p.rows, 45);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_expects),           cmocka_unit_test(test_minutes),
	    cmocka_unit_test(test_pane_layout),       cmocka_unit_test(test_parse_good),
	    cmocka_unit_test(test_quiz_check),        cmocka_unit_test(test_quiz_broken),
	    cmocka_unit_test(test_predict),           cmocka_unit_test(test_run_blocks),
	    cmocka_unit_test(test_structure_diags),   cmocka_unit_test(test_garbage),
	    cmocka_unit_test(test_course_find),       cmocka_unit_test(test_course_step),
	    cmocka_unit_test(test_course_load),       cmocka_unit_test(test_render_width),
	    cmocka_unit_test(test_render_styles),     cmocka_unit_test(test_text_width),
	    cmocka_unit_test(test_render_width_wide),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
