#!/usr/bin/env bash
# issue 9: the servers mode's behaviour (not its speed: no figure here
# depends on how fast this machine is). Every server model answers; the
# iterative one serves one client at a time; the fork servers use several
# PIDs, the lecture's leaves zombies; the thread server a thread per
# client; counts agree between clients and server; nothing is left running
# after a run, nor after a kill -9 of the driver; bad scripts exit 2 with
# file:line.
. "$(dirname "$0")/lib.sh"

# Every sockcmp this test starts carries this in its environment, and its
# children inherit it, so leftovers are found without guessing at names
# (this shell does not carry it).
mark="servers-it-$$-$RANDOM"
sockcmp() { SOCKCMP_IT_MARK=$mark "$BIN/sockcmp" "$@"; }
marked() {
	# one grep over every environ file (a loop of processes per file took
	# seconds on a busy machine); bounded, in case one cannot be read
	timeout 10 grep -lzx "SOCKCMP_IT_MARK=$mark" /proc/[0-9]*/environ 2>/dev/null |
		sed 's|^/proc/\([0-9]*\)/environ$|\1|' || true
}
cleanup_hooks+=('for p in $(marked); do kill -9 "$p" 2>/dev/null; done')

# Long connections: each client keeps one connection for the whole run,
# so the models' shapes show in a sample: the iterative server serves the
# first client and never reaches the second.
cat >"$WORK/long.exp" <<EXP
experiment long
mode servers
transports tcp udp
servers iterative fork lecture-fork thread udp
send 1000000 x 64
for 400ms
recv 64k
clients 3
EXP
sockcmp run "$WORK/long.exp" --out "$WORK/long" --no-plots --quiet ||
	fail "long run failed: $(cat "$WORK/long/long.csv" 2>/dev/null)"
csv="$WORK/long/long.csv"
for m in iterative fork lecture-fork thread udp; do
	expect_eq "$m: status" "$(csv_col "$csv" status server=$m)" 0
	expect_eq "$m: clients" "$(csv_col "$csv" concurrent_clients server=$m)" 3
	expect_eq "$m: nothing left after the server ended" "$(csv_col "$csv" server_left_procs server=$m)" 0
	samples=$(csv_col "$csv" server_samples server=$m)
	[ "$samples" -ge 3 ] || fail "$m: /proc sampled $samples times in 400 ms"
	sent=$(csv_col "$csv" sent_msgs server=$m)
	got=$(csv_col "$csv" round_trips server=$m)
	served=$(csv_col "$csv" server_served_reqs server=$m)
	# A reply is counted by the client only if the server wrote it; the
	# server may have answered a request its client gave up on at the end
	# (at most one per client), never one that was not sent.
	[ "$got" -gt 0 ] && [ "$got" -le "$served" ] && [ "$served" -le "$sent" ] &&
		[ $((sent - got)) -le 3 ] ||
		fail "$m: sent $sent, answered $got, server counted $served"
done
expect_eq "iterative: one client served at a time (the others wait)" "$(csv_col "$csv" clients_served server=iterative)" 1
expect_eq "iterative: one process" "$(csv_col "$csv" server_procs_max server=iterative)" 1
expect_eq "iterative: one thread" "$(csv_col "$csv" server_threads_max server=iterative)" 1
expect_eq "iterative: one PID" "$(csv_col "$csv" server_pids server=iterative)" 1
for m in fork lecture-fork thread udp; do
	expect_eq "$m: every client served" "$(csv_col "$csv" clients_served server=$m)" 3
done
expect_eq "fork: a process per client besides the listener" "$(csv_col "$csv" server_procs_max server=fork)" 4
expect_eq "fork: four PIDs" "$(csv_col "$csv" server_pids server=fork)" 4
expect_eq "lecture-fork: a process per client" "$(csv_col "$csv" server_procs_max server=lecture-fork)" 4
expect_eq "thread: one process" "$(csv_col "$csv" server_procs_max server=thread)" 1
expect_eq "thread: a thread per client besides the listener" "$(csv_col "$csv" server_threads_max server=thread)" 4
expect_eq "udp: one process, one thread" \
	"$(csv_col "$csv" server_procs_max server=udp) $(csv_col "$csv" server_threads_max server=udp)" "1 1"
expect_eq "udp: no connections" "$(csv_col "$csv" conns server=udp)" 0
# descriptors: a connected socket per client in the thread server's one
# table, beyond the udp server's (which has one socket for all)
fd_t=$(csv_col "$csv" server_fds_max server=thread)
fd_u=$(csv_col "$csv" server_fds_max server=udp)
[ "$fd_t" -ge $((fd_u + 3)) ] || fail "thread server's descriptors $fd_t, udp's $fd_u"
pass "long connections: the models' shapes in /proc, counts agree"

# Short connections (2 requests each): the fork servers fork again and
# again; the lecture's never reaps, so its zombies pile up; ours reaps.
cat >"$WORK/short.exp" <<EXP
experiment short
mode servers
transports tcp
servers fork lecture-fork
send 2 x 64
for 400ms
recv 64k
sweep clients 1 2
EXP
sockcmp run "$WORK/short.exp" --out "$WORK/short" --no-plots --quiet ||
	fail "short run failed: $(cat "$WORK/short/short.csv" 2>/dev/null)"
csv="$WORK/short/short.csv"
for m in fork lecture-fork; do
	for c in 1 2; do
		conns=$(csv_col "$csv" conns server=$m clients=$c)
		pids=$(csv_col "$csv" server_pids server=$m clients=$c)
		[ "$conns" -ge 3 ] || fail "$m, $c clients: only $conns connections in 400 ms"
		# each connection had a child of its own (the sampler may miss a
		# short-lived one; the server's own lines name them all), besides
		# the listener; a connection a client gave up on at the end still
		# got its child (at most one per client)
		[ "$pids" -ge $((conns + 1)) ] && [ "$pids" -le $((conns + 1 + c)) ] ||
			fail "$m, $c clients: $conns connections, $pids PIDs"
	done
done
# The lecture's zombies pile up to about one per connection; ours are
# reaped at the next turn of the accept loop, so at most a few are seen.
conns=$(csv_col "$csv" conns server=lecture-fork clients=1)
z=$(csv_col "$csv" server_zombies_max server=lecture-fork clients=1)
[ "$z" -ge 2 ] && [ "$z" -ge $((conns / 2)) ] || fail "lecture-fork: $z zombies at most after $conns connections (it never wait()s)"
z=$(csv_col "$csv" server_zombies_max server=fork clients=1)
[ "$z" -le 3 ] || fail "fork: $z zombies at once (it reaps)"
grep -q '^short,tcp,clients,' "$WORK/short/short-aggregate.csv" 2>/dev/null ||
	head -1 "$WORK/short/short-aggregate.csv" | grep -q 'x_clients' ||
	fail "aggregate has no x_clients column"
pass "short connections: a PID per connection; the lecture's server leaves zombies, ours does not"

# Charts (servers.gp): requests/s and p99 against clients, drawn in a
# folder named like gnuplot code, with a title that is gnuplot code:
# names reach gnuplot as data, nothing runs.
if [ -x /usr/bin/gnuplot ]; then
	inject="x';system('id > PWNED');a='"
	sed -e "s/^title .*/title $inject/" -e 's/^servers .*/servers udp thread/' -e 's/^for .*/for 100ms/' \
		-e 's/^sweep .*/sweep clients 1 2/' "$SRC/experiments/servers.exp" >"$WORK/charts.exp"
	sockcmp run "$WORK/charts.exp" --out "$WORK/$inject/c" --quiet 2>"$WORK/err" ||
		fail "charts run: exit $?: $(cat "$WORK/err")"
	for b in servers-rate servers-p99; do
		f="$WORK/$inject/c/$b.png"
		[ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
			[ "$(tail -c 8 "$f" | head -c 4)" = IEND ] || fail "$b.png is not a whole PNG"
	done
	[ -z "$(find "$WORK" -name PWNED)" ] || fail "gnuplot ran a command"
	grep -q '^servers,tcp,2,.*,thread' "$WORK/$inject/c/servers-aggregate.csv" ||
		fail "aggregate has no thread row for 2 clients: $(tr -d '\r' <"$WORK/$inject/c/servers-aggregate.csv")"
	pass "charts: requests/s and p99 drawn, names as data"
fi

[ -z "$(marked)" ] || fail "processes left after the runs: $(marked | tr '\n' ' ')"

# kill -9 of the driver in the middle of a trial: the watchdog ends the
# trial's processes, the server and its children among them.
cat >"$WORK/kill.exp" <<EXP
experiment kill
mode servers
transports tcp
servers fork
send 1000000 x 64
for 20s
recv 64k
clients 4
EXP
SOCKCMP_IT_MARK=$mark "$BIN/sockcmp" run "$WORK/kill.exp" --out "$WORK/kill" --no-plots --quiet 2>/dev/null &
drv=$!
up=0
for i in $(seq 1 250); do
	n=0
	for p in $(marked); do grep -q '^server-model' "/proc/$p/comm" 2>/dev/null && n=$((n + 1)); done
	[ "$n" -ge 5 ] && { up=1; break; }
	sleep 0.02
done
[ "$up" = 1 ] || { kill -9 $drv; fail "the fork server never had its 4 children"; }
kill -9 $drv
wait $drv 2>/dev/null || true
for i in $(seq 1 250); do
	[ -z "$(marked)" ] && break
	sleep 0.02
done
left=$(marked || true)
[ -z "$left" ] || fail "after kill -9 of the driver, still running: $(for p in $left; do cat /proc/$p/comm; done | tr '\n' ' ')"
pass "kill -9 of the driver: the server and its children are gone"

# Bad input: file:line and exit 2.
bad() {
	local what=$1 line=$2 want=$3 rc=0
	printf 'experiment b\nmode servers\ntransports tcp\nsend 2 x 64\nrecv 64k\n%s\n' "$line" >"$WORK/b.exp"
	sockcmp run "$WORK/b.exp" --out "$WORK/b" --no-plots --quiet 2>"$WORK/b.err" || rc=$?
	expect_eq "$what: exit" "$rc" 2
	grep -qF "$WORK/b.exp:6: $want" "$WORK/b.err" || fail "$what: said $(cat "$WORK/b.err")"
}
bad "unknown model" "servers fork prefork" "unknown server model 'prefork'"
bad "no clients" "clients 0" "clients 0 is out of range (from 1 to 256)"
bad "too many clients" "sweep clients 1 64 1000" "clients 1000 is out of range (from 1 to 256)"
bad "not a number" "clients many" "bad clients 'many'"
printf 'experiment b\nmode servers\ntransports tcp\nservers lecture-fork\nsend 2 x 81\nrecv 64k\n' >"$WORK/b.exp"
rc=0
sockcmp run "$WORK/b.exp" --out "$WORK/b2" --no-plots --quiet 2>"$WORK/b.err" || rc=$?
expect_eq "lecture-fork with 81-byte requests: exit" "$rc" 2
grep -qF "$WORK/b.exp:5: " "$WORK/b.err" || fail "81-byte requests to lecture-fork: said $(cat "$WORK/b.err")"
pass "bad input: file:line, exit 2"
