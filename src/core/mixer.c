/* The mixer's arithmetic. See mixer.h for the curves. */
#include "config.h"

#include <math.h>

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

void mixer_ramp_apply(struct mixer_ramp *r, float *buf, long n, int ch)
{
	if (mixer_ramp_settled(r)) { /* most of the time: a constant, often 1 */
		if (r->to != 1)
			for (long i = 0; i < n * ch; i++)
				buf[i] *= r->to;
		return;
	}
	for (long i = 0; i < n; i++) {
		float g = ramp_at(r, r->pos);
		if (r->pos < r->len)
			r->pos++;
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
	for (long i = 0; i < n; i++) {
		float g = ramp_at(r, r->pos);
		if (r->pos < r->len)
			r->pos++;
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
	float y = k + room * tanhf((a - k) / room);
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

void mixer_to_s16(short *dst, const float *src, long samples)
{
	for (long i = 0; i < samples; i++) {
		float v = src[i] * 32767.0f;
		if (v > 32767.0f)
			v = 32767.0f;
		else if (v < -32768.0f)
			v = -32768.0f;
		dst[i] = (short)lrintf(v);
	}
}
