# boundaries.gp - where each receive call cut the sender's bytes.
#
# One horizontal bar per transport, as long as the bytes received; each
# box is one receive call, labelled with the bytes it returned. A stream
# read of all 2560 bytes is one long box; five datagram reads are five
# 512-byte boxes.
#
# Usage (sockcmp plot does this for you, with absolute paths):
#   gnuplot -c plots/boundaries.gp results/lecture/boundaries-events.csv \
#           results/lecture/boundaries.png results/lecture/boundaries.svg \
#           'Five 512-byte writes, one 2560-byte read' \
#           'tcp udp unix-stream unix-dgram unix-seqpacket' [TRIAL]
#
# Arguments: EVENTS-CSV PNG SVG [CLAIM [TRANSPORTS [TRIAL]]]; TRIAL
# (default 1) draws another trial than the first.
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
    print "usage: gnuplot -c boundaries.gp EVENTS-CSV PNG SVG [CLAIM [TRANSPORTS [TRIAL]]]"
    exit status 2
}
events = ARG1
claim = ARGC >= 4 ? ARG4 : ""
transports = ARGC >= 5 && ARG5 ne "" ? ARG5 : "tcp udp unix-stream unix-dgram unix-seqpacket"
trial = ARGC >= 6 && ARG6 ne "" ? int(ARG6) : 1

set datafile separator ","
set datafile columnheaders

n = words(transports)
row(s) = sum [i=1:n] (word(transports, i) eq s ? i : 0)
# A data read: the receiver's side, this trial, bytes returned, and not the
# sender's end marker or the end of the stream.
isread(side, t, ret, fl) = side eq "recv" && t == trial && ret > 0 \
    && strstrt(fl, "fin") == 0 && strstrt(fl, "foreign") == 0 && strstrt(fl, "malformed") == 0
keep(v) = isread(strcol("side"), column("trial"), column("returned"), strcol("flags")) \
    && row(strcol("transport")) > 0 ? v : NaN

# A write of the sender (its end marker excluded), for the hatched layer
# that shows where the sender's writes began and ended.
iswrite(side, t, ret, fl) = side eq "send" && t == trial && ret > 0 && strstrt(fl, "fin") == 0
wkeep(v) = iswrite(strcol("side"), column("trial"), column("returned"), strcol("flags")) \
    && row(strcol("transport")) > 0 ? v : NaN
kind(tr) = tr eq "tcp" || tr eq "tcp6" || tr eq "unix-stream" ? "stream" : "datagram"

# A long claim goes on two lines, after its first ": ".
cut = strstrt(claim, ": ")
title2 = cut > 0 && strlen(claim) > 70 ? claim[1:cut] . "\n" . claim[cut + 2:] : claim
stats events using (wkeep(column("offset") + column("returned"))) nooutput
xmax = STATS_max
# Which trial this is, when the run had several (the others are in the
# CSV files; read-patterns charts them all).
stats events using (column("trial")) nooutput
trials = int(STATS_max)
if (trials > 1) { title2 = title2 . sprintf("\n(trial %d of %d shown)", trial, trials) }
set title title2 noenhanced font ",15"
set xlabel "position in the sender's data (bytes)"
set ylabel ""
set yrange [n + 0.6 : 0.4]
set ytics () nomirror
do for [i = 1:n] { set ytics add (word(transports, i) . " (" . kind(word(transports, i)) . ")" i) }
set xrange [0 : xmax]
set grid xtics
# Below the chart: the title stays on top and nothing covers the bars.
set key at screen 0.5, 0.03 center bottom vertical maxrows 2 noenhanced
set bmargin 8
set palette defined (0 "#4C72B0", 1 "#DD8452")
unset colorbox

draw = "plot events using (wkeep(column('offset') + column('returned') / 2.0)) : (row(strcol('transport'))) : (column('returned') / 2.0) : (0.42) with boxxyerror fs pattern 4 border lc rgb '#333333' lc rgb '#C44E52' title \"one write of the sender (hatched strip; where no read covers it, its bytes were discarded)\", " . \
    "'' using (keep(column('offset') + column('returned') / 2.0)) : (row(strcol('transport'))) : (column('returned') / 2.0) : (0.28) : (int(column('call')) % 2) with boxxyerror fs solid 0.85 border lc rgb '#333333' lc palette title 'one receive call (bytes it returned; colours alternate)', " . \
    "'' using (keep(column('offset') + column('returned') / 2.0)) : (row(strcol('transport'))) : (sprintf('%d', column('returned'))) with labels font ',14' tc rgb 'white' noenhanced notitle"

if (ARG2 ne "") {
    set terminal pngcairo size 1200, 600 font "DejaVu Sans,14"
    if (ARG2 eq "-") { set output } else { set output ARG2 }
    eval draw
}
if (ARG3 ne "") {
    set terminal svg size 1200, 600 dynamic font "DejaVu Sans,14"
    if (ARG3 eq "-") { set output } else { set output ARG3 }
    eval draw
}
unset output
