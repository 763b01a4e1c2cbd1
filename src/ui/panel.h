/*
 * panel.h — the tutor's panels as an ops table (htop's MeterClass, ncdu's
 * x_draw): meters, timeline, timing, results, output, legend and lesson. A
 * panel draws a run snapshot into a box of a surface and never touches the
 * terminal, so every panel is drawn the same way into curses or into the
 * test's cell buffer. Also here: a recorded run (a deep copy of a finished
 * run's last snapshot) and the replay of it at any moment of its map.
 *
 * Contract: draw() may be given a NULL snapshot (the backend has not run
 * yet) and any box, down to zero rows; it draws only inside the box.
 */
#ifndef MPTUTOR_UI_PANEL_H
#define MPTUTOR_UI_PANEL_H

#include "engine/engine.h"
#include "session/sweep.h"
#include "ui/surface.h"

struct lrender;

/* A panel instance: its kind and what it draws with. */
struct ui_panel {
	const struct ui_panel_ops *ops;
	struct ui_surface *s; /* where it draws */
	const struct run_snapshot
	    *base;        /* the family's serial run, finished (speedup); NULL none */
	const void *data; /* kind-specific (lesson: struct ui_lesson_view) */
};

/* One kind of panel. */
struct ui_panel_ops {
	const char *name; /* "meters" */
	/* Rows it would like at width w (0: nothing to show). */
	int (*want)(const struct ui_panel *p, const struct run_snapshot *snap, int w);
	/* Draw into box. */
	void (*draw)(const struct ui_panel *p, const struct run_snapshot *snap, struct ui_rect box);
};

extern const struct ui_panel_ops ui_panel_meters; /* per-worker CPU, core, state, tasks, GIL */
extern const struct ui_panel_ops
    ui_panel_timeline;                             /* items per worker across the map's wall time */
extern const struct ui_panel_ops ui_panel_timing;  /* wall, CPU, speedup, efficiency, start-up */
extern const struct ui_panel_ops ui_panel_results; /* the list as Python prints it, by worker */
extern const struct ui_panel_ops ui_panel_output;  /* workers' captured output, arrival order */
extern const struct ui_panel_ops ui_panel_legend;  /* what each glyph and colour means */
extern const struct ui_panel_ops ui_panel_lesson;  /* the lesson page (lessonpane.c) */
extern const struct ui_panel_ops ui_panel_process; /* Processes' lives (procpanel.c; data) */
extern const struct ui_panel_ops ui_panel_legend_process; /* the lifeline's glyphs */

/* A panel's want() for panels that are always one row (the legends). */
int ui_panel_want_one_row(const struct ui_panel *p, const struct run_snapshot *snap, int w);

/* What the lesson panel draws (data of ui_panel_lesson). */
struct ui_lesson_view {
	const char *title;          /* "Lesson 2/9 · Processes vs threads" */
	const struct lrender *page; /* rendered page, or NULL */
	const char *empty_msg;      /* shown when page is NULL */
	int scroll;                 /* first line shown */
	int next_block;             /* block index of the next runnable block, -1 none */
	const char *page_label;     /* "page 1/3" */
	const char *more_note;      /* the page's rest waits (no spoilers): said after its last
	                               line, or NULL */
};

/* An output order seen over `process ... --repeat N`, and how often. */
struct ui_order_count {
	const char *text; /* "0 1 2 3" */
	int count;        /* runs that printed in this order */
};

/* What the process panel draws (data of ui_panel_process; its snapshot is NULL). */
struct ui_process_view {
	const struct proc_demo_snap
	    *snap;             /* live, recorded or replayed (now_s: the moment shown) */
	const char *task_name; /* "hello" */
	int run, runs;         /* --repeat: this run (1-based) of runs; runs 1: none */
	const struct ui_order_count *orders; /* [n_orders] distinct orders of the runs done */
	int n_orders;
	bool cancelled; /* Ctrl-C killed the children (then reaped) */
};

/* The process command's column: a titled box, the lifelines, stdout, the tally. */
void ui_process_column_draw(struct ui_surface *s, const struct ui_process_view *v,
                            struct ui_rect box);

/* Draw one backend's column: a box titled with the backend, the panels inside.
 * snap NULL: "waiting" (compare has not reached this backend yet); base: its
 * family's serial run, finished, for the speedup (NULL: none). */
void ui_column_draw(struct ui_surface *s, const struct run_snapshot *snap, enum backend_kind kind,
                    int workers, struct ui_rect box, const struct run_snapshot *base);
/* A sweep's chart (sweepchart.c): speedup against workers, the ideal, each
 * backend's points and Amdahl fit, the CPUs marked, the fit in words below;
 * going is the point whose map runs now (-1 none). */
void ui_sweep_chart_draw(struct ui_surface *s, const struct sweep_report *r,
                         const struct run_request *req, int going, struct ui_rect box);
/* A load that spoils speedups in the longest words that fit width columns
 * (the whole note, "machine 40% busy: speedup low", "40% busy: speedup low",
 * "40% busy"; plural: "speedups", for a baseline or a title), into buf. */
const char *ui_busy_words(const struct machine_load *l, int width, bool plural, char *buf,
                          size_t len);
/* The serial baseline's figures in one row (compare). */
void ui_baseline_draw(struct ui_surface *s, const struct run_snapshot *snap, struct ui_rect box);

/* Attribute of worker w (its colour; bold every other one in monochrome). */
unsigned ui_worker_attr(const struct ui_surface *s, int w);
/* Seconds as a short human figure: "412 µs", "3.1 ms", "0.41 s". */
void ui_fmt_secs(char *buf, size_t size, double s, bool ascii);
/* Short backend name for titles ("process", "thread", "gil", "serial"). */
const char *ui_backend_label(enum backend_kind kind);

#endif
