/* A program: what a session does, step by step. This is the data both the
 * parser (text -> program) and the timeline (program, t -> what happens now)
 * agree on. Pure data; no I/O. */
#ifndef LULL_PROGRAM_H
#define LULL_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>

#include "pace.h"

enum step_kind {
	STEP_BREATHE, /* paced breathing for cycles or seconds, maybe ramping */
	STEP_GUIDE,   /* an instruction with its own countdown */
	STEP_SAY,     /* a guidance line shown during the following breathing block;
		       * several in a row take turns, each for an equal share of it */
	STEP_CHIME,   /* a one-shot cue, no duration */
	STEP_SILENCE, /* a quiet pause with a countdown and no text */
	STEP_SOUND,   /* an ambient change for the audio thread, no duration */
};

enum program_tag {
	TAG_SLEEP = 1u << 0,
	TAG_TENSION = 1u << 1,
	TAG_STRETCH = 1u << 2,
	TAG_BREATHING = 1u << 3,
};

struct step_breathe {
	struct pace_pattern from;
	struct pace_pattern to; /* equals from when there is no ramp */
	bool ramp;
	unsigned cycles;        /* run this many cycles, or ... */
	double seconds;         /* ... about this long, finishing the cycle in progress */
};

struct step_guide {
	double seconds;
	char *text;             /* UTF-8, already free of control characters */
	bool has_breath_cue;    /* optionally pace the breath while the step runs */
	struct pace_pattern cue;
};

enum sound_action {
	SOUND_LAYER_ON,  /* name, volume, fade_s */
	SOUND_LAYER_OFF, /* name, fade_s */
	SOUND_VOLUME,    /* master volume, fade_s */
	SOUND_FADE_OUT,  /* everything to silence over fade_s */
};

struct step_sound {
	enum sound_action action;
	char *name;   /* layer name for ON/OFF, NULL otherwise */
	float volume; /* 0..1 */
	double fade_s;
};

struct step {
	enum step_kind kind;
	unsigned line; /* source line, for messages */
	union {
		struct step_breathe breathe;
		struct step_guide guide;  /* STEP_GUIDE; STEP_SILENCE uses guide.seconds only */
		char *say;                /* STEP_SAY */
		char *chime;              /* STEP_CHIME: cue name, NULL for the default chime */
		struct step_sound sound;  /* STEP_SOUND */
	} u;
};

struct program {
	char *name;        /* how `lull start` finds it */
	char *title;
	char *description; /* one line */
	char *safety;      /* NULL when none is needed */
	unsigned tags;     /* enum program_tag bits */
	double estimate_s; /* declared length, 0 when not declared */
	bool chime_off;    /* `chime off`: no phase or step tones unless the user asks */
	bool follow;       /* ambient swell follows the breath */
	struct step *steps;
	size_t nsteps;
};

void program_free(struct program *p);

/* Timing. These are the definition the session timeline must agree with:
 *
 * - A cycle lasts the sum of its four phases.
 * - Breathing blocks are laid out by the pacer (pace.h), the one definition:
 *   by cycles, exactly that many, a ramp reaching `to` on the last cycle; by
 *   duration, cycles start while the time into the block is below `seconds`
 *   and the cycle in progress is finished, a ramp reaching `to` by the cycle
 *   that can end the block.
 * - A guided step and a silence last their seconds; say, chime and sound steps
 *   take no time (they happen at the start of the step that follows them).
 *
 * The pure breathing programs (box, 478, coherent, relax, sleep) have exactly
 * one STEP_BREATHE, so `lull start NAME --cycles N | --minutes M` can replace
 * its cycles or seconds. */

/* Seconds a step lasts (see above). */
double step_length(const struct step *s);

/* The whole program's length in seconds: the sum of step_length(). */
double program_length(const struct program *p);

/* --cycles / --minutes: sets the length of a program's one breathing block
 * (cycles, else seconds). 0, or -1 with the reason in err when the program
 * has no breathing block or several (its length is then its own). */
int program_set_breathing_length(struct program *p, unsigned cycles, double seconds,
				 char *err, size_t errsize);

/* Names of the tags, in bit order, for the parser, `list` and the menu. */
const char *program_tag_name(enum program_tag tag);
#define PROGRAM_NTAGS 4

#endif
