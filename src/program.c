#include "config.h"

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
