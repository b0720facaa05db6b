/* json.c - the JSON writer of json.h. */
#include "json.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sc_json_init(struct sc_json *j, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->pretty = pretty;
}

void sc_json_free(struct sc_json *j)
{
	free(j->buf);
	j->buf = NULL;
	j->len = j->cap = 0;
}

/* Appends n bytes; on failure records -ENOMEM. */
static void put(struct sc_json *j, const char *s, size_t n)
{
	if (j->error)
		return;
	if (j->len + n + 1 > j->cap) {
		size_t cap = j->cap ? j->cap : 256;
		char *b;

		while (cap < j->len + n + 1)
			cap *= 2;
		b = realloc(j->buf, cap);
		if (!b) {
			j->error = -ENOMEM;
			return;
		}
		j->buf = b;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

__attribute__((format(printf, 2, 3))) static void putf(struct sc_json *j, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		if (!j->error)
			j->error = -EINVAL;
		return;
	}
	put(j, tmp, (size_t)n);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t want;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		want = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		want = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		want = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < want)
		return 0;
	for (size_t i = 1; i < want; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((want == 3 && cp < 0x800) || (want == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return want;
}

static void quoted(struct sc_json *j, const char *v, size_t n)
{
	const unsigned char *s = (const unsigned char *)v;

	put(j, "\"", 1);
	for (size_t i = 0; i < n;) {
		size_t k = utf8_len(s + i, n - i);

		if (k == 0) {
			put(j, "\\ufffd", 6);
			i++;
		} else if (k > 1) {
			put(j, (const char *)s + i, k);
			i += k;
		} else {
			switch (s[i]) {
			case '"': put(j, "\\\"", 2); break;
			case '\\': put(j, "\\\\", 2); break;
			case '\n': put(j, "\\n", 2); break;
			case '\r': put(j, "\\r", 2); break;
			case '\t': put(j, "\\t", 2); break;
			default:
				if (s[i] < 0x20 || s[i] == 0x7f)
					putf(j, "\\u%04x", s[i]);
				else
					put(j, (const char *)s + i, 1);
			}
			i++;
		}
	}
	put(j, "\"", 1);
}

static void indent(struct sc_json *j)
{
	if (!j->pretty)
		return;
	put(j, "\n", 1);
	for (int i = 0; i < j->depth; i++)
		put(j, "  ", 2);
}

/* Writes the comma, newline and key that come before any value. */
static void before(struct sc_json *j, const char *key)
{
	bool in_obj = j->depth > 0 && !j->in_array[j->depth - 1];

	if (j->error)
		return;
	if ((key != NULL) != in_obj || (j->depth == 0 && j->len > 0)) {
		j->error = -EINVAL;
		return;
	}
	if (j->depth > 0) {
		if (j->has_items[j->depth - 1])
			put(j, ",", 1);
		j->has_items[j->depth - 1] = true;
		indent(j);
	}
	if (key) {
		quoted(j, key, strlen(key));
		put(j, j->pretty ? ": " : ":", j->pretty ? 2 : 1);
	}
}

static void open_nest(struct sc_json *j, const char *key, bool array)
{
	before(j, key);
	if (j->error)
		return;
	if (j->depth >= SC_JSON_DEPTH) {
		j->error = -EINVAL;
		return;
	}
	put(j, array ? "[" : "{", 1);
	j->in_array[j->depth] = array;
	j->has_items[j->depth] = false;
	j->depth++;
}

void sc_json_obj(struct sc_json *j, const char *key)
{
	open_nest(j, key, false);
}

void sc_json_arr(struct sc_json *j, const char *key)
{
	open_nest(j, key, true);
}

void sc_json_end(struct sc_json *j)
{
	bool array, items;

	if (j->error)
		return;
	if (j->depth == 0) {
		j->error = -EINVAL;
		return;
	}
	array = j->in_array[j->depth - 1];
	items = j->has_items[j->depth - 1];
	j->depth--;
	if (items)
		indent(j);
	put(j, array ? "]" : "}", 1);
}

void sc_json_strn(struct sc_json *j, const char *key, const char *v, size_t n)
{
	before(j, key);
	if (!v)
		put(j, "null", 4);
	else
		quoted(j, v, n);
}

void sc_json_str(struct sc_json *j, const char *key, const char *v)
{
	sc_json_strn(j, key, v, v ? strlen(v) : 0);
}

void sc_json_u64(struct sc_json *j, const char *key, uint64_t v)
{
	before(j, key);
	putf(j, "%" PRIu64, v);
}

void sc_json_i64(struct sc_json *j, const char *key, int64_t v)
{
	before(j, key);
	putf(j, "%" PRId64, v);
}

void sc_json_f64(struct sc_json *j, const char *key, double v)
{
	before(j, key);
	if (!isfinite(v))
		put(j, "null", 4);
	else
		putf(j, "%.15g", v);
}

void sc_json_bool(struct sc_json *j, const char *key, bool v)
{
	before(j, key);
	put(j, v ? "true" : "false", v ? 4 : 5);
}

void sc_json_null(struct sc_json *j, const char *key)
{
	before(j, key);
	put(j, "null", 4);
}

int sc_json_done(struct sc_json *j)
{
	if (!j->error && (j->depth != 0 || j->len == 0))
		j->error = -EINVAL;
	put(j, "\n", 1);
	return j->error;
}
