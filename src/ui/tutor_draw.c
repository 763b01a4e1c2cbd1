/*
 * tutor_draw.c — the tutor's screen: its layout (the lesson pane, the run
 * side, the legend, the message and key lines, the prompt) and the drawing
 * of what the state holds — the session's rows as columns (a compare: a
 * baseline line for each family's serial row and a column for every other
 * row, side by side when wide enough, stacked otherwise), a sweep's chart,
 * the Process demo,
 * an overlay of a command's output. Draws into the surface, never into the
 * terminal; the loop (tutor.c) flushes it.
 */
#include <stdio.h>
#include <string.h>

#include "engine/task.h"
#include "ui/panel.h"
#include "ui/pyrunpanel.h"
#include "ui/tutor_priv.h"
#include "ui/ui.h"

/* --- drawing ------------------------------------------------------------------ */

/* Row i's snapshot to draw now: replayed, live or recorded. */
static const struct run_snapshot *tutor_row_snap(struct tutor *t, size_t i, double tmap)
{
	return t->replaying ? session_row_at(t->ss, i, tmap) : session_row_snap(t->ss, i);
}

/* Whether the view is a compare's. */
static bool tutor_comparing(const struct tutor *t)
{
	return t->ss && session_kind(t->ss) == RUNKIND_COMPARE;
}

/* Whether row i of a compare is drawn as a column: every row that is no
 * family's serial baseline (those are one line each above the columns); a
 * compare of baselines only draws them as columns. */
static bool tutor_row_is_column(const struct tutor *t, size_t i)
{
	size_t n = session_n_rows(t->ss), serial = 0;
	for (size_t k = 0; k < n; k++)
		serial += session_row(t->ss, k)->info->serial;
	return serial == n || !session_row(t->ss, i)->info->serial;
}

/* How many columns the compare lays out (at least 1). */
static int tutor_compare_cols(const struct tutor *t)
{
	int cols = 0;
	for (size_t i = 0; tutor_comparing(t) && i < session_n_rows(t->ss); i++)
		cols += tutor_row_is_column(t, i);
	return cols > 0 ? cols : 1;
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
		snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1),
		         p);
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
		ui_putf(s, NULL, r.y + r.h - 1, r.x + 2, UI_DIM, " %s more not shown ",
		        s->g->ellipsis);
}

/* Nothing has run yet: what to type. */
static void tutor_draw_empty(struct tutor *t, struct ui_rect r)
{
	struct ui_surface *s = t->s;
	ui_clear(s, r);
	ui_box(s, r, "runs", UI_BOLD | UI_COLOR(UI_C_TITLE));
	struct ui_rect in = {r.y + 2, r.x + 2, r.h - 3, r.w - 4};
	/* short lines: the column is about 44 wide at 80x24 */
	ui_put(s, &in, in.y, in.x, 0, "Nothing has run yet.");
	ui_putf(s, &in, in.y + 1, in.x, 0, "Press Enter to run the %s command of the", s->g->run);
	ui_put(s, &in, in.y + 2, in.x, 0, "lesson, or type one at the prompt, like");
	ui_put(s, &in, in.y + 4, in.x + 2, UI_BOLD, "run square 1..5 -w 4");
	ui_put(s, &in, in.y + 5, in.x + 2, UI_BOLD, "compare primes 8x300000 -w 2");
	ui_put(s, &in, in.y + 7, in.x, UI_DIM, "tasks lists what can run;");
	ui_put(s, &in, in.y + 8, in.x, UI_DIM, "help lists the commands.");
}

/* The process command's column: the demo live, replayed or recorded, and the tally. */
static void tutor_draw_process(struct tutor *t, struct ui_rect r, double tmap)
{
	const struct session_orders *o = session_orders(t->ss);
	const struct session_demo *dm = session_demo(t->ss);
	struct ui_order_count oc[TUTOR_ORDERS];
	char texts[TUTOR_ORDERS][64];
	int n = 0;
	for (size_t i = 0; i < o->n_orders && n < TUTOR_ORDERS; i++, n++) {
		session_order_text(&o->orders[i], texts[n], sizeof texts[n]);
		oc[n] = (struct ui_order_count){.text = texts[n], .count = o->orders[i].count};
	}
	int run, runs = session_repeat(t->ss, &run);
	struct ui_process_view v = {
	    .task_name = session_request(t->ss)->task->name,
	    .run = run,
	    .runs = runs,
	    .orders = oc,
	    .n_orders = n,
	    .cancelled = dm->cancelled && !tutor_busy(t),
	    .snap = session_demo_snap(t->ss),
	};
	struct proc_demo_snap at; /* a replayed moment: the recording seen at tmap */
	if (!tutor_busy(t) && t->replaying && dm->has_rec && tmap < dm->rec.snap.now_s &&
	    session_demo_at(t->ss, tmap, &at) == 0) {
		v.snap = &at;
		v.cancelled = false;
	}
	ui_process_column_draw(t->s, &v, r);
}

/* The run side: one column; or a compare's baseline lines and a column for
 * each other row, side by side when wide enough, else stacked. */
static void tutor_draw_runs(struct tutor *t, struct ui_rect r)
{
	struct ui_surface *s = t->s;
	double tmap = t->replaying ? tutor_replay_time(t) : 0;
	if (t->py || (t->ex_watch && !t->ss)) {
		char note[4200];
		size_t cur = t->py ? pyjob_current(t->py) : 0;
		struct ui_pyrun_view v = {.snap = t->py ? pyjob_snap(t->py, cur) : NULL,
		                          .title = t->py_title,
		                          .have_verdict = t->py_is_check && t->ex_have_verdict,
		                          .passed = t->ex_passed,
		                          .verdict = t->ex_verdict};
		if (t->py && t->py_is_check)
			snprintf(note, sizeof note, "%s (%zu of 2) %s %s", pyjob_label(t->py, cur),
			         cur + 1, s->g->dot, t->ex_path);
		else if (!t->py)
			snprintf(note, sizeof note, "watching %s: save it to run and check it",
			         t->ex_path);
		else
			note[0] = 0;
		v.note = note[0] ? note : NULL;
		ui_pyrun_draw(s, &v, r);
		return;
	}
	if (!t->ss) {
		tutor_draw_empty(t, r);
		return;
	}
	if (session_kind(t->ss) == RUNKIND_PROCESS) {
		tutor_draw_process(t, r, tmap);
		return;
	}
	if (session_kind(t->ss) == RUNKIND_SWEEP) { /* the chart, a point more each map */
		struct sweep_report at;             /* replayed: the points measured by tmap */
		int going;
		if (t->replaying && session_sweep_at(t->ss, tmap, &at, &going) == 0) {
			ui_sweep_chart_draw(s, &at, session_request(t->ss), going, r);
			sweep_report_free(&at);
		} else {
			ui_sweep_chart_draw(s, session_sweep(t->ss), session_request(t->ss),
			                    session_active_row(t->ss), r);
		}
		return;
	}
	size_t n = session_n_rows(t->ss);
	int cols = tutor_compare_cols(t), lines = 0;
	for (size_t i = 0; tutor_comparing(t) && i < n; i++)
		if (!tutor_row_is_column(t, i)) /* a baseline's line */
			ui_baseline_draw(s, tutor_row_snap(t, i, tmap),
			                 (struct ui_rect){r.y + lines++, r.x + 1, 1, r.w - 1});
	struct ui_rect area = {r.y + lines, r.x, r.h - lines, r.w};
	bool side = area.w / cols >= 26;
	int c = 0;
	for (size_t i = 0; i < n; i++) {
		if (tutor_comparing(t) && !tutor_row_is_column(t, i))
			continue;
		struct ui_rect box = ui_rect_slice(area, cols, c, side);
		c++;
		const struct session_row *row = session_row(t->ss, i);
		const struct session_row *base =
		    tutor_comparing(t) ? session_baseline(t->ss, i) : NULL;
		const struct run_snapshot *bs =
		    base && base != row && base->has_rec ? &base->rec.snap : NULL;
		ui_column_draw(s, tutor_row_snap(t, i, tmap), row->backend, row->spec.workers, box,
		               bs);
	}
}

/* What the page's hidden rest waits for: an answer, or the run. */
static const char *tutor_more_note(const struct tutor *t)
{
	struct walker_step st;
	walker_step(t->w, &st);
	return st.kind == WALK_RUN ? "more of this page after the run"
	                           : "more of this page after you answer";
}

/* The whole screen; returns the cursor column on the prompt row. */
int tutor_draw(struct tutor *t)
{
	struct ui_surface *s = t->s;
	int H = s->h, W = s->w;
	ui_clear(s, (struct ui_rect){0, 0, H, W});
	if (W < TUTOR_MIN_W || H < TUTOR_MIN_H) {
		char note[96];
		snprintf(note, sizeof note, "terminal too small (need %dx%d, have %dx%d)",
		         TUTOR_MIN_W, TUTOR_MIN_H, W, H);
		int x = (W - ui_text_width(note)) / 2;
		ui_put(s, NULL, H / 2, x > 0 ? x : 0, UI_BOLD | UI_REVERSE, note);
		if (H / 2 + 1 < H)
			ui_put(s, NULL, H / 2 + 1, 0, UI_DIM, "q quits, or make the window larger");
		return -1;
	}
	int main_h = H - 3;
	/* the lesson pane: its layout is lesson_pane_layout's (page fit uses it too) */
	struct lesson_pane pane =
	    lesson_pane_layout(W, H, tutor_comparing(t) ? tutor_compare_cols(t) : 0);
	int lw = pane.width;
	/* the lesson */
	struct ui_lesson_view v = {.next_block = tutor_next_block(t), .scroll = t->pos.scroll};
	char title[256], label[64];
	const struct lesson *l = tutor_lesson(t);
	int pw = pane.text_w;
	if (l) {
		struct walker_place at = walker_place(t->w);
		snprintf(title, sizeof title, "Lesson %d/%zu %s %s", at.lesson + 1,
		         t->course.n_lessons, s->g->dot, l->title ? l->title : l->name);
		struct lesson_checkpoints ck;
		progress_checkpoints(walker_progress(t->w), l, &ck);
		if (ck.skipped)
			snprintf(label, sizeof label, "page %d/%zu %s %d skipped", at.page + 1,
			         l->n_pages, s->g->dot, ck.skipped);
		else
			snprintf(label, sizeof label, "page %d/%zu", at.page + 1, l->n_pages);
		v.title = title;
		v.page_label = label;
		const struct lesson_page *pg = tutor_page(t);
		int shown = walker_visible_blocks(t->w);
		if (pg && (!t->have_page_r || t->page_w != pw || t->page_lesson != at.lesson ||
		           t->page_page != at.page || t->page_shown != shown)) {
			if (t->have_page_r)
				lrender_free(&t->page_r);
			t->have_page_r =
			    lesson_render_blocks(pg, (size_t)shown, pw, &t->page_r) == 0;
			t->page_w = pw;
			t->page_lesson = at.lesson;
			t->page_page = at.page;
			t->page_shown = shown;
		}
		if (pg && (size_t)shown < pg->n_blocks)
			v.more_note = tutor_more_note(t);
		v.page = t->have_page_r ? &t->page_r : NULL;
		if (!pg)
			v.empty_msg = "this lesson has no pages";
		if (v.page && t->pos.scroll > (int)v.page->n_lines - 1)
			t->pos.scroll = v.scroll =
			    v.page->n_lines > 0 ? (int)v.page->n_lines - 1 : 0;
		/* when the next step changes, scroll it into view (PgUp/PgDn rule otherwise) */
		long key = ((long)at.lesson * 1000 + at.page) * 1000 + v.next_block + 1;
		if (v.page && key != t->shown_key) {
			t->shown_key = key;
			int rows = pane.rows;
			for (size_t i = 0; v.next_block >= 0 && i < v.page->n_lines; i++)
				if (v.page->lines[i].block == v.next_block) {
					if ((int)i < t->pos.scroll ||
					    (int)i >= t->pos.scroll + rows - 2)
						t->pos.scroll =
						    (int)i > rows / 2 ? (int)i - rows / 2 : 0;
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
	bool process = t->ss && session_kind(t->ss) == RUNKIND_PROCESS;
	int most = 0; /* the most workers of a row: their colours in the legend */
	for (size_t i = 0; t->ss && i < session_n_rows(t->ss); i++)
		if (session_row(t->ss, i)->spec.workers > most)
			most = session_row(t->ss, i)->spec.workers;
	struct ui_panel lg = {.ops = process ? &ui_panel_legend_process : &ui_panel_legend,
	                      .s = s,
	                      .data = most > 0 && !process ? &most : NULL};
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
