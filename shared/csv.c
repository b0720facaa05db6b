/* csv.c - RFC 4180 CSV, written to a temporary file and renamed. */
#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sc_csv_open(struct sc_csv *c, const char *path)
{
	size_t n = strlen(path) + 32;
	int fd, e;

	memset(c, 0, sizeof(*c));
	c->path = strdup(path);
	c->tmp = malloc(n);
	if (!c->path || !c->tmp) {
		e = ENOMEM;
		goto fail;
	}
	snprintf(c->tmp, n, "%s.tmp-%ld", path, (long)getpid());
	fd = open(c->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		e = errno;
		goto fail;
	}
	c->fp = fdopen(fd, "w");
	if (!c->fp) {
		e = errno;
		close(fd);
		unlink(c->tmp);
		goto fail;
	}
	return 0;
fail:
	free(c->path);
	free(c->tmp);
	memset(c, 0, sizeof(*c));
	return -e;
}

size_t sc_csv_quote(const char *s, char *buf, size_t len)
{
	size_t need = 0;
	int q = s && strpbrk(s, ",\"\r\n") != NULL;

#define PUT(ch)                         \
	do {                            \
		if (need + 1 < len)     \
			buf[need] = (ch); \
		need++;                 \
	} while (0)
	if (q)
		PUT('"');
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '"')
			PUT('"');
		PUT(*p);
	}
	if (q)
		PUT('"');
#undef PUT
	if (len)
		buf[need < len ? need : len - 1] = '\0';
	return need;
}

static void sep(struct sc_csv *c)
{
	if (c->fields++ && c->fp)
		fputc(',', c->fp);
}

void sc_csv_field(struct sc_csv *c, const char *s)
{
	if (!c->fp)
		return;
	sep(c);
	if (s && strpbrk(s, ",\"\r\n")) {
		fputc('"', c->fp);
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				fputc('"', c->fp);
			fputc(*p, c->fp);
		}
		fputc('"', c->fp);
	} else if (s) {
		fputs(s, c->fp);
	}
}

void sc_csv_u64(struct sc_csv *c, uint64_t v)
{
	if (!c->fp)
		return;
	sep(c);
	fprintf(c->fp, "%" PRIu64, v);
}

void sc_csv_i64(struct sc_csv *c, int64_t v)
{
	if (!c->fp)
		return;
	sep(c);
	fprintf(c->fp, "%" PRId64, v);
}

void sc_csv_f64(struct sc_csv *c, double v, int decimals)
{
	if (!c->fp)
		return;
	sep(c);
	if (!isnan(v))
		fprintf(c->fp, "%.*f", decimals, v);
}

void sc_csv_end_row(struct sc_csv *c)
{
	if (!c->fp)
		return;
	fputs("\r\n", c->fp);
	c->fields = 0;
	if (ferror(c->fp) && !c->error)
		c->error = -EIO;
}

static void release(struct sc_csv *c)
{
	free(c->path);
	free(c->tmp);
	memset(c, 0, sizeof(*c));
}

int sc_csv_commit(struct sc_csv *c)
{
	int r = c->error;

	if (!c->fp)
		return r ? r : -EBADF;
	if (fflush(c->fp) != 0 && !r)
		r = -errno;
	if (!r && fsync(fileno(c->fp)) != 0)
		r = -errno;
	if (fclose(c->fp) != 0 && !r)
		r = -errno;
	c->fp = NULL;
	if (!r && rename(c->tmp, c->path) != 0)
		r = -errno;
	if (r)
		unlink(c->tmp);
	release(c);
	return r;
}

void sc_csv_abort(struct sc_csv *c)
{
	if (c->fp) {
		fclose(c->fp);
		unlink(c->tmp);
	}
	release(c);
}

int sc_csv_split(char *line, char **fields, int max)
{
	char *r = line, *w = line;
	int n = 0;

	for (;;) {
		if (n == max)
			return -E2BIG;
		fields[n++] = w;
		if (*r == '"') {
			r++;
			for (;;) {
				if (*r == '\0')
					return -EINVAL; /* unterminated quote */
				if (*r == '"') {
					if (r[1] == '"') {
						*w++ = '"';
						r += 2;
						continue;
					}
					r++;
					break;
				}
				*w++ = *r++;
			}
			if (*r != ',' && *r != '\0')
				return -EINVAL; /* text after a closing quote */
		} else {
			while (*r && *r != ',') {
				if (*r == '"')
					return -EINVAL; /* a quote inside an unquoted field */
				*w++ = *r++;
			}
		}
		if (*r == '\0') {
			*w = '\0';
			return n;
		}
		*w++ = '\0';
		r++;
	}
}
