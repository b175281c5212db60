/* SPDX-License-Identifier: ISC */
/* Showing the stats: the full screen (ncursesw: night palette or monochrome,
 * eighth-block bars, a calendar heat map) and the same summary as plain text
 * for a pipe or a file. */
#ifndef LULL_STATSVIEW_H
#define LULL_STATSVIEW_H

#include <stdbool.h>
#include <stdio.h>

#include "stats.h"

struct statsview_ctx {
	const struct stats *s;
	long today;          /* local day number */
	long since;          /* STATS_ALL_TIME or the --since day */
	int first_weekday;   /* 0 Sunday .. 6 Saturday */
	bool color;          /* the night palette; false: monochrome (NO_COLOR) */
	bool utf8;           /* block characters; false: ASCII */
	bool eighths;        /* eighth blocks (false on the Linux console): whole ones */
	const char *warnings; /* reader warnings to show after the screen closes */
};

/* The summary as text lines. */
void statsview_print(FILE *f, const struct statsview_ctx *c);

/* The interactive screen, until q (or Esc), a hang-up or SIGTERM/SIGINT.
 * Returns the exit status: 0, or 1 when the terminal went away. */
int statsview_run(const struct statsview_ctx *c);

#endif
