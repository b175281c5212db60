/* SPDX-License-Identifier: ISC */
/* The device's play position against CLOCK_MONOTONIC. */
#include "config.h"

#include "playclock.h"

#define NS_PER_S 1000000000LL

void playclock_init(struct playclock *pc, int rate, int64_t latency_ns, int64_t now_ns)
{
	pc->rate = rate > 0 ? rate : 1;
	pc->latency_ns = latency_ns > 0 ? latency_ns : 0;
	pc->base_ns = now_ns + pc->latency_ns;
	pc->last_ns = now_ns;
	pc->observed = false;
}

/* Nanoseconds of f frames, without overflow for any length a night can have
 * (the seconds and the remainder separately). */
static int64_t frames_ns(const struct playclock *pc, int64_t f)
{
	int64_t s = f / pc->rate, rem = f % pc->rate;
	return s * NS_PER_S + rem * NS_PER_S / pc->rate;
}

/* When frame 0 is heard if the buffer is full now (frame `written` is heard
 * one latency on). */
static int64_t full_buffer_base(const struct playclock *pc, int64_t now_ns, int64_t written)
{
	return now_ns + pc->latency_ns - frames_ns(pc, written);
}

bool playclock_overdue(const struct playclock *pc, int64_t now_ns, int64_t written)
{
	return pc->observed
		&& full_buffer_base(pc, now_ns, written) > pc->base_ns + pc->latency_ns + PLAYCLOCK_DRY_SLACK_NS;
}

bool playclock_observe(struct playclock *pc, int64_t now_ns, int64_t written)
{
	int64_t base = full_buffer_base(pc, now_ns, written);
	bool dry = false;
	if (!pc->observed) {
		pc->base_ns = base;
		pc->observed = true;
	} else {
		int64_t dt = now_ns - pc->last_ns;
		if (dt > 0)
			pc->base_ns += dt / (1000000 / PLAYCLOCK_CREEP_PPM);
		if (base < pc->base_ns) {
			pc->base_ns = base;
		} else if (base > pc->base_ns + pc->latency_ns + PLAYCLOCK_DRY_SLACK_NS) {
			/* Later than any fill of the buffer explains: the device
			 * played silence for a while and starts again from here. */
			pc->base_ns = base;
			dry = true;
		}
	}
	pc->last_ns = now_ns;
	return dry;
}

bool playclock_observe_queued(struct playclock *pc, int64_t now_ns, int64_t written, int64_t queued_ns)
{
	int64_t base = now_ns + queued_ns - frames_ns(pc, written);
	bool dry = pc->observed && base > pc->base_ns + PLAYCLOCK_DRY_SLACK_NS;
	pc->base_ns = base;
	pc->last_ns = now_ns;
	pc->observed = true;
	return dry;
}

int64_t playclock_frame_at(const struct playclock *pc, int64_t at_ns)
{
	int64_t d = at_ns - pc->base_ns;
	int64_t s = d / NS_PER_S, rem = d % NS_PER_S;
	/* Rounded to the nearest frame, also for times before frame 0. */
	int64_t f = rem * pc->rate;
	int64_t part = f >= 0 ? (f + NS_PER_S / 2) / NS_PER_S : -((-f + NS_PER_S / 2) / NS_PER_S);
	return s * pc->rate + part;
}

int64_t playclock_time_of(const struct playclock *pc, int64_t f)
{
	return pc->base_ns + frames_ns(pc, f);
}
