/* merge.h - the experiment's events and messages files: every trial's
 * per-side files copied in, prefixed with which trial they belong to, and
 * times rebased to the trial's first write. Both sides' files are read
 * through their schemas (shared/summary.h) and written through the merged
 * schemas below. */
#ifndef SC_MERGE_H
#define SC_MERGE_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "csv.h"
#include "rows.h"
#include "schema.h"
#include "summary.h"

/* Which trial the rows belong to: the writer's context of both schemas. */
struct sc_merge_ctx {
	const struct sc_experiment *e;
	const struct sc_row *w;
	int64_t latency_shift_ns; /* added to each latency (two hosts' clocks) */
};

extern const struct sc_schema sc_merged_events_schema;   /* NAME-events.csv */
extern const struct sc_schema sc_merged_messages_schema; /* NAME-messages.csv */

/* Writes schema's header, with the swept parameter's column if e sweeps. */
void sc_merge_header(struct sc_csv *out, const struct sc_schema *s, const struct sc_experiment *e);

/* The first receive calls' sizes, "512 512 ...", from event rows; and,
 * if all is not NULL, every size run-length coded: "512*4 488 2560". */
struct sc_read_sizes {
	char *buf;
	size_t len, used;
	unsigned shown;
	char *all;          /* may be NULL */
	size_t all_len, all_used, last_at;
	long long last;
	unsigned long long count;
	bool all_cut;
};

/* Adds one event's size if it is a data read (pure). After 12 sizes, adds
 * "..." once to buf; all takes every size, and only if it runs out of room
 * ends with " ..." (then it is not the whole list). */
void sc_read_sizes_add(struct sc_read_sizes *rs, const struct sc_event_row *ev);

/* Copies the side's events file at path into out, rebased to t0; feeds
 * sizes (may be NULL). Returns the rows copied, or -errno / -EINVAL. */
long sc_merge_events(struct sc_csv *out, const char *path, const struct sc_merge_ctx *x, uint64_t t0,
		     struct sc_read_sizes *sizes);

/* The same for a receiver's messages file. */
long sc_merge_messages(struct sc_csv *out, const char *path, const struct sc_merge_ctx *x, uint64_t t0);

/* NAME-intervals.csv (throughput mode): the receiver's interval reports,
 * t_ns from the trial's time zero, with msgs_per_s and gbit_per_s. */
extern const struct sc_schema sc_merged_intervals_schema;
long sc_merge_intervals(struct sc_csv *out, const char *path, const struct sc_merge_ctx *x, uint64_t t0);

#endif
