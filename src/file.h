/* SPDX-License-Identifier: ISC */
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
/* errno for "a symbolic link where lull writes a file": never written
 * through (O_NOFOLLOW's own error). */
#define FILE_ELINK ELOOP
/* errno for a directory lull will not keep files in: owned by another user,
 * or writable by others (a shared XDG_RUNTIME_DIR, say). */
#define FILE_EUNSAFE ENOTUNIQ /* an errno no file call returns */

/* Opens path for reading (close-on-exec) if it is a regular file. -1 with
 * errno: EISDIR for a directory, FILE_ENOTREG for the other kinds, or what
 * open() said. */
int file_open_read(const char *path);

/* Opens path for writing (close-on-exec, created 0600 when missing), with
 * O_APPEND, O_RDWR or both in flags (write-only without O_RDWR): never
 * through a symbolic link (FILE_ELINK) unless flags hold FILE_LINK_OK, and
 * never waiting on a FIFO (FILE_ENOTREG, as for any file that is not a
 * regular one; EISDIR for a directory). For the files lull appends to or
 * locks in place: the logs, the history, the lock and pid files. */
int file_open_write(const char *path, int flags);
/* For file_open_write: a link at path is followed. Only for a file the
 * person may have linked elsewhere themselves (the history, into a synced
 * folder) in a directory paths_make_dir() found to be theirs alone, where
 * no one else can have planted the link. */
#define FILE_LINK_OK (1 << 30)

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

/* Removes what file_write_atomic leaves beside path when it is killed
 * mid-way (".LEAF.XXXXXX"). Only for a caller that holds the lock every
 * writer of path takes, so that no temporary file is in use. Returns the
 * number removed. */
int file_remove_stale_temps(const char *path);

/* 0 when dir is a directory lull may keep its files in: owned by this user
 * and not writable by group or others. -1 with errno otherwise
 * (FILE_EUNSAFE, ENOTDIR, or what stat() said). */
int file_dir_trusted(const char *dir);

/* Fsyncs the directory that holds path (so that a file created or renamed
 * there survives a crash). 0, or -1 with errno. */
int file_fsync_dir(const char *path);

/* strerror(err), but in words about files for FILE_ENOTREG ("not a regular
 * file"), FILE_ELINK and FILE_EUNSAFE. */
const char *file_strerror(int err);

#endif
