#!/usr/bin/env bash
# The CMake presets that share a build folder (default and ci: build/)
# must each set every project option, or an option sticks in the cache
# from whichever preset configured the folder last (ci's -Werror in a
# default build, or default's none in a ci build). Each order is checked
# against a fresh configure of the other preset, in folders of our own
# (-B), never build/.
. "$(dirname "$0")/lib.sh"
command -v cmake >/dev/null || skip "cmake not installed"

# The project's own options, as CMakeLists.txt declares them: one added
# later is checked too.
names=$(sed -n 's/^option(\(SOCKCMP_[A-Z_]*\) .*/\1/p' "$SRC/CMakeLists.txt" | paste -sd'|')
[ -n "$names" ] || fail "no option(SOCKCMP_...) in CMakeLists.txt"
options() { # options DIR: the project's options as the cache holds them
	grep -E "^($names):" "$1/CMakeCache.txt" | sort
}
configure() { # configure PRESET DIR
	(cd "$SRC" && cmake --preset "$1" -B "$2") >"$WORK/cmake.log" 2>&1 ||
		fail "cmake --preset $1 failed: $(tail -5 "$WORK/cmake.log")"
}

for p in default ci; do
	configure "$p" "$WORK/$p"
	options "$WORK/$p" >"$WORK/$p.options"
done
expect_eq "ci: warnings are errors" "$(grep '^SOCKCMP_WERROR:' "$WORK/ci/CMakeCache.txt")" "SOCKCMP_WERROR:BOOL=ON"
expect_eq "default: warnings are not errors" "$(grep '^SOCKCMP_WERROR:' "$WORK/default/CMakeCache.txt")" \
	"SOCKCMP_WERROR:BOOL=OFF"
# Each folder configured again with the other preset.
configure ci "$WORK/default"
configure default "$WORK/ci"
expect_eq "ci after default" "$(options "$WORK/default")" "$(cat "$WORK/ci.options")"
expect_eq "default after ci" "$(options "$WORK/ci")" "$(cat "$WORK/default.options")"
pass "default and ci set every option: the one configured last is the one in force"
