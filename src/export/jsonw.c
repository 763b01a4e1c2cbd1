/*
 * jsonw.c — the streaming JSON writer (jsonw.h): commas and layout, string
 * escaping, and numbers formatted without printf on the hot path (a million
 * items are several million numbers), printing exactly what printf would.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "export/jsonw.h"

/* Start a document on out. */
void jsonw_init(struct jsonw *w, FILE *out)
{
	w->out = out;
	w->len = 0;
	w->depth = 0;
	w->after_key = false;
	w->any[0] = w->lines[0] = false;
}

/* Hand what is buffered to the stream. */
void jsonw_finish(struct jsonw *w)
{
	if (w->len > 0)
		fwrite(w->buf, 1, w->len, w->out);
	w->len = 0;
}

/* n bytes of p to the document. */
static inline void jsonw_put(struct jsonw *w, const char *p, size_t n)
{
	if (w->len + n > sizeof w->buf) {
		jsonw_finish(w);
		if (n > sizeof w->buf) {
			fwrite(p, 1, n, w->out);
			return;
		}
	}
	char *d = w->buf + w->len;
	if (n <= 16) /* most pieces are a few bytes: a call to memcpy costs more */
		for (size_t i = 0; i < n; i++)
			d[i] = p[i];
	else
		memcpy(d, p, n);
	w->len += n;
}

/* One byte to the document. */
static void jsonw_putc(struct jsonw *w, char c)
{
	if (w->len == sizeof w->buf)
		jsonw_finish(w);
	w->buf[w->len++] = c;
}

/* A NUL-terminated string to the document. */
static void jsonw_puts(struct jsonw *w, const char *s)
{
	jsonw_put(w, s, strlen(s));
}

/* Text as is. */
void jsonw_text(struct jsonw *w, const char *text)
{
	jsonw_puts(w, text);
}

/* The separator before a value: a comma after a sibling, the line break of a
 * lines level; nothing right after a key. */
static void jsonw_sep(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	int d = w->depth < JSONW_MAX_DEPTH ? w->depth : JSONW_MAX_DEPTH - 1;
	/* before a level's first member its newline or space alone, then the comma too */
	const char *sep = w->lines[d] ? ",\n" : ", ";
	if (w->any[d])
		jsonw_put(w, sep, 2);
	else
		jsonw_put(w, sep + 1, 1);
	w->any[d] = true;
}

/* Open a level: its bracket, and no member yet. */
static void jsonw_open(struct jsonw *w, char bracket, bool lines)
{
	jsonw_sep(w);
	jsonw_putc(w, bracket);
	w->depth++;
	int d = w->depth < JSONW_MAX_DEPTH ? w->depth : JSONW_MAX_DEPTH - 1;
	w->any[d] = false;
	w->lines[d] = lines;
}

/* Close the innermost level with its bracket: " }" (or "{ }" when empty, as json-c). */
static void jsonw_close(struct jsonw *w, char bracket)
{
	if (w->depth == 0)
		return;
	int d = w->depth < JSONW_MAX_DEPTH ? w->depth : JSONW_MAX_DEPTH - 1;
	if (w->lines[d] && w->any[d])
		jsonw_putc(w, '\n');
	else
		jsonw_putc(w, ' ');
	jsonw_putc(w, bracket);
	w->depth--;
}

/* Open an object. */
void jsonw_object(struct jsonw *w, bool lines)
{
	jsonw_open(w, '{', lines);
}

/* Close the innermost object. */
void jsonw_object_end(struct jsonw *w)
{
	jsonw_close(w, '}');
}

/* Open an array. */
void jsonw_array(struct jsonw *w, bool lines)
{
	jsonw_open(w, '[', lines);
}

/* Close the innermost array. */
void jsonw_array_end(struct jsonw *w)
{
	jsonw_close(w, ']');
}

/* The length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one. */
static size_t jsonw_utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	size_t n;
	unsigned min;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, min = 0x10000;
	else
		return 0;
	unsigned cp = c & (0x3fu >> (n - 1));
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* s as a JSON string, quotes included. */
static void jsonw_escape(struct jsonw *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	jsonw_putc(w, '"');
	while (*p != '\0') {
		const unsigned char *run = p;
		while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		jsonw_put(w, (const char *)run, (size_t)(p - run));
		unsigned c = *p;
		if (c == '\0')
			break;
		char u[8];
		switch (c) {
		case '"':
			jsonw_puts(w, "\\\"");
			break;
		case '\\':
			jsonw_puts(w, "\\\\");
			break;
		case '\b':
			jsonw_puts(w, "\\b");
			break;
		case '\f':
			jsonw_puts(w, "\\f");
			break;
		case '\n':
			jsonw_puts(w, "\\n");
			break;
		case '\r':
			jsonw_puts(w, "\\r");
			break;
		case '\t':
			jsonw_puts(w, "\\t");
			break;
		default:
			if (c < 0x20) {
				snprintf(u, sizeof u, "\\u%04x", c);
				jsonw_puts(w, u);
			} else {
				size_t n = jsonw_utf8_len(p);
				if (n == 0) {
					jsonw_puts(
					    w,
					    "\\ufffd"); /* not UTF-8: the replacement character */
				} else {
					jsonw_put(w, (const char *)p, n);
					p += n;
					continue;
				}
			}
		}
		p++;
	}
	jsonw_putc(w, '"');
}

/* The decimal digits of v into buf (at least 21 bytes); returns where they start. */
static char *jsonw_digits(char *end, uint64_t v)
{
	*--end = '\0';
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

/* A key of the innermost object. */
void jsonw_key(struct jsonw *w, const char *key)
{
	jsonw_sep(w);
	jsonw_escape(w, key);
	jsonw_put(w, ": ", 2);
	w->after_key = true;
}

/* A string value. */
void jsonw_string(struct jsonw *w, const char *s)
{
	jsonw_sep(w);
	jsonw_escape(w, s);
}

/* An integer in decimal into buf (24 bytes); returns its length. */
size_t jsonw_format_int(char *buf, int64_t v)
{
	char tmp[24];
	char *d = jsonw_digits(tmp + sizeof tmp, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
	size_t n = (size_t)(tmp + sizeof tmp - 1 - d), at = 0;
	if (v < 0)
		buf[at++] = '-';
	memcpy(buf + at, d, n + 1);
	return at + n;
}

/* An integer value. */
void jsonw_int(struct jsonw *w, int64_t v)
{
	char buf[24];
	jsonw_sep(w);
	if (v < 0)
		jsonw_putc(w, '-');
	char *d = jsonw_digits(buf + sizeof buf, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
	jsonw_put(w, d, (size_t)(buf + sizeof buf - 1 - d));
}

/* true or false. */
void jsonw_bool(struct jsonw *w, bool v)
{
	jsonw_sep(w);
	jsonw_puts(w, v ? "true" : "false");
}

/* null. */
void jsonw_null(struct jsonw *w)
{
	jsonw_sep(w);
	jsonw_puts(w, "null");
}

/* "%.*f" of v, exactly as printf writes it, into buf (len >= 40); null if not
 * finite. Returns the length. */
size_t jsonw_format_fixed(char *buf, size_t len, double v, int decimals)
{
	static const double pow10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
	if (!isfinite(v))
		return (size_t)snprintf(buf, len, "null");
	if (decimals < 0 || decimals > 9 || fabs(v) >= 1e9)
		return (size_t)snprintf(buf, len, "%.*f",
		                        decimals < 0    ? 0
		                        : decimals > 17 ? 17
		                                        : decimals,
		                        v);
	double scaled = fabs(v) * pow10[decimals];
	double whole = floor(scaled), frac = scaled - whole;
	/* the product is off by at most an ulp or two: near a half, printf's
	 * rounding of the exact binary value decides, so ask printf */
	double margin = scaled * 4e-16 + 1e-12;
	if (fabs(frac - 0.5) <= margin)
		return (size_t)snprintf(buf, len, "%.*f", decimals, v);
	uint64_t n = (uint64_t)whole + (frac > 0.5);
	uint64_t p = (uint64_t)pow10[decimals];
	char ip[24], fp[24];
	char *i = jsonw_digits(ip + sizeof ip, n / p);
	char *f = jsonw_digits(fp + sizeof fp, n % p + p); /* a leading 1 keeps the zeros */
	size_t at = 0, ni = (size_t)(ip + sizeof ip - 1 - i), nf = (size_t)decimals;
	if (ni + nf + 3 > len)
		return 0;
	if (signbit(v)) /* printf keeps the sign of -0.000000 too */
		buf[at++] = '-';
	memcpy(buf + at, i, ni);
	at += ni;
	if (decimals) {
		buf[at++] = '.';
		memcpy(buf + at, f + 1, nf);
		at += nf;
	}
	buf[at] = '\0';
	return at;
}

/* A number with a fixed count of decimals, or null if not finite. */
void jsonw_fixed(struct jsonw *w, double v, int decimals)
{
	char buf[64];
	jsonw_sep(w);
	jsonw_put(w, buf, jsonw_format_fixed(buf, sizeof buf, v, decimals));
}

/* Seconds to the microsecond. */
void jsonw_secs(struct jsonw *w, double v)
{
	jsonw_fixed(w, v, 6);
}

/* A value already written as JSON. */
void jsonw_raw(struct jsonw *w, const char *json)
{
	jsonw_sep(w);
	jsonw_puts(w, json);
}

/* A key and a string. */
void jsonw_kstring(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_string(w, s);
}

/* A key and an integer. */
void jsonw_kint(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}

/* A key and a boolean. */
void jsonw_kbool(struct jsonw *w, const char *key, bool v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

/* A key and seconds. */
void jsonw_ksecs(struct jsonw *w, const char *key, double v)
{
	jsonw_key(w, key);
	jsonw_secs(w, v);
}
