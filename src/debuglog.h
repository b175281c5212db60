/* SPDX-License-Identifier: ISC */
/* A debug log a user can turn on, to read a timing report from the field:
 * LULL_DEBUG=1 in the environment or `lull -v`. One line per event, with the
 * CLOCK_MONOTONIC time (seconds, to the microsecond: the same clock as every
 * deadline and at_ns in lull, so they can be compared), the thread and the
 * function, appended to $XDG_STATE_HOME/lull/debug.log (mode 0600). Never to
 * the screen or stderr: a log that cannot be opened is no log.
 *
 * Off (the default), each call is one branch. Any thread may log: a line is
 * formatted on the caller's stack and goes out in one write(2) to a file
 * opened O_APPEND, so lines from different threads never interleave. */
#ifndef LULL_DEBUGLOG_H
#define LULL_DEBUGLOG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* Set by debug_init only; read (relaxed) everywhere through the macros. */
extern atomic_bool debug_active;

/* Turns the log on if verbose or LULL_DEBUG is set to anything but "" or
 * "0", and opens the file (a first line says who opened it and when, on the
 * wall clock). Call before starting any thread; calling again closes the
 * file and decides afresh (for tests). Returns whether the log is on. */
bool debug_init(bool verbose);

/* The log file's path while it is on, else NULL. */
const char *debug_path(void);

#define debug_enabled() atomic_load_explicit(&debug_active, memory_order_relaxed)

/* debug_log("%d underruns", n): printf-style, the caller's function named. */
#define debug_log(...)                                   \
	do {                                             \
		if (debug_enabled())                     \
			debug_write(__func__, __VA_ARGS__); \
	} while (0)

/* A wake-up for `what` (a word or two: "phase", "second", "audio post"),
 * due at deadline_ns and come at now_ns (CLOCK_MONOTONIC): logs how late
 * (or early) it came, in milliseconds. */
#define debug_wake(what, deadline_ns, now_ns)                                        \
	do {                                                                         \
		if (debug_enabled())                                                 \
			debug_write_late(__func__, "wake ", (what), (deadline_ns), (now_ns)); \
	} while (0)

/* The same for anything else due at a time: "what: late 1.250 ms". */
#define debug_late(what, deadline_ns, now_ns)                                   \
	do {                                                                    \
		if (debug_enabled())                                            \
			debug_write_late(__func__, "", (what), (deadline_ns), (now_ns)); \
	} while (0)

/* What the macros call when the log is on. */
void debug_write(const char *func, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void debug_write_late(const char *func, const char *prefix, const char *what, int64_t deadline_ns,
                      int64_t now_ns);

#endif
