/* endpoint.h - socket addresses from text.
 *
 *   host:port        IPv4 address or name, resolved with getaddrinfo
 *   [v6addr]:port    IPv6 literal
 *   unix:/path       AF_UNIX path (at most 107 bytes)
 *   unix:@name       AF_UNIX abstract name (Linux)
 *
 * Port 0 asks the kernel to choose (for receivers). */
#ifndef SC_ENDPOINT_H
#define SC_ENDPOINT_H

#include <stddef.h>
#include <sys/socket.h>

struct sc_endpoint {
	struct sockaddr_storage addr;
	socklen_t len;
	int family; /* AF_INET, AF_INET6 or AF_UNIX */
};

/* Parses spec for sockets of type socktype (SOCK_STREAM, SOCK_DGRAM or
 * SOCK_SEQPACKET); passive != 0 for an address to bind. Returns 0, or
 * -EINVAL (malformed), -ENAMETOOLONG (unix path too long), -ENOENT (name
 * did not resolve). On error a one-line reason goes to err (if not NULL,
 * at most errlen bytes, always terminated). */
int sc_endpoint_parse(const char *spec, int socktype, int passive,
		      struct sc_endpoint *ep, char *err, size_t errlen);

/* Formats ep the way sc_endpoint_parse reads it ("127.0.0.1:5000",
 * "[::1]:5000", "unix:/tmp/x", "unix:@name"). Returns 0 or -ENOSPC. */
int sc_endpoint_format(const struct sc_endpoint *ep, char *buf, size_t len);

#endif
