#!/usr/bin/env bash
# The main job: `sockcmp lecture` writes every experiment's CSV, charts and
# SUMMARY.md, prints the tables and verdicts, and the verdicts match what
# was measured.
. "$(dirname "$0")/lib.sh"
guest_bin_ok || skip "sanitized programs cannot run in the guest and there is no plain build in SOCKCMP_GUEST_BIN"
out="$WORK/lecture"
"$BIN/sockcmp" lecture --out "$out" >"$WORK/stdout" 2>"$WORK/stderr" ||
	fail "sockcmp lecture exited $?: $(cat "$WORK/stderr")"
for e in boundaries boundaries-now waitall truncation overflow reliability; do
	for f in "$e.csv" "$e-events.csv" "$e-messages.csv"; do
		[ -s "$out/$f" ] || fail "no $f"
	done
done
for f in boundaries.png boundaries.svg reliability-latency.png reliability-arrivals.svg SUMMARY.md; do
	[ -s "$out/$f" ] || fail "no $f"
done
! ls "$out" | grep -q '\.tmp-' || fail "temporary files left: $(ls "$out")"
grep -q "The lecture's claims, measured:" "$WORK/stdout" || fail "no verdicts on the terminal"
# Verdicts follow the numbers: the stream claim is confirmed exactly when
# every stream row of 'boundaries' read everything in one call.
ones=$(csv_col "$out/boundaries.csv" recv_calls transport=tcp)
if [ "$ones" = 1 ]; then
	grep -q "^| stream: the receiver gets all the requested bytes in the correct order | boundaries | confirmed" \
		"$out/SUMMARY.md" || fail "boundaries verdict does not follow its measurement"
fi
lost=$(csv_col "$out/reliability.csv" lost transport=udp)
grep -q "udp lost $lost of 2000" "$out/SUMMARY.md" || fail "reliability verdict does not quote the measured loss ($lost)"
expect_eq "tcp lost on the impaired link" "$(csv_col "$out/reliability.csv" lost transport=tcp)" 0
# The built-in probes and the lecture's programs ran too, each with its CSV
# and a verdict in SUMMARY.md (their own tests: it_probe_*).
if unshare -n true 2>/dev/null; then
	expect_eq "probe verdicts" "$(( $(wc -l <"$out/probes.csv") - 1 ))" "$("$BIN/sockcmp" list | grep -c '(built-in probe)')"
	! grep -q ',not measured,' "$out/probes.csv" || fail "a probe could not measure: $(grep ',not measured,' "$out/probes.csv")"
	for p in $(csv_col "$out/probes.csv" probe); do
		[ "$p" = programs ] || [ -s "$out/$p.csv" ] || fail "probe $p wrote no $p.csv"
	done
	expect_eq "pairings that exchanged" "$(csv_col "$out/programs.csv" exchanged | grep -c '^yes$')" 11
	grep -q "^## The lecture's other claims (built-in probes)" "$out/SUMMARY.md" || fail "no probe section in SUMMARY.md"
	grep -q "^| server | client | server saw" "$out/SUMMARY.md" || fail "no programs table in SUMMARY.md"
fi
pass "sockcmp lecture"
