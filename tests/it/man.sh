#!/usr/bin/env bash
# Man pages: each page scdoc made at build time renders with `man -l`
# without a warning; bash completion offers commands, options and the
# shipped experiments (from `sockcmp list`), and each paired program only
# its own options.
. "$(dirname "$0")/lib.sh"
command -v scdoc >/dev/null || skip "scdoc not installed (apt-get install scdoc): no man pages built"
command -v man >/dev/null || skip "man not installed (apt-get install man-db)"
mandir="$BIN/../man"
for page in sockcmp.1 stream-send.1 stream-recv.1 datagram-send.1 datagram-recv.1 sockcmp-script.5; do
	[ -s "$mandir/$page" ] || fail "$page was not generated in $mandir"
	rc=0
	MANWIDTH=80 man -l "$mandir/$page" >"$WORK/out" 2>"$WORK/err" || rc=$?
	expect_eq "man -l $page: exit" "$rc" 0
	[ ! -s "$WORK/err" ] || fail "man -l $page: $(cat "$WORK/err")"
	grep -q "^NAME" "$WORK/out" && grep -q "${page%.*} - " "$WORK/out" || fail "$page does not render its NAME"
done
MANWIDTH=80 man -l "$mandir/stream-send.1" >"$WORK/ss" 2>/dev/null
MANWIDTH=80 man -l "$mandir/datagram-send.1" >"$WORK/ds" 2>/dev/null
grep -q -- "--end" "$WORK/ss" || fail "stream-send(1) lacks --end"
! grep -q -- "--end" "$WORK/ds" || fail "datagram-send(1) lists --end"

# Installed: the pages under share/man, the completion under each
# program's name where bash-completion's loader looks.
if command -v cmake >/dev/null; then
	cmake --install "$BIN/.." --prefix "$WORK/p" >/dev/null || fail "cmake --install failed"
	for page in man1/sockcmp.1 man1/stream-send.1 man1/stream-recv.1 man1/datagram-send.1 \
		man1/datagram-recv.1 man5/sockcmp-script.5; do
		MANWIDTH=80 man -l "$WORK/p/share/man/$page" >/dev/null 2>"$WORK/err" || fail "installed $page: $(cat "$WORK/err")"
	done
	for p in sockcmp stream-send stream-recv datagram-send datagram-recv; do
		[ -s "$WORK/p/share/bash-completion/completions/$p" ] || fail "no installed completion for $p"
	done
fi

# complete LINE: what the completion offers for the line's last word. The
# two bash-completion helpers it uses are stubbed, so the test does not
# need the bash-completion package.
complete_line() {
	bash -c '
		_init_completion() { words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; cur=${COMP_WORDS[cword]}; prev=${COMP_WORDS[cword-1]}; }
		_filedir() { :; }
		compopt() { :; }
		. "$1"; PATH="$2:$PATH"
		read -ra COMP_WORDS <<<"$3"
		[[ $3 == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		fn=$(complete -p "${COMP_WORDS[0]}" | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
		"$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$SRC/completion/sockcmp.bash" "$BIN" "$1"
}
# offers LINE WORD: true if the completion of LINE offers WORD (no pipe
# into grep -q, whose early exit would fail the pipeline).
offers() {
	local got
	got=$(complete_line "$1")
	grep -qx -- "$2" <<<"$got"
}
cd "$WORK"
offers "sockcmp " run || fail "completion: 'sockcmp ' does not offer run"
offers "sockcmp run bound" boundaries-now ||
	fail "completion: no experiment names: $(complete_line "sockcmp run bound")"
offers "sockcmp run boundaries --tr" --transports || fail "completion: run options"
offers "sockcmp run boundaries -t tcp,u" "tcp,udp" ||
	fail "completion: transports list: $(complete_line "sockcmp run boundaries -t tcp,u")"
! offers "sockcmp lecture --" --transports || fail "completion: lecture offers run's options"
offers "stream-send --" --end || fail "completion: stream-send --end"
! offers "datagram-send --" --end || fail "completion: datagram-send offers --end"
pass "man pages and completion"
