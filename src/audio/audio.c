/* The audio engine as a thread. The thread owns the output (libao's init,
 * open, play and close all happen on it) and the engine; the UI talks to it
 * through a small command queue and reads a snapshot, each under its own
 * mutex, never both at once. Neither side waits on the other for longer than
 * a queue operation, except audio_start (waits for the device to open, so
 * library chatter happens before curses) and audio_stop (joins with a limit).
 *
 * Timing: a live device is given a generous buffer (200 ms,
 * LULL_AUDIO_BUFFER_MS) and written 2048 frames at a time, because every
 * wake-up of a sound server costs CPU; what the buffer would cost in delay is
 * won back by scheduling: commands carry the CLOCK_MONOTONIC time they are to
 * be heard at, the play clock (playclock.c) says which frame that is, and the
 * thread starts them at that frame, mid-write if need be. The session posts
 * its sound events one lead time ahead (audio_lead_ns). Only the keys (volume,
 * mute, pause) take effect one buffer late. File drivers (wav, raw) are paced
 * against CLOCK_MONOTONIC as if they were a device with no buffer, so sample
 * positions in the file match the calls' times.
 *
 * Sounds: the thread opens and decodes nothing. A session prepares what it
 * will play before it starts (audio_prepare, on its own thread); anything
 * else is loaded by the loader's thread as its command is posted (loader.h),
 * and a command whose sound is not there yet waits for it, without holding
 * up anything but the commands that must come after it. */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audio.h"
#include "clock.h"
#include "debuglog.h"
#include "engine.h"
#include "loader.h"
#include "output.h"
#include "playclock.h"
#include "speaker.h"
#include "thread.h"
#include "util.h"

enum {
	QSIZE = 64,          /* commands in flight from the UI, QUIT's slot included */
	TIMED_MAX = 128,     /* scheduled commands waiting for their frame */
	LOADING_MAX = 64,    /* commands due, waiting for their sound to load */
	MAX_CHUNK = 2048,
	LIVE_CHUNK = 2048,   /* frames per write to a device (43 ms) */
	FILE_CHUNK = 256,    /* to a file: the granularity of AUDIO_NOW */
	RATE = 48000,
	CHANNELS = 2,
	DEFAULT_BUFFER_MS = 200,
};
#define QUIT_FADE_S 0.08
#define MEASURE_EVERY_NS 1000000000LL
#define SLOW_MIX_NS 2000000LL /* a mix this long is logged (a write is 5 or 43 ms) */

/* Engines whose thread was stuck in the device at audio_stop (UI thread). */
static struct audio *abandoned;

struct audio {
	/* Set before the thread starts; read-only afterwards. */
	struct audio_options opt;
	char *driver, *output;
	struct audio *next_abandoned; /* see audio_stop() */
	double scale;
	int buffer_ms;
	long chunk_env;             /* LULL_AUDIO_CHUNK, 0 if unset */
	int wake[2];
	bool have_thread;
	pthread_t thread;
	struct loader *loader;      /* NULL when silent from the start */

	/* The queue and the thread's life: guarded by qlock. */
	pthread_mutex_t qlock;
	pthread_cond_t qcond;       /* open_state and finished changes */
	struct audio_cmd q[QSIZE];
	unsigned qhead, qlen;
	int open_state;             /* 0 opening, 1 open, -1 failed */
	bool finished;
	int64_t lead_ns;            /* set once the device is open */
	struct speaker *speaker;    /* the voice worker, once started (the thread copies it) */

	/* The voice, the UI's: what the worker is started with (audio_voice). */
	struct voice_cfg voice_cfg;
	const struct sp_line *voice_lines;
	size_t voice_nlines;
	bool voice_given;

	/* What the UI sees: guarded by slock. */
	pthread_mutex_t slock;
	struct audio_snapshot snap;
};

/* ------------------------------------------------------------ small helpers */
static struct timespec timespec_of(int64_t ns)
{
	return (struct timespec){ .tv_sec = (time_t)(ns / 1000000000), .tv_nsec = (long)(ns % 1000000000) };
}

static void sleep_until_ns(int64_t t)
{
	struct timespec ts = timespec_of(t);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static void wake_ui(struct audio *a)
{
	if (a->wake[1] >= 0)
		(void)!write(a->wake[1], "", 1); /* full pipe: the UI is awake anyway */
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
	/* An unread message stays until read; a new one joins it. */
	str_copy(a->snap.message, keep, sizeof a->snap.message);
	str_join_message(a->snap.message, sizeof a->snap.message, s->message);
	pthread_mutex_unlock(&a->slock);
	s->message[0] = '\0';
	wake_ui(a);
}

/* Never blocks beyond the lock: a full queue drops the command (64 pending
 * commands means the thread is gone or stuck; sound is not worth a hang).
 * The last slot is QUIT's (audio_stop), so that it always gets through
 * without displacing anything. */
static void post(struct audio *a, const struct audio_cmd *c)
{
	if (!a->have_thread)
		return;
	pthread_mutex_lock(&a->qlock);
	bool queued = a->qlen < QSIZE - 1 && !a->finished;
	if (queued) {
		a->q[(a->qhead + a->qlen) % QSIZE] = *c;
		a->qlen++;
	}
	pthread_mutex_unlock(&a->qlock);
	/* A sound not prepared is loaded now, on the loader's thread: the
	 * command waits for it there (loader.h), most often not at all, as
	 * commands are posted one lead ahead. Asked for before: nothing. */
	enum engine_sound_kind kind;
	const char *name;
	if (queued && engine_cmd_sound(c, &kind, &name))
		loader_request(a->loader, kind, name);
}

static unsigned take_all(struct audio *a, struct audio_cmd *out, struct speaker **speaker)
{
	pthread_mutex_lock(&a->qlock);
	*speaker = a->speaker;
	unsigned n = a->qlen;
	for (unsigned i = 0; i < n; i++)
		out[i] = a->q[(a->qhead + i) % QSIZE];
	a->qhead = (a->qhead + n) % QSIZE;
	a->qlen = 0;
	pthread_mutex_unlock(&a->qlock);
	return n;
}

static void set_open_state(struct audio *a, int state, int64_t lead_ns)
{
	pthread_mutex_lock(&a->qlock);
	a->open_state = state;
	a->lead_ns = lead_ns;
	pthread_cond_broadcast(&a->qcond);
	pthread_mutex_unlock(&a->qlock);
}

/* ------------------------------------------------------------- the thread */
/* The thread runs at ordinary priority: the 200 ms buffer, not real-time
 * scheduling, is what keeps sound going on a busy machine (no underruns in
 * the benchmark with two busy-loop processes on both cores), and SCHED_RR
 * measured costlier (its wake-ups preempt: more CPU, in bigger swings). */

/* Commands waiting for their time, in order of it (equal times in the order
 * they came). `held` while paused: nothing scheduled starts, and on resume
 * everything waiting moves later by the length of the pause. */
struct timed_cmds {
	struct audio_cmd cmd[TIMED_MAX];
	unsigned n;
	bool held;
	int64_t held_since;
};

static void timed_add(struct timed_cmds *s, const struct audio_cmd *c)
{
	if (s->n == TIMED_MAX) /* hundreds of cues ahead: only absurd time scales */
		return;
	unsigned i = s->n++;
	for (; i > 0 && s->cmd[i - 1].at_ns > c->at_ns; i--)
		s->cmd[i] = s->cmd[i - 1];
	s->cmd[i] = *c;
}

static void timed_pop(struct timed_cmds *s)
{
	memmove(s->cmd, s->cmd + 1, sizeof s->cmd[0] * --s->n);
}

/* Commands that are due but wait for their sound, which the loader has not
 * finished (a name that was not prepared, asked for as it was posted), in
 * the order they came. They start as soon as it comes, late. */
struct loading_cmds {
	struct audio_cmd cmd[LOADING_MAX];
	unsigned n;
};

/* The thread's state between writes. */
struct player {
	struct engine *eng;
	struct loader *loader;
	struct speaker *speaker; /* NULL until the voice is started */
	long chunk;          /* frames per write */
	struct timed_cmds timed;
	struct loading_cmds loading;
	struct playclock clock;
	int64_t written;     /* frames written since the start */
	bool measured;       /* the output says how late it plays */
	int64_t measured_at; /* when it last said (or, for the debug log, was estimated) */
	long quit_left;      /* frames of the closing fade still to play; -1 */
};

static bool is_layer_cmd(const struct audio_cmd *c)
{
	return c->kind == ACMD_LAYER_ON || c->kind == ACMD_LAYER_OFF;
}

/* Whether c, come after w, must not start before it: the same layer turned
 * on and off, or any layer and a fade-out of all. (Cues do not wait for one
 * another: each waits for its own sound only.) */
static bool follows(const struct audio_cmd *c, const struct audio_cmd *w)
{
	if (c->kind == ACMD_FADE_OUT)
		return is_layer_cmd(w) || w->kind == ACMD_FADE_OUT;
	if (is_layer_cmd(c))
		return w->kind == ACMD_FADE_OUT || (is_layer_cmd(w) && strcmp(c->name, w->name) == 0);
	return false;
}

/* Whether c must wait: for its own sound, still loading, or behind a waiting
 * command it follows. */
static bool must_wait(const struct player *p, const struct audio_cmd *c)
{
	enum engine_sound_kind kind;
	if (engine_sound_needed(p->eng, c, &kind))
		return true;
	for (unsigned i = 0; i < p->loading.n; i++)
		if (follows(c, &p->loading.cmd[i]))
			return true;
	return false;
}

static const char *cmd_name(enum audio_cmd_kind k)
{
	static const char *const names[] = {
		[ACMD_LAYER_ON] = "layer on", [ACMD_LAYER_OFF] = "layer off", [ACMD_VOLUME] = "volume",
		[ACMD_VOLUME_STEP] = "volume key", [ACMD_MUTE] = "mute", [ACMD_FADE_OUT] = "fade-out",
		[ACMD_CUE] = "cue", [ACMD_BREATH] = "breath", [ACMD_PAUSE] = "pause", [ACMD_QUIT] = "quit",
		[ACMD_SPEAK] = "spoken line", [ACMD_VOICE] = "voice", [ACMD_HUSH] = "hush",
	};
	return (unsigned)k < sizeof names / sizeof names[0] && names[k] ? names[k] : "?";
}

/* Starts c at output frame `frame` (where the mix stands), or keeps it until
 * its sound has come. The debug log says how late it starts against the time
 * it was given. */
static void start(struct player *p, const struct audio_cmd *c, int64_t frame)
{
	if (must_wait(p, c)) {
		if (p->loading.n < LOADING_MAX)
			p->loading.cmd[p->loading.n++] = *c;
		else
			debug_log("%s%s%s dropped: %d commands wait for sounds", cmd_name(c->kind),
			          c->name[0] ? " " : "", c->name, LOADING_MAX);
		return;
	}
	engine_apply(p->eng, c);
	if (!debug_enabled())
		return;
	char what[96];
	snprintf(what, sizeof what, "%s%s%s starts", cmd_name(c->kind), c->name[0] ? " " : "", c->name);
	if (c->at_ns == AUDIO_NOW)
		debug_log("%s at once", what);
	else
		debug_late(what, c->at_ns, playclock_time_of(&p->clock, frame));
}

/* The voice worker's side: lines made ready go to the engine; lines played
 * or passed go back, and the worker learns how far the session has come. */
static void take_speech(struct player *p)
{
	if (!p->speaker)
		return;
	struct engine_speech *s = speaker_take(p->speaker);
	while (s) {
		struct engine_speech *next = s->next;
		engine_add_speech(p->eng, s);
		s = next;
	}
}

static void give_speech(struct player *p)
{
	if (!p->speaker)
		return;
	speaker_give_back(p->speaker, engine_take_spent(p->eng));
	speaker_reached(p->speaker, engine_speech_reached(p->eng));
}

/* Hands the engine what the loader has finished, then starts the waiting
 * commands that can start now, in their order. */
static void take_sounds(struct player *p)
{
	struct engine_sound *s = loader_take(p->loader);
	if (!s)
		return;
	while (s) {
		struct engine_sound *next = s->next;
		debug_log("%s %s ready%s%s", s->kind == ENGINE_CUE ? "cue" : "layer", s->name,
		          s->error[0] ? ": " : "", s->error);
		engine_add_sound(p->eng, s);
		s = next;
	}
	struct loading_cmds *w = &p->loading;
	unsigned n = w->n;
	w->n = 0;
	for (unsigned i = 0; i < n; i++) {
		struct audio_cmd c = w->cmd[i];
		start(p, &c, p->written); /* waits again, behind those still kept */
	}
}

static void apply(struct player *p, const struct audio_cmd *c)
{
	struct timed_cmds *s = &p->timed;
	if (p->quit_left >= 0)
		return; /* closing: nothing else starts */
	switch (c->kind) {
	case ACMD_QUIT: {
		struct audio_cmd f = { .kind = ACMD_VOLUME, .value = 0, .fade_s = QUIT_FADE_S };
		engine_apply(p->eng, &f);
		p->quit_left = (long)(QUIT_FADE_S * RATE) + p->chunk; /* and a silent write */
		s->n = 0;
		p->loading.n = 0;
		return;
	}
	case ACMD_PAUSE:
		/* at_ns: when the session clock stopped or started again. */
		if (c->value != 0 && !s->held) {
			s->held = true;
			s->held_since = c->at_ns;
		} else if (c->value == 0 && s->held) {
			s->held = false;
			int64_t shift = c->at_ns - s->held_since;
			for (unsigned i = 0; i < s->n && shift > 0; i++)
				s->cmd[i].at_ns += shift;
		}
		engine_apply(p->eng, c);
		return;
	default:
		if (c->at_ns != AUDIO_NOW && playclock_frame_at(&p->clock, c->at_ns) > p->written)
			timed_add(s, c);
		else
			start(p, c, p->written);
	}
}

/* Mixes the next `frames` frames, starting each scheduled command at its
 * frame (rounded to the nearest). */
static void render(struct player *p, float *buf, long frames)
{
	struct timed_cmds *s = &p->timed;
	long done = 0;
	while (done < frames) {
		long upto = frames;
		while (!s->held && s->n > 0) {
			int64_t f = playclock_frame_at(&p->clock, s->cmd[0].at_ns) - (p->written + done);
			if (f > 0) {
				if (f < frames - done)
					upto = done + (long)f;
				break;
			}
			start(p, &s->cmd[0], p->written + done);
			timed_pop(s);
		}
		engine_render(p->eng, buf + done * CHANNELS, upto - done);
		done = upto;
	}
}

/* After a write to a live device: where the play clock stands. True when the
 * device ran dry. An output that can say how late it plays (PulseAudio) is
 * asked at every write of the first second (while the stream starts), then
 * once a second and after running dry: each answer takes libpulse's lock,
 * and between two answers the play clock need not move (device and
 * CLOCK_MONOTONIC drift apart by well under a millisecond a second). */
static bool observe(struct player *p, struct output *out)
{
	int64_t now = clock_mono_ns();
	if (!p->measured) {
		bool dry = playclock_observe(&p->clock, now, p->written);
		if (debug_enabled() && now - p->measured_at >= MEASURE_EVERY_NS) {
			p->measured_at = now;
			debug_log("latency %.1f ms, estimated from write times",
			          (double)(playclock_time_of(&p->clock, p->written) - now) / 1e6);
		}
		return dry;
	}
	bool dry = playclock_overdue(&p->clock, now, p->written);
	bool starting = p->written <= RATE;
	if (dry || starting || now - p->measured_at >= MEASURE_EVERY_NS) {
		int64_t queued = output_queued_ns(out);
		if (queued >= 0) {
			int64_t before = playclock_time_of(&p->clock, p->written);
			playclock_observe_queued(&p->clock, now, p->written, queued);
			p->measured_at = now;
			debug_log("latency %.1f ms, as the server says; the play clock moved %+.1f ms",
			          (double)queued / 1e6,
			          (double)(playclock_time_of(&p->clock, p->written) - before) / 1e6);
		} else {
			debug_log("latency: the server cannot say");
		}
	}
	return dry;
}

static void *audio_main(void *arg)
{
	struct audio *a = arg;
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
		debug_log("%s", snap.message);
		publish(a, &snap);
		set_open_state(a, -1, 0);
		goto done;
	}
	struct engine_cfg cfg = { .rate = RATE, .channels = CHANNELS, .volume = a->opt.volume,
	                          .follow = a->opt.follow, .no_loading = true,
	                          .voice = a->opt.voice, .voice_volume = a->opt.voice_volume };
	bool file = output_is_file(out);
	const long CHUNK = a->chunk_env ? a->chunk_env : file ? FILE_CHUNK : LIVE_CHUNK;
	struct player p = { .eng = engine_new(&cfg), .loader = a->loader, .chunk = CHUNK, .quit_left = -1,
	                    .measured = !file && output_can_say_latency(out) };
	const int64_t latency_ns = (int64_t)output_buffer_ms(out) * 1000000;
	int64_t t0 = clock_mono_ns();
	playclock_init(&p.clock, RATE, latency_ns, t0);
	/* A command posted now is taken before the next write at the latest
	 * (one write's time away when the device is full), and its frame is
	 * then one buffer further on; 10 ms more for the UI's own wake-ups. */
	int64_t chunk_ns = (int64_t)CHUNK * 1000000000 / RATE;
	int64_t lead_ns = latency_ns + 2 * chunk_ns + 10000000;
	debug_log("%s output open: buffer %d ms, writes of %ld frames (%.1f ms), lead %.1f ms; "
	          "latency %s", output_name(out), output_buffer_ms(out), CHUNK, (double)chunk_ns / 1e6,
	          (double)lead_ns / 1e6, p.measured ? "asked of the server" : file ? "none (a file)" :
	          "estimated from write times");
	set_open_state(a, 1, lead_ns);

	static_assert(MAX_CHUNK * CHANNELS * sizeof(float) <= 16384, "stack");
	float buf[MAX_CHUNK * CHANNELS];
	struct audio_cmd cmds[QSIZE];
	for (;;) {
		/* Commands first, then sounds: a sound prepared before a
		 * command was posted is then always there for it. */
		unsigned n = take_all(a, cmds, &p.speaker);
		take_sounds(&p);
		take_speech(&p);
		for (unsigned i = 0; i < n; i++)
			apply(&p, &cmds[i]);
		int64_t mix_t0 = debug_enabled() ? clock_mono_ns() : 0;
		render(&p, buf, CHUNK);
		give_speech(&p);
		if (debug_enabled() && clock_mono_ns() - mix_t0 > SLOW_MIX_NS)
			debug_log("slow mix: %.2f ms for %ld frames", (double)(clock_mono_ns() - mix_t0) / 1e6, CHUNK);
		if (output_write(out, buf, CHUNK) != 0) {
			snap.silent = true;
			snprintf(snap.message, sizeof snap.message, "sound stopped: the %s device failed; lull runs silent",
			         output_name(out));
			debug_log("%s", snap.message);
			publish(a, &snap);
			break;
		}
		p.written += CHUNK;
		if (file) {
			/* Paced as a device with no buffer would play. */
			sleep_until_ns(playclock_time_of(&p.clock, p.written));
		} else if (observe(&p, out)) {
			snap.underruns++;
			debug_log("underrun %u: the device ran dry before frame %lld", snap.underruns,
			          (long long)p.written);
			publish(a, &snap);
		}
		bool changed = false;
		if (engine_take_message(p.eng, snap.message, sizeof snap.message))
			changed = true;
		if (engine_volume(p.eng) != snap.volume || engine_muted(p.eng) != snap.muted) {
			snap.volume = engine_volume(p.eng);
			snap.muted = engine_muted(p.eng);
			changed = true;
		}
		if (changed)
			publish(a, &snap);
		if (p.quit_left >= 0 && (p.quit_left -= CHUNK) <= 0)
			break;
	}
	if (p.speaker)
		speaker_give_back(p.speaker, engine_take_all_speech(p.eng));
	engine_free(p.eng);
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

/* ms from now on CLOCK_MONOTONIC, in ns. */
static int64_t deadline_in(int ms)
{
	return clock_mono_ns() + (int64_t)(ms > 0 ? ms : 0) * 1000000;
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
	/* Session seconds to real seconds, as the session clock counts them:
	 * LULL_TIME_SCALE has one reader, clock_scale_from_env(), and the
	 * session passes what it gave. */
	a->scale = opt && opt->time_scale > 0 && isfinite(opt->time_scale) ? opt->time_scale : 1;
	/* The device buffer: LULL_AUDIO_BUFFER_MS, else the user's own
	 * PULSE_LATENCY_MSEC (which libpulse applies over ours: the lead must
	 * cover it), else 200 ms. */
	const char *bms = getenv("LULL_AUDIO_BUFFER_MS"), *plm = getenv("PULSE_LATENCY_MSEC");
	a->buffer_ms = bms && atoi(bms) > 0 ? atoi(bms) : plm && atoi(plm) > 0 ? atoi(plm) : DEFAULT_BUFFER_MS;
	const char *ch = getenv("LULL_AUDIO_CHUNK");
	a->chunk_env = ch && atol(ch) >= 64 && atol(ch) <= MAX_CHUNK ? atol(ch) : 0;
	a->wake[0] = a->wake[1] = -1;
	a->snap.volume = a->opt.volume;
	a->snap.silent = true;
	pthread_mutex_init(&a->slock, NULL);
	pthread_mutex_init(&a->qlock, NULL);
	thread_cond_init(&a->qcond);
	if (!opt || !opt->enabled)
		return a;
	if (pipe2(a->wake, O_CLOEXEC | O_NONBLOCK) != 0)
		a->wake[0] = a->wake[1] = -1;
	a->snap.silent = false;
	a->loader = loader_start(RATE, CHANNELS);
	/* Named as top -H and the bench see it; no signal handler runs on it. */
	if (thread_start(&a->thread, "lull-audio", audio_main, a) != 0) {
		a->snap.silent = true;
		str_copy(a->snap.message, "no sound: cannot start the audio thread; lull runs silent",
		         sizeof a->snap.message);
		loader_stop(a->loader, 0);
		a->loader = NULL;
		return a;
	}
	a->have_thread = true;
	/* Wait for the device to open (or fail), so that whatever the audio
	 * libraries print happens now, while stderr is captured and before
	 * curses; a server that does not answer in 3 s is not waited for. */
	struct timespec dl = timespec_of(deadline_in(3000));
	pthread_mutex_lock(&a->qlock);
	while (a->open_state == 0)
		if (pthread_cond_timedwait(&a->qcond, &a->qlock, &dl) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&a->qlock);
	return a;
}

void audio_prepare(struct audio *a, const char *const *cues, const char *const *layers)
{
	pthread_mutex_lock(&a->qlock);
	bool playing = a->have_thread && !a->finished;
	pthread_mutex_unlock(&a->qlock);
	if (!playing) /* silent: nothing will play them */
		return;
	for (size_t i = 0; cues && cues[i]; i++)
		loader_prepare(a->loader, ENGINE_CUE, cues[i]);
	for (size_t i = 0; layers && layers[i]; i++)
		loader_prepare(a->loader, ENGINE_LAYER, layers[i]);
}

int64_t audio_lead_ns(struct audio *a)
{
	pthread_mutex_lock(&a->qlock);
	int64_t lead = a->open_state == 1 && !a->finished ? a->lead_ns : 0;
	pthread_mutex_unlock(&a->qlock);
	return lead;
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

static void post_named(struct audio *a, enum audio_cmd_kind k, const char *name, float v, double fade_s,
                       int64_t at_ns)
{
	struct audio_cmd c = { .kind = k, .value = v, .fade_s = fade_s / a->scale, .at_ns = at_ns };
	if (name)
		str_copy(c.name, name, sizeof c.name);
	post(a, &c);
}

void audio_layer_on(struct audio *a, const char *name, float volume, double fade_s, int64_t at_ns)
{
	post_named(a, ACMD_LAYER_ON, name, volume, fade_s, at_ns);
}

void audio_layer_off(struct audio *a, const char *name, double fade_s, int64_t at_ns)
{
	post_named(a, ACMD_LAYER_OFF, name, 0, fade_s, at_ns);
}

void audio_set_volume(struct audio *a, float volume, double fade_s, int64_t at_ns)
{
	if (!a->have_thread) {
		pthread_mutex_lock(&a->slock);
		a->snap.volume = volume;
		pthread_mutex_unlock(&a->slock);
	}
	post_named(a, ACMD_VOLUME, NULL, volume, fade_s, at_ns);
}

void audio_volume_step(struct audio *a, int direction)
{
	post_named(a, ACMD_VOLUME_STEP, NULL, direction > 0 ? 1.0f : -1.0f, 0, AUDIO_NOW);
}

void audio_toggle_mute(struct audio *a)
{
	if (!a->have_thread) {
		pthread_mutex_lock(&a->slock);
		a->snap.muted = !a->snap.muted;
		pthread_mutex_unlock(&a->slock);
	}
	post_named(a, ACMD_MUTE, NULL, 0, 0, AUDIO_NOW);
}

void audio_fade_out(struct audio *a, double fade_s, int64_t at_ns)
{
	post_named(a, ACMD_FADE_OUT, NULL, 0, fade_s, at_ns);
}

void audio_cue(struct audio *a, const char *name, float level, int64_t at_ns)
{
	post_named(a, ACMD_CUE, name ? name : "", level, 0, at_ns);
}

void audio_breath(struct audio *a, int pace_phase, double phase_s, int64_t at_ns)
{
	struct audio_cmd c = { .kind = ACMD_BREATH, .phase = pace_phase, .fade_s = phase_s / a->scale,
	                       .at_ns = at_ns };
	post(a, &c);
}

void audio_pause(struct audio *a, bool paused)
{
	/* Pause fades are for the ear, not session time: never scaled. The
	 * time says when the session clock stopped (or started again), for
	 * moving what is scheduled. */
	struct audio_cmd c = { .kind = ACMD_PAUSE, .value = paused ? 1 : 0, .at_ns = clock_mono_ns() };
	post(a, &c);
}

/* --- the voice --------------------------------------------------------- */

static void voice_start(struct audio *a)
{
	pthread_mutex_lock(&a->qlock);
	bool playing = a->have_thread && !a->finished && !a->speaker;
	pthread_mutex_unlock(&a->qlock);
	if (!playing || !a->voice_given)
		return;
	struct speaker *s = speaker_start(&a->voice_cfg, a->voice_lines, a->voice_nlines, RATE, true);
	pthread_mutex_lock(&a->qlock);
	a->speaker = s;
	pthread_mutex_unlock(&a->qlock);
}

void audio_voice(struct audio *a, const struct voice_cfg *cfg, const struct sp_line *lines, size_t n)
{
	a->voice_cfg = *cfg;
	a->voice_lines = lines;
	a->voice_nlines = n;
	a->voice_given = true;
	if (a->opt.voice)
		voice_start(a);
}

bool audio_voice_ready(struct audio *a, pace_us before, int64_t deadline_ns)
{
	return !a->speaker || speaker_wait_ready(a->speaker, before, deadline_ns);
}

void audio_speak(struct audio *a, size_t line, int64_t at_ns)
{
	struct audio_cmd c = { .kind = ACMD_SPEAK, .line = line, .at_ns = at_ns };
	post(a, &c);
}

void audio_say(struct audio *a, const char *text, int64_t at_ns)
{
	if (!a->speaker) /* the voice is off (or cannot speak) */
		return;
	struct audio_cmd c = { .kind = ACMD_SPEAK, .line = speaker_aside(a->speaker, text), .at_ns = at_ns };
	post(a, &c);
}

void audio_hush(struct audio *a)
{
	struct audio_cmd c = { .kind = ACMD_HUSH };
	post(a, &c);
}

void audio_set_voice(struct audio *a, bool on)
{
	if (on)
		voice_start(a); /* the first time the voice is turned on */
	struct audio_cmd c = { .kind = ACMD_VOICE, .value = on ? 1 : 0 };
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
	assert(a->qlen < QSIZE); /* post() leaves the last slot for this */
	a->q[(a->qhead + a->qlen) % QSIZE] = q;
	a->qlen++;
	int64_t deadline_ns = deadline_in(timeout_ms);
	struct timespec dl = timespec_of(deadline_ns);
	while (!a->finished)
		if (pthread_cond_timedwait(&a->qcond, &a->qlock, &dl) == ETIMEDOUT)
			break;
	bool done = a->finished;
	pthread_mutex_unlock(&a->qlock);
	if (done) {
		pthread_join(a->thread, NULL);
		/* The voice worker holds back nothing that matters: a line in
		 * synthesis is finished by the synthesiser on its own. */
		bool voice_done = speaker_stop(a->speaker, deadline_ns);
		a->speaker = NULL;
		/* The loader may be stuck too, in a file that never answers. */
		if (loader_stop(a->loader, deadline_ns) && voice_done) {
			audio_free(a);
			return;
		}
	} else {
		/* Stuck in the device (a close that drains forever): leave it to
		 * the process's exit rather than wait. */
		pthread_detach(a->thread);
	}
	/* Its memory stays valid (and the loader's, which both threads
	 * use): kept on a list, so that it is reachable (and not reported as
	 * a leak) for as long as a thread left behind may still use it. */
	a->next_abandoned = abandoned;
	abandoned = a;
}
