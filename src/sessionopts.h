/* SPDX-License-Identifier: ISC */
/* The options `lull start` and `lull render` share, each with one rule and
 * one wording, and what they make, with the settings and the program, of a
 * session: its length and its sound. A render is a recording of the session
 * the same words would start, so both commands decide here. */
#ifndef LULL_SESSIONOPTS_H
#define LULL_SESSIONOPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "program.h"
#include "settings.h"
#include "soundplan.h"

struct sessionopts {
	unsigned cycles;  /* --cycles N; 0: the program's own length */
	double minutes;   /* --minutes M; 0: the program's own length */
	struct soundplan_layer layers[SOUNDPLAN_MAX_LAYERS]; /* --sound, in order */
	size_t nlayers;
	bool no_bed;      /* --sound none: no ambient sound at all, the program's neither */
	bool follow;      /* --follow */
	enum { CUES_UNSAID, CUES_ON, CUES_OFF } cues; /* --cues, --no-cues */
	int voice;        /* --voice 1, --no-voice -1, neither 0 */
};

/* The getopt_long codes of the options start and render share, each
 * command's table naming them: --cycles, --minutes, --sound, --cues,
 * --no-cues, --follow, --voice, --no-voice. */
enum {
	SESSIONOPT_CYCLES = 0x200, SESSIONOPT_MINUTES, SESSIONOPT_SOUND, SESSIONOPT_CUES, SESSIONOPT_NO_CUES,
	SESSIONOPT_FOLLOW, SESSIONOPT_VOICE, SESSIONOPT_NO_VOICE,
};

/* The option of code (arg its value) for the command cmd: 0 when taken,
 * -1 when code is not one of the shared ones, else the usage error's
 * status (2) once its message is printed. */
int sessionopts_option(struct sessionopts *o, const char *cmd, int code, const char *arg);

/* One option's value for the command cmd ("start", "render"): 0, or the
 * usage error's status (2) once its message is printed. */
int sessionopts_cycles(struct sessionopts *o, const char *cmd, const char *arg);
int sessionopts_minutes(struct sessionopts *o, const char *cmd, const char *arg);
int sessionopts_sound(struct sessionopts *o, const char *cmd, const char *arg); /* "none": no bed */
/* Every --sound layer names a sound there is: 0, or 1 with "no such
 * sound; did you mean ...?" printed. A session or a render is refused
 * rather than played without the sound asked for. */
int sessionopts_sounds_found(const struct sessionopts *o);
/* After the options: --cycles and --minutes do not go together. */
int sessionopts_check(const struct sessionopts *o, const char *cmd);

/* --cycles / --minutes on the program's one breathing block; 0, or 2 with
 * the reason printed (a program with none or several keeps its length). */
int sessionopts_apply_length(const struct sessionopts *o, const char *cmd, struct program *p);

/* The session's sound: the master volume of the settings; the layers of
 * --sound, else of the settings' list (--sound none: none at all, and the
 * program's own sound words are not heard either); the swell when --follow, the
 * settings or the program ask for it. The cues, the person's explicit word
 * first: --cues or --no-cues, else the `cues` setting when it is yes or no,
 * else the program's `chime on|off` (on when it says nothing). With the
 * cues on, a tone (or the chime, `cue_style = chime`) at each breath phase
 * and each guided step; the program's own `chime` steps ring unless the
 * person said no cues. */
void sessionopts_sound_cfg(const struct sessionopts *o, const struct settings *set,
			   const struct program *p, struct soundplan_cfg *out);

/* Whether the lines are spoken: --voice or --no-voice, else the settings'
 * `voice` when it is set, else the program's `voice on|off`, else yes (the
 * person's explicit choice wins, as with the cues). The breath words too,
 * when the settings ask for them and the lines are spoken. */
bool sessionopts_voice(const struct sessionopts *o, const struct settings *set, const struct program *p);

struct voice_cfg;
/* The voice of the settings (voice_name, voice_rate, voice_pitch). */
void sessionopts_voice_cfg(const struct settings *set, struct voice_cfg *out);

#endif
