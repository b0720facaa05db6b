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
 * UDP server prints one such line when it ends. Its own fork() is the
 * model being measured; it starts no other program.
 *
 * SIGTERM or SIGINT ends it promptly (exit 0), clients connected or not:
 * it stops waiting for connections; the ones the kernel already completed
 * (still in the backlog: their clients count them) are taken as usual; a
 * connection answers the request it is reading if that request's bytes
 * have arrived, then ends, so an idle client no longer holds the server
 * up. Every connection still says its "served" line: the fork server
 * passes the signal to its children and waits for them, the thread server
 * waits for its threads. A client that sends but never reads its replies
 * holds its connection's last answer at most STOP_WRITE_MS (1 s) after
 * the stop; then that connection ends, and says its "served" line. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "num.h"

#define MAX_SIZE 65536

#define MAX_LIVE 65536 /* descriptors the stop can reach (RLIMIT_NOFILE, at most this) */

static atomic_int stop;
static size_t req_size = 64;

/* live[fd] is set while connection fd is being served (the thread
 * server's several, one in any other process), so the signal handler can
 * reach every one; nlive entries. Lock-free atomics, safe in a handler. */
static atomic_uchar *live;
static int nlive;

/* SIGTERM, SIGINT: stop, and shut the read side of every connection being
 * served, so a read blocked on an idle client returns at once (bytes that
 * already arrived are still read first). shutdown(2) is async-signal-safe. */
static void on_stop(int sig)
{
	int e = errno;

	(void)sig;
	atomic_store(&stop, 1);
	for (int fd = 0; fd < nlive; fd++)
		if (atomic_load(&live[fd]))
			shutdown(fd, SHUT_RD);
	errno = e;
}

/* Marks fd as being served. Marked first, stop checked after (the handler
 * sets stop first and reads the marks after), so a stop either finds the
 * mark or is seen here: no connection misses it. */
static void conn_open(int fd)
{
	if (fd < nlive)
		atomic_store(&live[fd], 1);
	if (atomic_load(&stop))
		shutdown(fd, SHUT_RD);
}

/* Unmarks and closes fd (unmarked first: its number may be reused). */
static void conn_close(int fd)
{
	if (fd < nlive)
		atomic_store(&live[fd], 0);
	close(fd);
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

/* How long a connection's answer may wait for room once stopping. */
#define STOP_WRITE_MS 1000

/* Writes all of buf. The send itself never blocks: on a full socket it
 * waits for room in polls of 100 ms, so the stop reaches it even in a
 * thread the signal did not interrupt, and once stopping it gives up
 * after STOP_WRITE_MS (a client that never reads cannot hold the server
 * up). Returns 0 or -1. */
static int write_full(int fd, const char *buf, size_t len)
{
	size_t off = 0;
	int waited_ms = 0;

	while (off < len) {
		ssize_t n = send(fd, buf + off, len - off, MSG_DONTWAIT | MSG_NOSIGNAL);
		struct pollfd p = {.fd = fd, .events = POLLOUT};

		if (n >= 0) {
			off += (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if (atomic_load(&stop) && waited_ms >= STOP_WRITE_MS)
			return -1;
		if (poll(&p, 1, 100) == 0 && atomic_load(&stop))
			waited_ms += 100;
	}
	return 0;
}

/* Serves one connection until its client closes, or, once stopping, until
 * the request being read is answered (or has not arrived whole); says how
 * many requests it answered. */
static void serve(int fd)
{
	char *buf = malloc(req_size);
	unsigned long long n = 0;

	conn_open(fd);
	while (buf && read_full(fd, buf, req_size) == (ssize_t)req_size && write_full(fd, buf, req_size) == 0) {
		n++;
		if (atomic_load(&stop))
			break;
	}
	free(buf);
	conn_close(fd);
	say_served(n);
}

/* The thread server's threads: how many are serving, so it can wait for
 * their "served" lines before it exits. */
static pthread_mutex_t threads_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t threads_done = PTHREAD_COND_INITIALIZER;
static unsigned long nthreads;

static void *serve_thread(void *arg)
{
	serve((int)(intptr_t)arg);
	pthread_mutex_lock(&threads_lock);
	if (--nthreads == 0)
		pthread_cond_signal(&threads_done);
	pthread_mutex_unlock(&threads_lock);
	return NULL;
}

/* The fork server's children not reaped yet, so the stop can reach them:
 * the driver signals this server's PID alone, so each child is sent the
 * stop by its PID. A PID stays ours until reaped. */
static pid_t *kids;
static size_t nkids, capkids;
static int listen_fd = -1;

/* Makes room for one more child. Returns 0, or -ENOMEM: then no child
 * is started (one the stop could not reach would hold the final wait). */
static int kid_room(void)
{
	if (nkids == capkids) {
		size_t cap = capkids ? 2 * capkids : 64;
		pid_t *v = realloc(kids, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		kids = v;
		capkids = cap;
	}
	return 0;
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

/* Reaps the fork server's children (flags: WNOHANG or 0 to wait for all). */
static void reap(int flags)
{
	pid_t pid;

	while ((pid = waitpid(-1, NULL, flags)) > 0 || (pid < 0 && errno == EINTR))
		for (size_t i = 0; pid > 0 && i < nkids; i++)
			if (kids[i] == pid) {
				kids[i] = kids[--nkids];
				break;
			}
}

/* One accepted connection, in each model's way. */
static void take_iterative(int fd)
{
	serve(fd);
}

static void take_thread(int fd)
{
	pthread_t th;

	pthread_mutex_lock(&threads_lock);
	nthreads++;
	pthread_mutex_unlock(&threads_lock);
	if (pthread_create(&th, NULL, serve_thread, (void *)(intptr_t)fd) == 0) {
		pthread_detach(th);
		return;
	}
	close(fd);
	pthread_mutex_lock(&threads_lock);
	nthreads--;
	pthread_mutex_unlock(&threads_lock);
}

static void take_fork(int fd)
{
	pid_t pid;

	if (kid_room() < 0) {
		close(fd); /* refused: the client sees its connection end */
		return;
	}
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(1);
		close(listen_fd);
		serve(fd);
		_exit(0);
	}
	if (pid > 0)
		kids[nkids++] = pid;
	close(fd);
}

/* Takes the connections still in the backlog once stopping (the kernel
 * completed them and their clients count them), at most a backlog's
 * worth, without waiting for more. */
static void take_backlog(int lfd, void (*take)(int fd))
{
	int fl = fcntl(lfd, F_GETFL);

	if (fl < 0 || fcntl(lfd, F_SETFL, fl | O_NONBLOCK) < 0)
		return;
	for (int i = 0; i < SOMAXCONN; i++) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0 && errno == EINTR)
			continue;
		if (fd < 0)
			break;
		take(fd);
	}
}

static int run_stream(int lfd, const char *model)
{
	void (*take)(int fd) = !strcmp(model, "iterative") ? take_iterative
			       : !strcmp(model, "thread") ? take_thread
							   : take_fork;

	listen_fd = lfd;
	while (!atomic_load(&stop)) {
		int fd = next_conn(lfd);

		if (take == take_fork)
			reap(WNOHANG);
		if (fd >= 0)
			take(fd);
	}
	take_backlog(lfd, take);
	close(lfd);
	if (take == take_fork) {
		/* The driver's stop reached only us: pass it on to each
		 * child, then wait for every "served" line. */
		for (size_t i = 0; i < nkids; i++)
			kill(kids[i], SIGTERM);
		reap(0);
	} else if (take == take_thread) {
		pthread_mutex_lock(&threads_lock);
		while (nthreads)
			pthread_cond_wait(&threads_done, &threads_lock);
		pthread_mutex_unlock(&threads_lock);
	}
	free(kids);
	return 0;
}

static int run_udp(int fd)
{
	char *buf = malloc(MAX_SIZE);
	unsigned long long n = 0;

	while (buf && !atomic_load(&stop)) {
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
	struct sigaction sa = {.sa_handler = on_stop}; /* no SA_RESTART: a blocked call returns */
	struct rlimit rl;
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
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		nlive = rl.rlim_cur < MAX_LIVE ? (int)rl.rlim_cur : MAX_LIVE;
	live = calloc(nlive ? (size_t)nlive : 1, sizeof(*live));
	if (!live) {
		fprintf(stderr, "server-model: out of memory\n");
		return 1;
	}
	for (int i = 0; i < nlive; i++)
		atomic_init(&live[i], 0);
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
