#!/usr/bin/env bash
# memory.sh [BUILD_DIR] [COUNT] [TRANSPORTS] - issue 9's memory goal: COUNT
# (default 10000000) 64-byte messages through one `sockcmp run`, and the
# peak resident memory of every process (the driver and each paired
# program). A benchmark run by hand; nothing here is asserted by a test.
#
# Prints one line per process kind, the highest VmHWM seen:
#   rss NAME KiB
# (every process's /proc/PID/status VmHWM, sampled every 20 ms while it
# runs: a high-water mark, so only growth in a program's last 20 ms could
# be missed). /usr/bin/time -v's figure is printed too, as
#   rss driver-or-child KiB
# because it is not the driver's alone: wait4's ru_maxrss covers the
# descendants the driver waited for, so it is the largest of them all),
# then per row how much per-message detail was kept: the row's sent_msgs, recv_msgs, lost,
# records_dropped and lat_exact columns. The goal (issue 9 §3): every
# process <= 32 MiB (32768 KiB).
set -euo pipefail
build=${1:-build}
count=${2:-10000000}
transports=${3:-udp tcp}
bin=$(cd "$build/bin" && pwd)
work=$(mktemp -d /tmp/sockcmp-memory.XXXXXX)
drv=""
cleanup() {
	[ -n "$drv" ] && kill "$drv" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/memory.exp" <<EXP
experiment  memory
title       $count messages of 64 bytes: peak memory of every process
transports  $transports
send        $count x 64
recv        64k
EXP

/usr/bin/time -v -o "$work/time" "$bin/sockcmp" run "$work/memory.exp" -o "$work/out" --no-plots -q \
	>"$work/stdout" 2>"$work/stderr" &
drv=$!
declare -A peak
# Every descendant of the driver, as "PID NAME VmHWM".
sample() {
	local pids=$1 next p
	while [ -n "$pids" ]; do
		next=""
		for p in $pids; do
			awk -v p="$p" '/^Name:/ { n = $2 } /^VmHWM:/ { print p, n, $2 }' "/proc/$p/status" 2>/dev/null || true
			next="$next $(cat "/proc/$p/task/"*/children 2>/dev/null | tr '\n' ' ')"
		done
		pids=$(echo $next)
	done
}
while kill -0 "$drv" 2>/dev/null; do
	while read -r _ name kib; do
		[ "$name" = time ] && continue
		if [ -z "${peak[$name]:-}" ] || [ "$kib" -gt "${peak[$name]}" ]; then peak[$name]=$kib; fi
	done < <(sample "$(cat "/proc/$drv/task/"*/children 2>/dev/null | tr '\n' ' ')")
	sleep 0.02
done
status=0
wait "$drv" || status=$?
drv=""
if [ "$status" != 0 ]; then
	echo "memory.sh: sockcmp run failed ($status):" >&2
	cat "$work/stderr" >&2
	exit 1
fi
for name in "${!peak[@]}"; do
	echo "rss $name ${peak[$name]}"
done | sort
echo "rss driver-or-child $(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time")"
# How much per-message detail each row kept.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ printf "row %s", $(c["transport"])
	  n = split("sent_msgs recv_msgs lost records_dropped lat_exact", k, " ")
	  for (i = 1; i <= n; i++) if (k[i] in c) printf " %s=%s", k[i], $(c[k[i]])
	  printf "\n" }' "$work/out/memory.csv"
