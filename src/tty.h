/* SPDX-License-Identifier: ISC */
/* The terminal: curses set-up and restore, and the one wait every screen of
 * lull runs on. Only the UI thread calls this (and curses).
 *
 * Signals: a handler only writes the signal number to a non-blocking pipe
 * that the wait polls, so a signal never waits for a time-out. Everything
 * the terminal can do to a screen — a key, a resize, Ctrl-Z and fg, a
 * hang-up, SIGTERM — comes back from tty_wait() as one event, and each
 * screen (session, menu, stats, check-in) is a handler of those events run
 * by tty_run(). */
#ifndef LULL_TTY_H
#define LULL_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Installs the handlers (SIGWINCH, SIGTERM, SIGINT, SIGHUP unless it was
 * ignored, SIGTSTP, SIGCONT) and ignores SIGPIPE. 0 or -1. */
int tty_signals_init(void);

/* Whether full-screen mode is possible: false with a reason in why when
 * stdout is not a terminal, TERM is unset, "dumb" or unknown to terminfo.
 * why is "" when the reason needs no explaining (a pipe, TERM=dumb). */
bool tty_can_curses(char *why, size_t size);

/* newterm() on the terminal; never exits the process. False on failure.
 * The terminal is restored at exit (atexit) if tty_close() was not called. */
bool tty_open(void);
void tty_close(void);
bool tty_is_open(void);
/* The locale's codeset is UTF-8 (eighth blocks can be drawn). */
bool tty_utf8(void);
/* s as this terminal can show it: s itself where the locale is UTF-8
 * (tty_utf8), else with its typographic marks in ASCII (text_ascii_marks)
 * in buf. The one rule for every text lull writes: tty_put applies it. */
const char *tty_text(const char *s, char *buf, size_t size);
/* Whether the eighth blocks (U+2589..U+258F, U+2581..U+2587) can be drawn:
 * UTF-8, and not the Linux console (TERM=linux), whose fonts lack them
 * and show a lozenge in their place. */
bool tty_eighth_blocks(void);

/* Plain mode on a terminal, for screen readers: keys one at a time and not
 * echoed (so they do not land in the transcript), Ctrl-C still a signal;
 * tty_wait() then returns them as TTY_KEY (bytes; an escape sequence such
 * as an arrow is dropped whole, a lone Esc is 27). False, and nothing
 * changed, when stdin is not the foreground terminal. Restored by
 * tty_plain_keys_off(), at exit, and around Ctrl-Z. */
bool tty_plain_keys(void);
void tty_plain_keys_off(void);

/* Restores default handling of sig and raises it, so the parent sees the
 * true cause of death. Returns only if the signal does not kill. */
void tty_reraise(int sig);

/* ------------------------------------------------------------ the wait */

enum tty_event_kind {
	TTY_KEY,      /* .key: a key, as curses' getch() gives it */
	TTY_RESIZE,   /* the size changed; curses has the new LINES and COLS */
	TTY_SUSPEND,  /* Ctrl-Z: quiet what must not run while stopped (the
	               * sound, the session clock); the next wait stops lull */
	TTY_RESUME,   /* back from the stop: curses is set up again, the size
	               * may have changed; redraw everything */
	TTY_HANGUP,   /* the terminal went away (SIGHUP ignored, end of file,
	               * an error on it) */
	TTY_FATAL,    /* .sig: SIGTERM, SIGINT or SIGHUP: end now, restore the
	               * terminal, then tty_reraise(.sig) */
	TTY_DEADLINE, /* the deadline passed */
	TTY_FD,       /* .fd: one of the caller's descriptors is readable (the
	               * caller drains it) */
};

struct tty_event {
	enum tty_event_kind kind;
	int key;
	int sig;
	int fd;
};

#define TTY_NO_DEADLINE INT64_MAX

/* Sleeps until something happens, and says what: at most until deadline_ns
 * (an absolute CLOCK_MONOTONIC time, or TTY_NO_DEADLINE), watching the keys
 * (while curses is open, or in plain mode after tty_plain_keys()), the
 * signals, the terminal for a hang-up (stdin with curses, stdout in plain
 * mode when it is a terminal) and the caller's fds. One event per call; what else is pending comes from the next calls,
 * the most urgent first: fatal signal, hang-up, suspend/resume, resize,
 * then keys and fds, then the deadline. Never spins: each call either
 * returns something pending or blocks. */
struct tty_event tty_wait(int64_t deadline_ns, const int *fds, size_t nfds);

/* A screen, as tty_run() drives it. */
struct tty_view {
	/* Shows what is due now (only what changed reaches the terminal);
	 * called before every wait. false: the view has ended by itself. */
	bool (*draw)(void *ctx);
	/* When the view must be drawn again even if nothing happens
	 * (CLOCK_MONOTONIC ns), or TTY_NO_DEADLINE. NULL: never. */
	int64_t (*deadline)(void *ctx);
	/* One event; false ends the run. */
	bool (*handle)(void *ctx, const struct tty_event *ev);
	/* More descriptors to watch (TTY_FD), or NULL; read before every
	 * wait, so the view may change them as it goes. */
	const int *fds;
	size_t nfds;
};

/* Draw, wait, handle, until the view says done. */
void tty_run(const struct tty_view *v, void *ctx);

/* ------------------------------------------------------------ text */

/* Draws UTF-8 text from any source at row y, column x, at most cols
 * columns wide (and never past the right edge; a text too wide is
 * shortened at a word with an ellipsis), through the one sanitiser
 * (text.h: invalid bytes, control and bidi characters are shown as a
 * replacement character). attr and pair as curses' attr_set() takes them.
 * Returns the columns drawn. */
int tty_put(int y, int x, int cols, unsigned attr, short pair, const char *utf8);

#endif
