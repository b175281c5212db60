/* SPDX-License-Identifier: ISC */
/* The check-in keys: one key per answer, 1 then 0 for 10, a lone 1 after a
 * moment, arrows and Enter, Enter alone skips; body areas by letter, number
 * or arrows. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "checkin.h"

static void test_digits(void **state)
{
	(void)state;
	struct checkin_scale s;
	for (int d = 0; d <= 9; d++) {
		if (d == 1)
			continue;
		checkin_scale_init(&s);
		assert_int_equal(checkin_scale_key(&s, '0' + d, 0), CHECKIN_CHOSEN);
		assert_int_equal(s.value, d);
	}
}

static void test_one_and_ten(void **state)
{
	(void)state;
	struct checkin_scale s;
	checkin_scale_init(&s);
	assert_int_equal(checkin_scale_key(&s, '1', 1000), CHECKIN_MORE);
	assert_true(s.pending_one);
	assert_int_equal(checkin_scale_key(&s, '0', 1200), CHECKIN_CHOSEN);
	assert_int_equal(s.value, 10);

	/* A lone 1: chosen when the moment passes, not before. */
	checkin_scale_init(&s);
	checkin_scale_key(&s, '1', 1000);
	assert_int_equal(checkin_scale_tick(&s, 1000 + CHECKIN_TEN_MS - 1), CHECKIN_MORE);
	assert_int_equal(checkin_scale_tick(&s, 1000 + CHECKIN_TEN_MS), CHECKIN_CHOSEN);
	assert_int_equal(s.value, 1);

	/* 1 then Enter is 1 at once; 1 then 4: the last key wins. */
	checkin_scale_init(&s);
	checkin_scale_key(&s, '1', 0);
	assert_int_equal(checkin_scale_key(&s, '\n', 10), CHECKIN_CHOSEN);
	assert_int_equal(s.value, 1);
	checkin_scale_init(&s);
	checkin_scale_key(&s, '1', 0);
	assert_int_equal(checkin_scale_key(&s, '4', 10), CHECKIN_CHOSEN);
	assert_int_equal(s.value, 4);
	/* 1 then 1 keeps waiting for a 0 (the second 1 restarts the moment). */
	checkin_scale_init(&s);
	checkin_scale_key(&s, '1', 0);
	assert_int_equal(checkin_scale_key(&s, '1', 500), CHECKIN_MORE);
	assert_int_equal(checkin_scale_tick(&s, 900), CHECKIN_MORE);
	assert_int_equal(checkin_scale_tick(&s, 500 + CHECKIN_TEN_MS), CHECKIN_CHOSEN);
}

static void test_enter_skips_and_arrows(void **state)
{
	(void)state;
	struct checkin_scale s;
	checkin_scale_init(&s);
	assert_int_equal(checkin_scale_key(&s, '\n', 0), CHECKIN_SKIP);
	checkin_scale_init(&s);
	assert_int_equal(checkin_scale_key(&s, '\r', 0), CHECKIN_SKIP);
	checkin_scale_init(&s);
	assert_int_equal(checkin_scale_key(&s, CHECKIN_KEY_ESC, 0), CHECKIN_SKIP);
	checkin_scale_init(&s);
	assert_int_equal(checkin_scale_key(&s, 'q', 0), CHECKIN_QUIT);
	checkin_scale_init(&s);
	assert_int_equal(checkin_scale_key(&s, 'x', 0), CHECKIN_MORE); /* ignored */

	/* The first arrow lands in the middle, then moves, within 0..10. */
	checkin_scale_init(&s);
	assert_int_equal(checkin_scale_key(&s, CHECKIN_KEY_RIGHT, 0), CHECKIN_MORE);
	assert_int_equal(s.cursor, 5);
	checkin_scale_key(&s, CHECKIN_KEY_RIGHT, 0);
	checkin_scale_key(&s, CHECKIN_KEY_UP, 0);
	assert_int_equal(checkin_scale_key(&s, '\n', 0), CHECKIN_CHOSEN);
	assert_int_equal(s.value, 7);
	checkin_scale_init(&s);
	for (int i = 0; i < 20; i++)
		checkin_scale_key(&s, CHECKIN_KEY_LEFT, 0);
	assert_int_equal(s.cursor, 0);
	for (int i = 0; i < 20; i++)
		checkin_scale_key(&s, CHECKIN_KEY_RIGHT, 0);
	assert_int_equal(s.cursor, 10);
	assert_int_equal(checkin_scale_key(&s, '\n', 0), CHECKIN_CHOSEN);
	assert_int_equal(s.value, 10);
}

static void test_areas(void **state)
{
	(void)state;
	struct checkin_area a;
	for (int i = 0; i < CHECKIN_AREAS; i++) {
		checkin_area_init(&a);
		assert_int_equal(checkin_area_key(&a, checkin_area_keys[i]), CHECKIN_CHOSEN);
		assert_int_equal(a.chosen, i);
		checkin_area_init(&a);
		assert_int_equal(checkin_area_key(&a, '1' + i), CHECKIN_CHOSEN);
		assert_int_equal(a.chosen, i);
	}
	checkin_area_init(&a);
	assert_int_equal(checkin_area_key(&a, 'L'), CHECKIN_CHOSEN);
	assert_string_equal(checkin_area_names[a.chosen], "lower back");
	checkin_area_init(&a);
	assert_int_equal(checkin_area_key(&a, '\n'), CHECKIN_SKIP);
	checkin_area_init(&a);
	checkin_area_key(&a, CHECKIN_KEY_RIGHT);
	checkin_area_key(&a, CHECKIN_KEY_RIGHT);
	assert_int_equal(checkin_area_key(&a, '\n'), CHECKIN_CHOSEN);
	assert_string_equal(checkin_area_names[a.chosen], "shoulders");
	/* Keys for areas are distinct. */
	for (int i = 0; i < CHECKIN_AREAS; i++)
		for (int j = i + 1; j < CHECKIN_AREAS; j++)
			assert_true(checkin_area_keys[i] != checkin_area_keys[j]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_digits),
		cmocka_unit_test(test_one_and_ten),
		cmocka_unit_test(test_enter_skips_and_arrows),
		cmocka_unit_test(test_areas),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
