#!/bin/sh
# SPDX-License-Identifier: ISC
# The pure core stays pure: no stdio, no files, no clock, no environment,
# no processes, no shell header. Read from the compiled objects (nm -u), so a call hidden in a
# macro or an inline helper counts as well as one written out.
#
# The core modules are the files of src/core/, the one place that says what
# is pure: a new pure module goes there, and this check holds it to it.
srcdir=${LULL_SRCDIR:-..}
CORE=$(cd "$srcdir/src/core" 2>/dev/null && ls *.c | sed 's/\.c$//' | tr '\n' ' ')
[ -n "$CORE" ] || { echo "not ok - no modules in $srcdir/src/core"; exit 1; }
#
# A core object may use:
#  - the C library, except the calls named in FORBIDDEN below;
#  - what the other core modules define;
#  - util.c's allocation and string helpers (UTIL_OK): util.c itself is not
#    pure (it writes JSON to a FILE and writes to descriptors), so anything
#    else of it, or of any shell module, is refused.
UTIL_OK="xmalloc xcalloc xrealloc xstrdup xasprintf str_copy str_has_prefix sorted_first_after"
# Base names: the checker also refuses their variants (__printf_chk,
# fopen64, __isoc99_fscanf, __xstat, getc_unlocked ...).
FORBIDDEN="
fopen fdopen freopen fclose fread fwrite fgets fgetc getc getchar ungetc
fputs fputc putc putchar puts printf vprintf fprintf vfprintf dprintf vdprintf
perror fflush fscanf scanf vscanf vfscanf getline getdelim fseek fseeko ftell
ftello rewind fileno setvbuf setbuf tmpfile popen pclose open_memstream
fmemopen stdin stdout stderr
open openat creat read pread readv write pwrite writev close lseek stat fstat
lstat fstatat statx xstat fxstat lxstat fxstatat access faccessat unlink
unlinkat rename renameat mkdir rmdir opendir fdopendir readdir closedir fsync
fdatasync ftruncate truncate dup dup2 dup3 pipe pipe2 mmap munmap ioctl fcntl
flock chmod fchmod chown mkstemp mkostemp realpath getcwd chdir
getenv secure_getenv setenv unsetenv putenv clearenv environ setlocale
clock_gettime clock_getres gettimeofday time clock times localtime localtime_r
gmtime gmtime_r mktime timegm timelocal ctime ctime_r asctime strftime tzset
fork vfork execve execv execvp execvpe execl execlp execle fexecve system
posix_spawn posix_spawnp wait waitpid wait3 wait4 waitid kill raise exit _exit
_Exit atexit abort getpid getppid getuid geteuid
sleep usleep nanosleep clock_nanosleep poll ppoll select pselect epoll_wait
signal sigaction sigprocmask pthread_sigmask
rand srand random srandom rand_r drand48 getrandom
"

# The arrows run down: a core file includes only core headers (and util.h,
# for the helpers UTIL_OK names), and the audio layer does not read the
# settings or the options of start and render (they are the commands',
# above it: what it needs is passed in).
fails=0
for f in "$srcdir"/src/core/*.[ch]; do
	for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
		case $h in config.h | util.h) continue ;; esac
		if [ ! -f "$srcdir/src/core/$h" ]; then
			echo "not ok - src/core/${f##*/} includes $h, a header of the shell"
			fails=$((fails + 1))
		fi
	done
done
for f in "$srcdir"/src/audio/*.[ch]; do
	for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
		case $h in settings.h | sessionopts.h)
			echo "not ok - src/audio/${f##*/} includes $h (the commands' settings: pass what it needs)"
			fails=$((fails + 1)) ;;
		esac
	done
done
[ $fails -eq 0 ] && echo "ok - src/core includes no shell header; src/audio no settings.h or sessionopts.h"

nm=${NM:-nm}
command -v "$nm" >/dev/null 2>&1 || { echo "SKIP: $nm missing (apt-get install binutils)"; exit 77; }
objdir=${LULL_BUILDDIR:-.}/src
lib=$(ls "$objdir"/liblull_a-*.o "$objdir"/*/liblull_a-*.o 2>/dev/null)
[ -n "$lib" ] || { echo "not ok - no library objects in $objdir (build first)"; exit 1; }

# symbol object: where each symbol of the library is defined.
defined=$(for o in $lib; do
	m=${o##*/liblull_a-}; m=${m%.o}
	"$nm" -g --defined-only "$o" | awk -v m="$m" 'NF >= 3 { print $3, m }'
done)

for m in $CORE; do
	o="$objdir/core/liblull_a-$m.o"
	if [ ! -f "$o" ]; then
		echo "not ok - $m: no $o (not built into the library?)"
		fails=$((fails + 1))
		continue
	fi
	bad=$("$nm" -u "$o" | awk '{ print $NF }' | awk \
		-v core=" $CORE " -v util=" $UTIL_OK " -v forbidden="$FORBIDDEN" -v defined="$defined" '
		BEGIN {
			n = split(forbidden, f, /[ \n]+/)
			for (i = 1; i <= n; i++) if (f[i] != "") bad[f[i]] = 1
			n = split(defined, d, /\n/)
			for (i = 1; i <= n; i++) { split(d[i], p, " "); where[p[1]] = p[2] }
		}
		{
			s = $1
			if (s in where) {
				if (index(core, " " where[s] " ") == 0 && index(util, " " s " ") == 0)
					print s " (" where[s] ".c is not pure)"
				next
			}
			b = s
			sub(/@.*/, "", b)                 # symbol versions
			sub(/^__isoc(99|23)_/, "", b)     # scanf family
			sub(/^_+/, "", b)                 # __printf_chk, __xstat, _IO_...
			sub(/_(chk|unlocked)$/, "", b)
			sub(/64$/, "", b)                 # fopen64, stat64
			if (b in bad)
				print s
		}')
	if [ -n "$bad" ]; then
		echo "not ok - $m is not pure: it calls"
		echo "$bad" | sed 's/^/    /'
		fails=$((fails + 1))
	else
		echo "ok - $m is pure"
	fi
done
[ $fails -eq 0 ]
