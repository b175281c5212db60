/* SPDX-License-Identifier: ISC */
/* Audio test fixture; see fixture.h. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <samplerate.h>
#include <sndfile.h>

#include "fixture.h"
#include "loudness.h"
#include "paths.h"
#include "util.h"
#include "../testhome.h"

double fx_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void fx_sleep(double s)
{
	struct timespec ts = { .tv_sec = (time_t)s, .tv_nsec = (long)((s - (double)(time_t)s) * 1e9) };
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

bool fx_have(const char *prog)
{
	const char *path = getenv("PATH");
	if (!path)
		return false;
	char *copy = xstrdup(path), *save = NULL;
	bool found = false;
	for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *p = xasprintf("%s/%s", d, prog);
		found = access(p, X_OK) == 0;
		free(p);
	}
	free(copy);
	return found;
}

static char home[100];

bool fx_thread_file(const char *name, const char *leaf, char *buf, size_t size)
{
	DIR *d = opendir("/proc/self/task");
	if (!d)
		return false;
	bool found = false;
	for (struct dirent *e; !found && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char path[320], comm[32] = "";
		snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		if (!fgets(comm, sizeof comm, f))
			comm[0] = '\0';
		fclose(f);
		comm[strcspn(comm, "\n")] = '\0';
		if (strcmp(comm, name) != 0)
			continue;
		snprintf(path, sizeof path, "/proc/self/task/%s/%s", e->d_name, leaf);
		if (!(f = fopen(path, "r")))
			continue;
		size_t n = fread(buf, 1, size - 1, f);
		fclose(f);
		buf[n] = '\0';
		found = true;
	}
	closedir(d);
	return found;
}

const char *fx_home(void)
{
	if (home[0])
		return home;
	if (!testtmp_make(home, sizeof home, "audio"))
		abort();
	static const char *const sub[] = { "config", "data", "state", "run", "cache", "data/lull", "data/lull/sounds" };
	for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
		char *p = xasprintf("%s/%s", home, sub[i]);
		mkdir(p, 0700);
		free(p);
	}
	setenv("HOME", home, 1);
	char *v;
	setenv("XDG_CONFIG_HOME", v = xasprintf("%s/config", home), 1);
	free(v);
	setenv("XDG_DATA_HOME", v = xasprintf("%s/data", home), 1);
	free(v);
	setenv("XDG_STATE_HOME", v = xasprintf("%s/state", home), 1);
	free(v);
	setenv("XDG_RUNTIME_DIR", v = xasprintf("%s/run", home), 1);
	free(v);
	/* The suite's shared cache of spoken lines when make check gives one. */
	const char *cache = getenv("LULL_TEST_CACHE");
	setenv("XDG_CACHE_HOME", v = cache && *cache ? xstrdup(cache) : xasprintf("%s/cache", home), 1);
	free(v);
	return home;
}

void fx_home_remove(void)
{
	if (!home[0])
		return;
	char *cmd = xasprintf("rm -rf '%s'", home);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", home);
	free(cmd);
	home[0] = '\0';
}

int fx_write_tone(const char *path, int rate, int ch, double seconds, double freq, double amp)
{
	return fx_write_steps(path, rate, ch, seconds, freq, 0, amp);
}

int fx_write_steps(const char *path, int rate, int ch, double seconds, double freq, double step, double amp)
{
	long n = (long)(seconds * rate);
	SF_INFO si = { .samplerate = rate, .channels = ch, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
	if (strstr(path, ".flac"))
		si.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
	SNDFILE *sf = sf_open(path, SFM_WRITE, &si);
	if (!sf)
		return -1;
	float buf[4096 * 8];
	long per = 4096;
	double phase = 0; /* continuous across a step */
	for (long i = 0; i < n; i += per) {
		long k = n - i < per ? n - i : per;
		for (long j = 0; j < k; j++) {
			for (int c = 0; c < ch; c++)
				buf[j * ch + c] = (float)(amp * sin(phase));
			phase += 2 * M_PI * (freq + (double)((i + j) / rate) * step) / rate;
		}
		sf_writef_float(sf, buf, k);
	}
	return sf_close(sf) == 0 ? 0 : -1;
}

float *fx_read_mono(const char *path, long *frames, int *rate)
{
	SF_INFO si = { 0 };
	SNDFILE *sf = sf_open(path, SFM_READ, &si);
	if (!sf)
		return NULL;
	float *all = malloc(sizeof(float) * (size_t)si.frames * (size_t)si.channels);
	sf_count_t got = sf_readf_float(sf, all, si.frames);
	sf_close(sf);
	float *mono = malloc(sizeof(float) * (size_t)(got > 0 ? got : 1));
	for (sf_count_t i = 0; i < got; i++)
		mono[i] = all[i * si.channels];
	free(all);
	*frames = (long)got;
	*rate = si.samplerate;
	return mono;
}

size_t fx_onsets(const float *x, long n, int rate, float thresh, double gap_s, long *out, size_t max)
{
	struct biquad hp, hp2;
	biquad_highpass(&hp, rate, 500, 0.7071);
	biquad_highpass(&hp2, rate, 500, 0.7071);
	long gap = (long)(gap_s * rate), quiet = gap;
	size_t k = 0;
	for (long i = 0; i < n; i++) {
		double y = biquad_step(&hp2, biquad_step(&hp, x[i]));
		if (fabs(y) > thresh) {
			if (quiet >= gap && k < max)
				out[k++] = i;
			quiet = 0;
		} else {
			quiet++;
		}
	}
	return k;
}

int fx_gaps(const float *x, long n, long from, long to)
{
	from = from < 0 ? 0 : from;
	to = to > n ? n : to;
	int g = 0;
	bool in_gap = false;
	for (long i = from; i + 48 <= to; i += 48) {
		float m = 0;
		for (long j = i; j < i + 48; j++)
			m = fmaxf(m, fabsf(x[j]));
		if (m < 1e-4f && !in_gap)
			g++;
		in_gap = m < 1e-4f;
	}
	return g;
}

double fx_rms(const float *x, long from, long len)
{
	double s = 0;
	for (long i = from; i < from + len; i++)
		s += (double)x[i] * x[i];
	return len > 0 ? sqrt(s / len) : 0;
}

/* ------------------------------------------------------------ PulseAudio */
static pid_t pulse_pid = -1;
static char server[128];
/* A server started closed (fx_pulse_start_closed) answers here until it
 * is opened: the fixture's own clients (pactl, parec) use it ("" none). */
static char side[128];

void fx_realtime(void)
{
	struct sched_param sp = { .sched_priority = 4 };
	pthread_setschedparam(pthread_self(), SCHED_RR, &sp); /* best effort */
}

pid_t fx_burner(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct sched_param sp = { .sched_priority = 0 };
		sched_setscheduler(0, SCHED_OTHER, &sp);
		volatile unsigned long x = 0;
		for (;;)
			x++;
	}
	return pid;
}

static pid_t spawn_rt(char *const argv[], int out_fd, int err_fd, bool rt)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (rt) { /* inherited across exec and by the program's threads */
			struct sched_param sp = { .sched_priority = 6 };
			sched_setscheduler(0, SCHED_RR, &sp);
		}
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(out_fd >= 0 ? out_fd : null, 1);
		dup2(err_fd >= 0 ? err_fd : null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static pid_t spawn(char *const argv[], int out_fd, int err_fd)
{
	return spawn_rt(argv, out_fd, err_fd, false);
}

static bool pactl_ok(void)
{
	char *with_side[] = { "pactl", "-s", side, "info", NULL }, *plain[] = { "pactl", "info", NULL };
	char **argv = side[0] ? with_side : plain;
	pid_t pid = spawn(argv, -1, -1);
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return false;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static int pulse_start(bool closed)
{
	const char *h = fx_home();
	snprintf(server, sizeof server, "unix:%s/run/lull-pulse", h);
	/* Set once: a restart must not write the environment under a
	 * thread that may be reading it. */
	const char *was = getenv("PULSE_SERVER");
	if (!was || strcmp(was, server) != 0)
		setenv("PULSE_SERVER", server, 1);
	if (closed)
		snprintf(side, sizeof side, "unix:%s/run/lull-pulse-side", h);
	else
		side[0] = '\0';
	char *log = xasprintf("%s/pulse.log", h);
	int lfd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	free(log);
	char *sock = xasprintf("--load=module-native-protocol-unix socket=%s/run/lull-pulse%s auth-anonymous=1", h,
	                       closed ? "-side" : "");
	/* -n: no default.pa (no real devices); as root pulseaudio warns and runs
	 * as a per-user server in our private HOME/XDG_RUNTIME_DIR. */
	char *argv[] = { "pulseaudio", "--daemonize=no", "-n", "--exit-idle-time=-1", "--use-pid-file=no",
		"--disable-shm=yes", "--log-target=stderr",
		"--load=module-null-sink sink_name=lulltest rate=48000 channels=2", sock, NULL };
	pulse_pid = spawn_rt(argv, lfd, lfd, true); /* see fx_rec_start */
	free(sock);
	if (lfd >= 0)
		close(lfd);
	if (pulse_pid < 0)
		return -1;
	double deadline = fx_now() + 15;
	while (fx_now() < deadline) {
		if (pactl_ok())
			return 0;
		int st;
		if (waitpid(pulse_pid, &st, WNOHANG) == pulse_pid) {
			pulse_pid = -1;
			return -1;
		}
		fx_sleep(0.02);
	}
	fx_pulse_stop();
	return -1;
}

int fx_pulse_start(void)
{
	return pulse_start(false);
}

int fx_pulse_start_closed(void)
{
	return pulse_start(true);
}

int fx_pulse_open(void)
{
	if (!side[0])
		return 0;
	/* A link at the usual socket's path: connecting through it reaches
	 * the server as the socket itself would. */
	return symlink(side + strlen("unix:"), server + strlen("unix:"));
}

pid_t fx_pulse_pid(void)
{
	return pulse_pid;
}

void fx_pulse_stop(void)
{
	if (pulse_pid > 0) {
		kill(pulse_pid, SIGTERM);
		waitpid(pulse_pid, NULL, 0);
	}
	pulse_pid = -1;
	if (side[0]) { /* the link of fx_pulse_open, if it was made */
		struct stat st;
		if (lstat(server + strlen("unix:"), &st) == 0 && S_ISLNK(st.st_mode))
			unlink(server + strlen("unix:"));
		side[0] = '\0';
	}
}

/* ------------------------------------------------------------ PipeWire */
/* A private PipeWire with its pulse layer: a session bus of its own (the
 * session manager wants one), pipewire, wireplumber and pipewire-pulse, all
 * in the private XDG_RUNTIME_DIR, then a null sink made the default. */
static pid_t pw_pids[4] = { -1, -1, -1, -1 };

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Runs argv to the end; true when it exits 0. */
static bool run_ok(char *const argv[])
{
	pid_t pid = spawn(argv, -1, -1);
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return false;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Polls for a file (a socket) to appear, up to timeout_s. */
static bool wait_exists(const char *path, double timeout_s)
{
	double deadline = fx_now() + timeout_s;
	while (!exists(path)) {
		if (fx_now() >= deadline)
			return false;
		fx_sleep(0.02);
	}
	return true;
}

bool fx_have_pipewire(void)
{
	return fx_have("pipewire") && fx_have("wireplumber") && fx_have("pipewire-pulse") &&
	       fx_have("dbus-daemon") && fx_have("pactl") && fx_have("parec");
}

int fx_pipewire_start(void)
{
	const char *h = fx_home();
	unsetenv("PULSE_SERVER"); /* the default socket: as a desktop has it */
	char *run = xasprintf("%s/run", h);
	char *bus = xasprintf("unix:path=%s/bus", run);
	setenv("DBUS_SESSION_BUS_ADDRESS", bus, 1);
	char *log = xasprintf("%s/pipewire.log", h);
	int lfd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	free(log);
	char *addr = xasprintf("--address=%s", bus);
	char *dbus[] = { "dbus-daemon", "--session", "--nofork", addr, NULL };
	char *pw[] = { "pipewire", NULL };
	char *wp[] = { "wireplumber", NULL };
	char *pp[] = { "pipewire-pulse", NULL };
	char *bus_path = xasprintf("%s/bus", run), *pw_sock = xasprintf("%s/pipewire-0", run),
	     *pulse_sock = xasprintf("%s/pulse/native", run);
	int rc = -1;
	if ((pw_pids[0] = spawn(dbus, lfd, lfd)) < 0 || !wait_exists(bus_path, 10))
		goto out;
	if ((pw_pids[1] = spawn_rt(pw, lfd, lfd, true)) < 0 || !wait_exists(pw_sock, 10))
		goto out;
	if ((pw_pids[2] = spawn(wp, lfd, lfd)) < 0 || (pw_pids[3] = spawn_rt(pp, lfd, lfd, true)) < 0 ||
	    !wait_exists(pulse_sock, 10))
		goto out;
	double deadline = fx_now() + 15;
	while (!pactl_ok()) {
		if (fx_now() >= deadline)
			goto out;
		fx_sleep(0.02);
	}
	char *load[] = { "pactl", "load-module", "module-null-sink", "sink_name=lulltest",
			 "rate=48000", "channels=2", NULL };
	char *def[] = { "pactl", "set-default-sink", "lulltest", NULL };
	if (!run_ok(load))
		goto out;
	/* The session manager picks the new sink up a moment later: wait
	 * until it can be made the default. */
	deadline = fx_now() + 10;
	while (!run_ok(def)) {
		if (fx_now() >= deadline)
			goto out;
		fx_sleep(0.05);
	}
	/* Accepted is not yet in force: the session manager settles the
	 * default a moment after it is configured, and a stream opened
	 * before then has no sink to go to. Poll until the server says so. */
	char *is_default[] = { "sh", "-c", "[ \"$(pactl get-default-sink)\" = lulltest ]", NULL };
	while (!run_ok(is_default)) {
		if (fx_now() >= deadline)
			goto out;
		fx_sleep(0.05);
	}
	rc = 0;
out:
	if (lfd >= 0)
		close(lfd);
	free(addr);
	free(bus);
	free(run);
	free(bus_path);
	free(pw_sock);
	free(pulse_sock);
	if (rc != 0)
		fx_pipewire_stop();
	return rc;
}

void fx_pipewire_stop(void)
{
	for (int i = 3; i >= 0; i--) {
		if (pw_pids[i] > 0) {
			kill(pw_pids[i], SIGTERM);
			waitpid(pw_pids[i], NULL, 0);
		}
		pw_pids[i] = -1;
	}
	unsetenv("DBUS_SESSION_BUS_ADDRESS");
}

/* ------------------------------------------------------------ recorder */
static struct {
	pid_t pid;
	int fd;
	pthread_t th;
	pthread_mutex_t lock;
	short *buf;        /* stereo s16 */
	long cap, frames;  /* frames */
	double t0;         /* min(arrival - frames_before / rate) */
	int partial;       /* bytes of an incomplete frame held in pend */
	unsigned char pend[4];
} rec = { .pid = -1, .fd = -1, .lock = PTHREAD_MUTEX_INITIALIZER };

static void *rec_main(void *arg)
{
	unsigned char chunk[4096];
	for (;;) {
		ssize_t r = read(rec.fd, chunk, sizeof chunk);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			break;
		}
		double t = fx_now();
		pthread_mutex_lock(&rec.lock);
		/* Whole frames are copied in bulk (a byte loop is too slow under
		 * sanitizers: parec would block and the server drop data). */
		const unsigned char *p = chunk;
		size_t left = (size_t)r;
		while (rec.partial && left) {
			rec.pend[rec.partial++] = *p++;
			left--;
			if (rec.partial == 4) {
				rec.partial = 0;
				if (rec.frames < rec.cap)
					memcpy(&rec.buf[2 * rec.frames++], rec.pend, 4);
			}
		}
		size_t whole = left / 4;
		if ((long)whole > rec.cap - rec.frames)
			whole = (size_t)(rec.cap - rec.frames);
		memcpy(&rec.buf[2 * rec.frames], p, whole * 4);
		rec.frames += (long)whole;
		p += (left / 4) * 4;
		left %= 4;
		while (left--)
			rec.pend[rec.partial++] = *p++;
		double est = t - (double)rec.frames / 48000;
		if (est < rec.t0)
			rec.t0 = est;
		pthread_mutex_unlock(&rec.lock);
	}
	return NULL;
}

int fx_rec_start(void)
{
	int p[2];
	if (pipe(p) != 0)
		return -1;
	char *argv[] = { "parec", "-d", "lulltest.monitor", "--raw", "--format=s16le", "--rate=48000",
		"--channels=2", "--latency-msec=5", side[0] ? "-s" : NULL, side, NULL };
	/* The recorder runs at real-time priority when allowed: starved by
	 * other work on the machine, its stream would overflow and lose data,
	 * which reads as clicks and shifted times that are not ours. */
	rec.pid = spawn_rt(argv, p[1], -1, true);
	close(p[1]);
	if (rec.pid < 0) {
		close(p[0]);
		return -1;
	}
	rec.fd = p[0];
	rec.cap = 48000L * 120;
	rec.buf = malloc(sizeof(short) * 2 * (size_t)rec.cap);
	rec.frames = 0;
	rec.t0 = HUGE_VAL;
	return pthread_create(&rec.th, NULL, rec_main, NULL) == 0 ? 0 : -1;
}

bool fx_rec_wait(double seconds, double timeout_s)
{
	double deadline = fx_now() + timeout_s;
	for (;;) {
		pthread_mutex_lock(&rec.lock);
		long f = rec.frames;
		pthread_mutex_unlock(&rec.lock);
		if (f >= (long)(seconds * 48000))
			return true;
		if (fx_now() > deadline)
			return false;
		fx_sleep(0.005);
	}
}

float *fx_rec_stop(long *frames, double *t_frame0)
{
	kill(rec.pid, SIGTERM);
	waitpid(rec.pid, NULL, 0);
	pthread_join(rec.th, NULL);
	close(rec.fd);
	float *out = malloc(sizeof(float) * (size_t)(rec.frames > 0 ? rec.frames : 1));
	for (long i = 0; i < rec.frames; i++)
		out[i] = (float)rec.buf[2 * i] / 32768.0f;
	*frames = rec.frames;
	*t_frame0 = rec.t0;
	free(rec.buf);
	rec.buf = NULL;
	rec.pid = -1;
	return out;
}

const char *fx_twice(const char *(*attempt)(void))
{
	const char *failed = attempt();
	if (failed) {
		fprintf(stderr, "first run failed (%s); once more\n", failed);
		failed = attempt();
	}
	return failed;
}

/* ------------------------------------------------------------ recognition */
static size_t words_of(const char *s, char ***out)
{
	static const char *const num[] = { "zero", "one", "two", "three", "four", "five",
					   "six", "seven", "eight", "nine", "ten" };
	size_t n = 0, cap = 16;
	char **w = malloc(cap * sizeof *w);
	while (*s) {
		while (*s && !isalnum((unsigned char)*s) && *s != '\'')
			s++;
		const char *b = s;
		while (*s && (isalnum((unsigned char)*s) || *s == '\''))
			s++;
		if (s == b)
			continue;
		while (b < s && *b == '\'')
			b++;
		size_t len = (size_t)(s - b);
		while (len && b[len - 1] == '\'')
			len--;
		if (!len)
			continue;
		char *word = malloc(len + 1);
		for (size_t i = 0; i < len; i++)
			word[i] = (char)tolower((unsigned char)b[i]);
		word[len] = '\0';
		char *end;
		long v = strtol(word, &end, 10);
		if (!*end && v >= 0 && v <= 10) {
			free(word);
			word = strdup(num[v]);
		}
		if (n == cap)
			w = realloc(w, (cap *= 2) * sizeof *w);
		w[n++] = word;
	}
	*out = w;
	return n;
}

void fx_word_recall(const char *text, const char *hyp, int *hit, int *total)
{
	char **r, **h;
	size_t nr = words_of(text, &r), nh = words_of(hyp, &h);
	int *prev = calloc(nh + 1, sizeof *prev), *cur = calloc(nh + 1, sizeof *cur);
	for (size_t i = 0; i < nr; i++) {
		for (size_t j = 0; j < nh; j++)
			cur[j + 1] = strcmp(r[i], h[j]) == 0 ? prev[j] + 1 : prev[j + 1] > cur[j] ? prev[j + 1] : cur[j];
		int *t = prev;
		prev = cur;
		cur = t;
	}
	*hit = prev[nh];
	*total = (int)nr;
	free(prev);
	free(cur);
	for (size_t i = 0; i < nr; i++)
		free(r[i]);
	for (size_t i = 0; i < nh; i++)
		free(h[i]);
	free(r);
	free(h);
}

int fx_write_16k(const char *path, const float *x, long from, long len, int rate)
{
	long out_n = (long)((double)len * 16000 / rate) + 16;
	float *y = calloc((size_t)out_n, sizeof *y);
	SRC_DATA d = { .data_in = x + from, .input_frames = len, .data_out = y, .output_frames = out_n,
		       .src_ratio = 16000.0 / rate, .end_of_input = 1 };
	if (src_simple(&d, SRC_SINC_MEDIUM_QUALITY, 1) != 0) {
		free(y);
		return -1;
	}
	SF_INFO si = { .samplerate = 16000, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
	SNDFILE *sf = sf_open(path, SFM_WRITE, &si);
	int rc = sf && sf_writef_float(sf, y, d.output_frames_gen) == d.output_frames_gen ? 0 : -1;
	if (sf)
		sf_close(sf);
	free(y);
	return rc;
}

int fx_recognise(const char *const *files, size_t n, char **hyp)
{
	/* One batch run (the model loads once): a control file of the names
	 * without their extension, each answered on a line of the hypothesis
	 * file as "WORDS (NAME SCORE)". The files share one directory. */
	const char *h = fx_home();
	char *ctl = xasprintf("%s/recognise.ctl", h), *out = xasprintf("%s/recognise.hyp", h);
	FILE *f = fopen(ctl, "w");
	if (!f)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *slash = strrchr(files[i], '/');
		fprintf(f, "%.*s\n", (int)(strlen(slash + 1) - 4), slash + 1);
	}
	fclose(f);
	const char *slash = strrchr(files[0], '/');
	char *dir = xasprintf("%.*s", (int)(slash - files[0]), files[0]);
	const char *model = "/usr/share/pocketsphinx/model/en-us";
	char *cmd = xasprintf("pocketsphinx_batch -ctl '%s' -cepdir '%s' -cepext .wav -adcin yes -adchdr 44 "
			      "-hyp '%s' -hmm %s/en-us -lm %s/en-us.lm.bin -dict %s/cmudict-en-us.dict "
			      /* a narrower search: 40% faster, the same words (measured
			       * over 30 lines of the built-ins: 67.0% either way) */
			      "-maxhmmpf 3000 -maxwpf 10 -topn 2 -logfn /dev/null >/dev/null 2>&1", ctl, dir, out, model, model, model);
	int rc = system(cmd);
	free(cmd);
	free(dir);
	for (size_t i = 0; i < n; i++)
		hyp[i] = xstrdup("");
	f = rc == 0 ? fopen(out, "r") : NULL;
	char line[4096];
	while (f && fgets(line, sizeof line, f)) {
		char *open = strrchr(line, '(');
		if (!open)
			continue;
		char name[512];
		if (sscanf(open + 1, "%511s", name) != 1)
			continue;
		*open = '\0';
		for (size_t i = 0; i < n; i++) {
			const char *base = strrchr(files[i], '/') + 1;
			if (strncmp(base, name, strlen(name)) == 0 && strlen(base) == strlen(name) + 4) {
				free(hyp[i]);
				hyp[i] = xstrdup(line);
			}
		}
	}
	if (f)
		fclose(f);
	free(ctl);
	free(out);
	return rc == 0 ? 0 : -1;
}

int fx_write_file(const char *leaf, const char *text)
{
	char *p = xasprintf("%s/%s", fx_home(), leaf);
	char *dir = xstrdup(p);
	*strrchr(dir, '/') = '\0';
	FILE *f = paths_mkdir_p(dir, 0700) == 0 ? fopen(p, "w") : NULL;
	int rc = f && fputs(text, f) >= 0 ? 0 : -1;
	if (f && fclose(f) != 0)
		rc = -1;
	free(dir);
	free(p);
	return rc;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double fx_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double baseline_value(const char *path, const char *key)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NAN;
	char line[512], k[64];
	double v = NAN, x;
	while (fgets(line, sizeof line, f))
		if (line[0] != '#' && sscanf(line, "%63s %lf", k, &x) == 2 && strcmp(k, key) == 0)
			v = x;
	fclose(f);
	return v;
}

void fx_fig(const char *baseline_path, const char *key, double now, int decimals, const char *note)
{
	printf("%-33s %8.*f   %8.*f   %s\n", key, decimals, now, decimals, baseline_value(baseline_path, key), note);
	fflush(stdout);
}
