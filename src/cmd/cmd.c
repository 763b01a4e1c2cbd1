/*
 * cmd.c — the command table (as tmux's cmd_entry: name, usage, where it
 * runs, exec), word splitting of a typed line, dispatch, and the words
 * offered for tab completion. Commands parse their words and hand the work
 * to the front end through env->fe; none of them exits the program.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/lessons.h"
#include "cmd/pyrun.h"
#include "cmd/replay.h"
#include "engine/pythons.h"
#include "engine/task.h"
#include "export/format.h"
#include "export/report.h"

/* Print a usage message to env->err, prefixed "mptutor: " on the command line. */
static void cmd_error(struct cmd_env *env, const char *msg)
{
	fprintf(env->err, "%s%s\n", env->where == CMD_IN_CLI ? "mptutor: " : "", msg);
	fflush(env->err);
}

/* Shared exec of run/compare/process: parse, then let the front end run it. */
static int cmd_run_kind(struct cmd_env *env, enum run_kind kind, int argc, char **argv)
{
	char err[ENGINE_ERRLEN * 2];
	struct run_request req;
	if (cmd_parse_request(kind, argc - 1, argv + 1, &req, err, sizeof err) != 0) {
		cmd_error(env, err);
		return CMD_USAGE;
	}
	int rc;
	if (env->fe == NULL || env->fe->run == NULL) {
		cmd_error(env, "running a map is not available here");
		rc = CMD_USAGE;
	} else {
		rc = env->fe->run(env, &req);
	}
	run_request_free(&req);
	return rc;
}

/* run TASK [ITEMS] [options]: one pool.map. */
static int cmd_exec_run(struct cmd_env *env, int argc, char **argv)
{
	return cmd_run_kind(env, RUNKIND_RUN, argc, argv);
}

/* compare TASK [ITEMS] [options]: the map on every backend. */
static int cmd_exec_compare(struct cmd_env *env, int argc, char **argv)
{
	return cmd_run_kind(env, RUNKIND_COMPARE, argc, argv);
}

/* process TASK [ITEMS] [options]: a Process per item, started in a loop. */
static int cmd_exec_process(struct cmd_env *env, int argc, char **argv)
{
	return cmd_run_kind(env, RUNKIND_PROCESS, argc, argv);
}

/* sweep TASK [ITEMS] [-w LIST|A..B]: the map at each worker count, and Amdahl's fit. */
static int cmd_exec_sweep(struct cmd_env *env, int argc, char **argv)
{
	return cmd_run_kind(env, RUNKIND_SWEEP, argc, argv);
}

/* tasks: the built-in tasks, a line each. */
static int cmd_exec_tasks(struct cmd_env *env, int argc, char **argv)
{
	if (argc > 1) {
		char msg[160];
		snprintf(msg, sizeof msg, "tasks takes no arguments (got '%s')", argv[1]);
		cmd_error(env, msg);
		return CMD_USAGE;
	}
	report_tasks(env->out);
	return CMD_OK;
}

/* pythons [--format NAME | --json]: the interpreters on PATH the py-* backends
 * can use. CMD_OK if one or more were found, CMD_FAILED if none (or the
 * Python side is not installed), CMD_USAGE on a bad word. */
static int cmd_exec_pythons(struct cmd_env *env, int argc, char **argv)
{
	const struct export_format *f = export_format_default();
	char msg[512];
	for (int i = 1; i < argc; i++) {
		const char *name = NULL;
		if (strcmp(argv[i], "--json") == 0)
			name = "json";
		else if (strncmp(argv[i], "--format=", 9) == 0)
			name = argv[i] + 9;
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			name = argv[++i];
		if (name == NULL) {
			snprintf(msg, sizeof msg,
			         "pythons takes only --format NAME or --json (got '%s')", argv[i]);
			cmd_error(env, msg);
			return CMD_USAGE;
		}
		f = export_format_find(name);
		if (f == NULL) {
			char names[128];
			export_format_names(names, sizeof names);
			snprintf(msg, sizeof msg, "unknown format '%s' for pythons (formats: %s)",
			         name, names);
			cmd_error(env, msg);
			return CMD_USAGE;
		}
	}
	if (export_format_check(f, EXPORT_PYTHONS, msg, sizeof msg) != 0) {
		cmd_error(env, msg);
		return CMD_USAGE;
	}
	static struct python_info found[PYTHONS_MAX]; /* 3 paths each: too big for a stack */
	size_t n = 0;
	if (pythons_find(NULL, found, PYTHONS_MAX, &n, msg, sizeof msg) != 0) {
		cmd_error(env, msg);
		return CMD_FAILED;
	}
	if (export_pythons(f, env->out, found, n, msg, sizeof msg) != 0) {
		cmd_error(env, msg);
		return CMD_FAILED;
	}
	fflush(env->out);
	return n > 0 ? CMD_OK : CMD_FAILED;
}

/* Call a front end op that takes no argument, or say it is not here. */
static int cmd_fe_simple(struct cmd_env *env, int argc, char **argv, int (*op)(struct cmd_env *env))
{
	char msg[160];
	if (argc > 1) {
		snprintf(msg, sizeof msg, "%s takes no arguments (got '%s')", argv[0], argv[1]);
		cmd_error(env, msg);
		return CMD_USAGE;
	}
	if (op == NULL) {
		snprintf(msg, sizeof msg, "%s is a command of the tutor, not available here",
		         argv[0]);
		cmd_error(env, msg);
		return CMD_USAGE;
	}
	return op(env);
}

/* next: the next page or lesson. */
static int cmd_exec_next(struct cmd_env *env, int argc, char **argv)
{
	return cmd_fe_simple(env, argc, argv, env->fe ? env->fe->lesson_next : NULL);
}

/* prev: the previous page or lesson. */
static int cmd_exec_prev(struct cmd_env *env, int argc, char **argv)
{
	return cmd_fe_simple(env, argc, argv, env->fe ? env->fe->lesson_prev : NULL);
}

/* lesson N|NAME: go to a lesson. */
static int cmd_exec_lesson(struct cmd_env *env, int argc, char **argv)
{
	if (argc != 2) {
		cmd_error(
		    env,
		    "lesson needs one argument: a number or a name, like lesson 3 or lesson gil");
		return CMD_USAGE;
	}
	if (env->fe == NULL || env->fe->lesson_goto == NULL) {
		cmd_error(env, "lesson is a command of the tutor, not available here");
		return CMD_USAGE;
	}
	return env->fe->lesson_goto(env, argv[1]);
}

/* help [TOPIC]: the front end's help, or the command list. */
static int cmd_exec_help(struct cmd_env *env, int argc, char **argv)
{
	if (argc > 2) {
		cmd_error(env, "help takes at most one argument: a command name, like help run");
		return CMD_USAGE;
	}
	const char *topic = argc == 2 ? argv[1] : NULL;
	if (env->fe != NULL && env->fe->help != NULL)
		return env->fe->help(env, topic);
	return cmd_help_text(env->out, env->where, topic, env->err);
}

/* quit: leave the tutor. */
static int cmd_exec_quit(struct cmd_env *env, int argc, char **argv)
{
	(void)env;
	(void)argc;
	(void)argv;
	return CMD_QUIT;
}

/* The commands, in the order help lists them. */
const struct cmd_entry cmd_table[] = {
    {.name = "run",
     .args = "TASK [ITEMS] [options]",
     .summary = "one pool.map of TASK over ITEMS, with a report",
     .where = CMD_EVERYWHERE,
     .exec = cmd_exec_run},
    {.name = "compare",
     .args = "TASK [ITEMS] [options]",
     .summary = "the same map on serial, process, thread and gil, side by side",
     .where = CMD_EVERYWHERE,
     .exec = cmd_exec_compare},
    {.name = "process",
     .args = "TASK [ITEMS] [options]",
     .summary = "a Process per item, started in a loop; one item: start() and join()",
     .where = CMD_EVERYWHERE,
     .exec = cmd_exec_process},
    {.name = "sweep",
     .args = "TASK [ITEMS] [-w 1..N]",
     .summary = "the map at each worker count: speedup curve and Amdahl's serial fraction",
     .where = CMD_EVERYWHERE,
     .exec = cmd_exec_sweep},
    {.name = "tasks",
     .args = "",
     .summary = "the built-in tasks, a line each",
     .where = CMD_EVERYWHERE,
     .exec = cmd_exec_tasks},
    {.name = "pythons",
     .args = "[--format NAME]",
     .summary = "the Python interpreters on PATH the py-* backends can run (--python PATH)",
     .where = CMD_EVERYWHERE,
     .exec = cmd_exec_pythons},
    {.name = "lessons",
     .args = "[--check | --verify [N] [--runs K]]",
     .summary = "the lessons, a line each; --check validates every lesson file, --verify "
                "runs every block and checks each claim",
     .where = CMD_EVERYWHERE,
     .exec = cmd_exec_lessons},
    {.name = "pyrun",
     .args = "FILE [--python PATH] [--timeout S] [--json] [-- ARGS]",
     .summary = "run a Python script with the real interpreter, its processes watched",
     .where = CMD_EVERYWHERE,
     .exec = cmd_exec_pyrun},
    {.name = "exercise",
     .args = "[N] [--check FILE]",
     .summary = "the exercises; N: write Python that is run and checked on every save",
     .where = CMD_EVERYWHERE,
     .exec = cmd_exec_exercise},
    {.name = "hint",
     .args = "[N]",
     .summary = "the next hint of the exercise you are on (or of exercise N)",
     .where = CMD_EVERYWHERE,
     .exec = cmd_exec_hint},
    {.name = "glossary",
     .args = "[WORD]",
     .summary = "the words of the course, or one word's meaning",
     .where = CMD_EVERYWHERE,
     .exec = cmd_exec_glossary},
    {.name = "next",
     .alias = "n",
     .args = "",
     .summary = "the next page of the lesson",
     .where = CMD_IN_REPL | CMD_IN_TUTOR,
     .exec = cmd_exec_next},
    {.name = "prev",
     .alias = "p",
     .args = "",
     .summary = "the previous page",
     .where = CMD_IN_REPL | CMD_IN_TUTOR,
     .exec = cmd_exec_prev},
    {.name = "lesson",
     .args = "N|NAME",
     .summary = "go to a lesson by number or name",
     .where = CMD_IN_REPL | CMD_IN_TUTOR,
     .exec = cmd_exec_lesson},
    {.name = "replay",
     .alias = "r",
     .args = "[FILE] [SPEED] [--format NAME] [-o FILE]",
     .summary = "the last run again or a recording (FILE), SPEED times slower (default "
                "10); with --format, its report",
     .where = CMD_EVERYWHERE,
     .exec = cmd_exec_replay},
    {.name = "save",
     .args = "FILE",
     .summary = "keep the last run, compare, Processes or sweep in FILE as a recording",
     .where = CMD_IN_REPL | CMD_IN_TUTOR,
     .exec = cmd_exec_save},
    {.name = "export",
     .args = "FORMAT FILE",
     .summary = "write the last run's report in FORMAT (text, json, csv, chrome, svg, png) "
                "to FILE",
     .where = CMD_IN_REPL | CMD_IN_TUTOR,
     .exec = cmd_exec_export},
    {.name = "help",
     .alias = "?",
     .args = "[COMMAND]",
     .summary = "the commands, or one in full",
     .where = CMD_EVERYWHERE,
     .exec = cmd_exec_help},
    {.name = "quit",
     .alias = "q",
     .args = "",
     .summary = "leave the tutor (progress is kept)",
     .where = CMD_IN_REPL | CMD_IN_TUTOR,
     .exec = cmd_exec_quit},
};
const size_t cmd_count = sizeof cmd_table / sizeof cmd_table[0];

/* Find a command by name or alias, among those allowed in `where`. */
const struct cmd_entry *cmd_find(const char *name, unsigned where)
{
	for (size_t i = 0; i < cmd_count; i++) {
		const struct cmd_entry *c = &cmd_table[i];
		if (!(c->where & where))
			continue;
		if (strcmp(c->name, name) == 0 || (c->alias != NULL && strcmp(c->alias, name) == 0))
			return c;
	}
	return NULL;
}

/* The names of the commands allowed in `where` as "run, compare, ..." into buf. */
static void cmd_names(unsigned where, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < cmd_count; i++) {
		if (!(cmd_table[i].where & where))
			continue;
		int w =
		    snprintf(buf + used, len - used, "%s%s", used ? ", " : "", cmd_table[i].name);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
}

/* Print the usage of every command allowed in `where` to out. */
void cmd_usage(FILE *out, unsigned where)
{
	for (size_t i = 0; i < cmd_count; i++) {
		const struct cmd_entry *c = &cmd_table[i];
		if (!(c->where & where))
			continue;
		char head[64];
		snprintf(head, sizeof head, "%s%s%s", c->name, c->args[0] ? " " : "", c->args);
		fprintf(out, "  %-30s %s\n", head, c->summary);
	}
}

/* help's text: every command, or one command with its options. */
int cmd_help_text(FILE *out, unsigned where, const char *topic, FILE *err)
{
	if (topic == NULL) {
		fprintf(out, "Commands:\n");
		cmd_usage(out, where);
		fprintf(
		    out,
		    "ITEMS: comma-separated numbers (7), ranges (1..5), repetitions (8x30000).\n"
		    "help COMMAND shows a command's options.\n");
		return CMD_OK;
	}
	const struct cmd_entry *c = cmd_find(topic, CMD_EVERYWHERE);
	if (c == NULL) {
		char names[256];
		cmd_names(where, names, sizeof names);
		fprintf(err, "%sno command '%s' (commands: %s)\n",
		        where == CMD_IN_CLI ? "mptutor: " : "", topic, names);
		return CMD_USAGE;
	}
	fprintf(out, "%s%s%s\n  %s\n", c->name, c->args[0] ? " " : "", c->args, c->summary);
	if (c->alias != NULL)
		fprintf(out, "  (also: %s)\n", c->alias);
	if (c->exec == cmd_exec_run || c->exec == cmd_exec_compare || c->exec == cmd_exec_process ||
	    c->exec == cmd_exec_sweep) {
		fprintf(out, "Options:\n");
		cmd_options_usage(out, c->exec == cmd_exec_run       ? RUNKIND_RUN
		                       : c->exec == cmd_exec_compare ? RUNKIND_COMPARE
		                       : c->exec == cmd_exec_sweep   ? RUNKIND_SWEEP
		                                                     : RUNKIND_PROCESS);
		char tasks[256];
		cmd_task_list(tasks, sizeof tasks);
		fprintf(out, "Tasks: %s (see: tasks)\n", tasks);
	}
	return CMD_OK;
}

/* Execute already split words; unknown commands are CMD_USAGE with a message. */
int cmd_exec_argv(struct cmd_env *env, int argc, char **argv)
{
	if (argc == 0)
		return CMD_OK;
	const struct cmd_entry *c = cmd_find(argv[0], env->where);
	if (c != NULL)
		return c->exec(env, argc, argv);
	char msg[512], names[256];
	cmd_names(env->where, names, sizeof names);
	const struct cmd_entry *elsewhere = cmd_find(argv[0], CMD_EVERYWHERE);
	if (elsewhere != NULL) {
		snprintf(msg, sizeof msg,
		         "%s is a command of the tutor, not available here (commands: %s)",
		         elsewhere->name, names);
	} else {
		const char *cands[32];
		size_t n = 0;
		for (size_t i = 0; i < cmd_count && n < 32; i++)
			if (cmd_table[i].where & env->where)
				cands[n++] = cmd_table[i].name;
		const char *hint = cmd_suggest(argv[0], cands, n);
		if (hint != NULL)
			snprintf(msg, sizeof msg,
			         "unknown command '%s' (commands: %s); did you mean %s?", argv[0],
			         names, hint);
		else
			snprintf(msg, sizeof msg, "unknown command '%s' (commands: %s)", argv[0],
			         names);
	}
	cmd_error(env, msg);
	return CMD_USAGE;
}

/* Split and execute one line; empty lines return CMD_OK. */
int cmd_exec_line(struct cmd_env *env, const char *line)
{
	char err[ENGINE_ERRLEN];
	int argc;
	char **argv;
	if (cmd_split(line, &argc, &argv, err, sizeof err) != 0) {
		cmd_error(env, err);
		return CMD_USAGE;
	}
	int rc = cmd_exec_argv(env, argc, argv);
	cmd_split_free(argc, argv);
	return rc;
}

/* A growing word being built by cmd_split. */
struct split_word {
	char *buf;  /* the word so far, NUL-terminated */
	size_t len; /* its length */
};

/* Give w its buffer (room for cap characters) if it has none; -1 when out of memory. */
static int split_alloc(struct split_word *w, size_t cap)
{
	if (w->buf == NULL) {
		w->buf = malloc(cap + 1);
		if (w->buf == NULL)
			return -1;
		w->buf[0] = '\0';
	}
	return 0;
}

/* Append c to w; -1 when out of memory. */
static int split_put(struct split_word *w, char c, size_t cap)
{
	if (split_alloc(w, cap) != 0)
		return -1;
	w->buf[w->len++] = c;
	w->buf[w->len] = '\0';
	return 0;
}

/* Split a line into words: blanks separate, '...' is literal, "..." and bare
 * words take backslash escapes. -1 with a message on an open quote. */
int cmd_split(const char *line, int *argc, char ***argv, char *err, size_t errlen)
{
	size_t cap = strlen(line); /* no word is longer than the line */
	size_t max_words = cap / 2 + 2;
	char **words = calloc(max_words, sizeof *words);
	int n = 0;
	*argc = 0;
	*argv = NULL;
	if (words == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	const char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p == '\0')
			break;
		struct split_word w = {NULL, 0};
		bool started = false;
		while (*p != '\0' && !(*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) {
			started = true;
			if (*p == '\'') {
				const char *close = strchr(p + 1, '\'');
				if (close == NULL) {
					snprintf(err, errlen,
					         "open quote: a ' needs a closing ' (as in run "
					         "square '1..5')");
					free(w.buf);
					goto fail;
				}
				if (split_alloc(&w, cap) != 0)
					goto oom;
				for (const char *q = p + 1; q < close; q++)
					split_put(&w, *q, cap);
				p = close + 1;
			} else if (*p == '"') {
				p++;
				if (split_alloc(&w, cap) != 0)
					goto oom;
				while (*p != '"') {
					if (*p == '\0') {
						snprintf(err, errlen,
						         "open quote: a \" needs a closing \" (as "
						         "in run square \"1..5\")");
						free(w.buf);
						goto fail;
					}
					if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
						p++;
					if (split_put(&w, *p++, cap) != 0)
						goto oom;
				}
				p++;
			} else if (*p == '\\') {
				if (p[1] == '\0') {
					snprintf(err, errlen,
					         "a \\ at the end of the line escapes nothing "
					         "(write \\\\ for a backslash)");
					free(w.buf);
					goto fail;
				}
				if (split_put(&w, p[1], cap) != 0)
					goto oom;
				p += 2;
			} else {
				if (split_put(&w, *p++, cap) != 0)
					goto oom;
			}
		}
		if (started)
			words[n++] = w.buf;
	}
	*argc = n;
	*argv = words;
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	cmd_split_free(n, words);
	return -1;
}

/* Free what cmd_split returned. */
void cmd_split_free(int argc, char **argv)
{
	if (argv == NULL)
		return;
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

/* Words for tab completion after `prev` (NULL: command names); NULL-terminated, static. */
const char *const *cmd_completions(const char *cmdname, const char *prev)
{
	static const char *names[64];
	static const char *tasks[64];
	static const char *const lessons_opts[] = {"--check", "--verify", NULL};
	static const char *const pythons_opts[] = {"--format", "--json", NULL};
	static const char *const none[] = {NULL};
	if (names[0] == NULL) {
		size_t n = 0;
		for (size_t i = 0; i < cmd_count && n < 63; i++)
			names[n++] = cmd_table[i].name;
		names[n] = NULL;
		n = 0;
		for (size_t i = 0; i < task_count && n < 63; i++)
			tasks[n++] = task_table[i]->name;
		tasks[n] = NULL;
	}
	if (cmdname == NULL)
		return names;
	if (strcmp(cmdname, "help") == 0)
		return names;
	if (strcmp(cmdname, "lessons") == 0)
		return lessons_opts;
	if (strcmp(cmdname, "pythons") == 0)
		return prev != NULL && strcmp(prev, "--format") == 0 ? export_format_words()
		                                                     : pythons_opts;
	if (strcmp(cmdname, "run") != 0 && strcmp(cmdname, "compare") != 0 &&
	    strcmp(cmdname, "process") != 0 && strcmp(cmdname, "sweep") != 0)
		return none;
	if (prev == NULL || strcmp(prev, cmdname) == 0)
		return tasks;
	/* -b: the backend names; --format: the format names; --start-method */
	const char *const *values = cmd_option_values(prev);
	if (values != NULL)
		return values;
	if (cmd_option_takes_value(prev))
		return none; /* a number comes next */
	enum run_kind kind = strcmp(cmdname, "run") == 0       ? RUNKIND_RUN
	                     : strcmp(cmdname, "compare") == 0 ? RUNKIND_COMPARE
	                     : strcmp(cmdname, "sweep") == 0   ? RUNKIND_SWEEP
	                                                       : RUNKIND_PROCESS;
	return cmd_option_words(kind);
}
