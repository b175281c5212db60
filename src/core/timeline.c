/* SPDX-License-Identifier: ISC */
/* The program timeline. Pure: no I/O, no clock, no globals. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeline.h"
#include "util.h"

/* A line shown (and said) during a timed step: a say line of a breathing
 * block, or a word of a words step. */
struct tl_say {
	pace_us at;          /* session time it appears */
	pace_us until;       /* a tied line: the end of its phase; else INT64_MAX */
	pace_us span;        /* until the next line appears (or the step ends) */
	const char *text;
	size_t step;         /* the say step it comes from (a words step: itself) */
	size_t fallback;     /* after a tied line's phase: the untied line shown
	                      * again (SIZE_MAX: none) */
	enum pace_phase phase;
};

/* A step that takes time. */
struct tl_step {
	size_t index;        /* into program->steps */
	pace_us start, len;
	struct pace *pace;   /* breathing, or a guide's breath cue; NULL otherwise */
	struct tl_say *says; /* in order of time */
	size_t nsays;
	char *next;          /* "Next: ..." (made once: the loop asks every frame) */
	bool quiet;          /* a bare `silence` before it: quiet on purpose */
};

struct timeline {
	const struct program *prog;
	struct tl_step *steps;
	size_t nsteps, nalloc;
	pace_us total;
	struct tl_event *ev;
	size_t nev, capev;
	size_t *unsaid;      /* say steps whose block ended before their turn */
	size_t nunsaid;
};

#define TL_MAX_EVENTS 2000000u

static void set_err(char *err, size_t errsize, const char *msg)
{
	if (err && errsize)
		str_copy(err, msg, errsize);
}

static bool push_ev(struct timeline *tl, struct tl_event e)
{
	if (tl->nev >= TL_MAX_EVENTS)
		return false;
	if (tl->nev == tl->capev) {
		tl->capev = tl->capev ? tl->capev * 2 : 64;
		tl->ev = xrealloc(tl->ev, tl->capev * sizeof *tl->ev);
	}
	tl->ev[tl->nev++] = e;
	return true;
}

/* Events keep the order they were generated in when times tie (a sound
 * change placed before a step starts before it), so sort stably. */
static void sort_events(struct tl_event *ev, size_t n)
{
	/* Insertion into a merge: events are already nearly sorted (only the
	 * fade is out of place), so a stable insertion sort is linear here. */
	for (size_t i = 1; i < n; i++) {
		struct tl_event e = ev[i];
		size_t j = i;
		while (j > 0 && ev[j - 1].at > e.at) {
			ev[j] = ev[j - 1];
			j--;
		}
		ev[j] = e;
	}
}

static bool tie_matches(enum say_tie tie, enum pace_phase ph)
{
	switch (tie) {
	case SAY_INHALE:
		return ph == PACE_INHALE;
	case SAY_EXHALE:
		return ph == PACE_EXHALE;
	case SAY_HOLD:
		return pace_phase_is_hold(ph);
	case SAY_ANY:
		break;
	}
	return false;
}

/* The phases of a breathing block, walked forward once. */
struct phase_walk {
	const struct pace *pace;
	pace_us t, len;      /* the phase's start (INT64_MAX: past the end) and length */
	enum pace_phase ph;
	bool cycle_start;    /* the phase begins a breath */
	unsigned cycle;
};

static void walk_next(struct phase_walk *w, bool first)
{
	w->t = pace_next_phase(w->pace, first ? -1 : w->t, &w->ph, &w->len);
	if (w->t == INT64_MAX)
		return;
	struct pace_state st;
	pace_at(w->pace, w->t, &st);
	w->cycle_start = st.cycle != w->cycle;
	w->cycle = st.cycle;
}

/* Lays out the say lines of a breathing block (see timeline.h): a tied line
 * at the next start of its phase after the line before it, for that phase;
 * an untied line at the next start of a breath, for an equal share of what
 * is left of the block with the lines after it. Lines whose turn would come
 * after the block are noted in tl->unsaid. */
static void lay_out_says(struct timeline *tl, struct tl_step *ts, const size_t *idx, size_t n, size_t split)
{
	const struct program *p = tl->prog;
	ts->says = xcalloc(n, sizeof *ts->says);
	struct phase_walk w = { .pace = ts->pace };
	walk_next(&w, true);
	struct phase_walk w0 = w; /* where the line before stood */
	pace_us lo = 0;           /* the end of its phase */
	pace_us c = 0;           /* block time the next line may appear from */
	pace_us latest = INT64_MAX; /* ... and, an untied line, by (the gap's bound) */
	size_t last_untied = SIZE_MAX;
	for (size_t j = 0; j < n; j++) {
		const struct step *st = &p->steps[idx[j]];
		bool tied = st->say_tie != SAY_ANY;
		if (j == split) {
			/* The lines after a bare `silence` close the block:
			 * the quiet goes before them. */
			pace_us tail = ts->len - (pace_us)(n - j) * TIMELINE_GAP_MAX_US;
			if (tail > c)
				c = tail;
			latest = INT64_MAX;
		}
		while (w.t != INT64_MAX && (w.t < c || (tied ? !tie_matches(st->say_tie, w.ph) : !w.cycle_start)))
			walk_next(&w, false);
		if (latest != INT64_MAX && w.t != INT64_MAX && w.t > latest) {
			/* The share before would leave too long a silence: the
			 * last of its phases (a breath, for an untied line) that
			 * begins within the bound after the line before, if one
			 * does (else the first after it, as near as it gets). */
			struct phase_walk v = w0;
			pace_us best = INT64_MAX;
			struct phase_walk bw = w;
			while (v.t != INT64_MAX && v.t <= latest) {
				if (v.t >= lo && (tied ? tie_matches(st->say_tie, v.ph) : v.cycle_start)) {
					best = v.t;
					bw = v;
				}
				walk_next(&v, false);
			}
			if (best != INT64_MAX)
				w = bw;
		}
		if (w.t == INT64_MAX) {
			for (; j < n; j++)
				tl->unsaid[tl->nunsaid++] = idx[j];
			break;
		}
		struct tl_say *sy = &ts->says[ts->nsays++];
		sy->at = ts->start + w.t;
		sy->text = st->u.say;
		sy->step = idx[j];
		sy->phase = w.ph;
		if (tied) {
			sy->until = sy->at + w.len;
			sy->fallback = last_untied;
			c = w.t + w.len;
		} else {
			sy->until = INT64_MAX;
			last_untied = ts->nsays - 1;
			sy->fallback = last_untied;
			c = w.t + (ts->len - w.t) / (pace_us)(n - j);
		}
		/* The next line comes within TIMELINE_GAP_MAX_US of this one
		 * when a breath begins there: its share is cut to that. */
		lo = w.t + w.len;
		latest = w.t + TIMELINE_GAP_MAX_US;
		if (c > latest)
			c = latest;
		w0 = w;
	}
	for (size_t j = 0; j < ts->nsays; j++)
		ts->says[j].span = (j + 1 < ts->nsays ? ts->says[j + 1].at : ts->start + ts->len) - ts->says[j].at;
}

/* The words of a words step, at their times. */
static void lay_out_words(struct tl_step *ts, const struct step *st, size_t index)
{
	const struct step_words *w = &st->u.words;
	size_t n = program_word_count(w);
	if (n > w->nwords)
		n = w->nwords; /* words not given (program_set_words) are not said */
	ts->says = n ? xcalloc(n, sizeof *ts->says) : NULL;
	double t = 0;
	for (size_t k = 0; k < n; k++, t = program_word_next(w, t)) {
		struct tl_say *sy = &ts->says[ts->nsays++];
		sy->at = ts->start + pace_us_from_s(t);
		sy->until = INT64_MAX;
		sy->text = w->words[k];
		sy->step = index;
		sy->fallback = k;
	}
	for (size_t k = 0; k < ts->nsays; k++)
		ts->says[k].span = (k + 1 < ts->nsays ? ts->says[k + 1].at : ts->start + ts->len) - ts->says[k].at;
}

static bool push_say(struct timeline *tl, const struct tl_say *sy)
{
	struct tl_event s = { .kind = TL_EV_SAY, .at = sy->at, .step = sy->step, .text = sy->text,
			      .phase = sy->phase, .len = sy->span };
	return push_ev(tl, s);
}

static bool add_step_events(struct timeline *tl, const struct tl_step *ts)
{
	const struct step *st = &tl->prog->steps[ts->index];
	struct tl_event e = { .kind = TL_EV_STEP, .at = ts->start, .step = ts->index, .len = ts->len };
	if (st->kind == STEP_GUIDE)
		e.text = st->u.guide.text;
	if (!push_ev(tl, e))
		return false;
	size_t say = 0;
	if (ts->pace) {
		enum pace_phase ph;
		pace_us len;
		for (pace_us t = pace_next_phase(ts->pace, -1, &ph, &len); t != INT64_MAX;
		     t = pace_next_phase(ts->pace, t, &ph, &len)) {
			for (; say < ts->nsays && ts->says[say].at <= ts->start + t; say++)
				if (!push_say(tl, &ts->says[say]))
					return false;
			struct tl_event b = { .kind = TL_EV_BREATH, .at = ts->start + t,
					      .step = ts->index, .phase = ph, .len = len };
			if (!push_ev(tl, b))
				return false;
		}
	}
	for (; say < ts->nsays; say++)
		if (!push_say(tl, &ts->says[say]))
			return false;
	return true;
}

static void describe_next(const struct timeline *tl, size_t k, char *buf, size_t size);

struct timeline *timeline_new(const struct program *p, char *err, size_t errsize)
{
	struct timeline *tl = xcalloc(1, sizeof *tl);
	tl->prog = p;
	size_t ntimed = 0;
	for (size_t i = 0; i < p->nsteps; i++)
		if (step_is_timed(&p->steps[i]))
			ntimed++;
	tl->nalloc = ntimed ? ntimed : 1;
	tl->steps = xcalloc(tl->nalloc, sizeof *tl->steps);
	tl->unsaid = xcalloc(p->nsteps ? p->nsteps : 1, sizeof *tl->unsaid);
	size_t *pending = xcalloc(p->nsteps ? p->nsteps : 1, sizeof *pending);
	size_t npending = 0; /* say steps waiting for the next breathing block */
	bool quiet = false;  /* a bare `silence` waiting for the next timed step */
	size_t split = SIZE_MAX; /* ... and the say lines before it */

	/* Lay out the timed steps; the say lines since the last breathing block
	 * go to the next one. */
	pace_us at = 0;
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct step *st = &p->steps[i];
		if (st->kind == STEP_SAY && st->u.say)
			pending[npending++] = i;
		if (st->kind == STEP_QUIET && !quiet) {
			quiet = true;
			split = npending;
		}
		if (!step_is_timed(st))
			continue;
		struct tl_step *ts = &tl->steps[tl->nsteps];
		ts->index = i;
		ts->start = at;
		ts->quiet = quiet;
		quiet = false;
		size_t split_here = split;
		split = SIZE_MAX;
		if (st->kind == STEP_BREATHE) {
			struct pace_run r = {
				.from = st->u.breathe.from, .to = st->u.breathe.to,
				.ramp = st->u.breathe.ramp, .cycles = st->u.breathe.cycles,
				.seconds = st->u.breathe.seconds,
			};
			char perr[128];
			ts->pace = pace_new(&r, perr, sizeof perr);
			if (!ts->pace) {
				char msg[192];
				snprintf(msg, sizeof msg, "line %u: %s", st->line, perr);
				set_err(err, errsize, msg);
				free(pending);
				goto fail;
			}
			ts->len = pace_total_us(ts->pace);
			if (npending)
				lay_out_says(tl, ts, pending, npending, split_here);
			npending = 0;
		} else {
			double secs = step_length(st);
			if (!(secs >= 0) || secs > 24 * 3600.0) {
				char msg[96];
				snprintf(msg, sizeof msg, "line %u: a step lasts 0 to 24 hours", st->line);
				set_err(err, errsize, msg);
				free(pending);
				goto fail;
			}
			ts->len = pace_us_from_s(secs);
			if (st->kind == STEP_GUIDE && st->u.guide.has_breath_cue && ts->len > 0) {
				struct pace_run r = { .from = st->u.guide.cue, .seconds = secs, .hard_end = true,
						      .first = st->u.guide.cue_from };
				ts->pace = pace_new(&r, NULL, 0); /* an invalid cue just means no cue */
			}
			if (st->kind == STEP_WORDS && ts->len > 0)
				lay_out_words(ts, st, i);
		}
		if (ts->len <= 0) {
			pace_free(ts->pace);
			free(ts->says);
			memset(ts, 0, sizeof *ts);
			continue; /* nothing to show for no time */
		}
		at += ts->len;
		tl->nsteps++;
		if (at > 7 * PACE_MAX_RUN_US) {
			set_err(err, errsize, "the program is too long");
			free(pending);
			goto fail;
		}
	}
	free(pending);
	tl->total = at;

	/* Events: walk the program in order. Zero-time steps happen where they
	 * stand: at the start of the next timed step (or the end). */
	size_t k = 0;
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct step *st = &p->steps[i];
		if (k < tl->nsteps && tl->steps[k].index == i) {
			if (!add_step_events(tl, &tl->steps[k]))
				goto too_many;
			k++;
			continue;
		}
		pace_us when = k < tl->nsteps ? tl->steps[k].start : tl->total;
		struct tl_event e = { .at = when, .step = i };
		if (st->kind == STEP_CHIME) {
			e.kind = TL_EV_CHIME;
			e.text = st->u.chime;
		} else if (st->kind == STEP_SOUND) {
			e.kind = TL_EV_SOUND;
		} else {
			continue;
		}
		if (!push_ev(tl, e))
			goto too_many;
	}
	if (p->tags & TAG_SLEEP) {
		pace_us fade = tl->total < 60 * PACE_US_PER_S ? tl->total : 60 * PACE_US_PER_S;
		struct tl_event e = { .kind = TL_EV_FADE, .at = tl->total - fade, .len = fade,
				      .step = p->nsteps };
		if (!push_ev(tl, e))
			goto too_many;
	}
	struct tl_event end = { .kind = TL_EV_END, .at = tl->total, .step = p->nsteps };
	if (!push_ev(tl, end))
		goto too_many;
	sort_events(tl->ev, tl->nev);
	for (size_t i = 0; i < tl->nsteps; i++) {
		char buf[160];
		describe_next(tl, i, buf, sizeof buf);
		tl->steps[i].next = xstrdup(buf);
	}
	return tl;
too_many:
	set_err(err, errsize, "the program is too long (too many events)");
fail:
	timeline_free(tl);
	return NULL;
}

void timeline_free(struct timeline *tl)
{
	if (!tl)
		return;
	for (size_t i = 0; i < tl->nalloc && tl->steps; i++) {
		pace_free(tl->steps[i].pace);
		free(tl->steps[i].says);
		free(tl->steps[i].next);
	}
	free(tl->steps);
	free(tl->ev);
	free(tl->unsaid);
	free(tl);
}

pace_us timeline_total(const struct timeline *tl) { return tl->total; }
const struct program *timeline_program(const struct timeline *tl) { return tl->prog; }

static size_t timed_at(const struct timeline *tl, pace_us t)
{
	size_t lo = 0, hi = tl->nsteps;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (tl->steps[mid].start <= t)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* How many of the step's lines have appeared by t. */
static size_t says_by(const struct tl_step *ts, pace_us t)
{
	return ts->nsays ? sorted_first_after(ts->says, ts->nsays, sizeof *ts->says,
					      offsetof(struct tl_say, at), t) : 0;
}

static int ceil_seconds(pace_us us)
{
	return (int)((us + PACE_US_PER_S - 1) / PACE_US_PER_S);
}

/* vsnprintf: a next line that is cut short is fine (the screen cuts it anyway). */
static void fmt(char *buf, size_t size, const char *f, ...) __attribute__((format(printf, 3, 4)));
static void fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	vsnprintf(buf, size, f, ap);
	va_end(ap);
}

static void describe_next(const struct timeline *tl, size_t k, char *buf, size_t size)
{
	buf[0] = '\0';
	if (k + 1 >= tl->nsteps)
		return;
	const struct tl_step *n = &tl->steps[k + 1];
	const struct step *st = &tl->prog->steps[n->index];
	char len[32];
	timeline_format_time(n->len, len, sizeof len);
	switch (st->kind) {
	case STEP_BREATHE: {
		char pat[64];
		pace_pattern_format(&st->u.breathe.from, pat, sizeof pat);
		if (st->u.breathe.ramp) {
			char to[64];
			pace_pattern_format(&st->u.breathe.to, to, sizeof to);
			fmt(buf, size, "Next: breathing %s slowing to %s, %s", pat, to, len);
		} else {
			fmt(buf, size, "Next: breathing %s, %s", pat, len);
		}
		break;
	}
	case STEP_GUIDE:
		fmt(buf, size, "Next: %s", st->u.guide.text ? st->u.guide.text : "");
		break;
	case STEP_SILENCE:
		fmt(buf, size, "Next: a quiet pause, %s", len);
		break;
	case STEP_WORDS:
		fmt(buf, size, "Next: one word at a time, %s", len);
		break;
	default:
		break;
	}
}

void timeline_at(const struct timeline *tl, pace_us t, struct tl_state *out)
{
	memset(out, 0, sizeof *out);
	out->before = t < 0;
	out->total = tl->total;
	out->ntimed = tl->nsteps;
	if (t < 0)
		t = 0;
	if (t >= tl->total) {
		out->done = true;
		t = tl->total;
	}
	out->left = tl->total - t;
	out->seconds_left = ceil_seconds(out->left);
	out->next = "";
	if (tl->nsteps == 0) {
		out->step = tl->prog->nsteps;
		out->kind = STEP_SILENCE;
		return;
	}
	/* The end reads as the last instant of the last step. */
	size_t k = timed_at(tl, out->done ? t - 1 : t);
	const struct tl_step *ts = &tl->steps[k];
	const struct step *st = &tl->prog->steps[ts->index];
	out->step = ts->index;
	out->timed = k;
	out->kind = st->kind;
	out->step_start = ts->start;
	out->step_len = ts->len;
	out->step_into = t - ts->start;
	out->step_left = ts->len - out->step_into;
	out->step_seconds_left = ceil_seconds(out->step_left);
	out->step_fill = (double)out->step_left / (double)ts->len;
	if (ts->pace) {
		out->breathing = true;
		pace_at(ts->pace, out->step_into, &out->pace);
	}
	if (st->kind == STEP_GUIDE)
		out->text = st->u.guide.text;
	/* The line shown: the last to appear by t; a tied one only during its
	 * phase, then the untied one before it again. */
	size_t i = says_by(ts, out->done ? t - 1 : t);
	if (i > 0) {
		const struct tl_say *sy = &ts->says[i - 1];
		if (sy->until != INT64_MAX && t >= sy->until)
			sy = sy->fallback == SIZE_MAX ? NULL : &ts->says[sy->fallback];
		if (sy && st->kind == STEP_WORDS)
			out->text = sy->text;
		else if (sy)
			out->guidance = sy->text;
	}
	out->next = ts->next ? ts->next : "";
}

int timeline_count_eighths(const struct tl_state *s, int cells, int rate)
{
	if (cells <= 0 || s->kind == STEP_BREATHE || s->breathing)
		return 0;
	int levels = pace_levels_for(s->step_len, cells, rate);
	if (levels <= 0)
		return 0;
	int lvl = pace_level(s->step_into, s->step_len, levels);
	return (int)((int64_t)(levels - lvl) * 8 * cells / levels);
}

/* While a breath is paced the progress line moves once a cycle, with
 * "cycle k of N": a step between two cycles is a trip of the cursor away
 * from the bar and back, which costs more bytes than the step itself. */
static pace_us progress_time(const struct tl_state *s)
{
	if (s->breathing && !s->done)
		return s->step_start + s->pace.cycle_start;
	return s->total - s->left;
}

int timeline_progress(const struct tl_state *s, int levels)
{
	if (levels <= 0 || s->total <= 0)
		return levels > 0 && s->done ? levels : 0;
	return pace_level(progress_time(s), s->total, levels);
}

static pace_us min_us(pace_us a, pace_us b) { return a < b ? a : b; }

static pace_us seconds_change(pace_us end, pace_us left)
{
	int secs = ceil_seconds(left);
	return secs > 1 ? end - (pace_us)(secs - 1) * PACE_US_PER_S : end;
}

int timeline_left_shown(const struct tl_state *s, const struct tl_view *v, int *secs)
{
	int L = s->seconds_left;
	*secs = L;
	if (v->left_step_s <= 1)
		return -1;
	return (L + v->left_step_s / 2) / v->left_step_s;
}

/* The next time after t when anything shown or any event changes. */
static pace_us next_change_exact(const struct timeline *tl, pace_us t, const struct tl_view *v)
{
	if (t >= tl->total)
		return INT64_MAX;
	if (t < 0)
		return 0;
	struct tl_state s;
	timeline_at(tl, t, &s);
	pace_us next = tl->total;
	if (v->left_step_s > 0) {
		/* What is shown changes when the whole seconds left (L, a ceil)
		 * reach the next value that shows differently; L reaches a value
		 * k as left reaches k seconds. */
		int L;
		int n = timeline_left_shown(&s, v, &L);
		int target;
		if (n < 0) {
			target = L - 1; /* seconds: every second */
		} else {
			int step = v->left_step_s;
			target = n * step - step / 2 - 1; /* below the smallest L showing n */
		}
		if (target >= 0 && target < L)
			next = min_us(next, tl->total - (pace_us)target * PACE_US_PER_S);
	}
	if (v->progress_levels > 0 && !s.breathing) {
		/* (While breathing it moves at cycle starts: phase changes.) */
		pace_us x = pace_level_next(t, tl->total, v->progress_levels);
		if (x != INT64_MAX)
			next = min_us(next, x);
	}
	if (tl->nsteps) {
		const struct tl_step *ts = &tl->steps[s.timed];
		pace_us end = ts->start + ts->len;
		next = min_us(next, end);
		if (ts->pace) {
			pace_us x = pace_next_change(ts->pace, s.step_into, v->bar_cells, v->bar_rate);
			if (x != INT64_MAX)
				next = min_us(next, ts->start + x);
		}
		if (s.kind != STEP_BREATHE) {
			next = min_us(next, seconds_change(end, s.step_left));
			/* A step that paces a breath shows the breath on its bar,
			 * not the countdown (timeline_count_eighths says 0). */
			int levels = ts->pace ? 0 : pace_levels_for(ts->len, v->count_cells, v->bar_rate);
			pace_us x = pace_level_next(s.step_into, ts->len, levels);
			if (x != INT64_MAX)
				next = min_us(next, ts->start + x);
		}
		/* The next line to appear, and the end of a tied line's phase. */
		size_t i = says_by(ts, t);
		if (i < ts->nsays)
			next = min_us(next, ts->says[i].at);
		if (i > 0 && ts->says[i - 1].until > t)
			next = min_us(next, ts->says[i - 1].until);
	}
	pace_us ev = timeline_event_time(tl, timeline_event_cursor(tl, t));
	return min_us(next, ev);
}

pace_us timeline_next_change(const struct timeline *tl, pace_us t, const struct tl_view *v)
{
	pace_us first = next_change_exact(tl, t, v);
	if (v->coalesce_us <= 0 || first == INT64_MAX)
		return first;
	/* Changes due within coalesce_us of the first are shown together, at
	 * the last of them: one wake-up and one write, none of them late by
	 * more than coalesce_us. The look ahead is bounded: a bar that steps
	 * at every eighth (bar_rate 0) may step oftener than that within it,
	 * and is then drawn sooner, which is never late. */
	pace_us at = first;
	for (int i = 0; i < 64; i++) {
		pace_us n = next_change_exact(tl, at, v);
		if (n == INT64_MAX || n - first > v->coalesce_us)
			break;
		at = n;
	}
	return at;
}

size_t timeline_event_cursor(const struct timeline *tl, pace_us t)
{
	return sorted_first_after(tl->ev, tl->nev, sizeof *tl->ev, offsetof(struct tl_event, at), t);
}

pace_us timeline_event_time(const struct timeline *tl, size_t cursor)
{
	return cursor < tl->nev ? tl->ev[cursor].at : INT64_MAX;
}

size_t timeline_events(const struct timeline *tl, size_t *cursor, pace_us t1,
		       struct tl_event *out, size_t max)
{
	size_t n = 0;
	while (n < max && *cursor < tl->nev && tl->ev[*cursor].at <= t1)
		out[n++] = tl->ev[(*cursor)++];
	return n;
}

void timeline_format_length(pace_us len, char *buf, size_t size)
{
	long long secs = len <= 0 ? 0 : (len + PACE_US_PER_S - 1) / PACE_US_PER_S;
	long long min = (secs + 30) / 60;
	if (secs < 60)
		snprintf(buf, size, "%lld s", secs);
	else if (min < 60)
		snprintf(buf, size, "%lld min", min);
	else
		snprintf(buf, size, "%lld h %lld min", min / 60, min % 60);
}

void timeline_format_time(pace_us t, char *buf, size_t size)
{
	if (t < 0)
		t = 0;
	long long s = (long long)(t / PACE_US_PER_S);
	if (s >= 3600)
		snprintf(buf, size, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, size, "%lld:%02lld", s / 60, s % 60);
}

pace_us timeline_longest_gap(const struct timeline *tl, bool breath_words, pace_us *at)
{
	pace_us worst = 0, worst_at = 0;
	for (size_t k = 0; k < tl->nsteps; k++) {
		const struct tl_step *ts = &tl->steps[k];
		const struct step *st = &tl->prog->steps[ts->index];
		if (ts->quiet || (st->kind != STEP_GUIDE && st->kind != STEP_BREATHE))
			continue;
		/* The spoken moments in time order (a guide line at the
		 * start, the say lines, the phases with breath words), merged
		 * as they are walked. */
		pace_us last = ts->start, end = ts->start + ts->len;
		size_t say = 0;
		enum pace_phase ph;
		pace_us len;
		pace_us phase = ts->pace && breath_words ? pace_next_phase(ts->pace, -1, &ph, &len) : INT64_MAX;
		for (;;) {
			pace_us t = say < ts->nsays ? ts->says[say].at : INT64_MAX;
			pace_us p = phase == INT64_MAX ? INT64_MAX : ts->start + phase;
			pace_us next = t < p ? t : p;
			if (next >= end)
				next = end;
			if (next - last > worst) {
				worst = next - last;
				worst_at = last;
			}
			if (next == end)
				break;
			last = next;
			if (t <= p)
				say++;
			else
				phase = pace_next_phase(ts->pace, phase, &ph, &len);
		}
	}
	if (at)
		*at = worst_at;
	return worst;
}

/* A guided step's breathing cue that its step cuts mid-phase. */
static bool cue_cut(const struct tl_step *ts, struct tl_warning *w)
{
	struct pace_state st;
	pace_at(ts->pace, ts->len - 1, &st);
	struct pace_pattern pat;
	pace_cycle_pattern(ts->pace, st.cycle - 1, &pat);
	pace_us whole = pace_us_from_s(pat.phase[st.phase]);
	/* A millisecond either way is the rounding of the durations. */
	if (st.phase_len + 1000 >= whole)
		return false;
	char into[32], of[32], shorter[32], longer[32];
	pace_us before = ts->len - st.phase_len, after = before + whole;
	snprintf(into, sizeof into, "%.3g", (double)st.phase_len / PACE_US_PER_S);
	snprintf(of, sizeof of, "%.3g", (double)whole / PACE_US_PER_S);
	snprintf(shorter, sizeof shorter, "%.3g", (double)before / PACE_US_PER_S);
	snprintf(longer, sizeof longer, "%.3g", (double)after / PACE_US_PER_S);
	const char *word = st.phase == PACE_INHALE ? "inhale" : st.phase == PACE_EXHALE ? "exhale" : "hold";
	if (before > 0)
		fmt(w->msg, sizeof w->msg, "the step ends %ss into a %ss %s of its breathing cue: "
			 "make it %ss or %ss to end with the breath", into, of, word, longer, shorter);
	else
		fmt(w->msg, sizeof w->msg, "the step ends %ss into a %ss %s of its breathing cue: "
			 "make it %ss to end with the breath", into, of, word, longer);
	return true;
}

size_t timeline_warnings(const struct timeline *tl, struct tl_warning *out, size_t max)
{
	/* Two lists already in the order of the steps (the guided steps, the
	 * lines never shown), merged. */
	size_t n = 0, k = 0, u = 0;
	while (n < max && (k < tl->nsteps || u < tl->nunsaid)) {
		const struct tl_step *ts = k < tl->nsteps ? &tl->steps[k] : NULL;
		if (ts && (u == tl->nunsaid || ts->index < tl->unsaid[u])) {
			k++;
			if (tl->prog->steps[ts->index].kind == STEP_GUIDE && ts->pace && cue_cut(ts, &out[n]))
				out[n++].step = ts->index;
			continue;
		}
		out[n].step = tl->unsaid[u++];
		str_copy(out[n].msg, "this line never shows: the breathing block after it ends before its turn "
			 "(make the block longer, or tie the lines to the phases they are about)", sizeof out[n].msg);
		n++;
	}
	return n;
}
