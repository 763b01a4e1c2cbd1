/*
 * tutor.c — the full-screen tutor: ui_main's event loop, its keys and its
 * state machine (the screen is laid out and drawn by tutor_draw.c; the
 * state they share is in tutor_priv.h; no curses here). One
 * poll() waits on the keyboard, the signal self-pipe (cmd/signals.h),
 * and the session's fds; a 50 ms tick (only while a run or a replay is
 * going) polls the session (session/session.h) and redraws. Commands typed
 * at the prompt go through the shared command table (cmd_exec_line) with
 * the tutor's frontend_ops: run/compare/process start a session drawn live,
 * next/prev/lesson move in the course, replay re-animates its recordings.
 *
 * Environment: MPTUTOR_TRACE_FILE, when set, names a file the tutor appends
 * timing lines to: "first_frame <epoch s> <s since start>" once the first
 * screen is drawn, "run <backend> wall_s <s> startup_s <s> items <n>
 * chunksize <c> workers <w>" for every finished map, "process wall_s <s>
 * procs <n>" for every finished Process demo, "screen frames <n> wall_s <s>
 * cpu_s <s> draw_s <s> poll_s <s>" once a session is over (the screens drawn
 * while it went, and the tutor's main thread's CPU, its drawing and its
 * polling of the session meanwhile; workers' CPU is not in it), and
 * "exit <status>" (used by tests/bench/bench_ui.sh, bench_screen.sh and
 * tests/regress/15-tutor-session.sh).
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/lessons.h"
#include "cmd/pyrun.h"
#include "cmd/signals.h"
#include "engine/clock.h"
#include "engine/task.h"
#include "export/pyrunrep.h"
#include "export/recording.h"
#include "lesson/lesson.h"
#include "lesson/predict.h"
#include "lesson/walker.h"
#include "session/session.h"
#include "tutor.h"
#include "ui/panel.h"
#include "ui/tutor_priv.h"
#include "ui/ui.h"

#define TUTOR_TICK_S 0.05 /* redraw period while something moves (20 Hz) */
#define TUTOR_HOLD_S                                                                               \
	0.15                                 /* n/p/r are not drawn for this long: they may be a   \
	                                        command's first letter ("run"), taken back by the next key */
#define TUTOR_REPLAY_S 5.0                   /* a replay at the default factor lasts this long */
#define TUTOR_REPLAY_DEFAULT 10.0            /* the replay command's default factor */
#define TUTOR_MAX_RUNFDS SESSION_MAX_POLLFDS /* a demo: a pidfd each and the pipe */
#define TUTOR_PROMPT "mptutor> "
#define TUTOR_WORKER_NICE                                                                          \
	19 /* a run of more workers than CPUs: its workers' nice, so the screen is not starved */
#define TUTOR_NEWS_FD_S 20e-6 /* the run's news is polled at most every this times its fds */

/* Seconds on the monotonic clock. */
double tutor_now(void)
{
	return (double)engine_now_ns() / 1e9;
}

/* Whether something is going: a map or a process demo. */
bool tutor_busy(const struct tutor *t)
{
	return t->ss && session_state(t->ss) == SESSION_RUNNING;
}

/* Whether a Python script (pyrun, an exercise's run or check) is going. */
static bool tutor_py_busy(const struct tutor *t)
{
	return t->py && !pyjob_over(t->py);
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
static void tutor_trace(struct tutor *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
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

/* CPU seconds of the calling thread (the tutor's loop: workers are not in it). */
static double tutor_thread_cpu(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A session begins: the counters its "screen" trace line is measured from. */
static void tutor_screen_mark(struct tutor *t)
{
	t->sess0.frames = t->frames;
	t->sess0.t = tutor_now();
	t->sess0.cpu_s = tutor_thread_cpu();
	t->sess0.draw_s = t->draw_s;
	t->sess0.poll_s = t->poll_s;
}

/* A session is over: what drawing it cost, to the trace. */
static void tutor_screen_trace(struct tutor *t)
{
	tutor_trace(t, "screen frames %ld wall_s %.6f cpu_s %.6f draw_s %.6f poll_s %.6f",
	            t->frames - t->sess0.frames, tutor_now() - t->sess0.t,
	            tutor_thread_cpu() - t->sess0.cpu_s, t->draw_s - t->sess0.draw_s,
	            t->poll_s - t->sess0.poll_s);
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
const struct lesson *tutor_lesson(const struct tutor *t)
{
	return walker_lesson(t->w);
}

/* The current page, or NULL. */
const struct lesson_page *tutor_page(const struct tutor *t)
{
	return walker_page(t->w);
}

/* Index of the next runnable block or checkpoint on the page, -1 if none is left. */
int tutor_next_block(const struct tutor *t)
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
		snprintf(t->course_msg, sizeof t->course_msg, "no lessons found (looked in %s)",
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
	const struct lesson *left = walker_lesson(t->w);
	enum walker_move m = dir > 0 ? walker_next(t->w) : walker_prev(t->w);
	if (m != WALK_MOVED && m != WALK_NEW_LESSON)
		return -1;
	if (m == WALK_NEW_LESSON && dir > 0 && left) {
		struct lesson_checkpoints ck;
		progress_checkpoints(walker_progress(t->w), left, &ck);
		if (progress_is_done(walker_progress(t->w), left->name))
			tutor_msg(t, UI_COLOR(UI_C_OK), "Lesson %d done", left->number);
		else
			tutor_msg(t, UI_COLOR(UI_C_WARN),
			          "Lesson %d: %d of %d checkpoints skipped %s not done until "
			          "answered (lesson %d)",
			          left->number, ck.total - ck.answered, ck.total, t->s->g->dot,
			          left->number);
	}
	t->pos.scroll = 0;
	t->dirty = true;
	return 0;
}

/* --- runs ------------------------------------------------------------------ */

/* The prediction beside what was measured, kept in the progress. */
static void tutor_predict_say(struct tutor *t)
{
	struct walker_verdict v;
	t->pred = NULL;
	if (walker_predict_verdict(t->w, &t->fig, &v) == 0)
		tutor_msg(t, UI_BOLD | UI_COLOR(v.right ? UI_C_OK : UI_C_WARN), "%s", v.text);
}

/* Forget the session and its recordings (a new run begins); every child is reaped. */
static void tutor_runs_clear(struct tutor *t)
{
	session_free(t->ss);
	t->ss = NULL;
	pyjob_free(t->py); /* kills and reaps the script's whole process group */
	t->py = NULL;
	t->replaying = false;
}

/* The session's map_done hook: trace it, keep its figures for a prediction. */
static void tutor_map_done(void *arg, const struct session *ss, size_t row,
                           const struct run_snapshot *s)
{
	struct tutor *t = arg;
	tutor_trace(t, "run %s wall_s %.6f startup_s %.6f items %zu chunksize %ld workers %d",
	            ui_backend_label(s->backend), s->wall_s, s->startup_s, s->n_items, s->chunksize,
	            s->workers);
	predict_figures_add(&t->fig, s, session_kind(ss) == RUNKIND_COMPARE);
	t->last_failed = s->n_failed > 0;
	if (session_kind(ss) == RUNKIND_SWEEP && !s->n_failed)
		tutor_msg(t, 0, "point %zu of %zu: %s at %d worker%s in %.3f s", row + 1,
		          session_n_rows(ss), ui_backend_label(s->backend), s->workers,
		          s->workers == 1 ? "" : "s", s->wall_s);
	if (s->n_failed)
		tutor_msg(t, UI_COLOR(UI_C_ERR) | UI_BOLD,
		          "%zu item%s failed: a worker died (see the results)", s->n_failed,
		          s->n_failed == 1 ? "" : "s");
}

/* The session's demo_done hook: trace it. */
static void tutor_demo_done(void *arg, const struct session *ss, const struct proc_demo_snap *d)
{
	struct tutor *t = arg;
	(void)ss;
	tutor_trace(t, "process wall_s %.6f procs %zu", d->ended_s >= 0 ? d->ended_s : d->now_s,
	            d->n_procs);
	t->last_failed = session_demo_failed(d);
}

/* The orders seen over the repeats, on the message line. */
static void tutor_orders_say(struct tutor *t)
{
	const struct session_orders *o = session_orders(t->ss);
	char buf[512], text[64];
	size_t len = 0;
	int k =
	    snprintf(buf, sizeof buf, "%d runs; output orders seen:", session_repeat(t->ss, NULL));
	len = k > 0 ? (size_t)k : 0;
	for (size_t i = 0; i < o->n_orders && i < TUTOR_ORDERS && len + 8 < sizeof buf; i++) {
		session_order_text(&o->orders[i], text, sizeof text);
		k = snprintf(buf + len, sizeof buf - len, "%s [%s] %s%d", i ? " " : "", text,
		             t->s->g->times, o->orders[i].count);
		if (k < 0)
			break;
		len += (size_t)k < sizeof buf - len ? (size_t)k : sizeof buf - len - 1;
	}
	tutor_msg(t, UI_BOLD, "%s", buf);
}

/* A sweep is over: its first swept curve's fit on the message line. */
static void tutor_sweep_say(struct tutor *t)
{
	const struct sweep_report *r = session_sweep(t->ss);
	for (size_t c = 0; c < r->n_curves; c++) {
		const struct sweep_curve *cv = &r->curves[c];
		if (backend_get(cv->backend)->serial)
			continue;
		char fit[200];
		sweep_fit_text(&cv->fit, t->s->g == &ui_glyphs_ascii ? "+/-" : "\u00b1",
		               t->s->g->times, fit, sizeof fit);
		tutor_msg(t, UI_COLOR(cv->fit.ok ? UI_C_OK : UI_C_WARN), "%s: %s",
		          ui_backend_label(cv->backend), fit);
		return;
	}
}

/* The session is over: say how it ended (and the prediction's verdict). */
static void tutor_session_over(struct tutor *t)
{
	bool process = session_kind(t->ss) == RUNKIND_PROCESS;
	const struct run_request *req = session_request(t->ss);
	tutor_screen_trace(t);
	switch (session_state(t->ss)) {
	case SESSION_CANCELLED:
		tutor_msg(t, UI_COLOR(UI_C_WARN) | UI_BOLD, "%s",
		          process ? "process cancelled; every child killed and reaped"
		                  : "run cancelled; every worker stopped and reaped");
		t->pred = NULL;
		return;
	case SESSION_FAILED:
		tutor_msg(t, UI_COLOR(UI_C_ERR) | UI_BOLD, "%s: %s",
		          process ? "process" : ui_backend_label(req->backend),
		          session_error(t->ss));
		t->pred = NULL;
		return;
	default:
		break;
	}
	if (session_kind(t->ss) == RUNKIND_SWEEP)
		tutor_sweep_say(t);
	else if (session_repeat(t->ss, NULL) > 1)
		tutor_orders_say(t);
	else if (process && t->last_failed)
		tutor_msg(t, UI_COLOR(UI_C_ERR) | UI_BOLD, "a child failed: see its exit code");
	else if (process)
		tutor_msg(t, UI_COLOR(UI_C_OK),
		          "done %s every child joined or reaped %s r replays it slowly",
		          t->s->g->dot, t->s->g->dot);
	else if (!t->last_failed)
		tutor_msg(t, UI_COLOR(UI_C_OK),
		          "done %s r replays it slowly, Enter runs the next %s", t->s->g->dot,
		          t->s->g->run);
	if (t->pred && !process)
		tutor_predict_say(t);
}

/* Poll the session going; say the next --repeat, or how it ended. */
static void tutor_session_poll(struct tutor *t)
{
	if (!tutor_busy(t))
		return;
	int before, now;
	session_repeat(t->ss, &before);
	double p0 = tutor_now();
	int over = session_poll(t->ss);
	t->polled_at = tutor_now();
	t->poll_s += t->polled_at - p0;
	t->dirty = true;
	int total = session_repeat(t->ss, &now);
	if (over)
		tutor_session_over(t);
	else if (now != before)
		tutor_msg(t, 0, "run %d of %d", now, total);
}

/* Ctrl-C with a session going: a map stops on a later poll, a demo at once. */
static void tutor_session_cancel(struct tutor *t)
{
	session_cancel(t->ss);
	if (session_state(t->ss) != SESSION_RUNNING)
		tutor_session_over(t);
	else
		tutor_msg(t, UI_COLOR(UI_C_WARN) | UI_BOLD, "cancelling the run%s",
		          t->s->g->ellipsis);
}

/* frontend_ops.run: start the request live as a session (compare: one row after another). */
static int tutor_fe_run(struct cmd_env *env, const struct run_request *req)
{
	struct tutor *t = env->fe_data;
	struct session_hooks hooks = {
	    .map_done = tutor_map_done, .demo_done = tutor_demo_done, .arg = t};
	char err[ENGINE_ERRLEN];
	tutor_runs_clear(t);
	memset(&t->fig, 0, sizeof t->fig);
	t->last_failed = false;
	t->msg[0] = 0;
	t->dirty = true;
	/* a map of more workers than CPUs would starve the screen of its 20 Hz
	 * (256 spinning workers on 2 cores: each waits ~256 slices to run again),
	 * so its workers run niced from birth: when the tutor sleeps they still
	 * take every core, and against each other they are as before */
	struct run_request r = *req; /* session_start copies it */
	r.oversubscribed_nice = TUTOR_WORKER_NICE;
	if (session_start(&r, &hooks, &t->ss, err, sizeof err) != 0) {
		enum backend_kind b = req->kind == RUNKIND_COMPARE && req->n_backends
		                          ? req->backends[0]
		                          : req->backend;
		fprintf(env->err, "%s: %s\n",
		        req->kind == RUNKIND_PROCESS ? "process" : ui_backend_label(b), err);
		return CMD_USAGE;
	}
	tutor_screen_mark(t);
	tutor_session_poll(t);
	return CMD_OK;
}

/* --- replay ------------------------------------------------------------------- */

/* Start replaying the recordings; factor 10 lasts ~5 s, 20 twice as long. */
static int tutor_replay_start(struct tutor *t, double factor)
{
	if (tutor_busy(t)) {
		tutor_msg(t, UI_COLOR(UI_C_WARN), "a run is going; replay it once it is done");
		return -1;
	}
	if (!t->ss || !session_has_recording(t->ss)) {
		tutor_msg(t, UI_COLOR(UI_C_WARN),
		          "nothing to replay yet: run something first (Enter runs %s)",
		          t->s->g->run);
		return -1;
	}
	double span = session_span(t->ss);
	t->replaying = true;
	t->replay_t0 = tutor_now();
	t->replay_len = TUTOR_REPLAY_S * factor / TUTOR_REPLAY_DEFAULT;
	t->replay_span = span;
	char secs[32];
	ui_fmt_secs(secs, sizeof secs, span, t->s->g == &ui_glyphs_ascii);
	tutor_msg(t, UI_BOLD, "replaying %s of %s in %.1f s (%.0f%s slower) %s Ctrl-C stops", secs,
	          session_kind(t->ss) == RUNKIND_PROCESS ? "the Processes' lives"
	          : session_kind(t->ss) == RUNKIND_SWEEP ? "the sweep's maps, point by point,"
	                                                 : "map",
	          t->replay_len, span > 0 ? t->replay_len / span : 0, t->s->g->times, t->s->g->dot);
	return 0;
}

/* frontend_ops.replay. */
static int tutor_fe_replay(struct cmd_env *env, double speed)
{
	struct tutor *t = env->fe_data;
	return tutor_replay_start(t, speed) == 0 ? CMD_OK : CMD_FAILED;
}

/* Open a recording made elsewhere: it becomes the last run, replayed at once. */
static int tutor_open_recording(struct tutor *t, struct recording *rec, double speed)
{
	char err[ENGINE_ERRLEN];
	struct session *ss;
	if (tutor_busy(t)) {
		tutor_msg(t, UI_COLOR(UI_C_WARN),
		          "a run is going; open the recording once it is done");
		return CMD_FAILED;
	}
	if (session_from_recording(&rec->req, rec->runs, rec->n_runs,
	                           rec->has_demo ? &rec->demo : NULL, rec->sweep_cpus, &ss, err,
	                           sizeof err) != 0) {
		tutor_msg(t, UI_COLOR(UI_C_WARN), "%s", err);
		return CMD_USAGE;
	}
	tutor_runs_clear(t);
	t->ss = ss;
	t->last_failed = false;
	tutor_trace(t, "recording opened: %s, %zu runs, %d cores", rec->recorded_at, rec->n_runs,
	            rec->machine.cores);
	if (tutor_replay_start(t, speed) == 0) {
		char msg[sizeof t->msg];
		snprintf(msg, sizeof msg, "%.500s %s recorded %.40s on %d cores (%.120s)", t->msg,
		         t->s->g->dot, rec->recorded_at, rec->machine.cores,
		         rec->machine.cpu_model);
		tutor_msg(t, UI_BOLD, "%s", msg);
	}
	return CMD_OK;
}

/* frontend_ops.replay_file: a recording named at the prompt (replay FILE). */
static int tutor_fe_replay_file(struct cmd_env *env, struct recording *rec, double speed)
{
	return tutor_open_recording(env->fe_data, rec, speed);
}

/* frontend_ops.last: the last run, for save and export. */
static const struct session *tutor_fe_last(struct cmd_env *env)
{
	const struct tutor *t = env->fe_data;
	return t->ss;
}

/* The map time the replay shows now. */
double tutor_replay_time(struct tutor *t)
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
		fprintf(env->err, "%s\n",
		        t->have_course ? "this is the last page of the course" : t->course_msg);
		return CMD_FAILED;
	}
	return CMD_OK;
}

/* frontend_ops.lesson_prev. */
static int tutor_fe_prev(struct cmd_env *env)
{
	struct tutor *t = env->fe_data;
	if (tutor_page_step(t, -1) != 0) {
		fprintf(env->err, "%s\n",
		        t->have_course ? "this is the first page of the course" : t->course_msg);
		return CMD_FAILED;
	}
	return CMD_OK;
}

/* frontend_ops.lesson_goto. */
static int tutor_fe_goto(struct cmd_env *env, const char *which)
{
	struct tutor *t = env->fe_data;
	if (!t->have_course || walker_goto(t->w, which) != 0) {
		fprintf(env->err,
		        "no lesson '%s' (allowed: a number 1..%zu or a name; see: lessons)\n",
		        which, t->have_course ? t->course.n_lessons : 0);
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

/* --- Python scripts and exercises ---------------------------------------------- */

/* Start a job of stages (a pyrun, or an exercise's run then check). */
static int tutor_py_start(struct tutor *t, const struct pyrun_spec *st, size_t n,
                          const char *const *labels, char *err, size_t errlen)
{
	tutor_runs_clear(t);
	t->dirty = true;
	return pyjob_start(st, n, labels, &t->py, err, errlen);
}

/* frontend_ops.pyrun: the script live in the pyrun column. */
static int tutor_fe_pyrun(struct cmd_env *env, const struct pyrun_spec *spec)
{
	struct tutor *t = env->fe_data;
	char err[600];
	const char *label = "pyrun";
	if (tutor_py_start(t, spec, 1, &label, err, sizeof err) != 0) {
		fprintf(env->err, "%s\n", err);
		return CMD_USAGE;
	}
	const char *base = strrchr(spec->script, '/');
	snprintf(t->py_title, sizeof t->py_title, "pyrun %s %s", t->s->g->dot,
	         base ? base + 1 : spec->script);
	t->py_is_check = false;
	t->msg[0] = 0;
	return CMD_OK;
}

/* The learner's file's mtime and size; -1 if it cannot be seen. */
static int tutor_ex_stat(const struct tutor *t, long long *mtime, long long *size)
{
	struct stat st;
	if (stat(t->ex_path, &st) != 0)
		return -1;
	*mtime = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	*size = (long long)st.st_size;
	return 0;
}

/* frontend_ops.exercise: watch the learner's copy; every save runs and checks it. */
static int tutor_fe_exercise(struct cmd_env *env, const char *name, const char *path,
                             const char *checker, const char *python)
{
	struct tutor *t = env->fe_data;
	snprintf(t->ex_name, sizeof t->ex_name, "%s", name);
	snprintf(t->ex_path, sizeof t->ex_path, "%s", path);
	snprintf(t->ex_checker, sizeof t->ex_checker, "%s", checker);
	snprintf(t->ex_python, sizeof t->ex_python, "%s", python ? python : "");
	t->ex_watch = true;
	t->ex_have_verdict = false;
	t->ex_next_look = tutor_now();
	if (tutor_ex_stat(t, &t->ex_mtime_ns, &t->ex_size) != 0)
		t->ex_mtime_ns = t->ex_size = -1;
	tutor_runs_clear(t);
	snprintf(t->py_title, sizeof t->py_title, "exercise %s", name);
	fprintf(env->out, "Watching it: every save runs it here, then its checker. "
	                  "hint: the next hint.\n");
	return CMD_OK;
}

/* frontend_ops.hint: on the message line. */
static int tutor_fe_hint(struct cmd_env *env, const char *text)
{
	struct tutor *t = env->fe_data;
	tutor_msg(t, UI_BOLD, "%s", text);
	return CMD_OK;
}

/* The exercise file was saved: run it, then its checker, in the pyrun column. */
static void tutor_ex_run(struct tutor *t)
{
	char err[600];
	char *args[] = {t->ex_path};
	const char *py = t->ex_python[0] ? t->ex_python : NULL;
	struct pyrun_spec st[2] = {
	    {.python = py, .script = t->ex_path, .timeout_s = 20},
	    {.python = py, .script = t->ex_checker, .args = args, .n_args = 1, .timeout_s = 120}};
	const char *labels[] = {"your file", "the checker"};
	if (tutor_py_start(t, st, 2, labels, err, sizeof err) != 0) {
		tutor_msg(t, UI_COLOR(UI_C_ERR), "exercise: %s", err);
		return;
	}
	snprintf(t->py_title, sizeof t->py_title, "exercise %s", t->ex_name);
	t->py_is_check = true;
	t->ex_have_verdict = false;
	tutor_msg(t, 0, "saved: running %s, then its checker%s", t->ex_name, t->s->g->ellipsis);
	tutor_trace(t, "exercise run %s", t->ex_name);
}

/* Look at the watched file (twice a second); a change starts a run and check. */
static void tutor_ex_look(struct tutor *t)
{
	if (!t->ex_watch || tutor_now() < t->ex_next_look)
		return;
	t->ex_next_look = tutor_now() + 0.5;
	long long m, z;
	if (tutor_ex_stat(t, &m, &z) != 0 || (m == t->ex_mtime_ns && z == t->ex_size))
		return;
	t->ex_mtime_ns = m;
	t->ex_size = z;
	if (tutor_busy(t))
		return; /* a run of the course is going: the next look after it */
	tutor_ex_run(t);
}

/* Poll the script going; when an exercise's check ends, say its verdict. */
static void tutor_py_poll(struct tutor *t)
{
	if (!tutor_py_busy(t))
		return;
	t->dirty = true;
	if (!pyjob_poll(t->py))
		return;
	if (pyjob_cancelled(t->py)) {
		tutor_msg(t, UI_COLOR(UI_C_WARN) | UI_BOLD,
		          "stopped: every process of the script was killed and reaped");
		return;
	}
	if (!t->py_is_check) {
		const struct pyrun_snapshot *sn = pyjob_snap(t->py, 0);
		char end[96];
		tutor_msg(t, sn->exit_code == 0 ? 0 : UI_COLOR(UI_C_ERR), "pyrun: %s, wall %.2f s",
		          pyrun_report_end(sn, end, sizeof end), sn->wall_s);
		tutor_trace(t, "pyrun %s wall_s %.6f", end, sn->wall_s);
		return;
	}
	const struct pyrun_snapshot *ck = pyjob_snap(t->py, 1);
	struct exercise_verdict v;
	if (!ck) {
		snprintf(v.reason, sizeof v.reason, "the checker did not start: %s",
		         pyjob_error(t->py));
		v.passed = false;
	} else {
		cmd_exercise_verdict(ck, &v);
	}
	t->ex_have_verdict = true;
	t->ex_passed = v.passed;
	snprintf(t->ex_verdict, sizeof t->ex_verdict, "%s", v.reason);
	tutor_msg(t, UI_BOLD | UI_COLOR(v.passed ? UI_C_OK : UI_C_ERR), "%s: %s %s %s", t->ex_name,
	          v.passed ? "passed" : "not yet", t->s->g->dot, v.reason);
	tutor_trace(t, "exercise verdict %s %s", t->ex_name, v.passed ? "passed" : "not-yet");
	if (v.passed) {
		struct exercise_progress p;
		char err[512];
		exercise_progress_load(&p, err, sizeof err);
		exercise_progress_pass(&p, t->ex_name);
		exercise_progress_save(&p, err, sizeof err);
	}
}

static const struct frontend_ops tutor_fe = {
    .pyrun = tutor_fe_pyrun,
    .exercise = tutor_fe_exercise,
    .hint = tutor_fe_hint,
    .run = tutor_fe_run,
    .lesson_next = tutor_fe_next,
    .lesson_prev = tutor_fe_prev,
    .lesson_goto = tutor_fe_goto,
    .replay = tutor_fe_replay,
    .replay_file = tutor_fe_replay_file,
    .last = tutor_fe_last,
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
	t->pred = tutor_busy(t) ? walker_predict_pending(t->w) : NULL;
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
			tutor_msg(
			    t, UI_BOLD | UI_COLOR(UI_C_RUN),
			    "Predict first (the question is in the lesson): a number, Enter skips");
		return;
	case WALK_RUN:
		tutor_block_exec(t);
		return;
	}
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
	double d0 = tutor_now();
	int cx = tutor_draw(t);
	ui_screen_flush(t->s->h - 1, cx < 0 ? 0 : cx, cx >= 0);
	t->frames++;
	t->draw_s += tutor_now() - d0;
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
	if (tutor_py_busy(t)) {
		pyjob_cancel(t->py);
		tutor_py_poll(t);
		tutor_msg(t, UI_COLOR(UI_C_WARN) | UI_BOLD,
		          "stopped: every process of the script was killed and reaped");
	} else if (tutor_busy(t)) {
		tutor_session_cancel(t);
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
	pid_t pids[ENGINE_MAX_WORKERS];
	int n = t->ss ? session_worker_pids(t->ss, pids, ENGINE_MAX_WORKERS) : 0;
	for (int i = 0; i < n; i++)
		kill(pids[i], sig);
	if (t->py && pyjob_pgid(t->py) > 0)
		kill(-pyjob_pgid(t->py), sig);
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

/* Hand a key to readline, as the bytes a terminal sends for it. */
static void tutor_feed_key(int k)
{
	static const struct {
		int key;
		const char *seq;
	} map[] = {
	    {UI_KEY_UP, "\033[A"},      {UI_KEY_DOWN, "\033[B"},    {UI_KEY_RIGHT, "\033[C"},
	    {UI_KEY_LEFT, "\033[D"},    {UI_KEY_HOME, "\033[H"},    {UI_KEY_END, "\033[F"},
	    {UI_KEY_DELETE, "\033[3~"}, {UI_KEY_BACKSPACE, "\177"}, {UI_KEY_ENTER, "\r"},
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
	if (k == UI_KEY_RESIZE) {
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
	if (k == UI_KEY_PAGE_DOWN || k == UI_KEY_PAGE_UP) {
		int step = (t->s->h - 5) / 2;
		t->pos.scroll += k == UI_KEY_PAGE_DOWN ? step : -step;
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
		case UI_KEY_ENTER:
			tutor_run_block(t);
			return;
		case 'n':
		case 'p':
			t->spec_key = k;
			t->spec_pos = tutor_pos_now(t);
			if (!spec) /* held keys (autorepeat) still draw every other page */
				t->hold_until = tutor_now() + TUTOR_HOLD_S;
			if (tutor_page_step(t, k == 'n' ? 1 : -1) != 0)
				tutor_msg(t, 0, "%s",
				          !t->have_course ? t->course_msg
				          : k == 'n'      ? "this is the last page of the course"
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
		int nrun = tutor_busy(t) ? session_pollfds(t->ss, runfds, TUTOR_MAX_RUNFDS) : 0;
		/* The run's news (output, a worker ended) is polled for at once, so
		 * its teardown is timed when it happens; but a session poll costs a
		 * system call or two a worker, and 256 workers ending one by one
		 * were 256 of them: news waits TUTOR_NEWS_FD_S a run fd since the
		 * last poll (0.1 ms for 2 workers, 10 ms for 256). */
		double news_in = t->polled_at + TUTOR_NEWS_FD_S * nrun - tutor_now();
		if (news_in > 0)
			nrun = 0;
		if (tutor_py_busy(t))
			nrun = pyjob_pollfds(t->py, runfds, TUTOR_MAX_RUNFDS);
		for (int i = 0; i < nrun && i < TUTOR_MAX_RUNFDS; i++)
			pfd[n++] = (struct pollfd){.fd = runfds[i], .events = POLLIN};
		bool moving = tutor_busy(t) || t->replaying || tutor_py_busy(t);
		int timeout = -1;
		if (moving) {
			double left = next_tick - tutor_now();
			if (tutor_busy(t) && news_in > 0 && news_in < left)
				left = news_in; /* then the run's fds are looked at again */
			timeout = left > 0 ? (int)ceil(left * 1000) : 0;
		}
		if (t->hold_until > 0) {
			double left = t->hold_until - tutor_now();
			int h = left > 0 ? (int)ceil(left * 1000) : 0;
			if (timeout < 0 || h < timeout)
				timeout = h;
		}
		if (t->ex_watch) { /* the watched file: looked at twice a second */
			double left = t->ex_next_look - tutor_now();
			int h = left > 0 ? (int)ceil(left * 1000) : 0;
			if (timeout < 0 || h < timeout)
				timeout = h;
		}
		int r = poll(pfd, (nfds_t)n, timeout);
		if (r < 0 && errno != EINTR) {
			snprintf(t->fatal, sizeof t->fatal, "waiting for input failed: poll: %s",
			         strerror(errno));
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
		tutor_ex_look(t);
		if (moving && now >= next_tick) {
			tutor_py_poll(t);
			tutor_session_poll(t);
			t->dirty = true;
			next_tick += TUTOR_TICK_S;
			if (next_tick < now)
				next_tick = now + TUTOR_TICK_S;
		} else if (run_news) {
			/* drain the run's pipes now; the screen follows on the tick */
			bool was = t->dirty;
			tutor_session_poll(t);
			tutor_py_poll(t);
			t->dirty = was || !(tutor_busy(t) || tutor_py_busy(t));
		}
		if (!moving && (tutor_busy(t) || t->replaying || tutor_py_busy(t)))
			next_tick = tutor_now() + TUTOR_TICK_S;
		tutor_refresh(t);
	}
}

/* What ui_main holds besides the screen, the runs and the prompt. */
static void tutor_free(struct tutor *t)
{
	if (t->trace)
		fclose(t->trace);
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
	t.t_start = tutor_now();
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
	t.env = (struct cmd_env){
	    .fe = &tutor_fe, .fe_data = &t, .where = CMD_IN_TUTOR, .intr_fd = signals_fd()};
	char hist[4096];
	const char *sd = state_dir();
	bool have_hist = sd && snprintf(hist, sizeof hist, "%s/history", sd) < (int)sizeof hist;
	ui_prompt_start(TUTOR_PROMPT, have_hist ? hist : NULL, tutor_on_line, &t);
	t.dirty = true;
	if (o->recording != NULL)
		tutor_open_recording(&t, o->recording, o->replay_speed);
	tutor_refresh(&t);
	tutor_loop(&t);
	/* every way out: stop the run (reaping every child), then the terminal */
	tutor_runs_clear(&t);
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
