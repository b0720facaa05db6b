/* revision.c - the revision sheet's rows, judged from the run's figures
 * (see revision.h). Pure: CSV text in, rows out. Every number in a row is
 * read from a table; a row whose table or cell is missing says which and
 * gives no verdict. Where a row judges what one probe measured (sync,
 * overhead), it calls that probe's judge (probe_judge.h, pure too). */
#include "revision.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "probe_judge.h"
#include "schema.h"

/* A run's NAME.csv has 74 columns since the servers mode's were added
 * (columns are only ever added): room for many more. */
#define MAX_COLS 256

int sc_rev_data_add(struct sc_rev_data *d, const char *name, const char *csv)
{
	struct sc_rev_table *t;
	char *p, *rec, *f[MAX_COLS];
	size_t cap = 16;
	int n;

	if (d->n >= SC_REV_MAX_TABLES)
		return -ENOSPC;
	t = &d->t[d->n];
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->text = strdup(csv);
	if (!t->text)
		return -ENOMEM;
	p = t->text;
	rec = sc_next_record(&p);
	n = rec ? sc_csv_split(rec, f, MAX_COLS) : -EINVAL;
	if (n <= 0)
		goto bad;
	t->ncols = (size_t)n;
	t->cells = malloc(cap * t->ncols * sizeof(char *));
	if (!t->cells)
		goto nomem;
	memcpy(t->cells, f, t->ncols * sizeof(char *));
	t->nrows = 0;
	while ((rec = sc_next_record(&p))) {
		char **row;

		if (!*rec)
			continue;
		n = sc_csv_split(rec, f, MAX_COLS);
		if (n < 0)
			goto bad;
		if (t->nrows + 2 > cap) {
			char **g = realloc(t->cells, cap * 2 * t->ncols * sizeof(char *));

			if (!g)
				goto nomem;
			t->cells = g;
			cap *= 2;
		}
		row = t->cells + (t->nrows + 1) * t->ncols;
		for (size_t i = 0; i < t->ncols; i++)
			row[i] = (int)i < n ? f[i] : "";
		t->nrows++;
	}
	/* cells[0..ncols) is the header; rows follow it. */
	d->n++;
	return 0;
bad:
	free(t->cells);
	free(t->text);
	memset(t, 0, sizeof(*t));
	return -EINVAL;
nomem:
	free(t->cells);
	free(t->text);
	memset(t, 0, sizeof(*t));
	return -ENOMEM;
}

void sc_rev_data_free(struct sc_rev_data *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->t[i].cells);
		free(d->t[i].text);
	}
	memset(d, 0, sizeof(*d));
}

static const struct sc_rev_table *table(const struct sc_rev_data *d, const char *file)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->t[i].name, file))
			return &d->t[i];
	return NULL;
}

static int column(const struct sc_rev_table *t, const char *col)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (!strcmp(t->cells[i], col))
			return (int)i;
	return -1;
}

const char *sc_rev_get(const struct sc_rev_data *d, const char *file, const char *keycol,
		       const char *key, const char *col)
{
	const struct sc_rev_table *t = table(d, file);
	int k, c, tr;

	if (!t || (c = column(t, col)) < 0)
		return NULL;
	k = keycol ? column(t, keycol) : -1;
	if (keycol && k < 0)
		return NULL;
	tr = column(t, "trial");
	for (size_t r = 1; r <= t->nrows; r++) {
		char **row = t->cells + r * t->ncols;

		if (k >= 0 && strcmp(row[k], key))
			continue;
		if (tr >= 0 && strcmp(row[tr], "1"))
			continue;
		return row[c][0] ? row[c] : NULL;
	}
	return NULL;
}

/* Reads a whole number from a cell: false if missing or not a number. */
static bool num(const struct sc_rev_data *d, const char *file, const char *keycol, const char *key,
		const char *col, long long *v)
{
	const char *s = sc_rev_get(d, file, keycol, key, col);
	char *end;

	if (!s)
		return false;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return !errno && end != s && (*end == '\0' || *end == '.');
}

/* A probe's "measure,value" table. Its values (bytes, ports, errnos,
 * counts) are never negative: a negative one is a failed measurement
 * (older probes wrote -1 for one; now the cell is empty) and reads as
 * missing, never as a figure. */
static bool kv(const struct sc_rev_data *d, const char *file, const char *measure, long long *v)
{
	return num(d, file, "measure", measure, "value", v) && *v >= 0;
}

static void set(struct sc_rev_row *r, const char *verdict, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set(struct sc_rev_row *r, const char *verdict, const char *fmt, ...)
{
	va_list ap;

	snprintf(r->verdict, sizeof(r->verdict), "%s", verdict);
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

static void figs(struct sc_rev_row *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void figs(struct sc_rev_row *r, const char *fmt, ...)
{
	size_t used = strlen(r->figures);
	va_list ap;

	if (used >= sizeof(r->figures) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(r->figures + used, sizeof(r->figures) - used, fmt, ap);
	va_end(ap);
}

/* A cell the row needs is empty or absent. The table itself there means
 * its probe or experiment ran but could not measure that value (a failed
 * measurement is written as an empty cell); no table means it did not run. */
static void missing_in(const struct sc_rev_data *d, struct sc_rev_row *r, const char *file, const char *what)
{
	if (table(d, file))
		set(r, "not measured", "no figures in this run: %s is there but lacks a value this row needs "
				       "(that measurement failed or did not run; probes.csv says why for a probe)", what);
	else
		set(r, "not measured", "no figures in this run: %s is missing (the experiment or probe failed, "
				       "was skipped, or has not run yet)", what);
}

/* Present but not evidence either way. */
static void unclear(struct sc_rev_row *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void unclear(struct sc_rev_row *r, const char *fmt, ...)
{
	va_list ap;

	snprintf(r->verdict, sizeof(r->verdict), "not measured");
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

/* 1. uses TCP / uses UDP: AF_UNIX stream and datagram sockets behave the
 * same way with neither protocol. */
static void uses(const struct sc_rev_data *d, struct sc_rev_row *r)
{
	long long tc, uc, us, ud, ub, proto;

	if (!num(d, "boundaries", "transport", "tcp", "recv_calls", &tc) ||
	    !num(d, "boundaries", "transport", "udp", "recv_calls", &uc) ||
	    !num(d, "boundaries", "transport", "unix-stream", "recv_calls", &us) ||
	    !num(d, "boundaries", "transport", "unix-dgram", "recv_calls", &ud) ||
	    !num(d, "boundaries", "transport", "unix-dgram", "boundaries_kept", &ub))
		{
		missing_in(d, r, "boundaries", "boundaries.csv (tcp, udp, unix-stream, unix-dgram rows)");
		return;
	}
	figs(r, "5 writes of 512 bytes read as: tcp %lld read%s, unix-stream (no TCP) %lld; udp %lld, "
		"unix-dgram (no UDP) %lld", tc, tc == 1 ? "" : "s", us, uc, ud);
	if (kv(d, "ping", "icmp_dgram_protocol", &proto))
		figs(r, "; ping's datagram socket carries protocol %lld (ICMP), not 17 (UDP)", proto);
	if (tc <= 0 || uc <= 0 || us <= 0 || ud <= 0)
		unclear(r, "a transport read nothing in this run (0 reads): nothing to compare");
	else if (us == tc && ud == uc && ub)
		set(r, "too simple", "stream vs datagram is the socket's type, not the protocol: on one machine "
				     "AF_UNIX sockets behave the same way with no TCP or UDP at all");
	else
		set(r, "confirmed", "here AF_UNIX sockets did not behave like their Internet counterparts");
}

/* 2. bidirectional / one way only. */
static void directions(const struct sc_rev_data *d, struct sc_rev_row *r)
{
	long long sent, got, replied, back;

	if (!kv(d, "both-directions", "socket_a_sent", &sent) ||
	    !kv(d, "both-directions", "socket_b_received", &got) ||
	    !kv(d, "both-directions", "socket_b_replied", &replied) ||
	    !kv(d, "both-directions", "socket_a_received", &back))
		{
		missing_in(d, r, "both-directions", "both-directions.csv");
		return;
	}
	figs(r, "one UDP socket sent %lld bytes, the other received %lld and replied %lld bytes on the same "
		"socket, and the first received %lld", sent, got, replied, back);
	if (got > 0 && replied > 0 && back > 0)
		set(r, "wrong", "a datagram socket sends and receives; the lecture's own slide says \"can send "
				"or receive\"");
	else
		unclear(r, "the reply did not come back on the same socket in this run: a lost or failed step is "
			   "not evidence that a socket can only send or receive");
}

/* 3. stream data (large) / single packet (small). */
static void sizes(const struct sc_rev_data *d, struct sc_rev_row *r)
{
	long long v4, un, bytes, reads, more = 0;

	if (!kv(d, "size-limits", "udp_ipv4_largest", &v4) ||
	    !kv(d, "size-limits", "stream_bytes_written", &bytes) ||
	    !kv(d, "size-limits", "stream_reads_of_64KiB", &reads))
		{
		missing_in(d, r, "size-limits", "size-limits.csv");
		return;
	}
	figs(r, "largest UDP datagram over IPv4: %lld bytes", v4);
	if (kv(d, "size-limits", "unix_dgram_largest", &un))
		figs(r, " (AF_UNIX: %lld)", un);
	figs(r, "; a %lld-byte stream transfer arrived in %lld reads", bytes, reads);
	/* A largest size is a limit only if one byte more was refused as
	 * too long (EMSGSIZE, 90): a full queue or a small send buffer
	 * (EAGAIN, ENOBUFS) stops a search too, and says nothing of sizes. */
	if (!kv(d, "size-limits", "udp_ipv4_one_more_errno", &more) || more != EMSGSIZE)
		unclear(r, "one byte more than %lld was not refused as too long (errno %lld, not EMSGSIZE): the "
			   "search stopped for another reason", v4, more);
	/* 1,472 bytes of UDP payload fill one Ethernet packet (1,500 - 28). */
	else if (v4 > 1472)
		set(r, "too simple", "a datagram has a size limit (%lld bytes), but it is far more than one "
				     "packet: IP cuts a big datagram into fragments of at most 1,500 bytes; a stream "
				     "has no message size at all", v4);
	else if (v4 > 0)
		set(r, "confirmed", "a datagram fits in one packet here");
	else
		unclear(r, "no largest datagram was found (%lld bytes)", v4);
}

/* 4. connection orientated / not. */
static void connection(const struct sc_rev_data *d, struct sc_rev_row *r)
{
	long long first, later, tcp, us;

	if (!kv(d, "connectionless", "udp_unconnected_sendto_errno", &first) ||
	    !kv(d, "connectionless", "tcp_connect_errno", &tcp))
		{
		missing_in(d, r, "connectionless", "connectionless.csv");
		return;
	}
	figs(r, "UDP send to a port nobody listens on: %s; TCP connect to it: %s",
	     first ? "refused" : "succeeded", tcp == ECONNREFUSED ? "refused at once (ECONNREFUSED)" : tcp ? "failed" : "succeeded");
	if (kv(d, "connectionless", "tcp_connect_time", &us))
		figs(r, " after %lld microseconds", us);
	if (kv(d, "connectionless", "udp_connected_second_send_errno", &later) && later)
		figs(r, "; a connect()ed UDP socket learned of the refusal only on its next call");
	/* Refused at once (ECONNREFUSED) is TCP asking first; any other
	 * failure (no socket, a full table) asked nobody. */
	if (!first && tcp == ECONNREFUSED)
		set(r, "confirmed", "TCP asks the other side before any data goes; UDP just sends, even to nobody");
	else
		unclear(r, "the UDP send %s and the TCP connect %s: neither is what either claim predicts",
			first ? "failed" : "succeeded", tcp == ECONNREFUSED ? "was refused" : tcp ? "failed otherwise"
			: "succeeded");
}

/* 5. in order guaranteed / no order of data guaranteed. */
static void order(const struct sc_rev_data *d, struct sc_rev_row *r)
{
	long long tr, ur, us, ut, tu;

	if (!num(d, "reliability", "transport", "tcp", "reordered", &tr) ||
	    !num(d, "reliability", "transport", "udp", "reordered", &ur) ||
	    !num(d, "reliability", "transport", "udp", "sent_msgs", &us) ||
	    !num(d, "reliability", "transport", "udp", "unique_msgs", &ut))
		{
		missing_in(d, r, "reliability", "reliability.csv (tcp and udp rows)");
		return;
	}
	figs(r, "on a link that reorders 25%% of packets: tcp delivered %lld messages out of order, udp %lld "
		"of the %lld it received", tr, ur, ut);
	if (ut <= 0 || !num(d, "reliability", "transport", "tcp", "unique_msgs", &tu) || tu <= 0)
		unclear(r, "%s received nothing in this run: no order to look at", ut <= 0 ? "udp" : "tcp");
	else if (!tr && ur)
		set(r, "confirmed", "TCP put every byte back in order; UDP handed messages over as they came");
	else if (!tr)
		set(r, "too simple", "UDP kept order in this run: \"no guarantee\" does not mean it reorders, "
				     "only that it may");
	else
		set(r, "wrong", "TCP delivered out of order in this run");
}

/* 6. reliable / unreliable delivery. */
static void reliable(const struct sc_rev_data *d, struct sc_rev_row *r)
{
	long long tl, td, ul, us, ts, link = -1, host = -1, ol, os;
	bool unix_ok;

	if (!num(d, "reliability", "transport", "tcp", "lost", &tl) ||
	    !num(d, "reliability", "transport", "tcp", "duplicated", &td) ||
	    !num(d, "reliability", "transport", "udp", "lost", &ul) ||
	    !num(d, "reliability", "transport", "udp", "sent_msgs", &us))
		{
		missing_in(d, r, "reliability", "reliability.csv (tcp and udp rows)");
		return;
	}
	figs(r, "impaired link: tcp lost %lld, duplicated %lld; udp lost %lld of %lld", tl, td, ul, us);
	if (num(d, "reliability", "transport", "udp", "link_dropped", &link) &&
	    num(d, "reliability", "transport", "udp", "rxq_drops", &host))
		figs(r, " (the link dropped %lld packets, the receiver's full buffer %lld)", link, host);
	unix_ok = num(d, "overflow", "transport", "unix-dgram", "lost", &ol) &&
		  num(d, "overflow", "transport", "unix-dgram", "sent_msgs", &os);
	if (unix_ok)
		figs(r, "; slow reader on one machine: unix-dgram lost %lld of %lld", ol, os);
	if (us <= 0 || !num(d, "reliability", "transport", "tcp", "sent_msgs", &ts) || ts <= 0)
		unclear(r, "%s sent nothing in this run: nothing could be lost", us <= 0 ? "udp" : "tcp");
	else if (tl || td)
		set(r, "wrong", "TCP lost or duplicated data in this run");
	else if (!ul)
		set(r, "too simple", "UDP lost nothing in this run: unreliable means nothing is promised, not "
				     "that something is lost");
	else if (unix_ok && !ol)
		set(r, "too simple", "TCP repaired every loss and UDP did not; but AF_UNIX datagram sockets lost "
				     "nothing: they make a sender wait instead of dropping");
	else
		set(r, "confirmed", "TCP repaired every loss; UDP lost messages and nobody was told");
}

/* 7. more complex / simpler - less overhead. */
static void overhead(const struct sc_rev_data *d, struct sc_rev_row *r)
{
	long long tf, tb, uf, ub, rf, rb, qf, qb;
	struct sc_verdict pv = {0};

	if (!num(d, "wire-overhead", "exchange", "tcp_5x512", "frames", &tf) ||
	    !num(d, "wire-overhead", "exchange", "tcp_5x512", "bytes", &tb) ||
	    !num(d, "wire-overhead", "exchange", "udp_5x512", "frames", &uf) ||
	    !num(d, "wire-overhead", "exchange", "udp_5x512", "bytes", &ub) ||
	    tf < 0 || tb < 0 || uf < 0 || ub < 0)
		{
		missing_in(d, r, "wire-overhead", "wire-overhead.csv");
		return;
	}
	figs(r, "5 x 512 bytes: TCP %lld packets, %lld bytes; UDP %lld packets, %lld bytes", tf, tb, uf, ub);
	if (num(d, "wire-overhead", "exchange", "tcp_request_response", "frames", &rf) &&
	    num(d, "wire-overhead", "exchange", "tcp_request_response", "bytes", &rb) &&
	    num(d, "wire-overhead", "exchange", "udp_request_response", "frames", &qf) &&
	    num(d, "wire-overhead", "exchange", "udp_request_response", "bytes", &qb))
		figs(r, "; one question and answer: TCP %lld packets, %lld bytes; UDP %lld, %lld", rf, rb, qf, qb);
	/* The wire-overhead probe's own judge decides (five datagrams are
	 * five packets on a loopback of its own; TCP cannot send fewer than
	 * UDP), so the sheet and the probe cannot disagree. */
	sc__judge_wire((uint64_t)tf, (uint64_t)tb, (uint64_t)uf, (uint64_t)ub, &pv);
	if (!strcmp(pv.verdict, "confirmed"))
		set(r, "confirmed", "TCP adds a handshake, acknowledgements and a closing exchange; UDP sends the "
				    "data and nothing else");
	else
		unclear(r, "%s", pv.why);
}

/* 8. application: HTTP, FTP / ping. */
static void applications(const struct sc_rev_data *d, struct sc_rev_row *r)
{
	long long proto, http, ftp;
	const char *dgram = sc_rev_get(d, "ping", "measure", "icmp_dgram_socket_uid_65534", "value");

	if (!kv(d, "ping", "icmp_dgram_protocol", &proto))
		{
		missing_in(d, r, "ping", "ping.csv");
		return;
	}
	if (num(d, "names", "name", "http", "value", &http) && num(d, "names", "name", "ftp", "value", &ftp))
		figs(r, "/etc/services: http port %lld, ftp port %lld (TCP services); ", http, ftp);
	figs(r, "ping's socket: protocol %lld (ICMP; UDP is 17); an ordinary user's datagram ping socket: %s",
	     proto, dgram ? (strcmp(dgram, "ok") ? "refused here, so ping needs a raw socket" : "allowed") : "?");
	if (proto == 1)
		set(r, "too simple", "HTTP and FTP do run over TCP, but ping is not UDP: it sends ICMP echo "
				     "messages, through a datagram socket only where the system allows it");
	else if (proto == 17)
		set(r, "confirmed", "ping used UDP here");
	else
		unclear(r, "ping's socket reported protocol %lld, neither ICMP (1) nor UDP (17)", proto);
}

/* An errno as the probes name it in their CSV files (pu_errname): "ok"
 * is 0, "EAGAIN" is EAGAIN, any other name another error (EIO stands for
 * it: the judges only tell these three apart). */
static int errno_named(const char *name)
{
	return !strcmp(name, "ok") ? 0 : !strcmp(name, "EAGAIN") ? EAGAIN : EIO;
}

/* What a send in sync-async.csv did, from its errno name, and the name
 * when it failed otherwise. */
static const char *sends(const char *err)
{
	return !strcmp(err, "EAGAIN") ? "blocked" : !strcmp(err, "ok") ? "never blocked" : "failed with ";
}
static const char *failed_with(const char *err)
{
	return strcmp(err, "EAGAIN") && strcmp(err, "ok") ? err : "";
}

/* 9. (synchronous) / (asynchronous). */
static void synchrony(const struct sc_rev_data *d, struct sc_rev_row *r)
{
	long long tn, tb, tms, un, urecv, xn;
	struct sc__sync m = {0};
	struct sc_verdict pv = {0};
	const char *terr = sc_rev_get(d, "sync-async", "transport", "tcp", "errno");
	const char *uerr = sc_rev_get(d, "sync-async", "transport", "udp", "errno");
	const char *xerr = sc_rev_get(d, "sync-async", "transport", "unix-dgram", "errno");

	if (!terr || !uerr || !num(d, "sync-async", "transport", "tcp", "sent_before_blocking", &tn) ||
	    !num(d, "sync-async", "transport", "tcp", "message_bytes", &tb) ||
	    !num(d, "sync-async", "transport", "tcp", "blocked_ms", &tms) ||
	    !num(d, "sync-async", "transport", "udp", "sent_before_blocking", &un) ||
	    !num(d, "sync-async", "transport", "udp", "received", &urecv) ||
	    tn < 0 || un < 0 || urecv < 0)
		{
		missing_in(d, r, "sync-async", "sync-async.csv");
		return;
	}
	figs(r, "receiver not reading: TCP accepted %lld x %lld bytes, then send() %s%s", tn, tb, sends(terr),
	     failed_with(terr));
	if (!strcmp(terr, "EAGAIN"))
		figs(r, " (given up after %lld ms)", tms);
	if (!strcmp(uerr, "ok"))
		figs(r, "; UDP sent all %lld without waiting, %lld arrived", un, urecv);
	else
		figs(r, "; UDP sent %lld, then send() %s%s, %lld arrived", un, sends(uerr), failed_with(uerr), urecv);
	if (!xerr || !num(d, "sync-async", "transport", "unix-dgram", "sent_before_blocking", &xn))
		xerr = NULL;
	else
		figs(r, "; AF_UNIX datagrams: %lld, then send() %s%s", xn, sends(xerr), failed_with(xerr));
	/* The sync-async probe's own judge decides, so the sheet and the
	 * probe cannot disagree. */
	m.n_tcp = (long)tn;
	m.n_udp = (long)un;
	m.n_unix = xerr ? (long)xn : 0;
	m.e_tcp = errno_named(terr);
	m.e_udp = errno_named(uerr);
	m.e_unix = xerr ? errno_named(xerr) : -1;
	m.got = (long)urecv;
	sc__judge_sync(&m, &pv);
	if (!strcmp(pv.verdict, "too simple"))
		set(r, "too simple", "no send waits for the receiving program: it returns once the kernel has the "
				     "data. TCP and AF_UNIX datagrams block only when the receiver falls behind (flow "
				     "control); UDP never blocks and drops instead");
	else
		unclear(r, "TCP's send %s%s, AF_UNIX datagrams' send %s%s, UDP's send %s%s and %lld of its %lld "
			   "arrived: %s",
			sends(terr), failed_with(terr), xerr ? sends(xerr) : "was not measured",
			xerr ? failed_with(xerr) : "", sends(uerr), failed_with(uerr), urecv, un, pv.why);
}

/* 10. (persistent connection) / (single-use connection). */
static void persistent(const struct sc_rev_data *d, struct sc_rev_row *r)
{
	long long msgs = 0, replied;
	bool b = num(d, "boundaries", "transport", "udp", "recv_msgs", &msgs);

	if (!kv(d, "both-directions", "socket_b_replied", &replied))
		{
		missing_in(d, r, "both-directions", "both-directions.csv");
		return;
	}
	if (b)
		figs(r, "one UDP socket sent %lld datagrams, one after another (boundaries); ", msgs);
	figs(r, "the receiving UDP socket replied on the same socket (%lld bytes)", replied);
	if (replied > 0 && (!b || msgs > 1))
		set(r, "wrong", "a datagram socket has no connection to use up: one socket sends and receives "
				"any number of datagrams, to and from anyone");
	else
		unclear(r, "the socket was not seen to be reused in this run (%s)", replied <= 0
			? "no reply was sent on it" : "one datagram only");
}

/* 11. (need to close connection) / (no connection to close). */
static void closing(const struct sc_rev_data *d, struct sc_rev_row *r)
{
	long long tfin, ufin, tw;

	if (!num(d, "wire-overhead", "exchange", "tcp_5x512", "captured_fin", &tfin) ||
	    !num(d, "wire-overhead", "exchange", "udp_5x512", "captured_fin", &ufin))
		{
		missing_in(d, r, "wire-overhead", "wire-overhead.csv (captured packets)");
		return;
	}
	figs(r, "closing: TCP sent %lld FIN packets (\"I am done\"), UDP sent %lld packets", tfin, ufin);
	if (kv(d, "time-wait", "time_wait_sockets_on_1234", &tw))
		figs(r, "; after the TCP server closed, %lld socket(s) stayed in TIME_WAIT on its port", tw);
	if (tfin > 0 && ufin == 0)
		set(r, "confirmed", "closing a TCP connection is an exchange the other side sees (its read returns "
				    "0); a UDP close tells nobody, though every socket must still be close()d to free it");
	else
		unclear(r, "the capture saw %lld TCP FIN and %lld UDP packets at the close: a capture that missed "
			   "packets is not evidence about the close", tfin, ufin);
}

/* 12. message boundaries not kept / preserved. */
static void boundaries(const struct sc_rev_data *d, struct sc_rev_row *r)
{
	long long tc, tb, uc, ub, um, pt = 0, ps = 0, pd = 0, ppd = 0;
	const struct sc_rev_table *p = table(d, "read-patterns");

	if (!num(d, "boundaries", "transport", "tcp", "recv_calls", &tc) ||
	    !num(d, "boundaries", "transport", "tcp", "recv_bytes", &tb) ||
	    !num(d, "boundaries", "transport", "udp", "recv_calls", &uc) ||
	    !num(d, "boundaries", "transport", "udp", "boundaries_kept", &ub))
		{
		missing_in(d, r, "boundaries", "boundaries.csv");
		return;
	}
	figs(r, "5 writes of 512 bytes, one read of up to 2560: tcp got %lld bytes in %lld read%s, udp needed "
		"%lld reads", tb, tc, tc == 1 ? "" : "s", uc);
	if (p && column(p, "transport") >= 0 && column(p, "trials") >= 0 && column(p, "read_sizes") >= 0) {
		int ct = column(p, "transport"), cn = column(p, "trials"), cs = column(p, "read_sizes");

		/* Trials, and distinct read patterns, of each kind. */
		for (size_t i = 1; i <= p->nrows; i++) {
			char **row = p->cells + i * p->ncols;
			bool st = !strcmp(row[ct], "tcp") || !strcmp(row[ct], "unix-stream"), seen = false;

			for (size_t j = 1; j < i && !seen; j++) {
				char **o = p->cells + j * p->ncols;
				bool ost = !strcmp(o[ct], "tcp") || !strcmp(o[ct], "unix-stream");

				seen = ost == st && !strcmp(o[cs], row[cs]);
			}
			if (st) {
				ps += !seen;
				pt += atoll(row[cn]);
			} else {
				pd += !seen;
				ppd += atoll(row[cn]);
			}
		}
		figs(r, "; repeated with the reader already waiting: streams' %lld trials read in %lld different "
			"patterns, datagrams' %lld trials in %lld", pt, ps, ppd, pd);
	}
	if (tc <= 0 || tb <= 0 || uc <= 0 || !num(d, "boundaries", "transport", "udp", "recv_msgs", &um) || um <= 0)
		unclear(r, "%s received nothing in this run: no boundaries to look at", tc <= 0 || tb <= 0 ? "tcp"
			: "udp");
	else if (ub && tc < 5)
		set(r, "confirmed", "a stream is bytes with no edges: one read can return several writes, or part "
				    "of one; each datagram read returns exactly one message");
	else if (ub)
		set(r, "too simple", "the stream kept the writes apart in this run, by timing only: nothing "
				     "promises it");
	else
		set(r, "wrong", "datagram boundaries were not kept in this run");
}

/* 13. (acknowledge receipt) / (do not acknowledge receipt). */
static void acks(const struct sc_rev_data *d, struct sc_rev_row *r)
{
	long long ta, ua, tn = 0, tb = 0;
	bool s = num(d, "sync-async", "transport", "tcp", "sent_before_blocking", &tn) &&
		 num(d, "sync-async", "transport", "tcp", "message_bytes", &tb);

	if (!num(d, "wire-overhead", "exchange", "tcp_5x512", "captured_pure_acks", &ta) ||
	    !num(d, "wire-overhead", "exchange", "udp_5x512", "captured_pure_acks", &ua))
		{
		missing_in(d, r, "wire-overhead", "wire-overhead.csv (captured packets)");
		return;
	}
	figs(r, "5 x 512 bytes: TCP sent %lld acknowledgement-only packets, UDP %lld", ta, ua);
	if (s)
		figs(r, "; TCP's receiving kernel accepted %lld x %lld bytes its program never read", tn, tb);
	if (ta > 0 && !ua && s && tn > 0)
		set(r, "too simple", "TCP's acknowledgements are real, but they come from the receiving kernel "
				     "(\"it is in my buffer\"), not from the program: send() returning never means "
				     "the other side read it");
	else if (ta > 0 && !ua)
		set(r, "confirmed", "TCP's receiver acknowledges data; UDP's never does");
	else
		unclear(r, "the capture saw %lld TCP and %lld UDP acknowledgement-only packets: a capture that "
			   "missed packets is not evidence about acknowledgements", ta, ua);
}

static const struct {
	struct sc_rev_row r;
	void (*judge)(const struct sc_rev_data *, struct sc_rev_row *);
} table_rows[SC_REV_ROWS] = {
	{{"protocol", "uses TCP", "uses UDP", false,
	  "Over the Internet a stream socket runs TCP and a datagram socket UDP, but stream vs datagram is the "
	  "socket's type: on one machine (AF_UNIX) both kinds exist with neither protocol.",
	  "boundaries.csv, ping.csv", "", "", ""}, uses},
	{{"directions", "bidirectional", "one way only \xe2\x80\x93 send or receive", false,
	  "Both kinds send and receive on the same socket.", "both-directions.csv", "", "", ""}, directions},
	{{"size", "stream data (large)", "single packet (small)", false,
	  "A stream carries any amount of bytes; one datagram is at most about 64 KiB (65,507 bytes over "
	  "IPv4), and a big one travels as several packets.", "size-limits.csv", "", "", ""}, sizes},
	{{"connection", "connection orientated", "not connection orientated", false,
	  "A stream socket connects first (a handshake that fails if nobody listens); a datagram socket just "
	  "sends.", "connectionless.csv", "", "", ""}, connection},
	{{"order", "in order guaranteed", "no order of data guaranteed", false,
	  "A stream delivers bytes in the order they were sent; datagrams may arrive in another order.",
	  "reliability.csv", "", "", ""}, order},
	{{"reliability", "reliable delivery", "unreliable delivery", false,
	  "TCP resends what was lost; UDP datagrams can be lost or duplicated and nobody is told.",
	  "reliability.csv, overflow.csv", "", "", ""}, reliable},
	{{"overhead", "more complex", "simpler \xe2\x80\x93 less overhead", false,
	  "TCP sends extra packets (handshake, acknowledgements, close); UDP sends only the data.",
	  "wire-overhead.csv", "", "", ""}, overhead},
	{{"applications", "application: HTTP, FTP", "application: ping", false,
	  "Web (HTTP) and file transfer (FTP) use TCP; ping uses ICMP, not UDP (DNS is a real UDP example).",
	  "names.csv, ping.csv", "", "", ""}, applications},
	{{"blocking", "(synchronous)", "(asynchronous)", true,
	  "Neither waits for the receiving program; a TCP sender waits only when the receiver's buffer is full, "
	  "a UDP sender never waits (its data is dropped instead).", "sync-async.csv", "", "", ""}, synchrony},
	{{"lifetime", "(persistent connection)", "(single-use connection)", true,
	  "A TCP connection lasts until it is closed; a datagram socket has no connection and can be used for "
	  "any number of messages.", "both-directions.csv, boundaries.csv", "", "", ""}, persistent},
	{{"closing", "(need to close connection)", "(no connection to close)", true,
	  "Closing TCP tells the other side (its read returns 0); closing UDP tells nobody.",
	  "wire-overhead.csv, time-wait.csv", "", "", ""}, closing},
	{{"boundaries", "(so message boundaries not ..)", "(message boundaries preserved)", true,
	  "A stream read may return several writes at once or part of one; a datagram read returns exactly "
	  "one message.", "boundaries.csv, read-patterns.csv", "", "", ""}, boundaries},
	{{"acknowledgements", "(acknowledge receipt)", "(do not acknowledge receipt)", true,
	  "TCP's kernels acknowledge data that arrived (not data the program read); UDP acknowledges nothing.",
	  "wire-overhead.csv, sync-async.csv", "", "", ""}, acks},
};

size_t sc_rev_rows(const struct sc_rev_data *d, struct sc_rev_row rows[SC_REV_ROWS])
{
	for (size_t i = 0; i < SC_REV_ROWS; i++) {
		rows[i] = table_rows[i].r;
		rows[i].verdict[0] = rows[i].figures[0] = rows[i].why[0] = '\0';
		table_rows[i].judge(d, &rows[i]);
	}
	return SC_REV_ROWS;
}
