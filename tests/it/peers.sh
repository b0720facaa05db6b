#!/usr/bin/env bash
# A peer that never shows up, or vanishes mid-run: a clear error and exit
# status 1, never a hang. One behaviour per ctest entry (peers.sh CASE):
#   no-listener           stream sender, nobody listening
#   no-socket-file        unix-dgram sender, no socket file
#   no-stream-sender      stream receiver, nobody connects
#   no-datagram           datagram receiver, nothing arrives
#   no-seqpacket-sender   seqpacket receiver, nobody connects
#   recv-killed-TRANSPORT the receiver is killed mid-run; its sender says so
#   send-killed-udp       a datagram sender is killed; its receiver gives up after --idle
#   driver-send-killed    sockcmp's sender child is killed mid-trial: exit 1, the row says so
#   driver-recv-killed    the same for the receiver child
# Times are only bounds against a hang (generous, the host may be busy):
# the outcome asserted is the exit status and the exact message.
. "$(dirname "$0")/lib.sh"
case=${1:?usage: peers.sh CASE}
HANG=30 # seconds after which a command is taken to hang

# expect_fail WHAT REGEX CMD...: CMD must exit 1 (not hang) with stderr
# matching REGEX (the whole last line).
expect_fail() {
	local what=$1 re=$2 rc=0
	shift 2
	timeout -k 1 "$HANG" "$@" >/dev/null 2>"$WORK/err" || rc=$?
	[ "$rc" -ne 124 ] || fail "$what: still running after $HANG s"
	expect_eq "$what: exit status" "$rc" 1
	tail -n 1 "$WORK/err" | grep -Eq "^$re\$" || fail "$what: stderr '$(cat "$WORK/err")' does not end with /$re/"
}

# watchdog PID: kills PID if it still runs after $HANG s; ends as soon as
# PID is gone (our `wait` reaps it), so nothing of it outlives the test.
watchdog() {
	local pid=$1
	(
		for _ in $(seq 1 $((HANG * 10))); do
			kill -0 "$pid" 2>/dev/null || exit 0
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null
	) >/dev/null 2>&1 &
	PIDS+=("$!")
}

# A free TCP port: let the kernel choose one, then close it.
free_port() {
	local port
	port=$("$BIN/stream-recv" --wait 10ms --out "$WORK/probe" --quiet 2>/dev/null | sed -n 's/.*://p' || true)
	[ -n "$port" ] || fail "could not find a free port"
	echo "$port"
}

# recv_killed TRANSPORT REGEX: starts a receiver, kills it with SIGKILL
# half a second into a long paced run; the sender must stop with REGEX.
recv_killed() {
	local t=$1 re=$2 kind l addr rpid
	case $t in tcp | unix-stream) kind=stream ;; *) kind=datagram ;; esac
	case $t in tcp | udp) l=127.0.0.1:0 ;; *) l="unix:$WORK/$t.sock" ;; esac
	"$BIN/$kind-recv" --listen "$l" --transport "$t" --read 512 --out "$WORK/r" --quiet \
		>"$WORK/listen" 2>/dev/null &
	rpid=$!
	PIDS+=("$rpid")
	addr=$(wait_listen "$WORK/listen")
	(sleep 0.5; kill -9 "$rpid") &
	PIDS+=("$!")
	expect_fail "$t: receiver killed mid-run" "$kind-send: $re" \
		"$BIN/$kind-send" --to "$addr" --transport "$t" --send "100000 x 512" --pace 1ms --out "$WORK/s"
	wait "$rpid" 2>/dev/null || true
}

# driver_killed send|recv: kills one child of `sockcmp run` mid-trial.
driver_killed() {
	local side=$1 out="$WORK/kill" spid victim= i rc=0 err
	"$BIN/sockcmp" run "$SRC/tests/it/exp/long.exp" --out "$out" --no-plots --quiet >/dev/null 2>"$WORK/kerr" &
	spid=$!
	PIDS+=("$spid")
	for i in $(seq 1 200); do
		victim=$(pgrep -P "$spid" -f "stream-$side" || true)
		[ -n "$victim" ] && break
		sleep 0.05
	done
	[ -n "$victim" ] || fail "no stream-$side child to kill"
	sleep 0.5
	kill -9 "$victim"
	watchdog "$spid"
	wait "$spid" || rc=$?
	[ "$rc" -ne 137 ] || fail "driver still running $HANG s after stream-$side was killed"
	expect_eq "driver after stream-$side was killed: exit" "$rc" 1
	expect_eq "one row" "$(csv_col "$out/long.csv" transport | wc -l)" 1
	err=$(csv_col "$out/long.csv" error)
	case $side in
	send) # The sender died: its exit status is the row's, and says how.
		expect_eq "its status" "$(csv_col "$out/long.csv" status)" 137
		expect_eq "row error after killing the sender" "$err" "sender: killed by signal 9" ;;
	recv) # The receiver died: the sender's next write fails, and its
		# words say the receiver vanished (the receiver left no summary).
		expect_eq "its status" "$(csv_col "$out/long.csv" status)" 1
		[[ $err =~ ^sender:\ stream-send:\ the\ receiver\ vanished\ after\ [0-9]+\ messages:\ (Connection\ reset\ by\ peer|Broken\ pipe)$ ]] ||
			fail "row error after killing the receiver: '$err'" ;;
	esac
}

case $case in
no-listener)
	port=$(free_port)
	expect_fail "stream sender, nobody listening" \
		"stream-send: no receiver answered \\(tcp\\) within 1000 ms: Connection refused" \
		"$BIN/stream-send" --to "127.0.0.1:$port" --wait 1s --out "$WORK/a"
	;;
no-socket-file)
	expect_fail "unix-dgram sender, no socket file" \
		"datagram-send: no receiver answered \\(unix-dgram\\) within 1000 ms: No such file or directory" \
		"$BIN/datagram-send" --to "unix:$WORK/nobody" --wait 1s --out "$WORK/b"
	;;
no-stream-sender)
	expect_fail "stream receiver, nobody connects" "stream-recv: no sender connected within 1000 ms" \
		"$BIN/stream-recv" --wait 1s --out "$WORK/c"
	;;
no-datagram)
	expect_fail "datagram receiver, nothing arrives" "datagram-recv: no datagram arrived within 1000 ms" \
		"$BIN/datagram-recv" --wait 1s --out "$WORK/d"
	;;
no-seqpacket-sender)
	expect_fail "seqpacket receiver, nobody connects" "datagram-recv: no sender connected within 1000 ms" \
		"$BIN/datagram-recv" --listen "unix:$WORK/sp" --transport unix-seqpacket --wait 1s --out "$WORK/e"
	;;
recv-killed-tcp)
	recv_killed tcp "the receiver vanished after [0-9]+ messages: (Connection reset by peer|Broken pipe)" ;;
recv-killed-unix-stream)
	recv_killed unix-stream "the receiver vanished after [0-9]+ messages: (Broken pipe|Connection reset by peer)" ;;
recv-killed-udp)
	recv_killed udp "nobody is receiving \\(connection refused\\) after [0-9]+ messages" ;;
recv-killed-unix-dgram)
	recv_killed unix-dgram "nobody is receiving \\(connection refused\\) after [0-9]+ messages" ;;
recv-killed-unix-seqpacket)
	recv_killed unix-seqpacket "send failed after [0-9]+ messages: (Broken pipe|Connection reset by peer)" ;;
send-killed-udp)
	# The receiver gives up after --idle once its sender is gone, and
	# still writes its CSV.
	"$BIN/datagram-recv" --idle 1s --out "$WORK/v-r" >"$WORK/v-listen" 2>"$WORK/v-err" &
	rpid=$!
	PIDS+=("$rpid")
	addr=$(wait_listen "$WORK/v-listen")
	"$BIN/datagram-send" --to "$addr" --send "100000 x 64" --pace 1ms --out "$WORK/v-s" --quiet 2>/dev/null &
	spid=$!
	PIDS+=("$spid")
	sleep 0.4
	kill -9 "$spid"
	watchdog "$rpid"
	rc=0
	wait "$rpid" || rc=$?
	[ "$rc" -ne 137 ] || fail "udp receiver still running $HANG s after its sender died"
	expect_eq "udp receiver after its sender died: exit" "$rc" 1
	expect_eq "its message" "$(tail -n 1 "$WORK/v-err")" \
		"datagram-recv: the sender went quiet without its end marker (vanished, or every marker was lost)"
	expect_eq "its CSV is still written, status" "$(csv_col "$WORK/v-r-summary.csv" status)" -110
	;;
driver-send-killed) driver_killed send ;;
driver-recv-killed) driver_killed recv ;;
*) fail "unknown case '$case'" ;;
esac
pass "peers: $case"
