/* Calendar arithmetic for the history (pure: no I/O, no time zone database).
 * A local date is a civil day number: days since 1970-01-01 in the proleptic
 * Gregorian calendar, so "local date of an entry" is floor((utc + offset) / 86400)
 * and a DST change never makes a day 23 or 25 hours long here. */
#ifndef LULL_HISTDATE_H
#define LULL_HISTDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Day number of y-m-d (m 1..12, d 1..31). */
long hd_days_from_civil(int y, int m, int d);
void hd_civil_from_days(long days, int *y, int *m, int *d);

/* 0 = Sunday .. 6 = Saturday. */
int hd_weekday(long days);

/* The first day of the week holding day, weeks starting on first_weekday (0..6). */
long hd_week_start(long day, int first_weekday);

/* Local day number of UTC seconds t at offset off_s. */
long hd_local_day(time_t t, long off_s);

/* "YYYY-MM-DD" of a day number; buf of at least 11 bytes. */
void hd_format_date(long days, char *buf, size_t size);

/* "YYYY-MM-DDTHH:MM:SS+HH:MM" (local time, then its offset); buf >= 26 bytes. */
void hd_format_stamp(time_t t, long off_s, char *buf, size_t size);

/* Parses "YYYY-MM-DD" exactly; true and *days on success. */
bool hd_parse_date(const char *s, long *days);

/* Parses a stamp as hd_format_stamp writes it (also "Z" for +00:00). True and
 * the UTC seconds and offset on success. */
bool hd_parse_stamp(const char *s, time_t *t, long *off_s);

#endif
