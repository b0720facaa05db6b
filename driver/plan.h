/* plan.h - how long a trial should take, read from its plan, and the time
 * limits that follow from it (pure: no clock, no process).
 *
 * A trial's expected duration is its planned waits (pacing, pauses, the
 * receiver's delays), a per-message and per-byte cost of this machine's
 * loopback, and its link's delays and rate. Its limit is twice what the
 * plan fixes (waits, link) plus twenty times the work (a loaded host is
 * much slower than a quiet one: 300,000 datagrams took 6 x the estimate at
 * load 12 on 2 cores), plus an allowance for stalls: the script's 2 x
 * timeout, or 60 s; on an impaired link, two more LINK_IDLE for TCP's
 * retransmission backoff. */
#ifndef SC_PLAN_H
#define SC_PLAN_H

#include <stdint.h>

#include "script.h"

#define SC_PLAN_MARGIN_NS (60ull * 1000000000ull)  /* stall allowance, no timeout in the script */
#define SC_PLAN_LINK_IDLE_NS (120ull * 1000000000ull) /* how long a side on a link may see nothing */
#define SC_PLAN_MSG_NS 5000ull     /* per message: loopback does ~200k-330k msg/s here */
#define SC_PLAN_BYTE_PS 1000ull    /* per byte, in ps: 1 GB/s */
#define SC_PLAN_START_NS (100ull * 1000000ull) /* starting two programs */

/* The receiver's --idle: longer than every silence the plan has. */
uint64_t sc_plan_recv_idle_ns(const struct sc_experiment *p);

/* The sender's --timeout (a blocked write fails after it). */
uint64_t sc_plan_send_timeout_ns(const struct sc_experiment *p);

/* Expected duration of one trial of point p on transport t. */
uint64_t sc_plan_trial_ns(const struct sc_experiment *p, const struct sc_transport *t);

/* The time after which that trial is abandoned. */
uint64_t sc_plan_trial_limit_ns(const struct sc_experiment *p, const struct sc_transport *t);

/* Sums over every point x transport x trial of e: expected, and limits. */
uint64_t sc_plan_run_ns(const struct sc_experiment *e);
uint64_t sc_plan_run_limit_ns(const struct sc_experiment *e);

/* The first "delay" of netem arguments in ns, and their "rate" in bits/s
 * (0 if none, or if it cannot be read). */
uint64_t sc_plan_netem_delay_ns(const char *args);
uint64_t sc_plan_netem_rate_bps(const char *args);

#endif
