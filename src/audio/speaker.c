/* SPDX-License-Identifier: ISC */
/* The voice worker: see speaker.h. One mutex guards what the threads share
 * (the lists, the counters, the flags); the voice and the clips are the
 * worker's alone, and nothing slow happens under the lock. The worker
 * sleeps in poll() on its wake-up pipe and the synthesiser's replies. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "debuglog.h"
#include "speaker.h"
#include "sysdep.h"
#include "thread.h"
#include "util.h"

/* Decoded PCM of one text (or recording), shared by every item of it: a
 * breath word is decoded once for the whole session. */
struct clip {
	char *text;          /* or the recording's name, with from_recording */
	bool from_recording;
	short *pcm;
	long frames;
	int refs;            /* items made of it and not yet back */
	struct clip *next;
};
#define CLIP_KEEP_FRAMES_S 2 /* clips this short stay decoded when unused, */
#define CLIPS_KEPT_BYTES (256L * 1024) /* so many of them */

struct line {
	char *text, *recording;
	pace_us at;
	bool breath;
	float level_db;
};

struct aside {
	char *text;
	size_t id;
	struct aside *next;
};

struct speaker {
	struct voice *voice;   /* the worker's */
	int rate;
	struct line *lines;
	size_t nlines;
	struct clip *clips;    /* the worker's */
	char last_note[160];   /* the worker's: a note is said once, not at every line */
	bool threaded;
	pthread_t thread;
	int wake[2];

	pthread_mutex_t lock;
	pthread_cond_t ready_cond;  /* `next` moved (for speaker_wait_ready) */
	size_t next;                /* the next plan line to make */
	size_t reached;             /* lines below it are past */
	struct engine_speech *ready, **ready_tail;
	struct engine_speech *back; /* given back, to free */
	struct aside *asides, **asides_tail;
	size_t naside;
	long out_bytes;             /* PCM of items made and not yet back */
	int out_items;
	int notify_fd;              /* a byte when an aside is ready; -1 */
	bool stop, finished;
};

static void wake(struct speaker *s)
{
	if (s->wake[1] >= 0)
		(void)!write(s->wake[1], "", 1); /* a full pipe: it is awake already */
}

/* --- clips (the worker's) ------------------------------------------------ */

static struct clip *clip_find(struct speaker *s, const char *text, bool rec)
{
	for (struct clip *c = s->clips; c; c = c->next)
		if (c->from_recording == rec && strcmp(c->text, text) == 0)
			return c;
	return NULL;
}

static struct clip *clip_add(struct speaker *s, const char *text, bool rec, short *pcm, long frames)
{
	struct clip *c = xcalloc(1, sizeof *c);
	c->text = xstrdup(text);
	c->from_recording = rec;
	c->pcm = pcm;
	c->frames = frames;
	c->next = s->clips;
	s->clips = c;
	return c;
}

/* Frees the clips no item holds, but for a few short ones (breath words,
 * short lines said again). */
static void clip_free(struct clip *c)
{
	free(c->text);
	voice_pcm_free(c->pcm, c->frames);
	free(c);
}

static void clips_trim(struct speaker *s)
{
	long kept = 0;
	for (struct clip **pc = &s->clips; *pc;) {
		struct clip *c = *pc;
		long bytes = c->frames * (long)sizeof(short);
		bool keep = c->refs > 0 || (c->frames < (long)CLIP_KEEP_FRAMES_S * s->rate &&
					    kept + bytes <= CLIPS_KEPT_BYTES);
		if (keep) {
			if (c->refs == 0)
				kept += bytes;
			pc = &c->next;
			continue;
		}
		*pc = c->next;
		clip_free(c);
	}
}

static void item_free(struct speaker *s, struct engine_speech *it)
{
	struct clip *c = it->clip;
	if (c)
		c->refs--;
	free(it);
}

/* --- making a line (the worker, or render's caller) -------------------- */

/* A recording that is missing is said once, and the voice says the line. */
static struct clip *recording_clip(struct speaker *s, const char *name, char *note, size_t notesize)
{
	struct clip *c = clip_find(s, name, true);
	if (c)
		return c->pcm ? c : NULL;
	long frames = 0;
	char err[120];
	short *pcm = voice_load_recording(name, s->rate, &frames, err, sizeof err);
	c = clip_add(s, name, true, pcm, frames); /* also when missing: said once */
	if (!pcm) {
		snprintf(note, notesize, "%s; the voice says the line instead", err);
		return NULL;
	}
	return c;
}

/* The clip of a text, if the voice has made it (or, wait: until it has);
 * NULL with a note when it cannot be said, NULL and "" when not made yet. */
static struct clip *voice_clip(struct speaker *s, const char *text, bool wait_for_it, char *note, size_t notesize)
{
	struct clip *c = clip_find(s, text, false);
	if (c)
		return c;
	char err[200] = "";
	enum voice_state st = wait_for_it ? voice_wait(s->voice, text, 0, err, sizeof err)
	                                  : voice_state(s->voice, text);
	if (st == VOICE_UNASKED) {
		voice_ask(s->voice, text, false);
		st = voice_state(s->voice, text);
	}
	if (st == VOICE_FAILED) {
		snprintf(note, notesize, "%s", err[0] ? err : voice_error(s->voice) ? voice_error(s->voice)
		                                                                    : "voice: this line cannot be said");
		return NULL;
	}
	if (st != VOICE_READY)
		return NULL;
	long frames;
	short *pcm = voice_load(s->voice, text, s->rate, &frames, err, sizeof err);
	if (!pcm) { /* damaged in the cache: made again, once */
		if (voice_wait(s->voice, text, 0, err, sizeof err) == VOICE_READY)
			pcm = voice_load(s->voice, text, s->rate, &frames, err, sizeof err);
		if (!pcm) {
			snprintf(note, notesize, "voice: %s", err);
			return NULL;
		}
	}
	return clip_add(s, text, false, pcm, frames);
}

/* The item for a line: its clip, or an empty item with the note why not;
 * NULL while the voice is still making it (and not wait_for_it). */
static struct engine_speech *make_item(struct speaker *s, size_t id, const char *text, const char *recording,
				       bool breath, bool wait_for_it)
{
	struct engine_speech *it = xcalloc(1, sizeof *it);
	it->line = id;
	it->breath = breath;
	struct clip *c = recording ? recording_clip(s, recording, it->note, sizeof it->note) : NULL;
	if (!c) {
		char note[sizeof it->note] = "";
		c = voice_clip(s, text, wait_for_it, note, sizeof note);
		if (!c && !note[0] && !it->note[0]) {
			free(it);
			return NULL; /* on its way */
		}
		if (note[0])
			str_copy(it->note, note, sizeof it->note);
	}
	if (c) {
		c->refs++;
		it->clip = c;
		it->pcm = c->pcm;
		it->frames = c->frames;
	}
	if (it->note[0] && strcmp(it->note, s->last_note) == 0)
		it->note[0] = '\0';
	else if (it->note[0])
		str_copy(s->last_note, it->note, sizeof s->last_note);
	if (!it->note[0]) /* the cache refused, said once */
		voice_take_notice(s->voice, it->note, sizeof it->note);
	return it;
}

/* --- the worker ---------------------------------------------------------- */

static void publish(struct speaker *s, struct engine_speech *it)
{
	it->next = NULL;
	*s->ready_tail = it;
	s->ready_tail = &it->next;
	s->out_bytes += it->frames * (long)sizeof(short);
	s->out_items++;
	if (it->line >= ENGINE_SPEECH_ASIDE && s->notify_fd >= 0) /* wanted now: the audio thread is woken */
		(void)!write(s->notify_fd, "", 1); /* a full pipe: it is being woken anyway */
}

void speaker_notify(struct speaker *s, int fd)
{
	pthread_mutex_lock(&s->lock);
	s->notify_fd = fd;
	pthread_mutex_unlock(&s->lock);
}

/* With the lock held: frees what came back. */
static void take_back(struct speaker *s)
{
	while (s->back) {
		struct engine_speech *it = s->back;
		s->back = it->next;
		s->out_bytes -= it->frames * (long)sizeof(short);
		s->out_items--;
		item_free(s, it);
	}
}

/* With the lock held: makes what can be made now (releasing the lock for
 * the slow parts). True when something was made. */
static bool work(struct speaker *s)
{
	bool made = false;
	while (!s->stop) {
		take_back(s);
		if (s->asides) { /* asides first: they are spoken now */
			struct aside *a = s->asides;
			pthread_mutex_unlock(&s->lock);
			voice_ask(s->voice, a->text, true); /* before the plan's lines still waiting */
			struct engine_speech *it = make_item(s, a->id, a->text, NULL, false, false);
			pthread_mutex_lock(&s->lock);
			if (!it)
				break; /* on its way: wait for the synthesiser */
			s->asides = a->next;
			if (!s->asides)
				s->asides_tail = &s->asides;
			free(a->text);
			free(a);
			publish(s, it);
			made = true;
			continue;
		}
		if (s->next < s->reached)
			s->next = s->reached;
		/* Two lines at least, whatever their size: the one speaking and
		 * the next, which must be there a buffer before the first ends. */
		if (s->next >= s->nlines || s->out_items >= SPEAKER_AHEAD ||
		    (s->out_items >= 2 && s->out_bytes >= SPEAKER_BUDGET))
			break;
		size_t k = s->next;
		const struct line *l = &s->lines[k];
		pthread_mutex_unlock(&s->lock);
		struct engine_speech *it = make_item(s, k, l->text, l->recording, l->breath, false);
		pthread_mutex_lock(&s->lock);
		if (!it)
			break;
		it->level_db = l->level_db;
		if (s->next == k) { /* not passed meanwhile */
			publish(s, it);
			s->next++;
			pthread_cond_broadcast(&s->ready_cond);
			made = true;
		} else {
			item_free(s, it);
		}
	}
	pthread_mutex_unlock(&s->lock);
	clips_trim(s);
	pthread_mutex_lock(&s->lock);
	return made;
}

/* Every line asked for at once, in order of time: the synthesiser works
 * through them while the first are played. */
static void ask_all(struct speaker *s)
{
	for (size_t i = 0; i < s->nlines; i++)
		if (!s->lines[i].recording)
			voice_ask(s->voice, s->lines[i].text, false);
}

static void *speaker_main(void *arg)
{
	struct speaker *s = arg;
	int64_t t0 = clock_mono_ns();
	ask_all(s);
	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		work(s);
		/* Said as the last line is made, not at the worker's next wake
		 * (up to a poll timeout later, which reads as a slow voice). */
		if (debug_enabled() && s->next == s->nlines && t0) {
			debug_log("voice: all %zu lines made ready in %.0f ms", s->nlines,
			          (double)(clock_mono_ns() - t0) / 1e6);
			t0 = 0;
		}
		if (s->stop)
			break;
		pthread_mutex_unlock(&s->lock);
		short ev;
		int out_fd;
		int fd = voice_poll_fd(s->voice, &ev, &out_fd);
		struct pollfd p[3] = { { s->wake[0], POLLIN, 0 }, { fd, ev, 0 }, { out_fd, POLLOUT, 0 } };
		if (poll(p, 3, voice_timeout_ms(s->voice)) < 0 && errno != EINTR)
			debug_log("voice worker: poll: %s", strerror(errno));
		char buf[64];
		while (read(s->wake[0], buf, sizeof buf) > 0)
			;
		voice_pump(s->voice);
		voice_rest(s->voice); /* everything asked for is made: the synthesiser goes */
		pthread_mutex_lock(&s->lock);
	}
	s->finished = true;
	pthread_cond_broadcast(&s->ready_cond);
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* --- the API ------------------------------------------------------------- */

struct speaker *speaker_start(const struct voice_cfg *cfg, const struct sp_line *lines, size_t n, int rate,
			      bool threaded)
{
	struct speaker *s = xcalloc(1, sizeof *s);
	s->voice = voice_new(cfg);
	s->rate = rate;
	s->lines = xcalloc(n ? n : 1, sizeof *s->lines);
	s->nlines = n;
	for (size_t i = 0; i < n; i++) {
		s->lines[i].text = xstrdup(lines[i].text);
		s->lines[i].recording = lines[i].recording ? xstrdup(lines[i].recording) : NULL;
		s->lines[i].at = lines[i].at;
		s->lines[i].breath = lines[i].breath;
		s->lines[i].level_db = lines[i].level_db;
	}
	s->ready_tail = &s->ready;
	s->asides_tail = &s->asides;
	s->wake[0] = s->wake[1] = -1;
	s->notify_fd = -1;
	pthread_mutex_init(&s->lock, NULL);
	thread_cond_init(&s->ready_cond);
	s->threaded = threaded;
	if (!threaded) {
		ask_all(s);
		return s;
	}
	if (sys_pipe(s->wake, true) != 0 || thread_start(&s->thread, "lull-voice", speaker_main, s) != 0) {
		s->threaded = false;
		speaker_stop(s, 0);
		return NULL;
	}
	return s;
}

bool speaker_wait_ready(struct speaker *s, pace_us before, int64_t deadline_ns)
{
	size_t need = 0;
	while (need < s->nlines && s->lines[need].at < before)
		need++;
	struct timespec dl = { .tv_sec = (time_t)(deadline_ns / 1000000000), .tv_nsec = (long)(deadline_ns % 1000000000) };
	pthread_mutex_lock(&s->lock);
	while (s->next < need && !s->finished)
		if (pthread_cond_timedwait(&s->ready_cond, &s->lock, &dl) == ETIMEDOUT)
			break;
	bool ready = s->next >= need;
	pthread_mutex_unlock(&s->lock);
	return ready;
}

size_t speaker_aside(struct speaker *s, const char *text)
{
	struct aside *a = xcalloc(1, sizeof *a);
	a->text = xstrdup(text);
	pthread_mutex_lock(&s->lock);
	a->id = ENGINE_SPEECH_ASIDE + s->naside++;
	size_t id = a->id;
	*s->asides_tail = a;
	s->asides_tail = &a->next;
	pthread_mutex_unlock(&s->lock);
	if (s->threaded) {
		/* Ahead of the plan's lines in the synthesiser's queue too. The
		 * voice is the worker's: it asks, woken here. */
		wake(s);
	}
	return id;
}

struct engine_speech *speaker_take(struct speaker *s)
{
	pthread_mutex_lock(&s->lock);
	struct engine_speech *list = s->ready;
	s->ready = NULL;
	s->ready_tail = &s->ready;
	pthread_mutex_unlock(&s->lock);
	return list;
}

void speaker_give_back(struct speaker *s, struct engine_speech *list)
{
	if (!list)
		return;
	pthread_mutex_lock(&s->lock);
	struct engine_speech *last = list;
	while (last->next)
		last = last->next;
	last->next = s->back;
	s->back = list;
	if (!s->threaded)
		take_back(s);
	pthread_mutex_unlock(&s->lock);
	if (s->threaded)
		wake(s);
	else
		clips_trim(s);
}

void speaker_reached(struct speaker *s, size_t line)
{
	pthread_mutex_lock(&s->lock);
	bool moved = line > s->reached;
	if (moved)
		s->reached = line;
	pthread_mutex_unlock(&s->lock);
	if (moved && s->threaded)
		wake(s);
}

struct engine_speech *speaker_get(struct speaker *s, size_t k)
{
	struct engine_speech *it;
	if (k >= ENGINE_SPEECH_ASIDE) {
		pthread_mutex_lock(&s->lock);
		struct aside **pa = &s->asides;
		while (*pa && (*pa)->id != k)
			pa = &(*pa)->next;
		struct aside *a = *pa;
		if (a) {
			*pa = a->next;
			if (!s->asides)
				s->asides_tail = &s->asides;
		}
		pthread_mutex_unlock(&s->lock);
		if (!a) {
			it = xcalloc(1, sizeof *it);
			it->line = k;
			return it;
		}
		it = make_item(s, k, a->text, NULL, false, true);
		free(a->text);
		free(a);
	} else {
		const struct line *l = &s->lines[k < s->nlines ? k : 0];
		it = make_item(s, k, l->text, l->recording, l->breath, true);
		it->level_db = l->level_db;
	}
	pthread_mutex_lock(&s->lock);
	s->out_bytes += it->frames * (long)sizeof(short);
	s->out_items++;
	pthread_mutex_unlock(&s->lock);
	return it;
}

bool speaker_stop(struct speaker *s, int64_t deadline_ns)
{
	if (!s)
		return true;
	if (s->threaded) {
		pthread_mutex_lock(&s->lock);
		s->stop = true;
		pthread_mutex_unlock(&s->lock);
		wake(s);
		struct timespec dl = { .tv_sec = (time_t)(deadline_ns / 1000000000),
		                       .tv_nsec = (long)(deadline_ns % 1000000000) };
		pthread_mutex_lock(&s->lock);
		while (!s->finished)
			if (pthread_cond_timedwait(&s->ready_cond, &s->lock, &dl) == ETIMEDOUT)
				break;
		bool done = s->finished;
		pthread_mutex_unlock(&s->lock);
		if (!done) {
			pthread_detach(s->thread);
			return false;
		}
		pthread_join(s->thread, NULL);
	}
	/* What the engine still holds was given back by now (the audio
	 * thread has stopped); what is ready was never taken. */
	pthread_mutex_lock(&s->lock);
	take_back(s);
	while (s->ready) {
		struct engine_speech *it = s->ready;
		s->ready = it->next;
		item_free(s, it);
	}
	pthread_mutex_unlock(&s->lock);
	while (s->clips) {
		struct clip *c = s->clips;
		s->clips = c->next;
		clip_free(c);
	}
	while (s->asides) {
		struct aside *a = s->asides;
		s->asides = a->next;
		free(a->text);
		free(a);
	}
	for (size_t i = 0; i < s->nlines; i++) {
		free(s->lines[i].text);
		free(s->lines[i].recording);
	}
	free(s->lines);
	voice_free(s->voice);
	for (int i = 0; i < 2; i++)
		if (s->wake[i] >= 0)
			close(s->wake[i]);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->ready_cond);
	free(s);
	return true;
}
