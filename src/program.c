#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "program.h"

static void step_free(struct step *s)
{
	switch (s->kind) {
	case STEP_GUIDE:
		free(s->u.guide.text);
		break;
	case STEP_SAY:
		free(s->u.say);
		break;
	case STEP_CHIME:
		free(s->u.chime);
		break;
	case STEP_SOUND:
		free(s->u.sound.name);
		break;
	case STEP_BREATHE:
	case STEP_SILENCE:
		break;
	}
}

void program_free(struct program *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nsteps; i++)
		step_free(&p->steps[i]);
	free(p->steps);
	free(p->name);
	free(p->title);
	free(p->description);
	free(p->safety);
	free(p);
}

double pace_pattern_length(const struct pace_pattern *p)
{
	double sum = 0;
	for (int i = 0; i < PACE_PHASES; i++)
		sum += p->phase[i];
	return sum;
}

struct pace_pattern step_breathe_pattern(const struct step_breathe *b,
					 unsigned k, double t0)
{
	if (!b->ramp)
		return b->from;
	double f;
	if (b->cycles > 0)
		f = b->cycles > 1 ? (double)k / (double)(b->cycles - 1) : 0;
	else
		f = b->seconds > 0 ? t0 / b->seconds : 1;
	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	struct pace_pattern p;
	for (int i = 0; i < PACE_PHASES; i++)
		p.phase[i] = b->from.phase[i] + (b->to.phase[i] - b->from.phase[i]) * f;
	return p;
}

static double breathe_length(const struct step_breathe *b)
{
	double t = 0;
	if (b->cycles > 0) {
		if (!b->ramp)
			return pace_pattern_length(&b->from) * b->cycles;
		for (unsigned k = 0; k < b->cycles; k++) {
			struct pace_pattern p = step_breathe_pattern(b, k, t);
			t += pace_pattern_length(&p);
		}
		return t;
	}
	if (!b->ramp) {
		double len = pace_pattern_length(&b->from);
		if (!(len > 0) || !(b->seconds > 0))
			return b->seconds > 0 ? b->seconds : 0;
		return ceil(b->seconds / len) * len;
	}
	/* By duration. A cycle of zero length would never end the loop; the
	 * parser refuses those, but this function must be safe on any input. */
	for (unsigned k = 0; t < b->seconds; k++) {
		struct pace_pattern p = step_breathe_pattern(b, k, t);
		double len = pace_pattern_length(&p);
		if (!(len > 0))
			return b->seconds;
		t += len;
	}
	return t;
}

double step_length(const struct step *s)
{
	switch (s->kind) {
	case STEP_BREATHE:
		return breathe_length(&s->u.breathe);
	case STEP_GUIDE:
	case STEP_SILENCE:
		return s->u.guide.seconds;
	case STEP_SAY:
	case STEP_CHIME:
	case STEP_SOUND:
		break;
	}
	return 0;
}

int program_set_breathing_length(struct program *p, unsigned cycles, double seconds,
				 char *err, size_t errsize)
{
	struct step *only = NULL;
	for (size_t i = 0; i < p->nsteps; i++) {
		if (p->steps[i].kind != STEP_BREATHE)
			continue;
		if (only) {
			snprintf(err, errsize, "--cycles and --minutes apply to programs with one "
				 "breathing block; '%s' has several", p->name ? p->name : "this program");
			return -1;
		}
		only = &p->steps[i];
	}
	if (!only) {
		snprintf(err, errsize, "--cycles and --minutes apply to breathing programs; "
			 "'%s' has no breathing block", p->name ? p->name : "this program");
		return -1;
	}
	only->u.breathe.cycles = cycles;
	only->u.breathe.seconds = cycles ? 0 : seconds;
	return 0;
}

double program_length(const struct program *p)
{
	double t = 0;
	for (size_t i = 0; i < p->nsteps; i++)
		t += step_length(&p->steps[i]);
	return t;
}

static bool timed(const struct step *s)
{
	return s->kind == STEP_BREATHE || s->kind == STEP_GUIDE || s->kind == STEP_SILENCE;
}

size_t program_step_at(const struct program *p, double t, double *into)
{
	double start = 0;
	for (size_t i = 0; i < p->nsteps; i++) {
		if (!timed(&p->steps[i]))
			continue;
		double len = step_length(&p->steps[i]);
		if (t < start + len) {
			if (into)
				*into = t > start ? t - start : 0;
			return i;
		}
		start += len;
	}
	if (into)
		*into = 0;
	return p->nsteps;
}

const char *program_say_at(const struct program *p, size_t i, double into)
{
	if (i >= p->nsteps || p->steps[i].kind != STEP_BREATHE)
		return NULL;
	size_t first = i, n = 0;
	while (first > 0 && p->steps[first - 1].kind != STEP_BREATHE) {
		first--;
		n += p->steps[first].kind == STEP_SAY;
	}
	if (n == 0)
		return NULL;
	double len = step_length(&p->steps[i]);
	size_t k = len > 0 && into > 0 ? (size_t)(into / len * (double)n) : 0;
	if (k >= n)
		k = n - 1;
	for (size_t j = first; j < i; j++) {
		if (p->steps[j].kind != STEP_SAY)
			continue;
		if (k-- == 0)
			return p->steps[j].u.say;
	}
	return NULL;
}

const char *program_tag_name(enum program_tag tag)
{
	switch (tag) {
	case TAG_SLEEP:
		return "sleep";
	case TAG_TENSION:
		return "tension";
	case TAG_STRETCH:
		return "stretch";
	case TAG_BREATHING:
		return "breathing";
	}
	return "?";
}
