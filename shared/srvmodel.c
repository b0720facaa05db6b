/* srvmodel.c - the table of server models (see srvmodel.h). */
#include "srvmodel.h"

#include <stdio.h>
#include <string.h>

const struct sc_srv_model sc_srv_models[] = {
	{"iterative", "tcp", "one process serves one connection at a time, the next waits in the backlog",
	 false},
	{"fork", "tcp", "a child process per connection (fork after accept), reaped by the parent", false},
	{"lecture-fork", "tcp", "the lecture's own fork-per-client server, unchanged (never reaps its children)",
	 true},
	{"thread", "tcp", "a thread per connection (pthread_create after accept), detached", false},
	{"udp", "udp", "one UDP socket serving every client from one loop", false},
};

const size_t sc_nsrv_models = sizeof(sc_srv_models) / sizeof(sc_srv_models[0]);

const struct sc_srv_model *sc_srv_model_find(const char *name)
{
	for (size_t i = 0; i < sc_nsrv_models; i++)
		if (!strcmp(sc_srv_models[i].name, name))
			return &sc_srv_models[i];
	return NULL;
}

void sc_srv_model_names(char *buf, size_t len)
{
	size_t used = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < sc_nsrv_models; i++) {
		int c = snprintf(buf + used, len - used, "%s%s", i ? " " : "", sc_srv_models[i].name);

		if (c < 0 || (size_t)c >= len - used)
			return;
		used += (size_t)c;
	}
}
