/* SPDX-License-Identifier: ISC */
/* History entries -> what `lull stats` shows (pure: no I/O, no clock, no
 * locale; the shell passes today's local date and the first weekday in).
 *
 * Days are local dates, each entry's from its own stored UTC offset. Only
 * practice sessions (e->practice: finished, or at least
 * HISTORY_PRACTICE_MIN_S) count towards days, weeks, streaks and minutes;
 * every session with both check-ins counts towards tension.
 *
 * The forgiving streak. Weeks start on the locale's first weekday. A week is
 * kept when it holds at least N practice days (N = streak_days, 1..7). The
 * first week of the record asks for no more days than it had left from the
 * first practice day on. The week in progress never breaks a streak: it joins
 * it once it is kept. The current streak is the run of kept weeks that ends
 * with the last complete week (plus this week if kept already); the longest
 * is the longest such run anywhere. Both count weeks, and the practice days
 * inside them. */
#ifndef LULL_STATS_H
#define LULL_STATS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "histentry.h"

#define STATS_WEEKS 12        /* the weekly bar chart */
#define STATS_HEAT_WEEKS 26   /* the calendar heat map, about six months */
#define STATS_TREND 24        /* check-ins in a sparkline */
#define STATS_PROGRAMS 16     /* programs listed with their tension change */
#define STATS_ALL_TIME LONG_MIN

struct stats_input {
	const struct history_entry *entries;
	size_t n;
	const struct history_morning *mornings;
	size_t nm;
	long today;           /* local day number (histdate.h) */
	int first_weekday;    /* 0 Sunday .. 6 Saturday */
	int streak_days;      /* N, clamped to 1..7 */
	long since;           /* first local day counted, or STATS_ALL_TIME */
};

struct stats_week {
	long start;           /* its first day */
	int sessions;         /* practice sessions */
	int days;             /* practice days */
	double minutes;
};

/* Before/after tension: change = after - before, negative = easier. */
struct stats_tension {
	char program[64];     /* "" overall */
	int count;            /* sessions with both answers */
	double before, after, change; /* averages */
	int ntrend;
	double trend[STATS_TREND]; /* relief (before - after) of the last check-ins, oldest first */
};

struct stats {
	size_t sessions;          /* every record in range, practice or not */
	size_t practice_sessions;
	size_t practice_days;
	double total_minutes;     /* of practice */
	long first_day, last_day; /* practice days; only valid when practice_days > 0 */

	long week_start;          /* this week */
	int week_days;            /* practice days this week so far */
	unsigned week_mask;       /* bit i: practice on week_start + i */
	bool week_kept;
	int streak_days;          /* N used */
	int streak_weeks, streak_day_count;     /* current */
	int longest_weeks, longest_day_count;
	double recent_per_week;   /* practice days a week over the last 28 days */

	struct stats_week weeks[STATS_WEEKS]; /* oldest first; the last is this week */
	int weeks_max_sessions;
	double weeks_max_minutes;

	long heat_start;          /* a week start; 7 * STATS_HEAT_WEEKS days follow */
	double heat[7 * STATS_HEAT_WEEKS]; /* practice minutes; -1 after today */
	double heat_max;

	struct stats_tension tension;
	struct stats_tension programs[STATS_PROGRAMS]; /* most check-ins first */
	size_t nprograms;

	int mornings;
	int sleep_count, pain_count;
	double sleep_avg, pain_avg;
};

/* Fills *out; allocates nothing that outlives the call. */
void stats_compute(const struct stats_input *in, struct stats *out);

/* Two morning check-ins are for the same night when they link the same
 * session, or, linking none, were made on the same local day. The later
 * replaces the earlier: stats_compute counts one a night. */
bool stats_same_night(const struct history_morning *a, const struct history_morning *b);

/* A kind sentence or two on frequency, from what the person actually does. */
void stats_note(const struct stats *s, char *buf, size_t size);

/* Converts a locale's week description to 0 (Sunday) .. 6 (Saturday):
 * week_1stday is _NL_TIME_WEEK_1STDAY as YYYYMMDD (a day whose weekday is
 * day 1), first_weekday is _NL_TIME_FIRST_WEEKDAY (1-based from it). */
int stats_first_weekday(unsigned long week_1stday, int first_weekday);

#endif
