/* report.c - side-by-side tables of an experiment's rows, the warnings
 * that go with them, and the NAME-SUMMARY.md of a single run. */
#include "report.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outfile.h"

const char *sc_report_boundaries(const struct sc_row *w)
{
	if (w->truncated)
		return "truncated";
	return w->boundaries_kept ? "kept" : "not kept";
}

/* The largest trial number among the rows. */
static unsigned trials(const struct sc_rows *r)
{
	unsigned m = 0;

	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].trial > m)
			m = r->v[i].trial;
	return m;
}

void sc_report_table(FILE *f, const struct sc_experiment *e, const struct sc_rows *r, bool markdown)
{
	if (!strcmp(e->mode, "servers")) {
		sc__report_servers(f, e, r, markdown);
		return;
	}
/* The swept parameter's column only when there is one (no empty,
 * unnamed column in SUMMARY.md). */
#define ROW(f, md, tr, val, ...)                                                                  \
	do {                                                                                      \
		fprintf(f, md ? "| %-14s " : "%-14s ", tr);                                       \
		if (e->sweep.n)                                                                   \
			fprintf(f, md ? "| %-8s " : "%-8s ", val);                                \
		fprintf(f, md ? "| %6s | %5s | %6s | %-26s | %-10s | %5s | %4s | %5s | %9s | %9s |\n" \
			      : "%6s %5s %6s %-26s %-10s %5s %4s %5s %9s %9s\n",                 \
			__VA_ARGS__);                                                             \
	} while (0)
	char swept[SC_VALUE_MAX + 8];
	unsigned ntrials = trials(r);
	size_t failed_later = 0;

	snprintf(swept, sizeof(swept), "%s", e->sweep.n ? e->sweep.param : "");
	ROW(f, markdown, "transport", swept, "writes", "reads", "bytes", "read sizes (bytes)",
		"boundaries", "lost", "dup", "reord", "link drop", "host drop");
	if (markdown)
		fprintf(f, "%s|---:|---:|---:|---|---|---:|---:|---:|---:|---:|\n", e->sweep.n ? "|---|---" : "|---");
	for (size_t i = 0; i < r->n; i++) {
		const struct sc_row *w = &r->v[i];
		char sizes[sizeof(w->read_sizes)], writes[24], reads[24], bytes[24], lost[24], dup[24],
			reord[24], link[24], host[24], name[40];

		/* Trial 1 of every point, and every failed trial whichever
		 * it was (a failure must not hide behind trial 1). */
		if (w->trial != 1 && !w->status)
			continue;
		snprintf(name, sizeof(name), w->trial == 1 ? "%s" : "%s #%u", w->transport, w->trial);
		if (w->status) {
			failed_later += w->trial != 1;
			if (e->sweep.n)
				fprintf(f, markdown ? "| %-14s | %-8s | failed: %s |\n" : "%-14s %-8s failed: %s\n",
					name, w->value, w->error);
			else
				fprintf(f, markdown ? "| %-14s | failed: %s |\n" : "%-14s failed: %s\n", name,
					w->error);
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
		if (w->has_link_stats)
			snprintf(link, sizeof(link), "%llu", (unsigned long long)w->link_dropped);
		else
			snprintf(link, sizeof(link), "-");
		snprintf(host, sizeof(host), "%llu", (unsigned long long)w->rxq_drops);
		ROW(f, markdown, name, w->value, writes, reads, bytes, sizes, sc_report_boundaries(w), lost,
		    dup, reord, link, host);
	}
	if (ntrials > 1)
		fprintf(f, "%s(trial 1 of %u of each %s shown%s; every trial is in %s.csv, means and "
			   "confidence intervals in %s-aggregate.csv)\n",
			markdown ? "\n" : "", ntrials, e->sweep.n ? "point" : "transport",
			failed_later ? ", and every failed one as TRANSPORT #TRIAL" : "", e->name, e->name);
	fprintf(f, "%slink drop: packets the link (netem) dropped; host drop: datagrams the receiving "
		   "socket's full buffer dropped (SO_RXQ_OVFL)\n", markdown ? "\n" : "");
#undef ROW
}

void sc_report_notes(FILE *f, const struct sc_rows *r, const struct sc_load *l, bool markdown)
{
	char text[1024];

	if (sc_losses_warning(text, sizeof(text), r))
		fprintf(f, markdown ? "\n> **Warning:** %s.\n" : "sockcmp: warning: %s.\n", text);
	if (sc_losses_latency_note(text, sizeof(text), r, l))
		fprintf(f, markdown ? "\n> **Note:** %s.\n" : "sockcmp: note: %s.\n", text);
}

void sc_report_load(struct sc_load *l, bool after)
{
	double v;

	if (!after) {
		memset(l, 0, sizeof(*l));
		l->ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		l->known = sc_load_read(&v) == 0;
		l->before = v;
		return;
	}
	if (l->known && sc_load_read(&v) == 0)
		l->after = v;
	else
		l->known = false;
}

/* NAME-SUMMARY.md's text. */
struct summary_ctx {
	const struct sc_experiment *e;
	const struct sc_rows *r;
	const struct sc_load *l;
};

static void summary_fn(FILE *f, void *ctx)
{
	const struct summary_ctx *x = ctx;
	const struct sc_experiment *e = x->e;
	const struct sc_rows *r = x->r;
	char text[1200];

	fprintf(f, "# %s\n\n", e->name);
	if (e->title[0])
		fprintf(f, "%s\n\n", e->title);
	fprintf(f, "Generated by `sockcmp run %s`. The numbers are in %s.csv beside this file (columns "
		   "in the project's README).\n", e->name, e->name);
	sc_report_notes(f, r, x->l, true);
	fprintf(f, "\n");
	sc_report_table(f, e, r, true);
	fprintf(f, "\n## Where the losses happened\n\n");
	for (size_t i = 0; i < r->n; i++) {
		const struct sc_row *w = &r->v[i];

		if (w->status || (w->trial != 1 && !w->rxq_drops))
			continue;
		text[0] = '\0';
		sc_losses_sentence(text, sizeof(text), w);
		if (w->value[0])
			fprintf(f, "- %s %s, trial %u: %s\n", e->sweep.param, w->value, w->trial, text);
		else
			fprintf(f, "- trial %u: %s\n", w->trial, text);
	}
	fprintf(f, "\nLink and host drops are counted in packets and include the sender's end markers, "
		   "so together they can exceed `lost` by a few.\n");
}

int sc_report_summary(const char *dir, const struct sc_experiment *e, const struct sc_rows *r,
		      const struct sc_load *l)
{
	struct summary_ctx x = {e, r, l};
	char path[PATH_MAX];

	/* NAME-SUMMARY.md, not SUMMARY.md: runs share folders (the
	 * lecture's, whose SUMMARY.md is the lecture's sheet). Written whole
	 * or not at all, like every result file. */
	if (snprintf(path, sizeof(path), "%s/%s-SUMMARY.md", dir, e->name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	return sc_outfile_write(path, summary_fn, &x);
}
