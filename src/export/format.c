/*
 * format.c — the table of report formats, finding one by name, and the one
 * place a report is handed to its format: the callers never branch on it.
 */
#include <string.h>

#include "export/format.h"

/* Every format, the default first; a new one is a row here and a file of its own. */
const struct export_format *const export_formats[] = {&export_text, &export_json};
const size_t export_format_count = sizeof export_formats / sizeof export_formats[0];

/* The default format (text). */
const struct export_format *export_format_default(void)
{
	return export_formats[0];
}

/* The format named name, or NULL. */
const struct export_format *export_format_find(const char *name)
{
	for (size_t i = 0; name != NULL && i < export_format_count; i++)
		if (strcmp(export_formats[i]->name, name) == 0)
			return export_formats[i];
	return NULL;
}

/* The names of the formats that can write kind (EXPORT_KIND_COUNT: every
 * format), "text, json", into buf (len >= 1). */
static void export_list(char *buf, size_t len, enum export_kind kind)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < export_format_count; i++) {
		if (kind != EXPORT_KIND_COUNT && !export_format_can(export_formats[i], kind))
			continue;
		int w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
		                 export_formats[i]->name);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
}

/* The format names, "text, json", into buf. */
void export_format_names(char *buf, size_t len)
{
	if (len > 0)
		export_list(buf, len, EXPORT_KIND_COUNT);
}

/* The format names, NULL-terminated, static. */
const char *const *export_format_words(void)
{
	static const char *words[sizeof export_formats / sizeof export_formats[0] + 1];
	if (words[0] == NULL)
		for (size_t i = 0; i < export_format_count; i++)
			words[i] = export_formats[i]->name;
	return words;
}

/* The word for a kind of report in messages. */
const char *export_kind_name(enum export_kind kind)
{
	switch (kind) {
	case EXPORT_RUN:
		return "a run";
	case EXPORT_COMPARE:
		return "a compare";
	case EXPORT_PROCESS:
		return "a process";
	case EXPORT_ORDERS:
		return "the orders of --repeat";
	case EXPORT_KIND_COUNT:
		break;
	}
	return "this";
}

/* Does f have the entry for kind? */
bool export_format_can(const struct export_format *f, enum export_kind kind)
{
	if (f == NULL)
		f = export_format_default();
	switch (kind) {
	case EXPORT_RUN:
		return f->run != NULL;
	case EXPORT_COMPARE:
		return f->compare != NULL;
	case EXPORT_PROCESS:
		return f->process != NULL;
	case EXPORT_ORDERS:
		return f->orders != NULL;
	case EXPORT_KIND_COUNT:
		break;
	}
	return false;
}

/* 0 if f can write kind, else -1 and a message naming the formats that can. */
int export_format_check(const struct export_format *f, enum export_kind kind, char *err,
                        size_t errlen)
{
	if (f == NULL)
		f = export_format_default();
	if (export_format_can(f, kind))
		return 0;
	char can[256];
	export_list(can, sizeof can, kind);
	snprintf(err, errlen, "--format %s cannot write %s report (formats that can: %s)", f->name,
	         export_kind_name(kind), can[0] ? can : "none");
	return -1;
}

/* The kind of report a request's command ends with. */
enum export_kind export_kind_of(const struct run_request *req)
{
	switch (req->kind) {
	case RUNKIND_COMPARE:
		return EXPORT_COMPARE;
	case RUNKIND_PROCESS:
		return EXPORT_PROCESS;
	case RUNKIND_RUN:
		break;
	}
	return EXPORT_RUN;
}

/* The request's format, once it is known to write kind; NULL with a message if not. */
static const struct export_format *export_pick(const struct run_request *req, enum export_kind kind,
                                               char *err, size_t errlen)
{
	const struct export_format *f = req->format != NULL ? req->format : export_format_default();
	return export_format_check(f, kind, err, errlen) == 0 ? f : NULL;
}

/* One finished run, in the request's format. */
int export_run(const struct run_request *req, FILE *out, const struct run_snapshot *s,
               const struct session_orders *repeat, char *err, size_t errlen)
{
	const struct export_format *f = export_pick(req, EXPORT_RUN, err, errlen);
	return f != NULL ? f->run(out, s, repeat, err, errlen) : -1;
}

/* A compare, in the request's format. */
int export_compare(const struct run_request *req, FILE *out,
                   const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen)
{
	const struct export_format *f = export_pick(req, EXPORT_COMPARE, err, errlen);
	return f != NULL ? f->compare(out, req, snaps, n, err, errlen) : -1;
}

/* A finished Process demo, in the request's format. */
int export_process(const struct run_request *req, FILE *out, const struct proc_demo_snap *s,
                   const struct session_orders *repeat, char *err, size_t errlen)
{
	const struct export_format *f = export_pick(req, EXPORT_PROCESS, err, errlen);
	return f != NULL ? f->process(out, req, s, repeat, err, errlen) : -1;
}

/* The orders of repeated runs alone, in the request's format. */
int export_orders(const struct run_request *req, FILE *out, const struct session_orders *o,
                  char *err, size_t errlen)
{
	const struct export_format *f = export_pick(req, EXPORT_ORDERS, err, errlen);
	return f != NULL ? f->orders(out, o, err, errlen) : -1;
}
