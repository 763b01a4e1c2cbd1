/*
 * sweep.h — a scaling sweep: the same map at each worker count of a list, on
 * each backend asked for, and what Amdahl's law makes of the speedups. The
 * points come from a session (session_sweep) or from anywhere else that
 * measured them (a recording read back): sweep_report_compute turns the
 * measured walls into speedups, efficiencies and a fit, in one place.
 *
 * The rules, decided here once:
 *   - a curve is one backend's points; its speedups are against its own
 *     1-worker point when the sweep has one (T(1) of the same program, as
 *     Amdahl's law means it), else against its family's serial backend (the
 *     session then runs that too);
 *   - the fit is S(n) = 1 / (f + (1 - f) / n), least squares on the
 *     speedups, f kept in [0, 1]; a point with more workers than the usable
 *     CPUs is oversubscribed: it enters the fit at n = the CPUs (there are no
 *     more cores to run on, so Amdahl's law at n workers on P cores is the law
 *     at min(n, P)); the baseline point itself (S = 1 by definition) does not
 *     enter; fewer than 2 points, or none past one CPU, is no fit, and says why;
 *   - f's error is the standard error from the residuals:
 *     sqrt(RSS / (m - 1) / sum(J^2)), J = dS/df at the fitted f.
 */
#ifndef MPTUTOR_SESSION_SWEEP_H
#define MPTUTOR_SESSION_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"
#include "session/request.h"

#define SWEEP_MAX_POINTS (BACKEND_COUNT * (RUN_REQUEST_SWEEP_MAX + 1)) /* points in a sweep */

/* Amdahl's law fitted to a curve. */
struct sweep_fit {
	bool ok;       /* fitted; else why says why not */
	double f;      /* the serial fraction, 0..1 */
	double f_se;   /* its standard error from the residuals */
	double rms;    /* root mean square residual, in speedup */
	double r2;     /* 1 - RSS/TSS; NaN when the speedups do not vary */
	size_t m;      /* points in the fit */
	size_t m_over; /* of them, oversubscribed (entered at n = the CPUs) */
	char why[160]; /* no fit: the reason, for a learner */
};

/* One point: one backend's map at one worker count. */
struct sweep_point {
	enum backend_kind backend;
	int workers;     /* the pool's size (a serial backend: 1) */
	bool done;       /* measured */
	size_t n_failed; /* items that failed in it */
	double wall_s, cpu_s;
	double speedup;      /* baseline wall / this wall; NaN until both are measured */
	double efficiency;   /* speedup / workers; NaN likewise */
	bool oversubscribed; /* workers > the usable CPUs */
	bool is_baseline;    /* the point its curve's speedups are against */
};

/* One backend's points and their fit. */
struct sweep_curve {
	enum backend_kind backend;
	size_t first, n; /* its points: pts[first .. first + n) */
	long base;       /* the baseline point's index in pts, -1 none yet */
	bool own_base;   /* base is its own 1-worker point (else its family's serial) */
	struct sweep_fit fit;
};

/* What a sweep measured, and what it makes of it. */
struct sweep_report {
	int cpus;                /* the usable CPUs the points ran on */
	struct sweep_point *pts; /* n_pts, curve by curve, workers ascending */
	size_t n_pts;
	struct sweep_curve curves[BACKEND_COUNT];
	size_t n_curves;
	size_t n_done; /* points measured so far */
};

/* The points a sweep of q runs, in the order it runs them (each curve's
 * points consecutive): the family serial backends it needs as baselines
 * first (a backend of -b with no 1-worker point and whose serial backend
 * -b does not name), then each backend of -b at each worker count of -w (a
 * serial backend at one worker). Only backend and workers are set. Fills
 * pts[SWEEP_MAX_POINTS] when not NULL; returns how many. */
size_t sweep_plan(const struct run_request *q, struct sweep_point *pts);
/* Fit S(n) = 1/(f + (1-f)/n) to m points (n[i] workers, s[i] speedup) by
 * least squares; n above cpus counts as cpus (oversubscribed). Pure. 0 and
 * out->ok, or -1 with out->why (fewer than 2 points; none past 1 CPU). */
int sweep_fit_amdahl(const double *n, const double *s, size_t m, int cpus, struct sweep_fit *out);
/* Amdahl's speedup at n workers with serial fraction f on cpus CPUs (n capped). */
double sweep_amdahl(double f, double n, int cpus);
/* A report of n points (copied; curve by curve: consecutive points of one
 * backend are its curve, workers ascending) measured on cpus CPUs, computed:
 * what a session does as its maps end, and what a recording's reader does
 * with the points it read back. -1 when out of memory or more curves than
 * backends. sweep_report_free frees what it holds. */
int sweep_report_build(struct sweep_report *r, int cpus, const struct sweep_point *pts, size_t n);
void sweep_report_free(struct sweep_report *r);
/* Fill speedups, efficiencies, oversubscription, baselines and fits from
 * the points' walls (pts, curves' first/n/backend and cpus set by the caller:
 * base is found here). */
void sweep_report_compute(struct sweep_report *r);
/* "serial fraction 0.04 ± 0.01: at most 25× with infinite workers" (or why
 * there is no fit) into buf; pm and times are the glyphs ("±", "×"). */
void sweep_fit_text(const struct sweep_fit *fit, const char *pm, const char *times, char *buf,
                    size_t len);
/* "process at 1 worker" or "serial": what curve c's speedups are against. */
void sweep_base_text(const struct sweep_report *r, const struct sweep_curve *c, char *buf,
                     size_t len);

#endif
