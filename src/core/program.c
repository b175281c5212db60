/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program.h"
#include "util.h"

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
	case STEP_WORDS:
		for (size_t i = 0; i < s->u.words.nwords; i++)
			free(s->u.words.words[i]);
		free(s->u.words.words);
		break;
	case STEP_BREATHE:
	case STEP_SILENCE:
	case STEP_QUIET:
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

bool step_is_timed(const struct step *s)
{
	return s->kind == STEP_BREATHE || s->kind == STEP_GUIDE || s->kind == STEP_SILENCE || s->kind == STEP_WORDS;
}

double step_length(const struct step *s)
{
	switch (s->kind) {
	case STEP_BREATHE:
		return breathe_length(&s->u.breathe);
	case STEP_GUIDE:
	case STEP_SILENCE:
		return s->u.guide.seconds;
	case STEP_WORDS:
		return s->u.words.seconds;
	case STEP_SAY:
	case STEP_CHIME:
	case STEP_SOUND:
	case STEP_QUIET:
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

const char *program_group(size_t i, enum program_tag *tag)
{
	static const struct { enum program_tag tag; const char *name; } groups[] = {
		{ TAG_SLEEP, "Sleep" },
		{ TAG_TENSION, "Tension" },
		{ TAG_BREATHING, "Breathing" },
		{ TAG_STRETCH, "Stretch" },
	};
	if (i >= sizeof groups / sizeof groups[0])
		return NULL;
	if (tag)
		*tag = groups[i].tag;
	return groups[i].name;
}

const char *program_tie_name(enum say_tie tie)
{
	switch (tie) {
	case SAY_INHALE:
		return "inhale";
	case SAY_HOLD:
		return "hold";
	case SAY_EXHALE:
		return "exhale";
	case SAY_ANY:
		break;
	}
	return "";
}

/* --- breath holds ------------------------------------------------------ */

const char program_hold_safety[] =
	"This program holds the breath. If you are pregnant, have heart or lung disease or "
	"blood pressure that is not under control, or if holding the breath brings on panic, "
	"skip the holds: use relax or coherent instead. Stop and breathe normally if you feel "
	"dizzy or unwell.";

static bool pattern_holds(const struct pace_pattern *p)
{
	return p->phase[PACE_HOLD_FULL] >= PROGRAM_HOLD_CAUTION_S ||
	       p->phase[PACE_HOLD_EMPTY] >= PROGRAM_HOLD_CAUTION_S;
}

bool program_has_holds(const struct program *p)
{
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct step *s = &p->steps[i];
		if (s->kind == STEP_BREATHE &&
		    (pattern_holds(&s->u.breathe.from) || (s->u.breathe.ramp && pattern_holds(&s->u.breathe.to))))
			return true;
		if (s->kind == STEP_GUIDE && s->u.guide.has_breath_cue && pattern_holds(&s->u.guide.cue))
			return true;
	}
	return false;
}

void program_add_hold_safety(struct program *p)
{
	if (!p->safety && program_has_holds(p))
		p->safety = xstrdup(program_hold_safety);
}

/* --- words ------------------------------------------------------------- */

double program_word_next(const struct step_words *w, double t)
{
	double f = w->seconds > 0 ? t / w->seconds : 1;
	if (f > 1)
		f = 1;
	double gap = w->every_from + (w->every_to - w->every_from) * f;
	/* The parser keeps the spacing at 1 s or more; a program made in
	 * memory might not, and must still end. */
	return t + (gap >= 1 ? gap : 1);
}

size_t program_word_count(const struct step_words *w)
{
	size_t n = 0;
	for (double t = 0; program_word_next(w, t) <= w->seconds + 1e-9; t = program_word_next(w, t))
		n++;
	return n;
}

/* splitmix64: small, fast, and the same sequence on every machine. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* A uniform index below n (n > 0), without the modulo's bias. */
static size_t random_below(uint64_t *state, size_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t r;
	do
		r = next_random(state);
	while (r >= limit);
	return (size_t)(r % n);
}

void program_set_words(struct program *p, const char *const *list, size_t n, uint64_t seed)
{
	uint64_t state = seed;
	size_t *order = n ? xcalloc(n, sizeof *order) : NULL;
	size_t used = n; /* the deck is empty: shuffle before the first word */
	for (size_t i = 0; i < p->nsteps; i++) {
		struct step_words *w = &p->steps[i].u.words;
		if (p->steps[i].kind != STEP_WORDS)
			continue;
		for (size_t k = 0; k < w->nwords; k++)
			free(w->words[k]);
		free(w->words);
		w->words = NULL;
		w->nwords = 0;
		size_t want = n ? program_word_count(w) : 0;
		if (!want)
			continue;
		w->words = xcalloc(want, sizeof *w->words);
		for (size_t k = 0; k < want; k++) {
			if (used == n) {
				/* Fisher-Yates over the whole list, again when it runs out. */
				for (size_t j = 0; j < n; j++)
					order[j] = j;
				for (size_t j = n - 1; j > 0; j--) {
					size_t r = random_below(&state, j + 1);
					size_t tmp = order[j];
					order[j] = order[r];
					order[r] = tmp;
				}
				used = 0;
			}
			w->words[k] = xstrdup(list[order[used++]]);
		}
		w->nwords = want;
	}
	free(order);
}
