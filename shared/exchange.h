/* exchange.h - what a raw-mode program exchanged with a foreign peer: each
 * read and write of application bytes, its peer's address and the bytes
 * themselves (escaped), kept in memory and written as PREFIX-exchange.csv.
 *
 * In --raw mode there is no sockcmp header to say whose bytes a read
 * holds, so the source address of every read is the only way to tell the
 * user's client from a stranger on a shared loopback; and a conversation
 * with the lecture's programs is only understood by seeing its text. */
#ifndef SC_EXCHANGE_H
#define SC_EXCHANGE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define SC_EXCHANGE_TEXT 240 /* bytes of each read/write kept as text */
#define SC_EXCHANGE_ROWS 4096 /* rows a program keeps (the rest are counted) */

struct sc_exchange_row {
	uint64_t t_ns;     /* CLOCK_REALTIME */
	char dir;          /* 'i' read from the peer, 'o' written to it */
	uint32_t bytes;    /* the call's full byte count */
	char peer[64];     /* "127.0.0.1:40000", "unix:/path", "unix:(unnamed)" */
	uint16_t kept;     /* bytes of data[] valid (<= SC_EXCHANGE_TEXT) */
	uint8_t data[SC_EXCHANGE_TEXT];
};

struct sc_exchange {
	struct sc_exchange_row *v;
	size_t n, cap;
	uint64_t dropped; /* rows past cap, counted only */
};

/* Reserves room for cap rows. Returns 0 or -ENOMEM. */
int sc_exchange_init(struct sc_exchange *x, size_t cap);
void sc_exchange_free(struct sc_exchange *x);

/* Records one call that moved n bytes of buf with the peer at sa (NULL or
 * a zero length: unknown). Never allocates. */
void sc_exchange_add(struct sc_exchange *x, char dir, const void *buf, size_t n,
		     const struct sockaddr *sa, socklen_t salen);

/* Formats a socket address the way endpoint.h reads it; an unnamed
 * AF_UNIX peer is "unix:(unnamed)". Pure. */
void sc_exchange_peer(const struct sockaddr *sa, socklen_t salen, char *buf, size_t len);

/* Escapes n bytes as C-like text: printable ASCII as is, \n \r \t \0 \\
 * and \xNN for the rest. Pure; always terminates buf (truncating). */
void sc_exchange_escape(const uint8_t *p, size_t n, char *buf, size_t len);

/* Writes PREFIX-exchange.csv: dir,t_ns,peer,bytes,data. Returns 0 or
 * -errno with "file: reason" in err. */
int sc_exchange_write(const struct sc_exchange *x, const char *prefix, char *err, size_t errlen);

#endif
