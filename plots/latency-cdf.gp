# latency-cdf.gp - the distribution of one-way message latency, per
# transport: under loss, TCP's in-order delivery holds later messages back
# behind a lost one (head-of-line blocking), a long tail; UDP's messages
# are independent. Reads NAME-latency-cdf.csv (transport, latency_ms,
# fraction: written by sockcmp plot from NAME-messages.csv, first copies
# of trial 1).
#
# Usage (sockcmp plot does this for you):
#   gnuplot -e "cdf='results/reliability/reliability-latency-cdf.csv'" \
#           -e "out='results/reliability/reliability-latency'" \
#           -e "claim='...'; transports='tcp udp'" plots/latency-cdf.gp
# Writes OUT.png and OUT.svg.

if (!exists("cdf") || !exists("out")) {
    print "latency-cdf.gp: set cdf and out"
    exit status 2
}
if (!exists("claim")) claim = ""
if (!exists("transports")) transports = "tcp udp"

set datafile separator ","
set datafile columnheaders
set title claim noenhanced font ",11"
set xlabel "one-way latency (ms, log scale)"
set ylabel "fraction of messages delivered within"
set logscale x
set yrange [0 : 1.02]
set key right bottom noenhanced
set grid
n = words(transports)
pick(tr) = strcol("transport") eq tr ? column("latency_ms") : NaN

draw = "plot for [i = 1:n] cdf using (pick(word(transports, i))) : (column('fraction')) with steps lw 2 title word(transports, i)"

set terminal pngcairo size 900, 480 font "DejaVu Sans,10"
set output out . ".png"
eval draw
set terminal svg size 900, 480 dynamic font "DejaVu Sans,10"
set output out . ".svg"
eval draw
unset output
