/* SPDX-License-Identifier: ISC */
/* Integrated loudness after ITU-R BS.1770 (K-weighting, 400 ms blocks with 75%
 * overlap, the -70 LUFS absolute gate and the -10 LU relative gate), for the
 * synthesiser to loudness-match the built-in sounds. Pure: no I/O. Channels are
 * all weighted 1 (mono, stereo: what lull's sounds have). */
#ifndef LULL_LOUDNESS_H
#define LULL_LOUDNESS_H

/* A second-order section in direct form I. */
struct biquad {
	double b0, b1, b2, a1, a2;
	double x1, x2, y1, y2;
};

double biquad_step(struct biquad *f, double x);
/* Designs after the well-known analog prototypes, bilinear with prewarping. */
void biquad_lowpass(struct biquad *f, double rate, double freq, double q);
void biquad_highpass(struct biquad *f, double rate, double freq, double q);
void biquad_bandpass(struct biquad *f, double rate, double freq, double q); /* 0 dB peak */

/* The two K-weighting stages of BS.1770 at any sample rate. */
void loudness_k_filters(struct biquad *shelf, struct biquad *hp, double rate);

/* Integrated loudness in LUFS of interleaved float frames; -HUGE_VAL when
 * everything is gated out (silence, or shorter than one block). */
double loudness_integrated(const float *buf, long frames, int ch, int rate);

/* The largest |sample|. */
float loudness_peak(const float *buf, long samples);

#endif
