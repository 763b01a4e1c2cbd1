/*
 * test_picture.c — the svg and png formats on a compare made by hand
 * (serial, process and gil runs of primes): what they ask of a request
 * without the drawing service and without -o FILE, a PNG of 1920x1080 (its
 * IHDR) with the worker colour's bars painted in it, and an SVG whose root,
 * size and <desc> (the screen's text: title, speedup, results) are there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>

#include <cmocka.h> /* after what it needs: a block of its own, so sorting keeps it last */

#include "engine/task.h"
#include "export/format.h"
#include "export/picture.h"
#include "fake_items.h"
#include "ui/picture.h"

/* One finished run of primes over four items on two workers. */
struct fake {
	struct run_snapshot s;
	int64_t items[4];
	int64_t results[4];
	uint8_t status[4];
	struct item_event events[4];
	struct item_rec recs[4];
	struct item_who who[FAKE_WHO_MAX];
	struct worker_snap workers[2];
};

/* Fill f as a run on backend taking wall seconds (serial: one worker). */
static void fake_init(struct fake *f, enum backend_kind backend, double wall)
{
	memset(f, 0, sizeof *f);
	static const int64_t res[4] = {25, 168, 1229, 9592};
	bool one = backend == BACKEND_SERIAL;
	for (int i = 0; i < 4; i++) {
		f->items[i] = i == 0 ? 100 : i == 1 ? 1000 : i == 2 ? 10000 : 100000;
		f->results[i] = res[i];
		f->status[i] = ITEM_DONE;
		int w = one ? 0 : i % 2;
		double t0 = one ? wall * i / 4 : wall * (i / 2) / 2;
		double t1 = one ? wall * (i + 1) / 4 : wall * (i / 2 + 1) / 2;
		f->events[i] = (struct item_event){
		    .worker = w, .pid = 600 + w, .tid = 600 + w, .start_s = t0, .end_s = t1};
	}
	for (int w = 0; w < 2; w++)
		f->workers[w] = (struct worker_snap){.id = w,
		                                     .pid = 600 + w,
		                                     .tid = 600 + w,
		                                     .core = w,
		                                     .state = WORKER_EXITED,
		                                     .tasks = one ? 4 : 2,
		                                     .cpu_s = one ? wall : wall * 0.95,
		                                     .busy_s = one ? wall : wall * 0.95,
		                                     .gil_held_s = wall / 2,
		                                     .gil_wait_s = wall / 2};
	f->s = (struct run_snapshot){.state = RUN_DONE,
	                             .backend = backend,
	                             .task = task_find("primes"),
	                             .workers = one ? 1 : 2,
	                             .chunksize = 1,
	                             .wall_s = wall,
	                             .now_s = wall,
	                             .startup_s = 0.001,
	                             .cpu_s = wall * (one ? 1 : 1.9),
	                             .per_worker = f->workers,
	                             .n_items = 4,
	                             .n_done = 4,
	                             .items = f->items,
	                             .results = f->results,
	                             .task_returns = true,
	                             .t0_unix_s = 1.7e9};
	fake_items_pack(&f->s, f->status, f->events, f->recs, f->who);
}

/* A compare of serial, process and gil, and its request in format f to path. */
struct fixture {
	struct fake serial, process, gil;
	const struct run_snapshot *snaps[3];
	struct run_request req;
	char dir[64], path[96];
};

/* Fill x; path is a file in a new temp dir. */
static void fixture_init(struct fixture *x, const struct export_format *f, const char *name)
{
	fake_init(&x->serial, BACKEND_SERIAL, 0.40);
	fake_init(&x->process, BACKEND_PROCESS, 0.21);
	fake_init(&x->gil, BACKEND_GIL, 0.41);
	x->snaps[0] = &x->serial.s;
	x->snaps[1] = &x->process.s;
	x->snaps[2] = &x->gil.s;
	snprintf(x->dir, sizeof x->dir, "/tmp/mptutor-picture-XXXXXX");
	assert_non_null(mkdtemp(x->dir));
	snprintf(x->path, sizeof x->path, "%s/%s", x->dir, name);
	x->req = (struct run_request){.kind = RUNKIND_COMPARE,
	                              .task = x->serial.s.task,
	                              .workers = 2,
	                              .chunksize = 1,
	                              .format = f,
	                              .output = x->path};
}

/* Remove x's file and dir. */
static void fixture_free(struct fixture *x)
{
	unlink(x->path);
	rmdir(x->dir);
}

/* The whole of a file, NUL-terminated, its size in *n (caller frees). */
static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = NULL;
	size_t cap = 0, len = 0;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = (cap + 4096) * 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		size_t k = fread(buf + len, 1, 4096, f);
		len += k;
		if (k == 0)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	*n = len;
	return buf;
}

/* A big-endian 32-bit number at p. */
static unsigned be32(const unsigned char *p)
{
	return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

/* Without the drawing service the formats are refused before any map, and
 * writing one fails with the same words; with it, -o FILE is still needed. */
static void test_picture_needs(void **state)
{
	(void)state;
	struct fixture x;
	fixture_init(&x, &export_png, "c.png");
	char err[256] = "";
	export_picture_set(NULL);
	assert_int_equal(export_output_check(&x.req, err, sizeof err), -1);
	assert_string_equal(err, "--format png: pictures are not available in this build");
	err[0] = '\0';
	assert_int_equal(export_compare(&x.req, stdout, x.snaps, 3, err, sizeof err), -1);
	assert_non_null(strstr(err, "pictures are not available in this build"));
	assert_int_equal(access(x.path, F_OK), -1); /* nothing left behind */
	ui_picture_install();
	assert_non_null(export_picture_get());
	assert_int_equal(export_output_check(&x.req, err, sizeof err), 0);
	x.req.output = NULL;
	assert_int_equal(export_output_check(&x.req, err, sizeof err), -1);
	assert_non_null(strstr(err, "--format png needs -o FILE"));
	x.req.format = &export_svg;
	assert_int_equal(export_output_check(&x.req, err, sizeof err), -1);
	assert_non_null(strstr(err, "--format svg needs -o FILE"));
	/* a picture cannot write a Process demo or --repeat's orders */
	assert_false(export_format_can(&export_png, EXPORT_PROCESS));
	assert_false(export_format_can(&export_svg, EXPORT_ORDERS));
	assert_true(export_format_can(&export_png, EXPORT_RUN));
	fixture_free(&x);
}

/* A PNG of 1920x1080 with the worker colours' bars painted in it. */
static void test_picture_png(void **state)
{
	(void)state;
	ui_picture_install();
	struct fixture x;
	fixture_init(&x, &export_png, "c.png");
	char err[256] = "";
	assert_int_equal(export_compare(&x.req, stdout, x.snaps, 3, err, sizeof err), 0);
	size_t n;
	unsigned char *png = (unsigned char *)slurp(x.path, &n);
	assert_true(n > 33);
	assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
	assert_memory_equal(png + 12, "IHDR", 4);
	assert_int_equal(be32(png + 16), 1920);
	assert_int_equal(be32(png + 20), 1080);
	free(png);
	/* the bars of worker 0 (cyan) and worker 1 (yellow) are there: whole
	 * cells of their colours, and a background that is dark */
	cairo_surface_t *img = cairo_image_surface_create_from_png(x.path);
	assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
	const unsigned char *data = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);
	long cyan = 0, yellow = 0, dark = 0;
	for (int y = 0; y < 1080; y++)
		for (int xx = 0; xx < 1920; xx++) {
			uint32_t p = *(const uint32_t *)(data + y * stride + xx * 4);
			int r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
			cyan += r < 90 && g > 190 && b > 220;
			yellow += r > 230 && g > 180 && g < 225 && b < 80;
			dark += r < 30 && g < 30 && b < 35;
		}
	cairo_surface_destroy(img);
	assert_true(cyan > 20000);
	assert_true(yellow > 20000);
	assert_true(dark > 1920L * 1080 / 2);
	fixture_free(&x);
}

/* An SVG: its root at 1920x1080 px, and the screen's words in <title> and <desc>. */
static void test_picture_svg(void **state)
{
	(void)state;
	ui_picture_install();
	struct fixture x;
	fixture_init(&x, &export_svg, "c.svg");
	char err[256] = "";
	assert_int_equal(export_compare(&x.req, stdout, x.snaps, 3, err, sizeof err), 0);
	size_t n;
	char *svg = slurp(x.path, &n);
	assert_true(strncmp(svg, "<?xml", 5) == 0);
	assert_non_null(strstr(svg, "<svg"));
	assert_non_null(strstr(svg, "width=\"1920px\" height=\"1080px\""));
	assert_non_null(strstr(svg, "</svg>"));
	assert_non_null(strstr(svg, "<title>mptutor: compare primes 4 items"));
	const char *desc = strstr(svg, "<desc>");
	assert_non_null(desc);
	assert_non_null(strstr(desc, "chunksize 1 · serial, process, gil")); /* they fit: named */
	assert_non_null(strstr(desc, "serial baseline"));
	assert_non_null(strstr(desc, "[25, 168, 1229, 9592]"));
	assert_non_null(strstr(desc, "speedup 1.90")); /* 0.40 s serial / 0.21 s process */
	assert_non_null(strstr(desc, "legend"));
	assert_null(strstr(desc, "<-")); /* escaped: the desc holds no raw markup */
	free(svg);
	fixture_free(&x);
}

/* A run: one column, titled "run", to PNG. */
static void test_picture_run(void **state)
{
	(void)state;
	ui_picture_install();
	struct fixture x;
	fixture_init(&x, &export_svg, "r.svg");
	x.req.kind = RUNKIND_RUN;
	char err[256] = "";
	assert_int_equal(export_run(&x.req, stdout, &x.gil.s, NULL, err, sizeof err), 0);
	size_t n;
	char *svg = slurp(x.path, &n);
	assert_non_null(strstr(svg, "<title>mptutor: run primes 4 items"));
	assert_non_null(strstr(svg, "GIL"));
	assert_null(strstr(svg, "serial baseline"));
	free(svg);
	fixture_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_picture_needs),
	    cmocka_unit_test(test_picture_png),
	    cmocka_unit_test(test_picture_svg),
	    cmocka_unit_test(test_picture_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
