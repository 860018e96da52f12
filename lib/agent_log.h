/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * What the migration-loop guest's agent (workloads/guest_agent.c) says on
 * its serial console, read back from a VM's serial log:
 *
 *   XEMT-AGENT start seed=<hex> mib=<n> chunks=<n>
 *   XEMT-AGENT tick=<n> mem=ok|BAD passes=<n>
 *
 * and the checks across a hop: the destination's counter carries on from
 * the source's (never back, never from the start) and memory stays ok.
 * Only whole lines count: a migration can cut a line between the source's
 * log and the destination's.
 */
#ifndef XEMIG_AGENT_LOG_H
#define XEMIG_AGENT_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct agent_log {
	bool started;		/* a start line */
	unsigned int starts;	/* how many: more than one is a reboot */
	unsigned int ticks;	/* tick lines */
	uint64_t first_tick, last_tick;
	uint64_t first_passes, last_passes;
	unsigned int skips;	/* a tick more than one after the previous */
	bool went_back;		/* a tick not after the previous one */
	uint64_t back_from, back_to;
	bool mem_bad;		/* some line said mem=BAD */
	char bad_line[160];	/* the first such line */
};

/* Parse @len bytes of serial log into @log. */
void agent_log_parse(const char *text, size_t len, struct agent_log *log);

/* agent_log_parse() of a file; -errno when it cannot be read. */
int agent_log_read(const char *path, struct agent_log *log);

/*
 * Wait until @path has a tick line with tick >= @min_tick and passes >=
 * @min_passes, re-reading it every 50 ms for at most @timeout_ms.
 * 0; -EIO as soon as memory or the counter went bad; -ETIMEDOUT. @log
 * holds the last parse either way.
 */
int agent_log_wait(const char *path, uint64_t min_tick, uint64_t min_passes,
		   int timeout_ms, struct agent_log *log);

/*
 * Everything @log says is healthy (started once, ticks only forward, mem
 * ok); otherwise false with @why set.
 */
bool agent_log_healthy(const struct agent_log *log, char *why, size_t size);

/*
 * The guest moved from @src (its log up to the switchover) to @dst: the
 * first tick on the destination comes right after the last on the source
 * (one line may be cut in two by the switchover, so +1 or +2), and the
 * destination did not boot again. False with @why set otherwise.
 */
bool agent_log_continues(const struct agent_log *src, const struct agent_log *dst,
			 char *why, size_t size);

#endif
