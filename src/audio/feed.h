/* SPDX-License-Identifier: ISC */
/* A layer's sound decoded ahead of the mix, as cmus decodes on a producer
 * thread: a ring of 16-bit frames at the output's rate and channels, filled
 * from its track (track.h: decoding, channel mapping, the loop's crossfade,
 * resampling) and read by the mixer, which then never decodes, resamples or
 * touches the disk. What was read stays in the ring for FEED_HISTORY_S, so
 * that the mixer can go back and mix again what the device has not played
 * yet (audio.c rewrites its buffer when a key is pressed).
 *
 * A feed on a feeder is filled by the feeder's thread ("lull-feed"), which
 * wakes when a read leaves less than FEED_LOW_S decoded ahead and decodes
 * up to FEED_AHEAD_S: for a steady bed, about once a second for all the
 * feeds at once. A feed on no feeder (lull render, tests) decodes what a
 * read needs there and then, on the reader's thread.
 *
 * One reader and one filler at a time: the ring's positions are atomics,
 * and a read or a seek never waits for the filler. */
#ifndef LULL_FEED_H
#define LULL_FEED_H

#include <stdbool.h>
#include <stdint.h>

#define FEED_HISTORY_S 2.5 /* kept behind the furthest frame read */
#define FEED_AHEAD_S 2.5   /* decoded ahead of it, */
#define FEED_LOW_S 1.5     /* and the feeder woken below this much */

struct track;
struct feed;
struct feeder;

/* A feed of t (which it takes) at the track's output rate and channels. */
struct feed *feed_new(struct track *t, int rate, int channels);
/* Decodes up to FEED_AHEAD_S ahead now, on the calling thread (the loader
 * does, so that a layer's first blocks are there when it starts). */
void feed_fill(struct feed *f);
/* Up to n frames from the read position into out (interleaved floats),
 * advancing it: fewer only when the track has ended (0: finished), or, on
 * a feeder, when the filler has fallen behind (counted: feed_short_reads);
 * -1 on a read error (feed_error says what) once what came before it has
 * been read. */
long feed_read(struct feed *f, float *out, long n);
/* The read position (frames since the start) and a move of it: back as far
 * as FEED_HISTORY_S before the furthest frame read, forward as far as what
 * is decoded. False (and not moved) outside that. */
int64_t feed_tell(const struct feed *f);
bool feed_can_seek(const struct feed *f, int64_t pos);
bool feed_seek(struct feed *f, int64_t pos);
const char *feed_error(const struct feed *f);
unsigned long feed_short_reads(const struct feed *f);
/* Frees f, now or, if its feeder is decoding it, as soon as that ends. */
void feed_free(struct feed *f);

/* The filler thread. NULL if it cannot start (feeds then decode on read). */
struct feeder *feeder_start(void);
/* The feeder fills f from now on (f must not be read by two threads). */
void feeder_add(struct feeder *d, struct feed *f);
/* Stops the thread, waiting for a decode in progress until deadline_ns
 * (CLOCK_MONOTONIC). False if it is stuck past it (in a file that never
 * answers): it and d are then left to the process's exit. Feeds still on
 * it are freed with it. */
bool feeder_stop(struct feeder *d, int64_t deadline_ns);

#endif
