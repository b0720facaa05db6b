#!/usr/bin/env bash
# Impaired-link input errors: netem arguments tc rejects give the script's
# file and line with tc's own words, exit 2, nothing written; asking for
# the host kernel where it has no netem says so.
. "$(dirname "$0")/lib.sh"
[ -x /usr/bin/linux.uml ] || skip "user-mode-linux is not installed (./run installs it)"
guest_bin_ok || skip "sanitized programs cannot run in the guest and there is no plain build in SOCKCMP_GUEST_BIN"
printf 'experiment bad-link\ntransports udp\nsend 10 x 100\nrecv 100\nlink loss 5%% delay banana\n' >"$WORK/bad.exp"
rc=0
"$BIN/sockcmp" run "$WORK/bad.exp" --kernel uml --out "$WORK/out" --no-plots 2>"$WORK/err" || rc=$?
expect_eq "rejected netem: exit status" "$rc" 2
grep -q "bad.exp:5: tc rejected netem 'loss 5% delay banana'" "$WORK/err" || fail "message: $(cat "$WORK/err")"
[ -z "$(ls -A "$WORK/out" 2>/dev/null)" ] || fail "files were written: $(ls "$WORK/out")"

# --kernel host: on a kernel with netem, as root, it runs; anywhere else it
# must say what is missing. (This test never touches the host's own
# interfaces to find out which.)
rc=0
"$BIN/sockcmp" run "$SRC/tests/it/exp/uml-dup.exp" --kernel host --transports udp --out "$WORK/out2" \
	--no-plots >/dev/null 2>"$WORK/err2" || rc=$?
if [ "$rc" -ne 0 ]; then
	expect_eq "--kernel host without netem: exit status" "$rc" 1
	grep -qi "netem\|root" "$WORK/err2" || fail "--kernel host: no word of what is missing: $(cat "$WORK/err2")"
	[ "$(wc -l <"$WORK/err2")" -le 2 ] || fail "--kernel host: a long error: $(cat "$WORK/err2")"
fi
# Neither netem on this kernel nor user-mode Linux: one message naming both
# remedies, exit 1. (Only checkable where this kernel has no netem or we
# are not root; elsewhere the run simply goes to this kernel.)
rc=0
SOCKCMP_LINUX_UML=/nonexistent/linux.uml "$BIN/sockcmp" run "$SRC/tests/it/exp/uml-dup.exp" \
	--out "$WORK/out3" --no-plots >/dev/null 2>"$WORK/err3" || rc=$?
if [ "$rc" -ne 0 ]; then
	expect_eq "neither netem nor UML: exit status" "$rc" 1
	grep -q "sch_netem" "$WORK/err3" && grep -q "user-mode-linux" "$WORK/err3" ||
		fail "neither: the message does not name both remedies: $(cat "$WORK/err3")"
	expect_eq "neither: one line" "$(wc -l <"$WORK/err3")" 1
	[ -z "$(ls -A "$WORK/out3" 2>/dev/null)" ] || fail "neither: files were written"
fi
pass "link errors"
