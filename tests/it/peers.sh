#!/usr/bin/env bash
# A peer that never shows up, or vanishes mid-run: a clear error within a
# bounded time and exit status 1, never a hang.
. "$(dirname "$0")/lib.sh"

# expect_fail WHAT REGEX MAX_SECONDS CMD...: CMD must exit 1 within MAX_SECONDS
# with a stderr line matching REGEX.
expect_fail() {
	local what=$1 re=$2 max=$3 rc=0 t0=$SECONDS
	shift 3
	timeout -k 1 $((max + 5)) "$@" >/dev/null 2>"$WORK/err" || rc=$?
	expect_eq "$what: exit status" "$rc" 1
	[ $((SECONDS - t0)) -le "$max" ] || fail "$what: took $((SECONDS - t0)) s, limit $max s"
	grep -Eq "$re" "$WORK/err" || fail "$what: stderr '$(cat "$WORK/err")' does not match /$re/"
}

# Find a free TCP port by letting the kernel choose one, then closing it.
port=$( "$BIN/stream-recv" --wait 10ms --out "$WORK/probe" --quiet 2>/dev/null | sed -n 's/.*://p' || true)
[ -n "$port" ] || fail "could not find a free port"

expect_fail "stream sender, nobody listening" "no receiver answered" 4 \
	"$BIN/stream-send" --to "127.0.0.1:$port" --wait 1s --out "$WORK/a"
expect_fail "unix-dgram sender, no socket file" "no receiver answered" 4 \
	"$BIN/datagram-send" --to "unix:$WORK/nobody" --wait 1s --out "$WORK/b"
expect_fail "stream receiver, nobody connects" "no sender connected within 1000 ms" 4 \
	"$BIN/stream-recv" --wait 1s --out "$WORK/c"
expect_fail "datagram receiver, nothing arrives" "no datagram arrived within 1000 ms" 4 \
	"$BIN/datagram-recv" --wait 1s --out "$WORK/d"
expect_fail "seqpacket receiver, nobody connects" "no sender connected" 4 \
	"$BIN/datagram-recv" --listen "unix:$WORK/sp" --transport unix-seqpacket --wait 1s --out "$WORK/e"

# The receiver vanishes mid-run: the sender notices and stops.
for t in tcp udp unix-stream unix-dgram unix-seqpacket; do
	case $t in tcp|unix-stream) kind=stream ;; *) kind=datagram ;; esac
	case $t in tcp|udp) l=127.0.0.1:0 ;; *) l="unix:$WORK/$t.sock" ;; esac
	"$BIN/$kind-recv" --listen "$l" --transport $t --read 512 --out "$WORK/$t-r" --quiet \
		>"$WORK/$t-listen" 2>/dev/null &
	rpid=$!
	PIDS+=("$rpid")
	addr=$(wait_listen "$WORK/$t-listen")
	( sleep 0.5; kill -9 "$rpid" ) &
	expect_fail "$t: receiver killed mid-run" "receiver vanished|nobody is receiving|connection refused|Broken pipe|reset" 6 \
		"$BIN/$kind-send" --to "$addr" --transport $t --send "100000 x 512" --pace 1ms --out "$WORK/$t-s"
	wait "$rpid" 2>/dev/null || true
done

# A datagram sender vanishes mid-run: the receiver gives up after --idle.
"$BIN/datagram-recv" --idle 1s --out "$WORK/v-r" >"$WORK/v-listen" 2>"$WORK/v-err" &
rpid=$!
PIDS+=("$rpid")
addr=$(wait_listen "$WORK/v-listen")
"$BIN/datagram-send" --to "$addr" --send "100000 x 64" --pace 1ms --out "$WORK/v-s" --quiet 2>/dev/null &
spid=$!
PIDS+=("$spid")
sleep 0.4
kill -9 "$spid"
t0=$SECONDS
rc=0
wait "$rpid" || rc=$?
expect_eq "udp receiver after its sender died: exit" "$rc" 1
[ $((SECONDS - t0)) -le 3 ] || fail "udp receiver took $((SECONDS - t0)) s to notice"
grep -q "went quiet without its end marker" "$WORK/v-err" || fail "udp receiver: '$(cat "$WORK/v-err")'"
expect_eq "its CSV is still written" "$(csv_col "$WORK/v-r-summary.csv" status)" -110
# Through the driver: kill the sender, then the receiver, in the middle of a
# trial; the run ends with exit 1 and a row that says which side died.
for side in send recv; do
	out="$WORK/kill-$side"
	"$BIN/sockcmp" run "$SRC/tests/it/exp/long.exp" --out "$out" --no-plots --quiet >/dev/null 2>"$WORK/kerr" &
	spid=$!
	victim=
	for i in $(seq 1 100); do
		victim=$(pgrep -P "$spid" -f "stream-$side" || true)
		[ -n "$victim" ] && break
		sleep 0.05
	done
	[ -n "$victim" ] || fail "no stream-$side child to kill"
	sleep 0.5
	kill -9 "$victim"
	t0=$SECONDS
	rc=0
	wait "$spid" || rc=$?
	expect_eq "driver after stream-$side was killed: exit" "$rc" 1
	[ $((SECONDS - t0)) -le 12 ] || fail "driver took $((SECONDS - t0)) s after stream-$side died"
	err=$(csv_col "$out/long.csv" error)
	case $side in
	send) [[ $err == *"sender: killed by signal 9"* ]] || fail "row error after killing the sender: '$err'" ;;
	recv) [[ $err == *"receiver vanished"* || $err == *"receiver"* ]] || fail "row error after killing the receiver: '$err'" ;;
	esac
done
pass "peers that never come or vanish"
