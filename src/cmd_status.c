/* SPDX-License-Identifier: ISC */
/* lull status: one short line for a tmux status bar or a shell prompt, fast
 * enough to run at every prompt: tonight's next reminder (as `remind list`
 * sees it), whether tonight's session is done, and the week's practice
 * (from the last part of the history only). The format is statusline.c's. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "histdate.h"
#include "history.h"
#include "paths.h"
#include "reminders.h"
#include "schedule.h"
#include "settings.h"
#include "stats.h"
#include "statusline.h"
#include "text.h"
#include "tty.h"
#include "util.h"
#include "zone.h"

static const char status_help[] =
"Usage: lull status [--format FORMAT]\n"
"One short line for a tmux status bar or a shell prompt: tonight's next\n"
"reminder, whether tonight's session is done, and the week's practice.\n"
"Nothing is written; it reads only the end of the history.\n"
"\n"
"  -f, --format FORMAT  what to print (default \"" STATUS_DEFAULT_FORMAT_ASCII "\",\n"
"                 with middle dots for the dashes where the locale is UTF-8):\n"
"                 %n  tonight's next reminder (HH:MM, \"now\" or \"none\")\n"
"                 %t  tonight's session: \"done\" or \"not yet\"\n"
"                 %T  \"done\", or nothing\n"
"                 %w  practice days this week    %g  the week's goal (streak_days)\n"
"                 %%  a percent sign\n"
"  -h, --help     show this help and exit\n"
"\n"
"In tmux: set -g status-right '#(lull status)'; status-interval 60.\n";

/* The last part of the history is enough for a week: 64 KiB hold some
 * 600 sessions. Read from the first whole line in it. */
#define STATUS_TAIL_BYTES (64 * 1024)

static void read_tail(const char *path, struct history *h)
{
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return;
	}
	off_t from = st.st_size > STATUS_TAIL_BYTES ? st.st_size - STATUS_TAIL_BYTES : 0;
	char *buf = xmalloc(STATUS_TAIL_BYTES + 1);
	ssize_t n = pread(fd, buf, STATUS_TAIL_BYTES, from);
	close(fd);
	if (n > 0) {
		const char *text = buf;
		size_t len = (size_t)n;
		if (from > 0) { /* the first line is cut: start after it */
			const char *nl = memchr(buf, '\n', len);
			len = nl ? len - (size_t)(nl + 1 - buf) : 0;
			text = nl ? nl + 1 : buf;
		}
		history_parse_text(text, len, path, h, NULL);
	}
	free(buf);
}

int cmd_status(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char plain[sizeof STATUS_DEFAULT_FORMAT];
	const char *fmt = tty_text(STATUS_DEFAULT_FORMAT, plain, sizeof plain); /* STATUS_DEFAULT_FORMAT_ASCII */
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:h", options, NULL)) != -1) {
		switch (c) {
		case 'f':
			fmt = optarg;
			break;
		case 'h':
			fputs(status_help, stdout);
			return 0;
		case ':':
			return usage_error("status", "option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_unknown_option("status", "", argv[optind - 1], options);
		}
	}
	if (optind < argc)
		return usage_error("status", "unexpected argument '%s'", argv[optind]);
	struct status_facts f = { .week_goal = 4 };
	char out[512];
	size_t bad;
	if (!status_format(fmt, &f, out, sizeof out, &bad)) { /* checked before anything is read */
		char *esc = text_escape(fmt + bad, strlen(fmt + bad) < 2 ? strlen(fmt + bad) : 2, 8);
		int rc = usage_error("status", "--format: '%s' is not one of %%n %%t %%T %%w %%g %%%%", esc);
		free(esc);
		return rc;
	}

	struct settings set;
	settings_defaults(&set);
	settings_load(&set, NULL, NULL); /* a prompt is no place for warnings */
	f.week_goal = set.streak_days;
	struct sched_zone zone;
	zone_local(&zone);
	int64_t now = (int64_t)time(NULL);

	/* Tonight's next reminder, as remind list works it out. */
	char *rpath = paths_file(PATH_CONFIG, "reminders"), *spath = paths_file(PATH_STATE, "remind-state");
	struct reminder_list list;
	struct remind_states states;
	memset(&list, 0, sizeof list);
	memset(&states, 0, sizeof states);
	int64_t best_at = 0;
	if (rpath && spath && reminders_load(rpath, &list, NULL) >= 0) {
		remind_states_load(spath, &states, NULL);
		for (size_t i = 0; i < list.n; i++) {
			const struct reminder *r = &list.v[i];
			struct sched_state *st = remind_states_get(&states, r->id, false);
			if (!st || st->last == SCHED_NEVER) {
				st = remind_states_get(&states, r->id, true);
				sched_state_new(st, &r->rule, &zone, set.evening_end_min, now);
			}
			sched_state_settle(st, &r->rule, &zone, now);
			struct sched_fire fire = sched_next(&r->rule, st, &zone, set.evening_end_min, now);
			if (fire.kind == SCHED_NONE || fire.at - now >= 24 * 3600)
				continue; /* not tonight */
			int minute;
			sched_local_day(&zone, fire.at > now ? fire.at : now, &minute);
			bool due = fire.at <= now;
			if (!f.reminder || due || (!f.reminder_now && fire.at < best_at)) {
				f.reminder = true;
				f.reminder_now = f.reminder_now || due;
				best_at = fire.at;
				f.reminder_min = minute;
			}
		}
	}
	reminders_free(&list);
	remind_states_free(&states);
	free(rpath);
	free(spath);

	/* The week, and tonight: a practice session since noon of the night's
	 * day (before evening_end the night is still yesterday's). */
	char *hpath = paths_file(PATH_STATE, "history.tsv");
	struct history h;
	history_init(&h);
	if (hpath)
		read_tail(hpath, &h);
	free(hpath);
	struct tm tm;
	time_t tt = (time_t)now;
	long off = localtime_r(&tt, &tm) ? tm.tm_gmtoff : 0;
	long today = hd_local_day(tt, off);
	long minute_now = (long)((now + off) - (int64_t)today * 86400) / 60;
	long night = minute_now < set.evening_end_min ? today - 1 : today;
	int64_t noon = (int64_t)night * 86400 + 12 * 3600 - off;
	for (size_t i = 0; i < h.n; i++)
		if (history_is_practice(&h.entries[i]) && h.entries[i].start >= noon && h.entries[i].start <= now)
			f.done_tonight = true;
	struct stats s;
	struct stats_input in = { .entries = h.entries, .n = h.n, .today = today,
				  .first_weekday = stats_locale_first_weekday(), .streak_days = set.streak_days, .since = STATS_ALL_TIME };
	stats_compute(&in, &s);
	f.week_days = s.week_days;
	history_free(&h);

	status_format(fmt, &f, out, sizeof out, NULL);
	char *safe = text_sanitize(out); /* the format is the person's, shown as text */
	puts(safe);
	free(safe);
	return fflush(stdout) == 0 ? 0 : 1;
}
