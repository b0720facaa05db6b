# latency-cdf.gp - the distribution of one-way message latency, per
# transport: under loss, TCP's in-order delivery holds later messages back
# behind a lost one (head-of-line blocking), a long tail; UDP's messages
# are independent. Reads NAME-latency-cdf.csv (transport, latency_ms,
# fraction: written by sockcmp plot from NAME-messages.csv, first copies
# of trial 1).
#
# Usage (sockcmp plot does this for you, with absolute paths):
#   gnuplot -c plots/latency-cdf.gp results/reliability/reliability-latency-cdf.csv \
#           results/reliability/reliability-latency.png \
#           results/reliability/reliability-latency.svg '...' 'tcp udp'
#
# Arguments: CDF-CSV PNG SVG [CLAIM [TRANSPORTS]].
# File names are arguments, never gnuplot code: any name works, quotes and
# spaces included, except one starting with '<' or '|' (gnuplot would run
# it as a command) or holding a newline; give absolute paths to be safe.
# PNG or SVG may be "" to skip that format, or "-" for standard output
# (sockcmp gives "-" for both: the PNG, then the SVG).
# Every file name is used as given, as data: refuse names gnuplot would
# run as a command ('<cmd' to read, '|cmd' to write) or that are empty.
plain(f) = strlen(f) > 0 && f[1:1] ne "<" && f[1:1] ne "|" && strstrt(f, "\n") == 0
output(f) = f eq "" || f eq "-" || plain(f)

if (ARGC < 3 || !plain(ARG1) || !output(ARG2) || !output(ARG3)) {
    print "usage: gnuplot -c latency-cdf.gp CDF-CSV PNG SVG [CLAIM [TRANSPORTS]]"
    exit status 2
}
cdf = ARG1
claim = ARGC >= 4 ? ARG4 : ""
transports = ARGC >= 5 && ARG5 ne "" ? ARG5 : "tcp udp"

set datafile separator ","
set datafile columnheaders
# A long claim goes on two lines, after its first ": ".
cut = strstrt(claim, ": ")
title2 = cut > 0 && strlen(claim) > 70 ? claim[1:cut] . "\n" . claim[cut + 2:] : claim
set title title2 noenhanced font ",15"
set xlabel "one-way latency (ms, log scale)"
set ylabel "fraction of messages delivered within (0 to 1)"
set logscale x
# Labels at 1, 2 and 5 of every decade: a log axis with a label only every
# tenfold cannot be read off on a slide.
set xtics () nomirror
do for [e = -3:5] { set xtics add (sprintf("%g", 10.0**e) 10.0**e, sprintf("%g", 2 * 10.0**e) 2 * 10.0**e, sprintf("%g", 5 * 10.0**e) 5 * 10.0**e) }
set mxtics 10
set yrange [0 : 1]
set key outside bottom center horizontal noenhanced
set bmargin 6
set grid
n = words(transports)
pick(tr) = strcol("transport") eq tr ? column("latency_ms") : NaN

draw = "plot for [i = 1:n] cdf using (pick(word(transports, i))) : (column('fraction')) with steps lw 2 title word(transports, i)"

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
