/* transport.h - the socket kinds sockcmp compares, by name. */
#ifndef SC_TRANSPORT_H
#define SC_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

struct sc_transport {
	const char *name;     /* "tcp", "udp", "unix-stream", ... */
	int family;           /* AF_INET, AF_INET6 or AF_UNIX */
	int socktype;         /* SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET */
	bool bytestream;      /* true: a byte stream, message boundaries lost */
	bool connected;       /* true: listen/accept/connect */
	unsigned max_msg;     /* largest message one send can carry, 0 = no limit */
	const char *what;     /* one line for --help and the summary sheet */
};

/* Looks a transport up by name ("tcp6" and "udp6" are the IPv6 forms).
 * Returns NULL if there is none of that name. */
const struct sc_transport *sc_transport_find(const char *name);

/* The table, for listing: i in [0, sc_transport_count()). */
size_t sc_transport_count(void);
const struct sc_transport *sc_transport_at(size_t i);

/* True for tcp/tcp6/udp/udp6, the ones a network link can impair. */
bool sc_transport_is_ip(const struct sc_transport *t);

#endif
