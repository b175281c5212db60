/* SPDX-License-Identifier: ISC */
/* Running another program, as tmux's job.c does: no signal of ours is
 * handled between fork and exec, the child starts with every signal at its
 * default and none blocked, and with only the descriptors it is given. */
#ifndef LULL_SPAWN_H
#define LULL_SPAWN_H

#include <sys/types.h>

/* In a child just forked: standard input from in, output to out (-1 for
 * either: /dev/null), standard error on /dev/null, every other descriptor
 * closed, every signal at its default and unblocked, then argv (argv[0]
 * looked up in PATH when it has no '/'). Never returns: exit status 127
 * when anything fails. Allocates nothing but execvp's search of PATH. */
_Noreturn void spawn_exec_child(char *const argv[], int in, int out);

/* fork + spawn_exec_child with every signal blocked across the fork (the
 * caller's mask restored after). The child's pid, or -1 with errno. */
pid_t spawn(char *const argv[], int in, int out);

#endif
