/*
 * progress.c — where the learner is (lesson, page), which lessons are done
 * and what they answered, kept as JSON (json-c) in
 * $XDG_STATE_HOME/mptutor/progress.json. Saved atomically (a temp file in
 * the same directory, fsync, rename) with mode 0600. A corrupt file is set
 * aside as progress.corrupt and the learner starts afresh; a missing or
 * read-only directory only means progress is not kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lesson/lesson.h"

#define PROGRESS_FILE "progress.json"       /* in state_dir() */
#define PROGRESS_CORRUPT "progress.corrupt" /* where a bad file is set aside */
#define PROGRESS_VERSION 1                  /* the file's format */
#define PROGRESS_MAX_BYTES (1024 * 1024)    /* a larger file is corrupt */

/* strdup that never returns NULL. */
static char *progress_xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		abort();
	return d;
}

/* Append a string to a string array. */
static void progress_push(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof **v);
	if (!nv)
		abort();
	*v = nv;
	(*v)[(*n)++] = progress_xstrdup(s);
}

/* mkdir -p with mode 0700 for what is created. */
static int progress_mkdirs(const char *path)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0700) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

const char *state_dir(void)
{
	static char dir[PATH_MAX];
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	if (xdg && xdg[0] == '/') { /* the XDG spec: a relative path is ignored */
		snprintf(dir, sizeof dir, "%s/mptutor", xdg);
	} else {
		if (!home || !*home) {
			struct passwd *pw = getpwuid(getuid());
			home = pw && pw->pw_dir ? pw->pw_dir : "/tmp";
		}
		snprintf(dir, sizeof dir, "%s/.local/state/mptutor", home);
	}
	progress_mkdirs(dir); /* failure shows when saving */
	return dir;
}

const char *progress_path(void)
{
	static char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/%s", state_dir(), PROGRESS_FILE);
	return path;
}

void progress_free(struct progress *p)
{
	if (!p)
		return;
	free(p->lesson);
	for (size_t i = 0; i < p->n_done; i++)
		free(p->done[i]);
	free(p->done);
	for (size_t i = 0; i < p->n_answers; i++)
		free(p->answers[i]);
	free(p->answers);
	memset(p, 0, sizeof *p);
}

/* Fill p from a parsed JSON object; -1 if it is not the progress format. */
static int progress_from_json(struct progress *p, json_object *root)
{
	json_object *v;

	if (!json_object_is_type(root, json_type_object))
		return -1;
	if (json_object_object_get_ex(root, "lesson", &v)) {
		if (json_object_is_type(v, json_type_string))
			p->lesson = progress_xstrdup(json_object_get_string(v));
		else if (!json_object_is_type(v, json_type_null))
			return -1;
	}
	if (json_object_object_get_ex(root, "page", &v)) {
		if (!json_object_is_type(v, json_type_int))
			return -1;
		int64_t pg = json_object_get_int64(v);
		p->page = pg < 0 || pg > INT_MAX ? 0 : (int)pg;
	}
	const char *arrays[] = {"done", "answers"};
	for (int a = 0; a < 2; a++) {
		if (!json_object_object_get_ex(root, arrays[a], &v))
			continue;
		if (!json_object_is_type(v, json_type_array))
			return -1;
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			json_object *e = json_object_array_get_idx(v, i);
			if (!json_object_is_type(e, json_type_string))
				return -1;
			if (a == 0)
				progress_push(&p->done, &p->n_done, json_object_get_string(e));
			else
				progress_push(&p->answers, &p->n_answers,
				              json_object_get_string(e));
		}
	}
	return 0;
}

int progress_load(struct progress *p, char *err, size_t errlen)
{
	const char *path = progress_path();
	char aside[PATH_MAX + 32];
	ssize_t n = 0, k;

	memset(p, 0, sizeof *p);
	if (err && errlen)
		err[0] = '\0';
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT && errno != ENOTDIR &&
		    err) /* a missing dir: saving will say so */
			snprintf(err, errlen, "progress: cannot read %s: %s (starting afresh)",
			         path, strerror(errno));
		return 0;
	}
	char *buf = malloc(PROGRESS_MAX_BYTES + 1);
	if (!buf)
		abort();
	while (n < PROGRESS_MAX_BYTES + 1 &&
	       (k = read(fd, buf + n, (size_t)(PROGRESS_MAX_BYTES + 1 - n))) > 0)
		n += k;
	close(fd);
	buf[n > PROGRESS_MAX_BYTES ? PROGRESS_MAX_BYTES : n] = '\0';

	enum json_tokener_error jerr = json_tokener_success;
	json_object *root = n > PROGRESS_MAX_BYTES ? NULL : json_tokener_parse_verbose(buf, &jerr);
	free(buf);
	if (root && progress_from_json(p, root) == 0) {
		json_object_put(root);
		return 0;
	}
	json_object_put(root);
	progress_free(p);
	snprintf(aside, sizeof aside, "%s/%s", state_dir(), PROGRESS_CORRUPT);
	int moved = rename(path, aside) == 0;
	if (err)
		snprintf(err, errlen, "progress: %s is corrupt (%s); %s, starting afresh", path,
		         n > PROGRESS_MAX_BYTES ? "too large"
		         : root                 ? "not the progress format"
		                                : json_tokener_error_desc(jerr),
		         moved ? "set aside as " PROGRESS_CORRUPT : "could not set it aside");
	return 0;
}

int progress_save(const struct progress *p, char *err, size_t errlen)
{
	const char *dir = state_dir();
	char path[PATH_MAX + 32], tmp[PATH_MAX + 64];
	json_object *root = json_object_new_object(), *done = json_object_new_array(),
	            *answers = json_object_new_array();
	int rc = -1;

	json_object_object_add(root, "version", json_object_new_int(PROGRESS_VERSION));
	json_object_object_add(root, "lesson",
	                       p->lesson ? json_object_new_string(p->lesson) : NULL);
	json_object_object_add(root, "page", json_object_new_int(p->page));
	for (size_t i = 0; i < p->n_done; i++)
		json_object_array_add(done, json_object_new_string(p->done[i]));
	for (size_t i = 0; i < p->n_answers; i++)
		json_object_array_add(answers, json_object_new_string(p->answers[i]));
	json_object_object_add(root, "done", done);
	json_object_object_add(root, "answers", answers);
	const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY);

	snprintf(path, sizeof path, "%s/%s", dir, PROGRESS_FILE);
	snprintf(tmp, sizeof tmp, "%s/.%s.%ld.tmp", dir, PROGRESS_FILE, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "progress: cannot write in %s: %s (progress is not kept)",
		         dir, strerror(errno));
		goto out;
	}
	size_t len = strlen(text), off = 0;
	while (off < len) {
		ssize_t k = write(fd, text + off, len - off);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		off += (size_t)k;
	}
	int ok = off == len && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
	int saved_errno = errno;
	if (close(fd) < 0)
		ok = 0;
	if (!ok || rename(tmp, path) < 0) {
		snprintf(err, errlen, "progress: cannot save %s: %s", path,
		         strerror(ok ? errno : saved_errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	json_object_put(root);
	return rc;
}

void progress_mark_done(struct progress *p, const char *lesson)
{
	if (!lesson || progress_is_done(p, lesson))
		return;
	progress_push(&p->done, &p->n_done, lesson);
}

bool progress_is_done(const struct progress *p, const char *lesson)
{
	for (size_t i = 0; lesson && i < p->n_done; i++)
		if (!strcmp(p->done[i], lesson))
			return true;
	return false;
}

/* Record "lesson:block=answer:verdict", replacing an earlier entry of the block. */
static void progress_put_answer(struct progress *p, const char *lesson, int block,
                                const char *answer, const char *verdict)
{
	char key[256], entry[512];
	int kl = snprintf(key, sizeof key, "%s:%d=", lesson ? lesson : "", block);

	snprintf(entry, sizeof entry, "%s%s:%s", key, answer ? answer : "", verdict);
	for (size_t i = 0; i < p->n_answers; i++) {
		if (!strncmp(p->answers[i], key, (size_t)kl)) {
			free(p->answers[i]);
			p->answers[i] = progress_xstrdup(entry);
			return;
		}
	}
	progress_push(&p->answers, &p->n_answers, entry);
}

void progress_set_answer(struct progress *p, const char *lesson, int block, const char *answer,
                         bool right)
{
	progress_put_answer(p, lesson, block, answer, right ? "right" : "wrong");
}

void progress_set_skipped(struct progress *p, const char *lesson, int block)
{
	if (progress_answer_state(p, lesson, block) <= 0)
		progress_put_answer(p, lesson, block, "", "skipped");
}

int progress_answer_state(const struct progress *p, const char *lesson, int block)
{
	char key[256];
	int kl = snprintf(key, sizeof key, "%s:%d=", lesson ? lesson : "", block);
	for (size_t i = 0; i < p->n_answers; i++) {
		if (strncmp(p->answers[i], key, (size_t)kl))
			continue;
		const char *v = strrchr(p->answers[i], ':');
		if (v && (!strcmp(v, ":right") || !strcmp(v, ":wrong")))
			return 1;
		return v && !strcmp(v, ":skipped") ? 0 : -1;
	}
	return -1;
}

void progress_checkpoints(const struct progress *p, const struct lesson *l,
                          struct lesson_checkpoints *out)
{
	memset(out, 0, sizeof *out);
	for (size_t pg = 0; l && pg < l->n_pages; pg++)
		for (size_t b = 0; b < l->pages[pg].n_blocks; b++) {
			if (l->pages[pg].blocks[b].kind != LBLOCK_QUIZ)
				continue;
			out->total++;
			int st = progress_answer_state(p, l->name,
			                               lesson_block_number(l, (int)pg, (int)b));
			out->answered += st == 1;
			out->skipped += st == 0;
		}
}

int progress_start_place(const struct course *c, const struct progress *prog, const char *which,
                         int *lesson, int *page, char *err, size_t errlen)
{
	*lesson = c->n_lessons ? 0 : -1;
	*page = 0;
	if (which) {
		int k = course_find(c, which);
		if (k < 0) {
			snprintf(err, errlen,
			         "--lesson %s: no such lesson (allowed: 1-%zu, or a name as "
			         "'mptutor lessons' lists)",
			         which, c->n_lessons);
			return -1;
		}
		*lesson = k;
		return 0;
	}
	for (size_t i = 0; prog && prog->lesson && i < c->n_lessons; i++) {
		if (strcmp(c->lessons[i].name, prog->lesson) == 0) {
			*lesson = (int)i;
			if (prog->page >= 0 && (size_t)prog->page < c->lessons[i].n_pages)
				*page = prog->page;
		}
	}
	return 0;
}

void progress_set_place(struct progress *p, const char *lesson, int page)
{
	if (lesson != p->lesson) {
		free(p->lesson);
		p->lesson = lesson ? progress_xstrdup(lesson) : NULL;
	}
	p->page = page;
}
