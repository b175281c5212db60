/* SPDX-License-Identifier: ISC */
/* `lull ssh HOST [ARGS...]`, the pure part: which local socket the sound
 * server listens on, the far side's socket name, and the ssh command line
 * that forwards the one to the other and runs lull there.
 *
 *   ssh -t -o ExitOnForwardFailure=yes -R FAR:NEAR [-o OPT]... -- HOST 'exec sh -c ...'
 *
 * FAR is /tmp/lull-pulse-<32 hex digits>: a name nobody else can have made
 * first (128 random bits; were something there, the forward fails and ssh
 * ends before lull starts), and sshd makes the socket with its
 * StreamLocalBindMask (0177 by default), so only the person can connect to
 * it. The command on the far side removes it when lull ends, however it
 * ends (its own end, q, a hang-up when the connection drops). */
#ifndef LULL_SSHLINE_H
#define LULL_SSHLINE_H

#include <stdbool.h>
#include <stddef.h>

/* The local sound server's Unix socket: the first "unix:PATH" (or "/PATH")
 * entry of PULSE_SERVER (a list, each entry perhaps "{machine-id}"
 * prefixed), else RUNTIME/pulse/native (PulseAudio's path, which
 * PipeWire's pulse server serves too). Either may be NULL or "". Into buf
 * (n bytes); NULL with a one-line reason in why (whyn bytes) when there is
 * none: PULSE_SERVER names no socket (tcp:...), no XDG_RUNTIME_DIR, or a
 * path that ssh cannot forward (a ':' in it) or that is too long. */
const char *sshline_local_socket(const char *pulse_server, const char *runtime, char *buf, size_t n, char *why,
				 size_t whyn);

/* The far side's socket from 16 random bytes: "/tmp/lull-pulse-" and 32
 * lowercase hex digits. buf holds at least SSHLINE_SOCKET_MAX bytes. */
enum { SSHLINE_SOCKET_MAX = 64 };
void sshline_remote_socket(const unsigned char random[16], char *buf);

/* arg quoted for a POSIX shell: as it is when it holds only characters no
 * shell treats specially, else in single quotes (a ' inside as '\''); ""
 * as ''. Allocated. */
char *sshline_quote(const char *arg);

/* The command line the far side's login shell runs: a POSIX sh that
 * removes sock when it ends, says so and exits 127 when there is no lull
 * in its PATH, and otherwise runs `PULSE_SERVER=unix:SOCK lull ARGS...`.
 * sock as sshline_remote_socket makes it. Allocated. */
char *sshline_remote_command(const char *sock, const char *const *args, size_t nargs);

/* The ssh argv (NULL-terminated, each string allocated; sshline_free): ssh
 * (the program), -t, ExitOnForwardFailure, -R far:near, each of opts as
 * "-o OPT", "--", host, the remote command. */
char **sshline_argv(const char *ssh, const char *host, const char *far, const char *near, const char *const *opts,
		    size_t nopts, const char *const *args, size_t nargs);
void sshline_free(char **argv);

#endif
