/* The sounds a session names: see audio_names.h. */
#include "config.h"

#include <string.h>

#include "audio_names.h"

void audio_names_init(struct audio_names *n)
{
	memset(n, 0, sizeof *n);
}

static bool add(const char **list, size_t *count, const char *name)
{
	for (size_t i = 0; i < *count; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	if (*count == AUDIO_NAMES_MAX)
		return false;
	list[(*count)++] = name;
	list[*count] = NULL;
	return true;
}

bool audio_names_add_cue(struct audio_names *n, const char *name)
{
	return add(n->cues, &n->ncues, name ? name : "");
}

bool audio_names_add_layer(struct audio_names *n, const char *name)
{
	return !name || !*name || add(n->layers, &n->nlayers, name);
}

bool audio_names_of_program(struct audio_names *n, const struct program *p, bool cues)
{
	bool fit = !cues || audio_names_add_cue(n, "");
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct step *s = &p->steps[i];
		if (s->kind == STEP_CHIME)
			fit = audio_names_add_cue(n, s->u.chime) && fit;
		else if (s->kind == STEP_SOUND && s->u.sound.action == SOUND_LAYER_ON)
			fit = audio_names_add_layer(n, s->u.sound.name) && fit;
	}
	return fit;
}
