#!/usr/bin/env bash
# The run key as the driver hands it out (issue 7 #1): a fresh 128-bit key
# per trial, the same for both programs of a trial, in SOCKCMP_KEY and never
# on a command line; and a row whose receiver counted more distinct
# messages than the sender sent is never a success.
#
# sockcmp starts the paired programs from its own directory, so the test
# runs a copy of it beside wrappers that note what they were given and then
# run the real programs.
. "$(dirname "$0")/lib.sh"
B="$WORK/bin"
mkdir -p "$B" "$WORK/keys"
cp "$BIN/sockcmp" "$B/"
for p in stream-recv stream-send; do
	cat >"$B/$p" <<WRAP
#!/usr/bin/env bash
# Notes the key (and whether it is on the command line), then runs $p.
key=\${SOCKCMP_KEY-}
printf '%s %s\n' "\$key" "\$(printf '%s\n' "\$@" | grep -c -F -e "\${key:-none}")" \
	>"$WORK/keys/\$(date +%s%N)-$p"
if [ $p = stream-send ] && [ -n "\${OVERCOUNT-}" ]; then
	"$BIN/$p" "\$@"
	rc=\$?
	# A sender that reports 3 messages fewer than it sent: the receiver
	# then counts more distinct messages than "were sent".
	while [ \$# -gt 0 ]; do [ "\$1" = --out ] && out=\$2; shift; done
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if (\$i == "msgs") c = i }
		NR == 2 { \$c = \$c - 3 } { print }' "\$out-summary.csv" >"\$out.tmp" &&
		mv "\$out.tmp" "\$out-summary.csv"
	exit \$rc
fi
exec "$BIN/$p" "\$@"
WRAP
	chmod +x "$B/$p"
done
printf 'experiment x\ntransports tcp\nsend 20 x 100\nrecv 64k\n' >"$WORK/x.exp"

"$B/sockcmp" run "$WORK/x.exp" --repeat 3 --out "$WORK/r" --quiet --no-plots 2>"$WORK/err" ||
	fail "sockcmp exited $?: $(cat "$WORK/err")"
ls "$WORK/keys" | sort >"$WORK/order"
expect_eq "programs started" "$(wc -l <"$WORK/order")" 6
prev=
n=0
while read -r recv && read -r send; do
	n=$((n + 1))
	case "$recv" in *stream-recv) ;; *) fail "trial $n: the receiver did not start first ($recv)" ;; esac
	read -r rkey rargv <"$WORK/keys/$recv"
	read -r skey sargv <"$WORK/keys/$send"
	[[ "$rkey" =~ ^[0-9a-f]{32}$ ]] || fail "trial $n: receiver's SOCKCMP_KEY is '$rkey'"
	expect_eq "trial $n: sender's key is the receiver's" "$skey" "$rkey"
	expect_eq "trial $n: receiver argv words holding the key" "$rargv" 0
	expect_eq "trial $n: sender argv words holding the key" "$sargv" 0
	[ "$rkey" != "$prev" ] || fail "trial $n: the same key as the trial before"
	prev=$rkey
done <"$WORK/order"
expect_eq "trials" "$n" 3
[ -z "${SOCKCMP_KEY-}" ] || fail "the test itself had a key"
expect_eq "status of every row" "$(csv_col "$WORK/r/x.csv" status | sort -u)" 0
expect_eq "unique of every row" "$(csv_col "$WORK/r/x.csv" unique_msgs | sort -u)" 20
grep -q "no run key" "$WORK/err" && fail "a program ran without a key: $(cat "$WORK/err")"

rm -f "$WORK/keys/"*
rc=0
OVERCOUNT=1 "$B/sockcmp" run "$WORK/x.exp" --out "$WORK/o" --quiet --no-plots 2>"$WORK/oerr" || rc=$?
[ $rc -ne 0 ] || fail "a row with unique > sent, and sockcmp exited 0"
expect_eq "overcount: sent" "$(csv_col "$WORK/o/x.csv" sent_msgs)" 17
expect_eq "overcount: unique" "$(csv_col "$WORK/o/x.csv" unique_msgs)" 20
expect_eq "overcount: status" "$(csv_col "$WORK/o/x.csv" status)" 1
csv_col "$WORK/o/x.csv" error | grep -q "distinct messages" ||
	fail "overcount: error is '$(csv_col "$WORK/o/x.csv" error)'"
pass "run key and unique <= sent"
