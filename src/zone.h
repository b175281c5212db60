/* SPDX-License-Identifier: ISC */
/* Time zones for the scheduler, answered by the C library from the system's
 * zoneinfo (tzdata). Not pure: these read and set the TZ environment. */
#ifndef LULL_ZONE_H
#define LULL_ZONE_H

#include "schedule.h"

/* The zone of this process: TZ as it is, else /etc/localtime. */
void zone_local(struct sched_zone *z);

/* Makes the C library read the system zone again: with TZ unset, glibc's
 * tzset() does not notice that /etc/localtime changed (it compares only the
 * TZ string with the last one). For the daemon, which outlives a change. */
void zone_reload(void);

/* A named zone ("America/New_York"). The name must outlive z. Each question
 * sets TZ to it when another zone asked last; for tests and tools. */
void zone_named(struct sched_zone *z, const char *name);

#endif
