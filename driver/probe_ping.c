/* probe_ping.c - "datagram sockets (UDP) ... (e.g. ping)": what socket
 * ping really opens. Linux offers ICMP echo on SOCK_DGRAM/IPPROTO_ICMP to
 * the groups in net.ipv4.ping_group_range, and SOCK_RAW to root (or
 * CAP_NET_RAW); either way the protocol is ICMP, never UDP. The probe runs
 * in its private namespace, so it may widen ping_group_range there. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe.h"
#include "probe_util.h"

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)(p[n - 1] << 8);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons((uint16_t)~s);
}

/* Sends an echo request to 127.0.0.1 on fd and waits for the reply.
 * Returns 1 if an echo reply came back, 0 if not, -errno. */
static int echo(int fd, bool raw)
{
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	uint8_t pkt[16] = {ICMP_ECHO, 0, 0, 0, 0x12, 0x34, 0, 1, 's', 'o', 'c', 'k', 'c', 'm', 'p', 0};
	uint8_t in[512];
	uint16_t c = csum(pkt, sizeof(pkt));

	memcpy(pkt + 2, &c, 2);
	if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	for (int tries = 0; tries < 4 && pu_readable(fd, 500) == 1; tries++) {
		ssize_t n = recv(fd, in, sizeof(in), 0);
		size_t off = 0;

		if (n < 0)
			return -errno;
		if (raw && n > 0)
			off = (size_t)(in[0] & 0x0f) * 4; /* a raw socket sees the IP header */
		if ((size_t)n > off && in[off] == ICMP_ECHOREPLY)
			return 1;
	}
	return 0;
}

static int proto_of(int fd)
{
	int p = -1;
	socklen_t l = sizeof(p);

	getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &p, &l);
	return p;
}

int sc_probe_ping(const struct sc_probe_env *env, struct sc_verdict *v)
{
	char range[64] = "?", widened[64] = "", dp[16] = "unknown", up[16] = "unknown";
	int dg_err, raw_err, dg_reply = -1, raw_reply = -1, dg_proto = -1, udp_proto, nobody, fd, r;
	bool ping_bin = access("/usr/bin/ping", X_OK) == 0 || access("/bin/ping", X_OK) == 0;
	struct sc_csv c;
	FILE *f;

	if (!env->privns) {
		sc_verdict_set(v, "not measured", "needs a private namespace (it changes ping_group_range there)");
		return -EPERM;
	}
	f = fopen("/proc/sys/net/ipv4/ping_group_range", "re");
	if (f) {
		if (!fgets(range, sizeof(range), f))
			snprintf(range, sizeof(range), "?");
		range[strcspn(range, "\n")] = '\0';
		fclose(f);
	}
	for (char *p = range; *p; p++)
		if (*p == '\t')
			*p = ' ';
	/* As configured: ICMP datagram sockets for the listed groups only. */
	nobody = pu_as_nobody(env->bin_dir, PU_ICMP_DGRAM, 0);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_ICMP);
	dg_err = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	/* Root's way: a raw ICMP socket. */
	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	raw_err = fd < 0 ? errno : 0;
	if (fd >= 0) {
		raw_reply = echo(fd, true);
		close(fd);
	}
	/* Widened, in this private namespace only: what an unprivileged ping
	 * uses on systems that allow it. */
	f = fopen("/proc/sys/net/ipv4/ping_group_range", "we");
	if (f) {
		fputs("0 2147483647\n", f);
		if (fclose(f) == 0)
			snprintf(widened, sizeof(widened), "0 2147483647");
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (fd >= 0) {
		dg_proto = proto_of(fd);
		dg_reply = echo(fd, false);
		close(fd);
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	udp_proto = fd < 0 ? -1 : proto_of(fd);
	if (fd >= 0)
		close(fd);
	if ((r = sc_probe_csv_open(env, "ping", &c, (const char *const[]){"measure", "value", NULL})) < 0)
		return r;
	sc_csv_field(&c, "ping_group_range"), sc_csv_field(&c, range), sc_csv_end_row(&c);
	sc_csv_field(&c, "icmp_dgram_socket_uid_65534"), sc_csv_field(&c, nobody == 0 ? "ok" : nobody == 1 ? "EACCES" : "error"), sc_csv_end_row(&c);
	sc_csv_field(&c, "icmp_dgram_socket_root"), sc_csv_field(&c, pu_errname(dg_err)), sc_csv_end_row(&c);
	sc_csv_field(&c, "icmp_raw_socket_root"), sc_csv_field(&c, pu_errname(raw_err)), sc_csv_end_row(&c);
	sc_csv_field(&c, "raw_echo_reply"), sc_csv_i64(&c, raw_reply), sc_csv_end_row(&c);
	sc_csv_field(&c, "widened_ping_group_range"), sc_csv_field(&c, widened), sc_csv_end_row(&c);
	/* -1: no socket, or its protocol unreadable; an empty cell, not a number. */
	sc_csv_field(&c, "icmp_dgram_protocol");
	if (dg_proto >= 0)
		sc_csv_i64(&c, dg_proto);
	else
		sc_csv_field(&c, NULL);
	sc_csv_end_row(&c);
	sc_csv_field(&c, "icmp_dgram_echo_reply"), sc_csv_i64(&c, dg_reply), sc_csv_end_row(&c);
	sc_csv_field(&c, "udp_socket_protocol");
	if (udp_proto >= 0)
		sc_csv_i64(&c, udp_proto);
	else
		sc_csv_field(&c, NULL);
	sc_csv_end_row(&c);
	sc_csv_field(&c, "ping_binary_installed"), sc_csv_i64(&c, ping_bin), sc_csv_end_row(&c);
	if ((r = sc_csv_commit(&c)) < 0)
		return r;
	/* No -1 in the figures: a protocol not read is "unknown". */
	if (dg_proto >= 0)
		snprintf(dp, sizeof(dp), "%d", dg_proto);
	if (udp_proto >= 0)
		snprintf(up, sizeof(up), "%d", udp_proto);
	sc_verdict_figures(v, "ping_group_range \"%s\": SOCK_DGRAM/IPPROTO_ICMP for uid 65534 %s, for root %s; SOCK_RAW "
			   "for root %s, echo reply %s; with the range widened (here only) SOCK_DGRAM/ICMP has protocol "
			   "%s (UDP's is %s), echo reply %s", range, nobody == 0 ? "ok" : nobody == 1 ? "EACCES" : "error",
			   pu_errname(dg_err), pu_errname(raw_err), raw_reply == 1 ? "yes" : "no", dp, up,
			   dg_reply == 1 ? "yes" : "no");
	if ((dg_reply == 1 && dg_proto == IPPROTO_ICMP) || raw_reply == 1)
		sc_verdict_set(v, "too simple", "datagram, but not UDP: ping sends ICMP echo requests, through a "
			       "SOCK_DGRAM/IPPROTO_ICMP socket where ping_group_range allows it, else a SOCK_RAW socket "
			       "that needs root or CAP_NET_RAW; no UDP port is involved");
	else
		sc_verdict_set(v, "not measured", "no ICMP echo could be sent here");
	return 0;
}
