/* report.c - side-by-side tables of an experiment's rows. */
#include "report.h"

#include <string.h>

const char *sc_report_boundaries(const struct sc_row *w)
{
	if (w->truncated)
		return "truncated";
	return w->boundaries_kept ? "kept" : "not kept";
}

void sc_report_table(FILE *f, const struct sc_experiment *e, const struct sc_rows *r, bool markdown)
{
/* The swept parameter's column only when there is one (no empty,
 * unnamed column in SUMMARY.md). */
#define ROW(f, md, tr, val, ...)                                                                  \
	do {                                                                                      \
		fprintf(f, md ? "| %-14s " : "%-14s ", tr);                                       \
		if (e->sweep.n)                                                           \
			fprintf(f, md ? "| %-8s " : "%-8s ", val);                                \
		fprintf(f, md ? "| %6s | %5s | %6s | %-26s | %-10s | %5s | %4s | %5s |\n"        \
			      : "%6s %5s %6s %-26s %-10s %5s %4s %5s\n",                         \
			__VA_ARGS__);                                                             \
	} while (0)
	char swept[SC_VALUE_MAX + 8];

	snprintf(swept, sizeof(swept), "%s", e->sweep.n ? e->sweep.param : "");
	ROW(f, markdown, "transport", swept, "writes", "reads", "bytes", "read sizes (bytes)",
		"boundaries", "lost", "dup", "reord");
	if (markdown)
		fprintf(f, "%s|---:|---:|---:|---|---|---:|---:|---:|\n", e->sweep.n ? "|---|---" : "|---");
	for (size_t i = 0; i < r->n; i++) {
		const struct sc_row *w = &r->v[i];
		char sizes[sizeof(w->read_sizes)], writes[24], reads[24], bytes[24], lost[24], dup[24], reord[24];

		if (w->trial != 1)
			continue;
		if (w->status) {
			if (e->sweep.n)
				fprintf(f, markdown ? "| %-14s | %-8s | failed: %s |\n" : "%-14s %-8s failed: %s\n",
					w->transport, w->value, w->error);
			else
				fprintf(f, markdown ? "| %-14s | failed: %s |\n" : "%-14s failed: %s\n",
					w->transport, w->error);
			continue;
		}
		snprintf(sizes, sizeof(sizes), "%s", w->read_sizes);
		if (strlen(sizes) > 26)
			memcpy(sizes + 22, " ...", 5);
		snprintf(writes, sizeof(writes), "%llu", (unsigned long long)w->send_calls);
		snprintf(reads, sizeof(reads), "%llu", (unsigned long long)w->recv_calls);
		snprintf(bytes, sizeof(bytes), "%llu", (unsigned long long)w->recv_bytes);
		snprintf(lost, sizeof(lost), "%llu", (unsigned long long)w->lost);
		snprintf(dup, sizeof(dup), "%llu", (unsigned long long)w->duplicated);
		snprintf(reord, sizeof(reord), "%llu", (unsigned long long)w->reordered);
		ROW(f, markdown, w->transport, w->value, writes, reads, bytes,
			sizes,
			sc_report_boundaries(w), lost, dup, reord);
	}
}
