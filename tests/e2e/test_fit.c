/* SPDX-License-Identifier: ISC */
/* Every view at every size: nothing cut inside a word.
 *
 * Each view (the menu, a guided step, a breathing phase, the help box, the
 * stats screen, the morning check-in) is started in terminals from below
 * the smallest supported size up to 200x50, and every word on its screen
 * must be a word lull has: the vocabulary is every run of letters in the
 * lull binary, which holds the built-in programs and every message. A word
 * cut at the edge ("muscl", "sil", "Se") is in no text lull has and fails,
 * with the size, the row and the screen. The menu's own promises (the key
 * line at 40x12, the help page, a broken file's error shown inside it) are
 * tested here too. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <wctype.h>

#include "harness.h"
#include "history.h"
#include "paths.h"
#include "session_env.h"
#include "text.h"

static struct test_home home;

/* ------------------------------------------------------------ vocabulary */

static char **vocab;
static size_t nvocab;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Calls word(w, ctx) for every run of letters in s[0..n), lowercased
 * (ASCII only: the built-in texts are English). */
static void each_word(const char *s, size_t n, void (*word)(const char *w, void *ctx), void *ctx)
{
	char w[128];
	size_t wl = 0;
	for (size_t i = 0; i <= n;) {
		uint32_t cp = 0;
		size_t len = i < n ? utf8_decode(s + i, n - i, &cp) : 1;
		if (len == 0)
			len = 1;
		bool letter = i < n && cp < 0x110000 && iswalpha((wint_t)cp);
		if (letter && wl + len < sizeof w) {
			for (size_t k = 0; k < len; k++)
				w[wl++] = (char)(len == 1 ? (char)tolower((unsigned char)s[i + k]) : s[i + k]);
		} else if (!letter && wl) {
			w[wl] = '\0';
			word(w, ctx);
			wl = 0;
		}
		i += len;
	}
}

static void add_vocab(const char *w, void *ctx)
{
	size_t *cap = ctx;
	if (nvocab == *cap) {
		*cap = *cap ? *cap * 2 : 4096;
		vocab = realloc(vocab, *cap * sizeof *vocab);
		assert_non_null(vocab);
	}
	vocab[nvocab++] = strdup(w);
}

/* Text in the binary: a run of printable bytes (or UTF-8) at least 8 long
 * with a space in it, as every message and program line is; the words of
 * such runs are lull's. (Short runs without a space are mostly not text:
 * "ge" and "te" are in the binary's other bytes.) */
static void add_text_runs(const char *buf, size_t n, size_t *cap)
{
	size_t start = 0;
	bool space = false;
	for (size_t i = 0; i <= n;) {
		unsigned char c = i < n ? (unsigned char)buf[i] : 0;
		uint32_t cp = 0;
		size_t len = c >= 0x80 ? utf8_decode(buf + i, n - i, &cp) : 1;
		bool texty = (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t' ||
			     (c >= 0x80 && len > 1 && cp != 0xFFFD);
		if (texty) {
			space |= c == ' ';
			i += len;
			continue;
		}
		i++;
		if (i - 1 - start >= 8 && space)
			each_word(buf + start, i - 1 - start, add_vocab, cap);
		start = i;
		space = false;
	}
}

static void load_vocab(void)
{
	FILE *f = fopen(pty_lull_path(), "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	char *buf = malloc((size_t)size);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	size_t cap = 0;
	add_text_runs(buf, (size_t)size, &cap);
	free(buf);
	/* The calendar's two-letter days, as cal(1) has them ("Su", "Mo"). */
	static const nl_item abday[] = { ABDAY_1, ABDAY_2, ABDAY_3, ABDAY_4, ABDAY_5, ABDAY_6, ABDAY_7 };
	for (size_t i = 0; i < sizeof abday / sizeof abday[0]; i++) {
		const char *name = nl_langinfo(abday[i]);
		each_word(name, strlen(name) < 2 ? strlen(name) : 2, add_vocab, &cap);
	}
	/* And the names the locale gives days and months (the stats screen). */
	static const nl_item names[] = { ABDAY_1, ABDAY_2, ABDAY_3, ABDAY_4, ABDAY_5, ABDAY_6, ABDAY_7,
		DAY_1, DAY_2, DAY_3, DAY_4, DAY_5, DAY_6, DAY_7, ABMON_1, ABMON_2, ABMON_3, ABMON_4,
		ABMON_5, ABMON_6, ABMON_7, ABMON_8, ABMON_9, ABMON_10, ABMON_11, ABMON_12, MON_1, MON_2,
		MON_3, MON_4, MON_5, MON_6, MON_7, MON_8, MON_9, MON_10, MON_11, MON_12 };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *name = nl_langinfo(names[i]);
		each_word(name, strlen(name), add_vocab, &cap);
	}
	/* The words of this test's own files. */
	static const char own[] = "zz-broken Mine";
	each_word(own, strlen(own), add_vocab, &cap);
	qsort(vocab, nvocab, sizeof *vocab, cmp_str);
	size_t u = 0;
	for (size_t i = 0; i < nvocab; i++) {
		if (u && strcmp(vocab[u - 1], vocab[i]) == 0)
			free(vocab[i]);
		else
			vocab[u++] = vocab[i];
	}
	nvocab = u;
}

static bool in_vocab(const char *w)
{
	return bsearch(&w, vocab, nvocab, sizeof *vocab, cmp_str) != NULL;
}

/* A word lull has, or its plural as lull makes them ("%d point%s"). */
static bool known(const char *w)
{
	if (in_vocab(w))
		return true;
	size_t n = strlen(w);
	char one[128];
	if (n > 1 && n < sizeof one && w[n - 1] == 's') {
		memcpy(one, w, n - 1);
		one[n - 1] = '\0';
		return in_vocab(one);
	}
	return false;
}

/* ------------------------------------------------------------ the check */

/* Reads all that arrives for ms (pty_pump returns at the first bytes). */
static void pump_for(struct pty *p, int ms)
{
	double until = pty_now() + ms / 1000.0;
	for (double now = pty_now(); now < until; now = pty_now())
		if (pty_pump(p, (int)((until - now) * 1000) + 1) < 0)
			return;
}


struct row_check {
	const char *row;
	char bad[128];
};

static void check_word(const char *w, void *ctx)
{
	struct row_check *c = ctx;
	if (!c->bad[0] && !known(w))
		snprintf(c->bad, sizeof c->bad, "%s", w);
}

static bool first_cut(struct pty *p, int rows, int *row, char *bad, size_t size)
{
	for (int r = 0; r < rows; r++) {
		struct row_check c = { pty_row(p, r), "" };
		each_word(c.row, strlen(c.row), check_word, &c);
		if (c.bad[0]) {
			*row = r;
			snprintf(bad, size, "%s", c.bad);
			return true;
		}
	}
	return false;
}

/* Every word of the screen is one lull has; fails naming the first that is
 * not, with the screen. A moving view may be read in the middle of a frame
 * (the bytes of one update split between two reads): what is cut must
 * still be cut a moment later, once the frame is whole, to count. */
static void assert_whole_words(struct pty *p, const char *view, int rows, int cols)
{
	int row;
	char bad[128];
	if (!first_cut(p, rows, &row, bad, sizeof bad))
		return;
	pump_for(p, 300);
	if (first_cut(p, rows, &row, bad, sizeof bad))
		fail_msg("%s at %dx%d, row %d: '%s' is cut (no text of lull's has it)\n%s", view, cols, rows,
			 row, bad, pty_screen(p));
}

/* The screen has something on it, and has settled a moment. */
static void settle(struct pty *p)
{
	double until = pty_now() + 30; /* a hang guard */
	for (;;) {
		pty_pump(p, 50);
		const char *s = pty_screen(p);
		bool any = false;
		for (; *s && !any; s++)
			any = *s != ' ' && *s != '\n';
		if (any)
			break;
		assert_true(pty_now() < until);
	}
	pump_for(p, 300);
}

static struct pty *spawn(const char *const *args, int rows, int cols)
{
	const char *argv[16];
	size_t n = 0;
	argv[n++] = pty_lull_path();
	for (; args && *args && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	struct pty_options opt = { .rows = rows, .cols = cols, .env = test_env(&home, NULL) };
	return pty_spawn(argv, &opt);
}

static void finish(struct pty *p)
{
	pty_signal(p, SIGTERM);
	int status;
	assert_true(pty_wait_exit(p, 30000, &status));
	pty_free(p);
}

static const struct { int rows, cols; } sizes[] = {
	{ 4, 10 }, { 5, 16 },                     /* below the smallest: the request */
	{ 6, 20 }, { 8, 28 }, { 12, 40 }, { 16, 50 }, { 20, 60 }, { 24, 80 },
	{ 30, 100 }, { 40, 120 }, { 50, 200 },
	{ 12, 80 }, { 24, 40 }, { 50, 40 }, { 6, 200 }, { 20, 30 },
};

/* keys: sent once the view is up (NULL: none); then, where the terminal
 * is large enough for it to show (24x80 on), expect is waited for. A
 * session is up once it has said how its sound goes (here: silent), at
 * sizes where that line has room. */
static void sweep(const char *view, const char *const *args, const char *keys, const char *expect)
{
	bool session = strcmp(args[0] ? args[0] : "", "start") == 0;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		struct pty *p = spawn(args, sizes[i].rows, sizes[i].cols);
		settle(p);
		if (session && sizes[i].rows >= 24 && sizes[i].cols >= 80)
			assert_true(pty_wait_text(p, "runs silent", 30000));
		if (keys) {
			pty_send(p, keys);
			if (expect && sizes[i].rows >= 24 && sizes[i].cols >= 80)
				assert_true(pty_wait_text(p, expect, 30000));
			pump_for(p, 250);
		}
		assert_whole_words(p, view, sizes[i].rows, sizes[i].cols);
		finish(p);
	}
}

/* ------------------------------------------------------------ the views */

static void write_file(const char *leaf, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", home.dir, leaf);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	test_env(&home, NULL);
	load_vocab();
	/* The check can fail: words lull has are known, the cut ones seen
	 * before these fixes are not. */
	static const char *const whole[] = { "muscles", "breathe", "silent", "quit", "stretch", "shoulders" };
	static const char *const cut[] = { "muscl", "sil", "ge", "exh", "te" };
	for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
		assert_true(known(whole[i]));
	for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++)
		if (known(cut[i]))
			fail_msg("'%s' is in the vocabulary", cut[i]);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < nvocab; i++)
		free(vocab[i]);
	free(vocab);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", home.dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void menu_at_every_size(void **state)
{
	(void)state;
	const char *args[] = { NULL };
	sweep("the menu", args, NULL, NULL);
	sweep("the menu's help", args, "?", "Choosing a program");
}

static void guided_step_at_every_size(void **state)
{
	(void)state;
	/* pmr opens with guidance and a step that tells what to do. */
	const char *args[] = { "start", "pmr", "--no-dark", NULL };
	sweep("a guided step", args, NULL, NULL);
}

static void breathing_at_every_size(void **state)
{
	(void)state;
	const char *args[] = { "start", "478", "--no-dark", NULL };
	sweep("a breathing phase", args, NULL, NULL);
	sweep("the session's help", args, "?", "close this help");
}

static void stats_at_every_size(void **state)
{
	(void)state;
	/* A few weeks of practice, with tension before and after. */
	setenv("XDG_STATE_HOME", home.vars[2] + strlen("XDG_STATE_HOME="), 1);
	time_t now = time(NULL);
	char err[256];
	for (int d = 1; d < 30; d += 2) {
		struct history_entry e = { .start = now - d * 86400, .utc_offset_s = 0, .program = "winddown",
					   .planned_s = 600, .actual_s = 600, .end = HISTORY_FINISHED,
					   .tension_before = 6, .tension_after = 3, .area = "neck" };
		assert_int_equal(history_append(&e, err, sizeof err), 0);
	}
	const char *args[] = { "stats", NULL };
	sweep("the stats screen", args, NULL, NULL);
	const char *checkin[] = { "checkin", NULL };
	sweep("the check-in", checkin, NULL, NULL);
	sweep("the check-in's second question", checkin, "5", "pain or soreness");
}

/* The menu: the key line and the list fit at 40x12; ? shows the help; a
 * broken file of yours shows its error in the menu, and Enter on it
 * stays in the menu. */
static void menu_helps(void **state)
{
	(void)state;
	char dir[400];
	snprintf(dir, sizeof dir, "%s/config/lull/sessions", home.dir);
	assert_int_equal(paths_mkdir_p(dir, 0700), 0);
	write_file("config/lull/sessions/zz-broken.session", "title \"Mine\nbreathe 4-0-4 for 1m\n");
	const char *args[] = { NULL };
	struct pty *p = spawn(args, 12, 40);
	assert_true(pty_wait_text(p, "Enter start   ? help   q quit", 30000));
	assert_true(pty_wait_text(p, "> winddown", 30000));
	/* The chosen program's title under the list. */
	assert_true(pty_wait_text(p, "Wind down", 30000));
	pty_send(p, "?");
	assert_true(pty_wait_text(p, "Choosing a program", 30000));
	assert_true(pty_wait_text(p, "default  what lull starts when", 30000));
	pty_send(p, "x"); /* any key closes it, and does nothing else */
	assert_true(pty_wait_text(p, "> winddown", 30000));
	/* Scrolled well into the list, the first row still names the group
	 * of what is under it. */
	pty_send(p, "jjjjjjjjjjjj");
	pump_for(p, 300);
	const char *top = pty_row(p, 2);
	while (*top == ' ')
		top++;
	static const char *const groups[] = { "Sleep", "Tension", "Breathing", "Stretch", "Other" };
	bool group = false;
	for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
		group |= strcmp(top, groups[i]) == 0;
	if (!group)
		fail_msg("row 2 is no group name:\n%s", pty_screen(p));
	pty_send(p, "g");
	assert_true(pty_wait_text(p, "> winddown", 30000));
	pty_send(p, "G");
	assert_true(pty_wait_text(p, "> zz-broken", 30000));
	assert_true(pty_wait_text(p, "Cannot start zz-broken: line 1,", 30000));
	pty_send(p, "\r");
	pump_for(p, 300);
	assert_true(pty_screen_has(p, "Cannot start zz-broken"));
	assert_true(pty_screen_has(p, "choose a program")); /* still the menu */
	/* Fixed in another terminal: Enter now starts it. */
	write_file("config/lull/sessions/zz-broken.session", "title \"Mine\"\nbreathe 4-0-4 for 1m\n");
	pty_send(p, "\r");
	assert_true(pty_wait_text(p, "Mine", 30000));
	assert_true(pty_wait_no_text(p, "choose a program", 2000));
	finish(p);
	char path[512];
	snprintf(path, sizeof path, "%s/config/lull/sessions/zz-broken.session", home.dir);
	remove(path);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(menu_helps),
		cmocka_unit_test(menu_at_every_size),
		cmocka_unit_test(guided_step_at_every_size),
		cmocka_unit_test(breathing_at_every_size),
		cmocka_unit_test(stats_at_every_size),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
