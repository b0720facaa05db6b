#!/usr/bin/env bash
# `sockcmp run` of a long mode shows a line per second of receiving on its
# terminal (stderr, with the progress line), as iperf3 does, beside the rows
# it writes to NAME-intervals.csv: the receiver's own interval reports,
# echoed while the trial runs. With --quiet there are none.
. "$(dirname "$0")/lib.sh"
cat >"$WORK/iv.exp" <<EXP
experiment iv
mode throughput
transports udp
send 10000000 x 200
for 2500ms
bitrate 8M
recv 64k
EXP
"$BIN/sockcmp" run "$WORK/iv.exp" --out "$WORK/iv" --no-plots --progress >"$WORK/out" 2>"$WORK/err" ||
	fail "throughput run failed: $(cat "$WORK/err")"
# "iv udp: [   1]    1.000 s       5000 msgs/s    0.0080 Gbit/s"
lines=$(tr '\r' '\n' <"$WORK/err" | grep -c '^.*iv udp: \[ *[0-9]*\] .* msgs/s .* Gbit/s' || true)
rows=$(csv_col "$WORK/iv/iv-intervals.csv" interval transport=udp | wc -l)
[ "$rows" -ge 2 ] || fail "only $rows interval rows in iv-intervals.csv"
expect_eq "interval lines on the terminal (one per interval row)" "$lines" "$rows"
"$BIN/sockcmp" run "$WORK/iv.exp" --out "$WORK/q" --no-plots --quiet >"$WORK/qout" 2>"$WORK/qerr" ||
	fail "quiet run failed: $(cat "$WORK/qerr")"
! grep -q 'msgs/s' "$WORK/qerr" || fail "--quiet still showed interval lines: $(cat "$WORK/qerr")"
pass "$lines interval lines shown during the run, none with --quiet"
