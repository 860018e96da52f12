/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The CCS save/restore of an igfx VF, as xe's VF driver does it
 * (xe_sriov_vf_ccs.c): the PF's stream carries no CCS there, so the VF
 * registers two GuC contexts, COMPRESSION_SAVE and COMPRESSION_RESTORE,
 * whose batches copy the CCS of every buffer to a system memory area and
 * back (xe_migrate_ccs_rw_copy: XY_CTRL_SURF_COPY). The GuC runs the save
 * batch when the VF is paused and the restore batch after RESFIX_DONE;
 * the area moves with the VM's memory. Protocol: uapi/xe_sriov_sim_ccs.h.
 *
 * The model: vf_ccs_init() allocates the area (one byte per 256 of the
 * VF's memory) and both batches, and registers them. Every buffer the
 * driver creates afterwards gets one CTRL_SURF_COPY in each batch
 * (xe_sriov_vf_ccs_attach_bo); releasing to a mark drops the commands of
 * the released buffers (detach). After a migration vf_ccs_rebase()
 * rewrites every GGTT operand for the new slice (xe_sriov_vf_ccs_rebase),
 * before RESFIX_DONE lets the GuC run the restore batch.
 */
#ifndef XEMIG_VF_CCS_H
#define XEMIG_VF_CCS_H

#include "vf_driver.h"

/* Set up and register; d->ccs afterwards. 0 or -errno (-EIO: GuC refused). */
int vf_ccs_init(struct vf_driver *d);
void vf_ccs_fini(struct vf_driver *d);
/* Called by vf_driver for each new buffer and each release. */
int vf_ccs_attach_bo(struct vf_driver *d, const struct vf_bo *bo);
void vf_ccs_detach_from(struct vf_driver *d, struct vf_mark mark);
/* The batches' GGTT operands for the current slice (d->cfg). */
void vf_ccs_rebase(struct vf_driver *d);
/* Buffers whose CCS the batches move. */
unsigned int vf_ccs_attached(const struct vf_driver *d);

#endif
