/* SPDX-License-Identifier: ISC */
/* The night palette: the decisions of core/shade.c, through curses. */
#include "config.h"

#include <curses.h>
#include <stdlib.h>

#include "palette.h"

static attr_t attr_of[LOOK_COUNT];
static short pair_of[LOOK_COUNT];
static enum shade_depth depth = SHADE_MONO;
static struct shade plain; /* the default pair's, as curses has it now */

bool palette_no_color(void)
{
	const char *nc = getenv("NO_COLOR");
	return nc && nc[0];
}

static attr_t attrs(struct shade s)
{
	return (s.attrs & SHADE_BOLD ? A_BOLD : A_NORMAL) | (s.attrs & SHADE_DIM ? A_DIM : A_NORMAL);
}

/* The default pair: the plain look on lull's own background. */
static void set_plain(struct shade s)
{
	plain = s;
	attr_of[LOOK_PLAIN] = attrs(s);
	if (depth != SHADE_MONO)
		assume_default_colors(s.fg, SHADE_BACKGROUND);
}

bool palette_init(bool want)
{
	bool color = want && !palette_no_color() && has_colors() && start_color() == OK;
	depth = shade_depth_of(color, color ? COLORS : 0);
	for (int i = 0; i < LOOK_COUNT; i++) {
		struct shade s = shade_look((enum palette_look)i, depth);
		pair_of[i] = 0;
		attr_of[i] = attrs(s);
		if (depth == SHADE_MONO || i == LOOK_PLAIN)
			continue;
		/* Pairs are numbered after the looks, 1 up: the plain look
		 * keeps pair 0, the default pair. */
		init_pair((short)i, s.fg, SHADE_BACKGROUND);
		pair_of[i] = (short)i;
	}
	set_plain(shade_plain(DARK_NONE, depth));
	return depth != SHADE_MONO;
}

void palette_dark(enum dark_level level)
{
	struct shade s = shade_plain(level, depth);
	if (s.fg != plain.fg || s.attrs != plain.attrs)
		set_plain(s);
}

bool palette_plain_costs(void)
{
	return plain.attrs != 0;
}

unsigned palette_attr(enum palette_look look)
{
	return (unsigned)attr_of[look];
}

short palette_pair(enum palette_look look)
{
	return pair_of[look];
}
