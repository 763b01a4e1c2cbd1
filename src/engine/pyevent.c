/*
 * pyevent.c — parsing the event lines of the Python side (grammar in
 * pyevent.h). A cursor walks the line one space-separated field at a time;
 * each field is checked for its form and range before it is stored, and the
 * first problem ends the parse with a message naming the event and field.
 */
#include "engine/pyevent.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PID_MAX_ACCEPTED 2147483647LL

/* A parse in progress: the fields left, and where errors go. */
struct cursor {
	const char *p, *end;
	enum pyevent_kind kind;
	char *err;
	size_t errlen;
};

/* The kind names used in messages. */
static const struct {
	char letter;
	const char *name;
} kind_names[] = {
    {'H', "hello"},        {'W', "worker"},        {'P', "pool"},         {'B', "map begin"},
    {'S', "item start"},   {'E', "item end"},      {'Q', "items"},        {'O', "output"},
    {'K', "worker death"}, {'M', "map end"},       {'Y', "bytes"},        {'C', "counter"},
    {'X', "error"},        {'D', "done"},          {'G', "item group"},   {'U', "worker CPU"},
    {'A', "Process made"}, {'R', "Process start"}, {'Z', "Process exit"}, {'J', "Process join"},
};

/* A kind's name for messages; "unknown" if it is none. */
const char *pyevent_kind_name(int kind)
{
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (kind_names[i].letter == kind)
			return kind_names[i].name;
	return "unknown";
}

/* Write a message to err (if there is room); returns -1. */
static int plain_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int plain_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Write "<kind> event: <message>" to the cursor's err; returns -1. */
static int fail(struct cursor *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct cursor *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->err && c->errlen)
		snprintf(c->err, c->errlen, "%s event: %s", pyevent_kind_name((int)c->kind), msg);
	return -1;
}

/* The next field: its start and length; -1 if there is none or it is empty. */
static int next_field(struct cursor *c, const char *what, const char **tok, size_t *toklen)
{
	const char *q;

	if (c->p >= c->end)
		return fail(c, "%s is missing", what);
	if (*c->p != ' ')
		return fail(c, "a space is wanted before %s", what);
	c->p++;
	q = c->p;
	while (q < c->end && *q != ' ')
		q++;
	if (q == c->p)
		return fail(c, "%s is empty (two spaces?)", what);
	*tok = c->p;
	*toklen = (size_t)(q - c->p);
	c->p = q;
	return 0;
}

/* A decimal int64 field in lo..hi. */
static int field_i64(struct cursor *c, const char *what, int64_t lo, int64_t hi, int64_t *out)
{
	const char *tok;
	size_t n, i = 0;
	bool neg = false;
	uint64_t v = 0, limit;

	if (next_field(c, what, &tok, &n) < 0)
		return -1;
	if (tok[0] == '-') {
		neg = true;
		i = 1;
	}
	if (i == n)
		return fail(c, "%s '%.*s' is not a number", what, (int)n, tok);
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		unsigned d;

		if (tok[i] < '0' || tok[i] > '9')
			return fail(c, "%s '%.*s' is not a number", what, (int)(n > 40 ? 40 : n),
			            tok);
		d = (unsigned)(tok[i] - '0');
		if (v > (limit - d) / 10)
			return fail(c, "%s '%.*s' is out of the int64 range", what,
			            (int)(n > 40 ? 40 : n), tok);
		v = v * 10 + d;
	}
	if (neg && v == 0)
		return fail(c, "%s '-0' is not a number", what);
	if (n - (size_t)neg > 1 && tok[neg] == '0')
		return fail(c, "%s '%.*s' has a leading zero", what, (int)n, tok);
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	if (*out < lo || *out > hi)
		return fail(c, "%s %" PRId64 " is out of range (allowed: %" PRId64 "..%" PRId64 ")",
		            what, *out, lo, hi);
	return 0;
}

/* An int field in lo..hi. */
static int field_int(struct cursor *c, const char *what, int lo, int hi, int *out)
{
	int64_t v;

	if (field_i64(c, what, lo, hi, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

/* A pid or tid field. */
static int field_pid(struct cursor *c, const char *what, pid_t *out)
{
	int64_t v;

	if (field_i64(c, what, 1, PID_MAX_ACCEPTED, &v) < 0)
		return -1;
	*out = (pid_t)v;
	return 0;
}

/* A 0|1 field. */
static int field_bool(struct cursor *c, const char *what, bool *out)
{
	int v;

	if (field_int(c, what, 0, 1, &v) < 0)
		return -1;
	*out = v != 0;
	return 0;
}

/* A time field (CLOCK_MONOTONIC ns: not negative). */
static int field_time(struct cursor *c, const char *what, int64_t *out)
{
	return field_i64(c, what, 0, INT64_MAX, out);
}

/* A word field of characters that allowed() accepts, copied into out. */
static int field_word(struct cursor *c, const char *what, const char *allowed, char *out,
                      size_t outlen)
{
	const char *tok;
	size_t n;

	if (next_field(c, what, &tok, &n) < 0)
		return -1;
	if (n >= outlen)
		return fail(c, "%s is longer than %zu characters", what, outlen - 1);
	for (size_t i = 0; i < n; i++)
		if (!strchr(allowed, tok[i]))
			return fail(c, "%s '%.*s' holds a character not allowed (allowed: %s)",
			            what, (int)n, tok, allowed);
	memcpy(out, tok, n);
	out[n] = '\0';
	return 0;
}

/* The line must end here. */
static int at_end(struct cursor *c)
{
	if (c->p != c->end)
		return fail(c, "unexpected text after the last field: '%.*s'",
		            (int)(c->end - c->p > 40 ? 40 : c->end - c->p), c->p);
	return 0;
}

/* The value of a hex digit, or -1. */
static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* The rest of the line after one space: escaped text, decoded into ev->text. */
static int field_text(struct cursor *c, struct pyevent *ev)
{
	size_t n = 0;

	if (c->p >= c->end || *c->p != ' ')
		return fail(c, "a space is wanted before the text");
	for (const char *q = c->p + 1; q < c->end; q++) {
		char ch = *q;

		if (ch == '\\') {
			int hi, lo;

			if (q + 1 < c->end && q[1] == '\\') {
				ev->text[n++] = '\\';
				q++;
				continue;
			}
			if (q + 1 < c->end && q[1] == 'x' && c->end - q < 4)
				return fail(c, "the text ends inside an escape");
			if (q + 1 == c->end || q[1] != 'x' || (hi = hexval(q[2])) < 0 ||
			    (lo = hexval(q[3])) < 0)
				return fail(c,
				            "the text holds a bad escape (allowed: \\\\, \\xHH)");
			ev->text[n++] = (char)(hi << 4 | lo);
			q += 3;
		} else if (ch < 0x20 || ch > 0x7e) {
			return fail(c, "the text holds byte 0x%02x (escape it as \\xHH)",
			            (unsigned char)ch);
		} else {
			ev->text[n++] = ch;
		}
	}
	ev->text[n] = '\0';
	ev->text_len = n;
	c->p = c->end;
	return 0;
}

/* Q pid tid n hex: n items of 4 little-endian int64 each, in hex. */
static int parse_items(struct cursor *c, struct pyevent *ev)
{
	const char *tok;
	size_t len;

	if (field_pid(c, "the pid", &ev->batch.pid) < 0 ||
	    field_pid(c, "the tid", &ev->batch.tid) < 0 ||
	    field_int(c, "the item count", 1, PYEVENT_BATCH_MAX, &ev->batch.n) < 0 ||
	    next_field(c, "the items", &tok, &len) < 0)
		return -1;
	if (len != (size_t)ev->batch.n * 64)
		return fail(c, "%d items take %d hex digits, not %zu", ev->batch.n,
		            ev->batch.n * 64, len);
	for (int k = 0; k < ev->batch.n; k++) {
		int64_t f[4];

		for (int j = 0; j < 4; j++) {
			const char *h = tok + (size_t)k * 64 + (size_t)j * 16;
			uint64_t v = 0;

			for (int b = 0; b < 8; b++) {
				int hi = hexval(h[2 * b]), lo = hexval(h[2 * b + 1]);

				if (hi < 0 || lo < 0)
					return fail(c, "item %d holds a character that is not hex",
					            k);
				v |= (uint64_t)(hi << 4 | lo) << (8 * b);
			}
			f[j] = (int64_t)v;
		}
		if (f[0] < 0 || f[0] > PYEVENT_MAX_ITEMS - 1)
			return fail(c,
			            "item %d: index %" PRId64 " is out of range (allowed: 0..%d)",
			            k, f[0], PYEVENT_MAX_ITEMS - 1);
		if (f[1] < 0 || f[2] < f[1])
			return fail(
			    c, "item %d: start %" PRId64 " and end %" PRId64 " are not in order", k,
			    f[1], f[2]);
		ev->items[k] = (struct pyevent_item){f[0], f[1], f[2], f[3]};
	}
	ev->t = ev->items[ev->batch.n - 1].t1;
	return at_end(c);
}

/* G pid tid first n t0 t1 hex: a group of fast items, timed together */
static int parse_group(struct cursor *c, struct pyevent *ev)
{
	const char *tok;
	size_t len;
	int64_t first;

	if (field_pid(c, "the pid", &ev->group.pid) < 0 ||
	    field_pid(c, "the tid", &ev->group.tid) < 0 ||
	    field_i64(c, "the first index", 0, PYEVENT_MAX_ITEMS - 1, &first) < 0 ||
	    field_int(c, "the item count", 1, PYEVENT_GROUP_MAX, &ev->group.n) < 0 ||
	    field_time(c, "the start", &ev->group.t0) < 0 || field_time(c, "the end", &ev->t) < 0 ||
	    next_field(c, "the results", &tok, &len) < 0)
		return -1;
	ev->group.first = first;
	if (first + ev->group.n > PYEVENT_MAX_ITEMS)
		return fail(c, "items %" PRId64 "..%" PRId64 " are out of range (allowed: 0..%d)",
		            first, first + ev->group.n - 1, PYEVENT_MAX_ITEMS - 1);
	if (ev->t < ev->group.t0)
		return fail(c, "start %" PRId64 " and end %" PRId64 " are not in order",
		            ev->group.t0, ev->t);
	if (len != (size_t)ev->group.n * 16)
		return fail(c, "%d results take %d hex digits, not %zu", ev->group.n,
		            ev->group.n * 16, len);
	for (int k = 0; k < ev->group.n; k++) {
		uint64_t v = 0;

		for (int b = 0; b < 8; b++) {
			int hi = hexval(tok[k * 16 + 2 * b]), lo = hexval(tok[k * 16 + 2 * b + 1]);

			if (hi < 0 || lo < 0)
				return fail(c, "result %d holds a character that is not hex", k);
			v |= (uint64_t)(hi << 4 | lo) << (8 * b);
		}
		ev->group_results[k] = (int64_t)v;
	}
	return at_end(c);
}

/* H proto impl version gil ft method pid t */
static int parse_hello(struct cursor *c, struct pyevent *ev)
{
	char method[16];

	if (field_int(c, "the protocol", 1, 1000000, &ev->hello.proto) < 0)
		return -1;
	if (ev->hello.proto != PYEVENT_PROTOCOL)
		return fail(c, "protocol %d, but this mptutor reads protocol %d", ev->hello.proto,
		            PYEVENT_PROTOCOL);
	if (field_word(c, "the implementation", "abcdefghijklmnopqrstuvwxyz0123456789_",
	               ev->hello.impl, sizeof(ev->hello.impl)) < 0 ||
	    field_word(c, "the version",
	               "0123456789.+-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
	               ev->hello.version, sizeof(ev->hello.version)) < 0 ||
	    field_bool(c, "gil", &ev->hello.gil) < 0 ||
	    field_bool(c, "free-threaded", &ev->hello.free_threaded) < 0 ||
	    field_word(c, "the start method", "abcdefghijklmnopqrstuvwxyz-", method,
	               sizeof(method)) < 0)
		return -1;
	if (strcmp(method, "-") == 0)
		method[0] = '\0';
	else if (strcmp(method, "fork") != 0 && strcmp(method, "spawn") != 0 &&
	         strcmp(method, "forkserver") != 0)
		return fail(c, "start method '%s' is unknown (allowed: fork, spawn, forkserver, -)",
		            method);
	memcpy(ev->hello.start_method, method, sizeof(method));
	if (field_pid(c, "the pid", &ev->hello.pid) < 0 || field_time(c, "the time", &ev->t) < 0)
		return -1;
	return at_end(c);
}

/* The fields of one kind after its letter. */
static int parse_fields(struct cursor *c, struct pyevent *ev)
{
	int64_t v;

	switch (ev->kind) {
	case PYEVENT_HELLO:
		return parse_hello(c, ev);
	case PYEVENT_WORKER:
		if (field_pid(c, "the pid", &ev->worker.pid) < 0 ||
		    field_pid(c, "the tid", &ev->worker.tid) < 0 ||
		    field_time(c, "the time", &ev->t) < 0)
			return -1;
		break;
	case PYEVENT_POOL:
		if (field_time(c, "t0", &ev->pool.t0) < 0 ||
		    field_time(c, "t1", &ev->pool.t1) < 0 ||
		    field_int(c, "the worker count", 1, PYEVENT_MAX_WORKERS, &ev->pool.workers) < 0)
			return -1;
		if (ev->pool.t1 < ev->pool.t0)
			return fail(c, "t1 %" PRId64 " is before t0 %" PRId64, ev->pool.t1,
			            ev->pool.t0);
		ev->t = ev->pool.t1;
		break;
	case PYEVENT_BEGIN:
		if (field_time(c, "the time", &ev->t) < 0 ||
		    field_i64(c, "the item count", 0, PYEVENT_MAX_ITEMS, &ev->begin.items) < 0 ||
		    field_i64(c, "the chunksize", 1, PYEVENT_MAX_ITEMS, &ev->begin.chunksize) < 0 ||
		    field_bool(c, "ordered", &ev->begin.ordered) < 0)
			return -1;
		break;
	case PYEVENT_START:
		if (field_i64(c, "the index", 0, PYEVENT_MAX_ITEMS - 1, &ev->start.index) < 0 ||
		    field_pid(c, "the pid", &ev->start.pid) < 0 ||
		    field_pid(c, "the tid", &ev->start.tid) < 0 ||
		    field_time(c, "the time", &ev->t) < 0)
			return -1;
		break;
	case PYEVENT_END:
		if (field_i64(c, "the index", 0, PYEVENT_MAX_ITEMS - 1, &ev->end.index) < 0 ||
		    field_time(c, "the time", &ev->t) < 0)
			return -1;
		if (c->end - c->p == 2 && c->p[0] == ' ' && c->p[1] == '-') {
			ev->end.has_result = false;
			ev->end.result = 0;
			c->p = c->end;
		} else if (field_i64(c, "the result", INT64_MIN, INT64_MAX, &ev->end.result) < 0) {
			return -1;
		} else {
			ev->end.has_result = true;
		}
		break;
	case PYEVENT_ITEMS:
		return parse_items(c, ev);
	case PYEVENT_GROUP:
		return parse_group(c, ev);
	case PYEVENT_CPU:
		if (field_pid(c, "the pid", &ev->cpu.pid) < 0 ||
		    field_pid(c, "the tid", &ev->cpu.tid) < 0 ||
		    field_i64(c, "the CPU time", 0, INT64_MAX, &ev->cpu.cpu_ns) < 0)
			return -1;
		break;
	case PYEVENT_OUTPUT:
		if (field_pid(c, "the pid", &ev->output.pid) < 0 ||
		    field_pid(c, "the tid", &ev->output.tid) < 0 ||
		    field_time(c, "the time", &ev->t) < 0 ||
		    field_bool(c, "more", &ev->output.more) < 0)
			return -1;
		return field_text(c, ev);
	case PYEVENT_DEATH:
		if (field_pid(c, "the pid", &ev->death.pid) < 0 ||
		    field_int(c, "the signal", 0, 64, &ev->death.signal) < 0 ||
		    field_int(c, "the status", 0, 255, &ev->death.status) < 0 ||
		    field_time(c, "the time", &ev->t) < 0)
			return -1;
		if (ev->death.signal > 0 && ev->death.status != 0)
			return fail(c, "both a signal (%d) and a status (%d)", ev->death.signal,
			            ev->death.status);
		break;
	case PYEVENT_MAP_END:
		if (field_time(c, "the time", &ev->t) < 0)
			return -1;
		break;
	case PYEVENT_BYTES:
		if (field_i64(c, "the bytes sent", 0, INT64_MAX, &ev->bytes.sent) < 0 ||
		    field_i64(c, "the bytes received", 0, INT64_MAX, &ev->bytes.recvd) < 0 ||
		    field_i64(c, "the messages sent", 0, INT64_MAX, &ev->bytes.nsent) < 0 ||
		    field_i64(c, "the messages received", 0, INT64_MAX, &ev->bytes.nrecvd) < 0)
			return -1;
		break;
	case PYEVENT_COUNTER:
		if (field_i64(c, "the value", INT64_MIN, INT64_MAX, &v) < 0)
			return -1;
		ev->counter.value = v;
		break;
	case PYEVENT_ERROR:
		if (field_time(c, "the time", &ev->t) < 0)
			return -1;
		return field_text(c, ev);
	case PYEVENT_DONE:
		if (field_time(c, "the time", &ev->t) < 0 ||
		    field_int(c, "the status", 0, 255, &ev->done.status) < 0)
			return -1;
		break;
	case PYEVENT_PROC_MADE:
		if (field_int(c, "the Process", 0, PYEVENT_MAX_PROCS - 1, &ev->proc.k) < 0 ||
		    field_i64(c, "the item", INT64_MIN, INT64_MAX, &ev->proc.item) < 0 ||
		    field_time(c, "the time", &ev->t) < 0)
			return -1;
		break;
	case PYEVENT_PROC_START:
		if (field_int(c, "the Process", 0, PYEVENT_MAX_PROCS - 1, &ev->proc.k) < 0 ||
		    field_pid(c, "the pid", &ev->proc.pid) < 0 ||
		    field_time(c, "t0", &ev->proc.t0) < 0 || field_time(c, "t1", &ev->t) < 0)
			return -1;
		if (ev->t < ev->proc.t0)
			return fail(c, "t1 %" PRId64 " is before t0 %" PRId64, ev->t, ev->proc.t0);
		break;
	case PYEVENT_PROC_EXIT:
		if (field_int(c, "the Process", 0, PYEVENT_MAX_PROCS - 1, &ev->proc.k) < 0 ||
		    field_time(c, "the time", &ev->t) < 0)
			return -1;
		break;
	case PYEVENT_PROC_JOIN:
		if (field_int(c, "the Process", 0, PYEVENT_MAX_PROCS - 1, &ev->proc.k) < 0 ||
		    field_int(c, "the exit code", -64, 255, &ev->proc.exit_code) < 0 ||
		    field_time(c, "the time", &ev->t) < 0)
			return -1;
		break;
	default:
		return fail(c, "unknown kind");
	}
	return at_end(c);
}

/* Parse one line into *ev; -1 with a message in err if it is malformed. */
int pyevent_parse(const char *line, size_t len, struct pyevent *ev, char *err, size_t errlen)
{
	struct cursor c = {.err = err, .errlen = errlen};

	if (err && errlen)
		err[0] = '\0';
	if (!line || !ev)
		return plain_fail(err, errlen, "no line to parse");
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len + 1 > PYEVENT_LINE_MAX)
		return plain_fail(err, errlen, "an event line of %zu bytes is longer than %d",
		                  len + 1, PYEVENT_LINE_MAX);
	if (len == 0)
		return plain_fail(err, errlen, "empty event line");
	memset(ev, 0, offsetof(struct pyevent, text));
	ev->text[0] = '\0';
	ev->kind = (enum pyevent_kind)(unsigned char)line[0];
	c.kind = ev->kind;
	if (strcmp(pyevent_kind_name(line[0]), "unknown") == 0)
		return plain_fail(
		    err, errlen,
		    "unknown event kind '%c' (allowed: H W P B S E Q G U O K M Y C X D A R Z J)",
		    line[0] >= 0x20 && line[0] < 0x7f ? line[0] : '?');
	if (len > 1 && line[1] != ' ')
		return plain_fail(err, errlen, "the event kind is one letter, then a space");
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)line[i];

		if (ch < 0x20 || ch > 0x7e)
			return fail(&c,
			            "byte 0x%02x at column %zu: an event line is printable ASCII",
			            ch, i + 1);
	}
	c.p = line + 1;
	c.end = line + len;
	return parse_fields(&c, ev);
}
