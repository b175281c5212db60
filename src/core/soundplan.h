/* SPDX-License-Identifier: ISC */
/* What is heard when: the one mapping from a program's timeline to sound.
 * `lull start` posts its events to the audio thread one lead ahead; `lull
 * render` applies them at their exact frames. Pure: no I/O, no clock, no
 * globals.
 *
 * From the timeline the plan keeps what makes a sound: the program's sound
 * words (layers, volume, fade-outs), its chimes, the breath phases (when a
 * chime rings at each or the bed follows the breath), a sleep program's fade
 * over its last minute. It adds the session's own: the configured layers
 * rising at the start, and a closing fade when something still sounds near
 * the end. One fade policy, so that a session sounds like its render:
 *
 * - The configured layers rise over the first 10 s (at most the first half
 *   of a shorter session), like the programs' own beds (`sound rain fade
 *   10s`).
 * - Whatever still sounds falls silent over the last 10 s (at most the last
 *   quarter), unless the program fades out itself (a sleep program over its
 *   last minute, a `fadeout` word); a session ends in silence, not cut off.
 * - A fade-out that would begin while the configured layers are still rising
 *   (478 fades out from its first second) begins when they have risen and
 *   still ends when it was meant to: a ramp cannot fall from a level it has
 *   not reached, and would leave the bed silent from the start.
 *
 * Cues, chosen here and nowhere else (the engine plays what it is told):
 *
 * - With `tones`, each breath phase has its cue, to follow with the eyes
 *   closed and without counting: the inhale a rising tone, the exhale a
 *   falling one, a hold a barely audible tick; and each guided step or
 *   silence begins with the step tone, so that tense and release can be
 *   followed without a voice. A guided step that paces a breath begins with
 *   the step tone alone (two cues at once are one muddle). In the chime
 *   style every one of them is the default chime, the cue lull had before.
 * - With `chimes`, the program's own `chime` steps ring, as written: its
 *   author placed each one (a closing bowl after the fade is the end).
 * - The tones follow the fades of the bed: a tone is heard at the level the
 *   bed's fade-outs have left (the engine's equal-power curve, from the same
 *   moments), back up as a layer comes on again. A tone the fades have taken
 *   more than SOUNDPLAN_CUE_FLOOR_DB under is not rung at all: a faded end
 *   (the last minutes of a sleep program) is silent, not a string of faint
 *   pings over nothing.
 *
 * Spoken lines: with the voice in the plan, every guide line is spoken as
 * its step begins and every say line as it appears, each an SP_EV_SPEAK
 * event naming its line in the plan's table of lines (soundplan_lines: the
 * order in which the voice worker prepares them). A line has room until the
 * next line or the end of its step, whichever comes first: what `lull
 * check` measures it against. With voice_breath, each breath phase also
 * says its word ("In", "Out", "Hold"): breath lines, softer, which give way
 * to a spoken line and are never measured; a phase where a line starts (a
 * say line tied to it, a guide's first breath) says the line, not its word.
 *
 * A sleep program ends quiet, in a session as in its render: its voice
 * fades with everything else (a line is said at the level the fade-outs of
 * everything have left as it starts, the tones' rule), and in its close,
 * the last SOUNDPLAN_CLOSE_US, no louder than SOUNDPLAN_CLOSE_DB under its
 * full level: "That is all" said at full voice after the bed had faded to
 * silence woke the person it was for (winddown, pmr and bed closed about
 * 40 dB over their bed). Other programs keep their voice whole through a
 * `fadeout`: there it takes the bed away before the last words.
 *
 * So that the first word is heard: the bed starts its dip DUCK_LEAD_S before
 * each spoken line (SP_EV_DUCK; not before a breath word, which the bed
 * does not duck under), and a phase tone is lowered by
 * SOUNDPLAN_TONE_UNDER_LINE_DB where a spoken line starts with its phase (a
 * line tied to the phase, said within 3 dB of its full level): the line
 * says the phase, and the tone's attack would mask its first syllable; it
 * is still heard, should the line not be (a voice that cannot speak).
 * Without the voice in the plan the tone rings as before. */
#ifndef LULL_SOUNDPLAN_H
#define LULL_SOUNDPLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "pace.h"
#include "timeline.h"

#define SOUNDPLAN_MAX_LAYERS 8
#define SOUNDPLAN_NAME_MAX 64 /* a layer's name and its NUL: what an audio command carries */

struct soundplan_layer {
	char name[SOUNDPLAN_NAME_MAX];
	float volume; /* 0..1 */
};

enum soundplan_cue_style {
	SOUNDPLAN_TONES, /* a tone of its own for each phase and for a new step */
	SOUNDPLAN_CHIME, /* the one chime for all of them */
};

/* The sound of one session, from the settings, the command line and the
 * program together (sessionopts_sound_cfg makes it, for start and render). */
struct soundplan_cfg {
	float volume; /* master, 0..1: where the engine starts (the keys move it) */
	bool tones;   /* a cue at each breath phase and each new guided step */
	enum soundplan_cue_style cue_style; /* which cue `tones` rings */
	bool chimes;  /* the program's own chime steps ring */
	bool follow;  /* the bed swells on the inhale and sinks on the exhale */
	bool no_bed;  /* no layer at all (--sound none): neither these nor the program's */
	struct soundplan_layer layers[SOUNDPLAN_MAX_LAYERS]; /* the bed the session starts with */
	size_t nlayers;
	bool voice;        /* the guide and say lines are spoken */
	bool voice_breath; /* ... and each breath phase its word */
};

/* A spoken line: what the voice says, or plays from a recording, and when. */
struct sp_line {
	const char *text;      /* into the program (or the plan's breath words) */
	const char *recording; /* a sound file to play instead, NULL for the voice */
	pace_us at;            /* session time it starts at */
	pace_us room;          /* until the next line or its step's end */
	size_t step;           /* the program step it comes from */
	bool breath;           /* a breath phase's word */
	float level_db;        /* under its full level: 0, or less in a sleep
	                        * program's fade and close (see above) */
};

/* A sleep program's close, and how far under its full level a line said
 * there is at most: the close is then more than 15 dB under the loudest
 * moment (the voice at full level). */
#define SOUNDPLAN_CLOSE_US (45 * PACE_US_PER_S)
#define SOUNDPLAN_CLOSE_DB (-18.0f)

/* The cues `tones` rings (sound names: a user's own file of that name
 * replaces the built-in tone). */
#define SOUNDPLAN_TONE_INHALE "inhale"
#define SOUNDPLAN_TONE_EXHALE "exhale"
#define SOUNDPLAN_TONE_HOLD "hold"
#define SOUNDPLAN_TONE_STEP "step"

/* The built-in cues: the tones above and the chimes a program's `chime`
 * word rings ("chime", "bowl"). Short sounds that mark a moment, not loops
 * to lie under a session: --sound and `sounds =` refuse them. */
bool soundplan_is_cue_name(const char *name);
/* A phase tone under a line tied to its phase, under its level. */
#define SOUNDPLAN_TONE_UNDER_LINE_DB (-12.0)
/* A cue faded further than this under its level is left out. */
#define SOUNDPLAN_CUE_FLOOR_DB (-10.0)

enum sp_event_kind {
	SP_EV_LAYER_ON,  /* name, volume, fade */
	SP_EV_LAYER_OFF, /* name, fade */
	SP_EV_VOLUME,    /* master volume, fade */
	SP_EV_FADE_OUT,  /* every layer to silence over fade */
	SP_EV_CUE,       /* name (NULL for the default chime), volume: its level */
	SP_EV_BREATH,    /* phase, len: the swell (only with follow) */
	SP_EV_SPEAK,     /* line (its index in soundplan_lines), text, len = its room */
	SP_EV_DUCK,      /* the bed dips: a line starts in fade (DUCK_LEAD_S or less) */
};

struct sp_event {
	enum sp_event_kind kind;
	pace_us at;            /* session time it is heard at */
	const char *name;      /* layer or cue: into the program or the plan */
	float volume;
	pace_us fade;          /* the ramp's length */
	enum pace_phase phase;
	pace_us len;           /* the breath phase's length */
	size_t step;           /* the program step it comes from; nsteps: the plan's own */
	bool tone;             /* a cue: a phase or step tone (not the program's chime) */
	size_t line;           /* SP_EV_SPEAK: the line's index in soundplan_lines */
	const char *text;      /* SP_EV_SPEAK: what is said */
};

struct soundplan;

/* The plan of a timeline (which, with its program, must outlive it) under
 * cfg (copied). Never NULL. */
struct soundplan *soundplan_new(const struct timeline *tl, const struct soundplan_cfg *cfg);
void soundplan_free(struct soundplan *sp);

/* The events with at <= t1 from *cursor on (start with *cursor = 0), at most
 * max of them, in order of time (ties in the order they take effect);
 * advances *cursor. Returns how many were written. */
size_t soundplan_events(const struct soundplan *sp, size_t *cursor, pace_us t1,
			struct sp_event *out, size_t max);
/* Time of the event at cursor, INT64_MAX when none is left. */
pace_us soundplan_event_time(const struct soundplan *sp, size_t cursor);
/* The cursor of the first event after t (to skip what is past). */
size_t soundplan_event_cursor(const struct soundplan *sp, pace_us t);

/* The plan's spoken lines in order of time (*lines valid while sp is);
 * their count. */
size_t soundplan_lines(const struct soundplan *sp, const struct sp_line **lines);

/* The fades of a session `total` long: the configured layers' rise and the
 * closing fall. */
pace_us soundplan_rise(pace_us total);
pace_us soundplan_fall(pace_us total);

#endif
