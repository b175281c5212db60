/* SPDX-License-Identifier: ISC */
/* The engine without a thread or device, sample-exact: the breath swell,
 * crossfade on a change of sound, fade-out to idle, cues at their level and
 * a breath that rings nothing (which cue rings is the sound plan's), pause
 * freezing time, the volume keys' bounds, a 44.1 kHz mono layer in a 48 kHz
 * stereo mix; marks put back mix the same frames again. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "feed.h"
#include "fixture.h"
#include "mixer.h"
#include "pace.h"
#include "util.h"

#define RATE 48000

static int setup(void **state)
{
	const char *h = fx_home();
	char *p = xasprintf("%s/data/lull/sounds/a.wav", h);
	assert_int_equal(fx_write_tone(p, RATE, 2, 5, 100, 0.5), 0);
	free(p);
	p = xasprintf("%s/data/lull/sounds/b.wav", h);
	assert_int_equal(fx_write_tone(p, 44100, 1, 5, 150, 0.5), 0); /* other rate, mono */
	free(p);
	p = xasprintf("%s/data/lull/sounds/chime.wav", h);
	assert_int_equal(fx_write_tone(p, RATE, 1, 0.05, 2000, 0.3), 0);
	free(p);
	return 0;
}

static int teardown(void **state)
{
	fx_home_remove();
	return 0;
}

static struct audio_cmd cmd(enum audio_cmd_kind k, const char *name, float v, double fade)
{
	struct audio_cmd c = { .kind = k, .value = v, .fade_s = fade };
	if (name)
		str_copy(c.name, name, sizeof c.name);
	return c;
}

/* Renders `s` seconds and returns the left channel (caller frees). */
static float *run(struct engine *e, double s, long *n)
{
	*n = (long)(s * RATE);
	float *st = malloc(sizeof(float) * 2 * (size_t)*n), *l = malloc(sizeof(float) * (size_t)*n);
	engine_render(e, st, *n);
	for (long i = 0; i < *n; i++)
		l[i] = st[2 * i];
	free(st);
	return l;
}

/* RMS over 10 ms windows at t (100 Hz: one period). */
static double env(const float *x, double t)
{
	return fx_rms(x, (long)(t * RATE), 480);
}

static void test_swell_follows_breath(void **state)
{
	struct engine_cfg cfg = { .rate = RATE, .channels = 2, .volume = 1, .follow = true };
	struct engine *e = engine_new(&cfg);
	struct audio_cmd c = cmd(ACMD_LAYER_ON, "a", 0.5f, 0);
	engine_apply(e, &c);
	long n;
	float *x = run(e, 0.2, &n);
	double low = env(x, 0.1);
	free(x);
	c = (struct audio_cmd){ .kind = ACMD_BREATH, .phase = PACE_INHALE, .fade_s = 1 };
	engine_apply(e, &c);
	x = run(e, 1.2, &n);
	/* Rising over the inhale, monotone, to the full level. */
	double prev = 0;
	for (double t = 0; t < 1.0; t += 0.05) {
		assert_true(env(x, t) >= prev - 1e-3);
		prev = env(x, t);
	}
	double high = env(x, 1.1);
	free(x);
	assert_true(fabs(high - 0.5 * 0.5 / M_SQRT2) < 0.01);
	assert_true(fabs(low / high - ENGINE_SWELL_LOW) < 0.01);
	c.phase = PACE_EXHALE;
	engine_apply(e, &c);
	x = run(e, 1.2, &n);
	assert_true(fabs(env(x, 1.1) / high - ENGINE_SWELL_LOW) < 0.01);
	assert_true(env(x, 0.5) < high && env(x, 0.5) > env(x, 1.1));
	free(x);
	engine_free(e);
}

static void test_crossfade_and_fade_out(void **state)
{
	struct engine_cfg cfg = { .rate = RATE, .channels = 2, .volume = 1 };
	struct engine *e = engine_new(&cfg);
	struct audio_cmd c = cmd(ACMD_LAYER_ON, "a", 0.5f, 0);
	engine_apply(e, &c);
	long n;
	free(run(e, 0.5, &n));
	/* A change of sound: a out, b in, over 1 s: power stays near constant
	 * (uncorrelated tones: equal-power curves sum to constant power). */
	c = cmd(ACMD_LAYER_OFF, "a", 0, 1);
	engine_apply(e, &c);
	c = cmd(ACMD_LAYER_ON, "b", 0.5f, 1);
	engine_apply(e, &c);
	{
		float *x = run(e, 1.5, &n);
		double ref = 0.5 * 0.5 / M_SQRT2;
		for (double t = 0.05; t < 1.4; t += 0.1) {
			double r = fx_rms(x, (long)(t * RATE), 4800); /* 100 ms: both tones whole */
			assert_true(fabs(20 * log10(r / ref)) < 0.5);
		}
		/* b is a 44.1 kHz mono file: after the fade it is a clean 150 Hz. */
		int rises = 0;
		for (long i = (long)(1.1 * RATE); i < (long)(1.4 * RATE); i++)
			if (x[i - 1] < 0 && x[i] >= 0)
				rises++;
		assert_true(rises >= 44 && rises <= 46);
		free(x);
	}
	assert_false(engine_idle(e));
	c = cmd(ACMD_FADE_OUT, NULL, 0, 0.5);
	engine_apply(e, &c);
	float *x = run(e, 0.6, &n);
	assert_true(fx_rms(x, n - 480, 480) < 1e-6);
	free(x);
	assert_true(engine_idle(e)); /* faded layers are closed */
	engine_free(e);
}

static void test_cues_and_keys(void **state)
{
	struct engine_cfg cfg = { .rate = RATE, .channels = 2, .volume = 0.95f };
	struct engine *e = engine_new(&cfg);
	struct audio_cmd c = cmd(ACMD_CUE, NULL, 1, 0);
	engine_apply(e, &c);
	long n;
	float *x = run(e, 0.1, &n);
	/* The chime starts in the very first frames after the command. */
	long on[2];
	assert_int_equal(fx_onsets(x, n, RATE, 0.02f, 0.01, on, 2), 1);
	assert_true(on[0] < 48);
	double full = fx_rms(x, on[0] + 48, 960);
	free(x);
	/* At the level the plan gives it: half is half, 0 is silent. */
	c.value = 0.5f;
	engine_apply(e, &c);
	x = run(e, 0.1, &n);
	assert_true(fabs(fx_rms(x, on[0] + 48, 960) - 0.5 * full) < 0.01 * full);
	free(x);
	c.value = 0;
	engine_apply(e, &c);
	x = run(e, 0.1, &n);
	assert_true(fx_rms(x, 0, n) == 0);
	free(x);
	/* Volume keys stop at 1 and 0; mute toggles. */
	c = cmd(ACMD_VOLUME_STEP, NULL, 1, 0);
	engine_apply(e, &c);
	engine_apply(e, &c);
	assert_true(engine_volume(e) == 1.0f);
	c.value = -1;
	for (int i = 0; i < 12; i++)
		engine_apply(e, &c);
	assert_true(engine_volume(e) == 0.0f);
	c = cmd(ACMD_MUTE, NULL, 0, 0);
	engine_apply(e, &c);
	assert_true(engine_muted(e));
	engine_free(e);

	/* A breath rings nothing: which cue a phase has is the plan's choice. */
	e = engine_new(&cfg);
	c = (struct audio_cmd){ .kind = ACMD_BREATH, .phase = PACE_EXHALE, .fade_s = 4 };
	engine_apply(e, &c);
	x = run(e, 0.1, &n);
	assert_true(fx_rms(x, 0, n) == 0);
	free(x);
	engine_free(e);
}

static void test_pause_freezes(void **state)
{
	struct engine_cfg cfg = { .rate = RATE, .channels = 2, .volume = 1 };
	struct engine *e = engine_new(&cfg);
	struct audio_cmd c = cmd(ACMD_LAYER_ON, "a", 0.5f, 0);
	engine_apply(e, &c);
	long n;
	free(run(e, 0.25, &n));
	c = cmd(ACMD_PAUSE, NULL, 1, 0);
	engine_apply(e, &c);
	float *x = run(e, 1.0, &n);
	/* Quick fade, monotone down, then silence. */
	assert_true(env(x, 0.0) > env(x, 0.07) && env(x, 0.07) > env(x, 0.13));
	assert_true(fx_rms(x, (long)(0.2 * RATE), (long)(0.8 * RATE)) == 0);
	free(x);
	c.value = 0;
	engine_apply(e, &c);
	x = run(e, 1.0, &n);
	assert_true(env(x, 0.9) > 0.17);
	free(x);
	engine_free(e);
}

static void test_bad_layer_message(void **state)
{
	struct engine_cfg cfg = { .rate = RATE, .channels = 2, .volume = 1 };
	struct engine *e = engine_new(&cfg);
	char msg[160];
	assert_false(engine_take_message(e, msg, sizeof msg));
	struct audio_cmd c = cmd(ACMD_LAYER_ON, "nothing-here", 0.5f, 0);
	engine_apply(e, &c);
	assert_true(engine_take_message(e, msg, sizeof msg));
	assert_string_equal(msg, "nothing-here: no such sound");
	assert_false(engine_take_message(e, msg, sizeof msg));
	c = cmd(ACMD_CUE, "nothing-either", 0, 0);
	engine_apply(e, &c);
	assert_true(engine_take_message(e, msg, sizeof msg));
	assert_true(engine_idle(e));
	engine_free(e);
}

/* The audio thread's engine opens and decodes nothing: it says which sound
 * a command wants, plays what it is given, and a sound it was not given is
 * said, not loaded. */
static void test_given_sounds_only(void **state)
{
	struct engine_cfg cfg = { .rate = RATE, .channels = 2, .volume = 1, .no_loading = true };
	struct engine *e = engine_new(&cfg);
	enum engine_sound_kind kind;
	struct audio_cmd breath = { .kind = ACMD_BREATH, .phase = PACE_INHALE, .fade_s = 4 };
	assert_null(engine_sound_needed(e, &breath, &kind)); /* a breath plays no sound */
	struct audio_cmd chime = cmd(ACMD_CUE, "", 1, 0);
	assert_string_equal(engine_sound_needed(e, &chime, &kind), "chime");
	assert_int_equal(kind, ENGINE_CUE);
	struct audio_cmd on = cmd(ACMD_LAYER_ON, "a", 0.5f, 0);
	assert_string_equal(engine_sound_needed(e, &on, &kind), "a");
	assert_int_equal(kind, ENGINE_LAYER);
	struct audio_cmd vol = cmd(ACMD_VOLUME, NULL, 0.5f, 0);
	assert_null(engine_sound_needed(e, &vol, &kind));

	engine_apply(e, &chime); /* not given: said, silent */
	char msg[160];
	assert_true(engine_take_message(e, msg, sizeof msg));
	assert_string_equal(msg, "chime: not loaded");
	long n;
	float *x = run(e, 0.1, &n);
	assert_true(fx_rms(x, 0, n) == 0);
	free(x);

	engine_add_sound(e, engine_sound_load(ENGINE_CUE, "", RATE, 2));
	engine_add_sound(e, engine_sound_load(ENGINE_CUE, "chime", RATE, 2)); /* again: kept once */
	engine_add_sound(e, engine_sound_load(ENGINE_LAYER, "a", RATE, 2));
	assert_null(engine_sound_needed(e, &chime, &kind));
	assert_null(engine_sound_needed(e, &on, &kind));
	engine_apply(e, &chime);
	engine_apply(e, &on);
	x = run(e, 0.5, &n);
	long onset[2];
	assert_int_equal(fx_onsets(x, n, RATE, 0.02f, 0.01, onset, 2), 1);
	assert_true(onset[0] < 48);
	assert_true(fabs(env(x, 0.3) - 0.5 * 0.5 / M_SQRT2) < 0.01);
	free(x);
	/* Off, and on again: the stream it was given goes on. */
	struct audio_cmd off = cmd(ACMD_LAYER_OFF, "a", 0, 0);
	engine_apply(e, &off);
	free(run(e, 0.01, &n));
	assert_true(engine_idle(e));
	engine_apply(e, &on);
	x = run(e, 0.2, &n);
	assert_true(fabs(env(x, 0.1) - 0.5 * 0.5 / M_SQRT2) < 0.01);
	free(x);
	assert_false(engine_take_message(e, msg, sizeof msg));
	engine_free(e);
}

/* Renders `s` seconds, both channels (caller frees). */
static float *run_stereo(struct engine *e, double s, long *n)
{
	*n = (long)(s * RATE);
	float *st = malloc(sizeof(float) * 2 * (size_t)*n);
	engine_render(e, st, *n);
	return st;
}

/* A mark put back mixes the same frames again, sample for sample: two
 * layers (one resampled: 44.1 kHz), a cue ringing across the mark, a
 * volume ramp moving through it, the layers' feeds read on; and a command
 * given after the rewind changes what follows only. A part of the state
 * left out of the mark (a ramp, a cue's place, a feed's position) makes the
 * second mix differ. */
static void test_mark_and_rewind(void **state)
{
	struct engine_cfg cfg = { .rate = RATE, .channels = 2, .volume = 0.8f, .follow = true };
	struct engine *e = engine_new(&cfg);
	struct audio_cmd on = cmd(ACMD_LAYER_ON, "a", 0.5f, 0.2), on2 = cmd(ACMD_LAYER_ON, "b", 0.4f, 0.5);
	struct audio_cmd chime = cmd(ACMD_CUE, "", 1, 0), vol = cmd(ACMD_VOLUME, NULL, 0.3f, 1.0);
	struct audio_cmd breath = { .kind = ACMD_BREATH, .phase = PACE_INHALE, .fade_s = 2 };
	engine_apply(e, &on);
	engine_apply(e, &on2);
	long n;
	free(run_stereo(e, 0.3, &n));
	engine_apply(e, &chime);
	engine_apply(e, &vol);
	engine_apply(e, &breath);
	free(run_stereo(e, 0.02, &n)); /* the chime rings on past the mark */
	struct engine_mark *m = engine_mark_new();
	engine_mark(e, m);
	int64_t at = engine_frame(e);
	assert_int_equal(engine_mark_frame(m), at);
	float *first = run_stereo(e, 1.5, &n);
	assert_true(engine_rewind(e, m));
	assert_int_equal(engine_frame(e), at);
	float *again = run_stereo(e, 1.5, &n);
	assert_memory_equal(first, again, sizeof(float) * 2 * (size_t)n);
	free(again);
	/* Back again, and muted 0.5 s after the mark: the same until then. */
	assert_true(engine_rewind(e, m));
	long half = RATE / 2;
	float *before = run_stereo(e, 0.5, &n);
	assert_memory_equal(first, before, sizeof(float) * 2 * (size_t)half);
	struct audio_cmd mute = cmd(ACMD_MUTE, NULL, 0, 0);
	engine_apply(e, &mute);
	float *after = run_stereo(e, 1.0, &n);
	assert_true(fx_rms(after, RATE / 5 * 2, RATE / 5 * 2) < 1e-6); /* silent once its ramp is done */
	assert_true(fx_rms(first + 2 * half, RATE / 5 * 2, RATE / 5 * 2) > 0.05);
	assert_true(engine_muted(e));
	free(before);
	free(after);
	free(first);
	engine_mark_free(m);
	engine_free(e);
}

/* A mark is refused, and nothing moves, when a layer has been read on
 * further than its feed keeps (FEED_HISTORY_S): the frames it would need
 * are gone. */
static void test_mark_too_old(void **state)
{
	struct engine_cfg cfg = { .rate = RATE, .channels = 2, .volume = 1 };
	struct engine *e = engine_new(&cfg);
	struct audio_cmd on = cmd(ACMD_LAYER_ON, "a", 0.5f, 0);
	engine_apply(e, &on);
	long n;
	free(run_stereo(e, 0.1, &n));
	struct engine_mark *m = engine_mark_new();
	engine_mark(e, m);
	free(run_stereo(e, FEED_HISTORY_S + 0.5, &n));
	int64_t at = engine_frame(e);
	assert_false(engine_rewind(e, m));
	assert_int_equal(engine_frame(e), at);
	engine_mark_free(m);
	engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swell_follows_breath),
		cmocka_unit_test(test_crossfade_and_fade_out),
		cmocka_unit_test(test_cues_and_keys),
		cmocka_unit_test(test_pause_freezes),
		cmocka_unit_test(test_bad_layer_message),
		cmocka_unit_test(test_given_sounds_only),
		cmocka_unit_test(test_mark_and_rewind),
		cmocka_unit_test(test_mark_too_old),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
