#!/usr/bin/env bash
# issue 7 #10: Ctrl-C on a sweep. The "N finished trials kept" count is
# true, and every finished trial keeps all its files: its row in NAME.csv,
# its calls in NAME-events.csv (both sides), its messages in
# NAME-messages.csv (as many as it received), and its share of
# NAME-aggregate.csv. A loss-free loopback sweep, SIGINT mid-way.
. "$(dirname "$0")/lib.sh"
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"
out="$WORK/out"

# rows_in FILE: data rows in FILE (0 if it does not exist yet).
rows_in() { [ -f "$1" ] && echo $(($(wc -l <"$1") - 1)) || echo 0; }

# kept EXP SWEPT AFTER [ARGS]: run EXP, SIGINT after AFTER s (or, if AFTER
# is rN, once N rows are in NAME.csv), check the files against the count.
kept() {
	local exp=$1 swept=$2 after=$3 pid rc=0 n rows i
	shift 3
	rm -rf "$out"
	"$BIN/sockcmp" run "$SRC/tests/it/exp/$exp.exp" --out "$out" --no-plots --quiet "$@" \
		>/dev/null 2>"$WORK/err" &
	pid=$!
	if [ "${after#r}" != "$after" ]; then
		for i in $(seq 1 1200); do
			[ "$(rows_in "$out/$exp.csv")" -lt "${after#r}" ] || break
			kill -0 "$pid" 2>/dev/null || fail "$exp ended before it could be interrupted"
			sleep 0.2
		done
	else
		sleep "$after"
	fi
	kill -INT "$pid"
	wait "$pid" || rc=$?
	expect_eq "SIGINT after ${after}: exit status" "$rc" 130
	n=$(sed -n 's/.*interrupted; \([0-9]*\) finished trials kept.*/\1/p' "$WORK/err")
	[ -n "$n" ] || fail "no count of kept trials; stderr: $(cat "$WORK/err")"
	[ "$n" -gt 0 ] || fail "SIGINT after ${after}: no trial had finished; interrupt later"
	rows=$(($(wc -l <"$out/$exp.csv") - 1))
	expect_eq "SIGINT after ${after}: rows in $exp.csv" "$rows" "$n"
	# Every kept trial (transport, trial, point) has both sides' events and
	# exactly its received messages, and no other trial has any.
	csv_col "$out/$exp.csv" transport >"$WORK/t"
	csv_col "$out/$exp.csv" trial >"$WORK/k"
	csv_col "$out/$exp.csv" "$swept" >"$WORK/c"
	paste -d, "$WORK/t" "$WORK/k" "$WORK/c" | sort >"$WORK/keys"
	for side in send recv; do
		paste -d, <(csv_col "$out/$exp-events.csv" transport side=$side) \
			<(csv_col "$out/$exp-events.csv" trial side=$side) \
			<(csv_col "$out/$exp-events.csv" "$swept" side=$side) | sort -u >"$WORK/ev"
		diff "$WORK/keys" "$WORK/ev" >/dev/null ||
			fail "SIGINT after ${after}: trials with $side events differ from the rows: $(diff "$WORK/keys" "$WORK/ev" | head -5)"
	done
	paste -d, <(csv_col "$out/$exp-messages.csv" transport) <(csv_col "$out/$exp-messages.csv" trial) \
		<(csv_col "$out/$exp-messages.csv" "$swept") | sort | uniq -c |
		awk '{print $2 "," $1}' >"$WORK/msgs"
	paste -d, "$WORK/t" "$WORK/k" "$WORK/c" <(csv_col "$out/$exp.csv" recv_msgs) | sort >"$WORK/want"
	diff "$WORK/want" "$WORK/msgs" >/dev/null ||
		fail "SIGINT after ${after}: messages per trial differ from recv_msgs: $(diff "$WORK/want" "$WORK/msgs" | head -5)"
	[ -f "$out/$exp-aggregate.csv" ] || fail "SIGINT after ${after}: no $exp-aggregate.csv"
	# The aggregate leaves failed trials out.
	expect_eq "SIGINT after ${after}: trials in the aggregate" \
		"$(csv_col "$out/$exp-aggregate.csv" trials | awk '{s += $1} END {print s + 0}')" \
		"$(csv_col "$out/$exp.csv" status | grep -c '^0$')"
	echo "$exp: SIGINT after ${after}: $n trials kept, rows, events, messages and aggregate agree"
}

kept interrupt count r2
kept interrupt count r7
if [ -x /usr/bin/linux.uml ] && guest_bin_ok; then
	kept interrupt-delay delay r3 --kernel uml
else
	echo "no user-mode Linux here: the guest's run was not interrupted"
fi
pass "interrupted sweeps keep every finished trial's files"
