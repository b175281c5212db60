/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "clock.h"

double clock_scale(double scale)
{
	return scale > 0 && isfinite(scale) ? scale : 1;
}

void sclock_init(struct sclock *c, int64_t mono_ns, double scale)
{
	c->origin_ns = mono_ns;
	c->paused_ns = 0;
	c->pause_at_ns = 0;
	c->paused = false;
	c->scale = clock_scale(scale);
}

pace_us sclock_now(const struct sclock *c, int64_t mono_ns)
{
	int64_t at = c->paused ? c->pause_at_ns : mono_ns;
	int64_t run = at - c->origin_ns - c->paused_ns;
	if (c->scale == 1)
		return run / 1000; /* exact integers in normal use */
	return (pace_us)floor((double)run * c->scale / 1000.0);
}

int64_t sclock_mono_at(const struct sclock *c, pace_us t)
{
	int64_t run;
	if (c->scale == 1)
		run = t * 1000;
	else
		run = (int64_t)ceil((double)t * 1000.0 / c->scale);
	return c->origin_ns + c->paused_ns + run;
}

void sclock_pause(struct sclock *c, int64_t mono_ns)
{
	if (c->paused)
		return;
	c->paused = true;
	c->pause_at_ns = mono_ns;
}

void sclock_resume(struct sclock *c, int64_t mono_ns)
{
	if (!c->paused)
		return;
	c->paused = false;
	c->paused_ns += mono_ns - c->pause_at_ns;
}

int64_t clock_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

double clock_scale_from_env(void)
{
	const char *s = getenv("LULL_TIME_SCALE");
	if (!s || !*s)
		return 1;
	char *end;
	double v = strtod(s, &end);
	if (*end || !(v > 0) || v > 10000)
		return 1;
	return v;
}
