/*
 * format.c — the table of report formats, finding one by name, and the one
 * place a report is handed to its format and to where it goes (stdout, or
 * the file of -o FILE, replaced whole): the callers never branch on either.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export/format.h"

/* Every format, the default first; a new one is a row here and a file of its own. */
const struct export_format *const export_formats[] = {&export_text,   &export_json, &export_csv,
                                                      &export_chrome, &export_svg,  &export_png};
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
	case EXPORT_PYTHONS:
		return "a pythons";
	case EXPORT_SWEEP:
		return "a sweep";
	case EXPORT_PYRUN:
		return "a pyrun";
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
	case EXPORT_PYTHONS:
		return f->pythons != NULL;
	case EXPORT_SWEEP:
		return f->sweep != NULL;
	case EXPORT_PYRUN:
		return f->pyrun != NULL;
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
	case RUNKIND_SWEEP:
		return EXPORT_SWEEP;
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

/* --- where a report goes ---------------------------------------------------- */

/* A report's destination while it is written. */
struct export_sink {
	FILE *f;          /* what the writer writes to */
	const char *path; /* -o FILE as given, or NULL for the caller's stream */
	char *target;     /* the regular file replaced at the end (FILE, or where its link
	                     points); NULL: FILE is written in place */
	char *tmp;        /* the new file beside target, renamed over it at the end */
};

/* Is this -o a file (not stdout)? */
static bool export_to_file(const char *path)
{
	return path != NULL && strcmp(path, "-") != 0;
}

/* The regular file that -o path replaces whole: path itself when it is one or
 * does not exist, the file a symbolic link points to; NULL (errno 0) when path
 * is something else (a device such as /dev/null, a FIFO: written in place,
 * never replaced) or a link to nothing yet. NULL with errno set on an error.
 * Caller frees. */
static char *export_target(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		if (errno != ENOENT)
			return NULL;
		errno = 0;
		return strdup(path);
	}
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return NULL;
	}
	if (S_ISLNK(st.st_mode)) {
		if (stat(path, &st) != 0) {
			errno = 0;
			return NULL; /* a link to a file not made yet: fopen makes it */
		}
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			return NULL;
		}
		if (!S_ISREG(st.st_mode)) {
			errno = 0;
			return NULL;
		}
		return realpath(path, NULL);
	}
	errno = 0;
	return S_ISREG(st.st_mode) ? strdup(path) : NULL;
}

/* A new file beside path ("path.XXXXXX"), open for writing: its name in *tmp
 * (caller frees), its fd returned; -1 with errno set. */
static int export_mktemp(const char *path, char **tmp)
{
	size_t n = strlen(path);
	*tmp = malloc(n + 8);
	if (*tmp == NULL)
		return -1;
	memcpy(*tmp, path, n);
	memcpy(*tmp + n, ".XXXXXX", 8);
	int fd = mkstemp(*tmp);
	if (fd < 0) {
		int e = errno;
		free(*tmp);
		*tmp = NULL;
		errno = e;
	}
	return fd;
}

/* "cannot write the report to PATH: REASON" into err. */
static int export_file_error(const char *path, int e, char *err, size_t errlen)
{
	snprintf(err, errlen, "cannot write the report to %s: %s", path, strerror(e));
	return -1;
}

/* Can -o FILE be written? Make and remove a file beside the one it replaces;
 * a device or FIFO must be writable as it is. */
int export_output_check(const struct run_request *req, char *err, size_t errlen)
{
	const struct export_format *f = req->format != NULL ? req->format : export_format_default();
	if (f->check != NULL && f->check(req, err, errlen) != 0)
		return -1;
	if (!export_to_file(req->output))
		return 0;
	char *target = export_target(req->output);
	if (target == NULL) {
		if (errno != 0)
			return export_file_error(req->output, errno, err, errlen);
		if (access(req->output, W_OK) != 0 && errno != ENOENT)
			return export_file_error(req->output, errno, err, errlen);
		return 0;
	}
	char *tmp;
	int fd = export_mktemp(target, &tmp);
	int e = errno;
	free(target);
	if (fd < 0)
		return export_file_error(req->output, e, err, errlen);
	close(fd);
	unlink(tmp);
	free(tmp);
	return 0;
}

/* Open where req's report goes: out; a new file beside the regular file -o
 * FILE names; or FILE itself when it is a device or a FIFO. */
static int export_open(const struct run_request *req, FILE *out, struct export_sink *k, char *err,
                       size_t errlen)
{
	*k = (struct export_sink){.f = out};
	if (!export_to_file(req->output))
		return 0;
	k->path = req->output;
	k->target = export_target(k->path);
	if (k->target == NULL) {
		if (errno != 0)
			return export_file_error(k->path, errno, err, errlen);
		k->f = fopen(k->path, "w"); /* in place: /dev/null stays a device */
		return k->f != NULL ? 0 : export_file_error(k->path, errno, err, errlen);
	}
	int fd = export_mktemp(k->target, &k->tmp);
	if (fd < 0) {
		int e = errno;
		free(k->target);
		return export_file_error(k->path, e, err, errlen);
	}
	/* the mode a file made by open(2) would get, or the old file's own */
	struct stat st;
	mode_t mask = umask(0);
	umask(mask);
	mode_t mode = stat(k->target, &st) == 0 ? st.st_mode & 07777 : 0666 & ~mask;
	if (fchmod(fd, mode) != 0 || (k->f = fdopen(fd, "w")) == NULL) {
		int e = errno;
		close(fd);
		unlink(k->tmp);
		free(k->tmp);
		free(k->target);
		return export_file_error(k->path, e, err, errlen);
	}
	return 0;
}

/* Finish a report written with result rc: put the new file in place if it is
 * whole, else remove it. Returns rc, or -1 with a message if the file failed. */
static int export_close(struct export_sink *k, int rc, char *err, size_t errlen)
{
	if (k->path == NULL)
		return rc;
	int e = 0;
	if (fflush(k->f) != 0 || ferror(k->f))
		e = errno ? errno : EIO;
	if (e == 0 && k->tmp != NULL && fsync(fileno(k->f)) != 0)
		e = errno;
	if (fclose(k->f) != 0 && e == 0)
		e = errno;
	if (k->tmp != NULL) {
		if (rc == 0 && e == 0 && rename(k->tmp, k->target) != 0)
			e = errno;
		if (rc != 0 || e != 0)
			unlink(k->tmp);
	}
	free(k->tmp);
	free(k->target);
	if (rc == 0 && e != 0)
		return export_file_error(k->path, e, err, errlen);
	return rc;
}

static const struct machine_info *export_machine_given; /* a replayed recording's, or NULL */

/* The machine a report names. */
void export_machine(struct machine_info *m)
{
	if (export_machine_given != NULL)
		*m = *export_machine_given;
	else
		machine_info_read(m);
}

/* Name m in the reports (NULL: this machine). */
void export_machine_set(const struct machine_info *m)
{
	export_machine_given = m;
}

/* A document written by write(out, arg) to path whole or not at all, as -o FILE. */
int export_write_file(const char *path, export_writer_fn write, const void *arg, char *err,
                      size_t errlen)
{
	struct run_request req = {.output = (char *)path};
	struct export_sink k;
	if (export_open(&req, stdout, &k, err, errlen) != 0)
		return -1;
	return export_close(&k, write(k.f, arg, err, errlen), err, errlen);
}

/* --- the reports ------------------------------------------------------------ */

/* One finished run, in the request's format. */
int export_run(const struct run_request *req, FILE *out, const struct run_snapshot *s,
               const struct session_orders *repeat, char *err, size_t errlen)
{
	struct export_sink k;
	const struct export_format *f = export_pick(req, EXPORT_RUN, err, errlen);
	if (f == NULL || export_open(req, out, &k, err, errlen) != 0)
		return -1;
	return export_close(&k, f->run(k.f, s, repeat, err, errlen), err, errlen);
}

/* A compare, in the request's format. */
int export_compare(const struct run_request *req, FILE *out,
                   const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen)
{
	struct export_sink k;
	const struct export_format *f = export_pick(req, EXPORT_COMPARE, err, errlen);
	if (f == NULL || export_open(req, out, &k, err, errlen) != 0)
		return -1;
	return export_close(&k, f->compare(k.f, req, snaps, n, err, errlen), err, errlen);
}

/* A finished Process demo, in the request's format. */
int export_process(const struct run_request *req, FILE *out, const struct proc_demo_snap *s,
                   const struct session_orders *repeat, char *err, size_t errlen)
{
	struct export_sink k;
	const struct export_format *f = export_pick(req, EXPORT_PROCESS, err, errlen);
	if (f == NULL || export_open(req, out, &k, err, errlen) != 0)
		return -1;
	return export_close(&k, f->process(k.f, req, s, repeat, err, errlen), err, errlen);
}

/* The orders of repeated runs alone, in the request's format. */
int export_orders(const struct run_request *req, FILE *out, const struct session_orders *o,
                  char *err, size_t errlen)
{
	struct export_sink k;
	const struct export_format *f = export_pick(req, EXPORT_ORDERS, err, errlen);
	if (f == NULL || export_open(req, out, &k, err, errlen) != 0)
		return -1;
	return export_close(&k, f->orders(k.f, o, err, errlen), err, errlen);
}

/* The interpreters found, in format f (NULL: text). */
int export_pythons(const struct export_format *f, FILE *out, const struct python_info *py, size_t n,
                   char *err, size_t errlen)
{
	if (f == NULL)
		f = export_format_default();
	if (export_format_check(f, EXPORT_PYTHONS, err, errlen) != 0)
		return -1;
	return f->pythons(out, py, n, err, errlen);
}

/* A sweep, in the request's format. */
int export_sweep(const struct run_request *req, FILE *out, const struct sweep_report *r,
                 const struct run_snapshot *const *snaps, size_t n, char *err, size_t errlen)
{
	struct export_sink k;
	const struct export_format *f = export_pick(req, EXPORT_SWEEP, err, errlen);
	if (f == NULL || export_open(req, out, &k, err, errlen) != 0)
		return -1;
	return export_close(&k, f->sweep(k.f, req, r, snaps, n, err, errlen), err, errlen);
}

/* A finished pyrun in format f (NULL: text). */
int export_pyrun(const struct export_format *f, FILE *out, const struct pyrun_snapshot *s,
                 char *err, size_t errlen)
{
	if (f == NULL)
		f = export_format_default();
	if (export_format_check(f, EXPORT_PYRUN, err, errlen) != 0)
		return -1;
	return f->pyrun(out, s, err, errlen);
}
