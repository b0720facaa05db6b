# arrivals.gp - sequence number against arrival time, per transport, from
# NAME-messages.csv: a straight staircase is perfect delivery; gaps are
# losses, points below the line are reordered, red crosses are duplicates.
#
# Usage (sockcmp plot does this for you, with absolute paths):
#   gnuplot -c plots/arrivals.gp results/reliability/reliability-messages.csv \
#           results/reliability/reliability-arrivals.png \
#           results/reliability/reliability-arrivals.svg '...' 'tcp udp'
#
# Arguments: MESSAGES-CSV PNG SVG [CLAIM [TRANSPORTS [PARAM VALUE [TRIAL
# [FIRST:LAST]]]]]: PARAM/VALUE pick one sweep point ("" for none), TRIAL
# defaults to 1, FIRST:LAST zooms on those sequence numbers (0:199).
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
    print "usage: gnuplot -c arrivals.gp MESSAGES-CSV PNG SVG [CLAIM [TRANSPORTS [PARAM VALUE [TRIAL [FIRST:LAST]]]]]"
    exit status 2
}
msgs = ARG1
claim = ARGC >= 4 ? ARG4 : ""
transports = ARGC >= 5 && ARG5 ne "" ? ARG5 : "tcp udp"
param = ARGC >= 6 ? ARG6 : ""
value = ARGC >= 7 ? ARG7 : ""
trial = ARGC >= 8 && ARG8 ne "" ? int(ARG8) : 1
range = ARGC >= 9 && strstrt(ARG9, ":") > 1 ? ARG9 : "0:199"
first = int(range[1 : strstrt(range, ":") - 1])
last = int(range[strstrt(range, ":") + 1 :])

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

if (ARG2 ne "") {
    set terminal pngcairo size 900, 260 * n font "DejaVu Sans,10"
    if (ARG2 eq "-") { set output } else { set output ARG2 }
    eval body
}
if (ARG3 ne "") {
    set terminal svg size 900, 260 * n dynamic font "DejaVu Sans,10"
    if (ARG3 eq "-") { set output } else { set output ARG3 }
    eval body
}
unset output
