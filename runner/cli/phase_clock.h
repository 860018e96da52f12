/* SPDX-License-Identifier: MIT */
/*
 * How long a phase of check took, and how much of it was ours: wall time
 * beside the CPU time its child processes (QEMU, the runner, the tests)
 * used and the load average. On a machine shared with other work, wall
 * time well above CPU time is time spent waiting for a CPU.
 */
#ifndef XEMT_PHASE_CLOCK_H
#define XEMT_PHASE_CLOCK_H

#include <stdio.h>

struct phase_clock {
	double wall0, cpu0;
	double wall_s, cpu_s;	/* set by phase_clock_stop() */
};

void phase_clock_start(struct phase_clock *c);
void phase_clock_stop(struct phase_clock *c);

/* "NAME: wall W s, CPU C s of children, load average L" */
void phase_clock_print(const struct phase_clock *c, const char *name, FILE *out);

#endif
