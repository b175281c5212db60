#!/bin/sh
# SPDX-License-Identifier: ISC
# lull ssh for real. The near side: a private PulseAudio with a null sink,
# its default socket in a private XDG_RUNTIME_DIR, shared memory on and no
# anonymous access (as a desktop has it). The far side: an sshd of the
# test's own on 127.0.0.1 (its own host key, a free port) and a throwaway
# user, made here, with an authorized key. `lull ssh` runs a short spoken
# program there in a pseudo-terminal; the near sink's monitor is recorded
# and pocketsphinx must hear the line. Then the ssh client is killed (a
# dropped connection): lull on the far side must end and its socket go.
# Root only (a second user); SKIP (77) with the reason otherwise.
# LULL_TEST_KEEP=1 keeps its folder (logs, the recording) for a look.
lull=${LULL_BIN:-./lull}
. "$(dirname "$0")/check-lib.sh"
case ${LULL_HAVE_VOICE:?run by make check, which says whether this lull speaks} in
no) echo "SKIP: built without the voice (or without sound): nothing to hear"; exit 77 ;;
esac
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root, to make a second user for the far side"; exit 77; }
for t in /usr/sbin/sshd ssh ssh-keygen useradd userdel pulseaudio pactl parec pocketsphinx_batch python3; do
	command -v $t >/dev/null || [ -x "$t" ] ||
		{ echo "SKIP: $t missing (apt-get install openssh-server pulseaudio pulseaudio-utils pocketsphinx pocketsphinx-en-us python3)"; exit 77; }
done
model=/usr/share/pocketsphinx/model/en-us
[ -r $model/en-us.lm.bin ] || { echo "SKIP: pocketsphinx's model missing (apt-get install pocketsphinx-en-us)"; exit 77; }
lull=$(cd "$(dirname "$lull")" && pwd)/$(basename "$lull")
voice=${LULL_VOICE_HELPER:?run by make check, which names the voice helper}
sounds=${LULL_SOUNDS_DIR:?run by make check, which names the sounds}

# The far user must pass through $tmp's parents: /tmp is open.
tmp=$(TMPDIR=/tmp mktemp -d) || exit 99
chmod 755 "$tmp"
user=lullssh$$
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	id "$user" >/dev/null 2>&1 && userdel "$user" 2>/dev/null
	[ -n "$LULL_TEST_KEEP" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# poll SECONDS COMMAND...: until the command succeeds; false at the
# deadline (a bound for a broken machine, not the test's measure).
poll() {
	end=$(($(date +%s) + $1)); shift
	while ! "$@"; do
		[ "$(date +%s)" -lt $end ] || return 1
		sleep 0.02
	done
}

# --- the far side: a user, lull and its data where it can read them -------
far=$tmp/far
mkdir -p "$far/bin" "$far/home" "$tmp/sshd/keys"
useradd -M -d "$far/home" -s /bin/sh -p '*' "$user" ||
	{ echo "SKIP: useradd could not make a throwaway user"; exit 77; }
cp "$lull" "$voice" "$far/bin/" && cp -r "$sounds" "$far/sounds" || exit 99
chmod -R a+rX "$far"
printf 'title "Far"\nguide 10s "Breathe in through the nose for four, out for six."\nguide 10m "Rest."\n' \
	>"$far/night.session"
chown -R "$user" "$far/home"

# --- sshd: its own host key, a key for the user, 127.0.0.1, a free port ---
ssh-keygen -q -t ed25519 -N '' -f "$tmp/sshd/host_key" && ssh-keygen -q -t ed25519 -N '' -f "$tmp/client_key" || exit 99
cp "$tmp/client_key.pub" "$tmp/sshd/keys/$user"
chmod 644 "$tmp/sshd/keys/$user"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# sshd wants its privilege separation folder (made by the service at boot).
[ -d /run/sshd ] || mkdir -m 755 /run/sshd || exit 99
cat >"$tmp/sshd/config" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $tmp/sshd/host_key
PidFile none
AuthorizedKeysFile $tmp/sshd/keys/%u
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AllowUsers $user
AllowStreamLocalForwarding yes
PermitTTY yes
SetEnv PATH=$far/bin:/usr/bin:/bin LULL_SOUNDS_DIR=$far/sounds LULL_VOICE_HELPER=$far/bin/$(basename "$voice") LC_ALL=C.UTF-8 LULL_DEBUG=1
EOF
/usr/sbin/sshd -D -e -f "$tmp/sshd/config" 2>"$tmp/sshd.log" &
sshd=$!
pids="$pids $sshd"
poll 30 grep -q "Server listening on 127.0.0.1 port $port" "$tmp/sshd.log" ||
	{ cat "$tmp/sshd.log"; echo "sshd did not start"; exit 99; }
printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$tmp/sshd/host_key.pub")" >"$tmp/known_hosts"

# --- the near side: a private PulseAudio, its socket where a desktop's is --
export HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/run" XDG_CONFIG_HOME= XDG_STATE_HOME= XDG_DATA_HOME=
unset PULSE_SERVER
mkdir -p "$HOME" "$XDG_RUNTIME_DIR/pulse"
chmod 700 "$XDG_RUNTIME_DIR"
pulseaudio --daemonize=no -n --exit-idle-time=-1 --use-pid-file=no --log-target=stderr \
	--load="module-null-sink sink_name=near rate=48000 channels=2" \
	--load="module-native-protocol-unix socket=$XDG_RUNTIME_DIR/pulse/native" 2>"$tmp/pulse.log" &
pulse=$!
pids="$pids $pulse"
poll 30 pactl info >/dev/null 2>&1 || { cat "$tmp/pulse.log"; echo "pulseaudio did not start"; exit 99; }
parec -d near.monitor --format=s16le --rate=16000 --channels=1 >"$tmp/heard.raw" &
rec=$!
pids="$pids $rec"
# The recorder takes a while to record (1.8 s from its start to its first
# bytes on an idle 2-core machine, longer under load): what the sink plays
# before then is never in heard.raw. The far lull starts once it records,
# lest the line's first words be lost to the recorder (as tests/audio's
# fixture waits, fx_rec_wait).
check "the recorder records the near sink" poll 60 test -s "$tmp/heard.raw"

# --- lull ssh, in a pseudo-terminal of 24x80 --------------------------------
cat >"$tmp/in_pty.py" <<'EOF'
import fcntl, os, pty, struct, sys, termios
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
with open(sys.argv[1] + ".pid.new", "w") as f:
    f.write("%d\n" % pid)
os.rename(sys.argv[1] + ".pid.new", sys.argv[1] + ".pid")
with open(sys.argv[1], "wb") as log:
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        log.write(data)
        log.flush()
_, st = os.waitpid(pid, 0)
sys.exit(os.WEXITSTATUS(st) if os.WIFEXITED(st) else 128 + os.WTERMSIG(st))
EOF
TERM=xterm python3 "$tmp/in_pty.py" "$tmp/screen" "$lull" ssh -o Port="$port" -o IdentityFile="$tmp/client_key" \
	-o IdentitiesOnly=yes -o UserKnownHostsFile="$tmp/known_hosts" -o StrictHostKeyChecking=yes \
	-o BatchMode=yes "$user@127.0.0.1" start "$far/night.session" --plain --sound none --no-cues &
client=$!
pids="$pids $client"
poll 30 test -s "$tmp/screen.pid" || { echo "the pseudo-terminal did not start"; exit 99; }
ssh_pid=$(cat "$tmp/screen.pid")

far_socket() { find /tmp -maxdepth 1 -type s -name 'lull-pulse-*' -user "$user" 2>/dev/null; }
far_files() { find /tmp -maxdepth 1 -name 'lull-*' -user "$user" 2>/dev/null; }
far_lull() { pgrep -u "$user" -x lull >/dev/null; }
has_socket() { [ -n "$(far_socket)" ]; }
check "the far socket appears, the far user's" poll 60 has_socket
sock=$(far_socket)
check "... /tmp/lull-pulse- and 32 hex digits" sh -c "printf '%s\n' '$sock' | grep -Eqx '/tmp/lull-pulse-[0-9a-f]{32}'"
check "... a socket for its owner alone (srw-------)" sh -c "ls -l '$sock' | grep -q '^srw------- '"
check "lull runs on the far side, as that user" poll 60 far_lull
check "lull ssh became ssh (exec'd: the terminal and signals go to it)" \
	[ "$(cat /proc/$ssh_pid/comm 2>/dev/null)" = ssh ]
check "the far lull reaches the second step" poll 120 grep -q "Rest" "$tmp/screen"

# The voice, then quiet: the line has been played out to the near sink.
cat >"$tmp/level.py" <<'EOF'
import array, sys
a = array.array("h")
with open(sys.argv[1], "rb") as f:
    b = f.read()
a.frombytes(b[: len(b) // 2 * 2])
w = 1600  # 100 ms at 16 kHz
loud = [max(abs(x) for x in a[i:i + w]) > 300 for i in range(0, len(a) - w + 1, w)]
# heard: something loud, then at least 1.5 s of quiet after it
if sys.argv[2] == "done":
    sys.exit(0 if True in loud and loud[-15:] == [False] * 15 and len(loud) >= 15 else 1)
print(sum(loud) / 10.0)
EOF
check "the voice reached the near sink and ended" poll 120 python3 "$tmp/level.py" "$tmp/heard.raw" done
echo "# seconds of sound at the near sink: $(python3 "$tmp/level.py" "$tmp/heard.raw" seconds)"
kill $rec; wait $rec 2>/dev/null

# pocketsphinx hears it.
mkdir -p "$tmp/asr"
cp "$tmp/heard.raw" "$tmp/asr/heard.raw"
echo heard >"$tmp/asr/ctl"
pocketsphinx_batch -ctl "$tmp/asr/ctl" -cepdir "$tmp/asr" -cepext .raw -adcin yes -adchdr 0 -samprate 16000 \
	-hyp "$tmp/asr/hyp" -hmm $model/en-us -lm $model/en-us.lm.bin -dict $model/cmudict-en-us.dict \
	-logfn /dev/null >/dev/null 2>&1
echo "# pocketsphinx heard: $(cat "$tmp/asr/hyp" 2>/dev/null)"
said="breathe through nose four out six"
heard=0
for w in $said; do grep -qiw "$w" "$tmp/asr/hyp" 2>/dev/null && heard=$((heard + 1)); done
check "pocketsphinx hears the line at the near sink ($heard of 6 words; 4 needed)" [ $heard -ge 4 ]

# A dropped connection: the client killed outright.
kill -KILL "$ssh_pid"
check "the far lull ends when the connection drops" poll 60 sh -c "! pgrep -u '$user' -x lull >/dev/null"
check "the far socket is gone" poll 60 test ! -e "$sock"
check "... and the far client's settings: nothing of lull's left in /tmp" [ -z "$(far_files)" ]
check "nothing of the far user's is left running" poll 60 sh -c "! pgrep -u '$user' >/dev/null"
wait $client 2>/dev/null
[ $fails -eq 0 ] || { echo "# sshd:"; sed 's/^/# /' "$tmp/sshd.log"; echo "# screen:"; tr -d '\033' <"$tmp/screen" | sed 's/^/# /' | tail -20
	echo "# the far lull's debug log:"; tail -40 "$far/home/.local/state/lull/debug.log" | sed 's/^/# /'; }
[ $fails -eq 0 ]
