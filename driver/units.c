/* units.c - swept values in one unit per parameter. */
#include "units.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "netem.h"
#include "num.h"

enum kind { K_NONE, K_DURATION, K_SIZE, K_COUNT, K_PCT, K_RATE, K_PACKETS, K_CLIENTS };

static const struct {
	const char *param;
	enum kind kind;
} params[] = {
	{"after", K_DURATION}, {"every", K_DURATION}, {"pace", K_DURATION}, {"delay", K_DURATION},
	{"jitter", K_DURATION}, {"timeout", K_DURATION}, {"size", K_SIZE}, {"read", K_SIZE},
	{"rcvbuf", K_SIZE}, {"sndbuf", K_SIZE}, {"count", K_COUNT}, {"loss", K_PCT},
	{"reorder", K_PCT}, {"duplicate", K_PCT}, {"corrupt", K_PCT}, {"rate", K_RATE},
	{"limit", K_PACKETS}, {"clients", K_CLIENTS},
};

static const char *const units[] = {"", "ns", "bytes", "msgs", "pct", "bit/s", "packets", "clients"};

static enum kind kind_of(const char *param)
{
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		if (!strcmp(param, params[i].param))
			return params[i].kind;
	return K_NONE;
}

const char *sc_sweep_unit(const char *param)
{
	return units[kind_of(param)];
}

/* netem's rate units (tc(8)): bit, kbit, mbit, gbit, tbit, bps (bytes),
 * kbps, ..., and the IEC kibit/mibit forms. Multiplier to bit/s, 0 if
 * unknown. */
static double rate_scale(const char *u)
{
	static const struct {
		const char *u;
		double m;
	} t[] = {
		{"", 1}, {"bit", 1}, {"kbit", 1e3}, {"mbit", 1e6}, {"gbit", 1e9}, {"tbit", 1e12},
		{"bps", 8}, {"kbps", 8e3}, {"mbps", 8e6}, {"gbps", 8e9}, {"tbps", 8e12},
		{"kibit", 1024.0}, {"mibit", 1048576.0}, {"gibit", 1073741824.0},
		{"kibps", 8 * 1024.0}, {"mibps", 8 * 1048576.0}, {"gibps", 8 * 1073741824.0},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcasecmp(u, t[i].u))
			return t[i].m;
	return 0;
}

int sc_sweep_numeric(const char *param, const char *value, double *out)
{
	enum kind k = kind_of(param);
	char *end;
	double lead = strtod(value, &end);
	uint64_t v;

	*out = isfinite(lead) ? lead : 0;
	if (end == value)
		return -EINVAL;
	switch (k) {
	case K_DURATION:
		if (sc_str_duration(value, UINT64_MAX / 2, &v) == 0) {
			*out = (double)v;
			return 0;
		}
		/* a netem delay as tc reads it: "1.5ms", "10msec" */
		if (sc_netem_time(value, &v) == 0) {
			*out = (double)v;
			return 0;
		}
		return -EINVAL;
	case K_SIZE:
		if (sc_str_size(value, 0, UINT64_MAX / 2, &v) < 0)
			return -EINVAL;
		*out = (double)v;
		return 0;
	case K_PCT: return *end == '\0' || !strcmp(end, "%") ? 0 : -EINVAL;
	case K_RATE: {
		double m = rate_scale(end);

		if (!m)
			return -EINVAL;
		*out = lead * m;
		return 0;
	}
	default: return *end == '\0' ? 0 : -EINVAL;
	}
}

int sc_sweep_wants_log(const double *v, int n)
{
	double lo = 0, hi = 0;

	for (int i = 0; i < n; i++) {
		if (v[i] > 0 && (lo == 0 || v[i] < lo))
			lo = v[i];
		if (v[i] > hi)
			hi = v[i];
	}
	return lo > 0 && hi >= 100 * lo;
}

void sc_sweep_axis(const char *param, const double *v, int n, double *scale, char *unit, size_t len)
{
	static const struct {
		enum kind kind;
		double at;
		const char *unit;
	} steps[] = {
		/* largest first: the first step the top value reaches */
		{K_DURATION, 1e9, "s"}, {K_DURATION, 1e6, "ms"}, {K_DURATION, 1e3, "us"}, {K_DURATION, 0, "ns"},
		{K_SIZE, 1073741824.0, "GiB"}, {K_SIZE, 1048576.0, "MiB"}, {K_SIZE, 1024.0, "KiB"},
		{K_SIZE, 0, "bytes"}, {K_RATE, 1e9, "Gbit/s"}, {K_RATE, 1e6, "Mbit/s"}, {K_RATE, 1e3, "kbit/s"},
		{K_RATE, 0, "bit/s"}, {K_PCT, 0, "%"}, {K_COUNT, 0, "messages"}, {K_PACKETS, 0, "packets"},
	};
	enum kind k = kind_of(param);
	double top = 0;

	for (int i = 0; i < n; i++)
		top = v[i] > top ? v[i] : top;
	*scale = 1;
	snprintf(unit, len, "%s", "");
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i].kind == k && top >= steps[i].at) {
			*scale = steps[i].at > 0 ? steps[i].at : 1;
			snprintf(unit, len, "%s", steps[i].unit);
			return;
		}
}
