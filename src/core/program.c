#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "program.h"

static void step_free(struct step *s)
{
	free(s->recording);
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

/* The pacer lays breathing out (ramps, finishing the cycle in progress):
 * asking it keeps one definition of how long a block lasts. */
static double breathe_length(const struct step_breathe *b)
{
	struct pace_run run = { .from = b->from, .to = b->to, .ramp = b->ramp,
				.cycles = b->cycles, .seconds = b->seconds };
	struct pace *p = pace_new(&run, NULL, 0);
	if (!p) /* never from the parser, which refuses such patterns */
		return b->cycles == 0 && b->seconds > 0 && isfinite(b->seconds) ? b->seconds : 0;
	double len = (double)pace_total_us(p) / PACE_US_PER_S;
	pace_free(p);
	return len;
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
