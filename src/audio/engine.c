/* The engine: layers, cues, swell, master, pause, limiter. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "mixer.h"
#include "pace.h"
#include "soundpath.h"
#include "track.h"
#include "util.h"

enum { MAX_LAYERS = 8, MAX_VOICES = 8, BLOCK = 512 };

struct layer {
	struct engine_sound *sound; /* NULL: the slot is free */
	struct mixer_ramp gain;
	bool leaving;        /* removed once the gain reaches 0 */
};

struct voice {
	const struct engine_sound *cue;
	long pos;
	float gain;
};

struct engine {
	struct engine_cfg cfg;
	struct engine_sound *sounds; /* every sound given or loaded, for the engine's life */
	struct layer layers[MAX_LAYERS];
	struct voice voices[MAX_VOICES];
	struct mixer_ramp swell, master, pause;
	float volume;
	bool muted, paused;
	float *bed, *tmp;    /* BLOCK frames each */
	char message[160];
	bool has_message;
};

/* A message for the status line; one not yet taken is kept, with this
 * one after it (several sounds can fail together). */
__attribute__((format(printf, 2, 3)))
static void say(struct engine *e, const char *fmt, ...)
{
	char msg[sizeof e->message];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!e->has_message)
		e->message[0] = '\0';
	str_join_message(e->message, sizeof e->message, msg);
	e->has_message = true;
}

static long frames_of(const struct engine *e, double s)
{
	return s > 0 ? (long)(s * e->cfg.rate + 0.5) : 0;
}

/* ---------------------------------------------------------------- sounds */
struct engine_sound *engine_sound_load(enum engine_sound_kind kind, const char *name, int rate, int channels)
{
	struct engine_sound *s = xcalloc(1, sizeof *s);
	s->kind = kind;
	str_copy(s->name, name && *name ? name : ENGINE_DEFAULT_CUE, sizeof s->name);
	char *path = soundpath_find(s->name);
	if (!path) {
		snprintf(s->error, sizeof s->error, "%s: no such sound", s->name);
		return s;
	}
	char err[sizeof s->error];
	if (kind == ENGINE_CUE) /* cues are short; anything longer is cut at 20 s */
		s->pcm = track_load(path, rate, channels, 20L * rate, &s->frames, err, sizeof err);
	else
		s->track = track_open(path, rate, channels, true, ENGINE_LOOP_XFADE_S, err, sizeof err);
	if (!s->pcm && !s->track) {
		/* A sound asked for by name is named by its file's name alone
		 * ("rain.wav: ..."), not the folder it was found in: a status
		 * line of 80 columns holds several failures that way. A path
		 * the person gave is said as they gave it. */
		size_t n = strlen(path);
		const char *leaf = strrchr(path, '/');
		if (!strchr(s->name, '/') && leaf && strncmp(err, path, n) == 0 && err[n] == ':')
			snprintf(s->error, sizeof s->error, "%s%s", leaf + 1, err + n);
		else
			str_copy(s->error, err, sizeof s->error);
	}
	free(path);
	return s;
}

void engine_sound_free(struct engine_sound *s)
{
	if (!s)
		return;
	track_close(s->track);
	free(s->pcm);
	free(s);
}

static struct engine_sound *sound_find(const struct engine *e, enum engine_sound_kind kind, const char *name)
{
	if (kind == ENGINE_CUE && !*name)
		name = ENGINE_DEFAULT_CUE;
	for (struct engine_sound *s = e->sounds; s; s = s->next)
		if (s->kind == kind && strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

void engine_add_sound(struct engine *e, struct engine_sound *s)
{
	if (sound_find(e, s->kind, s->name)) {
		engine_sound_free(s);
		return;
	}
	s->next = e->sounds;
	e->sounds = s;
}

bool engine_cmd_sound(const struct audio_cmd *c, enum engine_sound_kind *kind, const char **name)
{
	switch (c->kind) {
	case ACMD_LAYER_ON:
		*kind = ENGINE_LAYER;
		*name = c->name;
		return true;
	case ACMD_CUE:
		*kind = ENGINE_CUE;
		*name = c->name[0] ? c->name : ENGINE_DEFAULT_CUE;
		return true;
	default:
		return false;
	}
}

const char *engine_sound_needed(const struct engine *e, const struct audio_cmd *c,
                                enum engine_sound_kind *kind)
{
	const char *name;
	if (!engine_cmd_sound(c, kind, &name))
		return NULL;
	return sound_find(e, *kind, name) ? NULL : name;
}

/* The sound to play for a command: the one the engine has; else, unless
 * it must not load, loaded now. NULL (and said) when it cannot play. */
static struct engine_sound *sound_get(struct engine *e, enum engine_sound_kind kind, const char *name)
{
	struct engine_sound *s = sound_find(e, kind, name);
	if (!s && !e->cfg.no_loading) {
		s = engine_sound_load(kind, name, e->cfg.rate, e->cfg.channels);
		engine_add_sound(e, s);
	}
	if (!s) { /* the audio thread's business to prevent */
		say(e, "%s: not loaded", *name ? name : ENGINE_DEFAULT_CUE);
		return NULL;
	}
	if (s->error[0]) {
		say(e, "%s", s->error);
		return NULL;
	}
	return s;
}

struct engine *engine_new(const struct engine_cfg *cfg)
{
	struct engine *e = xcalloc(1, sizeof *e);
	e->cfg = *cfg;
	e->volume = cfg->volume < 0 ? 0 : cfg->volume > 1 ? 1 : cfg->volume;
	mixer_ramp_set(&e->master, e->volume);
	mixer_ramp_set(&e->pause, 1);
	mixer_ramp_set(&e->swell, cfg->follow ? ENGINE_SWELL_LOW : 1);
	e->bed = xmalloc(sizeof(float) * BLOCK * (size_t)cfg->channels);
	e->tmp = xmalloc(sizeof(float) * BLOCK * (size_t)cfg->channels);
	return e;
}

/* Frees the slot; the sound (and its stream) stays with the engine. */
static void layer_drop(struct layer *l)
{
	memset(l, 0, sizeof *l);
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	while (e->sounds) {
		struct engine_sound *s = e->sounds;
		e->sounds = s->next;
		engine_sound_free(s);
	}
	free(e->bed);
	free(e->tmp);
	free(e);
}

static struct layer *layer_find(struct engine *e, const char *name)
{
	for (int i = 0; i < MAX_LAYERS; i++)
		if (e->layers[i].sound && strcmp(e->layers[i].sound->name, name) == 0)
			return &e->layers[i];
	return NULL;
}

static void layer_on(struct engine *e, const char *name, float vol, double fade_s)
{
	struct layer *l = layer_find(e, name);
	if (l) { /* already playing: move to the new level */
		l->leaving = false;
		mixer_ramp_to(&l->gain, vol, frames_of(e, fade_s));
		return;
	}
	for (int i = 0; i < MAX_LAYERS && !l; i++)
		if (!e->layers[i].sound)
			l = &e->layers[i];
	if (!l) {
		say(e, "%s: too many sounds at once", name);
		return;
	}
	struct engine_sound *s = sound_get(e, ENGINE_LAYER, name);
	if (!s)
		return;
	l->sound = s;
	l->leaving = false;
	mixer_ramp_set(&l->gain, 0);
	mixer_ramp_to(&l->gain, vol, frames_of(e, fade_s));
}

static void layer_off(struct engine *e, struct layer *l, double fade_s)
{
	l->leaving = true;
	mixer_ramp_to(&l->gain, 0, frames_of(e, fade_s));
}

static void cue_start(struct engine *e, const char *name, float level)
{
	const struct engine_sound *c = sound_get(e, ENGINE_CUE, name ? name : "");
	if (!c)
		return;
	int slot = 0;
	long oldest = -1;
	for (int i = 0; i < MAX_VOICES; i++) {
		if (!e->voices[i].cue) {
			slot = i;
			break;
		}
		if (e->voices[i].pos > oldest) { /* all busy: replace the oldest */
			oldest = e->voices[i].pos;
			slot = i;
		}
	}
	e->voices[slot].cue = c;
	e->voices[slot].pos = 0;
	e->voices[slot].gain = ENGINE_CUE_GAIN * (level < 0 ? 0 : level > 1 ? 1 : level);
}

static void set_master(struct engine *e, double fade_s)
{
	mixer_ramp_to(&e->master, e->muted ? 0 : e->volume, frames_of(e, fade_s));
}

void engine_apply(struct engine *e, const struct audio_cmd *c)
{
	struct layer *l;
	switch (c->kind) {
	case ACMD_LAYER_ON:
		layer_on(e, c->name, c->value, c->fade_s);
		break;
	case ACMD_LAYER_OFF:
		if ((l = layer_find(e, c->name)))
			layer_off(e, l, c->fade_s);
		break;
	case ACMD_VOLUME:
		e->volume = c->value < 0 ? 0 : c->value > 1 ? 1 : c->value;
		set_master(e, c->fade_s);
		break;
	case ACMD_VOLUME_STEP:
		e->volume += c->value > 0 ? 0.1f : -0.1f;
		e->volume = e->volume < 0 ? 0 : e->volume > 1 ? 1 : e->volume;
		e->muted = false;
		set_master(e, ENGINE_KEY_FADE_S);
		break;
	case ACMD_MUTE:
		e->muted = !e->muted;
		set_master(e, ENGINE_KEY_FADE_S);
		break;
	case ACMD_FADE_OUT:
		for (int i = 0; i < MAX_LAYERS; i++)
			if (e->layers[i].sound)
				layer_off(e, &e->layers[i], c->fade_s);
		break;
	case ACMD_CUE:
		cue_start(e, c->name, c->value);
		break;
	case ACMD_BREATH:
		if (e->cfg.follow) {
			if (c->phase == PACE_INHALE)
				mixer_ramp_to(&e->swell, 1, frames_of(e, c->fade_s));
			else if (c->phase == PACE_EXHALE)
				mixer_ramp_to(&e->swell, ENGINE_SWELL_LOW, frames_of(e, c->fade_s));
		}
		break;
	case ACMD_PAUSE:
		e->paused = c->value != 0;
		mixer_ramp_to(&e->pause, e->paused ? 0 : 1,
		            frames_of(e, e->paused ? ENGINE_PAUSE_FADE_S : ENGINE_RESUME_FADE_S));
		break;
	case ACMD_QUIT:
		break;
	}
}

static void render_block(struct engine *e, float *out, long n)
{
	int ch = e->cfg.channels;
	mixer_zero(out, n, ch);
	/* Paused and faded out: time stands still for the sounds too. */
	if (e->paused && mixer_ramp_settled(&e->pause))
		return;
	mixer_zero(e->bed, n, ch);
	for (int i = 0; i < MAX_LAYERS; i++) {
		struct layer *l = &e->layers[i];
		if (!l->sound)
			continue;
		long got = track_read(l->sound->track, e->tmp, n);
		if (got < 0) { /* a read error: said now, and if it is turned on again */
			str_copy(l->sound->error, track_error(l->sound->track), sizeof l->sound->error);
			say(e, "%s", l->sound->error);
			layer_drop(l);
			continue;
		}
		if (got < n)
			mixer_zero(e->tmp + got * ch, n - got, ch);
		mixer_ramp_add(&l->gain, e->bed, e->tmp, n, ch);
		if (l->leaving && mixer_ramp_settled(&l->gain) && l->gain.to == 0)
			layer_drop(l);
	}
	mixer_ramp_apply(&e->swell, e->bed, n, ch);
	mixer_add(out, e->bed, n, ch, 1);
	for (int i = 0; i < MAX_VOICES; i++) {
		struct voice *v = &e->voices[i];
		if (!v->cue)
			continue;
		long k = v->cue->frames - v->pos;
		if (k > n)
			k = n;
		mixer_add(out, v->cue->pcm + v->pos * ch, k, ch, v->gain);
		v->pos += k;
		if (v->pos >= v->cue->frames)
			v->cue = NULL;
	}
	mixer_ramp_apply(&e->master, out, n, ch);
	mixer_ramp_apply(&e->pause, out, n, ch);
	mixer_limit(out, n, ch);
}

void engine_render(struct engine *e, float *out, long frames)
{
	while (frames > 0) {
		long n = frames < BLOCK ? frames : BLOCK;
		render_block(e, out, n);
		out += n * e->cfg.channels;
		frames -= n;
	}
}

bool engine_take_message(struct engine *e, char *buf, size_t size)
{
	if (!e->has_message)
		return false;
	str_copy(buf, e->message, size);
	e->has_message = false;
	return true;
}

float engine_volume(const struct engine *e)
{
	return e->volume;
}

bool engine_muted(const struct engine *e)
{
	return e->muted;
}

bool engine_idle(const struct engine *e)
{
	for (int i = 0; i < MAX_LAYERS; i++)
		if (e->layers[i].sound)
			return false;
	for (int i = 0; i < MAX_VOICES; i++)
		if (e->voices[i].cue)
			return false;
	return true;
}
