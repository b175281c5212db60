/* SPDX-License-Identifier: ISC */
/* The safety page before a program. See safety.h. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "palette.h"
#include "safety.h"
#include "screen.h"
#include "safetypage.h"
#include "statefile.h"

#define SEEN_FILE "safety-seen"
#define SEEN_MAX 500 /* programs remembered; the oldest is forgotten first */

/* FNV-1a, 64 bits: the program's name and its note as one short line. */
static void seen_key(const struct program *p, char *buf, size_t size)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	const char *parts[2] = { p->name ? p->name : "", p->safety ? p->safety : "" };
	for (int k = 0; k < 2; k++) {
		for (const unsigned char *c = (const unsigned char *)parts[k]; *c; c++) {
			h ^= *c;
			h *= UINT64_C(0x100000001b3);
		}
		h ^= 0xff; /* between the two: "ab"+"c" is not "a"+"bc" */
		h *= UINT64_C(0x100000001b3);
	}
	snprintf(buf, size, "%016llx", (unsigned long long)h);
}

bool safety_note_seen(const struct program *p)
{
	char key[32];
	seen_key(p, key, sizeof key);
	return statefile_has_line(SEEN_FILE, key);
}

void safety_mark_seen(const struct program *p)
{
	char key[32];
	seen_key(p, key, sizeof key);
	statefile_add_line(SEEN_FILE, key, SEEN_MAX);
}

void safety_prompt_start(struct safety_prompt *s, const struct program *p, const char *note, bool wait,
			 int seconds, int64_t now_ns)
{
	memset(s, 0, sizeof *s);
	s->title = p->title ? p->title : p->name;
	s->text = p->safety;
	s->note = note;
	s->wait = wait;
	s->until_ns = now_ns + (int64_t)seconds * 1000000000;
	if (s->text)
		snprintf(s->speech, sizeof s->speech, "%s %s", s->text, SAFETY_SAY_WAIT);
}

const char *safety_prompt_speech(const struct safety_prompt *s)
{
	return s->wait && s->text ? s->speech : NULL;
}

void safety_prompt_draw(const struct safety_prompt *s)
{
	static const enum palette_look looks[] = {
		[SAFETY_LOOK_TITLE] = LOOK_DIM, [SAFETY_LOOK_HEADING] = LOOK_TITLE,
		[SAFETY_LOOK_TEXT] = LOOK_TEXT, [SAFETY_LOOK_NOTE] = LOOK_DIM,
		[SAFETY_LOOK_HINT] = LOOK_DIM,
	};
	struct safety_page page = {
		.title = s->title, .heading = SAFETY_HEADING, .text = s->text, .note = s->note,
		.hint = s->wait ? SAFETY_HINT_WAIT : SAFETY_HINT_BRIEF,
	};
	struct safety_line lines[64];
	bool cut;
	erase(); /* on a key or a resize only: nothing here moves by itself */
	if (!screen_fits(COLS, LINES)) {
		/* Below every screen's smallest size the page asks for room, as
		 * the others do (at 19x5 it drew its note cut to a few words). */
		screen_too_small_put();
		refresh();
		return;
	}
	int n = safety_page_layout(&page, LINES, COLS, lines, 64, &cut);
	for (int i = 0; i < n; i++) {
		enum palette_look look = looks[lines[i].look];
		/* Never the bottom-right cell: some terminals scroll. */
		int room = COLS - lines[i].col - (lines[i].row == LINES - 1 ? 1 : 0);
		tty_put(lines[i].row, lines[i].col, room, palette_attr(look), palette_pair(look), lines[i].text);
	}
	refresh();
}

int64_t safety_prompt_deadline(const struct safety_prompt *s)
{
	return s->wait ? TTY_NO_DEADLINE : s->until_ns;
}

enum safety_status safety_prompt_event(struct safety_prompt *s, const struct tty_event *ev, int64_t now_ns)
{
	switch (ev->kind) {
	case TTY_KEY:
		if (s->wait && (ev->key == 'q' || ev->key == 'Q' || ev->key == 27))
			return SAFETY_QUIT;
		return SAFETY_GO;
	case TTY_DEADLINE:
		return !s->wait && now_ns >= s->until_ns ? SAFETY_GO : SAFETY_SHOWING;
	case TTY_HANGUP:
		return SAFETY_HANGUP;
	case TTY_FATAL:
		return SAFETY_INTERRUPTED;
	case TTY_RESIZE:
	case TTY_SUSPEND:
	case TTY_RESUME:
	case TTY_FD:
		break;
	}
	return SAFETY_SHOWING;
}
