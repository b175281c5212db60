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
#include <term.h>
#include <unistd.h>

#include "tty.h"
#include "util.h"

static int sigpipe_fd[2] = { -1, -1 };
static SCREEN *scr;
static bool atexit_done;

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
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(sig, &sa, NULL);
}

int tty_signals_init(void)
{
	if (sigpipe_fd[0] < 0) {
		if (pipe(sigpipe_fd) < 0)
			return -1;
		for (int i = 0; i < 2; i++) {
			fcntl(sigpipe_fd[i], F_SETFL, fcntl(sigpipe_fd[i], F_GETFL) | O_NONBLOCK);
			fcntl(sigpipe_fd[i], F_SETFD, FD_CLOEXEC);
		}
	}
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

int tty_signal_fd(void)
{
	return sigpipe_fd[0];
}

int tty_next_signal(void)
{
	unsigned char b;
	if (sigpipe_fd[0] < 0)
		return 0;
	ssize_t n = read(sigpipe_fd[0], &b, 1);
	return n == 1 ? b : 0;
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

void tty_resize(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
}

void tty_suspend(void)
{
	if (scr) {
		curs_set(1);
		endwin();
		fflush(stdout);
	}
	signal(SIGTSTP, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), SIGTSTP);
	/* ... stopped here until SIGCONT ... */
	catch_signal(SIGTSTP);
	if (scr) {
		curs_set(0);
		tty_resize();
		clearok(curscr, TRUE);
	}
}

bool tty_fd_hung_up(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 0) < 0)
		return errno != EINTR;
	if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
		return true;
	return false;
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
