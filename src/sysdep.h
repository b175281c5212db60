/* SPDX-License-Identifier: ISC */
/* The small Linux-only calls, each with its POSIX path, chosen by configure
 * (HAVE_PIPE2, HAVE_PPOLL, HAVE_PRCTL; ./configure --disable-linux-apis
 * takes the POSIX path for all). The larger ones live where they are used:
 * signalfd, timerfd, inotify and CLOCK_BOOTTIME in remind_daemon.c, inotify
 * in banner.c, pidfd_open in notify.c, close_range in spawn.c. */
#ifndef LULL_SYSDEP_H
#define LULL_SYSDEP_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

/* A pipe whose two ends are close-on-exec and, when nonblock, non-blocking:
 * pipe2, or pipe and fcntl (there, an exec in another thread between the
 * two may inherit the ends; lull forks only from the UI thread). 0, or -1
 * with errno. */
int sys_pipe(int fd[2], bool nonblock);

/* poll with a timeout in nanoseconds (negative: none): ppoll, or poll with
 * the timeout rounded up to the millisecond (never early, at most 1 ms
 * late). As poll returns. */
int sys_poll_ns(struct pollfd *p, nfds_t n, int64_t timeout_ns);

/* Sends sig to handler from now on, interrupted calls restarted, nothing
 * masked: the one way lull's loops catch a signal (each handler writes a
 * byte to a self-pipe). */
void sys_catch_signal(int sig, void (*handler)(int));

/* Asks the kernel to coalesce this thread's timer wake-ups as little as it
 * can (PR_SET_TIMERSLACK to 1 ns); nothing where there is no such knob. */
void sys_timer_slack_min(void);

#endif
