/*
 * tutor.c — the full-screen tutor: ui_main's event loop and state. One
 * poll() waits on the keyboard, the signal self-pipe (cmd/signals.h),
 * and the current run's fds; a 50 ms tick (only while a run or a replay is
 * going) polls the run and redraws. Commands typed at the prompt go through
 * the shared command table (cmd_exec_line) with the tutor's frontend_ops:
 * run/compare start a live run, next/prev/lesson move in the course, replay
 * re-animates the last run slowly.
 *
 * Environment: MPTUTOR_TRACE_FILE, when set, names a file the tutor appends
 * timing lines to: "first_frame <epoch s> <s since start>" once the first
 * screen is drawn, "run <backend> wall_s <s> startup_s <s> items <n>" for
 * every finished run, and "exit <status>" (used by tests/bench/bench_ui.sh).
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "cmd/cmd.h"
#include "cmd/lessons.h"
#include "cmd/signals.h"
#include "engine/clock.h"
#include "engine/task.h"
#include "lesson/lesson.h"
#include "lesson/predict.h"
#include "lesson/walker.h"
#include "tutor.h"
#include "ui/panel.h"
#include "ui/ui.h"

#define TUTOR_TICK_S 0.05       /* redraw period while something moves (20 Hz) */
#define TUTOR_HOLD_S 0.15       /* n/p/r are not drawn for this long: they may be a
				   command's first letter ("run"), taken back by the next key */
#define TUTOR_MIN_W 80          /* smallest terminal laid out */
#define TUTOR_MIN_H 24
#define TUTOR_REPLAY_S 5.0      /* a replay at the default factor lasts this long */
#define TUTOR_REPLAY_DEFAULT 10.0 /* the replay command's default factor */
#define TUTOR_MAX_RUNFDS (PROC_DEMO_MAX_PROCS + 8) /* a demo: a pidfd each and the pipe */
#define TUTOR_ORDERS 8         /* distinct output orders tallied over --repeat */
#define TUTOR_PROMPT "mptutor> "
#define TUTOR_KEYS "Enter run %s %s n next %s p prev %s r replay %s ? help %s q quit"

/* One backend's place on screen: its live run, or its recording. */
struct tutor_slot {
	struct run *run;            /* running now, or NULL */
	struct run_snapshot live;   /* last snapshot of run (valid until the next poll) */
	bool has_live;
	struct ui_rec rec;          /* the finished run, kept for the screen and replay */
	bool has_rec;
	struct ui_replay rp;        /* scratch for replayed snapshots */
};

/* What the prompt is asking, when it is not taking commands. */
enum tutor_ask {
	ASK_NONE,    /* commands */
	ASK_PREDICT, /* a prediction before a runnable block */
	ASK_QUIZ     /* a checkpoint's answer */
};

/* An output order seen over `run ... --repeat N`, and how often. */
struct tutor_order {
	char text[64];
	int count;
};

/* A move in the course, remembered so a shortcut can be taken back. */
struct tutor_pos {
	struct walker_place at; /* lesson, page, next block from (the walker's) */
	int scroll;             /* the lesson pane's first line */
};

struct tutor {
	const struct tutor_opts *opts;
	struct ui_surface *s;       /* the screen */
	struct signals_saved sigsaved; /* the actions tutor_signals replaced */
	/* the course */
	struct course course;
	bool have_course;
	char course_msg[600];       /* why there is no lesson, when there is none */
	struct walker *w;           /* the walk through it: place, steps, answers, progress */
	struct tutor_pos pos;       /* pos.scroll: the pane's (the place: tutor_pos_now) */
	struct lrender page_r;      /* the page rendered at page_w */
	bool have_page_r;
	int page_w, page_lesson, page_page;
	long shown_key;             /* lesson, page and next block last scrolled into view */
	/* the runs */
	struct tutor_slot slot[BACKEND_COUNT];
	int active;                 /* slot with a live run, -1 none */
	bool compare;               /* the view: compare (4 backends) or one run */
	enum backend_kind backend;  /* the view's backend for one run */
	int workers;
	const struct task *task;
	int64_t *items;             /* owned copy of the request's items */
	size_t n_items;
	long chunksize;
	bool unordered;
	double switch_interval_s;
	enum backend_kind queue[BACKEND_COUNT]; /* backends still to run (compare) */
	int nqueue, qpos;
	int repeat_left;            /* run --repeat N: runs still to go */
	int repeat_total;
	struct tutor_order orders[TUTOR_ORDERS];
	int n_orders;
	/* the process command: Processes (not a pool), drawn as they live */
	bool process_view;          /* the view: the process panel, not a pool's column */
	struct proc_demo *demo;     /* going now, or NULL */
	struct proc_demo_snap demo_live; /* its last snapshot (valid until the next poll) */
	bool has_demo_live;
	struct ui_proc_rec demo_rec; /* the last finished (or cancelled) one, for the screen */
	bool has_demo_rec;
	bool demo_cancelled;        /* Ctrl-C killed the children */
	int demo_join_after;        /* join_after_ms handed to proc_demo_start_items */
	int demo_run;               /* --repeat: the run going or last done, 1-based */
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
	char *overlay;              /* a command's multi-line output, or help; NULL none */
	char overlay_title[128];
	bool dirty;
	bool quit;
	int status;                 /* exit status */
	char fatal[256];            /* why the loop had to stop, printed once the terminal is back */
	/* a shortcut taken at an empty prompt that may turn out to be a command's first letter */
	int spec_key;
	struct tutor_pos spec_pos;
	double hold_until;          /* spec_key's effect not drawn before this; 0 none */
	/* trace */
	FILE *trace;
	bool first_frame;
	double t_start;
	struct cmd_env env;
};

/* Seconds on the monotonic clock. */
static double tutor_now(void)
{
	return (double)engine_now_ns() / 1e9;
}

/* Whether something is going: a pool run or a process demo. */
static bool tutor_busy(const struct tutor *t)
{
	return t->active >= 0 || t->demo != NULL;
}

/* The signals the tutor acts on, read back from the shared self-pipe. */
static const int tutor_sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGTSTP, SIGCONT};

/* Catch them (before curses, so curses leaves these signals to us). */
static int tutor_signals(struct tutor *t, char *err, size_t errlen)
{
	if (signals_catch(tutor_sigs, sizeof tutor_sigs / sizeof tutor_sigs[0], SA_RESTART,
			  &t->sigsaved, err, errlen) != 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/* Put the actions from before ui_main back (the process may go on after it). */
static void tutor_signals_restore(struct tutor *t)
{
	signals_restore(&t->sigsaved);
	t->sigsaved.n = 0;
}

/* A line for the trace file, if there is one. */
static void tutor_trace(struct tutor *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tutor_trace(struct tutor *t, const char *fmt, ...)
{
	if (!t->trace)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(t->trace, fmt, ap);
	va_end(ap);
	fputc('\n', t->trace);
	fflush(t->trace);
}

/* Set the message line. */
static void tutor_msg(struct tutor *t, unsigned attr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void tutor_msg(struct tutor *t, unsigned attr, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_attr = attr;
	t->dirty = true;
}

/* --- the course -------------------------------------------------------------- */

/* The current lesson, or NULL. */
static const struct lesson *tutor_lesson(const struct tutor *t)
{
	return walker_lesson(t->w);
}

/* The current page, or NULL. */
static const struct lesson_page *tutor_page(const struct tutor *t)
{
	return walker_page(t->w);
}

/* Index of the next runnable block or checkpoint on the page, -1 if none is left. */
static int tutor_next_block(const struct tutor *t)
{
	return walker_next_block(t->w);
}

/* Where the learner is now, with the pane's scroll (to take a shortcut back). */
static struct tutor_pos tutor_pos_now(const struct tutor *t)
{
	return (struct tutor_pos){walker_place(t->w), t->pos.scroll};
}

/* Load the course and start the walk where the learner left off; -1 with a
 * message if --lesson names no lesson. */
static int tutor_course_load(struct tutor *t, char *err, size_t errlen)
{
	const char *dir = lesson_dir_find();
	if (!dir || course_load(dir, cmd_lesson_block_check, &t->course) != 0 ||
	    t->course.n_lessons == 0)
		snprintf(t->course_msg, sizeof t->course_msg,
			 "no lessons found (looked in %s)",
			 dir ? dir : "$MPTUTOR_LESSONS, ./lessons and " MPTUTOR_DATADIR "/lessons");
	t->have_course = t->course.n_lessons > 0;
	char note[512];
	t->w = walker_new(&t->course, t->have_course ? t->opts->lesson : NULL, note, sizeof note,
	                  err, errlen);
	if (!t->w)
		return -1;
	if (note[0])
		tutor_msg(t, UI_COLOR(UI_C_WARN), "%s", note);
	return 0;
}

/* Keep where the learner is, for next time; -1 with a message if it could not be. */
static int tutor_course_save(struct tutor *t, char *err, size_t errlen)
{
	if (!t->w || walker_save(t->w) == 0)
		return 0;
	snprintf(err, errlen, "%s", walker_save_error(t->w));
	return -1;
}

/* Go back to a position a shortcut left; re-rendered on the next draw. */
static void tutor_goto(struct tutor *t, struct tutor_pos p)
{
	walker_set_place(t->w, p.at);
	t->pos.scroll = p.scroll;
	t->dirty = true;
}

/* The next page, or the next lesson's first (dir < 0: back); 0, or -1 at the edge. */
static int tutor_page_step(struct tutor *t, int dir)
{
	enum walker_move m = dir > 0 ? walker_next(t->w) : walker_prev(t->w);
	if (m != WALK_MOVED && m != WALK_NEW_LESSON)
		return -1;
	t->pos.scroll = 0;
	t->dirty = true;
	return 0;
}

/* --- runs ------------------------------------------------------------------ */

/* Stop and reap the live run, if any (every child is reaped by run_free). */
static void tutor_run_stop(struct tutor *t)
{
	if (t->active >= 0) {
		struct tutor_slot *sl = &t->slot[t->active];
		run_cancel(sl->run);
		run_free(sl->run);
		sl->run = NULL;
		sl->has_live = false;
		t->active = -1;
	}
	t->nqueue = t->qpos = 0;
}

/* Kill and reap the process demo's children, if one is going. */
static void tutor_demo_stop(struct tutor *t)
{
	proc_demo_free(t->demo); /* kills and reaps every child still there */
	t->demo = NULL;
	t->has_demo_live = false;
}

/* Forget every recording (a new run begins). */
static void tutor_runs_clear(struct tutor *t)
{
	tutor_run_stop(t);
	tutor_demo_stop(t);
	if (t->has_demo_rec)
		ui_proc_rec_free(&t->demo_rec);
	t->has_demo_rec = false;
	t->demo_cancelled = false;
	for (int i = 0; i < BACKEND_COUNT; i++) {
		if (t->slot[i].has_rec)
			ui_rec_free(&t->slot[i].rec);
		t->slot[i].has_rec = false;
	}
	t->replaying = false;
}

/* Start the next backend of the queue; messages on failure. */
static void tutor_run_next(struct tutor *t)
{
	while (t->qpos < t->nqueue) {
		enum backend_kind b = t->queue[t->qpos++];
		struct run_spec spec = {
			.task = t->task, .backend = b, .workers = b == BACKEND_SERIAL ? 1 : t->workers,
			.chunksize = t->chunksize, .unordered = t->unordered,
			.switch_interval_s = t->switch_interval_s, .items = t->items,
			.n_items = t->n_items,
		};
		char err[ENGINE_ERRLEN];
		struct run *run;
		if (run_start(&spec, &run, err, sizeof err) != 0) {
			tutor_msg(t, UI_COLOR(UI_C_ERR) | UI_BOLD, "%s: %s", ui_backend_label(b), err);
			continue;
		}
		t->slot[b].run = run;
		t->slot[b].has_live = false;
		t->active = (int)b;
		return;
	}
}

/* Tally the order in which a run's output lines arrived (--repeat). */
static void tutor_order_add(struct tutor *t, const struct output_line *out, size_t n_out)
{
	char key[64] = "";
	size_t len = 0;
	for (size_t i = 0; i < n_out && len + 2 < sizeof key; i++) {
		int k = snprintf(key + len, sizeof key - len, "%s%s", i ? " " : "",
				 out[i].text ? out[i].text : "");
		if (k < 0)
			break;
		len += (size_t)k < sizeof key - len ? (size_t)k : sizeof key - len - 1;
	}
	for (int i = 0; i < t->n_orders; i++)
		if (strcmp(t->orders[i].text, key) == 0) {
			t->orders[i].count++;
			return;
		}
	if (t->n_orders < TUTOR_ORDERS) {
		snprintf(t->orders[t->n_orders].text, sizeof t->orders[0].text, "%s", key);
		t->orders[t->n_orders++].count = 1;
	}
}

/* The orders seen over the repeats, on the message line. */
static void tutor_orders_say(struct tutor *t)
{
	char buf[512];
	size_t len = 0;
	int k = snprintf(buf, sizeof buf, "%d runs; output orders seen:", t->repeat_total);
	len = k > 0 ? (size_t)k : 0;
	for (int i = 0; i < t->n_orders && len + 8 < sizeof buf; i++) {
		k = snprintf(buf + len, sizeof buf - len, "%s [%s] %s%d", i ? " " : "", t->orders[i].text,
			     t->s->g->times, t->orders[i].count);
		if (k < 0)
			break;
		len += (size_t)k < sizeof buf - len ? (size_t)k : sizeof buf - len - 1;
	}
	tutor_msg(t, UI_BOLD, "%s", buf);
}

/* The prediction beside what was measured, kept in the progress. */
static void tutor_predict_say(struct tutor *t)
{
	struct walker_verdict v;
	t->pred = NULL;
	if (walker_predict_verdict(t->w, &t->fig, &v) == 0)
		tutor_msg(t, UI_BOLD | UI_COLOR(v.right ? UI_C_OK : UI_C_WARN), "%s", v.text);
}

/* Poll the live run; when it is over keep its recording and go on. */
static void tutor_run_poll(struct tutor *t)
{
	if (t->active < 0)
		return;
	struct tutor_slot *sl = &t->slot[t->active];
	int over = run_poll(sl->run, &sl->live);
	sl->has_live = true;
	t->dirty = true;
	if (!over)
		return;
	if (sl->has_rec)
		ui_rec_free(&sl->rec);
	sl->has_rec = ui_rec_copy(&sl->rec, &sl->live) == 0;
	if (!sl->has_rec)
		tutor_msg(t, UI_COLOR(UI_C_ERR), "out of memory keeping the run for the screen");
	tutor_trace(t, "run %s wall_s %.6f startup_s %.6f items %zu", ui_backend_label(sl->live.backend),
		    sl->live.wall_s, sl->live.startup_s, sl->live.n_items);
	bool cancelled = sl->live.state == RUN_CANCELLED;
	size_t failed = sl->live.n_failed;
	if (!cancelled) {
		predict_figures_add(&t->fig, &sl->live, t->compare);
		if (t->repeat_total > 1)
			tutor_order_add(t, sl->live.output, sl->live.n_output);
	}
	run_free(sl->run);
	sl->run = NULL;
	sl->has_live = false;
	t->active = -1;
	if (cancelled) {
		tutor_msg(t, UI_COLOR(UI_C_WARN) | UI_BOLD, "run cancelled; every worker stopped and reaped");
		t->nqueue = t->qpos = 0;
		t->repeat_left = 0;
		t->pred = NULL;
		return;
	}
	if (t->repeat_left > 0 && t->qpos >= t->nqueue) { /* --repeat: the same run again */
		t->repeat_left--;
		t->qpos = 0;
		tutor_run_next(t);
		tutor_msg(t, 0, "run %d of %d", t->repeat_total - t->repeat_left, t->repeat_total);
		return;
	}
	if (failed)
		tutor_msg(t, UI_COLOR(UI_C_ERR) | UI_BOLD, "%zu item%s failed: a worker died (see the results)",
			  failed, failed == 1 ? "" : "s");
	tutor_run_next(t);
	if (t->active >= 0)
		return;
	if (t->repeat_total > 1)
		tutor_orders_say(t);
	else if (!failed)
		tutor_msg(t, UI_COLOR(UI_C_OK), "done %s r replays it slowly, Enter runs the next %s",
			  t->s->g->dot, t->s->g->run);
	if (t->pred)
		tutor_predict_say(t);
}

/* --- the process command: Processes, not a pool ------------------------------------ */

/* Start the next run of the process demo; -1 with a message on the message line. */
static int tutor_demo_next(struct tutor *t)
{
	char err[ENGINE_ERRLEN];
	if (proc_demo_start_items(t->task, t->items, t->n_items, t->demo_join_after, &t->demo, err,
				  sizeof err) != 0) {
		t->demo = NULL;
		tutor_msg(t, UI_COLOR(UI_C_ERR) | UI_BOLD, "process: %s", err);
		return -1;
	}
	t->demo_run++;
	t->has_demo_live = false;
	return 0;
}

/* Keep the demo's last snapshot for the screen and replay. */
static void tutor_demo_keep(struct tutor *t, const struct proc_demo_snap *snap)
{
	if (t->has_demo_rec)
		ui_proc_rec_free(&t->demo_rec);
	t->has_demo_rec = ui_proc_rec_copy(&t->demo_rec, snap) == 0;
	if (!t->has_demo_rec)
		tutor_msg(t, UI_COLOR(UI_C_ERR), "out of memory keeping the Processes for the screen");
}

/* process TASK [ITEMS]: the Processes' lives drawn live (--repeat: again and again). */
static int tutor_demo_begin(struct tutor *t, const struct run_request *req, struct cmd_env *env)
{
	t->process_view = true;
	t->demo_join_after = run_request_join_after(req);
	t->demo_run = 0;
	t->msg[0] = 0;
	t->dirty = true;
	if (tutor_demo_next(t) != 0) {
		fprintf(env->err, "%s\n", t->msg);
		t->msg[0] = 0;
		return CMD_USAGE;
	}
	return CMD_OK;
}

/* Poll the live demo; when every child is reaped keep it and go on (--repeat). */
static void tutor_demo_poll(struct tutor *t)
{
	if (!t->demo)
		return;
	int over = proc_demo_poll(t->demo, &t->demo_live);
	t->has_demo_live = true;
	t->dirty = true;
	if (!over)
		return;
	const struct proc_demo_snap *d = &t->demo_live;
	tutor_trace(t, "process wall_s %.6f procs %zu", d->ended_s >= 0 ? d->ended_s : d->now_s,
		    d->n_procs);
	if (t->repeat_total > 1)
		tutor_order_add(t, d->output, d->n_output);
	bool failed = false;
	for (size_t k = 0; k < d->n_procs; k++)
		failed |= d->procs[k].exit_code != 0;
	tutor_demo_keep(t, d);
	tutor_demo_stop(t);
	if (t->repeat_left > 0) {
		t->repeat_left--;
		if (tutor_demo_next(t) == 0)
			tutor_msg(t, 0, "run %d of %d", t->demo_run, t->repeat_total);
		return;
	}
	if (t->repeat_total > 1)
		tutor_orders_say(t);
	else if (failed)
		tutor_msg(t, UI_COLOR(UI_C_ERR) | UI_BOLD, "a child failed: see its exit code");
	else
		tutor_msg(t, UI_COLOR(UI_C_OK), "done %s every child joined or reaped %s r replays it slowly",
			  t->s->g->dot, t->s->g->dot);
}

/* Ctrl-C during a demo: SIGKILL the children still running, see them die,
 * keep the picture, and reap them all (proc_demo_free). */
static void tutor_demo_cancel(struct tutor *t)
{
	if (!t->demo)
		return;
	struct proc_demo_snap snap;
	proc_demo_poll(t->demo, &snap);
	for (size_t k = 0; k < snap.n_procs; k++)
		if (snap.procs[k].state == PROC_RUNNING && snap.procs[k].pid > 0)
			kill(snap.procs[k].pid, SIGKILL);
	/* the deaths are seen through the pidfds at once; give them a moment */
	double until = tutor_now() + 0.5;
	for (;;) {
		bool running = false;
		proc_demo_poll(t->demo, &snap);
		for (size_t k = 0; k < snap.n_procs; k++)
			running |= snap.procs[k].state == PROC_RUNNING;
		if (!running || tutor_now() >= until)
			break;
		poll(NULL, 0, 5);
	}
	tutor_demo_keep(t, &snap);
	tutor_demo_stop(t); /* reaps every child now */
	if (t->has_demo_rec) { /* what proc_demo_free just did, in the picture */
		struct ui_proc_rec *r = &t->demo_rec;
		for (size_t k = 0; k < r->snap.n_procs; k++) {
			struct proc_demo_child *c = &r->procs[k];
			if (c->exited_s < 0 && c->started_s >= 0) {
				c->exited_s = r->snap.now_s;
				c->exit_code = -SIGKILL;
			}
			if (c->reaped_s < 0 && c->started_s >= 0) {
				c->reaped_s = r->snap.now_s;
				c->state = PROC_REAPED;
				c->proc_state = 0;
			}
		}
		r->snap.ended_s = r->snap.now_s;
	}
	t->demo_cancelled = true;
	t->repeat_left = 0;
	tutor_msg(t, UI_COLOR(UI_C_WARN) | UI_BOLD, "process cancelled; every child killed and reaped");
}

/* frontend_ops.run: start the request live (compare: one backend after another). */
static int tutor_fe_run(struct cmd_env *env, const struct run_request *req)
{
	struct tutor *t = env->fe_data;
	int64_t *items = NULL;
	if (req->n_items) {
		items = malloc(req->n_items * sizeof *items);
		if (!items) {
			fprintf(env->err, "out of memory for %zu items\n", req->n_items);
			return CMD_FAILED;
		}
		memcpy(items, req->items, req->n_items * sizeof *items);
	}
	tutor_runs_clear(t);
	t->process_view = false;
	free(t->items);
	t->items = items;
	t->n_items = req->n_items;
	t->task = req->task;
	t->workers = req->workers;
	t->chunksize = req->chunksize;
	t->unordered = req->unordered;
	t->switch_interval_s = req->switch_interval_s;
	t->compare = req->kind == RUNKIND_COMPARE;
	t->backend = req->kind == RUNKIND_PROCESS ? BACKEND_PROCESS : req->backend;
	t->nqueue = t->qpos = 0;
	memset(&t->fig, 0, sizeof t->fig);
	t->repeat_total = req->kind != RUNKIND_COMPARE && req->repeat > 1 ? req->repeat : 1;
	t->repeat_left = t->repeat_total - 1;
	t->n_orders = 0;
	if (req->kind == RUNKIND_PROCESS)
		return tutor_demo_begin(t, req, env);
	if (t->compare) {
		for (size_t i = 0; i < req->n_backends; i++)
			t->queue[t->nqueue++] = req->backends[i];
	} else {
		t->queue[t->nqueue++] = t->backend;
	}
	t->msg[0] = 0;
	tutor_run_next(t);
	t->dirty = true;
	if (t->active < 0 && t->msg[0]) {
		fprintf(env->err, "%s\n", t->msg);
		t->msg[0] = 0;
		return CMD_USAGE;
	}
	return CMD_OK;
}

/* --- replay ------------------------------------------------------------------- */

/* The longest recorded map among the shown backends. */
static double tutor_rec_span(const struct tutor *t)
{
	double span = 0;
	if (t->process_view)
		return t->has_demo_rec ? t->demo_rec.snap.now_s : 0;
	for (int i = 0; i < BACKEND_COUNT; i++)
		if (t->slot[i].has_rec && t->slot[i].rec.snap.wall_s > span)
			span = t->slot[i].rec.snap.wall_s;
	return span;
}

/* Start replaying the recordings; factor 10 lasts ~5 s, 20 twice as long. */
static int tutor_replay_start(struct tutor *t, double factor)
{
	if (tutor_busy(t)) {
		tutor_msg(t, UI_COLOR(UI_C_WARN), "a run is going; replay it once it is done");
		return -1;
	}
	double span = tutor_rec_span(t);
	bool any = t->process_view && t->has_demo_rec;
	for (int i = 0; i < BACKEND_COUNT && !t->process_view; i++)
		any |= t->slot[i].has_rec;
	if (!any) {
		tutor_msg(t, UI_COLOR(UI_C_WARN), "nothing to replay yet: run something first (Enter runs %s)",
			  t->s->g->run);
		return -1;
	}
	t->replaying = true;
	t->replay_t0 = tutor_now();
	t->replay_len = TUTOR_REPLAY_S * factor / TUTOR_REPLAY_DEFAULT;
	t->replay_span = span;
	char secs[32];
	ui_fmt_secs(secs, sizeof secs, span, t->s->g == &ui_glyphs_ascii);
	tutor_msg(t, UI_BOLD, "replaying %s of %s in %.1f s (%.0f%s slower) %s Ctrl-C stops", secs,
		  t->process_view ? "the Processes' lives" : "map", t->replay_len,
		  span > 0 ? t->replay_len / span : 0, t->s->g->times, t->s->g->dot);
	return 0;
}

/* frontend_ops.replay. */
static int tutor_fe_replay(struct cmd_env *env, double speed)
{
	struct tutor *t = env->fe_data;
	return tutor_replay_start(t, speed) == 0 ? CMD_OK : CMD_FAILED;
}

/* The map time the replay shows now. */
static double tutor_replay_time(struct tutor *t)
{
	double e = tutor_now() - t->replay_t0;
	if (e >= t->replay_len) {
		t->replaying = false;
		tutor_msg(t, 0, "replay done %s r replays again", t->s->g->dot);
		return t->replay_span;
	}
	return t->replay_len > 0 ? e / t->replay_len * t->replay_span : t->replay_span;
}

/* --- lessons through the commands ---------------------------------------------- */

/* frontend_ops.lesson_next. */
static int tutor_fe_next(struct cmd_env *env)
{
	struct tutor *t = env->fe_data;
	if (tutor_page_step(t, 1) != 0) {
		fprintf(env->err, "%s\n", t->have_course ? "this is the last page of the course" : t->course_msg);
		return CMD_FAILED;
	}
	return CMD_OK;
}

/* frontend_ops.lesson_prev. */
static int tutor_fe_prev(struct cmd_env *env)
{
	struct tutor *t = env->fe_data;
	if (tutor_page_step(t, -1) != 0) {
		fprintf(env->err, "%s\n", t->have_course ? "this is the first page of the course" : t->course_msg);
		return CMD_FAILED;
	}
	return CMD_OK;
}

/* frontend_ops.lesson_goto. */
static int tutor_fe_goto(struct cmd_env *env, const char *which)
{
	struct tutor *t = env->fe_data;
	if (!t->have_course || walker_goto(t->w, which) != 0) {
		fprintf(env->err, "no lesson '%s' (allowed: a number 1..%zu or a name; see: lessons)\n", which,
			t->have_course ? t->course.n_lessons : 0);
		return CMD_USAGE;
	}
	t->pos.scroll = 0;
	t->dirty = true;
	return CMD_OK;
}

/* The help text: the keys, then the commands. */
static int tutor_fe_help(struct cmd_env *env, const char *topic)
{
	if (!topic) {
		fputs("Keys (with an empty prompt)\n"
		      "  Enter      run the highlighted command of the lesson\n"
		      "  n / p      next / previous page\n"
		      "  r          replay the last run slowly\n"
		      "  ?          this help            q  quit\n"
		      "Keys (always)\n"
		      "  Ctrl-C     cancel the run (or clear the prompt)\n"
		      "  Ctrl-Z     suspend             PgUp/PgDn  scroll the lesson\n"
		      "  Tab        complete            Ctrl-R     search the history\n"
		      "  Up/Down    history             Ctrl-L     redraw\n\n",
		      env->out);
	}
	return cmd_help_text(env->out, CMD_IN_TUTOR, topic, env->err);
}

static const struct frontend_ops tutor_fe = {
	.run = tutor_fe_run,
	.lesson_next = tutor_fe_next,
	.lesson_prev = tutor_fe_prev,
	.lesson_goto = tutor_fe_goto,
	.replay = tutor_fe_replay,
	.help = tutor_fe_help,
};

/* Run one command line; its output goes to the message line or an overlay. */
static void tutor_exec(struct tutor *t, const char *line)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f) {
		tutor_msg(t, UI_COLOR(UI_C_ERR), "cannot run a command: out of memory");
		return;
	}
	t->env.out = t->env.err = f;
	int rc = cmd_exec_line(&t->env, line);
	fclose(f);
	t->env.out = t->env.err = NULL;
	if (rc == CMD_QUIT)
		t->quit = true;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = 0;
	if (len > 0) {
		if (strchr(buf, '\n')) {
			free(t->overlay);
			t->overlay = buf;
			buf = NULL;
			snprintf(t->overlay_title, sizeof t->overlay_title, "%.100s", line);
			tutor_msg(t, UI_DIM, "any key closes this");
		} else {
			tutor_msg(t, rc == CMD_OK ? 0 : UI_COLOR(UI_C_ERR) | UI_BOLD, "%s", buf);
		}
	}
	free(buf);
	t->dirty = true;
}

static void tutor_block_exec(struct tutor *t);

/* Back to taking commands. */
static void tutor_ask_end(struct tutor *t)
{
	t->ask = ASK_NONE;
	ui_prompt_set(TUTOR_PROMPT, true);
}

/* A checkpoint's verdict, with its question and why, in the overlay. */
static void tutor_quiz_say(struct tutor *t, const struct walker_verdict *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return;
	fprintf(f, "%s\n\nYou answered %s\n\n%s\n", v->question ? v->question : "", v->answer,
	        v->text);
	if (v->why)
		fprintf(f, "\nWhy: %s\n", v->why);
	fclose(f);
	free(t->overlay);
	t->overlay = buf;
	snprintf(t->overlay_title, sizeof t->overlay_title, "Checkpoint");
	tutor_msg(t, UI_BOLD | UI_COLOR(v->right ? UI_C_OK : UI_C_WARN),
	          "%s %s any key closes this", v->headline, t->s->g->dot);
}

/* An answer to the question the prompt asked (empty: skipped). */
static void tutor_answer(struct tutor *t, const char *a)
{
	struct walker_verdict v;
	enum tutor_ask ask = t->ask;
	switch (walker_answer(t->w, a, &v)) {
	case WALK_ANSWER_NONE:
		tutor_ask_end(t);
		return;
	case WALK_ANSWER_BAD:
		tutor_msg(t, UI_COLOR(UI_C_ERR) | UI_BOLD,
		          ask == ASK_PREDICT ? "%s (Enter skips)" : "%s, or Enter to skip", v.text);
		return;
	case WALK_ANSWER_SKIPPED:
		tutor_ask_end(t);
		if (ask == ASK_PREDICT)
			tutor_block_exec(t); /* the run, without a prediction */
		else
			tutor_msg(t, UI_DIM, "checkpoint skipped");
		return;
	case WALK_ANSWER_TAKEN:
		tutor_ask_end(t);
		tutor_block_exec(t); /* the verdict comes when the runs are done */
		return;
	case WALK_ANSWER_CHECKED:
		tutor_ask_end(t);
		tutor_quiz_say(t, &v);
		return;
	}
}

/* Readline's line handler: a line entered at the prompt. */
static void tutor_on_line(char *line, void *arg)
{
	struct tutor *t = arg;
	if (!line) { /* Ctrl-D on an empty line */
		t->quit = true;
		return;
	}
	if (t->ask != ASK_NONE) {
		tutor_answer(t, line);
		free(line);
		return;
	}
	char *p = line;
	while (*p == ' ')
		p++;
	if (*p)
		tutor_exec(t, p);
	free(line);
}

/* Run the page's next runnable block (the walker's run step) as if typed. */
static void tutor_block_exec(struct tutor *t)
{
	const char *cmd = walker_run_begin(t->w);
	if (!cmd)
		return;
	char cmdline[1024];
	snprintf(cmdline, sizeof cmdline, "%s", cmd);
	cmdline[strcspn(cmdline, "\n")] = 0;
	ui_prompt_history_add(cmdline);
	t->msg[0] = 0;
	t->pred = NULL;
	tutor_exec(t, cmdline);
	/* a prediction waits for the figures only if its runs are going */
	t->pred = t->active >= 0 ? walker_predict_pending(t->w) : NULL;
	if (!t->pred)
		walker_predict_forget(t->w);
	if (!t->msg[0])
		tutor_msg(t, UI_BOLD, "%s %s", t->s->g->run, cmdline);
}

/* Enter at an empty prompt: the page's next step — ask the prediction and
 * run the highlighted command, or ask the checkpoint; with none left, the
 * next page. */
static void tutor_run_block(struct tutor *t)
{
	struct walker_step st;
	walker_step(t->w, &st);
	switch (st.kind) {
	case WALK_NONE:
		tutor_msg(t, 0, "%s", "type a command, like: run square 1..5 -w 4");
		return;
	case WALK_TURN:
	case WALK_END: /* turning the last page ends the course */
		if (st.kind == WALK_END || tutor_page_step(t, 1) != 0)
			tutor_msg(t, 0, "%s", "the end of the course: well done");
		return;
	case WALK_QUIZ:
		t->ask = ASK_QUIZ;
		ui_prompt_set("your answer> ", false);
		tutor_msg(t, UI_BOLD | UI_COLOR(UI_C_RUN), "Checkpoint: answer a-%c (Enter skips)",
		          (char)('a' + (st.n_choices ? st.n_choices - 1 : 0)));
		return;
	case WALK_PREDICT:
		t->ask = ASK_PREDICT;
		ui_prompt_set("your prediction> ", false);
		/* the question itself is on the lesson page */
		if (st.n_choices)
			tutor_msg(t, UI_BOLD | UI_COLOR(UI_C_RUN),
			          "Predict first (the question is in the lesson): a letter a-%c, "
			          "Enter skips",
			          (char)('a' + st.n_choices - 1));
		else
			tutor_msg(t, UI_BOLD | UI_COLOR(UI_C_RUN),
				  "Predict first (the question is in the lesson): a number, Enter skips");
		return;
	case WALK_RUN:
		tutor_block_exec(t);
		return;
	}
}

/* --- drawing ------------------------------------------------------------------ */

/* The snapshot to draw for a backend now: replayed, live or recorded. */
static const struct run_snapshot *tutor_slot_snap(struct tutor *t, enum backend_kind b, double tmap)
{
	struct tutor_slot *sl = &t->slot[b];
	if (t->replaying && sl->has_rec) {
		const struct run_snapshot *out;
		if (ui_replay_at(&sl->rec, tmap, &sl->rp, &out) == 0)
			return out;
		return &sl->rec.snap;
	}
	if (sl->run && sl->has_live)
		return &sl->live;
	if (sl->has_rec)
		return &sl->rec.snap;
	return NULL;
}

/* A text overlay (help, a command's output) over r; long lines wrap at spaces. */
static void tutor_draw_overlay(struct tutor *t, struct ui_rect r)
{
	struct ui_surface *s = t->s;
	ui_clear(s, r);
	ui_box(s, r, t->overlay_title, UI_BOLD | UI_COLOR(UI_C_TITLE));
	struct ui_rect in = {r.y + 1, r.x + 2, r.h - 2, r.w - 4};
	const char *p = t->overlay;
	int y = in.y;
	while (p && *p && y < in.y + in.h && in.w > 0) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char line[1024];
		snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), p);
		/* the hanging indent of a wrapped line: its own leading spaces */
		int indent = (int)strspn(line, " ");
		const char *q = line;
		bool first = true;
		do {
			int got;
			int room = in.w - (first ? 0 : indent);
			size_t cut = ui_text_cut(q, room, &got);
			if (q[cut]) { /* break at the last space that fits */
				size_t sp = cut;
				while (sp > 0 && q[sp] != ' ')
					sp--;
				if (sp > 0)
					cut = sp;
			}
			if (cut == 0) /* no room to wrap into: the rest, clipped */
				cut = strlen(q);
			char part[1024];
			snprintf(part, sizeof part, "%.*s", (int)cut, q);
			ui_put(s, &in, y++, in.x + (first ? 0 : indent), 0, part);
			q += cut;
			while (*q == ' ')
				q++;
			first = false;
		} while (*q && y < in.y + in.h);
		p = e ? e + 1 : p + n;
	}
	if (p && *p)
		ui_putf(s, NULL, r.y + r.h - 1, r.x + 2, UI_DIM, " %s more not shown ", s->g->ellipsis);
}

/* The run side: one column, or compare's baseline row and three columns. */
static void tutor_draw_runs(struct tutor *t, struct ui_rect r)
{
	struct ui_surface *s = t->s;
	double tmap = t->replaying ? tutor_replay_time(t) : 0;
	if (t->process_view) {
		struct ui_order_count oc[TUTOR_ORDERS];
		for (int i = 0; i < t->n_orders; i++)
			oc[i] = (struct ui_order_count){.text = t->orders[i].text, .count = t->orders[i].count};
		struct ui_process_view v = {
			.task_name = t->task ? t->task->name : NULL, .run = t->demo_run,
			.runs = t->repeat_total, .orders = oc, .n_orders = t->n_orders,
			.cancelled = t->demo_cancelled && !t->demo,
		};
		struct proc_demo_snap at; /* a replayed moment: the recording seen at tmap */
		if (t->demo && t->has_demo_live) {
			v.snap = &t->demo_live;
		} else if (t->has_demo_rec && t->replaying && tmap < t->demo_rec.snap.now_s) {
			at = t->demo_rec.snap;
			at.now_s = tmap;
			at.ended_s = -1;
			v.snap = &at;
			v.cancelled = false;
		} else if (t->has_demo_rec) {
			v.snap = &t->demo_rec.snap;
		}
		ui_process_column_draw(s, &v, r);
		return;
	}
	if (!t->compare) {
		const struct run_snapshot *snap = tutor_slot_snap(t, t->backend, tmap);
		if (!snap && !t->slot[t->backend].run) {
			ui_clear(s, r);
			ui_box(s, r, "runs", UI_BOLD | UI_COLOR(UI_C_TITLE));
			struct ui_rect in = {r.y + 2, r.x + 2, r.h - 3, r.w - 4};
			ui_putf(s, &in, in.y, in.x, 0, "Nothing has run yet. Press Enter to run the %s command", s->g->run);
			ui_put(s, &in, in.y + 1, in.x, 0, "of the lesson, or type one at the prompt, like");
			ui_put(s, &in, in.y + 3, in.x + 2, UI_BOLD, "run square 1..5 -w 4");
			ui_put(s, &in, in.y + 4, in.x + 2, UI_BOLD, "compare primes 8x300000 -w 2");
			ui_put(s, &in, in.y + 6, in.x, UI_DIM, "tasks lists what can run; help lists the commands.");
			return;
		}
		ui_column_draw(s, snap, t->backend, t->backend == BACKEND_SERIAL ? 1 : t->workers, r, 0);
		return;
	}
	const struct run_snapshot *base = tutor_slot_snap(t, BACKEND_SERIAL, tmap);
	ui_baseline_draw(s, base, (struct ui_rect){r.y, r.x + 1, 1, r.w - 1});
	double bw = t->slot[BACKEND_SERIAL].has_rec ? t->slot[BACKEND_SERIAL].rec.snap.wall_s : 0;
	static const enum backend_kind cols[] = {BACKEND_PROCESS, BACKEND_THREAD, BACKEND_GIL};
	struct ui_rect area = {r.y + 1, r.x, r.h - 1, r.w};
	bool side = area.w / 3 >= 26;
	for (int i = 0; i < 3; i++) {
		struct ui_rect c;
		if (side) {
			int cw = area.w / 3;
			c = (struct ui_rect){area.y, area.x + i * cw, area.h, i == 2 ? area.w - 2 * cw : cw};
		} else {
			int ch = area.h / 3;
			c = (struct ui_rect){area.y + i * ch, area.x, i == 2 ? area.h - 2 * ch : ch, area.w};
		}
		const struct run_snapshot *snap = tutor_slot_snap(t, cols[i], tmap);
		ui_column_draw(s, snap, cols[i], t->workers, c, bw);
	}
}

/* The whole screen; returns the cursor column on the prompt row. */
static int tutor_draw(struct tutor *t)
{
	struct ui_surface *s = t->s;
	int H = s->h, W = s->w;
	ui_clear(s, (struct ui_rect){0, 0, H, W});
	if (W < TUTOR_MIN_W || H < TUTOR_MIN_H) {
		char note[96];
		snprintf(note, sizeof note, "terminal too small (need %dx%d, have %dx%d)", TUTOR_MIN_W,
			 TUTOR_MIN_H, W, H);
		int x = (W - ui_text_width(note)) / 2;
		ui_put(s, NULL, H / 2, x > 0 ? x : 0, UI_BOLD | UI_REVERSE, note);
		if (H / 2 + 1 < H)
			ui_put(s, NULL, H / 2 + 1, 0, UI_DIM, "q quits, or make the window larger");
		return -1;
	}
	int main_h = H - 3;
	/* the lesson pane's width: a third, less when compare needs the room */
	int lw = t->compare ? W * 3 / 10 : W * 2 / 5;
	if (lw > 70)
		lw = 70;
	if (t->compare && (W - lw) / 3 < 26)
		lw = W - 26 * 3 >= 26 ? W - 26 * 3 : W * 2 / 5;
	/* the lesson */
	struct ui_lesson_view v = {.next_block = tutor_next_block(t), .scroll = t->pos.scroll};
	char title[256], label[64];
	const struct lesson *l = tutor_lesson(t);
	int pw = lw - 4;
	if (l) {
		struct walker_place at = walker_place(t->w);
		snprintf(title, sizeof title, "Lesson %d/%zu %s %s", at.lesson + 1,
		         t->course.n_lessons, s->g->dot, l->title ? l->title : l->name);
		snprintf(label, sizeof label, "page %d/%zu", at.page + 1, l->n_pages);
		v.title = title;
		v.page_label = label;
		const struct lesson_page *pg = tutor_page(t);
		if (pg && (!t->have_page_r || t->page_w != pw || t->page_lesson != at.lesson ||
		           t->page_page != at.page)) {
			if (t->have_page_r)
				lrender_free(&t->page_r);
			t->have_page_r = lesson_render_page(pg, pw, &t->page_r) == 0;
			t->page_w = pw;
			t->page_lesson = at.lesson;
			t->page_page = at.page;
		}
		v.page = t->have_page_r ? &t->page_r : NULL;
		if (!pg)
			v.empty_msg = "this lesson has no pages";
		if (v.page && t->pos.scroll > (int)v.page->n_lines - 1)
			t->pos.scroll = v.scroll = v.page->n_lines > 0 ? (int)v.page->n_lines - 1 : 0;
		/* when the next step changes, scroll it into view (PgUp/PgDn rule otherwise) */
		long key = ((long)at.lesson * 1000 + at.page) * 1000 + v.next_block + 1;
		if (v.page && key != t->shown_key) {
			t->shown_key = key;
			int rows = main_h - 2;
			for (size_t i = 0; v.next_block >= 0 && i < v.page->n_lines; i++)
				if (v.page->lines[i].block == v.next_block) {
					if ((int)i < t->pos.scroll || (int)i >= t->pos.scroll + rows - 2)
						t->pos.scroll = (int)i > rows / 2 ? (int)i - rows / 2 : 0;
					break;
				}
			v.scroll = t->pos.scroll;
		}
	} else {
		v.title = "Lesson";
		v.empty_msg = t->course_msg;
	}
	struct ui_panel lp = {.ops = &ui_panel_lesson, .s = s, .data = &v};
	lp.ops->draw(&lp, NULL, (struct ui_rect){0, 0, main_h, lw});
	struct ui_rect right = {0, lw, main_h, W - lw};
	if (t->overlay)
		tutor_draw_overlay(t, right);
	else
		tutor_draw_runs(t, right);
	/* legend, status, prompt */
	struct ui_panel lg = {.ops = t->process_view ? &ui_panel_legend_process : &ui_panel_legend,
			      .s = s};
	lg.ops->draw(&lg, NULL, (struct ui_rect){H - 3, 1, 1, W - 1});
	char keys[200];
	const char *d = s->g->dot;
	if (tutor_busy(t))
		snprintf(keys, sizeof keys, "Ctrl-C cancel %s ? help %s q quit", d, d);
	else
		snprintf(keys, sizeof keys, TUTOR_KEYS, s->g->run, d, d, d, d, d);
	int kw = ui_text_width(keys);
	const char *m = ui_prompt_matches();
	if (ui_text_width(m ? m : t->msg) > W - kw - 3)
		kw = -2; /* a long message takes the whole line */
	else
		ui_put(s, NULL, H - 2, W - kw - 1, UI_DIM, keys);
	struct ui_rect mr = {H - 2, 1, 1, W - kw - 3};
	ui_put(s, &mr, H - 2, 1, m ? 0 : t->msg_attr, m ? m : t->msg);
	return ui_prompt_draw(s, H - 1, W);
}

/* Draw if anything changed, and note the first frame. */
static void tutor_refresh(struct tutor *t)
{
	if (t->hold_until > 0) {
		if (tutor_now() < t->hold_until)
			return; /* the next key may take the shortcut back: no flicker */
		t->hold_until = 0;
	}
	bool pc = ui_prompt_changed();
	if (!t->dirty && !pc)
		return;
	t->dirty = false;
	int cx = tutor_draw(t);
	ui_screen_flush(t->s->h - 1, cx < 0 ? 0 : cx, cx >= 0);
	if (!t->first_frame) {
		t->first_frame = true;
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		tutor_trace(t, "first_frame %ld.%09ld %.6f", (long)ts.tv_sec, ts.tv_nsec,
			    tutor_now() - t->t_start);
	}
}

/* --- keys and signals ---------------------------------------------------------- */

/* Ctrl-C: cancel the run; else stop a replay; else clear the prompt. */
static void tutor_interrupt(struct tutor *t)
{
	if (t->active >= 0) {
		run_cancel(t->slot[t->active].run);
		t->nqueue = t->qpos = 0;
		tutor_msg(t, UI_COLOR(UI_C_WARN) | UI_BOLD, "cancelling the run%s", t->s->g->ellipsis);
	} else if (t->demo) {
		tutor_demo_cancel(t);
	} else if (t->ask != ASK_NONE) {
		ui_prompt_clear();
		tutor_ask_end(t);
		tutor_msg(t, 0, "question left unanswered");
	} else if (t->replaying) {
		t->replaying = false;
		tutor_msg(t, 0, "replay stopped");
	} else {
		ui_prompt_clear();
		t->msg[0] = 0;
	}
	t->dirty = true;
}

/* Send sig to the live run's worker processes (not threads: they are us). */
static void tutor_signal_workers(struct tutor *t, int sig)
{
	for (size_t k = 0; t->demo && t->has_demo_live && k < t->demo_live.n_procs; k++)
		if (t->demo_live.procs[k].state == PROC_RUNNING && t->demo_live.procs[k].pid > 0)
			kill(t->demo_live.procs[k].pid, sig);
	if (t->active < 0 || !t->slot[t->active].has_live)
		return;
	const struct run_snapshot *s = &t->slot[t->active].live;
	pid_t self = getpid();
	for (int i = 0; i < s->workers; i++) {
		const struct worker_snap *w = &s->per_worker[i];
		if (w->pid > 0 && w->pid != self && w->state != WORKER_EXITED &&
		    w->state != WORKER_DEAD)
			kill(w->pid, sig);
	}
}

/* Ctrl-Z or SIGTSTP: stop the workers with us, as a shell stops a whole job,
 * give the terminal back, and carry on together on SIGCONT. Only our own
 * children are stopped: the process group may hold a script that ran us. */
static void tutor_suspend(struct tutor *t)
{
	tutor_signal_workers(t, SIGSTOP);
	ui_screen_suspend();
	tutor_signal_workers(t, SIGCONT);
	t->dirty = true;
}

/* Whether two letters begin a command's name (a shortcut was a first letter). */
static bool tutor_command_prefix(int a, int b)
{
	const char *const *names = cmd_completions(NULL, NULL);
	for (size_t i = 0; names && names[i]; i++)
		if (names[i][0] == a && names[i][1] == b)
			return true;
	return false;
}

/* Hand a curses key to readline, as the bytes a terminal sends for it. */
static void tutor_feed_key(int k)
{
	static const struct {
		int key;
		const char *seq;
	} map[] = {
		{KEY_UP, "\033[A"}, {KEY_DOWN, "\033[B"}, {KEY_RIGHT, "\033[C"}, {KEY_LEFT, "\033[D"},
		{KEY_HOME, "\033[H"}, {KEY_END, "\033[F"}, {KEY_DC, "\033[3~"}, {KEY_BACKSPACE, "\177"},
		{KEY_ENTER, "\r"},
	};
	if (k >= 0 && k < 256) {
		char c = (char)k;
		ui_prompt_feed(&c, 1);
		return;
	}
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].key == k) {
			ui_prompt_feed(map[i].seq, strlen(map[i].seq));
			return;
		}
}

/* One key from the keyboard. */
static void tutor_key(struct tutor *t, int k)
{
	if (k == KEY_RESIZE) {
		ui_screen_sync();
		t->dirty = true;
		return;
	}
	if (k == 3) { /* Ctrl-C */
		tutor_interrupt(t);
		return;
	}
	if (k == 26) { /* Ctrl-Z */
		tutor_suspend(t);
		return;
	}
	if (k == 12) { /* Ctrl-L */
		ui_screen_touch();
		t->dirty = true;
		return;
	}
	if (t->overlay) { /* any key closes the overlay */
		free(t->overlay);
		t->overlay = NULL;
		t->msg[0] = 0;
		t->dirty = true;
		if (k == 27 || k == '\r' || k == 'q' || k == ' ' || k == '?')
			return;
	}
	if (k == KEY_NPAGE || k == KEY_PPAGE) {
		int step = (t->s->h - 5) / 2;
		t->pos.scroll += k == KEY_NPAGE ? step : -step;
		if (t->pos.scroll < 0)
			t->pos.scroll = 0;
		t->dirty = true;
		return;
	}
	if (t->s->w < TUTOR_MIN_W || t->s->h < TUTOR_MIN_H) {
		if (k == 'q')
			t->quit = true;
		return;
	}
	/* a shortcut that was the first letter of a command: take it back, type both */
	int spec = t->spec_key;
	t->spec_key = 0;
	t->hold_until = 0;
	if (spec && k < 128 && k > ' ' && t->ask == ASK_NONE && ui_prompt_empty() &&
	    tutor_command_prefix(spec, k)) {
		if (spec == 'r')
			t->replaying = false;
		tutor_goto(t, t->spec_pos);
		t->msg[0] = 0;
		char two[2] = {(char)spec, (char)k};
		ui_prompt_feed(two, 2);
		return;
	}
	if (t->ask == ASK_NONE && ui_prompt_empty()) {
		switch (k) {
		case '\r':
		case '\n':
		case KEY_ENTER:
			tutor_run_block(t);
			return;
		case 'n':
		case 'p':
			t->spec_key = k;
			t->spec_pos = tutor_pos_now(t);
			if (!spec) /* held keys (autorepeat) still draw every other page */
				t->hold_until = tutor_now() + TUTOR_HOLD_S;
			if (tutor_page_step(t, k == 'n' ? 1 : -1) != 0)
				tutor_msg(t, 0, "%s", !t->have_course ? t->course_msg
						: k == 'n' ? "this is the last page of the course"
							   : "this is the first page of the course");
			else
				t->msg[0] = 0;
			return;
		case 'r':
			t->spec_key = k;
			t->spec_pos = tutor_pos_now(t);
			if (!spec)
				t->hold_until = tutor_now() + TUTOR_HOLD_S;
			tutor_replay_start(t, TUTOR_REPLAY_DEFAULT);
			return;
		case 'q':
			t->quit = true;
			return;
		case '?':
			tutor_exec(t, "help");
			return;
		}
	}
	tutor_feed_key(k);
}

/* Signals that arrived through the self-pipe. */
static void tutor_signals_read(struct tutor *t)
{
	int sig;
	while ((sig = signals_next()) != 0) {
		switch (sig) {
		case SIGINT:
			tutor_interrupt(t);
			break;
		case SIGTERM:
		case SIGHUP:
		case SIGQUIT: /* no core dump: the terminal and the workers come first */
			t->quit = true;
			t->status = 128 + sig; /* as the shell reports a death by it */
			break;
		case SIGWINCH:
			ui_screen_resize();
			t->dirty = true;
			break;
		case SIGTSTP:
			tutor_suspend(t);
			break;
		case SIGCONT:
			ui_screen_resize();
			t->dirty = true;
			break;
		}
	}
}

/* --- the loop ----------------------------------------------------------------- */

/* Wait for keys, signals, the run or the tick; act; redraw. */
static void tutor_loop(struct tutor *t)
{
	double next_tick = tutor_now();
	while (!t->quit) {
		struct pollfd pfd[2 + TUTOR_MAX_RUNFDS];
		int n = 0;
		pfd[n++] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
		pfd[n++] = (struct pollfd){.fd = signals_fd(), .events = POLLIN};
		int runfds[TUTOR_MAX_RUNFDS];
		int nrun = t->active >= 0 ? run_pollfds(t->slot[t->active].run, runfds, TUTOR_MAX_RUNFDS)
			 : t->demo ? proc_demo_pollfds(t->demo, runfds, TUTOR_MAX_RUNFDS) : 0;
		for (int i = 0; i < nrun && i < TUTOR_MAX_RUNFDS; i++)
			pfd[n++] = (struct pollfd){.fd = runfds[i], .events = POLLIN};
		bool moving = tutor_busy(t) || t->replaying;
		int timeout = -1;
		if (moving) {
			double left = next_tick - tutor_now();
			timeout = left > 0 ? (int)ceil(left * 1000) : 0;
		}
		if (t->hold_until > 0) {
			double left = t->hold_until - tutor_now();
			int h = left > 0 ? (int)ceil(left * 1000) : 0;
			if (timeout < 0 || h < timeout)
				timeout = h;
		}
		int r = poll(pfd, (nfds_t)n, timeout);
		if (r < 0 && errno != EINTR) {
			snprintf(t->fatal, sizeof t->fatal, "waiting for input failed: poll: %s", strerror(errno));
			t->status = 2;
			break;
		}
		if (r > 0 && (pfd[1].revents & POLLIN))
			tutor_signals_read(t);
		if (r > 0 && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			int k, got = 0;
			while (!t->quit && (k = ui_screen_key()) >= 0) {
				tutor_key(t, k);
				got++;
			}
			if (!got && (pfd[0].revents & (POLLHUP | POLLERR))) {
				t->quit = true; /* the terminal went away: as a hangup */
				t->status = 128 + SIGHUP;
			}
		}
		bool run_news = false;
		for (int i = 2; r > 0 && i < n; i++)
			run_news |= pfd[i].revents != 0;
		double now = tutor_now();
		if (moving && now >= next_tick) {
			tutor_run_poll(t);
			tutor_demo_poll(t);
			t->dirty = true;
			next_tick += TUTOR_TICK_S;
			if (next_tick < now)
				next_tick = now + TUTOR_TICK_S;
		} else if (run_news) {
			/* drain the run's pipes now; the screen follows on the tick */
			bool was = t->dirty;
			tutor_run_poll(t);
			tutor_demo_poll(t);
			t->dirty = was || !tutor_busy(t);
		}
		if (!moving && (tutor_busy(t) || t->replaying))
			next_tick = tutor_now() + TUTOR_TICK_S;
		tutor_refresh(t);
	}
}

/* What ui_main holds besides the screen, the runs and the prompt. */
static void tutor_free(struct tutor *t)
{
	if (t->trace)
		fclose(t->trace);
	free(t->items);
	free(t->overlay);
	if (t->have_page_r)
		lrender_free(&t->page_r);
	walker_free(t->w);
	if (t->have_course || t->course.n_lessons || t->course.n_diags)
		course_free(&t->course);
}

int ui_main(const struct tutor_opts *o)
{
	struct tutor t;
	char err[512];
	memset(&t, 0, sizeof t);
	t.opts = o;
	t.active = -1;
	t.t_start = tutor_now();
	t.backend = BACKEND_PROCESS;
	t.page_lesson = -1;
	t.shown_key = -1;
	setlocale(LC_ALL, "");
	const char *trace = getenv("MPTUTOR_TRACE_FILE");
	if (trace && *trace)
		t.trace = fopen(trace, "a");
	const char *nc = getenv("NO_COLOR");
	bool color = !o->no_color && !(nc && *nc);
	bool ascii = o->ascii || !ui_locale_utf8();
	if (tutor_signals(&t, err, sizeof err) != 0) {
		fprintf(stderr, "mptutor: %s\n", err);
		return 2;
	}
	if (tutor_course_load(&t, err, sizeof err) != 0 ||
	    ui_screen_start(ascii, color, &t.s, err, sizeof err) != 0) {
		tutor_signals_restore(&t);
		fprintf(stderr, "mptutor: %s\n", err);
		tutor_free(&t);
		return 2;
	}
	t.env = (struct cmd_env){.fe = &tutor_fe, .fe_data = &t, .where = CMD_IN_TUTOR,
				 .intr_fd = signals_fd()};
	char hist[4096];
	const char *sd = state_dir();
	bool have_hist = sd && snprintf(hist, sizeof hist, "%s/history", sd) < (int)sizeof hist;
	ui_prompt_start(TUTOR_PROMPT, have_hist ? hist : NULL, tutor_on_line, &t);
	t.dirty = true;
	tutor_refresh(&t);
	tutor_loop(&t);
	/* every way out: stop the run (reaping every child), then the terminal */
	tutor_runs_clear(&t);
	for (int i = 0; i < BACKEND_COUNT; i++)
		ui_replay_free(&t.slot[i].rp);
	char hist_err[512] = "", prog_err[512] = "";
	ui_prompt_stop(hist_err, sizeof hist_err);
	if (t.fatal[0])
		ui_fatal("%s", t.fatal); /* restores the terminal, then says why */
	ui_screen_stop();
	/* not fatal, the tutor is leaving anyway, but said once the terminal is back */
	if (tutor_course_save(&t, prog_err, sizeof prog_err) != 0 && prog_err[0])
		fprintf(stderr, "mptutor: %s\n", prog_err);
	if (hist_err[0])
		fprintf(stderr, "mptutor: %s\n", hist_err);
	tutor_signals_restore(&t);
	tutor_trace(&t, "exit %d", t.status);
	tutor_free(&t);
	return t.status;
}
