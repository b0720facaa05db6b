#!/usr/bin/env bash
# One built-in probe (`sockcmp run NAME`): its CSV holds the measurement,
# and the verdict it prints follows from that measurement.
# Usage: probes.sh NAME
. "$(dirname "$0")/lib.sh"
name=${1:?probe name}
unshare -n true 2>/dev/null || skip "cannot create a network namespace (the probes measure in private ones)"
out="$WORK/out"
"$BIN/sockcmp" run "$name" --out "$out" >"$WORK/stdout" 2>"$WORK/stderr" ||
	fail "sockcmp run $name exited $?: $(cat "$WORK/stdout" "$WORK/stderr")"
verdict=$(sed -n '2s/^  \([a-z ]*\): .*/\1/p' "$WORK/stdout")
# value MEASURE: the value column of a "measure,value,unit" row.
value() { csv_col "$csv" value "measure=$1"; }
little_endian() { [ "$(printf '\1\0' | od -An -tu2 | tr -d ' ')" = 1 ]; }
case $name in
programs)
	csv="$out/programs.csv"
	expect_eq "pairings" "$(( $(wc -l <"$csv") - 1 ))" 11
	expect_eq "pairings that exchanged both messages" "$(csv_col "$csv" exchanged | grep -c '^yes$')" 11
	# sockcmp's raw programs record the lecture programs' exact bytes.
	expect_eq "stream-send saw the C server's reply" "$(csv_col "$csv" client_saw pairing=c-sockcmp)" "back to ya client"
	expect_eq "... 17 bytes" "$(csv_col "$csv" client_saw_bytes pairing=c-sockcmp)" 17
	expect_eq "stream-recv saw the C client" "$(csv_col "$csv" server_saw pairing=sockcmp-c)" "hello server"
	expect_eq "... 12 bytes" "$(csv_col "$csv" server_saw_bytes pairing=sockcmp-c)" 12
	expect_eq "the Python client saw stream-recv's reply" "$(csv_col "$csv" client_saw pairing=sockcmp-python)" "back to ya client"
	expect_eq "the fork server writes its whole 80-byte buffer" "$(csv_col "$csv" client_saw_bytes pairing=fork-sockcmp)" 80
	expect_eq "the fork client writes its whole 80-byte buffer" "$(csv_col "$csv" server_saw_bytes pairing=sockcmp-fork)" 80
	grep -q 'fork-fork,.*without ntohs' "$csv" || fail "fork-fork: no note on the port printed without ntohs"
	[ -s "$out/programs/python-python/server.out" ] || fail "no output kept for python-python"
	expect_eq verdict "$verdict" confirmed ;;
ports)
	csv="$out/ports.csv"
	l=$(value listener_port_from_port_0)
	read -r lo hi </proc/sys/net/ipv4/ip_local_port_range
	[ "$l" -ge "$lo" ] && [ "$l" -le "$hi" ] || fail "port 0 gave $l, outside $lo-$hi"
	expect_eq "accepted socket 1's port" "$(value accepted_1_local_port)" "$l"
	expect_eq "accepted socket 2's port" "$(value accepted_2_local_port)" "$l"
	[ "$(value accepted_1_peer_port)" != "$(value accepted_2_peer_port)" ] || fail "clients had the same port"
	expect_eq verdict "$verdict" wrong ;;
privileged-ports)
	csv="$out/privileged-ports.csv"
	expect_eq "uid 65534 bind 80" "$(csv_col "$csv" bind uid=65534 port=80)" EACCES
	expect_eq "uid 65534 bind 1023" "$(csv_col "$csv" bind uid=65534 port=1023)" EACCES
	expect_eq "uid 65534 bind 1024" "$(csv_col "$csv" bind uid=65534 port=1024)" ok
	expect_eq "root bind 80" "$(csv_col "$csv" bind uid=0 port=80)" ok
	expect_eq verdict "$verdict" wrong ;;
time-wait)
	csv="$out/time-wait.csv"
	expect_eq "TIME_WAIT sockets" "$(value time_wait_sockets_on_1234)" 1
	expect_eq "restarted bind errno (EADDRINUSE)" "$(value restart_bind_errno)" 98
	[ "$(value unchecked_bind_then_listen_port)" -gt 1024 ] || fail "no fallback port recorded"
	expect_eq "SO_REUSEADDR on both" "$(value bind_with_so_reuseaddr_on_both_ok)" 1
	expect_eq verdict "$verdict" "too simple" ;;
byte-order)
	csv="$out/byte-order.csv"
	expect_eq "after htonl" "$(csv_col "$csv" c0 measure=after_htonl)" 128
	if little_endian; then
		expect_eq "c[0] on this little-endian host" "$(csv_col "$csv" c0 measure=host_order)" 95
		expect_eq "the server without htons listens on" "$(csv_col "$csv" c0 measure=port_listened_with_sin_port_1234_no_htons)" 53764
	fi
	expect_eq verdict "$verdict" confirmed ;;
zero-length)
	csv="$out/zero-length.csv"
	expect_eq "tcp: packets for a 0-byte write" "$(csv_col "$csv" loopback_packets transport=tcp)" 0
	expect_eq "tcp: reader woken" "$(csv_col "$csv" reader_woken transport=tcp)" 0
	expect_eq "udp: packets" "$(csv_col "$csv" loopback_packets transport=udp)" 1
	expect_eq "udp: recv returned" "$(csv_col "$csv" recv_returned transport=udp)" 0
	expect_eq "seqpacket: recv returned" "$(csv_col "$csv" recv_returned transport=unix-seqpacket)" 0
	expect_eq "seqpacket: still open after the 0" "$(csv_col "$csv" connection_still_open transport=unix-seqpacket)" 1
	expect_eq verdict "$verdict" "too simple" ;;
backlog)
	csv="$out/backlog.csv"
	expect_eq "clients that completed the handshake with listen(s, 5)" "$(csv_col "$csv" outcome | grep -c '^established$')" 6
	expect_eq "clients that gave up" "$(csv_col "$csv" outcome | grep -c '^gave up$')" 4
	expect_eq verdict "$verdict" "too simple" ;;
connectionless)
	csv="$out/connectionless.csv"
	expect_eq "UDP first send to nobody" "$(value udp_connected_first_send_errno)" 0
	expect_eq "UDP next call (ECONNREFUSED)" "$(value udp_connected_second_send_errno)" 111
	expect_eq "unconnected sendto" "$(value udp_unconnected_sendto_errno)" 0
	expect_eq "TCP connect" "$(value tcp_connect_errno)" 111
	expect_eq verdict "$verdict" confirmed ;;
both-directions)
	csv="$out/both-directions.csv"
	for m in socket_a_sent socket_b_received socket_b_replied socket_a_received; do
		expect_eq "$m" "$(value $m)" 4
	done
	expect_eq verdict "$verdict" wrong ;;
sync-async)
	csv="$out/sync-async.csv"
	expect_eq "tcp send blocked" "$(csv_col "$csv" errno transport=tcp)" EAGAIN
	expect_eq "unix-dgram send blocked" "$(csv_col "$csv" errno transport=unix-dgram)" EAGAIN
	expect_eq "udp never blocked" "$(csv_col "$csv" errno transport=udp)" ok
	[ "$(csv_col "$csv" received transport=udp)" -lt "$(csv_col "$csv" sent_before_blocking transport=udp)" ] ||
		fail "udp dropped nothing"
	expect_eq verdict "$verdict" "too simple" ;;
size-limits)
	csv="$out/size-limits.csv"
	expect_eq "largest UDP/IPv4 datagram" "$(value udp_ipv4_largest)" 65507
	expect_eq "one byte more (EMSGSIZE)" "$(value udp_ipv4_one_more_errno)" 90
	expect_eq "largest UDP/IPv6 datagram" "$(value udp_ipv6_largest)" 65527
	[ "$(value stream_reads_of_64KiB)" -gt 1 ] || fail "the stream transfer arrived in one read"
	expect_eq verdict "$verdict" "too simple" ;;
wire-overhead)
	csv="$out/wire-overhead.csv"
	expect_eq "udp frames for 5 x 512" "$(csv_col "$csv" frames exchange=udp_5x512)" 5
	t=$(csv_col "$csv" frames exchange=tcp_5x512)
	d=$(csv_col "$csv" tcp_data_segments exchange=tcp_5x512)
	[ "$t" -gt 5 ] && [ "$d" -lt "$t" ] || fail "tcp: $t frames, $d with data: no acknowledgements seen"
	# The capture accounts for every frame the counters saw, ACKs apart.
	acks=$(csv_col "$csv" captured_pure_acks exchange=tcp_5x512)
	[ "$acks" -gt 0 ] || fail "no pure ACKs captured"
	expect_eq "captured tcp frames" "$(( $(csv_col "$csv" captured_handshake exchange=tcp_5x512) + \
		$(csv_col "$csv" captured_data exchange=tcp_5x512) + acks + \
		$(csv_col "$csv" captured_fin exchange=tcp_5x512) ))" "$t"
	expect_eq "pcap magic (nanosecond pcap)" "$(od -An -tx4 -N4 "$out/wire-overhead.pcap" | tr -d ' ')" a1b23c4d
	expect_eq verdict "$verdict" confirmed ;;
ping)
	csv="$out/ping.csv"
	expect_eq "ICMP datagram socket's protocol" "$(value icmp_dgram_protocol)" 1
	expect_eq "UDP socket's protocol" "$(value udp_socket_protocol)" 17
	expect_eq "echo reply" "$(value icmp_dgram_echo_reply)" 1
	expect_eq verdict "$verdict" "too simple" ;;
unix-names)
	csv="$out/unix-names.csv"
	expect_eq "path socket is a socket file" "$(value path_socket_is_S_ISSOCK)" 1
	expect_eq "file stays after close" "$(value file_remains_after_close)" 1
	expect_eq "abstract socket listed" "$(value abstract_listed_in_proc_net_unix)" 1
	expect_eq "abstract socket has no file" "$(value abstract_has_a_file)" 0
	expect_eq verdict "$verdict" "too simple" ;;
read-patterns)
	csv="$out/read-patterns.csv"
	for t in tcp unix-stream udp unix-dgram; do
		for p in 0 2; do
			expect_eq "$t, $p ms: trials" "$(csv_col "$csv" trials transport=$t pace_ms=$p | awk '{s += $1} END {print s}')" 20
		done
	done
	for t in udp unix-dgram; do
		expect_eq "$t: every trial five 512-byte reads" "$(csv_col "$csv" read_sizes transport=$t | sort -u)" "512 512 512 512 512"
	done
	# Every stream pattern still adds up to the 2560 bytes written.
	csv_col "$csv" read_sizes transport=tcp | while read -r line; do
		expect_eq "tcp pattern '$line' adds up" "$(echo "$line" | awk '{for (i = 1; i <= NF; i++) s += $i} END {print s}')" 2560
	done
	expect_eq verdict "$verdict" "too simple" ;;
coalescing-patterns)
	csv="$out/coalescing-patterns.csv"
	for t in tcp unix-stream udp; do
		for l in 0 3 5 7 20; do
			expect_eq "$t, reader $l ms late: trials" "$(csv_col "$csv" trials transport=$t reader_late_ms=$l | awk '{s += $1} END {print s}')" 20
		done
	done
	expect_eq "udp: every trial five 512-byte reads" "$(csv_col "$csv" read_sizes transport=udp | sort -u)" "512 512 512 512 512"
	# reads is the pattern's number of reads, and every pattern adds up to 2560.
	awk -F, 'NR > 1 { n = split($6, s, " "); t = 0; for (i = 1; i <= n; i++) t += s[i]
		if (n != $5 || t != 2560) print "bad row: " $0 }' "$csv" >"$WORK/bad"
	[ ! -s "$WORK/bad" ] || fail "$(cat "$WORK/bad")"
	# The verdict follows the most frequent tcp pattern, waiting vs 20 ms late.
	top() { awk -F, -v t="$1" -v l="$2" 'NR > 1 && $1 == t && $3 == l && $4 > n { n = $4; p = $6 } END { print p }' "$csv"; }
	if [ "$(top tcp 0)" != "$(top tcp 20)" ] || [ "$(top unix-stream 0)" != "$(top unix-stream 20)" ]; then
		expect_eq verdict "$verdict" "too simple"
	else
		expect_eq verdict "$verdict" confirmed
	fi ;;
names)
	csv="$out/names.csv"
	expect_eq "TCP's name in /etc/protocols" "$(csv_col "$csv" value name=tcp)" "transmission control protocol"
	expect_eq "http's port" "$(csv_col "$csv" value table=/etc/services name=http)" 80
	expect_eq verdict "$verdict" wrong ;;
fork-server)
	csv="$out/fork-server.csv"
	l=$(csv_col "$csv" value server=fork measure=listener_pid)
	pids=$(csv_col "$csv" value server=fork | sed -n '2,4p')
	expect_eq "distinct serving PIDs" "$(echo "$pids" | sort -u | grep -vc "^$l$")" 3
	expect_eq "fork clients answered" "$(csv_col "$csv" value server=fork measure=clients_answered)" 3
	expect_eq "simple server: second client connected" "$(csv_col "$csv" value server=simple measure=second_client_connected)" 1
	# ... and heard of the server's exit: a reset (-1) or the end (0), not
	# nothing (-2: the probe stopped waiting before the server exited).
	case $(csv_col "$csv" value server=simple measure=second_client_read) in
	-1 | 0) ;;
	*) fail "second client's read: $(csv_col "$csv" value server=simple measure=second_client_read), want -1 or 0" ;;
	esac
	expect_eq verdict "$verdict" confirmed ;;
*) fail "no test for probe $name" ;;
esac
pass "probe $name: $verdict"
