/*
 * items.c — ITEMS, the list a map runs over: comma-separated terms, each a
 * number (7, -3), an inclusive range (1..5) or a repetition (8x30000: eight
 * items of 30000). The whole list is sized before anything is allocated, so
 * a term like 1..99999999999 is refused at once instead of eating memory.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"

#define ITEMS_ALLOWED "numbers (7, -3), ranges (1..5) or repetitions (8x30000), comma-separated"

/* One parsed term: `count` items starting at `first`, stepping by `step`. */
struct items_term {
	int64_t first;  /* first value */
	int64_t step;   /* 0 for a repetition, 1 for a range or a number */
	uint64_t count; /* how many items the term stands for */
};

/* Parse [s, e) as a whole decimal number with an optional sign; -1 if not one,
 * -2 if it is one but does not fit int64. */
static int items_number(const char *s, const char *e, int64_t *out)
{
	const char *p = s;
	if (p < e && (*p == '-' || *p == '+'))
		p++;
	if (p == e)
		return -1;
	for (const char *q = p; q < e; q++)
		if (*q < '0' || *q > '9')
			return -1;
	char buf[64];
	if ((size_t)(e - s) >= sizeof buf)
		return -2; /* more digits than any int64 has */
	memcpy(buf, s, (size_t)(e - s));
	buf[e - s] = '\0';
	errno = 0;
	long long v = strtoll(buf, NULL, 10);
	if (errno == ERANGE)
		return -2;
	*out = (int64_t)v;
	return 0;
}

/* Write "ITEMS: "term": why" into err. */
static int items_fail(char *err, size_t errlen, const char *s, const char *e, const char *why)
{
	snprintf(err, errlen, "ITEMS: \"%.*s\": %s", (int)(e - s), s, why);
	return -1;
}

/* Parse one term [s, e), already trimmed, into *t; -1 with a message. */
static int items_term_parse(const char *s, const char *e, struct items_term *t, char *err,
                            size_t errlen)
{
	char why[160];
	if (s == e)
		return items_fail(err, errlen, s, e, "an empty term (write " ITEMS_ALLOWED ")");
	const char *dots = NULL;
	for (const char *p = s; p + 1 < e; p++)
		if (p[0] == '.' && p[1] == '.') {
			dots = p;
			break;
		}
	const char *x = NULL;
	for (const char *p = s; p < e; p++)
		if (*p == 'x' || *p == 'X') {
			x = p;
			break;
		}
	if (dots != NULL) {
		int64_t a, b;
		int ra = items_number(s, dots, &a);
		int rb = items_number(dots + 2, e, &b);
		if (ra == -1 || rb == -1)
			return items_fail(err, errlen, s, e,
			                  "a range needs two whole numbers, like 1..5");
		if (ra == -2 || rb == -2)
			return items_fail(err, errlen, s, e,
			                  "a number out of range (whole numbers fit in 64 bits)");
		if (b < a) {
			snprintf(why, sizeof why,
			         "a range must go up: write %" PRId64 "..%" PRId64
			         " (the items come in that order)",
			         b, a);
			return items_fail(err, errlen, s, e, why);
		}
		t->first = a;
		t->step = 1;
		/* b - a computed in unsigned arithmetic cannot overflow */
		t->count = (uint64_t)b - (uint64_t)a + 1u;
		if (t->count == 0) /* the full int64 range wraps to 0 */
			t->count = UINT64_MAX;
		return 0;
	}
	if (x != NULL) {
		int64_t c, v;
		int rc = items_number(s, x, &c);
		int rv = items_number(x + 1, e, &v);
		if (rc == -1 || rv == -1)
			return items_fail(
			    err, errlen, s, e,
			    "a repetition is COUNTxVALUE with two whole numbers, like 8x30000");
		if (rc == -2 || rv == -2)
			return items_fail(err, errlen, s, e,
			                  "a number out of range (whole numbers fit in 64 bits)");
		if (c < 1)
			return items_fail(err, errlen, s, e,
			                  "a repetition needs a count of at least 1, like 8x30000");
		t->first = v;
		t->step = 0;
		t->count = (uint64_t)c;
		return 0;
	}
	int64_t v;
	int r = items_number(s, e, &v);
	if (r == -2)
		return items_fail(err, errlen, s, e,
		                  "a number out of range (whole numbers fit in 64 bits)");
	if (r == -1)
		return items_fail(err, errlen, s, e,
		                  "not a whole number (write " ITEMS_ALLOWED ")");
	t->first = v;
	t->step = 1;
	t->count = 1;
	return 0;
}

/* Is c a blank allowed around terms? */
static bool items_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Walk the terms of text; with out == NULL only count them into *total. */
static int items_walk(const char *text, int64_t *out, uint64_t *total, char *err, size_t errlen)
{
	uint64_t n = 0;
	const char *p = text;
	for (;;) {
		const char *comma = strchr(p, ',');
		const char *end = comma != NULL ? comma : p + strlen(p);
		const char *s = p, *e = end;
		while (s < e && items_blank(*s))
			s++;
		while (e > s && items_blank(e[-1]))
			e--;
		struct items_term t;
		if (items_term_parse(s, e, &t, err, errlen) != 0)
			return -1;
		if (t.count > (uint64_t)ENGINE_MAX_ITEMS - n) {
			snprintf(err, errlen, "ITEMS: \"%.*s\": too many items (at most %d in all)",
			         (int)(e - s), s, ENGINE_MAX_ITEMS);
			return -1;
		}
		if (out != NULL)
			for (uint64_t i = 0; i < t.count; i++)
				out[n + i] = t.first + (int64_t)i * t.step;
		n += t.count;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	*total = n;
	return 0;
}

/* Parse ITEMS into a new array (caller frees); -1 with a message naming the bad term. */
int items_parse(const char *text, int64_t **items, size_t *n, char *err, size_t errlen)
{
	*items = NULL;
	*n = 0;
	if (text == NULL) {
		snprintf(err, errlen, "ITEMS: missing (write " ITEMS_ALLOWED ")");
		return -1;
	}
	const char *p = text;
	while (items_blank(*p))
		p++;
	if (*p == '\0') {
		snprintf(err, errlen, "ITEMS: empty (write " ITEMS_ALLOWED ")");
		return -1;
	}
	uint64_t total = 0;
	if (items_walk(text, NULL, &total, err, errlen) != 0)
		return -1;
	int64_t *v = malloc((size_t)total * sizeof *v);
	if (v == NULL) {
		snprintf(err, errlen, "ITEMS: out of memory for %" PRIu64 " items", total);
		return -1;
	}
	if (items_walk(text, v, &total, err, errlen) != 0) {
		free(v);
		return -1;
	}
	*items = v;
	*n = (size_t)total;
	return 0;
}
