/*
 * pythons.h — the CPython interpreters mptutor can run its py-* backends
 * with: which interpreter a name means (a path, or a name looked up on
 * PATH; none given: $MPTUTOR_PYTHON, else python3), where the Python side
 * (mptutor_py.py, mptutor_tasks.py) is installed, every interpreter on PATH
 * (python3, python3.N, python3.Nt) probed with `mptutor_py.py pythons`, and
 * the pure parser of that probe's one JSON line.
 *
 * Contract: every function returns 0, or -1 with a message naming the
 * interpreter and what is wrong; nothing is left running (a probe that does
 * not answer within PYTHONS_PROBE_TIMEOUT_MS is killed and reaped). The
 * front end's `mptutor pythons` is pythons_find() printed.
 */
#ifndef MPTUTOR_PYTHONS_H
#define MPTUTOR_PYTHONS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define PYTHONS_MAX 32                 /* interpreters pythons_find reports at most */
#define PYTHONS_PROBE_TIMEOUT_MS 15000 /* a probe (a pyenv shim is slow) gets this long */
#define PYTHONS_MIN_MAJOR 3            /* the oldest interpreter the Python side runs on */
#define PYTHONS_MIN_MINOR 8
#define PYTHONS_DEFAULT "python3"            /* the interpreter when none is named */
#define PYTHONS_ENV "MPTUTOR_PYTHON"         /* names the interpreter when no spec does */
#define PYTHONS_DIR_ENV "MPTUTOR_PYTHON_DIR" /* where mptutor_py.py is, overriding the search */
#define PYTHONS_SCRIPT "mptutor_py.py"       /* the Python side's entry point */

/* One interpreter, as its probe described it. */
struct python_info {
	char path[PATH_MAX];       /* as found: "/usr/bin/python3.11" */
	char real[PATH_MAX];       /* its realpath (duplicates on PATH are skipped by it) */
	char executable[PATH_MAX]; /* sys.executable, as it reports itself */
	char implementation[32];   /* sys.implementation.name: "cpython" */
	char version[32];          /* platform.python_version(): "3.13.0" */
	int major, minor;          /* 3, 13 */
	bool free_threaded;        /* built free-threaded (Py_GIL_DISABLED: python3.13t) */
	bool gil_enabled;          /* the GIL is on in it now (sys._is_gil_enabled()) */
	char start_methods[64];    /* multiprocessing's, comma-separated: "fork,spawn,forkserver" */
	char default_method[16];   /* multiprocessing.get_start_method(): "fork" */
	bool interpreters;         /* concurrent.interpreters exists (3.14+) */
	bool interpreter_pool;     /* concurrent.futures.InterpreterPoolExecutor exists */
};

/* The interpreter a spec's name means: name NULL or "" -> $MPTUTOR_PYTHON, else
 * python3. A name with a '/' is used as it is; another is looked up on PATH.
 * The path found (executable) goes into path[len]. */
int pythons_resolve(const char *name, char *path, size_t len, char *err, size_t errlen);
/* backend_info.available of the py-* rows: the default interpreter is found
 * and the Python side is installed (not run: that is run_start's check). */
int pythons_available(char *why, size_t whylen);
/* Where mptutor_py.py is: $MPTUTOR_PYTHON_DIR, else ./src/python (run from the
 * source tree), else the installed MPTUTOR_DATADIR/python, else src/python
 * beside the running binary (built, not installed); NULL if in none. */
const char *pythons_dir(void);
/* Parse the probe's JSON line of len bytes into out (path and real untouched). */
int pythons_parse_probe(const char *text, size_t len, struct python_info *out, char *err,
                        size_t errlen);
/* Run `path dir/mptutor_py.py pythons` (dir NULL: pythons_dir()) and parse its line. */
int pythons_probe(const char *path, const char *dir, struct python_info *out, char *err,
                  size_t errlen);
/* The major.minor version of the interpreter at path (`-c` with sys.version_info,
 * which even Python 2 answers); -1 if it does not say. */
int pythons_version(const char *path, int *major, int *minor);
/* Every interpreter on PATH named python3, python3.N or python3.Nt that runs,
 * one per realpath and per sys.executable, in PATH order, into out[max];
 * *n is how many. Ones that fail to run (a pyenv shim of a version not
 * selected) are skipped. -1 only if the Python side is not found. */
int pythons_find(const char *dir, struct python_info *out, size_t max, size_t *n, char *err,
                 size_t errlen);

#endif
