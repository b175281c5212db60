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
};

struct audio_cmd {
	enum audio_cmd_kind kind;
	int phase;
	float value;
	double fade_s;
	char name[64];
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
};

struct engine;

struct engine *engine_new(const struct engine_cfg *cfg);
void engine_free(struct engine *e);

/* A sound made ready to play, kept by the engine for its life: a cue decoded
 * whole, or a layer's stream opened (the head of its loop decoded). Loading
 * is the slow part (the file is found, opened, its header read, a cue
 * decoded, a resampler set up): it happens on any thread but the audio one. */
enum engine_sound_kind { ENGINE_CUE, ENGINE_LAYER };

struct track;

struct engine_sound {
	enum engine_sound_kind kind;
	char name[64];
	float *pcm;           /* a cue: interleaved at the engine's rate and channels */
	long frames;
	struct track *track;  /* a layer: streamed from here; a layer turned off and
	                       * on again goes on where it stopped */
	char error[200];      /* why it cannot play ("" if it can), said each time */
	struct engine_sound *next; /* the engine's list, or a loader's */
};

/* Never NULL: a sound that cannot be loaded carries its error. name "" is
 * ENGINE_DEFAULT_CUE. rate and channels must be the engine's. */
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

void engine_apply(struct engine *e, const struct audio_cmd *c);
/* Mixes `frames` frames into out (overwritten), |sample| < 1. */
void engine_render(struct engine *e, float *out, long frames);

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
