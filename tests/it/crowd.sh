#!/usr/bin/env bash
# A stream receiver serves the real sender despite a crowd of strangers
# (issue 7 #6): 1,000 idle connections and 50 that send half a header and
# stall, all opened first by another user, neither lock the sender out nor
# make the receiver spin while it waits.
. "$(dirname "$0")/lib.sh"
A="$BIN/../tests/sc-sockattack"
[ -x "$A" ] || fail "no $A"
# An array, not only a function: a function run in the background is a
# subshell, and killing it would leave the attacker running.
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
nobody() { "${NOBODY[@]}" "$@"; }
[ "$(id -u)" = 0 ] || skip "needs root to run the strangers as uid 65534"
rc=0; nobody "$A" 2>/dev/null || rc=$?
[ $rc = 2 ] || skip "uid 65534 cannot run $A (build tree not readable?)"
[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 1100 ] ||
	skip "the hard limit on open files ($(ulimit -Hn)) is below the 1,050 strangers"
idle=1000 stall=50

"$BIN/stream-recv" --listen 127.0.0.1:0 --token 555 --read 64k --wait 60s --out "$WORK/t" --quiet \
	>"$WORK/tl" 2>"$WORK/terr" &
rpid=$!
PIDS+=("$rpid")
addr=$(wait_listen "$WORK/tl")
"${NOBODY[@]}" "$A" crowd 127.0.0.1 "${addr##*:}" $idle $stall >"$WORK/crowd" 2>"$WORK/crowd.err" &
PIDS+=("$!")
for i in $(seq 1 1000); do grep -q '^ready' "$WORK/crowd" && break; sleep 0.02; done
read -r _ ok_idle ok_stall <"$WORK/crowd" || fail "the crowd never got ready: $(cat "$WORK/crowd.err")"
expect_eq "idle strangers connected" "$ok_idle" $idle
expect_eq "stalling strangers connected" "$ok_stall" $stall

# While the strangers sit there, the receiver sleeps: its CPU time (user +
# system, from /proc/PID/stat) over two seconds stays far below a busy
# loop's. A correctness check, not a speed goal.
cpu() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$rpid/stat"; }
hz=$(getconf CLK_TCK)
c0=$(cpu) t0=$(date +%s%N)
sleep 2
c1=$(cpu) t1=$(date +%s%N)
pct=$(( (c1 - c0) * 100 * 1000000000 / hz / (t1 - t0) ))
[ "$pct" -lt 20 ] || fail "the receiver used ${pct}% of a CPU while strangers stalled (busy loop)"

"$BIN/stream-send" --to "$addr" --token 555 --send "1000 x 200" --out "$WORK/s" --quiet \
	2>"$WORK/serr" || fail "real sender exited $?: $(cat "$WORK/serr")"
wait "$rpid" || fail "receiver exited $?: $(cat "$WORK/terr")"
r="$WORK/t-summary.csv"
expect_eq "msgs" "$(csv_col "$r" msgs)" 1000
expect_eq "bytes" "$(csv_col "$r" bytes)" 200000
expect_eq "lost" "$(csv_col "$r" lost)" 0
expect_eq "corrupted" "$(csv_col "$r" corrupted)" 0
expect_eq "status" "$(csv_col "$r" status)" 0
expect_eq "strangers counted foreign" "$(csv_col "$r" foreign)" $((idle + stall))
pass "the sender was served past $idle idle and $stall stalled strangers (receiver CPU ${pct}% while they waited)"
