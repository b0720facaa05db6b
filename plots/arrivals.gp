# arrivals.gp - sequence number against arrival time, per transport, from
# NAME-messages.csv: a straight staircase is perfect delivery; lost
# messages are red marks at the left edge, reordered ones orange, copies
# purple. The title says which trial and which messages are shown.
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
n = words(transports)
inrange(tr) = (tr eq "" || strcol("transport") eq tr) && column("trial") == trial \
    && (param eq "" || strcol(param) eq value) \
    && column("seq") >= first && column("seq") <= last
at(tr) = inrange(tr)
ms(tr, k) = at(tr) && (k eq "" || strcol("kind") eq k) ? column("t_ns") / 1e6 : NaN

# One time axis for every panel, so they can be compared.
stats msgs using (ms("", "")) nooutput
xmax = STATS_max
xmax = xmax > 0 ? xmax : 1
# Which sequence numbers arrived at all, per transport: the rest are lost.
array got[last - first + 1]

set xlabel "arrival time since the first write (ms)"
set xrange [0 : xmax]
set yrange [first : last]
set grid

toptitle = sprintf("%s\n%strial %d, messages %d to %d of the run", claim, param eq "" ? "" : sprintf("at %s %s, ", param, value), trial, first, last)
# Panels share the width; the top is left for the title and one legend.
body = "set multiplot layout n, 1 title toptitle noenhanced font ',15' margins 0.09, 0.97, 0.9 * 60.0 / (380 * n + 60) + 0.05, 1 - 130.0 / (380 * n + 60) spacing 0.1, 0.1; " . \
    "do for [i = 1:n] { tr = word(transports, i); " . \
    "  do for [k = 1:|got|] { got[k] = 0 }; " . \
    "  stats msgs using (at(tr) ? (got[int(column('seq')) - first + 1] = 1) : 0) nooutput; " . \
    "  nlost = 0; do for [k = 1:|got|] { nlost = nlost + (got[k] ? 0 : 1) }; " . \
    "  set ylabel sprintf('%s: message no. (%d of %d lost)', tr, nlost, |got|) noenhanced; " . \
    "  if (i == 1) { set key at screen 0.5, screen 1 - 95.0 / (380 * n + 60) center horizontal maxcols 4 noenhanced } else { unset key }; " . \
    "  plot msgs using (ms(tr, 'new')) : (column('seq')) with points pt 7 ps 0.6 lc rgb '#4C72B0' title 'arrived in order', " . \
    "       msgs using (ms(tr, 'reordered')) : (column('seq')) with points pt 9 ps 1.2 lc rgb '#DD8452' title 'arrived out of order', " . \
    "       msgs using (ms(tr, 'dup')) : (column('seq')) with points pt 2 ps 1.2 lc rgb '#8172B2' title 'duplicate', " . \
    "       got using (0) : (got[column(1)] ? NaN : column(1) - 1 + first) with points pt 3 ps 1.0 lc rgb '#C44E52' title 'lost (left edge)' }; " . \
    "unset multiplot"

if (ARG2 ne "") {
    set terminal pngcairo size 1200, 380 * n + 60 font "DejaVu Sans,14"
    if (ARG2 eq "-") { set output } else { set output ARG2 }
    eval body
}
if (ARG3 ne "") {
    set terminal svg size 1200, 380 * n + 60 dynamic font "DejaVu Sans,14"
    if (ARG3 eq "-") { set output } else { set output ARG3 }
    eval body
}
unset output
