#!/usr/bin/env bash
# Issue 7 #17: a stream that desynchronises after a valid message (a wrong
# magic where the next header should be) is counted by the framer's error:
# foreign, not malformed.
. "$(dirname "$0")/lib.sh"
H="$BIN/../tests/sc-hostile"
[ -x "$H" ] || fail "no $H"
SOCKCMP_KEY=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export SOCKCMP_KEY
"$BIN/stream-recv" --token 7 --out "$WORK/t" --quiet >"$WORK/tl" 2>"$WORK/terr" &
rpid=$!
PIDS+=("$rpid")
addr=$(wait_listen "$WORK/tl")
read -r _ foreign _ malformed _ < <("$H" desync "$addr" 7)
wait "$rpid" || true
r="$WORK/t-summary.csv"
[ -s "$r" ] || fail "no summary: $(cat "$WORK/terr")"
expect_eq "msgs before the bad bytes" "$(csv_col "$r" msgs)" 1
expect_eq "foreign" "$(csv_col "$r" foreign)" "$foreign"
expect_eq "malformed" "$(csv_col "$r" malformed)" "$malformed"
pass "stream desync counted as foreign"
