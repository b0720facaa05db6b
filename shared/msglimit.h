/* msglimit.h - message-size limits that depend on the machine, found by a
 * quick probe before the first trial.
 *
 * UDP's limits are fixed by the protocols (script.c checks them when the
 * script is read). An AF_UNIX datagram or seqpacket message, though, must
 * fit in the sender's socket buffer (net.core.wmem_default, about 212,960
 * bytes of payload by default, different in a user-mode Linux guest), and
 * a larger one fails with EMSGSIZE. */
#ifndef SC_MSGLIMIT_H
#define SC_MSGLIMIT_H

#include <stdint.h>

#include "script.h"

/* Finds the largest message one send of transport t carries on this
 * kernel with SO_SNDBUF sndbuf (0 = the kernel's default), by sending
 * messages through a socketpair. *max is 0 for transports without a
 * per-message limit here (streams), t->max_msg for UDP. Returns 0 or
 * -errno (a socket call failed). */
int sc_msglimit_probe(const struct sc_transport *t, uint64_t sndbuf, uint64_t *max);

/* Checks every message size e's plan writes against the probed limit of
 * each of its transports. Returns 0, -EINVAL with "FILE:LINE: send size N
 * is above ..." in err, or -errno with "cannot probe ..." in err. */
int sc_msglimit_check(const struct sc_experiment *e, char *err, size_t errlen);

#endif
