/* SPDX-License-Identifier: ISC */
/* The sound server gone mid-session: when lull tries for it again, and
 * where the mix stands when it answers (reconnect.h). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "playclock.h"
#include "reconnect.h"

#define RATE 48000
#define MS 1000000LL
#define S 1000000000LL

/* Soon at first, then every RECONNECT_EVERY_MS, never sooner than the
 * last wait: 0.5, 1, 2, 2, 2 s after each failed try. */
static void tries_back_off_to_every_two_seconds(void **state)
{
	struct reconnect r;
	reconnect_begin(&r, 10 * S);
	assert_false(reconnect_due(&r, 10 * S));
	assert_false(reconnect_due(&r, 10 * S + 499 * MS));
	assert_true(reconnect_due(&r, 10 * S + 500 * MS));
	static const int64_t waits[] = { 1000 * MS, 2000 * MS, 2000 * MS, 2000 * MS, 2000 * MS };
	int64_t now = 10 * S + 500 * MS;
	for (size_t i = 0; i < sizeof waits / sizeof waits[0]; i++) {
		now += 7 * MS; /* the try took a moment */
		reconnect_failed(&r, now);
		assert_int_equal(r.next_ns - now, waits[i]);
		assert_false(reconnect_due(&r, now + waits[i] - 1));
		assert_true(reconnect_due(&r, now + waits[i]));
		now += waits[i];
	}
	assert_int_equal(RECONNECT_EVERY_MS, 2000);
}

/* An hour of a server that stays away is a try every two seconds, not a
 * loop: at 0.5 s, 1.5 s, then 3.5 s to 3599.5 s every two, 1801 tries. */
static void an_hour_away_is_1800_tries(void **state)
{
	struct reconnect r;
	int64_t now = 0;
	unsigned tries = 0;
	reconnect_begin(&r, now);
	while (r.next_ns <= 3600 * S) {
		now = r.next_ns;
		tries++;
		reconnect_failed(&r, now);
	}
	assert_int_equal(tries, 1801);
}

/* While the server is away the mix goes on unheard to where the play
 * clock says the session is: the gap is skipped, not played late. */
static void the_mix_catches_up_to_the_plan(void **state)
{
	struct playclock pc;
	playclock_init(&pc, RATE, 0, 0);
	playclock_observe_queued(&pc, 100 * S, 100 * RATE, 0); /* frame f heard at f / RATE s */
	/* The mix wrote 2 s ahead when the server went away at 100 s. */
	int64_t mixed = 102 * RATE;
	assert_int_equal(reconnect_behind(&pc, mixed, 101 * S), 0); /* still ahead */
	assert_int_equal(reconnect_behind(&pc, mixed, 102 * S), 0);
	assert_int_equal(reconnect_behind(&pc, mixed, 103 * S), RATE);
	/* Caught up each second: it stands where the plan is. */
	for (int64_t t = 103 * S; t <= 110 * S; t += S) {
		mixed += reconnect_behind(&pc, mixed, t);
		assert_int_equal(mixed, playclock_frame_at(&pc, t));
	}
	/* The server back after 10 s: the next frame written is the one
	 * the plan has at 110 s, not the one at 102 s. */
	assert_int_equal(mixed, 110 * RATE);
	assert_int_equal(playclock_time_of(&pc, mixed), 110 * S);
	/* A part of a frame is not a frame. */
	assert_int_equal(reconnect_behind(&pc, mixed, 110 * S + 10000), 0);
	assert_int_equal(reconnect_behind(&pc, mixed, 110 * S + 11000), 1);
}

/* The new stream counts from 0 where the mix stood: a write at mix
 * frame F goes to the stream's frame F - origin, and the stream's word on
 * where it plays comes back in mix frames, for the play clock. */
static void a_new_stream_counts_from_the_mix(void **state)
{
	int64_t origin = 110 * RATE;
	assert_int_equal(reconnect_stream_frame(origin, origin), 0);
	assert_int_equal(reconnect_stream_frame(origin, origin + 4096), 4096);
	assert_int_equal(reconnect_mix_frame(origin, 0), origin);
	assert_int_equal(reconnect_mix_frame(origin, reconnect_stream_frame(origin, 123456789)), 123456789);
	/* Ten hours in: exact. */
	int64_t late = 36000LL * RATE;
	assert_int_equal(reconnect_mix_frame(late, reconnect_stream_frame(late, late + 1)), late + 1);
	/* The play clock, told by the new stream that its frame 0 is heard
	 * at 110.05 s, keeps the plan's frames: frame origin at 110.05 s. */
	struct playclock pc;
	playclock_init(&pc, RATE, 0, 0);
	playclock_observe_queued(&pc, 110 * S + 50 * MS, reconnect_mix_frame(origin, 0), 0);
	assert_int_equal(playclock_time_of(&pc, origin), 110 * S + 50 * MS);
	assert_int_equal(playclock_frame_at(&pc, 111 * S + 50 * MS), origin + RATE);
}

/* A new stream that starts late (its sink takes 0.5 s before it plays
 * what it is given) says so the first time it says where it plays: the
 * mix is 0.5 s of frames behind the plan, and is to skip them. Within the
 * play clock's slack (10 ms) it is left as it is. */
static void a_late_start_is_a_drift(void **state)
{
	struct playclock pc;
	playclock_init(&pc, RATE, 0, 0);
	playclock_observe_queued(&pc, 100 * S, 100 * RATE, 0);
	int64_t origin = 110 * RATE; /* opened at 110 s, where the plan was */
	/* At 111 s the stream says it plays its frame 0.5 s in. */
	int64_t heard = reconnect_mix_frame(origin, RATE / 2);
	assert_int_equal(reconnect_drift(&pc, heard, 111 * S), RATE / 2);
	assert_true(reconnect_must_realign(&pc, RATE / 2));
	/* Where the plan is: no drift. */
	assert_int_equal(reconnect_drift(&pc, origin + RATE, 111 * S), 0);
	assert_false(reconnect_must_realign(&pc, 0));
	/* Sooner than the plan: negative. */
	assert_int_equal(reconnect_drift(&pc, origin + RATE + 4800, 111 * S), -4800);
	assert_true(reconnect_must_realign(&pc, -4800));
	/* 10 ms is 480 frames: within, not beyond. */
	assert_false(reconnect_must_realign(&pc, 480));
	assert_false(reconnect_must_realign(&pc, -480));
	assert_true(reconnect_must_realign(&pc, 481));
	/* The frames move under the mix's by the drift: after it, the
	 * stream's word comes back where the plan is. */
	int64_t shifted = origin + RATE / 2;
	assert_int_equal(reconnect_drift(&pc, reconnect_mix_frame(shifted, RATE / 2), 111 * S), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tries_back_off_to_every_two_seconds),
		cmocka_unit_test(an_hour_away_is_1800_tries),
		cmocka_unit_test(the_mix_catches_up_to_the_plan),
		cmocka_unit_test(a_new_stream_counts_from_the_mix),
		cmocka_unit_test(a_late_start_is_a_drift),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
