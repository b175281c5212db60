/* SPDX-License-Identifier: ISC */
/* The ducking curve: see duck.h. */
#include "config.h"

#include <math.h>

#include "duck.h"

void duck_init(struct duck *d, int rate)
{
	d->level_db = 0;
	d->down_db = DUCK_DEPTH_DB / (DUCK_ATTACK_S * rate);
	d->up_db = DUCK_DEPTH_DB / (DUCK_RELEASE_S * rate);
	d->hold = (long)(DUCK_HOLD_S * rate);
	d->hold_left = 0;
}

double duck_level_db(const struct duck *d)
{
	return d->level_db;
}

bool duck_gains(struct duck *d, bool speaking, float *gain, float *muffle, long n)
{
	if (speaking)
		d->hold_left = d->hold;
	if (!speaking && d->hold_left == 0 && d->level_db == 0)
		return true; /* the common case: no voice, the bed as it is */
	/* The level moves by the same step in dB each frame, so the gain by
	 * the same factor: one pow() a block and a step, not one a frame
	 * (the steps are exact again at every clamp and every call). */
	double g = pow(10.0, d->level_db / 20.0);
	const double down = pow(10.0, -d->down_db / 20.0), up = pow(10.0, d->up_db / 20.0);
	for (long i = 0; i < n; i++) {
		if (speaking || d->hold_left > 0) {
			if (!speaking)
				d->hold_left--;
			if (d->level_db > -DUCK_DEPTH_DB) {
				d->level_db -= d->down_db;
				g *= down;
				if (d->level_db <= -DUCK_DEPTH_DB) {
					d->level_db = -DUCK_DEPTH_DB;
					g = pow(10.0, -DUCK_DEPTH_DB / 20.0);
				}
			}
		} else if (d->level_db < 0) {
			d->level_db += d->up_db;
			g *= up;
			if (d->level_db >= 0) {
				d->level_db = 0;
				g = 1;
			}
		}
		gain[i] = (float)g;
		if (muffle)
			muffle[i] = (float)(d->level_db / -DUCK_DEPTH_DB);
	}
	return false;
}
