#!/usr/bin/env bash
# The other shipped lecture experiments: what each one must show.
. "$(dirname "$0")/lib.sh"
run() { "$BIN/sockcmp" run "$1" --out "$WORK/$1" --quiet --no-plots || fail "$1: sockcmp exited $?"; }
get() { csv_col "$WORK/$1/$1.csv" "$2" transport="$3" trial="${4:-1}"; }

# MSG_WAITALL: stream reads wait for all 2560 bytes although reading starts
# before the (paced) writes finish; datagrams still one message per call.
run waitall
for t in tcp unix-stream; do
	expect_eq "waitall $t reads" "$(get waitall recv_calls $t)" 1
	expect_eq "waitall $t bytes" "$(get waitall recv_bytes $t)" 2560
done
for t in udp unix-dgram unix-seqpacket; do
	expect_eq "waitall $t reads" "$(get waitall recv_calls $t)" 5
done

# Truncation: 1000-byte message, 512-byte reads.
run truncation
for t in udp unix-dgram unix-seqpacket; do
	expect_eq "truncation $t truncated" "$(get truncation truncated $t)" 1
	expect_eq "truncation $t bytes" "$(get truncation recv_bytes $t)" 512
	expect_eq "truncation $t msgs" "$(get truncation recv_msgs $t)" 1
	expect_eq "truncation $t lost" "$(get truncation lost $t)" 0
done
for t in tcp unix-stream; do
	expect_eq "truncation $t truncated" "$(get truncation truncated $t)" 0
	expect_eq "truncation $t bytes" "$(get truncation recv_bytes $t)" 1000
	expect_eq "truncation $t read sizes" "$(get truncation read_sizes $t)" "512 488"
done

# A reader that is already waiting: paced writes come out one per read on
# a stream too (timing, not a guarantee); all bytes, in order.
run boundaries-now
for t in tcp unix-stream udp unix-dgram unix-seqpacket; do
	expect_eq "now $t bytes" "$(get boundaries-now recv_bytes $t)" 2560
	expect_eq "now $t reordered" "$(get boundaries-now reordered $t)" 0
done
[ "$(get boundaries-now recv_calls tcp)" -gt 1 ] || fail "boundaries-now: tcp read everything at once"

# Overflow: UDP's receive buffer drops part of a burst even on loopback,
# and says so (SO_RXQ_OVFL); AF_UNIX datagrams and the streams lose nothing.
run overflow
lost=$(get overflow lost udp)
[ "$lost" -gt 0 ] || fail "overflow: udp lost nothing (rcvbuf large enough for 2000 messages?)"
# The socket also drops end markers that arrive while it is full, so its
# count is the data lost plus at most the 9 markers.
rxq=$(get overflow rxq_drops udp)
[ "$rxq" -ge "$lost" ] && [ "$rxq" -le $((lost + 9)) ] || fail "overflow udp: rxq drops $rxq vs lost $lost"
for t in tcp unix-stream unix-dgram unix-seqpacket; do
	expect_eq "overflow $t lost" "$(get overflow lost $t)" 0
	expect_eq "overflow $t msgs" "$(get overflow recv_msgs $t)" 2000
done
pass "waitall, truncation, boundaries-now, overflow"
