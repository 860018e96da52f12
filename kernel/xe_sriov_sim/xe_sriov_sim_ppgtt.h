/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The per-VF PPGTT walk and the VF's system memory (DMA space) behind it.
 */
#ifndef _XE_SRIOV_SIM_PPGTT_H_
#define _XE_SRIOV_SIM_PPGTT_H_

#include <linux/types.h>

struct seq_file;
struct vfio_device;
struct xe_sriov_sim_vf;

/* xe_sriov_sim_ppgtt.c */
int xe_sriov_sim_ppgtt_walk(struct xe_sriov_sim_vf *vf, u64 va, bool write,
			    u64 *addr, bool *lmem);
u64 xe_sriov_sim_ppgtt_root(u64 val);

/* xe_sriov_sim_dma.c */
int xe_sriov_sim_dma_ptr(struct xe_sriov_sim_vf *vf, u64 iova, u8 **p);
void xe_sriov_sim_dma_reset(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_dma_set_open(struct xe_sriov_sim_vf *vf, bool open);
void xe_sriov_sim_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length);
void xe_sriov_sim_dma_print(struct xe_sriov_sim_vf *vf, struct seq_file *m);

#endif /* _XE_SRIOV_SIM_PPGTT_H_ */
