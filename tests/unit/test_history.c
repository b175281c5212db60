/* SPDX-License-Identifier: ISC */
/* The history file: the format round trip, the tolerant reader (torn, garbled,
 * short and bad lines reported by line number and skipped, nothing else lost),
 * the header and its version, locked appends from 20 processes at once, file
 * and directory modes, and compaction that keeps the file's mtime. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "histdate.h"
#include "history.h"
#include "paths.h"
#include "util.h"
#include "../testhome.h"

static int setup(void **state)
{
	(void)state;
	assert_non_null(testhome_enter("history"));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(testhome_remove(), 0);
	return 0;
}

static struct history_entry sample(void)
{
	struct history_entry e = {
		.start = 1795642205, /* 2026-11-25T21:30:05Z */
		.utc_offset_s = 3600,
		.program = "winddown",
		.planned_s = 600,
		.actual_s = 598.4,
		.end = HISTORY_FINISHED,
		.sounds = "rain,brown",
		.tension_before = 7,
		.tension_after = 3,
		.area = "neck",
	};
	return e;
}

/* Parses text as a file named "h", warnings into *warn (caller frees). */
static void parse(const char *text, struct history *h, char **warn)
{
	size_t wlen;
	FILE *w = open_memstream(warn, &wlen);
	assert_non_null(w);
	history_init(h);
	history_parse_text(text, strlen(text), "h", h, w);
	fclose(w);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct history_entry e = sample(), back;
	struct history_morning m;
	char line[1024], err[160];
	size_t n = history_format_entry(&e, line, sizeof line);
	assert_int_equal(n, strlen(line));
	assert_string_equal(line, "session\t2026-11-25T22:30:05+01:00\twinddown\t600.0\t598.4"
	                    "\tfinished\t1\train,brown\t7\t3\tneck\n");
	line[n - 1] = '\0';
	assert_int_equal(history_parse_line(line, 1, &back, &m, err, sizeof err), HISTORY_LINE_SESSION);
	assert_int_equal(back.start, e.start);
	assert_int_equal(back.utc_offset_s, 3600);
	assert_string_equal(back.program, "winddown");
	assert_true(back.planned_s == 600.0);
	assert_true(back.actual_s > 598.39 && back.actual_s < 598.41);
	assert_int_equal(back.end, HISTORY_FINISHED);
	assert_true(back.practice);
	assert_string_equal(back.sounds, "rain,brown");
	assert_int_equal(back.tension_before, 7);
	assert_int_equal(back.tension_after, 3);
	assert_string_equal(back.area, "neck");

	/* Empty text, unanswered check-ins, a tab in a name, a negative offset. */
	struct history_entry q = { .start = 1000000000, .utc_offset_s = -5 * 3600 - 1800,
	                           .program = "my\tbox", .actual_s = 12, .planned_s = 60,
	                           .end = HISTORY_QUIT, .tension_before = -1,
	                           .tension_after = -1 };
	n = history_format_entry(&q, line, sizeof line);
	assert_non_null(strstr(line, "-05:30\tmy box\t60.0\t12.0\tquit\t0\t-\t-\t-\t-\n"));
	line[n - 1] = '\0';
	assert_int_equal(history_parse_line(line, 1, &back, &m, err, sizeof err), HISTORY_LINE_SESSION);
	assert_int_equal(back.start, 1000000000);
	assert_int_equal(back.utc_offset_s, -19800);
	assert_string_equal(back.sounds, "");
	assert_string_equal(back.area, "");
	assert_int_equal(back.tension_before, -1);
	assert_false(back.practice);
}

/* Text fields are written as text_sanitize shows them: a C1 control
 * (U+009B) or a bidi override (U+202E) in a program name went into the file
 * as it was, and on to the stats screen; a long name was cut mid-character. */
static void test_fields_sanitised(void **state)
{
	(void)state;
	struct history_entry e = sample();
	str_copy(e.program, "a\033[2Jb\xc2\x9b" "c\xe2\x80\xae" "d", sizeof e.program);
	char line[1024];
	history_format_entry(&e, line, sizeof line);
	assert_non_null(strstr(line, "\ta\xEF\xBF\xBD[2Jb\xEF\xBF\xBD" "c\xEF\xBF\xBD" "d\t"));
	/* A name cut to the field (63 bytes) ends in half a letter: what is
	 * written is the 31 letters that fit, whole. */
	char long_name[81] = "";
	for (int i = 0; i < 40; i++)
		strcat(long_name, "\xc3\xa9");
	str_copy(e.program, long_name, sizeof e.program);
	size_t n = history_format_entry(&e, line, sizeof line);
	line[n - 1] = '\0';
	struct history_entry back;
	struct history_morning m;
	char err[160];
	assert_int_equal(history_parse_line(line, 1, &back, &m, err, sizeof err), HISTORY_LINE_SESSION);
	char *want = xcalloc(1, 64);
	for (int i = 0; i < 31; i++)
		strcat(want, "\xc3\xa9");
	assert_string_equal(back.program, want);
	free(want);
}

static void test_practice_rule(void **state)
{
	(void)state;
	struct history_entry e = sample();
	e.end = HISTORY_QUIT;
	e.actual_s = 29.9;
	assert_false(history_is_practice(&e));
	e.actual_s = 30;
	assert_true(history_is_practice(&e));
	e.actual_s = 5;
	e.end = HISTORY_FINISHED; /* a short program, done to the end */
	assert_true(history_is_practice(&e));
	e.end = HISTORY_HANGUP;
	assert_false(history_is_practice(&e));
}

static void test_morning_round_trip(void **state)
{
	(void)state;
	struct history_morning m = { .at = 1795684800, .utc_offset_s = 3600, .linked = true,
	                             .session_start = 1795642205, .session_offset_s = 3600,
	                             .sleep = 8, .pain = 2, .area = "lower back" }, back;
	struct history_entry e;
	char line[512], err[160];
	size_t n = history_format_morning(&m, line, sizeof line);
	assert_string_equal(line, "morning\t2026-11-26T10:20:00+01:00\t2026-11-25T22:30:05+01:00"
	                    "\t8\t2\tlower back\n");
	line[n - 1] = '\0';
	assert_int_equal(history_parse_line(line, 1, &e, &back, err, sizeof err), HISTORY_LINE_MORNING);
	assert_true(back.linked);
	assert_int_equal(back.session_start, m.session_start);
	assert_int_equal(back.sleep, 8);
	assert_int_equal(back.pain, 2);
	assert_string_equal(back.area, "lower back");

	m.linked = false;
	m.pain = -1;
	n = history_format_morning(&m, line, sizeof line);
	line[n - 1] = '\0';
	assert_int_equal(history_parse_line(line, 1, &e, &back, err, sizeof err), HISTORY_LINE_MORNING);
	assert_false(back.linked);
	assert_int_equal(back.pain, -1);
}

#define GOOD "session\t2026-11-25T22:30:05+01:00\twinddown\t600.0\t598.4\tfinished\t1\t-\t7\t3\tneck\n"

static void test_tolerant_reader(void **state)
{
	(void)state;
	const char *text =
		"#lull-history 1\n"                                   /* 1 */
		"#session\tstart\tprogram\n"                          /* 2 */
		GOOD                                                  /* 3 */
		"this is not a record\n"                              /* 4 */
		"session\t2026-11-25T22:30:05+01:00\twinddown\n"      /* 5 short */
		"session\t2026-11-25T22:30:05+01:00\twinddown\tten\t598.4\tfinished\t1\t-\t7\t3\tneck\n" /* 6 */
		"session\t2026-11-25T22:30:05+01:00\twinddown\t600\t598.4\tfinished\t1\t-\t11\t3\tneck\n" /* 7 */
		"session\t2026-13-25T22:30:05+01:00\twinddown\t600\t598.4\tfinished\t1\t-\t1\t3\tneck\n" /* 8 */
		"\n"                                                  /* 9 */
		GOOD                                                  /* 10 */
		"session\t2026-11-26T22:30:05+01:00\twinddown\t600.0\t598.4\tfini"; /* 11 torn */
	struct history h;
	char *warn;
	parse(text, &h, &warn);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.bad_lines, 6);
	assert_non_null(strstr(warn, "h:4: unknown record kind 'this is not a record'"));
	assert_non_null(strstr(warn, "h:5: session record has 3 fields, expected 11"));
	assert_non_null(strstr(warn, "h:6: bad planned length 'ten'"));
	assert_non_null(strstr(warn, "h:7: bad tension before '11'"));
	assert_non_null(strstr(warn, "h:8: bad start time"));
	assert_non_null(strstr(warn, "h:11: incomplete last line"));
	assert_null(strstr(warn, "h:3:"));
	assert_null(strstr(warn, "h:10:"));
	assert_null(strstr(warn, "h:1:"));
	free(warn);
	history_free(&h);
}

/* The reader read past the end of its text on a last line without a
 * newline ("#quit\n\r" did it): the text here ends right before a page no
 * one may read, so a read past it faults with any compiler. */
static void test_last_line_stays_in_bounds(void **state)
{
	(void)state;
	static const char *const tails[] = { "#quit\n\r", "#quit\n \t\r", "\r", GOOD "sess" };
	long page = sysconf(_SC_PAGESIZE);
	for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
		char *map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
		                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		assert_true(map != MAP_FAILED);
		assert_int_equal(mprotect(map + page, (size_t)page, PROT_NONE), 0);
		size_t n = strlen(tails[i]);
		char *text = map + page - n;
		memcpy(text, tails[i], n); /* no NUL after it */
		struct history h;
		history_init(&h);
		history_parse_text(text, n, "h", &h, NULL);
		assert_int_equal(h.bad_lines, i == 3 ? 1 : 0);
		history_free(&h);
		munmap(map, (size_t)page * 2);
	}
}

/* A file of garbage printed a warning for every line (8.3 million for 2 GiB)
 * and quoted the file's bytes raw. Now: the first HISTORY_WARN_MAX, escaped,
 * then a count; every bad line still counted. */
static void test_warnings_capped_and_safe(void **state)
{
	(void)state;
	size_t cap = 2000 * 40, used = 0;
	char *text = xmalloc(cap);
	used += (size_t)snprintf(text, cap, "#lull-history 1\n" GOOD);
	for (int i = 0; i < 2000; i++)
		used += (size_t)snprintf(text + used, cap - used, "\033[31mjunk\xc2\x9b %d\n", i);
	used += (size_t)snprintf(text + used, cap - used, "session\t\033]0;x\a\twinddown\n" GOOD);
	struct history h;
	char *warn;
	parse(text, &h, &warn);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.bad_lines, 2001);
	int lines = 0;
	for (char *p = warn; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, HISTORY_WARN_MAX + 1);
	assert_non_null(strstr(warn, "h:3: unknown record kind"));
	assert_non_null(strstr(warn, "h: 1981 more unreadable lines not shown"));
	assert_null(strchr(warn, '\033'));
	assert_null(strstr(warn, "\xc2\x9b"));
	free(warn);
	history_free(&h);
	free(text);
}

/* Fields read from a hand-edited file reached `stats`, --csv and --json raw
 * (a session run from a path stored C1 and bidi controls in the program). */
static void test_fields_read_safe(void **state)
{
	(void)state;
	struct history h;
	char *warn;
	parse("#lull-history 1\n"
	      "session\t2026-11-25T22:30:05+01:00\ta\033[2Jb\xc2\x9b" "c\xe2\x80\xae" "d\xff\t600.0\t598.4"
	      "\tfinished\t1\train\x7f\t7\t3\tne\x01" "ck\n"
	      "morning\t2026-11-26T07:00:00+01:00\t-\t5\t2\tjaw\x1b[m\n", &h, &warn);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.nm, 1);
	assert_string_equal(h.entries[0].program,
	                    "a\xEF\xBF\xBD[2Jb\xEF\xBF\xBD" "c\xEF\xBF\xBD" "d\xEF\xBF\xBD");
	assert_string_equal(h.entries[0].sounds, "rain\xEF\xBF\xBD");
	assert_string_equal(h.entries[0].area, "ne\xEF\xBF\xBD" "ck");
	assert_string_equal(h.mornings[0].area, "jaw\xEF\xBF\xBD[m");
	free(warn);
	history_free(&h);
}

/* In chunks of any size, the same as in one piece: a line split anywhere. */
static void test_reader_chunks(void **state)
{
	(void)state;
	const char *text = "#lull-history 1\n" GOOD "bad line\n" GOOD
	                   "morning\t2026-11-26T07:00:00+01:00\t-\t5\t2\tjaw\n" GOOD "tor";
	size_t n = strlen(text);
	for (size_t chunk = 1; chunk <= n; chunk++) {
		struct history h;
		history_init(&h);
		struct history_reader r;
		history_reader_init(&r, &h, "h", NULL);
		for (size_t pos = 0; pos < n; pos += chunk)
			history_reader_feed(&r, text + pos, n - pos < chunk ? n - pos : chunk);
		history_reader_end(&r);
		assert_int_equal(h.n, 3);
		assert_int_equal(h.nm, 1);
		assert_int_equal(h.bad_lines, 2);
		assert_string_equal(h.entries[2].area, "neck");
		history_free(&h);
	}
	/* A line far longer than a record, split across chunks: one bad line. */
	struct history h;
	history_init(&h);
	struct history_reader r;
	history_reader_init(&r, &h, "h", NULL);
	char junk[700];
	memset(junk, 'x', sizeof junk);
	for (int i = 0; i < 10; i++)
		history_reader_feed(&r, junk, sizeof junk);
	history_reader_feed(&r, "\n" GOOD, strlen(GOOD) + 1);
	history_reader_end(&r);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.bad_lines, 1);
	history_free(&h);
}

/* Memory is bounded by what is kept, not by the file: at most
 * HISTORY_MAX_RECORDS sessions, the latest, and a note. */
static void test_records_bounded(void **state)
{
	(void)state;
	struct history h;
	history_init(&h);
	struct history_reader r;
	char *buf = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);
	history_reader_init(&r, &h, "h", w);
	history_reader_feed(&r, "#lull-history 1\n", 16);
	char line[256];
	struct history_entry e = sample();
	size_t total = HISTORY_MAX_RECORDS + 10;
	for (size_t i = 0; i < total; i++) {
		e.start = 1700000000 + (time_t)i * 60;
		size_t n = history_format_entry(&e, line, sizeof line);
		history_reader_feed(&r, line, n);
	}
	history_reader_end(&r);
	fclose(w);
	assert_true(h.n <= HISTORY_MAX_RECORDS);
	assert_true(h.n >= HISTORY_MAX_RECORDS * 3 / 4);
	assert_int_equal(h.entries[h.n - 1].start, 1700000000 + (time_t)(total - 1) * 60);
	assert_int_equal(h.entries[0].start, 1700000000 + (time_t)(total - h.n) * 60);
	assert_non_null(strstr(buf, "only the latest are counted"));
	free(buf);
	history_free(&h);
}

static void test_header_versions(void **state)
{
	(void)state;
	struct history h;
	char *warn;

	parse(GOOD, &h, &warn); /* no header: read, with a note */
	assert_int_equal(h.n, 1);
	assert_non_null(strstr(warn, "h:1: no '#lull-history 1' header"));
	free(warn);
	history_free(&h);

	parse("", &h, &warn); /* an empty file is an empty history, quietly */
	assert_int_equal(h.n, 0);
	assert_string_equal(warn, "");
	free(warn);
	history_free(&h);

	/* A newer version may add columns and kinds: read what we know. */
	parse("#lull-history 2\n"
	      "session\t2026-11-25T22:30:05+01:00\twinddown\t600.0\t598.4\tfinished\t1\t-\t7\t3\tneck\textra\n"
	      "dream\t2026-11-26T07:00:00+01:00\tflying\n", &h, &warn);
	assert_int_equal(h.version, 2);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.bad_lines, 0);
	assert_non_null(strstr(warn, "h:1: format version 2 is newer"));
	free(warn);
	history_free(&h);

	/* ...but version 1 itself is exact. */
	parse("#lull-history 1\n"
	      "session\t2026-11-25T22:30:05+01:00\twinddown\t600.0\t598.4\tfinished\t1\t-\t7\t3\tneck\textra\n",
	      &h, &warn);
	assert_int_equal(h.n, 0);
	assert_non_null(strstr(warn, "h:2: session record has 12 fields"));
	free(warn);
	history_free(&h);
}

static char *state_file(void)
{
	return xasprintf("%s/state/lull/history.tsv", testhome_dir);
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *buf = xcalloc(1, 1 << 20);
	size_t n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_append_modes_header(void **state)
{
	(void)state;
	struct history_entry e = sample();
	char err[256];
	assert_int_equal(history_append(&e, err, sizeof err), 0);
	e.start += 86400;
	assert_int_equal(history_append(&e, err, sizeof err), 0);

	char *path = state_file();
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	char *dir = xasprintf("%s/state/lull", testhome_dir);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	free(dir);

	char *text = read_all(path);
	assert_true(str_has_prefix(text, history_header()));
	assert_null(strstr(text + 1, "#lull-history")); /* the header once */
	struct history h;
	history_init(&h);
	assert_int_equal(history_load(path, &h, stderr, err, sizeof err), 0);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.bad_lines, 0);
	assert_int_equal(h.entries[1].start, e.start);
	history_free(&h);
	free(text);
	free(path);
}

static void test_append_after_torn_line(void **state)
{
	(void)state;
	char err[256];
	struct history_entry e = sample();
	assert_int_equal(history_append(&e, err, sizeof err), 0);
	char *path = state_file();
	int fd = open(path, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	const char torn[] = "session\t2026-11-26T22:30:05+01:00\twind";
	assert_int_equal(write(fd, torn, sizeof torn - 1), (ssize_t)(sizeof torn - 1));
	close(fd);

	assert_int_equal(history_append(&e, err, sizeof err), 0);
	struct history h;
	history_init(&h);
	char *warn;
	size_t wl;
	FILE *w = open_memstream(&warn, &wl);
	assert_int_equal(history_load(path, &h, w, err, sizeof err), 0);
	fclose(w);
	assert_int_equal(h.n, 2);       /* both real records, whole */
	assert_int_equal(h.bad_lines, 1);
	char *want = xasprintf("%s:5: session record has 3 fields", path);
	assert_non_null(strstr(warn, want));
	free(want);
	free(warn);
	history_free(&h);
	free(path);
}

static void test_missing_file(void **state)
{
	(void)state;
	struct history h;
	char err[256];
	history_init(&h);
	char *path = state_file();
	assert_int_equal(history_load(path, &h, stderr, err, sizeof err), 0);
	assert_int_equal(h.n, 0);
	free(path);
}

/* An appender that waited for the lock while --compact replaced the file
 * must write to the new file, not to the old one it opened. */
static void test_append_follows_replaced_file(void **state)
{
	(void)state;
	char err[256];
	struct history_entry e = sample();
	assert_int_equal(history_append(&e, err, sizeof err), 0);
	char *path = state_file();
	int fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);

	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fd); /* the lock is the parent's: an inherited copy would keep it */
		struct history_entry c = sample();
		str_copy(c.program, "waiter", sizeof c.program);
		_exit(history_append(&c, err, sizeof err) == 0 ? 0 : 1);
	}
	/* Wait until the child is blocked on our lock: /proc/locks lists
	 * waiters with "->". */
	bool waiting = false;
	char *pidtag = xasprintf(" %d ", (int)pid);
	for (int i = 0; i < 500 && !waiting; i++) {
		FILE *f = fopen("/proc/locks", "r");
		if (!f) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			free(pidtag);
			free(path);
			close(fd);
			skip();
		}
		char line[256];
		while (fgets(line, sizeof line, f))
			if (strstr(line, "->") && strstr(line, pidtag))
				waiting = true;
		fclose(f);
		if (!waiting)
			usleep(10000);
	}
	free(pidtag);
	if (!waiting) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	assert_true(waiting);

	/* Replace the file as history_compact does, then let go. */
	char *tmpname = xasprintf("%s.new", path);
	FILE *n = fopen(tmpname, "w");
	assert_non_null(n);
	fputs(history_header(), n);
	fclose(n);
	assert_int_equal(rename(tmpname, path), 0);
	close(fd);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	struct history h;
	history_init(&h);
	assert_int_equal(history_load(path, &h, stderr, err, sizeof err), 0);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.entries[0].program, "waiter");
	history_free(&h);
	free(tmpname);
	free(path);
}

#define WRITERS 20

static void test_concurrent_writers(void **state)
{
	(void)state;
	int go[2];
	assert_int_equal(pipe(go), 0);
	pid_t pids[WRITERS];
	for (int i = 0; i < WRITERS; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			close(go[1]);
			char c;
			/* Wait for the start: all writers race from the same moment. */
			while (read(go[0], &c, 1) > 0)
				;
			struct history_entry e = sample();
			e.start += i;
			snprintf(e.program, sizeof e.program, "writer-%02d", i);
			char err[256];
			_exit(history_append(&e, err, sizeof err) == 0 ? 0 : 1);
		}
	}
	close(go[0]);
	close(go[1]); /* releases all of them at once */
	for (int i = 0; i < WRITERS; i++) {
		int status;
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}

	char *path = state_file();
	struct history h;
	char err[256], *warn;
	size_t wl;
	history_init(&h);
	FILE *w = open_memstream(&warn, &wl);
	assert_int_equal(history_load(path, &h, w, err, sizeof err), 0);
	fclose(w);
	assert_string_equal(warn, "");
	assert_int_equal(h.n, WRITERS);
	bool seen[WRITERS] = { false };
	for (size_t i = 0; i < h.n; i++) {
		int k = atoi(h.entries[i].program + 7);
		assert_true(k >= 0 && k < WRITERS);
		assert_int_equal(h.entries[i].start, sample().start + k);
		seen[k] = true;
	}
	for (int i = 0; i < WRITERS; i++)
		assert_true(seen[i]);
	char *text = read_all(path);
	size_t headers = 0;
	for (const char *p = text; (p = strstr(p, "#lull-history")); p++)
		headers++;
	assert_int_equal(headers, 1);
	free(text);
	free(warn);
	history_free(&h);
	free(path);
}

static void test_compact(void **state)
{
	(void)state;
	char *dir = xasprintf("%s/state/lull", testhome_dir);
	char *cmd = xasprintf("mkdir -p '%s'", dir);
	assert_int_equal(system(cmd), 0);
	char *path = state_file();
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("#lull-history 1\n" GOOD "garbage here\n\n"
	      "morning\t2026-11-26T07:00:00+01:00\t-\t6\t-\t-\n# a note of mine\n" GOOD
	      "session\t2026-11-2", f);
	fclose(f);
	struct timespec times[2] = { { 1700000000, 0 }, { 1700000000, 0 } };
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);

	size_t kept = 0, commented = 0;
	char err[256], *warn;
	size_t wl;
	FILE *w = open_memstream(&warn, &wl);
	assert_int_equal(history_compact(path, w, &kept, &commented, err, sizeof err), 0);
	fclose(w);
	assert_int_equal(kept, 3);
	assert_int_equal(commented, 2);
	assert_non_null(strstr(warn, ":3: unknown record kind 'garbage here'; kept as a comment"));
	free(warn);

	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mtim.tv_sec, 1700000000);
	assert_int_equal(st.st_mode & 07777, 0600);

	char *text = read_all(path);
	assert_non_null(strstr(text, "#unreadable (line 3): garbage here\n"));
	assert_non_null(strstr(text, "#unreadable (line 8): session\t2026-11-2\n"));
	assert_non_null(strstr(text, "# a note of mine\n"));
	assert_true(str_has_prefix(text, history_header()));
	free(text);

	struct history h;
	history_init(&h);
	w = open_memstream(&warn, &wl);
	assert_int_equal(history_load(path, &h, w, err, sizeof err), 0);
	fclose(w);
	assert_string_equal(warn, ""); /* quiet now */
	assert_int_equal(h.n, 2);
	assert_int_equal(h.nm, 1);
	assert_int_equal(h.mornings[0].sleep, 6);
	free(warn);
	history_free(&h);

	/* No temporary file left behind. */
	char *ls = xasprintf("test $(ls -A '%s' | wc -l) -eq 1", dir);
	assert_int_equal(system(ls), 0);
	free(ls);
	free(path);
	free(cmd);
	free(dir);
}

/* A history.tsv that is a link (to a synced folder, say) is not compacted:
 * the rename would have replaced the link with a plain file, the target
 * going stale and the next sessions appended beside it. A FIFO in its place
 * made every reader (lull stats, a reminder check) wait forever. */
static void test_compact_link_and_fifo(void **state)
{
	(void)state;
	char err[256];
	struct history_entry e = sample();
	assert_int_equal(history_append(&e, err, sizeof err), 0);
	char *path = state_file();
	char *real = xasprintf("%s/elsewhere.tsv", testhome_dir);
	assert_int_equal(rename(path, real), 0);
	assert_int_equal(symlink(real, path), 0);
	assert_int_equal(history_compact(path, NULL, NULL, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot open"));
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	/* Appends and reads still go through the link. */
	assert_int_equal(history_append(&e, err, sizeof err), 0);
	struct history h;
	history_init(&h);
	assert_int_equal(history_load(path, &h, NULL, err, sizeof err), 0);
	assert_int_equal(h.n, 2);
	history_free(&h);

	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10);
	history_init(&h);
	assert_int_equal(history_load(path, &h, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a regular file"));
	assert_int_equal(history_compact(path, NULL, NULL, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a regular file"));
	alarm(0);
	history_free(&h);
	free(real);
	free(path);
}

/* A session whose record could not be written said "Rest well." and
 * exited 0; the record was gone. Now it is kept beside the file and added
 * by the next append that works, or, when even that cannot be, given back
 * to be printed. */
static void test_save_keeps_what_it_cannot_write(void **state)
{
	(void)state;
	char err[512], line[1100];
	struct history_entry e = sample();
	char *path = state_file();
	char *pend = xasprintf("%s/state/lull/history.pending", testhome_dir);
	char *dir = xasprintf("%s/state/lull", testhome_dir);
	assert_int_equal(paths_mkdir_p(path, 0700), 0); /* history.tsv a directory */
	assert_int_equal(history_save(&e, line, sizeof line, err, sizeof err), 1);
	assert_non_null(strstr(err, "cannot open"));
	assert_non_null(strstr(err, "Is a directory"));
	assert_non_null(strstr(err, "kept in"));
	e.start += 86400;
	assert_int_equal(history_save(&e, line, sizeof line, err, sizeof err), 1);
	assert_int_equal(rmdir(path), 0);
	/* As a FIFO: refused at once, kept too. */
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10);
	e.start += 86400;
	assert_int_equal(history_save(&e, line, sizeof line, err, sizeof err), 1);
	assert_non_null(strstr(err, "not a regular file"));
	alarm(0);
	assert_int_equal(unlink(path), 0);
	/* The next that works adds them first, in order, and empties the file. */
	e.start += 86400;
	assert_int_equal(history_save(&e, line, sizeof line, err, sizeof err), 0);
	assert_int_equal(access(pend, F_OK), -1);
	struct history h;
	history_init(&h);
	assert_int_equal(history_load(path, &h, NULL, err, sizeof err), 0);
	assert_int_equal(h.n, 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(h.entries[i].start, sample().start + (time_t)i * 86400);
	assert_int_equal(h.bad_lines, 0);
	history_free(&h);

	/* No state directory to be had: nothing kept, the line given back. */
	char *cmd = xasprintf("rm -rf '%s' && touch '%s'", dir, dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	assert_int_equal(history_save(&e, line, sizeof line, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot create the state directory"));
	assert_non_null(strstr(err, "Not a directory"));
	assert_true(str_has_prefix(line, "session\t"));
	assert_int_equal(line[strlen(line) - 1], '\n');
	unlink(dir);
	free(dir);
	free(pend);
	free(path);
}

/* `stats --compact` killed mid-way left its copy (.history.tsv.XXXXXX)
 * beside the file for good: the next compaction removes it. */
static void test_compact_removes_stale_copies(void **state)
{
	(void)state;
	char err[256];
	struct history_entry e = sample();
	assert_int_equal(history_append(&e, err, sizeof err), 0);
	char *path = state_file();
	char *stale = xasprintf("%s/state/lull/.history.tsv.Qx81zA", testhome_dir);
	FILE *f = fopen(stale, "w");
	assert_non_null(f);
	fputs("#lull-history 1\nhalf", f);
	fclose(f);
	assert_int_equal(history_compact(path, NULL, NULL, NULL, err, sizeof err), 0);
	assert_int_equal(access(stale, F_OK), -1);
	char *ls = xasprintf("test $(ls -A '%s/state/lull' | wc -l) -eq 1", testhome_dir);
	assert_int_equal(system(ls), 0);
	free(ls);
	free(stale);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_practice_rule),
		cmocka_unit_test(test_fields_sanitised),
		cmocka_unit_test(test_morning_round_trip),
		cmocka_unit_test(test_tolerant_reader),
		cmocka_unit_test(test_header_versions),
		cmocka_unit_test(test_last_line_stays_in_bounds),
		cmocka_unit_test(test_warnings_capped_and_safe),
		cmocka_unit_test(test_fields_read_safe),
		cmocka_unit_test(test_reader_chunks),
		cmocka_unit_test(test_records_bounded),
		cmocka_unit_test_setup_teardown(test_append_modes_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_after_torn_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_follows_replaced_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_writers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compact_link_and_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_keeps_what_it_cannot_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compact_removes_stale_copies, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
