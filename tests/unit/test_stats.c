/* SPDX-License-Identifier: ISC */
/* The stats core: calendar arithmetic, week boundaries for a Monday and a
 * Sunday first weekday, local dates from each entry's own UTC offset (DST
 * days), the forgiving streak and its edges, the since-filter, minutes per
 * week and per day, tension averages overall and per program, mornings, and
 * the frequency note. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "histdate.h"
#include "history.h"
#include "stats.h"
#include "util.h"

#define SUNDAY 0
#define MONDAY 1

static long day(int y, int m, int d)
{
	return cal_days_from_civil(y, m, d);
}

/* A practice session at local y-m-d hh:mm, UTC offset off_h hours. */
static struct history_entry at(int y, int m, int d, int hh, int mm, double off_h, double minutes)
{
	long off = (long)(off_h * 3600);
	struct history_entry e = {
		.start = (time_t)(day(y, m, d) * 86400 + hh * 3600 + mm * 60 - off),
		.utc_offset_s = off,
		.program = "winddown",
		.planned_s = minutes * 60,
		.actual_s = minutes * 60,
		.end = HISTORY_FINISHED,
		.tension_before = -1,
		.tension_after = -1,
		.practice = true,
	};
	return e;
}

static struct history_entry evening(long d, double minutes)
{
	int y, m, dd;
	cal_civil_from_days(d, &y, &m, &dd);
	return at(y, m, dd, 22, 0, 1, minutes);
}

static void run(const struct history_entry *e, size_t n, long today, int fw, int need,
                struct stats *s)
{
	struct stats_input in = { .entries = e, .n = n, .today = today, .first_weekday = fw,
	                          .streak_days = need, .since = STATS_ALL_TIME };
	stats_compute(&in, s);
}

static void test_dates(void **state)
{
	(void)state;
	assert_int_equal(day(1970, 1, 1), 0);
	assert_int_equal(cal_weekday(day(2026, 11, 25)), 3); /* a Wednesday */
	assert_int_equal(cal_weekday(day(1969, 12, 31)), 3);
	assert_int_equal(hd_week_start(day(2026, 11, 25), MONDAY), day(2026, 11, 23));
	assert_int_equal(hd_week_start(day(2026, 11, 25), SUNDAY), day(2026, 11, 22));
	assert_int_equal(hd_week_start(day(2026, 11, 22), MONDAY), day(2026, 11, 16));
	assert_int_equal(hd_week_start(day(2026, 11, 22), SUNDAY), day(2026, 11, 22));
	assert_int_equal(hd_local_day(-1, 0), -1);

	long d;
	assert_true(cal_parse_date("2028-02-29", &d));
	assert_int_equal(d, day(2028, 2, 29));
	assert_false(cal_parse_date("2026-02-29", &d));
	assert_false(cal_parse_date("2026-1-05", &d));
	assert_false(cal_parse_date("2026-01-05x", &d));

	time_t t;
	long off;
	assert_true(hd_parse_stamp("2026-11-25T21:30:05Z", &t, &off));
	assert_int_equal(t, 1795642205);
	assert_int_equal(off, 0);
	assert_true(hd_parse_stamp("2026-11-25T16:00:05-05:30", &t, &off));
	assert_int_equal(t, 1795642205);
	assert_int_equal(off, -19800);
	assert_false(hd_parse_stamp("2026-11-25T24:00:00Z", &t, &off));
	assert_false(hd_parse_stamp("2026-11-25 21:30:05Z", &t, &off));
	assert_false(hd_parse_stamp("2026-11-25T21:30:05+0100", &t, &off));
	char buf[40];
	hd_format_stamp(1795642205, -19800, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-25T16:00:05-05:30");
	cal_format_date(day(1969, 7, 20), buf, sizeof buf);
	assert_string_equal(buf, "1969-07-20");
}

static void test_first_weekday_from_locale(void **state)
{
	(void)state;
	/* glibc: week_1stday 19971130 is a Sunday; first_weekday counts from it. */
	assert_int_equal(stats_first_weekday(19971130, 1), SUNDAY);
	assert_int_equal(stats_first_weekday(19971130, 2), MONDAY);
	assert_int_equal(stats_first_weekday(19971130, 7), 6);
	assert_int_equal(stats_first_weekday(19971201, 1), MONDAY);
	assert_int_equal(stats_first_weekday(0, 1), SUNDAY);
}

static void test_week_boundaries(void **state)
{
	(void)state;
	struct history_entry e[] = {
		at(2026, 11, 22, 21, 0, 1, 10), /* Sunday */
		at(2026, 11, 23, 21, 0, 1, 5),  /* Monday */
	};
	struct stats s;
	long today = day(2026, 11, 25);

	run(e, 2, today, MONDAY, 4, &s);
	assert_int_equal(s.week_start, day(2026, 11, 23));
	assert_int_equal(s.week_days, 1);
	assert_int_equal(s.week_mask, 1u);
	assert_int_equal(s.weeks[STATS_WEEKS - 1].start, day(2026, 11, 23));
	assert_int_equal(s.weeks[STATS_WEEKS - 1].sessions, 1);
	assert_int_equal(s.weeks[STATS_WEEKS - 2].sessions, 1);
	assert_true(s.weeks[STATS_WEEKS - 2].minutes == 10);
	assert_int_equal(s.weeks[0].start, day(2026, 11, 23) - 77);

	run(e, 2, today, SUNDAY, 4, &s);
	assert_int_equal(s.week_start, day(2026, 11, 22));
	assert_int_equal(s.week_days, 2);
	assert_int_equal(s.week_mask, 3u);
	assert_int_equal(s.weeks[STATS_WEEKS - 1].sessions, 2);
	assert_true(s.weeks[STATS_WEEKS - 1].minutes == 15);
	assert_int_equal(s.weeks[STATS_WEEKS - 2].sessions, 0);
	assert_int_equal(s.weeks_max_sessions, 2);
	assert_true(s.weeks_max_minutes == 15);
}

static void test_local_date_from_stored_offset(void **state)
{
	(void)state;
	/* 23:59 on Sunday in +01:00 is 22:59 UTC Sunday; 00:30 on Monday in
	 * +01:00 is 23:30 UTC on Sunday: a Monday all the same. */
	struct history_entry e[] = {
		at(2026, 11, 22, 23, 59, 1, 10),
		at(2026, 11, 23, 0, 30, 1, 10),
	};
	struct stats s;
	run(e, 2, day(2026, 11, 25), MONDAY, 4, &s);
	assert_int_equal(s.week_days, 1);
	assert_int_equal(s.weeks[STATS_WEEKS - 2].days, 1);
	assert_int_equal(s.practice_days, 2);
}

static void test_dst_days(void **state)
{
	(void)state;
	/* Spring forward (29 March 2026, Europe): one session before the change
	 * and one after, on the same local day of 23 hours. */
	struct history_entry spring[] = {
		at(2026, 3, 29, 0, 30, 1, 10),
		at(2026, 3, 29, 23, 30, 2, 10),
		at(2026, 3, 30, 0, 10, 2, 10),
	};
	struct stats s;
	run(spring, 3, day(2026, 4, 1), MONDAY, 4, &s);
	assert_int_equal(s.practice_days, 2);
	assert_int_equal(s.first_day, day(2026, 3, 29));
	assert_int_equal(s.last_day, day(2026, 3, 30));

	/* Fall back (25 October 2026): 00:30 in +02:00 is 22:30 UTC on the 24th;
	 * read with today's offset (+01:00) it would land on the wrong day. */
	struct history_entry fall[] = {
		at(2026, 10, 25, 0, 30, 2, 10),
		at(2026, 10, 25, 23, 30, 1, 10),
	};
	run(fall, 2, day(2026, 10, 28), MONDAY, 4, &s);
	assert_int_equal(s.practice_days, 1);
	assert_int_equal(s.first_day, day(2026, 10, 25));
	/* A Sunday: the last day of a Monday week, the first of a Sunday week. */
	assert_int_equal(s.weeks[STATS_WEEKS - 2].days, 1);
	run(fall, 2, day(2026, 10, 28), SUNDAY, 4, &s);
	assert_int_equal(s.week_days, 1);
	assert_int_equal(s.week_mask, 1u);
}

/* Practice on the given weekdays (0 = first day of the week) of the week
 * starting ws. */
static size_t week(struct history_entry *e, size_t n, long ws, const char *pattern)
{
	for (int i = 0; pattern[i]; i++) {
		if (pattern[i] == 'x')
			e[n++] = evening(ws + i, 12);
	}
	return n;
}

static void test_forgiving_streak(void **state)
{
	(void)state;
	struct history_entry e[128];
	size_t n = 0;
	long cur = day(2026, 11, 23); /* a Monday */
	n = week(e, n, cur - 56, "x.x.x.x"); /* W-8: 4 days */
	n = week(e, n, cur - 49, "xx..xx.");  /* W-7: 4 */
	n = week(e, n, cur - 42, "x.xx.x.");  /* W-6: 4 */
	n = week(e, n, cur - 35, ".x.x.xx");  /* W-5: 4 */
	n = week(e, n, cur - 28, "x..x..x");  /* W-4: 3, below 4: breaks */
	n = week(e, n, cur - 21, "xx.x.x.");  /* W-3: 4, missed nights between */
	n = week(e, n, cur - 14, "xxxx.x.");  /* W-2: 5 */
	n = week(e, n, cur - 7, ".xx.x.x");   /* W-1: 4 */
	size_t base = n;
	n = week(e, n, cur, "x");             /* this week so far: Monday */

	struct stats s;
	run(e, n, day(2026, 11, 25), MONDAY, 4, &s);
	assert_int_equal(s.streak_days, 4);
	assert_int_equal(s.streak_weeks, 3);
	assert_int_equal(s.streak_day_count, 13);
	assert_int_equal(s.longest_weeks, 4);
	assert_int_equal(s.longest_day_count, 16);
	assert_false(s.week_kept);
	assert_int_equal(s.week_days, 1);

	/* Three days a week suffice: one run from W-8 on. */
	run(e, n, day(2026, 11, 25), MONDAY, 3, &s);
	assert_int_equal(s.streak_weeks, 8);
	assert_int_equal(s.streak_day_count, 32);
	assert_int_equal(s.longest_weeks, 8);

	/* This week kept already (Monday to Thursday): it joins the streak and
	 * the run of 4 weeks with 17 days beats the older one of 16. */
	n = week(e, base, cur, "xxxx");
	run(e, n, day(2026, 11, 26), MONDAY, 4, &s);
	assert_true(s.week_kept);
	assert_int_equal(s.streak_weeks, 4);
	assert_int_equal(s.streak_day_count, 17);
	assert_int_equal(s.longest_weeks, 4);
	assert_int_equal(s.longest_day_count, 17);

	/* A week later, with only one day in the past week: the streak is over,
	 * even though this new week is under way; the longest remains. */
	n = week(e, base, cur, "x");
	n = week(e, n, cur + 7, "xx");
	run(e, n, day(2026, 12, 2), MONDAY, 4, &s);
	assert_int_equal(s.streak_weeks, 0);
	assert_int_equal(s.streak_day_count, 0);
	assert_int_equal(s.longest_weeks, 4);

	/* One missed week in the middle breaks it (N = 7: every evening). */
	n = week(e, 0, cur - 14, "xxxxxxx");
	n = week(e, n, cur - 7, "xxxxxx.");
	run(e, n, day(2026, 11, 23), MONDAY, 7, &s);
	assert_int_equal(s.streak_weeks, 0);
	assert_int_equal(s.longest_weeks, 1);
	assert_int_equal(s.longest_day_count, 7);

	/* Several sessions on one evening are one practice day. */
	n = week(e, 0, cur - 7, "xxx");
	n = week(e, n, cur - 7, "...x");
	n = week(e, n, cur - 7, "...x");
	run(e, n, day(2026, 11, 23), MONDAY, 4, &s);
	assert_int_equal(s.practice_days, 4);
	assert_int_equal(s.practice_sessions, 5);
	assert_int_equal(s.streak_weeks, 1);
	assert_int_equal(s.streak_day_count, 4);
}

static void test_streak_first_week_and_edges(void **state)
{
	(void)state;
	struct history_entry e[8];
	struct stats s;
	/* Started on a Saturday: a Monday week has two days left, and both count. */
	e[0] = at(2026, 11, 21, 22, 0, 1, 10);
	e[1] = at(2026, 11, 22, 22, 0, 1, 10);
	run(e, 2, day(2026, 11, 25), MONDAY, 4, &s);
	assert_int_equal(s.streak_weeks, 1);
	assert_int_equal(s.streak_day_count, 2);
	/* With Sunday weeks, Saturday is the first week's last day: kept by one. */
	run(e, 2, day(2026, 11, 25), SUNDAY, 4, &s);
	assert_int_equal(s.streak_weeks, 1);
	assert_int_equal(s.streak_day_count, 1);
	assert_int_equal(s.week_days, 1);

	/* Not practice (quit after 10 s), and a clock that ran ahead: neither counts. */
	e[0] = at(2026, 11, 24, 22, 0, 1, 10);
	e[0].practice = false;
	e[1] = at(2026, 12, 24, 22, 0, 1, 10);
	run(e, 2, day(2026, 11, 25), MONDAY, 1, &s);
	assert_int_equal(s.sessions, 2);
	assert_int_equal(s.practice_sessions, 1);
	assert_int_equal(s.week_days, 0);
	assert_int_equal(s.streak_weeks, 0);
	assert_int_equal(s.longest_weeks, 0);

	/* An empty history. */
	run(e, 0, day(2026, 11, 25), MONDAY, 4, &s);
	assert_int_equal(s.practice_days, 0);
	assert_int_equal(s.streak_weeks, 0);
	assert_true(s.total_minutes == 0);

	/* streak_days out of range is clamped. */
	run(e, 0, day(2026, 11, 25), MONDAY, 0, &s);
	assert_int_equal(s.streak_days, 1);
	run(e, 0, day(2026, 11, 25), MONDAY, 9, &s);
	assert_int_equal(s.streak_days, 7);
}

static void test_since_and_totals(void **state)
{
	(void)state;
	struct history_entry e[] = {
		at(2026, 11, 10, 22, 0, 1, 10),
		at(2026, 11, 15, 23, 59, 1, 20),
		at(2026, 11, 16, 0, 1, 1, 5),
		at(2026, 11, 20, 22, 0, 1, 7.5),
	};
	struct history_morning m[] = {
		{ .at = e[0].start + 30000, .utc_offset_s = 3600, .sleep = 4, .pain = 6 },
		{ .at = e[3].start + 30000, .utc_offset_s = 3600, .sleep = 8, .pain = -1 },
	};
	struct stats s;
	struct stats_input in = { .entries = e, .n = 4, .mornings = m, .nm = 2,
	                          .today = day(2026, 11, 25), .first_weekday = MONDAY,
	                          .streak_days = 4, .since = STATS_ALL_TIME };
	stats_compute(&in, &s);
	assert_int_equal(s.sessions, 4);
	assert_true(s.total_minutes == 42.5);
	assert_int_equal(s.mornings, 2);
	assert_int_equal(s.sleep_count, 2);
	assert_true(s.sleep_avg == 6);
	assert_int_equal(s.pain_count, 1);
	assert_true(s.pain_avg == 6);

	in.since = day(2026, 11, 16);
	stats_compute(&in, &s);
	assert_int_equal(s.sessions, 2);
	assert_int_equal(s.practice_days, 2);
	assert_true(s.total_minutes == 12.5);
	assert_int_equal(s.first_day, day(2026, 11, 16));
	assert_int_equal(s.mornings, 1);
	assert_true(s.sleep_avg == 8);
	assert_int_equal(s.pain_count, 0);
}

static void test_heat_map(void **state)
{
	(void)state;
	struct history_entry e[] = {
		at(2026, 11, 25, 21, 0, 1, 10),
		at(2026, 11, 25, 22, 0, 1, 5),
		at(2026, 5, 31, 22, 0, 2, 30), /* the day before the map */
		at(2026, 11, 2, 22, 0, 1, 20),
	};
	struct stats s;
	run(e, 4, day(2026, 11, 25), MONDAY, 4, &s);
	long start = day(2026, 11, 23) - 7 * (STATS_HEAT_WEEKS - 1);
	assert_int_equal(s.heat_start, start);
	assert_true(s.heat[day(2026, 11, 25) - start] == 15);
	assert_true(s.heat[day(2026, 11, 2) - start] == 20);
	assert_true(s.heat[day(2026, 11, 24) - start] == 0);
	assert_true(s.heat[day(2026, 11, 26) - start] == -1); /* the future */
	assert_true(s.heat[7 * STATS_HEAT_WEEKS - 1] == -1);
	assert_true(s.heat_max == 20);
	assert_true(s.total_minutes == 65);
}

static struct history_entry checked(int d, const char *program, int before, int after)
{
	struct history_entry e = at(2026, 11, d, 22, 0, 1, 10);
	str_copy(e.program, program, sizeof e.program);
	e.tension_before = before;
	e.tension_after = after;
	return e;
}

static void test_tension(void **state)
{
	(void)state;
	struct history_entry e[] = {
		checked(12, "neck", 5, 5),
		checked(10, "winddown", 7, 3),  /* out of order: sorted by time */
		checked(11, "winddown", 6, 4),
		checked(13, "box", 6, -1),      /* asked before only: not counted */
		checked(14, "box", -1, -1),
	};
	e[2].practice = false; /* still a check-in */
	struct stats s;
	run(e, 5, day(2026, 11, 25), MONDAY, 4, &s);
	assert_int_equal(s.tension.count, 3);
	assert_true(s.tension.before == 6);
	assert_true(s.tension.after == 4);
	assert_true(s.tension.change == -2);
	assert_int_equal(s.tension.ntrend, 3);
	assert_true(s.tension.trend[0] == 4);
	assert_true(s.tension.trend[1] == 2);
	assert_true(s.tension.trend[2] == 0);
	assert_int_equal(s.nprograms, 2);
	assert_string_equal(s.programs[0].program, "winddown");
	assert_int_equal(s.programs[0].count, 2);
	assert_true(s.programs[0].change == -3);
	assert_string_equal(s.programs[1].program, "neck");
	assert_true(s.programs[1].change == 0);

	/* The trend keeps the last STATS_TREND check-ins, oldest first. */
	struct history_entry many[STATS_TREND + 6];
	for (int i = 0; i < STATS_TREND + 6; i++) {
		many[i] = checked(1, "winddown", 10, 10 - i % 10);
		many[i].start += i * 86400;
	}
	run(many, STATS_TREND + 6, day(2026, 12, 31), MONDAY, 4, &s);
	assert_int_equal(s.tension.count, STATS_TREND + 6);
	assert_int_equal(s.tension.ntrend, STATS_TREND);
	assert_true(s.tension.trend[0] == 6);
	assert_true(s.tension.trend[STATS_TREND - 1] == (STATS_TREND + 5) % 10);
}

/* One check-in a night: the later replaces the earlier, by the session
 * they follow, or, following none, by the day they were made. */
static void test_one_morning_a_night(void **state)
{
	(void)state;
	struct history_entry e[] = { at(2026, 11, 20, 22, 0, 1, 10) };
	struct history_morning m[] = {
		{ .at = e[0].start + 30000, .utc_offset_s = 3600, .linked = true,
		  .session_start = e[0].start, .sleep = 3, .pain = 6 },
		{ .at = e[0].start + 31000, .utc_offset_s = 3600, .linked = true,
		  .session_start = e[0].start, .sleep = 9, .pain = -1 },
		/* Two days later, no session before: twice the same morning... */
		{ .at = e[0].start + 2 * 86400 + 30000, .utc_offset_s = 3600, .sleep = 5, .pain = 2 },
		{ .at = e[0].start + 2 * 86400 + 32000, .utc_offset_s = 3600, .sleep = 7, .pain = 4 },
		/* ... and the next day another. */
		{ .at = e[0].start + 3 * 86400 + 30000, .utc_offset_s = 3600, .sleep = 1, .pain = -1 },
	};
	assert_true(stats_same_night(&m[0], &m[1]));
	assert_false(stats_same_night(&m[1], &m[2]));
	assert_true(stats_same_night(&m[2], &m[3]));
	assert_false(stats_same_night(&m[3], &m[4]));
	struct stats s;
	struct stats_input in = { .entries = e, .n = 1, .mornings = m, .nm = 5,
	                          .today = day(2026, 11, 25), .first_weekday = MONDAY,
	                          .streak_days = 4, .since = STATS_ALL_TIME };
	stats_compute(&in, &s);
	assert_int_equal(s.mornings, 3);
	assert_int_equal(s.sleep_count, 3);
	assert_true(s.sleep_avg == (9 + 7 + 1) / 3.0);
	assert_int_equal(s.pain_count, 1);
	assert_true(s.pain_avg == 4);
}

/* When, as a person says it. */
static void test_format_when(void **state)
{
	(void)state;
	char b[64];
	long off = 3600;
	/* Now: Wednesday 2026-11-25 08:00 local. */
	time_t now = (time_t)day(2026, 11, 25) * 86400 + 8 * 3600 - off;
	time_t t = now - 9 * 3600; /* Tuesday 23:00 */
	hd_format_when(t, off, now, off, b, sizeof b);
	assert_string_equal(b, "last night at 23:00");
	hd_format_when(now - 6.5 * 3600, off, now, off, b, sizeof b); /* 01:30 today */
	assert_string_equal(b, "last night at 01:30");
	hd_format_when(now - 1800, off, now, off, b, sizeof b);
	assert_string_equal(b, "today at 07:30");
	hd_format_when(now - 20 * 3600, off, now, off, b, sizeof b); /* Tuesday 12:00 */
	assert_string_equal(b, "yesterday at 12:00");
	hd_format_when(now - 2 * 86400 - 3600, off, now, off, b, sizeof b); /* Monday 07:00 */
	assert_string_equal(b, "on Monday at 07:00");
	hd_format_when(now - 10 * 86400, off, now, off, b, sizeof b);
	assert_string_equal(b, "on 2026-11-15 at 08:00");
	/* The session's own offset: 23:00 in its zone, whatever now's is. */
	hd_format_when(t - 3600, 2 * 3600, now, off, b, sizeof b);
	assert_string_equal(b, "last night at 23:00");
}

static void test_note(void **state)
{
	(void)state;
	struct history_entry e[16];
	struct stats s;
	char note[512];
	static const char *const guilt[] = { "should", "missed", "only", "fail", "broke", "lost" };

	run(e, 0, day(2026, 11, 25), MONDAY, 4, &s);
	stats_note(&s, note, sizeof note);
	assert_non_null(strstr(note, "Nothing recorded yet"));

	size_t n = 0;
	for (int i = 0; i < 8; i++) /* twice a week over the last four weeks */
		e[n++] = evening(day(2026, 11, 25) - 3 * i - 1, 10);
	run(e, n, day(2026, 11, 25), MONDAY, 4, &s);
	assert_true(s.recent_per_week == 2);
	stats_note(&s, note, sizeof note);
	assert_non_null(strstr(note, "about 2 evenings a week"));
	assert_non_null(strstr(note, "one session a week"));
	for (size_t i = 0; i < sizeof guilt / sizeof guilt[0]; i++)
		assert_null(strstr(note, guilt[i]));

	run(e, n, day(2027, 3, 1), MONDAY, 4, &s); /* a long pause */
	stats_note(&s, note, sizeof note);
	assert_non_null(strstr(note, "still counts"));
	for (size_t i = 0; i < sizeof guilt / sizeof guilt[0]; i++)
		assert_null(strstr(note, guilt[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_first_weekday_from_locale),
		cmocka_unit_test(test_week_boundaries),
		cmocka_unit_test(test_local_date_from_stored_offset),
		cmocka_unit_test(test_dst_days),
		cmocka_unit_test(test_forgiving_streak),
		cmocka_unit_test(test_streak_first_week_and_edges),
		cmocka_unit_test(test_since_and_totals),
		cmocka_unit_test(test_heat_map),
		cmocka_unit_test(test_tension),
		cmocka_unit_test(test_note),
		cmocka_unit_test(test_one_morning_a_night),
		cmocka_unit_test(test_format_when),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
