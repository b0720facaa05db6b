#!/usr/bin/env bash
# Issue 7 #1 and #7: an unprivileged user on the same machine reads the
# receiver's /proc/PID/cmdline and /proc/PID/environ and forges messages
# and end markers with all it can learn. Everything it sends counts as
# foreign; the row keeps unique <= sent, the sender's own count, and the
# true loss.
. "$(dirname "$0")/lib.sh"
H="$BIN/../tests/sc-hostile"
[ -x "$H" ] || fail "no $H"
[ "$(id -u)" = 0 ] || skip "the attacker runs as uid 65534 through setpriv, which needs root"
command -v setpriv >/dev/null || skip "no setpriv (util-linux)"
attacker() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
attacker test -x "$H" || skip "uid 65534 cannot run $H (a private build directory)"
SOCKCMP_KEY=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export SOCKCMP_KEY
token=4711

for t in udp tcp; do
	prog=datagram
	[ $t = tcp ] && prog=stream
	"$BIN/$prog-recv" --token $token --rcvbuf 1M --out "$WORK/$t" >"$WORK/${t}l" 2>"$WORK/${t}err" &
	rpid=$!
	PIDS+=("$rpid")
	addr=$(wait_listen "$WORK/${t}l")
	attacker "$H" forge $t "$addr" "$rpid" 300 >"$WORK/${t}h" || fail "$t attacker failed"
	read -r _ foreign _ _ _ _ _ _ _ found _ seen <"$WORK/${t}h"
	expect_eq "$t: token the attacker read off the command line" "$seen" $token
	expect_eq "$t: key the attacker found in /proc/$rpid/environ" "$found" unreadable
	# Paced, so the loopback socket buffer never overflows: any loss
	# would be the forger's doing.
	"$BIN/$prog-send" --to "$addr" --token $token --send "200 x 200" --pace 200us \
		--out "$WORK/${t}s" --quiet ||
		fail "real $t sender failed"
	wait "$rpid" || fail "$t receiver exited $?: $(cat "$WORK/${t}err")"
	r="$WORK/$t-summary.csv"
	expect_eq "$t foreign" "$(csv_col "$r" foreign)" "$foreign"
	expect_eq "$t unique" "$(csv_col "$r" unique_msgs)" 200
	expect_eq "$t msgs" "$(csv_col "$r" msgs)" 200
	expect_eq "$t duplicated" "$(csv_col "$r" duplicated)" 0
	expect_eq "$t reordered" "$(csv_col "$r" reordered)" 0
	expect_eq "$t lost" "$(csv_col "$r" lost)" 0
	expect_eq "$t socket buffer drops" "$(csv_col "$r" rxq_drops)" 0
	expect_eq "$t malformed" "$(csv_col "$r" malformed)" 0
	if [ $t = udp ]; then
		expect_eq "udp sender_total (forged end markers ignored)" "$(csv_col "$r" sender_total)" 200
	fi
done

# A standalone receiver with no key says so, and trusts only the first
# sender's address: a stranger's datagrams (sealed with the public key)
# that come later are foreign.
unset SOCKCMP_KEY
"$BIN/datagram-recv" --out "$WORK/nokey" >"$WORK/nl" 2>"$WORK/nerr" &
rpid=$!
PIDS+=("$rpid")
addr=$(wait_listen "$WORK/nl")
grep -q "WARNING: no run key" "$WORK/nerr" || fail "no warning without a key: $(cat "$WORK/nerr")"
"$BIN/datagram-send" --to "$addr" --send "1 x 100" --pause 2s --send "99 x 100" \
	--out "$WORK/nks" --quiet &
spid=$!
PIDS+=("$spid")
sleep 1
attacker "$H" forge udp "$addr" "$rpid" 100 >"$WORK/nh" || fail "attacker failed"
read -r _ foreign _ <"$WORK/nh"
wait "$spid" || fail "real sender failed"
wait "$rpid" || fail "receiver exited $?: $(cat "$WORK/nerr")"
r="$WORK/nokey-summary.csv"
expect_eq "no key: foreign" "$(csv_col "$r" foreign)" "$foreign"
expect_eq "no key: unique" "$(csv_col "$r" unique_msgs)" 100
expect_eq "no key: sender_total" "$(csv_col "$r" sender_total)" 100
expect_eq "no key: lost" "$(csv_col "$r" lost)" 0
pass "forgery by another user"
