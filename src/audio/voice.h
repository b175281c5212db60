/* SPDX-License-Identifier: ISC */
/* The voice: spoken lines made by the synthesiser (lull-voice, a child
 * process: voice_flite.c says why) and kept in a cache, then read from there
 * as PCM. The cache is $XDG_CACHE_HOME/lull/voice (0700), one FLAC file
 * (0600, written atomically) per line, named by speech_key(): the text, the
 * voice, its rate and pitch, the format version. A line made once is never
 * made again, so a second run of a program starts with no synthesis.
 *
 * A voice is used by one thread at a time (the voice worker, speaker.c, in a
 * session; the caller's in render and check). Nothing here runs on the audio
 * thread. `./configure --without-voice` links voice_null.c: no voice can
 * speak, and every call says so. */
#ifndef LULL_VOICE_H
#define LULL_VOICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "program.h"
#include "speech.h" /* the voice's defaults and ranges, struct voice_cfg */

/* Every line is made at this loudness (BS.1770), 9 LU over the built-in
 * beds at -27: voice_volume and the master volume scale it from there. */
#define VOICE_LUFS (-18.0)
/* The cache holds each line at the engine's rate (48 kHz), mono 16-bit FLAC. */
#define VOICE_CACHE_RATE 48000

/* Whether this lull was built with a voice (./configure --with-voice). */
bool voice_built(void);

struct voice;

/* Never NULL; starts nothing until a line must be made. */
struct voice *voice_new(const struct voice_cfg *cfg);
/* Stops the synthesiser without waiting for it (it finishes the line in
 * hand and exits; nothing half-written is left in the cache). */
void voice_free(struct voice *v);

/* Why this voice cannot speak (built without it, no synthesiser, a voice
 * file flite cannot load), or NULL while it can. */
const char *voice_error(const struct voice *v);

/* What to say once that is not an error: the cache folder was refused
 * (another user's, writable by others, a link to such a one: see
 * paths_make_subdir), and why; the lines are made in a folder of this
 * run's own. Into buf and forgotten; false when there is nothing to say.
 * lull check says it on stderr, a session and lull render with the first
 * line made (speaker.c), as a note. */
bool voice_take_notice(struct voice *v, char *buf, size_t size);

/* Asks for text to be made, unless it is in the cache or asked for already.
 * first: before everything asked for and not yet made (a text spoken outside
 * the plan). Never waits: what the synthesiser cannot take yet is kept. */
void voice_ask(struct voice *v, const char *text, bool first);

enum voice_state { VOICE_UNASKED, VOICE_MAKING, VOICE_READY, VOICE_FAILED };
enum voice_state voice_state(struct voice *v, const char *text);

/* Waits until text is made (asking for it first), until deadline_ns at most
 * (CLOCK_MONOTONIC; 0: as long as it takes). VOICE_READY, VOICE_MAKING (the
 * deadline passed) or VOICE_FAILED, with the reason in err. */
enum voice_state voice_wait(struct voice *v, const char *text, int64_t deadline_ns, char *err, size_t errsize);

/* For a loop that waits on more than the voice: a descriptor to poll for
 * reading, and events (POLLIN, maybe POLLOUT) to poll it for; -1 when
 * nothing is on its way. Then voice_pump takes in what came, without
 * waiting. */
int voice_poll_fd(const struct voice *v, short *events, int *out_fd);
void voice_pump(struct voice *v);
/* How long such a poll may wait at most (ms; -1: for ever, nothing being
 * made): past it voice_pump finds the synthesiser stuck and stops it. */
int voice_timeout_ms(const struct voice *v);

/* With nothing asked for still being made, the synthesiser is let go (its
 * memory with it: flite's peak is some 20 MB); a later ask starts it again. */
void voice_rest(struct voice *v);

/* A made line as PCM: mono 16-bit at rate (the engine's), its length in
 * *frames, to free with voice_pcm_free; NULL with err when it cannot be
 * read. */
short *voice_load(struct voice *v, const char *text, int rate, long *frames, char *err, size_t errsize);

void voice_pcm_free(short *pcm, long frames);

/* Seconds text takes to say (made first if need be, waiting as long as it
 * takes); -1 with err when it cannot be made. */
double voice_measure(struct voice *v, const char *text, char *err, size_t errsize);

/* A recording, found as sounds are (soundpath.h), as PCM like voice_load;
 * NULL with err when missing or unreadable. Its length in seconds without
 * loading it, or -1 with err. */
short *voice_load_recording(const char *name, int rate, long *frames, char *err, size_t errsize);
double voice_recording_seconds(const char *name, char *err, size_t errsize);

/* --- the spoken fit (lull check, lull show, tests) ---------------------- */

/* One spoken line of a program as a session plays it: how long it is said
 * (the voice through its cache, or the recording) against the time it has
 * (until the next line or its step's end). */
struct voice_fit {
	size_t step;       /* index into the program's steps */
	unsigned line, col; /* where its text is in the source */
	const char *text;  /* into the program */
	double speech_s;   /* -1: could not be measured (err says why) */
	double room_s;
	char err[160];
};

/* Every spoken line of p (not the breath words), in order of time, into
 * *out (the caller frees); the count. -1 with err when p has no timeline. */
long voice_fit_lines(struct voice *v, const struct program *p, struct voice_fit **out, char *err,
		     size_t errsize);

/* The fit check of lull check and lull show: a warning on warn for every
 * line longer than its room, "LABEL:LINE:COL: warning: ...", with both
 * lengths. Returns the number of warnings; nothing and 0 when the voice
 * cannot speak. */
int voice_fit_warn(struct voice *v, const struct program *p, const char *label, FILE *warn);

#endif
