// SPDX-License-Identifier: MIT
/* Wall and children's CPU time of a phase (see phase_clock.h). */
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "phase_clock.h"

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* User + system time of every child waited for so far. */
static double children_cpu(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_CHILDREN, &ru))
		return 0;
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

void phase_clock_start(struct phase_clock *c)
{
	*c = (struct phase_clock){ .wall0 = wall_now(), .cpu0 = children_cpu() };
}

void phase_clock_stop(struct phase_clock *c)
{
	c->wall_s = wall_now() - c->wall0;
	c->cpu_s = children_cpu() - c->cpu0;
}

void phase_clock_print(const struct phase_clock *c, const char *name, FILE *out)
{
	double load[3] = { 0 };

	getloadavg(load, 3);
	fprintf(out, "%s: wall %.0f s, CPU %.0f s of its processes, load average %.1f %.1f %.1f\n",
		name, c->wall_s, c->cpu_s, load[0], load[1], load[2]);
}
