#!/usr/bin/env bash
# The revision sheet: `sockcmp lecture --only` for a few claims writes
# revision.md with all 13 rows of the sample exam answer, the rows of the
# claims run carrying the figures of their CSV files, the others saying
# they were not measured; revision.html is self-contained and parses, and
# revision.png is drawn.
. "$(dirname "$0")/lib.sh"
unshare -n true 2>/dev/null || skip "the probes need a private network namespace (unshare -n)"
command -v python3 >/dev/null || skip "python3 is needed to parse the HTML"
out="$WORK/lecture"
for claim in boundaries both-directions wire-overhead backlog coalescing-patterns; do
	"$BIN/sockcmp" lecture --only "$claim" --out "$out" >"$WORK/stdout" 2>"$WORK/stderr" ||
		fail "--only $claim exited $?: $(cat "$WORK/stderr")"
done
md="$out/revision.md"
[ -s "$md" ] || fail "no revision.md"
rows=$(grep -cE '^\| [0-9]+ \| "' "$md")
expect_eq "rows of the sheet" "$rows" 13
# row N: the markdown table row numbered N.
row() { grep -E "^\| $1 \| " "$md"; }
has() { row "$1" | grep -qF -- "$2" || fail "row $1 lacks '$2': $(row "$1")"; }
# Figures from the CSV files just written.
tf=$(csv_col "$out/wire-overhead.csv" frames exchange=tcp_5x512)
tb=$(csv_col "$out/wire-overhead.csv" bytes exchange=tcp_5x512)
uf=$(csv_col "$out/wire-overhead.csv" frames exchange=udp_5x512)
ub=$(csv_col "$out/wire-overhead.csv" bytes exchange=udp_5x512)
has 7 "TCP $tf packets, $tb bytes; UDP $uf packets, $ub bytes"
acks=$(csv_col "$out/wire-overhead.csv" captured_pure_acks exchange=tcp_5x512)
has 13 "TCP sent $acks acknowledgement-only packets"
fin=$(csv_col "$out/wire-overhead.csv" captured_fin exchange=tcp_5x512)
has 11 "TCP sent $fin FIN packets"
replied=$(csv_col "$out/both-directions.csv" value measure=socket_b_replied)
has 2 "replied $replied bytes on the same socket"
tc=$(csv_col "$out/boundaries.csv" recv_calls transport=tcp trial=1)
uc=$(csv_col "$out/boundaries.csv" recv_calls transport=udp trial=1)
has 12 "udp needed $uc reads"
has 1 "tcp $tc read"
# Verdicts follow the figures: both ways on one socket is "wrong".
if [ "$replied" -gt 0 ]; then has 2 "**wrong**"; else has 2 "**confirmed**"; fi
if [ "$tf" -gt "$uf" ] && [ "$tb" -gt "$ub" ]; then has 7 "**confirmed**"; else has 7 "**wrong**"; fi
# Claims not run here: no verdict, no figures.
for n in 3 4 5 6 8 9; do has "$n" "**not measured**"; done
grep -q "^## Where the lecture is wrong" "$md" || fail "no 'where the lecture is wrong' section"
grep -q "^## Charts" "$md" || fail "no charts section"
grep -qF "![boundaries](boundaries.png)" "$md" || fail "the boundaries chart is not on the sheet"
[ -s "$out/revision.png" ] || fail "no revision.png"
# Every probe with a chart has it drawn and on the sheet.
for chart in wire-overhead backlog coalescing-patterns; do
	[ -s "$out/$chart.png" ] && [ -s "$out/$chart.svg" ] || fail "no $chart chart: $(ls "$out")"
	grep -qF "![$chart]($chart.png)" "$md" || fail "the $chart chart is not on the sheet"
done
# The HTML: every row, no external resource, and well-formed.
html="$out/revision.html"
python3 - "$html" <<'PY' || fail "revision.html: see above"
import sys, re, xml.etree.ElementTree as ET
text = open(sys.argv[1], encoding="utf-8").read()
for m in re.finditer(r'\b(src|href)\s*=\s*"([^"]*)"', text):
    if not m.group(2).startswith("data:"):
        sys.exit("external %s: %s" % (m.group(1), m.group(2)[:80]))
if re.search(r'<(link|script)\b', text) or "@import" in text or "url(" in text:
    sys.exit("external stylesheet or script")
root = ET.fromstring(text.split("\n", 1)[1])  # after <!DOCTYPE html>
rows = root.findall(".//tbody/tr")
if len(rows) != 13:
    sys.exit("%d table rows, want 13" % len(rows))
imgs = root.findall(".//img")
if not imgs or not all(i.get("src", "").startswith("data:image/png;base64,") for i in imgs):
    sys.exit("charts are not inlined")
PY
pass "revision sheet"
