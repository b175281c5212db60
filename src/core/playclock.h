/* SPDX-License-Identifier: ISC */
/* When a frame written to the audio output will be heard, on CLOCK_MONOTONIC.
 *
 * A live device holds a buffer: a blocking write returns once there is room
 * again, that is with the buffer (nearly) full, so the last frame written is
 * heard about one buffer's latency after the write returns. A write that
 * returns early (the buffer was not full, as at the start) can only make the
 * answer later, never sooner, so the estimate keeps the earliest one seen. It
 * creeps later by 100 ppm of elapsed time, to follow a device whose clock runs
 * slower than ours, and jumps when the device must have run dry (an answer
 * later than even a full buffer explains). File outputs are paced by the audio
 * thread itself: there frame 0 is heard at a known time.
 *
 * Pure: every time is an argument. */
#ifndef LULL_PLAYCLOCK_H
#define LULL_PLAYCLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct playclock {
	int rate;
	int64_t latency_ns;  /* the device buffer, when full */
	int64_t base_ns;     /* when frame 0 is heard */
	int64_t last_ns;     /* the last observation */
	bool observed;
};

#define PLAYCLOCK_CREEP_PPM 100
#define PLAYCLOCK_DRY_SLACK_NS 10000000 /* scheduling noise before "ran dry" */

/* A live device with this much latency, opened at now_ns (until the first
 * write returns, frame 0 is taken to play one latency from now). */
void playclock_init(struct playclock *pc, int rate, int64_t latency_ns, int64_t now_ns);
/* A write returned at now_ns with `written` frames written since the start.
 * True when the device ran dry since the last observation (an underrun). */
bool playclock_observe(struct playclock *pc, int64_t now_ns, int64_t written);
/* Whether the device must have run dry by now, with `written` frames written:
 * later than even a full buffer explains. Changes nothing. */
bool playclock_overdue(const struct playclock *pc, int64_t now_ns, int64_t written);
/* The output itself said that frame `written` is heard queued_ns after
 * now_ns (PulseAudio does): taken as it is. True when that is more than
 * PLAYCLOCK_DRY_SLACK_NS later than before: the device ran dry. */
bool playclock_observe_queued(struct playclock *pc, int64_t now_ns, int64_t written, int64_t queued_ns);
/* The frame heard at at_ns (negative or already written when at_ns is past). */
int64_t playclock_frame_at(const struct playclock *pc, int64_t at_ns);
/* When frame f is heard. */
int64_t playclock_time_of(const struct playclock *pc, int64_t f);

#endif
