/* probe_byteorder.c - the slide's union, and a server that forgets
 * htons(). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe.h"
#include "probe_util.h"

int sc_probe_byteorder(const struct sc_probe_env *env, struct sc_verdict *v)
{
	/* The slide's union, as written there. */
	union {
		uint32_t addr; /* 4 bytes address */
		unsigned char c[4];
	} un, net;
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)}, got;
	socklen_t gl = sizeof(got);
	struct sc_csv c;
	int fd, cfd, refused, r;
	uint16_t real;

	un.addr = 0x8002c25f; /* 128.2.194.95 */
	net.addr = htonl(0x8002c25f);
	/* A server that writes sin_port = 1234, forgetting htons(). */
	sin.sin_port = 1234;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, 5) < 0) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		return r;
	}
	if (getsockname(fd, (struct sockaddr *)&got, &gl) < 0) {
		r = -errno;
		close(fd);
		sc_verdict_set(v, "not measured", "the listening port could not be read: %s", pu_errname(-r));
		return r;
	}
	real = ntohs(got.sin_port);
	/* A client that asks for port 1234 correctly. */
	sin.sin_port = htons(1234);
	cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (cfd < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	refused = connect(cfd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ? errno : 0;
	close(cfd);
	close(fd);
	if ((r = sc_probe_csv_open(env, "byte-order", &c, (const char *const[]){"measure", "c0", "c1", "c2", "c3", NULL})) < 0)
		return r;
	sc_csv_field(&c, "host_order"); /* un.addr = 0x8002c25f */
	for (int i = 0; i < 4; i++)
		sc_csv_i64(&c, un.c[i]);
	sc_csv_end_row(&c);
	sc_csv_field(&c, "after_htonl"); /* un.addr = htonl(0x8002c25f) */
	for (int i = 0; i < 4; i++)
		sc_csv_i64(&c, net.c[i]);
	sc_csv_end_row(&c);
	sc_csv_field(&c, "port_listened_with_sin_port_1234_no_htons");
	sc_csv_i64(&c, real);
	sc_csv_field(&c, NULL);
	sc_csv_field(&c, NULL);
	sc_csv_field(&c, NULL);
	sc_csv_end_row(&c);
	sc_csv_field(&c, "client_connect_1234_errno");
	sc_csv_i64(&c, refused);
	sc_csv_field(&c, NULL);
	sc_csv_field(&c, NULL);
	sc_csv_field(&c, NULL);
	sc_csv_end_row(&c);
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	sc_verdict_figures(v, "c[] = %u %u %u %u in host order, %u %u %u %u after htonl; a server with sin_port = 1234 "
			   "(no htons) listens on %u, and a client connecting to 1234 gets %s", un.c[0], un.c[1], un.c[2],
			   un.c[3], net.c[0], net.c[1], net.c[2], net.c[3], real, pu_errname(refused));
	if (net.c[0] == 128 && net.c[3] == 95 && (un.c[0] == 95 || un.c[0] == 128))
		sc_verdict_set(v, "confirmed", "network order is big-endian: htonl puts 128 first; this %s-endian host "
			       "stores it as %u first, so a forgotten htons(1234) is port %u", un.c[0] == 95 ? "little" : "big",
			       un.c[0], real);
	else
		sc_verdict_set(v, "wrong", "htonl did not give the bytes in big-endian order");
	return 0;
}
