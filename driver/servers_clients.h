/* servers_clients.h - the servers mode's clients: N threads, each sending
 * fixed-size requests one at a time to a server on 127.0.0.1 and timing
 * every round trip into a histogram (hist.h). Threads, not processes: a
 * client's cost is then a thread's, the same for every server model. */
#ifndef SC_SERVERS_CLIENTS_H
#define SC_SERVERS_CLIENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hist.h"

struct sc_clients_plan {
	uint16_t port;     /* the server's, on 127.0.0.1 */
	bool udp;          /* one datagram per request; else a TCP connection per per_conn requests */
	unsigned clients;  /* threads, all started before any sends */
	uint64_t for_ns;   /* how long they send, from the moment all are ready */
	size_t size;       /* bytes per request (the first 8 carry a sequence number) */
	size_t reply;      /* bytes per reply: size for an echo, 80 for the lecture's server */
	uint64_t per_conn; /* TCP: requests per connection before it is closed and made anew */
	bool lecture;      /* a reply is the lecture server's text, not an echo */
};

struct sc_clients_result {
	uint64_t sent, answered, bad, conns;
	uint64_t served_clients;    /* clients with at least one answer */
	uint64_t first_ns, last_ns; /* CLOCK_REALTIME: all clients released, all finished */
	int err;                    /* the first errno a client met (refused, reset...), 0 if none */
	struct sc_hist *hist;       /* every answered request's round-trip time (ns) */
};

/* Runs the plan. Returns 0 (res filled; free with sc_clients_free) or
 * -errno if the threads could not be started. */
int sc_clients_run(const struct sc_clients_plan *p, struct sc_clients_result *res);

void sc_clients_free(struct sc_clients_result *res);

/* True if reply (len bytes) is the right answer to request req (pure):
 * the request itself for an echo; for the lecture's server, its fixed
 * text "\nI am server and this is my message\n" padded with zeros to 80. */
bool sc_clients_reply_ok(const struct sc_clients_plan *p, const char *req, const char *reply, size_t len);

#endif
