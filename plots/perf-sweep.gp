# perf-sweep.gp - (issue 9) one measure against the swept parameter, log x if logx=1: the mean over the
# trials at each point, with its 95 % confidence interval as error bars,
# one line per transport. Reads NAME-aggregate.csv.
#
# Usage (sockcmp plot does this for you):
#   gnuplot -e "agg='results/loss-sweep/loss-sweep-aggregate.csv'" \
#           -e "out='results/loss-sweep/loss-sweep-delivered_pct'" \
#           -e "measure='delivered_pct'; ylabel='messages delivered (%)'" \
#           -e "xlabel='configured loss (%)'; ideal=1" \
#           -e "claim='Delivered vs configured loss'" \
#           -e "transports='tcp udp'" plots/sweep.gp
# ideal=1 adds the line a link that loses exactly what is configured would
# give (100 - x). Writes OUT.png and OUT.svg.

if (!exists("agg") || !exists("out") || !exists("measure")) {
    print "sweep.gp: set agg, out and measure"
    exit status 2
}
if (!exists("ylabel")) ylabel = measure
if (!exists("xlabel")) xlabel = "swept value"
if (!exists("claim")) claim = ""
if (!exists("transports")) transports = "tcp udp"
if (!exists("ideal")) ideal = 0
if (!exists("logx")) logx = 0
if (!exists("logy")) logy = 0

set datafile separator ","
set datafile columnheaders
set title claim noenhanced font ",11"
set xlabel xlabel noenhanced
set ylabel ylabel noenhanced
# Inside the plot: the title keeps its width. Lines that fall (delivered
# against loss) leave the lower left free, others the upper left.
if (ideal) { set key inside left bottom noenhanced box opaque } else { set key inside left top noenhanced box opaque }
set grid
if (logx) set logscale x 2
if (logy) set logscale y 10
if (!logx) set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05
n = words(transports)
pick(tr, v) = strcol("transport") eq tr ? v : NaN
m = measure . "_mean"
h = measure . "_ci95"

draw = "plot for [i = 1:n] agg using (pick(word(transports, i), column('x'))) : (column(m)) : (column(h)) with yerrorlines lw 2 pt 7 title word(transports, i)"
if (ideal) draw = draw . ", 100 - x with lines dt 2 lc rgb '#777777' title 'ideal: 100 - configured loss'"

set terminal pngcairo size 900, 480 font "DejaVu Sans,10"
set output out . ".png"
eval draw
set terminal svg size 900, 480 dynamic font "DejaVu Sans,10"
set output out . ".svg"
eval draw
unset output
