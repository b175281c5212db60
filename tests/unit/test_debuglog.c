/* SPDX-License-Identifier: ISC */
/* The debug log: off unless asked for (and then nothing is created), on with
 * LULL_DEBUG or -v, a private 0600 file under the state directory, appended;
 * each line stamped with the monotonic time, the thread and the function;
 * whole lines from many threads at once; lateness against a deadline. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "debuglog.h"
#include "../testhome.h"

static char log_file[320];

static int setup(void **state)
{
	if (!testhome_enter("debuglog"))
		return -1;
	testhome_path("state/lull/debug.log", log_file, sizeof log_file);
	return 0;
}

static int teardown(void **state)
{
	debug_init(false);
	unsetenv("LULL_DEBUG");
	return testhome_remove();
}

/* The whole file, NUL-terminated (caller frees); NULL if there is none. */
static char *slurp(size_t *len)
{
	FILE *f = fopen(log_file, "r");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_off_by_default(void **state)
{
	unsetenv("LULL_DEBUG");
	assert_false(debug_init(false));
	assert_false(debug_enabled());
	assert_null(debug_path());
	debug_log("never written %d", 1);
	debug_wake("phase", 1, 2);
	struct stat st;
	assert_int_not_equal(stat(log_file, &st), 0); /* not even created */
	setenv("LULL_DEBUG", "0", 1);
	assert_false(debug_init(false));
	setenv("LULL_DEBUG", "", 1);
	assert_false(debug_init(false));
	assert_int_not_equal(stat(log_file, &st), 0);
}

static void test_on_private_appended(void **state)
{
	setenv("LULL_DEBUG", "1", 1);
	assert_true(debug_init(false));
	assert_string_equal(debug_path(), log_file);
	struct timespec before;
	clock_gettime(CLOCK_MONOTONIC, &before);
	debug_log("first %s", "run");
	struct stat st;
	assert_int_equal(stat(log_file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	unsetenv("LULL_DEBUG");
	assert_true(debug_init(true)); /* -v alone; appends */
	debug_log("second run");
	char *s = slurp(NULL);
	assert_non_null(s);
	/* "SECONDS.MICROS THREAD FUNCTION: text", stamps on CLOCK_MONOTONIC. */
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	char *line = strstr(s, "first run");
	assert_non_null(line);
	while (line > s && line[-1] != '\n')
		line--;
	long long sec;
	long usec;
	char thread[32], func[64];
	assert_int_equal(sscanf(line, "%lld.%6ld %31s %63[^:]:", &sec, &usec, thread, func), 4);
	/* Between two readings of CLOCK_MONOTONIC taken around it (not a 5 s
	 * window: the order holds however loaded the machine). */
	assert_true(sec <= now.tv_sec && sec >= before.tv_sec);
#ifdef HAVE_PTHREAD_GETNAME_NP
	assert_string_equal(thread, "test_debuglog");
#else
	assert_string_equal(thread, "?"); /* the system cannot say: the column still holds */
#endif
	assert_string_equal(func, "test_on_private_appended");
	assert_non_null(strstr(s, "second run"));
	assert_true(strstr(s, "first run") < strstr(s, "second run"));
	assert_int_equal(count_lines(s), 4); /* each init says who opened the log */
	assert_non_null(strstr(s, "debug_init: lull "));
	free(s);
}

static void test_wake_lateness(void **state)
{
	unlink(log_file);
	assert_true(debug_init(true));
	debug_wake("phase", 1000000000, 1002500000);
	debug_wake("second", 2000000000, 1999990000);
	debug_wake("key", INT64_MAX, 5);
	debug_late("cue bowl starts", 1000000000, 1000000999);
	char *s = slurp(NULL);
	assert_non_null(strstr(s, "test_wake_lateness: wake phase: late 2.500 ms\n"));
	assert_non_null(strstr(s, "test_wake_lateness: wake second: early 0.010 ms\n"));
	assert_non_null(strstr(s, "test_wake_lateness: wake key: no deadline\n"));
	assert_non_null(strstr(s, "test_wake_lateness: cue bowl starts: late 0.000 ms\n"));
	free(s);
}

enum { THREADS = 4, LINES = 2000 };

static void *logger(void *arg)
{
	int id = (int)(intptr_t)arg;
	char name[16];
	snprintf(name, sizeof name, "logger%d", id);
	pthread_setname_np(pthread_self(), name);
	for (int i = 0; i < LINES; i++)
		debug_log("thread %d line %d %s", id, i, "padding to make the line long enough to matter");
	return NULL;
}

/* Threads log at once: every line arrives whole, none is lost. And a line
 * too long for the buffer is cut, still as one line. */
static void test_threads_whole_lines(void **state)
{
	unlink(log_file);
	assert_true(debug_init(true));
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, logger, (void *)(intptr_t)i), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	char big[2000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	debug_log("%s", big);
	char *s = slurp(NULL);
	assert_int_equal(count_lines(s), 1 + THREADS * LINES + 1);
	int seen[THREADS] = { 0 };
	for (char *line = s, *end; *line; line = end + 1) {
		end = strchr(line, '\n');
		*end = '\0';
		int id, i;
		char *m = strstr(line, "logger: thread ");
		if (m) {
			assert_int_equal(sscanf(m, "logger: thread %d line %d padding", &id, &i), 2);
			assert_true(id >= 0 && id < THREADS);
			assert_int_equal(i, seen[id]); /* in order within a thread */
			seen[id]++;
			assert_non_null(strstr(line, "enough to matter"));
		} else if (strstr(line, "xxxx")) {
			assert_true(strlen(line) < 512);
			assert_non_null(strstr(line, "x..."));
		}
	}
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(seen[i], LINES);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_off_by_default),
		cmocka_unit_test(test_on_private_appended),
		cmocka_unit_test(test_wake_lateness),
		cmocka_unit_test(test_threads_whole_lines),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
