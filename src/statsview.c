/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <curses.h>
#include <langinfo.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "palette.h"
#include "statsview.h"
#include "screen.h"
#include "text.h"
#include "tty.h"
#include "util.h"

static const char *const vblock[9] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
static const char *const hblock[9] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█" };
static const char ascii_spark[] = "_.,-=+*#";

/* ------------------------------------------------------------ text pieces */

/* The locale's abbreviated weekday (0 = Sunday) and month (1..12) names. */
static const char *wday_name(int wd)
{
	return nl_langinfo(ABDAY_1 + wd);
}

static const char *month_name(int m)
{
	return nl_langinfo(ABMON_1 + m - 1);
}

/* "Mon 23 Nov" or, with the year, "23 Nov 2026". */
static void day_label(long day, bool weekday, bool year, char *buf, size_t size)
{
	int y, m, d;
	cal_civil_from_days(day, &y, &m, &d);
	if (year)
		snprintf(buf, size, "%d %s %d", d, month_name(m), y);
	else if (weekday)
		snprintf(buf, size, "%s %d %s", wday_name(cal_weekday(day)), d, month_name(m));
	else
		snprintf(buf, size, "%2d %s", d, month_name(m));
}

/* Appends s to buf (bounded). */
static void cat(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf);
	if (n < size)
		str_copy(buf + n, s, size - n);
}

/* A horizontal bar of value/max over width cells, in eighths of a cell
 * (whole cells, rounded, where eighths cannot be drawn). */
static void hbar(char *buf, size_t size, double value, double max, int width, bool utf8, bool eighths)
{
	buf[0] = '\0';
	if (max <= 0 || value <= 0)
		return;
	long e = (long)(value / max * width * 8 + 0.5);
	if (e < 1)
		e = 1;
	for (; e >= 8; e -= 8)
		cat(buf, size, utf8 ? hblock[8] : "#");
	if (e > 0)
		cat(buf, size, utf8 && eighths ? hblock[e] : e < 4 ? "" : utf8 ? hblock[8] : "#");
}

/* A sparkline of relief (before - after): taller is more relief; 8 and more
 * is a full block, no change or worse the lowest. */
static void sparkline(char *buf, size_t size, const double *v, int n, bool utf8)
{
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		double r = v[i] < 0 ? 0 : v[i] > 8 ? 8 : v[i];
		int level = (int)(r / 8 * 7 + 0.5); /* 0..7 */
		if (utf8) {
			cat(buf, size, vblock[level + 1]);
		} else {
			char c[2] = { ascii_spark[level], '\0' };
			cat(buf, size, c);
		}
	}
}

/* Heat levels by minutes of the day: fixed, so a colour means the same
 * thing next month. 0 none, 1 under 5, 2 under 10, 3 under 20, 4 more. */
static int heat_level(double minutes)
{
	if (minutes <= 0)
		return 0;
	return minutes < 5 ? 1 : minutes < 10 ? 2 : minutes < 20 ? 3 : 4;
}

static const char *heat_glyph(int level, bool future, bool utf8)
{
	static const char *const u[] = { "·", "░", "▒", "▓", "█" };
	static const char *const a[] = { ".", "-", "+", "*", "#" };
	if (future)
		return " ";
	return utf8 ? u[level] : a[level];
}

static const char *arrow(bool utf8)
{
	return utf8 ? "→" : "->";
}

/* The lines every view shares. */
static void streak_text(const struct stats *s, char *buf, size_t size)
{
	if (s->streak_weeks > 0)
		snprintf(buf, size, "%d week%s (%d practice day%s), %d or more days a week",
		         s->streak_weeks, s->streak_weeks == 1 ? "" : "s", s->streak_day_count,
		         s->streak_day_count == 1 ? "" : "s", s->streak_days);
	else
		snprintf(buf, size, "none running; %d day%s in a week start%s one", s->streak_days,
		         s->streak_days == 1 ? "" : "s", s->streak_days == 1 ? "s" : "");
}

static void longest_text(const struct stats *s, char *buf, size_t size)
{
	if (s->longest_weeks > 0)
		snprintf(buf, size, "%d week%s (%d practice day%s)", s->longest_weeks,
		         s->longest_weeks == 1 ? "" : "s", s->longest_day_count,
		         s->longest_day_count == 1 ? "" : "s");
	else
		str_copy(buf, "none yet", size);
}

static void total_text(const struct statsview_ctx *c, char *buf, size_t size)
{
	const struct stats *s = c->s;
	char from[32] = "";
	snprintf(buf, size, "%.0f minute%s, %zu session%s on %zu day%s",
	         s->total_minutes, (long)(s->total_minutes + 0.5) == 1 ? "" : "s",
	         s->practice_sessions, s->practice_sessions == 1 ? "" : "s",
	         s->practice_days, s->practice_days == 1 ? "" : "s");
	if (s->practice_days) {
		day_label(c->since != STATS_ALL_TIME ? c->since : s->first_day, false, true,
		          from, sizeof from);
		cat(buf, size, " since ");
		cat(buf, size, from);
	}
}

static void week_days_text(const struct statsview_ctx *c, char *buf, size_t size)
{
	const struct stats *s = c->s;
	snprintf(buf, size, "%d practice day%s", s->week_days, s->week_days == 1 ? "" : "s");
	for (int i = 0; i < 7; i++) {
		if (s->week_mask & (1u << i)) {
			cat(buf, size, i == 0 || !(s->week_mask & ((1u << i) - 1)) ? ": " : " ");
			cat(buf, size, wday_name(cal_weekday(s->week_start + i)));
		}
	}
}

/* A change of tension in words: "4 points lower", "0.5 points higher",
 * "no change" (lower is less tense: the words say which way, not a verdict). */
static void change_words(double change, char *buf, size_t size)
{
	double m = fabs(change);
	if (m < 0.05) {
		str_copy(buf, "no change", size);
		return;
	}
	char n[16];
	snprintf(n, sizeof n, "%.1f", m);
	size_t len = strlen(n);
	if (len > 2 && strcmp(n + len - 2, ".0") == 0)
		n[len - 2] = '\0';
	snprintf(buf, size, "%s point%s %s", n, strcmp(n, "1") == 0 ? "" : "s", change < 0 ? "lower" : "higher");
}

static void tension_line(const struct stats_tension *t, bool utf8, bool eighths, char *buf, size_t size)
{
	char ch[40], sp[STATS_TREND * 4 + 1];
	change_words(t->change, ch, sizeof ch);
	sparkline(sp, sizeof sp, t->trend, t->ntrend, utf8 && eighths);
	snprintf(buf, size, "%.1f %s %.1f, %s (%d check-in%s)  %s", t->before,
	         arrow(utf8), t->after, ch, t->count, t->count == 1 ? "" : "s", sp);
}

/* The calendar's months: each name over the column of the week its first
 * day falls in, none overlapping; the first column is named too when the
 * next month's name leaves room for it. Columns first..STATS_HEAT_WEEKS-1;
 * writes the row into line. */
static void month_labels(const struct stats *s, int first, char *line, size_t size)
{
	int width = STATS_HEAT_WEEKS - first + 4;
	if ((size_t)width >= size)
		width = (int)size - 1;
	memset(line, ' ', (size_t)width);
	line[width] = '\0';
	int col_of[STATS_HEAT_WEEKS], month_of[STATS_HEAT_WEEKS], n = 0;
	for (int w = first; w < STATS_HEAT_WEEKS; w++) {
		int month = 0;
		for (int d = 0; d < 7 && !month; d++) {
			int y, m, day;
			cal_civil_from_days(s->heat_start + w * 7 + d, &y, &m, &day);
			if (day == 1)
				month = m;
		}
		if (!month && w == first) { /* the month in progress at the left edge */
			int y, day;
			cal_civil_from_days(s->heat_start + w * 7, &y, &month, &day);
		}
		if (month) {
			col_of[n] = w - first;
			month_of[n++] = month;
		}
	}
	if (n > 1 && col_of[0] == 0 && month_of[0] != month_of[1] && col_of[1] < 4) {
		/* The month in progress at the left edge would crowd the next. */
		memmove(col_of, col_of + 1, sizeof col_of[0] * (size_t)(n - 1));
		memmove(month_of, month_of + 1, sizeof month_of[0] * (size_t)(n - 1));
		n--;
	}
	int free_at = 0;
	for (int i = 0; i < n; i++) {
		const char *name = month_name(month_of[i]);
		size_t len = strlen(name) > 3 ? 3 : strlen(name);
		if (col_of[i] < free_at || col_of[i] + (int)len > width)
			continue;
		memcpy(line + col_of[i], name, len);
		free_at = col_of[i] + (int)len + 1;
	}
	for (int i = width - 1; i >= 0 && line[i] == ' '; i--)
		line[i] = '\0';
}

static void mornings_text(const struct stats *s, char *buf, size_t size)
{
	char part[96];
	buf[0] = '\0';
	if (s->sleep_count) {
		snprintf(part, sizeof part, "sleep %.1f/10 on average (%d)", s->sleep_avg, s->sleep_count);
		cat(buf, size, part);
	}
	if (s->pain_count) {
		snprintf(part, sizeof part, "%spain on waking %.1f/10 (%d)",
		         buf[0] ? ", " : "", s->pain_avg, s->pain_count);
		cat(buf, size, part);
	}
	if (!buf[0])
		str_copy(buf, "none answered", size);
}

/* ------------------------------------------------------------ plain text */

void statsview_print(FILE *f, const struct statsview_ctx *c)
{
	const struct stats *s = c->s;
	char buf[512], label[40];

	day_label(c->today, true, false, label, sizeof label);
	int y, m, d;
	cal_civil_from_days(c->today, &y, &m, &d);
	fprintf(f, "lull stats, %s %d\n\n", label, y);
	week_days_text(c, buf, sizeof buf);
	day_label(s->week_start, true, false, label, sizeof label);
	fprintf(f, "This week       %s (week from %s)\n", buf, label);
	streak_text(s, buf, sizeof buf);
	fprintf(f, "Streak          %s\n", buf);
	longest_text(s, buf, sizeof buf);
	fprintf(f, "Longest streak  %s\n", buf);
	total_text(c, buf, sizeof buf);
	fprintf(f, "Total           %s\n", buf);

	fprintf(f, "\nLast %d weeks (week from, sessions, minutes)\n", STATS_WEEKS);
	for (int i = 0; i < STATS_WEEKS; i++) {
		const struct stats_week *w = &s->weeks[i];
		day_label(w->start, false, false, label, sizeof label);
		hbar(buf, sizeof buf, w->minutes, s->weeks_max_minutes, 30, c->utf8, c->eighths);
		fprintf(f, "  %-7s %3d %5.0f  %s%s\n", label, w->sessions, w->minutes, buf,
		        i == STATS_WEEKS - 1 ? (buf[0] ? "  (this week)" : "(this week)") : "");
	}

	fprintf(f, "\nLast %d weeks by day (%s none, %s under 5 min, %s 5-9, %s 10-19, %s 20 or more)\n",
	        STATS_HEAT_WEEKS, heat_glyph(0, false, c->utf8), heat_glyph(1, false, c->utf8),
	        heat_glyph(2, false, c->utf8), heat_glyph(3, false, c->utf8),
	        heat_glyph(4, false, c->utf8));
	for (int row = 0; row < 7; row++) {
		fprintf(f, "  %-4s", wday_name(cal_weekday(s->heat_start + row)));
		for (int w = 0; w < STATS_HEAT_WEEKS; w++) {
			double v = s->heat[w * 7 + row];
			fputs(heat_glyph(heat_level(v), v < 0, c->utf8), f);
		}
		fputc('\n', f);
	}
	char months[STATS_HEAT_WEEKS + 8];
	month_labels(s, 0, months, sizeof months);
	fprintf(f, "      %s\n", months);

	fputc('\n', f);
	if (s->tension.count) {
		tension_line(&s->tension, c->utf8, c->eighths, buf, sizeof buf);
		fprintf(f, "Tension         %s\n", buf);
		for (size_t i = 0; i < s->nprograms; i++) {
			tension_line(&s->programs[i], c->utf8, c->eighths, buf, sizeof buf);
			fprintf(f, "  %-13s %s\n", s->programs[i].program, buf);
		}
	} else {
		fprintf(f, "Tension         no check-ins yet (lull start --checkin)\n");
	}
	if (s->mornings) {
		mornings_text(s, buf, sizeof buf);
		fprintf(f, "Mornings        %s\n", buf);
	}
	stats_note(s, buf, sizeof buf);
	fprintf(f, "\n%s\n", buf);
}

/* ------------------------------------------------------------ the screen */

struct view {
	const struct statsview_ctx *c;
	bool minutes;        /* bars show minutes (else sessions) */
	enum palette_look text, dim, accent, title, heat[5];
	bool done;           /* q */
	int status;          /* the exit status: 1 when the terminal went away */
	int fatal;           /* a signal to die of once the terminal is restored */
};

static void palette(struct view *v)
{
	palette_init(v->c->color);
	v->text = LOOK_TEXT;
	v->dim = LOOK_DIM;
	v->accent = LOOK_ACCENT;
	v->title = LOOK_TITLE;
	for (int i = 0; i < 5; i++)
		v->heat[i] = (enum palette_look)(LOOK_HEAT0 + i);
}

/* Text at y, x, clipped at the right edge (curses would wrap it onto the
 * next row and spoil the layout). */
static void put(int y, int x, enum palette_look look, const char *s)
{
	tty_put(y, x, COLS - x, palette_attr(look), palette_pair(look), s);
}

/* Word-wraps text into rows from y on, at most max rows, the last ending
 * at a word with an ellipsis when text is left over; returns rows used. */
static int wrap(int y, int x, int width, int max, enum palette_look look, const char *text)
{
	if (width <= 10 || max <= 0)
		return 0;
	char wrapped[8][TEXT_LINE_MAX];
	int n = (int)text_wrap_fit(text, (size_t)width, wrapped, max < 8 ? (size_t)max : 8);
	for (int i = 0; i < n; i++)
		put(y + i, x, look, wrapped[i]);
	return n;
}

/* Vertical bars for the 12 weeks, height rows, bottom at y_bottom. */
static void draw_bars(struct view *v, int y_bottom, int x, int height)
{
	const struct stats *s = v->c->s;
	double max = v->minutes ? s->weeks_max_minutes : s->weeks_max_sessions;
	bool utf8 = v->c->utf8;
	for (int i = 0; i < STATS_WEEKS; i++) {
		const struct stats_week *w = &s->weeks[i];
		double val = v->minutes ? w->minutes : w->sessions;
		long e = max > 0 ? (long)(val / max * height * 8 + 0.5) : 0;
		if (val > 0 && e < 1)
			e = 1;
		int cx = x + i * 3;
		enum palette_look a = i == STATS_WEEKS - 1 ? v->title : v->accent;
		for (int r = 0; r < height; r++) {
			long here = e - r * 8;
			int idx = here >= 8 ? 8 : here > 0 ? (int)here : 0;
			const char *g = utf8 ? vblock[idx] : (idx >= 4 ? "#" : " ");
			char cell[16];
			snprintf(cell, sizeof cell, "%s%s", g, g);
			put(y_bottom - r, cx, a, cell);
		}
		if (val <= 0)
			put(y_bottom, cx, v->dim, utf8 ? "··" : "..");
	}
	char lab[40];
	day_label(s->weeks[0].start, false, false, lab, sizeof lab);
	put(y_bottom + 1, x, v->dim, lab);
	put(y_bottom + 1, x + STATS_WEEKS * 3 - 4, v->dim, "now");
	snprintf(lab, sizeof lab, v->minutes ? "%.0f min" : "%.0f", max);
	put(y_bottom - height + 1, x + STATS_WEEKS * 3, v->dim, lab);
}

/* The calendar: a row a weekday, a column a week, then (when they fit) the
 * months under it and what the shades mean: 7 rows, 8 or 9. */
static void draw_heat(struct view *v, int y, int x, int weeks, bool months, bool legend)
{
	const struct stats *s = v->c->s;
	int first = STATS_HEAT_WEEKS - weeks;
	if (months) {
		char line[STATS_HEAT_WEEKS + 8];
		month_labels(s, first, line, sizeof line);
		put(y + 7, x + 4, v->dim, line);
	}
	if (legend) {
		static const char *const words[] = { "none", "<5", "<10", "<20", "20+ min" };
		int lx = x;
		for (int lv = 0; lv < 5; lv++) {
			put(y + 8, lx, v->heat[lv], heat_glyph(lv, false, v->c->utf8));
			put(y + 8, lx + 2, v->dim, words[lv]);
			lx += 3 + (int)strlen(words[lv]);
		}
	}
	for (int row = 0; row < 7; row++) {
		char name[16];
		snprintf(name, sizeof name, "%.3s", wday_name(cal_weekday(s->heat_start + row)));
		put(y + row, x, v->dim, name);
		for (int w = first; w < STATS_HEAT_WEEKS; w++) {
			double val = s->heat[w * 7 + row];
			int lv = heat_level(val);
			put(y + row, x + 4 + (w - first), v->heat[lv],
			    heat_glyph(lv, val < 0, v->c->utf8));
		}
	}
}

static void draw(struct view *v)
{
	const struct statsview_ctx *c = v->c;
	const struct stats *s = c->s;
	char buf[512], lab[40];
	erase();
	if (LINES < 12 || COLS < 44) {
		screen_too_small_put(); /* (q still quits) */
		refresh();
		return;
	}
	put(0, 1, v->title, "lull · your practice"); /* "lull - your practice" where not UTF-8 (tty_text) */
	day_label(c->today, true, false, lab, sizeof lab);
	put(0, COLS - (int)text_width(lab) - 2, v->dim, lab);

	/* This week: one mark per day, in the locale's order. */
	int y = 2;
	put(y, 1, v->dim, "This week");
	for (int i = 0; i < 7; i++) {
		long d = s->week_start + i;
		char name[8];
		snprintf(name, sizeof name, "%.2s", wday_name(cal_weekday(d)));
		bool done = s->week_mask & (1u << i);
		put(y, 14 + i * 4, d == c->today ? v->title : v->dim, name);
		put(y, 16 + i * 4, done ? v->accent : v->dim,
		    d > c->today ? " " : done ? (c->utf8 ? "●" : "*") : (c->utf8 ? "·" : "."));
	}
	snprintf(buf, sizeof buf, "%d of %d", s->week_days, s->streak_days);
	if (COLS > 56)
		put(y, 44, v->text, buf);
	streak_text(s, buf, sizeof buf);
	put(++y, 1, v->dim, "Streak");
	put(y, 14, v->text, buf);
	longest_text(s, buf, sizeof buf);
	put(++y, 1, v->dim, "Longest");
	put(y, 14, v->text, buf);
	total_text(c, buf, sizeof buf);
	put(++y, 1, v->dim, "Total");
	put(y, 14, v->text, buf);

	/* The charts, side by side when they fit, else the bars alone. */
	y += 2;
	int bar_h = LINES >= 24 ? 6 : LINES >= 18 ? 4 : 2;
	put(y, 1, v->dim, v->minutes ? "Minutes a week" : "Sessions a week");
	int heat_x = 1 + STATS_WEEKS * 3 + 9;
	int heat_weeks = COLS - heat_x - 6;
	if (heat_weeks > STATS_HEAT_WEEKS)
		heat_weeks = STATS_HEAT_WEEKS;
	bool heat = heat_weeks >= 8 && LINES >= 20;
	bool months = heat && LINES >= 21, legend = heat && LINES >= 24;
	if (heat) {
		snprintf(buf, sizeof buf, "Last %d weeks", heat_weeks);
		put(y, heat_x, v->dim, buf);
	}
	draw_bars(v, y + bar_h, 1, bar_h);
	if (heat)
		draw_heat(v, y + 1, heat_x, heat_weeks, months, legend);
	y += (heat ? 8 + months + legend : bar_h + 2) + 1;

	/* Tension, overall and per program, while rows remain for the note. */
	int rows_left = LINES - 1 - y;
	if (rows_left >= 3) {
		if (s->tension.count) {
			tension_line(&s->tension, c->utf8, c->eighths, buf, sizeof buf);
			put(y, 1, v->dim, "Tension");
			put(y++, 14, v->text, buf);
			for (size_t i = 0; i < s->nprograms && y < LINES - 6; i++) {
				tension_line(&s->programs[i], c->utf8, c->eighths, buf, sizeof buf);
				snprintf(lab, sizeof lab, "%.11s", s->programs[i].program);
				put(y, 3, v->dim, lab);
				put(y++, 14, v->text, buf);
			}
		} else {
			put(y, 1, v->dim, "Tension");
			put(y++, 14, v->dim, "no check-ins yet (lull start --checkin)");
		}
		if (s->mornings && y < LINES - 5) {
			mornings_text(s, buf, sizeof buf);
			put(y, 1, v->dim, "Mornings");
			put(y++, 14, v->text, buf);
		}
	}
	stats_note(s, buf, sizeof buf);
	if (y + 4 <= LINES - 2)
		y++; /* a blank line before the note when it still fits in 3 rows */
	if (y < LINES - 2)
		wrap(y, 1, COLS - 2, LINES - 2 - y, v->dim, buf);
	put(LINES - 1, 1, v->dim, v->minutes ? "q quit   m sessions a week" : "q quit   m minutes a week");
	refresh();
}

static bool view_draw(void *ctx)
{
	draw(ctx);
	return true;
}

static bool view_handle(void *ctx, const struct tty_event *ev)
{
	struct view *v = ctx;
	switch (ev->kind) {
	case TTY_KEY:
		if (ev->key == 'q' || ev->key == 'Q' || ev->key == 27)
			return false;
		if (ev->key == 'm' || ev->key == 'M' || ev->key == 's' || ev->key == 'S')
			v->minutes = !v->minutes;
		return true;
	case TTY_FATAL:
		v->fatal = ev->sig;
		v->status = 1;
		return false;
	case TTY_HANGUP:
		v->status = 1;
		return false;
	default:
		return true; /* a resize or fg: drawn again at the new size */
	}
}

int statsview_run(const struct statsview_ctx *c)
{
	/* The shared terminal shell: newterm (never exits on a strange TERM),
	 * signals through its self-pipe, restore at exit. */
	if (!tty_open())
		return -1;
	struct view v = { .c = c, .minutes = true };
	palette(&v);
	const struct tty_view view = { .draw = view_draw, .handle = view_handle };
	tty_run(&view, &v);
	tty_close();
	if (c->warnings && c->warnings[0])
		fputs(c->warnings, stderr);
	if (v.fatal) /* the terminal is restored: now die of it, as asked */
		tty_reraise(v.fatal);
	return v.status;
}
