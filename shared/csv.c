/* csv.c - RFC 4180 CSV, written to a temporary file and renamed into
 * place, and split back into fields.
 *
 * Write errors are sticky: the first one is kept in c->error, later
 * writes are skipped, and sc_csv_commit reports it, so callers write a
 * whole table without checking each field. */
#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* RFC 4180 section 2.6: these characters force a field into quotes. */
#define SPECIAL ",\"\r\n"

/* Returns whether s (not NULL) must be quoted. */
static int needs_quotes(const char *s)
{
	return s[strcspn(s, SPECIAL)] != '\0';
}

/* Closes c's stream (if open), removes its temporary file and zeroes
 * it, so that a second commit or abort is a harmless no-op (commit then
 * reports -EBADF). */
static void release(struct sc_csv *c)
{
	if (c->fp)
		fclose(c->fp);
	sc_outfile_abort(&c->out);
	memset(c, 0, sizeof(*c));
	c->out.fd = -1;
}

/* Returns 0 with c ready for writing to a fresh temporary file beside
 * path, or -errno (then c holds nothing to free). */
int sc_csv_open(struct sc_csv *c, const char *path)
{
	int fd, e;

	memset(c, 0, sizeof(*c));
	e = sc_outfile_open(&c->out, path);
	if (e < 0) {
		c->out.fd = -1;
		return e;
	}
	fd = fcntl(c->out.fd, F_DUPFD_CLOEXEC, 0);
	c->fp = fd < 0 ? NULL : fdopen(fd, "w");
	if (!c->fp) {
		e = -errno;
		if (fd >= 0)
			close(fd);
		release(c);
		return e;
	}
	return 0;
}

/* Records the first error; errno may be 0 after a stdio failure that did
 * not come from a system call, hence the EIO fallback. */
static void fail(struct sc_csv *c, int e)
{
	if (!c->error)
		c->error = -(e ? e : EIO);
}

/* Returns whether c can still be written to. */
static int ok(const struct sc_csv *c)
{
	return c->fp && !c->error;
}

/* Writes n bytes of s, recording a failure. */
static void put(struct sc_csv *c, const char *s, size_t n)
{
	errno = 0;
	if (ok(c) && fwrite(s, 1, n, c->fp) != n)
		fail(c, errno);
}

/* Writes the comma before every field but the first of a row. */
static void sep(struct sc_csv *c)
{
	if (c->fields++)
		put(c, ",", 1);
}

/* Writes s as one field, quoted and with its quotes doubled if needed. */
void sc_csv_field(struct sc_csv *c, const char *s)
{
	if (!ok(c))
		return;
	sep(c);
	if (!s || !*s)
		return;
	if (!needs_quotes(s)) {
		put(c, s, strlen(s));
		return;
	}
	put(c, "\"", 1);
	for (const char *q = strchr(s, '"'); q; q = strchr(s, '"')) {
		put(c, s, (size_t)(q - s) + 1); /* up to the quote, included */
		put(c, "\"", 1);		/* and the quote once more */
		s = q + 1;
	}
	put(c, s, strlen(s));
	put(c, "\"", 1);
}

/* Writes an unsigned decimal field. */
void sc_csv_u64(struct sc_csv *c, uint64_t v)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%" PRIu64, v);

	if (!ok(c))
		return;
	sep(c);
	put(c, buf, (size_t)n);
}

/* Writes a signed decimal field. */
void sc_csv_i64(struct sc_csv *c, int64_t v)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%" PRId64, v);

	if (!ok(c))
		return;
	sep(c);
	put(c, buf, (size_t)n);
}

/* Writes v with the given number of decimals ("%.*f"; a negative count
 * means printf's default of 6). NaN, "no value", becomes an empty field;
 * infinities come out as "inf" and "-inf". */
void sc_csv_f64(struct sc_csv *c, double v, int decimals)
{
	if (!ok(c))
		return;
	sep(c);
	if (isnan(v))
		return;
	errno = 0;
	if (fprintf(c->fp, "%.*f", decimals, v) < 0)
		fail(c, errno);
}

/* Ends the row with CRLF (RFC 4180 section 2.1). */
void sc_csv_end_row(struct sc_csv *c)
{
	put(c, "\r\n", 2);
	c->fields = 0;
}

/* Returns 0 once the file is durable on disk and renamed over PATH, or
 * the first -errno of the writes, fflush, fclose, fsync or rename; then
 * the temporary file is removed and PATH left alone. -EBADF if c is not
 * open. Frees c's resources either way. */
int sc_csv_commit(struct sc_csv *c)
{
	int r = c->error;

	if (!c->fp) {
		release(c);
		return r ? r : -EBADF;
	}
	if (!r && fflush(c->fp) != 0)
		r = -(errno ? errno : EIO);
	if (fclose(c->fp) != 0 && !r)
		r = -(errno ? errno : EIO);
	c->fp = NULL;
	if (!r)
		r = sc_outfile_commit(&c->out);
	release(c);
	return r;
}

/* Closes and removes the temporary file; never fails. */
void sc_csv_abort(struct sc_csv *c)
{
	release(c);
}

/* Stores ch at buf[at] if it leaves room for the final NUL. */
static void emit(char *buf, size_t len, size_t at, char ch)
{
	if (at + 1 < len)
		buf[at] = ch;
}

/* Returns the length the quoted field needs, excluding the NUL; writes
 * as much as fits into buf (always NUL-terminated when len > 0), like
 * snprintf. NULL is an empty field. */
size_t sc_csv_quote(const char *s, char *buf, size_t len)
{
	size_t need = 0;
	int q;

	if (!s)
		s = "";
	q = needs_quotes(s);
	if (q)
		emit(buf, len, need++, '"');
	for (; *s; s++) {
		if (*s == '"')
			emit(buf, len, need++, '"');
		emit(buf, len, need++, *s);
	}
	if (q)
		emit(buf, len, need++, '"');
	if (len)
		buf[need < len ? need : len - 1] = '\0';
	return need;
}

/* Unquotes the quoted field starting at *r (on its opening quote) into
 * *w, leaving *r after the closing quote. Returns 0, or -EINVAL if the
 * quote is never closed. */
static int unquote(char **r, char **w)
{
	char *rp = *r + 1, *wp = *w;

	for (;;) {
		if (*rp == '\0')
			return -EINVAL;
		if (*rp == '"' && rp[1] != '"')
			break;
		if (*rp == '"') /* a doubled quote stands for one */
			rp++;
		*wp++ = *rp++;
	}
	*r = rp + 1;
	*w = wp;
	return 0;
}

/* Returns the number of fields of the record, or -EINVAL (unterminated
 * quote, text after a closing quote, or a quote inside an unquoted field,
 * which RFC 4180 section 2.5 forbids), -E2BIG if it has more than max
 * fields. Fields are unquoted in place: the text only ever shrinks, so
 * the write cursor never overtakes the read cursor. */
int sc_csv_split(char *line, char **fields, int max)
{
	char *r = line, *w = line;
	int n = 0;

	if (!line || !fields || max < 0)
		return -EINVAL;
	for (;;) {
		if (n == max)
			return -E2BIG;
		fields[n++] = w;
		if (*r == '"') {
			if (unquote(&r, &w) < 0)
				return -EINVAL;
			if (*r != ',' && *r != '\0')
				return -EINVAL;
		} else {
			while (*r && *r != ',') {
				if (*r == '"')
					return -EINVAL;
				*w++ = *r++;
			}
		}
		if (*r == '\0') {
			*w = '\0';
			return n;
		}
		*w++ = '\0'; /* the comma becomes the field's end */
		r++;
	}
}
