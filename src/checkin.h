/* SPDX-License-Identifier: ISC */
/* The check-in: "How tense or sore do you feel, 0–10?" and an optional body
 * area. One key each: 0–9, 1 then 0 for 10, or the arrows and Enter; Enter
 * alone skips. It never holds a session up: it gives up after a while, and a
 * hang-up or a signal ends it at once.
 *
 * checkin_scale_* and checkin_area_* are the pure key logic; the prompt
 * draws it inside a curses screen someone else has set up, as a handler of
 * the terminal's events (tty.h). */
#ifndef LULL_CHECKIN_H
#define LULL_CHECKIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Keys for the pure part (curses KEY_* are mapped onto these). */
enum {
	CHECKIN_KEY_ENTER = '\n',
	CHECKIN_KEY_ESC = 27,
	CHECKIN_KEY_LEFT = 0x10001,
	CHECKIN_KEY_RIGHT,
	CHECKIN_KEY_UP,
	CHECKIN_KEY_DOWN,
};

/* How long a lone '1' waits for a '0' that would make it 10. */
#define CHECKIN_TEN_MS 900

enum checkin_step {
	CHECKIN_MORE,     /* keep asking */
	CHECKIN_CHOSEN,   /* ->value / ->area holds the answer */
	CHECKIN_SKIP,     /* Enter with nothing chosen, or Esc */
	CHECKIN_QUIT,     /* q: the caller decides what that means */
};

struct checkin_scale {
	int value;        /* the answer when CHECKIN_CHOSEN */
	int cursor;       /* arrow selection, -1 none */
	bool pending_one; /* '1' typed, a '0' may follow */
	long deadline_ms; /* when the pending '1' stands alone */
};

void checkin_scale_init(struct checkin_scale *s);
enum checkin_step checkin_scale_key(struct checkin_scale *s, int key, long now_ms);
/* Call when now_ms passes s->deadline_ms with a '1' pending. */
enum checkin_step checkin_scale_tick(struct checkin_scale *s, long now_ms);

#define CHECKIN_AREAS 7
/* "neck", "shoulders", "upper back", "lower back", "head", "jaw", "other" */
extern const char *const checkin_area_names[CHECKIN_AREAS];
/* The key for each: n s u l h j o. */
extern const char checkin_area_keys[CHECKIN_AREAS];

struct checkin_area {
	int cursor;       /* -1 none */
	int chosen;       /* index into checkin_area_names when CHECKIN_CHOSEN */
};

void checkin_area_init(struct checkin_area *a);
enum checkin_step checkin_area_key(struct checkin_area *a, int key);

/* ------------------------------------------------------------ on screen */

enum checkin_status {
	CHECKIN_ASKING,      /* the question stands: more events, please */
	CHECKIN_ANSWERED,    /* level (and maybe area) filled */
	CHECKIN_SKIPPED,     /* Enter, Esc, or the time ran out */
	CHECKIN_QUITTED,     /* q */
	CHECKIN_HANGUP,      /* the terminal went away */
	CHECKIN_INTERRUPTED, /* SIGTERM, SIGINT or SIGHUP (the event's sig) */
};

struct checkin_opts {
	const char *question;   /* e.g. "How tense or sore do you feel, 0–10?" */
	const char *hint;       /* the line under it, NULL for the default */
	bool ask_area;          /* then "Where?" */
	int timeout_s;          /* skip after this long without a key; 0 never */
};

struct checkin_answer {
	int level;              /* 0..10, -1 none */
	char area[24];          /* "" none */
};

/* One question on the screen, as a handler of the terminal's events (so it
 * runs inside whatever loop shows it: the session's, or checkin_ask's). The
 * fields are the prompt's own; read only answer. */
struct checkin_prompt {
	struct checkin_opts o;
	struct checkin_scale scale;
	struct checkin_area area;
	bool asking_area;       /* the level is in; now "where?" */
	long last_key_ms;       /* for the time-out */
	struct checkin_answer answer;
};

struct tty_event;

/* now_ms: CLOCK_MONOTONIC milliseconds (so are the others' now_ms). */
void checkin_prompt_start(struct checkin_prompt *p, const struct checkin_opts *o, long now_ms);
/* Draws the question on stdscr (curses open, the palette set up). */
void checkin_prompt_draw(const struct checkin_prompt *p);
/* When the prompt must hear from the clock: a lone '1' becomes 1, or the
 * time-out (CLOCK_MONOTONIC ns; TTY_NO_DEADLINE when neither). */
int64_t checkin_prompt_deadline(const struct checkin_prompt *p);
/* One event from tty_wait(). A resize or a resume only redraws; a fatal
 * signal gives CHECKIN_INTERRUPTED (the caller re-raises ev->sig). */
enum checkin_status checkin_prompt_event(struct checkin_prompt *p, const struct tty_event *ev, long now_ms);

/* The question on a screen of its own (curses open), until it is answered
 * or given up. *sig gets the fatal signal behind CHECKIN_INTERRUPTED. */
enum checkin_status checkin_ask(const struct checkin_opts *o, struct checkin_answer *a, int *sig);

#endif
