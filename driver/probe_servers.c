/* probe_servers.c - the lecture's server models, in behaviour: the fork
 * server gives every client a process of its own; the simple server
 * serves one client and leaves the next one connected but unserved. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "pair.h"
#include "probe.h"
#include "probe_judge.h"
#include "probe_util.h"
#include "spawn.h"

#define CLIENTS 3

/* Starts the lecture program bin/name, its stdout on a pipe. */
static int start(const struct sc_probe_env *env, const char *name, struct sc_child *c)
{
	char path[4200];
	char *argv[] = {path, NULL};

	snprintf(path, sizeof(path), "%s/%s", env->bin_dir, name);
	return sc_spawn(c, argv, 1, "/dev/null", NULL);
}

static int connect_port(uint16_t port)
{
	struct sockaddr_storage a;
	struct sockaddr_in *in = (struct sockaddr_in *)&a;

	memset(&a, 0, sizeof(a));
	in->sin_family = AF_INET;
	in->sin_port = htons(port);
	in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return pu_connected(SOCK_STREAM, &a, sizeof(*in));
}

/* The fork server with CLIENTS clients at once: the PIDs that served
 * them. Returns how many PIDs were found, or -errno. */
static int fork_server(const struct sc_probe_env *env, int *pids, int *server_pid, int *replies)
{
	struct sc_child c;
	char line[512];
	unsigned port = 0;
	int fd[CLIENTS], n = 0, r;
	uint64_t until = sc_mono_ns() + 3 * SC_NS_PER_S;

	*replies = 0;
	if ((r = start(env, "lecture-fork-server", &c)) < 0)
		return r;
	*server_pid = c.pid;
	while (!port && sc_child_line(&c, line, sizeof(line), until, env->stop) >= 0)
		sscanf(line, "Server has port number: %u", &port);
	/* The lecture's server prints its port before it calls listen(): a
	 * client that connects at once can be refused. Wait for LISTEN. */
	while (port && !sc_pair_listening(port) && sc_mono_ns() < until)
		sc_sleep_ns(5 * SC_NS_PER_MS, NULL);
	for (int i = 0; i < CLIENTS; i++)
		fd[i] = port ? connect_port((uint16_t)port) : -1;
	/* All connected before any talks: each is served while the others
	 * are still open. */
	for (int i = 0; i < CLIENTS; i++) {
		char buf[80] = "Hello server, please respond to client!";

		if (fd[i] >= 0 && write(fd[i], buf, sizeof(buf)) == sizeof(buf) && pu_readable(fd[i], 2000) == 1 &&
		    read(fd[i], buf, sizeof(buf)) > 0)
			(*replies)++;
	}
	for (int i = 0; i < CLIENTS; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	until = sc_mono_ns() + 2 * SC_NS_PER_S;
	while (n < CLIENTS && sc_child_line(&c, line, sizeof(line), until, env->stop) >= 0) {
		int pid;
		char *p = strstr(line, "network server ");

		if (p && sscanf(p, "network server %d:", &pid) == 1)
			pids[n++] = pid;
	}
	sc_child_end(&c, 1, 500 * SC_NS_PER_MS);
	return n;
}

/* The simple server with two clients: what the second one gets. */
static int simple_server(const struct sc_probe_env *env, int *first_ok, int *second_connected,
			 int *second_read, int *second_err)
{
	struct sc_child c;
	char buf[512];
	uint64_t until = sc_mono_ns() + 3 * SC_NS_PER_S;
	int a, b;

	*first_ok = *second_connected = 0;
	*second_read = -2;
	*second_err = 0;
	if ((a = start(env, "lecture-simple-server", &c)) < 0)
		return a;
	while (!sc_pair_listening(1234) && sc_mono_ns() < until)
		sc_sleep_ns(5 * SC_NS_PER_MS, NULL);
	a = connect_port(1234);
	b = connect_port(1234);
	*second_connected = b >= 0;
	/* Both clients say hello at once, as two users would; the second's
	 * bytes wait in its queued connection. */
	if (b >= 0 && send(b, "hello server", 12, MSG_NOSIGNAL) != 12) {
		close(b);
		b = -1;
	}
	if (a >= 0 && write(a, "hello server", 12) == 12 && pu_readable(a, 2000) == 1 && read(a, buf, sizeof(buf)) > 0)
		*first_ok = 1;
	/* The second client hears something only when the server exits (its
	 * listener, with the second connection queued, goes): wait for that
	 * first, or a busy host ends the 2 s below before the server does. */
	sc_child_wait(&c, 1, sc_mono_ns() + 5 * SC_NS_PER_S, NULL);
	if (b >= 0 && pu_readable(b, 2000) == 1) {
		ssize_t n = read(b, buf, sizeof(buf));

		*second_read = (int)n;
		*second_err = n < 0 ? errno : 0;
	}
	if (a >= 0)
		close(a);
	if (b >= 0)
		close(b);
	sc_child_wait(&c, 1, sc_mono_ns() + SC_NS_PER_S, NULL);
	sc_child_end(&c, 1, 500 * SC_NS_PER_MS);
	return 0;
}

void sc__judge_servers(const struct sc__servers *m, struct sc_verdict *v)
{
	char got[64], start[48], fork_desc[48];
	/* The second client was never served: the server's exit reached it as
	 * the end of the stream or a reset, and no data came first. */
	bool unserved = m->second_read == 0 || (m->second_read == -1 && m->second_err == ECONNRESET);

	start[0] = '\0';
	if (m->simple_err)
		snprintf(start, sizeof(start), "did not start (%s); ", pu_errname(m->simple_err));
	if (m->simple_err)
		snprintf(got, sizeof(got), "nothing (not run)");
	else if (m->second_read == -2)
		snprintf(got, sizeof(got), "nothing within 2 s");
	else
		snprintf(got, sizeof(got), "%d (%s)", m->second_read, m->second_read < 0 ? pu_errname(m->second_err)
			 : m->second_read == 0 ? "end of stream" : "data");
	/* No PID 0 in the figures: a server that never started has none. */
	if (m->spid)
		snprintf(fork_desc, sizeof(fork_desc), "fork server (PID %d)", m->spid);
	else
		snprintf(fork_desc, sizeof(fork_desc), "fork server (did not start)");
	sc_verdict_figures(v, "%s, %d clients at once: %d answered, served by %d distinct child PIDs "
			   "| simple server, 2 clients: %sfirst answered %s; second connected %s (the kernel "
			   "completed its handshake), then its read gave %s when the server exited", fork_desc,
			   m->clients, m->replies, m->distinct, start, m->first_ok ? "yes" : "no",
			   m->second_conn ? "yes" : "no", got);
	if (!m->spid || m->replies < m->clients || m->n < m->clients) {
		sc_verdict_set(v, "not measured", "the fork server %s (%d of %d clients answered, %d serving PIDs "
			       "reported)", m->spid ? "did not serve every client" : "did not start", m->replies,
			       m->clients, m->n);
		return;
	}
	if (m->distinct < m->clients) {
		sc_verdict_set(v, "too simple", "the fork server answered every client but gave only %d of %d their "
			       "own process here", m->distinct, m->clients);
		return;
	}
	if (m->simple_err || !m->first_ok || !m->second_conn || !unserved) {
		sc_verdict_set(v, "not measured", "each client of the fork server had a process of its own, but the "
			       "simple server %s", m->simple_err ? "did not start" : !m->first_ok
			       ? "did not answer its first client" : !m->second_conn ? "took no second connection"
			       : "did not leave the second client unserved as expected");
		return;
	}
	sc_verdict_set(v, "confirmed", "each client was handled by a child process of its own, none of them the "
		       "listening process; the simple server handles one client and the next is connected but "
		       "never served");
}

int sc_probe_servers(const struct sc_probe_env *env, struct sc_verdict *v)
{
	int pids[CLIENTS] = {0}, spid = 0, replies, n, distinct = 0, first_ok, second_conn, second_read, second_err, r,
	    simple;
	struct sc_csv c;

	n = fork_server(env, pids, &spid, &replies);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		bool dup = pids[i] == spid;

		for (int k = 0; k < i; k++)
			dup |= pids[k] == pids[i];
		distinct += !dup;
	}
	simple = simple_server(env, &first_ok, &second_conn, &second_read, &second_err);
	if ((r = sc_probe_csv_open(env, "fork-server", &c, (const char *const[]){"server", "measure", "value", NULL})) < 0)
		return r;
	sc_csv_field(&c, "fork"), sc_csv_field(&c, "listener_pid"), sc_csv_i64(&c, spid), sc_csv_end_row(&c);
	for (int i = 0; i < n; i++) {
		char m[32];

		snprintf(m, sizeof(m), "client_%d_served_by_pid", i + 1);
		sc_csv_field(&c, "fork"), sc_csv_field(&c, m), sc_csv_i64(&c, pids[i]), sc_csv_end_row(&c);
	}
	sc_csv_field(&c, "fork"), sc_csv_field(&c, "clients_answered"), sc_csv_i64(&c, replies), sc_csv_end_row(&c);
	{
		/* A simple server that did not start measured nothing: empty cells. */
		const char *sm[] = {"first_client_answered", "second_client_connected", "second_client_read",
				    "second_client_errno"};
		int sv[] = {first_ok, second_conn, second_read, second_err};

		for (int i = 0; i < 4; i++) {
			sc_csv_field(&c, "simple"), sc_csv_field(&c, sm[i]);
			if (simple < 0)
				sc_csv_field(&c, NULL);
			else
				sc_csv_i64(&c, sv[i]);
			sc_csv_end_row(&c);
		}
	}
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	{
		struct sc__servers m = {.clients = CLIENTS, .spid = spid, .replies = replies, .n = n,
					.distinct = distinct, .simple_err = -simple, .first_ok = first_ok,
					.second_conn = second_conn, .second_read = second_read,
					.second_err = second_err};

		sc__judge_servers(&m, v);
	}
	return 0;
}
