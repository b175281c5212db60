/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zone.h"

static long offset_now_tz(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm))
		return 0;
	return tm.tm_gmtoff;
}

static long local_offset(const struct sched_zone *z, int64_t t)
{
	(void)z;
	return offset_now_tz(t);
}

void zone_local(struct sched_zone *z)
{
	tzset();
	z->offset = local_offset;
	z->ctx = NULL;
}

void zone_reload(void)
{
	if (getenv("TZ"))
		return; /* an explicit zone does not change under us */
	setenv("TZ", "UTC0", 1);
	tzset();
	unsetenv("TZ");
	tzset();
}

static long named_offset(const struct sched_zone *z, int64_t t)
{
	const char *name = z->ctx;
	const char *cur = getenv("TZ");
	if (!cur || strcmp(cur, name) != 0) {
		setenv("TZ", name, 1);
		tzset();
	}
	return offset_now_tz(t);
}

void zone_named(struct sched_zone *z, const char *name)
{
	z->offset = named_offset;
	z->ctx = name;
}
