/* SPDX-License-Identifier: ISC */
/* The mixer's arithmetic. See mixer.h for the curves. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "mixer.h"

static double clamp01(double t)
{
	return t < 0 ? 0 : t > 1 ? 1 : t;
}

float mixer_ep_in(double t)
{
	return (float)sin(M_PI / 2 * clamp01(t));
}

float mixer_ep_out(double t)
{
	return (float)cos(M_PI / 2 * clamp01(t));
}

void mixer_ramp_set(struct mixer_ramp *r, float value)
{
	r->from = r->to = value;
	r->pos = r->len = 0;
}

static float ramp_at(const struct mixer_ramp *r, long pos)
{
	if (pos >= r->len)
		return r->to;
	double t = (double)pos / (double)r->len;
	double c = cos(M_PI / 2 * t), s = sin(M_PI / 2 * t);
	double g2 = (double)r->from * r->from * c * c + (double)r->to * r->to * s * s;
	return (float)sqrt(g2);
}

float mixer_ramp_value(const struct mixer_ramp *r)
{
	return ramp_at(r, r->pos);
}

bool mixer_ramp_settled(const struct mixer_ramp *r)
{
	return r->pos >= r->len;
}

void mixer_ramp_to(struct mixer_ramp *r, float target, long frames)
{
	float now = mixer_ramp_value(r);
	if (frames <= 0) {
		mixer_ramp_set(r, target);
		return;
	}
	r->from = now;
	r->to = target;
	r->pos = 0;
	r->len = frames;
}

void mixer_ramp_skip(struct mixer_ramp *r, long n)
{
	r->pos = n >= r->len - r->pos ? r->len : r->pos + n;
}

/* A ramp's gains frame by frame, without a sine and a cosine for each: the
 * curve's angle moves by the same step every frame, so (cos, sin) turns by
 * a fixed rotation; it starts exact at each call (a block of frames), so
 * rounding never builds up over more than one. */
struct ramp_walk {
	double c, s, cd, sd, f2, t2;
};

static void walk_start(struct ramp_walk *w, const struct mixer_ramp *r)
{
	double d = M_PI / 2 / (double)r->len, a = d * (double)r->pos;
	w->c = cos(a);
	w->s = sin(a);
	w->cd = cos(d);
	w->sd = sin(d);
	w->f2 = (double)r->from * r->from;
	w->t2 = (double)r->to * r->to;
}

/* The gain at the ramp's position, then one frame on. */
static float walk_step(struct ramp_walk *w, struct mixer_ramp *r)
{
	if (r->pos >= r->len)
		return r->to;
	float g = (float)sqrt(w->f2 * w->c * w->c + w->t2 * w->s * w->s);
	double c = w->c * w->cd - w->s * w->sd;
	w->s = w->s * w->cd + w->c * w->sd;
	w->c = c;
	r->pos++;
	return g;
}

void mixer_ramp_apply(struct mixer_ramp *r, float *buf, long n, int ch)
{
	if (mixer_ramp_settled(r)) { /* most of the time: a constant, often 1 */
		if (r->to != 1)
			for (long i = 0; i < n * ch; i++)
				buf[i] *= r->to;
		return;
	}
	struct ramp_walk w;
	walk_start(&w, r);
	for (long i = 0; i < n; i++) {
		float g = walk_step(&w, r);
		for (int c = 0; c < ch; c++)
			buf[i * ch + c] *= g;
	}
}

void mixer_ramp_add(struct mixer_ramp *r, float *dst, const float *src, long n, int ch)
{
	if (mixer_ramp_settled(r)) {
		mixer_add(dst, src, n, ch, r->to);
		return;
	}
	struct ramp_walk w;
	walk_start(&w, r);
	for (long i = 0; i < n; i++) {
		float g = walk_step(&w, r);
		for (int c = 0; c < ch; c++)
			dst[i * ch + c] += src[i * ch + c] * g;
	}
}

void mixer_add(float *dst, const float *src, long n, int ch, float gain)
{
	long total = n * ch;
	if (gain == 0)
		return;
	for (long i = 0; i < total; i++)
		dst[i] += src[i] * gain;
}

void mixer_zero(float *buf, long n, int ch)
{
	long total = n * ch;
	for (long i = 0; i < total; i++)
		buf[i] = 0;
}

void mixer_crossfade(float *out, const float *tail, const float *head, long n, int ch,
                   long start, long len)
{
	for (long i = 0; i < n; i++) {
		double t = len > 0 ? ((double)(start + i) + 0.5) / (double)len : 1;
		float wo = mixer_ep_out(t), wi = mixer_ep_in(t);
		for (int c = 0; c < ch; c++)
			out[i * ch + c] = tail[i * ch + c] * wo + head[i * ch + c] * wi;
	}
}

float mixer_limit_sample(float x)
{
	const float k = MIXER_LIMIT_KNEE, room = 1.0f - MIXER_LIMIT_KNEE;
	if (isnan(x))
		return 0;
	float a = fabsf(x);
	if (a <= k)
		return x;
	/* tanh keeps slope 1 at the knee, so the curve has no corner. Guard the
	 * float rounding of tanh(large) == 1 so the result stays below 1. */
	/* Through a volatile float: on 32-bit x86 the x87 keeps y in 80 bits,
	 * where it may be just below 1 and still round to 1 when stored (GCC's
	 * default -fexcess-precision=fast; tools/m32-check.sh caught it). */
	volatile float rounded = k + room * tanhf((a - k) / room);
	float y = rounded;
	if (y >= 1.0f)
		y = nextafterf(1.0f, 0.0f);
	return x < 0 ? -y : y;
}

void mixer_limit(float *buf, long n, int ch)
{
	long total = n * ch;
	for (long i = 0; i < total; i++)
		if (!(fabsf(buf[i]) <= MIXER_LIMIT_KNEE)) /* above the knee, or NaN */
			buf[i] = mixer_limit_sample(buf[i]);
}

/* The conversions run over every sample of every layer twice (feed.c) and
 * of the output once: four SSE2 instructions for eight samples (the
 * rounding is the processor's, nearest by default, and the pack saturates,
 * which is the clamp), where the scalar loop's clamps keep a compiler from
 * vectorising it. The scalar loop rounds the same way: 1.5 * 2^23 added
 * leaves the integer in the low bits of the float's mantissa. */
static short round_s16(float v)
{
	v = v > 32767.0f ? 32767.0f : v;
	v = v < -32768.0f ? -32768.0f : v;
	v = v == v ? v : 0;
	float t = v + 12582912.0f;
	int32_t bits;
	memcpy(&bits, &t, sizeof bits);
	return (short)(bits - 0x4B400000);
}

void mixer_to_s16_scaled(short *dst, const float *src, long samples, float scale)
{
	long i = 0;
#ifdef __SSE2__
	const __m128 k = _mm_set1_ps(scale);
	for (; i + 8 <= samples; i += 8) {
		__m128 a = _mm_mul_ps(_mm_loadu_ps(src + i), k), b = _mm_mul_ps(_mm_loadu_ps(src + i + 4), k);
		a = _mm_and_ps(a, _mm_cmpord_ps(a, a)); /* NaN: 0 */
		b = _mm_and_ps(b, _mm_cmpord_ps(b, b));
		_mm_storeu_si128((__m128i *)(dst + i), _mm_packs_epi32(_mm_cvtps_epi32(a), _mm_cvtps_epi32(b)));
	}
#endif
	for (; i < samples; i++)
		dst[i] = round_s16(src[i] * scale);
}

void mixer_to_s16(short *dst, const float *src, long samples)
{
	mixer_to_s16_scaled(dst, src, samples, 32767.0f);
}

void mixer_from_s16(float *dst, const short *src, long samples, float scale)
{
	for (long i = 0; i < samples; i++) /* vectorised as it is */
		dst[i] = (float)src[i] * scale;
}
