/*
 * pythons.c — which CPython interpreters there are (pythons.h): a name to a
 * path on PATH, where the Python side is installed, the probe of one
 * interpreter (`mptutor_py.py pythons`, one JSON line) and the scan of PATH.
 */
#include "engine/pythons.h"
#include "engine/clock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PYTHONS_PROBE_MAX 8192 /* a probe's answer longer than this is refused */

/* Is path a regular file we may execute? */
static bool pythons_is_exec(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int pythons_resolve(const char *name, char *path, size_t len, char *err, size_t errlen)
{
	const char *env = getenv(PYTHONS_ENV);
	const char *p;

	if (!name || !*name)
		name = env && *env ? env : PYTHONS_DEFAULT;
	if (strchr(name, '/')) {
		if (!pythons_is_exec(name)) {
			snprintf(err, errlen, "python interpreter %s: %s", name,
			         access(name, F_OK) == 0 ? "not an executable file"
			                                 : strerror(ENOENT));
			return -1;
		}
		snprintf(path, len, "%s", name);
		return 0;
	}
	p = getenv("PATH");
	for (p = p && *p ? p : "/usr/local/bin:/usr/bin:/bin"; *p;) {
		size_t dl = strcspn(p, ":");
		char cand[PATH_MAX];

		if (dl > 0 &&
		    (size_t)snprintf(cand, sizeof cand, "%.*s/%s", (int)dl, p, name) <
		        sizeof cand &&
		    pythons_is_exec(cand)) {
			snprintf(path, len, "%s", cand);
			return 0;
		}
		p += dl;
		if (*p == ':')
			p++;
	}
	snprintf(err, errlen,
	         "python interpreter %s not found on PATH (name another with --python "
	         "or %s)",
	         name, PYTHONS_ENV);
	return -1;
}

/* Does dir hold the Python side? */
static bool pythons_dir_ok(const char *dir)
{
	char p[PATH_MAX];

	return (size_t)snprintf(p, sizeof p, "%s/%s", dir, PYTHONS_SCRIPT) < sizeof p &&
	       access(p, R_OK) == 0;
}

const char *pythons_dir(void)
{
	static const char *const fallback[] = {"src/python", MPTUTOR_DATADIR "/python"};
	const char *env = getenv(PYTHONS_DIR_ENV);

	if (env && *env)
		return env;
	for (size_t i = 0; i < sizeof fallback / sizeof *fallback; i++)
		if (pythons_dir_ok(fallback[i]))
			return fallback[i];
	/* a built, not installed, mptutor run from another directory: its tree's */
	static char beside[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", beside, sizeof beside - 1);
	char *slash = n > 0 ? memrchr(beside, '/', (size_t)n) : NULL;
	if (slash && (size_t)(slash - beside) + sizeof "/src/python" <= sizeof beside) {
		memcpy(slash, "/src/python", sizeof "/src/python");
		if (pythons_dir_ok(beside))
			return beside;
	}
	return NULL;
}

int pythons_available(char *why, size_t whylen)
{
	char path[PATH_MAX];

	if (pythons_resolve(NULL, path, sizeof path, why, whylen) < 0)
		return -1;
	if (!pythons_dir()) {
		snprintf(why, whylen,
		         "the Python side (%s) is not installed in %s/python, nor in "
		         "./src/python (set %s)",
		         PYTHONS_SCRIPT, MPTUTOR_DATADIR, PYTHONS_DIR_ENV);
		return -1;
	}
	return 0;
}

/* Copy a JSON string member into buf; -1 if it is missing or not a string. */
static int pythons_json_str(json_object *o, const char *key, char *buf, size_t len)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return -1;
	snprintf(buf, len, "%s", json_object_get_string(v));
	return 0;
}

/* A JSON boolean member; -1 if it is missing or not a boolean. */
static int pythons_json_bool(json_object *o, const char *key, bool *out)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_boolean))
		return -1;
	*out = json_object_get_boolean(v);
	return 0;
}

/* The start methods array as "fork,spawn"; -1 if it is not an array of strings. */
static int pythons_json_methods(json_object *o, char *buf, size_t len)
{
	json_object *a;
	size_t at = 0;

	buf[0] = '\0';
	if (!json_object_object_get_ex(o, "start_methods", &a) ||
	    !json_object_is_type(a, json_type_array))
		return -1;
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *m = json_object_array_get_idx(a, i);
		int n;

		if (!json_object_is_type(m, json_type_string))
			return -1;
		n = snprintf(buf + at, len - at, "%s%s", i ? "," : "", json_object_get_string(m));
		if (n < 0 || (size_t)n >= len - at)
			return -1;
		at += (size_t)n;
	}
	return 0;
}

int pythons_parse_probe(const char *text, size_t len, struct python_info *out, char *err,
                        size_t errlen)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *o = NULL;
	const char *bad = NULL;
	char proto[8];

	if (!tok) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	if (len == 0 || len > PYTHONS_PROBE_MAX)
		bad = len ? "too long" : "empty";
	else
		o = json_tokener_parse_ex(tok, text, (int)len);
	if (!bad && (!o || json_tokener_get_error(tok) != json_tokener_success ||
	             json_tokener_get_parse_end(tok) != len))
		bad = "not one JSON object";
	else if (!bad && !json_object_is_type(o, json_type_object))
		bad = "not a JSON object";
	if (!bad) {
		json_object *p;

		if (!json_object_object_get_ex(o, "protocol", &p) ||
		    !json_object_is_type(p, json_type_int) || json_object_get_int(p) != 1) {
			snprintf(proto, sizeof proto, "%s", "?");
			bad = "protocol is not 1";
		} else if (pythons_json_str(o, "version", out->version, sizeof out->version) < 0 ||
		           sscanf(out->version, "%d.%d", &out->major, &out->minor) != 2) {
			bad = "no version";
		} else if (pythons_json_str(o, "implementation", out->implementation,
		                            sizeof out->implementation) < 0 ||
		           pythons_json_str(o, "executable", out->executable,
		                            sizeof out->executable) < 0) {
			bad = "no implementation or executable";
		} else if (pythons_json_bool(o, "free_threaded_build", &out->free_threaded) < 0 ||
		           pythons_json_bool(o, "gil_enabled", &out->gil_enabled) < 0) {
			bad = "no free_threaded_build or gil_enabled";
		} else if (pythons_json_methods(o, out->start_methods, sizeof out->start_methods) <
		               0 ||
		           pythons_json_str(o, "default_start_method", out->default_method,
		                            sizeof out->default_method) < 0) {
			bad = "no start_methods or default_start_method";
		} else {
			/* older Python sides did not say: missing means no */
			out->interpreters = out->interpreter_pool = false;
			pythons_json_bool(o, "interpreters", &out->interpreters);
			pythons_json_bool(o, "interpreter_pool", &out->interpreter_pool);
		}
	}
	if (o)
		json_object_put(o);
	json_tokener_free(tok);
	if (bad) {
		snprintf(err, errlen, "the interpreter's description is %s: '%.60s'", bad, text);
		return -1;
	}
	return 0;
}

/* The first line of what a failed probe wrote, for its message. */
static const char *pythons_first_line(char *buf)
{
	char *nl = strchr(buf, '\n');

	if (nl)
		*nl = '\0';
	return buf;
}

/* Run `path -u a1 a2`, its stdout and stderr into buf[cap] (NUL-ended, *got
 * bytes), killed after PYTHONS_PROBE_TIMEOUT_MS; its wait status in *st.
 * Returns 0, 1 if it timed out, -1 with a message if it could not start. */
static int pythons_run(const char *path, const char *a1, const char *a2, char *buf, size_t cap,
                       size_t *got, int *st, char *err, size_t errlen)
{
	int p[2];
	int64_t deadline = engine_now_ns() + (int64_t)PYTHONS_PROBE_TIMEOUT_MS * 1000000;
	pid_t parent = getpid(), pid;
	bool timed_out = false;

	*got = 0;
	*st = 0;
	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		dup2(nul, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		execl(path, path, "-u", a1, a2, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	for (;;) {
		struct pollfd pfd = {.fd = p[0], .events = POLLIN};
		int64_t left = (deadline - engine_now_ns()) / 1000000;
		ssize_t r;

		if (left <= 0) {
			timed_out = true;
			break;
		}
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			break;
		r = read(p[0], buf + *got, cap - 1 - *got);
		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
			break;
		if (r > 0)
			*got += (size_t)r;
		if (*got == cap - 1)
			break;
	}
	close(p[0]);
	buf[*got] = '\0';
	if (timed_out)
		kill(pid, SIGKILL);
	while (waitpid(pid, st, 0) < 0 && errno == EINTR)
		;
	return timed_out ? 1 : 0;
}

int pythons_probe(const char *path, const char *dir, struct python_info *out, char *err,
                  size_t errlen)
{
	char script[PATH_MAX], buf[PYTHONS_PROBE_MAX + 1];
	size_t got = 0;
	int st = 0, rc;

	if (!dir)
		dir = pythons_dir();
	if (!dir) {
		snprintf(err, errlen, "the Python side (%s) is not found (set %s)", PYTHONS_SCRIPT,
		         PYTHONS_DIR_ENV);
		return -1;
	}
	snprintf(script, sizeof script, "%s/%s", dir, PYTHONS_SCRIPT);
	rc = pythons_run(path, script, "pythons", buf, sizeof buf, &got, &st, err, errlen);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		snprintf(err, errlen, "python interpreter %s did not answer within %d s", path,
		         PYTHONS_PROBE_TIMEOUT_MS / 1000);
		return -1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		char how[32];

		if (WIFSIGNALED(st))
			snprintf(how, sizeof how, "was killed by signal %d", WTERMSIG(st));
		else
			snprintf(how, sizeof how, "exited with status %d", WEXITSTATUS(st));
		snprintf(err, errlen, "python interpreter %s %s%s%.120s", path, how,
		         got ? ": " : "", pythons_first_line(buf));
		return -1;
	}
	if (pythons_parse_probe(buf, got, out, err, errlen) < 0) {
		char e[256];

		snprintf(e, sizeof e, "%s", err);
		snprintf(err, errlen, "python interpreter %s: %s", path, e);
		return -1;
	}
	snprintf(out->path, sizeof out->path, "%s", path);
	if (!realpath(path, out->real))
		snprintf(out->real, sizeof out->real, "%s", path);
	return 0;
}

int pythons_version(const char *path, int *major, int *minor)
{
	char buf[64], err[128];
	size_t got;
	int st;

	if (pythons_run(path, "-c", "import sys; sys.stdout.write('%d.%d' % sys.version_info[:2])",
	                buf, sizeof buf, &got, &st, err, sizeof err) != 0 ||
	    !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	return sscanf(buf, "%d.%d", major, minor) == 2 ? 0 : -1;
}

/* Is name python3, python3.N or python3.Nt? */
static bool pythons_name_ok(const char *name)
{
	const char *p = name + 7;

	if (strncmp(name, "python3", 7) != 0)
		return false;
	if (*p == '\0')
		return true;
	if (*p++ != '.' || !(*p >= '0' && *p <= '9'))
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == 't')
		p++;
	return *p == '\0';
}

/* qsort order of names within one PATH directory: python3 first, then by minor version. */
static int pythons_cmp_name(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	long mx = x[7] ? strtol(x + 8, NULL, 10) : -1, my = y[7] ? strtol(y + 8, NULL, 10) : -1;

	if (mx != my)
		return mx < my ? -1 : 1;
	return strcmp(x, y);
}

/* Has an interpreter with this realpath or sys.executable been listed? */
static bool pythons_seen(const struct python_info *out, size_t n, const char *real, const char *exe)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(out[i].real, real) == 0 || (exe && strcmp(out[i].executable, exe) == 0))
			return true;
	return false;
}

/* Probe every fitting name of one PATH directory. */
static void pythons_scan_dir(const char *dirpath, const char *dir, struct python_info *out,
                             size_t max, size_t *n)
{
	DIR *d = opendir(dirpath);
	struct dirent *e;
	char *names[64];
	size_t nn = 0;

	if (!d)
		return;
	while ((e = readdir(d)) && nn < sizeof names / sizeof names[0])
		if (pythons_name_ok(e->d_name) && (names[nn] = strdup(e->d_name)))
			nn++;
	closedir(d);
	qsort(names, nn, sizeof names[0], pythons_cmp_name);
	for (size_t i = 0; i < nn; i++) {
		char path[PATH_MAX], real[PATH_MAX], e2[256];

		if ((size_t)snprintf(path, sizeof path, "%s/%s", dirpath, names[i]) < sizeof path &&
		    *n < max && pythons_is_exec(path) && realpath(path, real) &&
		    !pythons_seen(out, *n, real, NULL) &&
		    pythons_probe(path, dir, &out[*n], e2, sizeof e2) == 0) {
			char exe[PATH_MAX];

			if (!realpath(out[*n].executable, exe))
				snprintf(exe, sizeof exe, "%s", out[*n].executable);
			if (!pythons_seen(out, *n, real, exe)) {
				snprintf(out[*n].executable, sizeof out[*n].executable, "%s", exe);
				(*n)++;
			}
		}
		free(names[i]);
	}
}

int pythons_find(const char *dir, struct python_info *out, size_t max, size_t *n, char *err,
                 size_t errlen)
{
	const char *p = getenv("PATH");

	*n = 0;
	if (!dir)
		dir = pythons_dir();
	if (!dir) {
		snprintf(err, errlen, "the Python side (%s) is not found (set %s)", PYTHONS_SCRIPT,
		         PYTHONS_DIR_ENV);
		return -1;
	}
	for (p = p && *p ? p : "/usr/local/bin:/usr/bin:/bin"; *p;) {
		size_t dl = strcspn(p, ":");
		char d[PATH_MAX];

		if (dl > 0 && dl < sizeof d) {
			memcpy(d, p, dl);
			d[dl] = '\0';
			pythons_scan_dir(d, dir, out, max, n);
		}
		p += dl;
		if (*p == ':')
			p++;
	}
	return 0;
}
