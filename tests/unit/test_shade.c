/* SPDX-License-Identifier: ISC */
/* The night palette's decisions: WCAG's contrast from RGB; xterm's colours
 * (the cube, the greys, bold and faint as xterm shows them, measured under
 * Xvfb); every text look readable on the black lull draws on, at each
 * depth; the dark screen's plain look (the bar) dimmer at every step from
 * the first, grey all the way down, never blue; which steps cost an
 * attribute. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "shade.h"

static const struct shade_rgb black = { 0, 0, 0 }, white = { 255, 255, 255 };
static const enum shade_depth depths[] = { SHADE_8, SHADE_16, SHADE_256 };

static void wcag_contrast(void **state)
{
	assert_float_equal(shade_luminance(black), 0.0, 1e-9);
	assert_float_equal(shade_luminance(white), 1.0, 1e-9);
	assert_float_equal(shade_contrast(black, white), 21.0, 1e-9);
	assert_float_equal(shade_contrast(white, black), 21.0, 1e-9);
	/* #767676 on white: 4.54, the well-known least grey for AA. */
	struct shade_rgb g = { 0x76, 0x76, 0x76 };
	assert_float_equal(shade_contrast(g, white), 4.54, 0.01);
	/* Below the sRGB knee, linear. */
	struct shade_rgb d = { 10, 10, 10 };
	assert_float_equal(shade_luminance(d), 10 / 255.0 / 12.92, 1e-9);
}

static void rgb_eq(struct shade_rgb c, unsigned r, unsigned g, unsigned b)
{
	if (c.r != r || c.g != g || c.b != b)
		fail_msg("#%02x%02x%02x, not #%02x%02x%02x", c.r, c.g, c.b, r, g, b);
}

/* As xterm showed them under Xvfb (tests/xterm-colours.sh grabs them). */
static void xterm_colours(void **state)
{
	rgb_eq(shade_xterm_rgb((struct shade){ 235, 0 }, white), 0x26, 0x26, 0x26);
	rgb_eq(shade_xterm_rgb((struct shade){ 240, 0 }, white), 0x58, 0x58, 0x58);
	rgb_eq(shade_xterm_rgb((struct shade){ 244, 0 }, white), 0x80, 0x80, 0x80);
	rgb_eq(shade_xterm_rgb((struct shade){ 146, 0 }, white), 0xaf, 0xaf, 0xd7);
	rgb_eq(shade_xterm_rgb((struct shade){ 7, 0 }, white), 0xe5, 0xe5, 0xe5);
	rgb_eq(shade_xterm_rgb((struct shade){ 7, SHADE_DIM }, white), 0x99, 0x99, 0x99);
	rgb_eq(shade_xterm_rgb((struct shade){ 0, SHADE_BOLD }, white), 0x7f, 0x7f, 0x7f);
	rgb_eq(shade_xterm_rgb((struct shade){ 0, SHADE_BOLD | SHADE_DIM }, white), 0x54, 0x54, 0x54);
	rgb_eq(shade_xterm_rgb((struct shade){ 7, SHADE_BOLD | SHADE_DIM }, white), 0xaa, 0xaa, 0xaa);
	rgb_eq(shade_xterm_rgb((struct shade){ 4, SHADE_DIM }, white), 0x00, 0x00, 0x9f);
	/* No colour: the foreground given. */
	rgb_eq(shade_xterm_rgb((struct shade){ -1, 0 }, white), 255, 255, 255);
}

static struct shade_rgb on_xterm(struct shade s)
{
	return shade_xterm_rgb(s, white);
}

/* WCAG AA for every text look, on the background lull paints. */
static void text_reads_on_black(void **state)
{
	for (size_t d = 0; d < sizeof depths / sizeof depths[0]; d++)
		for (int l = 0; l < LOOK_COUNT; l++) {
			if (!shade_is_text((enum palette_look)l))
				continue;
			double c = shade_contrast(on_xterm(shade_look((enum palette_look)l, depths[d])), black);
			if (c < 4.5)
				fail_msg("look %d at depth %d: %.2f:1 on black", l, (int)depths[d], c);
		}
	/* Those were the looks read as text (the plain one among them). */
	assert_true(shade_is_text(LOOK_PLAIN) && shade_is_text(LOOK_DIM) && shade_is_text(LOOK_TITLE));
	assert_false(shade_is_text(LOOK_EMBER) || shade_is_text(LOOK_TRACK) || shade_is_text(LOOK_HEAT0));
}

static bool grey(struct shade_rgb c)
{
	return c.r == c.g && c.g == c.b;
}

/* The bar dims with the first step, and again at each, down to a
 * near-black that is still there; grey on every depth (a dim blue on 8
 * colours was a saturated blue). Black keeps the last. */
static void the_bar_dims_from_the_first_step(void **state)
{
	for (size_t d = 0; d < sizeof depths / sizeof depths[0]; d++) {
		double last = 2;
		for (int level = DARK_NONE; level <= DARK_BAR; level++) {
			struct shade_rgb c = on_xterm(shade_plain((enum dark_level)level, depths[d]));
			double lum = shade_luminance(c);
			if (!(lum < last))
				fail_msg("depth %d: the bar at level %d (%.3f) is no dimmer than before (%.3f)",
					 (int)depths[d], level, lum, last);
			if (!grey(c))
				fail_msg("depth %d level %d: #%02x%02x%02x is not grey", (int)depths[d], level, c.r,
					 c.g, c.b);
			last = lum;
		}
		struct shade_rgb ember = on_xterm(shade_plain(DARK_BAR, depths[d]));
		double c = shade_contrast(ember, black);
		assert_true(c > 1.2 && c < 3.5); /* seen, and near black */
		struct shade b = shade_plain(DARK_BLACK, depths[d]), e = shade_plain(DARK_BAR, depths[d]);
		assert_true(b.fg == e.fg && b.attrs == e.attrs);
	}
	/* The bar's look at each step is the dark text's, then the ember. */
	assert_int_equal(shade_darkened(LOOK_WORD, DARK_NONE), LOOK_WORD);
	assert_int_equal(shade_darkened(LOOK_WORD, DARK_DIM), LOOK_DUSK);
	assert_int_equal(shade_darkened(LOOK_TEXT, DARK_DIMMER), LOOK_NIGHT);
	struct shade dusk = shade_plain(DARK_DIM, SHADE_256), t = shade_look(LOOK_DUSK, SHADE_256);
	assert_true(dusk.fg == t.fg && dusk.attrs == t.attrs);
}

/* 256 colours dim the bar by its colour alone: no step costs an
 * attribute. Fewer colours need faint or bold for it; no colour, dim. */
static void which_steps_cost(void **state)
{
	for (int level = DARK_NONE; level <= DARK_BLACK; level++)
		assert_false(shade_plain_costs((enum dark_level)level, SHADE_256));
	assert_false(shade_plain_costs(DARK_NONE, SHADE_8));
	assert_true(shade_plain_costs(DARK_DIM, SHADE_8));
	assert_true(shade_plain_costs(DARK_BAR, SHADE_8));
	assert_false(shade_plain_costs(DARK_DIMMER, SHADE_16));
	assert_false(shade_plain_costs(DARK_NONE, SHADE_MONO));
	assert_true(shade_plain_costs(DARK_DIM, SHADE_MONO));
	assert_int_equal(shade_plain(DARK_NONE, SHADE_MONO).fg, -1);
}

static void depth_of_a_terminal(void **state)
{
	assert_int_equal(shade_depth_of(false, 256), SHADE_MONO);
	assert_int_equal(shade_depth_of(true, 0), SHADE_MONO);
	assert_int_equal(shade_depth_of(true, 2), SHADE_MONO);
	assert_int_equal(shade_depth_of(true, 8), SHADE_8);
	assert_int_equal(shade_depth_of(true, 16), SHADE_16);
	assert_int_equal(shade_depth_of(true, 88), SHADE_16);
	assert_int_equal(shade_depth_of(true, 256), SHADE_256);
	assert_int_equal(shade_depth_of(true, 1 << 24), SHADE_256);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wcag_contrast),
		cmocka_unit_test(xterm_colours),
		cmocka_unit_test(text_reads_on_black),
		cmocka_unit_test(the_bar_dims_from_the_first_step),
		cmocka_unit_test(which_steps_cost),
		cmocka_unit_test(depth_of_a_terminal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
