/* SPDX-License-Identifier: ISC */
/* The end-to-end harness: runs a program in a pseudo-terminal of a given size,
 * types keys, resizes, hangs up (closes the master, as an SSH drop does),
 * records every byte the program writes with the time it arrived, and reads the
 * screen back through libvterm, a real terminal emulator, as a person sees it. */
#ifndef LULL_HARNESS_H
#define LULL_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct pty;

struct pty_options {
	int rows, cols;           /* 24x80 when 0 */
	const char *const *env;   /* extra "NAME=value" (or "NAME" to unset), NULL-ended */
	bool ignore_sighup;       /* start the child with SIGHUP ignored */
};

/* One read from the master: when it arrived and where its bytes are. */
struct pty_chunk {
	double t;                 /* pty_now() seconds */
	size_t offset, len;       /* into pty_output() */
};

/* Seconds on CLOCK_MONOTONIC. */
double pty_now(void);

/* Starts argv[0] (searched on PATH) with TERM=xterm-256color and LC_ALL=C.UTF-8
 * unless env overrides them. Aborts the test run on failure to fork. */
struct pty *pty_spawn(const char *const argv[], const struct pty_options *opt);
pid_t pty_pid(const struct pty *p);

void pty_send(struct pty *p, const char *keys);
void pty_sendn(struct pty *p, const void *bytes, size_t n);
void pty_resize(struct pty *p, int rows, int cols);
void pty_hangup(struct pty *p);      /* closes the master; returns at once */
int pty_signal(struct pty *p, int sig);

/* Reads what is there (waiting up to timeout_ms for the first byte) into the
 * log and the emulator. Returns bytes read, 0 on time-out, -1 once the master
 * reports end of file or error (the child and its terminal are gone). */
long pty_pump(struct pty *p, int timeout_ms);

/* Pumps until the screen contains text (UTF-8) or the time runs out. */
bool pty_wait_text(struct pty *p, const char *text, int timeout_ms);
/* Pumps until the screen no longer contains text. */
bool pty_wait_no_text(struct pty *p, const char *text, int timeout_ms);
/* Time of the chunk after which the last successful wait matched. */
double pty_match_time(const struct pty *p);

/* The screen: rows joined by '\n', trailing blanks trimmed. The buffer is
 * the harness's: do not free it; the next call rewrites it (and may move it
 * after a resize). */
const char *pty_screen(struct pty *p);
/* One row (0-based), trailing blanks trimmed; a buffer of its own, kept
 * the same way. */
const char *pty_row(struct pty *p, int row);
bool pty_screen_has(struct pty *p, const char *text);
/* What a cell (0-based) is drawn with: PTY_BOLD, PTY_REVERSE, PTY_UNDERLINE
 * or'ed; 0 outside the screen. */
enum { PTY_BOLD = 1, PTY_REVERSE = 2, PTY_UNDERLINE = 4 };
unsigned pty_cell_attrs(const struct pty *p, int row, int col);
void pty_cursor(const struct pty *p, int *row, int *col);
void pty_size(const struct pty *p, int *rows, int *cols);

/* Waits for the child to exit, pumping output meanwhile. True if it exited in
 * time; *status gets the waitpid status. */
bool pty_wait_exit(struct pty *p, int timeout_ms, int *status);
/* When the exit was observed (pty_now() seconds), or 0 if not yet. */
double pty_exit_time(const struct pty *p);

/* Every byte written so far, and the chunk log. */
const char *pty_output(const struct pty *p, size_t *len);
const struct pty_chunk *pty_chunks(const struct pty *p, size_t *count);

/* Kills the child if it still runs, reaps it, frees everything. */
void pty_free(struct pty *p);

/* The lull under test: $LULL_BIN, else "./lull". */
const char *pty_lull_path(void);

#endif
