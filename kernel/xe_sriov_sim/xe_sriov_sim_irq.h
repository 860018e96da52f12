/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * VF interrupts: the status register and the MSI eventfd.
 */
#ifndef _XE_SRIOV_SIM_IRQ_H_
#define _XE_SRIOV_SIM_IRQ_H_

#include <linux/types.h>

struct xe_sriov_sim_vf;

void xe_sriov_sim_irq_raise(struct xe_sriov_sim_vf *vf, u32 bits);
void xe_sriov_sim_irq_release(struct xe_sriov_sim_vf *vf);
long xe_sriov_sim_irq_get_info(void __user *arg);
long xe_sriov_sim_irq_set_irqs(struct xe_sriov_sim_vf *vf, void __user *arg);

#endif /* _XE_SRIOV_SIM_IRQ_H_ */
