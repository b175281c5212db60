/* SPDX-License-Identifier: ISC */
/* The engine's spoken lines, sample-exact, without a thread, a device or a
 * synthesiser (the lines are made here): a line starts at the frame its
 * command is applied; one not ready is skipped with one message and, come
 * late, given back unplayed; a new line stops the one before (lines never
 * overlap); a breath word gives way to a line; pause holds the line and
 * resume takes it up just before the word it cut; the voice off says
 * nothing and holds nothing; the bed ducks (and is muffled) under a line
 * and comes back; an aside waits for its line; every line handed over
 * comes back; a mark put back speaks again what it had spoken. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "duck.h"
#include "engine.h"
#include "fixture.h"
#include "util.h"

#define RATE 48000
#define LEVEL 10000 /* a line's samples: a constant, so every frame says whether it sounds */

static int given, returned;

static int setup(void **state)
{
	const char *h = fx_home();
	char *p = xasprintf("%s/data/lull/sounds/bed.wav", h);
	assert_int_equal(fx_write_tone(p, RATE, 2, 20, 100, 0.5), 0);
	free(p);
	p = xasprintf("%s/data/lull/sounds/hiss.wav", h);
	assert_int_equal(fx_write_tone(p, RATE, 2, 20, 4000, 0.5), 0);
	free(p);
	return 0;
}

static int teardown(void **state)
{
	fx_home_remove();
	return 0;
}

static struct engine *new_engine(bool voice)
{
	struct engine_cfg cfg = { .rate = RATE, .channels = 2, .volume = 1, .voice = voice, .voice_volume = 1 };
	given = returned = 0;
	return engine_new(&cfg);
}

/* A line of `words` words of `word_s` seconds with `gap_s` of silence
 * between them, each word at its own level (LEVEL * (1 + w)), so that the
 * output says which word is playing. */
static struct engine_speech *line(size_t id, int words, double word_s, double gap_s, bool breath)
{
	struct engine_speech *s = xcalloc(1, sizeof *s);
	long wf = (long)(word_s * RATE), gf = (long)(gap_s * RATE);
	s->frames = words * wf + (words - 1) * gf;
	s->pcm = xcalloc((size_t)s->frames, sizeof *s->pcm);
	for (int w = 0; w < words; w++)
		for (long i = 0; i < wf; i++)
			s->pcm[w * (wf + gf) + i] = (short)(LEVEL / (1 + w));
	s->line = id;
	s->breath = breath;
	given++;
	return s;
}

static void give(struct engine *e, struct engine_speech *s)
{
	engine_add_speech(e, s);
}

/* Frees lines the engine gave back, counting them. */
static void take_back(struct engine_speech *s)
{
	while (s) {
		struct engine_speech *next = s->next;
		free(s->pcm);
		free(s);
		returned++;
		s = next;
	}
}

static void collect(struct engine *e)
{
	take_back(engine_take_spent(e));
}

static void finish(struct engine *e)
{
	take_back(engine_take_all_speech(e));
	assert_int_equal(returned, given);
	engine_free(e);
}

static void speak(struct engine *e, size_t id)
{
	struct audio_cmd c = { .kind = ACMD_SPEAK, .line = id };
	engine_apply(e, &c);
}

static void cmd(struct engine *e, enum audio_cmd_kind k, float v)
{
	struct audio_cmd c = { .kind = k, .value = v };
	engine_apply(e, &c);
}

/* Renders s seconds; the left channel (the caller frees). */
static float *run(struct engine *e, double s, long *n)
{
	*n = (long)(s * RATE + 0.5);
	float *st = malloc(sizeof(float) * 2 * (size_t)*n), *l = malloc(sizeof(float) * (size_t)*n);
	engine_render(e, st, *n);
	for (long i = 0; i < *n; i++) {
		l[i] = st[2 * i];
		assert_true(st[2 * i] == st[2 * i + 1]); /* the voice in both channels */
	}
	free(st);
	collect(e);
	return l;
}

static float word_level(int w)
{
	return (float)(LEVEL / (1 + w)) / 32768.0f;
}

static void a_line_starts_at_its_frame(void **state)
{
	struct engine *e = new_engine(true);
	give(e, line(0, 1, 0.5, 0, false));
	long n;
	float *x = run(e, 0.2, &n); /* given, not yet due: silent */
	for (long i = 0; i < n; i++)
		assert_true(x[i] == 0);
	free(x);
	speak(e, 0);
	x = run(e, 0.6, &n);
	/* The very first frame after the command sounds, and it lasts its
	 * length to the frame. */
	assert_true(fabsf(x[0] - word_level(0)) < 1e-4);
	assert_true(fabsf(x[RATE / 2 - 1] - word_level(0)) < 1e-4);
	assert_true(x[RATE / 2] == 0);
	free(x);
	assert_int_equal(returned, 1); /* played: given back */
	assert_int_equal(engine_speech_reached(e), 1);
	finish(e);
}

static void a_line_not_ready_is_skipped_not_played_late(void **state)
{
	struct engine *e = new_engine(true);
	char msg[200];
	while (engine_take_message(e, msg, sizeof msg))
		;
	speak(e, 0); /* its moment, and nothing there */
	assert_true(engine_take_message(e, msg, sizeof msg));
	assert_non_null(strstr(msg, "not ready"));
	assert_false(engine_take_message(e, msg, sizeof msg)); /* one message */
	long n;
	float *x = run(e, 0.1, &n);
	assert_true(fx_rms(x, 0, n) == 0);
	free(x);
	/* It comes after its moment: given back at once, never heard. */
	give(e, line(0, 1, 0.5, 0, false));
	x = run(e, 0.6, &n);
	assert_true(fx_rms(x, 0, n) == 0);
	free(x);
	assert_int_equal(returned, 1);
	/* A line still waiting when a later one starts had its moment too. */
	give(e, line(1, 1, 0.5, 0, false));
	give(e, line(2, 1, 0.5, 0, false));
	speak(e, 2);
	x = run(e, 0.1, &n);
	free(x);
	assert_int_equal(returned, 2); /* line 1, passed over */
	finish(e);
}

static void a_new_line_stops_the_last(void **state)
{
	struct engine *e = new_engine(true);
	give(e, line(0, 1, 2, 0, false));
	give(e, line(1, 2, 1, 0.1, false)); /* its first word at LEVEL too: told apart by time */
	speak(e, 0);
	long n;
	free(run(e, 0.5, &n));
	speak(e, 1);
	float *x = run(e, 1.0, &n);
	/* Line 0 fades out over ENGINE_SPEECH_FADE_S under line 1; after
	 * it, only line 1 sounds. */
	long fade = (long)(ENGINE_SPEECH_FADE_S * RATE);
	assert_true(x[fade / 2] > word_level(0) * 1.2f); /* both, for the fade */
	assert_true(fabsf(x[fade + 10] - word_level(0)) < 1e-4);
	free(x);
	finish(e);
}

static void a_breath_word_gives_way_to_a_line(void **state)
{
	struct engine *e = new_engine(true);
	give(e, line(0, 1, 1, 0, false));
	give(e, line(1, 1, 0.3, 0, true));
	speak(e, 0);
	long n;
	free(run(e, 0.1, &n));
	speak(e, 1); /* a breath word during a line: not heard */
	float *x = run(e, 0.2, &n);
	assert_true(fabsf(x[n / 2] - word_level(0)) < 1e-4);
	free(x);
	assert_int_equal(returned, 1);
	/* Alone, it is heard, at ENGINE_BREATH_GAIN. */
	free(run(e, 1.0, &n));
	give(e, line(2, 1, 0.3, 0, true));
	speak(e, 2);
	x = run(e, 0.1, &n);
	assert_true(fabsf(x[n / 2] - word_level(0) * ENGINE_BREATH_GAIN) < 1e-4);
	free(x);
	finish(e);
}

static void pause_holds_and_resume_takes_up_the_cut_word(void **state)
{
	struct engine *e = new_engine(true);
	/* Words of 0.5 s with 0.2 s between: paused 0.2 s into word 2 (at
	 * 0.9 s), the pause's fade plays 0.15 s more of it. */
	give(e, line(0, 3, 0.5, 0.2, false));
	speak(e, 0);
	long n;
	free(run(e, 0.9, &n));
	cmd(e, ACMD_PAUSE, 1);
	float *x = run(e, 1.0, &n);
	assert_true(fx_rms(x, (long)(0.2 * RATE), (long)(0.8 * RATE)) == 0); /* held */
	free(x);
	cmd(e, ACMD_PAUSE, 0);
	x = run(e, 1.0, &n);
	/* Back 30 ms before word 2, at once: silence, then the whole word
	 * at its level (no fade-in softening it), then the gap, word 3. */
	assert_true(x[0] == 0);
	long on = 0;
	while (on < n && x[on] == 0)
		on++;
	assert_true(labs(on - (long)(0.03 * RATE)) <= RATE / 100);
	assert_true(fabsf(x[on + 10] - word_level(1)) < 1e-4);
	assert_true(fabsf(x[on + (long)(0.49 * RATE)] - word_level(1)) < 1e-4);
	assert_true(x[on + (long)(0.6 * RATE)] == 0);
	assert_true(fabsf(x[on + (long)(0.75 * RATE)] - word_level(2)) < 1e-4);
	free(x);
	finish(e);
}

static void voice_off_says_nothing(void **state)
{
	struct engine *e = new_engine(false);
	char msg[200];
	while (engine_take_message(e, msg, sizeof msg))
		;
	give(e, line(0, 1, 0.5, 0, false));
	speak(e, 0);
	long n;
	float *x = run(e, 0.6, &n);
	assert_true(fx_rms(x, 0, n) == 0);
	free(x);
	assert_int_equal(returned, 1);                        /* not held */
	speak(e, 1);                                           /* not there either: */
	assert_false(engine_take_message(e, msg, sizeof msg)); /* nothing to say about it */
	/* On again (the v key): the next line is heard. */
	cmd(e, ACMD_VOICE, 1);
	give(e, line(2, 1, 0.5, 0, false));
	speak(e, 2);
	x = run(e, 0.1, &n);
	assert_true(fabsf(x[0] - word_level(0)) < 1e-4);
	free(x);
	/* Off in the middle of a line: it fades out within the pause fade. */
	cmd(e, ACMD_VOICE, 0);
	x = run(e, 0.3, &n);
	assert_true(fx_rms(x, (long)(0.2 * RATE), (long)(0.1 * RATE)) == 0);
	free(x);
	finish(e);
}

/* The levels of a bed (a layer at 0.5) around a 2 s line that starts at
 * 0.5 s, in dB from the bed alone: under the line (at 1 s, the voice's
 * constant taken out), still held after it, back at the end. */
struct around {
	double under, held, back;
};

/* An engine playing `layer` at 0.5 for half a second, and the bed's level
 * then (over whole periods), which the tests below measure from. */
static struct engine *bed_playing(const char *layer, double *full)
{
	struct engine *e = new_engine(true);
	struct audio_cmd c = { .kind = ACMD_LAYER_ON, .value = 0.5f };
	str_copy(c.name, layer, sizeof c.name);
	engine_apply(e, &c);
	long n;
	float *x = run(e, 0.5, &n);
	*full = fx_rms(x, (long)(0.3 * RATE), RATE / 10);
	free(x);
	return e;
}

static struct around bed_around_a_line(const char *layer)
{
	double full;
	struct engine *e = bed_playing(layer, &full);
	long n;
	float *x;
	give(e, line(1, 1, 2, 0, false));
	speak(e, 1);
	x = run(e, 2.0 + DUCK_HOLD_S + DUCK_RELEASE_S + 0.5, &n);
	double v = word_level(0), at1 = fx_rms(x, (long)(1.0 * RATE), RATE / 10);
	struct around a = {
		.under = 20 * log10(sqrt(fmax(at1 * at1 - v * v, 0)) / full),
		.held = 20 * log10(fx_rms(x, (long)((2.0 + DUCK_HOLD_S - 0.2) * RATE), RATE / 10) / full),
		.back = 20 * log10(fx_rms(x, n - RATE / 5, RATE / 10) / full),
	};
	free(x);
	finish(e);
	print_message("%s: under a line %.1f dB, held %.1f, back %.1f\n", layer, a.under, a.held, a.back);
	return a;
}

static void the_bed_ducks_under_a_line(void **state)
{
	/* A breath word does not duck the bed. */
	double full;
	struct engine *e = bed_playing("bed", &full);
	long n;
	float *x;
	give(e, line(0, 1, 0.5, 0, true));
	speak(e, 0);
	x = run(e, 1.0, &n);
	assert_true(fabs(20 * log10(fx_rms(x, (long)(0.7 * RATE), RATE / 10) / full)) < 0.1);
	free(x);
	finish(e);
	/* A line does, once its attack is over, by DUCK_DEPTH_DB (a 100 Hz
	 * bed, below the muffling); still down through the hold, back to
	 * full after the release. */
	struct around a = bed_around_a_line("bed");
	assert_true(fabs(a.under + DUCK_DEPTH_DB) < 0.3);
	assert_true(fabs(a.held + DUCK_DEPTH_DB) < 0.3);
	assert_true(fabs(a.back) < 0.1);
}

/* The first word is heard: the plan's ACMD_DUCK, DUCK_LEAD_S before a
 * line, has the bed all the way down as the line begins. Before, the dip
 * began with the line: over the line's first 10 ms the bed was at -0.1 dB
 * (the 300 ms attack just begun), and half way down only at 150 ms. */
static void the_bed_is_down_before_a_line(void **state)
{
	double full;
	struct engine *e = bed_playing("bed", &full);
	long n;
	float *x;
	struct audio_cmd d = { .kind = ACMD_DUCK, .fade_s = DUCK_LEAD_S };
	engine_apply(e, &d);
	x = run(e, DUCK_LEAD_S, &n);
	free(x);
	give(e, line(1, 1, 2, 0, false));
	speak(e, 1);
	x = run(e, 0.5, &n);
	double v = word_level(0), first = fx_rms(x, 0, RATE / 100);
	double under = 20 * log10(sqrt(fmax(first * first - v * v, 0)) / full);
	print_message("the bed over the line's first 10 ms: %.1f dB\n", under);
	assert_true(fabs(under + DUCK_DEPTH_DB) < 0.3);
	free(x);
	finish(e);
	/* With the voice off the plan's dip is not taken: nothing is said. */
	double again;
	e = bed_playing("bed", &again);
	cmd(e, ACMD_VOICE, 0);
	engine_apply(e, &d);
	x = run(e, 0.5, &n);
	assert_true(fabs(20 * log10(fx_rms(x, (long)(0.3 * RATE), RATE / 10) / full)) < 0.1);
	free(x);
	finish(e);
}

/* A line carries its level (a sleep program's close: soundplan.h), in a
 * session as in a render: said 18 dB under, it is 18 dB under. */
static void a_line_at_its_level(void **state)
{
	struct engine *e = new_engine(true);
	struct engine_speech *s = line(0, 1, 0.5, 0, false);
	s->level_db = -18;
	give(e, s);
	speak(e, 0);
	long n;
	float *x = run(e, 0.2, &n);
	assert_true(fabs(20 * log10(fabsf(x[RATE / 10]) / word_level(0)) + 18) < 0.01);
	free(x);
	finish(e);
}

static void the_bed_is_muffled_under_a_line(void **state)
{
	/* A 4 kHz bed: under a line the highs go as well as the 7 dB (the
	 * low-pass is 30 dB down there); back after, as it was. */
	struct around a = bed_around_a_line("hiss");
	assert_true(a.under < -DUCK_DEPTH_DB - 20);
	assert_true(fabs(a.back) < 0.1);
}

static void an_aside_starts_when_it_comes(void **state)
{
	struct engine *e = new_engine(true);
	size_t aside = ENGINE_SPEECH_ASIDE;
	speak(e, aside); /* due, not there: it waits, no message */
	char msg[200];
	while (engine_take_message(e, msg, sizeof msg))
		;
	long n;
	free(run(e, 0.2, &n));
	give(e, line(aside, 1, 0.5, 0, false));
	float *x = run(e, 0.1, &n);
	assert_true(fabsf(x[0] - word_level(0)) < 1e-4); /* at once */
	free(x);
	/* The plan's first line stops it. */
	give(e, line(0, 1, 0.5, 0, false));
	speak(e, 0);
	free(run(e, 0.6, &n));
	/* An aside not come when the plan goes on is not played later. */
	speak(e, aside + 1);
	speak(e, 1);
	give(e, line(aside + 1, 1, 0.5, 0, false));
	x = run(e, 0.2, &n);
	assert_true(fx_rms(x, 0, n) == 0);
	free(x);
	finish(e);
}

/* Marks and the voice: a line that starts and plays out (spent) after a
 * mark speaks again, the same, once the mark is put back, and a second
 * that came after the mark comes again at the frame it came at; nothing spent after the mark is
 * given back before the mix has passed it (engine_take_spent_before), and
 * every line still comes back in the end. */
static void a_rewind_speaks_again(void **state)
{
	struct engine *e = new_engine(true);
	give(e, line(0, 2, 0.2, 0.1, false));
	long n;
	free(run(e, 0.1, &n));
	struct engine_mark *m = engine_mark_new();
	engine_mark(e, m);
	int64_t at = engine_frame(e);
	speak(e, 0);
	float *first = malloc(sizeof(float) * 2 * RATE);
	engine_render(e, first, RATE); /* the line plays out: spent */
	give(e, line(1, 1, 0.3, 0, false)); /* comes after the mark */
	assert_null(engine_take_spent_before(e, at)); /* not before the mark */
	assert_true(engine_rewind(e, m));
	speak(e, 0);
	float *again = malloc(sizeof(float) * 2 * RATE);
	engine_render(e, again, RATE);
	assert_memory_equal(first, again, sizeof(float) * 2 * RATE);
	/* The line that came after the mark comes again at the frame it came
	 * at (as the player brings it), and is waiting then. */
	assert_int_equal(engine_next_arrival(e), at + RATE);
	engine_arrive(e, engine_frame(e));
	assert_int_equal(engine_next_arrival(e), INT64_MAX);
	speak(e, 1);
	float *y = run(e, 0.1, &n);
	assert_true(fabsf(y[0] - word_level(0)) < 1e-4);
	free(y);
	free(first);
	free(again);
	engine_mark_free(m);
	finish(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_rewind_speaks_again),
		cmocka_unit_test(a_line_starts_at_its_frame),
		cmocka_unit_test(a_line_not_ready_is_skipped_not_played_late),
		cmocka_unit_test(a_new_line_stops_the_last),
		cmocka_unit_test(a_breath_word_gives_way_to_a_line),
		cmocka_unit_test(pause_holds_and_resume_takes_up_the_cut_word),
		cmocka_unit_test(voice_off_says_nothing),
		cmocka_unit_test(the_bed_ducks_under_a_line),
		cmocka_unit_test(the_bed_is_down_before_a_line),
		cmocka_unit_test(a_line_at_its_level),
		cmocka_unit_test(the_bed_is_muffled_under_a_line),
		cmocka_unit_test(an_aside_starts_when_it_comes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
