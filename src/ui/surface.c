/*
 * surface.c — the drawing surface shared by every panel: width-aware
 * clipping of UTF-8 text, boxes, the UTF-8 and ASCII glyph sets, and the
 * in-memory cell buffer the unit tests render into.
 */
#include "ui/surface.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct ui_glyphs ui_glyphs_utf8 = {
    .bar = {" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"},
    .level = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"},
    .hline = "─",
    .vline = "│",
    .tl = "┌",
    .tr = "┐",
    .bl = "└",
    .br = "┘",
    .run = "▶",
    .dot = "·",
    .times = "×",
    .ellipsis = "…",
    .busy = "█",
    .busy2 = "▓",
    .wait = "░",
    .blocked = "┈",
    .zombie = "▒",
    .fail = "✗",
    .arrow = "↔",
    .up = "↑",
    .down = "↓",
};

const struct ui_glyphs ui_glyphs_ascii = {
    .bar = {" ", " ", "-", "-", "=", "=", "#", "#", "#"},
    .level = {" ", ".", ".", ":", ":", "+", "+", "#", "#"},
    .hline = "-",
    .vline = "|",
    .tl = "+",
    .tr = "+",
    .bl = "+",
    .br = "+",
    .run = ">",
    .dot = "|",
    .times = "x",
    .ellipsis = "...",
    .busy = "#",
    .busy2 = "=",
    .wait = ".",
    .blocked = "~",
    .zombie = "z",
    .fail = "X",
    .arrow = "^",
    .up = "^",
    .down = "v",
};

/* Decode one character of s (n bytes left); returns bytes used, wc set. */
static size_t surface_decode(const char *s, size_t n, wchar_t *wc)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t k = mbrtowc(wc, s, n, &st);
	if (k == (size_t)-1 || k == (size_t)-2) {
		*wc = L'?';
		return 1;
	}
	if (k == 0)
		return 1;
	return k;
}

/* Display width of one character: control and unknown characters count 1. */
static int surface_wcwidth(wchar_t wc)
{
	int w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

int ui_text_width(const char *s)
{
	int cols = 0;
	size_t n = strlen(s);
	while (n > 0) {
		wchar_t wc;
		size_t k = surface_decode(s, n, &wc);
		cols += surface_wcwidth(wc);
		s += k;
		n -= k;
	}
	return cols;
}

size_t ui_text_cut(const char *s, int cols, int *got_cols)
{
	size_t n = strlen(s), off = 0;
	int used = 0;
	while (off < n) {
		wchar_t wc;
		size_t k = surface_decode(s + off, n - off, &wc);
		int cw = surface_wcwidth(wc);
		if (used + cw > cols)
			break;
		used += cw;
		off += k;
	}
	if (got_cols)
		*got_cols = used;
	return off;
}

/* ASCII stand-ins for the non-ASCII characters lessons and panels use. */
static const struct {
	unsigned cp; /* Unicode code point */
	const char *ascii;
} surface_translit[] = {
    {0x25b6, ">"},   {0x00d7, "x"},  {0x00b7, "."},   {0x2014, "--"}, {0x2013, "-"},
    {0x2026, "..."}, {0x2018, "'"},  {0x2019, "'"},   {0x201c, "\""}, {0x201d, "\""},
    {0x00b9, "^1"},  {0x00b2, "^2"}, {0x00b3, "^3"},  {0x2074, "^4"}, {0x2075, "^5"},
    {0x2076, "^6"},  {0x2077, "^7"}, {0x2078, "^8"},  {0x2079, "^9"}, {0x2070, "^0"},
    {0x2192, "->"},  {0x2190, "<-"}, {0x2194, "<->"}, {0x2264, "<="}, {0x2265, ">="},
    {0x2248, "~"},   {0x00b5, "u"},  {0x2260, "!="},  {0x2022, "*"},  {0x2713, "v"},
    {0x2717, "X"},   {0x2500, "-"},  {0x2502, "|"},   {0x2588, "#"},  {0x00a0, " "},
};

/* Transliterate UTF-8 text to ASCII (unknown characters become '?'). The
 * bytes are decoded here, not by the locale: the ASCII fallback is also the
 * one for non-UTF-8 locales, where mbrtowc cannot read the lessons' UTF-8. */
static void surface_to_ascii(const char *in, char *out, size_t size)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)in;
	while (*p && o + 4 < size) {
		if (*p < 0x80) {
			out[o++] = (char)*p++;
			continue;
		}
		int len = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc0 ? 2 : 1;
		unsigned cp = len == 1 ? 0 : (unsigned)(*p & (0x7f >> len));
		int k = 1;
		for (; k < len && (p[k] & 0xc0) == 0x80; k++)
			cp = (cp << 6) | (p[k] & 0x3f);
		p += k;
		const char *rep = "?";
		for (size_t i = 0;
		     k == len && i < sizeof surface_translit / sizeof surface_translit[0]; i++)
			if (surface_translit[i].cp == cp) {
				rep = surface_translit[i].ascii;
				break;
			}
		size_t rl = strlen(rep);
		if (o + rl + 1 >= size)
			break;
		memcpy(out + o, rep, rl);
		o += rl;
	}
	out[o] = 0;
}

int ui_put(struct ui_surface *s, const struct ui_rect *clip, int y, int x, unsigned attr,
           const char *str)
{
	char ascii[2048];
	if (s->g == &ui_glyphs_ascii) {
		for (const unsigned char *c = (const unsigned char *)str; *c; c++)
			if (*c >= 0x80) {
				surface_to_ascii(str, ascii, sizeof ascii);
				str = ascii;
				break;
			}
	}
	struct ui_rect r = clip ? *clip : (struct ui_rect){0, 0, s->h, s->w};
	if (r.y < 0) {
		r.h += r.y;
		r.y = 0;
	}
	if (r.x < 0) {
		r.w += r.x;
		r.x = 0;
	}
	if (r.y + r.h > s->h)
		r.h = s->h - r.y;
	if (r.x + r.w > s->w)
		r.w = s->w - r.x;
	if (y < r.y || y >= r.y + r.h || x >= r.x + r.w || r.w <= 0)
		return 0;
	if (x < r.x) { /* skip the columns left of the clip */
		int skip = r.x - x, got = 0;
		size_t off = ui_text_cut(str, skip, &got);
		str += off;
		x += got;
		if (x < r.x) { /* a wide char straddles the edge */
			wchar_t wc;
			str += surface_decode(str, strlen(str), &wc);
			x = r.x;
		}
	}
	int cols = 0;
	size_t n = ui_text_cut(str, r.x + r.w - x, &cols);
	if (n > 0)
		s->ops->put(s, y, x, str, n, cols, attr);
	return cols;
}

int ui_putf(struct ui_surface *s, const struct ui_rect *clip, int y, int x, unsigned attr,
            const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return ui_put(s, clip, y, x, attr, buf);
}

void ui_fill(struct ui_surface *s, const struct ui_rect *clip, int y, int x, int n, unsigned attr,
             const char *glyph)
{
	char buf[512];
	size_t gl = strlen(glyph), len = 0;
	while (n > 0) {
		len = 0;
		while (n > 0 && len + gl < sizeof buf) {
			memcpy(buf + len, glyph, gl);
			len += gl;
			n--;
		}
		buf[len] = 0;
		x += ui_put(s, clip, y, x, attr, buf);
	}
}

void ui_clear(struct ui_surface *s, struct ui_rect r)
{
	if (r.y < 0) {
		r.h += r.y;
		r.y = 0;
	}
	if (r.x < 0) {
		r.w += r.x;
		r.x = 0;
	}
	if (r.y + r.h > s->h)
		r.h = s->h - r.y;
	if (r.x + r.w > s->w)
		r.w = s->w - r.x;
	if (r.h > 0 && r.w > 0)
		s->ops->clear(s, r);
}

void ui_box(struct ui_surface *s, struct ui_rect r, const char *title, unsigned title_attr)
{
	if (r.h < 2 || r.w < 2)
		return;
	const struct ui_glyphs *g = s->g;
	unsigned a = UI_DIM;
	ui_put(s, &r, r.y, r.x, a, g->tl);
	ui_fill(s, &r, r.y, r.x + 1, r.w - 2, a, g->hline);
	ui_put(s, &r, r.y, r.x + r.w - 1, a, g->tr);
	for (int y = r.y + 1; y < r.y + r.h - 1; y++) {
		ui_put(s, &r, y, r.x, a, g->vline);
		ui_put(s, &r, y, r.x + r.w - 1, a, g->vline);
	}
	ui_put(s, &r, r.y + r.h - 1, r.x, a, g->bl);
	ui_fill(s, &r, r.y + r.h - 1, r.x + 1, r.w - 2, a, g->hline);
	ui_put(s, &r, r.y + r.h - 1, r.x + r.w - 1, a, g->br);
	if (title && *title) {
		/* a title too long for the edge is cut at a character and ends with … */
		struct ui_rect t = {r.y, r.x + 1, 1, r.w - 2};
		int room = r.w - 4, got = 0;
		char cut[512];
		if (ui_text_width(title) > room) {
			int ew = ui_text_width(g->ellipsis);
			size_t n = ui_text_cut(title, room > ew ? room - ew : 0, &got);
			while (n > 0 && title[n - 1] == ' ')
				n--; /* no blank before the ellipsis */
			snprintf(cut, sizeof cut, "%.*s%s", (int)(n < 400 ? n : 400), title,
			         room > ew ? g->ellipsis : "");
			title = cut;
		}
		int c = ui_put(s, &t, r.y, r.x + 1, title_attr, " ");
		c += ui_put(s, &t, r.y, r.x + 1 + c, title_attr, title);
		ui_put(s, &t, r.y, r.x + 1 + c, title_attr, " ");
	}
}

/* --- in-memory cells -------------------------------------------------------- */

struct membuf_cell {
	wchar_t ch;    /* the character; 0 on the right half of a wide one */
	unsigned attr; /* attribute bits and colour */
};

struct ui_membuf {
	struct ui_surface surf;    /* must be first */
	struct membuf_cell *cells; /* h * w */
};

/* Write decoded characters into cells. */
static void membuf_put(struct ui_surface *s, int y, int x, const char *text, size_t n, int cols,
                       unsigned attr)
{
	struct ui_membuf *m = s->impl;
	(void)cols;
	while (n > 0 && x < s->w) {
		wchar_t wc;
		size_t k = surface_decode(text, n, &wc);
		int cw = surface_wcwidth(wc);
		if (cw == 0) { /* a combining mark: kept out of the buffer */
			text += k;
			n -= k;
			continue;
		}
		m->cells[y * s->w + x] = (struct membuf_cell){wc, attr};
		if (cw == 2 && x + 1 < s->w)
			m->cells[y * s->w + x + 1] = (struct membuf_cell){0, attr};
		x += cw;
		text += k;
		n -= k;
	}
}

/* Blank a rectangle of cells. */
static void membuf_clear(struct ui_surface *s, struct ui_rect r)
{
	struct ui_membuf *m = s->impl;
	for (int y = r.y; y < r.y + r.h; y++)
		for (int x = r.x; x < r.x + r.w; x++)
			m->cells[y * s->w + x] = (struct membuf_cell){L' ', 0};
}

static const struct ui_surface_ops membuf_ops = {
    .put = membuf_put,
    .clear = membuf_clear,
};

struct ui_surface *ui_membuf_new(int h, int w, bool ascii, bool color)
{
	if (h <= 0 || w <= 0)
		return NULL;
	struct ui_membuf *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->cells = calloc((size_t)h * (size_t)w, sizeof *m->cells);
	if (!m->cells) {
		free(m);
		return NULL;
	}
	m->surf = (struct ui_surface){.ops = &membuf_ops,
	                              .h = h,
	                              .w = w,
	                              .g = ascii ? &ui_glyphs_ascii : &ui_glyphs_utf8,
	                              .color = color,
	                              .impl = m};
	membuf_clear(&m->surf, (struct ui_rect){0, 0, h, w});
	return &m->surf;
}

void ui_membuf_free(struct ui_surface *s)
{
	if (!s)
		return;
	struct ui_membuf *m = s->impl;
	free(m->cells);
	free(m);
}

char *ui_membuf_row(struct ui_surface *s, int y, char *out, size_t size)
{
	struct ui_membuf *m = s->impl;
	size_t len = 0, keep = 0;
	if (size == 0)
		return out;
	out[0] = 0;
	if (y < 0 || y >= s->h)
		return out;
	for (int x = 0; x < s->w; x++) {
		wchar_t wc = m->cells[y * s->w + x].ch;
		if (wc == 0)
			continue;
		char mb[MB_LEN_MAX];
		mbstate_t st;
		memset(&st, 0, sizeof st);
		size_t k = wcrtomb(mb, wc, &st);
		if (k == (size_t)-1) {
			mb[0] = '?';
			k = 1;
		}
		if (len + k + 1 > size)
			break;
		memcpy(out + len, mb, k);
		len += k;
		if (wc != L' ')
			keep = len;
	}
	out[keep] = 0;
	return out;
}

unsigned ui_membuf_attr(struct ui_surface *s, int y, int x)
{
	struct ui_membuf *m = s->impl;
	if (y < 0 || y >= s->h || x < 0 || x >= s->w)
		return 0;
	return m->cells[y * s->w + x].attr;
}

wchar_t ui_membuf_char(struct ui_surface *s, int y, int x)
{
	struct ui_membuf *m = s->impl;
	if (y < 0 || y >= s->h || x < 0 || x >= s->w)
		return 0;
	return m->cells[y * s->w + x].ch;
}

char *ui_membuf_text(struct ui_surface *s)
{
	size_t row = (size_t)s->w * MB_LEN_MAX + 2;
	char *all = malloc(row * (size_t)s->h + 1);
	if (!all)
		return NULL;
	size_t len = 0;
	for (int y = 0; y < s->h; y++) {
		ui_membuf_row(s, y, all + len, row);
		len += strlen(all + len);
		all[len++] = '\n';
	}
	all[len] = 0;
	return all;
}

struct ui_rect ui_rect_slice(struct ui_rect area, int n, int i, bool side)
{
	if (side) {
		int cw = area.w / n;
		return (struct ui_rect){area.y, area.x + i * cw, area.h,
		                        i == n - 1 ? area.w - (n - 1) * cw : cw};
	}
	int ch = area.h / n;
	return (struct ui_rect){area.y + i * ch, area.x, i == n - 1 ? area.h - (n - 1) * ch : ch,
	                        area.w};
}
