#!/usr/bin/env bash
# --raw: any client (here bash's /dev/tcp and /dev/udp, as nc or the
# lecture's Python client would) and the size of every read it caused.
. "$(dirname "$0")/lib.sh"

"$BIN/stream-recv" --raw --read 2560 --after 200ms --out "$WORK/r" --quiet >"$WORK/listen" 2>"$WORK/err" &
rpid=$!
PIDS+=("$rpid")
addr=$(wait_listen "$WORK/listen")
port=${addr##*:}
exec 3<>"/dev/tcp/127.0.0.1/$port"
for i in 1 2 3 4 5; do printf '%0512d' 0 >&3; done   # five 512-byte writes, no header
exec 3>&-
wait "$rpid" || fail "raw stream receiver exited $?: $(cat "$WORK/err")"
expect_eq "raw stream: bytes" "$(csv_col "$WORK/r-summary.csv" bytes)" 2560
expect_eq "raw stream: one coalesced read" "$(csv_col "$WORK/r-summary.csv" calls)" 1
expect_eq "raw stream: no messages claimed" "$(csv_col "$WORK/r-summary.csv" msgs)" 0

"$BIN/datagram-recv" --raw --read 2560 --idle 500ms --out "$WORK/u" --quiet >"$WORK/ulisten" 2>"$WORK/uerr" &
rpid=$!
PIDS+=("$rpid")
addr=$(wait_listen "$WORK/ulisten")
port=${addr##*:}
for n in 100 200 300; do printf "%0${n}d" 0 >"/dev/udp/127.0.0.1/$port"; done
wait "$rpid" || fail "raw datagram receiver exited $?: $(cat "$WORK/uerr")"
expect_eq "raw udp: reads" "$(csv_col "$WORK/u-summary.csv" calls)" 3
expect_eq "raw udp: sizes" "$(csv_col "$WORK/u-events.csv" returned | tr '\n' ' ')" "100 200 300 "
pass "raw mode"
