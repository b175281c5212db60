/* The terminal: curses set-up and restore, signals through a self-pipe, and
 * hang-up detection. Only the UI thread calls this (and curses).
 *
 * Signals: a handler only writes the signal number to a non-blocking pipe
 * that the event loop polls, so a signal never waits for a time-out. */
#ifndef LULL_TTY_H
#define LULL_TTY_H

#include <stdbool.h>
#include <stddef.h>

/* Installs the handlers (SIGWINCH, SIGTERM, SIGINT, SIGHUP unless it was
 * ignored, SIGTSTP, SIGCONT) and ignores SIGPIPE. 0 or -1. */
int tty_signals_init(void);
/* The pipe's read end, for poll(). */
int tty_signal_fd(void);
/* The next pending signal number, 0 when none is left. */
int tty_next_signal(void);

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
/* After SIGWINCH: reads the size from the terminal and resizes curses. */
void tty_resize(void);
/* Ctrl-Z: restores the terminal, stops the process; returns after SIGCONT
 * with curses set up again (the caller redraws). */
void tty_suspend(void);
/* The terminal went away: poll() reports POLLHUP, POLLERR or POLLNVAL on
 * fd, or it reads as end of file. */
bool tty_fd_hung_up(int fd);
/* Restores default handling of sig and raises it, so the parent sees the
 * true cause of death. Returns only if the signal does not kill. */
void tty_reraise(int sig);

#endif
