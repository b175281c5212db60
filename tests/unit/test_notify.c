/* SPDX-License-Identifier: ISC */
/* Delivery helpers: running a program with a time-out, and the banner marker
 * that an open lull reads once. */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "banner.h"
#include "notify.h"
#include "../testhome.h"


static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run_status(void **unused)
{
	(void)unused;
	char *ok[] = { "true", NULL };
	char *bad[] = { "false", NULL };
	char *missing[] = { "lull-no-such-program-here", NULL };
	assert_int_equal(notify_run(ok, 2000, NULL, 0), 0);
	assert_int_equal(notify_run(bad, 2000, NULL, 0), 1);
	assert_int_equal(notify_run(missing, 2000, NULL, 0), 127);
	char out[64];
	/* Arguments pass as they are: no shell sees them. */
	char *echo[] = { "printf", "%s|", "a b", "$HOME;rm", NULL };
	assert_int_equal(notify_run(echo, 2000, out, sizeof out), 0);
	assert_string_equal(out, "a b|$HOME;rm|");
	/* Output longer than the buffer is cut, never overflowed. */
	char small[4];
	char *yes[] = { "printf", "abcdefgh", NULL };
	assert_int_equal(notify_run(yes, 2000, small, sizeof small), 0);
	assert_string_equal(small, "abc");
}

static void run_timeout(void **unused)
{
	(void)unused;
	char *hang[] = { "sleep", "30", NULL };
	double t0 = mono();
	/* -1, timed out: the child was not waited for (sleep 30 would have
	 * ended 0), and not before its limit (load makes it late, never early).
	 * No upper bound in seconds: a loaded machine would miss it. */
	assert_int_equal(notify_run(hang, 200, NULL, 0), -1);
	double took = mono() - t0;
	assert_true(took >= 0.19);
	/* The same with its output captured. */
	char out[16];
	assert_int_equal(notify_run(hang, 200, out, sizeof out), -1);
}

static void run_cancel(void **unused)
{
	(void)unused;
	int p[2];
	assert_int_equal(pipe(p), 0);
	char *hang[] = { "sleep", "30", NULL };
	char *ok[] = { "true", NULL };
	/* Not readable yet: runs normally. */
	assert_int_equal(notify_run_until(ok, 2000, p[0], NULL, 0), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	/* -2, cancelled: not -1, so it did not wait for its 5 s limit. */
	assert_int_equal(notify_run_until(hang, 5000, p[0], NULL, 0), -2);
	close(p[0]);
	close(p[1]);
}

/* The child gets its three standard descriptors and nothing else, every
 * signal at its default and none blocked, whatever the parent has (tmux's
 * job.c does the same). Before, the child inherited every descriptor
 * opened without O_CLOEXEC (and its own /dev/null), and the parent's
 * ignored signals. */
static void run_clean_child(void **unused)
{
	(void)unused;
	int leaked = open("/dev/null", O_RDONLY); /* no O_CLOEXEC on purpose */
	assert_true(leaked > 2);
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_usr1;
	sigemptyset(&ign.sa_mask);
	assert_int_equal(sigaction(SIGUSR1, &ign, &old_usr1), 0);
	sigset_t usr2, old_mask;
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	assert_int_equal(sigprocmask(SIG_BLOCK, &usr2, &old_mask), 0);

	char out[512];
	/* ls's own open of the folder is one more: 0 1 2 and that one. */
	char *fds[] = { "sh", "-c", "ls /proc/self/fd | wc -l; ls /proc/self/fd | head -3 | tr '\\n' ' '", NULL };
	assert_int_equal(notify_run(fds, 5000, out, sizeof out), 0);
	assert_string_equal(out, "4\n0 1 2 ");
	char *sig[] = { "sed", "-n", "s/^Sig\\(Blk\\|Ign\\):\t//p", "/proc/self/status", NULL };
	assert_int_equal(notify_run(sig, 5000, out, sizeof out), 0);
	char *end;
	unsigned long long blocked = strtoull(out, &end, 16);
	unsigned long long ignored = strtoull(end, NULL, 16);
	/* Signals 32 .. SIGRTMIN - 1 are the C library's own: sigaction()
	 * refuses to touch them, so what they inherit is not ours to test. */
	unsigned long long libc = 0;
	for (int s = 32; s < SIGRTMIN; s++)
		libc |= 1ull << (s - 1);
	assert_int_equal(blocked & ~libc, 0);
	assert_int_equal(ignored & ~libc, 0);

	/* The parent's mask and dispositions are its own again. */
	sigset_t now;
	assert_int_equal(sigprocmask(SIG_SETMASK, NULL, &now), 0);
	assert_true(sigismember(&now, SIGUSR2));
	assert_false(sigismember(&now, SIGTERM));
	struct sigaction cur;
	assert_int_equal(sigaction(SIGUSR1, NULL, &cur), 0);
	assert_true(cur.sa_handler == SIG_IGN);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	sigaction(SIGUSR1, &old_usr1, NULL);
	close(leaked);
}

static void banner_once(void **unused)
{
	(void)unused;
	char msg[128];
	assert_false(banner_take(msg, sizeof msg));
	struct notify_config cfg = { false, false, false, -1, -1, 0, false };
	assert_int_equal(notify_deliver(&cfg, "22:30 time to wind down"), 1);
	time_t when;
	assert_true(banner_peek(msg, sizeof msg, &when));
	assert_true(labs((long)(time(NULL) - when)) <= 1);
	assert_true(banner_take(msg, sizeof msg));
	assert_string_equal(msg, "22:30 time to wind down");
	/* Shown once. */
	assert_false(banner_take(msg, sizeof msg));
	/* A stale marker (an hour old) is not shown. */
	char path[300];
	FILE *f = fopen(testhome_path("run/lull/remind-banner", path, sizeof path), "w");
	assert_non_null(f);
	fprintf(f, "%lld\told news\n", (long long)time(NULL) - 3600);
	fclose(f);
	assert_false(banner_take(msg, sizeof msg));
}

/* A message is delivered as text: an ESC, a C1 CSI or a bidi override in
 * it reached the daemon's terminal and the banner raw. The banner is made
 * safe when read, too, whoever wrote the marker. */
static void deliver_as_text(void **unused)
{
	(void)unused;
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	int slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	assert_true(slave >= 0);
	struct notify_config cfg = { false, false, true, slave, -1, 0, false };
	const char *evil = "\033]0;owned\007\033[2J\xc2\x9b" "31m\xe2\x80\xae" "tea";
	assert_int_equal(notify_deliver(&cfg, evil), 2); /* the terminal and the marker */
	char got[256] = "";
	ssize_t n = read(master, got, sizeof got - 1);
	assert_true(n > 0);
	got[n] = '\0';
	assert_null(strchr(got, '\033'));
	assert_null(strstr(got, "\xc2\x9b"));
	assert_null(strstr(got, "\xe2\x80\xae"));
	assert_non_null(strstr(got, "]0;owned"));
	assert_non_null(strstr(got, "tea"));

	char msg[160];
	char path[300];
	FILE *f = fopen(testhome_path("run/lull/remind-banner", path, sizeof path), "w");
	assert_non_null(f);
	fprintf(f, "%lld\t%s\n", (long long)time(NULL), evil);
	fclose(f);
	time_t when;
	assert_true(banner_peek(msg, sizeof msg, &when));
	assert_null(strchr(msg, '\033'));
	assert_true(banner_take(msg, sizeof msg));
	assert_null(strchr(msg, '\033'));
	assert_null(strstr(msg, "\xc2\x9b"));
	assert_null(strstr(msg, "\xe2\x80\xae"));
	assert_non_null(strstr(msg, "tea"));
	close(slave);
	close(master);
}

int main(void)
{
	if (!testhome_enter("notify"))
		return 99;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(run_status),
		cmocka_unit_test(run_timeout),
		cmocka_unit_test(run_cancel),
		cmocka_unit_test(run_clean_child),
		cmocka_unit_test(banner_once),
		cmocka_unit_test(deliver_as_text),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (testhome_remove() != 0)
		rc = 1;
	return rc;
}
