/* clock.h - the two clocks sockcmp uses.
 *
 * Wire timestamps and event times are CLOCK_REALTIME, the one clock two
 * processes (or two network namespaces of one kernel) share, and the only
 * one that means anything across two machines (then only as well as their
 * NTP sync). Deadlines and pacing use CLOCK_MONOTONIC, which never jumps. */
#ifndef SC_CLOCK_H
#define SC_CLOCK_H

#include <signal.h>
#include <stdint.h>

#define SC_NS_PER_MS 1000000ull
#define SC_NS_PER_S 1000000000ull

uint64_t sc_real_ns(void);
uint64_t sc_mono_ns(void);

/* Sleeps until CLOCK_MONOTONIC reaches at_ns. Returns 0, or -EINTR if
 * *stop became non-zero (stop may be NULL). */
int sc_sleep_until(uint64_t at_ns, const volatile sig_atomic_t *stop);

/* Sleeps ns nanoseconds; as sc_sleep_until. */
int sc_sleep_ns(uint64_t ns, const volatile sig_atomic_t *stop);

#endif
