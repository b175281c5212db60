/* SPDX-License-Identifier: ISC */
/* The sound loader: see loader.h. One mutex guards the lists; nothing slow
 * happens under it (a load runs with the lock released). */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "debuglog.h"
#include "loader.h"
#include "thread.h"
#include "util.h"

/* A kind and name asked for. On `asked` for good (for asking once); on
 * `todo` too while the thread has still to load it. */
struct ask {
	enum engine_sound_kind kind;
	char name[64];
	struct ask *next_asked, *next_todo;
};

struct loader {
	int rate, channels;
	pthread_mutex_t lock;
	pthread_cond_t cond;         /* todo grew, stop was set, or finished */
	struct ask *asked;
	struct ask *todo, **todo_tail;
	struct engine_sound *done, **done_tail;
	bool stop, finished;
	bool have_thread;
	int wake_fd;                 /* a byte each time the thread finishes one; -1 */
	pthread_t thread;
};

static void normalise(enum engine_sound_kind kind, const char *name, char *out, size_t size)
{
	str_copy(out, kind == ENGINE_CUE && (!name || !*name) ? ENGINE_DEFAULT_CUE : name ? name : "", size);
}

/* With the lock held: the kind and name as a new ask, or NULL if asked before. */
static struct ask *ask_once(struct loader *l, enum engine_sound_kind kind, const char *name)
{
	char n[64];
	normalise(kind, name, n, sizeof n);
	for (struct ask *a = l->asked; a; a = a->next_asked)
		if (a->kind == kind && strcmp(a->name, n) == 0)
			return NULL;
	struct ask *a = xcalloc(1, sizeof *a);
	a->kind = kind;
	str_copy(a->name, n, sizeof a->name);
	a->next_asked = l->asked;
	l->asked = a;
	return a;
}

/* Without the lock: the slow part. */
static struct engine_sound *load(const struct loader *l, const struct ask *a)
{
	int64_t t0 = debug_enabled() ? clock_mono_ns() : 0;
	struct engine_sound *s = engine_sound_load(a->kind, a->name, l->rate, l->channels);
	debug_log("%s %s loaded in %.2f ms%s%s", a->kind == ENGINE_CUE ? "cue" : "layer", a->name,
	          (double)(clock_mono_ns() - t0) / 1e6, s->error[0] ? ": " : "", s->error);
	return s;
}

/* With the lock held. */
static void finish(struct loader *l, struct engine_sound *s)
{
	s->next = NULL;
	*l->done_tail = s;
	l->done_tail = &s->next;
}

static void *loader_main(void *arg)
{
	struct loader *l = arg;
	pthread_mutex_lock(&l->lock);
	while (!l->stop) {
		struct ask *a = l->todo;
		if (!a) {
			pthread_cond_wait(&l->cond, &l->lock);
			continue;
		}
		l->todo = a->next_todo;
		if (!l->todo)
			l->todo_tail = &l->todo;
		pthread_mutex_unlock(&l->lock);
		struct engine_sound *s = load(l, a);
		pthread_mutex_lock(&l->lock);
		finish(l, s);
		if (l->wake_fd >= 0)
			(void)!write(l->wake_fd, "", 1); /* a full pipe: it is being woken anyway */
	}
	l->finished = true;
	pthread_cond_broadcast(&l->cond);
	pthread_mutex_unlock(&l->lock);
	return NULL;
}

struct loader *loader_start(int rate, int channels, int wake_fd)
{
	struct loader *l = xcalloc(1, sizeof *l);
	l->rate = rate;
	l->channels = channels;
	l->wake_fd = wake_fd;
	l->todo_tail = &l->todo;
	l->done_tail = &l->done;
	pthread_mutex_init(&l->lock, NULL);
	thread_cond_init(&l->cond);
	l->have_thread = thread_start(&l->thread, "lull-load", loader_main, l) == 0;
	return l;
}

void loader_prepare(struct loader *l, enum engine_sound_kind kind, const char *name)
{
	pthread_mutex_lock(&l->lock);
	struct ask *a = ask_once(l, kind, name);
	pthread_mutex_unlock(&l->lock);
	if (!a)
		return;
	struct engine_sound *s = load(l, a);
	pthread_mutex_lock(&l->lock);
	finish(l, s);
	pthread_mutex_unlock(&l->lock);
}

void loader_request(struct loader *l, enum engine_sound_kind kind, const char *name)
{
	if (!l->have_thread) {
		loader_prepare(l, kind, name);
		return;
	}
	pthread_mutex_lock(&l->lock);
	struct ask *a = ask_once(l, kind, name);
	if (a) {
		*l->todo_tail = a;
		l->todo_tail = &a->next_todo;
		pthread_cond_signal(&l->cond);
	}
	pthread_mutex_unlock(&l->lock);
}

struct engine_sound *loader_take(struct loader *l)
{
	pthread_mutex_lock(&l->lock);
	struct engine_sound *s = l->done;
	l->done = NULL;
	l->done_tail = &l->done;
	pthread_mutex_unlock(&l->lock);
	return s;
}

bool loader_stop(struct loader *l, int64_t deadline_ns)
{
	if (!l)
		return true;
	pthread_mutex_lock(&l->lock);
	l->stop = true;
	pthread_cond_broadcast(&l->cond);
	struct timespec dl = { .tv_sec = (time_t)(deadline_ns / 1000000000), .tv_nsec = (long)(deadline_ns % 1000000000) };
	while (l->have_thread && !l->finished)
		if (pthread_cond_timedwait(&l->cond, &l->lock, &dl) == ETIMEDOUT)
			break;
	bool done = !l->have_thread || l->finished;
	pthread_mutex_unlock(&l->lock);
	if (!done) {
		pthread_detach(l->thread);
		return false;
	}
	if (l->have_thread)
		pthread_join(l->thread, NULL);
	while (l->done) {
		struct engine_sound *s = l->done;
		l->done = s->next;
		engine_sound_free(s);
	}
	while (l->asked) {
		struct ask *a = l->asked;
		l->asked = a->next_asked;
		free(a);
	}
	pthread_mutex_destroy(&l->lock);
	pthread_cond_destroy(&l->cond);
	free(l);
	return true;
}
