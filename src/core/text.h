/* SPDX-License-Identifier: ISC */
/* Text that came from a file, made safe for a terminal: UTF-8 decoding, the
 * code points lull refuses to show, escaping for messages, edit distance for
 * "did you mean" hints, and word wrapping by display width. Pure: no I/O, no
 * globals (text_wrap reads the locale through wcwidth()). */
#ifndef LULL_TEXT_H
#define LULL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

/* Decodes one UTF-8 sequence at s (n bytes available). Returns its length
 * (1..4) and the code point in *cp, or 0 for an invalid, overlong, truncated
 * or surrogate sequence. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* True for the code points text from a file may not contain: C0 controls
 * (TAB included: callers turn it into a space first), DEL, C1 controls
 * (the 8-bit escape introducers), the line and paragraph separators and the
 * bidirectional embedding/override/isolate controls, which can reorder what a
 * terminal shows. */
bool text_cp_forbidden(uint32_t cp);

/* A copy of s[0..n) that can go to a terminal in a message: printable ASCII
 * and valid, allowed UTF-8 as they are; anything else as \xNN (bytes) or
 * \u{XXXX} (code points). At most maxchars characters, then "...". The
 * caller frees. */
char *text_escape(const char *s, size_t n, size_t maxchars);

/* A copy of s with invalid UTF-8 and forbidden code points replaced by U+FFFD
 * and TABs by spaces: for any string of unknown origin on its way to the
 * screen. The caller frees. */
char *text_sanitize(const char *s);

/* text_sanitize(s) into dst (size bytes, NUL included), cut at a character
 * boundary when it does not fit. Returns the bytes written. */
size_t text_sanitize_into(char *dst, size_t size, const char *s);

/* Edit distance between a and b (insert, delete, substitute, or swap two
 * neighbours: one each), 255 for words over 64 bytes. */
unsigned text_edit_distance(const char *a, const char *b);

/* The best candidate for a misspelt word: the closest of the NULL-terminated
 * list within a distance that still looks like a typo, or NULL. */
const char *text_did_you_mean(const char *word, const char *const *candidates);

/* Display columns of a UTF-8 string in the current locale, as text_widen()
 * shows it (wcwidth; a character it cannot measure counts as 1). */
size_t text_width(const char *s);

/* s with the typographic marks lull's own texts use spelled in ASCII, for a
 * terminal whose locale is not UTF-8 (which showed each as '?': "0?10",
 * "Enter ? Enter alone skips"): the middle dot and the dashes as "-", the
 * ellipsis as "...", curly quotes straight, the arrow "->". Any other
 * character is copied as it is. Into out (size bytes, always terminated);
 * false when it was cut to fit. */
bool text_ascii_marks(const char *s, char *out, size_t size);

/* s shortened to at most cols columns at a word boundary, with an ellipsis
 * ("…", or "..." where the locale is not UTF-8) where words were left out:
 * never cut inside a word. A first word too wide for cols leaves just the
 * ellipsis (or nothing, when even that does not fit). Into out (size bytes,
 * always terminated). Returns true when s fitted whole. */
bool text_shorten(const char *s, size_t cols, char *out, size_t size);

/* The length in bytes of the longest start of s that takes at most cols
 * columns (whole characters only). */
size_t text_prefix(const char *s, size_t cols);

/* UTF-8 of any origin, decoded for a curses screen through the same rule
 * as text_sanitize(): invalid bytes and forbidden code points become U+FFFD
 * (TAB a space), and where the locale is not UTF-8 every non-ASCII
 * character becomes '?'. Writes at most max - 1 wide characters taking at
 * most cols columns, then a terminating 0; returns how many, with their
 * columns in *width (may be NULL). */
size_t text_widen(const char *s, size_t cols, wchar_t *out, size_t max, size_t *width);

/* Breaks s into lines of at most width display columns at spaces (a word
 * longer than the width is cut). Calls line(start, bytes, ctx) for each line,
 * in order, without the spaces at the break. Returns the number of lines. */
size_t text_wrap(const char *s, size_t width,
		 void (*line)(const char *start, size_t bytes, void *ctx), void *ctx);

/* The longest line text_wrap_fit copies, in bytes with its terminator. */
#define TEXT_LINE_MAX 320

/* s wrapped (text_wrap) into at most maxlines lines of at most width
 * columns, each a terminated copy in out[i]. Text left over ends the last
 * line at a word with an ellipsis (text_shorten): a box too small for the
 * whole text says so, never cuts a word. Returns the number of lines. */
size_t text_wrap_fit(const char *s, size_t width, char (*out)[TEXT_LINE_MAX], size_t maxlines);

#endif
