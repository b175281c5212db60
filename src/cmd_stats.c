/* SPDX-License-Identifier: ISC */
/* `lull stats` and `lull checkin`: the shell around history.c (the file),
 * stats.c (the numbers), statsview.c / statsexport.c (showing them) and
 * checkin.c (asking). */
#include "config.h"

#include <getopt.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "checkin.h"
#include "cli.h"
#include "commands.h"
#include "histdate.h"
#include "palette.h"
#include "history.h"
#include "settings.h"
#include "stats.h"
#include "text.h"
#include "statsexport.h"
#include "statsview.h"
#include "tty.h"
#include "util.h"

static const char stats_help[] =
"Usage: lull stats [--json | --csv] [--since DATE] [--compact]\n"
"Your practice: days this week, sessions and minutes per week over the last\n"
"12 weeks, a calendar of the last months, streaks, total minutes, and how\n"
"tension changed from before to after a session.\n"
"\n"
"  --json         the summary and every session as JSON\n"
"  --csv          one row per session (with the morning after it), as CSV\n"
"  --since DATE   count only sessions from DATE (YYYY-MM-DD) on\n"
"  --compact      rewrite the history file in canonical form; unreadable\n"
"                 lines are kept as comments\n"
"  -h, --help     show this help and exit\n"
"\n"
"On a terminal the summary is a screen (q quits, m switches minutes and\n"
"sessions); otherwise it is printed as text. A streak is kept by practising\n"
"on at least 'streak_days' days a week (4 unless set); see lull(1).\n";

static const char checkin_help[] =
"Usage: lull checkin [--sleep N] [--pain N] [--area AREA] [--replace]\n"
"The morning follow-up: how you slept and any pain on waking, each 0 to 10,\n"
"saved with a link to last night's session. Without options it asks on the\n"
"terminal (one key each; Enter skips). One check-in a night: a second asks\n"
"before it replaces the first.\n"
"\n"
"  --sleep N      sleep quality, 0 (very poor) to 10 (very good)\n"
"  --pain N       pain or soreness on waking, 0 (none) to 10\n"
"  --area AREA    where: neck, shoulders, upper back, lower back, head, jaw, other\n"
"                 (upper-back is upper back, as is upper_back)\n"
"  --replace      replace this night's check-in without asking\n"
"  -h, --help     show this help and exit\n";

/* The locale's first day of the week, 0 = Sunday. */
int stats_locale_first_weekday(void)
{
#ifdef __GLIBC__
	union { const char *s; unsigned long word; } w1 = { .s = nl_langinfo(_NL_TIME_WEEK_1STDAY) };
	int first = (unsigned char)nl_langinfo(_NL_TIME_FIRST_WEEKDAY)[0];
	return stats_first_weekday(w1.word & 0xffffffffUL, first);
#else
	return 1; /* ISO 8601: Monday */
#endif
}

static void local_now(time_t *now, long *off, long *today)
{
	*now = time(NULL);
	struct tm tm;
	localtime_r(now, &tm);
	*off = tm.tm_gmtoff;
	*today = hd_local_day(*now, *off);
}

static int cmp_start(const void *a, const void *b)
{
	const struct history_entry *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

static int compact(const char *path)
{
	if (access(path, F_OK) != 0) {
		printf("lull: %s does not exist yet; nothing to compact\n", path);
		return 0;
	}
	size_t kept, commented;
	char err[512];
	if (history_compact(path, stderr, &kept, &commented, err, sizeof err) < 0) {
		fprintf(stderr, "lull: %s\n", err);
		return 1;
	}
	printf("lull: %s: %zu record%s kept", path, kept, kept == 1 ? "" : "s");
	if (commented)
		printf(", %zu unreadable line%s kept as comments", commented,
		       commented == 1 ? "" : "s");
	printf("\n");
	return 0;
}

int cmd_stats(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'c' },
		{ "since", required_argument, NULL, 's' },
		{ "compact", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum { VIEW, JSON, CSV } mode = VIEW;
	bool do_compact = false;
	long since = STATS_ALL_TIME;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'j':
		case 'c':
			if (mode != VIEW)
				return usage_error("stats", "--json and --csv exclude each other");
			mode = c == 'j' ? JSON : CSV;
			break;
		case 's':
			if (!cal_parse_date(optarg, &since))
				return usage_error("stats", "--since: '%s' is not a date (YYYY-MM-DD)", optarg);
			break;
		case 'C':
			do_compact = true;
			break;
		case 'h':
			fputs(stats_help, stdout);
			return 0;
		case ':':
			return usage_error("stats", "option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt)
				return usage_error("stats", "unknown option '-%c'", optopt);
			return usage_unknown_option("stats", "", argv[optind - 1], options);
		}
	}
	if (optind < argc)
		return usage_error("stats", "unexpected argument '%s'", argv[optind]);

	char *path = history_path();
	if (!path) {
		fprintf(stderr, "lull: no home directory: set HOME or XDG_STATE_HOME\n");
		return 1;
	}
	if (do_compact) {
		if (mode != VIEW || since != STATS_ALL_TIME) {
			free(path);
			return usage_error("stats", "--compact takes no other option");
		}
		int r = compact(path);
		free(path);
		return r;
	}

	if (since != STATS_ALL_TIME) {
		/* A date to come counts nothing: say so rather than show an
		 * empty summary as if nothing had been done. */
		time_t t;
		long o, day;
		local_now(&t, &o, &day);
		if (since > day) {
			char want[16], d[16];
			cal_format_date(since, want, sizeof want);
			cal_format_date(day, d, sizeof d);
			free(path);
			return usage_error("stats", "--since: %s is after today (%s)", want, d);
		}
	}

	struct settings set;
	settings_defaults(&set);
	settings_load(&set, NULL, stderr);

	bool screen = mode == VIEW && isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
	/* Reader warnings wait while the screen is up, then follow it. */
	char *warnings = NULL;
	size_t wlen = 0;
	FILE *warn = screen ? open_memstream(&warnings, &wlen) : stderr;
	if (!warn)
		warn = stderr;

	struct history h;
	history_init(&h);
	char err[512];
	if (history_load(path, &h, warn, err, sizeof err) < 0) {
		if (warn != stderr)
			fclose(warn);
		free(warnings);
		fprintf(stderr, "lull: %s\n", err);
		free(path);
		return 1;
	}
	if (warn != stderr)
		fclose(warn);
	/* Appends come in time order; sort only when a clock or a hand edit
	 * says otherwise (the entries are big: sorting them is not free). */
	for (size_t i = 1; i < h.n; i++) {
		if (h.entries[i].start < h.entries[i - 1].start) {
			qsort(h.entries, h.n, sizeof *h.entries, cmp_start);
			break;
		}
	}

	time_t now;
	long off, today;
	local_now(&now, &off, &today);
	struct stats_input in = {
		.entries = h.entries, .n = h.n, .mornings = h.mornings, .nm = h.nm,
		.today = today, .first_weekday = stats_locale_first_weekday(),
		.streak_days = set.streak_days, .since = since,
	};
	struct stats *s = xmalloc(sizeof *s);
	stats_compute(&in, s);

	int status = 0;
	if (mode == JSON || mode == CSV) {
		struct statsexport x = { .s = s, .h = &h, .today = today, .since = since,
		                         .first_weekday = in.first_weekday };
		if (mode == JSON)
			statsexport_json(stdout, &x);
		else
			statsexport_csv(stdout, &x);
	} else {
		struct statsview_ctx v = {
			.s = s, .today = today, .since = since, .first_weekday = in.first_weekday,
			.color = set.color, .utf8 = tty_utf8(), .eighths = tty_eighth_blocks(),
			.warnings = warnings,
		};
		char why[160];
		if (screen && tty_can_curses(why, sizeof why) && (status = statsview_run(&v)) >= 0) {
			/* drawn on the screen */
		} else {
			status = 0;
			if (warnings && warnings[0])
				fputs(warnings, stderr);
			statsview_print(stdout, &v);
		}
	}
	if (fflush(stdout) != 0 && status == 0)
		status = 1;
	free(warnings);
	free(s);
	history_free(&h);
	free(path);
	return status;
}

/* ------------------------------------------------------------ checkin */

/* A level option: 0..10. */
static bool parse_level(const char *s, int *v)
{
	char *end;
	long x = strtol(s, &end, 10);
	if (end == s || *end || x < 0 || x > 10)
		return false;
	*v = (int)x;
	return true;
}

/* The area's own name for s, or NULL. "upper-back" and "upper_back" are
 * "upper back": a space is awkward on a command line, and the one name
 * goes into the history. */
static const char *known_area(const char *s)
{
	char spaced[32];
	str_copy(spaced, s, sizeof spaced);
	for (char *c = spaced; *c; c++)
		if (*c == '-' || *c == '_')
			*c = ' ';
	for (int i = 0; i < CHECKIN_AREAS; i++) {
		if (strcmp(spaced, checkin_area_names[i]) == 0)
			return checkin_area_names[i];
	}
	return NULL;
}

/* Last night's session: the latest one that started within the 24 hours
 * before now. */
/* What the history says about this morning: the session it follows (the
 * latest of the last 24 hours) and a check-in already made for that night. */
struct last_night {
	char program[64];          /* of the linked session */
	bool checked_in;
	struct history_morning earlier;
};

static void link_last_night(struct history_morning *m, time_t now, struct last_night *ln)
{
	memset(ln, 0, sizeof *ln);
	char *path = history_path();
	if (!path)
		return;
	struct history h;
	history_init(&h);
	char err[256];
	if (history_load(path, &h, NULL, err, sizeof err) == 0) {
		for (size_t i = 0; i < h.n; i++) {
			const struct history_entry *e = &h.entries[i];
			if (e->start <= now && e->start > now - 24 * 3600 &&
			    (!m->linked || e->start > m->session_start)) {
				m->linked = true;
				m->session_start = e->start;
				m->session_offset_s = e->utc_offset_s;
				str_copy(ln->program, e->program, sizeof ln->program);
			}
		}
		for (size_t i = h.nm; i-- > 0;) {
			if (stats_same_night(&h.mornings[i], m)) {
				ln->checked_in = true;
				ln->earlier = h.mornings[i];
				break;
			}
		}
	}
	history_free(&h);
	free(path);
}

/* "sleep 5, pain 2 (neck)" for a check-in. */
static void describe_morning(const struct history_morning *m, char *buf, size_t size)
{
	char sleep[16] = "skipped", pain[16] = "skipped";
	if (m->sleep >= 0)
		snprintf(sleep, sizeof sleep, "%d", m->sleep);
	if (m->pain >= 0)
		snprintf(pain, sizeof pain, "%d", m->pain);
	char *area = text_sanitize(m->area);
	snprintf(buf, size, "sleep %s, pain %s%s%s", sleep, pain, *area ? ", " : "", area);
	free(area);
}

/* A check-in for this night is there already: replace it? On a terminal
 * the person is asked (y replaces); elsewhere only --replace does. */
static bool may_replace(const struct last_night *ln, time_t now, long off, bool replace)
{
	char when[64], what[96];
	hd_format_when(ln->earlier.at, ln->earlier.utc_offset_s, now, off, when, sizeof when);
	describe_morning(&ln->earlier, what, sizeof what);
	if (replace)
		return true;
	if (!isatty(STDIN_FILENO)) {
		fprintf(stderr, "lull: this night has a check-in already, made %s (%s); --replace replaces it\n", when, what);
		return false;
	}
	printf("This night has a check-in already, made %s (%s).\nCheck in again and replace it? [y/N] ", when, what);
	fflush(stdout);
	char line[16];
	return fgets(line, sizeof line, stdin) && (line[0] == 'y' || line[0] == 'Y');
}

/* Both questions on a screen of our own. 0 answered, 1 hang-up, 2 quit;
 * after SIGTERM, SIGINT or SIGHUP the terminal is restored and the signal
 * raised again. */
static int ask_morning(struct history_morning *m)
{
	if (!tty_open())
		return 1;
	palette_init(true);
	struct checkin_opts o = {
		.question = "Good morning. How did you sleep, 0–10?",
		.hint = "0 very poorly … 10 very well · 1 then 0 for 10 · Enter skips",
	};
	struct checkin_answer a;
	int sig = 0, r = 0;
	enum checkin_status st = checkin_ask(&o, &a, &sig);
	if (st == CHECKIN_HANGUP || st == CHECKIN_INTERRUPTED) {
		r = 1;
	} else if (st == CHECKIN_QUITTED) {
		r = 2;
	} else {
		m->sleep = a.level;
		o.question = "Any pain or soreness on waking, 0–10?";
		o.hint = "0 none … 10 the worst · 1 then 0 for 10 · Enter skips";
		o.ask_area = true;
		st = checkin_ask(&o, &a, &sig);
		if (st == CHECKIN_HANGUP || st == CHECKIN_INTERRUPTED)
			r = 1;
		else if (st == CHECKIN_QUITTED)
			r = 2;
		else {
			m->pain = a.level;
			str_copy(m->area, a.area, sizeof m->area);
		}
	}
	tty_close();
	if (sig)
		tty_reraise(sig); /* the terminal is restored: die of it */
	return r;
}

int cmd_checkin(int argc, char **argv)
{
	static const struct option options[] = {
		{ "sleep", required_argument, NULL, 's' },
		{ "pain", required_argument, NULL, 'p' },
		{ "area", required_argument, NULL, 'a' },
		{ "replace", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct history_morning m = { .sleep = -1, .pain = -1 };
	bool given = false, replace = false;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!parse_level(optarg, &m.sleep))
				return usage_error("checkin", "--sleep: '%s' is not 0 to 10", optarg);
			given = true;
			break;
		case 'p':
			if (!parse_level(optarg, &m.pain))
				return usage_error("checkin", "--pain: '%s' is not 0 to 10", optarg);
			given = true;
			break;
		case 'a':
			if (!known_area(optarg)) {
				const char *areas[CHECKIN_AREAS + 1] = { NULL };
				memcpy(areas, checkin_area_names, sizeof checkin_area_names);
				char hint[80];
				return usage_error("checkin", "--area: '%s' is not one of neck, shoulders, "
				                   "upper back, lower back, head, jaw, other%s", optarg,
				                   usage_hint(optarg, areas, hint, sizeof hint));
			}
			str_copy(m.area, known_area(optarg), sizeof m.area);
			given = true;
			break;
		case 'r':
			replace = true;
			break;
		case 'h':
			fputs(checkin_help, stdout);
			return 0;
		case ':':
			return usage_error("checkin", "option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt)
				return usage_error("checkin", "unknown option '-%c'", optopt);
			return usage_unknown_option("checkin", "", argv[optind - 1], options);
		}
	}
	if (optind < argc)
		return usage_error("checkin", "unexpected argument '%s'", argv[optind]);

	time_t now;
	long off, today;
	local_now(&now, &off, &today);
	m.at = now;
	m.utc_offset_s = off;
	struct last_night ln;
	link_last_night(&m, now, &ln);
	if (ln.checked_in && !may_replace(&ln, now, off, replace)) {
		printf("Nothing saved; the check-in you made stays.\n");
		return given && !isatty(STDIN_FILENO) ? 1 : 0;
	}
	if (!given) {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
			return usage_error("checkin", "no terminal to ask on: give --sleep and --pain");
		int r = ask_morning(&m);
		if (r == 1)
			return 1; /* the terminal is gone: nobody to tell */
		if (r == 2 || (m.sleep < 0 && m.pain < 0)) {
			printf("Nothing saved.\n");
			return 0;
		}
	}
	char err[512];
	if (history_append_morning(&m, err, sizeof err) < 0) {
		fprintf(stderr, "lull: %s\n", err);
		return 1;
	}
	const char *again = ln.checked_in ? ", in place of the earlier one" : "";
	if (m.linked) {
		char when[64];
		hd_format_when(m.session_start, m.session_offset_s, now, off, when, sizeof when);
		char *program = text_sanitize(ln.program);
		printf("Saved%s, with your session of %s %s.\n", again, program, when);
		free(program);
	} else {
		printf("Saved%s. (No session in the last 24 hours to link it to.)\n", again);
	}
	return 0;
}
