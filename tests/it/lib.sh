# lib.sh - helpers for the integration tests (sourced).
#
# Each test runs the real programs from $BIN (build/bin), works in its own
# temporary directory, and exits 0 (pass), 1 (fail) or 77 (skip, with the
# reason on stderr, which ctest shows).
set -euo pipefail
: "${BIN:?BIN must point at the bin directory of a build}"
: "${SRC:?SRC must point at the source tree}"
export SOCKCMP_EXPERIMENTS="$SRC/experiments" SOCKCMP_PLOTS="$SRC/plots"

WORK=$(mktemp -d /tmp/sockcmp-it.XXXXXX)
PIDS=()
cleanup_hooks=()
on_exit() {
	local p h
	for h in "${cleanup_hooks[@]}"; do eval "$h" || true; done
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap on_exit EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
pass() { echo "ok: $*"; }

# csv_col FILE COLUMN [FILTER_COLUMN=VALUE ...]: prints COLUMN of every data
# row whose FILTER_COLUMNs equal VALUEs, one per line. Fields holding commas
# are quoted in our files only in free-text columns, which we never filter on.
csv_col() {
	local file=$1 col=$2
	shift 2
	awk -F, -v col="$col" -v filters="$*" '
		BEGIN { n = split(filters, f, " ") }
		{ sub(/\r$/, "") }
		NR == 1 { for (i = 1; i <= NF; i++) idx[$i] = i; if (!(col in idx)) { print "no column " col > "/dev/stderr"; exit 3 } next }
		{
			ok = 1
			for (k = 1; k <= n; k++) { split(f[k], kv, "="); if ($(idx[kv[1]]) != kv[2]) ok = 0 }
			if (ok) print $(idx[col])
		}' "$file"
}

# py ARGS... <<'PY' (script) PY: runs the Python script on stdin with
# ARGS in sys.argv, isolated (-I: no PYTHON* variables, no user site), with
# sys imported and check(ok, what...) defined: a false check prints what
# and exits 1. Use check(), never assert: python -O and PYTHONOPTIMIZE
# drop asserts, and a test that cannot fail passes on anything.
py_prelude='import sys
def check(ok, *what):
    if not ok:
        print("check failed:", *what, file=sys.stderr)
        sys.exit(1)
'
py() { { printf '%s\n' "$py_prelude"; cat; } | python3 -I - "$@"; }

# expect_eq WHAT GOT WANT
expect_eq() { [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"; }

# wait_listen FILE: waits for "listening on ADDR" in FILE, prints ADDR.
wait_listen() {
	local i
	for i in $(seq 1 200); do
		if grep -q '^listening on ' "$1" 2>/dev/null; then
			sed -n 's/^listening on //p' "$1" | head -n 1
			return 0
		fi
		sleep 0.02
	done
	local got
	got=$(cat "$1" 2>/dev/null || true)
	fail "receiver never printed its address; it printed: $got"
}

# guest_bin_ok: true if the programs a user-mode Linux guest will run are
# plain builds (sanitized ones cannot run there).
guest_bin_ok() {
	local g=${SOCKCMP_GUEST_BIN:-$BIN}
	[ -x "$g/sockcmp" ] && ! ldd "$g/sockcmp" 2>/dev/null | grep libasan >/dev/null
}

# same_as_loopback DIR WHAT PEER: the boundaries run in $WORK/DIR (made
# across hosts) has loopback's counts ($WORK/lo), a clock offset in us and
# ns, PEER in its peer column (the whole column with 'exact'), and all 10
# message rows.
same_as_loopback() { # DIR WHAT PEER [exact]
	local col t want=$3
	for t in tcp udp; do
		for col in sent_bytes recv_bytes recv_msgs read_sizes lost duplicated reordered boundaries_kept \
			corrupted foreign status; do
			expect_eq "$2 $t $col" "$(csv_col "$WORK/$1/boundaries.csv" $col transport=$t)" \
				"$(csv_col "$WORK/lo/boundaries.csv" $col transport=$t)"
		done
		[ -n "$(csv_col "$WORK/$1/boundaries.csv" clock_offset_us transport=$t)" ] ||
			fail "$2 $t: no clock offset recorded"
		# the same in ns, as every other time has it
		for col in clock_offset clock_rtt; do
			expect_eq "$2 $t ${col}_ns in us" \
				"$(csv_col "$WORK/$1/boundaries.csv" ${col}_ns transport=$t | awk '{ printf "%.1f", $1 / 1000 }')" \
				"$(csv_col "$WORK/$1/boundaries.csv" ${col}_us transport=$t | awk '{ printf "%.1f", $1 }')"
		done
		if [ "${4:-}" = exact ]; then
			expect_eq "$2 $t peer" "$(csv_col "$WORK/$1/boundaries.csv" peer transport=$t)" "$want"
		else
			csv_col "$WORK/$1/boundaries.csv" peer transport=$t | grep -qF "$want" ||
				fail "$2 $t: peer column is '$(csv_col "$WORK/$1/boundaries.csv" peer transport=$t)'"
		fi
	done
	[ "$(csv_col "$WORK/$1/boundaries-messages.csv" seq | wc -l)" = 10 ] ||
		fail "$2: $(csv_col "$WORK/$1/boundaries-messages.csv" seq | wc -l) message rows, want 10"
}
