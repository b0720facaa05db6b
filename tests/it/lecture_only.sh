#!/usr/bin/env bash
# `sockcmp lecture --only NAME`: one claim live, a probe or an experiment,
# into the lecture's folder; a name that is neither is refused.
. "$(dirname "$0")/lib.sh"
out="$WORK/lecture"
"$BIN/sockcmp" lecture --only boundaries --no-plots --out "$out" >"$WORK/stdout" 2>"$WORK/stderr" ||
	fail "--only boundaries exited $?: $(cat "$WORK/stderr")"
expect_eq "udp reads in boundaries" "$(csv_col "$out/boundaries.csv" recv_calls transport=udp)" 5
! ls "$out" | grep -q '\.png$' || fail "--no-plots drew charts: $(ls "$out")"
[ ! -e "$out/SUMMARY.md" ] || fail "--only ran the whole lecture"
if unshare -n true 2>/dev/null; then
	"$BIN/sockcmp" lecture --only byte-order --out "$out" >"$WORK/stdout" 2>"$WORK/stderr" ||
		fail "--only byte-order exited $?: $(cat "$WORK/stderr")"
	[ -s "$out/byte-order.csv" ] || fail "no byte-order.csv"
	grep -q '^  confirmed: ' "$WORK/stdout" || fail "no verdict printed: $(cat "$WORK/stdout")"
fi
set +e
"$BIN/sockcmp" lecture --only no-such-claim --out "$out" >/dev/null 2>"$WORK/stderr"
rc=$?
set -e
expect_eq "unknown claim: exit" "$rc" 2
grep -q "sockcmp list" "$WORK/stderr" || fail "unknown claim: $(cat "$WORK/stderr")"
pass "lecture --only"
