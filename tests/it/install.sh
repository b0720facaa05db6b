#!/usr/bin/env bash
# issue 10's install check: `cmake --install BUILD --prefix P`, then the
# installed sockcmp, started from / with no SOCKCMP_* variable (so nothing
# can come from the source or build tree), runs the lecture's impaired-link
# claim (`lecture --only reliability`: a user-mode Linux guest here, the
# installed guest init, shim and programs) with its chart, and a loopback
# claim; the installed man pages render (it_man checks each in detail).
. "$(dirname "$0")/lib.sh"
command -v cmake >/dev/null || skip "cmake is not installed"
guest_bin_ok || skip "sanitized programs cannot run in a user-mode Linux guest (the plain build runs this test)"
cmake --install "$BIN/.." --prefix "$WORK/p" >"$WORK/install.log" 2>&1 ||
	fail "cmake --install failed: $(tail -n 5 "$WORK/install.log")"
unset SOCKCMP_EXPERIMENTS SOCKCMP_PLOTS SOCKCMP_EXAMPLES SOCKCMP_GUEST_BIN
P="$WORK/p"
# The installed tree must not point back at the build: no build path in
# what the installed sockcmp resolves (its own data, its programs).
cd /
"$P/bin/sockcmp" list >"$WORK/list" 2>&1 || fail "installed sockcmp list: $(cat "$WORK/list")"
grep -q reliability "$WORK/list" || fail "installed sockcmp lists no reliability: $(cat "$WORK/list")"

"$P/bin/sockcmp" lecture --only reliability --out "$WORK/x" >"$WORK/out" 2>"$WORK/err" ||
	fail "installed lecture --only reliability from /: $(cat "$WORK/err")"
csv="$WORK/x/reliability.csv"
[ -s "$csv" ] || fail "no reliability.csv: $(ls "$WORK/x")"
for t in tcp udp; do
	expect_eq "reliability $t status" "$(csv_col "$csv" status transport=$t)" 0
	k=$(csv_col "$csv" kernel transport=$t)
	[ "$k" = uml ] || [ "$k" = host ] || fail "reliability $t: kernel '$k'"
	[ -n "$(csv_col "$csv" link transport=$t)" ] || fail "reliability $t: no link recorded"
done
expect_eq "tcp delivers everything" "$(csv_col "$csv" recv_msgs transport=tcp)" "$(csv_col "$csv" sent_msgs transport=tcp)"
ls "$WORK/x"/*.png >/dev/null 2>&1 || fail "no chart drawn from the installed plots: $(ls "$WORK/x"; cat "$WORK/err")"
echo "installed lecture --only reliability: kernel $(csv_col "$csv" kernel transport=udp)," \
	"udp lost $(csv_col "$csv" lost transport=udp) of $(csv_col "$csv" sent_msgs transport=udp)"

"$P/bin/sockcmp" lecture --only boundaries --out "$WORK/x" >"$WORK/out" 2>"$WORK/err" ||
	fail "installed lecture --only boundaries: $(cat "$WORK/err")"
expect_eq "udp reads in boundaries" "$(csv_col "$WORK/x/boundaries.csv" recv_calls transport=udp)" 5

if command -v man >/dev/null; then
	n=0
	for page in "$P"/share/man/man*/*; do
		MANWIDTH=80 man -l "$page" >"$WORK/man" 2>"$WORK/err" || fail "man -l $page: $(cat "$WORK/err")"
		grep -q "^NAME" "$WORK/man" || fail "man -l $page shows no NAME"
		n=$((n + 1))
	done
	[ "$n" -ge 6 ] || fail "only $n man pages installed"
fi
pass "installed sockcmp from /: lecture's impaired-link claim (with its chart) and a loopback claim; $n man pages render"
