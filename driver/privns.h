/* privns.h - a private, throw-away network namespace for the calling
 * process: its own loopback, its own ports, its own TIME_WAIT. It goes
 * away by itself when the last process in it exits, so nothing needs
 * deleting and nothing outside it can be touched.
 *
 * Used by `sockcmp __pair` (the lecture's programs bind port 1234 and
 * leave it in TIME_WAIT) and by the probes (driver/probe.h), each of which
 * runs in a process of its own. */
#ifndef SC_PRIVNS_H
#define SC_PRIVNS_H

#include <stddef.h>

/* Moves the calling process into a new network namespace and brings its
 * loopback up. Returns 0, or -errno with the failing step in err (EPERM:
 * not root and no user namespaces). */
int sc_privns_enter(char *err, size_t errlen);

#endif
