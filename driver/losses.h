/* losses.h - where a run's losses happened, kept apart in every sentence
 * that reports them: the link (the data direction's qdisc, netem's drop
 * count, `link_dropped`) and the receiving host (datagrams its socket
 * buffer had no room for, SO_RXQ_OVFL, `rxq_drops`).
 *
 * A loss the host made is not a property of the link: on a busy machine a
 * receiver that falls behind drops datagrams itself, and a verdict that
 * blames the link for them is wrong. Everything here is a pure function of
 * rows (and of a load reading), so the unit tests feed it crafted rows. */
#ifndef SC_LOSSES_H
#define SC_LOSSES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rows.h"

/* Appends to buf (always NUL-terminated, never overrun) one row's losses:
 *   "udp lost 306 of 2000: the link dropped 90, the receiving host 222
 *    (its socket buffer was full)"
 *   "udp lost 1726 of 2000: the receiving host dropped 1726 (its socket
 *    buffer was full)"                                   (no link)
 *   "tcp lost 0 of 2000: the link dropped 77, TCP sent them again"
 * Link and host counts are packets, the sender's end markers included, so
 * their sum can exceed the loss by a few. Returns the new length of buf. */
size_t sc_losses_sentence(char *buf, size_t len, const struct sc_row *w);

/* What the receiving hosts of a set of rows dropped. */
struct sc_host_drops {
	uint64_t drops;          /* sum of rxq_drops over finished rows */
	size_t trials;           /* rows that dropped anything */
	size_t rows;             /* finished rows looked at */
	const struct sc_row *first; /* the first row that dropped, or NULL */
	bool link;               /* some row ran over an impaired link */
};
void sc_losses_host(const struct sc_rows *r, struct sc_host_drops *h);

/* The host's load around a run: 1-minute load averages read before and
 * after it, and the CPUs it had. known is false if /proc/loadavg could not
 * be read. */
struct sc_load {
	double before, after;
	long ncpu;
	bool known;
};

/* Reads the 1-minute load average into *load1. Returns 0 or -errno. */
int sc_load_read(double *load1);

/* True if the host had more runnable tasks than CPUs, on average over the
 * minute before either reading: a receiver then waits for a CPU. */
bool sc_load_busy(const struct sc_load *l);

/* Writes the warning for rows whose receiving host dropped datagrams (one
 * paragraph, no prefix), or "" if none did. Returns its length. */
size_t sc_losses_warning(char *buf, size_t len, const struct sc_rows *r);

/* Writes the note that latencies include the receiver's scheduling delay,
 * when the host was busy (l may be NULL) or dropped datagrams, or "".
 * Returns its length. */
size_t sc_losses_latency_note(char *buf, size_t len, const struct sc_rows *r, const struct sc_load *l);

#endif
