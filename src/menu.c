/* The menu. Drawn on key presses and resizes only; nothing moves by itself. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
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
#include "statefile.h"
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
	bool color;
	char banner[200];   /* a reminder that fired while the menu is open */
};

char *menu_last_used(void)
{
	return statefile_read("last-program");
}

static const struct { unsigned tag; const char *name; } groups[] = {
	{ TAG_SLEEP, "Sleep" },
	{ TAG_TENSION, "Tension" },
	{ TAG_STRETCH, "Stretch" },
	{ TAG_BREATHING, "Breathing" },
	{ 0, "Other" },
};
#define NGROUPS (sizeof groups / sizeof groups[0])

static size_t group_of(unsigned tags)
{
	for (size_t g = 0; g + 1 < NGROUPS; g++)
		if (tags & groups[g].tag)
			return g;
	return NGROUPS - 1;
}

static void build_items(struct menu *m, const char *last)
{
	m->items = xcalloc(m->n + NGROUPS, sizeof *m->items);
	m->nitems = 0;
	m->sel = SIZE_MAX;
	for (size_t g = 0; g < NGROUPS; g++) {
		bool any = false;
		for (size_t i = 0; i < m->n; i++) {
			if (group_of(m->e[i].tags) != g)
				continue;
			if (!any) {
				m->items[m->nitems++] = (struct item){ .header = true, .text = groups[g].name };
				any = true;
			}
			if (m->sel == SIZE_MAX || (last && strcmp(m->e[i].name, last) == 0 &&
						   strcmp(m->e[m->items[m->sel].entry].name, last) != 0))
				m->sel = m->nitems;
			m->items[m->nitems++] = (struct item){ .entry = i };
		}
	}
}

static void length_text(double s, char *buf, size_t size)
{
	if (s <= 0)
		buf[0] = '\0';
	else if (s < 60)
		snprintf(buf, size, "%d s", (int)(s + 0.5));
	else
		snprintf(buf, size, "%d min", (int)(s / 60 + 0.5));
}

static void draw(struct menu *m)
{
	erase(); /* on a key press or a resize only */
	int R = LINES, C = COLS;
	if (C < SCREEN_MIN_COLS || R < SCREEN_MIN_ROWS) {
		mvaddnstr(R / 2, 0, SCREEN_TOO_SMALL, C - 1 > 0 ? C - 1 : 0);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	attr_t dim = A_DIM;
	mvaddnstr(0, 2, "lull - choose a program", C - 3);
	if (m->banner[0]) {
		attr_set(A_BOLD, 0, NULL);
		mvaddnstr(1, 2, m->banner, C - 3);
		attr_set(A_NORMAL, 0, NULL);
	}
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
			attr_set(dim, 0, NULL);
			mvaddnstr(y, 2, it->text, C - 3);
			attr_set(A_NORMAL, 0, NULL);
			continue;
		}
		const struct catalog_entry *e = &m->e[it->entry];
		char len[16], line[512];
		length_text(e->length_s, len, sizeof len);
		snprintf(line, sizeof line, "%c %-14.14s %7s  %s", m->top + (size_t)r == m->sel ? '>' : ' ',
			 e->name, len, e->description ? e->description : "");
		/* Names and descriptions come from files: print them safely. */
		for (char *c = line; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
		if (m->top + (size_t)r == m->sel)
			attr_set(A_REVERSE, 0, NULL);
		move(y, 2);
		wchar_t w[512];
		size_t n = mbstowcs(w, line, 511);
		if (n == (size_t)-1)
			addnstr(line, C - 3);
		else {
			int cols = 0;
			size_t k = 0;
			while (k < n && cols + 1 <= C - 3) {
				int cw = wcwidth(w[k]);
				cols += cw < 0 ? 1 : cw;
				k++;
			}
			addnwstr(w, (int)k);
		}
		attr_set(A_NORMAL, 0, NULL);
	}
	attr_set(dim, 0, NULL);
	mvaddnstr(R - 1, 2, "up/down or j/k move   Enter start   q quit", C - 3);
	attr_set(A_NORMAL, 0, NULL);
	wnoutrefresh(stdscr);
	doupdate();
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

static bool take_banner(struct menu *m, int watch_fd)
{
	char buf[4096];
	while (watch_fd >= 0 && read(watch_fd, buf, sizeof buf) > 0)
		;
	char msg[160];
	if (!banner_take(msg, sizeof msg))
		return false;
	/* Reminder texts come from a file: nothing raw reaches the terminal. */
	for (char *c = msg; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	snprintf(m->banner, sizeof m->banner, "Reminder: %s", msg);
	return true;
}

char *menu_choose(const struct settings *set)
{
	struct menu m;
	memset(&m, 0, sizeof m);
	m.color = set->color;
	m.n = catalog_list(&m.e); /* never empty: the built-ins are compiled in */
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
	char *chosen = NULL;
	int fatal = 0;
	bool done = false;
	/* A reminder that fired just before, or fires while the menu is open,
	 * stands as a banner under the title. */
	int watch = banner_watch();
	struct pollfd fds[3] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = tty_signal_fd(), .events = POLLIN },
		{ .fd = watch, .events = POLLIN },
	};
	take_banner(&m, -1);
	draw(&m);
	while (!done) {
		if (poll(fds, watch >= 0 ? 3 : 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		bool redraw = false;
		if (fds[1].revents & POLLIN) {
			int sig;
			while ((sig = tty_next_signal()) != 0) {
				if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP) {
					fatal = sig;
					done = true;
				} else if (sig == SIGWINCH || sig == SIGCONT) {
					if (tty_fd_hung_up(STDIN_FILENO))
						done = true;
					tty_resize();
					redraw = true;
				} else if (sig == SIGTSTP) {
					tty_suspend();
					redraw = true;
				}
			}
		}
		if (done)
			break;
		if (watch >= 0 && (fds[2].revents & POLLIN))
			redraw |= take_banner(&m, watch);
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			break;
		if (fds[0].revents & POLLIN) {
			int ch, got = 0;
			while (!done && (ch = getch()) != ERR) {
				got++;
				switch (ch) {
				case KEY_UP: case 'k':
					move_sel(&m, -1);
					break;
				case KEY_DOWN: case 'j':
					move_sel(&m, +1);
					break;
				case KEY_HOME: case 'g':
					m.sel = 0;
					move_sel(&m, +1);
					break;
				case KEY_END: case 'G':
					m.sel = m.nitems - 1;
					break;
				case '\n': case '\r': case KEY_ENTER:
					chosen = xstrdup(m.e[m.items[m.sel].entry].name);
					done = true;
					break;
				case 'q': case 'Q': case 27:
					done = true;
					break;
				case 12:
					clearok(curscr, TRUE);
					break;
				default:
					break;
				}
			}
			if (!got && tty_fd_hung_up(STDIN_FILENO))
				break;
			if (!got) {
				unsigned char c;
				ssize_t k = read(STDIN_FILENO, &c, 1);
				if (k <= 0)
					break; /* end of file: the terminal is gone */
				ungetch(c);
			}
			redraw = true;
		}
		if (redraw && !done)
			draw(&m);
	}
	if (watch >= 0)
		close(watch);
	tty_close();
	errlog_release();
	free_menu(&m);
	if (fatal) {
		free(chosen);
		tty_reraise(fatal);
		return NULL;
	}
	return chosen;
}
