/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Emulated PCI type-0 configuration space of a simulated VF.
 */
#ifndef _XE_SRIOV_SIM_PCI_CONFIG_H_
#define _XE_SRIOV_SIM_PCI_CONFIG_H_

#include <linux/types.h>

/* Size of the emulated configuration space: the PCI 3.0 header area. */
#define XE_SRIOV_SIM_CONFIG_SIZE	256

/* The capability list: one MSI capability (64-bit, 1 vector, no masking). */
#define XE_SRIOV_SIM_CFG_MSI		0x40

/**
 * struct xe_sriov_sim_pci_config - emulated configuration space
 * @device_id: PCI device id placed in the header on reset
 * @revision_id: PCI revision id placed in the header on reset
 * @bar0_size: BAR0 size in bytes, a power of two
 * @bar2_size: BAR2 size in bytes, a power of two
 * @data: the little-endian register image
 * @wmask: per byte, the bits software may change
 */
struct xe_sriov_sim_pci_config {
	u16 device_id;
	u8 revision_id;
	u64 bar0_size;
	u64 bar2_size;
	u8 data[XE_SRIOV_SIM_CONFIG_SIZE];
	u8 wmask[XE_SRIOV_SIM_CONFIG_SIZE];
};

void xe_sriov_sim_pci_config_init(struct xe_sriov_sim_pci_config *cfg,
				  u16 device_id, u8 revision_id,
				  u64 bar0_size, u64 bar2_size);
void xe_sriov_sim_pci_config_reset(struct xe_sriov_sim_pci_config *cfg);
int xe_sriov_sim_pci_config_read(const struct xe_sriov_sim_pci_config *cfg,
				 unsigned int offset, unsigned int size,
				 u32 *val);
int xe_sriov_sim_pci_config_write(struct xe_sriov_sim_pci_config *cfg,
				  unsigned int offset, unsigned int size,
				  u32 val);

#endif /* _XE_SRIOV_SIM_PCI_CONFIG_H_ */
