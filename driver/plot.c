/* plot.c - runs gnuplot on the scripts in plots/, paths as arguments.
 *
 * Nothing we pass is ever gnuplot code: `gnuplot -c SCRIPT ARG1..ARG9`
 * hands the script strings. gnuplot still runs a command for a file
 * name that starts with '<' (input) or '|' (output), however the name
 * arrives, so every path it sees is absolute (realpath'd, so it starts
 * with '/') and has no newline; anything else is refused. gnuplot opens
 * no file for writing at all: it draws to its standard output, and the
 * charts are written the way the CSV files are (outfile.h), each only if
 * it is whole. */
#include "plot.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aggregate.h"
#include "clock.h"
#include "csv.h"
#include "mode.h"
#include "netem.h"
#include "outfile.h"
#include "paths.h"
#include "plot_data.h"
#include "spawn.h"
#include "stats.h"
#include "units.h"

#define GNUPLOT "/usr/bin/gnuplot"
#define BOXES_MAX 40 /* more messages than this: no box per read */

/* Returns whether gnuplot takes s as a plain file name: absolute (so no
 * leading '<' or '|', no "-" for stdin, no "" for "the previous file")
 * and on one line. */
static bool plain_path(const char *s)
{
	return s[0] == '/' && !strchr(s, '\n');
}

int sc_plot_dir_check(const char *dir, char *real, size_t len, char *err, size_t errlen)
{
	char buf[PATH_MAX];

	if (strchr(dir, '\n')) {
		snprintf(err, errlen, "refusing a results folder with a newline in its name");
		return -EINVAL;
	}
	if (!realpath(dir, buf)) {
		int e = errno;

		snprintf(err, errlen, "%s: %s", dir, strerror(e));
		return -e;
	}
	if (!plain_path(buf)) {
		snprintf(err, errlen, "refusing a results folder whose real path has a newline in it");
		return -EINVAL;
	}
	if (strlen(buf) + SC_NAME_MAX + 64 >= len || strlen(buf) + SC_NAME_MAX + 64 >= PATH_MAX) {
		snprintf(err, errlen, "%s: path too long for the chart files", dir);
		return -ENAMETOOLONG;
	}
	snprintf(real, len, "%s", buf);
	return 0;
}

/* Returns the length of the PNG at the start of buf (its signature and
 * chunks up to and including IEND), or 0 if there is no whole PNG there.
 * gnuplot writes the PNG and then the SVG to its standard output; this is
 * where one ends and the other begins. Chunk lengths are big-endian. */
static size_t png_length(const unsigned char *buf, size_t n)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	size_t off = sizeof(sig);

	if (n < off || memcmp(buf, sig, sizeof(sig)) != 0)
		return 0;
	while (n - off >= 12) {
		uint32_t len = (uint32_t)buf[off] << 24 | (uint32_t)buf[off + 1] << 16 |
			       (uint32_t)buf[off + 2] << 8 | buf[off + 3];
		bool iend = memcmp(buf + off + 4, "IEND", 4) == 0;

		if (len > n - off - 12)
			return 0;
		off += 12 + (size_t)len;
		if (iend)
			return len == 0 ? off : 0;
	}
	return 0;
}

/* Returns whether buf holds one whole SVG document (gnuplot's: an XML
 * declaration, then up to the closing tag and white space). */
static bool whole_svg(const unsigned char *buf, size_t n)
{
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		n--;
	return n > 12 && (memcmp(buf, "<?xml", 5) == 0 || memcmp(buf, "<svg", 4) == 0) &&
	       memcmp(buf + n - 6, "</svg>", 6) == 0;
}

#define CHART_MAX (512u << 20) /* more than any chart we draw, by far */

/* Reads the child's standard output to its end, before the deadline.
 * Returns 0 with *buf (malloc'd) and *n, or -ETIMEDOUT, -EFBIG, -ENOMEM
 * or -errno of the read. */
static int read_all(int fd, uint64_t deadline, unsigned char **buf, size_t *n)
{
	size_t cap = 1 << 16, used = 0;
	unsigned char *b = malloc(cap);

	if (!b)
		return -ENOMEM;
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		uint64_t now = sc_mono_ns();
		ssize_t k;

		if (now >= deadline) {
			free(b);
			return -ETIMEDOUT;
		}
		if (poll(&p, 1, (int)((deadline - now) / SC_NS_PER_MS) + 1) < 0 && errno != EINTR) {
			int e = errno;

			free(b);
			return -e;
		}
		if (used == cap) {
			unsigned char *g = cap >= CHART_MAX ? NULL : realloc(b, cap * 2);

			if (!g) {
				free(b);
				return cap >= CHART_MAX ? -EFBIG : -ENOMEM;
			}
			b = g;
			cap *= 2;
		}
		k = read(fd, b + used, cap - used);
		if (k == 0)
			break;
		if (k < 0 && errno != EINTR && errno != EAGAIN) {
			int e = errno;

			free(b);
			return -e;
		}
		if (k > 0)
			used += (size_t)k;
	}
	*buf = b;
	*n = used;
	return 0;
}

/* Writes n bytes of buf to final (whole, or not at all: outfile.h).
 * Returns 0 or -errno, having said why on stderr. */
static int write_chart(const char *final, const unsigned char *buf, size_t n)
{
	struct sc_outfile of;
	size_t done = 0;
	int r = sc_outfile_open(&of, final);

	while (r == 0 && done < n) {
		ssize_t k = write(of.fd, buf + done, n - done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			r = k < 0 ? -errno : -EIO;
		else
			done += (size_t)k;
	}
	if (r == 0)
		r = sc_outfile_commit(&of);
	sc_outfile_abort(&of);
	if (r < 0)
		fprintf(stderr, "sockcmp: cannot write %s: %s\n", final, strerror(-r));
	return r;
}

/* Runs `gnuplot -c DIR/SCRIPT INPUT - - EXTRA...` with INPUT = dir/in; it
 * draws the PNG and then the SVG to its standard output, which we read,
 * so gnuplot never opens a file for writing. dir is already realpath'd
 * (sc_plot_dir_check). Each chart is written to dir/out.png and
 * dir/out.svg only if gnuplot exited 0 and it is whole. Returns 0 once
 * both charts are in place, -ENOENT if gnuplot is missing (said once),
 * -EINVAL for a path it refuses, or -errno / -EIO after saying why on
 * stderr; no chart file of any kind is left behind on failure. */
static int gnuplot(const char *script, const char *dir, const char *in, const char *out,
		   const char *const *extra, int nextra)
{
	char scr[PATH_MAX + 32], real[PATH_MAX], input[PATH_MAX + 2 * SC_NAME_MAX];
	char fin[2][PATH_MAX + 2 * SC_NAME_MAX], *argv[16];
	unsigned char *buf = NULL;
	size_t n = 0, png;
	struct sc_child c;
	static int warned;
	int r, k = 0, code;

	if (access(GNUPLOT, X_OK) != 0) {
		if (!warned++)
			fprintf(stderr, "sockcmp: gnuplot not found, so no charts (install gnuplot-nox; "
					"the README's set-up does)\n");
		return -ENOENT;
	}
	snprintf(scr, sizeof(scr), "%s/%s", sc_plots_dir(), script);
	if (!realpath(scr, real)) {
		fprintf(stderr, "sockcmp: gnuplot script %s: %s\n", scr, strerror(errno));
		return -EIO;
	}
	snprintf(input, sizeof(input), "%s/%s", dir, in);
	if (!plain_path(real) || !plain_path(input)) {
		fprintf(stderr, "sockcmp: refusing to hand gnuplot a path with a newline: %s\n",
			plain_path(real) ? input : real);
		return -EINVAL;
	}
	snprintf(fin[0], sizeof(fin[0]), "%s/%s.png", dir, out);
	snprintf(fin[1], sizeof(fin[1]), "%s/%s.svg", dir, out);
	argv[k++] = GNUPLOT;
	argv[k++] = "-c";
	argv[k++] = real;
	argv[k++] = input;
	argv[k++] = "-"; /* the PNG, then */
	argv[k++] = "-"; /* the SVG, to our pipe */
	for (int i = 0; i < nextra && k < 15; i++)
		argv[k++] = (char *)extra[i];
	argv[k] = NULL;
	r = sc_spawn(&c, argv, 1, NULL, NULL);
	if (r < 0) {
		fprintf(stderr, "sockcmp: cannot run gnuplot: %s\n", strerror(-r));
		return r == -ENOENT ? -EIO : r; /* -ENOENT means "no gnuplot" to callers */
	}
	r = read_all(c.out_fd, sc_mono_ns() + 60 * SC_NS_PER_S, &buf, &n);
	if (r < 0 || sc_child_wait(&c, 1, sc_mono_ns() + 10 * SC_NS_PER_S, NULL) < 0) {
		sc_child_end(&c, 1, 100 * SC_NS_PER_MS);
		fprintf(stderr, "sockcmp: gnuplot drawing %s: %s\n", fin[0],
			r < 0 ? strerror(-r) : "did not exit, stopped");
		r = -EIO;
		goto out;
	}
	code = sc_child_code(&c);
	png = png_length(buf, n);
	if (code != 0 || !png || !whole_svg(buf + png, n - png)) {
		if (code != 0)
			fprintf(stderr, "sockcmp: gnuplot failed (status %d) drawing %s\n", code, fin[0]);
		else
			fprintf(stderr, "sockcmp: gnuplot gave no whole %s for %s\n", png ? "SVG" : "PNG",
				fin[png ? 1 : 0]);
		r = -EIO;
		goto out;
	}
	r = write_chart(fin[0], buf, png);
	if (r == 0)
		r = write_chart(fin[1], buf + png, n - png);
out:
	if (c.out_fd >= 0)
		close(c.out_fd);
	c.out_fd = -1;
	free(buf);
	return r;
}

int sc_plot_script(const char *script, const char *where, const char *in, const char *out,
		   const char *const *extra, int nextra)
{
	char dir[PATH_MAX], err[PATH_MAX + 100];
	int r = sc_plot_dir_check(where, dir, sizeof(dir), err, sizeof(err));

	if (r < 0) {
		fprintf(stderr, "sockcmp: %s\n", err);
		return r;
	}
	return gnuplot(script, dir, in, out, extra, nextra);
}

/* Writes DIR/NAME-latency-cdf.csv: for each transport, the sorted one-way
 * latencies of trial 1's first copies (at sweep point `value` if the
 * experiment is swept) and the fraction of messages at or below each.
 * Returns 0, -EIO (no messages file, or not one) or -errno, having said
 * why on stderr. */
static int latency_cdf(const struct sc_experiment *e, const char *dir, const char *value,
		       size_t *most)
{
	size_t *keep_at = malloc(SC_PLOT_MAX_POINTS * sizeof(*keep_at));
	const char *names[SC_MAX_TRANSPORTS];
	int64_t *v[SC_MAX_TRANSPORTS];
	size_t n[SC_MAX_TRANSPORTS], nt = e->ntransports;
	char path[PATH_MAX + SC_NAME_MAX + 32], *text = NULL;
	struct sc_csv c;
	int r;

	snprintf(path, sizeof(path), "%s/%s-messages.csv", dir, e->name);
	*most = 0;
	r = keep_at ? sc_read_file(path, &text, NULL) : -ENOMEM;
	if (r < 0) {
		free(keep_at);
		fprintf(stderr, "sockcmp: %s: %s\n", path, strerror(-r));
		return -EIO; /* not -ENOENT, which means "no gnuplot" here */
	}
	for (size_t t = 0; t < nt; t++)
		names[t] = e->transports[t]->name;
	r = sc_plot_latencies(text, names, nt, e->sweep.n ? e->sweep.param : NULL, value, v, n);
	free(text);
	if (r < 0) {
		free(keep_at);
		fprintf(stderr, "sockcmp: %s: %s\n", path,
			r == -EINVAL ? "not a messages file (columns missing)" : strerror(-r));
		return r == -EINVAL ? -EIO : r;
	}
	snprintf(path, sizeof(path), "%s/%s-latency-cdf.csv", dir, e->name);
	r = sc_csv_open(&c, path);
	if (r == 0) {
		sc_csv_field(&c, "transport");
		sc_csv_field(&c, "latency_ms");
		sc_csv_field(&c, "fraction");
		sc_csv_field(&c, "latency_ns"); /* the one unit of times in every file */
		sc_csv_end_row(&c);
		for (size_t t = 0; t < nt; t++) {
			size_t k = sc_plot_thin(n[t], SC_PLOT_MAX_POINTS, keep_at);

			sc_sort_i64(v[t], n[t]);
			if (n[t] > *most)
				*most = n[t];
			/* Millions of messages: the CDF at SC_PLOT_MAX_POINTS
			 * ranks, each with its exact fraction. */
			for (size_t j = 0; j < k; j++) {
				size_t i = keep_at[j];

				sc_csv_field(&c, names[t]);
				sc_csv_f64(&c, (double)v[t][i] / 1e6, 4);
				sc_csv_f64(&c, (double)(i + 1) / (double)n[t], 5);
				sc_csv_i64(&c, v[t][i]);
				sc_csv_end_row(&c);
			}
		}
		r = sc_csv_commit(&c);
	}
	for (size_t t = 0; t < nt; t++)
		free(v[t]);
	free(keep_at);
	if (r < 0)
		fprintf(stderr, "sockcmp: cannot write %s: %s\n", path, strerror(-r));
	return r;
}

/* One chart of the aggregate file against the swept parameter. */
static int sweep_chart(const struct sc_experiment *e, const char *dir, const char *title,
		       const char *tr, const char *measure, const char *ylabel, int ideal)
{
	/* x from the aggregate's x_UNIT column (one unit, units.h), shown in
	 * a unit fit for its largest value, on a log axis when the values
	 * span decades. */
	const char *u = sc_sweep_unit(e->sweep.param);
	char in[SC_NAME_MAX + 32], out[SC_NAME_MAX + 64], xl[128], shown[16], x[96];
	const char *args[6] = {measure, ylabel, xl, x, title, tr};
	double v[SC_MAX_SWEEP], scale;

	for (size_t i = 0; i < e->sweep.n; i++)
		sc_sweep_numeric(e->sweep.param, e->sweep.values[i], &v[i]);
	sc_sweep_axis(e->sweep.param, v, (int)e->sweep.n, &scale, shown, sizeof(shown));
	/* 'after' alone does not say whose: the reader's start. */
	snprintf(xl, sizeof(xl), "%s%s%s%s%s", strcmp(e->sweep.param, "after") ? e->sweep.param
		 : "reader starts late by ('after')", shown[0] ? " (" : "", shown, shown[0] ? ")" : "",
		 sc_netem_is_param(e->sweep.param) ? ", netem setting" : "");
	snprintf(x, sizeof(x), "%d x_%s %.17g %d", ideal, u[0] ? u : "num", scale,
		 sc_sweep_wants_log(v, (int)e->sweep.n));
	snprintf(in, sizeof(in), "%s-aggregate.csv", e->name);
	snprintf(out, sizeof(out), "%s-%s", e->name, measure);
	return gnuplot("sweep.gp", dir, in, out, args, 6);
}

/* Keeps the first failure, except that "gnuplot is missing" (said once,
 * not an error of this run's results) gives way to any real one. */
static void keep(int *r, int now)
{
	if (now < 0 && (*r == 0 || *r == -ENOENT))
		*r = now;
}

/* Issue 9's modes: one chart per measure, against the swept parameter
 * (perf-sweep.gp; log x for message sizes) or per transport as bars
 * (perf-bars.gp). Names, labels and the title go as arguments, as for
 * sweep_chart. */
static int perf_chart(const struct sc_experiment *e, const char *dir, const char *title,
		      const char *tr, const char *suffix, const char *measures, const char *ylabel,
		      int logy)
{
	char in[SC_NAME_MAX + 32], out[SC_NAME_MAX + 64];

	snprintf(in, sizeof(in), "%s-aggregate.csv", e->name);
	snprintf(out, sizeof(out), "%s-%s", e->name, suffix);
	if (e->sweep.n) {
		/* x as sweep_chart gives it: "LOGY XCOL XSCALE LOGX". */
		const char *u = sc_sweep_unit(e->sweep.param);
		char xl[128], shown[16], x[96];
		const char *args[6] = {measures, ylabel, xl, x, title, tr};
		double v[SC_MAX_SWEEP], sc;

		for (size_t i = 0; i < e->sweep.n; i++)
			sc_sweep_numeric(e->sweep.param, e->sweep.values[i], &v[i]);
		int logx = sc_sweep_wants_log(v, (int)e->sweep.n);
		bool bytes = logx && !strcmp(u, "bytes");

		sc_sweep_axis(e->sweep.param, v, (int)e->sweep.n, &sc, shown, sizeof(shown));
		if (bytes) {
			/* Sizes from 36 B to 64 KiB on a log axis: each tic
			 * says its own unit ("64 B", "1 KiB"), where one unit
			 * for the axis read "0.0625" for 64 bytes. */
			sc = 1;
			shown[0] = '\0';
		}
		snprintf(xl, sizeof(xl), "%s%s%s%s", e->sweep.param, shown[0] ? " (" : "", shown,
			 shown[0] ? ")" : "");
		snprintf(x, sizeof(x), "%d x_%s %.17g %d%s", logy, u[0] ? u : "num", sc, logx,
			 bytes ? " bytes" : "");
		return gnuplot("perf-sweep.gp", dir, in, out, args, 6);
	} else {
		const char *args[4] = {measures, ylabel, logy ? "1" : "0", title};

		return gnuplot("perf-bars.gp", dir, in, out, args, 4);
	}
}

/* The servers mode: requests/s and p99 against the number of clients, one
 * line per server model (servers.gp). */
static int servers_charts(const struct sc_experiment *e, const char *dir, const char *title)
{
	struct sc_lane lanes[SC_MAX_LANES];
	size_t nl = sc_mode_lanes(sc_mode_of(e), e, lanes, SC_MAX_LANES), used = 0;
	char in[SC_NAME_MAX + 32], out[SC_NAME_MAX + 64], names[SC_MAX_LANES * SC_SERVER_NAME_MAX + 8] = "";
	int r = 0;

	for (size_t i = 0; i < nl; i++)
		used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", i ? " " : "", lanes[i].server);
	snprintf(in, sizeof(in), "%s-aggregate.csv", e->name);
	snprintf(out, sizeof(out), "%s-rate", e->name);
	keep(&r, gnuplot("servers.gp", dir, in, out,
			 (const char *const[]){"round_trips_per_s", "requests per second (all clients)", title, names, "0"},
			 5));
	snprintf(out, sizeof(out), "%s-p99", e->name);
	keep(&r, gnuplot("servers.gp", dir, in, out,
			 (const char *const[]){"lat_p99_us", "p99 request-to-reply time (us, log scale)", title, names, "1"},
			 5));
	return r;
}

static int perf_charts(const struct sc_experiment *e, const char *dir, const char *title,
		       const char *tr)
{
	int r = 0;

	if (!strcmp(e->mode, "servers"))
		return servers_charts(e, dir, title);
	if (!strcmp(e->mode, "throughput")) {
		keep(&r, perf_chart(e, dir, title, tr, "msgs", "recv_msgs_per_s", "messages received per second", 0));
		keep(&r, perf_chart(e, dir, title, tr, "gbits", "recv_gbit_per_s", "Gbit/s received", 0));
	} else if (!strcmp(e->mode, "rr")) {
		keep(&r, perf_chart(e, dir, title, tr, "rate", "round_trips_per_s", "round trips per second", 0));
		keep(&r, perf_chart(e, dir, title, tr, "latency",
				    e->sweep.n ? "lat_p99_us"
					       : "lat_p50_us lat_p90_us lat_p99_us lat_p999_us lat_max_us",
				    "round-trip time (us)", 1));
	} else if (!strcmp(e->mode, "crr")) {
		keep(&r, perf_chart(e, dir, title, tr, "cost", "us_per_round", "microseconds per round", 0));
		keep(&r, perf_chart(e, dir, title, tr, "rate", "round_trips_per_s", "rounds per second", 0));
	}
	return r;
}

void sc_plot_narrow(struct sc_experiment *e, const char *dir)
{
	char path[PATH_MAX + SC_NAME_MAX + 8], *text = NULL;
	const struct sc_transport *cand[2 * SC_MAX_TRANSPORTS];
	const char *names[2 * SC_MAX_TRANSPORTS];
	bool present[2 * SC_MAX_TRANSPORTS];
	size_t n = 0, kept = 0;

	snprintf(path, sizeof(path), "%s/%s.csv", dir, e->name);
	if (sc_read_file(path, &text, NULL) < 0)
		return;
	/* The script's transports in its order, then any other transport
	 * (-t may name one the script does not list, as tcp6). */
	for (size_t t = 0; t < e->ntransports && n < SC_MAX_TRANSPORTS; t++)
		cand[n++] = e->transports[t];
	for (size_t i = 0; i < sc_transport_count() && n < 2 * SC_MAX_TRANSPORTS; i++) {
		const struct sc_transport *t = sc_transport_at(i);
		bool listed = false;

		for (size_t j = 0; j < n; j++)
			listed = listed || cand[j] == t;
		if (!listed)
			cand[n++] = t;
	}
	for (size_t i = 0; i < n; i++)
		names[i] = cand[i]->name;
	if (sc_plot_transports_present(text, names, n, present) > 0) {
		for (size_t i = 0; i < n && kept < SC_MAX_TRANSPORTS; i++)
			if (present[i])
				e->transports[kept++] = cand[i];
		e->ntransports = kept;
	}
	free(text);
}

int sc_plot_experiment(const struct sc_experiment *e, const char *where)
{
	char dir[PATH_MAX], err[PATH_MAX + 100], tr[256] = "", grouped[256] = "", in[SC_NAME_MAX + 32],
		out[SC_NAME_MAX + 32];
	const char *title = e->title[0] ? e->title : e->name;
	size_t used = 0;
	int r = 0;

	r = sc_plot_dir_check(where, dir, sizeof(dir), err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "sockcmp: %s\n", err);
		return r;
	}
	for (size_t i = 0; i < e->ntransports; i++)
		used += (size_t)snprintf(tr + used, sizeof(tr) - used, "%s%s", i ? " " : "",
					 e->transports[i]->name);
	if (e->mode[0] && strcmp(e->mode, "oneway"))
		return perf_charts(e, dir, title, tr);
	/* Stream transports, then datagram ones, for charts that group them. */
	used = 0;
	for (int s = 1; s >= 0; s--)
		for (size_t i = 0; i < e->ntransports; i++)
			if (e->transports[i]->bytestream == (s == 1))
				used += (size_t)snprintf(grouped + used, sizeof(grouped) - used, "%s%s",
							 used ? " " : "", e->transports[i]->name);
	if (!e->link[0] && !e->sweep.n && sc_plan_msgs(&e->send) > BOXES_MAX) {
		/* Too many messages for a box per read: delivered vs lost,
		 * stream transports first. */
		const char *args[2] = {title, grouped};

		snprintf(in, sizeof(in), "%s.csv", e->name);
		return gnuplot("delivery.gp", dir, in, e->name, args, 2);
	}
	if (!e->link[0] && !e->sweep.n) {
		const char *args[2] = {title, grouped};

		snprintf(in, sizeof(in), "%s-events.csv", e->name);
		return gnuplot("boundaries.gp", dir, in, e->name, args, 2);
	}
	if (e->sweep.n) {
		const char *p = e->sweep.param;

		if (!strcmp(p, "loss")) {
			keep(&r, sweep_chart(e, dir, title, tr, "delivered_pct", "messages delivered (%)", 1));
			keep(&r, sweep_chart(e, dir, title, tr, "duration_ms", "first write to last read (ms)", 0));
			keep(&r, sweep_chart(e, dir, title, tr, "tcp_retrans", "TCP retransmissions", 0));
		} else if (!strcmp(p, "duplicate")) {
			keep(&r, sweep_chart(e, dir, title, tr, "duplicated", "duplicates received", 0));
		} else if (!strcmp(p, "reorder")) {
			keep(&r, sweep_chart(e, dir, title, tr, "reordered", "messages reordered (RFC 4737)", 0));
		} else if (!strcmp(p, "delay")) {
			keep(&r, sweep_chart(e, dir, title, tr, "lat_p50_ms", "median one-way latency (ms)", 0));
			keep(&r, sweep_chart(e, dir, title, tr, "duration_ms", "first write to last read (ms)", 0));
		} else {
			keep(&r, sweep_chart(e, dir, title, tr, "recv_calls", "receive calls", 0));
		}
	}
	if (e->link[0] || (e->sweep.n && sc_netem_is_param(e->sweep.param))) {
		/* The per-message charts show the most impaired point. */
		const char *param = e->sweep.n ? e->sweep.param : "";
		const char *value = e->sweep.n ? e->sweep.values[e->sweep.n - 1] : "";
		char ctitle[700], thinned[800];
		const char *cdf[2] = {ctitle, tr}, *arr[4] = {title, tr, param, value};
		size_t most;
		int c = latency_cdf(e, dir, value, &most);

		/* A sweep's CDF is of one point: say which. */
		if (e->sweep.n)
			snprintf(ctitle, sizeof(ctitle), "%s\n(at %s %s, the sweep's last point)", title, param, value);
		else
			snprintf(ctitle, sizeof(ctitle), "%s", title);
		keep(&r, c);
		if (c == 0 && most > SC_PLOT_MAX_POINTS) {
			/* The chart says it shows a sample of the ranks. */
			snprintf(thinned, sizeof(thinned), "%s (each line: %d of up to %zu latencies, evenly by rank)",
				 ctitle, SC_PLOT_MAX_POINTS, most);
			cdf[0] = thinned;
		}
		if (c == 0) {
			snprintf(in, sizeof(in), "%s-latency-cdf.csv", e->name);
			snprintf(out, sizeof(out), "%s-latency", e->name);
			keep(&r, gnuplot("latency-cdf.gp", dir, in, out, cdf, 2));
		}
		snprintf(in, sizeof(in), "%s-messages.csv", e->name);
		snprintf(out, sizeof(out), "%s-arrivals", e->name);
		keep(&r, gnuplot("arrivals.gp", dir, in, out, arr, 4));
	}
	return r;
}
