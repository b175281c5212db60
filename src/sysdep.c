/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_PRCTL
#include <sys/prctl.h>
#endif

#include "sysdep.h"

int sys_pipe(int fd[2], bool nonblock)
{
#ifdef HAVE_PIPE2
	return pipe2(fd, O_CLOEXEC | (nonblock ? O_NONBLOCK : 0));
#else
	if (pipe(fd) != 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		if (fcntl(fd[i], F_SETFD, FD_CLOEXEC) < 0 ||
		    (nonblock && fcntl(fd[i], F_SETFL, fcntl(fd[i], F_GETFL) | O_NONBLOCK) < 0)) {
			close(fd[0]);
			close(fd[1]);
			return -1;
		}
	}
	return 0;
#endif
}

int sys_poll_ns(struct pollfd *p, nfds_t n, int64_t timeout_ns)
{
#ifdef HAVE_PPOLL
	struct timespec ts, *tsp = NULL;
	if (timeout_ns >= 0) {
		ts.tv_sec = (time_t)(timeout_ns / 1000000000);
		ts.tv_nsec = (long)(timeout_ns % 1000000000);
		tsp = &ts;
	}
	return ppoll(p, n, tsp, NULL);
#else
	int ms = -1;
	if (timeout_ns >= 0) {
		int64_t up = (timeout_ns + 999999) / 1000000;
		ms = up > 86400000 ? 86400000 : (int)up; /* a day: the caller waits again */
	}
	return poll(p, n, ms);
#endif
}

void sys_timer_slack_min(void)
{
#ifdef HAVE_PRCTL
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
#endif
}

void sys_catch_signal(int sig, void (*handler)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(sig, &sa, NULL);
}
