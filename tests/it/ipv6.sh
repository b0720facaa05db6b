#!/usr/bin/env bash
# The lecture's experiment over IPv6 loopback (tcp6, udp6).
. "$(dirname "$0")/lib.sh"
[ -e /proc/net/if_inet6 ] || skip "this kernel has no IPv6"
"$BIN/sockcmp" run boundaries --transports tcp6,udp6 --out "$WORK/out" --quiet --no-plots \
	|| fail "sockcmp exited $?"
csv="$WORK/out/boundaries.csv"
calls=$(csv_col "$csv" recv_calls transport=tcp6)
[ "$calls" -lt 5 ] || fail "tcp6: $calls reads, want fewer than 5"
expect_eq "tcp6 bytes" "$(csv_col "$csv" recv_bytes transport=tcp6)" 2560
expect_eq "tcp6 boundaries" "$(csv_col "$csv" boundaries_kept transport=tcp6)" 0
expect_eq "udp6 reads" "$(csv_col "$csv" recv_calls transport=udp6)" 5
expect_eq "udp6 boundaries" "$(csv_col "$csv" boundaries_kept transport=udp6)" 1
expect_eq "udp6 lost" "$(csv_col "$csv" lost transport=udp6)" 0
pass "IPv6 loopback"
