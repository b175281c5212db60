/* SPDX-License-Identifier: ISC */
/* Fuzz target for the reminders' state file (remind_states_parse), fed into
 * the scheduler. The input is sixteen bytes of circumstances (the
 * reminder's time and days, the evening's end, the moment, a zone with a
 * daylight-saving change of its own) and then the text of a state file.
 * Beyond "no crash" and no overflow (UBSan), every value read is within its
 * bounds, the state written back reads back the same, and what the
 * scheduler makes of any state it is given holds together: settled, no
 * date lies beyond tonight; a firing is due within days of now, and once
 * recorded it does not fire again; check calls due only what has begun;
 * snooze and skip leave a state that is still within the file's bounds. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "fuzz_common.h"
#include "reminders.h"
#include "schedule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A zone of two offsets: off_b between t1 and t2, off_a elsewhere (a
 * daylight-saving summer, or a zone that changed once). Pure, so that the
 * fuzzer runs fast and the same input gives the same run. */
struct fake_zone {
	int64_t t1, t2;
	long off_a, off_b;
};

static long fake_offset(const struct sched_zone *z, int64_t t)
{
	const struct fake_zone *f = z->ctx;
	return t >= f->t1 && t < f->t2 ? f->off_b : f->off_a;
}

static uint32_t u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The latest instant the file can hold, 9999-12-31T23:59:59Z. */
#define LAST_INSTANT 253402300799LL

static void check_bounded(const struct sched_state *st)
{
	const sched_day lo = 0, hi = (sched_day)cal_days_from_civil(9999, 12, 31);
	FUZZ_ASSERT(st->last == SCHED_NEVER || (st->last >= lo && st->last <= hi));
	FUZZ_ASSERT(st->skipped == SCHED_NEVER || (st->skipped >= lo && st->skipped <= hi));
	FUZZ_ASSERT(st->snooze_day == SCHED_NEVER || (st->snooze_day >= lo && st->snooze_day <= hi));
	FUZZ_ASSERT(st->snoozes >= 0 && st->snoozes <= SCHED_SNOOZE_MAX);
	FUZZ_ASSERT(st->snooze_until >= 0 && st->snooze_until <= LAST_INSTANT);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t p[16] = { 0 };
	memcpy(p, data, size < 16 ? size : 16);
	const char *body = size > 16 ? (const char *)data + 16 : "";
	size_t blen = size > 16 ? size - 16 : 0;

	struct sched_rule rule = { (int)(u32(p) % 1440), (p[4] & 0x7Fu) ? (p[4] & 0x7Fu) : SCHED_DAILY };
	int end_min = (int)(((unsigned)p[5] << 8 | p[6]) % 1440);
	/* Now: 2000 to about 2170, so that a snooze or a skip stays within the
	 * years the file holds. */
	int64_t now = 946684800LL + (int64_t)(u32(p + 7) % (170u * 365u)) * 86400 + (int64_t)(p[11] * 337) % 86400;
	struct fake_zone fz = {
		.off_a = ((long)(p[12] % 57) - 28) * 1800,           /* -14 h .. +14 h, half hours */
		.off_b = ((long)(p[12] % 57) - 28) * 1800 + ((long)(p[13] % 5) - 2) * 1800,
	};
	fz.t1 = now - 5 * 86400 + (int64_t)(p[14]) * 3600;
	fz.t2 = fz.t1 + (int64_t)(p[15] % 200) * 3600;
	struct sched_zone z = { fake_offset, &fz };

	char *text = malloc(blen + 1);
	memcpy(text, body, blen);
	text[blen] = '\0';
	struct remind_states s = { 0 };
	struct fuzz_stream e;
	remind_states_parse(text, "fuzz", &s, fuzz_stream_open(&e));
	fuzz_stream_done(&e, "state errors");
	for (size_t i = 0; i < s.n; i++) {
		FUZZ_ASSERT(s.v[i].id >= 1 && s.v[i].id <= REMIND_ID_MAX);
		check_bounded(&s.v[i].st);
	}

	/* Written back, read back: the same, every field. */
	char *written = remind_states_format(&s);
	struct remind_states back = { 0 };
	FUZZ_ASSERT(remind_states_parse(written, "again", &back, NULL) == 0);
	FUZZ_ASSERT(back.n == s.n);
	for (size_t i = 0; i < s.n; i++) {
		FUZZ_ASSERT(back.v[i].id == s.v[i].id);
		FUZZ_ASSERT(!memcmp(&back.v[i].st, &s.v[i].st, sizeof s.v[i].st));
	}
	free(written);
	remind_states_free(&back);

	/* Each state through the scheduler, as the daemon and the commands use
	 * it. (No more than a few: the rest are the same question.) */
	for (size_t i = 0; i < s.n && i < 8; i++) {
		struct sched_state st = s.v[i].st;
		if (st.last == SCHED_NEVER)
			sched_state_new(&st, &rule, &z, end_min, now);
		sched_state_settle(&st, &rule, &z, now);
		FUZZ_ASSERT(!sched_state_settle(&st, &rule, &z, now));
		sched_day today = sched_local_day(&z, now, NULL);
		FUZZ_ASSERT(st.last == SCHED_NEVER || st.last <= today + 1);
		FUZZ_ASSERT(st.snooze_until <= now + 2 * 86400);

		struct sched_fire f = sched_next(&rule, &st, &z, end_min, now);
		if (f.kind != SCHED_NONE) {
			FUZZ_ASSERT(f.at >= now - 4 * 86400 && f.at <= now + 10 * 86400);
			if (f.at <= now) {
				sched_fired(&st, &f);
				struct sched_fire g = sched_next(&rule, &st, &z, end_min, now);
				FUZZ_ASSERT(g.kind == SCHED_NONE || g.at > now || g.day != f.day ||
				            g.kind != f.kind);
			}
		}
		int64_t since = 0;
		if (sched_due(&rule, &st, &z, end_min, now, &since))
			FUZZ_ASSERT(since <= now && since >= now - 4 * 86400);

		struct sched_state a = st, b = st;
		sched_snooze(&a, &rule, &z, end_min, now, (int)(p[3] % 200) - 20);
		check_bounded(&a);
		sched_skip(&b, &rule, &z, end_min, now, NULL);
		check_bounded(&b);
		FUZZ_ASSERT(!sched_state_settle(&a, &rule, &z, now));
		FUZZ_ASSERT(!sched_state_settle(&b, &rule, &z, now));
	}
	remind_states_free(&s);
	free(text);
	return 0;
}
