/* SPDX-License-Identifier: ISC */
/* Fuzz target for the reminder file (reminders_parse). Beyond "no crash",
 * every reminder read is within the format's bounds and shows no byte a
 * terminal would act on, every error names FILE:LINE:COL with the file's
 * bytes escaped, and the file lull writes (reminders_format) reads back to
 * the same reminders, and writes the same text again. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "reminders.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_reminder(const struct reminder *r)
{
	FUZZ_ASSERT(r->id >= 1 && r->id <= REMIND_ID_MAX);
	FUZZ_ASSERT(r->rule.minute >= 0 && r->rule.minute < 24 * 60);
	FUZZ_ASSERT(r->rule.days >= 1 && r->rule.days <= SCHED_DAILY);
	FUZZ_ASSERT(!r->session[0] || remind_valid_session(r->session));
	FUZZ_ASSERT(remind_check_message(r->message, r->session[0] != '\0') == NULL);
	fuzz_check_str("message", r->message);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The file as lull reads it: NUL-terminated text. */
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	struct reminder_list l = { 0 };
	struct fuzz_stream e;
	int bad = reminders_parse(text, "fuzz", &l, fuzz_stream_open(&e));
	fflush(e.f);
	int lines = 0;
	for (size_t i = 0; i < e.len; i++)
		lines += e.buf[i] == '\n';
	FUZZ_ASSERT(lines == bad);
	FUZZ_ASSERT(bad == 0 || !strncmp(e.buf, "fuzz:", 5));
	fuzz_stream_done(&e, "reminder errors");

	for (size_t i = 0; i < l.n; i++) {
		check_reminder(&l.v[i]);
		for (size_t k = 0; k < i; k++)
			FUZZ_ASSERT(l.v[k].id != l.v[i].id);
	}

	char *written = reminders_format(&l);
	struct reminder_list back = { 0 };
	struct fuzz_stream e2;
	int bad2 = reminders_parse(written, "again", &back, fuzz_stream_open(&e2));
	if (bad2) {
		fclose(e2.f);
		fprintf(stderr, "what lull wrote does not read back:\n%s---\n%s", e2.buf, written);
		abort();
	}
	fuzz_stream_done(&e2, "reminder errors");
	FUZZ_ASSERT(back.n == l.n);
	for (size_t i = 0; i < l.n; i++) {
		const struct reminder *a = &l.v[i], *b = &back.v[i];
		FUZZ_ASSERT(a->id == b->id && a->rule.minute == b->rule.minute && a->rule.days == b->rule.days);
		FUZZ_ASSERT(!strcmp(a->session, b->session) && !strcmp(a->message, b->message));
	}
	char *again = reminders_format(&back);
	FUZZ_ASSERT(!strcmp(written, again));
	free(again);
	free(written);
	reminders_free(&back);
	reminders_free(&l);
	free(text);
	return 0;
}
