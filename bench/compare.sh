#!/usr/bin/env bash
# compare.sh [BUILD_DIR] - sockcmp's paired programs against iperf3 and
# sockperf on loopback, interleaved in rounds with the same CPU placement
# (method: ../shared/notes/measuring-speed.md, issue 9 §4). A benchmark run
# by hand; nothing here is asserted by a test.
#
# Environment: ROUNDS (default 6; even rounds run the tests in reverse
# order, so an even count gives each tool of a pair the first place as
# often as the second), SECS per test (default 3), ONLY (ratio
# names to measure, e.g. ONLY="tcp-bulk tcp-rr"; default all), SEND_CPU
# (default 0) and RECV_CPU (default 1): client/sender and server/receiver
# are pinned with taskset, every tool alike.
#
# Prints every test of every round, then per pair the medians, and one line
# per ratio (sockcmp / anchor, medians):
#   ratio udp64-batch VALUE      UDP 64 B received/s, batching on, vs iperf3 -u -l 64 -b 0
#   ratio udp64-nobatch VALUE    the same with --no-batch
#   ratio tcp64 VALUE            TCP 64 B messages received/s vs iperf3 -l 64
#   ratio tcp-bulk VALUE         TCP 128 KiB messages, Gbit/s received (payload verified) vs iperf3
#   ratio udp-rr VALUE           round trips/s vs sockperf ping-pong (both
#                                without their first 400 ms: sockperf's warm-up)
#   ratio tcp-rr VALUE           the same, --tcp
#   ratio recording VALUE        udp64-batch with every event recorded vs --max-records 1
# and per ratio a cross-check, "paired NAME VALUE (per round, sorted: ...)":
# the median of the round-by-round ratios.
# Socket buffers are the same for both tools: UDP 4 MiB send and receive
# buffers (sockcmp --sndbuf/--rcvbuf 4M, iperf3 -w 4M), TCP none set
# (autotuning, as iperf3 and sockperf leave it).
# Each test also records the CPU used by other processes meanwhile (from
# /proc/stat, less our own processes' time): above 10 % of all CPUs the test
# is marked SUSPECT, and the run too. The load average is printed.
set -euo pipefail
build=${1:-build}
bin=$(cd "$build/bin" && pwd)
rounds=${ROUNDS:-6}
secs=${SECS:-3}
scpu=${SEND_CPU:-0}
rcpu=${RECV_CPU:-1}
work=$(mktemp -d /tmp/sockcmp-compare.XXXXXX)
server=""
server_name=""
cleanup() {
	stop_server
	rm -rf "$work"
}
trap cleanup EXIT
export SOCKCMP_KEY
SOCKCMP_KEY=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')

need() {
	command -v "$1" >/dev/null && return 0
	echo "compare.sh: installing $1 from Debian" >&2
	if [ "$(id -u)" = 0 ]; then apt-get install -y "$1" >/dev/null; else sudo apt-get install -y "$1" >/dev/null; fi
}
need iperf3
need sockperf
need jq

# A free TCP/UDP port on 127.0.0.1 (bound and released; good enough for a
# benchmark on a machine whose other users do not race for it).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Busy jiffies of all CPUs, and the ticks per second.
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
hz=$(getconf CLK_TCK)
ncpu=$(nproc)
suspect_run=0

# timed OUT CMD...: runs CMD under /usr/bin/time, its CPU seconds (user +
# system) appended to $work/ours and its peak RSS (kB) to $work/rss.
timed() {
	local out=$1
	shift
	/usr/bin/time -f '%U %S %M' -o "$work/t.$$.$BASHPID" "$@" >"$out" 2>&1
	local rc=$?
	awk -v who="$(basename "$4")" '{ print $1 + $2 >> "'"$work/ours"'"; print $3, who >> "'"$work/rss"'" }' \
		"$work/t.$$.$BASHPID"
	return $rc
}

# Starts a listener in the background (pinned to RECV_CPU), sets $server.
start_server() {
	: >"$work/srv.out"
	/usr/bin/time -f '%U %S %M' -o "$work/srv.time" taskset -c "$rcpu" "$@" >"$work/srv.out" 2>&1 &
	server=$!
	server_name=$(basename "$1")
}
stop_server() {
	if [ -n "$server" ]; then
		# $server is /usr/bin/time; the listener is its child (taskset
		# execs it): end that by its PID, then time reports and exits.
		local kids
		kids=$(pgrep -P "$server" || true)
		[ -n "$kids" ] && kill $kids 2>/dev/null || true
		wait "$server" 2>/dev/null || true
		server=""
	fi
	if [ -s "$work/srv.time" ]; then
		awk -v who="$server_name" '{ print $1 + $2 >> "'"$work/ours"'"; print $3, who >> "'"$work/rss"'" }' "$work/srv.time"
		rm -f "$work/srv.time"
	fi
}
wait_listen() {
	for _ in $(seq 200); do grep -q '^listening on ' "$work/srv.out" && break; sleep 0.02; done
	sed -n 's/^listening on //p' "$work/srv.out" | head -1
}

# sockcmp one-way pair: KIND TRANSPORT SIZE [extra options for both sides].
# Prints "received/s Gbit/s lost".
sc_oneway() {
	local kind=$1 t=$2 size=$3 addr rbuf=() sbuf=()
	shift 3
	# The same socket buffers as the anchor: UDP 4 MiB at both ends
	# (iperf3 -w 4M), TCP the kernel's autotuning (iperf3 sets none).
	if [ "$t" = udp ]; then
		rbuf=(--rcvbuf 4M)
		sbuf=(--sndbuf 4M)
	fi
	start_server "$bin/$kind-recv" --listen 127.0.0.1:0 --transport "$t" --read "$size" "${rbuf[@]}" \
		--out "$work/r" --quiet --idle 5s "$@"
	addr=$(wait_listen)
	timed "$work/send.out" taskset -c "$scpu" "$bin/$kind-send" --to "$addr" --transport "$t" "${sbuf[@]}" \
		--send "10000000 x $size" --for "${secs}s" --out "$work/s" --quiet "$@" || true
	wait "$server" 2>/dev/null || true
	stop_server
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ d = ($(c["last_ns"]) - $(c["first_ns"])) / 1e9; u = $(c["unique_msgs"]);
		  printf "%.0f %.3f %s\n", (d > 0 ? u / d : 0), (d > 0 ? $(c["bytes"]) * 8 / d / 1e9 : 0), $(c["lost"]) }' \
		"$work/r-summary.csv"
}

# sockcmp rr: KIND TRANSPORT. Prints "round-trips/s p50_us".
# The rate is taken over the same window as sockperf's: sockperf leaves
# out its first 400 ms ("Warm up time=400 msec") and reports the rest;
# here the echo server's 100 ms intervals after the first 400 ms are
# counted (round trips ramp up over the first half second on this kind of
# machine: counting them would compare a cold start with a warm one).
sc_rr() {
	local kind=$1 t=$2 addr
	start_server "$bin/$kind-recv" --listen 127.0.0.1:0 --transport "$t" --read 64k --echo \
		--out "$work/r" --quiet --idle 5s --interval 100ms
	addr=$(wait_listen)
	timed "$work/send.out" taskset -c "$scpu" "$bin/$kind-send" --to "$addr" --transport "$t" \
		--send "10000000 x 64" --for "${secs}s" --rr --out "$work/s" --quiet || true
	wait "$server" 2>/dev/null || true
	stop_server
	local rate p50
	rate=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		NR == 2 { t0 = $(c["start_ns"]) }
		$(c["start_ns"]) >= t0 + 400e6 { n += $(c["msgs"]); d += $(c["end_ns"]) - $(c["start_ns"]) }
		END { printf "%.0f", (d > 0 ? n / (d / 1e9) : 0) }' "$work/r-intervals.csv")
	p50=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ printf "%.1f", $(c["lat_p50_ns"]) / 1e3 }' "$work/s-summary.csv")
	echo "$rate $p50"
}

# iperf3: extra client options. Prints "received/s Gbit/s lost".
ip3() {
	local port
	port=$(free_port)
	start_server iperf3 -s -1 -B 127.0.0.1 -p "$port"
	sleep 0.3
	timed "$work/ip3.json" taskset -c "$scpu" iperf3 -c 127.0.0.1 -p "$port" -t "$secs" -J "$@" || true
	wait "$server" 2>/dev/null || true
	stop_server
	if [[ " $* " == *" -u "* ]]; then
		jq -r '.end.sum | "\((.packets - .lost_packets) / .seconds | floor) \(.bytes * 8 / .seconds / 1e9 * 1000 | floor / 1000) \(.lost_packets)"' "$work/ip3.json"
	else
		# TCP: messages of the write size received/s, Gbit/s received
		local l=${IP3_LEN:-131072}
		jq -r --argjson l "$l" '.end.sum_received | "\(.bytes / $l / .seconds | floor) \(.bits_per_second / 1e9 * 1000 | floor / 1000) 0"' "$work/ip3.json"
	fi
}

# sockperf ping-pong: extra options (--tcp). Prints "round-trips/s p50_us",
# the p50 as a round trip, as sockcmp's: sockperf's percentiles are of
# half a round trip (its "latency"), so they are doubled here.
sp() {
	local port
	port=$(free_port)
	start_server sockperf sr -i 127.0.0.1 -p "$port" "$@"
	sleep 0.5
	timed "$work/sp.out" taskset -c "$scpu" sockperf pp -i 127.0.0.1 -p "$port" -m 64 -t "$secs" "$@" || true
	stop_server
	# "RunTime=3.000 sec; Warm up time=400 msec; SentMessages=...; ReceivedMessages=..."
	awk '/ReceivedMessages=/ { for (i = 1; i <= NF; i++) { if ($i ~ /^RunTime=/) { split($i, a, "="); t = a[2] }
	                                                      if ($i ~ /^ReceivedMessages=/) { split($i, b, "="); n = b[2] } } }
	     /percentile 50.000 =/ { p = $NF }
	     END { printf "%.0f %.1f\n", (t > 0 ? n / t : 0), p * 2 }' "$work/sp.out"
}

# measure NAME CMD...: runs CMD, prints and records its result, and the
# share of CPU others used meanwhile.
measure() {
	local name=$1 b0 b1 t0 t1 ours others res flag=""
	shift
	: >"$work/ours"
	b0=$(busy)
	t0=$(date +%s.%N)
	res=$("$@")
	t1=$(date +%s.%N)
	b1=$(busy)
	ours=$(awk '{ s += $1 } END { print s + 0 }' "$work/ours")
	others=$(awk -v b0="$b0" -v b1="$b1" -v hz="$hz" -v o="$ours" -v t0="$t0" -v t1="$t1" -v n="$ncpu" \
		'BEGIN { x = ((b1 - b0) / hz - o) / ((t1 - t0) * n) * 100; printf "%.0f", (x < 0 ? 0 : x) }')
	if [ "$others" -gt 10 ]; then
		flag=" SUSPECT"
		suspect_run=1
	fi
	printf '%-22s %-30s others %3s%% of CPUs%s\n' "$name" "$res" "$others" "$flag"
	echo "$name ${res%% *}" >>"$work/results"
}

echo "compare.sh: $rounds rounds of ${secs}s tests; sender/client CPU $scpu, receiver/server CPU $rcpu"
if [ $((rounds % 2)) != 0 ]; then
	echo "compare.sh: ROUNDS=$rounds is odd: the first tool of each pair runs first once more often" >&2
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$work/results"
: >"$work/rss"
# want RATIO...: whether ONLY (space-separated ratio names; default all)
# asks for any of them.
want() {
	[ -z "${ONLY:-}" ] && return 0
	for w in "$@"; do [[ " $ONLY " == *" $w "* ]] && return 0; done
	return 1
}
# The tests of one round, in order. Odd rounds run them in this order and
# even rounds in the reverse one, so that neither tool of a pair always
# runs first: on a machine whose speed drifts within a round, a fixed
# order would favour whichever runs on the faster side of the drift.
# The two tests of every pair run next to each other (the UDP 64 B ones:
# norecord, batch, iperf3, nobatch), so drift between them stays small.
tests=()
if want recording; then tests+=("sockcmp-udp64-norecord sc_oneway datagram udp 64 --max-records 1"); fi
if want udp64-batch recording; then tests+=("sockcmp-udp64-batch sc_oneway datagram udp 64"); fi
if want udp64-batch udp64-nobatch; then tests+=("iperf3-udp64 ip3 -u -b 0 -l 64 -w 4M"); fi
if want udp64-nobatch; then tests+=("sockcmp-udp64-nobatch sc_oneway datagram udp 64 --no-batch"); fi
if want tcp64; then tests+=("sockcmp-tcp64 sc_oneway stream tcp 64" "iperf3-tcp64 ip3_tcp64"); fi
if want tcp-bulk; then tests+=("sockcmp-tcp-bulk sc_oneway stream tcp 131072" "iperf3-tcp-bulk ip3"); fi
if want udp-rr; then tests+=("sockcmp-udp-rr sc_rr datagram udp" "sockperf-udp-rr sp"); fi
if want tcp-rr; then tests+=("sockcmp-tcp-rr sc_rr stream tcp" "sockperf-tcp-rr sp --tcp"); fi
ip3_tcp64() { IP3_LEN=64 ip3 -l 64; }
for r in $(seq "$rounds"); do
	echo "--- round $r$([ $((r % 2)) = 0 ] && echo ' (reverse order)')"
	n=${#tests[@]}
	for k in $(seq 0 $((n - 1))); do
		[ $((r % 2)) = 0 ] && k=$((n - 1 - k))
		# shellcheck disable=SC2086 # each entry is NAME CMD ARGS..., words on purpose
		measure ${tests[$k]}
	done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "peak RSS per program (kB):"
sort -k2,2 -k1,1n "$work/rss" | awk '{ m[$2] = $1 } END { for (w in m) printf "  %-16s %s\n", w, m[w] }' | sort

# The median (of an even count, the mean of the middle two).
median() { grep "^$1 " "$work/results" | awk '{ print $2 }' | sort -n |
	awk '{ v[NR] = $1 } END { printf "%.0f\n", NR == 0 ? 0 : NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
pair() {
	local name=$1 a=$2 b=$3 ma mb
	want "$name" || return 0
	ma=$(median "$a")
	mb=$(median "$b")
	printf '%-16s %-24s %12s   %-22s %12s\n' "$name" "$a" "$ma" "$b" "$mb"
	echo "ratio $name $(awk -v a="$ma" -v b="$mb" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')" >>"$work/ratios"
	# The same pair round by round (the k-th of each), and the median of
	# those ratios: less moved by a machine whose speed drifts between
	# rounds than the ratio of the medians.
	awk -v a="$a" -v b="$b" -v name="$name" '
		$1 == a { x[++na] = $2 } $1 == b { y[++nb] = $2 }
		END {
			n = 0
			for (i = 1; i <= na && i <= nb; i++)
				if (y[i] > 0) r[++n] = x[i] / y[i]
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && r[j - 1] > r[j]; j--) { t = r[j]; r[j] = r[j - 1]; r[j - 1] = t }
			s = ""
			for (i = 1; i <= n; i++) s = s sprintf(" %.3f", r[i])
			m = n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
			if (n) printf "paired %s %.3f  (per round, sorted:%s)\n", name, m, s
		}' "$work/results" >>"$work/paired"
}
echo "--- medians (messages or round trips per second; tcp-bulk: messages of 128 KiB per second)"
: >"$work/ratios"
: >"$work/paired"
pair udp64-batch sockcmp-udp64-batch iperf3-udp64
pair udp64-nobatch sockcmp-udp64-nobatch iperf3-udp64
pair tcp64 sockcmp-tcp64 iperf3-tcp64
pair tcp-bulk sockcmp-tcp-bulk iperf3-tcp-bulk
pair udp-rr sockcmp-udp-rr sockperf-udp-rr
pair tcp-rr sockcmp-tcp-rr sockperf-tcp-rr
pair recording sockcmp-udp64-batch sockcmp-udp64-norecord
cat "$work/ratios"
cat "$work/paired"
if [ "$suspect_run" = 1 ]; then
	echo "SUSPECT: other processes used more than 10 % of the CPUs during some tests; the ratios are noisy"
fi
