/* SPDX-License-Identifier: ISC */
/* The loudness meter against the test signals of EBU Tech 3341 (integrated
 * loudness, true peak) and Tech 3342 (loudness range), and the true-peak
 * limiter: under its ceiling whatever comes in, transparent below it. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "loudness.h"

enum { RATE = 48000 };

/* A stereo sine of `db` dBFS (peak) at freq, for secs, appended at *n. */
static float *sine(float *buf, long *n, double freq, double db, double secs, double phase)
{
	long k = (long)(secs * RATE);
	buf = realloc(buf, sizeof(float) * 2 * (size_t)(*n + k));
	double a = pow(10, db / 20);
	for (long i = 0; i < k; i++) {
		float v = (float)(a * sin(2 * M_PI * freq * (double)(*n + i) / RATE + phase));
		buf[2 * (*n + i)] = buf[2 * (*n + i) + 1] = v;
	}
	*n += k;
	return buf;
}

static void measure(const float *buf, long n, double *lufs, double *lra, double *tp)
{
	struct loudness_meter m;
	loudness_meter_init(&m, 2, RATE);
	/* fed in uneven pieces: the meter is the same however it is fed */
	for (long done = 0, piece = 1; done < n; done += piece, piece = piece * 3 % 4099 + 1) {
		if (piece > n - done)
			piece = n - done;
		loudness_meter_feed(&m, buf + 2 * done, piece);
	}
	*lufs = loudness_meter_integrated(&m);
	*lra = loudness_meter_range(&m);
	*tp = loudness_meter_true_peak(&m);
	loudness_meter_free(&m);
}

static void test_sine_levels(void **state)
{
	(void)state;
	static const double levels[] = { -20, -23, -33 }; /* Tech 3341 cases 1, 2 */
	for (size_t i = 0; i < sizeof levels / sizeof *levels; i++) {
		float *b = NULL;
		long n = 0;
		b = sine(b, &n, 1000, levels[i], 20, 0);
		double l, r, tp;
		measure(b, n, &l, &r, &tp);
		assert_true(fabs(l - levels[i]) <= 0.1);
		assert_true(r < 0.1);
		assert_true(fabs(tp - levels[i]) <= 0.1);
		/* one channel alone: 3 dB less */
		for (long k = 0; k < n; k++)
			b[2 * k + 1] = 0;
		measure(b, n, &l, &r, &tp);
		assert_true(fabs(l - (levels[i] - 3.01)) <= 0.1);
		free(b);
	}
}

/* Tech 3341 case 3 (the relative gate drops the quiet ends) and case 5. */
static void test_gates(void **state)
{
	(void)state;
	float *b = NULL;
	long n = 0;
	double l, r, tp;
	b = sine(b, &n, 1000, -36, 10, 0);
	b = sine(b, &n, 1000, -23, 60, 0);
	b = sine(b, &n, 1000, -36, 10, 0);
	measure(b, n, &l, &r, &tp);
	assert_true(fabs(l - -23) <= 0.1);
	free(b);
	b = NULL;
	n = 0;
	b = sine(b, &n, 1000, -26, 20, 0);
	b = sine(b, &n, 1000, -20, 20.1, 0);
	b = sine(b, &n, 1000, -26, 20, 0);
	measure(b, n, &l, &r, &tp);
	assert_true(fabs(l - -23) <= 0.1);
	free(b);
	/* silence is gated out whole */
	float quiet[2 * RATE] = { 0 };
	assert_true(isinf(loudness_integrated(quiet, RATE, 2, RATE)));
}

/* Tech 3342 cases 1 and 2: 20 s at one level, 20 s at another. */
static void test_range(void **state)
{
	(void)state;
	static const struct { double a, b, lra; } cases[] = { { -20, -30, 10 }, { -20, -15, 5 }, { -10, -20, 10 } };
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		float *b = NULL;
		long n = 0;
		double l, r, tp;
		b = sine(b, &n, 1000, cases[i].a, 20, 0);
		b = sine(b, &n, 1000, cases[i].b, 20, 0);
		measure(b, n, &l, &r, &tp);
		assert_true(fabs(r - cases[i].lra) <= 1);
		free(b);
	}
}

/* A sine at a quarter of the rate, 45 degrees off: every sample is at
 * 0.707 (-3 dBFS), the wave itself reaches 0 dB between them. */
static void test_true_peak_between_samples(void **state)
{
	(void)state;
	float *b = NULL;
	long n = 0;
	b = sine(b, &n, RATE / 4.0, 0, 1, M_PI / 4);
	double l, r, tp;
	measure(b, n, &l, &r, &tp);
	assert_true(fabs(20 * log10(loudness_peak(b, 2 * n)) - -3.01) < 0.05);
	assert_true(fabs(tp) <= 0.2);
	free(b);
}

static float *limit(struct loudness_limiter *lim, const float *in, long n)
{
	float *out = malloc(sizeof(float) * 2 * (size_t)(n + lim->latency));
	long got = 0;
	for (long done = 0, piece = 7; done < n; done += piece, piece = piece * 5 % 3001 + 1) {
		if (piece > n - done)
			piece = n - done;
		got += loudness_limiter_run(lim, in + 2 * done, out + 2 * got, piece);
	}
	got += loudness_limiter_flush(lim, out + 2 * got);
	assert_int_equal(got, n);
	return out;
}

static void test_limiter(void **state)
{
	(void)state;
	/* Bursts 6 dB over full scale, some with their peaks between samples,
	 * between quiet stretches. */
	float *b = NULL;
	long n = 0;
	for (int k = 0; k < 4; k++) {
		b = sine(b, &n, 440, -30, 0.5, 0);
		b = sine(b, &n, k & 1 ? RATE / 4.0 : 997, 6, 0.05 + 0.1 * k, M_PI / 4);
	}
	b = sine(b, &n, 440, -30, 0.5, 0);
	struct loudness_limiter lim;
	loudness_limiter_init(&lim, 2, RATE, -1.5, 0.005, 0.1);
	float *o = limit(&lim, b, n);
	double l, r, tp;
	measure(o, n, &l, &r, &tp);
	assert_true(tp <= -1.5 + 0.05);
	/* the quiet stretch after a burst comes back to its level: within
	 * 0.1 dB over the last 100 ms */
	double pin = 0, pout = 0;
	for (long k = 2 * (n - RATE / 10); k < 2 * n; k++) {
		pin += (double)b[k] * b[k];
		pout += (double)o[k] * o[k];
	}
	assert_true(fabs(10 * log10(pout / pin)) < 0.1);
	loudness_limiter_free(&lim);
	free(o);
	free(b);

	/* Under the ceiling: every sample as it came. */
	b = NULL;
	n = 0;
	b = sine(b, &n, 1000, -3, 1, 0);
	loudness_limiter_init(&lim, 2, RATE, -1.5, 0.005, 0.1);
	o = limit(&lim, b, n);
	assert_memory_equal(o, b, sizeof(float) * 2 * (size_t)n);
	loudness_limiter_free(&lim);
	free(o);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sine_levels),
		cmocka_unit_test(test_gates),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_true_peak_between_samples),
		cmocka_unit_test(test_limiter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
