#!/usr/bin/env bash
# The paired programs on their own, as a user runs them on two hosts:
# receiver on port 0 (prints the port the kernel chose), then the sender.
# Usage: programs.sh TRANSPORT
. "$(dirname "$0")/lib.sh"
t=${1:?transport}
case $t in
tcp|tcp6|unix-stream) kind=stream ;;
*) kind=datagram ;;
esac
case $t in
tcp|udp) listen=127.0.0.1:0 ;;
tcp6|udp6) listen='[::1]:0' ;;
*) listen="unix:$WORK/sock" ;;
esac

"$BIN/$kind-recv" --listen "$listen" --transport "$t" --read 2560 --after 50ms \
	--token 77 --out "$WORK/r" --quiet >"$WORK/listen" 2>"$WORK/recv.err" &
rpid=$!
PIDS+=("$rpid")
addr=$(wait_listen "$WORK/listen")
case $t in unix-*) ;; *) [[ $addr != *:0 ]] || fail "receiver printed port 0: $addr" ;; esac
"$BIN/$kind-send" --to "$addr" --transport "$t" --send "5 x 512" --token 77 --out "$WORK/s" --quiet \
	2>"$WORK/send.err" || fail "sender exited $?: $(cat "$WORK/send.err")"
wait "$rpid" || fail "receiver exited $?: $(cat "$WORK/recv.err")"

s="$WORK/s-summary.csv" r="$WORK/r-summary.csv"
expect_eq "sent msgs" "$(csv_col "$s" msgs)" 5
expect_eq "sent bytes" "$(csv_col "$s" bytes)" 2560
expect_eq "received bytes" "$(csv_col "$r" bytes)" 2560
expect_eq "received msgs" "$(csv_col "$r" msgs)" 5
expect_eq "lost" "$(csv_col "$r" lost)" 0
expect_eq "duplicated" "$(csv_col "$r" duplicated)" 0
expect_eq "reordered" "$(csv_col "$r" reordered)" 0
expect_eq "corrupted" "$(csv_col "$r" corrupted)" 0
expect_eq "foreign" "$(csv_col "$r" foreign)" 0
expect_eq "status" "$(csv_col "$r" status)" 0
if [ $kind = stream ]; then
	expect_eq "boundaries_kept" "$(csv_col "$r" boundaries_kept)" 0
else
	expect_eq "reads" "$(csv_col "$r" calls)" 5
	expect_eq "boundaries_kept" "$(csv_col "$r" boundaries_kept)" 1
fi
# Five data writes of 512 bytes, one event each (datagram senders add
# 44-byte end markers).
expect_eq "512-byte writes" "$(csv_col "$WORK/s-events.csv" returned | grep -c '^512$')" 5
expect_eq "messages file rows" "$(( $(wc -l <"$WORK/r-messages.csv") - 1 ))" 5
pass "$t: standalone programs"
