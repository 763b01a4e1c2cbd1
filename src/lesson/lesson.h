/*
 * lesson.h — the course: lessons/NN-name.md (CommonMark, parsed with cmark) loaded
 * into a model of lessons, pages and blocks; Markdown rendered to styled lines
 * for any front end (the tutor's curses pane or plain text); quizzes checked;
 * progress kept under $XDG_STATE_HOME/mptutor/.
 *
 * Contract: course_load() never fails on a bad lesson file: the problem is
 * reported as a diagnostic (file:line: message) and the file is skipped or
 * loaded as far as it goes. Everything is owned by the course and freed by
 * course_free(). No curses here.
 */
#ifndef MPTUTOR_LESSON_H
#define MPTUTOR_LESSON_H

#include <stdbool.h>
#include <stddef.h>

/* Kinds of block in a lesson page. */
enum lblock_kind {
	LBLOCK_TEXT,   /* Markdown prose (headings, emphasis, lists, code spans) */
	LBLOCK_PYTHON, /* a ```python block: the notebook's code, shown as is */
	LBLOCK_CODE,   /* any other fenced block, shown as is */
	LBLOCK_RUN,    /* a ```mptutor block: one command line, runnable */
	LBLOCK_QUIZ,   /* a ```quiz block: a checkpoint */
	LBLOCK_PREDICT /* a ```predict block: the learner predicts before a run */
};

struct quiz {
	char *question;
	char **choices; /* [n_choices] */
	size_t n_choices;
	bool *correct; /* [n_choices]: marked [x] */
	char *why;     /* explanation shown after answering, may be NULL */
};

/* A prediction asked before the runnable block that follows it. */
struct predict {
	char *question; /* "Speedup of threads over serial?" */
	char **choices; /* choices, or NULL for a number */
	size_t n_choices;
	char *measure; /* what of the run to compare with, e.g. "speedup thread" */
};

/* The comparisons an expect: line may make. */
enum expect_op { EXPECT_LT, EXPECT_LE, EXPECT_GT, EXPECT_GE, EXPECT_EQ, EXPECT_NE };

/* One claim a runnable block makes, `expect: FIGURE[(ARG)] OP NUMBER  # reason`:
 * checked by `lessons --verify` on the block's finished run. The figure's
 * name is checked against the command's kind above lesson/ (cmd/figures.c). */
struct lesson_expect {
	char *figure;      /* "speedup" */
	char *arg;         /* "process" of speedup(process), or NULL */
	enum expect_op op; /* the comparison */
	double number;     /* the number it is compared with */
	char *reason;      /* the text after '#', or NULL */
	char *text;        /* the claim as written, without "expect:" and the reason */
	int line;          /* its line in the file */
};

struct lesson_block {
	enum lblock_kind kind;
	char *text;                    /* Markdown source, code, or the command line */
	int line;                      /* line in the file where the block starts */
	struct quiz *quiz;             /* LBLOCK_QUIZ */
	struct predict *predict;       /* LBLOCK_PREDICT */
	struct lesson_expect *expects; /* LBLOCK_RUN: its claims [n_expects] */
	size_t n_expects;
};

struct lesson_page {
	struct lesson_block *blocks;
	size_t n_blocks;
};

struct lesson {
	char *path;         /* file it came from */
	char *name;         /* file stem without number: "processes-vs-threads" */
	char *title;        /* first heading */
	int number;         /* 1-based position in the course */
	int minutes;        /* a `minutes: N` line, or estimated from its words and blocks */
	bool minutes_given; /* minutes came from the file */
	struct lesson_page *pages;
	size_t n_pages;
};

struct lesson_diag {
	char *file;
	int line;
	char *message;
};

struct course {
	struct lesson *lessons;
	size_t n_lessons;
	struct lesson_diag *diags; /* problems found while loading */
	size_t n_diags;
	char *dir; /* where the lessons were found */
};

/* Checks a runnable block's command line: 0 if it is one the tutor runs, else
 * -1 and the whole diagnostic in err. Commands are parsed above lesson/ (in
 * cmd/, cmd_lesson_block_check), so loading takes the check as a function. */
typedef int (*lesson_check_fn)(const char *cmdline, char *err, size_t errlen);

/* Append a diagnostic `file:line: message` (for checks made above lesson/). */
void course_diag_add(struct course *c, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Sort the diagnostics by file, then line (stable). */
void course_diags_sort(struct course *c);
/* Whether an expect holds for a measured value. */
bool expect_holds(const struct lesson_expect *e, double value);
/* The operator as written: "<", "<=", ... */
const char *expect_op_text(enum expect_op op);
/* A block's number in its lesson, counted over all its pages (the key its
 * answers are kept under): the blocks of earlier pages, then block. */
int lesson_block_number(const struct lesson *l, int page, int block);

/* Find the lesson directory: $MPTUTOR_LESSONS, ./lessons, the installed share dir. */
const char *lesson_dir_find(void);
/* Load every *.md in dir (sorted by name); each runnable block's command is
 * checked with `check` (NULL: only that it is one line). Returns 0, or -1 if
 * dir is unreadable. */
int course_load(const char *dir, lesson_check_fn check, struct course *out);
/* Load one lesson from memory (for tests and the fuzzer); diagnostics appended to course. */
int lesson_parse(const char *path, const char *text, size_t len, lesson_check_fn check,
                 struct course *course);
void course_free(struct course *course);
/* "3" or "gil" or "processes-vs-threads" -> index; -1 if none. */
int course_find(const struct course *course, const char *which);
/* Step a position one page forward (dir > 0) or back (dir < 0), across
 * lessons: past a lesson's last page to the next one's first, before its
 * first to the previous one's last. Returns 0, or -1 at the course's edge
 * (*lesson and *page left as they were). */
int course_step(const struct course *course, int *lesson, int *page, int dir);

/* Styled text for rendering: a line is a run of spans. */
enum lstyle {
	LSTYLE_PLAIN = 0,
	LSTYLE_HEADING = 1,
	LSTYLE_EMPH = 2,
	LSTYLE_STRONG = 4,
	LSTYLE_CODE = 8,   /* inline code and code blocks */
	LSTYLE_RUN = 16,   /* a runnable command */
	LSTYLE_QUOTE = 32, /* notebook text quoted */
	LSTYLE_DIM = 64
};
struct lspan {
	unsigned style; /* LSTYLE_* bits */
	char *text;     /* UTF-8 */
};
struct lline {
	struct lspan *spans;
	size_t n_spans;
	int block; /* index of the block in the page it belongs to, -1 none */
};
struct lrender {
	struct lline *lines;
	size_t n_lines;
};
/* Render a page, wrapped to `width` columns (wcwidth-aware). */
int lesson_render_page(const struct lesson_page *page, int width, struct lrender *out);
void lrender_free(struct lrender *r);
/* The tutor's layout of its lesson pane on a cols x rows terminal, in one
 * place: the tutor draws with it and `lessons --check` fits pages with it.
 * compare_cols: the columns a compare on screen lays out (0: none). Gives
 * the pane's width, the width its text is wrapped to and the rows of text
 * it shows. */
struct lesson_pane {
	int width;  /* the pane, borders included */
	int text_w; /* what a page is wrapped to (room for the ▶ marker) */
	int rows;   /* lines of the page shown at once */
};
struct lesson_pane lesson_pane_layout(int cols, int rows, int compare_cols);
/* Render the first n blocks of a page (no spoilers: the rest waits). */
int lesson_render_blocks(const struct lesson_page *page, size_t n, int width, struct lrender *out);

/* Check a quiz answer: "b" or "2" (1-based) -> 1 right, 0 wrong, -1 not a choice. */
int quiz_check(const struct quiz *quiz, const char *answer);

/* Progress: where the learner is and what they answered. */
struct progress {
	char *lesson; /* lesson name where they are */
	int page;
	char **done; /* names of lessons finished */
	size_t n_done;
	char **answers; /* "lesson:block=answer:right|wrong" */
	size_t n_answers;
};
/* Load progress; a missing file is empty progress. A corrupt one is set aside
 * (renamed *.corrupt) and reported in err; still returns 0 with empty progress. */
int progress_load(struct progress *p, char *err, size_t errlen);
/* Save atomically (temp file + rename, mode 0600); -1 with a message on failure. */
int progress_save(const struct progress *p, char *err, size_t errlen);
void progress_free(struct progress *p);
/* $XDG_STATE_HOME/mptutor (default ~/.local/state/mptutor); created 0700 if missing. */
const char *state_dir(void);

/* --- additions: predictions, choices, progress helpers ------------------- */

/* Check a predict block's measure: "speedup process|thread|gil", "wall [BACKEND]",
 * "fastest" (choices are backend names), "failed", "counter". with_choices:
 * the block has choices (only "fastest" takes them; the rest are numbers). */
int predict_measure_check(const char *measure, bool with_choices, char *err, size_t errlen);
/* "b", "b)" or "2" (1-based) -> 0-based index among n_choices; -1 if none. */
int lesson_choice_index(const char *answer, size_t n_choices);
/* The predict block that asks about the runnable block `block` (the nearest
 * predict before it with no runnable block between), or NULL. */
const struct predict *lesson_page_predict_for(const struct lesson_page *page, size_t block);

/* Mark a lesson done (once). */
void progress_mark_done(struct progress *p, const char *lesson);
/* Is a lesson done? */
bool progress_is_done(const struct progress *p, const char *lesson);
/* Record an answer "lesson:block=answer:right|wrong", replacing an earlier one for the same block.
 */
void progress_set_answer(struct progress *p, const char *lesson, int block, const char *answer,
                         bool right);
/* Record a checkpoint passed over ("lesson:block=:skipped"), unless it was answered. */
void progress_set_skipped(struct progress *p, const char *lesson, int block);
/* A block's answer: 1 answered (right or wrong), 0 skipped, -1 none kept. */
int progress_answer_state(const struct progress *p, const char *lesson, int block);
/* A lesson's checkpoints (quizzes) and what became of them. */
struct lesson_checkpoints {
	int total;    /* quizzes in the lesson */
	int answered; /* answered, right or wrong */
	int skipped;  /* passed over */
};
/* Count a lesson's checkpoints against the progress. */
void progress_checkpoints(const struct progress *p, const struct lesson *l,
                          struct lesson_checkpoints *out);
/* Set where the learner is. */
void progress_set_place(struct progress *p, const char *lesson, int page);
/* Where a learner starts: lesson `which` (--lesson N|NAME) if given, else
 * where prog (may be NULL) left off, else the first page. Returns 0, or -1
 * with a message in err if `which` names no lesson of the course. */
int progress_start_place(const struct course *c, const struct progress *prog, const char *which,
                         int *lesson, int *page, char *err, size_t errlen);
/* The progress file's path (in state_dir()). */
const char *progress_path(void);

/* Display width of UTF-8 text in columns (wcwidth; 1 for what the locale does not know). */
int lesson_text_width(const char *s);
/* A rendered line's text, spans joined (malloc'd; the caller frees it). */
char *lline_text(const struct lline *l);

#endif
