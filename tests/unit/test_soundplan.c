/* SPDX-License-Identifier: ISC */
/* The sound plan: what is heard when, for start and render alike. Event
 * order and times for box, 478, a guided program with chimes and sound
 * words, a sleep program's fade; the fade policy (rise, fall, a fade-out
 * that meets the rise); cues and follow off; the cursor across boundaries.
 * And the one place that turns settings and options into a session's sound
 * (volume 0 is silent in both commands) and the options both commands share
 * (one rule, one wording). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "program_steps.h"
#include "sessionopts.h"
#include "settings.h"
#include "soundpath.h"
#include "soundplan.h"
#include "timeline.h"
#include "util.h"

#define S(x) ((pace_us)((x) * 1000000.0 + 0.5))

/* The usage errors the options give, as the person reads them: stderr is
 * caught around each call and its first line kept without "lull: ". */
static char last_usage[300];
static int saved_stderr = -1;
static FILE *caught;

static void capture_begin(void)
{
	fflush(stderr);
	caught = tmpfile();
	assert_non_null(caught);
	saved_stderr = dup(2);
	assert_true(dup2(fileno(caught), 2) == 2);
}

static int capture_end(int rc)
{
	fflush(stderr);
	assert_true(dup2(saved_stderr, 2) == 2);
	close(saved_stderr);
	rewind(caught);
	char line[300] = "";
	if (!fgets(line, sizeof line, caught))
		line[0] = '\0';
	fclose(caught);
	line[strcspn(line, "\n")] = '\0';
	snprintf(last_usage, sizeof last_usage, "%s", strncmp(line, "lull: ", 6) == 0 ? line + 6 : line);
	return rc;
}

#define CAPTURE(call) (capture_begin(), capture_end(call))

/* --- programs ---------------------------------------------------------- */

static struct step chime(const char *name)
{
	struct step s = { .kind = STEP_CHIME };
	s.u.chime = (char *)name;
	return s;
}

static struct step sound(enum sound_action a, const char *name, float vol, double fade)
{
	struct step s = { .kind = STEP_SOUND };
	s.u.sound = (struct step_sound){ .action = a, .name = (char *)name, .volume = vol, .fade_s = fade };
	return s;
}

/* tones: the phase and step tones; the program's chimes always ring. */
static struct soundplan_cfg cfg(bool tones, bool follow, const char *layer, float vol)
{
	struct soundplan_cfg c = { .volume = 0.6f, .tones = tones, .chimes = true, .follow = follow };
	if (layer) {
		snprintf(c.layers[0].name, sizeof c.layers[0].name, "%s", layer);
		c.layers[0].volume = vol;
		c.nlayers = 1;
	}
	return c;
}

/* The events of the last plan_of. */
static struct sp_event heard[256];

/* The whole plan, read three events at a time (the cursor's chunks), into
 * heard[]; returns how many. */
static size_t plan_of(const struct program *p, struct soundplan_cfg c)
{
	struct timeline *tl = timeline_new(p, NULL, 0);
	assert_non_null(tl);
	struct soundplan *sp = soundplan_new(tl, &c);
	size_t cursor = 0, n = 0, k, max = sizeof heard / sizeof heard[0];
	while (n < max && (k = soundplan_events(sp, &cursor, INT64_MAX, heard + n, max - n < 3 ? max - n : 3)) > 0)
		n += k;
	assert_int_equal(soundplan_event_time(sp, cursor), INT64_MAX);
	soundplan_free(sp);
	timeline_free(tl);
	/* Names point into the program or the (freed) plan: only names from
	 * the program can be compared after this. */
	return n;
}

static void expect(const struct sp_event *e, enum sp_event_kind kind, double at)
{
	if (e->kind != kind || e->at != S(at))
		fail_msg("event kind %d at %lld us, expected kind %d at %.3f s", e->kind, (long long)e->at, kind, at);
}

static void expect_breath(const struct sp_event *e, double at, enum pace_phase ph, double len)
{
	expect(e, SP_EV_BREATH, at);
	assert_int_equal(e->phase, ph);
	assert_int_equal(e->len, S(len));
}

static void expect_cue(const struct sp_event *e, double at, const char *name, double level)
{
	expect(e, SP_EV_CUE, at);
	if (!name)
		assert_null(e->name);
	else
		assert_string_equal(e->name, name);
	if (fabs(e->volume - level) > 1e-4)
		fail_msg("cue at %.3f s at level %.4f, expected %.4f", at, e->volume, level);
}

static void expect_fade(const struct sp_event *e, double at, double fade)
{
	expect(e, SP_EV_FADE_OUT, at);
	if (e->fade != S(fade))
		fail_msg("fade at %.3f s lasts %lld us, expected %.3f s", at, (long long)e->fade, fade);
}

/* --- the fade policy --------------------------------------------------- */

static void fades_are_ten_seconds_or_a_share_of_short_sessions(void **state)
{
	assert_int_equal(soundplan_rise(S(600)), S(10));
	assert_int_equal(soundplan_fall(S(600)), S(10));
	assert_int_equal(soundplan_rise(S(32)), S(10));
	assert_int_equal(soundplan_fall(S(32)), S(8));
	/* The six-second session of test_audio_session: up 3 s, full, down 1.5 s. */
	assert_int_equal(soundplan_rise(S(6)), S(3));
	assert_int_equal(soundplan_fall(S(6)), S(1.5));
	assert_int_equal(soundplan_rise(0), 0);
}

/* --- programs, event by event ------------------------------------------- */

static void box_sounds_each_phase(void **state)
{
	struct step st[] = { breathe(4, 4, 4, 4, 2, 0) };
	struct program p = make(st, 1, TAG_BREATHING);
	size_t n = plan_of(&p, cfg(false, true, NULL, 0));
	/* No bed: nothing rises and nothing needs a closing fade. */
	assert_int_equal(n, 8);
	static const enum pace_phase ph[] = { PACE_INHALE, PACE_HOLD_FULL, PACE_EXHALE, PACE_HOLD_EMPTY };
	for (size_t i = 0; i < 8; i++)
		expect_breath(&heard[i], 4.0 * (double)i, ph[i % 4], 4);
	/* The tones instead of the swell: each phase its own, at full level
	 * (and no breath events: the engine has nothing to decide). */
	n = plan_of(&p, cfg(true, false, NULL, 0));
	assert_int_equal(n, 8);
	static const char *const tone[] = { "inhale", "hold", "exhale", "hold" };
	for (size_t i = 0; i < 8; i++)
		expect_cue(&heard[i], 4.0 * (double)i, tone[i % 4], 1);
	/* Both: the tone, then the swell, at each phase. */
	n = plan_of(&p, cfg(true, true, NULL, 0));
	assert_int_equal(n, 16);
	for (size_t i = 0; i < 8; i++) {
		expect_cue(&heard[2 * i], 4.0 * (double)i, tone[i % 4], 1);
		expect_breath(&heard[2 * i + 1], 4.0 * (double)i, ph[i % 4], 4);
	}
}

static void box_with_a_bed_rises_and_falls(void **state)
{
	struct step st[] = { breathe(4, 4, 4, 4, 2, 0) };
	struct program p = make(st, 1, TAG_BREATHING);
	size_t n = plan_of(&p, cfg(false, true, "rain", 0.5f));
	assert_int_equal(n, 10);
	expect(&heard[0], SP_EV_LAYER_ON, 0);
	assert_true(heard[0].volume == 0.5f);
	assert_int_equal(heard[0].fade, S(10)); /* the rise: 10 s of a 32 s session */
	assert_int_equal(heard[0].step, p.nsteps);
	expect_breath(&heard[1], 0, PACE_INHALE, 4);
	for (size_t i = 2; i <= 7; i++)
		expect(&heard[i], SP_EV_BREATH, 4.0 * (double)(i - 1));
	/* The closing fall, the last quarter: after the breath at the same time. */
	expect_fade(&heard[8], 24, 8);
	assert_int_equal(heard[8].step, p.nsteps);
	expect(&heard[9], SP_EV_BREATH, 28);
}

/* 478 as built in: a sleep program whose fade-out starts with it. */
static struct program four78(struct step *st)
{
	size_t n = 0;
	st[n++] = say("In quietly through the nose for four.");
	st[n++] = sound(SOUND_FADE_OUT, NULL, 0, 150);
	st[n++] = breathe(4, 7, 8, 0, 2, 0);
	return make(st, n, TAG_BREATHING | TAG_SLEEP);
}

static void four78_fades_out_after_the_bed_has_risen(void **state)
{
	struct step st[4];
	struct program p = four78(st);
	size_t n = plan_of(&p, cfg(false, true, "rain", 0.6f));
	/* 38 s: the bed rises over 10 s; `fadeout 2m30s` (at 0) and the sleep
	 * program's closing fade (all of it, at 0) wait for the rise and keep
	 * their ends (before, the bed was faded from silence to silence). Two
	 * fades at one moment: the later replaces the earlier, so it alone is
	 * in the plan. */
	assert_int_equal(n, 8);
	expect(&heard[0], SP_EV_LAYER_ON, 0);
	assert_int_equal(heard[0].fade, S(10));
	expect_breath(&heard[1], 0, PACE_INHALE, 4);
	expect_breath(&heard[2], 4, PACE_HOLD_FULL, 7);
	expect_fade(&heard[3], 10, 28);
	assert_int_equal(heard[3].step, p.nsteps); /* the timeline's sleep fade */
	expect_breath(&heard[4], 11, PACE_EXHALE, 8);
	expect_breath(&heard[5], 19, PACE_INHALE, 4);
	expect_breath(&heard[6], 23, PACE_HOLD_FULL, 7);
	expect_breath(&heard[7], 30, PACE_EXHALE, 8);
}

static void four78_without_a_bed_keeps_its_fades(void **state)
{
	struct step st[4];
	struct program p = four78(st);
	size_t n = plan_of(&p, cfg(false, true, NULL, 0));
	assert_int_equal(n, 8);
	expect_fade(&heard[0], 0, 150);
	expect(&heard[1], SP_EV_BREATH, 0);
	expect_fade(&heard[2], 0, 38); /* the timeline's: after the step's own events */
}

/* sound rain 50% fade 10s; guide 5; chime bowl; guide 15; chime;
 * breathe 4-0-6-0 x2; volume 30% fade 2s; fadeout 5s; silence 10 */
static struct program guided(struct step *st)
{
	size_t n = 0;
	st[n++] = sound(SOUND_LAYER_ON, "rain", 0.5f, 10);
	st[n++] = guide("Raise your shoulders", 5);
	st[n++] = chime("bowl");
	st[n++] = guide("Let them drop", 15);
	st[n++] = chime(NULL);
	st[n++] = say("Breathe into your belly");
	st[n++] = breathe(4, 0, 6, 0, 2, 0);
	st[n++] = sound(SOUND_VOLUME, NULL, 0.3f, 2);
	st[n++] = sound(SOUND_FADE_OUT, NULL, 0, 5);
	st[n++] = silence(10);
	return make(st, n, TAG_TENSION);
}

static void guided_program_chimes_and_sound_words(void **state)
{
	struct step st[12];
	struct program p = guided(st);
	/* Names point into the program: it is still here. */
	size_t n = plan_of(&p, cfg(false, true, NULL, 0));
	assert_int_equal(n, 9);
	expect(&heard[0], SP_EV_LAYER_ON, 0);
	assert_string_equal(heard[0].name, "rain");
	assert_true(heard[0].volume == 0.5f);
	assert_int_equal(heard[0].fade, S(10));
	assert_int_equal(heard[0].step, 0);
	expect(&heard[1], SP_EV_CUE, 5);
	assert_string_equal(heard[1].name, "bowl");
	expect(&heard[2], SP_EV_CUE, 20);
	assert_null(heard[2].name); /* the default chime */
	expect_breath(&heard[3], 20, PACE_INHALE, 4); /* the chime word first: its place */
	expect_breath(&heard[4], 24, PACE_EXHALE, 6);
	expect_breath(&heard[5], 30, PACE_INHALE, 4);
	expect_breath(&heard[6], 34, PACE_EXHALE, 6);
	expect(&heard[7], SP_EV_VOLUME, 40);
	assert_true(heard[7].volume == 0.3f);
	assert_int_equal(heard[7].fade, S(2));
	/* The program fades itself out: no closing fade of the plan's own. */
	expect_fade(&heard[8], 40, 5);
	assert_int_equal(heard[8].step, 8);
}

/* A bed from the settings under the guided program: it rises with the
 * program's own, and a closing fall comes only when something still sounds. */
static void closing_fade_only_when_something_sounds(void **state)
{
	struct step st[12];
	struct program p = guided(st);
	size_t n = plan_of(&p, cfg(false, false, "brown", 0.3f));
	assert_int_equal(n, 6);
	expect(&heard[0], SP_EV_LAYER_ON, 0); /* brown, the plan's */
	assert_int_equal(heard[0].step, p.nsteps);
	expect(&heard[1], SP_EV_LAYER_ON, 0); /* rain, the program's, after it */
	assert_int_equal(heard[1].step, 0);
	expect(&heard[4], SP_EV_VOLUME, 40);
	expect_fade(&heard[5], 40, 5);

	p.nsteps -= 2; /* no fadeout: the layers sound to the end */
	st[p.nsteps - 1] = silence(10);
	n = plan_of(&p, cfg(false, false, "brown", 0.3f));
	assert_int_equal(n, 5);
	expect(&heard[3], SP_EV_CUE, 20);
	expect_fade(&heard[4], 40, 10); /* the last 10 s of 50 */
}

static void sleep_program_fades_over_its_last_minute(void **state)
{
	struct step st[] = { breathe(4, 0, 6, 0, 20, 0) };
	struct program p = make(st, 1, TAG_BREATHING | TAG_SLEEP);
	size_t n = plan_of(&p, cfg(false, false, "rain", 0.6f));
	/* Cues and follow off: no breath events at all (nothing to wake for). */
	assert_int_equal(n, 2);
	expect(&heard[0], SP_EV_LAYER_ON, 0);
	expect_fade(&heard[1], 140, 60);
}

static void follow_alone_keeps_the_breaths(void **state)
{
	struct step st[] = { breathe(4, 0, 6, 0, 1, 0) };
	struct program p = make(st, 1, TAG_BREATHING);
	size_t n = plan_of(&p, cfg(false, true, NULL, 0));
	assert_int_equal(n, 2);
	expect_breath(&heard[0], 0, PACE_INHALE, 4);
	expect_breath(&heard[1], 4, PACE_EXHALE, 6);
}

static void no_length_no_bed(void **state)
{
	struct step st[] = { chime(NULL) };
	struct program p = make(st, 1, 0);
	size_t n = plan_of(&p, cfg(true, false, "rain", 0.6f));
	assert_int_equal(n, 1);
	expect(&heard[0], SP_EV_CUE, 0);
}

/* --- the tones ------------------------------------------------------------ */

static void expect_tone(const struct sp_event *e, double at, const char *name, double level)
{
	expect_cue(e, at, name, level);
	assert_true(e->tone);
}

/* Each guided step begins with the step tone, each breath phase with its
 * own; the program's chimes ring besides; a silence is a step too. */
static void tones_mark_each_step_and_phase(void **state)
{
	struct step st[12];
	struct program p = guided(st);
	size_t n = plan_of(&p, cfg(true, false, NULL, 0));
	assert_int_equal(n, 12);
	expect(&heard[0], SP_EV_LAYER_ON, 0);
	expect_tone(&heard[1], 0, "step", 1);
	expect_cue(&heard[2], 5, "bowl", 1);
	assert_false(heard[2].tone);
	expect_tone(&heard[3], 5, "step", 1);
	expect_cue(&heard[4], 20, NULL, 1); /* the program's bare chime */
	assert_false(heard[4].tone);
	expect_tone(&heard[5], 20, "inhale", 1);
	expect_tone(&heard[6], 24, "exhale", 1);
	expect_tone(&heard[7], 30, "inhale", 1);
	expect_tone(&heard[8], 34, "exhale", 1);
	expect(&heard[9], SP_EV_VOLUME, 40);
	expect_fade(&heard[10], 40, 5);
	expect_tone(&heard[11], 40, "step", 1); /* as the fade begins: still whole */

	/* The chime style: the same moments, each the default chime. */
	struct soundplan_cfg c = cfg(true, false, NULL, 0);
	c.cue_style = SOUNDPLAN_CHIME;
	assert_int_equal(plan_of(&p, c), 12);
	static const double at[] = { 0, 5, 20, 24, 30, 34, 40 };
	size_t k = 0;
	for (size_t i = 0; i < 12; i++)
		if (heard[i].kind == SP_EV_CUE && heard[i].tone)
			expect_cue(&heard[i], at[k++], NULL, 1);
	assert_int_equal(k, 7);

	/* Without the program's chimes (the user said no cues): the tones go
	 * too, so nothing rings at all. */
	c = cfg(false, false, NULL, 0);
	c.chimes = false;
	n = plan_of(&p, c);
	for (size_t i = 0; i < n; i++)
		assert_int_not_equal(heard[i].kind, SP_EV_CUE);
}

/* A guided step that paces a breath begins with the step tone alone; its
 * later phases have their tones. */
static void a_paced_step_begins_with_the_step_tone(void **state)
{
	struct step st[2] = { guide("Tense", 5), guide("Release", 8) };
	st[1].u.guide.has_breath_cue = true;
	st[1].u.guide.cue = (struct pace_pattern){ { 2, 0, 2, 0 } };
	struct program p = make(st, 2, TAG_TENSION);
	size_t n = plan_of(&p, cfg(true, false, NULL, 0));
	assert_int_equal(n, 5);
	expect_tone(&heard[0], 0, "step", 1);
	expect_tone(&heard[1], 5, "step", 1);
	expect_tone(&heard[2], 7, "exhale", 1);
	expect_tone(&heard[3], 9, "inhale", 1);
	expect_tone(&heard[4], 11, "exhale", 1);
}

/* The level a fade from `from` to `to` over [at, at + len] leaves at t,
 * along the engine's equal-power curve. */
static double faded(double from, double to, double at, double len, double t)
{
	double u = t <= at ? 0 : t >= at + len ? 1 : (t - at) / len;
	double wo = cos(M_PI / 2 * u), wi = sin(M_PI / 2 * u);
	return sqrt(from * from * wo * wo + to * to * wi * wi);
}

/* The tones follow the bed's fades, along the same curve from the same
 * moments: down with a fade-out (none at all once faded away, or faded
 * more than 10 dB), up again with a layer coming on. The program's chime
 * rings as written. Before, every cue rang at full level to the end. */
static void tones_follow_the_fades(void **state)
{
	/* box with a bed: the closing fall (24 s over 8) takes the last. */
	struct step box[] = { breathe(4, 4, 4, 4, 2, 0) };
	struct program p = make(box, 1, TAG_BREATHING);
	assert_int_equal(plan_of(&p, cfg(true, false, "rain", 0.5f)), 10);
	expect_tone(&heard[7], 24, "exhale", 1);
	expect_fade(&heard[8], 24, 8);
	expect_tone(&heard[9], 28, "hold", faded(1, 0, 24, 8, 28));

	/* Out over 2 s at 8 s, back in over 4 s at 16 s, the closing fall over
	 * the last 10 s of 56; a chime in the silence. */
	struct step st[] = {
		breathe(2, 0, 2, 0, 2, 0), sound(SOUND_FADE_OUT, NULL, 0, 2), breathe(2, 0, 2, 0, 2, 0),
		chime("bowl"), sound(SOUND_LAYER_ON, "rain", 0.5f, 4), breathe(2, 0, 2, 0, 10, 0),
	};
	p = make(st, sizeof st / sizeof st[0], TAG_BREATHING);
	for (int no_bed = 0; no_bed < 2; no_bed++) {
		struct soundplan_cfg c = cfg(true, false, NULL, 0);
		c.no_bed = no_bed;
		size_t n = plan_of(&p, c);
		double last = -1;
		size_t tones = 0;
		for (size_t i = 0; i < n; i++) {
			const struct sp_event *e = &heard[i];
			double t = (double)e->at / PACE_US_PER_S;
			if (e->kind == SP_EV_LAYER_ON)
				assert_false(no_bed); /* left out, and its fade still counts */
			if (e->kind != SP_EV_CUE)
				continue;
			if (!e->tone) {
				expect_cue(e, 16, "bowl", 1); /* in the silence: as written */
				continue;
			}
			double want = t < 8 ? 1 : t < 16 ? faded(1, 0, 8, 2, t) : t < 46 ? faded(0, 1, 16, 4, t)
				    : faded(1, 0, 46, 10, t);
			expect_tone(e, t, e->name, want);
			assert_true(want >= pow(10, SOUNDPLAN_CUE_FLOOR_DB / 20));
			assert_true(t > last);
			last = t;
			tones++;
		}
		/* 28 phases: 10, 12, 14, 16 (silent) and 54 (-11 dB) are left out. */
		assert_int_equal(tones, 28 - 5);
		assert_true(last == 52);
	}
}

/* The sleep program as built in: the bed fades over the whole of it, and
 * the tones with it, none in the last two minutes (before, about 110 rang
 * at full level to the end). */
static void a_sleep_program_ends_in_silence(void **state)
{
	struct step st[] = { sound(SOUND_FADE_OUT, NULL, 0, 600), breathe(4, 0, 6, 0, 0, 600) };
	st[1].u.breathe.to = (struct pace_pattern){ { 4, 0, 8, 0 } };
	st[1].u.breathe.ramp = true;
	struct program p = make(st, 2, TAG_BREATHING | TAG_SLEEP);
	struct timeline *tl = timeline_new(&p, NULL, 0);
	double total = (double)timeline_total(tl) / PACE_US_PER_S;
	timeline_free(tl);
	for (int bed = 0; bed < 2; bed++) {
		size_t n = plan_of(&p, cfg(true, false, bed ? "rain" : NULL, 0.6f));
		double last = -1, prev_level = 2;
		size_t tones = 0;
		for (size_t i = 0; i < n; i++) {
			if (heard[i].kind != SP_EV_CUE)
				continue;
			last = (double)heard[i].at / PACE_US_PER_S;
			assert_true(heard[i].volume <= prev_level + 1e-6); /* never louder */
			prev_level = heard[i].volume;
			tones++;
		}
		print_message("sleep (%s bed): %zu tones, the last at %.0f s of %.0f, at %.1f dB\n",
			      bed ? "a" : "no", tones, last, total, 20 * log10(prev_level));
		assert_true(tones > 60);
		assert_true(last < total - 120);
	}
}

/* --- the cursor ---------------------------------------------------------- */

static void cursor_across_boundaries(void **state)
{
	struct step st[] = { breathe(4, 4, 4, 4, 2, 0) };
	struct program p = make(st, 1, TAG_BREATHING);
	struct soundplan_cfg c = cfg(false, true, "rain", 0.5f);
	struct timeline *tl = timeline_new(&p, NULL, 0);
	struct soundplan *sp = soundplan_new(tl, &c);
	memset(c.layers[0].name, 0, sizeof c.layers[0].name); /* the plan keeps its own copy */
	struct sp_event e[4];
	size_t cursor = 0;
	/* Before 0: nothing yet; the first event is due at 0. */
	assert_int_equal(soundplan_events(sp, &cursor, -1, e, 4), 0);
	assert_int_equal(soundplan_event_time(sp, cursor), 0);
	/* At 0: both events at 0 (an event at t1 is included). */
	assert_int_equal(soundplan_events(sp, &cursor, 0, e, 4), 2);
	assert_int_equal(e[0].kind, SP_EV_LAYER_ON);
	assert_string_equal(e[0].name, "rain");
	assert_int_equal(e[1].kind, SP_EV_BREATH);
	assert_int_equal(soundplan_event_time(sp, cursor), S(4));
	/* One microsecond short of the next: nothing. */
	assert_int_equal(soundplan_events(sp, &cursor, S(4) - 1, e, 4), 0);
	/* max 1 hands them out one at a time. */
	assert_int_equal(soundplan_events(sp, &cursor, S(24), e, 1), 1);
	assert_int_equal(e[0].at, S(4));
	size_t got = 0;
	while (soundplan_events(sp, &cursor, S(24), e, 1) == 1)
		got++;
	assert_int_equal(got, 6); /* 8, 12, 16, 20, 24 and the fall at 24 */
	assert_int_equal(e[0].kind, SP_EV_FADE_OUT);
	assert_int_equal(soundplan_event_time(sp, cursor), S(28));
	assert_int_equal(soundplan_events(sp, &cursor, INT64_MAX, e, 4), 1);
	assert_int_equal(soundplan_event_time(sp, cursor), INT64_MAX);
	assert_int_equal(soundplan_events(sp, &cursor, INT64_MAX, e, 4), 0);
	/* Skipping what is past: the first event after t. */
	assert_int_equal(soundplan_event_cursor(sp, -1), 0);
	assert_int_equal(soundplan_event_cursor(sp, 0), 2);
	assert_int_equal(soundplan_event_cursor(sp, S(24) - 1), 7);
	assert_int_equal(soundplan_event_cursor(sp, S(24)), 9);
	assert_int_equal(soundplan_event_cursor(sp, S(100)), 10);
	assert_int_equal(soundplan_event_time(sp, soundplan_event_cursor(sp, S(5))), S(8));
	soundplan_free(sp);
	timeline_free(tl);
}

/* --- settings and options into a session's sound -------------------------- */

static void volume_zero_is_silent_in_both_commands(void **state)
{
	struct settings set;
	settings_defaults(&set);
	set.volume = 0;
	struct step st[] = { breathe(4, 4, 4, 4, 1, 0) };
	struct program p = make(st, 1, TAG_BREATHING);
	struct sessionopts start = { 0 }, render = { 0 };
	struct soundplan_cfg a, b;
	sessionopts_sound_cfg(&start, &set, &p, &a);
	sessionopts_sound_cfg(&render, &set, &p, &b);
	/* render used to take 0 for "unset" and play at 0.6. */
	assert_true(a.volume == 0.0f);
	assert_true(b.volume == 0.0f);
	set.volume = 60;
	sessionopts_sound_cfg(&render, &set, &p, &b);
	assert_true(b.volume == 0.6f);
	/* The volume is where the engine starts, not an event: the plan at
	 * volume 0 is the plan at 0.6 (the + key can still raise it). */
	struct sp_event e0[16];
	size_t n0 = plan_of(&p, a);
	memcpy(e0, heard, sizeof e0);
	assert_int_equal(plan_of(&p, b), n0);
	for (size_t i = 0; i < n0; i++) {
		assert_int_equal(heard[i].kind, e0[i].kind);
		assert_int_equal(heard[i].at, e0[i].at);
	}
}

static void cues_follow_and_layers_from_settings_and_options(void **state)
{
	struct settings set;
	settings_defaults(&set);
	struct step st[] = { breathe(4, 4, 4, 4, 1, 0) };
	struct program p = make(st, 1, TAG_BREATHING);
	struct sessionopts o = { 0 };
	struct soundplan_cfg c;

	assert_false(c.follow);
	p.follow = true;
	sessionopts_sound_cfg(&o, &set, &p, &c);
	assert_true(c.follow);

	str_copy(set.sounds, "rain:0.3, brown", sizeof set.sounds);
	sessionopts_sound_cfg(&o, &set, &p, &c);
	assert_int_equal(c.nlayers, 2);
	assert_string_equal(c.layers[0].name, "rain");
	assert_true(c.layers[0].volume == 0.3f);
	assert_string_equal(c.layers[1].name, "brown");
	assert_true(c.layers[1].volume == 0.6f);
	/* --sound replaces the settings' list. */
	assert_int_equal(CAPTURE(sessionopts_sound(&o, "start", "ocean:0.1")), 0);
	sessionopts_sound_cfg(&o, &set, &p, &c);
	assert_int_equal(c.nlayers, 1);
	assert_string_equal(c.layers[0].name, "ocean");
	assert_false(c.no_bed);
	/* --sound none: no bed at all, and it goes alone. */
	assert_int_equal(CAPTURE(sessionopts_sound(&o, "render", "none")), 2);
	assert_string_equal(last_usage, "--sound none goes alone: no ambient sound at all");
	struct sessionopts none = { 0 };
	assert_int_equal(CAPTURE(sessionopts_sound(&none, "render", "none")), 0);
	assert_int_equal(CAPTURE(sessionopts_sound(&none, "render", "rain")), 2);
	sessionopts_sound_cfg(&none, &set, &p, &c);
	assert_true(c.no_bed);
	assert_int_equal(c.nlayers, 0); /* the settings' rain and brown are not heard */
	/* Nor the program's own sound words; the cues still follow their fades. */
	struct step st2[12];
	struct program g = guided(st2);
	c.tones = true;
	size_t n = plan_of(&g, c);
	size_t cues = 0, fades = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(heard[i].kind != SP_EV_LAYER_ON && heard[i].kind != SP_EV_LAYER_OFF);
		cues += heard[i].kind == SP_EV_CUE;
		fades += heard[i].kind == SP_EV_FADE_OUT;
	}
	assert_int_equal(cues, 9);
	assert_int_equal(fades, 1);
}

/* The cues, every combination of the command line (--cues, --no-cues or
 * neither), the setting (yes, no, not set) and the program's word (`chime
 * off`, or nothing): the person's explicit word wins, the command line's
 * over the setting's; said nothing, the program decides. The program's own
 * chime steps ring unless the person said no. Before, the setting (yes by
 * default) was OR-ed with the program's word: `chime off` in sleep,
 * bodyscan and flare did nothing. */
static void cues_the_persons_word_wins(void **state)
{
	static const struct {
		int option;    /* CUES_UNSAID, CUES_ON, CUES_OFF */
		int setting;   /* -1 not set, 0 no, 1 yes */
		bool chime_off; /* the program says `chime off` */
		bool tones, chimes;
	} rows[] = {
		{ CUES_UNSAID, -1, false, true, true },  /* nobody says anything: on */
		{ CUES_UNSAID, -1, true, false, true },  /* sleep as built in: off, its chimes ring */
		{ CUES_UNSAID, 1, false, true, true },
		{ CUES_UNSAID, 1, true, true, true },    /* cues = yes beats chime off */
		{ CUES_UNSAID, 0, false, false, false }, /* cues = no: nothing rings */
		{ CUES_UNSAID, 0, true, false, false },
		{ CUES_ON, -1, false, true, true },
		{ CUES_ON, -1, true, true, true },       /* --cues beats chime off */
		{ CUES_ON, 0, false, true, true },       /* --cues beats cues = no */
		{ CUES_ON, 0, true, true, true },
		{ CUES_ON, 1, true, true, true },
		{ CUES_OFF, -1, false, false, false },   /* --no-cues: nothing rings */
		{ CUES_OFF, -1, true, false, false },
		{ CUES_OFF, 1, false, false, false },    /* --no-cues beats cues = yes */
		{ CUES_OFF, 1, true, false, false },
		{ CUES_OFF, 0, false, false, false },
	};
	struct step st[] = { breathe(4, 0, 6, 0, 1, 0), chime("bowl"), guide("Rest", 5) };
	struct program p = make(st, 3, TAG_BREATHING);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct settings set;
		settings_defaults(&set);
		set.cues = rows[i].setting;
		struct sessionopts o = { .cues = rows[i].option };
		p.chime_off = rows[i].chime_off;
		struct soundplan_cfg c;
		sessionopts_sound_cfg(&o, &set, &p, &c);
		if (c.tones != rows[i].tones || c.chimes != rows[i].chimes)
			fail_msg("row %zu: tones %d chimes %d, expected %d %d", i, c.tones, c.chimes, rows[i].tones,
				 rows[i].chimes);
		/* And as heard: the two phases and the step, the bowl. */
		size_t n = plan_of(&p, c), tones = 0, chimes = 0;
		for (size_t k = 0; k < n; k++)
			if (heard[k].kind == SP_EV_CUE)
				heard[k].tone ? tones++ : chimes++;
		assert_int_equal(tones, rows[i].tones ? 3 : 0);
		assert_int_equal(chimes, rows[i].chimes ? 1 : 0);
	}
	/* cue_style = chime: the chime for every tone. */
	struct settings set;
	settings_defaults(&set);
	set.cue_style = CUE_STYLE_CHIME;
	struct sessionopts o = { 0 };
	struct soundplan_cfg c;
	p.chime_off = false;
	sessionopts_sound_cfg(&o, &set, &p, &c);
	assert_int_equal(c.cue_style, SOUNDPLAN_CHIME);
	settings_defaults(&set);
	sessionopts_sound_cfg(&o, &set, &p, &c);
	assert_int_equal(c.cue_style, SOUNDPLAN_TONES);
}

static void one_layer_list_parser(void **state)
{
	struct soundplan_layer l[SOUNDPLAN_MAX_LAYERS];
	assert_int_equal(soundpath_parse_layers("", l, 8), 0);
	assert_int_equal(soundpath_parse_layers(" , ", l, 8), 0);
	assert_int_equal(soundpath_parse_layers("rain:0.6,brown", l, 8), 2);
	assert_string_equal(l[1].name, "brown");
	/* An item that does not parse is left out; the rest play. */
	assert_int_equal(soundpath_parse_layers("rain:7, brown:0.2 wind", l, 8), 2);
	assert_string_equal(l[0].name, "brown");
	assert_true(l[0].volume == 0.2f);
	assert_string_equal(l[1].name, "wind");
	assert_int_equal(soundpath_parse_layers("a,b,c,d,e,f,g,h,i,j", l, 8), 8);
	assert_string_equal(l[7].name, "h");
	/* A volume is digits and a point, 0 to 1, nothing else: strtod took
	 * blanks and tabs before it (fuzz_settings found "00:\t\t0" kept with
	 * its tabs), a sign, an exponent, hex and "inf". */
	float v = -1;
	static const char *const good[] = { "0", "1", "0.6", ".25", "1.", "1.000", "00.5" };
	static const float want[] = { 0, 1, 0.6f, 0.25f, 1, 1, 0.5f };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_true(soundpath_parse_volume(good[i], &v));
		assert_true(fabsf(v - want[i]) < 1e-6f);
	}
	static const char *const bad[] = { "", ".", "\t0", " 0.5", "0.5 ", "+0.5", "-0", "5e-1",
					   "0x.8", "inf", "nan", "1.0001", "2", "0..5", "0,5" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (soundpath_parse_volume(bad[i], &v))
			fail_msg("volume '%s' taken", bad[i]);
	}
	assert_int_equal(soundpath_parse_layers("rain:\t0", l, 8), 0);
	char lname[64];
	assert_false(soundpath_parse_layer("rain:\n1", lname, sizeof lname, &v));
	/* The name a layer carries to the engine: up to 63 bytes, in both
	 * commands (start used to stop at 31). */
	char name[80];
	memset(name, 'x', 63);
	name[63] = '\0';
	assert_int_equal(soundpath_parse_layers(name, l, 8), 1);
	name[63] = 'x';
	name[64] = '\0';
	assert_int_equal(soundpath_parse_layers(name, l, 8), 0);
}

static void length_options_one_rule_one_wording(void **state)
{
	static const char *const cmds[] = { "start", "render" };
	for (int k = 0; k < 2; k++) {
		struct sessionopts o = { 0 };
		/* render used to stop at 100000 ("from 1, not ..."). */
		assert_int_equal(CAPTURE(sessionopts_cycles(&o, cmds[k], "150000")), 0);
		assert_int_equal(o.cycles, 150000);
		assert_int_equal(CAPTURE(sessionopts_cycles(&o, cmds[k], "200000")), 0);
		static const char *const bad[] = { "0", "200001", "-1", "", "3x", "99999999999999999999" };
		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			assert_int_equal(CAPTURE(sessionopts_cycles(&o, cmds[k], bad[i])), 2);
			char want[128];
			snprintf(want, sizeof want, "--cycles wants a whole number from 1 to 200000, not '%s'", bad[i]);
			assert_string_equal(last_usage, want);
		}
		assert_int_equal(CAPTURE(sessionopts_minutes(&o, cmds[k], "1440")), 0);
		assert_int_equal(CAPTURE(sessionopts_minutes(&o, cmds[k], "1441")), 2);
		assert_string_equal(last_usage, "--minutes wants a number of minutes up to 1440, not '1441'");
		assert_int_equal(CAPTURE(sessionopts_minutes(&o, cmds[k], "0")), 2);
		/* cycles and minutes both set */
		assert_int_equal(CAPTURE(sessionopts_check(&o, cmds[k])), 2);
		assert_string_equal(last_usage, "use --cycles or --minutes, not both");
		for (int i = 0; i < SOUNDPLAN_MAX_LAYERS; i++)
			assert_int_equal(CAPTURE(sessionopts_sound(&o, cmds[k], "rain")), 0);
		assert_int_equal(CAPTURE(sessionopts_sound(&o, cmds[k], "rain")), 2);
		assert_string_equal(last_usage, "at most 8 --sound layers");
		o.nlayers = 0;
		assert_int_equal(CAPTURE(sessionopts_sound(&o, cmds[k], ":0.5")), 2);
		assert_string_equal(last_usage, "--sound wants NAME or NAME:VOLUME (0..1), not ':0.5'");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fades_are_ten_seconds_or_a_share_of_short_sessions),
		cmocka_unit_test(box_sounds_each_phase),
		cmocka_unit_test(box_with_a_bed_rises_and_falls),
		cmocka_unit_test(four78_fades_out_after_the_bed_has_risen),
		cmocka_unit_test(four78_without_a_bed_keeps_its_fades),
		cmocka_unit_test(guided_program_chimes_and_sound_words),
		cmocka_unit_test(closing_fade_only_when_something_sounds),
		cmocka_unit_test(sleep_program_fades_over_its_last_minute),
		cmocka_unit_test(follow_alone_keeps_the_breaths),
		cmocka_unit_test(no_length_no_bed),
		cmocka_unit_test(tones_mark_each_step_and_phase),
		cmocka_unit_test(a_paced_step_begins_with_the_step_tone),
		cmocka_unit_test(tones_follow_the_fades),
		cmocka_unit_test(a_sleep_program_ends_in_silence),
		cmocka_unit_test(cursor_across_boundaries),
		cmocka_unit_test(volume_zero_is_silent_in_both_commands),
		cmocka_unit_test(cues_follow_and_layers_from_settings_and_options),
		cmocka_unit_test(cues_the_persons_word_wins),
		cmocka_unit_test(one_layer_list_parser),
		cmocka_unit_test(length_options_one_rule_one_wording),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
