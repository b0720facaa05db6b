#!/usr/bin/env bash
# Two hosts: `sockcmp serve` in one network namespace, `sockcmp run --peer`
# in another, joined by a veth pair this test creates (198.18.1.0/24, a
# benchmarking range that exists only inside these namespaces; both are
# removed by name at the end). Checks that:
#  - run boundaries --peer, and --reverse, give the same counts as loopback
#    (read sizes, bytes, lost, duplicated, reordered, boundaries kept) and
#    record the peer and the clock offset;
#  - a wrong key is refused (exit 1), hostile clients (garbage, an
#    oversized frame, a stalled one, a forged proof; run as nobody) are
#    refused and logged with their address, and the server keeps serving;
#  - a run that loses its server ends with a clear error and exit 1;
#  - run --peer ssh://USER@HOST (through a stand-in for the ssh client)
#    gives the same counts; the destination cannot smuggle in an option;
#  - --peer with a link, ssh:// with --key, or a key file others can read:
#    exit 2.
. "$(dirname "$0")/lib.sh"
command -v ip >/dev/null || skip "iproute2 (ip) is not installed"
command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"
a="scSa$$" b="scSb$$"
ip netns add "$a" 2>"$WORK/err" || skip "cannot create network namespaces here: $(cat "$WORK/err")"
cleanup_hooks+=("ip netns del $a")
ip netns add "$b" 2>"$WORK/err" || fail "second namespace: $(cat "$WORK/err")"
cleanup_hooks+=("ip netns del $b")
ip link add "sva$$" netns "$a" type veth peer name "svb$$" netns "$b"
ip -n "$a" addr add 198.18.1.1/24 dev "sva$$"
ip -n "$b" addr add 198.18.1.2/24 dev "svb$$"
ip -n "$a" link set lo up; ip -n "$a" link set "sva$$" up
ip -n "$b" link set lo up; ip -n "$b" link set "svb$$" up

S=198.18.1.2
chmod 755 "$WORK" # the unprivileged attacker needs to reach its scripts
start_server() {
	ip netns exec "$b" "$BIN/sockcmp" serve --listen "$S:0" --key "$WORK/server.key" \
		>"$WORK/serve.out" 2>>"$WORK/serve.err" &
	SPID=$!
	PIDS+=("$SPID")
	addr=$(wait_listen "$WORK/serve.out")
	port=${addr##*:}
}
start_server
[ -f "$WORK/server.key" ] || fail "serve made no key file"
expect_eq "key file mode" "$(stat -c %a "$WORK/server.key")" 600
cp "$WORK/server.key" "$WORK/client.key"
chmod 600 "$WORK/client.key"

run_peer() { # OUT [ARGS...]: the client in namespace a
	local out=$1
	shift
	ip netns exec "$a" "$BIN/sockcmp" run boundaries --transports tcp,udp --no-plots --quiet \
		--out "$WORK/$out" "$@"
}

"$BIN/sockcmp" run boundaries --transports tcp,udp --no-plots --quiet --out "$WORK/lo" 2>"$WORK/lo.err" ||
	fail "loopback run: $(cat "$WORK/lo.err")"


run_peer peer --peer "$S:$port" --key "$WORK/client.key" 2>"$WORK/peer.err" ||
	fail "run --peer: $(cat "$WORK/peer.err")"
same_as_loopback peer "run --peer" "$S:$port"
expect_eq "tcp read sizes" "$(csv_col "$WORK/peer/boundaries.csv" read_sizes transport=tcp)" 2560
run_peer rev --peer "$S:$port" --key "$WORK/client.key" --reverse 2>"$WORK/rev.err" ||
	fail "run --peer --reverse: $(cat "$WORK/rev.err")"
same_as_loopback rev "run --peer --reverse" "$S:$port"
grep -q "runs sender udp" "$WORK/serve.err" || fail "the server never ran a sender: $(cat "$WORK/serve.err")"
pass "serve and run --peer across namespaces: the counts of loopback"

# A wrong key: exit 1, and the server says why.
printf '%s\n' "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" >"$WORK/wrong.key"
chmod 600 "$WORK/wrong.key"
set +e
run_peer wrong --peer "$S:$port" --key "$WORK/wrong.key" 2>"$WORK/wrong.err"
rc=$?
set -e
expect_eq "exit status with a wrong key" $rc 1
grep -q "authentication failed" "$WORK/wrong.err" || fail "wrong key: $(cat "$WORK/wrong.err")"
grep -q "198.18.1.1:[0-9]*: refused: the client says" "$WORK/serve.err" ||
	fail "no refusal logged: $(cat "$WORK/serve.err")"

# Hostile clients, as nobody: garbage, a frame claiming 4 GiB, a stalled
# connection (kept open while a good run goes on), a forged proof.
hostile() { # NAME BYTES-AS-PRINTF-FORMAT
	cat >"$WORK/h-$1.sh" <<EOS
exec 3<>/dev/tcp/$S/$port || exit 0
printf '$2' >&3
timeout 15 cat <&3 >/dev/null
EOS
	ip netns exec "$a" setpriv --reuid=65534 --regid=65534 --clear-groups bash "$WORK/h-$1.sh" \
		2>/dev/null || true
}
ip netns exec "$a" setpriv --reuid=65534 --regid=65534 --clear-groups \
	bash -c "exec 3<>/dev/tcp/$S/$port; exec sleep 60" 2>/dev/null &
stalled=$!
PIDS+=("$stalled")
hostile garbage 'GET / HTTP/1.0\r\n\r\n'
hostile huge '\x53\x43\x01\x0a\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00'
# a HELLO, then an AUTH with a proof made up without the key
hostile forged '\x53\x43\x01\x01\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00AAAAAAAAAAAAAAAA\x53\x43\x01\x03\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00BBBBBBBB'
run_peer again --peer "$S:$port" --key "$WORK/client.key" 2>"$WORK/again.err" ||
	fail "a good run after hostile clients: $(cat "$WORK/again.err")"
same_as_loopback again "run --peer after hostile clients" "$S:$port"
for what in "not a sockcmp control frame" "frame length over the limit" "refused: wrong key"; do
	grep -q "198.18.1.1:[0-9]*: .*$what" "$WORK/serve.err" || fail "no '$what' in the log: $(cat "$WORK/serve.err")"
done
# The stalled client is given up at the handshake's deadline (10 s).
for i in $(seq 1 150); do
	grep -q "no answer in time" "$WORK/serve.err" && break
	sleep 0.2
done
grep -q "198.18.1.1:[0-9]*: refused before authentication: no answer in time" "$WORK/serve.err" ||
	fail "the stalled client was not refused: $(cat "$WORK/serve.err")"
kill "$stalled" 2>/dev/null || true
kill -0 "$SPID" || fail "the server is gone"
# One address holds at most half the places: with --max-clients 2, a
# second connection from the stalling host is turned away at once.
ip netns exec "$b" "$BIN/sockcmp" serve --listen "$S:0" --key "$WORK/server.key" --max-clients 2 \
	>"$WORK/serve2.out" 2>"$WORK/serve2.err" &
s2=$!
PIDS+=("$s2")
port2=$(wait_listen "$WORK/serve2.out")
port2=${port2##*:}
ip netns exec "$a" setpriv --reuid=65534 --regid=65534 --clear-groups \
	bash -c "exec 3<>/dev/tcp/$S/$port2; exec sleep 60" 2>/dev/null &
stalled=$!
PIDS+=("$stalled")
for i in $(seq 1 100); do
	[ -n "$(ip netns exec "$b" ss -Htn state established "( sport = :$port2 )")" ] && break
	sleep 0.05
done
set +e
ip netns exec "$a" "$BIN/sockcmp" run boundaries --transports udp --no-plots --quiet --out "$WORK/x2" \
	--peer "$S:$port2" --key "$WORK/client.key" 2>"$WORK/x2.err"
rc=$?
set -e
expect_eq "exit status when turned away" $rc 1
grep -q "198.18.1.1:[0-9]*: refused: already 1 control connections from 198.18.1.1" "$WORK/serve2.err" ||
	fail "no per-address refusal: $(cat "$WORK/serve2.err")"
kill "$stalled" "$s2" 2>/dev/null || true
pass "wrong key refused with exit 1; garbage, oversized, stalled and forged clients refused and logged; service goes on"

# Bad input: exit 2 before any connection.
st() { set +e; "$@" >/dev/null 2>"$WORK/st.err"; echo $?; set -e; }
expect_eq "--peer with a link" "$(st "$BIN/sockcmp" run reliability --peer "$S:$port" --key "$WORK/client.key" --no-plots --out "$WORK/x")" 2
grep -q "never touches real interfaces" "$WORK/st.err" || fail "link refusal: $(cat "$WORK/st.err")"
expect_eq "ssh:// peer with a key" "$(st "$BIN/sockcmp" run boundaries --peer ssh://host --key "$WORK/client.key" --out "$WORK/x")" 2
grep -q "not with ssh://" "$WORK/st.err" || fail "ssh refusal: $(cat "$WORK/st.err")"
chmod 640 "$WORK/client.key"
expect_eq "a key others can read" "$(st "$BIN/sockcmp" run boundaries --peer "$S:$port" --key "$WORK/client.key" --out "$WORK/x")" 2
grep -q "chmod 600" "$WORK/st.err" || fail "key mode refusal: $(cat "$WORK/st.err")"
chmod 600 "$WORK/client.key"
pass "--peer refuses links, ssh:// with --key and readable keys with exit 2"

# ssh://: the far side started through ssh (a stand-in for the OpenSSH
# client that runs the command in the server's namespace, as sshd would:
# OpenSSH's server is not installed here), its key on ssh's stdin.
export SOCKCMP_SSH="$SRC/tests/it/fake-ssh" FAKE_SSH_NS="$b" FAKE_SSH_LOG="$WORK/ssh.log" \
	FAKE_SSH_CONNECTION="198.18.1.1 50000 $S 22"
run_peer ssh --peer "ssh://tester@$S" 2>"$WORK/ssh.err" || fail "run --peer ssh://: $(cat "$WORK/ssh.err")"
same_as_loopback ssh "run --peer ssh://" "ssh://tester@$S"
run_peer sshrev --peer "ssh://tester@$S:2222" --reverse 2>"$WORK/ssh.err" ||
	fail "run --peer ssh:// --reverse: $(cat "$WORK/ssh.err")"
same_as_loopback sshrev "run --peer ssh:// --reverse" "ssh://tester@$S:2222 (sender)"
grep -qx -- "-T -e none -o BatchMode=yes -- tester@$S sockcmp serve --stdio" "$WORK/ssh.log" ||
	fail "ssh's arguments: $(cat "$WORK/ssh.log")"
grep -qx -- "-T -e none -o BatchMode=yes -p 2222 -- tester@$S sockcmp serve --stdio" "$WORK/ssh.log" ||
	fail "ssh's arguments with a port: $(cat "$WORK/ssh.log")"
expect_eq "ssh -o injection" "$(st "$BIN/sockcmp" run boundaries --peer 'ssh://-oProxyCommand=x' --out "$WORK/x")" 2
expect_eq "ssh shell syntax" "$(st "$BIN/sockcmp" run boundaries --peer 'ssh://h;id' --out "$WORK/x")" 2
[ "$(wc -l <"$WORK/ssh.log")" = 2 ] || fail "ssh started for a refused destination: $(cat "$WORK/ssh.log")"
unset SOCKCMP_SSH
pass "run --peer ssh:// (through a stand-in for OpenSSH): loopback's counts, key on stdin, no option injection"

# The server goes away in the middle of a trial: a clear error, exit 1.
cat >"$WORK/slow.exp" <<'EOS'
experiment slow
transports tcp
send       5 x 512
recv       2560 after 20s
EOS
set +e
ip netns exec "$a" "$BIN/sockcmp" run "$WORK/slow.exp" --no-plots --quiet --out "$WORK/slow" \
	--peer "$S:$port" --key "$WORK/client.key" 2>"$WORK/slow.err" &
cpid=$!
PIDS+=("$cpid")
for i in $(seq 1 250); do
	grep -q "runs receiver tcp" <(tail -n 1 "$WORK/serve.err") && break
	sleep 0.02
done
kill "$SPID"
wait "$cpid"
rc=$?
set -e
expect_eq "exit status when the server goes away" $rc 1
grep -q "lost the peer" "$WORK/slow.err" || fail "no clear error: $(cat "$WORK/slow.err")"
cat "$WORK/serve.err" >&2
pass "a lost server ends the run with exit 1: $(tail -n 1 "$WORK/slow.err")"
