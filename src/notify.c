/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef HAVE_PIDFD_OPEN
#include <sys/pidfd.h>
#endif
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "banner.h"
#include "file.h"
#include "notify.h"
#include "termnotify.h"
#include "paths.h"
#include "spawn.h"
#include "sysdep.h"
#include "text.h"
#include "util.h"

void notify_log(const char *fmt, ...)
{
	char *dir = paths_make_dir(PATH_STATE);
	if (!dir)
		return;
	char *path = xasprintf("%s/remind.log", dir);
	free(dir);
	int fd = file_open_write(path, O_APPEND);
	free(path);
	if (fd < 0)
		return;
	char line[1024];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts); /* the daemon's timer's clock */
	time_t now = ts.tv_sec;
	struct tm tm;
	size_t used = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%S%z ", localtime_r(&now, &tm));
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(line + used, sizeof line - used - 1, fmt, ap);
	va_end(ap);
	if (w < 0)
		w = 0;
	used += (size_t)w < sizeof line - used - 1 ? (size_t)w : sizeof line - used - 2;
	line[used++] = '\n';
	/* One write to an O_APPEND file: lines of two processes never mix. */
	if (write_all(fd, line, used) < 0) {
		/* a lost log line has nowhere else to be told */
	}
	close(fd);
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool readable(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	return fd >= 0 && poll(&p, 1, 0) > 0;
}

int notify_run(char *const argv[], int timeout_ms, char *out, size_t n)
{
	return notify_run_until(argv, timeout_ms, -1, out, n);
}

int notify_run_until(char *const argv[], int timeout_ms, int cancel_fd, char *out, size_t n)
{
	int pfd[2] = { -1, -1 };
	if (out && sys_pipe(pfd, false) < 0)
		return -1;
	/* As tmux's job.c (spawn.h): no signal is handled between fork and
	 * exec, and the child gets only its three descriptors. */
	pid_t pid = spawn(argv, -1, out ? pfd[1] : -1);
	int fork_errno = errno;
	if (pid < 0) {
		if (out) {
			close(pfd[0]);
			close(pfd[1]);
		}
		errno = fork_errno;
		return -1;
	}
	int64_t deadline = mono_ms() + timeout_ms;
	size_t used = 0;
	if (out) {
		close(pfd[1]);
		out[0] = '\0';
		for (;;) {
			int64_t left = deadline - mono_ms();
			struct pollfd p[2] = { { pfd[0], POLLIN, 0 }, { cancel_fd, POLLIN, 0 } };
			if (left <= 0 || poll(p, cancel_fd >= 0 ? 2 : 1, (int)left) == 0 || p[1].revents)
				break;
			char buf[512];
			ssize_t got = read(pfd[0], buf, sizeof buf);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				break;
			size_t take = (size_t)got < n - 1 - used ? (size_t)got : n - 1 - used;
			memcpy(out + used, buf, take);
			used += take;
			out[used] = '\0';
		}
		close(pfd[0]);
	}
	/* Wait for the child, no longer than the deadline: a pidfd becomes
	 * readable when it exits; without pidfd_open, check every 10 ms. */
	int status = 0;
	int pidfd = -1;
#ifdef HAVE_PIDFD_OPEN
	pidfd = pidfd_open(pid, 0);
#endif
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			status = -1;
			break;
		}
		int64_t left = deadline - mono_ms();
		bool cancel = readable(cancel_fd);
		if (left <= 0 || cancel) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			if (pidfd >= 0)
				close(pidfd);
			return cancel ? -2 : -1;
		}
		struct pollfd p[2] = { { pidfd, POLLIN, 0 }, { cancel_fd, POLLIN, 0 } };
		if (pidfd >= 0)
			poll(p, 2, (int)left);
		else /* no pidfd: look again in 10 ms (or at once on cancel) */
			poll(p + 1, 1, left < 10 ? (int)left : 10);
	}
	if (pidfd >= 0)
		close(pidfd);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Runs argv once; a failure is logged. True when it succeeded. */
static bool run_logged(char *const argv[], const char *what, int cancel_fd)
{
	int rc = notify_run_until(argv, 2000, cancel_fd, NULL, 0);
	/* rc -2 (cancelled) is not a failure: notify_deliver says so once. */
	if (rc == 127)
		notify_log("%s: %s could not be run (not installed?)", what, argv[0]);
	else if (rc != 0 && rc != -2)
		notify_log("%s: %s failed (%s)", what, argv[0],
		           rc < 0 ? "killed after 2 s, or crashed" : "non-zero exit");
	return rc == 0;
}

static bool bus_reachable(void)
{
	const char *addr = getenv("DBUS_SESSION_BUS_ADDRESS");
	if (addr && *addr)
		return true;
	const char *rt = getenv("XDG_RUNTIME_DIR");
	if (!rt || rt[0] != '/')
		return false;
	char *bus = xasprintf("%s/bus", rt);
	struct stat st;
	bool ok = stat(bus, &st) == 0 && S_ISSOCK(st.st_mode);
	if (ok) {
		/* notify-send finds the bus through this variable. */
		char *a = xasprintf("unix:path=%s", bus);
		setenv("DBUS_SESSION_BUS_ADDRESS", a, 0);
		free(a);
	}
	free(bus);
	return ok;
}

static int deliver_desktop(const char *msg, int cancel_fd)
{
	if (!bus_reachable())
		return 0;
	char *argv[] = { "notify-send", "--app-name=lull", "lull", (char *)msg, NULL };
	return run_logged(argv, "desktop notification", cancel_fd);
}

/* tmux expands #{...} and #x in a message; ## is a plain #. */
static char *tmux_escape(const char *msg)
{
	size_t n = 0;
	for (const char *p = msg; *p; p++)
		n += *p == '#' ? 2 : 1;
	char *s = xmalloc(n + 1), *q = s;
	for (const char *p = msg; *p; p++) {
		*q++ = *p;
		if (*p == '#')
			*q++ = '#';
	}
	*q = '\0';
	return s;
}

static int deliver_tmux(const char *msg, int cancel_fd)
{
	const char *tmp = getenv("TMUX_TMPDIR");
	char *dir = xasprintf("%s/tmux-%ld", tmp && *tmp ? tmp : "/tmp", (long)getuid());
	DIR *d = opendir(dir);
	int delivered = 0;
	if (!d) {
		free(dir);
		return 0;
	}
	char *text = tmux_escape(msg);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *sock = xasprintf("%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(sock, &st) == 0 && S_ISSOCK(st.st_mode) && st.st_uid == getuid()) {
			char clients[2048];
			char *list[] = { "tmux", "-S", sock, "list-clients", "-F", "#{client_name}", NULL };
			/* A stale socket (no server) is normal: not an error. */
			if (!readable(cancel_fd) &&
			    notify_run_until(list, 2000, cancel_fd, clients, sizeof clients) == 0) {
				char *save = NULL;
				for (char *c = strtok_r(clients, "\n", &save); c && !readable(cancel_fd);
				     c = strtok_r(NULL, "\n", &save)) {
					char *argv[] = { "tmux", "-S", sock, "display-message", "-d", "8000",
						         "-c", c, text, NULL };
					if (run_logged(argv, "tmux message", cancel_fd))
						delivered = 1;
				}
			}
		}
		free(sock);
	}
	closedir(d);
	free(text);
	free(dir);
	return delivered;
}

static int deliver_terminal(int fd, const char *msg)
{
	if (fd < 0 || !isatty(fd))
		return 0;
	char *line = xasprintf("\alull: %s\r\n", msg);
	int ok = write_all(fd, line, strlen(line)) == 0;
	free(line);
	return ok;
}

/* The notification the terminal in front of the person shows (kitty, foot,
 * iTerm2, WezTerm...): for a daemon on a server, where notify-send reaches
 * no desktop. Through tmux it needs `set -g allow-passthrough on`. */
static int deliver_osc(const struct notify_config *cfg, const char *msg)
{
	if (cfg->osc == TERMNOTIFY_NONE || cfg->term_fd < 0 || !isatty(cfg->term_fd))
		return 0;
	char seq[1200];
	size_t n = termnotify_format((enum termnotify_kind)cfg->osc, cfg->osc_tmux, "lull", msg, seq, sizeof seq);
	return n > 0 && write_all(cfg->term_fd, seq, n) == 0;
}

int notify_deliver(const struct notify_config *cfg, const char *text)
{
	/* The message comes from the reminder file: on every channel (a
	 * terminal, tmux's status line, a desktop bubble, the banner) it is
	 * shown, never obeyed. */
	char *msg = text_sanitize(text);
	int n = 0;
	if (banner_write(msg) == 0)
		n++;
	else
		notify_log("banner marker: %s", strerror(errno));
	if (cfg->desktop && !readable(cfg->cancel_fd))
		n += deliver_desktop(msg, cfg->cancel_fd);
	if (cfg->tmux && !readable(cfg->cancel_fd))
		n += deliver_tmux(msg, cfg->cancel_fd);
	if (cfg->terminal)
		n += deliver_terminal(cfg->term_fd, msg);
	n += deliver_osc(cfg, msg);
	if (readable(cfg->cancel_fd))
		notify_log("delivery interrupted: the daemon is stopping");
	free(msg);
	return n;
}
