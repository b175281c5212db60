/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <signal.h>
#include <time.h>

#include "thread.h"

int thread_start(pthread_t *t, const char *name, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
#ifdef HAVE_PTHREAD_SETNAME_NP_2
	if (rc == 0)
		(void)pthread_setname_np(*t, name); /* a name is for people: not worth failing over */
#else
	(void)name; /* macOS names only the calling thread: these go unnamed there */
#endif
	return rc;
}

void thread_cond_init(pthread_cond_t *c)
{
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(c, &ca);
	pthread_condattr_destroy(&ca);
}

void thread_name_self(char *buf, size_t n)
{
	if (n == 0)
		return;
#ifdef HAVE_PTHREAD_GETNAME_NP
	if (pthread_getname_np(pthread_self(), buf, n) == 0 && buf[0])
		return;
#endif
	buf[0] = '?';
	buf[n > 1] = '\0';
}
