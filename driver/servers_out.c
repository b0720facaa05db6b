/* servers_out.c - what a measured server's output lines say (see
 * servers.h): pure, apart so the tests and the fuzz target reach it alone. */
#include "servers.h"

#include <string.h>

#include "num.h"

/* Digits at *p up to the first non-digit, as a number from 1 to max.
 * Returns 0 (p advanced) or -1. */
static int pid_digits(const char **p, uint64_t max, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	while (*s >= '0' && *s <= '9' && v <= max)
		v = v * 10 + (uint64_t)(*s++ - '0');
	if (s == *p || v < 1 || v > max)
		return -1;
	*out = v;
	*p = s;
	return 0;
}

int sc_servers_line(const char *line, pid_t *pid, uint64_t *n, unsigned *port)
{
	const char *p;
	uint64_t a, b, c;

	*pid = 0, *n = 0, *port = 0;
	if (!strncmp(line, "served ", 7)) {
		p = line + 7;
		if (sc_parse_u64(&p, 1, INT32_MAX, &a) < 0 || *p++ != ' ' || sc_parse_u64(&p, 1, INT32_MAX, &b) < 0 ||
		    *p++ != ' ' || sc_parse_u64(&p, 0, UINT64_MAX, &c) < 0 || *p)
			return 0;
		*pid = (pid_t)a, *n = c;
		return 1;
	}
	if (!strncmp(line, "Server ", 7) && (p = line + 7) && sc_parse_u64(&p, 1, INT32_MAX, &a) == 0 &&
	    !strcmp(p, " received your message")) {
		*pid = (pid_t)a, *n = 1;
		return 1;
	}
	if ((p = strstr(line, "network server ")) && (p += 15) && pid_digits(&p, INT32_MAX, &a) == 0 && *p == ':') {
		*pid = (pid_t)a;
		return 2;
	}
	p = !strncmp(line, "listening on ", 13) ? strrchr(line, ':')
	    : !strncmp(line, "Server has port number: ", 24) ? line + 23 : NULL;
	if (p && (*p == ':' || *p == ' ')) {
		p++;
		if (sc_parse_u64(&p, 1, 65535, &a) == 0 && !*p) {
			*port = (unsigned)a;
			return 3;
		}
	}
	return 0;
}
