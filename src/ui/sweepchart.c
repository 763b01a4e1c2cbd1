/*
 * sweepchart.c — a sweep's chart in cells, drawn through the surface (so it
 * is checked without a terminal): speedup against workers, the ideal line
 * S = n, each backend's measured points (hollow past the usable CPUs), the
 * Amdahl curve fitted to them once there are 2 points past the baseline,
 * and the CPU count marked; below it the fit in a line a learner reads and
 * the point measured last. Drawn again as each point's map ends: the tutor
 * shows it growing.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/task.h"
#include "ui/panel.h"

/* The glyphs of the chart, UTF-8 or ASCII. */
struct chart_glyphs {
	const char *point, *over, *ideal, *fit, *cpus, *going;
};

/* The chart's glyph set for surface s. */
static struct chart_glyphs chart_glyphs(const struct ui_surface *s)
{
	if (s->g == &ui_glyphs_ascii)
		return (struct chart_glyphs){"*", "o", ".", "-", "|", "?"};
	return (struct chart_glyphs){"\u25cf", "\u25cb", "\u00b7", "\u2500", "\u2502", "\u2026"};
}

/* Curve c's point glyph: the colour tells curves apart, or without colour the shape. */
static const char *chart_point(const struct ui_surface *s, const struct chart_glyphs *g, size_t c,
                               bool over)
{
	static const char *const ascii[] = {"*", "+", "#", "@", "%", "&"};
	static const char *const utf8[] = {"\u25cf", "\u25a0", "\u25b2",
	                                   "\u25c6", "\u2605", "\u2726"};
	if (over)
		return g->over;
	if (s->color)
		return g->point;
	return s->g == &ui_glyphs_ascii ? ascii[c % 6] : utf8[c % 6];
}

/* The colour of curve c (the worker colours, one a backend). */
static unsigned chart_attr(const struct ui_surface *s, size_t c)
{
	return s->color ? UI_COLOR(UI_C_W0 + c % UI_WORKER_COLORS) | UI_BOLD : UI_BOLD;
}

/* Column of n workers in a plot of w columns from 1 to nmax. */
static int chart_x(double n, int nmax, int w)
{
	if (nmax <= 1)
		return 0;
	return (int)lround((n - 1) / (nmax - 1) * (w - 1));
}

/* Row of speedup v in a plot of h rows from 0 (bottom) to ymax (top); may be off it. */
static int chart_y(double v, double ymax, int h)
{
	return h - 1 - (int)lround(v / ymax * (h - 1));
}

/* The chart of r into box; going is the point whose map runs now (-1 none). */
void ui_sweep_chart_draw(struct ui_surface *s, const struct sweep_report *r,
                         const struct run_request *req, int going, struct ui_rect box)
{
	struct chart_glyphs g = chart_glyphs(s);
	char title[192], base[64] = "";
	for (size_t c = 0; c < r->n_curves && !base[0]; c++) /* the first swept curve's */
		if (!backend_get(r->curves[c].backend)->serial)
			sweep_base_text(r, &r->curves[c], base, sizeof base);
	snprintf(title, sizeof title, "sweep %s %s %zu/%zu points %s speedup vs %s",
	         req->task->name, s->g->dot, r->n_done, r->n_pts, s->g->dot,
	         base[0] ? base : "its baseline");
	ui_clear(s, box);
	ui_box(s, box, title, UI_BOLD | UI_COLOR(UI_C_TITLE));
	struct ui_rect in = {box.y + 1, box.x + 1, box.h - 2, box.w - 2};
	if (in.h < 8 || in.w < 30) {
		ui_put(s, &in, in.y, in.x, UI_DIM, "too small for the chart");
		return;
	}
	/* what the axes span: workers 1..the largest; speedup 0..enough for the
	 * points, and for the ideal up to twice the best point (not 128 rows of it) */
	int nmax = 1;
	double smax = 1;
	size_t n_curves_swept = 0;
	for (size_t i = 0; i < r->n_pts; i++) {
		if (r->pts[i].workers > nmax)
			nmax = r->pts[i].workers;
		if (isfinite(r->pts[i].speedup) && r->pts[i].speedup > smax)
			smax = r->pts[i].speedup;
	}
	for (size_t c = 0; c < r->n_curves; c++)
		n_curves_swept += !backend_get(r->curves[c].backend)->serial;
	double ymax = fmax(smax * 1.15, fmin(nmax, fmax(2 * r->cpus, 2 * smax)));
	ymax = ceil(ymax);
	/* legend, a fit line a curve (two when narrow: it wraps), the last point */
	bool wrap = in.w < 78;
	int foot = 1 + (int)n_curves_swept * (wrap ? 2 : 1) + 1;
	int lab = 6; /* the y labels' width */
	struct ui_rect plot = {in.y, in.x + lab, in.h - foot - 1, in.w - lab - 1};
	if (plot.h < 4)
		plot.h = 4;
	/* the y axis: labels at the top, middle and bottom */
	for (int k = 0; k <= 2; k++) {
		double v = ymax * k / 2;
		int y = plot.y + chart_y(v, ymax, plot.h);
		ui_putf(s, &in, y, in.x, UI_DIM, "%4.*f%s", v < 10 && v != floor(v) ? 1 : 0, v,
		        s->g->times);
	}
	for (int y = 0; y < plot.h; y++)
		ui_put(s, &in, plot.y + y, plot.x - 1, UI_DIM, s->g->vline);
	/* the x axis: worker counts under it, the first, the CPUs and the last */
	int axis_y = plot.y + plot.h;
	ui_fill(s, &in, axis_y, plot.x - 1, plot.w + 1, UI_DIM, s->g->hline);
	int ticks[3] = {1, r->cpus, nmax};
	for (int k = 0; k < 3; k++) {
		if (ticks[k] < 1 || ticks[k] > nmax ||
		    (k == 1 && (ticks[1] == 1 || ticks[1] == nmax)))
			continue;
		char t[16];
		int tw = snprintf(t, sizeof t, "%d", ticks[k]);
		int x = plot.x + chart_x(ticks[k], nmax, plot.w) - (k == 2 ? tw - 1 : 0);
		ui_put(s, &in, axis_y, x, UI_DIM, t);
	}
	ui_put(s, &in, axis_y, plot.x + plot.w / 2 - 4, UI_DIM, " workers ");
	/* the CPUs: a line up from the axis where oversubscription begins */
	if (r->cpus > 1 && r->cpus < nmax) {
		int x = plot.x + chart_x(r->cpus, nmax, plot.w);
		for (int y = 0; y < plot.h; y++)
			ui_put(s, &in, plot.y + y, x, UI_DIM, g.cpus);
		char t[32];
		snprintf(t, sizeof t, "%d CPUs", r->cpus);
		ui_put(s, &in, plot.y, x + 1, UI_DIM, t);
	}
	/* the ideal, S = n, a dot a column */
	for (int x = 0; x < plot.w; x++) {
		double n = nmax > 1 ? 1 + (double)x * (nmax - 1) / (plot.w - 1) : 1;
		int y = chart_y(n, ymax, plot.h);
		if (y >= 0 && y < plot.h)
			ui_put(s, &plot, plot.y + y, plot.x + x, UI_DIM, g.ideal);
	}
	if (plot.h > 2)
		ui_put(s, &plot, plot.y + chart_y(fmin(nmax, ymax), ymax, plot.h) + 1,
		       plot.x + chart_x(fmin(nmax, ymax), nmax, plot.w) - 5, UI_DIM, "ideal");
	/* each swept curve's fit, then its points over it */
	size_t ci = 0;
	for (size_t c = 0; c < r->n_curves; c++) {
		const struct sweep_curve *cv = &r->curves[c];
		if (backend_get(cv->backend)->serial || !cv->fit.ok)
			continue;
		for (int x = 0; x < plot.w; x++) {
			double n = nmax > 1 ? 1 + (double)x * (nmax - 1) / (plot.w - 1) : 1;
			int y = chart_y(sweep_amdahl(cv->fit.f, n, r->cpus), ymax, plot.h);
			if (y >= 0 && y < plot.h)
				ui_put(s, &plot, plot.y + y, plot.x + x,
				       chart_attr(s, c) & ~(unsigned)UI_BOLD, g.fit);
		}
		ci++;
	}
	for (size_t c = 0; c < r->n_curves; c++) {
		const struct sweep_curve *cv = &r->curves[c];
		for (size_t i = cv->first; i < cv->first + cv->n; i++) {
			const struct sweep_point *p = &r->pts[i];
			int x = plot.x + chart_x(p->workers, nmax, plot.w);
			if ((int)i == going) {
				ui_put(s, &plot, plot.y + plot.h - 1, x, UI_DIM, g.going);
				continue;
			}
			if (!isfinite(p->speedup))
				continue;
			int y = chart_y(p->speedup, ymax, plot.h);
			if (y < 0)
				y = 0;
			ui_put(s, &plot, plot.y + y, x, chart_attr(s, c),
			       chart_point(s, &g, c, p->oversubscribed));
		}
	}
	/* the legend */
	int y = axis_y + 1, x = in.x;
	for (size_t c = 0; c < r->n_curves; c++) {
		x += ui_put(s, &in, y, x, chart_attr(s, c), chart_point(s, &g, c, false));
		x += ui_putf(s, &in, y, x, 0, " %s ", ui_backend_label(r->curves[c].backend));
	}
	x += ui_putf(s, &in, y, x, UI_DIM, "%s past CPUs %s%s%s ideal %s%s%s Amdahl fit", g.over,
	             g.ideal, g.ideal, g.ideal, g.fit, g.fit, g.fit);
	(void)ci;
	/* a line a curve: its fit, or why none yet */
	const char *pm = s->g == &ui_glyphs_ascii ? "+/-" : "\u00b1";
	for (size_t c = 0; c < r->n_curves; c++) {
		const struct sweep_curve *cv = &r->curves[c];
		if (backend_get(cv->backend)->serial)
			continue;
		char fit[200];
		sweep_fit_text(&cv->fit, pm, s->g->times, fit, sizeof fit);
		y++;
		int px = in.x + ui_putf(s, &in, y, in.x, chart_attr(s, c),
		                        "%s: ", ui_backend_label(cv->backend));
		char *rest = strstr(fit, ": "); /* "serial fraction f ± e" : "at most ..." */
		if (!cv->fit.ok && r->n_done < r->n_pts) {
			snprintf(fit, sizeof fit, "fit after 2 points past the baseline");
			rest = NULL;
		}
		unsigned a = cv->fit.ok ? UI_BOLD : UI_DIM;
		if (wrap && rest && px + ui_text_width(fit) > in.x + in.w) {
			rest[1] = '\0';
			ui_put(s, &in, y, px, a, fit);
			ui_put(s, &in, ++y, px, a, rest + 2);
		} else {
			ui_put(s, &in, y, px, a, fit);
			y += wrap;
		}
	}
	/* the point going, or the last measured */
	y++;
	if (going >= 0 && (size_t)going < r->n_pts) {
		const struct sweep_point *p = &r->pts[going];
		ui_putf(s, &in, y, in.x, UI_DIM, "running %s at %d worker%s%s",
		        ui_backend_label(p->backend), p->workers, p->workers == 1 ? "" : "s",
		        s->g->ellipsis);
	} else {
		for (size_t i = r->n_pts; i-- > 0;)
			if (r->pts[i].done) {
				const struct sweep_point *p = &r->pts[i];
				char wall[32];
				ui_fmt_secs(wall, sizeof wall, p->wall_s, s->g == &ui_glyphs_ascii);
				ui_putf(s, &in, y, in.x, UI_DIM,
				        "last: %s at %d worker%s, %s, %.2f%s, efficiency %.0f%%",
				        ui_backend_label(p->backend), p->workers,
				        p->workers == 1 ? "" : "s", wall, p->speedup, s->g->times,
				        100 * p->efficiency);
				break;
			}
	}
}
