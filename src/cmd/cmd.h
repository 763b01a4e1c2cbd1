/*
 * cmd.h — the command table shared by the headless CLI, the plain REPL and
 * the tutor's prompt, and the parsing of a run/compare/process command line
 * (options, ITEMS) into a run request.
 *
 * Commands parse their words and then ask the front end to act through
 * `struct frontend_ops`: the CLI runs a map to the end and prints a report,
 * the tutor starts it and draws it live. A command never exits the program;
 * it returns a status (CMD_OK, CMD_FAILED, CMD_USAGE, CMD_QUIT) and writes
 * messages to env->out / env->err.
 */
#ifndef MPTUTOR_CMD_H
#define MPTUTOR_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/engine.h"
#include "engine/pyrun.h"
#include "session/request.h"

/* Exit statuses of commands (and of the program). */
enum {
	CMD_OK = 0,           /* done */
	CMD_FAILED = 1,       /* the run finished but some items failed */
	CMD_USAGE = 2,        /* bad input: a message names what is wrong and what is allowed */
	CMD_QUIT = 3,         /* the tutor's quit (never an exit status) */
	CMD_INTERRUPTED = 130 /* cancelled by SIGINT/SIGTERM/SIGHUP */
};

/* Parse the words after the command name; -1 with a one-line message on bad input. */
int cmd_parse_request(enum run_kind kind, int argc, char **argv, struct run_request *req, char *err,
                      size_t errlen);

/* Parse ITEMS ("1..5,7,8x300"); -1 with a message naming the bad term. */
int items_parse(const char *text, int64_t **items, size_t *n, char *err, size_t errlen);

/* Split a line into words (spaces; '...' and "..." quote). -1 on an open quote. */
int cmd_split(const char *line, int *argc, char ***argv, char *err, size_t errlen);
void cmd_split_free(int argc, char **argv);

/* What a front end does for the commands. Unset entries mean "not here". */
struct cmd_env;
struct recording; /* export/recording.h */
struct session;   /* session/session.h */
struct frontend_ops {
	/* Run a request to the end (CLI, plain) or start it live (tutor). Returns a status. */
	int (*run)(struct cmd_env *env, const struct run_request *req);
	int (*lesson_next)(struct cmd_env *env);
	int (*lesson_prev)(struct cmd_env *env);
	int (*lesson_goto)(struct cmd_env *env, const char *which);
	int (*replay)(struct cmd_env *env, double speed);
	/* Open a loaded recording live-looking, SPEED times slower; it takes what rec
	 * owns (rec is zeroed after). Unset: reported headless instead. */
	int (*replay_file)(struct cmd_env *env, struct recording *rec, double speed);
	/* The last run, compare or Process demo, finished (for save and export), or NULL. */
	const struct session *(*last)(struct cmd_env *env);
	int (*help)(struct cmd_env *env, const char *topic);
	/* pyrun: start the script live (tutor). NULL: run it to the end and report. */
	int (*pyrun)(struct cmd_env *env, const struct pyrun_spec *spec);
	/* exercise N: watch the learner's copy at path (tutor): every save runs it,
	 * then check.py at checker. NULL: open the editor or say where it is. */
	int (*exercise)(struct cmd_env *env, const char *name, const char *path,
	                const char *checker, const char *python);
	/* hint: the tutor shows it in its own way. NULL: printed to env->out. */
	int (*hint)(struct cmd_env *env, const char *text);
};

/* Where a command runs. */
enum { CMD_IN_CLI = 1, CMD_IN_REPL = 2, CMD_IN_TUTOR = 4, CMD_EVERYWHERE = 7 };

struct cmd_env {
	FILE *out; /* reports */
	FILE *err; /* usage messages */
	const struct frontend_ops *fe;
	void *fe_data;  /* the front end's own state */
	unsigned where; /* CMD_IN_CLI, CMD_IN_REPL or CMD_IN_TUTOR */
	int intr_fd;    /* readable when a signal asks to stop, or -1 */
};

/* One command, as tmux's cmd_entry. */
struct cmd_entry {
	const char *name;                                        /* "run" */
	const char *alias;                                       /* short form or NULL */
	const char *args;                                        /* "TASK [ITEMS] [options]" */
	const char *summary;                                     /* one line for help */
	unsigned where;                                          /* CMD_IN_* mask */
	int (*exec)(struct cmd_env *env, int argc, char **argv); /* argv[0] is the name */
};

extern const struct cmd_entry cmd_table[];
extern const size_t cmd_count;

/* Find a command by name or alias, among those allowed in `where`. */
const struct cmd_entry *cmd_find(const char *name, unsigned where);
/* Split and execute one line; empty lines return CMD_OK. */
int cmd_exec_line(struct cmd_env *env, const char *line);
/* Execute already split words. Unknown commands are CMD_USAGE with a message. */
int cmd_exec_argv(struct cmd_env *env, int argc, char **argv);

/* Words for tab completion, NULL-terminated, static. cmdname is the line's first
 * word (NULL while completing it: command names); prev is the word before the
 * one being completed (== cmdname right after it: task names; -b: backends;
 * otherwise the command's options). */
const char *const *cmd_completions(const char *cmdname, const char *prev);

/* The options of a run kind, one a line ("  -w/--workers N   pool size..."), for usage. */
void cmd_options_usage(FILE *out, enum run_kind kind);
/* The option words of a kind ("--workers", "-w", ...), NULL-terminated, static. */
const char *const *cmd_option_words(enum run_kind kind);
/* Does word name an option that takes a value ("-w", "--workers")? */
bool cmd_option_takes_value(const char *word);
/* The words that may follow an option word ("--format": the format names),
 * NULL-terminated, static; NULL if it takes no value or any value. */
const char *const *cmd_option_values(const char *word);
/* The candidate closest to `word` if it looks like a typo of it, else NULL. */
const char *cmd_suggest(const char *word, const char *const *cands, size_t n);
/* The task names, "square, hello, ...", into buf. */
void cmd_task_list(char *buf, size_t len);
/* Print the usage of every command allowed in `where` to out. */
void cmd_usage(FILE *out, unsigned where);
/* help's text: every command allowed in `where`, or one with its options; CMD_USAGE
 * with a message on err if TOPIC is no command. */
int cmd_help_text(FILE *out, unsigned where, const char *topic, FILE *err);

/* Called with each finished map of cmd_map_exec, before it is freed;
 * compare is true for the maps of a compare. */
typedef void (*cmd_map_seen_fn)(void *arg, const struct run_snapshot *snap, bool compare);
/* run / compare: a session (session/session.h) runs each map (run --repeat N
 * times; compare on each backend of the request, in its order), waits, and
 * the report (in req->format) goes to env->out. seen (may be NULL) gets each
 * finished map. Returns CMD_OK,
 * CMD_FAILED (an item failed), CMD_USAGE (could not start; the message on
 * env->err) or CMD_INTERRUPTED (a stop request on env->intr_fd, before or
 * during a map; nothing printed). */
int cmd_map_exec(struct cmd_env *env, const struct run_request *req, cmd_map_seen_fn seen,
                 void *arg);
/* The same, and a session that ran to its end is handed to *kept (the caller
 * frees it; save and export read it) instead of freed; kept may be NULL. */
int cmd_map_exec_kept(struct cmd_env *env, const struct run_request *req, cmd_map_seen_fn seen,
                      void *arg, struct session **kept);

/* --record FILE (and the tutor's save FILE): the finished run, compare
 * (runs[n], the request's order), sweep (runs[n], its points' order; its fit
 * counted sweep_cpus CPUs, 0 for this machine's) or demo of req written to
 * path as a recording (export/recording.h), whole or not at all. CMD_OK, or
 * CMD_USAGE with the message on env->err. */
int cmd_record(struct cmd_env *env, const char *path, const struct run_request *req,
               const struct run_snapshot *const *runs, size_t n, const struct proc_demo_snap *demo,
               int sweep_cpus);
/* The same of a finished session (every row, or its demo). */
int cmd_record_session(struct cmd_env *env, const char *path, const struct session *ss);

/* What a front end may keep of a finished process command. */
struct cmd_process_outcome {
	bool interrupted; /* env->intr_fd stopped it; every child was killed and reaped */
	bool failed;      /* a child exited non-zero or was killed */
	double wall_s;    /* the last run: first start() to the last child's exit */
	int runs;         /* runs done (--repeat) */
};
/* process TASK [ITEMS]: start the Processes (--repeat N times), wait, and print
 * the report (in req->format) to env->out. Returns CMD_OK, CMD_FAILED (a child
 * failed), CMD_USAGE (could not start; the message on env->err) or
 * CMD_INTERRUPTED (nothing printed). oc may be NULL. */
int cmd_process_exec(struct cmd_env *env, const struct run_request *req,
                     struct cmd_process_outcome *oc);
/* The same, the finished session handed to *kept as cmd_map_exec_kept does. */
int cmd_process_exec_kept(struct cmd_env *env, const struct run_request *req,
                          struct cmd_process_outcome *oc, struct session **kept);

#endif
