/* test_sock.c - the socket helpers (shared/sock.c) on loopback and in a
 * private folder: which sockets may share a receiver's port, AF_UNIX paths
 * that are in use, connect() deadlines and their reasons, and that every
 * descriptor is close-on-exec. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "clock.h"
#include "sock.h"
#include "unit.h"

static char dir[] = "/tmp/sc-test-sock.XXXXXX";

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* Removes the folder and the files the test made in it (no subfolders). */
static void teardown(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	rmdir(dir);
}

static struct sc_endpoint ep_of(const char *spec, const struct sc_transport *t, int passive)
{
	struct sc_endpoint ep;
	char err[128];

	ck_assert_msg(sc_endpoint_parse(spec, t->socktype, passive, &ep, err, sizeof(err)) == 0,
		      "%s: %s", spec, err);
	return ep;
}

static int opt(int fd, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	ck_assert_int_eq(getsockopt(fd, SOL_SOCKET, name, &v, &len), 0);
	return v;
}

static void cloexec(int fd, const char *what)
{
	ck_assert_msg(fd >= 0, "%s: %s", what, strerror(-fd));
	ck_assert_msg(fcntl(fd, F_GETFD) & FD_CLOEXEC, "%s is not close-on-exec", what);
}

/* Each kind of receiving socket: may its port be shared, is it
 * close-on-exec, and does a sender reach it (with a close-on-exec,
 * blocking socket)? */
static const struct {
	const char *transport, *listen;
	int reuseaddr;
} kinds[] = {
	{"tcp", "127.0.0.1:0", 1},  {"tcp6", "[::1]:0", 1},       {"udp", "127.0.0.1:0", 0},
	{"udp6", "[::1]:0", 0},     {"unix-stream", "PATH", 0},    {"unix-dgram", "PATH", 0},
	{"unix-seqpacket", "PATH", 0},
};

START_TEST(receiving_sockets)
{
	const struct sc_transport *t = sc_transport_find(kinds[_i].transport);
	struct sc_endpoint ep, bound;
	struct sc_deadline dl = {sc_mono_ns() + 2 * SC_NS_PER_S, NULL};
	char spec[160], text[160], err[256] = "";
	int lfd, cfd, afd = -1;

	if (!strcmp(kinds[_i].listen, "PATH"))
		snprintf(spec, sizeof(spec), "unix:%s/s", dir);
	else
		snprintf(spec, sizeof(spec), "%s", kinds[_i].listen);
	ep = ep_of(spec, t, 1);
	lfd = sc_sock_listen(t, &ep, err, sizeof(err));
	ck_assert_msg(lfd >= 0, "%s: %s", spec, err);
	cloexec(lfd, "listening socket");
	ck_assert_msg(!!opt(lfd, SO_REUSEADDR) == kinds[_i].reuseaddr, "%s: SO_REUSEADDR %d",
		      kinds[_i].transport, opt(lfd, SO_REUSEADDR));
	ck_assert_int_eq(opt(lfd, SO_REUSEPORT), 0);
	bound = ep;
	bound.len = sizeof(bound.addr);
	ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&bound.addr, &bound.len), 0);
	ck_assert_int_eq(sc_endpoint_format(&bound, text, sizeof(text)), 0);
	ep = ep_of(text, t, 0);
	cfd = sc_sock_connect(t, &ep, &dl, err, sizeof(err));
	cloexec(cfd, "sender's socket");
	ck_assert_int_eq(fcntl(cfd, F_GETFL) & O_NONBLOCK, 0);
	if (t->connected) {
		afd = sc_sock_accept(lfd, &dl);
		cloexec(afd, "accepted socket");
		close(afd);
	}
	close(cfd);
	close(lfd);
}
END_TEST

/* A UDP port in use cannot be bound again, whatever the second socket
 * asks for. */
START_TEST(udp_port_not_shared)
{
	const struct sc_transport *t = sc_transport_find("udp");
	struct sc_endpoint ep = ep_of("127.0.0.1:0", t, 1);
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	char err[256];
	int lfd = sc_sock_listen(t, &ep, err, sizeof(err)), one = 1;

	ck_assert_msg(lfd >= 0, "%s", err);
	ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&a, &len), 0);
	for (int name = 0; name < 3; name++) {
		int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

		if (name != 1)
			ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
		if (name != 0)
			ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)), 0);
		ck_assert_msg(bind(fd, (struct sockaddr *)&a, len) < 0 && errno == EADDRINUSE,
			      "a second socket (case %d) bound the receiver's port", name);
		close(fd);
	}
	close(lfd);
}
END_TEST

/* An AF_UNIX socket bound outside sc_sock_listen, of type type. */
static int raw_unix(const char *path, int type)
{
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);

	snprintf(un.sun_path, sizeof(un.sun_path), "%s", path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&un, sizeof(un)), 0);
	if (type != SOCK_DGRAM)
		ck_assert_int_eq(listen(fd, 1), 0);
	return fd;
}

/* What sc_sock_unix_alive says of a path, and whether a receiver may
 * take it: -1 = no file, else the type of the socket made there first
 * (kept open, or closed so that it is stale). */
static const struct {
	int type, keep_open, alive;
} paths[] = {
	{-1, 0, 0},
	{SOCK_STREAM, 1, 1},
	{SOCK_DGRAM, 1, 1},
	{SOCK_SEQPACKET, 1, 1},
	{SOCK_STREAM, 0, 0},
	{SOCK_DGRAM, 0, 0},
};

START_TEST(unix_path_in_use)
{
	const struct sc_transport *t = sc_transport_find("unix-stream");
	struct sc_sock_file made;
	struct sc_endpoint ep;
	struct stat before, after;
	char path[128], spec[140], err[256] = "";
	int other = -1, fd;

	snprintf(path, sizeof(path), "%s/p%d", dir, _i);
	snprintf(spec, sizeof(spec), "unix:%s", path);
	if (paths[_i].type >= 0) {
		other = raw_unix(path, paths[_i].type);
		if (!paths[_i].keep_open) {
			close(other);
			other = -1;
		}
		ck_assert_int_eq(lstat(path, &before), 0);
	}
	ck_assert_int_eq(sc_sock_unix_alive(path), paths[_i].alive);
	ep = ep_of(spec, t, 1);
	fd = sc_sock_listen_file(t, &ep, &made, err, sizeof(err));
	if (paths[_i].alive) {
		ck_assert_int_eq(fd, -EADDRINUSE);
		ck_assert_msg(strstr(err, "in use"), "reason: %s", err);
		ck_assert_int_eq(lstat(path, &after), 0);
		ck_assert(after.st_ino == before.st_ino);
		ck_assert(!made.made);
	} else {
		ck_assert_msg(fd >= 0, "%s", err);
		ck_assert(made.made);
		ck_assert_int_eq(sc_sock_unix_alive(path), 1);
		close(fd);
		ck_assert_int_eq(sc_sock_file_remove(&made), 0);
		ck_assert_int_eq(lstat(path, &after), -1);
	}
	if (other >= 0)
		close(other);
}
END_TEST

/* A file that replaced the run's own socket is left alone. */
START_TEST(only_own_file_removed)
{
	const struct sc_transport *t = sc_transport_find("unix-dgram");
	struct sc_sock_file made;
	struct sc_endpoint ep;
	struct stat st;
	char path[128], spec[140], err[256];
	int fd, other;

	snprintf(path, sizeof(path), "%s/own", dir);
	snprintf(spec, sizeof(spec), "unix:%s", path);
	ep = ep_of(spec, t, 1);
	fd = sc_sock_listen_file(t, &ep, &made, err, sizeof(err));
	ck_assert_msg(fd >= 0, "%s", err);
	ck_assert_int_eq(unlink(path), 0);
	other = raw_unix(path, SOCK_DGRAM);
	close(fd);
	ck_assert_int_eq(sc_sock_file_remove(&made), -ESTALE);
	ck_assert_int_eq(lstat(path, &st), 0);
	close(other);
}
END_TEST

/* Connecting where nobody ever answers ends at the deadline with a
 * reason, never "Success". */
START_TEST(connect_deadline)
{
	const struct sc_transport *t = sc_transport_find(_i ? "unix-stream" : "tcp");
	struct sc_endpoint ep;
	struct sockaddr_storage a;
	socklen_t len = sizeof(a);
	struct sc_deadline dl = {sc_mono_ns() + 300 * SC_NS_PER_MS, NULL};
	char spec[160], err[256] = "";
	int lfd, fds[8], n = 0, r;

	if (_i) {
		snprintf(spec, sizeof(spec), "%s/q", dir);
		lfd = raw_unix(spec, SOCK_STREAM);
		snprintf(spec, sizeof(spec), "unix:%s/q", dir);
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)&a;

		lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		memset(&a, 0, sizeof(a));
		in->sin_family = AF_INET;
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		ck_assert_int_eq(bind(lfd, (struct sockaddr *)&a, sizeof(*in)), 0);
		ck_assert_int_eq(listen(lfd, 1), 0);
		ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&a, &len), 0);
		snprintf(spec, sizeof(spec), "127.0.0.1:%d", ntohs(in->sin_port));
	}
	ep = ep_of(spec, t, 0);
	/* Fill the accept queue (backlog 1) with connections nobody takes. */
	for (;;) {
		struct sc_deadline quick = {sc_mono_ns() + 200 * SC_NS_PER_MS, NULL};
		int fd = sc_sock_connect(t, &ep, &quick, NULL, 0);

		if (fd < 0)
			break;
		ck_assert_int_lt(n, 8);
		fds[n++] = fd;
	}
	ck_assert_int_gt(n, 0);
	r = sc_sock_connect(t, &ep, &dl, err, sizeof(err));
	ck_assert_int_eq(r, -ETIMEDOUT);
	ck_assert_msg(strstr(err, "accept queue is full") && !strstr(err, "Success"), "%s", err);
	while (n)
		close(fds[--n]);
	close(lfd);
}
END_TEST

START_TEST(connect_nobody_there)
{
	const struct sc_transport *t = sc_transport_find("unix-dgram");
	struct sc_deadline dl = {sc_mono_ns() + 50 * SC_NS_PER_MS, NULL};
	char spec[160], err[256] = "";
	struct sc_endpoint ep;

	snprintf(spec, sizeof(spec), "unix:%s/nobody", dir);
	ep = ep_of(spec, t, 0);
	ck_assert_int_eq(sc_sock_connect(t, &ep, &dl, err, sizeof(err)), -ETIMEDOUT);
	ck_assert_msg(strstr(err, "No such file or directory"), "%s", err);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("sock");
	TCase *tc = tcase_create("sock");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, receiving_sockets, 0, (int)NELEM(kinds));
	tcase_add_test(tc, udp_port_not_shared);
	tcase_add_loop_test(tc, unix_path_in_use, 0, (int)NELEM(paths));
	tcase_add_test(tc, only_own_file_removed);
	tcase_add_loop_test(tc, connect_deadline, 0, 2);
	tcase_add_test(tc, connect_nobody_there);
	suite_add_tcase(s, tc);
	return s;
}
