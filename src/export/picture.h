/*
 * picture.h — the svg and png formats: a run or a compare drawn as the tutor
 * shows it (meters, timeline, GIL row, timing, results, legend), and a
 * sweep's speedup chart, for slides.
 * Drawing is the terminal layer's business (its panels and its palette), and
 * export sits below it, so the two rows here call through a hook the front
 * end sets at start (DESIGN §2: a lower folder that needs a service from
 * above takes a function pointer). Without the hook the formats say
 * "pictures are not available in this build" before the map runs.
 *
 * Contract: export_picture_set() once, before any report is written (main,
 * and the unit tests); the ops it is given outlive every report. A picture
 * needs -o FILE (or -o - into a pipe): it is never written to a terminal.
 */
#ifndef MPTUTOR_EXPORT_PICTURE_H
#define MPTUTOR_EXPORT_PICTURE_H

#include <stddef.h>
#include <stdio.h>

#include "engine/engine.h"
#include "session/request.h"
#include "session/sweep.h"

/* What a picture is written as. */
enum export_picture_type {
	EXPORT_PICTURE_SVG, /* an SVG document (vector; text as outlines, and in its <desc>) */
	EXPORT_PICTURE_PNG, /* a PNG image */
};

/* The drawing service a front end provides. Each entry writes the whole
 * picture to out and returns 0, or -1 with a message in err. */
struct export_picture_ops {
	/* One finished run. */
	int (*run)(FILE *out, enum export_picture_type type, const struct run_snapshot *s,
	           char *err, size_t errlen);
	/* A compare: snaps[i] is the finished run of req's i-th backend. */
	int (*compare)(FILE *out, enum export_picture_type type, const struct run_request *req,
	               const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen);
	/* A sweep: its chart (speedup against workers, the ideal, Amdahl's fit). */
	int (*sweep)(FILE *out, enum export_picture_type type, const struct run_request *req,
	             const struct sweep_report *r, char *err, size_t errlen);
};

/* Install the drawing service (NULL: pictures not available). */
void export_picture_set(const struct export_picture_ops *ops);
/* The installed service, or NULL. */
const struct export_picture_ops *export_picture_get(void);

#endif
