/* SPDX-License-Identifier: ISC */
/* The scheduler, with the real zoneinfo (tzdata) answering for the zones.
 * Expected instants were worked out by hand from the published rules of each
 * zone and are written as UTC, so a wrong offset anywhere shows. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "calendar.h"
#include "schedule.h"
#include "zone.h"

#define END 120 /* evening ends 02:00 */

static int64_t utc(int y, int mo, int d, int h, int mi)
{
	return (int64_t)cal_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

static struct sched_zone zone(const char *name)
{
	struct sched_zone z;
	zone_named(&z, name);
	return z;
}

static sched_day D(int y, int m, int d) { return cal_days_from_civil(y, m, d); }

static struct sched_state fresh(void)
{
	struct sched_state st;
	sched_state_init(&st);
	return st;
}

/* --- calendar ---------------------------------------------------------- */
static void calendar_round_trip(void **unused)
{
	(void)unused;
	assert_int_equal(D(1970, 1, 1), 0);
	assert_int_equal(D(1969, 12, 31), -1);
	assert_int_equal(D(2000, 3, 1), 11017);
	assert_int_equal(cal_weekday(D(1970, 1, 1)), 4);
	assert_int_equal(cal_weekday(D(2024, 2, 29)), 4);
	assert_int_equal(cal_weekday(D(2028, 2, 29)), 2);
	assert_int_equal(cal_weekday(D(1969, 12, 28)), 0);
	assert_int_equal(cal_days_in_month(2024, 2), 29);
	assert_int_equal(cal_days_in_month(2023, 2), 28);
	assert_int_equal(cal_days_in_month(1900, 2), 28);
	assert_int_equal(cal_days_in_month(2000, 2), 29);
	sched_day expect = D(1899, 12, 31);
	for (int y = 1900; y <= 2101; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= cal_days_in_month(y, m); d++) {
				int yy, mm, dd;
				assert_int_equal(D(y, m, d), ++expect);
				cal_civil_from_days(expect, &yy, &mm, &dd);
				assert_int_equal(yy, y);
				assert_int_equal(mm, m);
				assert_int_equal(dd, d);
			}
}

/* --- instants on ordinary and daylight-saving nights -------------------- */
static void instants_new_york(void **unused)
{
	(void)unused;
	struct sched_zone z = zone("America/New_York");
	assert_int_equal(sched_instant(&z, D(2024, 1, 15), 22 * 60 + 30), utc(2024, 1, 16, 3, 30));
	assert_int_equal(sched_instant(&z, D(2024, 7, 15), 22 * 60 + 30), utc(2024, 7, 16, 2, 30));
	/* 2024-03-10: 02:00 EST jumps to 03:00 EDT (07:00 UTC). */
	assert_int_equal(sched_instant(&z, D(2024, 3, 10), 1 * 60 + 59), utc(2024, 3, 10, 6, 59));
	assert_int_equal(sched_instant(&z, D(2024, 3, 10), 2 * 60), utc(2024, 3, 10, 7, 0));
	assert_int_equal(sched_instant(&z, D(2024, 3, 10), 2 * 60 + 30), utc(2024, 3, 10, 7, 0));
	assert_int_equal(sched_instant(&z, D(2024, 3, 10), 2 * 60 + 59), utc(2024, 3, 10, 7, 0));
	assert_int_equal(sched_instant(&z, D(2024, 3, 10), 3 * 60), utc(2024, 3, 10, 7, 0));
	assert_int_equal(sched_instant(&z, D(2024, 3, 10), 3 * 60 + 1), utc(2024, 3, 10, 7, 1));
	/* 2024-11-03: 02:00 EDT falls back to 01:00 EST; 01:30 twice, first at 05:30 UTC. */
	assert_int_equal(sched_instant(&z, D(2024, 11, 3), 1 * 60 + 30), utc(2024, 11, 3, 5, 30));
	assert_int_equal(sched_instant(&z, D(2024, 11, 3), 0 * 60 + 59), utc(2024, 11, 3, 4, 59));
	assert_int_equal(sched_instant(&z, D(2024, 11, 3), 2 * 60), utc(2024, 11, 3, 7, 0));
}

static void instants_london(void **unused)
{
	(void)unused;
	struct sched_zone z = zone("Europe/London");
	/* 2024-03-31 01:00 GMT → 02:00 BST; 2024-10-27 02:00 BST → 01:00 GMT. */
	assert_int_equal(sched_instant(&z, D(2024, 3, 31), 1 * 60 + 30), utc(2024, 3, 31, 1, 0));
	assert_int_equal(sched_instant(&z, D(2024, 3, 31), 0 * 60 + 30), utc(2024, 3, 31, 0, 30));
	assert_int_equal(sched_instant(&z, D(2024, 3, 31), 2 * 60 + 30), utc(2024, 3, 31, 1, 30));
	assert_int_equal(sched_instant(&z, D(2024, 10, 27), 1 * 60 + 30), utc(2024, 10, 27, 0, 30));
	assert_int_equal(sched_instant(&z, D(2024, 12, 31), 23 * 60 + 59), utc(2024, 12, 31, 23, 59));
}

static void instants_lord_howe(void **unused)
{
	(void)unused;
	struct sched_zone z = zone("Australia/Lord_Howe");
	/* Standard +10:30, summer +11:00, a 30-minute shift.
	 * 2024-10-06 02:00 → 02:30 (15:30 UTC the day before). */
	assert_int_equal(sched_instant(&z, D(2024, 10, 6), 2 * 60 + 15), utc(2024, 10, 5, 15, 30));
	assert_int_equal(sched_instant(&z, D(2024, 10, 6), 2 * 60 + 30), utc(2024, 10, 5, 15, 30));
	assert_int_equal(sched_instant(&z, D(2024, 10, 6), 1 * 60 + 59), utc(2024, 10, 5, 15, 29));
	assert_int_equal(sched_instant(&z, D(2024, 10, 6), 22 * 60 + 30), utc(2024, 10, 6, 11, 30));
	/* 2024-04-07 02:00 +11 → 01:30 +10:30; 01:45 twice, first at +11. */
	assert_int_equal(sched_instant(&z, D(2024, 4, 7), 1 * 60 + 45), utc(2024, 4, 6, 14, 45));
	assert_int_equal(sched_instant(&z, D(2024, 4, 7), 2 * 60), utc(2024, 4, 6, 15, 30));
	assert_int_equal(sched_instant(&z, D(2024, 4, 7), 22 * 60 + 30), utc(2024, 4, 7, 12, 0));
}

static void instants_kolkata(void **unused)
{
	(void)unused;
	struct sched_zone z = zone("Asia/Kolkata");
	for (int m = 1; m <= 12; m++)
		assert_int_equal(sched_instant(&z, D(2024, m, 10), 22 * 60 + 30), utc(2024, m, 10, 17, 0));
	int minute;
	assert_int_equal(sched_local_day(&z, utc(2024, 3, 10, 18, 45), &minute), D(2024, 3, 11));
	assert_int_equal(minute, 15);
}

static void instants_apia_skipped_day(void **unused)
{
	(void)unused;
	/* Samoa crossed the date line: 2011-12-29 23:59:59 (-10) was followed by
	 * 2011-12-31 00:00:00 (+14); December 30 never happened there. Its
	 * 22:30 is in a gap of a whole day and fires at the end of it, the first
	 * minute of the 31st; the 31st's own 22:30 still fires, once. */
	if (access("/usr/share/zoneinfo/Pacific/Apia", R_OK) != 0)
		skip();
	struct sched_zone z = zone("Pacific/Apia");
	assert_int_equal(sched_instant(&z, D(2011, 12, 30), 22 * 60 + 30), utc(2011, 12, 30, 10, 0));
	assert_int_equal(sched_instant(&z, D(2011, 12, 31), 0), utc(2011, 12, 30, 10, 0));
	struct sched_rule r = { 22 * 60 + 30, SCHED_DAILY };
	struct sched_state st = fresh();
	st.last = D(2011, 12, 28);
	struct sched_fire f = sched_next(&r, &st, &z, END, utc(2011, 12, 29, 12, 0));
	assert_int_equal(f.day, D(2011, 12, 29));
	assert_int_equal(f.at, utc(2011, 12, 30, 8, 30));
	sched_fired(&st, &f);
	f = sched_next(&r, &st, &z, END, f.at);
	assert_int_equal(f.day, D(2011, 12, 30));
	assert_int_equal(f.at, utc(2011, 12, 30, 10, 0));
	sched_fired(&st, &f);
	f = sched_next(&r, &st, &z, END, f.at);
	assert_int_equal(f.day, D(2011, 12, 31));
	assert_int_equal(f.at, utc(2011, 12, 31, 8, 30));
}

/* --- a year of firings, as the daemon would see them --------------------- */
/* Runs the decision from start for a year, jumping to each firing; checks
 * exactly one firing per listed date, each on its own date or at the end of
 * that date's gap, and returns the number of firings. */
static int run_year(const struct sched_zone *z, int minute, unsigned days, int64_t start,
                    int64_t *gap_fire, sched_day gap_day)
{
	struct sched_state st;
	int64_t now = start;
	sched_day prev = SCHED_NEVER;
	int fires = 0;
	struct sched_rule r = { minute, days };
	sched_state_new(&st, &r, z, END, now);
	for (;;) {
		struct sched_fire f = sched_next(&r, &st, z, END, now);
		assert_int_equal(f.kind, SCHED_REGULAR);
		if (f.at >= start + 365LL * 86400)
			break;
		assert_true(f.at >= now);
		now = f.at;
		/* Still nothing else due at the same instant after recording it. */
		sched_fired(&st, &f);
		struct sched_fire again = sched_next(&r, &st, z, END, now);
		assert_true(again.at > now);
		assert_true(f.day > prev);
		assert_true((days >> cal_weekday(f.day)) & 1u);
		int lm;
		sched_day ld = sched_local_day(z, f.at, &lm);
		assert_int_equal(ld, f.day);
		if (f.day == gap_day)
			*gap_fire = f.at;
		else
			assert_int_equal(lm, minute);
		prev = f.day;
		fires++;
	}
	return fires;
}

static void year_new_york(void **unused)
{
	(void)unused;
	struct sched_zone z = zone("America/New_York");
	int64_t gap = 0;
	int n = run_year(&z, 2 * 60 + 30, SCHED_DAILY, utc(2024, 1, 1, 12, 0), &gap, D(2024, 3, 10));
	assert_int_equal(n, 365);
	assert_int_equal(gap, utc(2024, 3, 10, 7, 0)); /* 03:00 EDT */
	/* 01:30 on the fall-back night fires once, at the first 01:30. */
	struct sched_rule r = { 90, SCHED_DAILY };
	struct sched_state st = fresh();
	struct sched_fire f = sched_next(&r, &st, &z, END, utc(2024, 11, 3, 4, 0));
	assert_int_equal(f.at, utc(2024, 11, 3, 5, 30));
	sched_fired(&st, &f);
	f = sched_next(&r, &st, &z, END, utc(2024, 11, 3, 6, 30)); /* the second 01:30 */
	assert_int_equal(f.day, D(2024, 11, 4));
	assert_int_equal(f.at, utc(2024, 11, 4, 6, 30));
	/* 22:30 across the spring-forward day: 23 hours apart, on the dates. */
	r.minute = 22 * 60 + 30;
	st = fresh();
	f = sched_next(&r, &st, &z, END, utc(2024, 3, 9, 12, 0));
	assert_int_equal(f.at, utc(2024, 3, 10, 3, 30));
	sched_fired(&st, &f);
	f = sched_next(&r, &st, &z, END, f.at);
	assert_int_equal(f.at, utc(2024, 3, 11, 2, 30));
}

static void year_lord_howe(void **unused)
{
	(void)unused;
	struct sched_zone z = zone("Australia/Lord_Howe");
	int64_t gap = 0;
	int n = run_year(&z, 2 * 60 + 15, SCHED_DAILY, utc(2024, 1, 1, 0, 0), &gap, D(2024, 10, 6));
	assert_int_equal(n, 366 - 1); /* 2024 is a leap year; the run is 365 days */
	assert_int_equal(gap, utc(2024, 10, 5, 15, 30));
	n = run_year(&z, 1 * 60 + 45, SCHED_DAILY, utc(2024, 1, 1, 0, 0), &gap, SCHED_NEVER);
	assert_int_equal(n, 365);
}

static void year_london_and_kolkata(void **unused)
{
	(void)unused;
	struct sched_zone z = zone("Europe/London");
	int64_t gap = 0;
	assert_int_equal(run_year(&z, 60 + 30, SCHED_DAILY, utc(2024, 1, 1, 0, 0), &gap, D(2024, 3, 31)), 365);
	assert_int_equal(gap, utc(2024, 3, 31, 1, 0));
	assert_int_equal(run_year(&z, 22 * 60, SCHED_WEEKDAYS, utc(2024, 1, 1, 0, 0), &gap, SCHED_NEVER), 261);
	assert_int_equal(run_year(&z, 22 * 60, SCHED_WEEKENDS, utc(2024, 1, 1, 0, 0), &gap, SCHED_NEVER), 104);
	z = zone("Asia/Kolkata");
	assert_int_equal(run_year(&z, 23 * 60 + 59, SCHED_DAILY, utc(2023, 1, 1, 0, 0), &gap, SCHED_NEVER), 365);
	/* 52 Mondays + 52 Wednesdays, and Monday 2024-01-01 00:00 IST is
	 * 18:30 UTC on Dec 31, inside the run. */
	assert_int_equal(run_year(&z, 0, SCHED_MON | SCHED_WED, utc(2023, 1, 1, 0, 0), &gap, SCHED_NEVER), 105);
}

/* --- day sets, leap days, year ends -------------------------------------- */
static void day_sets(void **unused)
{
	(void)unused;
	struct sched_zone z = zone("America/New_York");
	struct sched_state st = fresh();
	struct sched_rule wk = { 22 * 60 + 30, SCHED_WEEKDAYS };
	/* Friday 2024-03-08 23:00 EST, Friday's already fired: next is Monday. */
	st.last = D(2024, 3, 8);
	struct sched_fire f = sched_next(&wk, &st, &z, END, utc(2024, 3, 9, 4, 0));
	assert_int_equal(f.day, D(2024, 3, 11));
	assert_int_equal(f.at, utc(2024, 3, 12, 2, 30));
	struct sched_rule we = { 22 * 60 + 30, SCHED_WEEKENDS };
	st = fresh();
	f = sched_next(&we, &st, &z, END, utc(2024, 3, 11, 12, 0)); /* Monday */
	assert_int_equal(f.day, D(2024, 3, 16));
	struct sched_rule tue_thu = { 21 * 60, SCHED_TUE | SCHED_THU };
	f = sched_next(&tue_thu, &st, &z, END, utc(2024, 3, 13, 12, 0)); /* Wednesday */
	assert_int_equal(f.day, D(2024, 3, 14));
	struct sched_rule none = { 21 * 60, 0 };
	f = sched_next(&none, &st, &z, END, utc(2024, 3, 13, 12, 0));
	assert_int_equal(f.kind, SCHED_NONE);
}

static void leap_days_and_year_ends(void **unused)
{
	(void)unused;
	struct sched_zone z = zone("Asia/Kolkata");
	struct sched_state st = fresh();
	/* Thursdays only: Thursday 2024-02-29 is one. */
	struct sched_rule thu = { 22 * 60, SCHED_THU };
	struct sched_fire f = sched_next(&thu, &st, &z, END, utc(2024, 2, 27, 0, 0));
	assert_int_equal(f.day, D(2024, 2, 29));
	sched_fired(&st, &f);
	f = sched_next(&thu, &st, &z, END, f.at);
	assert_int_equal(f.day, D(2024, 3, 7));
	/* Tuesdays: 2028-02-29 is a Tuesday. */
	struct sched_rule tue = { 22 * 60, SCHED_TUE };
	st = fresh();
	f = sched_next(&tue, &st, &z, END, utc(2028, 2, 24, 0, 0));
	assert_int_equal(f.day, D(2028, 2, 29));
	/* Daily across Feb 28 → Mar 1 in a common year, and Dec 31 → Jan 1. */
	struct sched_rule daily = { 23 * 60 + 59, SCHED_DAILY };
	st = fresh();
	st.last = D(2023, 2, 28);
	f = sched_next(&daily, &st, &z, END, utc(2023, 2, 28, 18, 30));
	assert_int_equal(f.day, D(2023, 3, 1));
	st.last = D(2024, 12, 31);
	f = sched_next(&daily, &st, &z, END, utc(2024, 12, 31, 18, 30));
	assert_int_equal(f.day, D(2025, 1, 1));
	assert_int_equal(f.at, utc(2025, 1, 1, 18, 29));
	/* Weekdays from Friday 2027-12-31 to Monday 2028-01-03. */
	struct sched_rule wk = { 22 * 60, SCHED_WEEKDAYS };
	st = fresh();
	st.last = D(2027, 12, 31);
	f = sched_next(&wk, &st, &z, END, utc(2027, 12, 31, 17, 0));
	assert_int_equal(f.day, D(2028, 1, 3));
}

/* --- once per date, missed reminders, new reminders ---------------------- */
static void missed_and_once(void **unused)
{
	(void)unused;
	struct sched_zone z = zone("Europe/London");
	struct sched_rule r = { 22 * 60 + 30, SCHED_DAILY };
	struct sched_state st = fresh();
	st.last = D(2024, 6, 9);
	/* Woken at 23:30 BST (after a suspend): due now. */
	struct sched_fire f = sched_next(&r, &st, &z, END, utc(2024, 6, 10, 22, 30));
	assert_int_equal(f.kind, SCHED_REGULAR);
	assert_int_equal(f.at, utc(2024, 6, 10, 21, 30));
	assert_true(f.at <= utc(2024, 6, 10, 22, 30));
	sched_fired(&st, &f);
	f = sched_next(&r, &st, &z, END, utc(2024, 6, 10, 22, 31));
	assert_int_equal(f.day, D(2024, 6, 11));
	/* Woken at 02:30 BST: the evening is over, nothing fires for the 10th. */
	st.last = D(2024, 6, 9);
	f = sched_next(&r, &st, &z, END, utc(2024, 6, 11, 1, 30));
	assert_int_equal(f.day, D(2024, 6, 11));
	assert_int_equal(f.at, utc(2024, 6, 11, 21, 30));
	/* At 01:59 BST it still fires. */
	f = sched_next(&r, &st, &z, END, utc(2024, 6, 11, 0, 59));
	assert_int_equal(f.day, D(2024, 6, 10));
	/* A later evening end. */
	f = sched_next(&r, &st, &z, 4 * 60, utc(2024, 6, 11, 1, 30));
	assert_int_equal(f.day, D(2024, 6, 10));
	/* A reminder added at 23:00 for 22:30 waits for tomorrow; at 20:00, tonight. */
	sched_state_new(&st, &r, &z, END, utc(2024, 6, 10, 22, 0));
	f = sched_next(&r, &st, &z, END, utc(2024, 6, 10, 22, 0));
	assert_int_equal(f.day, D(2024, 6, 11));
	sched_state_new(&st, &r, &z, END, utc(2024, 6, 10, 19, 0));
	f = sched_next(&r, &st, &z, END, utc(2024, 6, 10, 19, 0));
	assert_int_equal(f.day, D(2024, 6, 10));
	/* Evening ends: 00:30 → same day 02:00; 13:00 → next day 02:00;
	 * 03:00, after its night's 02:00 and before noon, a minute on (it was
	 * the next day's 02:00: "missed" all day, issue 24). */
	assert_int_equal(sched_evening_end(&z, D(2024, 6, 10), 30, END), utc(2024, 6, 10, 1, 0));
	assert_int_equal(sched_evening_end(&z, D(2024, 6, 10), 13 * 60, END), utc(2024, 6, 11, 1, 0));
	assert_int_equal(sched_evening_end(&z, D(2024, 6, 10), 180, END), utc(2024, 6, 10, 2, 1));
}

static void zone_change_between_runs(void **unused)
{
	(void)unused;
	struct sched_zone lon = zone("Europe/London"), ny = zone("America/New_York");
	struct sched_rule r = { 22 * 60 + 30, SCHED_DAILY };
	struct sched_state st = fresh();
	/* Fired in London on the 10th (21:30 UTC); flies to New York, where it
	 * is 17:35 on the 10th: the 10th is done, next is the 11th at 22:30 EDT. */
	struct sched_fire f = sched_next(&r, &st, &lon, END, utc(2024, 6, 10, 12, 0));
	assert_int_equal(f.at, utc(2024, 6, 10, 21, 30));
	sched_fired(&st, &f);
	f = sched_next(&r, &st, &ny, END, utc(2024, 6, 10, 21, 35));
	assert_int_equal(f.day, D(2024, 6, 11));
	assert_int_equal(f.at, utc(2024, 6, 12, 2, 30));
	/* The other way: fired in New York on the 10th (02:30 UTC on the 11th);
	 * in London it is 03:35 on the 11th: tonight at 22:30 BST. */
	st = fresh();
	f = sched_next(&r, &st, &ny, END, utc(2024, 6, 10, 12, 0));
	assert_int_equal(f.at, utc(2024, 6, 11, 2, 30));
	sched_fired(&st, &f);
	f = sched_next(&r, &st, &lon, END, utc(2024, 6, 11, 2, 35));
	assert_int_equal(f.day, D(2024, 6, 11));
	assert_int_equal(f.at, utc(2024, 6, 11, 21, 30));
	/* Kolkata after New York: 08:05 on the 11th there; the 11th's 22:30. */
	struct sched_zone kol = zone("Asia/Kolkata");
	f = sched_next(&r, &st, &kol, END, utc(2024, 6, 11, 2, 35));
	assert_int_equal(f.at, utc(2024, 6, 11, 17, 0));
}

/* --- snooze and skip ------------------------------------------------------ */
static void snooze(void **unused)
{
	(void)unused;
	struct sched_zone z = zone("Asia/Kolkata"); /* 22:30 IST = 17:00 UTC */
	struct sched_rule r = { 22 * 60 + 30, SCHED_DAILY };
	struct sched_state st = fresh();
	st.last = D(2024, 6, 9);
	struct sched_fire f = sched_next(&r, &st, &z, END, utc(2024, 6, 10, 12, 0));
	sched_fired(&st, &f);
	int64_t now = utc(2024, 6, 10, 17, 1);
	assert_int_equal(sched_snooze(&st, &r, &z, END, now, 10), SCHED_OK);
	f = sched_next(&r, &st, &z, END, now);
	assert_int_equal(f.kind, SCHED_SNOOZE);
	assert_int_equal(f.at, utc(2024, 6, 10, 17, 11));
	sched_fired(&st, &f);
	f = sched_next(&r, &st, &z, END, utc(2024, 6, 10, 17, 11));
	assert_int_equal(f.kind, SCHED_REGULAR);
	assert_int_equal(f.day, D(2024, 6, 11));
	assert_int_equal(sched_snooze(&st, &r, &z, END, utc(2024, 6, 10, 17, 12), 5), SCHED_OK);
	assert_int_equal(sched_snooze(&st, &r, &z, END, utc(2024, 6, 10, 17, 13), 5), SCHED_OK);
	assert_int_equal(sched_snooze(&st, &r, &z, END, utc(2024, 6, 10, 17, 14), 5), SCHED_TOO_MANY);
	f = sched_next(&r, &st, &z, END, utc(2024, 6, 10, 17, 14));
	assert_int_equal(f.at, utc(2024, 6, 10, 17, 18));
	/* The next night counts afresh; snoozing before the time replaces it. */
	now = utc(2024, 6, 11, 14, 0);
	assert_int_equal(sched_snooze(&st, &r, &z, END, now, 10), SCHED_OK);
	f = sched_next(&r, &st, &z, END, now);
	assert_int_equal(f.kind, SCHED_SNOOZE);
	assert_int_equal(f.at, utc(2024, 6, 11, 17, 10));
	/* "snooze 5" after it, still before the time, does not bring it
	 * earlier (it moved it to 17:05). */
	assert_int_equal(sched_snooze(&st, &r, &z, END, now, 5), SCHED_OK);
	f = sched_next(&r, &st, &z, END, now);
	assert_int_equal(f.at, utc(2024, 6, 11, 17, 10));
	/* A snooze missed through the whole evening lapses. */
	f = sched_next(&r, &st, &z, END, utc(2024, 6, 11, 21, 0));
	assert_int_equal(f.kind, SCHED_REGULAR);
	assert_int_equal(f.day, D(2024, 6, 12));
	/* Snoozing past the evening's end still gets its moment. */
	st = fresh();
	now = utc(2024, 6, 12, 20, 25); /* 01:55 IST on the 13th */
	assert_int_equal(sched_snooze(&st, &r, &z, END, now, 10), SCHED_OK);
	f = sched_next(&r, &st, &z, END, utc(2024, 6, 12, 20, 34));
	assert_int_equal(f.kind, SCHED_SNOOZE);
	assert_int_equal(f.at, utc(2024, 6, 12, 20, 35));
}

static void skip_and_due(void **unused)
{
	(void)unused;
	struct sched_zone z = zone("Asia/Kolkata");
	struct sched_rule r = { 22 * 60 + 30, SCHED_WEEKDAYS };
	struct sched_state st = fresh();
	int64_t since = 0;
	/* Monday 2024-06-10. Due from 22:30 until 02:00. */
	assert_false(sched_due(&r, &st, &z, END, utc(2024, 6, 10, 16, 59), &since));
	assert_true(sched_due(&r, &st, &z, END, utc(2024, 6, 10, 17, 15), &since));
	assert_int_equal(since, utc(2024, 6, 10, 17, 0));
	assert_true(sched_due(&r, &st, &z, END, utc(2024, 6, 10, 20, 29), &since));
	assert_false(sched_due(&r, &st, &z, END, utc(2024, 6, 10, 20, 30), &since));
	/* Skipped at 20:00: no firing, not due. */
	sched_day day;
	assert_int_equal(sched_skip(&st, &r, &z, END, utc(2024, 6, 10, 14, 30), &day), SCHED_OK);
	assert_int_equal(day, D(2024, 6, 10));
	struct sched_fire f = sched_next(&r, &st, &z, END, utc(2024, 6, 10, 14, 30));
	assert_int_equal(f.day, D(2024, 6, 11));
	assert_false(sched_due(&r, &st, &z, END, utc(2024, 6, 10, 17, 15), &since));
	/* Snoozed: due only once the snooze has passed. */
	st = fresh();
	assert_int_equal(sched_snooze(&st, &r, &z, END, utc(2024, 6, 11, 17, 5), 15), SCHED_OK);
	assert_false(sched_due(&r, &st, &z, END, utc(2024, 6, 11, 17, 10), &since));
	assert_true(sched_due(&r, &st, &z, END, utc(2024, 6, 11, 17, 25), &since));
	assert_int_equal(since, utc(2024, 6, 11, 17, 20));
	/* Skip also cancels a pending snooze. */
	assert_int_equal(sched_skip(&st, &r, &z, END, utc(2024, 6, 11, 17, 21), NULL), SCHED_OK);
	f = sched_next(&r, &st, &z, END, utc(2024, 6, 11, 17, 21));
	assert_int_equal(f.kind, SCHED_REGULAR);
	assert_int_equal(f.day, D(2024, 6, 12));
	/* Saturday noon, weekdays only: no "tonight" within a day. */
	st = fresh();
	assert_int_equal(sched_skip(&st, &r, &z, END, utc(2024, 6, 15, 6, 30), NULL), SCHED_NO_TONIGHT);
	assert_int_equal(sched_snooze(&st, &r, &z, END, utc(2024, 6, 15, 6, 30), 10), SCHED_NO_TONIGHT);
	/* Sunday evening: tomorrow 22:30 is within a day. */
	assert_int_equal(sched_skip(&st, &r, &z, END, utc(2024, 6, 16, 18, 0), &day), SCHED_OK);
	assert_int_equal(day, D(2024, 6, 17));
}

/* --- a clock that went back --------------------------------------------- */
/* A clock set far ahead (by hand, a bad NTP answer) and the daemon fires:
 * last = that date. Back at the real date, the reminder used to be "never"
 * until the clock reached it again; now tonight counts as not fired. */
static void clock_went_back(void **unused)
{
	(void)unused;
	struct sched_zone z = zone("Europe/London");
	struct sched_rule r = { 22 * 60 + 30, SCHED_DAILY };
	struct sched_state st = fresh();
	int64_t ahead = utc(2031, 6, 10, 21, 31);
	struct sched_fire f = sched_next(&r, &st, &z, END, ahead);
	sched_fired(&st, &f);
	assert_int_equal(st.last, D(2031, 6, 10));
	assert_int_equal(sched_snooze(&st, &r, &z, END, ahead, 10), SCHED_OK);
	int64_t now = utc(2026, 6, 10, 12, 0);
	/* Unsettled, the next firing is the snooze asked for in 2031. */
	assert_int_equal(sched_next(&r, &st, &z, END, now).at, ahead + 600);
	assert_true(sched_state_settle(&st, &r, &z, now));
	assert_false(sched_state_settle(&st, &r, &z, now));
	f = sched_next(&r, &st, &z, END, now);
	assert_int_equal(f.kind, SCHED_REGULAR);
	assert_int_equal(f.day, D(2026, 6, 10));
	assert_int_equal(f.at, utc(2026, 6, 10, 21, 30));
	assert_int_equal(st.snooze_until, 0);
	assert_int_equal(st.snoozes, 0);
	/* After tonight's time, back within its evening: it fires, late. */
	st.last = D(2031, 6, 10);
	now = utc(2026, 6, 10, 23, 0);
	assert_true(sched_state_settle(&st, &r, &z, now));
	f = sched_next(&r, &st, &z, END, now);
	assert_int_equal(f.day, D(2026, 6, 10));
	assert_true(f.at <= now);
	/* What tonight legitimately holds stays: skipped ahead of a reminder
	 * after midnight, snoozed before its time. */
	struct sched_rule late = { 30, SCHED_DAILY };
	st = fresh();
	now = utc(2026, 6, 10, 22, 50); /* 23:50 BST; 00:30 is 40 min away */
	assert_int_equal(sched_skip(&st, &late, &z, END, now, NULL), SCHED_OK);
	assert_int_equal(st.skipped, D(2026, 6, 11));
	assert_false(sched_state_settle(&st, &late, &z, now));
	st = fresh();
	assert_int_equal(sched_snooze(&st, &late, &z, END, now, 120), SCHED_OK);
	assert_false(sched_state_settle(&st, &late, &z, now));
	assert_int_equal(st.snooze_until, utc(2026, 6, 10, 23, 30) + 7200);
	/* The night the clocks go forward, tonight's occurrence can be two
	 * dates ahead: at 23:02 EST on Saturday 7 March 2026, Monday 00:00 EDT
	 * is 23 h 58 min away. Skipped then, it stays skipped (fuzz_remind_state
	 * found the settle undoing it). */
	struct sched_zone ny = zone("America/New_York");
	struct sched_rule monday = { 0, SCHED_MON };
	st = fresh();
	now = utc(2026, 3, 8, 4, 2);
	assert_int_equal(sched_skip(&st, &monday, &ny, END, now, NULL), SCHED_OK);
	assert_int_equal(st.skipped, D(2026, 3, 9));
	assert_false(sched_state_settle(&st, &monday, &ny, now));
	assert_int_equal(st.skipped, D(2026, 3, 9));
	st.last = st.skipped = D(2026, 3, 10);
	assert_true(sched_state_settle(&st, &monday, &ny, now));
	/* A snooze for tonight dated decades before it (a corrupt file; it
	 * fired at once as "snoozed") is none either. */
	st = fresh();
	st.last = D(2026, 3, 2);
	st.snooze_day = D(2026, 3, 9);
	st.snoozes = 1;
	st.snooze_until = 17961624;
	assert_true(sched_state_settle(&st, &monday, &ny, now));
	assert_int_equal(st.snooze_until, 0);
	st = fresh();
	/* A snooze of years is none. */
	st.snooze_until = INT64_MAX - 10;
	assert_true(sched_state_settle(&st, &late, &z, now));
	assert_int_equal(st.snooze_until, 0);
}

/* --- every time of the day, every edge of the evening ------------------- */
/* The daemon (sched_next, sched_fired, and a timer at the instant it
 * names), `remind check` (sched_due) and `remind list` (sched_next's
 * instant) follow one reminder from its creation a little after midnight,
 * looked at every 10 minutes over three nights: for every half hour of the
 * day, with the evening ending at 02:00, 00:00, 23:59, at the reminder's own
 * time and half an hour either side of it, in zones with and without
 * daylight saving (over the nights it changes), once with the daemon awake
 * throughout and once with the machine asleep from half an hour before the
 * second night's time to an hour and a half after it (a missed one).
 * They must agree: a reminder fires only within its own night, once, and is
 * then never listed as "now"; check calls it due only in its night and only
 * when the daemon has fired it or fires it at that moment; every night has
 * an evening, and none the daemon was awake for is lost. Before: a reminder
 * added after its time was due to check but done to the daemon, and on the
 * night clocks go forward a reminder at 02:00 with its evening ending at
 * 02:30 (both at 03:00) had no evening and never fired. */
struct agree_case {
	const char *zone;
	int y, m, d; /* the first of the three days */
};

/* --- the state as the daemon and the commands see it -------------------- */
static void state_view(void **unused)
{
	(void)unused;
	struct sched_zone z = zone("Europe/London");
	struct sched_rule r = { 22 * 60 + 30, SCHED_DAILY }; /* 21:30 UTC in June */
	int64_t now = utc(2026, 6, 10, 22, 0);
	/* None read: made as for a reminder added now; tonight's began, so done. */
	struct sched_state st = fresh(), want = fresh();
	sched_state_new(&want, &r, &z, END, now);
	assert_int_equal(sched_state_view(&st, NULL, &r, &z, END, now), SCHED_VIEW_CHANGED);
	assert_memory_equal(&st, &want, sizeof st);
	assert_int_equal(st.last, D(2026, 6, 10));
	/* Read, and in order: nothing changes. */
	assert_int_equal(sched_state_view(&st, NULL, &r, &z, END, now), 0);
	assert_memory_equal(&st, &want, sizeof st);
	/* Dated after now: settled, and said. */
	st.last = D(2031, 1, 1);
	assert_int_equal(sched_state_view(&st, NULL, &r, &z, END, now), SCHED_VIEW_CHANGED | SCHED_VIEW_CLOCK_BACK);
	assert_true(st.last < D(2026, 6, 10));
	/* What the daemon fired and could not save is laid over the file. */
	struct sched_state fired = fresh();
	fired.last = D(2026, 6, 10);
	st = fresh();
	st.last = D(2026, 6, 8);
	assert_int_equal(sched_state_view(&st, &fired, &r, &z, END, now), SCHED_VIEW_CHANGED);
	assert_int_equal(st.last, D(2026, 6, 10));
	assert_int_equal(sched_next(&r, &st, &z, END, now).day, D(2026, 6, 11));
	/* The same state without the daemon's memory (a command): tonight
	 * would fire (the file's date is older), as the file says. */
	st = fresh();
	st.last = D(2026, 6, 8);
	assert_int_equal(sched_state_view(&st, NULL, &r, &z, END, now), 0);
	assert_int_equal(sched_next(&r, &st, &z, END, now).day, D(2026, 6, 10));
	/* None read, but fired here: the firing, not a fresh state. */
	st = fresh();
	fired.last = D(2026, 6, 9);
	assert_int_equal(sched_state_view(&st, &fired, &r, &z, END, now), SCHED_VIEW_CHANGED);
	assert_int_equal(st.last, D(2026, 6, 9));
	assert_int_equal(st.skipped, SCHED_NEVER);
	/* A snooze the daemon fired is no longer pending; another one is. */
	fired.snooze_until = utc(2026, 6, 10, 21, 40);
	st.snooze_until = fired.snooze_until;
	assert_int_equal(sched_state_view(&st, &fired, &r, &z, END, now), SCHED_VIEW_CHANGED);
	assert_int_equal(st.snooze_until, 0);
	assert_int_equal(sched_snooze(&st, &r, &z, END, now, 10), SCHED_OK);
	assert_int_equal(st.snooze_until, utc(2026, 6, 10, 22, 10));
	assert_int_equal(sched_state_view(&st, &fired, &r, &z, END, now), 0);
	assert_int_equal(st.snooze_until, utc(2026, 6, 10, 22, 10));
}

static int disagreements;

/* One reminder through the nights; a disagreement is printed with where it
 * happened, and counted. */
#define AGREE(c) do { \
	if (!(c) && disagreements++ < 20) \
		print_message("disagree: %s (%s, %02d:%02d, evening to %02d:%02d, %s, t=%lld)\n", #c, \
		              zname, minute / 60, minute % 60, end / 60, end % 60, \
		              missed ? "one missed" : "awake", (long long)t); \
} while (0)

static void agree_one(const char *zname, const struct sched_zone *z, sched_day day0, int minute,
                      int end, bool missed)
{
	struct sched_rule r = { minute, SCHED_DAILY };
	int64_t t0 = (int64_t)day0 * 86400 - z->offset(z, (int64_t)day0 * 86400) + 7 * 60;
	int64_t t_end = t0 + 4 * 86400, t = t0;
	struct sched_state st;
	sched_state_new(&st, &r, z, end, t0);
	struct sched_occ miss;
	AGREE(sched_upcoming(&r, z, end, t0 + 86400, &miss)); /* the second night's */
	bool fired[5] = { false }, awake_in[5] = { false };
	for (int64_t next; t < t_end; t = next) {
		bool awake = !missed || t < miss.start - 1800 || t >= miss.start + 5400;
		struct sched_occ cur;
		bool open = sched_current(&r, z, end, t, &cur);
		int k = open ? (int)(cur.day - day0) : -1;
		int64_t since = 0;
		bool due = sched_due(&r, &st, z, end, t, &since);
		struct sched_fire f = sched_next(&r, &st, z, end, t);
		bool fires = awake && f.kind != SCHED_NONE && f.at <= t;
		if (open && k >= 0 && k < 5 && awake && cur.start > t0)
			awake_in[k] = true;
		if (fires) {
			AGREE(open && f.day == cur.day && cur.start <= t && t < cur.end);
			AGREE(open && !fired[k]);
		}
		if (due && awake) { /* asleep, nothing runs: check neither */
			AGREE(open && since >= cur.start && since <= t && t < cur.end);
			AGREE(open && (fired[k] || (fires && f.day == cur.day)));
		}
		if (fires) {
			fired[k] = true;
			sched_fired(&st, &f);
			f = sched_next(&r, &st, z, end, t);
			AGREE(f.kind == SCHED_NONE || f.at > t);
			AGREE(sched_due(&r, &st, z, end, t, &since));
		} else if (awake && f.kind != SCHED_NONE) {
			AGREE(f.at > t);
		}
		next = t0 + ((t - t0) / 600 + 1) * 600;
		if (awake && f.kind != SCHED_NONE && f.at > t && f.at < next)
			next = f.at; /* the daemon's timer */
	}
	for (int k = 0; k < 5; k++)
		AGREE(!awake_in[k] || fired[k]);
	for (int k = 1; k < 3; k++) {
		t = sched_instant(z, day0 + k, minute);
		AGREE(sched_evening_end(z, day0 + k, minute, end) > t);
		AGREE(missed || fired[k]);
	}
}

static void agree_at_every_half_hour(void **unused)
{
	(void)unused;
	static const struct agree_case cases[] = {
		{ "UTC", 2026, 6, 10 },
		{ "America/New_York", 2026, 3, 7 },     /* 02:00 → 03:00 on the 8th */
		{ "America/New_York", 2026, 10, 31 },   /* 02:00 → 01:00 on 1 November */
		{ "Australia/Lord_Howe", 2026, 10, 3 }, /* 02:00 → 02:30 on the 4th */
		{ "Asia/Kolkata", 2026, 6, 10 },
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct sched_zone z = zone(cases[c].zone);
		sched_day day0 = D(cases[c].y, cases[c].m, cases[c].d);
		for (int minute = 0; minute < 1440; minute += 30) {
			const int ends[] = { END, 0, 1439, minute, (minute + 30) % 1440, (minute + 1410) % 1440 };
			for (size_t e = 0; e < sizeof ends / sizeof ends[0]; e++) {
				agree_one(cases[c].zone, &z, day0, minute, ends[e], false);
				agree_one(cases[c].zone, &z, day0, minute, ends[e], true);
			}
		}
	}
	assert_int_equal(disagreements, 0);
}

/* Issue 24: a reminder added at noon for 02:30 (after the evening's end,
 * 02:00) was "missed" from 02:30 all day until 02:00 the next night:
 * `remind check` at 03:00, 12:00 and 22:00 said it was time. A time
 * between evening_end and noon comes after its night: it fires on time and
 * is not caught up. The table: the two days after an add at noon, every
 * half hour, in four zones, with no daemon (nothing ever fired) and with a
 * daemon firing each occurrence as it comes; beside it a 22:30 and a 01:00
 * reminder, whose evenings run to 02:00 as before. Due is written as the
 * local wall time it must be, not through the scheduler's own rules. */
static bool due_window(int rule_minute, int m)
{
	switch (rule_minute) {
	case 150: return m == 150;                /* on time, the one minute */
	case 1350: return m >= 1350 || m < END;  /* 22:30 to 02:00 */
	case 60: return m >= 60 && m < END;      /* 01:00 to 02:00 */
	}
	return false;
}

static void late_reminder_not_missed_all_day(void **unused)
{
	(void)unused;
	static const char *const zones[] = { "Europe/Berlin", "America/New_York", "Asia/Kolkata",
	                                     "Australia/Sydney" };
	static const int minutes[] = { 150, 1350, 60 };
	int wrong = 0;
	for (size_t zi = 0; zi < sizeof zones / sizeof zones[0]; zi++) {
		struct sched_zone z = zone(zones[zi]);
		sched_day day0 = D(2026, 12, 7);
		int64_t noon = sched_instant(&z, day0, 12 * 60);
		for (size_t mi = 0; mi < sizeof minutes / sizeof minutes[0]; mi++) {
			struct sched_rule r = { minutes[mi], SCHED_DAILY };
			for (int daemon = 0; daemon <= 1; daemon++) {
				struct sched_state st;
				sched_state_new(&st, &r, &z, END, noon);
				int64_t t = noon;
				for (int h = 0; h < 2 * 48; h++, t += 1800) {
					int m;
					sched_local_day(&z, t, &m);
					struct sched_fire f = sched_next(&r, &st, &z, END, t);
					bool due = f.kind != SCHED_NONE && f.at <= t;
					/* With a daemon each occurrence is fired at its
					 * start, so only its own minute is ever due. */
					bool want = daemon ? m == minutes[mi] : due_window(minutes[mi], m);
					if (due != want && wrong++ < 20)
						print_message("%s, %02d:%02d, %s daemon, at local %02d:%02d: %s, want %s\n",
						              zones[zi], minutes[mi] / 60, minutes[mi] % 60,
						              daemon ? "with a" : "no", m / 60, m % 60,
						              due ? "due" : "not due", want ? "due" : "not due");
					if (due && daemon)
						sched_fired(&st, &f);
				}
			}
		}
	}
	assert_int_equal(wrong, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(calendar_round_trip),
		cmocka_unit_test(instants_new_york),
		cmocka_unit_test(instants_london),
		cmocka_unit_test(instants_lord_howe),
		cmocka_unit_test(instants_kolkata),
		cmocka_unit_test(instants_apia_skipped_day),
		cmocka_unit_test(year_new_york),
		cmocka_unit_test(year_lord_howe),
		cmocka_unit_test(year_london_and_kolkata),
		cmocka_unit_test(day_sets),
		cmocka_unit_test(leap_days_and_year_ends),
		cmocka_unit_test(missed_and_once),
		cmocka_unit_test(zone_change_between_runs),
		cmocka_unit_test(snooze),
		cmocka_unit_test(skip_and_due),
		cmocka_unit_test(clock_went_back),
		cmocka_unit_test(state_view),
		cmocka_unit_test(agree_at_every_half_hour),
		cmocka_unit_test(late_reminder_not_missed_all_day),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
