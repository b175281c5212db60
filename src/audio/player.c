/* SPDX-License-Identifier: ISC */
/* The audio thread's mix: see player.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "debuglog.h"
#include "feed.h"
#include "loader.h"
#include "player.h"
#include "speaker.h"
#include "util.h"

enum {
	TIMED_MAX = 128,     /* scheduled commands waiting for their frame */
	LOADING_MAX = 64,    /* commands due, waiting for their sound to load */
	LOG_MAX = 512,       /* commands posted since the oldest mark */
	MAX_MARKS = 16,
	QUIT_PAD = 2048,     /* frames of silence after the closing fade */
};
#define QUIT_FADE_S 0.08

/* Commands waiting for their time, in order of it (equal times in the order
 * they came). `held` while paused: nothing scheduled starts, and on resume
 * everything waiting moves later by the length of the pause. */
struct timed_cmds {
	struct audio_cmd cmd[TIMED_MAX];
	unsigned n;
	bool held;
	int64_t held_since;
};

/* Commands that are due but wait for their sound, which the loader has not
 * finished (a name that was not prepared, asked for as it was posted), in
 * the order they came. They start as soon as it comes, late. */
struct loading_cmds {
	struct audio_cmd cmd[LOADING_MAX];
	unsigned n;
};

/* The player's own part of what a mark puts back. */
struct moving {
	struct timed_cmds timed;
	struct loading_cmds loading;
	long quit_left;      /* frames of the closing fade still to mix; -1 */
	int64_t quit_frame;  /* where it ended */
};

/* A copy of what is in use (the lists' unused ends are left as they are). */
static void moving_copy(struct moving *dst, const struct moving *src)
{
	memcpy(dst->timed.cmd, src->timed.cmd, sizeof src->timed.cmd[0] * src->timed.n);
	dst->timed.n = src->timed.n;
	dst->timed.held = src->timed.held;
	dst->timed.held_since = src->timed.held_since;
	memcpy(dst->loading.cmd, src->loading.cmd, sizeof src->loading.cmd[0] * src->loading.n);
	dst->loading.n = src->loading.n;
	dst->quit_left = src->quit_left;
	dst->quit_frame = src->quit_frame;
}

struct mark {
	struct engine_mark *em;
	struct moving mv;
	int64_t frame;
};

struct logged {
	int64_t frame;       /* the frame it was applied at */
	struct audio_cmd cmd;
};

struct player {
	struct engine *eng;
	struct loader *loader;
	struct feeder *feeder;
	int rate, channels;
	struct moving mv;
	struct playclock clock;
	bool with_marks;
	long mark_every;     /* frames */
	long keep;           /* marks are kept this many frames behind the mix */
	struct mark marks[MAX_MARKS];
	unsigned mark_head, nmarks; /* a ring, oldest first */
	struct logged log[LOG_MAX];
	uint64_t log_first, log_end; /* sequence numbers: entry k at log[k % LOG_MAX] */
	float *scratch;      /* PLAYER_MAX_MIX frames: what a rewind mixes unheard */
};

/* ---------------------------------------------------------------- lists */
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
	for (unsigned i = 0; i < p->mv.loading.n; i++)
		if (follows(c, &p->mv.loading.cmd[i]))
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
		[ACMD_DUCK] = "duck",
	};
	return (unsigned)k < sizeof names / sizeof names[0] && names[k] ? names[k] : "?";
}

/* Starts c at output frame `frame` (where the mix stands), or keeps it until
 * its sound has come. The debug log says how late it starts against the time
 * it was given. */
static void start(struct player *p, const struct audio_cmd *c, int64_t frame)
{
	if (must_wait(p, c)) {
		if (p->mv.loading.n < LOADING_MAX)
			p->mv.loading.cmd[p->mv.loading.n++] = *c;
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

/* The commands waiting for sounds that can start now, in their order. */
static void start_waiting(struct player *p)
{
	struct loading_cmds *w = &p->mv.loading;
	unsigned n = w->n;
	struct audio_cmd cmds[LOADING_MAX];
	memcpy(cmds, w->cmd, sizeof cmds[0] * n);
	w->n = 0;
	for (unsigned i = 0; i < n; i++)
		start(p, &cmds[i], engine_frame(p->eng)); /* waits again, behind those still kept */
}

static void apply(struct player *p, const struct audio_cmd *c)
{
	struct timed_cmds *s = &p->mv.timed;
	int64_t frame = engine_frame(p->eng);
	if (p->mv.quit_left >= 0)
		return; /* closing: nothing else starts */
	switch (c->kind) {
	case ACMD_QUIT: {
		struct audio_cmd f = { .kind = ACMD_VOLUME, .value = 0, .fade_s = QUIT_FADE_S };
		engine_apply(p->eng, &f);
		p->mv.quit_left = (long)(QUIT_FADE_S * p->rate) + QUIT_PAD;
		s->n = 0;
		p->mv.loading.n = 0;
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
		if (c->at_ns != AUDIO_NOW && playclock_frame_at(&p->clock, c->at_ns) > frame)
			timed_add(s, c);
		else
			start(p, c, frame);
	}
}

/* ----------------------------------------------------------------- marks */
static struct mark *mark_at(struct player *p, unsigned i)
{
	return &p->marks[(p->mark_head + i) % MAX_MARKS];
}

static void drop_oldest_mark(struct player *p)
{
	p->mark_head = (p->mark_head + 1) % MAX_MARKS;
	p->nmarks--;
	/* What was logged before the oldest mark can no longer be replayed. */
	int64_t oldest = p->nmarks ? mark_at(p, 0)->frame : INT64_MAX;
	while (p->log_first < p->log_end && p->log[p->log_first % LOG_MAX].frame < oldest)
		p->log_first++;
}

/* A mark at the mix position, when it stands on a mark's frame and has
 * none yet: before anything happens at that frame. */
static void ensure_mark(struct player *p)
{
	if (!p->with_marks)
		return;
	int64_t f = engine_frame(p->eng);
	if (f % p->mark_every != 0 || (p->nmarks && mark_at(p, p->nmarks - 1)->frame == f))
		return;
	while (p->nmarks && (p->nmarks == MAX_MARKS || mark_at(p, 0)->frame < f - p->keep))
		drop_oldest_mark(p);
	struct mark *m = mark_at(p, p->nmarks++);
	engine_mark(p->eng, m->em);
	moving_copy(&m->mv, &p->mv);
	m->frame = f;
}

static void log_cmd(struct player *p, const struct audio_cmd *c)
{
	if (!p->with_marks)
		return;
	while (p->log_end - p->log_first == LOG_MAX && p->nmarks)
		drop_oldest_mark(p);
	if (p->log_end - p->log_first == LOG_MAX) /* no mark left to replay it from */
		p->log_first = p->log_end;
	p->log[p->log_end % LOG_MAX] = (struct logged){ engine_frame(p->eng), *c };
	p->log_end++;
}

/* ------------------------------------------------------------------- API */
struct player *player_new(struct engine *eng, struct loader *loader, struct feeder *feeder, int rate,
                          int channels, bool with_marks, int64_t latency_ns, int64_t now_ns)
{
	struct player *p = xcalloc(1, sizeof *p);
	p->eng = eng;
	p->loader = loader;
	p->feeder = feeder;
	p->rate = rate;
	p->channels = channels;
	p->mv.quit_left = -1;
	p->with_marks = with_marks;
	p->mark_every = (long)(PLAYER_MARK_S * rate);
	/* The oldest mark must not be further behind the mix than its feeds
	 * keep: a mark's frame is at most keep + mark_every behind. */
	p->keep = (long)(FEED_HISTORY_S * rate) - 2 * p->mark_every;
	playclock_init(&p->clock, rate, latency_ns, now_ns);
	if (with_marks) {
		for (int i = 0; i < MAX_MARKS; i++)
			p->marks[i].em = engine_mark_new();
		p->scratch = xmalloc(sizeof *p->scratch * PLAYER_MAX_MIX * (size_t)channels);
	}
	return p;
}

void player_free(struct player *p, struct speaker *speaker)
{
	if (!p)
		return;
	if (speaker)
		speaker_give_back(speaker, engine_take_all_speech(p->eng));
	engine_free(p->eng);
	for (int i = 0; i < MAX_MARKS; i++)
		engine_mark_free(p->marks[i].em);
	free(p->scratch);
	free(p);
}

struct engine *player_engine(struct player *p)
{
	return p->eng;
}

struct playclock *player_clock(struct player *p)
{
	return &p->clock;
}

int64_t player_frame(const struct player *p)
{
	return engine_frame(p->eng);
}

int64_t player_take(struct player *p, struct speaker *speaker)
{
	int64_t due = -1;
	/* The voice: lines made ready go to the engine; lines spent before
	 * any mark go back, and the worker learns how far the session has
	 * come. */
	if (speaker) {
		struct engine_speech *s = speaker_take(speaker);
		while (s) {
			struct engine_speech *next = s->next;
			if (engine_add_speech(p->eng, s))
				due = 0; /* an aside that was waiting: from as soon as can be heard */
			s = next;
		}
		int64_t before = p->with_marks && p->nmarks ? mark_at(p, 0)->frame : engine_frame(p->eng);
		speaker_give_back(speaker, engine_take_spent_before(p->eng, before));
		speaker_reached(speaker, engine_speech_reached(p->eng));
	}
	/* Sounds: to the feeder (which decodes layers ahead from now on),
	 * then to the engine. The commands that waited for them are due
	 * from the earliest of their frames. */
	struct engine_sound *s = loader_take(p->loader);
	if (!s)
		return due;
	while (s) {
		struct engine_sound *next = s->next;
		debug_log("%s %s ready%s%s", s->kind == ENGINE_CUE ? "cue" : "layer", s->name,
		          s->error[0] ? ": " : "", s->error);
		if (s->feed)
			feeder_add(p->feeder, s->feed);
		engine_add_sound(p->eng, s);
		s = next;
	}
	/* Which of them would start, as start_waiting goes through them:
	 * each behind those before it that still wait. */
	struct loading_cmds all = p->mv.loading;
	p->mv.loading.n = 0;
	for (unsigned i = 0; i < all.n; i++) {
		const struct audio_cmd *c = &all.cmd[i];
		if (must_wait(p, c)) {
			p->mv.loading.cmd[p->mv.loading.n++] = *c;
			continue;
		}
		int64_t f = c->at_ns == AUDIO_NOW ? 0 : playclock_frame_at(&p->clock, c->at_ns);
		f = f < 0 ? 0 : f;
		if (due < 0 || f < due)
			due = f;
	}
	p->mv.loading = all;
	return due;
}

void player_start_waiting(struct player *p)
{
	ensure_mark(p);
	start_waiting(p);
}

int64_t player_late_frame(const struct player *p, const struct audio_cmd *c)
{
	int64_t mixed = engine_frame(p->eng);
	if (mixed == 0)
		return -1;
	if (c->at_ns == AUDIO_NOW || c->kind == ACMD_QUIT)
		return 0;
	int64_t f = playclock_frame_at(&p->clock, c->at_ns);
	return f >= mixed ? -1 : f < 0 ? 0 : f;
}

int64_t player_oldest(const struct player *p)
{
	return p->with_marks && p->nmarks ? mark_at((struct player *)p, 0)->frame : INT64_MAX;
}

bool player_rewind(struct player *p, int64_t f)
{
	if (!p->with_marks)
		return false;
	if (f > engine_frame(p->eng))
		f = engine_frame(p->eng);
	int i = (int)p->nmarks - 1;
	while (i >= 0 && mark_at(p, (unsigned)i)->frame > f)
		i--;
	if (i < 0)
		return false;
	struct mark *m = mark_at(p, (unsigned)i);
	if (!engine_rewind(p->eng, m->em))
		return false;
	moving_copy(&p->mv, &m->mv);
	p->nmarks = (unsigned)i + 1; /* the marks after it are remade as the mix goes on again */
	start_waiting(p);
	uint64_t j = p->log_first;
	while (j < p->log_end && p->log[j % LOG_MAX].frame < m->frame)
		j++;
	/* Mixed again, unheard, up to f, with what was logged and the lines
	 * that came (as player_take gives them, before the commands) at their
	 * frames. */
	while (engine_frame(p->eng) < f) {
		int64_t stop = f, arrival = engine_next_arrival(p->eng);
		if (j < p->log_end && p->log[j % LOG_MAX].frame < stop)
			stop = p->log[j % LOG_MAX].frame;
		if (arrival < stop)
			stop = arrival;
		while (engine_frame(p->eng) < stop) {
			int64_t n = stop - engine_frame(p->eng);
			player_mix(p, p->scratch, n < PLAYER_MAX_MIX ? (long)n : PLAYER_MAX_MIX);
		}
		ensure_mark(p);
		engine_arrive(p->eng, engine_frame(p->eng));
		for (; j < p->log_end && p->log[j % LOG_MAX].frame <= engine_frame(p->eng) &&
		       p->log[j % LOG_MAX].frame < f; j++)
			apply(p, &p->log[j % LOG_MAX].cmd);
	}
	/* What came after f comes at f, in its order. */
	ensure_mark(p);
	engine_arrive(p->eng, INT64_MAX);
	for (; j < p->log_end; j++) {
		p->log[j % LOG_MAX].frame = f;
		apply(p, &p->log[j % LOG_MAX].cmd);
	}
	return true;
}

void player_post(struct player *p, const struct audio_cmd *c)
{
	ensure_mark(p);
	log_cmd(p, c);
	apply(p, c);
}

void player_mix(struct player *p, float *buf, long frames)
{
	struct timed_cmds *s = &p->mv.timed;
	long done = 0;
	while (done < frames) {
		ensure_mark(p);
		int64_t at = engine_frame(p->eng);
		long upto = frames;
		if (p->with_marks) { /* stop at the next mark's frame */
			int64_t next = (at / p->mark_every + 1) * p->mark_every;
			if (next - at < frames - done)
				upto = done + (long)(next - at);
		}
		while (!s->held && s->n > 0) {
			int64_t f = playclock_frame_at(&p->clock, s->cmd[0].at_ns) - at;
			if (f > 0) {
				if (f < upto - done)
					upto = done + (long)f;
				break;
			}
			struct audio_cmd c = s->cmd[0];
			timed_pop(s);
			start(p, &c, at);
		}
		engine_render(p->eng, buf + done * p->channels, upto - done);
		if (p->mv.quit_left > 0) {
			long k = upto - done < p->mv.quit_left ? upto - done : p->mv.quit_left;
			p->mv.quit_left -= k;
			if (p->mv.quit_left == 0)
				p->mv.quit_frame = at + k;
		}
		done = upto;
	}
}

bool player_quitting(const struct player *p)
{
	return p->mv.quit_left >= 0;
}

bool player_quit_done(const struct player *p, int64_t *frame)
{
	if (p->mv.quit_left != 0)
		return false;
	if (frame)
		*frame = p->mv.quit_frame;
	return true;
}
