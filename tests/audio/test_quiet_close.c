/* SPDX-License-Identifier: ISC */
/* A sleep program ends quiet (soundplan.h): rendered with its voice and a
 * bed, the last 45 s are at least 15 dB under the loudest moment. The
 * program closes the way winddown, pmr and bed do: a last spoken line
 * 20 s before the end, inside the closing fade, which was said at full
 * voice over a bed fading to nothing.
 *
 * Loudness after BS.1770's K-weighting (loudness_k_filters): the loudest
 * moment is the loudest 400 ms block (the momentary loudness, blocks
 * every 100 ms); the level of the last 45 s is their mean square, ungated
 * (a quiet end is what is measured, so nothing quiet is gated out). Exits
 * 77 without the voice. */
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

#include "fixture.h"
#include "loudness.h"
#include "util.h"
#include "voice.h"

#define RATE 48000
#define CLOSE_S 45
#define MIN_UNDER_DB 15.0

static const char program[] =
	"title \"Close\"\n"
	"tags sleep\n"
	"guide 20s \"Lie down, on your back or your side, and let the bed hold you.\"\n"
	"guide 20s \"Let the shoulders soften, and the jaw, and the hands.\"\n"
	"say \"Breathe slowly, in and out, nothing to do.\"\n"
	"breathe 4-0-6-0 for 10 cycles\n"
	"guide 20s \"That is all. Stay here as long as you like, or let yourself drift off.\"\n";

static int setup(void **state)
{
	if (!voice_built()) {
		print_message("SKIP: built without a voice\n");
		exit(77);
	}
	assert_int_equal(fx_write_file("config/lull/sessions/close.session", program), 0);
	assert_int_equal(fx_write_file("config/lull/config", "sounds = rain:0.5\n"), 0);
	return 0;
}

static int teardown(void **state)
{
	fx_home_remove();
	return 0;
}

/* K-weighted squares of x, in place. */
static void k_weigh(float *x, long n)
{
	struct biquad shelf, hp;
	loudness_k_filters(&shelf, &hp, RATE);
	for (long i = 0; i < n; i++) {
		double y = biquad_step(&hp, biquad_step(&shelf, x[i]));
		x[i] = (float)(y * y);
	}
}

static double mean_db(const float *sq, long from, long len)
{
	double s = 0;
	for (long i = from; i < from + len; i++)
		s += sq[i];
	return 10 * log10(s / (double)len + 1e-20);
}

static void the_last_45_s_are_quiet(void **state)
{
	char *out = xasprintf("%s/close.wav", fx_home());
	char *cmd = xasprintf("'%s' render close -o '%s' --no-cues >/dev/null", getenv("LULL_BIN"), out);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	long n;
	int rate;
	float *x = fx_read_mono(out, &n, &rate);
	assert_non_null(x);
	assert_int_equal(rate, RATE);
	assert_true(n > 120L * RATE);
	free(out);
	k_weigh(x, n);
	double loudest = -HUGE_VAL;
	long block = RATE * 4 / 10, hop = RATE / 10;
	for (long a = 0; a + block <= n; a += hop) {
		double m = mean_db(x, a, block);
		if (m > loudest)
			loudest = m;
	}
	/* The render runs half a second past the end: the end is there. */
	long end = n - RATE / 2;
	double close = mean_db(x, end - (long)CLOSE_S * RATE, (long)CLOSE_S * RATE);
	double last_line = -HUGE_VAL;
	for (long a = end - (long)CLOSE_S * RATE; a + block <= end; a += hop) {
		double m = mean_db(x, a, block);
		if (m > last_line)
			last_line = m;
	}
	print_message("the last %d s: %.1f dB under the loudest moment (their loudest moment %.1f dB under)\n",
		      CLOSE_S, loudest - close, loudest - last_line);
	assert_true(loudest - close >= MIN_UNDER_DB);
	free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_last_45_s_are_quiet),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
