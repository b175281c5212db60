/* SPDX-License-Identifier: ISC */
/* A program's safety note, shown before its first step on a page of its
 * own (a mode of the session view, like the check-in question): the first
 * time each program (with that note) runs, the page waits for a key; later
 * it stands for a few seconds, any key going on at once. The settings
 * safety_wait and safety_seconds change both (lull(1)). Drawn inside a
 * curses screen someone else has set up, as a handler of the terminal's
 * events (tty.h); the layout is the pure safety_page_layout(). */
#ifndef LULL_SAFETY_H
#define LULL_SAFETY_H

#include <stdbool.h>
#include <stdint.h>

#include "program.h"
#include "tty.h"

/* Whether the person has gone on from this program's safety note before
 * (remembered in $XDG_STATE_HOME/lull/safety-seen, by the program's name
 * and the note: a changed note waits again). */
bool safety_note_seen(const struct program *p);
void safety_mark_seen(const struct program *p);

enum safety_status {
	SAFETY_SHOWING,     /* the page stands: more events, please */
	SAFETY_GO,          /* a key, or the time is up: begin the program */
	SAFETY_QUIT,        /* q or Esc while it waited: the person chose not to */
	SAFETY_HANGUP,      /* the terminal went away */
	SAFETY_INTERRUPTED, /* SIGTERM, SIGINT or SIGHUP (the event's sig) */
};

#define SAFETY_SPEECH_MAX 4200 /* a note's longest line, and how to go on */

struct safety_prompt {
	const char *title;  /* the program's title */
	const char *text;   /* its safety note */
	const char *note;   /* the general note, or NULL */
	bool wait;          /* wait for a key; else stand until until_ns */
	int64_t until_ns;   /* CLOCK_MONOTONIC */
	char speech[SAFETY_SPEECH_MAX]; /* what the voice says (safety_prompt_speech) */
};

/* wait: for a key; else for seconds (a key goes on sooner). */
void safety_prompt_start(struct safety_prompt *s, const struct program *p, const char *note, bool wait,
			 int seconds, int64_t now_ns);
void safety_prompt_draw(const struct safety_prompt *s);
int64_t safety_prompt_deadline(const struct safety_prompt *s);
enum safety_status safety_prompt_event(struct safety_prompt *s, const struct tty_event *ev, int64_t now_ns);

/* What the voice says as the page appears, for a person whose eyes are
 * closed: the note, then how to go on ("When you are ready, press any key
 * to begin, or q to leave."). NULL when the page does not wait: it stands
 * a few seconds, for a note already heard, and a note read to the end
 * would be cut off by the program. (`lull render` says the program's note
 * before its first step, with no page.) */
const char *safety_prompt_speech(const struct safety_prompt *s);

#endif
