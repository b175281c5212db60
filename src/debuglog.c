/* SPDX-License-Identifier: ISC */
/* The debug log: see debuglog.h. */
#include "config.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "debuglog.h"
#include "file.h"
#include "paths.h"
#include "thread.h"

atomic_bool debug_active;

/* Both written by debug_init only, before any other thread runs. */
static int log_fd = -1;
static char *log_path;

static bool wanted(bool verbose)
{
	const char *v = getenv("LULL_DEBUG");
	return verbose || (v && *v && strcmp(v, "0") != 0);
}

static void close_log(void)
{
	atomic_store(&debug_active, false);
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
	free(log_path);
	log_path = NULL;
}

bool debug_init(bool verbose)
{
	close_log();
	if (!wanted(verbose))
		return false;
	char *dir = paths_make_dir(PATH_STATE);
	if (!dir)
		return false;
	free(dir);
	log_path = paths_file(PATH_STATE, "debug.log");
	log_fd = log_path ? file_open_write(log_path, O_APPEND) : -1;
	if (log_fd < 0) {
		close_log();
		return false;
	}
	atomic_store(&debug_active, true);
	char wall[64] = "";
	time_t now = time(NULL);
	struct tm tm;
	if (localtime_r(&now, &tm))
		strftime(wall, sizeof wall, "%Y-%m-%d %H:%M:%S %z", &tm);
	debug_write(__func__, "lull %s, pid %ld: log opened at %s", PACKAGE_VERSION, (long)getpid(), wall);
	return true;
}

const char *debug_path(void)
{
	return debug_enabled() ? log_path : NULL;
}

__attribute__((format(printf, 2, 0)))
static void write_line(const char *func, const char *fmt, va_list ap)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	char thread[16];
	thread_name_self(thread, sizeof thread);
	char line[512];
	int n = snprintf(line, sizeof line, "%lld.%06ld %s %s: ", (long long)ts.tv_sec, ts.tv_nsec / 1000,
	                 thread, func);
	if (n < 0)
		return;
	size_t used = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
	n = vsnprintf(line + used, sizeof line - used, fmt, ap);
	if (n < 0)
		return;
	used += (size_t)n;
	if (used > sizeof line - 2) { /* cut: still one whole line */
		used = sizeof line - 2;
		memcpy(line + used - 3, "...", 3);
	}
	line[used++] = '\n';
	/* One write to an O_APPEND file: lines from other threads never cut
	 * into it. A full disk loses the line, never the session. */
	(void)!write(log_fd, line, used);
}

void debug_write(const char *func, const char *fmt, ...)
{
	if (!debug_enabled())
		return;
	va_list ap;
	va_start(ap, fmt);
	write_line(func, fmt, ap);
	va_end(ap);
}

void debug_write_late(const char *func, const char *prefix, const char *what, int64_t deadline_ns,
                      int64_t now_ns)
{
	if (deadline_ns <= 0 || deadline_ns == INT64_MAX) { /* nothing was due: a key, a signal */
		debug_write(func, "%s%s: no deadline", prefix, what);
		return;
	}
	int64_t d = now_ns - deadline_ns, mag = d < 0 ? -d : d;
	debug_write(func, "%s%s: %s %lld.%03lld ms", prefix, what, d < 0 ? "early" : "late",
	            (long long)mag / 1000000, (long long)mag / 1000 % 1000);
}
