/* The sound plan: a timeline and a sound configuration in, what is heard
 * when out. Pure: no I/O, no clock, no globals. See soundplan.h for the
 * fade policy. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>

#include "soundplan.h"
#include "util.h"

#define FADE_US (10 * PACE_US_PER_S) /* the opening rise and the closing fall */

struct soundplan {
	struct soundplan_cfg cfg; /* the layer names the opening events point to */
	struct sp_event *ev;
	size_t nev, capev;
	struct sp_line *lines;
	size_t nlines, caplines;
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

/* One timeline event as heard; false when it makes no sound. This is where
 * a new kind of sound (a spoken line, a phase tone) is chosen. */
static bool heard(const struct soundplan_cfg *cfg, const struct program *p, const struct tl_event *t,
		  struct sp_event *e)
{
	*e = (struct sp_event){ .at = t->at, .step = t->step };
	switch (t->kind) {
	case TL_EV_BREATH:
		if (!cfg->cues && !cfg->follow)
			return false; /* nothing rings, nothing swells */
		e->kind = SP_EV_BREATH;
		e->phase = t->phase;
		e->len = t->len;
		return true;
	case TL_EV_CHIME:
		e->kind = SP_EV_CUE;
		e->name = t->text;
		return true;
	case TL_EV_SOUND:
		return sound_word(&p->steps[t->step].u.sound, e);
	case TL_EV_FADE:
		e->kind = SP_EV_FADE_OUT;
		e->fade = t->len;
		return true;
	case TL_EV_STEP:
	case TL_EV_SAY:
	case TL_EV_END:
		break;
	}
	return false;
}

/* The word a breath phase says with voice_breath: short, so that it fits
 * the shortest phase, and the same for both holds. */
static const char *breath_word(enum pace_phase ph)
{
	return ph == PACE_INHALE ? "In" : ph == PACE_EXHALE ? "Out" : "Hold";
}

/* The say step whose text a TL_EV_SAY shows (its event names the breathing
 * block it shows in): the line comes from that step, with its recording and
 * its place in the source. nsteps if none is. */
static size_t say_step(const struct program *p, const char *text)
{
	for (size_t i = 0; i < p->nsteps; i++)
		if (p->steps[i].kind == STEP_SAY && p->steps[i].u.say == text)
			return i;
	return p->nsteps;
}

/* One timeline event as spoken; false when it says nothing. The line is
 * added to the plan's table with the end of its step as its room (made
 * smaller by the next line, when the table is complete). step_end: where
 * the timed step in progress ends. */
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
		size_t k = say_step(p, t->text);
		line.text = t->text;
		if (k < p->nsteps) {
			line.step = k;
			line.recording = p->steps[k].recording;
		}
	} else if (t->kind == TL_EV_BREATH && sp->cfg.voice_breath) {
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
};

static void emit(struct build *b, struct sp_event e)
{
	if (e.kind == SP_EV_LAYER_ON)
		b->sounding = true;
	else if (e.kind == SP_EV_FADE_OUT)
		b->sounding = false;
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
	if (sp->cfg.nlayers > SOUNDPLAN_MAX_LAYERS)
		sp->cfg.nlayers = SOUNDPLAN_MAX_LAYERS;
	const struct program *p = timeline_program(tl);
	pace_us total = timeline_total(tl);
	/* A session of no length has nothing to carry a bed under, nor to
	 * fade at its end. */
	size_t nlayers = total > 0 ? sp->cfg.nlayers : 0;
	struct build b = { .sp = sp, .own_step = p->nsteps,
			   .rise = nlayers ? soundplan_rise(total) : 0,
			   .close_at = total - soundplan_fall(total), .fall = soundplan_fall(total),
			   .closed = total <= 0 };

	for (size_t i = 0; i < nlayers; i++)
		add(&b, (struct sp_event){ .kind = SP_EV_LAYER_ON, .name = sp->cfg.layers[i].name,
					   .volume = sp->cfg.layers[i].volume, .fade = b.rise,
					   .step = b.own_step });
	struct tl_event buf[64];
	size_t cursor = 0, n;
	pace_us step_end = 0;
	while ((n = timeline_events(tl, &cursor, INT64_MAX, buf, 64)) > 0)
		for (size_t i = 0; i < n; i++) {
			struct sp_event e;
			if (buf[i].kind == TL_EV_STEP)
				step_end = buf[i].at + buf[i].len;
			if (heard(&sp->cfg, p, &buf[i], &e))
				add(&b, e);
			if (spoken(sp, p, &buf[i], step_end, &e))
				add(&b, e);
		}
	own_events_before(&b, INT64_MAX);
	set_rooms(sp);
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
