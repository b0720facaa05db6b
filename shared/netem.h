/* netem.h - netem argument strings and the tc command lines that apply
 * them. Pure string work: nothing here runs tc. */
#ifndef SC_NETEM_H
#define SC_NETEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True if param is a netem keyword a sweep may set: loss, delay, reorder,
 * duplicate, corrupt, rate, limit. */
bool sc_netem_is_param(const char *param);

/* True if word starts a clause in netem's syntax (tc-netem(8)): one of the
 * params above, their aliases latency and drop, or distribution, gap,
 * slot, ecn, seed. */
bool sc_netem_is_keyword(const char *word);

/* Checks a value for param: a percentage ("5%", "0.5%") for loss, reorder,
 * duplicate, corrupt; a time (sc_netem_time) for delay; a rate ("10mbit",
 * "500kbit") for rate; a count for limit. The same check as the value's
 * in a netem line: "delay V" passes sc_netem_check_args exactly when V
 * passes here. Returns 0 or -EINVAL. */
int sc_netem_check_value(const char *param, const char *value);

/* Parses a time as tc reads one: digits with an optional fraction and a
 * unit, s, ms, us or ns (also spelt sec, msec, usec, nsec, secs...), at
 * most a minute ("1.5ms", "10msec"); "0" needs no unit. Returns 0 with
 * *ns set, or -EINVAL. Pure. */
int sc_netem_time(const char *v, uint64_t *ns);

/* Checks a whole netem argument string against tc-netem(8)'s grammar:
 * every clause starts with a keyword, has the arguments it needs and no
 * more, each of the right kind (percentages with '%', times with a unit,
 * rates with a unit), no clause twice, reorder only with a delay above 0
 * and distribution only with a delay and a jitter (tc refuses them
 * otherwise). An empty string is fine (no link).
 * Returns 0, or -EINVAL with a one-line message (no prefix, the offending
 * word quoted) in err (may be NULL). */
int sc_netem_check_args(const char *args, char *err, size_t errlen);

/* Sets param to value in the netem argument string args (capacity cap):
 * any existing "param ..." clause (the keyword and its arguments up to the
 * next keyword) is removed and "param value" appended. Returns 0, -EINVAL
 * for an unknown param, -ENOSPC if the result does not fit. */
int sc_netem_set(char *args, size_t cap, const char *param, const char *value);

/* Splits "tc qdisc replace dev DEV root netem ARGS" into argv (max entries,
 * NULL-terminated) using store (storelen bytes) for the words. Returns the
 * number of words or -ENOSPC. */
int sc_netem_tc_argv(const char *dev, const char *args, char **argv, size_t max,
		     char *store, size_t storelen);

#endif
