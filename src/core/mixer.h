/* SPDX-License-Identifier: ISC */
/* The mixer: float buffers in, float buffers out. Pure: no I/O, no globals,
 * no allocation. Buffers are interleaved frames of `ch` channels.
 *
 * Gains move along equal-power curves: a ramp from g0 to g1 follows
 *     g(t) = sqrt(g0^2 cos^2(pi t/2) + g1^2 sin^2(pi t/2)),  0 <= t <= 1,
 * which is monotone, sounds even to the ear (power, not amplitude, moves
 * smoothly), and makes a fade-out of one signal and a fade-in of another sum
 * to constant power. */
#ifndef LULL_MIXER_H
#define LULL_MIXER_H

#include <stdbool.h>

/* A gain that moves to a target over a number of frames. */
struct mixer_ramp {
	float from, to;   /* the current ramp's ends */
	long pos, len;    /* frames done / total; pos == len: settled at `to` */
};

/* Equal-power weights at t in [0, 1] (clamped): in = sin, out = cos. */
float mixer_ep_in(double t);
float mixer_ep_out(double t);

void mixer_ramp_set(struct mixer_ramp *r, float value);
/* Starts a ramp from the present value; frames <= 0 jumps at once. */
void mixer_ramp_to(struct mixer_ramp *r, float target, long frames);
float mixer_ramp_value(const struct mixer_ramp *r);
bool mixer_ramp_settled(const struct mixer_ramp *r);
/* Advances the ramp by n frames, as if it had been applied to them. */
void mixer_ramp_skip(struct mixer_ramp *r, long n);
/* Multiplies n frames of buf by the ramp, advancing it. */
void mixer_ramp_apply(struct mixer_ramp *r, float *buf, long n, int ch);
/* dst += src * ramp, advancing the ramp. */
void mixer_ramp_add(struct mixer_ramp *r, float *dst, const float *src, long n, int ch);

/* dst += src * gain over n frames. */
void mixer_add(float *dst, const float *src, long n, int ch, float gain);
void mixer_zero(float *buf, long n, int ch);

/* Equal-power crossfade of a tail into a head: out[i] = tail[i] * out(t) +
 * head[i] * in(t), with t = (start + i + 0.5) / len over frames i < n. Used for
 * loop points. out may alias tail. */
void mixer_crossfade(float *out, const float *tail, const float *head, long n, int ch,
                   long start, long len);

/* Soft limiter: transparent below the knee (|x| <= 0.8), then a smooth tanh
 * curve that approaches but never reaches 1; |y| < 1 for any finite input,
 * monotone, odd. NaN becomes 0. */
#define MIXER_LIMIT_KNEE 0.8f
float mixer_limit_sample(float x);
void mixer_limit(float *buf, long n, int ch);

/* Float to 16-bit native-endian samples: each times `scale`, rounded to
 * the nearest (ties to even), clamped to [-32768, 32767]; NaN becomes 0.
 * mixer_to_s16 is the device's scale (32767: +-1 to +-32767). */
void mixer_to_s16_scaled(short *dst, const float *src, long samples, float scale);
void mixer_to_s16(short *dst, const float *src, long samples);
/* And back: each 16-bit sample times `scale`. */
void mixer_from_s16(float *dst, const short *src, long samples, float scale);

#endif
