/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The engine (command streamer) of a VF: execution, commands, and the
 * engine's GGTT-translated view of LMEM.
 */
#ifndef _XE_SRIOV_SIM_ENGINE_H_
#define _XE_SRIOV_SIM_ENGINE_H_

#include <linux/types.h>

struct seq_file;
struct xe_sriov_sim_vf;

/* xe_sriov_sim_engine.c */
void xe_sriov_sim_engine_init(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_engine_fini(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_engine_reset(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_engine_pause(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_engine_update(struct xe_sriov_sim_vf *vf);
u32 xe_sriov_sim_engine_reg_read(struct xe_sriov_sim_vf *vf, u32 reg);
void xe_sriov_sim_engine_reg_write(struct xe_sriov_sim_vf *vf, u32 reg,
				   u32 val);
size_t xe_sriov_sim_engine_save_size(void);
void xe_sriov_sim_engine_save(struct xe_sriov_sim_vf *vf, void *buf);
int xe_sriov_sim_engine_check(const void *buf, size_t size);
void xe_sriov_sim_engine_restore(struct xe_sriov_sim_vf *vf, const void *buf);
void xe_sriov_sim_engine_print(struct xe_sriov_sim_vf *vf, struct seq_file *m);

/* xe_sriov_sim_engine_cmds.c */

/**
 * enum xe_sriov_sim_engine_step - what a command asks of the engine
 * @XE_SRIOV_SIM_STEP_NEXT: done; go on with the next command
 * @XE_SRIOV_SIM_STEP_WAIT: not done (SPIN_UNTIL); check again later
 * @XE_SRIOV_SIM_STEP_BATCH_START: enter the batch at the returned address
 * @XE_SRIOV_SIM_STEP_BATCH_END: return from the current batch
 * @XE_SRIOV_SIM_STEP_FAULT: the command faulted; the fault is recorded
 */
enum xe_sriov_sim_engine_step {
	XE_SRIOV_SIM_STEP_NEXT,
	XE_SRIOV_SIM_STEP_WAIT,
	XE_SRIOV_SIM_STEP_BATCH_START,
	XE_SRIOV_SIM_STEP_BATCH_END,
	XE_SRIOV_SIM_STEP_FAULT,
};

extern unsigned int xe_sriov_sim_engine_spin_limit;

int xe_sriov_sim_engine_cmd_len(u32 dw0, u32 *reason);
enum xe_sriov_sim_engine_step
xe_sriov_sim_engine_cmd_exec(struct xe_sriov_sim_vf *vf, const u32 *cmd,
			     u64 addr, u64 *batch, unsigned int *units);
const char *xe_sriov_sim_engine_fault_name(u32 reason);

/* xe_sriov_sim_engine_mem.c */

/**
 * enum xe_sriov_sim_space - the address space of an engine access
 * @XE_SRIOV_SIM_SPACE_GGTT: the VF's GGTT slice (ring, GGTT batches,
 *	context image, GuC batches)
 * @XE_SRIOV_SIM_SPACE_PPGTT: the VF's PPGTT (batches entered with
 *	XE_SRIOV_SIM_BATCH_PPGTT)
 */
enum xe_sriov_sim_space {
	XE_SRIOV_SIM_SPACE_GGTT,
	XE_SRIOV_SIM_SPACE_PPGTT,
};

int xe_sriov_sim_engine_fault(struct xe_sriov_sim_vf *vf, u32 reason,
			      u64 addr);
u32 xe_sriov_sim_engine_set_space(struct xe_sriov_sim_vf *vf, u32 space);
int xe_sriov_sim_engine_mem_ptr(struct xe_sriov_sim_vf *vf, u64 addr,
				size_t len, bool write, u8 **p);
int xe_sriov_sim_engine_mem_ccs(struct xe_sriov_sim_vf *vf, u64 addr,
				bool write, u8 **ccs);
int xe_sriov_sim_engine_mem_read(struct xe_sriov_sim_vf *vf, u64 addr,
				 void *buf, size_t len);
int xe_sriov_sim_engine_mem_write(struct xe_sriov_sim_vf *vf, u64 addr,
				  const void *buf, size_t len);
int xe_sriov_sim_engine_mem_rd32(struct xe_sriov_sim_vf *vf, u64 addr,
				 u32 *val);
int xe_sriov_sim_engine_mem_wr32(struct xe_sriov_sim_vf *vf, u64 addr,
				 u32 val);

#endif /* _XE_SRIOV_SIM_ENGINE_H_ */
