/* SPDX-License-Identifier: ISC */
/* `lull status`: one short line for a tmux status bar or a shell prompt,
 * from facts the shell gathers (tonight's next reminder, whether tonight's
 * session is done, the week's practice). Pure: the format is expanded here,
 * nothing is read. */
#ifndef LULL_STATUSLINE_H
#define LULL_STATUSLINE_H

#include <stdbool.h>
#include <stddef.h>

struct status_facts {
	bool reminder;       /* a reminder is still due tonight */
	int reminder_min;    /* ... at this minute of the day (0..1439) */
	bool reminder_now;   /* ... or is due now (its time passed, not yet fired) */
	bool done_tonight;   /* a practice session since this evening began */
	int week_days;       /* practice days this week so far, 0..7 */
	int week_goal;       /* days a week that keep a streak (streak_days) */
};

/* The default format: "next 21:30 · tonight not yet · 2/4 days". */
#define STATUS_DEFAULT_FORMAT "next %n · tonight %t · %w/%g days"
/* The same where the locale is not UTF-8: the dot would be bytes it cannot
 * show. */
#define STATUS_DEFAULT_FORMAT_ASCII "next %n - tonight %t - %w/%g days"

/* Expands fmt into out (size bytes, always terminated):
 *   %n  tonight's next reminder as HH:MM, "now" when due, or "none"
 *   %t  "done" or "not yet"
 *   %T  "done" or "" (for a prompt that shows only what is there)
 *   %w  practice days this week       %g  the week's goal
 *   %%  a percent sign
 * False, with the offending conversion's byte offset in *bad, for an
 * unknown conversion or a lone % at the end. Text around conversions is
 * copied as it is: the shell sanitises what it prints. */
bool status_format(const char *fmt, const struct status_facts *f, char *out, size_t size, size_t *bad);

#endif
