/* SPDX-License-Identifier: MIT */
/*
 * Kernel taint: which bits end a run. Like IGT's lib/igt_taints.c, only
 * MACHINE_CHECK, BAD_PAGE, DIE and WARN are fatal; out-of-tree and
 * unsigned modules (our own xe_sriov_sim) are not.
 */
#ifndef XEMT_RUNNER_TAINT_H
#define XEMT_RUNNER_TAINT_H

#include <stddef.h>

#define TAINT_FATAL_MASK ((1ul << 4) | (1ul << 5) | (1ul << 7) | (1ul << 9))

/* /proc/sys/kernel/tainted; 0 if it cannot be read. */
unsigned long taint_read(void);
static inline unsigned long taint_fatal(unsigned long taints)
{
	return taints & TAINT_FATAL_MASK;
}
/* "WARN DIE ..." for the bits of @taints, or "none". */
void taint_describe(unsigned long taints, char *buf, size_t size);

#endif
