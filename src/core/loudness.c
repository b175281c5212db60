/* SPDX-License-Identifier: ISC */
/* BS.1770 integrated loudness. The K-weighting stages are designed from their
 * analog parameters (a +4 dB shelf near 1.7 kHz, a second-order high-pass near
 * 38 Hz) so the measure works at any rate, not only 48 kHz. */
#include "config.h"

#include <math.h>
#include <stdbool.h>
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

/* The power mean of blocks of `len` quarters, one starting at each quarter,
 * over the gates: absolute at -70 LUFS, relative at rel_lu under the mean
 * of those above it. Each block's mean square (K-weighted, channels summed)
 * into z, if not NULL; how many blocks there are. */
static long blocks(const struct loudness_meter *m, long len, double **z)
{
	long nblk = m->nsub - len + 1;
	if (nblk <= 0)
		return 0;
	double *b = xmalloc(sizeof *b * (size_t)nblk);
	for (long j = 0; j < nblk; j++) {
		double sum = 0;
		for (long i = 0; i < len; i++)
			sum += m->sub[j + i];
		b[j] = sum / ((double)len * m->step);
	}
	*z = b;
	return nblk;
}

static double lufs_of(double ms)
{
	return -0.691 + 10 * log10(ms);
}

/* The mean of the blocks above the absolute gate and rel_lu under their
 * mean; 0 when none is. */
static double gated_mean(const double *z, long nblk, double rel_lu, double *rel_gate)
{
	double abs_gate = pow(10, (-70 + 0.691) / 10), sum = 0;
	long n = 0;
	for (long j = 0; j < nblk; j++)
		if (z[j] > abs_gate) {
			sum += z[j];
			n++;
		}
	if (n == 0)
		return 0;
	double rel = sum / n * pow(10, rel_lu / 10), s2 = 0;
	long n2 = 0;
	for (long j = 0; j < nblk; j++)
		if (z[j] > abs_gate && z[j] > rel) {
			s2 += z[j];
			n2++;
		}
	*rel_gate = rel > abs_gate ? rel : abs_gate;
	return n2 > 0 ? s2 / n2 : 0;
}

/* The interpolator's taps: phase k (1..3) gives the value k/4 of the way
 * from the sixth of LOUDNESS_TP_TAPS samples to the seventh. Each phase sums
 * to 1 (a constant stays itself). */
static void tp_kernel(double h[3][LOUDNESS_TP_TAPS], double *gain)
{
	const int half = LOUDNESS_TP_TAPS / 2;
	*gain = 0;
	for (int k = 1; k <= 3; k++) {
		double sum = 0, abs_sum = 0;
		for (int j = 0; j < LOUDNESS_TP_TAPS; j++) {
			double u = (j - (half - 1)) - k / 4.0; /* tap j sits at x[half - 1] + u */
			double w = 0.5 * (1 + cos(M_PI * u / half));
			h[k - 1][j] = w * sin(M_PI * u) / (M_PI * u);
			sum += h[k - 1][j];
		}
		for (int j = 0; j < LOUDNESS_TP_TAPS; j++) {
			h[k - 1][j] /= sum;
			abs_sum += fabs(h[k - 1][j]);
		}
		*gain = fmax(*gain, abs_sum);
	}
}

/* The largest |value| of one channel on and just after sample x[half - 1]
 * of a window of taps (stride apart). */
static double tp_window(const double h[3][LOUDNESS_TP_TAPS], const float *x, int stride)
{
	double p = fabs(x[(LOUDNESS_TP_TAPS / 2 - 1) * stride]);
	for (int k = 0; k < 3; k++) {
		double y = 0;
		for (int j = 0; j < LOUDNESS_TP_TAPS; j++)
			y += h[k][j] * x[j * stride];
		if (fabs(y) > p)
			p = fabs(y);
	}
	return p;
}

/* The largest |sample| of a frame. */
static double frame_top(const float *f, int ch)
{
	double top = 0;
	for (int c = 0; c < ch; c++)
		if (fabsf(f[c]) > top)
			top = fabsf(f[c]);
	return top;
}

void loudness_meter_init(struct loudness_meter *m, int ch, int rate)
{
	memset(m, 0, sizeof *m);
	m->ch = ch < 1 ? 1 : ch > LOUDNESS_MAX_CH ? LOUDNESS_MAX_CH : ch;
	m->rate = rate;
	m->step = rate / 10; /* 100 ms: a block is four of these */
	m->hot = -2 * LOUDNESS_TP_TAPS;
	for (int c = 0; c < m->ch; c++)
		loudness_k_filters(&m->shelf[c], &m->hp[c], rate);
}

void loudness_meter_free(struct loudness_meter *m)
{
	free(m->sub);
	m->sub = NULL;
	m->nsub = m->cap = 0;
}

void loudness_meter_feed(struct loudness_meter *m, const float *buf, long frames)
{
	double h[3][LOUDNESS_TP_TAPS], gain;
	tp_kernel(h, &gain);
	const int T = LOUDNESS_TP_TAPS;
	for (long i = 0; i < frames; i++) {
		const float *f = buf + i * m->ch;
		for (int c = 0; c < m->ch; c++) {
			double y = biquad_step(&m->hp[c], biquad_step(&m->shelf[c], f[c]));
			m->acc += y * y;
		}
		if (++m->filled == m->step) {
			if (m->nsub == m->cap) {
				m->cap = m->cap ? 2 * m->cap : 600;
				m->sub = xrealloc(m->sub, sizeof *m->sub * (size_t)m->cap);
			}
			m->sub[m->nsub++] = m->acc;
			m->acc = 0;
			m->filled = 0;
		}
		memmove(m->hist, m->hist + m->ch, sizeof(float) * (size_t)((T - 1) * m->ch));
		memcpy(m->hist + (T - 1) * m->ch, f, sizeof(float) * (size_t)m->ch);
		/* Nothing between samples passes the peak so far unless a
		 * sample of the window could take it there: only then is the
		 * window worked out. */
		if (frame_top(f, m->ch) * gain > m->peak)
			m->hot = m->seen;
		if (++m->seen >= T / 2 && m->seen - m->hot <= T) /* the window's middle is a sample fed */
			for (int c = 0; c < m->ch; c++) {
				double p = tp_window(h, m->hist + c, m->ch);
				if (p > m->peak)
					m->peak = p;
			}
	}
}

double loudness_meter_integrated(const struct loudness_meter *m)
{
	double *z, gate = 0;
	long nblk = blocks(m, 4, &z);
	if (nblk == 0)
		return -HUGE_VAL;
	double mean = gated_mean(z, nblk, -10, &gate);
	free(z);
	return mean > 0 ? lufs_of(mean) : -HUGE_VAL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double loudness_meter_range(const struct loudness_meter *m)
{
	double *z, gate = 0;
	long nblk = blocks(m, 30, &z); /* 3 s, ten a second */
	if (nblk == 0)
		return 0;
	double lra = 0;
	if (gated_mean(z, nblk, -20, &gate) > 0) {
		long n = 0;
		for (long j = 0; j < nblk; j++)
			if (z[j] > gate)
				z[n++] = z[j];
		qsort(z, (size_t)n, sizeof *z, cmp_double);
		if (n > 0)
			lra = lufs_of(z[(long)lrint(0.95 * (double)(n - 1))]) - lufs_of(z[(long)lrint(0.10 * (double)(n - 1))]);
	}
	free(z);
	return lra;
}

double loudness_meter_true_peak(const struct loudness_meter *m)
{
	return m->peak > 0 ? 20 * log10(m->peak) : -HUGE_VAL;
}

double loudness_integrated(const float *buf, long frames, int ch, int rate)
{
	struct loudness_meter m;
	loudness_meter_init(&m, ch, rate);
	loudness_meter_feed(&m, buf, frames);
	double l = loudness_meter_integrated(&m);
	loudness_meter_free(&m);
	return l;
}

float loudness_peak(const float *buf, long samples)
{
	float p = 0;
	for (long i = 0; i < samples; i++)
		p = fmaxf(p, fabsf(buf[i]));
	return p;
}

/* ---------------------------------------------------------------- limiter
 * Frame c's gain need: ceiling over its true peak (on it and up to the next
 * sample), at most 1. The gain applied to frame c is the mean, over the
 * `look` frames after it, of the smallest need in the `look` frames before
 * each: every term is at most c's need, so the mean is too, and it moves
 * smoothly (a ramp of `look` frames, no step). Going back up is slower
 * still: the held minimum rises toward 1 by a fixed part of the way a frame.
 * The true peak's window wants the 6 frames after c: c leaves `look` + 6
 * frames after it came. */
void loudness_limiter_init(struct loudness_limiter *l, int ch, int rate, double ceiling_db,
                           double look_s, double release_s)
{
	memset(l, 0, sizeof *l);
	l->ch = ch < 1 ? 1 : ch > LOUDNESS_MAX_CH ? LOUDNESS_MAX_CH : ch;
	l->look = (long)(look_s * rate + 0.5);
	if (l->look < 1)
		l->look = 1;
	l->latency = l->look + LOUDNESS_TP_TAPS / 2;
	l->n = l->latency + LOUDNESS_TP_TAPS + 1;
	l->ceiling = pow(10, ceiling_db / 20);
	l->rise = 1 - exp(-1 / (release_s * rate > 1 ? release_s * rate : 1));
	l->ring = xcalloc((size_t)(l->n * l->ch), sizeof *l->ring);
	l->minv = xmalloc(sizeof *l->minv * (size_t)(l->look + 1));
	l->mini = xmalloc(sizeof *l->mini * (size_t)(l->look + 1));
	l->box = xmalloc(sizeof *l->box * (size_t)l->look);
	for (long i = 0; i < l->look; i++)
		l->box[i] = 1;
	l->boxsum = (double)l->look;
	l->held = 1;
	l->hot = -2 * LOUDNESS_TP_TAPS;
}

void loudness_limiter_free(struct loudness_limiter *l)
{
	free(l->ring);
	free(l->minv);
	free(l->mini);
	free(l->box);
	memset(l, 0, sizeof *l);
}

static float *ring_at(const struct loudness_limiter *l, long frame)
{
	return l->ring + ((frame % l->n + l->n) % l->n) * l->ch;
}

/* One frame in; true when one came out into out. */
static bool limiter_step(struct loudness_limiter *l, const double h[3][LOUDNESS_TP_TAPS], double gain,
                         const float *f, float *out)
{
	const int T = LOUDNESS_TP_TAPS;
	long m = l->in++;
	memcpy(ring_at(l, m), f, sizeof(float) * (size_t)l->ch);
	long c = m - T / 2; /* the frame whose window is whole: c - 5 .. c + 6 */
	if (c < 0)
		return false;
	/* Only a window with a sample that could take it over the ceiling
	 * is worked out. */
	if (frame_top(f, l->ch) * gain > l->ceiling)
		l->hot = m;
	double need = 1;
	if (m - l->hot < T) {
		float win[LOUDNESS_TP_TAPS];
		double peak = 0;
		for (int ch = 0; ch < l->ch; ch++) {
			for (int j = 0; j < T; j++)
				win[j] = ring_at(l, c - (T / 2 - 1) + j)[ch];
			double p = tp_window(h, win, 1);
			if (p > peak)
				peak = p;
		}
		if (peak > l->ceiling)
			need = l->ceiling / peak;
	}
	/* The sliding minimum of the needs of frames c - look .. c. */
	long cap = l->look + 1;
	while (l->qlen > 0 && l->minv[(l->qhead + l->qlen - 1) % cap] >= need)
		l->qlen--;
	l->minv[(l->qhead + l->qlen) % cap] = need;
	l->mini[(l->qhead + l->qlen) % cap] = c;
	l->qlen++;
	while (l->mini[l->qhead] < c - l->look) {
		l->qhead = (l->qhead + 1) % cap;
		l->qlen--;
	}
	double low = l->minv[l->qhead];
	double up = l->held + (1 - l->held) * l->rise;
	l->held = low < up ? low : up;
	long slot = c % l->look;
	l->boxsum += l->held - l->box[slot];
	l->box[slot] = l->held;
	long p = c - l->look;
	if (p < 0)
		return false;
	double g = l->boxsum / (double)l->look;
	if (g > 1)
		g = 1;
	const float *x = ring_at(l, p);
	for (int ch = 0; ch < l->ch; ch++)
		out[ch] = (float)(x[ch] * g);
	return true;
}

long loudness_limiter_run(struct loudness_limiter *l, const float *in, float *out, long n)
{
	double h[3][LOUDNESS_TP_TAPS], gain;
	tp_kernel(h, &gain);
	long k = 0;
	for (long i = 0; i < n; i++)
		k += limiter_step(l, h, gain, in + i * l->ch, out + k * l->ch);
	return k;
}

long loudness_limiter_flush(struct loudness_limiter *l, float *out)
{
	double h[3][LOUDNESS_TP_TAPS], gain;
	tp_kernel(h, &gain);
	float zero[LOUDNESS_MAX_CH] = { 0 };
	long k = 0;
	for (long i = 0; i < l->latency; i++)
		k += limiter_step(l, h, gain, zero, out + k * l->ch);
	return k;
}
