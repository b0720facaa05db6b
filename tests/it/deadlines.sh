#!/usr/bin/env bash
# Every blocking call of the senders is bounded and its real error reported
# (issue 7 #16). The `timeout 60` around each program only catches a hang;
# what is checked is the exit status and the message.
. "$(dirname "$0")/lib.sh"
A="$BIN/../tests/sc-sockattack"
[ -x "$A" ] || fail "no $A"

# A listener whose accept queue is full drops the handshake: the sender
# gives up at --wait with a reason, not after minutes with "Success".
"$A" full-backlog >"$WORK/fb" 2>"$WORK/fb.err" &
PIDS+=("$!")
for i in $(seq 1 1000); do [ -s "$WORK/fb" ] && break; sleep 0.02; done
port=$(cat "$WORK/fb")
[ -n "$port" ] || fail "could not fill an accept queue: $(cat "$WORK/fb.err")"
rc=0
timeout 60 "$BIN/stream-send" --to "127.0.0.1:$port" --wait 1s --send "1 x 100" --out "$WORK/s" \
	--quiet 2>"$WORK/err" || rc=$?
[ $rc != 124 ] || fail "stream-send hung on a full accept queue"
expect_eq "exit status on a full accept queue" $rc 1
! grep -q Success "$WORK/err" || fail "error says Success: $(cat "$WORK/err")"
grep -q 'no receiver answered (tcp) within .*accept queue is full' "$WORK/err" ||
	fail "unclear error: $(cat "$WORK/err")"
pass "full accept queue: $(cat "$WORK/err")"

# Nothing listening: the real reason.
rc=0
sock=$WORK/none
timeout 60 "$BIN/stream-send" --to "unix:$sock" --wait 300ms --send "1 x 100" --out "$WORK/s" \
	--quiet 2>"$WORK/err" || rc=$?
expect_eq "exit status with nobody listening" $rc 1
grep -q 'No such file or directory' "$WORK/err" || fail "unclear error: $(cat "$WORK/err")"

# A seqpacket receiver that accepts and never reads: the sender's wait for
# its messages to be read ends at --timeout, and that is a failure.
"$A" unix-hold "$WORK/sp" seqpacket accept >"$WORK/sp.hold" 2>&1 &
PIDS+=("$!")
for i in $(seq 1 250); do grep -q '^ready' "$WORK/sp.hold" && break; sleep 0.02; done
rc=0
timeout 60 "$BIN/datagram-send" --to "unix:$WORK/sp" --transport unix-seqpacket --send "10 x 100" \
	--timeout 1s --out "$WORK/q" --quiet 2>"$WORK/err" || rc=$?
expect_eq "seqpacket exit status when the receiver never reads" $rc 1
grep -q 'did not read the last messages' "$WORK/err" || fail "unclear error: $(cat "$WORK/err")"
expect_eq "seqpacket sender's status column" "$(csv_col "$WORK/q-summary.csv" status)" -110
pass "seqpacket drain timeout: $(cat "$WORK/err")"

# ENOBUFS (here forced on every datagram by an LD_PRELOAD shim) is retried
# for a bounded time, then the run fails saying so.
shim="$BIN/../tests/libsc-enobufs.so"
[ -f "$shim" ] || fail "no $shim"
rc=0
ASAN_OPTIONS=verify_asan_link_order=0 LD_PRELOAD="$shim" timeout 60 "$BIN/datagram-send" \
	--to 127.0.0.1:9 --send "3 x 100" --out "$WORK/n" --quiet 2>"$WORK/err" || rc=$?
[ $rc != 124 ] || fail "datagram-send retried ENOBUFS forever"
expect_eq "exit status when every send is ENOBUFS" $rc 1
grep -q 'No buffer space available' "$WORK/err" || fail "unclear error: $(cat "$WORK/err")"
pass "ENOBUFS: $(cat "$WORK/err")"
