#!/usr/bin/env bash
# Real netem through user-mode Linux (no root needed, no host netem), one
# guest boot per experiment: the lecture's reliability claim, measured.
# Usage: uml.sh loss|dup|reorder|handshake
. "$(dirname "$0")/lib.sh"
what=${1:?loss, dup, reorder or handshake}
[ -x /usr/bin/linux.uml ] || skip "user-mode-linux is not installed (./run installs it)"
guest_bin_ok || skip "sanitized programs cannot run in the guest and there is no plain build in SOCKCMP_GUEST_BIN"
csv="$WORK/out/uml-$what.csv"
if ! "$BIN/sockcmp" run "$SRC/tests/it/exp/uml-$what.exp" --kernel uml --out "$WORK/out" --no-plots \
	>/dev/null 2>"$WORK/err"; then
	[ -f "$csv" ] && awk -F, 'NR > 1 && $0 !~ /,0,,/ { print "failed row: " $0 }' "$csv" >&2
	fail "sockcmp failed: $(cat "$WORK/err")"
fi
grep -q "^sockcmp: link experiments run in a user-mode Linux guest" "$WORK/err" || fail "no word of where it ran: $(cat "$WORK/err")"
[ "$(grep -c "link experiments run" "$WORK/err")" -eq 1 ] || fail "the kernel choice said more than once: $(cat "$WORK/err")"

# within N P GOT: |GOT - N*P| <= 4 binomial standard deviations.
within() {
	awk -v n="$1" -v p="$2" -v got="$3" 'BEGIN {
		mu = n * p; sd = sqrt(n * p * (1 - p)); d = got - mu; if (d < 0) d = -d
		exit !(d <= 4 * sd) }'
}
col() { csv_col "$csv" "$1" transport="$2" ${3:+"$3"}; }

tcp_clean() { # tcp_clean FILTER: TCP intact whatever the link
	for c in lost duplicated reordered corrupted truncated status; do
		expect_eq "tcp $c ($1)" "$(col $c tcp "$1")" 0
	done
	expect_eq "tcp messages ($1)" "$(col recv_msgs tcp "$1")" "$(col sent_msgs tcp "$1")"
	expect_eq "kernel ($1)" "$(col kernel tcp "$1")" uml
	# the reason as a short code on each row, the sentence once in the meta file
	expect_eq "kernel_why ($1)" "$(col kernel_why tcp "$1")" option
}
py "$WORK/out/uml-$what-meta.json" <<'EOS' || fail "meta file: kernel_why"
import json, sys
m = json.load(open(sys.argv[1]))
check(m["kernel_why"] == "--kernel uml" and m["kernel_why_code"] == "option", m)
EOS

case $what in
loss)
	for p in 0 5 10 20; do
		f="loss=$p%"
		tcp_clean "$f"
		n=$(col sent_msgs udp "$f")
		lost=$(col lost udp "$f")
		rxq=$(col rxq_drops udp "$f")
		[ "$rxq" -le 2 ] || fail "udp at $f: $rxq receive-buffer drops: the pace is too fast"
		if [ "$p" = 0 ]; then
			expect_eq "udp lost at 0%" "$lost" 0
		else
			within "$n" "0.$(printf %02d "$p")" $((lost - rxq)) ||
				fail "udp at $f: lost $lost of $n, not within 4 sd of $p%"
			[ "$(col tcp_retrans tcp "$f")" -gt 0 ] || fail "tcp at $f: no retransmissions"
			[ "$(col link_dropped udp "$f")" -gt 0 ] || fail "udp at $f: the link counted no drops"
		fi
		echo "loss $p%: udp lost $lost of $n (rxq $rxq); tcp retransmitted $(col tcp_retrans tcp "$f")"
	done
	;;
dup)
	tcp_clean ""
	n=$(col sent_msgs udp)
	dup=$(col duplicated udp)
	within "$n" 0.05 "$dup" || fail "udp: $dup duplicates of $n, not within 4 sd of 5%"
	expect_eq "udp lost" "$(col lost udp)" 0
	[ "$(col link_duplicated udp)" -ge "$dup" ] || fail "the link counted fewer copies than arrived"
	echo "duplicate 5%: udp $dup duplicates of $n; link made $(col link_duplicated udp)"
	;;
reorder)
	tcp_clean ""
	[ "$(col reordered udp)" -gt 0 ] || fail "udp: nothing reordered under reorder 25%"
	[ "$(col max_reorder_extent udp)" -gt 0 ] || fail "udp: no reordering extent"
	echo "reorder: udp reordered $(col reordered udp), extent $(col max_reorder_extent udp); tcp 0"
	;;
handshake)
	# The receiver used to give up after 10 s and close its port; the
	# SYN then met a reset: "no receiver answered (tcp): Connection
	# refused", one trial of loss-sweep's fifty at 20 % loss.
	tcp_clean "delay=12s"
	echo "handshake over a 12 s link: tcp delivered $(col recv_msgs tcp delay=12s) of $(col sent_msgs tcp delay=12s)"
	;;
esac
pass "uml $what"
