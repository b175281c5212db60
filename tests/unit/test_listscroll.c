/* SPDX-License-Identifier: ISC */
/* Where the menu's list starts (listscroll_top): the chosen row always in
 * view; scrolling moves as little as it can; a group's name pinned on the
 * first row when scrolled into the group; and no blank rows under the end
 * when rows above could fill them. That last one was wrong: a menu scrolled
 * to its end at 12 rows and then grown to 60 kept its top, and 45 blank
 * rows stood under half a list. Every window height, every chosen row and
 * every starting point of a list shaped like the menu's is checked. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "listscroll.h"

/* The menu's shape: groups of 5, 3, 1, 4 and 1 rows, each under its name. */
static const bool menu[] = {
	true, false, false, false, false, false,
	true, false, false, false,
	true, false,
	true, false, false, false, false,
	true, false,
};
#define N (sizeof menu / sizeof menu[0])

/* The rows a window shows: the pinned name (if any) and the list's rows
 * from top; the count of the list's rows in it. */
static size_t list_rows(size_t top, bool pinned, size_t rows)
{
	size_t room = pinned ? rows - 1 : rows;
	return N - top < room ? N - top : room;
}

static void invariants(size_t sel, size_t from, size_t rows)
{
	bool pinned;
	size_t top = listscroll_top(menu, N, sel, from, rows, &pinned);
	char where[80];
	snprintf(where, sizeof where, "sel %zu, from %zu, %zu rows: top %zu%s", sel, from, rows, top,
		 pinned ? " pinned" : "");
	if (top >= N)
		fail_msg("%s: past the end", where);
	size_t shown = list_rows(top, pinned, rows);
	if (sel < top || sel >= top + shown)
		fail_msg("%s: the chosen row is not in view", where);
	if (pinned && (menu[top] || rows < 2))
		fail_msg("%s: pinned over a header, or with no room", where);
	if (!pinned && !menu[top] && rows > 1)
		fail_msg("%s: inside a group with no name above", where);
	/* Blank rows under the end only where one more row above would lose
	 * the chosen one. */
	size_t blank = rows - (pinned ? 1 : 0) - shown;
	if (blank > 0 && top > 0) {
		size_t up = top - 1;
		bool up_pinned = !menu[up];
		if (list_rows(up, up_pinned, rows) + (up_pinned ? 1 : 0) > shown + (pinned ? 1 : 0) &&
		    sel < up + list_rows(up, up_pinned, rows))
			fail_msg("%s: %zu blank rows under the list, which row %zu above would fill", where, blank,
				 up);
	}
	/* In view already and no blank rows: it does not move. */
	bool from_pinned = !menu[from] && rows > 1;
	size_t from_shown = list_rows(from, from_pinned, rows);
	size_t from_blank = rows - (from_pinned ? 1 : 0) - from_shown;
	bool same_view = top == from || (top + 1 == from && menu[top] && !menu[from]);
	if (sel >= from && sel < from + from_shown && from_blank == 0 && !same_view)
		fail_msg("%s: moved from a view that showed the chosen row whole", where);
}

static void every_case(void **state)
{
	(void)state;
	for (size_t rows = 1; rows <= N + 3; rows++)
		for (size_t sel = 0; sel < N; sel++)
			for (size_t from = 0; from < N; from++)
				if (!menu[sel])
					invariants(sel, from, rows);
}

/* The report: scrolled to the last row in a short window, then the window
 * grows taller than the list: the whole list from its first row. */
static void grown_window_shows_all(void **state)
{
	(void)state;
	bool pinned;
	size_t top = listscroll_top(menu, N, N - 1, 0, 6, &pinned);
	assert_true(top > 0);
	top = listscroll_top(menu, N, N - 1, top, 60, &pinned);
	assert_int_equal(top, 0);
	assert_false(pinned);
	/* Grown, but not enough for all: the end on the last row. */
	top = listscroll_top(menu, N, N - 1, 0, 6, &pinned);
	top = listscroll_top(menu, N, N - 1, top, 11, &pinned);
	assert_int_equal(top + list_rows(top, pinned, 11), N);
	assert_int_equal(list_rows(top, pinned, 11) + pinned, 11);
	/* At 10 rows one stays blank: from the third group's name down is 9
	 * rows, and one row higher needs the second group's name pinned, which
	 * pushes the last row out. */
	top = listscroll_top(menu, N, N - 1, 0, 10, &pinned);
	assert_int_equal(top, 10);
	assert_false(pinned);
}

/* Scrolling down into a group pins its name; up to its first row, the
 * name stands there itself. */
static void group_name_stays(void **state)
{
	(void)state;
	bool pinned;
	size_t top = listscroll_top(menu, N, 5, 0, 4, &pinned); /* the last of the first group */
	assert_true(pinned);
	assert_int_equal(top, 3);
	top = listscroll_top(menu, N, 7, top, 4, &pinned); /* down into the second */
	assert_true(top <= 7);
	top = listscroll_top(menu, N, 1, top, 4, &pinned); /* back to the first row */
	assert_int_equal(top, 0);
	assert_false(pinned);
}

static void degenerate(void **state)
{
	(void)state;
	bool pinned = true;
	assert_int_equal(listscroll_top(menu, 0, 0, 0, 10, &pinned), 0);
	assert_false(pinned);
	assert_int_equal(listscroll_top(menu, N, 3, 2, 0, &pinned), 2);
	/* Out of range: back in, to the nearer edge. */
	assert_int_equal(listscroll_top(menu, N, 3, 99, 5, &pinned), 3);
	assert_true(pinned);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_case),
		cmocka_unit_test(grown_window_shows_all),
		cmocka_unit_test(group_name_stays),
		cmocka_unit_test(degenerate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
