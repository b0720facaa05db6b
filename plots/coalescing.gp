# coalescing.gp - how many reads the same five 512-byte writes (2 ms
# apart) took, against how late the reader started: 20 trials per point,
# one stacked bar per delay, each part as tall as the trials that needed
# that many reads. One panel per transport, the same axes in each.
#
# Usage (sockcmp lecture does this for you, with absolute paths):
#   gnuplot -c plots/coalescing.gp results/lecture/coalescing-patterns.csv \
#           results/lecture/coalescing-patterns.png results/lecture/coalescing-patterns.svg [CLAIM]
# Input: coalescing-patterns.csv (transport, pace_ms, reader_late_ms,
# trials, reads, read_sizes), each point's rows together, fewest reads first.
# PNG or SVG may be "" to skip that format, or "-" for standard output.
plain(f) = strlen(f) > 0 && f[1:1] ne "<" && f[1:1] ne "|" && strstrt(f, "\n") == 0
output(f) = f eq "" || f eq "-" || plain(f)

if (ARGC < 3 || !plain(ARG1) || !output(ARG2) || !output(ARG3)) {
    print "usage: gnuplot -c coalescing.gp COALESCING-PATTERNS-CSV PNG SVG [CLAIM]"
    exit status 2
}
data = ARG1
claim = ARGC >= 4 && ARG4 ne "" ? ARG4 : "Stream: \"the receiver gets all the requested bytes\" - in how many reads?\nFive 512-byte writes 2 ms apart, the reader starting late: 20 trials each"

set datafile separator ","
set datafile columnheaders
transports = "tcp unix-stream udp"
lates = "0 3 5 7 20"
nl = words(lates)
xpos(l) = sum [i=1:nl] (int(word(lates, i)) == int(l) ? i : 0)
kind(tr) = tr eq "udp" ? "datagram" : "stream"
# The bottom of each part: the trials of the point's rows before it.
last = ""; below = 0
bottom(tr, l, n) = (last eq sprintf("%s/%d", tr, l) ? 0 : (below = 0), last = sprintf("%s/%d", tr, l), below = below + n, below - n)
colour(r) = r == 1 ? 0x4C72B0 : r == 2 ? 0x55A868 : r == 3 ? 0xC4A000 : r == 4 ? 0xDD8452 : 0xC44E52

set style fill solid 0.9 border lc rgb "#333333"
set yrange [0 : 20]
set xrange [0.4 : nl + 0.6]
set xtics () nomirror
do for [i = 1:nl] { set xtics add (word(lates, i) i) }
set ytics 5 nomirror
set grid ytics
set xlabel "reader starts (ms late)"
at(tr, l) = strcol("transport") eq tr ? xpos(l) : NaN
# The first row starts the sums afresh (the labels' pass reads the file again).
restart(x) = ($0 == 0 ? (last = "", below = 0) : 0, x)
panel = 'plot data using (restart(at(tr, column("reader_late_ms")))) : (bottom(strcol("transport"), column("reader_late_ms"), column("trials")) + column("trials") / 2.0) : (0.35) : (column("trials") / 2.0) : (colour(column("reads"))) with boxxyerror lc rgb variable notitle, ' . \
        '     data using (restart(at(tr, column("reader_late_ms")))) : (bottom(strcol("transport"), column("reader_late_ms"), column("trials")) + column("trials") / 2.0) : (column("trials") >= 2 ? sprintf("%d", column("trials")) : "") with labels font ",13" tc rgb "white" notitle, ' . \
        '     NaN with boxes lc rgb "#4C72B0" title "1 (all at once)", NaN with boxes lc rgb "#55A868" title "2", NaN with boxes lc rgb "#C4A000" title "3", NaN with boxes lc rgb "#DD8452" title "4", NaN with boxes lc rgb "#C44E52" title "5 (one per write)"'
draw = 'set multiplot layout 1, 3 title claim noenhanced font ",15" margins 0.05, 0.83, 0.17, 0.8 spacing 0.05, 0; ' . \
       'do for [p = 1:3] { tr = word(transports, p); set title sprintf("%s (%s)", tr, kind(tr)) noenhanced font ",14"; set ylabel (p == 1 ? "trials (of 20)" : ""); if (p == 3) { set key vertical reverse Left samplen 1.5 at screen 0.845, 0.6 left center title "reads needed" } else { unset key }; eval panel }; ' . \
       'unset multiplot'

if (ARG2 ne "") {
    set terminal pngcairo size 1600, 620 font "DejaVu Sans,14"
    if (ARG2 eq "-") { set output } else { set output ARG2 }
    eval draw
}
if (ARG3 ne "") {
    set terminal svg size 1600, 620 dynamic font "DejaVu Sans,14"
    if (ARG3 eq "-") { set output } else { set output ARG3 }
    eval draw
}
unset output
