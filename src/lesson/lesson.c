/*
 * lesson.c — the lesson loader: one CommonMark file a lesson, parsed with
 * cmark into pages (split at thematic breaks) of blocks (Markdown prose,
 * python code, runnable ```mptutor steps, ```quiz checkpoints, ```predict
 * questions). Every problem becomes a `file:line: message` diagnostic; a bad
 * file never stops the course from loading.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmark.h>

#include "engine/backend.h"
#include "lesson/lesson.h"

#define LESSON_MAX_BYTES (4 * 1024 * 1024) /* a lesson file larger than this is refused */

/* The source of one lesson as lines, to cut text blocks out of it. */
struct src_lines {
	const char *text; /* the whole file */
	size_t len;       /* its length */
	size_t *start;    /* [n + 1] byte offset where line i+1 starts; start[n] == len */
	size_t n;         /* number of lines */
};

/* malloc that never returns NULL: the tutor cannot go on without memory. */
static void *lesson_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();
	return p;
}

/* realloc that never returns NULL. */
static void *lesson_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

/* strndup that never returns NULL. */
static char *lesson_xstrndup(const char *s, size_t n)
{
	char *d = lesson_xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* strdup that never returns NULL. */
static char *lesson_xstrdup(const char *s)
{
	return lesson_xstrndup(s, strlen(s));
}

/* Append a diagnostic `file:line: message` to the course. */
static void lesson_diag(struct course *c, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void lesson_diag(struct course *c, const char *file, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->diags = lesson_xrealloc(c->diags, (c->n_diags + 1) * sizeof *c->diags);
	c->diags[c->n_diags].file = lesson_xstrdup(file ? file : "?");
	c->diags[c->n_diags].line = line;
	c->diags[c->n_diags].message = lesson_xstrdup(msg);
	c->n_diags++;
}

void course_diag_add(struct course *c, const char *file, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	lesson_diag(c, file, line, "%s", msg);
}

void course_diags_sort(struct course *c)
{
	/* insertion sort: stable, and a course has few diagnostics */
	for (size_t i = 1; i < c->n_diags; i++) {
		struct lesson_diag d = c->diags[i];
		size_t j = i;
		while (j > 0) {
			int k = strcmp(c->diags[j - 1].file, d.file);
			if (k < 0 || (k == 0 && c->diags[j - 1].line <= d.line))
				break;
			c->diags[j] = c->diags[j - 1];
			j--;
		}
		c->diags[j] = d;
	}
}

/* Index the line starts of a text; \n, \r\n and \r end a line, as in cmark. */
static void src_lines_init(struct src_lines *s, const char *text, size_t len)
{
	size_t cap = 64;

	s->text = text;
	s->len = len;
	s->n = 0;
	s->start = lesson_xmalloc(cap * sizeof *s->start);
	s->start[0] = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] != '\n' && text[i] != '\r')
			continue;
		if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
			i++;
		if (s->n + 2 >= cap) {
			cap *= 2;
			s->start = lesson_xrealloc(s->start, cap * sizeof *s->start);
		}
		s->start[++s->n] = i + 1;
	}
	if (s->start[s->n] < len) { /* a last line without a newline */
		if (s->n + 2 >= cap)
			s->start = lesson_xrealloc(s->start, (cap + 2) * sizeof *s->start);
		s->start[++s->n] = len;
	}
}

/* The source text of lines first..last (1-based, inclusive), newline-terminated. */
static char *src_lines_cut(const struct src_lines *s, int first, int last)
{
	if (first < 1)
		first = 1;
	if (last > (int)s->n)
		last = (int)s->n;
	if (first > last)
		return lesson_xstrdup("");
	size_t a = s->start[first - 1], b = s->start[last];
	return lesson_xstrndup(s->text + a, b - a);
}

/* Strip leading and trailing white space in place; returns s. */
static char *lesson_trim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	size_t i = 0;
	while (s[i] && isspace((unsigned char)s[i]))
		i++;
	if (i)
		memmove(s, s + i, n - i + 1);
	return s;
}

/* Append src to a growing string *dst, separated by sep if *dst is not empty. */
static void lesson_append(char **dst, const char *sep, const char *src)
{
	size_t a = *dst ? strlen(*dst) : 0, b = strlen(src), c = (a && sep) ? strlen(sep) : 0;
	*dst = lesson_xrealloc(*dst, a + c + b + 1);
	if (c)
		memcpy(*dst + a, sep, c);
	memcpy(*dst + a + c, src, b + 1);
}

/* The plain text of a node's inline content (a heading's title). */
static void lesson_node_text(cmark_node *node, char **out)
{
	for (cmark_node *ch = cmark_node_first_child(node); ch; ch = cmark_node_next(ch)) {
		switch (cmark_node_get_type(ch)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE:
			lesson_append(out, NULL,
			              cmark_node_get_literal(ch) ? cmark_node_get_literal(ch) : "");
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			lesson_append(out, NULL, " ");
			break;
		default:
			lesson_node_text(ch, out);
		}
	}
}

/* Free a quiz. */
static void quiz_free(struct quiz *q)
{
	if (!q)
		return;
	free(q->question);
	for (size_t i = 0; i < q->n_choices; i++)
		free(q->choices[i]);
	free(q->choices);
	free(q->correct);
	free(q->why);
	free(q);
}

/* Free a prediction. */
static void predict_free(struct predict *p)
{
	if (!p)
		return;
	free(p->question);
	for (size_t i = 0; i < p->n_choices; i++)
		free(p->choices[i]);
	free(p->choices);
	free(p->measure);
	free(p);
}

/* Split a code block's literal into lines (the caller frees each and the array). */
static char **lesson_split_lines(const char *text, size_t *n)
{
	char **v = NULL;
	*n = 0;
	while (text && *text) {
		size_t k = strcspn(text, "\r\n");
		v = lesson_xrealloc(v, (*n + 1) * sizeof *v);
		v[(*n)++] = lesson_xstrndup(text, k);
		text += k;
		if (*text == '\r' && text[1] == '\n')
			text++;
		if (*text)
			text++;
	}
	return v;
}

/* Free lines from lesson_split_lines. */
static void lesson_free_lines(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Parse a ```quiz block (DESIGN §4); NULL with diagnostics if malformed. */
static struct quiz *quiz_parse(const char *body, const char *file, int line0, struct course *c)
{
	struct quiz *q = calloc(1, sizeof *q);
	size_t n;
	char **lines = lesson_split_lines(body, &n);
	int in_why = 0, bad = 0;
	size_t n_right = 0;

	if (!q)
		abort();
	for (size_t i = 0; i < n; i++) {
		char *l = lesson_trim(lines[i]);
		int ln = line0 + 1 + (int)i;

		if (!*l) {
			continue;
		} else if (!strncmp(l, "- [", 3) && l[3] && l[4] == ']') {
			char mark = l[3];
			if (mark != ' ' && mark != 'x' && mark != 'X') {
				lesson_diag(c, file, ln, "quiz: choice mark [%c] is not [ ] or [x]",
				            mark);
				bad = 1;
				continue;
			}
			if (q->why) {
				lesson_diag(
				    c, file, ln,
				    "quiz: choice after the Why: line (choices come first)");
				bad = 1;
			}
			char *t = lesson_trim(l + 5);
			if (!*t) {
				lesson_diag(c, file, ln, "quiz: empty choice");
				bad = 1;
				continue;
			}
			q->choices =
			    lesson_xrealloc(q->choices, (q->n_choices + 1) * sizeof *q->choices);
			q->correct =
			    lesson_xrealloc(q->correct, (q->n_choices + 1) * sizeof *q->correct);
			q->choices[q->n_choices] = lesson_xstrdup(t);
			q->correct[q->n_choices] = mark != ' ';
			n_right += mark != ' ';
			q->n_choices++;
			in_why = 0;
		} else if (!strncmp(l, "Why:", 4)) {
			if (q->why) {
				lesson_diag(c, file, ln, "quiz: a second Why: line");
				bad = 1;
			}
			free(q->why);
			q->why = lesson_xstrdup(lesson_trim(l + 4));
			in_why = 1;
		} else if (in_why) {
			lesson_append(&q->why, " ", l);
		} else if (q->n_choices == 0) {
			lesson_append(&q->question, " ", l);
		} else if (l[0] == '-' || l[0] == '*') {
			lesson_diag(c, file, ln,
			            "quiz: a choice is written '- [ ] text' or '- [x] text'");
			bad = 1;
		} else {
			lesson_diag(
			    c, file, ln,
			    "quiz: text after the choices is neither a choice nor 'Why: ...'");
			bad = 1;
		}
	}
	lesson_free_lines(lines, n);
	if (!q->question) {
		lesson_diag(c, file, line0,
		            "quiz: no question (write it on the lines before the choices)");
		bad = 1;
	}
	if (q->n_choices < 2) {
		lesson_diag(c, file, line0,
		            "quiz: %zu choice%s; a quiz needs at least 2 ('- [ ] text')",
		            q->n_choices, q->n_choices == 1 ? "" : "s");
		bad = 1;
	}
	if (q->n_choices >= 2 && n_right == 0) {
		lesson_diag(c, file, line0, "quiz: no right choice; mark at least one '- [x]'");
		bad = 1;
	}
	if (q->n_choices > 26) {
		lesson_diag(c, file, line0, "quiz: %zu choices; at most 26 (a-z)", q->n_choices);
		bad = 1;
	}
	if (bad) {
		quiz_free(q);
		return NULL;
	}
	return q;
}

/* The backends a measure may name. */
static int lesson_backend_word(const char *w)
{
	return backend_lookup(w) != NULL;
}

int predict_measure_check(const char *measure, bool with_choices, char *err, size_t errlen)
{
	char w1[32] = "", w2[32] = "", w3[8] = "";
	int n = sscanf(measure ? measure : "", "%31s %31s %7s", w1, w2, w3);
	const char *allowed = "allowed: speedup BACKEND, wall [BACKEND], fastest, failed, counter";

	if (n < 1) {
		snprintf(err, errlen, "predict: empty measure (%s)", allowed);
		return -1;
	}
	if (n > 2) {
		snprintf(err, errlen, "predict: measure '%s' has too many words (%s)", measure,
		         allowed);
		return -1;
	}
	if (!strcmp(w1, "speedup")) {
		if (n != 2 || !lesson_backend_word(w2) || backend_lookup(w2)->serial) {
			char names[256];
			backend_names(names, sizeof names);
			snprintf(err, errlen,
			         "predict: 'speedup' needs a backend that is not a serial baseline "
			         "(backends: %s)",
			         names);
			return -1;
		}
	} else if (!strcmp(w1, "wall")) {
		if (n == 2 && !lesson_backend_word(w2)) {
			char names[256];
			backend_names(names, sizeof names);
			snprintf(err, errlen, "predict: 'wall %s': allowed backends are %s", w2,
			         names);
			return -1;
		}
	} else if (!strcmp(w1, "fastest")) {
		if (n != 1) {
			snprintf(err, errlen, "predict: 'fastest' takes no argument");
			return -1;
		}
		if (!with_choices) {
			snprintf(
			    err, errlen,
			    "predict: 'fastest' needs choices named after backends ('- process')");
			return -1;
		}
		return 0;
	} else if (!strcmp(w1, "failed") || !strcmp(w1, "counter")) {
		if (n != 1) {
			snprintf(err, errlen, "predict: '%s' takes no argument", w1);
			return -1;
		}
	} else {
		snprintf(err, errlen, "predict: unknown measure '%s' (%s)", w1, allowed);
		return -1;
	}
	if (with_choices) {
		snprintf(err, errlen,
		         "predict: measure '%s' is a number: write 'number', not choices", measure);
		return -1;
	}
	return 0;
}

/* Parse a ```predict block: a question, then choices `- a` or `number`, then `measure: ...`. */
static struct predict *predict_parse(const char *body, const char *file, int line0,
                                     struct course *c)
{
	struct predict *p = calloc(1, sizeof *p);
	size_t n;
	char **lines = lesson_split_lines(body, &n);
	int bad = 0, number = 0;
	char err[256];

	if (!p)
		abort();
	for (size_t i = 0; i < n; i++) {
		char *l = lesson_trim(lines[i]);
		int ln = line0 + 1 + (int)i;

		if (!*l)
			continue;
		if (!strncmp(l, "measure:", 8)) {
			if (p->measure) {
				lesson_diag(c, file, ln, "predict: a second measure: line");
				bad = 1;
			}
			free(p->measure);
			p->measure = lesson_xstrdup(lesson_trim(l + 8));
		} else if (!strcmp(l, "number")) {
			number = 1;
		} else if (l[0] == '-' && (l[1] == ' ' || l[1] == '\0')) {
			char *t = lesson_trim(l + 1);
			if (!*t) {
				lesson_diag(c, file, ln, "predict: empty choice");
				bad = 1;
				continue;
			}
			p->choices =
			    lesson_xrealloc(p->choices, (p->n_choices + 1) * sizeof *p->choices);
			p->choices[p->n_choices++] = lesson_xstrdup(t);
		} else if (p->n_choices || number || p->measure) {
			lesson_diag(c, file, ln,
			            "predict: after the question come '- choice' lines or "
			            "'number', then 'measure: ...'");
			bad = 1;
		} else {
			lesson_append(&p->question, " ", l);
		}
	}
	lesson_free_lines(lines, n);
	if (!p->question) {
		lesson_diag(c, file, line0, "predict: no question");
		bad = 1;
	}
	if (number && p->n_choices) {
		lesson_diag(c, file, line0,
		            "predict: both 'number' and choices; write one of them");
		bad = 1;
	} else if (!number && p->n_choices < 2) {
		lesson_diag(c, file, line0,
		            "predict: write 'number', or at least 2 choices ('- text')");
		bad = 1;
	}
	if (p->n_choices > 26) {
		lesson_diag(c, file, line0, "predict: %zu choices; at most 26 (a-z)", p->n_choices);
		bad = 1;
	}
	if (!p->measure) {
		lesson_diag(c, file, line0,
		            "predict: no 'measure: ...' line (what of the run to compare with)");
		bad = 1;
	} else if (predict_measure_check(p->measure, p->n_choices > 0, err, sizeof err) < 0) {
		lesson_diag(c, file, line0, "%s", err);
		bad = 1;
	}
	if (!bad && !strcmp(p->measure, "fastest")) {
		for (size_t i = 0; i < p->n_choices; i++)
			if (!lesson_backend_word(p->choices[i])) {
				char names[256];
				backend_names(names, sizeof names);
				lesson_diag(c, file, line0,
				            "predict: with 'measure: fastest' each choice is a "
				            "backend (%s), not '%s'",
				            names, p->choices[i]);
				bad = 1;
			}
	}
	if (bad) {
		predict_free(p);
		return NULL;
	}
	return p;
}

static struct lesson_block *page_add(struct lesson_page *pg, enum lblock_kind kind, char *text,
                                     int line);

/* Turn the pending prose lines (*first..last, if *first) into a text block. */
static void lesson_flush_text(struct lesson_page *pg, const struct src_lines *src, int *first,
                              int last)
{
	if (!*first)
		return;
	page_add(pg, LBLOCK_TEXT, src_lines_cut(src, *first, last), *first);
	*first = 0;
}

/* Append a block to a page; returns it. */
static struct lesson_block *page_add(struct lesson_page *pg, enum lblock_kind kind, char *text,
                                     int line)
{
	pg->blocks = lesson_xrealloc(pg->blocks, (pg->n_blocks + 1) * sizeof *pg->blocks);
	struct lesson_block *b = &pg->blocks[pg->n_blocks++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->text = text;
	b->line = line;
	return b;
}

/* Start a new, empty page. */
static struct lesson_page *lesson_add_page(struct lesson *l)
{
	l->pages = lesson_xrealloc(l->pages, (l->n_pages + 1) * sizeof *l->pages);
	struct lesson_page *pg = &l->pages[l->n_pages++];
	memset(pg, 0, sizeof *pg);
	return pg;
}

/* The stem of a path without directory, extension and leading number: "02-gil". */
static char *lesson_name_of(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n > 3 && !strcmp(base + n - 3, ".md"))
		n -= 3;
	size_t i = 0;
	while (i < n && isdigit((unsigned char)base[i]))
		i++;
	if (i > 0 && i < n && (base[i] == '-' || base[i] == '_'))
		i++;
	else
		i = 0;
	return lesson_xstrndup(base + i, n - i);
}

/* Check predictions: each is followed on its page by a runnable block, with no other predict
 * between. */
static void lesson_check_predicts(const struct lesson *l, struct course *c)
{
	for (size_t p = 0; p < l->n_pages; p++) {
		const struct lesson_page *pg = &l->pages[p];
		for (size_t i = 0; i < pg->n_blocks; i++) {
			if (pg->blocks[i].kind != LBLOCK_PREDICT)
				continue;
			size_t j = i + 1;
			while (j < pg->n_blocks && pg->blocks[j].kind != LBLOCK_RUN &&
			       pg->blocks[j].kind != LBLOCK_PREDICT)
				j++;
			if (j == pg->n_blocks || pg->blocks[j].kind != LBLOCK_RUN) {
				lesson_diag(
				    c, l->path, pg->blocks[i].line,
				    "predict: not followed by a ```mptutor block on the same page");
				continue;
			}
			const struct predict *pr = pg->blocks[i].predict;
			const char *cmd = pg->blocks[j].text;
			if (pr &&
			    (!strncmp(pr->measure, "speedup", 7) ||
			     !strcmp(pr->measure, "fastest")) &&
			    strncmp(cmd, "compare", 7))
				lesson_diag(c, l->path, pg->blocks[i].line,
				            "predict: measure '%s' needs a compare block, not '%s'",
				            pr->measure, cmd);
		}
	}
}

/* The comparison operators of an expect: line, longest first. */
static const struct {
	const char *text;
	enum expect_op op;
} expect_ops[] = {{"<=", EXPECT_LE}, {">=", EXPECT_GE}, {"==", EXPECT_EQ},
                  {"!=", EXPECT_NE}, {"<", EXPECT_LT},  {">", EXPECT_GT}};

const char *expect_op_text(enum expect_op op)
{
	for (size_t i = 0; i < sizeof expect_ops / sizeof *expect_ops; i++)
		if (expect_ops[i].op == op)
			return expect_ops[i].text;
	return "?";
}

bool expect_holds(const struct lesson_expect *e, double v)
{
	switch (e->op) {
	case EXPECT_LT:
		return v < e->number;
	case EXPECT_LE:
		return v <= e->number;
	case EXPECT_GT:
		return v > e->number;
	case EXPECT_GE:
		return v >= e->number;
	case EXPECT_EQ:
		return v == e->number;
	case EXPECT_NE:
		return v != e->number;
	}
	return false;
}

/* Free a block's expects. */
static void lesson_expects_free(struct lesson_block *b)
{
	for (size_t i = 0; i < b->n_expects; i++) {
		free(b->expects[i].figure);
		free(b->expects[i].arg);
		free(b->expects[i].reason);
		free(b->expects[i].text);
	}
	free(b->expects);
	b->expects = NULL;
	b->n_expects = 0;
}

/* Parse the text after "expect:" (`FIGURE[(ARG)] OP NUMBER  # reason`) into
 * *e; -1 with a message naming what is wrong and what is allowed. */
static int lesson_expect_parse(const char *src, struct lesson_expect *e, char *err, size_t errlen)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s", src);
	char *hash = strchr(buf, '#');
	memset(e, 0, sizeof *e);
	if (hash) {
		*hash = '\0';
		char *r = lesson_trim(hash + 1);
		if (*r)
			e->reason = lesson_xstrdup(r);
	}
	char *p = lesson_trim(buf);
	const char *form = "write 'expect: FIGURE OP NUMBER', OP one of < <= > >= == !=";
	size_t n = 0;
	while (isalnum((unsigned char)p[n]) || p[n] == '_')
		n++;
	if (n == 0) {
		snprintf(err, errlen, "expect: no figure (%s)", form);
		goto bad;
	}
	e->figure = lesson_xstrndup(p, n);
	p += n;
	if (*p == '(') {
		char *close = strchr(p, ')');
		if (!close) {
			snprintf(err, errlen, "expect: '(' without ')' after '%s'", e->figure);
			goto bad;
		}
		*close = '\0';
		char *a = lesson_trim(p + 1);
		if (!*a) {
			snprintf(err, errlen, "expect: empty '()' after '%s'", e->figure);
			goto bad;
		}
		e->arg = lesson_xstrdup(a);
		p = close + 1;
	}
	while (isspace((unsigned char)*p))
		p++;
	size_t k = 0;
	for (; k < sizeof expect_ops / sizeof *expect_ops; k++)
		if (!strncmp(p, expect_ops[k].text, strlen(expect_ops[k].text)))
			break;
	if (k == sizeof expect_ops / sizeof *expect_ops) {
		snprintf(err, errlen, "expect: '%.20s' is not a comparison (%s)", *p ? p : "(none)",
		         form);
		goto bad;
	}
	e->op = expect_ops[k].op;
	p += strlen(expect_ops[k].text);
	if (*p == '<' || *p == '>' || *p == '=' || *p == '!') {
		snprintf(err, errlen, "expect: bad comparison before '%.20s' (%s)", p, form);
		goto bad;
	}
	char *num = lesson_trim(p), *end;
	e->number = strtod(num, &end);
	if (!*num || end == num || *end || !isfinite(e->number)) {
		snprintf(err, errlen, "expect: '%s' is not a number (%s)", *num ? num : "(none)",
		         form);
		goto bad;
	}
	char text[600];
	snprintf(text, sizeof text, "%s%s%s%s %s %s", e->figure, e->arg ? "(" : "",
	         e->arg ? e->arg : "", e->arg ? ")" : "", expect_ops[k].text, num);
	e->text = lesson_xstrdup(text);
	return 0;
bad:
	free(e->figure);
	free(e->arg);
	free(e->reason);
	memset(e, 0, sizeof *e);
	return -1;
}

/* A ```mptutor block: one command line, then any `expect:` lines. */
static void lesson_run_block(struct lesson_page *pg, const char *lit, const char *path, int line,
                             lesson_check_fn check, struct course *course)
{
	size_t nl;
	char **lines = lesson_split_lines(lit, &nl);
	char *cmdline = NULL;
	struct lesson_expect *ex = NULL;
	size_t n_ex = 0;
	int count = 0, bad = 0;
	char err[512];

	for (size_t i = 0; i < nl; i++) {
		char *s = lesson_trim(lines[i]);
		int ln = line + 1 + (int)i;
		if (!*s)
			continue;
		if (!strncmp(s, "expect:", 7)) {
			struct lesson_expect e;
			if (!cmdline) {
				lesson_diag(
				    course, path, ln,
				    "mptutor block: an expect: line before the command line");
			} else if (lesson_expect_parse(s + 7, &e, err, sizeof err) < 0) {
				lesson_diag(course, path, ln, "%s", err); /* the block stays */
			} else {
				e.line = ln;
				ex = lesson_xrealloc(ex, (n_ex + 1) * sizeof *ex);
				ex[n_ex++] = e;
			}
			continue;
		}
		if (count++ == 0)
			cmdline = lesson_xstrdup(s);
	}
	lesson_free_lines(lines, nl);
	struct lesson_block tmp = {.expects = ex, .n_expects = n_ex};
	if (count != 1) {
		lesson_diag(course, path, line,
		            "mptutor block: %s (write exactly one command line, then any "
		            "'expect: FIGURE OP NUMBER' lines)",
		            count ? "more than one command line" : "no command line");
		bad = 1;
	} else if (check && check(cmdline, err, sizeof err) < 0) {
		lesson_diag(course, path, line, "%s", err);
		bad = 1;
	}
	if (bad) {
		free(cmdline);
		lesson_expects_free(&tmp);
		return;
	}
	struct lesson_block *b = page_add(pg, LBLOCK_RUN, cmdline, line);
	b->expects = ex;
	b->n_expects = n_ex;
}

/* A paragraph that is a `minutes: N` line: 1 and *minutes set; 0 if it is
 * not one; -1 if it says minutes: but not a number 1-600. */
static int lesson_minutes_line(const char *para, int *minutes)
{
	char buf[64];
	int n = 0, k = 0;
	if (strncmp(para, "minutes:", 8))
		return 0;
	snprintf(buf, sizeof buf, "%s", para);
	if (sscanf(buf, "minutes: %d%n", &k, &n) != 1 || buf[n] || k < 1 || k > 600)
		return -1;
	*minutes = k;
	return 1;
}

/* Words in a text. */
static size_t lesson_words(const char *s)
{
	size_t n = 0;
	bool in = false;
	for (; s && *s; s++) {
		bool sp = isspace((unsigned char)*s);
		n += !sp && !in;
		in = !sp;
	}
	return n;
}

/* The estimate of a lesson's minutes: its words read at 180 a minute, a
 * minute for each run (typing it, watching, reading the report), half a
 * minute for each question. */
static int lesson_estimate_minutes(const struct lesson *l)
{
	size_t words = 0, runs = 0, asks = 0;
	for (size_t p = 0; p < l->n_pages; p++)
		for (size_t b = 0; b < l->pages[p].n_blocks; b++) {
			const struct lesson_block *blk = &l->pages[p].blocks[b];
			if (blk->kind == LBLOCK_RUN)
				runs++;
			else if (blk->kind == LBLOCK_QUIZ || blk->kind == LBLOCK_PREDICT)
				asks++;
			words += lesson_words(blk->text);
		}
	double m = (double)words / 180.0 + (double)runs + 0.5 * (double)asks;
	int k = (int)(m + 0.999);
	return k < 1 ? 1 : k;
}

int lesson_block_number(const struct lesson *l, int page, int block)
{
	int n = 0;
	for (int p = 0; l && p < page && (size_t)p < l->n_pages; p++)
		n += (int)l->pages[p].n_blocks;
	return n + block;
}

int lesson_parse(const char *path, const char *text, size_t len, lesson_check_fn check,
                 struct course *course)
{
	struct src_lines src;
	struct lesson l;
	int text_first = 0, text_last = 0;
	size_t diags_before = course->n_diags;

	if (!path)
		path = "(lesson)";
	if (len > LESSON_MAX_BYTES) {
		lesson_diag(course, path, 1, "file too large (%zu bytes; at most %d)", len,
		            LESSON_MAX_BYTES);
		return -1;
	}
	memset(&l, 0, sizeof l);
	cmark_node *doc =
	    cmark_parse_document(text ? text : "", text ? len : 0, CMARK_OPT_VALIDATE_UTF8);
	if (!doc) {
		lesson_diag(course, path, 1, "Markdown could not be parsed");
		return -1;
	}
	src_lines_init(&src, text ? text : "", text ? len : 0);
	l.path = lesson_xstrdup(path);
	l.name = lesson_name_of(path);
	struct lesson_page *pg = lesson_add_page(&l);

	for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
		cmark_node_type t = cmark_node_get_type(n);
		int line = cmark_node_get_start_line(n), end = cmark_node_get_end_line(n);

		if (t == CMARK_NODE_HEADING && !l.title) {
			char *title = NULL;
			lesson_node_text(n, &title);
			if (title && *lesson_trim(title))
				l.title = title;
			else
				free(title);
		}
		if (t == CMARK_NODE_THEMATIC_BREAK) {
			lesson_flush_text(pg, &src, &text_first, text_last);
			if (pg->n_blocks == 0)
				lesson_diag(course, path, line, "empty page before this '---'");
			pg = lesson_add_page(&l);
			continue;
		}
		if (t == CMARK_NODE_PARAGRAPH && line == end) {
			char *para = lesson_trim(src_lines_cut(&src, line, end));
			int k = 0, r = lesson_minutes_line(para, &k);
			free(para);
			if (r < 0) {
				lesson_diag(course, path, line,
				            "minutes: write 'minutes: N', N a whole number 1-600");
			} else if (r > 0 && l.minutes_given) {
				lesson_diag(course, path, line, "a second minutes: line");
			} else if (r > 0) {
				l.minutes = k;
				l.minutes_given = true;
			}
			if (r != 0) { /* not lesson text: the list shows it */
				lesson_flush_text(pg, &src, &text_first, text_last);
				continue;
			}
		}
		const char *info = t == CMARK_NODE_CODE_BLOCK ? cmark_node_get_fence_info(n) : NULL;
		char word[32] = "";
		if (info)
			sscanf(info, "%31s", word);
		if (!*word || (strcmp(word, "mptutor") && strcmp(word, "python") &&
		               strcmp(word, "quiz") && strcmp(word, "predict"))) {
			if (*word && t == CMARK_NODE_CODE_BLOCK) {
				lesson_flush_text(pg, &src, &text_first, text_last);
				page_add(pg, LBLOCK_CODE,
				         lesson_xstrdup(cmark_node_get_literal(n)
				                            ? cmark_node_get_literal(n)
				                            : ""),
				         line);
				continue;
			}
			if (!text_first)
				text_first = line;
			text_last = end;
			continue;
		}
		lesson_flush_text(pg, &src, &text_first, text_last);
		const char *lit = cmark_node_get_literal(n) ? cmark_node_get_literal(n) : "";
		if (!strcmp(word, "python")) {
			page_add(pg, LBLOCK_PYTHON, lesson_xstrdup(lit), line);
		} else if (!strcmp(word, "mptutor")) {
			lesson_run_block(pg, lit, path, line, check, course);
		} else if (!strcmp(word, "quiz")) {
			struct quiz *q = quiz_parse(lit, path, line, course);
			if (q)
				page_add(pg, LBLOCK_QUIZ, lesson_xstrdup(lit), line)->quiz = q;
		} else {
			struct predict *p = predict_parse(lit, path, line, course);
			if (p)
				page_add(pg, LBLOCK_PREDICT, lesson_xstrdup(lit), line)->predict =
				    p;
		}
	}
	lesson_flush_text(pg, &src, &text_first, text_last);
	cmark_node_free(doc);
	free(src.start);

	if (pg->n_blocks == 0 && l.n_pages > 1) { /* a trailing '---' */
		free(pg->blocks);
		l.n_pages--;
	}
	if (!l.title) {
		lesson_diag(course, path, 1, "no heading: the first heading is the lesson's title");
		l.title = lesson_xstrdup(l.name);
	}
	lesson_check_predicts(&l, course);
	if (!l.minutes_given)
		l.minutes = lesson_estimate_minutes(&l);
	course->lessons =
	    lesson_xrealloc(course->lessons, (course->n_lessons + 1) * sizeof *course->lessons);
	l.number = (int)course->n_lessons + 1;
	course->lessons[course->n_lessons++] = l;
	return course->n_diags > diags_before ? -1 : 0;
}

/* Free one lesson's contents. */
static void lesson_free(struct lesson *l)
{
	for (size_t p = 0; p < l->n_pages; p++) {
		for (size_t b = 0; b < l->pages[p].n_blocks; b++) {
			free(l->pages[p].blocks[b].text);
			quiz_free(l->pages[p].blocks[b].quiz);
			predict_free(l->pages[p].blocks[b].predict);
			lesson_expects_free(&l->pages[p].blocks[b]);
		}
		free(l->pages[p].blocks);
	}
	free(l->pages);
	free(l->path);
	free(l->name);
	free(l->title);
}

void course_free(struct course *course)
{
	if (!course)
		return;
	for (size_t i = 0; i < course->n_lessons; i++)
		lesson_free(&course->lessons[i]);
	free(course->lessons);
	for (size_t i = 0; i < course->n_diags; i++) {
		free(course->diags[i].file);
		free(course->diags[i].message);
	}
	free(course->diags);
	free(course->dir);
	memset(course, 0, sizeof *course);
}

/* qsort comparison of two names. */
static int lesson_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read a whole file; NULL with errno set on failure or if too large. */
static char *lesson_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = lesson_xrealloc(buf, cap);
		}
		size_t k = fread(buf + n, 1, cap - n - 1, f);
		n += k;
		if (k == 0)
			break;
		if (n > LESSON_MAX_BYTES) {
			free(buf);
			fclose(f);
			errno = EFBIG;
			return NULL;
		}
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

int course_load(const char *dir, lesson_check_fn check, struct course *out)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	memset(out, 0, sizeof *out);
	if (!dir || !(d = opendir(dir)))
		return -1;
	out->dir = lesson_xstrdup(dir);
	while ((e = readdir(d))) {
		size_t k = strlen(e->d_name);
		/* lessons are NN-name.md; README.md and other notes are not lessons */
		if (k < 4 || strcmp(e->d_name + k - 3, ".md") ||
		    !isdigit((unsigned char)e->d_name[0]))
			continue;
		names = lesson_xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = lesson_xstrdup(e->d_name);
	}
	closedir(d);
	if (n > 1) /* qsort wants a non-null base even for no names */
		qsort(names, n, sizeof *names, lesson_cmp_names);
	for (size_t i = 0; i < n; i++) {
		size_t plen = strlen(dir) + strlen(names[i]) + 2, len = 0;
		char *path = lesson_xmalloc(plen);
		snprintf(path, plen, "%s/%s", dir, names[i]);
		char *text = lesson_read_file(path, &len);
		if (!text)
			lesson_diag(out, path, 1, "cannot read: %s", strerror(errno));
		else
			lesson_parse(path, text, len, check, out);
		free(text);
		free(path);
		free(names[i]);
	}
	free(names);
	return 0;
}

int course_step(const struct course *course, int *lesson, int *page, int dir)
{
	int l = *lesson, p = *page + (dir > 0 ? 1 : -1);
	if (!course || l < 0 || (size_t)l >= course->n_lessons)
		return -1;
	if (p < 0) {
		if (l == 0)
			return -1;
		l--;
		size_t n = course->lessons[l].n_pages;
		p = n > 0 ? (int)n - 1 : 0;
	} else if ((size_t)p >= course->lessons[l].n_pages) {
		if ((size_t)l + 1 >= course->n_lessons)
			return -1;
		l++;
		p = 0;
	}
	*lesson = l;
	*page = p;
	return 0;
}

int course_find(const struct course *course, const char *which)
{
	char *end;

	if (!course || !which || !*which)
		return -1;
	long k = strtol(which, &end, 10);
	if (*end == '\0' && end != which)
		return k >= 1 && (size_t)k <= course->n_lessons ? (int)k - 1 : -1;
	for (size_t i = 0; i < course->n_lessons; i++)
		if (!strcmp(course->lessons[i].name, which))
			return (int)i;
	/* a unique prefix of a name, or a word of it: "gil" finds "the-gil" */
	int found = -1;
	for (size_t i = 0; i < course->n_lessons; i++) {
		const char *nm = course->lessons[i].name, *hit = strstr(nm, which);
		size_t k2 = strlen(which);
		if (hit && (hit == nm || hit[-1] == '-') && (hit[k2] == '\0' || hit[k2] == '-')) {
			if (found >= 0)
				return -1;
			found = (int)i;
		}
	}
	return found;
}

const char *lesson_dir_find(void)
{
	static const char *const fallback[] = {"lessons", MPTUTOR_DATADIR "/lessons"};
	const char *env = getenv("MPTUTOR_LESSONS");
	struct stat st;

	if (env && *env)
		return env;
	for (size_t i = 0; i < sizeof fallback / sizeof *fallback; i++)
		if (stat(fallback[i], &st) == 0 && S_ISDIR(st.st_mode))
			return fallback[i];
	return NULL;
}

int quiz_check(const struct quiz *quiz, const char *answer)
{
	int k = lesson_choice_index(answer, quiz ? quiz->n_choices : 0);
	if (k < 0)
		return -1;
	return quiz->correct[k] ? 1 : 0;
}

int lesson_choice_index(const char *answer, size_t n_choices)
{
	char buf[32];

	if (!answer)
		return -1;
	snprintf(buf, sizeof buf, "%s", answer);
	char *a = lesson_trim(buf);
	if (a[0] && a[1] == '\0' && isalpha((unsigned char)a[0])) {
		int k = tolower((unsigned char)a[0]) - 'a';
		return (size_t)k < n_choices ? k : -1;
	}
	if (a[0] && a[1] == ')' && a[2] == '\0' && isalpha((unsigned char)a[0])) {
		int k = tolower((unsigned char)a[0]) - 'a';
		return (size_t)k < n_choices ? k : -1;
	}
	char *end;
	long v = strtol(a, &end, 10);
	if (end != a && *end == '\0' && v >= 1 && (size_t)v <= n_choices)
		return (int)v - 1;
	return -1;
}

const struct predict *lesson_page_predict_for(const struct lesson_page *page, size_t block)
{
	if (!page || block >= page->n_blocks || page->blocks[block].kind != LBLOCK_RUN)
		return NULL;
	for (size_t i = block; i-- > 0;) {
		if (page->blocks[i].kind == LBLOCK_RUN)
			return NULL;
		if (page->blocks[i].kind == LBLOCK_PREDICT)
			return page->blocks[i].predict;
	}
	return NULL;
}
