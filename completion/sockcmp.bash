# bash completion for sockcmp and its paired programs -*- shell-script -*-
# Installed as share/bash-completion/completions/sockcmp; the paired
# programs' completions are registered when this file is loaded.

# Experiment names, from `sockcmp list` (first word of each line).
_sockcmp_experiments()
{
	"${1:-sockcmp}" list 2>/dev/null | while read -r name _; do printf '%s\n' "$name"; done
}

_sockcmp()
{
	local cur prev words cword
	_init_completion || return

	local commands="lecture run plot list check serve help"
	local transports="tcp tcp6 udp udp6 unix-stream unix-dgram unix-seqpacket"
	local cmd="" i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-*) ;;
		*) cmd=${words[i]}; break ;;
		esac
	done

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-h --help -V --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi

	case $prev in
	-o | --out)
		_filedir -d
		return ;;
	--key | --ssh-config | --remote-sockcmp)
		_filedir
		return ;;
	-t | --transports)
		# a comma-separated list: complete the last item
		local done_part=${cur%,*} last=${cur##*,}
		[[ $done_part == "$cur" ]] && done_part="" || done_part+=","
		COMPREPLY=($(compgen -P "$done_part" -W "$transports" -- "$last"))
		compopt -o nospace
		return ;;
	-k | --kernel)
		COMPREPLY=($(compgen -W "auto host uml" -- "$cur"))
		return ;;
	-r | --repeat | -L | --link | --link-reverse | --ssh-option)
		return ;;
	--pcap)
		_filedir pcap
		return ;;
	--only)
		COMPREPLY=($(compgen -W "$(_sockcmp_experiments "${words[0]}")" -- "$cur"))
		return ;;
	esac

	case $cmd in
	run)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-o --out -t --transports -r --repeat -L --link --link-reverse
				-k --kernel --no-plots -J --json -q --quiet --progress --peer --key --reverse --ssh-config --ssh-option --remote-sockcmp --pcap -h --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_sockcmp_experiments "${words[0]}")" -- "$cur"))
			_filedir exp
		fi ;;
	check)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-h --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_sockcmp_experiments "${words[0]}")" -- "$cur"))
			_filedir exp
		fi ;;
	lecture)
		if [[ $prev == --only ]]; then
			COMPREPLY=($(compgen -W "$(_sockcmp_experiments "${words[0]}")" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "-o --out --only -k --kernel --no-plots -q --quiet --progress -h --help" -- "$cur"))
		fi ;;
	plot)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-h --help" -- "$cur"))
		else
			_filedir -d
		fi ;;
	list)
		COMPREPLY=($(compgen -W "-h --help" -- "$cur")) ;;
	serve)
		COMPREPLY=($(compgen -W "--listen --key --max-clients --stdio -h --help" -- "$cur")) ;;
	help)
		COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
	esac
} && complete -F _sockcmp sockcmp

_sockcmp_paired()
{
	local cur prev words cword
	_init_completion || return
	local prog=${words[0]##*/} tr opts
	case $prog in
	stream-*) tr="tcp tcp6 unix-stream" ;;
	*) tr="udp udp6 unix-dgram unix-seqpacket" ;;
	esac
	case $prev in
	-t | --transport) COMPREPLY=($(compgen -W "$tr" -- "$cur")); return ;;
	-o | --out) _filedir; return ;;
	-l | --listen | -c | --to | -r | --read | -s | --send | --after | --every | --rcvbuf | --sndbuf | \
		--token | -w | --wait | --idle | --linger | --max-records | --pause | --pace | --timeout | \
		--reply | --payload | --reply-wait)
		return ;;
	--end) COMPREPLY=($(compgen -W "close shutdown" -- "$cur")); return ;;
	esac
	opts="-t --transport -o --out --max-records -q --quiet -h --help -V --version -w --wait --token"
	case $prog in
	*-send) opts+=" -c --to -s --send --pause --pace --sndbuf --timeout --raw --payload --reply-wait" ;;
	*-recv) opts+=" -l --listen -r --read --after --every --waitall --trunc --rcvbuf --raw --reply --idle --linger" ;;
	esac
	[[ $prog == stream-send ]] && opts+=" --end"
	COMPREPLY=($(compgen -W "$opts" -- "$cur"))
} && complete -F _sockcmp_paired stream-send stream-recv datagram-send datagram-recv
