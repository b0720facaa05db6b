#!/usr/bin/env bash
# issue 7 #12: beyond the record cap, every row says how much per-call and
# per-message detail was kept and over how many messages its latency
# percentiles were computed. The cap is made small (SOCKCMP_MAX_RECORDS,
# passed to both programs as --max-records) so the test is quick.
. "$(dirname "$0")/lib.sh"
cap=100
cat >"$WORK/cap.exp" <<EXP
experiment cap
transports tcp udp unix-dgram
send 500 x 64
pace 20us
recv 64k
EXP
SOCKCMP_MAX_RECORDS=$cap "$BIN/sockcmp" run "$WORK/cap.exp" --out "$WORK/out" --no-plots --quiet ||
	fail "the run failed: $(cat "$WORK/out/cap.csv" 2>/dev/null)"
csv="$WORK/out/cap.csv"
for t in tcp udp unix-dgram; do
	recv_msgs=$(csv_col "$csv" recv_msgs transport=$t)
	send_calls=$(csv_col "$csv" send_calls transport=$t)
	recv_calls=$(csv_col "$csv" recv_calls transport=$t)
	dropped=$(csv_col "$csv" records_dropped transport=$t)
	lat=$(csv_col "$csv" lat_msgs transport=$t)
	sdrop=$(csv_col "$csv" send_events_dropped transport=$t)
	rdrop=$(csv_col "$csv" recv_events_dropped transport=$t)
	kept_msgs=$(csv_col "$WORK/out/cap-messages.csv" seq transport=$t | wc -l)
	kept_send=$(csv_col "$WORK/out/cap-events.csv" call transport=$t side=send | wc -l)
	kept_recv=$(csv_col "$WORK/out/cap-events.csv" call transport=$t side=recv | wc -l)
	[ "$recv_msgs" -gt "$cap" ] || fail "$t: only $recv_msgs messages arrived; the test needs more than $cap"
	expect_eq "$t: messages kept" "$kept_msgs" "$cap"
	expect_eq "$t: records_dropped" "$dropped" "$((recv_msgs - cap))"
	[ "$lat" -gt 0 ] && [ "$lat" -le "$cap" ] || fail "$t: lat_msgs $lat, want 1..$cap"
	expect_eq "$t: sender's events kept" "$kept_send" "$cap"
	[ $((kept_send + sdrop)) -ge "$send_calls" ] ||
		fail "$t: $kept_send events kept + $sdrop dropped < $send_calls send calls"
	[ "$kept_recv" -le "$cap" ] && [ $((kept_recv + rdrop)) -ge "$recv_calls" ] ||
		fail "$t: $kept_recv receiver events kept + $rdrop dropped, $recv_calls receive calls"
	echo "$t: $recv_msgs messages, $kept_msgs kept, $dropped dropped, percentiles over $lat;" \
		"sender events $kept_send kept + $sdrop dropped; receiver $kept_recv + $rdrop"
done
pass "rows say how much detail was kept"
