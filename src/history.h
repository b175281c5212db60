/* SPDX-License-Identifier: ISC */
/* The practice history: one line per session in $XDG_STATE_HOME/lull/history.tsv,
 * appended under an exclusive lock. (Owned by the history area.)
 *
 * The file is TSV, versioned by its first line ("#lull-history 1"); lines
 * starting with '#' are comments. Each record starts with its kind:
 *   session  start  program  planned_s  actual_s  end  practice  sounds
 *            tension_before  tension_after  area
 *   morning  at  session_start  sleep  pain  area
 * Times are local ISO 8601 with their UTC offset ("2026-11-24T22:10:05+01:00"),
 * so the local date of every entry is exact whatever the time zone does later.
 * Empty text and unanswered check-ins are written "-". See lull(1). */
#ifndef LULL_HISTORY_H
#define LULL_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "histentry.h" /* struct history_entry, struct history_morning */

#define HISTORY_VERSION 1
#define HISTORY_LEAF "history.tsv"

/* Everything read from a history file. */
struct history {
	struct history_entry *entries;
	size_t n, cap;
	struct history_morning *mornings;
	size_t nm, capm;
	int version;             /* of the file's header (HISTORY_VERSION if none) */
	size_t bad_lines;        /* reported and skipped */
};

/* Appends one entry (creating the file 0600 and the directory 0700). 0 on
 * success, -1 with a message in err. Any records history_save kept pending
 * beside the file go in first. */
int history_append(const struct history_entry *e, char *err, size_t errsize);

/* The session's append: history_append, and when the history cannot be
 * written (a full disk, a read-only directory, history.tsv a directory or a
 * FIFO), the record kept in history.pending beside it, which the next
 * append that works adds first. 0 written; 1 not written but kept (err says
 * why, and where); -1 neither (err says why; line holds the record, for the
 * person to keep). line: at least 1024 bytes. */
int history_save(const struct history_entry *e, char *line, size_t linesize,
                 char *err, size_t errsize);

/* --- pure helpers (no I/O) --- */

/* Finished, or lasted at least HISTORY_PRACTICE_MIN_S. */
bool history_is_practice(const struct history_entry *e);
const char *history_end_name(enum history_end end);  /* "finished", ... */
bool history_end_parse(const char *s, enum history_end *end);

/* The header lines a new file starts with ('\n'-terminated). */
const char *history_header(void);

/* One record line, '\n'-terminated, into buf. Returns the length it needs
 * (like snprintf); text fields have tabs and control characters replaced. */
size_t history_format_entry(const struct history_entry *e, char *buf, size_t size);
size_t history_format_morning(const struct history_morning *m, char *buf, size_t size);

enum history_line {
	HISTORY_LINE_SKIP,     /* blank or comment */
	HISTORY_LINE_SESSION,  /* *e filled */
	HISTORY_LINE_MORNING,  /* *m filled */
	HISTORY_LINE_BAD,      /* message in err */
};

/* Parses one line (without its '\n'). version is the file's: a newer
 * version may add columns at the end and new kinds, which are ignored. */
enum history_line history_parse_line(const char *line, int version,
                                     struct history_entry *e,
                                     struct history_morning *m,
                                     char *err, size_t errsize);

/* Parses a whole file's text into h (appending). Every bad line is counted
 * in h->bad_lines and skipped; the first HISTORY_WARN_MAX are reported to
 * warn (if not NULL) as "NAME:LINE: message", made safe for a terminal,
 * then a count of the rest. At most HISTORY_MAX_RECORDS sessions and as
 * many mornings are kept, the latest (with a note). */
void history_parse_text(const char *text, size_t len, const char *name,
                        struct history *h, FILE *warn);

#define HISTORY_WARN_MAX 20
#define HISTORY_MAX_RECORDS 100000u /* of each kind: 270 years of nights */

/* The same, fed in chunks of any size (history_load streams the file). */
struct history_reader {
	struct history *h;
	const char *name;
	FILE *warn;
	size_t lineno;
	size_t warned, unshown, dropped;
	char pending[1024];        /* a line split across chunks */
	size_t len;
	bool too_long;
};
void history_reader_init(struct history_reader *r, struct history *h, const char *name, FILE *warn);
void history_reader_feed(struct history_reader *r, const char *buf, size_t n);
void history_reader_end(struct history_reader *r);

void history_init(struct history *h);
void history_free(struct history *h);

/* --- the file --- */

/* $XDG_STATE_HOME/lull/history.tsv (not created); NULL without a home. Caller frees. */
char *history_path(void);

/* As history_append / a morning record, to a given file (its directory must exist). */
int history_append_to(const char *path, const struct history_entry *e, char *err, size_t errsize);
int history_append_morning(const struct history_morning *m, char *err, size_t errsize);
int history_append_morning_to(const char *path, const struct history_morning *m,
                              char *err, size_t errsize);

/* Reads the file into h, streaming it (any size; memory as
 * history_parse_text says); a missing file is an empty history. 0, or -1
 * with a message in err when it cannot be read. */
int history_load(const char *path, struct history *h, FILE *warn, char *err, size_t errsize);

/* Rewrites the file in canonical form: a fresh header, every readable record,
 * unreadable lines kept as "#unreadable (line N): ..." comments, blank lines
 * dropped. Temp file, fsync, rename (refused when path is a symbolic link,
 * which the rename would replace); the file's times are kept (reminders
 * read its mtime as the time of the last session). Counts go to *kept and
 * *commented (may be NULL). 0, or -1 with a message in err. */
int history_compact(const char *path, FILE *warn, size_t *kept, size_t *commented,
                    char *err, size_t errsize);

#endif
