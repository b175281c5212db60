/* SPDX-License-Identifier: ISC */
/* The built-in soundscape, synthesised at build time:
 *     synth OUTDIR        writes rain, ocean, stream, wind, brown, pink (beds),
 *                         chime, bowl (cues) and inhale, exhale, hold, step
 *                         (the phase and step tones) as OUTDIR/NAME.flac
 *     synth --check DIR   measures them again: loudness and peaks in range
 * Deterministic: every random number comes from one fixed-seed generator and
 * nothing depends on the clock or the machine, so every build writes the same
 * samples.
 *
 * FLAC, not WAV: lossless (the samples are exactly what was synthesised), about
 * half the size of WAV on these quiet beds, and read by every libsndfile. The
 * rate is 48 kHz, the usual device rate, so the common case plays without
 * resampling.
 *
 * Beds loop: each is synthesised N + X frames long with every slow modulation
 * periodic in N, then the extra X frames are crossfaded (equal power) over the
 * first X, so frame N-1 runs straight into frame 0. Levels: each file is
 * scaled to -27 LUFS integrated (BS.1770, see src/loudness.c), then lowered
 * further if needed to keep the peak below -6 dBFS; the hold tick alone is
 * meant to be barely there, 13 LU under the rest. */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#include "loudness.h"

#define RATE 48000
#define TARGET_LUFS (-27.0)
#define PEAK_MAX 0.49f /* just under -6 dBFS (0.501) */

/* ---------------------------------------------------------------- randomness */
static uint64_t rng_state;

static void rng_seed(uint64_t s)
{
	rng_state = s;
}

static uint64_t rng_next(void) /* splitmix64 */
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static double uni(void) /* [0, 1) */
{
	return (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0);
}

static double white(void) /* [-1, 1) */
{
	return 2 * uni() - 1;
}

/* Pink noise by summing random rows refreshed at octave-spaced rates (row k
 * changes every 2^k samples), plus a white term for the top octave. */
struct pink {
	double row[16];
	double sum;
	uint32_t n;
};

static double pink_next(struct pink *p)
{
	p->n++;
	int k = __builtin_ctz(p->n);
	if (k < 16) {
		double v = white();
		p->sum += v - p->row[k];
		p->row[k] = v;
	}
	return (p->sum + white()) / 5.0;
}

struct brown {
	double y;
};

static double brown_next(struct brown *b)
{
	/* A leaky integrator: -6 dB/octave above ~8 Hz, no drift. */
	b->y = 0.999 * b->y + 0.05 * white();
	return b->y;
}

/* ---------------------------------------------------------------- the beds */
typedef void (*bed_fn)(float *buf, long frames, long period);

static double loop_sin(long i, long period, double cycles, double phase)
{
	return sin(2 * M_PI * cycles * (double)i / (double)period + phase);
}

static void bed_brown(float *buf, long frames, long period)
{
	for (int c = 0; c < 2; c++) {
		struct brown b = { 0 };
		struct biquad hp;
		biquad_highpass(&hp, RATE, 20, 0.7);
		for (long i = 0; i < frames; i++)
			buf[2 * i + c] = (float)biquad_step(&hp, brown_next(&b));
	}
}

static void bed_pink(float *buf, long frames, long period)
{
	for (int c = 0; c < 2; c++) {
		struct pink p = { 0 };
		for (long i = 0; i < frames; i++)
			buf[2 * i + c] = (float)pink_next(&p);
	}
}

/* Rain: a hiss of high-passed pink noise and many small drops, each a short
 * decaying resonance at a random pitch, panned at random. */
static void bed_rain(float *buf, long frames, long period)
{
	for (int c = 0; c < 2; c++) {
		struct pink p = { 0 };
		struct biquad hp, lp;
		biquad_highpass(&hp, RATE, 400, 0.7);
		biquad_lowpass(&lp, RATE, 9000, 0.7);
		for (long i = 0; i < frames; i++)
			buf[2 * i + c] = (float)(0.6 * biquad_step(&lp, biquad_step(&hp, pink_next(&p))));
	}
	double rate_per_s = 90;
	double t = 0;
	for (;;) {
		t += -log(1 - uni()) / rate_per_s;
		long start = (long)(t * RATE);
		if (start >= frames)
			break;
		double f = 1500 + 5000 * uni() * uni();
		double tau = 0.002 + 0.006 * uni();
		double amp = 0.08 * exp(1.2 * white());
		double pan = uni();
		double w = 2 * M_PI * f / RATE, decay = exp(-1.0 / (tau * RATE));
		long len = (long)(tau * RATE * 7);
		double g = amp;
		for (long k = 0; k < len && start + k < frames; k++) {
			double s = g * sin(w * (double)k) * (k < 24 ? (double)k / 24 : 1);
			buf[2 * (start + k)] += (float)(s * sqrt(1 - pan));
			buf[2 * (start + k) + 1] += (float)(s * sqrt(pan));
			g *= decay;
		}
	}
}

/* Ocean: low noise swelling in waves (two per 20 s loop, unequal), the
 * surf brightening as each wave breaks. */
static void bed_ocean(float *buf, long frames, long period)
{
	for (int c = 0; c < 2; c++) {
		struct pink p = { 0 };
		struct brown b = { 0 };
		struct biquad lp;
		double ph = c ? 0.35 : 0;
		for (long i = 0; i < frames; i++) {
			double w1 = 0.5 - 0.5 * loop_sin(i, period, 2, ph - M_PI / 2);
			double w2 = 0.5 - 0.5 * loop_sin(i, period, 1, ph + 0.8);
			double env = 0.15 + 0.85 * pow(w1, 1.6) * (0.7 + 0.3 * w2);
			if (i % 64 == 0) {
				struct biquad keep = lp;
				biquad_lowpass(&lp, RATE, 250 + 2200 * env * env, 0.6);
				if (i) { /* keep the filter's memory across redesigns */
					lp.x1 = keep.x1; lp.x2 = keep.x2; lp.y1 = keep.y1; lp.y2 = keep.y2;
				}
			}
			double n = 0.7 * pink_next(&p) + 0.3 * brown_next(&b);
			buf[2 * i + c] = (float)(env * biquad_step(&lp, n));
		}
	}
}

/* Stream: noise through a few resonant bands whose levels flicker quickly,
 * and small rising bubbles. */
static void bed_stream(float *buf, long frames, long period)
{
	static const double bands[] = { 350, 800, 1700, 3300 };
	for (int c = 0; c < 2; c++) {
		struct biquad bp[4];
		double lvl[4] = { 0 }, aim[4] = { 0 };
		for (int k = 0; k < 4; k++)
			biquad_bandpass(&bp[k], RATE, bands[k] * (c ? 1.07 : 1), 1.8);
		for (long i = 0; i < frames; i++) {
			double x = white(), y = 0;
			for (int k = 0; k < 4; k++) {
				if (i % 2400 == 0)
					aim[k] = 0.2 + uni();
				lvl[k] += (aim[k] - lvl[k]) * 0.0008;
				y += lvl[k] * biquad_step(&bp[k], x) / (1 + k * 0.4);
			}
			buf[2 * i + c] = (float)(0.5 * y);
		}
	}
	double t = 0;
	for (;;) {
		t += -log(1 - uni()) / 14;
		long start = (long)(t * RATE);
		if (start >= frames)
			break;
		double f0 = 500 + 900 * uni(), len_s = 0.02 + 0.03 * uni(), amp = 0.05 * (0.5 + uni());
		double pan = uni(), ph = 0;
		long len = (long)(len_s * RATE);
		for (long k = 0; k < len && start + k < frames; k++) {
			double u = (double)k / len;
			ph += 2 * M_PI * f0 * (1 + 0.8 * u) / RATE;
			double s = amp * sin(ph) * sin(M_PI * u);
			buf[2 * (start + k)] += (float)(s * sqrt(1 - pan));
			buf[2 * (start + k) + 1] += (float)(s * sqrt(pan));
		}
	}
}

/* Wind: pink noise through a band-pass that drifts and gusts, all modulations
 * periodic in the loop. */
static void bed_wind(float *buf, long frames, long period)
{
	for (int c = 0; c < 2; c++) {
		struct pink p = { 0 };
		struct biquad bp;
		double ph = c ? 1.1 : 0;
		for (long i = 0; i < frames; i++) {
			double drift = 0.5 * loop_sin(i, period, 1, ph) + 0.3 * loop_sin(i, period, 3, 2 * ph)
				+ 0.2 * loop_sin(i, period, 7, 0.5 + ph);
			double gust = 0.55 + 0.45 * (0.6 * loop_sin(i, period, 2, ph + 0.3)
				+ 0.4 * loop_sin(i, period, 5, 1.7 - ph));
			if (i % 64 == 0) {
				struct biquad keep = bp;
				biquad_bandpass(&bp, RATE, 420 + 260 * drift, 1.3);
				if (i) {
					bp.x1 = keep.x1; bp.x2 = keep.x2; bp.y1 = keep.y1; bp.y2 = keep.y2;
				}
			}
			buf[2 * i + c] = (float)(gust * biquad_step(&bp, pink_next(&p)));
		}
	}
}

/* ---------------------------------------------------------------- the cues */
struct partial {
	double ratio, amp, tau, beat;
};

static void bell(float *buf, long frames, double f0, const struct partial *p, int np, double attack)
{
	long att = (long)(attack * RATE), tail = RATE / 4;
	for (long i = 0; i < frames; i++) {
		double t = (double)i / RATE, s = 0;
		for (int k = 0; k < np; k++) {
			double f = f0 * p[k].ratio;
			/* A pair detuned by `beat` Hz: the slow shimmer of a real bowl. */
			double v = sin(2 * M_PI * (f - p[k].beat / 2) * t) + sin(2 * M_PI * (f + p[k].beat / 2) * t + 0.7);
			s += p[k].amp * 0.5 * v * exp(-t / p[k].tau);
		}
		if (i < att)
			s *= 0.5 - 0.5 * cos(M_PI * (double)i / att);
		if (i > frames - tail)
			s *= 0.5 - 0.5 * cos(M_PI * (double)(frames - i) / tail);
		buf[2 * i] = buf[2 * i + 1] = (float)s;
	}
}

static void cue_chime(float *buf, long frames, long period)
{
	static const struct partial p[] = {
		{ 1.0, 1.0, 1.4, 0 }, { 2.76, 0.45, 0.8, 0 }, { 5.40, 0.2, 0.45, 0 }, { 8.93, 0.08, 0.25, 0 },
	};
	bell(buf, frames, 784, p, 4, 0.004);
}

static void cue_bowl(float *buf, long frames, long period)
{
	static const struct partial p[] = {
		{ 1.0, 1.0, 3.5, 0.6 }, { 2.71, 0.55, 2.6, 1.3 }, { 5.13, 0.25, 1.6, 2.1 }, { 8.1, 0.1, 0.9, 2.9 },
	};
	bell(buf, frames, 262, p, 4, 0.012);
}

/* The phase and step tones: cues to follow with the eyes closed, without
 * counting. Soft sine tones (a little second and third harmonic for warmth,
 * no bright partials), slow attacks, nothing that startles. The inhale rises
 * (D4 to G4), the exhale falls further and slower (G4 to C4), a hold is a
 * barely audible wooden tick, and a new guided step is two soft plucks a
 * major third apart (C5, E5): a different gesture, so tense and release can
 * be told from a breath. */

/* A smooth 0..1 step over [0, 1]: glides and envelopes without corners. */
static double smooth01(double u)
{
	u = u < 0 ? 0 : u > 1 ? 1 : u;
	return 0.5 - 0.5 * cos(M_PI * u);
}

/* A tone gliding from f0 to f1 over glide_s, with a raised-cosine attack and
 * a release over the last release_s of the buffer. */
static void glide(float *buf, long frames, double f0, double f1, double glide_s, double attack_s,
		  double release_s)
{
	double ph = 0;
	long rel = (long)(release_s * RATE);
	for (long i = 0; i < frames; i++) {
		double t = (double)i / RATE;
		double f = f0 + (f1 - f0) * smooth01(t / glide_s);
		ph += 2 * M_PI * f / RATE;
		double env = smooth01(t / attack_s);
		if (i > frames - rel)
			env *= smooth01((double)(frames - i) / (double)rel);
		double s = sin(ph) + 0.18 * sin(2 * ph + 0.3) + 0.05 * sin(3 * ph + 0.9);
		buf[2 * i] = buf[2 * i + 1] = (float)(env * s);
	}
}

static void cue_inhale(float *buf, long frames, long period)
{
	glide(buf, frames, 293.66, 392.0, 1.2, 0.25, 0.7);
}

static void cue_exhale(float *buf, long frames, long period)
{
	glide(buf, frames, 392.0, 261.63, 1.6, 0.2, 0.9);
}

/* A tick: a short damped resonance near 1.1 kHz, like a soft wooden tap. */
static void cue_hold(float *buf, long frames, long period)
{
	struct biquad bp;
	biquad_bandpass(&bp, RATE, 1100, 6);
	for (long i = 0; i < frames; i++) {
		double t = (double)i / RATE;
		double x = t < 0.002 ? white() * smooth01(t / 0.002) : 0;
		double s = biquad_step(&bp, x) + 0.4 * sin(2 * M_PI * 1100 * t) * exp(-t / 0.012) * smooth01(t / 0.001);
		buf[2 * i] = buf[2 * i + 1] = (float)s;
	}
}

/* Two soft plucks: each a sine with its octave, a 10 ms attack, a slow decay. */
static void cue_step(float *buf, long frames, long period)
{
	static const struct { double at, f, amp; } notes[] = { { 0, 523.25, 1.0 }, { 0.16, 659.26, 0.85 } };
	long tail = RATE / 4;
	for (long i = 0; i < frames; i++) {
		double t = (double)i / RATE, s = 0;
		for (size_t k = 0; k < sizeof notes / sizeof notes[0]; k++) {
			double u = t - notes[k].at;
			if (u < 0)
				continue;
			double env = smooth01(u / 0.01) * exp(-u / 0.45);
			s += notes[k].amp * env * (sin(2 * M_PI * notes[k].f * u) + 0.12 * sin(4 * M_PI * notes[k].f * u));
		}
		if (i > frames - tail)
			s *= smooth01((double)(frames - i) / (double)tail);
		buf[2 * i] = buf[2 * i + 1] = (float)s;
	}
}

/* ---------------------------------------------------------------- writing */
struct sound {
	const char *name;
	bed_fn fn;
	double seconds;
	bool loop;
	uint64_t seed;
	double lufs; /* the level it is scaled to: TARGET_LUFS unless meant quieter */
};

#define HOLD_LUFS (TARGET_LUFS - 13.0)

static const struct sound sounds[] = {
	{ "rain", bed_rain, 20, true, 1, TARGET_LUFS },
	{ "ocean", bed_ocean, 20, true, 2, TARGET_LUFS },
	{ "stream", bed_stream, 20, true, 3, TARGET_LUFS },
	{ "wind", bed_wind, 20, true, 4, TARGET_LUFS },
	{ "brown", bed_brown, 20, true, 5, TARGET_LUFS },
	{ "pink", bed_pink, 20, true, 6, TARGET_LUFS },
	{ "chime", cue_chime, 3.5, false, 7, TARGET_LUFS },
	{ "bowl", cue_bowl, 7, false, 8, TARGET_LUFS },
	{ "inhale", cue_inhale, 1.9, false, 9, TARGET_LUFS },
	{ "exhale", cue_exhale, 2.4, false, 10, TARGET_LUFS },
	{ "hold", cue_hold, 0.5, false, 11, HOLD_LUFS },
	{ "step", cue_step, 1.6, false, 12, TARGET_LUFS },
};

static int make(const struct sound *s, const char *dir)
{
	long n = (long)(s->seconds * RATE), x = s->loop ? RATE : 0;
	float *buf = calloc((size_t)(n + x) * 2, sizeof *buf);
	if (!buf)
		return -1;
	rng_seed(s->seed);
	/* Noise filters take a moment to settle: run them a second first and
	 * keep only what follows (the warm-up lands before the loop's start). */
	long warm = s->loop ? RATE : 0;
	float *all = calloc((size_t)(n + x + warm) * 2, sizeof *all);
	s->fn(all, n + x + warm, n);
	if (s->loop) /* no DC: a bed rides on zero, as the engine's fades assume */
		for (int c = 0; c < 2; c++) {
			struct biquad hp;
			biquad_highpass(&hp, RATE, 20, 0.7071);
			for (long i = 0; i < n + x + warm; i++)
				all[2 * i + c] = (float)biquad_step(&hp, all[2 * i + c]);
		}
	memcpy(buf, all + 2 * warm, sizeof *buf * (size_t)(n + x) * 2);
	free(all);
	for (long i = 0; i < x; i++) { /* the tail runs into the head */
		double t = ((double)i + 0.5) / x;
		double wi = sin(M_PI / 2 * t), wo = cos(M_PI / 2 * t);
		for (int c = 0; c < 2; c++)
			buf[2 * i + c] = (float)(buf[2 * i + c] * wi + buf[2 * (n + i) + c] * wo);
	}
	double l = loudness_integrated(buf, n, 2, RATE);
	double gain = pow(10, (s->lufs - l) / 20);
	float peak = loudness_peak(buf, 2 * n) * (float)gain;
	if (peak > PEAK_MAX)
		gain *= PEAK_MAX / peak;
	for (long i = 0; i < 2 * n; i++)
		buf[i] *= (float)gain;
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.flac", dir, s->name);
	SF_INFO si = { .samplerate = RATE, .channels = 2, .format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16 };
	SNDFILE *sf = sf_open(path, SFM_WRITE, &si);
	if (!sf) {
		fprintf(stderr, "synth: %s: %s\n", path, sf_strerror(NULL));
		free(buf);
		return -1;
	}
	sf_command(sf, SFC_SET_ADD_PEAK_CHUNK, NULL, SF_FALSE);
	int ok = sf_writef_float(sf, buf, n) == n;
	if (sf_close(sf) != 0 || !ok) {
		fprintf(stderr, "synth: %s: write failed\n", path);
		free(buf);
		return -1;
	}
	free(buf);
	return 0;
}

static int check(const struct sound *s, const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.flac", dir, s->name);
	SF_INFO si = { 0 };
	SNDFILE *sf = sf_open(path, SFM_READ, &si);
	if (!sf) {
		fprintf(stderr, "synth: %s: %s\n", path, sf_strerror(NULL));
		return -1;
	}
	float *buf = malloc(sizeof *buf * (size_t)si.frames * (size_t)si.channels);
	sf_count_t got = sf_readf_float(sf, buf, si.frames);
	sf_close(sf);
	double l = loudness_integrated(buf, (long)got, si.channels, si.samplerate);
	float peak = loudness_peak(buf, (long)got * si.channels);
	double peak_db = 20 * log10(peak);
	/* The seam of a loop: the step from the last frame to the first is no
	 * bigger than the largest step inside the file. */
	float seam = 0, inner = 0;
	for (int c = 0; c < si.channels; c++) {
		seam = fmaxf(seam, fabsf(buf[c] - buf[(got - 1) * si.channels + c]));
		for (sf_count_t i = 1; i < got; i++)
			inner = fmaxf(inner, fabsf(buf[i * si.channels + c] - buf[(i - 1) * si.channels + c]));
	}
	free(buf);
	/* Every sound at its level, within 1 LU: the chime and the tones are
	 * heard alike (none may have been lowered by its peak instead). */
	int bad = peak_db >= -6.0 || l > s->lufs + 1.0 || l < s->lufs - 1.0 || (s->loop && seam > inner);
	printf("%-7s %6.1f LUFS  peak %6.1f dBFS  %5.1f s%s%s\n", s->name, l, peak_db,
	       (double)got / si.samplerate, s->loop ? "  loops" : "", bad ? "  OUT OF RANGE" : "");
	return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
	int checking = argc == 3 && strcmp(argv[1], "--check") == 0;
	if (argc != 2 && !checking) {
		fprintf(stderr, "usage: synth OUTDIR | synth --check DIR\n");
		return 2;
	}
	const char *dir = argv[argc - 1];
	int rc = 0;
	for (size_t i = 0; i < sizeof sounds / sizeof sounds[0]; i++)
		if ((checking ? check : make)(&sounds[i], dir) != 0)
			rc = 1;
	return rc;
}
