/*
 * tutor_priv.h — what the tutor's two files share: its state (struct tutor)
 * and the few functions each calls of the other. tutor.c is the event loop,
 * the keys and the state machine (runs through a session, the course, the
 * questions, replay); tutor_draw.c lays the screen out and draws that state.
 * Private to src/ui: nothing else includes it.
 *
 * Contract: tutor_draw reads the state and draws the whole screen into t->s
 * (it may re-render the lesson page, scroll the next step into view, and end
 * a replay whose time is up); it never starts or stops a run.
 */
#ifndef MPTUTOR_UI_TUTOR_PRIV_H
#define MPTUTOR_UI_TUTOR_PRIV_H

#include <stdbool.h>
#include <stdio.h>

#include "cmd/cmd.h"
#include "cmd/signals.h"
#include "lesson/lesson.h"
#include "lesson/predict.h"
#include "lesson/walker.h"
#include "session/pyjob.h"
#include "session/session.h"
#include "tutor.h"
#include "ui/surface.h"

#define TUTOR_MIN_W 80 /* smallest terminal laid out */
#define TUTOR_MIN_H 24
#define TUTOR_ORDERS 8 /* distinct output orders shown over --repeat */
#define TUTOR_KEYS "Enter run %s %s n next %s p prev %s r replay %s ? help %s q quit"

/* What the prompt is asking, when it is not taking commands. */
enum tutor_ask {
	ASK_NONE,    /* commands */
	ASK_PREDICT, /* a prediction before a runnable block */
	ASK_QUIZ     /* a checkpoint's answer */
};

/* A move in the course, remembered so a shortcut can be taken back. */
struct tutor_pos {
	struct walker_place at; /* lesson, page, next block from (the walker's) */
	int scroll;             /* the lesson pane's first line */
};

struct tutor {
	const struct tutor_opts *opts;
	struct ui_surface *s;          /* the screen */
	struct signals_saved sigsaved; /* the actions tutor_signals replaced */
	/* the course */
	struct course course;
	bool have_course;
	char course_msg[600];  /* why there is no lesson, when there is none */
	struct walker *w;      /* the walk through it: place, steps, answers, progress */
	struct tutor_pos pos;  /* pos.scroll: the pane's (the place: tutor_pos_now) */
	struct lrender page_r; /* the page rendered at page_w */
	bool have_page_r;
	int page_w, page_lesson, page_page;
	int page_shown; /* blocks of the page rendered (walker_visible_blocks) */
	long shown_key; /* lesson, page and next block last scrolled into view */
	/* the runs: the last run, compare or Process demo, live or recorded */
	struct session *ss; /* NULL before the first */
	bool last_failed;   /* the last map or demo finished had a failure */
	/* a Python script (pyrun) or an exercise's run and check; shown instead of ss */
	struct pyjob *py;      /* NULL none */
	char py_title[160];    /* its column's title */
	bool py_is_check;      /* stage 1 is the exercise's checker */
	bool ex_watch;         /* an exercise's file is watched */
	char ex_name[64];      /* "01-pool-map" */
	char ex_path[4096];    /* the learner's copy */
	char ex_checker[4096]; /* its check.py */
	char ex_python[256];   /* --python, "" the default */
	long long ex_mtime_ns; /* the file's mtime when last seen */
	long long ex_size;     /* and size */
	double ex_next_look;   /* when to stat it again */
	bool ex_have_verdict, ex_passed;
	char ex_verdict[512];
	/* questions: a prediction before a run, a checkpoint */
	enum tutor_ask ask;         /* the prompt's mode (the walker knows the question) */
	const struct predict *pred; /* the walker's prediction waiting for this command's
	                               figures; the runs clear it when cancelled */
	struct predict_figures fig; /* what the current command's runs measured */
	/* replay */
	bool replaying;
	double replay_t0, replay_len, replay_span;
	/* what the screen shows besides */
	char msg[1024];
	unsigned msg_attr;
	char *overlay; /* a command's multi-line output, or help; NULL none */
	char overlay_title[128];
	bool dirty;
	bool quit;
	int status;      /* exit status */
	char fatal[256]; /* why the loop had to stop, printed once the terminal is back */
	/* a shortcut taken at an empty prompt that may turn out to be a command's first letter */
	int spec_key;
	struct tutor_pos spec_pos;
	double hold_until; /* spec_key's effect not drawn before this; 0 none */
	/* trace */
	FILE *trace;
	bool first_frame;
	long frames;      /* screens drawn since the start */
	double draw_s;    /* time spent drawing and flushing them */
	double poll_s;    /* time spent polling the session */
	double polled_at; /* when the session was last polled (tutor_now) */
	struct {          /* the same as the session going began, for its "screen" line */
		long frames;
		double t, cpu_s, draw_s, poll_s;
	} sess0;
	double t_start;
	struct cmd_env env;
};

/* --- tutor.c ---------------------------------------------------------------- */

/* Seconds on the monotonic clock. */
double tutor_now(void);
/* Whether something is going: a map or a process demo. */
bool tutor_busy(const struct tutor *t);
/* The current lesson, or NULL. */
const struct lesson *tutor_lesson(const struct tutor *t);
/* The current page, or NULL. */
const struct lesson_page *tutor_page(const struct tutor *t);
/* Index of the next runnable block on the page, -1 if none is left. */
int tutor_next_block(const struct tutor *t);
/* The map time the replay shows now (it ends the replay once its time is up). */
double tutor_replay_time(struct tutor *t);

/* --- tutor_draw.c ------------------------------------------------------------ */

/* The whole screen into t->s; returns the cursor column on the prompt row
 * (-1: no prompt shown, the terminal is too small). */
int tutor_draw(struct tutor *t);

#endif
