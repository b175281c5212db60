/* SPDX-License-Identifier: ISC */
/* Where a scrolled list starts: a list of rows, some of them the names of
 * groups, shown in a window of a few rows with one row chosen. Scrolled
 * into a group, the group's name stands pinned on the window's first row
 * (what a row is listed under is half of why it is there). Pure: the menu
 * asks it on every draw, with the size of now. */
#ifndef LULL_LISTSCROLL_H
#define LULL_LISTSCROLL_H

#include <stdbool.h>
#include <stddef.h>

/* The first row to show of n rows (header[i]: row i names a group) in a
 * window of rows rows, so that row sel is seen, moving as little as it can
 * from top (where it started before); and never leaving blank rows under
 * the list's end that rows above could fill (a window grown from 12 rows
 * to 60 kept its top: 45 blank rows under half a list). *pinned (may be
 * NULL): the first row of the window is the group name of the row
 * returned, which is not a header itself. */
size_t listscroll_top(const bool *header, size_t n, size_t sel, size_t top, size_t rows, bool *pinned);

#endif
