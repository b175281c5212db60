/* SPDX-License-Identifier: ISC */
/* The reminder daemon's wait without a timerfd (./configure
 * --disable-linux-apis): never past a minute, so that a wall-clock change
 * is noticed within one; never before the instant; and a move of the wall
 * clock against the monotonic one told from the drift of NTP. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "wake.h"

#define S 1000000000LL

static void waits_until_the_instant(void **state)
{
	int64_t now = 1718000000 * S + 250000000; /* a quarter past a second */
	assert_int_equal(wake_wait_ns(now, 1718000010), 9 * S + 750000000);
	assert_int_equal(wake_wait_ns(now, 1718000001), 750000000);
	assert_int_equal(wake_wait_ns(now - 250000000, 1718000000), 0);
}

static void is_zero_once_due(void **state)
{
	int64_t now = 1718000000 * S + 1;
	assert_int_equal(wake_wait_ns(now, 1718000000), 0);
	assert_int_equal(wake_wait_ns(now, 1717000000), 0);
}

/* The bound that makes a clock jump noticed within a minute: the daemon
 * reads the wall clock again at least this often, whatever it waits for. */
static void never_more_than_a_minute(void **state)
{
	int64_t now = 1718000000 * S;
	assert_int_equal(WAKE_MAX_NS, 60 * S);
	assert_int_equal(wake_wait_ns(now, INT64_MAX), 60 * S);
	assert_int_equal(wake_wait_ns(now, 1718000000 + 61), 60 * S);
	assert_int_equal(wake_wait_ns(now, 1718000000 + 60), 60 * S);
	assert_int_equal(wake_wait_ns(now, 1718000000 + 59), 59 * S);
	assert_int_equal(wake_wait_ns(now, 1718000000 + 86400 * 365), 60 * S);
	assert_int_equal(wake_wait_ns(now, INT64_MAX - 1), 60 * S); /* no overflow */
	assert_int_equal(wake_wait_ns(-5 * S, INT64_MAX - 1), 60 * S);
}

static void a_moved_clock_is_told_from_drift(void **state)
{
	int64_t off = 1718000000 * S;
	assert_false(wake_clock_moved(off, off));
	assert_false(wake_clock_moved(off, off + 30000000));   /* 30 ms: NTP slewing */
	assert_false(wake_clock_moved(off, off - 999999999));
	assert_true(wake_clock_moved(off, off + S));             /* set forward */
	assert_true(wake_clock_moved(off, off - 3600 * S));      /* set back an hour */
	assert_true(wake_clock_moved(off, off + 8 * 3600 * S));  /* a night's suspend */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(waits_until_the_instant),
		cmocka_unit_test(is_zero_once_due),
		cmocka_unit_test(never_more_than_a_minute),
		cmocka_unit_test(a_moved_clock_is_told_from_drift),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
