#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "file.h"
#include "notify.h"
#include "paths.h"
#include "remind_daemon.h"
#include "reminders.h"
#include "settings.h"
#include "util.h"
#include "zone.h"

static char *pid_path(void)
{
	return paths_file(PATH_RUNTIME, "remind.pid");
}

static long read_pid(int fd)
{
	char buf[32];
	ssize_t got = pread(fd, buf, sizeof buf - 1, 0);
	if (got <= 0)
		return 0;
	buf[got] = '\0';
	return strtol(buf, NULL, 10);
}

long remind_daemon_pid(void)
{
	/* The pid is sent a signal: only from a runtime directory that is
	 * ours, and only from a regular file (a FIFO would hold us here). */
	char *path = paths_file_trusted(PATH_RUNTIME, "remind.pid");
	if (!path)
		return 0;
	int fd = file_open_read(path);
	free(path);
	if (fd < 0)
		return 0;
	long pid = 0;
	/* Locked means alive; a stale file from a crash is not. */
	if (flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK)
		pid = read_pid(fd);
	close(fd);
	return pid;
}

struct daemon {
	struct reminder_list reminders;
	struct settings settings;
	struct notify_config notify;
	char *reminders_path, *state_path;
	int64_t boot_minus_mono; /* seconds spent suspended so far, roughly */
};

static int64_t suspended_s(void)
{
	struct timespec b, m;
	clock_gettime(CLOCK_BOOTTIME, &b);
	clock_gettime(CLOCK_MONOTONIC, &m);
	return (int64_t)(b.tv_sec - m.tv_sec);
}

static void reload(struct daemon *d)
{
	reminders_free(&d->reminders);
	char *buf = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&buf, &len);
	int bad = reminders_load(d->reminders_path, &d->reminders, err);
	int load_errno = errno;
	if (err)
		fclose(err);
	notify_log("read %zu reminder%s from %s", d->reminders.n, d->reminders.n == 1 ? "" : "s",
	           d->reminders_path);
	if (bad < 0)
		notify_log("%s: %s", d->reminders_path, file_strerror(load_errno));
	else if (bad > 0 && buf) {
		/* Each message is FILE:LINE:COL: ...; the other reminders run. */
		for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			notify_log("%s", l);
	}
	free(buf);
	settings_defaults(&d->settings);
	settings_load(&d->settings, NULL, NULL);
	d->notify.desktop = d->settings.remind_notify;
	d->notify.tmux = d->settings.remind_tmux;
	d->notify.terminal = d->settings.remind_bell;
}

static void compose(const struct reminder *r, char *msg, size_t n, bool snooze)
{
	char t[8];
	remind_format_time(r->rule.minute, t, sizeof t);
	const char *text = r->message[0] ? r->message : "time to wind down";
	if (r->session[0])
		snprintf(msg, n, "%s %s%s (lull start %s)", t, text, snooze ? " (snoozed)" : "", r->session);
	else
		snprintf(msg, n, "%s %s%s", t, text, snooze ? " (snoozed)" : "");
}

/* Fires what is due and returns the next instant to wake at (INT64_MAX:
 * none). The state is saved before anything is delivered: a crash in between
 * loses one reminder rather than repeating it. */
static int64_t step(struct daemon *d)
{
	struct sched_zone z;
	zone_reload(); /* /etc/localtime may have changed since the last wake-up */
	zone_local(&z);
	int end = d->settings.evening_end_min;
	int lock = remind_lock();
	struct remind_states states = { 0 };
	remind_states_load(d->state_path, &states);
	struct timespec real;
	clock_gettime(CLOCK_REALTIME, &real);
	int64_t now = real.tv_sec;
	int64_t next = INT64_MAX;
	bool dirty = false;
	size_t nfire = 0;
	char (*msgs)[400] = d->reminders.n ? xcalloc(d->reminders.n, sizeof *msgs) : NULL;

	for (size_t i = 0; i < d->reminders.n; i++) {
		const struct reminder *r = &d->reminders.v[i];
		struct sched_state *st = remind_states_get(&states, r->id, false);
		if (!st || st->last == SCHED_NEVER) {
			/* Never seen, its state lost, or a hand-written line reusing a
			 * removed id: what already began is done. */
			st = remind_states_get(&states, r->id, true);
			sched_state_new(st, &r->rule, &z, end, now);
			dirty = true;
		}
		struct sched_fire f = sched_next(&r->rule, st, &z, end, now);
		if (f.kind != SCHED_NONE && f.at <= now) {
			char date[16];
			cal_format_date(f.day, date, sizeof date);
			/* How late, to the millisecond: the figure of the timer's
			 * precision (bench_remind reads it). */
			notify_log("reminder %d fires for %s%s, %.3f s after its time", r->id, date,
			           f.kind == SCHED_SNOOZE ? " (snoozed)" : "",
			           (double)(now - f.at) + real.tv_nsec / 1e9);
			compose(r, msgs[nfire++], sizeof *msgs, f.kind == SCHED_SNOOZE);
			sched_fired(st, &f);
			dirty = true;
			f = sched_next(&r->rule, st, &z, end, now);
		}
		if (f.kind != SCHED_NONE && f.at < next)
			next = f.at;
	}
	if (dirty && remind_states_save(d->state_path, &states) < 0)
		notify_log("%s: %s", d->state_path, strerror(errno));
	remind_states_free(&states);
	if (lock >= 0)
		close(lock);
	for (size_t i = 0; i < nfire; i++)
		notify_deliver(&d->notify, msgs[i]);
	free(msgs);
	return next;
}

static int take_lock(long *other)
{
	char *dir = paths_make_dir(PATH_RUNTIME);
	if (!dir)
		return -1;
	free(dir);
	char *path = pid_path();
	int fd = file_open_write(path, O_RDWR);
	free(path);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		*other = errno == EWOULDBLOCK ? read_pid(fd) : 0;
		close(fd);
		return -2;
	}
	return fd;
}

static void write_pid(int fd)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == 0 && pwrite(fd, buf, (size_t)n, 0) < 0) {
		/* the lock is what counts; the pid is only for `remind` to show */
	}
}

static bool watch_names(int ifd, int cfg_wd)
{
	/* Drains the queue; true when the reminder file itself changed. A
	 * change of /etc/localtime needs nothing more: every wake-up re-reads
	 * the zone and recomputes. */
	bool changed = false;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	for (;;) {
		ssize_t got = read(ifd, buf, sizeof buf);
		if (got <= 0)
			break;
		for (char *p = buf; p < buf + got;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			if (ev->wd == cfg_wd && ev->len && !strcmp(ev->name, "reminders"))
				changed = true;
			if (ev->mask & IN_Q_OVERFLOW)
				changed = true;
			p += sizeof *ev + ev->len;
		}
	}
	return changed;
}

int remind_daemon_run(bool detach)
{
	long other = 0;
	int lockfd = take_lock(&other);
	if (lockfd == -2) {
		if (other > 0)
			fprintf(stderr, "lull: a reminder daemon already runs (pid %ld)\n", other);
		else
			fprintf(stderr, "lull: a reminder daemon already runs\n");
		return 1;
	}
	if (lockfd < 0) {
		int e = errno;
		char *dir = paths_dir(PATH_RUNTIME);
		fprintf(stderr, "lull: cannot take the daemon's lock in %s: %s\n",
		        dir ? dir : "the runtime directory", file_strerror(e));
		free(dir);
		return 1;
	}

	struct daemon d = { 0 };
	d.reminders_path = paths_file(PATH_CONFIG, "reminders");
	d.state_path = paths_file(PATH_STATE, "remind-state");
	d.notify.term_fd = -1;
	char *cfgdir = paths_make_dir(PATH_CONFIG);
	char *statedir = paths_make_dir(PATH_STATE);
	if (!d.reminders_path || !d.state_path || !cfgdir || !statedir) {
		fprintf(stderr, "lull: cannot make the config and state directories: %s\n", strerror(errno));
		return 1;
	}

	if (detach) {
		/* The lock belongs to the open file, shared with the child: it
		 * stays held when the parent exits. */
		pid_t pid = fork();
		if (pid < 0) {
			fprintf(stderr, "lull: fork: %s\n", strerror(errno));
			return 1;
		}
		if (pid > 0) {
			printf("lull: reminder daemon started (pid %ld)\n", (long)pid);
			close(lockfd);
			free(cfgdir);
			free(statedir);
			free(d.reminders_path);
			free(d.state_path);
			return 0;
		}
		setsid(); /* cannot fail: a child of fork leads no group */
		/* Off the terminal: standard input, output and error on /dev/null. */
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		for (int fd = 0; null >= 0 && fd <= 2; fd++) {
			if (fd != null && dup2(null, fd) < 0)
				notify_log("dup2 /dev/null to %d: %s", fd, strerror(errno));
		}
		if (null > 2)
			close(null);
		else if (null >= 0)
			fcntl(null, F_SETFD, 0); /* it is one of 0..2 now: keep it */
		if (chdir("/") != 0) {
			/* harmless: only the working directory stays */
		}
	} else if (isatty(STDOUT_FILENO)) {
		d.notify.term_fd = STDOUT_FILENO;
	} else if (isatty(STDERR_FILENO)) {
		d.notify.term_fd = STDERR_FILENO;
	}
	write_pid(lockfd);

	/* Two signalfds: SIGTERM/SIGINT also cut short a delivery in progress
	 * (notify.cancel_fd), SIGHUP must not. */
	sigset_t mask, stop_mask, hup_mask;
	sigemptyset(&stop_mask);
	sigaddset(&stop_mask, SIGTERM);
	sigaddset(&stop_mask, SIGINT);
	sigemptyset(&hup_mask);
	sigaddset(&hup_mask, SIGHUP);
	mask = stop_mask;
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	int sfd = signalfd(-1, &stop_mask, SFD_CLOEXEC | SFD_NONBLOCK);
	int hfd = signalfd(-1, &hup_mask, SFD_CLOEXEC | SFD_NONBLOCK);
	d.notify.cancel_fd = sfd;
	int tfd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
	int ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (sfd < 0 || hfd < 0 || tfd < 0 || ifd < 0) {
		fprintf(stderr, "lull: cannot set up the daemon: %s\n", strerror(errno));
		return 1;
	}
	const uint32_t ev = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE;
	int cfg_wd = inotify_add_watch(ifd, cfgdir, ev);
	if (cfg_wd < 0)
		notify_log("inotify on %s: %s", cfgdir, strerror(errno));
	/* A new time zone (timedatectl replaces the /etc/localtime link) moves
	 * the next instant: watch for it. /etc changes rarely. */
	if (!getenv("TZ") && inotify_add_watch(ifd, "/etc", IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE) < 0)
		notify_log("inotify on /etc: %s", strerror(errno));
	free(cfgdir);
	free(statedir);
	/* The state directory is not watched: the commands that change the
	 * state (snooze, skip, add, remove) send SIGHUP to the daemon, and every
	 * wake-up reads the state anew. That keeps the daemon's own state
	 * writes from waking it. */

	notify_log("daemon started (pid %ld)", (long)getpid());
	reload(&d);
	d.boot_minus_mono = suspended_s();
	int status = 0;
	for (;;) {
		int64_t next = step(&d);
		struct itimerspec its = { { 0, 0 }, { 0, 0 } };
		if (next != INT64_MAX) {
			its.it_value.tv_sec = (time_t)next;
			char when[40];
			time_t tt = (time_t)next;
			struct tm tm;
			strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S%z", localtime_r(&tt, &tm));
			notify_log("sleeping until %s", when);
		} else {
			notify_log("sleeping: no reminders");
		}
		if (timerfd_settime(tfd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL) < 0)
			notify_log("timerfd_settime: %s", strerror(errno));

		struct pollfd fds[4] = { { sfd, POLLIN, 0 }, { tfd, POLLIN, 0 }, { ifd, POLLIN, 0 },
			                 { hfd, POLLIN, 0 } };
		/* A SIGTERM that cut a delivery short is still pending: poll sees it. */
		if (poll(fds, 4, -1) < 0 && errno != EINTR) {
			notify_log("poll: %s", strerror(errno));
			status = 1;
			break;
		}
		if (fds[0].revents & POLLIN)
			break;
		if (fds[3].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(hfd, &si, sizeof si) == (ssize_t)sizeof si)
				;
			reload(&d);
		}
		if (fds[1].revents & POLLIN) {
			uint64_t n;
			if (read(tfd, &n, sizeof n) < 0 && errno == ECANCELED)
				notify_log("the wall clock changed: recomputing");
		}
		if ((fds[2].revents & POLLIN) && watch_names(ifd, cfg_wd))
			reload(&d);
		int64_t s = suspended_s();
		if (s - d.boot_minus_mono >= 2)
			notify_log("resumed after about %lld s of suspend", (long long)(s - d.boot_minus_mono));
		d.boot_minus_mono = s;
	}
	notify_log("daemon stopped (pid %ld)", (long)getpid());
	char *pp = pid_path();
	if (pp) {
		/* Empty the pid file, under the lock still held. */
		if (ftruncate(lockfd, 0) != 0) {
			/* the lock goes with the process anyway */
		}
		free(pp);
	}
	close(lockfd);
	reminders_free(&d.reminders);
	free(d.reminders_path);
	free(d.state_path);
	return status;
}
