/* json.h - a small JSON writer into memory (RFC 8259), for NAME.json and
 * `sockcmp run --json`.
 *
 * Calls nest like the document: sc_json_obj(j, key) ... sc_json_end(j).
 * Inside an object every value has a key; inside an array key must be NULL.
 * Errors are sticky: the first one (-ENOMEM, -EINVAL for a key where none
 * belongs or a missing one, nesting deeper than SC_JSON_DEPTH or an
 * unbalanced end) is returned by sc_json_done(), and nothing after it is
 * written. Strings are escaped; bytes that are not valid UTF-8 become
 * U+FFFD, so hostile bytes (a peer's reply, a path) can never break the
 * document. Non-finite doubles are written as null. */
#ifndef SC_JSON_H
#define SC_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SC_JSON_DEPTH 32

struct sc_json {
	char *buf;     /* NUL-terminated text so far */
	size_t len, cap;
	int depth;
	bool in_array[SC_JSON_DEPTH];
	bool has_items[SC_JSON_DEPTH];
	int error;
	bool pretty;   /* newlines and two-space indents */
};

void sc_json_init(struct sc_json *j, bool pretty);
void sc_json_obj(struct sc_json *j, const char *key); /* opens {; key NULL at top or in arrays */
void sc_json_arr(struct sc_json *j, const char *key); /* opens [ */
void sc_json_end(struct sc_json *j);                  /* closes the innermost { or [ */
void sc_json_str(struct sc_json *j, const char *key, const char *v); /* NULL writes null */
void sc_json_strn(struct sc_json *j, const char *key, const char *v, size_t n);
void sc_json_u64(struct sc_json *j, const char *key, uint64_t v);
void sc_json_i64(struct sc_json *j, const char *key, int64_t v);
void sc_json_f64(struct sc_json *j, const char *key, double v);
void sc_json_bool(struct sc_json *j, const char *key, bool v);
void sc_json_null(struct sc_json *j, const char *key);

/* Ends the document (a final newline). Returns 0 with the text in j->buf
 * (owned by j), or the first error. */
int sc_json_done(struct sc_json *j);
void sc_json_free(struct sc_json *j);

#endif
