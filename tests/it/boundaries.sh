#!/usr/bin/env bash
# The lecture's experiment through the driver on loopback: five 512-byte
# writes, one 2560-byte read 50 ms later.
. "$(dirname "$0")/lib.sh"

"$BIN/sockcmp" run boundaries --out "$WORK/out" --quiet --no-plots || fail "sockcmp run exited $?"
csv="$WORK/out/boundaries.csv"
[ -f "$csv" ] || fail "no $csv"
for t in tcp unix-stream; do
	calls=$(csv_col "$csv" recv_calls transport=$t)
	[ "$calls" -ge 1 ] && [ "$calls" -lt 5 ] || fail "$t: $calls receive calls, want fewer than 5 writes"
	expect_eq "$t recv_bytes" "$(csv_col "$csv" recv_bytes transport=$t)" 2560
	expect_eq "$t boundaries_kept" "$(csv_col "$csv" boundaries_kept transport=$t)" 0
	expect_eq "$t reordered" "$(csv_col "$csv" reordered transport=$t)" 0
	expect_eq "$t recv_msgs" "$(csv_col "$csv" recv_msgs transport=$t)" 5
done
for t in udp unix-dgram unix-seqpacket; do
	expect_eq "$t recv_calls" "$(csv_col "$csv" recv_calls transport=$t)" 5
	expect_eq "$t read_sizes" "$(csv_col "$csv" read_sizes transport=$t)" "512 512 512 512 512"
	expect_eq "$t boundaries_kept" "$(csv_col "$csv" boundaries_kept transport=$t)" 1
done
for t in tcp udp unix-stream unix-dgram unix-seqpacket; do
	for c in lost duplicated reordered corrupted truncated status; do
		expect_eq "$t $c" "$(csv_col "$csv" $c transport=$t)" 0
	done
	expect_eq "$t sent_msgs" "$(csv_col "$csv" sent_msgs transport=$t)" 5
done
# One events row per call: 5 writes per transport, and the receive calls.
ev="$WORK/out/boundaries-events.csv"
expect_eq "udp recv events of 512" "$(csv_col "$ev" returned transport=udp side=recv | grep -c '^512$')" 5
expect_eq "tcp send events" "$(csv_col "$ev" returned transport=tcp side=send | wc -l)" 5
pass "boundaries on loopback"
