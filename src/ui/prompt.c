/*
 * prompt.c — the tutor's prompt: GNU readline inside curses through its
 * callback interface, as gdb's TUI does. Readline never touches the
 * terminal: keys come from the main loop (ui_prompt_feed → rl_getc_function),
 * the line is drawn by our rl_redisplay_function into the surface, and the
 * cursor column is the display width (wcwidth) of the text before rl_point.
 * History lives in $XDG_STATE_HOME/mptutor/history, written atomically.
 */
#include "ui/ui.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cmd/cmd.h"

#define PROMPT_QUEUE 256    /* bytes of keys waiting for readline */
#define PROMPT_HISTORY 1000 /* lines kept */

static unsigned char prompt_q[PROMPT_QUEUE]; /* keys not yet read by readline */
static size_t prompt_qhead, prompt_qlen;
static bool prompt_dirty;      /* readline asked for a redisplay */
static char *prompt_hist_path; /* where history is kept, or NULL */
static ui_line_fn prompt_on_line;
static void *prompt_on_line_arg;
static char prompt_matches[512]; /* last completion list shown */
static FILE *prompt_null;        /* readline's output goes nowhere */
static bool prompt_on;
static bool prompt_keep = true; /* lines go into the history */

/* rl_getc_function: the next queued byte. Readline only asks when one is
 * queued (we call it per byte, and the hook below answers for sequences);
 * never EOF, which would end the prompt. */
static int prompt_getc(FILE *f)
{
	(void)f;
	if (prompt_qlen == 0)
		return 0;
	unsigned char c = prompt_q[prompt_qhead];
	prompt_qhead = (prompt_qhead + 1) % PROMPT_QUEUE;
	prompt_qlen--;
	return c;
}

/* rl_input_available_hook: whether a byte is queued (for escape sequences). */
static int prompt_avail(void)
{
	return prompt_qlen > 0;
}

/* rl_redisplay_function: draw later, from the main loop. */
static void prompt_redisplay(void)
{
	prompt_dirty = true;
}

/* Readline must not change the terminal's modes: curses owns them. */
static void prompt_prep(int meta)
{
	(void)meta;
}

/* The other half of prompt_prep. */
static void prompt_deprep(void)
{
}

/* The line handler: pass the line on, keep it in the history. */
static void prompt_line(char *line)
{
	if (line && *line && prompt_keep) {
		HIST_ENTRY *last =
		    history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
		if (!last || strcmp(last->line, line) != 0)
			add_history(line);
	}
	prompt_dirty = true;
	prompt_on_line(line, prompt_on_line_arg);
}

/* Completion generator over the words cmd_completions gives. */
static const char *const *prompt_words;
/* Readline's generator protocol: state 0 starts over. */
static char *prompt_generator(const char *text, int state)
{
	static size_t i;
	size_t len = strlen(text);
	if (state == 0)
		i = 0;
	while (prompt_words && prompt_words[i]) {
		const char *w = prompt_words[i++];
		if (strncmp(w, text, len) == 0)
			return strdup(w);
	}
	return NULL;
}

/* rl_attempted_completion_function: commands, then tasks, backends and options. */
static char **prompt_complete(const char *text, int start, int end)
{
	(void)end;
	char cmd[64] = "", prev[64] = "";
	int i = 0;
	while (i < start && rl_line_buffer[i] == ' ')
		i++;
	if (i < start) {
		int j = i;
		while (j < start && rl_line_buffer[j] != ' ')
			j++;
		snprintf(cmd, sizeof cmd, "%.*s", j - i, rl_line_buffer + i);
		int k = start;
		while (k > 0 && rl_line_buffer[k - 1] == ' ')
			k--;
		int b = k;
		while (b > 0 && rl_line_buffer[b - 1] != ' ')
			b--;
		snprintf(prev, sizeof prev, "%.*s", k - b, rl_line_buffer + b);
	}
	rl_attempted_completion_over = 1;
	prompt_words = cmd_completions(cmd[0] ? cmd : NULL, cmd[0] ? prev : NULL);
	return rl_completion_matches(text, prompt_generator);
}

/* rl_completion_display_matches_hook: the choices go to the message line. */
static void prompt_show_matches(char **matches, int n, int maxlen)
{
	(void)maxlen;
	size_t len = 0;
	prompt_matches[0] = 0;
	for (int i = 1; i <= n && len + 2 < sizeof prompt_matches; i++) {
		int k = snprintf(prompt_matches + len, sizeof prompt_matches - len, "%s%s",
		                 i > 1 ? "  " : "", matches[i]);
		if (k < 0)
			break;
		len += (size_t)k;
	}
	prompt_dirty = true;
}

void ui_prompt_start(const char *prompt, const char *history_path, ui_line_fn on_line, void *arg)
{
	prompt_on_line = on_line;
	prompt_on_line_arg = arg;
	prompt_null = fopen("/dev/null", "w");
	rl_readline_name = "mptutor";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_getc_function = prompt_getc;
	rl_input_available_hook = prompt_avail;
	rl_redisplay_function = prompt_redisplay;
	rl_prep_term_function = prompt_prep;
	rl_deprep_term_function = prompt_deprep;
	rl_attempted_completion_function = prompt_complete;
	rl_completion_display_matches_hook = prompt_show_matches;
	if (prompt_null)
		rl_outstream = prompt_null;
	rl_variable_bind("bell-style", "none");
	rl_variable_bind("horizontal-scroll-mode", "on");
	using_history();
	stifle_history(PROMPT_HISTORY);
	free(prompt_hist_path);
	prompt_hist_path = history_path ? strdup(history_path) : NULL;
	if (prompt_hist_path)
		read_history(prompt_hist_path); /* a missing file is an empty history */
	rl_callback_handler_install(prompt, prompt_line);
	prompt_on = true;
	prompt_dirty = true;
}

/* Write the history to path through a temporary file and rename (mode 0600);
 * -1 with a message if it could not be kept (read-only dir, full disk). */
static int prompt_history_save(const char *path, char *err, size_t errlen)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp) {
		snprintf(err, errlen, "history not kept: path too long");
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "history not kept: cannot write %s: %s", tmp,
		         strerror(errno));
		return -1;
	}
	close(fd);
	int e = write_history(tmp); /* returns an errno value, 0 on success */
	if (e == 0 && chmod(tmp, 0600) != 0)
		e = errno;
	if (e == 0 && rename(tmp, path) != 0)
		e = errno;
	if (e != 0) {
		unlink(tmp);
		snprintf(err, errlen, "history not kept: cannot save %s: %s", path, strerror(e));
		return -1;
	}
	return 0;
}

void ui_prompt_set(const char *prompt, bool keep_history)
{
	rl_set_prompt(prompt);
	prompt_keep = keep_history;
	prompt_dirty = true;
}

int ui_prompt_stop(char *err, size_t errlen)
{
	int rc = 0;
	if (!prompt_on)
		return 0;
	prompt_on = false;
	rl_callback_handler_remove();
	if (prompt_hist_path)
		rc = prompt_history_save(prompt_hist_path, err, errlen);
	free(prompt_hist_path);
	prompt_hist_path = NULL;
	clear_history();
	if (prompt_null) {
		rl_outstream = stdout;
		fclose(prompt_null);
		prompt_null = NULL;
	}
	return rc;
}

void ui_prompt_feed(const char *bytes, size_t n)
{
	for (size_t i = 0; i < n && prompt_qlen < PROMPT_QUEUE; i++) {
		prompt_q[(prompt_qhead + prompt_qlen) % PROMPT_QUEUE] = (unsigned char)bytes[i];
		prompt_qlen++;
	}
	prompt_matches[0] = 0;
	while (prompt_on && prompt_qlen > 0)
		rl_callback_read_char();
}

const char *ui_prompt_line(void)
{
	return rl_line_buffer ? rl_line_buffer : "";
}

bool ui_prompt_empty(void)
{
	return rl_end == 0 &&
	       !RL_ISSTATE(RL_STATE_ISEARCH | RL_STATE_NSEARCH | RL_STATE_NUMERICARG |
	                   RL_STATE_MOREINPUT | RL_STATE_MULTIKEY);
}

void ui_prompt_clear(void)
{
	if (RL_ISSTATE(RL_STATE_ISEARCH | RL_STATE_NSEARCH)) {
		/* leave a search the way Ctrl-G does */
		ui_prompt_feed("\007", 1);
	}
	rl_replace_line("", 0);
	rl_point = rl_end = 0;
	rl_mark = 0;
	prompt_dirty = true;
}

bool ui_prompt_changed(void)
{
	bool d = prompt_dirty;
	prompt_dirty = false;
	return d;
}

const char *ui_prompt_matches(void)
{
	return prompt_matches[0] ? prompt_matches : NULL;
}

void ui_prompt_history_add(const char *line)
{
	if (line && *line)
		add_history(line);
}

/* Display width of the first n bytes of s. */
static int prompt_width_n(const char *s, size_t n)
{
	char buf[1024];
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, s, n);
	buf[n] = 0;
	return ui_text_width(buf);
}

int ui_prompt_draw(struct ui_surface *s, int y, int width)
{
	const char *pr = rl_display_prompt ? rl_display_prompt : "";
	const char *line = rl_line_buffer ? rl_line_buffer : "";
	struct ui_rect r = {y, 0, 1, width};
	ui_clear(s, r);
	int pw = ui_text_width(pr);
	int cur = prompt_width_n(line, (size_t)(rl_point >= 0 ? rl_point : 0));
	/* scroll the line so the cursor stays visible */
	int room = width - pw - 1;
	int skip = 0;
	if (room > 4 && cur > room)
		skip = cur - room;
	int x = ui_put(s, &r, y, 0, UI_BOLD, pr);
	size_t off = skip ? ui_text_cut(line, skip, &skip) : 0;
	ui_put(s, &r, y, x, 0, line + off);
	int cx = pw + cur - skip;
	return cx < width ? cx : width - 1;
}
