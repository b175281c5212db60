/* SPDX-License-Identifier: ISC */
/* The safety page's layout: every built-in program's note (as the loader
 * gives it, with the general note under it) shows whole at 80x24 and at
 * 40x12, inside the screen, words in order, with how to go on on the last
 * row; what gives way on a small screen gives way in its order; a note
 * taller than the screen is cut and says so. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "catalog.h"
#include "safetypage.h"
#include "session.h"
#include "text.h"
#include "util.h"

static struct safety_line lines[64];

/* The page's lines joined in order, one space between lines. */
static char *joined(const struct safety_line *l, int n, enum safety_look look)
{
	size_t cap = 4096, used = 0;
	char *out = xcalloc(1, cap);
	for (int i = 0; i < n; i++) {
		if (l[i].look != look)
			continue;
		used += (size_t)snprintf(out + used, cap - used, "%s%s", used ? " " : "", l[i].text);
	}
	return out;
}

static void assert_inside(const struct safety_line *l, int n, int rows, int cols)
{
	for (int i = 0; i < n; i++) {
		assert_true(l[i].row >= 0 && l[i].row < rows);
		assert_true(l[i].col >= 0);
		assert_true(l[i].col + (int)text_width(l[i].text) <= cols);
		for (int j = 0; j < i; j++)
			assert_true(l[j].row != l[i].row); /* one line a row */
	}
}

static void every_builtin_fits(void **state)
{
	static const int sizes[][2] = { { 24, 80 }, { 12, 40 } };
	size_t with_note = 0;
	for (size_t b = 0; b < builtins_count; b++) {
		char err[512];
		struct program *p = catalog_load(builtins[b].name, err, sizeof err);
		assert_non_null(p);
		if (!p->safety) {
			program_free(p);
			continue;
		}
		with_note++;
		for (size_t z = 0; z < 2; z++) {
			int rows = sizes[z][0], cols = sizes[z][1];
			for (int wait = 0; wait < 2; wait++) {
				struct safety_page page = { .title = p->title, .heading = SAFETY_HEADING,
							    .text = p->safety, .note = safety_general_note(p->safety),
							    .hint = wait ? SAFETY_HINT_WAIT : SAFETY_HINT_BRIEF };
				bool cut;
				int n = safety_page_layout(&page, rows, cols, lines, 64, &cut);
				if (cut)
					fail_msg("%s: the note is cut at %dx%d", builtins[b].name, cols, rows);
				assert_inside(lines, n, rows, cols);
				/* The words of the note, all of them, in order. */
				char *text = joined(lines, n, SAFETY_LOOK_TEXT);
				assert_string_equal(text, p->safety);
				free(text);
				/* How to go on, on the last row. */
				assert_int_equal(lines[n - 1].look, SAFETY_LOOK_HINT);
				assert_int_equal(lines[n - 1].row, rows - 1);
				assert_string_equal(lines[n - 1].text, page.hint);
				/* At 80x24 nothing gives way. */
				if (rows == 24) {
					char *note = joined(lines, n, SAFETY_LOOK_NOTE);
					assert_string_equal(note, page.note);
					free(note);
					assert_int_equal(lines[0].look, SAFETY_LOOK_TITLE);
				}
			}
		}
		program_free(p);
	}
	/* 478 and box hold the breath: they have a note too. */
	assert_true(with_note >= 8);
}

/* How many times s says what. */
static size_t times(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *at = s; (at = strstr(at, what)) != NULL; at += strlen(what))
		n++;
	return n;
}

/* A page says "Ask a health professional ..." once: winddown's page said it
 * in the program's note and again in the general one (2 times; 9 of the
 * 11 pages the same). A note that does not send the person there keeps the
 * whole general note (box, 478). */
static void asks_for_a_professional_once(void **state)
{
	(void)state;
	assert_string_equal(session_safety_note, SAFETY_NOTE);
	assert_string_equal(safety_general_note(NULL), SAFETY_NOTE);
	assert_string_equal(safety_general_note("Keep the holds soft."), SAFETY_NOTE);
	assert_true(str_has_prefix(SAFETY_NOTE, SAFETY_NOTE_SHORT));
	size_t shortened = 0;
	for (size_t b = 0; b < builtins_count; b++) {
		char err[512];
		struct program *p = catalog_load(builtins[b].name, err, sizeof err);
		assert_non_null(p);
		char *page = xasprintf("%s %s", p->safety ? p->safety : "", safety_general_note(p->safety));
		if (times(page, "health professional") > 1)
			fail_msg("%s: its page sends the person to a health professional %zu times: %s",
				 builtins[b].name, times(page, "health professional"), page);
		assert_int_equal(times(page, "not medical advice"), 1);
		shortened += strcmp(safety_general_note(p->safety), SAFETY_NOTE_SHORT) == 0;
		free(page);
		program_free(p);
	}
	assert_true(shortened >= 5);
}

static void gives_way_in_order(void **state)
{
	struct safety_page page = { .title = "Title", .heading = "Heading", .text = "one two three four five six",
				    .note = "A general note.", .hint = "Any key" };
	bool cut;
	/* Tall: everything, with blank lines between. */
	int n = safety_page_layout(&page, 24, 40, lines, 64, &cut);
	assert_int_equal(n, 5);
	assert_false(cut);
	assert_true(lines[1].row - lines[0].row == 2);
	/* 6 rows: the hint, a blank row above it, and 4 for the rest: the
	 * blank lines give way first. */
	n = safety_page_layout(&page, 6, 40, lines, 64, &cut);
	assert_false(cut);
	assert_int_equal(n, 5);
	assert_int_equal(lines[0].look, SAFETY_LOOK_TITLE);
	assert_int_equal(lines[3].row, 3);
	assert_int_equal(lines[n - 1].row, 5);
	/* Then the title, the general note, the heading. */
	n = safety_page_layout(&page, 5, 40, lines, 64, &cut);
	assert_false(cut);
	assert_int_equal(n, 4);
	assert_int_equal(lines[0].look, SAFETY_LOOK_HEADING);
	n = safety_page_layout(&page, 4, 40, lines, 64, &cut);
	assert_false(cut);
	assert_int_equal(n, 3);
	assert_int_equal(lines[0].look, SAFETY_LOOK_HEADING);
	assert_int_equal(lines[1].look, SAFETY_LOOK_TEXT);
	n = safety_page_layout(&page, 3, 40, lines, 64, &cut);
	assert_false(cut);
	assert_int_equal(n, 2);
	assert_int_equal(lines[0].look, SAFETY_LOOK_TEXT);
	/* Narrow: the note wraps at word boundaries and is still whole. */
	n = safety_page_layout(&page, 3, 12, lines, 64, &cut);
	assert_true(cut); /* two lines of text, one row for them */
	assert_non_null(strstr(lines[0].text, "..."));
	assert_true(text_width(lines[0].text) <= 12);
	n = safety_page_layout(&page, 12, 12, lines, 64, &cut);
	assert_false(cut);
	char *text = joined(lines, n, SAFETY_LOOK_TEXT);
	assert_string_equal(text, "one two three four five six");
	free(text);
	/* Nothing at all to lay out on no screen. */
	assert_int_equal(safety_page_layout(&page, 0, 40, lines, 64, &cut), 0);
}

int main(void)
{
	/* Only the built-ins: no user folder. */
	setenv("XDG_CONFIG_HOME", "/nonexistent/lull-test", 1);
	setenv("HOME", "/nonexistent/lull-test", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_builtin_fits),
		cmocka_unit_test(gives_way_in_order),
		cmocka_unit_test(asks_for_a_professional_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
