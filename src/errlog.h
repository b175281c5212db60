/* SPDX-License-Identifier: ISC */
/* While curses owns the terminal, nothing may write to it behind curses' back:
 * alsa-lib, PulseAudio and libao all print to stderr. errlog points fd 2 at
 * $XDG_STATE_HOME/lull/lull.log (or /dev/null) for that time, and back after. */
#ifndef LULL_ERRLOG_H
#define LULL_ERRLOG_H

/* Redirects fd 2. Safe to call twice; the second call does nothing. 0 or -1. */
int errlog_capture(void);

/* Puts the original stderr back. Safe to call without a capture. */
void errlog_release(void);

/* The log file's path while captured (NULL otherwise, or if /dev/null is used). */
const char *errlog_path(void);

#endif
