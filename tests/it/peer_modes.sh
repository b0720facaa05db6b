#!/usr/bin/env bash
# issue 9's modes across two hosts: `sockcmp serve` in one network
# namespace, `run --peer` in another (a veth pair in 198.18.5.0/24, made
# and removed here). Checks, for throughput, rr and crr, with the remote
# side the listener and, with --reverse, the connecting side, that:
#  - the script's 'for' and 'bitrate' reach the remote program (a sender
#    capped at 800 kbit/s for 1 s sends about 100 messages of 1000 bytes,
#    never the plan's 100000; an rr/crr client stops after 1 s, never
#    after the plan's 10^7 requests);
#  - the rows say what happened (every request answered, one connection
#    per crr round) and the remote receiver's interval reports reach
#    NAME-intervals.csv.
# Behaviour, not speed: the bounds hold on a slow machine as on a fast one.
. "$(dirname "$0")/lib.sh"
command -v ip >/dev/null || skip "iproute2 (ip) is not installed"
a="scMa$$" b="scMb$$"
ip netns add "$a" 2>"$WORK/err" || skip "cannot create network namespaces here: $(cat "$WORK/err")"
cleanup_hooks+=("ip netns del $a")
ip netns add "$b" 2>"$WORK/err" || fail "second namespace: $(cat "$WORK/err")"
cleanup_hooks+=("ip netns del $b")
ip link add "sma$$" netns "$a" type veth peer name "smb$$" netns "$b"
ip -n "$a" addr add 198.18.5.1/24 dev "sma$$"
ip -n "$b" addr add 198.18.5.2/24 dev "smb$$"
ip -n "$a" link set lo up; ip -n "$a" link set "sma$$" up
ip -n "$b" link set lo up; ip -n "$b" link set "smb$$" up
S=198.18.5.2

ip netns exec "$b" "$BIN/sockcmp" serve --listen "$S:0" --key "$WORK/k" >"$WORK/serve.out" 2>"$WORK/serve.err" &
PIDS+=($!)
addr=$(wait_listen "$WORK/serve.out")

cat >"$WORK/tput.exp" <<'EOF'
experiment tput
mode throughput
transports tcp udp
send 100000 x 1000
for 1s
bitrate 800k
recv 64k
EOF
for m in rr crr; do
	cat >"$WORK/$m.exp" <<EOF
experiment $m
mode $m
transports tcp udp
send 10000000 x 64
for 1s
recv 64k
EOF
done

run_peer() { # EXP OUT [ARGS...]
	local exp=$1 out=$2
	shift 2
	ip netns exec "$a" "$BIN/sockcmp" run "$WORK/$exp.exp" --no-plots --quiet --out "$WORK/$out" \
		--peer "$addr" --key "$WORK/k" "$@" 2>"$WORK/$out.err" ||
		fail "run $exp --peer $*: $(cat "$WORK/$out.err"; cat "$WORK/$out/$exp.csv" 2>/dev/null)"
}
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }

for dir in "" --reverse; do
	out=tput$dir
	run_peer tput "$out" $dir
	csv="$WORK/$out/tput.csv"
	for t in tcp udp; do
		expect_eq "throughput $dir $t status" "$(csv_col "$csv" status transport=$t)" 0
		n=$(csv_col "$csv" sent_msgs transport=$t)
		le 1 "$n" && le "$n" 200 ||
			fail "throughput $dir $t: $n messages sent; 800 kbit/s for 1 s is about 100 (for and bitrate lost?)"
		[ "$(csv_col "$WORK/$out/tput-intervals.csv" interval transport=$t | wc -l)" -ge 1 ] ||
			fail "throughput $dir $t: no interval report in tput-intervals.csv"
	done
	expect_eq "throughput $dir tcp bytes" "$(csv_col "$csv" recv_bytes transport=tcp)" \
		"$(csv_col "$csv" sent_bytes transport=tcp)"
	echo "throughput${dir:+ $dir}: tcp $(csv_col "$csv" sent_msgs transport=tcp) msgs," \
		"udp $(csv_col "$csv" sent_msgs transport=udp) msgs sent in 1 s at 800 kbit/s"
done
pass "throughput --peer (and --reverse): for and bitrate reach the remote sender, intervals come back"

for m in rr crr; do
	for dir in "" --reverse; do
		out=$m$dir
		run_peer $m "$out" $dir
		csv="$WORK/$out/$m.csv"
		for t in tcp udp; do
			expect_eq "$m $dir $t status" "$(csv_col "$csv" status transport=$t)" 0
			n=$(csv_col "$csv" sent_msgs transport=$t)
			le 1 "$n" && le "$n" 9999999 || fail "$m $dir $t: $n requests ('for 1s' lost?)"
			expect_eq "$m $dir $t round trips" "$(csv_col "$csv" round_trips transport=$t)" "$n"
			expect_eq "$m $dir $t lost" "$(csv_col "$csv" lost transport=$t)" 0
			expect_eq "$m $dir $t server's requests" "$(csv_col "$csv" recv_msgs transport=$t)" "$n"
			[ -n "$(csv_col "$csv" lat_p50_us transport=$t)" ] || fail "$m $dir $t: no round-trip times"
		done
		[ $m = rr ] || expect_eq "crr $dir tcp connections" "$(csv_col "$csv" conns transport=tcp)" \
			$(($(csv_col "$csv" round_trips transport=tcp) + 1))
		echo "$m${dir:+ $dir}: tcp $(csv_col "$csv" round_trips transport=tcp)," \
			"udp $(csv_col "$csv" round_trips transport=udp) round trips in 1 s"
	done
done
pass "rr and crr --peer (and --reverse): the remote client stops at 'for', every request answered"
