/* SPDX-License-Identifier: ISC */
/* The session screen, drawn with curses from a timeline state. The screen
 * never decides timing: it draws what it is given, and tells the loop how
 * wide its bars are (so the timeline can say when they next change).
 *
 * Every frame is composed row by row; a row whose content is the same as last
 * time is not touched at all, and curses' own diffing sends only the cells
 * that changed within a touched row. Nothing is cleared per frame.
 *
 * The dark screen (dark.h) is the same layout with less drawn: at each step
 * the rows that go are left blank where they were, so that what stays (the
 * bar above all) does not move. */
#ifndef LULL_SCREEN_H
#define LULL_SCREEN_H

#include <stdbool.h>

#include "text.h"
#include "timeline.h"

struct screen;

struct screen_opts {
	bool color;        /* night palette; false (or NO_COLOR, or a monochrome terminal): none */
	bool utf8;         /* block characters and box lines; false: ASCII */
	bool eighths;      /* the bar in eighths of a cell; false: whole cells */
	const char *title; /* shown dim at the top */
};

/* Needs curses running. */
struct screen *screen_new(const struct screen_opts *o);
void screen_free(struct screen *s);

/* After a resize (or anything that spoiled the terminal): lay out again
 * from LINES and COLS and repaint everything once. */
void screen_resized(struct screen *s);

/* Bar widths and rates for the current layout. */
void screen_view(const struct screen *s, struct tl_view *v);

struct screen_info {
	bool paused;
	bool help;           /* the help box is open */
	const char *status;  /* one status line (sound, SSH), or NULL */
	const char *safety;  /* the first-use safety note, or NULL */
	int dark;            /* enum dark_level (dark.h): how far the screen has dimmed */
};

void screen_draw(struct screen *s, const struct tl_state *st, const struct screen_info *info);

/* The text drawn when the terminal is below 20x6. */
#define SCREEN_TOO_SMALL "Please make the terminal larger"
#define SCREEN_MIN_COLS 20
#define SCREEN_MIN_ROWS 6

/* Whether a cols x rows terminal is at least the smallest size every view
 * draws in; below it, the request for a larger one. */
static inline bool screen_fits(int cols, int rows)
{
	return cols >= SCREEN_MIN_COLS && rows >= SCREEN_MIN_ROWS;
}

/* The request for a larger terminal in as many lines of cols columns as
 * rows allows, in the longest words that fit whole (SCREEN_TOO_SMALL
 * first): the lines into out, their count returned (0: not even "+"). */
int screen_too_small_lines(int cols, int rows, char (*out)[TEXT_LINE_MAX]);

/* The same, drawn centred on curses' screen, for the views that draw
 * through tty_put (the menu, the stats screen, the check-in). */
void screen_too_small_put(void);

/* The most bar steps a second at any size: smooth to the eye, cheap on a link. */
#define SCREEN_BAR_RATE 32
/* Changes due within this long of each other (a second's tick and a bar
 * step a millisecond apart) are drawn in one frame, at the last of them: one
 * wake-up and one write, and none of them shown later than this. */
#define SCREEN_COALESCE_US 3000
/* The near-black bar of the dark screen moves in fewer steps: the eye in
 * the dark needs no smooth bar. So does a bar whose dimmed look is an
 * attribute (8 and 16 colours, no colour): each step of it costs some
 * twenty bytes, and so stays within the bright screen's bytes. */
#define SCREEN_DARK_BAR_RATE 4

#endif
