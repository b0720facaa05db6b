# wire.gp - the packets each kind of socket put on the wire for the same
# exchange, by kind: handshake, data, acknowledgement-only, closing (FIN).
# One bar per exchange (TCP and UDP, 5 x 512 bytes and one request and
# response), from the probe's packet capture.
#
# Usage (sockcmp lecture does this for you, with absolute paths):
#   gnuplot -c plots/wire.gp results/lecture/wire-overhead.csv \
#           results/lecture/wire-overhead.png results/lecture/wire-overhead.svg [CLAIM]
# Input: wire-overhead.csv (exchange, frames, bytes, ..., captured_handshake,
# captured_data, captured_pure_acks, captured_fin).
# PNG or SVG may be "" to skip that format, or "-" for standard output.
plain(f) = strlen(f) > 0 && f[1:1] ne "<" && f[1:1] ne "|" && strstrt(f, "\n") == 0
output(f) = f eq "" || f eq "-" || plain(f)

if (ARGC < 3 || !plain(ARG1) || !output(ARG2) || !output(ARG3)) {
    print "usage: gnuplot -c wire.gp WIRE-OVERHEAD-CSV PNG SVG [CLAIM]"
    exit status 2
}
data = ARG1
claim = ARGC >= 4 && ARG4 ne "" ? ARG4 : "Sample answer: stream \"(acknowledge receipt)\", datagram \"simpler – less overhead\"\nthe packets each sent for the same data"

set datafile separator ","
set datafile columnheaders
v(c) = column(c) > 0 ? column(c) : 0
stats data using (v("captured_handshake") + v("captured_data") + v("captured_pure_acks") + v("captured_fin")) nooutput
nrows = STATS_records
tmax = STATS_max
name(e) = e eq "tcp_5x512" ? "TCP, 5 x 512 bytes" : e eq "udp_5x512" ? "UDP, 5 x 512 bytes" : \
    e eq "tcp_request_response" ? "TCP, one question + answer" : e eq "udp_request_response" ? "UDP, one question + answer" : e

set title claim noenhanced font ",15"
set xlabel "packets on the wire (count)"
set xrange [0 : tmax]
set yrange [nrows + 0.5 : 0.5]
set ytics nomirror noenhanced
set xtics nomirror 2
set grid xtics
set key outside bottom center horizontal
set bmargin 6
set rmargin 30
set style fill solid 0.85 border lc rgb "#333333"

seg(lo, n) = lo + n / 2.0
draw = "plot data using (seg(0, v('captured_handshake'))) : ($0 + 1) : (v('captured_handshake') / 2.0) : (0.35) : ytic(name(strcol('exchange'))) with boxxyerror lc rgb '#8172B2' title 'handshake (SYN)', " . \
       "  data using (seg(v('captured_handshake'), v('captured_data'))) : ($0 + 1) : (v('captured_data') / 2.0) : (0.35) with boxxyerror lc rgb '#55A868' title 'data', " . \
       "  data using (seg(v('captured_handshake') + v('captured_data'), v('captured_pure_acks'))) : ($0 + 1) : (v('captured_pure_acks') / 2.0) : (0.35) with boxxyerror lc rgb '#DD8452' title 'acknowledgement only', " . \
       "  data using (seg(v('captured_handshake') + v('captured_data') + v('captured_pure_acks'), v('captured_fin'))) : ($0 + 1) : (v('captured_fin') / 2.0) : (0.35) with boxxyerror lc rgb '#C44E52' title 'closing (FIN)', " . \
       "  data using (v('captured_handshake') + v('captured_data') + v('captured_pure_acks') + v('captured_fin')) : ($0 + 1) : (sprintf(' %d packets, %d bytes', column('frames'), column('bytes'))) with labels left font ',14' notitle"

if (ARG2 ne "") {
    set terminal pngcairo size 1200, 220 + 70 * nrows font "DejaVu Sans,14"
    if (ARG2 eq "-") { set output } else { set output ARG2 }
    eval draw
}
if (ARG3 ne "") {
    set terminal svg size 1200, 220 + 70 * nrows dynamic font "DejaVu Sans,14"
    if (ARG3 eq "-") { set output } else { set output ARG3 }
    eval draw
}
unset output
