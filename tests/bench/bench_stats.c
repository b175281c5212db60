/* SPDX-License-Identifier: ISC */
/* How long `lull stats` takes on ten years of nightly sessions (3,650
 * entries, check-ins on every third, a morning record on every fifth):
 * reading + computing in process, the text summary and --json as a whole
 * process, and the full screen in a pseudo-terminal until it is drawn.
 * Prints medians; the target is under 50 ms for the whole command. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "histdate.h"
#include "history.h"
#include "paths.h"
#include "stats.h"
#include "util.h"
#include "../testhome.h"

#define YEARS 10
#define TARGET_MS 50.0

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static size_t generate(const char *path)
{
	time_t now = time(NULL);
	long today = hd_local_day(now, 3600);
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fputs(history_header(), f);
	char line[1024];
	size_t n = 0;
	static const char *const programs[] = { "winddown", "box", "neck", "478" };
	for (long d = today - 365L * YEARS; d < today; d++, n++) {
		struct history_entry e = {
			.start = (time_t)(d * 86400 + 21 * 3600 + (n % 50) * 60 - 3600),
			.utc_offset_s = 3600, .planned_s = 600, .actual_s = 300 + (n * 37) % 600,
			.end = n % 23 ? HISTORY_FINISHED : HISTORY_QUIT,
			.sounds = "rain:0.6,brown", .tension_before = -1, .tension_after = -1,
		};
		str_copy(e.program, programs[n % 4], sizeof e.program);
		if (n % 3 == 0) {
			e.tension_before = 4 + (int)(n % 6);
			e.tension_after = (int)(n % 5);
			str_copy(e.area, "neck", sizeof e.area);
		}
		history_format_entry(&e, line, sizeof line);
		fputs(line, f);
		if (n % 5 == 0) {
			struct history_morning m = { .at = e.start + 36000, .utc_offset_s = 3600,
			                             .linked = true, .session_start = e.start,
			                             .session_offset_s = 3600, .sleep = (int)(n % 11),
			                             .pain = (int)(n % 7) };
			history_format_morning(&m, line, sizeof line);
			fputs(line, f);
		}
	}
	fclose(f);
	return n;
}

static double now_ms(void)
{
	return pty_now() * 1000.0;
}

static double last_cpu_ms; /* user + system time of the last run */

static double run_once(const char *const *argv)
{
	double t0 = now_ms();
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);
		dup2(fd, 0);
		dup2(fd, 1);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int status;
	struct rusage ru;
	wait4(pid, &status, 0, &ru);
	last_cpu_ms = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 +
	              ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: %s %s failed\n", argv[0], argv[1]);
		exit(1);
	}
	return now_ms() - t0;
}

int main(void)
{
	char tmp[512];
	if (!testtmp_make(tmp, sizeof tmp, "bench-history"))
		return 1;
	char *state = xasprintf("%s/state", tmp);
	setenv("HOME", tmp, 1);
	setenv("XDG_STATE_HOME", state, 1);
	setenv("XDG_CONFIG_HOME", tmp, 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	char *dir = paths_make_dir(PATH_STATE);
	char *path = xasprintf("%s/%s", dir, HISTORY_LEAF);
	size_t n = generate(path);
	printf("history: %zu nightly sessions over %d years\n", n, YEARS);

	enum { RUNS = 21, SCREEN_RUNS = 11, CORE_RUNS = 51 };
	double t[CORE_RUNS], tl[CORE_RUNS];
	char err[256];
	for (int i = 0; i < CORE_RUNS; i++) {
		double t0 = now_ms();
		struct history h;
		history_init(&h);
		history_load(path, &h, NULL, err, sizeof err);
		tl[i] = now_ms() - t0;
		struct stats_input in = { .entries = h.entries, .n = h.n, .mornings = h.mornings,
		                          .nm = h.nm, .today = hd_local_day(time(NULL), 3600),
		                          .first_weekday = 1, .streak_days = 4,
		                          .since = STATS_ALL_TIME };
		struct stats *s = xmalloc(sizeof *s);
		stats_compute(&in, s);
		free(s);
		history_free(&h);
		t[i] = now_ms() - t0;
	}
	double core = median(t, CORE_RUNS);
	printf("read + compute (in process), median of %d: %.2f ms (reading and parsing %.2f ms)\n",
	       CORE_RUNS, core, median(tl, CORE_RUNS));

	const char *lull = pty_lull_path();
	double cpu[RUNS];
	const char *truth[] = { "/bin/true", NULL };
	for (int i = 0; i < RUNS; i++)
		t[i] = run_once(truth);
	printf("/bin/true (the cost of starting any process here), median of %d: %.2f ms\n",
	       RUNS, median(t, RUNS));
	const char *text[] = { lull, "stats", NULL };
	const char *json[] = { lull, "stats", "--json", NULL };
	for (int i = 0; i < RUNS; i++) {
		t[i] = run_once(text);
		cpu[i] = last_cpu_ms;
	}
	double text_ms = median(t, RUNS);
	printf("lull stats > /dev/null (text), median of %d: %.2f ms wall, %.2f ms CPU\n",
	       RUNS, text_ms, median(cpu, RUNS));
	for (int i = 0; i < RUNS; i++) {
		t[i] = run_once(json);
		cpu[i] = last_cpu_ms;
	}
	double json_ms = median(t, RUNS);
	printf("lull stats --json > /dev/null, median of %d: %.2f ms wall, %.2f ms CPU\n",
	       RUNS, json_ms, median(cpu, RUNS));

	/* The screen: from spawn to the last line drawn (the key help). */
	for (int i = 0; i < SCREEN_RUNS; i++) {
		const char *argv[] = { lull, "stats", NULL };
		struct pty_options opt = { .rows = 24, .cols = 80 };
		double t0 = pty_now();
		struct pty *p = pty_spawn(argv, &opt);
		if (!pty_wait_text(p, "q quit", 5000)) {
			fprintf(stderr, "bench: the stats screen did not appear\n");
			return 1;
		}
		t[i] = (pty_match_time(p) - t0) * 1000.0;
		pty_send(p, "q");
		int status;
		pty_wait_exit(p, 5000, &status);
		pty_free(p);
	}
	double screen_ms = median(t, SCREEN_RUNS);
	printf("lull stats screen in a pty (spawn to drawn), median of %d: %.2f ms\n",
	       SCREEN_RUNS, screen_ms);
	double worst = text_ms > screen_ms ? text_ms : screen_ms;
	printf("target < %.0f ms: %s\n", TARGET_MS, worst < TARGET_MS ? "met" : "MISSED");

	char *cmd = xasprintf("rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "bench: could not remove %s\n", tmp);
	free(cmd);
	free(path);
	free(dir);
	free(state);
	return 0;
}
