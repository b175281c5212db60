/* SPDX-License-Identifier: ISC */
/* Cache keys and resume points of spoken lines: see speech.h. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "speech.h"
#include "text.h"

/* 128-bit FNV-1a (offset basis and prime from the FNV reference), in two
 * 64-bit halves: unsigned __int128 exists on no 32-bit target, and the keys
 * must be the same on every system (tests/unit/test_speech.c pins them). */
struct u128 {
	uint64_t hi, lo;
};

/* h * prime mod 2^128, prime = 2^88 + 0x13B: h * 0x13B plus h << 88. */
static struct u128 fnv_mul(struct u128 h)
{
	const uint64_t c = 0x13B;
	uint64_t a = (h.lo & 0xFFFFFFFFu) * c; /* each below 2^41: no overflow */
	uint64_t b = (h.lo >> 32) * c;
	uint64_t mid = (a >> 32) + (b & 0xFFFFFFFFu);
	struct u128 r;
	r.lo = (a & 0xFFFFFFFFu) | (mid << 32);
	r.hi = h.hi * c + (b >> 32) + (mid >> 32) + (h.lo << 24);
	return r;
}

static struct u128 fnv_bytes(struct u128 h, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++) {
		h.lo ^= p[i];
		h = fnv_mul(h);
	}
	return h;
}

void speech_key(const struct speech_voice *v, const char *text, char *out)
{
	struct u128 h = { 0x6C62272E07BB0142ULL, 0x62B821756295C58DULL };
	char head[300];
	/* Fields end with a newline, which none of them holds except the text,
	 * which comes last: no two inputs give the same bytes. */
	int n = snprintf(head, sizeof head, "lull-voice %d\n%s\n%.3f\n%.3f\n", SPEECH_FORMAT_VERSION,
			 v->id ? v->id : "", v->rate, v->pitch);
	if (n < 0 || (size_t)n >= sizeof head) { /* an id past 200 bytes: hash it whole */
		h = fnv_bytes(h, v->id, strlen(v->id));
		n = snprintf(head, sizeof head, "\n%d\n%.3f\n%.3f\n", SPEECH_FORMAT_VERSION, v->rate, v->pitch);
	}
	h = fnv_bytes(h, head, (size_t)n);
	h = fnv_bytes(h, text, strlen(text));
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < SPEECH_KEY_LEN; i++) {
		uint64_t half = i < 16 ? h.hi : h.lo;
		out[i] = hex[(half >> (4 * (15 - i % 16))) & 15];
	}
	out[SPEECH_KEY_LEN] = '\0';
}

long speech_resume_point(const short *pcm, long frames, long pos, int rate)
{
	if (pos > frames)
		pos = frames;
	if (pos <= 0 || rate <= 0)
		return 0;
	const long win = rate / 100 > 0 ? rate / 100 : 1; /* 10 ms */
	const long need = 3;                               /* 30 ms of quiet windows */
	const long quiet = 328;                            /* -40 dBFS of 32767 */
	long from = pos - 2L * rate;
	if (from < 0)
		from = 0;
	long run = 0, best_at = from, best_peak = 1L << 20;
	/* Backwards, window by window: the first run of `need` quiet windows
	 * met is the latest pause. */
	for (long end = pos; end - win >= from; end -= win) {
		long peak = 0;
		for (long i = end - win; i < end; i++) {
			long a = pcm[i] < 0 ? -(long)pcm[i] : pcm[i];
			if (a > peak)
				peak = a;
		}
		if (peak < best_peak) {
			best_peak = peak;
			best_at = end - win;
		}
		if (peak < quiet) {
			if (++run == need) /* its last 30 ms: from end - win to the word */
				return end - win;
		} else {
			run = 0;
		}
	}
	return best_at;
}

static bool ascii_punct(uint32_t c)
{
	return c > ' ' && c < 0x7f && !(c >= '0' && c <= '9') && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

size_t speech_normalise(const char *text, char *out, size_t size)
{
	if (size == 0)
		return 0;
	size_t cap = size - 1 < SPEECH_TEXT_MAX ? size - 1 : SPEECH_TEXT_MAX;
	size_t n = 0, word = 0, punct = 0, left = strlen(text);
	bool space = false; /* a space is owed before the next character */
	const char *s = text;
	while (left > 0) {
		uint32_t cp;
		size_t len = utf8_decode(s, left, &cp);
		const char *c = s;
		s += len ? len : 1;
		left -= len ? len : 1;
		if (len == 0 || cp == ' ' || text_cp_forbidden(cp)) { /* controls, bad bytes: a space */
			space = n > 0;
			word = punct = 0;
			continue;
		}
		if (ascii_punct(cp)) {
			if (++punct > SPEECH_PUNCT_RUN)
				continue;
		} else {
			punct = 0;
		}
		if (word + len > SPEECH_TOKEN_MAX) { /* a long word: split */
			space = true;
			word = 0;
		}
		if (n + space + len > cap)
			break;
		if (space) {
			out[n++] = ' ';
			space = false;
		}
		memcpy(out + n, c, len);
		n += len;
		word += len;
	}
	out[n] = '\0';
	return n;
}
