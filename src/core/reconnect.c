/* SPDX-License-Identifier: ISC */
/* When to try for the sound server again, and where the mix must stand. */
#include "config.h"

#include "reconnect.h"

#define MS 1000000LL

/* The wait before each try (ms): soon after the server went away, then
 * every RECONNECT_EVERY_MS. A restart by a package update takes a second
 * or two; a server that stays away costs a try every two seconds. */
static const int delay_ms[] = { 500, 1000, RECONNECT_EVERY_MS };
#define N_DELAYS (sizeof delay_ms / sizeof delay_ms[0])

static int64_t delay_ns(unsigned tries)
{
	return (int64_t)delay_ms[tries < N_DELAYS ? tries : N_DELAYS - 1] * MS;
}

void reconnect_begin(struct reconnect *r, int64_t now_ns)
{
	r->tries = 0;
	r->next_ns = now_ns + delay_ns(0);
}

void reconnect_failed(struct reconnect *r, int64_t now_ns)
{
	if (r->tries < N_DELAYS)
		r->tries++;
	r->next_ns = now_ns + delay_ns(r->tries);
}

bool reconnect_due(const struct reconnect *r, int64_t now_ns)
{
	return now_ns >= r->next_ns;
}

int64_t reconnect_behind(const struct playclock *pc, int64_t mixed, int64_t now_ns)
{
	int64_t at = playclock_frame_at(pc, now_ns);
	return at > mixed ? at - mixed : 0;
}

int64_t reconnect_drift(const struct playclock *pc, int64_t heard_frame, int64_t at_ns)
{
	return playclock_frame_at(pc, at_ns) - heard_frame;
}

bool reconnect_must_realign(const struct playclock *pc, int64_t drift)
{
	int64_t slack = PLAYCLOCK_DRY_SLACK_NS * pc->rate / 1000000000;
	return drift > slack || drift < -slack;
}

int64_t reconnect_stream_frame(int64_t origin, int64_t mix_frame)
{
	return mix_frame - origin;
}

int64_t reconnect_mix_frame(int64_t origin, int64_t stream_frame)
{
	return stream_frame + origin;
}
