/* One session: the event loop that runs a program on the screen (or as plain
 * lines), posts audio cues, and writes the history entry at the end. */
#ifndef LULL_SESSION_H
#define LULL_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "audio.h"
#include "history.h"
#include "program.h"

#define SESSION_MAX_LAYERS 8

struct session_layer {
	char name[32];
	float volume;
};

struct session_opts {
	const struct program *prog;
	bool plain;                 /* one line per change, no curses */
	const char *plain_why;      /* printed once when plain was not asked for */
	bool bell;                  /* terminal bell at phase changes */
	bool checkin;               /* ask tension before and after (hook below) */
	bool color;
	struct audio_options audio; /* enabled, volume, cues, follow, time_scale */
	const char *audio_note;     /* why sound is off (SSH), or NULL */
	struct session_layer layers[SESSION_MAX_LAYERS];
	size_t nlayers;
	bool show_safety;           /* first use: show the safety note */
};

/* Runs the whole session; returns the exit status (0 finished or quit, 1 on
 * error). After SIGTERM, SIGINT or SIGHUP it re-raises the signal once the
 * terminal is restored and the history written. */
int session_run(const struct session_opts *o);

/* The first-use safety note, shown once (see session_cmd.c). */
extern const char session_safety_note[];

#endif
