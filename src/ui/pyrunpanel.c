/*
 * pyrunpanel.c — the pyrun column: a Python script's processes (and the main
 * one's threads) with CPU %, core and state sampled from /proc, a timeline
 * of each process's CPU over time, wall and CPU time, how it ended, its
 * output as it arrives, and for an exercise the checker's verdict. Drawn
 * through the surface like every panel, so it is tested without a terminal.
 */
#include <stdio.h>
#include <string.h>

#include "export/pyrunrep.h"
#include "ui/panel.h"
#include "ui/pyrunpanel.h"

/* A CPU % as a bar of w cells. */
static void pyrun_bar(struct ui_surface *s, const struct ui_rect *clip, int y, int x, int w,
                      double pct, unsigned attr)
{
	int eighths = (int)(pct / 100.0 * w * 8 + 0.5);
	for (int i = 0; i < w; i++) {
		int e = eighths - i * 8;
		e = e < 0 ? 0 : e > 8 ? 8 : e;
		ui_put(s, clip, y, x + i, e ? attr : UI_DIM, e ? s->g->bar[e] : " ");
	}
}

/* The last w timeline samples of p as level glyphs, aligned on the run's slots. */
static void pyrun_timeline(struct ui_surface *s, const struct ui_rect *clip, int y, int x, int w,
                           const struct pyrun_proc *p, int n_samples, unsigned attr)
{
	int from = n_samples > w ? n_samples - w : 0;
	for (int slot = from; slot < n_samples; slot++) {
		int k = slot - p->hist_from;
		const char *gl = " ";
		unsigned a = UI_DIM;
		if (k >= 0 && k < p->n_hist) {
			int lv = (p->hist[k] * 8 + 50) / 100;
			lv = lv > 8 ? 8 : lv;
			gl = lv ? s->g->level[lv] : s->g->dot;
			a = lv ? attr : UI_DIM;
		}
		ui_put(s, clip, y, x + slot - from, a, gl);
	}
}

void ui_pyrun_draw(struct ui_surface *s, const struct ui_pyrun_view *v, struct ui_rect box)
{
	if (box.h < 3 || box.w < 10)
		return;
	ui_box(s, box, v->title, UI_BOLD | UI_COLOR(UI_C_TITLE));
	struct ui_rect in = {box.y + 1, box.x + 1, box.h - 2, box.w - 2};
	int y = in.y, bottom = in.y + in.h;
	const struct pyrun_snapshot *sn = v->snap;
	char buf[512], t1[32], t2[32];
	if (v->note && y < bottom)
		ui_put(s, &in, y++, in.x, UI_DIM, v->note);
	if (!sn) {
		if (y < bottom)
			ui_put(s, &in, y, in.x, UI_DIM, "waiting for the first save");
		return;
	}
	/* how it stands */
	ui_fmt_secs(t1, sizeof t1, sn->wall_s, s->g == &ui_glyphs_ascii);
	ui_fmt_secs(t2, sizeof t2, sn->cpu_s, s->g == &ui_glyphs_ascii);
	char end[96];
	pyrun_report_end(sn, end, sizeof end);
	snprintf(buf, sizeof buf, "%s %s wall %s %s cpu %s%s %s peak %d process%s", end, s->g->dot,
	         t1, s->g->dot, t2, sn->over ? "" : " (sampled)", s->g->dot, sn->peak_procs,
	         sn->peak_procs == 1 ? "" : "es");
	unsigned ea = !sn->over                              ? UI_BOLD
	              : sn->exit_code == 0 && !sn->timed_out ? UI_COLOR(UI_C_OK) | UI_BOLD
	                                                     : UI_COLOR(UI_C_ERR) | UI_BOLD;
	if (y < bottom)
		ui_put(s, &in, y++, in.x, ea, buf);
	if (sn->timed_out && y < bottom)
		ui_putf(s, &in, y++, in.x, UI_COLOR(UI_C_ERR),
		        "timed out after %g s: every process of it was killed", sn->timeout_s);
	if (sn->left_behind && y < bottom)
		ui_putf(s, &in, y++, in.x, UI_COLOR(UI_C_WARN),
		        "%d process%s left behind by the script: killed and reaped",
		        sn->left_behind, sn->left_behind == 1 ? "" : "es");
	if (v->have_verdict && y < bottom)
		ui_putf(s, &in, y++, in.x, UI_BOLD | UI_COLOR(v->passed ? UI_C_OK : UI_C_ERR),
		        "%s %s", v->passed ? "passed:" : "not yet:", v->verdict);
	/* the processes: a row each, the live ones first in the order seen */
	int tl_w = in.w - 44;
	if (y < bottom)
		ui_putf(s, &in, y++, in.x, UI_UNDERLINE | UI_DIM,
		        "pid     name         core st cpu%%        cpu s  timeline (%.1f s a cell)",
		        sn->sample_s);
	int rows_left = bottom - y - 3; /* keep room for output */
	size_t shown = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < sn->n_procs && rows_left > 0; i++) {
			const struct pyrun_proc *p = &sn->procs[i];
			bool gone = p->state == 'x';
			if (gone != (pass == 1))
				continue;
			unsigned a = ui_worker_attr(s, (int)i);
			int depth = 0;
			for (pid_t pp = p->ppid; depth < 3;) { /* indent children under parents */
				size_t k = 0;
				while (k < sn->n_procs && sn->procs[k].pid != pp)
					k++;
				if (k == sn->n_procs)
					break;
				depth++;
				pp = sn->procs[k].ppid;
			}
			snprintf(buf, sizeof buf, "%*s%-7d %-*.*s %4s  %c ", depth, "", (int)p->pid,
			         12 - depth, 12 - depth, p->comm, "", gone ? '-' : p->state);
			ui_put(s, &in, y, in.x, gone ? UI_DIM : 0, buf);
			if (!gone)
				ui_putf(s, &in, y, in.x + 21, 0, "%2d", p->core);
			pyrun_bar(s, &in, y, in.x + 27, 5, p->cpu_pct, a);
			ui_putf(s, &in, y, in.x + 32, gone ? UI_DIM : 0, "%3.0f%% %6.2f",
			        p->cpu_pct, p->cpu_s);
			if (tl_w > 4)
				pyrun_timeline(s, &in, y, in.x + 44, tl_w, p, sn->n_samples, a);
			y++;
			rows_left--;
			shown++;
		}
	if (shown < sn->n_procs && y < bottom)
		ui_putf(s, &in, y++, in.x, UI_DIM, "(%zu more processes)", sn->n_procs - shown);
	/* the rows are samples, the line above them a measurement: say which */
	if (sn->n_procs > 1 && y < bottom - 3)
		ui_putf(s, &in, y++, in.x, UI_DIM,
		        "rows read from /proc every %.1f s: cpu s as last read, short lives missed",
		        sn->sample_s);
	/* the main process's threads */
	if (sn->n_threads > 1 && y < bottom - 2) {
		int x = in.x;
		x += ui_put(s, &in, y, x, UI_DIM, "threads of the main process: ");
		for (size_t i = 0; i < sn->n_threads && x < in.x + in.w - 12; i++) {
			snprintf(buf, sizeof buf, "%d %c cpu%d %.0f%%  ", (int)sn->threads[i].tid,
			         sn->threads[i].state, sn->threads[i].core, sn->threads[i].cpu_pct);
			x += ui_put(s, &in, y, x, 0, buf);
		}
		y++;
	}
	/* its output, the last lines that fit */
	if (y < bottom)
		ui_put(s, &in, y++, in.x, UI_UNDERLINE | UI_DIM, "output (! marks stderr)");
	int room = bottom - y;
	size_t first = sn->n_lines > (size_t)(room > 0 ? room : 0) ? sn->n_lines - (size_t)room : 0;
	for (size_t i = first; i < sn->n_lines && y < bottom; i++) {
		const struct pyrun_line *l = &sn->lines[i];
		ui_putf(s, &in, y++, in.x, l->stream == 2 ? UI_COLOR(UI_C_ERR) : 0, "%s %s",
		        l->stream == 2 ? "!" : " ", l->text);
	}
}
