/* clock.c - clocks and interruptible sleeps. */
#include "clock.h"

#include <errno.h>
#include <time.h>

static uint64_t now(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * SC_NS_PER_S + (uint64_t)ts.tv_nsec;
}

uint64_t sc_real_ns(void)
{
	return now(CLOCK_REALTIME);
}

uint64_t sc_mono_ns(void)
{
	return now(CLOCK_MONOTONIC);
}

int sc_sleep_until(uint64_t at_ns, const volatile sig_atomic_t *stop)
{
	struct timespec ts = {.tv_sec = (time_t)(at_ns / SC_NS_PER_S),
			      .tv_nsec = (long)(at_ns % SC_NS_PER_S)};

	for (;;) {
		if (stop && *stop)
			return -EINTR;
		/* A signal handler (SIGINT) interrupts the sleep; loop to
		 * check the stop flag, then sleep again to the same time. */
		if (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == 0)
			return 0;
	}
}

int sc_sleep_ns(uint64_t ns, const volatile sig_atomic_t *stop)
{
	return ns ? sc_sleep_until(sc_mono_ns() + ns, stop) : 0;
}
