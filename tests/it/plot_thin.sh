#!/usr/bin/env bash
# Charts of per-message data thin out millions of points: the latency CDF
# of 6,000 messages per transport is drawn from at most 2,000 points per
# line (both ends kept, exact fractions), and the chart says so.
. "$(dirname "$0")/lib.sh"
[ -x /usr/bin/gnuplot ] || skip "gnuplot is not installed (gnuplot-nox)"
d="$WORK/res"
mkdir -p "$d"
printf 'experiment,transport,trial,side,call,t_ns,requested,returned,first_seq,last_seq,flags,offset\r\n' \
	>"$d/reliability-events.csv"
printf 'experiment,transport,trial,seq,t_ns,latency_ns,len,kind\n' >"$d/reliability-messages.csv"
awk 'BEGIN { for (i = 1; i <= 6000; i++)
	printf "reliability,tcp,1,%d,%d,%d,100,new\nreliability,udp,1,%d,%d,%d,100,new\n",
		i, i * 1000, 7000 - i, i, i * 1000, i * 3 }' >>"$d/reliability-messages.csv"
"$BIN/sockcmp" plot "$d" >"$WORK/out" 2>"$WORK/err" || fail "sockcmp plot: exit $?: $(cat "$WORK/err")"
cdf="$d/reliability-latency-cdf.csv"
for t in tcp udp; do
	n=$(csv_col "$cdf" fraction transport=$t | wc -l)
	[ "$n" -ge 2 ] && [ "$n" -le 2000 ] || fail "$t: $n points in the CDF, want 2..2000"
	expect_eq "$t: last fraction" "$(csv_col "$cdf" fraction transport=$t | tail -n 1)" 1.00000
done
expect_eq "tcp: smallest latency kept" "$(csv_col "$cdf" latency_ns transport=tcp | head -n 1)" 1000
expect_eq "tcp: largest latency kept" "$(csv_col "$cdf" latency_ns transport=tcp | tail -n 1)" 6999
grep -q 'of up to 6000 latencies' "$d/reliability-latency.svg" || fail "the chart does not say it is thinned"
pass "latency CDF of 6,000 messages per line drawn from at most 2,000 points, and says so"
