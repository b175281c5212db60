#!/bin/sh
# SPDX-License-Identifier: ISC
# lull ssh against a stand-in ssh (first in PATH) that makes the far socket
# as sshd would and runs the far command through sh, with a stand-in lull
# on the far PATH that prints what it was given: the refusals (no host, a
# host that ssh would take for an option, no sound server here: exit 1 and
# one clear line, ssh never run), the ssh command line, arguments that reach
# the far lull exactly as typed (quotes, spaces, $(...), backslashes, an
# empty one), PULSE_SERVER set there with shared memory off (no
# descriptor crosses ssh), the socket and settings removed after, a missing
# far lull said (exit 127), and lull's exit status passed back.
lull=${LULL_BIN:-./lull}
. "$(dirname "$0")/check-lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 missing (apt-get install python3)"; exit 77; }
lull=$(cd "$(dirname "$lull")" && pwd)/$(basename "$lull")
tmp=$(mktemp -d) || exit 99
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_CONFIG_HOME= XDG_STATE_HOME= XDG_DATA_HOME= XDG_RUNTIME_DIR="$tmp/run"
unset PULSE_SERVER
mkdir -p "$HOME" "$tmp/bin" "$tmp/far" "$tmp/far-empty" "$tmp/run/pulse"

# The stand-in ssh: its argv one per line to ssh.args (NUL-free, so a
# newline in an argument shows as two lines: only the last, the far
# command, may hold one), the far socket made as sshd makes it, the command
# run by sh with the far PATH.
cat >"$tmp/bin/ssh" <<'EOF'
#!/bin/sh
: >"$T/ssh.args"
far=
while [ $# -gt 1 ]; do
	printf '%s\n' "$1" >>"$T/ssh.args"
	[ "$1" = -R ] && far=${2%%:*}
	shift
done
printf '%s\n' "$far" >"$T/far.path"
[ -n "$far" ] && : >"$far"
PATH=$FAR_PATH exec sh -c "$1"
EOF
cat >"$tmp/far/lull" <<'EOF'
#!/bin/sh
for a; do printf '[%s]\n' "$a"; done
echo "PULSE_SERVER=$PULSE_SERVER"
echo "client.conf: $(cat "$PULSE_CLIENTCONFIG")"
printf '%s\n' "$PULSE_CLIENTCONFIG" >"$T/conf.path"
exit 3
EOF
chmod +x "$tmp/bin/ssh" "$tmp/far/lull"
export T="$tmp" FAR_PATH="$tmp/far:/usr/bin:/bin"
PATH="$tmp/bin:$PATH"
cd "$HOME" || exit 99

"$lull" ssh --help >"$tmp/out" 2>&1; rc=$?
check "ssh --help: exit 0" [ $rc -eq 0 ]
check "ssh --help: the usage" grep -q '^Usage: lull ssh \[-o SSH_OPTION\]... HOST' "$tmp/out"
"$lull" help ssh >"$tmp/out" 2>&1
check "lull help ssh: the usage" grep -q '^Usage: lull ssh' "$tmp/out"
"$lull" --help >"$tmp/out"
check "lull --help names ssh" grep -q '^  ssh \[-o OPT\]... HOST' "$tmp/out"

"$lull" ssh >"$tmp/out" 2>"$tmp/err"; rc=$?
check "no host: exit 2" [ $rc -eq 2 ]
check "no host: said" grep -q "^lull: ssh: give the host" "$tmp/err"
"$lull" ssh -- -oProxyCommand=touch\ "$tmp/pwned" x >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a host that is an ssh option: exit 2" [ $rc -eq 2 ]
check "... refused as no host" grep -q "is not a host" "$tmp/err"
"$lull" ssh --bogus box >"$tmp/out" 2>"$tmp/err"; rc=$?
check "unknown option: exit 2" [ $rc -eq 2 ]
"$lull" ssh -o >"$tmp/out" 2>"$tmp/err"; rc=$?
check "-o without its option: exit 2" [ $rc -eq 2 ]
check "ssh never ran for a usage error" [ ! -e "$tmp/ssh.args" ]

# No sound server here: refused, ssh not run.
"$lull" ssh box start >"$tmp/out" 2>"$tmp/err"; rc=$?
check "nothing listening: exit 1" [ $rc -eq 1 ]
check "nothing listening: one line naming the socket" \
	[ "$(cat "$tmp/err")" = "lull: ssh: no sound server answers at $tmp/run/pulse/native (No such file or directory); start PulseAudio or PipeWire here, or point PULSE_SERVER at one (unix:PATH)" ]
XDG_RUNTIME_DIR= "$lull" ssh box >"$tmp/out" 2>"$tmp/err"; rc=$?
check "no runtime folder, no PULSE_SERVER: exit 1" [ $rc -eq 1 ]
check "... said" grep -q "^lull: ssh: no sound server here: neither PULSE_SERVER nor XDG_RUNTIME_DIR is set$" "$tmp/err"
PULSE_SERVER=tcp:localhost:4713 "$lull" ssh box >"$tmp/out" 2>"$tmp/err"; rc=$?
check "PULSE_SERVER over TCP: exit 1" [ $rc -eq 1 ]
check "... said" grep -q "names no Unix socket here" "$tmp/err"
check "ssh never ran without a sound server" [ ! -e "$tmp/ssh.args" ]

# A sound server: a socket that accepts.
python3 -c '
import signal, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(8)
signal.pause()' "$tmp/run/pulse/native" &
server=$!
i=0 # polled, with a generous deadline for a broken machine
until [ -S "$tmp/run/pulse/native" ]; do
	kill -0 $server 2>/dev/null || { echo "the stand-in sound server did not start"; exit 99; }
	i=$((i + 1)); [ $i -lt 3000 ] || { echo "the stand-in sound server did not listen"; exit 99; }
	sleep 0.02
done

"$lull" ssh -o Port=2222 me@box start "my night" "it's" '$(touch pwned)' '' 'a\b' '*' >"$tmp/out" 2>"$tmp/err"; rc=$?
check "the far lull's exit status comes back" [ $rc -eq 3 ]
far=$(cat "$tmp/far.path")
check "the far socket: /tmp/lull-pulse- and 32 hex digits" sh -c "printf '%s\n' '$far' | grep -Eqx '/tmp/lull-pulse-[0-9a-f]{32}'"
check "ssh's command line: tty, forward or fail, the option, the host" \
	[ "$(cat "$tmp/ssh.args")" = "-t
-o
ExitOnForwardFailure=yes
-R
$far:$tmp/run/pulse/native
-o
Port=2222
--
me@box" ]
check "every argument reaches the far lull as typed" [ "$(cat "$tmp/out")" = "[start]
[my night]
[it's]
[\$(touch pwned)]
[]
[a\\b]
[*]
PULSE_SERVER=unix:$far
client.conf: enable-shm = no" ]
check "nothing in an argument was run" [ ! -e "$HOME/pwned" ]
check "the far socket is gone after" [ ! -e "$far" ]
check "the client's settings, in a file of their own, gone after" \
	sh -c "grep -q '^/tmp/lull-ssh-conf\.' '$tmp/conf.path' && [ ! -e \"\$(cat '$tmp/conf.path')\" ]"
"$lull" ssh box >"$tmp/out" 2>"$tmp/err"
check "no arguments: lull alone (the menu), nothing else" [ "$(head -1 "$tmp/out")" = "PULSE_SERVER=unix:$(cat "$tmp/far.path")" ]
check "a new far socket each time" [ "$(cat "$tmp/far.path")" != "$far" ]

PULSE_SERVER="tcp:elsewhere:4713 unix:$tmp/run/pulse/native" XDG_RUNTIME_DIR= "$lull" ssh box >"$tmp/out" 2>"$tmp/err"; rc=$?
check "PULSE_SERVER's socket: the far lull ran (exit 3)" [ $rc -eq 3 ]
check "... and it is the one forwarded" grep -q ":$tmp/run/pulse/native\$" "$tmp/ssh.args"

# No lull on the far side.
FAR_PATH="$tmp/far-empty:/usr/bin:/bin" "$lull" ssh box start >"$tmp/out" 2>"$tmp/err"; rc=$?
check "no far lull: exit 127" [ $rc -eq 127 ]
check "no far lull: said" grep -q "^lull ssh: there is no lull on .* (PATH=$tmp/far-empty:" "$tmp/err"
check "no far lull: the socket is gone" [ ! -e "$(cat "$tmp/far.path")" ]

# No ssh here.
PATH="$tmp/far-empty" "$lull" ssh box >"$tmp/out" 2>"$tmp/err"; rc=$?
check "no ssh: exit 1" [ $rc -eq 1 ]
check "no ssh: said" grep -q "^lull: ssh: cannot run ssh: No such file or directory" "$tmp/err"
[ $fails -eq 0 ]
