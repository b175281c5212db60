/* SPDX-License-Identifier: ISC */
/* The session screen. See screen.h: rows are composed as small lists of
 * segments; a row is redrawn only when its segments differ from last time. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "dark.h"
#include "palette.h"
#include "screen.h"
#include "text.h"
#include "tty.h"
#include "util.h"

/* What changes many times a second (the bar, the countdown, the progress)
 * is drawn in LOOK_PLAIN, the default pair: any other colour or attribute
 * costs some twenty bytes of escape sequences per update, since curses
 * returns to the default pair at the end of every refresh. The palette
 * gives that pair its colour (and the dark screen's steps dim it), so the
 * plain look is lull's own, never the terminal's. */

enum seg_kind { SEG_TEXT, SEG_BAR, SEG_PROGRESS };

struct seg {
	enum seg_kind kind;
	enum palette_look look;
	int x, w;        /* w: text is cut to it; bars are w cells */
	int val;         /* bar: filled eighths; progress: filled cells */
	char text[320];
};

#define MAX_SEGS 6

struct row {
	struct seg seg[MAX_SEGS];
	int n;
};

struct screen {
	bool utf8;
	bool eighths;
	char *title;
	int rows, cols;
	struct row *cur;   /* composed this frame */
	char **key;        /* what each row showed last, NULL: unknown */
	/* Layout numbers the loop needs. */
	int bar_w, count_w, progress_w;
	int dark;          /* the dark level of the last frame */
};

/* --- text ------------------------------------------------------------- */

/* Wraps text into at most maxlines lines of width columns, the last ending
 * at a word with an ellipsis when text is left over (text_wrap_fit). */
static int wrap(const char *text, int width, char lines[][TEXT_LINE_MAX], int maxlines)
{
	return (int)text_wrap_fit(text, width > 0 ? (size_t)width : 1, lines, (size_t)maxlines);
}

/* --- composing rows ---------------------------------------------------- */

static struct seg *add_seg(struct screen *s, int y, enum seg_kind kind, enum palette_look look, int x, int w)
{
	if (y < 0 || y >= s->rows || x >= s->cols || w <= 0)
		return NULL;
	struct row *r = &s->cur[y];
	if (r->n >= MAX_SEGS)
		return NULL;
	struct seg *g = &r->seg[r->n++];
	memset(g, 0, sizeof *g);
	g->kind = kind;
	g->look = look;
	g->x = x < 0 ? 0 : x;
	g->w = w;
	return g;
}

/* Text from x to the right edge at most: a text too wide is shortened at a
 * word, with an ellipsis, never cut inside one. */
static void text_at(struct screen *s, int y, int x, enum palette_look look, const char *text)
{
	int w = s->cols - (x < 0 ? 0 : x);
	if (y == s->rows - 1)
		w--; /* never the bottom-right cell: some terminals scroll */
	struct seg *g = add_seg(s, y, SEG_TEXT, look, x, w);
	if (g)
		text_shorten(text, (size_t)w, g->text, sizeof g->text);
}

/* Centred, a column clear of each edge where there is room. */
static void text_centered(struct screen *s, int y, enum palette_look look, const char *text)
{
	int room = s->cols - (s->cols > 20 ? 2 : 0) - (y == s->rows - 1);
	char fit[320];
	text_shorten(text, room > 0 ? (size_t)room : 0, fit, sizeof fit);
	int w = (int)text_width(fit);
	int x = (s->cols - w) / 2;
	text_at(s, y, x < 0 ? 0 : x, look, fit);
}

static void bar_at(struct screen *s, int y, int x, int w, int eighths, enum palette_look look)
{
	struct seg *g = add_seg(s, y, SEG_BAR, look, x, w);
	/* Whole cells where the eighths cannot be drawn: a step within a
	 * cell then changes nothing, and nothing is redrawn for it. */
	if (g)
		g->val = s->eighths ? eighths : eighths / 8 * 8;
}

static void row_key(const struct row *r, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < r->n && used + 1 < size; i++) {
		const struct seg *g = &r->seg[i];
		/* With the look's attribute: the plain look's changes with
		 * the dark screen's level (its colour curses repaints itself). */
		int k = snprintf(buf + used, size - used, "%d,%d,%u,%d,%d,%d,%s\x1f", g->kind, g->look,
				 palette_attr(g->look), g->x, g->w, g->val, g->kind == SEG_TEXT ? g->text : "");
		if (k < 0)
			break;
		used += (size_t)k;
	}
}

/* --- drawing ----------------------------------------------------------- */

static const wchar_t eighth_blocks[8] = {
	L' ', 0x258F, 0x258E, 0x258D, 0x258C, 0x258B, 0x258A, 0x2589,
};

static void draw_seg(struct screen *s, int y, const struct seg *g)
{
	attr_t a = palette_attr(g->look);
	short pair = palette_pair(g->look);
	wchar_t w[512];
	int n = 0;
	if (g->kind == SEG_TEXT) {
		n = (int)text_widen(g->text, (size_t)g->w, w, sizeof w / sizeof w[0], NULL);
	} else if (g->kind == SEG_BAR) {
		int full = g->val / 8, part = g->val % 8;
		for (int i = 0; i < g->w && n < 511; i++) {
			if (i < full)
				w[n++] = s->utf8 ? 0x2588 : L'#';
			else if (i == full && part)
				w[n++] = s->utf8 ? eighth_blocks[part] : (part >= 4 ? L'=' : L'-');
			else
				w[n++] = L' ';
		}
	} else {
		for (int i = 0; i < g->w && n < 511; i++)
			w[n++] = i < g->val ? (s->utf8 ? 0x2501 : L'=') : (s->utf8 ? 0x2500 : L'-');
	}
	int room = s->cols - g->x - (y == s->rows - 1 ? 1 : 0);
	if (n > room)
		n = room < 0 ? 0 : room;
	w[n] = 0;
	if (n <= 0)
		return;
	attr_set(a, pair, NULL);
	if (g->kind == SEG_PROGRESS && g->val < g->w) {
		/* The done part in the bar's look, the rest as a dim track. */
		int done = g->val < n ? g->val : n;
		mvaddnwstr(y, g->x, w, done);
		attr_set(palette_attr(LOOK_TRACK), palette_pair(LOOK_TRACK), NULL);
		mvaddnwstr(y, g->x + done, w + done, n - done);
	} else {
		mvaddnwstr(y, g->x, w, n);
	}
	attr_set(A_NORMAL, 0, NULL);
}

static void flush_rows(struct screen *s)
{
	char buf[4096];
	for (int y = 0; y < s->rows; y++) {
		row_key(&s->cur[y], buf, sizeof buf);
		if (s->key[y] && strcmp(s->key[y], buf) == 0)
			continue;
		free(s->key[y]);
		s->key[y] = xstrdup(buf);
		move(y, 0);
		clrtoeol();
		for (int i = 0; i < s->cur[y].n; i++)
			draw_seg(s, y, &s->cur[y].seg[i]);
	}
}

/* --- set-up ------------------------------------------------------------ */

struct screen *screen_new(const struct screen_opts *o)
{
	struct screen *s = xcalloc(1, sizeof *s);
	s->utf8 = o->utf8;
	s->eighths = o->eighths;
	s->title = xstrdup(o->title ? o->title : "");
	palette_init(o->color);
	screen_resized(s);
	return s;
}

static void free_rows(struct screen *s)
{
	if (s->key)
		for (int y = 0; y < s->rows; y++)
			free(s->key[y]);
	free(s->key);
	free(s->cur);
	s->key = NULL;
	s->cur = NULL;
}

void screen_free(struct screen *s)
{
	if (!s)
		return;
	free_rows(s);
	free(s->title);
	free(s);
}

void screen_resized(struct screen *s)
{
	free_rows(s);
	s->rows = LINES > 0 ? LINES : 1;
	s->cols = COLS > 0 ? COLS : 1;
	s->cur = xcalloc((size_t)s->rows, sizeof *s->cur);
	s->key = xcalloc((size_t)s->rows, sizeof *s->key);
	int bw = s->cols - 8;
	if (bw > 64)
		bw = 64;
	if (bw < 4)
		bw = s->cols - 2 > 0 ? s->cols - 2 : 1;
	s->bar_w = bw;
	s->count_w = bw;
	s->progress_w = bw;
	/* One clear after a resize; never per frame. */
	erase();
	clearok(curscr, TRUE);
}

static int bar_rate(const struct screen *s)
{
	return s->dark >= DARK_BAR || palette_plain_costs() ? SCREEN_DARK_BAR_RATE : SCREEN_BAR_RATE;
}

void screen_view(const struct screen *s, struct tl_view *v)
{
	bool small = !screen_fits(s->cols, s->rows);
	bool black = s->dark >= DARK_BLACK, framed = s->dark == DARK_NONE;
	v->bar_cells = small || black ? 0 : s->bar_w;
	v->bar_rate = bar_rate(s);
	v->count_cells = small || black ? 0 : s->count_w;
	v->progress_levels = small || s->rows < 10 || !framed ? 0 : s->progress_w;
	v->left_step_s = small || !framed ? 0 : 60; /* "N min left" */
	v->coalesce_us = SCREEN_COALESCE_US;
}

/* A look as the dark screen shows it. */
static enum palette_look darkened(const struct screen *s, enum palette_look look)
{
	return shade_darkened(look, (enum dark_level)s->dark);
}

/* --- the frame --------------------------------------------------------- */

enum block_id { B_WORD, B_BAR, B_TEXT, B_INFO, B_GUIDE, B_NEXT, B_BLOCKS };

struct block {
	enum block_id id;
	int h;
	int prio; /* dropped first when low */
	int y;
};

/* The phase word, and in a hold the seconds left in it: one thing moves at
 * a time. While the breath moves the bar is its count; while the breath is
 * held the bar stands still and the seconds count the hold down. (A second
 * shown while the bar moves would also cost a trip of the cursor away from
 * the bar's edge and back: over 19 s of 478, ten trips of 14 to 19 bytes
 * each, more than all the rest of the screen but the bar.) "Exhale 12" is
 * the widest: the word and the number keep fixed places so that a new
 * second rewrites one or two cells. */
static void word_line(struct screen *s, int y, const struct tl_state *st)
{
	int x = (s->cols - 9) / 2;
	if (x < 0)
		x = 0;
	text_at(s, y, x, darkened(s, LOOK_WORD), pace_phase_word(st->pace.phase));
	if (!pace_phase_is_hold(st->pace.phase) || s->dark >= DARK_DIMMER)
		return; /* the word alone: nothing ticks */
	/* Plain even when dimmed (the plain look dims with the screen): it
	 * changes every second, and a colour would cost more bytes than the
	 * dimmed screen saves. */
	char num[16];
	snprintf(num, sizeof num, "%2d", st->pace.seconds_left > 99 ? 99 : st->pace.seconds_left);
	text_at(s, y, x + 7, LOOK_PLAIN, num);
}

/* right: the time left; its first `ticking` bytes change every second (the
 * m:ss of the last minutes) and are drawn plain, as the countdown is: a
 * colour would cost some twenty bytes a second around a digit or two. */
static void info_line(struct screen *s, int y, const char *left, const char *right, int ticking)
{
	int bx = (s->cols - s->bar_w) / 2;
	if (bx < 0)
		bx = 0;
	text_at(s, y, bx, LOOK_DIM, left);
	int rw = (int)text_width(right);
	int rx = bx + s->bar_w - rw;
	if (rx <= bx + (int)text_width(left) + 1)
		return;
	if (ticking > 0) {
		char num[16];
		snprintf(num, sizeof num, "%.*s", ticking, right);
		text_at(s, y, rx, LOOK_PLAIN, num);
		text_at(s, y, rx + (int)text_width(num), LOOK_DIM, right + ticking);
	} else {
		text_at(s, y, rx, LOOK_DIM, right);
	}
}

static void help_box(struct screen *s)
{
	static const char *const lines[] = {
		"Keys",
		"",
		"space    pause or resume",
		"q, Esc   end the session",
		"+ / -    louder / softer",
		"m        mute or unmute",
		"v        voice off or on",
		"?        close this help",
	};
	const int n = (int)(sizeof lines / sizeof lines[0]);
	int w = 30, h = n + 2;
	if (w > s->cols)
		w = s->cols;
	if (h > s->rows)
		h = s->rows;
	int x = (s->cols - w) / 2, y = (s->rows - h) / 2;
	/* The rows the box stands on show only the box: text half hidden
	 * behind a border would read as words cut in two. */
	for (int i = 0; i < h; i++)
		if (y + i >= 0 && y + i < s->rows)
			s->cur[y + i].n = 0;
	const char *hz = s->utf8 ? "\xe2\x94\x80" : "-";
	const char *vt = s->utf8 ? "\xe2\x94\x82" : "|";
	const char *corner[4] = { "+", "+", "+", "+" };
	if (s->utf8) {
		corner[0] = "\xe2\x94\x8c"; /* top left, top right, bottom left, bottom right */
		corner[1] = "\xe2\x94\x90";
		corner[2] = "\xe2\x94\x94";
		corner[3] = "\xe2\x94\x98";
	}
	for (int i = 0; i < h; i++) {
		char buf[320];
		size_t used = 0;
		buf[0] = '\0';
		if (i == 0 || i == h - 1) {
			for (int c = 0; c < w && used + 4 < sizeof buf; c++) {
				const char *piece = c == 0 ? corner[i ? 2 : 0] : c == w - 1 ? corner[i ? 3 : 1] : hz;
				used += (size_t)snprintf(buf + used, sizeof buf - used, "%s", piece);
			}
		} else {
			const char *t = i - 1 < n ? lines[i - 1] : "";
			snprintf(buf, sizeof buf, "%s  %-*.*s%s", vt, w - 4, w - 4, t, vt);
		}
		text_at(s, y + i, x, LOOK_TEXT, buf);
	}
}

/* Below the smallest layout: the request for a larger terminal, in as many
 * rows as it has, in the longest words that fit whole. */
int screen_too_small_lines(int cols, int rows, char (*out)[TEXT_LINE_MAX])
{
	static const char *const asks[] = { SCREEN_TOO_SMALL, "Please make it larger", "Larger, please",
					    "Too small", "Larger", "+" };
	for (size_t a = 0; a < sizeof asks / sizeof asks[0]; a++) {
		int n = wrap(asks[a], cols, out, 6);
		if (n > rows)
			continue; /* rows are missing */
		/* A word wider than the terminal would have been cut in two:
		 * the lines, joined again, are the words as they were. */
		char joined[64] = "";
		size_t used = 0;
		for (int k = 0; k < n && used < sizeof joined; k++)
			used += (size_t)snprintf(joined + used, sizeof joined - used, "%s%.40s", k ? " " : "", out[k]);
		if (strcmp(joined, asks[a]) == 0)
			return n;
	}
	return 0;
}

void screen_too_small_put(void)
{
	char lines[6][TEXT_LINE_MAX];
	int n = screen_too_small_lines(COLS, LINES, lines);
	for (int k = 0; k < n; k++) {
		int w = (int)text_width(lines[k]);
		tty_put((LINES - n) / 2 + k, w < COLS ? (COLS - w) / 2 : 0, COLS, palette_attr(LOOK_TEXT),
			palette_pair(LOOK_TEXT), lines[k]);
	}
}

static void too_small(struct screen *s, enum palette_look look)
{
	char lines[6][TEXT_LINE_MAX];
	int n = screen_too_small_lines(s->cols, s->rows, lines);
	int y = (s->rows - n) / 2;
	for (int k = 0; k < n; k++)
		text_centered(s, y + k, look, lines[k]);
}

void screen_draw(struct screen *s, const struct tl_state *st, const struct screen_info *info)
{
	for (int y = 0; y < s->rows; y++)
		s->cur[y].n = 0;
	s->dark = info->dark < DARK_NONE ? DARK_NONE : info->dark > DARK_BLACK ? DARK_BLACK : info->dark;
	palette_dark((enum dark_level)s->dark);
	int R = s->rows, C = s->cols;
	bool framed = s->dark == DARK_NONE, bar_only = s->dark >= DARK_BAR;
	if (!screen_fits(C, R)) {
		if (!bar_only)
			too_small(s, darkened(s, LOOK_TEXT));
		flush_rows(s);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	int bw = s->bar_w, bx = (C - bw) / 2;

	/* The frame around the content. */
	int help = R - 1;
	int progress = R >= 10 ? R - 2 : -1;
	int status = R >= 12 ? R - 3 : -1;
	int safety = R >= 16 && info->safety ? R - 5 : -1;
	int title = R >= 10 ? 0 : -1;
	int ctop = title + 1;
	int cbot = (safety >= 0 ? safety : status >= 0 ? status : progress >= 0 ? progress : help) - 1;

	char left[64], right[64];
	char lines[6][TEXT_LINE_MAX];
	int nlines = 0;
	bool guide = st->kind != STEP_BREATHE && !st->done;
	int text_w = C - 4 > 64 ? 64 : C - 4;
	if (guide && st->text)
		nlines = wrap(st->text, text_w, lines, R >= 16 ? 4 : 2);
	/* The guidance under the breath: two lines where there is room. */
	char glines[2][TEXT_LINE_MAX];
	int nglines = 0;
	if (!guide)
		nglines = wrap(st->guidance ? st->guidance : "Breathe softly; let the bar lead.", text_w, glines,
			       R >= 16 ? 2 : 1);

	struct block b[B_BLOCKS];
	int nb = 0;
	if (st->breathing || !guide)
		b[nb++] = (struct block){ B_WORD, 1, 5, 0 };
	if (guide && nlines)
		b[nb++] = (struct block){ B_TEXT, nlines, 6, 0 };
	/* One row at every size: a taller bar is the same bar drawn again, and
	 * each row of it costs its bytes, and a cursor move, at every step. */
	b[nb++] = (struct block){ B_BAR, 1, 7, 0 };
	b[nb++] = (struct block){ B_INFO, 1, 3, 0 };
	if (!guide)
		b[nb++] = (struct block){ B_GUIDE, nglines, 2, 0 };
	else if (st->next[0])
		b[nb++] = (struct block){ B_NEXT, 1, 1, 0 };

	/* Fit: with a blank line between blocks if there is room, else packed,
	 * else drop the least important blocks. */
	int avail = cbot - ctop + 1;
	int gap = 1;
	for (;;) {
		int need = 0;
		for (int i = 0; i < nb; i++)
			need += b[i].h;
		if (need + (nb - 1) <= avail) {
			gap = 1;
			break;
		}
		if (need <= avail) {
			gap = 0;
			break;
		}
		int lo = 0;
		for (int i = 1; i < nb; i++)
			if (b[i].prio < b[lo].prio)
				lo = i;
		if (nb == 1) {
			b[0].h = avail > 0 ? avail : 0;
			gap = 0;
			break;
		}
		memmove(&b[lo], &b[lo + 1], (size_t)(nb - lo - 1) * sizeof b[0]);
		nb--;
	}
	int need = 0;
	for (int i = 0; i < nb; i++)
		need += b[i].h;
	need += gap * (nb - 1);
	int y = ctop + (avail - need) / 2;
	for (int i = 0; i < nb; i++) {
		b[i].y = y;
		y += b[i].h + gap;
	}

	/* The dark screen draws the same layout with less in it: what stays
	 * stays where it was. */
	for (int i = 0; i < nb; i++) {
		int by = b[i].y;
		if (s->dark >= DARK_BLACK || (bar_only && b[i].id != B_BAR) ||
		    (!framed && b[i].id == B_INFO) ||
		    (s->dark >= DARK_DIMMER && (b[i].id == B_GUIDE || b[i].id == B_NEXT)))
			continue;
		switch (b[i].id) {
		case B_WORD:
			if (st->done)
				text_centered(s, by, darkened(s, LOOK_WORD), "Done");
			else
				word_line(s, by, st);
			break;
		case B_TEXT:
			for (int k = 0; k < nlines && k < b[i].h; k++)
				text_centered(s, by + k, darkened(s, LOOK_TEXT), lines[k]);
			break;
		case B_BAR: {
			/* Plain at every level: the plain look dims with the
			 * screen from its first step, down to the near-black
			 * bar, at no cost a step (palette_dark). */
			enum palette_look look = LOOK_PLAIN;
			int rate = bar_rate(s);
			for (int k = 0; k < b[i].h; k++) {
				/* A guided step's countdown, unless it paces a breath:
				 * then the bar is the breath's, under its phase word, so
				 * the two cannot read as one bar emptying through an
				 * inhale (the step's seconds stay on the line below). */
				if (guide && !st->breathing)
					bar_at(s, by + k, bx, bw, timeline_count_eighths(st, bw, rate), look);
				else
					bar_at(s, by + k, bx, bw, pace_bar_eighths(&st->pace, bw, rate), look);
			}
			break;
		}
		case B_INFO: {
			/* Whole minutes, rounded as the menu and `lull list` round
			 * a program's length, so the two agree: a clock ticking
			 * seconds is not restful and costs bytes every second,
			 * the last minutes too (the progress line shows the end
			 * coming); under half a minute, "almost done". */
			struct tl_view v;
			screen_view(s, &v);
			int secs, min = timeline_left_shown(st, &v, &secs), ticking = 0;
			if (min > 0)
				snprintf(right, sizeof right, "%d min left", min);
			else if (min == 0)
				snprintf(right, sizeof right, "almost done");
			else
				ticking = snprintf(right, sizeof right, "%d:%02d left", secs / 60, secs % 60) - 5;
			int step_s = st->step_seconds_left;
			if (guide && step_s >= 60)
				snprintf(left, sizeof left, "%d:%02d", step_s / 60, step_s % 60);
			else if (guide)
				snprintf(left, sizeof left, "%d s", step_s);
			else if (st->breathing)
				snprintf(left, sizeof left, "cycle %u of %u", st->pace.cycle, st->pace.cycles);
			else
				left[0] = '\0';
			info_line(s, by, left, right, ticking);
			break;
		}
		case B_GUIDE:
			for (int k = 0; k < nglines && k < b[i].h; k++)
				text_centered(s, by + k, darkened(s, LOOK_TEXT), glines[k]);
			break;
		case B_NEXT: {
			/* In the block the step's words wrap to, not the
			 * whole width: one column of text, one centre. */
			char nx[TEXT_LINE_MAX];
			text_shorten(st->next, (size_t)text_w, nx, sizeof nx);
			text_centered(s, by, darkened(s, LOOK_NEXT), nx);
			break;
		}
		default:
			break;
		}
	}

	if (!framed) {
		/* No title, safety note, status, progress or key line. */
		flush_rows(s);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	if (title >= 0)
		text_at(s, title, bx, LOOK_DIM, s->title);
	if (safety >= 0) {
		char sl[2][TEXT_LINE_MAX];
		int n = wrap(info->safety, C - 4 > 76 ? 76 : C - 4, sl, 2);
		for (int k = 0; k < n; k++)
			text_centered(s, safety + k, LOOK_DIM, sl[k]);
	}
	if (status >= 0 && info->status && info->status[0])
		text_centered(s, status, LOOK_DIM, info->status);
	if (progress >= 0) {
		struct seg *g = add_seg(s, progress, SEG_PROGRESS, LOOK_PLAIN, bx, bw);
		if (g)
			g->val = timeline_progress(st, bw);
	}
	if (info->paused)
		text_centered(s, help, LOOK_TEXT, "Paused - space resumes, q ends");
	else
		text_centered(s, help, LOOK_DIM, C >= 56 ? "space pause   q quit   ? help   +/- volume   m mute"
					 : "space pause  q quit  ? help");
	if (info->help)
		help_box(s);

	flush_rows(s);
	wnoutrefresh(stdscr);
	doupdate();
}
