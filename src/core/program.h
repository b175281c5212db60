/* SPDX-License-Identifier: ISC */
/* A program: what a session does, step by step. This is the data both the
 * parser (text -> program) and the timeline (program, t -> what happens now)
 * agree on. Pure data; no I/O. */
#ifndef LULL_PROGRAM_H
#define LULL_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pace.h"

enum step_kind {
	STEP_BREATHE, /* paced breathing for cycles or seconds, maybe ramping */
	STEP_GUIDE,   /* an instruction with its own countdown */
	STEP_SAY,     /* a guidance line shown during the following breathing block,
		       * at the phase it is tied to (see timeline.h) */
	STEP_CHIME,   /* a one-shot cue, no duration */
	STEP_SILENCE, /* a quiet pause with a countdown and no text */
	STEP_SOUND,   /* an ambient change for the audio thread, no duration */
	STEP_WORDS,   /* a cognitive shuffle: one word at a time, further apart
		       * as it goes, in an order the shell chooses (program_set_words) */
	STEP_QUIET,   /* a bare `silence`, no duration: the next timed step is
		       * meant to be quiet after its words (timeline.h) */
};

/* The phase a say line is tied to: it appears, and is spoken, as that
 * phase begins, and stands for that phase only. SAY_ANY: a line for the
 * breath as a whole, shown from the start of a breath (see timeline.h). */
enum say_tie {
	SAY_ANY,
	SAY_INHALE,
	SAY_HOLD,   /* either hold */
	SAY_EXHALE,
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
	enum pace_phase cue_from; /* the cue begins on this phase (inhale or exhale) */
};

struct step_words {
	double seconds;         /* the step's length */
	double every_from;      /* seconds from one word to the next at the start ... */
	double every_to;        /* ... and at the end (slower as it goes) */
	char **words;           /* owned; NULL until program_set_words() */
	size_t nwords;
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
	unsigned col;  /* guide, say: the column of its text, for messages */
	char *recording; /* guide, say: a sound file spoken instead of the voice, or NULL */
	enum say_tie say_tie; /* STEP_SAY: the phase the line belongs to */
	union {
		struct step_breathe breathe;
		struct step_guide guide;  /* STEP_GUIDE; STEP_SILENCE uses guide.seconds only */
		char *say;                /* STEP_SAY */
		char *chime;              /* STEP_CHIME: cue name, NULL for the default chime */
		struct step_sound sound;  /* STEP_SOUND */
		struct step_words words;  /* STEP_WORDS */
	} u;
};

enum program_voice {
	PROGRAM_VOICE_UNSAID, /* the settings decide */
	PROGRAM_VOICE_ON,
	PROGRAM_VOICE_OFF,
};

struct program {
	char *name;        /* how `lull start` finds it */
	char *title;
	char *description; /* one line */
	char *safety;      /* NULL when none is needed */
	unsigned tags;     /* enum program_tag bits */
	unsigned purpose;  /* the first tag the file names: what it is mainly for
	                    * (`lull list` shows it under that group); 0: none */
	double estimate_s; /* declared length, 0 when not declared */
	bool chime_off;    /* `chime off`: no phase or step tones unless the user asks */
	bool follow;       /* ambient swell follows the breath */
	enum program_voice voice; /* `voice on|off`: whether the lines are spoken */
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
 * - A guided step, a silence and a words step last their seconds; say, chime
 *   and sound steps take no time (they happen at the start of the step that
 *   follows them).
 *
 * The pure breathing programs (box, 478, coherent, relax, sleep) have exactly
 * one STEP_BREATHE, so `lull start NAME --cycles N | --minutes M` can replace
 * its cycles or seconds. */

/* Seconds a step lasts (see above). */
double step_length(const struct step *s);
/* A step that takes time (breathe, guide, silence with a duration, words);
 * the others happen as the next of these begins. */
bool step_is_timed(const struct step *s);

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
/* The group a person looks for, in the order `list` and the menu show
 * them: "Sleep", "Tension", "Breathing", "Stretch"; NULL past the last.
 * *tag gets the group's tag. */
const char *program_group(size_t i, enum program_tag *tag);

/* The say tie words of the format ("inhale", "hold", "exhale"; "" for
 * SAY_ANY). */
const char *program_tie_name(enum say_tie tie);

/* --- breath holds ------------------------------------------------------ */

/* A hold this long or longer is a breath hold that needs a caution (a
 * moment's pause at the top of a breath does not). */
#define PROGRAM_HOLD_CAUTION_S 3.0

/* The caution given to a program with breath holds that has no safety text
 * of its own. */
extern const char program_hold_safety[];

/* True when any breathing block or breath cue holds the breath for
 * PROGRAM_HOLD_CAUTION_S or more. */
bool program_has_holds(const struct program *p);

/* The loader's rule: a program with breath holds and no safety text gets
 * program_hold_safety. */
void program_add_hold_safety(struct program *p);

/* --- words ------------------------------------------------------------- */

/* Gives every STEP_WORDS of the program n words of list (copied), in an
 * order that only seed decides (the same seed, the same order: the shell
 * seeds it by the night, so each night has its own). Words repeat only when
 * a step needs more than n. Pure. */
void program_set_words(struct program *p, const char *const *list, size_t n, uint64_t seed);

/* A words step says its first word as it begins, and each next one
 * program_word_next() seconds into the step after the one said at t: the
 * spacing stretches linearly in time from every_from to every_to. A word is
 * said when its whole spacing fits before the end of the step (the last
 * word has its time too). */
double program_word_next(const struct step_words *w, double t);
/* How many words the step says. */
size_t program_word_count(const struct step_words *w);

#endif
