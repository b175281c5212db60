/* SPDX-License-Identifier: ISC */
/* The night palette. */
#include "config.h"

#include <curses.h>
#include <stdlib.h>

#include "palette.h"

struct look_def {
	short fg256, fg8;       /* foregrounds on 256- and 8-colour terminals (-1: default) */
	attr_t attr256, attr8;  /* with them (8 colours lack the greys: dim stands in) */
	attr_t mono;            /* without colour */
};

static const struct look_def looks[LOOK_COUNT] = {
	[LOOK_PLAIN] = { -1, -1, A_NORMAL, A_NORMAL, A_NORMAL },
	[LOOK_TEXT] = { 250, COLOR_WHITE, A_NORMAL, A_NORMAL, A_NORMAL },
	[LOOK_DIM] = { 243, COLOR_WHITE, A_NORMAL, A_DIM, A_DIM },
	[LOOK_WORD] = { 110, COLOR_CYAN, A_NORMAL, A_NORMAL, A_NORMAL },
	[LOOK_ACCENT] = { 110, COLOR_CYAN, A_BOLD, A_BOLD, A_BOLD },
	[LOOK_TITLE] = { 146, COLOR_WHITE, A_BOLD, A_BOLD, A_BOLD },
	[LOOK_TRACK] = { 237, COLOR_BLUE, A_NORMAL, A_DIM, A_DIM },
	[LOOK_NEXT] = { 241, COLOR_WHITE, A_NORMAL, A_DIM, A_DIM },
	[LOOK_HEAT0] = { 238, COLOR_BLUE, A_NORMAL, A_DIM, A_DIM },
	[LOOK_HEAT1] = { 24, COLOR_BLUE, A_NORMAL, A_NORMAL, A_NORMAL },
	[LOOK_HEAT2] = { 31, COLOR_BLUE, A_NORMAL, A_NORMAL, A_NORMAL },
	[LOOK_HEAT3] = { 68, COLOR_CYAN, A_NORMAL, A_BOLD, A_NORMAL },
	[LOOK_HEAT4] = { 110, COLOR_CYAN, A_NORMAL, A_BOLD, A_BOLD },
	/* Greys down to near black (#808080, #585858, #262626). Eight
	 * colours have no greys: dim white, then dim blue. */
	[LOOK_DUSK] = { 244, COLOR_WHITE, A_NORMAL, A_DIM, A_DIM },
	[LOOK_NIGHT] = { 240, COLOR_BLUE, A_NORMAL, A_DIM, A_DIM },
	[LOOK_EMBER] = { 235, COLOR_BLUE, A_NORMAL, A_DIM, A_DIM },
};

static attr_t attr_of[LOOK_COUNT];
static short pair_of[LOOK_COUNT];

bool palette_no_color(void)
{
	const char *nc = getenv("NO_COLOR");
	return nc && nc[0];
}

bool palette_init(bool want)
{
	bool color = want && !palette_no_color() && has_colors() && start_color() == OK;
	if (color)
		use_default_colors();
	bool rich = color && COLORS >= 256;
	for (int i = 0; i < LOOK_COUNT; i++) {
		pair_of[i] = 0;
		attr_of[i] = looks[i].mono;
		if (!color || looks[i].fg256 < 0)
			continue;
		/* Pairs are numbered after the looks, 1 up: the plain look keeps
		 * pair 0, the terminal's own colours. */
		init_pair((short)i, rich ? looks[i].fg256 : looks[i].fg8, -1);
		pair_of[i] = (short)i;
		attr_of[i] = rich ? looks[i].attr256 : looks[i].attr8;
	}
	return color;
}

unsigned palette_attr(enum palette_look look)
{
	return (unsigned)attr_of[look];
}

short palette_pair(enum palette_look look)
{
	return pair_of[look];
}
