#!/usr/bin/env bash
# The rr/crr echo server over TCP (shared/rr.c) takes its client through
# the stream receiver's accept policy (stream/accept.c): strangers that
# connect first, one idle and one that sends half a header and stalls,
# neither hold the server nor make the client wait; they are counted as
# foreign. And a request that arrives whole is read with one recv() (the
# server read the header, then the rest: two system calls per request).
. "$(dirname "$0")/lib.sh"
A="$BIN/../tests/sc-sockattack"
[ -x "$A" ] || fail "no $A"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
[ "$(id -u)" = 0 ] || skip "needs root to run the strangers as uid 65534"
rc=0; "${NOBODY[@]}" "$A" 2>/dev/null || rc=$?
[ $rc = 2 ] || skip "uid 65534 cannot run $A (build tree not readable?)"

# one_run NAME STYLE N: strangers first, then the client; both ends must
# account every request.
one_run() {
	local name=$1 style=$2 n=$3 addr rpid
	"$BIN/stream-recv" --listen 127.0.0.1:0 --read 64k --echo --idle 3s --wait 30s \
		--out "$WORK/$name-r" --quiet >"$WORK/$name-l" 2>"$WORK/$name-rerr" &
	rpid=$!
	PIDS+=("$rpid")
	addr=$(wait_listen "$WORK/$name-l")
	"${NOBODY[@]}" "$A" crowd 127.0.0.1 "${addr##*:}" 1 1 >"$WORK/$name-crowd" 2>"$WORK/$name-crowd.err" &
	PIDS+=("$!")
	for _ in $(seq 1 500); do grep -q '^ready' "$WORK/$name-crowd" && break; sleep 0.02; done
	grep -q '^ready 1 1' "$WORK/$name-crowd" || fail "$name: the strangers never connected: $(cat "$WORK/$name-crowd" "$WORK/$name-crowd.err")"
	sleep 0.3 # the strangers are first in the accept queue
	"$BIN/stream-send" --to "$addr" --send "$n x 64" "$style" --timeout 5s --out "$WORK/$name-s" --quiet \
		2>"$WORK/$name-serr" || fail "$name: client exited $?: $(cat "$WORK/$name-serr")"
	wait "$rpid" || fail "$name: echo server exited $?: $(cat "$WORK/$name-rerr")"
	expect_eq "$name: client's round trips" "$(csv_col "$WORK/$name-s-summary.csv" unique_msgs)" "$n"
	expect_eq "$name: server's requests" "$(csv_col "$WORK/$name-r-summary.csv" msgs)" "$n"
	expect_eq "$name: strangers counted foreign" "$(csv_col "$WORK/$name-r-summary.csv" foreign)" 2
}
one_run rr --rr 200
one_run crr --crr 50
pass "rr and crr: an idle and a stalled stranger connected first; every request was answered"

command -v strace >/dev/null || skip "no strace to count the echo server's receive calls"
n=300
# LeakSanitizer cannot run under ptrace (an ASan build): leaks are the
# other tests' business.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq -e trace=recvfrom,recvmsg,read -o "$WORK/trace" \
	"$BIN/stream-recv" --listen 127.0.0.1:0 --read 64k --echo --idle 5s --wait 30s \
	--out "$WORK/t-r" --quiet >"$WORK/t-l" 2>"$WORK/t-rerr" &
rpid=$!
PIDS+=("$rpid")
addr=$(wait_listen "$WORK/t-l")
"$BIN/stream-send" --to "$addr" --send "$n x 64" --rr --timeout 5s --out "$WORK/t-s" --quiet \
	2>"$WORK/t-serr" || fail "traced: client exited $?: $(cat "$WORK/t-serr")"
wait "$rpid" || fail "traced: echo server exited $?: $(cat "$WORK/t-rerr")"
# Receives on the connection (the socket's reads; file reads at start-up
# are read() of other descriptors and are few).
got=$(grep -c '^[0-9]* *recvfrom(' "$WORK/trace" || true)
[ "$got" -ge "$n" ] || fail "the trace shows $got recvfrom calls for $n requests: nothing traced?"
[ "$got" -le $((n + 5)) ] || fail "the echo server made $got recvfrom calls for $n requests (want at most $((n + 5)): one per request)"
pass "the TCP echo server read $n requests with $got recvfrom calls"
