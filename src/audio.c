/* The audio engine as a thread. The thread owns the output (libao's init,
 * open, play and close all happen on it) and the engine; the UI talks to it
 * through a small command queue and reads a snapshot, each under its own
 * mutex, never both at once. Neither side waits on the other for longer than
 * a queue operation, except audio_start (waits for the device to open, so
 * library chatter happens before curses) and audio_stop (joins with a limit).
 *
 * Latency: blocks of 256 frames (5.3 ms at 48 kHz) and a device buffer of
 * 20 ms (LULL_AUDIO_BUFFER_MS) keep a cue within ~30 ms of its call. File
 * drivers (wav, raw) are paced against CLOCK_MONOTONIC as if they were a
 * device, so sample positions in the file match the calls' times. */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audio.h"
#include "engine.h"
#include "output.h"
#include "util.h"

enum { QSIZE = 64, MAX_CHUNK = 2048, RATE = 48000, CHANNELS = 2 };
#define QUIT_FADE_S 0.08

/* Engines whose thread was stuck in the device at audio_stop (UI thread). */
static struct audio *abandoned;

struct audio {
	/* Set before the thread starts; read-only afterwards. */
	struct audio_options opt;
	char *driver, *output;
	struct audio *next_abandoned; /* see audio_stop() */
	double scale;
	int buffer_ms;
	long chunk;                 /* frames per write */
	int wake[2];
	bool have_thread;
	pthread_t thread;

	/* The queue and the thread's life: guarded by qlock. */
	pthread_mutex_t qlock;
	pthread_cond_t qcond;       /* open_state and finished changes */
	struct audio_cmd q[QSIZE];
	unsigned qhead, qlen;
	int open_state;             /* 0 opening, 1 open, -1 failed */
	bool finished;

	/* What the UI sees: guarded by slock. */
	pthread_mutex_t slock;
	struct audio_snapshot snap;
};

/* ------------------------------------------------------------ small helpers */
static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	struct timespec ts = { .tv_sec = (time_t)t, .tv_nsec = (long)((t - (double)(time_t)t) * 1e9) };
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static void wake_ui(struct audio *a)
{
	if (a->wake[1] >= 0) {
		ssize_t r = write(a->wake[1], "", 1); /* full pipe: the UI is awake anyway */
		(void)r;
	}
}

/* Hands the thread's view to the UI. A message goes out once: the thread
 * forgets it after publishing, the UI's audio_snapshot() clears it after
 * reading. */
static void publish(struct audio *a, struct audio_snapshot *s)
{
	pthread_mutex_lock(&a->slock);
	char keep[sizeof a->snap.message];
	str_copy(keep, a->snap.message, sizeof keep);
	a->snap = *s;
	if (!s->message[0]) /* an unread message stays until read */
		str_copy(a->snap.message, keep, sizeof a->snap.message);
	pthread_mutex_unlock(&a->slock);
	s->message[0] = '\0';
	wake_ui(a);
}

/* Never blocks beyond the lock: a full queue drops the command (64 pending
 * commands means the thread is gone or stuck; sound is not worth a hang). */
static void post(struct audio *a, const struct audio_cmd *c)
{
	if (!a->have_thread)
		return;
	pthread_mutex_lock(&a->qlock);
	if (a->qlen < QSIZE && !a->finished) {
		a->q[(a->qhead + a->qlen) % QSIZE] = *c;
		a->qlen++;
	}
	pthread_mutex_unlock(&a->qlock);
}

static unsigned take_all(struct audio *a, struct audio_cmd *out)
{
	pthread_mutex_lock(&a->qlock);
	unsigned n = a->qlen;
	for (unsigned i = 0; i < n; i++)
		out[i] = a->q[(a->qhead + i) % QSIZE];
	a->qhead = (a->qhead + n) % QSIZE;
	a->qlen = 0;
	pthread_mutex_unlock(&a->qlock);
	return n;
}

static void set_open_state(struct audio *a, int state)
{
	pthread_mutex_lock(&a->qlock);
	a->open_state = state;
	pthread_cond_broadcast(&a->qcond);
	pthread_mutex_unlock(&a->qlock);
}

/* ------------------------------------------------------------- the thread */
/* Sound must not starve when the machine is busy: ask for a modest real-time
 * priority (allowed for root, or with an RLIMIT_RTPRIO as audio groups give;
 * the thread blocks on the device every few milliseconds, so it cannot hog a
 * core). Without it, stay as we are. */
static void raise_priority(void)
{
	struct sched_param sp = { .sched_priority = 5 };
	if (getenv("LULL_AUDIO_NO_RT"))
		return;
	pthread_setschedparam(pthread_self(), SCHED_RR, &sp);
}

static void *audio_main(void *arg)
{
	struct audio *a = arg;
	raise_priority();
	struct audio_snapshot snap;
	pthread_mutex_lock(&a->slock);
	snap = a->snap;
	pthread_mutex_unlock(&a->slock);

	char err[128];
	struct output_spec spec = { .driver = a->driver, .file = a->output, .rate = RATE,
	                            .channels = CHANNELS, .buffer_ms = a->buffer_ms };
	struct output *out = output_open(&spec, err, sizeof err);
	if (!out) {
		snap.silent = true;
		snprintf(snap.message, sizeof snap.message, "no sound: %s; lull runs silent", err);
		publish(a, &snap);
		set_open_state(a, -1);
		goto done;
	}
	struct engine_cfg cfg = { .rate = RATE, .channels = CHANNELS, .volume = a->opt.volume,
	                          .cues = a->opt.cues, .follow = a->opt.follow };
	struct engine *eng = engine_new(&cfg);
	bool file = output_is_file(out);
	double t0 = now_s();
	set_open_state(a, 1);

	static_assert(MAX_CHUNK * CHANNELS * sizeof(float) <= 16384, "stack");
	float buf[MAX_CHUNK * CHANNELS];
	const long CHUNK = a->chunk;
	struct audio_cmd cmds[QSIZE];
	long long written = 0;
	long quit_left = -1; /* frames of the closing fade still to play */
	for (;;) {
		unsigned n = take_all(a, cmds);
		for (unsigned i = 0; i < n; i++) {
			if (cmds[i].kind == ACMD_QUIT && quit_left < 0) {
				struct audio_cmd f = { .kind = ACMD_VOLUME, .value = 0, .fade_s = QUIT_FADE_S };
				engine_apply(eng, &f);
				quit_left = (long)(QUIT_FADE_S * RATE) + CHUNK;
			} else if (quit_left < 0) {
				engine_apply(eng, &cmds[i]);
			}
		}
		engine_render(eng, buf, CHUNK);
		if (output_write(out, buf, CHUNK) != 0) {
			snap.silent = true;
			snprintf(snap.message, sizeof snap.message, "sound stopped: the %s device failed; lull runs silent",
			         output_name(out));
			publish(a, &snap);
			break;
		}
		written += CHUNK;
		double due = t0 + (double)written / RATE;
		if (file) {
			sleep_until(due);
		} else {
			/* The device plays in real time: if the clock has run ahead
			 * of what was written, the device ran dry. */
			double t = now_s();
			if (t > due + 0.010) {
				snap.underruns++;
				t0 = t - (double)written / RATE;
				publish(a, &snap);
			}
		}
		bool changed = false;
		if (engine_take_message(eng, snap.message, sizeof snap.message))
			changed = true;
		if (engine_volume(eng) != snap.volume || engine_muted(eng) != snap.muted) {
			snap.volume = engine_volume(eng);
			snap.muted = engine_muted(eng);
			changed = true;
		}
		if (changed)
			publish(a, &snap);
		if (quit_left >= 0 && (quit_left -= CHUNK) <= 0)
			break;
	}
	engine_free(eng);
	output_close(out); /* may wait for a drain: audio_stop does not wait for it */
done:
	pthread_mutex_lock(&a->qlock);
	a->finished = true;
	pthread_cond_broadcast(&a->qcond);
	pthread_mutex_unlock(&a->qlock);
	return NULL;
}

/* ------------------------------------------------------------------ API */
bool audio_wanted(int setting, char *why, size_t whysize)
{
	if (whysize)
		why[0] = '\0';
	if (setting == 0) {
		snprintf(why, whysize, "sound is off");
		return false;
	}
	if (setting > 0)
		return true;
	const char *ssh = getenv("SSH_CONNECTION"), *pulse = getenv("PULSE_SERVER");
	if (ssh && *ssh && !(pulse && *pulse)) {
		/* It would play on the remote machine's speakers. */
		snprintf(why, whysize, "Sound is off over SSH; --audio or PULSE_SERVER turns it on");
		return false;
	}
	return true;
}

static void abs_deadline(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

struct audio *audio_start(const struct audio_options *opt)
{
	struct audio *a = xcalloc(1, sizeof *a);
	if (opt)
		a->opt = *opt;
	a->driver = xstrdup(opt && opt->driver ? opt->driver : "");
	a->output = opt && opt->output ? xstrdup(opt->output) : NULL;
	a->opt.driver = a->driver;
	a->opt.output = a->output;
	/* Session seconds to real seconds: the session passes its scale; left at
	 * 0, LULL_TIME_SCALE is read here so that tests speed sound up too. */
	a->scale = opt && opt->time_scale > 0 ? opt->time_scale : 1;
	const char *ts = getenv("LULL_TIME_SCALE");
	if ((!opt || opt->time_scale <= 0) && ts && atof(ts) > 0)
		a->scale = atof(ts);
	const char *bms = getenv("LULL_AUDIO_BUFFER_MS");
	a->buffer_ms = bms && atoi(bms) > 0 ? atoi(bms) : 20;
	const char *ch = getenv("LULL_AUDIO_CHUNK");
	a->chunk = ch && atol(ch) >= 64 && atol(ch) <= MAX_CHUNK ? atol(ch) : 256;
	a->wake[0] = a->wake[1] = -1;
	a->snap.volume = a->opt.volume;
	a->snap.silent = true;
	pthread_mutex_init(&a->slock, NULL);
	pthread_mutex_init(&a->qlock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&a->qcond, &ca);
	pthread_condattr_destroy(&ca);
	if (!opt || !opt->enabled)
		return a;
	if (pipe(a->wake) != 0) {
		a->wake[0] = a->wake[1] = -1;
	} else {
		for (int i = 0; i < 2; i++) {
			fcntl(a->wake[i], F_SETFL, fcntl(a->wake[i], F_GETFL) | O_NONBLOCK);
			fcntl(a->wake[i], F_SETFD, FD_CLOEXEC);
		}
	}
	a->snap.silent = false;
	if (pthread_create(&a->thread, NULL, audio_main, a) != 0) {
		a->snap.silent = true;
		str_copy(a->snap.message, "no sound: cannot start the audio thread; lull runs silent",
		         sizeof a->snap.message);
		return a;
	}
	a->have_thread = true;
	/* Wait for the device to open (or fail), so that whatever the audio
	 * libraries print happens now, while stderr is captured and before
	 * curses; a server that does not answer in 3 s is not waited for. */
	struct timespec dl;
	abs_deadline(&dl, 3000);
	pthread_mutex_lock(&a->qlock);
	while (a->open_state == 0)
		if (pthread_cond_timedwait(&a->qcond, &a->qlock, &dl) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&a->qlock);
	return a;
}

int audio_wake_fd(struct audio *a)
{
	return a->wake[0];
}

void audio_snapshot(struct audio *a, struct audio_snapshot *out)
{
	pthread_mutex_lock(&a->slock);
	*out = a->snap;
	a->snap.message[0] = '\0'; /* a message is shown once */
	pthread_mutex_unlock(&a->slock);
}

static void post_named(struct audio *a, enum audio_cmd_kind k, const char *name, float v, double fade_s)
{
	struct audio_cmd c = { .kind = k, .value = v, .fade_s = fade_s / a->scale };
	if (name)
		str_copy(c.name, name, sizeof c.name);
	post(a, &c);
}

void audio_layer_on(struct audio *a, const char *name, float volume, double fade_s)
{
	post_named(a, ACMD_LAYER_ON, name, volume, fade_s);
}

void audio_layer_off(struct audio *a, const char *name, double fade_s)
{
	post_named(a, ACMD_LAYER_OFF, name, 0, fade_s);
}

void audio_set_volume(struct audio *a, float volume, double fade_s)
{
	if (!a->have_thread) {
		pthread_mutex_lock(&a->slock);
		a->snap.volume = volume;
		pthread_mutex_unlock(&a->slock);
	}
	post_named(a, ACMD_VOLUME, NULL, volume, fade_s);
}

void audio_volume_step(struct audio *a, int direction)
{
	post_named(a, ACMD_VOLUME_STEP, NULL, direction > 0 ? 1.0f : -1.0f, 0);
}

void audio_toggle_mute(struct audio *a)
{
	if (!a->have_thread) {
		pthread_mutex_lock(&a->slock);
		a->snap.muted = !a->snap.muted;
		pthread_mutex_unlock(&a->slock);
	}
	post_named(a, ACMD_MUTE, NULL, 0, 0);
}

void audio_fade_out(struct audio *a, double fade_s)
{
	post_named(a, ACMD_FADE_OUT, NULL, 0, fade_s);
}

void audio_cue(struct audio *a, const char *name)
{
	post_named(a, ACMD_CUE, name ? name : "", 0, 0);
}

void audio_breath(struct audio *a, int pace_phase, double phase_s)
{
	struct audio_cmd c = { .kind = ACMD_BREATH, .phase = pace_phase, .fade_s = phase_s / a->scale };
	post(a, &c);
}

void audio_pause(struct audio *a, bool paused)
{
	/* Pause fades are for the ear, not session time: never scaled. */
	struct audio_cmd c = { .kind = ACMD_PAUSE, .value = paused ? 1 : 0 };
	post(a, &c);
}

static void audio_free(struct audio *a)
{
	for (int i = 0; i < 2; i++)
		if (a->wake[i] >= 0)
			close(a->wake[i]);
	pthread_mutex_destroy(&a->slock);
	pthread_mutex_destroy(&a->qlock);
	pthread_cond_destroy(&a->qcond);
	free(a->driver);
	free(a->output);
	free(a);
}

void audio_stop(struct audio *a, int timeout_ms)
{
	if (!a)
		return;
	if (!a->have_thread) {
		audio_free(a);
		return;
	}
	struct audio_cmd q = { .kind = ACMD_QUIT };
	pthread_mutex_lock(&a->qlock);
	if (a->qlen < QSIZE) { /* QUIT must get through: drop the oldest if full */
		a->q[(a->qhead + a->qlen) % QSIZE] = q;
		a->qlen++;
	} else {
		a->q[(a->qhead + a->qlen - 1) % QSIZE] = q;
	}
	struct timespec dl;
	abs_deadline(&dl, timeout_ms > 0 ? timeout_ms : 0);
	while (!a->finished)
		if (pthread_cond_timedwait(&a->qcond, &a->qlock, &dl) == ETIMEDOUT)
			break;
	bool done = a->finished;
	pthread_mutex_unlock(&a->qlock);
	if (done) {
		pthread_join(a->thread, NULL);
		audio_free(a);
	} else {
		/* Stuck in the device (a close that drains forever): leave it to
		 * the process's exit rather than wait. Its memory stays valid:
		 * kept on a list, so that it is reachable (and not reported as a
		 * leak) for as long as the thread may still use it. */
		pthread_detach(a->thread);
		a->next_abandoned = abandoned;
		abandoned = a;
	}
}
