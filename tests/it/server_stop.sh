#!/usr/bin/env bash
# server-model ends on SIGTERM with clients still connected (the driver
# sends it after a trial; it used to wait for every connected client to
# close, so the driver's SIGKILL came after a second, and with it the
# fork children's "served" lines went). Three clients hold their
# connections open across the signal: A got its answer and is idle, B has
# sent a whole request (the iterative server has not taken B yet: it is in
# the backlog), C has sent 30 bytes of a 64-byte request. After SIGTERM to
# the server's PID alone (as the driver sends it), every connection is
# ended by the server while its client still holds it, B's request is
# answered (the iterative server only now), C's is not, the server exits
# 0, and every connection has its "served PID TID N" line: N = 1, 1, 0.
# The fork and thread servers also serve D, a client that sends requests
# and never reads its answers, until the server waits in a write to it:
# the stop gives that write 1 s, then ends D's connection too (before, the
# server waited for D forever and the driver had to SIGKILL it), and D
# says its line with every answer it got written.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"

for model in iterative fork thread; do
	"$BIN/server-model" --model "$model" --size 64 >"$WORK/$model.out" 2>"$WORK/$model.err" &
	spid=$!
	PIDS+=("$spid")
	port=$(wait_listen "$WORK/$model.out")
	port=${port##*:}
	py "$spid" "$port" "$model" <<'PY' || fail "$model: see above"
import os, signal, socket, time
pid, port, model = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def dial():
    return socket.create_connection(("127.0.0.1", port), timeout=10)
def recv_exact(s, n):
    b = b""
    while len(b) < n:
        d = s.recv(n - len(b))
        if not d:
            break
        b += d
    return b
def req(c):
    return bytes([c]) * 64
a = dial()
a.sendall(req(65))
check(recv_exact(a, 64) == req(65), model, "A: no answer before the stop")
b = dial()
b.sendall(req(66))
if model != "iterative":  # the iterative server is still serving A
    check(recv_exact(b, 64) == req(66), model, "B: no answer before the stop")
c = dial()
c.sendall(req(67)[:30])
hog = None
if model != "iterative":  # the iterative server would take D only after the stop
    hog = socket.socket()
    hog.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    hog.connect(("127.0.0.1", port))
    hog.setblocking(False)
    chunk, stalled, deadline = req(68) * 1024, None, time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            hog.send(chunk)
            stalled = None
        except BlockingIOError:
            stalled = stalled or time.monotonic()
            if time.monotonic() - stalled > 0.5:
                break
            time.sleep(0.01)
    check(stalled and time.monotonic() - stalled > 0.5, model, "D: the server kept reading for 30 s")
os.kill(pid, signal.SIGTERM)
got = {}
for name, s in (("A", a), ("B", b), ("C", c)):
    data = b""
    try:
        while True:
            d = s.recv(4096)
            if not d:
                break
            data += d
    except socket.timeout:
        check(False, model, name, "still connected 10 s after SIGTERM: the server waits for its client")
    except ConnectionResetError:
        pass
    got[name] = data
check(got["A"] == b"", model, "A got", got["A"])
check(got["B"] == (req(66) if model == "iterative" else b""), model, "B got", got["B"])
check(got["C"] == b"", model, "C got an answer to half a request:", got["C"])
def ended():  # exited (a zombie until the shell reaps it) or gone
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, ProcessLookupError):  # gone, or going as we read
        return True
if hog:  # D stays connected, unread, until the server has ended (named
    # hog: the loop above reuses d)
    deadline = time.monotonic() + 10
    while not ended() and time.monotonic() < deadline:
        time.sleep(0.02)
    check(ended(), model, "still running 10 s after SIGTERM: its write to D, who never reads, holds it")
    hog.close()
PY
	for i in $(seq 1 500); do
		kill -0 "$spid" 2>/dev/null || break
		sleep 0.02
	done
	kill -0 "$spid" 2>/dev/null && fail "$model: still running 10 s after SIGTERM, its clients gone"
	rc=0
	wait "$spid" || rc=$?
	expect_eq "$model: exit status" "$rc" 0
	lines=$(grep '^served ' "$WORK/$model.out" || true)
	if [ "$model" = iterative ]; then
		expect_eq "$model: requests answered per connection" "$(awk '{ print $4 }' <<<"$lines" | sort -n | tr '\n' ' ')" "0 1 1 "
		conns=3
	else
		# A, B, C as above; D, the largest, had many answers written.
		expect_eq "$model: requests answered per connection (A, B, C)" \
			"$(awk '{ print $4 }' <<<"$lines" | sort -n | head -3 | tr '\n' ' ')" "0 1 1 "
		d=$(awk '{ print $4 }' <<<"$lines" | sort -n | sed -n 4p)
		[ -n "$d" ] && [ "$d" -gt 1 ] || fail "$model: no served line for D with its answers: $lines"
		conns=4
	fi
	case $model in
	iterative) expect_eq "iterative: all by the server itself" "$(awk -v p="$spid" '$2 == p && $3 == p' <<<"$lines" | wc -l)" $conns ;;
	fork) expect_eq "fork: each by a child of its own" "$(awk -v p="$spid" '$2 != p && $2 == $3 { print $2 }' <<<"$lines" | sort -u | wc -l)" $conns ;;
	thread) expect_eq "thread: each by a thread of the server" "$(awk -v p="$spid" '$2 == p && $3 != p { print $3 }' <<<"$lines" | sort -u | wc -l)" $conns ;;
	esac
done
pass "server-model ends on SIGTERM with clients connected; every connection says what it served"
