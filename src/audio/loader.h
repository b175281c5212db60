/* SPDX-License-Identifier: ISC */
/* Sounds made ready off the audio thread. The audio thread only mixes: a cue
 * it is to play must already be decoded and a layer's stream open. The UI
 * thread prepares what a session names before it starts (loader_prepare:
 * loaded there and then), and asks for anything else as it posts the command
 * that plays it (loader_request: loaded on the loader's own thread,
 * "lull-load"). Either way the finished sound waits here until the audio
 * thread takes it (loader_take) and hands it to its engine.
 *
 * Each kind and name is loaded once: asking again, whichever way, does
 * nothing. Every name asked for gives a sound, one that cannot play carrying
 * its error, so that a command waiting for it never waits forever (unless
 * the file itself never answers: a FIFO, a dead network mount). */
#ifndef LULL_LOADER_H
#define LULL_LOADER_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"

struct loader;

/* Sounds at rate and channels (the engine's); starts the loader thread. If
 * the thread cannot start, requests are loaded on the caller's thread. The
 * thread writes a byte to wake_fd (-1: none) each time it has finished a
 * sound, so that a thread asleep on it takes it at once. */
struct loader *loader_start(int rate, int channels, int wake_fd);

/* Loads now, on the calling thread, unless asked for before. */
void loader_prepare(struct loader *l, enum engine_sound_kind kind, const char *name);
/* Has the loader thread load it, unless asked for before. Never waits
 * longer than a lock held for a list operation. */
void loader_request(struct loader *l, enum engine_sound_kind kind, const char *name);

/* Every sound finished since the last call, oldest first, as a list (the
 * `next` links); the caller owns them. NULL if none. Never waits longer
 * than a list operation: the audio thread calls it. */
struct engine_sound *loader_take(struct loader *l);

/* Stops the thread, waiting for a load in progress until deadline_ns
 * (CLOCK_MONOTONIC), and frees everything. False if the thread is stuck in
 * a load past the deadline: it is then left to the process's exit, and l
 * stays allocated for it (the caller keeps the pointer reachable). */
bool loader_stop(struct loader *l, int64_t deadline_ns);

#endif
