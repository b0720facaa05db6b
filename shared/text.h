/* text.h - user text that reaches a terminal: what a script may hold,
 * and how a message quotes what it may not.
 *
 * A script is read by people and quoted back to them; an escape sequence
 * in it (ESC [ ... or a C1 control such as U+009B) would otherwise drive
 * the terminal that shows a title or an error. */
#ifndef SC_TEXT_H
#define SC_TEXT_H

#include <stddef.h>
#include <sys/types.h>

/* Returns the offset of the first byte of s[0..n) that is not printable
 * UTF-8 text (a C0 control other than tab, DEL, a C1 control, or a byte
 * sequence that is not UTF-8), or -1 if all of it is. */
ssize_t sc_text_bad_at(const char *s, size_t n);

/* Copies src to dst (cap bytes, always NUL-terminated if cap > 0) with
 * what sc_text_bad_at refuses written out as \n, \r, \t or \xHH; a
 * backslash stays as it is. Returns strlen(dst). */
size_t sc_text_escape(char *dst, size_t cap, const char *src);

#endif
