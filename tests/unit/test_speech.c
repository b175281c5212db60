/* SPDX-License-Identifier: ISC */
/* Cache keys of spoken lines (one key per text, voice, rate, pitch and
 * format; the same inputs the same key, always; any change a new one) and
 * where a paused line resumes (before the word the pause cut, within 2 s). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "speech.h"

static void key(const char *id, double rate, double pitch, const char *text, char *out)
{
	struct speech_voice v = { .id = id, .rate = rate, .pitch = pitch };
	speech_key(&v, text, out);
}

static void keys_are_stable_and_distinct(void **state)
{
	char a[SPEECH_KEY_LEN + 1], b[SPEECH_KEY_LEN + 1];
	key("rms", 0.8, 0, "Let your shoulders drop.", a);
	key("rms", 0.8, 0, "Let your shoulders drop.", b);
	assert_string_equal(a, b);
	assert_int_equal(strlen(a), SPEECH_KEY_LEN);
	assert_true(strspn(a, "0123456789abcdef") == SPEECH_KEY_LEN);
	/* Pinned: a key that changed with the same inputs would orphan every
	 * cache there is (raise SPEECH_FORMAT_VERSION instead, on purpose). */
	key("rms", 1, 0, "In", a);
	assert_string_equal(a, SPEECH_FORMAT_VERSION == 1 ? "2d7d9b088bf7ca51a478db3022dafcfa" : a);

	const char *texts[] = { "Let your shoulders drop.", "Let your shoulders drop", "let your shoulders drop.",
				"Let your shoulders drop. ", "" };
	char seen[16][SPEECH_KEY_LEN + 1];
	size_t n = 0;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		key("rms", 0.8, 0, texts[i], seen[n++]);
	key("awb", 0.8, 0, texts[0], seen[n++]);
	key("rms", 0.81, 0, texts[0], seen[n++]);
	key("rms", 0.8, -2, texts[0], seen[n++]);
	key("/home/u/v.flitevox 1234 99", 0.8, 0, texts[0], seen[n++]);
	key("/home/u/v.flitevox 1234 100", 0.8, 0, texts[0], seen[n++]);
	/* The id and the text cannot trade bytes. */
	key("rms\n0.800\n0.000\nLet", 0.8, 0, " your", seen[n++]);
	key("rms", 0.8, 0, "Let your", seen[n++]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			assert_string_not_equal(seen[i], seen[j]);
}

/* Keys as the 128-bit FNV-1a computed them with unsigned __int128 (amd64,
 * before the hash was written in two 64-bit halves so that 32-bit systems
 * build): the same bytes must still give the same key everywhere, or every
 * cache already filled would be orphaned. Each row takes another path: a
 * short line, a fraction, an empty text with a negative pitch, a .flitevox
 * id, an id too long for the fixed part, a long text of every byte value
 * but 0 (each carry out of the low half is exercised many times over). */
static void keys_are_those_of_the_int128_code(void **state)
{
	char out[SPEECH_KEY_LEN + 1];
	if (SPEECH_FORMAT_VERSION != 1)
		skip();
	key("rms", 1, 0, "In", out);
	assert_string_equal(out, "2d7d9b088bf7ca51a478db3022dafcfa");
	key("rms", 0.8, 0, "Let your shoulders drop.", out);
	assert_string_equal(out, "04b94522e90149e062b626d860ed1580");
	key("slt", 1.25, -3.5, "", out);
	assert_string_equal(out, "3ed6f94ef2c38cd60f790f7311b485aa");
	key("/usr/share/lull/voices/cmu_us_kal16.flitevox 1234 99", 0.9, 2,
	    "Breathe out slowly, all the way, and let the breath come back by itself.", out);
	assert_string_equal(out, "0eee8b6aa423e27517bf44de25b9ec08");
	char id[400];
	memset(id, 'x', sizeof id - 1);
	id[sizeof id - 1] = '\0';
	key(id, 1, 0, "t", out);
	assert_string_equal(out, "0e9c3bb0857c8137ab7cfafc77e6e17f");
	static char text[5000];
	for (size_t i = 0; i < sizeof text - 1; i++)
		text[i] = (char)(1 + i % 255);
	key("awb", 1, 0, text, out);
	assert_string_equal(out, "f9c302aa618838ad6b5dcb672d24d6d0");
}

static void a_long_id_still_counts_whole(void **state)
{
	char id1[400], id2[400], a[SPEECH_KEY_LEN + 1], b[SPEECH_KEY_LEN + 1];
	memset(id1, 'x', sizeof id1 - 1);
	id1[sizeof id1 - 1] = '\0';
	memcpy(id2, id1, sizeof id1);
	id2[390] = 'y'; /* past what the fixed part holds */
	key(id1, 1, 0, "t", a);
	key(id2, 1, 0, "t", b);
	assert_string_not_equal(a, b);
}

#define RATE 16000

/* A line of "words" (a 200 Hz tone at half scale) separated by silences. */
static short *line(long *frames)
{
	/* word 0.0-0.5, gap 0.5-0.7, word 0.7-1.6, gap 1.6-1.65 (too short),
	 * word 1.65-2.5 */
	static const double words[][2] = { { 0, 0.5 }, { 0.7, 1.6 }, { 1.65, 2.5 } };
	*frames = (long)(2.5 * RATE);
	short *pcm = calloc((size_t)*frames, sizeof *pcm);
	for (size_t w = 0; w < 3; w++)
		for (long i = (long)(words[w][0] * RATE); i < (long)(words[w][1] * RATE); i++)
			pcm[i] = (short)(16000 * sin(2 * M_PI * 200 * i / RATE));
	return pcm;
}

static void resume_goes_back_to_the_pause_before_the_word(void **state)
{
	long n;
	short *pcm = line(&n);
	/* Paused in the second word: back to 30 ms before it starts. */
	long r = speech_resume_point(pcm, n, (long)(1.2 * RATE), RATE);
	assert_true(labs(r - (long)(0.67 * RATE)) <= RATE / 100);
	/* In the third word: the 50 ms gap before it is a pause too. */
	r = speech_resume_point(pcm, n, (long)(2.2 * RATE), RATE);
	assert_true(r >= (long)(1.6 * RATE) && r <= (long)(1.65 * RATE));
	/* In the first word: no pause before it, the start (quietest: sin(0)). */
	r = speech_resume_point(pcm, n, (long)(0.3 * RATE), RATE);
	assert_true(r >= 0 && r < (long)(0.3 * RATE));
	/* In a pause: a little before where it stopped. */
	r = speech_resume_point(pcm, n, (long)(0.65 * RATE), RATE);
	assert_true(r <= (long)(0.65 * RATE) && r >= (long)(0.6 * RATE));
	/* Never before 0 nor past the end, and 0 stays 0. */
	assert_true(speech_resume_point(pcm, n, 0, RATE) == 0);
	assert_true(speech_resume_point(pcm, n, n + 1000, RATE) <= n);
	free(pcm);
}

static void resume_looks_back_two_seconds_at_most(void **state)
{
	/* 5 s of unbroken speech after a pause at the start: paused at 4.5 s,
	 * it resumes within the last 2 s, not at the far pause. */
	long n = 5 * RATE;
	short *pcm = calloc((size_t)n, sizeof *pcm);
	for (long i = RATE / 10; i < n; i++)
		pcm[i] = (short)(16000 * sin(2 * M_PI * 200 * i / RATE) + 8000);
	long r = speech_resume_point(pcm, n, (long)(4.5 * RATE), RATE);
	assert_true(r >= (long)(2.5 * RATE) && r <= (long)(4.5 * RATE));
	free(pcm);
}

static void norm(const char *in, const char *want)
{
	char out[SPEECH_TEXT_MAX + 1];
	size_t n = speech_normalise(in, out, sizeof out);
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
}

/* What reaches flite: the bounds speech.h gives, whatever the text. */
static void check_bounds(const char *s)
{
	size_t word = 0, punct = 0;
	assert_true(strlen(s) <= SPEECH_TEXT_MAX);
	assert_true(s[0] != ' ');
	for (const char *c = s; *c; c++) {
		assert_true((unsigned char)*c >= ' ' && *c != 0x7f);
		word = *c == ' ' ? 0 : word + 1;
		punct = strchr(".,!?;:)\"'(", *c) ? punct + 1 : 0;
		assert_true(word <= SPEECH_TOKEN_MAX);
		assert_true(punct <= SPEECH_PUNCT_RUN);
		assert_false(c[0] == ' ' && (c[1] == ' ' || c[1] == '\0'));
	}
}

static void text_for_flite_is_bounded(void **state)
{
	(void)state;
	norm("Rest now.", "Rest now.");
	norm("  Let\tgo,\n  slowly... ", "Let go, slowly...");
	norm("Wait?!", "Wait?!");
	/* The line that overran flite's buffer: a run of some 310 marks. */
	char in[4000], out[SPEECH_TEXT_MAX + 1];
	const char marks[] = ".,!?;:)";
	for (const char *m = marks; *m; m++) {
		int k = snprintf(in, sizeof in, "Breathe in");
		memset(in + k, *m, 400);
		in[k + 400] = '\0';
		speech_normalise(in, out, sizeof out);
		char want[32];
		snprintf(want, sizeof want, "Breathe in%c%c%c", *m, *m, *m);
		assert_string_equal(out, want);
	}
	norm("a.,!?;:)b", "a.,!b");
	/* A long word is split; a long line cut, between characters. */
	memset(in, 'a', 100);
	in[100] = '\0';
	speech_normalise(in, out, sizeof out);
	check_bounds(out);
	assert_int_equal(strlen(out), 100 + 2);
	for (size_t i = 0; i < 3000; i++)
		in[i] = i % 7 == 6 ? ' ' : 'b';
	in[3000] = '\0';
	size_t got = speech_normalise(in, out, sizeof out);
	assert_int_equal(got, strlen(out));
	check_bounds(out);
	assert_true(strlen(out) >= SPEECH_TEXT_MAX - 7);
	/* Controls and bad bytes are spaces; UTF-8 stays whole. */
	norm("caf\xc3\xa9\x01\x1b[2Jx\xff\xfey", "caf\xc3\xa9 [2Jx y");
	memset(in, 0, sizeof in);
	for (size_t i = 0; i < 60; i++)
		memcpy(in + 2 * i, "\xc3\xa9", 2);
	speech_normalise(in, out, sizeof out);
	check_bounds(out);
	assert_int_equal(strlen(out), 120 + 2);
	assert_int_equal(out[40], ' '); /* 20 characters, never half of one */
	/* A small buffer: cut, terminated. */
	char small[5];
	assert_int_equal(speech_normalise("Rest now.", small, sizeof small), 4);
	assert_string_equal(small, "Rest");
	norm("", "");
	norm(" \n\t ", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_are_stable_and_distinct),
		cmocka_unit_test(keys_are_those_of_the_int128_code),
		cmocka_unit_test(a_long_id_still_counts_whole),
		cmocka_unit_test(resume_goes_back_to_the_pause_before_the_word),
		cmocka_unit_test(resume_looks_back_two_seconds_at_most),
		cmocka_unit_test(text_for_flite_is_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
