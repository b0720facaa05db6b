# arrivals.gp - sequence number against arrival time, per transport, from
# NAME-messages.csv: a straight staircase is perfect delivery; gaps are
# losses, points below the line are reordered, red crosses are duplicates.
#
# Usage (sockcmp plot does this for you):
#   gnuplot -e "msgs='results/reliability/reliability-messages.csv'" \
#           -e "out='results/reliability/reliability-arrivals'" \
#           -e "claim='...'; transports='tcp udp'" plots/arrivals.gp
# Optional: trial=N (default 1); param/value to pick one sweep point;
# first=N last=M to zoom on sequence numbers N..M (default 0..199).
# Writes OUT.png and OUT.svg.

if (!exists("msgs") || !exists("out")) {
    print "arrivals.gp: set msgs and out"
    exit status 2
}
if (!exists("claim")) claim = ""
if (!exists("transports")) transports = "tcp udp"
if (!exists("trial")) trial = 1
if (!exists("param")) param = ""
if (!exists("first")) first = 0
if (!exists("last")) last = 199

set datafile separator ","
set datafile columnheaders
set xlabel "arrival time since the first write (ms)"
set ylabel "sequence number"
set key outside right top noenhanced
set grid
n = words(transports)
at(tr) = strcol("transport") eq tr && column("trial") == trial \
    && (param eq "" || strcol(param) eq value) \
    && column("seq") >= first && column("seq") <= last
x(tr) = at(tr) ? column("t_ns") / 1e6 : NaN
dupx(tr) = at(tr) && strcol("kind") eq "dup" ? column("t_ns") / 1e6 : NaN

body = "set multiplot layout n, 1 title claim noenhanced font ',11'; " . \
    "do for [i = 1:n] { set title word(transports, i) noenhanced; " . \
    "plot msgs using (x(word(transports, i))) : (column('seq')) with points pt 7 ps 0.4 lc rgb '#4C72B0' title 'arrived', " . \
    "msgs using (dupx(word(transports, i))) : (column('seq')) with points pt 2 ps 1 lc rgb '#C44E52' title 'duplicate' }; " . \
    "unset multiplot"

set terminal pngcairo size 900, 260 * n font "DejaVu Sans,10"
set output out . ".png"
eval body
set terminal svg size 900, 260 * n dynamic font "DejaVu Sans,10"
set output out . ".svg"
eval body
unset output
