/* SPDX-License-Identifier: ISC */
/* The breathing pacer. Pure: no I/O, no clock, no globals but constant
 * tables. A run is laid out at creation as integer cycle starts; everything
 * else is arithmetic on them. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pace.h"
#include "util.h"

struct pace {
	struct pace_run run;
	pace_us ramp_span;  /* seconds runs: cycle starts at or past this use `to` */
	unsigned ncycles;
	pace_us total;      /* end of the run (cut for hard_end) */
	pace_us offset;     /* the part of the first cycle before run.first */
	pace_us *start;     /* ncycles + 1 entries; start[ncycles] is the nominal end;
	                     * start[0] is -offset (the first cycle began "before" 0) */
};

static const struct pace_builtin builtins[] = {
	{ "box", "Box breathing: in, hold, out, hold, four seconds each",
	  { { 4, 4, 4, 4 } }, { { 4, 4, 4, 4 } }, false, 8 },
	{ "478", "4-7-8 breathing: in for 4, hold for 7, out for 8",
	  { { 4, 7, 8, 0 } }, { { 4, 7, 8, 0 } }, false, 4 },
	{ "coherent", "Coherent breathing: about five and a half breaths a minute",
	  { { 5.5, 0, 5.5, 0 } }, { { 5.5, 0, 5.5, 0 } }, false, 27 },
	{ "relax", "Relaxing breath: in for 4, a longer out for 6",
	  { { 4, 0, 6, 0 } }, { { 4, 0, 6, 0 } }, false, 30 },
	{ "sleep", "Sleep ramp: 4-0-6-0 slowing to 4-0-8-0",
	  { { 4, 0, 6, 0 } }, { { 4, 0, 8, 0 } }, true, 54 },
};

const struct pace_builtin *pace_builtins(size_t *n)
{
	*n = sizeof builtins / sizeof builtins[0];
	return builtins;
}

const struct pace_builtin *pace_builtin_named(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
		if (strcmp(builtins[i].name, name) == 0)
			return &builtins[i];
	return NULL;
}

bool pace_phase_is_hold(enum pace_phase ph)
{
	return ph == PACE_HOLD_FULL || ph == PACE_HOLD_EMPTY;
}

const char *pace_phase_word(enum pace_phase ph)
{
	switch (ph) {
	case PACE_INHALE:
		return "Inhale";
	case PACE_EXHALE:
		return "Exhale";
	case PACE_HOLD_FULL:
	case PACE_HOLD_EMPTY:
	default:
		return "Hold";
	}
}

pace_us pace_us_from_s(double s)
{
	if (!(s > 0)) /* also NaN */
		return 0;
	if (s >= (double)PACE_MAX_RUN_US / PACE_US_PER_S)
		return PACE_MAX_RUN_US;
	return (pace_us)llround(s * (double)PACE_US_PER_S);
}

pace_us pace_pattern_cycle_us(const struct pace_pattern *p)
{
	pace_us sum = 0;
	for (int i = 0; i < PACE_PHASES; i++)
		sum += pace_us_from_s(p->phase[i]);
	return sum;
}

double pace_pattern_length(const struct pace_pattern *p)
{
	double sum = 0;
	for (int i = 0; i < PACE_PHASES; i++)
		sum += p->phase[i];
	return sum;
}

bool pace_pattern_valid(const struct pace_pattern *p)
{
	for (int i = 0; i < PACE_PHASES; i++)
		if (!isfinite(p->phase[i]) || p->phase[i] < 0 || p->phase[i] > 3600)
			return false;
	return pace_pattern_cycle_us(p) >= PACE_US_PER_S / 10;
}

void pace_pattern_format(const struct pace_pattern *p, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < PACE_PHASES && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%g", i ? "-" : "", p->phase[i]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* Ramp position of a cycle starting at `at` (k-th of n). */
static double ramp_fraction(const struct pace *p, unsigned k, pace_us at)
{
	if (!p->run.ramp)
		return 0;
	if (p->run.cycles > 0)
		return p->run.cycles > 1 ? (double)k / (double)(p->run.cycles - 1) : 0;
	if (p->ramp_span <= 0)
		return at > 0 ? 1 : 0;
	double f = (double)at / (double)p->ramp_span;
	return f > 1 ? 1 : f;
}

static void cycle_lengths(const struct pace *p, unsigned k, pace_us at, pace_us len[PACE_PHASES])
{
	double f = ramp_fraction(p, k, at);
	for (int i = 0; i < PACE_PHASES; i++) {
		double a = p->run.from.phase[i], b = p->run.to.phase[i];
		len[i] = pace_us_from_s(p->run.ramp ? a + (b - a) * f : a);
	}
}

void pace_cycle_pattern(const struct pace *p, unsigned k, struct pace_pattern *out)
{
	if (k >= p->ncycles)
		k = p->ncycles - 1;
	double f = ramp_fraction(p, k, p->start[k] + p->offset);
	for (int i = 0; i < PACE_PHASES; i++) {
		double a = p->run.from.phase[i], b = p->run.to.phase[i];
		out->phase[i] = p->run.ramp ? a + (b - a) * f : a;
	}
}

static void set_err(char *err, size_t errsize, const char *msg)
{
	if (err && errsize)
		str_copy(err, msg, errsize);
}

struct pace *pace_new(const struct pace_run *run, char *err, size_t errsize)
{
	if (!pace_pattern_valid(&run->from) || (run->ramp && !pace_pattern_valid(&run->to))) {
		set_err(err, errsize, "a breathing pattern needs phases of 0 to 3600 seconds and a cycle of at least 0.1 s");
		return NULL;
	}
	if (run->cycles > PACE_MAX_CYCLES) {
		set_err(err, errsize, "too many cycles");
		return NULL;
	}
	if (run->cycles == 0 && (!isfinite(run->seconds) || run->seconds > 24 * 3600.0)) {
		set_err(err, errsize, "a breathing run lasts at most 24 hours");
		return NULL;
	}
	if ((unsigned)run->first >= PACE_PHASES) {
		set_err(err, errsize, "a breathing run begins on an inhale, a hold or an exhale");
		return NULL;
	}
	struct pace *p = xcalloc(1, sizeof *p);
	p->run = *run;
	if (!run->ramp)
		p->run.to = run->from;
	/* The cycles are laid out whole, from the phase the run begins on
	 * minus what comes before it in the first cycle, then moved back by
	 * that much (see start[]). */
	{
		pace_us len[PACE_PHASES];
		cycle_lengths(p, 0, 0, len);
		for (int i = 0; i < (int)run->first; i++)
			p->offset += len[i];
	}
	pace_us target = run->cycles ? 0 : pace_us_from_s(run->seconds) + p->offset;
	if (run->ramp && !run->cycles)
		p->ramp_span = target - pace_pattern_cycle_us(&p->run.to);

	size_t cap = 64;
	p->start = xmalloc(cap * sizeof *p->start);
	pace_us at = 0;
	unsigned k = 0;
	for (;;) {
		bool more = run->cycles ? k < run->cycles : (k == 0 || at < target);
		if (!more)
			break;
		if (k >= PACE_MAX_CYCLES || at > PACE_MAX_RUN_US) {
			set_err(err, errsize, "the breathing run is too long (over 24 hours or 200000 cycles)");
			pace_free(p);
			return NULL;
		}
		if (k + 2 > cap) {
			cap *= 2;
			p->start = xrealloc(p->start, cap * sizeof *p->start);
		}
		pace_us len[PACE_PHASES];
		cycle_lengths(p, k, at, len);
		p->start[k] = at;
		for (int i = 0; i < PACE_PHASES; i++)
			at += len[i];
		k++;
	}
	if (at > PACE_MAX_RUN_US) {
		set_err(err, errsize, "the breathing run is too long (over 24 hours)");
		pace_free(p);
		return NULL;
	}
	p->ncycles = k;
	p->start[k] = at;
	for (unsigned i = 0; i <= k; i++)
		p->start[i] -= p->offset;
	p->total = at - p->offset;
	if (run->hard_end && !run->cycles && target > p->offset && target < at)
		p->total = target - p->offset;
	return p;
}

void pace_free(struct pace *p)
{
	if (!p)
		return;
	free(p->start);
	free(p);
}

pace_us pace_total_us(const struct pace *p) { return p->total; }
unsigned pace_cycles(const struct pace *p) { return p->ncycles; }

/* The cycle holding t (0 <= t < total). */
static unsigned cycle_at(const struct pace *p, pace_us t)
{
	unsigned lo = 0, hi = p->ncycles; /* start[lo] <= t < start[hi] */
	while (hi - lo > 1) {
		unsigned mid = lo + (hi - lo) / 2;
		if (p->start[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static double fill_of(enum pace_phase ph, pace_us into, pace_us len)
{
	double f = len > 0 ? (double)into / (double)len : 1;
	if (f > 1)
		f = 1;
	switch (ph) {
	case PACE_INHALE:
		return f;
	case PACE_HOLD_FULL:
		return 1;
	case PACE_EXHALE:
		return 1 - f;
	case PACE_HOLD_EMPTY:
	default:
		return 0;
	}
}

void pace_at(const struct pace *p, pace_us t, struct pace_state *out)
{
	memset(out, 0, sizeof *out);
	out->before = t < 0;
	out->done = t >= p->total;
	if (t < 0)
		t = 0;
	/* The end reads as the last instant of the last phase. */
	pace_us q = out->done ? p->total - 1 : t;
	unsigned k = cycle_at(p, q);
	pace_us len[PACE_PHASES];
	cycle_lengths(p, k, p->start[k] + p->offset, len);
	pace_us s = p->start[k];
	int ph = 0;
	for (ph = 0; ph < PACE_PHASES; ph++) {
		if (len[ph] == 0)
			continue;
		if (q < s + len[ph])
			break;
		s += len[ph];
	}
	if (ph == PACE_PHASES) /* cannot happen: q < start[k+1] */
		ph = PACE_PHASES - 1;
	pace_us plen = len[ph];
	if (s + plen > p->total)
		plen = p->total - s; /* a hard end cuts the phase */
	pace_us now = out->done ? p->total : t;
	out->phase = (enum pace_phase)ph;
	out->phase_start = s;
	out->phase_len = plen;
	out->into = now - s;
	out->left = plen - out->into;
	out->fill = fill_of(out->phase, out->into, plen);
	out->cycle_start = p->start[k] < 0 ? 0 : p->start[k];
	out->cycle = k + 1;
	out->cycles = p->ncycles;
	out->total = p->total;
	out->total_left = p->total - now;
	out->seconds_left = (int)((out->left + PACE_US_PER_S - 1) / PACE_US_PER_S);
}

int pace_levels_for(pace_us len, int cells, int rate)
{
	if (cells <= 0 || len <= 0)
		return 0;
	if (cells > 4096)
		cells = 4096;
	int n = 8 * cells;
	if (rate > 0) {
		pace_us m = (len * rate + PACE_US_PER_S - 1) / PACE_US_PER_S;
		if (m < 1)
			m = 1;
		if (m < n)
			n = (int)m;
	}
	return n;
}

int pace_level(pace_us into, pace_us len, int levels)
{
	if (levels <= 0 || len <= 0 || into >= len)
		return levels > 0 ? levels : 0;
	if (into <= 0)
		return 0;
	return (int)(into * levels / len);
}

pace_us pace_level_next(pace_us into, pace_us len, int levels)
{
	int lvl = pace_level(into, len, levels);
	if (levels <= 0 || lvl >= levels)
		return INT64_MAX;
	/* Smallest x with x * levels / len >= lvl + 1. */
	return ((pace_us)(lvl + 1) * len + levels - 1) / levels;
}

int pace_bar_eighths(const struct pace_state *s, int cells, int rate)
{
	if (cells <= 0)
		return 0;
	if (cells > 4096)
		cells = 4096;
	int full = 8 * cells;
	int levels = pace_levels_for(s->phase_len, cells, rate);
	if (levels <= 0)
		return s->fill >= 0.5 ? full : 0;
	int lvl = pace_level(s->into, s->phase_len, levels);
	switch (s->phase) {
	case PACE_INHALE:
		return (int)((int64_t)lvl * full / levels);
	case PACE_EXHALE:
		return (int)((int64_t)(levels - lvl) * full / levels);
	case PACE_HOLD_FULL:
		return full;
	case PACE_HOLD_EMPTY:
	default:
		return 0;
	}
}

static pace_us min_us(pace_us a, pace_us b) { return a < b ? a : b; }

pace_us pace_next_change(const struct pace *p, pace_us t, int cells, int rate)
{
	if (t >= p->total)
		return INT64_MAX;
	if (t < 0)
		return 0;
	struct pace_state s;
	pace_at(p, t, &s);
	pace_us end = s.phase_start + s.phase_len;
	pace_us next = end;
	if (pace_phase_is_hold(s.phase)) {
		/* The bar stands still; the hold's countdown shows ceil(left):
		 * it drops when left reaches (secs-1) s. */
		if (s.seconds_left > 1)
			next = min_us(next, end - (pace_us)(s.seconds_left - 1) * PACE_US_PER_S);
	} else {
		/* The breath moves: the bar's next step is its count. */
		int levels = pace_levels_for(s.phase_len, cells, rate);
		pace_us x = pace_level_next(s.into, s.phase_len, levels);
		if (x != INT64_MAX)
			next = min_us(next, s.phase_start + x);
	}
	return min_us(next, p->total);
}

pace_us pace_next_phase(const struct pace *p, pace_us t, enum pace_phase *phase, pace_us *len)
{
	struct pace_state s;
	if (t < 0) {
		pace_at(p, 0, &s);
	} else {
		pace_at(p, t, &s);
		if (s.done || s.phase_start + s.phase_len >= p->total)
			return INT64_MAX;
		pace_at(p, s.phase_start + s.phase_len, &s);
	}
	if (phase)
		*phase = s.phase;
	if (len)
		*len = s.phase_len;
	return s.phase_start;
}
