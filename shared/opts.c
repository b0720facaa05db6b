/* opts.c - getopt_long parsing for the paired programs. */
#include "opts.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "clock.h"
#include "num.h"
#include "version.h"

#define DEFAULT_WAIT (10 * SC_NS_PER_S)
#define DEFAULT_IDLE (5 * SC_NS_PER_S)
#define DEFAULT_LINGER (50 * SC_NS_PER_MS)
/* 262,144 events (56 bytes) and message records (40 bytes): about 24 MiB
 * at most, so a 10-million-message run stays under 32 MiB per process;
 * beyond it the counters stay exact and the latency percentiles come from
 * a histogram over every message (shared/hist.h). */
#define DEFAULT_RECORDS (1u << 18)
#define MAX_RECORDS (64u << 20)
#define DEFAULT_REPLY_WAIT (2 * SC_NS_PER_S)

enum {
	O_LISTEN = 256, O_TO, O_TRANSPORT, O_READ, O_AFTER, O_EVERY, O_WAITALL, O_TRUNC,
	O_RCVBUF, O_SNDBUF, O_TOKEN, O_RAW, O_WAIT, O_IDLE, O_LINGER, O_OUT, O_RECORDS,
	O_QUIET, O_HELP, O_SEND, O_PAUSE, O_PACE, O_END, O_TIMEOUT,
	O_NOBATCH, O_CPU, O_KTS, O_ECHO, O_INTERVAL, O_FOR, O_BITRATE, O_RR, O_CRR,
	O_REPLY, O_PAYLOAD, O_REPLY_WAIT, O_IVLINES,
};

/* Short options, the same letter for the same meaning in both programs of
 * a pair and in sockcmp (-h, -V, -o, -q, -t), as iperf3, netcat and ssh
 * users expect. */
#define COMMON_SHORT "ho:qt:Vw:"

/* Prints "PROG VERSION" for -V/--version. */
static void print_version(const char *prog)
{
	printf("%s (sockcmp) %s\n", prog, sc_version());
}

static const char *kind_transports(enum sc_kind k)
{
	return k == SC_KIND_STREAM ? "tcp, tcp6, unix-stream" : "udp, udp6, unix-dgram, unix-seqpacket";
}

/* Prints "prog: what is wrong (try --help)" and returns -EINVAL. */
__attribute__((format(printf, 2, 3))) static int bad(const char *prog, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try --help)\n");
	return -EINVAL;
}

/* The transport the address implies when --transport is not given. */
static const struct sc_transport *infer(enum sc_kind k, const char *addr)
{
	bool unx = strncmp(addr, "unix:", 5) == 0, v6 = addr[0] == '[';

	if (k == SC_KIND_STREAM)
		return sc_transport_find(unx ? "unix-stream" : v6 ? "tcp6" : "tcp");
	return sc_transport_find(unx ? "unix-dgram" : v6 ? "udp6" : "udp");
}

/* Options both kinds share. Returns 1 if handled, 0 if not ours, <0 on error. */
static int common_opt(struct sc_common_opts *c, int opt, const char *arg, const char **tname)
{
	uint64_t v;
	int r = 1;

	switch (opt) {
	case 't':
	case O_TRANSPORT: *tname = arg; break;
	case O_TOKEN:
		if (sc_str_u64(arg, 1, UINT32_MAX, &v) < 0)
			return bad(c->prog, "--token '%s': expected a number from 1 to 4294967295", arg);
		c->token = (uint32_t)v;
		c->token_set = true;
		break;
	case 'w':
	case O_WAIT:
		if (sc_str_duration(arg, SC_MAX_DURATION_NS, &c->wait_ns) < 0 || !c->wait_ns)
			return bad(c->prog, "--wait '%s': expected a duration from 1ms to 1h, e.g. 10s", arg);
		break;
	case 'o':
	case O_OUT: c->out = arg; break;
	case O_RECORDS:
		if (sc_str_u64(arg, 1, MAX_RECORDS, &c->max_records) < 0)
			return bad(c->prog, "--max-records '%s': expected 1 to %u", arg, MAX_RECORDS);
		break;
	case 'q':
	case O_QUIET: c->quiet = true; break;
	case O_NOBATCH: c->batch = false; break;
	case O_CPU:
		if (sc_str_u64(arg, 0, 1023, &v) < 0)
			return bad(c->prog, "--cpu '%s': expected a CPU number from 0 to 1023", arg);
		c->cpu = (int)v;
		break;
	default: r = 0;
	}
	return r;
}

/* Takes the key from SOCKCMP_KEY and wipes it: the value's bytes are
 * overwritten in place (they live in the block /proc/PID/environ shows)
 * and the variable is removed. Returns 0 (c->key_set says whether there
 * was one) or -EINVAL after printing why. */
static int take_key(struct sc_common_opts *c)
{
	char *v = getenv(SC_WIRE_KEY_ENV);
	int r = 0;

	if (!v)
		return 0;
	if (sc_wire_key_parse(v, &c->key) < 0)
		r = bad(c->prog, "%s must be %d hex digits (a 128-bit key)", SC_WIRE_KEY_ENV, SC_WIRE_KEY_HEX);
	else if (sc_wire_key_is_zero(&c->key))
		r = bad(c->prog, "%s is all zeros: that is the public key of unkeyed runs", SC_WIRE_KEY_ENV);
	c->key_set = r == 0;
	memset(v, 'x', strlen(v));
	unsetenv(SC_WIRE_KEY_ENV);
	return r;
}

/* Resolves the transport and address once all options are read: the
 * checks that involve more than one option live here, in one place. */
static int finish_common(struct sc_common_opts *c, const char *tname, bool passive)
{
	char err[256];

	if (tname) {
		c->t = sc_transport_find(tname);
		if (!c->t)
			return bad(c->prog, "unknown transport '%s' (this program takes %s)", tname,
				   kind_transports(c->kind));
	} else {
		c->t = infer(c->kind, c->addr);
	}
	if (c->t->bytestream != (c->kind == SC_KIND_STREAM))
		return bad(c->prog, "transport '%s' is not one of %s", c->t->name, kind_transports(c->kind));
	if (sc_endpoint_parse(c->addr, c->t->socktype, passive, &c->ep, err, sizeof(err)) < 0)
		return bad(c->prog, "%s", err);
	if (c->ep.family != c->t->family) {
		/* An IPv6 address with "tcp"/"udp" selects the IPv6 form. */
		const char *alt = c->ep.family == AF_INET6 ? (c->kind == SC_KIND_STREAM ? "tcp6" : "udp6")
							   : NULL;
		if (!alt || (strcmp(c->t->name, "tcp") && strcmp(c->t->name, "udp")))
			return bad(c->prog, "address '%s' does not suit transport %s", c->addr, c->t->name);
		c->t = sc_transport_find(alt);
	}
	if (!c->max_records)
		c->max_records = DEFAULT_RECORDS;
	return take_key(c);
}

static void recv_usage(const struct sc_recv_opts *o)
{
	const char *p = o->c.prog;
	bool stream = o->c.kind == SC_KIND_STREAM;

	printf("Usage: %s [OPTIONS]\n"
	       "Receive a sockcmp sender's messages (or any client's bytes with --raw) and\n"
	       "record what every receive call returned.\n\n"
	       "  -l, --listen ADDR      where to listen: HOST:PORT, [V6]:PORT, unix:/PATH, unix:@NAME\n"
	       "                         (default 127.0.0.1:0; port 0 = the kernel picks, printed)\n"
	       "  -t, --transport NAME   %s (default: from ADDR)\n"
	       "  -r, --read SIZE        bytes asked for per receive call (default 65536)\n"
	       "      --after DUR        wait DUR after data is first readable, then read (default 0)\n"
	       "      --every DUR        wait DUR before each later read\n"
	       "      --waitall          pass MSG_WAITALL%s\n"
	       "      --trunc            pass MSG_TRUNC%s\n"
	       "      --rcvbuf SIZE      set SO_RCVBUF\n"
	       "      --token N          public run id: other runs' messages count as foreign (default: any)\n"
	       "      --raw              expect no sockcmp header: record read sizes only (for nc, your own client);\n"
	       "                         every read's source address and bytes go to PREFIX-exchange.csv.\n"
	       "                         A client that goes quiet for --idle after sending data without\n"
	       "                         closing (nc without -N) ends the run normally\n"
	       "      --reply TEXT       with --raw: answer the connection's first read (datagrams: every\n"
	       "                         datagram, to its source) with TEXT, as the lecture's server does\n"
	       "  -w, --wait DUR         give up if no sender shows up within DUR (default 10s)\n"
	       "      --idle DUR         give up after DUR without data (default 5s)\n"
	       "      --linger DUR       after the sender's end marker, read stragglers for DUR (default 50ms)\n"
	       "  -o, --out PREFIX       write PREFIX-summary.csv, -events.csv, -messages.csv (default %s)\n"
	       "      --max-records N    events and message records kept in memory (default 262144;\n"
	       "                         past it, percentiles come from a histogram over every message)\n"
	       "  -q, --quiet            no summary line on stderr\n"
	       "%s"
	       "      --echo             answer every request with a reply of the same size (rr, crr)\n"
	       "      --interval DUR     every DUR of receiving, a line on stderr (unless --quiet) and\n"
	       "                         a row in PREFIX-intervals.csv: messages/s and Gbit/s\n"
	       "      --interval-lines   the --interval lines on stderr even with --quiet\n"
	       "      --cpu N            run on CPU N only (sched_setaffinity)\n"
	       "  -h, --help             this text\n"
	       "  -V, --version          the version\n\n"
	       "Example:\n"
	       "  %s -l %s -o /tmp/r     then, elsewhere:  %s -c %s\n\n"
	       "Prints \"listening on ADDR\" on stdout once ready. Exit status: 0 done, 1 the run\n"
	       "failed (no sender, peer vanished, timeout), 2 bad options.\n\n"
	       "Run key: every message header carries a SipHash-2-4 tag under the run's secret\n"
	       "128-bit key, read from the environment variable " SC_WIRE_KEY_ENV " (32 hex digits;\n"
	       "never on the command line, which every user can read). Give the sender the\n"
	       "same key. Messages without a valid tag count as foreign. Without a key the\n"
	       "programs use a public all-zero key, and this receiver warns and counts traffic\n"
	       "from anyone but the first sender's address as foreign.\n"
	       "See %s(1).\n",
	       p, kind_transports(o->c.kind),
	       stream ? " (wait until the whole --read SIZE arrived)" : " (no effect on datagrams; kept to show that)",
	       stream ? " (ignored by streams; accepted so one script serves both kinds)" : " (the call returns the real length)",
	       p,
	       stream ? ""
		      : "      --no-batch         one recvmsg() per datagram, not recvmmsg() batches\n"
			"      --kernel-timestamps  accepted for older scripts: every datagram's latency already\n"
			"                         ends at its kernel arrival time (SO_TIMESTAMPNS, always on)\n",
	       p, stream ? "127.0.0.1:5001" : "127.0.0.1:5002", stream ? "stream-send" : "datagram-send",
	       stream ? "127.0.0.1:5001" : "127.0.0.1:5002", p);
}

int sc_recv_opts_parse(int argc, char **argv, enum sc_kind kind, struct sc_recv_opts *o)
{
	static const struct option lo[] = {
		{"listen", 1, 0, O_LISTEN}, {"transport", 1, 0, O_TRANSPORT}, {"read", 1, 0, O_READ},
		{"after", 1, 0, O_AFTER}, {"every", 1, 0, O_EVERY}, {"waitall", 0, 0, O_WAITALL},
		{"trunc", 0, 0, O_TRUNC}, {"rcvbuf", 1, 0, O_RCVBUF}, {"token", 1, 0, O_TOKEN},
		{"raw", 0, 0, O_RAW}, {"wait", 1, 0, O_WAIT}, {"idle", 1, 0, O_IDLE},
		{"linger", 1, 0, O_LINGER}, {"out", 1, 0, O_OUT}, {"max-records", 1, 0, O_RECORDS},
		{"quiet", 0, 0, O_QUIET}, {"help", 0, 0, O_HELP}, {"version", 0, 0, 'V'},
		{"no-batch", 0, 0, O_NOBATCH}, {"cpu", 1, 0, O_CPU}, {"kernel-timestamps", 0, 0, O_KTS},
		{"echo", 0, 0, O_ECHO}, {"interval", 1, 0, O_INTERVAL}, {"reply", 1, 0, O_REPLY},
		{"interval-lines", 0, 0, O_IVLINES}, {0, 0, 0, 0}};
	const char *tname = NULL;
	int opt, r;

	memset(o, 0, sizeof(*o));
	o->c.prog = kind == SC_KIND_STREAM ? "stream-recv" : "datagram-recv";
	o->c.kind = kind;
	o->c.addr = "127.0.0.1:0";
	o->c.out = o->c.prog;
	o->c.wait_ns = DEFAULT_WAIT;
	o->idle_ns = DEFAULT_IDLE;
	o->linger_ns = DEFAULT_LINGER;
	o->plan.size = 65536;
	o->c.batch = true;
	o->c.cpu = -1;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, COMMON_SHORT "l:r:", lo, NULL)) != -1) {
		const char *a = optarg;

		r = common_opt(&o->c, opt, a, &tname);
		if (r < 0)
			return r;
		if (r)
			continue;
		switch (opt) {
		case 'l':
		case O_LISTEN: o->c.addr = a; break;
		case 'r':
		case O_READ:
			if (sc_str_size(a, 1, SC_MAX_MSG, &o->plan.size) < 0)
				return bad(o->c.prog, "--read '%s': expected bytes from 1 to 16M", a);
			break;
		case O_AFTER:
		case O_EVERY:
		case O_IDLE:
		case O_LINGER: {
			uint64_t *d = opt == O_AFTER ? &o->plan.after_ns : opt == O_EVERY ? &o->plan.every_ns
					: opt == O_IDLE ? &o->idle_ns : &o->linger_ns;
			if (sc_str_duration(a, SC_MAX_DURATION_NS, d) < 0)
				return bad(o->c.prog, "'%s': expected a duration up to 1h, e.g. 50ms or 2s", a);
			break;
		}
		case O_WAITALL: o->plan.flags |= SC_RECV_WAITALL; break;
		case O_TRUNC: o->plan.flags |= SC_RECV_TRUNC; break;
		case O_RCVBUF:
			if (sc_str_size(a, 1, 1u << 30, &o->plan.rcvbuf) < 0)
				return bad(o->c.prog, "--rcvbuf '%s': expected bytes from 1 to 1G", a);
			break;
		case O_RAW: o->raw = true; break;
		case O_KTS: o->kernel_ts = true; break;
		case O_ECHO: o->echo = true; break;
		case O_INTERVAL:
			if (sc_str_duration(a, SC_MAX_DURATION_NS, &o->interval_ns) < 0 ||
			    o->interval_ns < 10 * SC_NS_PER_MS)
				return bad(o->c.prog, "--interval '%s': expected a duration from 10ms to 1h", a);
			break;
		case O_REPLY: o->reply = a; break;
		case O_IVLINES: o->interval_lines = true; break;
		case 'h':
		case O_HELP: recv_usage(o); return 1;
		case 'V': print_version(o->c.prog); return 1;
		default:
			return bad(o->c.prog, "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bad(o->c.prog, "unexpected argument '%s'", argv[optind]);
	if (!o->idle_ns)
		return bad(o->c.prog, "--idle must be above 0");
	if (o->reply && !o->raw)
		return bad(o->c.prog, "--reply needs --raw (a sockcmp sender reads no replies)");
	return finish_common(&o->c, tname, 1);
}

/* Bits per second: digits and an optional k, M or G (powers of 1000, as
 * for link rates). Returns 0 or -EINVAL. */
static int bitrate(const char *a, uint64_t *out)
{
	char digits[24];
	size_t n = strlen(a);
	uint64_t mult = 1, v;

	if (n && (a[n - 1] == 'k' || a[n - 1] == 'M' || a[n - 1] == 'G')) {
		mult = a[n - 1] == 'k' ? 1000 : a[n - 1] == 'M' ? 1000000 : 1000000000;
		n--;
	}
	if (n == 0 || n >= sizeof(digits))
		return -EINVAL;
	memcpy(digits, a, n);
	digits[n] = '\0';
	if (sc_str_u64(digits, 1, 1000000000000ull / mult, &v) < 0)
		return -EINVAL;
	*out = v * mult;
	return 0;
}

static void send_usage(const struct sc_send_opts *o)
{
	bool stream = o->c.kind == SC_KIND_STREAM;

	printf("Usage: %s -c ADDR [OPTIONS]\n"
	       "Send numbered, checksummed sockcmp messages to a %s and record every call.\n\n"
	       "  -c, --to ADDR          receiver: HOST:PORT, [V6]:PORT, unix:/PATH, unix:@NAME\n"
	       "  -t, --transport NAME   %s (default: from ADDR)\n"
	       "  -s, --send 'N x SIZE'  write N messages of SIZE bytes (header included, >= 44);\n"
	       "                         repeatable, done in order (default '5 x 512')\n"
	       "      --pause DUR        pause between --send groups (in order)\n"
	       "      --pace DUR         gap between consecutive writes (default 0: back to back)\n"
	       "%s"
	       "      --sndbuf SIZE      set SO_SNDBUF\n"
	       "      --token N          public run id (default: random)\n"
	       "      --raw              plain bytes for a foreign receiver (nc, the lecture's server):\n"
	       "                         no header, no end marker; then read the peer's reply\n"
	       "      --payload TEXT     with --raw (implied): send exactly TEXT, once, instead of --send\n"
	       "      --reply-wait DUR   with --raw: wait up to DUR for a reply, read it until the peer\n"
	       "                         closes or goes quiet for 100ms (default 2s; 0 = do not read).\n"
	       "                         What was sent and received goes to PREFIX-exchange.csv\n"
	       "  -w, --wait DUR         keep trying to reach the receiver for DUR (default 10s)\n"
	       "      --timeout DUR      a write blocked this long fails the run (default 10s)\n"
	       "  -o, --out PREFIX       write PREFIX-summary.csv and PREFIX-events.csv (default %s)\n"
	       "      --max-records N    events kept in memory (default 262144)\n"
	       "  -q, --quiet            no summary line on stderr\n"
	       "      --for DUR          stop sending after DUR (the --send counts are then upper bounds)\n"
	       "      --bitrate BPS      aim at BPS bits/s of message bytes (default: as fast as possible)\n"
	       "      --rr               request/response: wait for each reply (the receiver runs --echo)\n"
	       "%s"
	       "      --cpu N            run on CPU N only (sched_setaffinity)\n"
	       "  -h, --help             this text\n"
	       "  -V, --version          the version\n\n"
	       "Example:\n"
	       "  %s -c %s -s '100 x 1000' --pace 1ms\n\n"
	       "Exit status: 0 done, 1 the run failed (no receiver, peer vanished, timeout),\n"
	       "2 bad options.\n\n"
	       "Run key: headers are sealed with the secret 128-bit key in the environment\n"
	       "variable " SC_WIRE_KEY_ENV " (32 hex digits, the receiver's too); without it, with\n"
	       "a public all-zero key that proves nothing.\n"
	       "See %s(1).\n",
	       o->c.prog, stream ? "stream-recv" : "datagram-recv", kind_transports(o->c.kind),
	       stream ? "      --end close|shutdown  close(), or shutdown(SHUT_WR) first (default close)\n" : "",
	       o->c.prog,
	       stream ? "      --crr              as --rr, a new connection per request\n"
		      : "      --crr              as --rr (datagrams open no connection per request)\n"
			"      --no-batch         one send() per message, not sendmmsg() batches\n",
	       o->c.prog, stream ? "127.0.0.1:5001" : "127.0.0.1:5002", o->c.prog);
}

static int add_op(struct sc_send_opts *o, const struct sc_op *op)
{
	if (o->plan.nops >= SC_MAX_OPS)
		return bad(o->c.prog, "too many --send/--pause options (at most %d)", SC_MAX_OPS);
	o->plan.ops[o->plan.nops++] = *op;
	return 0;
}

int sc_send_opts_parse(int argc, char **argv, enum sc_kind kind, struct sc_send_opts *o)
{
	static const struct option lo[] = {
		{"to", 1, 0, O_TO}, {"transport", 1, 0, O_TRANSPORT}, {"send", 1, 0, O_SEND},
		{"pause", 1, 0, O_PAUSE}, {"pace", 1, 0, O_PACE}, {"end", 1, 0, O_END},
		{"sndbuf", 1, 0, O_SNDBUF}, {"token", 1, 0, O_TOKEN}, {"wait", 1, 0, O_WAIT},
		{"timeout", 1, 0, O_TIMEOUT}, {"out", 1, 0, O_OUT}, {"max-records", 1, 0, O_RECORDS},
		{"quiet", 0, 0, O_QUIET}, {"help", 0, 0, O_HELP}, {"version", 0, 0, 'V'},
		{"no-batch", 0, 0, O_NOBATCH}, {"cpu", 1, 0, O_CPU}, {"for", 1, 0, O_FOR},
		{"bitrate", 1, 0, O_BITRATE}, {"rr", 0, 0, O_RR}, {"crr", 0, 0, O_CRR}, {"raw", 0, 0, O_RAW},
		{"payload", 1, 0, O_PAYLOAD}, {"reply-wait", 1, 0, O_REPLY_WAIT}, {0, 0, 0, 0}};
	const char *tname = NULL;
	bool reply_wait_set = false;
	char err[256];
	struct sc_op op;
	int opt, r;

	memset(o, 0, sizeof(*o));
	o->c.prog = kind == SC_KIND_STREAM ? "stream-send" : "datagram-send";
	o->c.kind = kind;
	o->c.out = o->c.prog;
	o->c.wait_ns = DEFAULT_WAIT;
	o->timeout_ns = DEFAULT_WAIT;
	o->c.batch = true;
	o->c.cpu = -1;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, COMMON_SHORT "c:s:", lo, NULL)) != -1) {
		const char *a = optarg;

		r = common_opt(&o->c, opt, a, &tname);
		if (r < 0)
			return r;
		if (r)
			continue;
		switch (opt) {
		case 'c':
		case O_TO: o->c.addr = a; break;
		case 's':
		case O_SEND:
			if (sc_script_send_args(a, &op, err, sizeof(err)) < 0)
				return bad(o->c.prog, "--send '%s': %s", a, err);
			if (add_op(o, &op) < 0)
				return -EINVAL;
			break;
		case O_PAUSE:
			memset(&op, 0, sizeof(op));
			op.kind = SC_OP_PAUSE;
			if (sc_str_duration(a, SC_MAX_DURATION_NS, &op.ns) < 0)
				return bad(o->c.prog, "--pause '%s': expected a duration up to 1h", a);
			if (add_op(o, &op) < 0)
				return -EINVAL;
			break;
		case O_PACE:
			if (sc_str_duration(a, SC_MAX_DURATION_NS, &o->plan.pace_ns) < 0)
				return bad(o->c.prog, "--pace '%s': expected a duration up to 1h", a);
			break;
		case O_END:
			/* Datagram programs have no stream to end: not their option. */
			if (kind != SC_KIND_STREAM)
				return bad(o->c.prog, "unknown option '--end' (a stream-send option)");
			if (strcmp(a, "close") && strcmp(a, "shutdown"))
				return bad(o->c.prog, "--end '%s': expected close or shutdown", a);
			o->plan.end = a[0] == 's' ? SC_END_SHUTDOWN : SC_END_CLOSE;
			break;
		case O_SNDBUF:
			if (sc_str_size(a, 1, 1u << 30, &o->plan.sndbuf) < 0)
				return bad(o->c.prog, "--sndbuf '%s': expected bytes from 1 to 1G", a);
			break;
		case O_TIMEOUT:
			if (sc_str_duration(a, SC_MAX_DURATION_NS, &o->timeout_ns) < 0 || !o->timeout_ns)
				return bad(o->c.prog, "--timeout '%s': expected a duration from 1ms to 1h", a);
			break;
		case O_FOR:
			if (sc_str_duration(a, SC_MAX_DURATION_NS, &o->for_ns) < 0 || !o->for_ns)
				return bad(o->c.prog, "--for '%s': expected a duration from 1ms to 1h", a);
			break;
		case O_BITRATE:
			if (bitrate(a, &o->bitrate) < 0)
				return bad(o->c.prog, "--bitrate '%s': expected bits per second from 1 to 10^12, "
					   "with an optional k, M or G (powers of 1000), e.g. 500M", a);
			break;
		case O_RR: o->style = SC_STYLE_RR; break;
		case O_CRR: o->style = SC_STYLE_CRR; break;
		case O_RAW: o->raw = true; break;
		case O_PAYLOAD: o->payload = a; o->raw = true; break;
		case O_REPLY_WAIT:
			if (sc_str_duration(a, SC_MAX_DURATION_NS, &o->reply_wait_ns) < 0)
				return bad(o->c.prog, "--reply-wait '%s': expected a duration up to 1h", a);
			reply_wait_set = true;
			break;
		case 'h':
		case O_HELP: send_usage(o); return 1;
		case 'V': print_version(o->c.prog); return 1;
		default:
			return bad(o->c.prog, "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bad(o->c.prog, "unexpected argument '%s'", argv[optind]);
	if (!o->c.addr)
		return bad(o->c.prog, "--to ADDR is required");
	if (reply_wait_set && !o->raw)
		return bad(o->c.prog, "--reply-wait needs --raw (a sockcmp receiver sends no replies)");
	if (!reply_wait_set)
		o->reply_wait_ns = DEFAULT_REPLY_WAIT;
	if (o->payload) {
		if (sc_plan_msgs(&o->plan) != 0)
			return bad(o->c.prog, "--payload and --send exclude each other");
		memset(&op, 0, sizeof(op));
		op.kind = SC_OP_WRITE;
		op.count = 1;
		op.size = strlen(o->payload);
		add_op(o, &op);
	}
	if (sc_plan_msgs(&o->plan) == 0) {
		memset(&op, 0, sizeof(op));
		op.kind = SC_OP_WRITE;
		op.count = 5;
		op.size = 512;
		add_op(o, &op);
	}
	if (!o->c.token_set) {
		uint32_t t = 0;

		while (t == 0)
			if (getrandom(&t, sizeof(t), 0) != sizeof(t))
				t = (uint32_t)sc_real_ns() | 1;
		o->c.token = t;
		o->c.token_set = true;
	}
	r = finish_common(&o->c, tname, 0);
	if (r < 0)
		return r;
	for (size_t i = 0; i < o->plan.nops; i++)
		if (o->c.t->max_msg && o->plan.ops[i].kind == SC_OP_WRITE &&
		    o->plan.ops[i].size > o->c.t->max_msg) {
			return bad(o->c.prog, "a %s message can carry at most %u bytes (--send size %llu)",
				   o->c.t->name, o->c.t->max_msg, (unsigned long long)o->plan.ops[i].size);
		}
	return 0;
}

int sc_exit_status(int r)
{
	return r == 0 ? 0 : 1;
}
