#!/usr/bin/env bash
# AF_UNIX receivers and socket files they did not create (issue 7 #5): a
# path where another user's socket is live is refused and left alone, and
# at the end a receiver removes its own socket file only, never one that
# replaced it. A stale socket file (nobody listening) is still reused.
. "$(dirname "$0")/lib.sh"
A="$BIN/../tests/sc-sockattack"
[ -x "$A" ] || fail "no $A"
# An array, not only a function: a function run in the background is a
# subshell, and killing it would leave the attacker running.
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
nobody() { "${NOBODY[@]}" "$@"; }
[ "$(id -u)" = 0 ] || skip "needs root to run the other user as uid 65534"
rc=0; nobody "$A" 2>/dev/null || rc=$?
[ $rc = 2 ] || skip "uid 65534 cannot run $A (build tree not readable?)"
# A shared, non-sticky folder: anyone may create and remove files in it.
chmod 711 "$WORK"
mkdir -m 777 "$WORK/pub"
P=$WORK/pub

# hold NAME TYPE [accept]: uid 65534 binds a live socket at $P/NAME.
hold() {
	"${NOBODY[@]}" "$A" unix-hold "$P/$1" "$2" ${3:-} >"$WORK/$1.hold" 2>&1 &
	PIDS+=("$!")
	for i in $(seq 1 250); do grep -q '^ready' "$WORK/$1.hold" && return 0; sleep 0.02; done
	fail "holder of $1 never got ready: $(cat "$WORK/$1.hold")"
}

# A live socket of another user, of each kind, under each receiver.
for c in "stream-recv unix-stream stream" "datagram-recv unix-dgram dgram" \
	"datagram-recv unix-seqpacket seqpacket" "stream-recv unix-stream dgram"; do
	read -r prog t type <<<"$c"
	name=live-$t-$type
	hold "$name" "$type"
	ino=$(stat -c %i "$P/$name")
	rc=0
	"$BIN/$prog" --listen "unix:$P/$name" --transport "$t" --wait 1s --out "$WORK/$name" --quiet \
		>"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
	[ $rc = 1 ] || fail "$t receiver on another user's live $type socket exited $rc: $(cat "$WORK/$name.err")"
	grep -q 'in use' "$WORK/$name.err" || fail "$t: no clear reason: $(cat "$WORK/$name.err")"
	[ -S "$P/$name" ] || fail "$t receiver removed another user's live $type socket"
	expect_eq "$t: inode of the other user's $type socket" "$(stat -c %i "$P/$name")" "$ino"
done
pass "a live socket of another user is refused and kept"

# A receiver whose socket file was replaced while it ran leaves the new one.
"$BIN/stream-recv" --listen "unix:$P/r" --wait 30s --out "$WORK/r" --quiet >"$WORK/rl" 2>"$WORK/rerr" &
rpid=$!
PIDS+=("$rpid")
wait_listen "$WORK/rl" >/dev/null
nobody rm "$P/r"
hold r stream
ino=$(stat -c %i "$P/r")
kill -TERM "$rpid"
rc=0
wait "$rpid" || rc=$?
[ -S "$P/r" ] || fail "the receiver removed the socket that replaced its own (exit $rc)"
expect_eq "inode of the replacing socket" "$(stat -c %i "$P/r")" "$ino"
pass "only the run's own socket file is removed"

# A stale socket file (its owner is gone) of our own is reused, and the
# receiver removes its own file at the end.
"$A" unix-hold "$WORK/stale" dgram >"$WORK/stale.hold" &
hpid=$!
for i in $(seq 1 250); do grep -q '^ready' "$WORK/stale.hold" && break; sleep 0.02; done
kill "$hpid"
wait "$hpid" || true
[ -S "$WORK/stale" ] || fail "no stale socket to test with"
"$BIN/datagram-recv" --listen "unix:$WORK/stale" --token 9 --out "$WORK/s" --quiet >"$WORK/sl" 2>"$WORK/serr" &
rpid=$!
PIDS+=("$rpid")
wait_listen "$WORK/sl" >/dev/null
"$BIN/datagram-send" --to "unix:$WORK/stale" --token 9 --send "10 x 100" --out "$WORK/ss" --quiet ||
	fail "sender to the reused path failed"
wait "$rpid" || fail "receiver on a stale path exited $?: $(cat "$WORK/serr")"
expect_eq "msgs over the reused path" "$(csv_col "$WORK/s-summary.csv" unique_msgs)" 10
[ ! -e "$WORK/stale" ] || fail "the receiver left its own socket file behind"
pass "a stale socket file is reused and the run's own file removed"
