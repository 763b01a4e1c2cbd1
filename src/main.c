/*
 * main.c — argv to a command or the tutor. `mptutor run|compare|tasks|
 * lessons ...` goes through the command table with the headless front end
 * defined here (cmd_map_exec / cmd_process_exec: start, wait, print a
 * report; a stop names its signal); `mptutor` with
 * no command starts the tutor: full screen on a terminal, the line-mode REPL
 * with --plain or without one. SIGINT, SIGTERM and SIGHUP are caught into
 * the shared signal self-pipe (cmd/signals.h), which cancels a running map,
 * so every worker is reaped before the program exits 128 + the signal's
 * number.
 */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/signals.h"
#include "engine/engine.h"
#include "engine/task.h"
#include "tutor.h"
#include "ui/picture.h"

/* The signals that stop a headless command: the map is cancelled, every
 * worker reaped, and the exit status is 128 + the signal's number. */
static const int main_sigs[] = {SIGINT, SIGTERM, SIGHUP};

/* The exit status for a cancelled run: 128 + the signal, as shells report it. */
static int main_interrupted(struct cmd_env *env)
{
	int sig = signals_stopped();
	if (sig == 0)
		sig = SIGINT;
	const char *name = sigabbrev_np(sig);
	if (name != NULL)
		fprintf(env->err,
		        "mptutor: stopped by SIG%s; every worker was stopped and reaped\n", name);
	else
		fprintf(env->err,
		        "mptutor: stopped by signal %d; every worker was stopped and reaped\n",
		        sig);
	return 128 + sig;
}

/* `process`: a Process per item started in a loop (--repeat N times), then their lives. */
static int main_cli_process(struct cmd_env *env, const struct run_request *req)
{
	struct cmd_process_outcome oc;
	int rc = cmd_process_exec(env, req, &oc);
	if (oc.interrupted || signals_stopped() != 0)
		return main_interrupted(env);
	return rc;
}

/* The headless front end's run: to the end, then a report. */
static int main_cli_dispatch(struct cmd_env *env, const struct run_request *req)
{
	int rc;
	if (req->kind == RUNKIND_PROCESS) {
		rc = main_cli_process(env, req);
	} else {
		rc = cmd_map_exec(env, req, NULL, NULL);
		if (rc == CMD_INTERRUPTED)
			rc = main_interrupted(env);
	}
	fflush(env->out);
	return rc;
}

/* replay FILE on a terminal: the tutor opens the recording and replays it. */
static int main_cli_replay_file(struct cmd_env *env, struct recording *rec, double speed)
{
	(void)env;
	struct tutor_opts o = {.recording = rec, .replay_speed = speed};
	return ui_main(&o);
}

/* The headless front end: runs, and a recording opened in the tutor; lessons are the tutor's. */
static const struct frontend_ops main_cli_ops = {
    .run = main_cli_dispatch,
    .replay_file = main_cli_replay_file,
};

/* `mptutor --help`: the usage of everything. */
static void main_usage(FILE *out)
{
	fprintf(
	    out,
	    "mptutor %s — processes, threads and the GIL, run live\n"
	    "\n"
	    "Usage:\n"
	    "  mptutor [--lesson N|NAME] [--plain] [--no-color] [--ascii]\n"
	    "                                 the tutor: full screen on a terminal, a line-mode\n"
	    "                                 REPL with --plain or without a terminal\n",
	    MPTUTOR_VERSION);
	for (size_t i = 0; i < cmd_count; i++) {
		const struct cmd_entry *c = &cmd_table[i];
		if (!(c->where & CMD_IN_CLI))
			continue;
		char head[64];
		snprintf(head, sizeof head, "%s%s%s", c->name, c->args[0] ? " " : "", c->args);
		if (strlen(head) > 22) /* long forms: the summary on its own line */
			fprintf(out, "  mptutor %s\n  %-30s %s\n", head, "", c->summary);
		else
			fprintf(out, "  mptutor %-22s %s\n", head, c->summary);
	}
	fprintf(out, "  mptutor --help | --version\n"
	             "\n"
	             "Options of run and compare:\n");
	cmd_options_usage(out, RUNKIND_RUN);
	char tasks[256];
	cmd_task_list(tasks, sizeof tasks);
	fprintf(
	    out,
	    "  (compare has no -b nor --repeat: it runs serial, process, thread and gil in turn)\n"
	    "\n"
	    "Options of process:\n");
	cmd_options_usage(out, RUNKIND_PROCESS);
	fprintf(out,
	        "\n"
	        "TASK: %s (see: mptutor tasks)\n"
	        "ITEMS: comma-separated numbers (7, -3), ranges (1..5) and repetitions\n"
	        "  (8x30000: eight items of 30000); each task has a default.\n"
	        "\n"
	        "Tutor options:\n"
	        "  --lesson N|NAME   start at a lesson (default: where you left off)\n"
	        "  --plain           the line-mode REPL, even on a terminal\n"
	        "  --no-color        no colours (also when NO_COLOR is set)\n"
	        "  --ascii           ASCII bars and borders\n"
	        "\n"
	        "Exit status: 0 done; 1 some items failed; 2 usage error;\n"
	        "  128+N stopped by signal N (130 for Ctrl-C).\n",
	        tasks);
}

/* Tell the tutor options apart from the rest; -1 on an unknown one. */
static int main_tutor_option(int argc, char **argv, int *i, struct tutor_opts *o, bool *any)
{
	const char *w = argv[*i];
	if (strcmp(w, "--plain") == 0)
		o->plain = true;
	else if (strcmp(w, "--no-color") == 0 || strcmp(w, "--no-colour") == 0)
		o->no_color = true;
	else if (strcmp(w, "--ascii") == 0)
		o->ascii = true;
	else if (strncmp(w, "--lesson=", 9) == 0)
		o->lesson = w + 9;
	else if (strcmp(w, "--lesson") == 0) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "mptutor: --lesson needs a value: a lesson number or name, "
			                "like --lesson 2\n");
			return -1;
		}
		o->lesson = argv[++*i];
	} else {
		fprintf(stderr,
		        "mptutor: unknown option %s (allowed before a command: --lesson N|NAME, "
		        "--plain, "
		        "--no-color, --ascii, --help, --version; see mptutor --help)\n",
		        w);
		return -1;
	}
	if (o->lesson != NULL && o->lesson[0] == '\0') {
		fprintf(
		    stderr,
		    "mptutor: --lesson needs a value: a lesson number or name, like --lesson 2\n");
		return -1;
	}
	*any = true;
	return 0;
}

/* argv to a command or the tutor; the only place that decides the exit status. */
int main(int argc, char **argv)
{
	struct tutor_opts topts = {0};
	bool tutor_opts_given = false;
	char err[ENGINE_ERRLEN];
	int i = 1;

	setlocale(LC_ALL, "");
	ui_picture_install(); /* --format svg|png draw with the tutor's panels */
	/* A full disk or a file-size limit must fail a write with EFBIG and a
	 * message (progress, history), not kill the tutor mid-lesson; a closed
	 * pipe on stdout must fail a write with EPIPE, not kill us with workers
	 * still to reap. */
	signal(SIGXFSZ, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		const char *w = argv[i];
		if (strcmp(w, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
			main_usage(stdout);
			return fflush(stdout) == 0 ? 0 : 1;
		}
		if (strcmp(w, "--version") == 0 || strcmp(w, "-V") == 0) {
			printf("mptutor %s\n", MPTUTOR_VERSION);
			return fflush(stdout) == 0 ? 0 : 1;
		}
		if (main_tutor_option(argc, argv, &i, &topts, &tutor_opts_given) != 0)
			return CMD_USAGE;
	}
	const char *nc = getenv("NO_COLOR");
	if (nc != NULL && nc[0] != '\0')
		topts.no_color = true;

	if (signals_catch(main_sigs, sizeof main_sigs / sizeof main_sigs[0], 0, NULL, err,
	                  sizeof err) != 0) {
		fprintf(stderr, "mptutor: %s\n", err);
		return 1;
	}

	int status;
	if (i < argc) {
		if (tutor_opts_given) {
			fprintf(
			    stderr,
			    "mptutor: --lesson, --plain, --no-color and --ascii are for the tutor, "
			    "not with a command (%s)\n",
			    argv[i]);
			return CMD_USAGE;
		}
		struct cmd_env env = {
		    .out = stdout,
		    .err = stderr,
		    .fe = &main_cli_ops,
		    .where = CMD_IN_CLI,
		    .intr_fd = signals_fd(),
		};
		status = cmd_exec_argv(&env, argc - i, argv + i);
		if (status == CMD_QUIT)
			status = CMD_OK;
	} else if (topts.plain || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		status = repl_main(&topts);
	} else {
		status = ui_main(&topts);
	}
	if (fflush(stdout) != 0 && status == CMD_OK)
		status = CMD_FAILED;
	/* A stopping signal shows in the status even if it came when nothing
	 * ran. The tutor and the REPL take Ctrl-C as "cancel the run" and stay,
	 * so after them only a request to quit counts. */
	int sig = i < argc ? signals_stopped() : signals_quitting();
	if (sig != 0 && status < 128)
		status = 128 + sig;
	return status;
}
