/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <stddef.h>

#include "calendar.h"
#include "schedule.h"

void sched_state_init(struct sched_state *st)
{
	st->last = SCHED_NEVER;
	st->skipped = SCHED_NEVER;
	st->snooze_day = SCHED_NEVER;
	st->snoozes = 0;
	st->snooze_until = 0;
}

sched_day sched_local_day(const struct sched_zone *z, int64_t t, int *minute)
{
	int64_t lt = t + z->offset(z, t);
	long day = cal_day_of(lt);
	if (minute)
		*minute = (int)((lt - (int64_t)day * CAL_DAY_S) / 60);
	return (sched_day)day;
}

int64_t sched_instant(const struct sched_zone *z, sched_day day, int minute)
{
	/* The wall time as if it were UTC; the true instant is wall - offset for
	 * an offset in effect at that instant. The offsets a day before and a day
	 * after are the only candidates (zones do not change twice in two days). */
	int64_t wall = (int64_t)day * CAL_DAY_S + (int64_t)minute * 60;
	long before = z->offset(z, wall - CAL_DAY_S);
	long after = z->offset(z, wall + CAL_DAY_S);
	int64_t t1 = wall - before, t2 = wall - after;
	bool ok1 = z->offset(z, t1) == before;
	bool ok2 = z->offset(z, t2) == after;

	if (ok1 && ok2)
		return t1 < t2 ? t1 : t2; /* an overlap: the first of the two */
	if (ok1)
		return t1;
	if (ok2)
		return t2;
	if (before == after)
		return t1; /* cannot happen with a sane zone */
	/* A gap: the clock jumped over the wall time. The transition lies
	 * between t2 (still the old offset) and t1 (already the new one) when the
	 * offset grew; find the first instant with the new offset. */
	int64_t lo = t1 < t2 ? t1 : t2, hi = t1 < t2 ? t2 : t1;
	long newer = after;
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;
		if (z->offset(z, mid) == newer)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

int64_t sched_evening_end(const struct sched_zone *z, sched_day day, int minute, int end_min)
{
	if (end_min < 0)
		end_min = 0;
	if (end_min > 1439)
		end_min = 1439;
	/* Nights run from noon to end_min the next morning. A time from
	 * end_min to noon (02:30 with the default 02:00) comes after its
	 * night has ended: its evening is already over when it starts, so it
	 * fires on time and is not caught up (its "next end_min" was nearly a
	 * day away, and a reminder added at noon for 02:30 was "missed" from
	 * 02:30 to 02:00 the next night). */
	bool after_its_night = minute >= end_min && minute < 12 * 60;
	int64_t end = sched_instant(z, minute < end_min || after_its_night ? day : day + 1, end_min);
	/* Both in one daylight-saving gap (02:00 and 02:30 on a 02:00 → 03:00
	 * night both fall at 03:00), or a time after its night: the evening
	 * would be empty and the night lost. It lasts a minute, as a snooze
	 * past the evening does. */
	int64_t start = sched_instant(z, day, minute);
	return end < start + 60 ? start + 60 : end;
}

static bool has_day(const struct sched_rule *r, sched_day d)
{
	return (r->days >> cal_weekday(d)) & 1u;
}

static void occ_at(const struct sched_rule *r, const struct sched_zone *z, int end_min,
                   sched_day d, struct sched_occ *o)
{
	o->day = d;
	o->start = sched_instant(z, d, r->minute);
	o->end = sched_evening_end(z, d, r->minute, end_min);
}

bool sched_current(const struct sched_rule *r, const struct sched_zone *z, int end_min,
                   int64_t now, struct sched_occ *out)
{
	sched_day today = sched_local_day(z, now, NULL);
	for (sched_day d = today + 1; d >= today - 2; d--) {
		struct sched_occ o;
		if (!has_day(r, d))
			continue;
		occ_at(r, z, end_min, d, &o);
		if (o.start <= now && now < o.end) {
			*out = o;
			return true;
		}
	}
	return false;
}

bool sched_upcoming(const struct sched_rule *r, const struct sched_zone *z, int end_min,
                    int64_t now, struct sched_occ *out)
{
	sched_day today = sched_local_day(z, now, NULL);
	for (sched_day d = today - 1; d <= today + 8; d++) {
		struct sched_occ o;
		if (!has_day(r, d))
			continue;
		occ_at(r, z, end_min, d, &o);
		if (o.start > now) {
			*out = o;
			return true;
		}
	}
	return false;
}

bool sched_tonight(const struct sched_rule *r, const struct sched_zone *z, int end_min,
                   int64_t now, struct sched_occ *out)
{
	if (sched_current(r, z, end_min, now, out))
		return true;
	return sched_upcoming(r, z, end_min, now, out) && out->start - now <= CAL_DAY_S;
}

struct sched_fire sched_next(const struct sched_rule *r, const struct sched_state *st,
                             const struct sched_zone *z, int end_min, int64_t now)
{
	struct sched_fire best = { SCHED_NONE, 0, SCHED_NEVER };
	sched_day today = sched_local_day(z, now, NULL);

	for (sched_day d = today - 2; d <= today + 8; d++) {
		struct sched_occ o;
		if (d <= st->last || !has_day(r, d))
			continue;
		occ_at(r, z, end_min, d, &o);
		if (now < o.end) {
			best = (struct sched_fire){ SCHED_REGULAR, o.start, d };
			break;
		}
	}
	if (st->snooze_until != 0 && st->snooze_day != SCHED_NEVER) {
		/* A snooze the person asked for gets its moment even if it runs
		 * past the evening; missed, it lapses with the evening. */
		int64_t end = sched_evening_end(z, st->snooze_day, r->minute, end_min);
		if (st->snooze_until < INT64_MAX - 60 && end < st->snooze_until + 60)
			end = st->snooze_until + 60;
		if (now < end && (best.kind == SCHED_NONE || st->snooze_until < best.at))
			best = (struct sched_fire){ SCHED_SNOOZE, st->snooze_until, st->snooze_day };
	}
	return best;
}

bool sched_state_settle(struct sched_state *st, const struct sched_rule *r,
                        const struct sched_zone *z, int64_t now)
{
	/* The latest a date can legitimately be: tonight's occurrence, which
	 * starts within a day (skip and snooze act on it ahead of its time). */
	sched_day today = sched_local_day(z, now, NULL);
	/* Usually tomorrow's date; the day after on a night the clocks move
	 * and the time is just after midnight (fuzz_remind_state found it). */
	sched_day latest = today + 2;
	while (latest > today && sched_instant(z, latest, r->minute) > now + CAL_DAY_S)
		latest--;
	/* A snooze is at most its night's start plus the longest snooze. */
	int64_t until_max = now + CAL_DAY_S + SCHED_SNOOZE_LONGEST_MIN * 60;
	bool changed = false;
	if (st->last != SCHED_NEVER && st->last > latest) {
		/* Not SCHED_NEVER: that means "never seen", made afresh as if
		 * added now, which would count tonight as done. Two days back
		 * leaves every occurrence whose evening is still open to fire. */
		st->last = today - 2;
		changed = true;
	}
	if (st->skipped != SCHED_NEVER && st->skipped > latest) {
		st->skipped = SCHED_NEVER;
		changed = true;
	}
	/* A snooze lies after the start of the night it belongs to, by less
	 * than a day and the longest snooze; a day either way is left for a
	 * zone changed since (a flight) or the reminder's time edited. One far
	 * outside that is not a snooze. */
	bool stray = false;
	if (st->snooze_until != 0) {
		if (st->snooze_day == SCHED_NEVER) {
			stray = true;
		} else {
			int64_t start = sched_instant(z, st->snooze_day, r->minute);
			stray = st->snooze_until < start - CAL_DAY_S || st->snooze_until > start + 2 * CAL_DAY_S;
		}
	}
	if ((st->snooze_day != SCHED_NEVER && st->snooze_day > latest) || st->snooze_until > until_max ||
	    st->snooze_until < 0 || stray) {
		st->snooze_day = SCHED_NEVER;
		st->snoozes = 0;
		st->snooze_until = 0;
		changed = true;
	}
	return changed;
}

void sched_fired(struct sched_state *st, const struct sched_fire *f)
{
	if (f->kind == SCHED_NONE)
		return;
	if (f->day > st->last)
		st->last = f->day;
	if (f->kind == SCHED_SNOOZE)
		st->snooze_until = 0;
}

void sched_state_new(struct sched_state *st, const struct sched_rule *r,
                     const struct sched_zone *z, int end_min, int64_t now)
{
	sched_state_init(st);
	sched_day today = sched_local_day(z, now, NULL);
	st->last = sched_instant(z, today, r->minute) <= now ? today : today - 1;
	/* An occurrence whose evening is still open is not fired (that is
	 * what last says) and counts as skipped, so that `remind check` does
	 * not call it due either: the daemon, list and check agree. */
	struct sched_occ o;
	if (sched_current(r, z, end_min, now, &o))
		st->skipped = o.day;
}

enum sched_result sched_snooze(struct sched_state *st, const struct sched_rule *r,
                               const struct sched_zone *z, int end_min, int64_t now,
                               int minutes)
{
	struct sched_occ o;
	if (!sched_tonight(r, z, end_min, now, &o))
		return SCHED_NO_TONIGHT;
	if (st->snooze_day != o.day) {
		st->snooze_day = o.day;
		st->snoozes = 0;
		st->snooze_until = 0;
	}
	if (st->snoozes >= SCHED_SNOOZE_MAX)
		return SCHED_TOO_MANY;
	if (minutes < 1)
		minutes = 1;
	if (minutes > SCHED_SNOOZE_LONGEST_MIN)
		minutes = SCHED_SNOOZE_LONGEST_MIN;
	int64_t base = o.start <= now ? now : o.start;
	/* A snooze never brings a pending one earlier ("snooze 5" after a
	 * "snooze" of 10 before the time would have). */
	int64_t until = base + (int64_t)minutes * 60;
	if (st->snooze_day == o.day && st->snooze_until > until)
		until = st->snooze_until;
	st->snooze_until = until;
	st->snoozes++;
	if (o.day > st->last)
		st->last = o.day;
	if (st->skipped == o.day)
		st->skipped = SCHED_NEVER;
	return SCHED_OK;
}

enum sched_result sched_skip(struct sched_state *st, const struct sched_rule *r,
                             const struct sched_zone *z, int end_min, int64_t now,
                             sched_day *day)
{
	struct sched_occ o;
	if (!sched_tonight(r, z, end_min, now, &o))
		return SCHED_NO_TONIGHT;
	if (o.day > st->last)
		st->last = o.day;
	st->skipped = o.day;
	if (st->snooze_day == o.day)
		st->snooze_until = 0;
	if (day)
		*day = o.day;
	return SCHED_OK;
}

bool sched_due(const struct sched_rule *r, const struct sched_state *st,
               const struct sched_zone *z, int end_min, int64_t now, int64_t *since)
{
	struct sched_occ o;
	if (!sched_current(r, z, end_min, now, &o) || st->skipped == o.day)
		return false;
	int64_t at = o.start;
	if (st->snooze_day == o.day && st->snooze_until != 0) {
		if (st->snooze_until > now)
			return false;
		at = st->snooze_until;
	}
	if (since)
		*since = at;
	return true;
}

unsigned sched_state_view(struct sched_state *st, const struct sched_state *fired,
                          const struct sched_rule *r, const struct sched_zone *z, int end_min,
                          int64_t now)
{
	unsigned what = 0;
	if (fired && (st->last == SCHED_NEVER || st->last < fired->last)) {
		/* Fired here, but the state on disk does not say so. */
		st->last = fired->last;
		what |= SCHED_VIEW_CHANGED;
	}
	if (fired && fired->snooze_until && st->snooze_until == fired->snooze_until) {
		st->snooze_until = 0;
		what |= SCHED_VIEW_CHANGED;
	}
	if (st->last == SCHED_NEVER) {
		/* Never seen, its state lost, or a hand-written line reusing a
		 * removed id: what already began is done. */
		sched_state_new(st, r, z, end_min, now);
		what |= SCHED_VIEW_CHANGED;
	}
	if (sched_state_settle(st, r, z, now))
		what |= SCHED_VIEW_CHANGED | SCHED_VIEW_CLOCK_BACK;
	return what;
}
