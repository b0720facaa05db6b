# sweep.gp - one measure against the swept parameter: the mean over the
# trials at each point, with its 95 % confidence interval as error bars,
# one line per transport. Reads NAME-aggregate.csv.
#
# Usage (sockcmp plot does this for you, with absolute paths):
#   gnuplot -c plots/sweep.gp results/loss-sweep/loss-sweep-aggregate.csv \
#           results/loss-sweep/loss-sweep-delivered_pct.png \
#           results/loss-sweep/loss-sweep-delivered_pct.svg \
#           delivered_pct 'messages delivered (%)' 'configured loss (%)' 1 \
#           'Delivered vs configured loss' 'tcp udp'
#
# Arguments: AGGREGATE-CSV PNG SVG MEASURE [YLABEL [XLABEL [IDEAL [CLAIM
# [TRANSPORTS]]]]]. IDEAL=1 adds the line a link that loses exactly what
# is configured would give (100 - x).
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
    print "usage: gnuplot -c sweep.gp AGGREGATE-CSV PNG SVG MEASURE [YLABEL [XLABEL [IDEAL [CLAIM [TRANSPORTS]]]]]"
    exit status 2
}
agg = ARG1
measure = ARG4
ylabel = ARGC >= 5 && ARG5 ne "" ? ARG5 : measure
xlabel = ARGC >= 6 && ARG6 ne "" ? ARG6 : "swept value"
# ARG7 is "IDEAL [XCOL XSCALE LOGX]" (gnuplot -c takes nine arguments at
# most): x from column XCOL (sockcmp gives x_ns, x_bytes, ...: the swept
# value in one unit; default x), divided by XSCALE (default 1), on a log
# axis if LOGX is 1 (values spanning decades).
ideal = ARGC >= 7 && word(ARG7, 1) eq "1" ? 1 : 0
xcol = ARGC >= 7 && words(ARG7) >= 2 ? word(ARG7, 2) : "x"
xscale = ARGC >= 7 && words(ARG7) >= 3 ? real(word(ARG7, 3)) : 1
logx = ARGC >= 7 && words(ARG7) >= 4 && word(ARG7, 4) eq "1" ? 1 : 0
claim = ARGC >= 8 ? ARG8 : ""
transports = ARGC >= 9 && ARG9 ne "" ? ARG9 : "tcp udp"

set datafile separator ","
set datafile columnheaders
# A long claim goes on two lines, after its first ": ".
cut = strstrt(claim, ": ")
title2 = cut > 0 && strlen(claim) > 70 ? claim[1:cut] . "\n" . claim[cut + 2:] : claim
set title title2 noenhanced font ",15"
set xlabel xlabel noenhanced
set ylabel ylabel noenhanced
# Below the plot, never over the data.
set key outside bottom center horizontal noenhanced
set bmargin 6
set grid
# Counts and times start at 0; a percentage ends at 100. A little room
# above the highest point, so a line at the maximum is not drawn on the
# border; on a linear x axis a little room either side, but never below 0
# when no swept value is (the axis would claim values that cannot be).
stats agg using (column(xcol) / xscale) nooutput
xlo = STATS_min
xhi = STATS_max
pad = (xhi - xlo) * 0.03
if (logx) { set logscale x 10; set offsets graph 0.03, graph 0.03, graph 0.06, 0 } else { set offsets 0, 0, graph 0.06, 0; set xrange [(xlo >= 0 && xlo - pad < 0) ? 0 : xlo - pad : xhi + pad] }
if (strstrt(measure, "_pct") > 0) { set yrange [0 : 100] } else { set yrange [0 : *] }
n = words(transports)
pick(tr, v) = strcol("transport") eq tr ? v : NaN
m = measure . "_mean"
h = measure . "_ci95"

# The interval as low and high ends, cut at what the measure can be (no
# count below 0, no percentage above 100): a few trials give intervals
# wider than the chart.
top = strstrt(measure, "_pct") > 0 ? 100 : 1e300
lo(v, d) = v - d < 0 ? 0 : v - d
hi(v, d) = v + d > top ? top : v + d
draw = "plot for [i = 1:n] agg using (pick(word(transports, i), column(xcol) / xscale)) : (column(m)) : (lo(column(m), column(h))) : (hi(column(m), column(h))) with yerrorlines lw 2 pt 7 title word(transports, i)"
if (ideal) draw = draw . ", 100 - x with lines dt 2 lc rgb '#777777' title 'ideal: 100 - configured loss'"

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
