/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#ifdef HAVE_INOTIFY_INIT1
#include <sys/inotify.h>
#endif
#ifdef HAVE_SIGNALFD
#include <sys/signalfd.h>
#endif
#ifdef HAVE_TIMERFD_CREATE
#include <sys/timerfd.h>
#endif
#include <unistd.h>

#include "calendar.h"
#include "file.h"
#include "notify.h"
#include "termnotify.h"
#include "text.h"
#include "paths.h"
#include "remind_daemon.h"
#include "reminders.h"
#include "settings.h"
#include "sysdep.h"
#include "util.h"
#include "wake.h"
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
	/* What this daemon fired, per id: the date in last, the snooze instant
	 * in snooze_until (0 for a regular one). Laid over the state read at
	 * every wake-up, so that a state that cannot be saved (a full disk, a
	 * read-only home) does not make the same night fire again at every
	 * reload; kept for the daemon's life. */
	struct remind_states fired;
	bool save_failing;       /* told once, until a save works again */
	int stop_fd;             /* readable: SIGTERM or SIGINT is pending */
	/* What remind_daemon_run opens, and daemon_close closes on every
	 * way out (-1, NULL: not open). */
	int lockfd;              /* the pid file, locked */
	char *cfgdir;            /* watched */
	int hup_fd;              /* readable: SIGHUP, re-read */
	int timer_fd;            /* the timerfd; -1 without one */
	int watch_fd;            /* inotify; -1 without it */
	bool detach, looped;
};

/* True when SIGTERM or SIGINT waits: long work gives way to it. */
static bool stopping(const struct daemon *d)
{
	struct pollfd p = { d->stop_fd, POLLIN, 0 };
	return d->stop_fd >= 0 && poll(&p, 1, 0) > 0;
}

/* Seconds spent suspended since boot, roughly: CLOCK_BOOTTIME counts them,
 * CLOCK_MONOTONIC does not. Without CLOCK_BOOTTIME, 0: a resume is then
 * seen as the wall clock moving against the monotonic one (wake.h). */
static int64_t suspended_s(void)
{
#if HAVE_DECL_CLOCK_BOOTTIME
	struct timespec b, m;
	clock_gettime(CLOCK_BOOTTIME, &b);
	clock_gettime(CLOCK_MONOTONIC, &m);
	return (int64_t)(b.tv_sec - m.tv_sec);
#else
	return 0;
#endif
}

#ifndef HAVE_TIMERFD_CREATE
static int64_t ts_ns(clockid_t id)
{
	struct timespec t;
	clock_gettime(id, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}
#endif

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
		notify_log("%s: %s", d->reminders_path,
		           load_errno == EFBIG ? "larger than lull reads (1 MiB); no reminders"
		                               : file_strerror(load_errno));
	else if (bad > 0 && buf) {
		/* Each message is FILE:LINE:COL: ...; the other reminders run. */
		for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			notify_log("%s", l);
	}
	free(buf);
	/* What is wrong with the settings goes to the log as well: the daemon
	 * has no terminal to say it on (a FIFO there was passed over in
	 * silence). */
	buf = NULL;
	len = 0;
	err = open_memstream(&buf, &len);
	settings_defaults(&d->settings);
	int warned = settings_load(&d->settings, NULL, err);
	if (err)
		fclose(err);
	if (warned > 0 && buf)
		for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			notify_log("%s", str_has_prefix(l, "lull: ") ? l + 6 : l);
	free(buf);
	d->notify.desktop = d->settings.remind_notify;
	d->notify.tmux = d->settings.remind_tmux;
	d->notify.terminal = d->settings.remind_bell;
	/* auto: only what the terminal's environment says it speaks. */
	d->notify.osc = d->settings.remind_osc_auto
		? (int)termnotify_detect(getenv("TERM"), getenv("TERM_PROGRAM"), getenv("LC_TERMINAL"),
					 getenv("KITTY_WINDOW_ID"))
		: d->settings.remind_osc;
	d->notify.osc_tmux = getenv("TMUX") && *getenv("TMUX");
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
	char *buf = NULL;
	size_t blen = 0;
	FILE *err = open_memstream(&buf, &blen);
	if (remind_states_load(d->state_path, &states, err) < 0)
		notify_log("%s: %s", d->state_path, file_strerror(errno));
	if (err)
		fclose(err);
	if (buf) /* each NAME:LINE: ...; the line is left out, and saved without */
		for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			notify_log("%s", l);
	free(buf);
	struct timespec real;
	clock_gettime(CLOCK_REALTIME, &real);
	int64_t now = real.tv_sec;
	int64_t next = INT64_MAX;
	bool dirty = false;
	size_t nfire = 0;
	char (*msgs)[400] = d->reminders.n ? xcalloc(d->reminders.n, sizeof *msgs) : NULL;

	for (size_t i = 0; i < d->reminders.n; i++) {
		if (i % 4096 == 4095 && stopping(d))
			break; /* a huge file: SIGTERM is not kept waiting */
		const struct reminder *r = &d->reminders.v[i];
		struct sched_state *st = remind_states_get(&states, r->id, true);
		unsigned what = sched_state_view(st, remind_states_get(&d->fired, r->id, false), &r->rule, &z, end, now);
		if (what & SCHED_VIEW_CLOCK_BACK)
			notify_log("reminder %d: its state is dated after now (the clock went back?): "
			           "tonight counts as not done", r->id);
		dirty |= (what & SCHED_VIEW_CHANGED) != 0;
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
			struct sched_state *m = remind_states_get(&d->fired, r->id, true);
			m->last = f.day;
			m->snooze_until = f.kind == SCHED_SNOOZE ? f.at : 0;
			sched_fired(st, &f);
			dirty = true;
			f = sched_next(&r->rule, st, &z, end, now);
		}
		if (f.kind != SCHED_NONE && f.at < next)
			next = f.at;
	}
	if (dirty && remind_states_save(d->state_path, &states) < 0) {
		int e = errno;
		if (!d->save_failing) {
			/* Once, where someone may read it: the journal under systemd,
			 * the terminal of a daemon started by hand. */
			notify_log("cannot save %s: %s; what fires is remembered until the daemon stops",
			           d->state_path, file_strerror(e));
			fprintf(stderr, "lull: cannot save %s: %s; reminders that fire are remembered "
			        "until the daemon stops\n", d->state_path, file_strerror(e));
			d->save_failing = true;
		}
	} else if (dirty && d->save_failing) {
		notify_log("%s saved again", d->state_path);
		d->save_failing = false;
	}
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

static void write_pid(int fd, pid_t pid)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%ld\n", (long)pid);
	if (ftruncate(fd, 0) == 0 && pwrite(fd, buf, (size_t)n, 0) < 0) {
		/* the lock is what counts; the pid is only for `remind` to show */
	}
}

#ifdef HAVE_INOTIFY_INIT1
/* The watches on the config directory: on it (the reminder file) and on
 * its parent (the directory itself moved, removed or made anew, as a
 * dotfiles manager or `mv ~/.config/lull ...` does). */
struct watch {
	int fd;
	int cfg_wd, parent_wd;
	char *cfgdir, *parent, *leaf;
};

static const uint32_t cfg_events = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
                                   IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF;

/* (Re)watches the config directory that is at its path now: a watch
 * follows the directory it was put on, wherever that goes. */
static void watch_config(struct watch *w)
{
	if (w->cfg_wd >= 0)
		inotify_rm_watch(w->fd, w->cfg_wd); /* fails harmlessly when already gone */
	w->cfg_wd = inotify_add_watch(w->fd, w->cfgdir, cfg_events);
	if (w->cfg_wd < 0 && errno != ENOENT)
		notify_log("inotify on %s: %s", w->cfgdir, strerror(errno));
}

enum { WATCH_RELOAD = 1, WATCH_REWATCH = 2 };

static int watch_names(struct watch *w)
{
	/* Drains the queue: WATCH_RELOAD when the reminder file changed,
	 * WATCH_REWATCH when the directory did. A change of /etc/localtime
	 * needs nothing more: every wake-up re-reads the zone and recomputes. */
	int what = 0;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	for (;;) {
		ssize_t got = read(w->fd, buf, sizeof buf);
		if (got <= 0)
			break;
		for (char *p = buf; p < buf + got;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			if (ev->wd == w->cfg_wd && ev->len && !strcmp(ev->name, "reminders"))
				what |= WATCH_RELOAD;
			if (ev->wd == w->cfg_wd && (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)))
				what |= WATCH_REWATCH;
			if (ev->wd == w->parent_wd && ev->len && !strcmp(ev->name, w->leaf))
				what |= WATCH_REWATCH;
			if (ev->mask & IN_Q_OVERFLOW)
				what |= WATCH_RELOAD | WATCH_REWATCH;
			p += sizeof *ev + ev->len;
		}
	}
	return what;
}

/* Puts the watches up; the descriptor, or -1 (said on stderr). */
static int watch_start(struct watch *w, char *cfgdir)
{
	*w = (struct watch){ .fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK), .cfg_wd = -1, .parent_wd = -1,
			     .cfgdir = cfgdir };
	if (w->fd < 0)
		return -1;
	char *slash = strrchr(cfgdir, '/');
	w->parent = slash == cfgdir ? xstrdup("/") : xasprintf("%.*s", (int)(slash - cfgdir), cfgdir);
	w->leaf = slash + 1;
	watch_config(w);
	w->parent_wd = inotify_add_watch(w->fd, w->parent, IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE);
	if (w->parent_wd < 0)
		notify_log("inotify on %s: %s", w->parent, strerror(errno));
	/* A new time zone (timedatectl replaces the /etc/localtime link) moves
	 * the next instant: watch for it. /etc changes rarely. */
	if (!getenv("TZ") && inotify_add_watch(w->fd, "/etc", IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE) < 0)
		notify_log("inotify on /etc: %s", strerror(errno));
	return w->fd;
}

/* After the descriptor was readable: true when the reminder file must be
 * read again. */
static bool watch_changed(struct watch *w)
{
	int what = watch_names(w);
	if (what & WATCH_REWATCH) {
		notify_log("%s moved or replaced: watching it anew", w->cfgdir);
		watch_config(w);
	}
	return what != 0;
}

static void watch_end(struct watch *w)
{
	free(w->parent);
}
#else
/* Without inotify: a stat of the reminder file and of /etc/localtime at
 * every wake-up (at least one a minute, wake.h), besides the SIGHUP that the
 * commands which change the file send. Compared: what says the file is
 * another or was written (a file replaced by rename has another inode). */
struct seen {
	bool there;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
};

struct watch {
	const char *reminders;
	struct seen file, zone;
};

static struct seen seen_now(const char *path)
{
	struct stat st;
	struct seen s = { 0 };
	if (path && stat(path, &st) == 0)
		s = (struct seen){ true, st.st_dev, st.st_ino, st.st_size, st.st_mtim, st.st_ctim };
	return s;
}

static bool seen_differ(const struct seen *a, const struct seen *b)
{
	return a->there != b->there || a->dev != b->dev || a->ino != b->ino || a->size != b->size ||
	       a->mtime.tv_sec != b->mtime.tv_sec || a->mtime.tv_nsec != b->mtime.tv_nsec ||
	       a->ctime.tv_sec != b->ctime.tv_sec || a->ctime.tv_nsec != b->ctime.tv_nsec;
}

static const char *zone_file(void)
{
	return getenv("TZ") ? NULL : "/etc/localtime";
}

static int watch_start(struct watch *w, const char *reminders)
{
	w->reminders = reminders;
	w->file = seen_now(reminders);
	w->zone = seen_now(zone_file());
	return -1; /* nothing to poll */
}

/* At a wake-up: true when the reminder file must be read again; *zone set
 * when the zone file changed (every step re-reads the zone). */
static bool watch_stat(struct watch *w, bool *zone)
{
	struct seen f = seen_now(w->reminders), z = seen_now(zone_file());
	bool changed = seen_differ(&f, &w->file);
	*zone = seen_differ(&z, &w->zone);
	w->file = f;
	w->zone = z;
	return changed;
}

static void watch_end(struct watch *w)
{
	(void)w; /* nothing was taken */
}
#endif

#ifndef HAVE_SIGNALFD
/* Without signalfd, a self-pipe per kind of signal: the handler writes a
 * byte. SIGTERM and SIGINT's pipe is never drained, so that it stays
 * readable, as the signalfd of a pending signal does: a delivery in
 * progress (notify.cancel_fd) and every later poll see it. */
static int stop_pipe[2] = { -1, -1 }, hup_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;
	ssize_t n = write(sig == SIGHUP ? hup_pipe[1] : stop_pipe[1], &b, 1);
	(void)n; /* a full pipe already holds a wake-up */
	errno = saved;
}

static int signal_pipes(void)
{
	if (sys_pipe(stop_pipe, true) != 0 || sys_pipe(hup_pipe, true) != 0)
		return -1;
	sys_catch_signal(SIGTERM, on_signal);
	sys_catch_signal(SIGINT, on_signal);
	sys_catch_signal(SIGHUP, on_signal);
	return 0;
}
#endif

/* "a desktop notification, tmux, the bell and a line on this terminal,
 * an OSC 777 notification, and the banner in an open lull". */
static void describe_channels(const struct notify_config *n, char *buf, size_t size)
{
	const char *parts[6];
	size_t k = 0;
	if (n->desktop)
		parts[k++] = "a desktop notification (when a session bus answers)";
	if (n->tmux)
		parts[k++] = "tmux";
	if (n->terminal && n->term_fd >= 0)
		parts[k++] = "the bell and a line on this terminal";
	char osc[48];
	if (n->osc != TERMNOTIFY_NONE && n->term_fd >= 0) {
		snprintf(osc, sizeof osc, "an %s notification", termnotify_name((enum termnotify_kind)n->osc));
		parts[k++] = osc;
	}
	parts[k++] = "the banner in an open lull";
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < k && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i == 0 ? "" : i + 1 == k ? ", and " : ", ",
					 parts[i]);
}

/* Says why the daemon's lock was not taken; the exit status. */
static int lock_refused(int lockfd, long other)
{
	if (lockfd == -2) {
		if (other > 0)
			fprintf(stderr, "lull: a reminder daemon already runs (pid %ld)\n", other);
		else
			fprintf(stderr, "lull: a reminder daemon already runs\n");
		return REMIND_EXIT_RUNNING;
	}
	int e = errno;
	char *dir = paths_dir(PATH_RUNTIME);
	fprintf(stderr, "lull: cannot take the daemon's lock in %s: %s\n", dir ? dir : "the runtime directory",
	        file_strerror(e));
	free(dir);
	return 1;
}

/* Off the terminal, in a child that keeps the lock: 0 in the child, else
 * the parent's exit status (0 once the child runs). */
static int detach_child(struct daemon *d)
{
	/* The lock belongs to the open file, shared with the child: it stays
	 * held when the parent exits. */
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "lull: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid > 0) {
		/* The child's pid is in the file before the parent returns: a
		 * `remind daemon` or `remind add` right after finds it (the child
		 * writing it itself raced them). */
		write_pid(d->lockfd, pid);
		printf("lull: reminder daemon started (pid %ld)\n", (long)pid);
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
	return -1;
}

/* The lock, the folders, and off the terminal when detach: -1 to go on,
 * else the exit status (what was taken is in d, for daemon_close). */
static int daemon_open(struct daemon *d, bool detach)
{
	long other = 0;
	d->lockfd = take_lock(&other);
	if (d->lockfd < 0)
		return lock_refused(d->lockfd, other);
	d->reminders_path = paths_file(PATH_CONFIG, "reminders");
	d->state_path = paths_file(PATH_STATE, "remind-state");
	d->cfgdir = paths_make_dir(PATH_CONFIG);
	int e = errno;
	char *statedir = d->cfgdir ? paths_make_dir(PATH_STATE) : NULL;
	if (d->cfgdir && !statedir)
		e = errno;
	/* The state directory is not watched: the commands that change the
	 * state (snooze, skip, add, remove) send SIGHUP to the daemon, and
	 * every wake-up reads the state anew. That keeps the daemon's own
	 * state writes from waking it. */
	bool have_state = statedir != NULL;
	free(statedir);
	if (!d->reminders_path || !d->state_path || !d->cfgdir || !have_state) {
		/* Which one, and its own reason (the other's errno said "File
		 * exists" of a directory lull refused as another user's). */
		char *want = paths_dir(d->cfgdir ? PATH_STATE : PATH_CONFIG);
		fprintf(stderr, "lull: cannot use the %s directory %s: %s\n", d->cfgdir ? "state" : "config",
		        want ? want : "(no home: set HOME)", want ? file_strerror(e) : "");
		free(want);
		return 1;
	}
	int rc = detach ? detach_child(d) : -1;
	if (rc >= 0)
		return rc;
	if (!detach && isatty(STDOUT_FILENO))
		d->notify.term_fd = STDOUT_FILENO;
	else if (!detach && isatty(STDERR_FILENO))
		d->notify.term_fd = STDERR_FILENO;
	write_pid(d->lockfd, getpid());
	return -1;
}

/* The descriptors the loop waits on: the signals, the timer, the watches.
 * -1 to go on, else the exit status (said). */
static int daemon_watch(struct daemon *d, struct watch *w)
{
	/* SIGTERM/SIGINT also cut short a delivery in progress
	 * (notify.cancel_fd), SIGHUP must not: two descriptors. */
	signal(SIGPIPE, SIG_IGN);
#ifdef HAVE_SIGNALFD
	sigset_t mask, stop_mask, hup_mask;
	sigemptyset(&stop_mask);
	sigaddset(&stop_mask, SIGTERM);
	sigaddset(&stop_mask, SIGINT);
	sigemptyset(&hup_mask);
	sigaddset(&hup_mask, SIGHUP);
	mask = stop_mask;
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	d->stop_fd = signalfd(-1, &stop_mask, SFD_CLOEXEC | SFD_NONBLOCK);
	d->hup_fd = signalfd(-1, &hup_mask, SFD_CLOEXEC | SFD_NONBLOCK);
#else
	if (signal_pipes() == 0) {
		d->stop_fd = stop_pipe[0];
		d->hup_fd = hup_pipe[0];
	}
#endif
	d->notify.cancel_fd = d->stop_fd;
	bool bad = d->stop_fd < 0 || d->hup_fd < 0;
#ifdef HAVE_TIMERFD_CREATE
	d->timer_fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
	bad = bad || d->timer_fd < 0;
#endif /* else the wait is a poll time-out (wake.h) */
#ifdef HAVE_INOTIFY_INIT1
	d->watch_fd = watch_start(w, d->cfgdir);
	bad = bad || d->watch_fd < 0;
#else
	d->watch_fd = watch_start(w, d->reminders_path);
#endif
	if (bad) {
		fprintf(stderr, "lull: cannot set up the daemon: %s\n", strerror(errno));
		return 1;
	}
	return -1;
}

/* Fires what is due, and sets the timer (when there is one) at the next. */
static int64_t daemon_step(struct daemon *d)
{
	int64_t next = step(d);
	if (next != INT64_MAX) {
		char when[40] = "?";
		time_t tt = (time_t)next;
		struct tm tm;
		if (localtime_r(&tt, &tm))
			strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S%z", &tm);
		notify_log("sleeping until %s", when);
	} else {
		notify_log("sleeping: no reminders");
	}
#ifdef HAVE_TIMERFD_CREATE
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };
	if (next != INT64_MAX)
		its.it_value.tv_sec = (time_t)next;
	if (timerfd_settime(d->timer_fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL) < 0)
		notify_log("timerfd_settime: %s", strerror(errno));
#endif
	return next;
}

/* After a wake-up with fds[] polled (stop, timer, watch, hup): true when
 * the next instant must be computed again. */
static bool daemon_woken(struct daemon *d, struct watch *w, const struct pollfd *fds, int64_t next,
			 int64_t *real_minus_mono)
{
	bool recompute = false;
	if (fds[3].revents & POLLIN) {
#ifdef HAVE_SIGNALFD
		struct signalfd_siginfo si;
		while (read(d->hup_fd, &si, sizeof si) == (ssize_t)sizeof si)
			;
#else
		unsigned char b[64];
		while (read(d->hup_fd, b, sizeof b) > 0)
			;
#endif
		reload(d);
		recompute = true;
	}
#ifdef HAVE_TIMERFD_CREATE
	(void)next;
	(void)real_minus_mono;
	if (fds[1].revents & POLLIN) {
		uint64_t n;
		if (read(d->timer_fd, &n, sizeof n) < 0 && errno == ECANCELED)
			notify_log("the wall clock changed: recomputing");
		recompute = true;
	}
#else
	int64_t rm = ts_ns(CLOCK_REALTIME) - ts_ns(CLOCK_MONOTONIC);
	if (wake_clock_moved(*real_minus_mono, rm)) {
		notify_log("the wall clock changed: recomputing");
		recompute = true;
	}
	*real_minus_mono = rm;
	if (next != INT64_MAX && ts_ns(CLOCK_REALTIME) >= next * 1000000000)
		recompute = true;
#endif
#ifdef HAVE_INOTIFY_INIT1
	if (fds[2].revents & POLLIN) {
		if (watch_changed(w))
			reload(d);
		recompute = true; /* /etc/localtime, too, wakes it */
	}
#else
	bool zone = false;
	if (watch_stat(w, &zone) && !(fds[3].revents & POLLIN)) {
		notify_log("%s changed: reading it again", d->reminders_path);
		reload(d);
		recompute = true;
	}
	recompute = recompute || zone;
#endif
	int64_t s = suspended_s();
	if (s - d->boot_minus_mono >= 2)
		notify_log("resumed after about %lld s of suspend", (long long)(s - d->boot_minus_mono));
	d->boot_minus_mono = s;
	return recompute;
}

/* Says where it runs and how it delivers, then sleeps until the next
 * reminder, fires it, and again, until SIGTERM or SIGINT: the exit status. */
static int daemon_loop(struct daemon *d, struct watch *w)
{
	d->looped = true;
	notify_log("daemon started (pid %ld)", (long)getpid());
	reload(d);
	/* Once: where it runs and how reminders will reach the person. */
	char ways[300];
	describe_channels(&d->notify, ways, sizeof ways);
	notify_log("delivers by %s", ways);
	if (!d->detach) {
		char *where = text_sanitize(d->reminders_path);
		printf("lull: reminder daemon running (pid %ld) for %s; delivers by %s\n", (long)getpid(), where, ways);
		fflush(stdout);
		free(where);
	}
	d->boot_minus_mono = suspended_s();
	int64_t real_minus_mono = 0;
#ifndef HAVE_TIMERFD_CREATE
	real_minus_mono = ts_ns(CLOCK_REALTIME) - ts_ns(CLOCK_MONOTONIC);
#endif
	int status = 0;
	int64_t next = INT64_MAX;
	/* Every wake-up recomputes, but for the minutely one of the POSIX
	 * wait, which recomputes only when something changed. */
	for (bool recompute = true;;) {
		if (recompute)
			next = daemon_step(d);
#ifdef HAVE_TIMERFD_CREATE
		int64_t wait_ns = -1;
#else
		int64_t wait_ns = wake_wait_ns(ts_ns(CLOCK_REALTIME), next);
#endif
		/* Descriptors that are -1 (none without timerfd or inotify)
		 * poll() passes over. */
		struct pollfd fds[4] = { { d->stop_fd, POLLIN, 0 }, { d->timer_fd, POLLIN, 0 },
			                 { d->watch_fd, POLLIN, 0 }, { d->hup_fd, POLLIN, 0 } };
		/* A SIGTERM that cut a delivery short is still pending: poll sees it. */
		if (sys_poll_ns(fds, 4, wait_ns) < 0 && errno != EINTR) {
			notify_log("poll: %s", strerror(errno));
			status = 1;
			break;
		}
		if (fds[0].revents & POLLIN)
			break;
		recompute = daemon_woken(d, w, fds, next, &real_minus_mono);
	}
	notify_log("daemon stopped (pid %ld)", (long)getpid());
	return status;
}

/* Frees and closes what daemon_open and daemon_watch took, on every way
 * out. */
static void daemon_close(struct daemon *d, struct watch *w)
{
	if (d->lockfd >= 0) {
		/* Empty the pid file, under the lock still held, when this
		 * daemon ran (the parent of --detach leaves its child's pid). */
		if (d->looped && ftruncate(d->lockfd, 0) != 0) {
			/* the lock goes with the process anyway */
		}
		close(d->lockfd);
	}
	int fds[] = { d->stop_fd, d->hup_fd, d->timer_fd, d->watch_fd };
	for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	reminders_free(&d->reminders);
	remind_states_free(&d->fired);
	free(d->reminders_path);
	free(d->state_path);
	watch_end(w);
	free(d->cfgdir);
}

int remind_daemon_run(bool detach)
{
	struct daemon d = { .lockfd = -1, .stop_fd = -1, .hup_fd = -1, .timer_fd = -1, .watch_fd = -1,
			    .detach = detach, .notify = { .term_fd = -1, .cancel_fd = -1 } };
	struct watch w = { 0 };
	int status = daemon_open(&d, detach);
	if (status < 0)
		status = daemon_watch(&d, &w);
	if (status < 0)
		status = daemon_loop(&d, &w);
	daemon_close(&d, &w);
	return status;
}
