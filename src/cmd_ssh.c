/* SPDX-License-Identifier: ISC */
/* `lull ssh HOST [ARGS...]`: lull on another machine, its sound on this
 * one's speakers. Finds the local sound server's socket, makes sure it
 * answers, and execs ssh with the socket forwarded to the far side
 * (sshline.h: the command line, the far socket's name and why it is safe).
 * ssh is exec'd, not spawned: the terminal and every signal go straight to
 * it, and its exit status is lull's. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "sshline.h"
#include "text.h"
#include "util.h"

static const char ssh_usage[] =
"Usage: lull ssh [-o SSH_OPTION]... HOST [COMMAND [ARGS...]]\n"
"Run lull on HOST over SSH and hear it here: your sound server's socket\n"
"(PULSE_SERVER, else $XDG_RUNTIME_DIR/pulse/native; PipeWire serves it too)\n"
"is forwarded to a private socket on HOST, which lull there plays to.\n"
"COMMAND and ARGS are lull's on HOST (default: the menu), e.g.\n"
"  lull ssh me@server start sleep --minutes 20\n"
"\n"
"  -o SSH_OPTION      pass -o SSH_OPTION to ssh (repeatable), e.g. -o Port=2222\n"
"  -h, --help         show this help\n"
"\n"
"HOST is as ssh takes it (a name from ~/.ssh/config, user@host, or\n"
"ssh://user@host:port). The socket on HOST is removed when lull ends there,\n"
"and lull ends when the connection drops. Needs OpenSSH 6.7 or later on both\n"
"sides and lull in HOST's PATH. See lull(1), Sound over SSH.\n";

/* Whether a server accepts connections at path. */
static bool socket_answers(const char *path, int *err)
{
	struct sockaddr_un sa;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa.sun_path) {
		*err = ENAMETOOLONG;
		return false;
	}
	str_copy(sa.sun_path, path, sizeof sa.sun_path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0) {
		*err = errno;
		return false;
	}
	bool ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
	*err = errno;
	close(fd);
	return ok;
}

/* 16 bytes from the system's random source. */
static bool random_bytes(unsigned char *buf, size_t n)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	return got == n;
}

int cmd_ssh(int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char **opts = xcalloc((size_t)argc + 1, sizeof *opts);
	size_t nopts = 0;
	opterr = 0;
	int c, rc = 0;
	/* '+': the first word that is not an option is the host; all after it
	 * is lull's on the far side. */
	while ((c = getopt_long(argc, argv, "+:ho:", options, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(ssh_usage, stdout);
			goto out;
		case 'o':
			opts[nopts++] = optarg;
			break;
		case ':':
			rc = usage_error("ssh", "'-o' needs an ssh option (as ssh -o takes it)");
			goto out;
		default:
			rc = usage_unknown_option("ssh", "ssh: ", argv[optind - 1], options);
			goto out;
		}
	}
	if (optind >= argc) {
		rc = usage_error("ssh", "ssh: give the host: lull ssh HOST [COMMAND [ARGS...]]");
		goto out;
	}
	const char *host = argv[optind];
	if (host[0] == '-' || host[0] == '\0') {
		/* ssh would take it for an option (-oProxyCommand=...). */
		rc = usage_error("ssh", "ssh: '%s' is not a host", host);
		goto out;
	}

	char near[4096], why[4352];
	if (!sshline_local_socket(getenv("PULSE_SERVER"), getenv("XDG_RUNTIME_DIR"), near, sizeof near, why,
				  sizeof why)) {
		char *safe = text_escape(why, strlen(why), 400);
		fprintf(stderr, "lull: ssh: %s\n", safe);
		free(safe);
		rc = 1;
		goto out;
	}
	int err;
	if (!socket_answers(near, &err)) {
		char *safe = text_escape(near, strlen(near), 400);
		fprintf(stderr,
			"lull: ssh: no sound server answers at %s (%s); start PulseAudio or PipeWire here, "
			"or point PULSE_SERVER at one (unix:PATH)\n",
			safe, strerror(err));
		free(safe);
		rc = 1;
		goto out;
	}
	unsigned char rnd[16];
	if (!random_bytes(rnd, sizeof rnd)) {
		fprintf(stderr, "lull: ssh: cannot read /dev/urandom: %s\n", strerror(errno));
		rc = 1;
		goto out;
	}
	char far[SSHLINE_SOCKET_MAX];
	sshline_remote_socket(rnd, far);
	char **ssh = sshline_argv("ssh", host, far, near, opts, nopts, (const char *const *)argv + optind + 1,
				  (size_t)(argc - optind - 1));
	fflush(NULL);
	signal(SIGXFSZ, SIG_DFL); /* main() ignores it; ssh would inherit that */
	execvp(ssh[0], ssh);
	fprintf(stderr, "lull: ssh: cannot run ssh: %s (it comes with OpenSSH)\n", strerror(errno));
	sshline_free(ssh);
	rc = 1;
out:
	free(opts);
	return rc;
}
