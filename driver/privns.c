/* privns.c - a private network namespace (see privns.h). */
#include "privns.h"

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int sc_privns_enter(char *err, size_t errlen)
{
	struct ifreq ifr;
	int fd, r = 0;

	if (unshare(CLONE_NEWNET) < 0) {
		r = -errno;
		snprintf(err, errlen, "cannot make a network namespace (unshare: %s)", strerror(-r));
		return r;
	}
	/* A new namespace's loopback is down: bring it up, as `ip link set
	 * lo up` would, without running ip. */
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		r = -errno;
		snprintf(err, errlen, "socket: %s", strerror(-r));
		return r;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		r = -errno;
		snprintf(err, errlen, "lo: SIOCGIFFLAGS: %s", strerror(-r));
		goto out;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0) {
		r = -errno;
		snprintf(err, errlen, "lo: SIOCSIFFLAGS: %s", strerror(-r));
	}
out:
	close(fd);
	return r;
}
