/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <math.h>

#include "upsample.h"

#define BETA 7.9 /* the Kaiser window's: about 80 dB of stopband */

#define PHASES 3
#define HALF 54 /* the prototype's centre, a multiple of PHASES (see design) */
#define LEN (2 * HALF + 1)

/* The zeroth-order modified Bessel function, by its series (converges fast
 * for the window's arguments). */
static double bessel_i0(double x)
{
	double sum = 1, term = 1;
	for (int k = 1; k < 40; k++) {
		term *= (x / (2 * k)) * (x / (2 * k));
		sum += term;
		if (term < sum * 1e-12)
			break;
	}
	return sum;
}

/* A windowed sinc cut at the input's Nyquist (8 kHz of 48), LEN taps
 * centred on HALF, split by phase: coef[p][k] is the prototype's tap
 * PHASES * k + p (the two past LEN are 0). The centre being a multiple of
 * PHASES puts phase 0 on the sinc's zeros, so out[3i] is in[i] itself. */
static void design(double coef[PHASES][UPSAMPLE3_TAPS])
{
	_Static_assert(HALF % PHASES == 0 && LEN <= PHASES * UPSAMPLE3_TAPS, "the prototype fits the phases");
	for (int i = 0; i < PHASES * UPSAMPLE3_TAPS; i++) {
		double v = 0;
		if (i < LEN) {
			double t = (double)(i - HALF) / PHASES; /* in input samples */
			double sinc = i == HALF ? 1 : (i - HALF) % PHASES == 0 ? 0 /* sin(pi k), exactly */
			                                                    : sin(M_PI * t) / (M_PI * t);
			double r = (double)(i - HALF) / HALF;
			v = sinc * bessel_i0(BETA * sqrt(fmax(0, 1 - r * r))) / bessel_i0(BETA);
		}
		coef[i % PHASES][i / PHASES] = v;
	}
	/* Phases 1 and 2 summed to exactly 1: DC passes untouched, and no
	 * phase is louder than another (a 16 kHz whine). Phase 0 is 1 and
	 * zeros already. */
	for (int p = 1; p < PHASES; p++) {
		double s = 0;
		for (int k = 0; k < UPSAMPLE3_TAPS; k++)
			s += coef[p][k];
		for (int k = 0; k < UPSAMPLE3_TAPS; k++)
			coef[p][k] /= s;
	}
}

/* One output sample: taps t[0..TAPS-1] against x[0..TAPS-1], oldest input
 * first. Four partial sums, so that the additions need not wait on one
 * another (the compiler may not reorder a float sum itself). */
static float dot(const float *t, const float *x)
{
	float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
	int k = 0;
	for (; k + 4 <= UPSAMPLE3_TAPS; k += 4) {
		s0 += t[k] * x[k];
		s1 += t[k + 1] * x[k + 1];
		s2 += t[k + 2] * x[k + 2];
		s3 += t[k + 3] * x[k + 3];
	}
	for (; k < UPSAMPLE3_TAPS; k++)
		s0 += t[k] * x[k];
	return (s0 + s1) + (s2 + s3);
}

void upsample3(const float *in, long n, float *out)
{
	double coef[PHASES][UPSAMPLE3_TAPS];
	design(coef);
	/* Zeros between the input's samples make u (u[3i] = in[i]); out[j] is
	 * the prototype h run over u and shifted by its centre:
	 * out[j] = sum_k h[PHASES k + p] in[newest - k], p = (j + HALF) % 3,
	 * newest = (j + HALF) / 3. The taps are kept oldest input first, as
	 * floats, so that the inner loop runs forward over memory. */
	float rev[PHASES][UPSAMPLE3_TAPS];
	for (int p = 0; p < PHASES; p++)
		for (int k = 0; k < UPSAMPLE3_TAPS; k++)
			rev[p][UPSAMPLE3_TAPS - 1 - k] = (float)coef[p][k];
	for (long j = 0; j < PHASES * n; j++) {
		long m = j + HALF;
		int p = (int)(m % PHASES);
		long newest = m / PHASES, oldest = newest - (UPSAMPLE3_TAPS - 1);
		if (oldest >= 0 && newest < n) { /* all inside: most of the line */
			out[j] = p == 0 ? in[newest - HALF / PHASES] : dot(rev[p], in + oldest);
			continue;
		}
		float acc = 0; /* at the ends, silence outside */
		for (long i = oldest < 0 ? 0 : oldest; i <= newest && i < n; i++)
			acc += rev[p][i - oldest] * in[i];
		out[j] = acc;
	}
}
