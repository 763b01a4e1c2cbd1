/*
 * render.c — a lesson page as styled, wrapped lines for any front end: the
 * tutor's curses pane draws the spans with attributes, the plain REPL prints
 * their text. Prose is parsed with cmark and word-wrapped by display width
 * (wcwidth); code is shown verbatim, long lines continued with a mark;
 * runnable blocks carry LSTYLE_RUN and their block index so a front end can
 * highlight and run them. Control characters never reach the output.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmark.h>

#include "lesson/lesson.h"

#define RENDER_MIN_WIDTH 8   /* narrower widths are rendered as this */
#define RENDER_MAX_PREFIX 16 /* nesting levels of prefixes kept */
#define RENDER_TAB 4         /* tab stops in code blocks */

/* A line prefix: bullets, numbers, quote bars, indentation. */
struct rprefix {
	const char *text[RENDER_MAX_PREFIX]; /* pieces, drawn in order */
	unsigned style[RENDER_MAX_PREFIX];   /* their styles */
	int n;                               /* pieces in use */
};

/* Where a block is rendered: prefixes for its first line and the rest. */
struct rctx {
	struct rprefix first; /* before the first line (a bullet) */
	struct rprefix rest;  /* before every other line */
	bool first_pending;   /* the first line is still to come */
	struct rctx *parent;  /* whose first line this also is */
	unsigned style;       /* styles added to everything inside (quote) */
	char mark[24];        /* this level's own first-line marker ("12. ") */
};

/* The renderer's state. */
struct rstate {
	struct lrender *out; /* lines so far */
	int width;           /* columns */
	int block;           /* index of the page block being rendered */
	struct lline cur;    /* the line being built */
	int col;             /* its display width so far */
	int pcol;            /* the width of its prefix */
	bool open;           /* cur has been started (prefix written) */
};

/* One piece of inline text with its style. */
struct rseg {
	unsigned style; /* LSTYLE_* */
	char *text;     /* UTF-8; may contain ' ' and '\n' */
};

/* A paragraph's inline content. */
struct rsegs {
	struct rseg *v; /* pieces */
	size_t n;       /* in use */
};

/* malloc-family wrappers that never return NULL. */
static void *render_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

/* strndup that never returns NULL. */
static char *render_xstrndup(const char *s, size_t n)
{
	char *d = render_xrealloc(NULL, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* Decode one UTF-8 character at s (n bytes left); its length, and the code point in *cp.
 * A bad byte is one character U+FFFD. */
static size_t render_utf8(const char *s, size_t n, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len;
	unsigned c;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	} else if ((u[0] & 0xe0) == 0xc0) {
		len = 2;
		c = u[0] & 0x1f;
	} else if ((u[0] & 0xf0) == 0xe0) {
		len = 3;
		c = u[0] & 0x0f;
	} else if ((u[0] & 0xf8) == 0xf0) {
		len = 4;
		c = u[0] & 0x07;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	if (len > n) {
		*cp = 0xfffd;
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		c = (c << 6) | (u[i] & 0x3f);
	}
	*cp = c;
	return len;
}

/* C0 and C1 control characters and DEL: never sent to a terminal. */
static bool render_is_control(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

/* Display width of a code point: wcwidth, with 1 for what the locale does not know. */
static int render_cpwidth(unsigned cp)
{
	if (cp < 0xa0) /* ASCII; control characters (C0, C1) are drawn as '?' */
		return 1;
	int w = wcwidth((wchar_t)cp);
	if (w >= 0)
		return w;
	/* a non-UTF-8 locale: wide East Asian ranges still take two columns */
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) ||
	    (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

/* Display width of n bytes of UTF-8. */
static int render_width_n(const char *s, size_t n)
{
	int w = 0;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		i += render_utf8(s + i, n - i, &cp);
		w += render_cpwidth(cp);
	}
	return w;
}

int lesson_text_width(const char *s)
{
	return render_width_n(s, strlen(s));
}

/* Append text to the current line, merging with the last span of the same style. */
static void render_put(struct rstate *st, unsigned style, const char *text, size_t len)
{
	struct lline *l = &st->cur;
	if (len == 0)
		return;
	if (l->n_spans && l->spans[l->n_spans - 1].style == style) {
		struct lspan *sp = &l->spans[l->n_spans - 1];
		size_t a = strlen(sp->text);
		sp->text = render_xrealloc(sp->text, a + len + 1);
		memcpy(sp->text + a, text, len);
		sp->text[a + len] = '\0';
	} else {
		l->spans = render_xrealloc(l->spans, (l->n_spans + 1) * sizeof *l->spans);
		l->spans[l->n_spans].style = style;
		l->spans[l->n_spans].text = render_xstrndup(text, len);
		l->n_spans++;
	}
	st->col += render_width_n(text, len);
}

/* Width of a prefix. */
static int render_prefix_width(const struct rprefix *p)
{
	int w = 0;
	for (int i = 0; i < p->n; i++)
		w += lesson_text_width(p->text[i]);
	return w;
}

/* The prefix the next line takes, and mark the first line used up the chain. */
static const struct rprefix *render_take_prefix(struct rctx *ctx)
{
	if (!ctx->first_pending)
		return &ctx->rest;
	for (struct rctx *c = ctx; c; c = c->parent)
		c->first_pending = false;
	return &ctx->first;
}

/* Start a line if none is open: write the prefix. */
static void render_open(struct rstate *st, struct rctx *ctx)
{
	if (st->open)
		return;
	const struct rprefix *p = render_take_prefix(ctx);
	memset(&st->cur, 0, sizeof st->cur);
	st->cur.block = st->block;
	st->col = 0;
	st->open = true;
	for (int i = 0; i < p->n; i++)
		render_put(st, p->style[i], p->text[i], strlen(p->text[i]));
	st->pcol = st->col;
}

/* Finish the current line (opening one if needed: an empty line keeps its prefix). */
static void render_newline(struct rstate *st, struct rctx *ctx)
{
	render_open(st, ctx);
	struct lrender *o = st->out;
	o->lines = render_xrealloc(o->lines, (o->n_lines + 1) * sizeof *o->lines);
	o->lines[o->n_lines++] = st->cur;
	memset(&st->cur, 0, sizeof st->cur);
	st->open = false;
	st->col = 0;
}

/* An empty separating line, with no prefix and no block. */
static void render_blank(struct rstate *st)
{
	struct lrender *o = st->out;
	o->lines = render_xrealloc(o->lines, (o->n_lines + 1) * sizeof *o->lines);
	memset(&o->lines[o->n_lines], 0, sizeof o->lines[o->n_lines]);
	o->lines[o->n_lines].block = -1;
	o->n_lines++;
}

/* A blank line inside a container keeps its bars ("│"), else it is empty. */
static void render_sep(struct rstate *st, struct rctx *ctx)
{
	if (ctx->rest.n == 0) {
		render_blank(st);
		return;
	}
	memset(&st->cur, 0, sizeof st->cur);
	st->cur.block = st->block;
	st->open = true;
	for (int i = 0; i < ctx->rest.n; i++)
		render_put(st, ctx->rest.style[i], ctx->rest.text[i], strlen(ctx->rest.text[i]));
	/* drop trailing blanks: the line is only bars */
	struct lline *l = &st->cur;
	while (l->n_spans) {
		struct lspan *sp = &l->spans[l->n_spans - 1];
		size_t k = strlen(sp->text);
		while (k && sp->text[k - 1] == ' ')
			sp->text[--k] = '\0';
		if (k)
			break;
		free(sp->text);
		l->n_spans--;
	}
	if (l->n_spans == 0) {
		free(l->spans);
		l->spans = NULL;
		st->open = false;
		render_blank(st);
		return;
	}
	render_newline(st, ctx);
}

/* Add a segment of inline text. */
static void segs_add(struct rsegs *s, unsigned style, const char *text)
{
	if (!text || !*text)
		return;
	s->v = render_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
	s->v[s->n].style = style;
	s->v[s->n].text = render_xstrndup(text, strlen(text));
	s->n++;
}

/* Free segments. */
static void segs_free(struct rsegs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].text);
	free(s->v);
	memset(s, 0, sizeof *s);
}

/* Collect a node's inline content as styled segments. */
static void render_inlines(cmark_node *node, unsigned style, struct rsegs *s)
{
	for (cmark_node *n = cmark_node_first_child(node); n; n = cmark_node_next(n)) {
		const char *lit = cmark_node_get_literal(n);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
			segs_add(s, style, lit);
			break;
		case CMARK_NODE_CODE:
			segs_add(s, style | LSTYLE_CODE, lit);
			break;
		case CMARK_NODE_HTML_INLINE:
			segs_add(s, style | LSTYLE_DIM, lit);
			break;
		case CMARK_NODE_SOFTBREAK:
			segs_add(s, style, " ");
			break;
		case CMARK_NODE_LINEBREAK:
			segs_add(s, style, "\n");
			break;
		case CMARK_NODE_EMPH:
			render_inlines(n, style | LSTYLE_EMPH, s);
			break;
		case CMARK_NODE_STRONG:
			render_inlines(n, style | LSTYLE_STRONG, s);
			break;
		case CMARK_NODE_LINK: {
			size_t before = s->n;
			render_inlines(n, style, s);
			const char *url = cmark_node_get_url(n);
			/* show where a link goes unless its text already says so */
			if (url && *url &&
			    !(s->n == before + 1 && !strcmp(s->v[before].text, url))) {
				segs_add(s, style | LSTYLE_DIM, " <");
				segs_add(s, style | LSTYLE_DIM, url);
				segs_add(s, style | LSTYLE_DIM, ">");
			}
			break;
		}
		case CMARK_NODE_IMAGE:
			segs_add(s, style | LSTYLE_DIM, "[image: ");
			render_inlines(n, style | LSTYLE_DIM, s);
			segs_add(s, style | LSTYLE_DIM, "]");
			break;
		default:
			render_inlines(n, style, s);
		}
	}
}

/* Put text on the line, starting a new line where it does not fit (after `mark`,
 * if given, in LSTYLE_DIM); control characters become '?'. Runs of characters
 * that fit are put at once. */
static void render_text(struct rstate *st, struct rctx *ctx, unsigned style, const char *t,
                        size_t n, const char *mark)
{
	size_t from = 0;
	int pend = 0; /* display width of t[from..k), not yet put */

	for (size_t k = 0; k < n;) {
		unsigned cp;
		size_t len = render_utf8(t + k, n - k, &cp);
		int cw = render_cpwidth(cp);
		if (st->col + pend + cw > st->width && st->col + pend > st->pcol) {
			render_put(st, style, t + from, k - from);
			from = k;
			pend = 0;
			render_newline(st, ctx);
			render_open(st, ctx);
			/* the mark's indentation gives way where a wide character after
			 * it would not fit the width, then the mark itself */
			const char *m = mark;
			while (m && *m == ' ' && st->col + lesson_text_width(m) + cw > st->width)
				m++;
			if (m && st->col + lesson_text_width(m) + cw <= st->width)
				render_put(st, LSTYLE_DIM, m, strlen(m));
		}
		if (render_is_control(cp) || (cp == 0xfffd && len == 1)) {
			render_put(st, style, t + from, k - from);
			if (render_is_control(cp))
				render_put(st, style, "?", 1);
			else
				render_put(st, style, "\xef\xbf\xbd",
				           3); /* U+FFFD for a bad byte */
			from = k + len;
			pend = 0;
		} else {
			pend += cw;
		}
		k += len;
	}
	render_put(st, style, t + from, n - from);
}

/* Put one word (pieces of styled text, no spaces) on the line, wrapping or splitting it. */
static void render_word(struct rstate *st, struct rctx *ctx, const struct rseg *parts, size_t np,
                        bool space_before)
{
	int ww = 0;
	for (size_t i = 0; i < np; i++)
		ww += lesson_text_width(parts[i].text);
	render_open(st, ctx);
	if (st->col > st->pcol) { /* words already on the line */
		if (st->col + (space_before ? 1 : 0) + ww <= st->width) {
			if (space_before)
				render_put(st, parts[0].style & ~(unsigned)LSTYLE_CODE, " ", 1);
		} else {
			render_newline(st, ctx);
			render_open(st, ctx);
		}
	}
	for (size_t i = 0; i < np; i++)
		render_text(st, ctx, parts[i].style, parts[i].text, strlen(parts[i].text), NULL);
}

/* A word being gathered by render_wrap. */
struct rword {
	struct rseg *parts; /* its pieces (a style change splits a word) */
	size_t n;           /* pieces in use */
	bool space;         /* a space came before it */
	bool any;           /* a word is already on this line */
};

/* Put the gathered word on the line, if there is one. */
static void render_flush_word(struct rstate *st, struct rctx *ctx, struct rword *w)
{
	if (!w->n)
		return;
	render_word(st, ctx, w->parts, w->n, w->space && w->any);
	w->any = true;
	w->space = false;
	for (size_t q = 0; q < w->n; q++)
		free(w->parts[q].text);
	w->n = 0;
}

/* Wrap styled segments into lines under ctx. */
static void render_wrap(struct rstate *st, struct rctx *ctx, const struct rsegs *s)
{
	struct rword w = {0};

	for (size_t i = 0; i < s->n; i++) {
		const char *t = s->v[i].text;
		while (*t) {
			if (*t == ' ' || *t == '\t') {
				render_flush_word(st, ctx, &w);
				w.space = true;
				t++;
			} else if (*t == '\n') {
				render_flush_word(st, ctx, &w);
				render_newline(st, ctx);
				w.any = false;
				w.space = false;
				t++;
			} else {
				size_t k = strcspn(t, " \t\n");
				w.parts = render_xrealloc(w.parts, (w.n + 1) * sizeof *w.parts);
				w.parts[w.n].style = s->v[i].style;
				w.parts[w.n].text = render_xstrndup(t, k);
				w.n++;
				t += k;
			}
		}
	}
	render_flush_word(st, ctx, &w);
	free(w.parts);
	if (st->open || !w.any)
		render_newline(st, ctx);
}

/* Verbatim lines (code): tabs expanded, long lines continued after a mark. */
static void render_verbatim(struct rstate *st, struct rctx *ctx, const char *text, unsigned style)
{
	const char *p = text ? text : "";
	size_t n = strlen(p);

	if (n && p[n - 1] == '\n')
		n--;
	for (size_t i = 0; i <= n;) {
		size_t k = 0, cols = 0, o = 0;
		while (i + k < n && p[i + k] != '\n')
			k++;
		size_t tabs = 0;
		for (size_t j = 0; j < k; j++)
			tabs += p[i + j] == '\t';
		char *line = render_xrealloc(NULL, k + tabs * RENDER_TAB + 1);
		for (size_t j = 0; j < k; j++) {
			if (p[i + j] == '\t') {
				do
					line[o++] = ' ';
				while (++cols % RENDER_TAB);
			} else {
				line[o++] = p[i + j];
				cols += ((unsigned char)p[i + j] & 0xc0) !=
				        0x80; /* count characters, not bytes */
			}
		}
		line[o] = '\0';
		/* a continued line keeps the line's own indentation, then a ↪ */
		char mark[64];
		size_t lead = strspn(line, " ");
		int cap = st->width / 3;
		if ((int)lead > cap)
			lead = cap > 0 ? (size_t)cap : 0;
		if (lead > sizeof mark - 4)
			lead = sizeof mark - 4;
		memset(mark, ' ', lead);
		memcpy(mark + lead, "\xe2\x86\xaa", 4); /* ↪ and its NUL */
		render_open(st, ctx);
		render_text(st, ctx, style, line, o, mark);
		free(line);
		render_newline(st, ctx);
		i += k + 1;
	}
}

/* Push a prefix piece, unless prefixes would take more than half the width. */
static void prefix_push(struct rprefix *p, const char *text, unsigned style, int width)
{
	if (p->n >= RENDER_MAX_PREFIX ||
	    render_prefix_width(p) + lesson_text_width(text) > width / 2)
		return;
	p->text[p->n] = text;
	p->style[p->n] = style;
	p->n++;
}

/* A child context: the parent's current prefix plus first/rest markers. */
static void render_child(struct rctx *child, struct rctx *parent, const char *first,
                         const char *rest, unsigned pstyle, unsigned style, int width)
{
	memset(child, 0, sizeof *child);
	child->first = parent->first_pending ? parent->first : parent->rest;
	child->rest = parent->rest;
	snprintf(child->mark, sizeof child->mark, "%s", first);
	prefix_push(&child->first, child->mark, pstyle, width);
	prefix_push(&child->rest, rest, pstyle, width);
	child->first_pending = true;
	child->parent = parent;
	child->style = parent->style | style;
}

static void render_blocks(struct rstate *st, cmark_node *parent, struct rctx *ctx, bool tight);

/* Render one Markdown block node. */
static void render_node(struct rstate *st, cmark_node *n, struct rctx *ctx, bool tight)
{
	struct rsegs s = {0};
	struct rctx child;
	char num[24];

	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
		render_inlines(n, ctx->style, &s);
		render_wrap(st, ctx, &s);
		break;
	case CMARK_NODE_HEADING:
		render_inlines(n, ctx->style | LSTYLE_HEADING | LSTYLE_STRONG, &s);
		render_wrap(st, ctx, &s);
		break;
	case CMARK_NODE_BLOCK_QUOTE:
		render_child(&child, ctx, "\xe2\x94\x82 ", "\xe2\x94\x82 ",
		             LSTYLE_QUOTE | LSTYLE_DIM, LSTYLE_QUOTE, st->width); /* │ */
		render_blocks(st, n, &child, false);
		break;
	case CMARK_NODE_LIST: {
		bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
		bool t = cmark_node_get_list_tight(n);
		int k = cmark_node_get_list_start(n);
		bool first = true;
		for (cmark_node *it = cmark_node_first_child(n); it;
		     it = cmark_node_next(it), k++) {
			if (!first && !t)
				render_sep(st, ctx);
			first = false;
			if (ordered) {
				snprintf(num, sizeof num, "%d%c ", k,
				         cmark_node_get_list_delim(n) == CMARK_PAREN_DELIM ? ')'
				                                                           : '.');
				render_child(&child, ctx, num, strlen(num) <= 3 ? "   " : "    ",
				             ctx->style, 0, st->width);
			} else {
				render_child(&child, ctx, "\xe2\x80\xa2 ", "  ", ctx->style, 0,
				             st->width); /* • */
			}
			render_blocks(st, it, &child, t);
			if (child.first_pending) /* an empty item still shows its marker */
				render_newline(st, &child);
		}
		(void)tight;
		break;
	}
	case CMARK_NODE_CODE_BLOCK:
		render_child(&child, ctx, "  ", "  ", ctx->style, 0, st->width);
		render_verbatim(st, &child, cmark_node_get_literal(n), ctx->style | LSTYLE_CODE);
		break;
	case CMARK_NODE_HTML_BLOCK:
		render_verbatim(st, ctx, cmark_node_get_literal(n), ctx->style | LSTYLE_DIM);
		break;
	case CMARK_NODE_THEMATIC_BREAK: {
		render_open(st, ctx);
		while (st->col < st->width)
			render_put(st, LSTYLE_DIM, "\xe2\x94\x80", 3); /* ─ */
		render_newline(st, ctx);
		break;
	}
	default:
		render_blocks(st, n, ctx, tight);
	}
	segs_free(&s);
}

/* Render the block children of a node, separated by blank lines unless tight. */
static void render_blocks(struct rstate *st, cmark_node *parent, struct rctx *ctx, bool tight)
{
	bool first = true;
	for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
		if (!first && !tight)
			render_sep(st, ctx);
		first = false;
		render_node(st, n, ctx, tight);
	}
}

/* Render a plain string wrapped as one paragraph with a lead-in of another style. */
static void render_para(struct rstate *st, struct rctx *ctx, const char *lead, unsigned lead_style,
                        const char *text, unsigned style)
{
	struct rsegs s = {0};
	segs_add(&s, lead_style, lead);
	segs_add(&s, style, text);
	render_wrap(st, ctx, &s);
	segs_free(&s);
}

/* Render choices "a) text" under a question. */
static void render_choices(struct rstate *st, struct rctx *ctx, char **choices, size_t n)
{
	for (size_t i = 0; i < n && i < 26; i++) {
		char mark[8];
		snprintf(mark, sizeof mark, "%c) ", (char)('a' + i));
		struct rctx child;
		render_child(&child, ctx, "  ", "     ", 0, 0, st->width);
		render_para(st, &child, mark, LSTYLE_STRONG, choices[i], LSTYLE_PLAIN);
	}
}

/* Render one page block. */
static void render_block(struct rstate *st, const struct lesson_block *b)
{
	struct rctx top;
	memset(&top, 0, sizeof top);

	switch (b->kind) {
	case LBLOCK_TEXT: {
		const char *t = b->text ? b->text : "";
		cmark_node *doc = cmark_parse_document(t, strlen(t), CMARK_OPT_VALIDATE_UTF8);
		if (doc) {
			render_blocks(st, doc, &top, false);
			cmark_node_free(doc);
		}
		break;
	}
	case LBLOCK_PYTHON:
	case LBLOCK_CODE: {
		struct rctx child;
		render_child(&child, &top, "  ", "  ", 0, 0, st->width);
		render_verbatim(st, &child, b->text, LSTYLE_CODE);
		break;
	}
	case LBLOCK_RUN: {
		struct rctx child;
		render_child(&child, &top, "\xe2\x96\xb6 ", "  ", LSTYLE_RUN | LSTYLE_STRONG, 0,
		             st->width); /* ▶ */
		render_para(st, &child, "", 0, b->text, LSTYLE_RUN);
		break;
	}
	case LBLOCK_QUIZ:
		if (b->quiz) {
			render_para(st, &top, "Checkpoint: ", LSTYLE_STRONG | LSTYLE_HEADING,
			            b->quiz->question, LSTYLE_PLAIN);
			render_choices(st, &top, b->quiz->choices, b->quiz->n_choices);
		}
		break;
	case LBLOCK_PREDICT:
		if (b->predict) {
			render_para(st, &top, "Predict: ", LSTYLE_STRONG | LSTYLE_HEADING,
			            b->predict->question, LSTYLE_PLAIN);
			if (b->predict->n_choices) {
				render_choices(st, &top, b->predict->choices,
				               b->predict->n_choices);
			} else {
				struct rctx child;
				render_child(&child, &top, "  ", "  ", 0, 0, st->width);
				render_para(st, &child, "", 0, "(answer with a number)",
				            LSTYLE_DIM);
			}
		}
		break;
	}
}

int lesson_render_page(const struct lesson_page *page, int width, struct lrender *out)
{
	return lesson_render_blocks(page, page ? page->n_blocks : 0, width, out);
}

struct lesson_pane lesson_pane_layout(int cols, int rows, int compare_cols)
{
	struct lesson_pane p;
	bool cmp = compare_cols > 0;
	int n = cmp ? compare_cols : 1;
	/* a third of the screen, less when a compare needs the room */
	int lw = cmp ? cols * 3 / 10 : cols * 2 / 5;
	if (lw > 70)
		lw = 70;
	if (cmp && (cols - lw) / n < 26)
		lw = cols - 26 * n >= 26 ? cols - 26 * n : cols * 2 / 5;
	p.width = lw;
	p.text_w = lw - 4;       /* borders, and the ▶ marker's two cells */
	p.rows = (rows - 3) - 2; /* above the legend, key and prompt lines; in the box */
	return p;
}

int lesson_render_blocks(const struct lesson_page *page, size_t n, int width, struct lrender *out)
{
	struct rstate st;

	memset(out, 0, sizeof *out);
	if (!page)
		return -1;
	if (n > page->n_blocks)
		n = page->n_blocks;
	memset(&st, 0, sizeof st);
	st.out = out;
	st.width = width < RENDER_MIN_WIDTH ? RENDER_MIN_WIDTH : width;
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			render_blank(&st);
		st.block = (int)i;
		render_block(&st, &page->blocks[i]);
	}
	return 0;
}

void lrender_free(struct lrender *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_lines; i++) {
		for (size_t k = 0; k < r->lines[i].n_spans; k++)
			free(r->lines[i].spans[k].text);
		free(r->lines[i].spans);
	}
	free(r->lines);
	memset(r, 0, sizeof *r);
}

char *lline_text(const struct lline *l)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n_spans; i++)
		n += strlen(l->spans[i].text);
	char *s = render_xrealloc(NULL, n + 1);
	n = 0;
	for (size_t i = 0; i < l->n_spans; i++) {
		size_t k = strlen(l->spans[i].text);
		memcpy(s + n, l->spans[i].text, k);
		n += k;
	}
	s[n] = '\0';
	return s;
}
