#!/usr/bin/env bash
# Another local user cannot take over a receiver's port while it runs
# (issue 7 #2): binding it with SO_REUSEADDR and/or SO_REUSEPORT on the same
# address, the wildcard or the IPv6 wildcard fails, so every datagram of the
# run reaches the receiver and none the squatter.
. "$(dirname "$0")/lib.sh"
A="$BIN/../tests/sc-sockattack"
[ -x "$A" ] || fail "no $A"
# An array, not only a function: a function run in the background is a
# subshell, and killing it would leave the attacker running.
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
nobody() { "${NOBODY[@]}" "$@"; }
[ "$(id -u)" = 0 ] || skip "needs root to run the attacker as uid 65534"
rc=0; nobody "$A" 2>/dev/null || rc=$?
[ $rc = 2 ] || skip "uid 65534 cannot run $A (build tree not readable?)"

# UDP: 2000 datagrams while a stranger tries to share the port.
"$BIN/datagram-recv" --listen 127.0.0.1:0 --token 4242 --read 2k --rcvbuf 8m --out "$WORK/u" --quiet \
	>"$WORK/ul" 2>"$WORK/uerr" &
rpid=$!
PIDS+=("$rpid")
addr=$(wait_listen "$WORK/ul")
port=${addr##*:}
"${NOBODY[@]}" "$A" udp-squat 127.0.0.1 "$port" 3 >"$WORK/sq" 2>"$WORK/sqerr" &
spid=$!
PIDS+=("$spid")
for i in $(seq 1 250); do grep -q '^ready' "$WORK/sq" && break; sleep 0.02; done
grep -q '^ready' "$WORK/sq" || fail "squatter never got ready: $(cat "$WORK/sqerr")"
"$BIN/datagram-send" --to "$addr" --token 4242 --send "2000 x 100" --pace 20us --out "$WORK/us" \
	--quiet || fail "udp sender failed"
wait "$rpid" || fail "udp receiver exited $?: $(cat "$WORK/uerr")"
wait "$spid" || fail "squatter failed: $(cat "$WORK/sqerr")"
read -r _ squatted _ received < <(grep "^squatted" "$WORK/sq")
expect_eq "udp sockets the stranger bound on port $port ($(grep bound "$WORK/sqerr" | tr '\n' ' '))" "$squatted" 0
expect_eq "datagrams the stranger received" "$received" 0
r="$WORK/u-summary.csv"
# A starved receiver (two busy loops, a sanitized build) may still drop
# datagrams its full buffer could not take: those are counted as host
# drops (rxq_drops), never as datagrams someone else received.
unique=$(csv_col "$r" unique_msgs) lost=$(csv_col "$r" lost) rxq=$(csv_col "$r" rxq_drops)
expect_eq "udp unique + lost" "$((unique + lost))" 2000
[ "$lost" -le "$rxq" ] || fail "udp: $lost datagrams lost but only $rxq dropped by this host's full buffer"
expect_eq "udp foreign" "$(csv_col "$r" foreign)" 0
pass "udp: a stranger cannot share the receiver's port"

# TCP keeps SO_REUSEADDR (for TIME_WAIT), but a second listener is refused.
"$BIN/stream-recv" --listen 127.0.0.1:0 --token 4242 --read 64k --out "$WORK/t" --quiet \
	>"$WORK/tl" 2>"$WORK/terr" &
rpid=$!
PIDS+=("$rpid")
addr=$(wait_listen "$WORK/tl")
port=${addr##*:}
out=$(nobody "$A" tcp-squat 127.0.0.1 "$port" 2>"$WORK/tsqerr")
expect_eq "tcp listeners the stranger opened on port $port" "$out" "squatted 0"
"$BIN/stream-send" --to "$addr" --token 4242 --send "100 x 200" --out "$WORK/ts" --quiet ||
	fail "tcp sender failed"
wait "$rpid" || fail "tcp receiver exited $?: $(cat "$WORK/terr")"
expect_eq "tcp msgs" "$(csv_col "$WORK/t-summary.csv" msgs)" 100
pass "tcp: a stranger cannot listen on the receiver's port"
