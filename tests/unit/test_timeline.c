/* The timeline of a whole program: step lookup at edges, guided steps and
 * their countdowns, say lines attached to the next breathing block, what comes
 * next, the audio events between two times, next-change, before/after. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

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
	/* Two say lines share the 30 s block: the second from 15 s in. */
	timeline_at(tl, S(35) - 1, &s);
	assert_string_equal(s.guidance, "Breathe into your belly");
	timeline_at(tl, S(35), &s);
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
	struct tl_view v = { 10, 0, 10, 10, 1 };
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
	/* exhale 34, say B 35, inhale 40, exhale 44, silence 50, end 60 */
	assert_int_equal(n, 6);
	assert_int_equal(ev[1].kind, TL_EV_SAY);
	assert_int_equal(ev[1].at, S(35));
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
	/* Coherent breathing's countdown ticks on the half second; the time
	 * left shown in minutes must not add wakes on the whole seconds. */
	struct step st[] = { breathe(5.5, 0, 5.5, 0, 10, 0) };
	struct program q = make(st, 1, 0);
	struct timeline *t3 = timeline_new(&q, NULL, 0);
	struct tl_view mv = { .left_step_s = 60 };
	assert_int_equal(timeline_next_change(t3, S(0.6), &mv), S(1.5));
	mv.left_step_s = 1;
	assert_int_equal(timeline_next_change(t3, S(0.6), &mv), S(1.0));
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
