/*
 * backend.c — the public backend table (backend.h): one row per backend,
 * and the few questions asked of it (by name, baseline, compare lists).
 */
#include "engine/backend.h"
#include "engine/pythons.h"

#include <stdio.h>
#include <string.h>

const struct backend_info backend_table[BACKEND_COUNT] = {
    [BACKEND_SERIAL] =
        {
            .kind = BACKEND_SERIAL,
            .name = "serial",
            .summary = "one worker in mptutor itself: the baseline",
            .worker = "worker",
            .workers = "workers",
            .prefix = 'w',
            .serial = true,
            .family = BACKEND_FAMILY_C,
            .compare_default = true,
        },
    [BACKEND_PROCESS] =
        {
            .kind = BACKEND_PROCESS,
            .name = "process",
            .summary = "fork()ed worker processes sharing an mmap'd arena",
            .worker = "worker",
            .workers = "workers",
            .prefix = 'w',
            .forks = true,
            .family = BACKEND_FAMILY_C,
            .compare_default = true,
        },
    [BACKEND_THREAD] =
        {
            .kind = BACKEND_THREAD,
            .name = "thread",
            .summary = "pthreads running free (as C, or free-threaded Python)",
            .worker = "thread",
            .workers = "threads",
            .prefix = 't',
            .family = BACKEND_FAMILY_C,
            .compare_default = true,
        },
    [BACKEND_GIL] =
        {
            .kind = BACKEND_GIL,
            .name = "gil",
            .summary = "pthreads serialised by a simulated CPython GIL",
            .worker = "thread",
            .workers = "threads",
            .prefix = 't',
            .title_extra = "threads + GIL",
            .gil = true,
            .family = BACKEND_FAMILY_C,
            .compare_default = true,
        },
    [BACKEND_PY_SERIAL] =
        {
            .kind = BACKEND_PY_SERIAL,
            .name = "py-serial",
            .summary = "a plain loop in the installed CPython: its baseline",
            .worker = "worker",
            .workers = "workers",
            .prefix = 'w',
            .title_extra = "CPython loop",
            .serial = true,
            .family = BACKEND_FAMILY_PYTHON,
            .available = pythons_available,
        },
    [BACKEND_PY_PROCESS] =
        {
            .kind = BACKEND_PY_PROCESS,
            .name = "py-process",
            .summary = "the installed CPython's multiprocessing.Pool (fork, spawn or forkserver)",
            .worker = "worker",
            .workers = "workers",
            .prefix = 'w',
            .title_extra = "multiprocessing.Pool",
            .forks = true,
            .family = BACKEND_FAMILY_PYTHON,
            .available = pythons_available,
        },
    [BACKEND_PY_THREAD] =
        {
            .kind = BACKEND_PY_THREAD,
            .name = "py-thread",
            .summary =
                "the installed CPython's ThreadPool, under its real GIL (none if free-threaded)",
            .worker = "thread",
            .workers = "threads",
            .prefix = 't',
            .title_extra = "ThreadPool + real GIL",
            .gil = true,
            .family = BACKEND_FAMILY_PYTHON,
            .available = pythons_available,
        },
};

/* Family words a compare list may use, and the family each names (-1: all). */
static const struct {
	const char *word;
	int family;
} backend_groups[] = {
    {"c", BACKEND_FAMILY_C},
    {"py", BACKEND_FAMILY_PYTHON},
    {"all", -1},
};

const struct backend_info *backend_get(enum backend_kind kind)
{
	return (unsigned)kind < BACKEND_COUNT ? &backend_table[kind] : NULL;
}

const struct backend_info *backend_lookup(const char *name)
{
	for (int k = 0; name && k < BACKEND_COUNT; k++)
		if (strcmp(backend_table[k].name, name) == 0)
			return &backend_table[k];
	return NULL;
}

const char *backend_name(enum backend_kind kind)
{
	const struct backend_info *b = backend_get(kind);
	return b ? b->name : "?";
}

int backend_find(const char *name, enum backend_kind *out)
{
	const struct backend_info *b = backend_lookup(name);
	if (!b)
		return -1;
	*out = b->kind;
	return 0;
}

enum backend_kind backend_baseline(enum backend_kind kind)
{
	const struct backend_info *b = backend_get(kind);
	for (int k = 0; b && k < BACKEND_COUNT; k++)
		if (backend_table[k].serial && backend_table[k].family == b->family)
			return (enum backend_kind)k;
	return kind;
}

void backend_names(char *buf, size_t len)
{
	size_t at = 0;
	if (len)
		buf[0] = '\0';
	for (int k = 0; k < BACKEND_COUNT && at < len; k++) {
		int n = snprintf(buf + at, len - at, "%s%s", k ? ", " : "", backend_table[k].name);
		if (n < 0)
			break;
		at += (size_t)n;
	}
}

size_t backend_default_list(enum backend_kind *out)
{
	size_t n = 0;
	for (int k = 0; k < BACKEND_COUNT; k++)
		if (backend_table[k].compare_default)
			out[n++] = (enum backend_kind)k;
	return n;
}

/* Mark the backends one word of a compare list names; -1 if it names none. */
static int backend_mark_word(const char *word, bool *want)
{
	const struct backend_info *b = backend_lookup(word);
	if (b) {
		want[b->kind] = true;
		return 0;
	}
	for (size_t g = 0; g < sizeof backend_groups / sizeof backend_groups[0]; g++) {
		if (strcmp(backend_groups[g].word, word) != 0)
			continue;
		for (int k = 0; k < BACKEND_COUNT; k++)
			if (backend_groups[g].family < 0 ||
			    (int)backend_table[k].family == backend_groups[g].family)
				want[k] = true;
		return 0;
	}
	return -1;
}

int backend_parse_list(const char *text, enum backend_kind *out, size_t *n, char *err,
                       size_t errlen)
{
	bool want[BACKEND_COUNT] = {false};
	char word[64];
	const char *p = text ? text : "";

	for (;;) {
		size_t len = strcspn(p, ",");
		if (len == 0 || len >= sizeof word) {
			char names[256];
			backend_names(names, sizeof names);
			snprintf(err, errlen,
			         len ? "backend name too long in '%s' (backends: %s, or c, py, all)"
			             : "empty backend name in '%s' (a comma-separated list of: %s, "
			               "or c, py, all)",
			         text ? text : "", names);
			return -1;
		}
		memcpy(word, p, len);
		word[len] = '\0';
		if (backend_mark_word(word, want) < 0) {
			char names[256];
			backend_names(names, sizeof names);
			snprintf(err, errlen, "unknown backend '%s' (backends: %s, or c, py, all)",
			         word, names);
			return -1;
		}
		if (!p[len])
			break;
		p += len + 1;
	}
	*n = 0;
	for (int k = 0; k < BACKEND_COUNT; k++)
		if (want[k])
			out[(*n)++] = (enum backend_kind)k;
	return 0;
}
