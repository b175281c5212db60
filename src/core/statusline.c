/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "statusline.h"

/* Appends s to out at *used, keeping the terminator in bounds. */
static void add(char *out, size_t size, size_t *used, const char *s, size_t n)
{
	if (*used + 1 >= size)
		return;
	size_t room = size - 1 - *used;
	if (n > room)
		n = room;
	memcpy(out + *used, s, n);
	*used += n;
	out[*used] = '\0';
}

bool status_format(const char *fmt, const struct status_facts *f, char *out, size_t size, size_t *bad)
{
	size_t used = 0;
	if (size)
		out[0] = '\0';
	for (size_t i = 0; fmt[i]; i++) {
		if (fmt[i] != '%') {
			add(out, size, &used, fmt + i, 1);
			continue;
		}
		char b[16];
		const char *piece = b;
		switch (fmt[i + 1]) {
		case 'n':
			if (f->reminder && f->reminder_now)
				piece = "now";
			else if (f->reminder && f->reminder_min >= 0 && f->reminder_min < 24 * 60)
				snprintf(b, sizeof b, "%02d:%02d", f->reminder_min / 60, f->reminder_min % 60);
			else
				piece = "none";
			break;
		case 't':
			piece = f->done_tonight ? "done" : "not yet";
			break;
		case 'T':
			piece = f->done_tonight ? "done" : "";
			break;
		case 'w':
			snprintf(b, sizeof b, "%d", f->week_days);
			break;
		case 'g':
			snprintf(b, sizeof b, "%d", f->week_goal);
			break;
		case '%':
			piece = "%";
			break;
		default:
			if (bad)
				*bad = i;
			return false;
		}
		add(out, size, &used, piece, strlen(piece));
		i++;
	}
	return true;
}
