/* SPDX-License-Identifier: ISC */
/* Where a frame will be heard: the device model's estimate from the times
 * writes return, driven by a simulated device (a buffer of `latency` that
 * plays at the device's own rate and wakes the writer every `period`). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "playclock.h"

#define RATE 48000
#define MS 1000000LL
#define S 1000000000LL

static void frames_and_times_are_inverse(void **state)
{
	struct playclock pc;
	playclock_init(&pc, RATE, 200 * MS, 5 * S);
	/* Before any write: frame 0 one latency from now. */
	assert_int_equal(playclock_time_of(&pc, 0), 5 * S + 200 * MS);
	assert_int_equal(playclock_frame_at(&pc, 5 * S + 200 * MS), 0);
	assert_int_equal(playclock_frame_at(&pc, 6 * S + 200 * MS), RATE);
	assert_int_equal(playclock_frame_at(&pc, 5 * S + 100 * MS), -RATE / 10);
	/* Nearest frame: 1 frame is 20833 ns. */
	assert_int_equal(playclock_frame_at(&pc, 5 * S + 200 * MS + 10000), 0);
	assert_int_equal(playclock_frame_at(&pc, 5 * S + 200 * MS + 11000), 1);
	assert_int_equal(playclock_frame_at(&pc, 5 * S + 200 * MS - 11000), -1);
	/* Ten hours on, still exact (no overflow in frames times ns). */
	int64_t ten_h = 36000LL * RATE;
	assert_int_equal(playclock_frame_at(&pc, playclock_time_of(&pc, ten_h)), ten_h);
	assert_int_equal(playclock_time_of(&pc, ten_h), 5 * S + 200 * MS + 36000 * S);
}

/* A simulated device: playback started at `start`, consumes `rate` frames a
 * second of device time; the writer writes `chunk` frames and blocks until
 * they fit in a buffer of `buf` frames; the device frees room every `period`
 * frames. Runs for `secs` and returns the largest estimate error (ns) after
 * the first second. */
static int64_t simulate(double device_rate, long buf, long chunk, long period, double secs, int64_t *final_err)
{
	struct playclock pc;
	const int64_t latency = (int64_t)buf * S / RATE;
	const int64_t t0 = 1000 * S;
	playclock_init(&pc, RATE, latency, t0);
	int64_t written = 0, worst = 0, err = 0;
	/* Prefill without blocking (the device waits for a full buffer). */
	while (written + chunk <= buf) {
		written += chunk;
		playclock_observe(&pc, t0, written);
	}
	/* Playback starts at t0: frame f is heard at t0 + f / device_rate. */
	for (;;) {
		/* The device frees room in steps of `period` frames: the write
		 * returns when played + buf >= written + chunk, rounded up to a
		 * period. */
		int64_t need = written + chunk - buf;
		int64_t played = (need + period - 1) / period * period;
		int64_t now = t0 + (int64_t)((double)played / device_rate * S);
		if (now > t0 + (int64_t)(secs * S))
			break;
		written += chunk;
		playclock_observe(&pc, now, written);
		int64_t truth = t0 + (int64_t)((double)written / device_rate * S);
		err = playclock_time_of(&pc, written) - truth;
		if (now > t0 + S && llabs(err) > worst)
			worst = llabs(err);
	}
	*final_err = err;
	return worst;
}

static void tracks_a_device_at_our_rate(void **state)
{
	int64_t last;
	/* 200 ms buffer, 43 ms writes, room freed every 10 ms. */
	int64_t worst = simulate(RATE, 9600, 2048, 480, 60, &last);
	print_message("worst error %.2f ms, last %.2f ms\n", worst / 1e6, last / 1e6);
	assert_true(worst < 2 * MS);
}

static void follows_a_slow_device_clock(void **state)
{
	int64_t last;
	/* A device 80 ppm slow: within the creep, so it is followed. */
	int64_t worst = simulate(RATE * (1 - 80e-6), 9600, 2048, 480, 600, &last);
	print_message("80 ppm slow: worst error %.2f ms over 10 min\n", worst / 1e6);
	assert_true(worst < 2 * MS);
}

static void follows_a_fast_device_clock(void **state)
{
	int64_t last;
	int64_t worst = simulate(RATE * (1 + 300e-6), 9600, 2048, 480, 600, &last);
	print_message("300 ppm fast: worst error %.2f ms over 10 min\n", worst / 1e6);
	assert_true(worst < 2 * MS);
}

static void early_returns_do_not_move_it_sooner(void **state)
{
	struct playclock pc;
	playclock_init(&pc, RATE, 100 * MS, 0);
	/* Full buffer at 1 s with 1 s written: frame 0 heard at 0.1 s. */
	assert_false(playclock_observe(&pc, 1 * S, RATE));
	assert_int_equal(pc.base_ns, 100 * MS);
	/* A write that returned with the buffer half empty says "later". */
	assert_false(playclock_observe(&pc, 1 * S + 70 * MS, RATE + RATE / 50));
	/* Kept, plus 100 ppm of the 70 ms that passed. */
	assert_int_equal(pc.base_ns, 100 * MS + 7000);
}

static void a_dry_device_moves_it_later(void **state)
{
	struct playclock pc;
	playclock_init(&pc, RATE, 100 * MS, 0);
	assert_false(playclock_observe(&pc, 1 * S, RATE));
	/* The writer stalled for half a second: the device ran dry and
	 * started again from a refilled buffer. */
	assert_true(playclock_observe(&pc, 1 * S + 600 * MS, RATE + RATE / 10));
	assert_int_equal(playclock_time_of(&pc, RATE + RATE / 10), 1 * S + 700 * MS);
	/* The next steady write agrees: no second underrun. */
	assert_false(playclock_observe(&pc, 1 * S + 700 * MS, RATE + RATE / 5));
}

/* PulseAudio says how long until the last frame is heard: taken as it is,
 * later or sooner; a jump later beyond the slack is a device that ran dry. */
static void an_output_that_says_its_latency(void **state)
{
	struct playclock pc;
	playclock_init(&pc, RATE, 200 * MS, 0);
	assert_false(playclock_observe_queued(&pc, 1 * S, RATE, 150 * MS));
	assert_int_equal(playclock_time_of(&pc, RATE), 1 * S + 150 * MS);
	assert_false(playclock_observe_queued(&pc, 2 * S, 2 * RATE, 120 * MS)); /* sooner: taken */
	assert_int_equal(playclock_time_of(&pc, 2 * RATE), 2 * S + 120 * MS);
	assert_false(playclock_observe_queued(&pc, 3 * S, 3 * RATE, 125 * MS)); /* 5 ms later: noise */
	assert_true(playclock_observe_queued(&pc, 4 * S, 4 * RATE, 300 * MS));  /* 175 ms later: dry */
	assert_int_equal(playclock_time_of(&pc, 4 * RATE), 4 * S + 300 * MS);
}

/* Between two answers of such an output, a write that returns later than a
 * full buffer explains says the device ran dry, without moving the clock. */
static void overdue_without_moving(void **state)
{
	struct playclock pc;
	playclock_init(&pc, RATE, 200 * MS, 0);
	assert_false(playclock_overdue(&pc, 5 * S, RATE)); /* nothing observed yet */
	playclock_observe_queued(&pc, 1 * S, RATE, 200 * MS); /* frame 0 at 0.2 s */
	/* 2 s written by 2.2 s + 0.2 s: a full buffer, no more. */
	assert_false(playclock_overdue(&pc, 2 * S + 200 * MS, 2 * RATE));
	assert_false(playclock_overdue(&pc, 2 * S + 205 * MS, 2 * RATE));
	assert_true(playclock_overdue(&pc, 2 * S + 215 * MS, 2 * RATE));
	assert_int_equal(pc.base_ns, 200 * MS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(frames_and_times_are_inverse),
		cmocka_unit_test(tracks_a_device_at_our_rate),
		cmocka_unit_test(follows_a_slow_device_clock),
		cmocka_unit_test(follows_a_fast_device_clock),
		cmocka_unit_test(early_returns_do_not_move_it_sooner),
		cmocka_unit_test(a_dry_device_moves_it_later),
		cmocka_unit_test(an_output_that_says_its_latency),
		cmocka_unit_test(overdue_without_moving),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
