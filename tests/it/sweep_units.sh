#!/usr/bin/env bash
# Swept values in one unit: `sweep pace 0 100us 1ms` is 0, 100000, 1000000
# ns in the aggregate's new x_ns column (the old x column kept 0, 100, 1,
# and the chart zigzagged back), and the chart's x axis names its unit.
. "$(dirname "$0")/lib.sh"
[ -x /usr/bin/gnuplot ] || skip "gnuplot not installed"
cat >"$WORK/pace.exp" <<'EXP'
experiment pace-units
transports udp
send 5 x 64
sweep pace 0 100us 1ms
recv 64
EXP
"$BIN/sockcmp" run "$WORK/pace.exp" -o "$WORK/out" -q || fail "run failed"
agg="$WORK/out/pace-units-aggregate.csv"
expect_eq "x_ns" "$(csv_col "$agg" x_ns | tr '\n' ' ')" "0.000 100000.000 1000000.000 "
expect_eq "old x column kept" "$(csv_col "$agg" x | tr '\n' ' ')" "0.000 100.000 1.000 "
svg="$WORK/out/pace-units-recv_calls.svg"
[ -s "$svg" ] || fail "no chart $svg"
grep -q "pace (ms" "$svg" || fail "the chart's x axis does not name its unit: $(grep -o 'pace[^<]*' "$svg" | head -3)"
py "$WORK/out/pace-units.json" <<'PY' || fail "JSON sweep values"
import json, sys
d = json.load(open(sys.argv[1]))
check(d["settings"]["sweep"]["unit"] == "ns" and d["settings"]["sweep"]["x"] == [0, 100000, 1000000], d["settings"]["sweep"])
check([r["x"] for r in d["rows"]] == [0, 100000, 1000000], [r["x"] for r in d["rows"]])
PY
pass "sweep values in one unit"
