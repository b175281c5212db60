/* The phase changes of a program, for render. */
#include "config.h"

#include <stdlib.h>

#include "audio_plan.h"
#include "util.h"

struct plan {
	struct plan_event *ev;
	size_t n, cap;
};

static void add(struct plan *pl, struct plan_event e)
{
	if (pl->n == pl->cap) {
		pl->cap = pl->cap ? 2 * pl->cap : 64;
		pl->ev = xrealloc(pl->ev, pl->cap * sizeof *pl->ev);
	}
	pl->ev[pl->n++] = e;
}

static double cycle_len(const struct pace_pattern *p)
{
	double s = 0;
	for (int i = 0; i < PACE_PHASES; i++)
		s += p->phase[i] > 0 ? p->phase[i] : 0;
	return s;
}

/* The pattern of a ramping step at fraction f (0..1) of the way. */
static struct pace_pattern lerp(const struct step_breathe *b, double f)
{
	struct pace_pattern p;
	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	for (int i = 0; i < PACE_PHASES; i++)
		p.phase[i] = b->ramp ? b->from.phase[i] + (b->to.phase[i] - b->from.phase[i]) * f : b->from.phase[i];
	return p;
}

static double breathe(struct plan *pl, const struct step_breathe *b, double t)
{
	double start = t;
	for (unsigned k = 0;; k++) {
		if (b->cycles > 0 && k >= b->cycles)
			break;
		if (b->cycles == 0 && t - start >= b->seconds)
			break;
		double f = b->cycles > 1 ? (double)k / (b->cycles - 1)
			 : b->cycles == 0 && b->seconds > 0 ? (t - start) / b->seconds : 0;
		struct pace_pattern p = lerp(b, f);
		if (cycle_len(&p) <= 0)
			break; /* nothing to breathe; never loop forever */
		for (int i = 0; i < PACE_PHASES; i++) {
			if (p.phase[i] <= 0)
				continue;
			add(pl, (struct plan_event){ .t = t, .kind = PLAN_BREATH, .phase = i, .dur = p.phase[i] });
			t += p.phase[i];
		}
	}
	return t;
}

size_t audio_plan(const struct program *p, struct plan_event **out, double *total_s)
{
	struct plan pl = { 0 };
	double t = 0;
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct step *s = &p->steps[i];
		switch (s->kind) {
		case STEP_BREATHE:
			t = breathe(&pl, &s->u.breathe, t);
			break;
		case STEP_GUIDE:
		case STEP_SILENCE:
			if (s->u.guide.seconds > 0)
				t += s->u.guide.seconds;
			break;
		case STEP_CHIME:
			add(&pl, (struct plan_event){ .t = t, .kind = PLAN_CUE, .cue = s->u.chime });
			break;
		case STEP_SOUND:
			add(&pl, (struct plan_event){ .t = t, .kind = PLAN_SOUND, .sound = &s->u.sound });
			break;
		case STEP_SAY:
			break;
		}
	}
	*out = pl.ev;
	*total_s = t;
	return pl.n;
}
