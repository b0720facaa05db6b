# boundaries.gp - where each receive call cut the sender's bytes.
#
# One horizontal bar per transport, as long as the bytes received; each
# box is one receive call, labelled with the bytes it returned. A stream
# read of all 2560 bytes is one long box; five datagram reads are five
# 512-byte boxes.
#
# Usage (sockcmp plot does this for you):
#   gnuplot -e "events='results/lecture/boundaries-events.csv'" \
#           -e "out='results/lecture/boundaries'" \
#           -e "claim='Five 512-byte writes, one 2560-byte read'" \
#           -e "transports='tcp udp unix-stream unix-dgram unix-seqpacket'" \
#           plots/boundaries.gp
# Optional: -e "trial=2" to draw another trial than the first.
# Writes OUT.png and OUT.svg.

if (!exists("events") || !exists("out")) {
    print "boundaries.gp: set events='FILE-events.csv' and out='PATH-WITHOUT-SUFFIX'"
    exit status 2
}
if (!exists("claim")) claim = ""
if (!exists("transports")) transports = "tcp udp unix-stream unix-dgram unix-seqpacket"
if (!exists("trial")) trial = 1

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

set title claim noenhanced font ",11"
set xlabel "bytes received, in order; each box is one receive call"
set ylabel ""
set yrange [n + 0.6 : 0.4]
set ytics () nomirror
do for [i = 1:n] { set ytics add (word(transports, i) i) }
set xrange [0 : *]
set grid xtics
set key off
set style fill solid 0.55 border lc rgb "#333333"
set palette defined (0 "#4C72B0", 1 "#DD8452")
unset colorbox

draw = "plot events using (keep(column('offset') + column('returned') / 2.0)) : (row(strcol('transport'))) : (column('returned') / 2.0) : (0.32) : (int(column('call')) % 2) with boxxyerror lc palette, '' using (keep(column('offset') + column('returned') / 2.0)) : (row(strcol('transport'))) : (sprintf('%d', column('returned'))) with labels font ',9' noenhanced"

set terminal pngcairo size 1000, 420 font "DejaVu Sans,10"
set output out . ".png"
eval draw
set terminal svg size 1000, 420 dynamic font "DejaVu Sans,10"
set output out . ".svg"
eval draw
unset output
