#!/usr/bin/env bash
# Hostile and foreign traffic at running receivers (all on loopback): they
# never crash, count it as foreign or malformed, and their measurements of
# the real sender's traffic stay exact. The run key travels in SOCKCMP_KEY,
# as the driver passes it.
. "$(dirname "$0")/lib.sh"
H="$BIN/../tests/sc-hostile"
[ -x "$H" ] || fail "no $H"
token=31337
SOCKCMP_KEY=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export SOCKCMP_KEY

# Datagrams from an insider (it holds the key): broken messages of every
# kind, forged end markers, and a replay of the real message 0.
"$BIN/datagram-recv" --token $token --read 2k --out "$WORK/u" --quiet >"$WORK/ul" 2>"$WORK/uerr" &
rpid=$!
PIDS+=("$rpid")
addr=$(wait_listen "$WORK/ul")
read -r _ foreign _ malformed _ corrupted _ dup < <("$H" udp "$addr" $token)
"$BIN/datagram-send" --to "$addr" --token $token --send "100 x 200" --out "$WORK/us" --quiet ||
	fail "real udp sender failed"
wait "$rpid" || fail "udp receiver exited $?: $(cat "$WORK/uerr")"
r="$WORK/u-summary.csv"
expect_eq "udp foreign" "$(csv_col "$r" foreign)" "$foreign"
expect_eq "udp malformed" "$(csv_col "$r" malformed)" "$malformed"
expect_eq "udp corrupted" "$(csv_col "$r" corrupted)" "$corrupted"
expect_eq "udp unique" "$(csv_col "$r" unique_msgs)" 100
expect_eq "udp lost" "$(csv_col "$r" lost)" 0
expect_eq "udp duplicated (the replay)" "$(csv_col "$r" duplicated)" "$dup"
expect_eq "udp reordered" "$(csv_col "$r" reordered)" 0
expect_eq "udp sender_total (its own end marker)" "$(csv_col "$r" sender_total)" 100
expect_eq "udp bytes" "$(csv_col "$r" bytes)" $((100 * 200 + 2 * 100 + 200))

# Streams: strangers connect first; one stalls with half a header.
"$BIN/stream-recv" --token $token --read 64k --out "$WORK/t" --quiet >"$WORK/tl" 2>"$WORK/terr" &
rpid=$!
PIDS+=("$rpid")
addr=$(wait_listen "$WORK/tl")
"$H" tcp "$addr" $token 5 >"$WORK/th" &
hpid=$!
PIDS+=("$hpid")
for i in $(seq 1 100); do [ -s "$WORK/th" ] && break; sleep 0.02; done
read -r _ foreign _ _ < "$WORK/th"
"$BIN/stream-send" --to "$addr" --token $token --send "100 x 200" --out "$WORK/ts" --quiet ||
	fail "real tcp sender failed"
t0=$SECONDS
wait "$rpid" || fail "tcp receiver exited $?: $(cat "$WORK/terr")"
[ $((SECONDS - t0)) -le 2 ] || fail "the stalled stranger held the receiver up"
r="$WORK/t-summary.csv"
expect_eq "tcp foreign connections" "$(csv_col "$r" foreign)" "$foreign"
expect_eq "tcp msgs" "$(csv_col "$r" msgs)" 100
expect_eq "tcp bytes" "$(csv_col "$r" bytes)" 20000
expect_eq "tcp lost" "$(csv_col "$r" lost)" 0
expect_eq "tcp corrupted" "$(csv_col "$r" corrupted)" 0
pass "hostile traffic"
