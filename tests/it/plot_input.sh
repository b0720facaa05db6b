#!/usr/bin/env bash
# sockcmp plot reads CSV files anyone may have edited (issue 7 #15): a
# messages file of 15-byte rows overflowed the latency buffer (sized from
# the file's length, len/16). Hostile files are read under valgrind (or
# ASan in a sanitized build): no memory error, and a clear exit status (0
# drawn, 1 not) either way.
. "$(dirname "$0")/lib.sh"
# A sanitized build finds memory errors itself (and cannot run under
# valgrind); a plain one runs under valgrind.
vg=(valgrind --error-exitcode=99 --log-file="$WORK/vg.log")
# grep without -q reads all of ldd's output: with pipefail, -q quitting early
# could SIGPIPE ldd and make a sanitized build look plain.
if ldd "$BIN/sockcmp" 2>/dev/null | grep libasan >/dev/null; then
	vg=()
else
	command -v valgrind >/dev/null || skip "valgrind is not installed (./run installs it)"
fi

# plot_vg WHAT DIR WANT: sockcmp plot DIR (under valgrind) exits WANT
# without any memory error.
plot_vg() {
	local rc=0
	: >"$WORK/vg.log"
	"${vg[@]}" "$BIN/sockcmp" plot "$2" >/dev/null 2>"$WORK/err" || rc=$?
	! grep -q 'Invalid\|uninitialised\|valgrind:' "$WORK/vg.log" || fail "$1: memory error: $(head -n 20 "$WORK/vg.log")"
	! grep -q 'Sanitizer' "$WORK/err" || fail "$1: memory error: $(head -n 20 "$WORK/err")"
	expect_eq "$1: exit status ($(head -c 600 "$WORK/err"))" "$rc" "$3"
}

# messages DIR: starts DIR with an events file (plot looks for those) and
# a messages header.
messages() {
	mkdir -p "$1"
	printf 'experiment,transport,trial,side,call,t_ns,requested,returned,first_seq,last_seq,flags,offset\r\n' \
		>"$1/reliability-events.csv"
	printf 'experiment,transport,trial,seq,t_ns,latency_ns,len,kind\n' >"$1/reliability-messages.csv"
}

# 15-byte rows (",tcp,1,,,,,new\n"): eight fields, fewer bytes than the
# reader's guess of 16 per row. Nothing in them can be drawn: exit 1.
messages "$WORK/short"
for i in $(seq 1 3000); do printf ',tcp,1,,,,,new\n'; done >>"$WORK/short/reliability-messages.csv"
plot_vg "15-byte rows" "$WORK/short" 1

# Short rows that can be drawn, for both transports (empty experiment
# and len columns).
messages "$WORK/dense"
for i in $(seq 1 1500); do
	printf ',tcp,1,%d,%d,%d,,new\n,udp,1,%d,%d,%d,,new\n' $((i % 200)) $((i * 1000)) $((i * 1000)) \
		$((i % 200)) $((i * 1000)) $((i * 500))
done >>"$WORK/dense/reliability-messages.csv"
plot_vg "short rows" "$WORK/dense" 0
[ -s "$WORK/dense/reliability-latency.png" ] || fail "short rows: no latency chart"

# Missing columns, ragged rows, unbalanced quotes, no header at all.
messages "$WORK/ragged"
printf 'a,tcp\n"unterminated,tcp,1\n,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n' \
	>>"$WORK/ragged/reliability-messages.csv"
plot_vg "ragged rows" "$WORK/ragged" 1
printf 'transport,kind\ntcp,new\n' >"$WORK/ragged/reliability-messages.csv"
plot_vg "missing columns" "$WORK/ragged" 1
grep -q 'not a messages file' "$WORK/err" || fail "missing columns: no clear message: $(cat "$WORK/err")"
: >"$WORK/ragged/reliability-messages.csv"
plot_vg "empty file" "$WORK/ragged" 1
pass "hostile messages files: no memory error, exit 0 or 1"
