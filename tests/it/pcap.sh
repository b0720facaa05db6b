#!/usr/bin/env bash
# `sockcmp run --pcap FILE`: a link run (in network namespaces) writes what
# crossed the receiving side's interface as a pcap file that Wireshark
# reads: the file is parsed here record by record (header, lengths to the
# last byte) and its packets must be the run's: TCP's handshake and exactly
# the payload bytes the CSV says were sent, and UDP's five 512-byte
# datagrams. A loopback run refuses --pcap (the shared loopback carries
# other people's traffic).
# Usage: pcap.sh link|refused
. "$(dirname "$0")/lib.sh"
case ${1:?link or refused} in
refused)
	"$BIN/sockcmp" run boundaries -t udp --pcap "$WORK/x.pcap" --out "$WORK/out" -q --no-plots \
		>"$WORK/stdout" 2>"$WORK/stderr" && fail "a loopback run took --pcap"
	expect_eq "exit status" "$?" 2
	grep -q -- "--pcap: only a run over an impaired link" "$WORK/stderr" || fail "no reason given: $(cat "$WORK/stderr")"
	[ ! -e "$WORK/x.pcap" ] || fail "a pcap file was written"
	"$BIN/sockcmp" run ports --pcap "$WORK/x.pcap" --out "$WORK/out" -q 2>"$WORK/stderr" && fail "a probe took --pcap"
	expect_eq "probe: exit status" "$?" 2
	pass "--pcap refused where it cannot capture only the run's traffic"
	exit 0 ;;
link) ;;
*) fail "unknown case $1" ;;
esac
[ -x /usr/bin/linux.uml ] || unshare -n true 2>/dev/null || skip "no user-mode Linux and no namespaces: no link runs here"
guest_bin_ok || skip "sanitized programs cannot run in the guest and there is no plain build in SOCKCMP_GUEST_BIN"
PY=$(command -v python3) || skip "python3 is not installed (./run installs it)"
mkdir "$WORK/cap dir"
pcap="$WORK/cap dir/run 1.pcap" # a space, and a relative path below
( cd "$WORK" && "$BIN/sockcmp" run boundaries -t tcp,udp -L 'delay 1ms' --pcap "cap dir/run 1.pcap" \
	--out "$WORK/out" -q --no-plots >"$WORK/stdout" 2>"$WORK/stderr" ) ||
	fail "sockcmp run exited $?: $(cat "$WORK/stderr")"
[ -s "$pcap" ] || fail "no pcap file: $(ls -la "$WORK/cap dir")"
! ls -a "$WORK/cap dir" | grep -q '\.tmp-' || fail "temporary file left: $(ls -a "$WORK/cap dir")"
csv="$WORK/out/boundaries.csv"
# The pcap, record by record: prints "bad: WHY" or the counts.
summary=$("$PY" - "$pcap" <<'PYEOF'
import struct, sys
b = open(sys.argv[1], 'rb').read()
if len(b) < 24: print("bad: shorter than the file header"); sys.exit()
magic, major, minor, zone, sigfigs, snap, link = struct.unpack_from('<IHHiIII', b, 0)
if (magic, major, minor, link) != (0xa1b23c4d, 2, 4, 1):
    print("bad: header %x %d.%d link %d" % (magic, major, minor, link)); sys.exit()
off, frames, syn, tcp_payload, udp512, last = 24, 0, 0, 0, 0, 0
while off < len(b):
    if off + 16 > len(b): print("bad: record header cut at %d" % off); sys.exit()
    sec, ns, caplen, length = struct.unpack_from('<IIII', b, off)
    off += 16
    if ns >= 10**9 or caplen > length or caplen > snap or off + caplen > len(b):
        print("bad: record at %d: ns %d caplen %d len %d" % (off - 16, ns, caplen, length)); sys.exit()
    if sec * 10**9 + ns < last: print("bad: time goes back at %d" % off); sys.exit()
    last = sec * 10**9 + ns
    f = b[off:off + caplen]
    off += caplen
    frames += 1
    if f[12:14] != b'\x08\x00': continue
    ihl = (f[14] & 15) * 4
    total = struct.unpack('>H', f[16:18])[0]
    if f[23] == 6:
        t = f[14 + ihl:]
        syn += (t[13] & 0x12) == 0x02
        tcp_payload += total - ihl - (t[12] >> 4) * 4
    elif f[23] == 17 and total - ihl - 8 == 512:
        udp512 += 1
print(frames, syn, tcp_payload, udp512)
PYEOF
)
case $summary in bad:*) fail "not a valid pcap: $summary" ;; esac
read -r frames syn tcp_payload udp512 <<<"$summary"
expect_eq "TCP SYNs (the handshake)" "$syn" 1
expect_eq "TCP payload bytes captured" "$tcp_payload" "$(csv_col "$csv" sent_bytes transport=tcp)"
expect_eq "UDP 512-byte datagrams captured" "$udp512" "$(csv_col "$csv" sent_msgs transport=udp)"
pass "pcap of the link run: $frames frames, valid, the run's packets"
