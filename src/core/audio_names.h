/* SPDX-License-Identifier: ISC */
/* The sounds a session will play, collected before it starts so that
 * audio_prepare can load them off the audio thread. They come from the
 * session's sound plan (soundplan.h), the one account of what is heard when:
 * every cue it rings (the phase and step tones, the program's chimes; the
 * default chime for a bare `chime`), and every layer turned on (the
 * configured bed and the program's sound words). Pure: the lists point into
 * the plan and its program, and stay valid as long as they do. */
#ifndef LULL_AUDIO_NAMES_H
#define LULL_AUDIO_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "soundplan.h"

#define AUDIO_NAMES_MAX 32 /* of each kind; a session names a handful */

struct audio_names {
	/* NULL-terminated, each name once, in the order first heard; "" is
	 * the default chime. As audio_prepare takes them. */
	const char *cues[AUDIO_NAMES_MAX + 1];
	const char *layers[AUDIO_NAMES_MAX + 1];
	size_t ncues, nlayers;
};

void audio_names_init(struct audio_names *n);
/* Adds a cue (NULL or "": the default chime) or a layer, unless already
 * there. False when the list is full (the name is then loaded when it is to
 * play, as any name not prepared is). */
bool audio_names_add_cue(struct audio_names *n, const char *name);
bool audio_names_add_layer(struct audio_names *n, const char *name);
/* Adds every sound plan sp plays. False when something did not fit. */
bool audio_names_of_plan(struct audio_names *n, const struct soundplan *sp);

#endif
