/* SPDX-License-Identifier: ISC */
/* The session clock: CLOCK_MONOTONIC, sped up by LULL_TIME_SCALE, stopped
 * while paused. The arithmetic (struct sclock) is pure and takes the
 * monotonic time as an argument, so it is unit-tested without a clock;
 * clock_mono_ns() is the only call that reads one. Session time is pace_us. */
#ifndef LULL_CLOCK_H
#define LULL_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "pace.h"

struct sclock {
	int64_t origin_ns;    /* monotonic time of session time 0 */
	int64_t paused_ns;    /* total monotonic time spent paused */
	int64_t pause_at_ns;  /* when the current pause began */
	bool paused;
	double scale;         /* session seconds per real second */
};

/* The scale a clock runs at when asked for `scale`: it, when positive and
 * finite, else 1. */
double clock_scale(double scale);
void sclock_init(struct sclock *c, int64_t mono_ns, double scale);
/* Session time at monotonic time mono_ns (frozen while paused). */
pace_us sclock_now(const struct sclock *c, int64_t mono_ns);
/* The monotonic time at which session time reaches t (when running). */
int64_t sclock_mono_at(const struct sclock *c, pace_us t);
void sclock_pause(struct sclock *c, int64_t mono_ns);
void sclock_resume(struct sclock *c, int64_t mono_ns);

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t clock_mono_ns(void);

/* LULL_TIME_SCALE from the environment: a positive number up to 10000, else 1.
 * (Meant for tests: a 15-minute program runs in seconds.) */
double clock_scale_from_env(void);

#endif
