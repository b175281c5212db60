/* SPDX-License-Identifier: ISC */
/* The night palette's decisions: see shade.h. */
#include "config.h"

#include <math.h>

#include "shade.h"

/* The eight system colours' numbers, as curses' COLOR_* (ECMA-48). */
enum { BLACK, RED, GREEN, YELLOW, BLUE, MAGENTA, CYAN, WHITE, BRIGHT_BLACK };

#define B SHADE_BOLD
#define D SHADE_DIM

struct look_def {
	struct shade c256, c16, c8;
	unsigned mono;
};

/* One row a look. On black: every text look reads at 4.5:1 or more on
 * each depth (tests/unit/test_shade.c). 256 colours: soft greys and blues.
 * 16: the bright black (grey) of the second eight. 8 colours have no grey
 * but white: faint white (xterm: #999999), and bold black, which xterm and
 * the Linux console show as the bright black. */
static const struct look_def looks[LOOK_COUNT] = {
	[LOOK_PLAIN] = { { 252, 0 }, { WHITE, 0 }, { WHITE, 0 }, 0 },
	[LOOK_TEXT] = { { 250, 0 }, { WHITE, 0 }, { WHITE, 0 }, 0 },
	[LOOK_DIM] = { { 245, 0 }, { WHITE, D }, { WHITE, D }, D },
	[LOOK_WORD] = { { 110, 0 }, { CYAN, 0 }, { CYAN, 0 }, 0 },
	[LOOK_ACCENT] = { { 110, B }, { CYAN, B }, { CYAN, B }, B },
	[LOOK_TITLE] = { { 146, B }, { WHITE, B }, { WHITE, B }, B },
	[LOOK_TRACK] = { { 237, 0 }, { BRIGHT_BLACK, 0 }, { BLUE, D }, D },
	[LOOK_NEXT] = { { 243, 0 }, { WHITE, D }, { WHITE, D }, D },
	[LOOK_HEAT0] = { { 238, 0 }, { BRIGHT_BLACK, 0 }, { BLUE, D }, D },
	[LOOK_HEAT1] = { { 24, 0 }, { BLUE, 0 }, { BLUE, 0 }, 0 },
	[LOOK_HEAT2] = { { 31, 0 }, { BLUE, 0 }, { BLUE, 0 }, 0 },
	[LOOK_HEAT3] = { { 68, 0 }, { CYAN, B }, { CYAN, B }, 0 },
	[LOOK_HEAT4] = { { 110, 0 }, { CYAN, B }, { CYAN, B }, B },
	/* Greys down to near black: #808080, #585858, #262626; on 16 and 8
	 * colours #999999, #7f7f7f, #545454 in xterm. Never a blue: a dimmed
	 * blue is a saturated one. */
	[LOOK_DUSK] = { { 244, 0 }, { WHITE, D }, { WHITE, D }, D },
	[LOOK_NIGHT] = { { 240, 0 }, { BRIGHT_BLACK, 0 }, { BLACK, B }, D },
	[LOOK_EMBER] = { { 235, 0 }, { BRIGHT_BLACK, D }, { BLACK, B | D }, D },
};

enum shade_depth shade_depth_of(bool color, int colors)
{
	if (!color || colors < 8)
		return SHADE_MONO;
	return colors >= 256 ? SHADE_256 : colors >= 16 ? SHADE_16 : SHADE_8;
}

struct shade shade_look(enum palette_look look, enum shade_depth d)
{
	if (look < 0 || look >= LOOK_COUNT)
		look = LOOK_PLAIN;
	const struct look_def *l = &looks[look];
	switch (d) {
	case SHADE_256:
		return l->c256;
	case SHADE_16:
		return l->c16;
	case SHADE_8:
		return l->c8;
	default:
		return (struct shade){ -1, l->mono };
	}
}

/* The bar's steps: the plain look, then the dark screen's own. */
static const enum palette_look plain_at[] = {
	[DARK_NONE] = LOOK_PLAIN, [DARK_DIM] = LOOK_DUSK, [DARK_DIMMER] = LOOK_NIGHT,
	[DARK_BAR] = LOOK_EMBER, [DARK_BLACK] = LOOK_EMBER,
};

struct shade shade_plain(enum dark_level level, enum shade_depth d)
{
	if (level < DARK_NONE)
		level = DARK_NONE;
	if (level > DARK_BLACK)
		level = DARK_BLACK;
	return shade_look(plain_at[level], d);
}

bool shade_plain_costs(enum dark_level level, enum shade_depth d)
{
	return shade_plain(level, d).attrs != 0;
}

enum palette_look shade_darkened(enum palette_look look, enum dark_level level)
{
	return level <= DARK_NONE ? look : level == DARK_DIM ? LOOK_DUSK : LOOK_NIGHT;
}

bool shade_is_text(enum palette_look look)
{
	return look < LOOK_COUNT && look != LOOK_TRACK && (look < LOOK_HEAT0 || look > LOOK_HEAT4) &&
	       look != LOOK_DUSK && look != LOOK_NIGHT && look != LOOK_EMBER;
}

/* xterm's default sixteen (XTerm-col.ad / its built-in defaults). */
static const struct shade_rgb system16[16] = {
	{ 0x00, 0x00, 0x00 }, { 0xcd, 0x00, 0x00 }, { 0x00, 0xcd, 0x00 }, { 0xcd, 0xcd, 0x00 },
	{ 0x00, 0x00, 0xee }, { 0xcd, 0x00, 0xcd }, { 0x00, 0xcd, 0xcd }, { 0xe5, 0xe5, 0xe5 },
	{ 0x7f, 0x7f, 0x7f }, { 0xff, 0x00, 0x00 }, { 0x00, 0xff, 0x00 }, { 0xff, 0xff, 0x00 },
	{ 0x5c, 0x5c, 0xff }, { 0xff, 0x00, 0xff }, { 0x00, 0xff, 0xff }, { 0xff, 0xff, 0xff },
};

static unsigned char cube(int v)
{
	return (unsigned char)(v ? 55 + 40 * v : 0);
}

/* Two thirds, as xterm takes them of a 16-bit channel (#e5 faint: #99). */
static unsigned char faint(unsigned char v)
{
	return (unsigned char)((v * 257 * 2 / 3) >> 8);
}

struct shade_rgb shade_xterm_rgb(struct shade s, struct shade_rgb fg)
{
	struct shade_rgb c = fg;
	int i = s.fg;
	if (i >= 0 && i < 8 && (s.attrs & SHADE_BOLD))
		i += 8;
	if (i >= 0 && i < 16) {
		c = system16[i];
	} else if (i >= 16 && i < 232) {
		i -= 16;
		c = (struct shade_rgb){ cube(i / 36), cube(i / 6 % 6), cube(i % 6) };
	} else if (i >= 232 && i < 256) {
		unsigned char g = (unsigned char)(8 + 10 * (i - 232));
		c = (struct shade_rgb){ g, g, g };
	}
	if (s.attrs & SHADE_DIM)
		c = (struct shade_rgb){ faint(c.r), faint(c.g), faint(c.b) };
	return c;
}

static double linear(unsigned char v)
{
	double s = v / 255.0;
	return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
}

double shade_luminance(struct shade_rgb c)
{
	return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

double shade_contrast(struct shade_rgb a, struct shade_rgb b)
{
	double la = shade_luminance(a), lb = shade_luminance(b);
	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}
