/*
 * sweep.c — a scaling sweep's arithmetic (sweep.h): speedups against each
 * curve's baseline, and Amdahl's law fitted by least squares with the
 * standard error of the serial fraction from the residuals, and the order
 * of a sweep's points. Pure: no run, no session, no printing.
 */
#include "session/sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SWEEP_GRID 2000 /* the coarse scan of f over [0, 1] before refining */

/* Whether a sweep of q must run b's family serial backend as its baseline:
 * it has no 1-worker point of its own and -b does not name that serial backend. */
static bool sweep_needs_serial(const struct run_request *q, enum backend_kind b)
{
	if (backend_get(b)->serial || (q->n_sweep_workers > 0 && q->sweep_workers[0] == 1))
		return false;
	for (size_t i = 0; i < q->n_backends; i++)
		if (q->backends[i] == backend_baseline(b))
			return false;
	return true;
}

/* The points of a sweep of q, in their order, into pts (if not NULL); how many. */
size_t sweep_plan(const struct run_request *q, struct sweep_point *pts)
{
	enum backend_kind order[2 * BACKEND_COUNT];
	size_t n_order = 0, n = 0;
	for (size_t i = 0; i < q->n_backends && i < BACKEND_COUNT; i++) {
		enum backend_kind base = backend_baseline(q->backends[i]);
		bool have = false;
		for (size_t k = 0; k < n_order; k++)
			have |= order[k] == base;
		if (!have && sweep_needs_serial(q, q->backends[i]))
			order[n_order++] = base;
	}
	for (size_t i = 0; i < q->n_backends && i < BACKEND_COUNT; i++) {
		bool have = false;
		for (size_t k = 0; k < n_order; k++)
			have |= order[k] == q->backends[i];
		if (!have)
			order[n_order++] = q->backends[i];
	}
	size_t nw =
	    q->n_sweep_workers < RUN_REQUEST_SWEEP_MAX ? q->n_sweep_workers : RUN_REQUEST_SWEEP_MAX;
	for (size_t k = 0; k < n_order; k++) {
		bool serial = backend_get(order[k])->serial;
		for (size_t j = 0; j < (serial ? 1 : nw); j++, n++)
			if (pts != NULL)
				pts[n] = (struct sweep_point){.backend = order[k],
				                              .workers =
				                                  serial ? 1 : q->sweep_workers[j]};
	}
	return n;
}

/* Amdahl's speedup at n workers, n capped at the CPUs. */
double sweep_amdahl(double f, double n, int cpus)
{
	if (cpus > 0 && n > cpus)
		n = cpus;
	if (n < 1)
		n = 1;
	return 1.0 / (f + (1.0 - f) / n);
}

/* The residual sum of squares of the fit at f. */
static double sweep_rss(const double *n, const double *s, size_t m, int cpus, double f)
{
	double rss = 0;
	for (size_t i = 0; i < m; i++) {
		double r = s[i] - sweep_amdahl(f, n[i], cpus);
		rss += r * r;
	}
	return rss;
}

/* Least squares for f in [0, 1]: a scan of the grid, then a golden-section
 * search in the cells around its best (RSS is smooth in f; the scan keeps a
 * second valley from misleading the search). */
static double sweep_argmin(const double *n, const double *s, size_t m, int cpus)
{
	double best = 0, best_rss = INFINITY;
	for (int k = 0; k <= SWEEP_GRID; k++) {
		double f = (double)k / SWEEP_GRID;
		double v = sweep_rss(n, s, m, cpus, f);
		if (v < best_rss) {
			best_rss = v;
			best = f;
		}
	}
	double a = fmax(0, best - 1.0 / SWEEP_GRID), b = fmin(1, best + 1.0 / SWEEP_GRID);
	const double g = (sqrt(5.0) - 1) / 2;
	double c = b - g * (b - a), d = a + g * (b - a);
	double fc = sweep_rss(n, s, m, cpus, c), fd = sweep_rss(n, s, m, cpus, d);
	for (int it = 0; it < 100 && b - a > 1e-13; it++) {
		if (fc < fd) {
			b = d;
			d = c;
			fd = fc;
			c = b - g * (b - a);
			fc = sweep_rss(n, s, m, cpus, c);
		} else {
			a = c;
			c = d;
			fc = fd;
			d = a + g * (b - a);
			fd = sweep_rss(n, s, m, cpus, d);
		}
	}
	double f = (a + b) / 2;
	return sweep_rss(n, s, m, cpus, f) <= best_rss ? f : best;
}

/* Fit Amdahl's law to m points; 0, or -1 with why. */
int sweep_fit_amdahl(const double *n, const double *s, size_t m, int cpus, struct sweep_fit *out)
{
	memset(out, 0, sizeof *out);
	out->f = out->f_se = out->rms = out->r2 = NAN;
	out->m = m;
	size_t past_one = 0;
	for (size_t i = 0; i < m; i++) {
		double ne = cpus > 0 && n[i] > cpus ? cpus : n[i];
		past_one += ne > 1;
		out->m_over += cpus > 0 && n[i] > cpus;
	}
	if (m < 2) {
		snprintf(out->why, sizeof out->why,
		         "no fit: it needs 2 points past the baseline, this curve has %zu", m);
		return -1;
	}
	if (past_one == 0) {
		snprintf(
		    out->why, sizeof out->why,
		    "no fit: every point ran on 1 CPU, so serial and parallel work look alike");
		return -1;
	}
	double f = sweep_argmin(n, s, m, cpus);
	double rss = sweep_rss(n, s, m, cpus, f), jj = 0, mean = 0, tss = 0;
	for (size_t i = 0; i < m; i++) {
		double ne = cpus > 0 && n[i] > cpus ? cpus : n[i];
		double gv = sweep_amdahl(f, ne, cpus);
		double j = -(1.0 - 1.0 / ne) * gv * gv; /* dS/df */
		jj += j * j;
		mean += s[i] / (double)m;
	}
	for (size_t i = 0; i < m; i++)
		tss += (s[i] - mean) * (s[i] - mean);
	out->ok = true;
	out->f = f;
	out->f_se = jj > 0 ? sqrt(rss / (double)(m - 1) / jj) : NAN;
	out->rms = sqrt(rss / (double)m);
	out->r2 = tss > 1e-12 ? 1.0 - rss / tss : NAN;
	return 0;
}

/* Find each curve's baseline point: its own 1-worker point, else its family's serial one. */
static void sweep_find_bases(struct sweep_report *r)
{
	for (size_t c = 0; c < r->n_curves; c++) {
		struct sweep_curve *cv = &r->curves[c];
		cv->base = -1;
		cv->own_base = false;
		for (size_t i = cv->first; i < cv->first + cv->n; i++)
			if (r->pts[i].workers == 1) {
				cv->base = (long)i;
				cv->own_base = true;
			}
		if (cv->base >= 0)
			continue;
		enum backend_kind fam = backend_baseline(cv->backend);
		for (size_t k = 0; k < r->n_curves; k++)
			if (r->curves[k].backend == fam && r->curves[k].n > 0)
				cv->base = (long)r->curves[k].first;
	}
}

/* Speedups, efficiencies, oversubscription and each curve's fit. */
void sweep_report_compute(struct sweep_report *r)
{
	sweep_find_bases(r);
	r->n_done = 0;
	for (size_t i = 0; i < r->n_pts; i++) {
		r->pts[i].is_baseline = false;
		r->n_done += r->pts[i].done;
	}
	for (size_t c = 0; c < r->n_curves; c++) {
		struct sweep_curve *cv = &r->curves[c];
		const struct sweep_point *b = cv->base >= 0 ? &r->pts[cv->base] : NULL;
		bool base_ok = b && b->done && b->n_failed == 0 && b->wall_s > 0;
		double n[RUN_REQUEST_SWEEP_MAX + 1], s[RUN_REQUEST_SWEEP_MAX + 1];
		size_t m = 0;
		for (size_t i = cv->first; i < cv->first + cv->n; i++) {
			struct sweep_point *p = &r->pts[i];
			p->oversubscribed = r->cpus > 0 && p->workers > r->cpus;
			p->is_baseline = (long)i == cv->base;
			p->speedup = p->efficiency = NAN;
			if (!p->done || !base_ok || p->wall_s <= 0)
				continue;
			p->speedup = b->wall_s / p->wall_s;
			p->efficiency = p->speedup / (p->workers > 0 ? p->workers : 1);
			if (!p->is_baseline && p->n_failed == 0 && m < RUN_REQUEST_SWEEP_MAX + 1) {
				n[m] = p->workers;
				s[m++] = p->speedup;
			}
		}
		if (backend_get(cv->backend)->serial) {
			memset(&cv->fit, 0, sizeof cv->fit);
			snprintf(cv->fit.why, sizeof cv->fit.why,
			         "no fit: a serial backend runs one worker");
			continue;
		}
		if (!base_ok && b && b->done) {
			memset(&cv->fit, 0, sizeof cv->fit);
			snprintf(cv->fit.why, sizeof cv->fit.why,
			         "no fit: the baseline had items fail");
			continue;
		}
		sweep_fit_amdahl(n, s, m, r->cpus, &cv->fit);
	}
}

/* A report of n points copied, grouped into curves, computed. */
int sweep_report_build(struct sweep_report *r, int cpus, const struct sweep_point *pts, size_t n)
{
	memset(r, 0, sizeof *r);
	r->cpus = cpus;
	r->pts = calloc(n ? n : 1, sizeof *r->pts);
	if (r->pts == NULL)
		return -1;
	memcpy(r->pts, pts, n * sizeof *pts);
	r->n_pts = n;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || pts[i].backend != pts[i - 1].backend) {
			if (r->n_curves == BACKEND_COUNT) {
				sweep_report_free(r);
				return -1;
			}
			r->curves[r->n_curves++] =
			    (struct sweep_curve){.backend = pts[i].backend, .first = i, .n = 0};
		}
		r->curves[r->n_curves - 1].n++;
	}
	sweep_report_compute(r);
	return 0;
}

/* Free a built report's points. */
void sweep_report_free(struct sweep_report *r)
{
	free(r->pts);
	memset(r, 0, sizeof *r);
}

/* The fit for a learner, or why there is none. */
void sweep_fit_text(const struct sweep_fit *fit, const char *pm, const char *times, char *buf,
                    size_t len)
{
	if (!fit->ok) {
		snprintf(buf, len, "%s", fit->why[0] ? fit->why : "no fit yet");
		return;
	}
	int dec = fit->f < 0.01 || (isfinite(fit->f_se) && fit->f_se < 0.005) ? 3 : 2;
	char se[32];
	if (isfinite(fit->f_se))
		snprintf(se, sizeof se, " %s %.*f", pm, dec, fit->f_se);
	else
		se[0] = '\0';
	if (fit->f < 1e-6)
		snprintf(buf, len, "serial fraction %.*f%s: no limit in sight from these points",
		         dec, fit->f, se);
	else if (1 / fit->f >= 10)
		snprintf(buf, len, "serial fraction %.*f%s: at most %.0f%s with infinite workers",
		         dec, fit->f, se, 1 / fit->f, times);
	else
		snprintf(buf, len, "serial fraction %.*f%s: at most %.1f%s with infinite workers",
		         dec, fit->f, se, 1 / fit->f, times);
}

/* What curve c's speedups are against, "process at 1 worker" or "serial". */
void sweep_base_text(const struct sweep_report *r, const struct sweep_curve *c, char *buf,
                     size_t len)
{
	if (c->base < 0) {
		snprintf(buf, len, "no baseline");
		return;
	}
	const struct sweep_point *b = &r->pts[c->base];
	if (backend_get(b->backend)->serial)
		snprintf(buf, len, "%s", backend_name(b->backend));
	else
		snprintf(buf, len, "%s at 1 worker", backend_name(b->backend));
}
