# patterns.gp - how often each read pattern occurred: the same 5 x 512-byte
# writes repeated, the reader already waiting, per transport and pace of
# the writes. One bar per pattern seen, as long as the trials that read it;
# stream transports blue, datagram ones orange.
#
# Usage (sockcmp lecture does this for you, with absolute paths):
#   gnuplot -c plots/patterns.gp results/lecture/read-patterns.csv \
#           results/lecture/read-patterns.png results/lecture/read-patterns.svg [CLAIM]
# Input: read-patterns.csv (transport, pace_ms, trials, read_sizes).
# PNG or SVG may be "" to skip that format, or "-" for standard output.
plain(f) = strlen(f) > 0 && f[1:1] ne "<" && f[1:1] ne "|" && strstrt(f, "\n") == 0
output(f) = f eq "" || f eq "-" || plain(f)

if (ARGC < 3 || !plain(ARG1) || !output(ARG2) || !output(ARG3)) {
    print "usage: gnuplot -c patterns.gp READ-PATTERNS-CSV PNG SVG [CLAIM]"
    exit status 2
}
data = ARG1
claim = ARGC >= 4 && ARG4 ne "" ? ARG4 : "Stream: \"the receiver gets all the requested bytes\"?\nThe same five 512-byte writes, repeated: how the reads fell"

set datafile separator ","
set datafile columnheaders
stats data using (column("trials")) nooutput
nrows = STATS_records
tmax = STATS_max
stream(tr) = tr eq "tcp" || tr eq "tcp6" || tr eq "unix-stream"
label(tr, pace, sizes) = sprintf("%s, writes %s ms apart: %s", tr, pace, sizes)

set title claim noenhanced font ",15"
set xlabel sprintf("trials that read this pattern (of %d per transport and pace)", tmax)
set xrange [0 : tmax]
set yrange [nrows + 0.5 : 0.5]
set ytics nomirror noenhanced
set xtics nomirror
set grid xtics
set key outside bottom center horizontal
set bmargin 6
set style fill solid 0.85 border lc rgb "#333333"

draw = "plot data using (column('trials') / 2.0) : ($0 + 1) : (column('trials') / 2.0) : (0.38) : (stream(strcol('transport')) ? 0x4C72B0 : 0xDD8452) : ytic(label(strcol('transport'), strcol('pace_ms'), strcol('read_sizes'))) with boxxyerror lc rgb variable notitle, " . \
       "     NaN with boxes lc rgb '#4C72B0' title 'stream socket', NaN with boxes lc rgb '#DD8452' title 'datagram socket', " . \
       "     data using (column('trials')) : ($0 + 1) : (sprintf(' %d', column('trials'))) with labels left font ',14' notitle"

if (ARG2 ne "") {
    set terminal pngcairo size 1300, 200 + 42 * nrows font "DejaVu Sans,14"
    if (ARG2 eq "-") { set output } else { set output ARG2 }
    eval draw
}
if (ARG3 ne "") {
    set terminal svg size 1300, 200 + 42 * nrows dynamic font "DejaVu Sans,14"
    if (ARG3 eq "-") { set output } else { set output ARG3 }
    eval draw
}
unset output
