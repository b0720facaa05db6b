#!/usr/bin/env bash
# throughput.sh [BUILD_DIR] [MESSAGES] - how fast the paired programs move
# messages on loopback, and how much memory each side holds. A benchmark,
# run by hand: its numbers are this machine's, never asserted by a test.
#
# For each transport it sends MESSAGES (default 200000) 64-byte messages
# back to back and prints messages/s at the receiver (first to last read)
# and both sides' peak resident memory (VmHWM). Compare with iperf3 -u -l 64
# or sockperf throughput on the same machine if you have them.
set -euo pipefail
build=${1:-build}
n=${2:-200000}
bin="$build/bin"
work=$(mktemp -d /tmp/sockcmp-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

peak() { local v; v=$(awk '/VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null); echo "${v:-0}"; }

printf '%-15s %12s %12s %10s %10s %8s\n' transport msgs_recv msgs_per_s recv_kB send_kB lost
for t in tcp udp unix-stream unix-dgram unix-seqpacket; do
	case $t in tcp|unix-stream) k=stream ;; *) k=datagram ;; esac
	case $t in tcp|udp) l=127.0.0.1:0 ;; *) l="unix:$work/$t.sock" ;; esac
	"$bin/$k-recv" --listen "$l" --transport $t --read 64k --rcvbuf 8M --out "$work/r" --quiet \
		--max-records 1 >"$work/listen" 2>/dev/null &
	rpid=$!
	for i in $(seq 100); do grep -q listening "$work/listen" && break; sleep 0.02; done
	addr=$(sed -n 's/^listening on //p' "$work/listen")
	"$bin/$k-send" --to "$addr" --transport $t --send "$n x 64" --out "$work/s" --quiet --max-records 1 &
	spid=$!
	rk=0 sk=0
	while kill -0 "$spid" 2>/dev/null; do
		a=$(peak $rpid); b=$(peak $spid); [ "$a" -gt "$rk" ] && rk=$a; [ "$b" -gt "$sk" ] && sk=$b
		sleep 0.05
	done
	wait "$spid" || true
	wait "$rpid" || true
	awk -F, -v t=$t -v rk="$rk" -v sk="$sk" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ d = ($(c["last_ns"]) - $(c["first_ns"])) / 1e9; if (d <= 0) d = 1e-9
		  printf "%-15s %12d %12.0f %10d %10d %8d\n", t, $(c["msgs"]), $(c["msgs"]) / d, rk, sk, $(c["lost"]) }' \
		"$work/r-summary.csv"
done
