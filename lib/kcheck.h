/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Is the kernel still healthy: no new taint bit since a mark, and no WARN,
 * BUG, oops, lockdep splat, hung task or memory-debugging report in the
 * kernel log since then. Tests that drive the kernel with hostile input
 * poll it between steps, so a failure names the step that caused it.
 */
#ifndef XEMIG_KCHECK_H
#define XEMIG_KCHECK_H

#include <stdbool.h>
#include <stddef.h>

struct kcheck {
	int kmsg_fd;		/* /dev/kmsg from the mark on; -1 without it */
	unsigned long taint0;	/* /proc/sys/kernel/tainted at the mark */
	unsigned long records;	/* kernel log records read since the mark */
};

/* Mark now. 0, or -errno if the taint cannot be read. */
int kcheck_start(struct kcheck *k);
/*
 * 0 while healthy; else -1 with why (a new taint, or the first bad kernel
 * log line) in why[size].
 */
int kcheck_poll(struct kcheck *k, char *why, size_t size);
void kcheck_stop(struct kcheck *k);
/* Whether a kernel log record (level, text) reports a kernel bug. */
bool kcheck_bad_record(int level, const char *text);

#endif
