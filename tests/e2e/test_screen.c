/* SPDX-License-Identifier: ISC */
/* The session screen's cost on a real pseudo-terminal: the bar is one row at
 * every size (a taller bar costs its bytes again on every row at every
 * step), and a frame reaches the terminal in one write. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "session_env.h"

static struct test_home home;

static struct pty *box(int rows, int cols, const char *scale)
{
	const char *argv[] = { pty_lull_path(), "start", "box", "--no-audio", "--no-dark", NULL };
	const char *env[] = { scale, NULL };
	struct pty_options opt = { .rows = rows, .cols = cols, .env = test_env(&home, env) };
	return pty_spawn(argv, &opt);
}

static int teardown(void **state)
{
	test_home_free(&home);
	return 0;
}

#define FULL_BLOCK "\xe2\x96\x88"

/* Rows with a full block in them, and the most blocks in one row. */
static int bar_rows(struct pty *p, int rows, int *cells)
{
	int n = 0;
	*cells = 0;
	for (int y = 0; y < rows; y++) {
		int k = 0;
		for (const char *c = strstr(pty_row(p, y), FULL_BLOCK); c; c = strstr(c + 3, FULL_BLOCK))
			k++;
		n += k > 0;
		if (k > *cells)
			*cells = k;
	}
	return n;
}

/* Box breathing holds the bar full after each inhale: at 200x50 it is one
 * row of 64 cells, as at 80x24. */
static void bar_one_row_at_every_size(void **state)
{
	static const int size[][2] = { { 24, 80 }, { 50, 200 }, { 30, 100 } };
	for (size_t i = 0; i < sizeof size / sizeof size[0]; i++) {
		struct pty *p = box(size[i][0], size[i][1], "LULL_TIME_SCALE=4");
		assert_true(session_wait_phase_word(p, "Inhale", 30000));
		assert_true(session_wait_phase_word(p, "Hold", 30000));
		int cells, rows = bar_rows(p, size[i][0], &cells);
		if (rows != 1 || cells != 64)
			fail_msg("at %dx%d: the full bar is %d row(s), %d cells wide\n%s", size[i][1], size[i][0], rows,
				 cells, pty_screen(p));
		pty_free(p);
	}
}

static double writes_so_far(struct pty *p)
{
	char path[64], line[128];
	snprintf(path, sizeof path, "/proc/%d/io", (int)pty_pid(p));
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	double w = -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "syscw: %lf", &w) == 1)
			break;
	fclose(f);
	return w;
}

/* Through a 4 s inhale at 64 cells the bar steps 32 times a second (its
 * seconds tick with a step): over two seconds of it, about 64 frames. Each
 * is one write; curses alone would send a step's backspace and its block
 * apart, 128 writes. A late wake-up only draws fewer frames. */
static void one_write_a_frame(void **state)
{
	struct pty *p = box(24, 80, "LULL_TIME_SCALE=1");
	assert_true(session_wait_phase_word(p, "Inhale", 30000));
	double t0 = pty_now(), w0 = writes_so_far(p);
	if (w0 < 0) {
		pty_free(p);
		skip(); /* no /proc/PID/io on this kernel */
	}
	double until = t0 + 2.0; /* two of the inhale's four: room for a late look */
	while (pty_now() < until)
		pty_pump(p, 50);
	double w1 = writes_so_far(p), t1 = pty_now();
	assert_true(session_shows_phase_word(p, "Inhale")); /* still the inhale */
	double frames = (t1 - t0) * 32 + 1;
	if (w1 - w0 > frames * 1.15)
		fail_msg("%.0f writes in %.2f s of inhale (at most %.0f frames)", w1 - w0, t1 - t0, frames);
	pty_free(p);
}

/* The row with the most full blocks: the bar, when it is full. */
static int full_bar_row(struct pty *p, int rows)
{
	int best = -1, most = 0;
	for (int y = 0; y < rows; y++) {
		int k = 0;
		for (const char *c = strstr(pty_row(p, y), FULL_BLOCK); c; c = strstr(c + 3, FULL_BLOCK))
			k++;
		if (k > most) {
			most = k;
			best = y;
		}
	}
	return best;
}

/* The row as it stands, but of the cycle's line only "cycle k of N": the
 * time left there is in whole minutes, which fall where they fall. */
static char *row_but_minutes(struct pty *p, int y)
{
	char *r = strdup(pty_row(p, y));
	char *c = strstr(r, "cycle ");
	char *gap = c ? strstr(c, "   ") : NULL;
	if (gap)
		*gap = '\0';
	return r;
}

/* One thing moves at a time: while the breath moves only the bar's row
 * changes, while it is held only the hold's seconds beside the word; the
 * word, the cycle and the progress line move on at phase and cycle starts
 * (each change away from the bar is a trip of the cursor there and back).
 * Box at 4x: eight phases of a second, each watched from 0.1 s in until
 * 0.15 s before its end or its word goes. (Before, the progress line stepped every 3.75 s
 * of session time and the seconds ticked beside every phase word.) */
static void one_thing_moves_at_a_time(void **state)
{
	enum { ROWS = 24, COLS = 80 };
	struct pty *p = box(ROWS, COLS, "LULL_TIME_SCALE=4");
	assert_true(session_wait_phase_word(p, "Inhale", 30000));
	assert_true(session_wait_phase_word(p, "Hold", 30000));
	int bar = full_bar_row(p, ROWS), word = session_phase_word_at(p, "Hold", NULL);
	assert_true(bar > 0 && word >= 0 && word != bar);
	static const char *const next[] = { "Exhale", "Hold", "Inhale", "Hold" };
	for (int ph = 0; ph < 8; ph++) {
		const char *w = next[ph % 4];
		assert_true(session_wait_phase_word(p, w, 30000));
		int moving = strcmp(w, "Hold") == 0 ? word : bar;
		double t0 = session_last_chunk_time(p);
		while (pty_now() < t0 + 0.1)
			pty_pump(p, 10);
		char *was[ROWS];
		for (int y = 0; y < ROWS; y++)
			was[y] = row_but_minutes(p, y);
		int changes = 0;
		while (pty_now() < t0 + 0.85) {
			pty_pump(p, 20);
			/* A late frame must not read as a change: the next phase's
			 * frame rewrites the word first (rows go out top down), so
			 * the watch ends when the word does. */
			if (!session_shows_phase_word(p, w))
				break;
			for (int y = 0; y < ROWS; y++) {
				char *now = row_but_minutes(p, y);
				if (y == moving)
					changes += strcmp(now, was[y]) != 0;
				else if (strcmp(now, was[y]) != 0)
					fail_msg("%s, %.2f s in: row %d changed from\n'%s' to\n'%s'", w, pty_now() - t0, y,
						 was[y], now);
				free(now);
			}
		}
		if (!changes)
			fail_msg("%s: row %d never moved", w, moving);
		for (int y = 0; y < ROWS; y++)
			free(was[y]);
	}
	pty_free(p);
}

/* A guided step's "Next:" line sits in the 64-column block the step's
 * words wrap to: it was shortened to the full width instead, and on a wide
 * terminal a long one ran far past the block on both sides. */
static void next_line_in_the_block(void **state)
{
	(void)state;
	const char *const *env = test_env(&home, NULL);
	char path[400];
	snprintf(path, sizeof path, "%s/config/lull/sessions", home.dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/config/lull/sessions/nextline.session", home.dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("guide 60s \"Rest your hands.\"\n"
	      "guide 60s \"Let the shoulders drop, slowly, and notice how the weight of the arms "
	      "pulls them down a little further with every breath out, without any effort\"\n", f);
	assert_int_equal(fclose(f), 0);
	const char *argv[] = { pty_lull_path(), "start", "nextline", "--no-audio", "--no-dark", NULL };
	struct pty_options opt = { .rows = 30, .cols = 160, .env = env };
	struct pty *p = pty_spawn(argv, &opt);
	assert_true(pty_wait_text(p, "Next: Let the shoulders", 3000));
	int left = (160 - 64) / 2, right = left + 64; /* the block: columns [left, right) */
	const char *row = NULL;
	for (int y = 0; y < 30 && !row; y++)
		if (strstr(pty_row(p, y), "Next: "))
			row = pty_row(p, y);
	assert_non_null(row);
	/* Columns, not bytes: the ellipsis is three bytes in one column. */
	int end = (int)strlen(row);
	while (end > 0 && row[end - 1] == ' ')
		end--;
	int first = -1, last = -1;
	for (int i = 0, col = 0; i < end; i++) {
		if (((unsigned char)row[i] & 0xC0) == 0x80)
			continue;
		if (first < 0 && row[i] != ' ')
			first = col;
		last = col++;
	}
	if (first < left || last >= right)
		fprintf(stderr, "the Next line, columns %d to %d:\n%s\n", first, last, row);
	assert_true(first >= left);
	assert_true(last < right);
	pty_send(p, "q");
	int status;
	assert_true(pty_wait_exit(p, 3000, &status));
	pty_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(bar_one_row_at_every_size, teardown),
		cmocka_unit_test_teardown(one_write_a_frame, teardown),
		cmocka_unit_test_teardown(one_thing_moves_at_a_time, teardown),
		cmocka_unit_test_teardown(next_line_in_the_block, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
