/* SPDX-License-Identifier: ISC */
/* The calendar: day numbers at their edges (before the epoch, before year 1,
 * leap centuries, year 9999), weekdays of negative days, floor division of
 * negative seconds, and a day-by-day walk over twelve thousand years checked
 * against an independent count. */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "calendar.h"

static void floor_division(void **unused)
{
	(void)unused;
	assert_int_equal(cal_floor_div(0, 86400), 0);
	assert_int_equal(cal_floor_div(86399, 86400), 0);
	assert_int_equal(cal_floor_div(86400, 86400), 1);
	assert_int_equal(cal_floor_div(-1, 86400), -1);
	assert_int_equal(cal_floor_div(-86400, 86400), -1);
	assert_int_equal(cal_floor_div(-86401, 86400), -2);
	assert_int_equal(cal_floor_div(-7, 7), -1);
	assert_int_equal(cal_floor_div(-8, 7), -2);
	assert_true(cal_floor_div(INT64_MIN, 86400) < 0);
	assert_true(cal_floor_div(INT64_MIN, 1) == INT64_MIN);
	assert_true(cal_floor_div(INT64_MAX, 1) == INT64_MAX);
	/* The second before the epoch is on the day before it. */
	assert_int_equal(cal_day_of(-1), -1);
	assert_int_equal(cal_day_of(0), 0);
	assert_int_equal(cal_day_of(-86400), -1);
	assert_int_equal(cal_day_of(-86401), -2);
	assert_int_equal(cal_day_of(INT64_C(253402300799)), 2932896); /* 9999-12-31T23:59:59 */
}

static void known_days(void **unused)
{
	(void)unused;
	assert_int_equal(cal_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(cal_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(cal_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(cal_days_from_civil(2000, 2, 29), 11016);
	assert_int_equal(cal_days_from_civil(1, 1, 1), -719162);
	assert_int_equal(cal_days_from_civil(0, 3, 1), -719468); /* the algorithm's own origin */
	assert_int_equal(cal_days_from_civil(0, 2, 29), -719469);
	assert_int_equal(cal_days_from_civil(0, 1, 1), -719528);
	assert_int_equal(cal_days_from_civil(-1, 12, 31), -719529);
	assert_int_equal(cal_days_from_civil(-400, 1, 1), -719528 - 146097);
	assert_int_equal(cal_days_from_civil(9999, 12, 31), 2932896);
	assert_int_equal(cal_days_from_civil(10000, 1, 1), 2932897);
	/* Far out, one era (400 years, 146,097 days) apart: no overflow. */
	assert_int_equal(cal_days_from_civil(1000000, 1, 1) - cal_days_from_civil(999600, 1, 1), 146097);
	assert_int_equal(cal_days_from_civil(-1000000, 1, 1) - cal_days_from_civil(-1000400, 1, 1), 146097);

	int y, m, d;
	cal_civil_from_days(-719529, &y, &m, &d);
	assert_int_equal(y, -1);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
	cal_civil_from_days(2932896, &y, &m, &d);
	assert_int_equal(y, 9999);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
	cal_civil_from_days(-719469, &y, &m, &d);
	assert_int_equal(y, 0);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
}

static void leap_years(void **unused)
{
	(void)unused;
	assert_true(cal_leap_year(2000));
	assert_true(cal_leap_year(2400));
	assert_true(cal_leap_year(2024));
	assert_true(cal_leap_year(0));
	assert_true(cal_leap_year(-4));
	assert_true(cal_leap_year(-400));
	assert_false(cal_leap_year(1900));
	assert_false(cal_leap_year(2100));
	assert_false(cal_leap_year(2023));
	assert_false(cal_leap_year(-100));
	assert_false(cal_leap_year(-1));
	assert_int_equal(cal_days_in_month(1900, 2), 28);
	assert_int_equal(cal_days_in_month(2000, 2), 29);
	assert_int_equal(cal_days_in_month(2100, 2), 28);
	assert_int_equal(cal_days_in_month(-100, 2), 28);
	assert_int_equal(cal_days_in_month(-400, 2), 29);
	assert_int_equal(cal_days_in_month(2026, 4), 30);
	assert_int_equal(cal_days_in_month(2026, 12), 31);
	assert_int_equal(cal_days_in_month(2026, 0), 0);
	assert_int_equal(cal_days_in_month(2026, 13), 0);
	/* The leap day follows 28 February and precedes 1 March. */
	assert_int_equal(cal_days_from_civil(2400, 3, 1) - cal_days_from_civil(2400, 2, 28), 2);
	assert_int_equal(cal_days_from_civil(2100, 3, 1) - cal_days_from_civil(2100, 2, 28), 1);
	assert_int_equal(cal_days_from_civil(-100, 3, 1) - cal_days_from_civil(-100, 2, 28), 1);
}

static void weekdays(void **unused)
{
	(void)unused;
	assert_int_equal(cal_weekday(0), 4);                                /* Thursday */
	assert_int_equal(cal_weekday(-1), 3);
	assert_int_equal(cal_weekday(-4), 0);
	assert_int_equal(cal_weekday(-7), 4);
	assert_int_equal(cal_weekday(-8), 3);
	assert_int_equal(cal_weekday(cal_days_from_civil(2026, 11, 25)), 3); /* Wednesday */
	assert_int_equal(cal_weekday(cal_days_from_civil(1, 1, 1)), 1);      /* Monday */
	assert_int_equal(cal_weekday(cal_days_from_civil(9999, 12, 31)), 5); /* Friday */
	assert_int_equal(cal_weekday(cal_days_from_civil(1582, 10, 15)), 5); /* Friday */
	for (long day = -3000000; day < 3000000; day += 99991)
		assert_int_equal(cal_weekday(day + 1), (cal_weekday(day) + 1) % 7);
}

/* Walks every day from -6000-01-01 to 6000-12-31, counting months by their
 * own lengths: day numbers go up by one and convert back. */
static void round_trip(void **unused)
{
	(void)unused;
	long expect = cal_days_from_civil(-6000, 1, 1);
	long first = expect;
	for (int y = -6000; y <= 6000; y++) {
		for (int m = 1; m <= 12; m++) {
			for (int d = 1; d <= cal_days_in_month(y, m); d++, expect++) {
				if (cal_days_from_civil(y, m, d) != expect)
					fail_msg("%d-%d-%d is day %ld, not %ld", y, m, d,
					         cal_days_from_civil(y, m, d), expect);
				int yy, mm, dd;
				cal_civil_from_days(expect, &yy, &mm, &dd);
				if (yy != y || mm != m || dd != d)
					fail_msg("day %ld is %d-%d-%d, not %d-%d-%d", expect, yy, mm, dd, y, m, d);
			}
		}
	}
	/* 12,001 years, 30 eras of 146,097 days and one year more (6000 is leap). */
	assert_int_equal(expect - first, 30L * 146097 + 366);
}

static void date_text(void **unused)
{
	(void)unused;
	char buf[16];
	cal_format_date(0, buf, sizeof buf);
	assert_string_equal(buf, "1970-01-01");
	cal_format_date(cal_days_from_civil(1, 2, 3), buf, sizeof buf);
	assert_string_equal(buf, "0001-02-03");
	cal_format_date(2932896, buf, sizeof buf);
	assert_string_equal(buf, "9999-12-31");
	long d;
	assert_true(cal_parse_date("9999-12-31", &d));
	assert_int_equal(d, 2932896);
	assert_true(cal_parse_date("0000-02-29", &d));
	assert_int_equal(d, -719469);
	assert_true(cal_parse_date("2000-02-29", &d));
	assert_false(cal_parse_date("1900-02-29", &d));
	assert_false(cal_parse_date("2026-04-31", &d));
	assert_false(cal_parse_date("2026-00-10", &d));
	assert_false(cal_parse_date("2026-01-00", &d));
	assert_false(cal_parse_date("2026-1-05", &d));
	assert_false(cal_parse_date("-001-01-05", &d));
	assert_false(cal_parse_date("2026-01-05 ", &d));
	assert_false(cal_parse_date("2026-01", &d));
	assert_false(cal_parse_date("", &d));
	/* The scan reads ten bytes and leaves the rest to the caller. */
	assert_true(cal_scan_date("2026-11-25T22:10:05+01:00", &d));
	assert_int_equal(d, cal_days_from_civil(2026, 11, 25));
	assert_false(cal_scan_date("2026-11", &d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(floor_division),
		cmocka_unit_test(known_days),
		cmocka_unit_test(leap_years),
		cmocka_unit_test(weekdays),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(date_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
