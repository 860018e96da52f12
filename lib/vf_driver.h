/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The VF driver model: what xe's VF driver does on real hardware, done in
 * user space over VFIO. It owns the VF's GGTT slice (writes its PTEs) and
 * LMEM (allocates buffers in it), and after a migration it runs xe's
 * recovery (xe_sriov_vf.c, xe_gt_sriov_vf.c vf_post_migration_recovery())
 * over both GTs, each through its own GuC mailbox:
 *
 *   MIGRATED irq of every GT             (vf_ready_to_recovery_on_all_gts)
 *     -> RESFIX_START(marker) per GT     marker: 1..4095, wrapping, never 0
 *     -> query config per GT             GGTT/LMEM size, contexts or
 *                                        doorbells changed: -EREMCHG, the
 *                                        VF is wedged
 *     -> shift = new GGTT base - old     bookkeeping is relative: one store
 *     -> fixups(shift)                   every absolute GGTT address the
 *                                        engine holds: registers, contexts,
 *                                        commands in rings, batches
 *     -> RESFIX_DONE(marker) per GT      VF_MIGRATED (-EREMCHG): migrated
 *                                        again meanwhile, the recovery is
 *                                        deferred: start over
 *
 * The process that owns the driver plays the VM: when "its" VF migrates it
 * calls vf_driver_attach() with the destination, then recovers.
 *
 * Every access goes through d->io (vf_io.h): VFIO from the test process,
 * or qtest as the driver of a VF a QEMU holds. Without a CPU mapping of
 * LMEM (qtest) d->lmem is a shadow: CPU writes reach the VF at
 * vf_driver_lmem_flush() (the engine's kick, a gate's opening, the end of
 * the fixups), and what the VF wrote reaches the shadow at
 * vf_driver_lmem_fetch() (verifiers, the recovery). Over VFIO both are
 * no-ops.
 */
#ifndef XEMIG_VF_DRIVER_H
#define XEMIG_VF_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vf_guc.h"
#include "vf_io.h"
#include "vfio_dev.h"

/* A buffer: LMEM pages mapped contiguously in the VF's GGTT slice. */
struct vf_bo {
	uint64_t lmem_off;	/* byte offset in the VF's LMEM */
	uint64_t ggtt_off;	/* byte offset in the VF's GGTT slice */
	uint64_t size;
};

struct vf_driver;

/*
 * Fix every absolute GGTT address the caller has handed to the device.
 * shift is new base - old base (may be 0). 0 or -errno (the VF is then
 * declared wedged).
 */
typedef int (*vf_fixup_fn)(struct vf_driver *d, int64_t shift, void *data);

struct vf_driver {
	struct vfio_dev *dev;		/* VFIO transport only, else NULL */
	struct vf_io io;		/* how every access reaches the VF */
	struct vf_guc_config cfg;	/* primary GT */
	struct vf_guc_config media;	/* media GT */
	uint32_t guc_version[VF_GUC_NUM_GTS];	/* MATCH_VERSION per GT */
	uint8_t *lmem;		/* the BAR2 mapping, or the shadow */
	size_t lmem_map_size;
	uint8_t *lmem_synced;	/* shadow only: the VF's LMEM as last synced */
	uint64_t lmem_next;	/* bump allocators, bytes */
	uint64_t ggtt_next;
	uint16_t marker;	/* last RESFIX marker sent (both GTs), 1..4095 */
	bool wedged;
	unsigned int recoveries;	/* completed */
	unsigned int requeues;		/* RESFIX_DONE answered VF_MIGRATED */
	vf_fixup_fn fixup;
	void *fixup_data;
	struct vf_ccs *ccs;	/* igfx: the CCS batches (vf_ccs.h), else NULL */
	char error[256];	/* why the last recovery failed, if it says */
};

/* Take over the VF: config, LMEM mapping, empty GGTT slice. 0 or -errno. */
int vf_driver_init(struct vf_driver *d, struct vfio_dev *dev);
/* The same through io (copied); a qtest io starts with a shadow of LMEM. */
int vf_driver_init_io(struct vf_driver *d, const struct vf_io *io);
void vf_driver_fini(struct vf_driver *d);

/*
 * Shadow only (else 0 at once): write to the VF every dword the CPU
 * changed in the allocated LMEM since the last sync; read [off, off+len)
 * of the VF into the shadow (after a flush). 0 or -errno.
 */
int vf_driver_lmem_flush(struct vf_driver *d);
int vf_driver_lmem_fetch(struct vf_driver *d, uint64_t off, uint64_t len);
/* A dword of LMEM as the VF holds it now (fences). */
uint32_t vf_driver_lmem_read32(struct vf_driver *d, uint64_t off);

/* Allocate size bytes (page-rounded) of LMEM and map them in the GGTT. */
int vf_driver_bo_create(struct vf_driver *d, uint64_t size, struct vf_bo *bo);

/*
 * A point in the bump allocators. vf_driver_release() frees everything
 * allocated after it (a stack, which is how a test's rounds of work use
 * buffers) and invalidates those PTEs, so a stale reference faults
 * instead of reading the next round's data.
 */
struct vf_mark {
	uint64_t lmem, ggtt;
};

static inline struct vf_mark vf_driver_mark(const struct vf_driver *d)
{
	return (struct vf_mark){ d->lmem_next, d->ggtt_next };
}

int vf_driver_release(struct vf_driver *d, struct vf_mark mark);

/* The buffer's current GGTT address; changes when the VF migrates. */
static inline uint64_t vf_bo_ggtt(const struct vf_driver *d, const struct vf_bo *bo)
{
	return d->cfg.ggtt_start + bo->ggtt_off;
}

/* CPU view of the buffer, through the BAR2 mapping. */
static inline void *vf_bo_map(const struct vf_driver *d, const struct vf_bo *bo)
{
	return d->lmem + bo->lmem_off;
}

/* The guest moved to another VF (its state already restored there). */
int vf_driver_attach(struct vf_driver *d, struct vfio_dev *dev);
/* The same for any transport (the new VM's qtest view, say). */
int vf_driver_attach_io(struct vf_driver *d, const struct vf_io *io);

/*
 * xe's post-migration recovery, above. 0 when the VF runs again; on a
 * fatal error -errno and d->wedged. At most max_requeues restarts.
 */
int vf_driver_recover(struct vf_driver *d, unsigned int max_requeues);

#endif
