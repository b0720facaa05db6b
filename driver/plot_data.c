/* plot_data.c - reading the per-message CSV for the latency chart.
 *
 * The arrays grow as rows come, whatever the file's size or row length:
 * an earlier version guessed the row count from the file size (len/16)
 * and overflowed its buffer on a file of shorter rows. */
#include "plot_data.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "schema.h"

#define MAX_COLS 64
#define MAX_ROW_COLS 512

enum { C_TRANSPORT, C_TRIAL, C_LATENCY, C_KIND, C_PARAM, NCOLS };

/* Returns the index of name among the n header fields, or -1. */
static int find(char **head, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(head[i], name) == 0)
			return i;
	return -1;
}

/* Parses a whole decimal int64. Returns 0 or -EINVAL. */
static int parse_i64(const char *s, int64_t *v)
{
	char *end;
	long long x;

	if (!*s)
		return -EINVAL;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*v = x;
	return 0;
}

/* Appends v to lat[t], growing it. Returns 0 or -ENOMEM. */
static int push(int64_t **lat, size_t *n, size_t *cap, size_t t, int64_t v)
{
	if (n[t] == cap[t]) {
		size_t c = cap[t] ? cap[t] * 2 : 256;
		int64_t *p = realloc(lat[t], c * sizeof(*p));

		if (!p)
			return -ENOMEM;
		lat[t] = p;
		cap[t] = c;
	}
	lat[t][n[t]++] = v;
	return 0;
}

int sc_plot_latencies(char *text, const char *const *transports, size_t nt, const char *param,
		      const char *value, int64_t **lat, size_t *n)
{
	char *p = text, *rec, *f[MAX_COLS];
	size_t *cap = calloc(nt ? nt : 1, sizeof(*cap));
	int col[NCOLS], nh, r = 0;

	for (size_t t = 0; t < nt; t++) {
		lat[t] = NULL;
		n[t] = 0;
	}
	if (!cap)
		return -ENOMEM;
	rec = sc_next_record(&p);
	nh = rec ? sc_csv_split(rec, f, MAX_COLS) : -EINVAL;
	if (nh <= 0) {
		free(cap);
		return -EINVAL;
	}
	col[C_TRANSPORT] = find(f, nh, "transport");
	col[C_TRIAL] = find(f, nh, "trial");
	col[C_LATENCY] = find(f, nh, "latency_ns");
	col[C_KIND] = find(f, nh, "kind");
	col[C_PARAM] = param ? find(f, nh, param) : 0;
	for (int i = 0; i < NCOLS; i++)
		if (col[i] < 0) {
			free(cap);
			return -EINVAL;
		}
	while (r == 0 && (rec = sc_next_record(&p))) {
		int k = sc_csv_split(rec, f, MAX_COLS);
		int64_t v;

		/* A short or malformed row is skipped, not read past. */
		if (k != nh || strcmp(f[col[C_TRIAL]], "1") != 0 ||
		    (param && strcmp(f[col[C_PARAM]], value ? value : "") != 0) ||
		    (strcmp(f[col[C_KIND]], "new") != 0 && strcmp(f[col[C_KIND]], "reordered") != 0) ||
		    parse_i64(f[col[C_LATENCY]], &v) < 0)
			continue;
		for (size_t t = 0; t < nt; t++)
			if (strcmp(f[col[C_TRANSPORT]], transports[t]) == 0) {
				r = push(lat, n, cap, t, v);
				break;
			}
	}
	free(cap);
	if (r < 0)
		for (size_t t = 0; t < nt; t++) {
			free(lat[t]);
			lat[t] = NULL;
			n[t] = 0;
		}
	return r;
}

int sc_plot_transports_present(char *text, const char *const *transports, size_t nt, bool *present)
{
	/* A results row has about 80 columns, and gains more. */
	char *p = text, *rec = sc_next_record(&p), *f[MAX_ROW_COLS];
	int nh = rec ? sc_csv_split(rec, f, MAX_ROW_COLS) : -EINVAL, col, count = 0;

	for (size_t t = 0; t < nt; t++)
		present[t] = false;
	if (nh <= 0 || (col = find(f, nh, "transport")) < 0)
		return -EINVAL;
	while ((rec = sc_next_record(&p))) {
		if (sc_csv_split(rec, f, MAX_ROW_COLS) != nh)
			continue;
		for (size_t t = 0; t < nt; t++)
			if (!present[t] && strcmp(f[col], transports[t]) == 0) {
				present[t] = true;
				count++;
			}
	}
	return count;
}

size_t sc_plot_thin(size_t n, size_t max, size_t *idx)
{
	if (n <= max) {
		for (size_t i = 0; i < n; i++)
			idx[i] = i;
		return n;
	}
	/* j (n - 1) / (max - 1) for j = 0 .. max - 1: from 0 to n - 1, and
	 * strictly increasing since n > max. In long double: n (max - 1)
	 * may not fit 64 bits. */
	for (size_t j = 0; j < max; j++)
		idx[j] = (size_t)((long double)j * (long double)(n - 1) / (long double)(max - 1));
	idx[max - 1] = n - 1;
	return max;
}
