/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vterm.h>

#include "harness.h"

struct pty {
	pid_t pid;
	int master;         /* -1 after hang-up or end of file */
	int pidfd;          /* -1 where pidfd_open is missing */
	bool exited;
	int status;
	double exit_time;
	int rows, cols;
	VTerm *vt;
	VTermScreen *vs;
	char *out;          /* every byte read */
	size_t out_len, out_cap;
	struct pty_chunk *chunks;
	size_t nchunks, chunk_cap;
	double match_time;
	char *screen;       /* pty_screen()'s buffer */
	size_t screen_cap;
	char *row;          /* pty_row()'s buffer */
	size_t row_cap;
};

static void die(const char *what)
{
	fprintf(stderr, "harness: %s: %s\n", what, strerror(errno));
	abort();
}

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	p = realloc(p, n * elem);
	if (!p)
		die("realloc");
	*cap = n;
	return p;
}

double pty_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

const char *pty_lull_path(void)
{
	const char *bin = getenv("LULL_BIN");
	return bin && *bin ? bin : "./lull";
}

/* Answers the program's terminal queries (cursor position, device attributes). */
static void vterm_reply(const char *s, size_t len, void *user)
{
	struct pty *p = user;
	if (p->master >= 0)
		(void)!write(p->master, s, len);
}

static bool env_overrides(const char *const *env, const char *name)
{
	size_t n = strlen(name);
	for (; env && *env; env++)
		if (strncmp(*env, name, n) == 0 && ((*env)[n] == '=' || (*env)[n] == '\0'))
			return true;
	return false;
}

struct pty *pty_spawn(const char *const argv[], const struct pty_options *opt)
{
	static const struct pty_options defaults = { 0 };
	if (!opt)
		opt = &defaults;
	struct pty *p = calloc(1, sizeof *p);
	if (!p)
		die("calloc");
	p->rows = opt->rows ? opt->rows : 24;
	p->cols = opt->cols ? opt->cols : 80;
	p->pidfd = -1;

	struct winsize ws = { .ws_row = (unsigned short)p->rows, .ws_col = (unsigned short)p->cols };
	fflush(NULL);
	p->pid = forkpty(&p->master, NULL, NULL, &ws);
	if (p->pid < 0)
		die("forkpty");
	if (p->pid == 0) {
		if (!env_overrides(opt->env, "TERM"))
			setenv("TERM", "xterm-256color", 1);
		if (!env_overrides(opt->env, "LC_ALL"))
			setenv("LC_ALL", "C.UTF-8", 1);
		for (const char *const *e = opt->env; e && *e; e++) {
			const char *eq = strchr(*e, '=');
			if (eq) {
				char *name = strndup(*e, (size_t)(eq - *e));
				setenv(name, eq + 1, 1);
				free(name);
			} else {
				unsetenv(*e);
			}
		}
		signal(SIGHUP, opt->ignore_sighup ? SIG_IGN : SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "harness: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	fcntl(p->master, F_SETFD, FD_CLOEXEC);
	fcntl(p->master, F_SETFL, fcntl(p->master, F_GETFL) | O_NONBLOCK);
#ifdef SYS_pidfd_open
	p->pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
#endif

	p->vt = vterm_new(p->rows, p->cols);
	vterm_set_utf8(p->vt, 1);
	vterm_output_set_callback(p->vt, vterm_reply, p);
	p->vs = vterm_obtain_screen(p->vt);
	vterm_screen_reset(p->vs, 1);
	return p;
}

pid_t pty_pid(const struct pty *p)
{
	return p->pid;
}

void pty_sendn(struct pty *p, const void *bytes, size_t n)
{
	const char *s = bytes;
	while (n > 0 && p->master >= 0) {
		ssize_t w = write(p->master, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				pty_pump(p, 10); /* the child is not reading: drain its output */
				continue;
			}
			return;
		}
		s += w;
		n -= (size_t)w;
	}
}

void pty_send(struct pty *p, const char *keys)
{
	pty_sendn(p, keys, strlen(keys));
}

void pty_resize(struct pty *p, int rows, int cols)
{
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	p->rows = rows;
	p->cols = cols;
	/* The emulator must be at the new size before the program redraws for it. */
	vterm_set_size(p->vt, rows > 0 ? rows : 1, cols > 0 ? cols : 1);
	if (p->master >= 0)
		ioctl(p->master, TIOCSWINSZ, &ws); /* the kernel sends SIGWINCH */
}

void pty_hangup(struct pty *p)
{
	if (p->master >= 0)
		close(p->master);
	p->master = -1;
}

int pty_signal(struct pty *p, int sig)
{
	return p->exited ? -1 : kill(p->pid, sig);
}

static void note_exit(struct pty *p, int status)
{
	p->exited = true;
	p->status = status;
	p->exit_time = pty_now();
}

static bool reap(struct pty *p, int flags)
{
	if (p->exited)
		return true;
	int status;
	pid_t r = waitpid(p->pid, &status, flags);
	if (r == p->pid) {
		note_exit(p, status);
		return true;
	}
	return false;
}

static long read_available(struct pty *p)
{
	char buf[16384];
	long total = 0;
	for (;;) {
		ssize_t n = read(p->master, buf, sizeof buf);
		if (n > 0) {
			double t = pty_now();
			p->out = grow(p->out, &p->out_cap, p->out_len + (size_t)n + 1, 1);
			memcpy(p->out + p->out_len, buf, (size_t)n);
			p->chunks = grow(p->chunks, &p->chunk_cap, p->nchunks + 1, sizeof *p->chunks);
			p->chunks[p->nchunks++] = (struct pty_chunk){ t, p->out_len, (size_t)n };
			p->out_len += (size_t)n;
			p->out[p->out_len] = '\0';
			vterm_input_write(p->vt, buf, (size_t)n);
			total += n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return total;
		/* 0 or EIO: every slave descriptor is closed. */
		close(p->master);
		p->master = -1;
		return total ? total : -1;
	}
}

long pty_pump(struct pty *p, int timeout_ms)
{
	if (p->master < 0)
		return -1;
	struct pollfd pfd = { .fd = p->master, .events = POLLIN };
	int r;
	do
		r = poll(&pfd, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r <= 0)
		return 0;
	return read_available(p);
}

static int remaining_ms(double deadline)
{
	double left = deadline - pty_now();
	return left <= 0 ? 0 : (int)(left * 1000) + 1;
}

static bool wait_screen(struct pty *p, const char *text, bool want, int timeout_ms)
{
	double deadline = pty_now() + timeout_ms / 1000.0;
	for (;;) {
		if (pty_screen_has(p, text) == want) {
			p->match_time = p->nchunks ? p->chunks[p->nchunks - 1].t : pty_now();
			return true;
		}
		int left = remaining_ms(deadline);
		if (left == 0 || pty_pump(p, left) < 0)
			return pty_screen_has(p, text) == want;
	}
}

bool pty_wait_text(struct pty *p, const char *text, int timeout_ms)
{
	return wait_screen(p, text, true, timeout_ms);
}

bool pty_wait_no_text(struct pty *p, const char *text, int timeout_ms)
{
	return wait_screen(p, text, false, timeout_ms);
}

double pty_match_time(const struct pty *p)
{
	return p->match_time;
}

static size_t put_utf8(char *dst, uint32_t c)
{
	if (c < 0x80) {
		dst[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		dst[0] = (char)(0xC0 | (c >> 6));
		dst[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		dst[0] = (char)(0xE0 | (c >> 12));
		dst[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		dst[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	dst[0] = (char)(0xF0 | (c >> 18));
	dst[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	dst[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	dst[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* Writes one row into dst (room for cols * VTERM_MAX_CHARS_PER_CELL * 4 + 1). */
static size_t render_row(struct pty *p, int row, char *dst)
{
	int rows, cols;
	vterm_get_size(p->vt, &rows, &cols);
	size_t len = 0, trimmed = 0;
	for (int col = 0; col < cols;) {
		VTermScreenCell cell;
		VTermPos pos = { .row = row, .col = col };
		if (!vterm_screen_get_cell(p->vs, pos, &cell) || cell.chars[0] == 0) {
			dst[len++] = ' ';
			col++;
			continue;
		}
		for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && cell.chars[i]; i++)
			len += put_utf8(dst + len, cell.chars[i]);
		trimmed = len;
		col += cell.width > 0 ? cell.width : 1;
	}
	dst[trimmed] = '\0';
	return trimmed;
}

static size_t row_capacity(struct pty *p)
{
	int rows, cols;
	vterm_get_size(p->vt, &rows, &cols);
	return (size_t)cols * VTERM_MAX_CHARS_PER_CELL * 4 + 2;
}

const char *pty_screen(struct pty *p)
{
	int rows, cols;
	vterm_get_size(p->vt, &rows, &cols);
	/* The buffer only grows, so a pointer from an earlier call stays valid
	 * (it then reads the current screen) until a resize makes it grow. */
	size_t need = row_capacity(p) * (size_t)rows + 1;
	p->screen = grow(p->screen, &p->screen_cap, need, 1);
	size_t len = 0;
	for (int r = 0; r < rows; r++) {
		len += render_row(p, r, p->screen + len);
		p->screen[len++] = '\n';
	}
	p->screen[len] = '\0';
	return p->screen;
}

const char *pty_row(struct pty *p, int row)
{
	p->row = grow(p->row, &p->row_cap, row_capacity(p), 1);
	p->row[0] = '\0';
	int rows, cols;
	vterm_get_size(p->vt, &rows, &cols);
	if (row >= 0 && row < rows)
		render_row(p, row, p->row);
	return p->row;
}

unsigned pty_cell_attrs(const struct pty *p, int row, int col)
{
	VTermScreenCell cell;
	VTermPos pos = { .row = row, .col = col };
	if (!vterm_screen_get_cell(p->vs, pos, &cell))
		return 0;
	return (cell.attrs.bold ? PTY_BOLD : 0) | (cell.attrs.reverse ? PTY_REVERSE : 0) |
	       (cell.attrs.underline ? PTY_UNDERLINE : 0);
}

bool pty_screen_has(struct pty *p, const char *text)
{
	return strstr(pty_screen(p), text) != NULL;
}

void pty_cursor(const struct pty *p, int *row, int *col)
{
	VTermPos pos;
	vterm_state_get_cursorpos(vterm_obtain_state(p->vt), &pos);
	*row = pos.row;
	*col = pos.col;
}

void pty_size(const struct pty *p, int *rows, int *cols)
{
	vterm_get_size(p->vt, rows, cols);
}

bool pty_wait_exit(struct pty *p, int timeout_ms, int *status)
{
	double deadline = pty_now() + timeout_ms / 1000.0;
	while (!reap(p, WNOHANG)) {
		int left = remaining_ms(deadline);
		if (left == 0)
			return false;
		struct pollfd pfd[2];
		nfds_t n = 0;
		if (p->pidfd >= 0)
			pfd[n++] = (struct pollfd){ .fd = p->pidfd, .events = POLLIN };
		if (p->master >= 0)
			pfd[n++] = (struct pollfd){ .fd = p->master, .events = POLLIN };
		/* Without a pidfd there is nothing to poll for the exit: look every ms. */
		int wait_ms = p->pidfd >= 0 ? left : (left < 1 ? left : 1);
		if (n == 0) {
			struct timespec ts = { 0, 1000000 };
			nanosleep(&ts, NULL);
			continue;
		}
		if (poll(pfd, n, wait_ms) > 0 && p->master >= 0)
			for (nfds_t i = 0; i < n; i++)
				if (pfd[i].fd == p->master && pfd[i].revents)
					read_available(p);
	}
	if (status)
		*status = p->status;
	/* Collect what it wrote on the way out. Its last bytes can still be in
	 * flight through the line discipline when the exit is seen: read until
	 * end of file (every slave closed) or a short quiet spell. */
	double quiet_until = pty_now() + 0.05;
	while (p->master >= 0 && pty_now() < quiet_until) {
		long n = pty_pump(p, remaining_ms(quiet_until));
		if (n > 0)
			quiet_until = pty_now() + 0.05;
	}
	return true;
}

double pty_exit_time(const struct pty *p)
{
	return p->exited ? p->exit_time : 0;
}

const char *pty_output(const struct pty *p, size_t *len)
{
	if (len)
		*len = p->out_len;
	return p->out ? p->out : "";
}

const struct pty_chunk *pty_chunks(const struct pty *p, size_t *count)
{
	*count = p->nchunks;
	return p->chunks;
}

void pty_free(struct pty *p)
{
	if (!p)
		return;
	if (!reap(p, WNOHANG)) {
		kill(p->pid, SIGKILL);
		reap(p, 0);
	}
	if (p->master >= 0)
		close(p->master);
	if (p->pidfd >= 0)
		close(p->pidfd);
	vterm_free(p->vt);
	free(p->out);
	free(p->chunks);
	free(p->screen);
	free(p->row);
	free(p);
}
