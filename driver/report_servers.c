/* report_servers.c - the servers mode's table (sc_report_table hands it
 * over): per server model and number of clients, requests/s, latency and
 * what the server's process tree used. */
#include <stdio.h>

#include "aggregate.h"
#include "report.h"

void sc__report_servers(FILE *f, const struct sc_experiment *e, const struct sc_rows *r, bool markdown)
{
	static const char *const head[] = {"server", "clients", "req/s", "p50 us", "p99 us", "served",
					   "procs", "zombies", "threads", "fds", "left"};
#define FMT(md) (md ? "| %-12s | %7s | %8s | %8s | %9s | %6s | %5s | %7s | %7s | %5s | %4s |\n" \
		    : "%-12s %7s %8s %8s %9s %6s %5s %7s %7s %5s %4s\n")

	fprintf(f, FMT(markdown), head[0], head[1], head[2], head[3], head[4], head[5], head[6], head[7], head[8], head[9],
		head[10]);
	if (markdown)
		fprintf(f, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (size_t i = 0; i < r->n; i++) {
		const struct sc_row *w = &r->v[i];
		char v[10][24];

		if (w->trial != 1 && !w->status)
			continue;
		if (w->status) {
			fprintf(f, markdown ? "| %-12s | %7llu | failed: %s |\n" : "%-12s %7llu failed: %s\n",
				w->srv.model, (unsigned long long)w->srv.clients, w->error);
			continue;
		}
		snprintf(v[0], sizeof(v[0]), "%llu", (unsigned long long)w->srv.clients);
		snprintf(v[1], sizeof(v[1]), "%.0f", sc_measure_of(w, SC_M_RT_PER_S));
		snprintf(v[2], sizeof(v[2]), "%.1f", sc_measure_of(w, SC_M_LAT_P50_US));
		snprintf(v[3], sizeof(v[3]), "%.1f", sc_measure_of(w, SC_M_LAT_P99_US));
		snprintf(v[4], sizeof(v[4]), "%llu", (unsigned long long)w->srv.clients_served);
		snprintf(v[5], sizeof(v[5]), "%llu", (unsigned long long)w->srv.procs_max);
		snprintf(v[6], sizeof(v[6]), "%llu", (unsigned long long)w->srv.zombies_max);
		snprintf(v[7], sizeof(v[7]), "%llu", (unsigned long long)w->srv.threads_max);
		snprintf(v[8], sizeof(v[8]), "%llu", (unsigned long long)w->srv.fds_max);
		snprintf(v[9], sizeof(v[9]), "%llu", (unsigned long long)w->srv.left);
		fprintf(f, FMT(markdown), w->srv.model, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
	}
	fprintf(f, "%sserved: clients answered at least once; procs (zombies among them), threads, fds: the most "
		   "the server's process tree had at once, sampled from /proc every 20 ms; left: its processes "
		   "alive after it was ended (trial 1 of each point, and every failed one; every trial is in "
		   "%s.csv)\n", markdown ? "\n" : "", e->name);
#undef FMT
}
