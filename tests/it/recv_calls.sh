#!/usr/bin/env bash
# A datagram receiver that has fallen behind (datagrams already queued)
# receives without waiting first: one system call per receive call, not a
# poll() before each. The receiver here starts reading only once the
# sender's 100 datagrams are all queued (--after), one recvmsg() each
# (--no-batch): it polls for the first and for the quiet after the last,
# not 100 times.
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || skip "no strace to count the receiver's calls"
n=100
# LeakSanitizer cannot run under ptrace (an ASan build): leaks are the
# other tests' business.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq -e trace=poll,ppoll,recvmsg -o "$WORK/trace" \
	"$BIN/datagram-recv" --listen 127.0.0.1:0 --transport udp --no-batch --rcvbuf 1M --after 1s \
	--idle 5s --out "$WORK/r" --quiet >"$WORK/l" 2>"$WORK/rerr" &
rpid=$!
PIDS+=("$rpid")
addr=$(wait_listen "$WORK/l")
"$BIN/datagram-send" --to "$addr" --transport udp --no-batch --send "$n x 64" --out "$WORK/s" --quiet \
	2>"$WORK/serr" || fail "sender exited $?: $(cat "$WORK/serr")"
wait "$rpid" || fail "receiver exited $?: $(cat "$WORK/rerr")"
expect_eq "received" "$(csv_col "$WORK/r-summary.csv" unique_msgs)" $n
polls=$(grep -c '^[0-9]* *p\?poll(' "$WORK/trace" || true)
recvs=$(grep -c '^[0-9]* *recvmsg(' "$WORK/trace" || true)
[ "$recvs" -ge $n ] || fail "only $recvs recvmsg calls for $n datagrams (trace: $(head -c 400 "$WORK/trace"))"
[ "$polls" -le 10 ] || fail "the receiver polled $polls times for $n queued datagrams (want at most 10)"
pass "$n queued datagrams: $recvs recvmsg calls, $polls polls"
