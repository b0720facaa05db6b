/* script_args.c - the arguments of send, recv and sweep, for scripts and
 * for the programs' command lines (sc_script_send_args...), and what a
 * parsed experiment yields: its sweep points and the totals of its plan.
 * The line reader and the directive table are in script.c. */
#include "script_args.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "netem.h"
#include "num.h"
#include "text.h"

/* Returns -EINVAL; formats the message only if there is a buffer, with
 * what a terminal would act on (control characters, bytes that are not
 * UTF-8) written out as \n, \xHH...: messages quote the input, and must
 * stay one harmless line whatever it holds. */
int sc__vbad(const struct sc__where *w, const char *fmt, va_list ap)
{
	char msg[600], full[900];

	if (!w->err || !w->errlen)
		return -EINVAL;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (w->line < 0)
		snprintf(full, sizeof(full), "%s", msg);
	else if (w->line > 0)
		snprintf(full, sizeof(full), "%s:%d: %s", w->file, w->line, msg);
	else
		snprintf(full, sizeof(full), "%s: %s", w->file, msg);
	sc_text_escape(w->err, w->errlen, full);
	return -EINVAL;
}

/* Returns -EINVAL, like sc__vbad. */
int sc__bad(const struct sc__where *w, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = sc__vbad(w, fmt, ap);
	va_end(ap);
	return r;
}

/* Returns the word count, or -1 past max (s is then partly split). */
int sc__split_words(char *s, char **words, int max)
{
	int n = 0;

	for (;;) {
		s += strspn(s, " \t");
		if (!*s)
			return n;
		if (n == max)
			return -1;
		words[n++] = s;
		s += strcspn(s, " \t");
		if (*s)
			*s++ = '\0';
	}
}

/* Returns 0, or sc__bad(): malformed, above max (also on overflow) or
 * below min, the limit named. */
int sc__size(const struct sc__where *w, const char *what, const char *s, uint64_t min,
	     uint64_t max, uint64_t *out)
{
	int r = sc_str_size(s, 0, UINT64_MAX, out);

	if (r == -EINVAL)
		return sc__bad(w, "bad size '%s' for %s (expected bytes, e.g. 512 or 64k)", s, what);
	if (r < 0 || *out > max)
		return sc__bad(w, "%s size %s is above the %llu-byte limit", what, s,
			       (unsigned long long)max);
	if (*out < min && min == SC_MIN_MSG)
		return sc__bad(w, "%s size %s is below the %u-byte minimum (the sockcmp header)", what,
			       s, SC_MIN_MSG);
	if (*out < min)
		return sc__bad(w, "%s size %s is below the minimum of %llu", what, s,
			       (unsigned long long)min);
	return 0;
}

/* Returns 0, or sc__bad(): malformed (no unit), or above an hour. */
int sc__duration(const struct sc__where *w, const char *what, const char *s, uint64_t *out)
{
	int r = sc_str_duration(s, SC_MAX_DURATION_NS, out);

	if (r == -ERANGE)
		return sc__bad(w, "%s %s is above the 1h limit", what, s);
	if (r < 0)
		return sc__bad(w, "bad duration '%s' for %s (expected a number and a unit: ns, us, ms "
				  "or s, e.g. 50ms)", s, what);
	return 0;
}

/* Returns 0, or sc__bad(): not a whole number, or outside [min, max]. */
int sc__count(const struct sc__where *w, const char *what, const char *s, uint64_t min,
	      uint64_t max, uint64_t *out)
{
	int r = sc_str_u64(s, min, max, out);

	if (r == -ERANGE)
		return sc__bad(w, "%s %s is out of range (from %llu to %llu)", what, s,
			       (unsigned long long)min, (unsigned long long)max);
	if (r < 0)
		return sc__bad(w, "bad %s '%s' (expected a whole number from %llu to %llu)", what, s,
			       (unsigned long long)min, (unsigned long long)max);
	return 0;
}

/* Returns 0 or sc__bad(). Accepts "5 x 512", "5x512", "5 x512", "5x 512"
 * and "1000"; the 'x' of a joined form is overwritten to split the word. */
int sc__send_words(const struct sc__where *w, char **words, int n, struct sc_op *op)
{
	const char *count = NULL, *size = NULL;
	char *x = n == 1 ? strchr(words[0], 'x') : NULL;
	size_t last = n == 2 ? strlen(words[0]) - 1 : 0;

	memset(op, 0, sizeof(*op));
	op->kind = SC_OP_WRITE;
	op->count = 1;
	if (n == 1 && x && x != words[0]) {
		*x = '\0';
		count = words[0];
		size = x + 1;
	} else if (n == 1) {
		size = words[0];
	} else if (n == 3 && strcmp(words[1], "x") == 0) {
		count = words[0];
		size = words[2];
	} else if (n == 2 && words[1][0] == 'x') {
		count = words[0];
		size = words[1] + 1;
	} else if (n == 2 && last > 0 && words[0][last] == 'x') {
		words[0][last] = '\0';
		count = words[0];
		size = words[1];
	} else {
		return sc__bad(w, "send takes COUNT x SIZE or SIZE, e.g. 'send 5 x 512'");
	}
	if ((count && !*count) || !*size) /* "5 x", "x 512" */
		return sc__bad(w, "send takes COUNT x SIZE or SIZE, e.g. 'send 5 x 512'");
	if (count && sc__count(w, "send count", count, 1, SC_MAX_COUNT, &op->count) < 0)
		return -EINVAL;
	return sc__size(w, "send", size, SC_MIN_MSG, SC_MAX_MSG, &op->size);
}

/* Returns 0 or sc__bad(): SIZE, then options in any order, each at most
 * once, and each that takes an argument followed by one. */
int sc__recv_words(const struct sc__where *w, char **words, int n, struct sc_recv_plan *r)
{
	enum { AFTER, EVERY, RCVBUF, WAITALL, TRUNC, NOPTS };
	static const char *const opts[NOPTS] = {"after", "every", "rcvbuf", "waitall", "trunc"};
	unsigned given = 0;

	memset(r, 0, sizeof(*r));
	if (n < 1)
		return sc__bad(w, "recv needs a size: recv SIZE [after D] [every D] [waitall] [trunc] "
				  "[rcvbuf SIZE]");
	if (sc__size(w, "recv", words[0], 1, SC_MAX_MSG, &r->size) < 0)
		return -EINVAL;
	for (int i = 1; i < n; i++) {
		int k = 0;

		while (k < NOPTS && strcmp(words[i], opts[k]) != 0)
			k++;
		if (k == NOPTS)
			return sc__bad(w, "unexpected '%s' in recv (expected after D, every D, waitall, "
					  "trunc, rcvbuf SIZE)", words[i]);
		if (given & (1u << k))
			return sc__bad(w, "'%s' given twice in recv", words[i]);
		given |= 1u << k;
		if (k <= RCVBUF && i + 1 == n)
			return sc__bad(w, "'%s' in recv needs a %s after it", words[i],
				       k == RCVBUF ? "size" : "duration");
		if (k == AFTER && sc__duration(w, "recv after", words[++i], &r->after_ns) < 0)
			return -EINVAL;
		if (k == EVERY && sc__duration(w, "recv every", words[++i], &r->every_ns) < 0)
			return -EINVAL;
		if (k == RCVBUF && sc__size(w, "rcvbuf", words[++i], 1, SC__MAX_BUF, &r->rcvbuf) < 0)
			return -EINVAL;
		if (k == WAITALL)
			r->flags |= SC_RECV_WAITALL;
		if (k == TRUNC)
			r->flags |= SC_RECV_TRUNC;
	}
	return 0;
}

/* An example value for a netem param's messages. */
static const char *netem_example(const char *param)
{
	if (!strcmp(param, "delay"))
		return "10ms";
	if (!strcmp(param, "rate"))
		return "10mbit";
	if (!strcmp(param, "limit"))
		return "1000";
	return "5%";
}

/* Returns 0, or sc__bad(): a value its parser refuses, or a netem value
 * that would make the link longer than SC_LINK_MAX - 1. */
int sc__sweep_apply(const struct sc__where *w, struct sc_experiment *e, const char *param,
		    const char *value)
{
	uint64_t x;
	bool size = !strcmp(param, "size");

	if (size || !strcmp(param, "count")) {
		if (size ? sc__size(w, "send", value, SC_MIN_MSG, SC_MAX_MSG, &x)
			 : sc__count(w, "send count", value, 1, SC_MAX_COUNT, &x))
			return -EINVAL;
		for (size_t i = 0; i < e->send.nops && i < SC_MAX_OPS; i++)
			if (e->send.ops[i].kind == SC_OP_WRITE)
				*(size ? &e->send.ops[i].size : &e->send.ops[i].count) = x;
		return 0;
	}
	if (!strcmp(param, "read"))
		return sc__size(w, "recv", value, 1, SC_MAX_MSG, &e->recv.size);
	if (!strcmp(param, "after"))
		return sc__duration(w, "recv after", value, &e->recv.after_ns);
	if (!strcmp(param, "pace"))
		return sc__duration(w, "pace", value, &e->send.pace_ns);
	if (!strcmp(param, "rcvbuf"))
		return sc__size(w, "rcvbuf", value, 1, SC__MAX_BUF, &e->recv.rcvbuf);
	if (!strcmp(param, "clients"))
		return sc__count(w, "clients", value, 1, SC_MAX_CLIENTS, &e->clients);
	if (!sc_netem_is_param(param))
		return sc__bad(w, "cannot sweep '%s'", param);
	if (sc_netem_check_value(param, value) < 0)
		return sc__bad(w, "bad %s value '%s' for netem (e.g. %s)", param, value,
			       netem_example(param));
	if (sc_netem_set(e->link, sizeof(e->link), param, value) < 0)
		return sc__bad(w, "link with %s %s is longer than %d characters", param, value,
			       SC_LINK_MAX - 1);
	return 0;
}

/* Copies args into copy (len bytes) and splits it into at most max words.
 * Returns the number of words or sc__bad(). */
static int arg_words(const struct sc__where *w, const char *args, char *copy, size_t len,
		     char **words, int max)
{
	size_t n = strlen(args);
	int k;

	if (n >= len)
		return sc__bad(w, "'%.20s...' is longer than %zu characters", args, len - 1);
	memcpy(copy, args, n + 1);
	k = sc__split_words(copy, words, max);
	if (k < 0)
		return sc__bad(w, "more than %d words in '%s'", max, args);
	return k;
}

/* Returns 0 or -EINVAL with a message (no file:line) in err. */
int sc_script_send_args(const char *args, struct sc_op *op, char *err, size_t errlen)
{
	const struct sc__where w = {.file = "", .line = -1, .err = err, .errlen = errlen};
	char copy[256], *words[3];
	int n = arg_words(&w, args, copy, sizeof(copy), words, 3);

	if (n < 0)
		return -EINVAL;
	if (n == 0)
		return sc__bad(&w, "expected COUNT x SIZE or SIZE, e.g. '5 x 512'");
	return sc__send_words(&w, words, n, op);
}

/* Returns 0 or -EINVAL with a message (no file:line) in err. */
int sc_script_recv_args(const char *args, struct sc_recv_plan *r, char *err, size_t errlen)
{
	const struct sc__where w = {.file = "", .line = -1, .err = err, .errlen = errlen};
	char copy[512], *words[16];
	int n = arg_words(&w, args, copy, sizeof(copy), words, 16);

	if (n < 0)
		return -EINVAL;
	return sc__recv_words(&w, words, n, r);
}

/* Returns 0 or sc__bad() for the first size above max: a sweep of size
 * replaces every send line's size, so then only its values count. */
int sc_experiment_check_size(const struct sc_experiment *e, const struct sc_transport *t,
			     uint64_t max, const char *why, char *err, size_t errlen)
{
	struct sc__where w = {.file = e->file, .err = err, .errlen = errlen};
	char named[80];
	uint64_t x;

	if (e->transports_line > 0)
		snprintf(named, sizeof(named), "line %d names %s", e->transports_line, t->name);
	else
		snprintf(named, sizeof(named), "--transports names %s", t->name);
	if (!strcmp(e->sweep.param, "size")) {
		w.line = e->sweep.line;
		for (size_t i = 0; i < e->sweep.n && i < SC_MAX_SWEEP; i++)
			if (sc_str_size(e->sweep.values[i], 0, UINT64_MAX, &x) == 0 && x > max)
				return sc__bad(&w, "sweep size %s is above %s's limit of %llu bytes per "
					       "message (%s), and %s", e->sweep.values[i], t->name,
					       (unsigned long long)max, why, named);
		return 0;
	}
	for (size_t i = 0; i < e->send.nops && i < SC_MAX_OPS; i++) {
		const struct sc_op *op = &e->send.ops[i];

		if (op->kind != SC_OP_WRITE || op->size <= max)
			continue;
		w.line = op->line;
		return sc__bad(&w, "send size %llu is above %s's limit of %llu bytes per message "
			       "(%s), and %s", (unsigned long long)op->size, t->name,
			       (unsigned long long)max, why, named);
	}
	return 0;
}

/* Returns the sweep's value count, or 1 without a sweep. */
size_t sc_experiment_points(const struct sc_experiment *e)
{
	return e->sweep.n ? e->sweep.n : 1;
}

/* Returns 0, or -EINVAL for a point past the last one or a value that
 * does not apply (message with the sweep's file:line in err). */
int sc_experiment_at(const struct sc_experiment *e, size_t i, struct sc_experiment *out,
		     char *err, size_t errlen)
{
	const struct sc__where w = {.file = e->file, .line = e->sweep.line, .err = err,
				    .errlen = errlen};

	if (e->sweep.n > SC_MAX_SWEEP)
		return sc__bad(&w, "a sweep of %zu values (at most %d)", e->sweep.n, SC_MAX_SWEEP);
	if (out != e)
		*out = *e;
	if (!e->sweep.n)
		return 0;
	if (i >= e->sweep.n)
		return sc__bad(&w, "no sweep point %zu (there are %zu)", i + 1, e->sweep.n);
	return sc__sweep_apply(&w, out, e->sweep.param, e->sweep.values[i]);
}

/* Sums over the write steps. The parser bounds count and size, so even
 * SC_MAX_OPS of them cannot overflow. */
uint64_t sc_plan_msgs(const struct sc_send_plan *s)
{
	uint64_t n = 0;

	for (size_t i = 0; i < s->nops && i < SC_MAX_OPS; i++)
		if (s->ops[i].kind == SC_OP_WRITE)
			n += s->ops[i].count;
	return n;
}

/* Bytes, headers included: count x size over the write steps. */
uint64_t sc_plan_bytes(const struct sc_send_plan *s)
{
	uint64_t n = 0;

	for (size_t i = 0; i < s->nops && i < SC_MAX_OPS; i++)
		if (s->ops[i].kind == SC_OP_WRITE)
			n += s->ops[i].count * s->ops[i].size;
	return n;
}
