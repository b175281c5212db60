/* SPDX-License-Identifier: ISC */
/* Dates and times of the history (pure: no I/O, no time zone database).
 * A local date is a civil day number (calendar.h), so "local date of an
 * entry" is floor((utc + offset) / 86400) and a DST change never makes a day
 * 23 or 25 hours long here. */
#ifndef LULL_HISTDATE_H
#define LULL_HISTDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* The first day of the week holding day, weeks starting on first_weekday (0..6). */
long hd_week_start(long day, int first_weekday);

/* Local day number of UTC seconds t at offset off_s. */
long hd_local_day(time_t t, long off_s);

/* "YYYY-MM-DDTHH:MM:SS+HH:MM" (local time, then its offset); buf >= 26 bytes. */
void hd_format_stamp(time_t t, long off_s, char *buf, size_t size);

/* When t (at offset off_s) was, as a person says it seen from now (at
 * now_off_s): "today at 15:53", "last night at 23:10" (the evening before,
 * or after midnight this morning), "yesterday at 14:05", "on Tuesday at
 * 21:40" within the week, else "on 2026-11-03 at 21:40". */
void hd_format_when(time_t t, long off_s, time_t now, long now_off_s, char *buf, size_t size);

/* Parses a stamp as hd_format_stamp writes it (also "Z" for +00:00). True and
 * the UTC seconds and offset on success. */
bool hd_parse_stamp(const char *s, time_t *t, long *off_s);

#endif
