/* SPDX-License-Identifier: ISC */
/* The sound server gone mid-session (a package update restarts PulseAudio
 * or PipeWire): when to try for it again, and where the mix must stand when
 * it answers.
 *
 * Tries are on a deadline, soon at first and then every RECONNECT_EVERY_MS
 * (the table in reconnect.c), never in a loop: the audio thread waits for
 * the next one (or a command) and sleeps in between. While the server is
 * gone the mix goes on unheard at the pace of the play clock, so that sound
 * comes back where the session is: the time that passed in silence is
 * skipped, not played late.
 *
 * Pure: every time is an argument. */
#ifndef LULL_RECONNECT_H
#define LULL_RECONNECT_H

#include <stdbool.h>
#include <stdint.h>

#include "playclock.h"

#define RECONNECT_EVERY_MS 2000 /* the longest wait between two tries */

struct reconnect {
	unsigned tries;   /* tries that failed so far */
	int64_t next_ns;  /* when the next one is due (CLOCK_MONOTONIC) */
};

/* The server went away at now_ns: the first try is a little later (a
 * restart takes a moment; at once would only fail). */
void reconnect_begin(struct reconnect *r, int64_t now_ns);
/* The try that ended at now_ns failed: the next one, a little later than
 * the last, RECONNECT_EVERY_MS apart at most. */
void reconnect_failed(struct reconnect *r, int64_t now_ns);
bool reconnect_due(const struct reconnect *r, int64_t now_ns);

/* Frames the mix, at frame `mixed`, must go on unheard to stand at the
 * frame the play clock gives for now_ns (0 when it is there already). */
int64_t reconnect_behind(const struct playclock *pc, int64_t mixed, int64_t now_ns);

/* The first word of a stream opened again on where it plays: the mix's
 * frame heard_frame heard at at_ns. The frames by which the play clock,
 * kept from before the gap, is ahead of that (a new stream starts as late
 * as the server's sink takes it: 0.5 s, 1.5 s through a null sink): the
 * mix must skip that many to be heard where the plan is. Negative when it
 * plays sooner than the plan. */
int64_t reconnect_drift(const struct playclock *pc, int64_t heard_frame, int64_t at_ns);
/* Whether a drift is worth a rewrite (more than PLAYCLOCK_DRY_SLACK_NS). */
bool reconnect_must_realign(const struct playclock *pc, int64_t drift);

/* A new stream counts its frames from 0 at the mix's frame `origin` (where
 * the mix stood when it opened): the stream's frame of a mix frame, and
 * back. */
int64_t reconnect_stream_frame(int64_t origin, int64_t mix_frame);
int64_t reconnect_mix_frame(int64_t origin, int64_t stream_frame);

#endif
