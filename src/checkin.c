#include "config.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "checkin.h"
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

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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

struct look {
	attr_t text, accent, dim;
};

static void centre(int y, attr_t a, const char *s)
{
	wchar_t ws[256];
	size_t n = mbstowcs(ws, s, sizeof ws / sizeof ws[0] - 1);
	int w = n == (size_t)-1 ? (int)strlen(s) : (ws[n] = L'\0', wcswidth(ws, n));
	if (w < 0)
		w = (int)strlen(s);
	int x = (COLS - w) / 2;
	attrset(a);
	mvaddstr(y, x < 0 ? 0 : x, s);
	attrset(A_NORMAL);
}

static void draw_scale(const struct checkin_opts *o, const struct look *k,
                       const struct checkin_scale *s)
{
	erase();
	int y = LINES / 2 - 3;
	centre(y, k->text | A_BOLD, o->question);
	int x = (COLS - 32) / 2;
	for (int v = 0; v <= 10; v++) {
		char b[4];
		snprintf(b, sizeof b, "%d", v);
		attr_t a = v == s->cursor ? (k->accent | A_REVERSE) : k->text;
		attrset(a);
		mvaddstr(y + 2, (x < 0 ? 0 : x) + v * 3, b);
	}
	attrset(A_NORMAL);
	if (s->pending_one)
		centre(y + 3, k->dim, "1 … (0 makes it 10)");
	centre(y + 5, k->dim, o->hint ? o->hint
	       : "a number key, 1 then 0 for 10, or arrows and Enter · Enter alone skips");
	refresh();
}

static void draw_area(const struct look *k, const struct checkin_area *a, int level)
{
	erase();
	int y = LINES / 2 - 3;
	char b[96];
	snprintf(b, sizeof b, "%d of 10. Where mostly?", level);
	centre(y, k->text | A_BOLD, b);
	int total = 0;
	for (int i = 0; i < CHECKIN_AREAS; i++)
		total += (int)strlen(checkin_area_names[i]) + 2;
	int x = (COLS - total) / 2;
	if (x < 0)
		x = 0;
	for (int i = 0; i < CHECKIN_AREAS; i++) {
		attrset(i == a->cursor ? (k->accent | A_REVERSE) : k->text);
		mvaddstr(y + 2, x, checkin_area_names[i]);
		attrset(k->accent | A_UNDERLINE);
		mvaddch(y + 2, x, (chtype)(unsigned char)checkin_area_names[i][0]);
		x += (int)strlen(checkin_area_names[i]) + 2;
	}
	attrset(A_NORMAL);
	centre(y + 5, k->dim, "the underlined letter, or arrows and Enter · Enter alone: nowhere in particular");
	refresh();
}

void checkin_palette(struct checkin_opts *o, bool want_color)
{
	const char *nc = getenv("NO_COLOR");
	o->color = want_color && !(nc && nc[0]) && has_colors() && start_color() != ERR;
	if (!o->color)
		return;
	use_default_colors();
	bool rich = COLORS >= 256;
	init_pair(1, rich ? 252 : COLOR_WHITE, -1);
	init_pair(2, rich ? 110 : COLOR_CYAN, -1);
	init_pair(3, rich ? 243 : COLOR_BLUE, -1);
	o->pair_text = 1;
	o->pair_accent = 2;
	o->pair_dim = 3;
}

enum checkin_status checkin_ask(const struct checkin_opts *o, struct checkin_answer *ans)
{
	ans->level = -1;
	ans->area[0] = '\0';
	struct look k = { A_NORMAL, A_BOLD, A_DIM };
	if (o->color) {
		k.text = o->pair_text ? COLOR_PAIR(o->pair_text) : A_NORMAL;
		k.accent = o->pair_accent ? COLOR_PAIR(o->pair_accent) | A_BOLD : A_BOLD;
		k.dim = o->pair_dim ? COLOR_PAIR(o->pair_dim) : A_DIM;
	}
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);

	struct checkin_scale sc;
	struct checkin_area ar;
	checkin_scale_init(&sc);
	checkin_area_init(&ar);
	bool area_phase = false;
	long last = now_ms();
	for (;;) {
		if (area_phase)
			draw_area(&k, &ar, ans->level);
		else
			draw_scale(o, &k, &sc);

		long now = now_ms(), wait = -1;
		if (o->timeout_s > 0)
			wait = last + o->timeout_s * 1000L - now;
		if (!area_phase && sc.pending_one && (wait < 0 || sc.deadline_ms - now < wait))
			wait = sc.deadline_ms - now;
		if (wait < 0 && (o->timeout_s > 0 || sc.pending_one))
			wait = 0;
		struct pollfd p[2] = { { STDIN_FILENO, POLLIN, 0 }, { o->wake_fd, POLLIN, 0 } };
		int r = poll(p, o->wake_fd >= 0 ? 2 : 1, (int)(wait > 60000 ? 60000 : wait));
		if (r < 0 && errno != EINTR)
			return CHECKIN_HANGUP;
		if (r > 0 && o->wake_fd >= 0 && (p[1].revents & (POLLIN | POLLHUP)))
			return CHECKIN_INTERRUPTED;
		if (r > 0 && (p[0].revents & (POLLHUP | POLLERR | POLLNVAL)) &&
		    !(p[0].revents & POLLIN))
			return CHECKIN_HANGUP;
		now = now_ms();
		if (r == 0) {
			if (!area_phase && checkin_scale_tick(&sc, now) == CHECKIN_CHOSEN) {
				ans->level = sc.value;
				if (!o->ask_area)
					return CHECKIN_ANSWERED;
				area_phase = true;
				last = now;
				continue;
			}
			if (o->timeout_s > 0 && now - last >= o->timeout_s * 1000L)
				return area_phase ? CHECKIN_ANSWERED : CHECKIN_SKIPPED;
			continue;
		}
		bool any = false;
		for (int ch; (ch = getch()) != ERR;) {
			any = true;
			last = now;
			if (ch == KEY_RESIZE)
				break;
			int key = map_key(ch);
			if (!area_phase) {
				switch (checkin_scale_key(&sc, key, now)) {
				case CHECKIN_CHOSEN:
					ans->level = sc.value;
					if (!o->ask_area)
						return CHECKIN_ANSWERED;
					area_phase = true;
					break;
				case CHECKIN_SKIP:
					return CHECKIN_SKIPPED;
				case CHECKIN_QUIT:
					return CHECKIN_QUITTED;
				case CHECKIN_MORE:
					break;
				}
			} else {
				switch (checkin_area_key(&ar, key)) {
				case CHECKIN_CHOSEN:
					str_copy(ans->area, checkin_area_names[ar.chosen], sizeof ans->area);
					return CHECKIN_ANSWERED;
				case CHECKIN_SKIP:
					return CHECKIN_ANSWERED;
				case CHECKIN_QUIT:
					return CHECKIN_QUITTED;
				case CHECKIN_MORE:
					break;
				}
			}
		}
		if (!any && r > 0 && (p[0].revents & POLLIN))
			return CHECKIN_HANGUP; /* readable, yet no key: end of file */
	}
}
