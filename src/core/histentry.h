/* SPDX-License-Identifier: ISC */
/* What the history holds, as plain data: a session and a morning check-in.
 * The core reads them (stats.h) and the shell reads and writes them
 * (history.h, the file): the types live here, under both. */
#ifndef LULL_HISTENTRY_H
#define LULL_HISTENTRY_H

#include <stdbool.h>
#include <time.h>

/* A session shorter than this that was not finished is not practice. */
#define HISTORY_PRACTICE_MIN_S 30.0

enum history_end {
	HISTORY_FINISHED,
	HISTORY_QUIT,   /* q, Esc */
	HISTORY_HANGUP, /* the terminal went away */
	HISTORY_SIGNAL, /* SIGTERM, SIGINT */
};

struct history_entry {
	time_t start;            /* UTC seconds */
	long utc_offset_s;       /* local offset at start */
	char program[64];
	double planned_s;
	double actual_s;         /* session seconds (time scale undone) */
	enum history_end end;
	char sounds[128];        /* comma-separated layer names, "" for none */
	int tension_before;      /* 0..10, -1 when not asked or skipped */
	int tension_after;
	char area[24];           /* body area of the check-in, "" for none */
	/* Added by the history area. history_append ignores this field and
	 * writes history_is_practice(e); the reader fills it from the file. */
	bool practice;
};

/* The morning follow-up (`lull checkin`), its own record kind, linked to the
 * previous night's session by that session's start time. */
struct history_morning {
	time_t at;               /* UTC seconds of the check-in */
	long utc_offset_s;
	bool linked;             /* false: no session the night before */
	time_t session_start;    /* UTC seconds of the linked session */
	long session_offset_s;
	int sleep;               /* sleep quality 0..10, -1 skipped */
	int pain;                /* pain on waking 0..10, -1 skipped */
	char area[24];           /* "" for none */
};

#endif
