/* fuzz_servers.c - the servers mode's two readers on arbitrary text: a
 * /proc/PID/stat line (sc_proc_parse_stat) and a measured server's output
 * line (sc_servers_line, which reads the lecture's program too). Whatever
 * parses must give values in their stated ranges. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proctree.h"
#include "servers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct sc_proc p[2];
	struct sc_tree_use u;
	pid_t pid, members[2];
	uint64_t n;
	unsigned port;
	int k;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (sc_proc_parse_stat(text, &p[0]) == 0) {
		if (p[0].pid <= 0 || p[0].ppid < 0)
			abort();
		/* as a tree of itself and a child */
		p[1] = (struct sc_proc){.pid = p[0].pid + 1, .ppid = p[0].pid, .state = 'Z', .threads = 1};
		if (sc_proc_tree(p, 2, p[0].pid, &u, members, 2) != 2 || u.procs != 2 || u.zombies != 1 + (p[0].state == 'Z'))
			abort();
	}
	k = sc_servers_line(text, &pid, &n, &port);
	if (k < 0 || k > 3 || ((k == 1 || k == 2) && pid <= 0) || (k == 3 && (port < 1 || port > 65535)) ||
	    (k != 3 && port))
		abort();
	free(text);
	return 0;
}
