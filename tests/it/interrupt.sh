#!/usr/bin/env bash
# Ctrl-C (SIGINT) or SIGTERM at several points of multi-point runs: the run
# ends within a second, keeps whole rows in whole files, leaves no
# temporary file, and every process (and guest kernel) it started is gone.
. "$(dirname "$0")/lib.sh"
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"

# descendants PID: every process below PID, recursively.
descendants() {
	local c
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		echo "$c"
		descendants "$c"
	done
}

# interrupt SIGNAL AFTER SCRIPT [ARGS]: run, signal AFTER s after its first
# child process appears (a loaded machine may take longer to get there),
# check. The run must end promptly: the bound is generous (a busy CI host),
# the point is that it does not wait for a trial or an idle timeout.
interrupt() {
	local sig=$1 after=$2 exp=$3 out="$WORK/out-$RANDOM" pid t0 rc=0 kids k
	shift 3
	"$BIN/sockcmp" run "$SRC/tests/it/exp/$exp.exp" --out "$out" --no-plots --quiet "$@" \
		>/dev/null 2>"$WORK/err" &
	pid=$!
	for _ in $(seq 200); do
		[ -z "$(descendants "$pid")" ] || break
		sleep 0.05
	done
	sleep "$after"
	kids=$(descendants "$pid")
	[ -n "$kids" ] || fail "$exp: nothing running at ${after}s to interrupt"
	t0=$(date +%s%N)
	kill -"$sig" "$pid"
	wait "$pid" || rc=$?
	local ms=$((($(date +%s%N) - t0) / 1000000))
	[ "$ms" -le 5000 ] || fail "$exp: SIG$sig after ${after}s: took $ms ms to end"
	expect_eq "$exp: SIG$sig after ${after}s: exit status" "$rc" 130
	for k in $kids; do
		[ ! -e "/proc/$k" ] || [ "$(cat /proc/"$k"/stat 2>/dev/null | awk '{print $3}')" = Z ] ||
			fail "$exp: process $k ($(tr '\0' ' ' </proc/"$k"/cmdline)) outlived the run"
	done
	[ -z "$(ls -A "$TMPDIR")" ] || fail "$exp: left in TMPDIR: $(ls "$TMPDIR")"
	! ls "$out" 2>/dev/null | grep -q '\.tmp-' || fail "$exp: half-written files: $(ls "$out")"
	if [ -f "$out/$exp.csv" ]; then
		# Every row complete: as many fields as the header (no quoted
		# commas in these runs' rows), status 0.
		awk -F, 'NR == 1 { n = NF; next } NF != n { exit 1 }' "$out/$exp.csv" ||
			fail "$exp: a torn row in $exp.csv"
		rows=$(($(wc -l <"$out/$exp.csv") - 1))
		[ -z "$(csv_col "$out/$exp.csv" status | grep -v '^0$')" ] || fail "$exp: a failed row was kept"
	else
		rows=0
	fi
	echo "$exp: SIG$sig after ${after}s: ended in $ms ms, kept $rows whole rows"
}

interrupt INT 0.3 interrupt
interrupt INT 1.5 interrupt
interrupt TERM 2.5 interrupt
if [ -x /usr/bin/linux.uml ] && guest_bin_ok; then
	interrupt INT 0.5 interrupt-link --kernel uml   # while the guest boots
	interrupt INT 4 interrupt-link --kernel uml     # mid-sweep
	interrupt TERM 7 interrupt-link --kernel uml
fi
pass "interrupted runs"
