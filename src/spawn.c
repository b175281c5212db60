/* SPDX-License-Identifier: ISC */
/* Running another program: see spawn.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "spawn.h"

/* Every descriptor from 3 up closed: the child gets only its three. */
static void close_from_3(void)
{
#ifdef HAVE_CLOSE_RANGE
	if (close_range(3, ~0U, 0) == 0)
		return;
#endif
	long max = sysconf(_SC_OPEN_MAX);
	for (long fd = 3; fd < (max > 0 ? max : 1024); fd++)
		close((int)fd);
}

/* fd moved to 3 or above (so that filling 0..2 cannot overwrite it). */
static int above_stdio(int fd)
{
	return fd > 2 ? fd : fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

_Noreturn void spawn_exec_child(char *const argv[], int in, int out)
{
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL); /* fails harmlessly for SIGKILL, SIGSTOP */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || (null = above_stdio(null)) < 0 || (in >= 0 && (in = above_stdio(in)) < 0) ||
	    (out >= 0 && (out = above_stdio(out)) < 0))
		_exit(127);
	/* dup2 to another number clears close-on-exec on the copy. */
	if (dup2(in >= 0 ? in : null, STDIN_FILENO) < 0 || dup2(out >= 0 ? out : null, STDOUT_FILENO) < 0 ||
	    dup2(null, STDERR_FILENO) < 0)
		_exit(127);
	close_from_3();
	execvp(argv[0], argv);
	_exit(127);
}

pid_t spawn(char *const argv[], int in, int out)
{
	sigset_t all, saved;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &saved); /* the calling thread's: lull has several */
	pid_t pid = fork();
	if (pid == 0)
		spawn_exec_child(argv, in, out);
	int fork_errno = errno;
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	errno = fork_errno;
	return pid;
}
