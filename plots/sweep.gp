# sweep.gp - one measure against the swept parameter: the mean over the
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
# give (100 - x). x comes from column xcol (default x_ns, x_bytes, ... as
# sockcmp passes it: the swept value in one unit), divided by xscale
# (default 1); logx=1 draws a log axis (values spanning decades; a zero
# point cannot be shown on it). Writes OUT.png and OUT.svg.

if (!exists("agg") || !exists("out") || !exists("measure")) {
    print "sweep.gp: set agg, out and measure"
    exit status 2
}
if (!exists("ylabel")) ylabel = measure
if (!exists("xlabel")) xlabel = "swept value"
if (!exists("claim")) claim = ""
if (!exists("transports")) transports = "tcp udp"
if (!exists("ideal")) ideal = 0
if (!exists("xcol")) xcol = "x"
if (!exists("xscale")) xscale = 1
if (!exists("logx")) logx = 0

set datafile separator ","
set datafile columnheaders
set title claim noenhanced font ",11"
set xlabel xlabel noenhanced
set ylabel ylabel noenhanced
# Inside the plot: the title keeps its width. Lines that fall (delivered
# against loss) leave the lower left free, others the upper left.
if (ideal) { set key inside left bottom noenhanced box opaque } else { set key inside left top noenhanced box opaque }
set grid
if (logx) { set logscale x 10 }
set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05
n = words(transports)
pick(tr, v) = strcol("transport") eq tr ? v : NaN
m = measure . "_mean"
h = measure . "_ci95"

draw = "plot for [i = 1:n] agg using (pick(word(transports, i), column(xcol) / xscale)) : (column(m)) : (column(h)) with yerrorlines lw 2 pt 7 title word(transports, i)"
if (ideal) draw = draw . ", 100 - x with lines dt 2 lc rgb '#777777' title 'ideal: 100 - configured loss'"

set terminal pngcairo size 900, 480 font "DejaVu Sans,10"
set output out . ".png"
eval draw
set terminal svg size 900, 480 dynamic font "DejaVu Sans,10"
set output out . ".svg"
eval draw
unset output
