/* SPDX-License-Identifier: ISC */
/* The ambient bed under the voice: a gain curve that dips a few dB while a
 * line is spoken and comes back after it, and with it how far the bed is
 * muffled (its highs taken away, DUCK_MUFFLE_HZ). Pure: no I/O, no clock, no
 * allocation; the engine applies both to the bed, frame by frame.
 *
 * The curve moves in decibels along straight ramps, so that its steepest
 * step is known: down by DUCK_DEPTH_DB over DUCK_ATTACK_S when a line
 * starts, up again over DUCK_RELEASE_S once DUCK_HOLD_S have passed without
 * speech. A ramp starts from wherever the curve is (a line that starts
 * while the bed is still coming back turns it round, with no jump), and the
 * hold bridges the gap between close lines, so the bed does not pump up and
 * down between sentences. Why these values:
 *
 * - 7 dB: the built-in beds are made at -27 LUFS and the voice at -18
 *   (VOICE_LUFS), each then under its volume; 7 dB more keeps speech clear
 *   without the bed vanishing (an audible hole at every line is what
 *   ducking must avoid).
 * - 300 ms down: the first syllable rises over the first tenth of a second;
 *   the bed is half way down by then and all the way down for the first word.
 * - 1.5 s held, 800 ms back up: the pauses inside and between guidance lines
 *   are shorter than 1.5 s; a slow return is heard as the room, not a swell.
 * - Muffled below 700 Hz as it dips: rain and noise beds mask a voice in its
 *   consonants, above 1 kHz, far more than their loudness says. Measured
 *   with a speech recogniser over 30 built-in lines under rain at 50%: 41% of
 *   the words heard with the 7 dB dip alone, 54% at 10 dB, 60% at 13 dB,
 *   67% with the 7 dB dip and the highs taken away (the voice alone: 77%).
 *   The bed keeps its body and is heard to come back, not to vanish. */
#ifndef LULL_DUCK_H
#define LULL_DUCK_H

#include <stdbool.h>

#define DUCK_DEPTH_DB 7.0
#define DUCK_ATTACK_S 0.3
#define DUCK_RELEASE_S 0.8
#define DUCK_HOLD_S 1.5
#define DUCK_MUFFLE_HZ 700.0
/* The sound plan knows when each line begins: it asks for the dip this
 * long before (SP_EV_DUCK), so that the bed is all the way down for the
 * first syllable. Ducking from the line's own start left the first word
 * under a bed still falling: with rain under the voice the first two words
 * of a line were missed twice as often as alone (44% against 22%). */
#define DUCK_LEAD_S DUCK_ATTACK_S
/* The steepest the curve ever moves, in dB per millisecond (the attack). */
#define DUCK_MAX_DB_PER_MS (DUCK_DEPTH_DB / (DUCK_ATTACK_S * 1000.0))

struct duck {
	double level_db; /* 0 (the bed as it is) .. -DUCK_DEPTH_DB */
	double down_db, up_db; /* per frame */
	long hold, hold_left;  /* frames */
};

void duck_init(struct duck *d, int rate);

/* The bed's linear gain for each of the next n frames, with the voice
 * speaking through them or not, advancing the curve; and in muffle (if not
 * NULL) how much of the bed to take through the low-pass, 0 (none) to 1
 * (all), the same curve: the dip's depth over DUCK_DEPTH_DB. True when
 * every gain is 1 and every muffle 0 (nothing to apply). */
bool duck_gains(struct duck *d, bool speaking, float *gain, float *muffle, long n);

/* Where the curve stands, in dB (0 or below). */
double duck_level_db(const struct duck *d);

#endif
