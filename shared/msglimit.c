/* msglimit.c - the probe behind msglimit.h. */
#include "msglimit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Sends one message of len bytes from a to b and reads it back (so that
 * the next try starts with empty buffers). Returns 1 if it went through,
 * 0 if the kernel refused it as too large, or -errno. */
static int fits(int a, int b, const char *buf, size_t len)
{
	char one;
	ssize_t n = send(a, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n < 0)
		return errno == EMSGSIZE || errno == ENOBUFS ? 0 : -errno;
	if ((size_t)n != len)
		return -EIO;
	n = recv(b, &one, 1, MSG_DONTWAIT | MSG_TRUNC);
	return n < 0 ? -errno : 1;
}

/* Returns 0 or -errno; see msglimit.h. */
int sc_msglimit_probe(const struct sc_transport *t, uint64_t sndbuf, uint64_t *max)
{
	int sv[2] = {-1, -1}, r, v = 0;
	socklen_t vl = sizeof(v);
	uint64_t lo, hi;
	char *buf = NULL;

	*max = t->max_msg;
	if (t->family != AF_UNIX || t->socktype == SOCK_STREAM)
		return 0;
	if (socketpair(AF_UNIX, t->socktype | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	if (sndbuf) {
		v = sndbuf > INT32_MAX / 2 ? INT32_MAX / 2 : (int)sndbuf;
		if (setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)) < 0) {
			r = -errno;
			goto out;
		}
	}
	if (getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, &vl) < 0) {
		r = -errno;
		goto out;
	}
	/* The limit lies below the buffer's size (the kernel keeps some of it
	 * for its own bookkeeping): search [lo, hi) for the largest that fits. */
	lo = 0;
	hi = (uint64_t)v + 1;
	buf = calloc(1, (size_t)v + 1);
	if (!buf) {
		r = -ENOMEM;
		goto out;
	}
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		r = fits(sv[0], sv[1], buf, (size_t)mid);
		if (r < 0)
			goto out;
		*(r ? &lo : &hi) = mid;
	}
	*max = lo;
	r = 0;
out:
	free(buf);
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	return r;
}

/* Returns 0, -EINVAL or -errno; see msglimit.h. */
int sc_msglimit_check(const struct sc_experiment *e, char *err, size_t errlen)
{
	for (size_t k = 0; k < e->ntransports; k++) {
		const struct sc_transport *t = e->transports[k];
		char why[200];
		uint64_t max;
		int r;

		if (t->family != AF_UNIX || t->socktype == SOCK_STREAM)
			continue;
		r = sc_msglimit_probe(t, e->send.sndbuf, &max);
		if (r < 0) {
			snprintf(err, errlen, "cannot probe the message limit of %s: %s", t->name,
				 strerror(-r));
			return r;
		}
		snprintf(why, sizeof(why), "what fits in the sender's socket buffer on this kernel%s; "
			 "a larger 'sndbuf' raises it", e->send.sndbuf ? " with this 'sndbuf'" : "");
		if (sc_experiment_check_size(e, t, max, why, err, errlen) < 0)
			return -EINVAL;
	}
	return 0;
}
