/* SPDX-License-Identifier: ISC */
#include "config.h"

#include "eyewords.h"

#include <string.h>

/* What a line says when it needs eyes: the bar and the screen, seeing,
 * looking, watching, reading and what is shown. Each inflection is its own
 * entry: matching is of whole words. */
static const char *const eye_words[] = {
	"bar", "bars", "screen", "screens", "display", "displayed",
	"see", "sees", "seeing", "seen",
	"look", "looks", "looking",
	"watch", "watches", "watching",
	"read", "reads", "reading",
	"shown", "glance", "visible",
};

static bool is_word_byte(unsigned char c)
{
	/* Letters and digits, and any byte of a UTF-8 sequence (a letter
	 * with an accent is part of the word it is in). */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The table's entry that text[0..n) is, or NULL. */
static const char *eye_word(const char *text, size_t n)
{
	for (size_t i = 0; i < sizeof eye_words / sizeof eye_words[0]; i++) {
		const char *w = eye_words[i];
		if (strlen(w) != n)
			continue;
		size_t k = 0;
		while (k < n && lower(text[k]) == w[k])
			k++;
		if (k == n)
			return w;
	}
	return NULL;
}

bool eyewords_next(const char *text, size_t from, struct eyeword *hit)
{
	size_t n = strlen(text), i = from < n ? from : n;
	/* Start at a word's beginning: from may be inside one. */
	while (i > 0 && i < n && is_word_byte((unsigned char)text[i - 1]) && is_word_byte((unsigned char)text[i]))
		i++;
	while (i < n) {
		if (!is_word_byte((unsigned char)text[i])) {
			i++;
			continue;
		}
		size_t b = i;
		while (i < n && is_word_byte((unsigned char)text[i]))
			i++;
		const char *w = eye_word(text + b, i - b);
		if (w) {
			*hit = (struct eyeword){ .off = b, .len = i - b, .word = w };
			return true;
		}
	}
	return false;
}

/* The source column of byte off of a step's text: its opening quote is at
 * s->col, and a '"' or '\' in the text was written as two characters (\"
 * and \\, the format's only escapes). */
static unsigned source_col(const struct step *s, const char *text, size_t off)
{
	unsigned col = s->col + 1;
	for (size_t i = 0; i < off; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c & 0xC0) != 0x80)
			col++;
		if (c == '"' || c == '\\')
			col++;
	}
	return col;
}

size_t eyewords_in_program(const struct program *p, struct eyeword_at *out, size_t max)
{
	size_t n = 0;
	for (size_t k = 0; k < p->nsteps; k++) {
		const struct step *s = &p->steps[k];
		const char *text = s->kind == STEP_GUIDE ? s->u.guide.text : s->kind == STEP_SAY ? s->u.say : NULL;
		if (!text)
			continue;
		struct eyeword hit;
		for (size_t from = 0; eyewords_next(text, from, &hit); from = hit.off + hit.len) {
			if (n < max)
				out[n] = (struct eyeword_at){ .step = k, .line = s->line,
							      .col = source_col(s, text, hit.off), .word = hit.word };
			n++;
		}
	}
	return n;
}
