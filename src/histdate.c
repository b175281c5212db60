#include "config.h"

#include <stdio.h>
#include <string.h>

#include "histdate.h"

/* Howard Hinnant's days-from-civil algorithm, eras of 400 years. */
long hd_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void hd_civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static long floor_div(long a, long b)
{
	long q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int hd_weekday(long days)
{
	/* 1970-01-01 was a Thursday (4). */
	long w = (days + 4) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

long hd_week_start(long day, int first_weekday)
{
	int back = (hd_weekday(day) - first_weekday + 7) % 7;
	return day - back;
}

long hd_local_day(time_t t, long off_s)
{
	return floor_div((long)t + off_s, 86400);
}

void hd_format_date(long days, char *buf, size_t size)
{
	int y, m, d;
	hd_civil_from_days(days, &y, &m, &d);
	snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

void hd_format_stamp(time_t t, long off_s, char *buf, size_t size)
{
	long local = (long)t + off_s;
	long day = floor_div(local, 86400);
	long sec = local - day * 86400;
	int y, m, d;
	hd_civil_from_days(day, &y, &m, &d);
	long aoff = off_s < 0 ? -off_s : off_s;
	snprintf(buf, size, "%04d-%02d-%02dT%02ld:%02ld:%02ld%c%02ld:%02ld",
	         y, m, d, sec / 3600, sec / 60 % 60, sec % 60,
	         off_s < 0 ? '-' : '+', aoff / 3600, aoff / 60 % 60);
}

/* n decimal digits at s; -1 if any is not a digit. */
static long digits(const char *s, int n)
{
	long v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static bool parse_ymd(const char *s, long *days)
{
	long y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 0 || m < 1 || m > 12 || d < 1 || s[4] != '-' || s[7] != '-')
		return false;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (d > mdays[m - 1])
		return false;
	long n = hd_days_from_civil((int)y, (int)m, (int)d);
	int yy, mm, dd;
	hd_civil_from_days(n, &yy, &mm, &dd);
	if (dd != d) /* 29 February of a common year */
		return false;
	*days = n;
	return true;
}

bool hd_parse_date(const char *s, long *days)
{
	if (strlen(s) != 10)
		return false;
	return parse_ymd(s, days);
}

bool hd_parse_stamp(const char *s, time_t *t, long *off_s)
{
	size_t len = strlen(s);
	long day;
	if (len < 20 || s[10] != 'T' || !parse_ymd(s, &day))
		return false;
	long hh = digits(s + 11, 2), mi = digits(s + 14, 2), ss = digits(s + 17, 2);
	if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 60 ||
	    s[13] != ':' || s[16] != ':')
		return false;
	long off;
	if (len == 20 && s[19] == 'Z') {
		off = 0;
	} else if (len == 25 && (s[19] == '+' || s[19] == '-') && s[22] == ':') {
		long oh = digits(s + 20, 2), om = digits(s + 23, 2);
		if (oh < 0 || oh > 18 || om < 0 || om > 59)
			return false;
		off = (oh * 3600 + om * 60) * (s[19] == '-' ? -1 : 1);
	} else {
		return false;
	}
	*t = (time_t)(day * 86400 + hh * 3600 + mi * 60 + ss - off);
	*off_s = off;
	return true;
}
