#!/usr/bin/env bash
# Two runs share one --out; one is interrupted with SIGINT while the other
# is mid-run (issue 7 #9). A run removes only its own temporary files:
# other runs' temporary files (planted, so they are there at that moment)
# survive, and the other run completes with exit 0 and all its files. The
# interrupted run is a loopback one and a user-mode Linux one (whose
# clean-up after a stopped guest removed every "NAME*.tmp-*" it found).
. "$(dirname "$0")/lib.sh"
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"
out="$WORK/out"
mkdir "$out"

# A loopback experiment whose name starts with the interrupted one's, so
# that a clean-up by name prefix would reach its files; long enough
# (two transports x 3000 messages at 1 ms) to be mid-run at the signal.
cat >"$WORK/interrupt-link-local.exp" <<'EOF'
experiment  interrupt-link-local
transports  tcp udp
send        3000 x 100
pace        1ms
recv        64k
EOF

# pair INTERRUPTED-ARGS...: runs the long experiment, interrupts a second
# run on the same --out, and checks the long one.
pair() {
	local b a rcb=0 rca=0 f
	# Named temporary files (as without O_TMPFILE), for the other to see.
	SOCKCMP_NO_TMPFILE=1 "$BIN/sockcmp" run "$WORK/interrupt-link-local.exp" --out "$out" --quiet \
		>/dev/null 2>"$WORK/b.err" &
	b=$!
	PIDS+=("$b")
	sleep 1
	# Temporary files of other runs, as they may be at any moment: an
	# older version's NAME.tmp-PID and another run's NAME.tmp-TAG-RANDOM.
	planted=("$out/interrupt-link-local-events.csv.tmp-$$"
		"$out/interrupt-link-local.csv.tmp-0123456789ab-0123456789ab")
	for f in "${planted[@]}"; do echo "another run's" >"$f"; done
	"$BIN/sockcmp" run "$@" --out "$out" --no-plots --quiet >/dev/null 2>"$WORK/a.err" &
	a=$!
	PIDS+=("$a")
	sleep 2
	kill -INT "$a"
	wait "$a" || rca=$?
	expect_eq "interrupted run ($*): exit status ($(cat "$WORK/a.err"))" "$rca" 130
	for f in "${planted[@]}"; do
		[ "$(cat "$f" 2>/dev/null)" = "another run's" ] || fail "$*: the interrupted run removed $f"
	done
	rm -f "${planted[@]}"
	wait "$b" || rcb=$?
	expect_eq "the other run: exit status ($(cat "$WORK/b.err"))" "$rcb" 0
	for f in interrupt-link-local.csv interrupt-link-local-events.csv interrupt-link-local-messages.csv \
		interrupt-link-local-aggregate.csv interrupt-link-local.png interrupt-link-local.svg; do
		[ -s "$out/$f" ] || fail "$*: the other run lost $f; the folder holds: $(ls "$out")"
	done
	expect_eq "rows of the other run" "$(($(wc -l <"$out/interrupt-link-local.csv") - 1))" 2
	! ls "$out" | grep -q '\.tmp-' || fail "$*: temporary files left: $(ls "$out")"
	rm -f "$out"/*
}

pair "$SRC/tests/it/exp/long.exp"
pass "a loopback run interrupted beside another: the other keeps all its files"
if [ -x /usr/bin/linux.uml ] && guest_bin_ok; then
	pair "$SRC/tests/it/exp/interrupt-link.exp" --kernel uml
	pass "a user-mode Linux run interrupted beside another: the other keeps all its files"
else
	echo "note: user-mode Linux not available, the guest case was not run" >&2
fi
