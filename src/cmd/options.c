/*
 * options.c — the options of run, compare and process, parsed into a
 * `struct run_request`. A small getopt-like parser of our own: getopt keeps
 * global state, and the same parser serves the command line, the plain REPL
 * and the tutor's prompt many times in one process. Accepted forms: -w 4,
 * -w4, --workers 4, --workers=4; `--` ends the options; a word that looks
 * like a negative number (-3, -3..3) is ITEMS, not an option.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "engine/task.h"
#include "export/format.h"
#include "export/recording.h"

/* Which option a table row stands for. */
enum opt_id {
	OPT_BACKEND,
	OPT_WORKERS,
	OPT_CHUNKSIZE,
	OPT_UNORDERED,
	OPT_SWITCH,
	OPT_FORMAT,
	OPT_JSON,
	OPT_OUTPUT,
	OPT_REPEAT,
	OPT_RECORD,
	OPT_JOIN_AFTER,
	OPT_PYTHON,
	OPT_START_METHOD
};

/* Masks of the run kinds an option belongs to. */
#define K_RUN (1u << RUNKIND_RUN)
#define K_COMPARE (1u << RUNKIND_COMPARE)
#define K_PROCESS (1u << RUNKIND_PROCESS)
#define K_SWEEP (1u << RUNKIND_SWEEP)
#define K_KINDS 4 /* run, compare, process, sweep */

/* One option, as getopt_long's struct option plus where it applies. */
struct opt_def {
	enum opt_id id;                     /* what it sets */
	char short_name;                    /* 'w', or 0 */
	const char *long_name;              /* "workers" */
	const char *arg;                    /* "N", or NULL for a flag */
	unsigned kinds;                     /* K_* mask */
	const char *help;                   /* one line for usage */
	const char *const *(*values)(void); /* the words its value may be (completion,
	                                     * usage), NULL-terminated; NULL: any */
};

/* The words -b takes: every backend row's name, then the family words. */
static const char *const *opt_backend_words(void)
{
	static const char *words[BACKEND_COUNT + 4];
	if (words[0] == NULL) {
		size_t n = 0;
		for (size_t i = 0; i < BACKEND_COUNT; i++)
			words[n++] = backend_table[i].name;
		words[n++] = "c";
		words[n++] = "py";
		words[n++] = "all";
		words[n] = NULL;
	}
	return words;
}

/* The start methods multiprocessing knows (--start-method). */
static const char *const opt_start_methods[] = {"fork", "spawn", "forkserver", NULL};

/* The words --start-method takes. */
static const char *const *opt_start_method_words(void)
{
	return opt_start_methods;
}

static const struct opt_def opt_table[] = {
    {.id = OPT_BACKEND,
     .short_name = 'b',
     .long_name = "backend",
     .arg = "NAME",
     .kinds = K_RUN | K_COMPARE | K_PROCESS | K_SWEEP,
     .help = "run: one backend (default process); process: process or py-process; "
             "compare, sweep: a comma-separated list or "
             "a family word (default serial,process,thread,gil; sweep: process):",
     .values = opt_backend_words},
    {.id = OPT_WORKERS,
     .short_name = 'w',
     .long_name = "workers",
     .arg = "N",
     .kinds = K_RUN | K_COMPARE | K_SWEEP,
     .help = "pool size, 1..1024 (default: the CPUs usable); sweep: a list or range of "
             "them, like 1..4 or 1,2,4,8 (default 1 .. twice the CPUs usable)"},
    {.id = OPT_CHUNKSIZE,
     .short_name = 'c',
     .long_name = "chunksize",
     .arg = "N",
     .kinds = K_RUN | K_COMPARE | K_SWEEP,
     .help = "items per task, >= 1 (default: Pool.map's rule)"},
    {.id = OPT_UNORDERED,
     .long_name = "unordered",
     .kinds = K_RUN | K_COMPARE | K_SWEEP,
     .help = "results in completion order (imap_unordered)"},
    {.id = OPT_SWITCH,
     .long_name = "switch-interval",
     .arg = "MS",
     .kinds = K_RUN | K_COMPARE | K_SWEEP,
     .help = "gil: the switch interval in ms, > 0 and <= 10000 (default 5)"},
    {.id = OPT_FORMAT,
     .long_name = "format",
     .arg = "NAME",
     .kinds = K_RUN | K_COMPARE | K_PROCESS | K_SWEEP,
     .help = "the report's format (default text):",
     .values = export_format_words},
    {.id = OPT_JSON,
     .long_name = "json",
     .kinds = K_RUN | K_COMPARE | K_PROCESS | K_SWEEP,
     .help = "a JSON report instead of text (--format json)"},
    {.id = OPT_OUTPUT,
     .short_name = 'o',
     .long_name = "output",
     .arg = "FILE",
     .kinds = K_RUN | K_COMPARE | K_PROCESS | K_SWEEP,
     .help = "write the report to FILE, whole or not at all (default: stdout, or -)"},
    {.id = OPT_RECORD,
     .long_name = "record",
     .arg = "FILE",
     .kinds = K_RUN | K_COMPARE | K_PROCESS | K_SWEEP,
     .help = "also keep the run in FILE, to replay later: mptutor replay FILE"},
    {.id = OPT_REPEAT,
     .long_name = "repeat",
     .arg = "N",
     .kinds = K_RUN | K_PROCESS,
     .help = "run N times (1..1000) and count the distinct output orders"},
    {.id = OPT_JOIN_AFTER,
     .long_name = "join-after",
     .arg = "MS",
     .kinds = K_PROCESS,
     .help = "join() each MS ms after its start, 0..60000 (default: 1 at exit, more never)"},
    {.id = OPT_PYTHON,
     .long_name = "python",
     .arg = "PATH",
     .kinds = K_RUN | K_COMPARE | K_PROCESS | K_SWEEP,
     .help = "py-* backends: the interpreter, a path or a name on PATH (default "
             "$MPTUTOR_PYTHON, else python3; see: pythons)"},
    {.id = OPT_START_METHOD,
     .long_name = "start-method",
     .arg = "NAME",
     .kinds = K_RUN | K_COMPARE | K_PROCESS | K_SWEEP,
     .help = "py-process only: how Python starts its worker processes (default: the "
             "interpreter's own):",
     .values = opt_start_method_words},
};
#define OPT_COUNT (sizeof opt_table / sizeof opt_table[0])

static const struct opt_def *opt_find_long(const char *name, size_t len);
static const struct opt_def *opt_find_short(char c);

/* The command name of a run kind. */
static const char *opt_kind_name(enum run_kind kind)
{
	switch (kind) {
	case RUNKIND_RUN:
		return "run";
	case RUNKIND_COMPARE:
		return "compare";
	case RUNKIND_PROCESS:
		return "process";
	case RUNKIND_SWEEP:
		return "sweep";
	}
	return "?";
}

/* "-w/--workers" or "--json" for messages. */
static void opt_label(const struct opt_def *o, char *buf, size_t len)
{
	if (o->short_name != 0)
		snprintf(buf, len, "-%c/--%s", o->short_name, o->long_name);
	else
		snprintf(buf, len, "--%s", o->long_name);
}

/* The options of a kind, as "-b/--backend, -w/--workers, ..." into buf. */
static void opt_list(enum run_kind kind, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < OPT_COUNT; i++) {
		if (!(opt_table[i].kinds & (1u << kind)))
			continue;
		char l[48];
		opt_label(&opt_table[i], l, sizeof l);
		int w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", l);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
}

/* Write the usage of a kind's options, one a line, to out. */
void cmd_options_usage(FILE *out, enum run_kind kind)
{
	for (size_t i = 0; i < OPT_COUNT; i++) {
		const struct opt_def *o = &opt_table[i];
		if (!(o->kinds & (1u << kind)))
			continue;
		char l[64];
		opt_label(o, l, sizeof l);
		if (o->arg != NULL) {
			size_t n = strlen(l);
			snprintf(l + n, sizeof l - n, " %s", o->arg);
		}
		fprintf(out, "  %-26s %s", l, o->help);
		const char *const *v = o->values != NULL ? o->values() : NULL;
		for (size_t k = 0; v != NULL && v[k] != NULL; k++)
			fprintf(out, "%s%s", k ? ", " : " ", v[k]);
		fputc('\n', out);
	}
}

/* Option words of one kind ("--workers", "-w", ...), NULL-terminated, static. */
const char *const *cmd_option_words(enum run_kind kind)
{
	static const char *words[K_KINDS][2 * OPT_COUNT + 1];
	static char texts[OPT_COUNT][2][32];
	unsigned k = (unsigned)kind < K_KINDS ? (unsigned)kind : 0;
	if (words[k][0] == NULL) {
		size_t n = 0;
		for (size_t i = 0; i < OPT_COUNT; i++) {
			snprintf(texts[i][0], sizeof texts[i][0], "--%s", opt_table[i].long_name);
			snprintf(texts[i][1], sizeof texts[i][1], "-%c", opt_table[i].short_name);
		}
		for (size_t i = 0; i < OPT_COUNT; i++)
			if (opt_table[i].kinds & (1u << k))
				words[k][n++] = texts[i][0];
		for (size_t i = 0; i < OPT_COUNT; i++)
			if ((opt_table[i].kinds & (1u << k)) && opt_table[i].short_name != 0)
				words[k][n++] = texts[i][1];
		words[k][n] = NULL;
	}
	return words[k];
}

/* The option a whole word names ("-w", "--workers"), or NULL. */
static const struct opt_def *opt_find_word(const char *word)
{
	if (word[0] == '-' && word[1] == '-')
		return opt_find_long(word + 2, strlen(word + 2));
	if (word[0] == '-' && word[1] != '\0' && word[2] == '\0')
		return opt_find_short(word[1]);
	return NULL;
}

/* Does word name an option that takes a value ("-w", "--workers")? */
bool cmd_option_takes_value(const char *word)
{
	const struct opt_def *o = opt_find_word(word);
	return o != NULL && o->arg != NULL;
}

/* The words that may follow an option word ("--format": the format names),
 * NULL-terminated, static; NULL if it takes no value or any value. */
const char *const *cmd_option_values(const char *word)
{
	const struct opt_def *o = opt_find_word(word);
	return o != NULL && o->values != NULL ? o->values() : NULL;
}

/* Edit distance (with swaps) of two short words (for "did you mean"); large if too long. */
static size_t opt_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 31 || lb > 31)
		return 99;
	size_t d[32][32];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = d[i - 1][j - 1] + (tolower((unsigned char)a[i - 1]) !=
			                                tolower((unsigned char)b[j - 1]));
			size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
			d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			/* a swap of two neighbours ("rnu") counts as one typo */
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	return d[la][lb];
}

/* The candidate closest to word if close enough to be a typo, else NULL. */
const char *cmd_suggest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t best_d = 3;
	for (size_t i = 0; i < n; i++) {
		if (cands[i] == NULL)
			continue;
		size_t d = opt_distance(word, cands[i]);
		size_t limit = strlen(cands[i]) <= 4 ? 1 : 2;
		if (d <= limit && d < best_d) {
			best = cands[i];
			best_d = d;
		}
	}
	return best;
}

/* The task names as "square, hello, ..." into buf. */
void cmd_task_list(char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < task_count; i++) {
		int w =
		    snprintf(buf + used, len - used, "%s%s", i ? ", " : "", task_table[i]->name);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
}

/* Find a task or explain: "unknown task 'sqare' (tasks: ...); did you mean square?" */
static const struct task *opt_task(const char *name, char *err, size_t errlen)
{
	const struct task *t = task_find(name);
	if (t != NULL)
		return t;
	char list[256];
	cmd_task_list(list, sizeof list);
	const char *names[64];
	size_t n = task_count < 64 ? task_count : 64;
	for (size_t i = 0; i < n; i++)
		names[i] = task_table[i]->name;
	const char *hint = cmd_suggest(name, names, n);
	if (hint != NULL)
		snprintf(err, errlen, "unknown task '%s' (tasks: %s); did you mean %s?", name, list,
		         hint);
	else
		snprintf(err, errlen, "unknown task '%s' (tasks: %s)", name, list);
	return NULL;
}

/* Parse a whole number in [lo, hi] for option `label`; -1 with a message. */
static int opt_long(const char *label, const char *text, long lo, long hi, const char *what,
                    long *out, char *err, size_t errlen)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (text[0] == '\0' || isspace((unsigned char)text[0]) || *end != '\0') {
		snprintf(err, errlen, "%s: '%s' is not a whole number (allowed: %s %ld..%ld)",
		         label, text, what, lo, hi);
		return -1;
	}
	if (errno == ERANGE || v < lo || v > hi) {
		snprintf(err, errlen, "%s: %s is out of range (allowed: %s %ld..%ld)", label, text,
		         what, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

/* Parse --switch-interval MS: a number of ms, > 0 and <= 10000. */
static int opt_interval(const char *text, double *out_s, char *err, size_t errlen)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (text[0] == '\0' || isspace((unsigned char)text[0]) || *end != '\0' || !isfinite(v)) {
		snprintf(err, errlen,
		         "--switch-interval: '%s' is not a number of milliseconds (allowed: > 0 "
		         "and <= 10000, like 5 or 0.5)",
		         text);
		return -1;
	}
	if (!(v > 0) || v > 10000) {
		snprintf(err, errlen,
		         "--switch-interval: %s is out of range (allowed: > 0 and <= 10000 ms)",
		         text);
		return -1;
	}
	*out_s = v / 1000.0;
	return 0;
}

/* Parse --format NAME: a row of the format table, or a message naming them. */
static int opt_format(const char *label, const char *name, const struct export_format **out,
                      char *err, size_t errlen)
{
	const struct export_format *f = export_format_find(name);
	if (f != NULL) {
		*out = f;
		return 0;
	}
	char names[256];
	export_format_names(names, sizeof names);
	const char *hint = cmd_suggest(name, export_format_words(), export_format_count);
	snprintf(err, errlen, "unknown format '%s' for %s (formats: %s)%s%s%s", name, label, names,
	         hint ? "; did you mean " : "", hint ? hint : "", hint ? "?" : "");
	return -1;
}

/* A sweep's -w: comma-separated terms, each N or A..B (1..ENGINE_MAX_WORKERS),
 * into req->sweep_workers ascending without repeats; -1 naming the bad term. */
static int opt_sweep_workers(const char *label, const char *val, struct run_request *req, char *err,
                             size_t errlen)
{
	static const char allowed[] = "allowed: worker counts 1..1024 as N, A..B or a comma list, "
	                              "like 1..4 or 1,2,4,8";
	bool seen[ENGINE_MAX_WORKERS + 1] = {false};
	const char *p = val;
	size_t count = 0;
	if (val[0] == '\0') {
		snprintf(err, errlen, "%s: an empty list (%s)", label, allowed);
		return -1;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		char term[64];
		snprintf(term, sizeof term, "%.*s", (int)(len < 63 ? len : 63), p);
		long a, b;
		char *end;
		errno = 0;
		a = strtol(term, &end, 10);
		b = a;
		bool ok = term[0] != '\0' && isdigit((unsigned char)term[0]) && errno == 0;
		if (ok && strncmp(end, "..", 2) == 0) {
			const char *q = end + 2;
			ok = isdigit((unsigned char)*q);
			b = strtol(q, &end, 10);
			ok = ok && errno == 0;
		}
		ok = ok && *end == '\0' && len < 63;
		if (!ok || a < 1 || b > ENGINE_MAX_WORKERS || b < a) {
			snprintf(err, errlen, "%s: '%s' is not a worker count or range (%s%s)",
			         label, term, allowed,
			         ok && b < a ? "; a range goes up: A <= B" : "");
			return -1;
		}
		for (long k = a; k <= b; k++)
			if (!seen[k]) {
				seen[k] = true;
				count++;
			}
		if (count > RUN_REQUEST_SWEEP_MAX) {
			snprintf(err, errlen, "%s: '%s' asks for more than %d worker counts (%s)",
			         label, val, RUN_REQUEST_SWEEP_MAX, allowed);
			return -1;
		}
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	req->n_sweep_workers = 0;
	for (int k = 1; k <= ENGINE_MAX_WORKERS; k++)
		if (seen[k])
			req->sweep_workers[req->n_sweep_workers++] = k;
	return 0;
}

/* Find an option by long name (without "--"); NULL if none of any kind. */
static const struct opt_def *opt_find_long(const char *name, size_t len)
{
	for (size_t i = 0; i < OPT_COUNT; i++)
		if (strlen(opt_table[i].long_name) == len &&
		    strncmp(opt_table[i].long_name, name, len) == 0)
			return &opt_table[i];
	return NULL;
}

/* Find an option by short letter; NULL if none. */
static const struct opt_def *opt_find_short(char c)
{
	for (size_t i = 0; i < OPT_COUNT; i++)
		if (opt_table[i].short_name == c)
			return &opt_table[i];
	return NULL;
}

/* "unknown option --foo for run (allowed: ...)", with a hint when close. */
static int opt_unknown(enum run_kind kind, const char *word, const struct opt_def *known, char *err,
                       size_t errlen)
{
	char list[256];
	opt_list(kind, list, sizeof list);
	if (known != NULL) {
		char l[48];
		opt_label(known, l, sizeof l);
		snprintf(err, errlen, "option %s is not for %s (allowed: %s)", l,
		         opt_kind_name(kind), list);
		return -1;
	}
	const char *names[OPT_COUNT];
	size_t n = 0;
	char longs[OPT_COUNT][32];
	for (size_t i = 0; i < OPT_COUNT; i++)
		if (opt_table[i].kinds & (1u << kind)) {
			snprintf(longs[n], sizeof longs[n], "--%s", opt_table[i].long_name);
			names[n] = longs[n];
			n++;
		}
	char w[40];
	snprintf(w, sizeof w, "%.*s", (int)strcspn(word, "="), word);
	const char *hint = strncmp(word, "--", 2) == 0 ? cmd_suggest(w, names, n) : NULL;
	if (hint != NULL)
		snprintf(err, errlen, "unknown option %s for %s (allowed: %s); did you mean %s?", w,
		         opt_kind_name(kind), list, hint);
	else
		snprintf(err, errlen, "unknown option %s for %s (allowed: %s)", w,
		         opt_kind_name(kind), list);
	return -1;
}

/* Apply one option with its value (NULL for flags) to req. */
static int opt_apply(enum run_kind kind, const struct opt_def *o, const char *val,
                     struct run_request *req, char *err, size_t errlen)
{
	char label[48];
	long v;
	opt_label(o, label, sizeof label);
	switch (o->id) {
	case OPT_BACKEND:
		if (kind == RUNKIND_COMPARE || kind == RUNKIND_SWEEP) {
			char why[300];
			if (backend_parse_list(val, req->backends, &req->n_backends, why,
			                       sizeof why) != 0) {
				snprintf(err, errlen, "%s: %s", label, why);
				return -1;
			}
			return 0;
		}
		if (backend_find(val, &req->backend) != 0) {
			char names[256];
			backend_names(names, sizeof names);
			snprintf(err, errlen, "unknown backend '%s' for %s (backends: %s)", val,
			         label, names);
			return -1;
		}
		return 0;
	case OPT_WORKERS:
		if (kind == RUNKIND_SWEEP) {
			if (opt_sweep_workers(label, val, req, err, errlen) != 0)
				return -1;
			req->workers_given = true;
			return 0;
		}
		if (opt_long(label, val, 1, ENGINE_MAX_WORKERS, "workers", &v, err, errlen) != 0)
			return -1;
		req->workers = (int)v;
		req->workers_given = true;
		return 0;
	case OPT_CHUNKSIZE:
		if (opt_long(label, val, 1, ENGINE_MAX_ITEMS, "items per task", &v, err, errlen) !=
		    0)
			return -1;
		req->chunksize = v;
		req->chunksize_given = true;
		return 0;
	case OPT_UNORDERED:
		req->unordered = true;
		return 0;
	case OPT_SWITCH:
		return opt_interval(val, &req->switch_interval_s, err, errlen);
	case OPT_FORMAT:
		return opt_format(label, val, &req->format, err, errlen);
	case OPT_JSON:
		req->format = &export_json;
		return 0;
	case OPT_OUTPUT:
		if (val[0] == '\0') {
			snprintf(err, errlen,
			         "%s: an empty FILE (allowed: a path, or - for stdout)", label);
			return -1;
		}
		free(req->output);
		req->output = strdup(val);
		if (req->output == NULL) {
			snprintf(err, errlen, "%s: out of memory", label);
			return -1;
		}
		return 0;
	case OPT_RECORD:
		if (val[0] == '\0') {
			snprintf(err, errlen, "%s: an empty FILE (allowed: a path)", label);
			return -1;
		}
		free(req->record);
		req->record = strdup(val);
		if (req->record == NULL) {
			snprintf(err, errlen, "%s: out of memory", label);
			return -1;
		}
		return 0;
	case OPT_REPEAT:
		if (opt_long(label, val, 1, 1000, "runs", &v, err, errlen) != 0)
			return -1;
		req->repeat = (int)v;
		return 0;
	case OPT_PYTHON:
		if (val[0] == '\0' || strlen(val) >= sizeof req->python) {
			snprintf(err, errlen,
			         "%s: '%.40s' is not an interpreter (allowed: a path or a name "
			         "on PATH, 1..%zu characters, like python3.12)",
			         label, val, sizeof req->python - 1);
			return -1;
		}
		snprintf(req->python, sizeof req->python, "%s", val);
		return 0;
	case OPT_START_METHOD:
		for (size_t k = 0; opt_start_methods[k] != NULL; k++)
			if (strcmp(val, opt_start_methods[k]) == 0) {
				snprintf(req->start_method, sizeof req->start_method, "%s", val);
				return 0;
			}
		snprintf(err, errlen,
		         "%s: unknown start method '%.40s' (allowed: fork, spawn, forkserver)",
		         label, val);
		return -1;
	case OPT_JOIN_AFTER:
		if (opt_long(label, val, 0, 60000, "milliseconds", &v, err, errlen) != 0)
			return -1;
		req->join_after_ms = (int)v;
		req->join_after_given = true;
		return 0;
	}
	(void)kind;
	return 0;
}

/* Does word look like a negative number or range (ITEMS), not an option? */
static bool opt_is_number(const char *word)
{
	return word[0] == '-' && isdigit((unsigned char)word[1]);
}

/* Parse the words after the command name into req; -1 with a one-line message. */
int cmd_parse_request(enum run_kind kind, int argc, char **argv, struct run_request *req, char *err,
                      size_t errlen)
{
	const char *name = opt_kind_name(kind);
	const char *pos[3] = {NULL, NULL, NULL};
	int n_pos = 0;
	bool only_pos = false;

	memset(req, 0, sizeof *req);
	req->kind = kind;
	req->backend = BACKEND_PROCESS;
	req->n_backends = backend_default_list(req->backends);
	if (kind == RUNKIND_SWEEP) {
		req->backends[0] = BACKEND_PROCESS;
		req->n_backends = 1;
	}
	req->switch_interval_s = 0.005;
	req->repeat = 1;
	req->format = export_format_default();
	if (err != NULL && errlen > 0)
		err[0] = '\0';

	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];
		if (only_pos || w[0] != '-' || w[1] == '\0' || opt_is_number(w)) {
			if (n_pos >= 2) {
				snprintf(err, errlen,
				         "%s takes TASK and ITEMS; '%s' is one word too many "
				         "(ITEMS has no spaces: 1..5,7)",
				         name, w);
				goto fail;
			}
			pos[n_pos++] = w;
			continue;
		}
		if (strcmp(w, "--") == 0) {
			only_pos = true;
			continue;
		}
		const struct opt_def *o;
		const char *val = NULL;
		if (w[1] == '-') {
			const char *eq = strchr(w + 2, '=');
			size_t len = eq != NULL ? (size_t)(eq - (w + 2)) : strlen(w + 2);
			o = opt_find_long(w + 2, len);
			if (o == NULL || !(o->kinds & (1u << kind))) {
				opt_unknown(kind, w, o, err, errlen);
				goto fail;
			}
			if (eq != NULL) {
				if (o->arg == NULL) {
					snprintf(err, errlen,
					         "option --%s takes no value (got '%s')",
					         o->long_name, eq + 1);
					goto fail;
				}
				val = eq + 1;
			}
		} else {
			o = opt_find_short(w[1]);
			if (o == NULL || !(o->kinds & (1u << kind))) {
				opt_unknown(kind, w, o, err, errlen);
				goto fail;
			}
			if (w[2] != '\0') {
				if (o->arg == NULL) {
					snprintf(err, errlen,
					         "option -%c takes no value (got '%s')",
					         o->short_name, w);
					goto fail;
				}
				val = w + 2;
			}
		}
		if (o->arg != NULL && val == NULL) {
			if (i + 1 >= argc) {
				char l[48];
				opt_label(o, l, sizeof l);
				snprintf(err, errlen, "option %s needs a value %s: %s", l, o->arg,
				         o->help);
				goto fail;
			}
			val = argv[++i];
		}
		if (opt_apply(kind, o, val, req, err, errlen) != 0)
			goto fail;
	}

	if (n_pos == 0) {
		char list[256];
		cmd_task_list(list, sizeof list);
		snprintf(err, errlen, "%s needs a TASK (tasks: %s)", name, list);
		goto fail;
	}
	req->task = opt_task(pos[0], err, errlen);
	if (req->task == NULL)
		goto fail;
	char ierr[ENGINE_ERRLEN];
	const char *text = pos[1] != NULL ? pos[1] : req->task->default_items;
	if (items_parse(text, &req->items, &req->n_items, ierr, sizeof ierr) != 0) {
		snprintf(err, errlen, "%s", ierr);
		goto fail;
	}
	if (kind == RUNKIND_PROCESS && req->backend != BACKEND_PROCESS &&
	    req->backend != BACKEND_PY_PROCESS) {
		snprintf(err, errlen,
		         "process: backend '%s' makes no Process objects (allowed: process, "
		         "py-process)",
		         backend_name(req->backend));
		goto fail;
	}
	if (kind == RUNKIND_PROCESS && (req->n_items < 1 || req->n_items > PROC_DEMO_MAX_PROCS)) {
		snprintf(err, errlen,
		         "process: %zu items, one Process each (allowed: 1..%d items, like 0..3)",
		         req->n_items, PROC_DEMO_MAX_PROCS);
		goto fail;
	}
	for (size_t i = 0; i < req->n_items; i++) {
		if (task_check_item(req->task, req->items[i], ierr, sizeof ierr) != 0) {
			snprintf(err, errlen, "ITEMS: %s", ierr);
			goto fail;
		}
	}
	if (req->task->kills_worker) {
		char bad[256] = "";
		size_t at = 0;
		bool list = kind == RUNKIND_COMPARE || kind == RUNKIND_SWEEP;
		if (kind == RUNKIND_RUN && !backend_get(req->backend)->forks)
			snprintf(bad, sizeof bad, "%s", backend_name(req->backend));
		for (size_t i = 0; list && i < req->n_backends; i++)
			if (!backend_get(req->backends[i])->forks && at < sizeof bad)
				at += (size_t)snprintf(bad + at, sizeof bad - at, "%s%s",
				                       at ? ", " : "",
				                       backend_name(req->backends[i]));
		if (bad[0]) {
			snprintf(
			    err, errlen,
			    "task %s kills the worker running it, so it runs only on -b process "
			    "or another backend whose workers are processes (in a thread it "
			    "would kill mptutor itself)%s%s",
			    req->task->name,
			    kind == RUNKIND_COMPARE ? "; this compare runs "
			    : kind == RUNKIND_SWEEP ? "; this sweep runs "
			                            : ", not on ",
			    bad);
			goto fail;
		}
	}
	if (export_format_check(req->format, export_kind_of(req), err, errlen) != 0)
		goto fail;
	if (export_output_check(req, err, errlen) != 0) /* before the map, not after it */
		goto fail;
	if (req->record != NULL && recording_save_check(req->record, err, errlen) != 0)
		goto fail;
	if (kind == RUNKIND_SWEEP && !req->workers_given) {
		int top = 2 * engine_default_workers();
		if (top > RUN_REQUEST_SWEEP_MAX)
			top = RUN_REQUEST_SWEEP_MAX;
		for (int k = 1; k <= top; k++)
			req->sweep_workers[req->n_sweep_workers++] = k;
	}
	if (kind == RUNKIND_SWEEP) /* the largest pool of the sweep */
		req->workers = req->sweep_workers[req->n_sweep_workers - 1];
	else if (!req->workers_given)
		req->workers = engine_default_workers();
	if (!req->chunksize_given)
		req->chunksize = engine_default_chunksize(req->n_items, req->workers);
	return 0;
fail:
	if (err != NULL && errlen > 0 && err[0] == '\0')
		snprintf(err, errlen, "%s: bad arguments", name);
	run_request_free(req);
	return -1;
}
