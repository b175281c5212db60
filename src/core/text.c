/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "text.h"
#include "util.h"

size_t utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	if (n == 0)
		return 0;
	unsigned char c = s[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2, v = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, v = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0; /* continuation byte, 0xC0/0xC1 (always overlong), > 0xF4 */
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

bool text_cp_forbidden(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	       cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

struct buf {
	char *p;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

char *text_escape(const char *s, size_t n, size_t maxchars)
{
	struct buf b = { NULL, 0, 0 };
	buf_add(&b, "", 0);
	size_t chars = 0;
	for (size_t i = 0; i < n;) {
		if (chars == maxchars) {
			buf_add(&b, "...", 3);
			break;
		}
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		char tmp[16];
		if (len == 0) {
			snprintf(tmp, sizeof tmp, "\\x%02X", (unsigned char)s[i]);
			buf_add(&b, tmp, strlen(tmp));
			len = 1;
		} else if (text_cp_forbidden(cp)) {
			snprintf(tmp, sizeof tmp, "\\u{%04X}", (unsigned)cp);
			buf_add(&b, tmp, strlen(tmp));
		} else {
			buf_add(&b, s + i, len);
		}
		i += len;
		chars++;
	}
	return b.p;
}

char *text_sanitize(const char *s)
{
	struct buf b = { NULL, 0, 0 };
	buf_add(&b, "", 0);
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0) {
			buf_add(&b, "\xEF\xBF\xBD", 3);
			len = 1;
		} else if (cp == '\t') {
			buf_add(&b, " ", 1);
		} else if (text_cp_forbidden(cp)) {
			buf_add(&b, "\xEF\xBF\xBD", 3);
		} else {
			buf_add(&b, s + i, len);
		}
		i += len;
	}
	return b.p;
}

size_t text_sanitize_into(char *dst, size_t size, const char *s)
{
	if (size == 0)
		return 0;
	char *safe = text_sanitize(s);
	size_t n = strlen(safe);
	if (n >= size) {
		/* Back to the first byte of the character that does not fit. */
		n = size - 1;
		while (n > 0 && ((unsigned char)safe[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, safe, n);
	dst[n] = '\0';
	free(safe);
	return n;
}

unsigned text_edit_distance(const char *a, const char *b)
{
	/* Optimal string alignment: insertions, deletions, substitutions and
	 * swaps of two neighbours ("sya" for "say") each cost one. */
	enum { MAX = 64 };
	size_t la = strlen(a), lb = strlen(b);
	if (la > MAX || lb > MAX)
		return 255;
	unsigned rows[3][MAX + 1];
	unsigned *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned best = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		unsigned *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb] > 255 ? 255 : prev[lb];
}

const char *text_did_you_mean(const char *word, const char *const *candidates)
{
	size_t len = strlen(word);
	/* One edit for short words, two from five letters, three from nine. */
	unsigned limit = len < 5 ? 1 : len < 9 ? 2 : 3;
	const char *best = NULL;
	unsigned best_d = limit + 1;
	for (size_t i = 0; candidates[i]; i++) {
		unsigned d = text_edit_distance(word, candidates[i]);
		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	return best;
}

/* The character a screen shows for the one at s (see text_widen), its
 * length in *len and its width in *cols. */
static wchar_t shown_char(const char *s, size_t n, size_t *len, int *cols)
{
	uint32_t cp;
	*len = utf8_decode(s, n, &cp);
	if (*len == 0) {
		*len = 1;
		cp = 0xFFFD;
	} else if (cp == '\t') {
		cp = ' ';
	} else if (text_cp_forbidden(cp)) {
		cp = 0xFFFD;
	}
	if (cp >= 0x80 && MB_CUR_MAX == 1)
		cp = '?'; /* the locale has no way to show it */
	int w = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
	*cols = w < 0 ? 1 : w;
	return (wchar_t)cp;
}

static int char_width(const char *s, size_t n, size_t *len)
{
	int cols;
	shown_char(s, n, len, &cols);
	return cols;
}

size_t text_width(const char *s)
{
	size_t n = strlen(s), w = 0;
	for (size_t i = 0; i < n;) {
		size_t len;
		w += (size_t)char_width(s + i, n - i, &len);
		i += len;
	}
	return w;
}

static const struct {
	const char *mark, *ascii;
} ascii_marks[] = {
	{ "\u00b7", "-" },   /* middle dot: between the parts of a hint */
	{ "\u2013", "-" },   /* en dash: 0-10 */
	{ "\u2014", "-" },   /* em dash */
	{ "\u2026", "..." }, /* ellipsis */
	{ "\u2018", "'" },
	{ "\u2019", "'" },
	{ "\u201c", "\"" },
	{ "\u201d", "\"" },
	{ "\u2192", "->" },  /* arrow */
};

bool text_ascii_marks(const char *s, char *out, size_t size)
{
	if (size == 0)
		return false;
	size_t o = 0;
	for (size_t i = 0; s[i];) {
		const char *add = s + i;
		size_t addlen = 1, skip = 1;
		if ((unsigned char)s[i] >= 0x80) {
			for (size_t k = 0; k < sizeof ascii_marks / sizeof ascii_marks[0]; k++) {
				size_t ml = strlen(ascii_marks[k].mark);
				if (strncmp(s + i, ascii_marks[k].mark, ml) == 0) {
					add = ascii_marks[k].ascii;
					addlen = strlen(add);
					skip = ml;
					break;
				}
			}
			if (skip == 1) { /* another character: whole, as it is */
				uint32_t cp;
				size_t len = utf8_decode(s + i, strlen(s + i), &cp);
				addlen = skip = len ? len : 1;
			}
		}
		if (o + addlen >= size) {
			out[o] = '\0';
			return false;
		}
		memcpy(out + o, add, addlen);
		o += addlen;
		i += skip;
	}
	out[o] = '\0';
	return true;
}

bool text_shorten(const char *s, size_t cols, char *out, size_t size)
{
	if (size == 0)
		return false;
	size_t bytes = strlen(s);
	if (text_width(s) <= cols && bytes < size) {
		str_copy(out, s, size);
		return true;
	}
	const char *dots = MB_CUR_MAX > 1 ? "\xE2\x80\xA6" : "...";
	size_t dots_w = MB_CUR_MAX > 1 ? 1 : 3, dots_len = strlen(dots);
	out[0] = '\0';
	if (cols < dots_w || size <= dots_len)
		return false;
	/* The longest start that ends at a word's end and leaves room, in
	 * columns and in bytes: text narrow enough can still be too long for
	 * out, and a byte cut could fall inside a character. */
	size_t fit = text_prefix(s, cols - dots_w), end = 0;
	if (fit > size - 1 - dots_len) {
		fit = size - 1 - dots_len;
		while (fit > 0 && ((unsigned char)s[fit] & 0xC0) == 0x80)
			fit--;
	}
	for (size_t i = 0; i <= fit && s[i]; i++)
		if (s[i] == ' ' && i > 0 && s[i - 1] != ' ')
			end = i;
	if (fit == bytes) /* (cannot happen: it did not fit) */
		end = fit;
	while (end > 0 && s[end - 1] == ' ')
		end--;
	/* Drop a trailing comma or colon before the ellipsis. */
	while (end > 0 && strchr(",;:", s[end - 1]))
		end--;
	snprintf(out, size, "%.*s%s", (int)end, s, dots);
	return false;
}

size_t text_prefix(const char *s, size_t cols)
{
	size_t n = strlen(s), i = 0, used = 0;
	while (i < n) {
		size_t len;
		int w = char_width(s + i, n - i, &len);
		if (used + (size_t)w > cols)
			break;
		used += (size_t)w;
		i += len;
	}
	return i;
}

size_t text_widen(const char *s, size_t cols, wchar_t *out, size_t max, size_t *width)
{
	size_t n = strlen(s), k = 0, used = 0;
	for (size_t i = 0; i < n && k + 1 < max;) {
		size_t len;
		int c;
		wchar_t wc = shown_char(s + i, n - i, &len, &c);
		if (used + (size_t)c > cols)
			break;
		out[k++] = wc;
		used += (size_t)c;
		i += len;
	}
	if (max > 0)
		out[k] = 0;
	if (width)
		*width = used;
	return k;
}

size_t text_wrap(const char *s, size_t width,
		 void (*line)(const char *start, size_t bytes, void *ctx), void *ctx)
{
	size_t n = strlen(s), lines = 0, i = 0;
	if (width == 0)
		width = 1;
	while (i < n) {
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n)
			break;
		size_t start = i, cols = 0, brk = 0;
		while (i < n) {
			size_t len;
			int w = char_width(s + i, n - i, &len);
			if (s[i] == ' ')
				brk = i;
			if (cols + (size_t)w > width)
				break;
			cols += (size_t)w;
			i += len;
		}
		size_t end = i;
		if (i < n && s[i] != ' ' && brk > start)
			end = brk; /* break at the last space that fits */
		else if (i == start) {
			/* a single character wider than the whole width: show it anyway */
			size_t len;
			char_width(s + i, n - i, &len);
			end = i + len;
		}
		size_t trimmed = end;
		while (trimmed > start && s[trimmed - 1] == ' ')
			trimmed--;
		line(s + start, trimmed - start, ctx);
		lines++;
		i = end;
	}
	return lines;
}

struct fit {
	char (*lines)[TEXT_LINE_MAX];
	size_t n, max;
	const char *last_start; /* where the last kept line begins */
	bool more;              /* text was left over */
};

static void fit_line(const char *start, size_t bytes, void *ctx)
{
	struct fit *f = ctx;
	if (f->n >= f->max) {
		f->more = true;
		return;
	}
	f->last_start = start;
	if (bytes >= TEXT_LINE_MAX) { /* cut before a character, not inside one */
		bytes = TEXT_LINE_MAX - 1;
		while (bytes > 0 && ((unsigned char)start[bytes] & 0xC0) == 0x80)
			bytes--;
	}
	memcpy(f->lines[f->n], start, bytes);
	f->lines[f->n++][bytes] = '\0';
}

size_t text_wrap_fit(const char *s, size_t width, char (*lines)[TEXT_LINE_MAX], size_t maxlines)
{
	struct fit f = { lines, 0, maxlines, NULL, false };
	if (width == 0)
		width = 1;
	text_wrap(s, width, fit_line, &f);
	if (f.more && f.n > 0)
		text_shorten(f.last_start, width, lines[f.n - 1], TEXT_LINE_MAX);
	return f.n;
}
