// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Reading the guest agent's serial output back. The log is re-read whole
 * on every look: it grows by ~40 bytes a tick, and a parse of a few
 * hundred KiB costs nothing next to a TCG guest.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent_log.h"

#define PREFIX "XEMT-AGENT "

static void tick_line(struct agent_log *log, const char *line)
{
	uint64_t tick, passes;
	char mem[8];

	if (sscanf(line, PREFIX "tick=%" SCNu64 " mem=%7s passes=%" SCNu64,
		   &tick, mem, &passes) != 3)
		return;
	if (log->ticks && tick <= log->last_tick && !log->went_back) {
		log->went_back = true;
		log->back_from = log->last_tick;
		log->back_to = tick;
	}
	if (log->ticks && tick > log->last_tick + 1)
		log->skips++;
	if (!log->ticks) {
		log->first_tick = tick;
		log->first_passes = passes;
	}
	log->ticks++;
	log->last_tick = tick;
	log->last_passes = passes;
	if (strcmp(mem, "ok") && !log->mem_bad) {
		log->mem_bad = true;
		snprintf(log->bad_line, sizeof(log->bad_line), "%s", line);
	}
}

static void one_line(struct agent_log *log, char *line, size_t len)
{
	if (len && line[len - 1] == '\r')
		len--;
	line[len] = '\0';
	if (strncmp(line, PREFIX, strlen(PREFIX)))
		return;
	if (!strncmp(line + strlen(PREFIX), "start ", 6)) {
		log->started = true;
		log->starts++;
		return;
	}
	tick_line(log, line);
}

void agent_log_parse(const char *text, size_t len, struct agent_log *log)
{
	char line[512];
	const char *p = text, *end = text + len;

	memset(log, 0, sizeof(*log));
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n;

		/* A line still being written, or cut by the switchover. */
		if (!nl)
			break;
		n = nl - p;
		if (n < sizeof(line)) {
			memcpy(line, p, n);
			one_line(log, line, n);
		}
		p = nl + 1;
	}
}

int agent_log_read(const char *path, struct agent_log *log)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t size = 0;
	int err = 0;

	memset(log, 0, sizeof(*log));
	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) || (size = ftell(f), fseek(f, 0, SEEK_SET)))
		err = -EIO;
	text = err ? NULL : malloc(size + 1);
	if (!err && !text)
		err = -ENOMEM;
	if (!err && fread(text, 1, size, f) != size)
		err = -EIO;
	fclose(f);
	if (!err)
		agent_log_parse(text, size, log);
	free(text);
	return err;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int agent_log_wait(const char *path, uint64_t min_tick, uint64_t min_passes,
		   int timeout_ms, struct agent_log *log)
{
	long long deadline = now_ms() + timeout_ms;

	for (;;) {
		agent_log_read(path, log);
		if (log->mem_bad || log->went_back)
			return -EIO;
		if (log->ticks && log->last_tick >= min_tick && log->last_passes >= min_passes)
			return 0;
		if (now_ms() >= deadline)
			return -ETIMEDOUT;
		usleep(50000);
	}
}

bool agent_log_healthy(const struct agent_log *log, char *why, size_t size)
{
	if (!log->ticks)
		snprintf(why, size, "no agent output");
	else if (log->mem_bad)
		snprintf(why, size, "guest memory corrupted: '%s'", log->bad_line);
	else if (log->went_back)
		snprintf(why, size, "counter went back from %" PRIu64 " to %" PRIu64,
			 log->back_from, log->back_to);
	else if (log->starts > 1)
		snprintf(why, size, "the agent started %u times: the guest rebooted",
			 log->starts);
	else
		return true;
	return false;
}

bool agent_log_continues(const struct agent_log *src, const struct agent_log *dst,
			 char *why, size_t size)
{
	if (!src->ticks || !dst->ticks)
		snprintf(why, size, "no agent output on the %s",
			 src->ticks ? "destination" : "source");
	else if (dst->starts)
		snprintf(why, size, "the agent started again on the destination: the guest rebooted");
	else if (dst->first_tick <= src->last_tick)
		snprintf(why, size, "counter went back across the hop: source %" PRIu64
			 ", destination %" PRIu64, src->last_tick, dst->first_tick);
	else if (dst->first_tick > src->last_tick + 2)
		snprintf(why, size, "ticks lost across the hop: source %" PRIu64
			 ", destination %" PRIu64, src->last_tick, dst->first_tick);
	else
		return true;
	return false;
}
