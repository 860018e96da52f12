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

/* The text after " : " in a line, or "". */
static const char *line_text(const char *line)
{
	const char *p = strstr(line, " : ");

	return p ? p + 3 : "";
}

static void append(char *buf, size_t size, const char *fmt, const char *text)
{
	size_t n = strlen(buf);

	if (n + 1 < size)
		snprintf(buf + n, size - n, fmt, text);
}

static void run_line(struct agent_log *log, const char *line)
{
	unsigned int iter, k;
	int status;
	uint64_t ms;

	if (sscanf(line, PREFIX "run iter=%u cmd=%u status=%d ms=%" SCNu64,
		   &iter, &k, &status, &ms) != 4)
		return;
	log->runs++;
	if (k < AGENT_LOG_MAX_CMDS) {
		struct agent_log_cmd *c = &log->cmd[k];

		snprintf(c->name, sizeof(c->name), "%s", line_text(line));
		c->runs++;
		c->fails += status != 0;
		c->total_ms += ms;
		if (ms > c->max_ms)
			c->max_ms = ms;
	}
	if (status && !log->run_fails++) {
		snprintf(log->first_fail, sizeof(log->first_fail),
			 "iteration %u: '%s' exited %d after %" PRIu64 " ms", iter,
			 line_text(line), status, ms);
		/* Its output, printed just before it. */
		if (log->pending_out[0] && log->out_iter == iter && log->out_cmd == k)
			append(log->first_fail, sizeof(log->first_fail), "%s",
			       log->pending_out);
	}
	log->pending_out[0] = '\0';
}

static void out_line(struct agent_log *log, const char *line)
{
	unsigned int iter, k;

	if (sscanf(line, PREFIX "out iter=%u cmd=%u", &iter, &k) != 2)
		return;
	if (iter != log->out_iter || k != log->out_cmd)
		log->pending_out[0] = '\0';
	log->out_iter = iter;
	log->out_cmd = k;
	append(log->pending_out, sizeof(log->pending_out), " | %s", line_text(line));
}

static void round_line(struct agent_log *log, const char *line)
{
	uint64_t round;
	unsigned int fails;

	if (sscanf(line, PREFIX "round=%" SCNu64 " fails=%u", &round, &fails) != 2)
		return;
	log->rounds++;
	log->last_round = round;
	if (fails && !log->round_fails++ && !log->run_fails)
		snprintf(log->first_fail, sizeof(log->first_fail),
			 "iteration %" PRIu64 ": %u command(s) failed", round, fails);
}

static void kmsg_line(struct agent_log *log, const char *line)
{
	char kind[16];

	if (sscanf(line, PREFIX "kmsg kind=%15s", kind) != 1)
		return;
	if (!log->kmsgs++)
		snprintf(log->first_kmsg, sizeof(log->first_kmsg), "%s: %s", kind,
			 line_text(line));
}

static bool starts(const char *line, const char *word)
{
	return !strncmp(line + strlen(PREFIX), word, strlen(word));
}

static void one_line(struct agent_log *log, char *line, size_t len)
{
	if (len && line[len - 1] == '\r')
		len--;
	line[len] = '\0';
	if (strncmp(line, PREFIX, strlen(PREFIX)))
		return;
	if (starts(line, "start ")) {
		log->started = true;
		log->starts++;
	} else if (starts(line, "tick=")) {
		tick_line(log, line);
	} else if (starts(line, "run ")) {
		run_line(log, line);
	} else if (starts(line, "out ")) {
		out_line(log, line);
	} else if (starts(line, "round=")) {
		round_line(log, line);
	} else if (starts(line, "kmsg ")) {
		kmsg_line(log, line);
	} else if (starts(line, "module-failed ")) {
		if (!log->modules_failed++)
			snprintf(log->first_module, sizeof(log->first_module), "%s",
				 line_text(line));
	} else if (starts(line, "payload-died ")) {
		log->payload_died = true;
	} else if (sscanf(line, PREFIX "payload cmds=%u", &log->payload_cmds) == 1) {
		log->payload = true;
	}
}

void agent_log_parse(const char *text, size_t len, struct agent_log *log)
{
	char line[1024];
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
		if (agent_log_failed(log))
			return -EIO;
		if (log->ticks && log->last_tick >= min_tick && log->last_passes >= min_passes)
			return 0;
		if (now_ms() >= deadline)
			return -ETIMEDOUT;
		usleep(50000);
	}
}

int agent_log_wait_rounds(const char *path, unsigned int min_rounds, int timeout_ms,
			  struct agent_log *log)
{
	long long deadline = now_ms() + timeout_ms;

	for (;;) {
		agent_log_read(path, log);
		if (agent_log_failed(log))
			return -EIO;
		if (log->rounds >= min_rounds)
			return 0;
		if (log->payload && !log->payload_cmds)
			return -ENOENT;
		if (now_ms() >= deadline)
			return -ETIMEDOUT;
		usleep(100000);
	}
}

bool agent_log_failed(const struct agent_log *log)
{
	return log->mem_bad || log->went_back || log->run_fails || log->round_fails ||
	       log->payload_died || log->kmsgs || log->modules_failed;
}

bool agent_log_healthy(const struct agent_log *log, char *why, size_t size)
{
	if (log->modules_failed)
		snprintf(why, size, "the guest could not load %s%s", log->first_module,
			 log->modules_failed > 1 ? " (and more modules)" : "");
	else if (log->kmsgs)
		snprintf(why, size, "guest kernel log: %s%s", log->first_kmsg,
			 log->kmsgs > 1 ? " (and more)" : "");
	else if (log->run_fails || log->round_fails)
		snprintf(why, size, "payload failed in %u of %u runs: %s",
			 log->run_fails ?: log->round_fails, log->runs, log->first_fail);
	else if (log->payload_died)
		snprintf(why, size, "the guest's payload loop died");
	else if (!log->ticks)
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
