/* SPDX-License-Identifier: ISC */
/* Threefold upsampling for the voice: flite's voices speak at 16 kHz and the
 * engine plays at 48 kHz, exactly three times. A fixed polyphase FIR does it
 * in UPSAMPLE3_TAPS multiply-adds an output sample, where a general
 * resampler (libsamplerate's fastest sinc) interpolated its table for every
 * sample and took 36% of the synthesiser's instructions. Pure: no I/O. */
#ifndef LULL_UPSAMPLE_H
#define LULL_UPSAMPLE_H

/* Taps per phase: a 109-tap windowed sinc (Kaiser, beta 7.9, about 80 dB
 * down) is flat to about 6.8 kHz and has the images gone from 9.2 kHz,
 * which leaves a voice whose energy ends near 7 kHz as it was. */
#define UPSAMPLE3_TAPS 37

/* out[0 .. 3n-1] from in[0 .. n-1], the same signal at three times the
 * rate, aligned and exact at the input's instants (out[3i] == in[i]: the
 * filter's delay is taken out), the samples before and after `in` taken as
 * silence. */
void upsample3(const float *in, long n, float *out);

#endif
