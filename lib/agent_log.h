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
 * with a payload (xemt.payload=1, a guest built with mkguest.sh --payload):
 *
 *   XEMT-AGENT payload cmds=<n> iterations=<n>
 *   XEMT-AGENT out iter=<i> cmd=<k> : <output line of a failed command>
 *   XEMT-AGENT run iter=<i> cmd=<k> status=<exit> ms=<ms> : <command>
 *   XEMT-AGENT round=<i> fails=<n> ms=<ms>
 *   XEMT-AGENT payload-died status=<n>
 *
 * from a lab guest's /init, for a module of /etc/xemt-modules that failed:
 *
 *   XEMT-AGENT module-failed : <path>
 *
 * and from the guest's kernel log, always:
 *
 *   XEMT-AGENT kmsg kind=<wedged|guc|reset|warn|bug|oops|oom> pri=<n> : <text>
 *
 * and the checks across a hop: the destination's counter carries on from
 * the source's (never back, never from the start) and memory stays ok.
 * A failed command's out lines come before its run line, so a log that
 * has the run line has its output too. Any failed payload command or
 * round and any kmsg line make a log
 * unhealthy. Only whole lines count: a migration can cut a line between
 * the source's log and the destination's (a run line cut so is still
 * counted in its round line's fails, which comes whole on one side).
 */
#ifndef XEMIG_AGENT_LOG_H
#define XEMIG_AGENT_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AGENT_LOG_MAX_CMDS 16

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

	/* The payload loop. */
	bool payload;		/* a payload line: the loop started */
	unsigned int payload_cmds;
	unsigned int runs, run_fails;	/* run lines, those with status != 0 */
	unsigned int rounds, round_fails; /* round lines, those with fails != 0 */
	uint64_t last_round;	/* its iteration number */
	bool payload_died;
	char first_fail[600];	/* the first failed run, its output appended */
	char pending_out[400];	/* out lines waiting for their run line */
	unsigned int out_iter, out_cmd;

	/* Per command of the list (the first AGENT_LOG_MAX_CMDS). */
	struct agent_log_cmd {
		char name[96];
		unsigned int runs, fails;
		uint64_t total_ms, max_ms;
	} cmd[AGENT_LOG_MAX_CMDS];

	unsigned int modules_failed;	/* module-failed lines */
	char first_module[200];

	/* Kernel log lines that matter. */
	unsigned int kmsgs;
	char first_kmsg[300];	/* "<kind>: <text>" of the first */
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
 * Wait until @path's payload loop completed @min_rounds rounds (round
 * lines), as agent_log_wait() does: 0, -EIO (unhealthy), -ENOENT (the
 * guest has no command list), -ETIMEDOUT.
 */
int agent_log_wait_rounds(const char *path, unsigned int min_rounds, int timeout_ms,
			  struct agent_log *log);

/* Something in @log fails the guest: memory, counter, payload, kernel log. */
bool agent_log_failed(const struct agent_log *log);

/*
 * Everything @log says is healthy (started once, ticks only forward, mem
 * ok, every payload command and round passed, no kernel line that
 * matters); otherwise false with @why set.
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
