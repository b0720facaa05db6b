#!/usr/bin/env bash
# pair.sh - runs one of the lecture's servers and one client against each
# other inside the CURRENT network namespace (the caller starts this under
# `unshare -n`, so port 1234 and its TIME_WAIT are private to the pairing).
# Usage: pair.sh OUTDIR PORT SERVER_CMD... -- CLIENT_CMD...
#   PORT is the server's port, or "print" when the server picks one and
#   prints "port number: N" (the fork server); the client's arguments may
#   then hold the word PORT, replaced by that number.
# Writes OUTDIR/server.out, client.out, server.rc, client.rc.
set -uo pipefail
out=$1 port=$2
shift 2
srv=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do srv+=("$1"); shift; done
shift
cli=("$@")
ip link set lo up || exit 1
listening() { # the hex port in LISTEN (state 0A) in this namespace's table
	local hex
	hex=$(printf '%04X' "$1")
	grep -q ":$hex 00000000:0000 0A" /proc/net/tcp
}
"${srv[@]}" >"$out/server.out" 2>"$out/server.err" &
spid=$!
for _ in $(seq 1 250); do
	if [ "$port" = print ]; then
		p=$(sed -n 's/.*port number: \([0-9]*\).*/\1/p' "$out/server.out" | head -n 1)
		[ -n "$p" ] && listening "$p" && break
	else
		listening "$port" && break
	fi
	sleep 0.02
done
if [ "$port" = print ]; then
	for i in "${!cli[@]}"; do [ "${cli[$i]}" = PORT ] && cli[$i]=$p; done
fi
timeout 10 "${cli[@]}" >"$out/client.out" 2>"$out/client.err"
echo $? >"$out/client.rc"
# The simple servers exit after one client; the fork server never does.
for _ in $(seq 1 100); do kill -0 "$spid" 2>/dev/null || break; sleep 0.02; done
if kill -0 "$spid" 2>/dev/null; then
	sleep 0.2 # let the fork server's child print what it saw
	kill "$spid"
fi
wait "$spid"
echo $? >"$out/server.rc"
