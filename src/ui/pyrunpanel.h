/*
 * pyrunpanel.h — the column the tutor draws for pyrun and exercise runs.
 */
#ifndef MPTUTOR_UI_PYRUNPANEL_H
#define MPTUTOR_UI_PYRUNPANEL_H

#include <stdbool.h>

#include "engine/pyrun.h"
#include "ui/surface.h"

/* What the column shows. */
struct ui_pyrun_view {
	const struct pyrun_snapshot *snap; /* the run shown, NULL before one */
	const char *title;                 /* the box's title */
	const char *note;                  /* a line under it (the stage, the file), or NULL */
	bool have_verdict;                 /* an exercise's checker has spoken */
	bool passed;
	const char *verdict; /* its reason */
};

/* Draw the column into box. */
void ui_pyrun_draw(struct ui_surface *s, const struct ui_pyrun_view *v, struct ui_rect box);

#endif
