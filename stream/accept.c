/* accept.c - the stream receiver's accept policy (see accept.h). */
#include "accept.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"

#define NIL UINT_MAX
/* Descriptors kept free for everything else the receiver opens. */
#define RESERVE_FDS 64
#define BATCH 64

/* One accepted connection waiting to be judged. Slots are linked in
 * accept order, oldest first, so eviction and the stall timer look at the
 * head only; free slots are chained through next. */
struct pending {
	int fd;
	uint64_t since; /* accept time, CLOCK_MONOTONIC ns */
	unsigned prev, next;
};

struct crowd {
	struct pending *p;
	unsigned cap, n, head, tail, free;
	int ep; /* epoll: the listener (data NIL) and every pending connection */
};

/* How many connections fit under RLIMIT_NOFILE, raising its soft limit
 * towards the hard one if want needs it. Returns at least 1. */
static unsigned fit_files(unsigned want)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)want + RESERVE_FDS;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return want < 16 ? want : 16;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		struct rlimit up = rl;

		up.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl = up;
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need)
		return rl.rlim_cur > RESERVE_FDS + 1 ? (unsigned)(rl.rlim_cur - RESERVE_FDS) : 1;
	return want;
}

static int crowd_init(struct crowd *c, unsigned cap)
{
	memset(c, 0, sizeof(*c));
	c->ep = -1;
	c->head = c->tail = NIL;
	c->p = calloc(cap, sizeof(*c->p));
	if (!c->p)
		return -ENOMEM;
	c->cap = cap;
	for (unsigned i = 0; i < cap; i++)
		c->p[i].next = i + 1 < cap ? i + 1 : NIL;
	c->free = 0;
	c->ep = epoll_create1(EPOLL_CLOEXEC);
	return c->ep < 0 ? -errno : 0;
}

/* Takes slot i out of the accept-order list and frees it; closes its
 * connection unless keep. Returns the fd. */
static int crowd_remove(struct crowd *c, unsigned i, int keep)
{
	struct pending *q = &c->p[i];
	int fd = q->fd;

	if (q->prev != NIL)
		c->p[q->prev].next = q->next;
	else
		c->head = q->next;
	if (q->next != NIL)
		c->p[q->next].prev = q->prev;
	else
		c->tail = q->prev;
	if (keep)
		epoll_ctl(c->ep, EPOLL_CTL_DEL, fd, NULL);
	else
		close(fd);
	q->fd = -1;
	q->next = c->free;
	c->free = i;
	c->n--;
	return fd;
}

/* Adds an accepted connection as the newest. Returns 0 or -errno (fd is
 * closed then). */
static int crowd_add(struct crowd *c, int fd, uint64_t now)
{
	unsigned i = c->free;
	struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET};

	c->free = c->p[i].next;
	c->p[i] = (struct pending){.fd = fd, .since = now, .prev = c->tail, .next = NIL};
	if (c->tail != NIL)
		c->p[c->tail].next = i;
	else
		c->head = i;
	c->tail = i;
	c->n++;
	ev.data.u32 = i;
	if (epoll_ctl(c->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int e = errno;

		crowd_remove(c, i, 0);
		return -e;
	}
	return 0;
}

static void crowd_free(struct crowd *c, struct sc_accept *a)
{
	while (c->head != NIL) {
		crowd_remove(c, c->head, 0);
		a->undecided++;
	}
	if (c->ep >= 0)
		close(c->ep);
	free(c->p);
}

/* Accepts what is waiting on lfd (up to BATCH), making room by closing the
 * oldest pending connection when the crowd is full or the process is out
 * of descriptors. Returns 0 or -errno (out of descriptors with nothing
 * left to close, or a listener error). */
static int take(int lfd, struct crowd *c, struct sc_accept *a)
{
	for (int k = 0; k < BATCH; k++) {
		int fd, r;

		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			int e = errno;

			if (e == EAGAIN || e == EWOULDBLOCK)
				return 0;
			if (e == EINTR || e == ECONNABORTED || e == EPROTO)
				continue;
			if ((e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM) && c->n) {
				crowd_remove(c, c->head, 0);
				a->crowded++;
				continue;
			}
			return -e;
		}
		if (c->n == c->cap) {
			crowd_remove(c, c->head, 0);
			a->crowded++;
		}
		r = crowd_add(c, fd, sc_mono_ns());
		if (r < 0)
			a->strangers++; /* could not watch it: closed */
	}
	return 0;
}

/* Milliseconds until the earlier of the deadline and the oldest pending
 * connection's stall time, rounded up; -1 for none. */
static int wait_ms(const struct crowd *c, const struct sc_accept_opts *o,
		   const struct sc_deadline *dl, uint64_t now)
{
	uint64_t until = dl->at;

	if (c->head != NIL && o->stall_ns) {
		uint64_t stall = c->p[c->head].since + o->stall_ns;

		if (!until || stall < until)
			until = stall;
	}
	if (!until)
		return -1;
	if (until <= now)
		return 0;
	if ((until - now) / SC_NS_PER_MS >= INT_MAX)
		return INT_MAX;
	return (int)((until - now + SC_NS_PER_MS - 1) / SC_NS_PER_MS);
}

/* Closes pending connections undecided for stall_ns, oldest first. */
static void evict_stalled(struct crowd *c, const struct sc_accept_opts *o, uint64_t now,
			  struct sc_accept *a)
{
	while (o->stall_ns && c->head != NIL && now - c->p[c->head].since >= o->stall_ns) {
		crowd_remove(c, c->head, 0);
		a->stalled++;
	}
}

int sc_accept_sender(int lfd, const struct sc_accept_opts *o, const struct sc_deadline *dl,
		     struct sc_accept *a)
{
	struct epoll_event ev[BATCH], lev = {.events = EPOLLIN, .data.u32 = NIL};
	struct crowd c;
	int chosen = -1, r, fl;

	memset(a, 0, sizeof(*a));
	a->max_pending = fit_files(o->max_pending ? o->max_pending : SC_ACCEPT_MAX_PENDING);
	r = crowd_init(&c, a->max_pending);
	if (r < 0)
		goto out;
	fl = fcntl(lfd, F_GETFL);
	if (fl < 0 || fcntl(lfd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    epoll_ctl(c.ep, EPOLL_CTL_ADD, lfd, &lev) < 0) {
		r = -errno;
		goto out;
	}
	while (chosen < 0) {
		uint64_t now = sc_mono_ns();
		int n, listener = 0;

		if (dl->stop && *dl->stop) {
			r = -EINTR;
			goto out;
		}
		if (dl->at && now >= dl->at) {
			r = -ETIMEDOUT;
			goto out;
		}
		evict_stalled(&c, o, now, a);
		n = epoll_wait(c.ep, ev, BATCH, wait_ms(&c, o, dl, now));
		if (n < 0 && errno != EINTR) {
			r = -errno;
			goto out;
		}
		for (int k = 0; k < n && chosen < 0; k++) {
			unsigned i = ev[k].data.u32;
			int v;

			if (i == NIL) {
				listener = 1;
				continue;
			}
			v = o->judge(o->arg, c.p[i].fd);
			/* Undecided and closed by its peer: no more bytes can come. */
			if (v == 0 && (ev[k].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
				v = -1;
			if (v > 0) {
				chosen = crowd_remove(&c, i, 1);
			} else if (v < 0) {
				crowd_remove(&c, i, 0);
				a->strangers++;
			}
		}
		if (chosen < 0 && listener) {
			r = take(lfd, &c, a);
			if (r < 0)
				goto out;
		}
	}
	r = chosen;
out:
	crowd_free(&c, a);
	a->next_sweep_ns = sc_mono_ns();
	return r;
}

uint64_t sc_accept_closed(const struct sc_accept *a)
{
	return a->strangers + a->stalled + a->crowded + a->undecided + a->late;
}

unsigned sc_accept_turn_away(int lfd, struct sc_accept *a)
{
	uint64_t now = sc_mono_ns();
	unsigned n = 0;

	if (now < a->next_sweep_ns)
		return 0;
	a->next_sweep_ns = now + SC_ACCEPT_SWEEP_NS;
	for (int k = 0; k < SC_SOCK_BACKLOG; k++) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			break; /* EAGAIN: none left (or out of descriptors: next time) */
		}
		close(fd);
		n++;
	}
	a->late += n;
	return n;
}
