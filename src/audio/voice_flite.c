/* SPDX-License-Identifier: ISC */
/* lull-voice: the speech synthesiser, a process of its own.
 *
 *     lull-voice --cache DIR [--voice NAME|FILE] [--rate R] [--pitch P]
 *     lull-voice --say TEXT -o FILE.wav|.flac [--voice ...] [--rate R] [--pitch P]
 *     lull-voice --list
 *
 * lull runs it (voice.c) and never links flite: flite's voices cost 2-6 MB
 * of lull's memory just by being linked, and synthesising a long line took
 * 16 MB more at its peak (measured: 24 MB against lull's 7), well past the
 * 16 MB lull keeps to. In a child the memory is given back when it exits,
 * and a text that trips up the synthesiser cannot take the session down.
 *
 * With --cache it reads requests on standard input, one a line, "KEY TEXT"
 * (or "!KEY TEXT": spoken outside the plan, before anything waiting), writes
 * each line's speech to DIR/KEY.flac (atomically: the file is there whole or
 * not at all) and answers on standard output "KEY doing" as it takes a line
 * up, then "KEY ok SECONDS" or "KEY error WHY". It exits when its input
 * ends. Should it die on a line all the same, lull knows which one it was
 * (the last "doing"), skips it and starts it again for the rest.
 *
 * What is written: the voice's PCM with the silence flite puts around a line
 * trimmed to 10 ms (so that a line starts when its step does), 5 ms fades
 * at both ends, at VOICE_LUFS integrated (BS.1770) unless that would put a
 * peak over -1 dBFS, resampled once, here, to VOICE_CACHE_RATE (the
 * engine's): lull then only decodes a line (measured: 80 ms of lull's CPU
 * for a 9 s line through the resampler, 6 ms without; and the FLAC file is
 * no larger, the band above the voice's being empty). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <flite/flite.h>
#include <samplerate.h>
#include <sndfile.h>

#include "file.h"
#include "loudness.h"
#include "speech.h"
#include "upsample.h"
#include "util.h"
#include "voice.h"

cst_voice *register_cmu_us_rms(const char *voxdir);
cst_voice *register_cmu_us_awb(const char *voxdir);
cst_voice *register_cmu_us_slt(const char *voxdir);
cst_voice *register_cmu_us_kal16(const char *voxdir);
cst_voice *register_cmu_us_kal(const char *voxdir);
void usenglish_init(cst_voice *v);
cst_lexicon *cmu_lex_init(void);

#define PEAK_MAX 0.89f   /* -1 dBFS */
#define EDGE_S 0.010     /* silence kept before and after the words */
#define FADE_S 0.005
#define SILENT 0.003f    /* -50 dBFS: below this the line has not begun */

static const struct {
	const char *name;
	cst_voice *(*reg)(const char *);
} builtins[] = {
	{ "rms", register_cmu_us_rms }, { "awb", register_cmu_us_awb },
	{ "slt", register_cmu_us_slt }, { "kal16", register_cmu_us_kal16 },
	{ "kal", register_cmu_us_kal },
};

static cst_voice *voice_get(const char *name, char *err, size_t errsize)
{
	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
		if (strcmp(name, builtins[i].name) == 0)
			return builtins[i].reg(NULL);
	if (!strchr(name, '/')) {
		snprintf(err, errsize, "%s: no such voice (built in: rms, awb, slt, kal16, kal; or a .flitevox file)", name);
		return NULL;
	}
	/* Opened without waiting and looked at before flite reads it: a FIFO
	 * would block the open for ever, a device never end. flite then reads
	 * the very file looked at, through /dev/fd, where there is one. */
	int fd = open(name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errsize, "%s: %s", name, fd < 0 ? strerror(errno) : file_strerror(FILE_ENOTREG));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	char same[64];
	snprintf(same, sizeof same, "/dev/fd/%d", fd);
	/* A voice file needs the languages it names registered first. */
	flite_add_lang("eng", usenglish_init, cmu_lex_init);
	flite_add_lang("usenglish", usenglish_init, cmu_lex_init);
	cst_voice *v = flite_voice_load(access(same, R_OK) == 0 ? same : name);
	close(fd);
	if (!v)
		snprintf(err, errsize, "%s: not a voice flite can load", name);
	return v;
}

/* Rate and pitch over the voice's own: a slower rate stretches every
 * duration, a pitch in semitones moves the mean of the intonation (voices
 * without an intonation target, such as rms, keep their own pitch). */
static void voice_tune(cst_voice *v, double rate, double pitch)
{
	double stretch = get_param_float(v->features, "duration_stretch", 1.0);
	feat_set_float(v->features, "duration_stretch", (float)(stretch / rate));
	if (pitch != 0 && feat_present(v->features, "int_f0_target_mean")) {
		double mean = get_param_float(v->features, "int_f0_target_mean", 100);
		feat_set_float(v->features, "int_f0_target_mean", (float)(mean * pow(2.0, pitch / 12.0)));
	}
}

/* ------------------------------------------------------------ the speech */
struct pcm {
	float *x;
	long n;
	int rate;
};

static bool synthesise(cst_voice *v, const char *text, struct pcm *out)
{
	/* Whatever the text, flite gets words and punctuation of bounded
	 * length (speech.h says why). */
	char safe[SPEECH_TEXT_MAX + 1];
	if (speech_normalise(text, safe, sizeof safe) == 0)
		return false;
	cst_wave *w = flite_text_to_wave(safe, v);
	if (!w || w->num_samples <= 0 || w->num_channels != 1) {
		if (w)
			delete_wave(w);
		return false;
	}
	out->rate = w->sample_rate;
	out->x = xmalloc(sizeof(float) * (size_t)w->num_samples);
	out->n = w->num_samples;
	for (long i = 0; i < out->n; i++)
		out->x[i] = (float)w->samples[i] / 32768.0f;
	delete_wave(w);
	return true;
}

/* Trimmed to the words, faded at the edges, at the voice's loudness. */
static void shape(struct pcm *p)
{
	long first = 0, last = p->n - 1;
	while (first < p->n && fabsf(p->x[first]) < SILENT)
		first++;
	while (last > first && fabsf(p->x[last]) < SILENT)
		last--;
	long edge = (long)(EDGE_S * p->rate);
	first = first > edge ? first - edge : 0;
	last = last + edge < p->n ? last + edge : p->n - 1;
	long n = first <= last ? last - first + 1 : 0;
	memmove(p->x, p->x + first, sizeof(float) * (size_t)n);
	p->n = n;
	long fade = (long)(FADE_S * p->rate);
	for (long i = 0; i < fade && i < n; i++) {
		float g = (float)i / (float)fade;
		p->x[i] *= g;
		p->x[n - 1 - i] *= g;
	}
	double lufs = loudness_integrated(p->x, n, 1, p->rate);
	float peak = loudness_peak(p->x, n);
	if (!isfinite(lufs) || peak <= 0)
		return;
	float gain = (float)pow(10.0, (VOICE_LUFS - lufs) / 20.0);
	if (peak * gain > PEAK_MAX)
		gain = PEAK_MAX / peak;
	for (long i = 0; i < n; i++)
		p->x[i] *= gain;
}

/* To the cache's rate. Flite's 16 kHz voices go up exactly threefold
 * through a fixed polyphase filter (upsample.h: 37 multiply-adds a sample,
 * where libsamplerate's fastest sinc took 36% of the synthesiser's
 * instructions); any other rate (an 8 kHz voice file) through
 * libsamplerate's fastest sinc, as track.c does. */
static bool resample(struct pcm *p, int rate)
{
	if (p->rate == rate || p->n == 0)
		return true;
	float *y;
	long n;
	if (rate == 3 * p->rate) {
		n = 3 * p->n;
		y = xmalloc(sizeof(float) * (size_t)n);
		upsample3(p->x, p->n, y);
	} else {
		double ratio = (double)rate / p->rate;
		long cap = (long)((double)p->n * ratio) + 16;
		y = xmalloc(sizeof(float) * (size_t)cap);
		SRC_DATA d = { .data_in = p->x, .input_frames = p->n, .data_out = y, .output_frames = cap,
			       .src_ratio = ratio, .end_of_input = 1 };
		if (src_simple(&d, SRC_SINC_FASTEST, 1) != 0) {
			free(y);
			return false;
		}
		n = d.output_frames_gen;
	}
	free(p->x);
	p->x = y;
	p->n = n;
	p->rate = rate;
	for (long i = 0; i < p->n; i++) /* the filter's ripple past the peak limit */
		p->x[i] = p->x[i] > 0.99f ? 0.99f : p->x[i] < -0.99f ? -0.99f : p->x[i];
	return true;
}

/* ------------------------------------------------------------ the file */
struct membuf {
	unsigned char *b;
	sf_count_t len, cap, pos;
};

static sf_count_t mem_len(void *u)
{
	return ((struct membuf *)u)->len;
}

static sf_count_t mem_seek(sf_count_t off, int whence, void *u)
{
	struct membuf *m = u;
	sf_count_t at = whence == SEEK_SET ? off : whence == SEEK_CUR ? m->pos + off : m->len + off;
	if (at < 0)
		return -1;
	m->pos = at;
	return at;
}

static sf_count_t mem_read(void *ptr, sf_count_t n, void *u)
{
	struct membuf *m = u;
	sf_count_t k = m->pos < m->len ? m->len - m->pos : 0;
	if (k > n)
		k = n;
	memcpy(ptr, m->b + m->pos, (size_t)k);
	m->pos += k;
	return k;
}

static sf_count_t mem_write(const void *ptr, sf_count_t n, void *u)
{
	struct membuf *m = u;
	if (m->pos + n > m->cap) {
		m->cap = (m->pos + n) * 2;
		m->b = xrealloc(m->b, (size_t)m->cap);
	}
	if (m->pos > m->len)
		memset(m->b + m->len, 0, (size_t)(m->pos - m->len));
	memcpy(m->b + m->pos, ptr, (size_t)n);
	m->pos += n;
	if (m->pos > m->len)
		m->len = m->pos;
	return n;
}

static sf_count_t mem_tell(void *u)
{
	return ((struct membuf *)u)->pos;
}

/* The PCM as a 16-bit file of the format, in memory. */
static bool encode(const struct pcm *p, int format, struct membuf *m)
{
	SF_VIRTUAL_IO io = { mem_len, mem_seek, mem_read, mem_write, mem_tell };
	SF_INFO si = { .samplerate = p->rate, .channels = 1, .format = format | SF_FORMAT_PCM_16 };
	memset(m, 0, sizeof *m);
	SNDFILE *sf = sf_open_virtual(&io, SFM_WRITE, &si, m);
	if (!sf)
		return false;
	bool ok = sf_writef_float(sf, p->x, p->n) == p->n;
	return sf_close(sf) == 0 && ok;
}

/* ------------------------------------------------------------ serving */
struct request {
	char key[SPEECH_KEY_LEN + 1];
	char *text;
	bool first;
};

/* SIGTERM (lull is done with it): leave after the line in hand, without
 * writing it, so that nothing is left half-made. */
static volatile sig_atomic_t quit;

static void on_term(int sig)
{
	(void)sig;
	quit = 1;
}

static struct request *queue;
static size_t nqueue, capqueue;

static void queue_line(char *line)
{
	bool first = line[0] == '!';
	char *key = line + first, *sp = strchr(key, ' ');
	if (!sp || sp - key != SPEECH_KEY_LEN || strspn(key, "0123456789abcdef") != SPEECH_KEY_LEN)
		return; /* not a request of ours */
	if (nqueue == capqueue) {
		capqueue = capqueue ? capqueue * 2 : 64;
		queue = xrealloc(queue, capqueue * sizeof *queue);
	}
	struct request *r = &queue[nqueue++];
	memcpy(r->key, key, SPEECH_KEY_LEN);
	r->key[SPEECH_KEY_LEN] = '\0';
	r->text = xstrdup(sp + 1);
	r->first = first;
}

/* Takes in what standard input has (waiting for it only when block and
 * nothing is queued); false at its end. */
static bool read_requests(bool block)
{
	static char buf[65536];
	static size_t used;
	for (;;) {
		struct pollfd p = { STDIN_FILENO, POLLIN, 0 };
		int rc = poll(&p, 1, block && nqueue == 0 ? -1 : 0);
		if (quit)
			return false;
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return true;
		ssize_t got = read(STDIN_FILENO, buf + used, sizeof buf - 1 - used);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return false;
		used += (size_t)got;
		char *start = buf, *nl;
		while ((nl = memchr(start, '\n', used - (size_t)(start - buf)))) {
			*nl = '\0';
			queue_line(start);
			start = nl + 1;
		}
		used -= (size_t)(start - buf);
		memmove(buf, start, used);
		if (used == sizeof buf - 1)
			used = 0; /* a line longer than any text lull sends: dropped */
	}
}

/* The next request: the first of those spoken outside the plan, else the
 * oldest. */
static bool next_request(struct request *out)
{
	if (nqueue == 0)
		return false;
	size_t k = 0;
	for (size_t i = 0; i < nqueue; i++)
		if (queue[i].first) {
			k = i;
			break;
		}
	*out = queue[k];
	memmove(queue + k, queue + k + 1, (nqueue - k - 1) * sizeof *queue);
	nqueue--;
	return true;
}

static void serve(cst_voice *v, const char *dir)
{
	bool open = true;
	for (;;) {
		if (open)
			open = read_requests(true);
		struct request r;
		if (!next_request(&r)) {
			if (!open)
				return;
			continue;
		}
		struct pcm p;
		struct membuf m = { 0 };
		char *path = xasprintf("%s/%s.flac", dir, r.key);
		printf("%s doing\n", r.key);
		fflush(stdout);
		if (!synthesise(v, r.text, &p)) {
			printf("%s error the voice could not say this\n", r.key);
		} else if (quit) {
			free(p.x);
			free(path);
			free(r.text);
			return;
		} else {
			shape(&p);
			if (!resample(&p, VOICE_CACHE_RATE) || !encode(&p, SF_FORMAT_FLAC, &m))
				printf("%s error cannot encode the speech\n", r.key);
			else if (file_write_atomic(path, m.b, (size_t)m.len, NULL) != 0)
				printf("%s error %s: %s\n", r.key, path, file_strerror(errno));
			else
				printf("%s ok %.3f\n", r.key, (double)p.n / p.rate);
			free(p.x);
		}
		free(m.b);
		free(path);
		free(r.text);
		if (fflush(stdout) != 0)
			return; /* lull has gone */
		if (open)
			open = read_requests(false);
	}
}

/* ------------------------------------------------------------ main */
static int usage(void)
{
	fputs("usage: lull-voice --cache DIR [--voice NAME|FILE] [--rate R] [--pitch P]\n"
	      "       lull-voice --say TEXT -o FILE.wav|FILE.flac [--voice ...] [--rate R] [--pitch P]\n"
	      "       lull-voice --list\n"
	      "lull's speech synthesiser (flite); lull runs it, see lull(1).\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cache", required_argument, NULL, 'c' }, { "voice", required_argument, NULL, 'v' },
		{ "rate", required_argument, NULL, 'r' },  { "pitch", required_argument, NULL, 'p' },
		{ "say", required_argument, NULL, 's' },   { "output", required_argument, NULL, 'o' },
		{ "list", no_argument, NULL, 'l' },        { NULL, 0, NULL, 0 },
	};
	const char *cache = NULL, *name = VOICE_DEFAULT_NAME, *say = NULL, *outfile = NULL;
	double rate = 1, pitch = 0;
	int c;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'c': cache = optarg; break;
		case 'v': name = optarg; break;
		case 'r': rate = atof(optarg); break;
		case 'p': pitch = atof(optarg); break;
		case 's': say = optarg; break;
		case 'o': outfile = optarg; break;
		case 'l':
			for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
				puts(builtins[i].name);
			return 0;
		default: return usage();
		}
	}
	if (optind < argc || !(rate >= VOICE_RATE_MIN && rate <= VOICE_RATE_MAX) ||
	    !(fabs(pitch) <= VOICE_PITCH_MAX) || (!cache == !(say && outfile)))
		return usage();
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	/* Over a file size limit a write fails with EFBIG, said for the line
	 * it was writing, instead of the signal ending the synthesiser with a
	 * half-written temporary file left behind. */
	signal(SIGXFSZ, SIG_IGN);
	flite_init();
	char err[300];
	cst_voice *v = voice_get(name, err, sizeof err);
	if (!v) {
		if (cache) /* lull reads this, not standard error */
			printf("- error %s\n", err);
		fprintf(stderr, "lull-voice: %s\n", err);
		return 1;
	}
	voice_tune(v, rate, pitch);
	if (cache) {
		serve(v, cache);
		return 0;
	}
	struct pcm p;
	if (!synthesise(v, say, &p)) {
		fprintf(stderr, "lull-voice: the voice could not say this\n");
		return 1;
	}
	shape(&p);
	const char *dot = strrchr(outfile, '.');
	if (!resample(&p, VOICE_CACHE_RATE)) {
		fprintf(stderr, "lull-voice: cannot resample\n");
		return 1;
	}
	struct membuf m;
	bool ok = encode(&p, dot && strcmp(dot, ".flac") == 0 ? SF_FORMAT_FLAC : SF_FORMAT_WAV, &m) &&
	          file_write_atomic(outfile, m.b, (size_t)m.len, NULL) == 0;
	if (!ok)
		fprintf(stderr, "lull-voice: %s: cannot write\n", outfile);
	else
		printf("%.3f\n", (double)p.n / p.rate);
	free(m.b);
	free(p.x);
	return ok ? 0 : 1;
}
