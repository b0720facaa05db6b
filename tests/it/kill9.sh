#!/usr/bin/env bash
# kill -9 of the sockcmp process alone (its PID, not its group) at several
# moments of a run. Within 5 s nothing of the run may be left: no process
# it started (tracked by the PIDs and process groups learnt from /proc while
# it ran, and by its folders on their command lines; nothing is killed by
# name), no temporary folder, no temporary or staging file in --out, no
# sc<PID>a/b namespace, no user-mode Linux guest; and nothing in --out may
# change afterwards.
# Usage: kill9.sh loopback|link
. "$(dirname "$0")/lib.sh"
mode=${1:?loopback or link}
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"
boot=$(head -c 8 /proc/sys/kernel/random/boot_id)
if [ "$mode" = link ]; then
	[ -x /usr/bin/linux.uml ] || skip "user-mode-linux is not installed (./run installs it)"
	guest_bin_ok || skip "sanitized programs cannot run in the guest and there is no plain build in SOCKCMP_GUEST_BIN"
fi

# The scans below use bash built-ins only: a fork per process in /proc
# would make one scan take seconds on a busy machine.
declare -A KP KG
read -r line </proc/$$/stat
set -- ${line##*) }
MYPG=$3

# learn PID: remembers PID, its descendants and their process groups.
learn() {
	local p=$1 line rest t kids=()
	{ read -r line <"/proc/$p/stat"; } 2>/dev/null || return 0
	rest=${line##*) }
	set -- $rest
	KP[$p]=1
	# The test's own group is not the run's: sockcmp starts in it.
	[ "$3" = "$MYPG" ] || KG[$3]=1
	for t in /proc/"$p"/task/*/children; do
		{ read -r -a kids <"$t"; } 2>/dev/null || true
		for k in "${kids[@]}"; do learn "$k"; done
	done
}

# run_left: prints the live processes of the run: learnt PIDs, members of
# learnt groups, or anything whose command line names the run's folders.
run_left() {
	local d p line rest args cmd
	for d in /proc/[0-9]*; do
		p=${d#/proc/}
		[ "$p" = $$ ] || [ "$p" = "$BASHPID" ] && continue
		{ read -r line <"$d/stat"; } 2>/dev/null || continue
		rest=${line##*) }
		set -- $rest
		[ "$1" = Z ] && continue
		args=()
		{ mapfile -d '' -t args <"$d/cmdline"; } 2>/dev/null || continue
		cmd="${args[*]}"
		if [ -n "${KP[$p]:-}" ] || [ -n "${KG[$3]:-}" ] || [[ "$cmd" == *"$WORK"* ]]; then
			echo "$p ($cmd)"
		fi
	done
}

# leftovers PID OUT EXP: prints what of the run killed as PID is still there.
leftovers() {
	local pid=$1 out=$2 exp=$3 f
	run_left
	for f in "$TMPDIR"/* /tmp/*-"$boot"-"$pid"-*; do
		[ -e "$f" ] && echo "file $f"
	done
	# In --out, only complete results: no temporary or staging file,
	# whatever its name.
	for f in "$out"/* "$out"/.[!.]*; do
		[ -e "$f" ] || continue
		case ${f##*/} in
		"$exp".csv | "$exp"-events.csv | "$exp"-messages.csv | "$exp"-aggregate.csv) ;;
		*) echo "file $f" ;;
		esac
	done
	# Named namespaces as sockcmp used to make them (sc<PID>a/b), new
	# since the start. Only new ones count: it_leftovers, running beside
	# this test, plants such names and a run sweeps them away.
	local ns
	for ns in $(ls /run/netns 2>/dev/null | grep -E '^sc[0-9]+[ab]$' || true); do
		grep -qxF -- "$ns" <<<"$netns_before" || echo "namespace $ns"
	done
	true
}

# snapshot OUT: names, sizes and times of everything in OUT (none if the
# run was killed before it made OUT).
snapshot() { { find "$1" -printf '%p %s %T@\n' 2>/dev/null || true; } | sort; }

# kill9 WHEN SCRIPT ARGS...: starts a run, waits for the moment WHEN,
# kills the sockcmp PID with SIGKILL, checks.
kill9() {
	local when=$1 exp=$2 out="$WORK/out-$RANDOM" pid left i t0 ms
	shift 2
	KP=() KG=()
	netns_before=$(ls /run/netns 2>/dev/null | grep -E '^sc[0-9]+[ab]$' || true)
	"$BIN/sockcmp" run "$SRC/tests/it/exp/$exp.exp" --out "$out" --no-plots --quiet "$@" \
		>/dev/null 2>"$WORK/err" &
	pid=$!
	for i in $(seq 1 1200); do
		learn "$pid"
		[ -e /proc/"$pid" ] || fail "$exp: sockcmp ended before '$when': $(cat "$WORK/err")"
		case $when in
		setup) break ;;
		trial) run_left | grep -qE -- '-recv .*--out' && { sleep 0.2; break; } ;;
		between) [ -f "$out/$exp.csv" ] && break ;;
		boot) run_left | grep -q 'linux.uml' && { sleep 0.3; break; } ;;
		guest) ls "$out"/.sockcmp-guest-*/"$exp.csv" >/dev/null 2>&1 && break ;;
		esac
		sleep 0.05
	done
	learn "$pid"
	kill -9 "$pid"
	t0=$(date +%s%N)
	wait "$pid" 2>/dev/null || true
	for i in $(seq 1 50); do
		left=$(leftovers "$pid" "$out" "$exp")
		[ -z "$left" ] && break
		sleep 0.1
	done
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ -z "$left" ] || fail "$exp: kill -9 at '$when': after 5 s still there: $left"
	local before after
	before=$(snapshot "$out")
	sleep 2
	after=$(snapshot "$out")
	[ "$before" = "$after" ] || fail "$exp: kill -9 at '$when': --out changed afterwards: $(diff <(echo "$before") <(echo "$after"))"
	echo "$exp: kill -9 at '$when': ${#KP[@]} processes in ${#KG[@]} groups learnt, all gone within $ms ms"
}

case $mode in
loopback)
	kill9 setup kill9
	kill9 trial kill9
	kill9 between kill9
	;;
link)
	kill9 boot kill9-link --kernel uml
	kill9 guest kill9-link --kernel uml
	;;
*) fail "usage: kill9.sh loopback|link" ;;
esac
pass "kill -9 of the driver ($mode) leaves nothing"
