/*
 * tutor.h — how main() starts the tutor: the options of `mptutor` without a
 * command, and the two front ends that take them. ui_main (src/ui/) is the
 * full-screen curses tutor, used when stdin and stdout are terminals;
 * repl_main (src/ui/repl.c) is the line-mode REPL, used with --plain or
 * without a terminal. Both return an exit status (0, 1 or 2) and never exit.
 */
#ifndef MPTUTOR_TUTOR_H
#define MPTUTOR_TUTOR_H

#include <stdbool.h>

struct recording; /* export/recording.h */

/* Options of the tutor, from the command line. */
struct tutor_opts {
	const char *lesson;          /* --lesson N|NAME, or NULL: where progress left off */
	bool plain;                  /* --plain: the line-mode REPL even on a terminal */
	bool no_color;               /* --no-color (or NO_COLOR set): monochrome */
	bool ascii;                  /* --ascii: ASCII bars and borders, no UTF-8 glyphs */
	struct recording *recording; /* replay FILE: opened and replayed at once (its
	                                contents taken), or NULL */
	double replay_speed;         /* its slow-down factor */
};

/* The full-screen tutor (src/ui/). Returns an exit status. */
int ui_main(const struct tutor_opts *o);
/* The line-mode REPL (src/ui/repl.c). Returns an exit status. */
int repl_main(const struct tutor_opts *o);

#endif
