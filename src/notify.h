/* SPDX-License-Identifier: ISC */
/* Delivery of a reminder: the daemon's side, with fork/exec (the marker an
 * open lull reads is banner.h's, so the UI does not depend on this).
 *
 * Channels (each can be turned off in the settings):
 *  - notify-send, when a session bus is reachable (DBUS_SESSION_BUS_ADDRESS
 *    set, or $XDG_RUNTIME_DIR/bus exists);
 *  - tmux display-message, to every client of every tmux server of the user
 *    (the sockets in $TMUX_TMPDIR/tmux-UID, default /tmp);
 *  - a bell and one line on the daemon's terminal, when it has one;
 *  - always: the banner marker (banner.h).
 * External programs run from argument vectors (never through a shell), with
 * their output discarded and a 2-second time-out; a failure is logged to
 * $XDG_STATE_HOME/lull/remind.log and does not stop the others. */
#ifndef LULL_NOTIFY_H
#define LULL_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>

struct notify_config {
	bool desktop;  /* notify-send */
	bool tmux;     /* tmux display-message */
	bool terminal; /* bell + line on the terminal (if it is one) */
	int term_fd;   /* that terminal, -1 for none */
	int cancel_fd; /* readable = stop now (the daemon's SIGTERM); -1 for none */
	int osc;       /* a terminal notification on term_fd (termnotify.h kind; 0 none) */
	bool osc_tmux; /* ... wrapped for tmux to pass on (the daemon runs in tmux) */
};

/* Delivers text, made safe first (text_sanitize), on every enabled channel
 * and writes the marker. Returns the number of channels that delivered (the
 * marker counts). */
int notify_deliver(const struct notify_config *cfg, const char *text);

/* Runs argv (argv[0] looked up in PATH) with stdin/stdout/stderr on
 * /dev/null, killing it after timeout_ms. Returns its exit status, or -1 when
 * it could not run, died of a signal or was killed. If out is not NULL, its
 * standard output (up to n - 1 bytes) is kept there instead. */
int notify_run(char *const argv[], int timeout_ms, char *out, size_t n);

/* The same, but gives up at once (killing the program, returning -2) when
 * cancel_fd becomes readable; -1 for none. */
int notify_run_until(char *const argv[], int timeout_ms, int cancel_fd, char *out, size_t n);

/* Appends one time-stamped line to $XDG_STATE_HOME/lull/remind.log, the log
 * of deliveries and of the daemon. */
void notify_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
