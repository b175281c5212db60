/* SPDX-License-Identifier: ISC */
/* The status line's format: every conversion, the edges, the errors. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "statusline.h"

static void test_default(void **state)
{
	(void)state;
	struct status_facts f = { .reminder = true, .reminder_min = 21 * 60 + 30, .done_tonight = false,
				  .week_days = 2, .week_goal = 4 };
	char out[128];
	assert_true(status_format(STATUS_DEFAULT_FORMAT, &f, out, sizeof out, NULL));
	assert_string_equal(out, "next 21:30 · tonight not yet · 2/4 days");
	f.reminder = false;
	f.done_tonight = true;
	assert_true(status_format(STATUS_DEFAULT_FORMAT, &f, out, sizeof out, NULL));
	assert_string_equal(out, "next none · tonight done · 2/4 days");
}

static void test_conversions(void **state)
{
	(void)state;
	struct status_facts f = { .reminder = true, .reminder_min = 5, .week_days = 7, .week_goal = 7 };
	char out[64];
	assert_true(status_format("[%T]%n %w%%", &f, out, sizeof out, NULL));
	assert_string_equal(out, "[]00:05 7%");
	f.done_tonight = true;
	assert_true(status_format("%T", &f, out, sizeof out, NULL));
	assert_string_equal(out, "done");
	assert_true(status_format("", &f, out, sizeof out, NULL));
	assert_string_equal(out, "");
	f.reminder_now = true;
	assert_true(status_format("%n", &f, out, sizeof out, NULL));
	assert_string_equal(out, "now");
	f.reminder_now = false;
	/* A minute out of range is no reminder. */
	f.reminder_min = 24 * 60;
	assert_true(status_format("%n", &f, out, sizeof out, NULL));
	assert_string_equal(out, "none");
}

static void test_errors_and_bounds(void **state)
{
	(void)state;
	struct status_facts f = { 0 };
	char out[8];
	size_t bad = 99;
	assert_false(status_format("ok %x", &f, out, sizeof out, &bad));
	assert_int_equal(bad, 3);
	assert_false(status_format("ends %", &f, out, sizeof out, &bad));
	assert_int_equal(bad, 5);
	/* Cut to the buffer, always terminated. */
	assert_true(status_format("a long line %t", &f, out, sizeof out, NULL));
	assert_string_equal(out, "a long ");
	assert_true(status_format("%t", &f, out, 1, NULL));
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_conversions),
		cmocka_unit_test(test_errors_and_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
