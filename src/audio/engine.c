/* SPDX-License-Identifier: ISC */
/* The engine: layers, cues, swell, master, pause, limiter. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duck.h"
#include "engine.h"
#include "feed.h"
#include "loudness.h"
#include "mixer.h"
#include "pace.h"
#include "soundpath.h"
#include "speech.h"
#include "track.h"
#include "util.h"

enum { MAX_LAYERS = 8, MAX_VOICES = 8, BLOCK = 512, MAX_CHANNELS = 8 };

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

/* A spoken line in the mix: the one speaking, or the one before it fading
 * out under it. */
struct speaking {
	struct engine_speech *s; /* NULL: none */
	long pos;
	struct mixer_ramp gain;
};

/* Everything that moves as the mix goes on, by value: a copy of it is a
 * mark (engine_mark), and putting the copy back (with the layers' feeds put
 * back where they were) makes the engine mix the same frames again. */
struct engine_state {
	int64_t frame;           /* frames mixed so far */
	/* The voice: lines handed over and waiting for their moment, the one
	 * speaking and the one leaving. */
	struct engine_speech *ready[ENGINE_READY_MAX];
	size_t nready;
	struct speaking now, leaving;
	size_t reached;          /* plan lines below it have had their moment */
	size_t aside_waiting;    /* an aside due before it came; 0: none */
	long duck_ahead;         /* frames the bed dips before a line to come (ACMD_DUCK) */
	bool voice_on;
	struct duck duck;
	struct mixer_ramp voice_pause; /* the voice's own: back at once on resume */
	struct biquad muffle[MAX_CHANNELS]; /* the bed's low-pass under the voice */
	bool muffling;           /* the filters hold state */
	struct layer layers[MAX_LAYERS];
	struct voice voices[MAX_VOICES];
	struct mixer_ramp swell, master, pause;
	float volume;
	bool muted, paused;
};

/* A layer's feed and where it stood. */
struct feed_at {
	struct feed *feed;
	int64_t pos;
};

struct engine_mark {
	struct engine_state st;
	struct feed_at feeds[ENGINE_MARK_FEEDS];
	size_t nfeeds;
	bool whole;              /* every feed is in it: it can be put back */
};

struct engine {
	struct engine_cfg cfg;
	struct engine_state st;
	/* Every line the engine holds (held_next): waiting, speaking, or
	 * spent and not yet taken back. */
	struct engine_speech *held;
	float *duckgain, *muffle_k, *voice; /* BLOCK frames, mono */
	struct engine_sound *sounds; /* every sound given or loaded, for the engine's life */
	float *bed, *tmp;    /* BLOCK frames each */
	char message[160];
	bool has_message;
	char last_said[160];     /* a message said again over frames mixed again is not said twice */
	int64_t last_said_frame;
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
	if (e->st.frame <= e->last_said_frame && strcmp(msg, e->last_said) == 0)
		return; /* the same frames mixed again after a rewind */
	str_copy(e->last_said, msg, sizeof e->last_said);
	e->last_said_frame = e->st.frame;
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
		snprintf(s->error, sizeof s->error, "%s: no such sound%s", s->name,
		         soundpath_builtin_missing() ? " (the built-in sounds are not installed yet: make install, "
		                                       "or set LULL_SOUNDS_DIR)"
		                                     : "");
		return s;
	}
	char err[sizeof s->error];
	if (kind == ENGINE_CUE) /* cues are short; anything longer is cut at 20 s */
		s->pcm = track_load(path, rate, channels, 20L * rate, &s->frames, err, sizeof err);
	else {
		struct track *t = track_open(path, rate, channels, true, ENGINE_LOOP_XFADE_S, err, sizeof err);
		if (t) { /* its first seconds decoded now, before anything plays it */
			s->feed = feed_new(t, rate, channels);
			feed_fill(s->feed);
		}
	}
	if (!s->pcm && !s->feed) {
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
	feed_free(s->feed);
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
	e->st.volume = cfg->volume < 0 ? 0 : cfg->volume > 1 ? 1 : cfg->volume;
	mixer_ramp_set(&e->st.master, e->st.volume);
	mixer_ramp_set(&e->st.pause, 1);
	mixer_ramp_set(&e->st.swell, cfg->follow ? ENGINE_SWELL_LOW : 1);
	e->last_said_frame = -1;
	e->bed = xmalloc(sizeof(float) * BLOCK * (size_t)cfg->channels);
	e->tmp = xmalloc(sizeof(float) * BLOCK * (size_t)cfg->channels);
	e->voice = xmalloc(sizeof(float) * BLOCK);
	e->duckgain = xmalloc(sizeof(float) * BLOCK);
	e->muffle_k = xmalloc(sizeof(float) * BLOCK);
	mixer_ramp_set(&e->st.voice_pause, 1);
	e->st.voice_on = cfg->voice;
	duck_init(&e->st.duck, cfg->rate);
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
	free(e->voice);
	free(e->duckgain);
	free(e->muffle_k);
	/* Lines still held are their maker's: engine_take_all_speech gave
	 * them back before this, or the maker frees them with itself. */
	free(e);
}

static struct layer *layer_find(struct engine *e, const char *name)
{
	for (int i = 0; i < MAX_LAYERS; i++)
		if (e->st.layers[i].sound && strcmp(e->st.layers[i].sound->name, name) == 0)
			return &e->st.layers[i];
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
		if (!e->st.layers[i].sound)
			l = &e->st.layers[i];
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
		if (!e->st.voices[i].cue) {
			slot = i;
			break;
		}
		if (e->st.voices[i].pos > oldest) { /* all busy: replace the oldest */
			oldest = e->st.voices[i].pos;
			slot = i;
		}
	}
	e->st.voices[slot].cue = c;
	e->st.voices[slot].pos = 0;
	e->st.voices[slot].gain = ENGINE_CUE_GAIN * (level < 0 ? 0 : level > 1 ? 1 : level);
}

/* ---------------------------------------------------------------- speech */
/* Played, passed or stopped: kept (held) until taken back, because a
 * rewind to a mark before this frame makes it waiting or speaking again. */
static void spend(struct engine *e, struct engine_speech *s)
{
	s->spent = true;
	s->spent_at = e->st.frame;
}

static void ready_add(struct engine *e, struct engine_speech *s)
{
	if (e->st.nready == ENGINE_READY_MAX) { /* the maker keeps far fewer ahead */
		spend(e, s);
		return;
	}
	e->st.ready[e->st.nready++] = s;
}

/* Takes line `line` off the waiting list (NULL if it is not there); every
 * plan line before it still waiting has had its moment: spent. */
static struct engine_speech *speech_claim(struct engine *e, size_t line)
{
	struct engine_speech *found = NULL;
	size_t kept = 0;
	for (size_t i = 0; i < e->st.nready; i++) {
		struct engine_speech *s = e->st.ready[i];
		if (s->line == line && !found)
			found = s;
		else if (line < ENGINE_SPEECH_ASIDE && s->line < line)
			spend(e, s);
		else
			e->st.ready[kept++] = s;
	}
	e->st.nready = kept;
	return found;
}

/* The line speaking stops, with a quick fade. */
static void speech_stop(struct engine *e, double fade_s)
{
	if (!e->st.now.s)
		return;
	if (e->st.leaving.s)
		spend(e, e->st.leaving.s);
	e->st.leaving = e->st.now;
	mixer_ramp_to(&e->st.leaving.gain, 0, frames_of(e, fade_s));
	memset(&e->st.now, 0, sizeof e->st.now);
}

static void speech_start(struct engine *e, struct engine_speech *s)
{
	if (s->frames <= 0) { /* nothing to say: its note was said */
		spend(e, s);
		return;
	}
	if (s->breath && e->st.now.s && !e->st.now.s->breath) { /* gives way to a line */
		spend(e, s);
		return;
	}
	speech_stop(e, ENGINE_SPEECH_FADE_S);
	e->st.now.s = s;
	e->st.now.pos = 0;
	float level = s->level_db < 0 ? powf(10, s->level_db / 20) : 1;
	mixer_ramp_set(&e->st.now.gain, (s->breath ? ENGINE_BREATH_GAIN : 1) * level);
}

static void speak(struct engine *e, size_t line)
{
	struct engine_speech *s = speech_claim(e, line);
	if (line >= ENGINE_SPEECH_ASIDE) {
		if (s && e->st.voice_on)
			speech_start(e, s);
		else if (s)
			spend(e, s);
		else if (e->st.voice_on)
			e->st.aside_waiting = line; /* it starts as it comes */
		return;
	}
	if (line + 1 > e->st.reached)
		e->st.reached = line + 1;
	e->st.aside_waiting = 0; /* the plan goes on: an aside not come is not wanted now */
	if (!e->st.voice_on) {
		if (s)
			spend(e, s);
		return;
	}
	if (s) {
		speech_start(e, s);
		return;
	}
	/* Not ready at its moment: never played late over what comes next. A
	 * breath word missed is not worth a word. */
	say(e, "Voice: a line was not ready in time, so it was skipped");
}

/* A line the engine holds takes its place by the rules of its arrival:
 * true when it starts at once (an aside that was waiting for it). */
static bool speech_arrive(struct engine *e, struct engine_speech *s)
{
	s->spent = false;
	s->pending = false;
	if (s->line >= ENGINE_SPEECH_ASIDE && s->line == e->st.aside_waiting) {
		e->st.aside_waiting = 0;
		speech_start(e, s);
		return true;
	}
	if (s->line < ENGINE_SPEECH_ASIDE && s->line < e->st.reached)
		spend(e, s); /* its moment has passed */
	else
		ready_add(e, s);
	return false;
}

bool engine_add_speech(struct engine *e, struct engine_speech *s)
{
	if (s->note[0])
		say(e, "%s", s->note);
	s->held_next = e->held;
	e->held = s;
	s->arrived_at = e->st.frame;
	return speech_arrive(e, s);
}

int64_t engine_next_arrival(const struct engine *e)
{
	int64_t next = INT64_MAX;
	for (const struct engine_speech *s = e->held; s; s = s->held_next)
		if (s->pending && s->arrived_at < next)
			next = s->arrived_at;
	return next;
}

void engine_arrive(struct engine *e, int64_t upto)
{
	for (struct engine_speech *s = e->held; s; s = s->held_next)
		if (s->pending && s->arrived_at <= upto)
			speech_arrive(e, s);
}

struct engine_speech *engine_take_spent_before(struct engine *e, int64_t frame)
{
	struct engine_speech *out = NULL, **tail = &out;
	for (struct engine_speech **ps = &e->held; *ps;) {
		struct engine_speech *s = *ps;
		if (s->spent && s->spent_at < frame) {
			*ps = s->held_next;
			s->next = NULL;
			*tail = s;
			tail = &s->next;
		} else {
			ps = &s->held_next;
		}
	}
	return out;
}

struct engine_speech *engine_take_spent(struct engine *e)
{
	return engine_take_spent_before(e, INT64_MAX);
}

struct engine_speech *engine_take_all_speech(struct engine *e)
{
	for (struct engine_speech *s = e->held; s; s = s->held_next)
		if (s->pending) {
			s->pending = false;
			spend(e, s);
		}
	for (size_t i = 0; i < e->st.nready; i++)
		spend(e, e->st.ready[i]);
	e->st.nready = 0;
	if (e->st.now.s)
		spend(e, e->st.now.s);
	if (e->st.leaving.s)
		spend(e, e->st.leaving.s);
	memset(&e->st.now, 0, sizeof e->st.now);
	memset(&e->st.leaving, 0, sizeof e->st.leaving);
	return engine_take_spent(e);
}

size_t engine_speech_reached(const struct engine *e)
{
	return e->st.reached;
}

bool engine_voice_on(const struct engine *e)
{
	return e->st.voice_on;
}

/* The bed under a line: dipped and muffled along the ducking curve (duck.h
 * says why both), a low-pass mixed in as far as the curve says. The
 * filters start from rest at each dip; they join at a muffle near 0, so
 * their first samples are not heard. */
static void duck_bed(struct engine *e, bool speaking, long n)
{
	int ch = e->cfg.channels < MAX_CHANNELS ? e->cfg.channels : MAX_CHANNELS;
	if (duck_gains(&e->st.duck, speaking, e->duckgain, e->muffle_k, n)) {
		e->st.muffling = false;
		return;
	}
	if (!e->st.muffling) {
		for (int c = 0; c < ch; c++)
			biquad_lowpass(&e->st.muffle[c], e->cfg.rate, DUCK_MUFFLE_HZ, 0.7071);
		e->st.muffling = true;
	}
	for (long i = 0; i < n; i++) {
		float g = e->duckgain[i], k = e->muffle_k[i];
		for (int c = 0; c < e->cfg.channels; c++) {
			float x = e->bed[i * e->cfg.channels + c];
			float lp = c < ch ? (float)biquad_step(&e->st.muffle[c], x) : x;
			e->bed[i * e->cfg.channels + c] = (x + (lp - x) * k) * g;
		}
	}
}

/* Mixes n frames of a speaking line into e->voice (mono); false when it is
 * done (given back). */
static bool speech_mix(struct engine *e, struct speaking *sp, long n)
{
	const short *pcm = sp->s->pcm + sp->pos;
	float g = e->cfg.voice_volume / 32768.0f;
	long k = sp->s->frames - sp->pos;
	if (k > n)
		k = n;
	for (long i = 0; i < k; i++)
		e->tmp[i] = pcm[i] * g;
	mixer_ramp_add(&sp->gain, e->voice, e->tmp, k, 1);
	sp->pos += k;
	bool faded = mixer_ramp_settled(&sp->gain) && mixer_ramp_value(&sp->gain) == 0;
	if (sp->pos >= sp->s->frames || faded) {
		spend(e, sp->s);
		memset(sp, 0, sizeof *sp);
		return false;
	}
	return true;
}

static void set_master(struct engine *e, double fade_s)
{
	mixer_ramp_to(&e->st.master, e->st.muted ? 0 : e->st.volume, frames_of(e, fade_s));
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
		e->st.volume = c->value < 0 ? 0 : c->value > 1 ? 1 : c->value;
		set_master(e, c->fade_s);
		break;
	case ACMD_VOLUME_STEP:
		e->st.volume += c->value > 0 ? 0.1f : -0.1f;
		e->st.volume = e->st.volume < 0 ? 0 : e->st.volume > 1 ? 1 : e->st.volume;
		e->st.muted = false;
		set_master(e, ENGINE_KEY_FADE_S);
		break;
	case ACMD_MUTE:
		e->st.muted = !e->st.muted;
		set_master(e, ENGINE_KEY_FADE_S);
		break;
	case ACMD_FADE_OUT:
		for (int i = 0; i < MAX_LAYERS; i++)
			if (e->st.layers[i].sound)
				layer_off(e, &e->st.layers[i], c->fade_s);
		break;
	case ACMD_CUE:
		cue_start(e, c->name, c->value);
		break;
	case ACMD_BREATH:
		if (e->cfg.follow) {
			if (c->phase == PACE_INHALE)
				mixer_ramp_to(&e->st.swell, 1, frames_of(e, c->fade_s));
			else if (c->phase == PACE_EXHALE)
				mixer_ramp_to(&e->st.swell, ENGINE_SWELL_LOW, frames_of(e, c->fade_s));
		}
		break;
	case ACMD_PAUSE:
		e->st.paused = c->value != 0;
		mixer_ramp_to(&e->st.pause, e->st.paused ? 0 : 1,
		            frames_of(e, e->st.paused ? ENGINE_PAUSE_FADE_S : ENGINE_RESUME_FADE_S));
		/* The voice fades with the rest, and comes back at once: it
		 * resumes in the pause before the word the pause cut, where a
		 * fade would only soften that word. */
		mixer_ramp_to(&e->st.voice_pause, e->st.paused ? 0 : 1, e->st.paused ? frames_of(e, ENGINE_PAUSE_FADE_S) : 0);
		if (!e->st.paused && e->st.now.s)
			e->st.now.pos = speech_resume_point(e->st.now.s->pcm, e->st.now.s->frames, e->st.now.pos, e->cfg.rate);
		break;
	case ACMD_QUIT:
		break;
	case ACMD_SPEAK:
		speak(e, c->line);
		break;
	case ACMD_VOICE:
		e->st.voice_on = c->value != 0;
		if (!e->st.voice_on)
			speech_stop(e, ENGINE_PAUSE_FADE_S);
		break;
	case ACMD_HUSH:
		e->st.aside_waiting = 0;
		speech_stop(e, ENGINE_SPEECH_FADE_S);
		break;
	case ACMD_DUCK:
		if (e->st.voice_on && frames_of(e, c->fade_s) > e->st.duck_ahead)
			e->st.duck_ahead = frames_of(e, c->fade_s);
		break;
	}
}

static void render_block(struct engine *e, float *out, long n)
{
	int ch = e->cfg.channels;
	mixer_zero(out, n, ch);
	/* Paused and faded out: time stands still for the sounds too. */
	if (e->st.paused && mixer_ramp_settled(&e->st.pause) && mixer_ramp_settled(&e->st.voice_pause))
		return;
	mixer_zero(e->bed, n, ch);
	for (int i = 0; i < MAX_LAYERS; i++) {
		struct layer *l = &e->st.layers[i];
		if (!l->sound)
			continue;
		long got = feed_read(l->sound->feed, e->tmp, n);
		if (got < 0) { /* a read error: said now, and if it is turned on again */
			str_copy(l->sound->error, feed_error(l->sound->feed), sizeof l->sound->error);
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
	/* The voice, and the bed ducked under it. */
	bool voiced = e->st.now.s || e->st.leaving.s;
	if (voiced)
		mixer_zero(e->voice, n, 1);
	/* A line to come dips the bed ahead of it (the plan's ACMD_DUCK), so
	 * that its first syllable is heard over a bed already down. */
	bool line_speaking = (e->st.now.s && !e->st.now.s->breath) || e->st.duck_ahead > 0;
	e->st.duck_ahead = e->st.duck_ahead > n ? e->st.duck_ahead - n : 0;
	if (e->st.leaving.s)
		speech_mix(e, &e->st.leaving, n);
	if (e->st.now.s)
		speech_mix(e, &e->st.now, n);
	duck_bed(e, line_speaking, n);
	mixer_ramp_apply(&e->st.swell, e->bed, n, ch);
	mixer_add(out, e->bed, n, ch, 1);
	for (int i = 0; i < MAX_VOICES; i++) {
		struct voice *v = &e->st.voices[i];
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
	mixer_ramp_apply(&e->st.pause, out, n, ch);
	if (voiced) {
		mixer_ramp_apply(&e->st.voice_pause, e->voice, n, 1);
		for (long i = 0; i < n; i++)
			for (int c = 0; c < ch; c++)
				out[i * ch + c] += e->voice[i];
	} else {
		mixer_ramp_skip(&e->st.voice_pause, n); /* it moves on with the frames */
	}
	mixer_ramp_apply(&e->st.master, out, n, ch);
	if (!e->cfg.unlimited)
		mixer_limit(out, n, ch);
}

void engine_render(struct engine *e, float *out, long frames)
{
	while (frames > 0) {
		long n = frames < BLOCK ? frames : BLOCK;
		render_block(e, out, n);
		e->st.frame += n;
		out += n * e->cfg.channels;
		frames -= n;
	}
}

/* ----------------------------------------------------------------- marks */
struct engine_mark *engine_mark_new(void)
{
	return xcalloc(1, sizeof(struct engine_mark));
}

void engine_mark_free(struct engine_mark *m)
{
	free(m);
}

void engine_mark(const struct engine *e, struct engine_mark *m)
{
	m->st = e->st;
	m->nfeeds = 0;
	m->whole = true;
	for (const struct engine_sound *s = e->sounds; s; s = s->next) {
		if (!s->feed)
			continue;
		if (m->nfeeds == ENGINE_MARK_FEEDS) {
			m->whole = false;
			break;
		}
		m->feeds[m->nfeeds++] = (struct feed_at){ s->feed, feed_tell(s->feed) };
	}
}

int64_t engine_mark_frame(const struct engine_mark *m)
{
	return m->st.frame;
}

static bool in_state(const struct engine_state *st, const struct engine_speech *s)
{
	if (st->now.s == s || st->leaving.s == s)
		return true;
	for (size_t i = 0; i < st->nready; i++)
		if (st->ready[i] == s)
			return true;
	return false;
}

bool engine_rewind(struct engine *e, const struct engine_mark *m)
{
	if (!m->whole)
		return false;
	/* Where each feed goes back to: where the mark has it, or, for a
	 * sound given since the mark, its start (it was first read after the
	 * mark). A feed that cannot go back that far (read further than its
	 * history since) refuses before anything moves. */
	for (int pass = 0; pass < 2; pass++) {
		for (struct engine_sound *s = e->sounds; s; s = s->next) {
			if (!s->feed)
				continue;
			int64_t pos = 0;
			for (size_t i = 0; i < m->nfeeds; i++)
				if (m->feeds[i].feed == s->feed)
					pos = m->feeds[i].pos;
			if (pass == 0 && !feed_can_seek(s->feed, pos))
				return false;
			if (pass == 1)
				feed_seek(s->feed, pos);
		}
	}
	int64_t frame = m->st.frame;
	e->st = m->st;
	/* The voice: lines in the mark's state are waiting or speaking again;
	 * lines spent before the mark stay spent; every other line the
	 * engine holds came since the mark: it is to come again
	 * (engine_arrive) at the frame it came at, or sooner. */
	for (struct engine_speech *s = e->held; s; s = s->held_next) {
		if (in_state(&e->st, s)) {
			s->spent = false;
			s->pending = false;
		} else if (!(s->spent && s->spent_at < frame)) {
			s->spent = false;
			s->pending = true;
		}
	}
	return true;
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
	return e->st.volume;
}

bool engine_muted(const struct engine *e)
{
	return e->st.muted;
}

bool engine_idle(const struct engine *e)
{
	for (int i = 0; i < MAX_LAYERS; i++)
		if (e->st.layers[i].sound)
			return false;
	for (int i = 0; i < MAX_VOICES; i++)
		if (e->st.voices[i].cue)
			return false;
	return !e->st.now.s && !e->st.leaving.s;
}

int64_t engine_frame(const struct engine *e)
{
	return e->st.frame;
}
