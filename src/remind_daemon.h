/* SPDX-License-Identifier: ISC */
/* The reminder daemon: one per user, asleep until the next reminder.
 *
 * It holds a lock on $XDG_RUNTIME_DIR/lull/remind.pid (flock; the file holds
 * its pid) and waits in poll() on four descriptors, with no time-out:
 *  - a timerfd on CLOCK_REALTIME armed at the next fire instant, absolute,
 *    with TFD_TIMER_CANCEL_ON_SET: a wall-clock change (by hand, NTP, resume
 *    from suspend) cancels it and wakes the daemon;
 *  - signalfds: SIGTERM and SIGINT end it at once (even in the middle of a
 *    delivery, which watches the same descriptor), SIGHUP re-reads;
 *  - inotify on the config directory (the reminder file) and on /etc (a new
 *    /etc/localtime); the commands that change the state (snooze, skip, add,
 *    remove) send SIGHUP;
 * and recomputes everything after every wake-up. A resume from suspend is
 * also recognised by CLOCK_BOOTTIME running ahead of CLOCK_MONOTONIC.
 *
 * Each of those is Linux's; built without one (./configure
 * --disable-linux-apis, or a system that lacks it) the daemon takes the
 * POSIX path for it: a self-pipe per kind of signal instead of the
 * signalfds; a poll time-out of at most a minute instead of the timerfd,
 * the wall clock read again at each wake-up and a move of it against the
 * monotonic clock (a change, or a resume) recomputing (core/wake.h); a stat
 * of the reminder file and /etc/localtime at each wake-up instead of
 * inotify, besides the SIGHUP. */
#ifndef LULL_REMIND_DAEMON_H
#define LULL_REMIND_DAEMON_H

#include <stdbool.h>

/* The exit status when another daemon already runs: not 1, so that the
 * unit's RestartPreventExitStatus= tells it from a failure (with 1,
 * Restart=on-failure started a second daemon again and again until the start
 * limit). lull(1) EXIT STATUS names it. */
#define REMIND_EXIT_RUNNING 3

/* Runs the daemon; returns the exit status (REMIND_EXIT_RUNNING when another
 * one runs, 1 on failure). */
int remind_daemon_run(bool detach);

/* The pid of the running daemon, or 0. */
long remind_daemon_pid(void);

#endif
