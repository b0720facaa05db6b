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
