/* servers_clients.c - the servers mode's client threads (see
 * servers_clients.h). */
#include "servers_clients.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"

#define LECTURE_TEXT "\nI am server and this is my message\n"
#define UDP_WAIT_NS (200 * SC_NS_PER_MS) /* a datagram not answered by then is lost */

struct shared {
	const struct sc_clients_plan *p;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned ready;    /* threads waiting for go */
	bool go;
	uint64_t deadline; /* CLOCK_MONOTONIC; set before go */
};

struct client {
	struct shared *sh;
	pthread_t th;
	uint64_t seq, sent, answered, bad, conns;
	int err;
	struct sc_hist hist;
};

bool sc_clients_reply_ok(const struct sc_clients_plan *p, const char *req, const char *reply, size_t len)
{
	static const char text[] = LECTURE_TEXT;

	if (len != p->reply)
		return false;
	if (!p->lecture)
		return memcmp(req, reply, len) == 0;
	if (len < sizeof(text) || memcmp(reply, text, sizeof(text)) != 0)
		return false; /* the text and its NUL */
	for (size_t i = sizeof(text); i < len; i++)
		if (reply[i])
			return false;
	return true;
}

/* Waits for fd to be ready for events until the deadline. Returns 1, 0 at
 * the deadline, -errno. */
static int wait_fd(int fd, short events, uint64_t deadline)
{
	for (;;) {
		struct pollfd pf = {.fd = fd, .events = events};
		uint64_t now = sc_mono_ns();
		int k;

		if (now >= deadline)
			return 0;
		k = poll(&pf, 1, (int)((deadline - now) / SC_NS_PER_MS) + 1);
		if (k > 0)
			return 1;
		if (k < 0 && errno != EINTR)
			return -errno;
	}
}

/* A socket of type connected to the server, before the deadline (the
 * lecture server's backlog of 5 can make a connect wait for a SYN sent
 * again). Returns the fd, -ETIMEDOUT or -errno. */
static int dial(const struct sc_clients_plan *p, int type, uint64_t deadline)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(p->port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int fd = socket(AF_INET, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), e = 0, k;
	socklen_t el = sizeof(e);

	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 && errno != EINPROGRESS) {
		e = errno;
		close(fd);
		return -e;
	}
	k = wait_fd(fd, POLLOUT, deadline);
	if (k > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) == 0 && e == 0)
		return fd;
	close(fd);
	return k == 0 ? -ETIMEDOUT : k < 0 ? k : -(e ? e : EIO);
}

/* Sends len bytes (the socket is non-blocking; a request is small). */
static int put(int fd, const char *buf, size_t len, uint64_t deadline)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = send(fd, buf + off, len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EAGAIN && wait_fd(fd, POLLOUT, deadline) > 0)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		off += (size_t)n;
	}
	return 0;
}

/* Reads exactly len bytes before the deadline. Returns 0, -ETIMEDOUT,
 * -EPIPE (the server closed) or -errno. */
static int get(int fd, char *buf, size_t len, uint64_t deadline)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = recv(fd, buf + got, len - got, 0);
		int k;

		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		if (n == 0)
			return -EPIPE;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -errno;
		k = wait_fd(fd, POLLIN, deadline);
		if (k <= 0)
			return k ? k : -ETIMEDOUT;
	}
	return 0;
}

/* The request with sequence number seq: seq big-endian, then a pattern. */
static void request(char *buf, size_t size, uint64_t seq)
{
	for (size_t i = 0; i < size; i++)
		buf[i] = (char)(i < 8 ? seq >> (56 - 8 * i) : (seq * 131 + i) & 0xff);
	/* the lecture's server prints the request as a string: end it */
	buf[size - 1] = '\0';
}

/* One answered round trip, or not. Returns 0 or the error that ends this
 * connection. */
static int round_trip(struct client *c, int fd, char *req, char *rep, uint64_t deadline)
{
	const struct sc_clients_plan *p = c->sh->p;
	uint64_t t0, t1;
	int r;

	request(req, p->size, ++c->seq);
	t0 = sc_mono_ns();
	if ((r = put(fd, req, p->size, deadline)) < 0)
		return r;
	c->sent++;
	if ((r = get(fd, rep, p->reply, deadline)) < 0)
		return r;
	/* poll's millisecond timeout can overshoot the deadline: a reply
	 * after it is outside the measured span (and, for the iterative
	 * server, would credit a client served only once the others left) */
	if ((t1 = sc_mono_ns()) > deadline)
		return -ETIMEDOUT;
	sc_hist_add(&c->hist, (int64_t)(t1 - t0));
	c->answered++;
	c->bad += !sc_clients_reply_ok(p, req, rep, p->reply);
	return 0;
}

static void run_tcp(struct client *c, char *req, char *rep, uint64_t deadline)
{
	while (sc_mono_ns() < deadline) {
		int fd = dial(c->sh->p, SOCK_STREAM, deadline), r = 0;

		if (fd < 0) {
			if (fd != -ETIMEDOUT && !c->err)
				c->err = -fd;
			if (fd != -ETIMEDOUT)
				sc_sleep_ns(SC_NS_PER_MS, NULL); /* refused: not in a busy loop */
			continue;
		}
		c->conns++;
		for (uint64_t k = 0; k < c->sh->p->per_conn && r == 0 && sc_mono_ns() < deadline; k++)
			r = round_trip(c, fd, req, rep, deadline);
		if (r < 0 && r != -ETIMEDOUT && !c->err)
			c->err = -r;
		close(fd);
	}
}

/* A reply whose sequence number is not the last request's is a late
 * answer to one given up on: skipped. */
static void run_udp(struct client *c, char *req, char *rep, uint64_t deadline)
{
	const struct sc_clients_plan *p = c->sh->p;
	int fd = dial(p, SOCK_DGRAM, deadline);

	if (fd < 0) {
		c->err = -fd;
		return;
	}
	while (sc_mono_ns() < deadline) {
		uint64_t t0, until;
		ssize_t n = -1;

		request(req, p->size, ++c->seq);
		t0 = sc_mono_ns();
		if (send(fd, req, p->size, 0) != (ssize_t)p->size) {
			if (!c->err)
				c->err = errno;
			sc_sleep_ns(SC_NS_PER_MS, NULL);
			continue;
		}
		c->sent++;
		until = t0 + UDP_WAIT_NS < deadline ? t0 + UDP_WAIT_NS : deadline;
		while (wait_fd(fd, POLLIN, until) > 0 && (n = recv(fd, rep, p->reply, 0)) >= 8 &&
		       memcmp(rep, req, 8) != 0)
			n = -1;
		if (n < 0 || sc_mono_ns() > deadline)
			continue; /* lost, or after the measured span (see round_trip) */
		sc_hist_add(&c->hist, (int64_t)(sc_mono_ns() - t0));
		c->answered++;
		c->bad += !sc_clients_reply_ok(p, req, rep, (size_t)n);
	}
	close(fd);
}

static void *client_main(void *arg)
{
	struct client *c = arg;
	const struct sc_clients_plan *p = c->sh->p;
	char *req = malloc(p->size), *rep = malloc(p->reply > p->size ? p->reply : p->size);

	pthread_mutex_lock(&c->sh->lock);
	c->sh->ready++;
	pthread_cond_broadcast(&c->sh->cond);
	while (!c->sh->go)
		pthread_cond_wait(&c->sh->cond, &c->sh->lock);
	pthread_mutex_unlock(&c->sh->lock);
	if (req && rep && p->udp)
		run_udp(c, req, rep, c->sh->deadline);
	else if (req && rep)
		run_tcp(c, req, rep, c->sh->deadline);
	else
		c->err = ENOMEM;
	free(req);
	free(rep);
	return NULL;
}

/* Starts the threads, releases them together once all are ready (so
 * every client sends for the same span), joins them and sums up. */
int sc_clients_run(const struct sc_clients_plan *p, struct sc_clients_result *res)
{
	struct shared sh = {.p = p, .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};
	struct client *c = p->clients ? calloc(p->clients, sizeof(*c)) : NULL;
	unsigned started = 0;

	memset(res, 0, sizeof(*res));
	if (p->clients == 0 || p->size < 8 || p->reply < 8)
		return free(c), -EINVAL;
	res->hist = calloc(1, sizeof(*res->hist));
	if (!c || !res->hist) {
		free(c);
		free(res->hist);
		res->hist = NULL;
		return -ENOMEM;
	}
	sc_hist_reset(res->hist);
	for (; started < p->clients; started++) {
		c[started].sh = &sh;
		sc_hist_reset(&c[started].hist);
		if (pthread_create(&c[started].th, NULL, client_main, &c[started]) != 0)
			break;
	}
	pthread_mutex_lock(&sh.lock);
	while (sh.ready < started)
		pthread_cond_wait(&sh.cond, &sh.lock);
	/* Threads that could not start: the others are released with a
	 * deadline already past, so they end at once. */
	sh.deadline = started == p->clients ? sc_mono_ns() + p->for_ns : 0;
	res->first_ns = sc_real_ns();
	sh.go = true;
	pthread_cond_broadcast(&sh.cond);
	pthread_mutex_unlock(&sh.lock);
	for (unsigned k = 0; k < started; k++) {
		pthread_join(c[k].th, NULL);
		res->sent += c[k].sent;
		res->answered += c[k].answered;
		res->bad += c[k].bad;
		res->conns += c[k].conns;
		res->served_clients += c[k].answered > 0;
		if (!res->err)
			res->err = c[k].err;
		sc_hist_merge(res->hist, &c[k].hist);
	}
	res->last_ns = sc_real_ns();
	free(c);
	if (started < p->clients) {
		sc_clients_free(res);
		return -EAGAIN;
	}
	return 0;
}

void sc_clients_free(struct sc_clients_result *res)
{
	free(res->hist);
	res->hist = NULL;
}
