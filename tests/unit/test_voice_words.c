/* SPDX-License-Identifier: ISC */
/* The voice in the words a person writes: `voice on|off` and `recording`
 * in the session format (parsed, positioned errors, written back the same),
 * the text's column kept for the fit check's messages; the voice settings
 * (defaults, every key, bad values kept at the default with a warning); and
 * who decides whether the lines are spoken (--voice / --no-voice, then an
 * explicit setting, then the program's word, then yes). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "sessionopts.h"
#include "settings.h"
#include "voice.h"

static struct parse_result R;

static struct program *ok(const char *text)
{
	parse_program(text, strlen(text), "t", &R);
	for (size_t i = 0; i < R.nerrors; i++)
		print_message("%u:%u: %s\n", R.errors[i].line, R.errors[i].col, R.errors[i].msg);
	assert_non_null(R.program);
	return R.program;
}

static void bad(const char *text, unsigned line, unsigned col, const char *want)
{
	parse_program(text, strlen(text), "t", &R);
	assert_null(R.program);
	assert_true(R.nerrors >= 1);
	if (R.errors[0].line != line || R.errors[0].col != col || !strstr(R.errors[0].msg, want))
		fail_msg("got %u:%u: %s; expected %u:%u: ...%s...", R.errors[0].line, R.errors[0].col,
			 R.errors[0].msg, line, col, want);
}

/* Written back and parsed again: the same program. */
static void round_trip(const struct program *p)
{
	char *text = program_format(p);
	struct parse_result again;
	parse_program(text, strlen(text), "t", &again);
	if (!again.program)
		fail_msg("does not parse back:\n%s", text);
	assert_true(program_equal(p, again.program));
	program_free(again.program);
	free(text);
}

static void voice_on_and_off(void **state)
{
	struct program *p = ok("guide 5s \"Rest.\"\n");
	assert_int_equal(p->voice, PROGRAM_VOICE_UNSAID);
	round_trip(p);
	program_free(p);
	p = ok("title \"Quiet\"\nvoice off\nguide 5s \"Rest.\"\n");
	assert_int_equal(p->voice, PROGRAM_VOICE_OFF);
	round_trip(p);
	char *text = program_format(p);
	assert_non_null(strstr(text, "\nvoice       off\n"));
	free(text);
	program_free(p);
	p = ok("voice on\nguide 5s \"Rest.\"\n");
	assert_int_equal(p->voice, PROGRAM_VOICE_ON);
	round_trip(p);
	program_free(p);
	bad("guide 5s \"Rest.\"\nvoice off\n", 2, 1, "'voice' belongs to the header");
	bad("voice maybe\nguide 5s \"Rest.\"\n", 1, 7, "expected 'on' or 'off' after 'voice'");
	bad("voice off\nvoice on\nguide 5s \"Rest.\"\n", 2, 1, "'voice' was already given on line 1");
	bad("voice off now\nguide 5s \"Rest.\"\n", 1, 11, "expected the end of the line");
	bad("voise off\nguide 5s \"Rest.\"\n", 1, 1, "did you mean 'voice'");
}

static void recordings(void **state)
{
	struct program *p = ok("guide 5s \"Rest.\"\n"
			       "recording rest\n"
			       "say \"In for four.\"\n"
			       "recording \"my voice/in for four.ogg\"\n"
			       "breathe 4-0-4-0 for 2 cycles\n"
			       "guide 5s \"Done.\"\n");
	assert_string_equal(p->steps[0].recording, "rest");
	assert_string_equal(p->steps[1].recording, "my voice/in for four.ogg");
	assert_null(p->steps[3].recording);
	round_trip(p);
	char *text = program_format(p);
	assert_non_null(strstr(text, "guide 5s \"Rest.\"\nrecording rest\n"));
	assert_non_null(strstr(text, "say \"In for four.\"\nrecording \"my voice/in for four.ogg\"\n"));
	free(text);
	program_free(p);
	/* It names the line just above it, a guide or say line, once. */
	bad("recording rest\nguide 5s \"Rest.\"\n", 1, 1, "the line above is not one");
	bad("breathe 4-0-4-0 for 2 cycles\nrecording rest\n", 2, 1, "the line above is not one");
	bad("guide 5s \"Rest.\"\n\nrecording rest\n", 3, 1, "the line above is not one");
	bad("guide 5s \"Rest.\"\nrecording a\nrecording b\n", 3, 1, "the line above is not one");
	bad("guide 5s \"Rest.\"\nrecording\n", 2, 10, "expected a sound file after 'recording'");
	bad("guide 5s \"Rest.\"\nrecording a b\n", 2, 13, "expected the end of the line after the recording");
}

static void the_text_column_is_kept(void **state)
{
	struct program *p = ok("guide 5s \"Rest.\"\n"
			       "  say    \"In.\"\n"
			       "breathe 4-0-4-0 for 1 cycle\n"
			       "guide 1m30s \"Done.\" breathe 4-0-6-0\n");
	assert_int_equal(p->steps[0].col, 10);
	assert_int_equal(p->steps[1].col, 10);
	assert_int_equal(p->steps[3].col, 13);
	assert_int_equal(p->steps[3].line, 4);
	program_free(p);
}

static char *warned;

static int settings(struct settings *s, const char *text)
{
	size_t size;
	free(warned);
	FILE *w = open_memstream(&warned, &size);
	settings_defaults(s);
	int n = settings_parse(s, text, strlen(text), "cfg", w);
	fclose(w);
	return n;
}

static void voice_settings(void **state)
{
	struct settings s;
	assert_int_equal(settings(&s, ""), 0);
	assert_int_equal(s.voice, -1);
	assert_string_equal(s.voice_name, VOICE_DEFAULT_NAME);
	assert_true(s.voice_rate == VOICE_DEFAULT_RATE && s.voice_pitch == VOICE_DEFAULT_PITCH);
	assert_int_equal(s.voice_volume, VOICE_DEFAULT_VOLUME);
	assert_false(s.voice_breath);
	assert_int_equal(settings(&s, "voice = off\nvoice_name = awb\nvoice_rate = 0.7\nvoice_pitch = -2.5\n"
				      "voice_volume = 90\nvoice_breath = on\n"), 0);
	assert_int_equal(s.voice, 0);
	assert_string_equal(s.voice_name, "awb");
	assert_true(s.voice_rate == 0.7 && s.voice_pitch == -2.5);
	assert_int_equal(s.voice_volume, 90);
	assert_true(s.voice_breath);
	assert_int_equal(settings(&s, "voice_name = /home/me/voices/mine.flitevox\n"), 0);
	assert_string_equal(s.voice_name, "/home/me/voices/mine.flitevox");
	/* Bad values: a warning naming the line, the default kept. */
	static const char *const bad_values[] = {
		"voice = loud\n", "voice_rate = 2\n", "voice_rate = 0.1\n", "voice_rate = fast\n", "voice_rate = nan\n",
		"voice_rate = 0x1\n", "voice_pitch = 7\n", "voice_pitch = -7\n", "voice_volume = 101\n",
		"voice_name = my voice\n", "voice_breath = sometimes\n",
	};
	for (size_t i = 0; i < sizeof bad_values / sizeof bad_values[0]; i++) {
		assert_int_equal(settings(&s, bad_values[i]), 1);
		assert_true(strncmp(warned, "cfg:1: voice", 12) == 0);
		assert_non_null(strstr(warned, "keeping the default"));
		assert_int_equal(s.voice, -1);
		assert_true(s.voice_rate == VOICE_DEFAULT_RATE && s.voice_pitch == VOICE_DEFAULT_PITCH);
		assert_int_equal(s.voice_volume, VOICE_DEFAULT_VOLUME);
		assert_string_equal(s.voice_name, VOICE_DEFAULT_NAME);
		assert_false(s.voice_breath);
	}
	assert_int_equal(settings(&s, "voice_rat = 1\n"), 1);
	assert_non_null(strstr(warned, "did you mean 'voice_rate'"));
	free(warned);
	warned = NULL;
}

static void who_decides_the_voice(void **state)
{
	struct settings s;
	settings_defaults(&s);
	struct program unsaid = { .voice = PROGRAM_VOICE_UNSAID }, off = { .voice = PROGRAM_VOICE_OFF },
		       on = { .voice = PROGRAM_VOICE_ON };
	struct sessionopts none = { 0 }, yes = { .voice = 1 }, no = { .voice = -1 };
	/* Nothing said: spoken; the program's word when only it speaks. */
	assert_true(sessionopts_voice(&none, &s, &unsaid));
	assert_false(sessionopts_voice(&none, &s, &off));
	assert_true(sessionopts_voice(&none, &s, &on));
	/* The person's explicit setting over the program's word. */
	s.voice = 1;
	assert_true(sessionopts_voice(&none, &s, &off));
	s.voice = 0;
	assert_false(sessionopts_voice(&none, &s, &on));
	/* And the command line over both. */
	assert_true(sessionopts_voice(&yes, &s, &off));
	s.voice = 1;
	assert_false(sessionopts_voice(&no, &s, &on));
	/* The plan's words: the breath words only with the lines. */
	struct soundplan_cfg cfg;
	s.voice = -1;
	s.voice_breath = true;
	sessionopts_sound_cfg(&none, &s, &unsaid, &cfg);
	assert_true(cfg.voice && cfg.voice_breath);
	sessionopts_sound_cfg(&no, &s, &unsaid, &cfg);
	assert_false(cfg.voice || cfg.voice_breath);
	/* The voice of the settings. */
	s.voice_rate = 0.9;
	s.voice_pitch = 2;
	struct voice_cfg vc;
	sessionopts_voice_cfg(&s, &vc);
	assert_string_equal(vc.name, VOICE_DEFAULT_NAME);
	assert_true(vc.rate == 0.9 && vc.pitch == 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(voice_on_and_off),
		cmocka_unit_test(recordings),
		cmocka_unit_test(the_text_column_is_kept),
		cmocka_unit_test(voice_settings),
		cmocka_unit_test(who_decides_the_voice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
