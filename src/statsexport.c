/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <string.h>

#include "calendar.h"
#include "histdate.h"
#include "statsexport.h"
#include "util.h"

static const char *const weekday_names[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
};

static void json_opt_str(FILE *f, const char *s)
{
	if (s[0])
		json_write_string(f, s);
	else
		fputs("null", f);
}

static void json_level(FILE *f, int v)
{
	if (v < 0)
		fputs("null", f);
	else
		fprintf(f, "%d", v);
}

static void json_date(FILE *f, long day)
{
	char b[16];
	cal_format_date(day, b, sizeof b);
	json_write_string(f, b);
}

static void json_stamp(FILE *f, time_t t, long off)
{
	char b[40];
	hd_format_stamp(t, off, b, sizeof b);
	json_write_string(f, b);
}

static void json_tension(FILE *f, const struct stats_tension *t)
{
	fprintf(f, "\"count\": %d", t->count);
	if (t->count)
		fprintf(f, ", \"before\": %.2f, \"after\": %.2f, \"change\": %.2f",
		        t->before, t->after, t->change);
	else
		fputs(", \"before\": null, \"after\": null, \"change\": null", f);
	fputs(", \"relief_trend\": [", f);
	for (int i = 0; i < t->ntrend; i++)
		fprintf(f, "%s%g", i ? ", " : "", t->trend[i]);
	fputc(']', f);
}

static bool in_range(const struct statsexport *x, time_t t, long off)
{
	return hd_local_day(t, off) >= x->since;
}

void statsexport_json(FILE *f, const struct statsexport *x)
{
	const struct stats *s = x->s;
	fputs("{\n  \"format\": \"lull-stats\",\n  \"version\": 1,\n  \"today\": ", f);
	json_date(f, x->today);
	fputs(",\n  \"since\": ", f);
	if (x->since == STATS_ALL_TIME)
		fputs("null", f);
	else
		json_date(f, x->since);
	fprintf(f, ",\n  \"first_weekday\": \"%s\",\n  \"streak_days\": %d,\n",
	        weekday_names[((x->first_weekday % 7) + 7) % 7], s->streak_days);
	fprintf(f, "  \"sessions\": %zu,\n  \"practice_sessions\": %zu,\n  \"practice_days\": %zu,\n"
	        "  \"total_minutes\": %.1f,\n", s->sessions, s->practice_sessions,
	        s->practice_days, s->total_minutes);
	fputs("  \"this_week\": {\"start\": ", f);
	json_date(f, s->week_start);
	fprintf(f, ", \"practice_days\": %d, \"kept\": %s},\n", s->week_days,
	        s->week_kept ? "true" : "false");
	fprintf(f, "  \"streak\": {\"current_weeks\": %d, \"current_days\": %d, "
	        "\"longest_weeks\": %d, \"longest_days\": %d},\n",
	        s->streak_weeks, s->streak_day_count, s->longest_weeks, s->longest_day_count);
	fprintf(f, "  \"recent_days_per_week\": %.2f,\n  \"weeks\": [", s->recent_per_week);
	for (int i = 0; i < STATS_WEEKS; i++) {
		fputs(i ? ",\n    {\"start\": " : "\n    {\"start\": ", f);
		json_date(f, s->weeks[i].start);
		fprintf(f, ", \"sessions\": %d, \"days\": %d, \"minutes\": %.1f}",
		        s->weeks[i].sessions, s->weeks[i].days, s->weeks[i].minutes);
	}
	fputs("\n  ],\n  \"tension\": {", f);
	json_tension(f, &s->tension);
	fputs(", \"programs\": [", f);
	for (size_t i = 0; i < s->nprograms; i++) {
		fputs(i ? ",\n    {\"program\": " : "\n    {\"program\": ", f);
		json_write_string(f, s->programs[i].program);
		fputs(", ", f);
		json_tension(f, &s->programs[i]);
		fputc('}', f);
	}
	fputs(s->nprograms ? "\n  ]},\n" : "]},\n", f);
	fprintf(f, "  \"mornings\": {\"count\": %d, \"sleep_average\": ", s->mornings);
	if (s->sleep_count)
		fprintf(f, "%.2f", s->sleep_avg);
	else
		fputs("null", f);
	fputs(", \"pain_average\": ", f);
	if (s->pain_count)
		fprintf(f, "%.2f", s->pain_avg);
	else
		fputs("null", f);
	fputs("},\n  \"entries\": [", f);

	bool first = true;
	for (size_t i = 0; i < x->h->n; i++) {
		const struct history_entry *e = &x->h->entries[i];
		if (!in_range(x, e->start, e->utc_offset_s))
			continue;
		fputs(first ? "\n    {\"start\": " : ",\n    {\"start\": ", f);
		first = false;
		json_stamp(f, e->start, e->utc_offset_s);
		fputs(", \"date\": ", f);
		json_date(f, hd_local_day(e->start, e->utc_offset_s));
		fputs(", \"program\": ", f);
		json_write_string(f, e->program);
		fprintf(f, ", \"planned_s\": %.1f, \"actual_s\": %.1f, \"end\": \"%s\", \"practice\": %s, ",
		        e->planned_s, e->actual_s, history_end_name(e->end),
		        e->practice ? "true" : "false");
		fputs("\"sounds\": [", f);
		const char *p = e->sounds;
		for (bool firsts = true; *p;) {
			size_t n = strcspn(p, ",");
			char name[sizeof e->sounds];
			snprintf(name, sizeof name, "%.*s", (int)n, p);
			if (n) {
				if (!firsts)
					fputs(", ", f);
				json_write_string(f, name);
				firsts = false;
			}
			p += n + (p[n] == ',');
		}
		fputs("], \"tension_before\": ", f);
		json_level(f, e->tension_before);
		fputs(", \"tension_after\": ", f);
		json_level(f, e->tension_after);
		fputs(", \"area\": ", f);
		json_opt_str(f, e->area);
		fputc('}', f);
	}
	fputs(first ? "],\n  \"morning_checkins\": [" : "\n  ],\n  \"morning_checkins\": [", f);
	first = true;
	for (size_t i = 0; i < x->h->nm; i++) {
		const struct history_morning *m = &x->h->mornings[i];
		if (!in_range(x, m->at, m->utc_offset_s))
			continue;
		if (i + 1 < x->h->nm && stats_same_night(m, &x->h->mornings[i + 1]))
			continue; /* replaced by the next: one check-in a night */
		fputs(first ? "\n    {\"at\": " : ",\n    {\"at\": ", f);
		first = false;
		json_stamp(f, m->at, m->utc_offset_s);
		fputs(", \"session_start\": ", f);
		if (m->linked)
			json_stamp(f, m->session_start, m->session_offset_s);
		else
			fputs("null", f);
		fputs(", \"sleep\": ", f);
		json_level(f, m->sleep);
		fputs(", \"pain\": ", f);
		json_level(f, m->pain);
		fputs(", \"area\": ", f);
		json_opt_str(f, m->area);
		fputc('}', f);
	}
	fputs(first ? "]\n}\n" : "\n  ]\n}\n", f);
}

static void csv_field(FILE *f, const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputs(last ? "\r\n" : ",", f);
}

static void csv_level(FILE *f, int v, bool last)
{
	char b[16] = "";
	if (v >= 0)
		snprintf(b, sizeof b, "%d", v);
	csv_field(f, b, last);
}

void statsexport_csv(FILE *f, const struct statsexport *x)
{
	fputs("date,start,program,planned_min,actual_min,end,practice,sounds,"
	      "tension_before,tension_after,area,sleep_next_morning,pain_next_morning\r\n", f);
	char b[64];
	for (size_t i = 0; i < x->h->n; i++) {
		const struct history_entry *e = &x->h->entries[i];
		if (!in_range(x, e->start, e->utc_offset_s))
			continue;
		const struct history_morning *after = NULL;
		for (size_t k = 0; k < x->h->nm; k++) {
			const struct history_morning *m = &x->h->mornings[k];
			if (m->linked && m->session_start == e->start)
				after = m; /* the last answer wins */
		}
		cal_format_date(hd_local_day(e->start, e->utc_offset_s), b, sizeof b);
		csv_field(f, b, false);
		hd_format_stamp(e->start, e->utc_offset_s, b, sizeof b);
		csv_field(f, b, false);
		csv_field(f, e->program, false);
		snprintf(b, sizeof b, "%.2f", e->planned_s / 60);
		csv_field(f, b, false);
		snprintf(b, sizeof b, "%.2f", e->actual_s / 60);
		csv_field(f, b, false);
		csv_field(f, history_end_name(e->end), false);
		csv_field(f, e->practice ? "yes" : "no", false);
		csv_field(f, e->sounds, false);
		csv_level(f, e->tension_before, false);
		csv_level(f, e->tension_after, false);
		csv_field(f, e->area, false);
		csv_level(f, after ? after->sleep : -1, false);
		csv_level(f, after ? after->pain : -1, true);
	}
}
