/* SPDX-License-Identifier: ISC */
/* The timeline of a whole program: step lookup at edges, guided steps and
 * their countdowns, say lines attached to the next breathing block, what comes
 * next, the audio events between two times, next-change, before/after. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "parse.h"
#include "program_steps.h"
#include "timeline.h"
#include "util.h"

#define S(x) ((pace_us)((x) * 1000000.0 + 0.5))

static struct step steps_buf[32];

static struct step chime(void)
{
	struct step s = { .kind = STEP_CHIME };
	return s;
}

static struct step sound(const char *name)
{
	struct step s = { .kind = STEP_SOUND };
	s.u.sound.action = SOUND_LAYER_ON;
	s.u.sound.name = (char *)name;
	s.u.sound.volume = 0.5f;
	return s;
}

/* sound rain; guide 5 s; guide 15 s; say A; say B; chime; breathe 4-0-6-0 x3; silence 10 */
static struct program sample(void)
{
	size_t n = 0;
	steps_buf[n++] = sound("rain");
	steps_buf[n++] = guide("Raise your shoulders toward your ears and hold", 5);
	steps_buf[n++] = guide("Let them drop. Notice the difference", 15);
	steps_buf[n++] = say("Breathe into your belly");
	steps_buf[n++] = say("Let the exhale be long");
	steps_buf[n++] = chime();
	steps_buf[n++] = breathe(4, 0, 6, 0, 3, 0);
	steps_buf[n++] = silence(10);
	return make(steps_buf, n, TAG_TENSION);
}

static void lays_out_steps(void **state)
{
	struct program p = sample();
	struct timeline *tl = timeline_new(&p, NULL, 0);
	assert_non_null(tl);
	assert_int_equal(timeline_total(tl), S(5 + 15 + 30 + 10));
	struct tl_state s;
	timeline_at(tl, 0, &s);
	assert_int_equal(s.kind, STEP_GUIDE);
	assert_int_equal(s.step, 1);
	assert_int_equal(s.timed, 0);
	assert_int_equal(s.ntimed, 4);
	assert_string_equal(s.text, "Raise your shoulders toward your ears and hold");
	assert_int_equal(s.step_seconds_left, 5);
	assert_true(s.step_fill == 1);
	assert_string_equal(s.next, "Next: Let them drop. Notice the difference");
	assert_false(s.breathing);
	assert_null(s.guidance);
	timeline_at(tl, S(5) - 1, &s);
	assert_int_equal(s.step, 1);
	assert_int_equal(s.step_seconds_left, 1);
	timeline_at(tl, S(5), &s);
	assert_int_equal(s.step, 2);
	assert_int_equal(s.step_seconds_left, 15);
	assert_string_equal(s.next, "Next: breathing 4-0-6-0, 0:30");
	timeline_at(tl, S(12.5), &s);
	assert_true(s.step_fill == 0.5);
	timeline_at(tl, S(20), &s);
	assert_int_equal(s.kind, STEP_BREATHE);
	assert_true(s.breathing);
	assert_int_equal(s.pace.phase, PACE_INHALE);
	assert_int_equal(s.pace.cycle, 1);
	assert_int_equal(s.pace.cycles, 3);
	assert_string_equal(s.guidance, "Breathe into your belly");
	assert_string_equal(s.next, "Next: a quiet pause, 0:10");
	timeline_at(tl, S(24), &s);
	assert_int_equal(s.pace.phase, PACE_EXHALE);
	assert_int_equal(s.pace.seconds_left, 6);
	/* Two say lines share the 30 s block: the second from the first breath
	 * that begins 15 s in or later (the third, 20 s in), never mid-breath. */
	timeline_at(tl, S(40) - 1, &s);
	assert_string_equal(s.guidance, "Breathe into your belly");
	timeline_at(tl, S(40), &s);
	assert_string_equal(s.guidance, "Let the exhale be long");
	timeline_at(tl, S(50), &s);
	assert_int_equal(s.kind, STEP_SILENCE);
	assert_null(s.text);
	assert_null(s.guidance);
	assert_string_equal(s.next, "");
	assert_int_equal(s.seconds_left, 10);
	timeline_free(tl);
}

static void before_and_after(void **state)
{
	struct program p = sample();
	struct timeline *tl = timeline_new(&p, NULL, 0);
	struct tl_state s;
	timeline_at(tl, -S(1), &s);
	assert_true(s.before);
	assert_int_equal(s.step, 1);
	assert_int_equal(s.left, S(60));
	timeline_at(tl, S(60), &s);
	assert_true(s.done);
	assert_int_equal(s.kind, STEP_SILENCE);
	assert_int_equal(s.left, 0);
	assert_int_equal(s.seconds_left, 0);
	timeline_at(tl, S(6000), &s);
	assert_true(s.done);
	struct tl_view v = { .bar_cells = 10, .count_cells = 10, .progress_levels = 10, .left_step_s = 1 };
	assert_int_equal(timeline_next_change(tl, S(60), &v), INT64_MAX);
	assert_int_equal(timeline_next_change(tl, -7, &v), 0);
	assert_int_equal(timeline_progress(&s, 10), 10);
	timeline_free(tl);
}

static void events_in_order(void **state)
{
	struct program p = sample();
	struct timeline *tl = timeline_new(&p, NULL, 0);
	struct tl_event ev[64];
	size_t cur = 0;
	/* At 0: the sound, then the first guide. */
	size_t n = timeline_events(tl, &cur, 0, ev, 64);
	assert_int_equal(n, 2);
	assert_int_equal(ev[0].kind, TL_EV_SOUND);
	assert_int_equal(ev[0].step, 0);
	assert_int_equal(ev[1].kind, TL_EV_STEP);
	assert_int_equal(ev[1].len, S(5));
	/* Nothing more until 5 s. */
	assert_int_equal(timeline_events(tl, &cur, S(5) - 1, ev, 64), 0);
	assert_int_equal(timeline_event_time(tl, cur), S(5));
	n = timeline_events(tl, &cur, S(20), ev, 64);
	/* guide 2, chime, breathe step, say A, inhale */
	assert_int_equal(n, 5);
	assert_int_equal(ev[0].kind, TL_EV_STEP);
	assert_int_equal(ev[1].kind, TL_EV_CHIME);
	assert_int_equal(ev[1].at, S(20));
	assert_int_equal(ev[2].kind, TL_EV_STEP);
	assert_int_equal(ev[3].kind, TL_EV_SAY);
	assert_string_equal(ev[3].text, "Breathe into your belly");
	assert_int_equal(ev[4].kind, TL_EV_BREATH);
	assert_int_equal(ev[4].phase, PACE_INHALE);
	assert_int_equal(ev[4].len, S(4));
	/* A small buffer resumes where it stopped. */
	n = timeline_events(tl, &cur, S(60), ev, 2);
	assert_int_equal(n, 2);
	assert_int_equal(ev[0].kind, TL_EV_BREATH);
	assert_int_equal(ev[0].phase, PACE_EXHALE);
	assert_int_equal(ev[0].at, S(24));
	assert_int_equal(ev[1].at, S(30));
	n = timeline_events(tl, &cur, S(60), ev, 64);
	/* exhale 34, say B 40, inhale 40, exhale 44, silence 50, end 60 */
	assert_int_equal(n, 6);
	assert_int_equal(ev[1].kind, TL_EV_SAY);
	assert_int_equal(ev[1].at, S(40));
	assert_int_equal(ev[2].kind, TL_EV_BREATH);
	assert_int_equal(ev[2].at, S(40));
	assert_int_equal(ev[4].kind, TL_EV_STEP);
	assert_int_equal(ev[5].kind, TL_EV_END);
	assert_int_equal(ev[5].at, S(60));
	assert_int_equal(timeline_event_time(tl, cur), INT64_MAX);
	/* A cursor can skip what is past. */
	cur = timeline_event_cursor(tl, S(44));
	assert_int_equal(timeline_event_time(tl, cur), S(50));
	timeline_free(tl);
}

static void sleep_programs_fade_in_the_last_minute(void **state)
{
	struct step st[] = { breathe(4, 0, 6, 0, 0, 300) };
	struct program p = make(st, 1, TAG_SLEEP);
	struct timeline *tl = timeline_new(&p, NULL, 0);
	size_t cur = 0, n;
	struct tl_event ev[512];
	n = timeline_events(tl, &cur, INT64_MAX - 1, ev, 512);
	bool fade = false;
	for (size_t i = 0; i < n; i++) {
		if (i)
			assert_true(ev[i].at >= ev[i - 1].at);
		if (ev[i].kind == TL_EV_FADE) {
			fade = true;
			assert_int_equal(ev[i].at, S(240));
			assert_int_equal(ev[i].len, S(60));
		}
	}
	assert_true(fade);
	assert_int_equal(ev[n - 1].kind, TL_EV_END);
	timeline_free(tl);
	/* Shorter than a minute: the fade spans it all. */
	struct step st2[] = { guide("Rest", 20) };
	p = make(st2, 1, TAG_SLEEP);
	tl = timeline_new(&p, NULL, 0);
	cur = 0;
	n = timeline_events(tl, &cur, S(100), ev, 512);
	assert_int_equal(n, 3);
	assert_int_equal(ev[0].kind, TL_EV_STEP);
	assert_int_equal(ev[1].kind, TL_EV_FADE);
	assert_int_equal(ev[1].at, 0);
	assert_int_equal(ev[1].len, S(20));
	timeline_free(tl);
}

static void next_change_walk(void **state)
{
	struct program p = sample();
	struct timeline *tl = timeline_new(&p, NULL, 0);
	struct tl_view v = { .bar_cells = 20, .bar_rate = 30, .count_cells = 20, .progress_levels = 40,
			     .left_step_s = 1 };
	pace_us t = 0;
	unsigned wakes = 0;
	while (t < timeline_total(tl)) {
		pace_us n = timeline_next_change(tl, t, &v);
		assert_true(n > t);
		/* Nothing visible differs between t and n-1. */
		struct tl_state a, b;
		timeline_at(tl, t, &a);
		timeline_at(tl, n - 1, &b);
		assert_int_equal(a.step, b.step);
		assert_int_equal(a.seconds_left, b.seconds_left);
		assert_int_equal(a.step_seconds_left, b.step_seconds_left);
		assert_int_equal(timeline_count_eighths(&a, 20, 30), timeline_count_eighths(&b, 20, 30));
		assert_int_equal(timeline_progress(&a, 40), timeline_progress(&b, 40));
		assert_ptr_equal(a.guidance, b.guidance);
		if (a.breathing) {
			assert_int_equal(a.pace.phase, b.pace.phase);
			assert_int_equal(pace_bar_eighths(&a.pace, 20, 30), pace_bar_eighths(&b.pace, 20, 30));
		}
		t = n;
		wakes++;
	}
	assert_int_equal(t, timeline_total(tl));
	/* The silence at the end wakes once a second and per bar level. */
	assert_true(wakes < 60 * 40);
	/* The guide countdown at 20 cells, 5 s, 30/s: 150 levels, next at 1/30 s. */
	assert_int_equal(timeline_next_change(tl, 0, &v), (S(5) + 149) / 150);
	/* Time left in minutes: during the final silence only its own second
	 * countdown and bar wake the loop, not the session's seconds. */
	struct tl_view quiet = { .left_step_s = 60 };
	assert_int_equal(timeline_next_change(tl, S(50.5), &quiet), S(51));
	struct tl_view none = { 0 };
	assert_int_equal(timeline_next_change(tl, S(50.5), &none), S(51));
	/* A 5.5 s hold's countdown ticks on the half second; the time left
	 * shown in minutes must not add wakes on the whole seconds. While the
	 * breath moves no seconds are shown (the bar is the count): with no
	 * bar, coherent breathing's inhale wakes nothing until it ends. */
	struct step st[] = { breathe(4, 5.5, 4, 0, 10, 0), breathe(5.5, 0, 5.5, 0, 10, 0) };
	struct program q = make(st, 2, 0);
	struct timeline *t3 = timeline_new(&q, NULL, 0);
	struct tl_view mv = { .left_step_s = 60 };
	assert_int_equal(timeline_next_change(t3, S(4.6), &mv), S(5.5));
	assert_int_equal(timeline_next_change(t3, S(135.6), &mv), S(135 + 5.5));
	mv.left_step_s = 1;
	assert_int_equal(timeline_next_change(t3, S(4.6), &mv), S(5.0));
	/* A silence of 3 minutes and a half: with no countdown bar, seconds
	 * still wake it (its own countdown), and so do the minute drops. */
	struct step si[] = { silence(150.5) };
	struct program q2 = make(si, 1, 0);
	struct timeline *t4 = timeline_new(&q2, NULL, 0);
	mv.left_step_s = 60;
	assert_int_equal(timeline_next_change(t4, S(30.2), &mv), S(30.5));
	timeline_free(t4);
	timeline_free(t3);
	timeline_free(tl);
}

/* While a breath is paced the progress line moves once a cycle, at the
 * cycle's start: nothing wakes the loop for it in between, and it moves on
 * at the step's end. (Per level, 64 levels over 10 + 38 + 10 s would step
 * 50 times in the breathing; once a cycle it steps twice there.) */
static void progress_moves_with_cycles(void **state)
{
	struct step st[] = { guide("Settle", 10), breathe(4, 7, 8, 0, 2, 0), silence(10) };
	struct program p = make(st, 3, 0);
	struct timeline *tl = timeline_new(&p, NULL, 0);
	assert_int_equal(timeline_total(tl), S(58));
	struct tl_view v = { .bar_cells = 64, .bar_rate = 32, .count_cells = 64, .progress_levels = 64 };
	struct tl_state s;
	/* Cycle 1 shows what was done when it began (10 of 58 s), to its end. */
	int at_cycle1 = pace_level(S(10), S(58), 64);
	for (double x = 10; x < 29; x += 0.25) {
		timeline_at(tl, S(x), &s);
		assert_true(s.breathing);
		assert_int_equal(timeline_progress(&s, 64), at_cycle1);
	}
	timeline_at(tl, S(29), &s);
	assert_int_equal(timeline_progress(&s, 64), pace_level(S(29), S(58), 64));
	/* The silence after it steps per level again. */
	timeline_at(tl, S(48), &s);
	assert_int_equal(timeline_progress(&s, 64), pace_level(S(48), S(58), 64));
	timeline_at(tl, S(53), &s);
	assert_int_equal(timeline_progress(&s, 64), pace_level(S(53), S(58), 64));
	/* Wake-ups in the breathing: the bar's steps, its seconds and phases
	 * only, with the progress line off or on. */
	struct tl_view off = v;
	off.progress_levels = 0;
	unsigned with = 0, without = 0;
	for (pace_us t = S(10); t < S(48); t = timeline_next_change(tl, t, &v))
		with++;
	for (pace_us t = S(10); t < S(48); t = timeline_next_change(tl, t, &off))
		without++;
	assert_int_equal(with, without);
	/* In the guide before it the line steps per level: it wakes the loop. */
	assert_int_equal(timeline_next_change(tl, S(0), &(struct tl_view){ .progress_levels = 64 }),
			 pace_level_next(S(0), S(58), 64));
	timeline_free(tl);
}

/* Coalescing: changes due within coalesce_us of each other are drawn in
 * one frame, at the last of them. A 17 s guide's countdown bar steps every
 * 17/512 s, out of step with the seconds, so some ticks fall 1/512 s (about
 * 2 ms) from a step; 478 after it steps in time with its seconds. */
static void coalesced_changes(void **state)
{
	struct step st[] = { guide("Notice the breath", 17), breathe(4, 7, 8, 0, 2, 0) };
	struct program p = make(st, 2, 0);
	struct timeline *tl = timeline_new(&p, NULL, 0);
	struct tl_view exact = { .bar_cells = 64, .bar_rate = 32, .count_cells = 64, .progress_levels = 64,
				 .left_step_s = 1 };
	struct tl_view v = exact;
	v.coalesce_us = 3000;
	static pace_us e[8192], w[8192];
	size_t ne = 0, nw = 0;
	for (pace_us t = 0; t < timeline_total(tl) && ne < 8192; t = timeline_next_change(tl, t, &exact))
		e[ne++] = t;
	for (pace_us t = 0; t < timeline_total(tl) && nw < 8192; t = timeline_next_change(tl, t, &v))
		w[nw++] = t;
	assert_true(ne < 8192 && nw < 8192);
	size_t close_pairs = 0;
	for (size_t i = 1; i < ne; i++)
		close_pairs += e[i] - e[i - 1] <= v.coalesce_us;
	assert_true(close_pairs > 0); /* the case is there */
	assert_true(nw < ne);
	/* Every wake is a moment something changes (what it draws is a true
	 * state), and every change is drawn by the first wake at or after it,
	 * at most coalesce_us late. */
	size_t j = 0;
	for (size_t i = 0; i < ne; i++) {
		while (j < nw && w[j] < e[i])
			j++;
		assert_true(j < nw || e[i] >= timeline_total(tl));
		if (j < nw)
			assert_true(w[j] - e[i] <= v.coalesce_us);
	}
	for (size_t k = 0; k < nw; k++) {
		bool found = false;
		for (size_t i = 0; i < ne && !found; i++)
			found = e[i] == w[k];
		assert_true(found);
	}
	/* ... and a wake waits for no change more than coalesce_us after the
	 * first it draws: after it, the next change is beyond that. */
	for (size_t k = 1; k < nw; k++) {
		pace_us first = timeline_next_change(tl, w[k - 1], &exact);
		assert_true(w[k] - first <= v.coalesce_us);
		assert_true(timeline_next_change(tl, w[k], &exact) - first > v.coalesce_us);
	}
	/* 478 at 64 cells steps every 1/32 s, in time with its seconds: the
	 * same wakes as drawn exactly. */
	pace_us from = S(17);
	while (from < timeline_total(tl)) {
		pace_us a = timeline_next_change(tl, from, &exact), b = timeline_next_change(tl, from, &v);
		if (a != b)
			fail_msg("478 at %.4f s: coalesced %lld, exact %lld", (double)from / 1e6, (long long)b, (long long)a);
		from = a;
	}
	timeline_free(tl);
}

static void guide_with_breath_cue(void **state)
{
	struct step st[] = { guide("Roll your shoulders back", 12) };
	st[0].u.guide.has_breath_cue = true;
	st[0].u.guide.cue = (struct pace_pattern){ { 4, 0, 4, 0 } };
	struct program p = make(st, 1, 0);
	struct timeline *tl = timeline_new(&p, NULL, 0);
	assert_int_equal(timeline_total(tl), S(12));
	struct tl_state s;
	timeline_at(tl, S(5), &s);
	assert_true(s.breathing);
	assert_int_equal(s.pace.phase, PACE_EXHALE);
	assert_string_equal(s.text, "Roll your shoulders back");
	timeline_at(tl, S(9), &s);
	assert_int_equal(s.pace.phase, PACE_INHALE);
	assert_int_equal(s.pace.cycle, 2);
	/* Its bar is the breath's, not a countdown: no countdown steps, and
	 * the wakes are the breath bar's, the seconds' and the phases' only
	 * (a countdown would add 12 s x 32/s). */
	assert_int_equal(timeline_count_eighths(&s, 40, 32), 0);
	struct tl_view v = { .bar_cells = 40, .bar_rate = 32, .count_cells = 40 };
	int wakes = 0;
	for (pace_us t = 0; t < S(12); t = timeline_next_change(tl, t, &v))
		wakes++;
	/* 4 s phases at 40 cells: 320 eighths a phase, at most 32 a second: 32/s. */
	assert_true(wakes <= 12 * 32 + 12 + 3 + 2);
	timeline_free(tl);
}

static void odd_programs(void **state)
{
	/* No timed steps: length 0, done at once, an end event. */
	struct step st[] = { say("hello"), chime() };
	struct program p = make(st, 2, 0);
	struct timeline *tl = timeline_new(&p, NULL, 0);
	assert_non_null(tl);
	assert_int_equal(timeline_total(tl), 0);
	struct tl_state s;
	timeline_at(tl, 0, &s);
	assert_true(s.done);
	size_t cur = 0;
	struct tl_event ev[8];
	assert_int_equal(timeline_events(tl, &cur, 0, ev, 8), 2);
	assert_int_equal(ev[0].kind, TL_EV_CHIME);
	assert_int_equal(ev[1].kind, TL_EV_END);
	timeline_free(tl);
	/* A bad pattern: an error naming the line. */
	struct step bad[] = { breathe(0, 0, 0, 0, 3, 0) };
	bad[0].line = 7;
	p = make(bad, 1, 0);
	char err[200];
	assert_null(timeline_new(&p, err, sizeof err));
	assert_non_null(strstr(err, "line 7"));
	/* A zero-length guide is skipped; a huge one is refused. */
	struct step z[] = { guide("gone", 0), guide("here", 3) };
	p = make(z, 2, 0);
	tl = timeline_new(&p, NULL, 0);
	timeline_at(tl, 0, &s);
	assert_string_equal(s.text, "here");
	assert_int_equal(s.ntimed, 1);
	timeline_free(tl);
	struct step h[] = { guide("long", 25 * 3600) };
	p = make(h, 1, 0);
	assert_null(timeline_new(&p, NULL, 0));
}

static void eight_hour_program(void **state)
{
	struct step st[] = { say("Rest"), breathe(4, 7, 8, 0, 0, 4 * 3600), guide("Turn over", 30),
			     breathe(5.5, 0, 5.5, 0, 0, 4 * 3600) };
	struct program p = make(st, 4, TAG_SLEEP);
	struct timeline *tl = timeline_new(&p, NULL, 0);
	assert_non_null(tl);
	pace_us total = timeline_total(tl);
	assert_true(total >= S(8 * 3600 + 30));
	/* The second block starts exactly after the first plus the guide. */
	size_t cur = 0;
	struct tl_event ev[16];
	pace_us first_end = (pace_us)758 * S(19); /* 478 cycles begun before 4 h */
	cur = timeline_event_cursor(tl, first_end - 1);
	assert_int_equal(timeline_events(tl, &cur, first_end, ev, 16), 1);
	assert_int_equal(ev[0].kind, TL_EV_STEP);
	assert_string_equal(ev[0].text, "Turn over");
	struct tl_state s;
	timeline_at(tl, first_end + S(30), &s);
	assert_int_equal(s.pace.phase, PACE_INHALE);
	assert_int_equal(s.pace.into, 0);
	assert_int_equal(s.pace.cycle, 1);
	timeline_at(tl, total - 1, &s);
	assert_int_equal(s.seconds_left, 1);
	assert_int_equal(s.pace.phase, PACE_EXHALE);
	char buf[32];
	timeline_format_time(total, buf, sizeof buf);
	assert_string_equal(buf, "8:00:42");
	timeline_format_time(S(75), buf, sizeof buf);
	assert_string_equal(buf, "1:15");
	timeline_free(tl);
}

/* The guidance shown at t, "" for none. */
static const char *shown(const struct timeline *tl, pace_us t)
{
	struct tl_state s;
	timeline_at(tl, t, &s);
	return s.guidance ? s.guidance : "";
}

/* Untied lines no further apart than TIMELINE_GAP_MAX_US: relax's five
 * lines in five minutes came at 0, 4, 10, 114 and 120 s (a share each),
 * a 104 s silence a listener takes for the end. Three untied lines in a
 * 5 min 4-0-6-0 block came at 0, 100 and 200 s; now at 0, 20 and 40. */
static void untied_lines_within_the_gap(void **state)
{
	struct step st[] = { say("A"), say("B"), say("C"), breathe(4, 0, 6, 0, 0, 300) };
	struct program p = make(st, 4, 0);
	struct timeline *tl = timeline_new(&p, NULL, 0);
	assert_string_equal(shown(tl, S(19.9)), "A");
	assert_string_equal(shown(tl, S(20)), "B");
	assert_string_equal(shown(tl, S(39.9)), "B");
	assert_string_equal(shown(tl, S(40)), "C");
	assert_string_equal(shown(tl, S(299)), "C");
	/* What is left after the last line is quiet: the longest gap says
	 * where, and breath words (each phase says its word) fill it. */
	pace_us at;
	assert_int_equal(timeline_longest_gap(tl, false, &at), S(260));
	assert_int_equal(at, S(40));
	assert_int_equal(timeline_longest_gap(tl, true, &at), S(6));
	timeline_free(tl);

	/* A cycle longer than the bound: the next breath, as near as it gets. */
	struct step st2[] = { say("A"), say("B"), breathe(10, 0, 15, 0, 3, 0) };
	p = make(st2, 3, 0);
	tl = timeline_new(&p, NULL, 0);
	assert_string_equal(shown(tl, S(24.9)), "A");
	assert_string_equal(shown(tl, S(25)), "B");
	timeline_free(tl);
}

/* A bare `silence` before a step says its quiet is meant: the longest gap
 * passes it by (a guided step's 40 s hold, a night's breathing). */
static void bare_silence_is_meant(void **state)
{
	struct step q = { .kind = STEP_QUIET };
	struct step st[] = { guide("Hold the stretch", 40), say("A"), breathe(4, 0, 6, 0, 0, 60),
			     guide("Rest", 10) };
	struct program p = make(st, 4, 0);
	struct timeline *tl = timeline_new(&p, NULL, 0);
	pace_us at;
	assert_int_equal(timeline_longest_gap(tl, false, &at), S(60));
	assert_int_equal(at, S(40));
	timeline_free(tl);
	struct step st2[] = { q, guide("Hold the stretch", 40), say("A"), q, breathe(4, 0, 6, 0, 0, 60),
			      guide("Rest", 10) };
	p = make(st2, 6, 0);
	tl = timeline_new(&p, NULL, 0);
	assert_int_equal(timeline_total(tl), S(110));
	assert_int_equal(timeline_longest_gap(tl, false, &at), S(10));
	assert_int_equal(at, S(100));
	timeline_free(tl);
	/* Among a block's lines it says where the quiet goes: the lines
	 * after it close the block ("If you are drifting off" in the last
	 * 20 s, not 20 s after the first line). */
	struct step st4[] = { say("Lie down"), say("Breathe"), q, say("Drifting off"), breathe(4, 0, 6, 0, 0, 300) };
	p = make(st4, 5, 0);
	tl = timeline_new(&p, NULL, 0);
	assert_string_equal(shown(tl, S(19.9)), "Lie down");
	assert_string_equal(shown(tl, S(20)), "Breathe");
	assert_string_equal(shown(tl, S(279.9)), "Breathe");
	assert_string_equal(shown(tl, S(280)), "Drifting off");
	assert_int_equal(timeline_longest_gap(tl, false, &at), 0); /* meant */
	timeline_free(tl);
	/* It takes no time and shows nothing. */
	struct step st3[] = { guide("Hold the stretch", 40), q };
	p = make(st3, 2, 0);
	tl = timeline_new(&p, NULL, 0);
	assert_int_equal(timeline_total(tl), S(40));
	timeline_free(tl);
}

/* Every built-in program: inside each breathing block, no two lines (nor
 * the block's start and its first line) further apart than the bound.
 * Before the bound: relax 104 s, sleep 102 s, box 100 s, coherent 99 s,
 * sigh 52 s, bed 67 s, headache 66 s, flare 51 s. The whole quiet (the
 * rest of a block after its last line, a long guided step) is printed:
 * it is the program's text to fill, or to mark with a bare `silence`. */
static void builtins_lines_within_the_gap(void **state)
{
	for (size_t b = 0; b < builtins_count; b++) {
		struct parse_result r;
		parse_program(builtins[b].text, strlen(builtins[b].text), builtins[b].name, &r);
		assert_non_null(r.program);
		struct timeline *tl = timeline_new(r.program, NULL, 0);
		assert_non_null(tl);
		size_t cursor = 0;
		struct tl_event e;
		pace_us last = 0, worst = 0, worst_at = 0;
		bool breathing = false;
		while (timeline_events(tl, &cursor, INT64_MAX, &e, 1) == 1) {
			if (e.kind == TL_EV_STEP) {
				breathing = r.program->steps[e.step].kind == STEP_BREATHE;
				last = e.at;
			} else if (e.kind == TL_EV_SAY && breathing) {
				if (e.at - last > worst) {
					worst = e.at - last;
					worst_at = last;
				}
				last = e.at;
			}
		}
		pace_us at, at_words;
		pace_us gap = timeline_longest_gap(tl, false, &at);
		pace_us gap_words = timeline_longest_gap(tl, true, &at_words);
		print_message("%-15s between lines %5.1f s; quiet %5.1f s at %5.1f s, with breath words %5.1f s at %5.1f s\n",
			      builtins[b].name, worst / 1e6, gap / 1e6, at / 1e6, gap_words / 1e6, at_words / 1e6);
		if (worst > TIMELINE_GAP_MAX_US)
			print_message("%s: lines %.1f s apart from %.1f s\n", builtins[b].name, worst / 1e6, worst_at / 1e6);
		assert_true(worst <= TIMELINE_GAP_MAX_US);
		timeline_free(tl);
		program_free(r.program);
	}
}

/* 478's teaching breath: each line at its own phase, then a line for the
 * breath as a whole from the next breath on. */
static void lines_tied_to_phases(void **state)
{
	struct step st[] = { say_at(SAY_INHALE, "In for four"), say_at(SAY_HOLD, "Hold for seven"),
			     say_at(SAY_EXHALE, "Out for eight"), say("Count faster if the hold is hard"),
			     breathe(4, 7, 8, 0, 4, 0) };
	struct program p = make(st, 5, 0);
	struct timeline *tl = timeline_new(&p, NULL, 0);
	assert_string_equal(shown(tl, 0), "In for four");
	assert_string_equal(shown(tl, S(4) - 1), "In for four");
	assert_string_equal(shown(tl, S(4)), "Hold for seven");
	assert_string_equal(shown(tl, S(11) - 1), "Hold for seven");
	assert_string_equal(shown(tl, S(11)), "Out for eight");
	assert_string_equal(shown(tl, S(19) - 1), "Out for eight");
	/* The hold of the second breath does not say "Out". */
	assert_string_equal(shown(tl, S(19)), "Count faster if the hold is hard");
	assert_string_equal(shown(tl, S(19 + 5)), "Count faster if the hold is hard");
	assert_string_equal(shown(tl, S(76) - 1), "Count faster if the hold is hard");
	/* One event each, at its phase's start, with the phase and its span. */
	size_t cur = 0, n;
	struct tl_event ev[64];
	n = timeline_events(tl, &cur, INT64_MAX - 1, ev, 64);
	pace_us want_at[] = { 0, S(4), S(11), S(19) };
	enum pace_phase want_ph[] = { PACE_INHALE, PACE_HOLD_FULL, PACE_EXHALE, PACE_INHALE };
	pace_us want_len[] = { S(4), S(7), S(8), S(76 - 19) };
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (ev[i].kind != TL_EV_SAY)
			continue;
		assert_true(k < 4);
		assert_int_equal(ev[i].at, want_at[k]);
		assert_int_equal(ev[i].phase, want_ph[k]);
		assert_int_equal(ev[i].len, want_len[k]);
		/* said before its phase's breath event: the voice and the tone together */
		assert_int_equal(ev[i + 1].kind, TL_EV_BREATH);
		assert_int_equal(ev[i + 1].at, ev[i].at);
		k++;
	}
	assert_int_equal(k, 4);
	struct tl_warning w[4];
	assert_int_equal(timeline_warnings(tl, w, 4), 0);
	timeline_free(tl);
}

/* A tied line after an untied one waits for the untied line's share (at
 * most TIMELINE_GAP_MAX_US), shows at its phase, and gives the screen back
 * to the untied line after it. */
static void tied_line_after_a_share(void **state)
{
	struct step st[] = { say("Breathe low"), say_at(SAY_EXHALE, "Let the jaw hang on the way out"),
			     breathe(4, 0, 6, 0, 6, 0) };
	struct program p = make(st, 3, 0);
	struct timeline *tl = timeline_new(&p, NULL, 0);
	/* 60 s, two lines: a share of 30 s is cut to 20, so the second comes
	 * at the last exhale that begins within 20 s (14 s). */
	assert_string_equal(shown(tl, S(13.9)), "Breathe low");
	assert_string_equal(shown(tl, S(14)), "Let the jaw hang on the way out");
	assert_string_equal(shown(tl, S(20) - 1), "Let the jaw hang on the way out");
	assert_string_equal(shown(tl, S(20)), "Breathe low");
	/* The loop wakes for both changes. */
	struct tl_view v = { 0 };
	assert_true(timeline_next_change(tl, S(13), &v) <= S(14));
	assert_true(timeline_next_change(tl, S(19), &v) <= S(20));
	/* A tied line first waits for its phase; before it, nothing. */
	struct step st2[] = { say_at(SAY_EXHALE, "Out"), breathe(4, 0, 6, 0, 2, 0) };
	p = make(st2, 2, 0);
	struct timeline *t2 = timeline_new(&p, NULL, 0);
	assert_string_equal(shown(t2, 0), "");
	assert_string_equal(shown(t2, S(4)), "Out");
	assert_string_equal(shown(t2, S(10)), "");
	timeline_free(t2);
	timeline_free(tl);
}

/* More lines than the block has turns for: the last is never shown, and
 * the timeline says so; nothing is shown out of its phase meanwhile. */
static void lines_that_never_show(void **state)
{
	struct step st[] = { say_at(SAY_EXHALE, "one"), say_at(SAY_EXHALE, "two"),
			     say_at(SAY_EXHALE, "three"), breathe(4, 0, 6, 0, 2, 0) };
	st[2].line = 3;
	struct program p = make(st, 4, 0);
	struct timeline *tl = timeline_new(&p, NULL, 0);
	assert_string_equal(shown(tl, S(4)), "one");
	assert_string_equal(shown(tl, S(14)), "two");
	struct tl_warning w[4];
	assert_int_equal(timeline_warnings(tl, w, 4), 1);
	assert_int_equal(w[0].step, 2);
	assert_non_null(strstr(w[0].msg, "never shows"));
	timeline_free(tl);
}

/* "Let them drop" opens on an out-breath; a step that cuts its breath short
 * is reported with the lengths that would not. */
static void cue_from_exhale(void **state)
{
	struct step st[] = { guide("Let them drop", 10), guide("Let them drop again", 15) };
	for (int i = 0; i < 2; i++) {
		st[i].u.guide.has_breath_cue = true;
		st[i].u.guide.cue = (struct pace_pattern){ { 4, 0, 6, 0 } };
		st[i].u.guide.cue_from = PACE_EXHALE;
	}
	struct program p = make(st, 2, 0);
	struct timeline *tl = timeline_new(&p, NULL, 0);
	assert_int_equal(timeline_total(tl), S(25));
	struct tl_state s;
	timeline_at(tl, 0, &s);
	assert_int_equal(s.pace.phase, PACE_EXHALE);
	assert_int_equal(s.pace.phase_len, S(6));
	assert_int_equal(s.pace.seconds_left, 6);
	timeline_at(tl, S(6), &s);
	assert_int_equal(s.pace.phase, PACE_INHALE);
	timeline_at(tl, S(10), &s);
	assert_int_equal(s.step, 1);
	assert_int_equal(s.pace.phase, PACE_EXHALE);
	/* The first breath event of each step is its exhale. */
	size_t cur = 0;
	struct tl_event ev[32];
	size_t n = timeline_events(tl, &cur, INT64_MAX - 1, ev, 32);
	bool first_of_step = true;
	for (size_t i = 0; i < n; i++) {
		if (ev[i].kind == TL_EV_STEP)
			first_of_step = true;
		if (ev[i].kind == TL_EV_BREATH && first_of_step) {
			assert_int_equal(ev[i].phase, PACE_EXHALE);
			first_of_step = false;
		}
	}
	struct tl_warning w[4];
	assert_int_equal(timeline_warnings(tl, w, 4), 1);
	assert_int_equal(w[0].step, 1);
	assert_non_null(strstr(w[0].msg, "ends 5s into a 6s exhale"));
	assert_non_null(strstr(w[0].msg, "make it 16s or 10s"));
	timeline_free(tl);
	/* Cut mid-inhale, from the inhale: also reported. */
	struct step c[] = { guide("Roll", 12) };
	c[0].u.guide.has_breath_cue = true;
	c[0].u.guide.cue = (struct pace_pattern){ { 4, 0, 6, 0 } };
	p = make(c, 1, 0);
	tl = timeline_new(&p, NULL, 0);
	assert_int_equal(timeline_warnings(tl, w, 4), 1);
	assert_non_null(strstr(w[0].msg, "2s into a 4s inhale"));
	timeline_free(tl);
}

/* A words step: one word at a time, further apart as it goes, in the order
 * the seed gives; the word is the step's text and each is a say event. */
static void words_one_at_a_time(void **state)
{
	static const char *const list[] = { "apple", "boat", "candle", "daisy", "feather", "garden" };
	struct step st[] = { { .kind = STEP_WORDS } };
	st[0].u.words = (struct step_words){ .seconds = 60, .every_from = 5, .every_to = 10 };
	struct program p = make(st, 1, TAG_SLEEP);
	program_set_words(&p, list, 6, 20261125);
	size_t n = program_word_count(&st[0].u.words);
	assert_int_equal(st[0].u.words.nwords, n);
	assert_true(n >= 6 && n <= 12);
	struct timeline *tl = timeline_new(&p, NULL, 0);
	assert_int_equal(timeline_total(tl), S(60));
	size_t cur = 0, ne;
	struct tl_event ev[64];
	ne = timeline_events(tl, &cur, INT64_MAX - 1, ev, 64);
	pace_us last = -1, gap = 0;
	size_t said = 0;
	for (size_t i = 0; i < ne; i++) {
		if (ev[i].kind != TL_EV_SAY)
			continue;
		assert_string_equal(ev[i].text, st[0].u.words.words[said]);
		struct tl_state s;
		timeline_at(tl, ev[i].at, &s);
		assert_int_equal(s.kind, STEP_WORDS);
		assert_string_equal(s.text, ev[i].text);
		if (last >= 0) {
			/* Slower as it goes: never closer than the gap before. */
			assert_true(ev[i].at - last >= gap);
			assert_true(ev[i].at - last >= S(5) - 1 && ev[i].at - last <= S(10) + 1);
			gap = ev[i].at - last;
		}
		last = ev[i].at;
		said++;
	}
	assert_int_equal(said, n);
	/* The first six are the whole list, each once. */
	for (size_t i = 0; i < 6; i++)
		for (size_t j = i + 1; j < 6; j++)
			assert_string_not_equal(st[0].u.words.words[i], st[0].u.words.words[j]);
	timeline_free(tl);
	/* The same seed, the same order; another night, another order. */
	char *first[12];
	for (size_t i = 0; i < n; i++)
		first[i] = xstrdup(st[0].u.words.words[i]);
	program_set_words(&p, list, 6, 20261125);
	bool same = true;
	for (size_t i = 0; i < n; i++)
		same &= strcmp(first[i], st[0].u.words.words[i]) == 0;
	assert_true(same);
	bool differs = false;
	for (uint64_t seed = 20261126; seed < 20261130 && !differs; seed++) {
		program_set_words(&p, list, 6, seed);
		for (size_t i = 0; i < n; i++)
			differs |= strcmp(first[i], st[0].u.words.words[i]) != 0;
	}
	assert_true(differs);
	for (size_t i = 0; i < n; i++)
		free(first[i]);
	for (size_t i = 0; i < st[0].u.words.nwords; i++)
		free(st[0].u.words.words[i]);
	free(st[0].u.words.words);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lays_out_steps),
		cmocka_unit_test(before_and_after),
		cmocka_unit_test(events_in_order),
		cmocka_unit_test(sleep_programs_fade_in_the_last_minute),
		cmocka_unit_test(next_change_walk),
		cmocka_unit_test(guide_with_breath_cue),
		cmocka_unit_test(odd_programs),
		cmocka_unit_test(eight_hour_program),
		cmocka_unit_test(lines_tied_to_phases),
		cmocka_unit_test(tied_line_after_a_share),
		cmocka_unit_test(lines_that_never_show),
		cmocka_unit_test(untied_lines_within_the_gap),
		cmocka_unit_test(bare_silence_is_meant),
		cmocka_unit_test(builtins_lines_within_the_gap),
		cmocka_unit_test(cue_from_exhale),
		cmocka_unit_test(words_one_at_a_time),
		cmocka_unit_test(coalesced_changes),
		cmocka_unit_test(progress_moves_with_cycles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
