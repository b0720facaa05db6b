#!/usr/bin/env bash
# issue 7 #13: trial time limits follow from the plan. A trial whose plan
# takes 3 s is not abandoned at twice its script's 1 s timeout (the old
# limit: 2 s), and `sockcmp check` prints the expected duration.
. "$(dirname "$0")/lib.sh"
cat >"$WORK/slow.exp" <<EXP
experiment slow
transports udp
send 30 x 64
pace 100ms
recv 64k
timeout 1s
EXP
"$BIN/sockcmp" run "$WORK/slow.exp" --out "$WORK/out" --no-plots --quiet ||
	fail "the run failed: $(csv_col "$WORK/out/slow.csv" error 2>/dev/null)"
expect_eq "status" "$(csv_col "$WORK/out/slow.csv" status)" 0
expect_eq "messages received" "$(csv_col "$WORK/out/slow.csv" unique_msgs)" 30

cat >"$WORK/paced.exp" <<EXP
experiment paced
transports tcp udp
send 700 x 64
pace 100ms
recv 64k
EXP
out=$("$BIN/sockcmp" check "$WORK/paced.exp")
echo "$out"
secs=$(sed -n 's/^expected duration: about \([0-9]*\)\..*/\1/p' <<<"$out")
[ -n "$secs" ] || fail "check printed no expected duration"
# Two trials of 699 gaps of 100 ms each.
[ "$secs" -ge 139 ] && [ "$secs" -le 160 ] || fail "expected duration $secs s, want about 140"
limit=$(sed -n 's/.*abandoned after \([0-9]*\) s.*/\1/p' <<<"$out")
[ "$limit" -gt 70 ] || fail "a 70 s trial is abandoned after $limit s"
pass "time limits from the plan"
