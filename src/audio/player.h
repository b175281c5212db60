/* SPDX-License-Identifier: ISC */
/* The audio thread's mix between writes: the engine, the commands waiting
 * for their frame (each carries the CLOCK_MONOTONIC time it is to be heard;
 * the play clock says which frame that is), those waiting for their sound
 * to load, the voice's lines coming and going, and, for an output that can
 * take written frames again, the way back.
 *
 * Going back: every PLAYER_MARK_S of the mix the player keeps a mark (the
 * engine's, engine.h, and its own waiting lists) and a log of the commands
 * posted since the oldest one, each with the frame it was applied at. A
 * rewind to frame F puts back the newest mark at or before F, mixes again
 * (unheard) up to F with the logged commands at their frames, and applies
 * there those logged after F: the mix then goes on from F as if every one
 * had come in time for it. The audio thread rewinds when a key, or a
 * command posted for a time already mixed, must be heard sooner than the
 * end of what the output holds, and writes the mix again from F. Marks go
 * back at most as far as the layers' feeds keep (FEED_HISTORY_S). */
#ifndef LULL_PLAYER_H
#define LULL_PLAYER_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"
#include "playclock.h"

#define PLAYER_MARK_S 0.25

struct loader;
struct feeder;
struct speaker;
struct player;

/* A player of eng (which it frees) at rate and channels; sounds from the
 * loader go on the feeder (NULL: none); with_marks for outputs that can be
 * rewritten. The play clock starts as playclock_init says. */
struct player *player_new(struct engine *eng, struct loader *loader, struct feeder *feeder, int rate,
                          int channels, bool with_marks, int64_t latency_ns, int64_t now_ns);
/* Gives the voice's lines back (to speaker, if any) and frees the engine. */
void player_free(struct player *p, struct speaker *speaker);

struct engine *player_engine(struct player *p);
struct playclock *player_clock(struct player *p);
/* Frames mixed so far: the frame the next mix starts at. */
int64_t player_frame(const struct player *p);

/* Sounds the loader has finished and lines the speaker has made ready go
 * to the engine. Lines spent before any mark go back to the speaker, which
 * learns how far the session has come. Returns the earliest frame at which
 * commands that waited for a sound that came were due (-1: none): they
 * still wait, for a rewind there (player_rewind starts them) or for
 * player_start_waiting, which starts them at the mix position. */
int64_t player_take(struct player *p, struct speaker *speaker);
void player_start_waiting(struct player *p);

/* The frame command c must take effect at, if it is one already mixed
 * (mixing on would apply it late): -1 if it is not (it waits for its
 * frame, or nothing is mixed yet), 0 and up for the frame (the earliest
 * for a command for at once). */
int64_t player_late_frame(const struct player *p, const struct audio_cmd *c);
/* The earliest frame a rewind can go back to (INT64_MAX: none). */
int64_t player_oldest(const struct player *p);
/* Back to frame f (see above). False, and nothing changed, when no mark
 * can go back that far. */
bool player_rewind(struct player *p, int64_t f);

/* Applies c at the mix position (it waits there for its frame, if it has
 * one still ahead). */
void player_post(struct player *p, const struct audio_cmd *c);
/* Mixes the next `frames` frames into buf (at most PLAYER_MAX_MIX). */
#define PLAYER_MAX_MIX 8192
void player_mix(struct player *p, float *buf, long frames);

/* After ACMD_QUIT: closing; and whether the mix has reached the end of the
 * closing fade (and a moment of silence after it), that end in *frame. */
bool player_quitting(const struct player *p);
bool player_quit_done(const struct player *p, int64_t *frame);

#endif
