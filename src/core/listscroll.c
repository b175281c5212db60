/* SPDX-License-Identifier: ISC */
#include "config.h"

#include "listscroll.h"

/* Rows of the list a window starting at a shows: one fewer where the
 * group's name is pinned above a row that is not a header. */
static size_t shown(const bool *header, size_t a, size_t rows)
{
	return header[a] || rows < 2 ? rows : rows - 1;
}

size_t listscroll_top(const bool *header, size_t n, size_t sel, size_t top, size_t rows, bool *pinned)
{
	if (pinned)
		*pinned = false;
	if (n == 0)
		return 0;
	if (sel >= n)
		sel = n - 1;
	if (top >= n)
		top = n - 1;
	if (rows == 0)
		return top; /* nothing shows: where it was */
	/* The chosen row in view, moved to the nearer edge. */
	if (sel < top)
		top = sel;
	if (sel >= top + shown(header, top, rows)) {
		top = sel + 1 - rows;
		if (sel >= top + shown(header, top, rows))
			top++; /* one row for the pinned name */
	}
	/* Blank rows under the end (a window grown, a list shortened): back up
	 * while the chosen row stays in view. */
	while (top > 0 && top + shown(header, top, rows) > n && sel < top - 1 + shown(header, top - 1, rows))
		top--;
	/* A group's name right above stands there itself, not pinned: the
	 * same rows either way. */
	if (top > 0 && rows > 1 && !header[top] && header[top - 1])
		top--;
	if (pinned)
		*pinned = rows > 1 && !header[top];
	return top;
}
