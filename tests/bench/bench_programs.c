/* SPDX-License-Identifier: ISC */
/* How long the programs area takes: parsing every built-in, writing it back,
 * the worst 1 MiB file the parser accepts or rejects, the list of programs,
 * and the settings file. Prints medians over runs; run with `make
 * bench-programs`. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "builtin.h"
#include "catalog.h"
#include "parse.h"
#include "settings.h"
#include "util.h"

#define RUNS 31

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	return v[n / 2];
}

static struct parse_result r;

static void parse_builtins(void)
{
	for (size_t i = 0; i < builtins_count; i++) {
		parse_program(builtins[i].text, strlen(builtins[i].text), builtins[i].name, &r);
		program_free(r.program);
	}
}

static void format_builtins(void)
{
	for (size_t i = 0; i < builtins_count; i++) {
		parse_program(builtins[i].text, strlen(builtins[i].text), builtins[i].name, &r);
		free(program_format(r.program));
		program_free(r.program);
	}
}

static char *big_valid, *big_invalid;
static size_t big_valid_len, big_invalid_len;

static void parse_big_valid(void)
{
	parse_program(big_valid, big_valid_len, "big", &r);
	if (!r.program) {
		fprintf(stderr, "big valid file: %u:%u: %s\n", r.errors[0].line, r.errors[0].col, r.errors[0].msg);
		exit(1);
	}
	program_free(r.program);
}

static void parse_big_invalid(void)
{
	parse_program(big_invalid, big_invalid_len, "big", &r);
	program_free(r.program);
}

static void list_programs(void)
{
	struct catalog_entry *list;
	size_t n = catalog_list(&list);
	catalog_free_list(list, n);
}

static char *settings_text;

static void parse_settings(void)
{
	struct settings s;
	settings_defaults(&s);
	settings_parse(&s, settings_text, strlen(settings_text), "bench", NULL);
}

static void bench(const char *what, void (*fn)(void), double bytes)
{
	double t[RUNS];
	for (int i = 0; i < RUNS; i++) {
		double t0 = now();
		fn();
		t[i] = now() - t0;
	}
	double m = median(t, RUNS);
	if (bytes > 0)
		printf("%-44s median %9.3f ms  (%.0f MB/s)\n", what, m * 1e3, bytes / m / 1e6);
	else
		printf("%-44s median %9.3f ms\n", what, m * 1e3);
}

int main(void)
{
	setenv("XDG_CONFIG_HOME", "/nonexistent-lull-bench", 1);
	double total = 0;
	for (size_t i = 0; i < builtins_count; i++)
		total += (double)strlen(builtins[i].text);

	/* The largest valid file: 1 MiB of full-length guide lines (each text at
	 * the 500-character limit, padded by a comment to 4096 bytes), kept under
	 * 24 hours in total. */
	big_valid = xmalloc(PARSE_MAX_FILE + 1);
	char text[501];
	memset(text, 'a', 500);
	text[500] = '\0';
	size_t o = 0;
	while (1) {
		char line[4200];
		int n = snprintf(line, sizeof line, "guide 0.1s \"%s\" breathe 4-0-6-0 # ", text);
		memset(line + n, 'x', 4096 - (size_t)n);
		line[4096] = '\n';
		if (o + 4097 > PARSE_MAX_FILE)
			break;
		memcpy(big_valid + o, line, 4097);
		o += 4097;
	}
	big_valid_len = o;
	/* The worst invalid one: a line of errors after another (the parser stops
	 * at 20 errors, so make the first 19 lines fine and then every line bad). */
	big_invalid = xmalloc(PARSE_MAX_FILE);
	memset(big_invalid, '\n', PARSE_MAX_FILE);
	for (size_t i = 0; i + 16 < PARSE_MAX_FILE; i += 16)
		memcpy(big_invalid + i, "say \"\xc3\xa9\xc3\xa9\xc3\xa9\"     ", 15);
	big_invalid_len = PARSE_MAX_FILE;

	settings_text = xstrdup("default_program = winddown\nsounds = rain:0.6,brown\nvolume = 40\ncues = yes\n"
				"checkin = no\ncolor = yes\nbell = no\naudio = auto\naudio_driver = pulse\n"
				"follow = no\nstreak_days = 4\nremind_notify = yes\nremind_tmux = yes\n"
				"remind_bell = yes\nevening_end = 02:00\n");

	printf("lull programs benchmark: %d runs each, medians\n", RUNS);
	bench("parse all built-ins", parse_builtins, total);
	bench("parse + write back all built-ins", format_builtins, total);
	bench("parse a 1 MiB valid file (4 KiB lines)", parse_big_valid, (double)big_valid_len);
	bench("parse a 1 MiB file of say lines (no breathe)", parse_big_invalid, (double)big_invalid_len);
	bench("catalog_list (built-ins only)", list_programs, 0);
	bench("settings_parse (every key)", parse_settings, 0);
	free(big_valid);
	free(big_invalid);
	free(settings_text);
	return 0;
}
