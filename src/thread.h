/* SPDX-License-Identifier: ISC */
/* Every thread lull starts goes through here, so that each is named (top -H,
 * /proc, the debug log) and no signal handler ever runs on it: a handler that
 * interrupts a device write makes the write fail or come back short, and the
 * UI thread is the one that takes the signals (tty.c's self-pipe). */
#ifndef LULL_THREAD_H
#define LULL_THREAD_H

#include <pthread.h>
#include <stddef.h>

/* pthread_create with every signal blocked in the new thread (the mask is
 * inherited, so the caller's is blocked for the moment of the creation and
 * then restored) and the thread named `name` (at most 15 bytes). 0, or an
 * error number as pthread_create gives. */
int thread_start(pthread_t *t, const char *name, void *(*fn)(void *), void *arg);

/* A condition variable whose timed waits take CLOCK_MONOTONIC deadlines, as
 * every deadline in lull is (a wall-clock jump must not shorten a wait). */
void thread_cond_init(pthread_cond_t *c);

/* The calling thread's name into buf (size n), or "?" where the system cannot
 * say. For people reading the debug log: never fails. */
void thread_name_self(char *buf, size_t n);

#endif
