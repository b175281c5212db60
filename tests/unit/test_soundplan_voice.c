/* SPDX-License-Identifier: ISC */
/* The spoken lines of the sound plan: every guide line at the exact start of
 * its step, every say line as it appears, each with the room it has (until
 * the next line or its step's end) and its recording; breath words at each
 * phase with voice_breath, which neither shorten a line's room nor count as
 * lines to fit; nothing spoken with the voice off. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "builtin.h"
#include "duck.h"
#include "parse.h"
#include "program_steps.h"
#include "soundplan.h"
#include "timeline.h"

#define S(x) ((pace_us)((x) * 1000000.0 + 0.5))

struct plan {
	struct timeline *tl;
	struct soundplan *sp;
	struct sp_event ev[256];
	size_t nev;
	const struct sp_line *lines;
	size_t nlines;
};

static void plan_of(struct plan *pl, const struct program *p, bool voice, bool breath)
{
	pl->tl = timeline_new(p, NULL, 0);
	assert_non_null(pl->tl);
	struct soundplan_cfg c = { .volume = 0.6f, .voice = voice, .voice_breath = breath };
	pl->sp = soundplan_new(pl->tl, &c);
	size_t cursor = 0;
	pl->nev = soundplan_events(pl->sp, &cursor, INT64_MAX, pl->ev, 256);
	pl->nlines = soundplan_lines(pl->sp, &pl->lines);
}

static void plan_free(struct plan *pl)
{
	soundplan_free(pl->sp);
	timeline_free(pl->tl);
}

/* The i-th SP_EV_SPEAK of the plan. */
static const struct sp_event *speak(const struct plan *pl, size_t i)
{
	for (size_t k = 0; k < pl->nev; k++)
		if (pl->ev[k].kind == SP_EV_SPEAK && i-- == 0)
			return &pl->ev[k];
	fail_msg("fewer spoken lines than asked for");
	return NULL;
}

static size_t count_speak(const struct plan *pl)
{
	size_t n = 0;
	for (size_t k = 0; k < pl->nev; k++)
		n += pl->ev[k].kind == SP_EV_SPEAK;
	return n;
}

/* The first word is heard. Each spoken line has the bed's dip DUCK_LEAD_S
 * before it (from the start for a line at 0), in time order, and a breath
 * word none; the phase tone where a line tied to that phase starts is
 * lowered by SOUNDPLAN_TONE_UNDER_LINE_DB with the voice (it rang at full
 * level under "In for four" and "Out for six"), whole without it. Before,
 * no dip came before a line and both tones rang whole. */
static void the_first_word_is_heard(void **state)
{
	struct step st[] = { guide("Sit comfortably", 5), say_at(SAY_INHALE, "In for four"),
			     say_at(SAY_EXHALE, "Out for six"), breathe(4, 0, 6, 0, 2, 0) };
	struct program p = make(st, 4, 0);
	struct timeline *tl = timeline_new(&p, NULL, 0);
	for (int voice = 0; voice < 2; voice++) {
		struct soundplan_cfg c = { .volume = 0.6f, .tones = true, .voice = voice, .voice_breath = voice };
		struct soundplan *sp = soundplan_new(tl, &c);
		struct sp_event ev[64];
		size_t cursor = 0, n = soundplan_events(sp, &cursor, INT64_MAX, ev, 64);
		const struct sp_line *lines;
		soundplan_lines(sp, &lines);
		pace_us tones[8] = { 0 };
		float levels[8] = { 0 };
		size_t ntones = 0, ducks = 0, said = 0;
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				assert_true(ev[i].at >= ev[i - 1].at);
			if (ev[i].kind == SP_EV_CUE && ntones < 8) {
				levels[ntones] = ev[i].volume;
				tones[ntones++] = ev[i].at;
			}
			if (ev[i].kind == SP_EV_DUCK)
				ducks++;
			if (ev[i].kind != SP_EV_SPEAK || lines[ev[i].line].breath)
				continue;
			said++;
			/* Its dip: the last DUCK before it, DUCK_LEAD_S ahead. */
			pace_us want = ev[i].at > S(DUCK_LEAD_S) ? ev[i].at - S(DUCK_LEAD_S) : 0;
			size_t k = i;
			while (k > 0 && ev[k].kind != SP_EV_DUCK)
				k--;
			assert_int_equal(ev[k].kind, SP_EV_DUCK);
			assert_int_equal(ev[k].at, want);
			assert_int_equal(ev[k].fade, ev[i].at - want);
		}
		assert_int_equal(ducks, said); /* none for a breath word */
		/* The step tone at 0, the phases' at 5, 9, 15 and 19. */
		assert_int_equal(ntones, 5);
		assert_int_equal(tones[1], S(5));
		assert_int_equal(tones[2], S(9));
		assert_int_equal(tones[3], S(15));
		const float under = powf(10, (float)SOUNDPLAN_TONE_UNDER_LINE_DB / 20);
		for (size_t i = 0; i < ntones; i++) {
			/* Under "In for four" (5 s) and "Out for six" (9 s). */
			bool lowered = voice && (i == 1 || i == 2);
			assert_true(fabsf(levels[i] - (lowered ? under : 1)) < 1e-6f);
		}
		if (voice)
			assert_int_equal(said, 3);
		soundplan_free(sp);
	}
	timeline_free(tl);
}

/* A sleep program's voice fades with everything else and closes quiet: a
 * line in its closing fade is said at the fade's level, one in its last
 * 45 s at SOUNDPLAN_CLOSE_DB at most; before, every line at full level
 * ("That is all" 20 s before the end, at full voice over a bed gone). A
 * program for tension keeps its voice whole through a fadeout. */
static void a_sleep_program_closes_quiet(void **state)
{
	struct step fade = { .kind = STEP_SOUND };
	fade.u.sound.action = SOUND_FADE_OUT;
	fade.u.sound.fade_s = 30;
	struct step st[] = { guide("Lie down", 60), guide("Let go", 60), fade, guide("Rest", 20),
			     guide("That is all", 40) };
	for (int sleep = 0; sleep < 2; sleep++) {
		struct program p = make(st, 5, sleep ? TAG_SLEEP : TAG_TENSION);
		struct plan pl;
		plan_of(&pl, &p, true, false);
		assert_int_equal(pl.nlines, 4);
		if (!sleep) {
			for (size_t i = 0; i < pl.nlines; i++)
				assert_true(pl.lines[i].level_db == 0);
		} else {
			/* 180 s: the closing fade from 120 s; the fadeout word
			 * at 120 s takes the level (30 s) from there. */
			assert_true(pl.lines[0].level_db == 0);
			assert_true(pl.lines[1].level_db == 0);
			assert_true(pl.lines[2].level_db == 0); /* at 120 s: the fades begin */
			assert_true(pl.lines[3].level_db <= SOUNDPLAN_CLOSE_DB); /* at 140 s: the close */
		}
		plan_free(&pl);
	}
	/* In a fade, before the close: at the fade's level. */
	struct step st2[] = { fade, guide("Lie down", 20), guide("Let go", 120) };
	struct program p = make(st2, 3, TAG_SLEEP);
	struct plan pl;
	plan_of(&pl, &p, true, false);
	/* At 20 s into a 30 s equal-power fade: cos(pi/3) = 0.5, -6 dB. */
	assert_true(fabsf(pl.lines[1].level_db - 20 * log10f(0.5f)) < 0.01f);
	plan_free(&pl);
	/* Every built-in for sleep: nothing said in its last 45 s louder
	 * than SOUNDPLAN_CLOSE_DB (winddown, pmr and bed said their last
	 * line there at full voice). */
	for (size_t b = 0; b < builtins_count; b++) {
		struct parse_result r;
		parse_program(builtins[b].text, strlen(builtins[b].text), builtins[b].name, &r);
		assert_non_null(r.program);
		if (r.program->tags & TAG_SLEEP) {
			plan_of(&pl, r.program, true, true);
			pace_us close = timeline_total(pl.tl) - SOUNDPLAN_CLOSE_US;
			for (size_t i = 0; i < pl.nlines; i++)
				if (pl.lines[i].at >= close && pl.lines[i].level_db > SOUNDPLAN_CLOSE_DB)
					fail_msg("%s: \"%s\" at %.1f s said at %.1f dB", builtins[b].name,
						 pl.lines[i].text, pl.lines[i].at / 1e6, pl.lines[i].level_db);
			plan_free(&pl);
		}
		program_free(r.program);
	}
}

static void guide_lines_at_their_steps(void **state)
{
	struct step st[] = { guide("Lift the shoulders.", 5), guide("Let them drop.", 15), silence(10),
			     guide("That is all.", 20) };
	st[1].recording = "drop";
	struct program p = make(st, 4, 0);
	struct plan pl;
	plan_of(&pl, &p, true, false);
	assert_int_equal(count_speak(&pl), 3);
	assert_int_equal(pl.nlines, 3);
	static const double at[] = { 0, 5, 30 }, room[] = { 5, 15, 20 };
	for (size_t i = 0; i < 3; i++) {
		const struct sp_event *e = speak(&pl, i);
		/* Exactly at the step's start: the same microsecond. */
		assert_int_equal(e->at, S(at[i]));
		assert_int_equal(e->line, i);
		assert_int_equal(e->len, S(room[i]));
		assert_int_equal(pl.lines[i].at, S(at[i]));
		assert_int_equal(pl.lines[i].room, S(room[i]));
		assert_false(pl.lines[i].breath);
	}
	assert_string_equal(speak(&pl, 1)->text, "Let them drop.");
	assert_ptr_equal(pl.lines[1].text, st[1].u.guide.text);
	assert_string_equal(pl.lines[1].recording, "drop");
	assert_null(pl.lines[0].recording);
	assert_int_equal(pl.lines[2].step, 3);
	plan_free(&pl);
}

static void say_lines_share_their_block(void **state)
{
	/* Two say lines over 4 cycles of 4-0-6-0 (40 s): at 0 and 20 s, each
	 * with its half; the guide after the block starts at 40 s. */
	struct step st[] = { guide("Settle.", 10), say("In for four."), say("Out for six."),
			     breathe(4, 0, 6, 0, 4, 0), guide("Rest.", 5) };
	st[2].recording = "out-for-six.ogg";
	struct program p = make(st, 5, 0);
	struct plan pl;
	plan_of(&pl, &p, true, false);
	assert_int_equal(pl.nlines, 4);
	static const double at[] = { 0, 10, 30, 50 }, room[] = { 10, 20, 20, 5 };
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(speak(&pl, i)->at, S(at[i]));
		assert_int_equal(pl.lines[i].room, S(room[i]));
	}
	assert_string_equal(pl.lines[1].text, "In for four.");
	assert_null(pl.lines[1].recording);
	/* A say line comes from its own step (its place in the source). */
	assert_int_equal(pl.lines[1].step, 1);
	assert_int_equal(pl.lines[2].step, 2);
	assert_int_equal(speak(&pl, 2)->step, 2);
	assert_string_equal(pl.lines[2].recording, "out-for-six.ogg");
	plan_free(&pl);
}

static void voice_off_says_nothing(void **state)
{
	struct step st[] = { guide("Settle.", 10), say("In for four."), breathe(4, 0, 6, 0, 2, 0) };
	struct program p = make(st, 3, 0);
	struct plan pl;
	plan_of(&pl, &p, false, true);
	assert_int_equal(count_speak(&pl), 0);
	assert_int_equal(pl.nlines, 0);
	plan_free(&pl);
}

static void breath_words_at_each_phase(void **state)
{
	/* 4-2-6-0 twice, with a guide line before: In, Hold, Out at each
	 * phase with its length as room; the guide keeps its whole room. */
	struct step st[] = { guide("Settle.", 10), breathe(4, 2, 6, 0, 2, 0) };
	struct program p = make(st, 2, 0);
	struct plan pl;
	plan_of(&pl, &p, true, true);
	assert_int_equal(count_speak(&pl), 7);
	assert_false(pl.lines[0].breath);
	assert_int_equal(pl.lines[0].room, S(10));
	static const char *const words[] = { "In", "Hold", "Out" };
	static const double len[] = { 4, 2, 6 };
	double t = 10;
	for (size_t i = 1; i < 7; i++) {
		const struct sp_event *e = speak(&pl, i);
		assert_true(pl.lines[i].breath);
		assert_string_equal(e->text, words[(i - 1) % 3]);
		assert_int_equal(e->at, S(t));
		assert_int_equal(pl.lines[i].room, S(len[(i - 1) % 3]));
		t += len[(i - 1) % 3];
	}
	plan_free(&pl);
}

static void a_breath_word_does_not_shorten_a_line(void **state)
{
	/* A guide with a breathing cue: its line has the whole step though
	 * breath words come during it. */
	struct step st[] = { guide("Let go.", 15) };
	st[0].u.guide.has_breath_cue = true;
	st[0].u.guide.cue = (struct pace_pattern){ { 4, 0, 6, 0 } };
	struct program p = make(st, 1, 0);
	struct plan pl;
	plan_of(&pl, &p, true, true);
	assert_false(pl.lines[0].breath);
	assert_int_equal(pl.lines[0].at, 0);
	assert_int_equal(pl.lines[0].room, S(15));
	assert_true(pl.nlines > 1 && pl.lines[1].breath);
	plan_free(&pl);
}

/* A line tied to a phase says what that phase is: no breath word over it
 * (nor under an untied line, nor a guide's at its first breath); the other
 * phases keep theirs. */
static void a_breath_word_does_not_double_a_line(void **state)
{
	/* 4-0-6-0 three times: "Breathe in slowly." at the first inhale,
	 * "Let it all go." at the next exhale (4 s), an untied line at the
	 * next breath (10 s); then a guide that paces 4-0-6-0. */
	struct step st[] = { say_at(SAY_INHALE, "Breathe in slowly."), say_at(SAY_EXHALE, "Let it all go."),
			     say("Just breathe."), breathe(4, 0, 6, 0, 3, 0), guide("Let go.", 15) };
	st[4].u.guide.has_breath_cue = true;
	st[4].u.guide.cue = (struct pace_pattern){ { 4, 0, 6, 0 } };
	struct program p = make(st, 5, 0);
	struct plan pl;
	plan_of(&pl, &p, true, true);
	/* What is said when, in order. */
	static const struct { double at; const char *text; } want[] = {
		{ 0, "Breathe in slowly." }, { 4, "Let it all go." }, { 10, "Just breathe." }, { 14, "Out" },
		{ 20, "In" }, { 24, "Out" }, { 30, "Let go." }, { 34, "Out" }, { 40, "In" },
	};
	size_t n = count_speak(&pl);
	for (size_t i = 0; i < n && i < sizeof want / sizeof want[0]; i++) {
		const struct sp_event *e = speak(&pl, i);
		if (e->at != S(want[i].at) || strcmp(e->text, want[i].text) != 0)
			fail_msg("line %zu: '%s' at %.1f s, wanted '%s' at %.1f s", i, e->text,
				 (double)e->at / 1e6, want[i].text, want[i].at);
	}
	assert_true(n >= sizeof want / sizeof want[0]);
	/* No two lines start together. */
	for (size_t i = 1; i < pl.nlines; i++)
		assert_true(pl.lines[i].at > pl.lines[i - 1].at);
	plan_free(&pl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_first_word_is_heard),
		cmocka_unit_test(a_sleep_program_closes_quiet),
		cmocka_unit_test(guide_lines_at_their_steps),
		cmocka_unit_test(say_lines_share_their_block),
		cmocka_unit_test(voice_off_says_nothing),
		cmocka_unit_test(breath_words_at_each_phase),
		cmocka_unit_test(a_breath_word_does_not_shorten_a_line),
		cmocka_unit_test(a_breath_word_does_not_double_a_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
