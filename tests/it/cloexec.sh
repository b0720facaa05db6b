#!/usr/bin/env bash
# No descriptor of the driver leaks into the programs it runs (issue 7
# #16): each paired program, started by a real `sockcmp run`, lists what it
# inherited above stdin, stdout and stderr before it starts, and must find
# nothing.
. "$(dirname "$0")/lib.sh"
A="$BIN/../tests/sc-sockattack"
[ -x "$A" ] || fail "no $A"
# The driver runs the programs next to its own executable: give it a copy
# whose neighbours record their descriptors, then run the real program.
mkdir "$WORK/bin" "$WORK/fds"
cp "$BIN/sockcmp" "$WORK/bin/"
for p in stream-recv stream-send datagram-recv datagram-send; do
	printf '#!/bin/sh\nexec "%s" fds "%s/fds/%s.$$" "%s/%s" "$@"\n' "$A" "$WORK" $p "$BIN" $p \
		>"$WORK/bin/$p"
	chmod +x "$WORK/bin/$p"
done
cat >"$WORK/t.exp" <<'X'
experiment cloexec
transports tcp udp unix-stream unix-dgram unix-seqpacket
send 5 x 512
recv 2560
X
"$WORK/bin/sockcmp" run "$WORK/t.exp" --out "$WORK/out" --quiet --no-plots 2>"$WORK/err" ||
	fail "sockcmp run exited $?: $(cat "$WORK/err")"
# What this test itself inherited (ctest's log, say) is not the driver's.
ls -l /proc/$$/fd | sed -n 's/.* \([0-9]*\) -> \(.*\)$/\1 -> \2/p' >"$WORK/own"
n=$(ls "$WORK/fds" | wc -l)
expect_eq "programs that recorded their descriptors" "$n" 10
for f in "$WORK"/fds/*.[0-9]*; do
	grep -vxFf "$WORK/own" "$f" >"$f.new" || true
	[ ! -s "$f.new" ] || fail "$(basename "$f") inherited: $(tr '\n' ' ' <"$f.new")"
	rm "$f.new"
done
pass "$n programs inherited nothing but stdin, stdout and stderr"
