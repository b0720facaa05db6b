/* losses.c - link drops and host drops, apart (see losses.h). */
#include "losses.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "transport.h"

/* Appends a formatted piece to buf at *used; stops quietly when full. */
__attribute__((format(printf, 4, 5))) static void add(char *buf, size_t len, size_t *used,
						       const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *used, len - *used, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*used = (size_t)n < len - *used ? *used + (size_t)n : len - 1;
}

static bool is_stream(const struct sc_row *w)
{
	const struct sc_transport *t = sc_transport_find(w->transport);

	return t && t->bytestream;
}

size_t sc_losses_sentence(char *buf, size_t len, const struct sc_row *w)
{
	size_t used = strnlen(buf, len);
	unsigned long long lost = w->lost, sent = w->sent_msgs, link = w->link_dropped,
			   host = w->rxq_drops;

	if (!len)
		return 0;
	add(buf, len, &used, "%s lost %llu of %llu", w->transport, lost, sent);
	if (is_stream(w)) {
		/* A stream socket has no message drops of its own: what the
		 * link dropped, TCP sent again. */
		if (w->has_link_stats && link)
			add(buf, len, &used, ": the link dropped %llu, TCP sent them again", link);
		return used;
	}
	if (w->has_link_stats)
		add(buf, len, &used, ": the link dropped %llu, the receiving host %s", link,
		    host ? "" : "none");
	else if (host)
		add(buf, len, &used, ": the receiving host dropped ");
	if (host)
		add(buf, len, &used, "%llu (its socket buffer was full)", host);
	return used;
}

void sc_losses_host(const struct sc_rows *r, struct sc_host_drops *h)
{
	memset(h, 0, sizeof(*h));
	for (size_t i = 0; i < r->n; i++) {
		const struct sc_row *w = &r->v[i];

		if (w->status)
			continue;
		h->rows++;
		h->link |= w->link[0] != '\0';
		if (!w->rxq_drops)
			continue;
		h->drops += w->rxq_drops;
		h->trials++;
		if (!h->first)
			h->first = w;
	}
}

int sc_load_read(double *load1)
{
	FILE *f = fopen("/proc/loadavg", "re");
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, "%lf", load1) == 1;
	fclose(f);
	return ok ? 0 : -EINVAL;
}

bool sc_load_busy(const struct sc_load *l)
{
	return l && l->known && l->ncpu > 0 && (l->before > (double)l->ncpu || l->after > (double)l->ncpu);
}

size_t sc_losses_warning(char *buf, size_t len, const struct sc_rows *r)
{
	struct sc_host_drops h;
	size_t used = 0;

	if (!len)
		return 0;
	buf[0] = '\0';
	sc_losses_host(r, &h);
	if (!h.drops)
		return 0;
	add(buf, len, &used,
	    "the receiving host dropped %llu datagram%s in its own socket buffer (SO_RXQ_OVFL) in "
	    "%zu of %zu trials (first: %s trial %u%s%s): those losses are the host's, not the link's",
	    (unsigned long long)h.drops, h.drops == 1 ? "" : "s", h.trials, h.rows, h.first->transport,
	    h.first->trial, h.first->value[0] ? " at " : "", h.first->value);
	if (h.link)
		add(buf, len, &used, ". The receiver did not keep up with the link (a busy host?): give "
				     "it a bigger buffer (`recv SIZE rcvbuf 4m`) or run it on a quieter machine");
	else
		add(buf, len, &used, ". On loopback they are all of its losses");
	return used;
}

size_t sc_losses_latency_note(char *buf, size_t len, const struct sc_rows *r, const struct sc_load *l)
{
	struct sc_host_drops h;
	bool busy = sc_load_busy(l);
	size_t used = 0;

	if (!len)
		return 0;
	buf[0] = '\0';
	sc_losses_host(r, &h);
	if (!busy && !h.drops)
		return 0;
	add(buf, len, &used, "latencies (the lat_* columns and latency charts) include scheduling "
			     "delay, the sender's and, for streams (which end at the read; datagrams end "
			     "at the kernel's arrival stamp), the receiver's wait for a CPU:");
	if (busy)
		add(buf, len, &used, " the host was busy (load average %.1f before, %.1f after, on %ld CPU%s)",
		    l->before, l->after, l->ncpu, l->ncpu == 1 ? "" : "s");
	if (h.drops)
		add(buf, len, &used, "%s the receiver fell so far behind that its buffer overflowed",
		    busy ? ", and" : "");
	add(buf, len, &used, "; on a quiet machine they are shorter");
	return used;
}
