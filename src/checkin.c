/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "checkin.h"
#include "clock.h"
#include "palette.h"
#include "screen.h"
#include "text.h"
#include "tty.h"
#include "util.h"

const char *const checkin_area_names[CHECKIN_AREAS] = {
	"neck", "shoulders", "upper back", "lower back", "head", "jaw", "other",
};
const char checkin_area_keys[CHECKIN_AREAS] = { 'n', 's', 'u', 'l', 'h', 'j', 'o' };

/* ------------------------------------------------------------ pure keys */

void checkin_scale_init(struct checkin_scale *s)
{
	s->value = -1;
	s->cursor = -1;
	s->pending_one = false;
	s->deadline_ms = 0;
}

static enum checkin_step chosen(struct checkin_scale *s, int v)
{
	s->value = v;
	s->pending_one = false;
	return CHECKIN_CHOSEN;
}

enum checkin_step checkin_scale_key(struct checkin_scale *s, int key, long now_ms)
{
	if (key >= '0' && key <= '9') {
		int d = key - '0';
		if (s->pending_one && d == 0)
			return chosen(s, 10);
		if (d == 1) { /* 1, or the start of 10: wait a moment */
			s->pending_one = true;
			s->cursor = 1;
			s->deadline_ms = now_ms + CHECKIN_TEN_MS;
			return CHECKIN_MORE;
		}
		return chosen(s, d); /* after a pending 1, the last key wins */
	}
	switch (key) {
	case CHECKIN_KEY_ENTER:
	case '\r':
		if (s->pending_one)
			return chosen(s, 1);
		if (s->cursor >= 0)
			return chosen(s, s->cursor);
		return CHECKIN_SKIP;
	case CHECKIN_KEY_ESC:
		s->pending_one = false;
		return CHECKIN_SKIP;
	case 'q':
	case 'Q':
		s->pending_one = false;
		return CHECKIN_QUIT;
	case CHECKIN_KEY_LEFT:
	case CHECKIN_KEY_DOWN:
		s->pending_one = false;
		s->cursor = s->cursor < 0 ? 5 : s->cursor > 0 ? s->cursor - 1 : 0;
		return CHECKIN_MORE;
	case CHECKIN_KEY_RIGHT:
	case CHECKIN_KEY_UP:
		s->pending_one = false;
		s->cursor = s->cursor < 0 ? 5 : s->cursor < 10 ? s->cursor + 1 : 10;
		return CHECKIN_MORE;
	default:
		return CHECKIN_MORE;
	}
}

enum checkin_step checkin_scale_tick(struct checkin_scale *s, long now_ms)
{
	if (s->pending_one && now_ms >= s->deadline_ms)
		return chosen(s, 1);
	return CHECKIN_MORE;
}

void checkin_area_init(struct checkin_area *a)
{
	a->cursor = -1;
	a->chosen = -1;
}

enum checkin_step checkin_area_key(struct checkin_area *a, int key)
{
	for (int i = 0; i < CHECKIN_AREAS; i++) {
		if (key == checkin_area_keys[i] || key == checkin_area_keys[i] - 'a' + 'A') {
			a->chosen = i;
			return CHECKIN_CHOSEN;
		}
	}
	if (key >= '1' && key < '1' + CHECKIN_AREAS) {
		a->chosen = key - '1';
		return CHECKIN_CHOSEN;
	}
	switch (key) {
	case CHECKIN_KEY_ENTER:
	case '\r':
		if (a->cursor >= 0) {
			a->chosen = a->cursor;
			return CHECKIN_CHOSEN;
		}
		return CHECKIN_SKIP;
	case CHECKIN_KEY_ESC:
		return CHECKIN_SKIP;
	case 'q':
	case 'Q':
		return CHECKIN_QUIT;
	case CHECKIN_KEY_LEFT:
	case CHECKIN_KEY_UP:
		a->cursor = a->cursor <= 0 ? 0 : a->cursor - 1;
		return CHECKIN_MORE;
	case CHECKIN_KEY_RIGHT:
	case CHECKIN_KEY_DOWN:
		a->cursor = a->cursor < 0 ? 0 : a->cursor < CHECKIN_AREAS - 1 ? a->cursor + 1 : a->cursor;
		return CHECKIN_MORE;
	default:
		return CHECKIN_MORE;
	}
}

/* ------------------------------------------------------------ on screen */

static int map_key(int ch)
{
	switch (ch) {
	case KEY_ENTER:
		return CHECKIN_KEY_ENTER;
	case KEY_LEFT:
		return CHECKIN_KEY_LEFT;
	case KEY_RIGHT:
		return CHECKIN_KEY_RIGHT;
	case KEY_UP:
		return CHECKIN_KEY_UP;
	case KEY_DOWN:
		return CHECKIN_KEY_DOWN;
	default:
		return ch;
	}
}

static void put_look(int y, int x, enum palette_look look, attr_t extra, const char *s)
{
	tty_put(y, x, COLS - x, palette_attr(look) | extra, palette_pair(look), s);
}

static void centre(int y, enum palette_look look, attr_t extra, const char *s)
{
	char plain[2 * TEXT_LINE_MAX];
	s = tty_text(s, plain, sizeof plain); /* measured as it is shown */
	int x = (COLS - (int)text_width(s)) / 2;
	put_look(y, x < 0 ? 0 : x, look, extra, s);
}

/* Centred and word-wrapped into at most maxlines lines, a column clear of
 * each edge; returns the lines used. */
static int centre_wrapped(int y, enum palette_look look, attr_t extra, const char *s, int maxlines)
{
	char lines[2][TEXT_LINE_MAX], plain[2 * TEXT_LINE_MAX];
	s = tty_text(s, plain, sizeof plain); /* wrapped as it is shown */
	int n = (int)text_wrap_fit(s, COLS > 4 ? (size_t)COLS - 2 : 1, lines, maxlines > 2 ? 2 : (size_t)maxlines);
	for (int i = 0; i < n; i++)
		centre(y + i, look, extra, lines[i]);
	return n;
}

/* Rows for the question, the hint and the gaps between: fewer where the
 * terminal is short. */
struct layout {
	int text_lines, gap, top;
	int question_lines; /* two even at the smallest size: it matters most */
};

static struct layout layout_for(int body_rows)
{
	struct layout l = { LINES >= 10 ? 2 : 1, LINES >= 12 ? 1 : 0, 0, 2 };
	int h = l.question_lines + l.text_lines + body_rows + 1 + 2 * l.gap;
	l.top = LINES > h ? (LINES - h) / 2 : 0;
	return l;
}

static void draw_scale(const struct checkin_prompt *p)
{
	const struct checkin_scale *s = &p->scale;
	struct layout l = layout_for(1);
	int y = l.top;
	y += centre_wrapped(y, LOOK_TEXT, A_BOLD, p->o.question, l.question_lines) + l.gap;
	/* 0 to 10, three columns apart where they fit, two where not; where
	 * not even that fits, the number chosen between its ends. */
	int step = COLS >= 34 ? 3 : COLS >= 24 ? 2 : 0;
	if (step) {
		int x = (COLS - (10 * step + 2)) / 2;
		for (int v = 0; v <= 10; v++) {
			char b[4];
			snprintf(b, sizeof b, "%d", v);
			put_look(y, x + v * step, v == s->cursor ? LOOK_ACCENT : LOOK_TEXT,
				 v == s->cursor ? A_REVERSE : 0, b);
		}
	} else {
		char b[32];
		if (s->cursor >= 0)
			snprintf(b, sizeof b, "0 < %d > 10", s->cursor);
		else
			snprintf(b, sizeof b, "0 ... 10");
		centre(y, LOOK_TEXT, 0, b);
	}
	y++;
	if (s->pending_one)
		centre(y, LOOK_DIM, 0, "1 … (0 makes it 10)");
	y += 1 + l.gap;
	centre_wrapped(y, LOOK_DIM, 0, p->o.hint ? p->o.hint
		       : "a number key, 1 then 0 for 10, or arrows and Enter · Enter alone skips", l.text_lines);
}

static void draw_area(const struct checkin_prompt *p)
{
	const struct checkin_area *a = &p->area;
	/* The names in as many rows as the width needs. */
	int rows = 1, w = 0;
	for (int i = 0; i < CHECKIN_AREAS; i++) {
		int nw = (int)strlen(checkin_area_names[i]) + 2;
		if (w > 0 && w + nw > COLS - 2) {
			rows++;
			w = 0;
		}
		w += nw;
	}
	struct layout l = layout_for(rows);
	int y = l.top;
	char b[96];
	snprintf(b, sizeof b, "%d of 10. Where mostly?", p->answer.level);
	y += centre_wrapped(y, LOOK_TEXT, A_BOLD, b, l.question_lines) + l.gap;
	for (int i = 0; i < CHECKIN_AREAS;) {
		/* One row: as many names as fit, centred. */
		int j = i, total = 0;
		while (j < CHECKIN_AREAS && (j == i || total + (int)strlen(checkin_area_names[j]) + 2 <= COLS - 2))
			total += (int)strlen(checkin_area_names[j++]) + 2;
		int x = (COLS - total + 2) / 2;
		if (x < 0)
			x = 0;
		for (; i < j; i++) {
			const char *name = checkin_area_names[i];
			put_look(y, x, i == a->cursor ? LOOK_ACCENT : LOOK_TEXT, i == a->cursor ? A_REVERSE : 0, name);
			char first[2] = { name[0], '\0' };
			put_look(y, x, LOOK_ACCENT, A_UNDERLINE, first);
			x += (int)strlen(name) + 2;
		}
		y++;
	}
	y += 1 + l.gap;
	centre_wrapped(y, LOOK_DIM, 0, "the underlined letter, or arrows and Enter · Enter alone: nowhere in particular",
		       l.text_lines);
}

void checkin_prompt_start(struct checkin_prompt *p, const struct checkin_opts *o, long now_ms)
{
	memset(p, 0, sizeof *p);
	p->o = *o;
	checkin_scale_init(&p->scale);
	checkin_area_init(&p->area);
	p->last_key_ms = now_ms;
	p->answer.level = -1;
}

void checkin_prompt_draw(const struct checkin_prompt *p)
{
	erase(); /* on a key or a resize only: nothing here moves by itself */
	if (!screen_fits(COLS, LINES))
		screen_too_small_put();
	else if (p->asking_area)
		draw_area(p);
	else
		draw_scale(p);
	refresh();
}

int64_t checkin_prompt_deadline(const struct checkin_prompt *p)
{
	int64_t at = TTY_NO_DEADLINE;
	if (p->o.timeout_s > 0)
		at = ((int64_t)p->last_key_ms + p->o.timeout_s * 1000LL) * 1000000;
	if (!p->asking_area && p->scale.pending_one && (int64_t)p->scale.deadline_ms * 1000000 < at)
		at = (int64_t)p->scale.deadline_ms * 1000000;
	return at;
}

/* The level is in: ask where, or that was all. */
static enum checkin_status level_chosen(struct checkin_prompt *p, long now_ms)
{
	p->answer.level = p->scale.value;
	if (!p->o.ask_area)
		return CHECKIN_ANSWERED;
	p->asking_area = true;
	p->last_key_ms = now_ms;
	return CHECKIN_ASKING;
}

static enum checkin_status key(struct checkin_prompt *p, int ch, long now_ms)
{
	p->last_key_ms = now_ms;
	int k = map_key(ch);
	if (!p->asking_area) {
		switch (checkin_scale_key(&p->scale, k, now_ms)) {
		case CHECKIN_CHOSEN:
			return level_chosen(p, now_ms);
		case CHECKIN_SKIP:
			return CHECKIN_SKIPPED;
		case CHECKIN_QUIT:
			return CHECKIN_QUITTED;
		case CHECKIN_MORE:
			return CHECKIN_ASKING;
		}
	}
	switch (checkin_area_key(&p->area, k)) {
	case CHECKIN_CHOSEN:
		str_copy(p->answer.area, checkin_area_names[p->area.chosen], sizeof p->answer.area);
		return CHECKIN_ANSWERED;
	case CHECKIN_SKIP:
		return CHECKIN_ANSWERED; /* the level stands; nowhere in particular */
	case CHECKIN_QUIT:
		return CHECKIN_QUITTED;
	case CHECKIN_MORE:
		break;
	}
	return CHECKIN_ASKING;
}

enum checkin_status checkin_prompt_event(struct checkin_prompt *p, const struct tty_event *ev, long now_ms)
{
	switch (ev->kind) {
	case TTY_KEY:
		return key(p, ev->key, now_ms);
	case TTY_DEADLINE:
		if (!p->asking_area && checkin_scale_tick(&p->scale, now_ms) == CHECKIN_CHOSEN)
			return level_chosen(p, now_ms);
		if (p->o.timeout_s > 0 && now_ms - p->last_key_ms >= p->o.timeout_s * 1000L)
			return p->asking_area ? CHECKIN_ANSWERED : CHECKIN_SKIPPED;
		return CHECKIN_ASKING;
	case TTY_HANGUP:
		return CHECKIN_HANGUP;
	case TTY_FATAL:
		return CHECKIN_INTERRUPTED;
	case TTY_RESIZE:  /* redrawn by the next draw, at the new size */
	case TTY_RESUME:
	case TTY_SUSPEND: /* the question waits for fg like everything else */
	case TTY_FD:
		return CHECKIN_ASKING;
	}
	return CHECKIN_ASKING;
}

/* ------------------------------------------------------------ on its own */

struct ask {
	struct checkin_prompt p;
	enum checkin_status status;
	int sig;
};

static long mono_ms(void)
{
	return (long)(clock_mono_ns() / 1000000);
}

static bool ask_draw(void *ctx)
{
	checkin_prompt_draw(&((struct ask *)ctx)->p);
	return true;
}

static int64_t ask_deadline(void *ctx)
{
	return checkin_prompt_deadline(&((struct ask *)ctx)->p);
}

static bool ask_handle(void *ctx, const struct tty_event *ev)
{
	struct ask *a = ctx;
	a->status = checkin_prompt_event(&a->p, ev, mono_ms());
	if (a->status == CHECKIN_INTERRUPTED)
		a->sig = ev->sig;
	return a->status == CHECKIN_ASKING;
}

enum checkin_status checkin_ask(const struct checkin_opts *o, struct checkin_answer *ans, int *sig)
{
	struct ask a = { .status = CHECKIN_ASKING };
	checkin_prompt_start(&a.p, o, mono_ms());
	const struct tty_view view = { .draw = ask_draw, .deadline = ask_deadline, .handle = ask_handle };
	tty_run(&view, &a);
	*ans = a.p.answer;
	*sig = a.sig;
	return a.status;
}
