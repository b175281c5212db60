/* SPDX-License-Identifier: ISC */
/* The sound plan: a timeline and a sound configuration in, what is heard
 * when out. Pure: no I/O, no clock, no globals. See soundplan.h for the
 * fade policy. */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "duck.h"
#include "mixer.h"
#include "soundplan.h"
#include "util.h"

#define FADE_US (10 * PACE_US_PER_S) /* the opening rise and the closing fall */

struct soundplan {
	struct soundplan_cfg cfg; /* the layer names the opening events point to */
	struct sp_event *ev;
	size_t nev, capev;
	struct sp_line *lines;
	size_t nlines, caplines;
	pace_us line_at;          /* when the last spoken line (not a breath word) starts */
	size_t tied;              /* the last line tied to a phase (SIZE_MAX: none yet) */
};

pace_us soundplan_rise(pace_us total)
{
	return total / 2 < FADE_US ? total / 2 : FADE_US;
}

pace_us soundplan_fall(pace_us total)
{
	return total / 4 < FADE_US ? total / 4 : FADE_US;
}

static void push(struct soundplan *sp, struct sp_event e)
{
	if (sp->nev == sp->capev) {
		sp->capev = sp->capev ? sp->capev * 2 : 64;
		sp->ev = xrealloc(sp->ev, sp->capev * sizeof *sp->ev);
	}
	sp->ev[sp->nev++] = e;
}

/* A program's sound word as heard. False for a layer word without a name
 * (nothing to turn on or off). */
static bool sound_word(const struct step_sound *s, struct sp_event *e)
{
	static const enum sp_event_kind kind[] = {
		[SOUND_LAYER_ON] = SP_EV_LAYER_ON, [SOUND_LAYER_OFF] = SP_EV_LAYER_OFF,
		[SOUND_VOLUME] = SP_EV_VOLUME, [SOUND_FADE_OUT] = SP_EV_FADE_OUT,
	};
	if ((s->action == SOUND_LAYER_ON || s->action == SOUND_LAYER_OFF) && !s->name)
		return false;
	e->kind = kind[s->action];
	e->name = s->name;
	e->volume = s->volume;
	e->fade = pace_us_from_s(s->fade_s);
	return true;
}

/* The cue `tones` rings for a breath phase or a new step (NULL: the default
 * chime). */
static const char *tone_of(const struct soundplan_cfg *cfg, bool step, enum pace_phase ph)
{
	static const char *const phase_tone[PACE_PHASES] = {
		[PACE_INHALE] = SOUNDPLAN_TONE_INHALE, [PACE_HOLD_FULL] = SOUNDPLAN_TONE_HOLD,
		[PACE_EXHALE] = SOUNDPLAN_TONE_EXHALE, [PACE_HOLD_EMPTY] = SOUNDPLAN_TONE_HOLD,
	};
	if (cfg->cue_style == SOUNDPLAN_CHIME)
		return NULL;
	return step ? SOUNDPLAN_TONE_STEP : phase_tone[ph];
}

/* One timeline event as heard: up to two events into e (a phase's tone and
 * its swell); how many. This is where a new kind of sound (a spoken line)
 * is chosen. step_tone_at: when the last step tone rang (a breath starting
 * with it keeps quiet); tied_at: when the last spoken line tied to a
 * phase started at about its full level (its phase's tone is lowered by
 * SOUNDPLAN_TONE_UNDER_LINE_DB: the line says the phase, and a tone over
 * its first syllable masks it; still there should the line not be). */
static size_t heard(const struct soundplan_cfg *cfg, const struct program *p, const struct tl_event *t,
		    pace_us *step_tone_at, pace_us tied_at, struct sp_event e[2])
{
	struct sp_event base = { .at = t->at, .step = t->step, .volume = 1 };
	size_t n = 0;
	switch (t->kind) {
	case TL_EV_STEP:
		if (cfg->tones && p->steps[t->step].kind != STEP_BREATHE) {
			e[n] = base;
			e[n].kind = SP_EV_CUE;
			e[n].tone = true;
			e[n++].name = tone_of(cfg, true, 0);
			*step_tone_at = t->at;
		}
		return n;
	case TL_EV_BREATH:
		if (cfg->tones && t->at != *step_tone_at) {
			e[n] = base;
			e[n].kind = SP_EV_CUE;
			e[n].tone = true;
			if (t->at == tied_at)
				e[n].volume = powf(10, (float)SOUNDPLAN_TONE_UNDER_LINE_DB / 20);
			e[n++].name = tone_of(cfg, false, t->phase);
		}
		if (cfg->follow) {
			e[n] = base;
			e[n].kind = SP_EV_BREATH;
			e[n].phase = t->phase;
			e[n++].len = t->len;
		}
		return n;
	case TL_EV_CHIME:
		if (!cfg->chimes)
			return 0;
		e[0] = base;
		e[0].kind = SP_EV_CUE;
		e[0].name = t->text;
		return 1;
	case TL_EV_SOUND:
		e[0] = base;
		return sound_word(&p->steps[t->step].u.sound, &e[0]) ? 1 : 0;
	case TL_EV_FADE:
		e[0] = base;
		e[0].kind = SP_EV_FADE_OUT;
		e[0].fade = t->len;
		return 1;
	case TL_EV_SAY:
	case TL_EV_END:
		break;
	}
	return 0;
}

/* The word a breath phase says with voice_breath: short, so that it fits
 * the shortest phase, and the same for both holds. */
static const char *breath_word(enum pace_phase ph)
{
	return ph == PACE_INHALE ? "In" : ph == PACE_EXHALE ? "Out" : "Hold";
}

/* One timeline event as spoken; false when it says nothing. The line is
 * added to the plan's table with the end of its step (a say line: of its
 * span, until the next line or its step's end) as its room, made smaller by
 * the next line when the table is complete. step_end: where the timed step
 * in progress ends. A say line (or a word) comes from its own step (its
 * event says which), with its recording and its place in the source. A
 * breath word where a line starts is not said: the line is what that phase
 * says (a line tied to it, or a guide's first breath), and the timeline
 * gives the line before the breath at the same moment. */
static bool spoken(struct soundplan *sp, const struct program *p, const struct tl_event *t, pace_us step_end,
		   struct sp_event *e)
{
	struct sp_line line = { .at = t->at, .room = step_end, .step = t->step };
	if (!sp->cfg.voice)
		return false;
	if (t->kind == TL_EV_STEP && p->steps[t->step].kind == STEP_GUIDE && t->text) {
		line.text = t->text;
		line.recording = p->steps[t->step].recording;
	} else if (t->kind == TL_EV_SAY && t->text) {
		line.text = t->text;
		line.recording = p->steps[t->step].recording;
		if (t->len > 0 && t->at + t->len < line.room)
			line.room = t->at + t->len;
	} else if (t->kind == TL_EV_BREATH && sp->cfg.voice_breath && t->at != sp->line_at) {
		line.text = breath_word(t->phase);
		line.breath = true;
		line.room = t->at + t->len;
	} else {
		return false;
	}
	if (sp->nlines == sp->caplines) {
		sp->caplines = sp->caplines ? sp->caplines * 2 : 32;
		sp->lines = xrealloc(sp->lines, sp->caplines * sizeof *sp->lines);
	}
	*e = (struct sp_event){ .kind = SP_EV_SPEAK, .at = t->at, .step = line.step, .line = sp->nlines,
				.text = line.text };
	sp->lines[sp->nlines++] = line;
	if (!line.breath)
		sp->line_at = line.at;
	if (t->kind == TL_EV_SAY && p->steps[t->step].kind == STEP_SAY && p->steps[t->step].say_tie != SAY_ANY)
		sp->tied = sp->nlines - 1;
	return true;
}

/* Each line's room: until the end of its step (set as it was added) or the
 * next spoken line, whichever is first. A breath word has its phase. */
static void set_rooms(struct soundplan *sp)
{
	pace_us next = INT64_MAX;
	for (size_t i = sp->nlines; i-- > 0;) {
		struct sp_line *l = &sp->lines[i];
		if (!l->breath && next < l->room)
			l->room = next;
		l->room -= l->at;
		if (!l->breath)
			next = l->at;
	}
	for (size_t i = 0; i < sp->nev; i++)
		if (sp->ev[i].kind == SP_EV_SPEAK)
			sp->ev[i].len = sp->lines[sp->ev[i].line].room;
}

/* The bed's dip ahead of each spoken line (not a breath word): DUCK_LEAD_S
 * before it, or from the session's start. The dips, in order of time as
 * their lines are, are merged into the plan, each before the events of its
 * own time. */
static void add_ducks(struct soundplan *sp)
{
	const pace_us lead = (pace_us)(DUCK_LEAD_S * PACE_US_PER_S);
	size_t n = sp->nev;
	for (size_t i = 0; i < n; i++) {
		if (sp->ev[i].kind != SP_EV_SPEAK || sp->lines[sp->ev[i].line].breath)
			continue;
		struct sp_event d = { .kind = SP_EV_DUCK, .step = sp->ev[i].step };
		d.at = sp->ev[i].at > lead ? sp->ev[i].at - lead : 0;
		d.fade = sp->ev[i].at - d.at;
		push(sp, d);
	}
	if (sp->nev == n)
		return;
	struct sp_event *out = xmalloc(sp->capev * sizeof *out);
	size_t a = 0, b = n, k = 0;
	while (a < n || b < sp->nev)
		out[k++] = b < sp->nev && (a == n || sp->ev[b].at <= sp->ev[a].at) ? sp->ev[b++] : sp->ev[a++];
	free(sp->ev);
	sp->ev = out;
}

/* The plan is made in one pass in time order: the timeline's events as
 * heard, with the plan's own merged in where they fall. */
struct build {
	struct soundplan *sp;
	size_t own_step;     /* the step index of the plan's own events */
	pace_us rise;        /* the configured layers rise until here (0: none rise) */
	pace_us close_at, fall;
	bool deferred;       /* fade waits for the end of the rise */
	struct sp_event fade;
	bool closed;         /* the closing fall is placed (or not needed) */
	bool sounding;       /* a layer came on since the last fade-out of everything */
	bool no_bed;         /* layers are left out (their fades still shape the cues) */
	bool sleep;          /* a sleep program: its voice fades too, and closes quiet */
	pace_us close;       /* where a sleep program's close begins */
	/* What the bed's fades leave of a cue's level: a ramp from `from` at
	 * `at` to `to` over len, along the engine's curve. */
	struct { pace_us at, len; float from, to; } level;
};

static float level_at(const struct build *b, pace_us t)
{
	if (t >= b->level.at + b->level.len)
		return b->level.to;
	if (t <= b->level.at)
		return b->level.from;
	double u = (double)(t - b->level.at) / (double)b->level.len;
	float wo = mixer_ep_out(u), wi = mixer_ep_in(u);
	return sqrtf(b->level.from * b->level.from * wo * wo + b->level.to * b->level.to * wi * wi);
}

static void level_to(struct build *b, pace_us at, float to, pace_us len)
{
	b->level.from = level_at(b, at);
	b->level.to = to;
	b->level.at = at;
	b->level.len = len > 0 ? len : 0;
}

/* A sleep program's line: at the level the fades leave (a gain), and no
 * louder than SOUNDPLAN_CLOSE_DB in its close. */
static float line_level_db(float level, bool in_close)
{
	float db = level > 1e-3f ? 20 * log10f(level) : -60;
	if (in_close && db > SOUNDPLAN_CLOSE_DB)
		db = SOUNDPLAN_CLOSE_DB;
	return db < 0 ? db : 0;
}

/* Events reach here in time order, so the cue level can follow them. */
static void emit(struct build *b, struct sp_event e)
{
	const float floor_level = powf(10, (float)SOUNDPLAN_CUE_FLOOR_DB / 20);
	switch (e.kind) {
	case SP_EV_LAYER_ON:
		b->sounding = true;
		level_to(b, e.at, 1, e.fade);
		if (b->no_bed)
			return;
		break;
	case SP_EV_LAYER_OFF:
		if (b->no_bed)
			return;
		break;
	case SP_EV_FADE_OUT:
		b->sounding = false;
		level_to(b, e.at, 0, e.fade);
		break;
	case SP_EV_CUE:
		if (!e.tone)
			break; /* the program's chime: as written */
		if (level_at(b, e.at) < floor_level)
			return; /* faded too far to be worth waking for */
		e.volume *= level_at(b, e.at);
		break;
	case SP_EV_SPEAK:
		if (b->sleep) /* the voice fades with the rest (soundplan.h) */
			b->sp->lines[e.line].level_db = line_level_db(level_at(b, e.at), e.at >= b->close);
		break;
	case SP_EV_VOLUME:
	case SP_EV_BREATH:
	case SP_EV_DUCK:
		break;
	}
	push(b->sp, e);
}

/* The plan's own events that come before an event at t: a fade-out deferred
 * to the end of the rise (before what was there already: it was asked for
 * earlier), and the closing fall (after what is at its own time). */
static void own_events_before(struct build *b, pace_us t)
{
	if (b->deferred && t >= b->rise) {
		b->deferred = false;
		emit(b, b->fade);
	}
	if (!b->closed && t > b->close_at) {
		b->closed = true;
		if (b->sounding)
			emit(b, (struct sp_event){ .kind = SP_EV_FADE_OUT, .at = b->close_at,
						   .fade = b->fall, .step = b->own_step });
	}
}

/* A fade-out that would begin while the configured layers still rise begins
 * when they have risen, and ends when it was meant to (or, meant to end
 * within the rise, lasts as long as it was asked to from there). Of several,
 * the last is the one heard: a fade starts from where the level is, so a
 * second one at the same moment replaces the first. */
static void add(struct build *b, struct sp_event e)
{
	if (e.kind == SP_EV_FADE_OUT && e.at < b->rise) {
		pace_us end = e.at + e.fade;
		e.at = b->rise;
		if (end > b->rise)
			e.fade = end - b->rise;
		b->fade = e;
		b->deferred = true;
		return;
	}
	own_events_before(b, e.at);
	emit(b, e);
}

struct soundplan *soundplan_new(const struct timeline *tl, const struct soundplan_cfg *cfg)
{
	struct soundplan *sp = xcalloc(1, sizeof *sp);
	sp->cfg = *cfg;
	sp->line_at = -1;
	sp->tied = SIZE_MAX;
	if (sp->cfg.nlayers > SOUNDPLAN_MAX_LAYERS)
		sp->cfg.nlayers = SOUNDPLAN_MAX_LAYERS;
	const struct program *p = timeline_program(tl);
	pace_us total = timeline_total(tl);
	/* A session of no length has nothing to carry a bed under, nor to
	 * fade at its end. */
	size_t nlayers = total > 0 && !sp->cfg.no_bed ? sp->cfg.nlayers : 0;
	struct build b = { .sp = sp, .own_step = p->nsteps,
			   .rise = nlayers ? soundplan_rise(total) : 0,
			   .close_at = total - soundplan_fall(total), .fall = soundplan_fall(total),
			   .closed = total <= 0, .no_bed = sp->cfg.no_bed, .level = { .from = 1, .to = 1 },
			   .sleep = (p->tags & TAG_SLEEP) != 0, .close = total - SOUNDPLAN_CLOSE_US };

	for (size_t i = 0; i < nlayers; i++)
		add(&b, (struct sp_event){ .kind = SP_EV_LAYER_ON, .name = sp->cfg.layers[i].name,
					   .volume = sp->cfg.layers[i].volume, .fade = b.rise,
					   .step = b.own_step });
	struct tl_event buf[64];
	size_t cursor = 0, n;
	pace_us step_tone_at = -1, step_end = 0;
	while ((n = timeline_events(tl, &cursor, INT64_MAX, buf, 64)) > 0)
		for (size_t i = 0; i < n; i++) {
			struct sp_event e[2];
			if (buf[i].kind == TL_EV_STEP)
				step_end = buf[i].at + buf[i].len;
			/* A tied line said at about its full level (within 3 dB)
			 * says its phase; one said softer (a sleep program's
			 * close) leaves the tone. */
			pace_us tied_at = sp->tied != SIZE_MAX && sp->lines[sp->tied].level_db >= -3.0f
					  ? sp->lines[sp->tied].at : -1;
			size_t k = heard(&sp->cfg, p, &buf[i], &step_tone_at, tied_at, e);
			for (size_t j = 0; j < k; j++)
				add(&b, e[j]);
			if (spoken(sp, p, &buf[i], step_end, e))
				add(&b, e[0]);
		}
	own_events_before(&b, INT64_MAX);
	set_rooms(sp);
	add_ducks(sp);
	return sp;
}

void soundplan_free(struct soundplan *sp)
{
	if (!sp)
		return;
	free(sp->ev);
	free(sp->lines);
	free(sp);
}

size_t soundplan_events(const struct soundplan *sp, size_t *cursor, pace_us t1,
			struct sp_event *out, size_t max)
{
	size_t n = 0;
	while (n < max && *cursor < sp->nev && sp->ev[*cursor].at <= t1)
		out[n++] = sp->ev[(*cursor)++];
	return n;
}

pace_us soundplan_event_time(const struct soundplan *sp, size_t cursor)
{
	return cursor < sp->nev ? sp->ev[cursor].at : INT64_MAX;
}

size_t soundplan_event_cursor(const struct soundplan *sp, pace_us t)
{
	return sorted_first_after(sp->ev, sp->nev, sizeof *sp->ev, offsetof(struct sp_event, at), t);
}

size_t soundplan_lines(const struct soundplan *sp, const struct sp_line **lines)
{
	*lines = sp->lines;
	return sp->nlines;
}

bool soundplan_is_cue_name(const char *name)
{
	static const char *const cues[] = { SOUNDPLAN_TONE_INHALE, SOUNDPLAN_TONE_EXHALE, SOUNDPLAN_TONE_HOLD,
					    SOUNDPLAN_TONE_STEP, "chime", "bowl", NULL };
	for (size_t i = 0; cues[i]; i++)
		if (strcmp(name, cues[i]) == 0)
			return true;
	return false;
}
