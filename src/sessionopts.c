/* SPDX-License-Identifier: ISC */
/* The options start and render share. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pace.h"
#include "sessionopts.h"
#include "soundpath.h"
#include "speech.h"
#include "text.h"
#include "util.h"

int sessionopts_cycles(struct sessionopts *o, const char *cmd, const char *arg)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(arg, &end, 10);
	/* strtoul takes "-1" as a huge number: refuse the sign itself. */
	if (*end || end == arg || errno || v == 0 || v > PACE_MAX_CYCLES || arg[0] == '-')
		return usage_error(cmd, "--cycles wants a whole number from 1 to %u, not '%s'",
				   PACE_MAX_CYCLES, arg);
	o->cycles = (unsigned)v;
	return 0;
}

int sessionopts_minutes(struct sessionopts *o, const char *cmd, const char *arg)
{
	char *end;
	double v = strtod(arg, &end);
	if (*end || end == arg || !(v > 0) || v > 24 * 60)
		return usage_error(cmd, "--minutes wants a number of minutes up to 1440, not '%s'", arg);
	o->minutes = v;
	return 0;
}

int sessionopts_sound(struct sessionopts *o, const char *cmd, const char *arg)
{
	bool none = strcmp(arg, "none") == 0;
	if (none ? o->nlayers > 0 : o->no_bed)
		return usage_error(cmd, "--sound none goes alone: no ambient sound at all");
	if (none) {
		o->no_bed = true;
		return 0;
	}
	if (o->nlayers >= SOUNDPLAN_MAX_LAYERS)
		return usage_error(cmd, "at most %d --sound layers", SOUNDPLAN_MAX_LAYERS);
	struct soundplan_layer *l = &o->layers[o->nlayers];
	if (!soundpath_parse_layer(arg, l->name, sizeof l->name, &l->volume))
		return usage_error(cmd, "--sound wants NAME or NAME:VOLUME (0..1), not '%s'", arg);
	if (soundplan_is_cue_name(l->name))
		return usage_error(cmd, "--sound %s: %s is a cue, rung at the phases and steps (the cues "
				   "setting); --sound takes a loop such as rain ('lull sounds' lists them)",
				   l->name, l->name);
	o->nlayers++;
	return 0;
}

int sessionopts_option(struct sessionopts *o, const char *cmd, int code, const char *arg)
{
	switch (code) {
	case SESSIONOPT_CYCLES:
		return sessionopts_cycles(o, cmd, arg);
	case SESSIONOPT_MINUTES:
		return sessionopts_minutes(o, cmd, arg);
	case SESSIONOPT_SOUND:
		return sessionopts_sound(o, cmd, arg);
	case SESSIONOPT_CUES:
	case SESSIONOPT_NO_CUES:
		o->cues = code == SESSIONOPT_CUES ? CUES_ON : CUES_OFF;
		return 0;
	case SESSIONOPT_FOLLOW:
		o->follow = true;
		return 0;
	case SESSIONOPT_VOICE:
	case SESSIONOPT_NO_VOICE:
		o->voice = code == SESSIONOPT_VOICE ? 1 : -1;
		return 0;
	default:
		return -1;
	}
}

int sessionopts_sounds_found(const struct sessionopts *o)
{
	for (size_t i = 0; i < o->nlayers; i++) {
		char err[200];
		if (!soundpath_known(o->layers[i].name, err, sizeof err)) {
			char *safe = text_escape(o->layers[i].name, strlen(o->layers[i].name), 64);
			fprintf(stderr, "lull: --sound %s: %s\n", safe, err);
			free(safe);
			return 1;
		}
	}
	return 0;
}

int sessionopts_check(const struct sessionopts *o, const char *cmd)
{
	if (o->cycles && o->minutes > 0)
		return usage_error(cmd, "use --cycles or --minutes, not both");
	return 0;
}

int sessionopts_apply_length(const struct sessionopts *o, const char *cmd, struct program *p)
{
	if (!o->cycles && !(o->minutes > 0))
		return 0;
	char err[200];
	if (program_set_breathing_length(p, o->cycles, o->minutes * 60, err, sizeof err) != 0)
		return usage_error(cmd, "%s", err);
	return 0;
}

void sessionopts_sound_cfg(const struct sessionopts *o, const struct settings *set,
			   const struct program *p, struct soundplan_cfg *out)
{
	memset(out, 0, sizeof *out);
	out->volume = (float)set->volume / 100.0f;
	/* 1 yes, 0 no, -1: the person said nothing */
	int said = o->cues == CUES_ON ? 1 : o->cues == CUES_OFF ? 0 : set->cues;
	out->tones = said >= 0 ? said == 1 : !p->chime_off;
	out->chimes = said != 0;
	out->cue_style = set->cue_style == CUE_STYLE_CHIME ? SOUNDPLAN_CHIME : SOUNDPLAN_TONES;
	out->follow = o->follow || set->follow || p->follow;
	out->voice = sessionopts_voice(o, set, p);
	out->voice_breath = out->voice && set->voice_breath;
	out->no_bed = o->no_bed;
	if (o->no_bed) {
		out->nlayers = 0;
	} else if (o->nlayers) {
		memcpy(out->layers, o->layers, o->nlayers * sizeof o->layers[0]);
		out->nlayers = o->nlayers;
	} else {
		out->nlayers = soundpath_parse_layers(set->sounds, out->layers, SOUNDPLAN_MAX_LAYERS);
	}
}

bool sessionopts_voice(const struct sessionopts *o, const struct settings *set, const struct program *p)
{
	if (o->voice)
		return o->voice > 0;
	if (set->voice >= 0)
		return set->voice;
	return p->voice != PROGRAM_VOICE_OFF;
}

void sessionopts_voice_cfg(const struct settings *set, struct voice_cfg *out)
{
	voice_cfg_default(out);
	str_copy(out->name, set->voice_name, sizeof out->name);
	out->rate = set->voice_rate;
	out->pitch = set->voice_pitch;
}
