# sweep.gp - one measured column against the swept parameter, one line per
# transport, averaged over the trials at each point (gnuplot's "smooth
# unique" takes the mean of the y values that share an x).
#
# Usage (sockcmp plot does this for you):
#   gnuplot -e "runs='results/coalescing/coalescing.csv'" \
#           -e "out='results/coalescing/coalescing-sweep'" \
#           -e "param='after'; ycol='recv_calls'; ylabel='receive calls'" \
#           -e "claim='Five writes 2 ms apart: reads vs reader delay'" \
#           -e "transports='tcp unix-stream udp'" plots/sweep.gp
# Writes OUT.png and OUT.svg.

if (!exists("runs") || !exists("out") || !exists("param") || !exists("ycol")) {
    print "sweep.gp: set runs, out, param and ycol"
    exit status 2
}
if (!exists("ylabel")) ylabel = ycol
if (!exists("claim")) claim = ""
if (!exists("transports")) transports = "tcp udp"

set datafile separator ","
set datafile columnheaders
set title claim noenhanced font ",11"
set xlabel param noenhanced
set ylabel ylabel noenhanced
set key outside right top noenhanced
set grid
set yrange [0 : *]
set offsets 0.2, 0.2, 0, 0
n = words(transports)
pick(tr) = strcol("transport") eq tr ? column(ycol) : NaN

draw = "plot for [i = 1:n] runs using (column('point')) : (pick(word(transports, i))) : xticlabels(strcol(param)) smooth unique with linespoints lw 2 pt 7 title word(transports, i)"

set terminal pngcairo size 900, 480 font "DejaVu Sans,10"
set output out . ".png"
eval draw
set terminal svg size 900, 480 dynamic font "DejaVu Sans,10"
set output out . ".svg"
eval draw
unset output
