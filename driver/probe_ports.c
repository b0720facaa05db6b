/* probe_ports.c - the lecture's claims about ports: the accepted socket's
 * port, ephemeral ports, privileged ports, and close() freeing the port. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe.h"
#include "probe_util.h"

static const char *const cols[] = {"measure", "value", "unit", NULL};

int sc_probe_ports(const struct sc_probe_env *env, struct sc_verdict *v)
{
	struct sockaddr_storage la, a;
	socklen_t ll, al;
	struct sc_csv c;
	int lfd, cfd[2] = {-1, -1}, afd[2] = {-1, -1}, r;
	uint16_t lport, acc[2] = {0, 0}, peer[2] = {0, 0};
	long lo = 0, hi = 0;
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");

	if (!f || fscanf(f, "%ld %ld", &lo, &hi) != 2)
		lo = hi = -1;
	if (f)
		fclose(f);
	lfd = pu_bound(AF_INET, SOCK_STREAM, 0, 5, &la, &ll);
	if (lfd < 0)
		return lfd;
	lport = pu_port(&la);
	for (int i = 0; i < 2; i++) {
		cfd[i] = pu_connected(SOCK_STREAM, &la, ll);
		afd[i] = cfd[i] < 0 ? -1 : accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (afd[i] < 0) {
			r = -errno;
			goto out;
		}
		al = sizeof(a);
		getsockname(afd[i], (struct sockaddr *)&a, &al);
		acc[i] = pu_port(&a);
		al = sizeof(a);
		getpeername(afd[i], (struct sockaddr *)&a, &al);
		peer[i] = pu_port(&a);
	}
	if ((r = sc_probe_csv_open(env, "ports", &c, cols)) < 0)
		goto out;
	pu_row(&c, "listener_port_from_port_0", lport, "port");
	pu_row(&c, "ip_local_port_range_low", lo, "port");
	pu_row(&c, "ip_local_port_range_high", hi, "port");
	for (int i = 0; i < 2; i++) {
		char m[64];

		snprintf(m, sizeof(m), "accepted_%d_local_port", i + 1);
		pu_row(&c, m, acc[i], "port");
		snprintf(m, sizeof(m), "accepted_%d_peer_port", i + 1);
		pu_row(&c, m, peer[i], "port");
	}
	if ((r = sc_csv_commit(&c)) < 0)
		goto out;
	sc_verdict_figures(v, "port 0 gave %u (ip_local_port_range %ld-%ld); accepted sockets' local ports %u and %u, "
			   "listener %u; clients' ports %u and %u", lport, lo, hi, acc[0], acc[1], lport, peer[0],
			   peer[1]);
	if (acc[0] == lport && acc[1] == lport && peer[0] != peer[1])
		sc_verdict_set(v, "wrong", "the accepted socket is NOT bound to a different port: it has the listener's "
			       "port %u; what tells connections apart is the client's address and port", lport);
	else
		sc_verdict_set(v, "confirmed", "the accepted sockets had ports other than the listener's");
	if (lport < lo || lport > hi)
		snprintf(v->why + strlen(v->why), sizeof(v->why) - strlen(v->why),
			 "; note: port 0 gave %u, outside ip_local_port_range", lport);
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

/* In the unprivileged child: binds TCP 127.0.0.1:port, returns 0 or a
 * small code for the errno (1 EACCES, 2 EADDRINUSE, 3 other). */
static int try_bind(void *arg)
{
	int fd = pu_bound(AF_INET, SOCK_STREAM, (uint16_t)(long)arg, 1, NULL, NULL);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return fd == -EACCES ? 1 : fd == -EADDRINUSE ? 2 : 3;
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

	pu_proc_long("/proc/sys/net/ipv4/ip_unprivileged_port_start", &start);
	for (int i = 0; i < 4; i++) {
		nobody[i] = pu_as_nobody(try_bind, (void *)(long)ports[i]);
		if (nobody[i] < 0 || nobody[i] > 3) {
			sc_verdict_set(v, "not measured", "cannot run a child as uid 65534");
			return -EPERM;
		}
	}
	root80 = try_bind((void *)80L);
	if ((r = sc_probe_csv_open(env, "privileged-ports", &c, (const char *const[]){"uid", "port", "bind", NULL})) < 0)
		return r;
	used = (size_t)snprintf(fig, sizeof(fig), "ip_unprivileged_port_start %ld; uid 65534:", start);
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
	if (nobody[0] == 1 && nobody[1] == 1 && nobody[2] == 0 && nobody[3] == 0)
		sc_verdict_set(v, "wrong", "reversed: ordinary users can NOT bind below %ld (EACCES), they must use "
			       "1024 and up; the slide's \"< 1023\" contradicts the lecture's own \">= 1024\"", start);
	else
		sc_verdict_set(v, "too simple", "this system does not reserve ports below 1024 as the lecture says "
			       "(ip_unprivileged_port_start %ld)", start);
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

/* TIME_WAIT sockets on port in this namespace (/proc/net/tcp, state 06). */
static int time_wait(uint16_t port)
{
	char line[512];
	FILE *f = fopen("/proc/net/tcp", "re");
	int n = 0;

	while (f && fgets(line, sizeof(line), f)) {
		unsigned p, st;

		if (sscanf(line, " %*u: %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x", &p, &st) == 2 && p == port && st == 6)
			n++;
	}
	if (f)
		fclose(f);
	return n;
}

/* A server with SO_REUSEADDR serves one conversation on port, closes,
 * and a second one with SO_REUSEADDR binds the port. Returns 1 if that
 * bind worked, 0 if not, -errno if the cycle could not run. */
static int reuse_cycle(uint16_t port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct sockaddr_storage ss;
	int one = 1, ok, r, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, 5) < 0) {
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
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	ok = bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0;
	close(fd);
	return ok;
}

int sc_probe_timewait(const struct sc_probe_env *env, struct sc_verdict *v)
{
	struct sockaddr_storage a, b;
	socklen_t al, bl;
	struct sc_csv c;
	int lfd, again, reuse_ok, both_ok, tw, one = 1, r, fd;
	uint16_t fallback = 0;
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(1234),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};

	lfd = pu_bound(AF_INET, SOCK_STREAM, 1234, 5, &a, &al);
	if (lfd < 0)
		return lfd;
	r = one_conversation(lfd, &a, al);
	close(lfd); /* the server exits */
	if (r < 0)
		return r;
	tw = time_wait(1234);
	/* The restarted server, exactly as the lecture writes it. */
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	again = bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ? errno : 0;
	/* ... and what it does next, since it ignores bind's result: listen()
	 * binds the socket to a random ephemeral port instead. */
	if (again && listen(fd, 5) == 0) {
		bl = sizeof(b);
		getsockname(fd, (struct sockaddr *)&b, &bl);
		fallback = pu_port(&b);
	}
	close(fd);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	reuse_ok = bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0;
	close(fd);
	/* Linux lets a bind reuse a TIME_WAIT port only if the old socket had
	 * SO_REUSEADDR too: the cycle again, on another port, with it set on
	 * both servers. */
	both_ok = reuse_cycle(1235);
	if ((r = sc_probe_csv_open(env, "time-wait", &c, cols)) < 0)
		return r;
	pu_row(&c, "time_wait_sockets_on_1234", tw, "sockets");
	pu_row(&c, "restart_bind_errno", again, "errno");
	pu_row(&c, "unchecked_bind_then_listen_port", fallback, "port");
	pu_row(&c, "bind_with_so_reuseaddr_on_restart_only_ok", reuse_ok, "bool");
	pu_row(&c, "bind_with_so_reuseaddr_on_both_ok", both_ok, "bool");
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	sc_verdict_figures(v, "after the server closed first: %d socket(s) in TIME_WAIT on 1234; restarted server's bind: "
			   "%s; ignoring that, listen() put it on port %u; SO_REUSEADDR on the restarted server only: bind %s; "
			   "on both servers: bind %s", tw, pu_errname(again), fallback, reuse_ok ? "succeeds" : "fails too",
			   both_ok > 0 ? "succeeds" : "fails");
	if (again == EADDRINUSE)
		sc_verdict_set(v, "too simple", "close() ends the connection, but the side that closes first keeps the "
			       "port in TIME_WAIT (60 s on Linux): a restarted server's bind fails with EADDRINUSE, and the "
			       "lecture's server, which ignores bind's result, ends up listening on a random port (%u)%s",
			       fallback, both_ok > 0 ? "; SO_REUSEADDR, set by both the old and the new server, avoids it"
			       : "");
	else
		sc_verdict_set(v, "confirmed", "the port was free again at once after close()");
	return 0;
}
