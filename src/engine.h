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
	ACMD_CUE,        /* name ("" = chime) */
	ACMD_BREATH,     /* phase, fade_s = phase length */
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

struct engine_cfg {
	int rate, channels;
	float volume;    /* master, 0..1 */
	bool cues;       /* chime on each breath phase change */
	bool follow;     /* swell with the breath */
};

struct engine;

struct engine *engine_new(const struct engine_cfg *cfg);
void engine_free(struct engine *e);

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
