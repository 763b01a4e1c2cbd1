/*
 * surface.h — the tiny drawing surface every panel draws through: put a
 * UTF-8 string with attributes at (y, x), clipped to a rectangle. Two
 * implementations: curses (screen.c) and an in-memory cell buffer (here),
 * so panels can be drawn and checked without a terminal.
 *
 * Contract: coordinates are screen cells; a string is cut at the clip
 * rectangle's right edge by display width (wcwidth), never mid-character.
 * The glyph set (UTF-8 or ASCII) and whether colour is used belong to the
 * surface, so a panel never asks the terminal.
 */
#ifndef MPTUTOR_UI_SURFACE_H
#define MPTUTOR_UI_SURFACE_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* A rectangle of cells. */
struct ui_rect {
	int y, x; /* top-left cell */
	int h, w; /* size in cells; <= 0 means empty */
};

/* Attribute bits; a colour (enum ui_color) sits in bits 8..15. */
enum {
	UI_BOLD = 1,     /* bold (also the monochrome stand-in for colour) */
	UI_REVERSE = 2,  /* reverse video: highlights */
	UI_DIM = 4,      /* secondary text */
	UI_UNDERLINE = 8 /* headings in monochrome */
};
#define UI_COLOR(c) ((unsigned)(c) << 8)
#define UI_COLOR_OF(a) (((a) >> 8) & 0xff)

/* The palette; the curses surface maps each to a colour pair. */
enum ui_color {
	UI_C_DEFAULT = 0,
	UI_C_W0,
	UI_C_W1,
	UI_C_W2,
	UI_C_W3,
	UI_C_W4,
	UI_C_W5,    /* worker colours, cycled */
	UI_C_TITLE, /* panel titles */
	UI_C_OK,    /* done, speedup good */
	UI_C_ERR,   /* failed items, errors */
	UI_C_WARN,  /* waiting for the GIL */
	UI_C_CODE,  /* code in the lesson */
	UI_C_RUN,   /* a runnable block */
	UI_C_COUNT
};
#define UI_WORKER_COLORS 6

/* The glyphs a panel draws with: UTF-8 or their ASCII fallback. */
struct ui_glyphs {
	const char *bar[9];                            /* horizontal partial bars, 0/8 .. 8/8 */
	const char *level[9];                          /* vertical levels, empty .. full */
	const char *hline, *vline, *tl, *tr, *bl, *br; /* box drawing */
	const char *run;                               /* the "runnable" marker ▶ */
	const char *dot;                               /* separator · */
	const char *times;                             /* × */
	const char *ellipsis;                          /* … */
	const char *busy, *busy2; /* timeline: running an item (alternating items) */
	const char *wait;         /* timeline: waiting for the GIL */
	const char *blocked;      /* timeline: in a blocking call (I/O, GIL released) */
	const char *zombie;       /* process lifeline: exited, not yet joined */
	const char *fail;         /* a failed item ✗ */
	const char *arrow;        /* GIL hand-off marker */
	const char *up, *down;    /* more text above / below ↑ ↓ */
};
extern const struct ui_glyphs ui_glyphs_utf8;
extern const struct ui_glyphs ui_glyphs_ascii;

struct ui_surface;

/* What an implementation provides. */
struct ui_surface_ops {
	/* Write already-clipped text (n bytes, `cols` cells wide) at y, x. */
	void (*put)(struct ui_surface *s, int y, int x, const char *text, size_t n, int cols,
	            unsigned attr);
	/* Blank a rectangle. */
	void (*clear)(struct ui_surface *s, struct ui_rect r);
};

struct ui_surface {
	const struct ui_surface_ops *ops;
	int h, w;                  /* size in cells */
	const struct ui_glyphs *g; /* glyph set in use */
	bool color;                /* false: monochrome (attributes only) */
	void *impl;                /* the implementation's own data */
};

/* Display width of a UTF-8 string (invalid bytes count 1). */
int ui_text_width(const char *s);
/* Put s at (y, x) clipped to clip and to the surface; returns columns written. */
int ui_put(struct ui_surface *s, const struct ui_rect *clip, int y, int x, unsigned attr,
           const char *str);
/* printf-style ui_put. */
int ui_putf(struct ui_surface *s, const struct ui_rect *clip, int y, int x, unsigned attr,
            const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Fill n cells with a glyph. */
void ui_fill(struct ui_surface *s, const struct ui_rect *clip, int y, int x, int n, unsigned attr,
             const char *glyph);
/* Blank r (clipped to the surface). */
void ui_clear(struct ui_surface *s, struct ui_rect r);
/* A box border with an optional title in the top edge. */
void ui_box(struct ui_surface *s, struct ui_rect r, const char *title, unsigned title_attr);
/* Byte offset in s where `cols` display columns end (for cutting). */
size_t ui_text_cut(const char *s, int cols, int *got_cols);

/* --- the in-memory cell buffer (tests, and headless rendering) ------------ */
struct ui_membuf;
/* A blank h x w buffer surface; NULL on allocation failure. */
struct ui_surface *ui_membuf_new(int h, int w, bool ascii, bool color);
void ui_membuf_free(struct ui_surface *s);
/* Row y as UTF-8 (trailing blanks trimmed) into out; returns out. */
char *ui_membuf_row(struct ui_surface *s, int y, char *out, size_t size);
/* The attribute of cell (y, x). */
unsigned ui_membuf_attr(struct ui_surface *s, int y, int x);
/* The character of cell (y, x): 0 on the right half of a wide one (and out of range). */
wchar_t ui_membuf_char(struct ui_surface *s, int y, int x);
/* Whole buffer, rows joined by '\n'; malloc'd, caller frees. */
char *ui_membuf_text(struct ui_surface *s);

/* Slice i of n equal slices of area: side by side (columns) or stacked (rows);
 * the last slice takes what the division leaves. */
struct ui_rect ui_rect_slice(struct ui_rect area, int n, int i, bool side);

#endif
