/* SPDX-License-Identifier: ISC */
/* The reminder daemon's wait where there is no timerfd (POSIX alone): a
 * poll time-out, never longer than a minute, after which the wall clock is
 * read again. A wall-clock change (by hand, NTP, a resume from suspend) is
 * then noticed within a minute, where a timerfd with TFD_TIMER_CANCEL_ON_SET
 * would hear of it at once. No I/O, no clock. */
#ifndef LULL_WAKE_H
#define LULL_WAKE_H

#include <stdbool.h>
#include <stdint.h>

#define WAKE_MAX_NS (60 * 1000000000LL) /* the longest wait: a minute */

/* Nanoseconds to wait from now (CLOCK_REALTIME, ns) until the instant next
 * (seconds; INT64_MAX for none), at most WAKE_MAX_NS; 0 when next is due. */
int64_t wake_wait_ns(int64_t now_ns, int64_t next_s);

/* True when the wall clock moved against the monotonic one by a second or
 * more between two readings of real - mono (ns): it was set, or the system
 * slept (CLOCK_MONOTONIC stands still in a suspend, the wall clock does
 * not). NTP's slewing moves it by far less. */
bool wake_clock_moved(int64_t before_ns, int64_t after_ns);

#endif
