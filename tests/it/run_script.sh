#!/usr/bin/env bash
# ./run's package step (install_missing), with stand-ins for dpkg-query,
# apt-get, id, sudo and systemctl on PATH (nothing is installed): what a
# fresh Debian 12 would see. Checks that:
#  - with everything installed it is silent and runs no apt-get;
#  - a gcc without libc6-dev gets libc6-dev (and only what is missing);
#    a package dpkg knows but has not installed ("un") counts as missing,
#    a held one ("hi") as installed;
#  - as root it runs apt-get directly, as a user through sudo, and a user
#    without sudo gets exit 1 and a reason;
#  - while apt-get runs, a policy-rc.d denies every service start (exit
#    101) and is removed afterwards, also when apt-get fails or ./run is
#    killed meanwhile; one the
#    machine already has is left as it was;
#  - openssh-server's service is disabled after it is installed on a
#    systemd machine (the tests start their own sshd).
. "$(dirname "$0")/lib.sh"
F="$WORK/fake" SU="$WORK/sudo"
mkdir -p "$F" "$SU"
# dpkg-query: the status of PKG from $WORK/status ("PKG STATUS" lines),
# exit 1 for a package dpkg does not know.
cat >"$F/dpkg-query" <<'EOS'
#!/bin/bash
pkg=${!#}
st=$(awk -v p="$pkg" '$1 == p { print $2 }' "$FAKE_DIR/status")
[ -n "$st" ] || { echo "dpkg-query: no packages found matching $pkg" >&2; exit 1; }
printf '%s ' "$st"
EOS
# apt-get: logs its arguments and the policy-rc.d it sees; fails when told.
cat >"$F/apt-get" <<'EOS'
#!/bin/bash
echo "apt-get $*" >>"$FAKE_DIR/log"
if [ -x "$FAKE_POLICY" ]; then "$FAKE_POLICY" ssh start; echo "policy exit $?" >>"$FAKE_DIR/log"; else echo "no policy" >>"$FAKE_DIR/log"; fi
[ "$1" != install ] || [ ! -e "$FAKE_DIR/apt-fails" ] || exit 100
# Ctrl-C or a kill while apt-get runs: the shell running ./run's functions goes.
[ "$1" != install ] || [ ! -e "$FAKE_DIR/apt-killed" ] || { kill -TERM "$PPID"; sleep 1; }
EOS
printf '#!/bin/sh\n[ "$1" = -u ] && echo "$FAKE_UID" || exec /usr/bin/id "$@"\n' >"$F/id"
printf '#!/bin/sh\necho "systemctl $*" >>"$FAKE_DIR/log"\n' >"$F/systemctl"
printf '#!/bin/sh\necho "sudo $1" >>"$FAKE_DIR/log"\nexec "$@"\n' >"$SU/sudo"
chmod 755 "$F"/* "$SU"/*
for t in env tee chmod rm awk cat readlink dirname; do ln -s "$(command -v $t)" "$F/$t"; done
export FAKE_DIR="$WORK" FAKE_POLICY="$WORK/policy-rc.d"

# try UID PATH-EXTRA PKG...: sources ./run in a subshell and runs
# install_missing PKG...; its stderr in $WORK/say, the calls in $WORK/log.
try() {
	local uid=$1 extra=$2
	shift 2
	rm -f "$WORK/log"
	: >"$WORK/log"
	set +e
	(
		export FAKE_UID=$uid PATH="$F${extra:+:$extra}"
		set -- # ./run sees no command: it defines its functions and returns
		. "$SRC/run"
		policy_rc_d=$FAKE_POLICY systemd_run=$WORK/systemd
		install_missing "${PKGS[@]}"
	) >"$WORK/out" 2>"$WORK/say"
	rc=$?
	set -e
}
PKGS=(gcc libc6-dev make)

printf 'gcc ii\nlibc6-dev ii\nmake hi\n' >"$WORK/status"
try 0 ""
expect_eq "exit, all installed" $rc 0
[ ! -s "$WORK/say" ] && [ ! -s "$WORK/out" ] || fail "not quiet when all is there: $(cat "$WORK/say" "$WORK/out")"
[ ! -s "$WORK/log" ] || fail "apt-get ran with nothing missing (a held package counts as installed): $(cat "$WORK/log")"
pass "everything installed (one package held): silent, no apt-get"

printf 'gcc ii\nmake ii\n' >"$WORK/status"
try 0 ""
expect_eq "exit, libc6-dev unknown to dpkg" $rc 0
grep -qx "apt-get install -y -qq --no-install-recommends libc6-dev" "$WORK/log" ||
	fail "libc6-dev not installed beside gcc: $(cat "$WORK/log")"
grep -q "^sudo" "$WORK/log" && fail "sudo as root: $(cat "$WORK/log")"
grep -q "installing libc6-dev" "$WORK/say" || fail "no word of what it installs: $(cat "$WORK/say")"
printf 'gcc ii\nlibc6-dev un\nmake ii\n' >"$WORK/status"
try 0 ""
grep -qx "apt-get install -y -qq --no-install-recommends libc6-dev" "$WORK/log" ||
	fail "libc6-dev 'un' is not missing: $(cat "$WORK/log")"
pass "gcc without libc6-dev: libc6-dev installed, as root without sudo"

grep -qx "policy exit 101" "$WORK/log" || fail "no policy-rc.d denying starts during apt-get: $(cat "$WORK/log")"
[ ! -e "$FAKE_POLICY" ] || fail "policy-rc.d left behind"
touch "$WORK/apt-fails"
try 0 ""
expect_eq "exit when apt-get fails" $rc 1
grep -q "apt-get failed" "$WORK/say" || fail "no reason when apt-get fails: $(cat "$WORK/say")"
[ ! -e "$FAKE_POLICY" ] || fail "policy-rc.d left behind after a failed apt-get"
rm "$WORK/apt-fails"
touch "$WORK/apt-killed"
try 0 ""
[ "$rc" -ne 0 ] || fail "./run went on after SIGTERM"
[ ! -e "$FAKE_POLICY" ] || fail "policy-rc.d left behind after ./run was killed during apt-get (exit $rc)"
rm "$WORK/apt-killed"
printf '#!/bin/sh\nexit 0\n' >"$FAKE_POLICY"
chmod 755 "$FAKE_POLICY"
try 0 ""
expect_eq "the machine's own policy-rc.d" "$(cat "$FAKE_POLICY")" "$(printf '#!/bin/sh\nexit 0')"
rm "$FAKE_POLICY"
pass "policy-rc.d denies service starts during apt-get, removed after (also on failure); the machine's own kept"

try 1000 "$SU"
expect_eq "exit as a user with sudo" $rc 0
grep -A1 -x "sudo env" "$WORK/log" | grep -q "^apt-get install" || fail "apt-get not through sudo: $(cat "$WORK/log")"
try 1000 ""
expect_eq "exit as a user without sudo" $rc 1
grep -q "need root or sudo to install: libc6-dev" "$WORK/say" || fail "no reason without sudo: $(cat "$WORK/say")"
grep -q apt-get "$WORK/log" && fail "apt-get ran without root or sudo"
pass "a user: apt-get through sudo; without sudo exit 1 with the reason"

PKGS=(gcc openssh-server)
printf 'gcc ii\n' >"$WORK/status"
mkdir "$WORK/systemd"
try 0 ""
grep -qx "systemctl disable --quiet ssh.service" "$WORK/log" || fail "ssh.service not disabled: $(cat "$WORK/log")"
rmdir "$WORK/systemd"
try 0 ""
grep -q systemctl "$WORK/log" && fail "systemctl without systemd: $(cat "$WORK/log")"
pass "openssh-server: its service disabled on systemd, no systemctl otherwise"
