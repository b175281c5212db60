/* SPDX-License-Identifier: ISC */
/* `lull stats --json` and `--csv`: the record and its summary for people who
 * keep their own notes or share them with a therapist. */
#ifndef LULL_STATSEXPORT_H
#define LULL_STATSEXPORT_H

#include <stdio.h>

#include "history.h"
#include "stats.h"

struct statsexport {
	const struct stats *s;
	const struct history *h;  /* entries sorted by start */
	long today, since;        /* since: STATS_ALL_TIME for all */
	int first_weekday;
};

/* One JSON object: the summary, then "sessions" and "mornings" in range. */
void statsexport_json(FILE *f, const struct statsexport *x);

/* RFC 4180 CSV, one row per session in range, with the morning after it. */
void statsexport_csv(FILE *f, const struct statsexport *x);

#endif
