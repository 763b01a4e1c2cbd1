/*
 * test_sweep.c — the scaling sweep: Amdahl's law fitted to synthetic points
 * (exact data gives its f back with no error, noisy data an error of the
 * noise's size, too few points or none past one CPU refused with the
 * reason, oversubscribed points counted at the CPUs), the baselines a
 * report picks, -w LIST|A..B parsed and refused, and a real sweep through
 * the session with its text and JSON reports, and the tutor's chart drawn
 * into a cell buffer (UTF-8 with colour; ASCII without, live).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include <errno.h>
#include <json-c/json.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cmd/cmd.h"
#include "export/format.h"
#include "export/json.h"
#include "export/text.h"
#include "session/session.h"
#include "session/sweep.h"
#include "ui/panel.h"

/* Exact Amdahl data at f = 0.04 gives f back, with no residual and no error. */
static void test_fit_exact(void **state)
{
	(void)state;
	double n[] = {2, 3, 4, 6, 8}, s[5];
	for (int i = 0; i < 5; i++)
		s[i] = 1 / (0.04 + 0.96 / n[i]);
	struct sweep_fit fit;
	assert_int_equal(sweep_fit_amdahl(n, s, 5, 8, &fit), 0);
	assert_true(fit.ok);
	assert_true(fabs(fit.f - 0.04) < 1e-6);
	assert_true(fit.f_se < 1e-6);
	assert_true(fit.rms < 1e-6);
	assert_true(fit.r2 > 0.999999);
	assert_int_equal(fit.m, 5);
	assert_int_equal(fit.m_over, 0);
	char text[200];
	sweep_fit_text(&fit, "+/-", "x", text, sizeof text);
	assert_non_null(strstr(text, "serial fraction 0.04"));
	assert_non_null(strstr(text, "at most 25x with infinite workers"));
}

/* Noise of 2% on the speedups: f within a few errors of the truth, and an
 * error that is neither zero nor larger than f's whole range. */
static void test_fit_noisy(void **state)
{
	(void)state;
	double n[16], s[16];
	unsigned seed = 12345;
	for (int i = 0; i < 16; i++) {
		n[i] = 2 + i % 7;
		seed = seed * 1103515245u + 12345u;
		double u = ((seed >> 8) & 0xffff) / 65535.0 - 0.5; /* -0.5..0.5 */
		s[i] = 1 / (0.1 + 0.9 / n[i]) * (1 + 0.04 * u);
	}
	struct sweep_fit fit;
	assert_int_equal(sweep_fit_amdahl(n, s, 16, 16, &fit), 0);
	assert_true(fit.f_se > 1e-4);
	assert_true(fit.f_se < 0.05);
	assert_true(fabs(fit.f - 0.1) < 4 * fit.f_se + 0.005);
	assert_true(fit.rms > 0.001 && fit.rms < 0.1);
	/* more noise, a larger error */
	for (int i = 0; i < 16; i++)
		s[i] *= i % 2 ? 1.15 : 0.87;
	struct sweep_fit worse;
	assert_int_equal(sweep_fit_amdahl(n, s, 16, 16, &worse), 0);
	assert_true(worse.f_se > fit.f_se);
}

/* Fewer than 2 points, or none past one CPU: no fit, and why. */
static void test_fit_refused(void **state)
{
	(void)state;
	double n[] = {2, 1, 1}, s[] = {1.9, 1, 1};
	struct sweep_fit fit;
	assert_int_equal(sweep_fit_amdahl(n, s, 1, 4, &fit), -1);
	assert_false(fit.ok);
	assert_non_null(strstr(fit.why, "2 points"));
	assert_int_equal(sweep_fit_amdahl(n + 1, s + 1, 2, 4, &fit), -1);
	assert_non_null(strstr(fit.why, "1 CPU"));
	/* on one usable CPU every point is one core's */
	double n2[] = {2, 3, 4}, s2[] = {1, 1, 1};
	assert_int_equal(sweep_fit_amdahl(n2, s2, 3, 1, &fit), -1);
	char text[200];
	sweep_fit_text(&fit, "+/-", "x", text, sizeof text);
	assert_non_null(strstr(text, "no fit"));
}

/* Past the CPUs a point counts at the CPUs: 2 cores, speedups flat past 2. */
static void test_fit_oversubscribed(void **state)
{
	(void)state;
	double f = 0.05, at2 = 1 / (f + (1 - f) / 2);
	double n[] = {2, 3, 4}, s[] = {at2, at2, at2};
	struct sweep_fit fit;
	assert_int_equal(sweep_fit_amdahl(n, s, 3, 2, &fit), 0);
	assert_int_equal(fit.m_over, 2);
	assert_true(fabs(fit.f - f) < 1e-6);
	assert_true(fabs(sweep_amdahl(f, 4, 2) - at2) < 1e-12);
	/* superlinear points are fitted at f = 0, the bound */
	double s3[] = {2.2, 2.3, 2.2};
	assert_int_equal(sweep_fit_amdahl(n, s3, 3, 2, &fit), 0);
	assert_true(fit.f >= 0 && fit.f < 1e-9);
}

/* A report's baselines: a curve's own 1-worker point, else its family's serial. */
static void test_report_baselines(void **state)
{
	(void)state;
	struct sweep_point pts[6] = {
	    {.backend = BACKEND_SERIAL, .workers = 1, .done = true, .wall_s = 4.0},
	    {.backend = BACKEND_PROCESS, .workers = 2, .done = true, .wall_s = 2.0},
	    {.backend = BACKEND_PROCESS, .workers = 4, .done = true, .wall_s = 1.25},
	    {.backend = BACKEND_THREAD, .workers = 1, .done = true, .wall_s = 3.0},
	    {.backend = BACKEND_THREAD, .workers = 2, .done = true, .wall_s = 1.5},
	    {.backend = BACKEND_THREAD, .workers = 4, .done = false},
	};
	struct sweep_report r = {.cpus = 4, .pts = pts, .n_pts = 6, .n_curves = 3};
	r.curves[0] = (struct sweep_curve){.backend = BACKEND_SERIAL, .first = 0, .n = 1};
	r.curves[1] = (struct sweep_curve){.backend = BACKEND_PROCESS, .first = 1, .n = 2};
	r.curves[2] = (struct sweep_curve){.backend = BACKEND_THREAD, .first = 3, .n = 3};
	sweep_report_compute(&r);
	assert_int_equal(r.n_done, 5);
	assert_int_equal(r.curves[1].base, 0); /* process has no 1-worker point: serial */
	assert_false(r.curves[1].own_base);
	assert_int_equal(r.curves[2].base, 3); /* thread has its own */
	assert_true(r.curves[2].own_base);
	assert_true(fabs(pts[1].speedup - 2.0) < 1e-12);
	assert_true(fabs(pts[2].efficiency - 0.8) < 1e-12);
	assert_true(fabs(pts[4].speedup - 2.0) < 1e-12);
	assert_true(isnan(pts[5].speedup)); /* not measured yet */
	assert_true(pts[3].is_baseline);
	assert_true(r.curves[1].fit.ok);
	assert_false(r.curves[2].fit.ok); /* one point past its baseline so far */
	char base[64];
	sweep_base_text(&r, &r.curves[1], base, sizeof base);
	assert_string_equal(base, "serial");
	sweep_base_text(&r, &r.curves[2], base, sizeof base);
	assert_string_equal(base, "thread at 1 worker");
	/* the same points built into a report (as a recording's reader would): the same curves */
	struct sweep_report b;
	assert_int_equal(sweep_report_build(&b, 4, pts, 6), 0);
	assert_int_equal(b.n_curves, 3);
	assert_int_equal(b.curves[2].first, 3);
	assert_int_equal(b.curves[2].n, 3);
	assert_int_equal(b.curves[1].base, 0);
	assert_true(fabs(b.curves[1].fit.f - r.curves[1].fit.f) < 1e-12);
	sweep_report_free(&b);
}

/* Parse a sweep line into req; the return of cmd_parse_request, err filled. */
static int parse(const char *line, struct run_request *req, char *err, size_t errlen)
{
	int argc;
	char **argv;
	assert_int_equal(cmd_split(line, &argc, &argv, err, errlen), 0);
	int rc = cmd_parse_request(RUNKIND_SWEEP, argc, argv, req, err, errlen);
	cmd_split_free(argc, argv);
	return rc;
}

/* -w LIST|A..B: sorted, without repeats; the default 1 .. twice the CPUs; bad ones refused. */
static void test_parse_workers(void **state)
{
	(void)state;
	struct run_request req;
	char err[512];
	assert_int_equal(parse("spin 4x10 -w 4,1..3,2", &req, err, sizeof err), 0);
	assert_int_equal(req.n_sweep_workers, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(req.sweep_workers[i], i + 1);
	assert_int_equal(req.n_backends, 1);
	assert_int_equal(req.backends[0], BACKEND_PROCESS);
	run_request_free(&req);
	assert_int_equal(parse("spin 4x10 -b process,thread", &req, err, sizeof err), 0);
	assert_int_equal(req.n_sweep_workers, (size_t)(2 * engine_default_workers()));
	assert_int_equal(req.n_backends, 2);
	run_request_free(&req);
	const char *bad[] = {"spin -w 0..3", "spin -w 3..1",    "spin -w x",
	                     "spin -w 1,,2", "spin -w 1..2000", "spin -w ''"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(parse(bad[i], &req, err, sizeof err), -1);
		assert_non_null(strstr(err, "-w/--workers"));
		assert_non_null(strstr(err, "allowed"));
	}
	assert_int_equal(parse("spin --repeat 3", &req, err, sizeof err), -1);
	assert_non_null(strstr(err, "not for sweep"));
}

/* A real sweep through the session: a row per point, the report up to date,
 * its text and JSON reports; no child left. */
static void test_session_sweep(void **state)
{
	(void)state;
	struct run_request req;
	char err[512];
	assert_int_equal(parse("spin 4x20 -w 2..3 -b process,thread", &req, err, sizeof err), 0);
	struct session *ss;
	assert_int_equal(session_start(&req, NULL, &ss, err, sizeof err), 0);
	const struct sweep_report *r = session_sweep(ss);
	assert_non_null(r);
	/* no 1-worker point: the serial baseline runs first */
	assert_int_equal(session_n_rows(ss), 5);
	assert_int_equal(r->n_pts, 5);
	assert_int_equal(r->n_curves, 3);
	assert_int_equal(r->pts[0].backend, BACKEND_SERIAL);
	assert_int_equal(session_row(ss, 2)->spec.workers, 3);
	assert_int_equal(session_row(ss, 2)->spec.chunksize, 1); /* ceil(4 / 12) */
	assert_int_equal(r->n_done, 0);
	assert_int_equal(session_wait(ss, -1), SESSION_DONE);
	assert_int_equal(r->n_done, 5);
	for (size_t i = 0; i < r->n_pts; i++) {
		assert_true(r->pts[i].done);
		assert_true(r->pts[i].speedup > 0);
	}
	assert_true(r->curves[1].fit.ok);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	report_sweep_text(mem, session_request(ss), r);
	fclose(mem);
	assert_non_null(strstr(text, "process: speedup against serial"));
	assert_non_null(strstr(text, "serial fraction"));
	free(text);
	mem = open_memstream(&text, &len);
	report_sweep_json_write(mem, session_request(ss), r);
	fclose(mem);
	struct json_object *o = json_tokener_parse(text), *v;
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "points", &v));
	assert_int_equal(json_object_array_length(v), 5);
	assert_true(json_object_object_get_ex(o, "fit", &v));
	struct json_object *f;
	assert_true(json_object_object_get_ex(v, "serial_fraction", &f));
	assert_true(json_object_object_get_ex(o, "baseline", &v));
	assert_true(json_object_object_get_ex(v, "backend", &f));
	assert_string_equal(json_object_get_string(f), "serial");
	json_object_put(o);
	free(text);
	session_free(ss);
	run_request_free(&req);
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* A report of exact Amdahl points (f = 0.1) on 2 CPUs, process at 1..4 workers. */
static void chart_report(struct sweep_report *r, struct sweep_point *pts, size_t done)
{
	memset(r, 0, sizeof *r);
	for (int i = 0; i < 4; i++) {
		double n = i + 1 > 2 ? 2 : i + 1;
		pts[i] = (struct sweep_point){.backend = BACKEND_PROCESS,
		                              .workers = i + 1,
		                              .done = (size_t)i < done,
		                              .wall_s = 1.0 * (0.1 + 0.9 / n)};
	}
	r->cpus = 2;
	r->pts = pts;
	r->n_pts = 4;
	r->n_curves = 1;
	r->curves[0] = (struct sweep_curve){.backend = BACKEND_PROCESS, .first = 0, .n = 4};
	sweep_report_compute(r);
}

/* The chart in a cell buffer: axes, ideal, CPUs, points, the fit in words;
 * live (a point going, no fit yet) and in ASCII at 80x24's size. */
static void test_chart(void **state)
{
	(void)state;
	struct run_request req;
	char err[512];
	assert_int_equal(parse("spin 4x10 -w 1..4", &req, err, sizeof err), 0);
	struct sweep_point pts[4];
	struct sweep_report r;
	chart_report(&r, pts, 4);
	assert_true(r.curves[0].fit.ok);
	struct ui_surface *s = ui_membuf_new(38, 70, false, true);
	ui_sweep_chart_draw(s, &r, &req, -1, (struct ui_rect){0, 0, 38, 70});
	char *text = ui_membuf_text(s);
	assert_non_null(strstr(text, "sweep spin \u00b7 4/4 points"));
	assert_non_null(strstr(text, "ideal"));
	assert_non_null(strstr(text, "workers"));
	assert_non_null(strstr(text, "2 CPUs"));
	assert_non_null(strstr(text, "\u25cf")); /* points on the CPUs */
	assert_non_null(strstr(text, "\u25cb")); /* and past them */
	assert_non_null(strstr(text, "process: serial fraction 0.10"));
	assert_non_null(strstr(text, "at most 10\u00d7 with infinite workers"));
	free(text);
	ui_membuf_free(s);
	/* live: two points in, the third going: no fit yet, and says what runs */
	chart_report(&r, pts, 2);
	s = ui_membuf_new(21, 46, true, false);
	ui_sweep_chart_draw(s, &r, &req, 2, (struct ui_rect){0, 0, 21, 46});
	text = ui_membuf_text(s);
	assert_non_null(strstr(text, "2/4 points"));
	assert_non_null(strstr(text, "fit after 2 points"));
	assert_non_null(strstr(text, "running process at 3 workers"));
	assert_non_null(strstr(text, "* process"));
	for (const char *c = text; *c; c++)
		assert_true((unsigned char)*c < 128);
	free(text);
	ui_membuf_free(s);
	run_request_free(&req);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8"); /* the cell buffer measures UTF-8 by the locale */
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fit_exact),        cmocka_unit_test(test_fit_noisy),
	    cmocka_unit_test(test_fit_refused),      cmocka_unit_test(test_fit_oversubscribed),
	    cmocka_unit_test(test_report_baselines), cmocka_unit_test(test_parse_workers),
	    cmocka_unit_test(test_session_sweep),    cmocka_unit_test(test_chart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
