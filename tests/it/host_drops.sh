#!/usr/bin/env bash
# A receiver that cannot keep up drops datagrams in its own socket buffer.
# Those losses are the host's, not the link's: the table's host column
# holds them, and the run warns on the terminal and in its summary sheet
# (NAME-SUMMARY.md; the lecture's SUMMARY.md gets it likewise). A run
# whose receiver kept up gets no such warning. Loopback only, no guest.
. "$(dirname "$0")/lib.sh"
cd "$WORK"
# A tiny buffer (the kernel rounds it up to a few KB) and a receiver that
# starts reading 50 ms after a back-to-back burst: most of the burst
# cannot fit. The end markers follow over 255 ms, spaced out, so some get in.
cat >host-drops.exp <<'X'
experiment  host-drops
transports  udp
send        2000 x 256
recv        64k after 50ms rcvbuf 4k
X
"$BIN/sockcmp" run host-drops.exp --out out --no-plots >stdout 2>stderr ||
	fail "sockcmp run exited $?: $(cat stderr)"
rxq=$(csv_col out/host-drops.csv rxq_drops transport=udp)
lost=$(csv_col out/host-drops.csv lost transport=udp)
[ "$rxq" -gt 0 ] || fail "the receiver dropped nothing (rxq_drops $rxq): the test forced no host drop"
grep -q "^sockcmp: warning: the receiving host dropped $rxq datagrams in its own socket buffer (SO_RXQ_OVFL)" stderr ||
	fail "no host-drop warning on the terminal: $(cat stderr)"
[ -s out/host-drops-SUMMARY.md ] || fail "no host-drops-SUMMARY.md"
grep -q "^> \*\*Warning:\*\* the receiving host dropped $rxq datagrams in its own socket buffer" out/host-drops-SUMMARY.md ||
	fail "no host-drop warning in SUMMARY.md: $(cat out/host-drops-SUMMARY.md)"
grep -q "udp lost $lost of 2000: the receiving host dropped $rxq (its socket buffer was full)" out/host-drops-SUMMARY.md ||
	fail "SUMMARY.md does not put the loss on the host: $(cat out/host-drops-SUMMARY.md)"
# The table's last column is the host's drops.
awk -v rxq="$rxq" '$1 == "udp" { found = 1; if ($NF != rxq) exit 1 } END { exit !found }' stdout ||
	fail "the table's host drop column is not $rxq: $(cat stdout)"
grep -q "latencies .* include scheduling delay" stderr ||
	fail "latencies not flagged after host drops: $(cat stderr)"
# The survivors' latencies end when they reached the socket (the kernel's
# stamp), not at the read 50 ms later: the first message arrived before
# the receiver's first read by at least the 50 ms it waited.
first=$(awk -F, '$2 == "udp" && $4 == 0 { print $5; exit }' out/host-drops-messages.csv)
read1=$(awk -F, '$2 == "udp" && $4 == "recv" && $9 == "0" { print $6; exit }' out/host-drops-events.csv)
[ -n "$first" ] && [ -n "$read1" ] || fail "no first message ($first) or its read ($read1)"
[ $((read1 - first)) -ge 50000000 ] ||
	fail "message 0 arrived at $first ns, read at $read1 ns: its latency ends at the read, not on arrival"

# The same receiver, ready and with room: no drops, no warning.
cat >kept-up.exp <<'X'
experiment  kept-up
transports  udp
send        50 x 256
recv        64k
X
"$BIN/sockcmp" run kept-up.exp --out out2 --no-plots >stdout2 2>stderr2 ||
	fail "sockcmp run (kept up) exited $?: $(cat stderr2)"
expect_eq "rxq_drops of a receiver that kept up" "$(csv_col out2/kept-up.csv rxq_drops transport=udp)" 0
[ -s out2/kept-up-SUMMARY.md ] || fail "no kept-up-SUMMARY.md"
! grep -qi "warning" stderr2 out2/kept-up-SUMMARY.md || fail "a warning without host drops: $(cat stderr2 out2/kept-up-SUMMARY.md)"
pass "host drops: rxq $rxq of lost $lost, warned on the terminal and in SUMMARY.md"
