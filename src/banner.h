/* SPDX-License-Identifier: ISC */
/* The banner marker: how a reminder reaches a lull that is open (the menu or
 * a session) without that lull knowing anything of delivery.
 *
 * The daemon writes the file remind-banner in the runtime directory
 * ("SECONDS\tTEXT\n", replaced atomically) each time a reminder fires; an
 * open lull watches the directory with inotify and, when the marker is
 * fresh, takes it (removes it) and shows the text once. No fork, no exec:
 * this is all the UI needs of the reminders. */
#ifndef LULL_BANNER_H
#define LULL_BANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Writes the marker for msg, stamped now. 0, or -1 with errno. */
int banner_write(const char *msg);

/* For an open lull: true when a reminder fired within the last 15 minutes
 * and no one has shown it yet; its text, made safe for a terminal
 * (text_sanitize) and cut at a character boundary, goes to msg. The marker is consumed (removed), so the
 * banner shows once, in one lull. */
bool banner_take(char *msg, size_t n);

/* An inotify descriptor that becomes readable when the marker may have been
 * written (the runtime directory changed), for an open lull's poll(); the
 * caller drains it, calls banner_take() and closes it at the end. -1 when
 * there is no runtime directory yet or inotify is missing (built without
 * it: HAVE_INOTIFY_INIT1); the caller then calls banner_take() now and then
 * (the menu each second). */
int banner_watch(void);

/* The marker without consuming it: when the last reminder fired and its
 * text (made safe as above). False when there is none. */
bool banner_peek(char *msg, size_t n, time_t *when);

#endif
