/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "termnotify.h"

bool termnotify_parse(const char *word, bool *automatic, enum termnotify_kind *kind)
{
	static const struct { const char *word; bool automatic; enum termnotify_kind kind; } words[] = {
		{ "off", false, TERMNOTIFY_NONE }, { "no", false, TERMNOTIFY_NONE },
		{ "auto", true, TERMNOTIFY_NONE }, { "777", false, TERMNOTIFY_OSC777 },
		{ "9", false, TERMNOTIFY_OSC9 }, { "99", false, TERMNOTIFY_OSC99 },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strcmp(word, words[i].word) == 0) {
			*automatic = words[i].automatic;
			*kind = words[i].kind;
			return true;
		}
	}
	return false;
}

const char *termnotify_name(enum termnotify_kind kind)
{
	switch (kind) {
	case TERMNOTIFY_OSC777:
		return "OSC 777";
	case TERMNOTIFY_OSC9:
		return "OSC 9";
	case TERMNOTIFY_OSC99:
		return "OSC 99";
	default:
		return "none";
	}
}

static bool is(const char *s, const char *want)
{
	return s && strcmp(s, want) == 0;
}

static bool starts(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

enum termnotify_kind termnotify_detect(const char *term, const char *term_program, const char *lc_terminal,
				       const char *kitty_window_id)
{
	if ((kitty_window_id && *kitty_window_id) || is(term, "xterm-kitty"))
		return TERMNOTIFY_OSC99;
	if (is(lc_terminal, "iTerm2") || is(term_program, "iTerm.app"))
		return TERMNOTIFY_OSC9;
	if (is(term_program, "WezTerm") || is(term_program, "ghostty") || starts(term, "foot") ||
	    is(term, "xterm-ghostty") || starts(term, "rxvt-unicode"))
		return TERMNOTIFY_OSC777;
	return TERMNOTIFY_NONE;
}

/* Appends n bytes of s, doubling each ESC when wrapping for tmux. */
static void put(char *out, size_t size, size_t *len, bool *full, const char *s, size_t n, bool dbl)
{
	for (size_t i = 0; i < n; i++) {
		size_t need = dbl && s[i] == '\033' ? 2 : 1;
		if (*len + need >= size) {
			*full = true;
			return;
		}
		if (need == 2)
			out[(*len)++] = '\033';
		out[(*len)++] = s[i];
	}
	out[*len] = '\0';
}

size_t termnotify_format(enum termnotify_kind kind, bool in_tmux, const char *title, const char *body,
			 char *out, size_t size)
{
	if (size == 0)
		return 0;
	out[0] = '\0';
	char seq[1024];
	char t[256];
	snprintf(t, sizeof t, "%s", title ? title : "");
	for (char *c = t; *c; c++)
		if (*c == ';')
			*c = ',';
	int n;
	switch (kind) {
	case TERMNOTIFY_OSC777:
		n = snprintf(seq, sizeof seq, "\033]777;notify;%s;%s\033\\", t, body ? body : "");
		break;
	case TERMNOTIFY_OSC9:
		n = snprintf(seq, sizeof seq, "\033]9;%s\033\\", body ? body : "");
		break;
	case TERMNOTIFY_OSC99:
		n = snprintf(seq, sizeof seq, "\033]99;;%s\033\\", body ? body : "");
		break;
	default:
		return 0;
	}
	if (n < 0 || (size_t)n >= sizeof seq)
		return 0;
	size_t len = 0;
	bool full = false;
	if (in_tmux)
		put(out, size, &len, &full, "\033Ptmux;", 7, false);
	put(out, size, &len, &full, seq, (size_t)n, in_tmux);
	if (in_tmux)
		put(out, size, &len, &full, "\033\\", 2, false);
	if (full) {
		out[0] = '\0';
		return 0;
	}
	return len;
}
