/* SPDX-License-Identifier: ISC */
/* The terminal shell: curses, signals, hang-up. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "clock.h"
#include "debuglog.h"
#include "sysdep.h"
#include "text.h"
#include "tty.h"
#include "util.h"

static int sigpipe_fd[2] = { -1, -1 };
static SCREEN *scr;
static bool atexit_done;
static bool plain_keys;              /* stdin raw for plain mode */
static struct termios plain_saved;   /* ... and how it was */

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;
	if (sigpipe_fd[1] >= 0) {
		ssize_t n = write(sigpipe_fd[1], &b, 1);
		(void)n; /* a full pipe already holds a wake-up */
	}
	errno = saved;
}

static void catch_signal(int sig)
{
	sys_catch_signal(sig, on_signal);
}

int tty_signals_init(void)
{
	if (sigpipe_fd[0] < 0 && sys_pipe(sigpipe_fd, true) < 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	catch_signal(SIGWINCH);
	catch_signal(SIGTERM);
	catch_signal(SIGINT);
	catch_signal(SIGTSTP);
	catch_signal(SIGCONT);
	/* Started with SIGHUP ignored (nohup): keep it so; the hang-up is then
	 * seen on the terminal itself. */
	struct sigaction old;
	if (sigaction(SIGHUP, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
		catch_signal(SIGHUP);
	return 0;
}

bool tty_can_curses(char *why, size_t size)
{
	why[0] = '\0';
	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO))
		return false;
	const char *term = getenv("TERM");
	if (!term || !*term) {
		snprintf(why, size, "TERM is not set; using plain mode");
		return false;
	}
	if (strcmp(term, "dumb") == 0)
		return false;
	/* setupterm with an error pointer reports instead of exiting. */
	int err = 0;
	if (setupterm(term, STDOUT_FILENO, &err) != OK) {
		snprintf(why, size, "terminal type '%.60s' is unknown here; using plain mode", term);
		return false;
	}
	del_curterm(cur_term);
	cur_term = NULL;
	return true;
}

static void restore_at_exit(void)
{
	tty_close();
}

/* ncurses (6.4, and the versions before it) writes out its buffer after
 * every cursor movement of a refresh for as long as the screen has never
 * been through endwin(): a bar step, a backspace and a block, went out as
 * two writes, and a frame of a few changes as several. Through endwin() once
 * and back, a refresh is buffered whole and goes out in one write. Nothing
 * has been drawn yet; what endwin() would send (leave the alternate screen,
 * show the cursor) and the terminal modes it would restore go to /dev/null
 * instead, so the terminal sees none of it, only the screen set up again
 * (and cleared, as the first refresh clears it in any case). */
static void one_write_per_refresh(void)
{
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	int tty = null >= 0 ? fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3) : -1;
	if (tty < 0) {
		if (null >= 0)
			close(null);
		return; /* a write more per refresh, nothing worse */
	}
	fflush(stdout);
	if (dup2(null, STDOUT_FILENO) >= 0) {
		endwin();
		while (dup2(tty, STDOUT_FILENO) < 0 && (errno == EINTR || errno == EBUSY))
			;
	}
	close(null);
	close(tty);
	doupdate(); /* back at once */
}

bool tty_open(void)
{
	if (scr)
		return true;
	scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return false;
	set_term(scr);
	if (!atexit_done) {
		atexit(restore_at_exit);
		atexit_done = true;
	}
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	leaveok(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	/* The keys are the wait's (tty_wait): a refresh need not poll stdin
	 * for them twice, which is all curses' typeahead check does. */
	typeahead(-1);
	one_write_per_refresh();
	/* newterm installed its own handlers; ours take over. */
	tty_signals_init();
	return true;
}

void tty_close(void)
{
	if (!scr)
		return;
	curs_set(1);
	endwin();
	fflush(stdout);
	delscreen(scr);
	scr = NULL;
}

bool tty_is_open(void)
{
	return scr != NULL;
}

bool tty_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

const char *tty_text(const char *s, char *buf, size_t size)
{
	if (tty_utf8())
		return s;
	text_ascii_marks(s, buf, size);
	return buf;
}

bool tty_eighth_blocks(void)
{
	const char *term = getenv("TERM");
	return tty_utf8() && !(term && strncmp(term, "linux", 5) == 0);
}

static void plain_keys_at_exit(void)
{
	tty_plain_keys_off();
}

bool tty_plain_keys(void)
{
	if (plain_keys)
		return true;
	/* Only the foreground job may change the terminal (else SIGTTOU). */
	if (!isatty(STDIN_FILENO) || tcgetpgrp(STDIN_FILENO) != getpgrp() ||
	    tcgetattr(STDIN_FILENO, &plain_saved) != 0)
		return false;
	struct termios t = plain_saved;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t) != 0)
		return false;
	static bool registered;
	if (!registered) {
		atexit(plain_keys_at_exit);
		registered = true;
	}
	plain_keys = true;
	return true;
}

void tty_plain_keys_off(void)
{
	if (!plain_keys)
		return;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &plain_saved) != 0) {
		/* The terminal is gone: nothing left to restore. */
	}
	plain_keys = false;
}

void tty_reraise(int sig)
{
	signal(sig, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
}

/* ------------------------------------------------------------ the wait */

/* What the signals and the terminal have said and the callers have not
 * been told yet. */
static struct {
	int fatal;          /* the first SIGTERM, SIGINT or SIGHUP */
	bool hung_up;       /* latched: the terminal is gone for good */
	bool suspend;       /* SIGTSTP came: say TTY_SUSPEND */
	bool stop_next;     /* TTY_SUSPEND was said: the next wait stops */
	bool resume;        /* SIGCONT came (or we came back from our stop) */
	bool resize;        /* SIGWINCH came */
	bool keys;          /* curses may hold keys already read from stdin */
	int key;            /* a key already taken from curses, or ERR */
	unsigned char raw[64]; /* plain mode: keys read, not yet returned */
	size_t nraw, raw_at;
	unsigned empty;     /* wake-ups in a row with stdin readable and nothing in it */
} pend = { .key = ERR };

/* A terminal that keeps waking us with nothing to read is gone. */
enum { EMPTY_WAKES_MAX = 1000 };

/* The descriptor a hang-up shows on: stdin under curses, stdout (when it
 * is a terminal) in plain mode, -1 when there is none to watch. */
static int hangup_fd(void)
{
	if (scr)
		return STDIN_FILENO;
	return isatty(STDOUT_FILENO) ? STDOUT_FILENO : -1;
}

static bool fd_hung_up(int fd)
{
	if (fd < 0)
		return false;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 0) < 0)
		return errno != EINTR;
	return (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

static void resize_curses(void)
{
	struct winsize ws;
	if (scr && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
}

/* Reads every signal number the handler wrote. skip_cont: the one SIGCONT
 * that ends our own stop is not news. */
static void drain_signals(bool skip_cont)
{
	unsigned char b[64];
	ssize_t n;
	bool winch = false, cont = false;
	while (sigpipe_fd[0] >= 0 && (n = read(sigpipe_fd[0], b, sizeof b)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			switch (b[i]) {
			case SIGTERM:
			case SIGINT:
			case SIGHUP:
				if (!pend.fatal)
					pend.fatal = b[i];
				break;
			case SIGWINCH:
				winch = true;
				break;
			case SIGCONT:
				if (skip_cont)
					skip_cont = false;
				else
					cont = true;
				break;
			case SIGTSTP:
				pend.suspend = true;
				break;
			default:
				break;
			}
		}
	}
	if (!winch && !cont)
		return;
	/* When the terminal goes, SIGCONT follows SIGHUP (the kernel sends
	 * both to a foreground group): look before drawing on it. */
	if (fd_hung_up(hangup_fd())) {
		pend.hung_up = true;
		return;
	}
	resize_curses();
	pend.resize |= winch;
	pend.resume |= cont;
}

/* Ctrl-Z, done: the terminal back to the shell, lull stopped until fg. */
static void stop_here(void)
{
	if (scr) {
		curs_set(1);
		endwin();
		fflush(stdout);
	}
	bool keys = plain_keys;
	tty_plain_keys_off(); /* the shell gets its terminal back as it was */
	signal(SIGTSTP, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), SIGTSTP);
	/* ... stopped here until SIGCONT ... */
	catch_signal(SIGTSTP);
	if (keys)
		tty_plain_keys();
	if (scr) {
		curs_set(0);
		resize_curses();
		clearok(curscr, TRUE);
	}
	drain_signals(true);
}

static struct tty_event event(enum tty_event_kind kind)
{
	return (struct tty_event){ .kind = kind, .fd = -1 };
}

/* The most urgent thing already known, or false. */
static bool pending_event(struct tty_event *ev)
{
	if (pend.fatal) {
		*ev = event(TTY_FATAL);
		ev->sig = pend.fatal;
		pend.fatal = 0;
		return true;
	}
	if (pend.hung_up) {
		*ev = event(TTY_HANGUP);
		return true;
	}
	if (pend.stop_next) {
		pend.stop_next = false;
		stop_here();
		if (pend.fatal || pend.hung_up)
			return pending_event(ev);
		pend.resume = pend.resize = false;
		*ev = event(TTY_RESUME);
		return true;
	}
	if (pend.suspend) {
		pend.suspend = false;
		pend.stop_next = true;
		*ev = event(TTY_SUSPEND);
		return true;
	}
	if (pend.resume || pend.resize) {
		*ev = event(pend.resume ? TTY_RESUME : TTY_RESIZE);
		pend.resume = pend.resize = false;
		return true;
	}
	if (pend.raw_at < pend.nraw) {
		*ev = event(TTY_KEY);
		ev->key = pend.raw[pend.raw_at++];
		return true;
	}
	while (scr && (pend.key != ERR || pend.keys)) {
		int ch = pend.key != ERR ? pend.key : getch();
		pend.key = ERR;
		if (ch == ERR) {
			pend.keys = false;
		} else if (ch != KEY_RESIZE) { /* resizes come from our SIGWINCH */
			pend.keys = true; /* more may follow in curses' buffer */
			pend.empty = 0;
			*ev = event(TTY_KEY);
			ev->key = ch;
			return true;
		}
	}
	return false;
}

/* Plain mode: stdin is readable. Keys as bytes, except escape sequences
 * (an arrow, a function key: Esc, then [ or O, then parameters up to a
 * final byte), which are dropped whole, so that only a lone Esc means Esc.
 * A terminal sends a sequence in one write, so one read holds all of it. */
static void read_plain_keys(void)
{
	unsigned char in[sizeof pend.raw];
	ssize_t k = read(STDIN_FILENO, in, sizeof in);
	if (k == 0 || (k < 0 && errno != EINTR && errno != EAGAIN)) {
		pend.hung_up = true; /* end of file, or EIO */
		return;
	}
	size_t n = 0;
	for (ssize_t i = 0; i < k; i++) {
		if (in[i] == 27 && i + 1 < k && (in[i + 1] == '[' || in[i + 1] == 'O')) {
			for (i += 2; i < k && !(in[i] >= 0x40 && in[i] <= 0x7e); i++)
				;
			continue;
		}
		pend.raw[n++] = in[i];
	}
	pend.nraw = n;
	pend.raw_at = 0;
}

/* stdin is readable: a key, or (curses turns a read() of 0 into ERR, which
 * looks like "no key") end of file or an error: the terminal is gone. */
static void look_at_stdin(void)
{
	pend.key = getch();
	if (pend.key != ERR)
		return;
	unsigned char c;
	ssize_t k = read(STDIN_FILENO, &c, 1);
	if (k == 1) {
		ungetch(c); /* a byte curses had not read yet */
		pend.keys = true;
	} else if (k == 0 || (k < 0 && errno != EINTR && errno != EAGAIN)) {
		pend.hung_up = true; /* end of file, or EIO */
	} else if (++pend.empty > EMPTY_WAKES_MAX) {
		pend.hung_up = true; /* readable, over and over, and never a byte */
	}
}

struct tty_event tty_wait(int64_t deadline_ns, const int *fds, size_t nfds)
{
	enum { MAXFDS = 8 };
	struct pollfd p[3 + MAXFDS];
	if (nfds > MAXFDS)
		nfds = MAXFDS;
	for (;;) {
		struct tty_event ev;
		if (pending_event(&ev))
			return ev;
		int64_t now = clock_mono_ns();
		if (deadline_ns != TTY_NO_DEADLINE && now >= deadline_ns)
			return event(TTY_DEADLINE);

		int hfd = hangup_fd();
		p[0] = (struct pollfd){ .fd = sigpipe_fd[0], .events = POLLIN };
		/* Plain mode watches stdout for errors and hang-up only. */
		p[1] = (struct pollfd){ .fd = hfd, .events = scr ? POLLIN : 0 };
		for (size_t i = 0; i < nfds; i++)
			p[2 + i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
		/* Plain mode with keys: stdin too (stdout is the hang-up fd). */
		p[2 + nfds] = (struct pollfd){ .fd = !scr && plain_keys ? STDIN_FILENO : -1, .events = POLLIN };
		int n = sys_poll_ns(p, 3 + nfds, deadline_ns != TTY_NO_DEADLINE ? deadline_ns - now : -1);
		if (n < 0) {
			if (errno != EINTR && errno != EAGAIN)
				pend.hung_up = true; /* cannot wait on the terminal any more */
			continue;
		}
		if (n == 0)
			continue; /* the deadline: seen at the top */
		if (p[0].revents & POLLIN)
			drain_signals(false);
		short r = p[1].revents;
		if (r & POLLIN)
			look_at_stdin();
		else if (r & (POLLHUP | POLLERR | POLLNVAL))
			pend.hung_up = true;
		short k = p[2 + nfds].revents;
		if (k & POLLIN)
			read_plain_keys();
		else if (k & (POLLHUP | POLLERR))
			pend.hung_up = true;
		if (pend.fatal || pend.hung_up || pend.keys || pend.key != ERR || pend.suspend ||
		    pend.resume || pend.resize || pend.raw_at < pend.nraw)
			continue;
		for (size_t i = 0; i < nfds; i++) {
			if (p[2 + i].revents) {
				ev = event(TTY_FD);
				ev.fd = fds[i];
				return ev;
			}
		}
	}
}

void tty_run(const struct tty_view *v, void *ctx)
{
	static const char *const kinds[] = {
		[TTY_KEY] = "key", [TTY_RESIZE] = "resize", [TTY_SUSPEND] = "suspend",
		[TTY_RESUME] = "resume", [TTY_HANGUP] = "hang-up", [TTY_FATAL] = "signal",
		[TTY_DEADLINE] = "deadline", [TTY_FD] = "fd",
	};
	for (;;) {
		if (!v->draw(ctx))
			return;
		int64_t deadline = v->deadline ? v->deadline(ctx) : TTY_NO_DEADLINE;
		struct tty_event ev = tty_wait(deadline, v->fds, v->nfds);
		/* For a timing report from the field: how late each deadline
		 * was met, and what else woke the screen. */
		if (debug_enabled()) {
			if (ev.kind == TTY_DEADLINE)
				debug_wake("deadline", deadline, clock_mono_ns());
			else
				debug_log("%s %d", kinds[ev.kind], ev.kind == TTY_KEY ? ev.key : ev.kind == TTY_FATAL ? ev.sig : ev.fd);
		}
		if (!v->handle(ctx, &ev))
			return;
	}
}

/* ------------------------------------------------------------ text */

int tty_put(int y, int x, int cols, unsigned attr, short pair, const char *utf8)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS || cols <= 0)
		return 0;
	if (cols > COLS - x)
		cols = COLS - x;
	char plain[1024];
	utf8 = tty_text(utf8, plain, sizeof plain);
	/* Too wide: shortened at a word with an ellipsis, never cut inside one. */
	char fit[1024];
	if (text_width(utf8) > (size_t)cols) {
		text_shorten(utf8, (size_t)cols, fit, sizeof fit);
		utf8 = fit;
	}
	wchar_t w[512];
	size_t width;
	size_t n = text_widen(utf8, (size_t)cols, w, sizeof w / sizeof w[0], &width);
	attr_set((attr_t)attr, pair, NULL);
	mvaddnwstr(y, x, w, (int)n);
	attr_set(A_NORMAL, 0, NULL);
	return (int)width;
}
