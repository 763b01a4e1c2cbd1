/*
 * test_ui_render.c — the tutor's panels drawn into the in-memory surface:
 * what a user would read on screen for hand-made snapshots (the results list
 * as Python prints it, worker labels, CPU figures, timeline, GIL row), the
 * ASCII fallback, clipping of wide text, the replay of a recorded run, the
 * process command's lifelines and order tally, and box titles cut with "…".
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include "fake_items.h"
#include "session/record.h"
#include "ui/panel.h"
#include "ui/surface.h"

/* A finished map of square over 1..5 on 2 workers. */
struct fixture {
	struct worker_snap pw[2];
	int64_t items[5], results[5];
	uint8_t status[5];
	struct item_event events[5];
	struct item_rec recs[5];
	struct item_who who[FAKE_WHO_MAX];
	uint32_t order[5];
	struct output_line out[2];
	struct gil_switch sw[4];
	struct run_snapshot snap;
};

/* f's status and events into its snapshot's records (after each change). */
static void fixture_pack(struct fixture *f)
{
	fake_items_pack(&f->snap, f->status, f->events, f->recs, f->who);
}

/* Fill f with a done run on backend b. */
static void fixture_fill(struct fixture *f, enum backend_kind b)
{
	memset(f, 0, sizeof *f);
	for (int i = 0; i < 5; i++) {
		f->items[i] = i + 1;
		f->results[i] = (i + 1) * (i + 1);
		f->status[i] = ITEM_DONE;
		f->events[i] = (struct item_event){
		    .worker = i % 2, .start_s = 0.1 * i, .end_s = 0.1 * i + 0.09};
		f->order[i] = (uint32_t)i;
	}
	for (int w = 0; w < 2; w++)
		f->pw[w] = (struct worker_snap){.id = w,
		                                .pid = 4121 + w,
		                                .tid = 4121 + w,
		                                .state = WORKER_EXITED,
		                                .core = w,
		                                .proc_state = 'R',
		                                .tasks = w ? 2 : 3,
		                                .cur_item = -1,
		                                .cpu_s = 0.2,
		                                .cpu_pct = w ? 98 : 99,
		                                .busy_s = 0.2,
		                                .gil_held_s = 0.25,
		                                .gil_wait_s = 0.25};
	f->out[0] =
	    (struct output_line){.worker = 1, .t_s = 0.01, .text = "Worker process is running."};
	f->out[1] = (struct output_line){.worker = 0, .t_s = 0.3, .text = "second line"};
	f->sw[0] = (struct gil_switch){0.0, 0, false};
	f->sw[1] = (struct gil_switch){0.1, 1, true};
	f->sw[2] = (struct gil_switch){0.2, 0, true};
	f->sw[3] = (struct gil_switch){0.3, 1, true};
	f->snap = (struct run_snapshot){.state = RUN_DONE,
	                                .backend = b,
	                                .workers = 2,
	                                .chunksize = 1,
	                                .now_s = 0.49,
	                                .startup_s = 0.0004,
	                                .wall_s = 0.49,
	                                .cpu_s = 0.4,
	                                .per_worker = f->pw,
	                                .n_items = 5,
	                                .n_done = 5,
	                                .items = f->items,
	                                .results = f->results,
	                                .task_returns = true,
	                                .order = f->order,
	                                .n_order = 5,
	                                .output = f->out,
	                                .n_output = 2,
	                                .switches = b == BACKEND_GIL ? f->sw : NULL,
	                                .n_switches = b == BACKEND_GIL ? 4 : 0};
	fixture_pack(f);
}

/* Whether any row of s contains text. */
static bool screen_has(struct ui_surface *s, const char *text)
{
	char *all = ui_membuf_text(s);
	bool has = all && strstr(all, text);
	if (!has)
		print_message("screen:\n%s\n", all ? all : "(null)");
	free(all);
	return has;
}

/* Whether any row of s contains text, printing nothing. */
static bool screen_has_quiet(struct ui_surface *s, const char *text)
{
	char *all = ui_membuf_text(s);
	bool has = all && strstr(all, text);
	free(all);
	return has;
}

/* Draw one panel kind into a fresh buffer. */
static struct ui_surface *draw_panel(const struct ui_panel_ops *ops,
                                     const struct run_snapshot *snap, int h, int w, bool ascii)
{
	struct ui_surface *s = ui_membuf_new(h, w, ascii, true);
	assert_non_null(s);
	struct ui_panel p = {.ops = ops, .s = s};
	ops->draw(&p, snap, (struct ui_rect){0, 0, h, w});
	return s;
}

/* The results read as Python prints the list, and say who made each. */
static void test_results_pylist(void **state)
{
	(void)state;
	struct fixture f;
	fixture_fill(&f, BACKEND_PROCESS);
	struct ui_surface *s = draw_panel(&ui_panel_results, &f.snap, 3, 60, false);
	assert_true(screen_has(s, "[1, 4, 9, 16, 25]"));
	char row[256];
	ui_membuf_row(s, 1, row, sizeof row);
	assert_non_null(strstr(row, "w0"));
	assert_non_null(strstr(row, "w1"));
	/* the 4 (item 2) was made by w1: its label sits under it */
	assert_int_equal(strstr(row, "w1") - row, 4);
	/* and it is drawn in w1's colour */
	assert_int_equal(UI_COLOR_OF(ui_membuf_attr(s, 0, 4)), UI_C_W1);
	ui_membuf_free(s);
}

/* In a narrow column the list wraps, and each of its rows has the workers
 * beneath it; without room for those rows the list alone is shown. */
static void test_results_wrapped_workers(void **state)
{
	(void)state;
	struct fixture f;
	fixture_fill(&f, BACKEND_THREAD);
	struct ui_surface *s = draw_panel(&ui_panel_results, &f.snap, 4, 12, false);
	char row[256];
	ui_membuf_row(s, 0, row, sizeof row);
	assert_string_equal(row, "[1, 4, 9,");
	ui_membuf_row(s, 1, row, sizeof row);
	assert_string_equal(row, " t0 t1 t0");
	ui_membuf_row(s, 2, row, sizeof row);
	assert_string_equal(row, " 16, 25]");
	ui_membuf_row(s, 3, row, sizeof row);
	assert_string_equal(row, " t1  t0");
	ui_membuf_free(s);
	s = draw_panel(&ui_panel_results, &f.snap, 2, 12, false);
	ui_membuf_row(s, 1, row, sizeof row);
	assert_string_equal(row, " 16, 25]");
	ui_membuf_free(s);
}

/* A long list is cut with an ellipsis and still closes the bracket. */
static void test_results_long_cut(void **state)
{
	(void)state;
	struct fixture f;
	fixture_fill(&f, BACKEND_PROCESS);
	struct ui_surface *s = draw_panel(&ui_panel_results, &f.snap, 1, 12, false);
	char row[256];
	ui_membuf_row(s, 0, row, sizeof row);
	assert_string_equal(row, "[1, 4, 9, …]");
	ui_membuf_free(s);
}

/* Failed and pending items, errors, and tasks that return nothing. */
static void test_results_failed_pending(void **state)
{
	(void)state;
	struct fixture f;
	fixture_fill(&f, BACKEND_PROCESS);
	f.status[2] = ITEM_FAILED;
	f.status[4] = ITEM_PENDING;
	fixture_pack(&f);
	struct run_error e = {.item = 2,
	                      .worker = 0,
	                      .message =
	                          "worker 0 (pid 4121) killed by SIGSEGV while running item 2"};
	f.snap.errors = &e;
	f.snap.n_errors = 1;
	f.snap.n_failed = 1;
	struct ui_surface *s = draw_panel(&ui_panel_results, &f.snap, 4, 80, false);
	assert_true(screen_has(s, "[1, 4, ✗, 16, _]"));
	assert_true(screen_has(s, "killed by SIGSEGV while running item 2"));
	ui_membuf_free(s);
	f.snap.task_returns = false;
	f.status[2] = f.status[4] = ITEM_DONE;
	fixture_pack(&f);
	f.snap.n_errors = 0;
	s = draw_panel(&ui_panel_results, &f.snap, 3, 80, false);
	assert_true(screen_has(s, "[None, None, None, None, None]"));
	ui_membuf_free(s);
}

/* Meters: a line per worker with its label, pid, core and CPU %. */
static void test_meters(void **state)
{
	(void)state;
	struct fixture f;
	fixture_fill(&f, BACKEND_PROCESS);
	f.snap.state = RUN_RUNNING; /* live: the CPU use of the last interval */
	struct ui_surface *s = draw_panel(&ui_panel_meters, &f.snap, 2, 70, false);
	char row[512];
	ui_membuf_row(s, 0, row, sizeof row);
	assert_non_null(strstr(row, "w0"));
	assert_non_null(strstr(row, "pid 4121"));
	assert_non_null(strstr(row, "cpu0"));
	assert_non_null(strstr(row, "99%"));
	assert_non_null(strstr(row, "█"));
	ui_membuf_row(s, 1, row, sizeof row);
	assert_non_null(strstr(row, "w1"));
	assert_non_null(strstr(row, "98%"));
	ui_membuf_free(s);
	/* finished: each worker's busy share of the map's wall time (0.2 / 0.49) */
	f.snap.state = RUN_DONE;
	s = draw_panel(&ui_panel_meters, &f.snap, 2, 70, false);
	ui_membuf_row(s, 0, row, sizeof row);
	assert_non_null(strstr(row, " 41%"));
	assert_non_null(strstr(row, "3 done"));
	ui_membuf_free(s);
	/* gil: threads are t0, t1, with their share holding the GIL */
	fixture_fill(&f, BACKEND_GIL);
	s = draw_panel(&ui_panel_meters, &f.snap, 2, 60, false);
	assert_true(screen_has(s, "t0"));
	assert_true(screen_has(s, "gil  50%"));
	ui_membuf_free(s);
}

/* Many workers in few rows go to several columns (as htop). */
static void test_meters_columns(void **state)
{
	(void)state;
	struct worker_snap pw[8];
	struct run_snapshot snap = {
	    .state = RUN_RUNNING, .backend = BACKEND_PROCESS, .workers = 8, .per_worker = pw};
	for (int i = 0; i < 8; i++)
		pw[i] = (struct worker_snap){
		    .id = i, .pid = 100 + i, .core = -1, .cpu_pct = 50, .state = WORKER_RUNNING};
	struct ui_surface *s = draw_panel(&ui_panel_meters, &snap, 4, 100, false);
	char row[512];
	ui_membuf_row(s, 0, row, sizeof row);
	assert_non_null(strstr(row, "w0"));
	assert_non_null(strstr(row, "w4"));
	ui_membuf_row(s, 3, row, sizeof row);
	assert_non_null(strstr(row, "w3"));
	assert_non_null(strstr(row, "w7"));
	ui_membuf_free(s);
}

/* A big pool's workers are read a share a poll: the meters say how often. */
static void test_meters_sampled(void **state)
{
	(void)state;
	static struct worker_snap pw[256];
	struct run_snapshot snap = {.state = RUN_RUNNING,
	                            .backend = BACKEND_PROCESS,
	                            .workers = 256,
	                            .cpu_every_s = 0.256,
	                            .proc_every_s = 1.024,
	                            .per_worker = pw};
	for (int i = 0; i < 256; i++)
		pw[i] = (struct worker_snap){
		    .id = i, .pid = 1000 + i, .core = 1, .cpu_pct = 50, .state = WORKER_RUNNING};
	struct ui_surface *s = draw_panel(&ui_panel_meters, &snap, 6, 100, false);
	assert_true(
	    screen_has(s, "sampled: each worker's CPU% every 0.26 s, its cpuN every 1.02 s"));
	assert_true(screen_has(s, "more workers"));
	ui_membuf_free(s);
	/* read every frame (a small pool), or over: nothing to say */
	snap.cpu_every_s = 0.01;
	snap.proc_every_s = 0.05;
	s = draw_panel(&ui_panel_meters, &snap, 6, 100, false);
	assert_false(screen_has_quiet(s, "sampled"));
	ui_membuf_free(s);
	snap.cpu_every_s = 0.256;
	snap.proc_every_s = 1.024;
	snap.state = RUN_DONE;
	s = draw_panel(&ui_panel_meters, &snap, 6, 100, false);
	assert_false(screen_has_quiet(s, "sampled"));
	ui_membuf_free(s);
}

/* Timeline: a row per worker, items where they ran, the time axis. */
static void test_timeline(void **state)
{
	(void)state;
	struct fixture f;
	fixture_fill(&f, BACKEND_PROCESS);
	struct ui_surface *s = draw_panel(&ui_panel_timeline, &f.snap, 3, 54, false);
	char r0[512], r1[512], r2[512];
	ui_membuf_row(s, 0, r0, sizeof r0);
	ui_membuf_row(s, 1, r1, sizeof r1);
	ui_membuf_row(s, 2, r2, sizeof r2);
	assert_int_equal(strncmp(r0, "w0  █", strlen("w0  █")), 0); /* w0 ran item 0 at t=0 */
	assert_int_equal(strncmp(r1, "w1  ", 4), 0);
	assert_null(strstr(r1, "w1  █")); /* w1 started at 0.1 s, not at 0 */
	assert_non_null(strstr(r1, "█"));
	assert_non_null(strstr(r2, "0.49 s"));
	ui_membuf_free(s);
	/* gil: a GIL row shows who held it */
	fixture_fill(&f, BACKEND_GIL);
	s = draw_panel(&ui_panel_timeline, &f.snap, 4, 54, false);
	assert_true(screen_has(s, "GIL 0"));
	assert_true(screen_has(s, "1111"));
	ui_membuf_free(s);
	/* taller: 3 rows a thread; held is a full bar, running without it is waiting */
	s = draw_panel(&ui_panel_timeline, &f.snap, 8, 54, false);
	char top[512], gilrow[512];
	ui_membuf_row(s, 0, top, sizeof top);
	ui_membuf_row(s, 6, gilrow, sizeof gilrow);
	assert_int_equal(strncmp(top, "t0  █", strlen("t0  █")), 0); /* t0 held it first */
	assert_non_null(strstr(top, "░")); /* t0's last item waited: t1 held it then */
	assert_int_equal(strncmp(gilrow, "GIL 0", 5), 0);
	ui_membuf_free(s);
	/* one row for two workers (a squeezed column): both in it, labelled all */
	fixture_fill(&f, BACKEND_PROCESS);
	s = draw_panel(&ui_panel_timeline, &f.snap, 1, 54, false);
	ui_membuf_row(s, 0, r0, sizeof r0);
	assert_int_equal(strncmp(r0, "all █", strlen("all █")), 0);
	ui_membuf_free(s);
	/* gil, rows for the threads but not the GIL's too: every thread keeps its
	 * row, the GIL's goes; one row: both threads in it, labelled all */
	fixture_fill(&f, BACKEND_GIL);
	s = draw_panel(&ui_panel_timeline, &f.snap, 3, 54, false);
	ui_membuf_row(s, 0, r0, sizeof r0);
	ui_membuf_row(s, 1, r1, sizeof r1);
	assert_int_equal(strncmp(r0, "t0  ", 4), 0);
	assert_int_equal(strncmp(r1, "t1  ", 4), 0);
	assert_false(screen_has(s, "GIL 0"));
	ui_membuf_free(s);
	s = draw_panel(&ui_panel_timeline, &f.snap, 1, 54, false);
	ui_membuf_row(s, 0, r0, sizeof r0);
	assert_int_equal(strncmp(r0, "all █", strlen("all █")), 0);
	ui_membuf_free(s);
}

/* gil with the threads' own timelines: blocked in I/O is drawn ┈ (ASCII ~),
 * not ░ "waiting for GIL", and the meters give held / wait / I/O shares. */
static void test_gil_io(void **state)
{
	(void)state;
	struct fixture f;
	fixture_fill(&f, BACKEND_GIL);
	/* t0: held 0..0.05, then blocked in I/O to the end; t1: waited 0..0.25, then held */
	struct gil_mark m0[2] = {{0.0, GIL_MARK_HOLD}, {0.05, GIL_MARK_BLOCKED}};
	struct gil_mark m1[2] = {{0.0, GIL_MARK_WAIT}, {0.25, GIL_MARK_HOLD}};
	f.pw[0].gil_marks = m0;
	f.pw[0].n_gil_marks = 2;
	f.pw[0].gil_held_s = 0.05;
	f.pw[0].gil_wait_s = 0;
	f.pw[0].blocked_s = 0.44;
	f.pw[1].gil_marks = m1;
	f.pw[1].n_gil_marks = 2;
	f.pw[1].gil_held_s = 0.24;
	f.pw[1].gil_wait_s = 0.25;
	for (int i = 0; i < 5; i++) /* both run an item the whole time */
		f.events[i] = (struct item_event){.worker = i % 2, .start_s = 0, .end_s = 0.49};
	fixture_pack(&f);
	struct ui_surface *s = draw_panel(&ui_panel_timeline, &f.snap, 4, 54, false);
	char r0[512], r1[512];
	ui_membuf_row(s, 0, r0, sizeof r0);
	ui_membuf_row(s, 1, r1, sizeof r1);
	assert_non_null(strstr(r0, "┈┈┈┈┈┈┈┈┈┈")); /* t0 in I/O */
	assert_null(strstr(r0, "░"));              /* ...never waiting */
	assert_non_null(strstr(r1, "░░░░░░░░░░")); /* t1 waited first */
	assert_null(strstr(r1, "┈"));
	ui_membuf_free(s);
	s = draw_panel(&ui_panel_timeline, &f.snap, 4, 54, true);
	ui_membuf_row(s, 0, r0, sizeof r0);
	assert_non_null(strstr(r0, "~~~~~~~~~~"));
	ui_membuf_free(s);
	s = draw_panel(&ui_panel_meters, &f.snap, 2, 70, false);
	assert_true(screen_has(s, "gil  10% wait   0% io  90%"));
	assert_true(screen_has(s, "gil  49% wait  51% io   0%"));
	ui_membuf_free(s);
	s = draw_panel(&ui_panel_legend, &f.snap, 1, 200, false);
	assert_true(screen_has(s, "┈ in I/O (GIL released)"));
	ui_membuf_free(s);
}

/* Timing: wall, CPU, start-up, and speedup against a baseline. */
static void test_timing(void **state)
{
	(void)state;
	struct fixture f;
	fixture_fill(&f, BACKEND_PROCESS);
	struct ui_surface *s = ui_membuf_new(2, 80, false, true);
	struct run_snapshot base = {.backend = BACKEND_SERIAL, .state = RUN_DONE, .wall_s = 0.98};
	struct ui_panel p = {.ops = &ui_panel_timing, .s = s, .base = &base};
	p.ops->draw(&p, &f.snap, (struct ui_rect){0, 0, 2, 80});
	assert_true(screen_has(s, "wall 0.49 s"));
	assert_true(screen_has(s, "start-up 400 µs"));
	assert_true(screen_has(s, "speedup 2.00×"));
	assert_true(screen_has(s, "efficiency 100%"));
	assert_true(screen_has(s, "5/5 done"));
	ui_membuf_free(s);
}

/* A finished map on a machine other work kept busy: the timing panel says
 * so beside the speedup, in the words its width allows; a quiet one does not;
 * a busy baseline's line says so too. */
static void test_timing_busy(void **state)
{
	(void)state;
	struct fixture f;
	fixture_fill(&f, BACKEND_PROCESS);
	f.snap.machine = (struct machine_load){
	    .valid = true, .span_s = 1, .others_s = 0.8, .busy = 0.4, .cpus = 2};
	struct ui_surface *s = ui_membuf_new(3, 80, false, true);
	struct run_snapshot base = {.backend = BACKEND_SERIAL, .state = RUN_DONE, .wall_s = 0.98};
	struct ui_panel p = {.ops = &ui_panel_timing, .s = s, .base = &base};
	assert_int_equal(p.ops->want(&p, &f.snap, 80), 3);
	p.ops->draw(&p, &f.snap, (struct ui_rect){0, 0, 3, 80});
	assert_true(screen_has(s, "speedup 2.00×"));
	assert_true(screen_has(s, "the machine was 40% busy with other work: speedups are low"));
	ui_membuf_free(s);
	s = ui_membuf_new(4, 26, false, true);
	p.s = s;
	p.ops->draw(&p, &f.snap, (struct ui_rect){0, 0, 4, 26});
	assert_true(screen_has(s, "40% busy: speedup low"));
	ui_membuf_free(s);
	s = ui_membuf_new(1, 120, false, true);
	ui_baseline_draw(s, &f.snap, (struct ui_rect){0, 0, 1, 120});
	assert_true(screen_has(s, "the machine was 40% busy with other work"));
	ui_membuf_free(s);
	f.snap.machine.busy = 0.05; /* quiet: nothing said, no row taken */
	f.snap.machine.others_s = 0.1;
	s = ui_membuf_new(3, 80, false, true);
	p.s = s;
	assert_int_equal(p.ops->want(&p, &f.snap, 80), 2);
	p.ops->draw(&p, &f.snap, (struct ui_rect){0, 0, 3, 80});
	assert_false(screen_has_quiet(s, "busy"));
	ui_membuf_free(s);
	/* a row and its baseline each too short to judge: judged together */
	f.snap.machine = (struct machine_load){.span_s = 0.1, .others_s = 0.1, .cpus = 2};
	base.machine = (struct machine_load){.span_s = 0.15, .others_s = 0.15, .cpus = 2};
	s = ui_membuf_new(3, 80, false, true);
	p.s = s;
	assert_int_equal(p.ops->want(&p, &f.snap, 80), 3);
	p.ops->draw(&p, &f.snap, (struct ui_rect){0, 0, 3, 80});
	assert_true(screen_has(s, "the machine was 50% busy with other work: speedups are low"));
	ui_membuf_free(s);
	p.base = NULL; /* alone, the row is not judged */
	assert_int_equal(p.ops->want(&p, &f.snap, 80), 2);
}

/* The timeline keeps finished items' cells between frames: a live map drawn
 * as it grows (and a replay gone back) shows what a fresh draw shows. */
static void test_timeline_live_cache(void **state)
{
	(void)state;
	static struct fixture a, b; /* two maps: their own cache entries */
	char ra[512], rb[512];
	fixture_fill(&a, BACKEND_PROCESS);
	fixture_fill(&b, BACKEND_PROCESS);
	a.snap.t0_unix_s = 1000;
	b.snap.t0_unix_s = 2000;
	const size_t steps[] = {2, 3, 5, 1};
	for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
		size_t n = steps[k];
		struct fixture *fs[] = {&a, &b};
		for (int j = 0; j < 2; j++) {
			struct fixture *f = fs[j];
			f->snap.state = RUN_RUNNING;
			f->snap.now_s = 0.49;
			f->snap.n_order = n;
			f->snap.n_done = n;
			for (size_t i = 0; i < 5; i++)
				f->status[i] = i < n    ? ITEM_DONE
				               : i == n ? ITEM_RUNNING
				                        : ITEM_PENDING;
			fixture_pack(f);
			for (int w = 0; w < 2; w++)
				f->pw[w].cur_item = n < 5 && (int)(n % 2) == w ? (long)n : -1;
		}
		/* a is drawn at every step (its cache grows, then goes back); b is
		 * drawn fresh at this step only, under another t0 each time */
		b.snap.t0_unix_s = 2000 + (double)k;
		struct ui_surface *sa = draw_panel(&ui_panel_timeline, &a.snap, 3, 54, false);
		struct ui_surface *sb = draw_panel(&ui_panel_timeline, &b.snap, 3, 54, false);
		for (int r = 0; r < 3; r++) {
			ui_membuf_row(sa, r, ra, sizeof ra);
			ui_membuf_row(sb, r, rb, sizeof rb);
			assert_string_equal(ra, rb);
		}
		if (n == 3) /* item 3 running on w1 is drawn, item 4 pending is not */
			assert_true(screen_has(sa, "w1  "));
		ui_membuf_free(sa);
		ui_membuf_free(sb);
	}
}

/* Many items: the timeline found again when its axis steps (and when the map
 * ends) shows what placing every item anew shows, a worker a row or several. */
static void test_timeline_rebuild(void **state)
{
	(void)state;
	enum { N = 3000, W = 6 };
	static int64_t items[N];
	static uint8_t status[N];
	static struct item_event ev[N], ref_ev[N];
	static struct item_rec recs[N], ref_recs[N];
	static struct item_who who[FAKE_WHO_MAX], ref_who[FAKE_WHO_MAX];
	static uint32_t order[N];
	struct worker_snap pw[W];
	double t[W] = {0};
	unsigned seed = 7;
	for (size_t i = 0; i < N; i++) {
		int w = (int)(i % W);
		seed = seed * 1103515245u + 12345u;
		double d = 0.0001 + (double)(seed >> 16 & 1023) * 2e-6; /* 0.1 to 2.1 ms */
		if (i % 500 == 7)
			d = 0.05; /* now and then a long one, over several cells */
		ev[i] = (struct item_event){.worker = w, .start_s = t[w], .end_s = t[w] + d};
		t[w] += d;
		status[i] = i % 97 == 5 ? ITEM_FAILED : ITEM_DONE;
		order[i] = (uint32_t)i;
	}
	for (int w = 0; w < W; w++)
		pw[w] = (struct worker_snap){
		    .id = w, .pid = 100 + w, .state = WORKER_RUNNING, .cur_item = -1};
	struct run_snapshot snap = {.state = RUN_RUNNING,
	                            .backend = BACKEND_PROCESS,
	                            .workers = W,
	                            .per_worker = pw,
	                            .n_items = N,
	                            .items = items,
	                            .order = order,
	                            .t0_unix_s = 3000};
	fake_items_pack(&snap, status, ev, recs, who);
	const size_t done[] = {40, 700, 1500, 2200, 3000, 3000};
	const int widths[] = {54, 80, 33};
	const int heights[] = {8, 4};
	char ra[512], rb[512];
	for (size_t k = 0; k < sizeof done / sizeof done[0]; k++) {
		size_t n = done[k];
		bool over = k == sizeof done / sizeof done[0] - 1;
		double now = 0;
		for (size_t i = 0; i < n; i++)
			now = ev[i].end_s > now ? ev[i].end_s : now;
		snap.state = over ? RUN_DONE : RUN_RUNNING;
		snap.now_s = snap.wall_s = now;
		snap.n_order = n;
		snap.n_done = n; /* failed ones counted as done: the reference ignores it */
		/* the reference: only the finished items, placed anew in index order */
		struct run_snapshot ref = snap;
		for (size_t i = 0; i < N; i++)
			ref_ev[i] = i < n ? ev[i] : (struct item_event){.worker = -1};
		fake_items_pack(&ref, status, ref_ev, ref_recs, ref_who);
		ref.n_order = 0;
		for (size_t h = 0; h < sizeof heights / sizeof heights[0]; h++)
			for (size_t x = 0; x < sizeof widths / sizeof widths[0]; x++) {
				struct ui_surface *sa = draw_panel(&ui_panel_timeline, &snap,
				                                   heights[h], widths[x], false);
				struct ui_surface *sb = draw_panel(&ui_panel_timeline, &ref,
				                                   heights[h], widths[x], false);
				for (int r = 0; r < heights[h]; r++) {
					ui_membuf_row(sa, r, ra, sizeof ra);
					ui_membuf_row(sb, r, rb, sizeof rb);
					assert_string_equal(ra, rb);
				}
				ui_membuf_free(sa);
				ui_membuf_free(sb);
			}
	}
}

/* A finished map with more workers than cores: each meter shows its CPU from
 * the kernel over the wall time, and parallelism is CPU / wall, not the time
 * the workers spent inside items (which counts time waiting for a core). */
static void test_oversubscribed(void **state)
{
	(void)state;
	struct fixture f;
	fixture_fill(&f, BACKEND_PROCESS);
	for (int w = 0; w < 2; w++) {
		f.pw[w].busy_s = 0.45; /* in items nearly all the map... */
		f.pw[w].cpu_s = 0.12;  /* ...but on a core a quarter of it */
	}
	f.snap.cpu_s = 0.24;
	struct ui_surface *s = draw_panel(&ui_panel_meters, &f.snap, 2, 70, false);
	assert_true(screen_has(s, "24%"));
	assert_false(screen_has(s, "92%"));
	ui_membuf_free(s);
	s = ui_membuf_new(2, 80, false, true);
	struct ui_panel p = {.ops = &ui_panel_timing, .s = s};
	p.ops->draw(&p, &f.snap, (struct ui_rect){0, 0, 2, 80});
	assert_true(screen_has(s, "parallelism 0.49× (CPU/wall)"));
	ui_membuf_free(s);
}

/* The legend fits an 80-column terminal, down to its last entry. */
static void test_legend_80(void **state)
{
	(void)state;
	struct fixture f;
	fixture_fill(&f, BACKEND_PROCESS);
	struct ui_surface *s = draw_panel(&ui_panel_legend, &f.snap, 1, 80, false);
	assert_true(screen_has(s, "pending"));
	assert_true(screen_has(s, "w0"));
	ui_membuf_free(s);
	s = draw_panel(&ui_panel_legend, &f.snap, 1, 120, false);
	assert_true(screen_has(s, "waiting for GIL"));
	ui_membuf_free(s);
}

/* The ASCII fallback draws only ASCII, everywhere. */
static void test_ascii_only(void **state)
{
	(void)state;
	struct fixture f;
	fixture_fill(&f, BACKEND_GIL);
	f.status[1] = ITEM_FAILED;
	fixture_pack(&f);
	struct ui_surface *s = ui_membuf_new(30, 90, true, false);
	struct run_snapshot base = {.backend = BACKEND_SERIAL, .state = RUN_DONE, .wall_s = 1.0};
	ui_column_draw(s, &f.snap, BACKEND_GIL, 2, (struct ui_rect){0, 0, 28, 90}, &base);
	struct ui_panel p = {.ops = &ui_panel_legend, .s = s};
	p.ops->draw(&p, NULL, (struct ui_rect){29, 0, 1, 90});
	char *all = ui_membuf_text(s);
	assert_non_null(all);
	for (const char *c = all; *c; c++)
		assert_true((unsigned char)*c < 0x80);
	assert_non_null(strstr(all, "gil | threads + GIL | 2"));
	assert_non_null(strstr(all, "t0"));
	assert_non_null(strstr(all, "legend"));
	assert_non_null(strstr(all, "X failed"));
	free(all);
	ui_membuf_free(s);
}

/* Output: arrival order, worker first. */
static void test_output(void **state)
{
	(void)state;
	struct fixture f;
	fixture_fill(&f, BACKEND_PROCESS);
	struct ui_surface *s = draw_panel(&ui_panel_output, &f.snap, 3, 60, false);
	char row[256];
	ui_membuf_row(s, 1, row, sizeof row);
	assert_string_equal(row, "w1> Worker process is running.");
	ui_membuf_row(s, 2, row, sizeof row);
	assert_string_equal(row, "w0> second line");
	ui_membuf_free(s);
}

/* Text is clipped by display width, never through a wide character. */
static void test_clip_wide(void **state)
{
	(void)state;
	struct ui_surface *s = ui_membuf_new(1, 10, false, false);
	struct ui_rect clip = {0, 2, 1, 5};
	int cols = ui_put(s, &clip, 0, 2, 0, "日本語です");
	assert_int_equal(cols, 4);
	char row[64];
	ui_membuf_row(s, 0, row, sizeof row);
	assert_string_equal(row, "  日本");
	assert_int_equal(ui_text_width("a·b"), 3);
	ui_membuf_free(s);
}

/* A column fits any box without drawing outside it, down to nothing. */
static void test_column_small_boxes(void **state)
{
	(void)state;
	struct fixture f;
	fixture_fill(&f, BACKEND_PROCESS);
	for (int h = 0; h <= 12; h++)
		for (int w = 0; w <= 40; w += 3) {
			struct ui_surface *s = ui_membuf_new(14, 44, false, true);
			ui_column_draw(s, &f.snap, BACKEND_PROCESS, 2, (struct ui_rect){1, 2, h, w},
			               NULL);
			char row[512];
			ui_membuf_row(s, 0, row, sizeof row);
			assert_string_equal(row, "");
			ui_membuf_row(s, h + 1 < 14 ? h + 1 : 13, row, sizeof row);
			if (h + 1 < 14)
				assert_string_equal(row, "");
			ui_membuf_free(s);
		}
}

/* Replay: half-way through, the items not started are pending. */
static void test_replay(void **state)
{
	(void)state;
	struct fixture f;
	fixture_fill(&f, BACKEND_PROCESS);
	struct session_rec rec;
	assert_int_equal(session_rec_copy(&rec, &f.snap), 0);
	memset(&f, 0, sizeof f); /* the recording owns its copy */
	struct session_replay rp = {0};
	const struct run_snapshot *at;
	assert_int_equal(session_replay_at(&rec, 0.25, &rp, &at), 0);
	assert_int_equal(at->state, RUN_RUNNING);
	assert_int_equal(at->n_done, 2); /* items 0 (ends .09) and 1 (ends .19) */
	assert_int_equal(run_item_status(at, 2), ITEM_RUNNING);
	assert_int_equal(run_item_status(at, 4), ITEM_PENDING);
	assert_int_equal(at->n_output, 1);
	struct ui_surface *s = draw_panel(&ui_panel_results, at, 3, 60, false);
	assert_true(screen_has(s, "[1, 4, _, _, _]"));
	ui_membuf_free(s);
	assert_int_equal(session_replay_at(&rec, 1.0, &rp, &at), 0);
	assert_int_equal(at->state, RUN_DONE);
	s = draw_panel(&ui_panel_results, at, 3, 60, false);
	assert_true(screen_has(s, "[1, 4, 9, 16, 25]"));
	ui_membuf_free(s);
	session_replay_free(&rp);
	session_rec_free(&rec);
}

/* One Process joined 1.5 s after its start, seen at time t. */
struct proc_fixture {
	struct proc_demo_child c[4];
	struct output_line out[4];
	struct proc_demo_snap snap;
	struct ui_process_view v;
};

/* One Process of hello(1): started at 1 ms, exited at 3 ms, joined at 1.5 s. */
static void proc_fixture_one(struct proc_fixture *f, double t)
{
	memset(f, 0, sizeof *f);
	bool exited = t >= 0.003, joined = t >= 1.5;
	f->c[0] = (struct proc_demo_child){.item = 1,
	                                   .pid = 4242,
	                                   .state = joined   ? PROC_JOINED
	                                            : exited ? PROC_EXITED
	                                                     : PROC_RUNNING,
	                                   .proc_state = joined   ? 0
	                                                 : exited ? 'Z'
	                                                          : 'R',
	                                   .started_s = 0.001,
	                                   .ran_s = 0.002,
	                                   .exited_s = exited ? 0.003 : -1,
	                                   .joined_s = joined ? 1.5 : -1,
	                                   .reaped_s = joined ? 1.5 : -1};
	f->out[0] =
	    (struct output_line){.worker = 0, .t_s = 0.0025, .text = "Worker process is running."};
	f->snap = (struct proc_demo_snap){.parent_pid = 4200,
	                                  .now_s = t,
	                                  .output = f->out,
	                                  .n_output = t >= 0.0025,
	                                  .procs = f->c,
	                                  .n_procs = 1,
	                                  .joins = true,
	                                  .ended_s = joined ? 1.5 : -1};
	f->v =
	    (struct ui_process_view){.snap = &f->snap, .task_name = "hello", .run = 1, .runs = 1};
}

/* Draw the process panel of f into a fresh buffer. */
static struct ui_surface *draw_process(const struct ui_process_view *v, int h, int w, bool ascii)
{
	struct ui_surface *s = ui_membuf_new(h, w, ascii, true);
	assert_non_null(s);
	struct ui_panel p = {.ops = &ui_panel_process, .s = s, .data = v};
	assert_true(p.ops->want(&p, NULL, w) > 3);
	p.ops->draw(&p, NULL, (struct ui_rect){0, 0, h, w});
	return s;
}

/* Row of s holding text, -1 if none. */
static int screen_row_of(struct ui_surface *s, const char *text, char *row, size_t size)
{
	for (int y = 0; y < s->h; y++) {
		ui_membuf_row(s, y, row, size);
		if (strstr(row, text))
			return y;
	}
	return -1;
}

/* A Process's life: running with its pid, a long zombie until join(), joined. */
static void test_process_one(void **state)
{
	(void)state;
	struct proc_fixture f;
	char row[512];
	/* running: its pid and R, no exit code yet */
	proc_fixture_one(&f, 0.002);
	struct ui_surface *s = draw_process(&f.v, 20, 80, false);
	assert_true(screen_has(s, "p = Process(target=hello, args=(1,)); p.start(); p.join()"));
	assert_true(screen_has(s, "pid 4242"));
	assert_true(screen_has(s, "running R"));
	assert_true(screen_has(s, "fork() → child pid 4242 (its parent: 4200)"));
	assert_false(screen_has_quiet(s, "zombie"));
	ui_membuf_free(s);
	/* exited, not joined, most of the way to the join: the zombie fills the lifeline */
	proc_fixture_one(&f, 1.2);
	s = draw_process(&f.v, 20, 80, false);
	assert_true(screen_has(s, "zombie Z · exit 0"));
	assert_true(screen_has(s, "not joined yet"));
	assert_true(screen_has(s, "Worker process is running."));
	int y = screen_row_of(s, "pid 4242", row, sizeof row);
	assert_true(y >= 0);
	int z = 0;
	for (const char *p = row; (p = strstr(p, "▒")); p += 3)
		z++;
	assert_true(z >= 20); /* the zombie phase is visibly long */
	assert_int_equal(UI_COLOR_OF(ui_membuf_attr(s, y, 40)), UI_C_WARN);
	ui_membuf_free(s);
	/* joined: exit code 0, the join marker, and the story's last step */
	proc_fixture_one(&f, 1.6);
	s = draw_process(&f.v, 20, 80, false);
	assert_true(screen_has(s, "joined · exit 0"));
	assert_true(screen_has(s, "p.join() reaps it: p.exitcode = 0"));
	assert_false(screen_has_quiet(s, "zombie Z"));
	ui_membuf_free(s);
	/* ASCII: the same words, ASCII glyphs */
	proc_fixture_one(&f, 1.2);
	s = draw_process(&f.v, 20, 80, true);
	assert_true(screen_has(s, "zombie Z | exit 0"));
	assert_true(screen_has(s, "zzzz"));
	ui_membuf_free(s);
}

/* Four Processes never joined: a row each, the output in the order written,
 * and the tally of orders over --repeat with counts that add up. */
static void test_process_loop_tally(void **state)
{
	(void)state;
	struct proc_fixture f;
	memset(&f, 0, sizeof f);
	static const char *const text[4] = {"1", "0", "2", "3"};
	for (int k = 0; k < 4; k++) {
		f.c[k] = (struct proc_demo_child){.item = k,
		                                  .pid = 5000 + k,
		                                  .state = PROC_REAPED,
		                                  .started_s = 0.0002 * k,
		                                  .ran_s = 0.0002 * k + 0.0001,
		                                  .exited_s = 0.0002 * k + 0.0003,
		                                  .joined_s = -1,
		                                  .reaped_s = 0.0015};
		f.out[k] =
		    (struct output_line){.worker = 0, .t_s = 0.0004 + 0.0001 * k, .text = text[k]};
	}
	f.c[2].exit_code = -9;
	f.snap = (struct proc_demo_snap){.parent_pid = 4200,
	                                 .now_s = 0.0016,
	                                 .output = f.out,
	                                 .n_output = 4,
	                                 .procs = f.c,
	                                 .n_procs = 4,
	                                 .joins = false,
	                                 .ended_s = 0.0016};
	struct ui_order_count oc[3] = {{"0 1 2 3", 2}, {"1 0 2 3", 5}, {"1 3 0 2", 3}};
	f.v = (struct ui_process_view){.snap = &f.snap,
	                               .task_name = "print",
	                               .run = 10,
	                               .runs = 10,
	                               .orders = oc,
	                               .n_orders = 3};
	struct ui_surface *s = draw_process(&f.v, 30, 90, false);
	assert_true(
	    screen_has(s, "for i in [0, 1, 2, 3]: Process(target=print, args=(i,)).start()"));
	assert_true(screen_has(s, "never joined"));
	char row[512];
	for (int k = 0; k < 4; k++) {
		char pid[32];
		snprintf(pid, sizeof pid, "pid %d", 5000 + k);
		assert_true(screen_row_of(s, pid, row, sizeof row) >= 0);
		assert_non_null(strstr(row, k == 2 ? "killed (signal 9)" : "reaped · exit 0"));
	}
	/* the output in the order written: 1 before 0 */
	int y1 = screen_row_of(s, "400 µs  1", row, sizeof row);
	int y0 = screen_row_of(s, "500 µs  0", row, sizeof row);
	assert_true(y1 >= 0 && y0 == y1 + 1);
	/* the tally, most frequent first, counts adding to 10 */
	assert_true(screen_has(s, "output orders seen in 10 of 10 runs"));
	int yt = screen_row_of(s, "1 0 2 3  ×5", row, sizeof row);
	assert_true(yt >= 0);
	assert_true(screen_row_of(s, "1 3 0 2  ×3", row, sizeof row) == yt + 1);
	assert_true(screen_row_of(s, "0 1 2 3  ×2", row, sizeof row) == yt + 2);
	ui_membuf_free(s);
	/* narrow: the tally goes on one row */
	s = draw_process(&f.v, 9, 60, false);
	assert_true(screen_has(s, "1 0 2 3 ×5 · 1 3 0 2 ×3 · 0 1 2 3 ×2"));
	ui_membuf_free(s);
}

/* A box title too long for its edge is cut with an ellipsis, not mid-word bare. */
static void test_title_cut(void **state)
{
	(void)state;
	struct ui_surface *s = ui_membuf_new(3, 24, false, true);
	ui_box(s, (struct ui_rect){0, 0, 3, 24}, "Lesson 2/9 · Threads vs processes", UI_BOLD);
	char row[256];
	ui_membuf_row(s, 0, row, sizeof row);
	assert_string_equal(row, "┌ Lesson 2/9 · Thread… ┐");
	ui_membuf_free(s);
	s = ui_membuf_new(3, 24, true, true);
	ui_box(s, (struct ui_rect){0, 0, 3, 24}, "Lesson 2/9 - Threads vs processes", UI_BOLD);
	ui_membuf_row(s, 0, row, sizeof row);
	assert_string_equal(row, "+ Lesson 2/9 - Thre... +");
	ui_membuf_free(s);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_results_pylist),
	    cmocka_unit_test(test_results_long_cut),
	    cmocka_unit_test(test_results_wrapped_workers),
	    cmocka_unit_test(test_results_failed_pending),
	    cmocka_unit_test(test_meters),
	    cmocka_unit_test(test_meters_columns),
	    cmocka_unit_test(test_meters_sampled),
	    cmocka_unit_test(test_timeline),
	    cmocka_unit_test(test_gil_io),
	    cmocka_unit_test(test_timing),
	    cmocka_unit_test(test_timing_busy),
	    cmocka_unit_test(test_timeline_live_cache),
	    cmocka_unit_test(test_timeline_rebuild),
	    cmocka_unit_test(test_oversubscribed),
	    cmocka_unit_test(test_legend_80),
	    cmocka_unit_test(test_ascii_only),
	    cmocka_unit_test(test_output),
	    cmocka_unit_test(test_clip_wide),
	    cmocka_unit_test(test_column_small_boxes),
	    cmocka_unit_test(test_replay),
	    cmocka_unit_test(test_process_one),
	    cmocka_unit_test(test_process_loop_tally),
	    cmocka_unit_test(test_title_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
