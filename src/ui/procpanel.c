/*
 * procpanel.c — the `process` command's panel: Processes, not a pool, and
 * their lives drawn as they happen. One row per Process: its args, its pid
 * and a lifeline across time — created, running, exited but not joined (a
 * zombie: Z in ps), then joined (or reaped by mptutor at the end) — then,
 * for one Process, its story step by step; the one stdout pipe they share,
 * in the order the lines were written; and over --repeat, the output orders
 * seen and how often. Every phase is read from timestamps against the
 * snapshot's now_s, so a replayed moment draws exactly as it looked live.
 */
#include "ui/panel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/task.h"

#define PROC_LABEL_W 20  /* "p0 (1,)  pid 41210 " before the lifeline */
#define PROC_TAIL_W 20   /* "zombie Z · exit 0" after it */
#define PROC_STORY_MAX 6 /* lines of one Process's story */

/* A Process's phase at time t, from its timestamps. */
static enum proc_demo_state proc_phase(const struct proc_demo_child *c, double t)
{
	if (c->started_s < 0 || c->started_s > t)
		return PROC_CREATED;
	if (c->exited_s < 0 || c->exited_s > t)
		return PROC_RUNNING;
	if (c->reaped_s < 0 || c->reaped_s > t)
		return PROC_EXITED;
	return c->joined_s >= 0 ? PROC_JOINED : PROC_REAPED;
}

/* The kernel's state letter, when the snapshot's moment is the live one. */
static char proc_letter(const struct proc_demo_child *c, enum proc_demo_state ph)
{
	if (c->state != ph || !c->proc_state)
		return 0;
	return c->proc_state;
}

/* "exit 0", or "killed by signal 9". */
static void proc_exit_text(char *buf, size_t size, int code)
{
	if (code < 0)
		snprintf(buf, size, "killed (signal %d)", -code);
	else
		snprintf(buf, size, "exit %d", code);
}

/* The rows the panel would like: header, lifelines, axis, story, output, tally. */
static int process_want(const struct ui_panel *p, const struct run_snapshot *snap, int w)
{
	const struct ui_process_view *v = p->data;
	(void)snap;
	(void)w;
	if (!v || !v->snap)
		return 0;
	const struct proc_demo_snap *d = v->snap;
	int rows = 2 + (int)d->n_procs + 1;
	if (d->n_procs == 1)
		rows += 1 + PROC_STORY_MAX;
	rows += d->n_output ? 2 + (int)d->n_output : 0;
	if (v->runs > 1)
		rows += 2 + v->n_orders;
	return rows;
}

/* Cell column of time t on a lifeline of cw cells over [0, span]. */
static int proc_col(double t, double span, int cw)
{
	if (t <= 0 || span <= 0)
		return 0;
	int c = (int)(t / span * cw);
	return c < cw ? c : cw;
}

/* Fill cells [a, b) of a lifeline with a glyph. */
static void proc_fill(struct ui_surface *s, const struct ui_rect *clip, int y, int x0, int a, int b,
                      unsigned attr, const char *glyph)
{
	for (int c = a; c < b; c++)
		ui_put(s, clip, y, x0 + c, attr, glyph);
}

/* A word written over a long enough segment [a, b) of a lifeline. */
static void proc_word(struct ui_surface *s, const struct ui_rect *clip, int y, int x0, int a, int b,
                      unsigned attr, const char *word)
{
	int w = ui_text_width(word);
	if (b - a >= w + 4)
		ui_put(s, clip, y, x0 + a + 1, attr, word);
}

/* One Process's row (row.h lines tall, for a projector): label, pid, lifeline, phase. */
static void proc_row(struct ui_surface *s, const struct proc_demo_snap *d, size_t k, double span,
                     struct ui_rect box)
{
	struct ui_rect row = {box.y + (box.h - 1) / 2, box.x, 1, box.w}; /* the middle line */
	const struct ui_glyphs *g = s->g;
	const struct proc_demo_child *c = &d->procs[k];
	double t = d->now_s;
	enum proc_demo_state ph = proc_phase(c, t);
	unsigned wa = ui_worker_attr(s, (int)k);
	bool narrow = row.w < 60;
	int label = narrow ? 11 : PROC_LABEL_W, tail = narrow ? 18 : PROC_TAIL_W;
	int cw = row.w - label - tail;
	int x = row.x;
	x += ui_putf(s, &row, row.y, x, wa | UI_BOLD, "p%zu", k);
	if (!narrow)
		ui_putf(s, &row, row.y, x, 0, " (%lld,)", (long long)c->item);
	x = row.x + (narrow ? 3 : 9);
	if (ph >= PROC_RUNNING && c->pid > 0)
		ui_putf(s, &row, row.y, x, UI_DIM, narrow ? "%d" : "pid %d", (int)c->pid);
	else
		ui_put(s, &row, row.y, x, UI_DIM, narrow ? "-" : "no pid");
	int x0 = row.x + label;
	if (cw >= 4) {
		int cn = proc_col(t, span, cw); /* now */
		if (cn >= cw)
			cn = cw - 1;
		int cs = ph >= PROC_RUNNING ? proc_col(c->started_s, span, cw) : cn + 1;
		int ce = ph >= PROC_EXITED ? proc_col(c->exited_s, span, cw) : cn + 1;
		int cr = ph >= PROC_JOINED ? proc_col(c->reaped_s, span, cw) : cn + 1;
		/* every phase it went through keeps at least one cell */
		if (cs > cn + 1)
			cs = cn + 1;
		if (ph >= PROC_RUNNING && ce <= cs)
			ce = cs + 1;
		if (ph >= PROC_EXITED && cr <= ce)
			cr = ce + 1;
		if (ce > cw)
			ce = cw;
		if (cr > cw)
			cr = cw;
		for (int y = box.y; y < box.y + box.h; y++) {
			bool mid = y == row.y;
			proc_fill(s, &box, y, x0, 0, cs < cw ? cs : cw, UI_DIM, mid ? g->dot : " ");
			proc_fill(s, &box, y, x0, cs, ce, wa, g->busy);
			proc_fill(s, &box, y, x0, ce, cr, UI_COLOR(UI_C_WARN) | UI_BOLD, g->zombie);
			if (ph >= PROC_JOINED && cr < cw)
				ui_put(s, &box, y, x0 + cr, UI_BOLD | UI_COLOR(UI_C_OK), g->vline);
		}
		proc_word(s, &row, row.y, x0, cs, ce, UI_REVERSE | wa, "running");
		proc_word(s, &row, row.y, x0, ce, cr, UI_COLOR(UI_C_WARN) | UI_BOLD | UI_REVERSE,
		          "zombie");
	}
	/* the phase now, in words */
	char buf[64], ex[32];
	char letter = proc_letter(c, ph);
	unsigned a = 0;
	proc_exit_text(ex, sizeof ex, c->exit_code);
	if (d->python != NULL && ph == PROC_EXITED) /* its parent reads the status at join() */
		snprintf(ex, sizeof ex, "exit ?");
	switch (ph) {
	case PROC_CREATED:
		snprintf(buf, sizeof buf, "created");
		a = UI_DIM;
		break;
	case PROC_RUNNING:
		snprintf(buf, sizeof buf, letter ? "running %c" : "running", letter);
		a = UI_BOLD | wa;
		break;
	case PROC_EXITED:
		if (letter)
			snprintf(buf, sizeof buf, "zombie %c %s %s", letter, g->dot, ex);
		else
			snprintf(buf, sizeof buf, "zombie %s %s", g->dot, ex);
		a = UI_BOLD | UI_COLOR(UI_C_WARN);
		break;
	case PROC_JOINED:
		if (c->exit_code <
		    0) /* "killed (signal 9)" says enough; the marker shows the join */
			snprintf(buf, sizeof buf, "%s", ex);
		else
			snprintf(buf, sizeof buf, "joined %s %s", g->dot, ex);
		a = UI_BOLD | UI_COLOR(c->exit_code ? UI_C_ERR : UI_C_OK);
		break;
	case PROC_REAPED:
		if (c->exit_code < 0)
			snprintf(buf, sizeof buf, "%s", ex);
		else
			snprintf(buf, sizeof buf, "reaped %s %s", g->dot, ex);
		a = c->exit_code ? UI_BOLD | UI_COLOR(UI_C_ERR) : 0;
		break;
	}
	ui_put(s, &row, row.y, row.x + row.w - tail + 1, a, buf);
}

/* One Process's story, a line per step that has happened by now. */
static int proc_story(struct ui_surface *s, const struct ui_process_view *v, struct ui_rect box)
{
	const struct proc_demo_snap *d = v->snap;
	const struct proc_demo_child *c = &d->procs[0];
	const struct ui_glyphs *g = s->g;
	bool ascii = g == &ui_glyphs_ascii;
	double t = d->now_s;
	enum proc_demo_state ph = proc_phase(c, t);
	const char *task = v->task_name ? v->task_name : "worker";
	char lines[PROC_STORY_MAX][160], ex[32];
	double at[PROC_STORY_MAX];
	unsigned attr[PROC_STORY_MAX];
	int n = 0;
	proc_exit_text(ex, sizeof ex, c->exit_code);
	at[n] = 0;
	attr[n] = 0;
	snprintf(lines[n++], sizeof lines[0],
	         "p = Process(target=%s, args=(%lld,)): created, no pid yet", task,
	         (long long)c->item);
	if (ph >= PROC_RUNNING) {
		at[n] = c->started_s;
		attr[n] = 0;
		snprintf(lines[n++], sizeof lines[0],
		         "p.start(): fork() %s child pid %d (its parent: %d)", ascii ? "->" : "→",
		         (int)c->pid, (int)d->parent_pid);
	}
	if (ph >= PROC_RUNNING && c->ran_s >= 0 && c->ran_s <= t) {
		at[n] = c->ran_s;
		attr[n] = 0;
		snprintf(lines[n++], sizeof lines[0], "the child runs %s(%lld)", task,
		         (long long)c->item);
	}
	if (ph >= PROC_EXITED) {
		at[n] = c->exited_s;
		attr[n] = UI_BOLD | UI_COLOR(UI_C_WARN);
		snprintf(lines[n++], sizeof lines[0], "it exits (%s): a zombie until joined%s", ex,
		         ph == PROC_EXITED && c->proc_state == 'Z' ? " (ps: Z)" : "");
	}
	if (ph == PROC_EXITED && d->joins) {
		at[n] = -1;
		attr[n] = UI_DIM;
		snprintf(lines[n++], sizeof lines[0],
		         "not joined yet: its exit code waits in the kernel");
	}
	if (ph >= PROC_JOINED) {
		at[n] = c->reaped_s;
		attr[n] = UI_BOLD | UI_COLOR(UI_C_OK);
		if (ph == PROC_JOINED)
			snprintf(lines[n++], sizeof lines[0],
			         "p.join() reaps it: p.exitcode = %d, the pid is free",
			         c->exit_code);
		else
			snprintf(lines[n++], sizeof lines[0],
			         "never joined: reaped by mptutor at the end (%s)", ex);
	}
	int y = box.y;
	for (int i = 0; i < n && y < box.y + box.h; i++, y++) {
		char ts[32] = "";
		if (at[i] >= 0)
			ui_fmt_secs(ts, sizeof ts, at[i], ascii);
		ui_putf(s, &box, y, box.x, UI_DIM, "%9s ", ts);
		ui_put(s, &box, y, box.x + 10, attr[i], lines[i]);
	}
	return y - box.y;
}

/* The shared stdout: a heading and the lines in the order written. */
static int proc_output(struct ui_surface *s, const struct proc_demo_snap *d, struct ui_rect box)
{
	bool ascii = s->g == &ui_glyphs_ascii;
	size_t n = 0;
	while (n < d->n_output && d->output[n].t_s <= d->now_s + 1e-9)
		n++;
	if (box.h <= 0)
		return 0;
	ui_putf(s, &box, box.y, box.x, UI_DIM | UI_UNDERLINE,
	        "stdout, one pipe shared by all, in the order written (%zu line%s)", n,
	        n == 1 ? "" : "s");
	if (box.h == 1 || n == 0)
		return 1;
	if ((size_t)box.h - 1 >= n) { /* a line each, with when it arrived */
		for (size_t i = 0; i < n; i++) {
			char ts[32];
			ui_fmt_secs(ts, sizeof ts, d->output[i].t_s, ascii);
			int y = box.y + 1 + (int)i;
			ui_putf(s, &box, y, box.x, UI_DIM, "%9s ", ts);
			ui_put(s, &box, y, box.x + 10, UI_BOLD,
			       d->output[i].text ? d->output[i].text : "");
		}
		return 1 + (int)n;
	}
	int x = box.x + 2; /* all on one row */
	for (size_t i = 0; i < n && x < box.x + box.w; i++)
		x += ui_putf(s, &box, box.y + 1, x, UI_BOLD, "%s  ",
		             d->output[i].text ? d->output[i].text : "");
	return 2;
}

/* The output orders over --repeat, most frequent first, each with a bar. */
static void proc_tally(struct ui_surface *s, const struct ui_process_view *v, struct ui_rect box)
{
	const struct ui_glyphs *g = s->g;
	int done = 0, idx[64], n = v->n_orders < 64 ? v->n_orders : 64, maxc = 1;
	for (int i = 0; i < n; i++) {
		idx[i] = i;
		done += v->orders[i].count;
		if (v->orders[i].count > maxc)
			maxc = v->orders[i].count;
	}
	for (int i = 1; i < n; i++) /* most frequent first, ties in first-seen order */
		for (int j = i; j > 0 && v->orders[idx[j]].count > v->orders[idx[j - 1]].count;
		     j--) {
			int tmp = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = tmp;
		}
	if (box.h <= 0)
		return;
	int x = box.x;
	x += ui_putf(s, &box, box.y, x, UI_BOLD, "output orders seen in %d of %d runs", done,
	             v->runs);
	if (done < v->runs && !v->cancelled)
		ui_putf(s, &box, box.y, x, UI_COLOR(UI_C_WARN), " (run %d going)", v->run);
	if (box.h - 1 >= n) { /* a row per order, with a bar */
		int tw = 0;
		for (int i = 0; i < n; i++) {
			int w = ui_text_width(v->orders[idx[i]].text);
			if (w > tw)
				tw = w;
		}
		if (tw > box.w / 2)
			tw = box.w / 2;
		for (int i = 0; i < n; i++) {
			const struct ui_order_count *o = &v->orders[idx[i]];
			int y = box.y + 1 + i;
			ui_put(s, &box, y, box.x + 2, UI_BOLD, o->text);
			int bx = box.x + 2 + tw + 2;
			bx += ui_putf(s, &box, y, bx, 0, "%s%-4d ", g->times, o->count);
			int room = box.x + box.w - bx;
			int len = room > 0 ? o->count * room / maxc : 0;
			if (len < 1)
				len = 1;
			ui_fill(s, &box, y, bx, len, ui_worker_attr(s, i), g->bar[8]);
		}
		return;
	}
	x = box.x + 2; /* all on one row: "0 1 2 3 ×15 · 1 0 2 3 ×3" */
	for (int i = 0; i < n && box.h >= 2; i++) {
		const struct ui_order_count *o = &v->orders[idx[i]];
		if (i)
			x += ui_putf(s, &box, box.y + 1, x, UI_DIM, " %s ", g->dot);
		x += ui_put(s, &box, box.y + 1, x, UI_BOLD, o->text);
		x += ui_putf(s, &box, box.y + 1, x, 0, " %s%d", g->times, o->count);
	}
}

/* Header, lifelines with their axis, then story, output and tally as rows allow. */
static void process_draw(const struct ui_panel *p, const struct run_snapshot *snap,
                         struct ui_rect box)
{
	struct ui_surface *s = p->s;
	const struct ui_process_view *v = p->data;
	const struct ui_glyphs *g = s->g;
	(void)snap;
	if (!v || !v->snap || box.h <= 0 || box.w < 20)
		return;
	const struct proc_demo_snap *d = v->snap;
	const char *task = v->task_name ? v->task_name : "worker";
	bool ascii = g == &ui_glyphs_ascii;
	int y = box.y, end = box.y + box.h;
	/* the program being run, and who the parent is */
	if (d->n_procs == 1)
		ui_putf(s, &box, y++, box.x, UI_BOLD,
		        "p = Process(target=%s, args=(%lld,)); p.start(); %s", task,
		        (long long)d->procs[0].item, d->joins ? "p.join()" : "(no join)");
	else {
		char items[96] = "";
		size_t len = 0;
		for (size_t k = 0; k < d->n_procs && len + 24 < sizeof items; k++)
			len += (size_t)snprintf(items + len, sizeof items - len, "%s%lld",
			                        k ? ", " : "", (long long)d->procs[k].item);
		char prog[200];
		snprintf(prog, sizeof prog, "for i in [%s]: Process(target=%s, args=(i,)).start()",
		         items, task);
		if (ui_text_width(prog) > box.w)
			snprintf(prog, sizeof prog,
			         "for i in ITEMS: Process(target=%s, args=(i,)).start()", task);
		ui_put(s, &box, y++, box.x, UI_BOLD, prog);
	}
	if (y < end) {
		int x = box.x;
		if (d->python != NULL) /* the Python variant: the interpreter forked them */
			x += ui_putf(s, &box, y, x, UI_DIM, "parent: Python %s, pid %d",
			             d->python->version ? d->python->version : "?",
			             (int)d->parent_pid);
		else
			x += ui_putf(s, &box, y, x, UI_DIM, "parent: mptutor, pid %d",
			             (int)d->parent_pid);
		if (d->n_procs > 1)
			x += ui_putf(s, &box, y, x, UI_DIM, " %s %s", g->dot,
			             d->joins ? "each joined" : "never joined");
		if (v->cancelled)
			ui_put(s, &box, y, x, UI_BOLD | UI_COLOR(UI_C_ERR),
			       "   cancelled: children killed and reaped");
		else if (d->ended_s >= 0)
			ui_put(s, &box, y, x, UI_COLOR(UI_C_OK), "   done: all reaped");
		y++;
	}
	/* rows left after the lifelines and their axis go to the rest */
	int left = end - y;
	int lrows = (int)d->n_procs;
	if (lrows > left - 1)
		lrows = left - 1;
	if (lrows < 1)
		lrows = left > 0 ? 1 : 0;
	/* spare rows make each lifeline taller (up to 3), so a class can read it */
	int other = 1 + (d->n_procs == 1 ? 1 + PROC_STORY_MAX : 0) +
	            (d->n_output ? 2 + (int)(d->n_output < 8 ? d->n_output : 8) : 0) +
	            (v->runs > 1 ? 2 + v->n_orders : 0);
	int tall = lrows == (int)d->n_procs && lrows > 0 ? (left - other) / lrows : 1;
	if (tall > 3)
		tall = 3;
	if (tall < 1)
		tall = 1;
	double span = d->now_s > 1e-3 ? d->now_s : 1e-3;
	for (int k = 0; k < lrows; k++) {
		struct ui_rect row = {y, box.x, tall, box.w};
		y += tall;
		if (k == lrows - 1 && (size_t)lrows < d->n_procs) {
			ui_putf(s, &row, row.y, row.x, UI_DIM, "+%zu more Processes",
			        d->n_procs - (size_t)k);
			break;
		}
		proc_row(s, d, (size_t)k, span, row);
	}
	if (y < end) { /* the axis under the lifelines: 0 .. now */
		bool narrow = box.w < 60;
		int label = narrow ? 11 : PROC_LABEL_W, tail = narrow ? 18 : PROC_TAIL_W;
		int cw = box.w - label - tail;
		char right[32];
		ui_fmt_secs(right, sizeof right, span, ascii);
		if (cw >= 4) {
			ui_fill(s, &box, y, box.x + label, cw, UI_DIM, g->hline);
			ui_put(s, &box, y, box.x + label, UI_DIM, "0");
			ui_put(s, &box, y, box.x + label + cw - ui_text_width(right), UI_DIM,
			       right);
		}
		y++;
	}
	/* then the story, the output and the tally, which keeps its rows first */
	int tally_h = v->runs > 1 ? 2 + v->n_orders : 0;
	if (tally_h > end - y)
		tally_h = end - y;
	int end_o = end - tally_h;
	if (d->n_procs == 1 && end_o - y >= 3) {
		y++;
		int room = end_o - y - (d->n_output ? 2 : 0);
		if (room > 0)
			y += proc_story(s, v, (struct ui_rect){y, box.x, room, box.w});
	}
	if (d->n_output && end_o - y >= 2) {
		y++;
		y += proc_output(s, d, (struct ui_rect){y, box.x, end_o - y, box.w});
	}
	if (tally_h >= 2) { /* a blank row above it when there is room */
		int ty = end - y >= 3 ? y + 1 : y;
		proc_tally(s, v, (struct ui_rect){ty, box.x, end - ty, box.w});
	}
}

const struct ui_panel_ops ui_panel_process = {
    .name = "process",
    .want = process_want,
    .draw = process_draw,
};

void ui_process_column_draw(struct ui_surface *s, const struct ui_process_view *v,
                            struct ui_rect box)
{
	char title[96];
	size_t n = v && v->snap ? v->snap->n_procs : 0;
	if (n == 1)
		snprintf(title, sizeof title, "process %s one Process, not a pool", s->g->dot);
	else
		snprintf(title, sizeof title, "process %s %zu Processes, not a pool", s->g->dot, n);
	if (v && v->runs > 1)
		snprintf(title + strlen(title), sizeof title - strlen(title), " %s run %d/%d",
		         s->g->dot, v->run, v->runs);
	ui_clear(s, box);
	ui_box(s, box, title, UI_BOLD | UI_COLOR(UI_C_TITLE));
	struct ui_rect in = {box.y + 1, box.x + 1, box.h - 2, box.w - 2};
	if (in.h <= 0 || in.w <= 0)
		return;
	if (!v || !v->snap) {
		ui_put(s, &in, in.y, in.x, UI_DIM, "starting");
		return;
	}
	struct ui_panel p = {.ops = &ui_panel_process, .s = s, .data = v};
	p.ops->draw(&p, NULL, in);
}

/* --- the lifeline's legend ------------------------------------------------------ */

/* What each glyph of a lifeline means, in one row. */
static void legend_process_draw(const struct ui_panel *p, const struct run_snapshot *snap,
                                struct ui_rect box)
{
	struct ui_surface *s = p->s;
	const struct ui_glyphs *g = s->g;
	(void)snap;
	if (box.h <= 0)
		return;
	int x = box.x, y = box.y;
	x += ui_put(s, &box, y, x, UI_BOLD, "legend ");
	x += ui_put(s, &box, y, x, UI_DIM, g->dot);
	x += ui_put(s, &box, y, x, 0, " created, not started  ");
	x += ui_put(s, &box, y, x, ui_worker_attr(s, 0), g->busy);
	x += ui_put(s, &box, y, x, 0, " running  ");
	x += ui_put(s, &box, y, x, UI_COLOR(UI_C_WARN) | UI_BOLD, g->zombie);
	x += ui_put(s, &box, y, x, 0, " exited, not joined: a zombie (Z in ps)  ");
	x += ui_put(s, &box, y, x, UI_BOLD | UI_COLOR(UI_C_OK), g->vline);
	ui_put(s, &box, y, x, 0, " joined or reaped: gone");
}

const struct ui_panel_ops ui_panel_legend_process = {
    .name = "legend-process",
    .want = ui_panel_want_one_row,
    .draw = legend_process_draw,
};
