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

enum { MAX_LAYERS = 8, MAX_VOICES = 8, MAX_CUES = 8, BLOCK = 512 };

struct layer {
	char name[64];
	struct track *track;
	struct mixer_ramp gain;
	bool leaving;        /* removed once the gain reaches 0 */
};

struct cue_sound {
	char name[64];
	float *buf;
	long frames;
};

struct voice {
	const struct cue_sound *cue;
	long pos;
};

struct engine {
	struct engine_cfg cfg;
	struct layer layers[MAX_LAYERS];
	struct cue_sound cues[MAX_CUES];
	struct voice voices[MAX_VOICES];
	struct mixer_ramp swell, master, pause;
	float volume;
	bool muted, paused;
	float *bed, *tmp;    /* BLOCK frames each */
	char message[160];
	bool has_message;
};

__attribute__((format(printf, 2, 3)))
static void say(struct engine *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
	e->has_message = true;
}

static long frames_of(const struct engine *e, double s)
{
	return s > 0 ? (long)(s * e->cfg.rate + 0.5) : 0;
}

static const struct cue_sound *cue_get(struct engine *e, const char *name)
{
	if (!name || !*name)
		name = "chime";
	for (int i = 0; i < MAX_CUES; i++)
		if (e->cues[i].buf && strcmp(e->cues[i].name, name) == 0)
			return &e->cues[i];
	for (int i = 0; i < MAX_CUES; i++) {
		if (e->cues[i].buf)
			continue;
		char *path = soundpath_find(name);
		if (!path) {
			say(e, "%s: no such sound", name);
			return NULL;
		}
		char err[256];
		long n = 0;
		/* Cues are short; anything longer is cut at 20 s. */
		float *buf = track_load(path, e->cfg.rate, e->cfg.channels, 20L * e->cfg.rate, &n, err, sizeof err);
		free(path);
		if (!buf) {
			say(e, "%s", err);
			return NULL;
		}
		str_copy(e->cues[i].name, name, sizeof e->cues[i].name);
		e->cues[i].buf = buf;
		e->cues[i].frames = n;
		return &e->cues[i];
	}
	return NULL;
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
	/* Load the default chime now: a cue must start at once, not after a
	 * file is opened and decoded. A missing chime is said when first used. */
	if (cfg->cues) {
		cue_get(e, "chime");
		e->has_message = false;
	}
	return e;
}

static void layer_drop(struct layer *l)
{
	track_close(l->track);
	memset(l, 0, sizeof *l);
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	for (int i = 0; i < MAX_LAYERS; i++)
		if (e->layers[i].track)
			layer_drop(&e->layers[i]);
	for (int i = 0; i < MAX_CUES; i++)
		free(e->cues[i].buf);
	free(e->bed);
	free(e->tmp);
	free(e);
}

static struct layer *layer_find(struct engine *e, const char *name)
{
	for (int i = 0; i < MAX_LAYERS; i++)
		if (e->layers[i].track && strcmp(e->layers[i].name, name) == 0)
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
		if (!e->layers[i].track)
			l = &e->layers[i];
	if (!l) {
		say(e, "%s: too many sounds at once", name);
		return;
	}
	char *path = soundpath_find(name);
	if (!path) {
		say(e, "%s: no such sound", name);
		return;
	}
	char err[256];
	struct track *t = track_open(path, e->cfg.rate, e->cfg.channels, true, ENGINE_LOOP_XFADE_S, err, sizeof err);
	free(path);
	if (!t) {
		say(e, "%s", err);
		return;
	}
	str_copy(l->name, name, sizeof l->name);
	l->track = t;
	l->leaving = false;
	mixer_ramp_set(&l->gain, 0);
	mixer_ramp_to(&l->gain, vol, frames_of(e, fade_s));
}

static void layer_off(struct engine *e, struct layer *l, double fade_s)
{
	l->leaving = true;
	mixer_ramp_to(&l->gain, 0, frames_of(e, fade_s));
}

static void cue_start(struct engine *e, const char *name)
{
	const struct cue_sound *c = cue_get(e, name);
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
			if (e->layers[i].track)
				layer_off(e, &e->layers[i], c->fade_s);
		break;
	case ACMD_CUE:
		cue_start(e, c->name);
		break;
	case ACMD_BREATH:
		if (e->cfg.cues)
			cue_start(e, "chime");
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
		if (!l->track)
			continue;
		long got = track_read(l->track, e->tmp, n);
		if (got < 0) {
			say(e, "%s", track_error(l->track));
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
		mixer_add(out, v->cue->buf + v->pos * ch, k, ch, ENGINE_CUE_GAIN);
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
		if (e->layers[i].track)
			return false;
	for (int i = 0; i < MAX_VOICES; i++)
		if (e->voices[i].cue)
			return false;
	return true;
}
