/* transport.c - the table of socket kinds sockcmp compares. */
#include "transport.h"

#include <string.h>
#include <sys/socket.h>

/* UDP's payload limit over IPv4 (65535 - 8 UDP - 20 IP) and IPv6 (no IP
 * header counted in the payload length). */
#define UDP4_MAX 65507u
#define UDP6_MAX 65527u

static const struct sc_transport transports[] = {
	{.name = "tcp", .family = AF_INET, .socktype = SOCK_STREAM, .bytestream = true,
	 .connected = true, .what = "TCP over IPv4: a reliable, ordered byte stream"},
	{.name = "tcp6", .family = AF_INET6, .socktype = SOCK_STREAM, .bytestream = true,
	 .connected = true, .what = "TCP over IPv6"},
	{.name = "udp", .family = AF_INET, .socktype = SOCK_DGRAM, .max_msg = UDP4_MAX,
	 .what = "UDP over IPv4: independent datagrams, no delivery guarantee"},
	{.name = "udp6", .family = AF_INET6, .socktype = SOCK_DGRAM, .max_msg = UDP6_MAX,
	 .what = "UDP over IPv6"},
	{.name = "unix-stream", .family = AF_UNIX, .socktype = SOCK_STREAM, .bytestream = true,
	 .connected = true, .what = "AF_UNIX SOCK_STREAM: a local byte stream"},
	{.name = "unix-dgram", .family = AF_UNIX, .socktype = SOCK_DGRAM,
	 .what = "AF_UNIX SOCK_DGRAM: local datagrams (reliable, ordered, flow-controlled)"},
	{.name = "unix-seqpacket", .family = AF_UNIX, .socktype = SOCK_SEQPACKET,
	 .connected = true, .what = "AF_UNIX SOCK_SEQPACKET: a connection that keeps message boundaries"},
};

const struct sc_transport *sc_transport_find(const char *name)
{
	for (size_t i = 0; i < sizeof(transports) / sizeof(transports[0]); i++)
		if (strcmp(transports[i].name, name) == 0)
			return &transports[i];
	return NULL;
}

size_t sc_transport_count(void)
{
	return sizeof(transports) / sizeof(transports[0]);
}

const struct sc_transport *sc_transport_at(size_t i)
{
	return i < sc_transport_count() ? &transports[i] : NULL;
}

bool sc_transport_is_ip(const struct sc_transport *t)
{
	return t->family == AF_INET || t->family == AF_INET6;
}
