/* The menu. Drawn on key presses and resizes only; nothing moves by itself. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banner.h"
#include "catalog.h"
#include "errlog.h"
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
	bool header;
	const char *text;   /* header text */
	size_t entry;
};

struct menu {
	struct catalog_entry *e;
	size_t n;
	struct item *items;
	size_t nitems;
	size_t sel;         /* index into items (never a header) */
	size_t top;         /* first item shown */
	char banner[200];   /* a reminder that fired while the menu is open */
	char *chosen;       /* Enter: the program's name */
	const char *default_program;
	int fatal;          /* a signal to die of once the terminal is restored */
};

char *menu_last_used(void)
{
	return statefile_read("last-program");
}

/* The groups: what a program is for (program_group), then "Other" for a
 * program with no tags. A program stands in every group it belongs to. */
static size_t ngroups(void)
{
	size_t n = 0;
	while (program_group(n, NULL))
		n++;
	return n + 1;
}

static bool in_group(const struct catalog_entry *e, size_t g, size_t n)
{
	enum program_tag tag;
	if (g + 1 == n)
		return (e->tags & ((1u << PROGRAM_NTAGS) - 1)) == 0;
	program_group(g, &tag);
	return (e->tags & tag) != 0;
}

static void build_items(struct menu *m, const char *last)
{
	size_t ng = ngroups();
	m->items = xcalloc(m->n * ng + ng, sizeof *m->items);
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
					m->items[m->nitems++] = (struct item){
						.header = true, .text = g + 1 < ng ? program_group(g, NULL) : "Other" };
					any = true;
				}
				/* The first place of the program used last is chosen. */
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

static bool draw(void *ctx)
{
	struct menu *m = ctx;
	erase(); /* on a key press or a resize only */
	int R = LINES, C = COLS;
	if (C < SCREEN_MIN_COLS || R < SCREEN_MIN_ROWS) {
		put(R / 2, 0, LOOK_TEXT, 0, SCREEN_TOO_SMALL);
		wnoutrefresh(stdscr);
		doupdate();
		return true;
	}
	put(0, 2, LOOK_PLAIN, 0, "lull - choose a program");
	if (m->banner[0])
		put(1, 2, LOOK_PLAIN, A_BOLD, m->banner);
	int first = 2, last = R - 3; /* item rows */
	int rows = last - first + 1;
	if (m->sel < m->top)
		m->top = m->sel;
	if (m->sel >= m->top + (size_t)rows)
		m->top = m->sel - (size_t)rows + 1;
	/* Keep the group header of the top item in view when it fits. */
	if (m->top > 0 && m->items[m->top - 1].header && m->sel < m->top - 1 + (size_t)rows)
		m->top--;
	for (int r = 0; r < rows && m->top + (size_t)r < m->nitems; r++) {
		const struct item *it = &m->items[m->top + (size_t)r];
		int y = first + r;
		if (it->header) {
			put(y, 2, LOOK_DIM, 0, it->text);
			continue;
		}
		const struct catalog_entry *e = &m->e[it->entry];
		char len[16], line[512];
		length_text(e->length_s, len, sizeof len);
		/* The name in 14 columns, cut between characters; then what marks
		 * it: the default program, or one of your own. */
		size_t nb = text_prefix(e->name, 14);
		int pad = 14 - (int)text_width(e->name);
		const char *mark = strcmp(e->name, m->default_program) == 0 ? "default" : e->user ? "yours" : "";
		snprintf(line, sizeof line, "%c %.*s%*s %7s  %-7s  %s", m->top + (size_t)r == m->sel ? '>' : ' ',
			 (int)nb, e->name, pad > 0 ? pad : 0, "", len, mark, e->description ? e->description : "");
		/* Names and descriptions come from files: tty_put shows them safely. */
		put(y, 2, LOOK_PLAIN, m->top + (size_t)r == m->sel ? A_REVERSE : 0, line);
	}
	put(R - 1, 2, LOOK_DIM, 0, "up/down or j/k move   Enter start   q quit");
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
		if (!m->items[i].header) {
			m->sel = i;
			return;
		}
	}
}

static void free_menu(struct menu *m)
{
	catalog_free_list(m->e, m->n);
	free(m->items);
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
	case TTY_KEY:
		break;
	default:
		return true; /* a resize or fg: drawn again */
	}
	switch (ev->key) {
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
	const struct tty_view view = { .draw = draw, .handle = handle,
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
