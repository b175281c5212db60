/* SPDX-License-Identifier: ISC */
/* The dark screen's schedule: see dark.h. */
#include "config.h"

#include <stdint.h>

#include "dark.h"

static pace_us min_us(pace_us a, pace_us b)
{
	return a < b ? a : b;
}

pace_us dark_start(pace_us total, enum dark_level level)
{
	if (total < 0)
		total = 0;
	pace_us black = total - min_us(total / 4, DARK_TAIL_MAX_US);
	if (level >= DARK_BLACK)
		return black;
	return min_us(black / 4, DARK_STEP_MAX_US) * (pace_us)level;
}

enum dark_level dark_at(pace_us total, pace_us t)
{
	if (t < 0 || total <= 0)
		return DARK_NONE;
	for (int level = DARK_BLACK; level > DARK_NONE; level--)
		if (t >= dark_start(total, (enum dark_level)level))
			return (enum dark_level)level;
	return DARK_NONE;
}

pace_us dark_next(pace_us total, pace_us t)
{
	if (total <= 0)
		return INT64_MAX;
	for (int level = DARK_DIM; level <= DARK_BLACK; level++) {
		pace_us at = dark_start(total, (enum dark_level)level);
		if (at > t)
			return at;
	}
	return INT64_MAX;
}
