/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The migration loop: one guest (Debian's kernel + the agent initramfs of
 * runner/vm/mkguest.sh) booted in a source VM and migrated hop by hop to
 * a new destination each time, its agent checked after every hop
 * (lib/agent_log). Two VM slots: the running source and the destination
 * of the next hop; after a completed hop the old source is killed and the
 * slots swap, so a lab with two VFs alternates between them.
 */
#ifndef XEMIG_VM_LOOP_H
#define XEMIG_VM_LOOP_H

#include <jansson.h>
#include <stdint.h>

#include "agent_log.h"
#include "qemu_migrate.h"
#include "qemu_vm.h"

struct vm_loop_config {
	const char *kernel;
	const char *initrd;	/* the guest initramfs */
	const char *sock_dir;	/* QMP and migration sockets */
	const char *log_dir;	/* serial and QEMU logs; NULL: sock_dir */
	const char *tag;	/* VM names: <tag>.vm<N> */
	const char *accel;	/* NULL: tcg */
	unsigned int mem_mb;	/* 0: 128 */
	unsigned int agent_mib;	/* the agent's buffer; 0: 32 */
	uint64_t seed;
	const char *vfio[2];	/* a VFIO device per slot, or NULL */
	const char *extra[8];	/* more QEMU arguments for every VM */
	int boot_timeout_ms;	/* 0: 120 s */
	int guest_timeout_ms;	/* guest checks after a hop; 0: 30 s */
	/*
	 * xemt.payload=1: the guest runs its command list in a loop; after
	 * boot and after every hop a whole round must pass on the guest
	 * within payload_timeout_ms (0: 120 s).
	 */
	bool payload;
	int payload_timeout_ms;
	const char *append;	/* more kernel command line, or NULL */
};

struct vm_loop {
	struct vm_loop_config cfg;
	struct qemu_vm vm[2];
	int src;		/* slot of the running source */
	unsigned int started;	/* VMs started so far (names) */
	unsigned int hops;	/* completed hops */
	char append[512];	/* kernel command line */
	char error[2048];	/* why the last call failed */
};

struct vm_hop {
	unsigned int n;		/* 1 for the first hop */
	struct qemu_mig_result r;
	uint64_t tick_src;	/* last tick on the source */
	uint64_t tick_dst;	/* first tick on the destination */
	double wall_s;		/* migrate to the end of the guest checks */
	unsigned int rounds;	/* payload rounds seen on the destination */
};

void vm_loop_init(struct vm_loop *l, const struct vm_loop_config *cfg);

/* Kill both VMs. */
void vm_loop_stop(struct vm_loop *l);

static inline struct qemu_vm *vm_loop_source(struct vm_loop *l)
{
	return &l->vm[l->src];
}

static inline struct qemu_vm *vm_loop_dest(struct vm_loop *l)
{
	return &l->vm[!l->src];
}

/*
 * The configuration the next VM would get (@incoming: a destination in
 * the free slot), to change before vm_loop_start_dest(). Strings point
 * into @l or @name_buf (at least 64 bytes).
 */
void vm_loop_vm_config(struct vm_loop *l, bool incoming, char *name_buf,
		       struct qemu_vm_config *c);

/*
 * Boot the source and wait until its agent verified the whole buffer once
 * (and, with cfg.payload, passed a payload round). 0; -ENOENT when the
 * guest has no payload to run; -1 otherwise.
 */
int vm_loop_boot(struct vm_loop *l);

/* Start a destination in the free slot from @c (NULL: the default one). */
int vm_loop_start_dest(struct vm_loop *l, const struct qemu_vm_config *c);

/*
 * Migrate source -> destination (started before, or now with the default
 * configuration) over a fresh unix socket. Completed: the destination's
 * agent carries on (continuity, memory, a whole verification there), the
 * old source is killed and the destination becomes the source; 0. Not
 * completed: both VMs stay as they are for the caller to look at; -1.
 * Either way @h says what happened, l->error why it failed.
 */
int vm_loop_hop(struct vm_loop *l, const struct qemu_mig_params *p, struct vm_hop *h);

/*
 * After a hop that did not complete (refused, cancelled): the source says
 * "running" and its agent ticks on, counter forward and memory intact
 * through a whole verification; then the destination is killed. 0 or -1.
 */
int vm_loop_source_survived(struct vm_loop *l);

/* @h as a JSON object: hop number, migration numbers, ticks. */
json_t *vm_hop_json(const struct vm_hop *h);

#endif
