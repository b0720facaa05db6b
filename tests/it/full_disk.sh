#!/usr/bin/env bash
# A full filesystem loses no result silently (issue 7 #8): whatever was
# not written makes the run exit 1 with a "cannot write" message, and no
# partial file of any kind is left (CSV, PNG, SVG or temporary). The
# filesystem is a small tmpfs in a private mount namespace (unshare -m),
# so nothing stays mounted whatever happens.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root to mount a small tmpfs (unshare -m, mount -t tmpfs)"
command -v unshare >/dev/null || skip "unshare (util-linux) is not installed"
[ -x /usr/bin/gnuplot ] || skip "gnuplot is not installed (gnuplot-nox): the charts are half the point"

# inside SIZE CMD...: runs CMD with a SIZE tmpfs mounted on $WORK/fs.
inside() {
	local size=$1
	shift
	mkdir -p "$WORK/fs"
	unshare -m --propagation private sh -c 'mount -t tmpfs -o size="$1" tmpfs "$2" && shift 2 && exec "$@"' \
		sh "$size" "$WORK/fs" "$@"
}

# check.sh DIR: prints what is wrong with any file in DIR, nothing if all
# are whole. Runs inside the namespace, while the tmpfs is there.
cat >"$WORK/check.sh" <<'EOF'
#!/bin/sh
for f in "$1"/* "$1"/.[!.]*; do
	[ -e "$f" ] || continue
	case $f in
	*.tmp-*) echo "temporary file left: $f" ;;
	*.png) [ "$(tail -c 8 "$f" | head -c 4)" = IEND ] || echo "partial PNG: $f ($(stat -c %s "$f") bytes)" ;;
	*.svg) tail -c 16 "$f" | grep -q '</svg>' || echo "partial SVG: $f ($(stat -c %s "$f") bytes)" ;;
	*.csv) [ -s "$f" ] && [ "$(tail -c 2 "$f" | od -An -c | tr -d ' ')" = '\r\n' ] || echo "partial CSV: $f" ;;
	*.json) python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$f" 2>/dev/null || echo "partial JSON: $f" ;;
	*-SUMMARY.md) tail -n 1 "$f" | grep -q . && [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] ||
		echo "partial summary: $f" ;;
	*) echo "unexpected file: $f" ;;
	esac
done
EOF
chmod +x "$WORK/check.sh"

# run_full SIZE: sockcmp run boundaries (CSV and charts) on a SIZE tmpfs.
# Prints "RC" then the check's findings.
cat >"$WORK/run.sh" <<'EOF'
#!/bin/sh
rc=0
"$BIN/sockcmp" run boundaries --out "$1/out" --quiet 2>"$2" || rc=$?
echo "$rc"
ls -la "$1/out" >"$2.ls" 2>&1
"$3" "$1/out"
EOF
chmod +x "$WORK/run.sh"
export BIN

# A size big enough for the CSV files but not the charts, one too small
# for even the CSV files, and one too small for anything.
for size in 64k 12k 4k; do
	out=$(inside "$size" "$WORK/run.sh" "$WORK/fs" "$WORK/err-$size" "$WORK/check.sh") ||
		fail "$size: could not mount a tmpfs: $out"
	rc=$(echo "$out" | head -n 1)
	problems=$(echo "$out" | tail -n +2)
	[ -z "$problems" ] || fail "$size: $problems; the folder held: $(cat "$WORK/err-$size.ls")"
	expect_eq "$size: exit status (stderr: $(cat "$WORK/err-$size"))" "$rc" 1
	grep -q 'cannot write .*No space left on device' "$WORK/err-$size" ||
		fail "$size: no clear message: $(cat "$WORK/err-$size")"
done
pass "sockcmp run on a full filesystem: exit 1, a message, no partial file"

# sockcmp plot: CSV files that fit, charts that do not.
mkdir "$WORK/csv"
"$BIN/sockcmp" run boundaries --out "$WORK/csv" --quiet --no-plots || fail "run for the CSV files: exit $?"
cat >"$WORK/plot.sh" <<'EOF'
#!/bin/sh
mkdir "$1/out" && cp "$4"/*.csv "$1/out/" || exit 9
rc=0
"$BIN/sockcmp" plot "$1/out" >/dev/null 2>"$2" || rc=$?
echo "$rc"
ls -la "$1/out" >"$2.ls" 2>&1
"$3" "$1/out"
EOF
chmod +x "$WORK/plot.sh"
out=$(inside 36k "$WORK/plot.sh" "$WORK/fs" "$WORK/err-plot" "$WORK/check.sh" "$WORK/csv") ||
	fail "plot: $out"
rc=$(echo "$out" | head -n 1)
[ -z "$(echo "$out" | tail -n +2)" ] || fail "plot: $(echo "$out" | tail -n +2); folder: $(cat "$WORK/err-plot.ls")"
expect_eq "plot on a full filesystem: exit status ($(cat "$WORK/err-plot"))" "$rc" 1
grep -q 'cannot write .*No space left on device' "$WORK/err-plot" || fail "plot: no clear message: $(cat "$WORK/err-plot")"
pass "sockcmp plot on a full filesystem: exit 1, a message, no partial chart"
grep -qs " $WORK/fs " /proc/mounts && fail "the tmpfs is still mounted"
true
