/* lecture.c - the lecture's claims about streams and datagrams, each
 * checked against a measurement. Every sentence of the verdicts is built
 * from the rows just measured; nothing here is a stored result. */
#include "lecture.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "csv.h"
#include "dispatch.h"
#include "outfile.h"
#include "paths.h"
#include "plot.h"
#include "losses.h"
#include "probe.h"
#include "report.h"
#include "revision.h"
#include "spawn.h"

static const char *const shipped[] = {"boundaries", "boundaries-now", "waitall", "truncation",
				      "overflow", "reliability"};
#define NSHIPPED (sizeof(shipped) / sizeof(shipped[0]))

struct done {
	struct sc_experiment e;
	struct sc_rows rows;
	struct sc_load load; /* the host's, around this experiment */
	int r;
};

static bool is_stream(const struct sc_row *w)
{
	const struct sc_transport *t = sc_transport_find(w->transport);

	return t && t->bytestream;
}

/* Appends "tcp 1 read (2560)" style evidence for the rows of one kind. */
static void evidence(char *buf, size_t len, const struct sc_rows *r, bool streams)
{
	size_t used = strlen(buf);

	for (size_t i = 0; i < r->n; i++) {
		const struct sc_row *w = &r->v[i];
		int n;

		if (w->trial != 1 || is_stream(w) != streams || w->status)
			continue;
		if (w->link[0] || w->lost || w->duplicated || w->reordered)
			n = snprintf(buf + used, len - used,
				     "%s%s: %llu of %llu received, lost %llu, duplicated %llu, reordered %llu%s%s",
				     used ? "; " : "", w->transport, (unsigned long long)w->unique_msgs,
				     (unsigned long long)w->sent_msgs, (unsigned long long)w->lost,
				     (unsigned long long)w->duplicated, (unsigned long long)w->reordered,
				     w->has_retrans ? ", TCP retransmissions " : "", "");
		else
			n = snprintf(buf + used, len - used, "%s%s: %llu read%s (%s)", used ? "; " : "",
				     w->transport, (unsigned long long)w->recv_calls, w->recv_calls == 1 ? "" : "s",
				     w->read_sizes);
		if (n > 0 && (size_t)n < len - used && w->has_retrans && w->link[0]) {
			used += (size_t)n;
			n = snprintf(buf + used, len - used, "%llu", (unsigned long long)w->tcp_retrans);
		}
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += (size_t)n;
	}
}

/* Some trial of the given kind (that ran) satisfies pred. */
static bool some(const struct sc_rows *r, bool streams, bool (*pred)(const struct sc_row *))
{
	for (size_t i = 0; i < r->n; i++)
		if (is_stream(&r->v[i]) == streams && !r->v[i].status && pred(&r->v[i]))
			return true;
	return false;
}

/* Every finished trial of the given kind satisfies pred, and one did
 * finish. A failed trial is no evidence either way: it neither holds nor
 * breaks a claim (it used to break every one, and so turn into a
 * verdict). */
static bool all(const struct sc_rows *r, bool streams, bool (*pred)(const struct sc_row *))
{
	bool any = false;

	for (size_t i = 0; i < r->n; i++)
		if (is_stream(&r->v[i]) == streams && !r->v[i].status) {
			if (!pred(&r->v[i]))
				return false;
			any = true;
		}
	return any;
}

static bool ran(const struct sc_row *w)
{
	(void)w;
	return true; /* some() has already left out the failed trials */
}
static bool one_read_all(const struct sc_row *w)
{
	return w->recv_calls == 1 && w->recv_bytes == w->sent_bytes && !w->lost && !w->reordered;
}
static bool one_per_msg(const struct sc_row *w)
{
	return w->recv_calls == w->sent_msgs && w->boundaries_kept && !w->lost && !w->duplicated &&
	       !w->reordered;
}
static bool several_reads(const struct sc_row *w)
{
	return w->recv_calls > 1 && w->recv_bytes == w->sent_bytes;
}
static bool rest_next_read(const struct sc_row *w)
{
	return w->recv_bytes == w->sent_bytes && w->recv_calls >= 2 && !w->truncated;
}
static bool truncated(const struct sc_row *w)
{
	return w->truncated == 1 && w->recv_bytes < w->sent_bytes;
}
static bool nothing_lost(const struct sc_row *w)
{
	return w->lost == 0 && w->recv_msgs == w->sent_msgs;
}
static bool intact(const struct sc_row *w)
{
	return !w->lost && !w->duplicated && !w->reordered && !w->corrupted && w->recv_msgs == w->sent_msgs;
}

struct claim {
	const char *exp;       /* experiment it is checked against */
	const char *lecture;   /* what the lecture says */
	bool streams;          /* which rows */
	bool (*holds)(const struct sc_row *);
	const char *yes;       /* verdict if it holds */
	const char *no;        /* verdict if not */
	/* Holds if one trial shows it (a counterexample to the lecture is
	 * enough), not only if all do: timing-dependent experiments. */
	bool any;
};

static const struct claim claims[] = {
	{"boundaries", "stream: the receiver gets all the requested bytes in the correct order", true,
	 one_read_all, "confirmed", "not reproduced", false},
	{"boundaries", "datagram: only 512 bytes is returned - four other calls will be needed", false,
	 one_per_msg, "confirmed", "not reproduced", false},
	{"boundaries-now", "stream: the receiver gets all the requested bytes (read as soon as data arrives)",
	 true, several_reads,
	 "too simple: it holds only if all the writes have arrived before the read; a reader that is "
	 "already waiting gets the bytes as they come (in some or all trials: see read-patterns for 20)",
	 "held in every trial here (the writes arrived together each time)", true},
	{"boundaries-now", "datagram: one message per call, whatever the timing", false, one_per_msg,
	 "confirmed", "not reproduced", false},
	{"waitall", "(not in the lecture) MSG_WAITALL makes a stream read wait for all 2560 bytes", true,
	 one_read_all, "confirmed", "not reproduced", false},
	{"waitall", "(not in the lecture) MSG_WAITALL does not merge datagrams", false, one_per_msg,
	 "confirmed", "not reproduced", false},
	{"truncation", "(not in the lecture) stream: a message longer than the read arrives over several reads",
	 true, rest_next_read, "confirmed", "not reproduced", false},
	{"truncation", "(not in the lecture) datagram: a message longer than the read is cut, the rest discarded",
	 false, truncated, "confirmed", "not reproduced", false},
	{"reliability", "stream sockets: no data will be lost, replicated or arrive out of sequence", true,
	 intact, "confirmed: TCP delivered every message once and in order, paying in retransmissions and time",
	 "not reproduced", false},
	{"reliability", "datagram sockets (UDP) make no such warranties", false, intact,
	 "not reproduced: nothing went wrong on this link", NULL /* split_verdict() */, false},
	{"overflow", "datagram sockets make no warranties (no data lost...)", false, nothing_lost,
	 "not reproduced: nothing was lost by any datagram transport", NULL /* split_verdict() */, false},
};

/* A verdict for a claim that holds for some transports of its kind and
 * not others: which lost what, from the rows themselves, each loss put
 * where it happened (the link, or the receiving host's socket buffer). */
static void split_verdict(char *buf, size_t len, const struct sc_rows *r, bool streams)
{
	bool link = r->n && r->v[0].link[0];
	struct sc_host_drops h;
	size_t used = (size_t)snprintf(buf, len, link ? "confirmed, on one impaired link:"
						     : "too simple, on loopback:");

	for (size_t i = 0; i < r->n && used < len; i++) {
		const struct sc_row *w = &r->v[i];

		if (w->trial != 1 || is_stream(w) != streams || w->status)
			continue;
		used += (size_t)snprintf(buf + used, len - used, " ");
		used = sc_losses_sentence(buf, len, w);
		if (used < len && (w->duplicated || w->reordered))
			used += (size_t)snprintf(buf + used, len - used, ", duplicated %llu, reordered %llu",
						 (unsigned long long)w->duplicated,
						 (unsigned long long)w->reordered);
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, ";");
	}
	if (used < len)
		used += (size_t)snprintf(buf + used, len - used, "%s", link
			 ? " and the application was told none of it"
			 : " AF_UNIX datagram sockets are flow-controlled: a full receiver makes the sender wait");
	sc_losses_host(r, &h);
	if (used < len && link && h.drops)
		snprintf(buf + used, len - used, ". WARNING: the receiving host, not the link, dropped %llu "
			 "of these: only the link's count is the link's loss",
			 (unsigned long long)h.drops);
}

static const char *verdict(const struct claim *c, const struct sc_rows *r, char *buf, size_t len)
{
	if (!some(r, c->streams, ran))
		return "not measured: no trial of this kind finished";
	if (c->any ? some(r, c->streams, c->holds) : all(r, c->streams, c->holds))
		return c->yes;
	if (c->no)
		return c->no;
	split_verdict(buf, len, r, c->streams);
	return buf;
}

static void sheet(FILE *f, struct done *d, const char *base_dir)
{
	fprintf(f, "# Streams vs datagrams: the lecture's claims, measured\n\n"
		   "Generated by `sockcmp lecture` on this machine (loopback, and two network namespaces "
		   "joined by an impaired veth link for `reliability`). Every verdict below is "
		   "computed from the measurements in the CSV files beside this sheet.\n\n"
		   "| lecture's claim | experiment | verdict | evidence (trial 1) |\n|---|---|---|---|\n");
	for (size_t i = 0; i < sizeof(claims) / sizeof(claims[0]); i++) {
		const struct claim *c = &claims[i];
		char ev[1024] = "", vb[512];

		for (size_t k = 0; k < NSHIPPED; k++) {
			if (strcmp(shipped[k], c->exp) || d[k].r == -EINVAL)
				continue;
			evidence(ev, sizeof(ev), &d[k].rows, c->streams);
			fprintf(f, "| %s | %s | %s | %s |\n", c->lecture, c->exp,
				verdict(c, &d[k].rows, vb, sizeof(vb)), ev);
		}
	}
	fprintf(f, "\nThe measurements, transport by transport:\n");
	for (size_t k = 0; k < NSHIPPED; k++) {
		if (d[k].r == -EINVAL)
			continue;
		fprintf(f, "\n## %s\n\n%s\n\n", d[k].e.name, d[k].e.title);
		sc_revision_chart_links(f, base_dir, d[k].e.name);
		sc_report_notes(f, &d[k].rows, &d[k].load, true);
		fprintf(f, "\n");
		sc_report_table(f, &d[k].e, &d[k].rows, true);
	}
	fprintf(f, "\nColumns are explained in the project's README (\"CSV columns\").\n");
}

/* SUMMARY.md: the lecture's sheet, then the probes' verdicts. */
struct summary_file {
	struct done *d;
	const struct sc_probe_results *probes;
	const char *dir;
};

static void summary_fn(FILE *f, void *ctx)
{
	const struct summary_file *x = ctx;

	sheet(f, x->d, x->dir);
	sc_probes_summary(f, x->probes, x->dir);
}

/* The verdicts alone, one per line, for the terminal. */
static void verdicts(FILE *f, struct done *d)
{
	char vb[512];

	for (size_t i = 0; i < sizeof(claims) / sizeof(claims[0]); i++) {
		const struct claim *c = &claims[i];

		for (size_t k = 0; k < NSHIPPED; k++)
			if (!strcmp(shipped[k], c->exp) && d[k].r != -EINVAL && d[k].rows.n)
				fprintf(f, "  - %s [%s]\n      %s\n", c->lecture, c->exp,
					verdict(c, &d[k].rows, vb, sizeof(vb)));
	}
}

int sc_lecture(struct sc_run_opts *base, bool plots, enum sc_kernel kernel)
{
	struct done d[NSHIPPED];
	static struct sc_probe_results probes; /* the built-in probes' verdicts (probe.h) */
	struct sc_child probe_run = {.pid = 0};
	uint64_t t0 = sc_mono_ns();
	int64_t started = (int64_t)time(NULL); /* the revision sheet takes only this run's files */
	char path[4096], err[512];
	int status = 0;

	memset(d, 0, sizeof(d));
	for (size_t k = 0; k < NSHIPPED; k++) {
		snprintf(path, sizeof(path), "%s/%s.exp", sc_experiments_dir(), shipped[k]);
		if (sc_script_load(path, &d[k].e, err, sizeof(err)) < 0) {
			fprintf(stderr, "sockcmp: %s\n", err);
			d[k].r = -EINVAL;
			status = 1;
		}
	}
	for (size_t k = 0; k < NSHIPPED && !*base->stop; k++) {
		if (d[k].r == -EINVAL)
			continue;
		{
			struct sc_request rq = {.script = path, .kernel = kernel};

			snprintf(path, sizeof(path), "%s/%s.exp", sc_experiments_dir(), shipped[k]);
			sc_report_load(&d[k].load, false);
			/* The probes run alongside the impaired-link experiment,
			 * which mostly waits on its link, so the lecture stays
			 * within its minute; never beside the timing-sensitive
			 * loopback ones. */
			if (d[k].e.link[0] && !probe_run.pid && sc_probes_start(base, &probe_run) < 0)
				probe_run.pid = 0;
			d[k].r = sc_dispatch(&d[k].e, &rq, base, &d[k].rows, err, sizeof(err));
			sc_report_load(&d[k].load, true);
		}
		if (d[k].r == -EINTR)
			break;
		if (d[k].r < 0 && d[k].r != -EIO)
			fprintf(stderr, "sockcmp: %s: %s\n", d[k].e.name, err);
		if (d[k].r < 0)
			status = 1;
		printf("\n%s\n", d[k].e.title);
		sc_report_table(stdout, &d[k].e, &d[k].rows, false);
		fflush(stdout);
		sc_report_notes(stderr, &d[k].rows, &d[k].load, false);
		if (plots) {
			int pr = sc_plot_experiment(&d[k].e, base->out_dir);

			if (pr < 0 && pr != -ENOENT) /* a chart not written */
				status = 1;
		}
	}
	if (probe_run.pid) {
		if (sc_probes_finish(base, &probe_run, &probes) == -ETIMEDOUT)
			fprintf(stderr, "sockcmp: the built-in probes did not finish in time\n");
	} else if (!*base->stop) {
		sc_probes_run_all(base, &probes);
		if (sc_probes_csv(base->out_dir, &probes) < 0)
			status = 1; /* probes.csv not written: a lost result */
	}
	if (*base->stop) {
		fprintf(stderr, "sockcmp: interrupted; finished experiments are kept in %s\n", base->out_dir);
		status = 130;
	} else {
		struct summary_file sf = {d, &probes, base->out_dir};
		int w;

		/* Written whole, then renamed, like every result file. */
		snprintf(path, sizeof(path), "%s/SUMMARY.md", base->out_dir);
		w = sc_outfile_write(path, summary_fn, &sf);
		if (w < 0) {
			fprintf(stderr, "sockcmp: cannot write %s: %s\n", path, strerror(-w));
			status = 1;
		}
		if (sc_revision_write(base->out_dir, started, plots, NULL) < 0)
			status = 1;
		printf("\nThe lecture's claims, measured:\n");
		verdicts(stdout, d);
		sc_probes_table(stdout, &probes, true);
		printf("\n%s: CSV, charts (.png/.svg), SUMMARY.md and revision.md/.html/.png in %.1f s\n", base->out_dir,
		       (double)(sc_mono_ns() - t0) / 1e9);
	}
	for (size_t k = 0; k < NSHIPPED; k++)
		sc_rows_free(&d[k].rows);
	return status;
}

const char *sc_lecture_verdict(const char *exp, bool streams, const struct sc_rows *r, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(claims) / sizeof(claims[0]); i++)
		if (!strcmp(claims[i].exp, exp) && claims[i].streams == streams)
			return verdict(&claims[i], r, buf, len);
	return NULL;
}
