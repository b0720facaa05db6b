# delivery.gp - messages delivered and lost, per transport: one bar per
# transport, green for the messages that arrived, red for the ones lost,
# stream transports on the left, datagram ones on the right. For bursts
# too many to draw one box per receive call (overflow: 2000 messages).
#
# Usage (sockcmp plot does this for you, with absolute paths):
#   gnuplot -c plots/delivery.gp results/lecture/overflow.csv \
#           results/lecture/overflow.png results/lecture/overflow.svg \
#           'CLAIM' 'tcp unix-stream udp unix-dgram unix-seqpacket' [TRIAL]
#
# Arguments: RUN-CSV PNG SVG [CLAIM [TRANSPORTS [TRIAL]]]; RUN-CSV is the
# experiment's NAME.csv (one row per transport and trial). PNG or SVG may
# be "" to skip that format, or "-" for standard output.
plain(f) = strlen(f) > 0 && f[1:1] ne "<" && f[1:1] ne "|" && strstrt(f, "\n") == 0
output(f) = f eq "" || f eq "-" || plain(f)

if (ARGC < 3 || !plain(ARG1) || !output(ARG2) || !output(ARG3)) {
    print "usage: gnuplot -c delivery.gp RUN-CSV PNG SVG [CLAIM [TRANSPORTS [TRIAL]]]"
    exit status 2
}
runs = ARG1
claim = ARGC >= 4 ? ARG4 : ""
transports = ARGC >= 5 && ARG5 ne "" ? ARG5 : "tcp unix-stream udp unix-dgram unix-seqpacket"
trial = ARGC >= 6 && ARG6 ne "" ? int(ARG6) : 1

set datafile separator ","
set datafile columnheaders

n = words(transports)
col(s) = sum [i=1:n] (word(transports, i) eq s ? i : 0)
at(v) = column("trial") == trial && col(strcol("transport")) > 0 ? v : NaN
stats runs using (at(column("sent_msgs"))) nooutput
sent = STATS_max

# A long claim goes on two lines, after its first ": ".
cut = strstrt(claim, ": ")
title2 = cut > 0 && strlen(claim) > 70 ? claim[1:cut] . "\n" . claim[cut + 2:] : claim
set title title2 noenhanced font ",15"
set ylabel "messages (of " . sprintf("%d", sent) . " sent)"
set xrange [0.4 : n + 0.6]
set yrange [0 : sent]
set xtics () nomirror
kind(tr) = tr eq "tcp" || tr eq "tcp6" || tr eq "unix-stream" ? "stream" : "datagram"
do for [i = 1:n] { set xtics add (word(transports, i) . "\n(" . kind(word(transports, i)) . ")" i) }
set ytics nomirror
set grid ytics
set key outside bottom center horizontal
set bmargin 6
set style fill solid 0.85 border lc rgb "#333333"

draw = "plot runs using (at(col(strcol('transport')))) : (column('unique_msgs') / 2.0) : (0.35) : (column('unique_msgs') / 2.0) with boxxyerror lc rgb '#55A868' title 'delivered', " . \
       "     runs using (at(col(strcol('transport')))) : (column('unique_msgs') + column('lost') / 2.0) : (0.35) : (column('lost') / 2.0) with boxxyerror lc rgb '#C44E52' title 'lost', " . \
       "     runs using (at(col(strcol('transport')))) : (column('unique_msgs') > sent * 0.12 ? column('unique_msgs') / 2.0 : column('unique_msgs') + sent * 0.05) : (sprintf('%d', column('unique_msgs'))) with labels font ',14' notitle, " . \
       "     runs using (at(column('lost') > 0 ? col(strcol('transport')) : NaN)) : (column('unique_msgs') + column('lost') / 2.0) : (sprintf('%d lost', column('lost'))) with labels font ',14' tc rgb 'white' notitle"

if (ARG2 ne "") {
    set terminal pngcairo size 1100, 600 font "DejaVu Sans,14"
    if (ARG2 eq "-") { set output } else { set output ARG2 }
    eval draw
}
if (ARG3 ne "") {
    set terminal svg size 1100, 600 dynamic font "DejaVu Sans,14"
    if (ARG3 eq "-") { set output } else { set output ARG3 }
    eval draw
}
unset output
