/* SPDX-License-Identifier: ISC */
/* Loudness after ITU-R BS.1770 and EBU R128: integrated loudness (K-weighting,
 * 400 ms blocks with 75% overlap, the -70 LUFS absolute gate and the -10 LU
 * relative gate), loudness range (EBU Tech 3342: 3 s blocks, -20 LU relative
 * gate, 10th to 95th percentile) and true peak (4x oversampled), for the
 * synthesiser to loudness-match the built-in sounds, the voice its lines, and
 * `lull render` its files (measured, then brought to LOUDNESS_TARGET_LUFS under
 * a true-peak ceiling). Pure: no I/O. Channels are all weighted 1 (mono,
 * stereo: what lull's sounds have). */
#ifndef LULL_LOUDNESS_H
#define LULL_LOUDNESS_H

/* A second-order section in direct form I. */
struct biquad {
	double b0, b1, b2, a1, a2;
	double x1, x2, y1, y2;
};

double biquad_step(struct biquad *f, double x);
/* Designs after the well-known analog prototypes, bilinear with prewarping. */
void biquad_lowpass(struct biquad *f, double rate, double freq, double q);
void biquad_highpass(struct biquad *f, double rate, double freq, double q);
void biquad_bandpass(struct biquad *f, double rate, double freq, double q); /* 0 dB peak */

/* The two K-weighting stages of BS.1770 at any sample rate. */
void loudness_k_filters(struct biquad *shelf, struct biquad *hp, double rate);

/* Integrated loudness in LUFS of interleaved float frames; -HUGE_VAL when
 * everything is gated out (silence, or shorter than one block). */
double loudness_integrated(const float *buf, long frames, int ch, int rate);

/* The largest |sample|. */
float loudness_peak(const float *buf, long samples);

/* Where lull's files are put: a spoken-word level (podcasts sit at -16 to
 * -19), with the true peak under a ceiling that leaves room for a lossy
 * encoder's overshoot. */
#define LOUDNESS_TARGET_LUFS (-18.0)
#define LOUDNESS_CEILING_DBTP (-1.5)
#define LOUDNESS_MAX_CH 8
/* The true peak: between two samples, three more values (4x), each from
 * the 12 samples around it through a Hann-windowed sinc. */
#define LOUDNESS_TP_TAPS 12

/* A meter fed as the samples come: the 100 ms quarters of BS.1770's blocks
 * are kept (one double a tenth of a second: 20 minutes is 94 KB), the rest is
 * a running state. */
struct loudness_meter {
	int ch, rate;
	long step, filled;                 /* frames a quarter; frames in this one */
	struct biquad shelf[LOUDNESS_MAX_CH], hp[LOUDNESS_MAX_CH];
	double acc;                        /* this quarter's sum of squares */
	double *sub;                       /* each finished quarter's sum of squares */
	long nsub, cap;
	float hist[LOUDNESS_TP_TAPS * LOUDNESS_MAX_CH]; /* the true-peak interpolator's last frames */
	long seen, hot;                    /* frames fed; the last that could pass the peak */
	double peak;                       /* the true peak so far, linear */
};

/* ch at most LOUDNESS_MAX_CH. */
void loudness_meter_init(struct loudness_meter *m, int ch, int rate);
void loudness_meter_free(struct loudness_meter *m);
void loudness_meter_feed(struct loudness_meter *m, const float *buf, long frames);
/* LUFS; -HUGE_VAL when everything is gated out. */
double loudness_meter_integrated(const struct loudness_meter *m);
/* LU; 0 for less than 3 s or nothing above the gates. */
double loudness_meter_range(const struct loudness_meter *m);
/* dBTP: the largest of the samples and of the values between them (4x). */
double loudness_meter_true_peak(const struct loudness_meter *m);

/* A true-peak limiter that looks ahead: each frame leaves it `latency`
 * frames later, every channel times one gain that has come down smoothly
 * before any peak (4x oversampled) would pass the ceiling, and goes back up
 * over `release_s`. Below the ceiling it is transparent (gain 1). */
struct loudness_limiter {
	int ch;
	long look, latency, n;             /* frames: look-ahead, total delay, ring size */
	double ceiling, rise;              /* linear; the release's step toward 1 */
	float *ring;                       /* the last n frames in */
	double *minv;                      /* the sliding minimum's queue: values ... */
	long *mini;                        /* ... and their frames */
	long qhead, qlen;
	double *box, boxsum, held;         /* the smoothing average over `look` gains */
	long in, hot;                      /* frames taken; the last that could pass the ceiling */
};

void loudness_limiter_init(struct loudness_limiter *l, int ch, int rate, double ceiling_db,
                           double look_s, double release_s);
void loudness_limiter_free(struct loudness_limiter *l);
/* Takes n frames from in, writes to out what has come through (the first
 * `latency` frames taken give none): how many frames were written. */
long loudness_limiter_run(struct loudness_limiter *l, const float *in, float *out, long n);
/* The last `latency` frames (out must hold that many): how many written. */
long loudness_limiter_flush(struct loudness_limiter *l, float *out);

#endif
