/* SPDX-License-Identifier: ISC */
/* The sounds a session names: see audio_names.h. */
#include "config.h"

#include <stdint.h>
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

bool audio_names_of_plan(struct audio_names *n, const struct soundplan *sp)
{
	bool fit = true;
	struct sp_event ev[32];
	size_t got, cursor = 0;
	while ((got = soundplan_events(sp, &cursor, INT64_MAX, ev, 32)) > 0) {
		for (size_t i = 0; i < got; i++) {
			const struct sp_event *e = &ev[i];
			if (e->kind == SP_EV_CUE)
				fit = audio_names_add_cue(n, e->name) && fit;
			else if (e->kind == SP_EV_LAYER_ON)
				fit = audio_names_add_layer(n, e->name) && fit;
		}
	}
	return fit;
}
