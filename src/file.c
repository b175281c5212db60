/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "util.h"

static void close_keep_errno(int fd)
{
	int e = errno;
	close(fd);
	errno = e;
}

/* fd (just opened without waiting) checked to be a regular file and set
 * back to blocking; closed, with errno, when it is not. */
static int regular_or_close(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0) {
		close_keep_errno(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		errno = S_ISDIR(st.st_mode) ? EISDIR : FILE_ENOTREG;
		return -1;
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		close_keep_errno(fd);
		return -1;
	}
	return fd;
}

int file_open_read(const char *path)
{
	/* O_NONBLOCK so that opening a FIFO does not wait for a writer; the
	 * kind is checked before anything is read. */
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	return regular_or_close(fd);
}

int file_open_write(const char *path, int flags)
{
	/* O_NOFOLLOW: a link planted at the name is refused, not written
	 * through (ELOOP). O_NONBLOCK: opening a FIFO for writing fails or
	 * returns at once instead of waiting for a reader. */
	int fd = open(path, O_CREAT | (flags & FILE_LINK_OK ? 0 : O_NOFOLLOW) |
	              O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
	              (flags & O_RDWR ? O_RDWR : O_WRONLY) | (flags & O_APPEND), 0600);
	if (fd < 0) {
		if (errno == ENXIO) /* a FIFO without a reader */
			errno = FILE_ENOTREG;
		return -1;
	}
	return regular_or_close(fd);
}

int file_read_fd(int fd, size_t max, char **buf, size_t *len)
{
	/* Sized from the file at once where it says its size: a long history
	 * is read without regrowing (every regrown buffer is fresh memory to
	 * fault in). */
	struct stat st;
	size_t cap = 64 * 1024;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uintmax_t)st.st_size < SIZE_MAX / 2)
		cap = (size_t)st.st_size + 1;
	if (cap > max)
		cap = max;
	char *b = xmalloc(cap + 1);
	mem_prefault(b, cap + 1);
	size_t n = 0;
	for (;;) {
		if (n == cap) {
			if (cap == max)
				break;
			cap = cap < max / 2 ? cap * 2 : max;
			b = xrealloc(b, cap + 1);
		}
		ssize_t r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(b);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	int more = 0;
	if (n == max) {
		/* Full: one byte more tells a file of exactly max bytes from a
		 * longer one. */
		char extra;
		ssize_t r;
		while ((r = read(fd, &extra, 1)) < 0 && errno == EINTR)
			;
		more = r > 0;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return more;
}

int file_read(const char *path, size_t max, char **buf, size_t *len)
{
	int fd = file_open_read(path);
	if (fd < 0)
		return -1;
	int r = file_read_fd(fd, max, buf, len);
	close_keep_errno(fd);
	if (r == 1) {
		free(*buf);
		*buf = NULL;
		errno = EFBIG;
		return -1;
	}
	return r;
}

/* The directory part of path ("." or "/" at the ends). The caller frees. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return !slash ? xstrdup(".")
	     : slash == path ? xstrdup("/")
	     : xasprintf("%.*s", (int)(slash - path), path);
}

int file_fsync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	int r = fsync(fd);
	close_keep_errno(fd);
	return r;
}

int file_write_atomic(const char *path, const void *data, size_t len,
                      const struct timespec times[2])
{
	/* A fresh, hidden name beside the file: mkostemp creates it with
	 * O_EXCL, so nothing already there (a link, a file) is followed or
	 * reused, and rename() stays within one file system. */
	const char *slash = strrchr(path, '/');
	char *tmp = slash ? xasprintf("%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1)
	                  : xasprintf(".%s.XXXXXX", path);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		free(tmp);
		errno = e;
		return -1;
	}
	int r = 0;
	if (fchmod(fd, 0600) < 0 || write_all(fd, data, len) < 0 ||
	    (times && futimens(fd, times) < 0) || fsync(fd) < 0) {
		close_keep_errno(fd);
		r = -1;
	} else if (close(fd) < 0 || rename(tmp, path) < 0) {
		r = -1;
	}
	if (r < 0) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		errno = e;
		return -1;
	}
	free(tmp);
	/* The rename itself reaches the disk with the directory. A directory
	 * that cannot be synced (some file systems refuse) leaves the file
	 * written all the same: not a failure of the write. */
	file_fsync_dir(path);
	return 0;
}

int file_remove_stale_temps(const char *path)
{
	/* file_write_atomic's names: "." LEAF "." and mkostemp's six. */
	const char *slash = strrchr(path, '/');
	const char *leaf = slash ? slash + 1 : path;
	char *dir = dir_of(path);
	DIR *d = opendir(dir);
	int removed = 0;
	size_t ll = strlen(leaf);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			const char *n = e->d_name;
			if (n[0] != '.' || strncmp(n + 1, leaf, ll) != 0 || n[1 + ll] != '.' ||
			    strlen(n + 2 + ll) != 6)
				continue;
			char *p = xasprintf("%s/%s", dir, n);
			struct stat st;
			if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && unlink(p) == 0)
				removed++;
			free(p);
		}
		closedir(d);
	}
	free(dir);
	return removed;
}

int file_dir_trusted(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		errno = FILE_EUNSAFE;
		return -1;
	}
	return 0;
}

const char *file_strerror(int err)
{
	switch (err) {
	case FILE_ENOTREG:
		return "not a regular file";
	case FILE_ELINK:
		return "a symbolic link (lull does not write through links)";
	case FILE_EUNSAFE:
		return "owned by another user or writable by others (lull keeps no files there)";
	default:
		return strerror(err);
	}
}
