/* script.c - the experiment-script parser (format: experiments/README.md). */
#include "script.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netem.h"
#include "num.h"

#define MAX_LINE 1000
#define MAX_FILE (1024 * 1024)
#define MAX_WORDS 64

/* Parser state: where we are, for messages. */
struct ps {
	const char *file;
	int line;
	char *err;
	size_t errlen;
	struct sc_experiment *e;
	bool seen_recv, seen_experiment, seen_transports, seen_end;
};

__attribute__((format(printf, 2, 3))) static int bad(struct ps *p, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->err && p->errlen) {
		if (p->line < 0)
			snprintf(p->err, p->errlen, "%s", msg); /* command-line arguments */
		else if (p->line > 0)
			snprintf(p->err, p->errlen, "%s:%d: %s", p->file, p->line, msg);
		else
			snprintf(p->err, p->errlen, "%s: %s", p->file, msg);
	}
	return -EINVAL;
}

/* Error message for a size or count that failed with r. */
static const char *why(int r)
{
	return r == -ERANGE ? "out of range" : "not understood";
}

static int parse_size(struct ps *p, const char *what, const char *w, uint64_t min, uint64_t max,
		      uint64_t *out)
{
	int r = sc_str_size(w, 0, UINT64_MAX, out);

	if (r == -EINVAL)
		return bad(p, "bad %s '%s' (expected bytes, e.g. 512 or 64k)", what, w);
	if (r < 0 || *out > max)
		return bad(p, "%s %s is above the %llu-byte limit", what, w, (unsigned long long)max);
	if (*out < min) {
		if (min == SC_MIN_MSG)
			return bad(p, "%s %s is below the %u-byte minimum (the sockcmp header)", what, w,
				   SC_MIN_MSG);
		return bad(p, "%s %s is below the minimum of %llu", what, w, (unsigned long long)min);
	}
	return 0;
}

static int parse_dur(struct ps *p, const char *what, const char *w, uint64_t *out)
{
	int r = sc_str_duration(w, SC_MAX_DURATION_NS, out);

	if (r == -ERANGE)
		return bad(p, "%s '%s' is above the 1h limit", what, w);
	if (r < 0)
		return bad(p, "bad %s '%s' (expected a duration with a unit: ns, us, ms or s, e.g. 50ms)",
			   what, w);
	return 0;
}

static int parse_count(struct ps *p, const char *what, const char *w, uint64_t min, uint64_t max,
		       uint64_t *out)
{
	int r = sc_str_u64(w, min, max, out);

	if (r < 0)
		return bad(p, "bad %s '%s' (%s: expected a whole number from %llu to %llu)", what, w, why(r),
			   (unsigned long long)min, (unsigned long long)max);
	return 0;
}

/* "5 x 512", "5x512", "5 x512", "1000" as words w[0..n). */
static int send_words(struct ps *p, char **w, int n, struct sc_op *op)
{
	char buf[128], *x;
	const char *count = NULL, *size = NULL;

	memset(op, 0, sizeof(*op));
	op->kind = SC_OP_WRITE;
	op->count = 1;
	/* No count or size is anywhere near this long; refusing long words
	 * here keeps the copies below inside buf (found by fuzz_script). */
	for (int i = 0; i < n; i++)
		if (strlen(w[i]) >= sizeof(buf))
			return bad(p, "send: '%.20s...' is too long for a count or size", w[i]);
	if (n == 1 && (x = strchr(w[0], 'x')) && x != w[0]) {
		snprintf(buf, sizeof(buf), "%s", w[0]);
		buf[x - w[0]] = '\0';
		count = buf;
		size = buf + (x - w[0]) + 1;
	} else if (n == 1) {
		size = w[0];
	} else if (n == 3 && strcmp(w[1], "x") == 0) {
		count = w[0];
		size = w[2];
	} else if (n == 2 && w[1][0] == 'x') {
		count = w[0];
		size = w[1] + 1;
	} else if (n == 2 && w[0][strlen(w[0]) - 1] == 'x') {
		snprintf(buf, sizeof(buf), "%s", w[0]);
		buf[strlen(buf) - 1] = '\0';
		count = buf;
		size = w[1];
	} else {
		return bad(p, "send takes COUNT x SIZE or SIZE, e.g. 'send 5 x 512'");
	}
	if (count && parse_count(p, "send count", count, 1, SC_MAX_COUNT, &op->count) < 0)
		return -EINVAL;
	return parse_size(p, "send size", size, SC_MIN_MSG, SC_MAX_MSG, &op->size);
}

static int recv_words(struct ps *p, char **w, int n, struct sc_recv_plan *r)
{
	memset(r, 0, sizeof(*r));
	if (n < 1)
		return bad(p, "recv needs a size: 'recv SIZE [after D] [every D] [waitall] [trunc] [rcvbuf SIZE]'");
	if (parse_size(p, "recv size", w[0], 1, SC_MAX_MSG, &r->size) < 0)
		return -EINVAL;
	for (int i = 1; i < n; i++) {
		bool arg = i + 1 < n;

		if (!strcmp(w[i], "waitall")) {
			r->flags |= SC_RECV_WAITALL;
		} else if (!strcmp(w[i], "trunc")) {
			r->flags |= SC_RECV_TRUNC;
		} else if (!strcmp(w[i], "after") && arg) {
			if (parse_dur(p, "recv delay", w[++i], &r->after_ns) < 0)
				return -EINVAL;
		} else if (!strcmp(w[i], "every") && arg) {
			if (parse_dur(p, "read interval", w[++i], &r->every_ns) < 0)
				return -EINVAL;
		} else if (!strcmp(w[i], "rcvbuf") && arg) {
			if (parse_size(p, "rcvbuf", w[++i], 1, 1u << 30, &r->rcvbuf) < 0)
				return -EINVAL;
		} else {
			return bad(p, "unexpected '%s' in recv (expected after D, every D, waitall, trunc, rcvbuf SIZE)",
				   w[i]);
		}
	}
	return 0;
}

static bool valid_name(const char *s)
{
	if (!*s || strlen(s) >= SC_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_'))
			return false;
	return true;
}

static const char *const sweepable[] = {"size", "count", "read", "after", "pace", "rcvbuf", NULL};

static bool is_plan_param(const char *s)
{
	for (size_t i = 0; sweepable[i]; i++)
		if (!strcmp(sweepable[i], s))
			return true;
	return false;
}

/* Applies value v of param to e (a sweep point, or a check at parse time). */
static int apply(struct ps *p, struct sc_experiment *e, const char *param, const char *v)
{
	uint64_t x;

	if (!strcmp(param, "size") || !strcmp(param, "count")) {
		bool size = param[0] == 's';

		if (size ? parse_size(p, "send size", v, SC_MIN_MSG, SC_MAX_MSG, &x)
			 : parse_count(p, "send count", v, 1, SC_MAX_COUNT, &x))
			return -EINVAL;
		for (size_t i = 0; i < e->send.nops; i++)
			if (e->send.ops[i].kind == SC_OP_WRITE)
				*(size ? &e->send.ops[i].size : &e->send.ops[i].count) = x;
		return 0;
	}
	if (!strcmp(param, "read"))
		return parse_size(p, "recv size", v, 1, SC_MAX_MSG, &e->recv.size);
	if (!strcmp(param, "after"))
		return parse_dur(p, "recv delay", v, &e->recv.after_ns);
	if (!strcmp(param, "pace"))
		return parse_dur(p, "pace", v, &e->send.pace_ns);
	if (!strcmp(param, "rcvbuf"))
		return parse_size(p, "rcvbuf", v, 1, 1u << 30, &e->recv.rcvbuf);
	if (sc_netem_check_value(param, v) < 0)
		return bad(p, "bad %s value '%s' for netem", param, v);
	if (sc_netem_set(e->link, sizeof(e->link), param, v) < 0)
		return bad(p, "the link description is too long");
	return 0;
}

/* Rest of the line after the directive word, trimmed. */
static void rest(char *dst, size_t len, const char *line_after)
{
	size_t n;

	while (*line_after == ' ' || *line_after == '\t')
		line_after++;
	n = strlen(line_after);
	while (n && (line_after[n - 1] == ' ' || line_after[n - 1] == '\t'))
		n--;
	if (n >= len)
		n = len - 1;
	memcpy(dst, line_after, n);
	dst[n] = '\0';
}

static int directive(struct ps *p, char *line)
{
	static const char *const known =
		"experiment, title, transports, send, pause, pace, end, sndbuf, recv, repeat, sweep, link, "
		"link-reverse, timeout";
	struct sc_experiment *e = p->e;
	char copy[MAX_LINE], *w[MAX_WORDS], *save = NULL, *after;
	int n = 0;
	uint64_t v;

	memcpy(copy, line, strlen(line) + 1);
	for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == MAX_WORDS)
			return bad(p, "too many words (at most %d)", MAX_WORDS);
		w[n++] = t;
	}
	if (n == 0)
		return 0;
	after = line + (w[0] - copy) + strlen(w[0]);
	n--;
#define ARGS(k)                                                                   \
	do {                                                                      \
		if (n != (k))                                                     \
			return bad(p, "%s takes %d argument%s", w[0], (k), (k) == 1 ? "" : "s"); \
	} while (0)
	if (!strcmp(w[0], "experiment")) {
		ARGS(1);
		if (p->seen_experiment)
			return bad(p, "a second 'experiment' directive (one per script)");
		if (!valid_name(w[1]))
			return bad(p, "bad experiment name '%s' (letters, digits, - and _, at most %d)", w[1],
				   SC_NAME_MAX - 1);
		snprintf(e->name, sizeof(e->name), "%s", w[1]);
		p->seen_experiment = true;
	} else if (!strcmp(w[0], "title")) {
		rest(e->title, sizeof(e->title), after);
	} else if (!strcmp(w[0], "transports")) {
		if (p->seen_transports)
			return bad(p, "a second 'transports' directive");
		if (n < 1)
			return bad(p, "transports needs at least one of: tcp tcp6 udp udp6 unix-stream unix-dgram unix-seqpacket");
		if (n > SC_MAX_TRANSPORTS)
			return bad(p, "at most %d transports", SC_MAX_TRANSPORTS);
		for (int i = 1; i <= n; i++) {
			const struct sc_transport *t = sc_transport_find(w[i]);

			if (!t)
				return bad(p, "unknown transport '%s' (known: tcp tcp6 udp udp6 unix-stream unix-dgram unix-seqpacket)",
					   w[i]);
			for (size_t k = 0; k < e->ntransports; k++)
				if (e->transports[k] == t)
					return bad(p, "transport '%s' named twice", w[i]);
			e->transports[e->ntransports++] = t;
		}
		p->seen_transports = true;
	} else if (!strcmp(w[0], "send") || !strcmp(w[0], "pause")) {
		struct sc_op op;

		if (e->send.nops == SC_MAX_OPS)
			return bad(p, "at most %d send and pause steps", SC_MAX_OPS);
		if (w[0][0] == 's') {
			if (send_words(p, w + 1, n, &op) < 0)
				return -EINVAL;
		} else {
			ARGS(1);
			memset(&op, 0, sizeof(op));
			op.kind = SC_OP_PAUSE;
			if (parse_dur(p, "pause", w[1], &op.ns) < 0)
				return -EINVAL;
		}
		e->send.ops[e->send.nops++] = op;
	} else if (!strcmp(w[0], "pace")) {
		ARGS(1);
		return parse_dur(p, "pace", w[1], &e->send.pace_ns);
	} else if (!strcmp(w[0], "end")) {
		ARGS(1);
		if (strcmp(w[1], "close") && strcmp(w[1], "shutdown"))
			return bad(p, "end takes 'close' or 'shutdown', not '%s'", w[1]);
		e->send.end = w[1][0] == 's' ? SC_END_SHUTDOWN : SC_END_CLOSE;
	} else if (!strcmp(w[0], "sndbuf")) {
		ARGS(1);
		return parse_size(p, "sndbuf", w[1], 1, 1u << 30, &e->send.sndbuf);
	} else if (!strcmp(w[0], "recv")) {
		if (p->seen_recv)
			return bad(p, "a second 'recv' directive (one per script)");
		p->seen_recv = true;
		return recv_words(p, w + 1, n, &e->recv);
	} else if (!strcmp(w[0], "repeat")) {
		ARGS(1);
		if (parse_count(p, "repeat", w[1], 1, SC_MAX_REPEAT, &v) < 0)
			return -EINVAL;
		e->repeat = (unsigned)v;
	} else if (!strcmp(w[0], "sweep")) {
		if (e->sweep.n)
			return bad(p, "a second 'sweep' (one swept parameter per script)");
		if (n < 2)
			return bad(p, "sweep takes a parameter and at least one value");
		if (!is_plan_param(w[1]) && !sc_netem_is_param(w[1]))
			return bad(p, "cannot sweep '%s' (size, count, read, after, pace, rcvbuf, loss, delay, "
				      "reorder, duplicate, corrupt, rate, limit)", w[1]);
		if (n - 1 > SC_MAX_SWEEP)
			return bad(p, "at most %d sweep values", SC_MAX_SWEEP);
		snprintf(e->sweep.param, sizeof(e->sweep.param), "%s", w[1]);
		for (int i = 2; i <= n; i++) {
			if (strlen(w[i]) >= SC_VALUE_MAX)
				return bad(p, "sweep value '%s' is too long", w[i]);
			snprintf(e->sweep.values[e->sweep.n++], SC_VALUE_MAX, "%s", w[i]);
		}
		e->sweep.line = p->line;
	} else if (!strcmp(w[0], "link") || !strcmp(w[0], "link-reverse")) {
		bool fwd = w[0][4] == '\0';
		char *dst = fwd ? e->link : e->link_reverse;

		if (n < 1)
			return bad(p, "%s needs netem arguments, e.g. 'link loss 5%% delay 10ms'", w[0]);
		if (dst[0])
			return bad(p, "a second '%s' directive", w[0]);
		if (!sc_netem_is_param(w[1]) && strcmp(w[1], "slot") && strcmp(w[1], "gap") &&
		    strcmp(w[1], "ecn") && strcmp(w[1], "distribution"))
			return bad(p, "%s: '%s' is not a netem keyword (loss, delay, reorder, duplicate, corrupt, rate, limit, ...)",
				   w[0], w[1]);
		if (strlen(after) >= SC_LINK_MAX)
			return bad(p, "%s: at most %d characters", w[0], SC_LINK_MAX - 1);
		rest(dst, SC_LINK_MAX, after);
		*(fwd ? &e->link_line : &e->link_reverse_line) = p->line;
	} else if (!strcmp(w[0], "timeout")) {
		ARGS(1);
		if (parse_dur(p, "timeout", w[1], &e->timeout_ns) < 0)
			return -EINVAL;
		if (!e->timeout_ns)
			return bad(p, "timeout must be above 0");
	} else {
		return bad(p, "unknown directive '%s' (expected one of: %s)", w[0], known);
	}
#undef ARGS
	return 0;
}

int sc_script_parse(const char *text, size_t len, const char *file,
		    struct sc_experiment *e, char *err, size_t errlen)
{
	struct ps p = {.file = file, .err = err, .errlen = errlen, .e = e};
	char line[MAX_LINE];
	size_t i = 0;

	memset(e, 0, sizeof(*e));
	snprintf(e->file, sizeof(e->file), "%s", file);
	e->repeat = 1;
	while (i < len) {
		size_t n = 0;
		char *hash;

		p.line++;
		while (i < len && text[i] != '\n') {
			if (text[i] == '\0')
				return bad(&p, "a NUL byte (is this a text file?)");
			if (n + 1 >= MAX_LINE) /* room for this character and the NUL */
				return bad(&p, "line longer than %d characters", MAX_LINE - 1);
			line[n++] = text[i] == '\r' || text[i] == '\t' ? ' ' : text[i];
			i++;
		}
		i++; /* the newline */
		line[n] = '\0';
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		if (directive(&p, line) < 0)
			return -EINVAL;
	}
	p.line = 0;
	if (!p.seen_experiment)
		return bad(&p, "no 'experiment NAME' directive");
	if (!p.seen_transports)
		return bad(&p, "no 'transports' directive");
	if (sc_plan_msgs(&e->send) == 0)
		return bad(&p, "no 'send' directive (what should the sender write?)");
	if (!p.seen_recv)
		return bad(&p, "no 'recv' directive (how should the receiver read?)");
	/* Each sweep value must apply cleanly; errors point at the sweep. */
	for (size_t k = 0; k < e->sweep.n; k++) {
		struct sc_experiment tmp = *e;

		p.line = e->sweep.line;
		if (apply(&p, &tmp, e->sweep.param, e->sweep.values[k]) < 0)
			return -EINVAL;
	}
	return 0;
}

int sc_script_load(const char *path, struct sc_experiment *e, char *err, size_t errlen)
{
	char *buf = NULL;
	ssize_t got = 0, n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), r, en;

	if (fd < 0) {
		en = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(en));
		return -en;
	}
	buf = malloc(MAX_FILE + 1);
	if (!buf) {
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	while ((n = read(fd, buf + got, (size_t)(MAX_FILE + 1 - got))) > 0)
		got += n;
	en = errno;
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(en));
		free(buf);
		return -en;
	}
	if (got > MAX_FILE) {
		snprintf(err, errlen, "%s: larger than 1 MiB; not an experiment script", path);
		free(buf);
		return -EFBIG;
	}
	r = sc_script_parse(buf, (size_t)got, path, e, err, errlen);
	free(buf);
	return r;
}

static int args_to_words(const char *args, char *copy, size_t len, char **w, int max)
{
	char *save = NULL;
	int n = 0;

	snprintf(copy, len, "%s", args);
	for (char *t = strtok_r(copy, " \t", &save); t && n < max; t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	return n;
}

int sc_script_send_args(const char *args, struct sc_op *op, char *err, size_t errlen)
{
	struct ps p = {.file = "", .err = err, .errlen = errlen};
	char copy[256], *w[8];
	int n = args_to_words(args, copy, sizeof(copy), w, 8);

	if (n == 0)
		return bad(&p, "expected COUNT x SIZE or SIZE");
	p.line = -1;
	return send_words(&p, w, n, op);
}

int sc_script_recv_args(const char *args, struct sc_recv_plan *r, char *err, size_t errlen)
{
	struct ps p = {.file = "", .err = err, .errlen = errlen, .line = -1};
	char copy[512], *w[16];
	int n = args_to_words(args, copy, sizeof(copy), w, 16);

	return recv_words(&p, w, n, r);
}

size_t sc_experiment_points(const struct sc_experiment *e)
{
	return e->sweep.n ? e->sweep.n : 1;
}

int sc_experiment_at(const struct sc_experiment *e, size_t i, struct sc_experiment *out,
		     char *err, size_t errlen)
{
	struct ps p = {.file = e->file, .err = err, .errlen = errlen, .line = e->sweep.line};

	*out = *e;
	if (!e->sweep.n)
		return 0;
	if (i >= e->sweep.n)
		return bad(&p, "no sweep point %zu", i + 1);
	return apply(&p, out, e->sweep.param, e->sweep.values[i]);
}

uint64_t sc_plan_msgs(const struct sc_send_plan *s)
{
	uint64_t n = 0;

	for (size_t i = 0; i < s->nops; i++)
		if (s->ops[i].kind == SC_OP_WRITE)
			n += s->ops[i].count;
	return n;
}

uint64_t sc_plan_bytes(const struct sc_send_plan *s)
{
	uint64_t n = 0;

	for (size_t i = 0; i < s->nops; i++)
		if (s->ops[i].kind == SC_OP_WRITE)
			n += s->ops[i].count * s->ops[i].size;
	return n;
}
