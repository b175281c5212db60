/* SPDX-License-Identifier: ISC */
/* Words that ask for eyes: a spoken line that says "follow the bar" or
 * "look at the screen" leaves a listener with closed eyes behind, and lull
 * is for a night followed with them closed. `lull check` warns on each
 * (lull-session(5), SPOKEN LINES). Pure: no I/O, no globals. */
#ifndef LULL_EYEWORDS_H
#define LULL_EYEWORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "program.h"

/* One eye-word in a text: where (bytes into the text) and which entry of
 * the table (lower case, ASCII: safe to print). */
struct eyeword {
	size_t off, len;
	const char *word;
};

/* The first eye-word in text at or after byte from, matched as a whole word
 * ("bar", not "barely"; "look", not "overlook"), in any case. False when
 * there is none. */
bool eyewords_next(const char *text, size_t from, struct eyeword *hit);

/* An eye-word in a program's spoken lines (its guide and say steps), with
 * its place in the source. */
struct eyeword_at {
	size_t step;
	unsigned line, col; /* of the word itself, as parse errors count them */
	const char *word;
};

/* Up to max of the program's eye-words, in order; returns how many there
 * are in all. */
size_t eyewords_in_program(const struct program *p, struct eyeword_at *out, size_t max);

#endif
