/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "histdate.h"
#include "stats.h"
#include "util.h"

int stats_first_weekday(unsigned long week_1stday, int first_weekday)
{
	int y = (int)(week_1stday / 10000), m = (int)(week_1stday / 100 % 100);
	int d = (int)(week_1stday % 100);
	int base = 0; /* Sunday, as in the C locale */
	if (y > 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
		base = cal_weekday(cal_days_from_civil(y, m, d));
	int k = ((first_weekday - 1) % 7 + 7) % 7;
	return (base + k) % 7;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

/* Check-ins in the order they happened. */
static int cmp_by_start(const void *a, const void *b)
{
	const struct history_entry *x = *(const struct history_entry *const *)a;
	const struct history_entry *y = *(const struct history_entry *const *)b;
	return (x->start > y->start) - (x->start < y->start);
}

static int cmp_tension(const void *a, const void *b)
{
	const struct stats_tension *x = a, *y = b;
	if (x->count != y->count)
		return y->count - x->count;
	return strcmp(x->program, y->program);
}

static void tension_add(struct stats_tension *t, const struct history_entry *e)
{
	t->count++;
	t->before += e->tension_before;
	t->after += e->tension_after;
	double relief = e->tension_before - e->tension_after;
	if (t->ntrend == STATS_TREND) {
		memmove(t->trend, t->trend + 1, (STATS_TREND - 1) * sizeof t->trend[0]);
		t->ntrend--;
	}
	t->trend[t->ntrend++] = relief;
}

static void tension_finish(struct stats_tension *t)
{
	if (t->count) {
		t->before /= t->count;
		t->after /= t->count;
		t->change = t->after - t->before;
	}
}

/* Runs of kept weeks over the sorted, distinct practice days. */
static void streaks(const long *days, size_t nd, const struct stats_input *in,
                    int fw, int need, struct stats *out)
{
	long cur_ws = out->week_start;
	long run_end_ws = 0;   /* week start of the last kept week seen */
	int run_weeks = 0, run_days = 0;
	long first_ws = nd ? hd_week_start(days[0], fw) : 0;
	for (size_t i = 0; i < nd;) {
		long ws = hd_week_start(days[i], fw);
		int count = 0;
		while (i < nd && hd_week_start(days[i], fw) == ws) {
			count++;
			i++;
		}
		if (ws > cur_ws)
			break; /* a clock that ran ahead: not ours to count */
		int req = need;
		if (ws == first_ws) {
			long left = ws + 7 - days[0];
			if (left < req)
				req = (int)left;
		}
		if (count < req)
			continue;
		if (run_weeks > 0 && ws == run_end_ws + 7) {
			run_weeks++;
			run_days += count;
		} else {
			run_weeks = 1;
			run_days = count;
		}
		run_end_ws = ws;
		if (ws == cur_ws)
			out->week_kept = true;
		if (run_weeks > out->longest_weeks ||
		    (run_weeks == out->longest_weeks && run_days > out->longest_day_count)) {
			out->longest_weeks = run_weeks;
			out->longest_day_count = run_days;
		}
	}
	/* Alive if it reaches this week or the last complete one. */
	if (run_weeks > 0 && (run_end_ws == cur_ws || run_end_ws == cur_ws - 7)) {
		out->streak_weeks = run_weeks;
		out->streak_day_count = run_days;
	}
	(void)in;
}

void stats_compute(const struct stats_input *in, struct stats *out)
{
	memset(out, 0, sizeof *out);
	int fw = ((in->first_weekday % 7) + 7) % 7;
	int need = in->streak_days < 1 ? 1 : in->streak_days > 7 ? 7 : in->streak_days;
	out->streak_days = need;
	long today = in->today;
	long cur_ws = hd_week_start(today, fw);
	out->week_start = cur_ws;
	long weeks_first = cur_ws - 7L * (STATS_WEEKS - 1);
	out->heat_start = cur_ws - 7L * (STATS_HEAT_WEEKS - 1);
	for (int i = 0; i < STATS_WEEKS; i++)
		out->weeks[i].start = weeks_first + 7L * i;

	long *days = xmalloc((in->n + 1) * sizeof *days);
	const struct history_entry **checked = xmalloc((in->n + 1) * sizeof *checked);
	size_t nd = 0, nc = 0;
	for (size_t i = 0; i < in->n; i++) {
		const struct history_entry *e = &in->entries[i];
		long day = hd_local_day(e->start, e->utc_offset_s);
		if (day < in->since)
			continue;
		out->sessions++;
		if (e->tension_before >= 0 && e->tension_after >= 0)
			checked[nc++] = e;
		if (!e->practice)
			continue;
		double min = e->actual_s / 60.0;
		out->practice_sessions++;
		out->total_minutes += min;
		days[nd++] = day;
		if (day >= weeks_first && day <= today) {
			struct stats_week *w = &out->weeks[(day - weeks_first) / 7];
			w->sessions++;
			w->minutes += min;
		}
		if (day >= out->heat_start && day <= today)
			out->heat[day - out->heat_start] += min;
	}

	/* Distinct practice days. */
	bool sorted = true; /* the usual case: the record is in time order */
	for (size_t i = 1; i < nd && sorted; i++)
		sorted = days[i] >= days[i - 1];
	if (!sorted)
		qsort(days, nd, sizeof *days, cmp_long);
	size_t u = 0;
	for (size_t i = 0; i < nd; i++) {
		if (u == 0 || days[i] != days[u - 1])
			days[u++] = days[i];
	}
	nd = u;
	out->practice_days = nd;
	if (nd) {
		out->first_day = days[0];
		out->last_day = days[nd - 1];
	}
	int recent = 0;
	for (size_t i = 0; i < nd; i++) {
		long d = days[i];
		if (d >= weeks_first && d <= today)
			out->weeks[(d - weeks_first) / 7].days++;
		if (d >= cur_ws && d <= today) {
			out->week_days++;
			out->week_mask |= 1u << (d - cur_ws);
		}
		if (d > today - 28 && d <= today)
			recent++;
	}
	out->recent_per_week = recent / 4.0;
	for (int i = 0; i < STATS_WEEKS; i++) {
		if (out->weeks[i].sessions > out->weeks_max_sessions)
			out->weeks_max_sessions = out->weeks[i].sessions;
		if (out->weeks[i].minutes > out->weeks_max_minutes)
			out->weeks_max_minutes = out->weeks[i].minutes;
	}
	for (long d = 0; d < 7L * STATS_HEAT_WEEKS; d++) {
		if (out->heat_start + d > today)
			out->heat[d] = -1;
		else if (out->heat[d] > out->heat_max)
			out->heat_max = out->heat[d];
	}
	streaks(days, nd, in, fw, need, out);

	/* Tension, oldest check-in first so the trend reads left to right. */
	bool in_order = true;
	for (size_t i = 1; i < nc && in_order; i++)
		in_order = checked[i]->start >= checked[i - 1]->start;
	if (!in_order)
		qsort(checked, nc, sizeof *checked, cmp_by_start);
	struct stats_tension *progs = xcalloc(nc + 1, sizeof *progs);
	size_t np = 0;
	for (size_t i = 0; i < nc; i++) {
		const struct history_entry *e = checked[i];
		tension_add(&out->tension, e);
		size_t p = 0;
		while (p < np && strcmp(progs[p].program, e->program) != 0)
			p++;
		if (p == np)
			str_copy(progs[np++].program, e->program, sizeof progs[0].program);
		tension_add(&progs[p], e);
	}
	tension_finish(&out->tension);
	for (size_t p = 0; p < np; p++)
		tension_finish(&progs[p]);
	qsort(progs, np, sizeof *progs, cmp_tension);
	out->nprograms = np < STATS_PROGRAMS ? np : STATS_PROGRAMS;
	memcpy(out->programs, progs, out->nprograms * sizeof *progs);
	free(progs);
	free(checked);
	free(days);

	for (size_t i = 0; i < in->nm; i++) {
		const struct history_morning *m = &in->mornings[i];
		if (hd_local_day(m->at, m->utc_offset_s) < in->since)
			continue;
		/* One check-in a night: a later one replaced it. (Records are in
		 * the order they were made, so a replacement comes next.) */
		if (i + 1 < in->nm && stats_same_night(m, &in->mornings[i + 1]))
			continue;
		out->mornings++;
		if (m->sleep >= 0) {
			out->sleep_count++;
			out->sleep_avg += m->sleep;
		}
		if (m->pain >= 0) {
			out->pain_count++;
			out->pain_avg += m->pain;
		}
	}
	if (out->sleep_count)
		out->sleep_avg /= out->sleep_count;
	if (out->pain_count)
		out->pain_avg /= out->pain_count;
}

bool stats_same_night(const struct history_morning *a, const struct history_morning *b)
{
	if (a->linked || b->linked)
		return a->linked && b->linked && a->session_start == b->session_start;
	return hd_local_day(a->at, a->utc_offset_s) == hd_local_day(b->at, b->utc_offset_s);
}

void stats_note(const struct stats *s, char *buf, size_t size)
{
	static const char range[] =
		"Some people feel a difference from one session a week; many from a few "
		"minutes most evenings.";
	if (s->practice_days == 0) {
		snprintf(buf, size, "Nothing recorded yet. %s Any evening is a good one to start.", range);
		return;
	}
	int r = (int)(s->recent_per_week + 0.5);
	if (s->recent_per_week == 0) {
		snprintf(buf, size, "No sessions in the last four weeks; what you practised before "
		         "still counts. %s Come back whenever it suits you.", range);
	} else if (s->recent_per_week < 0.75) {
		snprintf(buf, size, "Lately now and then. %s Every session counts.", range);
	} else if (r <= 1) {
		snprintf(buf, size, "Lately about once a week. %s Every session counts.", range);
	} else if (r < s->streak_days) {
		snprintf(buf, size, "Lately about %d evenings a week. %s Every session counts.", r, range);
	} else {
		snprintf(buf, size, "Lately about %d evenings a week: a steady rhythm. %s "
		         "Keep whatever suits you.", r, range);
	}
}
