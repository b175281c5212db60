/* SPDX-License-Identifier: ISC */
/* The audio engine as a thread. The thread owns the output (libao's init,
 * open, play and close all happen on it) and the engine; the UI talks to it
 * through a small command queue and reads a snapshot, each under its own
 * mutex, never both at once. Neither side waits on the other for longer than
 * a queue operation, except audio_start (waits for the device to open, so
 * library chatter happens before curses) and audio_stop (joins with a limit).
 *
 * Timing: every wake-up of a sound server costs CPU, so the device is given
 * a long buffer: lull's own PulseAudio stream 2 s (LULL_AUDIO_BUFFER_MS),
 * refilled as the server asks, about twice a second; other devices (libao)
 * 200 ms, written 2048 frames at a time. What the buffer would cost in delay
 * is won back by scheduling: commands carry the CLOCK_MONOTONIC time they
 * are to be heard at, the play clock (playclock.c) says which frame that
 * is, and the thread starts them at that frame, mid-write if need be (the
 * mix: player.c). The session posts its sound events one lead time ahead
 * (audio_lead_ns). The keys (volume, mute, pause, the voice) cannot be
 * known ahead: through PulseAudio the thread is woken for them, rewinds its
 * mix and writes again what the server holds from REWRITE_AHEAD_NS past
 * what is heard (the server replaces queued sound); other devices hear
 * them one buffer late. File drivers (wav, raw) are paced against
 * CLOCK_MONOTONIC as if they were a device with no buffer, so sample
 * positions in the file match the calls' times.
 *
 * Sounds: the thread opens and decodes nothing. A session prepares what it
 * will play before it starts (audio_prepare, on its own thread); anything
 * else is loaded by the loader's thread as its command is posted (loader.h),
 * and a command whose sound is not there yet waits for it, without holding
 * up anything but the commands that must come after it. Layers are decoded
 * ahead by the feeder's thread (feed.h), so the mix never waits on a disk.
 *
 * The sound server gone mid-session (a package update restarts PulseAudio
 * or PipeWire): said once, and tried for again on a deadline (reconnect.h)
 * while the thread waits for commands as ever; the mix goes on unheard at
 * the play clock's pace, so that a new stream plays from where the session
 * is, and that is said once too. */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
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
#include "feed.h"
#include "output.h"
#include "player.h"
#include "playclock.h"
#include "reconnect.h"
#include "speaker.h"
#include "sysdep.h"
#include "thread.h"
#include "util.h"

enum {
	QSIZE = 64,          /* commands in flight from the UI, QUIT's slot included */
	MAX_CHUNK = 2048,
	LIVE_CHUNK = 2048,   /* frames per write to a device that blocks (43 ms) */
	FILE_CHUNK = 256,    /* to a file: the granularity of AUDIO_NOW */
	RATE = 48000,
	CHANNELS = 2,
	DEFAULT_BUFFER_MS = 200,
	DEFAULT_LONG_BUFFER_MS = 2000, /* outputs that take written frames again */
};
/* A rewrite starts this far past what is heard: the server must have it
 * before then. Measured through PulseAudio's null sink and PipeWire: a
 * rewrite of 2 s is mixed and sent within 2-3 ms of the call, and the
 * sink's own part (what it has rendered and cannot take back) is a few ms
 * more; the keys are heard 25-30 ms after the call. */
#define REWRITE_AHEAD_NS 30000000LL
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
	int buffer_ms, long_buffer_ms;
	long chunk_env;             /* LULL_AUDIO_CHUNK, 0 if unset */
	int wake[2];                /* the thread wakes the UI */
	int cmd_wake[2];            /* the UI wakes the thread (outputs that wait) */
	bool have_thread;
	pthread_t thread;
	struct loader *loader;      /* NULL when silent from the start */
	struct feeder *feeder;      /* NULL when silent, or it could not start */

	/* The queue and the thread's life: guarded by qlock. */
	pthread_mutex_t qlock;
	pthread_cond_t qcond;       /* open_state and finished changes */
	struct audio_cmd q[QSIZE];
	unsigned qhead, qlen;
	int open_state;             /* 0 opening, 1 open, -1 failed */
	bool finished;
	int64_t lead_ns, quick_ns;  /* set once the device is open */
	bool wakeable;              /* the thread waits on cmd_wake */
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
static void wake_thread(struct audio *a)
{
	if (a->cmd_wake[1] >= 0)
		(void)!write(a->cmd_wake[1], "", 1); /* full pipe: the thread is being woken anyway */
}

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
	/* A thread that sleeps until the server asks is woken for what may
	 * fall within what is queued already: a key, or a time sooner than
	 * the lead. Sound posted one lead ahead waits for its next wake-up. */
	bool wake = queued && a->wakeable &&
	            (c->at_ns == AUDIO_NOW || c->at_ns < clock_mono_ns() + a->lead_ns - a->quick_ns);
	pthread_mutex_unlock(&a->qlock);
	if (wake)
		wake_thread(a);
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

static void set_open_state(struct audio *a, int state, int64_t lead_ns, int64_t quick_ns, bool wakeable)
{
	pthread_mutex_lock(&a->qlock);
	a->open_state = state;
	a->lead_ns = lead_ns;
	a->quick_ns = quick_ns;
	a->wakeable = wakeable;
	pthread_cond_broadcast(&a->qcond);
	pthread_mutex_unlock(&a->qlock);
}

/* ------------------------------------------------------------- the thread */
/* The thread runs at ordinary priority: a long buffer, not real-time
 * scheduling, is what keeps sound going on a busy machine (no underruns in
 * the benchmark with two busy-loop processes on both cores), and SCHED_RR
 * measured costlier (its wake-ups preempt: more CPU, in bigger swings). */

static void publish_changes(struct audio *a, struct player *p, struct audio_snapshot *snap)
{
	struct engine *eng = player_engine(p);
	bool changed = false;
	if (engine_take_message(eng, snap->message, sizeof snap->message))
		changed = true;
	if (engine_volume(eng) != snap->volume || engine_muted(eng) != snap->muted) {
		snap->volume = engine_volume(eng);
		snap->muted = engine_muted(eng);
		changed = true;
	}
	if (changed)
		publish(a, snap);
}

static void device_failed(struct audio *a, struct output *out, struct audio_snapshot *snap)
{
	snap->silent = true;
	snprintf(snap->message, sizeof snap->message, "sound stopped: the %s device failed; lull runs silent",
	         output_name(out));
	debug_log("%s", snap->message);
	publish(a, snap);
}

/* Where the play clock stands. An output that can say (PulseAudio, after
 * output_ask_heard) said which frame it plays when: taken as it is (between
 * two answers, a second apart, device and CLOCK_MONOTONIC drift apart by
 * well under a millisecond). A device that blocks in a write (libao): from
 * the time the write returned; true when it must have run dry. */
static bool observe(struct player *p, struct output *out, int64_t *logged_at)
{
	struct playclock *pc = player_clock(p);
	int64_t now = clock_mono_ns();
	if (!output_can_rewrite(out)) {
		bool dry = playclock_observe(pc, now, player_frame(p));
		if (debug_enabled() && now - *logged_at >= MEASURE_EVERY_NS) {
			*logged_at = now;
			debug_log("latency %.1f ms, estimated from write times",
			          (double)(playclock_time_of(pc, player_frame(p)) - now) / 1e6);
		}
		return dry;
	}
	int64_t frame, at;
	if (!output_heard(out, &frame, &at))
		return false;
	int64_t before = playclock_time_of(pc, player_frame(p));
	playclock_observe_queued(pc, at, frame, 0);
	if (debug_enabled() && now - *logged_at >= MEASURE_EVERY_NS) {
		*logged_at = now;
		debug_log("latency %.1f ms, as the server says; the play clock moved %+.1f ms",
		          (double)(playclock_time_of(pc, player_frame(p)) - now) / 1e6,
		          (double)(playclock_time_of(pc, player_frame(p)) - before) / 1e6);
	}
	return false; /* the server counts its own underruns */
}

/* Devices that block in a write, and files: mix a chunk, write it, again.
 * Commands are taken before each write; a key is heard a buffer later. */
static void run_push(struct audio *a, struct player *p, struct output *out, long chunk,
                     struct audio_snapshot *snap)
{
	bool file = output_is_file(out);
	float *buf = xmalloc(sizeof *buf * (size_t)chunk * CHANNELS);
	struct audio_cmd cmds[QSIZE];
	struct speaker *speaker = NULL;
	int64_t logged_at = 0;
	for (;;) {
		/* Commands first, then sounds: a sound prepared before a
		 * command was posted is then always there for it. */
		unsigned n = take_all(a, cmds, &speaker);
		if (player_take(p, speaker) >= 0)
			player_start_waiting(p);
		for (unsigned i = 0; i < n; i++)
			player_post(p, &cmds[i]);
		int64_t mix_t0 = debug_enabled() ? clock_mono_ns() : 0;
		player_mix(p, buf, chunk);
		if (debug_enabled() && clock_mono_ns() - mix_t0 > SLOW_MIX_NS)
			debug_log("slow mix: %.2f ms for %ld frames", (double)(clock_mono_ns() - mix_t0) / 1e6, chunk);
		if (output_write(out, buf, chunk) != 0) {
			device_failed(a, out, snap);
			break;
		}
		if (file) {
			/* Paced as a device with no buffer would play. */
			sleep_until_ns(playclock_time_of(player_clock(p), player_frame(p)));
		} else if (observe(p, out, &logged_at)) {
			snap->underruns++;
			debug_log("underrun %u: the device ran dry before frame %lld", snap->underruns,
			          (long long)player_frame(p));
			publish(a, snap);
		}
		publish_changes(a, p, snap);
		if (player_quit_done(p, NULL))
			break;
	}
	free(buf);
	player_free(p, speaker);
	output_close(out); /* may wait for a drain: audio_stop does not wait for it */
}

/* Mixes on to frame `upto`, written to the output in one piece at the
 * frame where it starts (over what was written there before, after a
 * rewind); a rewrite is sent at once. */
static int write_to(struct player *p, struct output *out, float *buf, int64_t upto, bool rewrite)
{
	int64_t at = player_frame(p);
	while (player_frame(p) < upto) {
		int64_t left = upto - player_frame(p);
		long n = left < PLAYER_MAX_MIX ? (long)left : PLAYER_MAX_MIX;
		player_mix(p, buf, n);
		output_stage(out, buf, n);
	}
	if (output_commit_at(out, at) != 0)
		return -1;
	if (rewrite)
		output_flush_out(out);
	return 0;
}

/* Mixes on, unheard, to frame `to`. */
static void mix_unheard(struct player *p, float *buf, int64_t to)
{
	while (player_frame(p) < to) {
		int64_t left = to - player_frame(p);
		player_mix(p, buf, left < PLAYER_MAX_MIX ? (long)left : PLAYER_MAX_MIX);
	}
}

/* A stream opened again says where it plays for the first time, and what
 * the plan has there is what must be heard. A new stream starts as late as
 * the server's sink takes it (the sink's own buffer, 0.5 s of a 2 s queue;
 * 1.5 s through a null sink nobody reads), and what was written from where
 * the session stood would be heard that much behind the plan ever after
 * (the play clock follows, so cues keep time, but the layers and the voice
 * would run late): written again from the earliest frame the server can
 * still replace, with the mix's frame the plan has there (the stream's
 * frames move under the mix's by the drift). */
static int realign(struct player *p, struct output *out, float *buf)
{
	struct playclock *pc = player_clock(p);
	int64_t heard, at;
	if (!output_heard(out, &heard, &at))
		return 0;
	int64_t drift = reconnect_drift(pc, heard, at);
	if (!reconnect_must_realign(pc, drift))
		return 0;
	int64_t end = player_frame(p);
	int64_t earliest = heard + (clock_mono_ns() + REWRITE_AHEAD_NS - at) * RATE / 1000000000;
	int64_t to = earliest + drift;
	if (to < end && !player_rewind(p, to)) {
		debug_log("the new stream plays %.1f ms off the plan; the mix cannot go back to it",
		          (double)drift * 1e3 / RATE);
		return 0;
	}
	mix_unheard(p, buf, to);
	output_set_origin(out, output_origin(out) + drift);
	debug_log("the new stream plays %.1f ms behind the plan: written again from there", (double)drift * 1e3 / RATE);
	return write_to(p, out, buf, end + drift, true);
}

/* Outputs that ask for frames and take written ones again (PulseAudio):
 * the thread sleeps in the output's wait until the server asks for more
 * (about twice a second: a long queue), the play clock has an answer, or
 * the UI wakes it for a command that must be heard sooner than the end of
 * what is queued. Such a command rewinds the mix to the earliest frame the
 * server can still replace (REWRITE_AHEAD_NS from what is heard, or the
 * command's own frame if later) and writes it again from there. The mix
 * starts where it stands (frame 0, or where a stream opened again takes
 * over). True when it ended by quitting (*close_at: when the closing fade
 * has been heard), false when the output failed. */
static bool play_pull(struct audio *a, struct player *p, struct output *out, bool resumed, int64_t target_frames,
                      float *buf, struct audio_cmd *cmds, struct speaker **speaker, struct audio_snapshot *snap,
                      int64_t *close_at)
{
	struct playclock *pc = player_clock(p);
	int64_t logged_at = 0;
	unsigned underruns = 0;
	if (write_to(p, out, buf, player_frame(p) + target_frames, false) != 0)
		return false;
	output_ask_heard(out);
	for (;;) {
		int ev = output_wait(out, -1);
		if (ev & OUTPUT_FAILED)
			return false;
		if (ev & OUTPUT_WOKEN) {
			char drain[64];
			while (read(a->cmd_wake[0], drain, sizeof drain) > 0)
				;
		}
		if ((ev & OUTPUT_HEARD) && resumed) {
			resumed = false; /* the first word of a stream opened again */
			if (realign(p, out, buf) != 0)
				return false;
		}
		if (ev & OUTPUT_HEARD)
			(void)observe(p, out, &logged_at);
		unsigned n = take_all(a, cmds, speaker);
		int64_t now = clock_mono_ns(), end = player_frame(p);
		int64_t earliest = playclock_frame_at(pc, now + REWRITE_AHEAD_NS);
		if (earliest < player_oldest(p))
			earliest = player_oldest(p);
		/* From where the mix must be written again: the earliest frame
		 * of what came too late for it (keys, a command posted for a
		 * time already mixed, one whose sound has just come), but
		 * never before what the server can still replace. */
		int64_t from = INT64_MAX, came = player_take(p, *speaker);
		if (came >= 0 && came < end)
			from = came > earliest ? came : earliest;
		for (unsigned i = 0; i < n; i++) {
			int64_t late = player_late_frame(p, &cmds[i]);
			if (late >= 0 && (late > earliest ? late : earliest) < from)
				from = late > earliest ? late : earliest;
		}
		bool rewound = from < end && player_rewind(p, from);
		if (came >= 0 && !rewound)
			player_start_waiting(p);
		if (rewound)
			debug_log("rewrite from %.1f ms ahead of what is heard: %.1f ms of sound mixed again",
			          (double)(playclock_time_of(pc, from) - now) / 1e6, (double)(end - from) * 1e3 / RATE);
		for (unsigned i = 0; i < n; i++)
			player_post(p, &cmds[i]);
		if (rewound && write_to(p, out, buf, end, true) != 0)
			return false;
		/* Topped up to a full queue when the server asks (or if it has
		 * not asked for longer than it should have). */
		int64_t full = playclock_frame_at(pc, now) + target_frames;
		if (((ev & OUTPUT_WANTS) || full - player_frame(p) > target_frames * 3 / 4) && full > player_frame(p)) {
			if (write_to(p, out, buf, full, false) != 0)
				return false;
		}
		if (rewound || (ev & OUTPUT_WANTS))
			output_ask_heard(out);
		if (output_underruns(out) != underruns) {
			snap->underruns += output_underruns(out) - underruns;
			underruns = output_underruns(out);
			debug_log("underrun %u: the server ran dry before frame %lld", snap->underruns,
			          (long long)player_frame(p));
			publish(a, snap);
		}
		publish_changes(a, p, snap);
		int64_t quit_frame;
		if (player_quit_done(p, &quit_frame)) {
			/* The closing fade is written: closed once it is heard
			 * (what is queued after it is silence). */
			*close_at = playclock_time_of(pc, quit_frame);
			return true;
		}
	}
}

/* Mixes on, unheard, to where the play clock says the session is at now:
 * what a stream opened again plays from. A catch-up is a second or two of
 * the mix at most (the thread catches up each CATCH_UP_NS), as much as the
 * feeds hold decoded ahead, so it never waits for the disk. */
#define CATCH_UP_NS 1000000000LL
static void catch_up(struct player *p, float *buf, int64_t now)
{
	mix_unheard(p, buf, player_frame(p) + reconnect_behind(player_clock(p), player_frame(p), now));
}

/* Sleeps until deadline_ns (CLOCK_MONOTONIC) or the UI wakes the thread. */
static void wait_woken(struct audio *a, int64_t deadline_ns)
{
	int64_t left = deadline_ns - clock_mono_ns();
	if (left <= 0)
		return;
	struct pollfd pf = { .fd = a->cmd_wake[0], .events = POLLIN };
	int ms = (int)((left + 999999) / 1000000);
	if (poll(&pf, a->cmd_wake[0] >= 0 ? 1 : 0, ms) > 0) {
		char drain[64];
		while (read(a->cmd_wake[0], drain, sizeof drain) > 0)
			;
	}
}

/* The server went away (a restart, a package update): silent, said once,
 * and tried for again on a deadline (reconnect.h) until it answers; the mix
 * goes on unheard meanwhile, at the play clock's pace, with every command
 * the session posts, so that a stream opened again plays from where the
 * session is. The new stream's frame 0 is the mix's frame then. NULL when
 * the session ends first (audio_stop): nothing is left to close. */
static struct output *reconnect(struct audio *a, struct player *p, const struct output_spec *spec, float *buf,
                                struct audio_cmd *cmds, struct speaker **speaker, struct audio_snapshot *snap)
{
	struct reconnect r;
	int64_t now = clock_mono_ns(), caught = now;
	reconnect_begin(&r, now);
	for (;;) {
		int64_t deadline = caught + CATCH_UP_NS < r.next_ns ? caught + CATCH_UP_NS : r.next_ns;
		wait_woken(a, deadline);
		now = clock_mono_ns();
		catch_up(p, buf, now);
		caught = now;
		unsigned n = take_all(a, cmds, speaker);
		if (player_take(p, *speaker) >= 0)
			player_start_waiting(p);
		for (unsigned i = 0; i < n; i++) {
			if (cmds[i].kind == ACMD_QUIT)
				return NULL; /* nothing to fade: nothing is heard */
			player_post(p, &cmds[i]);
		}
		publish_changes(a, p, snap);
		if (!reconnect_due(&r, now))
			continue;
		char err[160];
		struct output *out = output_reopen(spec, err, sizeof err);
		if (!out) {
			debug_log("try %u for the sound server: %s", r.tries + 1, err);
			now = clock_mono_ns();
			catch_up(p, buf, now); /* a try takes a second at most */
			caught = now;
			reconnect_failed(&r, now);
			continue;
		}
		/* The stream takes over where the session is now: the mix
		 * catches up to there (the open took a moment), or, when it is
		 * ahead (the server came back sooner than the queue it had
		 * would have played out: that sound was lost with it), goes
		 * back there. */
		now = clock_mono_ns();
		int64_t at = playclock_frame_at(player_clock(p), now);
		if (at < player_frame(p) && !player_rewind(p, at < 0 ? 0 : at))
			debug_log("the mix is %.1f ms ahead and cannot go back", (double)(player_frame(p) - at) * 1e3 / RATE);
		catch_up(p, buf, now);
		output_set_origin(out, player_frame(p));
		snap->silent = false;
		snprintf(snap->message, sizeof snap->message, "sound is back");
		debug_log("%s: the stream opened again after %u tries; it starts at frame %lld", snap->message,
		          r.tries + 1, (long long)player_frame(p));
		publish(a, snap);
		return out;
	}
}

/* Plays through an output that can be rewritten; when it fails mid-session
 * (the sound server went away), waits for the server to come back and plays
 * on through a new stream from where the session is. */
static void run_pull(struct audio *a, struct player *p, struct output *out, const struct output_spec *spec,
                     int64_t target_frames, struct audio_snapshot *snap)
{
	float *buf = xmalloc(sizeof *buf * PLAYER_MAX_MIX * CHANNELS);
	struct audio_cmd cmds[QSIZE];
	struct speaker *speaker = NULL;
	bool resumed = false;
	while (out) {
		int64_t close_at = 0;
		if (play_pull(a, p, out, resumed, target_frames, buf, cmds, &speaker, snap, &close_at)) {
			output_close_at(out, close_at);
			break;
		}
		snap->silent = true;
		snprintf(snap->message, sizeof snap->message,
		         "sound stopped: the sound server went away; lull plays on when it is back");
		debug_log("%s (at frame %lld)", snap->message, (long long)player_frame(p));
		publish(a, snap);
		output_close_at(out, 0); /* gone: nothing to wait for */
		out = reconnect(a, p, spec, buf, cmds, &speaker, snap);
		resumed = true;
	}
	free(buf);
	player_free(p, speaker);
}

static void *audio_main(void *arg)
{
	struct audio *a = arg;
	struct audio_snapshot snap;
	pthread_mutex_lock(&a->slock);
	snap = a->snap;
	pthread_mutex_unlock(&a->slock);

	char err[128];
	struct output_spec spec = { .driver = a->driver, .file = a->output, .rate = RATE, .channels = CHANNELS,
	                            .buffer_ms = a->buffer_ms, .long_buffer_ms = a->long_buffer_ms,
	                            .wake_fd = a->cmd_wake[0] };
	struct output *out = output_open(&spec, err, sizeof err);
	if (!out) {
		snap.silent = true;
		snprintf(snap.message, sizeof snap.message, "no sound: %s; lull runs silent", err);
		debug_log("%s", snap.message);
		publish(a, &snap);
		set_open_state(a, -1, 0, 0, false);
		goto done;
	}
	struct engine_cfg cfg = { .rate = RATE, .channels = CHANNELS, .volume = a->opt.volume,
	                          .follow = a->opt.follow, .no_loading = true,
	                          .voice = a->opt.voice, .voice_volume = a->opt.voice_volume };
	bool file = output_is_file(out), pull = output_can_rewrite(out);
	const long chunk = a->chunk_env ? a->chunk_env : file ? FILE_CHUNK : LIVE_CHUNK;
	/* A command posted now is taken before the next write at the latest
	 * (one write's time away when the device is full), and its frame is
	 * then one buffer further on; 10 ms more for the UI's own wake-ups.
	 * Where the output takes written frames again, the post-ahead lead
	 * is what the server holds (plus a little), so that scheduled sound
	 * is mixed in time and never rewritten; but a command is heard
	 * REWRITE_AHEAD_NS after it is posted, and the session starts that
	 * soon. */
	const int64_t latency_ns = (int64_t)output_buffer_ms(out) * 1000000;
	int64_t chunk_ns = (int64_t)chunk * 1000000000 / RATE;
	int64_t lead_ns = pull ? latency_ns + 50000000 : latency_ns + 2 * chunk_ns + 10000000;
	int64_t quick_ns = pull ? REWRITE_AHEAD_NS + 20000000 : lead_ns;
	struct player *p = player_new(engine_new(&cfg), a->loader, a->feeder, RATE, CHANNELS, pull,
	                              pull ? 0 : latency_ns, clock_mono_ns());
	debug_log("%s output open: buffer %d ms, %s, lead %.1f ms, quick %.1f ms; latency %s", output_name(out),
	          output_buffer_ms(out), pull ? "written as the server asks, rewritten for keys" : "written a chunk at a time",
	          (double)lead_ns / 1e6, (double)quick_ns / 1e6,
	          pull ? "asked of the server" : file ? "none (a file)" : "estimated from write times");
	set_open_state(a, 1, lead_ns, quick_ns, pull);
	if (pull)
		run_pull(a, p, out, &spec, (int64_t)output_buffer_ms(out) * RATE / 1000, &snap);
	else
		run_push(a, p, out, chunk, &snap);
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
		/* It would play on the remote machine's speakers. lull ssh
		 * brings it to the person's own (cmd_ssh.c); the host's name
		 * as the system has it, or a placeholder when it holds
		 * anything a terminal or a shell could misread. */
		char host[256] = "";
		if (gethostname(host, sizeof host - 1) != 0 || !host[0] ||
		    host[strspn(host, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_")])
			str_copy(host, "THIS-HOST", sizeof host);
		snprintf(why, whysize, "Sound is off over SSH; from your own machine, run 'lull ssh %s'", host);
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
	a->scale = clock_scale(opt ? opt->time_scale : 1);
	/* The device buffer: LULL_AUDIO_BUFFER_MS, else the user's own
	 * PULSE_LATENCY_MSEC (which libpulse applies over ours: the lead must
	 * cover it), else 2 s for lull's own PulseAudio stream and 200 ms for
	 * the rest. Longer than FEED_HISTORY_S, keys come later (a rewrite
	 * goes back no further). */
	const char *bms = getenv("LULL_AUDIO_BUFFER_MS"), *plm = getenv("PULSE_LATENCY_MSEC");
	int given = bms && atoi(bms) > 0 ? atoi(bms) : plm && atoi(plm) > 0 ? atoi(plm) : 0;
	a->buffer_ms = given ? given : DEFAULT_BUFFER_MS;
	a->long_buffer_ms = given ? given : DEFAULT_LONG_BUFFER_MS;
	const char *ch = getenv("LULL_AUDIO_CHUNK");
	a->chunk_env = ch && atol(ch) >= 64 && atol(ch) <= MAX_CHUNK ? atol(ch) : 0;
	a->wake[0] = a->wake[1] = -1;
	a->cmd_wake[0] = a->cmd_wake[1] = -1;
	a->snap.volume = a->opt.volume;
	a->snap.silent = true;
	pthread_mutex_init(&a->slock, NULL);
	pthread_mutex_init(&a->qlock, NULL);
	thread_cond_init(&a->qcond);
	if (!opt || !opt->enabled)
		return a;
	if (sys_pipe(a->wake, true) != 0)
		a->wake[0] = a->wake[1] = -1;
	if (sys_pipe(a->cmd_wake, true) != 0)
		a->cmd_wake[0] = a->cmd_wake[1] = -1;
	a->snap.silent = false;
	a->loader = loader_start(RATE, CHANNELS, a->cmd_wake[1]);
	a->feeder = feeder_start();
	/* Named as top -H and the bench see it; no signal handler runs on it. */
	if (thread_start(&a->thread, "lull-audio", audio_main, a) != 0) {
		a->snap.silent = true;
		str_copy(a->snap.message, "no sound: cannot start the audio thread; lull runs silent",
		         sizeof a->snap.message);
		loader_stop(a->loader, 0);
		a->loader = NULL;
		feeder_stop(a->feeder, 0);
		a->feeder = NULL;
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

int64_t audio_quick_ns(struct audio *a)
{
	pthread_mutex_lock(&a->qlock);
	int64_t quick = a->open_state == 1 && !a->finished ? a->quick_ns : 0;
	pthread_mutex_unlock(&a->qlock);
	return quick;
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
	if (s)
		speaker_notify(s, a->cmd_wake[1]);
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

void audio_duck(struct audio *a, double lead_s, int64_t at_ns)
{
	post_named(a, ACMD_DUCK, NULL, 0, lead_s, at_ns);
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
	for (int i = 0; i < 2; i++) {
		if (a->wake[i] >= 0)
			close(a->wake[i]);
		if (a->cmd_wake[i] >= 0)
			close(a->cmd_wake[i]);
	}
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
	if (a->wakeable)
		wake_thread(a);
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
		bool fed = feeder_stop(a->feeder, deadline_ns);
		if (loader_stop(a->loader, deadline_ns) && voice_done && fed) {
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
