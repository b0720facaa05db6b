/* netem.c - netem argument strings (tc-netem(8)) and tc command lines.
 *
 * A netem argument string is a list of clauses, each a keyword and its
 * arguments: "delay 10ms 2ms loss 5% reorder 25% 50%". Only the keywords
 * tc parses at the top level start a clause; "random", "state" and
 * "gemodel" belong to the loss clause before them, so they are not here. */
#include "netem.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "num.h"

/* Keywords that start a clause, with the one tc treats them as (tc's own
 * q_netem.c reads "latency" as delay and "drop" as loss). */
static const struct {
	const char *word, *same_as;
} keywords[] = {
	{"limit", "limit"}, {"delay", "delay"}, {"latency", "delay"}, {"distribution", "distribution"},
	{"loss", "loss"},   {"drop", "loss"},   {"corrupt", "corrupt"}, {"duplicate", "duplicate"},
	{"reorder", "reorder"}, {"gap", "gap"}, {"rate", "rate"},     {"slot", "slot"},
	{"ecn", "ecn"},     {"seed", "seed"},
};
#define NKEYWORDS (sizeof(keywords) / sizeof(keywords[0]))

/* The ones a sweep may set. */
static const char *const params[] = {"loss", "delay", "reorder", "duplicate", "corrupt", "rate", "limit"};

/* Returns the clause the n-byte word w starts (its canonical keyword), or
 * NULL if w is not a keyword. */
static const char *clause_of(const char *w, size_t n)
{
	for (size_t i = 0; i < NKEYWORDS; i++)
		if (strlen(keywords[i].word) == n && memcmp(keywords[i].word, w, n) == 0)
			return keywords[i].same_as;
	return NULL;
}

/* True if param is one of the sweepable keywords. */
bool sc_netem_is_param(const char *param)
{
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		if (strcmp(params[i], param) == 0)
			return true;
	return false;
}

/* True if word is any clause keyword. */
bool sc_netem_is_keyword(const char *word)
{
	return clause_of(word, strlen(word)) != NULL;
}

/* Checks "5%", "0.5%", "100%": digits, an optional fraction, a '%', and a
 * value from 0 to 100. Returns 0 or -EINVAL. Written out by hand because
 * strtod would also take "0x5", "1e1" and a locale's decimal comma. */
static int percent(const char *v)
{
	unsigned whole = 0;
	bool frac = false;

	if (*v < '0' || *v > '9')
		return -EINVAL;
	for (; *v >= '0' && *v <= '9'; v++) {
		whole = whole * 10 + (unsigned)(*v - '0');
		if (whole > 100)
			return -EINVAL; /* stops before it could overflow */
	}
	if (*v == '.') {
		v++;
		if (*v < '0' || *v > '9')
			return -EINVAL;
		for (; *v >= '0' && *v <= '9'; v++)
			frac |= *v != '0';
	}
	if (strcmp(v, "%") != 0 || (whole == 100 && frac))
		return -EINVAL;
	return 0;
}

/* Checks a rate as tc writes one: a positive whole number and a unit,
 * "10mbit", "500kbit", "1Gbit", "8000bit", "1mbps". Returns 0 or -EINVAL. */
static int rate(const char *v)
{
	static const char *const units[] = {"bit",  "kbit", "mbit", "gbit", "tbit",
					    "bps",  "kbps", "mbps", "gbps", "tbps"};
	uint64_t n = 0;

	if (*v < '0' || *v > '9')
		return -EINVAL;
	for (; *v >= '0' && *v <= '9'; v++) {
		unsigned d = (unsigned)(*v - '0');

		if (n > (UINT64_MAX - d) / 10)
			return -EINVAL;
		n = n * 10 + d;
	}
	if (n == 0)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcasecmp(v, units[i]) == 0) /* tc compares units ignoring case */
			return 0;
	return -EINVAL;
}

/* Returns 0 with *ns set, or -EINVAL: see netem.h. A bare number (tc:
 * microseconds) is refused, as everywhere in sockcmp, for want of a unit;
 * "0" alone is fine. */
int sc_netem_time(const char *v, uint64_t *ns)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = {{"s", 1e9}, {"sec", 1e9}, {"secs", 1e9}, {"ms", 1e6}, {"msec", 1e6},
		     {"msecs", 1e6}, {"us", 1e3}, {"usec", 1e3}, {"usecs", 1e3}, {"ns", 1},
		     {"nsec", 1}, {"nsecs", 1}};
	double whole = 0, scale = 1;
	bool digits = false;

	for (; *v >= '0' && *v <= '9'; v++, digits = true)
		if ((whole = whole * 10 + (*v - '0')) > 1e12)
			return -EINVAL;
	if (*v == '.')
		for (v++; *v >= '0' && *v <= '9'; v++, digits = true)
			whole += (*v - '0') * (scale /= 10);
	if (!digits)
		return -EINVAL;
	if (!*v && whole == 0) { /* "0", as sockcmp's own durations allow */
		*ns = 0;
		return 0;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(v, units[i].unit) == 0) {
			if (whole * units[i].ns > 60e9)
				return -EINVAL;
			*ns = (uint64_t)(whole * units[i].ns + 0.5); /* 1.15ms: 1150000, not 1149999 */
			return 0;
		}
	return -EINVAL;
}

/* Returns 0 if v is a whole number (a leading '-' if sign), -EINVAL if not. */
static int integer(const char *v, bool sign)
{
	if (sign && *v == '-')
		v++;
	if (!*v || strlen(v) > 10)
		return -EINVAL;
	return strspn(v, "0123456789") == strlen(v) ? 0 : -EINVAL;
}

/* Copies the n-byte word w to buf (len bytes) for checking; a word that
 * does not fit is cut to an empty string, which no check accepts. */
static void word_copy(char *buf, size_t len, const char *w, size_t n)
{
	if (n >= len)
		n = 0;
	memcpy(buf, w, n);
	buf[n] = '\0';
}

/* Returns the next blank-separated word at or after *p and its length in
 * *n, advancing *p past it; NULL at the end of the string. */
static const char *next_word(const char **p, size_t *n)
{
	const char *s = *p + strspn(*p, " \t");

	if (!*s)
		return NULL;
	*n = strcspn(s, " \t");
	*p = s + *n;
	return s;
}

/* Writes a message to err (if any) and returns -EINVAL. */
__attribute__((format(printf, 3, 4))) static int refuse(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* The kinds of value a clause takes. */
enum kind { PCT, TIME, RATE, COUNT, UINT, SIGNED, DIST };

/* Returns 0 if word w is a value of kind k, -EINVAL if not. */
static int value_ok(enum kind k, const char *w, uint64_t *ns)
{
	static const char *const dists[] = {"uniform", "normal", "pareto", "paretonormal", "experimental"};
	uint64_t v;

	switch (k) {
	case PCT: return percent(w);
	case TIME: return sc_netem_time(w, ns);
	case RATE: return rate(w);
	case COUNT: return sc_str_u64(w, 1, UINT32_MAX, &v) < 0 ? -EINVAL : 0;
	case UINT: return integer(w, false);
	case SIGNED: return integer(w, true);
	case DIST:
		for (size_t i = 0; i < sizeof(dists) / sizeof(dists[0]); i++)
			if (strcmp(w, dists[i]) == 0)
				return 0;
		return -EINVAL;
	}
	return -EINVAL;
}

/* What a value of each kind looks like, for messages. */
static const char *const kind_example[] = {
	[PCT] = "a percentage such as 5%", [TIME] = "a time such as 10ms",
	[RATE] = "a rate such as 10mbit", [COUNT] = "a whole number from 1",
	[UINT] = "a whole number", [SIGNED] = "a whole number",
	[DIST] = "uniform, normal, pareto or paretonormal",
};

/* One clause's shape: its required values, then optional ones (taken, as
 * tc takes them, while the next word does not start a clause). */
struct shape {
	const char *clause;
	enum kind need[2];
	int nneed;
	enum kind opt[4];
	int nopt;
};

static const struct shape shapes[] = {
	{"limit", {COUNT}, 1, {0}, 0},
	{"delay", {TIME}, 1, {TIME, PCT}, 2},
	{"distribution", {DIST}, 1, {0}, 0},
	{"loss", {PCT}, 1, {PCT}, 1},
	{"corrupt", {PCT}, 1, {PCT}, 1},
	{"duplicate", {PCT}, 1, {PCT}, 1},
	{"reorder", {PCT}, 1, {PCT}, 1},
	{"gap", {COUNT}, 1, {0}, 0},
	{"rate", {RATE}, 1, {SIGNED, COUNT, SIGNED}, 3},
	{"slot", {TIME}, 1, {TIME}, 1},
	{"ecn", {0}, 0, {0}, 0},
	{"seed", {UINT}, 1, {0}, 0},
};

/* Returns the shape of canonical clause c (never NULL for a keyword). */
static const struct shape *shape_of(const char *c)
{
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		if (strcmp(shapes[i].clause, c) == 0)
			return &shapes[i];
	return NULL;
}

/* Returns 0 if value suits param, -EINVAL if not or if param is not a
 * sweepable keyword. The value is checked as the first value of param's
 * clause in a netem line (value_ok with the clause's shape), so a sweep
 * takes exactly the values a link line takes ("1.5ms", "10msec"). */
int sc_netem_check_value(const char *param, const char *value)
{
	const struct shape *sh = sc_netem_is_param(param) ? shape_of(param) : NULL;
	uint64_t ns;

	if (!sh || sh->nneed < 1)
		return -EINVAL;
	return value_ok(sh->need[0], value, &ns);
}

/* Checks the words after "loss" (or "drop"): [random] PCT [PCT],
 * state PCT [PCT...4 more], gemodel PCT [PCT...3 more]. Advances *p past
 * them. Returns 0 or refuse(). */
static int loss_args(const char *kw, const char **p, char *err, size_t errlen)
{
	const char *q = *p, *w;
	char word[64];
	size_t n;
	int max = 1, got = 0;
	uint64_t ns;

	w = next_word(&q, &n);
	if (w && n < sizeof(word)) {
		memcpy(word, w, n);
		word[n] = '\0';
		if (!strcmp(word, "random") || !strcmp(word, "state") || !strcmp(word, "gemodel")) {
			max = word[0] == 'r' ? 1 : word[0] == 's' ? 4 : 3;
			*p = q;
			snprintf(word, sizeof(word), "%s %.*s", kw, (int)n, w);
			kw = word;
		}
	}
	for (q = *p; (w = next_word(&q, &n)) != NULL; *p = q, got++) {
		char v[300];

		if (clause_of(w, n) || (got > max))
			break;
		word_copy(v, sizeof(v), w, n);
		if (value_ok(PCT, v, &ns) < 0) {
			if (got > 0 && (*w < '0' || *w > '9'))
				break; /* not a number: the next clause's business */
			return refuse(err, errlen, "bad value '%.40s' after %s (expected %s)", v, kw,
				      kind_example[PCT]);
		}
	}
	if (!got)
		return refuse(err, errlen, "%s needs a value (%s)", kw, kind_example[PCT]);
	return 0;
}

/* What the clauses say about each other, for the checks at the end. */
struct facts {
	uint64_t delay_ns, jitter_ns;
	bool reorder, dist;
};

/* True if the n-byte word w looks like a number (tc's NEXT_IS_NUMBER, with
 * a sign for the rate's overheads): only such words are taken as optional
 * values, anything else ends the clause. */
static bool numeric(const char *w, size_t n)
{
	return n && ((*w >= '0' && *w <= '9') || (*w == '-' && n > 1 && w[1] >= '0' && w[1] <= '9'));
}

/* Checks the values of clause c (spelt kw) after *p against its shape and
 * advances *p past them, noting in f what the end checks need. Returns 0
 * or refuse(). */
static int clause_args(const char *c, const char *kw, const struct shape *sh, const char **p,
		       struct facts *f, char *err, size_t errlen)
{
	for (int got = 0; got < sh->nneed + sh->nopt; got++) {
		enum kind k = got < sh->nneed ? sh->need[got] : sh->opt[got - sh->nneed];
		size_t n = 0;
		const char *q = *p, *w = next_word(&q, &n);
		char v[300];
		uint64_t ns = 0;

		if (got < sh->nneed && (!w || clause_of(w, n)))
			return refuse(err, errlen, "%s needs a value (%s)", kw, kind_example[k]);
		if (got >= sh->nneed && (!w || !numeric(w, n)))
			break;
		word_copy(v, sizeof(v), w, n);
		if (value_ok(k, v, &ns) < 0)
			return refuse(err, errlen, "bad value '%.40s' after %s (expected %s)", v, kw,
				      kind_example[k]);
		if (!strcmp(c, "delay") && got < 2)
			*(got ? &f->jitter_ns : &f->delay_ns) = ns;
		if (!strcmp(c, "reorder") && got == 0)
			f->reorder = strspn(v, "0.%") != strlen(v); /* above 0 % */
		f->dist |= !strcmp(c, "distribution");
		*p = q;
	}
	return 0;
}

/* Checks what follows "slot": "distribution NAME DELAY JITTER" or
 * "MIN [MAX]", then [packets N] [bytes N]. Returns 0 or refuse(). */
static int slot_args(const char **p, struct facts *f, char *err, size_t errlen)
{
	static const enum kind want[] = {DIST, TIME, TIME};
	size_t n = 0;
	const char *q = *p, *w = next_word(&q, &n);
	char kw[32], v[300];
	uint64_t ns;
	int r;

	if (w && n == 12 && memcmp(w, "distribution", 12) == 0) {
		*p = q;
		for (int i = 0; i < 3; i++) {
			w = next_word(p, &n);
			if (!w || clause_of(w, n))
				return refuse(err, errlen, "slot distribution needs a distribution, a "
					      "delay and a jitter");
			word_copy(v, sizeof(v), w, n);
			if (value_ok(want[i], v, &ns) < 0)
				return refuse(err, errlen, "bad value '%.40s' after slot distribution "
					      "(expected %s)", v, kind_example[want[i]]);
		}
	} else if ((r = clause_args("slot", "slot", shape_of("slot"), p, f, err, errlen)) < 0) {
		return r;
	}
	for (q = *p; (w = next_word(&q, &n)) && ((n == 7 && !memcmp(w, "packets", 7)) ||
						  (n == 5 && !memcmp(w, "bytes", 5)));) {
		snprintf(kw, sizeof(kw), "slot %.*s", (int)n, w);
		w = next_word(&q, &n);
		word_copy(v, sizeof(v), w ? w : "", w ? n : 0);
		if (!w || value_ok(COUNT, v, &ns) < 0)
			return refuse(err, errlen, "%s needs %s", kw, kind_example[COUNT]);
		*p = q;
	}
	return 0;
}

/* Returns 0 or refuse(): see netem.h. */
int sc_netem_check_args(const char *args, char *err, size_t errlen)
{
	const char *p = args, *w, *seen[sizeof(shapes) / sizeof(shapes[0])] = {0};
	struct facts f = {0};
	size_t n;

	while ((w = next_word(&p, &n)) != NULL) {
		const char *c = clause_of(w, n);
		const struct shape *sh;
		char kw[32];
		int r;

		if (!c)
			return refuse(err, errlen, "'%.*s' is not a netem keyword (loss, delay, reorder, "
				      "duplicate, corrupt, rate, limit, slot, ...)", (int)(n < 40 ? n : 40), w);
		snprintf(kw, sizeof(kw), "%.*s", (int)n, w);
		sh = shape_of(c);
		if (seen[sh - shapes])
			return refuse(err, errlen, "%s given twice ('%.*s' and '%s')", c,
				      (int)strcspn(seen[sh - shapes], " \t"), seen[sh - shapes], kw);
		seen[sh - shapes] = w;
		r = !strcmp(c, "loss")	 ? loss_args(kw, &p, err, errlen)
		    : !strcmp(c, "slot") ? slot_args(&p, &f, err, errlen)
					 : clause_args(c, kw, sh, &p, &f, err, errlen);
		if (r < 0)
			return r;
	}
	if (f.dist && (!f.delay_ns || !f.jitter_ns))
		return refuse(err, errlen, "distribution needs a delay and a jitter above 0 (delay "
			      "10ms 2ms distribution normal)");
	if (f.reorder && !f.delay_ns)
		return refuse(err, errlen, "reorder needs a delay above 0 (netem reorders by letting "
			      "some packets skip it)");
	return 0;
}

/* Returns 0, -EINVAL (param not sweepable) or -ENOSPC (args left as it
 * was). Works in place in two passes: the first measures what is kept, so
 * a result that does not fit is refused before anything is changed; the
 * second moves the kept words down (never past where they were, so the
 * words still to be read are intact) with single spaces between them. */
int sc_netem_set(char *args, size_t cap, const char *param, const char *value)
{
	const char *p, *w;
	size_t n, kept = 0, d = 0, plen = strlen(param), vlen = strlen(value);
	bool skip = false;

	if (!sc_netem_is_param(param))
		return -EINVAL;
	for (p = args, w = next_word(&p, &n); w; w = next_word(&p, &n)) {
		const char *c = clause_of(w, n);

		if (c)
			skip = strcmp(c, param) == 0;
		if (!skip)
			kept += (kept ? 1 : 0) + n;
	}
	if ((kept ? kept + 1 : 0) + plen + 1 + vlen + 1 > cap)
		return -ENOSPC;
	skip = false;
	for (p = args, w = next_word(&p, &n); w; w = next_word(&p, &n)) {
		const char *c = clause_of(w, n);

		if (c)
			skip = strcmp(c, param) == 0;
		if (skip)
			continue;
		if (d)
			args[d++] = ' ';
		memmove(args + d, w, n);
		d += n;
	}
	if (d)
		args[d++] = ' ';
	memcpy(args + d, param, plen);
	args[d + plen] = ' ';
	memcpy(args + d + plen + 1, value, vlen + 1);
	return 0;
}

/* Returns the number of words in argv, or -ENOSPC if argv (max entries,
 * counting the final NULL) or store (storelen bytes) is too small. */
int sc_netem_tc_argv(const char *dev, const char *args, char **argv, size_t max,
		     char *store, size_t storelen)
{
	static const char *const head[] = {"tc", "qdisc", "replace", "dev", NULL, "root", "netem"};
	const char *p = args, *w;
	size_t k = 0, used = 0, n;

	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++) {
		const char *h = head[i] ? head[i] : dev;
		size_t len = strlen(h) + 1;

		if (k + 1 >= max || used + len > storelen)
			return -ENOSPC;
		memcpy(store + used, h, len);
		argv[k++] = store + used;
		used += len;
	}
	for (w = next_word(&p, &n); w; w = next_word(&p, &n)) {
		if (k + 1 >= max || used + n + 1 > storelen)
			return -ENOSPC;
		memcpy(store + used, w, n);
		store[used + n] = '\0';
		argv[k++] = store + used;
		used += n + 1;
	}
	argv[k] = NULL;
	return (int)k;
}
