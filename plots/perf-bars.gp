# perf-bars.gp - (issue 9) several measures per transport as clustered bars
# with their 95 % confidence intervals, from NAME-aggregate.csv of an
# experiment without a sweep: the rr mode's round-trip percentiles, the
# crr mode's cost of a connection, the throughput mode's rates.
#
# Usage (sockcmp plot does this for you, with absolute paths):
#   gnuplot -c plots/perf-bars.gp results/rr/rr-aggregate.csv \
#           results/rr/rr-latency.png results/rr/rr-latency.svg \
#           'lat_p50_us lat_p90_us lat_p99_us lat_p999_us' \
#           'round-trip time (us)' 1 'Round trips on loopback'
#
# Arguments: AGGREGATE-CSV PNG SVG MEASURES [YLABEL [LOGY [CLAIM]]].
# MEASURES is a list of words, each a column stem of the aggregate file
# (its _mean and _ci95 columns are drawn). LOGY=1 gives a log y axis.
# File names are arguments, never gnuplot code: any name works, quotes and
# spaces included, except one starting with '<' or '|' (gnuplot would run
# it as a command) or holding a newline; give absolute paths to be safe.
# PNG or SVG may be "" to skip that format, or "-" for standard output
# (sockcmp gives "-" for both: the PNG, then the SVG).
# Every file name is used as given, as data: refuse names gnuplot would
# run as a command ('<cmd' to read, '|cmd' to write) or that are empty.
plain(f) = strlen(f) > 0 && f[1:1] ne "<" && f[1:1] ne "|" && strstrt(f, "\n") == 0
output(f) = f eq "" || f eq "-" || plain(f)

if (ARGC < 4 || !plain(ARG1) || !output(ARG2) || !output(ARG3) || ARG4 eq "") {
    print "usage: gnuplot -c perf-bars.gp AGGREGATE-CSV PNG SVG MEASURES [YLABEL [LOGY [CLAIM]]]"
    exit status 2
}
agg = ARG1
measures = ARG4
ylabel = ARGC >= 5 ? ARG5 : ""
logy = ARGC >= 6 && ARG6 eq "1" ? 1 : 0
claim = ARGC >= 7 ? ARG7 : ""

set datafile separator ","
set datafile columnheaders
set title claim noenhanced font ",15"
set ylabel ylabel noenhanced
# Below the plot: an opaque key inside hid data points.
set key outside bottom center horizontal noenhanced
set bmargin 6
set grid ytics
set style data histograms
set style histogram clustered gap 1 errorbars lw 1
set style fill solid 0.8 border -1
set yrange [0:*]
if (logy) { set logscale y 10; set yrange [*:*] }
n = words(measures)
draw = "plot for [j = 1:n] agg using (column(word(measures, j) . '_mean')):(column(word(measures, j) . '_ci95')):xtic(stringcolumn('transport')) title word(measures, j)"

if (ARG2 ne "") {
    set terminal pngcairo size 1100, 620 font "DejaVu Sans,14"
    if (ARG2 eq "-") { set output } else { set output ARG2 }
    eval draw
}
if (ARG3 ne "") {
    set terminal svg size 1100, 620 dynamic font "DejaVu Sans,14"
    if (ARG3 eq "-") { set output } else { set output ARG3 }
    eval draw
}
unset output
