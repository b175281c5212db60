/* SPDX-License-Identifier: ISC */
/* The safety page's layout. Pure: no I/O. See safetypage.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safetypage.h"
#include "text.h"
#include "util.h"

#define MAX_WRAPPED 64 /* lines of one block: far more than any screen */

struct block {
	enum safety_look look;
	bool centred;
	char lines[MAX_WRAPPED][SAFETY_LINE_MAX];
	int n;
};

static void add_line(const char *start, size_t bytes, void *ctx)
{
	struct block *b = ctx;
	if (b->n < MAX_WRAPPED) {
		size_t k = bytes < SAFETY_LINE_MAX - 1 ? bytes : SAFETY_LINE_MAX - 1;
		memcpy(b->lines[b->n], start, k);
		b->lines[b->n][k] = '\0';
		b->n++;
	}
}

const char *safety_general_note(const char *program_note)
{
	return program_note && strstr(program_note, "health professional") ? SAFETY_NOTE_SHORT : SAFETY_NOTE;
}

static void wrap(struct block *b, const char *text, int width, enum safety_look look, bool centred)
{
	b->look = look;
	b->centred = centred;
	b->n = 0;
	if (text && *text)
		text_wrap(text, width > 0 ? (size_t)width : 1, add_line, b);
}

/* Marks the last kept line of a block that was cut. */
static void mark_cut(char *line, int width)
{
	size_t cols = text_width(line);
	while (cols + 3 > (size_t)width && *line) {
		size_t keep = text_prefix(line, cols - 1);
		line[keep] = '\0';
		cols = text_width(line);
	}
	if (strlen(line) + 4 <= SAFETY_LINE_MAX)
		strcat(line, "...");
}

/* Rows the kept blocks take, with or without a blank line between them. */
static int height(struct block *const *order, const bool *keep, int nblocks, bool gaps)
{
	int need = 0, nb = 0;
	for (int i = 0; i < nblocks; i++)
		if (keep[i] && order[i]->n) {
			need += order[i]->n;
			nb++;
		}
	return need + (gaps && nb > 1 ? nb - 1 : 0);
}

static void put_line(struct safety_line *l, int row, int col0, int cols, const struct block *b, int k)
{
	l->row = row;
	l->look = b->look;
	str_copy(l->text, b->lines[k], sizeof l->text);
	l->col = b->centred ? (cols - (int)text_width(l->text)) / 2 : col0;
	if (l->col < 0)
		l->col = 0;
}

int safety_page_layout(const struct safety_page *page, int rows, int cols, struct safety_line *out,
		       int max, bool *cut)
{
	*cut = false;
	if (rows < 1 || cols < 1 || max < 1)
		return 0;
	int width = cols - 4 < SAFETY_TEXT_COLS ? cols - 4 : SAFETY_TEXT_COLS;
	if (width < 8)
		width = cols > 1 ? cols - 1 : 1;
	struct block *b = xcalloc(5, sizeof *b); /* title, heading, text, note, hint */
	struct block *title = &b[0], *heading = &b[1], *text = &b[2], *note = &b[3], *hint = &b[4];
	wrap(title, page->title, width, SAFETY_LOOK_TITLE, true);
	wrap(heading, page->heading, width, SAFETY_LOOK_HEADING, true);
	wrap(text, page->text, width, SAFETY_LOOK_TEXT, false);
	wrap(note, page->note, width, SAFETY_LOOK_NOTE, false);
	wrap(hint, page->hint, width, SAFETY_LOOK_HINT, true);
	if (hint->n >= rows)
		hint->n = rows > 1 ? 1 : 0; /* how to go on, its first line at least */

	/* Above the hint, after a blank row: the blocks in order. On a small
	 * screen the blank lines between them go first, then the title, the
	 * general note and the heading; the program's own note stays. */
	struct block *order[] = { title, heading, text, note };
	bool keep[] = { true, true, true, true };
	const int gives_way[] = { 0, 3, 1 }; /* indexes into order */
	int avail = rows - hint->n - (hint->n && rows - hint->n > 1 ? 1 : 0);
	bool gaps = true, fits = false;
	for (int level = 0; level <= 3 && !fits; level++) {
		if (level > 0)
			keep[gives_way[level - 1]] = false;
		if (height(order, keep, 4, true) <= avail)
			fits = true;
		else if (height(order, keep, 4, false) <= avail)
			fits = true, gaps = false;
	}
	if (!fits) {
		/* The note alone is taller than the screen: cut it, and say so. */
		gaps = false;
		text->n = avail > 0 ? avail : 0;
		if (text->n > 0)
			mark_cut(text->lines[text->n - 1], width);
		*cut = true;
	}

	int y = (avail - height(order, keep, 4, gaps)) / 2;
	if (y < 0)
		y = 0;
	int x0 = (cols - width) / 2, n = 0;
	for (int i = 0; i < 4; i++) {
		if (!keep[i] || !order[i]->n)
			continue;
		for (int k = 0; k < order[i]->n && n < max; k++)
			put_line(&out[n++], y++, x0, cols, order[i], k);
		if (gaps)
			y++;
	}
	for (int k = 0; k < hint->n && n < max; k++)
		put_line(&out[n++], rows - hint->n + k, x0, cols, hint, k);
	free(b);
	return n;
}
