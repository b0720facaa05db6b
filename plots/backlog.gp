# backlog.gp - listen(s, 5) and ten clients connecting in turn, nobody
# calling accept(): one bar per client, as long as it waited until its
# connect() was decided; green if the handshake completed (the connection
# waits in the accept queue), red if its SYNs went unanswered until it gave
# up (TCP_SYNCNT bounds that here; the system default is about 127 s).
#
# Usage (sockcmp lecture does this for you, with absolute paths):
#   gnuplot -c plots/backlog.gp results/lecture/backlog.csv \
#           results/lecture/backlog.png results/lecture/backlog.svg [CLAIM]
# Input: backlog.csv (client, outcome, errno, decided_ms).
# PNG or SVG may be "" to skip that format, or "-" for standard output.
plain(f) = strlen(f) > 0 && f[1:1] ne "<" && f[1:1] ne "|" && strstrt(f, "\n") == 0
output(f) = f eq "" || f eq "-" || plain(f)

if (ARGC < 3 || !plain(ARG1) || !output(ARG2) || !output(ARG3)) {
    print "usage: gnuplot -c backlog.gp BACKLOG-CSV PNG SVG [CLAIM]"
    exit status 2
}
data = ARG1

set datafile separator ","
set datafile columnheaders
ok(s) = s eq "established"
stats data using (ok(strcol("outcome")) ? 1 : 0) nooutput
n = STATS_records
got = int(STATS_sum)
stats data using (column("decided_ms")) nooutput
tmax = STATS_max
claim = ARGC >= 4 && ARG4 ne "" ? ARG4 : \
    sprintf("listen(s, 5): \"announce number of connections\"?\n%d clients, nobody calls accept(): %d completed the handshake, %d waited and gave up", n, got, n - got)

set title claim noenhanced font ",15"
set xlabel "time since the first client's connect() (ms)"
set ylabel "client (in the order they connected)"
set xrange [0 : tmax * 1.05]
set yrange [n + 0.6 : 0.4]
set ytics 1 nomirror
set xtics nomirror
set grid xtics
set key outside bottom center horizontal
set bmargin 7
set style fill solid 0.85 border lc rgb "#333333"
colour(s) = ok(s) ? 0x55A868 : 0xC44E52
# Short bars are labelled after their end, long ones inside, so no label
# runs off the chart.
long(ms) = ms > tmax / 2
what(s, e, ms) = ok(s) ? sprintf("connected after %d ms", ms) : sprintf("%s after %.1f s (%s)", s, ms / 1000.0, e)

draw = "plot data using (column('decided_ms') / 2.0) : (column('client')) : (column('decided_ms') / 2.0) : (0.35) : (colour(strcol('outcome'))) with boxxyerror lc rgb variable notitle, " . \
       "     data using (long(column('decided_ms')) ? NaN : column('decided_ms')) : (column('client')) : (' ' . what(strcol('outcome'), strcol('errno'), column('decided_ms'))) with labels left font ',13' noenhanced notitle, " . \
       "     data using (long(column('decided_ms')) ? column('decided_ms') : NaN) : (column('client')) : (what(strcol('outcome'), strcol('errno'), column('decided_ms')) . ' ') with labels right font ',13' tc rgb 'white' noenhanced notitle, " . \
       "     NaN with boxes lc rgb '#55A868' title 'handshake completed: waits in the accept queue', " . \
       "     NaN with boxes lc rgb '#C44E52' title 'SYNs unanswered: waited, then gave up'"

if (ARG2 ne "") {
    set terminal pngcairo size 1200, 620 font "DejaVu Sans,14"
    if (ARG2 eq "-") { set output } else { set output ARG2 }
    eval draw
}
if (ARG3 ne "") {
    set terminal svg size 1200, 620 dynamic font "DejaVu Sans,14"
    if (ARG3 eq "-") { set output } else { set output ARG3 }
    eval draw
}
unset output
