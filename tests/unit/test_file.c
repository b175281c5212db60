/* SPDX-License-Identifier: ISC */
/* The file module: bounded whole-file reads that never wait on a FIFO, and
 * atomic replacement that never follows a link, leaves no temporary file
 * and keeps the file private. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "file.h"
#include "paths.h"
#include "statefile.h"
#include "util.h"
#include "../testhome.h"

static char *in_home(const char *leaf)
{
	return xasprintf("%s/%s", testhome_dir, leaf);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *get(const char *path)
{
	char *text;
	size_t len;
	assert_int_equal(file_read(path, 1 << 20, &text, &len), 0);
	assert_int_equal(strlen(text), len);
	return text;
}

/* Entries of the test home, for "nothing left behind". */
static int entries(void)
{
	char *cmd = xasprintf("exit $(ls -A '%s' | wc -l)", testhome_dir);
	int rc = system(cmd);
	free(cmd);
	return WEXITSTATUS(rc);
}

static void read_whole(void **unused)
{
	(void)unused;
	char *path = in_home("a");
	put(path, "one\ntwo\n");
	char *text = get(path);
	assert_string_equal(text, "one\ntwo\n");
	free(text);

	/* Empty: an empty string, not a failure. */
	put(path, "");
	text = get(path);
	assert_string_equal(text, "");
	free(text);

	size_t len;
	char *missing = in_home("missing");
	assert_int_equal(file_read(missing, 100, &text, &len), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(file_read(testhome_dir, 100, &text, &len), -1);
	assert_int_equal(errno, EISDIR);
	assert_int_equal(file_read("/dev/null", 100, &text, &len), -1);
	assert_int_equal(errno, FILE_ENOTREG);
	assert_string_equal(file_strerror(FILE_ENOTREG), "not a regular file");
	assert_string_equal(file_strerror(ENOENT), strerror(ENOENT));
	unlink(path);
	free(path);
	free(missing);
}

static void read_bound(void **unused)
{
	(void)unused;
	char *path = in_home("b");
	put(path, "0123456789");
	char *text;
	size_t len;
	/* Exactly the bound is fine, one byte over is refused. */
	assert_int_equal(file_read(path, 10, &text, &len), 0);
	assert_int_equal(len, 10);
	free(text);
	text = (char *)1;
	assert_int_equal(file_read(path, 9, &text, &len), -1);
	assert_int_equal(errno, EFBIG);
	assert_null(text);
	/* From a descriptor: the first max bytes, and "there is more". */
	int fd = file_open_read(path);
	assert_true(fd >= 0);
	assert_int_equal(file_read_fd(fd, 4, &text, &len), 1);
	assert_int_equal(len, 4);
	assert_string_equal(text, "0123");
	free(text);
	close(fd);
	fd = file_open_read(path);
	assert_int_equal(file_read_fd(fd, 10, &text, &len), 0);
	assert_string_equal(text, "0123456789");
	free(text);
	close(fd);
	/* The descriptor is close-on-exec and blocking again. */
	fd = file_open_read(path);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);
	close(fd);

	/* A stream that does not say its size, longer than the first guess. */
	int p[2];
	assert_int_equal(pipe(p), 0);
	char *big = xmalloc(48 * 1024);
	memset(big, 'x', 48 * 1024);
	assert_int_equal(write_all(p[1], big, 48 * 1024), 0);
	close(p[1]);
	assert_int_equal(file_read_fd(p[0], 1 << 20, &text, &len), 0);
	assert_int_equal(len, 48 * 1024);
	assert_memory_equal(text, big, len);
	free(text);
	free(big);
	close(p[0]);
	unlink(path);
	free(path);
}

/* Before, a FIFO where a file should be blocked the reader until someone
 * opened it for writing: lull hung. alarm() turns a hang into a failure. */
static void read_fifo_does_not_wait(void **unused)
{
	(void)unused;
	char *path = in_home("fifo");
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10);
	char *text;
	size_t len;
	assert_int_equal(file_read(path, 100, &text, &len), -1);
	assert_int_equal(errno, FILE_ENOTREG);
	assert_int_equal(file_open_read(path), -1);
	alarm(0);
	unlink(path);
	free(path);
}

static void write_atomic(void **unused)
{
	(void)unused;
	char *path = in_home("w");
	mode_t old = umask(0);
	assert_int_equal(file_write_atomic(path, "first\n", 6, NULL), 0);
	umask(old);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	char *text = get(path);
	assert_string_equal(text, "first\n");
	free(text);
	/* Replaces, never appends; nothing else left in the folder. */
	assert_int_equal(file_write_atomic(path, "second\n", 7, NULL), 0);
	text = get(path);
	assert_string_equal(text, "second\n");
	free(text);
	assert_int_equal(entries(), 2); /* run/ and w */

	/* Given times are the new file's. */
	struct timespec times[2] = { { 1000000000, 0 }, { 1200000000, 500 } };
	assert_int_equal(file_write_atomic(path, "third\n", 6, times), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mtim.tv_sec, 1200000000);
	assert_int_equal(st.st_atim.tv_sec, 1000000000);

	/* Into a folder that does not exist: fails, and leaves nothing. */
	char *nowhere = in_home("missing/w");
	assert_int_equal(file_write_atomic(nowhere, "x", 1, NULL), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(entries(), 2);

	/* A name without a folder is in the working directory. */
	char cwd[512];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(testhome_dir), 0);
	assert_int_equal(file_write_atomic("rel", "r\n", 2, NULL), 0);
	assert_int_equal(file_fsync_dir("rel"), 0);
	assert_int_equal(chdir(cwd), 0);
	char *rel = in_home("rel");
	text = get(rel);
	assert_string_equal(text, "r\n");
	free(text);
	unlink(rel);
	free(rel);

	assert_int_equal(file_fsync_dir(path), 0);
	assert_int_equal(file_fsync_dir("/etc"), 0);
	assert_int_equal(file_fsync_dir(nowhere), -1);
	unlink(path);
	free(path);
	free(nowhere);
}

/* A link at the final name is replaced by the new file; what it pointed to
 * is left as it was. */
static void write_never_follows_a_link(void **unused)
{
	(void)unused;
	char *victim = in_home("victim");
	char *path = in_home("link");
	put(victim, "precious\n");
	assert_int_equal(symlink(victim, path), 0);
	assert_int_equal(file_write_atomic(path, "new\n", 4, NULL), 0);
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	char *text = get(victim);
	assert_string_equal(text, "precious\n");
	free(text);
	text = get(path);
	assert_string_equal(text, "new\n");
	free(text);
	unlink(path);
	unlink(victim);
	free(path);
	free(victim);
}

/* The one-line state files (menu: the last program; the safety note): a
 * FIFO in their place made the menu hang; the temporary name they were
 * written under (.LEAF.PID) was opened with O_TRUNC, through any link
 * there. */
static void statefile_safe(void **unused)
{
	(void)unused;
	char *dir = paths_make_dir(PATH_STATE);
	assert_non_null(dir);
	char *fifo = xasprintf("%s/last-program", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(10);
	assert_null(statefile_read("last-program"));
	alarm(0);
	unlink(fifo);

	char *victim = in_home("victim");
	put(victim, "precious\n");
	char *old_tmp = xasprintf("%s/.seen-safety.%ld", dir, (long)getpid());
	assert_int_equal(symlink(victim, old_tmp), 0);
	statefile_write("seen-safety", "shown");
	char *text = get(victim);
	assert_string_equal(text, "precious\n");
	free(text);
	char *s = statefile_read("seen-safety");
	assert_string_equal(s, "shown");
	free(s);
	/* The first line only, without its newline, at most 127 bytes. */
	char long_line[300];
	memset(long_line, 'a', sizeof long_line - 1);
	long_line[sizeof long_line - 1] = '\0';
	statefile_write("last-program", long_line);
	s = statefile_read("last-program");
	assert_int_equal(strlen(s), 127);
	free(s);
	unlink(old_tmp);
	unlink(victim);
	free(old_tmp);
	free(victim);
	free(fifo);
	free(dir);
}

/* The files lull appends to or locks in place (the logs, the history, the
 * daemon's pid file, the locks) were opened with O_CREAT and no O_NOFOLLOW:
 * a link planted at remind.pid made the daemon truncate the file it
 * pointed to, and a FIFO held lull until a reader came. */
static void open_write_refuses_links_and_fifos(void **unused)
{
	(void)unused;
	char *victim = in_home("victim");
	char *link = in_home("remind.pid");
	put(victim, "precious\n");
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(file_open_write(link, O_RDWR), -1);
	assert_int_equal(errno, FILE_ELINK);
	assert_int_equal(file_open_write(link, O_APPEND), -1);
	char *text = get(victim);
	assert_string_equal(text, "precious\n");
	free(text);
	assert_non_null(strstr(file_strerror(FILE_ELINK), "symbolic link"));

	char *fifo = in_home("fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(10);
	assert_int_equal(file_open_write(fifo, O_APPEND), -1);
	assert_int_equal(errno, FILE_ENOTREG);
	/* With a reader there (the daemon's FIFO trap): still refused. */
	int rd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	assert_int_equal(file_open_write(fifo, O_RDWR), -1);
	assert_int_equal(errno, FILE_ENOTREG);
	close(rd);
	alarm(0);
	assert_int_equal(file_open_write(testhome_dir, O_APPEND), -1);
	assert_int_equal(errno, EISDIR);

	/* A plain file: made 0600, appended to, blocking again. */
	char *log = in_home("log");
	int fd = file_open_write(log, O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	assert_int_equal(write(fd, "a\n", 2), 2);
	close(fd);
	fd = file_open_write(log, O_APPEND);
	assert_int_equal(write(fd, "b\n", 2), 2);
	close(fd);
	struct stat st;
	assert_int_equal(stat(log, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	text = get(log);
	assert_string_equal(text, "a\nb\n");
	free(text);
	unlink(log);
	unlink(fifo);
	unlink(link);
	unlink(victim);
	free(log);
	free(fifo);
	free(link);
	free(victim);
}

/* `stats --compact` killed mid-way left its temporary copy for good. */
static void stale_temps_removed(void **unused)
{
	(void)unused;
	char *path = in_home("history.tsv");
	put(path, "x\n");
	char *stale = in_home(".history.tsv.AbC123");
	char *other = in_home(".history.tsv.backup.old");
	char *mine = in_home("history.tsv.keep12");
	put(stale, "half a copy");
	put(other, "not ours");
	put(mine, "the person's");
	assert_int_equal(file_remove_stale_temps(path), 1);
	assert_int_equal(access(stale, F_OK), -1);
	assert_int_equal(access(other, F_OK), 0);
	assert_int_equal(access(mine, F_OK), 0);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(file_remove_stale_temps(path), 0);
	unlink(other);
	unlink(mine);
	unlink(path);
	free(stale);
	free(other);
	free(mine);
	free(path);
}

/* A set of lines (the safety notes acknowledged): a line is in it once,
 * whole lines only, the oldest falling off past the bound; a FIFO in its
 * place is not waited on. */
static void statefile_lines(void **unused)
{
	(void)unused;
	assert_false(statefile_has_line("set-test", "aa"));
	statefile_add_line("set-test", "aa", 3);
	statefile_add_line("set-test", "bb", 3);
	statefile_add_line("set-test", "aa", 3); /* already there: no second copy */
	assert_true(statefile_has_line("set-test", "aa"));
	assert_true(statefile_has_line("set-test", "bb"));
	assert_false(statefile_has_line("set-test", "a")); /* whole lines only */
	assert_false(statefile_has_line("set-test", "aabb"));
	statefile_add_line("set-test", "cc", 3);
	statefile_add_line("set-test", "dd", 3);
	assert_false(statefile_has_line("set-test", "aa")); /* the oldest went */
	assert_true(statefile_has_line("set-test", "bb"));
	assert_true(statefile_has_line("set-test", "dd"));
	char *dir = paths_make_dir(PATH_STATE);
	char *path = xasprintf("%s/set-test", dir);
	char *text = get(path);
	assert_string_equal(text, "bb\ncc\ndd\n");
	free(text);
	/* A line that is not one is refused. */
	statefile_add_line("set-test", "e\nf", 3);
	assert_false(statefile_has_line("set-test", "e"));
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10);
	assert_false(statefile_has_line("set-test", "bb"));
	alarm(0);
	unlink(path);
	free(path);
	free(dir);
}

int main(void)
{
	if (!testhome_enter("file"))
		return 99;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(read_whole),
		cmocka_unit_test(read_bound),
		cmocka_unit_test(read_fifo_does_not_wait),
		cmocka_unit_test(write_atomic),
		cmocka_unit_test(write_never_follows_a_link),
		cmocka_unit_test(statefile_safe),
		cmocka_unit_test(open_write_refuses_links_and_fifos),
		cmocka_unit_test(stale_temps_removed),
		cmocka_unit_test(statefile_lines),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (testhome_remove() != 0)
		rc = 1;
	return rc;
}
