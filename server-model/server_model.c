/* server_model.c - the lecture's server models, as sockcmp measures them
 * (`sockcmp run servers`, issue 9): an echo server for fixed-size requests
 * in one of four shapes.
 *
 *   server-model --model iterative|fork|thread|udp [--listen HOST:PORT] [--size N]
 *
 * iterative: one process; accept, serve that connection to its end, then
 *   the next (the lecture's simple server, in a loop).
 * fork: a child process per connection, as the lecture's fork server, but
 *   the parent reaps its children (the lecture's never does) and a child
 *   dies with its parent (PR_SET_PDEATHSIG).
 * thread: a detached thread per connection.
 * udp: one datagram socket answers every client from one loop.
 *
 * Every request is SIZE bytes and is echoed back whole. Prints "listening
 * on HOST:PORT" once it listens, then "served PID TID N" whenever a
 * connection ends (N requests answered, by process PID, thread TID); the
 * UDP server prints one such line when it ends. Ends on SIGTERM or SIGINT
 * (exit 0). Its own fork() is the model being measured; it starts no
 * other program. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "num.h"

#define MAX_SIZE 65536

static volatile sig_atomic_t stop;
static size_t req_size = 64;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

/* One line to stdout in one write(2): lines from many processes and
 * threads sharing the pipe never interleave (a line is below PIPE_BUF). */
static void say_served(unsigned long long n)
{
	char line[96];
	int len = snprintf(line, sizeof(line), "served %d %d %llu\n", (int)getpid(), (int)gettid(), n);

	if (len > 0 && write(1, line, (size_t)len) < 0)
		return;
}

/* Reads exactly len bytes. Returns len, 0 at end of stream (or a stream
 * cut inside a request), -1 on error. */
static ssize_t read_full(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static int write_full(int fd, const char *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = write(fd, buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

/* Serves one connection until its client closes; says how many requests
 * it answered. */
static void serve(int fd)
{
	char *buf = malloc(req_size);
	unsigned long long n = 0;

	while (buf && read_full(fd, buf, req_size) == (ssize_t)req_size && write_full(fd, buf, req_size) == 0)
		n++;
	free(buf);
	close(fd);
	say_served(n);
}

static void *serve_thread(void *arg)
{
	serve((int)(intptr_t)arg);
	return NULL;
}

/* Waits up to 100 ms for a connection. Returns its fd, or -1 (none yet,
 * or stopping). */
static int next_conn(int lfd)
{
	struct pollfd p = {.fd = lfd, .events = POLLIN};

	if (poll(&p, 1, 100) <= 0)
		return -1;
	return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
}

static void reap(int flags)
{
	while (waitpid(-1, NULL, flags) > 0)
		;
}

static int run_stream(int lfd, const char *model)
{
	while (!stop) {
		int fd = next_conn(lfd);
		pthread_t th;
		pid_t pid;

		if (!strcmp(model, "fork"))
			reap(WNOHANG);
		if (fd < 0)
			continue;
		if (!strcmp(model, "iterative")) {
			serve(fd);
		} else if (!strcmp(model, "thread")) {
			if (pthread_create(&th, NULL, serve_thread, (void *)(intptr_t)fd) != 0)
				close(fd);
			else
				pthread_detach(th);
		} else if ((pid = fork()) == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() == 1)
				_exit(1);
			close(lfd);
			serve(fd);
			_exit(0);
		} else {
			close(fd);
		}
	}
	if (!strcmp(model, "fork"))
		reap(0); /* children end with their clients' close */
	return 0;
}

static int run_udp(int fd)
{
	char *buf = malloc(MAX_SIZE);
	unsigned long long n = 0;

	while (buf && !stop) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t got;

		if (poll(&p, 1, 100) <= 0)
			continue;
		got = recvfrom(fd, buf, MAX_SIZE, 0, (struct sockaddr *)&from, &fl);
		if (got < 0)
			continue;
		if (sendto(fd, buf, (size_t)got, 0, (struct sockaddr *)&from, fl) == got)
			n++;
	}
	free(buf);
	say_served(n);
	return 0;
}

static int usage(int code)
{
	fprintf(code ? stderr : stdout,
		"usage: server-model --model iterative|fork|thread|udp [--listen HOST:PORT] [--size BYTES]\n"
		"An echo server for fixed-size requests in one of the lecture's shapes (sockcmp run servers).\n"
		"  --listen   IPv4 address and port to listen on (default 127.0.0.1:0, the kernel picks)\n"
		"  --size     bytes per request, echoed back whole (default 64, at most %d)\n", MAX_SIZE);
	return code;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"model", 1, NULL, 'm'}, {"listen", 1, NULL, 'l'},
					     {"size", 1, NULL, 's'}, {"help", 0, NULL, 'h'}, {0}};
	const char *model = NULL, *listen_at = "127.0.0.1:0";
	char host[64];
	struct sockaddr_in sin = {.sin_family = AF_INET};
	socklen_t sl = sizeof(sin);
	struct sigaction sa = {.sa_handler = on_stop};
	uint64_t v;
	int c, fd, udp;
	const char *colon;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'm')
			model = optarg;
		else if (c == 'l')
			listen_at = optarg;
		else if (c == 's' && sc_str_u64(optarg, 1, MAX_SIZE, &v) == 0)
			req_size = (size_t)v;
		else
			return usage(c == 'h' ? 0 : 2);
	}
	if (optind != argc || !model ||
	    (strcmp(model, "iterative") && strcmp(model, "fork") && strcmp(model, "thread") && strcmp(model, "udp"))) {
		fprintf(stderr, "server-model: --model iterative, fork, thread or udp is needed\n");
		return 2;
	}
	colon = strrchr(listen_at, ':');
	if (!colon || (size_t)(colon - listen_at) >= sizeof(host) || sc_str_u64(colon + 1, 0, 65535, &v) < 0) {
		fprintf(stderr, "server-model: --listen takes IPV4:PORT, not '%s'\n", listen_at);
		return 2;
	}
	snprintf(host, sizeof(host), "%.*s", (int)(colon - listen_at), listen_at);
	sin.sin_port = htons((uint16_t)v);
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
		fprintf(stderr, "server-model: --listen takes IPV4:PORT, not '%s'\n", listen_at);
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	udp = !strcmp(model, "udp");
	fd = socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || (!udp && listen(fd, SOMAXCONN) < 0) ||
	    getsockname(fd, (struct sockaddr *)&sin, &sl) < 0) {
		fprintf(stderr, "server-model: cannot listen on %s: %s\n", listen_at, strerror(errno));
		return 1;
	}
	printf("listening on %s:%u\n", host, ntohs(sin.sin_port));
	fflush(stdout);
	return udp ? run_udp(fd) : run_stream(fd, model);
}
