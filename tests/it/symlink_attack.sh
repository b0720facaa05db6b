#!/usr/bin/env bash
# A stranger cannot make a run write through planted links (issue 7 #4).
# An unprivileged user pre-plants symlinks, in a world-writable (not
# sticky) results folder, at every name a run could predict: each result
# file and each "NAME.tmp-PID" for the next few thousand PIDs, all
# pointing at a root-owned 0600 file. Root then runs sockcmp (charts
# included) and the paired programs with --out there: the file stays
# intact, every result is written (the links replaced, never followed),
# and the run warns that the folder is writable by others.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root: the attack is root writing where a stranger planted links"
command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"

chmod 755 "$WORK"
shared="$WORK/shared"
mkdir "$shared"
chmod 0777 "$shared"
victim="$WORK/victim"
printf 'precious\n' >"$victim"
chmod 0600 "$victim"

names=(boundaries.csv boundaries-events.csv boundaries-messages.csv boundaries-aggregate.csv
	boundaries.png boundaries.svg r-summary.csv r-events.csv r-messages.csv s-summary.csv
	s-events.csv s-messages.csv)
last=$(cat /proc/sys/kernel/ns_last_pid)
# The attacker, as nobody: one symlink per predictable name.
setpriv --reuid=65534 --regid=65534 --clear-groups \
	perl -e 'my ($dir, $victim, $from, @names) = @ARGV;
		for my $n (@names) {
			symlink($victim, "$dir/$n") or die "$n: $!";
			for my $p ($from .. $from + 3000) { symlink($victim, "$dir/$n.tmp-$p") or die "$n: $!" }
		}' "$shared" "$victim" "$last" "${names[@]}" || fail "the attacker could not plant links"
[ "$(find "$shared" -type l | wc -l)" -gt 30000 ] || fail "links not planted"

intact() {
	[ "$(cat "$victim")" = precious ] || fail "$1: the root-owned file was overwritten: $(head -c 80 "$victim" | od -c | head -n 2)"
	[ "$(stat -c %a:%U "$victim")" = 600:root ] || fail "$1: the root-owned file changed: $(stat -c %a:%U "$victim")"
}

# regular DIR NAME...: each name is now a regular, non-empty file.
regular() {
	local n
	for n in "${@:2}"; do
		[ -f "$1/$n" ] && [ ! -L "$1/$n" ] && [ -s "$1/$n" ] || fail "$n: not written (still $(stat -c %F "$1/$n" 2>&1))"
	done
}

rc=0
"$BIN/sockcmp" run boundaries --out "$shared" --quiet 2>"$WORK/err" || rc=$?
intact "sockcmp run"
expect_eq "sockcmp run exit status ($(cat "$WORK/err"))" "$rc" 0
regular "$shared" "${names[@]:0:6}"
grep -q 'warning: .*written by other users' "$WORK/err" || fail "no warning about the shared folder: $(cat "$WORK/err")"
pass "sockcmp run: planted links never followed, every result written, a warning"

# The paired programs' --out PREFIX, on their own.
"$BIN/datagram-recv" --listen 127.0.0.1:0 --transport udp --read 2560 --token 77 --out "$shared/r" \
	--quiet >"$WORK/listen" 2>"$WORK/recv.err" &
rpid=$!
PIDS+=("$rpid")
addr=$(wait_listen "$WORK/listen")
"$BIN/datagram-send" --to "$addr" --transport udp --send "5 x 512" --token 77 --out "$shared/s" --quiet \
	2>"$WORK/send.err" || fail "sender exited $?: $(cat "$WORK/send.err")"
wait "$rpid" || fail "receiver exited $?: $(cat "$WORK/recv.err")"
intact "paired programs"
regular "$shared" r-summary.csv r-events.csv r-messages.csv s-summary.csv s-events.csv
grep -q 'warning: .*written by other users' "$WORK/send.err" || fail "sender: no warning: $(cat "$WORK/send.err")"
pass "paired programs: planted links never followed, every result written, a warning"

# Redrawn charts, too.
rm -f "$shared/boundaries.png" "$shared/boundaries.svg"
setpriv --reuid=65534 --regid=65534 --clear-groups \
	sh -c 'ln -s "$1" "$2/boundaries.png" && ln -s "$1" "$2/boundaries.svg"' sh "$victim" "$shared"
"$BIN/sockcmp" plot "$shared" >/dev/null 2>"$WORK/err" || fail "plot: exit $?: $(cat "$WORK/err")"
intact "sockcmp plot"
regular "$shared" boundaries.png boundaries.svg
pass "sockcmp plot: planted links never followed"

# A sticky world-writable folder (like /tmp) is protected: no warning.
chmod 1777 "$shared"
"$BIN/sockcmp" run boundaries --out "$shared" --quiet --no-plots 2>"$WORK/err" || fail "sticky: exit $?"
! grep -q warning "$WORK/err" || fail "warned about a sticky folder: $(cat "$WORK/err")"
intact "sticky"
pass "no warning for a sticky folder"
