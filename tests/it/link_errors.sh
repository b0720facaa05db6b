#!/usr/bin/env bash
# Impaired-link input errors, one case per ctest entry (link_errors.sh CASE).
# Each case makes its own condition happen rather than hoping the machine
# has it: a bad netem string, an unprivileged user (setpriv, or this user
# if it is not root), a guest kernel that is not there.
#   parse            netem arguments that break tc-netem's grammar: FILE:LINE, exit 2,
#                    nothing run (no guest needed)
#   tc-line          netem arguments tc itself rejects (in the guest): the script's
#                    FILE:LINE and tc's words, exit 2, nothing written
#   tc-option        the same from --link: the option is named, not FILE:0
#   host-unprivileged  --kernel host without root: says so, exit 1
#   neither          no netem here (not root) and no user-mode Linux: one line
#                    naming both remedies, exit 1
#   guest-limit      a message too large for an AF_UNIX datagram in the guest: the
#                    guest's own probe refuses it before the first trial, exit 2
. "$(dirname "$0")/lib.sh"
case=${1:?usage: link_errors.sh CASE}

# as_nobody CMD...: runs CMD as an unprivileged user: uid 65534 through
# setpriv when we are root, else as ourselves (already not root).
as_nobody() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		"$@"
	fi
}
# A folder the unprivileged user can write in.
nobody_dir() {
	chmod 711 "$WORK"
	mkdir "$WORK/nobody"
	[ "$(id -u)" -ne 0 ] || chown 65534:65534 "$WORK/nobody"
}
needs_guest() {
	[ -x /usr/bin/linux.uml ] || skip "user-mode-linux is not installed (./run installs it)"
	guest_bin_ok || skip "sanitized programs cannot run in the guest and there is no plain build in SOCKCMP_GUEST_BIN"
}

case $case in
parse)
	printf 'experiment bad-link\ntransports udp\nsend 10 x 100\nrecv 100\nlink loss 5%% delay banana\n' >"$WORK/bad.exp"
	rc=0
	"$BIN/sockcmp" run "$WORK/bad.exp" --kernel uml --out "$WORK/out" --no-plots 2>"$WORK/err" || rc=$?
	expect_eq "netem grammar: exit status" "$rc" 2
	grep -q "^sockcmp: $WORK/bad.exp:5: link: bad value 'banana' after delay (expected a time such as 10ms)$" \
		"$WORK/err" || fail "message: $(cat "$WORK/err")"
	expect_eq "netem grammar: lines of error" "$(wc -l <"$WORK/err")" 1
	[ ! -e "$WORK/out" ] || fail "the output folder was made"
	;;
tc-line | tc-option)
	needs_guest
	# A rate's packet overhead must fit in 32 bits: sockcmp's grammar
	# lets ten digits through, tc refuses the value (in the guest).
	printf 'experiment bad-link\ntransports udp\nsend 10 x 100\nrecv 100\nlink rate 1mbit 9999999999\n' >"$WORK/bad.exp"
	if [ "$case" = tc-line ]; then
		want="bad.exp:5: tc rejected netem 'rate 1mbit 9999999999'"
		set -- "$WORK/bad.exp"
	else
		want="^sockcmp: --link: tc rejected netem 'rate 1mbit 9999999999'"
		printf 'experiment bad-link\ntransports udp\nsend 10 x 100\nrecv 100\nlink delay 1ms\n' >"$WORK/ok.exp"
		set -- "$WORK/ok.exp" --link 'rate 1mbit 9999999999'
	fi
	rc=0
	"$BIN/sockcmp" run "$@" --kernel uml --out "$WORK/out" --no-plots 2>"$WORK/err" || rc=$?
	expect_eq "rejected netem: exit status" "$rc" 2
	grep -q "$want" "$WORK/err" || fail "message does not match /$want/: $(cat "$WORK/err")"
	! grep -q ':0: ' "$WORK/err" || fail "a FILE:0: message: $(cat "$WORK/err")"
	[ -z "$(ls -A "$WORK/out" 2>/dev/null)" ] || fail "files were written: $(ls "$WORK/out")"
	;;
host-unprivileged)
	command -v setpriv >/dev/null || skip "no setpriv (util-linux) to drop root"
	nobody_dir
	rc=0
	as_nobody "$BIN/sockcmp" run "$SRC/tests/it/exp/uml-dup.exp" --kernel host --transports udp \
		--out "$WORK/nobody/out" --no-plots >/dev/null 2>"$WORK/err" || rc=$?
	expect_eq "--kernel host without root: exit status" "$rc" 1
	grep -q "^sockcmp: cannot make the test namespaces (not root, so no CAP_NET_ADMIN here): " "$WORK/err" ||
		fail "--kernel host: no word of what is missing: $(cat "$WORK/err")"
	[ "$(wc -l <"$WORK/err")" -le 2 ] || fail "--kernel host: a long error: $(cat "$WORK/err")"
	[ -z "$(ls -A "$WORK/nobody/out" 2>/dev/null)" ] || fail "files were written: $(ls "$WORK/nobody/out")"
	;;
neither)
	command -v setpriv >/dev/null || skip "no setpriv (util-linux) to drop root"
	nobody_dir
	rc=0
	SOCKCMP_LINUX_UML=/nonexistent/linux.uml as_nobody "$BIN/sockcmp" run "$SRC/tests/it/exp/uml-dup.exp" \
		--out "$WORK/nobody/out" --no-plots >/dev/null 2>"$WORK/err" || rc=$?
	expect_eq "neither netem nor UML: exit status" "$rc" 1
	grep -q "^sockcmp: no way to impair a link here: not root, so no CAP_NET_ADMIN here, and /nonexistent/linux.uml is not installed" "$WORK/err" ||
		fail "neither: what is missing is not said: $(cat "$WORK/err")"
	grep -q "sch_netem" "$WORK/err" && grep -q "apt-get install user-mode-linux" "$WORK/err" ||
		fail "neither: the message does not name both remedies: $(cat "$WORK/err")"
	expect_eq "neither: one line" "$(wc -l <"$WORK/err")" 1
	[ -z "$(ls -A "$WORK/nobody/out" 2>/dev/null)" ] || fail "neither: files were written"
	;;
guest-limit)
	needs_guest
	printf 'experiment big\ntransports tcp unix-dgram\nsend 3 x 16M\nrecv 64k\nlink delay 1ms\n' >"$WORK/big.exp"
	rc=0
	"$BIN/sockcmp" run "$WORK/big.exp" --kernel uml --out "$WORK/out" --no-plots 2>"$WORK/err" || rc=$?
	expect_eq "too large for the guest: exit status" "$rc" 2
	grep -Eq "^sockcmp: $WORK/big.exp:3: send size 16777216 is above unix-dgram's limit of [0-9]+ bytes per message \\(what fits in the sender's socket buffer on this kernel" \
		"$WORK/err" || fail "the guest's probe did not refuse it: $(cat "$WORK/err")"
	[ -z "$(ls -A "$WORK/out" 2>/dev/null)" ] || fail "files were written: $(ls "$WORK/out")"
	;;
*) fail "unknown case '$case'" ;;
esac
pass "link errors: $case"
