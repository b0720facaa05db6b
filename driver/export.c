/* export.c - NAME.json from the rows' schema and the aggregates. */
#include "export.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "csv.h"
#include "schema.h"
#include "units.h"
#include "version.h"

const char *sc_export_key(const char *name, const char *unit, char *buf, size_t len)
{
	size_t n = strlen(name), u = unit ? strlen(unit) : 0;

	if (!u || !strcmp(name, unit) || (n > u && name[n - u - 1] == '_' && !strcmp(name + n - u, unit)))
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%s_%s", name, unit);
	return buf;
}

/* A double as the CSV writes it: printed to the column's decimals and read
 * back, so both files round alike. (round(v * 10) / 10 did not: 240.95 us,
 * which is 240.9499... in binary, prints as 240.9 but v * 10 rounds up to
 * 2409.5 and then to 241.) */
double sc_export_round(double v, int decimals)
{
	/* DBL_MAX has 309 digits before the point. */
	char buf[400];
	int n = snprintf(buf, sizeof(buf), "%.*f", decimals, v);

	return n > 0 && (size_t)n < sizeof(buf) ? strtod(buf, NULL) : v;
}

/* One row's receive sizes, all of them (NAME.csv's read_sizes stops
 * after twelve). */
struct sizes {
	int64_t *v;
	size_t n, cap;
};

static int sizes_add(struct sizes *z, int64_t v)
{
	if (z->n == z->cap) {
		size_t cap = z->cap ? 2 * z->cap : 16;
		int64_t *nv = realloc(z->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		z->v = nv;
		z->cap = cap;
	}
	z->v[z->n++] = v;
	return 0;
}

/* True if flag word f is among the '|'-separated flags. */
static bool has_flag(const char *flags, const char *f)
{
	size_t n = strlen(f);

	for (const char *p = flags; (p = strstr(p, f)); p += n)
		if ((p == flags || p[-1] == '|') && (p[n] == '\0' || p[n] == '|'))
			return true;
	return false;
}

/* The row of transport tn, trial and swept value v; hint is where the
 * last one was (events come trial by trial). Returns its index or -1. */
static long find_row(const struct sc_rows *r, const char *tn, unsigned long trial, const char *v, size_t *hint)
{
	for (size_t k = 0; k < r->n; k++) {
		size_t i = (*hint + k) % r->n;
		const struct sc_row *w = &r->v[i];

		if (w->trial == trial && !strcmp(w->transport, tn) && !strcmp(w->value, v)) {
			*hint = i;
			return (long)i;
		}
	}
	return -1;
}

/* Reads the next CSV record of f into *line (a quoted field may span
 * lines): the text without its line end, or NULL at the end of the file. */
static char *next_line(FILE *f, char **line, size_t *cap)
{
	size_t len = 0;
	bool quoted = false;

	for (;;) {
		char *part = NULL;
		size_t pcap = 0;
		ssize_t n = getline(&part, &pcap, f);

		if (n < 0) {
			free(part);
			return len ? *line : NULL;
		}
		if (len + (size_t)n + 1 > *cap) {
			char *nl = realloc(*line, len + (size_t)n + 1);

			if (!nl) {
				free(part);
				return NULL;
			}
			*line = nl;
			*cap = len + (size_t)n + 1;
		}
		memcpy(*line + len, part, (size_t)n + 1);
		free(part);
		for (ssize_t k = 0; k < n; k++)
			if ((*line)[len + (size_t)k] == '"')
				quoted = !quoted;
		len += (size_t)n;
		if (!quoted) {
			while (len && ((*line)[len - 1] == '\n' || (*line)[len - 1] == '\r'))
				(*line)[--len] = '\0';
			return *line;
		}
	}
}

/* Fills z[i] with row i's data reads from DIR/NAME-events.csv, as
 * sc_read_sizes_add picks them (returned > 0; not an end marker, foreign
 * or malformed). The file is read a record at a time: it holds up to the
 * record cap of events per program and trial (tens of MB at 10 million
 * messages), more than the driver's whole memory goal (issue 9 §3).
 * Returns 0, or -errno (then the JSON has no full list). */
static int read_sizes_all(const struct sc_experiment *e, const struct sc_rows *r, const char *dir,
			  struct sizes *z)
{
	enum { TR, TRIAL, SIDE, RET, FLAGS, VALUE, NCOL };
	const char *want[NCOL] = {"transport", "trial", "side", "returned", "flags", e->sweep.param};
	int at[NCOL] = {-1, -1, -1, -1, -1, -1}, nf;
	char path[4096], *line = NULL, *rec, *f[64];
	size_t hint = 0, cap = 0;
	int rc = 0;
	FILE *in;

	snprintf(path, sizeof(path), "%s/%s-events.csv", dir, e->name);
	in = fopen(path, "re");
	if (!in)
		return -errno;
	rec = next_line(in, &line, &cap);
	nf = rec ? sc_csv_split(rec, f, 64) : -EINVAL;
	for (int i = 0; i < nf; i++)
		for (int k = 0; k < NCOL; k++)
			if (want[k][0] && !strcmp(f[i], want[k]))
				at[k] = i;
	if (nf < 0 || at[TR] < 0 || at[TRIAL] < 0 || at[SIDE] < 0 || at[RET] < 0 || at[FLAGS] < 0 ||
	    (e->sweep.n && at[VALUE] < 0)) {
		free(line);
		fclose(in);
		return -EINVAL;
	}
	while (rc == 0 && (rec = next_line(in, &line, &cap))) {
		long i;
		long long ret;

		if (!rec[0] || sc_csv_split(rec, f, 64) != nf || strcmp(f[at[SIDE]], "recv"))
			continue;
		ret = strtoll(f[at[RET]], NULL, 10);
		if (ret <= 0 || has_flag(f[at[FLAGS]], "fin") || has_flag(f[at[FLAGS]], "foreign") ||
		    has_flag(f[at[FLAGS]], "malformed"))
			continue;
		i = find_row(r, f[at[TR]], strtoul(f[at[TRIAL]], NULL, 10), e->sweep.n ? f[at[VALUE]] : "", &hint);
		if (i >= 0)
			rc = sizes_add(&z[i], ret);
	}
	if (rc == 0 && ferror(in))
		rc = -EIO;
	free(line);
	fclose(in);
	return rc;
}

/* One row: every column of the schema, keyed by sc_export_key, then x
 * (the swept value in its unit) and read_sizes_bytes (every data read). */
static void row(struct sc_json *j, const struct sc_experiment *e, const struct sc_row *w,
		const struct sizes *z)
{
	const struct sc_schema *s = &sc_rows_schema;

	sc_json_obj(j, NULL);
	for (size_t i = 0; i < s->n; i++) {
		const struct sc_column *c = &s->cols[i];
		struct sc_value v;
		char key[96];

		if (!c->name && !e->sweep.n)
			continue;
		sc_export_key(c->name ? c->name : e->sweep.param, c->unit, key, sizeof(key));
		sc_schema_get(c, w, e, &v);
		if (!v.present) {
			sc_json_null(j, key);
			continue;
		}
		switch (c->type) {
		case SC_COL_U64: sc_json_u64(j, key, v.u); break;
		case SC_COL_BOOL: sc_json_bool(j, key, v.u != 0); break;
		case SC_COL_I64: sc_json_i64(j, key, v.i); break;
		case SC_COL_STR: sc_json_str(j, key, v.s); break;
		case SC_COL_F64: sc_json_f64(j, key, sc_export_round(v.f, c->decimals)); break;
		}
	}
	if (e->sweep.n) {
		double x;

		sc_sweep_numeric(e->sweep.param, w->value, &x);
		sc_json_f64(j, "x", x);
	}
	if (z) {
		sc_json_arr(j, "read_sizes_bytes");
		for (size_t i = 0; i < z->n; i++)
			sc_json_i64(j, NULL, z->v[i]);
		sc_json_end(j);
	}
	sc_json_end(j);
}

/* The columns: CSV name, JSON key and unit, so a program can map one
 * file onto the other. */
static void columns(struct sc_json *j, const struct sc_experiment *e)
{
	const struct sc_schema *s = &sc_rows_schema;

	sc_json_arr(j, "columns");
	for (size_t i = 0; i < s->n; i++) {
		const struct sc_column *c = &s->cols[i];
		const char *name = c->name ? c->name : e->sweep.param;
		char key[96];

		if (!c->name && !e->sweep.n)
			continue;
		sc_json_obj(j, NULL);
		sc_json_str(j, "csv", name);
		sc_json_str(j, "json", sc_export_key(name, c->unit, key, sizeof(key)));
		sc_json_str(j, "unit", c->unit);
		sc_json_end(j);
	}
	sc_json_end(j);
}

static void settings(struct sc_json *j, const struct sc_experiment *e)
{
	const struct sc_send_plan *s = &e->send;
	const struct sc_recv_plan *r = &e->recv;

	sc_json_obj(j, "settings");
	sc_json_arr(j, "transports");
	for (size_t i = 0; i < e->ntransports; i++)
		sc_json_str(j, NULL, e->transports[i]->name);
	sc_json_end(j);
	sc_json_u64(j, "repeat", e->repeat);
	sc_json_arr(j, "send");
	for (size_t i = 0; i < s->nops; i++) {
		sc_json_obj(j, NULL);
		if (s->ops[i].kind == SC_OP_WRITE) {
			sc_json_u64(j, "count_msgs", s->ops[i].count);
			sc_json_u64(j, "size_bytes", s->ops[i].size);
		} else {
			sc_json_u64(j, "pause_ns", s->ops[i].ns);
		}
		sc_json_end(j);
	}
	sc_json_end(j);
	sc_json_u64(j, "pace_ns", s->pace_ns);
	sc_json_str(j, "end", s->end == SC_END_SHUTDOWN ? "shutdown" : "close");
	sc_json_u64(j, "sndbuf_bytes", s->sndbuf);
	sc_json_obj(j, "recv");
	sc_json_u64(j, "read_bytes", r->size);
	sc_json_u64(j, "after_ns", r->after_ns);
	sc_json_u64(j, "every_ns", r->every_ns);
	sc_json_bool(j, "waitall", r->flags & SC_RECV_WAITALL);
	sc_json_bool(j, "trunc", r->flags & SC_RECV_TRUNC);
	sc_json_u64(j, "rcvbuf_bytes", r->rcvbuf);
	sc_json_end(j);
	if (e->sweep.n) {
		sc_json_obj(j, "sweep");
		sc_json_str(j, "param", e->sweep.param);
		sc_json_str(j, "unit", sc_sweep_unit(e->sweep.param));
		sc_json_arr(j, "values");
		for (size_t i = 0; i < e->sweep.n; i++)
			sc_json_str(j, NULL, e->sweep.values[i]);
		sc_json_end(j);
		sc_json_arr(j, "x");
		for (size_t i = 0; i < e->sweep.n; i++) {
			double x;

			sc_sweep_numeric(e->sweep.param, e->sweep.values[i], &x);
			sc_json_f64(j, NULL, x);
		}
		sc_json_end(j);
		sc_json_end(j);
	} else {
		sc_json_null(j, "sweep");
	}
	sc_json_str(j, "link", e->link);
	sc_json_str(j, "link_reverse", e->link_reverse);
	sc_json_u64(j, "timeout_ns", e->timeout_ns);
	sc_json_end(j);
}

int sc_export_json(const struct sc_experiment *e, const struct sc_rows *r, const char *dir, struct sc_json *j)
{
	struct sizes *z = dir && r->n ? calloc(r->n, sizeof(*z)) : NULL;
	int rc;

	if (z && read_sizes_all(e, r, dir, z) < 0) {
		for (size_t i = 0; i < r->n; i++)
			free(z[i].v);
		free(z);
		z = NULL;
	}

	sc_json_obj(j, NULL);
	sc_json_str(j, "sockcmp_version", sc_version());
	sc_json_str(j, "experiment", e->name);
	sc_json_str(j, "title", e->title);
	sc_json_str(j, "script", e->file);
	settings(j, e);
	columns(j, e);
	sc_json_arr(j, "rows");
	for (size_t i = 0; i < r->n; i++)
		row(j, e, &r->v[i], z ? &z[i] : NULL);
	sc_json_end(j);
	if (z) {
		for (size_t i = 0; i < r->n; i++)
			free(z[i].v);
		free(z);
	}
	rc = sc_aggregate_json(e, r, j);
	sc_json_end(j);
	if (rc < 0)
		return rc;
	return sc_json_done(j);
}

int sc_export_json_write(const struct sc_experiment *e, const struct sc_rows *r, const char *dir,
			 char **text)
{
	struct sc_json j;
	struct sc_csv f;
	char path[4096];
	int rc;

	if (text)
		*text = NULL;
	snprintf(path, sizeof(path), "%s/%s.json", dir, e->name);
	sc_json_init(&j, true);
	rc = sc_export_json(e, r, dir, &j);
	if (rc < 0)
		goto out;
	/* The CSV writer's temporary file and rename: whole or not at all. */
	rc = sc_csv_open(&f, path);
	if (rc < 0)
		goto out;
	if (fwrite(j.buf, 1, j.len, f.fp) != j.len) {
		sc_csv_abort(&f);
		rc = -EIO;
		goto out;
	}
	rc = sc_csv_commit(&f);
	if (rc == 0 && text) {
		*text = strdup(j.buf);
		if (!*text)
			rc = -ENOMEM;
	}
out:
	sc_json_free(&j);
	return rc;
}
