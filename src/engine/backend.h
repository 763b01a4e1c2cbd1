/*
 * backend.h — what each backend is, for everyone: one public table of
 * `struct backend_info` rows (name, what its workers are called, whether they
 * are processes, whether a GIL serialises them, its family and that family's
 * serial baseline, its place in `compare`, whether it can run here). Front
 * ends, reports and lessons ask this table; none of them switches on the kind.
 *
 * Adding a backend: one engine file with its `struct backend_ops` (pool.h),
 * one enum value below, one row in backend.c, and its tests.
 */
#ifndef MPTUTOR_BACKEND_H
#define MPTUTOR_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

/* The backends, in table order: the order `compare` runs and shows them. */
enum backend_kind {
	BACKEND_SERIAL,     /* the baseline: one worker in the calling process */
	BACKEND_PROCESS,    /* fork()ed workers sharing an mmap'd arena */
	BACKEND_THREAD,     /* pthreads running free (C, free-threaded Python) */
	BACKEND_GIL,        /* pthreads serialized by a simulated CPython GIL */
	BACKEND_PY_SERIAL,  /* the real CPython: a plain loop in the interpreter */
	BACKEND_PY_PROCESS, /* the real CPython: multiprocessing.Pool */
	BACKEND_PY_THREAD,  /* the real CPython: multiprocessing.pool.ThreadPool, its real GIL */
	BACKEND_COUNT
};

/* Which implementation a backend belongs to; each family has one serial baseline. */
enum backend_family {
	BACKEND_FAMILY_C,      /* mptutor's own C workers: the model */
	BACKEND_FAMILY_PYTHON, /* the installed CPython running the map itself */
	BACKEND_FAMILY_COUNT
};

/* One row of the table. */
struct backend_info {
	enum backend_kind kind; /* its enum value (== its index in the table) */
	const char *name;       /* what -b takes: "process" */
	const char *summary;    /* one line for help: what its workers are */
	const char *worker;     /* one of its workers: "worker", "thread" */
	const char *workers;    /* several: "workers", "threads" */
	char prefix;            /* worker labels: 'w' (w0, w1) or 't' (t0, t1) */
	const char
	    *title_extra; /* a column title's note after the name, or NULL ("threads + GIL") */
	bool forks;       /* workers are processes (a crash cannot take mptutor down) */
	bool gil;         /* a GIL serialises its threads (py-thread: one exists; the
	                     snapshot's python->gil says whether this interpreter had it on) */
	bool serial;      /* one worker: its family's baseline */
	enum backend_family family; /* whose baseline its speedup is against */
	bool compare_default;       /* `compare` with no -b runs it */
	/* Can it run on this machine? NULL: always. Else 0, or -1 with why (e.g. no python3:
	 * the py-* rows look for $MPTUTOR_PYTHON or python3 on PATH). */
	int (*available)(char *why, size_t whylen);
};

/* The table, indexed by kind. */
extern const struct backend_info backend_table[BACKEND_COUNT];

/* The row of kind; NULL if kind is out of range. */
const struct backend_info *backend_get(enum backend_kind kind);
/* The row named name ("process"); NULL if none. */
const struct backend_info *backend_lookup(const char *name);
/* Backend name: "process", "thread", "gil", "serial" ("?" out of range). */
const char *backend_name(enum backend_kind kind);
/* Look a backend up by name into *out; -1 if none. */
int backend_find(const char *name, enum backend_kind *out);
/* The serial baseline of kind's family (a serial backend is its own). */
enum backend_kind backend_baseline(enum backend_kind kind);
/* Every backend name, "serial, process, thread, gil, py-serial, ...", into buf (for messages). */
void backend_names(char *buf, size_t len);
/* Parse a compare list: comma-separated names, or a family word ("c" the
 * model's backends, "py" the real CPython's, "all" every one); duplicates are kept once, the result
 * is in table order. Fills out[BACKEND_COUNT] and *n; -1 with a message naming the bad word and the
 * allowed ones. */
int backend_parse_list(const char *text, enum backend_kind *out, size_t *n, char *err,
                       size_t errlen);
/* The default compare list (the rows with compare_default), in table order. */
size_t backend_default_list(enum backend_kind *out);

#endif
