/*
 * lessonpane.c — the lesson panel: the current page rendered from Markdown
 * (lesson_render_page's styled lines) in a titled box; runnable blocks get
 * the ▶ marker and the next one is highlighted with its key, [Enter].
 */
#include <stdio.h>
#include <string.h>

#include "lesson/lesson.h"
#include "ui/panel.h"

/* Surface attributes for a lesson style. */
static unsigned lesson_attr(const struct ui_surface *s, unsigned st)
{
	unsigned a = 0;
	if (st & LSTYLE_HEADING)
		a |= UI_BOLD | UI_UNDERLINE | UI_COLOR(UI_C_TITLE);
	if (st & LSTYLE_STRONG)
		a |= UI_BOLD;
	if (st & LSTYLE_EMPH)
		a |= s->color ? UI_COLOR(UI_C_OK) : UI_UNDERLINE;
	if (st & LSTYLE_CODE)
		a |= UI_COLOR(UI_C_CODE);
	if (st & LSTYLE_RUN)
		a |= UI_BOLD | UI_COLOR(UI_C_RUN);
	if (st & (LSTYLE_DIM | LSTYLE_QUOTE))
		a |= UI_DIM;
	return a;
}

/* Whether a rendered line belongs to a runnable command. */
static bool lesson_line_runs(const struct lline *l)
{
	for (size_t i = 0; i < l->n_spans; i++)
		if (l->spans[i].style & LSTYLE_RUN)
			return true;
	return false;
}

/* The page fills the box; nothing to ask. */
static int lesson_want(const struct ui_panel *p, const struct run_snapshot *snap, int w)
{
	(void)snap;
	(void)w;
	const struct ui_lesson_view *v = p->data;
	return v && v->page ? (int)v->page->n_lines + 2 + (v->more_note != NULL) : 3;
}

/* The page from v->scroll, in a box titled with the lesson. */
static void lesson_draw(const struct ui_panel *p, const struct run_snapshot *snap,
                        struct ui_rect box)
{
	struct ui_surface *s = p->s;
	const struct ui_lesson_view *v = p->data;
	(void)snap;
	ui_clear(s, box);
	ui_box(s, box, v && v->title ? v->title : "Lesson", UI_BOLD | UI_COLOR(UI_C_TITLE));
	struct ui_rect in = {box.y + 1, box.x + 1, box.h - 2, box.w - 2};
	if (!v || in.h <= 0 || in.w <= 0)
		return;
	if (v->page_label) {
		int lw = ui_text_width(v->page_label) + 2;
		ui_putf(s, NULL, box.y + box.h - 1, box.x + box.w - 1 - lw, UI_DIM, " %s ",
		        v->page_label);
	}
	if (!v->page) {
		ui_put(s, &in, in.y, in.x, UI_DIM, v->empty_msg ? v->empty_msg : "no lesson");
		return;
	}
	const struct lrender *r = v->page;
	int scroll = v->scroll;
	if (scroll > (int)r->n_lines - 1)
		scroll = (int)r->n_lines - 1;
	if (scroll < 0)
		scroll = 0;
	int prev_block = -2;
	for (int row = 0; row < in.h && (size_t)(scroll + row) < r->n_lines; row++) {
		const struct lline *l = &r->lines[scroll + row];
		int y = in.y + row, x = in.x;
		bool runs = lesson_line_runs(l);
		bool next = runs && l->block >= 0 && l->block == v->next_block;
		if (runs) {
			bool first = l->block != prev_block;
			unsigned ma =
			    next ? UI_REVERSE | UI_BOLD | UI_COLOR(UI_C_RUN) : UI_COLOR(UI_C_RUN);
			x += ui_put(s, &in, y, x, ma, first ? s->g->run : " ");
			x += ui_put(s, &in, y, x, 0, " ");
		}
		for (size_t k = 0; k < l->n_spans; k++) {
			const char *t = l->spans[k].text ? l->spans[k].text : "";
			/* the marker is ours to draw: drop the renderer's own */
			if (runs && k == 0 &&
			    strncmp(t, ui_glyphs_utf8.run, strlen(ui_glyphs_utf8.run)) == 0) {
				t += strlen(ui_glyphs_utf8.run);
				if (*t == ' ')
					t++;
			}
			unsigned a = lesson_attr(s, l->spans[k].style);
			if (next)
				a |= UI_REVERSE;
			x += ui_put(s, &in, y, x, a, t);
		}
		if (next && l->block != prev_block)
			ui_put(s, &in, y, x, UI_BOLD, "  [Enter]");
		prev_block = l->block;
	}
	int after = (int)r->n_lines - scroll; /* the row after the page's last line */
	if (v->more_note && after >= 0 && after < in.h)
		ui_putf(s, &in, in.y + after, in.x, UI_DIM, "%s %s", s->g->ellipsis, v->more_note);
	int total = (int)r->n_lines + (v->more_note != NULL);
	bool below = scroll + in.h<total, above = scroll> 0;
	if (below || above) {
		/* on the bottom edge, left of the page label: ↑↓ more, and the keys if room */
		char mark[64];
		int room = box.w - 4 - (v->page_label ? ui_text_width(v->page_label) + 2 : 0);
		const char *keys = below && above ? "PgUp/PgDn" : below ? "PgDn" : "PgUp";
		snprintf(mark, sizeof mark, " %s%s more (%s) ", above ? s->g->up : "",
		         below ? s->g->down : "", keys);
		if (ui_text_width(mark) > room)
			snprintf(mark, sizeof mark, " %s%s more ", above ? s->g->up : "",
			         below ? s->g->down : "");
		ui_put(s, NULL, box.y + box.h - 1, box.x + 2, UI_BOLD, mark);
	}
}

const struct ui_panel_ops ui_panel_lesson = {
    .name = "lesson",
    .want = lesson_want,
    .draw = lesson_draw,
};
