#!/usr/bin/env bash
# Charts a lecturer puts on a slide (issue 8 §4), checked in the SVG text
# gnuplot writes: a sweep's x axis does not run below 0 when no swept value
# does, and names what it sweeps ('after' is the reader's late start); a
# boundaries chart of a run with several trials says which trial it shows,
# and its legend sits under the chart, not over the title.
. "$(dirname "$0")/lib.sh"
command -v gnuplot >/dev/null || skip "gnuplot is not installed (./run installs it)"
"$BIN/sockcmp" run coalescing -t tcp,udp -r 1 --out "$WORK/c" -q 2>"$WORK/err" || fail "coalescing: $(cat "$WORK/err")"
svg="$WORK/c/coalescing-recv_calls.svg"
[ -s "$svg" ] || fail "no $svg"
# Tick labels are text elements holding just the number.
neg=$(grep -oE '>-[0-9.]+<' "$svg" | head -3 | tr '\n' ' ' || true)
[ -z "$neg" ] || fail "the sweep's axis runs below 0: tick labels $neg"
grep -q "reader starts late by" "$svg" || fail "the x axis does not say whose start 'after' delays: $(grep -o 'after[^<]*' "$svg" | head -2)"
"$BIN/sockcmp" run boundaries-now -t tcp,udp -r 3 --out "$WORK/b" -q 2>"$WORK/err" || fail "boundaries-now: $(cat "$WORK/err")"
svg="$WORK/b/boundaries-now.svg"
[ -s "$svg" ] || fail "no $svg"
grep -q "trial 1 of 3 shown" "$svg" || fail "the chart does not say which of the 3 trials it shows"
# Where the title and the legend are: the y of the group (translate(x,y))
# opening just before each text; the legend must be well under the title.
ty=$(grep -n "<text>Same writes, reader waiting" "$svg" | head -1 | cut -d: -f1)
ky=$(grep -n "<text>one receive call" "$svg" | head -1 | cut -d: -f1)
[ -n "$ty" ] && [ -n "$ky" ] || fail "title or legend missing from the SVG"
y_of() { sed -n "$(($1 - 1))p" "$svg" | grep -oE 'translate\([0-9.]+,[0-9.]+\)' | sed 's/.*,\(.*\))/\1/'; }
t=$(y_of "$ty"); k=$(y_of "$ky")
[ -n "$t" ] && [ -n "$k" ] || fail "cannot find the title's or legend's position"
awk -v t="$t" -v k="$k" 'BEGIN { exit !(k > t + 300) }' || fail "the legend (y $k) is not under the chart (title at y $t)"
# A latency CDF's log axis is labelled at 1, 2 and 5 of each decade: with
# latencies of 50 to 95 ms a label only at 10 and 100 cannot be read off.
printf 'transport,latency_ms,fraction,latency_ns\ntcp,50,0.5,50000000\ntcp,95,1,95000000\nudp,51,1,51000000\n' >"$WORK/cdf.csv"
gnuplot -c "$SRC/plots/latency-cdf.gp" "$WORK/cdf.csv" "" "$WORK/cdf.svg" "claim" "tcp udp" 2>"$WORK/err" || fail "latency-cdf.gp: $(cat "$WORK/err")"
grep -qE '>50</tspan></text>' "$WORK/cdf.svg" || fail "no tick label at 50 ms on the log axis: $(grep -oE '>[0-9.]+</tspan>' "$WORK/cdf.svg" | tr '\n' ' ')"
# A sweep's confidence intervals fit in the chart: a mean of 10 with an
# interval of +-50 needs the y axis to reach 60 (it stopped at 16, the
# bar running off the top), and no bar goes below 0.
printf 'transport,x,reordered_mean,reordered_ci95\nudp,0,0,0\nudp,10,10,50\nudp,20,12,3\n' >"$WORK/agg.csv"
gnuplot -c "$SRC/plots/sweep.gp" "$WORK/agg.csv" "" "$WORK/agg.svg" reordered "messages reordered" "reorder (%)" \
	"0 x 1 0" claim udp 2>"$WORK/err" || fail "sweep.gp: $(cat "$WORK/err")"
ymax=$(grep -oE '> *[0-9.]+</tspan>' "$WORK/agg.svg" | tr -d '> ' | sed 's,</tspan,,' | sort -n | tail -1)
awk -v m="$ymax" 'BEGIN { exit !(m >= 60) }' || fail "the y axis ends at $ymax, under the interval's top (60)"
# The performance sweep: projector-sized text (14 pt, not 10) and its key
# under the plot, not an opaque box over the data's top-left corner.
printf 'transport,x,msgs_mean,msgs_ci95\ntcp,64,1000,10\ntcp,1024,800,10\nudp,64,900,5\nudp,1024,700,5\n' >"$WORK/perf.csv"
gnuplot -c "$SRC/plots/perf-sweep.gp" "$WORK/perf.csv" "" "$WORK/perf.svg" msgs "messages/s" "size (bytes)" \
	"0 x 1 0" claim "tcp udp" 2>"$WORK/err" || fail "perf-sweep.gp: $(cat "$WORK/err")"
! grep -q 'font-size="1[0-3]\.' "$WORK/perf.svg" || fail "perf-sweep text under 14 pt: $(grep -o 'font-size="[0-9.]*"' "$WORK/perf.svg" | sort -u | tr '\n' ' ')"
kl=$(grep -n '<text>tcp</text>' "$WORK/perf.svg" | head -1 | cut -d: -f1)
xl=$(grep -n '<text>size (bytes)</text>' "$WORK/perf.svg" | head -1 | cut -d: -f1)
k=$(sed -n "$((kl - 1))p" "$WORK/perf.svg" | grep -oE 'translate\([0-9.]+,[0-9.]+\)' | sed 's/.*,\(.*\))/\1/')
x=$(sed -n "$((xl - 1))p" "$WORK/perf.svg" | grep -oE 'translate\([0-9.]+,[0-9.]+\)' | sed 's/.*,\(.*\))/\1/')
[ -n "$k" ] && [ -n "$x" ] || fail "cannot find the key or the x label in perf-sweep's SVG"
awk -v k="$k" -v x="$x" 'BEGIN { exit !(k > x) }' || fail "perf-sweep's key (y $k) is not under the x axis label (y $x)"
# A sweep's arrivals chart says which point it shows.
{
	echo "experiment,transport,trial,delay,seq,t_ns,latency_ns,len,kind"
	for s in 0 1 2; do echo "x,udp,1,50ms,$s,$((s * 1000000 + 50000000)),50000000,256,new"; done
	echo "x,udp,1,0ms,0,1000,1000,256,new"
} >"$WORK/msgs.csv"
gnuplot -c "$SRC/plots/arrivals.gp" "$WORK/msgs.csv" "" "$WORK/arr.svg" "claim" "udp" delay 50ms 2>"$WORK/err" ||
	fail "arrivals.gp: $(cat "$WORK/err")"
grep -q "at delay 50ms, trial 1" "$WORK/arr.svg" || fail "the arrivals chart does not say which sweep point it shows"
pass "sweep axis from 0, trial named, legend under the chart, log axis readable, sweep point named"

# A message-size sweep on a log axis: each tic in its own unit ("64 B",
# "1 KiB"), not one unit for the axis ("0.0625" KiB for 64 bytes, as it was).
cat >"$WORK/tp.exp" <<EXP
experiment tp
mode throughput
transports unix-stream
send 100000 x 64
for 200ms
recv 64k
sweep size 64 1024 16384
EXP
"$BIN/sockcmp" run "$WORK/tp.exp" --out "$WORK/tp" -q 2>"$WORK/err" || fail "throughput sweep: $(cat "$WORK/err")"
svg="$WORK/tp/tp-msgs.svg"
[ -s "$svg" ] || fail "no $svg"
for t in "64 B" "1 KiB" "16 KiB"; do
	grep -q "<text>$t</text>" "$svg" || fail "size axis lacks the tic '$t'"
done
grep -q '<text>0.0625</text>' "$svg" && fail "size axis still in fractions of a KiB"
pass "size axis: each tic in its own unit"

# sockcmp plot redraws a run narrowed with -t with only its transports in
# the chart (it loads the shipped script, which lists all five; it used to
# draw four empty rows).
"$BIN/sockcmp" run boundaries -t tcp --out "$WORK/one" -q 2>"$WORK/err" || fail "boundaries -t tcp: $(cat "$WORK/err")"
rm -f "$WORK/one/boundaries.svg"
"$BIN/sockcmp" plot "$WORK/one" >/dev/null 2>"$WORK/err" || fail "sockcmp plot: $(cat "$WORK/err")"
grep -q '>tcp (stream)<' "$WORK/one/boundaries.svg" || fail "the redrawn chart lacks tcp"
grep -q '>udp (datagram)<' "$WORK/one/boundaries.svg" && fail "the redrawn chart lists udp, which the run did not have"
# -t may name a transport the script does not list: it is drawn too.
"$BIN/sockcmp" run boundaries -t tcp6 --out "$WORK/six" -q 2>"$WORK/err" || fail "boundaries -t tcp6: $(cat "$WORK/err")"
rm -f "$WORK/six/boundaries.svg"
"$BIN/sockcmp" plot "$WORK/six" >/dev/null 2>"$WORK/err" || fail "sockcmp plot: $(cat "$WORK/err")"
grep -q '>tcp6 (' "$WORK/six/boundaries.svg" || fail "the redrawn chart lacks tcp6, the run's only transport"
grep -q '>tcp (stream)<' "$WORK/six/boundaries.svg" && fail "the redrawn chart lists tcp, which the run did not have"
pass "sockcmp plot: only the transports the run had"
