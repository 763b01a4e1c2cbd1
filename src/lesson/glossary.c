/*
 * glossary.c — lessons/glossary.md parsed with cmark into words and their
 * definitions; lookups that forgive case, spaces, hyphens and plurals; the
 * close matches of a word not found.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "lesson/glossary.h"

#define GLOSSARY_MAX_BYTES (1024 * 1024) /* a larger glossary is refused */

/* strdup that never returns NULL. */
static char *gl_xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		abort();
	return d;
}

/* Append s to *dst (growing). */
static void gl_append(char **dst, const char *s)
{
	size_t a = *dst ? strlen(*dst) : 0, b = strlen(s);
	char *n = realloc(*dst, a + b + 1);
	if (!n)
		abort();
	memcpy(n + a, s, b + 1);
	*dst = n;
}

/* The plain text of a node's inlines. */
static void gl_text(cmark_node *node, char **out)
{
	for (cmark_node *ch = cmark_node_first_child(node); ch; ch = cmark_node_next(ch)) {
		cmark_node_type t = cmark_node_get_type(ch);
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_HTML_INLINE)
			gl_append(out,
			          cmark_node_get_literal(ch) ? cmark_node_get_literal(ch) : "");
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			gl_append(out, " ");
		else
			gl_text(ch, out);
	}
}

/* A word folded for lookup: lower case, no spaces, hyphens or underscores. */
static void gl_fold(const char *w, char *buf, size_t len)
{
	size_t n = 0;
	for (; w && *w && n + 1 < len; w++)
		if (!isspace((unsigned char)*w) && *w != '-' && *w != '_')
			buf[n++] = (char)tolower((unsigned char)*w);
	buf[n] = '\0';
}

int glossary_parse(const char *path, const char *text, size_t len, struct glossary *g, char *err,
                   size_t errlen)
{
	memset(g, 0, sizeof *g);
	cmark_node *doc = cmark_parse_document(text, len, CMARK_OPT_VALIDATE_UTF8);
	if (!doc) {
		snprintf(err, errlen, "%s: Markdown could not be parsed", path);
		return -1;
	}
	int rc = 0;
	for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH)
			continue;
		cmark_node *first = cmark_node_first_child(n);
		if (!first || cmark_node_get_type(first) != CMARK_NODE_STRONG)
			continue; /* prose around the definitions */
		char *word = NULL, *rest = NULL;
		gl_text(first, &word);
		for (cmark_node *ch = cmark_node_next(first); ch; ch = cmark_node_next(ch)) {
			cmark_node_type t = cmark_node_get_type(ch);
			if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
				gl_append(&rest, cmark_node_get_literal(ch)
				                     ? cmark_node_get_literal(ch)
				                     : "");
			else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
				gl_append(&rest, " ");
			else
				gl_text(ch, &rest);
		}
		const char *r = rest ? rest : "";
		int line = cmark_node_get_start_line(n);
		if (*r != ':' || !word || !*word) {
			snprintf(err, errlen, "%s:%d: a definition is '**word**: text'", path,
			         line);
			free(word);
			free(rest);
			rc = -1;
			break;
		}
		r++;
		while (isspace((unsigned char)*r))
			r++;
		if (!*r) {
			snprintf(err, errlen, "%s:%d: '%s' has no definition after the ':'", path,
			         line, word);
			free(word);
			free(rest);
			rc = -1;
			break;
		}
		if (glossary_find(g, word)) {
			snprintf(err, errlen, "%s:%d: '%s' is defined twice", path, line, word);
			free(word);
			free(rest);
			rc = -1;
			break;
		}
		struct glossary_entry *e = realloc(g->entries, (g->n + 1) * sizeof *e);
		if (!e)
			abort();
		g->entries = e;
		g->entries[g->n++] = (struct glossary_entry){word, gl_xstrdup(r), line};
		free(rest);
	}
	cmark_node_free(doc);
	if (rc == 0 && g->n == 0) {
		snprintf(err, errlen, "%s: no definitions ('**word**: text' paragraphs)", path);
		rc = -1;
	}
	if (rc < 0)
		glossary_free(g);
	return rc;
}

int glossary_load(const char *dir, struct glossary *g, char *err, size_t errlen)
{
	char path[4096];
	memset(g, 0, sizeof *g);
	snprintf(path, sizeof path, "%s/glossary.md", dir ? dir : ".");
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *buf = malloc(GLOSSARY_MAX_BYTES + 1);
	if (!buf)
		abort();
	size_t n = fread(buf, 1, GLOSSARY_MAX_BYTES + 1, f);
	int bad = ferror(f);
	fclose(f);
	if (bad || n > GLOSSARY_MAX_BYTES) {
		snprintf(err, errlen, "%s: %s", path,
		         bad ? "cannot be read" : "too large (1 MiB at most)");
		free(buf);
		return -1;
	}
	int rc = glossary_parse(path, buf, n, g, err, errlen);
	free(buf);
	return rc;
}

void glossary_free(struct glossary *g)
{
	for (size_t i = 0; g && i < g->n; i++) {
		free(g->entries[i].word);
		free(g->entries[i].text);
	}
	if (g) {
		free(g->entries);
		memset(g, 0, sizeof *g);
	}
}

const struct glossary_entry *glossary_find(const struct glossary *g, const char *word)
{
	char a[128], b[128];
	gl_fold(word, a, sizeof a);
	size_t la = strlen(a);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < g->n; i++) {
			gl_fold(g->entries[i].word, b, sizeof b);
			if (!strcmp(a, b))
				return &g->entries[i];
			/* plurals: "processes", "locks" */
			if (pass == 1 && la > 1 && a[la - 1] == 's' &&
			    ((!strncmp(a, b, la - 1) && !b[la - 1]) ||
			     (la > 2 && a[la - 2] == 'e' && !strncmp(a, b, la - 2) && !b[la - 2])))
				return &g->entries[i];
		}
	return NULL;
}

/* Levenshtein distance of two short words. */
static size_t gl_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[130];
	if (lb >= 129)
		return lb;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t sub = prev + (a[i - 1] != b[j - 1]);
			size_t del = row[j] + 1, ins = row[j - 1] + 1;
			row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			prev = cur;
		}
	}
	return row[lb];
}

size_t glossary_close(const struct glossary *g, const char *word, const struct glossary_entry **out,
                      size_t max)
{
	char a[128], b[128];
	size_t n = 0;
	gl_fold(word, a, sizeof a);
	size_t la = strlen(a);
	for (size_t i = 0; i < g->n && n < max; i++) {
		gl_fold(g->entries[i].word, b, sizeof b);
		size_t d = gl_distance(a, b), lim = la <= 4 ? 1 : la <= 8 ? 2 : 3;
		if (d <= lim || (la >= 3 && (strstr(b, a) || strstr(a, b))))
			out[n++] = &g->entries[i];
	}
	return n;
}
