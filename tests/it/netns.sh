#!/usr/bin/env bash
# Two "hosts": sender and receiver in two network namespaces joined by a
# veth pair that this test creates (addresses from the 198.18.0.0/15
# benchmarking range, which exist only inside these namespaces).
. "$(dirname "$0")/lib.sh"
command -v ip >/dev/null || skip "iproute2 (ip) is not installed"
a="scA$$" b="scB$$"
ip netns add "$a" 2>"$WORK/err" || skip "cannot create network namespaces here: $(cat "$WORK/err")"
cleanup_hooks+=("ip netns del $a" "ip netns del $b")
ip netns add "$b"
ip link add "va$$" netns "$a" type veth peer name "vb$$" netns "$b"
ip -n "$a" addr add 198.18.0.1/24 dev "va$$"
ip -n "$b" addr add 198.18.0.2/24 dev "vb$$"
ip -n "$a" link set lo up; ip -n "$a" link set "va$$" up
ip -n "$b" link set lo up; ip -n "$b" link set "vb$$" up

for t in tcp udp; do
	kind=$([ $t = tcp ] && echo stream || echo datagram)
	ip netns exec "$b" "$BIN/$kind-recv" --listen 198.18.0.2:0 --read 2560 --after 50ms --token 9 \
		--out "$WORK/$t-r" --quiet >"$WORK/$t-listen" 2>"$WORK/$t-recv.err" &
	rpid=$!
	PIDS+=("$rpid")
	addr=$(wait_listen "$WORK/$t-listen")
	ip netns exec "$a" "$BIN/$kind-send" --to "$addr" --send "5 x 512" --token 9 --out "$WORK/$t-s" \
		--quiet 2>"$WORK/$t-send.err" || fail "$t sender: $(cat "$WORK/$t-send.err")"
	wait "$rpid" || fail "$t receiver: $(cat "$WORK/$t-recv.err")"
	r="$WORK/$t-r-summary.csv"
	expect_eq "$t bytes" "$(csv_col "$r" bytes)" 2560
	expect_eq "$t lost" "$(csv_col "$r" lost)" 0
	if [ $t = tcp ]; then
		[ "$(csv_col "$r" calls)" -lt 5 ] || fail "tcp across veth: $(csv_col "$r" calls) reads"
		expect_eq "tcp boundaries" "$(csv_col "$r" boundaries_kept)" 0
	else
		expect_eq "udp reads" "$(csv_col "$r" calls)" 5
		expect_eq "udp boundaries" "$(csv_col "$r" boundaries_kept)" 1
	fi
done
pass "two namespaces over veth"
