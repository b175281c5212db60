/* SPDX-License-Identifier: ISC */
/* The voice's threefold upsampler: exact at the input's instants, flat
 * through the voice's band, the images gone, silence around the edges. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "upsample.h"

#define IN_RATE 16000.0
#define N 4800 /* 0.3 s */

static float in[N], out[3 * N];

static void tone(double hz, double amp)
{
	for (long i = 0; i < N; i++)
		in[i] = (float)(amp * sin(2 * M_PI * hz * (double)i / IN_RATE));
	upsample3(in, N, out);
}

/* The residual, in dB under the tone, of the output against the same tone
 * at 48 kHz, away from the edges (where silence is taken outside). */
static double residual_db(double hz, double amp)
{
	double err = 0, sig = 0;
	for (long j = 600; j < 3 * N - 600; j++) {
		double want = amp * sin(2 * M_PI * hz * (double)j / (3 * IN_RATE));
		err += (out[j] - want) * (out[j] - want);
		sig += want * want;
	}
	return 10 * log10(err / sig);
}

static void exact_at_the_input_instants(void **unused)
{
	(void)unused;
	tone(1234, 0.7);
	for (long i = 0; i < N; i++)
		assert_true(out[3 * i] == in[i]);
}

static void dc_passes_untouched(void **unused)
{
	(void)unused;
	for (long i = 0; i < N; i++)
		in[i] = 0.5f;
	upsample3(in, N, out);
	for (long j = 300; j < 3 * N - 300; j++)
		assert_true(fabs(out[j] - 0.5) < 1e-6);
}

/* Speech's band: a 1 kHz and a 6 kHz tone come through as themselves
 * (the images of a 6 kHz tone at 10 and 22 kHz are what a poor filter
 * leaves), and a loud 7.5 kHz tone still within 1 dB. */
static void the_band_through_the_images_gone(void **unused)
{
	(void)unused;
	tone(1000, 0.9);
	assert_true(residual_db(1000, 0.9) < -90); /* measured -98 */
	tone(6000, 0.9);
	assert_true(residual_db(6000, 0.9) < -80); /* measured -91 */
	tone(7500, 0.9);
	double peak = 0;
	for (long j = 600; j < 3 * N - 600; j++)
		peak = fmax(peak, fabs(out[j]));
	assert_true(peak > 0.9 * pow(10, -1 / 20.0) && peak < 0.9 * pow(10, 1 / 20.0));
}

/* Lengths 0, 1 and 2: nothing read past the input, the ends fade to
 * silence and the output is finite. */
static void short_inputs(void **unused)
{
	(void)unused;
	upsample3(in, 0, out);
	float one[1] = { 1 }, y[6];
	upsample3(one, 1, y);
	assert_true(y[0] == 1);
	assert_true(isfinite(y[1]) && isfinite(y[2]) && fabs(y[1]) < 1 && fabs(y[2]) < 1);
	float two[2] = { 1, -1 };
	upsample3(two, 2, y);
	assert_true(y[0] == 1 && y[3] == -1);
	for (int j = 0; j < 6; j++)
		assert_true(isfinite(y[j]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_at_the_input_instants),
		cmocka_unit_test(dc_passes_untouched),
		cmocka_unit_test(the_band_through_the_images_gone),
		cmocka_unit_test(short_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
