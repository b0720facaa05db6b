/* schema.c - writing and reading CSV files through their column schema. */
#include "schema.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *col_name(const struct sc_column *c, const char *swept)
{
	return c->name ? c->name : swept;
}

void sc_schema_get(const struct sc_column *c, const void *rec, const void *ctx, struct sc_value *v)
{
	const char *p = (const char *)rec + c->off;

	memset(v, 0, sizeof(*v));
	if (c->get) {
		c->get(rec, ctx, v);
		return;
	}
	v->present = !c->has || *(const bool *)((const char *)rec + c->has - 1);
	switch (c->type) {
	case SC_COL_U64: memcpy(&v->u, p, sizeof(v->u)); break;
	case SC_COL_I64: memcpy(&v->i, p, sizeof(v->i)); break;
	case SC_COL_BOOL: v->u = *(const bool *)p; break;
	case SC_COL_STR: v->s = p; break;
	case SC_COL_F64: memcpy(&v->f, p, sizeof(v->f)); break;
	}
}

void sc_schema_set(const struct sc_column *c, void *rec, const char *text)
{
	char *p = (char *)rec + c->off;
	struct sc_value v = {.present = text && *text, .s = text ? text : ""};

	if (v.present) {
		switch (c->type) {
		case SC_COL_U64:
		case SC_COL_BOOL: v.u = strtoull(text, NULL, 10); break;
		case SC_COL_I64: v.i = strtoll(text, NULL, 10); break;
		case SC_COL_F64: v.f = strtod(text, NULL); break;
		case SC_COL_STR: break;
		}
	}
	if (c->get || c->set) {
		if (c->set)
			c->set(rec, &v);
		return;
	}
	if (c->has)
		*(bool *)((char *)rec + c->has - 1) = v.present;
	switch (c->type) {
	case SC_COL_U64: memcpy(p, &v.u, sizeof(v.u)); break;
	case SC_COL_I64: memcpy(p, &v.i, sizeof(v.i)); break;
	case SC_COL_BOOL: *(bool *)p = v.u != 0; break;
	case SC_COL_STR: snprintf(p, c->size, "%s", v.s); break;
	case SC_COL_F64: memcpy(p, &v.f, sizeof(v.f)); break;
	}
}

void sc_schema_write_header(struct sc_csv *csv, const struct sc_schema *s, const char *swept)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->cols[i].name || swept)
			sc_csv_field(csv, col_name(&s->cols[i], swept));
	sc_csv_end_row(csv);
}

void sc_schema_format(const struct sc_column *c, const void *rec, const void *ctx, char *buf,
		      size_t len)
{
	struct sc_value v;

	sc_schema_get(c, rec, ctx, &v);
	if (!v.present) {
		snprintf(buf, len, "%s", "");
		return;
	}
	switch (c->type) {
	case SC_COL_U64:
	case SC_COL_BOOL: snprintf(buf, len, "%" PRIu64, v.u); break;
	case SC_COL_I64: snprintf(buf, len, "%" PRId64, v.i); break;
	case SC_COL_STR: snprintf(buf, len, "%s", v.s ? v.s : ""); break;
	case SC_COL_F64: snprintf(buf, len, "%.*f", c->decimals, v.f); break;
	}
}

void sc_schema_write_row(struct sc_csv *csv, const struct sc_schema *s, const void *rec,
			 const void *ctx, const char *swept)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct sc_column *c = &s->cols[i];
		struct sc_value v;

		if (!c->name && !swept)
			continue;
		sc_schema_get(c, rec, ctx, &v);
		if (!v.present) {
			sc_csv_field(csv, "");
			continue;
		}
		switch (c->type) {
		case SC_COL_U64:
		case SC_COL_BOOL: sc_csv_u64(csv, v.u); break;
		case SC_COL_I64: sc_csv_i64(csv, v.i); break;
		case SC_COL_STR: sc_csv_field(csv, v.s); break;
		case SC_COL_F64: sc_csv_f64(csv, v.f, c->decimals); break;
		}
	}
	sc_csv_end_row(csv);
}

int sc_csv_split_all(char *record, char ***fields)
{
	size_t n = 1;
	bool quoted = false;
	char **f;
	int r;

	for (const char *p = record; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == ',' && !quoted)
			n++;
	}
	if (n > INT32_MAX)
		return -EINVAL;
	f = malloc(n * sizeof(*f));
	if (!f)
		return -ENOMEM;
	r = sc_csv_split(record, f, (int)n);
	if (r < 0) {
		free(f);
		return r == -E2BIG ? -EINVAL : r;
	}
	*fields = f;
	return r;
}

int sc_schema_map(struct sc_schema_map *m, const struct sc_schema *s, const char *swept, char *header)
{
	char **names = NULL;
	int n = sc_csv_split_all(header, &names);

	memset(m, 0, sizeof(*m));
	if (n < 0)
		return n;
	m->at = malloc((s->n ? s->n : 1) * sizeof(*m->at));
	if (!m->at) {
		free(names);
		return -ENOMEM;
	}
	m->s = s;
	m->nfields = n;
	for (size_t i = 0; i < s->n; i++) {
		const char *want = col_name(&s->cols[i], swept);

		m->at[i] = -1;
		for (int k = 0; want && k < n; k++)
			if (strcmp(names[k], want) == 0) {
				m->at[i] = k;
				break;
			}
	}
	free(names);
	return 0;
}

void sc_schema_map_free(struct sc_schema_map *m)
{
	free(m->at);
	memset(m, 0, sizeof(*m));
}

bool sc_schema_has(const struct sc_schema_map *m, const char *name)
{
	for (size_t i = 0; i < m->s->n; i++)
		if (m->s->cols[i].name && strcmp(m->s->cols[i].name, name) == 0)
			return m->at[i] >= 0;
	return false;
}

int sc_schema_parse(const struct sc_schema_map *m, char *record, void *rec)
{
	char **f = NULL;
	int n = sc_csv_split_all(record, &f);

	if (n < 0)
		return n;
	if (n != m->nfields) {
		free(f);
		return -EINVAL;
	}
	for (size_t i = 0; i < m->s->n; i++)
		if (m->at[i] >= 0)
			sc_schema_set(&m->s->cols[i], rec, f[m->at[i]]);
	free(f);
	return 0;
}

int sc_read_file(const char *path, char **out, size_t *len)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		goto fail;
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		errno = ENOMEM;
		goto fail;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	close(fd);
	*out = buf;
	if (len)
		*len = got;
	return 0;
fail:
	e = errno;
	free(buf);
	close(fd);
	return -e;
}

char *sc_next_record(char **p)
{
	char *s = *p, *q = s;
	int quoted = 0;

	if (!s || !*s)
		return NULL;
	for (; *q; q++) {
		if (*q == '"')
			quoted = !quoted;
		else if (!quoted && (*q == '\n' || *q == '\r'))
			break;
	}
	if (*q == '\r')
		*q++ = '\0';
	if (*q == '\n')
		*q++ = '\0';
	*p = q;
	return s;
}
