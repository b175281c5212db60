#!/bin/sh
# SPDX-License-Identifier: ISC
# configure's choices for packagers, run in a scratch folder (the source
# folder may be read-only, as in distcheck):
#  - a missing library names its package on Debian, Fedora and Homebrew;
#  - the user unit goes where systemd looks: its pkg-config file's
#    systemduserunitdir under the prefix, PREFIX/share/systemd/user for a
#    prefix in $HOME (~/.local/lib/systemd/user is not searched);
#  - the zsh completion goes to vendor-completions when the zsh at hand
#    reads it (Debian's, under /usr), else site-functions.
# Libraries are made "found" or "missing" through pkg-config's own
# variables (NAME_CFLAGS/NAME_LIBS set skip the lookup; an empty
# PKG_CONFIG_LIBDIR finds nothing), zsh and systemd by fakes: the results do
# not depend on what this machine has installed.
. "$(dirname "$0")/check-lib.sh"
src=$(cd "${LULL_SRCDIR:-.}" && pwd) || exit 99
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/pc" "$tmp/bin" "$tmp/home"
cd "$tmp" || exit 99
cfg() { HOME="$tmp/home" PKG_CONFIG_LIBDIR="$tmp/pc" PATH="$tmp/bin:$PATH" "$src/configure" "$@" >"$tmp/log" 2>&1; }
found() { for v in "$@"; do printf '%s_CFLAGS=-DLULL_FOUND %s_LIBS=-lm ' "$v" "$v"; done; }

names() { # LIBRARY DEBIAN FEDORA HOMEBREW
	tail -1 "$tmp/log" | grep -q -F "$1 not found. Install it: $2 (Debian, Ubuntu), $3 (Fedora), $4 (Homebrew)"
}
cfg
check "no ncursesw: named for Debian, Fedora, Homebrew" names ncursesw libncurses-dev ncurses-devel ncurses
eval "cfg $(found NCURSES)"
check "no libao: named" names libao libao-dev libao-devel libao
eval "cfg $(found NCURSES AO)"
check "no libsndfile: named" names libsndfile libsndfile1-dev libsndfile-devel libsndfile
eval "cfg $(found NCURSES AO SNDFILE)"
check "no libsamplerate: named" names libsamplerate libsamplerate0-dev libsamplerate-devel libsamplerate
eval "cfg $(found NCURSES AO SNDFILE SAMPLERATE) --with-pulse"
check "no libpulse (--with-pulse): named" names libpulse libpulse-dev pulseaudio-libs-devel pulseaudio
eval "cfg $(found NCURSES AO SNDFILE SAMPLERATE PULSE) --with-voice=yes ac_cv_header_flite_flite_h=no"
check "no flite (--with-voice=yes): named" names flite flite1-dev flite-devel flite

# The install folders, read from the Makefile configure wrote.
mkvar() { sed -n "s/^$1 = //p" "$tmp/Makefile"; }
# A systemd whose pkg-config file puts user units in a place of its own, and
# a zsh that reads /usr/share/zsh/vendor-completions.
cat >"$tmp/pc/systemd.pc" <<'EOF'
prefix=/usr
systemduserunitdir=${prefix}/lib/systemd/user-of-systemd
Name: systemd
Description: fake
Version: 252
EOF
printf '#!/bin/sh\nprintf "%%s\\n" /usr/local/share/zsh/site-functions /usr/share/zsh/vendor-completions\n' >"$tmp/bin/zsh"
chmod +x "$tmp/bin/zsh"
eval "cfg $(found NCURSES) --without-audio --prefix=/usr"
check "prefix /usr: the unit in systemd's systemduserunitdir" [ "$(mkvar systemduserunitdir)" = '${prefix}/lib/systemd/user-of-systemd' ]
check "prefix /usr: zsh completion in vendor-completions (zsh reads it)" \
	[ "$(mkvar zshcompletiondir)" = '${datarootdir}/zsh/vendor-completions' ]
check "prefix /usr: lull(1) FILES names the real unit path" \
	grep -q -F '/\:usr/\:lib/\:systemd/\:user\-of\-systemd/\:lull\-remind.service' "$tmp/man/lull.1"
eval "cfg $(found NCURSES) --without-audio --prefix='$tmp/home/.local'"
check "prefix in \$HOME: the unit in PREFIX/share/systemd/user" [ "$(mkvar systemduserunitdir)" = '${prefix}/share/systemd/user' ]
check "prefix in \$HOME: zsh completion in site-functions (zsh does not read the other)" \
	[ "$(mkvar zshcompletiondir)" = '${datarootdir}/zsh/site-functions' ]
eval "cfg $(found NCURSES) --without-audio --prefix=/usr --with-systemduserunitdir=/srv/units --with-zsh-completion-dir=/srv/zsh"
check "--with-systemduserunitdir wins" [ "$(mkvar systemduserunitdir)" = /srv/units ]
check "--with-zsh-completion-dir wins" [ "$(mkvar zshcompletiondir)" = /srv/zsh ]
[ $fails -eq 0 ]
