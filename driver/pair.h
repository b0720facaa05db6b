/* pair.h - `sockcmp __pair`: one server and one client run against each
 * other in a private network namespace (privns.h), their output kept.
 *
 *   sockcmp __pair DIR PORT SERVER_ARGV... -- CLIENT_ARGV...
 *
 * PORT is the port the server listens on, or "print" for a server that
 * picks one and prints "port number: N" (the lecture's fork server). The
 * word PORT in the client's argv is replaced by the port. Writes DIR/
 * server.out, server.err, client.out, client.err and prints one line,
 * "SERVER_EXIT CLIENT_EXIT PORT" (-1 for a program that never ran), or
 * "skip REASON" when no private namespace can be made. Internal: used by
 * `sockcmp lecture` through the one process runner (spawn.h). */
#ifndef SC_PAIR_H
#define SC_PAIR_H

/* The subcommand's main (argv[0] is "__pair"). Returns the exit status. */
int sc_pair_main(int argc, char **argv);

/* True if a TCP socket listens on port in this network namespace
 * (/proc/net/tcp and tcp6). */
int sc_pair_listening(unsigned port);

#endif
