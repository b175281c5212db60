/* SPDX-License-Identifier: ISC */
/* `lull stats` and `lull checkin` end to end, on a history written relative
 * to today: the JSON (valid, per python3 -m json.tool) and CSV exports, the
 * text summary for a pipe, the screen in a pseudo-terminal (streak, weekly
 * bars, the minutes/sessions switch, q), reader warnings with line numbers,
 * --compact keeping the mtime, the morning check-in by options and by keys,
 * a hang-up during the check-in saving nothing, and 0600/0700 modes. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "histdate.h"
#include "paths.h"
#include "history.h"
#include "stats.h"
#include "util.h"
#include "../testhome.h"

static char hist[300];

static int setup(void **state)
{
	(void)state;
	assert_non_null(testhome_enter("stats-e2e"));
	unsetenv("NO_COLOR");
	testhome_path("state/lull/history.tsv", hist, sizeof hist);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(testhome_remove(), 0);
	return 0;
}

/* Runs the lull under test with args; stdout and stderr into files (or
 * /dev/null). Returns the exit status, or 128 + signal. */
static int run(const char *const args[], const char *out, const char *err)
{
	const char *argv[16] = { pty_lull_path() };
	for (int i = 0; args[i]; i++)
		argv[i + 1] = args[i];
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setenv("LC_ALL", "C.UTF-8", 1);
		int fd = open("/dev/null", O_RDONLY);
		dup2(fd, 0);
		int o = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err ? err : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(o, 1);
		dup2(e, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *buf = xcalloc(1, 1 << 20);
	size_t n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static char *tmpfile_path(const char *leaf)
{
	return xasprintf("%s/%s", testhome_dir, leaf);
}

/* The known history, relative to today in the C.UTF-8 locale:
 * three complete weeks before this one with 4 practice days each (10 min),
 * and today one practice session (with a check-in) and one quit at once.
 * Expected: 14 sessions, 13 practice sessions on 13 days, 130 minutes, a
 * current (and longest) streak of 3 weeks with 12 days, 1 day this week. */
/* The history file made afresh, its header written: the caller's to close. */
static FILE *new_history(void)
{
	char *dir = xasprintf("%s/state/lull", testhome_dir);
	assert_int_equal(paths_mkdir_p(dir, 0700), 0);
	free(dir);
	FILE *f = fopen(hist, "w");
	assert_non_null(f);
	fputs(history_header(), f);
	return f;
}

static void write_known_history(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	union { const char *s; unsigned long w; } w1 = { .s = nl_langinfo(_NL_TIME_WEEK_1STDAY) };
	int fw = stats_first_weekday(w1.w & 0xffffffffUL,
	                             (unsigned char)nl_langinfo(_NL_TIME_FIRST_WEEKDAY)[0]);
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	long off = tm.tm_gmtoff, today = hd_local_day(now, off);
	long ws = hd_week_start(today, fw);
	static const int pattern[3][4] = { { 0, 1, 2, 3 }, { 0, 2, 4, 6 }, { 1, 2, 3, 5 } };

	FILE *f = new_history();
	char line[1024];
	for (int w = 0; w < 3; w++) {
		for (int i = 0; i < 4; i++) {
			long d = ws - 7 * (3 - w) + pattern[w][i];
			struct history_entry e = {
				.start = (time_t)(d * 86400 + 21 * 3600 - off), .utc_offset_s = off,
				.program = "winddown", .planned_s = 600, .actual_s = 600,
				.end = HISTORY_FINISHED, .tension_before = -1, .tension_after = -1,
			};
			if (w == 2 && i == 0) {
				e.tension_before = 6;
				e.tension_after = 4;
			}
			history_format_entry(&e, line, sizeof line);
			fputs(line, f);
		}
	}
	struct history_entry t = {
		.start = (time_t)(today * 86400 + 20 * 3600 - off), .utc_offset_s = off,
		.program = "neck", .planned_s = 600, .actual_s = 600, .end = HISTORY_FINISHED,
		.sounds = "rain,brown", .tension_before = 7, .tension_after = 3, .area = "neck",
	};
	history_format_entry(&t, line, sizeof line);
	fputs(line, f);
	t.start += 600;
	t.actual_s = 10;
	t.end = HISTORY_QUIT;
	t.tension_before = t.tension_after = -1;
	history_format_entry(&t, line, sizeof line);
	fputs(line, f);
	fclose(f);
	chmod(hist, 0600);
}

static void json_export(void **state)
{
	(void)state;
	write_known_history();
	char *out = tmpfile_path("out.json"), *err = tmpfile_path("err");
	assert_int_equal(run((const char *[]){ "stats", "--json", NULL }, out, err), 0);
	char *j = slurp(out), *e = slurp(err);
	assert_string_equal(e, "");
	assert_non_null(strstr(j, "\"sessions\": 14,"));
	assert_non_null(strstr(j, "\"practice_sessions\": 13,"));
	assert_non_null(strstr(j, "\"practice_days\": 13,"));
	assert_non_null(strstr(j, "\"total_minutes\": 130.0,"));
	assert_non_null(strstr(j, "\"streak\": {\"current_weeks\": 3, \"current_days\": 12, "
	                        "\"longest_weeks\": 3, \"longest_days\": 12}"));
	assert_non_null(strstr(j, "\"practice_days\": 1, \"kept\": false}"));
	assert_non_null(strstr(j, "\"first_weekday\": \"sunday\""));
	assert_non_null(strstr(j, "\"tension\": {\"count\": 2, \"before\": 6.50, \"after\": 3.50, "
	                        "\"change\": -3.00"));
	assert_non_null(strstr(j, "\"sounds\": [\"rain\", \"brown\"]"));
	assert_non_null(strstr(j, "\"end\": \"quit\", \"practice\": false"));

	if (system("command -v python3 >/dev/null 2>&1") != 0) {
		free(j); free(e); free(out); free(err);
		skip(); /* the values are checked; only the JSON validation is missing */
	}
	char *cmd = xasprintf("python3 -m json.tool '%s' >/dev/null", out);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	/* --since cuts the earlier weeks: today's date leaves only today's
	 * two (a date to come is refused, see usage_errors). */
	char today[16], quoted[40];
	time_t t = time(NULL);
	struct tm tm;
	strftime(today, sizeof today, "%Y-%m-%d", localtime_r(&t, &tm));
	snprintf(quoted, sizeof quoted, "\"since\": \"%s\"", today);
	assert_int_equal(run((const char *[]){ "stats", "--json", "--since", today, NULL },
	                     out, err), 0);
	free(j);
	j = slurp(out);
	assert_non_null(strstr(j, quoted));
	assert_null(strstr(j, "\"program\": \"winddown\""));
	assert_non_null(strstr(j, "\"program\": \"neck\""));
	cmd = xasprintf("python3 -m json.tool '%s' >/dev/null", out);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(j);
	free(e);
	free(out);
	free(err);
}

static void csv_export(void **state)
{
	(void)state;
	write_known_history();
	char *out = tmpfile_path("out.csv");
	assert_int_equal(run((const char *[]){ "stats", "--csv", NULL }, out, NULL), 0);
	char *c = slurp(out);
	assert_true(str_has_prefix(c, "date,start,program,planned_min,actual_min,end,practice,"
	                              "sounds,tension_before,tension_after,area,"
	                              "sleep_next_morning,pain_next_morning\r\n"));
	int rows = 0;
	for (const char *p = c; (p = strstr(p, "\r\n")); p += 2)
		rows++;
	assert_int_equal(rows, 15);
	assert_non_null(strstr(c, ",neck,10.00,10.00,finished,yes,\"rain,brown\",7,3,neck,,\r\n"));
	assert_non_null(strstr(c, ",neck,10.00,0.17,quit,no,\"rain,brown\",,,neck,,\r\n"));
	free(c);
	free(out);
}

static void text_summary_when_piped(void **state)
{
	(void)state;
	write_known_history();
	char *out = tmpfile_path("out.txt"), *err = tmpfile_path("err");
	assert_int_equal(run((const char *[]){ "stats", NULL }, out, err), 0);
	char *t = slurp(out), *e = slurp(err);
	assert_string_equal(e, "");
	assert_non_null(strstr(t, "\nThis week       1 practice day: "));
	assert_non_null(strstr(t, "\nStreak          3 weeks (12 practice days), 4 or more days a week\n"));
	assert_non_null(strstr(t, "\nTotal           130 minutes, 13 sessions on 13 days since "));
	assert_non_null(strstr(t, "   4    40  ██████████████████████████████\n"));
	assert_non_null(strstr(t, "   1    10  ███████▌  (this week)\n"));
	/* The change in words, which way it went (issue 15; it read "change -3.0"). */
	assert_non_null(strstr(t, "\nTension         6.5 → 3.5, 3 points lower (2 check-ins)"));
	assert_null(strstr(t, "\033")); /* no escape sequences in a pipe */
	/* Under the calendar, its months: this month's name stands last. */
	const char *sat = strstr(t, "\n  Sat ");
	assert_non_null(sat);
	const char *months = strchr(sat + 1, '\n') + 1;
	char mon[8];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(mon, sizeof mon, "%b", &tm);
	char *line = strndup(months, strcspn(months, "\n"));
	const char *last = strrchr(line, ' ');
	assert_string_equal(last ? last + 1 : line, mon);
	free(line);
	free(t);
	free(e);
	free(out);
	free(err);
}

static void warnings_name_the_line(void **state)
{
	(void)state;
	write_known_history();
	FILE *f = fopen(hist, "a");
	fputs("session\tnot a time\tx\n", f);
	fputs("session\t2026-01-01T21:00:00+01:00\twinddown\t600.0\t60", f); /* torn */
	fclose(f);
	char *out = tmpfile_path("out.txt"), *err = tmpfile_path("err");
	assert_int_equal(run((const char *[]){ "stats", NULL }, out, err), 0);
	char *e = slurp(err), *t = slurp(out);
	char *want = xasprintf("%s:18: session record has 3 fields, expected 11; skipped\n"
	                       "%s:19: incomplete last line", hist, hist);
	assert_non_null(strstr(e, want));
	assert_non_null(strstr(t, "3 weeks (12 practice days)")); /* nothing else lost */
	free(want);

	/* --compact: the two lines become comments, the mtime stays. */
	struct timespec times[2] = { { 1600000000, 0 }, { 1600000000, 0 } };
	assert_int_equal(utimensat(AT_FDCWD, hist, times, 0), 0);
	assert_int_equal(run((const char *[]){ "stats", "--compact", NULL }, out, err), 0);
	free(t);
	t = slurp(out);
	assert_non_null(strstr(t, ": 14 records kept, 2 unreadable lines kept as comments\n"));
	struct stat st;
	assert_int_equal(stat(hist, &st), 0);
	assert_int_equal(st.st_mtim.tv_sec, 1600000000);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(run((const char *[]){ "stats", NULL }, out, err), 0);
	free(e);
	e = slurp(err);
	assert_string_equal(e, "");
	free(e);
	free(t);
	free(out);
	free(err);
}

static void usage_errors(void **state)
{
	(void)state;
	char *err = tmpfile_path("err");
	assert_int_equal(run((const char *[]){ "stats", "--since", "2026-13-01", NULL }, NULL, err), 2);
	char *e = slurp(err);
	assert_non_null(strstr(e, "--since: '2026-13-01' is not a date (YYYY-MM-DD)"));
	assert_non_null(strstr(e, "Try 'lull stats --help'"));
	free(e);
	/* A date to come is refused; today is fine. */
	char later[16], today[16];
	time_t t = time(NULL) + 2 * 86400;
	struct tm tm;
	strftime(later, sizeof later, "%Y-%m-%d", localtime_r(&t, &tm));
	t = time(NULL);
	strftime(today, sizeof today, "%Y-%m-%d", localtime_r(&t, &tm));
	assert_int_equal(run((const char *[]){ "stats", "--since", later, NULL }, NULL, err), 2);
	e = slurp(err);
	char *want = xasprintf("--since: %s is after today (", later);
	assert_non_null(strstr(e, want));
	free(want);
	free(e);
	assert_int_equal(run((const char *[]){ "stats", "--since", today, NULL }, NULL, err), 0);
	assert_int_equal(run((const char *[]){ "stats", "--json", "--csv", NULL }, NULL, err), 2);
	assert_int_equal(run((const char *[]){ "checkin", "--sleep", "11", NULL }, NULL, err), 2);
	assert_int_equal(run((const char *[]){ "checkin", "--area", "elbow", NULL }, NULL, err), 2);
	/* No terminal and no answers: say how, do not hang. */
	assert_int_equal(run((const char *[]){ "checkin", NULL }, NULL, err), 2);
	char *out = tmpfile_path("out");
	assert_int_equal(run((const char *[]){ "stats", "--help", NULL }, out, NULL), 0);
	e = slurp(out);
	assert_non_null(strstr(e, "--since DATE"));
	free(e);
	free(out);
	free(err);
}

static void screen_shows_streak_and_bars(void **state)
{
	(void)state;
	write_known_history();
	const char *argv[] = { pty_lull_path(), "stats", NULL };
	struct pty_options opt = { .rows = 24, .cols = 80 };
	struct pty *p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "q quit", 30000)); /* the last line drawn */
	static const char *const want[] = {
		"3 weeks (12 practice days)", "Minutes a week", "40 min", /* the fullest week */
		"██ ██ ██", /* three full weeks side by side */
		"1 of 4", "Last 26 weeks", "Tension", "q quit",
		"none", "<5", "20+ min", /* the calendar's legend */
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		if (!pty_wait_text(p, want[i], 2000))
			fprintf(stderr, "missing '%s' on:\n%s\n", want[i], pty_screen(p));
		assert_true(pty_screen_has(p, want[i]));
	}
	/* The three bars stand in the columns of weeks 9 to 11 of 12. */
	int full_row = -1;
	for (int r = 0; r < 24; r++) {
		if (strstr(pty_row(p, r), "██ ██ ██")) {
			full_row = r;
			break;
		}
	}
	assert_true(full_row > 0);
	const char *row = pty_row(p, full_row);
	assert_true(str_has_prefix(row, "                         ██ ██ ██"));

	pty_send(p, "m");
	assert_true(pty_wait_text(p, "Sessions a week", 30000));
	/* Narrower: the calendar shows fewer weeks, the rest stays. */
	pty_resize(p, 20, 70);
	assert_true(pty_wait_text(p, "Last 18 weeks", 30000));
	assert_true(pty_wait_text(p, "q quit", 30000));
	assert_true(pty_screen_has(p, "Sessions a week"));
	assert_true(pty_screen_has(p, "3 weeks (12 practice days)"));
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	pty_free(p);

	/* NO_COLOR: the same content, and no colour set. A hang-up ends it. */
	const char *env[] = { "NO_COLOR=1", NULL };
	opt.env = env;
	p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "3 weeks (12 practice days)", 30000));
	size_t len;
	const char *bytes = pty_output(p, &len);
	for (size_t i = 0; i + 6 < len; i++) /* SGR 38;5 / 3x foreground colours */
		assert_false(memcmp(bytes + i, "\033[38;5", 7) == 0);
	pty_hangup(p);
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);

	/* SIGTERM: the terminal is restored, then the signal is the cause. */
	opt.env = NULL;
	p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "3 weeks (12 practice days)", 30000));
	assert_int_equal(pty_signal(p, SIGTERM), 0);
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	bytes = pty_output(p, &len);
	assert_true(len > 8 && memmem(bytes, len, "\033[?1049l", 8) != NULL); /* left the alternate screen */
	pty_free(p);

	/* A terminal type terminfo does not know: the text summary, not an exit
	 * from inside curses. */
	const char *strange[] = { "TERM=no-such-terminal", NULL };
	opt.env = strange;
	opt.rows = 60; /* the whole summary, unscrolled */
	p = pty_spawn(argv, &opt);
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(pty_screen_has(p, "3 weeks (12 practice days)"));
	assert_false(pty_screen_has(p, "Error opening terminal"));
	pty_free(p);
}

/* In a locale that is not UTF-8 the title's dot became "?" (the screen
 * shows what the locale cannot as "?"): an ASCII title there. */
static void screen_title_ascii_without_utf8(void **state)
{
	(void)state;
	write_known_history();
	const char *argv[] = { pty_lull_path(), "stats", NULL };
	const char *env[] = { "LC_ALL=C", "LANG=C", NULL };
	struct pty_options opt = { .rows = 24, .cols = 80, .env = env };
	struct pty *p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "q quit", 3000));
	const char *title = pty_row(p, 0);
	if (!strstr(title, "lull - your practice"))
		fprintf(stderr, "the title row: '%s'\n", title);
	assert_non_null(strstr(title, "lull - your practice"));
	assert_null(strchr(title, '?'));
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 3000, &status));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	pty_free(p);
}

/* A hand-edited history (or one from before issue 14, when a session run
 * from a path stored its file's name as it was): a program, a sound and a
 * bad line hold an OSC that retitles the terminal, a C1 CSI, a bidi
 * override, DEL and bytes that are not UTF-8. The warning said after the
 * full screen quoted the bad line raw; now none reaches the terminal, and
 * the program is still shown. */
static void screen_never_draws_raw_bytes(void **state)
{
	(void)state;
	FILE *f = new_history();
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	char when[64];
	hd_format_stamp(now, tm.tm_gmtoff, when, sizeof when);
	const char *hostile = "X\033]0;PWN\007\xc2\x9b" "1m\xe2\x80\xae" "R\x7f" "D\xff\xfe" "B";
	fprintf(f, "session\t%s\tev%s\t600.0\t600.0\tfinished\t1\train%s\t7\t3\tneck\n", when, hostile, hostile);
	fprintf(f, "bad %s line\n", hostile);
	fclose(f);
	const char *argv[] = { pty_lull_path(), "stats", NULL };
	struct pty_options opt = { .rows = 30, .cols = 100 };
	struct pty *p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "q quit", 30000));
	if (!pty_wait_text(p, "evX", 2000))
		fprintf(stderr, "the program is not shown on:\n%s\n", pty_screen(p));
	assert_true(pty_screen_has(p, "evX"));
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* All it wrote, the warnings said once the screen is gone too. */
	size_t len;
	const char *bytes = pty_output(p, &len);
	assert_non_null(memmem(bytes, len, "unknown record kind", 19));
	assert_null(memmem(bytes, len, "\033]0;PWN", 7));
	assert_null(memmem(bytes, len, "\xc2\x9b", 2));
	assert_null(memmem(bytes, len, "\xe2\x80\xae", 3));
	assert_null(memchr(bytes, 0x7f, len));
	assert_null(memchr(bytes, 0xff, len));
	pty_free(p);
}

static void morning_checkin(void **state)
{
	(void)state;
	/* A session two hours ago: the morning record links to it. */
	char *dir = xasprintf("%s/state/lull", testhome_dir);
	time_t now = time(NULL);
	struct history_entry e = { .start = now - 7200, .utc_offset_s = 3600, .program = "winddown",
	                           .planned_s = 600, .actual_s = 600, .end = HISTORY_FINISHED,
	                           .tension_before = -1, .tension_after = -1 };
	char err[256];
	assert_int_equal(history_append(&e, err, sizeof err), 0);
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(hist, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	char *out = tmpfile_path("out");
	assert_int_equal(run((const char *[]){ "checkin", "--sleep", "7", "--pain", "3",
	                                       "--area", "neck", NULL }, out, NULL), 0);
	char *t = slurp(out);
	/* The session named as a person would: its program, the day and the
	 * hour (not an ISO stamp). */
	assert_non_null(strstr(t, "Saved, with your session of winddown "));
	assert_non_null(strstr(t, " at "));
	for (const char *c = t; c[0] && c[1] && c[2]; c++) /* no 2026-12-01T16:30 */
		assert_false(isdigit((unsigned char)c[0]) && c[1] == 'T' && isdigit((unsigned char)c[2]));
	free(t);
	assert_int_equal(run((const char *[]){ "stats", "--csv", NULL }, out, NULL), 0);
	t = slurp(out);
	assert_non_null(strstr(t, ",finished,yes,,,,,7,3\r\n"));
	free(t);

	/* One check-in a night: a second, with no terminal to ask on, is
	 * refused and says why; the first stays. --replace replaces it. */
	char *errf = tmpfile_path("err");
	assert_int_equal(run((const char *[]){ "checkin", "--sleep", "2", NULL }, out, errf), 1);
	t = slurp(errf);
	assert_non_null(strstr(t, "this night has a check-in already, made "));
	assert_non_null(strstr(t, "(sleep 7, pain 3, neck); --replace replaces it"));
	free(t);
	t = slurp(hist);
	assert_null(strstr(t, "\t2\t-\t"));
	free(t);
	assert_int_equal(run((const char *[]){ "checkin", "--sleep", "4", "--pain", "1", "--replace", NULL },
			     out, NULL), 0);
	t = slurp(out);
	assert_non_null(strstr(t, "Saved, in place of the earlier one, with your session of winddown "));
	free(t);
	assert_int_equal(run((const char *[]){ "stats", "--csv", NULL }, out, NULL), 0);
	t = slurp(out);
	assert_non_null(strstr(t, ",finished,yes,,,,,4,1\r\n"));
	free(t);
	/* The summary counts the night once, with the answer in force. */
	assert_int_equal(run((const char *[]){ "stats", "--json", NULL }, out, NULL), 0);
	t = slurp(out);
	assert_non_null(strstr(t, "\"mornings\": {\"count\": 1, \"sleep_average\": 4"));
	assert_null(strstr(t, "\"sleep\": 7"));
	free(t);
	free(errf);

	/* By keys: 8 for sleep; 1 then 0 for pain 10; l for lower back. */
	const char *argv[] = { pty_lull_path(), "checkin", NULL };
	struct pty_options opt = { .rows = 24, .cols = 80 };
	/* On a terminal the second check-in of the night asks first: n keeps
	 * the one there, y goes on to the questions. */
	struct pty *p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "replace it? [y/N]", 30000));
	pty_send(p, "n\r");
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(pty_screen_has(p, "Nothing saved; the check-in you made stays."));
	pty_free(p);
	p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "replace it? [y/N]", 30000));
	pty_send(p, "y\r");
	assert_true(pty_wait_text(p, "How did you sleep", 30000));
	pty_send(p, "8");
	assert_true(pty_wait_text(p, "pain or soreness on waking", 30000));
	pty_send(p, "10");
	assert_true(pty_wait_text(p, "Where mostly?", 30000));
	pty_send(p, "l");
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	pty_free(p);
	t = slurp(hist);
	assert_non_null(strstr(t, "\t8\t10\tlower back\n"));
	free(t);

	/* A hang-up in the middle saves nothing. */
	p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "replace it? [y/N]", 30000));
	pty_send(p, "y\r");
	assert_true(pty_wait_text(p, "How did you sleep", 30000));
	pty_send(p, "5");
	assert_true(pty_wait_text(p, "pain or soreness on waking", 30000));
	pty_hangup(p);
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
	t = slurp(hist);
	assert_null(strstr(t, "\t5\t"));
	struct history h;
	history_init(&h);
	assert_int_equal(history_load(hist, &h, stderr, err, sizeof err), 0);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.nm, 3); /* 7-3, replaced by 4-1, replaced by 8-10 */
	assert_int_equal(h.bad_lines, 0);
	history_free(&h);
	free(t);

	/* A resize while a question is up redraws it; the answers still count
	 * (a resize used to end `lull checkin` as if the terminal had gone). */
	p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "replace it? [y/N]", 30000));
	pty_send(p, "y\r");
	assert_true(pty_wait_text(p, "How did you sleep", 30000));
	pty_resize(p, 30, 100);
	pty_pump(p, 200);
	assert_true(pty_wait_text(p, "How did you sleep", 30000));
	pty_send(p, "6");
	assert_true(pty_wait_text(p, "pain or soreness on waking", 30000));
	pty_resize(p, 20, 60);
	pty_pump(p, 200);
	pty_send(p, "2");
	assert_true(pty_wait_text(p, "Where mostly?", 30000));
	pty_send(p, "n");
	assert_true(pty_wait_exit(p, 30000, &status));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	pty_free(p);
	t = slurp(hist);
	assert_non_null(strstr(t, "\t6\t2\tneck\n"));
	free(t);

	free(out);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(json_export, setup, teardown),
		cmocka_unit_test_setup_teardown(screen_title_ascii_without_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(csv_export, setup, teardown),
		cmocka_unit_test_setup_teardown(text_summary_when_piped, setup, teardown),
		cmocka_unit_test_setup_teardown(warnings_name_the_line, setup, teardown),
		cmocka_unit_test_setup_teardown(usage_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(screen_shows_streak_and_bars, setup, teardown),
		cmocka_unit_test_setup_teardown(screen_never_draws_raw_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(morning_checkin, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
