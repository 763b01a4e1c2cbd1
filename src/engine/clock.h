/*
 * clock.h — the engine's one reading of the clocks: nanoseconds of
 * CLOCK_MONOTONIC (through the vDSO, no system call) for every moment a run
 * records, and of any other clock (a thread's or a process's CPU time).
 */
#ifndef MPTUTOR_CLOCK_H
#define MPTUTOR_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Nanoseconds of clock clk, or 0 if it cannot be read. */
static inline int64_t engine_clock_ns(clockid_t clk)
{
	struct timespec ts;

	if (clock_gettime(clk, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* CLOCK_MONOTONIC in nanoseconds: the time base of every run. */
static inline int64_t engine_now_ns(void)
{
	return engine_clock_ns(CLOCK_MONOTONIC);
}

#endif
