/* netem.c - netem argument strings (tc-netem(8)) and tc command lines.
 *
 * A netem argument string is a list of clauses, each a keyword and its
 * arguments: "delay 10ms 2ms loss 5% reorder 25% 50%". Only the keywords
 * tc parses at the top level start a clause; "random", "state" and
 * "gemodel" belong to the loss clause before them, so they are not here. */
#include "netem.h"

#include <errno.h>
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

/* Returns 0 if value suits param, -EINVAL if not or if param is not a
 * sweepable keyword. */
int sc_netem_check_value(const char *param, const char *value)
{
	uint64_t v;

	if (!strcmp(param, "loss") || !strcmp(param, "reorder") || !strcmp(param, "duplicate") ||
	    !strcmp(param, "corrupt"))
		return percent(value);
	if (!strcmp(param, "delay"))
		return sc_str_duration(value, 60ull * 1000000000, &v) < 0 ? -EINVAL : 0;
	if (!strcmp(param, "rate"))
		return rate(value);
	if (!strcmp(param, "limit")) /* packets, a u32 in the kernel */
		return sc_str_u64(value, 1, UINT32_MAX, &v) < 0 ? -EINVAL : 0;
	return -EINVAL;
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
