/* probe.c - the probe table, and running a probe in its own process (see
 * probe.h). */
#include "probe.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "clock.h"
#include "paths.h"
#include "privns.h"
#include "probe_judge.h"
#include "spawn.h"

static const struct sc_probe probes[] = {
	{"programs", "\"a socket program written in Python can also communicate with a socket program "
		     "written in C\" (the lecture's own programs, paired with each other and with sockcmp's)",
	 false, 60, sc_probe_programs},
	{"ports", "\"Upon acceptance, the server creates a new socket bound to a different port\"; port 0 "
		  "asks for \"a free port to be allocated\"", true, 10, sc_probe_ports},
	{"privileged-ports", "\"0-1023 are reserved; User code must use numbers < 1023\" (two other slides: "
			     "\"user level process/services generally use port number value >= 1024\")",
	 true, 10, sc_probe_privileged},
	{"time-wait", "\"Closing a socket ... frees up the port used by the socket\"", true, 10, sc_probe_timewait},
	{"byte-order", "\"Network byte order = Big Endian\": un.addr = 0x8002c25f, c[0] = ? (95 on Intel, 128 "
		       "after htonl)", true, 10, sc_probe_byteorder},
	{"zero-length", "\"Send a message with 0 bytes to end the conversation\" (the server closes \"on 0 bytes "
			"received\")", true, 10, sc_probe_zero},
	{"backlog", "\"listen(): announce number of connections\" - listen(s, 5)", true, 20, sc_probe_backlog},
	{"connectionless", "datagram: \"no notion of connection\"; stream: \"connection orientated\"", true, 10,
	 sc_probe_connectionless},
	{"both-directions", "exam answer: a datagram socket is \"one way only - send or receive\"", true, 10,
	 sc_probe_bothways},
	{"sync-async", "exam answer: stream \"(synchronous)\", datagram \"(asynchronous)\"", true, 15, sc_probe_sync},
	{"size-limits", "exam answer: datagram \"single packet (small)\", stream \"stream data (large)\"", true, 10,
	 sc_probe_sizes},
	{"wire-overhead", "exam answer: stream \"(acknowledge receipt)\", datagram \"(do not acknowledge "
			  "receipt)\", \"simpler - less overhead\"", true, 10, sc_probe_wire},
	{"ping", "\"datagram sockets (UDP User Datagram Protocol) ... (e.g. ping)\"", true, 10, sc_probe_ping},
	{"unix-names", "UNIX domain: \"Sockets have actual file names\"", true, 10, sc_probe_unixnames},
	{"read-patterns", "stream: \"the receiver gets all the requested bytes\"; datagram: \"only 512 bytes is "
			  "returned\" - 20 trials each with the reader already waiting, the distribution of read "
			  "patterns", true, 20, sc_probe_patterns},
	{"coalescing-patterns", "(sockcmp) stream: how many reads five writes 2 ms apart take depends on how late "
				"the reader starts (coalescing.exp, 20 trials per delay, the distribution of read "
				"patterns)", true, 20, sc_probe_coalescing},
	{"names", "\"TCP=Transport Control Protocol\"; \"/etc/services is a file on most computers used to "
		  "specify socket addresses\"", false, 10, sc_probe_names},
	{"fork-server", "\"Fork child process to handle client service request\" (the fork server), vs the simple "
		    "server that serves one client", true, 20, sc_probe_servers},
};
#define NPROBES (sizeof(probes) / sizeof(probes[0]))

const struct sc_probe *sc_probe_find(const char *name)
{
	for (size_t i = 0; i < NPROBES; i++)
		if (!strcmp(probes[i].name, name))
			return &probes[i];
	return NULL;
}

size_t sc_probe_count(void)
{
	return NPROBES;
}

const struct sc_probe *sc_probe_at(size_t i)
{
	return i < NPROBES ? &probes[i] : NULL;
}

/* Tabs and line breaks would break the one-line report: spaces instead. */
static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r' || *s == '\t')
			*s = ' ';
}

void sc_verdict_set(struct sc_verdict *v, const char *verdict, const char *fmt, ...)
{
	va_list ap;

	snprintf(v->verdict, sizeof(v->verdict), "%s", verdict);
	va_start(ap, fmt);
	vsnprintf(v->why, sizeof(v->why), fmt, ap);
	va_end(ap);
	one_line(v->why);
}

void sc_verdict_figures(struct sc_verdict *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->figures, sizeof(v->figures), fmt, ap);
	va_end(ap);
	one_line(v->figures);
}

int sc_probe_csv_open(const struct sc_probe_env *env, const char *name, struct sc_csv *c,
		      const char *const *cols)
{
	char path[4200];
	int r;

	snprintf(path, sizeof(path), "%s/%s.csv", env->out_dir, name);
	if ((r = sc_csv_open(c, path)) < 0)
		return r;
	for (size_t i = 0; cols[i]; i++)
		sc_csv_field(c, cols[i]);
	sc_csv_end_row(c);
	return 0;
}

void sc__probe_outcome(int r, struct sc_verdict *v)
{
	char why[sizeof(v->why)];

	if (r < 0 && strcmp(v->verdict, "not measured")) {
		/* A verdict set before the failure was made on a measurement
		 * that did not finish: it does not stand. */
		if (v->verdict[0] || !v->why[0])
			snprintf(why, sizeof(why), "%s", strerror(-r));
		else
			snprintf(why, sizeof(why), "%s", v->why);
		sc_verdict_set(v, "not measured", "%s", why);
	}
	if (!v->verdict[0])
		sc_verdict_set(v, "not measured", "the probe gave no verdict");
}

int sc_probe_child_main(int argc, char **argv)
{
	struct sc_probe_env env = {0};
	struct sc_verdict v;
	const struct sc_probe *p;
	char bin[4096], err[256];
	static volatile sig_atomic_t stop;
	int r;

	if (argc != 3 || !(p = sc_probe_find(argv[1]))) {
		fprintf(stderr, "usage: sockcmp __probe NAME DIR\n");
		return 2;
	}
	memset(&v, 0, sizeof(v));
	if (sc_bin_dir(bin, sizeof(bin)) < 0)
		return 1;
	env.out_dir = argv[2];
	env.bin_dir = bin;
	env.stop = &stop;
	r = sc_privns_enter(err, sizeof(err));
	env.privns = r == 0;
	if (r < 0 && p->needs_privns) {
		sc_verdict_set(&v, "not measured", "needs a private network namespace: %s", err);
	} else {
		sc__probe_outcome(p->run(&env, &v), &v);
	}
	printf("verdict\t%s\nfigures\t%s\nwhy\t%s\n", v.verdict, v.figures, v.why);
	fflush(stdout);
	return 0;
}

int sc_probe_run(const struct sc_probe *p, const struct sc_run_opts *o, struct sc_verdict *v)
{
	char self[4200], line[1400];
	char *argv[] = {self, "__probe", (char *)p->name, (char *)o->out_dir, NULL};
	/* timeout_s is what the probe takes on a slow machine; the guard is
	 * four times that, so a host kept busy by others (the probes run at a
	 * lower priority beside an experiment) slows a probe down but never
	 * turns it into "not measured". */
	uint64_t until = sc_mono_ns() + (uint64_t)p->timeout_s * SC_PROBE_GUARD * SC_NS_PER_S;
	struct sc_child c;
	int r, k;

	memset(v, 0, sizeof(*v));
	r = sc_self_path(o->bin_dir, self, sizeof(self));
	if (r == 0)
		r = sc_spawn(&c, argv, 1, NULL, NULL);
	if (r < 0) {
		sc_verdict_set(v, "not measured", "cannot start the probe: %s", strerror(-r));
		return r;
	}
	while ((k = sc_child_line(&c, line, sizeof(line), until, o->stop)) >= 0) {
		char *tab = strchr(line, '\t');

		if (!tab)
			continue;
		*tab++ = '\0';
		if (!strcmp(line, "verdict"))
			snprintf(v->verdict, sizeof(v->verdict), "%s", tab);
		else if (!strcmp(line, "figures"))
			snprintf(v->figures, sizeof(v->figures), "%s", tab);
		else if (!strcmp(line, "why"))
			snprintf(v->why, sizeof(v->why), "%s", tab);
	}
	sc_child_wait(&c, 1, sc_mono_ns() + SC_NS_PER_S, o->stop);
	sc_child_end(&c, 1, SC_NS_PER_S);
	if (k == -EINTR)
		return -EINTR;
	if (!v->verdict[0]) {
		sc_verdict_set(v, "not measured", k == -ETIMEDOUT ? "the probe did not finish within %u s"
			       : "the probe ended without a verdict (exit %d)", k == -ETIMEDOUT ? p->timeout_s * SC_PROBE_GUARD
			       : (unsigned)sc_child_code(&c));
		return -EIO;
	}
	/* A verdict stands only if the probe then ended well: one that
	 * failed afterwards (a file not written, a sanitizer's report, a
	 * signal) measured nothing we can vouch for. */
	if (sc_child_code(&c) != 0 && strcmp(v->verdict, "not measured") != 0) {
		int code = sc_child_code(&c);

		sc_verdict_set(v, "not measured", "the probe exited %d after its verdict", code);
		return -EIO;
	}
	return 0;
}

int sc_probes_run_all(const struct sc_run_opts *o, struct sc_probe_results *r)
{
	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < NPROBES && r->n < sizeof(r->v) / sizeof(r->v[0]); i++) {
		if (*o->stop)
			return -EINTR;
		r->p[r->n] = &probes[i];
		if (sc_probe_run(&probes[i], o, &r->v[r->n]) == -EINTR)
			return -EINTR;
		r->n++;
	}
	return 0;
}

/* One markdown table cell: a '|' in the text would end the cell. */
static void cell(FILE *f, const char *s)
{
	fputs("| ", f);
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc(' ', f);
}

void sc_probes_table(FILE *f, const struct sc_probe_results *r, bool plain)
{
	if (!plain)
		fprintf(f, "| claim | probe | verdict | measured | why |\n|---|---|---|---|---|\n");
	for (size_t i = 0; i < r->n; i++) {
		if (plain)
			fprintf(f, "  - %s [%s]\n      %s: %s\n      measured: %s\n", r->p[i]->claim, r->p[i]->name,
				r->v[i].verdict, r->v[i].why, r->v[i].figures);
		else {
			cell(f, r->p[i]->claim);
			cell(f, r->p[i]->name);
			cell(f, r->v[i].verdict);
			cell(f, r->v[i].figures);
			cell(f, r->v[i].why);
			fputs("|\n", f);
		}
	}
}

int sc_probes_csv(const char *dir, const struct sc_probe_results *r)
{
	char path[4200];
	struct sc_csv c;
	int k;

	snprintf(path, sizeof(path), "%s/probes.csv", dir);
	if ((k = sc_csv_open(&c, path)) < 0)
		return k;
	sc_csv_field(&c, "probe");
	sc_csv_field(&c, "claim");
	sc_csv_field(&c, "verdict");
	sc_csv_field(&c, "figures");
	sc_csv_field(&c, "why");
	sc_csv_end_row(&c);
	for (size_t i = 0; i < r->n; i++) {
		sc_csv_field(&c, r->p[i]->name);
		sc_csv_field(&c, r->p[i]->claim);
		sc_csv_field(&c, r->v[i].verdict);
		sc_csv_field(&c, r->v[i].figures);
		sc_csv_field(&c, r->v[i].why);
		sc_csv_end_row(&c);
	}
	return sc_csv_commit(&c);
}

void sc_probes_summary(FILE *f, const struct sc_probe_results *r, const char *dir)
{
	char path[4200], buf[4096];
	size_t n;
	FILE *in;

	fprintf(f, "\n## The lecture's other claims (built-in probes)\n\n"
		   "Each probe measures in a private network namespace of its own; its figures are in "
		   "NAME.csv beside this file and in probes.csv. Quoted text is the lecture's; the rest is "
		   "sockcmp's wording.\n\n");
	sc_probes_table(f, r, false);
	snprintf(path, sizeof(path), "%s/programs.md", dir);
	in = fopen(path, "re");
	if (!in)
		return;
	fprintf(f, "\n## The lecture's programs, run against each other and against sockcmp's\n\n");
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, f);
	fclose(in);
}

/* `sockcmp __probes DIR`: every probe in order, their verdicts into
 * DIR/probes.csv; the process `sockcmp lecture` runs in the background
 * (sc_probes_start). */
int sc_probes_child_main(int argc, char **argv)
{
	static struct sc_probe_results r;
	static volatile sig_atomic_t stop;
	struct sc_run_opts o = {.stop = &stop};
	char bin[4096];

	if (argc != 2) {
		fprintf(stderr, "usage: sockcmp __probes DIR\n");
		return 2;
	}
	if (sc_bin_dir(bin, sizeof(bin)) < 0)
		return 1;
	o.out_dir = argv[1];
	o.bin_dir = bin;
	/* Beside an experiment: give it the CPU first (children inherit).
	 * Not 19: beside two CPU-bound processes of a busy host, nice 19
	 * starved the probes for minutes (seen: "did not finish within
	 * 60 s"); at 10 they still yield to the experiment. */
	setpriority(PRIO_PROCESS, 0, 10);
	sc_probes_run_all(&o, &r);
	return sc_probes_csv(argv[1], &r) < 0 ? 1 : 0;
}

int sc_probes_start(const struct sc_run_opts *o, struct sc_child *c)
{
	char self[4200];
	char *argv[] = {self, "__probes", (char *)o->out_dir, NULL};

	int r = sc_self_path(o->bin_dir, self, sizeof(self));

	return r < 0 ? r : sc_spawn(c, argv, 0, NULL, NULL);
}

/* Reads DIR/probes.csv back into r (names matched against the table). */
static int load_csv(const char *dir, struct sc_probe_results *r)
{
	char path[4200], line[8192], *f[6];
	FILE *in;

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/probes.csv", dir);
	in = fopen(path, "re");
	if (!in)
		return -errno;
	while (fgets(line, sizeof(line), in) && r->n < sizeof(r->v) / sizeof(r->v[0])) {
		const struct sc_probe *p;

		line[strcspn(line, "\r\n")] = '\0';
		if (sc_csv_split(line, f, 6) != 5 || !(p = sc_probe_find(f[0])))
			continue;
		r->p[r->n] = p;
		snprintf(r->v[r->n].verdict, sizeof(r->v[r->n].verdict), "%s", f[2]);
		snprintf(r->v[r->n].figures, sizeof(r->v[r->n].figures), "%s", f[3]);
		snprintf(r->v[r->n].why, sizeof(r->v[r->n].why), "%s", f[4]);
		r->n++;
	}
	fclose(in);
	return 0;
}

int sc_probes_finish(const struct sc_run_opts *o, struct sc_child *c, struct sc_probe_results *r)
{
	uint64_t budget = 0;

	for (size_t i = 0; i < NPROBES; i++)
		budget += probes[i].timeout_s * SC_PROBE_GUARD;
	if (sc_child_wait(c, 1, sc_mono_ns() + budget * SC_NS_PER_S, o->stop) < 0) {
		sc_child_end(c, 1, SC_NS_PER_S);
		return *o->stop ? -EINTR : -ETIMEDOUT;
	}
	return load_csv(o->out_dir, r);
}
