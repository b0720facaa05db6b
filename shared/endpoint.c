/* endpoint.c - socket addresses from text, through getaddrinfo. */
#include "endpoint.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "num.h"

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int parse_unix(const char *spec, struct sc_endpoint *ep, char *err, size_t errlen)
{
	struct sockaddr_un un;
	const char *path = spec + 5;
	size_t n = strlen(path), max = sizeof(un.sun_path) - 1;
	int abstract = path[0] == '@';

	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	if (n == 0 || (abstract && n == 1))
		return fail(err, errlen, "'%s': an empty unix socket name", spec);
	if (n > max) {
		fail(err, errlen, "'%s': a unix socket path holds at most %zu bytes", spec, max);
		return -ENAMETOOLONG;
	}
	memcpy(un.sun_path, path, n);
	if (abstract)
		un.sun_path[0] = '\0'; /* Linux's abstract namespace */
	memset(ep, 0, sizeof(*ep));
	memcpy(&ep->addr, &un, sizeof(un));
	ep->family = AF_UNIX;
	ep->len = abstract ? (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n)
			   : (socklen_t)sizeof(un);
	return 0;
}

int sc_endpoint_parse(const char *spec, int socktype, int passive,
		      struct sc_endpoint *ep, char *err, size_t errlen)
{
	char host[256];
	const char *colon, *port;
	struct addrinfo hints, *res = NULL;
	uint64_t pv;
	size_t hlen;
	int r;

	if (strncmp(spec, "unix:", 5) == 0)
		return parse_unix(spec, ep, err, errlen);
	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');

		if (!close || close[1] != ':')
			return fail(err, errlen, "'%s': expected [v6addr]:port", spec);
		hlen = (size_t)(close - spec - 1);
		if (hlen == 0 || hlen >= sizeof(host))
			return fail(err, errlen, "'%s': expected [v6addr]:port", spec);
		memcpy(host, spec + 1, hlen);
		port = close + 2;
	} else {
		colon = strrchr(spec, ':');
		if (!colon)
			return fail(err, errlen, "'%s': expected host:port, [v6addr]:port, unix:/path or unix:@name",
				    spec);
		if (memchr(spec, ':', (size_t)(colon - spec)))
			return fail(err, errlen, "'%s': put an IPv6 address in brackets: [addr]:port", spec);
		hlen = (size_t)(colon - spec);
		if (hlen >= sizeof(host))
			return fail(err, errlen, "'%s': host name too long", spec);
		memcpy(host, spec, hlen);
		port = colon + 1;
	}
	host[hlen] = '\0';
	if (sc_str_u64(port, 0, 65535, &pv) < 0)
		return fail(err, errlen, "'%s': the port must be a number from 0 to 65535", spec);
	if (pv == 0 && !passive)
		return fail(err, errlen, "'%s': port 0 is only for receivers (the kernel picks one)", spec);

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = socktype;
	hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
	if (spec[0] == '[')
		hints.ai_family = AF_INET6;
	/* Literals are never looked up: a bracketed address or one made of
	 * digits and dots that is not a valid IPv4 address is an error, not
	 * a host name to ask a resolver about. */
	if (spec[0] == '[' || (hlen && strspn(host, "0123456789.") == hlen))
		hints.ai_flags |= AI_NUMERICHOST;
	r = getaddrinfo(hlen && strcmp(host, "*") ? host : NULL, port, &hints, &res);
	if (r != 0) {
		fail(err, errlen, "'%s': cannot resolve '%s': %s", spec, host, gai_strerror(r));
		return -ENOENT;
	}
	memset(ep, 0, sizeof(*ep));
	memcpy(&ep->addr, res->ai_addr, res->ai_addrlen);
	ep->len = res->ai_addrlen;
	ep->family = res->ai_family;
	freeaddrinfo(res);
	return 0;
}

int sc_endpoint_format(const struct sc_endpoint *ep, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	int n;

	if (ep->family == AF_UNIX) {
		const struct sockaddr_un *un = (const struct sockaddr_un *)&ep->addr;
		size_t plen = ep->len > offsetof(struct sockaddr_un, sun_path)
				      ? ep->len - offsetof(struct sockaddr_un, sun_path) : 0;

		if (un->sun_path[0] == '\0' && plen > 1)
			n = snprintf(buf, len, "unix:@%.*s", (int)(plen - 1), un->sun_path + 1);
		else
			n = snprintf(buf, len, "unix:%.*s", (int)sizeof(un->sun_path), un->sun_path);
	} else if (ep->family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ep->addr;

		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		n = snprintf(buf, len, "[%s]:%u", a, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)&ep->addr;

		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		n = snprintf(buf, len, "%s:%u", a, ntohs(s4->sin_port));
	}
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}
