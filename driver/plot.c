/* plot.c - runs gnuplot on the scripts in plots/, paths as arguments.
 *
 * Nothing we pass is ever gnuplot code: `gnuplot -c SCRIPT ARG1..ARG9`
 * hands the script strings. gnuplot still runs a command for a file
 * name that starts with '<' (input) or '|' (output), however the name
 * arrives, so every path it sees is absolute (realpath'd, so it starts
 * with '/') and has no newline; anything else is refused. Charts are
 * written the way the CSV files are: gnuplot writes into our own
 * exclusively created temporary files (outfile.h), which it reaches as
 * /dev/fd/N, and only complete, valid charts are renamed into place. */
#include "plot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aggregate.h"
#include "clock.h"
#include "csv.h"
#include "netem.h"
#include "outfile.h"
#include "paths.h"
#include "plot_data.h"
#include "spawn.h"
#include "stats.h"

#define GNUPLOT "/usr/bin/gnuplot"

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

/* Returns whether the file open at fd holds a whole chart: a PNG from its
 * signature to its IEND chunk, or an SVG document up to its closing tag.
 * gnuplot does not always fail when its output cannot be written (a full
 * disk gave a 0-byte PNG and an SVG cut short with exit status 0). */
static bool whole_chart(int fd, bool png)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
	unsigned char head[8], tail[64];
	struct stat st;
	size_t n;

	if (fstat(fd, &st) != 0 || st.st_size < (off_t)sizeof(tail))
		return false;
	n = sizeof(tail);
	if (pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
	    pread(fd, tail, n, st.st_size - (off_t)n) != (ssize_t)n)
		return false;
	if (png)
		return memcmp(head, sig, sizeof(sig)) == 0 && memcmp(tail + n - 12, iend, 12) == 0;
	while (n && (tail[n - 1] == '\n' || tail[n - 1] == ' ' || tail[n - 1] == '\r'))
		n--;
	return (memcmp(head, "<?xml", 5) == 0 || memcmp(head, "<svg", 4) == 0) && n >= 6 &&
	       memcmp(tail + n - 6, "</svg>", 6) == 0;
}

/* Lets gnuplot inherit fd (as /dev/fd/N) or takes that back. */
static void inherit(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFD);

	if (fl >= 0)
		fcntl(fd, F_SETFD, on ? fl & ~FD_CLOEXEC : fl | FD_CLOEXEC);
}

/* Runs `gnuplot -c DIR/SCRIPT INPUT PNG SVG EXTRA...` with INPUT =
 * dir/in and the chart files dir/out.png and dir/out.svg; dir is already
 * realpath'd (sc_plot_dir_check). Returns 0 once both charts are whole
 * and in place, -ENOENT if gnuplot is missing (said once), -EINVAL for a
 * path it refuses, or -errno / -EIO after saying why on stderr; no chart
 * file of any kind is left behind on failure. */
static int gnuplot(const char *script, const char *dir, const char *in, const char *out,
		   const char *const *extra, int nextra)
{
	char scr[PATH_MAX + 32], real[PATH_MAX], input[PATH_MAX + 2 * SC_NAME_MAX];
	char fin[2][PATH_MAX + 2 * SC_NAME_MAX], dev[2][32];
	char *argv[16];
	struct sc_outfile of[2] = {{.fd = -1}, {.fd = -1}};
	struct sc_child c;
	static int warned;
	int r, n = 0, code;

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
	for (int k = 0; k < 2; k++) {
		snprintf(fin[k], sizeof(fin[k]), "%s/%s.%s", dir, out, k ? "svg" : "png");
		r = sc_outfile_open(&of[k], fin[k]);
		if (r < 0) {
			fprintf(stderr, "sockcmp: cannot write %s: %s\n", fin[k], strerror(-r));
			goto fail;
		}
		snprintf(dev[k], sizeof(dev[k]), "/dev/fd/%d", of[k].fd);
	}
	argv[n++] = GNUPLOT;
	argv[n++] = "-c";
	argv[n++] = real;
	argv[n++] = input;
	argv[n++] = dev[0];
	argv[n++] = dev[1];
	for (int i = 0; i < nextra && n < 15; i++)
		argv[n++] = (char *)extra[i];
	argv[n] = NULL;
	inherit(of[0].fd, true);
	inherit(of[1].fd, true);
	r = sc_spawn(&c, argv, 0, NULL, NULL);
	inherit(of[0].fd, false);
	inherit(of[1].fd, false);
	if (r < 0) {
		fprintf(stderr, "sockcmp: cannot run gnuplot: %s\n", strerror(-r));
		goto fail;
	}
	if (sc_child_wait(&c, 1, sc_mono_ns() + 60 * SC_NS_PER_S, NULL) < 0) {
		sc_child_end(&c, 1, 100 * SC_NS_PER_MS);
		fprintf(stderr, "sockcmp: gnuplot took over 60 s on %s, stopped\n", fin[0]);
		r = -EIO;
		goto fail;
	}
	code = sc_child_code(&c);
	if (code != 0) {
		fprintf(stderr, "sockcmp: gnuplot failed (status %d) drawing %s\n", code, fin[0]);
		r = -EIO;
		goto fail;
	}
	for (int k = 0; k < 2; k++)
		if (!whole_chart(of[k].fd, k == 0)) {
			fprintf(stderr, "sockcmp: cannot write %s: gnuplot left it incomplete "
					"(is the disk full?)\n", fin[k]);
			r = -EIO;
			goto fail;
		}
	for (int k = 0; k < 2; k++) {
		r = sc_outfile_commit(&of[k]);
		if (r < 0) {
			fprintf(stderr, "sockcmp: cannot write %s: %s\n", fin[k], strerror(-r));
			goto fail;
		}
	}
	return 0;
fail:
	sc_outfile_abort(&of[0]);
	sc_outfile_abort(&of[1]);
	return r == -ENOENT ? -EIO : r; /* -ENOENT means "no gnuplot" to callers */
}

/* Writes DIR/NAME-latency-cdf.csv: for each transport, the sorted one-way
 * latencies of trial 1's first copies (at sweep point `value` if the
 * experiment is swept) and the fraction of messages at or below each.
 * Returns 0, -EIO (no messages file, or not one) or -errno, having said
 * why on stderr. */
static int latency_cdf(const struct sc_experiment *e, const char *dir, const char *value)
{
	const char *names[SC_MAX_TRANSPORTS];
	int64_t *v[SC_MAX_TRANSPORTS];
	size_t n[SC_MAX_TRANSPORTS], nt = e->ntransports;
	char path[PATH_MAX + SC_NAME_MAX + 32], *text = NULL;
	struct sc_csv c;
	int r;

	snprintf(path, sizeof(path), "%s/%s-messages.csv", dir, e->name);
	r = sc_read_file(path, &text, NULL);
	if (r < 0) {
		fprintf(stderr, "sockcmp: %s: %s\n", path, strerror(-r));
		return -EIO; /* not -ENOENT, which means "no gnuplot" here */
	}
	for (size_t t = 0; t < nt; t++)
		names[t] = e->transports[t]->name;
	r = sc_plot_latencies(text, names, nt, e->sweep.n ? e->sweep.param : NULL, value, v, n);
	free(text);
	if (r < 0) {
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
		sc_csv_end_row(&c);
		for (size_t t = 0; t < nt; t++) {
			sc_sort_i64(v[t], n[t]);
			for (size_t i = 0; i < n[t]; i++) {
				sc_csv_field(&c, names[t]);
				sc_csv_f64(&c, (double)v[t][i] / 1e6, 4);
				sc_csv_f64(&c, (double)(i + 1) / (double)n[t], 5);
				sc_csv_end_row(&c);
			}
		}
		r = sc_csv_commit(&c);
	}
	for (size_t t = 0; t < nt; t++)
		free(v[t]);
	if (r < 0)
		fprintf(stderr, "sockcmp: cannot write %s: %s\n", path, strerror(-r));
	return r;
}

/* One chart of the aggregate file against the swept parameter. */
static int sweep_chart(const struct sc_experiment *e, const char *dir, const char *title,
		       const char *tr, const char *measure, const char *ylabel, int ideal)
{
	char in[SC_NAME_MAX + 32], out[SC_NAME_MAX + 64], xl[96];
	const char *args[6] = {measure, ylabel, xl, ideal ? "1" : "0", title, tr};

	snprintf(xl, sizeof(xl), "%s%s", e->sweep.param,
		 sc_netem_is_param(e->sweep.param) ? " (netem setting)" : "");
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

int sc_plot_experiment(const struct sc_experiment *e, const char *where)
{
	char dir[PATH_MAX], err[PATH_MAX + 100], tr[256] = "", in[SC_NAME_MAX + 32],
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
	if (!e->link[0] && !e->sweep.n) {
		const char *args[2] = {title, tr};

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
		const char *cdf[2] = {title, tr}, *arr[4] = {title, tr, param, value};
		int c = latency_cdf(e, dir, value);

		keep(&r, c);
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
