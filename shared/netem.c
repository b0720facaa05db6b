/* netem.c - netem argument strings (tc-netem(8)) and tc command lines. */
#include "netem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"

/* Keywords that start a clause in netem's syntax (tc-netem(8)). */
static const char *const keywords[] = {
	"limit", "delay", "latency", "distribution", "loss", "drop", "corrupt", "duplicate",
	"reorder", "gap", "rate", "slot", "ecn", "seed", NULL,
};
/* The ones a sweep may set. */
static const char *const params[] = {"loss", "delay", "reorder", "duplicate", "corrupt", "rate",
				     "limit", NULL};

static bool in(const char *const *list, const char *w, size_t n)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && strncmp(list[i], w, n) == 0)
			return true;
	return false;
}

bool sc_netem_is_param(const char *param)
{
	return in(params, param, strlen(param));
}

/* "5%", "0.5%", "100%": a number from 0 to 100 followed by %. */
static int percent(const char *v)
{
	char *end;
	double d = strtod(v, &end);

	if (end == v || strcmp(end, "%") != 0 || d < 0 || d > 100 || (v[0] < '0' || v[0] > '9'))
		return -EINVAL;
	return 0;
}

/* "10mbit", "500kbit", "1gbit", "8000bit", "1mbps": what tc accepts. */
static int rate(const char *v)
{
	static const char *const units[] = {"bit", "kbit", "mbit", "gbit", "bps", "kbps", "mbps",
					    "gbps", NULL};
	char *end;
	unsigned long long n = strtoull(v, &end, 10);

	if (end == v || n == 0 || (v[0] < '0' || v[0] > '9'))
		return -EINVAL;
	return in(units, end, strlen(end)) ? 0 : -EINVAL;
}

int sc_netem_check_value(const char *param, const char *value)
{
	uint64_t v;

	if (!strcmp(param, "loss") || !strcmp(param, "reorder") || !strcmp(param, "duplicate") ||
	    !strcmp(param, "corrupt"))
		return percent(value);
	if (!strcmp(param, "delay"))
		return sc_str_duration(value, 60ull * 1000000000, &v);
	if (!strcmp(param, "rate"))
		return rate(value);
	if (!strcmp(param, "limit"))
		return sc_str_u64(value, 1, 1000000, &v);
	return -EINVAL;
}

int sc_netem_set(char *args, size_t cap, const char *param, const char *value)
{
	char out[1024], copy[1024], *save = NULL;
	size_t used = 0;
	bool skipping = false;
	int n;

	if (!sc_netem_is_param(param))
		return -EINVAL;
	if (strlen(args) >= sizeof(copy))
		return -ENOSPC;
	memcpy(copy, args, strlen(args) + 1);
	out[0] = '\0';
	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (in(keywords, w, strlen(w)))
			skipping = strcmp(w, param) == 0;
		if (skipping)
			continue;
		n = snprintf(out + used, sizeof(out) - used, "%s%s", used ? " " : "", w);
		if (n < 0 || (size_t)n >= sizeof(out) - used)
			return -ENOSPC;
		used += (size_t)n;
	}
	n = snprintf(out + used, sizeof(out) - used, "%s%s %s", used ? " " : "", param, value);
	if (n < 0 || (size_t)n >= sizeof(out) - used || used + (size_t)n >= cap)
		return -ENOSPC;
	memcpy(args, out, used + (size_t)n + 1);
	return 0;
}

int sc_netem_tc_argv(const char *dev, const char *args, char **argv, size_t max,
		     char *store, size_t storelen)
{
	static const char *const head[] = {"tc", "qdisc", "replace", "dev", NULL, "root", "netem"};
	size_t k = 0, used = 0;

	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++) {
		const char *w = head[i] ? head[i] : dev;
		size_t len = strlen(w) + 1;

		if (k + 1 >= max || used + len > storelen)
			return -ENOSPC;
		memcpy(store + used, w, len);
		argv[k++] = store + used;
		used += len;
	}
	for (const char *p = args; *p;) {
		size_t len;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		len = strcspn(p, " \t");
		if (k + 1 >= max || used + len + 1 > storelen)
			return -ENOSPC;
		memcpy(store + used, p, len);
		store[used + len] = '\0';
		argv[k++] = store + used;
		used += len + 1;
		p += len;
	}
	argv[k] = NULL;
	return (int)k;
}
