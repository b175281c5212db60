/* SPDX-License-Identifier: ISC */
/* The night palette: every colour lull's screens use, in one table. Soft
 * greys and blues on the terminal's own background, nothing bright; with
 * NO_COLOR, the colour setting off, or a terminal without colours, the same
 * looks in plain attributes (dim, bold). Needs curses running. */
#ifndef LULL_PALETTE_H
#define LULL_PALETTE_H

#include <stdbool.h>

enum palette_look {
	LOOK_PLAIN,   /* the terminal's default: what changes many times a second */
	LOOK_TEXT,    /* instructions, questions */
	LOOK_DIM,     /* secondary text: labels, the key line */
	LOOK_WORD,    /* the phase word */
	LOOK_ACCENT,  /* a chosen answer, a mark */
	LOOK_TITLE,   /* headings */
	LOOK_TRACK,   /* the unfilled part of a progress bar */
	LOOK_NEXT,    /* what comes next */
	LOOK_HEAT0,   /* the calendar's five levels, none .. most */
	LOOK_HEAT1,
	LOOK_HEAT2,
	LOOK_HEAT3,
	LOOK_HEAT4,
	LOOK_DUSK,    /* the dark screen's steps (dark.h): the text, dimmed */
	LOOK_NIGHT,   /* ... darker: the phase word and the instruction */
	LOOK_EMBER,   /* ... a near-black bar */
	LOOK_COUNT
};

/* NO_COLOR (https://no-color.org) is set to something: the one reader. */
bool palette_no_color(void);

/* Sets the looks up for the screen curses has open: colour when want is
 * true, NO_COLOR is unset and the terminal has colours. Returns whether
 * colour is in use. Call again after tty_open() for a new screen. */
bool palette_init(bool want);

/* A look as curses' attr_set() takes it: the attribute and the pair. */
unsigned palette_attr(enum palette_look look);
short palette_pair(enum palette_look look);

#endif
