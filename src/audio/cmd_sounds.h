/* SPDX-License-Identifier: ISC */
/* The sound of `lull sounds` and `lull render` (cmd_render.c reads their
 * options and the settings above this, and passes in what is needed). */
#ifndef LULL_CMD_SOUNDS_H
#define LULL_CMD_SOUNDS_H

#include <stdbool.h>

#include "program.h"
#include "soundplan.h"
#include "speech.h"
#include "timeline.h"

/* Lists the sounds (the loops, then the cues; names_only: the loops' names
 * alone, for shell completion), saying so on stderr when there are none.
 * The number found. */
int audio_sounds_list(bool names_only);

/* "Sound plays through: ..." for the driver of the settings ("" for the
 * default). */
void audio_sounds_output(const char *driver);

/* A render's format: the engine's rate, stereo. */
enum { AUDIO_RENDER_RATE = 48000, AUDIO_RENDER_CH = 2 };

struct audio_render_job {
	const struct program *prog;
	const struct timeline *tl;     /* of prog */
	struct soundplan_cfg sound;    /* what is heard (its voice: when the lines are spoken) */
	struct voice_cfg voice;        /* which voice says them */
	float voice_volume;            /* 0..1, under the master volume */
	const char *outfile;           /* its ending picks the format */
};

/* Writes the job's whole audio to its file, much faster than real time,
 * and a line saying what was written: 0, or 1 with the reason on stderr. */
int audio_render_file(const struct audio_render_job *job);

#endif
