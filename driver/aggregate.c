/* aggregate.c - means and confidence intervals over repeated trials. */
#include "aggregate.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "mode.h"
#include "stats.h"
#include "units.h"

static const char *const names[SC_M_COUNT] = {
	"delivered_pct", "lost_pct", "duplicated", "reordered", "duration_ms", "tcp_retrans",
	"lat_p50_ms", "lat_p99_ms", "recv_calls",
	"recv_msgs_per_s", "recv_gbit_per_s", "sent_msgs_per_s", "sent_gbit_per_s",
	"round_trips_per_s", "lat_p50_us", "lat_p90_us", "lat_p99_us", "lat_p999_us", "lat_max_us",
	"us_per_round", "ports_in_use",
	"server_procs_max", "server_threads_max", "server_fds_max", "server_zombies_max",
};
/* The same measures' names with their unit, for NAME.json. */
static const char *const json_names[SC_M_COUNT] = {
	"delivered_pct", "lost_pct", "duplicated_msgs", "reordered_msgs", "duration_ms",
	"tcp_retrans_segments", "lat_p50_ms", "lat_p99_ms", "recv_calls",
};

/* count per second over [a, b] (ns), 0 for an empty span. */
static double per_s(double count, uint64_t a, uint64_t b)
{
	return b > a ? count * 1e9 / (double)(b - a) : 0;
}

double sc_measure_of(const struct sc_row *w, enum sc_measure m)
{
	double sent = w->sent_msgs ? (double)w->sent_msgs : 1;

	switch (m) {
	case SC_M_DELIVERED_PCT: return 100.0 * (double)(w->sent_msgs - w->lost) / sent;
	case SC_M_LOST_PCT: return 100.0 * (double)w->lost / sent;
	case SC_M_DUPLICATED: return (double)w->duplicated;
	case SC_M_REORDERED: return (double)w->reordered;
	case SC_M_DURATION_MS: {
		uint64_t d = w->last_recv_ns > w->first_send_ns ? w->last_recv_ns - w->first_send_ns : 0;

		return (double)d / 1e6;
	}
	case SC_M_RETRANS: return (double)w->tcp_retrans;
	case SC_M_LAT_P50_MS: return (double)w->lat_p50 / 1e6;
	case SC_M_LAT_P99_MS: return (double)w->lat_p99 / 1e6;
	case SC_M_RECV_CALLS: return (double)w->recv_calls;
	case SC_M_RECV_MPS: return per_s((double)w->recv_msgs, w->first_recv_ns, w->last_recv_ns);
	case SC_M_RECV_GBPS: return per_s((double)w->recv_bytes * 8e-9, w->first_recv_ns, w->last_recv_ns);
	case SC_M_SENT_MPS: return per_s((double)w->sent_msgs, w->first_send_ns, w->last_send_ns);
	case SC_M_SENT_GBPS: return per_s((double)w->sent_bytes * 8e-9, w->first_send_ns, w->last_send_ns);
	case SC_M_RT_PER_S: return per_s((double)w->round_trips, w->first_send_ns, w->last_send_ns);
	case SC_M_LAT_P50_US: return (double)w->lat_p50 / 1e3;
	case SC_M_LAT_P90_US: return (double)w->lat_p90 / 1e3;
	case SC_M_LAT_P99_US: return (double)w->lat_p99 / 1e3;
	case SC_M_LAT_P999_US: return (double)w->lat_p999 / 1e3;
	case SC_M_LAT_MAX_US: return (double)w->lat_max / 1e3;
	case SC_M_US_PER_CONN: {
		double rt = per_s((double)w->round_trips, w->first_send_ns, w->last_send_ns);

		return rt > 0 ? 1e6 / rt : 0;
	}
	case SC_M_PORTS_IN_USE: return (double)w->ports_in_use;
	case SC_M_SERVER_PROCS: return (double)w->srv.procs_max;
	case SC_M_SERVER_THREADS: return (double)w->srv.threads_max;
	case SC_M_SERVER_FDS: return (double)w->srv.fds_max;
	case SC_M_SERVER_ZOMBIES: return (double)w->srv.zombies_max;
	default: return 0;
	}
}

/* The number in a swept value as the script wrote it: "5%" -> 5, "10ms"
 * -> 10, "64k" -> 64 (the old column x; x_UNIT has it in one unit). */
static double numeric(const char *v)
{
	return strtod(v, NULL);
}

/* The ns column of a measure kept in ms, or NULL. */
static const char *ns_name(enum sc_measure m)
{
	switch (m) {
	case SC_M_DURATION_MS: return "duration_ns";
	case SC_M_LAT_P50_MS: return "lat_p50_ns";
	case SC_M_LAT_P99_MS: return "lat_p99_ns";
	default: return NULL;
	}
}

/* The swept value in its parameter's one unit (units.h). */
static double in_unit(const struct sc_experiment *e, size_t p)
{
	double v;

	sc_sweep_numeric(e->sweep.param, e->sweep.values[p], &v);
	return v;
}

static void header(struct sc_csv *c, const struct sc_experiment *e, const struct sc_mode *mode)
{
	sc_csv_field(c, "experiment");
	sc_csv_field(c, "transport");
	sc_csv_field(c, e->sweep.n ? e->sweep.param : "value");
	sc_csv_field(c, "x");
	sc_csv_field(c, "point");
	sc_csv_field(c, "trials");
	for (size_t k = 0; k < mode->nmeasures; k++) {
		char col[64];

		snprintf(col, sizeof(col), "%s_mean", names[mode->measures[k]]);
		sc_csv_field(c, col);
		snprintf(col, sizeof(col), "%s_ci95", names[mode->measures[k]]);
		sc_csv_field(c, col);
	}
	if (e->sweep.n) {
		char col[64];

		snprintf(col, sizeof(col), "x_%s", *sc_sweep_unit(e->sweep.param) ? sc_sweep_unit(e->sweep.param) : "num");
		sc_csv_field(c, col);
	}
	/* Times once more in ns, the one unit of every file (the _ms columns
	 * stay: columns are never dropped). */
	for (size_t k = 0; k < mode->nmeasures; k++) {
		char col[64];

		if (!ns_name(mode->measures[k]))
			continue;
		snprintf(col, sizeof(col), "%s_mean", ns_name(mode->measures[k]));
		sc_csv_field(c, col);
		snprintf(col, sizeof(col), "%s_ci95", ns_name(mode->measures[k]));
		sc_csv_field(c, col);
	}
	if (mode->servers)
		sc_csv_field(c, "server");
	sc_csv_end_row(c);
}

/* True if row w is a good trial of lane l at point p. */
static bool counts(const struct sc_row *w, const struct sc_lane *l, size_t p)
{
	return w->point == p && !w->status && !strcmp(w->transport, l->t->name) &&
	       (!l->server || !strcmp(w->srv.model, l->server));
}

/* One row: lane l at point p over its n good trials (x: scratch of r->n
 * doubles). */
static void point_row(struct sc_csv *c, const struct sc_experiment *e, const struct sc_mode *mode,
		      const struct sc_rows *r, const struct sc_lane *l, size_t p, size_t n, double *x)
{
	const char *tn = l->t->name;

	sc_csv_field(c, e->name);
	sc_csv_field(c, tn);
	sc_csv_field(c, e->sweep.n ? e->sweep.values[p] : "");
	sc_csv_f64(c, e->sweep.n ? numeric(e->sweep.values[p]) : 0, 3);
	sc_csv_u64(c, p + 1);
	sc_csv_u64(c, n);
	double ns[SC_M_COUNT][2];

	for (size_t q = 0; q < mode->nmeasures; q++) {
		double mean = 0, half = 0;
		size_t k = 0;

		for (size_t i = 0; i < r->n; i++)
			if (counts(&r->v[i], l, p))
				x[k++] = sc_measure_of(&r->v[i], mode->measures[q]);
		sc_mean_ci95(x, k, &mean, &half);
		sc_csv_f64(c, mean, 3);
		sc_csv_f64(c, half, 3);
		ns[q][0] = mean * 1e6;
		ns[q][1] = half * 1e6;
	}
	if (e->sweep.n)
		sc_csv_f64(c, in_unit(e, p), 3);
	for (size_t q = 0; q < mode->nmeasures; q++)
		if (ns_name(mode->measures[q])) {
			sc_csv_f64(c, ns[q][0], 0);
			sc_csv_f64(c, ns[q][1], 0);
		}
	if (mode->servers)
		sc_csv_field(c, l->server);
	sc_csv_end_row(c);
}

int sc_aggregate_write(const struct sc_experiment *e, const struct sc_rows *r, const char *path)
{
	const struct sc_mode *mode = sc_mode_of(e);
	struct sc_csv c;
	double *x = malloc((r->n ? r->n : 1) * sizeof(*x));
	struct sc_lane lanes[SC_MAX_LANES];
	size_t nl;
	int rc;

	if (!x)
		return -ENOMEM;
	rc = sc_csv_open(&c, path);
	if (rc < 0) {
		free(x);
		return rc;
	}
	header(&c, e, mode);
	nl = sc_mode_lanes(mode, e, lanes, SC_MAX_LANES);
	/* Lane by lane (transport, or server model), so each one's points
	 * are consecutive rows (gnuplot joins consecutive points only). */
	for (size_t t = 0; t < nl; t++)
		for (size_t p = 0; p < sc_experiment_points(e); p++) {
			size_t n = 0;

			for (size_t i = 0; i < r->n; i++)
				n += counts(&r->v[i], &lanes[t], p);
			if (n)
				point_row(&c, e, mode, r, &lanes[t], p, n, x);
		}
	free(x);
	return sc_csv_commit(&c);
}

int sc_aggregate_json(const struct sc_experiment *e, const struct sc_rows *r, struct sc_json *j)
{
	const struct sc_mode *mode = sc_mode_default();
	double *x = malloc((r->n ? r->n : 1) * sizeof(*x));
	const struct sc_mode *own = sc_mode_of(e);
	struct sc_lane lanes[SC_MAX_LANES];
	size_t nl = sc_mode_lanes(own ? own : mode, e, lanes, SC_MAX_LANES);

	if (!x)
		return -ENOMEM;
	sc_json_arr(j, "aggregates");
	for (size_t t = 0; t < nl; t++)
		for (size_t p = 0; p < sc_experiment_points(e); p++) {
			const struct sc_lane *l = &lanes[t];
			size_t n = 0;

			for (size_t i = 0; i < r->n; i++)
				n += counts(&r->v[i], l, p);
			if (!n)
				continue;
			sc_json_obj(j, NULL);
			sc_json_str(j, "transport", l->t->name);
			if (l->server)
				sc_json_str(j, "server", l->server);
			sc_json_u64(j, "point", p + 1);
			if (e->sweep.n) {
				sc_json_str(j, e->sweep.param, e->sweep.values[p]);
				sc_json_f64(j, "x", in_unit(e, p));
			}
			sc_json_u64(j, "trials", n);
			for (size_t q = 0; q < mode->nmeasures; q++) {
				double mean = 0, half = 0;
				char key[64];
				size_t k = 0;

				for (size_t i = 0; i < r->n; i++)
					if (counts(&r->v[i], l, p))
						x[k++] = sc_measure_of(&r->v[i], mode->measures[q]);
				sc_mean_ci95(x, k, &mean, &half);
				/* Rounded as the CSV file writes them. */
				snprintf(key, sizeof(key), "%s_mean", json_names[mode->measures[q]]);
				sc_json_f64(j, key, round(mean * 1e3) / 1e3);
				snprintf(key, sizeof(key), "%s_ci95", json_names[mode->measures[q]]);
				sc_json_f64(j, key, round(half * 1e3) / 1e3);
				if (ns_name(mode->measures[q])) {
					snprintf(key, sizeof(key), "%s_mean", ns_name(mode->measures[q]));
					sc_json_f64(j, key, round(mean * 1e6));
					snprintf(key, sizeof(key), "%s_ci95", ns_name(mode->measures[q]));
					sc_json_f64(j, key, round(half * 1e6));
				}
			}
			sc_json_end(j);
		}
	sc_json_end(j);
	free(x);
	return 0;
}
