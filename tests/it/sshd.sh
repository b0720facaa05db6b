#!/usr/bin/env bash
# run --peer ssh:// against a real OpenSSH server: `sshd -D` started by this
# test in its own network namespace (and its own mount namespace, where
# /run is a private tmpfs for sshd's privilege-separation directory), with
# a host key, config, authorized key and known-hosts file made here in the
# test's temporary directory, on a port other than 22, and stopped by its
# PID. Nothing under /etc/ssh or ~/.ssh is read or written: the client gets
# everything through --ssh-config / --ssh-option (ssh -F creates no ~/.ssh).
# Checks that:
#  - run boundaries --peer ssh://USER@HOST:PORT, and --reverse, give the
#    counts of loopback, with a clock offset and the peer recorded;
#  - a host key that does not match the known-hosts file, and a client key
#    the server does not know, end the run with exit 1 and ssh's reason;
#  - with no sockcmp on the far side's PATH the run ends with exit 1, and
#    --remote-sockcmp PATH names it (a path a shell would read: exit 2);
#  - --ssh-option / --ssh-config without ssh://: exit 2.
. "$(dirname "$0")/lib.sh"
sshd=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$sshd" ] || skip "OpenSSH's server is not installed (apt-get install openssh-server)"
command -v ssh >/dev/null || skip "OpenSSH's client is not installed (apt-get install openssh-client)"
command -v ssh-keygen >/dev/null || skip "ssh-keygen is not installed (openssh-client)"
command -v ip >/dev/null || skip "iproute2 (ip) is not installed"
command -v unshare >/dev/null || skip "unshare (util-linux) is not installed"
getent passwd sshd >/dev/null || skip "no 'sshd' privilege-separation user (openssh-server's postinst makes it)"
me=$(id -un)
a="scHa$$" b="scHb$$"
ip netns add "$a" 2>"$WORK/err" || skip "cannot create network namespaces here: $(cat "$WORK/err")"
cleanup_hooks+=("ip netns del $a")
ip netns add "$b" 2>"$WORK/err" || fail "second namespace: $(cat "$WORK/err")"
cleanup_hooks+=("ip netns del $b")
ip link add "sha$$" netns "$a" type veth peer name "shb$$" netns "$b"
ip -n "$a" addr add 198.18.3.1/24 dev "sha$$"
ip -n "$b" addr add 198.18.3.2/24 dev "shb$$"
ip -n "$a" link set lo up; ip -n "$a" link set "sha$$" up
ip -n "$b" link set lo up; ip -n "$b" link set "shb$$" up
S=198.18.3.2 P=2207

# Keys and configuration, all in $WORK/ssh (sshd wants it not writable by others).
K="$WORK/ssh"
mkdir -m 700 "$K"
ssh-keygen -q -t ed25519 -N '' -C sockcmp-test-host -f "$K/host_key"
ssh-keygen -q -t ed25519 -N '' -C sockcmp-test-client -f "$K/client_key"
ssh-keygen -q -t ed25519 -N '' -C sockcmp-test-other -f "$K/other_key"
cp "$K/client_key.pub" "$K/authorized_keys"
printf '[%s]:%s %s\n' "$S" "$P" "$(cut -d' ' -f1,2 "$K/host_key.pub")" >"$K/known_hosts"
printf '[%s]:%s %s\n' "$S" "$P" "$(cut -d' ' -f1,2 "$K/other_key.pub")" >"$K/wrong_known_hosts"
# The remote `sockcmp serve --stdio` is found on the PATH sshd sets: only a
# folder of its own (a machine may have another sockcmp in /usr/bin),
# emptied later to show --remote-sockcmp at work.
mkdir "$K/path" "$K/rbin"
ln -s "$BIN/sockcmp" "$K/path/sockcmp"
ln -s "$BIN/sockcmp" "$K/rbin/sockcmp-lab"
cat >"$K/sshd_config" <<EOF
Port $P
ListenAddress $S
HostKey $K/host_key
PidFile $K/sshd.pid
AuthorizedKeysFile $K/authorized_keys
AllowUsers $me
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
X11Forwarding no
AllowTcpForwarding no
PrintMotd no
LogLevel VERBOSE
SetEnv PATH=$K/path
EOF
cat >"$K/ssh_config" <<EOF
Host *
	IdentityFile $K/client_key
	IdentitiesOnly yes
	IdentityAgent none
	UserKnownHostsFile $K/known_hosts
	GlobalKnownHostsFile /dev/null
	StrictHostKeyChecking yes
	UpdateHostKeys no
	ConnectTimeout 10
EOF

# sshd -D in namespace b, after sshd -t has checked the config: ip, unshare
# and sh each exec the next, so $! is sshd.
ip netns exec "$b" unshare --mount --propagation private sh -c \
	'mount -t tmpfs -o mode=755 sockcmp-sshd /run && mkdir -m 755 /run/sshd && "$0" -t -f "$1" &&
	exec "$0" -D -e -f "$1"' \
	"$sshd" "$K/sshd_config" 2>"$WORK/sshd.log" &
SSHD=$!
PIDS+=("$SSHD")
cleanup_hooks+=("kill $SSHD 2>/dev/null; wait $SSHD 2>/dev/null")
for i in $(seq 1 250); do
	[ -n "$(ip netns exec "$b" ss -Hltn "( sport = :$P )")" ] && break
	kill -0 "$SSHD" 2>/dev/null || fail "sshd ended: $(cat "$WORK/sshd.log")"
	sleep 0.02
done
[ -n "$(ip netns exec "$b" ss -Hltn "( sport = :$P )")" ] || fail "sshd is not listening: $(cat "$WORK/sshd.log")"
expect_eq "sshd's PID file" "$(cat "$K/sshd.pid")" "$SSHD"

"$BIN/sockcmp" run boundaries --transports tcp,udp --no-plots --quiet --out "$WORK/lo" 2>"$WORK/lo.err" ||
	fail "loopback run: $(cat "$WORK/lo.err")"

run_ssh() { # OUT [ARGS...]: the client in namespace a, through OpenSSH
	local out=$1
	shift
	ip netns exec "$a" "$BIN/sockcmp" run boundaries --transports tcp,udp --no-plots --quiet \
		--out "$WORK/$out" --peer "ssh://$me@$S:$P" "$@"
}


run_ssh ssh --ssh-config "$K/ssh_config" 2>"$WORK/ssh.err" ||
	fail "run --peer ssh:// through sshd: $(cat "$WORK/ssh.err") / sshd: $(cat "$WORK/sshd.log")"
same_as_loopback ssh "run --peer ssh://" "ssh://$me@$S:$P" exact
grep -q "Accepted publickey for $me from 198.18.3.1" "$WORK/sshd.log" ||
	fail "sshd did not log our key: $(cat "$WORK/sshd.log")"
# The same with ssh's options one by one instead of a config file.
run_ssh sshrev --reverse --ssh-option "IdentityFile=$K/client_key" --ssh-option IdentitiesOnly=yes \
	--ssh-option IdentityAgent=none --ssh-option "UserKnownHostsFile=$K/known_hosts" \
	--ssh-option GlobalKnownHostsFile=/dev/null --ssh-option StrictHostKeyChecking=yes \
	--ssh-config /dev/null 2>"$WORK/sshrev.err" ||
	fail "run --peer ssh:// --reverse through sshd: $(cat "$WORK/sshrev.err") / sshd: $(cat "$WORK/sshd.log")"
same_as_loopback sshrev "run --peer ssh:// --reverse" "ssh://$me@$S:$P (sender)" exact
for t in tcp udp; do
	echo "$t: loopback / ssh / ssh --reverse: recv_calls" \
		"$(csv_col "$WORK/lo/boundaries.csv" recv_calls transport=$t) /" \
		"$(csv_col "$WORK/ssh/boundaries.csv" recv_calls transport=$t) /" \
		"$(csv_col "$WORK/sshrev/boundaries.csv" recv_calls transport=$t)," \
		"read_sizes $(csv_col "$WORK/ssh/boundaries.csv" read_sizes transport=$t)," \
		"bytes $(csv_col "$WORK/ssh/boundaries.csv" recv_bytes transport=$t)," \
		"lost/dup/reord $(csv_col "$WORK/ssh/boundaries.csv" lost transport=$t)/$(csv_col "$WORK/ssh/boundaries.csv" duplicated transport=$t)/$(csv_col "$WORK/ssh/boundaries.csv" reordered transport=$t)," \
		"clock offset $(csv_col "$WORK/ssh/boundaries.csv" clock_offset_us transport=$t) us" \
		"(rtt $(csv_col "$WORK/ssh/boundaries.csv" clock_rtt_us transport=$t) us)"
done
pass "run --peer ssh:// through a real sshd (its own namespace, key and config): loopback's counts"

# OpenSSH's own checks hold: a host key we do not know, a key sshd does not.
st() { set +e; "$@" >/dev/null 2>"$WORK/st.err"; echo $?; set -e; }
expect_eq "exit status with an unknown host key" \
	"$(st run_ssh bad1 --ssh-config "$K/ssh_config" --ssh-option "UserKnownHostsFile=$K/wrong_known_hosts")" 1
grep -qi "host key" "$WORK/st.err" || fail "no host-key reason: $(cat "$WORK/st.err")"
echo "unknown host key: $(grep -i "host key" "$WORK/st.err" | head -n 1)"
expect_eq "exit status with a key sshd does not know" \
	"$(st run_ssh bad2 --ssh-config /dev/null --ssh-option "IdentityFile=$K/other_key" \
		--ssh-option IdentitiesOnly=yes --ssh-option IdentityAgent=none \
		--ssh-option "UserKnownHostsFile=$K/known_hosts" --ssh-option StrictHostKeyChecking=yes)" 1
grep -q "Permission denied" "$WORK/st.err" || fail "no refusal reason: $(cat "$WORK/st.err")"
grep -q "ssh exited with status 255; its message is above" "$WORK/st.err" ||
	fail "sockcmp does not point at ssh's message: $(cat "$WORK/st.err")"
echo "unknown client key: $(grep "Permission denied" "$WORK/st.err" | head -n 1); $(grep '^sockcmp' "$WORK/st.err" | head -n 1)"
[ ! -e "$WORK/bad1/boundaries.csv" ] && [ ! -e "$WORK/bad2/boundaries.csv" ] || fail "a refused run wrote rows"
pass "an unknown host key and an unknown client key: exit 1 with ssh's reason"

# No sockcmp on the far side's PATH: --remote-sockcmp names it.
rm "$K/path/sockcmp"
expect_eq "exit status with no sockcmp on the remote PATH" "$(st run_ssh nopath --ssh-config "$K/ssh_config")" 1
grep -q "ssh exited with status 127" "$WORK/st.err" || fail "no sockcmp there: $(cat "$WORK/st.err")"
run_ssh remote --ssh-config "$K/ssh_config" --remote-sockcmp "$K/rbin/sockcmp-lab" 2>"$WORK/remote.err" ||
	fail "run --peer ssh:// --remote-sockcmp: $(cat "$WORK/remote.err")"
same_as_loopback remote "run --peer ssh:// --remote-sockcmp" "ssh://$me@$S:$P" exact
expect_eq "--remote-sockcmp with a space" \
	"$(st run_ssh x --ssh-config "$K/ssh_config" --remote-sockcmp "$K/rbin/a b")" 2
grep -q "the remote shell reads it" "$WORK/st.err" || fail "--remote-sockcmp refusal: $(cat "$WORK/st.err")"
pass "--remote-sockcmp PATH names the far side's sockcmp when its PATH has none (without it: exit 1, ssh's 127)"

expect_eq "--ssh-option without ssh://" \
	"$(st "$BIN/sockcmp" run boundaries --peer "$S" --key "$WORK/nokey" --ssh-option Port=1 --out "$WORK/x")" 2
grep -q "go with --peer ssh://" "$WORK/st.err" || fail "--ssh-option refusal: $(cat "$WORK/st.err")"
expect_eq "--ssh-config without --peer" "$(st "$BIN/sockcmp" run boundaries --ssh-config "$K/ssh_config" --out "$WORK/x")" 2
pass "--ssh-option and --ssh-config only with ssh://: exit 2"

kill "$SSHD"
wait "$SSHD" || true
kill -0 "$SSHD" 2>/dev/null && fail "sshd still runs after SIGTERM"
[ -z "$(ip netns exec "$b" ss -Hltn "( sport = :$P )")" ] || fail "something still listens on $S:$P"
pass "sshd stopped by its PID"
