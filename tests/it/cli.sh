#!/usr/bin/env bash
# CLI conventions: -h/--help and -V/--version on every program exit 0 with
# the program's own text; each sockcmp command has its own help; a paired
# program's help lists only its own kind's options; short options work.
. "$(dirname "$0")/lib.sh"
version=$(sed -n 's/^project(sockcmp VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
[ -n "$version" ] || fail "no project version in CMakeLists.txt"

# help_ok WHAT WANT-FIRST-LINE-REGEX CMD...: exit 0, text on stdout.
help_ok() {
	local what=$1 want=$2 rc=0
	shift 2
	"$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
	expect_eq "$what: exit status" "$rc" 0
	head -n 1 "$WORK/out" | grep -Eq "$want" || fail "$what: first line '$(head -n 1 "$WORK/out")' is not /$want/"
	[ ! -s "$WORK/err" ] || fail "$what: wrote to stderr: $(cat "$WORK/err")"
}

for p in sockcmp stream-send stream-recv datagram-send datagram-recv; do
	for v in -V --version; do
		help_ok "$p $v" "^$p .*$version" "$BIN/$p" "$v"
	done
done
for p in stream-send stream-recv datagram-send datagram-recv; do
	for h in -h --help; do
		help_ok "$p $h" "^Usage: $p " "$BIN/$p" "$h"
		grep -q -- "-V, --version" "$WORK/out" || fail "$p $h: does not document -V"
		grep -q "^Example" "$WORK/out" || fail "$p $h: no example"
	done
done

# Each kind's help names only its own options and transports.
"$BIN/stream-send" -h >"$WORK/ss"
"$BIN/datagram-send" -h >"$WORK/ds"
"$BIN/stream-recv" -h >"$WORK/sr"
"$BIN/datagram-recv" -h >"$WORK/dr"
grep -q -- "--end" "$WORK/ss" || fail "stream-send -h does not list --end"
! grep -q -- "--end\|stream only" "$WORK/ds" || fail "datagram-send -h lists a stream option: $(grep -- '--end' "$WORK/ds")"
! grep -Eq "tcp|unix-stream" "$WORK/ds" "$WORK/dr" || fail "datagram help names stream transports"
! grep -Eq "udp|unix-dgram|seqpacket" "$WORK/ss" "$WORK/sr" || fail "stream help names datagram transports"
grep -q -- "--listen" "$WORK/sr" && ! grep -q -- "--to\b" "$WORK/sr" || fail "stream-recv -h: --listen but not --to expected"
grep -q -- "--to" "$WORK/ds" && ! grep -q -- "--listen" "$WORK/ds" || fail "datagram-send -h: --to but not --listen expected"
rc=0
"$BIN/datagram-send" --end shutdown -c 127.0.0.1:9 2>"$WORK/err" || rc=$?
expect_eq "datagram-send --end: exit" "$rc" 2

# sockcmp: the overview, and each command's own text.
help_ok "sockcmp -h" "^Usage: sockcmp COMMAND" "$BIN/sockcmp" -h
help_ok "sockcmp --help" "^Usage: sockcmp COMMAND" "$BIN/sockcmp" --help
for h in -h --help; do
	help_ok "sockcmp serve $h" "^Usage: sockcmp serve\b" "$BIN/sockcmp" serve "$h"
done
for cmd in run lecture plot list check; do
	for h in -h --help; do
		help_ok "sockcmp $cmd $h" "^Usage: sockcmp $cmd\b" "$BIN/sockcmp" "$cmd" "$h"
		grep -q "^Example" "$WORK/out" || fail "sockcmp $cmd $h: no example"
	done
	help_ok "sockcmp help $cmd" "^Usage: sockcmp $cmd\b" "$BIN/sockcmp" help "$cmd"
done
"$BIN/sockcmp" lecture -h >"$WORK/lh"
! grep -q -- "--transports\|--repeat\|--link" "$WORK/lh" || fail "lecture -h lists run's options"
rc=0
"$BIN/sockcmp" lecture -t tcp 2>/dev/null || rc=$?
expect_eq "lecture -t: exit" "$rc" 2
rc=0
"$BIN/sockcmp" >/dev/null 2>&1 || rc=$?
expect_eq "sockcmp without a command: exit" "$rc" 2

# Short options do what the long ones do.
recv_out="$WORK/recv.out"
SOCKCMP_KEY=00112233445566778899aabbccddeeff "$BIN/stream-recv" -l 127.0.0.1:0 -r 100 -o "$WORK/r" -q >"$recv_out" &
PIDS+=($!)
addr=$(wait_listen "$recv_out")
SOCKCMP_KEY=00112233445566778899aabbccddeeff "$BIN/stream-send" -c "$addr" -t tcp -s '3 x 100' -o "$WORK/s" -q ||
	fail "stream-send with short options failed"
wait "${PIDS[0]}" || fail "stream-recv with short options failed"
expect_eq "short options: messages received" "$(csv_col "$WORK/r-summary.csv" msgs)" 3
expect_eq "short options: read size" "$(csv_col "$WORK/r-summary.csv" calls)" 3
"$BIN/sockcmp" run boundaries -t tcp,udp -r 2 -o "$WORK/b" -q --no-plots || fail "sockcmp run with short options failed"
expect_eq "run -t -r: rows" "$(csv_col "$WORK/b/boundaries.csv" transport | sort | uniq -c | awk '{print $1 $2}' | tr '\n' ' ')" "2tcp 2udp "
pass "cli conventions"
