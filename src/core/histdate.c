/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "histdate.h"

long hd_week_start(long day, int first_weekday)
{
	int back = (cal_weekday(day) - first_weekday + 7) % 7;
	return day - back;
}

long hd_local_day(time_t t, long off_s)
{
	return cal_day_of((int64_t)t + off_s);
}

void hd_format_stamp(time_t t, long off_s, char *buf, size_t size)
{
	int64_t local = (int64_t)t + off_s;
	long day = cal_day_of(local);
	long sec = (long)(local - (int64_t)day * CAL_DAY_S);
	int y, m, d;
	cal_civil_from_days(day, &y, &m, &d);
	long aoff = off_s < 0 ? -off_s : off_s;
	snprintf(buf, size, "%04d-%02d-%02dT%02ld:%02ld:%02ld%c%02ld:%02ld",
	         y, m, d, sec / 3600, sec / 60 % 60, sec % 60,
	         off_s < 0 ? '-' : '+', aoff / 3600, aoff / 60 % 60);
}

void hd_format_when(time_t t, long off_s, time_t now, long now_off_s, char *buf, size_t size)
{
	static const char *const weekdays[] = { "Sunday", "Monday", "Tuesday", "Wednesday",
						"Thursday", "Friday", "Saturday" };
	int64_t local = (int64_t)t + off_s;
	long day = cal_day_of(local);
	long sec = (long)(local - (int64_t)day * CAL_DAY_S);
	int hh = (int)(sec / 3600), mm = (int)(sec / 60 % 60);
	long today = hd_local_day(now, now_off_s), ago = today - day;
	/* Bedtime runs past midnight: 18:00 yesterday to 06:00 today is
	 * "last night", as a person waking says it. */
	bool night = (ago == 1 && hh >= 18) || (ago == 0 && hh < 6 && now >= t);
	if (night)
		snprintf(buf, size, "last night at %02d:%02d", hh, mm);
	else if (ago == 0)
		snprintf(buf, size, "today at %02d:%02d", hh, mm);
	else if (ago == 1)
		snprintf(buf, size, "yesterday at %02d:%02d", hh, mm);
	else if (ago > 1 && ago < 7)
		snprintf(buf, size, "on %s at %02d:%02d", weekdays[cal_weekday(day)], hh, mm);
	else {
		char date[16];
		cal_format_date(day, date, sizeof date);
		snprintf(buf, size, "on %s at %02d:%02d", date, hh, mm);
	}
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

bool hd_parse_stamp(const char *s, time_t *t, long *off_s)
{
	size_t len = strlen(s);
	long day;
	if (len < 20 || s[10] != 'T' || !cal_scan_date(s, &day))
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
	*t = (time_t)((int64_t)day * CAL_DAY_S + hh * 3600 + mi * 60 + ss - off);
	*off_s = off;
	return true;
}
