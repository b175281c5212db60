/* SPDX-License-Identifier: ISC */
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

#include "catalog.h"
#include "program.h"
#include "timeline.h"

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
	/* One cycle of a ramp is the starting pattern. */
	s.u.breathe.cycles = 1;
	assert_true(step_length(&s) == 10);
}

static void test_ramp_by_duration(void **state)
{
	/* 4-0-6-0 -> 4-0-8-0 over 20 s: the ramp spans 20 - 12 = 8 s, so that
	 * the cycle that can end the block is the target. t=0: 10 s; t=10:
	 * past the span, 12 s; t=22 >= 20: stop. Total 22 s. */
	struct step s = breathe(pat(4, 0, 6, 0), pat(4, 0, 8, 0), true, 0, 20);
	assert_true(fabs(step_length(&s) - 22) < 1e-9);
	/* The sleep ramp over 8 minutes lasts a little over 8 minutes. */
	s = breathe(pat(4, 0, 6, 0), pat(4, 0, 8, 0), true, 0, 480);
	double len = step_length(&s);
	assert_true(len >= 480 && len < 480 + 12);
}

static void test_no_ramp_ignores_to(void **state)
{
	struct step s = breathe(pat(4, 0, 6, 0), pat(9, 9, 9, 9), false, 2, 0);
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

/* program_length() (what list and the menu show) and the session timeline
 * (what runs) must agree to the microsecond on every built-in program. */
static void test_length_agrees_with_timeline(void **state)
{
	struct catalog_entry *list;
	size_t n = catalog_list(&list);
	assert_true(n >= 12);
	for (size_t i = 0; i < n; i++) {
		char err[256];
		struct program *p = catalog_load(list[i].name, err, sizeof err);
		assert_non_null(p);
		struct timeline *tl = timeline_new(p, err, sizeof err);
		assert_non_null(tl);
		double diff = program_length(p) - (double)timeline_total(tl) / PACE_US_PER_S;
		if (fabs(diff) > 1e-5)
			fail_msg("%s: program_length and the timeline differ by %g s", list[i].name, diff);
		timeline_free(tl);
		program_free(p);
	}
	catalog_free_list(list, n);
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
		cmocka_unit_test(test_length_agrees_with_timeline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
