/* SPDX-License-Identifier: ISC */
/* The reminder scheduler: a pure function of (rule, state, now, time zone).
 *
 * Everything here is calendar arithmetic on local dates: a reminder's instant
 * on a date is found from the date and the minute of the day, never from
 * "the previous instant + 86,400 s", so a daylight-saving night moves nothing
 * else. No clock is read and no environment is looked at: the time zone comes
 * in as a struct sched_zone, whose only question is "what is the UTC offset in
 * effect at this instant?" (src/zone.c answers it from the system's zoneinfo).
 * The handling of gaps, overlaps, day sets and "once per date" is all here.
 *
 * Rules on a daylight-saving night:
 *  - a local time that does not exist (spring forward, 02:30 in a 02:00→03:00
 *    gap) fires at the first instant after the gap (03:00);
 *  - a local time that occurs twice (fall back) fires once, at the first.
 *
 * Each occurrence has an "evening": from its instant until the next local
 * wall time evening_end_min minutes after midnight (02:00 by default). An
 * occurrence missed (suspend, machine off, clock jump) still fires once while
 * its evening lasts, and is dropped after. */
#ifndef LULL_SCHEDULE_H
#define LULL_SCHEDULE_H

#include <stdbool.h>
#include <stdint.h>

/* A local calendar date as a day number: days since 1970-01-01 (the day
 * numbers of calendar.h, in 32 bits: enough for any year lull meets). */
typedef int32_t sched_day;
#define SCHED_NEVER INT32_MIN /* "no such date" in a state field */

/* Day-of-week bits, bit n = tm_wday n (0 Sunday .. 6 Saturday). */
#define SCHED_SUN 0x01u
#define SCHED_MON 0x02u
#define SCHED_TUE 0x04u
#define SCHED_WED 0x08u
#define SCHED_THU 0x10u
#define SCHED_FRI 0x20u
#define SCHED_SAT 0x40u
#define SCHED_DAILY 0x7Fu
#define SCHED_WEEKDAYS (SCHED_MON | SCHED_TUE | SCHED_WED | SCHED_THU | SCHED_FRI)
#define SCHED_WEEKENDS (SCHED_SAT | SCHED_SUN)

struct sched_zone {
	/* Seconds east of UTC in effect at the instant t (seconds since the
	 * epoch, UTC). Must be a pure function of t for one zone. */
	long (*offset)(const struct sched_zone *zone, int64_t t);
	const void *ctx;
};

struct sched_rule {
	int minute;    /* minute of the local day, 0..1439 */
	unsigned days; /* SCHED_* bits; 0 never fires */
};

/* What happened to a reminder so far: persisted between runs. */
struct sched_state {
	sched_day last;        /* date of the last occurrence done (fired or skipped) */
	sched_day skipped;     /* date of the occurrence skipped, if any */
	sched_day snooze_day;  /* the occurrence that snoozes count against */
	int snoozes;           /* snoozes used on snooze_day */
	int64_t snooze_until;  /* UTC instant of a pending snooze, 0 = none */
};

#define SCHED_SNOOZE_MAX 3
#define SCHED_SNOOZE_DEFAULT_MIN 10
#define SCHED_SNOOZE_LONGEST_MIN 120

void sched_state_init(struct sched_state *st);

/* --- local dates (the date arithmetic itself is calendar.h's) ----------- */
/* The local date and the minute of the local day at instant t (seconds into
 * the minute dropped). */
sched_day sched_local_day(const struct sched_zone *z, int64_t t, int *minute);

/* The UTC instant of the local wall time (day, minute of the day) by the rules
 * above: the first of two in an overlap, the end of the gap in a gap. */
int64_t sched_instant(const struct sched_zone *z, sched_day day, int minute);

/* --- occurrences ---------------------------------------------------------- */
struct sched_occ {
	sched_day day;  /* the local date the occurrence belongs to */
	int64_t start;  /* when it fires */
	int64_t end;    /* when its evening ends (it is dropped at end if missed) */
};

/* The end of the evening of the occurrence at (day, minute): the first local
 * wall time end_min after midnight that comes after (day, minute). */
int64_t sched_evening_end(const struct sched_zone *z, sched_day day, int minute, int end_min);

/* The occurrence whose evening contains now (start <= now < end), latest
 * first; false when none. Ignores the state. */
bool sched_current(const struct sched_rule *r, const struct sched_zone *z, int end_min,
                   int64_t now, struct sched_occ *out);

/* The first occurrence with start > now; false when the rule has no days. */
bool sched_upcoming(const struct sched_rule *r, const struct sched_zone *z, int end_min,
                    int64_t now, struct sched_occ *out);

/* "Tonight's" occurrence for snooze and skip: the current one if its evening
 * is open, else the upcoming one if it starts within 24 hours. */
bool sched_tonight(const struct sched_rule *r, const struct sched_zone *z, int end_min,
                   int64_t now, struct sched_occ *out);

/* --- the decision --------------------------------------------------------- */
enum sched_kind { SCHED_NONE, SCHED_REGULAR, SCHED_SNOOZE };

struct sched_fire {
	enum sched_kind kind;
	int64_t at;     /* when to fire; at <= now means "now" (a missed one) */
	sched_day day;  /* the occurrence it belongs to */
};

/* The next firing of a reminder given what has happened (st) and now. A
 * regular occurrence fires when its date is after st->last and its evening
 * has not ended; a pending snooze fires at its instant while its evening
 * lasts. The earlier of the two wins. */
struct sched_fire sched_next(const struct sched_rule *r, const struct sched_state *st,
                             const struct sched_zone *z, int end_min, int64_t now);

/* A state that says something was done after now says the clock went
 * back (after a jump far forward, or a battery-less clock at boot): no
 * date in it can be later than tonight's occurrence (the next to start
 * within a day), no snooze can be pending beyond what one asked tonight
 * could be, nor far from the night it belongs to. Such fields are cleared,
 * so that tonight counts as not fired yet, rather than "never" until the
 * clock reaches the stored date. True when something was changed (the
 * caller saves it). Every caller settles a state it has read before the
 * functions below see it. */
bool sched_state_settle(struct sched_state *st, const struct sched_rule *r,
                        const struct sched_zone *z, int64_t now);

/* A reminder's state as the daemon and the commands see it, the one rule
 * both follow. st is the state read from the file (sched_state_init's when
 * there was none); fired, what this daemon fired itself (NULL for the
 * commands, which keep no such memory): a firing the file does not hold (a
 * save that failed) is laid over it, and a snooze fired here is no longer
 * pending. A state still without a date is made as for a reminder created
 * at now (sched_state_new: what already began is done); one dated after now
 * is settled (sched_state_settle). The SCHED_VIEW_* bits of what changed:
 * CHANGED, the caller saves it; CLOCK_BACK, the state said a date after
 * now (the clock went back: worth a line in the log). */
#define SCHED_VIEW_CHANGED 1u
#define SCHED_VIEW_CLOCK_BACK 2u
unsigned sched_state_view(struct sched_state *st, const struct sched_state *fired,
                          const struct sched_rule *r, const struct sched_zone *z, int end_min,
                          int64_t now);

/* Records that f was delivered. */
void sched_fired(struct sched_state *st, const struct sched_fire *f);

/* A state for a reminder created at now: occurrences already started are
 * done, so adding "22:30" at 23:00 does not fire at once. */
void sched_state_new(struct sched_state *st, const struct sched_rule *r,
                     const struct sched_zone *z, int end_min, int64_t now);

enum sched_result { SCHED_OK, SCHED_NO_TONIGHT, SCHED_TOO_MANY };

/* Postpones tonight's reminder by minutes (1..SCHED_SNOOZE_LONGEST_MIN,
 * brought within them): from now if it has started, from its instant if not
 * (that regular firing is then replaced by the snooze); never earlier than
 * a snooze already pending tonight. */
enum sched_result sched_snooze(struct sched_state *st, const struct sched_rule *r,
                               const struct sched_zone *z, int end_min, int64_t now,
                               int minutes);

/* Skips tonight's reminder (and any pending snooze of it). */
enum sched_result sched_skip(struct sched_state *st, const struct sched_rule *r,
                             const struct sched_zone *z, int end_min, int64_t now,
                             sched_day *day);

/* For `lull remind check`: true when tonight's reminder is due and waiting
 * (its instant, or its snooze, has passed and its evening is open, and it was
 * not skipped); *since is that instant. */
bool sched_due(const struct sched_rule *r, const struct sched_state *st,
               const struct sched_zone *z, int end_min, int64_t now, int64_t *since);

#endif
