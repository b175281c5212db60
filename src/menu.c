/* SPDX-License-Identifier: ISC */
/* The menu. Drawn on key presses and resizes only; nothing moves by itself. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banner.h"
#include "catalog.h"
#include "clock.h"
#include "errlog.h"
#include "listscroll.h"
#include "menu.h"
#include "pace.h"
#include "paths.h"
#include "screen.h"
#include "timeline.h"
#include "palette.h"
#include "statefile.h"
#include "text.h"
#include "tty.h"
#include "util.h"

struct item {
	const char *text;   /* a group's name (header[] says which rows are) */
	size_t entry;
};

struct menu {
	struct catalog_entry *e;
	size_t n;
	struct item *items;
	bool *header;       /* header[i]: item i is a group's name */
	size_t nitems;
	size_t sel;         /* index into items (never a header) */
	size_t top;         /* first item shown */
	char banner[200];   /* a reminder that fired while the menu is open */
	char *chosen;       /* Enter: the program's name */
	const char *default_program;
	bool help;          /* the help page is up */
	int fatal;          /* a signal to die of once the terminal is restored */
	int64_t banner_at;  /* without a banner watch: when to look for one next */
};

char *menu_last_used(void)
{
	return statefile_read("last-program");
}

/* The groups: what a program is for (program_group), then "Other" for a
 * program with no tags. A program stands once, in its own group
 * (catalog_group), as in `lull list` (it stood in every group it was
 * tagged with: winddown three times, 34 rows for 18 programs). */
static size_t ngroups(void)
{
	size_t n = 0;
	while (program_group(n, NULL))
		n++;
	return n + 1;
}

static bool in_group(const struct catalog_entry *e, size_t g, size_t n)
{
	return catalog_group(e) == (g + 1 == n ? SIZE_MAX : g);
}

static void build_items(struct menu *m, const char *last)
{
	size_t ng = ngroups();
	m->items = xcalloc(m->n * ng + ng, sizeof *m->items);
	m->header = xcalloc(m->n * ng + ng, sizeof *m->header);
	m->nitems = 0;
	m->sel = SIZE_MAX;
	for (size_t g = 0; g < ng; g++) {
		bool any = false;
		/* Yours first in each group, as in `lull list`. */
		for (int user = 1; user >= 0; user--) {
			for (size_t i = 0; i < m->n; i++) {
				if (m->e[i].user != (bool)user || !in_group(&m->e[i], g, ng))
					continue;
				if (!any) {
					m->header[m->nitems] = true;
					m->items[m->nitems++] = (struct item){
						.text = g + 1 < ng ? program_group(g, NULL) : "Other" };
					any = true;
				}
				/* The program used last is chosen. */
				if (m->sel == SIZE_MAX || (last && strcmp(m->e[i].name, last) == 0 &&
							   strcmp(m->e[m->items[m->sel].entry].name, last) != 0))
					m->sel = m->nitems;
				m->items[m->nitems++] = (struct item){ .entry = i };
			}
		}
	}
}

static void length_text(double s, char *buf, size_t size)
{
	if (s <= 0)
		buf[0] = '\0';
	else
		timeline_format_length((pace_us)(s * PACE_US_PER_S + 0.5), buf, size);
}

static void put(int y, int x, enum palette_look look, attr_t extra, const char *s)
{
	tty_put(y, x, COLS - x - 1, palette_attr(look) | extra, palette_pair(look), s);
}

/* The key line: the longest that fits the width whole. */
static const char *key_line(int cols)
{
	static const char *const keys[] = {
		"up/down or j/k move   Enter start   ? help   q quit",
		"up/down move   Enter start   ? help   q quit",
		"Enter start   ? help   q quit",
		"Enter start  q quit",
	};
	size_t i = 0;
	while (i + 1 < sizeof keys / sizeof keys[0] && (int)text_width(keys[i]) > cols)
		i++;
	return keys[i];
}

/* Short enough for 40 columns whole. */
static const char *const help_lines[] = {
	"Choosing a program",
	"",
	"up/down j/k   move",
	"g / G         the first, the last",
	"Enter         start it",
	"?             this help",
	"q / Esc       leave",
	"",
	"default  what lull starts when",
	"         no program is named",
	"yours    your own file",
	"",
	"Stop anything that hurts.",
	"More: lull help start; man lull",
};

static void draw_help(int R, int C)
{
	int n = (int)(sizeof help_lines / sizeof help_lines[0]);
	bool gaps = R >= n + 2; /* the blank lines, where there is room */
	int shown = 0;
	for (int i = 0; i < n; i++)
		shown += gaps || help_lines[i][0];
	int y = R > shown + 1 ? (R - 1 - shown) / 2 : 0, x = C >= 60 ? 4 : 1;
	for (int i = 0; i < n && y < R - 1; i++) {
		if (!gaps && !help_lines[i][0])
			continue;
		put(y++, x, i == 0 ? LOOK_TITLE : LOOK_TEXT, 0, help_lines[i]);
	}
	put(R - 1, x, LOOK_DIM, 0, "any key: back to the list");
}

/* Under the list: the chosen program's title and what it is for, or why
 * one of your files cannot be started. Returns the rows it takes. */
static int detail_rows(int R)
{
	return R >= 20 ? 3 : 2;
}

static void draw_detail(const struct menu *m, int y, int rows, int C)
{
	const struct catalog_entry *e = &m->e[m->items[m->sel].entry];
	char wrapped[3][TEXT_LINE_MAX];
	int width = C - 5;
	if (e->invalid) {
		char msg[700];
		snprintf(msg, sizeof msg, "Cannot start %s: %s", e->name, e->error ? e->error : "it has errors");
		int n = (int)text_wrap_fit(msg, (size_t)width, wrapped, (size_t)rows);
		for (int i = 0; i < n; i++)
			put(y + i, 2, LOOK_ACCENT, A_BOLD, wrapped[i]);
		return;
	}
	put(y, 2, LOOK_TITLE, A_BOLD, e->title ? e->title : e->name);
	int n = (int)text_wrap_fit(e->description ? e->description : "", (size_t)width, wrapped, (size_t)rows - 1);
	for (int i = 0; i < n; i++)
		put(y + 1 + i, 2, LOOK_TEXT, 0, wrapped[i]);
}

static bool draw(void *ctx)
{
	struct menu *m = ctx;
	erase(); /* on a key press or a resize only */
	int R = LINES, C = COLS;
	if (!screen_fits(C, R)) {
		screen_too_small_put();
		wnoutrefresh(stdscr);
		doupdate();
		return true;
	}
	if (m->help) {
		draw_help(R, C);
		wnoutrefresh(stdscr);
		doupdate();
		return true;
	}
	put(0, 2, LOOK_PLAIN, 0, "lull - choose a program");
	if (m->banner[0])
		put(1, 2, LOOK_PLAIN, A_BOLD, m->banner);
	/* Rows: the title (and banner), the list, a gap, the detail, the keys. */
	int details = detail_rows(R);
	int gap = R >= 20 ? 1 : 0; /* between the detail and the keys */
	int first = 2, last = R - 3 - details - gap; /* item rows */
	int rows = last - first + 1;
	bool pinned;
	m->top = listscroll_top(m->header, m->nitems, m->sel, m->top, rows > 0 ? (size_t)rows : 0, &pinned);
	/* Scrolled into a group, its name stands on the first row all the
	 * same: what a program is listed under is half of why it is there. */
	if (pinned) {
		size_t h = m->top;
		while (h > 0 && !m->header[h])
			h--;
		put(first, 2, LOOK_DIM, 0, m->items[h].text);
		first++;
		rows--;
	}
	/* The name column as wide as the longest name, 14 at most. */
	int name_w = 4;
	for (size_t i = 0; i < m->n; i++) {
		int w = (int)text_width(m->e[i].name);
		if (w > name_w)
			name_w = w;
	}
	if (name_w > 14)
		name_w = 14;
	for (int r = 0; r < rows && m->top + (size_t)r < m->nitems; r++) {
		const struct item *it = &m->items[m->top + (size_t)r];
		int y = first + r;
		if (m->header[m->top + (size_t)r]) {
			put(y, 2, LOOK_DIM, 0, it->text);
			continue;
		}
		const struct catalog_entry *e = &m->e[it->entry];
		char len[16], line[512];
		length_text(e->length_s, len, sizeof len);
		/* The name cut between characters past its column (names are one
		 * word); then what marks it: the default program, or your own. */
		size_t nb = text_prefix(e->name, (size_t)name_w);
		int pad = name_w - (int)text_width(e->name);
		const char *mark = e->invalid ? "errors" : strcmp(e->name, m->default_program) == 0 ? "default"
							   : e->user ? "yours" : "";
		int used = snprintf(line, sizeof line, "%c %.*s%*s %7s  %-7s", m->top + (size_t)r == m->sel ? '>' : ' ',
				    (int)nb, e->name, pad > 0 ? pad : 0, "", len, mark);
		/* What it is for, where a few words of it fit; the whole of it is
		 * under the list for the one chosen. */
		int room = C - 3 - (used + 2);
		if (room >= 16 && e->description && !e->invalid)
			snprintf(line + used, sizeof line - (size_t)used, "  %s", e->description);
		/* Names and descriptions come from files: tty_put shows them safely,
		 * shortened at a word. */
		put(y, 2, LOOK_PLAIN, 0, line);
		/* The chosen one: its mark and its name in the accent, bold. It
		 * was a reverse bar the width of the screen, the brightest thing
		 * on it, in a dark bedroom. */
		if (m->top + (size_t)r == m->sel) {
			line[2 + nb] = '\0';
			put(y, 2, LOOK_ACCENT, 0, line);
		}
	}
	draw_detail(m, last + 2, details, C);
	put(R - 1, 2, LOOK_DIM, 0, key_line(C - 3));
	wnoutrefresh(stdscr);
	doupdate();
	return true;
}

static void move_sel(struct menu *m, int dir)
{
	size_t i = m->sel;
	for (;;) {
		if (dir < 0 && i == 0)
			return;
		if (dir > 0 && i + 1 >= m->nitems)
			return;
		i = dir < 0 ? i - 1 : i + 1;
		if (!m->header[i]) {
			m->sel = i;
			return;
		}
	}
}

static void free_menu(struct menu *m)
{
	catalog_free_list(m->e, m->n);
	free(m->items);
	free(m->header);
}

static void take_banner(struct menu *m, int watch_fd)
{
	char buf[4096];
	while (watch_fd >= 0 && read(watch_fd, buf, sizeof buf) > 0)
		;
	char msg[160];
	if (banner_take(msg, sizeof msg))
		snprintf(m->banner, sizeof m->banner, "Reminder: %s", msg); /* drawn through tty_put */
}

/* Reads the programs again (the person may have fixed the file in another
 * terminal), keeping the choice. True when the chosen one can start now. */
static bool reload(struct menu *m)
{
	char *name = xstrdup(m->e[m->items[m->sel].entry].name);
	catalog_free_list(m->e, m->n);
	free(m->items);
	free(m->header);
	m->n = catalog_list(&m->e);
	build_items(m, name);
	free(name);
	return !m->e[m->items[m->sel].entry].invalid;
}

/* Where there is no banner watch (no inotify: banner_watch() is -1), the
 * menu looks for the marker this often; a stat and nothing more when there
 * is none. */
#define BANNER_LOOK_NS 1000000000LL

static int64_t banner_deadline(void *ctx)
{
	return ((struct menu *)ctx)->banner_at;
}

static bool handle(void *ctx, const struct tty_event *ev)
{
	struct menu *m = ctx;
	switch (ev->kind) {
	case TTY_FATAL:
		m->fatal = ev->sig;
		return false;
	case TTY_HANGUP:
		return false;
	case TTY_FD:
		take_banner(m, ev->fd);
		return true;
	case TTY_DEADLINE: /* only without a banner watch: look for one */
		take_banner(m, -1);
		m->banner_at = clock_mono_ns() + BANNER_LOOK_NS;
		return true;
	case TTY_KEY:
		break;
	default:
		return true; /* a resize or fg: drawn again */
	}
	if (m->help) { /* any key closes the help, and does nothing else */
		m->help = false;
		return true;
	}
	switch (ev->key) {
	case '?': case 'h': case KEY_F(1):
		m->help = true;
		break;
	case KEY_UP: case 'k':
		move_sel(m, -1);
		break;
	case KEY_DOWN: case 'j':
		move_sel(m, +1);
		break;
	case KEY_HOME: case 'g':
		m->sel = 0;
		move_sel(m, +1);
		break;
	case KEY_END: case 'G':
		m->sel = m->nitems - 1;
		break;
	case '\n': case '\r': case KEY_ENTER:
		if (m->e[m->items[m->sel].entry].invalid && !reload(m))
			break; /* still broken: its error stays under the list */
		m->chosen = xstrdup(m->e[m->items[m->sel].entry].name);
		return false;
	case 'q': case 'Q': case 27:
		return false;
	case 12: /* Ctrl-L */
		clearok(curscr, TRUE);
		break;
	default:
		break;
	}
	return true;
}

char *menu_choose(const struct settings *set)
{
	struct menu m;
	memset(&m, 0, sizeof m);
	m.n = catalog_list(&m.e); /* never empty: the built-ins are compiled in */
	m.default_program = set->default_program;
	char *last = menu_last_used();
	if (!last)
		last = xstrdup(set->default_program);
	build_items(&m, last);
	free(last);

	if (tty_signals_init() < 0 || (errlog_capture(), !tty_open())) {
		errlog_release();
		free_menu(&m);
		fprintf(stderr, "lull: cannot start the full screen\n");
		return NULL;
	}
	palette_init(set->color);
	/* A reminder that fired just before, or fires while the menu is open,
	 * stands as a banner under the title. */
	int watch = banner_watch();
	take_banner(&m, -1);
	m.banner_at = clock_mono_ns() + BANNER_LOOK_NS;
	const struct tty_view view = { .draw = draw, .handle = handle,
				       .deadline = watch >= 0 ? NULL : banner_deadline,
				       .fds = &watch, .nfds = watch >= 0 ? 1 : 0 };
	tty_run(&view, &m);
	if (watch >= 0)
		close(watch);
	tty_close();
	errlog_release();
	free_menu(&m);
	if (m.fatal) {
		free(m.chosen);
		tty_reraise(m.fatal);
		return NULL;
	}
	return m.chosen;
}
