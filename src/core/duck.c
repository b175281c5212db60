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
	double at = NAN;
	float g = 1;
	for (long i = 0; i < n; i++) {
		if (speaking || d->hold_left > 0) {
			if (!speaking)
				d->hold_left--;
			d->level_db -= d->down_db;
			if (d->level_db < -DUCK_DEPTH_DB)
				d->level_db = -DUCK_DEPTH_DB;
		} else if (d->level_db < 0) {
			d->level_db += d->up_db;
			if (d->level_db > 0)
				d->level_db = 0;
		}
		if (d->level_db != at) { /* held down, the gain stands still */
			at = d->level_db;
			g = (float)pow(10.0, at / 20.0);
		}
		gain[i] = g;
		if (muffle)
			muffle[i] = (float)(d->level_db / -DUCK_DEPTH_DB);
	}
	return false;
}
