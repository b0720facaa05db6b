/* endpoint.c - socket addresses from text, through getaddrinfo.
 *
 * Only a host name is ever looked up: anything that looks like an address
 * (a bracketed IPv6 literal, or digits and dots) goes to getaddrinfo with
 * AI_NUMERICHOST, so a typo in an address is reported as one instead of
 * becoming a DNS query. The unbracketed form is IPv4 (AF_INET): the
 * transport chosen for it is tcp or udp, and a name such as "localhost"
 * must not come back as ::1 on a host that lists that first. */
#include "endpoint.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "num.h"

#define SUN_PATH_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - 1) /* 107 on Linux */

/* Writes a message to err (if any) and returns r. The message quotes the
 * caller's text, so control characters in it become '?': a newline in a
 * spec must not break the message in two (found by fuzz_endpoint). */
__attribute__((format(printf, 4, 5))) static int fail(char *err, size_t errlen, int r,
						      const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return r;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	for (char *c = err; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return r;
}

/* Parses "unix:/path" or "unix:@name" (spec starts with "unix:"). Returns
 * 0, -EINVAL for an empty name or -ENAMETOOLONG past sun_path's 107 bytes
 * (an abstract name may use all of them: its leading NUL is the 108th). */
static int parse_unix(const char *spec, struct sc_endpoint *ep, char *err, size_t errlen)
{
	struct sockaddr_un un;
	const char *name = spec + 5;
	int abstract = name[0] == '@';
	size_t n;

	if (abstract)
		name++;
	n = strlen(name);
	if (n == 0)
		return fail(err, errlen, -EINVAL, "'%s': an empty unix socket %s", spec,
			    abstract ? "name" : "path");
	if (n > SUN_PATH_MAX)
		return fail(err, errlen, -ENAMETOOLONG, "'%s': a unix socket %s holds at most %zu bytes",
			    spec, abstract ? "name" : "path", SUN_PATH_MAX);
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	/* Abstract (Linux): sun_path[0] stays NUL and the length, not a
	 * terminator, says where the name ends. */
	memcpy(un.sun_path + abstract, name, n);
	memset(ep, 0, sizeof(*ep));
	memcpy(&ep->addr, &un, sizeof(un));
	ep->family = AF_UNIX;
	ep->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (size_t)abstract + n +
			      (size_t)!abstract);
	return 0;
}

/* True if h can only be meant as an IPv4 literal (digits and dots). */
static int ipv4ish(const char *h)
{
	return h[0] && strspn(h, "0123456789.") == strlen(h);
}

/* True if h is made of the characters host names use. */
static int hostname_chars(const char *h)
{
	return strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") ==
	       strlen(h);
}

/* Splits spec into host (capacity hostlen) and a pointer to the port, and
 * sets *v6 for the bracketed form. Returns 0 or -EINVAL with a message. */
static int split(const char *spec, char *host, size_t hostlen, const char **port, int *v6,
		 char *err, size_t errlen)
{
	const char *colon, *start = spec;
	size_t n;

	*v6 = spec[0] == '[';
	if (*v6) {
		colon = strchr(spec, ']');
		if (!colon || colon[1] != ':' || colon == spec + 1)
			return fail(err, errlen, -EINVAL, "'%s': expected [v6addr]:port", spec);
		start = spec + 1;
		n = (size_t)(colon - start);
		colon++;
	} else {
		colon = strrchr(spec, ':');
		if (!colon)
			return fail(err, errlen, -EINVAL,
				    "'%s': expected host:port, [v6addr]:port, unix:/path or unix:@name", spec);
		n = (size_t)(colon - spec);
		if (memchr(spec, ':', n))
			return fail(err, errlen, -EINVAL,
				    "'%s': an IPv6 address needs brackets: [addr]:port", spec);
	}
	if (n >= hostlen)
		return fail(err, errlen, -EINVAL, "'%s': host longer than %zu characters", spec,
			    hostlen - 1);
	memcpy(host, start, n);
	host[n] = '\0';
	*port = colon + 1;
	return 0;
}

/* Returns 0 or -EINVAL/-ENAMETOOLONG/-ENOENT as endpoint.h says. */
int sc_endpoint_parse(const char *spec, int socktype, int passive,
		      struct sc_endpoint *ep, char *err, size_t errlen)
{
	char host[256];
	const char *port = NULL, *node;
	struct addrinfo hints, *res = NULL;
	uint64_t pv;
	int v6 = 0, r;

	if (strncmp(spec, "unix:", 5) == 0)
		return parse_unix(spec, ep, err, errlen);
	r = split(spec, host, sizeof(host), &port, &v6, err, errlen);
	if (r < 0)
		return r;
	if (sc_str_u64(port, 0, 65535, &pv) < 0)
		return fail(err, errlen, -EINVAL, "'%s': the port must be a number from 0 to 65535", spec);
	if (pv == 0 && !passive)
		return fail(err, errlen, -EINVAL,
			    "'%s': port 0 is only for receivers (the kernel picks one)", spec);
	node = host;
	if (!v6 && (!host[0] || strcmp(host, "*") == 0)) {
		if (!passive)
			return fail(err, errlen, -EINVAL, "'%s': a sender needs a host, e.g. 127.0.0.1:%s",
				    spec, port);
		node = NULL; /* with AI_PASSIVE: any address */
	} else if (!v6 && !hostname_chars(host)) {
		return fail(err, errlen, -EINVAL, "'%s': '%s' is not a host name or IPv4 address", spec,
			    host);
	}

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = v6 ? AF_INET6 : AF_INET;
	hints.ai_socktype = socktype;
	hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
	if (v6 || (node && ipv4ish(host)))
		hints.ai_flags |= AI_NUMERICHOST;
	r = getaddrinfo(node, port, &hints, &res);
	if (r != 0 && (hints.ai_flags & AI_NUMERICHOST))
		return fail(err, errlen, -EINVAL, "'%s': '%s' is not an %s address", spec, host,
			    v6 ? "IPv6" : "IPv4");
	if (r != 0)
		return fail(err, errlen, -ENOENT, "'%s': cannot resolve '%s' to an IPv4 address: %s%s",
			    spec, host, gai_strerror(r), r == EAI_ADDRFAMILY ? " (IPv6: use [addr]:port)" : "");
	memset(ep, 0, sizeof(*ep));
	memcpy(&ep->addr, res->ai_addr, res->ai_addrlen);
	ep->len = res->ai_addrlen;
	ep->family = res->ai_family;
	freeaddrinfo(res);
	return 0;
}

/* Formats an AF_UNIX address, abstract if sun_path starts with NUL. */
static int format_unix(const struct sc_endpoint *ep, char *buf, size_t len)
{
	const struct sockaddr_un *un = (const struct sockaddr_un *)&ep->addr;
	size_t off = offsetof(struct sockaddr_un, sun_path);
	size_t plen = ep->len > off ? ep->len - off : 0;

	if (plen > sizeof(un->sun_path))
		plen = sizeof(un->sun_path);
	if (plen > 1 && un->sun_path[0] == '\0')
		return snprintf(buf, len, "unix:@%.*s", (int)(plen - 1), un->sun_path + 1);
	return snprintf(buf, len, "unix:%.*s", (int)plen, un->sun_path);
}

/* Returns 0, -ENOSPC if buf is too small, or -EINVAL for a family
 * sc_endpoint_parse never produces. */
int sc_endpoint_format(const struct sc_endpoint *ep, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	int n;

	if (ep->family == AF_UNIX) {
		n = format_unix(ep, buf, len);
	} else if (ep->family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ep->addr;

		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		if (s6->sin6_scope_id) /* a link-local address's interface, by number */
			n = snprintf(buf, len, "[%s%%%u]:%u", a, (unsigned)s6->sin6_scope_id,
				     ntohs(s6->sin6_port));
		else
			n = snprintf(buf, len, "[%s]:%u", a, ntohs(s6->sin6_port));
	} else if (ep->family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)&ep->addr;

		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		n = snprintf(buf, len, "%s:%u", a, ntohs(s4->sin_port));
	} else {
		return -EINVAL;
	}
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}
