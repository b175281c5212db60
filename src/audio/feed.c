/* SPDX-License-Identifier: ISC */
/* Decoded rings and their filler: see feed.h.
 *
 * Frame k of the stream sits at slot k % cap. The reader owns `rpos` and
 * `furthest` (the furthest frame read); the filler owns `wpos` and `ended`.
 * The filler never writes a frame that would overwrite one the reader may
 * still go back to: it stays below furthest - history + cap. The feeder's
 * mutex guards only its list and each feed's `doomed`; no decoding happens
 * under it. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "debuglog.h"
#include "feed.h"
#include "mixer.h"
#include "thread.h"
#include "track.h"
#include "util.h"

enum { DECODE = 1024 }; /* frames a decoding call */

struct feed {
	struct track *track;
	int channels;
	long cap, history, ahead, low; /* frames */
	short *ring;                   /* cap frames */
	float *tmp;                    /* DECODE frames, the filler's */
	_Atomic int64_t wpos;          /* the filler's: frames decoded */
	_Atomic bool ended;            /* the filler's: no more after wpos */
	char error[256];               /* set before ended, when it failed */
	bool failed;
	_Atomic int64_t rpos, furthest; /* the reader's */
	_Atomic bool asked;            /* the reader woke the feeder; it has not filled yet */
	unsigned long short_reads;
	/* The feeder's, under its lock. */
	struct feeder *feeder;
	struct feed *next;
	bool doomed;                   /* freed once its decode ends */
};

struct feeder {
	pthread_mutex_t lock;
	pthread_cond_t cond;           /* a feed was asked for or added, or stop */
	struct feed *feeds;
	struct feed *busy;             /* being decoded, lock released */
	bool stop, finished;
	pthread_t thread;
};

struct feed *feed_new(struct track *t, int rate, int channels)
{
	struct feed *f = xcalloc(1, sizeof *f);
	f->track = t;
	f->channels = channels;
	f->history = (long)(FEED_HISTORY_S * rate);
	f->ahead = (long)(FEED_AHEAD_S * rate);
	f->low = (long)(FEED_LOW_S * rate);
	f->cap = f->history + f->ahead + DECODE;
	f->ring = xmalloc(sizeof *f->ring * (size_t)f->cap * (size_t)channels);
	f->tmp = xmalloc(sizeof *f->tmp * DECODE * (size_t)channels);
	return f;
}

/* Samples are kept as libsndfile scales 16-bit ones (1 / 32768): a 16-bit
 * file (every built-in sound) goes through the ring unchanged, bit for bit;
 * anything finer is rounded to 16 bits, as the device will anyway. */
#define RING_SCALE 32768.0f

/* The filler: decodes until `ahead` frames lie past the furthest read, the
 * ring is full, or the track ends. */
static void fill(struct feed *f)
{
	if (atomic_load(&f->ended))
		return;
	for (;;) {
		int64_t w = atomic_load_explicit(&f->wpos, memory_order_relaxed);
		int64_t far = atomic_load_explicit(&f->furthest, memory_order_acquire);
		int64_t limit = far - f->history + f->cap; /* frames below it may be written */
		long room = (long)(limit - w);
		if (w - far >= f->ahead || room <= 0)
			return;
		long want = room < DECODE ? room : DECODE;
		long got = track_read(f->track, f->tmp, want);
		if (got <= 0) {
			if (got < 0) {
				str_copy(f->error, track_error(f->track), sizeof f->error);
				f->failed = true;
			}
			atomic_store_explicit(&f->ended, true, memory_order_release);
			return;
		}
		long slot = (long)(w % f->cap), first = got < f->cap - slot ? got : f->cap - slot;
		mixer_to_s16_scaled(f->ring + slot * f->channels, f->tmp, first * f->channels, RING_SCALE);
		if (got > first)
			mixer_to_s16_scaled(f->ring, f->tmp + first * f->channels, (got - first) * f->channels, RING_SCALE);
		atomic_store_explicit(&f->wpos, w + got, memory_order_release);
	}
}

void feed_fill(struct feed *f)
{
	fill(f);
}

static void ask_feeder(struct feed *f)
{
	if (atomic_exchange(&f->asked, true))
		return;
	struct feeder *d = f->feeder;
	pthread_mutex_lock(&d->lock);
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

long feed_read(struct feed *f, float *out, long n)
{
	int64_t r = atomic_load_explicit(&f->rpos, memory_order_relaxed);
	int64_t w = atomic_load_explicit(&f->wpos, memory_order_acquire);
	if (!f->feeder && w - r < n) {
		fill(f);
		w = atomic_load_explicit(&f->wpos, memory_order_acquire);
	}
	long k = w - r < n ? (long)(w - r) : n;
	for (long done = 0; done < k;) {
		long slot = (long)((r + done) % f->cap), run = k - done < f->cap - slot ? k - done : f->cap - slot;
		mixer_from_s16(out + done * f->channels, f->ring + slot * f->channels, run * f->channels, 1.0f / RING_SCALE);
		done += run;
	}
	r += k;
	atomic_store_explicit(&f->rpos, r, memory_order_relaxed);
	if (r > atomic_load_explicit(&f->furthest, memory_order_relaxed))
		atomic_store_explicit(&f->furthest, r, memory_order_release);
	bool ended = atomic_load_explicit(&f->ended, memory_order_acquire);
	if (k < n && !ended && f->feeder)
		f->short_reads++;
	if (f->feeder && !ended && w - r < f->low)
		ask_feeder(f);
	if (k == 0 && ended && f->failed)
		return -1;
	return k;
}

int64_t feed_tell(const struct feed *f)
{
	return atomic_load_explicit(&f->rpos, memory_order_relaxed);
}

bool feed_can_seek(const struct feed *f, int64_t pos)
{
	int64_t far = atomic_load_explicit(&f->furthest, memory_order_relaxed);
	int64_t w = atomic_load_explicit(&f->wpos, memory_order_acquire);
	return pos >= 0 && pos >= far - f->history && pos <= w;
}

bool feed_seek(struct feed *f, int64_t pos)
{
	if (!feed_can_seek(f, pos))
		return false;
	atomic_store_explicit(&f->rpos, pos, memory_order_relaxed);
	return true;
}

const char *feed_error(const struct feed *f)
{
	return f->error;
}

unsigned long feed_short_reads(const struct feed *f)
{
	return f->short_reads;
}

static void unlink_feed(struct feeder *d, struct feed *f);

static void feed_destroy(struct feed *f)
{
	track_close(f->track);
	free(f->ring);
	free(f->tmp);
	free(f);
}

void feed_free(struct feed *f)
{
	if (!f)
		return;
	struct feeder *d = f->feeder;
	if (d) {
		pthread_mutex_lock(&d->lock);
		if (d->busy == f) { /* the feeder frees it when its decode ends */
			f->doomed = true;
			pthread_mutex_unlock(&d->lock);
			return;
		}
		unlink_feed(d, f);
		pthread_mutex_unlock(&d->lock);
	}
	feed_destroy(f);
}

/* ---------------------------------------------------------------- feeder */
static void unlink_feed(struct feeder *d, struct feed *f)
{
	for (struct feed **p = &d->feeds; *p; p = &(*p)->next)
		if (*p == f) {
			*p = f->next;
			return;
		}
}

static void *feeder_main(void *arg)
{
	struct feeder *d = arg;
	pthread_mutex_lock(&d->lock);
	while (!d->stop) {
		bool asked = false;
		for (struct feed *f = d->feeds; f; f = f->next)
			if (atomic_load(&f->asked))
				asked = true;
		if (!asked) {
			pthread_cond_wait(&d->cond, &d->lock);
			continue;
		}
		/* Every feed is topped up in one wake-up: beds read at the same
		 * pace then ask together. A feed being decoded is never
		 * unlinked (feed_free dooms it instead), so its `next` is
		 * current once the lock is taken again. */
		struct feed *next;
		for (struct feed *f = d->feeds; f && !d->stop; f = next) {
			d->busy = f;
			pthread_mutex_unlock(&d->lock);
			atomic_store(&f->asked, false);
			int64_t t0 = debug_enabled() ? clock_mono_ns() : 0, w0 = atomic_load(&f->wpos);
			fill(f);
			if (debug_enabled() && atomic_load(&f->wpos) > w0)
				debug_log("decoded %lld frames ahead in %.2f ms", (long long)(atomic_load(&f->wpos) - w0),
				          (double)(clock_mono_ns() - t0) / 1e6);
			pthread_mutex_lock(&d->lock);
			d->busy = NULL;
			next = f->next;
			if (f->doomed) { /* freed while it was decoded: now it goes */
				unlink_feed(d, f);
				feed_destroy(f);
			}
		}
	}
	d->finished = true;
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

struct feeder *feeder_start(void)
{
	struct feeder *d = xcalloc(1, sizeof *d);
	pthread_mutex_init(&d->lock, NULL);
	thread_cond_init(&d->cond);
	if (thread_start(&d->thread, "lull-feed", feeder_main, d) != 0) {
		pthread_mutex_destroy(&d->lock);
		pthread_cond_destroy(&d->cond);
		free(d);
		return NULL;
	}
	return d;
}

void feeder_add(struct feeder *d, struct feed *f)
{
	if (!d || f->feeder)
		return;
	pthread_mutex_lock(&d->lock);
	f->feeder = d;
	f->next = d->feeds;
	d->feeds = f;
	atomic_store(&f->asked, true);
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

bool feeder_stop(struct feeder *d, int64_t deadline_ns)
{
	if (!d)
		return true;
	struct timespec dl = { .tv_sec = (time_t)(deadline_ns / 1000000000), .tv_nsec = (long)(deadline_ns % 1000000000) };
	pthread_mutex_lock(&d->lock);
	d->stop = true;
	pthread_cond_broadcast(&d->cond);
	while (!d->finished)
		if (pthread_cond_timedwait(&d->cond, &d->lock, &dl) == ETIMEDOUT)
			break;
	bool done = d->finished;
	if (done) /* the feeds left are their owners' to free, on no feeder */
		for (struct feed *f = d->feeds; f; f = f->next)
			f->feeder = NULL;
	pthread_mutex_unlock(&d->lock);
	if (!done) {
		pthread_detach(d->thread);
		return false;
	}
	pthread_join(d->thread, NULL);
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->cond);
	free(d);
	return true;
}
