/* SPDX-License-Identifier: ISC */
/* The reminder file: fields, errors with line and column, the good lines
 * kept, the format read back, the state file, and atomic 0600 writes. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "calendar.h"
#include "reminders.h"
#include "../testhome.h"

static sched_day D(int y, int m, int d) { return (sched_day)cal_days_from_civil(y, m, d); }

static void times(void **unused)
{
	(void)unused;
	int m;
	assert_true(remind_parse_time("22:30", &m));
	assert_int_equal(m, 22 * 60 + 30);
	assert_true(remind_parse_time("7:05", &m));
	assert_int_equal(m, 7 * 60 + 5);
	assert_true(remind_parse_time("00:00", &m));
	assert_int_equal(m, 0);
	assert_true(remind_parse_time("10:30pm", &m));
	assert_int_equal(m, 22 * 60 + 30);
	assert_true(remind_parse_time("10:30 PM", &m));
	assert_int_equal(m, 22 * 60 + 30);
	assert_true(remind_parse_time("10pm", &m));
	assert_int_equal(m, 22 * 60);
	assert_true(remind_parse_time("12am", &m));
	assert_int_equal(m, 0);
	assert_true(remind_parse_time("12:15pm", &m));
	assert_int_equal(m, 12 * 60 + 15);
	const char *bad[] = { "", "22", "24:00", "22:60", "22:3", "13pm", "0am", "22:30x",
		              "ten", "-1:00", "222:00", "22:30pmm", ":30" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(remind_parse_time(bad[i], &m));
}

static void days(void **unused)
{
	(void)unused;
	unsigned d;
	char buf[64];
	assert_true(remind_parse_days("daily", &d));
	assert_int_equal(d, SCHED_DAILY);
	assert_true(remind_parse_days("weekdays", &d));
	assert_int_equal(d, SCHED_WEEKDAYS);
	assert_true(remind_parse_days("weekends", &d));
	assert_int_equal(d, SCHED_WEEKENDS);
	assert_true(remind_parse_days("mon,Wed,friday", &d));
	assert_int_equal(d, SCHED_MON | SCHED_WED | SCHED_FRI);
	remind_format_days(d, buf, sizeof buf);
	assert_string_equal(buf, "mon,wed,fri");
	assert_true(remind_parse_days("sun,sat", &d));
	remind_format_days(d, buf, sizeof buf);
	assert_string_equal(buf, "weekends");
	assert_true(remind_parse_days("sun,tue", &d));
	remind_format_days(d, buf, sizeof buf);
	assert_string_equal(buf, "tue,sun");
	assert_false(remind_parse_days("", &d));
	assert_false(remind_parse_days("mon,", &d));
	assert_false(remind_parse_days("mo", &d));
	assert_false(remind_parse_days("mon,,tue", &d));
	assert_false(remind_parse_days("sometimes", &d));
}

static char *errors_of(const char *text, struct reminder_list *l, int *bad)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&buf, &len);
	*bad = reminders_parse(text, "reminders", l, err);
	fclose(err);
	return buf;
}

static void parse_good_and_bad(void **unused)
{
	(void)unused;
	const char *text =
		"# a comment\n"
		"\n"
		"1 22:30 weekdays session=winddown Tea, then bed\n"
		"2 25:00 daily\n"
		"3 23:00 fri,sat\n"
		"  x 22:00 daily\n"
		"4 22:00 someday\n"
		"3 21:00 daily duplicate id\n"
		"5 21:00\n"
		"6 21:15 daily session=bad/name\n"
		"7\t9:45pm\tmon  A message with  two spaces   \n";
	struct reminder_list l = { 0 };
	int bad;
	char *err = errors_of(text, &l, &bad);
	assert_int_equal(bad, 6);
	assert_non_null(strstr(err, "reminders:4:3: bad time '25:00'"));
	assert_non_null(strstr(err, "reminders:6:3: bad id 'x'"));
	assert_non_null(strstr(err, "reminders:7:9: bad days 'someday'"));
	assert_non_null(strstr(err, "reminders:8:1: id 3 is used twice"));
	assert_non_null(strstr(err, "reminders:9:8: missing days"));
	assert_non_null(strstr(err, "reminders:10:15: bad session name 'bad/name'"));
	/* One line per error. */
	int lines = 0;
	for (char *p = err; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 6);
	free(err);

	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[0].id, 1);
	assert_int_equal(l.v[0].rule.minute, 22 * 60 + 30);
	assert_int_equal(l.v[0].rule.days, SCHED_WEEKDAYS);
	assert_string_equal(l.v[0].session, "winddown");
	assert_string_equal(l.v[0].message, "Tea, then bed");
	assert_int_equal(l.v[0].line, 3);
	assert_int_equal(l.v[1].id, 3);
	assert_string_equal(l.v[1].message, "");
	assert_int_equal(l.v[2].id, 7);
	assert_int_equal(l.v[2].rule.minute, 21 * 60 + 45);
	assert_string_equal(l.v[2].message, "A message with  two spaces");

	/* What lull writes, it reads back the same. */
	char *text2 = reminders_format(&l);
	struct reminder_list l2 = { 0 };
	err = errors_of(text2, &l2, &bad);
	assert_int_equal(bad, 0);
	assert_int_equal(l2.n, l.n);
	for (size_t i = 0; i < l.n; i++) {
		assert_int_equal(l2.v[i].id, l.v[i].id);
		assert_int_equal(l2.v[i].rule.minute, l.v[i].rule.minute);
		assert_int_equal(l2.v[i].rule.days, l.v[i].rule.days);
		assert_string_equal(l2.v[i].session, l.v[i].session);
		assert_string_equal(l2.v[i].message, l.v[i].message);
	}
	assert_true(reminders_remove(&l2, 3));
	assert_false(reminders_remove(&l2, 3));
	assert_null(reminders_find(&l2, 3));
	assert_non_null(reminders_find(&l2, 7));
	free(err);
	free(text2);
	reminders_free(&l);
	reminders_free(&l2);

	/* No newline at the end, CRLF line ends. */
	err = errors_of("1 22:30 daily hi\r\n2 23:00 daily", &l, &bad);
	assert_int_equal(bad, 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].message, "hi");
	free(err);
	reminders_free(&l);
}

static void states_round_trip(void **unused)
{
	(void)unused;
	struct remind_states s = { 0 };
	struct sched_state *a = remind_states_get(&s, 4, true);
	a->last = cal_days_from_civil(2024, 2, 29);
	a->snooze_day = a->last;
	a->snoozes = 2;
	a->snooze_until = 1709245800;
	remind_states_get(&s, 9, true);
	assert_int_equal(remind_states_max_id(&s), 9);
	char *text = remind_states_format(&s);
	struct remind_states t = { 0 };
	assert_int_equal(remind_states_parse(text, "remind-state", &t, NULL), 0);
	assert_int_equal(t.n, 2);
	struct sched_state *b = remind_states_get(&t, 4, false);
	assert_non_null(b);
	assert_int_equal(b->last, cal_days_from_civil(2024, 2, 29));
	assert_int_equal(b->skipped, SCHED_NEVER);
	assert_int_equal(b->snooze_day, b->last);
	assert_int_equal(b->snoozes, 2);
	assert_int_equal(b->snooze_until, 1709245800);
	b = remind_states_get(&t, 9, false);
	assert_int_equal(b->last, SCHED_NEVER);
	remind_states_drop(&t, 9);
	assert_null(remind_states_get(&t, 9, false));
	free(text);
	remind_states_free(&t);
	/* A damaged line is dropped, the others are kept. (Reminder 2, whose
	 * date does not exist, starts afresh: before, it was kept with its
	 * date as "never", which the daemon treats the same way.) */
	assert_int_equal(remind_states_parse("1 2024-01-01 - - 0 0\ngarbage\n2 2024-13-01 - - 0 0\n",
	                                     "remind-state", &t, NULL), 2);
	assert_int_equal(t.n, 1);
	assert_int_equal(remind_states_get(&t, 1, false)->last, D(2024, 1, 1));
	assert_null(remind_states_get(&t, 2, false));
	remind_states_free(&t);
	remind_states_free(&s);
}

static char *state_errors_of(const char *text, struct remind_states *s, int *bad)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&buf, &len);
	*bad = remind_states_parse(text, "remind-state", s, err);
	fclose(err);
	return buf;
}

/* A corrupt state file (a date of 9999-12-31, a snooze-until near
 * INT64_MAX, id 2147483647) crashed the daemon in strftime and overflowed
 * in the scheduler and in `remind add`. Every field is bounded when read;
 * what is out of bounds is named with FILE:LINE and left out. */
static void states_bounded(void **unused)
{
	(void)unused;
	struct remind_states s = { 0 };
	int bad;
	char *err = state_errors_of(
		"# lull reminder state\n"
		"1 9999-12-31 - 9999-12-31 3 253402300799\n"   /* the very last: kept */
		"2 2026-12-01 - 2026-12-01 1 9223372036854775000\n"
		"2147483647 2026-12-01 - - 0 0\n"
		"3 0001-01-01 - - 0 0\n"
		"4 - - - 4 0\n"
		"5 - - - -1 0\n"
		"6 - - - 0 -5\n"
		"1 - - - 0 0\n"
		"7 - - -\n"
		"8 - - - 0 0 extra\n"
		"9 - - - 0 99999999999999999999999\n"
		"\x1b[31m - - - 0 0\n"
		"1000000 - - - 0 0\n"
		"10 2026-02-29 - - 0 0\n"
		"11\t2026-06-10\t-\t-\t0\t0\r\n",
		&s, &bad);
	assert_int_equal(bad, 13);
	assert_non_null(strstr(err, "remind-state:3: bad snooze time '9223372036854775000'"));
	assert_non_null(strstr(err, "remind-state:4: bad id '2147483647'"));
	assert_non_null(strstr(err, "remind-state:5: bad date '0001-01-01'"));
	assert_non_null(strstr(err, "remind-state:6: bad snooze count '4'"));
	assert_non_null(strstr(err, "remind-state:7: bad snooze count '-1'"));
	assert_non_null(strstr(err, "remind-state:8: bad snooze time '-5'"));
	assert_non_null(strstr(err, "remind-state:9: id listed twice '1'"));
	assert_non_null(strstr(err, "remind-state:10: expected 'ID LAST"));
	assert_non_null(strstr(err, "remind-state:11: expected"));
	assert_non_null(strstr(err, "remind-state:12: bad snooze time"));
	assert_non_null(strstr(err, "remind-state:13: bad id '\\u{001B}[31m'"));
	assert_non_null(strstr(err, "remind-state:14: bad id '1000000'"));
	assert_non_null(strstr(err, "remind-state:15: bad date '2026-02-29'"));
	assert_null(strchr(err, '\x1b'));
	assert_int_equal(s.n, 2);
	struct sched_state *a = remind_states_get(&s, 1, false);
	assert_int_equal(a->last, D(9999, 12, 31));
	assert_int_equal(a->snooze_until, 253402300799);
	assert_int_equal(remind_states_get(&s, 11, false)->last, D(2026, 6, 10));
	free(err);
	remind_states_free(&s);

	/* Many ids: found again, each once, in the order read. */
	size_t cap = 60000 * 32, used = 0;
	char *big = malloc(cap);
	for (int id = 60000; id >= 1; id--)
		used += (size_t)snprintf(big + used, cap - used, "%d 2026-06-10 - - 0 0\n", id);
	assert_int_equal(remind_states_parse(big, "remind-state", &s, NULL), 0);
	assert_int_equal(s.n, 60000);
	for (int id = 1; id <= 60000; id++)
		assert_non_null(remind_states_get(&s, id, false));
	assert_null(remind_states_get(&s, 60001, false));
	assert_int_equal(s.v[0].id, 60000);
	remind_states_drop(&s, 30000);
	assert_null(remind_states_get(&s, 30000, false));
	assert_non_null(remind_states_get(&s, 29999, false));
	assert_int_equal(remind_states_parse(big, "remind-state", &s, NULL), 59999); /* all twice but one */
	free(big);
	remind_states_free(&s);
}

/* `remind add` stored what the file could not read back: a message with
 * CR, ESC or C1 bytes, one that began "session=" (read back as a session),
 * blanks the reader trims. The message rule is one, for add and the file. */
static void messages(void **unused)
{
	(void)unused;
	assert_null(remind_check_message("", false));
	assert_null(remind_check_message("Tea, then bed — slowly ☾", false));
	assert_null(remind_check_message("session=x", true));
	assert_non_null(remind_check_message("session=x", false));
	assert_non_null(remind_check_message("a\rb", false));
	assert_non_null(remind_check_message("a\tb", false));
	assert_non_null(remind_check_message("\x1b[31mred", false));
	assert_non_null(remind_check_message("\xc2\x9b" "31m", false));   /* C1 CSI */
	assert_non_null(remind_check_message("abc\xe2\x80\xae" "cba", false)); /* RLO */
	assert_non_null(remind_check_message("\xff", false));
	assert_non_null(remind_check_message(" lead", false));
	assert_non_null(remind_check_message("trail ", false));
	char longm[300];
	memset(longm, 'a', 256);
	longm[256] = '\0';
	assert_non_null(remind_check_message(longm, false));
	longm[255] = '\0';
	assert_null(remind_check_message(longm, false));

	/* The file holds the same rule: a hand-written line breaking it is an
	 * error with its column, never a message shown or rewritten raw. */
	struct reminder_list l = { 0 };
	int bad;
	char *err = errors_of("1 22:30 daily bell\x07here\n"
	                      "2 22:30 daily session=a session=b\n"
	                      "3 22:30 daily \xc2\x9b" "0m\n", &l, &bad);
	assert_int_equal(bad, 2);
	assert_non_null(strstr(err, "reminders:1:15: the message has a control character"));
	assert_non_null(strstr(err, "reminders:3:15: the message has a control character"));
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].session, "a");
	assert_string_equal(l.v[0].message, "session=b");
	char *text = reminders_format(&l);
	struct reminder_list back = { 0 };
	free(err);
	err = errors_of(text, &back, &bad);
	assert_int_equal(bad, 0);
	assert_string_equal(back.v[0].session, "a");
	assert_string_equal(back.v[0].message, "session=b");
	free(err);
	free(text);
	reminders_free(&back);
	reminders_free(&l);

	/* A field longer than the reader keeps is wrong, not read as its start. */
	char line[600];
	int n = snprintf(line, sizeof line, "1 22:30 ");
	for (int i = 0; i < 100; i++)
		n += snprintf(line + n, sizeof line - (size_t)n, "%smon", i ? "," : "");
	snprintf(line + n, sizeof line - (size_t)n, "\n");
	err = errors_of(line, &l, &bad);
	assert_int_equal(bad, 1);
	assert_int_equal(l.n, 0);
	free(err);
	reminders_free(&l);

	/* Ids from 1 to 999999, each once, however many lines. */
	size_t cap = 70000 * 32, used = 0;
	char *big = malloc(cap);
	for (int id = 1; id <= 70000; id++)
		used += (size_t)snprintf(big + used, cap - used, "%d 22:30 daily\n", id);
	used += (size_t)snprintf(big + used, cap - used, "999999 1:00 daily\n70000 1:00 daily\n");
	err = errors_of(big, &l, &bad);
	assert_int_equal(bad, 1);
	assert_int_equal(l.n, 70001);
	assert_non_null(strstr(err, "reminders:70002:1: id 70000 is used twice"));
	free(err);
	free(big);
	reminders_free(&l);
}

static void atomic_write(void **unused)
{
	(void)unused;
	char dir[200];
	assert_non_null(testtmp_make(dir, sizeof dir, "test-reminders"));
	char path[256];
	snprintf(path, sizeof path, "%s/reminders", dir);
	struct reminder_list l = { 0 };
	struct reminder *r = reminders_add(&l);
	r->id = 1;
	r->rule.minute = 22 * 60;
	r->rule.days = SCHED_DAILY;
	umask(022);
	assert_int_equal(reminders_save(path, &l), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* Rewriting replaces (never appends to) the file, leaving no temp file. */
	r->rule.minute = 23 * 60;
	assert_int_equal(reminders_save(path, &l), 0);
	struct reminder_list back = { 0 };
	assert_int_equal(reminders_load(path, &back, NULL), 0);
	assert_int_equal(back.n, 1);
	assert_int_equal(back.v[0].rule.minute, 23 * 60);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "test $(ls -A '%s' | wc -l) -eq 1", dir);
	assert_int_equal(system(cmd), 0);
	/* Writing through a symlinked path to a missing directory fails cleanly. */
	snprintf(path, sizeof path, "%s/missing/reminders", dir);
	assert_int_equal(reminders_save(path, &l), -1);
	/* A missing file is an empty list. */
	reminders_free(&back);
	assert_int_equal(reminders_load(path, &back, NULL), 0);
	assert_int_equal(back.n, 0);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	reminders_free(&l);
}

/* Before: a FIFO as the reminder or state file blocked every command and
 * the daemon; and the save wrote through the predictable temporary name
 * PATH.tmp.PID with O_TRUNC, so a link left there had its target clobbered. */
static void files_that_are_not_files(void **unused)
{
	(void)unused;
	char dir[200];
	assert_non_null(testtmp_make(dir, sizeof dir, "test-reminders"));
	char path[256], victim[256], old_tmp[300];
	snprintf(path, sizeof path, "%s/reminders", dir);
	snprintf(victim, sizeof victim, "%s/victim", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10);
	struct reminder_list l = { 0 };
	assert_int_equal(reminders_load(path, &l, NULL), -1);
	struct remind_states st = { 0 };
	assert_int_equal(remind_states_load(path, &st, NULL), -1);
	alarm(0);
	unlink(path);

	FILE *f = fopen(victim, "w");
	assert_non_null(f);
	fputs("precious\n", f);
	fclose(f);
	snprintf(old_tmp, sizeof old_tmp, "%s.tmp.%ld", path, (long)getpid());
	assert_int_equal(symlink(victim, old_tmp), 0);
	struct reminder *r = reminders_add(&l);
	r->id = 1;
	r->rule.minute = 22 * 60;
	r->rule.days = SCHED_DAILY;
	assert_int_equal(reminders_save(path, &l), 0);
	char buf[64] = "";
	f = fopen(victim, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	assert_string_equal(buf, "precious\n");
	struct stat sb;
	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	reminders_free(&l);
}

/* The state of the largest reminder file lull reads is a state lull reads:
 * both were bounded at 1 MiB, and 58000 reminders (a 1 MiB file) made the
 * daemon write a state that `remind check` and `add` then refused as too
 * large. Every reminder of a 1 MiB file, each state at its longest line,
 * is saved and read back; a state too large to read is not written. */
static void largest_files_read_back(void **unused)
{
	(void)unused;
	char dir[200];
	assert_non_null(testtmp_make(dir, sizeof dir, "test-reminders"));
	char path[256];
	snprintf(path, sizeof path, "%s/remind-state", dir);
	/* The most reminders 1 MiB holds: the shortest lines there are. */
	size_t cap = 1024 * 1024 + 64, used = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	for (int id = 1;; id++) {
		char line[32];
		int n = snprintf(line, sizeof line, "%d 00:00 mon\n", id);
		if (used + (size_t)n > 1024 * 1024)
			break;
		memcpy(text + used, line, (size_t)n);
		used += (size_t)n;
	}
	text[used] = '\0';
	struct reminder_list l = { 0 };
	assert_int_equal(reminders_parse(text, "r", &l, NULL), 0);
	assert_true(l.n > 60000);
	free(text);
	struct remind_states st = { 0 };
	sched_day far = D(9999, 12, 31);
	for (size_t i = 0; i < l.n; i++) {
		struct sched_state *e = remind_states_get(&st, l.v[i].id, true);
		e->last = e->skipped = e->snooze_day = far;
		e->snoozes = SCHED_SNOOZE_MAX;
		e->snooze_until = (int64_t)far * 86400 + 86399;
	}
	assert_int_equal(remind_states_save(path, &st), 0);
	struct remind_states back = { 0 };
	assert_int_equal(remind_states_load(path, &back, NULL), 0);
	assert_int_equal(back.n, l.n);
	assert_true(remind_states_get(&back, l.v[l.n - 1].id, false)->snooze_until == (int64_t)far * 86400 + 86399);
	remind_states_free(&back);
	/* Every id there can be, each at its longest: more than is read, so
	 * nothing is written (the file stays as it was). */
	for (int id = 1; id <= REMIND_ID_MAX; id++) {
		struct sched_state *e = remind_states_get(&st, id, true);
		e->last = e->skipped = e->snooze_day = far;
		e->snoozes = SCHED_SNOOZE_MAX;
		e->snooze_until = (int64_t)far * 86400 + 86399;
	}
	assert_int_equal(remind_states_save(path, &st), -1);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(remind_states_load(path, &back, NULL), 0);
	assert_int_equal(back.n, l.n);
	remind_states_free(&back);
	remind_states_free(&st);
	reminders_free(&l);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(times),
		cmocka_unit_test(days),
		cmocka_unit_test(parse_good_and_bad),
		cmocka_unit_test(states_round_trip),
		cmocka_unit_test(states_bounded),
		cmocka_unit_test(messages),
		cmocka_unit_test(atomic_write),
		cmocka_unit_test(files_that_are_not_files),
		cmocka_unit_test(largest_files_read_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
