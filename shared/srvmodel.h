/* srvmodel.h - the lecture's server models that the `servers` mode
 * measures side by side (issue 9): their names, as experiment scripts and
 * rows spell them, and the transport each one serves over. Pure data; the
 * servers themselves are server-model/server_model.c and, for "lecture-fork",
 * the lecture's own program (examples/lecture/fork_server.c). */
#ifndef SC_SRVMODEL_H
#define SC_SRVMODEL_H

#include <stdbool.h>
#include <stddef.h>

#define SC_MAX_SERVERS 8
#define SC_SERVER_NAME_MAX 16
#define SC_MAX_CLIENTS 256u /* concurrent clients of one trial */
#define SC_LECTURE_BUF 80u  /* the lecture fork server's buffer: it reads up to 80 bytes and
			     * always writes 80 back */

struct sc_srv_model {
	const char *name;      /* "iterative", "fork", ... */
	const char *transport; /* "tcp" or "udp" */
	const char *what;      /* one line, for --help and the docs */
	bool lecture;          /* the lecture's own program, not server-model */
};

extern const struct sc_srv_model sc_srv_models[];
extern const size_t sc_nsrv_models;

/* The model called name, or NULL. */
const struct sc_srv_model *sc_srv_model_find(const char *name);

/* Writes the known names, space-separated, into buf (for messages). */
void sc_srv_model_names(char *buf, size_t len);

#endif
