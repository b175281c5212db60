/* SPDX-License-Identifier: ISC */
/* The POSIX daemon's wait: see wake.h. */
#include "config.h"

#include "wake.h"

int64_t wake_wait_ns(int64_t now_ns, int64_t next_s)
{
	/* In whole seconds first, where nothing overflows (now_s is within
	 * ten billion); the product only for an instant that is near. */
	int64_t now_s = now_ns / 1000000000;
	if (next_s < now_s - 1)
		return 0;
	if (next_s > now_s + WAKE_MAX_NS / 1000000000 + 1)
		return WAKE_MAX_NS; /* far away, or none (INT64_MAX) */
	int64_t left = next_s * 1000000000 - now_ns;
	if (left <= 0)
		return 0;
	return left < WAKE_MAX_NS ? left : WAKE_MAX_NS;
}

bool wake_clock_moved(int64_t before_ns, int64_t after_ns)
{
	int64_t d = after_ns - before_ns;
	return d >= 1000000000 || d <= -1000000000;
}
