/*
 * ui.h — the parts of the tutor shared between its files: the terminal
 * layer (screen.c: the one place that talks to curses — start, stop,
 * suspend, resize, the curses surface, ui_fatal) and the prompt (prompt.c:
 * GNU readline driven through its callback interface inside curses).
 *
 * Contract: ui_screen_start() before anything draws; ui_screen_stop() on
 * every way out (it is safe to call twice); ui_fatal() restores the terminal
 * before it prints, like htop's CRT_fatalError. The prompt never reads the
 * terminal itself: the main loop reads keys with curses and hands the prompt
 * bytes (ui_prompt_feed), so one poll() sees everything.
 */
#ifndef MPTUTOR_UI_UI_H
#define MPTUTOR_UI_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/surface.h"

/* --- screen.c --------------------------------------------------------------- */

/* The keys ui_screen_key returns besides bytes (0..255): the terminal layer
 * maps curses' codes to these, so nothing else needs curses to read keys. */
enum ui_key {
	UI_KEY_UP = 0x100,
	UI_KEY_DOWN,
	UI_KEY_LEFT,
	UI_KEY_RIGHT,
	UI_KEY_HOME,
	UI_KEY_END,
	UI_KEY_DELETE,    /* the Delete key (curses KEY_DC) */
	UI_KEY_BACKSPACE, /* curses KEY_BACKSPACE (a byte 127 or 8 stays a byte) */
	UI_KEY_ENTER,     /* the keypad's Enter (Return is the byte '\r') */
	UI_KEY_PAGE_UP,
	UI_KEY_PAGE_DOWN,
	UI_KEY_RESIZE, /* the terminal changed size (curses KEY_RESIZE) */
	UI_KEY_OTHER   /* a special key nothing acts on */
};

/* A curses key code as a byte or an enum ui_key (-1 stays -1: no key). */
int ui_key_from_curses(int code);

/* Start curses on the terminal; -1 with a message if it cannot. */
int ui_screen_start(bool ascii, bool color, struct ui_surface **out, char *err, size_t errlen);
/* Leave curses mode, restoring the terminal (safe twice). */
void ui_screen_stop(void);
/* Whether curses is running. */
bool ui_screen_active(void);
/* Take the terminal's size again after SIGWINCH/KEY_RESIZE. */
void ui_screen_resize(void);
/* Take the size curses already has (after a KEY_RESIZE). */
void ui_screen_sync(void);
/* Ctrl-Z: restore the terminal, stop, and take it back on SIGCONT. */
void ui_screen_suspend(void);
/* Show everything drawn since the last call (wnoutrefresh + doupdate). */
void ui_screen_flush(int cursor_y, int cursor_x, bool cursor);
/* Everything drawn again on the next flush (after suspend). */
void ui_screen_touch(void);
/* Read one key without blocking: a byte or an enum ui_key; -1 if none. */
int ui_screen_key(void);
/* Restore the terminal, then print the message to stderr. */
void ui_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Whether the locale's character set is UTF-8 (nl_langinfo(CODESET)). */
bool ui_locale_utf8(void);

/* --- prompt.c --------------------------------------------------------------- */

/* Called with each line entered (NULL on Ctrl-D at an empty line). */
typedef void (*ui_line_fn)(char *line, void *arg);

/* Set readline up for callback use; history read from history_path (may be NULL). */
void ui_prompt_start(const char *prompt, const char *history_path, ui_line_fn on_line, void *arg);
/* Change the prompt (a question asks with its own); keep_history false: answers are not kept. */
void ui_prompt_set(const char *prompt, bool keep_history);
/* Write the history back atomically and remove the handler; -1 with a
 * message if the history could not be kept (the prompt is stopped anyway). */
int ui_prompt_stop(char *err, size_t errlen);
/* Hand readline some bytes (a key, or a key's escape sequence) and let it act. */
void ui_prompt_feed(const char *bytes, size_t n);
/* The line as typed so far, and whether it is empty (no search going on). */
const char *ui_prompt_line(void);
bool ui_prompt_empty(void);
/* Clear the line (Ctrl-C with no run). */
void ui_prompt_clear(void);
/* Draw the prompt into row y of s; returns the cursor column. */
int ui_prompt_draw(struct ui_surface *s, int y, int width);
/* Whether readline changed the line since the last draw (and clear the flag). */
bool ui_prompt_changed(void);
/* Completions readline offered last (for the message line), or NULL. */
const char *ui_prompt_matches(void);
/* Add a line to the history (lines run from the lesson with Enter). */
void ui_prompt_history_add(const char *line);

#endif
