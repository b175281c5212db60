/* The practice history: one line per session in $XDG_STATE_HOME/lull/history.tsv,
 * appended under an exclusive lock. (Owned by the history area.) */
#ifndef LULL_HISTORY_H
#define LULL_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

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
};

/* Appends one entry (creating the file 0600 and the directory 0700). 0 on
 * success, -1 with a message in err. */
int history_append(const struct history_entry *e, char *err, size_t errsize);

#endif
