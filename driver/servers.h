/* servers.h - `sockcmp __servers`: one trial of the servers mode (issue 9).
 *
 *   sockcmp __servers --model M --clients N --for D --size S --per-conn K --out PREFIX
 *
 * In a private network namespace (privns.h; the current one if none can
 * be made, which the summary says), it starts the server of model M
 * through the process runner (spawn.h): bin/server-model for iterative,
 * fork, thread and udp, the lecture's own bin/lecture-fork-server for
 * lecture-fork. The server stays in this process's group, so the driver's
 * watchdog ends it, and every process it forks, with this one. Then N
 * client threads send S-byte requests for D, one at a time each, K per
 * connection (TCP), while a sampler thread reads the server's process tree
 * from /proc (proctree.h). Then the server is ended by its PID, whatever
 * it left behind is counted and ended by PID too (this process is their
 * subreaper), and PREFIX-summary.csv says what happened (summary.h). */
#ifndef SC_SERVERS_H
#define SC_SERVERS_H

#include <stdint.h>
#include <sys/types.h>

/* The subcommand's main (argv[0] is "__servers"). Returns the exit status:
 * 0, 1 (the trial failed; the summary says why if it could be written),
 * 2 (bad arguments). */
int sc_servers_main(int argc, char **argv);

/* What one line of a server's standard output says (pure): 1 with *pid and
 * *n for "served PID TID N" (server-model: N requests answered) or for the
 * lecture server's "Server PID received your message" (*n = 1); 2 with
 * *pid for the lecture's "network server PID: client socket ..."; 3 with
 * *port for "listening on HOST:PORT" or "Server has port number: PORT"; 0
 * for anything else. */
int sc_servers_line(const char *line, pid_t *pid, uint64_t *n, unsigned *port);

#endif
