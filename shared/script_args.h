/* script_args.h - internals of the script module shared by script.c (the
 * line reader and directive table) and script_args.c (the arguments of
 * send, recv and sweep, which the programs' command lines use too).
 * Not a public interface: include script.h instead. */
#ifndef SC_SCRIPT_ARGS_H
#define SC_SCRIPT_ARGS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "script.h"

#define SC__MAX_BUF (1u << 30) /* largest SO_SNDBUF / SO_RCVBUF a script may ask for */

/* Where a message comes from: line > 0 gives "file:line: message", 0
 * gives "file: message" and -1 (command-line arguments) just "message". */
struct sc__where {
	const char *file;
	int line;
	char *err; /* may be NULL */
	size_t errlen;
};

/* Write the message for w to w->err and return -EINVAL. */
__attribute__((format(printf, 2, 0))) int sc__vbad(const struct sc__where *w, const char *fmt,
						   va_list ap);
__attribute__((format(printf, 2, 3))) int sc__bad(const struct sc__where *w, const char *fmt, ...);

/* Splits s in place at blanks (spaces, tabs) into at most max words.
 * Returns the number of words, or -1 if there are more than max. */
int sc__split_words(char *s, char **words, int max);

/* One token each, `what` naming it in messages ("send", "pause"; a size
 * reads "bad size '51q' for send", "send size 20 is below ...").
 * Return 0 or sc__bad() with the limit named. */
int sc__size(const struct sc__where *w, const char *what, const char *s, uint64_t min,
	     uint64_t max, uint64_t *out);
int sc__duration(const struct sc__where *w, const char *what, const char *s, uint64_t *out);
int sc__count(const struct sc__where *w, const char *what, const char *s, uint64_t min,
	      uint64_t max, uint64_t *out);

/* A send step from its n words ("5 x 512" as 1 to 3 words; the words may
 * be changed) and the recv plan from its words. Return 0 or sc__bad(). */
int sc__send_words(const struct sc__where *w, char **words, int n, struct sc_op *op);
int sc__recv_words(const struct sc__where *w, char **words, int n, struct sc_recv_plan *r);

/* Sets the swept parameter param of e to value, checked with that
 * parameter's own parser. Returns 0 or sc__bad(). */
int sc__sweep_apply(const struct sc__where *w, struct sc_experiment *e, const char *param,
		    const char *value);

#endif
