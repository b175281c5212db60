/* SPDX-License-Identifier: ISC */
/* The sound of a session, one block at a time: ambient layers streamed from
 * disk, one-shot cues held in memory, the breath swell, master volume, mute
 * and pause, through the soft limiter. No threads and no device: the audio
 * thread (audio.c) drives it against the clock, `lull render` as fast as it
 * can. All times here are in output seconds (already divided by the time
 * scale). */
#ifndef LULL_ENGINE_H
#define LULL_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum audio_cmd_kind {
	ACMD_LAYER_ON,   /* name, value = volume, fade_s */
	ACMD_LAYER_OFF,  /* name, fade_s */
	ACMD_VOLUME,     /* value, fade_s */
	ACMD_VOLUME_STEP,/* value = +1 / -1 */
	ACMD_MUTE,       /* toggle */
	ACMD_FADE_OUT,   /* every layer, fade_s */
	ACMD_CUE,        /* name ("" = chime), value = its level 0..1 */
	ACMD_BREATH,     /* phase, fade_s = phase length: the swell (with follow) */
	ACMD_PAUSE,      /* value != 0: pause */
	ACMD_QUIT,
	ACMD_SPEAK,      /* line: a spoken line starts (see engine_add_speech) */
	ACMD_VOICE,      /* value != 0: the voice on, else off */
	ACMD_HUSH,       /* the line speaking now stops */
	ACMD_DUCK,       /* fade_s: a line starts in that long; the bed dips from now */
};

struct audio_cmd {
	enum audio_cmd_kind kind;
	int phase;
	float value;
	double fade_s;
	char name[64];
	size_t line;     /* ACMD_SPEAK */
	/* When it is to be heard (CLOCK_MONOTONIC ns); 0: as soon as it can.
	 * The audio thread's business: the engine itself ignores it. */
	int64_t at_ns;
};

/* The cue a cue command with no name plays. */
#define ENGINE_DEFAULT_CUE "chime"

/* Which cue rings when is the sound plan's choice (soundplan.h): the engine
 * plays the cues it is given, at the level it is given. */
struct engine_cfg {
	int rate, channels;
	float volume;    /* master, 0..1 */
	bool follow;     /* swell with the breath */
	/* The audio thread: never open or decode a file. Every sound comes
	 * through engine_add_sound, and engine_sound_needed says which one a
	 * command wants first. Otherwise (render, tests) a sound is loaded on
	 * the calling thread the first time a command wants it. */
	bool no_loading;
	bool voice;          /* the spoken lines are heard (ACMD_VOICE turns it) */
	float voice_volume;  /* 0..1: the voice's level under the master */
	bool unlimited;      /* no soft limiter: the caller limits (render's true-peak limiter) */
};

struct engine;

struct engine *engine_new(const struct engine_cfg *cfg);
void engine_free(struct engine *e);

/* A sound made ready to play, kept by the engine for its life: a cue decoded
 * whole, or a layer's stream opened (the head of its loop decoded). Loading
 * is the slow part (the file is found, opened, its header read, a cue
 * decoded, a resampler set up): it happens on any thread but the audio one. */
enum engine_sound_kind { ENGINE_CUE, ENGINE_LAYER };

struct feed;

struct engine_sound {
	enum engine_sound_kind kind;
	char name[64];
	float *pcm;           /* a cue: interleaved at the engine's rate and channels */
	long frames;
	struct feed *feed;    /* a layer: decoded ahead (feed.h), its first seconds
	                       * when loaded; a layer turned off and on again goes
	                       * on where it stopped */
	char error[200];      /* why it cannot play ("" if it can), said each time */
	struct engine_sound *next; /* the engine's list, or a loader's */
};

/* Never NULL: a sound that cannot be loaded carries its error. name "" is
 * ENGINE_DEFAULT_CUE. rate and channels must be the engine's. A layer's
 * feed decodes on read until it is given to a feeder (feeder_add). */
struct engine_sound *engine_sound_load(enum engine_sound_kind kind, const char *name, int rate, int channels);
void engine_sound_free(struct engine_sound *s);
/* The engine takes s (one sound, not a list). One it already has of that
 * kind and name is kept and s freed. */
void engine_add_sound(struct engine *e, struct engine_sound *s);
/* The sound command c plays, if it plays one: its kind and name. */
bool engine_cmd_sound(const struct audio_cmd *c, enum engine_sound_kind *kind, const char **name);
/* The name of the sound command c plays that e has not been given yet (and
 * its kind in *kind), or NULL: c can be applied now. */
const char *engine_sound_needed(const struct engine *e, const struct audio_cmd *c,
                                enum engine_sound_kind *kind);

/* A spoken line ready to play: mono 16-bit PCM at the engine's rate, made
 * off the audio thread (speaker.c). The engine plays it when its ACMD_SPEAK
 * comes, and gives it back (engine_take_spent) once it has played or its
 * moment has passed, for its maker to free.
 *
 * The rules: a line starts at its command's frame, or not at all. One not
 * given by then is skipped, with one message, never played late over the
 * next; one given after its moment is given back unplayed. A new line
 * stops the one before (a quick fade: lines never overlap); a breath word
 * gives way to a line and never interrupts one. An aside (a text spoken
 * outside the plan, ENGINE_SPEECH_ASIDE and up) has no next step to spoil:
 * one not ready at its moment starts as soon as it comes. The bed ducks
 * under every line (duck.h), not under breath words, from the moment an
 * ACMD_DUCK says a line is coming (the plan sends it DUCK_LEAD_S ahead). Pause holds the line
 * with everything else; resume takes it up again just before the word the
 * pause cut (speech_resume_point): the word is heard whole and the line
 * ends at most two seconds later than it would have, where starting it
 * over could run a long line into the next step. */
struct engine_speech {
	size_t line;       /* its line in the plan, or an aside's number */
	short *pcm;        /* frames long; the maker's */
	long frames;
	bool breath;       /* a breath word: softer, gives way to a line */
	float level_db;    /* under its full level (0: full; sp_line.level_db) */
	char note[160];    /* to say when it is taken ("" for nothing) */
	void *clip;        /* the maker's */
	struct engine_speech *next;
	/* The engine's while it holds the line. */
	struct engine_speech *held_next;
	bool spent;
	int64_t spent_at;  /* the frame it was played out, passed or stopped at */
	int64_t arrived_at; /* the frame it was given at */
	bool pending;      /* come since a mark put back: to come again */
};
/* Past any plan's lines: 2^40, or 2^30 where size_t has 32 bits (a
 * billion lines is still more than a plan holds). */
#if SIZE_MAX > 0xFFFFFFFFu
#define ENGINE_SPEECH_ASIDE ((size_t)1 << 40)
#else
#define ENGINE_SPEECH_ASIDE ((size_t)1 << 30)
#endif
#define ENGINE_BREATH_GAIN 0.5f  /* a breath word under a line's level */
#define ENGINE_SPEECH_FADE_S 0.06 /* a line stopped by the next, or hushed */

/* The engine keeps s until it gives it back (s->next is the engine's).
 * True when it starts at once: an aside that was waiting for it. */
bool engine_add_speech(struct engine *e, struct engine_speech *s);
/* Every line played, passed or stopped since the last call, as a list; the
 * caller gives them back to their maker. */
struct engine_speech *engine_take_spent(struct engine *e);
/* The same, of those spent before frame `frame` only: a rewind to a mark
 * at or after it cannot want them again (engine_rewind). */
struct engine_speech *engine_take_spent_before(struct engine *e, int64_t frame);
/* Every line the engine holds, to give back before engine_free. */
struct engine_speech *engine_take_all_speech(struct engine *e);
/* Lines of the plan below this one have had their moment. */
size_t engine_speech_reached(const struct engine *e);
bool engine_voice_on(const struct engine *e);

void engine_apply(struct engine *e, const struct audio_cmd *c);
/* Mixes `frames` frames into out (overwritten), |sample| < 1 unless unlimited. */
void engine_render(struct engine *e, float *out, long frames);

/* Marks: the engine's state at a frame, to go back to. engine_mark takes
 * one (before anything happens at that frame); engine_rewind puts it back,
 * with every layer's feed back where it stood, so that the frames after it
 * mix again as they did, or differently if commands come between. Lines of
 * the voice spent since the mark are waiting or speaking again, lines come
 * since are to come again (below). A mark is refused (false, nothing changed) when a
 * feed cannot go back that far (FEED_HISTORY_S), or the mark holds more
 * feeds than ENGINE_MARK_FEEDS. Messages said once are not said again for
 * frames mixed again. */
#define ENGINE_MARK_FEEDS 16
#define ENGINE_READY_MAX 32 /* lines waiting for their moment (the maker keeps fewer) */
struct engine_mark;
/* Lines given after a mark that was put back come again when the mix
 * reaches the frame they came at (or sooner: engine_arrive with a later
 * frame brings every one up to it). engine_next_arrival: the first such
 * frame (INT64_MAX: none). */
int64_t engine_next_arrival(const struct engine *e);
void engine_arrive(struct engine *e, int64_t upto);
struct engine_mark *engine_mark_new(void);
void engine_mark_free(struct engine_mark *m);
void engine_mark(const struct engine *e, struct engine_mark *m);
bool engine_rewind(struct engine *e, const struct engine_mark *m);
int64_t engine_mark_frame(const struct engine_mark *m);
/* Frames mixed so far (moved back by a rewind). */
int64_t engine_frame(const struct engine *e);

/* The newest status message since the last call ("rain: no such sound"), or
 * false when there is none. */
bool engine_take_message(struct engine *e, char *buf, size_t size);
float engine_volume(const struct engine *e);
bool engine_muted(const struct engine *e);
/* Nothing is sounding and nothing will: no layers, no cues. */
bool engine_idle(const struct engine *e);

/* Ramp lengths the engine uses for the keys and for pause (output seconds). */
#define ENGINE_KEY_FADE_S 0.08
#define ENGINE_PAUSE_FADE_S 0.15
#define ENGINE_RESUME_FADE_S 0.6
#define ENGINE_SWELL_LOW 0.55f  /* ambient level at the bottom of the exhale */
#define ENGINE_CUE_GAIN 0.7f
#define ENGINE_LOOP_XFADE_S 0.25

#endif
