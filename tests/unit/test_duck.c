/* SPDX-License-Identifier: ISC */
/* The bed's ducking under the voice: down by its depth over the attack when a
 * line starts, held through short gaps between lines (no pumping), back up
 * over the release after the hold; every ramp monotone, no step steeper than
 * DUCK_MAX_DB_PER_MS, a ramp turned round from where it stands (no jump),
 * the muffling following the same curve from 0 to 1, and no work at all
 * when there is no voice. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "duck.h"

#define RATE 48000
#define BLOCK 512

/* A run of speech on and off: spans[i] seconds of speaking (i even) or not
 * (i odd). Fills *n gains in dB (the caller frees). */
static double *curve(const double *spans, size_t nspans, long *n)
{
	long total = 0;
	for (size_t i = 0; i < nspans; i++)
		total += (long)(spans[i] * RATE);
	double *db = malloc(sizeof *db * (size_t)total);
	float g[BLOCK], m[BLOCK];
	struct duck d;
	duck_init(&d, RATE);
	long at = 0;
	for (size_t i = 0; i < nspans; i++) {
		long left = (long)(spans[i] * RATE);
		while (left > 0) {
			long k = left < BLOCK ? left : BLOCK;
			bool unity = duck_gains(&d, i % 2 == 0, g, m, k);
			for (long j = 0; j < k; j++) {
				db[at + j] = unity ? 0 : 20 * log10(g[j]);
				/* The muffle is the same curve, 0 to 1. */
				double want = unity ? 0 : db[at + j] / -DUCK_DEPTH_DB;
				if (!unity && (fabs(m[j] - want) > 1e-4 || m[j] < 0 || m[j] > 1))
					fail_msg("muffle %f where the dip is %f dB", m[j], db[at + j]);
			}
			at += k;
			left -= k;
		}
	}
	*n = total;
	return db;
}

/* The largest change between frames a millisecond apart, in dB. */
static double steepest_per_ms(const double *db, long n)
{
	double worst = 0;
	for (long i = RATE / 1000; i < n; i++) {
		double step = fabs(db[i] - db[i - RATE / 1000]);
		if (step > worst)
			worst = step;
	}
	return worst;
}

static double at(const double *db, double t)
{
	return db[(long)(t * RATE)];
}

static void no_voice_no_work(void **state)
{
	struct duck d;
	duck_init(&d, RATE);
	float g[BLOCK];
	for (int i = 0; i < 100; i++)
		assert_true(duck_gains(&d, false, g, NULL, BLOCK));
	assert_true(duck_level_db(&d) == 0);
}

static void one_line_down_held_and_back(void **state)
{
	/* A 3 s line, then 5 s without. */
	const double spans[] = { 3, 5 };
	long n;
	double *db = curve(spans, 2, &n);
	/* Down by the depth within the attack, and there for the line. */
	assert_true(at(db, 0.01) < 0);
	assert_true(fabs(at(db, DUCK_ATTACK_S + 0.01) + DUCK_DEPTH_DB) < 1e-4);
	assert_true(fabs(at(db, 2.9) + DUCK_DEPTH_DB) < 1e-4);
	/* Held after it, then back to 0 within the release. */
	assert_true(fabs(at(db, 3 + DUCK_HOLD_S - 0.05) + DUCK_DEPTH_DB) < 1e-4);
	assert_true(at(db, 3 + DUCK_HOLD_S + 0.1) > -DUCK_DEPTH_DB);
	assert_true(at(db, 3 + DUCK_HOLD_S + DUCK_RELEASE_S + 0.05) == 0);
	/* Monotone: down, then flat, then up, and never past either end. */
	long lowest = (long)((DUCK_ATTACK_S + 0.01) * RATE), rising = (long)((3 + DUCK_HOLD_S) * RATE);
	for (long i = 1; i < n; i++) {
		assert_true(db[i] <= 0 && db[i] >= -DUCK_DEPTH_DB - 1e-4);
		if (i <= lowest)
			assert_true(db[i] <= db[i - 1] + 1e-5);
		else if (i >= rising)
			assert_true(db[i] >= db[i - 1] - 1e-5);
	}
	assert_true(steepest_per_ms(db, n) <= DUCK_MAX_DB_PER_MS + 1e-4);
	assert_true(DUCK_MAX_DB_PER_MS <= 0.025); /* the bound lull-session(5) states */
	free(db);
}

static void close_lines_do_not_pump(void **state)
{
	/* Three lines with gaps of 1 s (shorter than the hold): the bed stays
	 * down from the first word to the end of the last line. */
	const double spans[] = { 2, 1, 2, 1, 2, 4 };
	long n;
	double *db = curve(spans, 6, &n);
	for (double t = DUCK_ATTACK_S + 0.01; t < 8 + DUCK_HOLD_S - 0.05; t += 0.01)
		assert_true(fabs(at(db, t) + DUCK_DEPTH_DB) < 1e-4);
	assert_true(steepest_per_ms(db, n) <= DUCK_MAX_DB_PER_MS + 1e-4);
	free(db);
}

static void a_line_during_the_release_turns_it_round(void **state)
{
	/* The next line starts half-way up: the curve goes down again from
	 * where it is, without a jump. */
	const double spans[] = { 1, DUCK_HOLD_S + DUCK_RELEASE_S / 2, 2, 3 };
	long n;
	double *db = curve(spans, 4, &n);
	double t = 1 + DUCK_HOLD_S + DUCK_RELEASE_S / 2;
	double before = at(db, t - 1.0 / RATE);
	assert_true(before > -DUCK_DEPTH_DB + 1 && before < -1);
	assert_true(at(db, t + 0.001) < before); /* turned round */
	assert_true(steepest_per_ms(db, n) <= DUCK_MAX_DB_PER_MS + 1e-4);
	free(db);
}

/* The plan's lead before a line is the whole attack: driven from
 * DUCK_LEAD_S ahead, the curve is at its depth at the line's first frame. */
static void the_lead_reaches_the_depth(void **state)
{
	struct duck d;
	duck_init(&d, RATE);
	long lead = (long)(DUCK_LEAD_S * RATE + 0.5);
	float *g = malloc(sizeof(float) * (size_t)lead);
	duck_gains(&d, true, g, NULL, lead);
	assert_true(fabs(duck_level_db(&d) + DUCK_DEPTH_DB) < 1e-9);
	free(g);
}

static void a_short_word_is_a_short_dip(void **state)
{
	/* A 0.1 s word (shorter than the attack): the curve goes part of the
	 * way down, never in one step. */
	const double spans[] = { 0.1, 4 };
	long n;
	double *db = curve(spans, 2, &n);
	assert_true(at(db, 0.099) > -DUCK_DEPTH_DB);
	assert_true(at(db, 0.099) < -1);
	assert_true(at(db, 4) == 0);
	assert_true(steepest_per_ms(db, n) <= DUCK_MAX_DB_PER_MS + 1e-4);
	free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_voice_no_work),
		cmocka_unit_test(one_line_down_held_and_back),
		cmocka_unit_test(close_lines_do_not_pump),
		cmocka_unit_test(a_line_during_the_release_turns_it_round),
		cmocka_unit_test(a_short_word_is_a_short_dip),
		cmocka_unit_test(the_lead_reaches_the_depth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
