/* probe_ports.c - the lecture's claims about ports: the accepted socket's
 * port, ephemeral ports, privileged ports, and close() freeing the port. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe.h"
#include "probe_judge.h"
#include "probe_util.h"

static const char *const cols[] = {"measure", "value", "unit", NULL};

void sc__judge_ports(const struct sc__ports *m, struct sc_verdict *v)
{
	char range[64];

	if (m->lo >= 0 && m->hi >= 0)
		snprintf(range, sizeof(range), "%ld-%ld", m->lo, m->hi);
	else
		snprintf(range, sizeof(range), "unreadable");
	if (m->err || !m->lport || !m->acc[0] || !m->acc[1] || !m->peer[0] || !m->peer[1]) {
		sc_verdict_set(v, "not measured", "the accepted sockets' ports could not be read%s%s",
			       m->err ? ": " : "", m->err ? pu_errname(m->err) : "");
		return;
	}
	sc_verdict_figures(v, "port 0 gave %u (ip_local_port_range %s); accepted sockets' local ports %u and %u, "
			   "listener %u; clients' ports %u and %u", m->lport, range, m->acc[0], m->acc[1], m->lport,
			   m->peer[0], m->peer[1]);
	if (m->acc[0] == m->lport && m->acc[1] == m->lport && m->peer[0] != m->peer[1])
		sc_verdict_set(v, "wrong", "the accepted socket is NOT bound to a different port: it has the listener's "
			       "port %u; what tells connections apart is the client's address and port", m->lport);
	else if (m->acc[0] != m->lport && m->acc[1] != m->lport)
		sc_verdict_set(v, "confirmed", "the accepted sockets had ports other than the listener's");
	else
		sc_verdict_set(v, "not measured", "the accepted sockets' ports fit neither claim (one the listener's, "
			       "or both clients on one port); see ports.csv");
	if (m->lo >= 0 && m->hi >= 0 && (m->lport < m->lo || m->lport > m->hi))
		snprintf(v->why + strlen(v->why), sizeof(v->why) - strlen(v->why),
			 "; note: port 0 gave %u, outside ip_local_port_range", m->lport);
}

int sc_probe_ports(const struct sc_probe_env *env, struct sc_verdict *v)
{
	struct sockaddr_storage la, a;
	socklen_t ll, al;
	struct sc_csv c;
	struct sc__ports m = {.lo = -1, .hi = -1};
	int lfd, cfd[2] = {-1, -1}, afd[2] = {-1, -1}, r;
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");

	if (!f || fscanf(f, "%ld %ld", &m.lo, &m.hi) != 2)
		m.lo = m.hi = -1;
	if (f)
		fclose(f);
	lfd = pu_bound(AF_INET, SOCK_STREAM, 0, 5, &la, &ll);
	if (lfd < 0)
		return lfd;
	m.lport = pu_port(&la);
	for (int i = 0; i < 2; i++) {
		cfd[i] = pu_connected(SOCK_STREAM, &la, ll);
		if (cfd[i] < 0) {
			r = cfd[i];
			goto out;
		}
		afd[i] = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (afd[i] < 0) {
			r = -errno;
			goto out;
		}
		al = sizeof(a);
		if (getsockname(afd[i], (struct sockaddr *)&a, &al) < 0) {
			m.err = errno;
			break;
		}
		m.acc[i] = pu_port(&a);
		al = sizeof(a);
		if (getpeername(afd[i], (struct sockaddr *)&a, &al) < 0) {
			m.err = errno;
			break;
		}
		m.peer[i] = pu_port(&a);
	}
	if ((r = sc_probe_csv_open(env, "ports", &c, cols)) < 0)
		goto out;
	pu_row(&c, "listener_port_from_port_0", m.lport, "port");
	if (m.lo >= 0) {
		pu_row(&c, "ip_local_port_range_low", m.lo, "port");
		pu_row(&c, "ip_local_port_range_high", m.hi, "port");
	} else {
		pu_row_none(&c, "ip_local_port_range_low", "port");
		pu_row_none(&c, "ip_local_port_range_high", "port");
	}
	for (int i = 0; i < 2; i++) {
		char n[64];

		snprintf(n, sizeof(n), "accepted_%d_local_port", i + 1);
		pu_row_if(&c, m.acc[i], n, m.acc[i], "port");
		snprintf(n, sizeof(n), "accepted_%d_peer_port", i + 1);
		pu_row_if(&c, m.peer[i], n, m.peer[i], "port");
	}
	if ((r = sc_csv_commit(&c)) < 0)
		goto out;
	sc__judge_ports(&m, v);
out:
	for (int i = 0; i < 2; i++) {
		if (afd[i] >= 0)
			close(afd[i]);
		if (cfd[i] >= 0)
			close(cfd[i]);
	}
	close(lfd);
	return r;
}

void sc__judge_privileged(const int nobody[4], int root80, long start, struct sc_verdict *v)
{
	static const unsigned ports[] = {80, 1023, 1024, 1234};

	for (int i = 0; i < 4; i++)
		if (nobody[i] != 0 && nobody[i] != 1) {
			sc_verdict_set(v, "not measured", "uid 65534's bind of port %u failed with %s, not EACCES: cannot "
				       "tell whether the port is reserved", ports[i], nobody[i] == 2 ? "EADDRINUSE"
				       : "another error");
			return;
		}
	if (root80 != 0) {
		sc_verdict_set(v, "not measured", "root could not bind port 80 either, so the test ports are not free "
			       "here");
		return;
	}
	if (nobody[0] == 1 && nobody[1] == 1 && nobody[2] == 0 && nobody[3] == 0)
		sc_verdict_set(v, "wrong", "reversed: ordinary users can NOT bind below %ld (EACCES), they must use "
			       "1024 and up; the slide's \"< 1023\" contradicts the lecture's own \">= 1024\"",
			       start >= 0 ? start : 1024L);
	else if (start >= 0)
		sc_verdict_set(v, "too simple", "this system does not reserve ports below 1024 as the lecture says "
			       "(ip_unprivileged_port_start %ld)", start);
	else
		sc_verdict_set(v, "too simple", "this system does not reserve ports below 1024 as the lecture says");
}

int sc_probe_privileged(const struct sc_probe_env *env, struct sc_verdict *v)
{
	static const uint16_t ports[] = {80, 1023, 1024, 1234};
	static const char *const code[] = {"ok", "EACCES", "EADDRINUSE", "other error"};
	int nobody[4], root80, r;
	long start = -1;
	struct sc_csv c;
	char fig[400];
	size_t used;

	if (pu_proc_long("/proc/sys/net/ipv4/ip_unprivileged_port_start", &start) < 0)
		start = -1;
	for (int i = 0; i < 4; i++) {
		nobody[i] = pu_as_nobody(env->bin_dir, PU_BIND, ports[i]);
		if (nobody[i] < 0 || nobody[i] > 3) {
			sc_verdict_set(v, "not measured", "cannot run a child as uid 65534");
			return -EPERM;
		}
	}
	root80 = pu_bound(AF_INET, SOCK_STREAM, 80, 1, NULL, NULL);
	if (root80 >= 0) {
		close(root80);
		root80 = 0;
	} else {
		root80 = root80 == -EACCES ? 1 : root80 == -EADDRINUSE ? 2 : 3;
	}
	if ((r = sc_probe_csv_open(env, "privileged-ports", &c, (const char *const[]){"uid", "port", "bind", NULL})) < 0)
		return r;
	if (start >= 0)
		used = (size_t)snprintf(fig, sizeof(fig), "ip_unprivileged_port_start %ld; uid 65534:", start);
	else
		used = (size_t)snprintf(fig, sizeof(fig), "ip_unprivileged_port_start unreadable; uid 65534:");
	for (int i = 0; i < 4; i++) {
		sc_csv_field(&c, "65534");
		sc_csv_i64(&c, ports[i]);
		sc_csv_field(&c, code[nobody[i]]);
		sc_csv_end_row(&c);
		used += (size_t)snprintf(fig + used, sizeof(fig) - used, " bind %u %s;", ports[i], code[nobody[i]]);
	}
	sc_csv_field(&c, "0");
	sc_csv_i64(&c, 80);
	sc_csv_field(&c, code[root80]);
	sc_csv_end_row(&c);
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	snprintf(fig + used, sizeof(fig) - used, " root: bind 80 %s", code[root80]);
	sc_verdict_figures(v, "%s", fig);
	sc__judge_privileged(nobody, root80, start, v);
	return 0;
}

/* Serves one client as the lecture's server does (reply, close first),
 * with the client reading to the end and closing second. */
static int one_conversation(int lfd, const struct sockaddr_storage *a, socklen_t al)
{
	char buf[64];
	int cfd = pu_connected(SOCK_STREAM, a, al), afd;

	if (cfd < 0)
		return cfd;
	afd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (afd < 0) {
		close(cfd);
		return -errno;
	}
	if (write(cfd, "hello server", 12) < 0 || read(afd, buf, sizeof(buf)) < 0 ||
	    write(afd, "back to ya client", 17) < 0) {
		close(afd);
		close(cfd);
		return -EIO;
	}
	close(afd); /* the server closes first: its side goes to TIME_WAIT */
	while (read(cfd, buf, sizeof(buf)) > 0)
		;
	close(cfd);
	return 0;
}

/* TIME_WAIT sockets on port in this namespace (/proc/net/tcp, state 06);
 * -1 if the table cannot be read. */
static int time_wait(uint16_t port)
{
	char line[512];
	FILE *f = fopen("/proc/net/tcp", "re");
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned p, st;

		if (sscanf(line, " %*u: %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x", &p, &st) == 2 && p == port && st == 6)
			n++;
	}
	fclose(f);
	return n;
}

/* A new TCP socket with SO_REUSEADDR bound to sin. Returns 1 if the bind
 * worked, 0 if it failed, -errno if the socket could not be set up. */
static int bind_reuse(const struct sockaddr_in *sin)
{
	int one = 1, ok, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
		ok = -errno;
		close(fd);
		return ok;
	}
	ok = bind(fd, (const struct sockaddr *)sin, sizeof(*sin)) == 0;
	close(fd);
	return ok;
}

/* A server with SO_REUSEADDR serves one conversation on port, closes,
 * and a second one with SO_REUSEADDR binds the port. Returns 1 if that
 * bind worked, 0 if not, -errno if the cycle could not run. */
static int reuse_cycle(uint16_t port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct sockaddr_storage ss;
	int one = 1, r, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, 5) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, &sin, sizeof(sin));
	r = one_conversation(fd, &ss, sizeof(sin));
	close(fd);
	if (r < 0)
		return r;
	return bind_reuse(&sin);
}

void sc__judge_timewait(const struct sc__timewait *m, struct sc_verdict *v)
{
	char tw[32], fb[48], reuse[32], both[32];

	if (m->socket_err) {
		sc_verdict_set(v, "not measured", "the restarted server's socket could not be made: %s",
			       pu_errname(m->socket_err));
		return;
	}
	snprintf(tw, sizeof(tw), m->tw >= 0 ? "%d" : "? (/proc/net/tcp unreadable)", m->tw);
	if (m->fallback)
		snprintf(fb, sizeof(fb), "a random port (%u)", m->fallback);
	else
		snprintf(fb, sizeof(fb), "another port (not read here)");
	snprintf(reuse, sizeof(reuse), "%s", m->reuse_ok > 0 ? "succeeds" : m->reuse_ok == 0 ? "fails too"
		 : "not tried");
	snprintf(both, sizeof(both), "%s", m->both_ok > 0 ? "succeeds" : m->both_ok == 0 ? "fails" : "not tried");
	sc_verdict_figures(v, "after the server closed first: %s socket(s) in TIME_WAIT on 1234; restarted server's "
			   "bind: %s; ignoring that, listen() put it on %s; SO_REUSEADDR on the restarted server only: "
			   "bind %s; on both servers: bind %s", tw, pu_errname(m->restart_err), m->restart_err ? fb
			   : "-", reuse, both);
	if (m->restart_err == EADDRINUSE)
		sc_verdict_set(v, "too simple", "close() ends the connection, but the side that closes first keeps the "
			       "port in TIME_WAIT (60 s on Linux): a restarted server's bind fails with EADDRINUSE, and the "
			       "lecture's server, which ignores bind's result, ends up listening on %s%s", fb,
			       m->both_ok > 0 ? "; SO_REUSEADDR, set by both the old and the new server, avoids it" : "");
	else if (m->restart_err == 0)
		sc_verdict_set(v, "confirmed", "the port was free again at once after close()");
	else
		sc_verdict_set(v, "not measured", "the restarted server's bind failed with %s, not EADDRINUSE: cannot "
			       "tell whether the port was still taken", pu_errname(m->restart_err));
}

int sc_probe_timewait(const struct sc_probe_env *env, struct sc_verdict *v)
{
	struct sockaddr_storage a, b;
	socklen_t al, bl;
	struct sc_csv c;
	struct sc__timewait m = {.reuse_ok = -ECANCELED, .both_ok = -ECANCELED};
	int lfd, r, fd;
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(1234),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};

	lfd = pu_bound(AF_INET, SOCK_STREAM, 1234, 5, &a, &al);
	if (lfd < 0)
		return lfd;
	r = one_conversation(lfd, &a, al);
	close(lfd); /* the server exits */
	if (r < 0)
		return r;
	m.tw = time_wait(1234);
	/* The restarted server, exactly as the lecture writes it. */
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		m.socket_err = errno;
	} else {
		m.restart_err = bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ? errno : 0;
		/* ... and what it does next, since it ignores bind's result:
		 * listen() binds the socket to a random ephemeral port instead. */
		bl = sizeof(b);
		if (m.restart_err && listen(fd, 5) == 0 && getsockname(fd, (struct sockaddr *)&b, &bl) == 0)
			m.fallback = pu_port(&b);
		close(fd);
		m.reuse_ok = bind_reuse(&sin);
		/* Linux lets a bind reuse a TIME_WAIT port only if the old
		 * socket had SO_REUSEADDR too: the cycle again, on another
		 * port, with it set on both servers. */
		m.both_ok = reuse_cycle(1235);
	}
	if ((r = sc_probe_csv_open(env, "time-wait", &c, cols)) < 0)
		return r;
	pu_row_if(&c, m.tw >= 0, "time_wait_sockets_on_1234", m.tw, "sockets");
	pu_row_if(&c, !m.socket_err, "restart_bind_errno", m.restart_err, "errno");
	pu_row_if(&c, m.fallback, "unchecked_bind_then_listen_port", m.fallback, "port");
	pu_row_if(&c, m.reuse_ok >= 0, "bind_with_so_reuseaddr_on_restart_only_ok", m.reuse_ok, "bool");
	pu_row_if(&c, m.both_ok >= 0, "bind_with_so_reuseaddr_on_both_ok", m.both_ok, "bool");
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	sc__judge_timewait(&m, v);
	return 0;
}
