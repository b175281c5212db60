/* SPDX-License-Identifier: ISC */
/* The pacer, to its edges: phase boundaries, fractional phases, skipped
 * zero phases, ramps, runs by cycles and by minutes, the bar in eighth
 * steps, the next visible change, 8-hour runs, and pause/resume through the
 * session clock. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "clock.h"
#include "pace.h"

#define S(x) ((pace_us)((x) * 1000000.0 + 0.5))

static struct pace *mk(double a, double b, double c, double d, unsigned cycles, double seconds)
{
	struct pace_run r = { .from = { { a, b, c, d } }, .cycles = cycles, .seconds = seconds };
	char err[128];
	struct pace *p = pace_new(&r, err, sizeof err);
	assert_non_null(p);
	return p;
}

static void builtins_by_exact_name(void **state)
{
	const struct pace_builtin *b = pace_builtin_named("box");
	assert_non_null(b);
	for (int i = 0; i < 4; i++)
		assert_true(b->from.phase[i] == 4);
	b = pace_builtin_named("478");
	assert_true(b->from.phase[0] == 4 && b->from.phase[1] == 7 && b->from.phase[2] == 8 && b->from.phase[3] == 0);
	b = pace_builtin_named("coherent");
	assert_true(b->from.phase[0] == 5.5 && b->from.phase[2] == 5.5 && b->from.phase[1] == 0);
	b = pace_builtin_named("relax");
	assert_true(b->from.phase[0] == 4 && b->from.phase[2] == 6 && !b->ramp);
	b = pace_builtin_named("sleep");
	assert_true(b->ramp && b->from.phase[2] == 6 && b->to.phase[2] == 8);
	assert_null(pace_builtin_named("Box"));
	assert_null(pace_builtin_named("box "));
	assert_null(pace_builtin_named(""));
	assert_null(pace_builtin_named(NULL));
	char buf[64];
	pace_pattern_format(&pace_builtin_named("coherent")->from, buf, sizeof buf);
	assert_string_equal(buf, "5.5-0-5.5-0");
	assert_string_equal(pace_phase_word(PACE_INHALE), "Inhale");
	assert_string_equal(pace_phase_word(PACE_HOLD_FULL), "Hold");
	assert_string_equal(pace_phase_word(PACE_EXHALE), "Exhale");
	assert_string_equal(pace_phase_word(PACE_HOLD_EMPTY), "Hold");
}

static void phase_edges_box(void **state)
{
	struct pace *p = mk(4, 4, 4, 4, 2, 0);
	struct pace_state s;
	assert_int_equal(pace_total_us(p), S(32));
	pace_at(p, 0, &s);
	assert_int_equal(s.phase, PACE_INHALE);
	assert_int_equal(s.seconds_left, 4);
	assert_int_equal(s.cycle, 1);
	assert_int_equal(s.cycles, 2);
	assert_true(s.fill == 0);
	pace_at(p, S(4) - 1, &s);
	assert_int_equal(s.phase, PACE_INHALE);
	assert_int_equal(s.seconds_left, 1);
	assert_int_equal(s.left, 1);
	pace_at(p, S(4), &s);
	assert_int_equal(s.phase, PACE_HOLD_FULL);
	assert_true(s.fill == 1);
	pace_at(p, S(8), &s);
	assert_int_equal(s.phase, PACE_EXHALE);
	pace_at(p, S(10), &s);
	assert_true(s.fill == 0.5);
	pace_at(p, S(12), &s);
	assert_int_equal(s.phase, PACE_HOLD_EMPTY);
	pace_at(p, S(16), &s);
	assert_int_equal(s.phase, PACE_INHALE);
	assert_int_equal(s.cycle, 2);
	assert_int_equal(s.total_left, S(16));
	pace_free(p);
}

static void zero_phases_are_skipped_and_fractions_kept(void **state)
{
	struct pace *p = mk(5.5, 0, 5.5, 0, 3, 0);
	struct pace_state s;
	assert_int_equal(pace_total_us(p), S(33));
	pace_at(p, S(5.5) - 1, &s);
	assert_int_equal(s.phase, PACE_INHALE);
	pace_at(p, S(5.5), &s);
	assert_int_equal(s.phase, PACE_EXHALE);
	assert_int_equal(s.seconds_left, 6); /* 5.5 s shows as 6 */
	pace_at(p, S(6.0), &s);
	assert_int_equal(s.seconds_left, 5);
	pace_at(p, S(11), &s);
	assert_int_equal(s.phase, PACE_INHALE);
	assert_int_equal(s.cycle, 2);
	/* 478: no empty hold; the cycle goes straight back to Inhale. */
	struct pace *q = mk(4, 7, 8, 0, 2, 0);
	pace_at(q, S(19), &s);
	assert_int_equal(s.phase, PACE_INHALE);
	assert_int_equal(s.cycle, 2);
	enum pace_phase ph;
	pace_us len;
	assert_int_equal(pace_next_phase(q, S(12), &ph, &len), S(19));
	assert_int_equal(ph, PACE_INHALE);
	assert_int_equal(len, S(4));
	assert_int_equal(pace_next_phase(q, -1, &ph, &len), 0);
	assert_int_equal(pace_next_phase(q, 0, &ph, &len), S(4));
	assert_int_equal(ph, PACE_HOLD_FULL);
	assert_int_equal(len, S(7));
	assert_int_equal(pace_next_phase(q, S(30), &ph, &len), INT64_MAX); /* last phase */
	pace_free(q);
	pace_free(p);
}

static void before_start_and_past_end(void **state)
{
	struct pace *p = mk(4, 7, 8, 0, 1, 0);
	struct pace_state s;
	pace_at(p, -S(3), &s);
	assert_true(s.before);
	assert_int_equal(s.phase, PACE_INHALE);
	assert_int_equal(s.into, 0);
	assert_int_equal(pace_next_change(p, -5, 10, 0), 0);
	pace_at(p, S(19), &s);
	assert_true(s.done);
	assert_int_equal(s.phase, PACE_EXHALE);
	assert_int_equal(s.left, 0);
	assert_int_equal(s.total_left, 0);
	assert_true(s.fill == 0);
	pace_at(p, S(1000), &s);
	assert_true(s.done);
	assert_int_equal(s.total_left, 0);
	assert_int_equal(pace_next_change(p, S(19), 10, 0), INT64_MAX);
	assert_int_equal(pace_next_change(p, S(19) - 1, 10, 0), S(19));
	pace_free(p);
}

static void minutes_finish_the_cycle(void **state)
{
	/* 1 minute of 478 (19 s cycles): 4 cycles begin before 60 s -> 76 s. */
	struct pace *p = mk(4, 7, 8, 0, 0, 60);
	assert_int_equal(pace_cycles(p), 4);
	assert_int_equal(pace_total_us(p), S(76));
	pace_free(p);
	/* Exactly on a boundary: 57 s is 3 cycles, no fourth. */
	p = mk(4, 7, 8, 0, 0, 57);
	assert_int_equal(pace_cycles(p), 3);
	pace_free(p);
	/* A hard end cuts the run exactly (guided steps). */
	struct pace_run r = { .from = { { 4, 0, 4, 0 } }, .seconds = 10, .hard_end = true };
	p = pace_new(&r, NULL, 0);
	assert_int_equal(pace_total_us(p), S(10));
	struct pace_state s;
	pace_at(p, S(9), &s);
	assert_int_equal(s.phase, PACE_INHALE);
	assert_int_equal(s.phase_len, S(2));
	assert_int_equal(s.seconds_left, 1);
	pace_free(p);
}

static void ramps_linearly(void **state)
{
	/* By cycles: first cycle is `from`, last is `to`, the middle halfway. */
	struct pace_run r = { .from = { { 4, 0, 6, 0 } }, .to = { { 4, 0, 8, 0 } }, .ramp = true, .cycles = 5 };
	struct pace *p = pace_new(&r, NULL, 0);
	assert_non_null(p);
	struct pace_pattern c;
	pace_cycle_pattern(p, 0, &c);
	assert_true(c.phase[2] == 6);
	pace_cycle_pattern(p, 2, &c);
	assert_true(c.phase[2] == 7);
	pace_cycle_pattern(p, 4, &c);
	assert_true(c.phase[2] == 8);
	/* 10 + 10.5 + 11 + 11.5 + 12 */
	assert_int_equal(pace_total_us(p), S(55));
	struct pace_state s;
	pace_at(p, S(10) + S(4), &s); /* cycle 2 exhale */
	assert_int_equal(s.phase, PACE_EXHALE);
	assert_int_equal(s.phase_len, S(6.5));
	pace_free(p);
	/* By minutes: the ramp reaches `to` for the cycle ending at the end. */
	r.cycles = 0;
	r.seconds = 600;
	p = pace_new(&r, NULL, 0);
	assert_non_null(p);
	pace_cycle_pattern(p, 0, &c);
	assert_true(c.phase[2] == 6);
	pace_cycle_pattern(p, pace_cycles(p) - 1, &c);
	assert_true(c.phase[2] == 8);
	pace_cycle_pattern(p, pace_cycles(p) / 2, &c);
	assert_true(c.phase[2] > 6.8 && c.phase[2] < 7.2);
	assert_true(pace_total_us(p) >= S(600) && pace_total_us(p) < S(612));
	/* The slowest pattern is `to`: exhale lengths never shrink. */
	pace_us last = 0;
	for (pace_us t = 0; t < pace_total_us(p); t = pace_next_phase(p, t, NULL, NULL)) {
		pace_at(p, t, &s);
		if (s.phase == PACE_EXHALE) {
			assert_true(s.phase_len >= last);
			last = s.phase_len;
		}
	}
	pace_free(p);
}

static void rejects_bad_patterns(void **state)
{
	char err[128] = "";
	struct pace_run r = { .from = { { 0, 0, 0, 0 } }, .cycles = 1 };
	assert_null(pace_new(&r, err, sizeof err));
	assert_true(err[0] != '\0');
	r.from.phase[0] = -1;
	r.from.phase[2] = 4;
	assert_null(pace_new(&r, NULL, 0));
	r.from.phase[0] = 0.0 / 0.0;
	assert_null(pace_new(&r, NULL, 0));
	r.from.phase[0] = 4;
	r.cycles = PACE_MAX_CYCLES + 1;
	assert_null(pace_new(&r, NULL, 0));
	r.cycles = 0;
	r.seconds = 25 * 3600;
	assert_null(pace_new(&r, NULL, 0));
	r.seconds = 1.0 / 0.0;
	assert_null(pace_new(&r, NULL, 0));
	/* Zero seconds and zero cycles still gives one cycle, not nothing. */
	r.seconds = 0;
	struct pace *p = pace_new(&r, NULL, 0);
	assert_non_null(p);
	assert_int_equal(pace_cycles(p), 1);
	pace_free(p);
}

static void bar_eighths_and_levels(void **state)
{
	struct pace *p = mk(4, 4, 4, 4, 1, 0);
	struct pace_state s;
	pace_at(p, 0, &s);
	assert_int_equal(pace_bar_eighths(&s, 10, 0), 0);
	pace_at(p, S(2), &s);
	assert_int_equal(pace_bar_eighths(&s, 10, 0), 40);
	pace_at(p, S(4) - 1, &s);
	assert_int_equal(pace_bar_eighths(&s, 10, 0), 79);
	pace_at(p, S(5), &s);
	assert_int_equal(pace_bar_eighths(&s, 10, 0), 80);
	pace_at(p, S(8), &s);
	assert_int_equal(pace_bar_eighths(&s, 10, 0), 80);
	pace_at(p, S(8) + 1, &s);
	assert_int_equal(pace_bar_eighths(&s, 10, 0), 80);
	pace_at(p, S(10), &s);
	assert_int_equal(pace_bar_eighths(&s, 10, 0), 40);
	pace_at(p, S(13), &s);
	assert_int_equal(pace_bar_eighths(&s, 10, 0), 0);
	/* Rate-limited: 4 s at 5 steps/s is 20 levels of 4 eighths each. */
	assert_int_equal(pace_levels_for(S(4), 10, 5), 20);
	assert_int_equal(pace_levels_for(S(4), 10, 0), 80);
	assert_int_equal(pace_levels_for(S(4), 0, 5), 0);
	pace_at(p, S(0.3), &s);
	assert_int_equal(pace_bar_eighths(&s, 10, 5), 4);
	/* Levels: edges are exact. */
	assert_int_equal(pace_level(0, 100, 8), 0);
	assert_int_equal(pace_level(12, 100, 8), 0);
	assert_int_equal(pace_level(13, 100, 8), 1);
	assert_int_equal(pace_level_next(0, 100, 8), 13);
	assert_int_equal(pace_level_next(13, 100, 8), 25);
	assert_int_equal(pace_level(100, 100, 8), 8);
	assert_int_equal(pace_level_next(100, 100, 8), INT64_MAX);
	pace_free(p);
}

/* Walk the whole run by next-change: every step must move time forward, and
 * between two changes nothing visible may differ. */
static void next_change_is_exact(void **state)
{
	struct pace *p = mk(4, 7, 8, 0, 2, 0);
	const int cells = 7, rate = 10;
	pace_us t = 0;
	int wakes = 0;
	while (t < pace_total_us(p)) {
		pace_us n = pace_next_change(p, t, cells, rate);
		assert_true(n > t);
		struct pace_state a, b, c;
		pace_at(p, t, &a);
		pace_at(p, n - 1, &b);
		pace_at(p, n, &c);
		bool hold = pace_phase_is_hold(a.phase);
		assert_int_equal(a.phase, b.phase);
		if (hold)
			assert_int_equal(a.seconds_left, b.seconds_left);
		assert_int_equal(pace_bar_eighths(&a, cells, rate), pace_bar_eighths(&b, cells, rate));
		if (!c.done)
			assert_true(a.phase != c.phase || (hold && a.seconds_left != c.seconds_left) ||
				    pace_bar_eighths(&a, cells, rate) != pace_bar_eighths(&c, cells, rate));
		t = n;
		wakes++;
	}
	/* Per cycle 40 inhale steps (4 s at 10/s), 56 exhale steps (7 cells of
	 * 8) and 7 seconds of hold, nothing more: the seconds are counted in
	 * holds only, so those of the exhale that fall between its steps (8 s
	 * over 56 steps) wake nothing. */
	assert_int_equal(wakes, 2 * (40 + 56 + 7));
	/* During the 7 s hold, a wake each second exactly. */
	assert_int_equal(pace_next_change(p, S(4), cells, rate), S(5));
	assert_int_equal(pace_next_change(p, S(4.5), cells, rate), S(5));
	assert_int_equal(pace_next_change(p, S(10.2), cells, rate), S(11));
	pace_free(p);
}

static void eight_hours_without_drift(void **state)
{
	/* 8 hours of coherent breathing: 5.5 + 5.5 s, 2619 cycles. */
	struct pace *p = mk(5.5, 0, 5.5, 0, 0, 8 * 3600);
	unsigned n = pace_cycles(p);
	assert_int_equal(n, 2619);
	assert_int_equal(pace_total_us(p), (pace_us)n * S(11));
	struct pace_state s;
	/* The 2000th cycle starts exactly at 1999 * 11 s. */
	pace_at(p, (pace_us)1999 * S(11), &s);
	assert_int_equal(s.cycle, 2000);
	assert_int_equal(s.phase, PACE_INHALE);
	assert_int_equal(s.into, 0);
	pace_at(p, (pace_us)1999 * S(11) - 1, &s);
	assert_int_equal(s.cycle, 1999);
	assert_int_equal(s.phase, PACE_EXHALE);
	pace_at(p, pace_total_us(p) - 1, &s);
	assert_int_equal(s.cycle, n);
	assert_int_equal(s.left, 1);
	pace_free(p);
	/* 8 hours of a ramp with a fraction that is not exact in binary. */
	struct pace_run r = { .from = { { 0.3, 0, 0.7, 0 } }, .to = { { 0.3, 0, 0.9, 0 } }, .ramp = true, .seconds = 8 * 3600 };
	p = pace_new(&r, NULL, 0);
	assert_non_null(p);
	pace_us t = 0;
	unsigned cycles = 0;
	enum pace_phase ph;
	pace_us len, sum = 0;
	/* Summing every phase length lands exactly on the end. */
	for (t = pace_next_phase(p, -1, &ph, &len); t != INT64_MAX; t = pace_next_phase(p, t, &ph, &len)) {
		assert_int_equal(t, sum);
		sum += len;
		if (ph == PACE_INHALE)
			cycles++;
	}
	assert_int_equal(sum, pace_total_us(p));
	assert_int_equal(cycles, pace_cycles(p));
	assert_true(pace_total_us(p) >= S(8 * 3600));
	pace_free(p);
}

static void pause_and_resume_shift_the_origin(void **state)
{
	struct sclock c;
	sclock_init(&c, 1000000000, 1.0); /* started at mono 1 s */
	assert_int_equal(sclock_now(&c, 1000000000), 0);
	assert_int_equal(sclock_now(&c, 3000000000), S(2));
	sclock_pause(&c, 3000000000);
	assert_true(c.paused);
	assert_int_equal(sclock_now(&c, 9000000000), S(2)); /* frozen */
	sclock_pause(&c, 9000000000); /* twice is harmless */
	sclock_resume(&c, 10000000000);
	assert_int_equal(sclock_now(&c, 10000000000), S(2));
	assert_int_equal(sclock_now(&c, 11000000000), S(3));
	/* The deadline for session time 4 s: 1 s after mono 11 s. */
	assert_int_equal(sclock_mono_at(&c, S(4)), 12000000000);
	sclock_resume(&c, 12000000000); /* resume without pause: nothing */
	assert_int_equal(sclock_now(&c, 12000000000), S(4));
	/* A scaled clock: 60 times faster, and back. */
	sclock_init(&c, 0, 60.0);
	assert_int_equal(sclock_now(&c, 1000000000), S(60));
	assert_int_equal(sclock_mono_at(&c, S(120)), 2000000000);
	/* 8 hours of session time, paused and resumed a thousand times. */
	sclock_init(&c, 0, 1.0);
	int64_t mono = 0;
	for (int i = 0; i < 1000; i++) {
		mono += INT64_C(28800000000) / 1000 * 1000; /* 28.8 s running */
		sclock_pause(&c, mono);
		mono += 777777777;                         /* paused */
		sclock_resume(&c, mono);
	}
	assert_int_equal(sclock_now(&c, mono), S(8 * 3600));
	assert_int_equal(sclock_mono_at(&c, S(8 * 3600)), mono);
}

/* A run that begins on its exhale: the phases before it in the first
 * cycle are left out, everything else is as a whole run. */
static void begins_on_the_exhale(void **state)
{
	struct pace_run r = { .from = { { 4, 0, 6, 0 } }, .cycles = 2, .first = PACE_EXHALE };
	struct pace *p = pace_new(&r, NULL, 0);
	assert_non_null(p);
	assert_int_equal(pace_total_us(p), 16 * PACE_US_PER_S);
	struct pace_state s;
	pace_at(p, 0, &s);
	assert_int_equal(s.phase, PACE_EXHALE);
	assert_int_equal(s.phase_start, 0);
	assert_int_equal(s.phase_len, 6 * PACE_US_PER_S);
	assert_int_equal(s.cycle, 1);
	assert_int_equal(s.cycle_start, 0); /* not the cycle's nominal -4 s */
	assert_true(s.fill == 1);
	pace_at(p, 6 * PACE_US_PER_S, &s);
	assert_int_equal(s.phase, PACE_INHALE);
	assert_int_equal(s.cycle, 2);
	assert_int_equal(s.cycle_start, 6 * PACE_US_PER_S);
	pace_at(p, 13 * PACE_US_PER_S, &s); /* the exhale of cycle 2 */
	assert_int_equal(s.cycle_start, 6 * PACE_US_PER_S);
	enum pace_phase ph;
	pace_us len;
	assert_int_equal(pace_next_phase(p, -1, &ph, &len), 0);
	assert_int_equal(ph, PACE_EXHALE);
	assert_int_equal(pace_next_phase(p, 0, &ph, &len), 6 * PACE_US_PER_S);
	assert_int_equal(ph, PACE_INHALE);
	assert_int_equal(pace_next_phase(p, 6 * PACE_US_PER_S, &ph, &len), 10 * PACE_US_PER_S);
	assert_int_equal(pace_next_phase(p, 10 * PACE_US_PER_S, &ph, &len), INT64_MAX);
	/* The bar moves from the first instant: no wake-up is lost to the offset. */
	pace_us next = pace_next_change(p, 0, 10, 0);
	assert_true(next > 0 && next < PACE_US_PER_S);
	pace_free(p);
	/* For a time, cut exactly (a guided step's cue). */
	struct pace_run g = { .from = { { 4, 0, 6, 0 } }, .seconds = 15, .hard_end = true, .first = PACE_EXHALE };
	p = pace_new(&g, NULL, 0);
	assert_int_equal(pace_total_us(p), 15 * PACE_US_PER_S);
	pace_at(p, 15 * PACE_US_PER_S - 1, &s);
	assert_int_equal(s.phase, PACE_EXHALE);
	assert_int_equal(s.phase_len, 5 * PACE_US_PER_S);
	pace_free(p);
	/* An unknown phase is refused. */
	struct pace_run bad = { .from = { { 4, 0, 6, 0 } }, .cycles = 1, .first = (enum pace_phase)9 };
	char err[128];
	assert_null(pace_new(&bad, err, sizeof err));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(builtins_by_exact_name),
		cmocka_unit_test(phase_edges_box),
		cmocka_unit_test(zero_phases_are_skipped_and_fractions_kept),
		cmocka_unit_test(before_start_and_past_end),
		cmocka_unit_test(minutes_finish_the_cycle),
		cmocka_unit_test(ramps_linearly),
		cmocka_unit_test(rejects_bad_patterns),
		cmocka_unit_test(bar_eighths_and_levels),
		cmocka_unit_test(next_change_is_exact),
		cmocka_unit_test(eight_hours_without_drift),
		cmocka_unit_test(pause_and_resume_shift_the_origin),
		cmocka_unit_test(begins_on_the_exhale),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
