/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The xe migration stream of a VF: save (produce) and restore (consume).
 */
#ifndef _XE_SRIOV_SIM_STREAM_H_
#define _XE_SRIOV_SIM_STREAM_H_

#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/types.h>
#include <linux/uaccess.h>

struct xe_sriov_sim_vf;

/* xe's XE_GT_SRIOV_PF_MIGRATION_RING_SIZE: packets produced ahead. */
#define XE_SRIOV_SIM_SAVE_RING_SIZE	5

/*
 * Entries of a save session: DESCRIPTOR, GUC, GGTT, MMIO, one VRAM run,
 * media GUC and MMIO, TRAILER.
 */
#define XE_SRIOV_SIM_SAVE_MAX_PKTS	8

/**
 * xe_sriov_sim_copy_to_user_nofault() - copy_to_user() that never faults
 * @to: user destination
 * @from: kernel source
 * @n: bytes
 *
 * For copies under a lock another task may wait for: a page that is not
 * present ends the copy instead of being faulted in.
 *
 * Return: bytes copied, from the start.
 */
static inline size_t xe_sriov_sim_copy_to_user_nofault(void __user *to,
						       const void *from,
						       size_t n)
{
	unsigned long left;

	pagefault_disable();
	left = copy_to_user(to, from, n);
	pagefault_enable();
	return n - left;
}

/**
 * xe_sriov_sim_copy_from_user_nofault() - copy_from_user() that never faults
 * @to: kernel destination
 * @from: user source
 * @n: bytes
 *
 * As xe_sriov_sim_copy_to_user_nofault(); the bytes of @to past those
 * copied are zeroed.
 *
 * Return: bytes copied, from the start.
 */
static inline size_t xe_sriov_sim_copy_from_user_nofault(void *to,
							 const void __user *from,
							 size_t n)
{
	unsigned long left;

	pagefault_disable();
	left = copy_from_user(to, from, n);
	pagefault_enable();
	return n - left;
}

/**
 * xe_sriov_sim_stream_fault_in() - fault in the start of a user buffer
 * @buf: the buffer
 * @len: its length
 * @writable: it is written to (a read's buffer)
 *
 * Called with no lock held after a stream read or write stopped at @buf
 * with -EFAULT: may wait as long as the fault takes (userfaultfd, FUSE).
 *
 * Return: 0 if at least its first byte is there now, -EFAULT if not,
 * -EINTR on a fatal signal.
 */
static inline int xe_sriov_sim_stream_fault_in(void __user *buf, size_t len,
					       bool writable)
{
	size_t n = min_t(size_t, len, PAGE_SIZE);
	size_t left;

	if (fatal_signal_pending(current))
		return -EINTR;
	left = writable ? fault_in_writeable((char __user *)buf, n) :
			  fault_in_readable((const char __user *)buf, n);
	if (left == n)
		return -EFAULT;
	cond_resched();
	return 0;
}

/* xe_sriov_sim_stream_save.c */
int xe_sriov_sim_save_start(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_save_end(struct xe_sriov_sim_vf *vf);
ssize_t xe_sriov_sim_save_read(struct xe_sriov_sim_vf *vf, char __user *buf,
			       size_t len);
u64 xe_sriov_sim_migration_size(struct xe_sriov_sim_vf *vf);
ssize_t xe_sriov_sim_stream_io(ssize_t (*once)(void *ctx, char __user *buf,
					       size_t len, bool saving),
			       void *ctx, char __user *buf, size_t len,
			       bool saving);
void xe_sriov_sim_save_rewind(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_save_drop(struct xe_sriov_sim_vf *vf, u8 type);

/* xe_sriov_sim_stream_restore.c */
int xe_sriov_sim_restore_start(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_restore_end(struct xe_sriov_sim_vf *vf);
ssize_t xe_sriov_sim_restore_write(struct xe_sriov_sim_vf *vf,
				   const char __user *buf, size_t len);

#endif /* _XE_SRIOV_SIM_STREAM_H_ */
