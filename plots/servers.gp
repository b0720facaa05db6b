# servers.gp - (issue 9) the lecture's server models under load: one
# measure (requests/s, or a latency percentile) against the number of
# concurrent clients, one line per server model, the mean over the trials
# with its 95 % confidence interval as error bars, clients on a base-2 log
# axis. Reads NAME-aggregate.csv of a servers-mode experiment.
#
# Usage (sockcmp plot does this for you, with absolute paths):
#   gnuplot -c plots/servers.gp results/servers/servers-aggregate.csv \
#           results/servers/servers-rate.png results/servers/servers-rate.svg \
#           round_trips_per_s 'requests per second' 'Server models' \
#           'iterative fork lecture-fork thread udp' 0
#
# Arguments: AGGREGATE-CSV PNG SVG MEASURE [YLABEL [CLAIM [SERVERS [LOGY]]]].
# LOGY 1 gives a base-10 log y axis. File names are arguments, never
# gnuplot code: any name works except one starting with '<' or '|' (gnuplot
# would run it as a command) or holding a newline. PNG or SVG may be "" to
# skip that format, or "-" for standard output.
plain(f) = strlen(f) > 0 && f[1:1] ne "<" && f[1:1] ne "|" && strstrt(f, "\n") == 0
output(f) = f eq "" || f eq "-" || plain(f)

if (ARGC < 4 || !plain(ARG1) || !output(ARG2) || !output(ARG3) || ARG4 eq "") {
    print "usage: gnuplot -c servers.gp AGGREGATE-CSV PNG SVG MEASURE [YLABEL [CLAIM [SERVERS [LOGY]]]]"
    exit status 2
}
agg = ARG1
measure = ARG4
ylabel = ARGC >= 5 && ARG5 ne "" ? ARG5 : measure
claim = ARGC >= 6 ? ARG6 : ""
servers = ARGC >= 7 && ARG7 ne "" ? ARG7 : "iterative fork lecture-fork thread udp"
logy = ARGC >= 8 && ARG8 eq "1" ? 1 : 0

set datafile separator ","
set datafile columnheaders
set title claim noenhanced
set xlabel "concurrent clients (log2 scale)" noenhanced
set ylabel ylabel noenhanced
set key outside right top noenhanced box
set grid
set logscale x 2
set xtics 2
if (logy) { set logscale y 10; set format y "10^{%L}" } else { set yrange [0:*] }
# (no margin below a linear axis: it starts at 0, and a wide confidence
# interval is cut there rather than drawn below nothing)
if (logy) { set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05 } else { set offsets graph 0.03, graph 0.03, graph 0.05, 0 }
n = words(servers)
pick(s, v) = strcol("server") eq s ? v : NaN
m = measure . "_mean"
h = measure . "_ci95"

# Colour-blind-safe, dark enough on white (ColorBrewer Dark2), and a
# point shape of its own per model for grey-scale prints.
colors = "#1b9e77 #d95f02 #7570b3 #e7298a #66a61e #a6761d #666666 #e6ab02"
draw = "plot for [i = 1:n] agg using (pick(word(servers, i), column(\"x_clients\"))) : (column(m)) : (column(h)) with yerrorlines lw 3 lc rgb word(colors, (i - 1) % 8 + 1) pt (4 + 2 * i) ps 1.8 title word(servers, i)"

if (ARG2 ne "") {
    set terminal pngcairo size 1280, 720 font "DejaVu Sans,16"
    if (ARG2 eq "-") { set output } else { set output ARG2 }
    eval draw
}
if (ARG3 ne "") {
    set terminal svg size 1280, 720 dynamic font "DejaVu Sans,16"
    if (ARG3 eq "-") { set output } else { set output ARG3 }
    eval draw
}
unset output
