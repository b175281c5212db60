/* SPDX-License-Identifier: ISC */
/* Where lull keeps its files, after the XDG Base Directory specification.
 * Nothing here creates a directory except paths_make_dir(): lull leaves no trace
 * on a machine until it has something to keep. */
#ifndef LULL_PATHS_H
#define LULL_PATHS_H

#include <sys/types.h>

enum path_kind {
	PATH_CONFIG,  /* $XDG_CONFIG_HOME/lull or ~/.config/lull: settings, sessions, reminders */
	PATH_DATA,    /* $XDG_DATA_HOME/lull or ~/.local/share/lull: the user's sounds */
	PATH_STATE,   /* $XDG_STATE_HOME/lull or ~/.local/state/lull: history, log */
	PATH_RUNTIME, /* $XDG_RUNTIME_DIR/lull, else the state directory: locks, markers */
	PATH_CACHE,   /* $XDG_CACHE_HOME/lull or ~/.cache/lull: what can be made again (the voice) */
};

/* The lull directory of that kind; not created. NULL when neither the XDG
 * variable nor HOME gives an absolute path. The caller frees. */
char *paths_dir(enum path_kind kind);

/* paths_dir(kind) + "/" + leaf; NULL as above. The caller frees. */
char *paths_file(enum path_kind kind, const char *leaf);

/* paths_file(kind, leaf) when the directory is missing or trusted
 * (file_dir_trusted); NULL with errno (FILE_EUNSAFE, ENOTDIR) when it is
 * there and not lull's to read from: for what lull reads from the runtime
 * directory, which may be shared. The caller frees. */
char *paths_file_trusted(enum path_kind kind, const char *leaf);

/* Creates the lull directory of that kind (and missing parents), mode 0700,
 * and returns its path (the caller frees), or NULL with errno set: an
 * existing one owned by another user or writable by others is refused
 * (FILE_EUNSAFE, see file.h). */
char *paths_make_dir(enum path_kind kind);

/* paths_make_dir(kind) + "/" + sub, created 0700 when missing and held to
 * the same rule: an existing one that is not a directory this user alone
 * can write to (followed if a link) is refused (FILE_EUNSAFE, ENOTDIR).
 * The caller frees; NULL with errno. */
char *paths_make_subdir(enum path_kind kind, const char *sub);

/* mkdir -p with the given mode for every directory it creates. 0 or -1/errno. */
int paths_mkdir_p(const char *path, mode_t mode);

#endif
