/* SPDX-License-Identifier: ISC */
/* `lull ssh`, the pure part: see sshline.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sshline.h"
#include "util.h"

/* sun_path holds 108 bytes on Linux, 104 on the BSDs and macOS. */
enum { SUN_PATH_MAX = 104 };

/* Copies the path of one PULSE_SERVER entry (len bytes at e) into buf, when
 * the entry is a Unix socket. */
static bool unix_entry(const char *e, size_t len, char *buf, size_t n)
{
	if (len && e[0] == '{') { /* "{machine-id}unix:/path": the machine is ours */
		const char *close = memchr(e, '}', len);
		if (!close)
			return false;
		len -= (size_t)(close + 1 - e);
		e = close + 1;
	}
	if (len > 5 && strncmp(e, "unix:", 5) == 0) {
		e += 5;
		len -= 5;
	}
	if (!len || e[0] != '/')
		return false;
	snprintf(buf, n, "%.*s", (int)len, e);
	return true;
}

const char *sshline_local_socket(const char *pulse_server, const char *runtime, char *buf, size_t n, char *why,
				 size_t whyn)
{
	if (whyn)
		why[0] = '\0';
	bool found = false;
	if (pulse_server && *pulse_server) {
		for (const char *s = pulse_server; *s && !found;) {
			s += strspn(s, " \t");
			size_t len = strcspn(s, " \t");
			found = len && unix_entry(s, len, buf, n);
			s += len;
		}
		if (!found) {
			snprintf(why, whyn, "PULSE_SERVER (%s) names no Unix socket here; ssh can forward only a socket",
				 pulse_server);
			return NULL;
		}
	} else if (runtime && *runtime) {
		snprintf(buf, n, "%s/pulse/native", runtime);
	} else {
		snprintf(why, whyn, "no sound server here: neither PULSE_SERVER nor XDG_RUNTIME_DIR is set");
		return NULL;
	}
	size_t len = strlen(buf);
	if (len + 1 >= n || len >= SUN_PATH_MAX) {
		snprintf(why, whyn, "the sound server's socket path is too long for a socket: %s", buf);
		return NULL;
	}
	if (strchr(buf, ':')) { /* ssh's -R FAR:NEAR would split it there */
		snprintf(why, whyn, "ssh cannot forward a socket whose path holds ':': %s", buf);
		return NULL;
	}
	return buf;
}

void sshline_remote_socket(const unsigned char random[16], char *buf)
{
	static const char hex[] = "0123456789abcdef";
	char *p = buf + sprintf(buf, "/tmp/lull-pulse-");
	for (int i = 0; i < 16; i++) {
		*p++ = hex[random[i] >> 4];
		*p++ = hex[random[i] & 15];
	}
	*p = '\0';
}

char *sshline_quote(const char *arg)
{
	static const char plain[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@%+=:,./-";
	if (*arg && arg[strspn(arg, plain)] == '\0')
		return xstrdup(arg);
	size_t quotes = 0;
	for (const char *s = arg; *s; s++)
		quotes += *s == '\'';
	char *out = xmalloc(strlen(arg) + 3 * quotes + 3), *o = out;
	*o++ = '\'';
	for (const char *s = arg; *s; s++) {
		if (*s == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else {
			*o++ = *s;
		}
	}
	*o++ = '\'';
	*o = '\0';
	return out;
}

char *sshline_remote_command(const char *sock, const char *const *args, size_t nargs)
{
	/* The script goes inside single quotes: it holds none, and no
	 * backslash, so it reads the same to any login shell that takes
	 * '...' literally. sock is [/a-z0-9-] (sshline_remote_socket). The
	 * shell stays until lull ends (a command follows lull, so no shell
	 * execs it); a trapped signal waits for lull, then the EXIT trap
	 * removes the socket and the client's settings.
	 *
	 * Those settings turn shared memory off: both ends of the forward
	 * look local and of one user to PulseAudio, which then hands the
	 * audio over in memory passed as descriptors, and no descriptor
	 * crosses ssh (the server kicks the client: "Expected 1 memfd fd").
	 * libpulse reads them from PULSE_CLIENTCONFIG, a file. */
	char *script = xasprintf("trap \"exit 129\" HUP; trap \"exit 130\" INT; trap \"exit 143\" TERM; "
				 "c=$(mktemp /tmp/lull-ssh-conf.XXXXXXXX) || c=; "
				 "trap \"rm -f %s $c\" EXIT; "
				 "if ! command -v lull >/dev/null 2>&1; then "
				 "echo \"lull ssh: there is no lull on $(uname -n) (PATH=$PATH)\" >&2; exit 127; fi; "
				 "[ -z \"$c\" ] || echo \"enable-shm = no\" >\"$c\"; "
				 "PULSE_CLIENTCONFIG=$c PULSE_SERVER=unix:%s lull \"$@\"; exit $?",
				 sock, sock);
	size_t len = strlen(script) + 64;
	char **quoted = xcalloc(nargs + 1, sizeof *quoted);
	for (size_t i = 0; i < nargs; i++) {
		quoted[i] = sshline_quote(args[i]);
		len += strlen(quoted[i]) + 1;
	}
	char *cmd = xmalloc(len), *o = cmd;
	o += sprintf(o, "exec sh -c '%s' lull-ssh", script);
	for (size_t i = 0; i < nargs; i++) {
		o += sprintf(o, " %s", quoted[i]);
		free(quoted[i]);
	}
	free(quoted);
	free(script);
	return cmd;
}

char **sshline_argv(const char *ssh, const char *host, const char *far, const char *near, const char *const *opts,
		    size_t nopts, const char *const *args, size_t nargs)
{
	char **argv = xcalloc(10 + 2 * nopts, sizeof *argv);
	size_t i = 0;
	argv[i++] = xstrdup(ssh);
	argv[i++] = xstrdup("-t");
	argv[i++] = xstrdup("-o");
	argv[i++] = xstrdup("ExitOnForwardFailure=yes");
	argv[i++] = xstrdup("-R");
	argv[i++] = xasprintf("%s:%s", far, near);
	for (size_t k = 0; k < nopts; k++) {
		argv[i++] = xstrdup("-o");
		argv[i++] = xstrdup(opts[k]);
	}
	argv[i++] = xstrdup("--");
	argv[i++] = xstrdup(host);
	argv[i++] = sshline_remote_command(far, args, nargs);
	argv[i] = NULL;
	return argv;
}

void sshline_free(char **argv)
{
	if (!argv)
		return;
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}
