# revision.gp - the revision sheet as one printable page (A4 portrait at
# 150 dpi): one text line of the page per input line.
#
# Input (written by sockcmp lecture as revision-sheet.tsv): tab-separated
# STYLE, LINE, COLOUR (#rrggbb), TEXT; style 1 title, 2 a difference's
# heading, 3 body text, 4 a verdict (printed at the right of its line).
#
# Usage (sockcmp lecture does this for you, with absolute paths):
#   gnuplot -c plots/revision.gp results/lecture/revision-sheet.tsv \
#           results/lecture/revision.png results/lecture/revision.svg
# PNG or SVG may be "" to skip that format, or "-" for standard output.
plain(f) = strlen(f) > 0 && f[1:1] ne "<" && f[1:1] ne "|" && strstrt(f, "\n") == 0
output(f) = f eq "" || f eq "-" || plain(f)

if (ARGC < 3 || !plain(ARG1) || !output(ARG2) || !output(ARG3)) {
    print "usage: gnuplot -c revision.gp SHEET-TSV PNG SVG"
    exit status 2
}
sheet = ARG1

set datafile separator "\t"
stats sheet using 2 nooutput
rows = STATS_max + 1

unset border
unset tics
unset key
set margins 0, 0, 0, 0
set xrange [0 : 1]
set yrange [rows + 0.5 : -1.2]
rgb(s) = int("0x" . s[2:7])
draw = "plot sheet using (0.035) : (column(2)) : (column(1) == 1 ? strcol(4) : '') : (rgb(strcol(3))) with labels left tc rgb variable font ',20' noenhanced, " . \
       "     sheet using (0.035) : (column(2)) : (column(1) == 2 ? strcol(4) : '') : (rgb(strcol(3))) with labels left tc rgb variable font 'DejaVu Sans Bold,12' noenhanced, " . \
       "     sheet using (0.035) : (column(2)) : (column(1) == 3 ? strcol(4) : '') : (rgb(strcol(3))) with labels left tc rgb variable font ',11' noenhanced, " . \
       "     sheet using (0.965) : (column(2)) : (column(1) == 4 ? strcol(4) : '') : (rgb(strcol(3))) with labels right tc rgb variable font 'DejaVu Sans Bold,13' noenhanced"

if (ARG2 ne "") {
    set terminal pngcairo size 1240, 1754 font "DejaVu Sans,11" background rgb "white"
    if (ARG2 eq "-") { set output } else { set output ARG2 }
    eval draw
}
if (ARG3 ne "") {
    set terminal svg size 1240, 1754 font "DejaVu Sans,11" background rgb "white"
    if (ARG3 eq "-") { set output } else { set output ARG3 }
    eval draw
}
unset output
