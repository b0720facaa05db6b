/* script.c - the experiment-script parser (format: experiments/README.md).
 *
 * One line at a time: strip the comment, split into words, look the first
 * word up in the directive table, check its argument count and whether it
 * may repeat, then hand the words to its handler. Every error goes out
 * through bad() as "FILE:LINE: message". The arguments of send, recv and
 * sweep, shared with the programs' command lines, are in script_args.c. */
#include "script.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netem.h"
#include "script_args.h"
#include "text.h"

#define MAX_LINE 1000 /* bytes for a line and its NUL: lines of at most 999 characters */
#define MAX_FILE (1024 * 1024)
#define MAX_WORDS 64
#define ANY MAX_WORDS

/* The directives, indexing the table at the end of the handlers. */
enum {
	D_EXPERIMENT, D_TITLE, D_TRANSPORTS, D_SEND, D_PAUSE, D_PACE, D_END, D_SNDBUF, D_RECV,
	D_REPEAT, D_SWEEP, D_LINK, D_LINK_REVERSE, D_TIMEOUT, D_MODE, D_FOR, D_BITRATE, D_SERVERS,
	D_CLIENTS, NDIRECTIVES
};

/* Parser state: where we are (for messages), what we fill in, and the
 * line each directive was first seen on (0 = not yet). */
struct ps {
	struct sc__where at;
	struct sc_experiment *e;
	int seen[NDIRECTIVES];
};

/* Writes "file:line: message" to the caller's buffer. Returns -EINVAL. */
__attribute__((format(printf, 2, 3))) static int bad(struct ps *p, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = sc__vbad(&p->at, fmt, ap);
	va_end(ap);
	return r;
}

/* The directive handlers: w[0..n) are the arguments (their number already
 * checked against the table), rest the rest of the line after the
 * directive, trimmed. Each returns 0 or bad(). */

/* experiment NAME: fails on a name that is not [A-Za-z0-9_-], or too long. */
static int d_experiment(struct ps *p, char **w, int n, const char *rest)
{
	size_t len = strlen(w[0]);

	(void)n, (void)rest;
	if (len >= SC_NAME_MAX || strspn(w[0], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
						"0123456789-_") != len)
		return bad(p, "bad experiment name '%.*s' (letters, digits, - and _, at most %d)",
			   SC_NAME_MAX, w[0], SC_NAME_MAX - 1);
	memcpy(p->e->name, w[0], len + 1);
	return 0;
}

/* title TEXT...: the rest of the line; fails past SC_TEXT_MAX - 1. */
static int d_title(struct ps *p, char **w, int n, const char *rest)
{
	size_t len = strlen(rest);

	(void)w, (void)n;
	if (len >= SC_TEXT_MAX)
		return bad(p, "title longer than %d characters", SC_TEXT_MAX - 1);
	memcpy(p->e->title, rest, len + 1);
	return 0;
}

/* Adds the transport called name to the list, w saying where the name
 * came from. Returns 0 or sc__bad(): unknown, named twice, or too many. */
static int add_transport(const struct sc__where *w, struct sc_experiment *e, const char *name)
{
	const struct sc_transport *t = sc_transport_find(name);
	char known[200] = "";
	size_t used = 0;

	for (size_t k = 0; !t && k < sc_transport_count(); k++) {
		int c = snprintf(known + used, sizeof(known) - used, "%s%s", k ? " " : "",
				 sc_transport_at(k)->name);

		if (c > 0 && (size_t)c < sizeof(known) - used)
			used += (size_t)c;
	}
	if (!t)
		return sc__bad(w, "unknown transport '%s' (known: %s)", name, known);
	for (size_t k = 0; k < e->ntransports; k++)
		if (e->transports[k] == t)
			return sc__bad(w, "transport '%s' named twice (each runs once per point "
				       "and trial)", name);
	if (e->ntransports == SC_MAX_TRANSPORTS)
		return sc__bad(w, "at most %d transports", SC_MAX_TRANSPORTS);
	e->transports[e->ntransports++] = t;
	return 0;
}

/* transports T...: fails on an unknown or repeated name, or too many. */
static int d_transports(struct ps *p, char **w, int n, const char *rest)
{
	(void)rest;
	if (n > SC_MAX_TRANSPORTS)
		return bad(p, "at most %d transports", SC_MAX_TRANSPORTS);
	for (int i = 0; i < n; i++)
		if (add_transport(&p->at, p->e, w[i]) < 0)
			return -EINVAL;
	p->e->transports_line = p->at.line;
	return 0;
}

/* Appends op to the send plan. Returns 0 or bad() past SC_MAX_OPS. */
static int add_op(struct ps *p, const struct sc_op *op)
{
	if (p->e->send.nops == SC_MAX_OPS)
		return bad(p, "at most %d send and pause steps", SC_MAX_OPS);
	p->e->send.ops[p->e->send.nops++] = *op;
	return 0;
}

/* send COUNT x SIZE | SIZE: a write step; fails on a count or size
 * out of range, or past SC_MAX_OPS steps. */
static int d_send(struct ps *p, char **w, int n, const char *rest)
{
	struct sc_op op;

	(void)rest;
	if (sc__send_words(&p->at, w, n, &op) < 0)
		return -EINVAL;
	op.line = p->at.line;
	return add_op(p, &op);
}

/* pause D: a pause step between writes; fails like a duration. */
static int d_pause(struct ps *p, char **w, int n, const char *rest)
{
	struct sc_op op = {.kind = SC_OP_PAUSE, .line = p->at.line};

	(void)n, (void)rest;
	if (sc__duration(&p->at, "pause", w[0], &op.ns) < 0)
		return -EINVAL;
	return add_op(p, &op);
}

/* pace D: the gap between writes. */
static int d_pace(struct ps *p, char **w, int n, const char *rest)
{
	(void)n, (void)rest;
	return sc__duration(&p->at, "pace", w[0], &p->e->send.pace_ns);
}

/* end close|shutdown: how a stream sender ends. */
static int d_end(struct ps *p, char **w, int n, const char *rest)
{
	(void)n, (void)rest;
	if (strcmp(w[0], "close") && strcmp(w[0], "shutdown"))
		return bad(p, "end takes 'close' or 'shutdown', not '%s'", w[0]);
	p->e->send.end = w[0][0] == 's' ? SC_END_SHUTDOWN : SC_END_CLOSE;
	return 0;
}

/* sndbuf SIZE: SO_SNDBUF, up to 1 GiB. */
static int d_sndbuf(struct ps *p, char **w, int n, const char *rest)
{
	(void)n, (void)rest;
	return sc__size(&p->at, "sndbuf", w[0], 1, SC__MAX_BUF, &p->e->send.sndbuf);
}

/* recv SIZE [options]: the receiver's plan (script_args.c). */
static int d_recv(struct ps *p, char **w, int n, const char *rest)
{
	(void)rest;
	return sc__recv_words(&p->at, w, n, &p->e->recv);
}

/* repeat N: trials per point, 1 to SC_MAX_REPEAT. */
static int d_repeat(struct ps *p, char **w, int n, const char *rest)
{
	uint64_t v;

	(void)n, (void)rest;
	if (sc__count(&p->at, "repeat", w[0], 1, SC_MAX_REPEAT, &v) < 0)
		return -EINVAL;
	p->e->repeat = (unsigned)v;
	return 0;
}

/* Every value is checked here, so that its error names this line; the
 * parse checks them again at the end, once the link they change is known. */
static int d_sweep(struct ps *p, char **w, int n, const char *rest)
{
	static const char *const plan[] = {"size", "count", "read", "after", "pace", "rcvbuf", "clients"};
	struct sc_sweep *s = &p->e->sweep;
	struct sc_experiment scratch;
	bool ok = sc_netem_is_param(w[0]);

	(void)rest;
	for (size_t i = 0; i < sizeof(plan) / sizeof(plan[0]); i++)
		ok |= !strcmp(w[0], plan[i]);
	if (!ok)
		return bad(p, "cannot sweep '%s' (size, count, read, after, pace, rcvbuf, clients, loss, "
			      "delay, reorder, duplicate, corrupt, rate, limit)", w[0]);
	if (n - 1 > SC_MAX_SWEEP)
		return bad(p, "at most %d sweep values", SC_MAX_SWEEP);
	memcpy(s->param, w[0], strlen(w[0]) + 1); /* a known name: it fits */
	for (int i = 1; i < n; i++) {
		size_t len = strlen(w[i]);

		if (len >= SC_VALUE_MAX)
			return bad(p, "sweep value '%.20s...' is longer than %d characters", w[i],
				   SC_VALUE_MAX - 1);
		scratch = *p->e;
		if (sc__sweep_apply(&p->at, &scratch, w[0], w[i]) < 0)
			return -EINVAL;
		memcpy(s->values[s->n++], w[i], len + 1);
	}
	s->line = p->at.line;
	return 0;
}

/* link and link-reverse: netem arguments kept as written, trimmed, once
 * they pass sc_netem_check_args. */
static int set_link(struct ps *p, const char *name, char **w, const char *rest, char *dst,
		    int *line)
{
	size_t len = strlen(rest);
	char why[300];

	(void)w;
	if (sc_netem_check_args(rest, why, sizeof(why)) < 0)
		return bad(p, "%s: %s", name, why);
	if (len >= SC_LINK_MAX)
		return bad(p, "%s: at most %d characters", name, SC_LINK_MAX - 1);
	memcpy(dst, rest, len + 1);
	*line = p->at.line;
	return 0;
}

/* link ARGS: netem for the data direction. */
static int d_link(struct ps *p, char **w, int n, const char *rest)
{
	(void)n;
	return set_link(p, "link", w, rest, p->e->link, &p->e->link_line);
}

/* link-reverse ARGS: netem for the reverse direction. */
static int d_link_reverse(struct ps *p, char **w, int n, const char *rest)
{
	(void)n;
	return set_link(p, "link-reverse", w, rest, p->e->link_reverse, &p->e->link_reverse_line);
}

/* timeout D: fails below SC_MIN_TIMEOUT_NS, which no trial could meet. */
static int d_timeout(struct ps *p, char **w, int n, const char *rest)
{
	(void)n, (void)rest;
	if (sc__duration(&p->at, "timeout", w[0], &p->e->timeout_ns) < 0)
		return -EINVAL;
	if (p->e->timeout_ns < SC_MIN_TIMEOUT_NS)
		return bad(p, "timeout %s is below the 100ms minimum (a trial needs time to start "
			      "its two programs)", w[0]);
	return 0;
}

/* mode NAME: the trial's shape (driver/mode.c checks the name: oneway,
 * throughput, rr, crr). Issue 9. */
static int d_mode(struct ps *p, char **w, int n, const char *rest)
{
	(void)n, (void)rest;
	if (strlen(w[0]) >= sizeof(p->e->mode) || strspn(w[0], "abcdefghijklmnopqrstuvwxyz") != strlen(w[0]))
		return bad(p, "mode takes a name in lower-case letters, not '%s'", w[0]);
	snprintf(p->e->mode, sizeof(p->e->mode), "%s", w[0]);
	return 0;
}

/* for DURATION: the sender sends for this long (its counts are then upper
 * bounds). */
static int d_for(struct ps *p, char **w, int n, const char *rest)
{
	(void)n, (void)rest;
	if (sc__duration(&p->at, "for", w[0], &p->e->for_ns) < 0)
		return -EINVAL;
	return p->e->for_ns ? 0 : bad(p, "for must be above 0");
}

/* bitrate BPS: the sender's target bit rate (k, M, G: powers of 1000). */
static int d_bitrate(struct ps *p, char **w, int n, const char *rest)
{
	char *end;
	unsigned long long v;
	uint64_t mult = 1;

	(void)n, (void)rest;
	errno = 0;
	v = strtoull(w[0], &end, 10);
	if (*end == 'k' || *end == 'M' || *end == 'G')
		mult = *end++ == 'k' ? 1000 : end[-1] == 'M' ? 1000000 : 1000000000;
	if (errno || end == w[0] || *end || w[0][0] == '-' || v == 0 || v > 1000000000000ull / mult)
		return bad(p, "bitrate takes bits per second from 1 to 10^12 with an optional k, M or G, "
			   "not '%s'", w[0]);
	p->e->bitrate = v * mult;
	return 0;
}

/* servers MODEL...: the server models a servers-mode experiment measures
 * (srvmodel.h); fails on an unknown or repeated name. */
static int d_servers(struct ps *p, char **w, int n, const char *rest)
{
	char known[200];

	(void)rest;
	sc_srv_model_names(known, sizeof(known));
	if (n > SC_MAX_SERVERS)
		return bad(p, "at most %d servers", SC_MAX_SERVERS);
	for (int i = 0; i < n; i++) {
		if (!sc_srv_model_find(w[i]))
			return bad(p, "unknown server model '%.40s' (known: %s)", w[i], known);
		for (size_t k = 0; k < p->e->nservers; k++)
			if (!strcmp(p->e->servers[k], w[i]))
				return bad(p, "server model '%s' named twice", w[i]);
		/* a known name: it fits */
		memcpy(p->e->servers[p->e->nservers++], w[i], strlen(w[i]) + 1);
	}
	p->e->servers_line = p->at.line;
	return 0;
}

/* clients N: concurrent clients of a servers-mode trial. */
static int d_clients(struct ps *p, char **w, int n, const char *rest)
{
	(void)n, (void)rest;
	return sc__sweep_apply(&p->at, p->e, "clients", w[0]);
}

/* The table directive() looks words up in. */
static const struct directive {
	const char *name;
	int (*run)(struct ps *p, char **w, int n, const char *rest);
	int min, max;    /* number of arguments */
	bool once;       /* may appear at most once */
	const char *use; /* its arguments, for messages */
} directives[NDIRECTIVES] = {
	[D_EXPERIMENT] = {"experiment", d_experiment, 1, 1, true, "NAME"},
	[D_TITLE] = {"title", d_title, 1, ANY, true, "TEXT..."},
	[D_TRANSPORTS] = {"transports", d_transports, 1, ANY, true, "TRANSPORT..."},
	[D_SEND] = {"send", d_send, 1, 3, false, "COUNT x SIZE, or SIZE"},
	[D_PAUSE] = {"pause", d_pause, 1, 1, false, "DURATION"},
	[D_PACE] = {"pace", d_pace, 1, 1, true, "DURATION"},
	[D_END] = {"end", d_end, 1, 1, true, "close|shutdown"},
	[D_SNDBUF] = {"sndbuf", d_sndbuf, 1, 1, true, "SIZE"},
	[D_RECV] = {"recv", d_recv, 1, ANY, true,
		    "SIZE [after D] [every D] [waitall] [trunc] [rcvbuf SIZE]"},
	[D_REPEAT] = {"repeat", d_repeat, 1, 1, true, "N"},
	[D_SWEEP] = {"sweep", d_sweep, 2, ANY, true, "PARAM VALUE..."},
	[D_LINK] = {"link", d_link, 1, ANY, true, "NETEM-ARGS..."},
	[D_LINK_REVERSE] = {"link-reverse", d_link_reverse, 1, ANY, true, "NETEM-ARGS..."},
	[D_TIMEOUT] = {"timeout", d_timeout, 1, 1, true, "DURATION"},
	[D_MODE] = {"mode", d_mode, 1, 1, true, "oneway|throughput|rr|crr|servers"},
	[D_FOR] = {"for", d_for, 1, 1, true, "DURATION"},
	[D_BITRATE] = {"bitrate", d_bitrate, 1, 1, true, "BITS-PER-SECOND"},
	[D_SERVERS] = {"servers", d_servers, 1, ANY, true, "MODEL..."},
	[D_CLIENTS] = {"clients", d_clients, 1, 1, true, "N"},
};

/* Writes the directive names, comma-separated, to buf. */
static void directive_names(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < NDIRECTIVES; k++) {
		int c = snprintf(buf + used, len - used, "%s%s", k ? ", " : "", directives[k].name);

		if (c < 0 || (size_t)c >= len - used)
			return;
		used += (size_t)c;
	}
}

/* Runs one line (comment already removed). Returns 0 or bad(). */
static int directive(struct ps *p, const char *line)
{
	char copy[MAX_LINE], rest[MAX_LINE], *w[MAX_WORDS], names[300];
	size_t len = strlen(line);
	int n, k;

	memcpy(copy, line, len + 1);
	n = sc__split_words(copy, w, MAX_WORDS);
	if (n < 0)
		return bad(p, "more than %d words on one line", MAX_WORDS);
	if (n == 0)
		return 0;
	for (k = 0; k < NDIRECTIVES; k++)
		if (strcmp(w[0], directives[k].name) == 0)
			break;
	if (k == NDIRECTIVES) {
		directive_names(names, sizeof(names));
		return bad(p, "unknown directive '%s' (expected one of: %s)", w[0], names);
	}
	if (n - 1 < directives[k].min || n - 1 > directives[k].max)
		return bad(p, "usage: %s %s", w[0], directives[k].use);
	if (directives[k].once && p->seen[k])
		return bad(p, "a second '%s' directive (the first is on line %d)", w[0], p->seen[k]);
	if (!p->seen[k])
		p->seen[k] = p->at.line;
	/* The rest of the line, for title and link: from the second word to
	 * the end of the last one, as written. */
	len = (size_t)(w[n - 1] + strlen(w[n - 1]) - w[1]);
	memcpy(rest, line + (w[1] - copy), len);
	rest[len] = '\0';
	return directives[k].run(p, w + 1, n - 1, rest);
}

/* Applies the command line's overrides. Returns 0 or sc__bad() with the
 * option named. */
static int override(struct ps *p, const struct sc_script_override *o)
{
	struct sc_experiment *e = p->e;
	const char *v[2] = {o->link, o->link_reverse};
	char *dst[2] = {e->link, e->link_reverse};
	int *line[2] = {&e->link_line, &e->link_reverse_line};

	if (o->transports) {
		struct sc__where w = {.file = "--transports", .err = p->at.err, .errlen = p->at.errlen};
		char list[256], *name[SC_MAX_TRANSPORTS + 1];
		size_t len = strlen(o->transports);
		int n;

		if (len >= sizeof(list))
			return sc__bad(&w, "longer than %zu characters", sizeof(list) - 1);
		memcpy(list, o->transports, len + 1);
		for (char *c = list; *c; c++)
			if (*c == ',')
				*c = ' ';
		n = sc__split_words(list, name, SC_MAX_TRANSPORTS + 1);
		if (n < 0 || n > SC_MAX_TRANSPORTS)
			return sc__bad(&w, "at most %d transports", SC_MAX_TRANSPORTS);
		if (n == 0)
			return sc__bad(&w, "name at least one transport");
		e->ntransports = 0;
		for (int i = 0; i < n; i++)
			if (add_transport(&w, e, name[i]) < 0)
				return -EINVAL;
		e->transports_line = 0;
	}
	for (int k = 0; k < 2; k++) {
		struct sc__where w = {.file = k ? "--link-reverse" : "--link", .err = p->at.err,
				      .errlen = p->at.errlen};
		char why[300];

		if (!v[k])
			continue;
		if (strlen(v[k]) >= SC_LINK_MAX)
			return sc__bad(&w, "at most %d characters", SC_LINK_MAX - 1);
		if (sc_netem_check_args(v[k], why, sizeof(why)) < 0)
			return sc__bad(&w, "%s", why);
		snprintf(dst[k], SC_LINK_MAX, "%s", v[k]);
		*line[k] = 0;
	}
	return 0;
}

/* The servers mode's plan (driver/servers.h): one "send COUNT x SIZE",
 * requests per connection and request size, and the lecture's server,
 * when it is measured, reads at most 80 bytes per request; no link (the
 * trial's own namespace has none). Returns 0 or bad() at the line that
 * does not fit. */
static int servers_plan(struct ps *p)
{
	const struct sc_experiment *e = p->e;
	const struct sc_op *op = &e->send.ops[0];
	bool lecture = !e->nservers;

	for (size_t i = 0; i < e->nservers; i++)
		lecture |= sc_srv_model_find(e->servers[i])->lecture;
	if (e->send.nops != 1 || op->kind != SC_OP_WRITE) {
		p->at.line = e->send.ops[e->send.nops > 1 ? 1 : 0].line;
		return bad(p, "mode servers takes one 'send COUNT x SIZE' (requests per connection x bytes "
			      "per request), and no pause");
	}
	if (e->link[0] || e->link_reverse[0]) {
		p->at.line = e->link[0] ? e->link_line : e->link_reverse_line;
		return bad(p, "mode servers runs each trial on loopback in a network namespace of its own, "
			      "where no link reaches%s", p->at.line ? "" : " (--link or --link-reverse)");
	}
	p->at.line = op->line;
	if (lecture && op->size > SC_LECTURE_BUF)
		return bad(p, "send size %llu is above the %u bytes the lecture's fork server reads per request "
			      "(lecture-fork is measured%s)", (unsigned long long)op->size, SC_LECTURE_BUF,
			   e->nservers ? "" : ": no 'servers' line names the models");
	for (size_t k = 0; lecture && !strcmp(e->sweep.param, "size") && k < e->sweep.n; k++) {
		struct sc_experiment scratch = *e;

		p->at.line = e->sweep.line;
		if (sc__sweep_apply(&p->at, &scratch, "size", e->sweep.values[k]) < 0)
			return -EINVAL;
		if (scratch.send.ops[0].size > SC_LECTURE_BUF)
			return bad(p, "send size %s is above the %u bytes the lecture's fork server reads per "
				      "request (lecture-fork is measured)", e->sweep.values[k], SC_LECTURE_BUF);
	}
	return 0;
}

/* Returns 0, or bad() for the first directive missing, a bad override, a
 * sweep value that no longer applies once the whole script is known (or
 * makes a link netem refuses), a message too large for a transport, or a
 * servers-mode plan that does not fit. */
static int finish(struct ps *p, const struct sc_script_override *o)
{
	struct sc_experiment *e = p->e, scratch;
	char why[300];

	p->at.line = 0;
	if (!p->seen[D_EXPERIMENT])
		return bad(p, "no 'experiment NAME' directive");
	if (!p->seen[D_TRANSPORTS])
		return bad(p, "no 'transports' directive");
	if (sc_plan_msgs(&e->send) == 0)
		return bad(p, "no 'send' directive (what should the sender write?)");
	if (!p->seen[D_RECV])
		return bad(p, "no 'recv' directive (how should the receiver read?)");
	if (o && override(p, o) < 0)
		return -EINVAL;
	if (!strcmp(e->mode, "servers") && servers_plan(p) < 0)
		return -EINVAL;
	p->at.line = e->sweep.line;
	for (size_t k = 0; k < e->sweep.n; k++) {
		scratch = *e;
		if (sc__sweep_apply(&p->at, &scratch, e->sweep.param, e->sweep.values[k]) < 0)
			return -EINVAL;
		if (sc_netem_check_args(scratch.link, why, sizeof(why)) < 0)
			return bad(p, "with %s %s the link is '%s': %s", e->sweep.param,
				   e->sweep.values[k], scratch.link, why);
	}
	for (size_t k = 0; k < e->ntransports; k++) {
		const struct sc_transport *t = e->transports[k];

		if (t->max_msg && sc_experiment_check_size(e, t, t->max_msg,
				t->family == AF_INET ? "the most one UDP datagram carries over IPv4: "
						       "65535 - 8 (UDP) - 20 (IP)"
						     : "the most one UDP datagram carries over IPv6: "
						       "65535 - 8 (UDP)",
				p->at.err, p->at.errlen) < 0)
			return -EINVAL;
	}
	return 0;
}

/* Returns 0 or -EINVAL with "file:line: message" in err. A line ends at
 * '\n'; '\r' and tabs count as blanks, so CRLF files read the same. Any
 * other control character, and bytes that are not UTF-8, are refused: a
 * script's words come back on the terminal in titles and messages. */
int sc_script_parse_with(const char *text, size_t len, const char *file,
			 const struct sc_script_override *o, struct sc_experiment *e, char *err,
			 size_t errlen)
{
	struct ps p = {.at = {.file = file, .err = err, .errlen = errlen}, .e = e};
	char line[MAX_LINE];
	size_t i = 0;

	memset(e, 0, sizeof(*e));
	snprintf(e->file, sizeof(e->file), "%s", file);
	e->repeat = 1;
	e->clients = 1;
	while (i < len) {
		size_t n = 0;
		ssize_t at;

		p.at.line++;
		for (; i < len && text[i] != '\n'; i++) {
			if (text[i] == '\0')
				return bad(&p, "a NUL byte (is this a text file?)");
			if (n + 1 >= MAX_LINE) /* room for this character and the NUL */
				return bad(&p, "line longer than %d characters", MAX_LINE - 1);
			line[n++] = text[i] == '\r' || text[i] == '\t' ? ' ' : text[i];
		}
		i++; /* the newline */
		line[n] = '\0';
		at = sc_text_bad_at(line, n);
		if (at >= 0) {
			char c[2] = {line[at], '\0'};

			return bad(&p, "%s '%s' at column %zd (is this a text file?)",
				   (unsigned char)line[at] < 0x20 || line[at] == 0x7f
					   ? "a control character" : "a byte that is not UTF-8 text",
				   c, at + 1);
		}
		line[strcspn(line, "#")] = '\0';
		if (directive(&p, line) < 0)
			return -EINVAL;
	}
	return finish(&p, o);
}

int sc_script_parse(const char *text, size_t len, const char *file,
		    struct sc_experiment *e, char *err, size_t errlen)
{
	return sc_script_parse_with(text, len, file, NULL, e, err, errlen);
}

/* Writes "path: reason" to err (if any, the path escaped) and returns r. */
static int load_error(char *err, size_t errlen, const char *path, const char *why, int r)
{
	char safe[600];

	if (err && errlen) {
		sc_text_escape(safe, sizeof(safe), path);
		snprintf(err, errlen, "%s: %s", safe, why);
	}
	return r;
}

/* Returns 0, -EINVAL from the parse or for a file that is not regular,
 * -EFBIG past 1 MiB, -ENOMEM, or the -errno of open/read, with
 * "path: reason" in err. The file is opened without blocking and checked
 * with fstat before any read: a FIFO would otherwise wait for a writer
 * forever, and a device could feed us without end. */
int sc_script_load_with(const char *path, const struct sc_script_override *o,
			struct sc_experiment *e, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t got = 0;
	ssize_t n = 0;
	struct stat st;
	int fd, r, en;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		en = errno;
		return load_error(err, errlen, path, strerror(en), -en);
	}
	if (fstat(fd, &st) < 0) {
		en = errno;
		r = load_error(err, errlen, path, strerror(en), -en);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = load_error(err, errlen, path,
			       S_ISFIFO(st.st_mode)  ? "a FIFO, not a regular file; not an experiment script"
			       : S_ISDIR(st.st_mode) ? "a directory, not an experiment script"
						     : "not a regular file; not an experiment script",
			       -EINVAL);
		goto out;
	}
	buf = malloc(MAX_FILE + 1);
	if (!buf) {
		r = load_error(err, errlen, path, "out of memory", -ENOMEM);
		goto out;
	}
	/* One byte more than allowed, to tell "exactly 1 MiB" from "more". */
	while (got <= MAX_FILE) {
		n = read(fd, buf + got, MAX_FILE + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	en = errno;
	if (n < 0)
		r = load_error(err, errlen, path, strerror(en), -en);
	else if (got > MAX_FILE)
		r = load_error(err, errlen, path, "larger than 1 MiB; not an experiment script", -EFBIG);
	else
		r = sc_script_parse_with(buf, got, path, o, e, err, errlen);
out:
	free(buf);
	close(fd);
	return r;
}

int sc_script_load(const char *path, struct sc_experiment *e, char *err, size_t errlen)
{
	return sc_script_load_with(path, NULL, e, err, errlen);
}
