/* ctlio.c - control frames over a socket; the pre-shared key file. */
#include "ctlio.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include "clock.h"
#include "wire.h"

/* Waits for fd to be ready for ev until the deadline. Returns 0,
 * -ETIMEDOUT, -EINTR or -errno. */
static int wait_fd(int fd, short ev, uint64_t deadline, const volatile sig_atomic_t *stop)
{
	for (;;) {
		struct pollfd p = {.fd = fd, .events = ev};
		uint64_t now = sc_mono_ns();
		int n;

		if (stop && *stop)
			return -EINTR;
		if (now >= deadline)
			return -ETIMEDOUT;
		n = poll(&p, 1, (int)((deadline - now) / SC_NS_PER_MS) + 1);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

/* Sends the iovecs whole (header and payload in one segment where they
 * fit: with TCP_NODELAY, no small write waits for an ACK). */
static int write_all(int fd, struct iovec *iov, int n, uint64_t deadline, const volatile sig_atomic_t *stop)
{
	while (n) {
		struct msghdr m = {.msg_iov = iov, .msg_iovlen = (size_t)n};
		ssize_t w;
		int r = wait_fd(fd, POLLOUT, deadline, stop);

		if (r < 0)
			return r;
		w = sendmsg(fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && errno == ENOTSOCK) /* a pipe (serve --stdio): SIGPIPE is ignored */
			w = writev(fd, iov, n);
		if (w < 0 && errno != EINTR && errno != EAGAIN)
			return -errno;
		while (w > 0 && n) {
			size_t k = (size_t)w < iov->iov_len ? (size_t)w : iov->iov_len;

			iov->iov_base = (char *)iov->iov_base + k;
			iov->iov_len -= k;
			w -= (ssize_t)k;
			if (!iov->iov_len) {
				iov++;
				n--;
			}
		}
	}
	return 0;
}

static int read_all(int fd, uint8_t *p, size_t n, uint64_t deadline, const volatile sig_atomic_t *stop)
{
	while (n) {
		ssize_t got;
		int r = wait_fd(fd, POLLIN, deadline, stop);

		if (r < 0)
			return r;
		got = recv(fd, p, n, MSG_DONTWAIT);
		if (got < 0 && errno == ENOTSOCK)
			got = read(fd, p, n);
		if (got == 0)
			return -ECONNRESET;
		if (got < 0 && errno != EINTR && errno != EAGAIN)
			return -errno;
		if (got > 0) {
			p += got;
			n -= (size_t)got;
		}
	}
	return 0;
}

int sc_ctl_send(int fd, struct sc_ctl_session *s, uint8_t type, const void *payload, size_t len,
		uint64_t deadline, const volatile sig_atomic_t *stop)
{
	struct sc_ctl_hdr h = {.type = type, .length = (uint32_t)len};
	uint8_t hdr[SC_CTL_HDR_LEN];
	int r;

	if (len > SC_CTL_MAX_PAYLOAD)
		return -E2BIG;
	sc_ctl_hdr_encode(&h, hdr);
	sc_ctl_seal(s, hdr, payload, len);
	{
		struct iovec iov[2] = {{hdr, sizeof(hdr)}, {(void *)payload, len}};

		r = write_all(fd, iov, len ? 2 : 1, deadline, stop);
	}
	return r;
}

long sc_ctl_recv(int fd, struct sc_ctl_session *s, uint8_t *type, uint8_t *buf, uint64_t deadline,
		 const volatile sig_atomic_t *stop)
{
	uint8_t hdr[SC_CTL_HDR_LEN];
	struct sc_ctl_hdr h;
	int r = read_all(fd, hdr, sizeof(hdr), deadline, stop);

	if (r < 0)
		return r;
	r = sc_ctl_hdr_decode(hdr, sizeof(hdr), &h);
	if (r < 0)
		return r;
	if (h.length)
		r = read_all(fd, buf, h.length, deadline, stop);
	if (r < 0)
		return r;
	if (sc_ctl_check(s, hdr, buf, h.length) < 0)
		return -EACCES;
	*type = h.type;
	return (long)h.length;
}

void sc_ctl_nodelay(int fd)
{
	int one = 1;

	/* Best effort: the control channel works without it, only slower. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

const char *sc_ctl_strerror(long r)
{
	switch (r) {
	case -ETIMEDOUT: return "no answer in time";
	case -ECONNRESET: return "connection closed";
	case -EBADMSG: return "not a sockcmp control frame";
	case -EPROTO: return "unknown protocol version or frame type";
	case -E2BIG: return "frame length over the limit";
	case -EACCES: return "frame failed its integrity check";
	case -EINTR: return "interrupted";
	default: return strerror((int)-r);
	}
}

static int create_key(const char *path, uint8_t key[SC_SIPHASH_KEY_LEN], char *err, size_t errlen)
{
	struct sc_wire_key k;
	char hex[SC_WIRE_KEY_HEX + 2];
	int fd, r = 0;

	if (getrandom(k.k, sizeof(k.k), 0) != (ssize_t)sizeof(k.k)) {
		snprintf(err, errlen, "%s: cannot get random bytes: %s", path, strerror(errno));
		return -EIO;
	}
	sc_wire_key_format(&k, hex);
	strcat(hex, "\n");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		r = -errno;
		snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
		goto out;
	}
	if (write(fd, hex, strlen(hex)) != (ssize_t)strlen(hex) || fsync(fd) < 0) {
		r = -EIO;
		snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
		unlink(path);
	}
	close(fd);
	memcpy(key, k.k, sizeof(k.k));
out:
	memset(hex, 0, sizeof(hex));
	memset(&k, 0, sizeof(k));
	return r < 0 ? r : 1;
}

int sc_key_load(const char *path, int create, uint8_t key[SC_SIPHASH_KEY_LEN], char *err, size_t errlen)
{
	char text[80];
	struct stat st;
	struct sc_wire_key k;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), r = 0;

	if (fd < 0 && errno == ENOENT && create)
		return create_key(path, key, err, errlen);
	if (fd < 0) {
		r = -errno;
		snprintf(err, errlen, "%s: %s%s", path, strerror(errno),
			 errno == ENOENT ? " (copy the server's key file here, e.g. with scp)" : "");
		return r;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		r = -EINVAL;
	} else if (st.st_mode & 077) {
		snprintf(err, errlen, "%s: group or others may access it (mode %03o); chmod 600 it", path,
			 (unsigned)(st.st_mode & 0777));
		r = -EPERM;
	} else if (st.st_uid != geteuid()) {
		snprintf(err, errlen, "%s: owned by uid %u, not by us", path, (unsigned)st.st_uid);
		r = -EPERM;
	}
	if (r < 0)
		goto out;
	n = read(fd, text, sizeof(text) - 1);
	if (n < 0)
		n = 0;
	text[n] = '\0';
	text[strcspn(text, "\r\n")] = '\0';
	if (strlen(text) != SC_WIRE_KEY_HEX || sc_wire_key_parse(text, &k) < 0) {
		snprintf(err, errlen, "%s: not a sockcmp key (32 hex digits)", path);
		r = -EINVAL;
		goto out;
	}
	memcpy(key, k.k, sizeof(k.k));
out:
	memset(text, 0, sizeof(text));
	memset(&k, 0, sizeof(k));
	close(fd);
	return r;
}
