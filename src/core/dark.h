/* SPDX-License-Identifier: ISC */
/* The dark screen's schedule: how far the session screen has dimmed at
 * session time t. Pure: no I/O, no clock.
 *
 * A session in the dark (screen = dark, --dark, or a program tagged sleep)
 * dims in steps as it goes, so that the light in the room falls with the
 * person in it: first the frame goes (title, key line, counters) and the text
 * dims; then only the phase word, the instruction and the bar are left,
 * darker; then a near-black bar alone; and for the last quarter (at most
 * the last five minutes) nothing at all. The first three steps come at
 * even intervals before the black, at most three minutes apart, so that a
 * long night does not stay lit. A key brings the whole screen back for a
 * few seconds (session.c). */
#ifndef LULL_DARK_H
#define LULL_DARK_H

#include "pace.h"

enum dark_level {
	DARK_NONE,   /* the whole screen */
	DARK_DIM,    /* no frame, no counters; the text dimmed */
	DARK_DIMMER, /* the phase word, the instruction and the bar, darker */
	DARK_BAR,    /* a near-black bar alone */
	DARK_BLACK,  /* nothing */
};

#define DARK_TAIL_MAX_US (5 * 60 * PACE_US_PER_S) /* the black, at most */
#define DARK_STEP_MAX_US (3 * 60 * PACE_US_PER_S) /* between the first steps, at most */

/* When the screen of a session `total` long reaches a level (DARK_NONE: 0). */
pace_us dark_start(pace_us total, enum dark_level level);
/* The level at session time t (before 0: none; past the end: black). */
enum dark_level dark_at(pace_us total, pace_us t);
/* The next session time after t the level changes; INT64_MAX when none. */
pace_us dark_next(pace_us total, pace_us t);

#endif
