/* SPDX-License-Identifier: ISC */
/* The audio thread's mix without a thread or a device (player.h): after a
 * rewind to a frame and a command posted there, the mix from that frame on
 * is, sample for sample, what a mix that had the command at that frame all
 * along gives: scheduled commands still start at their frames, commands
 * posted after the frame come at it, before the new one, and pause holds
 * what is scheduled. A rewind further back than the marks go is refused. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "engine.h"
#include "fixture.h"
#include "loader.h"
#include "player.h"
#include "util.h"

#define RATE 48000
#define T0 1000000000LL /* frame 0 is heard at this CLOCK_MONOTONIC time */
#define LEN 100000      /* frames mixed in each run */

static int setup(void **state)
{
	const char *h = fx_home();
	char *p = xasprintf("%s/data/lull/sounds/a.wav", h);
	assert_int_equal(fx_write_tone(p, RATE, 2, 5, 220, 0.5), 0);
	free(p);
	p = xasprintf("%s/data/lull/sounds/chime.wav", h);
	assert_int_equal(fx_write_tone(p, RATE, 1, 0.3, 2000, 0.3), 0);
	free(p);
	return 0;
}

static int teardown(void **state)
{
	fx_home_remove();
	return 0;
}

static int64_t at_frame(int64_t f)
{
	return T0 + f * 1000000000LL / RATE;
}

struct run {
	struct loader *loader;
	struct player *p;
	float *out; /* LEN frames, where each frame was last mixed */
};

/* A player with the layer on, a cue scheduled for frame 30000 and a volume
 * fade for frame 20000, as a session posts them ahead. */
static void run_start(struct run *r)
{
	r->loader = loader_start(RATE, 2, -1);
	loader_prepare(r->loader, ENGINE_LAYER, "a");
	loader_prepare(r->loader, ENGINE_CUE, "chime");
	struct engine_cfg cfg = { .rate = RATE, .channels = 2, .volume = 0.8f, .no_loading = true };
	r->p = player_new(engine_new(&cfg), r->loader, NULL, RATE, 2, true, 0, T0);
	player_take(r->p, NULL);
	r->out = xcalloc(2 * LEN, sizeof *r->out);
	struct audio_cmd on = { .kind = ACMD_LAYER_ON, .value = 0.5f, .fade_s = 0.1, .name = "a" };
	struct audio_cmd cue = { .kind = ACMD_CUE, .value = 1, .name = "chime", .at_ns = at_frame(30000) };
	struct audio_cmd vol = { .kind = ACMD_VOLUME, .value = 0.5f, .fade_s = 0.5, .at_ns = at_frame(20000) };
	player_post(r->p, &on);
	player_post(r->p, &cue);
	player_post(r->p, &vol);
}

/* Mixes on to frame `to`, odd pieces as the thread's writes come. */
static void mix_to(struct run *r, int64_t to)
{
	while (player_frame(r->p) < to) {
		int64_t f = player_frame(r->p);
		long n = to - f < 3001 ? (long)(to - f) : 3001;
		player_mix(r->p, r->out + 2 * f, n);
	}
}

static void post(struct run *r, enum audio_cmd_kind k, float v)
{
	struct audio_cmd c = { .kind = k, .value = v, .at_ns = k == ACMD_PAUSE ? at_frame(player_frame(r->p)) : AUDIO_NOW };
	player_post(r->p, &c);
}

static void run_end(struct run *r)
{
	player_free(r->p, NULL);
	loader_stop(r->loader, INT64_MAX);
	free(r->out);
}

static void same_from(const struct run *a, const struct run *b, int64_t from)
{
	for (int64_t i = 2 * from; i < 2 * LEN; i++)
		if (a->out[i] != b->out[i]) {
			print_message("frame %lld differs: %g against %g\n", (long long)(i / 2), a->out[i], b->out[i]);
			fail();
		}
}

/* Muted at 50000: straight, or after mixing to LEN and going back. The
 * cue and the fade before and across the frame sound the same. */
static void a_rewind_mixes_what_a_straight_run_would(void **state)
{
	struct run straight, back;
	run_start(&straight);
	mix_to(&straight, 50000);
	post(&straight, ACMD_MUTE, 0);
	mix_to(&straight, LEN);
	run_start(&back);
	mix_to(&back, LEN);
	assert_true(player_rewind(back.p, 50000));
	assert_int_equal(player_frame(back.p), 50000);
	post(&back, ACMD_MUTE, 0);
	mix_to(&back, LEN);
	same_from(&straight, &back, 50000);
	assert_true(fx_rms(back.out, 2 * 40000, 2 * 5000) > 0.05); /* it sounded before */
	run_end(&straight);
	run_end(&back);
}

/* A key posted at 70000 in the first mix, then a rewind to 50000 and a
 * second key: the first comes at 50000 too, before the second. And a
 * cue scheduled after the rewind's frame still starts at its own. */
static void what_came_after_the_frame_comes_at_it(void **state)
{
	struct run straight, back;
	run_start(&straight);
	struct audio_cmd cue = { .kind = ACMD_CUE, .value = 1, .name = "chime", .at_ns = at_frame(80000) };
	player_post(straight.p, &cue);
	mix_to(&straight, 50000);
	post(&straight, ACMD_VOLUME_STEP, -1);
	post(&straight, ACMD_VOLUME_STEP, -1);
	post(&straight, ACMD_MUTE, 0);
	post(&straight, ACMD_MUTE, 0); /* and back: the steps are heard */
	mix_to(&straight, LEN);
	run_start(&back);
	player_post(back.p, &cue);
	mix_to(&back, 70000);
	post(&back, ACMD_VOLUME_STEP, -1);
	post(&back, ACMD_VOLUME_STEP, -1);
	mix_to(&back, LEN);
	assert_true(player_rewind(back.p, 50000));
	post(&back, ACMD_MUTE, 0);
	post(&back, ACMD_MUTE, 0);
	mix_to(&back, LEN);
	same_from(&straight, &back, 50000);
	run_end(&straight);
	run_end(&back);
}

/* Paused at 25000, before the cue's frame: straight, and after going back
 * from LEN. Nothing scheduled starts while paused in either. */
static void pause_after_a_rewind_holds_the_schedule(void **state)
{
	struct run straight, back;
	run_start(&straight);
	mix_to(&straight, 25000);
	post(&straight, ACMD_PAUSE, 1);
	mix_to(&straight, LEN);
	run_start(&back);
	mix_to(&back, LEN);
	assert_true(player_rewind(back.p, 25000));
	post(&back, ACMD_PAUSE, 1);
	mix_to(&back, LEN);
	same_from(&straight, &back, 25000);
	assert_true(fx_rms(back.out, 2 * 60000, 2 * 40000) == 0); /* paused: and the cue did not ring */
	run_end(&straight);
	run_end(&back);
}

/* Marks are kept for as long as the feeds keep what was read: a rewind
 * further back is refused, and changes nothing. */
static void a_rewind_too_far_back_is_refused(void **state)
{
	struct run r;
	run_start(&r);
	float *buf = xmalloc(sizeof *buf * 2 * PLAYER_MAX_MIX);
	while (player_frame(r.p) < 4 * RATE)
		player_mix(r.p, buf, PLAYER_MAX_MIX);
	int64_t at = player_frame(r.p);
	assert_true(player_oldest(r.p) > 0);
	assert_true(at - player_oldest(r.p) <= 3 * RATE);
	assert_false(player_rewind(r.p, 0));
	assert_int_equal(player_frame(r.p), at);
	assert_true(player_rewind(r.p, player_oldest(r.p)));
	free(buf);
	run_end(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_rewind_mixes_what_a_straight_run_would),
		cmocka_unit_test(what_came_after_the_frame_comes_at_it),
		cmocka_unit_test(pause_after_a_rewind_holds_the_schedule),
		cmocka_unit_test(a_rewind_too_far_back_is_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
