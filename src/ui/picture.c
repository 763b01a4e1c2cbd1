/*
 * picture.c — the drawing service behind --format svg|png (export/picture.h):
 * a run or a compare is laid out as the tutor lays it out (the same panels:
 * a column per backend, the serial baselines as lines above, the legend)
 * into an in-memory cell surface of PICTURE_COLS x PICTURE_ROWS, and each
 * cell is then painted with cairo at PICTURE_W x PICTURE_H pixels in the
 * tutor's palette on a dark background, so the picture reads as the screen
 * does, from the back of a room.
 *
 * Block and box-drawing characters are painted as rectangles and lines, not
 * as the font's glyphs: bars then meet without gaps whatever the font.
 */
#include <cairo-svg.h>
#include <cairo.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/machine.h"
#include "engine/task.h"
#include "export/format.h"
#include "export/picture.h"
#include "ui/panel.h"
#include "ui/picture.h"

#define PICTURE_W 1920 /* pixels */
#define PICTURE_H 1080
#define PICTURE_COLS 96 /* cells: 20 x 36 pixels each */
#define PICTURE_ROWS 30
#define PICTURE_FONT "DejaVu Sans Mono"
#define PICTURE_FONT_FALLBACK "monospace"
#define PICTURE_MIN_COL 26 /* a column narrower than this: stacked, as the tutor does */

/* An RGB colour, 0..1 each. */
struct picture_rgb {
	double r, g, b;
};

/* The tutor's palette as RGB (screen.c maps the same names to curses
 * colours): bright, saturated hues that keep their contrast on a projector. */
static const struct picture_rgb picture_palette[UI_C_COUNT] = {
    [UI_C_DEFAULT] = {0.90, 0.91, 0.93}, /* the terminal's foreground */
    [UI_C_W0] = {0.25, 0.82, 0.95},      /* cyan */
    [UI_C_W1] = {0.99, 0.80, 0.18},      /* yellow */
    [UI_C_W2] = {0.93, 0.45, 0.95},      /* magenta */
    [UI_C_W3] = {0.35, 0.87, 0.45},      /* green */
    [UI_C_W4] = {0.47, 0.60, 1.00},      /* blue, lightened: dark blue vanishes when projected */
    [UI_C_W5] = {0.96, 0.96, 0.96},      /* white */
    [UI_C_TITLE] = {0.40, 0.88, 0.98},   /* cyan */
    [UI_C_OK] = {0.35, 0.87, 0.45},      /* green */
    [UI_C_ERR] = {1.00, 0.40, 0.40},     /* red */
    [UI_C_WARN] = {0.99, 0.72, 0.20},    /* amber */
    [UI_C_CODE] = {0.53, 0.94, 0.67},    /* green */
    [UI_C_RUN] = {0.99, 0.88, 0.28},     /* yellow */
};
static const struct picture_rgb picture_bg = {0.07, 0.08, 0.10}; /* the terminal's background */

/* A cairo write callback into a stdio stream. */
static cairo_status_t picture_write(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS
	                                            : CAIRO_STATUS_WRITE_ERROR;
}

/* --- what is drawn --------------------------------------------------------- */

/* The date a map began, "2025-05-04 14:03", into buf. */
static void picture_date(char *buf, size_t len, double t0_unix_s)
{
	time_t t = t0_unix_s > 0 ? (time_t)t0_unix_s : time(NULL);
	struct tm tm;
	if (localtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(buf, len, "?");
}

/* The title lines: what ran (task, items, workers, chunksize, backends) and
 * where and when (cores, CPU model, date); verb is the command, "compare". */
static void picture_title(struct ui_surface *s, const char *verb,
                          const struct run_snapshot *const *snaps, size_t n)
{
	const struct run_snapshot *first = snaps[0];
	const char *d = s->g->dot;
	char backends[256] = "";
	size_t at = 0;
	for (size_t i = 0; i < n && at < sizeof backends; i++)
		at += (size_t)snprintf(backends + at, sizeof backends - at, "%s%s", i ? ", " : "",
		                       backend_name(snaps[i]->backend));
	int workers = first->workers;
	long chunk = first->chunksize;
	for (size_t i = 0; i < n;
	     i++) /* a compare's serial rows run one worker: show the others' */
		if (!backend_get(snaps[i]->backend)->serial) {
			workers = snaps[i]->workers;
			chunk = snaps[i]->chunksize;
			break;
		}
	char py[64] = "", what[160];
	for (size_t i = 0; i < n; i++)
		if (snaps[i]->python != NULL && snaps[i]->python->version != NULL) {
			snprintf(py, sizeof py, " %s Python %s", d, snaps[i]->python->version);
			break;
		}
	snprintf(what, sizeof what, "%zu item%s %s %d worker%s %s chunksize %ld %s ",
	         first->n_items, first->n_items == 1 ? "" : "s", d, workers,
	         workers == 1 ? "" : "s", d, chunk, d);
	struct ui_rect row = {0, 1, 1, s->w - 2};
	int x = row.x;
	x += ui_putf(s, &row, 0, x, UI_BOLD | UI_COLOR(UI_C_TITLE), "%s %s ", verb,
	             first->task->name);
	/* too many backends to name on the line: counted (each panel names its own) */
	if (x + ui_text_width(what) + ui_text_width(backends) + ui_text_width(py) > row.x + row.w)
		snprintf(backends, sizeof backends, "%zu backends", n);
	x += ui_putf(s, &row, 0, x, UI_BOLD, "%s%s", what, backends);
	ui_put(s, &row, 0, x, 0, py);
	struct machine_info mi;
	export_machine(&mi);
	char date[64], cores[64];
	picture_date(date, sizeof date, first->t0_unix_s);
	if (mi.cpus_usable != mi.cpus_online)
		snprintf(cores, sizeof cores, "%d of %d cores", mi.cpus_usable, mi.cpus_online);
	else
		snprintf(cores, sizeof cores, "%d core%s", mi.cpus_online,
		         mi.cpus_online == 1 ? "" : "s");
	row.y = 1;
	int dw = ui_text_width(date);
	struct ui_rect left = {1, 1, 1, s->w - 4 - dw};
	x = 1 + ui_putf(s, &left, 1, 1, UI_DIM, "%s %s %s", cores, d, mi.cpu_model);
	/* what other work took of the machine over the runs drawn (machine.h decides) */
	const struct machine_load *loads[BACKEND_COUNT];
	size_t nl = 0;
	for (size_t i = 0; i < n && nl < BACKEND_COUNT; i++)
		loads[nl++] = &snaps[i]->machine;
	struct machine_load all;
	char note[160];
	machine_load_sum(loads, nl, &all);
	if (machine_load_spoils(&all)) {
		ui_busy_words(&all, left.x + left.w - x - 3, true, note, sizeof note);
		ui_putf(s, &left, 1, x, UI_COLOR(UI_C_WARN) | UI_BOLD, " %s %s", d, note);
	} else if (all.valid)
		ui_putf(s, &left, 1, x, UI_DIM, " %s other work %.0f%%", d, 100 * all.busy);
	ui_put(s, &row, 1, s->w - 1 - dw, UI_DIM, date);
}

/* The runs below the title: each family's serial baseline as a line when
 * others are columns (the tutor's rule), a column for every other run, side
 * by side when each is wide enough, else stacked; the legend at the foot. */
static void picture_layout(struct ui_surface *s, const char *verb,
                           const struct run_snapshot *const *snaps, size_t n)
{
	picture_title(s, verb, snaps, n);
	size_t serial = 0;
	for (size_t i = 0; i < n; i++)
		serial += backend_get(snaps[i]->backend)->serial;
	bool lines_too = n > 1 && serial < n; /* baselines drawn as lines */
	struct ui_rect r = {3, 0, s->h - 5, s->w};
	int lines = 0, cols = 0;
	for (size_t i = 0; i < n; i++) {
		if (lines_too && backend_get(snaps[i]->backend)->serial)
			ui_baseline_draw(s, snaps[i],
			                 (struct ui_rect){r.y + lines++, r.x + 1, 1, r.w - 1});
		else
			cols++;
	}
	struct ui_rect area = {r.y + lines + (lines > 0), r.x, r.h - lines - (lines > 0), r.w};
	bool side = cols > 0 && area.w / cols >= PICTURE_MIN_COL;
	int c = 0;
	for (size_t i = 0; i < n; i++) {
		const struct backend_info *b = backend_get(snaps[i]->backend);
		if (lines_too && b->serial)
			continue;
		struct ui_rect box = ui_rect_slice(area, cols, c, side);
		c++;
		/* its speedup against its own family's serial run, as the tutor shows it */
		const struct run_snapshot *base = NULL;
		for (size_t k = 0; k < n && !b->serial; k++)
			if (snaps[k]->backend == backend_baseline(snaps[i]->backend))
				base = snaps[k];
		ui_column_draw(s, snaps[i], snaps[i]->backend, snaps[i]->workers, box, base);
	}
	int most = 1;
	for (size_t i = 0; i < n; i++)
		if (snaps[i]->workers > most)
			most = snaps[i]->workers;
	struct ui_panel lg = {.ops = &ui_panel_legend, .s = s, .data = &most};
	lg.ops->draw(&lg, NULL, (struct ui_rect){s->h - 1, 1, 1, s->w - 2});
}

/* --- painting cells -------------------------------------------------------- */

/* The painter's state over one picture. */
struct picture_paint {
	cairo_t *cr;
	double cw, ch;      /* a cell's size in pixels */
	double base;        /* the text baseline's offset in a cell */
	double line;        /* the width of box-drawing lines */
	const char *family; /* the font in use */
	double font_size;
};

/* A cell's colours for attr: its foreground (dimmed toward the background
 * for UI_DIM) and its background (swapped for UI_REVERSE). */
static void picture_colors(unsigned attr, struct picture_rgb *fg, struct picture_rgb *bg)
{
	unsigned c = UI_COLOR_OF(attr);
	*fg = picture_palette[c < UI_C_COUNT ? c : 0];
	*bg = picture_bg;
	if (attr & UI_DIM) {
		fg->r = picture_bg.r + (fg->r - picture_bg.r) * 0.58;
		fg->g = picture_bg.g + (fg->g - picture_bg.g) * 0.58;
		fg->b = picture_bg.b + (fg->b - picture_bg.b) * 0.58;
	}
	if (attr & UI_REVERSE) {
		struct picture_rgb t = *fg;
		*fg = *bg;
		*bg = t;
	}
}

/* Set the source colour. */
static void picture_source(cairo_t *cr, struct picture_rgb c, double alpha)
{
	cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

/* Paint a block or box-drawing character of cell (x, y) as shapes; false if
 * wc is not one of them (the font draws it). */
static bool picture_shape(struct picture_paint *p, wchar_t wc, double x, double y,
                          struct picture_rgb fg)
{
	cairo_t *cr = p->cr;
	double cw = p->cw, ch = p->ch, mx = x + cw / 2, my = y + ch / 2;
	if (wc == 0x2588 || (wc >= 0x2589 && wc <= 0x258f)) { /* █ and the left eighths ▉..▏ */
		double part = wc == 0x2588 ? 1 : (0x2590 - wc) / 8.0;
		picture_source(cr, fg, 1);
		cairo_rectangle(cr, x, y, cw * part, ch);
		cairo_fill(cr);
		return true;
	}
	if (wc >= 0x2581 && wc <= 0x2587) { /* the lower eighths ▁..▇ */
		double part = (wc - 0x2580) / 8.0;
		picture_source(cr, fg, 1);
		cairo_rectangle(cr, x, y + ch * (1 - part), cw, ch * part);
		cairo_fill(cr);
		return true;
	}
	if (wc >= 0x2591 && wc <= 0x2593) { /* the shades ░ ▒ ▓ */
		static const double alpha[] = {0.30, 0.55, 0.78};
		picture_source(cr, fg, alpha[wc - 0x2591]);
		cairo_rectangle(cr, x, y, cw, ch);
		cairo_fill(cr);
		return true;
	}
	/* box drawing: which arms reach the cell's edges */
	bool left = false, right = false, up = false, down = false, dashed = false;
	switch (wc) {
	case 0x2500: /* ─ */
		left = right = true;
		break;
	case 0x2508: /* ┈ */
		left = right = dashed = true;
		break;
	case 0x2502: /* │ */
		up = down = true;
		break;
	case 0x250c: /* ┌ */
		right = down = true;
		break;
	case 0x2510: /* ┐ */
		left = down = true;
		break;
	case 0x2514: /* └ */
		right = up = true;
		break;
	case 0x2518: /* ┘ */
		left = up = true;
		break;
	default:
		return false;
	}
	picture_source(cr, fg, 1);
	cairo_set_line_width(cr, p->line);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE);
	if (dashed) {
		double dash[] = {cw / 8, cw / 8};
		cairo_set_dash(cr, dash, 2, 0);
		cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	}
	if (left || right) {
		cairo_move_to(cr, left ? x : mx, my);
		cairo_line_to(cr, right ? x + cw : mx, my);
	}
	if (up || down) {
		cairo_move_to(cr, mx, up ? y : my);
		cairo_line_to(cr, mx, down ? y + ch : my);
	}
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
	return true;
}

/* Paint one character with the font at cell (x, y), `cells` wide. */
static void picture_glyph(struct picture_paint *p, wchar_t wc, unsigned attr, double x, double y,
                          int cells, struct picture_rgb fg)
{
	char mb[8];
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t k = wcrtomb(mb, wc, &st);
	if (k == (size_t)-1)
		return;
	mb[k] = '\0';
	cairo_t *cr = p->cr;
	cairo_select_font_face(cr, p->family, CAIRO_FONT_SLANT_NORMAL,
	                       attr & UI_BOLD ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, p->font_size);
	cairo_text_extents_t te;
	cairo_text_extents(cr, mb, &te);
	/* centred in its cells: the font's advance is a little under a cell's width */
	double gx = x + (cells * p->cw - te.x_advance) / 2;
	picture_source(cr, fg, 1);
	cairo_move_to(cr, gx, y + p->base);
	cairo_show_text(cr, mb);
}

/* The font and its size for cells of cw x ch: DejaVu Sans Mono if it is
 * there (a monospace font: 'M' and 'i' advance alike), else "monospace". */
static void picture_font(struct picture_paint *p)
{
	cairo_t *cr = p->cr;
	p->family = PICTURE_FONT;
	cairo_select_font_face(cr, p->family, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 100);
	cairo_text_extents_t m, i;
	cairo_text_extents(cr, "M", &m);
	cairo_text_extents(cr, "i", &i);
	if (m.x_advance <= 0 || m.x_advance != i.x_advance) {
		p->family = PICTURE_FONT_FALLBACK;
		cairo_select_font_face(cr, p->family, CAIRO_FONT_SLANT_NORMAL,
		                       CAIRO_FONT_WEIGHT_NORMAL);
		cairo_text_extents(cr, "M", &m);
	}
	cairo_font_extents_t fe;
	cairo_font_extents(cr, &fe);
	/* the largest size whose advance fits a cell's width and whose
	 * ascent + descent fits its height */
	double by_w = m.x_advance > 0 ? 100 * p->cw / m.x_advance : 100;
	double by_h = fe.ascent + fe.descent > 0 ? 100 * p->ch / (fe.ascent + fe.descent) : 100;
	p->font_size = (by_w < by_h ? by_w : by_h) * 0.98;
	double k = p->font_size / 100;
	p->base = (p->ch - (fe.ascent + fe.descent) * k) / 2 + fe.ascent * k;
}

/* Paint the cells of s onto cr. */
static void picture_paint(cairo_t *cr, struct ui_surface *s, double width, double height)
{
	struct picture_paint p = {.cr = cr, .cw = width / s->w, .ch = height / s->h};
	p.line = p.cw / 7 > 1.5 ? p.cw / 7 : 1.5;
	picture_font(&p);
	picture_source(cr, picture_bg, 1);
	cairo_paint(cr);
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
	for (int y = 0; y < s->h; y++)
		for (int x = 0; x < s->w; x++) {
			wchar_t wc = ui_membuf_char(s, y, x);
			unsigned attr = ui_membuf_attr(s, y, x);
			if (wc == 0)
				continue; /* the right half of a wide character */
			int cells = x + 1 < s->w && ui_membuf_char(s, y, x + 1) == 0 ? 2 : 1;
			struct picture_rgb fg, bg;
			picture_colors(attr, &fg, &bg);
			double px = x * p.cw, py = y * p.ch;
			if (attr & UI_REVERSE) {
				picture_source(cr, bg, 1);
				/* a hair wider, so neighbouring cells meet without a seam */
				cairo_rectangle(cr, px, py, cells * p.cw + 0.5, p.ch + 0.5);
				cairo_fill(cr);
			}
			if (wc != L' ' && !picture_shape(&p, wc, px, py, fg))
				picture_glyph(&p, wc, attr, px, py, cells, fg);
			if (attr & UI_UNDERLINE) {
				picture_source(cr, fg, 1);
				cairo_rectangle(cr, px, py + p.ch - p.line * 1.5, cells * p.cw,
				                p.line);
				cairo_fill(cr);
			}
		}
}

/* --- the files ------------------------------------------------------------- */

/* Write text to out with the XML specials escaped. */
static void picture_xml_text(FILE *out, const char *text)
{
	for (const char *c = text; *c; c++) {
		if (*c == '<')
			fputs("&lt;", out);
		else if (*c == '>')
			fputs("&gt;", out);
		else if (*c == '&')
			fputs("&amp;", out);
		else
			fputc(*c, out);
	}
}

/* Write cairo's SVG (svg, n bytes) to out with a <title> (the first line) and
 * a <desc> (every line, as the screen's text) inside its root element: the
 * picture's words stay readable to a search or a screen reader, where
 * cairo's own glyphs are outlines. */
static int picture_svg_text(FILE *out, const char *svg, size_t n, char *text, char *err,
                            size_t errlen);

/* picture_svg_text with the cell surface's text. */
static int picture_svg_out(FILE *out, const char *svg, size_t n, struct ui_surface *s, char *err,
                           size_t errlen)
{
	return picture_svg_text(out, svg, n, ui_membuf_text(s), err, errlen);
}

/* Write cairo's SVG to out with text (malloc'd, freed here; NULL: out of
 * memory) as its <title> (the first line) and <desc> (every line). */
static int picture_svg_text(FILE *out, const char *svg, size_t n, char *text, char *err,
                            size_t errlen)
{
	const char *root = strstr(svg, "<svg");
	const char *end = root != NULL ? strchr(root, '>') : NULL;
	if (end == NULL || text == NULL) {
		free(text);
		snprintf(err, errlen, "cairo wrote an SVG without its root element");
		return -1;
	}
	size_t head = (size_t)(end + 1 - svg);
	fwrite(svg, 1, head, out);
	char *nl = strchr(text, '\n');
	fputs("\n<title>mptutor: ", out);
	if (nl != NULL)
		*nl = '\0';
	picture_xml_text(out, text + strspn(text, " "));
	fputs("</title>\n<desc>", out);
	if (nl != NULL)
		*nl = '\n';
	picture_xml_text(out, text);
	fputs("</desc>", out);
	fwrite(svg + head, 1, n - head, out);
	free(text);
	return 0;
}

static int picture_draw(FILE *out, enum export_picture_type type, const char *verb,
                        const struct run_snapshot *const *snaps, size_t n, bool ascii, char *err,
                        size_t errlen);

/* The runs as a picture of type to out, drawn in a UTF-8 locale. */
static int picture_write_runs(FILE *out, enum export_picture_type type, const char *verb,
                              const struct run_snapshot *const *snaps, size_t n, char *err,
                              size_t errlen)
{
	if (n == 0) {
		snprintf(err, errlen, "nothing ran: no picture to draw");
		return -1;
	}
	/* the panels' glyphs are UTF-8 whatever the user's locale: drawn and
	 * painted under C.UTF-8 (ASCII glyphs where no UTF-8 locale exists) */
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t was = utf8 != (locale_t)0 ? uselocale(utf8) : (locale_t)0;
	int rc = picture_draw(out, type, verb, snaps, n, utf8 == (locale_t)0, err, errlen);
	if (utf8 != (locale_t)0) {
		uselocale(was);
		freelocale(utf8);
	}
	return rc;
}

/* Draw the runs into a cell surface (ascii: ASCII glyphs), paint it, and
 * write it to out as type. */
static int picture_draw(FILE *out, enum export_picture_type type, const char *verb,
                        const struct run_snapshot *const *snaps, size_t n, bool ascii, char *err,
                        size_t errlen)
{
	struct ui_surface *s = ui_membuf_new(PICTURE_ROWS, PICTURE_COLS, ascii, true);
	if (s == NULL) {
		snprintf(err, errlen, "out of memory drawing the picture");
		return -1;
	}
	picture_layout(s, verb, snaps, n);
	int rc = -1;
	cairo_surface_t *cs;
	char *svg = NULL;
	size_t svg_n = 0;
	FILE *mem = NULL;
	if (type == EXPORT_PICTURE_SVG) {
		mem = open_memstream(&svg, &svg_n);
		if (mem == NULL) {
			snprintf(err, errlen, "out of memory drawing the picture");
			ui_membuf_free(s);
			return -1;
		}
		cs = cairo_svg_surface_create_for_stream(picture_write, mem, PICTURE_W, PICTURE_H);
		cairo_svg_surface_set_document_unit(cs, CAIRO_SVG_UNIT_PX);
	} else {
		cs = cairo_image_surface_create(CAIRO_FORMAT_RGB24, PICTURE_W, PICTURE_H);
	}
	cairo_t *cr = cairo_create(cs);
	picture_paint(cr, s, PICTURE_W, PICTURE_H);
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	if (st == CAIRO_STATUS_SUCCESS && type == EXPORT_PICTURE_PNG)
		st = cairo_surface_write_to_png_stream(cs, picture_write, out);
	cairo_surface_finish(cs);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(cs);
	cairo_surface_destroy(cs);
	/* nothing of cairo is alive now: let it drop its font caches (and the
	 * fontconfig patterns they hold), so a picture leaves nothing allocated */
	cairo_debug_reset_static_data();
	if (st != CAIRO_STATUS_SUCCESS)
		snprintf(err, errlen, "cannot draw the picture: %s", cairo_status_to_string(st));
	else if (mem != NULL && fclose(mem) != 0)
		snprintf(err, errlen, "out of memory drawing the picture");
	else if (mem == NULL || picture_svg_out(out, svg, svg_n, s, err, errlen) == 0)
		rc = 0;
	if (mem != NULL && st != CAIRO_STATUS_SUCCESS)
		fclose(mem);
	free(svg);
	ui_membuf_free(s);
	return rc;
}

/* The service's run: one column. */
static int picture_run(FILE *out, enum export_picture_type type, const struct run_snapshot *s,
                       char *err, size_t errlen)
{
	const struct run_snapshot *const one[] = {s};
	return picture_write_runs(out, type, "run", one, 1, err, errlen);
}

/* The service's compare: the baselines' lines and a column per other run. */
static int picture_compare(FILE *out, enum export_picture_type type, const struct run_request *req,
                           const struct run_snapshot *const *snaps, size_t n, char *err,
                           size_t errlen)
{
	(void)req;
	return picture_write_runs(out, type, "compare", snaps, n, err, errlen);
}

/* --- a sweep's chart ------------------------------------------------------- */

#define CHART_L 170.0 /* the plot's margins, pixels */
#define CHART_R 90.0
#define CHART_T 150.0
#define CHART_B 250.0
#define CHART_FONT "DejaVu Sans"

/* Where a chart maps workers and speedup to pixels. */
struct chart_map {
	double x0, x1, y0, y1; /* the plot: left, right, bottom, top */
	int nmax;
	double ymax;
};

/* Pixel column of n workers. */
static double chart_px(const struct chart_map *m, double n)
{
	return m->nmax > 1 ? m->x0 + (n - 1) / (m->nmax - 1) * (m->x1 - m->x0) : m->x0;
}

/* Pixel row of speedup v. */
static double chart_py(const struct chart_map *m, double v)
{
	return m->y0 - v / m->ymax * (m->y0 - m->y1);
}

/* Text at (x, y) in size px, aligned: 0 left, 0.5 centred, 1 right. */
static void chart_text(cairo_t *cr, double x, double y, double size, double align, bool bold,
                       struct picture_rgb c, const char *text)
{
	cairo_select_font_face(cr, CHART_FONT, CAIRO_FONT_SLANT_NORMAL,
	                       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	cairo_text_extents_t te;
	cairo_text_extents(cr, text, &te);
	picture_source(cr, c, 1);
	cairo_move_to(cr, x - te.x_advance * align, y);
	cairo_show_text(cr, text);
}

/* A step for axis ticks over 0..span: 1, 2, 5, 10... giving at most ~10 ticks. */
static double chart_step(double span)
{
	double step = 1;
	while (span / step > 10)
		step *= step == 1 || (int)(step / pow(10, floor(log10(step)))) == 5 ? 2 : 2.5;
	return step;
}

/* The chart of r painted on cr (w x h), and its words into a text for an SVG's
 * <desc> (malloc'd into *words; NULL when out of memory). */
static void chart_paint(cairo_t *cr, double w, double h, const struct run_request *req,
                        const struct sweep_report *r, char **words)
{
	struct picture_rgb fg = picture_palette[UI_C_DEFAULT], title = picture_palette[UI_C_TITLE];
	struct picture_rgb dim = {0.55, 0.57, 0.60};
	size_t wlen = 0;
	FILE *wf = open_memstream(words, &wlen);
	picture_source(cr, picture_bg, 1);
	cairo_paint(cr);
	struct chart_map m = {CHART_L, w - CHART_R, h - CHART_B, CHART_T, 1, 1};
	double smax = 1;
	for (size_t i = 0; i < r->n_pts; i++) {
		if (r->pts[i].workers > m.nmax)
			m.nmax = r->pts[i].workers;
		if (isfinite(r->pts[i].speedup) && r->pts[i].speedup > smax)
			smax = r->pts[i].speedup;
	}
	m.ymax = ceil(fmax(smax * 1.15, fmin(m.nmax, fmax(2 * r->cpus, 2 * smax))));
	/* the title: what ran, where */
	struct machine_info mi;
	machine_info_read(&mi);
	char line[512], date[64];
	picture_date(date, sizeof date, 0);
	snprintf(line, sizeof line, "sweep %s: %zu items, workers %d..%d, %s", req->task->name,
	         req->n_items, req->n_sweep_workers ? req->sweep_workers[0] : 1, m.nmax,
	         req->chunksize_given ? "chunksize as -c" : "chunksize by Pool.map's rule");
	chart_text(cr, 60, 70, 40, 0, true, title, line);
	if (wf)
		fprintf(wf, "%s\n", line);
	snprintf(line, sizeof line, "%d CPU%s usable of %d %s %s %s %s", r->cpus,
	         r->cpus == 1 ? "" : "s", mi.cpus_online, "\u00b7", mi.cpu_model, "\u00b7", date);
	chart_text(cr, 60, 118, 26, 0, false, dim, line);
	if (wf)
		fprintf(wf, "%s\n", line);
	/* the grid and the axes */
	cairo_set_line_width(cr, 2);
	double ys = chart_step(m.ymax);
	for (double v = 0; v <= m.ymax + 1e-9; v += ys) {
		picture_source(cr, dim, 0.25);
		cairo_move_to(cr, m.x0, chart_py(&m, v));
		cairo_line_to(cr, m.x1, chart_py(&m, v));
		cairo_stroke(cr);
		snprintf(line, sizeof line, "%g\u00d7", v);
		chart_text(cr, m.x0 - 18, chart_py(&m, v) + 10, 28, 1, false, dim, line);
	}
	double xs = chart_step(m.nmax - 1);
	for (double n = 1; n <= m.nmax + 1e-9; n += xs) {
		snprintf(line, sizeof line, "%g", n);
		chart_text(cr, chart_px(&m, n), m.y0 + 42, 28, 0.5, false, dim, line);
	}
	chart_text(cr, (m.x0 + m.x1) / 2, m.y0 + 86, 30, 0.5, false, fg, "workers");
	cairo_save(cr);
	cairo_translate(cr, 62, (m.y0 + m.y1) / 2);
	cairo_rotate(cr, -M_PI / 2);
	chart_text(cr, 0, 0, 30, 0.5, false, fg, "speedup");
	cairo_restore(cr);
	picture_source(cr, fg, 1);
	cairo_move_to(cr, m.x0, m.y1);
	cairo_line_to(cr, m.x0, m.y0);
	cairo_line_to(cr, m.x1, m.y0);
	cairo_stroke(cr);
	cairo_save(cr);
	cairo_rectangle(cr, m.x0, m.y1 - 20, m.x1 - m.x0 + 20, m.y0 - m.y1 + 20);
	cairo_clip(cr);
	/* the CPUs: where oversubscription begins */
	if (r->cpus >= 1 && r->cpus <= m.nmax) {
		double dash[] = {12, 10};
		cairo_set_dash(cr, dash, 2, 0);
		picture_source(cr, picture_palette[UI_C_WARN], 0.9);
		cairo_move_to(cr, chart_px(&m, r->cpus), m.y0);
		cairo_line_to(cr, chart_px(&m, r->cpus), m.y1);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		snprintf(line, sizeof line, "%d CPU%s", r->cpus, r->cpus == 1 ? "" : "s");
		chart_text(cr, chart_px(&m, r->cpus) + 12, m.y1 + 30, 28, 0, true,
		           picture_palette[UI_C_WARN], line);
	}
	/* the ideal: S = n */
	double dash[] = {4, 10};
	cairo_set_dash(cr, dash, 2, 0);
	cairo_set_line_width(cr, 4);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	picture_source(cr, fg, 0.7);
	cairo_move_to(cr, chart_px(&m, 1), chart_py(&m, 1));
	cairo_line_to(cr, chart_px(&m, m.nmax), chart_py(&m, m.nmax));
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
	double ix = fmin(m.nmax, m.ymax * 0.92);
	chart_text(cr, chart_px(&m, ix) - 14, chart_py(&m, ix) + 8, 28, 1, false, fg, "ideal");
	/* each swept curve: its fit, then its points */
	size_t ci = 0;
	for (size_t c = 0; c < r->n_curves; c++) {
		const struct sweep_curve *cv = &r->curves[c];
		struct picture_rgb col = picture_palette[UI_C_W0 + c % UI_WORKER_COLORS];
		if (cv->fit.ok) {
			cairo_set_line_width(cr, 5);
			picture_source(cr, col, 0.75);
			for (int k = 0; k <= 400; k++) {
				double n = 1 + (m.nmax - 1) * k / 400.0;
				double px = chart_px(&m, n),
				       py = chart_py(&m, sweep_amdahl(cv->fit.f, n, r->cpus));
				if (k == 0)
					cairo_move_to(cr, px, py);
				else
					cairo_line_to(cr, px, py);
			}
			cairo_stroke(cr);
		}
		for (size_t i = cv->first; i < cv->first + cv->n; i++) {
			const struct sweep_point *p = &r->pts[i];
			if (!isfinite(p->speedup))
				continue;
			cairo_new_sub_path(cr);
			cairo_arc(cr, chart_px(&m, p->workers), chart_py(&m, p->speedup), 11, 0,
			          2 * M_PI);
			picture_source(cr, col, 1);
			if (p->oversubscribed) {
				cairo_set_line_width(cr, 4);
				cairo_stroke(cr);
			} else {
				cairo_fill(cr);
			}
		}
		ci++;
	}
	cairo_restore(cr);
	/* the legend and each curve's fit in words */
	double ly = h - CHART_B + 140;
	double lx = 60;
	for (size_t c = 0; c < r->n_curves; c++) {
		const struct sweep_curve *cv = &r->curves[c];
		struct picture_rgb col = picture_palette[UI_C_W0 + c % UI_WORKER_COLORS];
		cairo_new_sub_path(cr);
		cairo_arc(cr, lx + 10, ly - 10, 10, 0, 2 * M_PI);
		picture_source(cr, col, 1);
		cairo_fill(cr);
		char fit[200], base[64];
		sweep_fit_text(&cv->fit, "\u00b1", "\u00d7", fit, sizeof fit);
		sweep_base_text(r, cv, base, sizeof base);
		if (backend_get(cv->backend)->serial)
			snprintf(line, sizeof line, "%s: the baseline", backend_name(cv->backend));
		else
			snprintf(line, sizeof line, "%s: %s (speedup vs %s)",
			         backend_name(cv->backend), fit, base);
		chart_text(cr, lx + 34, ly, 30, 0, cv->fit.ok, fg, line);
		if (wf)
			fprintf(wf, "%s\n", line);
		ly += 42;
	}
	snprintf(line, sizeof line,
	         "filled: on the CPUs; hollow: more workers than CPUs (fitted at %d); dotted: "
	         "ideal; line: Amdahl's law S(n) = 1/(f + (1-f)/n), least squares",
	         r->cpus);
	chart_text(cr, 60, ly, 24, 0, false, dim, line);
	if (wf) {
		fprintf(wf, "%s\n", line);
		if (fclose(wf) != 0) {
			free(*words);
			*words = NULL;
		}
	} else {
		*words = NULL;
	}
	(void)ci;
}

/* The service's sweep: its chart as type to out. */
static int picture_sweep(FILE *out, enum export_picture_type type, const struct run_request *req,
                         const struct sweep_report *r, char *err, size_t errlen)
{
	if (r == NULL || r->n_pts == 0) {
		snprintf(err, errlen, "nothing ran: no chart to draw");
		return -1;
	}
	char *svg = NULL, *words = NULL;
	size_t svg_n = 0;
	FILE *mem = NULL;
	cairo_surface_t *cs;
	if (type == EXPORT_PICTURE_SVG) {
		mem = open_memstream(&svg, &svg_n);
		if (mem == NULL) {
			snprintf(err, errlen, "out of memory drawing the chart");
			return -1;
		}
		cs = cairo_svg_surface_create_for_stream(picture_write, mem, PICTURE_W, PICTURE_H);
		cairo_svg_surface_set_document_unit(cs, CAIRO_SVG_UNIT_PX);
	} else {
		cs = cairo_image_surface_create(CAIRO_FORMAT_RGB24, PICTURE_W, PICTURE_H);
	}
	cairo_t *cr = cairo_create(cs);
	chart_paint(cr, PICTURE_W, PICTURE_H, req, r, &words);
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	if (st == CAIRO_STATUS_SUCCESS && type == EXPORT_PICTURE_PNG)
		st = cairo_surface_write_to_png_stream(cs, picture_write, out);
	cairo_surface_finish(cs);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(cs);
	cairo_surface_destroy(cs);
	cairo_debug_reset_static_data();
	int rc = -1;
	if (st != CAIRO_STATUS_SUCCESS)
		snprintf(err, errlen, "cannot draw the chart: %s", cairo_status_to_string(st));
	else if (mem != NULL && fclose(mem) != 0)
		snprintf(err, errlen, "out of memory drawing the chart");
	else if (mem == NULL) {
		rc = 0;
	} else {
		rc = picture_svg_text(out, svg, svg_n, words, err, errlen);
		words = NULL; /* freed there */
	}
	if (mem != NULL && st != CAIRO_STATUS_SUCCESS)
		fclose(mem);
	free(svg);
	free(words);
	return rc;
}

static const struct export_picture_ops picture_ops = {
    .run = picture_run,
    .compare = picture_compare,
    .sweep = picture_sweep,
};

/* Install the service below, for --format svg|png. */
void ui_picture_install(void)
{
	export_picture_set(&picture_ops);
}
