#!/usr/bin/env bash
# issue 9 §3: datagram batching (sendmmsg/recvmmsg, the default) keeps every
# per-message check and count exact; --no-batch makes one call per
# message; --kernel-timestamps and --cpu work. Behaviour only, no speed.
. "$(dirname "$0")/lib.sh"
export SOCKCMP_KEY=0123456789abcdef0123456789abcdef
n=3000

# run_pair NAME RECV_OPTS SEND_OPTS: a unix-dgram pair (flow-controlled: no
# loss, so the counts are exact).
run_pair() {
	local name=$1 ropts=$2 sopts=$3
	# shellcheck disable=SC2086
	"$BIN/datagram-recv" --listen "unix:$WORK/$name.sock" --read 2048 --out "$WORK/$name-r" \
		--quiet $ropts >"$WORK/$name.listen" 2>"$WORK/$name.err" &
	local rp=$!
	PIDS+=("$rp")
	wait_listen "$WORK/$name.listen" >/dev/null
	# shellcheck disable=SC2086
	"$BIN/datagram-send" --to "unix:$WORK/$name.sock" --send "$n x 100" --send "7 x 1500" \
		--out "$WORK/$name-s" --quiet $sopts || fail "$name: sender failed"
	wait "$rp" || fail "$name: receiver failed: $(cat "$WORK/$name.err")"
}

run_pair batch "" ""
run_pair single "--no-batch" "--no-batch"
want=$((n + 7))
for name in batch single; do
	s="$WORK/$name-s-summary.csv" r="$WORK/$name-r-summary.csv"
	expect_eq "$name: sent" "$(csv_col "$s" msgs)" $want
	expect_eq "$name: received" "$(csv_col "$r" unique_msgs)" $want
	expect_eq "$name: lost" "$(csv_col "$r" lost)" 0
	expect_eq "$name: corrupted" "$(csv_col "$r" corrupted)" 0
	expect_eq "$name: receive calls (one per datagram)" "$(csv_col "$r" calls)" $want
	expect_eq "$name: one event per message" \
		"$(csv_col "$WORK/$name-r-events.csv" returned | grep -c -e '^100$' -e '^1500$')" $want
	flag=$([ $name = batch ] && echo batch || true)
	expect_eq "$name: sender's data events" "$(csv_col "$WORK/$name-s-events.csv" call "flags=$flag" | wc -l)" $want
done
sys=$(csv_col "$WORK/batch-s-summary.csv" syscalls)
[ "$sys" -lt "$want" ] || fail "batched sender made $sys system calls for $want messages"
expect_eq "unbatched sender: a call per message" "$(csv_col "$WORK/single-s-summary.csv" syscalls)" $want
ctl=$(csv_col "$WORK/single-r-summary.csv" control_calls)
expect_eq "unbatched receiver: a call per datagram (data and end markers)" \
	"$(csv_col "$WORK/single-r-summary.csv" syscalls)" $((want + ctl))
grep -q ',batch,' "$WORK/batch-r-events.csv" || fail "batched receive events lack the batch flag"
grep -q ',batch,' "$WORK/single-r-events.csv" && fail "unbatched receive events carry the batch flag"
pass "batching: exact counts, one event per message, fewer system calls"

# A damaged datagram inside a batch is still caught: the payload's crc.
# (sc-hostile in other tests covers forgeries; here the kernel timestamp
# option and pinning.)
run_pair kts "--kernel-timestamps --cpu 0" "--cpu 0"
expect_eq "kernel timestamps: received" "$(csv_col "$WORK/kts-r-summary.csv" unique_msgs)" $want
lat=$(csv_col "$WORK/kts-r-summary.csv" lat_p50_ns)
[ "$lat" -gt 0 ] || fail "kernel timestamps: p50 latency $lat"
set +e
"$BIN/datagram-send" --to "unix:$WORK/none.sock" --cpu 1023 --quiet 2>"$WORK/cpu.err"
rc=$?
set -e
expect_eq "--cpu on a CPU that does not exist: exit status" $rc 1
grep -q -- '--cpu 1023' "$WORK/cpu.err" || fail "--cpu error does not name the option: $(cat "$WORK/cpu.err")"
pass "--kernel-timestamps and --cpu"

# Every datagram of a recvmmsg batch ends its latency at its own kernel
# arrival stamp (shared/rxstamp.c, always on since the busyhost merge),
# not at the call's return: the receiver sleeps 1 s after the first is
# readable, then takes all five in a recvmmsg batch. Ending at the call, every
# latency would be at least that second (checked: it was on the code before).
"$BIN/datagram-recv" --listen "unix:$WORK/late.sock" --after 1s --out "$WORK/late-r" --quiet \
	>"$WORK/late.listen" 2>"$WORK/late.err" &
rp=$!
PIDS+=("$rp")
wait_listen "$WORK/late.listen" >/dev/null
"$BIN/datagram-send" --to "unix:$WORK/late.sock" --send "5 x 100" --out "$WORK/late-s" --quiet ||
	fail "late: sender failed"
wait "$rp" || fail "late: receiver failed: $(cat "$WORK/late.err")"
expect_eq "late: received" "$(csv_col "$WORK/late-r-summary.csv" unique_msgs)" 5
grep -q ',batch,' "$WORK/late-r-events.csv" || fail "late: receive events lack the batch flag"
max=$(csv_col "$WORK/late-r-summary.csv" lat_max_ns)
[ "$max" -lt 1000000000 ] || fail "a batched datagram's latency ($max ns) includes the receiver's 1 s sleep"
pass "batched datagrams: each latency ends at its own kernel arrival stamp"

# Payloads go out from the pattern without a copy (one iovec per 4 KiB
# pattern chunk after the header): every size around the chunk edges, the
# largest UDP/IPv4 datagram and AF_UNIX datagrams of many chunks arrive
# whole and verified (payload compared, crc and mac checked), batched and
# not. A wrong chunk or offset would count as corrupted.
sizes_pair() {
	local name=$1 opts=$2
	shift 2
	local sends=() want=0
	for sz in "$@"; do
		sends+=(--send "3 x $sz")
		want=$((want + 3))
	done
	# shellcheck disable=SC2086
	"$BIN/datagram-recv" --listen "unix:$WORK/$name.sock" --read 256k --out "$WORK/$name-r" \
		--quiet $opts >"$WORK/$name.listen" 2>"$WORK/$name.err" &
	local rp=$!
	PIDS+=("$rp")
	wait_listen "$WORK/$name.listen" >/dev/null
	# shellcheck disable=SC2086
	"$BIN/datagram-send" --to "unix:$WORK/$name.sock" "${sends[@]}" --sndbuf 1M \
		--out "$WORK/$name-s" --quiet $opts || fail "$name: sender failed"
	wait "$rp" || fail "$name: receiver failed: $(cat "$WORK/$name.err")"
	expect_eq "$name: received" "$(csv_col "$WORK/$name-r-summary.csv" unique_msgs)" $want
	expect_eq "$name: corrupted" "$(csv_col "$WORK/$name-r-summary.csv" corrupted)" 0
	expect_eq "$name: bytes" "$(csv_col "$WORK/$name-r-summary.csv" bytes)" \
		"$(csv_col "$WORK/$name-s-summary.csv" bytes)"
}
edges="44 45 300 4139 4140 4141 8235 8236 8237 65507"
sizes_pair edges-batch "" $edges
sizes_pair edges-single "--no-batch" $edges
sizes_pair big-batch "" 100000 212000
sizes_pair big-single "--no-batch" 100000 212000
pass "datagrams from the pattern: chunk edges, 64 KiB and 212 KB arrive whole and verified"

# Each program's help lists only its own kind's options.
"$BIN/datagram-recv" --help >"$WORK/drh"
"$BIN/stream-recv" --help >"$WORK/srh"
"$BIN/datagram-send" --help >"$WORK/dsh"
"$BIN/stream-send" --help >"$WORK/ssh"
for f in drh dsh; do grep -q -- '--no-batch' "$WORK/$f" || fail "$f: no --no-batch"; done
for f in srh ssh; do grep -q -- '--no-batch' "$WORK/$f" && fail "$f: lists datagram-only --no-batch"; done
grep -q -- '--kernel-timestamps.*accepted' "$WORK/drh" || fail "datagram-recv --help: --kernel-timestamps not said to be the default"
grep -q -- '--kernel-timestamps' "$WORK/srh" && fail "stream-recv --help lists --kernel-timestamps"
grep -q -- '--end close' "$WORK/dsh" && fail "datagram-send --help lists --end"
for f in drh srh; do grep -q -- '--echo' "$WORK/$f" || fail "$f: no --echo"; grep -q -- '-V, --version' "$WORK/$f" || fail "$f: no -V"; done
for f in dsh ssh; do grep -q -- '--rr ' "$WORK/$f" || fail "$f: no --rr"; grep -q -- '--bitrate' "$WORK/$f" || fail "$f: no --bitrate"; done
pass "per-program help: each kind's performance options in its own help"
