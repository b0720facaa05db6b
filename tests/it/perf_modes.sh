#!/usr/bin/env bash
# issue 9: the rr, crr and throughput modes run through `sockcmp run` on
# every transport and their rows say what happened (behaviour, not speed:
# no figure here depends on how fast this machine is).
. "$(dirname "$0")/lib.sh"
all="tcp udp unix-stream unix-dgram unix-seqpacket"

cat >"$WORK/rr.exp" <<EXP
experiment rr
mode rr
transports $all
send 300 x 100
recv 64k
EXP
"$BIN/sockcmp" run "$WORK/rr.exp" --out "$WORK/rr" --no-plots --quiet ||
	fail "rr run failed: $(cat "$WORK/rr/rr.csv" 2>/dev/null)"
csv="$WORK/rr/rr.csv"
for t in $all; do
	expect_eq "rr $t: status" "$(csv_col "$csv" status transport=$t)" 0
	expect_eq "rr $t: requests" "$(csv_col "$csv" sent_msgs transport=$t)" 300
	expect_eq "rr $t: round trips" "$(csv_col "$csv" round_trips transport=$t)" 300
	expect_eq "rr $t: lost" "$(csv_col "$csv" lost transport=$t)" 0
	expect_eq "rr $t: server's requests" "$(csv_col "$csv" recv_msgs transport=$t)" 300
	expect_eq "rr $t: percentiles over" "$(csv_col "$csv" lat_msgs transport=$t)" 300
	expect_eq "rr $t: exact" "$(csv_col "$csv" lat_exact transport=$t)" 1
	p50=$(csv_col "$csv" lat_p50_us transport=$t)
	p999=$(csv_col "$csv" lat_p999_us transport=$t)
	max=$(csv_col "$csv" lat_max_us transport=$t)
	awk -v a="$p50" -v b="$p999" -v c="$max" 'BEGIN { exit !(a > 0 && a <= b && b <= c) }' ||
		fail "rr $t: round-trip percentiles out of order: p50 $p50, p99.9 $p999, max $max"
done
grep -q '^rr,tcp,,1,round_trips_per_s' "$WORK/rr/rr-aggregate.csv" 2>/dev/null ||
	head -1 "$WORK/rr/rr-aggregate.csv" | grep -q round_trips_per_s_mean ||
	fail "rr aggregate has no round_trips_per_s"
pass "rr: every request answered, percentiles over every round trip"

cat >"$WORK/crr.exp" <<EXP
experiment crr
mode crr
transports tcp unix-stream udp
send 200 x 64
recv 64k
EXP
"$BIN/sockcmp" run "$WORK/crr.exp" --out "$WORK/crr" --no-plots --quiet ||
	fail "crr run failed: $(cat "$WORK/crr/crr.csv" 2>/dev/null)"
csv="$WORK/crr/crr.csv"
for t in tcp unix-stream; do
	expect_eq "crr $t: round trips" "$(csv_col "$csv" round_trips transport=$t)" 200
	# one connection per round, and one for the end marker
	expect_eq "crr $t: connections" "$(csv_col "$csv" conns transport=$t)" 201
done
# SO_LINGER 0: the client's closes leave nothing in TIME_WAIT on the port
expect_eq "crr tcp: ports in TIME_WAIT" "$(csv_col "$csv" ports_in_use transport=tcp)" 0
expect_eq "crr udp: connections (request/response alone)" "$(csv_col "$csv" conns transport=udp)" 1
expect_eq "crr udp: round trips" "$(csv_col "$csv" round_trips transport=udp)" 200
pass "crr: a connection per round, no TIME_WAIT left"

# throughput: 'for' ends the sending before the count; 'bitrate' caps it.
cat >"$WORK/tput.exp" <<EXP
experiment tput
mode throughput
transports tcp unix-dgram
send 10000000 x 125
for 400ms
bitrate 1M
recv 64k
EXP
"$BIN/sockcmp" run "$WORK/tput.exp" --out "$WORK/tput" --no-plots --quiet ||
	fail "throughput run failed: $(cat "$WORK/tput/tput.csv" 2>/dev/null)"
csv="$WORK/tput/tput.csv"
for t in tcp unix-dgram; do
	sent=$(csv_col "$csv" sent_msgs transport=$t)
	# 1 Mbit/s of 125-byte messages for 0.4 s: at most 400 (+ a 1 ms burst)
	[ "$sent" -gt 0 ] && [ "$sent" -le 402 ] || fail "throughput $t: sent $sent, want 1..402 (for 400ms at 1M)"
	expect_eq "throughput $t: all received" "$(csv_col "$csv" unique_msgs transport=$t)" "$sent"
	rate=$(csv_col "$csv" recv_msgs_per_s transport=$t)
	[ -n "$rate" ] || fail "throughput $t: no recv_msgs_per_s"
	# interval reports (1 s each) add up to what the receiver got
	got=$(csv_col "$csv" recv_msgs transport=$t)
	sum=$(csv_col "$WORK/tput/tput-intervals.csv" msgs transport=$t | awk '{ s += $1 } END { print s + 0 }')
	expect_eq "throughput $t: interval reports add up" "$sum" "$got"
done
pass "throughput: for and bitrate bound the sender, rates in the row"
