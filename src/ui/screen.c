/*
 * screen.c — the single terminal layer of the tutor (htop's CRT.c): starts
 * and stops curses, maps the surface's attributes and colours to curses,
 * suspends on Ctrl-Z, follows resizes, and restores the terminal before any
 * fatal message. The only file that calls curses.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/ui.h"

#include <curses.h>
#include <langinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

static SCREEN *screen_scr; /* the curses screen, NULL when stopped */
static bool screen_on;     /* curses mode is active */
static bool screen_color;  /* colour pairs are in use */

/* Curses attributes for surface attributes. */
static attr_t screen_attr(unsigned a)
{
	attr_t c = 0;
	if (a & UI_BOLD)
		c |= A_BOLD;
	if (a & UI_REVERSE)
		c |= A_REVERSE;
	if (a & UI_DIM)
		c |= A_DIM;
	if (a & UI_UNDERLINE)
		c |= A_UNDERLINE;
	if (screen_color && UI_COLOR_OF(a))
		c |= COLOR_PAIR(UI_COLOR_OF(a));
	return c;
}

/* Surface op: write clipped text. */
static void screen_put(struct ui_surface *s, int y, int x, const char *text, size_t n, int cols,
                       unsigned attr)
{
	(void)s;
	(void)cols;
	attrset(screen_attr(attr));
	mvaddnstr(y, x, text, (int)n);
	attrset(A_NORMAL);
}

/* Surface op: blank a rectangle. */
static void screen_clear(struct ui_surface *s, struct ui_rect r)
{
	(void)s;
	attrset(A_NORMAL);
	for (int y = r.y; y < r.y + r.h; y++)
		mvhline(y, r.x, ' ', r.w);
}

static const struct ui_surface_ops screen_ops = {
    .put = screen_put,
    .clear = screen_clear,
};

static struct ui_surface screen_surf = {.ops = &screen_ops};

bool ui_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

/* The palette: foreground colours on the terminal's own background. */
static void screen_colors(void)
{
	static const short fg[UI_C_COUNT] = {
	    [UI_C_W0] = COLOR_CYAN,     [UI_C_W1] = COLOR_YELLOW,  [UI_C_W2] = COLOR_MAGENTA,
	    [UI_C_W3] = COLOR_GREEN,    [UI_C_W4] = COLOR_BLUE,    [UI_C_W5] = COLOR_WHITE,
	    [UI_C_TITLE] = COLOR_CYAN,  [UI_C_OK] = COLOR_GREEN,   [UI_C_ERR] = COLOR_RED,
	    [UI_C_WARN] = COLOR_YELLOW, [UI_C_CODE] = COLOR_GREEN, [UI_C_RUN] = COLOR_YELLOW,
	};
	start_color();
	use_default_colors();
	for (int i = 1; i < UI_C_COUNT && i < COLOR_PAIRS; i++)
		init_pair((short)i, fg[i], -1);
}

int ui_screen_start(bool ascii, bool color, struct ui_surface **out, char *err, size_t errlen)
{
	screen_scr = newterm(NULL, stdout, stdin);
	if (!screen_scr) {
		const char *t = getenv("TERM");
		snprintf(err, errlen,
		         "cannot start the full-screen tutor on terminal type '%s' "
		         "(set TERM, or use --plain)",
		         t ? t : "(unset)");
		return -1;
	}
	set_term(screen_scr);
	screen_on = true;
	raw(); /* Ctrl-C and Ctrl-Z come as keys: workers never see them */
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	/* No typeahead check while updating: ncurses would flush and poll the
	 * keyboard at every line, so a frame went out as a dozen small writes,
	 * each waking the terminal (and taking a core from a worker). Keys wait
	 * at most one frame (50 ms) this way; the main loop polls stdin itself. */
	typeahead(-1);
	screen_color = color && has_colors();
	if (screen_color)
		screen_colors();
	screen_surf.h = LINES;
	screen_surf.w = COLS;
	screen_surf.g = ascii ? &ui_glyphs_ascii : &ui_glyphs_utf8;
	screen_surf.color = screen_color;
	*out = &screen_surf;
	return 0;
}

void ui_screen_stop(void)
{
	if (!screen_on)
		return;
	screen_on = false;
	curs_set(1);
	endwin();
	fflush(stdout);
}

void ui_screen_sync(void)
{
	/* curses has resized already (KEY_RESIZE): only take the new size;
	 * calling resizeterm again here would queue another KEY_RESIZE */
	screen_surf.h = LINES;
	screen_surf.w = COLS;
}

bool ui_screen_active(void)
{
	return screen_on;
}

void ui_screen_resize(void)
{
	struct winsize ws;
	if (!screen_on)
		return;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	screen_surf.h = LINES;
	screen_surf.w = COLS;
	clearok(curscr, TRUE);
}

void ui_screen_suspend(void)
{
	if (!screen_on)
		return;
	endwin();
	fflush(stdout);
	raise(SIGSTOP); /* resumes here on SIGCONT */
	reset_prog_mode();
	ui_screen_resize();
}

void ui_screen_touch(void)
{
	if (screen_on)
		clearok(curscr, TRUE);
}

void ui_screen_flush(int cursor_y, int cursor_x, bool cursor)
{
	if (!screen_on)
		return;
	curs_set(cursor ? 1 : 0);
	if (cursor)
		move(cursor_y, cursor_x);
	wnoutrefresh(stdscr);
	doupdate();
}

/* A curses key code as a byte or an enum ui_key. */
int ui_key_from_curses(int code)
{
	static const struct {
		int curses, key;
	} map[] = {
	    {KEY_UP, UI_KEY_UP},           {KEY_DOWN, UI_KEY_DOWN},
	    {KEY_LEFT, UI_KEY_LEFT},       {KEY_RIGHT, UI_KEY_RIGHT},
	    {KEY_HOME, UI_KEY_HOME},       {KEY_END, UI_KEY_END},
	    {KEY_DC, UI_KEY_DELETE},       {KEY_BACKSPACE, UI_KEY_BACKSPACE},
	    {KEY_ENTER, UI_KEY_ENTER},     {KEY_PPAGE, UI_KEY_PAGE_UP},
	    {KEY_NPAGE, UI_KEY_PAGE_DOWN}, {KEY_RESIZE, UI_KEY_RESIZE},
	};
	if (code == ERR || code < 0)
		return -1;
	if (code < 256)
		return code;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].curses == code)
			return map[i].key;
	return UI_KEY_OTHER;
}

int ui_screen_key(void)
{
	if (!screen_on)
		return -1;
	return ui_key_from_curses(getch());
}

void ui_fatal(const char *fmt, ...)
{
	va_list ap;
	ui_screen_stop();
	fputs("mptutor: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
