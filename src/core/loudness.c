/* SPDX-License-Identifier: ISC */
/* BS.1770 integrated loudness. The K-weighting stages are designed from their
 * analog parameters (a +4 dB shelf near 1.7 kHz, a second-order high-pass near
 * 38 Hz) so the measure works at any rate, not only 48 kHz. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "loudness.h"
#include "util.h"

double biquad_step(struct biquad *f, double x)
{
	double y = f->b0 * x + f->b1 * f->x1 + f->b2 * f->x2 - f->a1 * f->y1 - f->a2 * f->y2;
	f->x2 = f->x1;
	f->x1 = x;
	f->y2 = f->y1;
	f->y1 = y;
	return y;
}

static void set(struct biquad *f, double b0, double b1, double b2, double a0, double a1, double a2)
{
	memset(f, 0, sizeof *f);
	f->b0 = b0 / a0;
	f->b1 = b1 / a0;
	f->b2 = b2 / a0;
	f->a1 = a1 / a0;
	f->a2 = a2 / a0;
}

/* Bilinear transform with K = tan(pi f / fs): s -> (z - 1) / (z + 1) / K. */
void biquad_lowpass(struct biquad *f, double rate, double freq, double q)
{
	double k = tan(M_PI * freq / rate), k2 = k * k;
	set(f, k2, 2 * k2, k2, 1 + k / q + k2, 2 * (k2 - 1), 1 - k / q + k2);
}

void biquad_highpass(struct biquad *f, double rate, double freq, double q)
{
	double k = tan(M_PI * freq / rate), k2 = k * k;
	set(f, 1, -2, 1, 1 + k / q + k2, 2 * (k2 - 1), 1 - k / q + k2);
}

void biquad_bandpass(struct biquad *f, double rate, double freq, double q)
{
	double k = tan(M_PI * freq / rate), k2 = k * k;
	set(f, k / q, 0, -k / q, 1 + k / q + k2, 2 * (k2 - 1), 1 - k / q + k2);
}

void loudness_k_filters(struct biquad *shelf, struct biquad *hp, double rate)
{
	/* Stage 1: high shelf, f0 1681.97 Hz, +4.0 dB, Q 0.7072 (BS.1770-4). */
	double f0 = 1681.974450955533, gain_db = 3.999843853973347, q = 0.7071752369554196;
	double k = tan(M_PI * f0 / rate), k2 = k * k;
	double vh = pow(10, gain_db / 20), vb = pow(vh, 0.4996667741545416);
	set(shelf, vh + vb * k / q + k2, 2 * (k2 - vh), vh - vb * k / q + k2,
	    1 + k / q + k2, 2 * (k2 - 1), 1 - k / q + k2);
	/* Stage 2: the "RLB" high-pass, f0 38.14 Hz, Q 0.5003. */
	biquad_highpass(hp, rate, 38.13547087602444, 0.5003270373238773);
}

double loudness_integrated(const float *buf, long frames, int ch, int rate)
{
	long step = rate / 10; /* 100 ms: a block is four of these */
	long nsub = frames / step;
	if (nsub < 4)
		return -HUGE_VAL;
	double *sub = xcalloc((size_t)nsub, sizeof *sub); /* sum of squares, all channels */
	for (int c = 0; c < ch; c++) {
		struct biquad s, h;
		loudness_k_filters(&s, &h, rate);
		for (long i = 0; i < nsub * step; i++) {
			double y = biquad_step(&h, biquad_step(&s, buf[i * ch + c]));
			sub[i / step] += y * y;
		}
	}
	long nblk = nsub - 3;
	double *z = xmalloc(sizeof *z * (size_t)nblk);
	for (long j = 0; j < nblk; j++)
		z[j] = (sub[j] + sub[j + 1] + sub[j + 2] + sub[j + 3]) / (4.0 * step);
	free(sub);
	double sum = 0;
	long n = 0;
	double abs_gate = pow(10, (-70 + 0.691) / 10);
	for (long j = 0; j < nblk; j++)
		if (z[j] > abs_gate) {
			sum += z[j];
			n++;
		}
	double out = -HUGE_VAL;
	if (n > 0) {
		double rel_gate = sum / n * pow(10, -10.0 / 10);
		double s2 = 0;
		long n2 = 0;
		for (long j = 0; j < nblk; j++)
			if (z[j] > abs_gate && z[j] > rel_gate) {
				s2 += z[j];
				n2++;
			}
		if (n2 > 0)
			out = -0.691 + 10 * log10(s2 / n2);
	}
	free(z);
	return out;
}

float loudness_peak(const float *buf, long samples)
{
	float p = 0;
	for (long i = 0; i < samples; i++)
		p = fmaxf(p, fabsf(buf[i]));
	return p;
}
