# perf-sweep.gp - (issue 9) one measure against the swept parameter: the
# mean over the trials at each point, with its 95 % confidence interval as
# error bars, one line per transport, log scales on request. Reads
# NAME-aggregate.csv of a throughput, rr or crr experiment.
#
# Usage (sockcmp plot does this for you, with absolute paths):
#   gnuplot -c plots/perf-sweep.gp results/rr-size/rr-size-aggregate.csv \
#           results/rr-size/rr-size-latency.png \
#           results/rr-size/rr-size-latency.svg \
#           lat_p99_us 'round-trip time (us)' 'size (KiB)' '1 x_bytes 1024 1' \
#           'Round trips by message size' 'tcp udp'
#
# Arguments: AGGREGATE-CSV PNG SVG MEASURE [YLABEL [XLABEL [SCALE [CLAIM
# [TRANSPORTS]]]]]. SCALE is "LOGY [XCOL XSCALE LOGX]", as sweep.gp's
# seventh argument with LOGY in IDEAL's place: LOGY 1 for a base-10 log y
# axis; x from column XCOL (x_bytes, x_ns, ...; default x) divided by
# XSCALE (default 1), on a base-2 log axis if LOGX is 1; a fifth word
# "bytes" labels each power-of-two tic with its own unit (64 B, 1 KiB).
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
    print "usage: gnuplot -c perf-sweep.gp AGGREGATE-CSV PNG SVG MEASURE [YLABEL [XLABEL [SCALE [CLAIM [TRANSPORTS]]]]]"
    exit status 2
}
agg = ARG1
measure = ARG4
ylabel = ARGC >= 5 && ARG5 ne "" ? ARG5 : measure
xlabel = ARGC >= 6 && ARG6 ne "" ? ARG6 : "swept value"
logy = ARGC >= 7 && word(ARG7, 1) eq "1" ? 1 : 0
xcol = ARGC >= 7 && words(ARG7) >= 2 ? word(ARG7, 2) : "x"
xscale = ARGC >= 7 && words(ARG7) >= 3 ? real(word(ARG7, 3)) : 1
logx = ARGC >= 7 && words(ARG7) >= 4 && word(ARG7, 4) eq "1" ? 1 : 0
bytes = ARGC >= 7 && words(ARG7) >= 5 && word(ARG7, 5) eq "bytes" ? 1 : 0
claim = ARGC >= 8 ? ARG8 : ""
transports = ARGC >= 9 && ARG9 ne "" ? ARG9 : "tcp udp"

set datafile separator ","
set datafile columnheaders
set title claim noenhanced font ",15"
set xlabel xlabel noenhanced
set ylabel ylabel noenhanced
# Inside the plot: the title keeps its width.
# Below the plot: an opaque key inside hid data points.
set key outside bottom center horizontal noenhanced
set bmargin 6
set grid
if (logx) set logscale x 2
iec(v) = v < 1024 ? sprintf("%d B", v) : v < 1048576 ? sprintf("%d KiB", v / 1024) : sprintf("%d MiB", v / 1048576)
if (bytes) { set xtics () noenhanced; do for [e = 0:40] { set xtics add (iec(2**e) 2**e) } }
if (logy) set logscale y 10
# Points off the border: the first and last sizes keep their tics.
set offsets graph 0.03, graph 0.03, graph 0.05, 0
# Rates and times start at 0 on a linear axis; intervals cut there.
if (!logy) set yrange [0 : *]
n = words(transports)
pick(tr, v) = strcol("transport") eq tr ? v : NaN
m = measure . "_mean"
h = measure . "_ci95"

lo(v, d) = v - d < 0 ? 0 : v - d
draw = "plot for [i = 1:n] agg using (pick(word(transports, i), column(xcol) / xscale)) : (column(m)) : (lo(column(m), column(h))) : (column(m) + column(h)) with yerrorlines lw 2 pt 7 title word(transports, i)"

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
