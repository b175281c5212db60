/* SPDX-License-Identifier: ISC */
/* Replays fuzz inputs through LLVMFuzzerTestOneInput with a plain main(), so
 * `make check` runs the corpus with any compiler. Arguments are files or
 * directories; with none, the target's corpus under $LULL_SRCDIR: the
 * directories FUZZ_CORPUS names (a string of them, separated by spaces), or
 * for the session parser the corpus, the broken examples and the
 * built-ins. */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replayed;

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap);
	size_t r;
	while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	if (!buf)
		return -1;
	/* An exact-size copy, so ASan catches reads past the end as the fuzzer would. */
	uint8_t *exact = malloc(n ? n : 1);
	memcpy(exact, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	replayed++;
	return 0;
}

static int replay(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path);
	DIR *d = opendir(path);
	if (!d) {
		perror(path);
		return -1;
	}
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		size_t len = strlen(path) + strlen(de->d_name) + 2;
		char *p = malloc(len);
		snprintf(p, len, "%s/%s", path, de->d_name);
		if (replay(p) < 0)
			rc = -1;
		free(p);
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			if (replay(argv[i]) < 0)
				rc = 1;
	} else {
		const char *src = getenv("LULL_SRCDIR");
#ifdef FUZZ_CORPUS
		char dirs_text[] = FUZZ_CORPUS;
#else
		char dirs_text[] = "tests/fuzz/corpus tests/data/broken src/builtin";
#endif
		if (!src)
			src = ".";
		for (char *save = NULL, *d = strtok_r(dirs_text, " ", &save); d; d = strtok_r(NULL, " ", &save)) {
			size_t len = strlen(src) + strlen(d) + 2;
			char *p = malloc(len);
			snprintf(p, len, "%s/%s", src, d);
			if (replay(p) < 0)
				rc = 1;
			free(p);
		}
	}
	printf("replayed %d inputs\n", replayed);
	if (replayed == 0)
		rc = 1;
	return rc;
}
