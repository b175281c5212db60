/* SPDX-License-Identifier: ISC */
/* The dark screen's schedule: the steps of a ten-minute sleep program, of a
 * long night (three minutes apart at most, black for the last five) and of
 * a short session; the level between and at its changes; the next change,
 * the one wake-up the session needs for it. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dark.h"

#define S(x) ((pace_us)((x) * 1000000.0 + 0.5))

static void ten_minutes(void **state)
{
	pace_us total = S(600);
	/* Black for the last quarter: from 7:30; the steps before it every
	 * 112.5 s. */
	assert_int_equal(dark_start(total, DARK_NONE), 0);
	assert_int_equal(dark_start(total, DARK_DIM), S(112.5));
	assert_int_equal(dark_start(total, DARK_DIMMER), S(225));
	assert_int_equal(dark_start(total, DARK_BAR), S(337.5));
	assert_int_equal(dark_start(total, DARK_BLACK), S(450));
	assert_int_equal(dark_at(total, -1), DARK_NONE);
	assert_int_equal(dark_at(total, 0), DARK_NONE);
	assert_int_equal(dark_at(total, S(112.5) - 1), DARK_NONE);
	assert_int_equal(dark_at(total, S(112.5)), DARK_DIM);
	assert_int_equal(dark_at(total, S(300)), DARK_DIMMER);
	assert_int_equal(dark_at(total, S(400)), DARK_BAR);
	assert_int_equal(dark_at(total, S(450)), DARK_BLACK);
	assert_int_equal(dark_at(total, S(600)), DARK_BLACK);
	assert_int_equal(dark_at(total, S(9000)), DARK_BLACK);
	/* Each change is the next one's deadline, and nothing after black. */
	assert_int_equal(dark_next(total, -5), S(112.5));
	assert_int_equal(dark_next(total, 0), S(112.5));
	assert_int_equal(dark_next(total, S(112.5) - 1), S(112.5));
	assert_int_equal(dark_next(total, S(112.5)), S(225));
	assert_int_equal(dark_next(total, S(449)), S(450));
	assert_int_equal(dark_next(total, S(450)), INT64_MAX);
}

static void a_long_night(void **state)
{
	pace_us total = S(8 * 3600);
	/* Black for the last five minutes; the first steps three minutes
	 * apart, not an hour and more (the screen would stay lit for long). */
	assert_int_equal(dark_start(total, DARK_BLACK), total - S(300));
	assert_int_equal(dark_start(total, DARK_DIM), S(180));
	assert_int_equal(dark_start(total, DARK_BAR), S(540));
	assert_int_equal(dark_at(total, S(3600)), DARK_BAR);
	assert_int_equal(dark_next(total, S(540)), total - S(300));
}

static void short_and_empty(void **state)
{
	pace_us total = S(32); /* box, 2 cycles */
	assert_int_equal(dark_start(total, DARK_BLACK), S(24));
	assert_int_equal(dark_start(total, DARK_DIM), S(6));
	for (pace_us t = 0, prev = DARK_NONE; t <= total; t += S(0.5)) {
		enum dark_level l = dark_at(total, t);
		assert_true(l >= prev); /* it only darkens */
		assert_true(l <= prev + 1); /* a step at a time */
		prev = l;
	}
	assert_int_equal(dark_at(0, 0), DARK_NONE);
	assert_int_equal(dark_next(0, 0), INT64_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ten_minutes),
		cmocka_unit_test(a_long_night),
		cmocka_unit_test(short_and_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
