/*
 * jsonw.h — a small streaming JSON writer for the reports that can be large
 * (a run of a million items: json.c, chrome.c): values go straight to the
 * stream as they are given, nothing is built in memory. The writer keeps
 * only the commas: which nesting levels have a member already.
 *
 * Contract: jsonw_init, then values in document order; inside an object each
 * value is preceded by jsonw_key; every begin has its end; jsonw_finish
 * last (the writer buffers: nothing may be written to the stream between
 * jsonw_init and jsonw_finish but through the writer). Strings are
 * escaped as JSON needs (quote, backslash, control characters as \u00XX;
 * a byte that is not valid UTF-8 becomes U+FFFD, so the document always
 * parses); a number that is not finite is written as null. Errors of the
 * stream are the caller's to check (ferror). The layout is json-c's spaced
 * one, `{ "a": [ 1, 2 ] }`, unless an array or object is begun with
 * lines = true: then each member starts a line of its own.
 */
#ifndef MPTUTOR_EXPORT_JSONW_H
#define MPTUTOR_EXPORT_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSONW_MAX_DEPTH 32 /* deeper nesting is a caller's bug: written flat */
#define JSONW_BUF 16384    /* bytes gathered before each fwrite */

struct jsonw {
	FILE *out;                   /* where the document goes (not owned) */
	char buf[JSONW_BUF];         /* what is not yet handed to out */
	size_t len;                  /* bytes in buf */
	int depth;                   /* open objects and arrays */
	bool any[JSONW_MAX_DEPTH];   /* this level has a member already */
	bool lines[JSONW_MAX_DEPTH]; /* this level's members one a line */
	bool after_key;              /* a key was written: its value comes next */
};

/* Start a document on out. */
void jsonw_init(struct jsonw *w, FILE *out);
/* Hand what is buffered to the stream (the document may go on after). */
void jsonw_finish(struct jsonw *w);
/* Text as is (a newline between documents, a JSON value of json-c's). */
void jsonw_text(struct jsonw *w, const char *text);
/* Open an object / array (lines: one member a line); close the innermost. */
void jsonw_object(struct jsonw *w, bool lines);
void jsonw_object_end(struct jsonw *w);
void jsonw_array(struct jsonw *w, bool lines);
void jsonw_array_end(struct jsonw *w);
/* The key of the next member of the innermost object. */
void jsonw_key(struct jsonw *w, const char *key);
/* Values. */
void jsonw_string(struct jsonw *w, const char *s);
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
/* A number with `decimals` digits after the point ("%.6f"), or null if not finite. */
void jsonw_fixed(struct jsonw *w, double v, int decimals);
/* Seconds to the microsecond, as every report writes them: jsonw_fixed(v, 6). */
void jsonw_secs(struct jsonw *w, double v);
/* A value already written as JSON text by someone else (json-c), as is. */
void jsonw_raw(struct jsonw *w, const char *json);
/* Shorthands: a key and its value. */
void jsonw_kstring(struct jsonw *w, const char *key, const char *s);
void jsonw_kint(struct jsonw *w, const char *key, int64_t v);
void jsonw_kbool(struct jsonw *w, const char *key, bool v);
void jsonw_ksecs(struct jsonw *w, const char *key, double v);

/* Numbers as the writer prints them, for other streaming formats (csv.c):
 * "%.*f" exactly as printf (buf of 64), an integer (buf of 24); each returns
 * the length written and NUL-terminates. A number not finite is "null". */
size_t jsonw_format_fixed(char *buf, size_t len, double v, int decimals);
size_t jsonw_format_int(char *buf, int64_t v);

#endif
