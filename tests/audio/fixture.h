/* SPDX-License-Identifier: ISC */
/* Helpers shared by the audio tests and the audio benchmark: a private
 * PulseAudio server with a null sink, a recorder of its monitor (parec) that
 * timestamps what it receives, test tones, WAV reading and onset detection. */
#ifndef LULL_TEST_AUDIO_FIXTURE_H
#define LULL_TEST_AUDIO_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

double fx_now(void);                 /* CLOCK_MONOTONIC seconds */
void fx_sleep(double seconds);
bool fx_have(const char *prog);      /* on PATH and executable */
/* Real-time priority for the calling thread when allowed (root, or an
 * RLIMIT_RTPRIO), so that call times taken by a test are not held up by
 * other work on the machine. */
void fx_realtime(void);

/* A child that spins until killed, to load a core: at ordinary priority,
 * whatever the caller's (fx_realtime: a child would inherit it and starve
 * everything else, which no machine lull runs on does). */
pid_t fx_burner(void);

/* The contents of /proc/self/task/TID/leaf ("status", "stat") for this
 * process's thread named `name` (the first found), NUL-terminated in buf;
 * false if there is no such thread. */
bool fx_thread_file(const char *name, const char *leaf, char *buf, size_t size);

/* A private directory used as HOME and XDG_* for everything below; the
 * sounds folder $XDG_DATA_HOME/lull/sounds is created. Returns its path. */
const char *fx_home(void);
void fx_home_remove(void);

/* Writes text to fx_home()/leaf, making the folders on the way (0700). 0 or -1. */
int fx_write_file(const char *leaf, const char *text);

/* The benchmarks' figures: a median (sorts v), and one figure printed as
 * "name now baseline note", the baseline read from a saved run of the
 * same benchmark (its figure lines "name now ..."; NAN when absent). */
double fx_median(double *v, int n);
void fx_fig(const char *baseline_path, const char *key, double now, int decimals, const char *note);

/* Writes a sine (amplitude amp, freq Hz, rate, channels, seconds) to path. */
int fx_write_tone(const char *path, int rate, int ch, double seconds, double freq, double amp);
/* The same in steps: second k of it at freq + k * step Hz (so that a
 * window of it says which second of the sound it is). */
int fx_write_steps(const char *path, int rate, int ch, double seconds, double freq, double step, double amp);

/* Reads a whole sound file as float mono (channel 0). */
float *fx_read_mono(const char *path, long *frames, int *rate);

/* Sample index of each onset of a bright cue over a low tone bed: the signal
 * is high-passed at 500 Hz and an onset is the first sample above `thresh`
 * after at least `gap_s` below it. Returns the count (at most max). */
size_t fx_onsets(const float *x, long n, int rate, float thresh, double gap_s, long *out, size_t max);

/* Word recall of a recogniser's hypothesis against the text spoken: the
 * words of each (lower case, letters, digits and apostrophes; digits 0-10
 * as words) aligned in order (their longest common subsequence); the
 * number of the text's words found is in *hit, their count in *total. */
void fx_word_recall(const char *text, const char *hyp, int *hit, int *total);

/* Recognises 16 kHz mono WAV files with pocketsphinx (pocketsphinx_batch,
 * the US English model): hyp[i] gets the words heard in files[i] (the
 * caller frees each). 0, or -1 when it cannot run. */
int fx_recognise(const char *const *files, size_t n, char **hyp);

/* Writes x[from..from+len) (mono, at rate) to path as 16 kHz 16-bit mono
 * WAV, resampled, for the recogniser. 0 or -1. */
int fx_write_16k(const char *path, const float *x, long from, long len, int rate);

/* Gaps in a recording of a steady sound at 48 kHz: runs of 1 ms (48
 * frames) or more of digital silence (below 1e-4) in x[from..to), clipped
 * to [0, n). */
int fx_gaps(const float *x, long n, long from, long to);

/* RMS of x[from..from+len). */
double fx_rms(const float *x, long from, long len);

/* The PulseAudio server: started with a null sink "lulltest" and a native
 * socket in the private home; ready when `pactl info` answers (polled).
 * Sets PULSE_SERVER. 0, or -1 if it cannot start. */
int fx_pulse_start(void);
void fx_pulse_stop(void);
/* The same, answering at first only the fixture's own clients (pactl, the
 * recorder), at a socket of their own; fx_pulse_open then lets everyone
 * else in at the usual one: so that the recorder drives the sink before
 * lull finds the server (a null sink nobody reads renders in 2 s periods
 * and holds up a new stream's start by up to that much). 0 or -1. */
int fx_pulse_start_closed(void);
int fx_pulse_open(void);
/* The server's process id while it runs (for its CPU time), else -1. */
pid_t fx_pulse_pid(void);

/* The same through a private PipeWire with its pulse layer (pipewire,
 * wireplumber, pipewire-pulse, and a session bus for them), the null sink
 * "lulltest" made the default; PULSE_SERVER is unset, so clients find the
 * server at its default socket in XDG_RUNTIME_DIR as on a desktop. */
bool fx_have_pipewire(void);
int fx_pipewire_start(void);
void fx_pipewire_stop(void);

/* Records the sink's monitor (48 kHz stereo s16) in a thread. */
int fx_rec_start(void);
/* Waits until at least `seconds` of audio has come in (polling the count). */
bool fx_rec_wait(double seconds, double timeout_s);
/* Stops; returns channel 0 as float, its length, and the monotonic time of
 * frame 0 (the earliest arrival less the frames before it: an upper bound of
 * the capture time, so latencies measured against it err on the long side). */
float *fx_rec_stop(long *frames, double *t_frame0);

/* Runs a real-time scenario (NULL = passed, else what failed), and once more
 * if it fails: a real-time chain on a machine busy with other work can still
 * hiccup now and then (the benchmark counts those); twice in a row is a
 * failure, and its reason is returned. */
const char *fx_twice(const char *(*attempt)(void));

#endif
