/* SPDX-License-Identifier: ISC */
/* lull ssh, the pure part: the local socket from PULSE_SERVER or the
 * runtime folder (and the refusals), the far socket's name, the quoting for
 * the far shell, and the ssh argv. (tests/ssh-cli.sh runs the quoted line
 * through a real sh; tests/ssh.sh runs it all through a real sshd.) */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "sshline.h"

static void test_local_socket(void **state)
{
	(void)state;
	char b[256], why[256];
	assert_string_equal(sshline_local_socket(NULL, "/run/user/1000", b, sizeof b, why, sizeof why),
			    "/run/user/1000/pulse/native");
	assert_string_equal(sshline_local_socket("", "/run/user/1000", b, sizeof b, why, sizeof why),
			    "/run/user/1000/pulse/native");
	/* PULSE_SERVER first, in each of its forms. */
	assert_string_equal(sshline_local_socket("unix:/tmp/p", "/run/user/1000", b, sizeof b, why, sizeof why),
			    "/tmp/p");
	assert_string_equal(sshline_local_socket("/tmp/q", NULL, b, sizeof b, why, sizeof why), "/tmp/q");
	assert_string_equal(sshline_local_socket("{abc123}unix:/tmp/r", NULL, b, sizeof b, why, sizeof why), "/tmp/r");
	/* A list: the first socket in it. */
	assert_string_equal(sshline_local_socket("tcp:box:4713 unix:/tmp/s /tmp/t", NULL, b, sizeof b, why, sizeof why),
			    "/tmp/s");
	assert_string_equal(why, "");
}

static void test_local_socket_refused(void **state)
{
	(void)state;
	char b[256], why[256];
	/* Nothing to forward: said, not guessed. */
	assert_null(sshline_local_socket(NULL, NULL, b, sizeof b, why, sizeof why));
	assert_non_null(strstr(why, "no sound server here"));
	assert_null(sshline_local_socket("", "", b, sizeof b, why, sizeof why));
	assert_non_null(strstr(why, "no sound server here"));
	assert_null(sshline_local_socket("tcp:localhost:4713", "/run/user/1000", b, sizeof b, why, sizeof why));
	assert_non_null(strstr(why, "PULSE_SERVER (tcp:localhost:4713) names no Unix socket"));
	assert_null(sshline_local_socket("unix:relative", NULL, b, sizeof b, why, sizeof why));
	assert_null(sshline_local_socket("{unclosed", NULL, b, sizeof b, why, sizeof why));
	/* ssh splits -R FAR:NEAR at the colon. */
	assert_null(sshline_local_socket("unix:/tmp/a:b", NULL, b, sizeof b, why, sizeof why));
	assert_non_null(strstr(why, "holds ':'"));
	/* Past sun_path's room. */
	char longdir[200];
	memset(longdir, 'd', sizeof longdir - 1);
	longdir[0] = '/';
	longdir[sizeof longdir - 1] = '\0';
	assert_null(sshline_local_socket(NULL, longdir, b, sizeof b, why, sizeof why));
	assert_non_null(strstr(why, "too long"));
}

static void test_remote_socket(void **state)
{
	(void)state;
	unsigned char r[16];
	for (int i = 0; i < 16; i++)
		r[i] = (unsigned char)(i * 17 + 1);
	char b[SSHLINE_SOCKET_MAX];
	sshline_remote_socket(r, b);
	assert_string_equal(b, "/tmp/lull-pulse-0112233445566778899aabbccddeef00");
	r[0] = 0xff;
	sshline_remote_socket(r, b);
	assert_string_equal(b, "/tmp/lull-pulse-ff12233445566778899aabbccddeef00");
}

static void quoted(const char *arg, const char *want)
{
	char *q = sshline_quote(arg);
	assert_string_equal(q, want);
	free(q);
}

static void test_quote(void **state)
{
	(void)state;
	quoted("start", "start");
	quoted("--minutes", "--minutes");
	quoted("/home/me/x.session", "/home/me/x.session");
	quoted("", "''");
	quoted("a b", "'a b'");
	quoted("it's", "'it'\\''s'");
	quoted("'", "''\\'''");
	quoted("$(rm -rf ~)", "'$(rm -rf ~)'");
	quoted("`id`;*?", "'`id`;*?'");
	quoted("a\nb", "'a\nb'");
	quoted("back\\slash", "'back\\slash'");
	quoted("~", "'~'");
}

static void test_remote_command(void **state)
{
	(void)state;
	const char *args[] = { "start", "my night.session", "--minutes", "5" };
	char *c = sshline_remote_command("/tmp/lull-pulse-00", args, 4);
	/* One sh, its script in single quotes holding none of its own. */
	assert_true(strncmp(c, "exec sh -c '", 12) == 0);
	const char *end = strchr(c + 12, '\'');
	assert_non_null(end);
	assert_null(memchr(c + 12, '\\', (size_t)(end - c - 12)));
	assert_string_equal(end, "' lull-ssh start 'my night.session' --minutes 5");
	/* The socket removed at the end, the variable set for lull alone, and a
	 * missing lull said. */
	assert_non_null(strstr(c, "trap \"rm -f /tmp/lull-pulse-00 $c\" EXIT"));
	assert_non_null(strstr(c, "PULSE_CLIENTCONFIG=$c PULSE_SERVER=unix:/tmp/lull-pulse-00 lull \"$@\"; exit $?"));
	/* Shared memory off: no descriptor crosses ssh. */
	assert_non_null(strstr(c, "echo \"enable-shm = no\" >\"$c\""));
	assert_non_null(strstr(c, "there is no lull on"));
	free(c);
	/* No arguments: lull alone, the menu. */
	c = sshline_remote_command("/tmp/lull-pulse-00", NULL, 0);
	assert_true(strlen(c) > 9 && strcmp(c + strlen(c) - 9, " lull-ssh") == 0);
	free(c);
}

static void test_argv(void **state)
{
	(void)state;
	const char *opts[] = { "Port=2222", "IdentityFile=/k" };
	const char *args[] = { "start", "sleep" };
	char **a = sshline_argv("ssh", "me@box", "/tmp/lull-pulse-00", "/run/user/1/pulse/native", opts, 2, args, 2);
	const char *want[] = { "ssh", "-t", "-o", "ExitOnForwardFailure=yes", "-R",
			       "/tmp/lull-pulse-00:/run/user/1/pulse/native", "-o", "Port=2222", "-o", "IdentityFile=/k",
			       "--", "me@box" };
	size_t n = sizeof want / sizeof want[0];
	for (size_t i = 0; i < n; i++)
		assert_string_equal(a[i], want[i]);
	assert_non_null(strstr(a[n], "' lull-ssh start sleep"));
	assert_null(a[n + 1]);
	sshline_free(a);
	a = sshline_argv("ssh", "box", "/tmp/f", "/n", NULL, 0, NULL, 0);
	assert_string_equal(a[6], "--");
	assert_string_equal(a[7], "box");
	assert_null(a[9]);
	sshline_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_socket),
		cmocka_unit_test(test_local_socket_refused),
		cmocka_unit_test(test_remote_socket),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_remote_command),
		cmocka_unit_test(test_argv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
