/* Whole files: read with a bound, replaced atomically. The one place lull
 * reads a file whole or rewrites one (the reminders and their state, the
 * history's compaction, the one-line state files, the banner marker, session
 * and settings files).
 *
 * Reading never waits: a FIFO, a device or a socket where a file should be
 * is refused at once rather than blocking lull until someone writes to it.
 * Writing never follows a link: the new file is made under a fresh name next
 * to the old (mkostemp), then renamed over it, so a symbolic link at the
 * final name is replaced, never written through, and a crash leaves either
 * the old file or the new one, whole. */
#ifndef LULL_FILE_H
#define LULL_FILE_H

#include <errno.h>
#include <stddef.h>
#include <time.h>

/* errno for "not a regular file" (a FIFO, a device, a socket). */
#define FILE_ENOTREG EINVAL

/* Opens path for reading (close-on-exec) if it is a regular file. -1 with
 * errno: EISDIR for a directory, FILE_ENOTREG for the other kinds, or what
 * open() said. */
int file_open_read(const char *path);

/* Reads fd from where it stands to its end, at most max bytes, into *buf
 * (the caller's to free; NUL-terminated after *len bytes). 0 when that was
 * all, 1 when there is more than max bytes (*buf then holds the first max),
 * -1 with errno on a read error (nothing to free). */
int file_read_fd(int fd, size_t max, char **buf, size_t *len);

/* file_open_read + file_read_fd, refusing a file over max bytes: 0, or -1
 * with errno (EFBIG when too large; ENOENT when missing). */
int file_read(const char *path, size_t max, char **buf, size_t *len);

/* Replaces path with data: a temporary file in the same directory, mode
 * 0600, written whole, fsync'd (with times[0] and [1] as its access and
 * modification times unless times is NULL), renamed over path, and the
 * directory fsync'd so that the rename lasts too. 0, or -1 with errno and no
 * temporary file left. */
int file_write_atomic(const char *path, const void *data, size_t len,
                      const struct timespec times[2]);

/* Fsyncs the directory that holds path (so that a file created or renamed
 * there survives a crash). 0, or -1 with errno. */
int file_fsync_dir(const char *path);

/* strerror(err), but for FILE_ENOTREG "not a regular file". */
const char *file_strerror(int err);

#endif
