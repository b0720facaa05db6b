/* revision_out.c - writes the revision sheet of a results folder:
 * revision.md, revision.html (self-contained) and revision.png (one
 * printable page). The rows come from revision.c; this file reads the
 * folder's CSV files and lays the rows out. */
#include "revision.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "outfile.h"
#include "plot.h"
#include "schema.h"

/* The charts, in the order the sheet shows them, each with the claim it
 * tests. Lecture words are in quotes; the rest is sockcmp's. */
static const struct chart {
	const char *file, *claim;
} charts[] = {
	{"boundaries", "The lecture: \"If a sender makes 5 separate calls to write, each for 512 bytes and the "
		       "receiver asks for 2560 bytes\", a stream returns \"all the requested bytes\", a datagram "
		       "\"only 512 bytes\" (sample answer: \"(message boundaries preserved)\")."},
	{"boundaries-now", "sockcmp's variation of the same claim: the reader is already waiting when the "
			   "writes start, so a stream returns the bytes as they come."},
	{"read-patterns", "sockcmp's addition: the same 5 x 512-byte writes over many trials; how often each "
			  "read pattern occurred (one trial's pattern proves nothing)."},
	{"coalescing-patterns", "sockcmp's addition: the same writes 2 ms apart, the reader starting 0 to "
				"20 ms late, 20 trials each: how many reads a stream needs depends on when the "
				"reader comes; a datagram socket always needs one per message."},
	{"waitall", "sockcmp's addition (not in the lecture): MSG_WAITALL makes a stream read wait for all "
		    "2560 bytes; datagrams are still read one per call."},
	{"truncation", "sockcmp's addition (not in the lecture): a 1000-byte message read into a 512-byte "
		       "buffer; a stream keeps the rest for the next read, a datagram loses it."},
	{"overflow", "Sample answer: \"unreliable delivery\" - a receiver that reads slowly on one machine: "
		     "messages delivered and dropped per transport."},
	{"reliability-arrivals", "Sample answer: \"in order guaranteed\" / \"no order of data guaranteed\" and "
				 "\"reliable delivery\" / \"unreliable delivery\", on a link that loses, delays, "
				 "reorders and duplicates packets."},
	{"reliability-latency", "sockcmp's addition: what TCP's reliability costs in time on the same link "
				"(a lost packet holds back everything behind it)."},
	{"wire-overhead", "Sample answer: \"more complex\" / \"simpler \xe2\x80\x93 less overhead\" and "
			  "\"(acknowledge receipt)\": the packets each kind puts on the wire."},
	{"backlog", "The lecture: \"listen(): announce number of connections\" - listen(s, 5) with 10 clients "
		    "and nobody calling accept()."},
};
#define NCHARTS (sizeof(charts) / sizeof(charts[0]))

static const char *const glossary[][2] = {
	{"acknowledgement (ACK)", "a TCP packet saying \"I have received your bytes up to here\"; sent by the "
				  "receiving computer's kernel, not by the program"},
	{"AF_UNIX", "sockets between programs on the same machine, named by a file path instead of an IP "
		    "address and port"},
	{"loopback", "the machine talking to itself (127.0.0.1): no cable, nothing is lost on the way"},
	{"impaired link", "a simulated network cable (Linux's netem) that loses, delays, reorders and "
			  "duplicates packets on purpose"},
	{"receive buffer", "the kernel's queue of data that has arrived but that the program has not read "
			   "yet; when it is full, UDP drops new datagrams"},
	{"flow control", "a full receive buffer makes the sender wait (TCP, AF_UNIX) instead of dropping"},
	{"ICMP", "the Internet's control messages (ping, \"port unreachable\"); IP protocol number 1, UDP is "
		 "17, TCP 6"},
	{"FIN", "the TCP packet that says \"I have finished sending\": what close() sends"},
	{"TIME_WAIT", "after closing first, TCP keeps the connection's port busy for 60 s so late packets "
		      "are not mistaken for a new connection"},
	{"ECONNREFUSED, EACCES, EAGAIN, EMSGSIZE, EADDRINUSE", "error codes: connection refused, permission "
							       "denied, would block, message too long, address "
							       "(port) in use"},
	{"fragment", "a piece of a datagram too big for one packet (more than 1,500 bytes on Ethernet)"},
	{"RFC 793", "the Internet standard document that defines TCP (RFCs are the Internet's standards)"},
	{"ntohs / htons", "convert a port number between the computer's byte order and the network's"},
};
#define NGLOSSARY (sizeof(glossary) / sizeof(glossary[0]))

/* Reads every NAME.csv of dir (not the per-message files) into d, each
 * only if modified at or after since_s. Returns 0 or -errno of opendir. */
static int load(const char *dir, int64_t since_s, struct sc_rev_data *d)
{
	DIR *dp = opendir(dir);
	struct dirent *de;

	if (!dp)
		return -errno;
	while ((de = readdir(dp))) {
		size_t n = strlen(de->d_name);
		char path[PATH_MAX], name[64], *text = NULL;
		struct stat st;

		if (n < 5 || n - 4 >= sizeof(name) || strcmp(de->d_name + n - 4, ".csv") ||
		    strstr(de->d_name, "-events.") || strstr(de->d_name, "-messages.") ||
		    strstr(de->d_name, "-latency-cdf."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_mtime < since_s)
			continue;
		memcpy(name, de->d_name, n - 4);
		name[n - 4] = '\0';
		if (sc_read_file(path, &text, NULL) == 0)
			sc_rev_data_add(d, name, text);
		free(text);
	}
	closedir(dp);
	return 0;
}

/* One markdown table cell: a '|' would end it, a newline the row. */
static void md_cell(FILE *f, const char *s)
{
	fputs("| ", f);
	for (; *s; s++)
		if (*s == '|')
			fputs("\\|", f);
		else
			fputc(*s == '\n' ? ' ' : *s, f);
	fputc(' ', f);
}

static void html_text(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
}

static bool exists(const char *dir, const char *file, const char *ext)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s.%s", dir, file, ext);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

void sc_revision_chart_links(FILE *f, const char *dir, const char *name)
{
	static const char *const suffix[] = {"", "-arrivals", "-latency"};

	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		char file[128];

		snprintf(file, sizeof(file), "%s%s", name, suffix[i]);
		if (exists(dir, file, "png"))
			fprintf(f, "![%s](%s.png)\n\n", file, file);
	}
}

/* The probes' verdicts: probes.csv's rows. */
struct wrong {
	const char *probe, *claim, *verdict, *figures, *why;
};

/* Every probe row (all = true), or those that found the lecture wrong
 * and are not already a row of the sheet. Returns how many. */
static size_t probe_rows(const struct sc_rev_data *d, struct wrong *w, size_t max, bool all)
{
	const struct sc_rev_table *t = NULL;
	int cc = -1, cv = -1, cf = -1, cw = -1, cp = -1;
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->t[i].name, "probes"))
			t = &d->t[i];
	if (!t)
		return 0;
	for (size_t i = 0; i < t->ncols; i++) {
		if (!strcmp(t->cells[i], "probe"))
			cp = (int)i;
		else if (!strcmp(t->cells[i], "claim"))
			cc = (int)i;
		else if (!strcmp(t->cells[i], "verdict"))
			cv = (int)i;
		else if (!strcmp(t->cells[i], "figures"))
			cf = (int)i;
		else if (!strcmp(t->cells[i], "why"))
			cw = (int)i;
	}
	if (cc < 0 || cv < 0 || cf < 0 || cw < 0 || cp < 0)
		return 0;
	for (size_t r = 1; r <= t->nrows && n < max; r++) {
		char **row = t->cells + r * t->ncols;

		/* both-directions is row 2 of the sheet, already listed. */
		if (all || (!strcmp(row[cv], "wrong") && strcmp(row[cp], "both-directions")))
			w[n++] = (struct wrong){row[cp], row[cc], row[cv], row[cf], row[cw]};
	}
	return n;
}

static size_t wrong_probes(const struct sc_rev_data *d, struct wrong *w, size_t max)
{
	return probe_rows(d, w, max, false);
}

static const char others_intro[] =
	"The lecture's claims outside the sample answer, each measured by a built-in probe (`sockcmp run "
	"NAME` runs one again). The lecture's words are in quotes; \"(sockcmp)\" marks a claim that is "
	"sockcmp's own addition.";

static const char intro[] =
	"Exam question (the lecture's sample): \"List eight differences between stream and datagram "
	"sockets.\" The two \"the answer says\" columns quote the lecture's sample answer word for word; rows "
	"9 to 13 are its bracketed extras. Everything else - the plain wording, the figures, the verdicts and "
	"the reasons - is sockcmp's, computed from the measurements of this run in the CSV files beside this "
	"sheet.";

static void header_md(FILE *f, const char *only)
{
	char when[64];
	time_t now = time(NULL);
	struct tm tm;

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime_r(&now, &tm));
	fprintf(f, "# Stream vs datagram sockets: revision sheet\n\n");
	if (only)
		fprintf(f, "Written by `sockcmp lecture --only %s` at %s, from the CSV files in this folder (rows "
			   "whose experiment or probe has not run here say so).\n\n", only, when);
	else
		fprintf(f, "Written by `sockcmp lecture` at %s; every figure was measured in this run.\n\n", when);
	fprintf(f, "%s\n\n", intro);
}

static void write_md(FILE *f, const char *dir, const struct sc_rev_data *d, const struct sc_rev_row *rows,
		     const char *only)
{
	struct wrong w[32];
	size_t nw = wrong_probes(d, w, 32), shown = 0;

	header_md(f, only);
	fprintf(f, "| # | the answer says: stream | the answer says: datagram | in plain words (sockcmp's) | "
		   "measured in this run | verdict | why (sockcmp's) |\n|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < SC_REV_ROWS; i++) {
		char q[128];

		fprintf(f, "| %zu ", i + 1);
		snprintf(q, sizeof(q), "\"%s\"", rows[i].stream_words);
		md_cell(f, q);
		snprintf(q, sizeof(q), "\"%s\"", rows[i].dgram_words);
		md_cell(f, q);
		md_cell(f, rows[i].plain);
		md_cell(f, rows[i].figures[0] ? rows[i].figures : "-");
		fprintf(f, "| **%s** ", rows[i].verdict);
		md_cell(f, rows[i].why);
		fprintf(f, "|\n");
	}
	fprintf(f, "\nSources: ");
	for (size_t i = 0; i < SC_REV_ROWS; i++)
		fprintf(f, "%s%zu: %s", i ? "; " : "", i + 1, rows[i].sources);
	fprintf(f, ".\n\n## Where the lecture is wrong\n\n"
		   "Each item: the lecture's words in quotes (sockcmp's additions in brackets or unquoted), "
		   "then what this run measured.\n\n");
	for (size_t i = 0; i < SC_REV_ROWS; i++)
		if (!strcmp(rows[i].verdict, "wrong")) {
			fprintf(f, "- Sample answer, datagram socket: \"%s\". Measured: %s. %s.\n",
				rows[i].dgram_words, rows[i].figures, rows[i].why);
			shown++;
		}
	for (size_t i = 0; i < nw; i++) {
		fprintf(f, "- %s. Measured: %s. Verdict: %s.\n", w[i].claim, w[i].figures, w[i].why);
		shown++;
	}
	if (!shown)
		fprintf(f, "Nothing measured in this run shows the lecture wrong.\n");
	nw = probe_rows(d, w, 32, true);
	if (nw) {
		fprintf(f, "\n## Every other claim, measured\n\n%s\n\n| claim | probe | verdict | measured in this "
			   "run | why (sockcmp's) |\n|---|---|---|---|---|\n", others_intro);
		for (size_t i = 0; i < nw; i++) {
			md_cell(f, w[i].claim);
			md_cell(f, w[i].probe);
			fprintf(f, "| **%s** ", w[i].verdict);
			md_cell(f, w[i].figures);
			md_cell(f, w[i].why);
			fprintf(f, "|\n");
		}
	}
	fprintf(f, "\n## Charts\n\n");
	for (size_t i = 0; i < NCHARTS; i++)
		if (exists(dir, charts[i].file, "png"))
			fprintf(f, "![%s](%s.png)\n\n*Tests:* %s\n\n", charts[i].file, charts[i].file, charts[i].claim);
	fprintf(f, "## Words used on this sheet\n\n");
	for (size_t i = 0; i < NGLOSSARY; i++)
		fprintf(f, "- **%s**: %s.\n", glossary[i][0], glossary[i][1]);
	fprintf(f, "\nThe detailed log of every experiment and probe is SUMMARY.md.\n");
}

static const char css[] =
	"body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;"
	"color:#222;line-height:1.4}"
	"table{border-collapse:collapse;width:100%;font-size:0.92em}"
	"th,td{border:1px solid #bbb;padding:0.35em 0.5em;vertical-align:top;text-align:left}"
	"th{background:#eef}q{font-style:italic}"
	".confirmed{background:#dff0d8}.too-simple{background:#fcf8e3}.wrong{background:#f2dede}"
	".not-measured{background:#eee;color:#666}"
	"figure{margin:1.5em 0}img{max-width:100%;border:1px solid #ddd}figcaption{font-size:0.95em}"
	"@media print{body{margin:0;max-width:none}figure{page-break-inside:avoid}}";

/* "too simple" -> "too-simple", a CSS class. */
static void css_class(char *dst, size_t len, const char *verdict)
{
	size_t j = 0;

	for (size_t i = 0; verdict[i] && j + 1 < len; i++)
		dst[j++] = verdict[i] == ' ' ? '-' : verdict[i];
	dst[j] = '\0';
}

static int base64_file(FILE *f, const char *path)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *data = NULL;
	size_t n = 0;
	int r = sc_read_file(path, &data, &n);

	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)(unsigned char)data[i] << 16;
		size_t k = n - i;

		if (k > 1)
			v |= (unsigned)(unsigned char)data[i + 1] << 8;
		if (k > 2)
			v |= (unsigned char)data[i + 2];
		fputc(b64[v >> 18 & 63], f);
		fputc(b64[v >> 12 & 63], f);
		fputc(k > 1 ? b64[v >> 6 & 63] : '=', f);
		fputc(k > 2 ? b64[v & 63] : '=', f);
	}
	free(data);
	return 0;
}

static void write_html(FILE *f, const char *dir, const struct sc_rev_data *d, const struct sc_rev_row *rows,
		       const char *only)
{
	struct wrong w[32];
	size_t nw = wrong_probes(d, w, 32), shown = 0;
	char when[64], cls[32];
	time_t now = time(NULL);
	struct tm tm;

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime_r(&now, &tm));
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
		   "<title>Stream vs datagram sockets: revision sheet</title><style>%s</style></head><body>\n"
		   "<h1>Stream vs datagram sockets: revision sheet</h1>\n<p>", css);
	if (only) {
		fputs("Written by <code>sockcmp lecture --only ", f);
		html_text(f, only);
		fprintf(f, "</code> at %s, from the CSV files in this folder (rows whose experiment or probe has "
			   "not run here say so).</p>\n", when);
	} else {
		fprintf(f, "Written by <code>sockcmp lecture</code> at %s; every figure was measured in this "
			   "run.</p>\n", when);
	}
	fputs("<p>", f);
	html_text(f, intro);
	fputs("</p>\n<table>\n<thead><tr><th>#</th><th>the answer says: stream</th><th>the answer says: "
	      "datagram</th><th>in plain words (sockcmp's)</th><th>measured in this run</th><th>verdict</th>"
	      "<th>why (sockcmp's)</th></tr></thead>\n<tbody>\n", f);
	for (size_t i = 0; i < SC_REV_ROWS; i++) {
		css_class(cls, sizeof(cls), rows[i].verdict);
		fprintf(f, "<tr class=\"%s\"><td>%zu</td><td><q>", cls, i + 1);
		html_text(f, rows[i].stream_words);
		fputs("</q></td><td><q>", f);
		html_text(f, rows[i].dgram_words);
		fputs("</q></td><td>", f);
		html_text(f, rows[i].plain);
		fputs("</td><td>", f);
		html_text(f, rows[i].figures[0] ? rows[i].figures : "-");
		fprintf(f, "</td><td><strong>%s</strong></td><td>", rows[i].verdict);
		html_text(f, rows[i].why);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table>\n<h2>Where the lecture is wrong</h2>\n<p>Each item: the lecture's words in "
	      "quotes, then what this run measured (sockcmp's wording).</p>\n<ul>\n", f);
	for (size_t i = 0; i < SC_REV_ROWS; i++)
		if (!strcmp(rows[i].verdict, "wrong")) {
			fputs("<li>Sample answer, datagram socket: <q>", f);
			html_text(f, rows[i].dgram_words);
			fputs("</q>. Measured: ", f);
			html_text(f, rows[i].figures);
			fputs(". ", f);
			html_text(f, rows[i].why);
			fputs(".</li>\n", f);
			shown++;
		}
	for (size_t i = 0; i < nw; i++) {
		fputs("<li>", f);
		html_text(f, w[i].claim);
		fputs(". Measured: ", f);
		html_text(f, w[i].figures);
		fputs(". Verdict: ", f);
		html_text(f, w[i].why);
		fputs(".</li>\n", f);
		shown++;
	}
	if (!shown)
		fputs("<li>Nothing measured in this run shows the lecture wrong.</li>\n", f);
	fputs("</ul>\n", f);
	nw = probe_rows(d, w, 32, true);
	if (nw) {
		fputs("<h2>Every other claim, measured</h2>\n<p>", f);
		html_text(f, others_intro);
		fputs("</p>\n<table>\n<thead><tr><th>claim</th><th>probe</th><th>verdict</th><th>measured in this "
		      "run</th><th>why (sockcmp's)</th></tr></thead>\n<tbody>\n", f);
		for (size_t i = 0; i < nw; i++) {
			css_class(cls, sizeof(cls), w[i].verdict);
			fprintf(f, "<tr class=\"%s\"><td>", cls);
			html_text(f, w[i].claim);
			fputs("</td><td><code>", f);
			html_text(f, w[i].probe);
			fputs("</code></td><td><strong>", f);
			html_text(f, w[i].verdict);
			fputs("</strong></td><td>", f);
			html_text(f, w[i].figures);
			fputs("</td><td>", f);
			html_text(f, w[i].why);
			fputs("</td></tr>\n", f);
		}
		fputs("</tbody></table>\n", f);
	}
	fputs("<h2>Charts</h2>\n", f);
	for (size_t i = 0; i < NCHARTS; i++) {
		char path[PATH_MAX];

		if (!exists(dir, charts[i].file, "png"))
			continue;
		snprintf(path, sizeof(path), "%s/%s.png", dir, charts[i].file);
		fputs("<figure><img alt=\"", f);
		html_text(f, charts[i].file);
		fputs("\" src=\"data:image/png;base64,", f);
		base64_file(f, path);
		fputs("\"/><figcaption><strong>Tests:</strong> ", f);
		html_text(f, charts[i].claim);
		fputs("</figcaption></figure>\n", f);
	}
	fputs("<h2>Words used on this sheet</h2>\n<dl>\n", f);
	for (size_t i = 0; i < NGLOSSARY; i++) {
		fputs("<dt><strong>", f);
		html_text(f, glossary[i][0]);
		fputs("</strong></dt><dd>", f);
		html_text(f, glossary[i][1]);
		fputs("</dd>\n", f);
	}
	fputs("</dl>\n<p>The detailed log of every experiment and probe is SUMMARY.md.</p>\n</body></html>\n", f);
}

/* The one-page sheet's lines for plots/revision.gp: tab-separated
 * "style<TAB>colour<TAB>text", one line of the page each, wrapped here. */
static int tsv_y; /* the page line being written */

static void tsv_line(FILE *f, int style, const char *colour, const char *text)
{
	if (style != 4) /* a verdict goes on its heading's line */
		tsv_y++;
	fprintf(f, "%d\t%d\t%s\t", style, tsv_y, colour);
	for (; *text; text++)
		if (*text == '"')
			fputs("\xe2\x80\x9d", f); /* gnuplot would take " as a quoted field */
		else
			fputc(*text == '\t' || *text == '\n' ? ' ' : *text, f);
	fputc('\n', f);
}

static void tsv_wrapped(FILE *f, int style, const char *colour, const char *prefix, const char *text,
			size_t width)
{
	char line[256];
	size_t plen = strlen(prefix);

	while (*text) {
		size_t n = strlen(text), cut = n;

		if (plen + n > width) {
			cut = width - plen;
			while (cut > 0 && text[cut] != ' ')
				cut--;
			if (!cut)
				cut = width - plen;
		}
		snprintf(line, sizeof(line), "%s%.*s", prefix, (int)cut, text);
		tsv_line(f, style, colour, line);
		text += cut;
		while (*text == ' ')
			text++;
		prefix = "      ";
		plen = strlen(prefix);
	}
}

static const char *verdict_colour(const char *v)
{
	if (!strcmp(v, "confirmed"))
		return "#2E7D32";
	if (!strcmp(v, "too simple"))
		return "#B26A00";
	if (!strcmp(v, "wrong"))
		return "#C62828";
	return "#666666";
}

static void write_tsv(FILE *f, const struct sc_rev_row *rows)
{
	tsv_y = -1;
	tsv_line(f, 1, "#000000", "Stream vs datagram sockets: the sample exam answer, measured");
	tsv_line(f, 3, "#444444", "Quoted: the lecture's sample answer, word for word. Plain words, figures and "
				  "verdicts: sockcmp's, from this run.");
	for (size_t i = 0; i < SC_REV_ROWS; i++) {
		char head[256], v[64];

		snprintf(head, sizeof(head), "%zu. stream \xe2\x80\x9c%s\xe2\x80\x9d  vs  datagram \xe2\x80\x9c%s\xe2\x80\x9d", i + 1, rows[i].stream_words,
			 rows[i].dgram_words);
		snprintf(v, sizeof(v), "%s", rows[i].verdict);
		tsv_line(f, 2, "#000000", head);
		tsv_line(f, 4, verdict_colour(v), v);
		tsv_wrapped(f, 3, "#222222", "      ", rows[i].plain, 140);
		tsv_wrapped(f, 3, "#1F4E79", "      measured here: ", rows[i].figures[0] ? rows[i].figures : "-", 140);
	}
}

/* One file of the sheet: its writer and what the writer reads. */
struct sheet_file {
	void (*fn)(FILE *, const char *, const struct sc_rev_data *, const struct sc_rev_row *, const char *);
	const char *dir, *only;
	const struct sc_rev_data *d;
	const struct sc_rev_row *rows;
};

static void sheet_file_fn(FILE *f, void *ctx)
{
	const struct sheet_file *x = ctx;

	x->fn(f, x->dir, x->d, x->rows, x->only);
}

/* Writes dir/name through fn, whole or not at all. */
static int write_file(const char *dir, const char *name,
		      void (*fn)(FILE *, const char *, const struct sc_rev_data *, const struct sc_rev_row *,
				 const char *),
		      const struct sc_rev_data *d, const struct sc_rev_row *rows, const char *only)
{
	struct sheet_file x = {fn, dir, only, d, rows};
	char path[PATH_MAX];
	int w;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	w = sc_outfile_write(path, sheet_file_fn, &x);
	if (w < 0)
		fprintf(stderr, "sockcmp: cannot write %s: %s\n", path, strerror(-w));
	return w;
}

static void tsv_fn(FILE *f, const char *dir, const struct sc_rev_data *d, const struct sc_rev_row *rows,
		   const char *only)
{
	(void)dir;
	(void)d;
	(void)only;
	write_tsv(f, rows);
}

/* Probe results drawn as charts: file name, gnuplot script. */
static const char *const probe_charts[][2] = {
	{"read-patterns", "patterns.gp"},
	{"coalescing-patterns", "coalescing.gp"},
	{"wire-overhead", "wire.gp"},
	{"backlog", "backlog.gp"},
};

static bool loaded(const struct sc_rev_data *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->t[i].name, name))
			return true;
	return false;
}

int sc_revision_write(const char *dir, int64_t since_s, bool png, const char *only)
{
	static struct sc_rev_data d;
	struct sc_rev_row rows[SC_REV_ROWS];
	int r, k = 0;

	memset(&d, 0, sizeof(d));
	r = load(dir, since_s, &d);
	if (r < 0) {
		fprintf(stderr, "sockcmp: %s: %s\n", dir, strerror(-r));
		return r;
	}
	sc_rev_rows(&d, rows);
	/* The probes' charts, for those measured (in this run). */
	for (size_t i = 0; png && i < sizeof(probe_charts) / sizeof(probe_charts[0]); i++) {
		char in[80];

		if (!loaded(&d, probe_charts[i][0]))
			continue;
		snprintf(in, sizeof(in), "%s.csv", probe_charts[i][0]);
		k = sc_plot_script(probe_charts[i][1], dir, in, probe_charts[i][0], NULL, 0);
		if (k < 0 && k != -ENOENT && !r)
			r = k;
	}
	/* The page first, so the HTML can show it too. */
	if (png && write_file(dir, "revision-sheet.tsv", tsv_fn, &d, rows, only) == 0) {
		k = sc_plot_script("revision.gp", dir, "revision-sheet.tsv", "revision", NULL, 0);
		if (k < 0 && k != -ENOENT && !r)
			r = k;
	}
	k = write_file(dir, "revision.md", write_md, &d, rows, only);
	if (k < 0 && !r)
		r = k;
	k = write_file(dir, "revision.html", write_html, &d, rows, only);
	if (k < 0 && !r)
		r = k;
	sc_rev_data_free(&d);
	return r;
}
