#!/usr/bin/env bash
# Paths reach gnuplot as data, never as code (issue 7 #3). Results folders
# named like gnuplot code ('...;system(...)', '|cmd') are ordinary folders:
# charts are drawn there and nothing runs; a plain quote in a name works;
# a name gnuplot cannot take as a file name (a newline) is refused with
# exit 2 before anything runs, by run, plot and lecture alike.
. "$(dirname "$0")/lib.sh"
[ -x /usr/bin/gnuplot ] || skip "gnuplot is not installed (gnuplot-nox)"

cd "$WORK"
inject="x';system('id > PWNED');a='"
pipe='|id>PWNED;echo '
quote="it's a \"results\" \$HOME folder"

# no_pwned WHAT: fails if any PWNED file appeared (gnuplot runs commands
# in its working directory, ours, or wherever a '|cmd' says).
no_pwned() {
	local found
	found=$(find "$WORK" -name PWNED; ls -d /PWNED "$SRC/PWNED" 2>/dev/null || true)
	[ -z "$found" ] || fail "$1: gnuplot ran a command: $found"
}

# whole_charts DIR BASE...: each DIR/BASE.png is a whole PNG, .svg a whole SVG.
whole_charts() {
	local dir=$1 b
	shift
	for b in "$@"; do
		[ -s "$dir/$b.png" ] || fail "no chart $dir/$b.png; folder holds: $(ls -A "$dir")"
		[ "$(head -c 8 "$dir/$b.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
			fail "$dir/$b.png is not a PNG"
		[ "$(tail -c 8 "$dir/$b.png" | head -c 4)" = IEND ] || fail "$dir/$b.png is cut short"
		tail -c 16 "$dir/$b.svg" | grep -q '</svg>' || fail "$dir/$b.svg is not a whole SVG"
	done
}

for name in "$inject" "$pipe" "$quote"; do
	"$BIN/sockcmp" run boundaries --out "$name" --quiet 2>"$WORK/err" ||
		fail "run --out '$name': exit $?: $(cat "$WORK/err")"
	no_pwned "run --out '$name'"
	whole_charts "$name" boundaries
	rm -f "$name"/*.png "$name"/*.svg
	"$BIN/sockcmp" plot "$name" >/dev/null 2>"$WORK/err" ||
		fail "plot '$name': exit $?: $(cat "$WORK/err")"
	no_pwned "plot '$name'"
	whole_charts "$name" boundaries
done
pass "run and plot draw charts in folders named like gnuplot code, nothing runs"

# A sweep (sweep.gp, eight arguments) in a quoted folder, by absolute path.
"$BIN/sockcmp" run coalescing --out "$WORK/$quote/sweep" --quiet 2>"$WORK/err" ||
	fail "coalescing: exit $?: $(cat "$WORK/err")"
whole_charts "$WORK/$quote/sweep" coalescing-recv_calls
no_pwned "sweep"
pass "sweep charts in a quoted folder"

# Per-message charts (latency-cdf.gp, arrivals.gp) need a link run; their
# CSV files are crafted here and drawn by sockcmp plot.
rel="$WORK/$inject/rel"
mkdir -p "$rel"
{
	printf 'experiment,transport,trial,seq,t_ns,latency_ns,len,kind\r\n'
	for t in tcp udp; do
		for s in $(seq 0 49); do
			printf 'reliability,%s,1,%d,%d,%d,256,new\r\n' $t $s $((s * 1000000 + 500000)) $((500000 + s * 10000))
		done
		printf 'reliability,%s,1,7,60000000,900000,256,dup\r\n' $t
	done
} >"$rel/reliability-messages.csv"
printf 'experiment,transport,trial,side,call,t_ns,requested,returned,first_seq,last_seq,flags,offset\r\n' \
	>"$rel/reliability-events.csv"
"$BIN/sockcmp" plot "$rel" >/dev/null 2>"$WORK/err" || fail "plot $rel: exit $?: $(cat "$WORK/err")"
whole_charts "$rel" reliability-latency reliability-arrivals
no_pwned "per-message charts"
pass "latency and arrival charts in a folder named like gnuplot code"

# Refused: a newline in the name, for every command; nothing is run or made.
nl=$'bad\nname'
for cmd in "run boundaries" "lecture"; do
	rc=0
	"$BIN/sockcmp" $cmd --out "$WORK/$nl" --quiet >/dev/null 2>"$WORK/err" || rc=$?
	expect_eq "$cmd --out with a newline: exit status" "$rc" 2
	[ "$(wc -l <"$WORK/err")" -eq 1 ] || fail "$cmd: want one line of error, got: $(cat "$WORK/err")"
	[ ! -e "$WORK/$nl" ] || fail "$cmd: made the refused folder"
done
mkdir "$WORK/$nl"
rc=0
"$BIN/sockcmp" plot "$WORK/$nl" >/dev/null 2>"$WORK/err" || rc=$?
expect_eq "plot DIR with a newline: exit status" "$rc" 2
# A folder reached through a symlink whose target has a newline.
ln -s "$WORK/$nl" "$WORK/link"
rc=0
"$BIN/sockcmp" run boundaries --out "$WORK/link" --quiet >/dev/null 2>"$WORK/err" || rc=$?
expect_eq "run --out through a link to a name with a newline: exit status" "$rc" 2
[ -z "$(ls -A "$WORK/$nl")" ] || fail "a refused run wrote: $(ls -A "$WORK/$nl")"
no_pwned "refusals"
pass "names gnuplot cannot take are refused with exit 2 before anything runs"
