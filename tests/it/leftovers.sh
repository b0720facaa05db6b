#!/usr/bin/env bash
# What runs killed with kill -9 left behind, by this version (its watchdog
# killed too) or by older ones, is removed by the next run, and only that:
# named namespaces sc<PID>a/b of dead PIDs (older versions made them with
# `ip netns add`), temporary folders of dead runs of this boot, and older
# versions' folders idle for hours; a live run's folder, a live PID's
# namespace and a stranger's lookalike folder stay.
. "$(dirname "$0")/lib.sh"
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"
boot=$(head -c 8 /proc/sys/kernel/random/boot_id)
true &
dead=$!
wait "$dead"
[ ! -e /proc/"$dead" ] || skip "PID $dead was reused at once"

mk() { mkdir -p "$1/$(dirname "$2")" && touch "$1/$2"; }
mk "$TMPDIR/sockcmp-$boot-$dead-abcdef" t1-recv-summary.csv     # dead run: removed
mk "$TMPDIR/sc-uml-$boot-$dead-ghijkl" job/cmd                   # dead run's guest dir: removed
mk "$TMPDIR/sockcmp-$boot-$$-mnopqr" t1-recv.err                 # live PID: kept
mk "$TMPDIR/sockcmp-Ab3dEf" t4-send.err                          # older version, idle: removed
touch -d '-3 hours' "$TMPDIR/sockcmp-Ab3dEf/t4-send.err" "$TMPDIR/sockcmp-Ab3dEf"
mk "$TMPDIR/sockcmp-Gh5jKl" t2-recv.err                          # older version, recent: kept
mk "$TMPDIR/sockcmp-backup" notes.txt                            # a stranger's: kept
touch -d '-3 hours' "$TMPDIR/sockcmp-backup/notes.txt" "$TMPDIR/sockcmp-backup"

ns=()
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null && ip netns add "sc${dead}a" 2>/dev/null; then
	ns=("sc${dead}a" "sc${dead}b" "sc$$a")
	cleanup_hooks+=("ip netns del sc${dead}a 2>/dev/null" "ip netns del sc${dead}b 2>/dev/null" "ip netns del sc$$a 2>/dev/null")
	ip netns add "sc${dead}b"
	ip netns add "sc$$a"
fi

"$BIN/sockcmp" run "$SRC/tests/it/exp/kill9.exp" --repeat 1 --transports udp --out "$WORK/out" --no-plots \
	--quiet 2>"$WORK/err" || fail "the run failed: $(cat "$WORK/err")"

for d in "sockcmp-$boot-$dead-abcdef" "sc-uml-$boot-$dead-ghijkl" sockcmp-Ab3dEf; do
	[ ! -e "$TMPDIR/$d" ] || fail "left: $d"
done
for d in "sockcmp-$boot-$$-mnopqr" sockcmp-Gh5jKl sockcmp-backup; do
	[ -e "$TMPDIR/$d" ] || fail "removed what is not a leftover: $d"
done
[ "$(ls "$TMPDIR" | wc -l)" = 3 ] || fail "the run left something of its own: $(ls "$TMPDIR")"
if [ ${#ns[@]} -gt 0 ]; then
	[ ! -e "/run/netns/sc${dead}a" ] && [ ! -e "/run/netns/sc${dead}b" ] || fail "dead run's namespaces left: $(ls /run/netns)"
	[ -e "/run/netns/sc$$a" ] || fail "removed the namespace of a live PID"
	echo "namespaces of dead PID $dead removed, sc$$a kept"
else
	echo "namespaces not tried (not root, or no ip netns here)"
fi
pass "leftovers of dead runs removed, nothing else"
