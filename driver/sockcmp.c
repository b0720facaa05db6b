/* sockcmp - the driver: runs experiment scripts through the paired
 * programs, writes CSV and charts, and reproduces the lecture. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dispatch.h"
#include "num.h"
#include "text.h"
#include "lecture.h"
#include "outfile.h"
#include "pair.h"
#include "paths.h"
#include "peer.h"
#include "ctlio.h"
#include "serve.h"
#include "servers.h"
#include "plan.h"
#include "plot.h"
#include "revision.h"
#include "mode.h"
#include "probe.h"
#include "probe_util.h"
#include "schema.h"
#include "report.h"
#include "run.h"
#include "netns.h"
#include "spawn.h"
#include "version.h"
#include "watch.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Returns s with control characters written out (text.h), in a buffer
 * shared by all calls: for one message at a time, at the CLI's edge. */
static const char *esc(const char *s)
{
	static char buf[300];

	sc_text_escape(buf, sizeof(buf), s);
	return buf;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: sockcmp COMMAND [OPTIONS]\n"
		"       sockcmp -h|--help | -V|--version | help COMMAND\n"
		"Compare stream and datagram sockets by running real senders and receivers.\n\n"
		"Commands:\n"
		"  lecture [-o DIR]         run the lecture's experiments (streams vs datagrams),\n"
		"                           print the side-by-side table, write CSV, charts and\n"
		"                           SUMMARY.md (default DIR: results/lecture)\n"
		"  lecture --only NAME      one claim live: an experiment or probe from 'sockcmp list'\n"
		"  run SCRIPT [OPTIONS]     run one experiment script (a path, or a shipped name\n"
		"                           from 'sockcmp list'), or a built-in probe by name\n"
		"  plot [DIR]               redraw the charts from the CSV files in DIR\n"
		"  list                     list the shipped experiments and built-in probes\n"
		"  check SCRIPT [OPTIONS]   check a script without running it (with run's\n"
		"                           --transports, --link, --link-reverse, --repeat)\n"
		"  serve --listen ADDR[:PORT] --key FILE\n"
		"                           stay up for 'run --peer' from another machine\n"
		"                           (default port 7207; 'sockcmp serve --help')\n\n"
		"Examples:\n"
		"  sockcmp lecture\n"
		"  sockcmp run boundaries -t tcp,udp -o /tmp/b\n"
		"  sockcmp run loss-sweep -r 3 -q\n\n"
		"Exit status: 0 done, 1 a trial failed (its row says why), 2 bad input,\n"
		"130 interrupted (finished rows are kept).\n"
		"'sockcmp COMMAND -h' shows a command's options; sockcmp(1), sockcmp-script(5).\n");
}

/* Which options a command takes (a bit per option, below). */
enum {
	A_OUT = 1 << 0, A_TR = 1 << 1, A_REP = 1 << 2, A_LINK = 1 << 3, A_KERNEL = 1 << 4,
	A_NOPLOT = 1 << 5, A_QUIET = 1 << 6, A_PROGRESS = 1 << 7, A_JSON = 1 << 8,
	A_HELP = 1 << 9, /* every command's */
	A_ONLY = 1 << 10, A_PEER = 1 << 11, A_PCAP = 1 << 12,
};

static void run_usage(FILE *f)
{
	fprintf(f,
		"Usage: sockcmp run SCRIPT [OPTIONS]\n"
		"Run one experiment script: every transport x sweep point x trial with the real\n"
		"programs; write DIR/NAME.csv, -events.csv, -messages.csv, -aggregate.csv,\n"
		"NAME.json, the charts, and print a table.\n"
		"SCRIPT is a path, or the name of a shipped experiment or built-in probe\n"
		"('sockcmp list'; a probe writes DIR/NAME.csv and prints its verdict).\n\n"
		"  -o, --out DIR              where the files go (default results/NAME)\n"
		"  -t, --transports A,B,...   these transports instead of the script's (each once)\n"
		"  -r, --repeat N             trials per transport and sweep point (1 to %u)\n"
		"  -L, --link 'NETEM ARGS'    impair the sender-to-receiver link with netem, e.g.\n"
		"                             'loss 5%% delay 10ms' (overrides the script's 'link')\n"
		"      --link-reverse 'ARGS'  impair the receiver-to-sender direction (ACKs)\n"
		"  -k, --kernel auto|host|uml where an impaired link runs: this kernel (needs root and\n"
		"                             sch_netem) or a user-mode Linux guest (default auto)\n"
		"      --peer HOST[:PORT]     run the receiving side on HOST, where 'sockcmp serve'\n"
		"                             runs (TCP and UDP only; no 'link'); needs --key FILE,\n"
		"                             a copy of the server's key file\n"
		"      --peer ssh://[USER@]HOST[:PORT]\n"
		"                             the same through OpenSSH: runs 'sockcmp serve --stdio'\n"
		"                             there (installed on its PATH); no --key\n"
		"      --ssh-config FILE      with ssh://: ssh -F FILE (instead of ~/.ssh/config)\n"
		"      --ssh-option OPT       with ssh://: ssh -o OPT, e.g. IdentityFile=~/lab_key\n"
		"                             (repeatable, up to 16)\n"
		"      --remote-sockcmp PATH  with ssh://: the far side's sockcmp, if not on its PATH\n"
		"      --key FILE             the pre-shared key file (with --peer HOST)\n"
		"      --reverse              with --peer: the sending side runs on HOST instead\n"
		"      --pcap FILE            with a link (namespaces): write what crossed the\n"
		"                             receiving side's interface as a pcap file, for\n"
		"                             Wireshark or tcpdump -r (replaces a FILE there)\n"
		"      --no-plots             no charts\n"
		"  -J, --json                 print NAME.json on stdout instead of the tables\n"
		"  -q, --quiet                no table, no progress line\n"
		"      --progress             a progress line even when stderr is not a terminal\n"
		"  -h, --help                 this text\n\n"
		"Transports: tcp tcp6 udp udp6 unix-stream unix-dgram unix-seqpacket\n\n"
		"Examples:\n"
		"  sockcmp run boundaries\n"
		"  sockcmp run boundaries -t tcp,udp -r 5 -o /tmp/b\n"
		"  sockcmp run reliability -L 'loss 5%% delay 10ms'\n"
		"  sockcmp run boundaries -J -q | jq '.rows[].read_sizes'\n"
		"  sockcmp run boundaries --peer 192.0.2.7 --key ~/.sockcmp.key\n\n"
		"Exit status: 0 done, 1 a trial failed (its row says why), 2 bad input,\n"
		"130 interrupted (finished rows are kept).\n",
		SC_MAX_REPEAT);
}

static void lecture_usage(FILE *f)
{
	fprintf(f,
		"Usage: sockcmp lecture [OPTIONS]\n"
		"Run the lecture's experiments (streams vs datagrams: boundaries, MSG_WAITALL,\n"
		"truncation, overflow, an impaired link), print the side-by-side table and the\n"
		"verdict on each claim, and write CSV, charts and SUMMARY.md.\n\n"
		"  -o, --out DIR              where the files go (default results/lecture)\n"
		"      --only NAME            one claim, live in class: an experiment or a built-in\n"
		"                             probe from 'sockcmp list'\n"
		"  -k, --kernel auto|host|uml where the impaired-link part runs (default auto)\n"
		"      --no-plots             no charts\n"
		"  -q, --quiet                no progress line\n"
		"      --progress             a progress line even when stderr is not a terminal\n"
		"  -h, --help                 this text\n\n"
		"Examples:\n"
		"  sockcmp lecture\n"
		"  sockcmp lecture -o /tmp/lecture --no-plots\n"
		"  sockcmp lecture --only boundaries\n");
}

static void plot_usage(FILE *f)
{
	fprintf(f,
		"Usage: sockcmp plot [DIR]\n"
		"Redraw the charts (NAME*.png, *.svg) of every experiment whose CSV files are in\n"
		"DIR (default results/lecture), without running anything. Needs gnuplot.\n\n"
		"  -h, --help   this text\n\n"
		"Example:\n"
		"  sockcmp plot results/boundaries\n");
}

static void list_usage(FILE *f)
{
	fprintf(f,
		"Usage: sockcmp list\n"
		"List the shipped experiments and the built-in probes: name and the claim each\n"
		"checks. Any name can be given to 'sockcmp run' or 'sockcmp lecture --only';\n"
		"an experiment's to 'sockcmp check'.\n\n"
		"  -h, --help   this text\n\n"
		"Example:\n"
		"  sockcmp list\n");
}

static void check_usage(FILE *f)
{
	fprintf(f,
		"Usage: sockcmp check SCRIPT [OPTIONS]\n"
		"Check an experiment script, with the options run would get, without running\n"
		"it: print what it would run and how long that should take, or FILE:LINE: what\n"
		"is wrong (exit 2). The format is in sockcmp-script(5).\n\n"
		"  -t, --transports A,B,...   these transports instead of the script's\n"
		"  -r, --repeat N             trials per transport and sweep point\n"
		"  -L, --link 'NETEM ARGS'    the sender-to-receiver link's netem arguments\n"
		"      --link-reverse 'ARGS'  the receiver-to-sender direction's\n"
		"  -h, --help                 this text\n\n"
		"Examples:\n"
		"  sockcmp check boundaries\n"
		"  sockcmp check ./mine.exp\n");
}

struct cli {
	const char *out;
	const char *transports;
	unsigned repeat;
	const char *link, *link_reverse;
	const char *peer, *key;
	struct sc_ssh_opts ssh; /* --ssh-config, --ssh-option */
	bool reverse;
	enum sc_kernel kernel;
	bool plots, quiet, help, progress, json;
	const char *only; /* lecture --only NAME */
	const char *pcap; /* run --pcap FILE */
};

/* Parses a command's options; allowed (A_* bits) says which it takes, so
 * one command's help never lists, nor its parser accepts, another's.
 * Returns the index of the first operand, or -1 after printing an error. */
static int parse_cli(int argc, char **argv, struct cli *c, unsigned allowed)
{
	enum { O_LINKREV = 256, O_NOPLOT, O_PROGRESS, O_ONLY, O_PEER, O_KEY, O_REVERSE, O_SSHCONF, O_SSHOPT, O_REMOTE,
	       O_PCAP };
	static const struct {
		struct option o;
		unsigned bit;
	} all[] = {
		{{"out", 1, 0, 'o'}, A_OUT}, {{"transports", 1, 0, 't'}, A_TR}, {{"repeat", 1, 0, 'r'}, A_REP},
		{{"link", 1, 0, 'L'}, A_LINK}, {{"link-reverse", 1, 0, O_LINKREV}, A_LINK},
		{{"kernel", 1, 0, 'k'}, A_KERNEL}, {{"no-plots", 0, 0, O_NOPLOT}, A_NOPLOT},
		{{"quiet", 0, 0, 'q'}, A_QUIET}, {{"progress", 0, 0, O_PROGRESS}, A_PROGRESS},
		{{"json", 0, 0, 'J'}, A_JSON}, {{"help", 0, 0, 'h'}, A_HELP}, {{"only", 1, 0, O_ONLY}, A_ONLY},
		{{"peer", 1, 0, O_PEER}, A_PEER}, {{"key", 1, 0, O_KEY}, A_PEER}, {{"reverse", 0, 0, O_REVERSE}, A_PEER},
		{{"ssh-config", 1, 0, O_SSHCONF}, A_PEER}, {{"ssh-option", 1, 0, O_SSHOPT}, A_PEER},
		{{"remote-sockcmp", 1, 0, O_REMOTE}, A_PEER}, {{"pcap", 1, 0, O_PCAP}, A_PCAP},
	};
	static const char *shorts[] = {"o:", "t:", "r:", "L:", "", "k:", "", "q", "", "J", "h", "", "", "", "",
				       "", "", "", ""};
	struct option lo[sizeof(all) / sizeof(all[0]) + 1];
	char so[40] = "";
	size_t n = 0;
	int opt;

	allowed |= A_HELP;
	for (size_t k = 0; k < sizeof(all) / sizeof(all[0]); k++)
		if (all[k].bit & allowed) {
			lo[n++] = all[k].o;
			strcat(so, shorts[k]);
		}
	memset(&lo[n], 0, sizeof(lo[n]));
	memset(c, 0, sizeof(*c));
	c->plots = true;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		switch (opt) {
		case 'o':
			if (!*optarg) {
				fprintf(stderr, "sockcmp: --out: an empty path (name a directory)\n");
				return -1;
			}
			c->out = optarg;
			break;
		case 't': c->transports = optarg; break;
		case 'r': {
			uint64_t v;

			if (sc_str_u64(optarg, 1, SC_MAX_REPEAT, &v) < 0) {
				fprintf(stderr, "sockcmp: --repeat '%s': expected a whole number from 1 to %u\n",
					esc(optarg), SC_MAX_REPEAT);
				return -1;
			}
			c->repeat = (unsigned)v;
			break;
		}
		case 'L': c->link = optarg; break;
		case O_LINKREV: c->link_reverse = optarg; break;
		case 'k':
			if (!strcmp(optarg, "auto"))
				c->kernel = SC_KERNEL_AUTO;
			else if (!strcmp(optarg, "host"))
				c->kernel = SC_KERNEL_HOST;
			else if (!strcmp(optarg, "uml"))
				c->kernel = SC_KERNEL_UML;
			else {
				fprintf(stderr, "sockcmp: --kernel '%s': expected auto, host or uml\n", esc(optarg));
				return -1;
			}
			break;
		case O_PROGRESS: c->progress = true; break;
		case O_ONLY: c->only = optarg; break;
		case O_PEER: c->peer = optarg; break;
		case O_KEY: c->key = optarg; break;
		case O_REVERSE: c->reverse = true; break;
		case O_SSHCONF: c->ssh.config = optarg; break;
		case O_REMOTE: c->ssh.remote = optarg; break;
		case O_SSHOPT:
			if (!*optarg || c->ssh.noption == SC_SSH_MAX_OPTS) {
				fprintf(stderr, "sockcmp: --ssh-option '%s': %s\n", esc(optarg),
					*optarg ? "too many (at most 16)" : "empty (expected ssh's -o KEY=VALUE)");
				return -1;
			}
			c->ssh.option[c->ssh.noption++] = optarg;
			break;
		case O_PCAP:
			if (!*optarg) {
				fprintf(stderr, "sockcmp: --pcap: an empty path (name a file)\n");
				return -1;
			}
			c->pcap = optarg;
			break;
		case O_NOPLOT: c->plots = false; break;
		case 'q': c->quiet = true; break;
		case 'J': c->json = true; break;
		case 'h': c->help = true; break;
		default:
			fprintf(stderr, "sockcmp %s: unknown or incomplete option '%s' (try sockcmp %s -h)\n",
				argv[0], esc(argv[optind - 1]), argv[0]);
			return -1;
		}
	}
	return optind;
}

/* Loads the script arg names (a path or a shipped name) with the command
 * line's overrides (c may be NULL). Returns 0 or -EINVAL after printing
 * what is wrong. */
static int load(const char *arg, const struct cli *c, struct sc_experiment *e)
{
	struct sc_script_override o = {0};
	char path[4096], err[1024];

	if (c) {
		o.transports = c->transports;
		o.link = c->link;
		o.link_reverse = c->link_reverse;
	}
	sc_script_path(arg, path, sizeof(path));
	if (sc_script_load_with(path, &o, e, err, sizeof(err)) < 0) {
		fprintf(stderr, "sockcmp: %s\n", err);
		return -EINVAL;
	}
	if (c && c->repeat)
		e->repeat = c->repeat;
	return 0;
}

/* Makes the results folder and checks it before anything runs: charts
 * need a folder gnuplot takes as a plain file name (a refusal is exit 2),
 * and strangers who can write in it could replace the results (a
 * warning). Returns 0, or the exit status to end with. */
static int prepare_out(const char *dir, bool plots)
{
	char real[PATH_MAX], err[PATH_MAX + 100];
	int r;

	if (plots && strchr(dir, '\n')) {
		fprintf(stderr, "sockcmp: --out: refusing a folder name with a newline (gnuplot could not "
				"take it as a file name)\n");
		return 2;
	}
	if ((r = sc_mkdirs(dir)) < 0) {
		fprintf(stderr, "sockcmp: %s: %s\n", dir, strerror(-r));
		return 1;
	}
	if (plots && (r = sc_plot_dir_check(dir, real, sizeof(real), err, sizeof(err))) < 0) {
		fprintf(stderr, "sockcmp: --out: %s\n", err);
		return r == -EINVAL || r == -ENAMETOOLONG ? 2 : 1;
	}
	if (sc_outfile_dir_shared(dir) == 1)
		fprintf(stderr, "sockcmp: warning: %s can be written by other users, who could replace or "
				"remove the results; use a folder only you can write\n", dir);
	return 0;
}

/* Two hosts: checks the options, keeps the transports that can cross
 * to the peer, connects, authenticates and measures the clock offset.
 * Returns 0 (ro->peer and ro->where set) or an exit code after printing
 * why: 2 bad input, 1 the peer cannot be used. */
static int open_peer(const struct cli *c, struct sc_experiment *e, struct sc_run_opts *ro,
		     struct sc_where *where)
{
	uint8_t key[SC_SIPHASH_KEY_LEN];
	char err[600], left[200] = "";
	size_t n = 0;
	int code;

	if (sc_needs_link(e)) {
		fprintf(stderr, "sockcmp: --peer: %s has an impaired link ('link', --link or a netem sweep); "
				"sockcmp never touches real interfaces, so a link runs on one host only\n", e->name);
		return 2;
	}
	if (!sc_peer_mode_ok(e->mode[0] ? e->mode : "oneway")) {
		fprintf(stderr, "sockcmp: --peer: mode %s does not run across hosts yet (oneway, throughput, rr "
				"and crr do)\n", e->mode);
		return 2;
	}
	memset(key, 0, sizeof(key));
	if (strncmp(c->peer, "ssh://", 6) == 0) {
		if (c->key) {
			fprintf(stderr, "sockcmp: --key: not with ssh:// (OpenSSH authenticates; each run "
					"makes its own key)\n");
			return 2;
		}
	} else if (c->ssh.config || c->ssh.noption || c->ssh.remote) {
		fprintf(stderr, "sockcmp: --ssh-config, --ssh-option and --remote-sockcmp go with --peer ssh://HOST\n");
		return 2;
	} else if (!c->key) {
		fprintf(stderr, "sockcmp: --peer needs --key FILE (a copy of the server's key file)\n");
		return 2;
	} else if (sc_key_load(c->key, 0, key, err, sizeof(err)) < 0) {
		fprintf(stderr, "sockcmp: --key %s\n", err);
		return 2;
	}
	ro->peer = sc_peer_open(c->peer, key, &c->ssh, ro->stop, &code, err, sizeof(err));
	memset(key, 0, sizeof(key));
	if (!ro->peer) {
		fprintf(stderr, "sockcmp: %s\n", err);
		return code;
	}
	for (size_t i = 0; i < e->ntransports; i++) {
		const struct sc_transport *t = e->transports[i];

		if (sc_transport_is_ip(t) && t->family == ro->peer->family)
			e->transports[n++] = t;
		else
			snprintf(left + strlen(left), sizeof(left) - strlen(left), " %s", t->name);
	}
	e->ntransports = n;
	if (left[0] && !c->quiet)
		fprintf(stderr, "sockcmp: --peer: left out%s (AF_UNIX does not cross machines; tcp6/udp6 "
				"need an IPv6 peer address, tcp/udp an IPv4 one)\n", left);
	if (!n) {
		fprintf(stderr, "sockcmp: --peer: none of %s's transports can run across hosts over this "
				"peer address\n", e->name);
		return 2;
	}
	if (sc_peer_clock(ro->peer, 8, err, sizeof(err)) < 0) {
		fprintf(stderr, "sockcmp: %s\n", err);
		return 1;
	}
	if (!c->quiet)
		fprintf(stderr, "sockcmp: peer %s: its clock is %+.1f us from ours (round trip %.1f us, best of 8); "
				"latencies are corrected by it\n", ro->peer->name, (double)ro->peer->offset_ns / 1e3,
			(double)ro->peer->delay_ns / 1e3);
	memset(where, 0, sizeof(*where));
	where->addr4 = where->addr6 = ro->peer->local_ip;
	where->kernel = "host";
	ro->where = where;
	ro->reverse = c->reverse;
	return 0;
}

/* --pcap FILE as an absolute path (the guest of a link run sees the
 * host's files at the same paths): its folder resolved, its name kept.
 * Returns 0, or 2 after saying what is wrong. */
static int absolute(const char *file, char *out, size_t len)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(file, '/'), *base = slash ? slash + 1 : file;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - file) : 1, slash ? file : ".");
	if (slash == file)
		snprintf(dir, sizeof(dir), "/");
	if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
		fprintf(stderr, "sockcmp: --pcap '%s': name a file, not a folder\n", esc(file));
		return 2;
	}
	if (!realpath(dir, real)) {
		fprintf(stderr, "sockcmp: --pcap '%s': %s: %s\n", esc(file), esc(dir), strerror(errno));
		return 2;
	}
	if ((size_t)snprintf(out, len, "%s/%s", strcmp(real, "/") ? real : "", base) >= len) {
		fprintf(stderr, "sockcmp: --pcap '%s': path too long\n", esc(file));
		return 2;
	}
	return 0;
}

/* `sockcmp run NAME` for a built-in probe (probe.h): its CSV in the out
 * directory, its verdict on the terminal. Exit 0 when it measured, 1 when
 * it could not. */
static int run_probe(const struct sc_probe *p, const struct cli *c, struct sc_run_opts *ro)
{
	struct sc_verdict v;
	char out[4096];
	int r;

	snprintf(out, sizeof(out), "%s%s", c->out ? c->out : "results/", c->out ? "" : p->name);
	if ((r = prepare_out(out, false)) != 0)
		return r;
	ro->out_dir = out;
	r = sc_probe_run(p, ro, &v);
	if (r == -EINTR)
		return 130;
	if (!c->quiet)
		printf("%s\n  %s: %s\n  measured: %s\nresults: %s/%s.csv\n", p->claim, v.verdict, v.why,
		       v.figures, out, p->name);
	return strcmp(v.verdict, "not measured") ? 0 : 1;
}

static int cmd_run(int argc, char **argv, struct sc_run_opts *ro)
{
	struct sc_experiment e;
	struct sc_rows rows = {0};
	struct cli c;
	struct sc_request rq;
	struct sc_where where;
	char out[4096], err[1024] = "";
	struct sc_load hl;
	bool nested;
	int i = parse_cli(argc, argv, &c, A_OUT | A_TR | A_REP | A_LINK | A_KERNEL | A_NOPLOT | A_QUIET |
			  A_PROGRESS | A_JSON | A_PEER | A_PCAP), r, r2 = 0, pr;
	char pcap[PATH_MAX + 8];

	if (i < 0)
		return 2;
	if (c.help) {
		run_usage(stdout);
		return 0;
	}
	if (i >= argc) {
		fprintf(stderr, "sockcmp: run needs a SCRIPT (a path, or a name from 'sockcmp list')\n");
		return 2;
	}
	if (i + 1 < argc) {
		fprintf(stderr, "sockcmp: run takes one SCRIPT; unexpected '%s'\n", esc(argv[i + 1]));
		return 2;
	}
	if (sc_probe_find(argv[i]) && (c.peer || c.key || c.reverse || c.ssh.config || c.ssh.noption || c.ssh.remote)) {
		fprintf(stderr, "sockcmp: --peer: the built-in probe %s runs on this host only\n", argv[i]);
		return 2;
	}
	if (c.pcap && (sc_probe_find(argv[i]) || c.peer)) {
		fprintf(stderr, "sockcmp: --pcap: only a run over an impaired link (--link) captures; %s\n",
			c.peer ? "--peer runs between real hosts (capture there with tcpdump)"
			       : "a built-in probe writes its own captures (wire-overhead.pcap)");
		return 2;
	}
	if (c.pcap && (r = absolute(c.pcap, pcap, sizeof(pcap))) != 0)
		return r;
	ro->pcap = c.pcap ? pcap : NULL;
	if (sc_probe_find(argv[i]))
		return run_probe(sc_probe_find(argv[i]), &c, ro);
	if (load(argv[i], &c, &e) < 0)
		return 2;
	memset(&rq, 0, sizeof(rq));
	rq.link = c.link;
	rq.link_reverse = c.link_reverse;
	rq.transports = c.transports;
	rq.repeat = c.repeat;
	rq.kernel = c.kernel;
	rq.quiet = c.quiet;
	if ((c.key || c.reverse || c.ssh.config || c.ssh.noption || c.ssh.remote) && !c.peer) {
		fprintf(stderr, "sockcmp: --key, --reverse and the ssh options go with --peer HOST\n");
		return 2;
	}
	if (c.peer && (r = open_peer(&c, &e, ro, &where)) != 0)
		return r;
	snprintf(out, sizeof(out), "%s", c.out ? c.out : "results/");
	if (!c.out)
		strncat(out, e.name, sizeof(out) - strlen(out) - 1);
	if ((r = prepare_out(out, c.plots)) != 0)
		return r;
	ro->out_dir = out;
	ro->progress = c.progress || (!c.quiet && isatty(2));
	rq.script = argv[i];
	sc_report_load(&hl, false);
	r = sc_dispatch(&e, &rq, ro, &rows, err, sizeof(err));
	sc_report_load(&hl, true);
	if (r == -EINVAL) {
		fprintf(stderr, "sockcmp: %s\n", err);
		sc_rows_free(&rows);
		return 2;
	}
	if (r == -EINTR) {
		fprintf(stderr, "sockcmp: interrupted; %zu finished trials kept in %s\n", rows.n, out);
		sc_rows_free(&rows);
		return 130;
	}
	if (r < 0 && (r != -EIO || rows.n == 0)) {
		fprintf(stderr, "sockcmp: %s\n", err[0] ? err : strerror(-r));
		sc_rows_free(&rows);
		return 1;
	}
	if (c.json) {
		char path[4200], *text = NULL;

		snprintf(path, sizeof(path), "%s/%s.json", out, e.name);
		if (sc_read_file(path, &text, NULL) < 0) {
			fprintf(stderr, "sockcmp: %s: cannot read what the run wrote\n", path);
			r = -EIO;
		} else {
			fputs(text, stdout);
			free(text);
		}
	} else if (!c.quiet) {
		printf("%s\n", e.title[0] ? e.title : e.name);
		sc_report_table(stdout, &e, &rows, false);
		fflush(stdout);
	}
	/* Inside a user-mode Linux guest this run works for a sockcmp on the
	 * host, which reads the rows back and reports them itself: saying it
	 * here too would say it twice. */
	nested = getenv("SOCKCMP_KERNEL") && strcmp(getenv("SOCKCMP_KERNEL"), "uml") == 0;
	if (!nested) {
		sc_report_notes(stderr, &rows, &hl, false);
		if ((r2 = sc_report_summary(out, &e, &rows, &hl)) < 0)
			fprintf(stderr, "sockcmp: cannot write %s/%s-SUMMARY.md: %s\n", out, e.name, strerror(-r2));
	}
	/* A chart not drawn is a result lost (gnuplot missing is said once). */
	pr = c.plots ? sc_plot_experiment(&e, out) : 0;
	if (!c.quiet && !c.json)
		printf("results: %s/%s.csv, %s-events.csv, %s-messages.csv, %s.json, %s-SUMMARY.md%s\n", out,
		       e.name, e.name, e.name, e.name, e.name, c.plots ? ", charts .png/.svg" : "");
	if (r == -EIO && !nested) {
		size_t failed = 0;

		for (size_t k = 0; k < rows.n; k++)
			failed += rows.v[k].status != 0;
		fprintf(stderr, "sockcmp: %zu of %zu trials failed; their rows say why (status, error)\n",
			failed, rows.n);
	}
	sc_rows_free(&rows);
	/* A result not written (the summary, a chart) is exit 1. */
	return r == -EIO || r2 < 0 || (pr < 0 && pr != -ENOENT) ? 1 : 0;
}

static int cmd_lecture(int argc, char **argv, struct sc_run_opts *ro)
{
	struct cli c;
	int i = parse_cli(argc, argv, &c, A_OUT | A_KERNEL | A_NOPLOT | A_QUIET | A_PROGRESS | A_ONLY), r;

	if (i < 0)
		return 2;
	if (c.help) {
		lecture_usage(stdout);
		return 0;
	}
	if (i < argc) {
		fprintf(stderr, "sockcmp: lecture takes no operands; unexpected '%s'\n", esc(argv[i]));
		return 2;
	}
	if (c.only) {
		/* One claim, live in class: a probe, or one of the lecture's
		 * experiments, into the lecture's folder. */
		const char *dir = c.out ? c.out : "results/lecture";
		char *rargv[7] = {"run", (char *)c.only, "--out", (char *)dir};
		int n = 4;

		if (c.quiet)
			rargv[n++] = "--quiet";
		if (!c.plots)
			rargv[n++] = "--no-plots";
		rargv[n] = NULL;

		if (!sc_probe_find(c.only)) {
			char path[4096];

			sc_script_path(c.only, path, sizeof(path));
			if (strchr(c.only, '/') || access(path, R_OK) != 0) {
				fprintf(stderr, "sockcmp: --only '%s': not a shipped experiment or probe (see sockcmp list)\n",
					c.only);
				return 2;
			}
		}
		r = cmd_run(n, rargv, ro);
		/* The revision sheet follows: this claim's rows now have figures. */
		if (r != 2 && r != 130)
			sc_revision_write(dir, 0, c.plots, c.only);
		return r;
	}
	ro->out_dir = c.out ? c.out : "results/lecture";
	if ((r = prepare_out(ro->out_dir, c.plots)) != 0)
		return r;
	ro->progress = c.progress || (!c.quiet && isatty(2));
	return sc_lecture(ro, c.plots, c.kernel);
}

static int cmd_plot(int argc, char **argv)
{
	struct cli c;
	const char *dir;
	struct dirent *de;
	DIR *d;
	char real[PATH_MAX], err[PATH_MAX + 100];
	int i = parse_cli(argc, argv, &c, 0), drawn = 0, failed = 0, r;

	if (i < 0)
		return 2;
	if (c.help) {
		plot_usage(stdout);
		return 0;
	}
	if (i + 1 < argc) {
		fprintf(stderr, "sockcmp: plot takes one DIR; unexpected '%s'\n", esc(argv[i + 1]));
		return 2;
	}
	dir = i < argc ? argv[i] : "results/lecture";
	if ((r = sc_plot_dir_check(dir, real, sizeof(real), err, sizeof(err))) < 0) {
		fprintf(stderr, "sockcmp: %s\n", err);
		return 2;
	}
	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "sockcmp: %s: %s\n", dir, strerror(errno));
		return 2;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		struct sc_experiment e;
		char name[SC_NAME_MAX];

		if (n < 12 || n - 11 >= sizeof(name) || strcmp(de->d_name + n - 11, "-events.csv"))
			continue;
		memcpy(name, de->d_name, n - 11);
		name[n - 11] = '\0';
		if (load(name, NULL, &e) < 0) {
			fprintf(stderr, "sockcmp: %s: no shipped experiment of that name, skipped\n", name);
			continue;
		}
		sc_plot_narrow(&e, dir);
		if (sc_plot_experiment(&e, dir) == 0) {
			printf("%s: charts redrawn in %s (%s*.png, *.svg)\n", name, dir, name);
			drawn++;
		} else {
			failed++;
		}
	}
	closedir(d);
	if (!drawn && !failed)
		fprintf(stderr, "sockcmp: no *-events.csv in %s to plot\n", dir);
	return failed || !drawn ? 1 : 0;
}

static int cmd_list(int argc, char **argv)
{
	const char *dir = sc_experiments_dir();
	struct dirent **names;
	struct cli c;
	int first = parse_cli(argc, argv, &c, 0), n;

	if (first < 0)
		return 2;
	if (c.help) {
		list_usage(stdout);
		return 0;
	}
	if (first < argc) {
		fprintf(stderr, "sockcmp: list takes no operands; unexpected '%s'\n", esc(argv[first]));
		return 2;
	}
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "sockcmp: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);
		struct sc_experiment e;
		char path[4096], err[512];

		if (len > 4 && strcmp(names[i]->d_name + len - 4, ".exp") == 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			if (sc_script_load(path, &e, err, sizeof(err)) == 0)
				printf("%-18s %s\n", e.name, e.title);
			else
				printf("%-18s (broken: %s)\n", esc(names[i]->d_name), err);
		}
		free(names[i]);
	}
	free(names);
	for (size_t i = 0; i < sc_probe_count(); i++) {
		const char *claim = sc_probe_at(i)->claim;

		printf("%-18s (built-in probe) %.90s%s\n", sc_probe_at(i)->name, claim, strlen(claim) > 90 ? "..." : "");
	}
	return 0;
}

/* "expected duration": the plan's, summed over every trial, and the
 * longest limit one trial gets (driver/plan.h). */
static void print_duration(const struct sc_experiment *e)
{
	uint64_t longest = 0;

	for (size_t i = 0; i < sc_experiment_points(e); i++) {
		struct sc_experiment p;
		char err[256];

		if (sc_experiment_at(e, i, &p, err, sizeof(err)) < 0)
			continue;
		for (size_t j = 0; j < e->ntransports; j++) {
			uint64_t l = sc_plan_trial_limit_ns(&p, e->transports[j]);

			longest = l > longest ? l : longest;
		}
	}
	printf("expected duration: about %.1f s (%s), each trial abandoned after %.0f s at most\n",
	       (double)sc_plan_run_ns(e) / 1e9,
	       sc_needs_link(e) ? "plus the guest's boot if the link runs in user-mode Linux" : "on loopback",
	       (double)longest / 1e9);
}

static int cmd_check(int argc, char **argv)
{
	struct sc_experiment e;
	struct cli c;
	char file[600];
	int i = parse_cli(argc, argv, &c, A_TR | A_REP | A_LINK);

	if (i < 0)
		return 2;
	if (c.help) {
		check_usage(stdout);
		return 0;
	}
	if (i >= argc) {
		fprintf(stderr, "sockcmp: check needs a SCRIPT\n");
		return 2;
	}
	if (i + 1 < argc) {
		fprintf(stderr, "sockcmp: check takes one SCRIPT; unexpected '%s'\n", esc(argv[i + 1]));
		return 2;
	}
	if (load(argv[i], &c, &e) < 0)
		return 2;
	sc_text_escape(file, sizeof(file), e.file);
	if (sc_mode_of(&e) && sc_mode_of(&e)->servers) {
		struct sc_lane l[SC_MAX_LANES];

		printf("%s: ok: experiment %s, %zu server models x %zu points x %u trials\n", file, e.name,
		       sc_mode_lanes(sc_mode_of(&e), &e, l, SC_MAX_LANES), sc_experiment_points(&e), e.repeat);
	} else {
		printf("%s: ok: experiment %s, %zu transports x %zu points x %u trials, %llu messages per trial\n",
		       file, e.name, e.ntransports, sc_experiment_points(&e), e.repeat,
		       (unsigned long long)sc_plan_msgs(&e.send));
	}
	print_duration(&e);
	return 0;
}

/* 'sockcmp help [COMMAND]': the command's text, or the overview. */
static int help(const char *cmd)
{
	static const struct {
		const char *name;
		void (*usage)(FILE *f);
	} cmds[] = {{"run", run_usage}, {"lecture", lecture_usage}, {"plot", plot_usage},
		    {"list", list_usage}, {"check", check_usage}};

	if (!cmd) {
		usage(stdout);
		return 0;
	}
	for (size_t k = 0; k < sizeof(cmds) / sizeof(cmds[0]); k++)
		if (!strcmp(cmd, cmds[k].name)) {
			cmds[k].usage(stdout);
			return 0;
		}
	if (!strcmp(cmd, "serve")) {
		char *argv[] = {"serve", "--help", NULL};

		return sc_serve_main(2, argv, "", &stop);
	}
	fprintf(stderr, "sockcmp: help: unknown command '%s' (commands: run lecture plot list check serve)\n", cmd);
	return 2;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	struct sc_run_opts ro;
	char bin[4096];
	int r;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
		return help(argc > 2 ? argv[2] : NULL);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("sockcmp %s\n", sc_version());
		return 0;
	}
	/* Internal commands of the driver's own child processes; they keep
	 * the default signal dispositions, so the driver can end them. */
	if (strcmp(argv[1], "__pair") == 0)
		return sc_pair_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "__probe") == 0)
		return sc_probe_child_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "__probe-writer") == 0)
		return sc_probe_writer_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "__as-nobody") == 0)
		return sc_probe_nobody_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "__probes") == 0)
		return sc_probes_child_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "__servers") == 0)
		return sc_servers_main(argc - 1, argv + 1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	memset(&ro, 0, sizeof(ro));
	if (sc_bin_dir(bin, sizeof(bin)) < 0) {
		fprintf(stderr, "sockcmp: cannot find my own directory\n");
		return 1;
	}
	ro.bin_dir = bin;
	ro.stop = &stop;
	if (strcmp(argv[1], "run") == 0 || strcmp(argv[1], "lecture") == 0) {
		/* Whatever happens to this process from here on, even kill -9,
		 * nothing of the run outlives it (watch.h); and what runs of
		 * older versions, or killed ones, left behind goes now. */
		if (sc_watch_start() < 0)
			fprintf(stderr, "sockcmp: warning: no watchdog (%s): a kill -9 would leave processes "
					"behind\n", strerror(errno));
		sc_watch_sweep();
		if (geteuid() == 0)
			sc_netns_sweep();
	}
	if (strcmp(argv[1], "run") == 0)
		r = cmd_run(argc - 1, argv + 1, &ro);
	else if (strcmp(argv[1], "lecture") == 0)
		r = cmd_lecture(argc - 1, argv + 1, &ro);
	else if (strcmp(argv[1], "plot") == 0)
		r = cmd_plot(argc - 1, argv + 1);
	else if (strcmp(argv[1], "list") == 0)
		r = cmd_list(argc - 1, argv + 1);
	else if (strcmp(argv[1], "check") == 0)
		r = cmd_check(argc - 1, argv + 1);
	else if (strcmp(argv[1], "serve") == 0 && argc == 3 && !strcmp(argv[2], "-h"))
		r = help("serve"); /* serve's own parser knows only --help */
	else if (strcmp(argv[1], "serve") == 0)
		r = sc_serve_main(argc - 1, argv + 1, bin, &stop);
	else {
		fprintf(stderr, "sockcmp: unknown command '%s' (try sockcmp -h)\n", esc(argv[1]));
		r = 2;
	}
	sc_spawn_end_all();
	sc_peer_close(ro.peer);
	sc_watch_finish();
	return stop && r != 2 ? 130 : r;
}
