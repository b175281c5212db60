/* SPDX-License-Identifier: ISC */
/* Fuzz target: any bytes, as a guide line, through speech_normalise() and
 * then, with FUZZ_FLITE, through flite's tokenizer as flite_text_to_wave
 * runs it (default_tokenization: ts_open_string with the voice's own
 * whitespace and punctuation, ts_get to the end). A line ending in 400 dots
 * overran a buffer in ts_get; under ASan (its memcpy and strcpy checks reach
 * into libflite, which is not instrumented) this shows any text that still
 * would. Without flite (the replay in `make check` of a build without a
 * voice) it asserts the bounds speech.h promises, which keep the tokenizer
 * safe. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "speech.h"

#ifdef FUZZ_FLITE
#include <flite/flite.h>
cst_voice *register_cmu_us_rms(const char *voxdir);
#endif

static void bounds(const char *in, const char *s, size_t n)
{
	size_t word = 0, punct = 0;
	if (n != strlen(s) || n > SPEECH_TEXT_MAX || s[0] == ' ')
		goto bad;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < ' ' || c == 0x7f || (c == ' ' && (s[i + 1] == ' ' || s[i + 1] == '\0')))
			goto bad;
		word = c == ' ' ? 0 : word + 1;
		punct = c > ' ' && c < 0x7f && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && !(c >= '0' && c <= '9')
		                ? punct + 1 : 0;
		if (word > SPEECH_TOKEN_MAX || punct > SPEECH_PUNCT_RUN)
			goto bad;
	}
	return;
bad:
	fprintf(stderr, "speech_normalise broke its bounds:\n  in:  %s\n  out: %s\n", in, s);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1);
	memcpy(in, data, size);
	in[size] = '\0';
	char out[SPEECH_TEXT_MAX + 1];
	size_t n = speech_normalise(in, out, sizeof out);
	bounds(in, out, n);
#ifdef FUZZ_FLITE
	static cst_voice *v;
	if (!v) {
		flite_init();
		v = register_cmu_us_rms(NULL);
	}
	cst_tokenstream *ts = ts_open_string(out, get_param_string(v->features, "text_whitespace", NULL),
					     get_param_string(v->features, "text_singlecharsymbols", NULL),
					     get_param_string(v->features, "text_prepunctuation", NULL),
					     get_param_string(v->features, "text_postpunctuation", NULL));
	while (!ts_eof(ts))
		ts_get(ts);
	ts_close(ts);
#endif
	free(in);
	return 0;
}
