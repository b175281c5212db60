/* When things sound in a program: breath phase changes, chimes and ambient
 * changes, at times in session seconds. Pure. A local stand-in used by
 * `lull render` until the session area's timeline (timeline.h) can answer the
 * same question; it walks STEP_BREATHE (with ramps), STEP_GUIDE, STEP_SILENCE,
 * STEP_SOUND and STEP_CHIME. */
#ifndef LULL_AUDIO_PLAN_H
#define LULL_AUDIO_PLAN_H

#include <stddef.h>

#include "program.h"

enum plan_kind { PLAN_BREATH, PLAN_CUE, PLAN_SOUND };

struct plan_event {
	double t;                       /* session seconds from the start */
	enum plan_kind kind;
	int phase;                      /* PLAN_BREATH: enum pace_phase */
	double dur;                     /* PLAN_BREATH: the phase's length */
	const char *cue;                /* PLAN_CUE: NULL = the default chime */
	const struct step_sound *sound; /* PLAN_SOUND: points into the program */
};

/* The events in time order (the caller frees *out) and the program's total
 * length in *total_s. Returns the count. */
size_t audio_plan(const struct program *p, struct plan_event **out, double *total_s);

#endif
