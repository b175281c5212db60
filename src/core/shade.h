/* SPDX-License-Identifier: ISC */
/* The night palette's decisions, pure: which colour and attributes each
 * look takes on a terminal of 8, 16 or 256 colours (or none), what the
 * dark screen's steps turn the looks into, and how readable a colour is
 * on the background, by WCAG 2's contrast ratio, from the RGB that xterm
 * shows for it. palette.c only applies them through curses.
 *
 * Every look is drawn on a background lull paints itself, black: a
 * terminal's own background may be white (xterm's default), where the
 * soft greys of the night were light grey on white and the dark screen
 * ended white. The plain look (the terminal's "default" pair, which curses
 * returns to after every refresh) is given a colour too, so that what is
 * drawn in it, the bar above all, costs no colour change per step; the
 * dark screen dims it with its first step. */
#ifndef LULL_SHADE_H
#define LULL_SHADE_H

#include <stdbool.h>

#include "dark.h"

enum palette_look {
	LOOK_PLAIN,   /* the default pair: what changes many times a second */
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

/* What the terminal can show. */
enum shade_depth {
	SHADE_MONO, /* no colour (NO_COLOR, the setting off, or none to have) */
	SHADE_8,
	SHADE_16,
	SHADE_256,
};

/* Attributes, as curses' A_BOLD and A_DIM (palette.c maps them). */
#define SHADE_BOLD 1u
#define SHADE_DIM 2u

/* The background every look is drawn on: black (colour 0 on every depth). */
#define SHADE_BACKGROUND 0

struct shade {
	short fg;       /* a colour of the terminal's palette; -1 on SHADE_MONO */
	unsigned attrs; /* SHADE_BOLD | SHADE_DIM */
};

struct shade_rgb {
	unsigned char r, g, b;
};

/* The depth of a terminal with `colors` colours (curses' COLORS), colour
 * wanted or not. */
enum shade_depth shade_depth_of(bool color, int colors);

/* A look on a terminal of depth d. LOOK_PLAIN: as at DARK_NONE. */
struct shade shade_look(enum palette_look look, enum shade_depth d);

/* The plain look at a dark level: the bar and the seconds beside a hold.
 * Dimmer at each step from the first (DARK_DIM); DARK_BAR's is the
 * near-black bar; DARK_BLACK draws nothing and keeps DARK_BAR's. */
struct shade shade_plain(enum dark_level level, enum shade_depth d);

/* Whether each step of what is drawn in the plain look at this level
 * costs an attribute (bytes at every step: curses returns to the plain
 * pair, without attributes, after every refresh). */
bool shade_plain_costs(enum dark_level level, enum shade_depth d);

/* The look a text takes on the dark screen at a level. */
enum palette_look shade_darkened(enum palette_look look, enum dark_level level);

/* Whether a look is read as text (the calendar's levels, the progress
 * track and the dark screen's steps are not held to the contrast rule). */
bool shade_is_text(enum palette_look look);

/* The colour xterm shows for a shade in its default palette: the 16
 * system colours, the 6x6x6 cube, the grey ramp; bold brightens the first
 * eight (xterm's boldColors) and faint takes two thirds of each channel.
 * SHADE_MONO's -1 is the foreground given (fg). */
struct shade_rgb shade_xterm_rgb(struct shade s, struct shade_rgb fg);

/* WCAG 2 relative luminance (0 black .. 1 white) and contrast ratio
 * (1 .. 21; 4.5 is the least for text, level AA). */
double shade_luminance(struct shade_rgb c);
double shade_contrast(struct shade_rgb a, struct shade_rgb b);

#endif
