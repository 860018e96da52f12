// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Kernel health between test steps: /proc/sys/kernel/tainted against the
 * mark, and /dev/kmsg records (non-blocking, from the end at the mark).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kcheck.h"

static int read_taint(unsigned long *t)
{
	FILE *f = fopen("/proc/sys/kernel/tainted", "r");
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, "%lu", t) == 1;
	fclose(f);
	return ok ? 0 : -EIO;
}

int kcheck_start(struct kcheck *k)
{
	k->records = 0;
	k->kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->kmsg_fd >= 0)
		lseek(k->kmsg_fd, 0, SEEK_END);
	return read_taint(&k->taint0);
}

bool kcheck_bad_record(int level, const char *text)
{
	static const char *const bad[] = {
		"WARNING:", "BUG:", "BUG ", "kernel BUG", "Oops", "general protection",
		"cut here", "Call Trace", "UBSAN", "KASAN", "KFENCE", "refcount_t",
		"list_add corruption", "list_del corruption", "circular locking",
		"recursive locking", "lock held when returning", "suspicious RCU",
		"blocked for more than", "soft lockup", "hard LOCKUP", "rcu_sched",
		"self-detected stall", "Kernel panic", "DEBUG_LOCKS_WARN_ON",
		"sleeping function called from invalid context", "scheduling while atomic",
		"kmemleak", "double free", "use-after-free", "out-of-bounds",
	};

	if (level <= 2)
		return true;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strstr(text, bad[i]))
			return true;
	return false;
}

int kcheck_poll(struct kcheck *k, char *why, size_t size)
{
	unsigned long t;
	char rec[2048];
	ssize_t n;

	for (;;) {
		int prio;
		char *text;

		if (k->kmsg_fd < 0)
			break;
		n = read(k->kmsg_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on with the next */
		if (n <= 0)
			break;
		rec[n] = 0;
		k->records++;
		text = strchr(rec, ';');
		if (!text || sscanf(rec, "%d", &prio) != 1)
			continue;
		text++;
		text[strcspn(text, "\n")] = 0;
		if (kcheck_bad_record(prio & 7, text)) {
			snprintf(why, size, "kernel log: <%d> %s", prio & 7, text);
			return -1;
		}
	}
	if (!read_taint(&t) && (t & ~k->taint0)) {
		snprintf(why, size, "new taint: %#lx (was %#lx)", t, k->taint0);
		return -1;
	}
	return 0;
}

void kcheck_stop(struct kcheck *k)
{
	if (k->kmsg_fd >= 0)
		close(k->kmsg_fd);
	k->kmsg_fd = -1;
}
