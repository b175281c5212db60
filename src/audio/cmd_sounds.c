/* SPDX-License-Identifier: ISC */
/* What `lull sounds` and `lull render` do with sound (cmd_render.c reads
 * their options and the settings, and passes what is needed here). */
#include "config.h"

#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd_sounds.h"
#include "engine.h"
#include "loudness.h"
#include "output.h"
#include "soundpath.h"
#include "soundplan.h"
#include "speaker.h"
#include "timeline.h"
#include "text.h"
#include "track.h"
#include "util.h"

/* ------------------------------------------------------------ lull sounds */
static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sounds of dir that are cues (cues true) or loops (false), each a line
 * with its length and format. names_only: the names alone, one a line (for
 * shell completion), leaving out any a terminal could not be given as it
 * is. */
static void list_dir(const char *dir, const char *origin, bool cues, bool names_only, int *count)
{
	DIR *d = dir ? opendir(dir) : NULL;
	if (!d)
		return;
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !soundpath_is_sound(de->d_name))
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	/* With no sound here names is NULL, and qsort's list may not be,
	 * even for none (UBSan says so). */
	if (n > 1)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		char *dot = strrchr(names[i], '.');
		*dot = '\0';
		if (soundplan_is_cue_name(names[i]) != cues) {
			free(names[i]);
			continue;
		}
		*dot = '.';
		char *path = xasprintf("%s/%s", dir, names[i]);
		*dot = '\0';
		char shown[64]; /* a file name may hold anything: never raw on the terminal */
		text_sanitize_into(shown, sizeof shown, names[i]);
		if (names_only) {
			if (strcmp(shown, names[i]) == 0 && !strchr(shown, ' '))
				puts(shown);
			(*count)++;
			free(path);
			free(names[i]);
			continue;
		}
		struct track_info info;
		char err[256];
		if (track_probe(path, &info, err, sizeof err) == 0) {
			int secs = (int)lrint(info.seconds);
			printf("%-16s %3d:%02d  %6d Hz  %-6s  %-12s  %s\n", shown, secs / 60, secs % 60, info.rate,
			       info.channels == 1 ? "mono" : info.channels == 2 ? "stereo" : "multi", info.format, origin);
		} else {
			const char *why = strrchr(err, ':');
			printf("%-16s unreadable:%s  %s\n", shown, why ? why + 1 : err, origin);
		}
		(*count)++;
		free(path);
		free(names[i]);
	}
	free(names);
}

int audio_sounds_list(bool names_only)
{
	int count = 0;
	char *user = soundpath_user_dir();
	const char *builtin = soundpath_builtin_dir();
	if (names_only) {
		list_dir(user, "yours", false, true, &count);
		list_dir(builtin, "built-in", false, true, &count);
	} else {
		static const char *const heads[] = {
			"Loops: the ambient bed (--sound LOOP[:VOLUME], sounds = in the config)",
			"Cues: rung at the breath's phases and the steps (cues, cue_style, a program's chime)",
		};
		for (int cues = 0; cues <= 1; cues++) {
			printf("%s%s\n%-16s %6s  %9s  %-6s  %-12s  %s\n", cues ? "\n" : "", heads[cues], "NAME", "LENGTH",
			       "RATE", "CH", "FORMAT", "FROM");
			list_dir(user, "yours", cues, false, &count);
			list_dir(builtin, "built-in", cues, false, &count);
		}
	}
	if (count == 0)
		fprintf(stderr, "lull: no sounds found (looked in %s and %s)%s\n", user ? user : "(no home)", builtin,
		        soundpath_builtin_missing()
		                ? "; the built-in sounds are not installed yet (make install, or set LULL_SOUNDS_DIR)"
		                : "");
	free(user);
	return count;
}

void audio_sounds_output(const char *driver)
{
	/* Which way a session's sound goes, so a timing report can say. */
	char how[200], shown[200];
	output_describe(driver, how, sizeof how);
	text_sanitize_into(shown, sizeof shown, how);
	printf("\nSound plays through: %s\n", shown);
}

/* ------------------------------------------------------------ lull render */

enum { RENDER_RATE = AUDIO_RENDER_RATE, RENDER_CH = AUDIO_RENDER_CH };
/* Frames mixed at a time; the limiter's buffer has room for as many again
 * (its flush at the end: the look-ahead, 5 ms). */
enum { RENDER_BLOCK = 2048 };
/* The pause between the spoken safety note and the program, in render. */
#define RENDER_NOTE_GAP_S 2.0
/* The limiter's ceiling, under LOUDNESS_CEILING_DBTP: other meters
 * interpolate between samples a little differently (ffmpeg's ebur128 reads
 * up to 0.1 dB more on speech), and a lossy encoder overshoots (a 10-minute
 * sleep with rain limited at -1.7 dBTP read -1.7 as WAV, -1.4 as MP3 and
 * Opus, -1.3 as Ogg Vorbis; limited at -2.0, the same). */
#define RENDER_CEILING_DBTP (LOUDNESS_CEILING_DBTP - 0.2)
#define RENDER_LOSSY_CEILING_DBTP (LOUDNESS_CEILING_DBTP - 1.2)
/* How far from LOUDNESS_TARGET_LUFS a file may come out before it is
 * written again (the promise is 1 LU). */
#define RENDER_LUFS_SLACK 0.3

static void flush_messages(struct engine *e)
{
	char msg[160];
	if (engine_take_message(e, msg, sizeof msg)) {
		char *safe = text_sanitize(msg); /* a sound's name is a file's */
		fprintf(stderr, "lull: %s\n", safe);
		free(safe);
	}
}

/* One event of the sound plan as the engine takes it (SP_EV_SPEAK is
 * render's own: its line is made first). */
static struct audio_cmd render_cmd(const struct sp_event *e)
{
	static const enum audio_cmd_kind kind[] = {
		[SP_EV_LAYER_ON] = ACMD_LAYER_ON, [SP_EV_LAYER_OFF] = ACMD_LAYER_OFF,
		[SP_EV_VOLUME] = ACMD_VOLUME, [SP_EV_FADE_OUT] = ACMD_FADE_OUT,
		[SP_EV_CUE] = ACMD_CUE, [SP_EV_BREATH] = ACMD_BREATH, [SP_EV_DUCK] = ACMD_DUCK,
	};
	struct audio_cmd c = { .kind = kind[e->kind], .value = e->volume,
	                       .fade_s = (double)e->fade / PACE_US_PER_S };
	if (e->kind == SP_EV_BREATH) {
		c.phase = (int)e->phase;
		c.fade_s = (double)e->len / PACE_US_PER_S; /* the swell takes the phase */
	}
	str_copy(c.name, e->name ? e->name : "", sizeof c.name);
	return c;
}

/* The first frame at or after session time t: an event is applied there. */
static long long frame_at(pace_us t)
{
	return (t * RENDER_RATE + PACE_US_PER_S - 1) / PACE_US_PER_S;
}

/* A render under way: one pass through the plan. */
struct render {
	struct soundplan *plan;
	struct engine *eng;
	struct speaker *voice;   /* NULL: no spoken lines */
	long long lead;          /* frames before the program: the safety note */
	size_t spoken, cues;
	bool first;              /* the measuring pass: it alone says the engine's messages */
	struct loudness_meter *meter;    /* what the pass measures */
	bool limiting;                   /* the writing pass: */
	float gain;                      /* to the target loudness, */
	struct loudness_limiter limiter; /* under the true-peak ceiling */
};

static void render_messages(struct render *r)
{
	if (r->first)
		flush_messages(r->eng);
}

/* The program's safety note first, as the session's page says it (a track
 * played with the eyes closed has no page to read): the program begins a
 * pause after it, every event of the plan moved by r->lead. */
static void render_note(struct render *r, const char *safety)
{
	size_t k = speaker_aside(r->voice, safety);
	struct engine_speech *note = speaker_get(r->voice, k);
	if (note->frames > 0) {
		r->lead = note->frames + (long long)(RENDER_NOTE_GAP_S * RENDER_RATE);
		r->spoken++;
	}
	engine_add_speech(r->eng, note);
	struct audio_cmd cmd = { .kind = ACMD_SPEAK, .line = k };
	engine_apply(r->eng, &cmd);
	render_messages(r);
}

/* Applies the events of the plan due at frame pos. */
static void render_events(struct render *r, long long pos, size_t *cursor)
{
	struct sp_event ev[16];
	size_t nev;
	while (pos >= r->lead &&
	       (nev = soundplan_events(r->plan, cursor, (pos - r->lead) * PACE_US_PER_S / RENDER_RATE, ev, 16)) > 0) {
		for (size_t i = 0; i < nev; i++) {
			if (ev[i].kind == SP_EV_SPEAK) {
				struct engine_speech *line = speaker_get(r->voice, ev[i].line);
				r->spoken += line->frames > 0 && !line->breath;
				engine_add_speech(r->eng, line);
				struct audio_cmd cmd = { .kind = ACMD_SPEAK, .line = ev[i].line };
				engine_apply(r->eng, &cmd);
			} else {
				struct audio_cmd cmd = render_cmd(&ev[i]);
				engine_apply(r->eng, &cmd);
				r->cues += ev[i].kind == SP_EV_CUE;
			}
			render_messages(r);
		}
	}
}

/* The mixed frames of a pass: measured (the first), or brought to their
 * level, limited, measured and written (the second). 0, or -1 when a
 * write failed. The limiter's delay is flushed with the last block. */
static int render_sink(struct render *r, struct output *out, float *buf, long n, bool last)
{
	float lim[RENDER_BLOCK * 2 * RENDER_CH];
	long k = n;
	if (r->limiting) {
		for (long i = 0; i < n * RENDER_CH; i++)
			buf[i] *= r->gain;
		k = loudness_limiter_run(&r->limiter, buf, lim, n);
		if (last)
			k += loudness_limiter_flush(&r->limiter, lim + k * RENDER_CH);
		buf = lim;
	}
	loudness_meter_feed(r->meter, buf, k);
	if (!r->limiting || k == 0)
		return 0;
	return output_write(out, buf, k);
}

/* Renders up to frame end into out: 0, or 1 when a write failed (said). */
static int render_frames(struct render *r, struct output *out, long long end, const char *outfile)
{
	size_t cursor = 0;
	float buf[RENDER_BLOCK * RENDER_CH];
	long long pos = 0;
	while (pos < end) {
		/* Apply whatever is due at this frame, then render up to the
		 * next event's frame. */
		render_events(r, pos, &cursor);
		long long stop = end;
		pace_us next_us = soundplan_event_time(r->plan, cursor);
		if (next_us != INT64_MAX && r->lead + frame_at(next_us) < stop)
			stop = r->lead + frame_at(next_us);
		if (stop > pos + RENDER_BLOCK)
			stop = pos + RENDER_BLOCK;
		if (stop <= pos)
			stop = pos + 1;
		long n = (long)(stop - pos);
		engine_render(r->eng, buf, n);
		render_messages(r);
		if (r->voice)
			speaker_give_back(r->voice, engine_take_spent(r->eng));
		if (render_sink(r, out, buf, n, stop >= end) != 0) {
			char *safe = text_escape(outfile, strlen(outfile), 200);
			fprintf(stderr, "lull: %s: write failed\n", safe);
			free(safe);
			return 1;
		}
		pos += n;
	}
	return 0;
}

/* One pass through the plan, every event at its frame: r's plan, meter,
 * and (writing) gain and limiter are set; its counts and lead are found.
 * The second pass mixes the same frames again, the voice from the cache
 * the first filled. Returns the frames rendered, and rc. */
static long long render_pass(struct render *r, const struct audio_render_job *job, const struct engine_cfg *cfg,
                             struct output *out, int *rc)
{
	r->eng = engine_new(cfg);
	r->voice = NULL;
	r->lead = 0;
	r->spoken = r->cues = 0;
	/* The voice through the same cache as a session, without a thread:
	 * each line is made (or read) as the render reaches it, while the
	 * synthesiser works ahead on the rest. */
	if (cfg->voice) {
		const struct sp_line *lines;
		size_t nlines = soundplan_lines(r->plan, &lines);
		r->voice = speaker_start(&job->voice, lines, nlines, RENDER_RATE, false);
	}
	if (r->voice && job->prog->safety)
		render_note(r, job->prog->safety);
	/* Half a second past the end: the last chime rings out. */
	long long end = r->lead + frame_at(timeline_total(job->tl)) + RENDER_RATE / 2;
	*rc = render_frames(r, out, end, job->outfile);
	if (r->voice)
		speaker_give_back(r->voice, engine_take_all_speech(r->eng));
	speaker_stop(r->voice, 0);
	engine_free(r->eng);
	return end;
}

static struct output *render_open(const struct output_spec *spec)
{
	char err[256];
	struct output *out = output_open(spec, err, sizeof err);
	if (!out) {
		/* It quotes -o's file name: shown, never obeyed. */
		char *safe = text_escape(err, strlen(err), 300);
		fprintf(stderr, "lull: %s\n", safe);
		free(safe);
	}
	return out;
}

/* The writing passes: at r->gain, limited, written to *out, measured into
 * after; written again (once or twice) where the limiter took off more
 * than the slack. The passes made, in all. */
static int render_write(struct render *r, const struct audio_render_job *job, const struct engine_cfg *cfg,
                        const struct output_spec *spec, struct output **out, struct loudness_meter *after,
                        long long *end, int *rc)
{
	int passes = 1;
	for (;;) {
		loudness_meter_init(after, RENDER_CH, RENDER_RATE);
		r->meter = after;
		const char *fmt = output_name(*out);
		bool lossless = strcmp(fmt, "wav") == 0 || strcmp(fmt, "flac") == 0;
		loudness_limiter_init(&r->limiter, RENDER_CH, RENDER_RATE,
		                      lossless ? RENDER_CEILING_DBTP : RENDER_LOSSY_CEILING_DBTP, 0.005, 0.1);
		r->limiting = true;
		*end = render_pass(r, job, cfg, *out, rc);
		loudness_limiter_free(&r->limiter);
		passes++;
		/* The limiter takes a little off where it works hard (a quiet
		 * bed and a few lines, brought up): made good, written again. */
		double got = loudness_meter_integrated(after);
		if (*rc != 0 || !isfinite(got) || fabs(got - LOUDNESS_TARGET_LUFS) <= RENDER_LUFS_SLACK || passes > 3)
			return passes;
		loudness_meter_free(after);
		r->gain *= (float)pow(10, (LOUDNESS_TARGET_LUFS - got) / 20);
		output_close(*out);
		if (!(*out = render_open(spec))) {
			*rc = 1;
			loudness_meter_init(after, RENDER_CH, RENDER_RATE);
			return passes;
		}
	}
}

int audio_render_file(const struct audio_render_job *job)
{
	struct soundplan_cfg snd = job->sound;
	snd.voice = snd.voice && voice_built();
	struct render r = { .plan = soundplan_new(job->tl, &snd) };
	/* A file is brought to its level afterwards, whatever the master
	 * volume (volume 0 stays silence): the mix at full volume, nothing
	 * soft-limited on the way (the writing pass limits the true peak). */
	struct engine_cfg cfg = { .rate = RENDER_RATE, .channels = RENDER_CH, .volume = snd.volume > 0 ? 1 : 0,
	                          .follow = snd.follow, .voice = snd.voice, .voice_volume = job->voice_volume,
	                          .unlimited = true };
	struct output_spec spec = { .driver = "sndfile", .file = job->outfile, .rate = RENDER_RATE,
	                            .channels = RENDER_CH };
	struct output *out = render_open(&spec);
	if (!out) {
		soundplan_free(r.plan);
		return 1;
	}
	clock_t cpu0 = clock();
	/* Twice through the plan: measured, then written at its level. */
	struct loudness_meter before, after;
	loudness_meter_init(&before, RENDER_CH, RENDER_RATE);
	r.meter = &before;
	r.first = true;
	int rc;
	long long end = render_pass(&r, job, &cfg, out, &rc);
	double lufs = loudness_meter_integrated(&before);
	r.gain = isfinite(lufs) ? (float)pow(10, (LOUDNESS_TARGET_LUFS - lufs) / 20) : 1; /* silence stays silence */
	r.first = false;
	int passes = 1;
	if (rc == 0)
		passes = render_write(&r, job, &cfg, &spec, &out, &after, &end, &rc);
	else
		loudness_meter_init(&after, RENDER_CH, RENDER_RATE);
	double cpu = (double)(clock() - cpu0) / CLOCKS_PER_SEC;
	char kind[32] = "";
	if (out)
		str_copy(kind, output_name(out), sizeof kind);
	output_close(out);
	if (rc == 0) {
		int secs = (int)lrint((double)end / RENDER_RATE);
		char said[48] = "", level[80] = "";
		if (snd.voice)
			snprintf(said, sizeof said, ", %zu spoken line%s", r.spoken, r.spoken == 1 ? "" : "s");
		double out_lufs = loudness_meter_integrated(&after);
		if (isfinite(out_lufs))
			snprintf(level, sizeof level, ", %.1f LUFS (%+.1f dB), LRA %.1f LU, %.1f dBTP", out_lufs,
			         20 * log10(r.gain), loudness_meter_range(&after), loudness_meter_true_peak(&after));
		printf("wrote %s: %d:%02d, %d Hz stereo %s, %zu cue%s%s%s, %.0fx real time\n", job->outfile, secs / 60,
		       secs % 60, RENDER_RATE, kind, r.cues, r.cues == 1 ? "" : "s", said, level,
		       cpu > 0 ? passes * (double)end / RENDER_RATE / cpu : 0.0);
	}
	loudness_meter_free(&before);
	loudness_meter_free(&after);
	soundplan_free(r.plan);
	return rc;
}
