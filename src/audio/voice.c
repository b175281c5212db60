/* SPDX-License-Identifier: ISC */
/* The voice: lull's side of the synthesiser and the cache. See voice.h; the
 * synthesiser itself is voice_flite.c. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "file.h"
#include "paths.h"
#include "soundpath.h"
#include "soundplan.h"
#include "spawn.h"
#include "speech.h"
#include "timeline.h"
#include "sysdep.h"
#include "text.h"
#include "track.h"
#include "util.h"
#include "voice.h"

#define MAX_LINE_S 600 /* a line or a recording is cut at 10 minutes */

struct ask {
	char key[SPEECH_KEY_LEN + 1];
	enum voice_state state;
	double seconds; /* as the synthesiser said, -1 when it was in the cache */
	char err[160];
	char *text;     /* while being made: asked again of a restarted synthesiser */
	bool first;
};

/* A synthesiser that dies on a line is started again for the rest, the line
 * skipped; one that keeps dying (on its start, or on line after line) is
 * given up after this many. */
#define RESTARTS_MAX 8

/* The longest the synthesiser may be silent while a line is being waited
 * for: flite says a 10-minute line (the longest there is) in some 15 s. A
 * synthesiser quiet for longer is stuck (on a voice file that never ends
 * opening, say): it is stopped and the line in its hands skipped. */
#define SILENCE_MAX_NS (60 * 1000000000LL)

struct voice {
	struct voice_cfg cfg;
	char *id;               /* the voice as its keys name it */
	char *dir;              /* the cache, NULL until needed (or when there is none) */
	bool dir_tried, dir_temporary;
	pid_t pid;              /* the synthesiser, 0 until started */
	int to, from;           /* its standard input and output (ours non-blocking) */
	char *out;              /* requests it has not taken yet */
	size_t outlen, outcap;
	char in[2048];          /* a reply not yet whole */
	size_t inlen;
	bool skip;              /* dropping the rest of a reply too long for in */
	int64_t heard_ns;       /* when the synthesiser last said something */
	struct ask *asks;
	size_t nasks, capasks;
	char error[200];        /* why it cannot speak ("" while it can) */
	char doing[SPEECH_KEY_LEN + 1]; /* the line in its hands ("" none) */
	int restarts;
	int refused;            /* why the cache was not used (errno), 0: nothing to say */
};

bool voice_built(void)
{
	return true;
}

/* The synthesiser: $LULL_VOICE_HELPER (tests, tools/dev.sh run), else the
 * installed one. Never the build tree's: an installed lull ran the builder's
 * checkout, and whatever was later planted there. */
static const char *helper_path(void)
{
	const char *env = getenv("LULL_VOICE_HELPER");
	if (env && *env)
		return env;
	return LULL_LIBEXECDIR "/lull-voice";
}

struct voice *voice_new(const struct voice_cfg *cfg)
{
	struct voice *v = xcalloc(1, sizeof *v);
	if (cfg)
		v->cfg = *cfg;
	else
		voice_cfg_default(&v->cfg);
	v->to = v->from = -1;
	/* A voice file is known by where it is, its size and its time: a new
	 * file under the old name makes new keys. */
	struct stat st;
	char real[PATH_MAX];
	if (strchr(v->cfg.name, '/') && realpath(v->cfg.name, real) && stat(real, &st) == 0)
		v->id = xasprintf("%s %lld %lld", real, (long long)st.st_size, (long long)st.st_mtime);
	else
		v->id = xstrdup(v->cfg.name);
	return v;
}

const char *voice_error(const struct voice *v)
{
	return v->error[0] ? v->error : NULL;
}

static void key_of(const struct voice *v, const char *text, char *key)
{
	struct speech_voice sv = { .id = v->id, .rate = v->cfg.rate, .pitch = v->cfg.pitch };
	speech_key(&sv, text, key);
}

/* A synthesiser killed while writing a line leaves its temporary file
 * (file_write_atomic's ".KEY.flac.XXXXXX") behind. Those older than any
 * session could be are removed from the (trusted) cache: only names of
 * exactly that pattern, only regular files, never through a link. */
#define STALE_S (2 * 24 * 3600)

static bool stale_name(const char *n)
{
	return strlen(n) == 1 + SPEECH_KEY_LEN + 6 + 6 && n[0] == '.' &&
	       strspn(n + 1, "0123456789abcdef") == SPEECH_KEY_LEN && strncmp(n + 1 + SPEECH_KEY_LEN, ".flac.", 6) == 0;
}

static void remove_stale(const char *dir, time_t now)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		struct stat st;
		if (stale_name(de->d_name) && fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && st.st_mtime < now - STALE_S)
			unlinkat(dfd, de->d_name, 0);
	}
	closedir(d);
}

/* The cache directory, made 0700 when first needed; without a home, or
 * with one not lull's alone, one of this run's own under $TMPDIR, removed
 * at the end. */
static const char *cache_dir(struct voice *v)
{
	if (v->dir_tried)
		return v->dir;
	v->dir_tried = true;
	/* Trusted as every folder lull reads: a voice/ that someone else
	 * owns or can write to (or a link to such a one) could hold a planted
	 * file that lull would play as speech. Then a cache of this run's own. */
	v->dir = paths_make_subdir(PATH_CACHE, "voice");
	if (v->dir)
		remove_stale(v->dir, time(NULL));
	if (!v->dir) {
		v->refused = errno ? errno : ENOENT; /* said once: voice_take_notice */
		const char *tmp = getenv("TMPDIR");
		char *d = xasprintf("%s/lull-voice-XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
		if (mkdtemp(d)) {
			v->dir = d;
			v->dir_temporary = true;
		} else {
			free(d);
		}
	}
	return v->dir;
}

bool voice_take_notice(struct voice *v, char *buf, size_t size)
{
	if (!v->refused || size == 0)
		return false;
	/* In the words of every folder lull refuses (file_strerror), with the
	 * folder's name where it fits (a session's note is short). */
	const char *why = file_strerror(v->refused);
	char *want = paths_dir(PATH_CACHE);
	int n = -1;
	if (want)
		n = snprintf(buf, size, "cannot use the voice cache %s/voice: %s", want, why);
	if (n < 0 || (size_t)n >= size)
		snprintf(buf, size, "cannot use the voice cache: %s", want ? why : "no home (set HOME or XDG_CACHE_HOME)");
	free(want);
	v->refused = 0;
	return true;
}

static char *cache_path(struct voice *v, const char *key)
{
	const char *dir = cache_dir(v);
	return dir ? xasprintf("%s/%s.flac", dir, key) : NULL;
}

static struct ask *ask_find(struct voice *v, const char *key)
{
	for (size_t i = 0; i < v->nasks; i++)
		if (strcmp(v->asks[i].key, key) == 0)
			return &v->asks[i];
	return NULL;
}

static struct ask *ask_add(struct voice *v, const char *key, enum voice_state state)
{
	if (v->nasks == v->capasks) {
		v->capasks = v->capasks ? v->capasks * 2 : 64;
		v->asks = xrealloc(v->asks, v->capasks * sizeof *v->asks);
	}
	struct ask *a = &v->asks[v->nasks++];
	memset(a, 0, sizeof *a);
	str_copy(a->key, key, sizeof a->key);
	a->state = state;
	a->seconds = -1;
	return a;
}

static void ask_done(struct ask *a, enum voice_state state)
{
	a->state = state;
	free(a->text);
	a->text = NULL;
}

static void out_add(struct voice *v, const char *key, const char *text, bool first)
{
	size_t need = strlen(text) + SPEECH_KEY_LEN + 4;
	if (v->outlen + need > v->outcap) {
		v->outcap = (v->outlen + need) * 2;
		v->out = xrealloc(v->out, v->outcap);
	}
	char *o = v->out + v->outlen;
	o += sprintf(o, "%s%s ", first ? "!" : "", key);
	for (const char *c = text; *c; c++) /* one request a line, whatever the text holds */
		*o++ = *c == '\n' || *c == '\r' ? ' ' : *c;
	*o++ = '\n';
	v->outlen = (size_t)(o - v->out);
}

static bool helper_start(struct voice *v);
static void flush_out(struct voice *v);

static void helper_close(struct voice *v)
{
	if (v->to >= 0)
		close(v->to);
	if (v->from >= 0)
		close(v->from);
	v->to = v->from = -1;
	v->outlen = 0;
}

/* The synthesiser died in the middle of a line (the last it said it was
 * doing): that line fails, naming its text, and a new synthesiser is asked
 * for the rest. False when there is no such line to blame, or it has died
 * too often: then it is given up. */
static bool helper_restart(struct voice *v)
{
	struct ask *bad = v->doing[0] ? ask_find(v, v->doing) : NULL;
	if (!bad || bad->state != VOICE_MAKING || v->restarts >= RESTARTS_MAX || v->pid <= 0)
		return false;
	v->restarts++;
	char *shown = text_escape(bad->text, strlen(bad->text), 60);
	snprintf(bad->err, sizeof bad->err, "voice: the synthesiser stopped on this line (skipped): \"%s\"", shown);
	free(shown);
	ask_done(bad, VOICE_FAILED);
	v->doing[0] = '\0';
	helper_close(v);
	/* Dead or dying: SIGKILL makes sure the wait is short. */
	kill(v->pid, SIGKILL);
	while (waitpid(v->pid, NULL, 0) < 0 && errno == EINTR)
		;
	v->pid = 0;
	if (!helper_start(v))
		return false;
	for (size_t i = 0; i < v->nasks; i++)
		if (v->asks[i].state == VOICE_MAKING && v->asks[i].text)
			out_add(v, v->asks[i].key, v->asks[i].text, v->asks[i].first);
	flush_out(v);
	return true;
}

/* Every line still being made fails, for why (unless a synthesiser that
 * died on a line could be started again). */
static void helper_gone(struct voice *v, const char *why)
{
	if (!v->error[0] && helper_restart(v))
		return;
	if (!v->error[0])
		snprintf(v->error, sizeof v->error, "%s", why);
	for (size_t i = 0; i < v->nasks; i++)
		if (v->asks[i].state == VOICE_MAKING) {
			ask_done(&v->asks[i], VOICE_FAILED);
			str_copy(v->asks[i].err, v->error, sizeof v->asks[i].err);
		}
	helper_close(v);
}

static bool helper_start(struct voice *v)
{
	if (v->pid > 0)
		return v->to >= 0;
	if (v->error[0])
		return false;
	const char *dir = cache_dir(v), *path = helper_path();
	if (!dir) {
		snprintf(v->error, sizeof v->error, "voice: no cache directory (%s); no spoken lines", strerror(errno));
		return false;
	}
	if (access(path, X_OK) != 0) {
		/* Most often a lull run from its build tree, not installed yet. */
		snprintf(v->error, sizeof v->error,
		         "voice: %s is missing (not installed? make install, or set LULL_VOICE_HELPER); no spoken lines",
		         path);
		return false;
	}
	/* A voice file is read like every other file lull reads: a regular
	 * one only (a FIFO would hold the synthesiser at its open). */
	if (strchr(v->cfg.name, '/')) {
		int fd = file_open_read(v->cfg.name);
		if (fd < 0) {
			const char *why = file_strerror(errno);
			snprintf(v->error, sizeof v->error, "voice: %.120s: %s; no spoken lines", v->cfg.name, why);
			return false;
		}
		close(fd);
	}
	int to[2], from[2];
	if (sys_pipe(to, false) != 0)
		goto fail;
	if (sys_pipe(from, false) != 0) {
		close(to[0]);
		close(to[1]);
		goto fail;
	}
	char rate[32], pitch[32];
	snprintf(rate, sizeof rate, "%.3f", v->cfg.rate);
	snprintf(pitch, sizeof pitch, "%.3f", v->cfg.pitch);
	char *argv[] = { (char *)path, "--cache", (char *)dir, "--voice", v->cfg.name, "--rate", rate,
			 "--pitch", pitch, NULL };
	pid_t pid = spawn(argv, to[0], from[1]);
	int e = errno;
	close(to[0]);
	close(from[1]);
	if (pid < 0) {
		close(to[1]);
		close(from[0]);
		errno = e;
		goto fail;
	}
	v->pid = pid;
	v->heard_ns = clock_mono_ns();
	v->skip = false;
	v->inlen = 0;
	v->to = to[1];
	v->from = from[0];
	fcntl(v->to, F_SETFL, fcntl(v->to, F_GETFL) | O_NONBLOCK);
	fcntl(v->from, F_SETFL, fcntl(v->from, F_GETFL) | O_NONBLOCK);
	return true;
fail:
	snprintf(v->error, sizeof v->error, "voice: cannot start %s: %s", path, strerror(errno));
	return false;
}

/* Writes what the synthesiser can take now. A write to a synthesiser that
 * has gone is EPIPE, not a signal: SIGPIPE is blocked for the write and a
 * pending one taken back. */
static void flush_out(struct voice *v)
{
	if (v->to < 0 || v->outlen == 0)
		return;
	sigset_t pipe_set, old;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	ssize_t n;
	do
		n = write(v->to, v->out, v->outlen);
	while (n < 0 && errno == EINTR);
	int e = errno;
	if (n < 0 && e == EPIPE) {
		struct timespec zero = { 0, 0 };
		sigtimedwait(&pipe_set, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (n > 0) {
		memmove(v->out, v->out + n, v->outlen - (size_t)n);
		v->outlen -= (size_t)n;
	} else if (n < 0 && e != EAGAIN) {
		helper_gone(v, "voice: the synthesiser stopped");
	}
}

static void reply(struct voice *v, char *line)
{
	char *sp = strchr(line, ' ');
	if (!sp)
		return;
	*sp++ = '\0';
	if (strcmp(line, "-") == 0) { /* the voice itself: "- error WHY" */
		snprintf(v->error, sizeof v->error, "voice: %s", strncmp(sp, "error ", 6) == 0 ? sp + 6 : sp);
		return;
	}
	struct ask *a = ask_find(v, line);
	if (!a || a->state != VOICE_MAKING)
		return;
	if (strcmp(sp, "doing") == 0) {
		str_copy(v->doing, line, sizeof v->doing);
		return;
	}
	v->doing[0] = '\0';
	if (strncmp(sp, "ok ", 3) == 0) {
		ask_done(a, VOICE_READY);
		a->seconds = atof(sp + 3);
	} else {
		ask_done(a, VOICE_FAILED);
		snprintf(a->err, sizeof a->err, "voice: %s", strncmp(sp, "error ", 6) == 0 ? sp + 6 : sp);
	}
}

/* A synthesiser silent for SILENCE_MAX_NS with a line in hand is stopped
 * (the line skipped, a new one started for the rest). True when it was. */
static bool making(const struct voice *v)
{
	for (size_t i = 0; i < v->nasks; i++)
		if (v->asks[i].state == VOICE_MAKING)
			return true;
	return false;
}

static bool helper_stuck(struct voice *v, int64_t now)
{
	if (v->from < 0 || now < v->heard_ns + SILENCE_MAX_NS || !making(v))
		return false;
	if (v->pid > 0)
		kill(v->pid, SIGKILL);
	helper_gone(v, "voice: the synthesiser stopped answering");
	return true;
}

int voice_timeout_ms(const struct voice *v)
{
	if (v->from < 0 || !making(v))
		return -1;
	int64_t left = v->heard_ns + SILENCE_MAX_NS - clock_mono_ns();
	return left > 0 ? (int)(left / 1000000) + 1 : 0;
}

void voice_pump(struct voice *v)
{
	flush_out(v);
	helper_stuck(v, clock_mono_ns());
	while (v->from >= 0) {
		ssize_t n = read(v->from, v->in + v->inlen, sizeof v->in - 1 - v->inlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			helper_gone(v, v->error[0] ? v->error : "voice: the synthesiser stopped");
			return;
		}
		v->heard_ns = clock_mono_ns();
		v->inlen += (size_t)n;
		char *start = v->in, *nl;
		while ((nl = memchr(start, '\n', v->inlen - (size_t)(start - v->in)))) {
			*nl = '\0';
			if (!v->skip)
				reply(v, start);
			v->skip = false; /* the end of one too long: its start was taken */
			start = nl + 1;
		}
		v->inlen -= (size_t)(start - v->in);
		memmove(v->in, start, v->inlen);
		if (v->inlen == sizeof v->in - 1) {
			/* A reply longer than the buffer (an error naming a long
			 * path): its start is the reply, cut; the rest is dropped
			 * up to its end. Left whole, the line it answers would be
			 * waited for for ever. */
			v->in[v->inlen] = '\0';
			if (!v->skip)
				reply(v, v->in);
			v->skip = true;
			v->inlen = 0;
		}
	}
}

void voice_rest(struct voice *v)
{
	if (v->pid <= 0 || v->to < 0 || v->outlen)
		return;
	for (size_t i = 0; i < v->nasks; i++)
		if (v->asks[i].state == VOICE_MAKING)
			return;
	/* Idle, it waits on its input: ended, it leaves at once. */
	close(v->to);
	close(v->from);
	v->to = v->from = -1;
	while (waitpid(v->pid, NULL, 0) < 0 && errno == EINTR)
		;
	v->pid = 0;
}

int voice_poll_fd(const struct voice *v, short *events, int *out_fd)
{
	*out_fd = v->outlen ? v->to : -1;
	*events = POLLIN;
	return v->from;
}

void voice_ask(struct voice *v, const char *text, bool first)
{
	char key[SPEECH_KEY_LEN + 1];
	key_of(v, text, key);
	if (ask_find(v, key))
		return;
	char *path = cache_path(v, key);
	if (path && access(path, R_OK) == 0) {
		free(path);
		ask_add(v, key, VOICE_READY);
		return;
	}
	free(path);
	if (!helper_start(v)) {
		str_copy(ask_add(v, key, VOICE_FAILED)->err, v->error, sizeof v->asks[0].err);
		return;
	}
	struct ask *a = ask_add(v, key, VOICE_MAKING);
	a->text = xstrdup(text);
	a->first = first;
	out_add(v, key, text, first);
	flush_out(v);
}

enum voice_state voice_state(struct voice *v, const char *text)
{
	char key[SPEECH_KEY_LEN + 1];
	key_of(v, text, key);
	struct ask *a = ask_find(v, key);
	return a ? a->state : VOICE_UNASKED;
}

enum voice_state voice_wait(struct voice *v, const char *text, int64_t deadline_ns, char *err, size_t errsize)
{
	char key[SPEECH_KEY_LEN + 1];
	key_of(v, text, key);
	voice_ask(v, text, false);
	for (;;) {
		struct ask *a = ask_find(v, key);
		if (a->state == VOICE_FAILED)
			snprintf(err, errsize, "%s", a->err);
		if (a->state != VOICE_MAKING)
			return a->state;
		/* Never for ever: a synthesiser silent too long is stuck. */
		int64_t now = clock_mono_ns(), stuck = v->heard_ns + SILENCE_MAX_NS;
		if (helper_stuck(v, now))
			continue;
		int64_t until = deadline_ns > 0 && deadline_ns < stuck ? deadline_ns : stuck;
		if (deadline_ns > 0 && now >= deadline_ns)
			return VOICE_MAKING;
		int timeout = (int)((until - now) / 1000000) + 1;
		struct pollfd p[2] = { { v->from, POLLIN, 0 }, { v->outlen ? v->to : -1, POLLOUT, 0 } };
		if (poll(p, 2, timeout) < 0 && errno != EINTR) {
			helper_gone(v, "voice: cannot wait for the synthesiser");
			continue;
		}
		voice_pump(v);
	}
}

/* A line's PCM lives in pages of its own, mapped for it and unmapped when
 * it is freed, so that its memory goes back to the system at once: from
 * malloc, a megabyte line freed by one thread stays in that thread's arena
 * (measured: lull's peak RSS 14.4 MB with the voice, against 7.8 without). */
static short *pcm_alloc(long frames)
{
	size_t bytes = (size_t)(frames > 0 ? frames : 1) * sizeof(short);
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "lull: out of memory\n");
		abort();
	}
	return p;
}

void voice_pcm_free(short *pcm, long frames)
{
	if (pcm)
		munmap(pcm, (size_t)(frames > 0 ? frames : 1) * sizeof(short));
}

/* A sound file decoded to mono 16-bit at rate, a block at a time (no
 * float copy of the whole line): NULL with err. *frames is the length of
 * the buffer as allocated (voice_pcm_free takes it); the sound may end a
 * few frames before, in silence. */
static short *decode(const char *path, int rate, long *frames, char *err, size_t errsize)
{
	struct track *t = track_open(path, rate, 1, false, 0, err, errsize);
	if (!t)
		return NULL;
	const struct track_info *in = track_source(t);
	long cap = (long)((double)in->frames * rate / in->rate) + 64;
	if (cap > (long)MAX_LINE_S * rate)
		cap = (long)MAX_LINE_S * rate;
	short *pcm = pcm_alloc(cap);
	float block[1024];
	long have = 0;
	while (have < cap) {
		long want = cap - have < 1024 ? cap - have : 1024;
		long got = track_read(t, block, want);
		if (got < 0) {
			snprintf(err, errsize, "%s", track_error(t));
			voice_pcm_free(pcm, cap);
			track_close(t);
			return NULL;
		}
		if (got == 0)
			break;
		for (long i = 0; i < got; i++) {
			float x = block[i] * 32767.0f;
			pcm[have + i] = (short)(x > 32767 ? 32767 : x < -32768 ? -32768 : x + (x >= 0 ? 0.5f : -0.5f));
		}
		have += got;
	}
	track_close(t); /* the rest of the mapping is zero: silence */
	*frames = cap;
	return pcm;
}

short *voice_load(struct voice *v, const char *text, int rate, long *frames, char *err, size_t errsize)
{
	char key[SPEECH_KEY_LEN + 1];
	key_of(v, text, key);
	char *path = cache_path(v, key);
	if (!path) {
		snprintf(err, errsize, "voice: no cache directory");
		return NULL;
	}
	short *pcm = decode(path, rate, frames, err, errsize);
	if (!pcm) {
		/* A damaged entry (a full disk, a crash of the file system) is
		 * made again the next time it is asked for. */
		unlink(path);
		struct ask *a = ask_find(v, key);
		if (a) {
			free(a->text);
			*a = v->asks[--v->nasks];
		}
		free(path);
		return NULL;
	}
	free(path);
	return pcm;
}

double voice_measure(struct voice *v, const char *text, char *err, size_t errsize)
{
	if (voice_wait(v, text, 0, err, errsize) != VOICE_READY)
		return -1;
	char key[SPEECH_KEY_LEN + 1];
	key_of(v, text, key);
	struct ask *a = ask_find(v, key);
	if (a->seconds >= 0)
		return a->seconds;
	char *path = cache_path(v, key);
	struct track_info info;
	int rc = path ? track_probe(path, &info, err, errsize) : -1;
	free(path);
	if (rc != 0)
		return -1;
	a->seconds = info.seconds;
	return a->seconds;
}

short *voice_load_recording(const char *name, int rate, long *frames, char *err, size_t errsize)
{
	char *path = soundpath_find(name);
	if (!path) {
		snprintf(err, errsize, "%s: no such recording", name);
		return NULL;
	}
	short *pcm = decode(path, rate, frames, err, errsize);
	free(path);
	return pcm;
}

double voice_recording_seconds(const char *name, char *err, size_t errsize)
{
	char *path = soundpath_find(name);
	if (!path) {
		snprintf(err, errsize, "%s: no such recording", name);
		return -1;
	}
	struct track_info info;
	int rc = track_probe(path, &info, err, errsize);
	free(path);
	return rc == 0 ? (info.seconds < MAX_LINE_S ? info.seconds : MAX_LINE_S) : -1;
}

/* A cache of this run's own: emptied and removed. */
static void remove_temporary(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		char *p = xasprintf("%s/%s", dir, de->d_name);
		unlink(p);
		free(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

void voice_free(struct voice *v)
{
	if (!v)
		return;
	if (v->to >= 0)
		close(v->to); /* its input ends: it finishes the line in hand and exits */
	if (v->from >= 0)
		close(v->from);
	if (v->pid > 0) {
		/* Not waited for, beyond a look: SIGTERM makes it leave after the
		 * line in hand (voice_flite.c), which a session ending must not
		 * wait for; a child that has not gone yet is reaped by init once
		 * lull exits. */
		kill(v->pid, SIGTERM);
		waitpid(v->pid, NULL, WNOHANG);
	}
	if (v->dir && v->dir_temporary) {
		if (v->pid > 0) /* it may still write there: give it its moment */
			waitpid(v->pid, NULL, 0);
		remove_temporary(v->dir);
	}
	free(v->dir);
	free(v->id);
	free(v->out);
	for (size_t i = 0; i < v->nasks; i++)
		free(v->asks[i].text);
	free(v->asks);
	free(v);
}

/* --- the spoken fit -------------------------------------------------- */

long voice_fit_lines(struct voice *v, const struct program *p, struct voice_fit **out, char *err, size_t errsize)
{
	*out = NULL;
	struct timeline *tl = timeline_new(p, err, errsize);
	if (!tl)
		return -1;
	struct soundplan_cfg cfg = { .volume = 1, .voice = true };
	struct soundplan *sp = soundplan_new(tl, &cfg);
	const struct sp_line *lines;
	size_t n = soundplan_lines(sp, &lines);
	struct voice_fit *fit = xcalloc(n ? n : 1, sizeof *fit);
	/* Everything asked for first: the synthesiser works through them
	 * while the first are measured. */
	for (size_t i = 0; i < n; i++)
		if (!lines[i].recording)
			voice_ask(v, lines[i].text, false);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct sp_line *l = &lines[i];
		if (l->breath)
			continue;
		struct voice_fit *f = &fit[k++];
		f->step = l->step;
		f->line = p->steps[l->step].line;
		f->col = p->steps[l->step].col ? p->steps[l->step].col : 1;
		f->text = l->text;
		f->room_s = (double)l->room / PACE_US_PER_S;
		f->speech_s = -1;
		if (l->recording)
			f->speech_s = voice_recording_seconds(l->recording, f->err, sizeof f->err);
		if (f->speech_s < 0) /* no recording, or a missing one: the voice says it */
			f->speech_s = voice_measure(v, l->text, f->err, sizeof f->err);
	}
	soundplan_free(sp);
	timeline_free(tl);
	*out = fit;
	return (long)k;
}

int voice_fit_warn(struct voice *v, const struct program *p, const char *label, FILE *warn)
{
	if (voice_error(v))
		return 0;
	struct voice_fit *fit;
	char err[200];
	long n = voice_fit_lines(v, p, &fit, err, sizeof err);
	char notice[400];
	if (voice_take_notice(v, notice, sizeof notice)) {
		char *safe = text_sanitize(notice); /* a path from the environment */
		fprintf(warn, "lull: %s\n", safe);
		free(safe);
	}
	int warnings = 0;
	bool told = false;
	for (long i = 0; i < n; i++) {
		const struct voice_fit *f = &fit[i];
		if (f->speech_s < 0) {
			if (!told)
				fprintf(warn, "%s:%u:%u: note: the spoken length is not checked: %s\n", label, f->line,
					f->col, f->err);
			told = true;
		} else if (f->speech_s > f->room_s) {
			fprintf(warn, "%s:%u:%u: warning: spoken, this line takes %.1f s, longer than the %.1f s "
				"its step gives it\n", label, f->line, f->col, f->speech_s, f->room_s);
			warnings++;
		}
	}
	free(fit);
	return warnings;
}
