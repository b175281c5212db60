/* SPDX-License-Identifier: ISC */
/* Figures for the reminder daemon:
 *  1. idle cost: wake-ups (context switches) and CPU time of a daemon whose
 *     next reminder is hours away, over IDLE seconds (argument 1, default 60);
 *  2. fire-time error against the wall clock: when the marker file is
 *     written (its mtime, ns) minus the whole minute the reminder is due, over
 *     SAMPLES firings (argument 2, default 5; each takes about 3 s: the zone
 *     trick of tests/remind-daemon.sh puts a whole minute 3 s ahead);
 *  3. `lull remind check` wall time, median of 100 runs;
 *  4. `lull remind check` and `list` on the largest reminder file lull reads
 *     (1 MiB: 58000 reminders, each with a line in the state), and on half
 *     of it: the ratio is 2 when the reading is linear (it was quadratic in
 *     the duplicate-id check and the state lookup: 14.9 s for check).
 * Environment: LULL_BIN (default ./lull). Runs in a private temp HOME. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../testhome.h"

static const char *lull;
static char tmp[200];

static double now_s(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Runs argv; *cpu gets the child's user + system time. */
static int run(char *const argv[], bool quiet, double *cpu)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (quiet) {
			int null = open("/dev/null", O_WRONLY);
			dup2(null, 1);
			dup2(null, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	int st;
	struct rusage ru;
	wait4(pid, &st, 0, &ru);
	*cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static pid_t spawn_daemon(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execl(lull, lull, "remind", "daemon", (char *)NULL);
		_exit(127);
	}
	return pid;
}

static int count_in_log(const char *what)
{
	char path[512];
	snprintf(path, sizeof path, "%s/state/lull/remind.log", tmp);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char line[1024];
	int n = 0;
	while (fgets(line, sizeof line, f))
		n += strstr(line, what) != NULL;
	fclose(f);
	return n;
}

/* Polls (every 5 ms, at most 10 s) until the log has more than n lines with what. */
static bool wait_log(const char *what, int n)
{
	for (int i = 0; i < 2000; i++) {
		if (count_in_log(what) > n)
			return true;
		sleep_s(0.005);
	}
	return false;
}

/* The lateness the daemon logged for its last firing, in seconds. */
static double log_lateness(void)
{
	char path[512];
	snprintf(path, sizeof path, "%s/state/lull/remind.log", tmp);
	double late = -1;
	for (int k = 0; k < 400 && late < 0; k++) {
		FILE *f = fopen(path, "r");
		char line[1024];
		while (f && fgets(line, sizeof line, f)) {
			char *p = strstr(line, " s after its time");
			if (!p)
				continue;
			while (p > line && p[-1] != ' ')
				p--;
			late = strtod(p, NULL);
		}
		if (f)
			fclose(f);
		if (late < 0)
			sleep_s(0.005);
	}
	return late;
}

static void proc_figures(pid_t pid, long *switches, long *ticks)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	*switches = 0;
	while (f && fgets(line, sizeof line, f)) {
		long v;
		if (sscanf(line, "voluntary_ctxt_switches: %ld", &v) == 1 ||
		    sscanf(line, "nonvoluntary_ctxt_switches: %ld", &v) == 1)
			*switches += v;
	}
	if (f)
		fclose(f);
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	*ticks = 0;
	if (f && fgets(line, sizeof line, f)) {
		/* Fields after the command name (in parentheses): utime is 14th, stime 15th. */
		char *p = strrchr(line, ')');
		long ut = 0, stt = 0;
		if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld", &ut, &stt) == 2)
			*ticks = ut + stt;
	}
	if (f)
		fclose(f);
}

static void write_reminder(int minute_of_day, const char *msg)
{
	char path[512];
	snprintf(path, sizeof path, "%s/config/lull/reminders", tmp);
	FILE *f = fopen(path, "w");
	fprintf(f, "1 %02d:%02d daily %s\n2 %02d:%02d weekdays\n3 %02d:%02d weekends\n",
	        minute_of_day / 60, minute_of_day % 60, msg, (minute_of_day + 7) / 60 % 24,
	        (minute_of_day + 7) % 60, (minute_of_day + 9) / 60 % 24, (minute_of_day + 9) % 60);
	fclose(f);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int idle = argc > 1 ? atoi(argv[1]) : 60;
	int samples = argc > 2 ? atoi(argv[2]) : 5;
	lull = getenv("LULL_BIN") ? getenv("LULL_BIN") : "./lull";
	if (!testtmp_make(tmp, sizeof tmp, "bench-remind"))
		return 99;
	char buf[1024];
	snprintf(buf, sizeof buf, "%s/home", tmp);
	mkdir(buf, 0700);
	setenv("HOME", buf, 1);
	snprintf(buf, sizeof buf, "%s/config", tmp);
	setenv("XDG_CONFIG_HOME", buf, 1);
	mkdir(buf, 0700);
	strcat(buf, "/lull");
	mkdir(buf, 0700);
	snprintf(buf, sizeof buf, "%s/state", tmp);
	setenv("XDG_STATE_HOME", buf, 1);
	snprintf(buf, sizeof buf, "%s/run", tmp);
	mkdir(buf, 0700);
	setenv("XDG_RUNTIME_DIR", buf, 1);
	setenv("TMUX_TMPDIR", tmp, 1);
	unsetenv("DBUS_SESSION_BUS_ADDRESS"); /* the marker is the measured channel */

	/* 1. Idle: the reminders are hours away. */
	setenv("TZ", "UTC", 1);
	time_t t = time(NULL);
	int away = (int)((t / 60 + 180) % 1440);
	write_reminder(away, "idle");
	int n = count_in_log("sleeping");
	pid_t d = spawn_daemon();
	if (!wait_log("sleeping", n)) {
		fprintf(stderr, "daemon did not start\n");
		return 1;
	}
	long s0, c0, s1, c1;
	proc_figures(d, &s0, &c0);
	double w0 = now_s(CLOCK_MONOTONIC);
	sleep_s(idle);
	proc_figures(d, &s1, &c1);
	double w1 = now_s(CLOCK_MONOTONIC);
	long hz = sysconf(_SC_CLK_TCK);
	printf("idle: %.0f s, wake-ups (context switches) %ld, CPU %.3f s\n", w1 - w0, s1 - s0,
	       (double)(c1 - c0) / (double)hz);
	printf("idle: per hour (x %.0f) wake-ups %.0f, CPU %.3f s\n", 3600 / (w1 - w0),
	       (double)(s1 - s0) * 3600 / (w1 - w0), (double)(c1 - c0) / (double)hz * 3600 / (w1 - w0));
	kill(d, SIGTERM);
	waitpid(d, NULL, 0);

	/* 2. Fire-time error. */
	double *err = calloc((size_t)samples + 1, sizeof *err);
	double *late = calloc((size_t)samples + 1, sizeof *late);
	char marker[512];
	snprintf(marker, sizeof marker, "%s/run/lull/remind-banner", tmp);
	for (int i = 0; i < samples; i++) {
		snprintf(buf, sizeof buf, "%s/state", tmp);
		char cmd[1100];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", buf);
		if (system(cmd) != 0)
			return 1;
		unlink(marker);
		long now = (long)time(NULL);
		long off = (60 - (now + 3) % 60) % 60;
		long target = now + 3;
		snprintf(buf, sizeof buf, "LUL-0:00:%02ld", off);
		setenv("TZ", buf, 1);
		long local = target + off;
		write_reminder((int)(local / 60 % 1440), "bench");
		d = spawn_daemon();
		struct stat st;
		bool ok = false;
		for (int k = 0; k < 2000 && !ok; k++) {
			ok = stat(marker, &st) == 0;
			if (!ok)
				sleep_s(0.005);
		}
		if (ok) {
			err[i] = (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9 - (double)target;
			late[i] = log_lateness();
		}
		kill(d, SIGTERM);
		waitpid(d, NULL, 0);
		if (!ok) {
			fprintf(stderr, "sample %d: no firing\n", i);
			return 1;
		}
	}
	qsort(err, (size_t)samples, sizeof *err, cmp_double);
	qsort(late, (size_t)samples, sizeof *late, cmp_double);
	printf("fire-time error (daemon's clock at wake-up, from its log): median %.1f ms, max %.1f ms over %d firings\n",
	       late[samples / 2] * 1000, late[samples - 1] * 1000, samples);
	printf("fire-time error (marker file mtime, coarse clock): median %.1f ms, max %.1f ms\n",
	       err[samples / 2] * 1000, err[samples - 1] * 1000);

	/* 3. lull remind check, with three reminders and one due: median of 100,
	 * wall and CPU; and the wall time of /bin/true, the floor that fork and
	 * exec alone cost on this machine (it rises with the machine's load). */
	double times[100], cpus[100], floor_wall[100], floor_cpu[100];
	char *check[] = { (char *)lull, "remind", "check", NULL };
	char *truth[] = { "/bin/true", NULL };
	for (int i = 0; i < 100; i++) {
		double a = now_s(CLOCK_MONOTONIC);
		run(truth, true, &floor_cpu[i]);
		floor_wall[i] = now_s(CLOCK_MONOTONIC) - a;
		a = now_s(CLOCK_MONOTONIC);
		run(check, true, &cpus[i]);
		times[i] = now_s(CLOCK_MONOTONIC) - a;
	}
	qsort(times, 100, sizeof *times, cmp_double);
	qsort(cpus, 100, sizeof *cpus, cmp_double);
	qsort(floor_wall, 100, sizeof *floor_wall, cmp_double);
	qsort(floor_cpu, 100, sizeof *floor_cpu, cmp_double);
	printf("lull remind check: wall median %.2f ms, p90 %.2f ms; CPU median %.2f ms (100 runs)\n",
	       times[50] * 1000, times[90] * 1000, cpus[50] * 1000);
	printf("/bin/true for comparison: wall median %.2f ms, CPU median %.2f ms\n", floor_wall[50] * 1000,
	       floor_cpu[50] * 1000);
	/* 4. The largest file, and half of it: median of 5 each. */
	static const int sizes[2] = { 29000, 58000 };
	double med[2][2];
	char *list[] = { (char *)lull, "remind", "list", NULL };
	for (int k = 0; k < 2; k++) {
		char rpath[512], spath[512];
		snprintf(rpath, sizeof rpath, "%s/config/lull/reminders", tmp);
		snprintf(spath, sizeof spath, "%s/state", tmp);
		mkdir(spath, 0700);
		strcat(spath, "/lull");
		mkdir(spath, 0700);
		strcat(spath, "/remind-state");
		FILE *rf = fopen(rpath, "w"), *sf = fopen(spath, "w");
		if (!rf || !sf)
			return 1;
		for (int i = 1; i <= sizes[k]; i++) {
			fprintf(rf, "%d 21:00 daily\n", i);
			fprintf(sf, "%d 2026-01-01 - - 0 0\n", i);
		}
		fclose(rf);
		fclose(sf);
		for (int c = 0; c < 2; c++) {
			double w[5], cpu;
			for (int i = 0; i < 5; i++) {
				double a = now_s(CLOCK_MONOTONIC);
				run(c ? list : check, true, &cpu);
				w[i] = now_s(CLOCK_MONOTONIC) - a;
			}
			qsort(w, 5, sizeof *w, cmp_double);
			med[k][c] = w[2];
		}
	}
	for (int c = 0; c < 2; c++)
		printf("lull remind %s, %d reminders: wall median %.0f ms; %d: %.0f ms; ratio %.2f (5 runs)\n",
		       c ? "list" : "check", sizes[1], med[1][c] * 1000, sizes[0], med[0][c] * 1000,
		       med[1][c] / med[0][c]);

	double loads[3];
	if (getloadavg(loads, 3) == 3)
		printf("load average during the run: %.2f\n", loads[0]);
	snprintf(buf, sizeof buf, "rm -rf '%s'", tmp);
	return system(buf) != 0;
}
