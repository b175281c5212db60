/* SPDX-License-Identifier: ISC */
/* The night palette: every colour lull's screens use, decided in one table
 * (core/shade.h), applied here. Soft greys and blues on a black background
 * that lull paints itself, nothing bright; with NO_COLOR, the colour
 * setting off, or a terminal without colours, the same looks in plain
 * attributes (dim, bold) on the terminal's own colours. Needs curses
 * running. */
#ifndef LULL_PALETTE_H
#define LULL_PALETTE_H

#include <stdbool.h>

#include "shade.h"

/* NO_COLOR (https://no-color.org) is set to something: the one reader. */
bool palette_no_color(void);

/* Sets the looks up for the screen curses has open: colour when want is
 * true, NO_COLOR is unset and the terminal has colours. Returns whether
 * colour is in use. Call again after tty_open() for a new screen. The
 * plain look is as at DARK_NONE. */
bool palette_init(bool want);

/* The plain look as the dark screen's level has it (shade_plain): the
 * terminal's default pair takes its colour, so that the bar costs no
 * colour change per step; a change of level redraws what is on the screen
 * (curses repaints the cells of a pair that changed). */
void palette_dark(enum dark_level level);

/* Whether each step drawn in the plain look costs an attribute now. */
bool palette_plain_costs(void);

/* A look as curses' attr_set() takes it: the attribute and the pair. */
unsigned palette_attr(enum palette_look look);
short palette_pair(enum palette_look look);

#endif
