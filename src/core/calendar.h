/* SPDX-License-Identifier: ISC */
/* Civil-date arithmetic, the one copy for the scheduler and the history
 * (pure: no clock, no time zone, no I/O).
 *
 * A date is a day number: days since 1970-01-01 in the proleptic Gregorian
 * calendar (day 0 a Thursday, negative before it). Years are astronomical:
 * year 0 is 1 BC and a leap year. Everything is exact for years from
 * -1,000,000 to 1,000,000, far past any date lull reads or writes. Local time
 * zones are somebody else's business: a caller turns an instant into local
 * seconds since the epoch first, and cal_day_of() takes it from there. */
#ifndef LULL_CALENDAR_H
#define LULL_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAL_DAY_S 86400

/* a / b rounded towards minus infinity, for b > 0 (C's / rounds towards 0,
 * which puts the second before the epoch on day 0 instead of day -1). */
int64_t cal_floor_div(int64_t a, int64_t b);

/* The day number of y-m-d (m 1..12, d 1..31; not checked: see
 * cal_days_in_month), and back. */
long cal_days_from_civil(int y, int m, int d);
void cal_civil_from_days(long days, int *y, int *m, int *d);

/* 0 = Sunday .. 6 = Saturday, as tm_wday. */
int cal_weekday(long days);

bool cal_leap_year(int y);
/* 28..31 for m 1..12, 0 for a month that does not exist. */
int cal_days_in_month(int y, int m);

/* The day of local seconds since the epoch (wall time read as if UTC). */
long cal_day_of(int64_t local_s);

/* "YYYY-MM-DD" of a day number; buf of at least 11 bytes for years 0..9999. */
void cal_format_date(long days, char *buf, size_t size);

/* Parses "YYYY-MM-DD" (a four-digit year, a date that exists): exactly that
 * string, or (cal_scan_date) the first ten bytes of s, whatever follows.
 * True and *days on success. */
bool cal_parse_date(const char *s, long *days);
bool cal_scan_date(const char *s, long *days);

#endif
