#!/usr/bin/env bash
# Bad input: a clear "FILE:LINE: what is wrong", exit status 2, nothing written.
. "$(dirname "$0")/lib.sh"
check() { # check NAME EXPECTED-MESSAGE-REGEX SCRIPT-TEXT
	local f="$WORK/$1.exp" out="$WORK/out-$1" rc=0
	printf '%b' "$3" >"$f"
	"$BIN/sockcmp" run "$f" --out "$out" >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
	expect_eq "$1: exit status" "$rc" 2
	grep -Eq "$2" "$WORK/stderr" || fail "$1: message '$(cat "$WORK/stderr")' does not match /$2/"
	[ "$(wc -l <"$WORK/stderr")" -eq 1 ] || fail "$1: more than one line of error: $(cat "$WORK/stderr")"
	[ ! -e "$out" ] || [ -z "$(ls -A "$out")" ] || fail "$1: files were written: $(ls "$out")"
}
ok='experiment x\ntransports tcp\nsend 5 x 512\nrecv 2560\n'
check directive "^sockcmp: .*/directive.exp:2: unknown directive 'sned'" 'experiment x\nsned 5 x 512\n'
check size "^sockcmp: .*/size.exp:3: .*'51q'" 'experiment x\ntransports tcp\nsend 5 x 51q\nrecv 2560\n'
check duration "^sockcmp: .*/duration.exp:4: .*'50parsecs'" 'experiment x\ntransports tcp\nsend 5 x 512\nrecv 2560 after 50parsecs\n'
check transport "^sockcmp: .*/transport.exp:2: unknown transport 'tpc'" 'experiment x\ntransports tpc\nsend 5 x 512\nrecv 2560\n'
check tiny "^sockcmp: .*/tiny.exp:3: .*44" 'experiment x\ntransports tcp\nsend 5 x 20\nrecv 2560\n'
check norecv "^sockcmp: .*/norecv.exp.*recv" 'experiment x\ntransports tcp\nsend 5 x 512\n'
# Limits known before running (issue 7 #14): refused when read, nothing run,
# by check and run alike.
check udp-big "^sockcmp: .*/udp-big.exp:3: send size 70000 is above udp's limit of 65507 bytes" \
	'experiment x\ntransports tcp udp\nsend 10 x 70000\nrecv 64k\n'
check udp6-big "^sockcmp: .*/udp6-big.exp:4: send size 65528 is above udp6's limit of 65527 bytes" \
	'experiment x\ntransports udp6\nsend 1 x 100\nsend 65528\nrecv 64k\n'
check udp-sweep "^sockcmp: .*/udp-sweep.exp:5: sweep size 65508 is above udp's limit" \
	'experiment x\ntransports udp\nsend 10 x 100\nrecv 64k\nsweep size 1k 65508\n'
check timeout-1ns "^sockcmp: .*/timeout-1ns.exp:5: timeout 1ns is below the 100ms minimum" \
	'experiment x\ntransports tcp\nsend 44\nrecv 1\ntimeout 1ns\n'
check netem-no-value "^sockcmp: .*/netem-no-value.exp:5: link: delay needs a value" \
	'experiment x\ntransports udp\nsend 44\nrecv 1\nlink loss 5% delay\n'
check control-chars "^sockcmp: .*/control-chars.exp:2: a control character '\\\\x1b' at column 7" \
	'experiment x\ntitle \033[2J\033]0;pwned\007\ntransports tcp\nsend 44\nrecv 1\n'
! grep -q $'\033' "$WORK/stderr" || fail "control-chars: an escape byte reached the terminal"
for c in udp-big timeout-1ns netem-no-value; do
	rc=0
	"$BIN/sockcmp" check "$WORK/$c.exp" >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
	expect_eq "check $c: exit status" "$rc" 2
	grep -q "^sockcmp: $WORK/$c.exp:" "$WORK/stderr" || fail "check $c: '$(cat "$WORK/stderr")'"
done

rc=0
"$BIN/sockcmp" run "$WORK/missing.exp" --out "$WORK/out-missing" 2>"$WORK/stderr" || rc=$?
expect_eq "missing file: exit status" "$rc" 2
grep -q "missing.exp" "$WORK/stderr" || fail "missing file: '$(cat "$WORK/stderr")'"
[ ! -e "$WORK/out-missing" ] || fail "missing file: output directory was created"

printf '%b' "$ok" >"$WORK/ok.exp"
rc=0
"$BIN/sockcmp" run "$WORK/ok.exp" --transports tcp,bogus --out "$WORK/out-t" 2>"$WORK/stderr" || rc=$?
expect_eq "--transports bogus: exit" "$rc" 2
grep -q "unknown transport 'bogus'" "$WORK/stderr" || fail "--transports bogus: '$(cat "$WORK/stderr")'"
rc=0
"$BIN/sockcmp" run "$WORK/ok.exp" --repeat 0 2>"$WORK/stderr" || rc=$?
expect_eq "--repeat 0: exit" "$rc" 2

# run_bad NAME REGEX ARGS...: sockcmp ARGS exits 2 with one line matching
# REGEX on stderr and writes nothing.
run_bad() {
	local name=$1 re=$2 rc=0
	shift 2
	timeout -k 1 60 "$BIN/sockcmp" "$@" >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
	expect_eq "$name: exit status" "$rc" 2
	grep -Eq "$re" "$WORK/stderr" || fail "$name: message '$(cat "$WORK/stderr")' does not match /$re/"
	expect_eq "$name: lines of error" "$(wc -l <"$WORK/stderr")" 1
	[ ! -e "$WORK/out-$name" ] || [ -z "$(ls -A "$WORK/out-$name")" ] ||
		fail "$name: files were written: $(ls "$WORK/out-$name")"
}
# --transports is checked like the script's line: each transport once, and
# the sizes against the transports that will really run.
run_bad transports-twice "^sockcmp: --transports: transport 'tcp' named twice" \
	run "$WORK/ok.exp" --transports tcp,tcp --out "$WORK/out-transports-twice"
printf 'experiment x\ntransports tcp\nsend 10 x 70000\nrecv 64k\n' >"$WORK/tcp-big.exp"
run_bad transports-udp-big "^sockcmp: .*/tcp-big.exp:3: send size 70000 is above udp's limit.*--transports names udp" \
	run "$WORK/tcp-big.exp" --transports tcp,udp --out "$WORK/out-transports-udp-big"
run_bad check-transports-udp-big "tcp-big.exp:3: send size 70000 is above udp's" \
	check "$WORK/tcp-big.exp" --transports udp
"$BIN/sockcmp" check "$WORK/udp-big.exp" --transports tcp >/dev/null ||
	fail "--transports tcp leaves out the udp the script names, yet the size is refused"
# Limits of this machine (an AF_UNIX datagram must fit in the sender's
# buffer): refused before the first trial, nothing run.
printf 'experiment x\ntransports unix-stream unix-dgram\nsend 3 x 16M\nrecv 64k\n' >"$WORK/unix-big.exp"
run_bad unix-big "^sockcmp: .*/unix-big.exp:3: send size 16777216 is above unix-dgram's limit of [0-9]+ bytes per message \(what fits in the sender's socket buffer on this kernel" \
	run "$WORK/unix-big.exp" --out "$WORK/out-unix-big" --no-plots
# A FIFO as the script: refused at once, never waited on (the timeout in
# run_bad turns a hang into exit 124).
mkfifo "$WORK/fifo.exp"
run_bad fifo "fifo.exp: a FIFO, not a regular file" run "$WORK/fifo.exp" --out "$WORK/out-fifo"
run_bad fifo-check "fifo.exp: a FIFO, not a regular file" check "$WORK/fifo.exp"
# An empty --out is bad input, not a failed run.
run_bad out-empty "^sockcmp: --out: an empty path" run "$WORK/ok.exp" --out ''
# --link errors name the option, not FILE:0.
run_bad link-no-value "^sockcmp: --link: delay needs a value" \
	run "$WORK/ok.exp" --link 'loss 5% delay' --out "$WORK/out-link-no-value"
run_bad link-reverse-word "^sockcmp: --link-reverse: 'banana' is not a netem keyword" \
	run "$WORK/ok.exp" --link-reverse 'banana' --out "$WORK/out-link-reverse-word"
run_bad check-link "^sockcmp: --link: bad value '10' after delay" check "$WORK/ok.exp" --link 'delay 10'
# Words from the command line are quoted back escaped too.
run_bad unknown-command "^sockcmp: unknown command 'x\\\\x1b\\[2J'" $'x\033[2J'
! grep -q $'\033' "$WORK/stderr" || fail "unknown-command: an escape byte reached the terminal"
run_bad repeat-blank "^sockcmp: --repeat ' 5': expected a whole number from 1 to 1000" run "$WORK/ok.exp" --repeat ' 5'

# The programs' own options.
for bad in "--read 0" "--read 17M" "--after 3q" "--transport udp" "--listen nonsense" "--bogus"; do
	rc=0
	# shellcheck disable=SC2086
	"$BIN/stream-recv" $bad >/dev/null 2>"$WORK/stderr" || rc=$?
	expect_eq "stream-recv $bad: exit" "$rc" 2
	grep -q '^stream-recv: ' "$WORK/stderr" || fail "stream-recv $bad: '$(cat "$WORK/stderr")'"
done
rc=0
"$BIN/datagram-send" --to 127.0.0.1:9 --send "2 x 70000" 2>"$WORK/stderr" || rc=$?
expect_eq "oversized udp message: exit" "$rc" 2
grep -q "65507" "$WORK/stderr" || fail "oversized udp: message does not name the limit: $(cat "$WORK/stderr")"
pass "bad input"
