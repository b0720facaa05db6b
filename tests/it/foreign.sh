#!/usr/bin/env bash
# Strangers' datagrams at a receiver are counted as foreign and never
# mistaken for the run's data.
. "$(dirname "$0")/lib.sh"

"$BIN/datagram-recv" --token 4242 --read 2560 --out "$WORK/r" --quiet >"$WORK/listen" 2>"$WORK/err" &
rpid=$!
PIDS+=("$rpid")
addr=$(wait_listen "$WORK/listen")
port=${addr##*:}
printf 'hello' >"/dev/udp/127.0.0.1/$port"                     # too short for a header
printf '%0100d' 0 >"/dev/udp/127.0.0.1/$port"                  # wrong magic
"$BIN/datagram-send" --to "$addr" --token 99 --send "3 x 100" --out "$WORK/x" --quiet --wait 1s || true
"$BIN/datagram-send" --to "$addr" --token 4242 --send "5 x 512" --out "$WORK/s" --quiet \
	|| fail "real sender failed"
wait "$rpid" || fail "receiver exited $?: $(cat "$WORK/err")"
r="$WORK/r-summary.csv"
expect_eq "msgs" "$(csv_col "$r" msgs)" 5
expect_eq "bytes" "$(csv_col "$r" bytes)" 2560
expect_eq "lost" "$(csv_col "$r" lost)" 0
[ "$(csv_col "$r" foreign)" -ge 5 ] || fail "foreign: $(csv_col "$r" foreign), want >= 5 (2 strangers + 3 other-token messages)"
expect_eq "sender_total from this run's FIN" "$(csv_col "$r" sender_total)" 5
pass "foreign datagrams"
