/*
 * exercise.c — the course's exercises: their folders found and read (task.md
 * with its hints, start.py, check.py), the learner's copy in the state
 * directory, a checker's verdict line parsed, and the exercise progress kept
 * as JSON in exercises.json (temp file, fsync, rename; mode 0600), as
 * progress.c keeps the lessons'.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lesson/exercise.h"
#include "lesson/lesson.h"

#define EXERCISE_FILE_MAX (256 * 1024) /* a larger task.md or start.py is refused */

/* Read a whole file (malloc'd, NUL-terminated); NULL with errno. */
static char *exercise_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(EXERCISE_FILE_MAX + 1);
	size_t n = buf ? fread(buf, 1, EXERCISE_FILE_MAX + 1, f) : 0;
	fclose(f);
	if (!buf)
		return NULL;
	if (n > EXERCISE_FILE_MAX) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* Append a hint. */
static void exercise_add_hint(struct exercise *ex, const char *s, size_t n)
{
	char **nh = realloc(ex->hints, (ex->n_hints + 1) * sizeof *nh);
	if (!nh)
		return;
	ex->hints = nh;
	ex->hints[ex->n_hints] = strndup(s, n);
	if (ex->hints[ex->n_hints])
		ex->n_hints++;
}

/* Parse task.md: title, text before "## Hints", the hints ("- " items; an
 * indented line continues the item). */
void exercise_parse_task(const char *text, struct exercise *ex)
{
	const char *hints = strstr(text, "\n## Hints");
	size_t tlen = hints ? (size_t)(hints - text + 1) : strlen(text);
	ex->task = strndup(text, tlen);
	ex->title[0] = '\0';
	const char *h = strncmp(text, "# ", 2) == 0 ? text : strstr(text, "\n# ");
	if (h) {
		h += h[0] == '\n' ? 3 : 2;
		size_t n = strcspn(h, "\n");
		snprintf(ex->title, sizeof ex->title, "%.*s", (int)n, h);
	}
	if (!hints)
		return;
	const char *p = strchr(hints + 1, '\n');
	char item[2048];
	size_t il = 0;
	bool in = false;
	while (p && *p) {
		p++;
		size_t n = strcspn(p, "\n");
		if (n >= 2 && (p[0] == '-' || p[0] == '*') && p[1] == ' ') {
			if (in)
				exercise_add_hint(ex, item, il);
			il = (size_t)snprintf(item, sizeof item, "%.*s", (int)(n - 2), p + 2);
			in = true;
		} else if (in && n > 0 && (p[0] == ' ' || p[0] == '\t')) {
			size_t k = 0;
			while (k < n && (p[k] == ' ' || p[k] == '\t'))
				k++;
			if (il < sizeof item - 1)
				il += (size_t)snprintf(item + il, sizeof item - il, " %.*s",
				                       (int)(n - k), p + k);
			if (il >= sizeof item)
				il = sizeof item - 1;
		} else if (n >= 2 && p[0] == '#') {
			break; /* the next section */
		}
		p = strchr(p, '\n');
	}
	if (in)
		exercise_add_hint(ex, item, il);
}

/* Sort by number. */
static int exercise_cmp(const void *a, const void *b)
{
	const struct exercise *x = a, *y = b;
	return x->number != y->number ? x->number - y->number : strcmp(x->name, y->name);
}

int exercise_list_load(const char *dir, struct exercise_list *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	err[0] = '\0';
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "no exercises: cannot open %s: %s", dir, strerror(errno));
		return -1;
	}
	out->ex = calloc(EXERCISE_MAX, sizeof *out->ex);
	if (!out->ex) {
		closedir(d);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(d)) != NULL && out->n < EXERCISE_MAX) {
		const char *nm = de->d_name;
		if (!isdigit((unsigned char)nm[0]) || !isdigit((unsigned char)nm[1]) ||
		    nm[2] != '-' || strlen(nm) >= sizeof out->ex[0].name)
			continue;
		struct exercise *ex = &out->ex[out->n];
		snprintf(ex->name, sizeof ex->name, "%s", nm);
		ex->number = atoi(nm);
		snprintf(ex->dir, sizeof ex->dir, "%s/%s", dir, nm);
		char path[PATH_MAX + 16];
		const char *need[] = {"task.md", "start.py", "check.py"};
		bool ok = true;
		for (size_t k = 0; k < 3; k++) {
			snprintf(path, sizeof path, "%s/%s", ex->dir, need[k]);
			if (access(path, R_OK) != 0) {
				snprintf(err, errlen,
				         "%s: no %s (an exercise needs task.md, start.py "
				         "and check.py)",
				         ex->dir, need[k]);
				ok = false;
				rc = -1;
				break;
			}
		}
		if (!ok)
			continue;
		snprintf(path, sizeof path, "%s/task.md", ex->dir);
		char *text = exercise_slurp(path, NULL);
		if (!text) {
			snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
			rc = -1;
			continue;
		}
		exercise_parse_task(text, ex);
		free(text);
		if (!ex->title[0])
			snprintf(ex->title, sizeof ex->title, "%s", nm + 3);
		out->n++;
	}
	closedir(d);
	qsort(out->ex, out->n, sizeof *out->ex, exercise_cmp);
	return rc;
}

void exercise_list_free(struct exercise_list *l)
{
	for (size_t i = 0; l->ex && i < l->n; i++) {
		free(l->ex[i].task);
		for (size_t k = 0; k < l->ex[i].n_hints; k++)
			free(l->ex[i].hints[k]);
		free(l->ex[i].hints);
	}
	free(l->ex);
	memset(l, 0, sizeof *l);
}

const struct exercise *exercise_find(const struct exercise_list *l, const char *which)
{
	if (!which || !*which)
		return NULL;
	char *end;
	long n = strtol(which, &end, 10);
	for (size_t i = 0; i < l->n; i++) {
		const struct exercise *ex = &l->ex[i];
		if (end != which && *end == '\0' && n == ex->number)
			return ex;
		if (!strcmp(which, ex->name) || !strcmp(which, ex->name + 3))
			return ex;
	}
	return NULL;
}

/* mkdir -p, 0700 for what is made. */
static int exercise_mkdirs(const char *path)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

int exercise_user_path(const struct exercise *ex, char *path, size_t len, char *err, size_t errlen)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s/exercises", state_dir());
	if (exercise_mkdirs(dir) != 0) {
		snprintf(err, errlen, "cannot make %s: %s", dir, strerror(errno));
		return -1;
	}
	if (snprintf(path, len, "%s/%s.py", dir, ex->name) >= (int)len) {
		snprintf(err, errlen, "the state directory's path is too long");
		return -1;
	}
	return 0;
}

/* Write text to path atomically (temp + fsync + rename), mode 0600. */
static int exercise_write_atomic(const char *path, const char *text, size_t len, char *err,
                                 size_t errlen)
{
	char tmp[PATH_MAX + 32];
	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		return -1;
	}
	size_t off = 0;
	while (off < len) {
		ssize_t k = write(fd, text + off, len - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		off += (size_t)k;
	}
	int ok = off == len && fsync(fd) == 0;
	int e = errno;
	if (close(fd) != 0)
		ok = 0;
	if (!ok || rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot save %s: %s", path, strerror(ok ? errno : e));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int exercise_copy_start(const struct exercise *ex, const char *path, bool *created, char *err,
                        size_t errlen)
{
	*created = false;
	if (access(path, F_OK) == 0)
		return 0;
	char src[PATH_MAX + 16];
	snprintf(src, sizeof src, "%s/start.py", ex->dir);
	size_t len;
	char *text = exercise_slurp(src, &len);
	if (!text) {
		snprintf(err, errlen, "cannot read %s: %s", src, strerror(errno));
		return -1;
	}
	int rc = exercise_write_atomic(path, text, len, err, errlen);
	free(text);
	*created = rc == 0;
	return rc;
}

int exercise_parse_verdict(const char *const *lines, size_t n, struct exercise_verdict *v)
{
	memset(v, 0, sizeof *v);
	for (size_t i = n; i-- > 0;) {
		const char *l = lines[i];
		while (*l == ' ')
			l++;
		if (*l != '{')
			continue;
		json_object *o = json_tokener_parse(l), *passed, *reason, *fig;
		if (!o)
			continue;
		if (!json_object_is_type(o, json_type_object) ||
		    !json_object_object_get_ex(o, "passed", &passed) ||
		    !json_object_is_type(passed, json_type_boolean)) {
			json_object_put(o);
			continue;
		}
		v->passed = json_object_get_boolean(passed);
		snprintf(v->reason, sizeof v->reason, "%s",
		         json_object_object_get_ex(o, "reason", &reason) &&
		                 json_object_is_type(reason, json_type_string)
		             ? json_object_get_string(reason)
		             : "");
		snprintf(v->figures, sizeof v->figures, "%s",
		         json_object_object_get_ex(o, "figures", &fig)
		             ? json_object_to_json_string_ext(fig, JSON_C_TO_STRING_PLAIN)
		             : "{}");
		json_object_put(o);
		return 0;
	}
	return -1;
}

/* The progress file's path. */
static void exercise_progress_path(char *path, size_t len)
{
	snprintf(path, len, "%s/%s", state_dir(), EXERCISE_PROGRESS_FILE);
}

int exercise_progress_load(struct exercise_progress *p, char *err, size_t errlen)
{
	char path[PATH_MAX + 32];
	memset(p, 0, sizeof *p);
	err[0] = '\0';
	exercise_progress_path(path, sizeof path);
	char *text = exercise_slurp(path, NULL);
	if (!text)
		return 0;
	json_object *o = json_tokener_parse(text), *v;
	free(text);
	if (!o || !json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "%s is corrupt: starting the exercises afresh", path);
		json_object_put(o);
		return 0;
	}
	if (json_object_object_get_ex(o, "current", &v) && json_object_is_type(v, json_type_string))
		snprintf(p->current, sizeof p->current, "%s", json_object_get_string(v));
	if (json_object_object_get_ex(o, "passed", &v) && json_object_is_type(v, json_type_array))
		for (size_t i = 0; i < json_object_array_length(v) && p->n_passed < EXERCISE_MAX;
		     i++) {
			json_object *e = json_object_array_get_idx(v, i);
			if (json_object_is_type(e, json_type_string))
				snprintf(p->passed[p->n_passed++], sizeof p->passed[0], "%s",
				         json_object_get_string(e));
		}
	if (json_object_object_get_ex(o, "hints", &v) && json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, key, val)
		{
			if (p->n_hints < EXERCISE_MAX && json_object_is_type(val, json_type_int)) {
				snprintf(p->hint_name[p->n_hints], sizeof p->hint_name[0], "%s",
				         key);
				p->hints_shown[p->n_hints++] = json_object_get_int(val);
			}
		}
	}
	json_object_put(o);
	return 0;
}

int exercise_progress_save(const struct exercise_progress *p, char *err, size_t errlen)
{
	char path[PATH_MAX + 32];
	if (exercise_mkdirs(state_dir()) != 0) {
		snprintf(err, errlen, "cannot make %s: %s", state_dir(), strerror(errno));
		return -1;
	}
	exercise_progress_path(path, sizeof path);
	json_object *o = json_object_new_object(), *passed = json_object_new_array(),
	            *hints = json_object_new_object();
	json_object_object_add(o, "version", json_object_new_int(1));
	json_object_object_add(o, "current", json_object_new_string(p->current));
	for (size_t i = 0; i < p->n_passed; i++)
		json_object_array_add(passed, json_object_new_string(p->passed[i]));
	for (size_t i = 0; i < p->n_hints; i++)
		json_object_object_add(hints, p->hint_name[i],
		                       json_object_new_int(p->hints_shown[i]));
	json_object_object_add(o, "passed", passed);
	json_object_object_add(o, "hints", hints);
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
	char *buf = NULL;
	if (asprintf(&buf, "%s\n", text) < 0)
		buf = NULL;
	int rc = buf ? exercise_write_atomic(path, buf, strlen(buf), err, errlen) : -1;
	free(buf);
	json_object_put(o);
	return rc;
}

bool exercise_progress_passed(const struct exercise_progress *p, const char *name)
{
	for (size_t i = 0; i < p->n_passed; i++)
		if (!strcmp(p->passed[i], name))
			return true;
	return false;
}

void exercise_progress_pass(struct exercise_progress *p, const char *name)
{
	if (!exercise_progress_passed(p, name) && p->n_passed < EXERCISE_MAX)
		snprintf(p->passed[p->n_passed++], sizeof p->passed[0], "%s", name);
}

int exercise_progress_hints(const struct exercise_progress *p, const char *name)
{
	for (size_t i = 0; i < p->n_hints; i++)
		if (!strcmp(p->hint_name[i], name))
			return p->hints_shown[i];
	return 0;
}

int exercise_progress_hint_next(struct exercise_progress *p, const char *name, int max)
{
	size_t i = 0;
	while (i < p->n_hints && strcmp(p->hint_name[i], name))
		i++;
	if (i == p->n_hints) {
		if (i == EXERCISE_MAX)
			return max;
		snprintf(p->hint_name[i], sizeof p->hint_name[0], "%s", name);
		p->hints_shown[i] = 0;
		p->n_hints++;
	}
	if (p->hints_shown[i] < max)
		p->hints_shown[i]++;
	return p->hints_shown[i];
}
