/* servers.c - `sockcmp __servers`: one server model under N clients (see
 * servers.h). The client threads are in servers_clients.c. */
#include "servers.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "num.h"
#include "pair.h"
#include "paths.h"
#include "privns.h"
#include "proctree.h"
#include "servers_clients.h"
#include "spawn.h"
#include "srvmodel.h"
#include "summary.h"

#define MAX_PROCS 8192      /* /proc entries read per sample */
#define MAX_SEEN 4096       /* distinct PIDs remembered */
#define SAMPLE_NS (20 * SC_NS_PER_MS)

/* Everything the threads share with the main one. */
struct run {
	struct sc_child server;
	int out;                /* our own copy of its stdout's read end (reaping closes the runner's) */
	volatile int sampling;  /* the sampler runs while set */
	pthread_mutex_t lock;   /* guards use, seen and served below */
	struct sc_srv_use use;
	pid_t seen[MAX_SEEN];
	size_t nseen;
	uint64_t served;
	unsigned port;          /* from the server's first lines */
	volatile int drained;   /* the drain thread saw the end of the output */
	volatile int give_up;   /* it stops reading even without an end */
	char rest[256];         /* the output's unfinished line */
	size_t nrest;
};

/* Takes one complete line of the server's output into account. */
static void take_line(struct run *r, const char *line)
{
	pid_t pid;
	uint64_t n;
	unsigned port;
	int k = sc_servers_line(line, &pid, &n, &port);

	pthread_mutex_lock(&r->lock);
	if (k == 1)
		r->served += n;
	if (k == 1 || k == 2)
		sc_proc_seen(r->seen, &r->nseen, MAX_SEEN, &pid, 1);
	if (k == 3 && !r->port)
		r->port = port;
	pthread_mutex_unlock(&r->lock);
}

/* Reads what the server wrote, in large reads (the lecture's server prints
 * two lines per request: reading a byte at a time would slow it down),
 * and takes each line into account. Returns bytes read, 0 at the end (every
 * writer gone), -1 on nothing within ms. */
static ssize_t drain(struct run *r, int ms)
{
	struct pollfd p = {.fd = r->out, .events = POLLIN};
	char buf[65536];
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return -1;
	n = read(r->out, buf, sizeof(buf));
	if (n <= 0)
		return n < 0 && errno == EINTR ? -1 : 0;
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (r->nrest + 1 < sizeof(r->rest))
				r->rest[r->nrest++] = buf[i];
			continue;
		}
		r->rest[r->nrest] = '\0';
		take_line(r, r->rest);
		r->nrest = 0;
	}
	return n;
}

static void *drain_thread(void *arg)
{
	struct run *r = arg;

	while (!r->give_up && drain(r, 100) != 0)
		;
	r->drained = 1;
	return NULL;
}

/* One sample of the server's tree into r. */
static void sample(struct run *r, struct sc_proc *v)
{
	pid_t members[MAX_SEEN];
	struct sc_tree_use u;
	int n = sc_proctree_scan(r->server.pid, v, MAX_PROCS);
	size_t k;

	if (n <= 0)
		return;
	k = sc_proc_tree(v, (size_t)n, r->server.pid, &u, members, MAX_SEEN);
	if (!k)
		return; /* the server is gone */
	pthread_mutex_lock(&r->lock);
	sc_proc_fold(&r->use, &u);
	sc_proc_seen(r->seen, &r->nseen, MAX_SEEN, members, k < MAX_SEEN ? k : MAX_SEEN);
	pthread_mutex_unlock(&r->lock);
}

static void *sample_thread(void *arg)
{
	struct run *r = arg;
	struct sc_proc *v = malloc(MAX_PROCS * sizeof(*v));

	while (v && r->sampling) {
		sample(r, v);
		sc_sleep_ns(SAMPLE_NS, NULL);
	}
	free(v);
	return NULL;
}

/* Starts the server of model m; waits (up to 5 s) until it listens.
 * Returns 0 or -errno with err set. */
static int start_server(struct run *r, const struct sc_srv_model *m, uint64_t size, char *err, size_t errlen)
{
	char bin[4096], exe[4200], sz[24];
	char *argv[] = {exe, "--model", (char *)m->name, "--size", sz, NULL};
	struct sc_spawn_opts o = {.argv = argv, .out = SC_STREAM_PIPE, .err = SC_STREAM_INHERIT};
	uint64_t until = sc_mono_ns() + 5 * SC_NS_PER_S;
	int rc = sc_bin_dir(bin, sizeof(bin));

	if (rc < 0) {
		snprintf(err, errlen, "cannot find my own directory");
		return rc;
	}
	snprintf(exe, sizeof(exe), "%s/%s", bin, m->lecture ? "lecture-fork-server" : "server-model");
	snprintf(sz, sizeof(sz), "%llu", (unsigned long long)size);
	if (m->lecture)
		argv[1] = NULL; /* the lecture's program takes no arguments */
	rc = sc_child_start(&r->server, &o);
	if (rc < 0) {
		snprintf(err, errlen, "cannot start %.150s: %s", exe, strerror(-rc));
		return rc;
	}
	r->out = fcntl(r->server.out_fd, F_DUPFD_CLOEXEC, 3);
	if (r->out < 0) {
		snprintf(err, errlen, "dup: %s", strerror(errno));
		return -errno;
	}
	while (!r->port && sc_mono_ns() < until && drain(r, 50) != 0)
		;
	/* The lecture's server prints its port before it calls listen(). */
	while (r->port && strcmp(m->transport, "udp") && !sc_pair_listening(r->port) && sc_mono_ns() < until)
		sc_sleep_ns(2 * SC_NS_PER_MS, NULL);
	if (!r->port || (strcmp(m->transport, "udp") && !sc_pair_listening(r->port))) {
		snprintf(err, errlen, "the %s server did not listen within 5 s", m->name);
		return -ETIMEDOUT;
	}
	return 0;
}

/* Ends the server by its PID: SIGTERM, up to 1 s, then SIGKILL; reaps it.
 * server-model ends on the SIGTERM, clients connected or not, once every
 * connection has said its "served" line (its children and threads
 * included); the SIGKILL is for a server that does not (a hung one). */
static void end_server(struct run *r)
{
	sc_child_signal(&r->server, SIGTERM);
	if (sc_child_wait(&r->server, 1, sc_mono_ns() + SC_NS_PER_S, NULL) < 0)
		sc_child_end(&r->server, 1, 0);
}

/* What the server's processes left behind: as their subreaper, every
 * process whose parent we are now was started by the server (the fork
 * models' children outliving it). Their clients have closed, so they end
 * by themselves; those still alive after a second (a busy machine may not
 * have run them yet) are counted, ended by PID, and everything is reaped
 * (zombies included). Returns the count. */
static uint64_t end_leftovers(void)
{
	struct sc_proc *v = malloc(MAX_PROCS * sizeof(*v));
	uint64_t left = 0, grace = sc_mono_ns() + SC_NS_PER_S;
	bool killed = false;

	for (int round = 0; v && round < 200; round++) {
		int n = sc_proctree_scan(getpid(), v, MAX_PROCS), found = 0, live = 0;

		for (int i = 0; i < n; i++)
			if (v[i].ppid == getpid()) {
				found++;
				live += v[i].state != 'Z';
			}
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (!found)
			break;
		if (live && sc_mono_ns() >= grace) {
			left += killed ? 0 : (uint64_t)live;
			killed = true;
			for (int i = 0; i < n; i++)
				if (v[i].ppid == getpid() && v[i].state != 'Z')
					kill(v[i].pid, SIGKILL);
		}
		sc_sleep_ns(10 * SC_NS_PER_MS, NULL);
	}
	free(v);
	return left;
}

struct args {
	const struct sc_srv_model *m;
	uint64_t clients, for_ns, size, per_conn;
	const char *out;
};

static int parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {{"model", 1, NULL, 'm'}, {"clients", 1, NULL, 'c'},
					     {"for", 1, NULL, 'f'},   {"size", 1, NULL, 's'},
					     {"per-conn", 1, NULL, 'k'}, {"out", 1, NULL, 'o'}, {0}};
	int c, bad = 0;

	*a = (struct args){.clients = 1, .for_ns = SC_NS_PER_S, .size = 64, .per_conn = 100};
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (c == 'm')
			bad |= !(a->m = sc_srv_model_find(optarg));
		else if (c == 'c')
			bad |= sc_str_u64(optarg, 1, SC_MAX_CLIENTS, &a->clients) < 0;
		else if (c == 'f')
			bad |= sc_str_duration(optarg, 3600 * SC_NS_PER_S, &a->for_ns) < 0 || !a->for_ns;
		else if (c == 's')
			bad |= sc_str_size(optarg, 8, 65507, &a->size) < 0;
		else if (c == 'k')
			bad |= sc_str_u64(optarg, 1, UINT32_MAX, &a->per_conn) < 0;
		else if (c == 'o')
			a->out = optarg;
		else
			bad = 1;
	if (bad || optind != argc || !a->m || !a->out || (a->m->lecture && a->size > SC_LECTURE_BUF)) {
		fprintf(stderr, "usage: sockcmp __servers --model MODEL --clients 1-%u --for D --size 8-65507 "
				"(at most %u for lecture-fork) --per-conn K --out PREFIX\n",
			SC_MAX_CLIENTS, SC_LECTURE_BUF);
		return -EINVAL;
	}
	return 0;
}

/* Runs the clients against the started server while sampling it. */
static void measure(struct run *r, const struct args *a, struct sc_side_summary *s)
{
	struct sc_clients_plan plan = {.port = (uint16_t)r->port, .udp = !strcmp(a->m->transport, "udp"),
				       .clients = (unsigned)a->clients, .for_ns = a->for_ns,
				       .size = (size_t)a->size, .per_conn = a->per_conn,
				       .reply = a->m->lecture ? SC_LECTURE_BUF : (size_t)a->size,
				       .lecture = a->m->lecture};
	struct sc_clients_result cr;
	pthread_t sampler;
	bool sampling;
	int rc;

	r->sampling = 1;
	sampling = pthread_create(&sampler, NULL, sample_thread, r) == 0;
	rc = sc_clients_run(&plan, &cr);
	r->sampling = 0;
	if (sampling)
		pthread_join(sampler, NULL);
	if (rc < 0) {
		snprintf(s->error, sizeof(s->error), "cannot run the clients: %s", strerror(-rc));
		s->status = 1;
		return;
	}
	s->msgs = cr.sent;
	s->unique_msgs = cr.answered;
	s->lost = cr.sent - cr.answered;
	s->corrupted = cr.bad;
	s->conns = cr.conns;
	s->srv.clients_served = cr.served_clients;
	s->first_ns = cr.first_ns;
	s->last_ns = cr.last_ns;
	s->bytes = cr.sent * a->size;
	s->lat_msgs = cr.hist->count;
	s->lat_p50_ns = sc_hist_percentile(cr.hist, 50);
	s->lat_p90_ns = sc_hist_percentile(cr.hist, 90);
	s->lat_p99_ns = sc_hist_percentile(cr.hist, 99);
	s->lat_p999_ns = sc_hist_percentile(cr.hist, 99.9);
	s->lat_max_ns = sc_hist_percentile(cr.hist, 100);
	if (!cr.answered) {
		snprintf(s->error, sizeof(s->error), "no request was answered (%s)",
			 cr.err ? strerror(cr.err) : "the server never replied in time");
		s->status = 1;
	} else if (cr.bad) {
		snprintf(s->error, sizeof(s->error), "%llu replies were not what the server should send",
			 (unsigned long long)cr.bad);
		s->status = 1;
	}
	sc_clients_free(&cr);
}

int sc_servers_main(int argc, char **argv)
{
	struct run *r = calloc(1, sizeof(*r));
	struct sc_side_summary *s = calloc(1, sizeof(*s));
	struct args a;
	char path[4200], err[256] = "";
	pthread_t drainer;
	bool draining = false;
	int rc = 1;

	if (!r || !s) {
		fprintf(stderr, "sockcmp __servers: out of memory\n");
		goto out;
	}
	r->server.out_fd = r->out = -1;
	if (parse(argc, argv, &a) < 0) {
		rc = 2;
		goto out;
	}
	pthread_mutex_init(&r->lock, NULL);
	snprintf(s->role, sizeof(s->role), "servers");
	snprintf(s->transport, sizeof(s->transport), "%s", a.m->transport);
	snprintf(s->srv.model, sizeof(s->srv.model), "%s", a.m->name);
	s->srv.clients = a.clients;
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* The lecture's server binds INADDR_ANY: in a namespace of our own
	 * nobody else's traffic reaches it, and nothing it leaves (TIME_WAIT)
	 * outlives the trial. Without one (no privilege) it still works. */
	s->srv.netns = sc_privns_enter(err, sizeof(err)) == 0;
	err[0] = '\0';
	if (start_server(r, a.m, a.size, err, sizeof(err)) < 0) {
		snprintf(s->error, sizeof(s->error), "%s", err);
		s->status = 1;
	} else {
		draining = pthread_create(&drainer, NULL, drain_thread, r) == 0;
		measure(r, &a, s);
	}
	if (r->server.pid)
		end_server(r);
	s->srv.left = end_leftovers();
	if (draining) {
		/* Every writer is gone now, so the output ends; a process that
		 * escaped with the pipe must not hang the trial. */
		for (int i = 0; i < 200 && !r->drained; i++)
			sc_sleep_ns(10 * SC_NS_PER_MS, NULL);
		r->give_up = 1;
		pthread_join(drainer, NULL);
	}
	s->srv.pids = r->nseen;
	s->srv.served = r->served;
	s->srv.procs_max = r->use.procs_max;
	s->srv.zombies_max = r->use.zombies_max;
	s->srv.threads_max = r->use.threads_max;
	s->srv.fds_max = r->use.fds_max;
	s->srv.samples = r->use.samples;
	snprintf(path, sizeof(path), "%s-summary.csv", a.out);
	if (sc_summary_write(s, path) < 0)
		fprintf(stderr, "sockcmp __servers: cannot write %s\n", path);
	else
		rc = s->status ? 1 : 0;
	if (s->status)
		fprintf(stderr, "sockcmp __servers: %s\n", s->error);
out:
	if (r && r->out >= 0)
		close(r->out);
	free(r);
	free(s);
	return rc;
}
