/* plot.c - runs gnuplot on the scripts in plots/ with -e settings. */
#include "plot.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aggregate.h"
#include "clock.h"
#include "csv.h"
#include "netem.h"
#include "paths.h"
#include "spawn.h"
#include "stats.h"
#include "units.h"

/* gnuplot strings are single-quoted: drop quotes from free text. */
static void gp_text(char *dst, size_t len, const char *src)
{
	size_t j = 0;

	for (size_t i = 0; src[i] && j + 1 < len; i++)
		dst[j++] = src[i] == '\'' ? '`' : src[i];
	dst[j] = '\0';
}

static int gnuplot(const char *script, const char *settings)
{
	char path[4096], gp[32] = "/usr/bin/gnuplot";
	char *argv[] = {gp, "-e", (char *)settings, path, NULL};
	struct sc_child c;
	static int warned;
	int r;

	if (access(gp, X_OK) != 0) {
		if (!warned++)
			fprintf(stderr, "sockcmp: gnuplot not found, so no charts (install gnuplot-nox; "
					"the README's set-up does)\n");
		return -ENOENT;
	}
	snprintf(path, sizeof(path), "%s/%s", sc_plots_dir(), script);
	r = sc_spawn(&c, argv, 0, NULL, NULL);
	if (r < 0)
		return r;
	if (sc_child_wait(&c, 1, sc_mono_ns() + 60 * SC_NS_PER_S, NULL) < 0) {
		sc_child_end(&c, 1, 100 * SC_NS_PER_MS);
		return -EIO;
	}
	return sc_child_code(&c) == 0 ? 0 : -EIO;
}

/* Writes DIR/NAME-latency-cdf.csv: for each transport, the sorted one-way
 * latencies of trial 1's first copies (at sweep point `value` if the
 * experiment is swept) and the fraction of messages at or below each.
 * Returns 0 or -errno. */
static int latency_cdf(const struct sc_experiment *e, const char *dir, const char *value)
{
	char path[4096], *text = NULL, *p, *rec, *f[16];
	struct sc_csv c;
	int64_t *v = NULL;
	size_t len = 0;
	int r;

	snprintf(path, sizeof(path), "%s/%s-messages.csv", dir, e->name);
	r = sc_read_file(path, &text, &len);
	if (r < 0)
		return r;
	v = malloc((len / 16 + 1) * sizeof(*v));
	snprintf(path, sizeof(path), "%s/%s-latency-cdf.csv", dir, e->name);
	if (!v || (r = sc_csv_open(&c, path)) < 0) {
		free(text);
		free(v);
		return v ? r : -ENOMEM;
	}
	sc_csv_field(&c, "transport");
	sc_csv_field(&c, "latency_ms");
	sc_csv_field(&c, "fraction");
	sc_csv_field(&c, "latency_ns"); /* the one unit of times in every file */
	sc_csv_end_row(&c);
	for (size_t t = 0; t < e->ntransports; t++) {
		int sw = e->sweep.n ? 1 : 0;
		size_t n = 0;
		char *copy;

		copy = strdup(text);
		if (!copy)
			break;
		p = copy;
		sc_next_record(&p);
		/* experiment, transport, trial, [value], seq, t_ns, latency_ns, len, kind */
		while ((rec = sc_next_record(&p)))
			if (sc_csv_split(rec, f, 16) >= 8 + sw && !strcmp(f[1], e->transports[t]->name) &&
			    !strcmp(f[2], "1") && (!sw || !strcmp(f[3], value)) &&
			    (!strcmp(f[7 + sw], "new") || !strcmp(f[7 + sw], "reordered")))
				v[n++] = strtoll(f[5 + sw], NULL, 10);
		free(copy);
		sc_sort_i64(v, n);
		for (size_t i = 0; i < n; i++) {
			sc_csv_field(&c, e->transports[t]->name);
			sc_csv_f64(&c, (double)v[i] / 1e6, 4);
			sc_csv_f64(&c, (double)(i + 1) / (double)n, 5);
			sc_csv_i64(&c, v[i]);
			sc_csv_end_row(&c);
		}
	}
	free(text);
	free(v);
	return sc_csv_commit(&c);
}

/* One chart of the aggregate file against the swept parameter: x from
 * the x_UNIT column (one unit, units.h), shown in a unit fit for its
 * largest value, on a log axis when the values span decades. */
static int sweep_chart(const struct sc_experiment *e, const char *dir, const char *title,
		       const char *tr, const char *measure, const char *ylabel, int ideal)
{
	const char *u = sc_sweep_unit(e->sweep.param);
	double v[SC_MAX_SWEEP], scale;
	char set[8192], xl[128], shown[16];

	for (size_t i = 0; i < e->sweep.n; i++)
		sc_sweep_numeric(e->sweep.param, e->sweep.values[i], &v[i]);
	sc_sweep_axis(e->sweep.param, v, (int)e->sweep.n, &scale, shown, sizeof(shown));
	snprintf(xl, sizeof(xl), "%s%s%s%s%s", e->sweep.param, shown[0] ? " (" : "", shown, shown[0] ? ")" : "",
		 sc_netem_is_param(e->sweep.param) ? ", netem setting" : "");
	snprintf(set, sizeof(set),
		 "agg='%s/%s-aggregate.csv'; out='%s/%s-%s'; measure='%s'; ylabel='%s'; xlabel='%s'; "
		 "ideal=%d; claim='%s'; transports='%s'; xcol='x_%s'; xscale=%.17g; logx=%d",
		 dir, e->name, dir, e->name, measure, measure, ylabel, xl, ideal, title, tr, u[0] ? u : "num",
		 scale, sc_sweep_wants_log(v, (int)e->sweep.n));
	return gnuplot("sweep.gp", set);
}

int sc_plot_experiment(const struct sc_experiment *e, const char *dir)
{
	char set[8192], title[SC_TEXT_MAX], tr[256] = "", value[2 * SC_VALUE_MAX + 32] = "";
	size_t used = 0;
	int r = 0;

	for (size_t i = 0; i < e->ntransports; i++)
		used += (size_t)snprintf(tr + used, sizeof(tr) - used, "%s%s", i ? " " : "",
					 e->transports[i]->name);
	gp_text(title, sizeof(title), e->title[0] ? e->title : e->name);
	if (!e->link[0] && !e->sweep.n) {
		snprintf(set, sizeof(set), "events='%s/%s-events.csv'; out='%s/%s'; claim='%s'; transports='%s'",
			 dir, e->name, dir, e->name, title, tr);
		return gnuplot("boundaries.gp", set);
	}
	if (e->sweep.n) {
		const char *p = e->sweep.param;

		if (!strcmp(p, "loss")) {
			r |= sweep_chart(e, dir, title, tr, "delivered_pct", "messages delivered (%)", 1);
			r |= sweep_chart(e, dir, title, tr, "duration_ms", "first write to last read (ms)", 0);
			r |= sweep_chart(e, dir, title, tr, "tcp_retrans", "TCP retransmissions", 0);
		} else if (!strcmp(p, "duplicate")) {
			r |= sweep_chart(e, dir, title, tr, "duplicated", "duplicates received", 0);
		} else if (!strcmp(p, "reorder")) {
			r |= sweep_chart(e, dir, title, tr, "reordered", "messages reordered (RFC 4737)", 0);
		} else if (!strcmp(p, "delay")) {
			r |= sweep_chart(e, dir, title, tr, "lat_p50_ms", "median one-way latency (ms)", 0);
			r |= sweep_chart(e, dir, title, tr, "duration_ms", "first write to last read (ms)", 0);
		} else {
			r |= sweep_chart(e, dir, title, tr, "recv_calls", "receive calls", 0);
		}
		/* The per-message charts show the most impaired point. */
		snprintf(value, sizeof(value), "param='%s'; value='%s'; ", e->sweep.param,
			 e->sweep.values[e->sweep.n - 1]);
	}
	if (e->link[0] || (e->sweep.n && sc_netem_is_param(e->sweep.param))) {
		if (latency_cdf(e, dir, e->sweep.n ? e->sweep.values[e->sweep.n - 1] : "") == 0) {
			snprintf(set, sizeof(set), "cdf='%s/%s-latency-cdf.csv'; out='%s/%s-latency'; claim='%s'; transports='%s'",
				 dir, e->name, dir, e->name, title, tr);
			r |= gnuplot("latency-cdf.gp", set);
		}
		snprintf(set, sizeof(set), "%smsgs='%s/%s-messages.csv'; out='%s/%s-arrivals'; claim='%s'; transports='%s'",
			 value, dir, e->name, dir, e->name, title, tr);
		r |= gnuplot("arrivals.gp", set);
	}
	return r ? -EIO : 0;
}
