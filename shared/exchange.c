/* exchange.c - the raw-mode conversation log (see exchange.h). */
#include "exchange.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "clock.h"
#include "csv.h"

int sc_exchange_init(struct sc_exchange *x, size_t cap)
{
	memset(x, 0, sizeof(*x));
	x->v = calloc(cap ? cap : 1, sizeof(*x->v));
	if (!x->v)
		return -ENOMEM;
	x->cap = cap;
	return 0;
}

void sc_exchange_free(struct sc_exchange *x)
{
	free(x->v);
	x->v = NULL;
	x->n = x->cap = 0;
}

void sc_exchange_peer(const struct sockaddr *sa, socklen_t salen, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (!sa || salen < sizeof(sa_family_t)) {
		snprintf(buf, len, "unknown");
		return;
	}
	switch (sa->sa_family) {
	case AF_INET: {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &in->sin_addr, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, ntohs(in->sin_port));
		break;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, ntohs(in6->sin6_port));
		break;
	}
	case AF_UNIX: {
		const struct sockaddr_un *un = (const struct sockaddr_un *)sa;
		size_t pl = salen - offsetof(struct sockaddr_un, sun_path);

		if (salen <= offsetof(struct sockaddr_un, sun_path) || pl == 0)
			snprintf(buf, len, "unix:(unnamed)");
		else if (un->sun_path[0] == '\0')
			snprintf(buf, len, "unix:@%.*s", (int)(pl - 1), un->sun_path + 1);
		else
			snprintf(buf, len, "unix:%.*s", (int)strnlen(un->sun_path, pl), un->sun_path);
		break;
	}
	default: snprintf(buf, len, "family-%d", sa->sa_family);
	}
}

void sc_exchange_escape(const uint8_t *p, size_t n, char *buf, size_t len)
{
	size_t used = 0;

	if (!len)
		return;
	for (size_t i = 0; i < n; i++) {
		char e[8];
		size_t el;

		switch (p[i]) {
		case '\n': memcpy(e, "\\n", 3); break;
		case '\r': memcpy(e, "\\r", 3); break;
		case '\t': memcpy(e, "\\t", 3); break;
		case '\0': memcpy(e, "\\0", 3); break;
		case '\\': memcpy(e, "\\\\", 3); break;
		default:
			if (p[i] >= 0x20 && p[i] < 0x7f)
				snprintf(e, sizeof(e), "%c", p[i]);
			else
				snprintf(e, sizeof(e), "\\x%02x", p[i]);
		}
		el = strlen(e);
		if (used + el >= len)
			break;
		memcpy(buf + used, e, el);
		used += el;
	}
	buf[used] = '\0';
}

void sc_exchange_add(struct sc_exchange *x, char dir, const void *buf, size_t n,
		     const struct sockaddr *sa, socklen_t salen)
{
	struct sc_exchange_row *w;

	if (!x || !x->v)
		return;
	if (x->n >= x->cap) {
		x->dropped++;
		return;
	}
	w = &x->v[x->n++];
	w->t_ns = sc_real_ns();
	w->dir = dir;
	w->bytes = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	w->kept = (uint16_t)(n < SC_EXCHANGE_TEXT ? n : SC_EXCHANGE_TEXT);
	if (w->kept)
		memcpy(w->data, buf, w->kept);
	sc_exchange_peer(sa, salen, w->peer, sizeof(w->peer));
}

int sc_exchange_write(const struct sc_exchange *x, const char *prefix, char *err, size_t errlen)
{
	static const char *const cols[] = {"dir", "t_ns", "peer", "bytes", "data"};
	struct sc_csv c;
	char path[4096], text[SC_EXCHANGE_TEXT * 4 + 1];
	int r;

	snprintf(path, sizeof(path), "%s-exchange.csv", prefix);
	r = sc_csv_open(&c, path);
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-r));
		return r;
	}
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		sc_csv_field(&c, cols[i]);
	sc_csv_end_row(&c);
	for (size_t i = 0; i < x->n; i++) {
		const struct sc_exchange_row *w = &x->v[i];

		sc_csv_field(&c, w->dir == 'o' ? "out" : "in");
		sc_csv_u64(&c, w->t_ns);
		sc_csv_field(&c, w->peer);
		sc_csv_u64(&c, w->bytes);
		sc_exchange_escape(w->data, w->kept, text, sizeof(text));
		sc_csv_field(&c, text);
		sc_csv_end_row(&c);
	}
	r = sc_csv_commit(&c);
	if (r < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(-r));
	return r;
}
