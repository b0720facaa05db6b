/* probe_util.c - helpers shared by the probes (see probe_util.h). */
#include "probe_util.h"

#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "paths.h"
#include "spawn.h"

int pu_bound(int family, int type, uint16_t port, int backlog, struct sockaddr_storage *out,
	     socklen_t *outlen)
{
	struct sockaddr_storage a;
	socklen_t len;
	int fd = socket(family, type | SOCK_CLOEXEC, 0), e;

	if (fd < 0)
		return -errno;
	memset(&a, 0, sizeof(a));
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		s6->sin6_addr = in6addr_loopback;
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&a;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*s4);
	}
	if (bind(fd, (struct sockaddr *)&a, len) < 0 ||
	    (type == SOCK_STREAM && listen(fd, backlog) < 0))
		goto fail;
	if (out) {
		*outlen = sizeof(*out);
		if (getsockname(fd, (struct sockaddr *)out, outlen) < 0)
			goto fail;
	}
	return fd;
fail:
	e = errno;
	close(fd);
	return -e;
}

int pu_connected(int type, const struct sockaddr_storage *to, socklen_t tolen)
{
	int fd = socket(to->ss_family, type | SOCK_CLOEXEC, 0), e;

	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)to, tolen) < 0) {
		e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

int pu_tcp_pair(int *client, int *server)
{
	struct sockaddr_storage a;
	socklen_t al;
	int lfd, c, s = -1, r = 0;

	*client = *server = -1;
	lfd = pu_bound(AF_INET, SOCK_STREAM, 0, 1, &a, &al);
	if (lfd < 0)
		return lfd;
	c = pu_connected(SOCK_STREAM, &a, al);
	if (c < 0) {
		r = c;
		goto out;
	}
	/* connect() returned: the handshake is done, so this does not block. */
	do
		s = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	while (s < 0 && errno == EINTR);
	if (s < 0) {
		r = -errno;
		close(c);
		goto out;
	}
	*client = c;
	*server = s;
out:
	close(lfd);
	return r;
}

uint16_t pu_port(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)a)->sin6_port);
	return ntohs(((const struct sockaddr_in *)a)->sin_port);
}

int pu_readable(int fd, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	int r;

	do
		r = poll(&p, 1, ms);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

int pu_lo_counters(uint64_t *packets, uint64_t *bytes)
{
	char line[512];
	FILE *f = fopen("/proc/net/dev", "re");
	int r = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v[10];
		char *p = strchr(line, ':');

		if (!p || strncmp(line + strspn(line, " "), "lo:", 3))
			continue;
		/* rx: bytes packets errs drop fifo frame compressed multicast;
		 * tx: bytes packets ... */
		if (sscanf(p + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
			   &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]) == 10) {
			*bytes = v[8];
			*packets = v[9];
			r = 0;
		}
	}
	fclose(f);
	return r;
}

int pu_proc_long(const char *path, long *v)
{
	FILE *f = fopen(path, "re");
	int r = 0;

	if (!f)
		return -errno;
	if (fscanf(f, "%ld", v) != 1)
		r = -EINVAL;
	fclose(f);
	return r;
}

void pu_row(struct sc_csv *c, const char *measure, int64_t value, const char *unit)
{
	sc_csv_field(c, measure);
	sc_csv_i64(c, value);
	sc_csv_field(c, unit);
	sc_csv_end_row(c);
}

void pu_row_none(struct sc_csv *c, const char *measure, const char *unit)
{
	sc_csv_field(c, measure);
	sc_csv_field(c, NULL);
	sc_csv_field(c, unit);
	sc_csv_end_row(c);
}

void pu_row_if(struct sc_csv *c, bool known, const char *measure, int64_t value, const char *unit)
{
	if (known)
		pu_row(c, measure, value, unit);
	else
		pu_row_none(c, measure, unit);
}

const char *pu_errname(int err)
{
	static char buf[16];

	switch (err) {
	case 0: return "ok";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case EADDRINUSE: return "EADDRINUSE";
	case ECONNREFUSED: return "ECONNREFUSED";
	case EMSGSIZE: return "EMSGSIZE";
	case ECONNRESET: return "ECONNRESET";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EAGAIN: return "EAGAIN";
	case EINPROGRESS: return "EINPROGRESS";
	case ENOBUFS: return "ENOBUFS";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case EPIPE: return "EPIPE";
	case EMFILE: return "EMFILE";
	case ENFILE: return "ENFILE";
	case EBADF: return "EBADF";
	case ENOTSOCK: return "ENOTSOCK";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case ENOMEM: return "ENOMEM";
	default: snprintf(buf, sizeof(buf), "errno %d", err); return buf;
	}
}

/* The actions, as the child does them. */
static int nobody_bind(unsigned port)
{
	int fd = pu_bound(AF_INET, SOCK_STREAM, (uint16_t)port, 1, NULL, NULL);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return fd == -EACCES ? 1 : fd == -EADDRINUSE ? 2 : 3;
}

static int nobody_icmp_dgram(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_ICMP);

	if (fd < 0)
		return errno == EACCES ? 1 : 2;
	close(fd);
	return 0;
}

int sc_probe_nobody_main(int argc, char **argv)
{
	unsigned long arg;
	char *end;

	if (argc != 3 || (arg = strtoul(argv[2], &end, 10)) > 65535 || *end) {
		fprintf(stderr, "usage: sockcmp __as-nobody bind|icmp-dgram ARG\n");
		return 254;
	}
	/* Groups first: after setresuid we could no longer drop them. */
	if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0) {
		fprintf(stderr, "sockcmp __as-nobody: cannot become uid 65534: %s\n", strerror(errno));
		return 255;
	}
	if (!strcmp(argv[1], "bind"))
		return nobody_bind((unsigned)arg);
	if (!strcmp(argv[1], "icmp-dgram"))
		return nobody_icmp_dgram();
	fprintf(stderr, "sockcmp __as-nobody: unknown action %s\n", argv[1]);
	return 254;
}

int pu_as_nobody(const char *bin_dir, enum pu_nobody_action action, unsigned arg)
{
	char self[4200], num[16];
	char *argv[] = {self, "__as-nobody", action == PU_BIND ? "bind" : "icmp-dgram", num, NULL};
	struct sc_child c;
	int r, code;

	/* Its stdout would be the probe's own, which the driver reads for
	 * verdict lines: nothing of the child's may land there. */
	struct sc_spawn_opts so = {.argv = argv, .out = SC_STREAM_NULL, .group = true};

	if ((r = sc_self_path(bin_dir, self, sizeof(self))) < 0)
		return r;
	snprintf(num, sizeof(num), "%u", arg);
	r = sc_child_start(&c, &so);
	if (r < 0)
		return r;
	r = sc_child_wait(&c, 1, sc_mono_ns() + 5 * SC_NS_PER_S, NULL);
	if (r < 0) {
		sc_child_end(&c, 1, 100 * SC_NS_PER_MS);
		return r;
	}
	code = sc_child_code(&c);
	return code == 255 ? -EPERM : code >= 128 ? -ECHILD : code;
}
