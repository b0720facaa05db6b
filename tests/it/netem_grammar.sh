#!/usr/bin/env bash
# sockcmp's netem grammar (sc_netem_check_args) never accepts what tc's own
# parser refuses: each netem string `sockcmp check --link` takes is handed
# to tc in a private network namespace, where a parse error exits non-zero before
# tc talks to the kernel (which then may well say it has no netem: exit 2,
# "qdisc kind is unknown"). A string sockcmp refuses is allowed to pass tc
# (sockcmp is stricter: units on every number, no clause twice). "seed" is
# left out: only iproute2 6.x knows it, and tc has the last word anyway.
. "$(dirname "$0")/lib.sh"
command -v tc >/dev/null || skip "no tc (iproute2) here"
unshare -rn true 2>/dev/null || skip "cannot make a user and network namespace to run tc in"
printf 'experiment x\ntransports udp\nsend 44\nrecv 1\n' >"$WORK/ok.exp"
accepted=(
	"loss 5%" "loss 5% delay 10ms reorder 25% duplicate 2%" "delay 10ms 2ms 25% distribution normal"
	"distribution paretonormal delay 10ms 1ms" "latency 1.5ms loss random 1% 25%" "drop 1%"
	"loss state 1% 2% 3% 4% 5%" "loss gemodel 1% 10% 70% 0.1% rate 1mbit"
	"delay 10ms reorder 25% 50% gap 5" "rate 10mbit -20 64 -4 limit 1000"
	"slot 1ms 10ms packets 5 bytes 1500" "slot distribution pareto 1ms 1ms packets 5"
	"delay 0 loss 1% ecn" "delay 10msec" "delay 60s" "reorder 0% delay 0ms"
	"corrupt 0.1% 10%" "duplicate 100%" "rate 500kbit" "rate 1Gbit" "limit 4294967295"
)
refused=("loss 5% delay" "loss 5% delay banana" "reorder 25%" "distribution normal"
	"slot distribution normal 1ms" "rate fast" "lose 5%")
n=0
for a in "${accepted[@]}"; do
	"$BIN/sockcmp" check "$WORK/ok.exp" --link "$a" >/dev/null 2>"$WORK/err" ||
		fail "sockcmp refuses '$a': $(cat "$WORK/err")"
	rc=0
	# shellcheck disable=SC2086 # tc gets the words, as sockcmp hands them over
	unshare -rn tc qdisc add dev lo root netem $a >/dev/null 2>"$WORK/tc" || rc=$?
	[ "$rc" -eq 0 ] || { [ "$rc" -eq 2 ] && grep -q "qdisc kind is unknown" "$WORK/tc"; } ||
		fail "sockcmp accepts '$a' but tc's parser refuses it (exit $rc): $(head -n 1 "$WORK/tc")"
	n=$((n + 1))
done
for r in "${refused[@]}"; do
	rc=0
	"$BIN/sockcmp" check "$WORK/ok.exp" --link "$r" >/dev/null 2>"$WORK/err" || rc=$?
	expect_eq "sockcmp check --link '$r': exit" "$rc" 2
	grep -q "^sockcmp: --link: " "$WORK/err" || fail "'$r': '$(cat "$WORK/err")'"
	rc=0
	# shellcheck disable=SC2086
	unshare -rn tc qdisc add dev lo root netem $r >/dev/null 2>"$WORK/tc" || rc=$?
	[ "$rc" -ne 0 ] && ! grep -q "qdisc kind is unknown" "$WORK/tc" ||
		fail "sockcmp refuses '$r', and so should tc's parser (exit $rc): $(head -n 1 "$WORK/tc")"
done
pass "netem grammar: $n strings sockcmp accepts, tc's parser accepts too; ${#refused[@]} both refuse"
