/* SPDX-License-Identifier: ISC */
/* The mixer on synthetic signals: equal-power curves, monotone fades, the
 * limiter's bound, and a loop seam without a step. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include "mixer.h"

static void test_equal_power_constant(void **state)
{
	for (int i = 0; i <= 1000; i++) {
		double t = i / 1000.0;
		double p = pow(mixer_ep_in(t), 2) + pow(mixer_ep_out(t), 2);
		assert_true(fabs(p - 1.0) < 1e-6);
	}
	/* Two uncorrelated unit-power signals crossfaded keep unit power. */
	enum { N = 48000 };
	float *a = malloc(sizeof(float) * N), *b = malloc(sizeof(float) * N), *o = malloc(sizeof(float) * N);
	unsigned s = 1;
	for (int i = 0; i < N; i++) {
		s = s * 1103515245u + 12345u;
		a[i] = (i & 1) ? 1.0f : -1.0f;             /* power 1 */
		b[i] = (s >> 16 & 1) ? 1.0f : -1.0f;        /* power 1, independent */
	}
	mixer_crossfade(o, a, b, N, 1, 0, N);
	/* Power over windows of 4800 frames stays within 0.5 dB of 1. */
	for (int w = 0; w < N; w += 4800) {
		double p = 0;
		for (int i = w; i < w + 4800; i++)
			p += (double)o[i] * o[i];
		p /= 4800;
		assert_true(fabs(10 * log10(p)) < 0.5);
	}
	free(a);
	free(b);
	free(o);
}

static void check_monotone(float from, float to, long len)
{
	struct mixer_ramp r;
	mixer_ramp_set(&r, from);
	mixer_ramp_to(&r, to, len);
	enum { N = 1000 };
	float buf[N];
	float prev = from;
	long done = 0;
	while (done < len + 100) {
		for (int i = 0; i < N; i++)
			buf[i] = 1.0f;
		mixer_ramp_apply(&r, buf, N, 1);
		for (int i = 0; i < N; i++) {
			if (to >= from)
				assert_true(buf[i] >= prev - 1e-7f);
			else
				assert_true(buf[i] <= prev + 1e-7f);
			prev = buf[i];
		}
		done += N;
	}
	assert_true(fabsf(prev - to) < 1e-6f);
	assert_true(mixer_ramp_settled(&r));
}

static void test_fades_monotone(void **state)
{
	check_monotone(0, 1, 48000);      /* fade in */
	check_monotone(1, 0, 48000 * 3);  /* fade out */
	check_monotone(0.3f, 0.9f, 12345);
	check_monotone(0.8f, 0.2f, 777);
	check_monotone(0.5f, 0.5f, 1000); /* flat stays flat */
}

static void test_ramp_retarget_midway_is_continuous(void **state)
{
	struct mixer_ramp r;
	mixer_ramp_set(&r, 0);
	mixer_ramp_to(&r, 1, 1000);
	float buf[500];
	for (int i = 0; i < 500; i++)
		buf[i] = 1;
	mixer_ramp_apply(&r, buf, 500, 1);
	float before = mixer_ramp_value(&r);
	mixer_ramp_to(&r, 0, 1000); /* e.g. a pause during a fade-in */
	assert_true(fabsf(mixer_ramp_value(&r) - before) < 1e-6f);
	assert_true(fabsf(buf[499] - before) < 0.01f);
}

static void test_ramp_add_equals_apply(void **state)
{
	struct mixer_ramp r1, r2;
	mixer_ramp_set(&r1, 0.2f);
	mixer_ramp_to(&r1, 0.7f, 300);
	r2 = r1;
	float src[800], a[800], b[800];
	for (int i = 0; i < 800; i++) {
		src[i] = sinf((float)i * 0.1f);
		a[i] = src[i];
		b[i] = 0;
	}
	mixer_ramp_apply(&r1, a, 400, 2);
	mixer_ramp_add(&r2, b, src, 400, 2);
	for (int i = 0; i < 800; i++)
		assert_true(fabsf(a[i] - b[i]) < 1e-6f);
}

static void test_limiter_holds(void **state)
{
	/* Four full-scale layers summed: peaks at 4. */
	enum { N = 48000 };
	float *buf = calloc(N * 2, sizeof(float));
	float layer[N * 2];
	for (int l = 0; l < 4; l++) {
		for (int i = 0; i < N * 2; i++)
			layer[i] = sinf((float)i * (0.01f + 0.003f * (float)l));
		mixer_add(buf, layer, N, 2, 1.0f);
	}
	float peak_in = 0;
	for (int i = 0; i < N * 2; i++)
		peak_in = fmaxf(peak_in, fabsf(buf[i]));
	assert_true(peak_in > 3.0f);
	mixer_limit(buf, N, 2);
	for (int i = 0; i < N * 2; i++)
		assert_true(fabsf(buf[i]) < 1.0f);
	free(buf);
	/* Transparent below the knee, monotone and bounded above it. */
	assert_true(mixer_limit_sample(0.5f) == 0.5f);
	assert_true(mixer_limit_sample(-0.8f) == -0.8f);
	float prev = 0;
	for (float x = 0; x < 100; x += 0.01f) {
		float y = mixer_limit_sample(x);
		assert_true(y >= prev);
		assert_true(y < 1.0f);
		assert_true(mixer_limit_sample(-x) == -y);
		prev = y;
	}
	assert_true(mixer_limit_sample(1e30f) < 1.0f);
	assert_true(mixer_limit_sample(INFINITY) < 1.0f);
	assert_true(mixer_limit_sample(NAN) == 0.0f);
	/* No corner at the knee: slope just above it is still about 1. */
	float d = (mixer_limit_sample(0.8f + 1e-3f) - 0.8f) / 1e-3f;
	assert_true(d > 0.99f && d <= 1.0f + 1e-3f);
}

/* A loop seam: a sine whose period does not divide the loop length has a
 * step at the jump; crossfading the tail into the head removes it. The largest
 * sample-to-sample difference across the seam must stay below 1.5 times the
 * signal's own largest step (threshold: the seam is no rougher than the
 * signal). */
static void test_loop_seam(void **state)
{
	enum { N = 4410, X = 441 };
	float sig[N];
	const float w = 2 * (float)M_PI * 437.0f / 44100.0f;
	for (int i = 0; i < N; i++)
		sig[i] = 0.5f * sinf(w * (float)i);
	float own = 0;
	for (int i = 1; i < N; i++)
		own = fmaxf(own, fabsf(sig[i] - sig[i - 1]));
	float naive = fabsf(sig[0] - sig[N - 1]);
	/* Played stream: ... sig[N-X-1], xfade(sig[N-X..N), sig[0..X)), sig[X] ... */
	float seam[X + 2];
	seam[0] = sig[N - X - 1];
	mixer_crossfade(seam + 1, sig + N - X, sig, X, 1, 0, X);
	seam[X + 1] = sig[X];
	float worst = 0;
	for (int i = 1; i < X + 2; i++)
		worst = fmaxf(worst, fabsf(seam[i] - seam[i - 1]));
	assert_true(naive > 0.05f); /* the naive loop really clicks */
	assert_true(worst < 1.5f * own);
}

static void test_to_s16(void **state)
{
	float f[5] = { 0, 1.0f, -1.0f, 2.0f, 0.5f };
	short s[5];
	mixer_to_s16(s, f, 5);
	assert_int_equal(s[0], 0);
	assert_int_equal(s[1], 32767);
	assert_int_equal(s[2], -32767);
	assert_int_equal(s[3], 32767);
	assert_int_equal(s[4], 16384);
	/* The vector loop (eight at a time) and the scalar rest agree, with
	 * ties to even, clamps both ways and NaN, at libsndfile's 16-bit
	 * scale, where a 16-bit sample goes there and back unchanged. */
	float g[19] = { 0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 40000, -40000, NAN,
			0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 40000, -40000, NAN, 3.4f, -3.6f, 0 };
	short want[19] = { 0, 2, 2, 0, -2, 32767, -32768, 0, 0, 2, 2, 0, -2, 32767, -32768, 0, 3, -4, 0 };
	short got[19];
	mixer_to_s16_scaled(got, g, 19, 1.0f);
	for (int i = 0; i < 19; i++)
		assert_int_equal(got[i], want[i]);
	short all[1000];
	float back[1000];
	for (int i = 0; i < 1000; i++)
		all[i] = (short)(i * 65 - 32768);
	mixer_from_s16(back, all, 1000, 1.0f / 32768);
	short again[1000];
	mixer_to_s16_scaled(again, back, 1000, 32768);
	assert_memory_equal(all, again, sizeof all);
}

/* Skipping frames of a ramp lands where applying it would: the same value
 * after, part-way and past its end (it then stays settled); a settled ramp
 * at 1 leaves a buffer as it is, one at another value scales it. */
static void test_ramp_skip_and_settled(void **state)
{
	struct mixer_ramp a, b;
	mixer_ramp_set(&a, 1);
	mixer_ramp_to(&a, 0.2f, 1000);
	b = a;
	float buf[700];
	for (int i = 0; i < 700; i++)
		buf[i] = 1;
	mixer_ramp_apply(&a, buf, 700, 1);
	mixer_ramp_skip(&b, 700);
	assert_true(mixer_ramp_value(&a) == mixer_ramp_value(&b));
	mixer_ramp_skip(&b, 5000);
	assert_true(mixer_ramp_settled(&b));
	assert_true(mixer_ramp_value(&b) == 0.2f);
	mixer_ramp_skip(&b, 10);
	assert_true(mixer_ramp_settled(&b));
	float x[4] = { 0.5f, -0.25f, 1, 0 };
	struct mixer_ramp one;
	mixer_ramp_set(&one, 1);
	mixer_ramp_apply(&one, x, 2, 2);
	assert_true(x[0] == 0.5f && x[1] == -0.25f && x[2] == 1 && x[3] == 0);
	mixer_ramp_apply(&b, x, 2, 2);
	assert_true(x[0] == 0.5f * 0.2f && x[2] == 0.2f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equal_power_constant),
		cmocka_unit_test(test_fades_monotone),
		cmocka_unit_test(test_ramp_retarget_midway_is_continuous),
		cmocka_unit_test(test_ramp_add_equals_apply),
		cmocka_unit_test(test_limiter_holds),
		cmocka_unit_test(test_loop_seam),
		cmocka_unit_test(test_to_s16),
		cmocka_unit_test(test_ramp_skip_and_settled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
