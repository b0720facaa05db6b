/* prog.h - the main() of the four paired programs: options, signals, the
 * socket, the run, the CSV, the summary line, the exit status. Only the
 * run itself differs between stream and datagram programs. */
#ifndef SC_PROG_H
#define SC_PROG_H

#include <signal.h>

#include "opts.h"
#include "side.h"

/* A receive loop: fd is the bound (and, if connected, listening) socket.
 * Returns 0 or -errno, with a one-line reason in s->error on failure. */
typedef int (*sc_recv_fn)(const struct sc_recv_opts *o, int fd, struct sc_side *s,
			  const volatile sig_atomic_t *stop);
/* A send loop; same conventions. */
typedef int (*sc_send_fn)(const struct sc_send_opts *o, struct sc_side *s,
			  const volatile sig_atomic_t *stop);

int sc_recv_main(int argc, char **argv, enum sc_kind kind, sc_recv_fn run);
int sc_send_main(int argc, char **argv, enum sc_kind kind, sc_send_fn run);

#endif
