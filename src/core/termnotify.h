/* SPDX-License-Identifier: ISC */
/* A reminder as a desktop notification through the terminal itself: the
 * escape sequences terminals turn into notifications on the machine in front
 * of the person, for a daemon that runs on a server (over SSH, in tmux)
 * where notify-send reaches no desktop. Pure: which sequence a terminal
 * speaks, from what its environment says, and the bytes to write.
 *
 *   OSC 777  "\e]777;notify;TITLE;BODY\e\\"   foot, WezTerm, Ghostty, rxvt-unicode
 *   OSC 9    "\e]9;BODY\e\\"                  iTerm2, Windows Terminal, WezTerm
 *   OSC 99   "\e]99;;BODY\e\\"                kitty
 *
 * Inside tmux the sequence is wrapped for tmux to pass it on to the outer
 * terminal ("\ePtmux;" + the sequence with every ESC doubled + "\e\\"),
 * which tmux does with `set -g allow-passthrough on` (tmux 3.3 and later). */
#ifndef LULL_TERMNOTIFY_H
#define LULL_TERMNOTIFY_H

#include <stdbool.h>
#include <stddef.h>

enum termnotify_kind {
	TERMNOTIFY_NONE,
	TERMNOTIFY_OSC777,
	TERMNOTIFY_OSC9,
	TERMNOTIFY_OSC99,
};

/* The setting's word: "off", "auto", "777", "9", "99". False when unknown. */
bool termnotify_parse(const char *word, bool *automatic, enum termnotify_kind *kind);
const char *termnotify_name(enum termnotify_kind kind);

/* What the terminal is known to speak, from its environment (each may be
 * NULL): TERM, TERM_PROGRAM, LC_TERMINAL (iTerm2 sets it, and ssh passes
 * LC_*), KITTY_WINDOW_ID. TERMNOTIFY_NONE when nothing says. Inside tmux
 * TERM_PROGRAM is "tmux": the outer terminal is then known only through
 * LC_TERMINAL or KITTY_WINDOW_ID, or by choosing the kind. */
enum termnotify_kind termnotify_detect(const char *term, const char *term_program, const char *lc_terminal,
				       const char *kitty_window_id);

/* The bytes that show title and body (UTF-8 made safe by the caller: no
 * control characters) as a notification; ';' in the title of OSC 777,
 * which separates its fields, becomes ','. in_tmux wraps it for tmux.
 * Returns the length (out always terminated), 0 for TERMNOTIFY_NONE or
 * when out is too small for all of it. */
size_t termnotify_format(enum termnotify_kind kind, bool in_tmux, const char *title, const char *body,
			 char *out, size_t size);

#endif
