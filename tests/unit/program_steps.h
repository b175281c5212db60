/* SPDX-License-Identifier: ISC */
/* Programs built in code for the unit tests of the timeline and the sound
 * plan: one step at a time, texts borrowed (never freed). */
#ifndef LULL_TEST_PROGRAM_STEPS_H
#define LULL_TEST_PROGRAM_STEPS_H

#include "program.h"

static inline struct program make(struct step *st, size_t n, unsigned tags)
{
	struct program p = { .name = "t", .title = "T", .tags = tags, .steps = st, .nsteps = n };
	return p;
}

static inline struct step breathe(double a, double b, double c, double d, unsigned cycles, double secs)
{
	struct step s = { .kind = STEP_BREATHE };
	s.u.breathe.from = (struct pace_pattern){ { a, b, c, d } };
	s.u.breathe.to = s.u.breathe.from;
	s.u.breathe.cycles = cycles;
	s.u.breathe.seconds = secs;
	return s;
}

static inline struct step guide(const char *text, double secs)
{
	struct step s = { .kind = STEP_GUIDE };
	s.u.guide.text = (char *)text;
	s.u.guide.seconds = secs;
	return s;
}

static inline struct step say(const char *text)
{
	struct step s = { .kind = STEP_SAY };
	s.u.say = (char *)text;
	return s;
}

static inline struct step say_at(enum say_tie tie, const char *text)
{
	struct step s = say(text);
	s.say_tie = tie;
	return s;
}

static inline struct step silence(double secs)
{
	struct step s = { .kind = STEP_SILENCE };
	s.u.guide.seconds = secs;
	return s;
}

#endif
