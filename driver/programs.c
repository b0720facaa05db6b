/* programs.c - the lecture's programs, paired (see programs.h). */
#include "programs.h"

#include "probe.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "csv.h"
#include "exchange.h"
#include "outfile.h"
#include "paths.h"
#include "probe_judge.h"
#include "spawn.h"

enum { S_C, S_PY, S_SC, S_FORK, C_C, C_PY, C_SC, C_FORK };

/* One program. argv words starting with '@' are filled in: @BIN/x and
 * @EX/x are paths, @PY the Python interpreter, @DIR the pairing's
 * directory, @MSG / @REPLY the pairing's texts. A lecture program's view
 * is the text it printed after prefix; sockcmp's is its exchange.csv. */
struct prog {
	const char *label;
	const char *argv[16];
	const char *prefix;   /* NULL: a sockcmp program with an exchange log */
	const char *out;      /* its --out prefix inside @DIR */
};

static const struct prog progs[] = {
	[S_C] = {"C server", {"@BIN/lecture-simple-server"}, "from client: ", NULL},
	[S_PY] = {"Python server", {"@PY", "@EX/simple_server.py"}, "from client: ", NULL},
	[S_SC] = {"stream-recv --raw --reply", {"@BIN/stream-recv", "--raw", "--reply", "@REPLY", "--listen",
		  "0.0.0.0:1234", "--wait", "5s", "--idle", "2s", "--out", "@DIR/server", "--quiet"}, NULL, "server"},
	[S_FORK] = {"C fork server", {"@BIN/lecture-fork-server"}, "The message from client is ", NULL},
	[C_C] = {"C client", {"@BIN/lecture-simple-client"}, "from server: ", NULL},
	[C_PY] = {"Python client", {"@PY", "@EX/simple_client.py"}, "from server: ", NULL},
	[C_SC] = {"stream-send --raw --payload", {"@BIN/stream-send", "--to", "127.0.0.1:PORT", "--payload", "@MSG",
		  "--wait", "5s", "--out", "@DIR/client", "--quiet"}, NULL, "client"},
	[C_FORK] = {"C fork client", {"@BIN/lecture-fork-client", "127.0.0.1", "PORT"},
		    "I am client and I have received this message ", NULL},
};

#define HELLO "hello server"
#define BACK "back to ya client"
#define FHELLO "Hello server, please respond to client!"
#define FBACK "I am server and this is my message"

/* A pairing: who, on which port, and what each side should see. The
 * sockcmp programs say what the lecture program they stand in for says. */
static const struct pairing {
	const char *name;
	int server, client;
	const char *port;  /* "1234" or "print" */
	const char *msg, *reply;  /* the client's message, the server's reply */
} pairings[] = {
	{"c-c", S_C, C_C, "1234", HELLO, BACK},
	{"c-python", S_C, C_PY, "1234", HELLO, BACK},
	{"python-c", S_PY, C_C, "1234", HELLO, BACK},
	{"python-python", S_PY, C_PY, "1234", HELLO, BACK},
	{"c-sockcmp", S_C, C_SC, "1234", HELLO, BACK},
	{"python-sockcmp", S_PY, C_SC, "1234", HELLO, BACK},
	{"sockcmp-c", S_SC, C_C, "1234", HELLO, BACK},
	{"sockcmp-python", S_SC, C_PY, "1234", HELLO, BACK},
	{"fork-fork", S_FORK, C_FORK, "print", FHELLO, FBACK},
	{"fork-sockcmp", S_FORK, C_SC, "print", FHELLO, FBACK},
	{"sockcmp-fork", S_SC, C_FORK, "1234", FHELLO, "\n" FBACK "\n"},
};
#define NPAIRINGS (sizeof(pairings) / sizeof(pairings[0]))

/* The Python interpreter: the system one (a pyenv shim takes seconds to
 * start), else the first python3 on PATH. Returns NULL if there is none. */
static const char *python(char *buf, size_t len)
{
	const char *path = getenv("PATH");

	if (access("/usr/bin/python3", X_OK) == 0)
		return "/usr/bin/python3";
	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, len, "%.*s/python3", (int)n, path);
		if (n && access(buf, X_OK) == 0)
			return buf;
		path += n + (path[n] == ':');
	}
	return NULL;
}

/* Fills one program's argv into argv[*n...], words stored in store.
 * Returns 0, or -ENOENT if it needs Python and there is none. */
static int fill(const struct prog *p, const struct pairing *pr, const char *bin, const char *dir,
		const char *py, char **argv, int *n, char *store, size_t *used, size_t cap)
{
	for (int i = 0; p->argv[i]; i++) {
		const char *w = p->argv[i];
		char tmp[4200];

		if (!strncmp(w, "@BIN/", 5))
			snprintf(tmp, sizeof(tmp), "%s/%s", bin, w + 5);
		else if (!strncmp(w, "@EX/", 4))
			snprintf(tmp, sizeof(tmp), "%s/%s", sc_examples_dir(), w + 4);
		else if (!strncmp(w, "@DIR/", 5))
			snprintf(tmp, sizeof(tmp), "%s/%s", dir, w + 5);
		else if (!strcmp(w, "@PY")) {
			if (!py)
				return -ENOENT;
			snprintf(tmp, sizeof(tmp), "%s", py);
		} else if (!strcmp(w, "@MSG"))
			snprintf(tmp, sizeof(tmp), "%s", pr->msg);
		else if (!strcmp(w, "@REPLY"))
			snprintf(tmp, sizeof(tmp), "%s", pr->reply);
		else
			snprintf(tmp, sizeof(tmp), "%s", w);
		if (*used + strlen(tmp) + 1 > cap)
			return -ENOSPC;
		argv[(*n)++] = memcpy(store + *used, tmp, strlen(tmp) + 1);
		*used += strlen(tmp) + 1;
	}
	return 0;
}

/* What a lecture program printed after its prefix: leading white space
 * skipped, up to the end of that line, escaped. */
static void printed(const char *path, const char *prefix, char *saw, size_t len)
{
	char buf[8192], *p;
	FILE *f = fopen(path, "re");
	size_t n = 0;

	saw[0] = '\0';
	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	p = strstr(buf, prefix);
	if (!p)
		return;
	p += strlen(prefix);
	while (*p && isspace((unsigned char)*p))
		p++;
	p[strcspn(p, "\n")] = '\0';
	sc_exchange_escape((const uint8_t *)p, strlen(p), saw, len);
}

/* What a sockcmp program read, from its exchange log: the "in" rows'
 * text joined, and their byte count. Returns the bytes, or -1. */
static long exchanged(const char *path, char *saw, size_t len)
{
	char line[2048], *f[8];
	FILE *fp = fopen(path, "re");
	long bytes = -1;
	size_t used = 0;

	saw[0] = '\0';
	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp)) {
		int k;

		line[strcspn(line, "\r\n")] = '\0';
		k = sc_csv_split(line, f, 8);
		if (k != 5 || strcmp(f[0], "in"))
			continue;
		bytes = (bytes < 0 ? 0 : bytes) + strtol(f[3], NULL, 10);
		used += (size_t)snprintf(saw + used, used < len ? len - used : 0, "%s", f[4]);
		if (used >= len)
			used = len - 1;
	}
	fclose(fp);
	return bytes;
}

static void view(const struct prog *p, const char *dir, const char *role, char *saw, size_t len,
		 long *bytes)
{
	char path[4200];

	*bytes = -1;
	if (p->prefix) {
		snprintf(path, sizeof(path), "%s/%s.out", dir, role);
		printed(path, p->prefix, saw, len);
	} else {
		snprintf(path, sizeof(path), "%s/%s-exchange.csv", dir, p->out);
		*bytes = exchanged(path, saw, len);
	}
}

/* Runs one pairing through `sockcmp __pair`. Returns 0 (r->ok: whether it
 * exchanged; r->note says why not), 1 if it could not run here (no
 * python3: r->note; no namespaces: skipped), -EINTR. A failure of ours
 * (no folder, no process) is a failed pairing, not one that cannot run
 * here: the verdict must not pass over it. */
static int run_one(const struct sc_run_opts *o, const struct pairing *pr, const char *py,
		   struct sc_pairing_result *r, char *skipped, size_t skiplen)
{
	char dir[4096], self[4200], errp[4300], line[256], store[8192];
	char *argv[64];
	struct sc_child c;
	size_t used = 0;
	int n = 0, k;

	memset(r, 0, sizeof(*r));
	r->name = pr->name;
	r->server = progs[pr->server].label;
	r->client = progs[pr->client].label;
	r->server_exit = r->client_exit = -1;
	r->server_bytes = r->client_bytes = -1;
	snprintf(dir, sizeof(dir), "%s/programs/%s", o->out_dir, pr->name);
	if (sc_mkdirs(dir) < 0) {
		snprintf(r->note, sizeof(r->note), "cannot create programs/%s", pr->name);
		return 0;
	}
	if (sc_self_path(o->bin_dir, self, sizeof(self)) < 0) {
		snprintf(r->note, sizeof(r->note), "the path to sockcmp is too long");
		return 0;
	}
	argv[n++] = self;
	argv[n++] = "__pair";
	argv[n++] = dir;
	argv[n++] = (char *)pr->port;
	k = fill(&progs[pr->server], pr, o->bin_dir, dir, py, argv, &n, store, &used, sizeof(store));
	argv[n++] = "--";
	if (k == 0)
		k = fill(&progs[pr->client], pr, o->bin_dir, dir, py, argv, &n, store, &used, sizeof(store));
	if (k < 0) {
		snprintf(r->note, sizeof(r->note), k == -ENOENT ? "not run: no python3 on this machine"
			 : "failed: command line too long");
		return k == -ENOENT ? 1 : 0;
	}
	argv[n] = NULL;
	snprintf(errp, sizeof(errp), "%s/pair.err", dir);
	if (sc_spawn(&c, argv, 1, errp, NULL) < 0) {
		snprintf(r->note, sizeof(r->note), "cannot start sockcmp __pair");
		return 0;
	}
	k = sc_child_line(&c, line, sizeof(line), sc_mono_ns() + 25 * SC_NS_PER_S, o->stop);
	sc_child_wait(&c, 1, sc_mono_ns() + 2 * SC_NS_PER_S, o->stop);
	sc_child_end(&c, 1, SC_NS_PER_S);
	if (k == -EINTR)
		return -EINTR;
	if (k >= 0 && !strncmp(line, "skip ", 5)) {
		snprintf(skipped, skiplen, "%s", line + 5);
		return 1;
	}
	if (k < 0 || sscanf(line, "%d %d", &r->server_exit, &r->client_exit) != 2) {
		snprintf(r->note, sizeof(r->note), "the pairing did not finish (see programs/%s/pair.err)", pr->name);
		return 0;
	}
	view(&progs[pr->server], dir, "server", r->server_saw, sizeof(r->server_saw), &r->server_bytes);
	view(&progs[pr->client], dir, "client", r->client_saw, sizeof(r->client_saw), &r->client_bytes);
	r->ok = strstr(r->server_saw, pr->msg) && strstr(r->client_saw, pr->reply[0] == '\n' ? FBACK : pr->reply) &&
		r->client_exit == 0 && (r->server_exit == 0 || r->server_exit == -2);
	if (r->server_bytes > (long)strlen(pr->msg))
		snprintf(r->note, sizeof(r->note), "the server read %ld bytes for a %zu-character message: "
			 "the client writes its whole buffer, zeros included", r->server_bytes, strlen(pr->msg));
	else if (r->client_bytes > (long)strlen(pr->reply))
		snprintf(r->note, sizeof(r->note), "the client read %ld bytes for a %zu-character reply: "
			 "the server writes its whole buffer, zeros included", r->client_bytes, strlen(pr->reply));
	else if (pr->server == S_FORK) {
		char path[4200], buf[4096];
		FILE *f;
		size_t m = 0;
		unsigned shown;
		char *p;

		snprintf(path, sizeof(path), "%s/server.out", dir);
		f = fopen(path, "re");
		if (f) {
			m = fread(buf, 1, sizeof(buf) - 1, f);
			fclose(f);
		}
		buf[m] = '\0';
		p = strstr(buf, "has port number ");
		if (p && sscanf(p, "has port number %u", &shown) == 1)
			snprintf(r->note, sizeof(r->note), "the fork server printed the client's port as %u, "
				 "without ntohs(): the real port is %u", shown, ((shown & 255) << 8) | (shown >> 8));
	}
	return 0;
}

static int write_csv(const char *out_dir, const struct sc_programs *p)
{
	/* Free text last: the other columns never hold a comma. */
	static const char *const cols[] = {"pairing", "server", "client", "server_exit", "client_exit",
		"server_saw_bytes", "client_saw_bytes", "exchanged", "server_saw", "client_saw", "note"};
	char path[4200];
	struct sc_csv c;
	int r;

	snprintf(path, sizeof(path), "%s/programs.csv", out_dir);
	if ((r = sc_csv_open(&c, path)) < 0)
		return r;
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		sc_csv_field(&c, cols[i]);
	sc_csv_end_row(&c);
	for (size_t i = 0; i < p->n; i++) {
		const struct sc_pairing_result *w = &p->v[i];

		sc_csv_field(&c, w->name);
		sc_csv_field(&c, w->server);
		sc_csv_field(&c, w->client);
		sc_csv_i64(&c, w->server_exit);
		sc_csv_i64(&c, w->client_exit);
		if (w->server_bytes >= 0)
			sc_csv_i64(&c, w->server_bytes);
		else
			sc_csv_field(&c, NULL);
		if (w->client_bytes >= 0)
			sc_csv_i64(&c, w->client_bytes);
		else
			sc_csv_field(&c, NULL);
		sc_csv_field(&c, w->ok ? "yes" : "no");
		sc_csv_field(&c, w->server_saw);
		sc_csv_field(&c, w->client_saw);
		sc_csv_field(&c, w->note);
		sc_csv_end_row(&c);
	}
	return sc_csv_commit(&c);
}

int sc_programs_run(const struct sc_run_opts *o, struct sc_programs *p)
{
	char pybuf[4096];
	const char *py = python(pybuf, sizeof(pybuf));
	int failed = 0, k;

	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < NPAIRINGS && p->n < sizeof(p->v) / sizeof(p->v[0]); i++) {
		struct sc_pairing_result *r = &p->v[p->n];

		k = run_one(o, &pairings[i], py, r, p->skipped, sizeof(p->skipped));

		if (k == -EINTR)
			return -EINTR;
		if (p->skipped[0])
			return 0;
		p->n++;
		if (k == 0 && r->ok)
			p->ok++;
		else if (k == 0)
			failed = 1;
		else {
			r->notrun = 1;
			p->notrun++;
		}
	}
	if ((k = write_csv(o->out_dir, p)) < 0)
		snprintf(p->unwritten, sizeof(p->unwritten), "cannot write %s/programs.csv: %s", o->out_dir,
			 strerror(-k));
	return failed ? -EIO : 0;
}

void sc_programs_table(FILE *f, const struct sc_programs *p)
{
	if (p->skipped[0]) {
		fprintf(f, "The lecture's programs were not run: %s.\n", p->skipped);
		return;
	}
	fprintf(f, "| server | client | server saw | client saw | exchanged | note |\n|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < p->n; i++) {
		const struct sc_pairing_result *w = &p->v[i];
		char sb[32] = "", cb[32] = "";

		if (w->server_bytes >= 0)
			snprintf(sb, sizeof(sb), " (%ld bytes)", w->server_bytes);
		if (w->client_bytes >= 0)
			snprintf(cb, sizeof(cb), " (%ld bytes)", w->client_bytes);
		fprintf(f, "| %s | %s | `%.60s%s`%s | `%.60s%s`%s | %s | %s |\n", w->server, w->client,
			w->server_saw, strlen(w->server_saw) > 60 ? "..." : "", sb, w->client_saw,
			strlen(w->client_saw) > 60 ? "..." : "", cb,
			w->ok ? "yes" : w->notrun ? "not run" : "NO", w->note);
	}
	fprintf(f, "\n%zu of %zu pairings exchanged both messages (programs.csv; each pairing's "
		   "output in programs/NAME/).\n", p->ok, p->n);
}

static void table_cb(FILE *f, void *p)
{
	sc_programs_table(f, p);
}

/* Writes the table as DIR/programs.md for SUMMARY.md to include: whole
 * or not at all (sc_outfile), p->unwritten set if not. */
static void write_md(const char *dir, struct sc_programs *p)
{
	char path[4200];
	int r;

	snprintf(path, sizeof(path), "%s/programs.md", dir);
	if ((r = sc_outfile_write(path, table_cb, p)) < 0 && !p->unwritten[0])
		snprintf(p->unwritten, sizeof(p->unwritten), "cannot write %s: %s", path, strerror(-r));
}

void sc__judge_programs(size_t n, size_t ok, size_t notrun, const char *skipped, const char *unwritten,
			struct sc_verdict *v)
{
	if (unwritten[0])
		/* The verdict points the reader at programs.csv/.md: without
		 * them it cannot be checked. */
		sc_verdict_set(v, "not measured", "%s", unwritten);
	else if (skipped[0])
		sc_verdict_set(v, "not measured", "the pairings need private network namespaces: %s", skipped);
	else if (n && ok == n)
		sc_verdict_set(v, "confirmed", "C, Python 3 and sockcmp's programs exchanged the lecture's messages "
			       "in both directions in every pairing");
	else if (ok && ok + notrun == n)
		sc_verdict_set(v, "confirmed", "every pairing that could run exchanged its messages (%zu could not run "
			       "here: no python3)", notrun);
	else if (!n || !ok)
		sc_verdict_set(v, "not measured", "no pairing exchanged its messages (%zu listed, %zu could not run)", n,
			       notrun);
	else
		/* A pairing that failed tells nothing about the languages: a
		 * program that crashed or timed out is a failed measurement. */
		sc_verdict_set(v, "not measured", "%zu of %zu pairings failed: see programs.csv and programs/NAME/",
			       n - ok - notrun, n);
}

int sc_probe_programs(const struct sc_probe_env *env, struct sc_verdict *v)
{
	struct sc_run_opts o = {.out_dir = env->out_dir, .bin_dir = env->bin_dir, .stop = env->stop};
	struct sc_programs *p = calloc(1, sizeof(*p));
	const char *port_note = "";
	int r;

	if (!p)
		return -ENOMEM;
	r = sc_programs_run(&o, p);
	if (r == -EINTR) {
		free(p);
		return r;
	}
	write_md(env->out_dir, p);
	for (size_t i = 0; i < p->n; i++)
		if (strstr(p->v[i].note, "without ntohs"))
			port_note = p->v[i].note;
	sc__judge_programs(p->n, p->ok, p->notrun, p->skipped, p->unwritten, v);
	sc_verdict_figures(v, "%zu of %zu pairings exchanged both messages; %s", p->ok, p->n, port_note);
	free(p);
	return 0;
}
