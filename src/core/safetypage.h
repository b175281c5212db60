/* SPDX-License-Identifier: ISC */
/* The page a program's safety note stands on before its first step: what
 * goes on which row at a terminal's size. Pure: no curses, no I/O; the
 * session draws the lines with tty_put (safety.c).
 *
 * The note itself and the line saying how to go on always show; the title,
 * the heading, the general note and the blank lines between them give way,
 * in that order, on a small terminal. Only a note longer than the whole
 * screen is cut (its last line then ends in "..."). At 80x24 and at 40x12
 * every built-in program's note shows whole (tests/unit/test_safetypage.c). */
#ifndef LULL_SAFETYPAGE_H
#define LULL_SAFETYPAGE_H

#include <stdbool.h>
#include <stddef.h>

/* What the session's page says around the note. */
#define SAFETY_HEADING "Before you start"
#define SAFETY_HINT_WAIT "Any key to begin, q to leave"
#define SAFETY_HINT_BRIEF "Any key begins now"
/* The general note, shown once with the first program (session.c), and
 * the same without its last sentence. */
#define SAFETY_NOTE "lull is not medical advice. Move gently; stop anything that hurts. " \
	"Ask a health professional about pain that is new, severe or changing."
#define SAFETY_NOTE_SHORT "lull is not medical advice. Move gently; stop anything that hurts."
/* ... and what the voice says after the note, for closed eyes. */
#define SAFETY_SAY_WAIT "When you are ready, press any key to begin, or q to leave."

struct safety_page {
	const char *title;   /* the program's title, or NULL */
	const char *heading; /* "Before you start", or NULL */
	const char *text;    /* the program's safety note */
	const char *note;    /* the general note (lull is not medical advice), or NULL */
	const char *hint;    /* how to go on: "Any key to begin, q to leave" */
};

enum safety_look {
	SAFETY_LOOK_TITLE,   /* dim */
	SAFETY_LOOK_HEADING, /* bold */
	SAFETY_LOOK_TEXT,
	SAFETY_LOOK_NOTE,    /* dim */
	SAFETY_LOOK_HINT,    /* dim, on the last row */
};

#define SAFETY_LINE_MAX 320 /* bytes of one line, with its NUL */
#define SAFETY_TEXT_COLS 72 /* the widest a paragraph is set */

struct safety_line {
	int row, col;
	enum safety_look look;
	char text[SAFETY_LINE_MAX];
};

/* The general note to stand with a program's own (program_note, or NULL):
 * SAFETY_NOTE_SHORT when that already sends the person to a health
 * professional, so that the page does not say "Ask a health professional
 * ..." twice; else SAFETY_NOTE. */
const char *safety_general_note(const char *program_note);

/* Lays the page out on rows x cols (each at least 1) into at most max
 * lines; returns how many. *cut is set when the note did not fit whole. */
int safety_page_layout(const struct safety_page *page, int rows, int cols, struct safety_line *out,
		       int max, bool *cut);

#endif
