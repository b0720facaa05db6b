/* sc-sockattack - what a local stranger does to a receiver's socket
 * (tests/it/squat.sh, unixpath.sh, crowd.sh, deadlines.sh). Run it as an
 * unprivileged user (setpriv) for the attacks. Only ever talks to the
 * loopback addresses and paths it is given.
 *
 *   udp-squat HOST PORT SECS  try to bind HOST:PORT, 0.0.0.0:PORT and
 *                             [::]:PORT with SO_REUSEADDR and/or
 *                             SO_REUSEPORT; print "ready" once tried, then
 *                             receive on whatever bound for SECS seconds;
 *                             print "squatted N received M"
 *   tcp-squat HOST PORT       the same with listen(); "squatted N"
 *   unix-hold PATH TYPE [accept]
 *                             bind (and listen) an AF_UNIX socket of TYPE
 *                             (stream, dgram, seqpacket) at PATH, print
 *                             "ready", and hold it until killed; with
 *                             accept, take connections and never read
 *   crowd HOST PORT IDLE STALL
 *                             open IDLE silent TCP connections and STALL
 *                             that send the first 5 bytes of a header and
 *                             stall, print "ready IDLE_OK STALL_OK", hold
 *                             them until killed
 *   full-backlog              listen on 127.0.0.1:0 with backlog 1, never
 *                             accept, connect until a handshake no longer
 *                             completes, print "PORT", hold until killed
 *   fds FILE PROG ARGS...     write this process's open descriptors above
 *                             2 ("N -> target" lines) to FILE, then exec PROG
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "wire.h"

static void die(const char *what)
{
	fprintf(stderr, "sc-sockattack: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void hold(void)
{
	for (;;)
		pause();
}

/* Fills sa with host:port (an IPv4 or IPv6 literal). Returns its length. */
static socklen_t addr(const char *host, int port, struct sockaddr_storage *sa)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)sa;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)sa;

	memset(sa, 0, sizeof(*sa));
	if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		return sizeof(*a4);
	}
	if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		return sizeof(*a6);
	}
	fprintf(stderr, "sc-sockattack: not an address literal: %s\n", host);
	exit(2);
}

/* Tries every way of sharing host:port; returns how many sockets bound
 * (and, for TCP, listened), their fds in fds[]. */
static unsigned squat(int type, const char *host, int port, int *fds)
{
	static const struct {
		const char *host; /* NULL: the receiver's own */
		int reuseaddr, reuseport;
	} ways[] = {
		{NULL, 1, 0}, {NULL, 0, 1}, {NULL, 1, 1}, {NULL, 0, 0},
		{"0.0.0.0", 1, 0}, {"0.0.0.0", 0, 1}, {"::", 1, 0}, {"::", 0, 1},
	};
	unsigned n = 0;

	for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
		struct sockaddr_storage sa;
		socklen_t len = addr(ways[i].host ? ways[i].host : host, port, &sa);
		int fd = socket(sa.ss_family, type | SOCK_CLOEXEC, 0), zero = 0;

		if (fd < 0)
			continue;
		if (sa.ss_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
		if (ways[i].reuseaddr)
			setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &ways[i].reuseaddr, sizeof(int));
		if (ways[i].reuseport)
			setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &ways[i].reuseport, sizeof(int));
		if (bind(fd, (struct sockaddr *)&sa, len) == 0 &&
		    (type != SOCK_STREAM || listen(fd, 16) == 0)) {
			fprintf(stderr, "sc-sockattack: bound %s:%d reuseaddr=%d reuseport=%d\n",
				ways[i].host ? ways[i].host : host, port, ways[i].reuseaddr,
				ways[i].reuseport);
			fds[n++] = fd;
		} else {
			close(fd);
		}
	}
	return n;
}

static int udp_squat(const char *host, int port, int secs)
{
	int fds[16];
	unsigned n = squat(SOCK_DGRAM, host, port, fds);
	long got = 0;
	time_t end = time(NULL) + secs;
	char b[70000];

	printf("ready\n");
	fflush(stdout);
	while (n && time(NULL) < end) {
		struct pollfd p[16];

		for (unsigned i = 0; i < n; i++)
			p[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
		if (poll(p, n, 100) <= 0)
			continue;
		for (unsigned i = 0; i < n; i++)
			if ((p[i].revents & POLLIN) && recv(fds[i], b, sizeof(b), MSG_DONTWAIT) >= 0)
				got++;
	}
	printf("squatted %u received %ld\n", n, got);
	return 0;
}

static int unix_hold(const char *path, const char *type, int accepting)
{
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	int t = !strcmp(type, "stream") ? SOCK_STREAM : !strcmp(type, "dgram") ? SOCK_DGRAM
										: SOCK_SEQPACKET;
	int fd = socket(AF_UNIX, t | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	snprintf(un.sun_path, sizeof(un.sun_path), "%s", path);
	if (bind(fd, (struct sockaddr *)&un, sizeof(un)) < 0)
		die("bind");
	if (t != SOCK_DGRAM && listen(fd, 16) < 0)
		die("listen");
	printf("ready\n");
	fflush(stdout);
	while (accepting)
		accept4(fd, NULL, NULL, SOCK_CLOEXEC); /* kept open, never read */
	hold();
	return 0;
}

/* Waits until each of fds[0..n) has finished its non-blocking connect or
 * ms passed; marks failed ones -1. Returns how many connected. */
static int settle(int *fds, int n, int ms)
{
	struct timespec t0, t;
	int ok = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++) {
		struct pollfd p = {.fd = fds[i], .events = POLLOUT};
		int err = 0, left;
		socklen_t len = sizeof(err);

		clock_gettime(CLOCK_MONOTONIC, &t);
		left = ms - (int)((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (poll(&p, 1, left > 0 ? left : 0) == 1 &&
		    getsockopt(fds[i], SOL_SOCKET, SO_ERROR, &err, &len) == 0 && !err) {
			ok++;
		} else {
			close(fds[i]);
			fds[i] = -1;
		}
	}
	return ok;
}

static int open_conns(const struct sockaddr_storage *sa, socklen_t len, int n, int *fds)
{
	for (int i = 0; i < n; i++) {
		fds[i] = socket(sa->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fds[i] < 0)
			die("socket");
		if (connect(fds[i], (const struct sockaddr *)sa, len) < 0 && errno != EINPROGRESS)
			die("connect");
	}
	return settle(fds, n, 5000);
}

/* Up to the hard limit: the crowd needs more than the usual 1024. */
static void more_files(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int crowd(const char *host, int port, int idle, int stall)
{
	struct sockaddr_storage sa;
	socklen_t len = addr(host, port, &sa);
	int *fds = calloc((size_t)(idle + stall), sizeof(int)), ok_idle, ok_stall = 0;
	uint8_t half[5];
	uint32_t magic = htonl(SC_WIRE_MAGIC);

	if (!fds)
		die("calloc");
	more_files();
	ok_idle = open_conns(&sa, len, idle, fds);
	open_conns(&sa, len, stall, fds + idle);
	/* A header's magic and version, and then nothing more. */
	memcpy(half, &magic, 4);
	half[4] = SC_WIRE_VERSION;
	for (int i = idle; i < idle + stall; i++)
		if (fds[i] >= 0 && send(fds[i], half, sizeof(half), MSG_NOSIGNAL) == sizeof(half))
			ok_stall++;
	printf("ready %d %d\n", ok_idle, ok_stall);
	fflush(stdout);
	hold();
	return 0;
}

static int full_backlog(void)
{
	struct sockaddr_storage sa;
	socklen_t len = addr("127.0.0.1", 0, &sa);
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), fds[64], n = 0;

	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, len) < 0 || listen(lfd, 1) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &len) < 0)
		die("listen");
	/* Connect until two handshakes in a row do not complete within a
	 * second each: the accept queue is full and the kernel drops further
	 * SYNs (one slow handshake on a busy machine is not enough to say). */
	for (int misses = 0; misses < 2 && n < 64;) {
		fds[n] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fds[n] < 0)
			die("socket");
		if (connect(fds[n], (struct sockaddr *)&sa, len) < 0 && errno != EINPROGRESS)
			die("connect");
		if (settle(&fds[n], 1, 1000) == 0) {
			misses++;
		} else {
			misses = 0;
			n++;
		}
	}
	if (n == 64) {
		fprintf(stderr, "sc-sockattack: the accept queue never filled\n");
		return 1;
	}
	printf("%d\n", ntohs(((struct sockaddr_in *)&sa)->sin_port));
	fflush(stdout);
	hold();
	return 0;
}

static int fds_then_exec(const char *file, char **argv)
{
	FILE *f = fopen(file, "we");
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!f || !d)
		die(file);
	while ((e = readdir(d))) {
		char link[64], target[512];
		int fd = atoi(e->d_name);
		ssize_t n;

		if (e->d_name[0] == '.' || fd <= 2 || fd == dirfd(d) || fd == fileno(f))
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		fprintf(f, "%d -> %s\n", fd, target);
	}
	closedir(d);
	fclose(f);
	execv(argv[0], argv);
	die(argv[0]);
	return 1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "udp-squat"))
		return udp_squat(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "tcp-squat")) {
		int fds[16];

		printf("squatted %u\n", squat(SOCK_STREAM, argv[2], atoi(argv[3]), fds));
		return 0;
	}
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "unix-hold"))
		return unix_hold(argv[2], argv[3], argc == 5 && !strcmp(argv[4], "accept"));
	if (argc == 6 && !strcmp(argv[1], "crowd"))
		return crowd(argv[2], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
	if (argc == 2 && !strcmp(argv[1], "full-backlog"))
		return full_backlog();
	if (argc >= 4 && !strcmp(argv[1], "fds"))
		return fds_then_exec(argv[2], argv + 3);
	fprintf(stderr, "usage: see the comment at the top of tests/sockattack.c\n");
	return 2;
}
