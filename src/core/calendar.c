/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "calendar.h"

/* 400 Gregorian years are exactly 146,097 days: the calendar repeats by
 * eras, so the arithmetic is done on the year of the era. */
#define ERA_DAYS 146097
/* Days from 0000-03-01 to 1970-01-01: years counted from March put the leap
 * day last, where it does not move the months before it. */
#define EPOCH_SHIFT 719468

int64_t cal_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Howard Hinnant's days_from_civil and civil_from_days
 * (https://howardhinnant.github.io/date_algorithms.html), in 64 bits so that
 * no intermediate overflows for any int year. */
long cal_days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = cal_floor_div(yy, 400);
	int64_t yoe = yy - era * 400;                      /* 0..399 */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* 0..365 */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  /* 0..146096 */
	return (long)(era * ERA_DAYS + doe - EPOCH_SHIFT);
}

void cal_civil_from_days(long days, int *y, int *m, int *d)
{
	int64_t z = (int64_t)days + EPOCH_SHIFT;
	int64_t era = cal_floor_div(z, ERA_DAYS);
	int64_t doe = z - era * ERA_DAYS;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t mm = mp < 10 ? mp + 3 : mp - 9;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)mm;
	*y = (int)(yoe + era * 400 + (mm <= 2));
}

int cal_weekday(long days)
{
	/* 1970-01-01 was a Thursday (4). */
	int64_t w = ((int64_t)days + 4) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

bool cal_leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int cal_days_in_month(int y, int m)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	return m == 2 && cal_leap_year(y) ? 29 : len[m - 1];
}

long cal_day_of(int64_t local_s)
{
	return (long)cal_floor_div(local_s, CAL_DAY_S);
}

void cal_format_date(long days, char *buf, size_t size)
{
	int y, m, d;
	cal_civil_from_days(days, &y, &m, &d);
	snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

bool cal_scan_date(const char *s, long *days)
{
	/* Field by field, stopping at the first byte out of place: s may be a
	 * shorter string, whose NUL ends the scan. */
	static const int width[3] = { 4, 2, 2 };
	int v[3] = { 0, 0, 0 };
	size_t i = 0;
	for (int f = 0; f < 3; f++) {
		if (f > 0 && s[i++] != '-')
			return false;
		for (int k = 0; k < width[f]; k++, i++) {
			if (s[i] < '0' || s[i] > '9')
				return false;
			v[f] = v[f] * 10 + (s[i] - '0');
		}
	}
	if (v[2] < 1 || v[2] > cal_days_in_month(v[0], v[1]))
		return false;
	*days = cal_days_from_civil(v[0], v[1], v[2]);
	return true;
}

bool cal_parse_date(const char *s, long *days)
{
	return strlen(s) == 10 && cal_scan_date(s, days);
}
