/*
 * picture.c — the svg and png rows of the format table: what a picture asks
 * of a request (the drawing service installed, a file to go to), and the
 * hand-off of a run or a compare to the service above (export/picture.h).
 */
#include <string.h>
#include <unistd.h>

#include "export/format.h"
#include "export/picture.h"

static const struct export_picture_ops *picture_ops; /* set by the front end; NULL: none */

/* Install the drawing service. */
void export_picture_set(const struct export_picture_ops *ops)
{
	picture_ops = ops;
}

/* The installed service, or NULL. */
const struct export_picture_ops *export_picture_get(void)
{
	return picture_ops;
}

/* A picture's conditions on a request: drawing built in, and a file or a pipe
 * to write to, never the terminal. */
static int picture_check(const struct run_request *req, char *err, size_t errlen)
{
	const char *name = req->format != NULL ? req->format->name : "svg";
	if (picture_ops == NULL) {
		snprintf(err, errlen, "--format %s: pictures are not available in this build",
		         name);
		return -1;
	}
	if (req->output == NULL) {
		snprintf(err, errlen,
		         "--format %s needs -o FILE: a picture is written to a file, like -o "
		         "compare.%s",
		         name, name);
		return -1;
	}
	if (strcmp(req->output, "-") == 0 && isatty(STDOUT_FILENO)) {
		snprintf(err, errlen,
		         "--format %s -o - would write a picture to the terminal: name a file, "
		         "like -o compare.%s, or send stdout to one",
		         name, name);
		return -1;
	}
	return 0;
}

/* A run through the service, as type. */
static int picture_run(FILE *out, enum export_picture_type type, const struct run_snapshot *s,
                       char *err, size_t errlen)
{
	if (picture_ops == NULL || picture_ops->run == NULL) {
		snprintf(err, errlen, "pictures are not available in this build");
		return -1;
	}
	return picture_ops->run(out, type, s, err, errlen);
}

/* A compare through the service, as type. */
static int picture_compare(FILE *out, enum export_picture_type type, const struct run_request *req,
                           const struct run_snapshot *const *snaps, size_t n, char *err,
                           size_t errlen)
{
	if (picture_ops == NULL || picture_ops->compare == NULL) {
		snprintf(err, errlen, "pictures are not available in this build");
		return -1;
	}
	return picture_ops->compare(out, type, req, snaps, n, err, errlen);
}

/* The svg row's run (the last of --repeat N: a picture shows one run). */
static int svg_run(FILE *out, const struct run_snapshot *s, const struct session_orders *repeat,
                   char *err, size_t errlen)
{
	(void)repeat;
	return picture_run(out, EXPORT_PICTURE_SVG, s, err, errlen);
}

/* The svg row's compare. */
static int svg_compare(FILE *out, const struct run_request *req,
                       const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen)
{
	return picture_compare(out, EXPORT_PICTURE_SVG, req, snaps, n, err, errlen);
}

/* The png row's run. */
static int png_run(FILE *out, const struct run_snapshot *s, const struct session_orders *repeat,
                   char *err, size_t errlen)
{
	(void)repeat;
	return picture_run(out, EXPORT_PICTURE_PNG, s, err, errlen);
}

/* The png row's compare. */
static int png_compare(FILE *out, const struct run_request *req,
                       const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen)
{
	return picture_compare(out, EXPORT_PICTURE_PNG, req, snaps, n, err, errlen);
}

/* A sweep through the service, as type. */
static int picture_sweep(FILE *out, enum export_picture_type type, const struct run_request *req,
                         const struct sweep_report *r, char *err, size_t errlen)
{
	if (picture_ops == NULL || picture_ops->sweep == NULL) {
		snprintf(err, errlen, "pictures are not available in this build");
		return -1;
	}
	return picture_ops->sweep(out, type, req, r, err, errlen);
}

/* The svg row's sweep: the chart. */
static int svg_sweep(FILE *out, const struct run_request *req, const struct sweep_report *r,
                     const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen)
{
	(void)snaps, (void)n;
	return picture_sweep(out, EXPORT_PICTURE_SVG, req, r, err, errlen);
}

/* The png row's sweep: the chart. */
static int png_sweep(FILE *out, const struct run_request *req, const struct sweep_report *r,
                     const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen)
{
	(void)snaps, (void)n;
	return picture_sweep(out, EXPORT_PICTURE_PNG, req, r, err, errlen);
}

const struct export_format export_svg = {
    .name = "svg",
    .summary = "for slides: the tutor's panels as a 1920x1080 SVG picture (needs -o FILE)",
    .run = svg_run,
    .compare = svg_compare,
    .sweep = svg_sweep,
    .check = picture_check,
};

const struct export_format export_png = {
    .name = "png",
    .summary = "for slides: the tutor's panels as a 1920x1080 PNG picture (needs -o FILE)",
    .run = png_run,
    .compare = png_compare,
    .sweep = png_sweep,
    .check = picture_check,
};
