/* rows.c - experiment rows, the per-run CSV, and reading side summaries. */
#include "rows.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"

struct sc_row *sc_rows_add(struct sc_rows *r)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct sc_row *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		r->v = v;
		r->cap = cap;
	}
	memset(&r->v[r->n], 0, sizeof(r->v[0]));
	return &r->v[r->n++];
}

void sc_rows_free(struct sc_rows *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* The column contract (README.md): the first 15 never change meaning or
 * name; later columns may be added, never renamed. The swept parameter's
 * column, named after it, comes right after "trial". */
static const char *const cols_head[] = {"experiment", "transport", "trial"};
static const char *const cols_tail[] = {
	"sent_msgs", "sent_bytes", "recv_calls", "recv_bytes", "recv_msgs", "lost",
	"duplicated", "reordered", "corrupted", "truncated", "boundaries_kept",
	"point", "send_calls", "unique_msgs", "max_reorder_extent", "foreign", "malformed",
	"read_sizes", "lat_p50_us", "lat_p90_us", "lat_p99_us", "lat_max_us", "duration_ms",
	"tcp_retrans", "rxq_drops", "kernel", "link", "status", "error", "link_sent",
	"link_dropped", "link_duplicated", "kernel_why"};

int sc_rows_write(const struct sc_experiment *e, const struct sc_rows *r, const char *path)
{
	struct sc_csv c;
	int rc = sc_csv_open(&c, path);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < 3; i++)
		sc_csv_field(&c, cols_head[i]);
	if (e->sweep.n)
		sc_csv_field(&c, e->sweep.param);
	for (size_t i = 0; i < sizeof(cols_tail) / sizeof(cols_tail[0]); i++)
		sc_csv_field(&c, cols_tail[i]);
	sc_csv_end_row(&c);
	for (size_t i = 0; i < r->n; i++) {
		const struct sc_row *w = &r->v[i];
		uint64_t dur = w->last_recv_ns > w->first_send_ns ? w->last_recv_ns - w->first_send_ns : 0;

		sc_csv_field(&c, e->name);
		sc_csv_field(&c, w->transport);
		sc_csv_u64(&c, w->trial);
		if (e->sweep.n)
			sc_csv_field(&c, w->value);
		sc_csv_u64(&c, w->sent_msgs);
		sc_csv_u64(&c, w->sent_bytes);
		sc_csv_u64(&c, w->recv_calls);
		sc_csv_u64(&c, w->recv_bytes);
		sc_csv_u64(&c, w->recv_msgs);
		sc_csv_u64(&c, w->lost);
		sc_csv_u64(&c, w->duplicated);
		sc_csv_u64(&c, w->reordered);
		sc_csv_u64(&c, w->corrupted);
		sc_csv_u64(&c, w->truncated);
		sc_csv_u64(&c, w->boundaries_kept);
		sc_csv_u64(&c, w->point + 1);
		sc_csv_u64(&c, w->send_calls);
		sc_csv_u64(&c, w->unique_msgs);
		sc_csv_u64(&c, w->max_extent);
		sc_csv_u64(&c, w->foreign);
		sc_csv_u64(&c, w->malformed);
		sc_csv_field(&c, w->read_sizes);
		sc_csv_f64(&c, w->lat_p50 / 1e3, 1);
		sc_csv_f64(&c, w->lat_p90 / 1e3, 1);
		sc_csv_f64(&c, w->lat_p99 / 1e3, 1);
		sc_csv_f64(&c, w->lat_max / 1e3, 1);
		sc_csv_f64(&c, dur / 1e6, 3);
		if (w->has_retrans)
			sc_csv_u64(&c, w->tcp_retrans);
		else
			sc_csv_field(&c, "");
		sc_csv_u64(&c, w->rxq_drops);
		sc_csv_field(&c, w->kernel);
		sc_csv_field(&c, w->link);
		sc_csv_i64(&c, w->status);
		sc_csv_field(&c, w->error);
		if (w->has_link_stats) {
			/* netem counts what it drops but not what it copies: a
			 * copy shows as one more packet sent than offered. */
			uint64_t out = w->link_sent + w->link_dropped;

			sc_csv_u64(&c, w->link_sent);
			sc_csv_u64(&c, w->link_dropped);
			sc_csv_u64(&c, out > w->link_offered ? out - w->link_offered : 0);
		} else {
			sc_csv_field(&c, "");
			sc_csv_field(&c, "");
			sc_csv_field(&c, "");
		}
		sc_csv_field(&c, w->kernel_why);
		sc_csv_end_row(&c);
	}
	return sc_csv_commit(&c);
}

/* Copies field name of a split row into a fixed buffer. */
#define COPY(dst, val) snprintf((dst), sizeof(dst), "%s", (val))

int sc_rows_read(const struct sc_experiment *e, struct sc_rows *r, const char *path)
{
	char *text = NULL, *p, *rec, *names[80], *vals[80];
	int n, rc = sc_read_file(path, &text, NULL);

	if (rc < 0)
		return rc;
	p = text;
	rec = sc_next_record(&p);
	n = rec ? sc_csv_split(rec, names, 80) : -EINVAL;
	if (n <= 0) {
		free(text);
		return -EINVAL;
	}
	while ((rec = sc_next_record(&p))) {
		struct sc_summary s = {.n = n};
		struct sc_row *w;

		if (sc_csv_split(rec, vals, 80) != n)
			continue;
		memcpy(s.names, names, sizeof(names[0]) * (size_t)n);
		memcpy(s.vals, vals, sizeof(vals[0]) * (size_t)n);
		w = sc_rows_add(r);
		if (!w) {
			free(text);
			return -ENOMEM;
		}
		COPY(w->transport, sc_summary_str(&s, "transport"));
		w->trial = (unsigned)sc_summary_u64(&s, "trial");
		w->point = sc_summary_u64(&s, "point") - 1;
		if (e->sweep.n)
			COPY(w->value, sc_summary_str(&s, e->sweep.param));
		w->sent_msgs = sc_summary_u64(&s, "sent_msgs");
		w->sent_bytes = sc_summary_u64(&s, "sent_bytes");
		w->send_calls = sc_summary_u64(&s, "send_calls");
		w->has_retrans = sc_summary_str(&s, "tcp_retrans")[0] != '\0';
		w->tcp_retrans = sc_summary_u64(&s, "tcp_retrans");
		w->recv_calls = sc_summary_u64(&s, "recv_calls");
		w->recv_bytes = sc_summary_u64(&s, "recv_bytes");
		w->recv_msgs = sc_summary_u64(&s, "recv_msgs");
		w->unique_msgs = sc_summary_u64(&s, "unique_msgs");
		w->lost = sc_summary_u64(&s, "lost");
		w->duplicated = sc_summary_u64(&s, "duplicated");
		w->reordered = sc_summary_u64(&s, "reordered");
		w->max_extent = sc_summary_u64(&s, "max_reorder_extent");
		w->corrupted = sc_summary_u64(&s, "corrupted");
		w->truncated = sc_summary_u64(&s, "truncated");
		w->foreign = sc_summary_u64(&s, "foreign");
		w->malformed = sc_summary_u64(&s, "malformed");
		w->rxq_drops = sc_summary_u64(&s, "rxq_drops");
		w->boundaries_kept = sc_summary_u64(&s, "boundaries_kept") != 0;
		w->lat_p50 = (int64_t)(strtod(sc_summary_str(&s, "lat_p50_us"), NULL) * 1e3);
		w->lat_p90 = (int64_t)(strtod(sc_summary_str(&s, "lat_p90_us"), NULL) * 1e3);
		w->lat_p99 = (int64_t)(strtod(sc_summary_str(&s, "lat_p99_us"), NULL) * 1e3);
		w->lat_max = (int64_t)(strtod(sc_summary_str(&s, "lat_max_us"), NULL) * 1e3);
		w->last_recv_ns = (uint64_t)(strtod(sc_summary_str(&s, "duration_ms"), NULL) * 1e6);
		COPY(w->read_sizes, sc_summary_str(&s, "read_sizes"));
		COPY(w->kernel, sc_summary_str(&s, "kernel"));
		COPY(w->kernel_why, sc_summary_str(&s, "kernel_why"));
		COPY(w->link, sc_summary_str(&s, "link"));
		w->status = (int)sc_summary_i64(&s, "status");
		COPY(w->error, sc_summary_str(&s, "error"));
		w->has_link_stats = sc_summary_str(&s, "link_sent")[0] != '\0';
		w->link_sent = sc_summary_u64(&s, "link_sent");
		w->link_dropped = sc_summary_u64(&s, "link_dropped");
		w->link_offered = w->link_sent + w->link_dropped - sc_summary_u64(&s, "link_duplicated");
	}
	free(text);
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

int sc_summary_read(struct sc_summary *s, const char *path)
{
	char *p, *head, *row;
	char *vals[64];
	int r;

	memset(s, 0, sizeof(*s));
	r = sc_read_file(path, &s->text, NULL);
	if (r < 0)
		return r;
	p = s->text;
	head = sc_next_record(&p);
	row = sc_next_record(&p);
	if (!head || !row)
		goto bad;
	s->n = sc_csv_split(head, s->names, 64);
	if (s->n <= 0 || sc_csv_split(row, vals, 64) != s->n)
		goto bad;
	memcpy(s->vals, vals, sizeof(vals[0]) * (size_t)s->n);
	return 0;
bad:
	sc_summary_free(s);
	return -EINVAL;
}

const char *sc_summary_str(const struct sc_summary *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0)
			return s->vals[i];
	return "";
}

uint64_t sc_summary_u64(const struct sc_summary *s, const char *name)
{
	return strtoull(sc_summary_str(s, name), NULL, 10);
}

int64_t sc_summary_i64(const struct sc_summary *s, const char *name)
{
	return strtoll(sc_summary_str(s, name), NULL, 10);
}

void sc_summary_free(struct sc_summary *s)
{
	free(s->text);
	memset(s, 0, sizeof(*s));
}
