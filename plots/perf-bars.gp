# perf-bars.gp - (issue 9) several measures per transport as clustered bars,
# from NAME-aggregate.csv of an experiment without a sweep: the rr mode's
# round-trip percentiles, the crr mode's cost of a connection.
#
# Usage (sockcmp run does this for you):
#   gnuplot -e "agg='results/rr/rr-aggregate.csv'; out='results/rr/rr-latency'" \
#           -e "measures='lat_p50_us lat_p90_us lat_p99_us lat_p999_us'" \
#           -e "ylabel='round-trip time (us)'; logy=1; claim='rr'" plots/perf-bars.gp
# Writes OUT.png and OUT.svg.

if (!exists("agg") || !exists("out") || !exists("measures")) {
    print "perf-bars.gp: set agg, out and measures"
    exit status 2
}
if (!exists("ylabel")) ylabel = ""
if (!exists("claim")) claim = ""
if (!exists("logy")) logy = 0

set datafile separator ","
set datafile columnheaders
set title claim noenhanced font ",11"
set ylabel ylabel noenhanced
set key inside left top noenhanced box opaque
set grid ytics
set style data histograms
set style histogram clustered gap 1 errorbars lw 1
set style fill solid 0.8 border -1
set yrange [0:*]
if (logy) { set logscale y 10; set yrange [*:*] }
n = words(measures)
draw = "plot for [j = 1:n] agg using (column(word(measures, j) . '_mean')):(column(word(measures, j) . '_ci95')):xtic(stringcolumn('transport')) title word(measures, j)"

set terminal pngcairo size 900, 480 font "DejaVu Sans,10"
set output out . ".png"
eval draw
set terminal svg size 900, 480 dynamic font "DejaVu Sans,10"
set output out . ".svg"
eval draw
unset output
