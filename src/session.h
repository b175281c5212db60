/* SPDX-License-Identifier: ISC */
/* One session: the event loop that runs a program on the screen (or as plain
 * lines), posts audio cues, and writes the history entry at the end. */
#ifndef LULL_SESSION_H
#define LULL_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "audio.h"
#include "history.h"
#include "program.h"
#include "soundplan.h"
#include "voice.h"

struct session_opts {
	const struct program *prog;
	bool plain;                 /* one line per change, no curses */
	const char *plain_why;      /* printed once when plain was not asked for */
	bool bell;                  /* terminal bell at phase changes */
	bool checkin;               /* ask tension before and after (hook below) */
	bool color;
	struct audio_options audio; /* the device: enabled, driver, time_scale (what
	                             * is heard comes from sound, not from here); the
	                             * voice on at the start (voice) and its level */
	const char *audio_note;     /* why sound is off (SSH), or NULL */
	struct soundplan_cfg sound; /* what is heard: volume, cues, follow, layers; with
	                             * sound.voice the lines are in the plan, so that
	                             * `v` can turn the voice on whatever it started as */
	struct voice_cfg voice;     /* the voice that says them */
	bool show_safety;           /* first use: show the general safety note */
	bool safety_page;           /* the program's safety note on a page of its
	                             * own before the first step (full screen) */
	bool safety_wait;           /* ... waiting for a key (the first time) */
	int safety_seconds;         /* ... or standing this long */
	bool dark;                  /* the screen dims as the session goes (dark.h); not plain */
};

/* Runs the whole session; returns the exit status (0 finished or quit, 1 on
 * error). After SIGTERM, SIGINT or SIGHUP it re-raises the signal once the
 * terminal is restored and the history written. */
int session_run(const struct session_opts *o);

/* The first-use safety note, shown once (see cmd_start.c). */
extern const char session_safety_note[];

#endif
