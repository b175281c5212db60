/* The render plan: breath events at the right times, ramps, chimes and sound
 * steps in order, total length. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include "audio_plan.h"

static void test_box_two_cycles(void **state)
{
	struct step st = { .kind = STEP_BREATHE,
	                   .u.breathe = { .from = { { 4, 4, 4, 4 } }, .to = { { 4, 4, 4, 4 } }, .cycles = 2 } };
	struct program p = { .steps = &st, .nsteps = 1 };
	struct plan_event *ev;
	double total;
	size_t n = audio_plan(&p, &ev, &total);
	assert_int_equal(n, 8);
	assert_true(total == 32);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ev[i].kind, PLAN_BREATH);
		assert_true(ev[i].t == 4.0 * (double)i);
		assert_int_equal(ev[i].phase, (int)(i % 4));
	}
	free(ev);
}

static void test_skips_zero_phases_and_ramps(void **state)
{
	struct step st[3] = {
		{ .kind = STEP_SOUND, .u.sound = { .action = SOUND_LAYER_ON, .name = "rain", .volume = 0.5f, .fade_s = 5 } },
		{ .kind = STEP_BREATHE, .u.breathe = { .from = { { 4, 0, 6, 0 } }, .to = { { 4, 0, 8, 0 } }, .ramp = true, .cycles = 3 } },
		{ .kind = STEP_CHIME, .u.chime = NULL },
	};
	struct program p = { .steps = st, .nsteps = 3 };
	struct plan_event *ev;
	double total;
	size_t n = audio_plan(&p, &ev, &total);
	assert_int_equal(n, 1 + 6 + 1);
	assert_int_equal(ev[0].kind, PLAN_SOUND);
	/* Exhales 6, 7, 8 s: the ramp moves linearly over the cycles. */
	assert_true(ev[2].dur == 6 && ev[4].dur == 7 && ev[6].dur == 8);
	assert_true(total == 4 + 6 + 4 + 7 + 4 + 8);
	assert_int_equal(ev[7].kind, PLAN_CUE);
	assert_true(ev[7].t == total);
	free(ev);
}

static void test_minutes_finish_the_cycle(void **state)
{
	struct step st = { .kind = STEP_BREATHE,
	                   .u.breathe = { .from = { { 4, 7, 8, 0 } }, .to = { { 4, 7, 8, 0 } }, .seconds = 60 } };
	struct program p = { .steps = &st, .nsteps = 1 };
	struct plan_event *ev;
	double total;
	audio_plan(&p, &ev, &total);
	assert_true(total == 19 * 4); /* 3 cycles = 57 s < 60, so a 4th starts */
	free(ev);
	/* An all-zero pattern ends instead of looping forever. */
	struct step z = { .kind = STEP_BREATHE, .u.breathe = { .seconds = 60 } };
	p.steps = &z;
	assert_int_equal(audio_plan(&p, &ev, &total), 0);
	free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_box_two_cycles),
		cmocka_unit_test(test_skips_zero_phases_and_ramps),
		cmocka_unit_test(test_minutes_finish_the_cycle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
