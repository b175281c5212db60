/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#ifdef HAVE_INOTIFY_INIT1
#include <sys/inotify.h>
#endif
#include <time.h>
#include <unistd.h>

#include "banner.h"
#include "file.h"
#include "paths.h"
#include "text.h"
#include "util.h"

#define MARKER "remind-banner"
#define BANNER_FRESH_S (15 * 60)
/* "SECONDS\tTEXT\n": one line of a few hundred bytes. */
#define MARKER_MAX 4096

/* time() may read a coarse clock a tick behind CLOCK_REALTIME, which the
 * daemon's timer uses: stamp and judge with the same clock. */
static time_t now_real(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}

int banner_write(const char *msg)
{
	char *dir = paths_make_dir(PATH_RUNTIME);
	if (!dir)
		return -1;
	char *path = xasprintf("%s/" MARKER, dir);
	char *text = xasprintf("%lld\t%s\n", (long long)now_real(), msg);
	int r = file_write_atomic(path, text, strlen(text), NULL);
	free(text);
	free(path);
	free(dir);
	return r;
}

static bool read_marker(const char *path, char *msg, size_t n, time_t *when)
{
	char *text;
	size_t len;
	if (file_read(path, MARKER_MAX, &text, &len) < 0)
		return false;
	bool ok = false;
	char *tab = strchr(text, '\t');
	if (tab) {
		*tab = '\0';
		*when = (time_t)strtoll(text, NULL, 10);
		tab[strcspn(tab + 1, "\n") + 1] = '\0';
		/* Anyone can write this file: nothing in it reaches the
		 * terminal raw. */
		text_sanitize_into(msg, n, tab + 1);
		ok = true;
	}
	free(text);
	return ok;
}

bool banner_peek(char *msg, size_t n, time_t *when)
{
	char *path = paths_file(PATH_RUNTIME, MARKER);
	if (!path)
		return false;
	bool ok = read_marker(path, msg, n, when);
	free(path);
	return ok;
}

int banner_watch(void)
{
	char *dir = paths_dir(PATH_RUNTIME);
	if (!dir)
		return -1;
#ifdef HAVE_INOTIFY_INIT1
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd >= 0 && inotify_add_watch(fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
		close(fd);
		fd = -1;
	}
#else
	int fd = -1; /* POSIX has no such watch: the caller looks now and then */
#endif
	free(dir);
	return fd;
}

bool banner_take(char *msg, size_t n)
{
	char *path = paths_file(PATH_RUNTIME, MARKER);
	if (!path)
		return false;
	time_t when = 0;
	bool ok = read_marker(path, msg, n, &when);
	time_t now = now_real();
	if (ok && (now - when > BANNER_FRESH_S || when - now > 60))
		ok = false;
	/* Only the one that removes it shows it: two open lulls, one banner. */
	if (ok && unlink(path) != 0)
		ok = false;
	free(path);
	return ok;
}
