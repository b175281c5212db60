/* SPDX-License-Identifier: ISC */
/* The voice worker: the PCM of a session's spoken lines, made ready ahead
 * of their moments on a thread of its own ("lull-voice"), never on the
 * audio thread and never holding up the screen.
 *
 * It asks the voice (voice.h) for every line of the plan at once, in order
 * of time, so the synthesiser works through them as far ahead as it can
 * and its cache fills; and it keeps the PCM of the next few lines decoded
 * (at most SPEAKER_AHEAD of them and SPEAKER_BUDGET bytes, but always the
 * next two: a session's lines are never all in memory) for the audio thread to take. The audio
 * thread gives each back once played or passed, and says how far the
 * session has come, so that nothing is made for a line already past.
 *
 * A line whose recording is missing is said with the voice, with one note.
 * A line the voice cannot say comes as an empty line with a note: the
 * engine says it once and plays nothing. Render uses the same worker
 * without its thread: speaker_get makes a line there and then. */
#ifndef LULL_SPEAKER_H
#define LULL_SPEAKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "soundplan.h"
#include "voice.h"

#define SPEAKER_AHEAD 4                   /* lines decoded and not yet played, */
#define SPEAKER_BUDGET (1536L * 1024)      /* and their PCM beyond the first two: 16 s */

struct speaker;

/* A worker for the lines (copied) in voice cfg, at the engine's rate; with
 * a thread when threaded (a session), else for speaker_get (render). If
 * the thread cannot start, NULL. */
struct speaker *speaker_start(const struct voice_cfg *cfg, const struct sp_line *lines, size_t n, int rate,
			      bool threaded);

/* The UI thread, before the session clock starts: waits until every line
 * that starts before session time `before` is ready, until deadline_ns at
 * most (CLOCK_MONOTONIC). True when they are. */
bool speaker_wait_ready(struct speaker *s, pace_us before, int64_t deadline_ns);

/* A text spoken outside the plan (a safety note), made before the plan's
 * lines still waiting; its line number for ACMD_SPEAK (at least
 * ENGINE_SPEECH_ASIDE). */
size_t speaker_aside(struct speaker *s, const char *text);

/* A byte is written to fd (-1: none) each time an aside is made ready, so
 * that a thread asleep on it takes it at once (the plan's lines are made
 * well ahead of their moments). */
void speaker_notify(struct speaker *s, int fd);

/* The audio thread. Each call takes one lock for a list operation and
 * never waits longer. */
struct engine_speech *speaker_take(struct speaker *s);          /* what is ready, oldest first */
void speaker_give_back(struct speaker *s, struct engine_speech *list);
void speaker_reached(struct speaker *s, size_t line);          /* lines below it are past */

/* Without a thread (render): line k (or an aside), made now, waiting as
 * long as the synthesis takes. Never NULL: an empty line with a note when
 * it cannot be said. Give it back with speaker_give_back. */
struct engine_speech *speaker_get(struct speaker *s, size_t k);

/* Stops the thread, waiting for it until deadline_ns; false if it is stuck
 * past it (it and s are then left to the process's exit). Frees s. */
bool speaker_stop(struct speaker *s, int64_t deadline_ns);

#endif
