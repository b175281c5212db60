/* Program timing: the lengths the catalog shows and the session timeline
 * follows (cycles, durations that finish the cycle in progress, ramps). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "program.h"

static struct pace_pattern pat(double in, double h1, double out, double h2)
{
	struct pace_pattern p = { { in, h1, out, h2 } };
	return p;
}

static struct step breathe(struct pace_pattern from, struct pace_pattern to, bool ramp, unsigned cycles, double secs)
{
	struct step s;
	memset(&s, 0, sizeof s);
	s.kind = STEP_BREATHE;
	s.u.breathe.from = from;
	s.u.breathe.to = to;
	s.u.breathe.ramp = ramp;
	s.u.breathe.cycles = cycles;
	s.u.breathe.seconds = secs;
	return s;
}

static void test_cycles(void **state)
{
	struct step s = breathe(pat(4, 7, 8, 0), pat(4, 7, 8, 0), false, 4, 0);
	assert_true(step_length(&s) == 76);
	s = breathe(pat(5.5, 0, 5.5, 0), pat(5.5, 0, 5.5, 0), false, 1, 0);
	assert_true(step_length(&s) == 11);
}

static void test_duration_finishes_the_cycle(void **state)
{
	/* 10 s cycles: 60 s is exactly 6 cycles; 61 s starts a 7th. */
	struct step s = breathe(pat(4, 0, 6, 0), pat(4, 0, 6, 0), false, 0, 60);
	assert_true(step_length(&s) == 60);
	s.u.breathe.seconds = 61;
	assert_true(step_length(&s) == 70);
	s.u.breathe.seconds = 0.001;
	assert_true(step_length(&s) == 10);
	/* box for 5m: 18.75 cycles -> 19. */
	s = breathe(pat(4, 4, 4, 4), pat(4, 4, 4, 4), false, 0, 300);
	assert_true(step_length(&s) == 304);
}

static void test_ramp_by_cycles(void **state)
{
	/* 3 cycles from 10 s to 14 s: 10, 12, 14. */
	struct step s = breathe(pat(4, 0, 6, 0), pat(4, 0, 10, 0), true, 3, 0);
	assert_true(fabs(step_length(&s) - 36) < 1e-9);
	struct pace_pattern p = step_breathe_pattern(&s.u.breathe, 1, 0);
	assert_true(fabs(p.phase[PACE_EXHALE] - 8) < 1e-9);
	p = step_breathe_pattern(&s.u.breathe, 2, 0);
	assert_true(fabs(p.phase[PACE_EXHALE] - 10) < 1e-9);
	/* One cycle of a ramp is the starting pattern. */
	s.u.breathe.cycles = 1;
	assert_true(step_length(&s) == 10);
	/* Past the end (k >= N) stays at the target. */
	s.u.breathe.cycles = 3;
	p = step_breathe_pattern(&s.u.breathe, 7, 0);
	assert_true(p.phase[PACE_EXHALE] == 10);
}

static void test_ramp_by_duration(void **state)
{
	/* 4-0-6-0 -> 4-0-8-0 over 20 s: a cycle starting at t uses 6 + 2t/20.
	 * t=0: 10 s; t=10: 11 s; t=21 >= 20: stop. Total 21 s. */
	struct step s = breathe(pat(4, 0, 6, 0), pat(4, 0, 8, 0), true, 0, 20);
	assert_true(fabs(step_length(&s) - 21) < 1e-9);
	struct pace_pattern p = step_breathe_pattern(&s.u.breathe, 0, 10);
	assert_true(fabs(p.phase[PACE_EXHALE] - 7) < 1e-9);
	p = step_breathe_pattern(&s.u.breathe, 0, 100);
	assert_true(p.phase[PACE_EXHALE] == 8); /* clamped */
	/* The sleep ramp over 8 minutes lasts a little over 8 minutes. */
	s = breathe(pat(4, 0, 6, 0), pat(4, 0, 8, 0), true, 0, 480);
	double len = step_length(&s);
	assert_true(len >= 480 && len < 480 + 12);
}

static void test_no_ramp_ignores_to(void **state)
{
	struct step s = breathe(pat(4, 0, 6, 0), pat(9, 9, 9, 9), false, 2, 0);
	struct pace_pattern p = step_breathe_pattern(&s.u.breathe, 1, 0);
	assert_true(p.phase[PACE_INHALE] == 4);
	assert_true(step_length(&s) == 20);
}

static void test_degenerate_patterns_terminate(void **state)
{
	/* Never produced by the parser, but the function must not loop. */
	struct step s = breathe(pat(0, 0, 0, 0), pat(0, 0, 0, 0), true, 0, 60);
	assert_true(step_length(&s) == 60);
	s.u.breathe.ramp = false;
	assert_true(step_length(&s) == 60);
	s.u.breathe.seconds = 0;
	assert_true(step_length(&s) == 0);
}

static void test_program_length(void **state)
{
	struct step steps[5];
	memset(steps, 0, sizeof steps);
	steps[0].kind = STEP_GUIDE;
	steps[0].u.guide.seconds = 5;
	steps[1].kind = STEP_SAY;
	steps[2] = breathe(pat(4, 7, 8, 0), pat(4, 7, 8, 0), false, 2, 0);
	steps[3].kind = STEP_SILENCE;
	steps[3].u.guide.seconds = 30.5;
	steps[4].kind = STEP_CHIME;
	struct program p;
	memset(&p, 0, sizeof p);
	p.steps = steps;
	p.nsteps = 5;
	assert_true(program_length(&p) == 5 + 38 + 30.5);
	assert_string_equal(program_tag_name(TAG_SLEEP), "sleep");
	assert_string_equal(program_tag_name(TAG_BREATHING), "breathing");
	program_free(NULL);
}

static void test_step_at_and_say(void **state)
{
	struct step steps[8];
	memset(steps, 0, sizeof steps);
	steps[0].kind = STEP_SOUND;
	steps[1].kind = STEP_GUIDE;
	steps[1].u.guide.seconds = 5;
	steps[2].kind = STEP_SAY;
	steps[2].u.say = "one";
	steps[3].kind = STEP_CHIME;
	steps[4].kind = STEP_SAY;
	steps[4].u.say = "two";
	steps[5] = breathe(pat(4, 0, 6, 0), pat(4, 0, 6, 0), false, 4, 0); /* 40 s */
	steps[6] = breathe(pat(4, 0, 6, 0), pat(4, 0, 6, 0), false, 1, 0); /* 10 s */
	steps[7].kind = STEP_SILENCE;
	steps[7].u.guide.seconds = 2;
	struct program p;
	memset(&p, 0, sizeof p);
	p.steps = steps;
	p.nsteps = 8;
	double into;
	assert_int_equal(program_step_at(&p, 0, &into), 1);
	assert_true(into == 0);
	assert_int_equal(program_step_at(&p, 4.5, &into), 1);
	assert_true(into == 4.5);
	assert_int_equal(program_step_at(&p, 5, &into), 5);
	assert_true(into == 0);
	assert_int_equal(program_step_at(&p, 44.9, &into), 5);
	assert_int_equal(program_step_at(&p, 45, &into), 6);
	assert_int_equal(program_step_at(&p, 55.5, &into), 7);
	assert_true(into == 0.5);
	assert_int_equal(program_step_at(&p, 57, &into), 8);
	assert_true(into == 0);
	assert_int_equal(program_step_at(&p, 1e9, NULL), 8);
	assert_int_equal(program_step_at(&p, -1, &into), 1);

	/* Two say lines share the 40 s block: 0-20 s "one", 20-40 s "two". */
	assert_string_equal(program_say_at(&p, 5, 0), "one");
	assert_string_equal(program_say_at(&p, 5, 19.9), "one");
	assert_string_equal(program_say_at(&p, 5, 20), "two");
	assert_string_equal(program_say_at(&p, 5, 39.9), "two");
	assert_string_equal(program_say_at(&p, 5, 100), "two");
	assert_null(program_say_at(&p, 6, 0)); /* none since the previous block */
	assert_null(program_say_at(&p, 1, 0)); /* not a breathing block */
	assert_null(program_say_at(&p, 99, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cycles),
		cmocka_unit_test(test_duration_finishes_the_cycle),
		cmocka_unit_test(test_ramp_by_cycles),
		cmocka_unit_test(test_ramp_by_duration),
		cmocka_unit_test(test_no_ramp_ignores_to),
		cmocka_unit_test(test_degenerate_patterns_terminate),
		cmocka_unit_test(test_program_length),
		cmocka_unit_test(test_step_at_and_say),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
